//! The command-line shell: arguments as typed → a library call → an exit code.
//!
//! Exit codes follow one rule across commands: 0 success (or warnings only), 1 the input was
//! read but is wrong (lint errors, an invalid signature), 2 the input could not be read at all
//! or the command was misused.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `vanban audit`: check and list the audit log.
pub mod audit;
/// `vanban bench`: timing of the pipeline stages.
pub mod bench;
/// `vanban check`: the format lints.
pub mod check;
/// `vanban demo`: the whole signing chain on the seed documents.
pub mod demo;
/// Reading a document as every command does.
pub mod load;
/// `vanban pki`: the development PKI.
pub mod pki;
/// `vanban register` and `vanban bench-register`: numbering, registers, exports, benchmark.
pub mod register;
/// `vanban render`.
pub mod render;
/// `vanban serve`: the HTTP service.
pub mod serve;
/// `vanban bench-serve`: load on a running service (numbering, verification, memory).
pub mod serve_bench;
/// `vanban sign`: PAdES signatures (leader, organisation, attachments, copies, external).
pub mod sign;
/// `vanban verify` and `vanban bench-verify`: judge the signatures of a PDF.
pub mod verify;

/// vanban: compose, number, sign and verify Vietnamese official documents.
#[derive(Debug, Parser)]
#[command(name = "vanban", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Keys and certificates: `pki init` generates a development PKI.
    Pki(pki::PkiArgs),
    /// Print the JSON Schema of the document input format.
    Schema,
    /// Sổ đăng ký: take the next number, list, export (CSV, PDF), void.
    Register(register::RegisterArgs),
    /// Measure numbering: concurrent clients for N seconds; numbers/s, duplicates, gaps.
    BenchRegister(register::BenchArgs),
    /// Nhật ký: verify the audit log's hash chain, list entries.
    Audit(audit::AuditArgs),
    /// Check a document against the format rules (exit 0 clean, 1 errors, 2 unreadable).
    Check(check::CheckArgs),
    /// Measure parse, lint and compose (median per file).
    Bench(bench::BenchArgs),
    /// Compose a document and write it as PDF or DOCX.
    Render(render::RenderArgs),
    /// Sign a PDF (PAdES B-B to B-LTA): the leader's certification, the organisation's seal,
    /// attachments, copies, external signers; `--bench` measures signing.
    Sign(Box<sign::SignArgs>),
    /// Run the whole chain on the seed documents with a development PKI (draft, leader-signed,
    /// numbered and sealed, DOCX) into a directory.
    Demo(demo::DemoArgs),
    /// The HTTP service: API, web pages for each role, registers and audit (first start creates
    /// the database, a development PKI and demo users, and prints their passwords).
    Serve(serve::ServeArgs),
    /// Measure the service under load: numbering clients, verification clients, peak memory.
    BenchServe(serve_bench::ServeBenchArgs),
    /// Verify the signatures of a PDF (exit 0 valid, 1 invalid or unsigned, 2 unreadable).
    Verify(verify::VerifyArgs),
    /// Measure verification (median per file and per signature), optionally against peers.
    BenchVerify(verify::BenchVerifyArgs),
}

/// Exit code: success, or warnings only.
pub const EXIT_OK: u8 = 0;
/// Exit code: the input was read but is wrong.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: the input could not be read, or the command was misused.
pub const EXIT_UNREADABLE: u8 = 2;

/// Run the command line.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_UNREADABLE
            } else {
                EXIT_OK
            });
        }
    };
    ExitCode::from(dispatch(cli.command))
}

fn dispatch(command: Command) -> u8 {
    match command {
        Command::Pki(args) => pki::run(args),
        Command::Schema => schema(),
        Command::Register(args) => register::run(args),
        Command::BenchRegister(args) => register::bench(args),
        Command::Audit(args) => audit::run(args),
        Command::Check(args) => check::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Sign(args) => sign::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::BenchServe(args) => serve_bench::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::BenchVerify(args) => verify::bench(&args),
    }
}

fn schema() -> u8 {
    let schema = schemars::schema_for!(crate::model::input::DocumentInput);
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => {
            use std::io::Write;
            // A closed pipe (`vanban schema | head`) is not an error of ours.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            EXIT_OK
        }
        Err(error) => {
            eprintln!("lỗi: {error}");
            EXIT_UNREADABLE
        }
    }
}

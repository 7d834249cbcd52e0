//! `vanban register`: take the next number, list or export the registers, void a number, and
//! benchmark numbering. A thin shell over [`crate::register`]: arguments as typed → a register
//! call → printed result and an exit code.
//!
//! Where the database is: `--db URL` (or `$VANBAN_DB`), else the SQLite file `vanban.db` in the
//! data directory: `--data DIR`, else `$VANBAN_DATA`, else `./vanban-data` ([`crate::register::DEFAULT_DATA_DIR`], created when missing).
//!
//! The shell is the one place that reads the clock: "now" for the audit entry, and the current
//! year in Vietnam (UTC+7) when `--year` is not given.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use time::OffsetDateTime;
use time::macros::offset;

use crate::register::numbering::{self, ReserveRequest};
use crate::register::{
    Actor, Backend, Book, DEFAULT_DATA_DIR, NumberKey, OpenOptions, Org, Register, RegisterError,
    Year, audit, csv, incoming, outgoing, print,
};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};

/// Arguments of `vanban register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// What to do with the register.
    #[command(subcommand)]
    pub command: RegisterCommand,
}

/// The `register` subcommands.
#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Lấy số: print the next number of a book (01, 02 …) and record it as reserved.
    Next(NextArgs),
    /// List an organisation's register for a year (text, or CSV with --csv).
    List(ListArgs),
    /// Export the outgoing (or, with --incoming, the incoming) register of a year: CSV, or a
    /// printable PDF laid out like the decree's model book (Phụ lục IV: landscape A4, 10 columns).
    Export(ExportArgs),
    /// Hủy số: void a reserved number with a reason; it stays on the record.
    Void(VoidArgs),
}

/// Where the register's database is.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite:///path/vanban.db or postgres://user:pass@host/db
    /// [default: $VANBAN_DB, else vanban.db in the data directory]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Data directory holding vanban.db [default: $VANBAN_DATA, else ./vanban-data]
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// Arguments of `vanban register next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// Organisation (cơ quan ban hành), e.g. CĐN.
    #[arg(long)]
    pub org: String,
    /// Book (sổ): chung, QĐ, mật …
    #[arg(long)]
    pub book: String,
    /// Register year [default: the current year in Vietnam, UTC+7]
    #[arg(long)]
    pub year: Option<i64>,
    /// Who takes the number [default: cli:$USER]
    #[arg(long)]
    pub actor: Option<String>,
    /// Take this many numbers one after another, printing each as soon as it is committed.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Arguments of `vanban register list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Organisation.
    #[arg(long)]
    pub org: String,
    /// Register year.
    #[arg(long)]
    pub year: i64,
    /// Print CSV (UTF-8 with BOM, Vietnamese headers) instead of text.
    #[arg(long)]
    pub csv: bool,
    /// The incoming register (sổ văn bản đến) instead of the outgoing one.
    #[arg(long)]
    pub incoming: bool,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Export formats of `vanban register export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// UTF-8 CSV with BOM and the decree's column headings (Excel, LibreOffice).
    Csv,
    /// The printable register: cover, then one table per book on landscape A4.
    Pdf,
}

/// Arguments of `vanban register export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Organisation.
    #[arg(long)]
    pub org: String,
    /// Register year.
    #[arg(long)]
    pub year: i64,
    /// csv or pdf.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Output file [default: standard output]
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The organisation's full name for the PDF cover [default: --org]
    #[arg(long)]
    pub org_name: Option<String>,
    /// The parent organisation (cơ quan chủ quản) for the PDF cover.
    #[arg(long)]
    pub parent_name: Option<String>,
    /// Quyển số: the volume number on the PDF cover.
    #[arg(long, default_value_t = 1)]
    pub volume: u32,
    /// The incoming register (sổ văn bản đến) instead of the outgoing one.
    #[arg(long)]
    pub incoming: bool,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Arguments of `vanban register void`.
#[derive(Debug, Args)]
pub struct VoidArgs {
    /// Organisation.
    #[arg(long)]
    pub org: String,
    /// Book.
    #[arg(long)]
    pub book: String,
    /// Register year.
    #[arg(long)]
    pub year: i64,
    /// The reserved number to void.
    #[arg(long)]
    pub number: u32,
    /// Why (kept on the record).
    #[arg(long)]
    pub reason: String,
    /// Who voids it [default: cli:$USER]
    #[arg(long)]
    pub actor: Option<String>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Arguments of `vanban bench-register`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Database URL [default: a fresh SQLite file in a temporary directory]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    pub clients: u32,
    /// How long to run.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Separate register instances (pools) sharing the clients, like service instances
    /// [default: 2 on PostgreSQL, 1 on SQLite]
    #[arg(long)]
    pub instances: Option<u32>,
}

/// Run `vanban register …`.
pub fn run(args: RegisterArgs) -> u8 {
    match args.command {
        RegisterCommand::Next(args) => block_on(next(args)),
        RegisterCommand::List(args) => block_on(list(args)),
        RegisterCommand::Export(args) => export(args),
        RegisterCommand::Void(args) => block_on(void(args)),
    }
}

/// Open the register the arguments name.
pub async fn open(db: &DbArgs) -> Result<Register, RegisterError> {
    Register::open_with(&options(db)?).await
}

/// The open options the arguments name (URL, else the data directory's SQLite file).
pub fn options(db: &DbArgs) -> Result<OpenOptions, RegisterError> {
    if let Some(url) = db.db.clone().or_else(|| non_empty_env("VANBAN_DB")) {
        return Ok(OpenOptions::new(url));
    }
    OpenOptions::data_dir(&data_dir(db.data.as_deref()))
}

/// The data directory: the argument, else `$VANBAN_DATA`, else `./vanban-data`.
pub fn data_dir(arg: Option<&Path>) -> PathBuf {
    arg.map(Path::to_path_buf)
        .or_else(|| non_empty_env("VANBAN_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
}

/// Run a register future on a small runtime and turn its outcome into an exit code.
pub fn block_on(future: impl Future<Output = Result<(), RegisterError>>) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("lỗi: không khởi tạo được tokio: {error}");
            return EXIT_UNREADABLE;
        }
    };
    match runtime.block_on(future) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("lỗi: {error}");
            exit_code(&error)
        }
    }
}

/// Exit code for a register error: 1 when the request was understood but refused, 2 when the
/// database could not be used.
pub fn exit_code(error: &RegisterError) -> u8 {
    match error {
        RegisterError::AlreadyReceived { .. }
        | RegisterError::DuplicateNumber { .. }
        | RegisterError::DuplicateNumberSymbol { .. }
        | RegisterError::InvalidField { .. }
        | RegisterError::UnknownNumber { .. }
        | RegisterError::WrongState { .. }
        | RegisterError::YearMismatch { .. }
        | RegisterError::YearOutOfRange { .. } => EXIT_INVALID,
        _ => EXIT_UNREADABLE,
    }
}

/// The actor for CLI actions: the argument, else `cli:$USER`.
pub fn actor(arg: Option<&str>) -> Result<Actor, RegisterError> {
    match arg {
        Some(name) => Actor::new(name),
        None => Actor::new(&format!(
            "cli:{}",
            non_empty_env("USER").unwrap_or_else(|| "?".to_owned())
        )),
    }
}

async fn next(args: NextArgs) -> Result<(), RegisterError> {
    let now = OffsetDateTime::now_utc();
    let request = ReserveRequest {
        org: Org::new(&args.org)?,
        book: Book::new(&args.book)?,
        year: match args.year {
            Some(year) => Year::new(year)?,
            None => Year::new(i64::from(now.to_offset(offset!(+7)).year()))?,
        },
        actor: actor(args.actor.as_deref())?,
        at: now,
    };
    let register = open(&args.db).await?;
    let mut stdout = std::io::stdout().lock();
    for _ in 0..args.count {
        let request = ReserveRequest {
            at: OffsetDateTime::now_utc(),
            ..request.clone()
        };
        let reserved = numbering::reserve(&register, &request).await?;
        // Printed and flushed only after the commit: a number on stdout is on record.
        let printed = writeln!(stdout, "{}", reserved.key.word()).and_then(|()| stdout.flush());
        if printed.is_err() {
            // The reader went away (a closed pipe); the numbers taken so far are on record.
            break;
        }
    }
    drop(stdout);
    register.close().await;
    Ok(())
}

async fn list(args: ListArgs) -> Result<(), RegisterError> {
    let org = Org::new(&args.org)?;
    let year = Year::new(args.year)?;
    let register = open(&args.db).await?;
    if args.incoming {
        let entries = incoming::entries(&register, &org, year).await?;
        if args.csv {
            print!("{}", csv::incoming(&entries));
        } else {
            for entry in &entries {
                let receipt = &entry.receipt;
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    entry.key.word(),
                    entry.key.book,
                    crate::register::short_date(receipt.received_on),
                    receipt.number_symbol,
                    receipt.sender,
                    receipt.verdict
                );
            }
        }
    } else {
        let numbers = numbering::numbers(&register, &org, year).await?;
        let entries = outgoing::entries(&register, &org, year).await?;
        if args.csv {
            print!("{}", csv::outgoing(&numbers, &entries));
        } else {
            print_numbers(&numbers, &entries);
        }
    }
    register.close().await;
    Ok(())
}

fn print_numbers(numbers: &[numbering::NumberRecord], entries: &[outgoing::OutgoingEntry]) {
    for record in numbers {
        let detail = match entries.iter().find(|entry| entry.key == record.key) {
            Some(entry) => format!("{}\t{}", entry.number_symbol(), entry.type_and_summary),
            None => record
                .void_reason
                .as_ref()
                .map(|reason| format!("lý do: {reason}"))
                .unwrap_or_default(),
        };
        println!(
            "{}\t{}\t{}\t{}",
            record.key.book,
            record.key.word(),
            record.state,
            detail
        );
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
enum ExportError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("không in được sổ: {0}")]
    Pdf(#[from] crate::render::pdf::PdfError),
    #[error("không ghi được {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

fn export(args: ExportArgs) -> u8 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let outcome = match runtime {
        Ok(runtime) => runtime.block_on(export_run(&args)),
        Err(error) => Err(ExportError::Write {
            path: "(tokio)".to_owned(),
            source: error,
        }),
    };
    match outcome {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("lỗi: {error}");
            match &error {
                ExportError::Register(error) => exit_code(error),
                ExportError::Pdf(_) => EXIT_INVALID,
                ExportError::Write { .. } => EXIT_UNREADABLE,
            }
        }
    }
}

async fn export_run(args: &ExportArgs) -> Result<(), ExportError> {
    let org = Org::new(&args.org)?;
    let year = Year::new(args.year)?;
    let register = open(&args.db).await?;
    let cover = print::Cover {
        parent_name: args.parent_name.clone(),
        org_name: args.org_name.clone().unwrap_or_else(|| org.to_string()),
        volume: args.volume,
    };
    let now = OffsetDateTime::now_utc().to_offset(offset!(+7));
    let bytes = if args.incoming {
        let entries = incoming::entries(&register, &org, year).await?;
        register.close().await;
        match args.format {
            ExportFormat::Csv => csv::incoming(&entries).into_bytes(),
            ExportFormat::Pdf => print::incoming_pdf(&cover, &org, year, &entries, now)?.bytes,
        }
    } else {
        let numbers = numbering::numbers(&register, &org, year).await?;
        let entries = outgoing::entries(&register, &org, year).await?;
        register.close().await;
        match args.format {
            ExportFormat::Csv => csv::outgoing(&numbers, &entries).into_bytes(),
            ExportFormat::Pdf => {
                print::outgoing_pdf(&cover, &org, year, &numbers, &entries, now)?.bytes
            }
        }
    };
    let written = match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|source| (path.display().to_string(), source))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|source| ("(stdout)".to_owned(), source))
        }
    };
    written.map_err(|(path, source)| ExportError::Write { path, source })
}

async fn void(args: VoidArgs) -> Result<(), RegisterError> {
    let key = NumberKey {
        org: Org::new(&args.org)?,
        book: Book::new(&args.book)?,
        year: Year::new(args.year)?,
        number: args.number,
    };
    let actor = actor(args.actor.as_deref())?;
    let register = open(&args.db).await?;
    numbering::void(
        &register,
        &key,
        &args.reason,
        &actor,
        OffsetDateTime::now_utc(),
    )
    .await?;
    println!("đã hủy số {key}");
    register.close().await;
    Ok(())
}

/// What a benchmark run measured.
#[derive(Debug)]
struct BenchReport {
    backend: Backend,
    clients: u32,
    instances: u32,
    elapsed: Duration,
    numbers: usize,
    duplicates: usize,
    gaps: usize,
    recorded: usize,
    errors: usize,
    chain_entries: u64,
    chain_ok: bool,
}

/// Run `vanban bench-register`: print numbers/s, duplicates, gaps; exit 1 unless both are 0.
pub fn bench(args: BenchArgs) -> u8 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("lỗi: không khởi tạo được tokio: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let scratch = std::env::temp_dir().join(format!("vanban-bench-{}", std::process::id()));
    let result = runtime.block_on(bench_run(&args, &scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(report) => {
            print_report(&report);
            if report.duplicates == 0 && report.gaps == 0 && report.errors == 0 && report.chain_ok {
                EXIT_OK
            } else {
                EXIT_INVALID
            }
        }
        Err(error) => {
            eprintln!("lỗi: {error}");
            exit_code(&error)
        }
    }
}

async fn bench_run(args: &BenchArgs, scratch: &Path) -> Result<BenchReport, RegisterError> {
    let options = match &args.db {
        Some(url) => OpenOptions::new(url.clone()),
        None => OpenOptions::data_dir(scratch)?,
    };
    let clients = args.clients.max(1);
    let first = Register::open_with(&options).await?;
    let backend = first.backend();
    let instances = args
        .instances
        .unwrap_or(if backend == Backend::Postgres { 2 } else { 1 })
        .clamp(1, clients);
    let per_instance = clients.div_ceil(instances);
    let mut registers = Vec::new();
    for _ in 0..instances {
        registers.push(Register::open_with(&options.clone().max_connections(per_instance)).await?);
    }
    first.close().await;
    let now = OffsetDateTime::now_utc();
    let org = Org::new(&format!(
        "BENCH-{}-{}",
        std::process::id(),
        now.unix_timestamp()
    ))?;
    let template = Arc::new(ReserveRequest {
        org: org.clone(),
        book: Book::new("chung")?,
        year: Year::new(i64::from(now.year()))?,
        actor: Actor::new("bench")?,
        at: now,
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for client in 0..clients {
        let register = registers[(client % instances) as usize].clone();
        let request = Arc::clone(&template);
        tasks.push(tokio::spawn(async move {
            client_loop(register, request, deadline).await
        }));
    }
    let mut taken = Vec::new();
    let mut errors = 0;
    for task in tasks {
        match task.await {
            Ok((numbers, failed)) => {
                taken.extend(numbers);
                errors += failed;
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = started.elapsed();
    let recorded = numbering::numbers(&registers[0], &org, template.year)
        .await?
        .len();
    let chain = audit::verify(&registers[0]).await?;
    for register in &registers {
        register.close().await;
    }
    let (duplicates, gaps) = duplicates_and_gaps(&mut taken);
    Ok(BenchReport {
        backend,
        clients,
        instances,
        elapsed,
        numbers: taken.len(),
        duplicates,
        gaps,
        recorded,
        errors,
        chain_entries: chain.entries,
        chain_ok: chain.broken.is_none(),
    })
}

async fn client_loop(
    register: Register,
    request: Arc<ReserveRequest>,
    deadline: Instant,
) -> (Vec<u32>, usize) {
    let mut numbers = Vec::new();
    let mut errors = 0;
    while Instant::now() < deadline {
        match numbering::reserve(&register, &request).await {
            Ok(reserved) => numbers.push(reserved.key.number),
            Err(error) => {
                errors += 1;
                eprintln!("lỗi: {error}");
            }
        }
    }
    (numbers, errors)
}

/// Duplicates, and numbers missing from 1..=max.
fn duplicates_and_gaps(numbers: &mut [u32]) -> (usize, usize) {
    numbers.sort_unstable();
    let duplicates = numbers.windows(2).filter(|pair| pair[0] == pair[1]).count();
    let distinct = numbers.len() - duplicates;
    let max = numbers.last().copied().unwrap_or(0) as usize;
    (duplicates, max - distinct)
}

fn print_report(report: &BenchReport) {
    let seconds = report.elapsed.as_secs_f64();
    println!(
        "backend: {:?}\nclients: {} over {} instance(s)\nelapsed: {seconds:.2} s\nnumbers: {} \
         ({:.0}/s)\nduplicates: {}\ngaps: {}\nrecorded in register: {}\nerrors: {}\n\
         audit chain: {} entries, {}",
        report.backend,
        report.clients,
        report.instances,
        report.numbers,
        report.numbers as f64 / seconds.max(f64::EPSILON),
        report.duplicates,
        report.gaps,
        report.recorded,
        report.errors,
        report.chain_entries,
        if report.chain_ok {
            "verified"
        } else {
            "BROKEN"
        }
    );
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_duplicates_are_counted() {
        assert_eq!(duplicates_and_gaps(&mut [3, 1, 2]), (0, 0));
        assert_eq!(duplicates_and_gaps(&mut [1, 2, 2, 4]), (1, 1));
        assert_eq!(duplicates_and_gaps(&mut []), (0, 0));
    }
}

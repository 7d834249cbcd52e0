//! `vanban pki …`: the development PKI (hạ tầng khóa thử nghiệm).

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::pki::dev::{self, DevKeyAlgorithm, DevPkiOptions};
use crate::pki::keystore::{KeyProtection, Passphrase};

/// `vanban pki` arguments.
#[derive(Debug, Args)]
pub struct PkiArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PkiCommand,
}

/// The `pki` subcommands.
#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Generate a development PKI: root and intermediate CA, a leader's and an organisation's
    /// signing certificate, a TSA, an OCSP responder, a revoked certificate and a CRL. Private
    /// keys are written encrypted under the passphrase in VANBAN_PASSPHRASE (or typed at a prompt).
    Init {
        /// Output directory.
        #[arg(long, default_value = "certs/dev")]
        dir: PathBuf,
        /// Key algorithm for every certificate.
        #[arg(long, value_enum, default_value_t = AlgorithmArg::Rsa2048)]
        alg: AlgorithmArg,
        /// Replace an existing PKI in the directory.
        #[arg(long)]
        force: bool,
    },
}

/// Key algorithms on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// ECDSA P-256 (fast; for tests).
    P256,
    /// RSA-2048 (what Vietnamese CAs issue most).
    Rsa2048,
    /// RSA-3072.
    Rsa3072,
}

impl From<AlgorithmArg> for DevKeyAlgorithm {
    fn from(arg: AlgorithmArg) -> Self {
        match arg {
            AlgorithmArg::P256 => DevKeyAlgorithm::P256,
            AlgorithmArg::Rsa2048 => DevKeyAlgorithm::Rsa2048,
            AlgorithmArg::Rsa3072 => DevKeyAlgorithm::Rsa3072,
        }
    }
}

/// Run `vanban pki …`.
pub fn run(args: PkiArgs) -> u8 {
    match args.command {
        PkiCommand::Init { dir, alg, force } => init(&dir, alg.into(), force),
    }
}

fn init(dir: &Path, algorithm: DevKeyAlgorithm, force: bool) -> u8 {
    if dir.join("root.pem").exists() && !force {
        eprintln!(
            "lỗi: {} already holds a PKI (root.pem); pass --force to replace it",
            dir.display()
        );
        return EXIT_INVALID;
    }
    let passphrase = match Passphrase::from_env_or_prompt("Mật khẩu cho khóa bí mật: ", true)
    {
        Ok(passphrase) => passphrase,
        Err(error) => {
            eprintln!("lỗi: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let started = Instant::now();
    let pki = match dev::generate(&DevPkiOptions::new(algorithm)) {
        Ok(pki) => pki,
        Err(error) => {
            eprintln!("lỗi: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let generated = started.elapsed();
    match pki.write(dir, &passphrase, KeyProtection::STRONG) {
        Ok(paths) => {
            for path in paths {
                println!("{}", path.display());
            }
            eprintln!(
                "vanban pki init: {} certificates ({}) generated in {:.2} s, written encrypted in {:.2} s",
                pki.entities.len(),
                algorithm.name(),
                generated.as_secs_f64(),
                (started.elapsed() - generated).as_secs_f64()
            );
            EXIT_OK
        }
        Err(error) => {
            eprintln!("lỗi: {error}");
            EXIT_UNREADABLE
        }
    }
}

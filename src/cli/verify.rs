//! `vanban verify FILE` and `vanban bench-verify FILES…`.
//!
//! `verify`: trust anchors from `certs/trusted/` under the working directory plus every
//! `--trust` file; `--at` sets the validation time (RFC 3339, default now); `--online` allows
//! fetching CRLs and OCSP responses (off by default: verifying never phones home unless
//! asked). Exit 0 only when every signature is `valid` or `valid-with-allowed-changes`, 1
//! otherwise (including a file with no signature, and a PDF the strict reader refuses), 2
//! when the file cannot be read at all (missing, not a PDF, larger than the limit).
//!
//! `bench-verify`: the median time to verify each file (loaded from memory, the whole
//! pipeline), per file and per signature; with `--peers`, the same files through pyHanko's
//! in-process `validate_pdf_signature` (a Python script timing a loop) and poppler's `pdfsig`
//! (one process per run), in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Args;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::pki::revocation::{FetchLimits, NetworkPolicy, RevocationCache};
use crate::pki::trust::{TrustConfig, TrustStore};
use crate::verify::status::Lang;
use crate::verify::{self, Options};

/// The pyHanko timing script (also used by the interop tests).
const PYHANKO_BENCH: &str = include_str!("../../tests/interop/bench_pyhanko.py");

/// Arguments of `vanban verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The PDF to verify.
    pub file: PathBuf,
    /// Trust anchors, validation time, revocation sources.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Language of the report: vi or en.
    #[arg(long, default_value = "vi", value_parser = ["vi", "en"])]
    pub lang: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// How trust is established (shared by `verify` and `bench-verify`).
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// A trust anchor file (PEM or DER); repeatable. Added to certs/trusted/.
    #[arg(long = "trust", value_name = "PEM")]
    pub trust: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Allow fetching CRLs and OCSP responses over the network.
    #[arg(long)]
    pub online: bool,
    /// A directory of cached CRLs and OCSP responses.
    #[arg(long, value_name = "DIR")]
    pub revocation_cache: Option<PathBuf>,
}

/// Arguments of `vanban bench-verify`.
#[derive(Debug, Args)]
pub struct BenchVerifyArgs {
    /// Runs per file; the median is reported.
    #[arg(long, default_value_t = 50)]
    pub iterations: u32,
    /// Also time pyHanko (in-process loop) and pdfsig on the same files.
    #[arg(long)]
    pub peers: bool,
    /// Trust anchors, validation time, revocation sources.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Signed PDFs.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Run `vanban verify`.
pub fn run(args: &VerifyArgs) -> u8 {
    let lang = if args.lang == "en" {
        Lang::En
    } else {
        Lang::Vi
    };
    let options = match options(&args.trust) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("lỗi: {message}");
            return EXIT_UNREADABLE;
        }
    };
    let report = match verify::verify_file(&args.file, &options) {
        Ok(report) => report,
        Err(error) => {
            if args.json {
                let value = serde_json::json!({"verdict": "unreadable", "file": args.file.display().to_string(), "error": error.to_string()});
                println!("{value}");
            } else {
                eprintln!("lỗi: {error}");
            }
            return EXIT_UNREADABLE;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&report.to_json(lang)) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("lỗi: {error}");
                return EXIT_UNREADABLE;
            }
        }
    } else {
        print!("{}", report.to_text(lang));
    }
    match report.exit_code() {
        0 => EXIT_OK,
        _ => EXIT_INVALID,
    }
}

/// Resolve the trust arguments into verification options.
pub fn options(args: &TrustArgs) -> Result<Options, String> {
    let config = TrustConfig {
        base: Some(PathBuf::from(".")),
        dirs: Vec::new(),
        files: args.trust.clone(),
    };
    let anchors = TrustStore::load(&config).map_err(|e| e.to_string())?;
    let mut options = Options::new(anchors);
    if let Some(at) = &args.at {
        options.at = OffsetDateTime::parse(at, &Rfc3339)
            .map_err(|e| format!("--at {at}: không phải thời điểm RFC 3339 ({e})"))?;
    }
    if args.online {
        options.network = NetworkPolicy::Allowed(FetchLimits::default());
    }
    options.cache = args.revocation_cache.clone().map(|dir| RevocationCache {
        dir,
        writable: args.online,
    });
    Ok(options)
}

/// Run `vanban bench-verify`.
pub fn bench(args: &BenchVerifyArgs) -> u8 {
    let options = match options(&args.trust) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("lỗi: {message}");
            return EXIT_UNREADABLE;
        }
    };
    let iterations = args.iterations.max(1);
    println!(
        "{:<48} {:>9} {:>5} {:>12} {:>12} {:>12} {:>12}",
        "file", "bytes", "sigs", "vanban/file", "vanban/sig", "pyhanko/sig", "pdfsig/file"
    );
    let mut status = EXIT_OK;
    for file in &args.files {
        let Ok(bytes) = std::fs::read(file) else {
            eprintln!("lỗi: không đọc được {}", file.display());
            status = EXIT_UNREADABLE;
            continue;
        };
        let (median, signatures) = time_vanban(file, &bytes, &options, iterations);
        let per_signature = median / signatures.max(1) as u32;
        let (pyhanko, pdfsig) = if args.peers {
            (
                time_pyhanko(file, &args.trust.trust, iterations),
                time_pdfsig(file, &args.trust.trust, iterations.min(20)),
            )
        } else {
            (None, None)
        };
        println!(
            "{:<48} {:>9} {:>5} {:>12} {:>12} {:>12} {:>12}",
            short(file),
            bytes.len(),
            signatures,
            format_duration(Some(median)),
            format_duration(Some(per_signature)),
            format_duration(pyhanko),
            format_duration(pdfsig),
        );
    }
    status
}

fn time_vanban(file: &Path, bytes: &[u8], options: &Options, iterations: u32) -> (Duration, usize) {
    let name = file.display().to_string();
    let mut times = Vec::with_capacity(iterations as usize);
    let mut signatures = 0;
    for _ in 0..iterations {
        let copy = bytes.to_vec();
        let start = Instant::now();
        let report = verify::verify_bytes(&name, copy, options);
        times.push(start.elapsed());
        signatures = report.map(|r| r.signatures.len()).unwrap_or(0);
    }
    (median(&mut times), signatures)
}

/// pyHanko's median time per signature, from the script's last output line (seconds).
fn time_pyhanko(file: &Path, trust: &[PathBuf], iterations: u32) -> Option<Duration> {
    let dir = Scratch::new("pyhanko")?;
    let script = dir.0.join("bench_pyhanko.py");
    std::fs::write(&script, PYHANKO_BENCH).ok()?;
    let mut command = Command::new("python3");
    command
        .arg(&script)
        .arg("--iterations")
        .arg(iterations.to_string());
    for anchor in trust {
        command.arg("--trust").arg(anchor);
    }
    let output = command.arg(file).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let seconds: f64 = text
        .lines()
        .last()?
        .split_whitespace()
        .last()?
        .parse()
        .ok()?;
    Some(Duration::from_secs_f64(seconds))
}

/// pdfsig's median time per run (a process per run, as a user would call it).
fn time_pdfsig(file: &Path, trust: &[PathBuf], iterations: u32) -> Option<Duration> {
    let dir = Scratch::new("pdfsig")?;
    let db = format!("sql:{}", dir.0.display());
    let ok = Command::new("certutil")
        .args(["-N", "--empty-password", "-d", &db])
        .output()
        .ok()?
        .status
        .success();
    if !ok {
        return None;
    }
    for (index, anchor) in trust.iter().enumerate() {
        Command::new("certutil")
            .args([
                "-A",
                "-t",
                "C,,",
                "-n",
                &format!("anchor{index}"),
                "-d",
                &db,
                "-i",
            ])
            .arg(anchor)
            .output()
            .ok()?;
    }
    let mut times = Vec::new();
    for _ in 0..iterations {
        let start = Instant::now();
        Command::new("pdfsig")
            .args(["-nssdir", &db])
            .arg(file)
            .output()
            .ok()?;
        times.push(start.elapsed());
    }
    Some(median(&mut times))
}

/// A scratch directory under the system temp directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Option<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "vanban-bench-{label}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).ok()?;
        Some(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn format_duration(duration: Option<Duration>) -> String {
    match duration {
        Some(d) if d.as_secs_f64() < 1.0 => format!("{:.3} ms", d.as_secs_f64() * 1000.0),
        Some(d) => format!("{:.2} s", d.as_secs_f64()),
        None => "-".into(),
    }
}

fn short(file: &Path) -> String {
    let text = file.display().to_string();
    let count = text.chars().count();
    if count <= 48 {
        return text;
    }
    let tail: String = text.chars().skip(count - 45).collect();
    format!("...{tail}")
}

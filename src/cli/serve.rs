//! `vanban serve [--addr 127.0.0.1:8080] [--data DIR] [--db URL]`: the HTTP service. On a fresh
//! machine it needs nothing else: it creates the database (SQLite in the data directory unless
//! `--db` names PostgreSQL), a development PKI, the demo organisations and their users, and
//! prints the URL and the demo accounts (also in `DATA/demo-accounts.txt`, mode 0600).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use time::OffsetDateTime;

use crate::server::{self, AppState};
use crate::sign::pades::Level;
use crate::workflow::bootstrap::{self, StartOptions};

use super::register::{DbArgs, data_dir, open};
use super::{EXIT_OK, EXIT_UNREADABLE};

/// Arguments of `vanban serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
    /// Organisation profiles (YAML) [default: the two demo union bodies, DATA/profiles.yaml]
    #[arg(long, value_name = "FILE")]
    pub profiles: Option<PathBuf>,
    /// Another trust anchor (PEM or DER), besides certs/trusted/ and the development root.
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// RFC 3161 timestamp authority; both signatures become PAdES B-T.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Mark session cookies Secure (when served behind HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Keep files in this S3-compatible endpoint (http://host:port) instead of DATA/files;
    /// credentials from VANBAN_S3_ACCESS_KEY_ID and VANBAN_S3_SECRET_ACCESS_KEY.
    #[arg(long, value_name = "URL", requires = "s3_bucket")]
    pub s3_endpoint: Option<String>,
    /// The bucket for --s3-endpoint.
    #[arg(long, value_name = "BUCKET", requires = "s3_endpoint")]
    pub s3_bucket: Option<String>,
    /// Worker threads [default: the number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Run `vanban serve`.
pub fn run(args: &ServeArgs) -> u8 {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if let Some(threads) = args.threads {
        builder.worker_threads(threads.max(1));
    }
    let runtime = match builder.build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("lỗi: không khởi tạo được tokio: {error}");
            return EXIT_UNREADABLE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("lỗi: {message}");
            EXIT_UNREADABLE
        }
    }
}

async fn serve(args: &ServeArgs) -> Result<(), String> {
    let data = data_dir(args.db.data.as_deref());
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let register = open(&args.db).await.map_err(|e| e.to_string())?;
    let mut options = StartOptions::new(&data);
    options.profiles = args.profiles.clone();
    options.trust = args.trust.clone();
    if let (Some(endpoint), Some(bucket)) = (&args.s3_endpoint, &args.s3_bucket) {
        options.s3 = Some(
            crate::workflow::s3::S3Config::from_env(endpoint, bucket).map_err(|e| e.to_string())?,
        );
    }
    if let Some(tsa) = &args.tsa {
        options.tsa_url = Some(tsa.clone());
        options.level = Level::BT;
    }
    let (workflow, made) = bootstrap::start(register, options, OffsetDateTime::now_utc())
        .await
        .map_err(|e| e.to_string())?;
    let mut state = AppState::new(workflow)?;
    state.secure_cookies = args.secure_cookies;
    if let Some(made) = &made {
        println!(
            "Lần chạy đầu: đã tạo PKI thử nghiệm ({}) và các tài khoản:",
            made.root_pem.display()
        );
        print!("{}", bootstrap::accounts_table(&made.accounts));
        println!("(đã ghi vào {})", data.join("demo-accounts.txt").display());
    }
    server::serve(state, args.addr, |addr| {
        println!("vanban đang chạy: http://{addr}/  (Ctrl-C để dừng)");
    })
    .await
    .map_err(|e| format!("{}: {e}", args.addr))
}

//! `vanban audit`: check the hash chain of the audit log (nhật ký) and list its entries.

use clap::{Args, Subcommand};

use crate::register::{RegisterError, audit};

use super::register::{DbArgs, block_on, open};

/// Arguments of `vanban audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// What to do with the audit log.
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// The `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 1 and name the first broken link if it does not hold.
    Verify(VerifyArgs),
    /// Print entries as JSON lines, oldest first.
    List(ListArgs),
}

/// Arguments of `vanban audit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Arguments of `vanban audit list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries after this seq.
    #[arg(long, default_value_t = 0)]
    pub after: i64,
    /// At most this many entries.
    #[arg(long, default_value_t = 100)]
    pub limit: i64,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Run `vanban audit …`.
pub fn run(args: AuditArgs) -> u8 {
    match args.command {
        AuditCommand::Verify(args) => verify(args),
        AuditCommand::List(args) => block_on(list(args)),
    }
}

fn verify(args: VerifyArgs) -> u8 {
    let mut broken = false;
    let code = block_on(async {
        let register = open(&args.db).await?;
        let report = audit::verify(&register).await?;
        register.close().await;
        match &report.broken {
            None => println!(
                "nhật ký nguyên vẹn: {} mục, đầu chuỗi seq {} hash {}",
                report.entries, report.head_seq, report.head_hash
            ),
            Some(link) => {
                broken = true;
                println!("nhật ký bị sửa: {link}");
                println!(
                    "{} mục đầu nguyên vẹn; đầu chuỗi ghi seq {}",
                    report.entries, report.head_seq
                );
            }
        }
        Ok::<(), RegisterError>(())
    });
    if code == super::EXIT_OK && broken {
        super::EXIT_INVALID
    } else {
        code
    }
}

async fn list(args: ListArgs) -> Result<(), RegisterError> {
    let register = open(&args.db).await?;
    let limit = args.limit.clamp(1, 10_000);
    for record in audit::entries(&register, args.after, limit).await? {
        let line = serde_json::json!({
            "seq": record.seq,
            "at": record.at,
            "actor": record.actor,
            "action": record.action,
            "subject": record.subject,
            "details": serde_json::from_str::<serde_json::Value>(&record.details)
                .unwrap_or(serde_json::Value::String(record.details.clone())),
            "prev_hash": record.prev_hash,
            "hash": record.hash,
        });
        println!("{line}");
    }
    register.close().await;
    Ok(())
}

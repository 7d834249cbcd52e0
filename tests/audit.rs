//! The audit log on SQLite: tamper with rows by raw SQL and check that `audit::verify` and
//! `vanban audit verify` name the exact first broken link. tests/register_pg.rs runs the same
//! cases against PostgreSQL.

#[path = "register/scenarios.rs"]
mod scenarios;

use std::process::Command;

use scenarios::*;
use vanban::register::{Register, sqlite_url};

/// A fresh database with six entries. Call inside `run`: the pools belong to its runtime.
async fn fresh_with_six_entries() -> (tempfile::TempDir, String, Register) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("vanban.db")).expect("url");
    let register = Register::open(&url).await.expect("open");
    six_entries(&register).await;
    (dir, url, register)
}

#[test]
fn every_tamper_case_names_its_first_broken_link() {
    run(async {
        for case in TAMPER_CASES {
            let (_dir, url, register) = fresh_with_six_entries().await;
            let broken = tamper(&register, &url, case).await;
            println!("{}: {:?}", case.name, broken);
            assert_broken(&broken, case.seq, case.kind);
        }
    });
}

#[test]
fn append_only_triggers_refuse_raw_edits() {
    run(async {
        let (_dir, url, register) = fresh_with_six_entries().await;
        guards_refuse_edits(&url).await;
        assert_eq!(chain_verifies(&register).await, 6);
    });
}

#[test]
fn cli_audit_verify_reports_intact_and_broken_chains() {
    run(cli_audit_verify())
}

async fn cli_audit_verify() {
    let (dir, url, register) = fresh_with_six_entries().await;
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_vanban"))
            .args(["audit", "verify", "--data"])
            .arg(dir.path())
            .env_remove("VANBAN_DB")
            .output()
            .expect("run vanban")
    };
    let intact = verify();
    let stdout = String::from_utf8_lossy(&intact.stdout);
    assert!(intact.status.success(), "{stdout}");
    assert!(
        stdout.contains("nguyên vẹn: 6 mục, đầu chuỗi seq 6"),
        "{stdout}"
    );

    let broken = tamper(&register, &url, &TAMPER_CASES[0]).await;
    assert_broken(&broken, 3, "content");
    let output = verify();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("mắt xích 3 hỏng: nội dung đã bị sửa"),
        "{stdout}"
    );
    assert!(stdout.contains("2 mục đầu nguyên vẹn"), "{stdout}");

    let list = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["audit", "list", "--limit", "2", "--data"])
        .arg(dir.path())
        .output()
        .expect("run vanban");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["action"], "number.reserve");
    assert_eq!(lines[0]["prev_hash"], vanban::register::audit::GENESIS_HASH);
    assert_eq!(lines[1]["prev_hash"], lines[0]["hash"]);
}

//! The web pages end to end in headless Chromium: `tests/e2e/walk.mjs` (Playwright's
//! playwright-core driving Debian's `/usr/bin/chromium`) walks a document from the compose form
//! to issued to verified against a real `vanban serve`. `.ci/run` installs Chromium and runs
//! `npm ci` in tests/e2e; elsewhere, without them, the test says why and skips.

use std::path::Path;
use std::process::Command;

use vanban::cli::serve_bench::Instance;

const EXE: &str = env!("CARGO_BIN_EXE_vanban");

fn ready() -> Result<(), String> {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!("{chromium} missing (apt-get install chromium)"));
    }
    if !e2e.join("node_modules/playwright-core").is_dir() {
        return Err("tests/e2e/node_modules missing (npm ci --prefix tests/e2e)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("node missing".into());
    }
    Ok(())
}

#[test]
fn chromium_walks_a_document_from_draft_to_verified() {
    if let Err(why) = ready() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "under CI: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let data = dir.path().join("data");
    let server = Instance::spawn(Path::new(EXE), &data, None).expect("start vanban serve");
    let walk = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/walk.mjs"))
        .env("VANBAN_BASE", &server.base)
        .env("VANBAN_ACCOUNTS", data.join("demo-accounts.txt"))
        .env("VANBAN_OUT", &out)
        .output()
        .expect("run node");
    server.kill();
    let stdout = String::from_utf8_lossy(&walk.stdout);
    let stderr = String::from_utf8_lossy(&walk.stderr);
    if let Ok(keep) = std::env::var("VANBAN_E2E_OUT") {
        let _ = std::fs::create_dir_all(&keep);
        for entry in std::fs::read_dir(&out).into_iter().flatten().flatten() {
            let _ = std::fs::copy(entry.path(), Path::new(&keep).join(entry.file_name()));
        }
    }
    assert!(walk.status.success(), "walk failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("draft → submitted → signed → issued → verified"),
        "{stdout}"
    );
    for shot in ["1-draft.png", "3-issued.png", "4-verify.png"] {
        let bytes = std::fs::read(out.join(shot)).expect(shot);
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{shot}"
        );
    }
}

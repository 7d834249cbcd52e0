//! The real binary in temporary directories: `vanban demo` on every seed, and `vanban sign` in
//! each role (leader, văn thư, external prepare/complete with openssl as the external signer),
//! with the refusals' exit codes and the input left untouched. pyHanko judges the results;
//! on the demo's issued files also poppler's pdfsig and `qpdf --check`.

mod common {
    pub mod peers;
}

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::peers::{assert_trusted, nss_db, pyhanko, qpdf_check, run};

const PASSPHRASE: &str = "mật khẩu thử nghiệm";

fn vanban(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .current_dir(dir)
        .env("VANBAN_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("run vanban")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("seeds")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn demo_runs_the_whole_chain_on_every_seed() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("demo");
    let output = vanban(
        &["demo", "--out", &out.to_string_lossy(), "--alg", "p256"],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output));
    let summary = String::from_utf8_lossy(&output.stdout);
    let root = out.join("root.pem");
    assert!(root.is_file());
    let seeds = seeds();
    assert_eq!(seeds.len(), 5);
    // pdfsig's NSS database trusts the demo root and holds the dev intermediate's CRL, and
    // pdfsig runs with -no-ocsp: the dev certificates name an OCSP responder at
    // pki.vanban.invalid, which never resolves (tests/sign_cli.rs explains the setup).
    let db = nss_db(dir.path(), &[&root]);
    let spec = format!("sql:{}", db.display());
    let crl = out.join("pki/intermediate.crl");
    let (ok, _, err) = run(
        "crlutil",
        &["-I", "-B", "-d", &spec, "-i", &crl.to_string_lossy()],
    );
    assert!(ok, "crlutil -I: {err}");
    for seed in &seeds {
        assert!(summary.contains(seed.as_str()), "{summary}");
        let file = |suffix: &str| out.join(format!("{seed}{suffix}"));
        let draft = std::fs::read(file(".pdf")).expect("draft");
        let leader = std::fs::read(file(".leader.pdf")).expect("leader-signed");
        let signed = std::fs::read(file(".signed.pdf")).expect("signed");
        let docx = std::fs::read(file(".docx")).expect("docx");
        assert!(docx.starts_with(b"PK"), "{seed}.docx is a zip package");
        assert!(leader.starts_with(&draft), "{seed}: the draft is a prefix");
        assert!(
            signed.starts_with(&leader),
            "{seed}: the leader's revision is a prefix"
        );
        let records = pyhanko(&file(".signed.pdf"), &[&root], false);
        assert_eq!(records.len(), 2, "{seed}: {records:#?}");
        records.iter().for_each(assert_trusted);
        assert_eq!(records[0]["field"], "chu_ky");
        assert_eq!(records[0]["modification_level"], "FORM_FILLING");
        assert_eq!(records[0]["docmdp"], "FILL_FORMS");
        assert_eq!(records[1]["field"], "dau");
        assert_eq!(records[1]["modification_level"], "NONE");
        let (_, report, err) = run(
            "pdfsig",
            &[
                "-no-ocsp",
                "-nssdir",
                &spec,
                &file(".signed.pdf").to_string_lossy(),
            ],
        );
        assert_eq!(
            report
                .matches("Signature Validation: Signature is Valid.")
                .count(),
            2,
            "{seed}: pdfsig\n{report}{err}"
        );
        // pdfsig 22.12 trusts the first signature it checks in a run and reports "Unknown
        // issue with Certificate" for the second, whichever certificate that is (signing the
        // same draft with the two keys in the other order flips which one it doubts; NSS's
        // vfychain calls both chains good). pyHanko above trusts both.
        let statuses = common::peers::pdfsig_certificate_statuses(&report);
        assert_eq!(statuses.len(), 2, "{seed}: pdfsig\n{report}");
        assert!(
            statuses[0].contains("Certificate is Trusted."),
            "{seed}: {report}"
        );
        assert!(
            statuses[1].contains("Certificate is Trusted.")
                || statuses[1].contains("Unknown issue with Certificate"),
            "{seed}: {report}"
        );
        qpdf_check(&file(".signed.pdf"));
        // The number was assigned and the page reads "Số: 01/…".
        let (ok, page, _) = run(
            "pdftotext",
            &[
                "-f",
                "1",
                "-l",
                "1",
                &file(".signed.pdf").to_string_lossy(),
                "-",
            ],
        );
        assert!(ok);
        assert!(page.contains("01/"), "{seed}: {page}");
    }
}

#[test]
fn demo_without_a_passphrase_refuses_and_does_not_prompt() {
    let dir = tempfile::tempdir().expect("temp");
    let output = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["demo", "--out", "out"])
        .current_dir(dir.path())
        .env_remove("VANBAN_PASSPHRASE")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("VANBAN_PASSPHRASE"));
}

/// A P-256 dev PKI from `vanban pki init`, and the draft of seed 000 (no number, no date)
/// from `vanban render`.
fn setup(dir: &Path) -> PathBuf {
    let output = vanban(&["pki", "init", "--dir", "pki", "--alg", "p256"], dir);
    assert!(output.status.success(), "{}", text(&output));
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds/000_3c75d7606830ec8b.yaml");
    let output = vanban(&["render", &seed.to_string_lossy(), "-o", "draft.pdf"], dir);
    assert!(output.status.success(), "{}", text(&output));
    dir.join("draft.pdf")
}

fn key_args<'a>(who: &'a str, key: &'a mut String, chain: &'a mut String) -> Vec<&'a str> {
    *key = format!("pki/{who}-key.pem");
    *chain = format!("pki/{who}-chain.pem");
    vec!["--key", key.as_str(), "--cert", chain.as_str()]
}

#[test]
fn sign_cli_leader_then_vanthu_with_key_files_and_checks() {
    let dir = tempfile::tempdir().expect("temp");
    setup(dir.path());
    let (mut k, mut c) = (String::new(), String::new());
    let mut args = vec!["sign", "draft.pdf", "-o", "leader.pdf", "--certify"];
    args.extend(key_args("leader", &mut k, &mut c));
    args.extend(["--trust", "pki/root.pem", "--crl", "pki/intermediate.crl"]);
    let output = vanban(&args, dir.path());
    assert!(output.status.success(), "{}", text(&output));
    let (mut k2, mut c2) = (String::new(), String::new());
    let mut args = vec![
        "sign",
        "leader.pdf",
        "-o",
        "signed.pdf",
        "--field",
        "dau",
        "--number",
        "36",
        "--date",
        "2020-03-20",
        "--seal-text",
        "CÔNG ĐOÀN ĐƯỜNG SẮT VIỆT NAM *",
    ];
    args.extend(key_args("org", &mut k2, &mut c2));
    args.extend(["--trust", "pki/root.pem", "--crl", "pki/intermediate.crl"]);
    let output = vanban(&args, dir.path());
    assert!(output.status.success(), "{}", text(&output));
    let root = dir.path().join("pki/root.pem");
    let records = pyhanko(&dir.path().join("signed.pdf"), &[&root], false);
    assert_eq!(records.len(), 2);
    records.iter().for_each(assert_trusted);
    assert_eq!(records[0]["modification_level"], "FORM_FILLING");
    assert_eq!(records[1]["modification_level"], "NONE");
    let (_, page, _) = run(
        "pdftotext",
        &[
            "-f",
            "1",
            "-l",
            "1",
            &dir.path().join("signed.pdf").to_string_lossy(),
            "-",
        ],
    );
    assert!(page.contains("36/KH-CĐĐS"), "{page}");
}

#[test]
fn sign_cli_refusals_have_exit_codes_and_leave_the_input_untouched() {
    let dir = tempfile::tempdir().expect("temp");
    let draft = setup(dir.path());
    let before = std::fs::read(&draft).expect("read");
    // A revoked certificate: refused (1), nothing written.
    let (mut k, mut c) = (String::new(), String::new());
    let mut args = vec!["sign", "draft.pdf", "-o", "out.pdf", "--certify"];
    args.extend(key_args("revoked", &mut k, &mut c));
    args.extend(["--trust", "pki/root.pem", "--crl", "pki/intermediate.crl"]);
    let output = vanban(&args, dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("revoked") || text(&output).contains("thu hồi"),
        "{}",
        text(&output)
    );
    assert!(!dir.path().join("out.pdf").exists());
    assert!(!dir.path().join("out.pdf.part").exists());
    assert_eq!(
        std::fs::read(&draft).expect("read"),
        before,
        "input untouched"
    );
    // No trust anchor for the signer: refused too.
    let (mut k, mut c) = (String::new(), String::new());
    let mut args = vec!["sign", "draft.pdf", "-o", "out.pdf"];
    args.extend(key_args("leader", &mut k, &mut c));
    let output = vanban(&args, dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    // Not a PDF: unreadable (2). Same input and output: misuse (2).
    std::fs::write(dir.path().join("bad.pdf"), b"%PDF-1.7 garbage").expect("write");
    let (mut k, mut c) = (String::new(), String::new());
    let mut args = vec!["sign", "bad.pdf", "-o", "out.pdf", "--no-check"];
    args.extend(key_args("leader", &mut k, &mut c));
    let output = vanban(&args, dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let (mut k, mut c) = (String::new(), String::new());
    let mut args = vec!["sign", "draft.pdf", "-o", "draft.pdf", "--no-check"];
    args.extend(key_args("leader", &mut k, &mut c));
    let output = vanban(&args, dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert_eq!(
        std::fs::read(&draft).expect("read"),
        before,
        "input untouched"
    );
}

#[test]
fn sign_cli_external_prepare_openssl_signs_the_digest_then_complete() {
    let dir = tempfile::tempdir().expect("temp");
    setup(dir.path());
    let output = vanban(
        &[
            "sign",
            "draft.pdf",
            "--external-prepare",
            "state.json",
            "--cert",
            "pki/leader-chain.pem",
            "--certify",
            "--trust",
            "pki/root.pem",
            "--crl",
            "pki/intermediate.crl",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output));
    let digest_hex = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert_eq!(
        digest_hex.len(),
        64,
        "a SHA-256 digest in hex: {digest_hex}"
    );
    let digest: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&digest_hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    std::fs::write(dir.path().join("digest.bin"), digest).expect("write");
    // The "token": openssl signs the digest with the (encrypted) key file.
    let status = Command::new("openssl")
        .args([
            "pkeyutl",
            "-sign",
            "-inkey",
            "pki/leader-key.pem",
            "-passin",
            "env:VANBAN_PASSPHRASE",
            "-in",
            "digest.bin",
            "-out",
            "sig.bin",
        ])
        .current_dir(dir.path())
        .env("VANBAN_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("openssl");
    assert!(status.status.success(), "{}", text(&status));
    let output = vanban(
        &[
            "sign",
            "--external-complete",
            "state.json",
            "--signature",
            "sig.bin",
            "--chain",
            "pki/leader-chain.pem",
            "-o",
            "signed.pdf",
            "--trust",
            "pki/root.pem",
            "--crl",
            "pki/intermediate.crl",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output));
    let root = dir.path().join("pki/root.pem");
    let records = pyhanko(&dir.path().join("signed.pdf"), &[&root], false);
    assert_eq!(records.len(), 1);
    assert_trusted(&records[0]);
    assert_eq!(records[0]["docmdp"], "FILL_FORMS");
}

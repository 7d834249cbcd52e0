//! The verifier on PDFs that real peers signed (issue 7): pyHanko (approval RSA and P-256,
//! certification P=1/2/3, two signatures, PAdES B-T, B-LT and B-LTA with a real RFC 3161 TSA on
//! 127.0.0.1), endesive (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA P-256), poppler's
//! `pdfsig -add-signature`, and hostile incremental updates written with pyHanko's own writer on
//! top of them (`tests/interop/make_corpus.py` makes the corpus).
//!
//! Every file is judged three ways: `vanban verify --json`, pyHanko's validator
//! (`tests/common/pyhanko_validate.py`; revocation from the DSS alone for B-LT and B-LTA) and
//! pdfsig. The test prints the table (also written to `target/tmp/interop/AGREEMENT.md`) and
//! fails on a surprise: our verdict is not the one [`EXPECTED`] gives, a file appears that the
//! table does not know (or one it knows is missing), or vanban and pyHanko disagree on whether a
//! file passes and `tests/interop/DIVERGENCES.md` does not list the file with its reason — or
//! lists it while the two now agree (STYLE.md habit 11: known divergences, each with a reason;
//! the run fails only on surprises).

mod common {
    pub mod peers;
    pub mod tsa;
}

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::peers::{Scratch, nss_db, pyhanko, run};
use common::tsa::TestTsa;

/// What vanban must answer for each corpus file (the file verdict), and why.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("pyhanko_approval_rsa.pdf", "valid", "approval, RSA-2048"),
    ("pyhanko_approval_ecdsa.pdf", "valid", "approval, P-256"),
    ("pyhanko_certify_p1.pdf", "valid", "certification, P=1"),
    ("pyhanko_certify_p2.pdf", "valid", "certification, P=2"),
    ("pyhanko_certify_p3.pdf", "valid", "certification, P=3"),
    (
        "pyhanko_two_signatures.pdf",
        "valid",
        "a second approval signature in a later revision",
    ),
    ("pyhanko_pades_bt.pdf", "valid", "PAdES B-T"),
    ("pyhanko_pades_blt.pdf", "valid", "PAdES B-LT (DSS)"),
    ("pyhanko_pades_blta.pdf", "valid", "PAdES B-LTA"),
    (
        "untrusted_signer.pdf",
        "untrusted",
        "signed under a root that is not trusted",
    ),
    ("endesive_rsa.pdf", "valid", "endesive, RSA PKCS#1 v1.5"),
    ("endesive_pss.pdf", "valid", "endesive, RSASSA-PSS"),
    (
        "endesive_ecdsa.pdf",
        "invalid-crypto",
        "endesive, ECDSA P-256 whose SignerInfo names rsaEncryption: mismatched algorithm identifiers",
    ),
    (
        "pdfsig_rsa.pdf",
        "valid",
        "pdfsig, adbe.pkcs7.detached, RSA",
    ),
    (
        "pdfsig_ecdsa.pdf",
        "valid",
        "pdfsig, adbe.pkcs7.detached, P-256",
    ),
    (
        "mod_content_after_approval.pdf",
        "invalid-modified",
        "page content replaced after a pyHanko signature",
    ),
    (
        "mod_content_after_endesive.pdf",
        "invalid-modified",
        "page content replaced after an endesive signature",
    ),
    (
        "mod_content_after_pdfsig.pdf",
        "invalid-modified",
        "page content replaced after a pdfsig signature",
    ),
    (
        "mod_fill_after_p1.pdf",
        "invalid-modified",
        "a form field filled under P=1 (no changes)",
    ),
    (
        "mod_fill_after_p2.pdf",
        "valid-with-allowed-changes",
        "a form field filled under P=2",
    ),
    (
        "mod_annot_after_p2.pdf",
        "invalid-modified",
        "an annotation added under P=2",
    ),
    (
        "mod_annot_after_p3.pdf",
        "valid-with-allowed-changes",
        "an annotation added under P=3",
    ),
    (
        "mod_flipped_byte.pdf",
        "invalid-modified",
        "one byte flipped inside the signed range",
    ),
];

/// The base document: an unnumbered draft (a Tờ trình), so it carries the number and date
/// text fields beside the two signature fields.
const SEED: &str = "tests/fixtures/extra/to_trinh_khen_thuong.yaml";

/// One file's three answers.
struct Row {
    file: String,
    maker: String,
    ours: String,
    ours_signatures: Vec<String>,
    ours_exit: Option<i32>,
    pyhanko: Vec<Value>,
    pdfsig: String,
}

impl Row {
    fn ours_passes(&self) -> bool {
        self.ours_exit == Some(0)
    }

    /// pyHanko's bottom line: every signature passes (intact, valid, trusted, and changes
    /// after it allowed), and there is at least one.
    fn pyhanko_passes(&self) -> bool {
        !self.pyhanko.is_empty() && self.pyhanko.iter().all(pyhanko_signature_passes)
    }
}

fn pyhanko_signature_passes(record: &Value) -> bool {
    if record.get("error").is_some() {
        return false;
    }
    let fact = |name: &str| record[name] == Value::Bool(true);
    let bottom_line = match &record["bottom_line"] {
        Value::Bool(b) => *b,
        _ => true,
    };
    fact("intact") && fact("valid") && fact("trusted") && bottom_line
}

/// pyHanko's answer for one signature, short: "ok", or the first fact that failed.
fn pyhanko_summary(record: &Value) -> String {
    if let Some(error) = record.get("error").and_then(Value::as_str) {
        let short: String = error.chars().take(60).collect();
        return format!("error: {short}");
    }
    for fact in ["intact", "valid", "trusted"] {
        if record[fact] != Value::Bool(true) {
            return format!("not {fact}");
        }
    }
    let level = record["modification_level"].as_str().unwrap_or("-");
    if record["bottom_line"] == Value::Bool(false) {
        return format!("modified ({level})");
    }
    format!("ok ({level})")
}

/// pdfsig's answer per signed field: "valid/trusted", with "partial" when it says the
/// signature does not cover the whole file (its unsigned fields are left out).
fn pdfsig_summary(report: &str) -> String {
    report
        .split("Signature #")
        .skip(1)
        .filter(|part| !part.contains("is not signed"))
        .map(|part| {
            let valid = if part.contains("Signature is Valid.") {
                "valid"
            } else {
                "INVALID"
            };
            let trusted = if part.contains("Certificate is Trusted.") {
                "trusted"
            } else {
                "untrusted"
            };
            let covered = if part.contains("Total document signed") {
                ""
            } else {
                ", partial"
            };
            format!("{valid}/{trusted}{covered}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn vanban(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run vanban")
}

/// `vanban render` of the seed into DIR/base.pdf.
fn base_pdf(dir: &Path) -> PathBuf {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let base = dir.join("base.pdf");
    let output = vanban(
        &[
            "render",
            &seed.to_string_lossy(),
            "-o",
            &base.to_string_lossy(),
        ],
        dir,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    base
}

/// Run the corpus script; returns {file: maker}.
fn make_corpus(out: &Path, base: &Path, tsa: &TestTsa) -> BTreeMap<String, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/make_corpus.py");
    let (ok, stdout, stderr) = run(
        "python3",
        &[
            &script.to_string_lossy(),
            &out.to_string_lossy(),
            &base.to_string_lossy(),
            "--tsa",
            &tsa.url,
            "--tsa-root",
            &tsa.root_pem.to_string_lossy(),
        ],
    );
    assert!(
        ok,
        "make_corpus.py failed (pip install pyHanko endesive 'pypdf<6'; see .ci/run):\n{stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("corpus list ({e}): {stdout}"))
}

/// vanban's JSON report on `file`.
fn ours(file: &Path, roots: &[&Path]) -> (Option<i32>, Value) {
    let mut args = vec![
        "verify".to_owned(),
        "--json".to_owned(),
        file.to_string_lossy().into_owned(),
    ];
    for root in roots {
        args.push("--trust".into());
        args.push(root.to_string_lossy().into_owned());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = file.parent().expect("dir");
    let output = vanban(&refs, dir);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "vanban verify {} printed no JSON ({e}): {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

/// pdfsig's report with an NSS database that trusts the corpus root and holds its CRL.
fn pdfsig(file: &Path, db: &Path) -> String {
    let spec = format!("sql:{}", db.display());
    let (_, out, err) = run(
        "pdfsig",
        &["-no-ocsp", "-nssdir", &spec, &file.to_string_lossy()],
    );
    format!("{out}{err}")
}

/// `tests/interop/DIVERGENCES.md`: lines "- `FILE`: reason".
fn divergences() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/DIVERGENCES.md");
    let text = std::fs::read_to_string(&path).expect("tests/interop/DIVERGENCES.md");
    text.lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split_once("`: "))
        .map(|(file, reason)| (file.to_owned(), reason.trim().to_owned()))
        .collect()
}

fn table(rows: &[Row], known: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "| file | signed by | vanban | pyHanko | pdfsig | agree |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let hanko: Vec<String> = row.pyhanko.iter().map(pyhanko_summary).collect();
        let agree = if row.ours_passes() == row.pyhanko_passes() {
            "yes"
        } else if known.contains_key(&row.file) {
            "no (listed)"
        } else {
            "NO"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} ({}) | {} | {} | {} |",
            row.file,
            row.maker,
            row.ours,
            row.ours_signatures.join(", "),
            hanko.join("; "),
            pdfsig_summary(&row.pdfsig),
            agree
        );
    }
    out
}

#[test]
fn peer_signed_files_get_the_expected_verdicts_and_agree_with_pyhanko() {
    let scratch = Scratch::new("verify-interop", "corpus");
    let dir = scratch.path();
    let tsa = TestTsa::start();
    let base = base_pdf(dir);
    let out = dir.join("corpus");
    let made = make_corpus(&out, &base, &tsa);

    let expected: BTreeMap<&str, &str> = EXPECTED.iter().map(|(f, v, _)| (*f, *v)).collect();
    let made_names: Vec<&str> = made.keys().map(String::as_str).collect();
    let expected_names: Vec<&str> = expected.keys().copied().collect();
    assert_eq!(made_names, expected_names, "the corpus and EXPECTED differ");

    let root = out.join("root.pem");
    let roots = [root.as_path(), tsa.root_pem.as_path()];
    let db = nss_db(&out, &roots);
    let spec = format!("sql:{}", db.display());
    let (ok, _, err) = run(
        "crlutil",
        &[
            "-I",
            "-d",
            &spec,
            "-i",
            &out.join("root.crl").to_string_lossy(),
        ],
    );
    assert!(ok, "crlutil -I: {err}");

    let mut rows = Vec::new();
    for (file, maker) in &made {
        let path = out.join(file);
        let (exit, report) = ours(&path, &roots);
        let signatures = report["signatures"].as_array().cloned().unwrap_or_default();
        let dss = file.contains("_blt");
        rows.push(Row {
            file: file.clone(),
            maker: maker.clone(),
            ours: report["verdict"].as_str().unwrap_or("?").to_owned(),
            ours_signatures: signatures
                .iter()
                .map(|s| {
                    format!(
                        "{}: {} {}",
                        s["field"].as_str().unwrap_or("?"),
                        s["verdict"].as_str().unwrap_or("?"),
                        s["pades_level"].as_str().unwrap_or("")
                    )
                })
                .collect(),
            ours_exit: exit,
            pyhanko: pyhanko(&path, &roots, dss),
            pdfsig: pdfsig(&path, &db),
        });
    }

    let known = divergences();
    let report = table(&rows, &known);
    println!("{report}");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop");
    std::fs::create_dir_all(&target).expect("dir");
    std::fs::write(target.join("AGREEMENT.md"), &report).expect("write");

    let mut surprises = Vec::new();
    for row in &rows {
        let want = expected[row.file.as_str()];
        if row.ours != want {
            surprises.push(format!(
                "{}: vanban says {}, expected {want}",
                row.file, row.ours
            ));
        }
        let agree = row.ours_passes() == row.pyhanko_passes();
        match (agree, known.get(&row.file)) {
            (false, None) => surprises.push(format!(
                "{}: vanban {} but pyHanko {}; not in DIVERGENCES.md",
                row.file,
                if row.ours_passes() { "passes" } else { "fails" },
                if row.pyhanko_passes() {
                    "passes"
                } else {
                    "fails"
                },
            )),
            (true, Some(reason)) => surprises.push(format!(
                "{}: listed as a divergence ({reason}) but vanban and pyHanko agree now",
                row.file
            )),
            _ => {}
        }
    }
    for file in known.keys() {
        if !expected.contains_key(file.as_str()) {
            surprises.push(format!(
                "DIVERGENCES.md lists {file}, which is not in the corpus"
            ));
        }
    }
    assert!(surprises.is_empty(), "{}\n{report}", surprises.join("\n"));

    // pyHanko's PAdES files reach the level they were made at (its B-LTA writes the DSS and the
    // document timestamp in one update: the timestamp covers the DSS).
    for (file, level) in [
        ("pyhanko_pades_bt.pdf", "B-T"),
        ("pyhanko_pades_blt.pdf", "B-LT"),
        ("pyhanko_pades_blta.pdf", "B-LTA"),
    ] {
        let (_, report) = ours(&out.join(file), &roots);
        assert_eq!(
            report["signatures"][0]["pades_level"], level,
            "{file}: {report:#}"
        );
    }

    // Every peer-signed file that passes carries the facts a clerk reads.
    for (file, _, _) in EXPECTED.iter().filter(|(_, v, _)| *v == "valid") {
        let (_, report) = ours(&out.join(file), &roots);
        for signature in report["signatures"].as_array().expect("signatures") {
            assert_eq!(signature["intact"], true, "{file}: {signature:#}");
            assert!(
                signature["signer"]["name"]
                    .as_str()
                    .is_some_and(|n| !n.is_empty()),
                "{file}: a signer name: {signature:#}"
            );
        }
    }
}

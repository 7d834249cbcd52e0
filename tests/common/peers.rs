//! Real peers that judge our signed PDFs: pyHanko (library, through a small Python script),
//! poppler's pdfsig with an NSS database, qpdf, openssl cms. A missing peer fails the test in
//! CI (`CI=true`); elsewhere it fails too, with the install hint, because a check that does not
//! run proves nothing (STYLE.md habit 11).
#![allow(dead_code)] // each test binary uses part of the shared helpers

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use vanban::pdf::{Document, Object};

/// Run a program; panic with a clear message when it is not installed.
pub fn run(program: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "peer `{program}` is missing ({error}); install it (see .ci/run){}",
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    " — CI must provide every peer"
                } else {
                    ""
                }
            )
        });
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// pyHanko's verdict on every signature of `file`, one JSON object each (see
/// `tests/common/pyhanko_validate.py`).
pub fn pyhanko(file: &Path, roots: &[&Path], dss: bool) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/pyhanko_validate.py");
    let mut args = vec![
        script.to_string_lossy().into_owned(),
        file.to_string_lossy().into_owned(),
    ];
    for root in roots {
        args.push("--trust".into());
        args.push(root.to_string_lossy().into_owned());
    }
    if dss {
        args.push("--dss".into());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, out, err) = run("python3", &refs);
    assert!(
        ok,
        "pyHanko script failed (pip install pyhanko pyhanko-certvalidator):\n{err}"
    );
    match serde_json::from_str::<Value>(&out) {
        Ok(Value::Array(items)) => items,
        other => panic!("pyHanko script printed no JSON list: {other:?}\n{out}\n{err}"),
    }
}

/// Assert a pyHanko record is intact, valid and trusted, with no error.
pub fn assert_trusted(record: &Value) {
    assert!(record.get("error").is_none(), "pyHanko error: {record:#}");
    for fact in ["intact", "valid", "trusted"] {
        assert_eq!(
            record[fact],
            Value::Bool(true),
            "{fact} is not true: {record:#}"
        );
    }
}

/// `qpdf --check` finds no problem.
pub fn qpdf_check(file: &Path) {
    let (ok, out, err) = run("qpdf", &["--check", &file.to_string_lossy()]);
    assert!(ok, "qpdf --check failed:\n{out}\n{err}");
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "qpdf --check:\n{out}\n{err}"
    );
    assert!(
        !out.contains("WARNING") && !err.contains("WARNING"),
        "qpdf warns:\n{out}\n{err}"
    );
}

/// An NSS database in `dir` trusting the PEM roots (for pdfsig). The trust flags are `C,C,C`:
/// pdfsig checks the signer for S/MIME (email signer) use, which `C,,` (SSL only) does not
/// cover, so a root trusted only for SSL shows as "Certificate issuer isn't Trusted".
pub fn nss_db(dir: &Path, roots: &[&Path]) -> PathBuf {
    let db = dir.join("nssdb");
    std::fs::create_dir_all(&db).expect("nss dir");
    let spec = format!("sql:{}", db.display());
    let (ok, _, err) = run("certutil", &["-N", "-d", &spec, "--empty-password"]);
    assert!(ok, "certutil -N: {err}");
    for (i, root) in roots.iter().enumerate() {
        let nick = format!("root{i}");
        let (ok, _, err) = run(
            "certutil",
            &[
                "-A",
                "-d",
                &spec,
                "-n",
                &nick,
                "-t",
                "C,C,C",
                "-a",
                "-i",
                &root.to_string_lossy(),
            ],
        );
        assert!(ok, "certutil -A: {err}");
    }
    db
}

/// pdfsig's report; panics unless it ran.
pub fn pdfsig(file: &Path, db: &Path) -> String {
    let spec = format!("sql:{}", db.display());
    let (_, out, err) = run("pdfsig", &["-nssdir", &spec, &file.to_string_lossy()]);
    assert!(
        out.contains("Signature #1"),
        "pdfsig found no signature:\n{out}\n{err}"
    );
    out
}

/// pdfsig's "Certificate Validation:" line of each signature, in order.
pub fn pdfsig_certificate_statuses(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| line.contains("Certificate Validation:"))
        .collect()
}

/// Each signature's CMS and the bytes its `/ByteRange` covers, read from the file.
pub fn signatures(bytes: &[u8]) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let doc = Document::load(bytes.to_vec()).expect("loads");
    let mut out = Vec::new();
    for field in doc.fields().expect("fields") {
        let Some(reference) = field.dict.get("V").and_then(Object::as_reference) else {
            continue;
        };
        let Ok(Object::Dict(sig)) = doc.get(reference) else {
            continue;
        };
        let Some(contents) = sig.get("Contents").and_then(Object::as_string) else {
            continue;
        };
        let range: Vec<usize> = sig
            .get("ByteRange")
            .and_then(Object::as_array)
            .expect("ByteRange")
            .iter()
            .map(|v| v.as_i64().expect("integer") as usize)
            .collect();
        let mut signed = bytes[range[0]..range[0] + range[1]].to_vec();
        signed.extend_from_slice(&bytes[range[2]..range[2] + range[3]]);
        let cms = trim_der(&contents.bytes);
        out.push((field.name.clone(), cms, signed));
    }
    out
}

/// The DER value at the start of `bytes` (the `/Contents` string is zero-padded).
pub fn trim_der(bytes: &[u8]) -> Vec<u8> {
    let len = match bytes.get(1) {
        Some(&l) if l < 0x80 => 2 + l as usize,
        Some(&l) => {
            let n = (l & 0x7f) as usize;
            let mut len = 0usize;
            for b in &bytes[2..2 + n] {
                len = len * 256 + *b as usize;
            }
            2 + n + len
        }
        None => 0,
    };
    bytes[..len.min(bytes.len())].to_vec()
}

/// `openssl cms -verify` of a detached CMS over `content`, trusting `roots` (PEM, one file).
pub fn openssl_cms_verify(
    dir: &Path,
    name: &str,
    cms: &[u8],
    content: &[u8],
    roots: &Path,
) -> (bool, String) {
    let sig = dir.join(format!("{name}.p7s"));
    let data = dir.join(format!("{name}.bin"));
    std::fs::write(&sig, cms).expect("write cms");
    std::fs::write(&data, content).expect("write content");
    let (ok, out, err) = run(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-purpose",
            "any",
            "-in",
            &sig.to_string_lossy(),
            "-content",
            &data.to_string_lossy(),
            "-CAfile",
            &roots.to_string_lossy(),
            "-out",
            "/dev/null",
        ],
    );
    (ok, format!("{out}{err}"))
}

/// A scratch directory for one test, removed when dropped unless `VANBAN_KEEP_TEST_OUTPUT` is
/// set (then its path is printed, to look at the PDFs).
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// `$TMPDIR/vanban-<suite>-<pid>-<name>`, created empty.
    pub fn new(suite: &str, name: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("vanban-{suite}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("scratch dir");
        Scratch { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::env::var_os("VANBAN_KEEP_TEST_OUTPUT").is_some() {
            eprintln!("kept {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

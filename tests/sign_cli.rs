//! `vanban sign` from the command line in the modes tests/demo_cli.rs does not drive, each
//! result judged by real peers: a PKCS#12 file made by `openssl pkcs12` (AES and legacy 3DES),
//! a key on a SoftHSM2 token through `--pkcs11-module`, B-T / B-LT / B-LTA with a real RFC 3161
//! TSA (`openssl ts`) on 127.0.0.1; pdfsig, qpdf and pyHanko judge each result (the demo's
//! issued files are judged the same way in tests/demo_cli.rs).
//!
//! Peers: `vanban verify --json`, pyHanko (tests/common/pyhanko_validate.py), poppler's pdfsig
//! and `qpdf --check`. pdfsig's NSS database trusts the dev root and holds the dev
//! intermediate's CRL, and pdfsig runs with `-no-ocsp`: the dev certificates name an OCSP
//! responder at pki.vanban.invalid, which never resolves, and with it poppler 22.12 reports
//! "Unknown issue with Certificate" (see tests/sign_peers.rs). With the CRL in the database
//! NSS has fresh revocation information and calls the certificate trusted, and a revoked
//! certificate "revoked" — which is the control that pdfsig really checks.

mod common {
    pub mod peers;
    pub mod token;
    pub mod tsa;
}

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rcgen::{CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair, SerialNumber};
use serde_json::Value;
use vanban::pki::keystore::{self, Passphrase};

use common::peers::{Scratch, assert_trusted, nss_db, pyhanko, qpdf_check, run};
use common::tsa::TestTsa;

/// The dev PKI's key passphrase (`vanban pki init`, `vanban demo`).
const PASSPHRASE: &str = "mật khẩu thử nghiệm";
/// The PKCS#12 password (non-ASCII on purpose: BMPString for 3DES, UTF-8 for PBES2).
const P12_PASSWORD: &str = "mật khẩu tệp .p12";
/// The seed rendered as the draft.
const SEED: &str = "tests/fixtures/seeds/002_95e55954b96b2b89.yaml";

fn vanban(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vanban"));
    command
        .args(args)
        .current_dir(dir)
        .env("VANBAN_PASSPHRASE", PASSPHRASE)
        .env_remove("VANBAN_PIN")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run vanban")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `vanban pki init --alg ALG` into DIR/pki and `vanban render` of the seed into DIR/draft.pdf.
fn setup(dir: &Path, alg: &str) {
    let output = vanban(&["pki", "init", "--dir", "pki", "--alg", alg], dir, &[]);
    assert!(output.status.success(), "{}", text(&output));
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let output = vanban(
        &["render", &seed.to_string_lossy(), "-o", "draft.pdf"],
        dir,
        &[],
    );
    assert!(output.status.success(), "{}", text(&output));
}

/// A private key of the dev PKI (`pki/NAME-key.pem`, encrypted PKCS#8), as PKCS#8 DER.
fn decrypted_key(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(format!("pki/{name}-key.pem"));
    let bytes = std::fs::read(&path).expect("key file");
    keystore::decrypt_pkcs8(&bytes, &Passphrase::new(PASSPHRASE), &path)
        .expect("decrypts")
        .to_vec()
}

/// The dev root's CRL (nothing revoked), signed with the root key: `vanban pki init` writes
/// only the intermediate's, and the intermediate certificate points at the root's.
fn root_crl(dir: &Path) -> PathBuf {
    let key = KeyPair::try_from(decrypted_key(dir, "root").as_slice()).expect("root key");
    let pem = std::fs::read_to_string(dir.join("pki/root.pem")).expect("root");
    let issuer = Issuer::from_ca_cert_pem(&pem, key).expect("root as issuer");
    let now = time::OffsetDateTime::now_utc();
    let params = CertificateRevocationListParams {
        this_update: now - time::Duration::hours(1),
        next_update: now + time::Duration::days(30),
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let crl = params.signed_by(&issuer).expect("root CRL").der().to_vec();
    let path = dir.join("pki/root.crl");
    std::fs::write(&path, crl).expect("write");
    path
}

/// `vanban verify --json` with the trust anchors; returns the exit code and the report.
fn verify(dir: &Path, file: &str, roots: &[&Path]) -> (Option<i32>, Value) {
    let mut args = vec!["verify".to_owned(), "--json".to_owned(), file.to_owned()];
    for root in roots {
        args.extend(["--trust".to_owned(), root.to_string_lossy().into_owned()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = vanban(&refs, dir, &[]);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("verify printed no JSON ({e}): {}", text(&output)));
    (output.status.code(), report)
}

/// Assert vanban's verdict: valid, every signature valid and trusted, at `levels` in order.
fn assert_verified(dir: &Path, file: &str, roots: &[&Path], levels: &[&str]) -> Value {
    let (code, report) = verify(dir, file, roots);
    assert_eq!(code, Some(0), "vanban verify {file}: {report:#}");
    assert_eq!(report["verdict"], "valid", "{report:#}");
    let signatures = report["signatures"].as_array().expect("signatures");
    let found: Vec<&str> = signatures
        .iter()
        .map(|s| s["pades_level"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(found, levels, "PAdES levels of {file}: {report:#}");
    for signature in signatures {
        assert_eq!(signature["verdict"], "valid", "{signature:#}");
        assert_eq!(signature["intact"], true, "{signature:#}");
        assert_eq!(signature["trust"]["status"], "trusted", "{signature:#}");
    }
    report
}

/// An NSS database trusting `roots`, holding `crls` (for pdfsig).
fn pdfsig_db(dir: &Path, roots: &[&Path], crls: &[&Path]) -> PathBuf {
    let db = nss_db(dir, roots);
    let spec = format!("sql:{}", db.display());
    for crl in crls {
        // -B: the issuing intermediate is not in the database (pdfsig gets it from the CMS).
        let (ok, out, err) = run(
            "crlutil",
            &["-I", "-B", "-d", &spec, "-i", &crl.to_string_lossy()],
        );
        assert!(ok, "crlutil -I {}: {out}{err}", crl.display());
    }
    db
}

/// pdfsig's report (without online OCSP, see the file doc).
fn pdfsig(file: &Path, db: &Path) -> String {
    let spec = format!("sql:{}", db.display());
    let (_, out, err) = run(
        "pdfsig",
        &["-no-ocsp", "-nssdir", &spec, &file.to_string_lossy()],
    );
    assert!(
        out.contains("Signature #1"),
        "pdfsig found no signature in {}:\n{out}\n{err}",
        file.display()
    );
    out
}

/// Assert pdfsig found `count` signatures, each valid with a trusted certificate.
fn assert_pdfsig_trusted(file: &Path, db: &Path, count: usize) -> String {
    let report = pdfsig(file, db);
    let valid = report
        .matches("Signature Validation: Signature is Valid.")
        .count();
    let trusted = report
        .matches("Certificate Validation: Certificate is Trusted.")
        .count();
    assert_eq!(valid, count, "pdfsig {}:\n{report}", file.display());
    assert_eq!(trusted, count, "pdfsig {}:\n{report}", file.display());
    report
}

fn assert_not_written(dir: &Path, name: &str) {
    assert!(!dir.join(name).exists(), "{name} must not be written");
    assert!(
        !dir.join(format!("{name}.part")).exists(),
        "{name}.part must not be left behind"
    );
}

// ---------------------------------------------------------------------------------------------
// PKCS#12.
// ---------------------------------------------------------------------------------------------

/// `openssl pkcs12 -export` of the leader's key and chain, with `options` for the algorithms.
fn make_p12(dir: &Path, name: &str, options: &[&str]) -> PathBuf {
    let output = Command::new("openssl")
        .args(["pkcs12", "-export"])
        .args(options)
        .args([
            "-inkey",
            "pki/leader-key.pem",
            "-passin",
            "env:VANBAN_PASSPHRASE",
        ])
        .args(["-in", "pki/leader-chain.pem", "-name", "leader"])
        .args(["-passout", "env:P12_PASSWORD", "-out", name])
        .current_dir(dir)
        .env("VANBAN_PASSPHRASE", PASSPHRASE)
        .env("P12_PASSWORD", P12_PASSWORD)
        .output()
        .expect("openssl");
    assert!(output.status.success(), "{}", text(&output));
    dir.join(name)
}

/// What `openssl pkcs12 -info` says about the file's encryption.
fn p12_info(dir: &Path, name: &str) -> String {
    let output = Command::new("openssl")
        .args(["pkcs12", "-info", "-noout", "-legacy", "-in", name])
        .args(["-passin", "env:P12_PASSWORD"])
        .current_dir(dir)
        .env("P12_PASSWORD", P12_PASSWORD)
        .output()
        .expect("openssl");
    assert!(output.status.success(), "{}", text(&output));
    text(&output)
}

#[test]
fn sign_with_a_pkcs12_file_from_openssl_aes_and_legacy_3des() {
    let scratch = Scratch::new("sign-cli", "p12");
    let dir = scratch.path();
    setup(dir, "rsa2048");
    let root = dir.join("pki/root.pem");
    let cases = [
        ("aes.p12", vec![], "AES-256-CBC"),
        (
            "3des.p12",
            vec![
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-3DES",
                "-macalg",
                "sha1",
            ],
            "pbeWithSHA1And3-KeyTripleDES-CBC",
        ),
    ];
    let db = pdfsig_db(dir, &[&root], &[&dir.join("pki/intermediate.crl")]);
    for (name, options, algorithm) in &cases {
        make_p12(dir, name, options);
        let info = p12_info(dir, name);
        assert!(info.contains(algorithm), "{name}: {info}");
        let out = format!("{name}.pdf");
        let output = vanban(
            &[
                "sign",
                "draft.pdf",
                "-o",
                &out,
                "--certify",
                "--p12",
                name,
                "--trust",
                "pki/root.pem",
                "--crl",
                "pki/intermediate.crl",
            ],
            dir,
            &[("VANBAN_PASSPHRASE", P12_PASSWORD)],
        );
        assert!(output.status.success(), "{name}: {}", text(&output));
        let draft = std::fs::read(dir.join("draft.pdf")).expect("draft");
        let signed = std::fs::read(dir.join(&out)).expect("signed");
        assert!(signed.starts_with(&draft), "{name}: an incremental update");

        let report = assert_verified(dir, &out, &[&root], &["B-B"]);
        let signature = &report["signatures"][0];
        assert_eq!(signature["field"], "chu_ky", "{signature:#}");
        assert_eq!(signature["kind"]["type"], "certification", "{signature:#}");
        assert_eq!(signature["signature_algorithm"], "RSA PKCS#1 v1.5");
        assert_eq!(signature["digest_algorithm"], "SHA-256");

        let records = pyhanko(&dir.join(&out), &[&root], false);
        assert_eq!(records.len(), 1, "{name}: {records:#?}");
        assert_trusted(&records[0]);
        assert_eq!(records[0]["docmdp"], "FILL_FORMS", "{:#}", records[0]);
        assert_eq!(records[0]["md"], "sha256", "{:#}", records[0]);

        let report = assert_pdfsig_trusted(&dir.join(&out), &db, 1);
        assert!(report.contains("Total document signed"), "{report}");
        qpdf_check(&dir.join(&out));
    }

    // The control for pdfsig: the revoked dev certificate, signed without the check, is
    // reported revoked by the same database.
    let output = vanban(
        &[
            "sign",
            "draft.pdf",
            "-o",
            "revoked.pdf",
            "--key",
            "pki/revoked-key.pem",
            "--cert",
            "pki/revoked-chain.pem",
            "--no-check",
        ],
        dir,
        &[],
    );
    assert!(output.status.success(), "{}", text(&output));
    let report = pdfsig(&dir.join("revoked.pdf"), &db);
    assert!(
        report.contains("Signature is Valid.")
            && report.contains("Certificate Validation: Certificate has been Revoked."),
        "pdfsig on a revoked signer:\n{report}"
    );

    // A wrong password: a clear error, exit 2, nothing written, the input untouched.
    let before = std::fs::read(dir.join("draft.pdf")).expect("draft");
    let output = vanban(
        &[
            "sign",
            "draft.pdf",
            "-o",
            "wrong.pdf",
            "--p12",
            "aes.p12",
            "--trust",
            "pki/root.pem",
        ],
        dir,
        &[("VANBAN_PASSPHRASE", "mật khẩu sai")],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("wrong PKCS#12 password"),
        "{}",
        text(&output)
    );
    assert_not_written(dir, "wrong.pdf");
    assert_eq!(std::fs::read(dir.join("draft.pdf")).expect("draft"), before);
}

// ---------------------------------------------------------------------------------------------
// PKCS#11 (SoftHSM2).
// ---------------------------------------------------------------------------------------------

#[test]
fn sign_with_a_key_on_a_softhsm2_token() {
    let conf = common::token::softhsm_conf();
    let module = common::token::module();
    let scratch = Scratch::new("sign-cli", "pkcs11");
    let dir = scratch.path();
    setup(dir, "p256");
    // tests/pkcs11.rs uses leader-rsa, leader-p256 and leader-p384 on the same token, at the
    // same time; this label is this process's own, and its objects are removed at the end.
    let label = format!("sign-cli-{}", std::process::id());
    let id = std::process::id().to_be_bytes();
    let ca_pem = std::fs::read_to_string(dir.join("pki/intermediate.pem")).expect("ca");
    let ca_key = decrypted_key(dir, "intermediate");
    let objects = common::token::TokenObjects(label.clone());
    common::token::provision(
        &label,
        &id,
        common::token::TokenKey::Rsa2048,
        "Trần Thị Bình (token)",
        &ca_pem,
        &ca_key,
    );
    let root = dir.join("pki/root.pem");
    let conf = conf.to_string_lossy().into_owned();
    let module = module.to_string_lossy().into_owned();
    let sign = |out: &str, pin: &str| {
        vanban(
            &[
                "sign",
                "draft.pdf",
                "-o",
                out,
                "--certify",
                "--pkcs11-module",
                &module,
                "--pkcs11-token",
                common::token::TOKEN,
                "--pkcs11-key",
                &label,
                "--cert",
                "pki/intermediate.pem",
                "--trust",
                "pki/root.pem",
            ],
            dir,
            &[("SOFTHSM2_CONF", &conf), ("VANBAN_PIN", pin)],
        )
    };
    let output = sign("token.pdf", common::token::PIN);
    assert!(output.status.success(), "{}", text(&output));

    let report = assert_verified(dir, "token.pdf", &[&root], &["B-B"]);
    let signature = &report["signatures"][0];
    assert_eq!(signature["signer"]["name"], "Trần Thị Bình (token)");
    assert_eq!(signature["signature_algorithm"], "RSA PKCS#1 v1.5");
    let records = pyhanko(&dir.join("token.pdf"), &[&root], false);
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_trusted(&records[0]);
    assert_eq!(records[0]["signer"], "Trần Thị Bình (token)");
    assert_eq!(records[0]["docmdp"], "FILL_FORMS");
    // The token's certificate names neither a CRL nor an OCSP responder. pdfsig 22.12 with
    // -no-ocsp then has no revocation method left and says "Unknown issue with Certificate"
    // (NSS's vfychain calls the same chain good); without the flag nothing is fetched, since
    // there is nothing to fetch from, and it reports the certificate trusted.
    let db = pdfsig_db(dir, &[&root], &[]);
    let report = common::peers::pdfsig(&dir.join("token.pdf"), &db);
    assert!(
        report.contains("Signature is Valid.") && report.contains("Certificate is Trusted."),
        "pdfsig on the token's signature:\n{report}"
    );
    qpdf_check(&dir.join("token.pdf"));

    // A wrong PIN: a clear error, exit 2, nothing written.
    let output = sign("wrong-pin.pdf", "000000");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("PIN"), "{}", text(&output));
    assert_not_written(dir, "wrong-pin.pdf");
    // No PIN at all: the same, and the message names the variable.
    let output = vanban(
        &[
            "sign",
            "draft.pdf",
            "-o",
            "no-pin.pdf",
            "--pkcs11-module",
            &module,
            "--pkcs11-key",
            &label,
        ],
        dir,
        &[("SOFTHSM2_CONF", &conf)],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("VANBAN_PIN"), "{}", text(&output));
    assert_not_written(dir, "no-pin.pdf");
    drop(objects);
    assert_eq!(
        common::token::remove(&label),
        0,
        "the test's objects are gone"
    );
}

// ---------------------------------------------------------------------------------------------
// Timestamps and long-term validation.
// ---------------------------------------------------------------------------------------------

#[test]
fn sign_at_b_t_b_lt_and_b_lta_with_a_real_tsa() {
    let scratch = Scratch::new("sign-cli", "levels");
    let dir = scratch.path();
    setup(dir, "p256");
    let tsa = TestTsa::start();
    let root = dir.join("pki/root.pem");
    let root_crl = root_crl(dir);
    let tsa_root = tsa.root_pem.to_string_lossy().into_owned();
    let sign = |out: &str, level: &str, extra: &[&str]| {
        let mut args = vec![
            "sign",
            "draft.pdf",
            "-o",
            out,
            "--certify",
            "--key",
            "pki/leader-key.pem",
            "--cert",
            "pki/leader-chain.pem",
            "--level",
            level,
            "--tsa",
            &tsa.url,
            "--trust",
            "pki/root.pem",
            "--trust",
            &tsa_root,
            "--crl",
            "pki/intermediate.crl",
        ];
        args.extend(extra);
        vanban(&args, dir, &[])
    };
    let roots = [root.as_path(), tsa.root_pem.as_path()];
    let db = pdfsig_db(dir, &roots, &[&dir.join("pki/intermediate.crl"), &root_crl]);
    let root_crl_arg = root_crl.to_string_lossy().into_owned();
    for (level, file) in [
        ("B-T", "bt.pdf"),
        ("B-LT", "blt.pdf"),
        ("B-LTA", "blta.pdf"),
    ] {
        let output = sign(file, level, &["--crl", &root_crl_arg]);
        assert!(output.status.success(), "{level}: {}", text(&output));
        let path = dir.join(file);
        // B-LTA: the signature, then the document timestamp over it.
        let levels: &[&str] = if level == "B-LTA" {
            &["B-LTA", "B-LTA"]
        } else {
            &[level]
        };
        let report = assert_verified(dir, file, &roots, levels);
        let signature = &report["signatures"][0];
        assert!(
            signature["timestamp"].is_object(),
            "{level}: a signature timestamp: {signature:#}"
        );
        // pyHanko: the signature and its timestamp trusted; from B-LT with revocation from
        // the DSS alone (hard-fail, no fetching).
        let dss = level != "B-T";
        let records = pyhanko(&path, &roots, dss);
        let expected = if level == "B-LTA" { 2 } else { 1 };
        assert_eq!(records.len(), expected, "{level}: {records:#?}");
        records.iter().for_each(assert_trusted);
        let timestamp = &records[0]["timestamp"];
        for fact in ["intact", "valid", "trusted"] {
            assert_eq!(timestamp[fact], true, "{level}: {:#}", records[0]);
        }
        if level == "B-LTA" {
            assert_eq!(records[1]["kind"], "DocTimeStamp", "{records:#?}");
        }
        // pdfsig checks the CMS signature (not document timestamps).
        assert_pdfsig_trusted(&path, &db, 1);
        qpdf_check(&path);
    }
}

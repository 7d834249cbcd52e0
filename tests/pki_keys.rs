//! Keys and certificates against real peers: `vanban pki init` checked by openssl, encrypted
//! key files, PKCS#12 files made by `openssl pkcs12 -export`, and signatures that openssl verifies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use vanban::pki::dev::{DEV_PKI, NameAttribute};
use vanban::pki::keystore::{self, KeyStoreError, Passphrase};
use vanban::pki::pkcs12::{self, Pkcs12Error};
use vanban::pki::{SignatureAlgorithm, Signer, SignerError};

const PASSPHRASE: &str = "Mật khẩu thử nghiệm – đủ dài";
const P12_PASSWORD: &str = "p12-Đồng-Nai";

/// A fresh directory under cargo's per-target temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pki_keys")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn vanban(args: &[&str], passphrase: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vanban"));
    command.args(args).stdin(Stdio::null());
    match passphrase {
        Some(p) => command.env("VANBAN_PASSPHRASE", p),
        None => command.env_remove("VANBAN_PASSPHRASE"),
    };
    command.output().expect("vanban runs")
}

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// One PKI per algorithm for the whole file, made by the real binary.
fn pki_dir(alg: &'static str) -> &'static Path {
    static P256: OnceLock<PathBuf> = OnceLock::new();
    static RSA: OnceLock<PathBuf> = OnceLock::new();
    static RSA3072: OnceLock<PathBuf> = OnceLock::new();
    let cell = match alg {
        "p256" => &P256,
        "rsa3072" => &RSA3072,
        _ => &RSA,
    };
    cell.get_or_init(|| {
        let dir = temp_dir(&format!("init-{alg}"));
        let out = vanban(
            &[
                "pki",
                "init",
                "--dir",
                dir.to_str().expect("utf-8"),
                "--alg",
                alg,
            ],
            Some(PASSPHRASE),
        );
        assert!(out.status.success(), "pki init --alg {alg}: {}", text(&out));
        dir
    })
}

fn assert_chain_verifies(dir: &Path) {
    let leaves = ["leader.pem", "org.pem", "tsa.pem", "ocsp.pem"];
    let mut args = vec![
        "verify",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "intermediate.pem",
    ];
    args.extend(leaves);
    let out = openssl(&args, dir);
    assert!(out.status.success(), "{}", text(&out));
    for leaf in leaves {
        assert!(
            text(&out).contains(&format!("{leaf}: OK")),
            "{}",
            text(&out)
        );
    }
    // With the CRL: the leader passes, the revoked certificate does not.
    let crl = |leaf: &str| {
        openssl(
            &[
                "verify",
                "-crl_check",
                "-CRLfile",
                "intermediate.crl.pem",
                "-CAfile",
                "root.pem",
                "-untrusted",
                "intermediate.pem",
                leaf,
            ],
            dir,
        )
    };
    let leader = crl("leader.pem");
    assert!(leader.status.success(), "{}", text(&leader));
    let revoked = crl("revoked.pem");
    assert!(!revoked.status.success());
    assert!(
        text(&revoked).contains("certificate revoked"),
        "{}",
        text(&revoked)
    );
}

#[test]
fn p256_chain_verifies_with_openssl() {
    assert_chain_verifies(pki_dir("p256"));
}

#[test]
fn rsa2048_chain_verifies_with_openssl() {
    let dir = pki_dir("rsa2048");
    assert_chain_verifies(dir);
    let out = openssl(&["x509", "-in", "leader.pem", "-noout", "-text"], dir);
    assert!(
        text(&out).contains("Public-Key: (2048 bit)"),
        "{}",
        text(&out)
    );
}

#[test]
fn rsa3072_chain_verifies_with_openssl() {
    let dir = pki_dir("rsa3072");
    assert_chain_verifies(dir);
    for cert in ["leader.pem", "org.pem", "root.pem"] {
        let out = openssl(&["x509", "-in", cert, "-noout", "-text"], dir);
        assert!(
            text(&out).contains("Public-Key: (3072 bit)"),
            "{cert}: {}",
            text(&out)
        );
    }
}

#[test]
fn tsa_certificate_has_critical_time_stamping_eku() {
    let out = openssl(
        &[
            "x509",
            "-in",
            "tsa.pem",
            "-noout",
            "-ext",
            "extendedKeyUsage",
        ],
        pki_dir("p256"),
    );
    let shown = text(&out);
    assert!(shown.contains("Extended Key Usage: critical"), "{shown}");
    assert!(shown.contains("Time Stamping"), "{shown}");
    let out = openssl(
        &["x509", "-in", "leader.pem", "-noout", "-ext", "keyUsage"],
        pki_dir("p256"),
    );
    assert!(
        text(&out).contains("Digital Signature, Non Repudiation"),
        "{}",
        text(&out)
    );
}

/// Each `openssl pkey` attempt runs the full 600,000-round KDF (about 0.3 s of CPU), so every
/// key of the P-256 PKI is tried, and of the RSA one (same encryption code) the root and leader.
#[test]
fn every_key_opens_only_with_the_right_passphrase() {
    let mut cases = Vec::new();
    for spec in DEV_PKI {
        cases.push((pki_dir("p256"), spec.name));
    }
    cases.push((pki_dir("rsa2048"), "root"));
    cases.push((pki_dir("rsa2048"), "leader"));
    std::thread::scope(|scope| {
        for (dir, name) in cases {
            scope.spawn(move || assert_key_needs_passphrase(dir, name));
        }
    });
}

fn assert_key_needs_passphrase(dir: &Path, name: &str) {
    let key = format!("{name}-key.pem");
    let pem = std::fs::read_to_string(dir.join(&key)).expect("key written");
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{key}"
    );
    for wrong in ["pass:", "pass:Mat khau thu nghiem - du dai"] {
        let out = openssl(&["pkey", "-in", &key, "-passin", wrong, "-noout"], dir);
        assert!(!out.status.success(), "{key} opened with {wrong:?}");
    }
    let right = format!("pass:{PASSPHRASE}");
    let out = openssl(&["pkey", "-in", &key, "-passin", &right, "-noout"], dir);
    assert!(out.status.success(), "{key}: {}", text(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(&key))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{key} readable by others: {mode:o}");
    }
}

#[test]
fn no_written_file_holds_a_plain_private_key() {
    for alg in ["p256", "rsa2048"] {
        for entry in std::fs::read_dir(pki_dir(alg)).expect("dir") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            for label in [
                "BEGIN PRIVATE KEY",
                "BEGIN RSA PRIVATE KEY",
                "BEGIN EC PRIVATE KEY",
            ] {
                assert!(!text.contains(label), "{} holds {label}", path.display());
            }
        }
    }
}

#[test]
fn nothing_under_certs_in_git_holds_a_private_key() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("git")
        .args(["ls-files", "certs"])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "{}", text(&out));
    let files = String::from_utf8_lossy(&out.stdout);
    for file in files.lines() {
        let bytes = std::fs::read(Path::new(root).join(file)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("PRIVATE KEY"),
            "{file}"
        );
    }
    // And git would ignore a generated PKI.
    let ignored = Command::new("git")
        .args(["check-ignore", "-q", "certs/dev/leader-key.pem"])
        .current_dir(root)
        .status()
        .expect("git runs");
    assert!(ignored.success(), "certs/dev/ is not ignored");
}

#[test]
fn subjects_keep_their_diacritics() {
    let dir = pki_dir("p256");
    for spec in DEV_PKI {
        let certs = keystore::read_certificates(&dir.join(format!("{}.pem", spec.name)))
            .expect("certificate");
        let (_, cert) = x509_parser::parse_x509_certificate(&certs[0]).expect("parses");
        for (attribute, value) in spec.subject {
            let oid = match attribute {
                NameAttribute::CommonName => "2.5.4.3",
                NameAttribute::Country => "2.5.4.6",
                NameAttribute::Locality => "2.5.4.7",
                NameAttribute::Organization => "2.5.4.10",
                NameAttribute::OrganizationalUnit => "2.5.4.11",
                NameAttribute::State => "2.5.4.8",
                NameAttribute::UserId => "0.9.2342.19200300.100.1.1",
            };
            let found = cert
                .subject()
                .iter_attributes()
                .find(|a| a.attr_type().to_id_string() == oid)
                .unwrap_or_else(|| panic!("{}: no {oid}", spec.name));
            assert_eq!(
                found.as_str().expect("string"),
                *value,
                "{} {oid}",
                spec.name
            );
            // UTF8String (tag 12) for text; PrintableString (tag 19) for C, as RFC 5280 asks.
            let tag = found.attr_value().header.tag().0;
            let expected = if *attribute == NameAttribute::Country {
                19
            } else {
                12
            };
            assert_eq!(tag, expected, "{} {oid} string type", spec.name);
        }
    }
    let out = openssl(
        &[
            "x509",
            "-in",
            "leader.pem",
            "-noout",
            "-subject",
            "-nameopt",
            "utf8",
        ],
        dir,
    );
    let subject = text(&out);
    assert!(subject.contains("CN=Nguyễn Văn An"), "{subject}");
    assert!(subject.contains("UID=CCCD:001085012345"), "{subject}");
    assert!(subject.contains("ST=Đồng Nai"), "{subject}");
    let out = openssl(
        &[
            "x509", "-in", "org.pem", "-noout", "-subject", "-nameopt", "utf8",
        ],
        dir,
    );
    let subject = text(&out);
    assert!(
        subject.contains("CN=Công đoàn ngành Y tế tỉnh Đồng Nai"),
        "{subject}"
    );
    assert!(subject.contains("UID=MST:3600123456"), "{subject}");
}

#[test]
fn init_without_passphrase_fails_at_once() {
    let dir = temp_dir("no-passphrase");
    let out = vanban(
        &[
            "pki",
            "init",
            "--dir",
            dir.to_str().expect("utf-8"),
            "--alg",
            "p256",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("VANBAN_PASSPHRASE"), "{}", text(&out));
    assert!(!dir.join("root.pem").exists());
    let empty = vanban(
        &[
            "pki",
            "init",
            "--dir",
            dir.to_str().expect("utf-8"),
            "--alg",
            "p256",
        ],
        Some(""),
    );
    assert_eq!(empty.status.code(), Some(2), "{}", text(&empty));
    assert!(text(&empty).contains("empty"), "{}", text(&empty));
}

#[test]
fn init_keeps_an_existing_pki_without_force() {
    let dir = pki_dir("p256").to_str().expect("utf-8");
    let before = std::fs::read(Path::new(dir).join("root.pem")).expect("root");
    let out = vanban(
        &["pki", "init", "--dir", dir, "--alg", "p256"],
        Some(PASSPHRASE),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(
        std::fs::read(Path::new(dir).join("root.pem")).expect("root"),
        before
    );
}

/// Sign with `signer`, then have `openssl dgst -verify` check it with the certificate's key.
fn assert_openssl_verifies(signer: &dyn Signer, dir: &Path, tag: &str) {
    let message = "Kế hoạch tổ chức Hội nghị – văn bản số 12/KH-CĐN".as_bytes();
    let signature = signer.sign(message).expect("signs");
    let alg = signer.algorithm();
    let cert = dir.join(format!("{tag}-cert.der"));
    std::fs::write(&cert, signer.certificate()).expect("write cert");
    std::fs::write(dir.join(format!("{tag}.msg")), message).expect("write msg");
    std::fs::write(dir.join(format!("{tag}.sig")), &signature).expect("write sig");
    let out = openssl(
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            &format!("{tag}-cert.der"),
            "-pubkey",
            "-noout",
            "-out",
            &format!("{tag}-pub.pem"),
        ],
        dir,
    );
    assert!(out.status.success(), "{}", text(&out));
    let digest = match alg.digest_algorithm() {
        vanban::pki::DigestAlgorithm::Sha256 => "-sha256",
        vanban::pki::DigestAlgorithm::Sha384 => "-sha384",
        vanban::pki::DigestAlgorithm::Sha512 => "-sha512",
    };
    let pub_key = format!("{tag}-pub.pem");
    let sig = format!("{tag}.sig");
    let msg = format!("{tag}.msg");
    let mut args = vec!["dgst", digest, "-verify", &pub_key, "-signature", &sig];
    if alg.is_pss() {
        args.extend([
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:digest",
        ]);
    }
    args.push(&msg);
    let out = openssl(&args, dir);
    assert!(
        out.status.success() && text(&out).contains("Verified OK"),
        "{tag} {alg}: {}",
        text(&out)
    );
    // A changed message fails.
    std::fs::write(dir.join(&msg), b"Ke hoach").expect("write msg");
    let out = openssl(&args, dir);
    assert!(
        !out.status.success(),
        "{tag} {alg}: tampered message verified"
    );
}

#[test]
fn key_file_signer_signs_what_openssl_verifies() {
    let work = temp_dir("key-file-signatures");
    let passphrase = Passphrase::new(PASSPHRASE);
    for alg in ["p256", "rsa2048"] {
        let dir = pki_dir(alg);
        let signer = keystore::open_key_file(
            &dir.join("leader-key.pem"),
            &passphrase,
            &[&dir.join("leader.pem"), &dir.join("intermediate.pem")],
        )
        .expect("opens");
        assert_eq!(signer.certificate_chain().len(), 2);
        let algorithms: Vec<SignatureAlgorithm> = SignatureAlgorithm::ALL
            .into_iter()
            .filter(|a| a.fits(signer.key_kind()))
            .collect();
        assert_eq!(algorithms.len(), if alg == "p256" { 1 } else { 6 });
        let mut signer = signer;
        for algorithm in algorithms {
            signer = signer.with_algorithm(algorithm).expect("fits");
            assert_openssl_verifies(&signer, &work, &format!("{alg}-{algorithm:?}"));
        }
    }
}

#[test]
fn key_file_signer_refuses_wrong_passphrase_and_wrong_certificate() {
    let dir = pki_dir("p256");
    let wrong = keystore::open_key_file(
        &dir.join("leader-key.pem"),
        &Passphrase::new("sai mật khẩu"),
        &[&dir.join("leader.pem")],
    );
    assert!(
        matches!(wrong, Err(KeyStoreError::WrongPassphrase { .. })),
        "{wrong:?}"
    );
    let mismatch = keystore::open_key_file(
        &dir.join("leader-key.pem"),
        &Passphrase::new(PASSPHRASE),
        &[&dir.join("org.pem")],
    );
    assert!(
        matches!(
            mismatch,
            Err(KeyStoreError::Signer {
                source: SignerError::CertificateKeyMismatch,
                ..
            })
        ),
        "{mismatch:?}"
    );
    let ecdsa = keystore::open_key_file(
        &dir.join("leader-key.pem"),
        &Passphrase::new(PASSPHRASE),
        &[&dir.join("leader.pem")],
    )
    .expect("opens");
    let rsa = ecdsa.with_algorithm(SignatureAlgorithm::RsaPssSha256);
    assert!(
        matches!(rsa, Err(SignerError::KeyAlgorithmMismatch { .. })),
        "{rsa:?}"
    );
}

/// `openssl pkcs12 -export` of the RSA leader with its intermediate, with `extra` options.
fn export_p12(name: &str, extra: &[&str]) -> PathBuf {
    let dir = pki_dir("rsa2048");
    let out_dir = temp_dir("p12");
    let out_path = out_dir.join(format!("{name}.p12"));
    let passin = format!("pass:{PASSPHRASE}");
    let passout = format!("pass:{P12_PASSWORD}");
    let out_str = out_path.to_str().expect("utf-8").to_owned();
    let mut args = vec!["pkcs12", "-export"];
    args.extend(extra);
    if !extra.contains(&"-nokeys") {
        args.extend(["-inkey", "leader-key.pem", "-passin", &passin]);
    }
    args.extend([
        "-in",
        "leader.pem",
        "-certfile",
        "intermediate.pem",
        "-passout",
        &passout,
        "-out",
        &out_str,
    ]);
    let out = openssl(&args, dir);
    assert!(out.status.success(), "{name}: {}", text(&out));
    out_path
}

#[test]
fn pkcs12_default_and_legacy_import_and_sign() {
    let work = temp_dir("p12-signatures");
    for (name, extra) in [("aes", &[][..]), ("legacy", &["-legacy"][..])] {
        let path = export_p12(name, extra);
        let signer = pkcs12::open(&path, &Passphrase::new(P12_PASSWORD)).expect(name);
        assert_eq!(
            signer.certificate_chain().len(),
            2,
            "{name}: leader then intermediate"
        );
        let leader = std::fs::read(pki_dir("rsa2048").join("leader.pem")).expect("leader");
        let leader_der = keystore::read_certificates(&pki_dir("rsa2048").join("leader.pem"))
            .expect("leader cert");
        assert!(!leader.is_empty());
        assert_eq!(
            signer.certificate(),
            leader_der[0].as_slice(),
            "{name}: leaf first"
        );
        assert_openssl_verifies(&signer, &work, &format!("p12-{name}"));
    }
}

#[test]
fn pkcs12_wrong_password_is_named() {
    for (name, extra) in [("aes-wrong", &[][..]), ("legacy-wrong", &["-legacy"][..])] {
        let path = export_p12(name, extra);
        for wrong in ["", "p12-Dong-Nai", "P12-ĐỒNG-NAI"] {
            let result = pkcs12::open(&path, &Passphrase::new(wrong));
            assert!(
                matches!(result, Err(Pkcs12Error::WrongPassword)),
                "{name} {wrong:?}: {result:?}"
            );
        }
    }
    // Without a MAC the wrong password shows in the decryption instead.
    let path = export_p12("legacy-nomac", &["-legacy", "-nomac"]);
    let result = pkcs12::open(&path, &Passphrase::new("sai"));
    assert!(
        matches!(result, Err(Pkcs12Error::WrongPassword)),
        "{result:?}"
    );
    assert!(pkcs12::open(&path, &Passphrase::new(P12_PASSWORD)).is_ok());
}

#[test]
fn pkcs12_without_a_key_is_named() {
    let path = export_p12("cert-only", &["-nokeys"]);
    let result = pkcs12::open(&path, &Passphrase::new(P12_PASSWORD));
    assert!(
        matches!(result, Err(Pkcs12Error::NoPrivateKey)),
        "{result:?}"
    );
}

#[test]
fn pkcs12_with_rc4_is_an_unsupported_cipher() {
    let path = export_p12(
        "rc4",
        &[
            "-legacy",
            "-keypbe",
            "PBE-SHA1-RC4-128",
            "-certpbe",
            "PBE-SHA1-RC4-128",
        ],
    );
    let result = pkcs12::open(&path, &Passphrase::new(P12_PASSWORD));
    match result {
        Err(Pkcs12Error::UnsupportedCipher { name, .. }) => {
            assert_eq!(name, "pbeWithSHAAnd128BitRC4")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pkcs12_garbage_is_malformed_not_a_panic() {
    let path = export_p12("truncate", &[]);
    let bytes = std::fs::read(&path).expect("read");
    for cut in [0, 1, 10, bytes.len() / 2, bytes.len() - 1] {
        let result = pkcs12::parse(&bytes[..cut], &Passphrase::new(P12_PASSWORD));
        assert!(
            matches!(result, Err(Pkcs12Error::Malformed { .. })),
            "cut {cut}: {result:?}"
        );
    }
}

/// Read `stdout` until `needle` has appeared; the bytes read so far either way.
fn read_until(stdout: &mut impl std::io::Read, seen: &mut Vec<u8>, needle: &str) -> bool {
    let mut chunk = [0u8; 256];
    while !String::from_utf8_lossy(seen).contains(needle) {
        match stdout.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

/// With no VANBAN_PASSPHRASE and a terminal (a pseudo-terminal from util-linux `script`),
/// `pki init` prompts twice and does not echo what is typed. Input is written only after each
/// prompt shows, and the prompt shows only after echo is off, so there is no race.
#[test]
fn init_prompts_on_a_terminal_without_echo() {
    use std::io::Write;
    let dir = temp_dir("prompt");
    let pki = dir.join("pki");
    let command = format!(
        "{} pki init --alg p256 --dir {}",
        env!("CARGO_BIN_EXE_vanban"),
        pki.display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("VANBAN_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let typed = "Bí mật gõ tay 123";
    let mut seen = Vec::new();
    assert!(
        read_until(&mut stdout, &mut seen, "khóa bí mật: "),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    writeln!(stdin, "{typed}").expect("type");
    assert!(
        read_until(&mut stdout, &mut seen, "(again): "),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    writeln!(stdin, "{typed}").expect("type again");
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stdout, &mut rest).expect("output");
    seen.extend(rest);
    let status = child.wait().expect("exits");
    let shown = String::from_utf8_lossy(&seen);
    assert!(status.success(), "{shown}");
    assert!(!shown.contains(typed), "the passphrase was echoed: {shown}");
    assert!(shown.contains("leader-key.pem"), "{shown}");
    let right = format!("pass:{typed}");
    let out = openssl(
        &["pkey", "-in", "leader-key.pem", "-passin", &right, "-noout"],
        &pki,
    );
    assert!(out.status.success(), "{}", text(&out));
}

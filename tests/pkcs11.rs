//! A real PKCS#11 token (SoftHSM2) signs through `cryptoki`, and openssl verifies.
//!
//! The token is the one `.ci/run` initialises (`softhsm2-util --init-token`, label
//! `vanban-test`), named by `VANBAN_TEST_SOFTHSM2_CONF`; `tests/common/token.rs` makes the keys
//! on it (RSA-2048, P-256, P-384, generated on the token, not extractable) with certificates
//! from a fresh dev PKI. The token is shared with other test binaries running at the same time,
//! so the labels are this process's own, and its objects are removed at the end.

mod common {
    pub mod token;
}

use std::path::Path;
use std::process::{Command, Output, Stdio};

use vanban::pki::dev::{self, DevKeyAlgorithm, DevPkiOptions};
use vanban::pki::keystore::Passphrase;
use vanban::pki::pkcs11::{Pkcs11Config, Pkcs11Error, Pkcs11Signer};
use vanban::pki::{DigestAlgorithm, KeyKind, SignatureAlgorithm, Signer};

use common::token::{self, TokenKey, TokenObjects};

#[test]
fn softhsm_token_signs_what_openssl_verifies() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pkcs11-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let pki = dev::generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev pki");
    let ca = pki.entity("intermediate").expect("intermediate");
    let pid = std::process::id();
    let label = |name: &str| format!("pkcs11-{pid}-{name}");
    let mut objects = Vec::new();
    for (index, (name, kind)) in [
        ("rsa", TokenKey::Rsa2048),
        ("p256", TokenKey::P256),
        ("p384", TokenKey::P384),
    ]
    .into_iter()
    .enumerate()
    {
        objects.push(TokenObjects(label(name)));
        let mut id = pid.to_be_bytes().to_vec();
        id.push(index as u8);
        token::provision(
            &label(name),
            &id,
            kind,
            &format!("Nguyễn Văn An (leader-{name})"),
            &ca.certificate_pem(),
            ca.key_pkcs8(),
        );
    }
    let (rsa, p256, p384) = (label("rsa"), label("p256"), label("p384"));
    let intermediate = pki
        .entity("intermediate")
        .expect("ca")
        .certificate_der
        .clone();
    std::fs::write(
        dir.join("root.pem"),
        pki.entity("root").expect("root").certificate_pem(),
    )
    .expect("root");
    std::fs::write(
        dir.join("intermediate.pem"),
        pki.entity("intermediate").expect("ca").certificate_pem(),
    )
    .expect("intermediate");

    let cases = [
        (&rsa, SignatureAlgorithm::RsaPkcs1Sha256),
        (&rsa, SignatureAlgorithm::RsaPkcs1Sha512),
        (&rsa, SignatureAlgorithm::RsaPssSha256),
        (&rsa, SignatureAlgorithm::RsaPssSha384),
        (&p256, SignatureAlgorithm::EcdsaP256Sha256),
        (&p384, SignatureAlgorithm::EcdsaP384Sha384),
    ];
    for (label, algorithm) in cases {
        let signer =
            Pkcs11Signer::open(&config(label, Some(algorithm), vec![intermediate.clone()]))
                .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(signer.algorithm(), algorithm);
        assert_eq!(
            signer.certificate_chain().len(),
            2,
            "token certificate, then intermediate"
        );
        assert_eq!(signer.certificate_chain()[1], intermediate);
        assert_openssl_verifies(&signer, &dir, &format!("{label}-{algorithm:?}"));
    }

    // The default algorithm follows the key; the certificate on the token chains to the root.
    let signer = Pkcs11Signer::open(&config(&p384, None, vec![])).expect("opens");
    assert_eq!(signer.algorithm(), SignatureAlgorithm::EcdsaP384Sha384);
    std::fs::write(dir.join("token-leaf.der"), signer.certificate()).expect("leaf");
    let pem = openssl(
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            "token-leaf.der",
            "-out",
            "token-leaf.pem",
        ],
        &dir,
    );
    assert!(pem.status.success(), "{}", text(&pem));
    let verify = openssl(
        &[
            "verify",
            "-CAfile",
            "root.pem",
            "-untrusted",
            "intermediate.pem",
            "token-leaf.pem",
        ],
        &dir,
    );
    assert!(verify.status.success(), "{}", text(&verify));

    // The signer can be moved to and used from another thread (sign runs under a lock).
    let signer = std::sync::Arc::new(signer);
    let worker = {
        let signer = signer.clone();
        std::thread::spawn(move || signer.sign(b"from another thread"))
    };
    let signature = worker.join().expect("thread").expect("signs");
    assert!(signature.starts_with(&[0x30]), "DER ECDSA signature");

    // Errors a user can act on. PKCS#11 keeps one login per application and token, so a PIN
    // is only checked again once every session of this process is closed.
    drop(signer);
    let mut wrong_pin = config(&rsa, None, vec![]);
    wrong_pin.pin = Passphrase::new("000000");
    let result = Pkcs11Signer::open(&wrong_pin);
    assert!(
        matches!(result, Err(Pkcs11Error::PinIncorrect)),
        "{result:?}"
    );
    let result = Pkcs11Signer::open(&config("không-có-khóa", None, vec![]));
    assert!(
        matches!(result, Err(Pkcs11Error::NoKey { .. })),
        "{result:?}"
    );
    let mut no_token = config(&rsa, None, vec![]);
    no_token.token_label = Some("không-có-token".to_owned());
    let result = Pkcs11Signer::open(&no_token);
    assert!(
        matches!(result, Err(Pkcs11Error::NoToken { .. })),
        "{result:?}"
    );
    let result = Pkcs11Signer::open(&config(
        &rsa,
        Some(SignatureAlgorithm::EcdsaP256Sha256),
        vec![],
    ));
    assert!(matches!(result, Err(Pkcs11Error::Signer(_))), "{result:?}");
    drop(objects);
    for name in [&rsa, &p256, &p384] {
        assert_eq!(
            token::remove(name),
            0,
            "{name}: the test's objects are gone"
        );
    }
}

fn config(label: &str, algorithm: Option<SignatureAlgorithm>, extra: Vec<Vec<u8>>) -> Pkcs11Config {
    Pkcs11Config {
        module: token::module(),
        token_label: Some(token::TOKEN.to_owned()),
        slot: None,
        key_label: label.to_owned(),
        pin: Passphrase::new(token::PIN),
        algorithm,
        extra_certificates: extra,
    }
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

/// Sign on the token, then `openssl dgst -verify` with the token certificate's public key.
fn assert_openssl_verifies(signer: &dyn Signer, dir: &Path, tag: &str) {
    let message = "Quyết định số 15/QĐ-CĐN về việc khen thưởng".as_bytes();
    let signature = signer.sign(message).expect("token signs");
    let algorithm = signer.algorithm();
    let kind = match algorithm {
        SignatureAlgorithm::EcdsaP256Sha256 => KeyKind::EcP256,
        SignatureAlgorithm::EcdsaP384Sha384 => KeyKind::EcP384,
        _ => KeyKind::Rsa { bits: 2048 },
    };
    assert!(algorithm.fits(kind));
    std::fs::write(dir.join(format!("{tag}.der")), signer.certificate()).expect("cert");
    std::fs::write(dir.join(format!("{tag}.msg")), message).expect("msg");
    std::fs::write(dir.join(format!("{tag}.sig")), &signature).expect("sig");
    let der_name = format!("{tag}.der");
    let pub_name = format!("{tag}.pub");
    let out = openssl(
        &[
            "x509", "-inform", "DER", "-in", &der_name, "-pubkey", "-noout", "-out", &pub_name,
        ],
        dir,
    );
    assert!(out.status.success(), "{}", text(&out));
    let digest = match algorithm.digest_algorithm() {
        DigestAlgorithm::Sha256 => "-sha256",
        DigestAlgorithm::Sha384 => "-sha384",
        DigestAlgorithm::Sha512 => "-sha512",
    };
    let sig_name = format!("{tag}.sig");
    let msg_name = format!("{tag}.msg");
    let mut args = vec![
        "dgst",
        digest,
        "-verify",
        &pub_name,
        "-signature",
        &sig_name,
    ];
    if algorithm.is_pss() {
        args.extend([
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:digest",
        ]);
    }
    args.push(&msg_name);
    let out = openssl(&args, dir);
    assert!(
        out.status.success() && text(&out).contains("Verified OK"),
        "{tag}: {}",
        text(&out)
    );
}

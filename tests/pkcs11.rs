//! A real PKCS#11 token (SoftHSM2) signs through `cryptoki`, and openssl verifies.
//!
//! Under `.ci/run` the token is the one the script initialised (`softhsm2-util --init-token`,
//! label `vanban-test`), named by `VANBAN_TEST_SOFTHSM2_CONF`; elsewhere the test initialises
//! its own token in a temporary directory. SoftHSM2 reads its configuration path from
//! `SOFTHSM2_CONF` when the module is initialised, so this file sets that variable.
//! Setting the environment is only sound while no other thread reads it, so this file holds
//! exactly one `#[test]`, and it sets the variable before starting any thread.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::{Decode, Encode};
use rcgen::{CertificateParams, DnType, DnValue, Issuer, KeyPair, KeyUsagePurpose};

use vanban::pki::dev::{self, DevKeyAlgorithm, DevPki, DevPkiOptions};
use vanban::pki::keystore::Passphrase;
use vanban::pki::pkcs11::{Pkcs11Config, Pkcs11Error, Pkcs11Signer};
use vanban::pki::{DigestAlgorithm, KeyKind, SignatureAlgorithm, Signer};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "vanban-test";
const PIN: &str = "123456";
const SO_PIN: &str = "654321";

#[derive(Clone, Copy)]
enum TokenKey {
    Ec(&'static [u8]),
    Rsa2048,
}

/// DER OIDs of the named curves, as `CKA_EC_PARAMS` takes them.
const P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];

/// The keys made on the token: label, CKA_ID, kind.
const KEYS: [(&str, u8, TokenKey); 3] = [
    ("leader-rsa", 1, TokenKey::Rsa2048),
    ("leader-p256", 2, TokenKey::Ec(P256)),
    ("leader-p384", 3, TokenKey::Ec(P384)),
];

#[test]
fn softhsm_token_signs_what_openssl_verifies() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pkcs11-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tokens")).expect("token dir");
    let prepared = std::env::var("VANBAN_TEST_SOFTHSM2_CONF")
        .ok()
        .filter(|c| !c.is_empty());
    let conf = match &prepared {
        Some(conf) => std::path::PathBuf::from(conf),
        None => {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "under CI, .ci/run initialises the token and sets VANBAN_TEST_SOFTHSM2_CONF"
            );
            let conf = dir.join("softhsm2.conf");
            let conf_text = format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                dir.join("tokens").display()
            );
            std::fs::write(&conf, conf_text).expect("conf");
            conf
        }
    };
    // SAFETY: the only test in this binary, before any thread is started (see the file doc).
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
    if prepared.is_none() {
        init_token();
    }

    let pki = dev::generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev pki");
    provision_token(&pki);
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
        ("leader-rsa", SignatureAlgorithm::RsaPkcs1Sha256),
        ("leader-rsa", SignatureAlgorithm::RsaPkcs1Sha512),
        ("leader-rsa", SignatureAlgorithm::RsaPssSha256),
        ("leader-rsa", SignatureAlgorithm::RsaPssSha384),
        ("leader-p256", SignatureAlgorithm::EcdsaP256Sha256),
        ("leader-p384", SignatureAlgorithm::EcdsaP384Sha384),
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
    let signer = Pkcs11Signer::open(&config("leader-p384", None, vec![])).expect("opens");
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
    let mut wrong_pin = config("leader-rsa", None, vec![]);
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
    let mut no_token = config("leader-rsa", None, vec![]);
    no_token.token_label = Some("không-có-token".to_owned());
    let result = Pkcs11Signer::open(&no_token);
    assert!(
        matches!(result, Err(Pkcs11Error::NoToken { .. })),
        "{result:?}"
    );
    let result = Pkcs11Signer::open(&config(
        "leader-rsa",
        Some(SignatureAlgorithm::EcdsaP256Sha256),
        vec![],
    ));
    assert!(matches!(result, Err(Pkcs11Error::Signer(_))), "{result:?}");
}

fn config(label: &str, algorithm: Option<SignatureAlgorithm>, extra: Vec<Vec<u8>>) -> Pkcs11Config {
    Pkcs11Config {
        module: PathBuf::from(MODULE),
        token_label: Some(TOKEN.to_owned()),
        slot: None,
        key_label: label.to_owned(),
        pin: Passphrase::new(PIN),
        algorithm,
        extra_certificates: extra,
    }
}

fn init_token() {
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--pin",
            PIN,
            "--so-pin",
            SO_PIN,
        ])
        .stdin(Stdio::null())
        .output()
        .expect("softhsm2-util runs (apt-get install softhsm2)");
    assert!(out.status.success(), "{}", text(&out));
}

/// Generate each key on the token (not extractable), issue its certificate from the dev
/// intermediate, and store the certificate on the token under the same label and CKA_ID, as a
/// CA's token arrives.
fn provision_token(pki: &DevPki) {
    let context = Pkcs11::new(MODULE).expect("module");
    context
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .expect("initialise");
    let slot = context
        .get_slots_with_token()
        .expect("slots")
        .into_iter()
        .find(|s| {
            context
                .get_token_info(*s)
                .is_ok_and(|i| i.label().trim() == TOKEN)
        })
        .expect("our token");
    let session = context.open_rw_session(slot).expect("session");
    session
        .login(UserType::User, Some(&AuthPin::from(PIN)))
        .expect("login");
    let ca = pki.entity("intermediate").expect("intermediate");
    let ca_key = KeyPair::try_from(ca.key_pkcs8()).expect("ca key");
    let issuer = Issuer::from_ca_cert_pem(&ca.certificate_pem(), ca_key).expect("issuer");
    for (label, id, kind) in KEYS {
        let (public, private) = generate(&session, label, id, kind);
        let value = session
            .get_attributes(private, &[AttributeType::Extractable])
            .expect("attr");
        assert!(
            matches!(value.first(), Some(Attribute::Extractable(false))),
            "{label}"
        );
        let spki = public_key_info(&session, public, kind);
        let certificate = issue(&issuer, &spki, label);
        let (_, parsed) = x509_parser::parse_x509_certificate(&certificate).expect("parses");
        session
            .create_object(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Token(true),
                Attribute::Label(label.as_bytes().to_vec()),
                Attribute::Id(vec![id]),
                Attribute::Subject(parsed.subject().as_raw().to_vec()),
                Attribute::Value(certificate.clone()),
            ])
            .expect("store certificate");
    }
}

fn generate(
    session: &Session,
    label: &str,
    id: u8,
    kind: TokenKey,
) -> (ObjectHandle, ObjectHandle) {
    let common = |verify_or_sign: Attribute| {
        vec![
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(vec![id]),
            verify_or_sign,
        ]
    };
    let mut public = common(Attribute::Verify(true));
    let mut private = common(Attribute::Sign(true));
    private.extend([
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
    ]);
    let mechanism = match kind {
        TokenKey::Rsa2048 => {
            public.extend([
                Attribute::ModulusBits(2048.into()),
                Attribute::PublicExponent(vec![1, 0, 1]),
            ]);
            Mechanism::RsaPkcsKeyPairGen
        }
        TokenKey::Ec(curve) => {
            public.push(Attribute::EcParams(curve.to_vec()));
            Mechanism::EccKeyPairGen
        }
    };
    session
        .generate_key_pair(&mechanism, &public, &private)
        .expect("key pair on the token")
}

/// The public key read back from the token, as a DER SubjectPublicKeyInfo.
fn public_key_info(session: &Session, public: ObjectHandle, kind: TokenKey) -> Vec<u8> {
    match kind {
        TokenKey::Rsa2048 => {
            let attributes = session
                .get_attributes(
                    public,
                    &[AttributeType::Modulus, AttributeType::PublicExponent],
                )
                .expect("rsa public");
            let (mut n, mut e) = (Vec::new(), Vec::new());
            for attribute in attributes {
                match attribute {
                    Attribute::Modulus(value) => n = value,
                    Attribute::PublicExponent(value) => e = value,
                    _ => {}
                }
            }
            let key = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(&n),
                rsa::BigUint::from_bytes_be(&e),
            )
            .expect("rsa key");
            rsa::pkcs8::EncodePublicKey::to_public_key_der(&key)
                .expect("spki")
                .as_bytes()
                .to_vec()
        }
        TokenKey::Ec(curve) => {
            let attributes = session
                .get_attributes(public, &[AttributeType::EcPoint])
                .expect("ec point");
            let Some(Attribute::EcPoint(wrapped)) = attributes.into_iter().next() else {
                panic!("no CKA_EC_POINT");
            };
            // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point.
            let point = der::asn1::OctetString::from_der(&wrapped).expect("octet string");
            let spki = spki::SubjectPublicKeyInfoOwned {
                algorithm: spki::AlgorithmIdentifierOwned {
                    oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
                    parameters: Some(der::Any::from_der(curve).expect("curve oid")),
                },
                subject_public_key: der::asn1::BitString::from_bytes(point.as_bytes())
                    .expect("bits"),
            };
            spki.to_der().expect("spki")
        }
    }
}

fn issue(issuer: &Issuer<'_, KeyPair>, spki: &[u8], label: &str) -> Vec<u8> {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 1]),
        DnValue::Utf8String("CCCD:001085012345".to_owned()),
    );
    params.distinguished_name.push(
        DnType::CommonName,
        DnValue::Utf8String(format!("Nguyễn Văn An ({label})")),
    );
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.use_authority_key_identifier_extension = true;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(365);
    let public = rcgen::SubjectPublicKeyInfo::from_der(spki).expect("spki for rcgen");
    params
        .signed_by(&public, issuer)
        .expect("issue")
        .der()
        .to_vec()
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

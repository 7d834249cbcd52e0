//! A key and its certificate on the SoftHSM2 token that `.ci/run` initialises (label
//! `vanban-test`, user PIN 123456, SO PIN 654321), named by `VANBAN_TEST_SOFTHSM2_CONF`.
//!
//! The key pair is generated on the token (not extractable), its certificate is issued by a CA
//! whose certificate and PKCS#8 key the caller gives, and the certificate is stored on the token
//! under the key's label and `CKA_ID`, as a CA's token arrives. Labels are the caller's: the
//! token is shared with other test binaries running at the same time.
#![allow(dead_code)] // each test binary uses part of the shared helpers

use std::path::PathBuf;
use std::sync::Once;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CryptokiError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use rcgen::{CertificateParams, DnType, DnValue, Issuer, KeyPair, KeyUsagePurpose};

/// The token `.ci/run` initialises.
pub const TOKEN: &str = "vanban-test";
/// Its user PIN.
pub const PIN: &str = "123456";
/// Its security officer PIN.
pub const SO_PIN: &str = "654321";

/// Where Debian (and most distributions) install SoftHSM2's PKCS#11 module.
const MODULES: [&str; 3] = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/softhsm/libsofthsm2.so",
];

/// The SoftHSM2 module; panics with the install hint when it is missing.
pub fn module() -> PathBuf {
    MODULES
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("SoftHSM2 is not installed (apt-get install softhsm2; see .ci/run): {MODULES:?}")
        })
}

/// The `softhsm2.conf` of the test token. A missing variable fails the test: a PKCS#11 check
/// that does not run proves nothing.
pub fn softhsm_conf() -> PathBuf {
    match std::env::var("VANBAN_TEST_SOFTHSM2_CONF") {
        Ok(conf) if !conf.is_empty() => {
            let conf = PathBuf::from(conf);
            assert!(
                conf.is_file(),
                "VANBAN_TEST_SOFTHSM2_CONF names {}, which does not exist",
                conf.display()
            );
            conf
        }
        _ => panic!(
            "VANBAN_TEST_SOFTHSM2_CONF is not set: .ci/run initialises a SoftHSM2 token \
             (softhsm2-util --init-token --free --label {TOKEN} --pin {PIN} --so-pin {SO_PIN}, \
             with its own softhsm2.conf) and exports the conf's path; do the same to run this \
             test locally"
        ),
    }
}

/// Make the token's configuration the one SoftHSM2 reads in this process (it reads
/// `SOFTHSM2_CONF` when the module is initialised). Set once, always to the same value.
fn point_softhsm_at(conf: &std::path::Path) {
    static SET: Once = Once::new();
    SET.call_once(|| {
        // SAFETY: the other threads of the test binaries using this module read the environment
        // only through `std` (which serialises access with `set_var`) and run peers as child
        // processes; none calls into C code that reads the environment while this runs.
        unsafe { std::env::set_var("SOFTHSM2_CONF", conf) };
    });
    assert_eq!(
        std::env::var_os("SOFTHSM2_CONF").as_deref(),
        Some(conf.as_os_str()),
        "SOFTHSM2_CONF already names another configuration"
    );
}

/// A logged-in read-write session on the test token. The context is returned with it so the
/// module stays loaded.
fn session() -> (Pkcs11, Session) {
    let conf = softhsm_conf();
    point_softhsm_at(&conf);
    let context = Pkcs11::new(module()).expect("load the SoftHSM2 module");
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CryptokiError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => panic!("initialise SoftHSM2: {e}"),
    }
    let slot = context
        .get_slots_with_token()
        .expect("slots")
        .into_iter()
        .find(|s| {
            context
                .get_token_info(*s)
                .is_ok_and(|i| i.label().trim() == TOKEN)
        })
        .unwrap_or_else(|| panic!("no token labelled {TOKEN} in {}", conf.display()));
    let session = context.open_rw_session(slot).expect("session");
    match session.login(UserType::User, Some(&AuthPin::from(PIN))) {
        Ok(()) | Err(CryptokiError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
        Err(e) => panic!("log in to {TOKEN} with the user PIN: {e}"),
    }
    (context, session)
}

/// A kind of key pair to make on the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKey {
    /// RSA-2048, public exponent 65537.
    Rsa2048,
    /// ECDSA on P-256.
    P256,
    /// ECDSA on P-384.
    P384,
}

impl TokenKey {
    /// DER OID of the named curve, as `CKA_EC_PARAMS` takes it.
    fn curve(self) -> Option<&'static [u8]> {
        match self {
            TokenKey::Rsa2048 => None,
            TokenKey::P256 => Some(&[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
            TokenKey::P384 => Some(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]),
        }
    }
}

/// The token's objects under one label, destroyed when dropped (also when a test fails), so
/// that test binaries sharing the token leave it as they found it.
pub struct TokenObjects(pub String);

impl Drop for TokenObjects {
    fn drop(&mut self) {
        remove(&self.0);
    }
}

/// Generate a `kind` key pair labelled `label` (with `id` as CKA_ID) on the token, issue its
/// certificate (CN `common_name`) from the CA (`ca_pem`, `ca_key_pkcs8`), store the certificate
/// next to the key, and return the certificate (DER).
pub fn provision(
    label: &str,
    id: &[u8],
    kind: TokenKey,
    common_name: &str,
    ca_pem: &str,
    ca_key_pkcs8: &[u8],
) -> Vec<u8> {
    let (_context, session) = session();
    let (public, private) = generate(&session, label, id, kind);
    let extractable = session
        .get_attributes(private, &[AttributeType::Extractable])
        .expect("CKA_EXTRACTABLE");
    assert!(
        matches!(extractable.first(), Some(Attribute::Extractable(false))),
        "the private key must stay on the token"
    );
    let spki = public_key_info(&session, public, kind);
    let ca_key = KeyPair::try_from(ca_key_pkcs8).expect("CA key (PKCS#8 DER)");
    let issuer = Issuer::from_ca_cert_pem(ca_pem, ca_key).expect("CA as issuer");
    let certificate = issue(&issuer, &spki, common_name);
    let (_, parsed) = x509_parser::parse_x509_certificate(&certificate).expect("parses");
    session
        .create_object(&[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
            Attribute::Subject(parsed.subject().as_raw().to_vec()),
            Attribute::Value(certificate.clone()),
        ])
        .expect("store the certificate");
    certificate
}

/// A key pair on the token: sensitive, not extractable.
fn generate(
    session: &Session,
    label: &str,
    id: &[u8],
    kind: TokenKey,
) -> (ObjectHandle, ObjectHandle) {
    let common = |usage: Attribute| {
        vec![
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
            usage,
        ]
    };
    let mut public = common(Attribute::Verify(true));
    let mut private = common(Attribute::Sign(true));
    private.extend([
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
    ]);
    let mechanism = match kind.curve() {
        None => {
            public.extend([
                Attribute::ModulusBits(2048.into()),
                Attribute::PublicExponent(vec![1, 0, 1]),
            ]);
            Mechanism::RsaPkcsKeyPairGen
        }
        Some(curve) => {
            public.push(Attribute::EcParams(curve.to_vec()));
            Mechanism::EccKeyPairGen
        }
    };
    session
        .generate_key_pair(&mechanism, &public, &private)
        .expect("key pair on the token")
}

/// Destroy every object labelled `label` (key pair and certificate); returns how many.
pub fn remove(label: &str) -> usize {
    let (_context, session) = session();
    let objects = session
        .find_objects(&[Attribute::Label(label.as_bytes().to_vec())])
        .expect("find objects");
    for object in &objects {
        session.destroy_object(*object).expect("destroy object");
    }
    objects.len()
}

/// The public key read back from the token, as a DER SubjectPublicKeyInfo.
fn public_key_info(session: &Session, public: ObjectHandle, kind: TokenKey) -> Vec<u8> {
    let Some(curve) = kind.curve() else {
        return rsa_public_key_info(session, public);
    };
    use der::{Decode, Encode};
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
        subject_public_key: der::asn1::BitString::from_bytes(point.as_bytes()).expect("bits"),
    };
    spki.to_der().expect("spki")
}

/// An RSA public key read back from the token, as a DER SubjectPublicKeyInfo.
fn rsa_public_key_info(session: &Session, public: ObjectHandle) -> Vec<u8> {
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

/// A signing certificate for the public key `spki`: a citizen-ID UID and `common_name`,
/// digitalSignature + nonRepudiation, valid from an hour ago for a year.
fn issue(issuer: &Issuer<'_, KeyPair>, spki: &[u8], common_name: &str) -> Vec<u8> {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 1]),
        DnValue::Utf8String("CCCD:001085012345".to_owned()),
    );
    params.distinguished_name.push(
        DnType::CommonName,
        DnValue::Utf8String(common_name.to_owned()),
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

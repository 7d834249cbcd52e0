//! CMS SignedData made by `sign::cms` is accepted by `openssl cms -verify`, for every key type
//! and scheme, and rejected when the content changes; RFC 3161 timestamps come from a real TSA
//! (`openssl ts -reply` on 127.0.0.1) and verify with `openssl ts -verify`.

mod common {
    pub mod tsa;
}

use std::path::Path;
use std::process::Command;

use der::Decode;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_RSA_SHA256,
};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};
use rsa::pkcs8::EncodePrivateKey;
use vanban::sign::cms::{DigestAlgorithm, SignatureScheme, SignedAttributes};
use x509_cert::Certificate;

use common::tsa::TestTsa;

/// A root and a leaf certificate, with the leaf's PKCS#8 key.
struct Chain {
    root_pem: String,
    certs: Vec<Certificate>,
    leaf_pkcs8: Vec<u8>,
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "VN");
    dn.push(DnType::OrganizationName, "Công đoàn ngành Y tế Đồng Nai");
    dn.push(DnType::CommonName, cn);
    dn
}

fn chain(leaf_key: KeyPair, leaf_pkcs8: Vec<u8>) -> Chain {
    let root_key = KeyPair::generate().expect("root key");
    let mut root = CertificateParams::new(Vec::<String>::new()).expect("params");
    root.distinguished_name = name("Root CA thử nghiệm");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let root_cert = root.self_signed(&root_key).expect("root");
    let issuer = Issuer::new(root, root_key);
    let mut leaf = CertificateParams::new(Vec::<String>::new()).expect("params");
    leaf.distinguished_name = name("Nguyễn Văn Đức");
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).expect("leaf");
    Chain {
        root_pem: root_cert.pem(),
        certs: vec![
            Certificate::from_der(leaf_cert.der()).expect("leaf der"),
            Certificate::from_der(root_cert.der()).expect("root der"),
        ],
        leaf_pkcs8: leaf_pkcs8,
    }
}

fn ecdsa_chain() -> Chain {
    let key = KeyPair::generate().expect("p256");
    let pkcs8 = key.serialize_der();
    chain(key, pkcs8)
}

fn rsa_chain() -> Chain {
    let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("rsa");
    let pkcs8 = private.to_pkcs8_der().expect("pkcs8").as_bytes().to_vec();
    let key = KeyPair::try_from(pkcs8.as_slice()).expect("rcgen rsa");
    assert_eq!(key.algorithm(), &PKCS_RSA_SHA256);
    chain(key, pkcs8)
}

fn sign(
    chain: &Chain,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    message: &[u8],
) -> Vec<u8> {
    let rng = SystemRandom::new();
    match scheme {
        SignatureScheme::Ecdsa => {
            let alg = &signature::ECDSA_P256_SHA256_ASN1_SIGNING;
            let key = EcdsaKeyPair::from_pkcs8(alg, &chain.leaf_pkcs8, &rng).expect("ecdsa key");
            key.sign(&rng, message).expect("sign").as_ref().to_vec()
        }
        SignatureScheme::RsaPkcs1 | SignatureScheme::RsaPss => {
            let key = RsaKeyPair::from_pkcs8(&chain.leaf_pkcs8).expect("rsa key");
            let padding: &dyn signature::RsaEncoding = match (scheme, digest) {
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha256) => &signature::RSA_PSS_SHA256,
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha384) => &signature::RSA_PSS_SHA384,
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha512) => &signature::RSA_PSS_SHA512,
                (_, DigestAlgorithm::Sha256) => &signature::RSA_PKCS1_SHA256,
                (_, DigestAlgorithm::Sha384) => &signature::RSA_PKCS1_SHA384,
                (_, DigestAlgorithm::Sha512) => &signature::RSA_PKCS1_SHA512,
            };
            let mut out = vec![0u8; key.public().modulus_len()];
            key.sign(padding, &rng, message, &mut out).expect("sign");
            out
        }
    }
}

fn make_cms(
    chain: &Chain,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    content: &[u8],
) -> vanban::sign::cms::SignedCms {
    let attributes =
        SignedAttributes::new(&digest.digest(content), digest, chain.certs.clone()).expect("attrs");
    let to_sign = attributes.to_be_signed().expect("tbs");
    let value = sign(chain, scheme, digest, &to_sign);
    attributes.complete(scheme, value).expect("complete")
}

fn openssl_verify(dir: &Path, cms: &[u8], content: &[u8], root_pem: &str) -> bool {
    std::fs::write(dir.join("sig.der"), cms).expect("write");
    std::fs::write(dir.join("data.bin"), content).expect("write");
    std::fs::write(dir.join("root.pem"), root_pem).expect("write");
    let output = Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(dir.join("sig.der"))
        .arg("-content")
        .arg(dir.join("data.bin"))
        .arg("-CAfile")
        .arg(dir.join("root.pem"))
        .args(["-out", "/dev/null"])
        .output()
        .expect("run openssl");
    output.status.success()
}

const CONTENT: &[u8] =
    "%PDF-1.7 Kế hoạch số 36/KH-CĐN: đổi mới công tác thi đua, khen thưởng".as_bytes();

#[test]
fn openssl_accepts_ecdsa_and_rejects_changed_content() {
    let dir = tempfile::tempdir().expect("dir");
    let chain = ecdsa_chain();
    let cms = make_cms(
        &chain,
        SignatureScheme::Ecdsa,
        DigestAlgorithm::Sha256,
        CONTENT,
    );
    let der = cms.to_der().expect("der");
    assert!(openssl_verify(dir.path(), &der, CONTENT, &chain.root_pem));
    let mut changed = CONTENT.to_vec();
    changed[3] ^= 1;
    assert!(!openssl_verify(dir.path(), &der, &changed, &chain.root_pem));
}

#[test]
fn openssl_accepts_rsa_pkcs1_and_pss_with_each_digest() {
    let dir = tempfile::tempdir().expect("dir");
    let chain = rsa_chain();
    for scheme in [SignatureScheme::RsaPkcs1, SignatureScheme::RsaPss] {
        for digest in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let der = make_cms(&chain, scheme, digest, CONTENT)
                .to_der()
                .expect("der");
            assert!(
                openssl_verify(dir.path(), &der, CONTENT, &chain.root_pem),
                "{scheme:?} {digest:?}"
            );
        }
    }
}

#[test]
fn timestamp_from_a_real_tsa_is_embedded_and_verifies() {
    let tsa = TestTsa::start();
    let dir = tempfile::tempdir().expect("dir");
    let chain = ecdsa_chain();
    let cms = make_cms(
        &chain,
        SignatureScheme::Ecdsa,
        DigestAlgorithm::Sha256,
        CONTENT,
    );
    let imprint = cms.signature_value_digest();
    let token = vanban::sign::tsa::timestamp(&tsa.url, DigestAlgorithm::Sha256, &imprint)
        .expect("timestamp");
    let der = cms
        .with_timestamp(&token)
        .expect("attach")
        .to_der()
        .expect("der");
    assert!(openssl_verify(dir.path(), &der, CONTENT, &chain.root_pem));

    let token_path = dir.path().join("token.der");
    std::fs::write(&token_path, &token).expect("write token");
    let hex: String = imprint.iter().map(|b| format!("{b:02x}")).collect();
    let output = Command::new("openssl")
        .args(["ts", "-verify", "-token_in", "-digest", &hex, "-in"])
        .arg(&token_path)
        .arg("-CAfile")
        .arg(&tsa.root_pem)
        .arg("-untrusted")
        .arg(&tsa.tsa_pem)
        .output()
        .expect("openssl ts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Verification: OK"),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_tsa_answer_for_another_imprint_is_refused() {
    let tsa = TestTsa::start();
    let request =
        vanban::sign::tsa::Request::new(DigestAlgorithm::Sha256, &[7u8; 32]).expect("req");
    let other = vanban::sign::tsa::Request::new(DigestAlgorithm::Sha256, &[8u8; 32]).expect("req");
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let mut response = agent
        .post(&tsa.url)
        .header("Content-Type", "application/timestamp-query")
        .send(other.der())
        .expect("post");
    let body = response.body_mut().read_to_vec().expect("body");
    let error = request.accept(&body).expect_err("mismatch must be refused");
    assert!(error.to_string().contains("imprint"), "{error}");
}

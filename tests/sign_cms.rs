//! CMS SignedData made by `sign::cms` is accepted by `openssl cms -verify`, for every key type
//! and scheme, and rejected when the content changes; RFC 3161 timestamps come from a real TSA
//! (`openssl ts -reply` on 127.0.0.1) and verify with `openssl ts -verify`.

mod common {
    pub mod keys;
    pub mod tsa;
}

use std::path::Path;
use std::process::Command;

use vanban::sign::cms::{DigestAlgorithm, SignatureScheme, SignedAttributes};

use common::keys::{Chain, ecdsa_chain, rsa_chain, sign};
use common::tsa::TestTsa;

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

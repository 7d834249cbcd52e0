//! The verifier's CMS layer judges CMS made by us and by OpenSSL, and names what is wrong:
//! a changed content digest, a flipped signature, a swapped certificate, SHA-1, RSA-1024.

mod common {
    pub mod keys;
}

use std::path::Path;
use std::process::Command;

use vanban::sign::cms::{DigestAlgorithm, SignatureScheme, SignedAttributes};
use vanban::verify::cms::{self, AlgorithmProblem, Digest, SignatureProblem};

use common::keys::{Chain, ecdsa_chain, rsa_chain, sign};

const CONTENT: &[u8] = "Đồng Nai, ngày 20 tháng 3 năm 2020: Kế hoạch số 36/KH-CĐN".as_bytes();

fn our_cms(chain: &Chain, scheme: SignatureScheme, digest: DigestAlgorithm) -> Vec<u8> {
    let attributes =
        SignedAttributes::new(&digest.digest(CONTENT), digest, chain.certs.clone()).expect("attrs");
    let value = sign(
        chain,
        scheme,
        digest,
        &attributes.to_be_signed().expect("tbs"),
    );
    attributes
        .complete(scheme, value)
        .expect("complete")
        .to_der()
        .expect("der")
}

fn facts(der: &[u8], content: &[u8]) -> cms::CryptoFacts {
    let view = cms::parse(der).expect("parse");
    let digest = view.digest().expect("digest allowed");
    cms::check(&view, Some(&digest.digest(content)))
}

fn assert_valid(facts: &cms::CryptoFacts) {
    assert!(facts.signer_certificate.is_some(), "{facts:?}");
    assert!(facts.content_type_ok, "{facts:?}");
    assert!(facts.digest_matches, "{facts:?}");
    assert_eq!(facts.signature, Ok(()), "{facts:?}");
    assert_eq!(facts.signing_certificate_matches, Some(true), "{facts:?}");
}

#[test]
fn our_signatures_are_valid_for_every_scheme() {
    let ec = ecdsa_chain();
    assert_valid(&facts(
        &our_cms(&ec, SignatureScheme::Ecdsa, DigestAlgorithm::Sha256),
        CONTENT,
    ));
    let rsa = rsa_chain();
    for scheme in [SignatureScheme::RsaPkcs1, SignatureScheme::RsaPss] {
        for digest in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let facts = facts(&our_cms(&rsa, scheme, digest), CONTENT);
            assert_valid(&facts);
            assert!(
                facts.signing_time.is_none(),
                "PAdES CMS carries no signing-time"
            );
        }
    }
}

#[test]
fn changed_content_fails_the_digest_only() {
    let ec = ecdsa_chain();
    let der = our_cms(&ec, SignatureScheme::Ecdsa, DigestAlgorithm::Sha256);
    let facts = facts(&der, b"another content");
    assert!(!facts.digest_matches);
    assert_eq!(facts.signature, Ok(()), "the signed attributes are intact");
}

#[test]
fn a_flipped_signature_byte_is_invalid() {
    let ec = ecdsa_chain();
    let der = our_cms(&ec, SignatureScheme::Ecdsa, DigestAlgorithm::Sha256);
    let view = cms::parse(&der).expect("parse");
    let position = find(&der, &view.signer.signature).expect("signature bytes") + 10;
    let mut tampered = der.clone();
    tampered[position] ^= 0x01;
    let facts = facts(&tampered, CONTENT);
    assert_eq!(facts.signature, Err(SignatureProblem::Invalid));
}

#[test]
fn a_swapped_certificate_with_the_same_name_does_not_verify() {
    let signer = ecdsa_chain();
    let impostor = ecdsa_chain();
    let attributes = SignedAttributes::new(
        &DigestAlgorithm::Sha256.digest(CONTENT),
        DigestAlgorithm::Sha256,
        impostor.certs.clone(),
    )
    .expect("attrs");
    // Signed with the real signer's key, but carrying the impostor's certificate.
    let value = sign(
        &signer,
        SignatureScheme::Ecdsa,
        DigestAlgorithm::Sha256,
        &attributes.to_be_signed().expect("tbs"),
    );
    let der = attributes
        .complete(SignatureScheme::Ecdsa, value)
        .expect("cms")
        .to_der()
        .expect("der");
    assert_eq!(
        facts(&der, CONTENT).signature,
        Err(SignatureProblem::Invalid)
    );
}

#[test]
fn garbage_is_a_parse_error_not_a_panic() {
    for input in [
        &b""[..],
        b"\x30",
        b"\x30\x03\x06\x01\x00",
        &[0u8; 64],
        b"\x30\x80\x00\x00",
    ] {
        assert!(cms::parse(input).is_err());
    }
    let ec = ecdsa_chain();
    let der = our_cms(&ec, SignatureScheme::Ecdsa, DigestAlgorithm::Sha256);
    for cut in [1, 10, der.len() / 2, der.len() - 1] {
        assert!(cms::parse(&der[..cut]).is_err(), "truncated at {cut}");
    }
}

/// OpenSSL as the third-party signer: its CMS carries signingTime and smimeCapabilities.
fn openssl_sign(dir: &Path, extra: &[&str], key_args: &[&str]) -> Vec<u8> {
    let key = dir.join("key.pem");
    let cert = dir.join("cert.pem");
    let mut keygen = Command::new("openssl");
    keygen.arg("req").args([
        "-x509",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/C=VN/CN=Trần Thị Ữ",
    ]);
    keygen
        .args(["-utf8"])
        .args(key_args)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert);
    assert!(keygen.output().expect("openssl req").status.success());
    std::fs::write(dir.join("data.bin"), CONTENT).expect("write");
    let output = Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-outform", "DER"])
        .args(extra)
        .arg("-in")
        .arg(dir.join("data.bin"))
        .arg("-signer")
        .arg(&cert)
        .arg("-inkey")
        .arg(&key)
        .output()
        .expect("openssl cms");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn openssl_made_cms_is_read_with_its_signing_time() {
    let dir = tempfile::tempdir().expect("dir");
    let der = openssl_sign(
        dir.path(),
        &["-md", "sha256"],
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    let facts = facts(&der, CONTENT);
    assert!(facts.digest_matches && facts.content_type_ok, "{facts:?}");
    assert_eq!(facts.signature, Ok(()));
    assert!(facts.signing_time.is_some());
}

#[test]
fn sha1_and_rsa_1024_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let der = openssl_sign(dir.path(), &["-md", "sha1"], &["-newkey", "rsa:2048"]);
    let view = cms::parse(&der).expect("parse");
    assert_eq!(view.digest(), Err(AlgorithmProblem::WeakDigest("SHA-1")));
    let checked = cms::check(&view, None);
    assert_eq!(
        checked.signature,
        Err(SignatureProblem::Algorithm(AlgorithmProblem::WeakDigest(
            "SHA-1"
        )))
    );

    let der = openssl_sign(dir.path(), &["-md", "sha256"], &["-newkey", "rsa:1024"]);
    let facts = facts(&der, CONTENT);
    assert!(facts.digest_matches);
    assert_eq!(
        facts.signature,
        Err(SignatureProblem::Algorithm(AlgorithmProblem::WeakKey(1024)))
    );
    assert_eq!(Digest::from_oid(&vanban::oid::SHA256), Ok(Digest::Sha256));
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

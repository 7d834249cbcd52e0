//! Second opinions from real peers on what `vanban::sign` writes: poppler's pdfsig (with an
//! NSS database trusting the roots), `qpdf --check`, `openssl cms -verify` on every extracted
//! CMS with the extracted signed bytes, `openssl ts -verify` on document timestamps, and
//! pyHanko for every key type and signature scheme. Timestamps come from a real TSA on
//! 127.0.0.1 (`openssl ts -reply`).

mod common {
    pub mod keys;
    pub mod peers;
    pub mod samples;
    pub mod tsa;
}

use std::path::{Path, PathBuf};

use der::Encode;
use time::OffsetDateTime;
use time::macros::date;
use vanban::pki::dev::{DevKeyAlgorithm, DevPkiOptions, generate};
use vanban::pki::{KeySigner, SignatureAlgorithm};
use vanban::render::pdf::{PdfOptions, render};
use vanban::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use vanban::sign::fill::Issue;
use vanban::sign::pades::{self, CertificateCheck, Certification, Level, SignOptions};
use vanban::sign::workflow::{Step, issue, leader_sign};

use common::keys::{Chain, chain, ecdsa_chain, rsa_chain};
use common::peers::{
    assert_trusted, nss_db, openssl_cms_verify, pdfsig, pyhanko, qpdf_check, run, signatures,
};
use common::samples;
use common::tsa::TestTsa;

fn temp_dir(name: &str) -> common::peers::Scratch {
    common::peers::Scratch::new("sign-peers", name)
}

fn draft() -> Vec<u8> {
    render(&samples::ke_hoach(false), &PdfOptions::default())
        .expect("renders")
        .bytes
}

/// Both roots in one PEM file (for openssl's -CAfile).
fn bundle(dir: &Path, roots: &[&Path]) -> PathBuf {
    let text: String = roots
        .iter()
        .map(|r| std::fs::read_to_string(r).expect("read root"))
        .collect();
    let path = dir.join("roots.pem");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn the_decree_chain_at_b_lta_passes_pdfsig_qpdf_and_openssl() {
    let scratch = temp_dir("chain");
    let dir = scratch.path();
    let pki = generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev PKI");
    let root = dir.join("root.pem");
    std::fs::write(&root, pki.entity("root").expect("root").certificate_pem()).expect("write");
    let tsa = TestTsa::start();
    let step = Step {
        level: Level::BT,
        tsa_url: Some(&tsa.url),
        signing_time: OffsetDateTime::now_utc(),
        check: CertificateCheck::Skip,
    };
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let leader_signed = leader_sign(draft(), &leader, None, &step).expect("leader");
    let seal = Appearance::Seal {
        ring: "CÔNG ĐOÀN NGÀNH Y TẾ *".into(),
        diameter_mm: DEFAULT_SEAL_MM,
    };
    let numbered = Issue {
        number: 36,
        date: date!(2020 - 03 - 20),
    };
    let lta = Step {
        level: Level::BLTA,
        ..step
    };
    let signed = issue(leader_signed, Some(&numbered), &org, seal, &lta).expect("issue");
    let path = dir.join("signed.pdf");
    std::fs::write(&path, &signed).expect("write");

    qpdf_check(&path);

    let db = nss_db(dir, &[&root, &tsa.root_pem]);
    let report = pdfsig(&path, &db);
    // pdfsig checks the two CMS signatures; it cannot verify document timestamps (peers.md).
    let valid = report
        .matches("Signature Validation: Signature is Valid.")
        .count();
    assert_eq!(valid, 2, "pdfsig:\n{report}");
    assert!(
        !report.contains("Signature is Invalid"),
        "pdfsig:\n{report}"
    );
    // Known divergence: poppler 22.12 + NSS report "Unknown issue with Certificate" where it
    // has no revocation information it can use (the dev PKI's OCSP responder is
    // http://pki.vanban.invalid/ocsp, RFC 6761, never resolves), and, in one run, for the
    // second signature it checks whichever certificate that is (tests/demo_cli.rs). NSS's
    // vfychain calls these chains good. Trust through pdfsig is asserted in the algorithm
    // matrix below, in tests/sign_cli.rs and on the demo's files.
    let statuses = common::peers::pdfsig_certificate_statuses(&report);
    assert_eq!(statuses.len(), 2, "pdfsig:\n{report}");
    for status in statuses {
        assert!(
            status.contains("Certificate is Trusted")
                || status.contains("Unknown issue with Certificate"),
            "pdfsig certificate status: {status}"
        );
    }

    let roots = bundle(dir, &[&root, &tsa.root_pem]);
    let extracted = signatures(&signed);
    assert_eq!(extracted.len(), 3, "chu_ky, dau and the document timestamp");
    for (name, cms, content) in &extracted {
        if name.starts_with("vanban_dts") {
            let token = dir.join("dts.tsr");
            let data = dir.join("dts.bin");
            std::fs::write(&token, cms).expect("write");
            std::fs::write(&data, content).expect("write");
            let (ok, out, err) = run(
                "openssl",
                &[
                    "ts",
                    "-verify",
                    "-token_in",
                    "-in",
                    &token.to_string_lossy(),
                    "-data",
                    &data.to_string_lossy(),
                    "-CAfile",
                    &tsa.root_pem.to_string_lossy(),
                ],
            );
            assert!(
                ok && out.contains("Verification: OK"),
                "openssl ts -verify: {out}{err}"
            );
        } else {
            let (ok, report) = openssl_cms_verify(dir, name, cms, content, &roots);
            assert!(ok, "openssl cms -verify {name}: {report}");
            // Changing one signed byte must make openssl refuse.
            let mut tampered = content.clone();
            tampered[content.len() / 2] ^= 1;
            let (ok, _) = openssl_cms_verify(dir, name, cms, &tampered, &roots);
            assert!(!ok, "openssl accepted tampered content for {name}");
        }
    }

    let records = pyhanko(&path, &[&root, &tsa.root_pem], false);
    assert_eq!(records.len(), 3);
    records.iter().for_each(assert_trusted);
}

/// A P-384 chain (rcgen signs the leaf with a P-256 root).
fn p384_chain() -> Chain {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("p384");
    let pkcs8 = key.serialize_der();
    chain(key, pkcs8)
}

/// Every key type and scheme: pyHanko trusts it, openssl verifies it, pdfsig validates it.
#[test]
fn every_key_type_and_scheme_is_accepted_by_every_peer() {
    let scratch = temp_dir("algorithms");
    let dir = scratch.path();
    let rsa = rsa_chain();
    let p256 = ecdsa_chain();
    let p384 = p384_chain();
    let cases: [(&Chain, SignatureAlgorithm); 8] = [
        (&rsa, SignatureAlgorithm::RsaPkcs1Sha256),
        (&rsa, SignatureAlgorithm::RsaPkcs1Sha384),
        (&rsa, SignatureAlgorithm::RsaPkcs1Sha512),
        (&rsa, SignatureAlgorithm::RsaPssSha256),
        (&rsa, SignatureAlgorithm::RsaPssSha384),
        (&rsa, SignatureAlgorithm::RsaPssSha512),
        (&p256, SignatureAlgorithm::EcdsaP256Sha256),
        (&p384, SignatureAlgorithm::EcdsaP384Sha384),
    ];
    let draft = draft();
    for (chain, algorithm) in cases {
        let name = algorithm.name().replace([' ', '#', '.'], "_");
        let root = dir.join(format!("{name}-root.pem"));
        std::fs::write(&root, &chain.root_pem).expect("write");
        let certs: Vec<Vec<u8>> = chain
            .certs
            .iter()
            .map(|c| c.to_der().expect("der"))
            .collect();
        let signer =
            KeySigner::from_pkcs8(zeroize::Zeroizing::new(chain.leaf_pkcs8.clone()), certs)
                .expect("signer")
                .with_algorithm(algorithm)
                .expect("algorithm");
        let options = SignOptions {
            certify: Some(Certification::FormFilling),
            appearance: Appearance::Signature {
                name: "Nguyễn Văn Đức".into(),
            },
            ..SignOptions::new("chu_ky", OffsetDateTime::now_utc())
        };
        let signed =
            pades::sign(draft.clone(), &signer, &options, CertificateCheck::Skip).expect("signs");
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &signed).expect("write");
        let records = pyhanko(&path, &[&root], false);
        assert_eq!(records.len(), 1, "{name}");
        assert_trusted(&records[0]);
        let expected_md = match algorithm.digest_algorithm().name() {
            "SHA-256" => "sha256",
            "SHA-384" => "sha384",
            _ => "sha512",
        };
        assert_eq!(records[0]["md"], expected_md, "{name}");
        for (field, cms, content) in signatures(&signed) {
            let (ok, report) = openssl_cms_verify(dir, &name, &cms, &content, &root);
            assert!(ok, "openssl cms -verify {name} {field}: {report}");
        }
        let db = nss_db(&dir.join(&name), &[&root]);
        let report = pdfsig(&path, &db);
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "pdfsig {name}:\n{report}"
        );
        assert!(
            report.contains("Certificate Validation: Certificate is Trusted."),
            "pdfsig {name}:\n{report}"
        );
    }
}

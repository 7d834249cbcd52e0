//! Revocation evidence for the development PKI, made the way a CA makes it: the root's CRL
//! signed with the root key (rcgen), and OCSP responses from a real `openssl ocsp` signed by
//! the dev PKI's delegated responder. The intermediate's CRL comes with the dev PKI itself.
#![allow(dead_code)] // each test binary uses part of the shared helpers

use std::path::Path;
use std::process::Command;

use rcgen::{CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair, SerialNumber};
use rustls_pki_types::CertificateDer;
use time::{Duration, OffsetDateTime};
use vanban::pki::dev::DevPki;

/// The root's CRL (nothing revoked), issued an hour ago, fresh for 30 days.
pub fn root_crl(pki: &DevPki) -> Vec<u8> {
    let root = pki.entity("root").expect("root");
    let key = KeyPair::try_from(root.key_pkcs8()).expect("root key");
    let der = CertificateDer::from(root.certificate_der.clone());
    let issuer = Issuer::from_ca_cert_der(&der, key).expect("root as issuer");
    let now = OffsetDateTime::now_utc();
    let params = CertificateRevocationListParams {
        this_update: now - Duration::hours(1),
        next_update: now + Duration::days(30),
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    params.signed_by(&issuer).expect("root CRL").der().to_vec()
}

/// An OCSP response about `name` ("good"), from `openssl ocsp` with the dev "ocsp" responder.
pub fn ocsp_response(pki: &DevPki, name: &str, dir: &Path) -> Vec<u8> {
    let cert = pki.entity(name).expect("entity");
    let issuer = pki.entity("intermediate").expect("intermediate");
    let responder = pki.entity("ocsp").expect("ocsp responder");
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert.certificate_der).expect("parses");
    let serial: String = parsed
        .raw_serial()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let not_after = parsed.validity().not_after.to_datetime();
    let expiry = format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        not_after.year() % 100,
        u8::from(not_after.month()),
        not_after.day(),
        not_after.hour(),
        not_after.minute(),
        not_after.second()
    );
    let work = dir.join(format!("ocsp-{name}"));
    std::fs::create_dir_all(&work).expect("dir");
    let index = work.join("index.txt");
    std::fs::write(
        &index,
        format!("V\t{expiry}\t\t{serial}\tunknown\t/CN={name}\n"),
    )
    .expect("index");
    std::fs::write(work.join("ca.pem"), issuer.certificate_pem()).expect("ca");
    std::fs::write(work.join("rsigner.pem"), responder.certificate_pem()).expect("rsigner");
    let key_pem = der::pem::encode_string(
        "PRIVATE KEY",
        der::pem::LineEnding::LF,
        responder.key_pkcs8(),
    )
    .expect("pem");
    std::fs::write(work.join("rkey.pem"), key_pem).expect("rkey");
    let request =
        vanban::pki::revocation::ocsp_request(&cert.certificate_der, &issuer.certificate_der, None)
            .expect("request");
    std::fs::write(work.join("req.der"), request).expect("request");
    let output = Command::new("openssl")
        .current_dir(&work)
        .args([
            "ocsp",
            "-index",
            "index.txt",
            "-CA",
            "ca.pem",
            "-rsigner",
            "rsigner.pem",
            "-rkey",
            "rkey.pem",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "30",
        ])
        .output()
        .expect("openssl must be installed");
    assert!(
        output.status.success(),
        "openssl ocsp: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(work.join("resp.der")).expect("response")
}

//! `vanban verify` on PDFs we sign ourselves: every fact of the status, the verdicts for
//! certification levels, form filling, annotations, field locks, timestamps, DSS and
//! document timestamps, revoked/expired/untrusted signers, and the command line (exit codes,
//! JSON contract, Vietnamese and English text).

mod common {
    pub mod signed_pdf;
    pub mod tsa;
}

use std::process::Command;

use time::macros::datetime;
use vanban::verify::status::{
    Coverage, ModificationLevel, PadesLevel, RevocationSource, SignatureKind, Trust, Verdict,
};
use vanban::verify::{Options, verify_bytes};

use common::signed_pdf::{
    Spec, add_document_timestamp, add_dss, anchors, annotate, base_pdf, codes, fill, pem_to_der,
    pki, sign, verdicts, verify, verify_with,
};
use common::tsa::TestTsa;

#[test]
fn our_signature_is_valid_with_every_fact() {
    let signed = sign(&base_pdf(), &Spec::default());
    let report = verify(&signed);
    assert_eq!(report.verdict(), Some(Verdict::Valid), "{report:#?}");
    let status = &report.signatures[0];
    assert_eq!(status.field, "chu_ky");
    assert_eq!(status.kind, SignatureKind::Approval);
    assert!(status.intact);
    assert_eq!(status.coverage, Coverage::EntireFile);
    assert_eq!(status.modification, ModificationLevel::None);
    assert_eq!(status.pades_level, PadesLevel::BB);
    assert_eq!(status.digest_algorithm.as_deref(), Some("SHA-256"));
    assert_eq!(
        status.signature_algorithm.as_deref(),
        Some("ECDSA with SHA-256")
    );
    assert_eq!(status.signed_revision, Some(1));
    let signer = status.signer.as_ref().expect("signer");
    assert_eq!(signer.name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(signer.uid.as_deref(), Some("CCCD:001085012345"));
    assert_eq!(
        signer.organization.as_deref(),
        Some("Công đoàn ngành Y tế tỉnh Đồng Nai")
    );
    assert_eq!(signer.issuer, "vanban CA cấp dưới thử nghiệm");
    assert_eq!(
        status.claimed_time,
        Some(datetime!(2026-01-01 09:00:00 +07:00))
    );
    assert!(matches!(
        status.trust,
        Trust::Trusted {
            revocation: RevocationSource::None,
            ..
        }
    ));
    let text = report.to_text(Default::default());
    assert!(text.contains("Chữ ký số hợp lệ"), "{text}");
    assert!(text.contains("Nguyễn Văn An [CCCD:001085012345]"), "{text}");
}

#[test]
fn certification_p2_allows_filling_and_a_second_signature() {
    let certified = sign(
        &base_pdf(),
        &Spec {
            certify: Some(2),
            ..Spec::default()
        },
    );
    let filled = fill(&certified, "so", "36/KH-CĐN");
    let report = verify(&filled);
    assert_eq!(
        verdicts(&report),
        vec![Verdict::ValidWithAllowedChanges],
        "{report:#?}"
    );
    let status = &report.signatures[0];
    assert_eq!(status.kind, SignatureKind::Certification { permission: 2 });
    assert_eq!(status.coverage, Coverage::EntireRevision);
    assert_eq!(status.modification, ModificationLevel::FormFilling);
    let (_, reasons) = status.judge();
    assert!(reasons[0].vi.contains("36/KH-CĐN"), "{reasons:?}");
    assert_eq!(reasons[0].code, "allowed-changes");

    let sealed = sign(
        &filled,
        &Spec {
            field: "dau",
            signer: "org",
            ..Spec::default()
        },
    );
    let report = verify(&sealed);
    assert_eq!(
        verdicts(&report),
        vec![Verdict::ValidWithAllowedChanges, Verdict::Valid],
        "{report:#?}"
    );
    let seal = &report.signatures[1];
    assert_eq!(
        seal.signer.as_ref().and_then(|s| s.uid.as_deref()),
        Some("MST:3600123456")
    );
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn certification_p1_refuses_filling_and_signing() {
    let certified = sign(
        &base_pdf(),
        &Spec {
            certify: Some(1),
            ..Spec::default()
        },
    );
    let report = verify(&fill(&certified, "so", "36/KH-CĐN"));
    assert_eq!(verdicts(&report), vec![Verdict::InvalidModified]);
    assert_eq!(codes(&report, 0), vec!["permissions"]);
    let signed_again = sign(
        &certified,
        &Spec {
            field: "dau",
            signer: "org",
            ..Spec::default()
        },
    );
    let report = verify(&signed_again);
    assert_eq!(
        verdicts(&report),
        vec![Verdict::InvalidModified, Verdict::Valid]
    );
    assert_eq!(report.verdict(), Some(Verdict::InvalidModified));
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn annotations_need_p3() {
    let p3 = sign(
        &base_pdf(),
        &Spec {
            certify: Some(3),
            ..Spec::default()
        },
    );
    let report = verify(&annotate(&p3, "Text", [10.0, 10.0, 30.0, 30.0], "Đã xem"));
    assert_eq!(verdicts(&report), vec![Verdict::ValidWithAllowedChanges]);
    assert_eq!(
        report.signatures[0].modification,
        ModificationLevel::Annotations
    );
    let approval = sign(&base_pdf(), &Spec::default());
    let report = verify(&annotate(
        &approval,
        "Text",
        [10.0, 10.0, 30.0, 30.0],
        "Đã xem",
    ));
    assert_eq!(verdicts(&report), vec![Verdict::InvalidModified]);
    assert_eq!(codes(&report, 0), vec!["permissions"]);
}

#[test]
fn a_field_lock_refuses_filling_the_locked_field() {
    let locked = sign(
        &base_pdf(),
        &Spec {
            lock: Some(vec!["so"]),
            ..Spec::default()
        },
    );
    let report = verify(&fill(&locked, "so", "99/KH-CĐN"));
    assert_eq!(verdicts(&report), vec![Verdict::InvalidModified]);
    assert_eq!(codes(&report, 0), vec!["permissions"]);
    let report = verify(&fill(&locked, "ngay", "05"));
    assert_eq!(verdicts(&report), vec![Verdict::ValidWithAllowedChanges]);
}

#[test]
fn timestamps_dss_and_document_timestamps_reach_b_lta() {
    let tsa = TestTsa::start();
    let tsa_root = pem_to_der(&std::fs::read_to_string(&tsa.root_pem).expect("tsa root"));
    let extra = [tsa_root];
    let bt = sign(
        &base_pdf(),
        &Spec {
            tsa: Some(&tsa.url),
            ..Spec::default()
        },
    );
    let report = verify_with(&bt, &extra);
    assert_eq!(report.verdict(), Some(Verdict::Valid), "{report:#?}");
    let status = &report.signatures[0];
    assert_eq!(status.pades_level, PadesLevel::BT);
    let ts = status.timestamp.as_ref().expect("timestamp");
    assert!(ts.intact);
    assert!(matches!(ts.trust, Trust::Trusted { .. }), "{ts:?}");
    assert_eq!(status.validation_time, Some(ts.time));

    let pki = pki();
    let mut certs = pki.chain("leader");
    certs.push(pki.root_der().to_vec());
    let blt = add_dss(&bt, &certs, std::slice::from_ref(&pki.crl_der), &[]);
    let report = verify_with(&blt, &extra);
    assert_eq!(report.verdict(), Some(Verdict::Valid), "{report:#?}");
    let status = &report.signatures[0];
    assert_eq!(status.modification, ModificationLevel::LtaUpdates);
    assert_eq!(status.pades_level, PadesLevel::BLt, "{status:#?}");
    assert_eq!(status.revocation_detail.as_deref(), Some("CRL (DSS)"));

    let blta = add_document_timestamp(&blt, &tsa.url);
    let report = verify_with(&blta, &extra);
    assert_eq!(
        verdicts(&report),
        vec![Verdict::Valid, Verdict::Valid],
        "{report:#?}"
    );
    assert_eq!(report.signatures[0].pades_level, PadesLevel::BLta);
    assert_eq!(report.signatures[1].kind, SignatureKind::DocumentTimestamp);
}

#[test]
fn revoked_expired_and_untrusted_signers() {
    let pki = pki();
    let revoked = sign(
        &base_pdf(),
        &Spec {
            signer: "revoked",
            ..Spec::default()
        },
    );
    let with_crl = add_dss(
        &revoked,
        &pki.chain("revoked"),
        std::slice::from_ref(&pki.crl_der),
        &[],
    );
    let report = verify(&with_crl);
    assert_eq!(verdicts(&report), vec![Verdict::Revoked], "{report:#?}");
    assert!(matches!(
        report.signatures[0].trust,
        Trust::Revoked {
            revocation: RevocationSource::Embedded,
            ..
        }
    ));

    let signed = sign(&base_pdf(), &Spec::default());
    let mut options = Options::new(anchors(&[]));
    options.at = datetime!(2045-01-01 00:00:00 UTC);
    let report = verify_bytes("later.pdf", signed.clone(), &options).expect("readable");
    assert_eq!(verdicts(&report), vec![Verdict::Expired], "{report:#?}");

    let options = Options::new(vanban::pki::trust::TrustStore::new());
    let report = verify_bytes("untrusted.pdf", signed, &options).expect("readable");
    assert_eq!(verdicts(&report), vec![Verdict::Untrusted]);
    assert_eq!(codes(&report, 0), vec!["untrusted"]);
}

#[test]
fn an_unsigned_file_is_reported_and_fails() {
    let report = verify(&base_pdf());
    assert_eq!(report.verdict(), None);
    assert_eq!(report.exit_code(), 1);
    assert_eq!(report.to_json(Default::default())["verdict"], "unsigned");
}

fn vanban(args: &[&str], dir: &std::path::Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run vanban");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn the_command_line_exit_codes_json_and_languages() {
    let dir = tempfile::tempdir().expect("dir");
    let pki = pki();
    let root = dir.path().join("root.pem");
    std::fs::write(&root, pki.entity("root").expect("root").certificate_pem()).expect("root");
    let signed = dir.path().join("signed.pdf");
    std::fs::write(&signed, sign(&base_pdf(), &Spec::default())).expect("write");
    let unsigned = dir.path().join("unsigned.pdf");
    std::fs::write(&unsigned, base_pdf()).expect("write");
    let not_pdf = dir.path().join("note.txt");
    std::fs::write(&not_pdf, "không phải PDF").expect("write");

    let (code, out) = vanban(
        &["verify", "signed.pdf", "--trust", "root.pem", "--json"],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["verdict"], "valid");
    assert_eq!(json["signatures"][0]["verdict"], "valid");
    assert_eq!(json["signatures"][0]["field"], "chu_ky");
    assert_eq!(json["signatures"][0]["signer"]["name"], "Nguyễn Văn An");
    assert!(json["signatures"][0]["reasons"].is_array());

    let (code, out) = vanban(&["verify", "signed.pdf", "--trust", "root.pem"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("Chữ ký số hợp lệ"), "{out}");
    let (code, out) = vanban(
        &[
            "verify",
            "signed.pdf",
            "--trust",
            "root.pem",
            "--lang",
            "en",
        ],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("The signature is valid"), "{out}");

    let (code, out) = vanban(&["verify", "signed.pdf", "--json"], dir.path());
    assert_eq!(code, 1, "no anchor: untrusted");
    assert!(out.contains("\"untrusted\""), "{out}");
    let (code, out) = vanban(
        &["verify", "unsigned.pdf", "--trust", "root.pem", "--json"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(out.contains("\"unsigned\""), "{out}");
    let (code, _) = vanban(&["verify", "note.txt"], dir.path());
    assert_eq!(code, 2);
    let (code, _) = vanban(&["verify", "missing.pdf"], dir.path());
    assert_eq!(code, 2);
    let (code, out) = vanban(
        &[
            "verify",
            "signed.pdf",
            "--trust",
            "root.pem",
            "--at",
            "2045-01-01T00:00:00Z",
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(out.contains("\"expired\""), "{out}");
}

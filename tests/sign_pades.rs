//! PAdES signing end to end on rendered drafts: the leader's certification signature, the
//! văn thư's number, date and seal, judged by pyHanko (the reference validator).

mod common {
    pub mod peers;
    pub mod samples;
}

use std::path::PathBuf;

use time::macros::date;
use vanban::pki::dev::{DevKeyAlgorithm, DevPki, DevPkiOptions, generate};
use vanban::render::pdf::{PdfOptions, render};
use vanban::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use vanban::sign::fill::Issue;
use vanban::sign::pades::{CertificateCheck, Level};
use vanban::sign::workflow::{Step, issue, leader_sign};

use common::peers::{assert_trusted, pyhanko, qpdf_check};
use common::samples;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-sign-pades-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn dev_pki() -> DevPki {
    generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev PKI")
}

fn write_root(dir: &std::path::Path, pki: &DevPki) -> PathBuf {
    let path = dir.join("root.pem");
    std::fs::write(&path, pki.entity("root").expect("root").certificate_pem()).expect("write");
    path
}

fn step() -> Step<'static> {
    Step {
        level: Level::BB,
        tsa_url: None,
        signing_time: time::OffsetDateTime::now_utc(),
        check: CertificateCheck::Skip,
    }
}

#[test]
fn leader_then_organisation_two_stage_flow_is_trusted_by_pyhanko() {
    let dir = temp_dir("two-stage");
    let pki = dev_pki();
    let root = write_root(&dir, &pki);
    let draft = render(&samples::ke_hoach(false), &PdfOptions::default())
        .expect("renders")
        .bytes;
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let leader_signed = leader_sign(draft.clone(), &leader, None, &step()).expect("leader signs");
    assert!(leader_signed.starts_with(&draft), "the draft is a prefix");
    let seal = Appearance::Seal {
        ring: "LĐLĐ TỈNH ĐỒNG NAI * CÔNG ĐOÀN NGÀNH Y TẾ *".into(),
        diameter_mm: DEFAULT_SEAL_MM,
    };
    let numbered = Issue {
        number: 36,
        date: date!(2020 - 03 - 20),
    };
    let signed =
        issue(leader_signed.clone(), Some(&numbered), &org, seal, &step()).expect("issues");
    assert!(
        signed.starts_with(&leader_signed),
        "the leader's revision is a prefix"
    );
    let path = dir.join("signed.pdf");
    std::fs::write(&path, &signed).expect("write");
    std::fs::write(dir.join("leader.pdf"), &leader_signed).expect("write");
    qpdf_check(&path);
    let records = pyhanko(&path, &[&root], false);
    assert_eq!(records.len(), 2, "{records:#?}");
    for record in &records {
        assert_trusted(record);
    }
    assert_eq!(records[0]["field"], "chu_ky");
    assert_eq!(
        records[0]["modification_level"], "FORM_FILLING",
        "{:#}",
        records[0]
    );
    assert_eq!(records[0]["docmdp"], "FILL_FORMS");
    assert_eq!(records[0]["docmdp_ok"], true);
    assert_eq!(records[1]["field"], "dau");
    assert_eq!(records[1]["modification_level"], "NONE", "{:#}", records[1]);
}

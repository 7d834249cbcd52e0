//! PAdES signing end to end on rendered drafts: the leader's certification signature, the
//! văn thư's number, date and seal, timestamps from a real TSA, long-term material, external
//! signing and the refusals, each judged by pyHanko (the reference validator) trusting the
//! development root.

mod common {
    pub mod peers;
    pub mod revocation;
    pub mod samples;
    pub mod tsa;
}

use std::path::{Path, PathBuf};

use serde_json::Value;
use time::macros::date;
use time::{Duration, OffsetDateTime};
use vanban::pdf::{Document, Object};
use vanban::pki::dev::{DevKeyAlgorithm, DevPki, DevPkiOptions, generate};
use vanban::pki::path::PathError;
use vanban::pki::revocation::{RevocationOptions, RevocationPolicy};
use vanban::pki::trust::{AnchorSource, TrustStore};
use vanban::pki::{KeySigner, Signer};
use vanban::render::pdf::{PdfOptions, render};
use vanban::sign::SignError;
use vanban::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use vanban::sign::external;
use vanban::sign::fill::Issue;
use vanban::sign::pades::{
    self, CertificateCheck, Certification, Level, SignOptions, SignerIdentity,
};
use vanban::sign::workflow::{self, Step, issue, leader_sign};

use common::peers::{assert_trusted, pyhanko, qpdf_check};
use common::revocation::{ocsp_response, root_crl};
use common::samples;
use common::tsa::TestTsa;

fn temp_dir(name: &str) -> common::peers::Scratch {
    common::peers::Scratch::new("sign-pades", name)
}

fn dev_pki() -> DevPki {
    generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev PKI")
}

fn write_root(dir: &Path, pki: &DevPki) -> PathBuf {
    let path = dir.join("root.pem");
    std::fs::write(&path, pki.entity("root").expect("root").certificate_pem()).expect("write");
    path
}

fn anchors(pki: &DevPki) -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_der(pki.root_der(), AnchorSource::Memory("dev root".into()))
        .expect("root");
    store
}

fn step(level: Level, tsa: Option<&str>) -> Step<'_> {
    Step {
        level,
        tsa_url: tsa,
        signing_time: OffsetDateTime::now_utc(),
        check: CertificateCheck::Skip,
    }
}

fn draft() -> Vec<u8> {
    render(&samples::ke_hoach(false), &PdfOptions::default())
        .expect("renders")
        .bytes
}

fn seal() -> Appearance {
    Appearance::Seal {
        ring: "LĐLĐ TỈNH ĐỒNG NAI * CÔNG ĐOÀN NGÀNH Y TẾ *".into(),
        diameter_mm: DEFAULT_SEAL_MM,
    }
}

fn numbered() -> Issue {
    Issue {
        number: 36,
        date: date!(2020 - 03 - 20),
    }
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn field<'a>(records: &'a [Value], name: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["field"] == name)
        .unwrap_or_else(|| panic!("no signature in {name}: {records:#?}"))
}

#[test]
fn leader_then_organisation_two_stage_flow_is_trusted_by_pyhanko() {
    let scratch = temp_dir("two-stage");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let draft = draft();
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let step = step(Level::BB, None);
    let leader_signed = leader_sign(draft.clone(), &leader, None, &step).expect("leader signs");
    assert!(leader_signed.starts_with(&draft), "the draft is a prefix");
    let signed = issue(
        leader_signed.clone(),
        Some(&numbered()),
        &org,
        seal(),
        &step,
    )
    .expect("issues");
    assert!(
        signed.starts_with(&leader_signed),
        "the leader's revision is a prefix"
    );
    save(dir, "leader.pdf", &leader_signed);
    let path = save(dir, "signed.pdf", &signed);
    qpdf_check(&path);
    let records = pyhanko(&path, &[&root], false);
    assert_eq!(records.len(), 2, "{records:#?}");
    records.iter().for_each(assert_trusted);
    let leader = field(&records, "chu_ky");
    assert_eq!(leader["modification_level"], "FORM_FILLING", "{leader:#}");
    assert_eq!(leader["docmdp"], "FILL_FORMS");
    assert_eq!(leader["docmdp_ok"], true);
    assert_eq!(leader["signer"], "Nguyễn Văn An");
    let org = field(&records, "dau");
    assert_eq!(org["modification_level"], "NONE", "{org:#}");
    assert_eq!(org["coverage"], "ENTIRE_FILE");
    // The page reads as if typeset: number and date in the text layer at their places.
    let (ok, text, err) = common::peers::run(
        "pdftotext",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-layout",
            &path.to_string_lossy(),
            "-",
        ],
    );
    assert!(ok, "{err}");
    let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squashed.contains("36/KH-CĐN"), "{text}");
    assert!(
        squashed.contains("Đồng Nai, ngày 20 tháng 3 năm 2020"),
        "{text}"
    );
    // …and with ordinary word spaces, not values dropped into wide blanks.
    let words = word_boxes(&path);
    assert_spaced(&words, &["Số:", "36/KH-CĐN"]);
    assert_spaced(&words, &["ngày", "20", "tháng", "3", "năm", "2020"]);
}

/// Words of page 1 with their left and right edges, from `pdftotext -bbox`.
fn word_boxes(path: &Path) -> Vec<(String, f32, f32)> {
    let (ok, html, err) = common::peers::run(
        "pdftotext",
        &["-f", "1", "-l", "1", "-bbox", &path.to_string_lossy(), "-"],
    );
    assert!(ok, "{err}");
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        let end = line[start..].find('"').expect("quote") + start;
        line[start..end].parse().expect("number")
    };
    html.lines()
        .filter(|line| line.trim_start().starts_with("<word"))
        .map(|line| {
            let text =
                line[line.find('>').expect(">") + 1..line.rfind("</word>").expect("</")].to_owned();
            (text, attr(line, "xMin"), attr(line, "xMax"))
        })
        .collect()
}

/// `expected` occurs as consecutive words, each separated by about one space (at most 5 pt
/// at 13–14 pt; the blanks of a draft are 20 pt and more).
fn assert_spaced(words: &[(String, f32, f32)], expected: &[&str]) {
    let start = words
        .windows(expected.len())
        .position(|window| window.iter().zip(expected).all(|(w, e)| w.0 == *e))
        .unwrap_or_else(|| panic!("{expected:?} not found in {words:?}"));
    for pair in words[start..start + expected.len()].windows(2) {
        let gap = pair[1].1 - pair[0].2;
        assert!(
            (0.5..5.0).contains(&gap),
            "{} → {}: gap {gap:.1} pt",
            pair[0].0,
            pair[1].0
        );
    }
}

#[test]
fn number_reserved_before_signing_one_stage_flow() {
    let scratch = temp_dir("one-stage");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let numbered_draft = render(&samples::ke_hoach(true), &PdfOptions::default())
        .expect("renders")
        .bytes;
    let step = step(Level::BB, None);
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let leader_signed = leader_sign(numbered_draft, &leader, None, &step).expect("leader");
    let signed = issue(leader_signed, None, &org, seal(), &step).expect("seal");
    let path = save(dir, "signed.pdf", &signed);
    let records = pyhanko(&path, &[&root], false);
    assert_eq!(records.len(), 2);
    records.iter().for_each(assert_trusted);
    assert_eq!(
        field(&records, "chu_ky")["modification_level"],
        "FORM_FILLING"
    );
    assert_eq!(field(&records, "dau")["modification_level"], "NONE");
}

#[test]
fn b_t_signatures_carry_a_valid_timestamp_from_a_real_tsa() {
    let scratch = temp_dir("b-t");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let tsa = TestTsa::start();
    let step = step(Level::BT, Some(&tsa.url));
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let leader_signed = leader_sign(draft(), &leader, None, &step).expect("leader");
    let signed = issue(leader_signed, Some(&numbered()), &org, seal(), &step).expect("seal");
    let path = save(dir, "signed.pdf", &signed);
    let records = pyhanko(&path, &[&root, &tsa.root_pem], false);
    for record in &records {
        assert_trusted(record);
        let ts = &record["timestamp"];
        assert_eq!(ts["intact"], true, "{record:#}");
        assert_eq!(ts["valid"], true, "{record:#}");
        assert_eq!(ts["trusted"], true, "{record:#}");
    }
}

/// Revocation material for the dev PKI: both CRLs and OCSP responses for the signers.
fn revocation(pki: &DevPki, dir: &Path) -> RevocationOptions {
    RevocationOptions {
        policy: RevocationPolicy::Required,
        crls: vec![pki.crl_der.clone(), root_crl(pki)],
        ocsp_responses: vec![
            ocsp_response(pki, "leader", dir),
            ocsp_response(pki, "org", dir),
        ],
        ..RevocationOptions::default()
    }
}

#[test]
fn b_lt_validates_with_revocation_from_the_dss_alone_and_b_lta_timestamps_validate() {
    let scratch = temp_dir("b-lt");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let tsa = TestTsa::start();
    let anchors = anchors(&pki);
    let revocation = revocation(&pki, dir);
    let check = CertificateCheck::Validate {
        anchors: &anchors,
        revocation: &revocation,
    };
    let lt = Step {
        check,
        ..step(Level::BLT, Some(&tsa.url))
    };
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let leader_signed = leader_sign(draft(), &leader, None, &lt).expect("leader B-LT");
    let lta = Step {
        level: Level::BLTA,
        ..lt
    };
    let signed = issue(leader_signed, Some(&numbered()), &org, seal(), &lta).expect("org B-LTA");
    let path = save(dir, "signed.pdf", &signed);
    qpdf_check(&path);
    // Hard-fail revocation, no fetching: everything must come from the DSS.
    let records = pyhanko(&path, &[&root, &tsa.root_pem], true);
    assert_eq!(
        records.len(),
        3,
        "leader, org, document timestamp: {records:#?}"
    );
    records.iter().for_each(assert_trusted);
    assert_eq!(
        field(&records, "chu_ky")["modification_level"],
        "FORM_FILLING"
    );
    // After the organisation's signature only long-term material was added.
    assert_eq!(field(&records, "dau")["modification_level"], "LTA_UPDATES");
    let timestamp = records
        .iter()
        .find(|r| r["kind"] == "DocTimeStamp")
        .expect("a document timestamp");
    assert_eq!(timestamp["modification_level"], "NONE");
    // Without the DSS the same hard-fail validation cannot establish revocation.
    let stripped = strip_dss_revocation(&signed);
    let stripped_path = save(dir, "no-dss.pdf", &stripped);
    let bare = pyhanko(&stripped_path, &[&root, &tsa.root_pem], true);
    assert!(
        bare.iter().any(|r| r["trusted"] != true),
        "validation must depend on the DSS: {bare:#?}"
    );
}

/// The same file with the catalog's /DSS dropped in one more update (a control for the test
/// above: pyHanko must then miss the revocation data).
fn strip_dss_revocation(bytes: &[u8]) -> Vec<u8> {
    let doc = Document::load(bytes.to_vec()).expect("loads");
    let root = doc
        .trailer()
        .get("Root")
        .and_then(Object::as_reference)
        .expect("root");
    let mut catalog = doc.catalog().expect("catalog");
    catalog.remove("DSS");
    let mut writer = vanban::pdf::IncrementalWriter::new(&doc).expect("writer");
    writer.set(root, catalog).expect("set");
    writer.finish().expect("finish").bytes
}

#[test]
fn external_signing_survives_a_restart() {
    let scratch = temp_dir("external");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let leader = pki.signer("leader").expect("leader");
    let identity = SignerIdentity {
        algorithm: leader.algorithm(),
        chain: leader.certificate_chain()[..1].to_vec(),
    };
    let options = SignOptions {
        certify: Some(Certification::FormFilling),
        appearance: Appearance::Signature {
            name: "Nguyễn Văn An".into(),
        },
        ..SignOptions::new("chu_ky", OffsetDateTime::now_utc())
    };
    let state_path = dir.join("state.json");
    {
        let prepared = pades::prepare(draft(), &identity, &options).expect("prepare");
        let digested = prepared.digest().expect("digest");
        let state = external::save(&digested, &state_path).expect("save");
        assert_eq!(
            external::unhex(&state.to_be_signed_digest).expect("hex"),
            digested.to_be_signed_digest()
        );
    }
    // "Later": a new stage read from the files; the token signs the digest.
    let digested = external::load(&state_path).expect("load");
    let signature = leader.sign(digested.to_be_signed()).expect("token signs");
    let full_chain = leader.certificate_chain().to_vec();
    let digested = external::with_chain(digested, full_chain).expect("chain");
    let signed = digested.embed(signature).expect("embed");
    let path = save(
        dir,
        "signed.pdf",
        &signed.finish(&Default::default()).expect("finish"),
    );
    let records = pyhanko(&path, &[&root], false);
    assert_eq!(records.len(), 1);
    assert_trusted(&records[0]);

    // A state paired with a changed PDF, a wrong signature, another certificate: refused.
    let prepared_pdf = external::prepared_path(&state_path);
    let mut bytes = std::fs::read(&prepared_pdf).expect("read");
    bytes[10] ^= 1;
    std::fs::write(&prepared_pdf, &bytes).expect("write");
    assert!(matches!(
        external::load(&state_path),
        Err(SignError::ExternalState { .. })
    ));
    bytes[10] ^= 1;
    std::fs::write(&prepared_pdf, &bytes).expect("write");
    let digested = external::load(&state_path).expect("load again");
    let org = pki.signer("org").expect("org");
    let wrong = org.sign(digested.to_be_signed()).expect("signs");
    assert!(matches!(
        digested.clone().embed(wrong),
        Err(SignError::Signer(_))
    ));
    assert!(matches!(
        external::with_chain(digested, pki.chain("org")),
        Err(SignError::ChainMismatch)
    ));
}

#[test]
fn attachment_and_electronic_copy_show_their_text_line_and_verify() {
    let scratch = temp_dir("attachment");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let org = pki.signer("org").expect("org");
    let step = Step {
        signing_time: time::macros::datetime!(2020-03-20 07:30:05 UTC),
        ..step(Level::BB, None)
    };
    let attachment = render(&samples::cong_van(), &PdfOptions::default())
        .expect("renders")
        .bytes;
    let signed = workflow::sign_attachment(attachment.clone(), "36/KH-CĐN", &org, &step)
        .expect("attachment");
    let path = save(dir, "attachment.pdf", &signed);
    let (_, text, _) = common::peers::run(
        "pdftotext",
        &["-f", "1", "-l", "1", &path.to_string_lossy(), "-"],
    );
    assert!(
        text.contains("Số: 36/KH-CĐN; 20/03/2020; 14:30:05 +07:00"),
        "{text}"
    );
    qpdf_check(&path);
    let copy = workflow::sign_copy(
        attachment,
        "SAO Y",
        "Liên đoàn Lao động tỉnh Lai Châu",
        &org,
        &step,
    )
    .expect("copy");
    let copy_path = save(dir, "copy.pdf", &copy);
    let (_, text, _) = common::peers::run(
        "pdftotext",
        &["-f", "1", "-l", "1", &copy_path.to_string_lossy(), "-"],
    );
    assert!(
        text.contains("SAO Y; LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU; 20/03/2020; 14:30:05 +07:00"),
        "{text}"
    );
    // The signing time in /M equals the time shown (the certificates were valid then? no:
    // the dev PKI is generated now, so pyHanko judges integrity and validity, not trust).
    for file in [&path, &copy_path] {
        let records = pyhanko(file, &[&root], false);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["intact"], true, "{records:#?}");
        assert_eq!(records[0]["valid"], true, "{records:#?}");
        assert_eq!(records[0]["modification_level"], "NONE");
        assert_eq!(records[0]["field"], "dau");
    }
    let doc = Document::load(signed).expect("loads");
    let sig = doc
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.name == "dau")
        .and_then(|f| f.dict.get("V").and_then(Object::as_reference))
        .and_then(|r| doc.get(r).ok())
        .expect("signature");
    let m = sig
        .as_dict()
        .and_then(|d| d.get("M"))
        .and_then(Object::as_string)
        .expect("/M");
    assert_eq!(&*m.bytes, b"D:20200320073005+00'00'");
}

// ---------------------------------------------------------------------------------------------
// Refusals: each a typed error, the input untouched (the API returns before writing anything).
// ---------------------------------------------------------------------------------------------

#[test]
fn unparseable_and_encrypted_pdfs_are_refused() {
    let scratch = temp_dir("refuse-pdf");
    let dir = scratch.path();
    let pki = dev_pki();
    let leader = pki.signer("leader").expect("leader");
    let step = step(Level::BB, None);
    let error = leader_sign(b"%PDF-1.7\nnot really a pdf".to_vec(), &leader, None, &step)
        .expect_err("refused");
    assert!(matches!(error, SignError::Pdf(_)), "{error}");
    let plain = save(dir, "plain.pdf", &draft());
    let locked = dir.join("locked.pdf");
    let (ok, _, err) = common::peers::run(
        "qpdf",
        &[
            "--encrypt",
            "u",
            "o",
            "256",
            "--",
            &plain.to_string_lossy(),
            &locked.to_string_lossy(),
        ],
    );
    assert!(ok, "{err}");
    let encrypted = std::fs::read(&locked).expect("read");
    let error = leader_sign(encrypted, &leader, None, &step).expect_err("refused");
    assert!(matches!(error, SignError::Encrypted), "{error}");
}

#[test]
fn a_certification_with_p1_forbids_filling_and_signing() {
    let pki = dev_pki();
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let options = SignOptions {
        certify: Some(Certification::NoChanges),
        ..SignOptions::new("chu_ky", OffsetDateTime::now_utc())
    };
    let locked = pades::sign(draft(), &leader, &options, CertificateCheck::Skip).expect("P=1");
    let error = vanban::sign::fill::fill(&locked, &numbered().values()).expect_err("refused");
    assert!(
        matches!(error, SignError::ChangeForbidden { permission: 1, .. }),
        "{error}"
    );
    let step = step(Level::BB, None);
    let error = issue(locked.clone(), None, &org, seal(), &step).expect_err("refused");
    assert!(
        matches!(error, SignError::ChangeForbidden { permission: 1, .. }),
        "{error}"
    );
    // A second certification, or signing the same field twice, is refused too.
    let error = pades::sign(locked, &org, &options, CertificateCheck::Skip).expect_err("refused");
    assert!(matches!(error, SignError::AlreadySigned { .. }), "{error}");
}

#[test]
fn a_fieldmdp_lock_made_by_pyhanko_is_respected() {
    let scratch = temp_dir("fieldmdp");
    let dir = scratch.path();
    let pki = dev_pki();
    let leader = pki.entity("leader").expect("leader");
    let key_pem =
        der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, leader.key_pkcs8())
            .expect("pem");
    std::fs::write(dir.join("leader-key.pem"), key_pem).expect("key");
    std::fs::write(dir.join("leader.pem"), leader.certificate_pem()).expect("cert");
    let intermediate = pki.entity("intermediate").expect("intermediate");
    std::fs::write(dir.join("intermediate.pem"), intermediate.certificate_pem()).expect("ca");
    let input = save(dir, "draft.pdf", &draft());
    let output = dir.join("locked.pdf");
    // pyHanko applies a FieldMDP lock only through a field's /Lock; write that lock into the
    // draft's "chu_ky" field first (an unsigned draft may change freely), then let pyHanko sign.
    let with_lock = add_lock(&std::fs::read(&input).expect("read"), "chu_ky", &["so"]);
    let locked_input = save(dir, "draft-lock.pdf", &with_lock);
    let script = format!(
        r#"
from pyhanko.sign import signers, fields
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
signer = signers.SimpleSigner.load(r"{d}/leader-key.pem", r"{d}/leader.pem", ca_chain_files=(r"{d}/intermediate.pem",))
with open(r"{input}", "rb") as inf:
    w = IncrementalPdfFileWriter(inf, strict=False)
    meta = signers.PdfSignatureMetadata(field_name="chu_ky", subfilter=fields.SigSeedSubFilter.PADES)
    with open(r"{output}", "wb") as out:
        signers.PdfSigner(meta, signer=signer).sign_pdf(w, output=out)
"#,
        d = dir.display(),
        input = locked_input.display(),
        output = output.display()
    );
    let (ok, _, err) = common::peers::run("python3", &["-c", &script]);
    assert!(ok, "pyHanko could not sign: {err}");
    let signed = std::fs::read(&output).expect("read");
    let error =
        vanban::sign::fill::fill(&signed, &[("so".into(), "36".into())]).expect_err("locked");
    assert!(
        matches!(&error, SignError::FieldLocked { field, locked_by } if field == "so" && locked_by == "chu_ky"),
        "{error}"
    );
    // The date fields are not locked.
    vanban::sign::fill::fill(&signed, &[("ngay".into(), "20".into())]).expect("ngay is free");
}

/// Write a FieldMDP `/Lock` (Include `fields`) into the signature field `name`.
fn add_lock(bytes: &[u8], name: &str, fields: &[&str]) -> Vec<u8> {
    let doc = Document::load(bytes.to_vec()).expect("loads");
    let field = doc
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.name == name)
        .expect("field");
    let mut lock = vanban::pdf::Dict::new();
    lock.insert("Type", Object::name("SigFieldLock"));
    lock.insert("Action", Object::name("Include"));
    lock.insert(
        "Fields",
        Object::Array(
            fields
                .iter()
                .map(|f| Object::String(vanban::pdf::PdfString::text(f)))
                .collect(),
        ),
    );
    let mut dict = field.dict.clone();
    dict.insert("Lock", Object::Dict(lock));
    let mut writer = vanban::pdf::IncrementalWriter::new(&doc).expect("writer");
    writer.set(field.reference, dict).expect("set");
    writer.finish().expect("finish").bytes
}

fn check_refusal(pki: &DevPki, signer: &KeySigner, at: OffsetDateTime) -> SignError {
    let anchors = anchors(pki);
    let revocation = RevocationOptions {
        crls: vec![pki.crl_der.clone()],
        ..RevocationOptions::default()
    };
    let step = Step {
        signing_time: at,
        check: CertificateCheck::Validate {
            anchors: &anchors,
            revocation: &revocation,
        },
        ..step(Level::BB, None)
    };
    leader_sign(draft(), signer, None, &step).expect_err("refused")
}

#[test]
fn expired_revoked_not_yet_valid_and_wrong_usage_certificates_are_refused() {
    let pki = dev_pki();
    let leader = pki.signer("leader").expect("leader");
    let now = OffsetDateTime::now_utc();
    let expired = check_refusal(&pki, &leader, now + Duration::days(4 * 365));
    assert!(
        matches!(
            expired.certificate_reason(),
            Some(PathError::CertExpired { .. })
        ),
        "{expired}"
    );
    let early = check_refusal(&pki, &leader, now - Duration::days(1));
    assert!(
        matches!(
            early.certificate_reason(),
            Some(PathError::CertNotValidYet { .. })
        ),
        "{early}"
    );
    let revoked = pki.signer("revoked").expect("revoked");
    let error = check_refusal(&pki, &revoked, now);
    assert!(
        matches!(error.certificate_reason(), Some(PathError::Revoked { .. })),
        "{error}"
    );
    let (signer, _) = encipherment_only_signer(&pki);
    let error = check_refusal(&pki, &signer, now);
    assert!(
        matches!(
            error.certificate_reason(),
            Some(PathError::KeyUsageMissing { .. })
        ),
        "{error}"
    );
    // The same signer passes with a valid certificate (the check is not refusing everything).
    let anchors = anchors(&pki);
    let revocation = RevocationOptions {
        crls: vec![pki.crl_der.clone()],
        ..RevocationOptions::default()
    };
    let ok = Step {
        check: CertificateCheck::Validate {
            anchors: &anchors,
            revocation: &revocation,
        },
        ..step(Level::BB, None)
    };
    leader_sign(draft(), &leader, None, &ok).expect("a valid certificate signs");
}

/// A certificate from the dev intermediate with keyUsage keyEncipherment only.
fn encipherment_only_signer(pki: &DevPki) -> (KeySigner, Vec<u8>) {
    use rcgen::{CertificateParams, DnType, Issuer, KeyPair, KeyUsagePurpose};
    let intermediate = pki.entity("intermediate").expect("intermediate");
    let issuer_key = KeyPair::try_from(intermediate.key_pkcs8()).expect("key");
    let issuer_der = rustls_pki_types::CertificateDer::from(intermediate.certificate_der.clone());
    let issuer = Issuer::from_ca_cert_der(&issuer_der, issuer_key).expect("issuer");
    let key = KeyPair::generate().expect("p256");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "Khóa chỉ để mã hóa");
    params.key_usages = vec![KeyUsagePurpose::KeyEncipherment];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(30);
    let cert = params.signed_by(&key, &issuer).expect("cert");
    let chain = vec![cert.der().to_vec(), intermediate.certificate_der.clone()];
    let pkcs8 = zeroize::Zeroizing::new(key.serialize_der());
    (
        KeySigner::from_pkcs8(pkcs8, chain).expect("signer"),
        cert.der().to_vec(),
    )
}

#[test]
fn a_reservation_too_small_is_a_clear_error_with_nothing_written() {
    let pki = dev_pki();
    let leader = pki.signer("leader").expect("leader");
    let options = SignOptions {
        reserve: Some(64),
        ..SignOptions::new("chu_ky", OffsetDateTime::now_utc())
    };
    let identity = SignerIdentity::of(&leader);
    let digested = pades::prepare(draft(), &identity, &options)
        .expect("prepare")
        .digest()
        .expect("digest");
    let signature = leader.sign(digested.to_be_signed()).expect("sign");
    let error = digested.embed(signature).expect_err("too small");
    assert!(
        matches!(error, SignError::ContentsTooSmall { reserved: 64, needed } if needed > 64),
        "{error}"
    );
    // pades::sign measures and prepares again when its estimate is short.
    let signed = pades::sign(draft(), &leader, &options, CertificateCheck::Skip).expect("retries");
    assert!(Document::load(signed).is_ok());
}

/// A PNG with a transparent background: a thick wave in `rgb` (a scanned signature, say),
/// `width`×`height` pixels at 300 dpi.
fn wave_png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut pixels = vec![0u8; (width * height * 4) as usize];
    for x in 0..width {
        let t = x as f32 / width as f32 * std::f32::consts::TAU * 2.0;
        let centre = height as f32 / 2.0 + t.sin() * height as f32 * 0.3;
        for y in 0..height {
            if (y as f32 - centre).abs() < 5.0 {
                let i = ((y * width + x) * 4) as usize;
                pixels[i..i + 3].copy_from_slice(&rgb);
                pixels[i + 3] = 255;
            }
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: 11811,
        yppu: 11811,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&pixels).expect("pixels");
    writer.finish().expect("finish");
    bytes
}

#[test]
fn png_signature_and_seal_images_keep_their_alpha_as_a_soft_mask() {
    let scratch = temp_dir("png");
    let dir = scratch.path();
    let pki = dev_pki();
    let root = write_root(dir, &pki);
    let step = step(Level::BB, None);
    let leader = pki.signer("leader").expect("leader");
    let org = pki.signer("org").expect("org");
    let signature = Appearance::Png {
        bytes: wave_png(480, 160, [20, 40, 160]),
    };
    let seal = Appearance::Png {
        bytes: wave_png(420, 420, [220, 20, 30]),
    };
    let leader_signed = leader_sign(draft(), &leader, Some(signature), &step).expect("leader");
    let signed = issue(leader_signed, Some(&numbered()), &org, seal, &step).expect("seal");
    let path = save(dir, "png.pdf", &signed);
    qpdf_check(&path);
    let records = pyhanko(&path, &[&root], false);
    records.iter().for_each(assert_trusted);
    let doc = Document::load(signed).expect("loads");
    for name in ["chu_ky", "dau"] {
        let field = doc
            .fields()
            .expect("fields")
            .into_iter()
            .find(|f| f.name == name)
            .expect("field");
        let ap = field.dict.get("AP").and_then(Object::as_dict).expect("/AP");
        let form = doc
            .get(ap.get("N").and_then(Object::as_reference).expect("/N"))
            .expect("form");
        let resources = form
            .as_stream()
            .and_then(|s| s.dict.get("Resources"))
            .and_then(Object::as_dict)
            .expect("resources")
            .clone();
        let xobjects = resources
            .get("XObject")
            .and_then(Object::as_dict)
            .expect("XObject");
        let image = doc
            .get(
                xobjects
                    .get("Im0")
                    .and_then(Object::as_reference)
                    .expect("Im0"),
            )
            .expect("image");
        let image = image.as_stream().expect("stream");
        assert_eq!(
            image
                .dict
                .get("Subtype")
                .and_then(Object::as_name)
                .map(|n| n.to_string()),
            Some("Image".into())
        );
        assert!(
            image.dict.get("SMask").is_some(),
            "{name}: alpha became a soft mask"
        );
    }
}

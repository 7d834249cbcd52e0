//! Entry points for fuzz targets (`tests/fuzz/`) and the mutation test: each takes raw bytes,
//! runs a whole reader over them, and must never panic (STYLE.md habit 13).

use crate::pdf::{Document, IncrementalWriter, Object, Update, limits, parse_object, serialize};

/// Most objects fetched per revision, so that one input stays fast.
const MAX_OBJECTS_VISITED: usize = 2_000;

/// Load `data` as a PDF and walk everything: each revision's catalog, pages, fields and
/// objects, decoding streams; serialized objects must parse back to the same value; and an
/// incremental update appended to a loadable, unencrypted document must load again with one
/// more revision.
pub fn pdf_document(data: &[u8]) {
    let Ok(document) = Document::load(data) else {
        return;
    };
    for index in 0..document.revisions().len() {
        walk_revision(&document, index);
    }
    check_update(&document);
}

fn walk_revision(document: &Document, index: usize) {
    let Some(view) = document.view_at(index) else {
        return;
    };
    let _ = view.catalog();
    let _ = view.pages();
    let _ = view.fields();
    let numbers: Vec<(u32, crate::pdf::XrefEntry)> = view.revision().entries().collect();
    for (number, _) in numbers.into_iter().take(MAX_OBJECTS_VISITED) {
        let generation = match view.entry(number) {
            Some(crate::pdf::XrefEntry::InUse { generation, .. }) => generation,
            _ => 0,
        };
        let Ok(object) = view.get(crate::pdf::ObjRef::new(number, generation)) else {
            continue;
        };
        if let Object::Stream(stream) = &object {
            let _ = view.decode_with_limit(stream, 1 << 20);
        } else {
            check_round_trip(&object);
        }
    }
}

/// serialize → parse gives the same object.
fn check_round_trip(object: &Object) {
    let mut out = Vec::new();
    if serialize(object, &[], &mut out).is_ok() {
        let reparsed = parse_object(&out);
        assert_eq!(reparsed.as_ref(), Ok(object), "round trip of {out:?}");
    }
}

/// Appending one object must give a file that loads with one more revision.
fn check_update(document: &Document) {
    // Near the section or entry budgets, one more revision may legitimately be refused.
    let entries: usize = document
        .revisions()
        .iter()
        .map(|r| r.entries().count())
        .sum();
    let near_limits = document.revisions().len() as u64 + 2 >= limits::MAX_XREF_SECTIONS
        || entries as u64 + 16 >= limits::MAX_XREF_ENTRIES;
    if document.is_encrypted() || near_limits {
        return;
    }
    let Ok(mut writer) = IncrementalWriter::new(document) else {
        return;
    };
    if writer.add(Object::Integer(42)).is_err() {
        return;
    }
    let Ok(Update { bytes, .. }) = writer.finish() else {
        return;
    };
    if bytes.len() > crate::limits::MAX_FILE_BYTES {
        return;
    }
    match Document::load(bytes) {
        Ok(updated) => assert_eq!(
            updated.revisions().len(),
            document.revisions().len() + 1,
            "an update adds exactly one revision"
        ),
        Err(error) => panic!("a loadable document no longer loads after an update: {error}"),
    }
}

/// Parse `data` as a CMS SignedData the way the verifier does (the DER element at the start of
/// a zero-padded `/Contents`), then run every check over it: the cryptographic facts with a
/// digest of the right and the wrong length, the revocation evidence it carries, and the
/// timestamp-token checks. Must never panic.
pub fn cms_signed_data(data: &[u8]) {
    use crate::verify::{chain::EmbeddedIn, cms, evaluate, evidence, revision, timestamp};
    let der = match revision::der_element(data) {
        Some((element, _)) => element,
        None => std::borrow::Cow::Borrowed(data),
    };
    let Ok(view) = cms::parse(&der) else {
        return;
    };
    let digest = view.digest().ok().map(|d| d.digest(data));
    let facts = cms::check(&view, digest.as_deref());
    let _ = cms::check(&view, Some(&[0u8; 3]));
    let _ = cms::check(&view, None);
    if let Some(index) = facts.signer_certificate {
        let _ = evaluate::identity(&view.certificates[index]);
    }
    let _ = evidence::from_cms(&view, EmbeddedIn::Cms);
    let _ = timestamp::check_token(&der, &|d: cms::Digest| d.digest(b"imprint"));
    if let Some(token) = &facts.timestamp_token {
        let _ = timestamp::check_token(token, &|d: cms::Digest| d.digest(&view.signer.signature));
    }
}

/// Verify `data` as a PDF with no trust anchors, offline, at a fixed time: the whole verifier
/// (reader, coverage, CMS, difference analysis, report) must never panic on any input.
pub fn verify_pdf(data: &[u8]) {
    let options = crate::verify::Options {
        anchors: crate::pki::trust::TrustStore::new(),
        at: time::macros::datetime!(2026-01-01 00:00:00 UTC),
        network: crate::pki::revocation::NetworkPolicy::Offline,
        cache: None,
    };
    if let Ok(report) = crate::verify::verify_bytes("fuzz.pdf", data.to_vec(), &options) {
        let _ = report.to_json(crate::verify::status::Lang::Vi);
        let _ = report.to_text(crate::verify::status::Lang::En);
    }
}

/// Read `data` as document data (YAML, then JSON), and when it reads, lint it, compose it and
/// render both outputs: every step must give a value or diagnostics, never panic. The source
/// path is in a directory that does not exist, so that no `profiles.yaml` is picked up.
pub fn document_data(data: &[u8]) {
    use crate::compose::{Templates, compose};
    use crate::model::lint::{Lang, lint};
    use crate::model::parse::parse_document;
    use crate::render::{docx, pdf};
    let templates = Templates::embedded();
    for source in ["/nonexistent/fuzz.yaml", "/nonexistent/fuzz.json"] {
        let Ok(document) = parse_document(data, std::path::Path::new(source)) else {
            continue;
        };
        let _ = lint(&document, Lang::Vi);
        let Ok(composed) = compose(&document, &templates) else {
            continue;
        };
        let _ = pdf::render(&composed, &pdf::PdfOptions::default());
        let _ = docx::render(&composed, &docx::DocxOptions::default());
    }
}

/// Inspect `data` as an uploaded DOCX package (the zip directory, the signature parts) the way
/// the service's verify and receive steps do: never panic, bounded by the entry limit.
pub fn docx_package(data: &[u8]) {
    let _ = crate::workflow::receive::docx_signature_parts(data);
}

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

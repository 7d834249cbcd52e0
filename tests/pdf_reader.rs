//! `vanban::pdf` against real files: PDFs written by hand, the same files rewritten by qpdf
//! (object streams, QDF, linearized, encrypted), incremental updates from our writer that
//! `qpdf --check` must accept, and hostile inputs that must each fail cleanly, with a byte
//! offset, in bounded time. A mutation run feeds thousands of damaged copies through the fuzz
//! entry point.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use vanban::pdf::{
    Dict, Document, IncrementalWriter, ObjRef, Object, PdfError, PdfString, Stream, XrefEntry,
    XrefKind,
};

// ---------------------------------------------------------------------------------------------
// Building files by hand

/// UTF-16BE hex text string with a byte-order mark: `<FEFF…>`.
fn utf16(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

/// A file with these objects, in this order, a classic xref table with one subsection
/// `0..=max`, and a trailer holding `/Size` plus `trailer`.
fn file(objects: &[(u32, Vec<u8>)], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = BTreeMap::new();
    for (number, body) in objects {
        offsets.insert(*number, out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let max = offsets.keys().max().copied().unwrap_or(0);
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for number in 1..=max {
        match offsets.get(&number) {
            Some(offset) => out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 00001 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            max + 1
        )
        .as_bytes(),
    );
    out
}

/// Append a hand-written update: objects, a table with one subsection per object, and a
/// trailer with `/Prev` written as ten digits (so tests can re-point it in place).
fn append(mut base: Vec<u8>, objects: &[(u32, Vec<u8>)], prev: usize, trailer: &str) -> Vec<u8> {
    let mut offsets = Vec::new();
    for (number, body) in objects {
        offsets.push((*number, base.len()));
        base.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        base.extend_from_slice(body);
        base.extend_from_slice(b"\nendobj\n");
    }
    let xref = base.len();
    base.extend_from_slice(b"xref\n");
    for (number, offset) in offsets {
        base.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n \n").as_bytes());
    }
    base.extend_from_slice(
        format!("trailer\n<< {trailer} /Prev {prev:010} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    base
}

fn obj(number: u32, body: impl AsRef<[u8]>) -> (u32, Vec<u8>) {
    (number, body.as_ref().to_vec())
}

fn stream_obj(number: u32, dict: &str, data: &[u8]) -> (u32, Vec<u8>) {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    (number, body)
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("in memory");
    encoder.finish().expect("in memory")
}

/// A 3-page văn bản with an AcroForm: number and date text fields, and a "Chữ ký" parent
/// with the leader's signature field (merged widget) and the văn thư's (separate widget).
fn official_document() -> Vec<u8> {
    let content = b"BT /F1 13 Tf 72 760 Td (KE HOACH) Tj ET";
    let compressed = zlib(b"BT /F1 13 Tf 72 700 Td (Trang 2) Tj ET");
    let objects = vec![
        obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 20 0 R >>"),
        obj(
            2,
            "<< /Type /Pages /Kids [3 0 R 10 0 R] /Count 3 /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 6 0 R >> >> >>",
        ),
        obj(
            3,
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [22 0 R 23 0 R 24 0 R 28 0 R 27 0 R] >>",
        ),
        stream_obj(4, "", content),
        stream_obj(5, "/Filter /FlateDecode", &compressed),
        obj(
            6,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        ),
        obj(
            7,
            "<< /Title (K\\355 ho\\341ch) /Producer (vanban tests) >>",
        ),
        obj(
            10,
            "<< /Type /Pages /Parent 2 0 R /Kids [11 0 R 12 0 R] /Count 2 /Rotate 90 >>",
        ),
        obj(11, "<< /Type /Page /Parent 10 0 R /Contents 5 0 R >>"),
        obj(
            12,
            "<< /Type /Page /Parent 10 0 R /MediaBox [0 0 100 100] /Rotate 0 >>",
        ),
        obj(
            20,
            "<< /Fields [21 0 R 23 0 R 27 0 R 25 0 R] /SigFlags 3 /DA (/F1 0 Tf 0 g) >>",
        ),
        obj(
            21,
            format!("<< /FT /Tx /T {} /V () /Kids [22 0 R] >>", utf16("Số")),
        ),
        obj(
            22,
            "<< /Type /Annot /Subtype /Widget /Parent 21 0 R /Rect [70 780 200 795] /P 3 0 R >>",
        ),
        obj(
            23,
            format!(
                "<< /Type /Annot /Subtype /Widget /FT /Tx /T {} /Rect [300 780 520 795] /P 3 0 R >>",
                utf16("Ngày")
            ),
        ),
        obj(
            25,
            format!("<< /T {} /Kids [24 0 R 26 0 R] >>", utf16("Chữ ký")),
        ),
        obj(
            24,
            format!(
                "<< /Type /Annot /Subtype /Widget /FT /Sig /Parent 25 0 R /T {} /Rect [350 100 500 160] /P 3 0 R >>",
                utf16("Lãnh đạo")
            ),
        ),
        obj(
            26,
            format!(
                "<< /FT /Sig /Parent 25 0 R /T {} /Kids [28 0 R] >>",
                utf16("Văn thư")
            ),
        ),
        obj(
            28,
            "<< /Type /Annot /Subtype /Widget /Parent 26 0 R /Rect [300 100 400 160] /P 3 0 R >>",
        ),
        obj(
            27,
            "<< /Type /Annot /Subtype /Widget /FT /Btn /T (Check) /Rect [0 0 10 10] /P 3 0 R >>",
        ),
    ];
    file(
        &objects,
        "/Root 1 0 R /Info 7 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
    )
}

// ---------------------------------------------------------------------------------------------
// Running qpdf

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-pdf-reader-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// `qpdf ARGS in out`; returns the output file.
fn qpdf(args: &[&str], input: &[u8], name: &str) -> Vec<u8> {
    let source = scratch(&format!("{name}.in.pdf"));
    let target = scratch(&format!("{name}.out.pdf"));
    std::fs::write(&source, input).expect("write input");
    let output = Command::new("qpdf")
        .args(args)
        .arg(&source)
        .arg(&target)
        .output()
        .expect("qpdf is installed (.ci/run)");
    assert!(
        output.status.success(),
        "qpdf {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&target).expect("qpdf output")
}

/// `qpdf ARGS file`; returns stdout, asserting exit status 0 (no errors, no warnings).
fn qpdf_query(args: &[&str], input: &[u8], name: &str) -> String {
    let path = scratch(&format!("{name}.pdf"));
    std::fs::write(&path, input).expect("write input");
    let output = Command::new("qpdf")
        .args(args)
        .arg(&path)
        .output()
        .expect("qpdf is installed (.ci/run)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "qpdf {args:?} {name}: exit {:?}\n{stdout}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn assert_qpdf_check_clean(bytes: &[u8], name: &str) {
    let report = qpdf_query(&["--check"], bytes, name);
    assert!(
        report.contains("No syntax or stream encoding errors found"),
        "qpdf --check {name}:\n{report}"
    );
}

/// `qpdf --show-xref`: number → entry, as qpdf reads the file.
fn qpdf_xref(bytes: &[u8], name: &str) -> BTreeMap<u32, XrefEntry> {
    let text = qpdf_query(&["--show-xref"], bytes, name);
    let mut entries = BTreeMap::new();
    for line in text.lines() {
        let Some((id, rest)) = line.split_once(": ") else {
            continue;
        };
        let (number, generation) = id.split_once('/').expect("n/g");
        let number: u32 = number.parse().expect("number");
        let generation: u16 = generation.parse().expect("generation");
        let field = |name: &str| -> usize {
            let start = rest.find(name).expect("field") + name.len();
            rest[start..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let entry = if rest.starts_with("uncompressed") {
            XrefEntry::InUse {
                offset: field("offset = "),
                generation,
            }
        } else {
            XrefEntry::Compressed {
                stream: field("stream = ") as u32,
                index: field("index = ") as u32,
            }
        };
        entries.insert(number, entry);
    }
    entries
}

/// Page object references in order, as qpdf sees them.
fn qpdf_pages(bytes: &[u8], name: &str) -> Vec<ObjRef> {
    let text = qpdf_query(&["--json=2", "--json-key=pages"], bytes, name);
    let json: serde_json::Value = serde_json::from_str(&text).expect("qpdf json");
    json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|page| parse_ref(page["object"].as_str().expect("object")))
        .collect()
}

fn parse_ref(text: &str) -> ObjRef {
    let mut parts = text.split(' ');
    let number = parts.next().unwrap().parse().unwrap();
    let generation = parts.next().unwrap().parse().unwrap();
    ObjRef::new(number, generation)
}

/// Fully qualified names of the fields qpdf lists in its AcroForm JSON.
fn qpdf_field_names(bytes: &[u8], name: &str) -> Vec<String> {
    let text = qpdf_query(&["--json=2", "--json-key=acroform"], bytes, name);
    let json: serde_json::Value = serde_json::from_str(&text).expect("qpdf json");
    let mut names: Vec<String> = json["acroform"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| field["fullname"].as_str().expect("fullname").to_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Our view agrees with qpdf's xref, object by object.
fn assert_same_xref_as_qpdf(document: &Document, name: &str) {
    let theirs = qpdf_xref(document.bytes(), name);
    let view = document.view();
    for (number, entry) in &theirs {
        assert_eq!(
            view.entry(*number).as_ref(),
            Some(entry),
            "{name}: object {number}"
        );
    }
}

fn page_refs(document: &Document) -> Vec<ObjRef> {
    document
        .pages()
        .expect("pages")
        .iter()
        .map(|page| page.reference)
        .collect()
}

/// Our terminal field names (nodes with a /T and no kid carrying /T), sorted.
fn terminal_field_names(document: &Document) -> Vec<String> {
    let fields = document.fields().expect("fields");
    let mut names: Vec<String> = fields
        .iter()
        .filter(|field| field.partial_name.is_some())
        .filter(|field| {
            !fields
                .iter()
                .any(|kid| kid.parent == Some(field.reference) && kid.partial_name.is_some())
        })
        .map(|field| field.name.clone())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// Reading

#[test]
fn classic_xref_hand_written() {
    let bytes = official_document();
    assert_qpdf_check_clean(&bytes, "classic");
    let document = Document::load(bytes.clone()).expect("loads");
    assert_eq!(document.version(), "1.7");
    assert_eq!(document.revisions().len(), 1);
    let revision = &document.revisions()[0];
    assert_eq!(revision.xref_kind(), XrefKind::Table);
    assert_eq!(revision.end(), bytes.len());
    assert_eq!(
        &bytes[revision.eof_offset()..revision.eof_offset() + 5],
        b"%%EOF"
    );
    assert!(!document.is_encrypted() && !document.is_linearized());
    assert_same_xref_as_qpdf(&document, "classic-xref");

    // Pages, in order, with inherited attributes.
    let pages = document.pages().expect("pages");
    assert_eq!(page_refs(&document), qpdf_pages(&bytes, "classic-pages"));
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].media_box(), Some([0.0, 0.0, 595.28, 841.89]));
    assert_eq!(pages[1].attribute("Rotate"), Some(&Object::Integer(90)));
    assert_eq!(pages[2].media_box(), Some([0.0, 0.0, 100.0, 100.0]));
    assert_eq!(pages[2].attribute("Rotate"), Some(&Object::Integer(0)));
    assert!(pages[1].attribute("Resources").is_some());

    // Fields, with Vietnamese names and inherited /FT.
    let fields = document.fields().expect("fields");
    let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Số",
            "Số",
            "Ngày",
            "Check",
            "Chữ ký",
            "Chữ ký.Lãnh đạo",
            "Chữ ký.Văn thư",
            "Chữ ký.Văn thư"
        ]
    );
    let signatures: Vec<&str> = fields
        .iter()
        .filter(|field| field.is_signature() && field.partial_name.is_some())
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(signatures, ["Chữ ký.Lãnh đạo", "Chữ ký.Văn thư"]);
    assert!(fields[1].is_widget() && fields[1].partial_name.is_none());
    assert_eq!(
        terminal_field_names(&document),
        qpdf_field_names(&bytes, "classic-fields")
    );

    // Streams: raw and decoded.
    let page2 = document.get(ObjRef::new(11, 0)).expect("page 2");
    let contents = page2
        .as_dict()
        .unwrap()
        .get("Contents")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = document.get(contents).expect("contents");
    let decoded = document
        .view()
        .decode(stream.as_stream().unwrap())
        .expect("flate");
    assert_eq!(decoded, b"BT /F1 13 Tf 72 700 Td (Trang 2) Tj ET");

    // Info: PDFDocEncoding text.
    let info = document
        .view()
        .resolve(document.trailer().get("Info").unwrap())
        .unwrap();
    let title = info
        .as_dict()
        .unwrap()
        .get("Title")
        .unwrap()
        .as_string()
        .unwrap()
        .to_text();
    assert_eq!(title, "Kí hoách");
}

#[test]
fn xref_streams_and_object_streams_from_qpdf() {
    let original = official_document();
    let bytes = qpdf(&["--object-streams=generate"], &original, "objstm");
    let document = Document::load(bytes.clone()).expect("loads");
    assert_eq!(document.newest().xref_kind(), XrefKind::Stream);
    let compressed = document
        .newest()
        .entries()
        .filter(|(_, entry)| matches!(entry, XrefEntry::Compressed { .. }))
        .count();
    assert!(compressed >= 10, "qpdf compressed {compressed} objects");
    assert_same_xref_as_qpdf(&document, "objstm-xref");
    assert_eq!(page_refs(&document), qpdf_pages(&bytes, "objstm-pages"));
    assert_eq!(
        terminal_field_names(&document),
        qpdf_field_names(&bytes, "objstm-fields")
    );
    assert_eq!(
        terminal_field_names(&document),
        terminal_field_names(&Document::load(original).unwrap())
    );
}

#[test]
fn qdf_and_linearized_files_from_qpdf() {
    let original = official_document();
    for (name, args) in [
        ("qdf", &["--qdf"][..]),
        ("linearized", &["--linearize"][..]),
        (
            "linearized-objstm",
            &["--linearize", "--object-streams=generate"][..],
        ),
    ] {
        let bytes = qpdf(args, &original, name);
        let document = Document::load(bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(document.revisions().len(), 1, "{name}");
        assert_eq!(document.newest().end(), bytes.len(), "{name}");
        assert_eq!(
            document.is_linearized(),
            name.starts_with("linearized"),
            "{name}"
        );
        assert_same_xref_as_qpdf(&document, name);
        assert_eq!(
            page_refs(&document),
            qpdf_pages(&bytes, &format!("{name}-pages"))
        );
        assert_eq!(
            terminal_field_names(&document),
            qpdf_field_names(&bytes, &format!("{name}-fields"))
        );
    }
}

/// A hybrid-reference file (§7.5.8.4): the table lists the plain objects and marks the page
/// free; the `/XRefStm` stream says the page lives in an object stream.
fn hybrid_file() -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = BTreeMap::new();
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>";
    let objstm_data = [&b"3 0 "[..], page].concat();
    let xref_rows = [2u8, 0, 0, 0, 5, 0, 0];
    let objects: Vec<(u32, Vec<u8>)> = vec![
        obj(1, "<< /Type /Catalog /Pages 2 0 R >>"),
        obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        stream_obj(5, "/Type /ObjStm /N 1 /First 4", &objstm_data),
        stream_obj(6, "/Type /XRef /Size 7 /Index [3 1] /W [1 4 2]", &xref_rows),
    ];
    for (number, body) in &objects {
        offsets.insert(*number, out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 7\n0000000000 65535 f \n");
    for number in 1..7 {
        match offsets.get(&number) {
            Some(offset) => out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 00001 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size 7 /Root 1 0 R /XRefStm {} >>\nstartxref\n{xref}\n%%EOF\n",
            offsets[&6]
        )
        .as_bytes(),
    );
    out
}

#[test]
fn hybrid_reference_files() {
    let bytes = hybrid_file();
    assert_qpdf_check_clean(&bytes, "hybrid");
    let document = Document::load(bytes.clone()).expect("loads");
    assert_eq!(document.newest().xref_kind(), XrefKind::Hybrid);
    assert_eq!(
        document.view().entry(3),
        Some(XrefEntry::Compressed {
            stream: 5,
            index: 0
        })
    );
    assert_same_xref_as_qpdf(&document, "hybrid-xref");
    assert_eq!(page_refs(&document), vec![ObjRef::new(3, 0)]);
    assert_eq!(page_refs(&document), qpdf_pages(&bytes, "hybrid-pages"));

    // An update to a hybrid file is a classic table; the page is still found through /Prev.
    let mut writer = IncrementalWriter::new(&document).unwrap();
    let mut page = document.pages().unwrap().remove(0).dict;
    page.insert("Rotate", Object::Integer(90));
    writer.set(ObjRef::new(3, 0), page).unwrap();
    let update = writer.finish().unwrap();
    assert_qpdf_check_clean(&update.bytes, "hybrid-update");
    let updated = Document::load(update.bytes.clone()).unwrap();
    assert_eq!(updated.newest().xref_kind(), XrefKind::Table);
    assert_eq!(
        updated.pages().unwrap()[0].attribute("Rotate"),
        Some(&Object::Integer(90))
    );
    assert_eq!(
        updated.view_at(0).unwrap().pages().unwrap()[0].attribute("Rotate"),
        None
    );
    assert_same_xref_as_qpdf(&updated, "hybrid-update-xref");
}

/// What our own renderer will produce: pdf-writer's classic and xref-stream output.
fn pdf_writer_document(xref_stream: bool) -> Vec<u8> {
    use pdf_writer::{Pdf, Rect, Ref, TextStr};
    let mut pdf = Pdf::new();
    let (catalog, tree, info) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let pages = [Ref::new(4), Ref::new(6)];
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(pages).count(2);
    for (i, page) in pages.iter().enumerate() {
        let content = Ref::new(page.get() + 1);
        pdf.page(*page)
            .parent(tree)
            .media_box(Rect::new(0.0, 0.0, 595.28, 841.89))
            .contents(content);
        pdf.stream(
            content,
            format!("BT /F1 13 Tf 72 760 Td (Trang {i}) Tj ET").as_bytes(),
        );
    }
    pdf.document_info(info)
        .title(TextStr("Kế hoạch tổ chức Đại hội"));
    if xref_stream {
        pdf.finish_with_xref_stream(Ref::new(8))
    } else {
        pdf.finish()
    }
}

#[test]
fn pdf_writer_output_loads() {
    for (xref_stream, kind) in [(false, XrefKind::Table), (true, XrefKind::Stream)] {
        let bytes = pdf_writer_document(xref_stream);
        let name = format!("pdf-writer-{kind:?}");
        assert_qpdf_check_clean(&bytes, &name);
        let document = Document::load(bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(document.newest().xref_kind(), kind);
        assert_same_xref_as_qpdf(&document, &name);
        assert_eq!(page_refs(&document), [ObjRef::new(4, 0), ObjRef::new(6, 0)]);
        let info = document
            .view()
            .resolve(document.trailer().get("Info").unwrap())
            .unwrap();
        let title = info
            .as_dict()
            .unwrap()
            .get("Title")
            .unwrap()
            .as_string()
            .unwrap()
            .to_text();
        assert_eq!(title, "Kế hoạch tổ chức Đại hội");
        let update = fill_free_text(&document);
        assert_qpdf_check_clean(&update, &format!("{name}-update"));
        assert_eq!(Document::load(update).unwrap().revisions().len(), 2);
    }
}

/// An update that replaces the catalog (for files without fields): `/Lang` set.
fn fill_free_text(document: &Document) -> Vec<u8> {
    let mut writer = IncrementalWriter::new(document).unwrap();
    let mut catalog = document.catalog().unwrap();
    catalog.insert("Lang", PdfString::text("vi-VN"));
    writer
        .set(document.view().root().unwrap(), catalog)
        .unwrap();
    writer.finish().unwrap().bytes
}

#[test]
fn encrypted_files_load_but_refuse_updates() {
    let bytes = qpdf(
        &["--encrypt", "user", "owner", "256", "--"],
        &official_document(),
        "encrypted",
    );
    let document = Document::load(bytes).expect("an encrypted file still loads");
    assert!(document.is_encrypted());
    assert_eq!(document.require_unencrypted(), Err(PdfError::Encrypted));
    assert_eq!(
        IncrementalWriter::new(&document).err(),
        Some(PdfError::Encrypted)
    );
}

// ---------------------------------------------------------------------------------------------
// Appending

/// Fill the number field with a Vietnamese value (as the văn thư does).
fn fill_number(document: &Document, value: &str) -> vanban::pdf::Update {
    let field = document
        .fields()
        .unwrap()
        .into_iter()
        .find(|field| field.name == "Số" && field.partial_name.is_some())
        .expect("number field");
    let mut dict = field.dict.clone();
    dict.insert("V", PdfString::text(value));
    let mut writer = IncrementalWriter::new(document).unwrap();
    writer.set(field.reference, dict).unwrap();
    let mut appearance = Dict::new();
    appearance.insert("Type", Object::name("XObject"));
    appearance.insert("Subtype", Object::name("Form"));
    appearance.insert(
        "BBox",
        Object::Array(vec![0i64.into(), 0i64.into(), 130i64.into(), 15i64.into()]),
    );
    writer
        .add(Stream::flate(
            appearance,
            b"/Tx BMC BT /F1 13 Tf 2 3 Td (36/KH-CDN) Tj ET EMC",
        ))
        .unwrap();
    writer.finish().unwrap()
}

fn field_value(document: &Document, revision: usize, name: &str) -> Option<String> {
    let view = document.view_at(revision).unwrap();
    let field = view
        .fields()
        .unwrap()
        .into_iter()
        .find(|f| f.name == name && f.partial_name.is_some())?;
    field
        .dict
        .get("V")
        .and_then(Object::as_string)
        .map(PdfString::to_text)
}

/// Check an update's reported offsets against its bytes.
fn assert_offsets_point_at_objects(update: &vanban::pdf::Update) {
    for (number, offset) in &update.offsets {
        let header = format!("{number} 0 obj");
        assert!(
            update.bytes[*offset..].starts_with(header.as_bytes()),
            "object {number}"
        );
    }
    assert!(update.xref_offset > update.original_len);
}

#[test]
fn incremental_updates_three_revisions() {
    let original = official_document();
    let first = Document::load(original.clone()).unwrap();
    let update1 = fill_number(&first, "Số: 36/KH-CĐN");
    assert_eq!(
        &update1.bytes[..original.len()],
        &original[..],
        "original bytes untouched"
    );
    assert_offsets_point_at_objects(&update1);
    assert_qpdf_check_clean(&update1.bytes, "update1");

    let second = Document::load(update1.bytes.clone()).unwrap();
    let mut writer = IncrementalWriter::new(&second).unwrap();
    let mut sig = Dict::new();
    sig.insert("Type", Object::name("Sig"));
    sig.insert("Filter", Object::name("Adobe.PPKLite"));
    sig.insert("SubFilter", Object::name("ETSI.CAdES.detached"));
    sig.insert("M", PdfString::literal(b"D:20200320090000+07'00'".to_vec()));
    let sig_ref = writer.add_signature(sig, 4096).unwrap();
    let leader = ObjRef::new(24, 0);
    let mut widget = second.get(leader).unwrap().as_dict().unwrap().clone();
    widget.insert("V", sig_ref);
    writer.set(leader, widget).unwrap();
    let mut update2 = writer.finish().unwrap();
    let slot = update2.signature.clone().expect("placeholder");
    assert_eq!(slot.capacity(), 4096);
    let values = slot.patch_byte_range(&mut update2.bytes).unwrap();
    assert_eq!(
        values,
        [
            0,
            slot.contents.start,
            slot.contents.end,
            update2.bytes.len() - slot.contents.end
        ]
    );
    let fake_cms = vec![0x30u8; 1500];
    assert_eq!(
        slot.patch_contents(&mut update2.bytes.clone(), &vec![0; 4097]),
        Err(PdfError::ContentsTooSmall {
            reserved: 4096,
            needed: 4097
        })
    );
    slot.patch_contents(&mut update2.bytes, &fake_cms).unwrap();
    let [before, after] = slot.signed_data(&update2.bytes);
    assert_eq!(
        before.len() + after.len() + slot.contents.len(),
        update2.bytes.len()
    );
    assert_qpdf_check_clean(&update2.bytes, "update2");

    let third = Document::load(update2.bytes.clone()).unwrap();
    let update3 = fill_number(&third, "Số: 37/KH-CĐN");
    assert_qpdf_check_clean(&update3.bytes, "update3");

    let document = Document::load(update3.bytes.clone()).unwrap();
    let ends: Vec<usize> = document.revisions().iter().map(|r| r.end()).collect();
    assert_eq!(
        ends,
        [
            original.len(),
            update1.bytes.len(),
            update2.bytes.len(),
            update3.bytes.len()
        ]
    );
    let xrefs: Vec<usize> = document
        .revisions()
        .iter()
        .map(|r| r.xref_offset())
        .collect();
    assert_eq!(
        xrefs[1..],
        [
            update1.xref_offset,
            update2.xref_offset,
            update3.xref_offset
        ]
    );
    assert!(
        document
            .revisions()
            .iter()
            .all(|r| r.xref_kind() == XrefKind::Table)
    );
    assert_eq!(
        document.revisions()[1].trailer().get("Prev"),
        Some(&Object::Integer(first.startxref() as i64))
    );
    assert_eq!(document.trailer().get("ID"), first.trailer().get("ID"));
    assert_eq!(document.trailer().get("Info"), first.trailer().get("Info"));

    // Each view sees the value of its time.
    assert_eq!(field_value(&document, 0, "Số").as_deref(), Some(""));
    assert_eq!(
        field_value(&document, 1, "Số").as_deref(),
        Some("Số: 36/KH-CĐN")
    );
    assert_eq!(
        field_value(&document, 3, "Số").as_deref(),
        Some("Số: 37/KH-CĐN")
    );
    assert!(document.revisions()[1].entry(21).is_some());
    assert!(document.revisions()[2].entry(21).is_none());

    // The signature dictionary reads back with the patched values.
    let sig = document.get(sig_ref).unwrap();
    let sig = sig.as_dict().unwrap();
    let byte_range: Vec<i64> = sig
        .get("ByteRange")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(byte_range, values.map(|v| v as i64));
    let contents = sig.get("Contents").unwrap().as_string().unwrap();
    assert!(contents.hex && contents.bytes.len() == 4096);
    assert_eq!(&contents.bytes[..1500], &fake_cms[..]);
    assert_eq!(
        document.view().offset_of(sig_ref),
        Some(update2.offsets[&sig_ref.number])
    );
    // The reader locates the placeholders exactly where the writer reported them.
    let view = document.view();
    assert_eq!(
        view.value_span(sig_ref, "Contents"),
        Ok(Some(slot.contents.clone()))
    );
    assert_eq!(
        view.value_span(sig_ref, "ByteRange"),
        Ok(Some(slot.byte_range.clone()))
    );
    assert_eq!(view.value_span(sig_ref, "Missing"), Ok(None));
    assert_eq!(
        view.value_span(ObjRef::new(sig_ref.number, 1), "Contents"),
        Ok(None)
    );
    assert_eq!(
        document.view_at(1).unwrap().value_span(sig_ref, "Contents"),
        Ok(None)
    );
}

#[test]
fn updates_follow_the_xref_kind_of_the_file() {
    for (name, args) in [
        ("objstm-update", &["--object-streams=generate"][..]),
        ("linearized-update", &["--linearize"][..]),
        (
            "linearized-objstm-update",
            &["--linearize", "--object-streams=generate"][..],
        ),
    ] {
        let base = qpdf(args, &official_document(), name);
        let document = Document::load(base.clone()).unwrap();
        let kind = document.newest().xref_kind();
        let update = fill_number(&document, "Số: 36/KH-CĐN");
        assert_offsets_point_at_objects(&update);
        let updated =
            Document::load(update.bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(updated.revisions().len(), 2, "{name}");
        assert_eq!(updated.newest().xref_kind(), kind, "{name}");
        assert_eq!(updated.revisions()[0].end(), base.len(), "{name}");
        assert_eq!(
            field_value(&updated, 1, "Số").as_deref(),
            Some("Số: 36/KH-CĐN")
        );
        assert_eq!(field_value(&updated, 0, "Số").as_deref(), Some(""));
        assert_same_xref_as_qpdf(&updated, name);
        assert_qpdf_check_clean(&update.bytes, name);
        assert_eq!(
            page_refs(&updated),
            qpdf_pages(&update.bytes, &format!("{name}-pages"))
        );
    }
}

/// pyHanko as a peer: it appends a signature field to a file (as its signer does), and reads a
/// file back, printing its revision count and each revision's startxref as JSON.
const PYHANKO_PEER: &str = r#"
import json, sys
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
mode, src = sys.argv[1], sys.argv[2]
if mode == "addfield":
    with open(src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        append_signature_field(w, SigFieldSpec(sig_field_name="Văn thư ký", box=(100, 100, 200, 150)))
        with open(sys.argv[3], "wb") as out:
            w.write(out)
else:
    with open(src, "rb") as f:
        r = PdfFileReader(f)
        n = r.xrefs.total_revisions
        print(json.dumps({"revisions": n, "startxref": [r.xrefs.get_startxref_for_revision(i) for i in range(n)]}))
"#;

fn pyhanko(args: &[&str]) -> String {
    let script = scratch("pyhanko_peer.py");
    std::fs::write(&script, PYHANKO_PEER).expect("write script");
    let output = Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
        .expect("python3 with pyHanko is installed (.ci/run)");
    assert!(
        output.status.success(),
        "pyHanko {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn pyhanko_reads_our_updates_and_we_read_its() {
    // Ours → pyHanko: three updates, same revisions and startxrefs.
    let original = official_document();
    let one = fill_number(&Document::load(original.clone()).unwrap(), "Số: 36/KH-CĐN").bytes;
    let two = fill_number(&Document::load(one).unwrap(), "Số: 37/KH-CĐN").bytes;
    let ours = Document::load(two.clone()).unwrap();
    let path = scratch("ours-for-pyhanko.pdf");
    std::fs::write(&path, &two).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&pyhanko(&["read", path.to_str().unwrap()])).unwrap();
    assert_eq!(json["revisions"], 3);
    let theirs: Vec<u64> = json["startxref"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let mine: Vec<u64> = ours
        .revisions()
        .iter()
        .map(|r| r.xref_offset() as u64)
        .collect();
    assert_eq!(theirs, mine);

    // pyHanko → ours: its incremental update adds a signature field in a second revision.
    let target = scratch("pyhanko-field.pdf");
    pyhanko(&["addfield", path.to_str().unwrap(), target.to_str().unwrap()]);
    let bytes = std::fs::read(&target).unwrap();
    assert_eq!(
        &bytes[..two.len()],
        &two[..],
        "pyHanko kept the earlier revisions"
    );
    let document = Document::load(bytes.clone()).expect("pyHanko's update loads");
    assert_eq!(document.revisions().len(), 4);
    assert_eq!(document.revisions()[2].end(), two.len());
    let fields = document.fields().unwrap();
    let added = fields
        .iter()
        .find(|f| f.name == "Văn thư ký")
        .expect("pyHanko's field");
    assert!(added.is_signature());
    assert!(
        document
            .view_at(2)
            .unwrap()
            .fields()
            .unwrap()
            .iter()
            .all(|f| f.name != "Văn thư ký")
    );
    assert_eq!(
        field_value(&document, 3, "Số").as_deref(),
        Some("Số: 37/KH-CĐN")
    );
}

#[test]
fn writer_output_is_deterministic() {
    let document = Document::load(official_document()).unwrap();
    let a = fill_number(&document, "Số: 1/KH-CĐN");
    let b = fill_number(&document, "Số: 1/KH-CĐN");
    assert_eq!(a.bytes, b.bytes);
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs: each a clean error with an offset

fn load_error(bytes: Vec<u8>) -> PdfError {
    match Document::load(bytes) {
        Ok(_) => panic!("hostile input loaded"),
        Err(error) => error,
    }
}

fn small_catalog_file(extra_objects: Vec<(u32, Vec<u8>)>, catalog_extra: &str) -> Vec<u8> {
    let mut objects = vec![
        obj(
            1,
            format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>"),
        ),
        obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj(
            3,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        ),
    ];
    objects.extend(extra_objects);
    file(&objects, "/Root 1 0 R")
}

#[test]
fn truncated_files() {
    let bytes = official_document();
    let eof = bytes.len() - b"%%EOF\n".len();
    for cut in [
        0,
        1,
        8,
        bytes.len() / 10,
        bytes.len() / 2,
        bytes.len() * 9 / 10,
        eof - 1,
        eof + 3,
    ] {
        let error = load_error(bytes[..cut].to_vec());
        assert!(error.offset().is_some(), "cut at {cut}: {error}");
    }
    // Cutting only the final end-of-line still leaves a complete file.
    assert!(Document::load(bytes[..bytes.len() - 1].to_vec()).is_ok());
}

#[test]
fn broken_xref_offsets() {
    let bytes = official_document();
    let document = Document::load(bytes.clone()).unwrap();
    let Some(XrefEntry::InUse { offset, .. }) = document.view().entry(6) else {
        panic!()
    };
    // Shift object 6's xref entry by one byte.
    let entry = format!("{offset:010} 00000 n");
    let shifted = format!("{:010} 00000 n", offset + 1);
    let at = find(&bytes, entry.as_bytes());
    let mut broken = bytes.clone();
    broken[at..at + entry.len()].copy_from_slice(shifted.as_bytes());
    assert_eq!(
        load_error(broken),
        PdfError::ObjectMismatch {
            offset: offset as u64 + 1,
            expected: ObjRef::new(6, 0)
        }
    );
    // startxref one byte off, and far past the end.
    let xref = document.startxref();
    for (value, expected_offset) in [(xref + 1, xref + 1), (xref - 1, xref - 1)] {
        let broken = replace_last(
            &bytes,
            format!("startxref\n{xref}").as_bytes(),
            format!("startxref\n{value}").as_bytes(),
        );
        assert_eq!(load_error(broken).offset(), Some(expected_offset as u64));
    }
    let broken = replace_last(
        &bytes,
        format!("startxref\n{xref}").as_bytes(),
        b"startxref\n99999999",
    );
    assert!(matches!(
        load_error(broken),
        PdfError::Xref {
            offset: 99999999,
            ..
        }
    ));
}

#[test]
fn objects_must_lie_inside_their_revision() {
    // Revision 0's xref points object 4 into bytes that only revision 1 adds.
    let base = small_catalog_file(vec![obj(4, "(old)")], "");
    let old_offset = find(&base, b"4 0 obj");
    let base_len = base.len();
    let appended = append(
        base.clone(),
        &[obj(4, "(new)")],
        Document::load(base.clone()).unwrap().startxref(),
        "/Size 5 /Root 1 0 R",
    );
    let new_offset = base_len;
    assert!(appended[new_offset..].starts_with(b"4 0 obj"));
    let mut forged = appended.clone();
    let old_entry = format!("{old_offset:010} 00000 n");
    let at = find(&forged, old_entry.as_bytes());
    forged[at..at + 10].copy_from_slice(format!("{new_offset:010}").as_bytes());
    assert_eq!(
        load_error(forged),
        PdfError::ObjectMismatch {
            offset: new_offset as u64,
            expected: ObjRef::new(4, 0)
        }
    );
    assert!(Document::load(appended).is_ok());
}

#[test]
fn prev_cycles() {
    let base = small_catalog_file(vec![obj(4, "(v0)")], "");
    let startxref0 = Document::load(base.clone()).unwrap().startxref();
    let one = append(base, &[obj(4, "(v1)")], startxref0, "/Size 5 /Root 1 0 R");
    let startxref1 = Document::load(one.clone()).unwrap().startxref();
    let two = append(one, &[obj(4, "(v2)")], startxref1, "/Size 5 /Root 1 0 R");
    let startxref2 = Document::load(two.clone()).unwrap().startxref();
    assert_eq!(Document::load(two.clone()).unwrap().revisions().len(), 3);

    // The newest section points at itself.
    let self_loop = replace_last(
        &two,
        format!("/Prev {startxref1:010}").as_bytes(),
        format!("/Prev {startxref2:010}").as_bytes(),
    );
    assert_eq!(
        load_error(self_loop),
        PdfError::PrevCycle {
            offset: startxref2 as u64
        }
    );
    // Revision 1 points forward at revision 2, which points back at it.
    let two_loop = replace_last(
        &two,
        format!("/Prev {startxref0:010}").as_bytes(),
        format!("/Prev {startxref2:010}").as_bytes(),
    );
    assert_eq!(
        load_error(two_loop),
        PdfError::PrevCycle {
            offset: startxref2 as u64
        }
    );
}

#[test]
fn unaccounted_bytes_after_the_last_revision() {
    let base = small_catalog_file(vec![obj(4, "(v0)")], "");
    let startxref = Document::load(base.clone()).unwrap().startxref();
    // Objects appended with no xref at all.
    let mut no_xref = base.clone();
    no_xref.extend_from_slice(b"4 0 obj\n(evil)\nendobj\n");
    assert_eq!(
        load_error(no_xref),
        PdfError::UnaccountedBytes {
            offset: base.len() as u64,
            len: 22
        }
    );
    // Objects appended with a new trailer whose startxref points at the old xref.
    let mut old_xref = base.clone();
    old_xref.extend_from_slice(format!("4 0 obj\n(evil)\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{startxref}\n%%EOF\n").as_bytes());
    assert_eq!(
        load_error(old_xref.clone()),
        PdfError::UnaccountedBytes {
            offset: base.len() as u64,
            len: (old_xref.len() - base.len()) as u64
        }
    );
    // Trailing white space is fine.
    let mut spaces = base.clone();
    spaces.extend_from_slice(b"\r\n  \n");
    assert!(Document::load(spaces).is_ok());
}

/// A zlib stream that claims `mib` MiB of spaces after `prefix`: one 1 MiB block compressed
/// with a sync flush (so it ends on a byte boundary and refers only to itself), repeated. It
/// has no final block and no checksum; a reader must stop at its cap long before the end.
fn bomb(prefix: &[u8], mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut block = prefix.to_vec();
    block.resize(1024 * 1024, b' ');
    let mut compress = Compress::new(Compression::best(), true);
    let mut first = Vec::with_capacity(64 * 1024);
    compress
        .compress_vec(&block, &mut first, FlushCompress::Sync)
        .expect("deflate");
    let mut spaces = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(64 * 1024);
    spaces
        .compress_vec(&vec![b' '; 1024 * 1024], &mut chunk, FlushCompress::Sync)
        .expect("deflate");
    let mut out = first;
    for _ in 1..mib {
        out.extend_from_slice(&chunk);
    }
    out
}

#[test]
fn object_stream_bombs() {
    // The catalog lives in an object stream that claims 1 GiB of spaces after it.
    let header = b"1 0 ";
    let first = header.len();
    let prefix = [&header[..], b"<< /Type /Catalog /Pages 2 0 R >>"].concat();
    let bomb = bomb(&prefix, 1024);
    assert!(
        bomb.len() < 1100 * 1024,
        "compressed bomb is {} bytes",
        bomb.len()
    );
    let bytes = xref_stream_file(
        vec![
            stream_obj(
                5,
                &format!("/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode"),
                &bomb,
            ),
            obj(2, "<< /Type /Pages /Kids [] /Count 0 >>"),
        ],
        &[(1, Some((5, 0)))],
    );
    let error = load_error(bytes);
    assert!(
        matches!(&error, PdfError::CompressedObject { number: 1, stream: 5, source, .. }
            if matches!(**source, PdfError::DecodedTooLarge { max: 8388608, .. })),
        "{error}"
    );
    assert!(error.offset().is_some());

    // The same bomb as a page's content stream: decoding stops at the caller's cap.
    let bytes = small_catalog_file(vec![stream_obj(4, "/Filter /FlateDecode", &bomb)], "");
    let document = Document::load(bytes).unwrap();
    let content = document.get(ObjRef::new(4, 0)).unwrap();
    let stream = content.as_stream().unwrap();
    assert!(matches!(
        document.view().decode(stream),
        Err(PdfError::DecodedTooLarge { max: 67108864, .. })
    ));
    assert!(matches!(
        document.view().decode_with_limit(stream, 1000),
        Err(PdfError::DecodedTooLarge { max: 1000, .. })
    ));
}

#[test]
fn many_object_streams_share_one_decoding_cap() {
    // Twelve object streams of 7 MiB each: together past the 64 MiB document cap. Each holds
    // the same twelve small objects; object 200 + i is read from stream 100 + i.
    let mut header = String::new();
    let mut body = String::new();
    for i in 0..12 {
        header.push_str(&format!("{} {} ", 200 + i, body.len()));
        body.push_str("(x) ");
    }
    let first = header.len();
    let mut payload = (header + &body).into_bytes();
    payload.resize(7 * 1024 * 1024, b' ');
    let compressed_payload = {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&payload).expect("in memory");
        encoder.finish().expect("in memory")
    };
    let mut objects = vec![
        obj(1, "<< /Type /Catalog /Pages 2 0 R >>"),
        obj(2, "<< /Type /Pages /Kids [] /Count 0 >>"),
    ];
    let mut compressed = Vec::new();
    for i in 0..12u32 {
        let dict = format!("/Type /ObjStm /N 12 /First {first} /Filter /FlateDecode");
        objects.push(stream_obj(100 + i, &dict, &compressed_payload));
        compressed.push((200 + i, Some((100 + i, i))));
    }
    let document = Document::load(xref_stream_file(objects, &compressed)).expect("loads");
    let results: Vec<Result<Object, PdfError>> = (0..12)
        .map(|i| document.get(ObjRef::new(200 + i, 0)))
        .collect();
    let x = Object::String(PdfString::literal(b"x".to_vec()));
    assert!(
        results[..9].iter().all(|r| r.as_ref() == Ok(&x)),
        "{results:?}"
    );
    assert!(
        matches!(&results[9], Err(PdfError::CompressedObject { source, .. })
            if matches!(**source, PdfError::DecodedTooLarge { .. })),
        "{:?}",
        results[9]
    );
}

#[test]
fn huge_length_values() {
    for length in ["1073741824", "99999999999999", "-5"] {
        let bytes = small_catalog_file(
            vec![(
                4,
                format!("<< /Length {length} >>\nstream\nBT ET\nendstream").into_bytes(),
            )],
            "",
        );
        assert!(bytes.len() < 1024);
        let document = Document::load(bytes).expect("the content stream is not read at load");
        let error = document.get(ObjRef::new(4, 0)).unwrap_err();
        assert!(
            matches!(error, PdfError::StreamLength { .. }),
            "{length}: {error}"
        );
    }
    // An indirect /Length pointing at itself.
    let bytes = small_catalog_file(
        vec![obj(4, "<< /Length 4 0 R >>\nstream\nBT ET\nendstream")],
        "",
    );
    let document = Document::load(bytes).unwrap();
    assert!(document.get(ObjRef::new(4, 0)).is_err());
}

#[test]
fn huge_counts_claimed_in_small_files() {
    // An xref subsection of a billion entries in a 1 KB file.
    let bytes = small_catalog_file(vec![], "");
    let broken = replace_last(&bytes, b"xref\n0 4\n", b"xref\n0 1000000000\n");
    assert!(matches!(load_error(broken), PdfError::Xref { .. }));
    // An xref stream whose /Size claims a billion objects.
    let file = xref_stream_file(
        vec![
            obj(1, "<< /Type /Catalog /Pages 2 0 R >>"),
            obj(2, "<< /Type /Pages /Kids [] /Count 0 >>"),
        ],
        &[],
    );
    let broken = replace_last(&file, b"/Size ", b"/Size 1000000000 /Foo ");
    assert!(matches!(load_error(broken), PdfError::Xref { .. }));
    // An object stream whose /N claims a billion objects.
    let mut payload = b"3 0 ".to_vec();
    let first = payload.len();
    payload.extend_from_slice(b"42");
    let file = xref_stream_file(
        vec![
            obj(1, "<< /Type /Catalog /Pages 2 0 R >>"),
            obj(2, "<< /Type /Pages /Kids [] /Count 0 >>"),
            stream_obj(
                5,
                &format!("/Type /ObjStm /N 1000000000 /First {first}"),
                &payload,
            ),
        ],
        &[(3, Some((5, 0)))],
    );
    let document = Document::load(file).unwrap();
    assert!(matches!(
        document.get(ObjRef::new(3, 0)),
        Err(PdfError::CompressedObject { .. })
    ));
}

#[test]
fn deep_nesting() {
    for (open, close) in [("[", "]"), ("<< /A ", " >>")] {
        let deep = format!("{}{}", open.repeat(10_000), close.repeat(10_000));
        let bytes = small_catalog_file(vec![], &format!("/Deep {deep}"));
        let error = load_error(bytes);
        assert!(
            matches!(
                error,
                PdfError::Limit {
                    what: "nesting depth",
                    max: 64,
                    ..
                }
            ),
            "{error}"
        );
    }
    // Deep page trees and field trees stop at the depth limit too.
    let mut objects = vec![obj(1, "<< /Type /Catalog /Pages 2 0 R >>")];
    for level in 2..200u32 {
        objects.push(obj(
            level,
            format!("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", level + 1),
        ));
    }
    objects.push(obj(200, "<< /Type /Page >>"));
    let document = Document::load(file(&objects, "/Root 1 0 R")).unwrap();
    assert!(matches!(
        document.pages(),
        Err(PdfError::Limit {
            what: "page tree depth",
            ..
        })
    ));
}

#[test]
fn missing_trailer() {
    let bytes = small_catalog_file(vec![], "");
    let broken = replace_last(&bytes, b"trailer\n", b"trailor\n");
    assert!(matches!(
        load_error(broken),
        PdfError::MissingTrailer { .. }
    ));
    let at = find(&bytes, b"trailer");
    let broken = [&bytes[..at], &bytes[find(&bytes, b"startxref")..]].concat();
    assert!(matches!(
        load_error(broken),
        PdfError::MissingTrailer { .. }
    ));
    let no_root = replace_last(&bytes, b"/Root 1 0 R", b"/Rot 1 0 R ");
    assert!(matches!(load_error(no_root), PdfError::BadStructure { .. }));
}

#[test]
fn tree_cycles_and_bad_structure() {
    let cycle = file(
        &[
            obj(
                1,
                "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>",
            ),
            obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            obj(3, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
            obj(5, "<< /T (a) /Kids [6 0 R] >>"),
            obj(6, "<< /T (b) /Kids [5 0 R] >>"),
        ],
        "/Root 1 0 R",
    );
    let document = Document::load(cycle).unwrap();
    assert!(
        matches!(document.pages(), Err(PdfError::BadStructure { what, .. }) if what.contains("twice"))
    );
    assert!(
        matches!(document.fields(), Err(PdfError::BadStructure { what, .. }) if what.contains("twice"))
    );
    let duplicate = small_catalog_file(vec![], "/Pages 2 0 R");
    assert!(matches!(
        load_error(duplicate),
        PdfError::DuplicateKey { .. }
    ));
}

// ---------------------------------------------------------------------------------------------
// Mutations through the fuzz entry point

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        if len == 0 {
            break;
        }
        let at = rng.below(len);
        match rng.below(7) {
            0 => bytes[at] ^= 1 << rng.below(8),
            1 => bytes[at] = b"0123456789"[rng.below(10)],
            2 => bytes[at] = b" \n\r[]<>()/%R0"[rng.below(13)],
            3 => bytes.truncate(at),
            4 => {
                let end = (at + rng.below(64)).min(len);
                bytes.drain(at..end);
            }
            5 => {
                let end = (at + rng.below(64)).min(len);
                let chunk = bytes[at..end].to_vec();
                let to = rng.below(bytes.len());
                bytes.splice(to..to, chunk);
            }
            _ => {
                let token: &[u8] = [
                    &b"9999999999"[..],
                    b"<<",
                    b"[",
                    b"-1",
                    b" 0 R",
                    b"endstream",
                ][rng.below(6)];
                bytes.splice(at..at, token.iter().copied());
            }
        }
    }
    bytes
}

#[test]
fn mutated_inputs_never_panic() {
    let original = official_document();
    let mut seeds = vec![
        original.clone(),
        qpdf(&["--object-streams=generate"], &original, "seed-objstm"),
        qpdf(&["--linearize"], &original, "seed-linearized"),
    ];
    let updated = fill_number(&Document::load(seeds[1].clone()).unwrap(), "Số: 36/KH-CĐN").bytes;
    seeds.push(updated.clone());
    seeds.push(fill_number(&Document::load(original.clone()).unwrap(), "Số: 2/KH").bytes);
    let seed: u64 = std::env::var("VANBAN_MUTATION_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed);
    let mut loaded = 0;
    // VANBAN_MUTATIONS=200000 runs a longer search locally; the default keeps CI quick.
    let rounds: usize = std::env::var("VANBAN_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, seed);
        vanban::fuzzing::pdf_document(&input);
        loaded += usize::from(Document::load(input).is_ok());
    }
    // The run must exercise both paths: most mutants are refused, some still load.
    assert!(
        loaded > rounds / 30 && loaded < rounds * 29 / 30,
        "{loaded} of {rounds} mutants loaded"
    );
    for seed in &seeds {
        vanban::fuzzing::pdf_document(seed);
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

fn replace_last(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let at = haystack
        .windows(needle.len())
        .rposition(|w| w == needle)
        .expect("needle present");
    [&haystack[..at], with, &haystack[at + needle.len()..]].concat()
}

/// A file with an (unfiltered) xref stream. `compressed` lists objects stored in object
/// streams: (number, Some((stream, index))).
fn xref_stream_file(
    objects: Vec<(u32, Vec<u8>)>,
    compressed: &[(u32, Option<(u32, u32)>)],
) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut rows: BTreeMap<u32, (u8, u32, u16)> = BTreeMap::new();
    for (number, body) in &objects {
        rows.insert(*number, (1, out.len() as u32, 0));
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    for (number, place) in compressed {
        if let Some((stream, index)) = place {
            rows.insert(*number, (2, *stream, *index as u16));
        }
    }
    let xref_number = rows.keys().max().copied().unwrap_or(0) + 1;
    let xref = out.len();
    rows.insert(xref_number, (1, xref as u32, 0));
    let size = xref_number + 1;
    let mut data = Vec::new();
    for number in 0..size {
        let (kind, field2, field3) = rows.get(&number).copied().unwrap_or((0, 0, 0));
        data.push(kind);
        data.extend_from_slice(&field2.to_be_bytes());
        data.extend_from_slice(&field3.to_be_bytes());
    }
    out.extend_from_slice(
        format!("{xref_number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n", data.len())
            .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

//! The OPC package: parts, content types, relationships, and a Deflate zip.
//!
//! docx-rs gives the document body, settings and font table. Everything that decides whether
//! a reader can open the file is written here, so that every part has a content type and
//! every relationship target exists: `[Content_Types].xml`, both `.rels` parts, the core and
//! app properties, the styles part, the headers and footers. The document part is patched
//! for what docx-rs cannot express (`w:tblHeader`), and its ids are renumbered so that the
//! same input gives the same bytes.
//!
//! docx-rs stores its zip entries uncompressed with mode 0755; the same `zip` crate it uses
//! (no new dependency) writes ours with Deflate, mode 0644 and a fixed 1980-01-01 timestamp.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use docx_rs::XMLDocx;
use zip::write::SimpleFileOptions;

use crate::compose::Meta;

use super::DocxError;
use super::body::Part;
use super::styles::styles_xml;
use super::xml::escape;

const MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Write the package from docx-rs's parts and ours.
pub fn write(
    xml: XMLDocx,
    parts: &[Part],
    header_rows: &[usize],
    meta: &Meta,
) -> Result<Vec<u8>, DocxError> {
    let mut ids = IdCounter::default();
    let document = String::from_utf8_lossy(&xml.document);
    let document = ids.renumber(&mark_header_rows(&document, header_rows));
    let mut zip = Zip::new();
    zip.add("[Content_Types].xml", content_types(parts).as_bytes())?;
    zip.add("_rels/.rels", root_relationships().as_bytes())?;
    zip.add("docProps/core.xml", core_properties(meta).as_bytes())?;
    zip.add("docProps/app.xml", APP_PROPERTIES.as_bytes())?;
    zip.add("word/document.xml", document.as_bytes())?;
    let relationships = document_relationships(&xml.document_rels, parts);
    zip.add("word/_rels/document.xml.rels", relationships.as_bytes())?;
    zip.add("word/styles.xml", styles_xml().as_bytes())?;
    zip.add("word/settings.xml", &xml.settings)?;
    zip.add("word/fontTable.xml", &xml.font_table)?;
    for part in parts {
        let text = ids.renumber(&String::from_utf8_lossy(&part.xml));
        zip.add(&format!("word/{}", part.file), text.as_bytes())?;
    }
    for (id, png) in &xml.media {
        zip.add(&format!("word/media/{id}.png"), png)?;
    }
    zip.finish()
}

/// A zip being written in memory.
struct Zip {
    writer: zip::ZipWriter<Cursor<Vec<u8>>>,
    options: SimpleFileOptions,
}

impl Zip {
    fn new() -> Zip {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        Zip {
            writer: zip::ZipWriter::new(Cursor::new(Vec::new())),
            options,
        }
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), DocxError> {
        let error = |error: &dyn std::fmt::Display| DocxError::Package {
            part: name.to_owned(),
            message: error.to_string(),
        };
        self.writer
            .start_file(name, self.options)
            .map_err(|e| error(&e))?;
        self.writer.write_all(bytes).map_err(|e| error(&e))
    }

    fn finish(self) -> Result<Vec<u8>, DocxError> {
        let cursor = self.writer.finish().map_err(|error| DocxError::Package {
            part: "zip directory".to_owned(),
            message: error.to_string(),
        })?;
        Ok(cursor.into_inner())
    }
}

fn content_types(parts: &[Part]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Default Extension="png" ContentType="image/png"/>"#,
        r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
        r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    ));
    for (part, kind) in [
        ("document", "document.main"),
        ("styles", "styles"),
        ("settings", "settings"),
        ("fontTable", "fontTable"),
    ] {
        let _ = write!(
            xml,
            r#"<Override PartName="/word/{part}.xml" ContentType="{MAIN}.{kind}+xml"/>"#
        );
    }
    for part in parts {
        let kind = if part.is_header { "header" } else { "footer" };
        let _ = write!(
            xml,
            r#"<Override PartName="/word/{}" ContentType="{MAIN}.{kind}+xml"/>"#,
            part.file
        );
    }
    xml.push_str("</Types>");
    xml
}

fn root_relationships() -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="{pkg}">"#,
            r#"<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>"#,
            r#"<Relationship Id="rId2" Type="{pkg}/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId3" Type="{rel}/extended-properties" Target="docProps/app.xml"/>"#,
            "</Relationships>",
        ),
        pkg = PACKAGE_REL,
        rel = REL,
    )
}

/// Relationships of the document part: ours, plus the image relationships docx-rs made.
fn document_relationships(docx_rels: &[u8], parts: &[Part]) -> String {
    let mut xml = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="{pkg}">"#,
            r#"<Relationship Id="rIdVbStyles" Type="{rel}/styles" Target="styles.xml"/>"#,
            r#"<Relationship Id="rIdVbSettings" Type="{rel}/settings" Target="settings.xml"/>"#,
            r#"<Relationship Id="rIdVbFontTable" Type="{rel}/fontTable" Target="fontTable.xml"/>"#,
        ),
        pkg = PACKAGE_REL,
        rel = REL,
    );
    for part in parts {
        let kind = if part.is_header { "header" } else { "footer" };
        let _ = write!(
            xml,
            r#"<Relationship Id="{}" Type="{REL}/{kind}" Target="{}"/>"#,
            part.rid, part.file
        );
    }
    let docx_rels = String::from_utf8_lossy(docx_rels);
    for relationship in docx_rels.split("<Relationship ").skip(1) {
        if relationship.contains(r#"relationships/image""#)
            && let Some(end) = relationship.find("/>")
        {
            let _ = write!(xml, "<Relationship {}/>", relationship[..end].trim_end());
        }
    }
    xml.push_str("</Relationships>");
    xml
}

/// Title = trích yếu, creator = issuer, subject, created = the document date (when issued).
fn core_properties(meta: &Meta) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    ));
    let _ = write!(
        xml,
        "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>",
        escape(&meta.title),
        escape(&meta.subject),
        escape(&meta.author)
    );
    if let Some(number) = &meta.number {
        let _ = write!(xml, "<cp:keywords>{}</cp:keywords>", escape(number));
    }
    let _ = write!(
        xml,
        "<dc:language>vi-VN</dc:language><cp:category>{}</cp:category>",
        escape(&meta.kind)
    );
    if let Some(date) = meta.date.as_deref().filter(|date| is_iso_date(date)) {
        for element in ["created", "modified"] {
            let _ = write!(
                xml,
                r#"<dcterms:{element} xsi:type="dcterms:W3CDTF">{date}T00:00:00Z</dcterms:{element}>"#
            );
        }
    }
    xml.push_str("</cp:coreProperties>");
    xml
}

/// `yyyy-mm-dd` with digits only (the date goes into XML unescaped).
fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

const APP_PROPERTIES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    "<Application>vanban</Application></Properties>",
);

/// Add `<w:tblHeader/>` to the first `header_rows[k]` rows of the k-th table, so that Word
/// and LibreOffice repeat them on every page (docx-rs has no such row property).
fn mark_header_rows(xml: &str, header_rows: &[usize]) -> String {
    const TABLE: &str = "<w:tbl>";
    const ROW: &str = "<w:tr>";
    let mut out = String::with_capacity(xml.len() + 64 * header_rows.len());
    let mut rest = xml;
    for &rows in header_rows {
        let Some(start) = rest.find(TABLE) else {
            break;
        };
        out.push_str(&rest[..start + TABLE.len()]);
        rest = &rest[start + TABLE.len()..];
        let end = rest.find("</w:tbl>").unwrap_or(rest.len());
        let (mut table, after) = rest.split_at(end);
        for _ in 0..rows {
            let Some(at) = table.find(ROW) else {
                break;
            };
            out.push_str(&table[..at + ROW.len()]);
            table = &table[at + ROW.len()..];
            if let Some(tail) = table.strip_prefix("<w:trPr>") {
                out.push_str("<w:trPr><w:tblHeader />");
                table = tail;
            } else if let Some(tail) = table.strip_prefix("<w:trPr />") {
                out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                table = tail;
            } else {
                out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            }
        }
        out.push_str(table);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Renumbers paragraph ids and drawing ids across all parts: docx-rs draws them from
/// process-wide counters (so two renders differ) and gives every picture `id="1"`.
#[derive(Default)]
struct IdCounter {
    paragraph: u32,
    drawing: u32,
}

impl IdCounter {
    fn renumber(&mut self, xml: &str) -> String {
        let xml = replace_values(xml, r#"w14:paraId=""#, &mut self.paragraph, |id| {
            format!("{id:08X}")
        });
        replace_values(&xml, r#"<wp:docPr id=""#, &mut self.drawing, |id| {
            id.to_string()
        })
    }
}

/// Replaces the attribute value after each `prefix` with the next counter value.
fn replace_values(
    xml: &str,
    prefix: &str,
    counter: &mut u32,
    format: impl Fn(u32) -> String,
) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        rest = &rest[at + prefix.len()..];
        let end = rest.find('"').unwrap_or(0);
        *counter += 1;
        out.push_str(&format(*counter));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked_in_their_own_table_only() {
        let xml = concat!(
            "<w:tbl><w:tr><w:trPr /></w:tr></w:tbl>",
            "<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl>",
        );
        let marked = mark_header_rows(xml, &[0, 1]);
        assert_eq!(
            marked,
            concat!(
                "<w:tbl><w:tr><w:trPr /></w:tr></w:tbl>",
                "<w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr>",
                "<w:tr><w:trPr /></w:tr></w:tbl>",
            )
        );
    }

    #[test]
    fn ids_are_renumbered_in_order() {
        let mut ids = IdCounter::default();
        let xml = r#"<w:p w14:paraId="000000A1"/><wp:docPr id="1" /><w:p w14:paraId="0000FF00"/>"#;
        assert_eq!(
            ids.renumber(xml),
            r#"<w:p w14:paraId="00000001"/><wp:docPr id="1" /><w:p w14:paraId="00000002"/>"#
        );
    }

    #[test]
    fn core_properties_escape_and_skip_bad_dates() {
        let meta = Meta {
            title: "Về việc <khen> & thưởng".into(),
            author: "CÔNG ĐOÀN NGÀNH Y TẾ".into(),
            subject: "Quyết định".into(),
            date: Some("2020-03-20\"".into()),
            number: None,
            kind: "quyet_dinh".into(),
        };
        let xml = core_properties(&meta);
        assert!(xml.contains("<dc:title>Về việc &lt;khen&gt; &amp; thưởng</dc:title>"));
        assert!(!xml.contains("dcterms:created"));
    }
}

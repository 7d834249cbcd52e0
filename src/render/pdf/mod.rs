//! PDF output: laid-out pages written as PDF/A-2b with embedded, subset Vietnamese fonts and
//! named form fields for numbering and signing.
//!
//! Written with `pdf-writer` (objects), `subsetter` (font subsets) and `ttf-parser`
//! (metrics, in [`crate::layout::font`]) rather than printpdf, which subsets only with its
//! heavy `text_layout` feature and writes neither form fields nor XMP (notes/crates.md §1).
//!
//! Determinism: the same [`Composed`] and the same creation date give the same bytes. The
//! creation date is [`PdfOptions::created`]; by default it is the document's own date
//! (ngày ban hành) at 00:00 Vietnam time (+07:00), and for an undated draft the Unix epoch
//! shown in Vietnam time (1970-01-01T07:00:00+07:00), so a draft rendered twice is identical
//! too. The file identifier and the font subset tags are hashes of the content.
//!
//! Slots and fields (for the signing step): [`PdfOutput::slots`] lists every slot with its
//! page index (0-based) and its rectangle `[llx, lly, urx, ury]` in PDF points from the
//! bottom-left corner of the page. Field names: `so`, `ngay`, `thang`, `nam` (text, only
//! while empty), `chu_ky` (signature, ô 7c), `dau` (signature, ô 8); see [`form`].

pub mod content;
pub mod fonts;
pub mod form;
pub mod icc;
pub mod xmp;

use std::collections::BTreeMap;
use std::io::Write;

use pdf_writer::types::OutputIntentSubtype;
use pdf_writer::{Date, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use time::{OffsetDateTime, UtcOffset};

use crate::compose::Composed;
use crate::diag::Diagnostics;
use crate::layout::font::{FaceId, FontBook, FontError};
use crate::layout::page::Pages;
use crate::layout::style::PageGeometry;
use crate::render::pdf::fonts::PdfFont;
use crate::render::pdf::form::FormPlan;

pub use crate::layout::font::{FontFiles, FontSource};
pub use crate::layout::page::{Slot, SlotName};

/// How to render.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// The fonts: embedded Liberation Serif (default) or the user's Times New Roman files.
    pub fonts: FontSource,
    /// Creation and modification date written in the Info dictionary and the XMP; `None`
    /// takes the document date (see the module docs).
    pub created: Option<OffsetDateTime>,
    /// Page size and margins (A4, 20/20/30/15 mm).
    pub geometry: PageGeometry,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            fonts: FontSource::Embedded,
            created: None,
            geometry: PageGeometry::A4,
        }
    }
}

/// A rendered PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOutput {
    /// The file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Where the number, the date, the signature and the seal go.
    pub slots: Vec<Slot>,
    /// Warnings found while laying out (overlong words …).
    pub diagnostics: Diagnostics,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A user font file could not be used.
    #[error(transparent)]
    Font(#[from] FontError),
    /// The layout found errors (a character with no glyph …); each names its field.
    #[error("không dàn trang được:\n{0}")]
    Layout(Diagnostics),
    /// The font subsetter refused a face.
    #[error("không cắt gọn được phông {font}: {reason}")]
    Subset {
        /// The face.
        font: String,
        /// The subsetter's message.
        reason: String,
    },
}

/// Render a composed document to PDF.
pub fn render(composed: &Composed, options: &PdfOptions) -> Result<PdfOutput, PdfError> {
    let book = FontBook::load(&options.fonts)?;
    let pages = crate::layout::layout(composed, &book, options.geometry);
    if pages.diagnostics.has_errors() {
        return Err(PdfError::Layout(pages.diagnostics));
    }
    let created = options.created.unwrap_or_else(|| default_date(composed));
    let bytes = write(composed, &pages, &book, created)?;
    Ok(PdfOutput {
        bytes,
        pages: pages.pages.len(),
        slots: pages.slots,
        diagnostics: pages.diagnostics,
    })
}

/// Object id allocator.
#[derive(Debug, Clone)]
pub struct Refs(i32);

impl Default for Refs {
    fn default() -> Self {
        Refs(1)
    }
}

impl Refs {
    /// The next unused id.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Ref {
        let id = Ref::new(self.0);
        self.0 += 1;
        id
    }
}

/// Zlib-compress (FlateDecode).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    encoder.write_all(data).expect("write to memory");
    encoder.finish().expect("write to memory")
}

/// SHA-256 of data.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// The default creation date: the document date at 00:00 +07:00, else the epoch in +07:00.
pub fn default_date(composed: &Composed) -> OffsetDateTime {
    let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    composed
        .meta
        .date
        .as_deref()
        .and_then(|date| time::Date::parse(date, format).ok())
        .map(|date| date.midnight().assume_offset(vietnam))
        .unwrap_or_else(|| OffsetDateTime::UNIX_EPOCH.to_offset(vietnam))
}

struct Ids {
    catalog: Ref,
    tree: Ref,
    info: Ref,
    metadata: Ref,
    icc: Ref,
    pages: Vec<(Ref, Ref)>,
}

fn write(
    composed: &Composed,
    pages: &Pages,
    book: &FontBook,
    created: OffsetDateTime,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::new();
    let mut refs = Refs::default();
    let ids = Ids {
        catalog: refs.next(),
        tree: refs.next(),
        info: refs.next(),
        metadata: refs.next(),
        icc: refs.next(),
        pages: pages
            .pages
            .iter()
            .map(|_| (refs.next(), refs.next()))
            .collect(),
    };
    let form = FormPlan::new(&pages.slots, &mut refs);
    let used = fonts::used_glyphs(pages, book);
    let fonts = fonts::write_fonts(&mut pdf, &mut refs, &used, book)?;
    write_pages(&mut pdf, &ids, pages, &fonts, &form);
    let page_refs: Vec<Ref> = ids.pages.iter().map(|(page, _)| *page).collect();
    form.write(&mut pdf, &page_refs, pages, &fonts);
    write_metadata(&mut pdf, &ids, composed, created);
    write_catalog(&mut pdf, &ids, &form, &fonts);
    let id = file_id(composed, created, book);
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

fn write_pages(
    pdf: &mut Pdf,
    ids: &Ids,
    pages: &Pages,
    fonts: &BTreeMap<FaceId, PdfFont>,
    form: &FormPlan,
) {
    let geometry = &pages.geometry;
    pdf.pages(ids.tree)
        .kids(ids.pages.iter().map(|(page, _)| *page))
        .count(ids.pages.len() as i32);
    for (index, (page, (page_ref, content_ref))) in pages.pages.iter().zip(&ids.pages).enumerate() {
        let content = deflate(&content::page_content(page, geometry.height, fonts));
        pdf.stream(*content_ref, &content)
            .filter(Filter::FlateDecode);
        let mut writer = pdf.page(*page_ref);
        writer
            .media_box(Rect::new(0.0, 0.0, geometry.width, geometry.height))
            .parent(ids.tree)
            .contents(*content_ref);
        let mut resources = writer.resources();
        let mut font_dict = resources.fonts();
        for font in fonts.values() {
            font_dict.pair(Name(font.resource.as_bytes()), font.reference);
        }
        font_dict.finish();
        resources.finish();
        let annotations = form.annotations(index);
        if !annotations.is_empty() {
            writer.annotations(annotations);
        }
        writer.finish();
    }
}

fn write_metadata(pdf: &mut Pdf, ids: &Ids, composed: &Composed, created: OffsetDateTime) {
    let producer = concat!("vanban ", env!("CARGO_PKG_VERSION"), " (pdf-writer)");
    let meta = &composed.meta;
    let packet = xmp::packet(&xmp::XmpInfo {
        title: &meta.title,
        creator: &meta.author,
        description: &meta.subject,
        tool: "vanban",
        producer,
        created,
        language: "vi",
    });
    pdf.metadata(ids.metadata, packet.as_bytes());
    let date = pdf_date(created);
    pdf.document_info(ids.info)
        .title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .creator(TextStr("vanban"))
        .producer(TextStr(producer))
        .creation_date(date)
        .modified_date(date);
    let profile = deflate(&icc::srgb_profile());
    pdf.icc_profile(ids.icc, &profile)
        .n(3)
        .range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
        .filter(Filter::FlateDecode);
}

fn write_catalog(pdf: &mut Pdf, ids: &Ids, form: &FormPlan, fonts: &BTreeMap<FaceId, PdfFont>) {
    let mut catalog = pdf.catalog(ids.catalog);
    catalog
        .pages(ids.tree)
        .metadata(ids.metadata)
        .lang(TextStr("vi"));
    catalog
        .output_intents()
        .push()
        .subtype(OutputIntentSubtype::PDFA)
        .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
        .info(TextStr("sRGB IEC61966-2.1"))
        .dest_output_profile(ids.icc);
    if form.is_empty() {
        return;
    }
    let mut acro = catalog.form();
    acro.fields(form.top_level());
    let faces = form.faces();
    let default = faces.first().and_then(|face| fonts.get(face));
    if let Some(font) = default {
        acro.default_appearance(pdf_writer::Str(
            format!("/{} 13 Tf 0 g", font.resource).as_bytes(),
        ));
    }
    let mut resources = acro.default_resources();
    let mut font_dict = resources.fonts();
    for face in faces {
        if let Some(font) = fonts.get(&face) {
            font_dict.pair(form::resource_name(font), font.reference);
        }
    }
}

fn pdf_date(date: OffsetDateTime) -> Date {
    let (hours, minutes, _) = date.offset().as_hms();
    Date::new(date.year().clamp(0, 9999) as u16)
        .month(u8::from(date.month()))
        .day(date.day())
        .hour(date.hour())
        .minute(date.minute())
        .second(date.second())
        .utc_offset_hour(hours)
        .utc_offset_minute(minutes.unsigned_abs())
}

/// The file identifier: a hash of the composed document, the date and the fonts.
fn file_id(composed: &Composed, created: OffsetDateTime, book: &FontBook) -> Vec<u8> {
    let mut data = serde_json::to_vec(composed).unwrap_or_default();
    data.extend_from_slice(xmp::iso_date(created).as_bytes());
    for face in FaceId::ALL {
        let face = book.face(face);
        data.extend_from_slice(face.postscript_name.as_bytes());
        data.extend_from_slice(&(face.bytes().len() as u64).to_be_bytes());
    }
    sha256(&data)[..16].to_vec()
}

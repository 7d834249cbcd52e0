//! Fonts in the PDF: each face used becomes a Type0 font with an Identity-H encoding over a
//! CIDFontType2 descendant whose program is a subset (only the glyphs drawn), with a
//! ToUnicode CMap so that copying and `pdftotext` give back the NFC text. The subset tag
//! (`ABCDEF+`) is derived from a hash of the glyph set, so equal input gives equal bytes.

use std::collections::{BTreeMap, HashMap};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use crate::layout::font::{FaceId, FontBook};
use crate::layout::page::{Item, Pages, SlotName};
use crate::render::pdf::{PdfError, Refs, deflate, sha256};

/// Characters every face used by a text field carries, so the văn thư's number and date can
/// be typed with the embedded font later.
const FIELD_CHARS: &str = "0123456789/ ";

/// A face as written: its resource name and the CID of each glyph.
#[derive(Debug, Clone)]
pub struct PdfFont {
    /// The face.
    pub face: FaceId,
    /// Resource name on pages and in the AcroForm (`F0` … `F3`).
    pub resource: String,
    /// The Type0 font object.
    pub reference: Ref,
    /// Original glyph id → CID (the glyph id in the subset).
    pub cids: HashMap<u16, u16>,
}

/// Glyphs used per face: glyph id → the character it shows.
pub fn used_glyphs(pages: &Pages, book: &FontBook) -> BTreeMap<FaceId, BTreeMap<u16, char>> {
    let mut used: BTreeMap<FaceId, BTreeMap<u16, char>> = BTreeMap::new();
    for item in pages.pages.iter().flat_map(|page| &page.items) {
        if let Item::Text(text) = item {
            let glyphs = used.entry(text.face).or_default();
            for glyph in &text.glyphs {
                glyphs.entry(glyph.id).or_insert(glyph.ch);
            }
        }
    }
    for slot in &pages.slots {
        if matches!(slot.name, SlotName::Signature | SlotName::Seal) {
            continue;
        }
        let face = book.face(slot.face);
        let glyphs = used.entry(slot.face).or_default();
        for c in FIELD_CHARS.chars() {
            if let Some(id) = face.glyph(c) {
                glyphs.entry(id).or_insert(c);
            }
        }
    }
    used
}

/// Write the fonts; returns them by face.
pub fn write_fonts(
    pdf: &mut Pdf,
    refs: &mut Refs,
    used: &BTreeMap<FaceId, BTreeMap<u16, char>>,
    book: &FontBook,
) -> Result<BTreeMap<FaceId, PdfFont>, PdfError> {
    let mut out = BTreeMap::new();
    for (face_id, glyphs) in used {
        let font = write_font(pdf, refs, *face_id, glyphs, book)?;
        out.insert(*face_id, font);
    }
    Ok(out)
}

fn write_font(
    pdf: &mut Pdf,
    refs: &mut Refs,
    face_id: FaceId,
    glyphs: &BTreeMap<u16, char>,
    book: &FontBook,
) -> Result<PdfFont, PdfError> {
    let face = book.face(face_id);
    let gids: Vec<u16> = glyphs.keys().copied().collect();
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&gids);
    let subset =
        subsetter::subset(face.bytes(), 0, &remapper).map_err(|error| PdfError::Subset {
            font: face.postscript_name.clone(),
            reason: error.to_string(),
        })?;
    let cids: HashMap<u16, u16> = gids
        .iter()
        .filter_map(|&gid| remapper.get(gid).map(|cid| (gid, cid)))
        .collect();
    let base = format!(
        "{}+{}",
        subset_tag(&face.postscript_name, &gids),
        face.postscript_name
    );
    let [type0, cid_font, descriptor, file, to_unicode] = [
        refs.next(),
        refs.next(),
        refs.next(),
        refs.next(),
        refs.next(),
    ];
    let scale = 1000.0 / f32::from(face.units_per_em);

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(to_unicode);

    let mut widths = vec![0.0f32; usize::from(remapper.num_gids())];
    for (&gid, &cid) in &cids {
        widths[usize::from(cid)] = f32::from(face.advance_units(gid)) * scale;
    }
    widths[0] = f32::from(face.advance_units(0)) * scale;
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system_info())
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths.iter().copied());
    cid.finish();

    let mut flags = FontFlags::SERIF | FontFlags::SYMBOLIC;
    if face_id.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    let [x0, y0, x1, y1] = face.bbox.map(|v| f32::from(v) * scale);
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(face.italic_angle)
        .ascent(face.ascent * 1000.0)
        .descent(-face.descent * 1000.0)
        .cap_height(face.cap_height * 1000.0)
        .stem_v(10.0 + 0.244 * (f32::from(face.weight) - 50.0))
        .font_file2(file);

    let compressed = deflate(&subset);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);

    let mut cmap = UnicodeCmap::new(Name(b"Vanban-UCS"), system_info());
    for (gid, c) in glyphs {
        if let Some(&cid) = cids.get(gid) {
            cmap.pair(cid, *c);
        }
    }
    let cmap = deflate(&cmap.finish());
    pdf.stream(to_unicode, &cmap).filter(Filter::FlateDecode);

    Ok(PdfFont {
        face: face_id,
        resource: format!("F{}", face_id.index()),
        reference: type0,
        cids,
    })
}

fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    }
}

/// Six capital letters from a hash of the font name and its glyph set.
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let mut data = name.as_bytes().to_vec();
    for gid in gids {
        data.extend_from_slice(&gid.to_be_bytes());
    }
    sha256(&data)[..6]
        .iter()
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_depend_on_the_glyphs_only() {
        let a = subset_tag("LiberationSerif", &[3, 68, 69]);
        assert_eq!(a, subset_tag("LiberationSerif", &[3, 68, 69]));
        assert_ne!(a, subset_tag("LiberationSerif", &[3, 68, 70]));
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
    }
}

//! Fonts for appearance streams (luồng hiển thị): the number and date typed into the form
//! fields, the seal's ring text, the 10 pt line on attachments and copies.
//!
//! Two sources, one interface ([`AppearanceFont`]):
//!
//! - [`read_embedded`]: a Type0 font already in the document (the subset the page uses),
//!   read back through its ToUnicode CMap and `/W` widths. This is what the văn thư's number
//!   and date are set in, so that they look typeset with the line around them; the renderer
//!   puts the digits and "/" in every subset a text field names.
//! - [`add_subset`]: a new Type0 / CIDFontType2 font object holding a subset of one of the
//!   embedded faces ([`crate::layout::font::FontBook`]) that covers exactly the text drawn,
//!   with its own ToUnicode CMap, for text the page's subsets do not cover.

use std::collections::{BTreeMap, HashMap};

use pdf_writer::types::{SystemInfo, UnicodeCmap};
use subsetter::GlyphRemapper;

use crate::layout::font::{Face, FaceId, FontBook};
use crate::pdf::lexer::{Lexer, Token};
use crate::pdf::{Dict, IncrementalWriter, Name, ObjRef, Object, PdfString, Stream, View};
use crate::sign::error::SignError;

/// Largest decoded ToUnicode CMap read back: 1 MiB (a full CJK font's is about 200 KB).
const MAX_CMAP_BYTES: usize = 1024 * 1024;

/// Most code→width pairs read from a `/W` array: 65,536 (every possible CID once).
const MAX_WIDTHS: usize = 65_536;

/// A font an appearance stream can show text with.
#[derive(Debug, Clone)]
pub struct AppearanceFont {
    /// The Type0 font object, for the stream's `/Resources`.
    pub reference: ObjRef,
    codes: HashMap<char, u16>,
    widths: HashMap<u16, f32>,
    default_width: f32,
    /// Ascent above the baseline, in em.
    pub ascent: f32,
    /// Descent below the baseline, in em (positive).
    pub descent: f32,
}

impl AppearanceFont {
    /// True when every character of `text` has a code.
    pub fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.codes.contains_key(&c))
    }

    /// The 2-byte codes of `text` (Identity-H), or the first character without one.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, char> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let code = self.codes.get(&c).ok_or(c)?;
            out.extend_from_slice(&code.to_be_bytes());
        }
        Ok(out)
    }

    /// Advance of one character at `size` pt (0 when it has no code).
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        self.codes.get(&c).map_or(0.0, |code| {
            self.widths.get(code).copied().unwrap_or(self.default_width) * size / 1000.0
        })
    }

    /// Advance of `text` at `size` pt.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    /// `<…> Tj` for `text`: the hex string operand and the operator.
    pub fn show(&self, text: &str) -> Result<String, char> {
        let codes = self.encode(text)?;
        let hex: String = codes.iter().map(|b| format!("{b:02X}")).collect();
        Ok(format!("<{hex}> Tj"))
    }
}

/// Read a Type0 font with an Identity-H encoding and a ToUnicode CMap from the document;
/// `None` when the font is of another kind or its maps cannot be read.
pub fn read_embedded(view: &View<'_>, reference: ObjRef) -> Option<AppearanceFont> {
    let font = view.get(reference).ok()?;
    let font = font.as_dict()?;
    if font.get("Subtype")?.as_name()? != "Type0"
        || font.get("Encoding")?.as_name()? != "Identity-H"
    {
        return None;
    }
    let to_unicode = view.resolve(font.get("ToUnicode")?).ok()?;
    let cmap = view
        .decode_with_limit(to_unicode.as_stream()?, MAX_CMAP_BYTES)
        .ok()?;
    let codes = parse_to_unicode(&cmap)?;
    let descendants = view.resolve(font.get("DescendantFonts")?).ok()?;
    let cid_font = view.resolve(descendants.as_array()?.first()?).ok()?;
    let cid_font = cid_font.as_dict()?;
    let default_width = cid_font
        .get("DW")
        .and_then(|w| view.resolve(w).ok())
        .and_then(|w| w.as_f64())
        .unwrap_or(1000.0) as f32;
    let widths = match cid_font.get("W") {
        Some(w) => parse_widths(&view.resolve(w).ok()?, view)?,
        None => HashMap::new(),
    };
    let descriptor = view.resolve(cid_font.get("FontDescriptor")?).ok()?;
    let descriptor = descriptor.as_dict()?;
    let metric = |key: &str| {
        descriptor
            .get(key)
            .and_then(|v| v.as_f64())
            .map(|v| (v / 1000.0) as f32)
    };
    Some(AppearanceFont {
        reference,
        codes,
        widths,
        default_width,
        ascent: metric("Ascent").unwrap_or(0.9),
        descent: metric("Descent").map_or(0.22, |d| -d),
    })
}

/// Which embedded face a font's `/BaseFont` names (`ABCDEF+LiberationSerif-Italic`), if any.
pub fn face_for_base_font(base_font: &[u8], book: &FontBook) -> Option<FaceId> {
    let name = String::from_utf8_lossy(base_font);
    let name = name.split_once('+').map_or(name.as_ref(), |(_, rest)| rest);
    FaceId::ALL
        .into_iter()
        .find(|id| book.face(*id).postscript_name == name)
}

/// Add a subset of `face` covering the characters of `text` as a new Type0 font.
pub fn add_subset(
    writer: &mut IncrementalWriter<'_>,
    face: &Face,
    text: &str,
) -> Result<AppearanceFont, SignError> {
    let mut glyphs: BTreeMap<u16, char> = BTreeMap::new();
    for c in text.chars() {
        let gid = face.glyph(c).ok_or(SignError::Glyph {
            ch: c,
            what: "chữ trên ảnh hiển thị",
        })?;
        glyphs.entry(gid).or_insert(c);
    }
    let gids: Vec<u16> = glyphs.keys().copied().collect();
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&gids);
    let subset =
        subsetter::subset(face.bytes(), 0, &remapper).map_err(|error| SignError::Image {
            reason: format!("không cắt gọn được phông {}: {error}", face.postscript_name),
        })?;
    let scale = 1000.0 / f32::from(face.units_per_em);
    let mut codes = HashMap::new();
    let mut widths = HashMap::new();
    let mut width_array = vec![0.0f32; usize::from(remapper.num_gids())];
    let mut cmap = UnicodeCmap::new(pdf_writer::Name(b"Vanban-UCS"), system_info());
    for (gid, c) in &glyphs {
        let Some(cid) = remapper.get(*gid) else {
            continue;
        };
        let width = f32::from(face.advance_units(*gid)) * scale;
        width_array[usize::from(cid)] = width;
        codes.insert(*c, cid);
        widths.insert(cid, width);
        cmap.pair(cid, *c);
    }
    let base = format!(
        "{}+{}",
        subset_tag(&face.postscript_name, &gids),
        face.postscript_name
    );
    let file = writer.add(Stream::flate(
        dict([("Length1", Object::Integer(subset.len() as i64))]),
        &subset,
    ))?;
    let descriptor = writer.add(descriptor(face, &base, file, scale))?;
    let cid_font = writer.add(cid_font(&base, descriptor, &width_array))?;
    let to_unicode = writer.add(Stream::flate(Dict::new(), &cmap.finish()))?;
    let type0 = writer.add(dict([
        ("Type", Object::name("Font")),
        ("Subtype", Object::name("Type0")),
        ("BaseFont", Object::Name(Name::from(base.as_str()))),
        ("Encoding", Object::name("Identity-H")),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Ref(cid_font)]),
        ),
        ("ToUnicode", Object::Ref(to_unicode)),
    ]))?;
    Ok(AppearanceFont {
        reference: type0,
        codes,
        widths,
        default_width: 0.0,
        ascent: face.ascent,
        descent: face.descent,
    })
}

fn descriptor(face: &Face, base: &str, file: ObjRef, scale: f32) -> Dict {
    // FontFlags: Serif (2) | Symbolic (4), Italic (64).
    let mut flags = 2 | 4;
    if face.italic_angle != 0.0 {
        flags |= 64;
    }
    let bbox = face
        .bbox
        .iter()
        .map(|v| Object::Real(f64::from((f32::from(*v) * scale).round())))
        .collect();
    dict([
        ("Type", Object::name("FontDescriptor")),
        ("FontName", Object::Name(Name::from(base))),
        ("Flags", Object::Integer(flags)),
        ("FontBBox", Object::Array(bbox)),
        ("ItalicAngle", Object::Real(f64::from(face.italic_angle))),
        (
            "Ascent",
            Object::Real(f64::from((face.ascent * 1000.0).round())),
        ),
        (
            "Descent",
            Object::Real(f64::from((-face.descent * 1000.0).round())),
        ),
        (
            "CapHeight",
            Object::Real(f64::from((face.cap_height * 1000.0).round())),
        ),
        (
            "StemV",
            Object::Real(f64::from(
                (10.0 + 0.244 * (f32::from(face.weight) - 50.0)).round(),
            )),
        ),
        ("FontFile2", Object::Ref(file)),
    ])
}

fn cid_font(base: &str, descriptor: ObjRef, widths: &[f32]) -> Dict {
    let mut system = Dict::new();
    system.insert("Registry", PdfString::literal(b"Adobe".to_vec()));
    system.insert("Ordering", PdfString::literal(b"Identity".to_vec()));
    system.insert("Supplement", Object::Integer(0));
    let widths = widths
        .iter()
        .map(|w| Object::Real(f64::from(w.round())))
        .collect();
    dict([
        ("Type", Object::name("Font")),
        ("Subtype", Object::name("CIDFontType2")),
        ("BaseFont", Object::Name(Name::from(base))),
        ("CIDSystemInfo", Object::Dict(system)),
        ("FontDescriptor", Object::Ref(descriptor)),
        ("DW", Object::Integer(0)),
        (
            "W",
            Object::Array(vec![Object::Integer(0), Object::Array(widths)]),
        ),
        ("CIDToGIDMap", Object::name("Identity")),
    ])
}

fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: pdf_writer::Str(b"Adobe"),
        ordering: pdf_writer::Str(b"Identity"),
        supplement: 0,
    }
}

/// Six capital letters from a hash of the font name and its glyph set (deterministic).
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let mut data = name.as_bytes().to_vec();
    data.extend_from_slice(b"vanban-sign");
    for gid in gids {
        data.extend_from_slice(&gid.to_be_bytes());
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, &data);
    digest.as_ref()[..6]
        .iter()
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

/// A dictionary from pairs.
pub(crate) fn dict<const N: usize>(pairs: [(&str, Object); N]) -> Dict {
    let mut out = Dict::new();
    for (key, value) in pairs {
        out.insert(key, value);
    }
    out
}

/// char → code from a ToUnicode CMap (`bfchar` and `bfrange` sections, 2-byte codes).
fn parse_to_unicode(cmap: &[u8]) -> Option<HashMap<char, u16>> {
    let mut lexer = Lexer::new(cmap, 0);
    let mut operands: Vec<Token<'_>> = Vec::new();
    let mut codes = HashMap::new();
    let mut section: Option<&[u8]> = None;
    while let Some((_, token)) = lexer.next_token().ok()? {
        match token {
            Token::Keyword(word @ (b"beginbfchar" | b"beginbfrange")) => {
                section = Some(word);
                operands.clear();
            }
            Token::Keyword(b"endbfchar") => {
                for pair in operands.chunks_exact(2) {
                    if let (Some(code), Some(c)) = (code_of(&pair[0]), char_of(&pair[1])) {
                        codes.entry(c).or_insert(code);
                    }
                }
                section = None;
                operands.clear();
            }
            Token::Keyword(b"endbfrange") => {
                bfrange(&operands, &mut codes);
                section = None;
                operands.clear();
            }
            other if section.is_some() => operands.push(other),
            _ => {}
        }
    }
    Some(codes)
}

/// `bfrange` triples: `<lo> <hi> <dst>` (consecutive) or `<lo> <hi> [<d0> <d1> …]`.
fn bfrange(tokens: &[Token<'_>], codes: &mut HashMap<char, u16>) {
    let mut i = 0;
    while i + 2 < tokens.len() {
        let (Some(lo), Some(hi)) = (code_of(&tokens[i]), code_of(&tokens[i + 1])) else {
            return;
        };
        if let Token::ArrayStart = tokens[i + 2] {
            let mut j = i + 3;
            let mut code = lo;
            while j < tokens.len() && tokens[j] != Token::ArrayEnd {
                if let Some(c) = char_of(&tokens[j]) {
                    codes.entry(c).or_insert(code);
                }
                code = code.saturating_add(1);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if let Some(first) = char_of(&tokens[i + 2]) {
            for (offset, code) in (lo..=hi.max(lo)).enumerate().take(256) {
                if let Some(c) = char::from_u32(first as u32 + offset as u32) {
                    codes.entry(c).or_insert(code);
                }
            }
        }
        i += 3;
    }
}

fn code_of(token: &Token<'_>) -> Option<u16> {
    match token {
        Token::String(s) if s.bytes.len() == 2 => {
            Some(u16::from_be_bytes([s.bytes[0], s.bytes[1]]))
        }
        _ => None,
    }
}

/// The single character a UTF-16BE destination string names.
fn char_of(token: &Token<'_>) -> Option<char> {
    let Token::String(s) = token else {
        return None;
    };
    let units: Vec<u16> = s
        .bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    let mut chars = char::decode_utf16(units);
    let c = chars.next()?.ok()?;
    chars.next().is_none().then_some(c)
}

/// code → width from a CIDFont `/W` array (`c [w1 w2 …]` and `c1 c2 w` forms).
fn parse_widths(array: &Object, view: &View<'_>) -> Option<HashMap<u16, f32>> {
    let items = array.as_array()?;
    let mut widths = HashMap::new();
    let mut i = 0;
    while i < items.len() && widths.len() < MAX_WIDTHS {
        let first = items[i].as_i64()?;
        let next = view.resolve(items.get(i + 1)?).ok()?;
        if let Some(list) = next.as_array() {
            for (k, w) in list.iter().enumerate().take(MAX_WIDTHS) {
                let code = u16::try_from(first + k as i64).ok()?;
                widths.insert(code, w.as_f64()? as f32);
            }
            i += 2;
        } else {
            let last = next.as_i64()?;
            let w = items.get(i + 2)?.as_f64()? as f32;
            for code in first..=last.min(first + MAX_WIDTHS as i64) {
                widths.insert(u16::try_from(code).ok()?, w);
            }
            i += 3;
        }
    }
    Some(widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_bfchar_and_bfrange_are_read() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0033> <0010> <0110> endbfchar\n\
            2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<1EC7> <00E2>] endbfrange";
        let codes = parse_to_unicode(cmap).expect("parses");
        assert_eq!(codes[&'3'], 3);
        assert_eq!(codes[&'Đ'], 0x10);
        assert_eq!(codes[&'A'], 0x20);
        assert_eq!(codes[&'C'], 0x22);
        assert_eq!(codes[&'ệ'], 0x30);
        assert_eq!(codes[&'â'], 0x31);
    }

    #[test]
    fn subset_tags_are_stable() {
        assert_eq!(
            subset_tag("LiberationSerif", &[1, 2]),
            subset_tag("LiberationSerif", &[1, 2])
        );
        assert_ne!(
            subset_tag("LiberationSerif", &[1, 2]),
            subset_tag("LiberationSerif", &[1, 3])
        );
    }
}

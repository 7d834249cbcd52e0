//! Fonts (phông chữ): the four faces of the body font, their metrics and kerning.
//!
//! The house font is Liberation Serif 2.1.5, metric-compatible with Times New Roman (so line
//! breaks match a DOCX opened in Word), shipped in `fonts/` under the SIL OFL and embedded in
//! the binary with `include_bytes!`, so `vanban` works on a machine without any font installed.
//! Debian's `fonts-liberation` 1.x lacks U+1EA0–U+1EF9 (Ộ, Ụ, Ể …), which is why the files are
//! never taken from the system. A user who owns Times New Roman can point [`FontSource::Files`]
//! at their four files instead.
//!
//! Everything the layout needs is read once into owned tables ([`Face`]): the character map,
//! advance widths, the `kern` table pairs and the vertical metrics. The raw bytes stay alongside
//! for subsetting when the PDF is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ttf_parser::GlyphId;

const REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf");

/// Largest font file accepted from the user: 32 MiB (Times New Roman is under 1 MiB; a CJK
/// collection is about 20 MiB).
pub const MAX_FONT_BYTES: u64 = 32 * 1024 * 1024;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    /// Upright, regular weight.
    Regular = 0,
    /// Upright, bold (đậm).
    Bold = 1,
    /// Italic (nghiêng).
    Italic = 2,
    /// Bold italic.
    BoldItalic = 3,
}

impl FaceId {
    /// All four, in index order.
    pub const ALL: [FaceId; 4] = [
        FaceId::Regular,
        FaceId::Bold,
        FaceId::Italic,
        FaceId::BoldItalic,
    ];

    /// The face for a bold and italic combination.
    pub fn from_style(bold: bool, italic: bool) -> FaceId {
        match (bold, italic) {
            (false, false) => FaceId::Regular,
            (true, false) => FaceId::Bold,
            (false, true) => FaceId::Italic,
            (true, true) => FaceId::BoldItalic,
        }
    }

    /// Index 0–3.
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the two italic faces.
    pub fn is_italic(self) -> bool {
        matches!(self, FaceId::Italic | FaceId::BoldItalic)
    }

    /// True for the two bold faces.
    pub fn is_bold(self) -> bool {
        matches!(self, FaceId::Bold | FaceId::BoldItalic)
    }
}

/// Where the four faces come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FontSource {
    /// Liberation Serif 2.1.5, embedded in the binary (the default).
    #[default]
    Embedded,
    /// The user's own files, e.g. `times.ttf`, `timesbd.ttf`, `timesi.ttf`, `timesbi.ttf`.
    Files(FontFiles),
}

/// Paths of the four TrueType files of a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFiles {
    /// Regular face.
    pub regular: PathBuf,
    /// Bold face.
    pub bold: PathBuf,
    /// Italic face.
    pub italic: PathBuf,
    /// Bold italic face.
    pub bold_italic: PathBuf,
}

/// A font could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("không đọc được tệp phông {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FONT_BYTES`].
    #[error("tệp phông {path} quá lớn ({size} byte)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The file is not a TrueType/OpenType font with a Unicode character map.
    #[error("tệp phông {name} không phải phông TrueType dùng được ({reason})")]
    Parse {
        /// The file or face name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// One face, read into owned tables.
#[derive(Debug, Clone)]
pub struct Face {
    bytes: Arc<[u8]>,
    /// PostScript name, sanitised for a PDF name ("LiberationSerif-Bold").
    pub postscript_name: String,
    /// Design units per em.
    pub units_per_em: u16,
    /// Ascent above the baseline, in em (Windows metrics, as Word uses them).
    pub ascent: f32,
    /// Descent below the baseline, in em, positive.
    pub descent: f32,
    /// Leading added below the descent at single spacing, in em: what Word adds (hhea's
    /// lineGap less any excess of the Windows metrics over hhea's), 0.042 for Times.
    pub line_gap: f32,
    /// Capital height in em.
    pub cap_height: f32,
    /// Italic angle in degrees (negative leans right).
    pub italic_angle: f32,
    /// Weight class (400 regular, 700 bold).
    pub weight: u16,
    /// Bounding box of all glyphs in design units: x_min, y_min, x_max, y_max.
    pub bbox: [i16; 4],
    glyphs: HashMap<char, u16>,
    advances: Vec<u16>,
    kerning: HashMap<u32, i16>,
}

impl Face {
    /// Read a face from TrueType bytes.
    pub fn parse(bytes: Arc<[u8]>, name: &str) -> Result<Face, FontError> {
        let parse_error = |reason| FontError::Parse {
            name: name.to_owned(),
            reason,
        };
        let face = ttf_parser::Face::parse(&bytes, 0).map_err(|_| parse_error("tiêu đề hỏng"))?;
        let glyphs = char_map(&face);
        if glyphs.is_empty() {
            return Err(parse_error("không có bảng mã Unicode"));
        }
        let advances = (0..face.number_of_glyphs())
            .map(|gid| face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0))
            .collect();
        let upem = f32::from(face.units_per_em());
        let (ascent, descent) = vertical_metrics(&face);
        let line_gap = external_leading(&face, ascent, descent);
        let bbox = face.global_bounding_box();
        Ok(Face {
            postscript_name: postscript_name(&face, name),
            units_per_em: face.units_per_em(),
            ascent: f32::from(ascent) / upem,
            descent: f32::from(descent) / upem,
            line_gap: f32::from(line_gap) / upem,
            cap_height: f32::from(face.capital_height().unwrap_or(ascent)) / upem,
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
            kerning: kerning_pairs(&face),
            glyphs,
            advances,
            bytes: bytes.clone(),
        })
    }

    /// The raw font file.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The glyph for a character, if the face has one. U+00A0 (no-break space) falls back to
    /// the space glyph.
    pub fn glyph(&self, c: char) -> Option<u16> {
        match self.glyphs.get(&c) {
            Some(&gid) if gid != 0 => Some(gid),
            _ if c == '\u{a0}' => self.glyph(' '),
            _ => None,
        }
    }

    /// Advance width of a glyph in em.
    pub fn advance(&self, gid: u16) -> f32 {
        let units = self.advances.get(usize::from(gid)).copied().unwrap_or(0);
        f32::from(units) / f32::from(self.units_per_em)
    }

    /// Advance width of a glyph in design units (for the PDF `/W` array).
    pub fn advance_units(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// Kerning between two glyphs in em (negative brings them closer), from the `kern` table.
    pub fn kern(&self, left: u16, right: u16) -> f32 {
        let key = (u32::from(left) << 16) | u32::from(right);
        match self.kerning.get(&key) {
            Some(&value) => f32::from(value) / f32::from(self.units_per_em),
            None => 0.0,
        }
    }

    /// Height of one line at single spacing, in em, as Word and LibreOffice set it: ascent,
    /// descent and the external leading (1.150 for Times New Roman and Liberation Serif).
    pub fn line_height(&self) -> f32 {
        self.ascent + self.descent + self.line_gap
    }
}

/// The four faces of the family.
#[derive(Debug, Clone)]
pub struct FontBook {
    faces: [Face; 4],
}

impl FontBook {
    /// The embedded Liberation Serif faces, parsed once per process.
    pub fn embedded() -> &'static FontBook {
        static BOOK: OnceLock<FontBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            let load = |bytes: &'static [u8], name: &str| {
                // The embedded files are fixed at build time and checked by the tests below.
                Face::parse(Arc::from(bytes), name).expect("embedded font parses")
            };
            FontBook {
                faces: [
                    load(REGULAR, "LiberationSerif"),
                    load(BOLD, "LiberationSerif-Bold"),
                    load(ITALIC, "LiberationSerif-Italic"),
                    load(BOLD_ITALIC, "LiberationSerif-BoldItalic"),
                ],
            }
        })
    }

    /// Load the four faces from files.
    pub fn from_files(files: &FontFiles) -> Result<FontBook, FontError> {
        Ok(FontBook {
            faces: [
                load_file(&files.regular)?,
                load_file(&files.bold)?,
                load_file(&files.italic)?,
                load_file(&files.bold_italic)?,
            ],
        })
    }

    /// The book for a source: the shared embedded one, or files read now.
    pub fn load(source: &FontSource) -> Result<std::borrow::Cow<'static, FontBook>, FontError> {
        match source {
            FontSource::Embedded => Ok(std::borrow::Cow::Borrowed(FontBook::embedded())),
            FontSource::Files(files) => Ok(std::borrow::Cow::Owned(FontBook::from_files(files)?)),
        }
    }

    /// One face.
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id.index()]
    }
}

fn load_file(path: &Path) -> Result<Face, FontError> {
    let read_error = |source| FontError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_FONT_BYTES {
        return Err(FontError::TooLarge {
            path: path.to_owned(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or("Font");
    Face::parse(Arc::from(bytes), stem)
}

fn char_map(face: &ttf_parser::Face<'_>) -> HashMap<char, u16> {
    let mut map = HashMap::new();
    let Some(cmap) = face.tables().cmap else {
        return map;
    };
    for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        subtable.codepoints(|code| {
            if let (Some(c), Some(gid)) = (char::from_u32(code), subtable.glyph_index(code)) {
                map.entry(c).or_insert(gid.0);
            }
        });
    }
    map
}

fn kerning_pairs(face: &ttf_parser::Face<'_>) -> HashMap<u32, i16> {
    let mut pairs = HashMap::new();
    let Some(kern) = face.tables().kern else {
        return pairs;
    };
    for subtable in kern.subtables {
        if !subtable.horizontal || subtable.variable || subtable.has_cross_stream {
            continue;
        }
        if let ttf_parser::kern::Format::Format0(table) = subtable.format {
            for pair in table.pairs {
                pairs.entry(pair.pair).or_insert(pair.value);
            }
        }
    }
    pairs
}

/// Ascent and descent (positive) in design units: the OS/2 Windows metrics, which Word uses
/// for single line spacing; hhea when there is no OS/2 table.
fn vertical_metrics(face: &ttf_parser::Face<'_>) -> (i16, i16) {
    match face.tables().os2 {
        Some(os2) if os2.windows_ascender() > 0 => (
            os2.windows_ascender(),
            os2.windows_descender().saturating_abs(),
        ),
        _ => (face.ascender(), face.descender().saturating_abs()),
    }
}

/// Word's external leading: hhea's lineGap, less what the Windows ascent and descent already
/// add over hhea's ascender and descender; never negative.
fn external_leading(face: &ttf_parser::Face<'_>, ascent: i16, descent: i16) -> i16 {
    let hhea = i32::from(face.ascender()) - i32::from(face.descender());
    let win = i32::from(ascent) + i32::from(descent);
    let gap = i32::from(face.line_gap()) - (win - hhea).max(0);
    i16::try_from(gap.max(0)).unwrap_or(0)
}

fn postscript_name(face: &ttf_parser::Face<'_>, fallback: &str) -> String {
    let found = face
        .names()
        .into_iter()
        .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string().or_else(|| latin1(name.name)));
    let raw = found.unwrap_or_else(|| fallback.to_owned());
    let clean: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(63)
        .collect();
    if clean.is_empty() {
        "Font".to_owned()
    } else {
        clean
    }
}

/// Macintosh Roman names are ASCII for PostScript names.
fn latin1(bytes: &[u8]) -> Option<String> {
    bytes
        .iter()
        .all(u8::is_ascii)
        .then(|| bytes.iter().map(|&b| char::from(b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_faces_cover_vietnamese() {
        let book = FontBook::embedded();
        let sample = "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ Đđ ƠơƯư";
        for id in FaceId::ALL {
            let face = book.face(id);
            for c in sample.chars() {
                assert!(face.glyph(c).is_some(), "{id:?} lacks {c}");
            }
        }
    }

    #[test]
    fn metrics_match_times_new_roman() {
        let face = FontBook::embedded().face(FaceId::Regular);
        assert_eq!(face.units_per_em, 2048);
        assert!((face.line_height() - 1.150).abs() < 0.001);
        let a = face.glyph('A').unwrap();
        let v = face.glyph('V').unwrap();
        assert!(face.kern(a, v) < 0.0, "A-V is kerned");
        // The space of Times New Roman is 512/2048 em.
        assert!((face.advance(face.glyph(' ').unwrap()) - 0.25).abs() < 1e-6);
        assert_eq!(
            book_names(),
            [
                "LiberationSerif",
                "LiberationSerif-Bold",
                "LiberationSerif-Italic",
                "LiberationSerif-BoldItalic"
            ]
        );
    }

    fn book_names() -> Vec<String> {
        FaceId::ALL
            .iter()
            .map(|&id| FontBook::embedded().face(id).postscript_name.clone())
            .collect()
    }

    #[test]
    fn user_files_that_are_not_fonts_are_errors() {
        let dir = std::env::temp_dir().join(format!("vanban-font-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("times.ttf");
        std::fs::write(&bad, b"not a font").unwrap();
        let files = FontFiles {
            regular: bad.clone(),
            bold: bad.clone(),
            italic: bad.clone(),
            bold_italic: bad,
        };
        assert!(matches!(
            FontBook::from_files(&files),
            Err(FontError::Parse { .. })
        ));
        let missing = FontFiles {
            regular: dir.join("missing.ttf"),
            ..files
        };
        assert!(matches!(
            FontBook::from_files(&missing),
            Err(FontError::Read { .. })
        ));
    }
}

//! Text widths in Times New Roman metrics, for the lengths the DOCX must fix itself.
//!
//! Word lays out the text, but a few geometries in FORMAT.md depend on how wide a line is:
//! the rule under the Tiêu ngữ is as long as the Tiêu ngữ, the rules under the issuer and the
//! trích yếu are 0.4 of the widest line, the Kính gửi dashes align under the colon, and the
//! Quốc hiệu and place-date line shrink by one point when they would not fit their column.
//! Those lengths are measured here with Liberation Serif 2.1.5, metric-compatible with Times
//! New Roman (FORMAT.md §2), shipped in `fonts/`.
//!
//! Only advance widths are summed: Word does not kern by default, so neither do we.
//! When `layout::font` lands on main this module should defer to its `FontBook`.

use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../../fonts/LiberationSerif-BoldItalic.ttf");

/// Advance widths of one face, in font units, for the characters we measure.
struct Advances {
    units_per_em: f32,
    /// Ascender over the em (Word places the first baseline this far below the line top).
    ascent: f32,
    /// Ascender plus descender over the em: Word's single line.
    line: f32,
    /// Advance of each code point below U+2000 (Latin, Vietnamese, punctuation).
    table: Vec<u16>,
    /// Advance used for anything outside the table or without a glyph.
    fallback: u16,
}

/// Characters up to U+1FFF cover Latin, Latin Extended Additional (Vietnamese) and more.
const TABLE_END: u32 = 0x2000;

impl Advances {
    fn load(bytes: &[u8]) -> Advances {
        // The faces are compiled in and parsed by a unit test; failing here is a build defect.
        let face = ttf_parser::Face::parse(bytes, 0).expect("embedded font parses");
        let advance = |c: char| {
            face.glyph_index(c)
                .and_then(|glyph| face.glyph_hor_advance(glyph))
        };
        let fallback = advance('n').unwrap_or(1024);
        let table = (0..TABLE_END)
            .map(|code| char::from_u32(code).and_then(advance).unwrap_or(fallback))
            .collect();
        Advances {
            units_per_em: f32::from(face.units_per_em()),
            ascent: f32::from(face.ascender()) / f32::from(face.units_per_em()),
            line: f32::from(face.ascender() - face.descender()) / f32::from(face.units_per_em()),
            table,
            fallback,
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let advance = self.table.get(c as usize).copied();
                u32::from(advance.unwrap_or(self.fallback))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }
}

fn faces() -> &'static [Advances; 4] {
    static FACES: OnceLock<[Advances; 4]> = OnceLock::new();
    FACES.get_or_init(|| {
        [
            Advances::load(REGULAR),
            Advances::load(BOLD),
            Advances::load(ITALIC),
            Advances::load(BOLD_ITALIC),
        ]
    })
}

/// Width in pt of `text` set on one line at `size` pt.
pub fn text_width(text: &str, bold: bool, italic: bool, size: f32) -> f32 {
    let index = usize::from(bold) + 2 * usize::from(italic);
    faces()[index].width(text, size)
}

/// Ascent of the font as a fraction of the size: how far below the top of a single-spaced line
/// its baseline sits (0.891 for Times New Roman).
pub fn ascent() -> f32 {
    faces()[0].ascent
}

/// Height of a single-spaced line as a fraction of the size (1.107 for Times New Roman).
pub fn line_height() -> f32 {
    faces()[0].line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::mm;

    #[test]
    fn national_name_at_13_pt_bold_is_about_96_mm() {
        // FORMAT.md §4.2: "Quốc hiệu at 13 pt bold measures ≈ 96 mm".
        let width = text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, false, 13.0);
        assert!((width - mm(96.0)).abs() < mm(2.0), "{} mm", width / mm(1.0));
    }

    #[test]
    fn vietnamese_letters_have_their_own_widths() {
        // ư and ơ carry a horn, so they are wider than u and o; Đ is as wide as D.
        assert!(text_width("ư", false, false, 14.0) > text_width("u", false, false, 14.0));
        let d = text_width("D", true, false, 14.0);
        assert!((text_width("Đ", true, false, 14.0) - d).abs() < 0.01);
        assert!(text_width("ệ", false, true, 14.0) > 0.0);
    }
}

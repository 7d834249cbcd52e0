//! Text widths in Times New Roman metrics, for the lengths the DOCX must fix itself.
//!
//! Word lays out the text, but a few geometries in FORMAT.md depend on how wide a line is:
//! the rule under the Tiêu ngữ is as long as the Tiêu ngữ, the rules under the issuer and the
//! trích yếu are 0.4 of the widest line, the Kính gửi dashes align under the colon, and the
//! Quốc hiệu and place-date line shrink by one point when they would not fit their column.
//! Those lengths are measured with the layout's embedded Liberation Serif 2.1.5
//! ([`crate::layout::font`]), metric-compatible with Times New Roman (FORMAT.md §2).
//!
//! Only advance widths are summed: Word does not kern by default, so neither do we.

use crate::layout::font::{Face, FaceId, FontBook};

fn face(bold: bool, italic: bool) -> &'static Face {
    FontBook::embedded().face(FaceId::from_style(bold, italic))
}

/// Width in pt of `text` set on one line at `size` pt.
pub fn text_width(text: &str, bold: bool, italic: bool, size: f32) -> f32 {
    let face = face(bold, italic);
    let fallback = face.glyph('n').map_or(0.5, |glyph| face.advance(glyph));
    let em: f32 = text
        .chars()
        .map(|c| face.glyph(c).map_or(fallback, |glyph| face.advance(glyph)))
        .sum();
    em * size
}

/// Ascent of the font as a fraction of the size: how far below the top of a single-spaced line
/// its baseline sits (0.891 for Times New Roman).
pub fn ascent() -> f32 {
    face(false, false).ascent
}

/// Height of a single-spaced line as a fraction of the size (1.107 for Times New Roman).
pub fn line_height() -> f32 {
    face(false, false).line_height()
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

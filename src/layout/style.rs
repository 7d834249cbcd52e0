//! Page geometry and the style of each block role (FORMAT.md §2, §3.0, §4.2).
//!
//! This is the one place where the decree's sizes, weights, alignments and spacings live.
//! The PDF layout and the DOCX writer both read it, so the two outputs cannot drift apart.
//! Values are the "default" column of FORMAT.md §3.0; the ranges the decree allows are noted.

use crate::compose::Role;

/// Millimetres to PDF points.
pub const fn mm(value: f32) -> f32 {
    value * 72.0 / 25.4
}

/// A4 page and margins (FORMAT.md §2, house defaults inside the decree's ranges).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// Page width in pt (210 mm).
    pub width: f32,
    /// Page height in pt (297 mm).
    pub height: f32,
    /// Top margin (20–25 mm; 20).
    pub top: f32,
    /// Bottom margin (20–25 mm; 20).
    pub bottom: f32,
    /// Left margin (30–35 mm; 30).
    pub left: f32,
    /// Right margin (15–20 mm; 15).
    pub right: f32,
    /// Baseline of the page number, from the top edge (≈ 12 mm).
    pub page_number_baseline: f32,
    /// Fraction of the text width given to the left column of the header and signature
    /// rows (40 %, FORMAT.md §4.2).
    pub left_column: f32,
}

impl PageGeometry {
    /// The house default A4 page.
    pub const A4: PageGeometry = PageGeometry {
        width: mm(210.0),
        height: mm(297.0),
        top: mm(20.0),
        bottom: mm(20.0),
        left: mm(30.0),
        right: mm(15.0),
        page_number_baseline: mm(12.0),
        left_column: 0.40,
    };

    /// Width of the text area (165 mm).
    pub fn text_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    /// Height of the text area (257 mm).
    pub fn text_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
}

/// Horizontal alignment of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred in its column.
    Center,
    /// Justified, last line flush left.
    Justify,
    /// Flush right.
    Right,
}

/// A rule (solid line) drawn under a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// As long as the block's widest line (Tiêu ngữ).
    TextWidth,
    /// A fraction of the widest line, centred, at least `min` pt (issuer: 0.4, ≥ 20 mm).
    Fraction {
        /// Fraction of the widest line.
        of_line: f32,
        /// Minimum length in pt.
        min: f32,
    },
    /// The full text width (above ô 13).
    FullWidthAbove,
}

/// Thickness of all rules: 0.5 pt (FORMAT.md §4.2).
pub const RULE_THICKNESS: f32 = 0.5;
/// Gap between the descenders of a block's last line and its rule.
pub const RULE_GAP: f32 = 2.0;

/// The style of one role.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockStyle {
    /// Font size in pt.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
    /// Alignment in its column.
    pub align: Align,
    /// First-line indent in pt (1.27 cm for body paragraphs).
    pub first_indent: f32,
    /// Space before, pt.
    pub space_before: f32,
    /// Space after, pt.
    pub space_after: f32,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
    /// Keep on the same page as the next block (headings).
    pub keep_with_next: bool,
    /// A rule under the block.
    pub rule: Option<Rule>,
    /// Red text (urgency stamps).
    pub red: bool,
    /// A single-line frame around the text (stamps), with this width in pt if fixed.
    pub frame: Option<f32>,
}

/// Body text size (13–14; 14).
pub const BODY_SIZE: f32 = 14.0;
/// Body line spacing: multiple 1.15 (single to 1.5 allowed).
pub const BODY_LINE: f32 = 1.15;
/// First-line indent of body paragraphs: 1.27 cm.
pub const FIRST_INDENT: f32 = mm(12.7);
/// Page number size (13–14; 13).
pub const PAGE_NUMBER_SIZE: f32 = 13.0;
/// Signature space between the title and the name: 28 mm (FORMAT.md §3.8).
pub const SIGNATURE_SPACE: f32 = mm(28.0);

const PLAIN: BlockStyle = BlockStyle {
    size: BODY_SIZE,
    bold: false,
    italic: false,
    align: Align::Justify,
    first_indent: FIRST_INDENT,
    space_before: 0.0,
    space_after: 6.0,
    line_height: BODY_LINE,
    keep_with_next: false,
    rule: None,
    red: false,
    frame: None,
};

const CENTERED: BlockStyle = BlockStyle {
    align: Align::Center,
    first_indent: 0.0,
    space_after: 0.0,
    line_height: 1.0,
    ..PLAIN
};

/// The style of a role (FORMAT.md §3.0).
pub fn style(role: Role) -> BlockStyle {
    match role {
        Role::ParentName => BlockStyle {
            size: 13.0,
            ..CENTERED
        },
        Role::IssuerName => BlockStyle {
            size: 13.0,
            bold: true,
            rule: Some(Rule::Fraction {
                of_line: 0.4,
                min: mm(20.0),
            }),
            ..CENTERED
        },
        Role::NationalName => BlockStyle {
            size: 13.0,
            bold: true,
            ..CENTERED
        },
        Role::Motto => BlockStyle {
            size: 14.0,
            bold: true,
            rule: Some(Rule::TextWidth),
            ..CENTERED
        },
        Role::Number => BlockStyle {
            size: 13.0,
            ..CENTERED
        },
        Role::PlaceDate => BlockStyle {
            size: 14.0,
            italic: true,
            ..CENTERED
        },
        Role::Summary => BlockStyle {
            size: 12.0,
            space_before: 6.0,
            ..CENTERED
        },
        Role::Circulation => BlockStyle {
            size: 13.0,
            bold: true,
            frame: Some(0.0),
            align: Align::Left,
            ..CENTERED
        },
        // Độ mật and độ khẩn stamps are both red framed marks (FORMAT.md §3.12).
        Role::Secrecy | Role::Urgency => BlockStyle {
            size: 13.0,
            bold: true,
            red: true,
            frame: Some(0.0),
            align: Align::Left,
            ..CENTERED
        },
        Role::TypeName => BlockStyle {
            size: 14.0,
            bold: true,
            space_before: 18.0,
            keep_with_next: true,
            ..CENTERED
        },
        Role::Title => BlockStyle {
            size: 14.0,
            bold: true,
            space_after: 12.0,
            keep_with_next: true,
            rule: Some(Rule::Fraction {
                of_line: 0.4,
                min: mm(20.0),
            }),
            ..CENTERED
        },
        Role::AuthorityLine | Role::DecisionWord => BlockStyle {
            size: 14.0,
            bold: true,
            space_before: 6.0,
            space_after: 6.0,
            keep_with_next: true,
            ..CENTERED
        },
        Role::KinhGui | Role::KinhGuiItem => BlockStyle {
            align: Align::Left,
            first_indent: 0.0,
            space_after: 0.0,
            keep_with_next: true,
            ..PLAIN
        },
        Role::Basis => BlockStyle {
            italic: true,
            ..PLAIN
        },
        Role::Paragraph | Role::Bullet | Role::NumberedParagraph | Role::Closing => PLAIN,
        Role::PartLabel => BlockStyle {
            bold: true,
            space_before: 6.0,
            keep_with_next: true,
            ..CENTERED
        },
        Role::PartTitle => BlockStyle {
            bold: true,
            space_after: 6.0,
            keep_with_next: true,
            ..CENTERED
        },
        Role::Article | Role::Heading1 | Role::Heading2 => BlockStyle {
            bold: true,
            keep_with_next: true,
            ..PLAIN
        },
        Role::Heading3 => BlockStyle {
            bold: true,
            italic: true,
            keep_with_next: true,
            ..PLAIN
        },
        Role::Table => BlockStyle {
            size: 13.0,
            first_indent: 0.0,
            align: Align::Left,
            line_height: 1.0,
            ..PLAIN
        },
        Role::RecipientsHeading => BlockStyle {
            size: 12.0,
            bold: true,
            italic: true,
            align: Align::Left,
            first_indent: 0.0,
            space_after: 0.0,
            line_height: 1.0,
            ..PLAIN
        },
        Role::Recipient => BlockStyle {
            size: 11.0,
            align: Align::Left,
            first_indent: 0.0,
            space_after: 0.0,
            line_height: 1.0,
            ..PLAIN
        },
        Role::DrafterMark => BlockStyle {
            size: 11.0,
            align: Align::Right,
            ..CENTERED
        },
        Role::SignAuthority | Role::SignTitle | Role::SignOtherTitle | Role::SignName => {
            BlockStyle {
                size: 14.0,
                bold: true,
                ..CENTERED
            }
        }
        Role::SignSpace => BlockStyle {
            size: SIGNATURE_SPACE,
            ..CENTERED
        },
        Role::CopyMark => BlockStyle {
            size: 14.0,
            italic: true,
            ..CENTERED
        },
        Role::Address => BlockStyle {
            size: 11.0,
            align: Align::Left,
            rule: Some(Rule::FullWidthAbove),
            ..CENTERED
        },
        Role::AppendixLabel | Role::AppendixHeading | Role::AppendixTitle => BlockStyle {
            size: 14.0,
            bold: true,
            keep_with_next: true,
            ..CENTERED
        },
        Role::AppendixNote => BlockStyle {
            size: 14.0,
            italic: true,
            space_after: 12.0,
            keep_with_next: true,
            rule: Some(Rule::Fraction {
                of_line: 0.3,
                min: mm(20.0),
            }),
            ..CENTERED
        },
    }
}

/// Frame width of an urgency stamp (FORMAT.md §3.12): KHẨN 20 mm, THƯỢNG KHẨN 40 mm,
/// HỎA TỐC 30 mm; all 8 mm high.
pub fn urgency_frame_width(text: &str) -> f32 {
    match text {
        "THƯỢNG KHẨN" => mm(40.0),
        "HỎA TỐC" => mm(30.0),
        _ => mm(20.0),
    }
}

/// Height of every stamp frame: 8 mm.
pub const STAMP_HEIGHT: f32 = mm(8.0);

/// Header cells of a data table: the table style, bold and centred.
pub fn table_header_style() -> BlockStyle {
    BlockStyle {
        bold: true,
        align: Align::Center,
        keep_with_next: true,
        ..style(Role::Table)
    }
}

/// Width of the gap left on a draft where the văn thư writes a slot (FORMAT.md §3.3:
/// `Số:      /KH-CĐN`; the decree's templates leave "ngày    tháng    năm").
pub fn slot_gap(kind: crate::compose::SlotKind) -> f32 {
    use crate::compose::SlotKind;
    match kind {
        SlotKind::Number => mm(10.0),
        SlotKind::Day | SlotKind::Month => mm(6.0),
        SlotKind::Year => mm(10.0),
    }
}

/// Gap between header row 1 (ô 1, ô 2) and row 2 (ô 3, ô 4): 6 pt (FORMAT.md §4.2).
pub const HEADER_ROW_GAP: f32 = 6.0;
/// Gap between the header and the stamps (6 pt) and between stacked stamps (3 pt).
pub const STAMP_GAP: (f32, f32) = (6.0, 3.0);
/// Gap above Kính gửi and above the body after it: 12 pt (FORMAT.md §4.2).
pub const KINH_GUI_GAP: f32 = 12.0;
/// Gap between the last body paragraph and the signature row: 12 pt (FORMAT.md §4.2).
pub const SIGNATURE_ROW_GAP: f32 = 12.0;
/// The circulation note (ô 11) frame: x from 96 to 140 mm of the text area, in the top margin
/// with its baseline about 15 mm from the top edge (FORMAT.md §4.1, §4.2).
pub const CIRCULATION_X: (f32, f32) = (mm(96.0), mm(140.0));
/// Padding inside a data table cell: 1.9 mm left and right (Word's default cell margin) and
/// 2 pt top and bottom. Cell paragraphs have no space after; the table role's space after is
/// the gap below the whole table.
pub const TABLE_CELL_PADDING: (f32, f32) = (mm(1.9), 2.0);
/// Width of the seal image when its file carries no resolution: 36 mm, a common round seal.
pub const SEAL_WIDTH: f32 = mm(36.0);
/// Width of the signature image when its file carries no resolution: 40 mm.
pub const SIGNATURE_WIDTH: f32 = mm(40.0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_text_area_is_165_by_257_mm() {
        let page = PageGeometry::A4;
        assert!((page.text_width() - mm(165.0)).abs() < 0.01);
        assert!((page.text_height() - mm(257.0)).abs() < 0.01);
    }

    #[test]
    fn decree_sizes() {
        assert_eq!(style(Role::RecipientsHeading).size, 12.0);
        assert!(style(Role::RecipientsHeading).bold && style(Role::RecipientsHeading).italic);
        assert_eq!(style(Role::Recipient).size, 11.0);
        assert_eq!(style(Role::NationalName).size, 13.0);
        assert!(style(Role::PlaceDate).italic);
        assert_eq!(style(Role::Paragraph).align, Align::Justify);
    }
}

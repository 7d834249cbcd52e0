//! The page model: what the layout hands to a renderer.
//!
//! Coordinates of items are in pt from the **top-left** corner of the page (y grows
//! downwards), the natural direction for flowing text. [`Slot`] rectangles, which leave the
//! library for the signing step, are in **PDF user space** instead: pt from the bottom-left
//! corner, `[llx, lly, urx, ury]`, exactly what goes into a widget's `/Rect`.

use crate::diag::{Diagnostics, FieldPath};
use crate::layout::font::FaceId;
use crate::layout::shape::Glyph;
use crate::layout::style::PageGeometry;

/// All pages of a document, its slots and what the layout found wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    /// The page size and margins used.
    pub geometry: PageGeometry,
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Named rectangles for the number, the date and the signatures (FORMAT.md §5.2).
    pub slots: Vec<Slot>,
    /// Missing glyphs, overlong words, overflowing blocks.
    pub diagnostics: Diagnostics,
}

/// One page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// What is drawn, in reading order.
    pub items: Vec<Item>,
    /// The page number printed in the top margin, if any (none on page 1 of the document and
    /// of each appendix).
    pub number: Option<u32>,
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of glyphs of one face on one baseline.
    Text(TextItem),
    /// A solid horizontal rule.
    Rule(RuleItem),
    /// A rectangular frame (stamps).
    Frame(FrameItem),
}

impl Item {
    /// The item moved down by `dy`.
    pub fn shifted(mut self, dy: f32) -> Item {
        match &mut self {
            Item::Text(text) => text.baseline += dy,
            Item::Rule(rule) => rule.y += dy,
            Item::Frame(frame) => frame.y += dy,
        }
        self
    }
}

/// Glyphs of one face on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    /// Left edge of the first glyph, pt from the left page edge.
    pub x: f32,
    /// Baseline, pt from the top page edge.
    pub baseline: f32,
    /// The face.
    pub face: FaceId,
    /// Size, pt.
    pub size: f32,
    /// The glyphs; each advance already includes kerning and justification.
    pub glyphs: Vec<Glyph>,
    /// Red (urgency stamps).
    pub red: bool,
    /// The field the text came from.
    pub origin: FieldPath,
    /// Left and right edge of the measure the line was set in, pt from the left page edge.
    pub measure: (f32, f32),
    /// Drawn by this text field's appearance instead of the page content: a draft's number
    /// and place-date lines, which the văn thư's filling sets anew ([`FieldLine`]).
    pub field: Option<SlotName>,
}

impl TextItem {
    /// Total advance of the glyphs, pt.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|glyph| glyph.advance).sum()
    }

    /// Width up to the end of the last visible glyph, pt (trailing advance adjustments and
    /// spaces do not count).
    pub fn ink_width(&self) -> f32 {
        let Some(last) = self.glyphs.iter().rposition(|glyph| glyph.ch != ' ') else {
            return 0.0;
        };
        let before: f32 = self.glyphs[..last].iter().map(|glyph| glyph.advance).sum();
        before + self.glyphs[last].natural
    }

    /// The text shown.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|glyph| glyph.ch).collect()
    }
}

/// A solid horizontal rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleItem {
    /// Left end, pt.
    pub x0: f32,
    /// Right end, pt.
    pub x1: f32,
    /// Vertical position of the line's centre, pt from the top.
    pub y: f32,
    /// Thickness, pt.
    pub thickness: f32,
}

/// A rectangular frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameItem {
    /// Left edge, pt.
    pub x: f32,
    /// Top edge, pt from the top.
    pub y: f32,
    /// Width, pt.
    pub width: f32,
    /// Height, pt.
    pub height: f32,
    /// Line thickness, pt.
    pub thickness: f32,
    /// Red (urgency stamps) or black.
    pub red: bool,
}

/// The named slots of a document (FORMAT.md §5.2, §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotName {
    /// The number in "Số: 36/KH-CĐN" (ô 3): PDF text field `so`.
    Number,
    /// The day of the date line (ô 4): text field `ngay`.
    Day,
    /// The month of the date line: text field `thang`.
    Month,
    /// The year of the date line: text field `nam`.
    Year,
    /// The leader's signature image (ô 7c): empty signature field `chu_ky`.
    Signature,
    /// The organisation's seal image (ô 8): empty signature field `dau`.
    Seal,
}

impl SlotName {
    /// The AcroForm field name.
    pub fn field_name(self) -> &'static str {
        match self {
            SlotName::Number => "so",
            SlotName::Day => "ngay",
            SlotName::Month => "thang",
            SlotName::Year => "nam",
            SlotName::Signature => "chu_ky",
            SlotName::Seal => "dau",
        }
    }
}

/// A line of a draft drawn by a text field rather than the page (FORMAT.md §3.3, §3.4), so
/// that filling the number and date sets the whole line as if typeset ("Số: 36/KH-CĐN",
/// "Đồng Nai, ngày 20 tháng 3 năm 2020") instead of dropping values into fixed blanks. The
/// field that carries it (the line's first slot) has the whole line as its rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldLine {
    /// The line: literal text and the fields whose values go between.
    pub segments: Vec<LineSegment>,
    /// How the line sits in its rectangle.
    pub align: crate::layout::style::Align,
}

/// A piece of a [`FieldLine`].
#[derive(Debug, Clone, PartialEq)]
pub enum LineSegment {
    /// Text printed as is ("Số: ", "/KH-CĐN", "Đồng Nai, ngày ").
    Text(String),
    /// The value of a text field ("36", "20").
    Field(SlotName),
}

/// A named rectangle on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Which slot.
    pub name: SlotName,
    /// Page index, 0-based.
    pub page: usize,
    /// `[llx, lly, urx, ury]` in PDF points from the bottom-left corner of the page.
    pub rect: [f32; 4],
    /// The face of the text around a text slot (its field's font).
    pub face: FaceId,
    /// The size of that text, pt.
    pub size: f32,
    /// The value already printed in the page content ("36", "20"); empty on a draft.
    pub value: String,
    /// The whole line this field draws, when it leads one ([`FieldLine`]).
    pub line: Option<FieldLine>,
}

/// A slot inside a fragment, before the fragment is placed (top-down coordinates).
#[derive(Debug, Clone, PartialEq)]
pub struct FragSlot {
    /// Which slot.
    pub name: SlotName,
    /// Left edge, pt.
    pub x: f32,
    /// Top edge, pt from the fragment's top.
    pub y: f32,
    /// Width, pt.
    pub width: f32,
    /// Height, pt.
    pub height: f32,
    /// Face of the surrounding text.
    pub face: FaceId,
    /// Size of the surrounding text.
    pub size: f32,
    /// Value printed, empty on a draft.
    pub value: String,
    /// The whole line this slot's field draws, when it leads one.
    pub line: Option<FieldLine>,
}

/// A laid-out fragment: a line, a table row or a whole box, with items relative to its top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frag {
    /// Height, pt.
    pub height: f32,
    /// First baseline, pt from the fragment's top (0 when it has no text).
    pub baseline: f32,
    /// Items, y relative to the fragment's top.
    pub items: Vec<Item>,
    /// Slots, y relative to the fragment's top.
    pub slots: Vec<FragSlot>,
}

impl Frag {
    /// Append another fragment below this one, `gap` pt lower than its bottom.
    pub fn stack(&mut self, other: Frag, gap: f32) {
        let dy = self.height + gap;
        self.place(other, dy);
    }

    /// Copy another fragment's content into this one at `dy`; the height grows to cover it.
    pub fn place(&mut self, other: Frag, dy: f32) {
        if self.items.is_empty() && other.baseline > 0.0 {
            self.baseline = dy + other.baseline;
        }
        self.height = self.height.max(dy + other.height);
        self.items
            .extend(other.items.into_iter().map(|item| item.shifted(dy)));
        self.slots.extend(other.slots.into_iter().map(|mut slot| {
            slot.y += dy;
            slot
        }));
    }
}

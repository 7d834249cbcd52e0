//! Shaping: styled runs become measured words.
//!
//! Vietnamese in NFC needs no glyph substitution: every precomposed letter (ệ, ữ, Ộ) has its
//! own glyph in the font, so shaping is a character map lookup, the advance width, and the
//! `kern` pair adjustment between neighbours of the same face. Words are split at spaces only;
//! a word may span runs ("**trước**," is one word in two faces). A character the face lacks is
//! a diagnostic naming the block's field, and is left out rather than drawn as a box (tofu).

use std::collections::BTreeSet;

use crate::compose::{Run, SlotKind};
use crate::diag::{Diagnostic, Diagnostics, FieldPath};
use crate::layout::font::{FaceId, FontBook};

/// The hint of every missing-glyph diagnostic.
pub const MISSING_GLYPH_HINT: &str = "chọn phông có đủ dấu tiếng Việt";

/// Characters that must not start a line: a break before them is not allowed.
const CLOSING: &[char] = &[
    ')', ',', '.', ';', ':', '!', '?', ']', '}', '”', '’', '»', '%', '…',
];

/// One glyph with its advance, in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Glyph id in the original font.
    pub id: u16,
    /// The character it shows (NFC; one character per glyph).
    pub ch: char,
    /// Distance to the next glyph: the advance width plus kerning (and, once the line is
    /// justified, the extra space).
    pub advance: f32,
    /// The advance width alone, as the PDF viewer computes it from `/W`.
    pub natural: f32,
}

/// Consecutive glyphs of one face (part of a word, or the spaces after it).
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The face.
    pub face: FaceId,
    /// Font size, pt.
    pub size: f32,
    /// The glyphs.
    pub glyphs: Vec<Glyph>,
    /// Total advance, pt.
    pub width: f32,
    /// A fillable slot this piece stands for (an empty one has no glyphs, only width).
    pub slot: Option<SlotKind>,
}

impl Piece {
    fn new(face: FaceId, size: f32, slot: Option<SlotKind>) -> Piece {
        Piece {
            face,
            size,
            glyphs: Vec::new(),
            width: 0.0,
            slot,
        }
    }

    /// The text the glyphs show.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|glyph| glyph.ch).collect()
    }
}

/// A word: the unit of line breaking.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    /// Its pieces, left to right.
    pub pieces: Vec<Piece>,
    /// Width of the pieces, pt.
    pub width: f32,
    /// The spaces after the word (one piece, possibly empty).
    pub space: Option<Piece>,
    /// No line break is allowed before this word (closing punctuation, or the first word
    /// after a bullet marker).
    pub glue_before: bool,
    /// A forced line break follows (a newline in the text).
    pub break_after: bool,
}

impl Word {
    /// Width of the spaces after the word, pt.
    pub fn space_width(&self) -> f32 {
        self.space.as_ref().map_or(0.0, |space| space.width)
    }

    /// Number of space glyphs after the word.
    pub fn space_count(&self) -> usize {
        self.space.as_ref().map_or(0, |space| space.glyphs.len())
    }

    /// The text of the word (without the following spaces).
    pub fn text(&self) -> String {
        self.pieces.iter().map(Piece::text).collect()
    }

    fn push_glyph(
        &mut self,
        piece_face: FaceId,
        size: f32,
        slot: Option<SlotKind>,
        glyph: Glyph,
        book: &FontBook,
    ) {
        let same = self.pieces.last().is_some_and(|piece| {
            piece.face == piece_face && piece.size == size && piece.slot == slot
        });
        if !same {
            self.pieces.push(Piece::new(piece_face, size, slot));
        }
        let piece = self.pieces.last_mut().expect("a piece was just ensured");
        add_glyph(piece, glyph, book);
        self.width = self.pieces.iter().map(|piece| piece.width).sum();
    }
}

/// The style runs are set in: the block's size and face flags (runs may add bold/italic).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapeStyle {
    /// Font size, pt.
    pub size: f32,
    /// Bold for every run.
    pub bold: bool,
    /// Italic for every run.
    pub italic: bool,
}

/// Shape runs into words. Missing glyphs are reported once per character per block.
pub fn shape(
    runs: &[Run],
    style: ShapeStyle,
    book: &FontBook,
    origin: &FieldPath,
    diagnostics: &mut Diagnostics,
) -> Vec<Word> {
    let mut shaper = Shaper {
        book,
        size: style.size,
        words: Vec::new(),
        current: Word::default(),
        missing: BTreeSet::new(),
    };
    for run in runs {
        let face = FaceId::from_style(style.bold || run.bold, style.italic || run.italic);
        shaper.run(run, face);
    }
    shaper.finish_word();
    for (c, face) in &shaper.missing {
        diagnostics.push(missing_glyph(*c, *face, book, origin));
    }
    glue(&mut shaper.words);
    shaper.words
}

/// Width of a single line of text (no breaking), pt; missing glyphs count as nothing.
pub fn measure(text: &str, face: FaceId, size: f32, book: &FontBook) -> f32 {
    let run = Run::plain(text);
    let style = ShapeStyle {
        size,
        bold: face.is_bold(),
        italic: face.is_italic(),
    };
    let words = shape(
        &[run],
        style,
        book,
        &FieldPath::root(),
        &mut Diagnostics::default(),
    );
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, word)| word.width + if i < last { word.space_width() } else { 0.0 })
        .sum()
}

/// Width reserved for an empty slot on a draft, in em of the line's size: room for the
/// number ("1234"), a day or month ("20") and a year ("2025").
pub fn slot_gap(kind: SlotKind) -> f32 {
    match kind {
        SlotKind::Number => 2.5,
        SlotKind::Day | SlotKind::Month => 1.5,
        SlotKind::Year => 2.5,
    }
}

struct Shaper<'a> {
    book: &'a FontBook,
    size: f32,
    words: Vec<Word>,
    current: Word,
    missing: BTreeSet<(char, FaceId)>,
}

impl Shaper<'_> {
    fn run(&mut self, run: &Run, face: FaceId) {
        if run.slot.is_some() && run.text.is_empty() {
            self.gap(run.slot, face);
            return;
        }
        for c in run.text.chars() {
            match c {
                ' ' | '\t' => self.space(face),
                '\n' => self.newline(),
                '\r' => {}
                _ => self.letter(c, face, run.slot),
            }
        }
    }

    fn gap(&mut self, slot: Option<SlotKind>, face: FaceId) {
        let width = slot.map_or(0.0, slot_gap) * self.size;
        let mut piece = Piece::new(face, self.size, slot);
        piece.width = width;
        self.current.pieces.push(piece);
        self.current.width += width;
    }

    fn letter(&mut self, c: char, face: FaceId, slot: Option<SlotKind>) {
        let font = self.book.face(face);
        let Some(id) = font.glyph(c) else {
            self.missing.insert((c, face));
            return;
        };
        let natural = font.advance(id) * self.size;
        let glyph = Glyph {
            id,
            ch: c,
            advance: natural,
            natural,
        };
        self.current
            .push_glyph(face, self.size, slot, glyph, self.book);
    }

    fn space(&mut self, face: FaceId) {
        if !self.current.pieces.is_empty() {
            self.finish_word();
        }
        let font = self.book.face(face);
        let (Some(word), Some(id)) = (self.words.last_mut(), font.glyph(' ')) else {
            return; // leading spaces of a paragraph are dropped
        };
        let natural = font.advance(id) * self.size;
        let space = word
            .space
            .get_or_insert_with(|| Piece::new(face, self.size, None));
        let glyph = Glyph {
            id,
            ch: ' ',
            advance: natural,
            natural,
        };
        space.glyphs.push(glyph);
        space.width += natural;
    }

    fn newline(&mut self) {
        self.finish_word();
        if let Some(word) = self.words.last_mut() {
            word.break_after = true;
            word.space = None;
        }
    }

    fn finish_word(&mut self) {
        if !self.current.pieces.is_empty() {
            self.words.push(std::mem::take(&mut self.current));
        }
    }
}

fn add_glyph(piece: &mut Piece, glyph: Glyph, book: &FontBook) {
    if let Some(previous) = piece.glyphs.last_mut() {
        let kern = book.face(piece.face).kern(previous.id, glyph.id) * piece.size;
        previous.advance += kern;
        piece.width += kern;
    }
    piece.width += glyph.advance;
    piece.glyphs.push(glyph);
}

/// Mark the words before which a line must not break.
fn glue(words: &mut [Word]) {
    for i in 1..words.len() {
        let text = words[i].text();
        let closing = text.starts_with(CLOSING) || text == "./.";
        let after_marker = i == 1 && matches!(words[0].text().as_str(), "-" | "+" | "–" | "•");
        let after_opening = matches!(words[i - 1].text().as_str(), "(" | "“" | "[" | "‘");
        if closing || after_marker || after_opening {
            words[i].glue_before = true;
        }
    }
}

fn missing_glyph(c: char, face: FaceId, book: &FontBook, origin: &FieldPath) -> Diagnostic {
    let name = &book.face(face).postscript_name;
    Diagnostic::error(
        "missing-glyph",
        origin.clone(),
        format!(
            "phông {name} không có ký tự “{c}” (U+{:04X}); ký tự này không được in",
            u32::from(c)
        ),
    )
    .with_hint(MISSING_GLYPH_HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        let style = ShapeStyle {
            size: 14.0,
            bold: false,
            italic: false,
        };
        shape(
            &[Run::plain(text)],
            style,
            FontBook::embedded(),
            &FieldPath::new("body[0].text"),
            &mut Diagnostics::default(),
        )
    }

    #[test]
    fn splits_at_spaces_and_glues_closing_punctuation() {
        let list = words("Đổi mới ( sáng tạo ) , hiệu quả ./.");
        let texts: Vec<String> = list.iter().map(Word::text).collect();
        assert_eq!(
            texts,
            [
                "Đổi", "mới", "(", "sáng", "tạo", ")", ",", "hiệu", "quả", "./."
            ]
        );
        assert!(list[5].glue_before && list[6].glue_before && list[9].glue_before);
        assert!(list[3].glue_before, "no break after an opening bracket");
        assert!(!list[1].glue_before && !list[7].glue_before);
        assert_eq!(list[0].space_count(), 1);
        assert!(list[9].space.is_none());
    }

    #[test]
    fn bullet_marker_sticks_to_its_word() {
        let list = words("- Nội dung");
        assert!(list[1].glue_before);
    }

    #[test]
    fn kerning_narrows_av() {
        let book = FontBook::embedded();
        let kerned = measure("AV", FaceId::Regular, 14.0, book);
        let apart =
            measure("A", FaceId::Regular, 14.0, book) + measure("V", FaceId::Regular, 14.0, book);
        assert!(kerned < apart - 0.5);
    }

    #[test]
    fn missing_glyph_is_a_diagnostic_with_the_field() {
        let mut diagnostics = Diagnostics::default();
        let style = ShapeStyle {
            size: 14.0,
            bold: false,
            italic: false,
        };
        let list = shape(
            &[Run::plain("Việt 中 Nam")],
            style,
            FontBook::embedded(),
            &FieldPath::new("body[3].text"),
            &mut diagnostics,
        );
        assert_eq!(list.len(), 2, "the missing character is left out");
        let diagnostic = diagnostics.iter().next().unwrap();
        assert_eq!(diagnostic.code, "missing-glyph");
        assert_eq!(diagnostic.origin.to_string(), "body[3].text");
        assert_eq!(diagnostic.hint.as_deref(), Some(MISSING_GLYPH_HINT));
    }

    #[test]
    fn empty_slot_reserves_a_gap() {
        let runs = [
            Run::plain("Số: "),
            Run {
                slot: Some(SlotKind::Number),
                ..Run::plain("")
            },
            Run::plain("/KH-CĐN"),
        ];
        let style = ShapeStyle {
            size: 13.0,
            bold: false,
            italic: false,
        };
        let list = shape(
            &runs,
            style,
            FontBook::embedded(),
            &FieldPath::root(),
            &mut Diagnostics::default(),
        );
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].pieces[0].slot, Some(SlotKind::Number));
        assert!((list[1].pieces[0].width - 2.5 * 13.0).abs() < 1e-3);
        assert_eq!(list[1].text(), "/KH-CĐN");
    }
}

//! Setting one paragraph: shape, break, then place the lines in a column.
//!
//! Justified lines are widened by giving every space the same extra advance; the renderer
//! writes that extra as a `TJ` position adjustment after each real space glyph, so that text
//! extraction keeps the word breaks (`Tw` has no effect on Identity-H fonts).

use crate::compose::{Run, SlotKind};
use crate::diag::{Diagnostics, FieldPath};
use crate::layout::font::{FaceId, FontBook};
use crate::layout::linebreak::{LineSpan, break_lines};
use crate::layout::page::{Frag, FragSlot, Item, RuleItem, SlotName, TextItem};
use crate::layout::shape::{Piece, ShapeStyle, Word, shape};
use crate::layout::style::{Align, BlockStyle, RULE_GAP, RULE_THICKNESS, Rule};

/// A column: left edge and width, pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Left edge, pt from the left page edge.
    pub x: f32,
    /// Width, pt.
    pub width: f32,
}

impl Column {
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    /// Horizontal centre.
    pub fn centre(&self) -> f32 {
        self.x + self.width / 2.0
    }
}

/// What the layout steps share: the fonts and the diagnostics found so far.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The fonts.
    pub book: &'a FontBook,
    /// Diagnostics collected.
    pub diagnostics: Diagnostics,
}

/// The lines of a set paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetLines {
    /// One fragment per line, in order.
    pub lines: Vec<Frag>,
    /// Natural width of each line, pt.
    pub widths: Vec<f32>,
}

impl SetLines {
    /// All lines stacked into one fragment.
    pub fn into_frag(self) -> Frag {
        let mut frag = Frag::default();
        for line in self.lines {
            frag.stack(line, 0.0);
        }
        frag
    }

    /// Total height, pt.
    pub fn height(&self) -> f32 {
        self.lines.iter().map(|line| line.height).sum()
    }
}

/// Distance between baselines for a style, pt: the face's single line height (ascent,
/// descent and leading, 1.150 em for Times, as in Word) times the style's multiple.
pub fn line_pitch(style: &BlockStyle, book: &FontBook) -> f32 {
    let face = book.face(FaceId::from_style(style.bold, style.italic));
    style.size * face.line_height() * style.line_height
}

/// Set runs as a paragraph in a column.
pub fn set_text(
    runs: &[Run],
    style: &BlockStyle,
    column: Column,
    ctx: &mut Ctx<'_>,
    origin: &FieldPath,
) -> SetLines {
    let shape_style = ShapeStyle {
        size: style.size,
        bold: style.bold,
        italic: style.italic,
    };
    let mut words = shape(runs, shape_style, ctx.book, origin, &mut ctx.diagnostics);
    let indent = if style.align == Align::Justify || style.align == Align::Left {
        style.first_indent
    } else {
        0.0
    };
    let spans = break_lines(
        &mut words,
        column.width,
        indent,
        ctx.book,
        origin,
        &mut ctx.diagnostics,
    );
    let pitch = line_pitch(style, ctx.book);
    let descent = ctx.book.face(FaceId::Regular).descent * style.size;
    let mut set = SetLines::default();
    for span in &spans {
        let line = LineSetter {
            style,
            column,
            origin,
            ctx: &*ctx,
            baseline: pitch - descent,
        };
        set.lines
            .push(line.place(&words[span.start..span.end], span, pitch));
        set.widths.push(span.width);
    }
    set
}

/// Draw a rule under (or above) set lines, growing the last (or first) line's fragment.
pub fn add_rule(set: &mut SetLines, rule: Rule, column: Column) {
    let widest = set.widths.iter().copied().fold(0.0, f32::max);
    let (length, above) = match rule {
        Rule::TextWidth => (widest, false),
        Rule::Fraction { of_line, min } => ((widest * of_line).max(min).min(column.width), false),
        Rule::FullWidthAbove => (column.width, true),
    };
    let x0 = column.centre() - length / 2.0;
    let rule = |y| {
        Item::Rule(RuleItem {
            x0,
            x1: x0 + length,
            y,
            thickness: RULE_THICKNESS,
        })
    };
    if above {
        if let Some(first) = set.lines.first_mut() {
            let grow = RULE_GAP * 2.0 + RULE_THICKNESS;
            shift_frag(first, grow);
            first.items.insert(0, rule(RULE_THICKNESS / 2.0));
        }
    } else if let Some(last) = set.lines.last_mut() {
        last.items.push(rule(last.height + RULE_GAP));
        last.height += RULE_GAP + RULE_THICKNESS;
    }
}

/// Move a fragment's content down by `dy`, growing it.
pub fn shift_frag(frag: &mut Frag, dy: f32) {
    let items = std::mem::take(&mut frag.items);
    frag.items = items.into_iter().map(|item| item.shifted(dy)).collect();
    for slot in &mut frag.slots {
        slot.y += dy;
    }
    frag.baseline += dy;
    frag.height += dy;
}

struct LineSetter<'a> {
    style: &'a BlockStyle,
    column: Column,
    origin: &'a FieldPath,
    ctx: &'a Ctx<'a>,
    baseline: f32,
}

impl LineSetter<'_> {
    fn place(&self, words: &[Word], span: &LineSpan, pitch: f32) -> Frag {
        let spaces: usize = words[..words.len().saturating_sub(1)]
            .iter()
            .map(Word::space_count)
            .sum();
        let slack = (span.available - span.width).max(0.0);
        let (offset, extra) = match self.style.align {
            Align::Center => (slack / 2.0, 0.0),
            Align::Right => (slack, 0.0),
            Align::Justify if !span.last && spaces > 0 => (0.0, slack / spaces as f32),
            Align::Justify | Align::Left => (0.0, 0.0),
        };
        let left = self.column.x + span.indent;
        let mut out = Out {
            frag: Frag {
                height: pitch,
                baseline: self.baseline,
                ..Frag::default()
            },
            current: None,
            x: left + offset,
            measure: (left, left + span.available),
        };
        let last = words.len().saturating_sub(1);
        for (i, word) in words.iter().enumerate() {
            for piece in &word.pieces {
                self.piece(&mut out, piece, 0.0);
            }
            if let (true, Some(space)) = (i < last, &word.space) {
                self.piece(&mut out, space, extra);
            }
        }
        out.flush();
        out.frag
    }

    fn piece(&self, out: &mut Out, piece: &Piece, extra: f32) {
        if let Some(kind) = piece.slot {
            self.slot(out, piece, kind);
        }
        if piece.glyphs.is_empty() {
            out.flush();
            out.x += piece.width;
            return;
        }
        let same = out
            .current
            .as_ref()
            .is_some_and(|item| item.face == piece.face && item.size == piece.size);
        if !same {
            out.flush();
            out.current = Some(TextItem {
                x: out.x,
                baseline: self.baseline,
                face: piece.face,
                size: piece.size,
                glyphs: Vec::new(),
                red: self.style.red,
                origin: self.origin.clone(),
                measure: out.measure,
                field: None,
            });
        }
        let item = out.current.as_mut().expect("an item was just ensured");
        for glyph in &piece.glyphs {
            let mut glyph = *glyph;
            glyph.advance += extra;
            out.x += glyph.advance;
            item.glyphs.push(glyph);
        }
    }

    fn slot(&self, out: &mut Out, piece: &Piece, kind: SlotKind) {
        let face = self.ctx.book.face(piece.face);
        let ascent = face.ascent * piece.size;
        out.frag.slots.push(FragSlot {
            name: slot_name(kind),
            x: out.x,
            y: self.baseline - ascent,
            width: piece.width,
            height: (face.ascent + face.descent) * piece.size,
            face: piece.face,
            size: piece.size,
            value: piece.text(),
            line: None,
        });
    }
}

struct Out {
    frag: Frag,
    current: Option<TextItem>,
    x: f32,
    measure: (f32, f32),
}

impl Out {
    fn flush(&mut self) {
        if let Some(item) = self.current.take() {
            self.frag.items.push(Item::Text(item));
        }
    }
}

/// The slot a run kind fills.
pub fn slot_name(kind: SlotKind) -> SlotName {
    match kind {
        SlotKind::Number => SlotName::Number,
        SlotKind::Day => SlotName::Day,
        SlotKind::Month => SlotName::Month,
        SlotKind::Year => SlotName::Year,
    }
}

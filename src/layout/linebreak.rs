//! Line breaking: measured words become lines of a given measure.
//!
//! First fit, as Word and LibreOffice do, so that our PDF and the DOCX break the same way:
//! a line takes words while they fit; a break is allowed only at a space, never before
//! closing punctuation ("," ")" "./.") and never right after a bullet marker; words are not
//! hyphenated. A word longer than the measure is a warning and is cut at a character
//! boundary, so that no line is ever wider than its measure.

use crate::diag::{Diagnostic, Diagnostics, FieldPath};
use crate::layout::font::FontBook;
use crate::layout::shape::{Piece, Word};

/// Rounding slack when comparing widths, pt.
pub const EPSILON: f32 = 0.01;

/// One line: a range of words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSpan {
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// Natural width: the words and the spaces between them (not the trailing ones), pt.
    pub width: f32,
    /// The available width of this line (measure minus the first-line indent), pt.
    pub available: f32,
    /// Indent from the column's left edge, pt.
    pub indent: f32,
    /// The last line of the paragraph or a line ended by a forced break: not justified.
    pub last: bool,
}

/// Break `words` into lines of `measure` pt, the first one indented by `first_indent`.
/// Words wider than the narrowest line are cut first (with a warning at `origin`).
pub fn break_lines(
    words: &mut Vec<Word>,
    measure: f32,
    first_indent: f32,
    book: &FontBook,
    origin: &FieldPath,
    diagnostics: &mut Diagnostics,
) -> Vec<LineSpan> {
    let narrowest = (measure - first_indent.max(0.0)).max(1.0);
    split_long_words(words, narrowest, book, origin, diagnostics);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let indent = if lines.is_empty() { first_indent } else { 0.0 };
        let available = measure - indent;
        let end = line_end(words, start, available);
        lines.push(LineSpan {
            start,
            end,
            width: natural_width(&words[start..end]),
            available,
            indent,
            last: end == words.len() || words[end - 1].break_after,
        });
        start = end;
    }
    lines
}

/// Natural width of words set on one line.
pub fn natural_width(words: &[Word]) -> f32 {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, word)| word.width + if i < last { word.space_width() } else { 0.0 })
        .sum()
}

/// Where the line starting at `start` ends (exclusive).
fn line_end(words: &[Word], start: usize, available: f32) -> usize {
    let mut width = words[start].width;
    let mut last_allowed = None;
    let mut k = start + 1;
    if words[start].break_after {
        return k;
    }
    while k < words.len() {
        if may_break_before(words, k) {
            last_allowed = Some(k);
        }
        let next = width + words[k - 1].space_width() + words[k].width;
        if next > available + EPSILON {
            return if may_break_before(words, k) {
                k
            } else {
                last_allowed.filter(|&at| at > start).unwrap_or(k)
            };
        }
        width = next;
        k += 1;
        if words[k - 1].break_after {
            return k;
        }
    }
    words.len()
}

fn may_break_before(words: &[Word], k: usize) -> bool {
    !words[k].glue_before
}

fn split_long_words(
    words: &mut Vec<Word>,
    limit: f32,
    book: &FontBook,
    origin: &FieldPath,
    diagnostics: &mut Diagnostics,
) {
    if words.iter().all(|word| word.width <= limit + EPSILON) {
        return;
    }
    let mut out = Vec::with_capacity(words.len() + 4);
    for word in words.drain(..) {
        if word.width <= limit + EPSILON {
            out.push(word);
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                "word-too-long",
                origin.clone(),
                format!("từ “{}” dài hơn cả dòng; đã bị cắt", word.text()),
            )
            .with_hint("thêm dấu cách hoặc rút ngắn từ"),
        );
        out.extend(cut_word(word, limit, book));
    }
    *words = out;
}

/// Cut a word into parts no wider than `limit` (each at least one glyph).
fn cut_word(word: Word, limit: f32, book: &FontBook) -> Vec<Word> {
    let mut parts = vec![Word::default()];
    for piece in word.pieces {
        for glyph in piece.glyphs.iter().copied() {
            let part = parts.last_mut().expect("parts is never empty");
            if part.width + glyph.natural > limit + EPSILON && part.width > 0.0 {
                parts.push(Word::default());
            }
            let part = parts.last_mut().expect("parts is never empty");
            push_cut_glyph(part, &piece, glyph, book);
        }
        if piece.glyphs.is_empty() {
            let part = parts.last_mut().expect("parts is never empty");
            part.width += piece.width;
            part.pieces.push(piece);
        }
    }
    let last = parts.last_mut().expect("parts is never empty");
    last.space = word.space;
    last.break_after = word.break_after;
    parts
}

fn push_cut_glyph(
    part: &mut Word,
    piece: &Piece,
    mut glyph: crate::layout::shape::Glyph,
    _book: &FontBook,
) {
    glyph.advance = glyph.natural;
    let same = part
        .pieces
        .last()
        .is_some_and(|last| last.face == piece.face && last.slot == piece.slot);
    if !same {
        part.pieces.push(Piece {
            glyphs: Vec::new(),
            width: 0.0,
            ..piece.clone()
        });
    }
    let last = part.pieces.last_mut().expect("a piece was just ensured");
    last.width += glyph.advance;
    last.glyphs.push(glyph);
    part.width += glyph.advance;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Run;
    use crate::layout::shape::{ShapeStyle, shape};

    fn lay(text: &str, measure: f32, indent: f32) -> (Vec<Word>, Vec<LineSpan>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let style = ShapeStyle {
            size: 14.0,
            bold: false,
            italic: false,
        };
        let book = FontBook::embedded();
        let origin = FieldPath::new("body[0]");
        let mut words = shape(&[Run::plain(text)], style, book, &origin, &mut diagnostics);
        let lines = break_lines(&mut words, measure, indent, book, &origin, &mut diagnostics);
        (words, lines, diagnostics)
    }

    fn line_texts(words: &[Word], lines: &[LineSpan]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                words[line.start..line.end]
                    .iter()
                    .map(Word::text)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn first_fit_with_indent_and_last_line_flag() {
        let text = "Tổ chức thực hiện phong trào thi đua yêu nước trong đoàn viên, công nhân, viên chức, lao động năm 2020 một cách thiết thực, hiệu quả.";
        let (words, lines, diagnostics) = lay(text, 200.0, 36.0);
        assert!(diagnostics.is_empty());
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(line.width <= line.available + EPSILON);
        }
        assert!(lines.last().unwrap().last);
        assert!(lines[..lines.len() - 1].iter().all(|line| !line.last));
        assert_eq!(line_texts(&words, &lines).join(" "), text);
    }

    #[test]
    fn never_breaks_before_closing_punctuation() {
        // Find a measure where "2020" ends a line, then check ")" never starts one.
        for measure in (60..300).step_by(3) {
            let (words, lines, _) = lay(
                "ngày 15 tháng 01 năm 2020 ) ; hoàn thành ./.",
                measure as f32,
                0.0,
            );
            for line in &lines[1..] {
                let first = words[line.start].text();
                assert!(
                    !matches!(first.as_str(), ")" | ";" | "./."),
                    "{first} starts a line at {measure}"
                );
            }
        }
    }

    #[test]
    fn long_word_is_cut_with_a_warning() {
        let (words, lines, diagnostics) = lay(
            "a https://example.org/một-đường-dẫn-rất-dài-không-có-dấu-cách-nào-cả b",
            120.0,
            0.0,
        );
        assert_eq!(diagnostics.iter().next().unwrap().code, "word-too-long");
        for line in &lines {
            assert!(line.width <= line.available + EPSILON, "{line:?}");
        }
        let joined: String = line_texts(&words, &lines).join("").replace(' ', "");
        assert_eq!(
            joined,
            "ahttps://example.org/một-đường-dẫn-rất-dài-không-có-dấu-cách-nào-cảb"
        );
    }

    #[test]
    fn forced_break_ends_a_line_unjustified() {
        let (_, lines, _) = lay("TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH", 400.0, 0.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].last);
    }
}

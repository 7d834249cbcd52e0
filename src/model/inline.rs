//! Inline emphasis inside text: `**đậm**` for bold, `*nghiêng*` for italic.
//!
//! User text is read leniently: a marker counts only when a matching closing marker follows,
//! so a lone `*` (a footnote mark, "(*)") stays a literal star. [`Inline::markup`] writes the
//! text back with every literal marker escaped (`\*`, `\[`, `\\`), which is the form the
//! templates receive and pass on; [`crate::compose`] reads template output strictly.

use std::fmt;

/// A piece of text with one emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text (NFC).
    pub text: String,
    /// Bold (`**…**`).
    pub bold: bool,
    /// Italic (`*…*`).
    pub italic: bool,
}

/// Text with inline emphasis, as a list of spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    spans: Vec<Span>,
}

impl Inline {
    /// Read user text with `**bold**` and `*italic*` markers (lenient: unmatched markers are
    /// literal text, `\*` is a literal star).
    pub fn parse(text: &str) -> Inline {
        let chars: Vec<char> = text.chars().collect();
        let mut reader = Reader {
            chars: &chars,
            at: 0,
            out: Inline::default(),
            current: String::new(),
            bold: false,
            italic: false,
        };
        reader.run();
        reader.out
    }

    /// Plain text without emphasis.
    pub fn plain(text: impl Into<String>) -> Inline {
        let text = text.into();
        let mut out = Inline::default();
        out.push(text, false, false);
        out
    }

    /// The spans in order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The text without markers.
    pub fn text(&self) -> String {
        self.spans.iter().map(|span| span.text.as_str()).collect()
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.spans.iter().all(|span| span.text.is_empty())
    }

    /// The text with markers, literal marker characters escaped. Markers are written as
    /// toggles (`**` switches bold, `*` italic), closed at the end.
    pub fn markup(&self) -> String {
        let mut out = String::new();
        let (mut bold, mut italic) = (false, false);
        for span in &self.spans {
            toggle(&mut out, &mut bold, &mut italic, span.bold, span.italic);
            out.push_str(&escape(&span.text));
        }
        toggle(&mut out, &mut bold, &mut italic, false, false);
        out
    }

    /// Append text with an emphasis, merging with the last span when it has the same one.
    pub fn push(&mut self, text: impl Into<String>, bold: bool, italic: bool) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.spans.last_mut()
            && last.bold == bold
            && last.italic == italic
        {
            last.text.push_str(&text);
            return;
        }
        self.spans.push(Span { text, bold, italic });
    }

    /// The same text with plain `suffix` appended (punctuation after emphasis stays plain).
    pub fn with_suffix(&self, suffix: &str) -> Inline {
        let mut out = self.clone();
        out.push(suffix, false, false);
        out
    }

    /// The same text with trailing characters in `chars` (and spaces) removed.
    pub fn trim_end_matches(&self, chars: &[char]) -> Inline {
        let mut out = self.clone();
        while let Some(last) = out.spans.last_mut() {
            let trimmed = last
                .text
                .trim_end_matches(|c: char| c.is_whitespace() || chars.contains(&c))
                .len();
            last.text.truncate(trimmed);
            if !last.text.is_empty() {
                break;
            }
            out.spans.pop();
        }
        out
    }

    /// Apply `f` to the text of every span (used for NFC normalisation).
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Inline {
        Inline {
            spans: self
                .spans
                .iter()
                .map(|span| Span {
                    text: f(&span.text),
                    ..span.clone()
                })
                .collect(),
        }
    }
}

impl fmt::Display for Inline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

fn toggle(out: &mut String, bold: &mut bool, italic: &mut bool, to_bold: bool, to_italic: bool) {
    if *bold != to_bold {
        out.push_str("**");
        *bold = to_bold;
    }
    if *italic != to_italic {
        out.push('*');
        *italic = to_italic;
    }
}

/// Escape the characters that mean something in markup: `\`, `*`, `[`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct Reader<'a> {
    chars: &'a [char],
    at: usize,
    out: Inline,
    current: String,
    bold: bool,
    italic: bool,
}

impl Reader<'_> {
    fn run(&mut self) {
        while self.at < self.chars.len() {
            let c = self.chars[self.at];
            if c == '\\' && self.at + 1 < self.chars.len() {
                self.current.push(self.chars[self.at + 1]);
                self.at += 2;
            } else if c == '*' {
                self.marker();
            } else {
                self.current.push(c);
                self.at += 1;
            }
        }
        self.flush();
    }

    fn marker(&mut self) {
        let double = self.chars.get(self.at + 1) == Some(&'*');
        if double && (self.bold || self.opens(self.at + 2) && self.closes(self.at + 2, true)) {
            self.flush();
            self.bold = !self.bold;
            self.at += 2;
        } else if self.italic || self.opens(self.at + 1) && self.closes(self.at + 1, false) {
            self.flush();
            self.italic = !self.italic;
            self.at += 1;
        } else {
            self.current.push('*');
            self.at += 1;
        }
    }

    /// An opening marker is followed by text, not a space ("5 * 3" has no emphasis).
    fn opens(&self, after: usize) -> bool {
        self.chars.get(after).is_some_and(|c| !c.is_whitespace())
    }

    /// Whether a closing marker (after text, not after a space) follows `from`.
    fn closes(&self, from: usize, double: bool) -> bool {
        let mut i = from;
        let mut seen_text = false;
        while i < self.chars.len() {
            match self.chars[i] {
                '\\' => {
                    i += 2;
                    seen_text = true;
                }
                '*' => {
                    let is_double = self.chars.get(i + 1) == Some(&'*');
                    let after_text = i > 0 && !self.chars[i - 1].is_whitespace();
                    if seen_text && after_text && is_double == double {
                        return true;
                    }
                    i += if is_double { 2 } else { 1 };
                }
                _ => {
                    seen_text = true;
                    i += 1;
                }
            }
        }
        false
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.current);
        self.out.push(text, self.bold, self.italic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(inline: &Inline) -> Vec<(String, bool, bool)> {
        inline
            .spans()
            .iter()
            .map(|s| (s.text.clone(), s.bold, s.italic))
            .collect()
    }

    #[test]
    fn bold_and_italic_become_spans() {
        let inline = Inline::parse("gửi trước **ngày 18/11/2020** và *đúng hạn*.");
        assert_eq!(
            styles(&inline),
            vec![
                ("gửi trước ".into(), false, false),
                ("ngày 18/11/2020".into(), true, false),
                (" và ".into(), false, false),
                ("đúng hạn".into(), false, true),
                (".".into(), false, false),
            ]
        );
        assert_eq!(inline.text(), "gửi trước ngày 18/11/2020 và đúng hạn.");
    }

    #[test]
    fn lone_stars_stay_literal_and_round_trip() {
        let inline = Inline::parse("Đơn vị (*) và 5 * 3");
        assert_eq!(inline.text(), "Đơn vị (*) và 5 * 3");
        assert_eq!(inline.markup(), "Đơn vị (\\*) và 5 \\* 3");
        assert_eq!(Inline::parse(&inline.markup()), inline);
    }

    #[test]
    fn markup_round_trips_emphasis() {
        let inline = Inline::parse("a **đậm** b *nghiêng* [x]");
        assert_eq!(Inline::parse(&inline.markup()), inline);
    }

    #[test]
    fn suffix_and_trim_keep_style() {
        let inline = Inline::parse("Căn cứ **Điều lệ**;");
        let trimmed = inline.trim_end_matches(&[';', '.']);
        assert_eq!(trimmed.text(), "Căn cứ Điều lệ");
        assert_eq!(trimmed.with_suffix(".").markup(), "Căn cứ **Điều lệ**.");
    }
}

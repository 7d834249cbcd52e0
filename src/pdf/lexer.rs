//! A bounded cursor over bytes and the PDF tokenizer (ISO 32000-1 §7.2–7.3).
//!
//! Nothing here can read past the end of its slice: [`Cursor::take`] returns `None` instead
//! (STYLE.md habit 1, after rustls's `codec::Reader`). Every error carries the byte offset of
//! the token that caused it, and every token kind has a size limit from [`super::limits`].
//! The lexer is public so that `verify` can tokenize content streams with the same rules.

use super::error::PdfError;
use super::limits::{MAX_NAME_BYTES, MAX_STRING_BYTES};
use super::object::PdfString;

/// A position in a byte slice that cannot move past its end.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over `data` starting at `pos` (clamped to the end).
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Cursor {
            data,
            pos: pos.min(data.len()),
        }
    }

    /// The current position.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Move to `pos` (clamped to the end).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.data.len());
    }

    /// The whole slice.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// True at the end.
    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The next byte, without moving.
    pub fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The byte `n` ahead of the next one, without moving.
    pub fn peek_at(&self, n: usize) -> Option<u8> {
        self.data.get(self.pos.checked_add(n)?).copied()
    }

    /// The next byte, moving past it.
    pub fn next_byte(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    /// The next `len` bytes, moving past them; `None` (and no move) if fewer are left.
    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    /// True when the bytes at the position are `prefix`.
    pub fn starts_with(&self, prefix: &[u8]) -> bool {
        self.data[self.pos..].starts_with(prefix)
    }

    /// Skip PDF white space (NUL, TAB, LF, FF, CR, SPACE).
    pub fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(is_whitespace) {
            self.pos += 1;
        }
    }

    /// Skip white space and comments (`%` to the end of the line).
    pub fn skip_whitespace_and_comments(&mut self) {
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'%') {
                return;
            }
            while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                self.pos += 1;
            }
        }
    }

    /// Skip one end-of-line marker (CR LF, LF or CR) if there is one; true if skipped.
    pub fn skip_eol(&mut self) -> bool {
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }
}

/// PDF white-space characters (§7.2.2, Table 1).
pub fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// PDF delimiter characters (§7.2.2, Table 2).
pub fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Regular characters: neither white space nor delimiters.
pub fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// `]`
    ArrayEnd,
    /// `[`
    ArrayStart,
    /// `>>`
    DictEnd,
    /// `<<`
    DictStart,
    /// An integer.
    Integer(i64),
    /// A run of regular characters that is not a number: `obj`, `R`, `true`, content-stream
    /// operators; also `{` and `}`.
    Keyword(&'a [u8]),
    /// A name, decoded.
    Name(Vec<u8>),
    /// A real number.
    Real(f64),
    /// A literal or hex string, decoded.
    String(PdfString),
}

/// The tokenizer: turns bytes into [`Token`]s, each with its starting offset.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    cursor: Cursor<'a>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `data` starting at `pos`.
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Lexer {
            cursor: Cursor::new(data, pos),
        }
    }

    /// The current position.
    pub fn pos(&self) -> usize {
        self.cursor.pos()
    }

    /// Move to `pos`.
    pub fn seek(&mut self, pos: usize) {
        self.cursor.seek(pos);
    }

    /// The underlying cursor (for raw reads such as stream data).
    pub fn cursor(&mut self) -> &mut Cursor<'a> {
        &mut self.cursor
    }

    /// The next token and its offset; `None` at the end of the data.
    pub fn next_token(&mut self) -> Result<Option<(usize, Token<'a>)>, PdfError> {
        self.cursor.skip_whitespace_and_comments();
        let start = self.cursor.pos();
        let Some(byte) = self.cursor.peek() else {
            return Ok(None);
        };
        let token = match byte {
            b'[' => self.single(Token::ArrayStart),
            b']' => self.single(Token::ArrayEnd),
            b'{' => self.single(Token::Keyword(b"{")),
            b'}' => self.single(Token::Keyword(b"}")),
            b'(' => Token::String(self.literal_string()?),
            b'<' if self.cursor.peek_at(1) == Some(b'<') => {
                self.cursor.seek(start + 2);
                Token::DictStart
            }
            b'<' => Token::String(self.hex_string()?),
            b'>' if self.cursor.peek_at(1) == Some(b'>') => {
                self.cursor.seek(start + 2);
                Token::DictEnd
            }
            b'/' => Token::Name(self.name()?),
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number()?,
            _ if is_regular(byte) => Token::Keyword(self.keyword()?),
            _ => return Err(PdfError::syntax(start, "a token")),
        };
        Ok(Some((start, token)))
    }

    /// The next token, which must exist.
    pub fn expect_token(&mut self, expected: &'static str) -> Result<(usize, Token<'a>), PdfError> {
        self.next_token()?.ok_or_else(|| PdfError::Truncated {
            offset: self.cursor.pos() as u64,
            expected,
        })
    }

    fn single(&mut self, token: Token<'a>) -> Token<'a> {
        self.cursor.pos += 1;
        token
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.cursor.pos();
        while self.cursor.peek().is_some_and(is_regular) {
            self.cursor.pos += 1;
        }
        &self.cursor.data[start..self.cursor.pos]
    }

    fn keyword(&mut self) -> Result<&'a [u8], PdfError> {
        let start = self.cursor.pos();
        let word = self.regular_run();
        if word.len() > MAX_NAME_BYTES {
            return Err(limit(start, "keyword length", MAX_NAME_BYTES));
        }
        Ok(word)
    }

    /// `+12`, `-.5`, `4.` (§7.3.3); no exponents. The number must end at a delimiter.
    fn number(&mut self) -> Result<Token<'a>, PdfError> {
        let start = self.cursor.pos();
        let text = self.regular_run();
        let digits = text
            .strip_prefix(b"+")
            .or(text.strip_prefix(b"-"))
            .unwrap_or(text);
        let dots = digits.iter().filter(|&&b| b == b'.').count();
        let valid = !digits.is_empty()
            && dots <= 1
            && digits.iter().any(u8::is_ascii_digit)
            && digits.iter().all(|&b| b.is_ascii_digit() || b == b'.');
        if !valid {
            return Err(PdfError::syntax(start, "a number"));
        }
        if text.len() > MAX_NAME_BYTES {
            return Err(limit(start, "number length", MAX_NAME_BYTES));
        }
        // The bytes are ASCII digits, a sign and a dot, so this is valid UTF-8.
        let text = std::str::from_utf8(text).map_err(|_| PdfError::syntax(start, "a number"))?;
        let out_of_range = || PdfError::NumberOutOfRange {
            offset: start as u64,
        };
        if dots == 0 {
            return text.parse().map(Token::Integer).map_err(|_| out_of_range());
        }
        let value: f64 = text.parse().map_err(|_| out_of_range())?;
        if !value.is_finite() {
            return Err(out_of_range());
        }
        Ok(Token::Real(value))
    }

    /// `/Name#20with#20escapes` (§7.3.5).
    fn name(&mut self) -> Result<Vec<u8>, PdfError> {
        let start = self.cursor.pos();
        self.cursor.pos += 1;
        let raw = self.regular_run();
        if raw.len() > MAX_NAME_BYTES * 3 {
            return Err(limit(start, "name length", MAX_NAME_BYTES));
        }
        let mut name = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'#' {
                let hex = raw.get(i + 1..i + 3).and_then(hex_pair);
                let byte =
                    hex.ok_or_else(|| PdfError::syntax(start + 1 + i, "two hex digits after #"))?;
                name.push(byte);
                i += 3;
            } else {
                name.push(raw[i]);
                i += 1;
            }
        }
        if name.len() > MAX_NAME_BYTES {
            return Err(limit(start, "name length", MAX_NAME_BYTES));
        }
        Ok(name)
    }

    /// `<48656C6C6F>`: hex digits and white space; an odd final digit is followed by 0.
    fn hex_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.cursor.pos();
        let body = &self.cursor.data[start + 1..];
        let Some(close) = body.iter().position(|&b| b == b'>') else {
            return Err(truncated(
                self.cursor.data.len(),
                "'>' closing the hex string",
            ));
        };
        let body = &body[..close];
        // At most one byte per two digits: the bound is checked before anything is kept.
        if body.len() / 2 > MAX_STRING_BYTES {
            return Err(limit(start, "string length", MAX_STRING_BYTES));
        }
        let mut bytes = Vec::with_capacity(body.len() / 2 + 1);
        let mut high: Option<u8> = None;
        for (at, &byte) in body.iter().enumerate() {
            let nibble = match HEX_CLASS[byte as usize] {
                SPACE => continue,
                INVALID => {
                    return Err(PdfError::syntax(
                        start + 1 + at,
                        "a hex digit in the string",
                    ));
                }
                nibble => nibble,
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        self.cursor.pos = start + 1 + close + 1;
        Ok(PdfString::hex(bytes))
    }

    /// `(a (nested) string\n with \(escapes\))` (§7.3.4.2).
    fn literal_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.cursor.pos();
        self.cursor.pos += 1;
        let mut bytes = Vec::new();
        let mut depth = 0usize;
        loop {
            if bytes.len() > MAX_STRING_BYTES {
                return Err(limit(start, "string length", MAX_STRING_BYTES));
            }
            let Some(byte) = self.cursor.next_byte() else {
                return Err(truncated(self.cursor.pos(), "')' closing the string"));
            };
            match byte {
                b'(' => {
                    depth += 1;
                    bytes.push(byte);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    bytes.push(byte);
                }
                b'\\' => self.escape(&mut bytes)?,
                b'\r' => {
                    // An unescaped end-of-line of any kind reads as LF.
                    if self.cursor.peek() == Some(b'\n') {
                        self.cursor.pos += 1;
                    }
                    bytes.push(b'\n');
                }
                _ => bytes.push(byte),
            }
        }
        Ok(PdfString::literal(bytes))
    }

    fn escape(&mut self, bytes: &mut Vec<u8>) -> Result<(), PdfError> {
        let Some(byte) = self.cursor.next_byte() else {
            return Err(truncated(self.cursor.pos(), "an escaped character"));
        };
        match byte {
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'b' => bytes.push(0x08),
            b'f' => bytes.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(byte - b'0');
                for _ in 0..2 {
                    match self.cursor.peek() {
                        Some(digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            self.cursor.pos += 1;
                        }
                        _ => break,
                    }
                }
                // High-order overflow is ignored (§7.3.4.2): \777 is 0xff.
                bytes.push((value & 0xff) as u8);
            }
            b'\r' | b'\n' => {
                // A backslash before an end-of-line continues the string on the next line.
                if byte == b'\r' && self.cursor.peek() == Some(b'\n') {
                    self.cursor.pos += 1;
                }
            }
            // `\(`, `\)`, `\\`, and any other character stand for themselves.
            _ => bytes.push(byte),
        }
        Ok(())
    }
}

/// What a byte is inside a hex string: its value (0–15), [`SPACE`] or [`INVALID`].
const HEX_CLASS: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0' => SPACE,
            _ => INVALID,
        };
        byte += 1;
    }
    table
};
/// White space in [`HEX_CLASS`].
const SPACE: u8 = 0xfe;
/// Not allowed in a hex string, in [`HEX_CLASS`].
const INVALID: u8 = 0xff;

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    Some(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?)
}

fn limit(offset: usize, what: &'static str, max: usize) -> PdfError {
    PdfError::Limit {
        offset: offset as u64,
        what,
        max: max as u64,
    }
}

fn truncated(offset: usize, expected: &'static str) -> PdfError {
    PdfError::Truncated {
        offset: offset as u64,
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(input: &[u8]) -> Vec<Token<'_>> {
        let mut lexer = Lexer::new(input, 0);
        let mut out = Vec::new();
        while let Some((_, token)) = lexer.next_token().expect("valid input") {
            out.push(token);
        }
        out
    }

    #[test]
    fn numbers_names_and_keywords() {
        assert_eq!(
            tokens(b"12 -3 +.5 4. /A#20B%comment\n obj R"),
            vec![
                Token::Integer(12),
                Token::Integer(-3),
                Token::Real(0.5),
                Token::Real(4.0),
                Token::Name(b"A B".to_vec()),
                Token::Keyword(b"obj"),
                Token::Keyword(b"R"),
            ]
        );
    }

    #[test]
    fn literal_strings_with_escapes_and_nesting() {
        let input = b"(a (b) \\(c\\) \\101\\n\\\r\nd\re)";
        assert_eq!(
            tokens(input),
            vec![Token::String(PdfString::literal(
                b"a (b) (c) A\nd\ne".to_vec()
            ))]
        );
    }

    #[test]
    fn hex_strings_pad_odd_digits() {
        assert_eq!(
            tokens(b"<48 65 6C6C 6F7>"),
            vec![Token::String(PdfString::hex(b"Hello\x70".to_vec()))]
        );
    }

    #[test]
    fn errors_carry_offsets() {
        let mut lexer = Lexer::new(b"   /A#4", 0);
        assert_eq!(
            lexer.next_token(),
            Err(PdfError::Syntax {
                offset: 5,
                expected: "two hex digits after #"
            })
        );
        let mut lexer = Lexer::new(b"  (unterminated", 0);
        assert!(matches!(
            lexer.next_token(),
            Err(PdfError::Truncated { offset: 15, .. })
        ));
        let mut lexer = Lexer::new(b" 1.2.3", 0);
        assert!(matches!(
            lexer.next_token(),
            Err(PdfError::Syntax { offset: 1, .. })
        ));
        let mut lexer = Lexer::new(b" 99999999999999999999", 0);
        assert_eq!(
            lexer.next_token(),
            Err(PdfError::NumberOutOfRange { offset: 1 })
        );
    }

    #[test]
    fn cursor_take_never_overruns() {
        let mut cursor = Cursor::new(b"abc", 1);
        assert_eq!(cursor.take(5), None);
        assert_eq!(cursor.pos(), 1);
        assert_eq!(cursor.take(2), Some(&b"bc"[..]));
        assert!(cursor.at_end());
        assert_eq!(cursor.take(usize::MAX), None);
    }
}

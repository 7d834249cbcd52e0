//! Objects from tokens: direct objects, indirect objects `n g obj … endobj`, and streams.
//!
//! The parser is strict: a dictionary key twice, a missing `endobj`, a stream whose `/Length`
//! does not land on `endstream`: each is an error with its offset, never a guess.

use std::collections::HashSet;
use std::ops::Range;

use super::error::PdfError;
use super::lexer::{Lexer, Token};
use super::limits::{MAX_ARRAY_LEN, MAX_DEPTH, MAX_DICT_LEN, MAX_OBJECT_NUMBER};
use super::object::{Dict, Name, ObjRef, Object, Stream, StreamData};

/// An indirect object read from the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Indirect {
    /// Its number and generation, as written in its header.
    pub reference: ObjRef,
    /// The object.
    pub object: Object,
    /// The position just after `endobj`.
    pub end: usize,
}

/// Dictionaries with more entries than this check duplicates with a hash set instead of a
/// linear scan, so that a 65,536-entry dictionary costs O(n), not O(n²).
const LINEAR_DUPLICATE_CHECK: usize = 16;

/// Parses objects from a byte slice.
pub(crate) struct Parser<'a> {
    lexer: Lexer<'a>,
}

impl<'a> Parser<'a> {
    /// A parser over `data` starting at `pos`.
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Parser {
            lexer: Lexer::new(data, pos),
        }
    }

    /// The current position.
    pub fn pos(&self) -> usize {
        self.lexer.pos()
    }

    /// One direct object (a reference `n g R` counts as one).
    pub fn object(&mut self) -> Result<Object, PdfError> {
        let (start, token) = self.lexer.expect_token("an object")?;
        self.object_from(start, token, 0)
    }

    /// The header `n g obj` at the current position; the numbers must be in range.
    pub fn object_header(&mut self) -> Result<ObjRef, PdfError> {
        let (start, number) = self.lexer.expect_token("an object number")?;
        let (_, generation) = self.lexer.expect_token("a generation number")?;
        let (_, keyword) = self.lexer.expect_token("obj")?;
        match (number, generation, keyword) {
            (Token::Integer(n), Token::Integer(g), Token::Keyword(b"obj")) => reference(n, g)
                .ok_or(PdfError::NumberOutOfRange {
                    offset: start as u64,
                }),
            _ => Err(PdfError::syntax(start, "an object header 'n g obj'")),
        }
    }

    /// After an object header: the top-level dictionary's keys with the byte range of each
    /// value, as written (a reference `n g R` spans all three tokens).
    pub fn dict_spans(&mut self) -> Result<Vec<(Name, Range<usize>)>, PdfError> {
        let (start, token) = self.lexer.expect_token("a dictionary")?;
        if token != Token::DictStart {
            return Err(PdfError::syntax(start, "a dictionary"));
        }
        let mut spans = Vec::new();
        loop {
            let (offset, token) = self.lexer.expect_token("'>>' closing the dictionary")?;
            let key = match token {
                Token::DictEnd => return Ok(spans),
                Token::Name(key) => key,
                _ => return Err(PdfError::syntax(offset, "a name as dictionary key")),
            };
            if spans.len() >= MAX_DICT_LEN {
                return Err(PdfError::Limit {
                    offset: start as u64,
                    what: "dictionary length",
                    max: MAX_DICT_LEN as u64,
                });
            }
            let (value_start, value) = self.lexer.expect_token("a dictionary value")?;
            self.object_from(value_start, value, 1)?;
            spans.push((Name(key), value_start..self.lexer.pos()));
        }
    }

    /// An indirect object `n g obj … endobj` at the current position. `length` resolves an
    /// indirect stream `/Length`.
    pub fn indirect(
        &mut self,
        length: &mut dyn FnMut(ObjRef) -> Result<i64, PdfError>,
    ) -> Result<Indirect, PdfError> {
        let reference = self.object_header()?;
        let (start, token) = self.lexer.expect_token("an object")?;
        let mut object = self.object_from(start, token, 0)?;
        let (end_start, end_token) = self.lexer.expect_token("endobj")?;
        let end_token = match (&mut object, end_token) {
            (Object::Dict(dict), Token::Keyword(b"stream")) => {
                let data = self.stream_data(dict, length)?;
                object = Object::Stream(Stream {
                    dict: std::mem::take(dict),
                    data: StreamData::File(data),
                });
                self.lexer.expect_token("endobj")?
            }
            (_, token) => (end_start, token),
        };
        match end_token {
            (_, Token::Keyword(b"endobj")) => Ok(Indirect {
                reference,
                object,
                end: self.lexer.pos(),
            }),
            (offset, _) => Err(PdfError::syntax(offset, "endobj")),
        }
    }

    /// The data of a stream whose `stream` keyword was just read; leaves the position after
    /// `endstream`.
    fn stream_data(
        &mut self,
        dict: &Dict,
        length: &mut dyn FnMut(ObjRef) -> Result<i64, PdfError>,
    ) -> Result<std::ops::Range<usize>, PdfError> {
        let cursor = self.lexer.cursor();
        // `stream` is followed by CR LF or LF (§7.3.8.1), not by CR alone.
        if cursor.starts_with(b"\r\n") {
            cursor.seek(cursor.pos() + 2);
        } else if cursor.peek() == Some(b'\n') {
            cursor.seek(cursor.pos() + 1);
        } else {
            return Err(PdfError::syntax(
                cursor.pos(),
                "an end-of-line after 'stream'",
            ));
        }
        let start = cursor.pos();
        let claimed = match dict.get("Length") {
            Some(Object::Integer(len)) => *len,
            Some(Object::Ref(reference)) => length(*reference)?,
            _ => {
                return Err(PdfError::syntax(
                    start,
                    "an integer /Length in the stream dictionary",
                ));
            }
        };
        let bad_length = PdfError::StreamLength {
            offset: start as u64,
            length: claimed,
        };
        let len = usize::try_from(claimed).map_err(|_| bad_length.clone())?;
        let cursor = self.lexer.cursor();
        if cursor.take(len).is_none() {
            return Err(bad_length);
        }
        let end = cursor.pos();
        cursor.skip_whitespace();
        if !cursor.starts_with(b"endstream") {
            return Err(bad_length);
        }
        cursor.seek(cursor.pos() + b"endstream".len());
        Ok(start..end)
    }

    fn object_from(
        &mut self,
        start: usize,
        token: Token<'a>,
        depth: usize,
    ) -> Result<Object, PdfError> {
        if depth > MAX_DEPTH {
            return Err(PdfError::Limit {
                offset: start as u64,
                what: "nesting depth",
                max: MAX_DEPTH as u64,
            });
        }
        Ok(match token {
            Token::ArrayStart => Object::Array(self.array(start, depth)?),
            Token::DictStart => Object::Dict(self.dict(start, depth)?),
            Token::Integer(n) => self.integer_or_reference(start, n)?,
            Token::Keyword(b"true") => Object::Bool(true),
            Token::Keyword(b"false") => Object::Bool(false),
            Token::Keyword(b"null") => Object::Null,
            Token::Name(name) => Object::Name(Name(name)),
            Token::Real(value) => Object::Real(value),
            Token::String(string) => Object::String(string),
            Token::ArrayEnd | Token::DictEnd | Token::Keyword(_) => {
                return Err(PdfError::syntax(start, "an object"));
            }
        })
    }

    /// `n` alone, or `n g R` when the next two tokens are a generation and `R`.
    fn integer_or_reference(&mut self, start: usize, n: i64) -> Result<Object, PdfError> {
        let saved = self.lexer.pos();
        if let (Ok(Some((_, Token::Integer(g)))), Ok(Some((_, Token::Keyword(b"R"))))) =
            (self.lexer.next_token(), self.lexer.next_token())
        {
            return reference(n, g)
                .map(Object::Ref)
                .ok_or(PdfError::NumberOutOfRange {
                    offset: start as u64,
                });
        }
        self.lexer.seek(saved);
        Ok(Object::Integer(n))
    }

    fn array(&mut self, start: usize, depth: usize) -> Result<Vec<Object>, PdfError> {
        let mut items = Vec::new();
        loop {
            let (offset, token) = self.lexer.expect_token("']' closing the array")?;
            if token == Token::ArrayEnd {
                return Ok(items);
            }
            if items.len() >= MAX_ARRAY_LEN {
                return Err(PdfError::Limit {
                    offset: start as u64,
                    what: "array length",
                    max: MAX_ARRAY_LEN as u64,
                });
            }
            items.push(self.object_from(offset, token, depth + 1)?);
        }
    }

    fn dict(&mut self, start: usize, depth: usize) -> Result<Dict, PdfError> {
        let mut dict = Dict::new();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        loop {
            let (offset, token) = self.lexer.expect_token("'>>' closing the dictionary")?;
            let key = match token {
                Token::DictEnd => return Ok(dict),
                Token::Name(key) => key,
                _ => return Err(PdfError::syntax(offset, "a name as dictionary key")),
            };
            if dict.len() >= MAX_DICT_LEN {
                return Err(PdfError::Limit {
                    offset: start as u64,
                    what: "dictionary length",
                    max: MAX_DICT_LEN as u64,
                });
            }
            if is_duplicate(&dict, &mut seen, &key) {
                return Err(PdfError::DuplicateKey {
                    offset: offset as u64,
                    key: String::from_utf8_lossy(&key).into_owned(),
                });
            }
            let (value_start, value) = self.lexer.expect_token("a dictionary value")?;
            if value == Token::DictEnd {
                return Err(PdfError::syntax(
                    value_start,
                    "a value for the dictionary key",
                ));
            }
            let value = self.object_from(value_start, value, depth + 1)?;
            dict.push_unchecked(Name(key), value);
        }
    }
}

fn is_duplicate(dict: &Dict, seen: &mut HashSet<Vec<u8>>, key: &[u8]) -> bool {
    if dict.len() < LINEAR_DUPLICATE_CHECK {
        return dict.contains_key(key);
    }
    if seen.is_empty() {
        seen.extend(dict.iter().map(|(name, _)| name.0.clone()));
    }
    !seen.insert(key.to_vec())
}

/// A reference from parsed numbers, if both are in range.
fn reference(number: i64, generation: i64) -> Option<ObjRef> {
    let number = u32::try_from(number).ok()?;
    let generation = u16::try_from(generation).ok()?;
    (1..=MAX_OBJECT_NUMBER)
        .contains(&number)
        .then_some(ObjRef { number, generation })
}

/// Parse one direct object from `data`; trailing bytes other than white space and comments
/// are an error. Used by tests and the fuzzing round trip.
pub fn parse_object(data: &[u8]) -> Result<Object, PdfError> {
    let mut parser = Parser::new(data, 0);
    let object = parser.object()?;
    match parser.lexer.next_token()? {
        None => Ok(object),
        Some((offset, _)) => Err(PdfError::syntax(offset, "the end of the data")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::object::PdfString;

    fn no_indirect_length(_: ObjRef) -> Result<i64, PdfError> {
        Err(PdfError::syntax(0, "a direct /Length"))
    }

    #[test]
    fn references_and_nested_containers() {
        let object = parse_object(b"<< /Kids [3 0 R 4 0 R] /Count 2 /A << /B [1 [2.5 null]] >> >>")
            .expect("valid");
        let dict = object.as_dict().expect("dict");
        assert_eq!(
            dict.get("Kids"),
            Some(&Object::Array(vec![
                Object::Ref(ObjRef::new(3, 0)),
                Object::Ref(ObjRef::new(4, 0))
            ]))
        );
        assert_eq!(dict.get("Count"), Some(&Object::Integer(2)));
        assert_eq!(
            parse_object(b"[1 2 3 R]").expect("valid"),
            Object::Array(vec![Object::Integer(1), Object::Ref(ObjRef::new(2, 3))])
        );
    }

    #[test]
    fn duplicate_keys_are_refused_small_and_large() {
        assert_eq!(
            parse_object(b"<< /A 1 /B 2 /A 3 >>"),
            Err(PdfError::DuplicateKey {
                offset: 13,
                key: "A".into()
            })
        );
        let mut big = b"<<".to_vec();
        for i in 0..40 {
            big.extend_from_slice(format!(" /K{i} {i}").as_bytes());
        }
        big.extend_from_slice(b" /K7 0 >>");
        assert!(matches!(
            parse_object(&big),
            Err(PdfError::DuplicateKey { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_a_limit_error() {
        let deep = [b"[".repeat(10_000), b"]".repeat(10_000)].concat();
        assert!(matches!(
            parse_object(&deep),
            Err(PdfError::Limit {
                what: "nesting depth",
                ..
            })
        ));
    }

    #[test]
    fn streams_need_exact_length() {
        let good = b"5 0 obj << /Length 4 >> stream\nabcd\nendstream endobj";
        let indirect = Parser::new(good, 0)
            .indirect(&mut no_indirect_length)
            .expect("valid");
        assert_eq!(indirect.reference, ObjRef::new(5, 0));
        let stream = indirect.object.as_stream().expect("stream");
        assert_eq!(stream.file_range(), Some(31..35));
        assert_eq!(indirect.end, good.len());

        let bad = b"5 0 obj << /Length 3 >> stream\nabcd\nendstream endobj";
        assert_eq!(
            Parser::new(bad, 0).indirect(&mut no_indirect_length),
            Err(PdfError::StreamLength {
                offset: 31,
                length: 3
            })
        );
        let huge = b"5 0 obj << /Length 1073741824 >> stream\nabcd\nendstream endobj";
        assert!(matches!(
            Parser::new(huge, 0).indirect(&mut no_indirect_length),
            Err(PdfError::StreamLength { .. })
        ));
    }

    #[test]
    fn missing_endobj_is_an_error() {
        assert_eq!(
            Parser::new(b"1 0 obj (x) 2 0 obj", 0).indirect(&mut no_indirect_length),
            Err(PdfError::syntax(12, "endobj"))
        );
        assert_eq!(
            Parser::new(b"1 0 obj (x) endobj", 0)
                .indirect(&mut no_indirect_length)
                .map(|i| i.object),
            Ok(Object::String(PdfString::literal(b"x".to_vec())))
        );
    }
}

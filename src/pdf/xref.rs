//! Cross-reference sections: classic tables, xref streams, hybrid files, and the `/Prev`
//! chain from the `startxref` at the end of the file (ISO 32000-1 §7.5.4–7.5.8).
//!
//! Nothing is repaired. Every section must sit exactly where its pointer says, every table
//! entry must be 20 bytes, every xref stream must hold exactly the entries its `/Index`
//! declares, and every section must be followed by its own `startxref … %%EOF`.

use std::collections::{BTreeMap, HashSet};

use super::error::PdfError;
use super::filter;
use super::lexer::{Cursor, is_whitespace};
use super::limits::{MAX_OBJECT_NUMBER, MAX_XREF_SECTIONS, MAX_XREF_STREAM_BYTES};
use super::object::{Dict, ObjRef, Object};
use super::parser::Parser;
use crate::limits::Budget;

/// One entry of a cross-reference section (mục xref).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XrefEntry {
    /// Stored in an object stream (type 2 in an xref stream).
    Compressed {
        /// The object stream's number.
        stream: u32,
        /// The index of the object within the stream.
        index: u32,
    },
    /// Free (deleted): `f` in a table, type 0 in a stream.
    Free {
        /// The next free object number.
        next: u32,
        /// The generation to use if the number is reused.
        generation: u16,
    },
    /// In use at a byte offset: `n` in a table, type 1 in a stream.
    InUse {
        /// Where `n g obj` starts.
        offset: usize,
        /// Its generation.
        generation: u16,
    },
}

/// How a revision's cross-reference section is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XrefKind {
    /// A classic table whose trailer has `/XRefStm` (a hybrid-reference file, §7.5.8.4).
    Hybrid,
    /// A cross-reference stream (`/Type /XRef`).
    Stream,
    /// A classic `xref` table with a `trailer`.
    Table,
}

/// One cross-reference section as read from the file.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Where the section starts (`xref`, or the xref stream's `n g obj`).
    pub offset: usize,
    /// Table, stream or hybrid.
    pub kind: XrefKind,
    /// The entries, by object number.
    pub entries: BTreeMap<u32, XrefEntry>,
    /// The trailer (the xref stream's dictionary for a stream).
    pub trailer: Dict,
    /// Where its `%%EOF` starts and just after it and its end-of-line; `None` only for the
    /// first-page xref stream of a linearized file, which has no marker of its own.
    pub eof: Option<(usize, usize)>,
}

/// The end of the file: the last `startxref` value and where the last `%%EOF` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tail {
    /// The offset `startxref` gives.
    pub startxref: usize,
    /// Where the last `%%EOF` starts.
    pub eof: usize,
    /// Just after it and its end-of-line.
    pub end: usize,
}

/// Find the last `%%EOF` and the `startxref` before it; only white space may follow it.
pub(crate) fn find_tail(bytes: &[u8]) -> Result<Tail, PdfError> {
    let missing = PdfError::MissingEof {
        offset: bytes.len() as u64,
    };
    let eof = rfind(bytes, b"%%EOF").ok_or(missing.clone())?;
    let end = eof_end(bytes, eof);
    if let Some(garbage) = bytes[end..].iter().position(|&b| !is_whitespace(b)) {
        return Err(PdfError::UnaccountedBytes {
            offset: (end + garbage) as u64,
            len: (bytes.len() - end - garbage) as u64,
        });
    }
    let keyword = rfind(&bytes[..eof], b"startxref").ok_or(missing)?;
    let (startxref, marker) = startxref_value(bytes, keyword)?;
    if marker != eof {
        return Err(PdfError::MissingEof {
            offset: keyword as u64,
        });
    }
    Ok(Tail {
        startxref,
        eof,
        end,
    })
}

/// Read the section at `start` and every section its `/Prev` chain reaches, newest first.
pub(crate) fn read_chain(
    bytes: &[u8],
    start: usize,
    linearized: bool,
    budget: &mut Budget,
) -> Result<Vec<Section>, PdfError> {
    let mut seen = HashSet::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut next = Some(start);
    while let Some(offset) = next {
        if !seen.insert(offset) {
            return Err(PdfError::PrevCycle {
                offset: offset as u64,
            });
        }
        if sections.len() as u64 >= MAX_XREF_SECTIONS {
            return Err(PdfError::Limit {
                offset: offset as u64,
                what: "number of xref sections",
                max: MAX_XREF_SECTIONS,
            });
        }
        let section = read_section(bytes, offset, linearized, budget)?;
        next = offset_entry(&section.trailer, "Prev", bytes.len(), offset)?;
        sections.push(section);
    }
    Ok(sections)
}

/// The `/Prev` or `/XRefStm` offset of a trailer, which must point inside the file.
fn offset_entry(
    trailer: &Dict,
    key: &'static str,
    file_len: usize,
    section: usize,
) -> Result<Option<usize>, PdfError> {
    match trailer.get(key) {
        None => Ok(None),
        Some(Object::Integer(value)) => usize::try_from(*value)
            .ok()
            .filter(|&offset| offset < file_len)
            .map(Some)
            .ok_or_else(|| PdfError::xref(section, "/Prev or /XRefStm points outside the file")),
        Some(_) => Err(PdfError::xref(
            section,
            "/Prev and /XRefStm must be integers",
        )),
    }
}

/// One section: a table (maybe hybrid) or a stream, followed by `startxref … %%EOF`; the
/// marker may be missing only where `marker_optional` (linearized files, whose first-page
/// section `revision::build` then merges).
fn read_section(
    bytes: &[u8],
    offset: usize,
    marker_optional: bool,
    budget: &mut Budget,
) -> Result<Section, PdfError> {
    if offset >= bytes.len() {
        return Err(PdfError::xref(
            offset,
            "xref offset is beyond the end of the file",
        ));
    }
    let (kind, entries, trailer, after) = if bytes[offset..].starts_with(b"xref") {
        let (mut entries, trailer, after) = read_table(bytes, offset, budget)?;
        match offset_entry(&trailer, "XRefStm", bytes.len(), offset)? {
            Some(stream_offset) => {
                let (stream_entries, _, _) = read_stream(bytes, stream_offset, budget)?;
                merge_hybrid(&mut entries, stream_entries);
                (XrefKind::Hybrid, entries, trailer, after)
            }
            None => (XrefKind::Table, entries, trailer, after),
        }
    } else if bytes[offset].is_ascii_digit() {
        let (entries, trailer, after) = read_stream(bytes, offset, budget)?;
        (XrefKind::Stream, entries, trailer, after)
    } else {
        return Err(PdfError::xref(
            offset,
            "no 'xref' table or xref stream at this offset",
        ));
    };
    let eof = match read_eof(bytes, after) {
        Ok(marker) => Some(marker),
        Err(_) if marker_optional => None,
        Err(error) => return Err(error),
    };
    Ok(Section {
        offset,
        kind,
        entries,
        trailer,
        eof,
    })
}

/// In a hybrid file the table wins; the stream fills numbers the table lacks or marks free.
fn merge_hybrid(table: &mut BTreeMap<u32, XrefEntry>, stream: BTreeMap<u32, XrefEntry>) {
    for (number, entry) in stream {
        let slot = table.entry(number).or_insert(entry);
        if matches!(slot, XrefEntry::Free { .. }) {
            *slot = entry;
        }
    }
}

/// `[white space] startxref N %%EOF [EOL]` at `pos`: returns where `%%EOF` starts and ends.
fn read_eof(bytes: &[u8], pos: usize) -> Result<(usize, usize), PdfError> {
    let mut cursor = Cursor::new(bytes, pos);
    cursor.skip_whitespace();
    let keyword = cursor.pos();
    if !cursor.starts_with(b"startxref") {
        return Err(PdfError::MissingEof {
            offset: keyword as u64,
        });
    }
    let (_, eof) = startxref_value(bytes, keyword)?;
    Ok((eof, eof_end(bytes, eof)))
}

/// Parse `startxref N` at `keyword`; returns N and where the `%%EOF` after it starts.
fn startxref_value(bytes: &[u8], keyword: usize) -> Result<(usize, usize), PdfError> {
    let missing = PdfError::MissingEof {
        offset: keyword as u64,
    };
    let mut cursor = Cursor::new(bytes, keyword + b"startxref".len());
    if !cursor.peek().is_some_and(is_whitespace) {
        return Err(missing);
    }
    cursor.skip_whitespace();
    let digits_start = cursor.pos();
    while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
        cursor.next_byte();
    }
    let digits = &bytes[digits_start..cursor.pos()];
    let value = std::str::from_utf8(digits)
        .ok()
        .and_then(|text| text.parse::<usize>().ok())
        .ok_or(missing.clone())?;
    cursor.skip_whitespace();
    if !cursor.starts_with(b"%%EOF") {
        return Err(missing);
    }
    Ok((value, cursor.pos()))
}

/// Just past `%%EOF` at `eof` and one end-of-line after it.
fn eof_end(bytes: &[u8], eof: usize) -> usize {
    let mut cursor = Cursor::new(bytes, eof + b"%%EOF".len());
    cursor.skip_eol();
    cursor.pos()
}

/// The last occurrence of `needle` in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

type Entries = BTreeMap<u32, XrefEntry>;

/// `xref` subsections of 20-byte entries, then `trailer << … >>`.
fn read_table(
    bytes: &[u8],
    offset: usize,
    budget: &mut Budget,
) -> Result<(Entries, Dict, usize), PdfError> {
    let mut cursor = Cursor::new(bytes, offset + b"xref".len());
    if !cursor.peek().is_some_and(is_whitespace) {
        return Err(PdfError::xref(
            offset,
            "'xref' must be followed by an end-of-line",
        ));
    }
    let mut entries = BTreeMap::new();
    loop {
        cursor.skip_whitespace();
        if cursor.starts_with(b"trailer") {
            break;
        }
        if !cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(PdfError::MissingTrailer {
                offset: cursor.pos() as u64,
            });
        }
        read_subsection(&mut cursor, &mut entries, budget)?;
    }
    let mut parser = Parser::new(bytes, cursor.pos() + b"trailer".len());
    let trailer_start = parser.pos();
    let trailer = match parser.object()? {
        Object::Dict(dict) => dict,
        _ => {
            return Err(PdfError::MissingTrailer {
                offset: trailer_start as u64,
            });
        }
    };
    Ok((entries, trailer, parser.pos()))
}

/// `first count EOL` and `count` entries `nnnnnnnnnn ggggg n EOL` (§7.5.4).
fn read_subsection(
    cursor: &mut Cursor<'_>,
    entries: &mut Entries,
    budget: &mut Budget,
) -> Result<(), PdfError> {
    let header = cursor.pos();
    let first = read_decimal(cursor).ok_or_else(|| PdfError::xref(header, "subsection start"))?;
    if cursor.next_byte() != Some(b' ') {
        return Err(PdfError::xref(header, "subsection header 'first count'"));
    }
    let count = read_decimal(cursor).ok_or_else(|| PdfError::xref(header, "subsection count"))?;
    while cursor.peek() == Some(b' ') {
        cursor.next_byte();
    }
    if !cursor.skip_eol() {
        return Err(PdfError::xref(
            header,
            "end-of-line after the subsection header",
        ));
    }
    let needed = count.checked_mul(20);
    if needed.is_none_or(|needed| needed > cursor.remaining()) {
        return Err(PdfError::xref(
            header,
            "subsection count runs past the end of the file",
        ));
    }
    budget
        .spend(count as u64)
        .map_err(|exhausted| PdfError::budget(exhausted, header))?;
    for i in 0..count {
        let number = first
            .checked_add(i)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n <= MAX_OBJECT_NUMBER)
            .ok_or_else(|| PdfError::xref(header, "object number out of range"))?;
        let at = cursor.pos();
        let entry = read_table_entry(cursor)?;
        insert_entry(entries, number, entry, at)?;
    }
    Ok(())
}

fn read_table_entry(cursor: &mut Cursor<'_>) -> Result<XrefEntry, PdfError> {
    let at = cursor.pos();
    let bad = PdfError::xref(at, "table entry is not 'nnnnnnnnnn ggggg n' in 20 bytes");
    let raw = cursor.take(20).ok_or(bad.clone())?;
    let digits = |range: std::ops::Range<usize>| -> Option<u64> {
        let field = &raw[range];
        field.iter().all(u8::is_ascii_digit).then(|| {
            field
                .iter()
                .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'))
        })
    };
    let (Some(first), Some(generation)) = (digits(0..10), digits(11..16)) else {
        return Err(bad);
    };
    let eol_ok = matches!(&raw[18..20], b" \n" | b" \r" | b"\r\n");
    if raw[10] != b' ' || raw[16] != b' ' || !eol_ok {
        return Err(bad);
    }
    let generation = u16::try_from(generation).map_err(|_| bad.clone())?;
    match raw[17] {
        b'n' => Ok(XrefEntry::InUse {
            offset: usize::try_from(first).map_err(|_| bad.clone())?,
            generation,
        }),
        b'f' => Ok(XrefEntry::Free {
            next: u32::try_from(first).map_err(|_| bad.clone())?,
            generation,
        }),
        _ => Err(bad),
    }
}

fn read_decimal(cursor: &mut Cursor<'_>) -> Option<usize> {
    let start = cursor.pos();
    let mut value: usize = 0;
    while let Some(digit) = cursor.peek().filter(u8::is_ascii_digit) {
        value = value
            .checked_mul(10)?
            .checked_add(usize::from(digit - b'0'))?;
        cursor.next_byte();
    }
    (cursor.pos() > start).then_some(value)
}

/// Add an entry; object 0 can only be free, and a number can appear once per section.
fn insert_entry(
    entries: &mut Entries,
    number: u32,
    entry: XrefEntry,
    at: usize,
) -> Result<(), PdfError> {
    if number == 0 && !matches!(entry, XrefEntry::Free { .. }) {
        return Err(PdfError::xref(at, "object 0 must be free"));
    }
    if entries.insert(number, entry).is_some() {
        return Err(PdfError::xref(
            at,
            "object listed twice in one xref section",
        ));
    }
    Ok(())
}

/// An xref stream object at `offset`: its entries, its dictionary, and where it ends.
fn read_stream(
    bytes: &[u8],
    offset: usize,
    budget: &mut Budget,
) -> Result<(Entries, Dict, usize), PdfError> {
    let mut parser = Parser::new(bytes, offset);
    let mut direct_only = |_: ObjRef| -> Result<i64, PdfError> {
        Err(PdfError::xref(
            offset,
            "an xref stream's /Length must be direct",
        ))
    };
    let indirect = parser.indirect(&mut direct_only)?;
    let Object::Stream(stream) = indirect.object else {
        return Err(PdfError::xref(offset, "xref stream offset holds no stream"));
    };
    if stream.dict.type_name().is_none_or(|name| *name != "XRef") {
        return Err(PdfError::xref(offset, "xref stream without /Type /XRef"));
    }
    let range = stream.file_range().unwrap_or_default();
    let data = filter::decode(&stream.dict, &bytes[range], MAX_XREF_STREAM_BYTES, offset)?;
    let layout = StreamLayout::read(&stream.dict, offset)?;
    let entries = layout.entries(&data, offset, budget)?;
    Ok((entries, stream.dict, indirect.end))
}

/// `/W` and `/Index` of an xref stream.
struct StreamLayout {
    widths: [usize; 3],
    subsections: Vec<(u64, u64)>,
}

impl StreamLayout {
    fn read(dict: &Dict, offset: usize) -> Result<Self, PdfError> {
        let bad_w = PdfError::xref(offset, "/W must be three integers from 0 to 8");
        let widths: Vec<usize> = dict
            .get("W")
            .and_then(Object::as_array)
            .ok_or(bad_w.clone())?
            .iter()
            .map(|w| {
                w.as_i64()
                    .and_then(|w| usize::try_from(w).ok())
                    .filter(|&w| w <= 8)
            })
            .collect::<Option<_>>()
            .ok_or(bad_w.clone())?;
        let widths: [usize; 3] = widths.try_into().map_err(|_| bad_w)?;
        if widths[1] == 0 {
            return Err(PdfError::xref(offset, "/W gives the second field no bytes"));
        }
        let bad_size = PdfError::xref(offset, "/Size must be an integer in range");
        let size = dict
            .get("Size")
            .and_then(Object::as_i64)
            .and_then(|size| u64::try_from(size).ok())
            .filter(|&size| size <= u64::from(MAX_OBJECT_NUMBER) + 1)
            .ok_or(bad_size)?;
        let subsections = match dict.get("Index") {
            None => vec![(0, size)],
            Some(Object::Array(items)) if items.len() % 2 == 0 => items
                .chunks(2)
                .map(|pair| Some((non_negative(&pair[0])?, non_negative(&pair[1])?)))
                .collect::<Option<_>>()
                .ok_or_else(|| PdfError::xref(offset, "/Index must hold non-negative integers"))?,
            Some(_) => return Err(PdfError::xref(offset, "/Index must be pairs of integers")),
        };
        Ok(StreamLayout {
            widths,
            subsections,
        })
    }

    fn entries(
        &self,
        data: &[u8],
        offset: usize,
        budget: &mut Budget,
    ) -> Result<Entries, PdfError> {
        let width: usize = self.widths.iter().sum();
        let count = self
            .subsections
            .iter()
            .try_fold(0u64, |acc, &(_, count)| acc.checked_add(count));
        let expected = count.and_then(|count| count.checked_mul(width as u64));
        if expected != Some(data.len() as u64) {
            return Err(PdfError::xref(
                offset,
                "xref stream length does not match /Index and /W",
            ));
        }
        budget
            .spend(count.unwrap_or(0))
            .map_err(|exhausted| PdfError::budget(exhausted, offset))?;
        let mut entries = BTreeMap::new();
        let mut rows = data.chunks(width);
        for &(first, count) in &self.subsections {
            for i in 0..count {
                let number = first
                    .checked_add(i)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|&n| n <= MAX_OBJECT_NUMBER)
                    .ok_or_else(|| PdfError::xref(offset, "object number out of range"))?;
                // The length check above guarantees one row per entry.
                let row = rows.next().unwrap_or_default();
                if let Some(entry) = self.entry(row, offset)? {
                    insert_entry(&mut entries, number, entry, offset)?;
                }
            }
        }
        Ok(entries)
    }

    /// One row; `None` for entry types other than 0, 1 and 2, which readers must ignore.
    fn entry(&self, row: &[u8], offset: usize) -> Result<Option<XrefEntry>, PdfError> {
        let (a, rest) = row.split_at(self.widths[0]);
        let (b, c) = rest.split_at(self.widths[1]);
        let kind = if a.is_empty() { 1 } else { be(a) };
        let (b, c) = (be(b), be(c));
        let bad = PdfError::xref(offset, "xref stream entry field out of range");
        Ok(Some(match kind {
            0 => XrefEntry::Free {
                next: u32::try_from(b).map_err(|_| bad.clone())?,
                generation: u16::try_from(c).unwrap_or(u16::MAX),
            },
            1 => XrefEntry::InUse {
                offset: usize::try_from(b).map_err(|_| bad.clone())?,
                generation: u16::try_from(c).map_err(|_| bad.clone())?,
            },
            2 => XrefEntry::Compressed {
                stream: u32::try_from(b)
                    .ok()
                    .filter(|&n| (1..=MAX_OBJECT_NUMBER).contains(&n))
                    .ok_or(bad.clone())?,
                index: u32::try_from(c).map_err(|_| bad)?,
            },
            _ => return Ok(None),
        }))
    }
}

fn non_negative(object: &Object) -> Option<u64> {
    object.as_i64().and_then(|value| u64::try_from(value).ok())
}

/// A big-endian unsigned integer of up to 8 bytes.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget::new("test xref entries", 1000)
    }

    #[test]
    fn table_with_two_subsections() {
        let pdf = b"xref\n0 2\n0000000000 65535 f \n0000000015 00000 n \n5 1\n0000000100 00002 n\r\ntrailer\n<< /Size 6 >>\nstartxref\n0\n%%EOF\n";
        let section = read_section(pdf, 0, false, &mut budget()).expect("valid table");
        assert_eq!(section.kind, XrefKind::Table);
        assert_eq!(
            section.entries.get(&5),
            Some(&XrefEntry::InUse {
                offset: 100,
                generation: 2
            })
        );
        let (eof, end) = section.eof.expect("marker");
        assert_eq!(end, pdf.len());
        assert_eq!(&pdf[eof..eof + 5], b"%%EOF");
    }

    #[test]
    fn short_entries_and_huge_counts_are_errors() {
        let short = b"xref\n0 2\n0000000000 65535 f\n0000000015 00000 n\ntrailer << >>";
        assert!(matches!(
            read_section(short, 0, false, &mut budget()),
            Err(PdfError::Xref { offset: 9, .. })
        ));
        let huge = b"xref\n0 1000000000\n0000000000 65535 f \ntrailer << >>";
        assert!(matches!(
            read_section(huge, 0, false, &mut budget()),
            Err(PdfError::Xref { offset: 5, .. })
        ));
    }

    #[test]
    fn missing_trailer() {
        let pdf = b"xref\n0 1\n0000000000 65535 f \nstartxref\n0\n%%EOF";
        assert!(matches!(
            read_section(pdf, 0, false, &mut budget()),
            Err(PdfError::MissingTrailer { offset: 29 })
        ));
    }

    #[test]
    fn tail_rejects_garbage_after_eof() {
        assert_eq!(
            find_tail(b"%PDF-1.7\nstartxref\n9\n%%EOF\r\n  \n"),
            Ok(Tail {
                startxref: 9,
                eof: 21,
                end: 28
            })
        );
        assert_eq!(
            find_tail(b"startxref\n9\n%%EOF\n1 0 obj"),
            Err(PdfError::UnaccountedBytes { offset: 18, len: 7 })
        );
        assert!(matches!(
            find_tail(b"%PDF-1.7\n1 0 obj"),
            Err(PdfError::MissingEof { .. })
        ));
    }
}

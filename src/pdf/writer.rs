//! The serializer and the incremental writer (cập nhật gia tăng).
//!
//! An update appends objects after the original bytes, which stay untouched, then an xref
//! section of the same kind as the newest revision's (a classic table with subsections, or an
//! xref stream), a trailer carrying `/Root`, `/Info` and `/ID` with `/Prev` and `/Size`, and
//! `startxref … %%EOF`. Serialization is deterministic: the same objects give the same bytes.
//!
//! For signatures the writer reserves a `/ByteRange` and a `/Contents` placeholder in one new
//! object and reports their exact offsets in the output, so nothing is searched for afterwards
//! ([`SignaturePlaceholder`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::ops::Range;

use super::document::Document;
use super::error::PdfError;
use super::limits::MAX_OBJECT_NUMBER;
use super::object::{Dict, Name, ObjRef, Object, PdfString, Stream, StreamData};
use super::xref::{XrefEntry, XrefKind};

/// The `/ByteRange` placeholder: four numbers of up to ten digits each fit once patched.
const BYTE_RANGE_PLACEHOLDER: &[u8] = b"[0 0000000000 0000000000 0000000000]";

/// Serialize one object into `out`. `file` holds the bytes that file-backed streams
/// ([`StreamData::File`]) point into; a range outside it is an error.
pub fn serialize(object: &Object, file: &[u8], out: &mut Vec<u8>) -> Result<(), PdfError> {
    match object {
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(item, file, out)?;
            }
            out.push(b']');
        }
        Object::Bool(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Dict(dict) => write_dict(dict, file, out)?,
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Name(name) => write_name(name, out),
        Object::Null => out.extend_from_slice(b"null"),
        Object::Real(value) => write_real(*value, out),
        Object::Ref(reference) => out.extend_from_slice(
            format!("{} {} R", reference.number, reference.generation).as_bytes(),
        ),
        Object::Stream(stream) => write_stream(stream, file, out)?,
        Object::String(string) => write_string(string, out),
    }
    Ok(())
}

fn write_dict(dict: &Dict, file: &[u8], out: &mut Vec<u8>) -> Result<(), PdfError> {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        out.push(b' ');
        write_name(key, out);
        out.push(b' ');
        serialize(value, file, out)?;
    }
    out.extend_from_slice(b" >>");
    Ok(())
}

fn write_stream(stream: &Stream, file: &[u8], out: &mut Vec<u8>) -> Result<(), PdfError> {
    let data = match &stream.data {
        StreamData::File(range) => file.get(range.clone()).ok_or(PdfError::WriterMisuse {
            reason: "a file-backed stream points outside the document it was read from",
        })?,
        StreamData::Owned(data) => data.as_slice(),
    };
    let mut dict = stream.dict.clone();
    dict.insert("Length", Object::Integer(data.len() as i64));
    write_dict(&dict, file, out)?;
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    Ok(())
}

/// `/Name`, with `#xx` for bytes that are not regular printable characters, and for `#`.
fn write_name(name: &Name, out: &mut Vec<u8>) {
    out.push(b'/');
    for &byte in name.as_bytes() {
        let plain =
            (0x21..=0x7e).contains(&byte) && byte != b'#' && !super::lexer::is_delimiter(byte);
        if plain {
            out.push(byte);
        } else {
            out.extend_from_slice(format!("#{byte:02X}").as_bytes());
        }
    }
}

/// Shortest decimal that reads back as the same `f64`, never with an exponent.
fn write_real(value: f64, out: &mut Vec<u8>) {
    if !value.is_finite() {
        // Only callers can build these; PDF has no NaN or infinity.
        out.push(b'0');
        return;
    }
    let text = value.to_string();
    out.extend_from_slice(text.as_bytes());
    if !text.contains('.') {
        out.extend_from_slice(b".0");
    }
}

/// Hex strings as `<…>`; literal strings with every non-printable byte escaped, so that no
/// end-of-line inside the string can be normalized by a reader.
fn write_string(string: &PdfString, out: &mut Vec<u8>) {
    if string.hex {
        out.push(b'<');
        for byte in string.bytes.iter() {
            out.extend_from_slice(format!("{byte:02X}").as_bytes());
        }
        out.push(b'>');
        return;
    }
    out.push(b'(');
    for &byte in string.bytes.iter() {
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x20..=0x7e => out.push(byte),
            _ => out.extend_from_slice(format!("\\{byte:03o}").as_bytes()),
        }
    }
    out.push(b')');
}

/// Where a signature's placeholders are in the output, and how to fill them.
///
/// The ranges are absolute offsets into [`Update::bytes`]: `contents` spans the whole hex
/// string including `<` and `>` (what the `/ByteRange` leaves out), and `byte_range` spans
/// the array including `[` and `]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignaturePlaceholder {
    /// The signature dictionary's object.
    pub reference: ObjRef,
    /// The `/Contents` hex string, delimiters included.
    pub contents: Range<usize>,
    /// The `/ByteRange` array, brackets included.
    pub byte_range: Range<usize>,
}

impl SignaturePlaceholder {
    /// Bytes of signature value (DER) the `/Contents` space holds.
    pub fn capacity(&self) -> usize {
        self.contents.len().saturating_sub(2) / 2
    }

    /// The `/ByteRange` for a file of `file_len` bytes: everything but `/Contents`.
    pub fn byte_range_values(&self, file_len: usize) -> [usize; 4] {
        [
            0,
            self.contents.start,
            self.contents.end,
            file_len.saturating_sub(self.contents.end),
        ]
    }

    /// Write the real `/ByteRange` into its placeholder (padded with spaces, same width).
    /// Do this before hashing: the `/ByteRange` is part of the signed bytes.
    pub fn patch_byte_range(&self, bytes: &mut [u8]) -> Result<[usize; 4], PdfError> {
        self.check(bytes)?;
        let values = self.byte_range_values(bytes.len());
        let text = format!("[{} {} {} {}", values[0], values[1], values[2], values[3]);
        let slot = &mut bytes[self.byte_range.clone()];
        if text.len() + 1 > slot.len() {
            return Err(PdfError::WriterMisuse {
                reason: "file too large for the /ByteRange placeholder",
            });
        }
        slot.fill(b' ');
        slot[..text.len()].copy_from_slice(text.as_bytes());
        let last = slot.len() - 1;
        slot[last] = b']';
        Ok(values)
    }

    /// The two signed byte ranges: before and after `/Contents`.
    pub fn signed_data<'b>(&self, bytes: &'b [u8]) -> [&'b [u8]; 2] {
        let end = bytes.len();
        let first = &bytes[..self.contents.start.min(end)];
        let second = &bytes[self.contents.end.min(end)..];
        [first, second]
    }

    /// Write the signature value (the CMS DER) into `/Contents` as hex; the rest of the space
    /// stays `0`. Fails with [`PdfError::ContentsTooSmall`] if it does not fit.
    pub fn patch_contents(&self, bytes: &mut [u8], value: &[u8]) -> Result<(), PdfError> {
        self.check(bytes)?;
        if value.len() > self.capacity() {
            return Err(PdfError::ContentsTooSmall {
                reserved: self.capacity(),
                needed: value.len(),
            });
        }
        let start = self.contents.start + 1;
        let slot = &mut bytes[start..self.contents.end - 1];
        slot.fill(b'0');
        let mut hex = Vec::with_capacity(value.len() * 2);
        for byte in value {
            // Writing to a Vec cannot fail.
            let _ = write!(hex, "{byte:02X}");
        }
        slot[..hex.len()].copy_from_slice(&hex);
        Ok(())
    }

    /// The placeholders must still be where they were written.
    fn check(&self, bytes: &[u8]) -> Result<(), PdfError> {
        let at = |range: &Range<usize>, open: u8, close: u8| {
            range.end <= bytes.len()
                && range.len() >= 2
                && bytes[range.start] == open
                && bytes[range.end - 1] == close
        };
        if at(&self.contents, b'<', b'>') && at(&self.byte_range, b'[', b']') {
            Ok(())
        } else {
            Err(PdfError::WriterMisuse {
                reason: "the signature placeholders are not at their recorded offsets",
            })
        }
    }
}

/// The result of an incremental update.
#[derive(Debug, Clone)]
pub struct Update {
    /// The whole new file: the original bytes, untouched, then the update.
    pub bytes: Vec<u8>,
    /// Where the original bytes end (the update starts here).
    pub original_len: usize,
    /// Where each written object's `n g obj` starts, by number.
    pub offsets: BTreeMap<u32, usize>,
    /// Where the new xref section starts (the new `startxref`).
    pub xref_offset: usize,
    /// The signature placeholders, when the update has a signature dictionary.
    pub signature: Option<SignaturePlaceholder>,
}

/// An object waiting to be written.
#[derive(Debug, Clone)]
enum Pending {
    Object(u16, Object),
    Signature {
        generation: u16,
        dict: Dict,
        capacity: usize,
    },
}

impl Pending {
    fn generation(&self) -> u16 {
        match self {
            Pending::Object(generation, _) | Pending::Signature { generation, .. } => *generation,
        }
    }
}

/// What `finish` has written so far.
#[derive(Debug, Default)]
struct Written {
    entries: BTreeMap<u32, XrefEntry>,
    offsets: BTreeMap<u32, usize>,
    signature: Option<SignaturePlaceholder>,
}

/// Builds one incremental update of a document.
#[derive(Debug)]
pub struct IncrementalWriter<'d> {
    document: &'d Document,
    next_number: u32,
    allocated: BTreeSet<u32>,
    objects: BTreeMap<u32, Pending>,
    signature: Option<ObjRef>,
}

impl<'d> IncrementalWriter<'d> {
    /// A writer appending to `document`; refuses encrypted documents.
    pub fn new(document: &'d Document) -> Result<Self, PdfError> {
        document.require_unencrypted()?;
        Ok(IncrementalWriter {
            document,
            next_number: document.next_object_number(),
            allocated: BTreeSet::new(),
            objects: BTreeMap::new(),
            signature: None,
        })
    }

    /// A new object number, to be given an object with [`IncrementalWriter::set`] before
    /// [`IncrementalWriter::finish`] (for objects that refer to each other).
    pub fn allocate(&mut self) -> Result<ObjRef, PdfError> {
        if self.next_number > MAX_OBJECT_NUMBER {
            return Err(PdfError::WriterMisuse {
                reason: "object numbers exhausted",
            });
        }
        let number = self.next_number;
        self.next_number += 1;
        self.allocated.insert(number);
        Ok(ObjRef::new(number, 0))
    }

    /// Add a new object; returns its reference.
    pub fn add(&mut self, object: impl Into<Object>) -> Result<ObjRef, PdfError> {
        let reference = self.allocate()?;
        self.set(reference, object)?;
        Ok(reference)
    }

    /// Write `object` as `reference`: a replacement for an existing object, or the object of
    /// an allocated number.
    pub fn set(&mut self, reference: ObjRef, object: impl Into<Object>) -> Result<(), PdfError> {
        self.check_number(reference)?;
        if self.signature.is_some_and(|r| r.number == reference.number) {
            self.signature = None;
        }
        let pending = Pending::Object(reference.generation, object.into());
        self.objects.insert(reference.number, pending);
        Ok(())
    }

    /// Add a signature dictionary (`/Type /Sig` or `/DocTimeStamp`) with a `/ByteRange`
    /// placeholder and `capacity` bytes reserved in `/Contents`. Any `/ByteRange` or
    /// `/Contents` in `dict` is replaced. One per update.
    pub fn add_signature(&mut self, dict: Dict, capacity: usize) -> Result<ObjRef, PdfError> {
        if self.signature.is_some() {
            return Err(PdfError::WriterMisuse {
                reason: "one signature per incremental update",
            });
        }
        check_capacity(capacity)?;
        let reference = self.allocate()?;
        self.set_signature(reference, dict, capacity)?;
        Ok(reference)
    }

    /// As [`IncrementalWriter::add_signature`], for an allocated or existing number.
    pub fn set_signature(
        &mut self,
        reference: ObjRef,
        mut dict: Dict,
        capacity: usize,
    ) -> Result<(), PdfError> {
        self.check_number(reference)?;
        if self.signature.is_some_and(|r| r.number != reference.number) {
            return Err(PdfError::WriterMisuse {
                reason: "one signature per incremental update",
            });
        }
        check_capacity(capacity)?;
        dict.remove("ByteRange");
        dict.remove("Contents");
        let pending = Pending::Signature {
            generation: reference.generation,
            dict,
            capacity,
        };
        self.objects.insert(reference.number, pending);
        self.signature = Some(reference);
        Ok(())
    }

    /// Append everything: objects in number order, the xref section, the trailer.
    pub fn finish(self) -> Result<Update, PdfError> {
        if self.allocated.iter().any(|n| !self.objects.contains_key(n)) {
            return Err(PdfError::WriterMisuse {
                reason: "an allocated object number was never given an object",
            });
        }
        if self.objects.is_empty() {
            return Err(PdfError::WriterMisuse {
                reason: "an update needs at least one object",
            });
        }
        let original = self.document.bytes();
        let mut out = Vec::with_capacity(original.len() + 4096);
        out.extend_from_slice(original);
        if !matches!(original.last(), Some(b'\n' | b'\r')) {
            out.push(b'\n');
        }
        let mut written = Written::default();
        for (&number, pending) in &self.objects {
            let start = out.len();
            written.offsets.insert(number, start);
            let generation = pending.generation();
            let placeholder =
                write_indirect(ObjRef::new(number, generation), pending, original, &mut out)?;
            written.signature = written.signature.or(placeholder);
            written.entries.insert(
                number,
                XrefEntry::InUse {
                    offset: start,
                    generation,
                },
            );
        }
        let xref_offset = out.len();
        self.write_xref(&mut written, &mut out)?;
        out.extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF\n").as_bytes());
        Ok(Update {
            bytes: out,
            original_len: original.len(),
            offsets: written.offsets,
            xref_offset,
            signature: written.signature,
        })
    }

    /// The xref section and trailer, in the kind of the newest revision's.
    fn write_xref(&self, written: &mut Written, out: &mut Vec<u8>) -> Result<(), PdfError> {
        let original = self.document.bytes();
        let xref_offset = out.len();
        let mut trailer = self.carried_trailer();
        match self.document.newest().xref_kind() {
            XrefKind::Table | XrefKind::Hybrid => {
                trailer.insert(
                    "Size",
                    Object::Integer(i64::from(self.size(&written.entries))),
                );
                write_table(&written.entries, &trailer, original, out)
            }
            XrefKind::Stream => {
                let number = self.next_number.max(self.size(&written.entries));
                if number > MAX_OBJECT_NUMBER {
                    return Err(PdfError::WriterMisuse {
                        reason: "object numbers exhausted",
                    });
                }
                let entry = XrefEntry::InUse {
                    offset: xref_offset,
                    generation: 0,
                };
                written.entries.insert(number, entry);
                written.offsets.insert(number, xref_offset);
                trailer.insert("Size", Object::Integer(i64::from(number) + 1));
                write_xref_stream(number, &written.entries, trailer, original, out)
            }
        }
    }

    fn check_number(&self, reference: ObjRef) -> Result<(), PdfError> {
        if reference.number == 0 || reference.number >= self.next_number {
            return Err(PdfError::WriterMisuse {
                reason: "object number neither in the document nor allocated",
            });
        }
        Ok(())
    }

    /// `/Size`: one past the highest number in the document or this update.
    fn size(&self, entries: &BTreeMap<u32, XrefEntry>) -> u32 {
        let written = entries.keys().next_back().map_or(0, |&n| n + 1);
        self.document.next_object_number().max(written)
    }

    /// `/Root`, `/Info` and `/ID` of the newest trailer, and `/Prev`.
    fn carried_trailer(&self) -> Dict {
        let mut trailer = Dict::new();
        trailer.insert("Size", Object::Integer(0));
        for key in ["Root", "Info", "ID"] {
            if let Some(value) = self.document.trailer().get(key) {
                trailer.insert(key, value.clone());
            }
        }
        trailer.insert("Prev", Object::Integer(self.document.startxref() as i64));
        trailer
    }
}

/// The `/Contents` reservation must be non-empty and fit in a string the reader accepts.
fn check_capacity(capacity: usize) -> Result<(), PdfError> {
    if capacity == 0 || capacity > super::limits::MAX_STRING_BYTES / 2 {
        return Err(PdfError::WriterMisuse {
            reason: "signature capacity must be between 1 byte and 4 MiB",
        });
    }
    Ok(())
}

/// `n g obj … endobj`; for a signature dictionary, returns where its placeholders are.
fn write_indirect(
    reference: ObjRef,
    pending: &Pending,
    file: &[u8],
    out: &mut Vec<u8>,
) -> Result<Option<SignaturePlaceholder>, PdfError> {
    out.extend_from_slice(
        format!("{} {} obj\n", reference.number, reference.generation).as_bytes(),
    );
    let placeholder = match pending {
        Pending::Object(_, object) => {
            serialize(object, file, out)?;
            None
        }
        Pending::Signature { dict, capacity, .. } => {
            Some(write_signature_dict(reference, dict, *capacity, file, out)?)
        }
    };
    out.extend_from_slice(b"\nendobj\n");
    Ok(placeholder)
}

/// The dictionary's own entries, then `/ByteRange [0 0000000000 …]` and `/Contents <00…>`.
fn write_signature_dict(
    reference: ObjRef,
    dict: &Dict,
    capacity: usize,
    file: &[u8],
    out: &mut Vec<u8>,
) -> Result<SignaturePlaceholder, PdfError> {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        out.push(b' ');
        write_name(key, out);
        out.push(b' ');
        serialize(value, file, out)?;
    }
    out.extend_from_slice(b" /ByteRange ");
    let byte_range = out.len()..out.len() + BYTE_RANGE_PLACEHOLDER.len();
    out.extend_from_slice(BYTE_RANGE_PLACEHOLDER);
    out.extend_from_slice(b" /Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.resize(out.len() + capacity * 2, b'0');
    out.push(b'>');
    let contents = contents_start..out.len();
    out.extend_from_slice(b" >>");
    Ok(SignaturePlaceholder {
        reference,
        contents,
        byte_range,
    })
}

/// Runs of consecutive object numbers: (first, entries).
fn subsections(entries: &BTreeMap<u32, XrefEntry>) -> Vec<(u32, Vec<XrefEntry>)> {
    let mut runs: Vec<(u32, Vec<XrefEntry>)> = Vec::new();
    for (&number, &entry) in entries {
        match runs.last_mut() {
            Some((first, run)) if *first as usize + run.len() == number as usize => run.push(entry),
            _ => runs.push((number, vec![entry])),
        }
    }
    runs
}

fn write_table(
    entries: &BTreeMap<u32, XrefEntry>,
    trailer: &Dict,
    file: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), PdfError> {
    out.extend_from_slice(b"xref\n");
    for (first, run) in subsections(entries) {
        out.extend_from_slice(format!("{first} {}\n", run.len()).as_bytes());
        for entry in run {
            if let XrefEntry::InUse { offset, generation } = entry {
                out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
            }
        }
    }
    out.extend_from_slice(b"trailer\n");
    write_dict(trailer, file, out)?;
    out.push(b'\n');
    Ok(())
}

/// An unfiltered xref stream with `/W [1 n 2]`, `n` the bytes the largest offset needs.
fn write_xref_stream(
    number: u32,
    entries: &BTreeMap<u32, XrefEntry>,
    mut dict: Dict,
    file: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), PdfError> {
    let max_offset = entries
        .values()
        .map(|entry| match entry {
            XrefEntry::InUse { offset, .. } => *offset as u64,
            _ => 0,
        })
        .max()
        .unwrap_or(0);
    let width = (8 - (max_offset.leading_zeros() / 8) as usize).max(1);
    let mut data = Vec::new();
    let mut index = Vec::new();
    for (first, run) in subsections(entries) {
        index.push(Object::Integer(i64::from(first)));
        index.push(Object::Integer(run.len() as i64));
        for entry in run {
            if let XrefEntry::InUse { offset, generation } = entry {
                data.push(1);
                data.extend_from_slice(&(offset as u64).to_be_bytes()[8 - width..]);
                data.extend_from_slice(&generation.to_be_bytes());
            }
        }
    }
    let mut stream_dict = Dict::new();
    stream_dict.insert("Type", Object::name("XRef"));
    for (key, value) in dict.iter() {
        stream_dict.insert(key.clone(), value.clone());
    }
    dict = stream_dict;
    dict.insert("Index", Object::Array(index));
    dict.insert(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(width as i64),
            Object::Integer(2),
        ]),
    );
    let stream = Object::Stream(Stream::new(dict, data));
    out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    serialize(&stream, file, out)?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::parser::parse_object;

    fn round_trip(object: &Object) -> Object {
        let mut out = Vec::new();
        serialize(object, &[], &mut out).expect("direct object");
        parse_object(&out).expect("serializer output parses")
    }

    #[test]
    fn serializer_round_trips() {
        let mut dict = Dict::new();
        dict.insert("Type", Object::name("Annot"));
        dict.insert(Name::new(b"odd name#(".to_vec()), Object::Real(0.1));
        dict.insert("T", PdfString::text("Ngày ký"));
        dict.insert("Raw", PdfString::literal(b"a(b\\c\r\n\x00\xff".to_vec()));
        dict.insert("Hex", PdfString::hex(vec![0, 1, 0xab]));
        dict.insert(
            "A",
            Object::Array(vec![
                Object::Integer(5),
                Object::Integer(0),
                Object::Ref(ObjRef::new(7, 0)),
                Object::Real(-2.0),
                Object::Real(1e-7),
                Object::Null,
                Object::Bool(false),
            ]),
        );
        let object = Object::Dict(dict);
        assert_eq!(round_trip(&object), object);
    }

    #[test]
    fn serializer_is_compact_and_deterministic() {
        let object = parse_object(b"<</A [1 2.5 /N (s)] /B 3 0 R>>").expect("valid");
        let mut out = Vec::new();
        serialize(&object, &[], &mut out).expect("direct");
        assert_eq!(out, b"<< /A [1 2.5 /N (s)] /B 3 0 R >>");
    }

    #[test]
    fn subsections_group_consecutive_numbers() {
        let entry = XrefEntry::InUse {
            offset: 0,
            generation: 0,
        };
        let entries: BTreeMap<u32, XrefEntry> = [1, 2, 3, 7, 9, 10]
            .into_iter()
            .map(|n| (n, entry))
            .collect();
        let runs: Vec<(u32, usize)> = subsections(&entries)
            .into_iter()
            .map(|(first, run)| (first, run.len()))
            .collect();
        assert_eq!(runs, [(1, 3), (7, 1), (9, 2)]);
    }
}

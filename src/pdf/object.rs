//! PDF objects: the values the lexer and parser produce and the writer serializes.
//!
//! A [`Stream`] read from a file does not copy its data: it keeps the byte range of the raw
//! (still encoded) data in the file ([`StreamData::File`]). Streams made by the signer carry
//! their own bytes ([`StreamData::Owned`]).

use std::fmt;
use std::io::Write;
use std::ops::Range;

/// An indirect reference `n g R` (tham chiếu gián tiếp).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    /// Object number, at least 1.
    pub number: u32,
    /// Generation number.
    pub generation: u16,
}

impl ObjRef {
    /// The reference `number generation R`.
    pub fn new(number: u32, generation: u16) -> Self {
        ObjRef { number, generation }
    }
}

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} R", self.number, self.generation)
    }
}

/// A name (`/Type`), as its decoded bytes (`#xx` escapes resolved, no leading slash).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(pub Vec<u8>);

impl Name {
    /// The name with these bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Name(bytes.into())
    }

    /// The decoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(name: &str) -> Self {
        Name(name.as_bytes().to_vec())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

/// A string (`(literal)` or `<hex>`), as its decoded bytes. Two strings are equal when their
/// bytes are: the form they were written in carries no meaning (ISO 32000-2 §7.3.4), and
/// another writer (pyHanko rewrites hex strings as literals) must not make a value "change".
#[derive(Debug, Clone)]
pub struct PdfString {
    /// The bytes, escapes resolved; shared, so that copies of a parsed object (a signature
    /// dictionary's `/Contents` is kilobytes) do not copy them.
    pub bytes: std::sync::Arc<[u8]>,
    /// Written as a hex string; the writer keeps the form.
    pub hex: bool,
}

impl PartialEq for PdfString {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for PdfString {}

impl std::hash::Hash for PdfString {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl PdfString {
    /// A literal string with these bytes.
    pub fn literal(bytes: impl Into<Vec<u8>>) -> Self {
        PdfString {
            bytes: bytes.into().into(),
            hex: false,
        }
    }

    /// A hex string with these bytes.
    pub fn hex(bytes: impl Into<Vec<u8>>) -> Self {
        PdfString {
            bytes: bytes.into().into(),
            hex: true,
        }
    }

    /// A text string (chuỗi văn bản) for `text`: PDFDocEncoding when the text is printable
    /// ASCII, UTF-16BE with a byte-order mark otherwise ("Số: 36/KH-CĐN").
    pub fn text(text: &str) -> Self {
        if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return PdfString::literal(text.as_bytes());
        }
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        PdfString::literal(bytes)
    }

    /// The string decoded as a text string: UTF-16BE or UTF-8 with a byte-order mark, else
    /// PDFDocEncoding (ISO 32000-1 §7.9.2.2). Undecodable units become U+FFFD.
    pub fn to_text(&self) -> String {
        decode_text(&self.bytes)
    }
}

/// A dictionary with its keys in file order (or insertion order), each key once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dict {
    entries: Vec<(Name, Object)>,
}

impl Dict {
    /// An empty dictionary.
    pub fn new() -> Self {
        Dict::default()
    }

    /// The value for `key` (without the slash: `"Type"`).
    pub fn get(&self, key: impl AsRef<[u8]>) -> Option<&Object> {
        let key = key.as_ref();
        self.entries
            .iter()
            .find(|(name, _)| name.0 == key)
            .map(|(_, value)| value)
    }

    /// The value for `key`, mutable.
    pub fn get_mut(&mut self, key: impl AsRef<[u8]>) -> Option<&mut Object> {
        let key = key.as_ref();
        self.entries
            .iter_mut()
            .find(|(name, _)| name.0 == key)
            .map(|(_, value)| value)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: impl AsRef<[u8]>) -> bool {
        self.get(key).is_some()
    }

    /// Set `key` to `value`: replaced in place when present, appended otherwise. Returns the
    /// old value.
    pub fn insert(&mut self, key: impl Into<Name>, value: impl Into<Object>) -> Option<Object> {
        let key = key.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(name, _)| *name == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Remove `key`, returning its value; the other keys keep their order.
    pub fn remove(&mut self, key: impl AsRef<[u8]>) -> Option<Object> {
        let key = key.as_ref();
        let index = self.entries.iter().position(|(name, _)| name.0 == key)?;
        Some(self.entries.remove(index).1)
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &Object)> {
        self.entries.iter().map(|(name, value)| (name, value))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `/Type`, when it is a name.
    pub fn type_name(&self) -> Option<&Name> {
        self.get("Type").and_then(Object::as_name)
    }

    /// Append without checking for duplicates; the parser checks before calling.
    pub(crate) fn push_unchecked(&mut self, key: Name, value: Object) {
        self.entries.push((key, value));
    }
}

impl From<Name> for Object {
    fn from(name: Name) -> Self {
        Object::Name(name)
    }
}

/// Where a stream's raw (encoded) data is.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamData {
    /// A byte range of the file the stream was read from; not copied.
    File(Range<usize>),
    /// Bytes held by the stream (made by the writer's callers).
    Owned(Vec<u8>),
}

/// A stream: its dictionary and its raw data (luồng).
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// The stream dictionary. When writing, `/Length` is set from the data.
    pub dict: Dict,
    /// The raw data, as stored (still filtered).
    pub data: StreamData,
}

impl Stream {
    /// A stream holding `data` unfiltered.
    pub fn new(dict: Dict, data: Vec<u8>) -> Self {
        Stream {
            dict,
            data: StreamData::Owned(data),
        }
    }

    /// A stream holding `data` compressed with `/FlateDecode` (deterministic output).
    pub fn flate(mut dict: Dict, data: &[u8]) -> Self {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        let compressed = encoder
            .write_all(data)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        dict.insert("Filter", Name::from("FlateDecode"));
        Stream::new(dict, compressed)
    }

    /// The file range of the raw data, for a stream read from a file.
    pub fn file_range(&self) -> Option<Range<usize>> {
        match &self.data {
            StreamData::File(range) => Some(range.clone()),
            StreamData::Owned(_) => None,
        }
    }
}

/// A PDF object (đối tượng PDF).
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `[ … ]`
    Array(Vec<Object>),
    /// `true`, `false`
    Bool(bool),
    /// `<< … >>`
    Dict(Dict),
    /// An integer.
    Integer(i64),
    /// `/Name`
    Name(Name),
    /// `null`, and what a reference to a free or missing object resolves to.
    Null,
    /// A real number.
    Real(f64),
    /// `n g R`
    Ref(ObjRef),
    /// A dictionary followed by `stream … endstream` (only as an indirect object).
    Stream(Stream),
    /// `( … )` or `< … >`
    String(PdfString),
}

impl Object {
    /// A name object.
    pub fn name(name: &str) -> Self {
        Object::Name(Name::from(name))
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Object::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Object::Integer(value) => Some(*value),
            _ => None,
        }
    }

    /// The number (integer or real) as `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Object::Integer(value) => Some(*value as f64),
            Object::Real(value) => Some(*value),
            _ => None,
        }
    }

    /// The name, if this is one.
    pub fn as_name(&self) -> Option<&Name> {
        match self {
            Object::Name(name) => Some(name),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_string(&self) -> Option<&PdfString> {
        match self {
            Object::String(string) => Some(string),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The dictionary, if this is one (not a stream's: see [`Object::as_stream`]).
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(dict) => Some(dict),
            _ => None,
        }
    }

    /// The stream, if this is one.
    pub fn as_stream(&self) -> Option<&Stream> {
        match self {
            Object::Stream(stream) => Some(stream),
            _ => None,
        }
    }

    /// The reference, if this is one.
    pub fn as_reference(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(reference) => Some(*reference),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Object::Null)
    }

    /// The kind of object, for messages ("dictionary", "stream"…).
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Array(_) => "array",
            Object::Bool(_) => "boolean",
            Object::Dict(_) => "dictionary",
            Object::Integer(_) => "integer",
            Object::Name(_) => "name",
            Object::Null => "null",
            Object::Real(_) => "real",
            Object::Ref(_) => "reference",
            Object::Stream(_) => "stream",
            Object::String(_) => "string",
        }
    }
}

impl From<bool> for Object {
    fn from(value: bool) -> Self {
        Object::Bool(value)
    }
}

impl From<i64> for Object {
    fn from(value: i64) -> Self {
        Object::Integer(value)
    }
}

impl From<f64> for Object {
    fn from(value: f64) -> Self {
        Object::Real(value)
    }
}

impl From<ObjRef> for Object {
    fn from(reference: ObjRef) -> Self {
        Object::Ref(reference)
    }
}

impl From<Dict> for Object {
    fn from(dict: Dict) -> Self {
        Object::Dict(dict)
    }
}

impl From<Vec<Object>> for Object {
    fn from(items: Vec<Object>) -> Self {
        Object::Array(items)
    }
}

impl From<PdfString> for Object {
    fn from(string: PdfString) -> Self {
        Object::String(string)
    }
}

impl From<Stream> for Object {
    fn from(stream: Stream) -> Self {
        Object::Stream(stream)
    }
}

/// Decode a PDF text string (ISO 32000-1 §7.9.2.2, ISO 32000-2 for UTF-8).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units = utf16
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]));
        return char::decode_utf16(units)
            .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// One PDFDocEncoding byte as a character (ISO 32000-1 Annex D.2).
fn pdf_doc_char(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}',
        '\u{2044}', '\u{2039}', '\u{203a}', '\u{2212}', '\u{2030}', '\u{201e}', '\u{201c}',
        '\u{201d}', '\u{2018}', '\u{2019}', '\u{201a}', '\u{2122}', '\u{fb01}', '\u{fb02}',
        '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017d}', '\u{0131}', '\u{0142}',
        '\u{0153}', '\u{0161}', '\u{017e}', '\u{fffd}',
    ];
    const LOW: [char; 8] = [
        '\u{02d8}', '\u{02c7}', '\u{02c6}', '\u{02d9}', '\u{02dd}', '\u{02db}', '\u{02da}',
        '\u{02dc}',
    ];
    match byte {
        0x18..=0x1f => LOW[usize::from(byte - 0x18)],
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        0xa0 => '\u{20ac}',
        0xad => '\u{fffd}',
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_round_trip_vietnamese() {
        let text = "Số: 36/KH-CĐN, ngày 20 tháng 3, Đồng Nai, trường hữu ích";
        let string = PdfString::text(text);
        assert_eq!(&string.bytes[..2], &[0xfe, 0xff]);
        assert_eq!(string.to_text(), text);
        assert_eq!(&*PdfString::text("Signature1").bytes, b"Signature1");
    }

    #[test]
    fn hex_and_literal_forms_of_the_same_bytes_are_equal() {
        // pyHanko rewrites `<FEFF0053>` as `(\376\377\000S)`: the same value.
        let hex = Object::String(PdfString::hex(vec![0xfe, 0xff, 0x00, 0x53]));
        let literal = Object::String(PdfString::literal(vec![0xfe, 0xff, 0x00, 0x53]));
        assert_eq!(hex, literal);
        assert_ne!(
            hex,
            Object::String(PdfString::hex(vec![0xfe, 0xff, 0x00, 0x54]))
        );
    }

    #[test]
    fn pdf_doc_encoding_high_bytes() {
        assert_eq!(decode_text(b"\x8da\x8e\x93"), "\u{201c}a\u{201d}\u{fb01}");
        assert_eq!(decode_text(b"caf\xe9"), "café");
    }

    #[test]
    fn dict_keeps_order_and_replaces_in_place() {
        let mut dict = Dict::new();
        dict.insert("Type", Object::name("Sig"));
        dict.insert("M", Object::Integer(1));
        assert_eq!(
            dict.insert("Type", Object::name("DocTimeStamp")),
            Some(Object::name("Sig"))
        );
        let keys: Vec<String> = dict.iter().map(|(key, _)| key.to_string()).collect();
        assert_eq!(keys, ["Type", "M"]);
        assert_eq!(
            dict.type_name().map(Name::to_string).as_deref(),
            Some("DocTimeStamp")
        );
        assert_eq!(dict.remove("Type"), Some(Object::name("DocTimeStamp")));
        assert_eq!(dict.len(), 1);
    }
}

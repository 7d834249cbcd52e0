//! Which bytes each signature covers (phạm vi ký): finding the signatures, reading their
//! `/Contents` and `/ByteRange`, and the coverage level.
//!
//! A signature covers `/ByteRange [0 a b c]`: the bytes `0..a` and `b..b+c`. The verifier
//! accepts the range only when it is the one a signer must write (ISO 32000-1 §12.8.1,
//! ETSI EN 319 142-1 §5.1): starting at byte 0, with `a < b`, the gap `a..b` exactly the
//! hex string of this signature dictionary's own `/Contents` (found by lexing the dictionary
//! where the xref says it is, not by searching), and `b+c` the end of the revision that
//! holds the dictionary ([`Coverage::EntireRevision`]) or of the file
//! ([`Coverage::EntireFile`]). Anything else is [`Coverage::Unclear`]; a range that cannot be
//! a range at all (missing, negative, overlapping, past the end of the file) makes the
//! signature malformed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::pdf::lexer::{Lexer, Token};
use crate::pdf::{Dict, Document, ObjRef, Object, View, XrefEntry};
use crate::verify::status::{Coverage, SignatureKind};

/// Most signature fields looked at in one document: 1,000. A document signed by every member
/// of a large council has a few dozen; the rest would only cost time.
pub const MAX_SIGNATURES: usize = 1_000;

/// Most tokens lexed while looking for `/Contents` in one signature dictionary: 10,000.
/// A signature dictionary has about 20 entries; a `/Reference` array with its transform
/// parameters a few dozen more tokens.
const MAX_DICT_TOKENS: usize = 10_000;

/// Proof that the coverage of a signature was checked against its `/ByteRange` and the
/// position of its `/Contents` (STYLE.md habit 7). Made only in this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageChecked(());

impl CoverageChecked {
    /// Claimed only by [`coverage`], after the range passed every check.
    fn assertion() -> Self {
        CoverageChecked(())
    }

    /// For the status tests, which need a fully proven status.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        CoverageChecked(())
    }
}

/// A signature field with a value, as found in some revision.
#[derive(Debug, Clone)]
pub struct FoundSignature {
    /// The field's fully qualified name.
    pub field: String,
    /// The field (or merged field/widget) object.
    pub field_ref: ObjRef,
    /// The signature dictionary object; `None` when `/V` is a direct dictionary.
    pub sig_ref: Option<ObjRef>,
    /// The signature dictionary, as of `revision`.
    pub dict: Dict,
    /// A widget with a signature value that a page shows but `/AcroForm /Fields` does not
    /// list: poppler's `pdfsig -add-signature` (22.12) writes its field so when the document
    /// already has a form. Evaluated like any signature, and reported as such.
    pub orphan: bool,
    /// The first revision in which the field holds this value.
    pub revision: usize,
    /// Approval, certification (with P) or document timestamp.
    pub kind: SignatureKind,
}

impl FoundSignature {
    /// `/SubFilter`, lossily as text.
    pub fn sub_filter(&self) -> Option<String> {
        self.dict
            .get("SubFilter")
            .and_then(Object::as_name)
            .map(|name| name.to_string())
    }
}

/// Every signed signature field of every revision, oldest first, each signature dictionary
/// once. Fields whose walk fails in some revision are skipped there (the revision is then
/// judged by the difference analysis).
pub fn find_signatures(document: &Document) -> Vec<FoundSignature> {
    let mut found: BTreeMap<(String, Option<ObjRef>, ObjRef), FoundSignature> = BTreeMap::new();
    let mut order = Vec::new();
    for index in 0..document.revisions().len() {
        let Some(view) = document.view_at(index) else {
            continue;
        };
        let walked = view.fields_shared();
        let Ok(fields) = &*walked else {
            continue;
        };
        let listed: Vec<(String, ObjRef, Dict, bool)> = fields
            .iter()
            .filter(|f| f.is_signature())
            .map(|f| (f.name.clone(), f.reference, f.dict.clone(), false))
            .collect();
        let orphans = orphan_signature_widgets(&view, fields);
        for (name, field_ref, field_dict, orphan) in listed.into_iter().chain(orphans) {
            let Some(value) = field_dict.get("V") else {
                continue;
            };
            let sig_ref = value.as_reference();
            let key = (name.clone(), sig_ref, field_ref);
            if found.contains_key(&key) || found.len() >= MAX_SIGNATURES {
                continue;
            }
            let dict = match view.resolve(value) {
                Ok(Object::Dict(dict)) => dict,
                _ => Dict::new(),
            };
            let kind = kind(&view, &dict, sig_ref);
            order.push(key.clone());
            found.insert(
                key,
                FoundSignature {
                    field: name,
                    field_ref,
                    sig_ref,
                    dict,
                    orphan,
                    revision: index,
                    kind,
                },
            );
        }
    }
    order
        .into_iter()
        .filter_map(|key| found.remove(&key))
        .collect()
}

/// Most annotations looked at per page for orphan signature widgets: 10,000 (a page of an
/// official document has a handful; the bound keeps a hostile `/Annots` cheap).
const MAX_ANNOTS_PER_PAGE: usize = 10_000;

/// Signature widgets with a value that some page's `/Annots` holds but the form does not
/// list (name, object, dictionary, `true`). The name is the widget's `/T`, or its object
/// number when it has none. Pages that cannot be walked give none.
fn orphan_signature_widgets(
    view: &View<'_>,
    fields: &[crate::pdf::Field],
) -> Vec<(String, ObjRef, Dict, bool)> {
    let known: std::collections::HashSet<ObjRef> = fields.iter().map(|f| f.reference).collect();
    let walked = view.pages_shared();
    let Ok(pages) = &*walked else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for page in pages {
        let Some(annots) = page.dict.get("Annots").and_then(|a| view.resolve(a).ok()) else {
            continue;
        };
        let Some(annots) = annots.as_array() else {
            continue;
        };
        for reference in annots
            .iter()
            .take(MAX_ANNOTS_PER_PAGE)
            .filter_map(Object::as_reference)
        {
            if known.contains(&reference) || out.iter().any(|(_, r, _, _)| *r == reference) {
                continue;
            }
            let Ok(Object::Dict(dict)) = view.get(reference) else {
                continue;
            };
            let is_sig_widget = dict
                .get("Subtype")
                .and_then(Object::as_name)
                .is_some_and(|n| *n == "Widget")
                && dict
                    .get("FT")
                    .and_then(Object::as_name)
                    .is_some_and(|n| *n == "Sig")
                && dict.get("Parent").is_none();
            if !is_sig_widget || dict.get("V").is_none() || out.len() >= MAX_SIGNATURES {
                continue;
            }
            let name = dict
                .get("T")
                .and_then(Object::as_string)
                .map(|t| t.to_text())
                .unwrap_or_else(|| format!("{} {} R", reference.number, reference.generation));
            out.push((name, reference, dict, true));
        }
    }
    out
}

/// Approval, certification (catalog `/Perms /DocMDP` names it) or document timestamp.
fn kind(view: &View<'_>, dict: &Dict, sig_ref: Option<ObjRef>) -> SignatureKind {
    let is_timestamp = dict.type_name().is_some_and(|t| *t == "DocTimeStamp")
        || dict
            .get("SubFilter")
            .and_then(Object::as_name)
            .is_some_and(|s| *s == "ETSI.RFC3161");
    if is_timestamp {
        return SignatureKind::DocumentTimestamp;
    }
    let certifies = sig_ref.is_some()
        && view
            .catalog()
            .ok()
            .and_then(|catalog| catalog.get("Perms").cloned())
            .and_then(|perms| view.resolve(&perms).ok())
            .and_then(|perms| perms.as_dict().and_then(|d| d.get("DocMDP").cloned()))
            .and_then(|docmdp| docmdp.as_reference())
            == sig_ref;
    if certifies {
        return SignatureKind::Certification {
            permission: docmdp_permission(view, dict).unwrap_or(2),
        };
    }
    SignatureKind::Approval
}

/// The `/P` of the `/DocMDP` transform in a signature dictionary's `/Reference` array.
pub fn docmdp_permission(view: &View<'_>, dict: &Dict) -> Option<u8> {
    let params = transform_params(view, dict, "DocMDP")?;
    let p = params.get("P").and_then(Object::as_i64).unwrap_or(2);
    Some(p.clamp(1, 3) as u8)
}

/// The `/TransformParams` of the first `/Reference` entry with this `/TransformMethod`.
pub fn transform_params(view: &View<'_>, dict: &Dict, method: &str) -> Option<Dict> {
    let references = view.resolve(dict.get("Reference")?).ok()?;
    for entry in references.as_array()? {
        let Ok(Object::Dict(entry)) = view.resolve(entry) else {
            continue;
        };
        let matches = entry
            .get("TransformMethod")
            .and_then(Object::as_name)
            .is_some_and(|m| *m == method);
        if !matches {
            continue;
        }
        return match entry.get("TransformParams").map(|p| view.resolve(p)) {
            Some(Ok(Object::Dict(params))) => Some(params),
            _ => Some(Dict::new()),
        };
    }
    None
}

/// Why a `/Contents` or `/ByteRange` cannot be evaluated at all (the verdict is `malformed`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// `/Contents` is absent.
    #[error("thiếu /Contents (missing /Contents)")]
    ContentsMissing,
    /// `/Contents` is not a string (`null`, a number…).
    #[error("/Contents không phải chuỗi mà là {0} (/Contents is a {0}, not a string)")]
    ContentsNotString(&'static str),
    /// `/Contents` is an empty string.
    #[error("/Contents rỗng (empty /Contents)")]
    ContentsEmpty,
    /// `/Contents` holds only zero bytes.
    #[error("/Contents toàn số 0 (zero-filled /Contents)")]
    ContentsZero,
    /// `/ByteRange` is absent.
    #[error("thiếu /ByteRange (missing /ByteRange)")]
    ByteRangeMissing,
    /// `/ByteRange` is not four non-negative integers.
    #[error("/ByteRange không hợp lệ: {0} (impossible /ByteRange: {0})")]
    ByteRangeShape(&'static str),
    /// The two ranges overlap or are out of order.
    #[error("/ByteRange chồng lấn: {0:?} (overlapping /ByteRange)")]
    ByteRangeOverlap([u64; 4]),
    /// A range runs past the end of the file.
    #[error("/ByteRange vượt quá cuối tệp ({len} byte): {values:?} (/ByteRange beyond EOF)")]
    ByteRangeBeyondEof {
        /// The values.
        values: [u64; 4],
        /// The file length.
        len: usize,
    },
}

/// The signed ranges `[start1, len1, start2, len2]`, checked to lie inside the file, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    /// The four values.
    pub values: [usize; 4],
}

impl ByteRange {
    /// The two ranges.
    pub fn ranges(&self) -> [Range<usize>; 2] {
        let [s1, l1, s2, l2] = self.values;
        [s1..s1 + l1, s2..s2 + l2]
    }

    /// Where the signed bytes end.
    pub fn end(&self) -> usize {
        self.values[2] + self.values[3]
    }

    /// The two signed slices of `bytes` (the caller checked them to fit).
    pub fn slices<'b>(&self, bytes: &'b [u8]) -> [&'b [u8]; 2] {
        let [first, second] = self.ranges();
        [
            bytes.get(first).unwrap_or_default(),
            bytes.get(second).unwrap_or_default(),
        ]
    }
}

/// The `/Contents` bytes: present, a string, not empty, not all zeros.
pub fn contents(dict: &Dict) -> Result<Vec<u8>, Unreadable> {
    let value = dict.get("Contents").ok_or(Unreadable::ContentsMissing)?;
    let string = match value {
        Object::String(string) => string,
        other => return Err(Unreadable::ContentsNotString(other.kind())),
    };
    if string.bytes.is_empty() {
        return Err(Unreadable::ContentsEmpty);
    }
    if string.bytes.iter().all(|&b| b == 0) {
        return Err(Unreadable::ContentsZero);
    }
    Ok(string.bytes.to_vec())
}

/// The `/ByteRange`: four non-negative integers, two ranges in order, inside a file of `len`.
pub fn byte_range(dict: &Dict, len: usize) -> Result<ByteRange, Unreadable> {
    let value = dict.get("ByteRange").ok_or(Unreadable::ByteRangeMissing)?;
    let items = value
        .as_array()
        .ok_or(Unreadable::ByteRangeShape("not an array"))?;
    if items.is_empty() {
        return Err(Unreadable::ByteRangeShape("empty array"));
    }
    if items.len() != 4 {
        return Err(Unreadable::ByteRangeShape("not four numbers"));
    }
    let mut values = [0u64; 4];
    for (slot, item) in values.iter_mut().zip(items) {
        let number = item
            .as_i64()
            .ok_or(Unreadable::ByteRangeShape("not integers"))?;
        *slot = u64::try_from(number).map_err(|_| Unreadable::ByteRangeShape("negative"))?;
    }
    let [s1, l1, s2, l2] = values;
    let first_end = s1.checked_add(l1);
    let second_end = s2.checked_add(l2);
    let (Some(first_end), Some(second_end)) = (first_end, second_end) else {
        return Err(Unreadable::ByteRangeShape("overflow"));
    };
    if first_end > s2 {
        return Err(Unreadable::ByteRangeOverlap(values));
    }
    if second_end > len as u64 {
        return Err(Unreadable::ByteRangeBeyondEof { values, len });
    }
    // Every value is at most `len`, which fits in usize.
    Ok(ByteRange {
        values: values.map(|v| v as usize),
    })
}

/// Bytes between two saved SHA-256 states of the file: 32 KiB. A signature's digest resumes
/// from the last state before its gap, so it hashes at most this much of what the file's
/// digest already covered (a Context is about 200 bytes: 6 KB of states per MB of file).
const CHECKPOINT_BYTES: usize = 32 * 1024;

/// The file's SHA-256 (for the report), with the hash states of its prefixes every
/// [`CHECKPOINT_BYTES`]. Signed ranges start at byte 0, so the SHA-256 digest of a signature's
/// ranges resumes from the state before its gap instead of hashing the file once more for each
/// signature.
pub struct FileDigest {
    /// SHA-256 of the whole file.
    pub sha256: Vec<u8>,
    checkpoints: Vec<(usize, ring::digest::Context)>,
}

impl FileDigest {
    /// Hash `bytes`, keeping the states.
    pub fn of(bytes: &[u8]) -> FileDigest {
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        let mut checkpoints = vec![(0, context.clone())];
        for (index, chunk) in bytes.chunks(CHECKPOINT_BYTES).enumerate() {
            context.update(chunk);
            checkpoints.push((index * CHECKPOINT_BYTES + chunk.len(), context.clone()));
        }
        FileDigest {
            sha256: context.finish().as_ref().to_vec(),
            checkpoints,
        }
    }

    /// The digest of the two signed ranges of `bytes` (the file this was made from).
    pub fn ranges(
        &self,
        algorithm: &'static ring::digest::Algorithm,
        range: &ByteRange,
        bytes: &[u8],
    ) -> Vec<u8> {
        let [first, second] = range.slices(bytes);
        let resumable = *algorithm == ring::digest::SHA256 && range.values[0] == 0;
        let saved = self
            .checkpoints
            .iter()
            .rev()
            .find(|(at, _)| *at <= first.len());
        match saved {
            Some((at, state)) if resumable => {
                let mut context = state.clone();
                context.update(&first[*at..]);
                context.update(second);
                context.finish().as_ref().to_vec()
            }
            _ => digest_ranges(algorithm, [first, second]),
        }
    }
}

/// The digest of the two signed ranges, without copying them.
pub fn digest_ranges(algorithm: &'static ring::digest::Algorithm, slices: [&[u8]; 2]) -> Vec<u8> {
    let mut context = ring::digest::Context::new(algorithm);
    context.update(slices[0]);
    context.update(slices[1]);
    context.finish().as_ref().to_vec()
}

/// What the coverage check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageFacts {
    /// The level.
    pub coverage: Coverage,
    /// The revision whose end the signed bytes reach (the signed revision), when established.
    pub signed_revision: Option<usize>,
    /// Why the coverage is unclear, if it is.
    pub problem: Option<String>,
    /// The proof, for a coverage other than unclear.
    pub proof: Option<CoverageChecked>,
}

impl CoverageFacts {
    fn unclear(problem: impl Into<String>) -> Self {
        CoverageFacts {
            coverage: Coverage::Unclear,
            signed_revision: None,
            problem: Some(problem.into()),
            proof: None,
        }
    }
}

/// Check what `range` covers for the signature `found`.
pub fn coverage(document: &Document, found: &FoundSignature, range: &ByteRange) -> CoverageFacts {
    let [s1, l1, s2, _] = range.values;
    if s1 != 0 {
        return CoverageFacts::unclear(format!("ByteRange bắt đầu tại byte {s1}, không phải 0"));
    }
    let Some(sig_ref) = found.sig_ref else {
        return CoverageFacts::unclear("từ điển chữ ký không phải đối tượng gián tiếp");
    };
    let Some(span) = contents_span(document, found.revision, sig_ref) else {
        return CoverageFacts::unclear("không định vị được chuỗi /Contents của từ điển chữ ký");
    };
    if l1 != span.start || s2 != span.end {
        return CoverageFacts::unclear(format!(
            "khoảng trống ByteRange {l1}..{s2} không đúng vị trí /Contents {}..{}",
            span.start, span.end
        ));
    }
    let bytes = document.bytes();
    let holder = revision_holding(document, span.start);
    let Some(holder) = holder else {
        return CoverageFacts::unclear("/Contents nằm ngoài mọi bản sửa đổi");
    };
    let end = range.end();
    let revision = &document.revisions()[holder];
    let newest = holder + 1 == document.revisions().len();
    let coverage = if end == bytes.len() && newest {
        Coverage::EntireFile
    } else if covers_revision_end(bytes, revision.eof_offset(), revision.end(), end) {
        if newest && only_whitespace(&bytes[end..]) {
            Coverage::EntireFile
        } else {
            Coverage::EntireRevision
        }
    } else {
        return CoverageFacts::unclear(format!(
            "vùng ký kết thúc tại byte {end}, không phải cuối bản sửa đổi {} (byte {})",
            holder + 1,
            revision.end()
        ));
    };
    CoverageFacts {
        coverage,
        signed_revision: Some(holder),
        problem: None,
        proof: Some(CoverageChecked::assertion()),
    }
}

/// The signed bytes end just after `%%EOF`, or after the end-of-line that follows it.
fn covers_revision_end(bytes: &[u8], eof: usize, revision_end: usize, end: usize) -> bool {
    let marker_end = eof + b"%%EOF".len();
    (marker_end..=revision_end).contains(&end)
        && bytes.get(marker_end..end).is_some_and(only_whitespace)
}

fn only_whitespace(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| crate::pdf::lexer::is_whitespace(b))
}

/// The revision whose byte range holds `offset` (the first whose end is past it).
pub fn revision_holding(document: &Document, offset: usize) -> Option<usize> {
    document
        .revisions()
        .iter()
        .position(|revision| offset < revision.end())
}

/// Where the hex string of `/Contents` lies in the file (delimiters included), found by
/// lexing the signature dictionary at the offset its xref entry gives as of `revision`.
pub fn contents_span(
    document: &Document,
    revision: usize,
    sig_ref: ObjRef,
) -> Option<Range<usize>> {
    let view = document.view_at(revision)?;
    let Some(XrefEntry::InUse { offset, .. }) = view.entry(sig_ref.number) else {
        return None;
    };
    let mut lexer = Lexer::new(document.bytes(), offset);
    let header = [
        lexer.next_token().ok()??.1,
        lexer.next_token().ok()??.1,
        lexer.next_token().ok()??.1,
        lexer.next_token().ok()??.1,
    ];
    let opens = matches!(
        header,
        [
            Token::Integer(_),
            Token::Integer(_),
            Token::Keyword(b"obj"),
            Token::DictStart
        ]
    );
    if !opens {
        return None;
    }
    find_key_value(&mut lexer, b"Contents")
}

/// Scan a dictionary body (after `<<`) for `/key` at depth 1 and return its value's span when
/// that value is a hex string.
fn find_key_value(lexer: &mut Lexer<'_>, key: &[u8]) -> Option<Range<usize>> {
    let mut depth = 1usize;
    let mut expect_value = false;
    for _ in 0..MAX_DICT_TOKENS {
        if expect_value && let Some(span) = hex_string_span(lexer) {
            return Some(span);
        }
        let (start, token) = lexer.next_token().ok()??;
        let end = lexer.pos();
        if expect_value {
            let bytes_start = lexer_byte(lexer, start);
            return match token {
                Token::String(_) if bytes_start == Some(b'<') => Some(start..end),
                _ => None,
            };
        }
        match token {
            Token::DictStart | Token::ArrayStart => depth += 1,
            Token::DictEnd | Token::ArrayEnd => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            Token::Name(name) if depth == 1 && name == key => expect_value = true,
            _ => {}
        }
    }
    None
}

/// The span of a hex string at the lexer's position (after white space and comments), found
/// without decoding it: a `/Contents` value is many kilobytes of hex that only its place
/// matters for here. Its digits need no second look: the signature dictionary was read from
/// these same bytes by the strict parser, which refuses a hex string with anything else in
/// it. `None` (the lexer where it was) when the value is not a hex string.
fn hex_string_span(lexer: &mut Lexer<'_>) -> Option<Range<usize>> {
    let before = lexer.pos();
    lexer.cursor().skip_whitespace_and_comments();
    let start = lexer.pos();
    let data = lexer.cursor().data();
    let rest = data.get(start..)?;
    let hex = rest.first() == Some(&b'<') && rest.get(1) != Some(&b'<');
    match hex.then(|| rest.iter().position(|&b| b == b'>')).flatten() {
        Some(close) => {
            lexer.seek(start + close + 1);
            Some(start..start + close + 1)
        }
        None => {
            lexer.seek(before);
            None
        }
    }
}

fn lexer_byte(lexer: &mut Lexer<'_>, offset: usize) -> Option<u8> {
    lexer.cursor().data().get(offset).copied()
}

/// The DER element at the start of a `/Contents` value (which is padded with zeros), and
/// whether anything but zeros follows it. A BER container with indefinite lengths (NSS writes
/// them) is re-encoded as DER ([`crate::verify::ber`]).
pub fn der_element(contents: &[u8]) -> Option<(Cow<'_, [u8]>, bool)> {
    use der::{Decode, Header, SliceReader};
    let definite = (|| {
        let mut reader = SliceReader::new(contents).ok()?;
        let header = Header::decode(&mut reader).ok()?;
        let header_len: usize = der::Reader::position(&reader).try_into().ok()?;
        let body: usize = header.length.try_into().ok()?;
        header_len.checked_add(body)
    })();
    let (element, total) = match definite {
        Some(total) => (Cow::Borrowed(contents.get(..total)?), total),
        None => {
            let (der, used) = crate::verify::ber::element_to_der(contents)?;
            (Cow::Owned(der), used)
        }
    };
    let dirty_tail = contents[total..].iter().any(|&b| b != 0);
    Some((element, dirty_tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::PdfString;

    fn dict_with(key: &str, value: Object) -> Dict {
        let mut dict = Dict::new();
        dict.insert(key, value);
        dict
    }

    #[test]
    fn contents_must_be_a_non_empty_non_zero_string() {
        assert_eq!(contents(&Dict::new()), Err(Unreadable::ContentsMissing));
        assert_eq!(
            contents(&dict_with("Contents", Object::Null)),
            Err(Unreadable::ContentsNotString("null"))
        );
        let hex = |bytes: &[u8]| Object::String(PdfString::hex(bytes.to_vec()));
        assert_eq!(
            contents(&dict_with("Contents", hex(b""))),
            Err(Unreadable::ContentsEmpty)
        );
        assert_eq!(
            contents(&dict_with("Contents", hex(&[0, 0, 0]))),
            Err(Unreadable::ContentsZero)
        );
        assert_eq!(
            contents(&dict_with("Contents", hex(&[0x30, 0]))),
            Ok(vec![0x30, 0])
        );
    }

    #[test]
    fn impossible_byte_ranges_are_named() {
        let range = |values: &[i64]| {
            let items = values.iter().map(|&v| Object::Integer(v)).collect();
            byte_range(&dict_with("ByteRange", Object::Array(items)), 1000)
        };
        assert_eq!(
            byte_range(&Dict::new(), 10),
            Err(Unreadable::ByteRangeMissing)
        );
        assert_eq!(range(&[]), Err(Unreadable::ByteRangeShape("empty array")));
        assert_eq!(
            range(&[0, 10, 20]),
            Err(Unreadable::ByteRangeShape("not four numbers"))
        );
        assert_eq!(
            range(&[0, -10, 20, 30]),
            Err(Unreadable::ByteRangeShape("negative"))
        );
        assert_eq!(
            range(&[0, 500, 400, 100]),
            Err(Unreadable::ByteRangeOverlap([0, 500, 400, 100]))
        );
        assert!(matches!(
            range(&[0, 100, 200, 900]),
            Err(Unreadable::ByteRangeBeyondEof { .. })
        ));
        assert_eq!(range(&[0, 100, 200, 800]).map(|r| r.end()), Ok(1000));
    }

    #[test]
    fn der_element_ignores_zero_padding() {
        let padded = [0x30, 0x03, 0x02, 0x01, 0x05, 0, 0, 0];
        assert_eq!(der_element(&padded), Some((Cow::from(&padded[..5]), false)));
        let dirty = [0x30, 0x03, 0x02, 0x01, 0x05, 0, 7];
        assert_eq!(der_element(&dirty), Some((Cow::from(&dirty[..5]), true)));
        let ber = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x00];
        let der: Cow<'_, [u8]> = Cow::Owned(vec![0x30, 0x03, 0x02, 0x01, 0x05]);
        assert_eq!(der_element(&ber), Some((der, false)));
        assert_eq!(der_element(&[0x30, 0x09, 0x02]), None);
    }
}

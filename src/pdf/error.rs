//! The one error type of the PDF layer.
//!
//! Every variant that comes from the bytes carries the byte offset it points at, so that the
//! verifier can say *where* a file is malformed and the signer can say why it refuses one
//! (STYLE.md habit 3). Messages are English and technical; `verify`'s report translates the
//! verdict for a clerk.

use super::object::ObjRef;
use crate::diag::Origin;
use crate::limits::BudgetExhausted;

/// What went wrong reading or appending to a PDF.
///
/// Offsets are byte offsets into the file, except inside
/// [`PdfError::CompressedObject`], whose `source` counts from the start of the decoded object
/// stream.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// A structural rule of the document is broken (a page tree cycle, `/Root` not a
    /// dictionary, a `/Kids` entry that is not a reference…).
    #[error("byte {offset}: {what}")]
    BadStructure {
        /// Where the offending object starts.
        offset: u64,
        /// The rule that is broken.
        what: &'static str,
    },
    /// A work budget ran out (xref entries, page tree nodes, fields…).
    #[error("byte {offset}: work budget exhausted: {what}")]
    Budget {
        /// What was being counted.
        what: &'static str,
        /// Where the work was when it ran out.
        offset: u64,
    },
    /// An object stored in an object stream (`/Type /ObjStm`) could not be read.
    #[error("object {number} in object stream {stream} (at byte {offset}): {source}")]
    CompressedObject {
        /// The object asked for.
        number: u32,
        /// The object stream's object number.
        stream: u32,
        /// Where the object stream starts in the file.
        offset: u64,
        /// The error, with offsets into the decoded stream.
        source: Box<PdfError>,
    },
    /// The signature value does not fit the `/Contents` space reserved for it.
    #[error("signature needs {needed} bytes but only {reserved} were reserved in /Contents")]
    ContentsTooSmall {
        /// Bytes reserved.
        reserved: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// A stream could not be decoded (corrupt deflate data, bad predictor row).
    #[error("byte {offset}: cannot decode stream ({filter}): {reason}")]
    Decode {
        /// Where the stream object starts.
        offset: u64,
        /// The filter that failed.
        filter: &'static str,
        /// Why.
        reason: String,
    },
    /// A stream decodes to more than the cap allows (a decompression bomb).
    #[error("byte {offset}: stream decodes to more than {max} bytes")]
    DecodedTooLarge {
        /// Where the stream object starts.
        offset: u64,
        /// The cap that was hit.
        max: u64,
    },
    /// A dictionary has the same key twice; readers disagree on which wins, so we refuse.
    #[error("byte {offset}: duplicate dictionary key /{key}")]
    DuplicateKey {
        /// Where the second occurrence starts.
        offset: u64,
        /// The key, lossily decoded.
        key: String,
    },
    /// The document is encrypted (`/Encrypt` in the trailer); it cannot be decoded, signed or
    /// updated.
    #[error("the document is encrypted (/Encrypt in the trailer)")]
    Encrypted,
    /// The file is larger than [`crate::limits::MAX_FILE_BYTES`].
    #[error("file has {len} bytes, more than the {max} accepted")]
    FileTooLarge {
        /// The file's size.
        len: u64,
        /// The limit.
        max: u64,
    },
    /// A size or depth limit of [`super::limits`] was exceeded.
    #[error("byte {offset}: {what} exceeds the limit of {max}")]
    Limit {
        /// Where the offending token or object starts.
        offset: u64,
        /// What was too big or too deep.
        what: &'static str,
        /// The limit.
        max: u64,
    },
    /// No `startxref … %%EOF` at the end of the file (truncated, or not a PDF).
    #[error("byte {offset}: no startxref/%%EOF at the end of the file")]
    MissingEof {
        /// The file length, or where the marker search failed.
        offset: u64,
    },
    /// A classic xref table is not followed by a `trailer` dictionary.
    #[error("byte {offset}: missing trailer after the xref table")]
    MissingTrailer {
        /// Where the trailer was expected.
        offset: u64,
    },
    /// The file does not start with `%PDF-`.
    #[error("byte 0: not a PDF file (no %PDF- header)")]
    NotPdf,
    /// A number is too large, or a reference number or generation out of range.
    #[error("byte {offset}: number out of range")]
    NumberOutOfRange {
        /// Where the number starts.
        offset: u64,
    },
    /// An xref entry points at bytes that do not hold the object it names.
    #[error("byte {offset}: expected object {expected} here (xref entry is wrong)")]
    ObjectMismatch {
        /// The offset the xref gave.
        offset: u64,
        /// The object the xref says is there.
        expected: ObjRef,
    },
    /// The `/Prev` chain of xref sections loops.
    #[error("byte {offset}: /Prev chain of xref sections loops back here")]
    PrevCycle {
        /// The xref section offset seen twice.
        offset: u64,
    },
    /// Revisions are out of order: an older xref section ends after a newer one (only
    /// linearized files do that, and only for their first-page section).
    #[error("byte {offset}: xref section ends after the newer revision that points to it")]
    RevisionOrder {
        /// The older section's offset.
        offset: u64,
    },
    /// The stream's `/Length` is negative, indirect where it must be direct, runs past the
    /// end of the file, or is not followed by `endstream`.
    #[error("byte {offset}: bad stream /Length {length}")]
    StreamLength {
        /// Where the stream data starts.
        offset: u64,
        /// The length claimed.
        length: i64,
    },
    /// A token or object is not what the syntax requires here.
    #[error("byte {offset}: syntax error, expected {expected}")]
    Syntax {
        /// Where the offending token starts.
        offset: u64,
        /// What the grammar wanted.
        expected: &'static str,
    },
    /// The input ends in the middle of a token or object.
    #[error("byte {offset}: unexpected end of data, expected {expected}")]
    Truncated {
        /// The end of the data.
        offset: u64,
        /// What the grammar wanted.
        expected: &'static str,
    },
    /// Bytes after the newest revision's `%%EOF` that no xref section accounts for
    /// (appended objects with no xref, or a trailer pointing at an old xref).
    #[error("byte {offset}: {len} bytes after the last revision are not part of any revision")]
    UnaccountedBytes {
        /// Where the unaccounted bytes start.
        offset: u64,
        /// How many there are.
        len: u64,
    },
    /// A stream uses a filter this reader does not decode.
    #[error("byte {offset}: unsupported stream filter {filter}")]
    UnsupportedFilter {
        /// Where the stream object starts.
        offset: u64,
        /// The filter name, lossily decoded.
        filter: String,
    },
    /// The writer was asked for something it cannot do (API misuse, not bad input).
    #[error("incremental writer: {reason}")]
    WriterMisuse {
        /// What was wrong.
        reason: &'static str,
    },
    /// An xref section (table or stream) is malformed.
    #[error("byte {offset}: broken xref: {reason}")]
    Xref {
        /// Where the problem is.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },
}

impl PdfError {
    /// The byte offset the error points at, when it has one.
    pub fn offset(&self) -> Option<u64> {
        use PdfError::*;
        match self {
            BadStructure { offset, .. }
            | Budget { offset, .. }
            | CompressedObject { offset, .. }
            | Decode { offset, .. }
            | DecodedTooLarge { offset, .. }
            | DuplicateKey { offset, .. }
            | Limit { offset, .. }
            | MissingEof { offset }
            | MissingTrailer { offset }
            | NumberOutOfRange { offset }
            | ObjectMismatch { offset, .. }
            | PrevCycle { offset }
            | RevisionOrder { offset }
            | StreamLength { offset, .. }
            | Syntax { offset, .. }
            | Truncated { offset, .. }
            | UnaccountedBytes { offset, .. }
            | UnsupportedFilter { offset, .. }
            | Xref { offset, .. } => Some(*offset),
            NotPdf => Some(0),
            ContentsTooSmall { .. } | Encrypted | FileTooLarge { .. } | WriterMisuse { .. } => None,
        }
    }

    /// Where the error points, for a [`crate::diag::Diagnostic`].
    pub fn origin(&self) -> Origin {
        self.offset().map_or(Origin::Input, Origin::Offset)
    }

    /// A budget error at `offset`.
    pub(crate) fn budget(exhausted: BudgetExhausted, offset: usize) -> Self {
        PdfError::Budget {
            what: exhausted.what,
            offset: offset as u64,
        }
    }

    /// A syntax error at `offset`.
    pub(crate) fn syntax(offset: usize, expected: &'static str) -> Self {
        PdfError::Syntax {
            offset: offset as u64,
            expected,
        }
    }

    /// A structural error at `offset`.
    pub(crate) fn structure(offset: usize, what: &'static str) -> Self {
        PdfError::BadStructure {
            offset: offset as u64,
            what,
        }
    }

    /// A broken-xref error at `offset`.
    pub(crate) fn xref(offset: usize, reason: &'static str) -> Self {
        PdfError::Xref {
            offset: offset as u64,
            reason,
        }
    }
}

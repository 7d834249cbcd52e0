//! PDF syntax for reading and appending: the substrate of `sign` and `verify`.
//!
//! No signing or verification logic lives here; both build on it. The reader is strict
//! because the verifier judges from raw bytes: a broken xref, an entry pointing at the wrong
//! object, a stream `/Length` that misses `endstream`, bytes after the last `%%EOF` that no
//! revision accounts for: each is a [`PdfError`] with the byte offset, never a silent repair
//! (lopdf repairs, which is why we do not use it). All work on untrusted input is bounded by
//! [`crate::limits::MAX_FILE_BYTES`], the limits in [`limits`], and work budgets.
//!
//! ```text
//!  bytes ──► lexer ──► parser ──► xref (tables, streams, /Prev chain) ──► revision
//!                                                                          │
//!            writer ◄── Object ◄── View::get (as of any revision) ◄── Document
//! ```
//!
//! # Reading
//!
//! - [`Document::load`]`(bytes) -> Result<Document, PdfError>`: header, the `startxref` at
//!   the end, every xref section of the `/Prev` chain (tables, xref streams, hybrid
//!   `/XRefStm`), a check that every in-use xref entry points inside its revision at exactly
//!   `n g obj`, then the catalog. Encrypted files load (so the caller can say why it refuses
//!   them) but cannot be decoded or updated: [`Document::is_encrypted`],
//!   [`Document::require_unencrypted`] → [`PdfError::Encrypted`].
//! - [`Document::bytes`] (the file, untouched), [`Document::version`],
//!   [`Document::trailer`] (newest), [`Document::startxref`], [`Document::is_linearized`].
//! - [`Document::revisions`]: [`Revision`]s oldest first. Each has [`Revision::range`]
//!   (`0..end`, the file as of that revision), [`Revision::end`] (just past its `%%EOF` and
//!   end-of-line), [`Revision::eof_offset`], [`Revision::xref_offset`],
//!   [`Revision::xref_kind`] ([`XrefKind`]), [`Revision::trailer`], and
//!   [`Revision::entries`]: the objects it defines, redefines or frees ([`XrefEntry`]).
//!   The newest revision's `end` is always the file's end (trailing white space aside).
//! - [`Document::view`] (newest) and [`Document::view_at`]`(k)`: a [`View`] resolves objects
//!   through the newest definition at or before revision `k`:
//!   [`View::get`]`(ObjRef) -> Object` (`Null` for free or missing objects, §7.3.10),
//!   [`View::resolve`] (follows references), [`View::entry`], [`View::offset_of`],
//!   [`View::value_span`] (where a dictionary value such as a signature's `/Contents` is
//!   written in the file), [`View::root`], [`View::catalog`], [`View::acroform`], [`View::pages`] ([`Page`]s in order, inherited
//!   attributes resolved), [`View::fields`] (every [`Field`] node depth first, with its full
//!   name and inherited `/FT`), [`View::decode`] (FlateDecode + PNG/TIFF predictors, capped).
//!   [`Document::get`], [`Document::catalog`], [`Document::pages`] and [`Document::fields`]
//!   are shorthands for the newest view. [`Document::stream_bytes`] gives a stream's raw data.
//! - Objects ([`object`]): [`Object`] (`Array`, `Bool`, `Dict`, `Integer`, `Name`, `Null`,
//!   `Real`, `Ref`, `Stream`, `String`), [`Dict`] (ordered, unique keys: a duplicate key is
//!   an error when parsing), [`Stream`] (dict + [`StreamData::File`] range, not copied),
//!   [`ObjRef`], [`Name`], [`PdfString`] (with [`PdfString::text`] / [`PdfString::to_text`]
//!   for UTF-16BE text strings such as "Số: 36/KH-CĐN").
//! - [`lexer`] is public ([`lexer::Lexer`], [`lexer::Token`]) for content-stream scanning,
//!   and [`parse_object`] parses one direct object.
//!
//! # Appending (incremental updates)
//!
//! [`IncrementalWriter::new`]`(&doc)` (refuses encrypted documents), then
//! [`IncrementalWriter::add`] (new object), [`IncrementalWriter::set`] (replace object `n` or
//! fill an [`IncrementalWriter::allocate`]d number), [`IncrementalWriter::add_signature`]
//! (a signature or document-timestamp dictionary with placeholders), then
//! [`IncrementalWriter::finish`] → [`Update`]: the whole new file (original bytes untouched),
//! each object's offset, the new xref offset, and for a signature a [`SignaturePlaceholder`]
//! with the exact ranges of `/Contents` and `/ByteRange`. The xref section is a classic table
//! when the newest revision used a table (or hybrid), an xref stream when it used a stream;
//! the trailer carries `/Root`, `/Info`, `/ID`, with `/Prev` and `/Size`.
//!
//! Signing with the placeholder, in order:
//!
//! 1. `let mut update = writer.finish()?; let slot = update.signature.clone().unwrap();`
//! 2. `slot.patch_byte_range(&mut update.bytes)?` (the `/ByteRange` is inside the signed
//!    bytes, so it is written first);
//! 3. hash `slot.signed_data(&update.bytes)` (the two ranges), build the CMS;
//! 4. `slot.patch_contents(&mut update.bytes, &cms_der)?` ([`PdfError::ContentsTooSmall`]
//!    when the reservation was too small: the input is untouched, reserve more and redo).
//!
//! [`serialize`] writes one object deterministically (the same objects give the same bytes).

mod document;
mod error;
mod filter;
pub mod lexer;
pub mod limits;
pub mod object;
mod parser;
mod revision;
mod walk;
mod writer;
mod xref;

// The public interface is:
pub use document::{Document, View};
pub use error::PdfError;
pub use object::{Dict, Name, ObjRef, Object, PdfString, Stream, StreamData};
pub use parser::parse_object;
pub use revision::Revision;
pub use walk::{Field, Page};
pub use writer::{IncrementalWriter, SignaturePlaceholder, Update, serialize};
pub use xref::{XrefEntry, XrefKind};

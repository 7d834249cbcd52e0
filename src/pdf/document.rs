//! The loaded document and its views as of each revision.
//!
//! [`Document::load`] reads the xref chain and checks every in-use xref entry against the
//! bytes it points at; objects themselves are parsed when asked for ([`View::get`]), so a
//! 10 MB file costs little more than its xref. Decoded object streams are cached, capped in
//! total by [`MAX_DECODED_OBJECT_STREAM_TOTAL`].

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::error::PdfError;
use super::filter;
use super::lexer::{Lexer, Token};
use super::limits::{
    MAX_DECODED_OBJECT_STREAM_TOTAL, MAX_DECODED_STREAM_BYTES, MAX_OBJECT_NUMBER,
    MAX_OBJECT_STREAM_BYTES, MAX_OBJECT_STREAM_OBJECTS, MAX_REFERENCE_CHAIN, MAX_XREF_ENTRIES,
};
use super::object::{Dict, ObjRef, Object, Stream, StreamData};
use super::parser::Parser;
use super::revision::{self, Revision};
use super::walk::{self, Field, Page};
use super::xref::{self, XrefEntry};
use crate::limits::{Budget, MAX_FILE_BYTES};

/// How deep object resolution may recurse: a stream's indirect `/Length` may live in an
/// object stream, whose own `/Length` may be indirect once more. Deeper means a loop.
const MAX_RESOLVE_DEPTH: usize = 3;

/// A PDF file, read strictly (tài liệu PDF).
#[derive(Debug)]
pub struct Document {
    bytes: Vec<u8>,
    version: String,
    revisions: Vec<Revision>,
    newest: HashMap<u32, XrefEntry>,
    startxref: usize,
    encrypted: bool,
    linearized: bool,
    object_streams: Mutex<HashMap<usize, Result<Arc<ObjectStream>, PdfError>>>,
    decoded_total: AtomicUsize,
    /// The field tree and the page list of each revision, walked once and shared.
    walks: Mutex<Walks>,
    /// Objects already parsed, by (revision, offset): the verifier reads the same objects
    /// many times (fields, pages, the difference analysis of each signature). Keyed by revision
    /// too, because an indirect `/Length` resolves in the revision that asks.
    parsed: Mutex<ParsedCache>,
}

/// Walk results by revision, holding at most [`MAX_CACHED_WALK_NODES`] fields and pages in all.
#[derive(Debug, Default)]
struct Walks {
    fields: WalkTable<Field>,
    pages: WalkTable<Page>,
    nodes: usize,
}

/// One kind of walk, by revision.
type WalkTable<T> = HashMap<usize, Arc<Result<Vec<T>, PdfError>>>;

/// Most field and page entries kept across revisions: 200,000. A file of a thousand revisions
/// over the same large form would otherwise keep a copy of its tree for each; past this, a
/// revision's tree is walked again when asked, as without the cache.
const MAX_CACHED_WALK_NODES: usize = 200_000;

/// Parsed objects and the source bytes they took, bounded by [`MAX_CACHED_PARSE_BYTES`].
#[derive(Debug, Default)]
struct ParsedCache {
    /// (revision or [`ANY_REVISION`], offset) → the reference parsed there, and the object.
    objects: HashMap<(usize, usize), (ObjRef, Object)>,
    bytes: usize,
}

/// The revision key of a cached object that parses the same in every revision.
const ANY_REVISION: usize = usize::MAX;

/// Most source bytes whose parsed objects are kept: 32 MiB. An object's parsed form is about
/// the size of its source; beyond this a document is parsed again on each read, as before.
const MAX_CACHED_PARSE_BYTES: usize = 32 * 1024 * 1024;

impl Document {
    /// Read a document: header, the xref chain from the end, revisions, and a check of
    /// every in-use xref entry; then the catalog (unless the file is encrypted).
    pub fn load(bytes: impl Into<Vec<u8>>) -> Result<Document, PdfError> {
        let bytes = bytes.into();
        if bytes.len() > MAX_FILE_BYTES {
            return Err(PdfError::FileTooLarge {
                len: bytes.len() as u64,
                max: MAX_FILE_BYTES as u64,
            });
        }
        let version = header_version(&bytes)?;
        let tail = xref::find_tail(&bytes)?;
        let mut budget = Budget::new("pdf xref entries", MAX_XREF_ENTRIES);
        let linearized = is_linearized(&bytes);
        let sections = xref::read_chain(&bytes, tail.startxref, linearized, &mut budget)?;
        let revisions = revision::build(sections, linearized)?;
        // The newest revision must end at the last %%EOF: otherwise the bytes in between
        // belong to no revision (a trailer pointing back at an old xref).
        if let Some(newest) = revisions.last().filter(|r| r.end() != tail.end) {
            return Err(PdfError::UnaccountedBytes {
                offset: newest.end() as u64,
                len: tail.end.saturating_sub(newest.end()) as u64,
            });
        }
        let mut newest = HashMap::new();
        for revision in &revisions {
            newest.extend(revision.entries());
        }
        let encrypted = revisions
            .iter()
            .any(|revision| revision.trailer().contains_key("Encrypt"));
        let document = Document {
            bytes,
            version,
            revisions,
            newest,
            startxref: tail.startxref,
            encrypted,
            linearized,
            object_streams: Mutex::new(HashMap::new()),
            parsed: Mutex::new(ParsedCache::default()),
            walks: Mutex::new(Walks::default()),
            decoded_total: AtomicUsize::new(0),
        };
        document.check_entries()?;
        if !document.encrypted {
            document.view().catalog()?;
        }
        Ok(document)
    }

    /// The file's bytes, untouched.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The version in the `%PDF-x.y` header.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The revisions, oldest first; never empty.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The newest revision.
    pub fn newest(&self) -> &Revision {
        // `load` fails unless the chain has at least one section.
        &self.revisions[self.revisions.len() - 1]
    }

    /// The trailer of the newest revision.
    pub fn trailer(&self) -> &Dict {
        self.newest().trailer()
    }

    /// The offset the final `startxref` gives (what an update's `/Prev` must point at).
    pub fn startxref(&self) -> usize {
        self.startxref
    }

    /// True when a trailer has `/Encrypt`: strings and streams are encrypted, and the signer
    /// must refuse the file ([`Document::require_unencrypted`]).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// [`PdfError::Encrypted`] for an encrypted document.
    pub fn require_unencrypted(&self) -> Result<(), PdfError> {
        if self.encrypted {
            return Err(PdfError::Encrypted);
        }
        Ok(())
    }

    /// True when the file starts with a linearization dictionary.
    pub fn is_linearized(&self) -> bool {
        self.linearized
    }

    /// The document as of its newest revision.
    pub fn view(&self) -> View<'_> {
        View {
            document: self,
            revision: self.revisions.len() - 1,
        }
    }

    /// The document as of revision `index` (0 is the original); `None` past the newest.
    pub fn view_at(&self, index: usize) -> Option<View<'_>> {
        (index < self.revisions.len()).then_some(View {
            document: self,
            revision: index,
        })
    }

    /// Shorthand for `view().get(reference)`.
    pub fn get(&self, reference: ObjRef) -> Result<Object, PdfError> {
        self.view().get(reference)
    }

    /// Shorthand for `view().catalog()`.
    pub fn catalog(&self) -> Result<Dict, PdfError> {
        self.view().catalog()
    }

    /// Shorthand for `view().pages()`.
    pub fn pages(&self) -> Result<Vec<Page>, PdfError> {
        self.view().pages()
    }

    /// Shorthand for `view().fields()`.
    pub fn fields(&self) -> Result<Vec<Field>, PdfError> {
        self.view().fields()
    }

    /// The raw (still filtered) data of a stream.
    pub fn stream_bytes<'a>(&'a self, stream: &'a Stream) -> &'a [u8] {
        match &stream.data {
            // Ranges are checked against the file when the stream is parsed.
            StreamData::File(range) => self.bytes.get(range.clone()).unwrap_or_default(),
            StreamData::Owned(data) => data,
        }
    }

    /// Highest object number in use or listed anywhere, and the trailer's `/Size`.
    pub(crate) fn next_object_number(&self) -> u32 {
        let listed = self.newest.keys().max().map_or(1, |&n| n.saturating_add(1));
        let size = self
            .trailer()
            .get("Size")
            .and_then(Object::as_i64)
            .and_then(|size| u32::try_from(size).ok())
            .filter(|&size| size <= MAX_OBJECT_NUMBER + 1)
            .unwrap_or(0);
        listed.max(size).max(1)
    }

    /// Every in-use entry must point, inside its own revision, at `n g obj` with its number
    /// and generation.
    fn check_entries(&self) -> Result<(), PdfError> {
        for revision in &self.revisions {
            for (number, entry) in revision.entries() {
                let XrefEntry::InUse { offset, generation } = entry else {
                    continue;
                };
                let expected = ObjRef { number, generation };
                let mismatch = PdfError::ObjectMismatch {
                    offset: offset as u64,
                    expected,
                };
                // The offset must name the first digit of the header, not white space before it.
                let at_digit = self.bytes.get(offset).is_some_and(u8::is_ascii_digit);
                if offset >= revision.end() || !at_digit {
                    return Err(mismatch);
                }
                match Parser::new(&self.bytes, offset).object_header() {
                    Ok(found) if found == expected => {}
                    _ => return Err(mismatch),
                }
            }
        }
        Ok(())
    }

    fn object_stream(
        &self,
        view: &View<'_>,
        number: u32,
        offset: usize,
        depth: usize,
    ) -> Result<Arc<ObjectStream>, PdfError> {
        if let Some(cached) = self.lock_cache().get(&offset) {
            return cached.clone();
        }
        let result = self.decode_object_stream(view, number, offset, depth);
        self.lock_cache().entry(offset).or_insert(result).clone()
    }

    fn lock_cache(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<usize, Result<Arc<ObjectStream>, PdfError>>> {
        // A panic while holding the lock cannot leave the map inconsistent: entries are
        // inserted whole. So a poisoned lock is still usable.
        self.object_streams
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn decode_object_stream(
        &self,
        view: &View<'_>,
        number: u32,
        offset: usize,
        depth: usize,
    ) -> Result<Arc<ObjectStream>, PdfError> {
        self.require_unencrypted()?;
        let object = view.get_at(ObjRef::new(number, 0), depth + 1)?;
        let stream = match object {
            Object::Stream(stream) if stream.dict.type_name().is_some_and(|t| *t == "ObjStm") => {
                stream
            }
            _ => {
                return Err(PdfError::structure(
                    offset,
                    "object stream is not a /Type /ObjStm stream",
                ));
            }
        };
        let used = self.decoded_total.load(Ordering::Relaxed);
        let left = MAX_DECODED_OBJECT_STREAM_TOTAL.saturating_sub(used);
        let cap = MAX_OBJECT_STREAM_BYTES.min(left);
        let data = filter::decode(&stream.dict, self.stream_bytes(&stream), cap, offset)?;
        self.decoded_total.fetch_add(data.len(), Ordering::Relaxed);
        ObjectStream::parse(&stream.dict, data, offset).map(Arc::new)
    }
}

/// The document as of one revision: objects resolve through the newest definition at or
/// before it.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    document: &'a Document,
    revision: usize,
}

impl<'a> View<'a> {
    /// The document.
    pub fn document(&self) -> &'a Document {
        self.document
    }

    /// The revision this view is as of.
    pub fn revision(&self) -> &'a Revision {
        &self.document.revisions[self.revision]
    }

    /// That revision's trailer.
    pub fn trailer(&self) -> &'a Dict {
        self.revision().trailer()
    }

    /// The xref entry for `number` as of this revision.
    pub fn entry(&self, number: u32) -> Option<XrefEntry> {
        if self.revision + 1 == self.document.revisions.len() {
            return self.document.newest.get(&number).copied();
        }
        self.document.revisions[..=self.revision]
            .iter()
            .rev()
            .find_map(|revision| revision.entry(number))
    }

    /// Where an object starts in the file (its object stream's offset when compressed).
    pub fn offset_of(&self, reference: ObjRef) -> Option<usize> {
        match self.entry(reference.number)? {
            XrefEntry::InUse { offset, .. } => Some(offset),
            XrefEntry::Compressed { stream, .. } => match self.entry(stream)? {
                XrefEntry::InUse { offset, .. } => Some(offset),
                _ => None,
            },
            XrefEntry::Free { .. } => None,
        }
    }

    /// The object `reference` names; `Null` when it is free, missing, or of another
    /// generation (§7.3.10).
    pub fn get(&self, reference: ObjRef) -> Result<Object, PdfError> {
        self.get_at(reference, 0)
    }

    /// Follow references until a direct object (at most [`MAX_REFERENCE_CHAIN`]).
    pub fn resolve(&self, object: &Object) -> Result<Object, PdfError> {
        let mut current = object.clone();
        for _ in 0..MAX_REFERENCE_CHAIN {
            match current {
                Object::Ref(reference) => current = self.get(reference)?,
                other => return Ok(other),
            }
        }
        let offset = object
            .as_reference()
            .and_then(|reference| self.offset_of(reference))
            .unwrap_or(0);
        Err(PdfError::Limit {
            offset: offset as u64,
            what: "chain of references to references",
            max: MAX_REFERENCE_CHAIN as u64,
        })
    }

    /// Where the value of `key` is written in the file, for an uncompressed dictionary
    /// object: e.g. the `/Contents` hex string of a signature dictionary, `<` to `>`
    /// inclusive, which a `/ByteRange` must leave out exactly. `None` when the object is
    /// compressed, free, not a dictionary, or lacks the key.
    pub fn value_span(
        &self,
        reference: ObjRef,
        key: &str,
    ) -> Result<Option<Range<usize>>, PdfError> {
        let Some(XrefEntry::InUse { offset, generation }) = self.entry(reference.number) else {
            return Ok(None);
        };
        if generation != reference.generation {
            return Ok(None);
        }
        let mut parser = Parser::new(&self.document.bytes, offset);
        if parser.object_header()? != reference {
            return Err(PdfError::ObjectMismatch {
                offset: offset as u64,
                expected: reference,
            });
        }
        let spans = match parser.dict_spans() {
            Ok(spans) => spans,
            Err(PdfError::Syntax {
                expected: "a dictionary",
                ..
            }) => return Ok(None),
            Err(error) => return Err(error),
        };
        Ok(spans
            .into_iter()
            .find(|(name, _)| *name == key)
            .map(|(_, span)| span))
    }

    /// The catalog's reference (`/Root` in the trailer).
    pub fn root(&self) -> Result<ObjRef, PdfError> {
        self.trailer()
            .get("Root")
            .and_then(Object::as_reference)
            .ok_or_else(|| {
                PdfError::structure(
                    self.revision().xref_offset(),
                    "trailer has no /Root reference",
                )
            })
    }

    /// The document catalog (`/Root`), which must be a `/Type /Catalog` dictionary.
    pub fn catalog(&self) -> Result<Dict, PdfError> {
        let root = self.root()?;
        let offset = self
            .offset_of(root)
            .unwrap_or(self.revision().xref_offset());
        match self.get(root)? {
            Object::Dict(dict) if dict.type_name().is_some_and(|t| *t == "Catalog") => Ok(dict),
            _ => Err(PdfError::structure(
                offset,
                "/Root is not a /Type /Catalog dictionary",
            )),
        }
    }

    /// The catalog's `/AcroForm` dictionary, if there is one.
    pub fn acroform(&self) -> Result<Option<Dict>, PdfError> {
        let catalog = self.catalog()?;
        match catalog
            .get("AcroForm")
            .map(|form| self.resolve(form))
            .transpose()?
        {
            None | Some(Object::Null) => Ok(None),
            Some(Object::Dict(form)) => Ok(Some(form)),
            Some(_) => Err(PdfError::structure(
                self.revision().xref_offset(),
                "/AcroForm is not a dictionary",
            )),
        }
    }

    /// The pages in order, from a bounded, cycle-safe walk of the page tree.
    pub fn pages(&self) -> Result<Vec<Page>, PdfError> {
        walk::pages(self)
    }

    /// Every node of the AcroForm field tree, depth first, from a bounded, cycle-safe walk.
    pub fn fields(&self) -> Result<Vec<Field>, PdfError> {
        walk::fields(self)
    }

    /// [`View::fields`], walked once per revision and shared.
    pub fn fields_shared(&self) -> Arc<Result<Vec<Field>, PdfError>> {
        self.shared_walk(|walks| &mut walks.fields, walk::fields)
    }

    /// [`View::pages`], walked once per revision and shared.
    pub fn pages_shared(&self) -> Arc<Result<Vec<Page>, PdfError>> {
        self.shared_walk(|walks| &mut walks.pages, walk::pages)
    }

    /// A walk of this revision from the document's cache, or walked now and kept while the
    /// cache holds fewer than [`MAX_CACHED_WALK_NODES`] entries.
    fn shared_walk<T>(
        &self,
        table: fn(&mut Walks) -> &mut WalkTable<T>,
        walk: fn(&View<'_>) -> Result<Vec<T>, PdfError>,
    ) -> Arc<Result<Vec<T>, PdfError>> {
        let known = self
            .document
            .walks
            .lock()
            .ok()
            .and_then(|mut walks| table(&mut walks).get(&self.revision).cloned());
        known.unwrap_or_else(|| {
            let walked = Arc::new(walk(self));
            let nodes = walked.as_ref().as_ref().map_or(0, Vec::len);
            if let Ok(mut walks) = self.document.walks.lock()
                && walks.nodes + nodes <= MAX_CACHED_WALK_NODES
            {
                walks.nodes += nodes;
                table(&mut walks).insert(self.revision, Arc::clone(&walked));
            }
            walked
        })
    }

    /// A stream's data through its filters, capped at [`MAX_DECODED_STREAM_BYTES`].
    pub fn decode(&self, stream: &Stream) -> Result<Vec<u8>, PdfError> {
        self.decode_with_limit(stream, MAX_DECODED_STREAM_BYTES)
    }

    /// A stream's data through its filters, capped at `cap` bytes.
    pub fn decode_with_limit(&self, stream: &Stream, cap: usize) -> Result<Vec<u8>, PdfError> {
        self.document.require_unencrypted()?;
        let mut dict = stream.dict.clone();
        for key in ["Filter", "DecodeParms"] {
            if let Some(value) = dict.get(key).filter(|v| v.as_reference().is_some()) {
                let value = self.resolve(value)?;
                dict.insert(key, value);
            }
        }
        let offset = stream.file_range().map_or(0, |range| range.start);
        filter::decode(&dict, self.document.stream_bytes(stream), cap, offset)
    }

    pub(crate) fn get_at(&self, reference: ObjRef, depth: usize) -> Result<Object, PdfError> {
        if depth > MAX_RESOLVE_DEPTH {
            let offset = self.offset_of(reference).unwrap_or(0);
            return Err(PdfError::structure(
                offset,
                "stream /Length resolution loops",
            ));
        }
        match self.entry(reference.number) {
            Some(XrefEntry::InUse { offset, generation }) if generation == reference.generation => {
                self.parse_at(reference, offset, depth)
            }
            Some(XrefEntry::Compressed { stream, index }) if reference.generation == 0 => {
                self.compressed(reference.number, stream, index, depth)
            }
            _ => Ok(Object::Null),
        }
    }

    fn parse_at(&self, reference: ObjRef, offset: usize, depth: usize) -> Result<Object, PdfError> {
        if let Some(object) = self.cached(reference, offset) {
            return Ok(object);
        }
        let (object, span, per_revision) = self.parse_uncached(reference, offset, depth)?;
        // An object whose parse resolved an indirect `/Length` belongs to this revision's
        // view; any other parses the same from every revision.
        let revision = if per_revision {
            self.revision
        } else {
            ANY_REVISION
        };
        if let Ok(mut cache) = self.document.parsed.lock()
            && cache.bytes + span <= MAX_CACHED_PARSE_BYTES
        {
            cache.bytes += span;
            cache
                .objects
                .insert((revision, offset), (reference, object.clone()));
        }
        Ok(object)
    }

    fn cached(&self, reference: ObjRef, offset: usize) -> Option<Object> {
        let cache = self.document.parsed.lock().ok()?;
        let (found, object) = cache
            .objects
            .get(&(ANY_REVISION, offset))
            .or_else(|| cache.objects.get(&(self.revision, offset)))?;
        (*found == reference).then(|| object.clone())
    }

    /// The object at `offset`, the number of source bytes it took, and whether an indirect
    /// `/Length` was resolved for it.
    fn parse_uncached(
        &self,
        reference: ObjRef,
        offset: usize,
        depth: usize,
    ) -> Result<(Object, usize, bool), PdfError> {
        let mut per_revision = false;
        let mut length = |target: ObjRef| {
            per_revision = true;
            match self.get_at(target, depth + 1)? {
                Object::Integer(length) => Ok(length),
                _ => Err(PdfError::structure(
                    offset,
                    "indirect stream /Length is not an integer",
                )),
            }
        };
        let mut parser = Parser::new(&self.document.bytes, offset);
        let indirect = parser.indirect(&mut length)?;
        if indirect.reference != reference {
            return Err(PdfError::ObjectMismatch {
                offset: offset as u64,
                expected: reference,
            });
        }
        Ok((
            indirect.object,
            parser.pos().saturating_sub(offset),
            per_revision,
        ))
    }

    fn compressed(
        &self,
        number: u32,
        stream: u32,
        index: u32,
        depth: usize,
    ) -> Result<Object, PdfError> {
        let Some(XrefEntry::InUse { offset, .. }) = self.entry(stream) else {
            let offset = self.revision().xref_offset();
            return Err(PdfError::structure(
                offset,
                "object stream is not an uncompressed object",
            ));
        };
        let wrap = |source: PdfError| PdfError::CompressedObject {
            number,
            stream,
            offset: offset as u64,
            source: Box::new(source),
        };
        let object_stream = self
            .document
            .object_stream(self, stream, offset, depth)
            .map_err(wrap)?;
        object_stream.object(number, index).map_err(wrap)
    }
}

/// A decoded object stream: its data and the (number, offset) pairs of its header.
#[derive(Debug)]
struct ObjectStream {
    data: Vec<u8>,
    first: usize,
    index: Vec<(u32, usize)>,
}

impl ObjectStream {
    fn parse(dict: &Dict, data: Vec<u8>, offset: usize) -> Result<Self, PdfError> {
        let int = |key: &str| {
            dict.get(key)
                .and_then(Object::as_i64)
                .and_then(|value| usize::try_from(value).ok())
        };
        let count = int("N")
            .filter(|&n| n <= MAX_OBJECT_STREAM_OBJECTS)
            .ok_or_else(|| PdfError::structure(offset, "object stream /N missing or too large"))?;
        let first = int("First")
            .filter(|&first| first <= data.len())
            .ok_or_else(|| {
                PdfError::structure(offset, "object stream /First missing or past its data")
            })?;
        let mut lexer = Lexer::new(&data[..first], 0);
        let mut index = Vec::with_capacity(count.min(first / 4 + 1));
        for _ in 0..count {
            let pair = (lexer.next_token()?, lexer.next_token()?);
            let (Some((_, Token::Integer(number))), Some((_, Token::Integer(at)))) = pair else {
                return Err(PdfError::structure(
                    offset,
                    "object stream header is not /N number-offset pairs",
                ));
            };
            let number = u32::try_from(number)
                .ok()
                .filter(|n| (1..=MAX_OBJECT_NUMBER).contains(n));
            let at = usize::try_from(at)
                .ok()
                .and_then(|at| at.checked_add(first));
            match (number, at) {
                (Some(number), Some(at)) if at <= data.len() => index.push((number, at)),
                _ => {
                    return Err(PdfError::structure(
                        offset,
                        "object stream header entry out of range",
                    ));
                }
            }
        }
        Ok(ObjectStream { data, first, index })
    }

    /// Object `number`, which the xref says is at `index`.
    fn object(&self, number: u32, index: u32) -> Result<Object, PdfError> {
        let &(listed, at) = self
            .index
            .get(index as usize)
            .ok_or_else(|| PdfError::structure(self.first, "object stream index past /N"))?;
        if listed != number {
            return Err(PdfError::structure(
                self.first,
                "object stream lists another object at this index",
            ));
        }
        Parser::new(&self.data, at).object()
    }
}

/// The `x.y` of the `%PDF-x.y` header, which must start the file.
fn header_version(bytes: &[u8]) -> Result<String, PdfError> {
    let rest = bytes.strip_prefix(b"%PDF-").ok_or(PdfError::NotPdf)?;
    let version: Vec<u8> = rest
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .copied()
        .collect();
    let valid = matches!(version.as_slice(), [major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit());
    if !valid {
        return Err(PdfError::NotPdf);
    }
    Ok(String::from_utf8_lossy(&version).into_owned())
}

/// True when the first object in the file is a linearization dictionary (Annex F).
fn is_linearized(bytes: &[u8]) -> bool {
    let mut lexer = Lexer::new(bytes, 0);
    // The header line and the binary comment are comments; the lexer skips them.
    let Ok(Some((start, _))) = lexer.next_token() else {
        return false;
    };
    let mut never = |_: ObjRef| -> Result<i64, PdfError> { Err(PdfError::syntax(0, "")) };
    match Parser::new(bytes, start).indirect(&mut never) {
        Ok(indirect) => indirect
            .object
            .as_dict()
            .is_some_and(|dict| dict.contains_key("Linearized")),
        Err(_) => false,
    }
}

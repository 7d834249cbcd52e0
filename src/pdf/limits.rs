//! Limits of the PDF reader, each with the reason for its value (STYLE.md habit 2).
//!
//! The file size itself is bounded by [`crate::limits::MAX_FILE_BYTES`]. These numbers bound
//! what a file of that size can make the reader do: recursion, allocations, decompression
//! and the number of objects visited.

/// Deepest nesting of arrays and dictionaries in one object: 64.
///
/// Real files nest under 10 levels (a page's `/Resources` → `/Font` → font → `/FontDescriptor`
/// → `/FontFile`); ISO 32000-1 Annex C gives 28 as Acrobat's limit for PostScript-like
/// nesting. 64 stops stack exhaustion from 10,000-deep inputs while the recursive parser, the
/// serializer and `Drop` stay shallow.
pub const MAX_DEPTH: usize = 64;

/// Longest name or keyword, in bytes: 1 KiB.
///
/// Annex C gives 127 bytes as Acrobat's limit; eight times that lets sloppy producers through
/// while keeping every name a small allocation.
pub const MAX_NAME_BYTES: usize = 1024;

/// Longest string, in decoded bytes: 8 MiB.
///
/// The largest strings in real files are signature `/Contents` (pyHanko reserves 16 KiB, a
/// B-LT signature with embedded revocation data rarely passes 1 MiB); 8 MiB is eight times
/// that, and is still a bounded allocation.
pub const MAX_STRING_BYTES: usize = 8 * 1024 * 1024;

/// Most entries in one array: 262,144.
///
/// The largest arrays in real files are the `/W` widths of CJK fonts (tens of thousands of
/// numbers) and `/Kids` of flat page trees; 2^18 covers them and caps one array at about
/// 10 MiB of memory (40 bytes per parsed object), whatever the file size.
pub const MAX_ARRAY_LEN: usize = 1 << 18;

/// Most entries in one dictionary: 65,536.
///
/// Dictionaries are small except old-style `/Dests` name dictionaries, which reach a few
/// thousand entries.
pub const MAX_DICT_LEN: usize = 1 << 16;

/// Most xref entries read from all sections together: 1,048,576 (a work budget).
///
/// A 10,000-page report has about 500,000 objects. Each entry costs a map slot and one
/// object-header check at load, so this bounds both load time and memory; it also stops
/// xref streams whose `/W [0 1 0]` would let a few bytes claim millions of entries.
pub const MAX_XREF_ENTRIES: u64 = 1 << 20;

/// Most xref sections (revisions, plus the sections of linearized and hybrid files): 1,000.
///
/// A document signed by ten people at B-LTA, each with a DSS and a document timestamp update,
/// has about 40 revisions.
pub const MAX_XREF_SECTIONS: u64 = 1_000;

/// Largest decoded xref stream: 16 MiB.
///
/// [`MAX_XREF_ENTRIES`] entries of the widest usual layout (`/W [1 8 2]`, 11 bytes) take
/// 11 MiB.
pub const MAX_XREF_STREAM_BYTES: usize = 16 * 1024 * 1024;

/// Largest decoded object stream (`/Type /ObjStm`): 8 MiB.
///
/// qpdf packs 100 objects per stream and Acrobat about 200, giving streams of tens of KiB;
/// the largest we have seen are about 1 MiB (font width arrays).
pub const MAX_OBJECT_STREAM_BYTES: usize = 8 * 1024 * 1024;

/// Most objects one object stream may declare (`/N`): 131,072.
///
/// Each needs at least four header bytes, so [`MAX_OBJECT_STREAM_BYTES`] could claim two
/// million; real streams hold a few hundred.
pub const MAX_OBJECT_STREAM_OBJECTS: usize = 1 << 17;

/// Most bytes decoded from object streams in one document, all streams together: 64 MiB.
///
/// Decoded object streams are cached for the document's lifetime; this caps that cache at the
/// size of the largest file accepted, so a file of many small bombs stays bounded too.
pub const MAX_DECODED_OBJECT_STREAM_TOTAL: usize = 64 * 1024 * 1024;

/// Default cap for decoding one content, image or embedded stream: 64 MiB.
///
/// A scanned A4 page at 300 dpi, 8-bit grey, is about 8.7 MiB raw. Callers that know better
/// pass their own cap to `View::decode_with_limit`.
pub const MAX_DECODED_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Most nodes visited in a page tree walk: 200,000.
///
/// A 100,000-page document with a balanced tree has about 101,000 nodes.
pub const MAX_PAGE_TREE_NODES: u64 = 200_000;

/// Most nodes visited in an AcroForm field walk: 100,000.
///
/// An official document has a handful of fields (number, date, one signature per signer);
/// large tax forms have a few thousand.
pub const MAX_FIELD_NODES: u64 = 100_000;

/// Longest chain of references followed by `View::resolve` (`1 0 R` → `2 0 R` → …): 32.
///
/// Real files never chain references to references; a short chain allows odd producers and
/// stops loops.
pub const MAX_REFERENCE_CHAIN: usize = 32;

/// Highest object number read or written: 8,388,607.
///
/// ISO 32000-1 Annex C gives 8,388,607 as the largest object number; it also keeps `/Size`
/// arithmetic far from integer overflow.
pub const MAX_OBJECT_NUMBER: u32 = 8_388_607;

//! Revisions (phiên bản): the original document and each incremental update after it.
//!
//! Revision `k` is the byte range `0..end` of the file, where `end` is just past its
//! `%%EOF` line; it is the file as it was when that revision was saved, and what a signature
//! made in the next revision covers. Each revision knows the objects its xref section
//! (re)defines; the newest definition at or before a revision is the object as of that
//! revision ([`super::View`]).
//!
//! Xref sections map to revisions one to one, except in linearized files, whose first-page
//! section comes first in the file but is newer in the `/Prev` chain: it is merged into the
//! revision of the main section it points to.

use std::collections::BTreeMap;
use std::ops::Range;

use super::error::PdfError;
use super::object::Dict;
use super::xref::{Section, XrefEntry, XrefKind};

/// One revision of the document.
#[derive(Debug, Clone)]
pub struct Revision {
    index: usize,
    xref_offset: usize,
    kind: XrefKind,
    eof: usize,
    end: usize,
    trailer: Dict,
    entries: BTreeMap<u32, XrefEntry>,
}

impl Revision {
    /// Its position: 0 for the original document, 1 for the first update, …
    pub fn index(&self) -> usize {
        self.index
    }

    /// The bytes of the file as of this revision: `0..end`.
    pub fn range(&self) -> Range<usize> {
        0..self.end
    }

    /// Just past this revision's `%%EOF` and the end-of-line after it.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Where this revision's `%%EOF` marker starts.
    pub fn eof_offset(&self) -> usize {
        self.eof
    }

    /// Where its xref section starts (what the next revision's `/Prev` points at).
    pub fn xref_offset(&self) -> usize {
        self.xref_offset
    }

    /// Whether its xref section is a table, a stream, or a hybrid.
    pub fn xref_kind(&self) -> XrefKind {
        self.kind
    }

    /// Its trailer (for an xref stream, the stream's dictionary).
    pub fn trailer(&self) -> &Dict {
        &self.trailer
    }

    /// The objects this revision defines, redefines or frees, by number.
    pub fn entries(&self) -> impl Iterator<Item = (u32, XrefEntry)> + '_ {
        self.entries.iter().map(|(&number, &entry)| (number, entry))
    }

    /// This revision's own entry for `number`, if it has one.
    pub fn entry(&self, number: u32) -> Option<XrefEntry> {
        self.entries.get(&number).copied()
    }

    /// Highest object number this revision's xref section lists.
    pub fn max_object_number(&self) -> u32 {
        self.entries.keys().next_back().copied().unwrap_or(0)
    }
}

/// Turn the sections (newest first) into revisions (oldest first).
///
/// A section that ends (or has no `%%EOF` at all) before the revision it points to is only
/// allowed in a linearized file, and only when it also starts before that revision's section:
/// that is the first-page section, which is merged into the main one.
pub(crate) fn build(sections: Vec<Section>, linearized: bool) -> Result<Vec<Revision>, PdfError> {
    let mut revisions: Vec<Revision> = Vec::new();
    for section in sections.into_iter().rev() {
        let after_last = match (revisions.last(), section.eof) {
            (None, Some(_)) => true,
            (Some(last), Some((_, end))) => end > last.end,
            (_, None) => false,
        };
        if after_last {
            let (eof, end) = section.eof.unwrap_or_default();
            revisions.push(Revision {
                index: revisions.len(),
                xref_offset: section.offset,
                kind: section.kind,
                eof,
                end,
                trailer: section.trailer,
                entries: section.entries,
            });
            continue;
        }
        match revisions.last_mut() {
            Some(last) if linearized && section.offset < last.xref_offset => {
                merge_newer(last, section)
            }
            _ if section.eof.is_none() => {
                return Err(PdfError::MissingEof {
                    offset: section.offset as u64,
                });
            }
            _ => {
                return Err(PdfError::RevisionOrder {
                    offset: section.offset as u64,
                });
            }
        }
    }
    Ok(revisions)
}

/// Fold a linearized file's first-page section (newer in the chain, earlier in the file)
/// into the revision of the main section.
fn merge_newer(revision: &mut Revision, section: Section) {
    revision.entries.extend(section.entries);
    let mut trailer = section.trailer;
    for (key, value) in revision.trailer.iter() {
        if !trailer.contains_key(key.as_bytes()) {
            trailer.insert(key.clone(), value.clone());
        }
    }
    revision.trailer = trailer;
    revision.xref_offset = section.offset;
    revision.kind = section.kind;
}

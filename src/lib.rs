//! # vanban: Vietnamese official documents, composed, numbered, signed and verified
//!
//! Data flows down this list; each module imports only modules above it (STYLE.md §2).
//!
//! ```text
//!  YAML/JSON ──► model ──► compose ──► layout ──► render::pdf ──► sign ──► PDF (PAdES)
//!  (input)     (Document) (Composed)  (Pages)   render::docx                 │
//!                                                                           ▼
//!                                            recipients ◄── verify (Status, report)
//! ```
//!
//! The leaves [`diag`], [`limits`] and [`text`] are open to every module.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Diagnostics with the field path or byte offset they point at.
pub mod diag;
/// Limits and work budgets for untrusted input.
pub mod limits;
/// Object identifiers (constants only).
pub mod oid;
/// Vietnamese text: NFC, upper case, date words, numerals.
pub mod text;

/// Templates turn a document into format-neutral blocks.
pub mod compose;
/// Typesetting: style table, fonts, line breaking, pagination.
pub mod layout;
/// Văn bản as typed data: input format, parsing, lints.
pub mod model;
/// Renderers: composed blocks become PDF and DOCX files.
pub mod render;

/// PDF syntax for reading and appending: lexer, objects, xref, revisions, incremental writer.
pub mod pdf;
/// Keys, certificates, trust anchors and path validation.
pub mod pki;

/// Make signatures: CMS, timestamps, PAdES.
pub mod sign;

/// Judge signatures made by anyone; never imports `sign`.
pub mod verify;

/// Sổ đăng ký: numbering, the outgoing and incoming registers, the audit log (SQLite or PostgreSQL).
pub mod register;

pub mod server;
/// Quy trình văn bản: draft → signed → numbered, sealed, issued → received, with roles.
pub mod workflow;

/// The command-line shell.
pub mod cli;

/// Entry points for the fuzz targets in `tests/fuzz/`.
#[doc(hidden)]
pub mod fuzzing;

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
//! The leaves [`diag`], [`limits`] and [`text`] are open to every module. Below the pipeline,
//! [`register`] keeps the books (numbers, sổ đi/sổ đến, people, documents, the audit log),
//! [`workflow`] runs the decree's chain over everything above it, and [`server`] and [`cli`]
//! are thin shells over [`workflow`] and [`register`].
//!
//! ## Where this layout departs from STYLE.md §2, and why
//!
//! - **`Signer` lives in [`pki`], not `sign`.** A key file, a PKCS#12 file, a PKCS#11 token and
//!   an external signer are kinds of key, opened and checked (certificate, algorithm, PIN) by
//!   the same code that reads certificates; `sign` only asks a `Signer` for a signature, and
//!   `verify` can import [`pki`] for chains without coming near signing code.
//! - **No crate-wide `error.rs`.** Each layer has its own typed error (thiserror) and the shells
//!   map them once: [`workflow::WorkflowError`] for the chain, `server::error::ApiError` for
//!   HTTP statuses, exit codes in [`cli`]. One enum over every layer would make `server` match
//!   on PDF-lexer variants it can do nothing with.
//! - **`stamp.rs` is `sign::fill` + `sign::appearance`.** Filling the number and date fields and
//!   drawing a signature's appearance are separate steps with separate rules (FORMAT.md §5.2:
//!   the number and date are form values under DocMDP P=2; the seal is the organisation
//!   signature's widget appearance).
//! - **`sign::workflow`** holds the two signing steps of the chain as pure functions
//!   (leader signs, clerk fills and seals), so that `vanban sign`, `vanban demo` and the service
//!   ([`workflow`]) sign the same way; [`workflow`] adds roles, storage and audit around them.
//! - **No `ooxml/` yet.** DOCX files are written by `render::docx` (docx-rs) and, when received,
//!   inspected only through their zip directory; OOXML package signatures are neither made nor
//!   checked yet, and a signed DOCX is reported as not evaluated, never as valid.
//! - **[`oid`]** is a leaf of constants shared by `sign`, `verify` and [`pki`], so that an OID is
//!   spelled once.
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

/// The HTTP service: JSON API (OpenAPI at `/openapi.json`) and server-rendered pages per role.
pub mod server;
/// Quy trình văn bản: draft → signed → numbered, sealed, issued → received, with roles.
pub mod workflow;

/// The command-line shell.
pub mod cli;

/// Entry points for the fuzz targets in `tests/fuzz/`.
#[doc(hidden)]
pub mod fuzzing;

//! Verify (kiểm tra chữ ký số): judge PDF signatures made by anyone, and reject by default.
//!
//! Nghị định 30/2020/NĐ-CP Điều 21 makes the recipient check the authenticity and integrity of
//! every electronic document it receives. This module answers, for each signature and
//! document timestamp in a PDF, with separate facts (STYLE.md habit 8) and a verdict derived
//! from them: `valid`, `valid-with-allowed-changes`, `invalid-modified`, `invalid-crypto`,
//! `untrusted`, `expired`, `revoked` or `malformed`.
//!
//! ```text
//!  bytes ──► pdf::Document::load ──► revision::find_signatures ──► for each signature:
//!                (strict; a file        (every revision's signed       revision::coverage   which bytes
//!                 that does not load     signature fields)             cms::check           crypto facts
//!                 is malformed)                                        timestamp::check_token
//!                                                                      chain::evaluate      trust at the proven time
//!                                                                      diff::analyse        changes after it
//!                                                                      diff::permissions    DocMDP / FieldMDP
//!                                                                   ──► status::SignatureStatus ──► report::Report
//! ```
//!
//! The types to know: [`Options`] (trust anchors, validation time, network), [`verify_bytes`]
//! → [`report::Report`] (the file's verdict, its signatures, text and JSON),
//! [`status::SignatureStatus`] (the facts of one signature, its verdict and reasons).
//!
//! `verify` never imports `sign`: a verifier that shares the signer's byte-range or CMS code
//! shares its bugs. The tests sign with `sign` and with outside tools (pyHanko, endesive,
//! pdfsig) and check us against pyHanko and pdfsig. [`attacks`] lists the known attacks on PDF
//! signatures and how each is met here.
//!
//! Decisions a reader should know:
//! - **Unreadable vs malformed.** A file that is not a PDF at all (no `%PDF-` header), cannot
//!   be read, or is larger than [`crate::limits::MAX_FILE_BYTES`] is an error
//!   ([`VerifyError`], exit 2). A PDF the strict reader refuses (truncated, a broken or
//!   looping xref chain, bytes after `%%EOF` that no xref accounts for, an object-stream bomb)
//!   is reported with the file verdict `malformed` and the reader's reason (exit 1): a viewer
//!   would repair such a file in its own way, so nothing it shows can be vouched for.
//! - **Which time.** Chains are validated at the proven signing time: a verified signature
//!   timestamp's genTime, else the earliest trusted document timestamp after the signature,
//!   else the validation time (`--at`, default now), as pyHanko does. `/M` is a claim.
//! - **Approval signatures without a certification** allow what P=2 allows (form filling and
//!   signing); annotations after signing need a P=3 certification.

pub mod attacks;
pub mod ber;
pub mod chain;
pub mod cms;
pub mod diff;
pub mod evaluate;
pub mod evidence;
pub mod report;
pub mod revision;
pub mod status;
pub mod timestamp;

use std::path::Path;

use time::OffsetDateTime;

use crate::pdf::{Document, PdfError};
use crate::pki::revocation::{NetworkPolicy, RevocationCache, RevocationPolicy};
use crate::pki::trust::TrustStore;

use self::chain::TrustContext;
use self::evaluate::DocumentContext;
use self::report::Report;
use self::status::SignatureKind;

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The trust anchors (the configured store plus `--trust` files).
    pub anchors: TrustStore,
    /// The validation time (`--at`); the time used when no timestamp proves an earlier one.
    pub at: OffsetDateTime,
    /// Whether CRLs and OCSP responses may be fetched (`--online`).
    pub network: NetworkPolicy,
    /// A revocation cache directory.
    pub cache: Option<RevocationCache>,
}

impl Options {
    /// Offline, no cache, validating now against `anchors`.
    pub fn new(anchors: TrustStore) -> Options {
        Options {
            anchors,
            at: OffsetDateTime::now_utc(),
            network: NetworkPolicy::Offline,
            cache: None,
        }
    }
}

/// The file cannot be read at all (exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The file could not be opened or read.
    #[error("không đọc được tệp {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not a PDF (no `%PDF-` header) or larger than the limit.
    #[error("{path}: {source}")]
    NotPdf {
        /// The file.
        path: String,
        /// The reader's reason.
        source: PdfError,
    },
}

/// Verify the file at `path`.
pub fn verify_file(path: &Path, options: &Options) -> Result<Report, VerifyError> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|source| VerifyError::Io {
            path: name.clone(),
            source,
        })?
        .len();
    if size > crate::limits::MAX_FILE_BYTES as u64 {
        return Err(VerifyError::NotPdf {
            path: name,
            source: PdfError::FileTooLarge {
                len: size,
                max: crate::limits::MAX_FILE_BYTES as u64,
            },
        });
    }
    let bytes = std::fs::read(path).map_err(|source| VerifyError::Io {
        path: name.clone(),
        source,
    })?;
    verify_bytes(&name, bytes, options)
}

/// Verify a PDF held in memory; `name` is how the report names it.
pub fn verify_bytes(name: &str, bytes: Vec<u8>, options: &Options) -> Result<Report, VerifyError> {
    let file_digest = revision::FileDigest::of(&bytes);
    let sha256 = hex(&file_digest.sha256);
    let mut report = Report {
        file: name.to_owned(),
        sha256,
        revisions: 0,
        signatures: Vec::new(),
        malformed: None,
        validation_time: Some(options.at),
    };
    let document = match Document::load(bytes) {
        Ok(document) => document,
        Err(source @ (PdfError::NotPdf | PdfError::FileTooLarge { .. })) => {
            return Err(VerifyError::NotPdf {
                path: name.to_owned(),
                source,
            });
        }
        Err(error) => {
            report.malformed = Some(format!("cấu trúc PDF hỏng: {error}"));
            return Ok(report);
        }
    };
    report.revisions = document.revisions().len();
    if document.is_encrypted() {
        report.malformed = Some("văn bản được mã hóa (/Encrypt); không kiểm tra được".into());
        return Ok(report);
    }
    // A page tree or field tree a viewer would have to repair cannot be vouched for.
    let view = document.view();
    let (pages, fields) = (view.pages_shared(), view.fields_shared());
    if let Err(error) = pages.as_ref().as_ref().and(fields.as_ref().as_ref()) {
        report.malformed = Some(format!("cấu trúc PDF hỏng: {error}"));
        return Ok(report);
    }
    report.signatures =
        crate::pki::path::memo::session(|| verify_document_with(&document, options, &file_digest));
    Ok(report)
}

/// The status of every signature and document timestamp in a loaded document, in order.
pub fn verify_document(document: &Document, options: &Options) -> Vec<status::SignatureStatus> {
    let file_digest = revision::FileDigest::of(document.bytes());
    crate::pki::path::memo::session(|| verify_document_with(document, options, &file_digest))
}

/// [`verify_document`] with the file's digest already taken.
fn verify_document_with(
    document: &Document,
    options: &Options,
    file_digest: &revision::FileDigest,
) -> Vec<status::SignatureStatus> {
    let trust = TrustContext {
        anchors: options.anchors.clone(),
        policy: RevocationPolicy::SoftFail,
        cache: options.cache.clone(),
        network: options.network.clone(),
    };
    let found = revision::find_signatures(document);
    let mut context = DocumentContext {
        document,
        trust: &trust,
        at: options.at,
        dss: evidence::read_dss(document),
        certifications: found
            .iter()
            .filter_map(|f| match f.kind {
                SignatureKind::Certification { permission } => Some((f.revision, permission)),
                _ => None,
            })
            .collect(),
        valid_document_timestamps: Vec::new(),
        file_digest,
    };
    let timestamps: Vec<(usize, OffsetDateTime)> = found
        .iter()
        .filter(|f| f.kind == SignatureKind::DocumentTimestamp)
        .filter_map(|f| evaluate::document_timestamp_time(f, &context).map(|t| (f.revision, t)))
        .collect();
    context.valid_document_timestamps = timestamps;
    found
        .iter()
        .map(|signature| evaluate::evaluate(signature, &context))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

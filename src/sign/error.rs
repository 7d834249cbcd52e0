//! The one error type of the signing layer.
//!
//! Every refusal leaves the input untouched: the signing functions take the file as bytes and
//! return a new file, so a refusal simply returns before anything is written. Messages are
//! Vietnamese first (a văn thư reads them), with the technical detail after.

use std::path::PathBuf;

use crate::pdf::PdfError;
use crate::pki::SignerError;
use crate::pki::path::{PathError, PathFailure};
use crate::sign::cms::CmsError;
use crate::sign::tsa::TsaError;

/// Why a document could not be signed, filled or stamped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// A signature field is already signed (ký lại vào ô đã ký).
    #[error("ô chữ ký “{field}” đã có chữ ký (field already signed)")]
    AlreadySigned {
        /// The field.
        field: String,
    },
    /// A certification signature (chữ ký chứng nhận) must be the first signature.
    #[error(
        "chữ ký chứng nhận (DocMDP) phải là chữ ký đầu tiên, tài liệu đã có {existing} chữ ký \
         (certification must come first)"
    )]
    CertificationNotFirst {
        /// Signatures already in the document.
        existing: usize,
    },
    /// The signer's certificate chain is empty.
    #[error("không có chứng thư số của người ký (empty certificate chain)")]
    ChainEmpty,
    /// The chain given to complete an external signature is not the one prepared.
    #[error(
        "chứng thư số khi hoàn tất khác chứng thư số khi chuẩn bị (the certificate given to \
         complete differs from the prepared one)"
    )]
    ChainMismatch,
    /// A certification signature forbids this change (DocMDP P=1, or P=2 and the change is
    /// more than form filling and signing).
    #[error(
        "chữ ký chứng nhận của “{certifier}” không cho phép thay đổi này (DocMDP P={permission}): {change}"
    )]
    ChangeForbidden {
        /// Who certified (the signature field's name).
        certifier: String,
        /// The DocMDP permission level (1, 2 or 3).
        permission: u8,
        /// What was attempted.
        change: String,
    },
    /// A CMS structure could not be built.
    #[error("không lập được cấu trúc CMS: {0}")]
    Cms(#[from] CmsError),
    /// The signature does not fit the space reserved for it in `/Contents`.
    #[error(
        "chữ ký cần {needed} byte nhưng chỉ dành {reserved} byte trong /Contents; tệp gốc không \
         bị thay đổi (reserve more with --reserve)"
    )]
    ContentsTooSmall {
        /// Bytes reserved.
        reserved: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// The document is encrypted; it cannot be signed.
    #[error("tài liệu PDF được mã hóa, không ký được (encrypted PDF)")]
    Encrypted,
    /// The external-signing state does not match the prepared file.
    #[error("tệp trạng thái ký ngoài không khớp: {reason}")]
    ExternalState {
        /// What does not match.
        reason: String,
    },
    /// A form field is locked by an earlier signature (FieldMDP).
    #[error("trường “{field}” đã bị khóa bởi chữ ký “{locked_by}” (FieldMDP lock)")]
    FieldLocked {
        /// The locked field.
        field: String,
        /// The signature field whose signature locks it.
        locked_by: String,
    },
    /// No form field of that name.
    #[error("không có trường “{field}” trong tài liệu (no such form field)")]
    FieldMissing {
        /// The name looked for.
        field: String,
    },
    /// The field exists but is of the wrong type (a text field where a signature field is
    /// needed, or the reverse).
    #[error("trường “{field}” không phải là {expected} (wrong field type)")]
    FieldType {
        /// The field.
        field: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A character has no glyph in any font available for an appearance.
    #[error("phông chữ không có ký tự “{ch}” cho {what}")]
    Glyph {
        /// The character.
        ch: char,
        /// What was being drawn.
        what: &'static str,
    },
    /// A signature or seal image could not be used.
    #[error("ảnh chữ ký/con dấu không dùng được: {reason}")]
    Image {
        /// Why.
        reason: String,
    },
    /// An input or output file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The PDF could not be read (it is damaged or not a PDF).
    #[error("không đọc được tệp PDF: {0}")]
    Pdf(PdfError),
    /// A signature-level option needs something that was not given (B-T without a TSA URL).
    #[error("thiếu tùy chọn: {0}")]
    Missing(&'static str),
    /// The page content would change after a signature, which no signature allows.
    #[error(
        "tài liệu đã có chữ ký “{field}”; thêm nội dung vào trang sẽ làm mất hiệu lực chữ ký đó \
         (page content cannot change after signing)"
    )]
    SignedContent {
        /// The first signed signature field.
        field: String,
    },
    /// The signer's certificate failed validation at the signing time (expired, revoked, not
    /// yet valid, wrong key usage, untrusted): Thông tư 15/2025 asks signing software to refuse.
    #[error("chứng thư số của người ký không hợp lệ tại thời điểm ký: {}", .0.reason)]
    SignerCertificate(Box<PathFailure>),
    /// The signing key or token failed.
    #[error("thiết bị ký báo lỗi: {0}")]
    Signer(#[from] SignerError),
    /// The time-stamping authority failed.
    #[error("{0}")]
    Tsa(#[from] TsaError),
    /// A value to fill in is not acceptable (a number with letters, a date out of range).
    #[error("giá trị “{value}” không hợp lệ cho trường “{field}”: {reason}")]
    Value {
        /// The field.
        field: String,
        /// The value.
        value: String,
        /// Why.
        reason: &'static str,
    },
}

impl SignError {
    /// The path validation error, when the certificate was refused.
    pub fn certificate_reason(&self) -> Option<&PathError> {
        match self {
            SignError::SignerCertificate(failure) => Some(&failure.reason),
            _ => None,
        }
    }
}

impl From<PdfError> for SignError {
    fn from(error: PdfError) -> Self {
        match error {
            PdfError::Encrypted => SignError::Encrypted,
            PdfError::ContentsTooSmall { reserved, needed } => {
                SignError::ContentsTooSmall { reserved, needed }
            }
            other => SignError::Pdf(other),
        }
    }
}

impl From<Box<PathFailure>> for SignError {
    fn from(failure: Box<PathFailure>) -> Self {
        SignError::from(*failure)
    }
}

impl From<PathFailure> for SignError {
    fn from(failure: PathFailure) -> Self {
        SignError::SignerCertificate(Box::new(failure))
    }
}

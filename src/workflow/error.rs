//! The workflow's one error type. Variants are the outcomes a caller acts on (log in, not
//! allowed, not found, wrong state, bad input); the HTTP layer maps each to one status in one
//! place (`server::error`), the CLI to an exit code.

use crate::diag::Diagnostics;
use crate::register::RegisterError;
use crate::register::documents::DocState;
use crate::sign::SignError;

/// Everything a workflow step can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// No valid session or token, or a wrong user name or password.
    #[error("cần đăng nhập: {reason}")]
    Unauthorized {
        /// Why (no token, expired, wrong password).
        reason: &'static str,
    },
    /// The user's role or organisation does not allow this action (logged in the audit log).
    #[error("{role} {user} không được phép {action}")]
    Forbidden {
        /// The user name.
        user: String,
        /// The user's role, in Vietnamese.
        role: &'static str,
        /// What was attempted, in Vietnamese ("ký văn bản").
        action: &'static str,
    },
    /// The signing PIN (mã PIN, mật khẩu khóa) does not open the key.
    #[error("mã PIN của khóa ký không đúng")]
    WrongPin,
    /// No key is bound to this user or organisation.
    #[error("{owner} chưa có khóa ký trên hệ thống (dùng ký ngoài, hoặc nhờ quản trị nạp khóa)")]
    NoKey {
        /// The user or organisation.
        owner: String,
    },
    /// No such document, user or pending signature.
    #[error("không tìm thấy {what} {id}")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The document is not in a state that allows the action.
    #[error("văn bản {id} đang ở trạng thái “{state}”, không thể {action}")]
    WrongState {
        /// The document.
        id: String,
        /// Its state.
        state: DocState,
        /// What was attempted.
        action: &'static str,
    },
    /// A request field is missing or wrong.
    #[error("trường {field}: {message}")]
    Invalid {
        /// The field as the API names it.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The document data does not parse, or breaks format rules that block this step.
    #[error("văn bản có lỗi thể thức:\n{0}")]
    Format(Diagnostics),
    /// The file could not be typeset.
    #[error("không dàn trang được: {0}")]
    Render(String),
    /// The verification refused the file or found it not acceptable.
    #[error("kiểm tra chữ ký: {0}")]
    Verify(String),
    /// Signing failed (certificate refused, PDF refused, TSA unreachable…).
    #[error("ký số: {0}")]
    Sign(#[from] SignError),
    /// The register refused or failed.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// A stored file is missing or unreadable, or the data directory is not writable.
    #[error("kho tệp: {0}")]
    Files(String),
    /// A bug or an environment failure (a worker thread panicked, …): details are logged.
    #[error("lỗi nội bộ: {0}")]
    Internal(String),
}

impl WorkflowError {
    /// A field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> WorkflowError {
        WorkflowError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

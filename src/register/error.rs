//! The register's one error type: what went wrong, with the data a văn thư or an operator needs.

use super::key::{NumberKey, NumberState};

/// Everything the register (sổ đăng ký, numbering, audit) can fail with.
///
/// Messages are Vietnamese first, for the văn thư; variants carry the data so that the service
/// can turn them into JSON errors with field names.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The number was given twice: the unique constraint on (org, book, year, number) fired.
    /// The atomic counter makes this impossible unless the database was edited by hand.
    #[error("số {key} đã được cấp trước đó (trùng số trong sổ)")]
    DuplicateNumber {
        /// The number that already exists.
        key: NumberKey,
    },
    /// The same number and symbol were already issued this year by this organisation
    /// (Phụ lục VI: warn on duplicate number, symbol, issuer).
    #[error("số, ký hiệu {number}/{symbol} năm {year} của {org} đã có trong sổ văn bản đi")]
    DuplicateNumberSymbol {
        /// The organisation (cơ quan ban hành).
        org: String,
        /// The year.
        year: i32,
        /// The number as written ("05").
        number: String,
        /// The symbol (ký hiệu), e.g. `KH-CĐN`.
        symbol: String,
    },
    /// A document with this SHA-256 is already in the incoming register (sổ văn bản đến).
    #[error("văn bản có SHA-256 {sha256} đã được vào sổ đến (số đến {received})")]
    AlreadyReceived {
        /// The file digest, hex.
        sha256: String,
        /// The incoming number it got the first time.
        received: NumberKey,
    },
    /// A user, key or document with this name or id already exists.
    #[error("{what} {name} đã có")]
    AlreadyExists {
        /// What kind of thing ("người dùng", "văn bản").
        what: &'static str,
        /// Its name or id.
        name: String,
    },
    /// Someone else changed the document since it was read (optimistic concurrency): reload.
    #[error(
        "văn bản {document_id} vừa được người khác thay đổi (phiên bản {expected}); tải lại rồi thử lại"
    )]
    StaleDocument {
        /// The document.
        document_id: String,
        /// The version the caller read.
        expected: i64,
    },
    /// No such number in the register.
    #[error("không có số {key} trong sổ")]
    UnknownNumber {
        /// The number asked for.
        key: NumberKey,
    },
    /// The number is not in the state the operation needs (only a reserved number can be
    /// voided or issued).
    #[error("số {key} đang ở trạng thái {state}, không thể {operation}")]
    WrongState {
        /// The number.
        key: NumberKey,
        /// Its current state.
        state: NumberState,
        /// What was attempted ("hủy", "ban hành").
        operation: &'static str,
    },
    /// The document date's year differs from the year of the number it is issued under.
    #[error("ngày văn bản {date} không thuộc năm {year} của số {key}")]
    YearMismatch {
        /// The number.
        key: NumberKey,
        /// Its register year.
        year: i32,
        /// The document date (YYYY-MM-DD).
        date: String,
    },
    /// A text field is empty, too long, or holds control characters.
    #[error("trường {field}: {problem}")]
    InvalidField {
        /// The field name as the API and CLI spell it (`org`, `book`, `void_reason`…).
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A year outside 1900–9999.
    #[error("năm {year} nằm ngoài khoảng 1900–9999")]
    YearOutOfRange {
        /// The year given.
        year: i64,
    },
    /// The database URL is not `sqlite:…` or `postgres://…`.
    #[error(
        "địa chỉ cơ sở dữ liệu không được hỗ trợ: {url} (dùng sqlite:///đường/dẫn.db hoặc postgres://…)"
    )]
    UnsupportedUrl {
        /// The URL, with any password replaced by `***`.
        url: String,
    },
    /// The data directory or database file could not be prepared.
    #[error("không tạo được thư mục dữ liệu {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The database has migrations this binary does not know: it was upgraded by a newer vanban.
    #[error("cơ sở dữ liệu ở phiên bản {found}, bản vanban này chỉ biết đến phiên bản {known}")]
    SchemaTooNew {
        /// Highest version recorded in the database.
        found: i64,
        /// Highest version this binary carries.
        known: i64,
    },
    /// A migration already applied differs from the one this binary carries.
    #[error(
        "migration {version} ({name}) đã áp dụng khác với bản trong chương trình (SHA-256 {applied} ≠ {embedded})"
    )]
    MigrationChanged {
        /// The migration version.
        version: i64,
        /// Its name.
        name: &'static str,
        /// SHA-256 recorded in the database.
        applied: String,
        /// SHA-256 of the embedded text.
        embedded: String,
    },
    /// SQLite stayed locked by other writers for longer than the busy timeout.
    #[error("cơ sở dữ liệu đang bận quá {timeout_ms} ms khi {operation}")]
    Busy {
        /// What the register was doing.
        operation: &'static str,
        /// The busy timeout in force.
        timeout_ms: u64,
    },
    /// A value read back from the database is not what the schema allows (hand-edited rows).
    #[error("dữ liệu hỏng trong bảng {table}: {problem}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The request was queued for numbering but the task serving its batch was cancelled
    /// before answering. Whatever it committed stays on record as reserved (never given again).
    #[error("yêu cầu cấp số bị gián đoạn trước khi có kết quả; kiểm tra sổ trước khi lấy số lại")]
    Interrupted,
    /// Any other database failure, with the operation it happened in.
    #[error("lỗi cơ sở dữ liệu khi {operation}: {source}")]
    Database {
        /// What the register was doing (`cấp số`, `ghi nhật ký`…).
        operation: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
}

impl RegisterError {
    /// Wrap a driver error raised while doing `operation`.
    pub(crate) fn db(operation: &'static str) -> impl FnOnce(sqlx::Error) -> RegisterError {
        move |source| RegisterError::Database { operation, source }
    }

    /// True when the driver error is a unique-constraint violation.
    pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
        error
            .as_database_error()
            .is_some_and(|db| db.is_unique_violation())
    }
}

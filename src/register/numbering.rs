//! Cấp số (Nghị định 30 Điều 15): numbers per organisation, book and calendar year, from 01,
//! never given twice.
//!
//! A number is taken by one atomic statement that both engines run as written:
//!
//! ```sql
//! INSERT INTO register_counter (org, direction, book, year, last_number) VALUES ($1, $2, $3, $4, 1)
//! ON CONFLICT (org, direction, book, year) DO UPDATE SET last_number = register_counter.last_number + 1
//! RETURNING last_number
//! ```
//!
//! On PostgreSQL the conflicting row is locked until commit, so concurrent takers from any number
//! of service instances queue on it; on SQLite the whole write is serialised by `BEGIN
//! IMMEDIATE`. The number is then inserted into `register_number`, whose primary key (org, book,
//! year, number) would reject a duplicate, and the audit entry is appended, all in one
//! transaction: a number is either taken, recorded and logged, or none of the three.
//!
//! Life of an outgoing number: reserved ([`reserve`], lấy số) → issued ([`super::outgoing`],
//! ban hành) or voided ([`void`], hủy số, with a reason). A voided number stays on the record
//! and the counter never goes back, so it is never given again.

use serde_json::json;
use sqlx::Row;
use time::OffsetDateTime;

use super::audit::{self, AuditAction, AuditEntry};
use super::key::{
    Actor, Book, Direction, MAX_TEXT_CHARS, NumberKey, NumberState, Org, Year, checked_text,
};
use super::store::{Register, WriteTx};
use super::{RegisterError, timestamp};

/// The atomic counter step (see the module docs).
const NEXT: &str = "INSERT INTO register_counter (org, direction, book, year, last_number) \
    VALUES ($1, $2, $3, $4, 1) \
    ON CONFLICT (org, direction, book, year) \
    DO UPDATE SET last_number = register_counter.last_number + 1 \
    RETURNING last_number";

/// A request for the next number of a book.
#[derive(Debug, Clone)]
pub struct ReserveRequest {
    /// Cơ quan ban hành.
    pub org: Org,
    /// Sổ.
    pub book: Book,
    /// The register year: the year of the issue date (ngày ban hành) the caller passes in.
    pub year: Year,
    /// Who takes the number (văn thư, or a script).
    pub actor: Actor,
    /// When (passed in; recorded, and used for the audit entry).
    pub at: OffsetDateTime,
}

/// A number given out, with the audit row that records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserved {
    /// The number.
    pub key: NumberKey,
    /// Seq of the audit entry written in the same transaction.
    pub audit_seq: i64,
}

/// One number of the outgoing register as stored, with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRecord {
    /// The number.
    pub key: NumberKey,
    /// Reserved, issued or voided.
    pub state: NumberState,
    /// When it was reserved (RFC 3339 UTC).
    pub reserved_at: String,
    /// Who reserved it.
    pub reserved_by: String,
    /// Why it was voided (lý do hủy số).
    pub void_reason: Option<String>,
    /// When it was voided.
    pub voided_at: Option<String>,
    /// Who voided it.
    pub voided_by: Option<String>,
}

/// Take the next number of `request.book` for `request.year`, record it as reserved and log it.
///
/// Returns once the number is committed. Concurrent calls on the same [`Register`] (or its
/// clones) share one transaction and one commit (group commit, see `batch.rs`); each number
/// still has its own row and audit entry, in call order.
pub async fn reserve(
    register: &Register,
    request: &ReserveRequest,
) -> Result<Reserved, RegisterError> {
    register.number_queue().reserve(register, request).await
}

/// [`reserve`] inside the caller's transaction (to combine with other writes).
pub async fn reserve_in(
    tx: &mut WriteTx,
    request: &ReserveRequest,
) -> Result<Reserved, RegisterError> {
    let number = next_in(
        tx,
        Direction::Outgoing,
        &request.org,
        &request.book,
        request.year,
    )
    .await?;
    let key = NumberKey {
        org: request.org.clone(),
        book: request.book.clone(),
        year: request.year,
        number,
    };
    let inserted = sqlx::query(
        "INSERT INTO register_number (org, book, year, number, state, reserved_at, reserved_by) \
         VALUES ($1, $2, $3, $4, 'reserved', $5, $6)",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .bind(timestamp(request.at))
    .bind(request.actor.as_str())
    .execute(tx.conn())
    .await;
    match inserted {
        Err(error) if RegisterError::is_unique_violation(&error) => {
            return Err(RegisterError::DuplicateNumber { key });
        }
        other => other.map_err(tx.error("ghi số vào sổ"))?,
    };
    let entry = AuditEntry {
        at: request.at,
        actor: request.actor.as_str().to_owned(),
        action: AuditAction::NumberReserve,
        subject: key.to_string(),
        details: key_details(&key),
    };
    let record = audit::append(tx, &entry).await?;
    Ok(Reserved {
        key,
        audit_seq: record.seq,
    })
}

/// Void a reserved number (hủy số) with a reason. It stays on the record as voided; the
/// counter never goes back, so the number is never given again.
pub async fn void(
    register: &Register,
    key: &NumberKey,
    reason: &str,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let reason = checked_text("reason", reason, MAX_TEXT_CHARS)?;
    let mut tx = register.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE register_number SET state = 'voided', void_reason = $5, voided_at = $6, \
         voided_by = $7 WHERE org = $1 AND book = $2 AND year = $3 AND number = $4 \
         AND state = 'reserved'",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .bind(&reason)
    .bind(timestamp(at))
    .bind(actor.as_str())
    .execute(tx.conn())
    .await
    .map_err(tx.error("hủy số"))?;
    if changed.rows_affected() == 0 {
        return Err(not_reserved(&mut tx, key, "hủy").await);
    }
    let mut details = key_details(key);
    details["reason"] = json!(reason);
    let entry = AuditEntry {
        at,
        actor: actor.as_str().to_owned(),
        action: AuditAction::NumberVoid,
        subject: key.to_string(),
        details,
    };
    audit::append(&mut tx, &entry).await?;
    tx.commit().await
}

/// Every outgoing number of an organisation in a year, all books and states, by book and number.
pub async fn numbers(
    register: &Register,
    org: &Org,
    year: Year,
) -> Result<Vec<NumberRecord>, RegisterError> {
    let rows = sqlx::query(
        "SELECT book, number, state, reserved_at, reserved_by, void_reason, voided_at, voided_by \
         FROM register_number WHERE org = $1 AND year = $2 ORDER BY book, number",
    )
    .bind(org.as_str())
    .bind(i64::from(year.value()))
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc sổ"))?;
    rows.iter().map(|row| number_of(row, org, year)).collect()
}

/// The state of one number, if it exists.
pub async fn state_of(
    register: &Register,
    key: &NumberKey,
) -> Result<Option<NumberState>, RegisterError> {
    let row = sqlx::query(
        "SELECT state FROM register_number WHERE org = $1 AND book = $2 AND year = $3 AND number = $4",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc trạng thái số"))?;
    row.map(|row| state_column(&row, 0)).transpose()
}

/// Step a counter and return the new number (shared by sổ đi and sổ đến).
pub(crate) async fn next_in(
    tx: &mut WriteTx,
    direction: Direction,
    org: &Org,
    book: &Book,
    year: Year,
) -> Result<u32, RegisterError> {
    let row = sqlx::query(NEXT)
        .bind(org.as_str())
        .bind(direction.code())
        .bind(book.as_str())
        .bind(i64::from(year.value()))
        .fetch_one(tx.conn())
        .await
        .map_err(tx.error("cấp số"))?;
    let number: i64 = row.try_get(0).map_err(RegisterError::db("cấp số"))?;
    u32::try_from(number).map_err(|_| RegisterError::Corrupt {
        table: "register_counter",
        problem: format!("bộ đếm {org}/{book}/{year} có giá trị {number}"),
    })
}

/// The error for a number that is missing or not reserved.
pub(crate) async fn not_reserved(
    tx: &mut WriteTx,
    key: &NumberKey,
    operation: &'static str,
) -> RegisterError {
    let row = sqlx::query(
        "SELECT state FROM register_number WHERE org = $1 AND book = $2 AND year = $3 AND number = $4",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .fetch_optional(tx.conn())
    .await;
    match row {
        Ok(None) => RegisterError::UnknownNumber { key: key.clone() },
        Ok(Some(row)) => match state_column(&row, 0) {
            Ok(state) => RegisterError::WrongState {
                key: key.clone(),
                state,
                operation,
            },
            Err(error) => error,
        },
        Err(source) => RegisterError::Database {
            operation: "đọc trạng thái số",
            source,
        },
    }
}

/// The audit details naming a number.
pub(crate) fn key_details(key: &NumberKey) -> serde_json::Value {
    json!({
        "org": key.org.as_str(),
        "book": key.book.as_str(),
        "year": key.year.value(),
        "number": key.number,
    })
}

fn number_of(
    row: &sqlx::any::AnyRow,
    org: &Org,
    year: Year,
) -> Result<NumberRecord, RegisterError> {
    let read = RegisterError::db("đọc sổ");
    let book: String = row.try_get(0).map_err(RegisterError::db("đọc sổ"))?;
    let number: i64 = row.try_get(1).map_err(RegisterError::db("đọc sổ"))?;
    let corrupt = |problem: String| RegisterError::Corrupt {
        table: "register_number",
        problem,
    };
    let key = NumberKey {
        org: org.clone(),
        book: Book::new(&book).map_err(|error| corrupt(error.to_string()))?,
        year,
        number: u32::try_from(number).map_err(|_| corrupt(format!("số {number}")))?,
    };
    let fields = (|| {
        Ok::<_, sqlx::Error>((
            row.try_get::<String, _>(3)?,
            row.try_get::<String, _>(4)?,
            row.try_get::<Option<String>, _>(5)?,
            row.try_get::<Option<String>, _>(6)?,
            row.try_get::<Option<String>, _>(7)?,
        ))
    })();
    let (reserved_at, reserved_by, void_reason, voided_at, voided_by) = fields.map_err(read)?;
    Ok(NumberRecord {
        key,
        state: state_column(row, 2)?,
        reserved_at,
        reserved_by,
        void_reason,
        voided_at,
        voided_by,
    })
}

fn state_column(row: &sqlx::any::AnyRow, index: usize) -> Result<NumberState, RegisterError> {
    let code: String = row
        .try_get(index)
        .map_err(RegisterError::db("đọc trạng thái số"))?;
    NumberState::from_code(&code).ok_or_else(|| RegisterError::Corrupt {
        table: "register_number",
        problem: format!("trạng thái lạ {code:?}"),
    })
}

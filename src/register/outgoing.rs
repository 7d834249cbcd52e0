//! Sổ đăng ký văn bản đi (Nghị định 30 Điều 16, Phụ lục IV; FORMAT.md §5.4): one row per issued
//! document, with the decree's 10 columns in order, the SHA-256 of the issued signed file and the
//! document identifier.

use serde_json::json;
use sqlx::Row;
use time::{Date, OffsetDateTime};

use super::audit::{self, AuditAction, AuditEntry};
use super::key::{
    Actor, Book, MAX_NAME_CHARS, MAX_TEXT_CHARS, NumberKey, Org, Sha256, Year, checked_text,
};
use super::numbering::{key_details, not_reserved};
use super::store::{Register, WriteTx};
use super::{RegisterError, date_text, parse_date, timestamp};

/// The decree's column headings of the outgoing register, in order (FORMAT.md §5.4).
pub const DECREE_COLUMNS: [&str; 10] = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
];

/// One row of the outgoing register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEntry {
    /// The number (reserved before, issued now).
    pub key: NumberKey,
    /// Ký hiệu, e.g. `KH-CĐN`; column 1 is `<number>/<symbol>`.
    pub symbol: String,
    /// 2. Ngày tháng văn bản: the issue date; must fall in the number's year.
    pub document_date: Date,
    /// 3. Tên loại và trích yếu nội dung văn bản.
    pub type_and_summary: String,
    /// 4. Người ký.
    pub signer: String,
    /// 5. Nơi nhận văn bản.
    pub recipients: String,
    /// 6. Đơn vị, người nhận bản lưu.
    pub archive_holder: String,
    /// 7. Số lượng bản.
    pub copies: u32,
    /// 8. Ngày chuyển (filled when delivered).
    pub delivered_on: Option<Date>,
    /// 9. Ký nhận (who acknowledged delivery).
    pub receipt: Option<String>,
    /// 10. Ghi chú.
    pub note: Option<String>,
    /// SHA-256 of the issued signed file (PDF or DOCX).
    pub file_sha256: Sha256,
    /// The document identifier in the system (mã định danh văn bản).
    pub document_id: String,
}

impl OutgoingEntry {
    /// Column 1: `05/KH-CĐN` (no spaces, FORMAT.md §3.3).
    pub fn number_symbol(&self) -> String {
        format!("{}/{}", self.key.word(), self.symbol)
    }
}

/// Issue a reserved number (ban hành): the number becomes issued and the document enters the
/// outgoing register, in one transaction with its audit entry.
pub async fn issue(
    register: &Register,
    entry: &OutgoingEntry,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let mut tx = register.begin_write().await?;
    issue_in(&mut tx, entry, actor, at).await?;
    tx.commit().await
}

/// [`issue`] inside the caller's transaction (the service records the document's new state in
/// the same transaction, so the register and the workflow never disagree).
pub async fn issue_in(
    tx: &mut WriteTx,
    entry: &OutgoingEntry,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let entry = checked(entry)?;
    let key = &entry.key;
    let changed = sqlx::query(
        "UPDATE register_number SET state = 'issued' WHERE org = $1 AND book = $2 AND year = $3 \
         AND number = $4 AND state = 'reserved'",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .execute(tx.conn())
    .await
    .map_err(tx.error("ban hành"))?;
    if changed.rows_affected() == 0 {
        return Err(not_reserved(tx, key, "ban hành").await);
    }
    let inserted = insert(tx, &entry, actor, at).await;
    match inserted {
        Err(error) if RegisterError::is_unique_violation(&error) => {
            return Err(RegisterError::DuplicateNumberSymbol {
                org: key.org.to_string(),
                year: key.year.value(),
                number: key.word(),
                symbol: entry.symbol.clone(),
            });
        }
        other => other.map_err(tx.error("ghi sổ văn bản đi"))?,
    }
    let mut details = key_details(key);
    details["symbol"] = json!(entry.symbol);
    details["sha256"] = json!(entry.file_sha256.hex());
    details["document_id"] = json!(entry.document_id);
    let audit_entry = AuditEntry {
        at,
        actor: actor.as_str().to_owned(),
        action: AuditAction::DocumentIssue,
        subject: key.to_string(),
        details,
    };
    audit::append(tx, &audit_entry).await?;
    Ok(())
}

/// Fill column 8 (Ngày chuyển) and column 9 (Ký nhận) of an issued document, inside the
/// caller's transaction. Only an empty column 8 is filled: a delivery date is never rewritten.
pub async fn mark_delivered_in(
    tx: &mut WriteTx,
    key: &NumberKey,
    delivered_on: Date,
    receipt: Option<&str>,
) -> Result<(), RegisterError> {
    let receipt = receipt
        .map(|r| checked_text("receipt", r, MAX_TEXT_CHARS))
        .transpose()?;
    let changed = sqlx::query(
        "UPDATE outgoing_entry SET delivered_on = $5, receipt = $6 WHERE org = $1 AND book = $2 \
         AND year = $3 AND number = $4 AND delivered_on IS NULL",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .bind(date_text(delivered_on))
    .bind(receipt)
    .execute(tx.conn())
    .await
    .map_err(tx.error("ghi ngày chuyển"))?;
    if changed.rows_affected() == 0 {
        return Err(RegisterError::InvalidField {
            field: "delivered_on",
            problem: format!("số {key} chưa ban hành hoặc đã có ngày chuyển"),
        });
    }
    Ok(())
}

/// The outgoing register of an organisation for a year, by book and number.
pub async fn entries(
    register: &Register,
    org: &Org,
    year: Year,
) -> Result<Vec<OutgoingEntry>, RegisterError> {
    let rows = sqlx::query(
        "SELECT book, number, symbol, document_date, type_and_summary, signer, recipients, \
         archive_holder, copies, delivered_on, receipt, note, file_sha256, document_id \
         FROM outgoing_entry WHERE org = $1 AND year = $2 ORDER BY book, number",
    )
    .bind(org.as_str())
    .bind(i64::from(year.value()))
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc sổ văn bản đi"))?;
    rows.iter().map(|row| entry_of(row, org, year)).collect()
}

fn checked(entry: &OutgoingEntry) -> Result<OutgoingEntry, RegisterError> {
    if entry.document_date.year() != entry.key.year.value() {
        return Err(RegisterError::YearMismatch {
            key: entry.key.clone(),
            year: entry.key.year.value(),
            date: date_text(entry.document_date),
        });
    }
    let optional = |field, value: &Option<String>| {
        value
            .as_deref()
            .map(|text| checked_text(field, text, MAX_TEXT_CHARS))
            .transpose()
    };
    Ok(OutgoingEntry {
        key: entry.key.clone(),
        symbol: checked_text("symbol", &entry.symbol, MAX_NAME_CHARS)?,
        document_date: entry.document_date,
        type_and_summary: checked_text(
            "type_and_summary",
            &entry.type_and_summary,
            MAX_TEXT_CHARS,
        )?,
        signer: checked_text("signer", &entry.signer, MAX_TEXT_CHARS)?,
        recipients: checked_text("recipients", &entry.recipients, MAX_TEXT_CHARS)?,
        archive_holder: checked_text("archive_holder", &entry.archive_holder, MAX_TEXT_CHARS)?,
        copies: entry.copies,
        delivered_on: entry.delivered_on,
        receipt: optional("receipt", &entry.receipt)?,
        note: optional("note", &entry.note)?,
        file_sha256: entry.file_sha256,
        document_id: checked_text("document_id", &entry.document_id, MAX_NAME_CHARS)?,
    })
}

async fn insert(
    tx: &mut super::store::WriteTx,
    entry: &OutgoingEntry,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let key = &entry.key;
    sqlx::query(
        "INSERT INTO outgoing_entry (org, book, year, number, symbol, document_date, \
         type_and_summary, signer, recipients, archive_holder, copies, delivered_on, receipt, \
         note, file_sha256, document_id, issued_at, issued_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .bind(&entry.symbol)
    .bind(date_text(entry.document_date))
    .bind(&entry.type_and_summary)
    .bind(&entry.signer)
    .bind(&entry.recipients)
    .bind(&entry.archive_holder)
    .bind(i64::from(entry.copies))
    .bind(entry.delivered_on.map(date_text))
    .bind(entry.receipt.as_deref())
    .bind(entry.note.as_deref())
    .bind(entry.file_sha256.hex())
    .bind(&entry.document_id)
    .bind(timestamp(at))
    .bind(actor.as_str())
    .execute(tx.conn())
    .await
    .map(|_| ())
}

fn entry_of(
    row: &sqlx::any::AnyRow,
    org: &Org,
    year: Year,
) -> Result<OutgoingEntry, RegisterError> {
    let corrupt = |problem: String| RegisterError::Corrupt {
        table: "outgoing_entry",
        problem,
    };
    let text = |index: usize| row.try_get::<String, _>(index);
    let optional = |index: usize| row.try_get::<Option<String>, _>(index);
    let read = (|| {
        Ok::<_, sqlx::Error>((
            text(0)?,
            row.try_get::<i64, _>(1)?,
            [text(2)?, text(3)?, text(4)?, text(5)?, text(6)?, text(7)?],
            row.try_get::<i64, _>(8)?,
            [optional(9)?, optional(10)?, optional(11)?],
            [text(12)?, text(13)?],
        ))
    })();
    let (
        book,
        number,
        [symbol, date, summary, signer, recipients, holder],
        copies,
        [delivered, receipt, note],
        [sha, id],
    ) = read.map_err(RegisterError::db("đọc sổ văn bản đi"))?;
    Ok(OutgoingEntry {
        key: NumberKey {
            org: org.clone(),
            book: Book::new(&book).map_err(|error| corrupt(error.to_string()))?,
            year,
            number: u32::try_from(number).map_err(|_| corrupt(format!("số {number}")))?,
        },
        symbol,
        document_date: parse_date(&date).ok_or_else(|| corrupt(format!("ngày {date:?}")))?,
        type_and_summary: summary,
        signer,
        recipients,
        archive_holder: holder,
        copies: u32::try_from(copies).map_err(|_| corrupt(format!("số lượng bản {copies}")))?,
        delivered_on: match delivered {
            Some(text) => Some(parse_date(&text).ok_or_else(|| corrupt(format!("ngày {text:?}")))?),
            None => None,
        },
        receipt,
        note,
        file_sha256: Sha256::from_hex("file_sha256", &sha)
            .map_err(|error| corrupt(error.to_string()))?,
        document_id: id,
    })
}

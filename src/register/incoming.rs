//! Sổ văn bản đến: what a recipient verified and accepted, numbered per book and year (số đến)
//! by the same atomic counter as the outgoing register, in a counter of its own.

use serde_json::json;
use sqlx::Row;
use time::{Date, OffsetDateTime};

use super::audit::{self, AuditAction, AuditEntry};
use super::key::{
    Actor, Book, Direction, MAX_NAME_CHARS, MAX_TEXT_CHARS, NumberKey, Org, Sha256, Year,
    checked_text,
};
use super::numbering::next_in;
use super::store::Register;
use super::{RegisterError, date_text, parse_date, timestamp};

/// The column headings of the incoming register, in order.
pub const COLUMNS: [&str; 9] = [
    "Số đến",
    "Ngày đến",
    "Tác giả (nơi gửi)",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Trích yếu nội dung",
    "Kết quả kiểm tra chữ ký",
    "SHA-256 của tệp",
    "Người vào sổ",
];

/// A document to enter in the incoming register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The receiving organisation.
    pub org: Org,
    /// The incoming book (e.g. `đến`, or `mật` for secret documents received).
    pub book: Book,
    /// Ngày đến: the date received; its year is the register year.
    pub received_on: Date,
    /// Tác giả: the sending organisation.
    pub sender: String,
    /// Số, ký hiệu as written on the document (`36/KH-CĐN`).
    pub number_symbol: String,
    /// Ngày tháng văn bản, when the document shows one.
    pub document_date: Option<Date>,
    /// Trích yếu.
    pub summary: String,
    /// The verification verdict code, as `vanban verify --json` reports it.
    pub verdict: String,
    /// SHA-256 of the received file.
    pub file_sha256: Sha256,
}

/// A row of the incoming register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingEntry {
    /// Số đến: (org, book, year, number).
    pub key: NumberKey,
    /// What was received.
    pub receipt: Receipt,
    /// Who entered it (người vào sổ).
    pub recorded_by: String,
}

/// Enter a verified, accepted document in the incoming register: take the next incoming number
/// of the book, store the row and log it, in one transaction. A file already received by this
/// organisation (same SHA-256) is refused with [`RegisterError::AlreadyReceived`].
pub async fn receive(
    register: &Register,
    receipt: &Receipt,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<IncomingEntry, RegisterError> {
    let receipt = checked(receipt)?;
    if let Some(received) = find_by_digest(register, &receipt.org, receipt.file_sha256).await? {
        return Err(RegisterError::AlreadyReceived {
            sha256: receipt.file_sha256.hex(),
            received,
        });
    }
    let year = Year::of(receipt.received_on)?;
    let mut tx = register.begin_write().await?;
    let number = next_in(
        &mut tx,
        Direction::Incoming,
        &receipt.org,
        &receipt.book,
        year,
    )
    .await?;
    let key = NumberKey {
        org: receipt.org.clone(),
        book: receipt.book.clone(),
        year,
        number,
    };
    let inserted = insert(&mut tx, &key, &receipt, actor, at).await;
    match inserted {
        Err(error) if RegisterError::is_unique_violation(&error) => {
            // Received by a concurrent request since the check above: roll back (the counter
            // step too) and name the number the first one got.
            drop(tx);
            let first = find_by_digest(register, &receipt.org, receipt.file_sha256).await?;
            return Err(RegisterError::AlreadyReceived {
                sha256: receipt.file_sha256.hex(),
                received: first.unwrap_or(key),
            });
        }
        other => other.map_err(tx.error("ghi sổ văn bản đến"))?,
    }
    let details = json!({
        "org": key.org.as_str(),
        "book": key.book.as_str(),
        "year": key.year.value(),
        "number": key.number,
        "sender": receipt.sender,
        "number_symbol": receipt.number_symbol,
        "verdict": receipt.verdict,
        "sha256": receipt.file_sha256.hex(),
    });
    let entry = AuditEntry {
        at,
        actor: actor.as_str().to_owned(),
        action: AuditAction::DocumentReceive,
        subject: key.to_string(),
        details,
    };
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(IncomingEntry {
        key,
        receipt,
        recorded_by: actor.as_str().to_owned(),
    })
}

/// The incoming register of an organisation for a year, by book and number.
pub async fn entries(
    register: &Register,
    org: &Org,
    year: Year,
) -> Result<Vec<IncomingEntry>, RegisterError> {
    let rows = sqlx::query(
        "SELECT book, number, received_on, sender, number_symbol, document_date, summary, \
         verdict, file_sha256, recorded_by FROM incoming_entry WHERE org = $1 AND year = $2 \
         ORDER BY book, number",
    )
    .bind(org.as_str())
    .bind(i64::from(year.value()))
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc sổ văn bản đến"))?;
    rows.iter().map(|row| entry_of(row, org, year)).collect()
}

async fn find_by_digest(
    register: &Register,
    org: &Org,
    sha256: Sha256,
) -> Result<Option<NumberKey>, RegisterError> {
    let row = sqlx::query(
        "SELECT book, year, number FROM incoming_entry WHERE org = $1 AND file_sha256 = $2",
    )
    .bind(org.as_str())
    .bind(sha256.hex())
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("tìm văn bản đến"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let read = RegisterError::db("tìm văn bản đến");
    let fields = (|| {
        Ok::<_, sqlx::Error>((
            row.try_get::<String, _>(0)?,
            row.try_get::<i64, _>(1)?,
            row.try_get::<i64, _>(2)?,
        ))
    })();
    let (book, year, number) = fields.map_err(read)?;
    Ok(Some(NumberKey {
        org: org.clone(),
        book: Book::new(&book)?,
        year: Year::new(year)?,
        number: u32::try_from(number).unwrap_or(0),
    }))
}

fn checked(receipt: &Receipt) -> Result<Receipt, RegisterError> {
    Ok(Receipt {
        org: receipt.org.clone(),
        book: receipt.book.clone(),
        received_on: receipt.received_on,
        sender: checked_text("sender", &receipt.sender, MAX_TEXT_CHARS)?,
        number_symbol: checked_text("number_symbol", &receipt.number_symbol, MAX_NAME_CHARS)?,
        document_date: receipt.document_date,
        summary: checked_text("summary", &receipt.summary, MAX_TEXT_CHARS)?,
        verdict: checked_text("verdict", &receipt.verdict, MAX_NAME_CHARS)?,
        file_sha256: receipt.file_sha256,
    })
}

async fn insert(
    tx: &mut super::store::WriteTx,
    key: &NumberKey,
    receipt: &Receipt,
    actor: &Actor,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO incoming_entry (org, book, year, number, received_on, sender, number_symbol, \
         document_date, summary, verdict, file_sha256, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(key.org.as_str())
    .bind(key.book.as_str())
    .bind(i64::from(key.year.value()))
    .bind(i64::from(key.number))
    .bind(date_text(receipt.received_on))
    .bind(&receipt.sender)
    .bind(&receipt.number_symbol)
    .bind(receipt.document_date.map(date_text))
    .bind(&receipt.summary)
    .bind(&receipt.verdict)
    .bind(receipt.file_sha256.hex())
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
) -> Result<IncomingEntry, RegisterError> {
    let corrupt = |problem: String| RegisterError::Corrupt {
        table: "incoming_entry",
        problem,
    };
    let text = |index: usize| row.try_get::<String, _>(index);
    let read = (|| {
        Ok::<_, sqlx::Error>((
            text(0)?,
            row.try_get::<i64, _>(1)?,
            [text(2)?, text(3)?, text(4)?],
            row.try_get::<Option<String>, _>(5)?,
            [text(6)?, text(7)?, text(8)?, text(9)?],
        ))
    })();
    let (
        book,
        number,
        [received, sender, number_symbol],
        document_date,
        [summary, verdict, sha, by],
    ) = read.map_err(RegisterError::db("đọc sổ văn bản đến"))?;
    let date = |text: &str| parse_date(text).ok_or_else(|| corrupt(format!("ngày {text:?}")));
    let book = Book::new(&book).map_err(|error| corrupt(error.to_string()))?;
    Ok(IncomingEntry {
        key: NumberKey {
            org: org.clone(),
            book: book.clone(),
            year,
            number: u32::try_from(number).map_err(|_| corrupt(format!("số {number}")))?,
        },
        receipt: Receipt {
            org: org.clone(),
            book,
            received_on: date(&received)?,
            sender,
            number_symbol,
            document_date: document_date.as_deref().map(date).transpose()?,
            summary,
            verdict,
            file_sha256: Sha256::from_hex("file_sha256", &sha)
                .map_err(|error| corrupt(error.to_string()))?,
        },
        recorded_by: by,
    })
}

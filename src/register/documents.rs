//! Văn bản in the service's workflow, as rows: state, version, the file digests of each stage,
//! the number once issued. The state machine itself (who may move a document where) is the
//! workflow's; this module stores what it decides, with optimistic concurrency: every update
//! names the version it read and fails with [`RegisterError::StaleDocument`] if another
//! request changed the row since.

use std::fmt;

use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use super::key::{Book, NumberKey, Org, Sha256, Year};
use super::store::{Register, WriteTx};
use super::{RegisterError, timestamp};

/// Trạng thái: where a document is in the decree's chain (FORMAT.md §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocState {
    /// Bản thảo: being written by its drafter.
    Draft,
    /// Trình ký: waiting for the competent person.
    Submitted,
    /// Trả lại: sent back for revision, with a note.
    Returned,
    /// Đã ký: signed by the competent person, waiting for the văn thư.
    Signed,
    /// Đã ban hành: numbered, dated, sealed and in the outgoing register.
    Issued,
    /// Đã chuyển: delivered to its recipients (Ngày chuyển filled).
    Delivered,
    /// Đã nhận: a recipient on this system verified it and entered it in its incoming register.
    Received,
    /// Thu hồi: recalled after issue.
    Recalled,
}

impl DocState {
    /// Every state, in workflow order.
    pub const ALL: [DocState; 8] = [
        DocState::Draft,
        DocState::Submitted,
        DocState::Returned,
        DocState::Signed,
        DocState::Issued,
        DocState::Delivered,
        DocState::Received,
        DocState::Recalled,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DocState::Delivered => "delivered",
            DocState::Draft => "draft",
            DocState::Issued => "issued",
            DocState::Received => "received",
            DocState::Recalled => "recalled",
            DocState::Returned => "returned",
            DocState::Signed => "signed",
            DocState::Submitted => "submitted",
        }
    }

    /// Parse a stored code.
    pub fn from_code(code: &str) -> Option<DocState> {
        DocState::ALL.into_iter().find(|state| state.code() == code)
    }

    /// The Vietnamese word the pages show.
    pub fn word(self) -> &'static str {
        match self {
            DocState::Delivered => "đã chuyển",
            DocState::Draft => "bản thảo",
            DocState::Issued => "đã ban hành",
            DocState::Received => "đã nhận",
            DocState::Recalled => "đã thu hồi",
            DocState::Returned => "trả lại",
            DocState::Signed => "đã ký",
            DocState::Submitted => "chờ ký",
        }
    }
}

impl fmt::Display for DocState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One document row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Mã văn bản in the system (random, URL-safe).
    pub id: String,
    /// The organisation (profile id).
    pub org: String,
    /// Kind key (`ke_hoach`).
    pub kind: String,
    /// Trích yếu.
    pub title: String,
    /// Where it is.
    pub state: DocState,
    /// Incremented by every update.
    pub version: i64,
    /// The drafter's user name.
    pub drafter: String,
    /// The leader who signed (user name), once signed.
    pub signer: Option<String>,
    /// The YAML or JSON source, in the file store.
    pub source_sha256: Sha256,
    /// `yaml` or `json`.
    pub source_format: String,
    /// The draft PDF (number and date empty), once submitted.
    pub draft_sha256: Option<Sha256>,
    /// The leader-signed PDF.
    pub signed_sha256: Option<Sha256>,
    /// The issued PDF (number, date, seal).
    pub issued_sha256: Option<Sha256>,
    /// The number in the outgoing register, once issued.
    pub number: Option<NumberKey>,
    /// "05/KH-CĐN", once issued.
    pub number_symbol: Option<String>,
    /// Ngày ban hành (YYYY-MM-DD), once issued.
    pub issued_on: Option<String>,
    /// The last note: why it was returned or recalled.
    pub note: Option<String>,
    /// The document this one corrects (đính chính), if any.
    pub corrects: Option<String>,
    /// Created (RFC 3339 UTC).
    pub created_at: String,
    /// Last changed (RFC 3339 UTC).
    pub updated_at: String,
}

const COLUMNS: &str = "document_id, org, kind, title, state, version, drafter, signer, \
    source_sha256, source_format, draft_sha256, signed_sha256, issued_sha256, book, year, number, \
    number_symbol, issued_on, note, corrects, created_at, updated_at";

/// Insert a new document (version 1) inside `tx`.
pub async fn insert(tx: &mut WriteTx, row: &DocumentRow) -> Result<(), RegisterError> {
    let inserted = bind_all(
        sqlx::query(
            "INSERT INTO document (document_id, org, kind, title, state, version, drafter, signer, \
             source_sha256, source_format, draft_sha256, signed_sha256, issued_sha256, book, year, \
             number, number_symbol, issued_on, note, corrects, created_at, updated_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22)",
        ),
        row,
    )
    .execute(tx.conn())
    .await;
    match inserted {
        Err(error) if RegisterError::is_unique_violation(&error) => {
            Err(RegisterError::AlreadyExists {
                what: "văn bản",
                name: row.id.clone(),
            })
        }
        other => other.map(|_| ()).map_err(tx.error("ghi văn bản")),
    }
}

/// Replace the row of `row.id`, which must still be at `row.version`; the stored version
/// becomes `row.version + 1` and `updated_at` becomes `at`. Returns the row as stored.
pub async fn update(
    tx: &mut WriteTx,
    row: &DocumentRow,
    at: OffsetDateTime,
) -> Result<DocumentRow, RegisterError> {
    let mut next = row.clone();
    next.version = row.version + 1;
    next.updated_at = timestamp(at);
    let changed = bind_all(
        sqlx::query(
            "UPDATE document SET document_id = $1, org = $2, kind = $3, title = $4, state = $5, \
             version = $6, drafter = $7, signer = $8, source_sha256 = $9, source_format = $10, \
             draft_sha256 = $11, signed_sha256 = $12, issued_sha256 = $13, book = $14, year = $15, \
             number = $16, number_symbol = $17, issued_on = $18, note = $19, corrects = $20, \
             created_at = $21, updated_at = $22 WHERE document_id = $1 AND version = $23",
        ),
        &next,
    )
    .bind(row.version)
    .execute(tx.conn())
    .await
    .map_err(tx.error("cập nhật văn bản"))?;
    if changed.rows_affected() == 0 {
        return Err(RegisterError::StaleDocument {
            document_id: row.id.clone(),
            expected: row.version,
        });
    }
    Ok(next)
}

/// The document `id`, if it exists.
pub async fn get(register: &Register, id: &str) -> Result<Option<DocumentRow>, RegisterError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM document WHERE document_id = $1"
    ))
    .bind(id)
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc văn bản"))?;
    row.as_ref().map(row_of).transpose()
}

/// Documents of `org` (every organisation when `None`) in any of `states` (all when empty),
/// newest first, at most `limit`.
pub async fn list(
    register: &Register,
    org: Option<&str>,
    states: &[DocState],
    limit: i64,
) -> Result<Vec<DocumentRow>, RegisterError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM document WHERE ($1 = '' OR org = $1) \
         ORDER BY updated_at DESC, document_id LIMIT $2"
    ))
    .bind(org.unwrap_or(""))
    .bind(limit.saturating_mul(if states.is_empty() { 1 } else { 8 }))
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc danh sách văn bản"))?;
    let mut out = Vec::new();
    for row in &rows {
        let document = row_of(row)?;
        if states.is_empty() || states.contains(&document.state) {
            out.push(document);
        }
        if out.len() as i64 >= limit {
            break;
        }
    }
    Ok(out)
}

/// The document whose issued file has this SHA-256, if one was issued here.
pub async fn by_issued_file(
    register: &Register,
    sha256: Sha256,
) -> Result<Option<DocumentRow>, RegisterError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM document WHERE issued_sha256 = $1"
    ))
    .bind(sha256.hex())
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("tìm văn bản theo tệp"))?;
    row.as_ref().map(row_of).transpose()
}

/// A prepared external signature, waiting for its signature value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSigning {
    /// The handle given to the client.
    pub handle: String,
    /// The document being signed.
    pub document_id: String,
    /// Who prepared it (and alone may complete it).
    pub user_name: String,
    /// The document version it was prepared from.
    pub document_version: i64,
    /// The saved state (JSON) in the file store.
    pub state_sha256: Sha256,
    /// The prepared PDF in the file store.
    pub prepared_sha256: Sha256,
}

/// Record a prepared external signature.
pub async fn insert_external(
    register: &Register,
    pending: &ExternalSigning,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let mut tx = register.begin_write().await?;
    sqlx::query(
        "INSERT INTO external_signing (handle, document_id, user_name, document_version, \
         state_sha256, prepared_sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&pending.handle)
    .bind(&pending.document_id)
    .bind(&pending.user_name)
    .bind(pending.document_version)
    .bind(pending.state_sha256.hex())
    .bind(pending.prepared_sha256.hex())
    .bind(timestamp(at))
    .execute(tx.conn())
    .await
    .map_err(tx.error("ghi phiên ký ngoài"))?;
    tx.commit().await
}

/// The prepared external signature `handle`.
pub async fn external(
    register: &Register,
    handle: &str,
) -> Result<Option<ExternalSigning>, RegisterError> {
    let row = sqlx::query(
        "SELECT handle, document_id, user_name, document_version, state_sha256, prepared_sha256 \
         FROM external_signing WHERE handle = $1",
    )
    .bind(handle)
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc phiên ký ngoài"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let read = RegisterError::db("đọc phiên ký ngoài");
    let text = |index: usize| row.try_get::<String, _>(index);
    let (handle, document_id, user_name, version, state, prepared) = (|| {
        Ok::<_, sqlx::Error>((
            text(0)?,
            text(1)?,
            text(2)?,
            row.try_get::<i64, _>(3)?,
            text(4)?,
            text(5)?,
        ))
    })()
    .map_err(read)?;
    Ok(Some(ExternalSigning {
        handle,
        document_id,
        user_name,
        document_version: version,
        state_sha256: Sha256::from_hex("state_sha256", &state)?,
        prepared_sha256: Sha256::from_hex("prepared_sha256", &prepared)?,
    }))
}

/// Forget a prepared external signature inside `tx` (completed, or its document moved on).
pub async fn delete_external(tx: &mut WriteTx, handle: &str) -> Result<(), RegisterError> {
    sqlx::query("DELETE FROM external_signing WHERE handle = $1")
        .bind(handle)
        .execute(tx.conn())
        .await
        .map_err(tx.error("xóa phiên ký ngoài"))?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_all<'q>(query: Query<'q>, row: &DocumentRow) -> Query<'q> {
    let hex = |digest: &Option<Sha256>| digest.map(|d| d.hex());
    let key = row.number.as_ref();
    query
        .bind(row.id.clone())
        .bind(row.org.clone())
        .bind(row.kind.clone())
        .bind(row.title.clone())
        .bind(row.state.code())
        .bind(row.version)
        .bind(row.drafter.clone())
        .bind(row.signer.clone())
        .bind(row.source_sha256.hex())
        .bind(row.source_format.clone())
        .bind(hex(&row.draft_sha256))
        .bind(hex(&row.signed_sha256))
        .bind(hex(&row.issued_sha256))
        .bind(key.map(|k| k.book.as_str().to_owned()))
        .bind(key.map(|k| i64::from(k.year.value())))
        .bind(key.map(|k| i64::from(k.number)))
        .bind(row.number_symbol.clone())
        .bind(row.issued_on.clone())
        .bind(row.note.clone())
        .bind(row.corrects.clone())
        .bind(row.created_at.clone())
        .bind(row.updated_at.clone())
}

fn row_of(row: &AnyRow) -> Result<DocumentRow, RegisterError> {
    let read = RegisterError::db("đọc văn bản");
    let text = |index: usize| row.try_get::<String, _>(index);
    let optional = |index: usize| row.try_get::<Option<String>, _>(index);
    let digest = |field: &'static str, value: Option<String>| {
        value.map(|hex| Sha256::from_hex(field, &hex)).transpose()
    };
    let fetched = (|| {
        Ok::<_, sqlx::Error>((
            [text(0)?, text(1)?, text(2)?, text(3)?, text(4)?],
            row.try_get::<i64, _>(5)?,
            [text(6)?, text(8)?, text(9)?, text(20)?, text(21)?],
            [optional(7)?, optional(10)?, optional(11)?, optional(12)?],
            (
                optional(13)?,
                row.try_get::<Option<i64>, _>(14)?,
                row.try_get::<Option<i64>, _>(15)?,
            ),
            [optional(16)?, optional(17)?, optional(18)?, optional(19)?],
        ))
    })()
    .map_err(read)?;
    let ([id, org, kind, title, state], version, [drafter, source, format, created, updated]) =
        (fetched.0, fetched.1, fetched.2);
    let [signer, draft, signed, issued] = fetched.3;
    let [number_symbol, issued_on, note, corrects] = fetched.5;
    let state = DocState::from_code(&state).ok_or_else(|| RegisterError::Corrupt {
        table: "document",
        problem: format!("trạng thái không biết: {state}"),
    })?;
    let number = match fetched.4 {
        (Some(book), Some(year), Some(number)) => Some(NumberKey {
            org: Org::new(&org)?,
            book: Book::new(&book)?,
            year: Year::new(year)?,
            number: u32::try_from(number).map_err(|_| RegisterError::Corrupt {
                table: "document",
                problem: format!("số ngoài khoảng: {number}"),
            })?,
        }),
        _ => None,
    };
    Ok(DocumentRow {
        id,
        org,
        kind,
        title,
        state,
        version,
        drafter,
        signer,
        source_sha256: Sha256::from_hex("source_sha256", &source)?,
        source_format: format,
        draft_sha256: digest("draft_sha256", draft)?,
        signed_sha256: digest("signed_sha256", signed)?,
        issued_sha256: digest("issued_sha256", issued)?,
        number,
        number_symbol,
        issued_on,
        note,
        corrects,
        created_at: created,
        updated_at: updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_round_trip() {
        for state in DocState::ALL {
            assert_eq!(DocState::from_code(state.code()), Some(state));
        }
        assert_eq!(DocState::from_code("deleted"), None);
    }
}

//! Nhật ký kiểm tra (audit log): append-only and hash-chained.
//!
//! Every numbering, voiding, issuing, signing, verification, login and failed authorization is
//! one [`AuditEntry`]. [`append`] writes it inside the caller's [`WriteTx`], so the entry commits
//! or rolls back with the change it records. Each stored row carries `prev_hash`, the hash of the
//! row before it, and `hash`, SHA-256 over a canonical encoding of its own fields and
//! `prev_hash` ([`chain_hash`]). `audit_head` holds the last seq and hash; an append updates it
//! first, which takes a row lock on PostgreSQL (the write lock is already held on SQLite), so
//! concurrent appends from several processes or service instances queue and the chain never forks.
//!
//! [`verify`] walks the chain and names the first broken link ([`BrokenLink`]): a row whose
//! content no longer matches its hash, a row whose `prev_hash` does not match the row before it,
//! a missing seq, or a head that does not match the last row (rows cut off the end).
//!
//! A chain without a secret proves order and integrity against edits that do not recompute every
//! later hash. Whoever can rewrite the whole table and the head can rewrite history; the service
//! should publish or sign the head hash (e.g. in a daily report) to anchor it.

use std::fmt;

use sqlx::Row;
use time::OffsetDateTime;

use super::key::{Sha256, checked_text};
use super::store::{Register, WriteTx};
use super::{RegisterError, timestamp};

/// Domain separator at the start of every hashed encoding (version 1 of the encoding).
const DOMAIN: &[u8] = b"vanban/audit/v1";

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Largest `details` JSON accepted, in bytes of its canonical form: 16 KiB.
///
/// Details name a number, a document id, a digest or a signer: a few hundred bytes. The bound
/// keeps a caller from turning the log into file storage.
pub const MAX_DETAILS_BYTES: usize = 16 * 1024;

/// Longest subject accepted, in characters: a key or document id is far shorter.
pub const MAX_SUBJECT_CHARS: usize = 256;

/// Rows read per batch by [`verify`] (bounded memory on long logs).
const VERIFY_BATCH: i64 = 1_000;

/// What happened. The codes are part of the hashed encoding: never change an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuditAction {
    /// A request was refused because the actor's role does not allow it.
    AuthorizationDenied,
    /// A draft was created or its data replaced (soạn thảo).
    DocumentDraft,
    /// A document was issued (ban hành) and entered in the outgoing register.
    DocumentIssue,
    /// A document was received and entered in the incoming register (vào sổ văn bản đến).
    DocumentReceive,
    /// An issued document was recalled (thu hồi).
    DocumentRecall,
    /// A document was sent back to its drafter for revision (trả lại).
    DocumentReturn,
    /// The organisation's digital signature (dấu) was applied by the văn thư.
    DocumentSeal,
    /// The competent person (người có thẩm quyền) signed.
    DocumentSign,
    /// An external signature was prepared (the hash left the server).
    DocumentSignPrepare,
    /// A draft was submitted to the signer (trình ký).
    DocumentSubmit,
    /// An issued document was delivered to its recipients (chuyển, phát hành).
    DocumentDeliver,
    /// A document's signatures were verified.
    DocumentVerify,
    /// A user logged in.
    Login,
    /// A login failed.
    LoginFailed,
    /// A number was reserved (lấy số) from a book's counter.
    NumberReserve,
    /// A reserved number was voided (hủy số) with a reason.
    NumberVoid,
    /// A user or a signing key was created or changed.
    UserChange,
}

impl AuditAction {
    /// The stable code stored in the log.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::AuthorizationDenied => "auth.denied",
            AuditAction::DocumentDeliver => "document.deliver",
            AuditAction::DocumentDraft => "document.draft",
            AuditAction::DocumentRecall => "document.recall",
            AuditAction::DocumentReturn => "document.return",
            AuditAction::DocumentSignPrepare => "document.sign_prepare",
            AuditAction::DocumentSubmit => "document.submit",
            AuditAction::UserChange => "user.change",
            AuditAction::DocumentIssue => "document.issue",
            AuditAction::DocumentReceive => "document.receive",
            AuditAction::DocumentSeal => "document.seal",
            AuditAction::DocumentSign => "document.sign",
            AuditAction::DocumentVerify => "document.verify",
            AuditAction::Login => "auth.login",
            AuditAction::LoginFailed => "auth.login_failed",
            AuditAction::NumberReserve => "number.reserve",
            AuditAction::NumberVoid => "number.void",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One event to record. Time is passed in; the register never reads the clock.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// When it happened (stored as UTC with microseconds).
    pub at: OffsetDateTime,
    /// Who did it: a user name, `cli:…`, or `anonymous` for public verification.
    pub actor: String,
    /// What happened.
    pub action: AuditAction,
    /// What it happened to: a number key (`CĐN/chung/2025/05`), a document id, a user.
    pub subject: String,
    /// Structured facts (JSON object), stored in canonical form (sorted keys, no spaces).
    pub details: serde_json::Value,
}

/// One stored row of the log, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Time, RFC 3339 UTC text as hashed.
    pub at: String,
    /// Actor.
    pub actor: String,
    /// Action code.
    pub action: String,
    /// Subject.
    pub subject: String,
    /// Canonical JSON text as hashed.
    pub details: String,
    /// Hash of the previous row (hex), [`GENESIS_HASH`] for the first.
    pub prev_hash: String,
    /// This row's hash (hex).
    pub hash: String,
}

impl AuditRecord {
    /// The hash this row should have, recomputed from its fields.
    pub fn computed_hash(&self) -> String {
        chain_hash(
            self.seq,
            &self.at,
            &self.actor,
            &self.action,
            &self.subject,
            &self.details,
            &self.prev_hash,
        )
        .hex()
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows read.
    pub entries: u64,
    /// Seq and hash in `audit_head`.
    pub head_seq: i64,
    /// Hash in `audit_head`.
    pub head_hash: String,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The seq where it breaks (the seq expected at that position).
    pub seq: i64,
    /// What differs.
    pub problem: LinkProblem,
}

/// What differs at a broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// The row's fields no longer hash to its stored hash: its content was changed.
    ContentChanged {
        /// Stored hash.
        stored: String,
        /// Hash recomputed from the stored fields.
        computed: String,
    },
    /// The head records more (or other) rows than the log holds: rows were cut off the end.
    HeadMismatch {
        /// Seq in `audit_head`.
        head_seq: i64,
        /// Hash in `audit_head`.
        head_hash: String,
        /// Seq of the last row in the log (0 when empty).
        last_seq: i64,
        /// Hash of the last row in the log.
        last_hash: String,
    },
    /// The row's `prev_hash` is not the hash of the row before it: a row was replaced,
    /// re-hashed or moved.
    PrevHashMismatch {
        /// Hash of the row before.
        expected: String,
        /// `prev_hash` stored in this row.
        stored: String,
    },
    /// The seq expected here is missing: a row was deleted (or renumbered).
    SeqMissing {
        /// The seq found instead, if any row follows.
        found: Option<i64>,
    },
}

impl fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mắt xích {} hỏng: ", self.seq)?;
        match &self.problem {
            LinkProblem::ContentChanged { stored, computed } => write!(
                f,
                "nội dung đã bị sửa (hash lưu {stored}, hash tính lại {computed})"
            ),
            LinkProblem::HeadMismatch {
                head_seq,
                head_hash,
                last_seq,
                last_hash,
            } => write!(
                f,
                "đầu chuỗi ghi seq {head_seq} ({head_hash}) nhưng dòng cuối là seq {last_seq} \
                 ({last_hash}): có dòng bị cắt khỏi cuối nhật ký"
            ),
            LinkProblem::PrevHashMismatch { expected, stored } => write!(
                f,
                "prev_hash {stored} không khớp hash của dòng trước {expected}"
            ),
            LinkProblem::SeqMissing { found: Some(found) } => {
                write!(
                    f,
                    "thiếu dòng (dòng kế tiếp có seq {found}): có dòng bị xóa"
                )
            }
            LinkProblem::SeqMissing { found: None } => write!(f, "thiếu dòng"),
        }
    }
}

/// Append `entry` to the log inside `tx`; returns the stored row.
///
/// The service calls this in the same transaction as the change it records:
/// `let mut tx = register.begin_write().await?; …; audit::append(&mut tx, &entry).await?;
/// tx.commit().await?`.
pub async fn append(tx: &mut WriteTx, entry: &AuditEntry) -> Result<AuditRecord, RegisterError> {
    let actor = checked_text("actor", &entry.actor, super::key::MAX_NAME_CHARS)?;
    let subject = checked_text("subject", &entry.subject, MAX_SUBJECT_CHARS)?;
    let details = canonical_json(&entry.details);
    if details.len() > MAX_DETAILS_BYTES {
        return Err(RegisterError::InvalidField {
            field: "details",
            problem: format!("dài {} byte, tối đa {MAX_DETAILS_BYTES}", details.len()),
        });
    }
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(tx.conn())
        .await
        .map_err(tx.error("khóa đầu nhật ký"))?;
    let seq: i64 = head
        .try_get(0)
        .map_err(RegisterError::db("đọc đầu nhật ký"))?;
    let prev_hash: String = head
        .try_get(1)
        .map_err(RegisterError::db("đọc đầu nhật ký"))?;
    let mut record = AuditRecord {
        seq,
        at: timestamp(entry.at),
        actor,
        action: entry.action.code().to_owned(),
        subject,
        details,
        prev_hash,
        hash: String::new(),
    };
    record.hash = record.computed_hash();
    insert(tx, &record).await?;
    Ok(record)
}

/// Append one entry in a transaction of its own (logins, failed authorizations, verifications:
/// events that change nothing else).
pub async fn append_alone(
    register: &Register,
    entry: &AuditEntry,
) -> Result<AuditRecord, RegisterError> {
    let mut tx = register.begin_write().await?;
    let record = append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(record)
}

/// Rows with seq greater than `after`, oldest first, at most `limit` (for audit queries).
pub async fn entries(
    register: &Register,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRecord>, RegisterError> {
    entries_upto(register, after, limit, i64::MAX).await
}

/// The newest `limit` rows about `subject` (a document id, `user:…`), oldest first: a
/// document's history on its page.
pub async fn entries_about(
    register: &Register,
    subject: &str,
    limit: i64,
) -> Result<Vec<AuditRecord>, RegisterError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log \
         WHERE subject = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(subject)
    .bind(limit)
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc nhật ký"))?;
    let mut records = rows.iter().map(record_of).collect::<Result<Vec<_>, _>>()?;
    records.reverse();
    Ok(records)
}

/// The newest `limit` rows, newest first (the audit page).
pub async fn latest(register: &Register, limit: i64) -> Result<Vec<AuditRecord>, RegisterError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log \
         ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc nhật ký"))?;
    rows.iter().map(record_of).collect()
}

async fn entries_upto(
    register: &Register,
    after: i64,
    limit: i64,
    upto: i64,
) -> Result<Vec<AuditRecord>, RegisterError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log \
         WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .bind(upto)
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc nhật ký"))?;
    rows.iter().map(record_of).collect()
}

/// Walk the whole chain and report the first broken link.
pub async fn verify(register: &Register) -> Result<ChainReport, RegisterError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(register.reader())
        .await
        .map_err(RegisterError::db("đọc đầu nhật ký"))?;
    let head_seq: i64 = head
        .try_get(0)
        .map_err(RegisterError::db("đọc đầu nhật ký"))?;
    let head_hash: String = head
        .try_get(1)
        .map_err(RegisterError::db("đọc đầu nhật ký"))?;
    let mut walk = Walk::new();
    loop {
        // Rows appended after the head was read are left for the next check: the head and its
        // row commit together, so every row up to head_seq is visible now.
        let batch = entries_upto(register, walk.last_seq, VERIFY_BATCH, head_seq).await?;
        let done = (batch.len() as i64) < VERIFY_BATCH;
        for record in &batch {
            if let Some(broken) = walk.step(record) {
                return Ok(walk.report(head_seq, head_hash, Some(broken)));
            }
        }
        if done {
            break;
        }
    }
    let broken = (walk.last_seq != head_seq || walk.last_hash != head_hash).then(|| BrokenLink {
        seq: walk.last_seq.min(head_seq) + 1,
        problem: LinkProblem::HeadMismatch {
            head_seq,
            head_hash: head_hash.clone(),
            last_seq: walk.last_seq,
            last_hash: walk.last_hash.clone(),
        },
    });
    Ok(walk.report(head_seq, head_hash, broken))
}

/// SHA-256 over the canonical encoding of one row: the domain separator, then each field as a
/// 4-byte big-endian length and its UTF-8 bytes, in the order seq (decimal), at, actor, action,
/// subject, details, prev_hash.
pub fn chain_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
    prev_hash: &str,
) -> Sha256 {
    let seq = seq.to_string();
    let fields = [seq.as_str(), at, actor, action, subject, details, prev_hash];
    let mut encoded =
        Vec::with_capacity(DOMAIN.len() + fields.iter().map(|f| f.len() + 4).sum::<usize>());
    encoded.extend_from_slice(DOMAIN);
    for field in fields {
        // Every field is bounded far below 4 GiB (MAX_DETAILS_BYTES and the name limits).
        let length = u32::try_from(field.len()).unwrap_or(u32::MAX);
        encoded.extend_from_slice(&length.to_be_bytes());
        encoded.extend_from_slice(field.as_bytes());
    }
    Sha256::digest(&encoded)
}

/// JSON with object keys sorted and no insignificant whitespace.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

async fn insert(tx: &mut WriteTx, record: &AuditRecord) -> Result<(), RegisterError> {
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(record.seq)
    .bind(&record.at)
    .bind(&record.actor)
    .bind(&record.action)
    .bind(&record.subject)
    .bind(&record.details)
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(tx.conn())
    .await
    .map_err(tx.error("ghi nhật ký"))?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&record.hash)
        .execute(tx.conn())
        .await
        .map_err(tx.error("ghi đầu nhật ký"))?;
    Ok(())
}

fn record_of(row: &sqlx::any::AnyRow) -> Result<AuditRecord, RegisterError> {
    let read = RegisterError::db("đọc nhật ký");
    let text = |index: usize| row.try_get::<String, _>(index);
    let record = (|| {
        Ok::<_, sqlx::Error>(AuditRecord {
            seq: row.try_get(0)?,
            at: text(1)?,
            actor: text(2)?,
            action: text(3)?,
            subject: text(4)?,
            details: text(5)?,
            prev_hash: text(6)?,
            hash: text(7)?,
        })
    })();
    record.map_err(read)
}

/// The state of a walk along the chain.
struct Walk {
    entries: u64,
    last_seq: i64,
    last_hash: String,
}

impl Walk {
    fn new() -> Self {
        Walk {
            entries: 0,
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
        }
    }

    /// Check one row against the one before; `Some` at the first broken link.
    fn step(&mut self, record: &AuditRecord) -> Option<BrokenLink> {
        let expected_seq = self.last_seq + 1;
        let broken = |problem| {
            Some(BrokenLink {
                seq: expected_seq,
                problem,
            })
        };
        if record.seq != expected_seq {
            return broken(LinkProblem::SeqMissing {
                found: Some(record.seq),
            });
        }
        let computed = record.computed_hash();
        if computed != record.hash {
            return broken(LinkProblem::ContentChanged {
                stored: record.hash.clone(),
                computed,
            });
        }
        if record.prev_hash != self.last_hash {
            return broken(LinkProblem::PrevHashMismatch {
                expected: self.last_hash.clone(),
                stored: record.prev_hash.clone(),
            });
        }
        self.entries += 1;
        self.last_seq = record.seq;
        self.last_hash = record.hash.clone();
        None
    }

    fn report(&self, head_seq: i64, head_hash: String, broken: Option<BrokenLink>) -> ChainReport {
        ChainReport {
            entries: self.entries,
            head_seq,
            head_hash,
            broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_recursively() {
        let value = serde_json::json!({"b": 1, "a": {"d": [true, null], "c": "ữ"}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":"ữ","d":[true,null]},"b":1}"#
        );
    }

    #[test]
    fn hash_separates_fields() {
        let one = chain_hash(1, "t", "ab", "c", "s", "{}", GENESIS_HASH);
        let two = chain_hash(1, "t", "a", "bc", "s", "{}", GENESIS_HASH);
        assert_ne!(one, two);
    }

    #[test]
    fn walk_names_the_first_changed_row() {
        let mut rows = Vec::new();
        let mut prev = GENESIS_HASH.to_owned();
        for seq in 1..=3 {
            let mut record = AuditRecord {
                seq,
                at: "2025-01-01T00:00:00.000000Z".to_owned(),
                actor: "văn thư".to_owned(),
                action: "number.reserve".to_owned(),
                subject: format!("CĐN/chung/2025/{seq:02}"),
                details: "{}".to_owned(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            record.hash = record.computed_hash();
            prev = record.hash.clone();
            rows.push(record);
        }
        rows[1].actor = "kẻ gian".to_owned();
        let mut walk = Walk::new();
        assert!(walk.step(&rows[0]).is_none());
        let broken = walk.step(&rows[1]).unwrap();
        assert_eq!(broken.seq, 2);
        assert!(matches!(broken.problem, LinkProblem::ContentChanged { .. }));
    }
}

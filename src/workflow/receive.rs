//! Kiểm tra và vào sổ đến: anyone may verify a file; a văn thư who accepts it enters it in the
//! organisation's incoming register (Nghị định 30 Điều 21–22).
//!
//! PDF files go through [`crate::verify`], with the same JSON as `vanban verify --json`. A DOCX
//! is opened only as far as its zip directory (no part is inflated, so a zip bomb costs
//! nothing): an unsigned package is reported `unsigned`; a package with OOXML signature parts
//! (`_xmlsignatures/`) is reported `malformed` with the reason that vanban does not evaluate
//! OOXML signatures yet, never as valid.

use std::io::Cursor;

use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use crate::register::audit::{self, AuditAction, AuditEntry};
use crate::register::documents::{self, DocState};
use crate::register::incoming::{self, IncomingEntry, Receipt};
use crate::register::people::User;
use crate::register::{Book, Org, Sha256};
use crate::verify::report::Report;
use crate::verify::status::Lang;
use crate::verify::{self, Options as VerifyOptions};

use super::auth::{self, Action};
use super::{Workflow, WorkflowError, blocking};

/// The default incoming book (sổ văn bản đến).
pub const INCOMING_BOOK: &str = "đến";

/// Most entries a DOCX package may list: a Word document has a few dozen parts.
pub const MAX_DOCX_ENTRIES: usize = 10_000;

/// What verifying a file found.
#[derive(Debug, Clone)]
pub struct VerifyOutcome {
    /// The file's verdict code (`valid`, `unsigned`, `malformed`, …).
    pub verdict: String,
    /// True only when every signature is valid or valid with allowed changes.
    pub passes: bool,
    /// The JSON report (the `vanban verify --json` contract for PDF).
    pub json: Value,
    /// The PDF report, when the file was a PDF.
    pub report: Option<Report>,
    /// SHA-256 of the file.
    pub sha256: Sha256,
}

/// What a văn thư gives when entering a document in the sổ đến; a document issued on this
/// system needs none of the text fields (they come from the sender's register).
#[derive(Debug, Clone, Default)]
pub struct ReceiveRequest {
    /// The incoming book (default [`INCOMING_BOOK`]).
    pub book: Option<String>,
    /// Tác giả: the sending organisation.
    pub sender: Option<String>,
    /// Số, ký hiệu as written ("36/KH-CĐN").
    pub number_symbol: Option<String>,
    /// Ngày tháng văn bản.
    pub document_date: Option<Date>,
    /// Trích yếu.
    pub summary: Option<String>,
}

impl Workflow {
    /// Verify a PDF or DOCX; log it (actor `anonymous` on the public page).
    pub async fn verify(
        &self,
        name: &str,
        bytes: Vec<u8>,
        lang: Lang,
        actor: Option<&User>,
        at: OffsetDateTime,
    ) -> Result<VerifyOutcome, WorkflowError> {
        let mut options = VerifyOptions::new(self.config().anchors.clone());
        options.at = at;
        let name = name.to_owned();
        let outcome = blocking(move || verify_any(&name, bytes, &options, lang)).await?;
        let entry = AuditEntry {
            at,
            actor: actor.map_or_else(|| "anonymous".to_owned(), |u| u.name.clone()),
            action: AuditAction::DocumentVerify,
            subject: format!("sha256:{}", outcome.sha256.hex()),
            details: json!({"verdict": outcome.verdict}),
        };
        audit::append_alone(self.register(), &entry).await?;
        Ok(outcome)
    }

    /// Vào sổ đến: verify, refuse what does not pass, enter the rest in the incoming register;
    /// a document issued on this system is marked received on the sender's side too.
    pub async fn receive(
        &self,
        user: &User,
        name: &str,
        bytes: Vec<u8>,
        request: ReceiveRequest,
        at: OffsetDateTime,
    ) -> Result<(IncomingEntry, VerifyOutcome), WorkflowError> {
        auth::authorize(
            self.register(),
            user,
            Action::Receive,
            Some(&user.org),
            "incoming",
            at,
        )
        .await?;
        let outcome = self.verify(name, bytes, Lang::Vi, Some(user), at).await?;
        if !outcome.passes {
            return Err(WorkflowError::Verify(format!(
                "văn bản không đạt khi kiểm tra chữ ký số ({}); không vào sổ đến",
                outcome.verdict
            )));
        }
        let local = documents::by_issued_file(self.register(), outcome.sha256).await?;
        let receipt = self
            .receipt(user, &outcome, local.as_ref(), request, at)
            .await?;
        let entry = incoming::receive(
            self.register(),
            &receipt,
            &crate::register::Actor::new(&user.name)?,
            at,
        )
        .await?;
        if let Some(row) = local
            && matches!(row.state, DocState::Issued | DocState::Delivered)
        {
            self.mark_received(user, row, &entry, at).await?;
        }
        Ok((entry, outcome))
    }

    async fn receipt(
        &self,
        user: &User,
        outcome: &VerifyOutcome,
        local: Option<&documents::DocumentRow>,
        request: ReceiveRequest,
        at: OffsetDateTime,
    ) -> Result<Receipt, WorkflowError> {
        let received_on = at.to_offset(crate::sign::workflow::vietnam()).date();
        let book = Book::new(request.book.as_deref().unwrap_or(INCOMING_BOOK))?;
        let (sender, number_symbol, document_date, summary) = match local {
            Some(row) => {
                let draft = self.draft_of(row).await?;
                (
                    request
                        .sender
                        .unwrap_or_else(|| super::draft::organisation(&draft.composed)),
                    request
                        .number_symbol
                        .or_else(|| row.number_symbol.clone())
                        .unwrap_or_default(),
                    request.document_date.or_else(|| {
                        row.issued_on
                            .as_deref()
                            .and_then(crate::register::parse_date)
                    }),
                    request.summary.unwrap_or_else(|| draft.type_and_summary()),
                )
            }
            None => (
                required(request.sender, "sender")?,
                required(request.number_symbol, "number_symbol")?,
                request.document_date,
                required(request.summary, "summary")?,
            ),
        };
        Ok(Receipt {
            org: Org::new(&user.org)?,
            book,
            received_on,
            sender,
            number_symbol,
            document_date,
            summary,
            verdict: outcome.verdict.clone(),
            file_sha256: outcome.sha256,
        })
    }

    async fn mark_received(
        &self,
        user: &User,
        row: documents::DocumentRow,
        entry: &IncomingEntry,
        at: OffsetDateTime,
    ) -> Result<(), WorkflowError> {
        let next = documents::DocumentRow {
            state: DocState::Received,
            ..row
        };
        let mut tx = self.register().begin_write().await?;
        documents::update(&mut tx, &next, at).await?;
        let audit_entry = AuditEntry {
            at,
            actor: user.name.clone(),
            action: AuditAction::DocumentReceive,
            subject: next.id.clone(),
            details: json!({"by": user.org, "incoming": entry.key.to_string(), "state": "received"}),
        };
        audit::append(&mut tx, &audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn required(value: Option<String>, field: &str) -> Result<String, WorkflowError> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
        WorkflowError::invalid(field, "cần điền (văn bản không do hệ thống này ban hành)")
    })
}

/// Verify PDF or DOCX bytes (blocking).
pub fn verify_any(
    name: &str,
    bytes: Vec<u8>,
    options: &VerifyOptions,
    lang: Lang,
) -> Result<VerifyOutcome, WorkflowError> {
    let sha256 = Sha256::digest(&bytes);
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(verify_docx(name, &bytes, sha256));
    }
    let report = verify::verify_bytes(name, bytes, options)
        .map_err(|e| WorkflowError::Verify(e.to_string()))?;
    let json = report.to_json(lang);
    let verdict = json
        .get("verdict")
        .and_then(Value::as_str)
        .unwrap_or("malformed")
        .to_owned();
    Ok(VerifyOutcome {
        passes: report.exit_code() == 0,
        verdict,
        json,
        report: Some(report),
        sha256,
    })
}

fn verify_docx(name: &str, bytes: &[u8], sha256: Sha256) -> VerifyOutcome {
    let (verdict, reason, parts) = match docx_signature_parts(bytes) {
        Err(reason) => ("malformed", Some(reason), Vec::new()),
        Ok(parts) if parts.is_empty() => ("unsigned", None, parts),
        Ok(parts) => (
            "malformed",
            Some(
                "tệp DOCX có chữ ký số OOXML; vanban chưa kiểm tra chữ ký OOXML, nên không xác nhận \
                 được (OOXML signatures are not evaluated yet)"
                    .to_owned(),
            ),
            parts,
        ),
    };
    VerifyOutcome {
        verdict: verdict.to_owned(),
        passes: false,
        json: json!({
            "verdict": verdict,
            "file": name,
            "format": "docx",
            "sha256": sha256.hex(),
            "signature_parts": parts,
            "reason": reason,
            "signatures": [],
        }),
        report: None,
        sha256,
    }
}

/// The names of the package's signature parts, reading only the zip directory.
pub fn docx_signature_parts(bytes: &[u8]) -> Result<Vec<String>, String> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("tệp DOCX hỏng (zip): {e}"))?;
    if archive.len() > MAX_DOCX_ENTRIES {
        return Err(format!(
            "gói DOCX có {} phần, quá giới hạn {MAX_DOCX_ENTRIES}",
            archive.len()
        ));
    }
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    if !names.iter().any(|n| n == "[Content_Types].xml") {
        return Err("không phải gói OOXML: thiếu [Content_Types].xml".to_owned());
    }
    Ok(names
        .into_iter()
        .filter(|n| n.starts_with("_xmlsignatures/") && n.ends_with(".xml"))
        .collect())
}

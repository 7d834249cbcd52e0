//! The steps of the chain, one method each on [`Workflow`]. See the module docs of
//! `workflow` for the diagram; each step is: authorise, check the state, heavy work on the
//! blocking pool, record (row + audit in one transaction).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use crate::pki::keystore::{self, KeyStoreError, Passphrase};
use crate::pki::signer::CertificateKey;
use crate::pki::{KeySigner, SignatureAlgorithm};
use crate::register::audit::{self, AuditAction, AuditEntry, AuditRecord};
use crate::register::documents::{self, DocState, DocumentRow, ExternalSigning};
use crate::register::numbering::{self, ReserveRequest};
use crate::register::outgoing::{self, OutgoingEntry};
use crate::register::people::{self, KeyOwner, User};
use crate::register::{Actor, Book, Org, Sha256, WriteTx, Year, timestamp};
use crate::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use crate::sign::external;
use crate::sign::fill::Issue;
use crate::sign::pades::{self, CertificateCheck, Certification, SignOptions, SignerIdentity};
use crate::sign::workflow::{self as signing, LEADER_FIELD, Step};
use crate::verify::{self, Options as VerifyOptions};

use super::auth::{self, Action};
use super::draft::{Draft, organisation, seal_ring};
use super::{Workflow, WorkflowError, blocking};

/// Most documents listed at once.
pub const MAX_LIST: i64 = 500;

/// Longest note (reason for returning or recalling), in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A draft's data as the drafter gives it.
#[derive(Debug, Clone)]
pub struct NewDraft {
    /// YAML or JSON bytes.
    pub source: Vec<u8>,
    /// `yaml` or `json`.
    pub format: String,
    /// The document this one corrects (đính chính), for a Công văn correcting an issued one.
    pub corrects: Option<String>,
}

/// What the văn thư gives to issue a document.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    /// The seal PIN (mật khẩu khóa của cơ quan).
    pub pin: String,
    /// Ngày ban hành (default: today in Vietnam).
    pub date: Option<Date>,
}

/// What an external signer must sign, and the handle to come back with.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExternalPrepared {
    /// Give this back with the signature.
    pub handle: String,
    /// DER of the signed attributes, hex: what a key that hashes itself signs.
    pub to_be_signed: String,
    /// Its digest, hex: what a hash-signing service (CSC signHash) signs.
    pub to_be_signed_digest: String,
    /// The digest algorithm ("SHA-256").
    pub digest_algorithm: String,
    /// The signature algorithm expected ("ECDSA P-256 SHA-256").
    pub signature_algorithm: String,
}

impl Workflow {
    /// Soạn thảo: store a new draft (it must parse; format errors are allowed until submit).
    pub async fn create_draft(
        &self,
        user: &User,
        new: NewDraft,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let draft = self.read_source(&new.source, &new.format).await?;
        let org = self.document_org(&draft, user)?;
        auth::authorize(
            self.register(),
            user,
            Action::Draft,
            Some(&org),
            "document:new",
            at,
        )
        .await?;
        if let Some(corrected) = &new.corrects {
            let original = self.load(corrected).await?;
            if !matches!(
                original.state,
                DocState::Issued | DocState::Delivered | DocState::Received
            ) {
                return Err(WorkflowError::WrongState {
                    id: original.id,
                    state: original.state,
                    action: "đính chính",
                });
            }
        }
        let source_sha256 = self.files().put(&new.source)?;
        let row = DocumentRow {
            id: document_id()?,
            org,
            kind: draft.document.kind.key.clone(),
            title: draft.title(),
            state: DocState::Draft,
            version: 1,
            drafter: user.name.clone(),
            signer: None,
            source_sha256,
            source_format: format_code(&new.format).to_owned(),
            draft_sha256: None,
            signed_sha256: None,
            issued_sha256: None,
            number: None,
            number_symbol: None,
            issued_on: None,
            note: None,
            corrects: new.corrects.clone(),
            created_at: timestamp(at),
            updated_at: timestamp(at),
        };
        let mut tx = self.register().begin_write().await?;
        documents::insert(&mut tx, &row).await?;
        let details = json!({
            "kind": row.kind, "title": row.title, "source_sha256": source_sha256.hex(),
            "errors": draft.findings.0.iter().filter(|d| d.is_error()).count(),
            "corrects": row.corrects,
        });
        append(
            &mut tx,
            user,
            AuditAction::DocumentDraft,
            &row.id,
            details,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Replace a draft's data (while it is a draft or returned).
    pub async fn update_draft(
        &self,
        user: &User,
        id: &str,
        version: i64,
        new: NewDraft,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self.load_for(user, id, version, Action::Draft, at).await?;
        expect_state(&row, &[DocState::Draft, DocState::Returned], "sửa bản thảo")?;
        let draft = self.read_source(&new.source, &new.format).await?;
        if self.document_org(&draft, user)? != row.org {
            return Err(WorkflowError::invalid(
                "profile",
                "không đổi được cơ quan ban hành của một văn bản đã tạo",
            ));
        }
        let source_sha256 = self.files().put(&new.source)?;
        let next = DocumentRow {
            kind: draft.document.kind.key.clone(),
            title: draft.title(),
            state: DocState::Draft,
            source_sha256,
            source_format: format_code(&new.format).to_owned(),
            ..row
        };
        let details = json!({"source_sha256": source_sha256.hex(), "title": next.title});
        self.record(user, &next, AuditAction::DocumentDraft, details, at)
            .await
    }

    /// A document the user may read.
    pub async fn document(&self, user: &User, id: &str) -> Result<DocumentRow, WorkflowError> {
        let row = self.load(id).await?;
        auth::authorize(
            self.register(),
            user,
            Action::ReadDocuments,
            Some(&row.org),
            &row.id,
            OffsetDateTime::now_utc(),
        )
        .await?;
        Ok(row)
    }

    /// The user's organisation's documents in `states` (all when empty), newest first.
    pub async fn documents(
        &self,
        user: &User,
        states: &[DocState],
        limit: i64,
    ) -> Result<Vec<DocumentRow>, WorkflowError> {
        let org = (user.role != people::Role::Admin).then_some(user.org.as_str());
        Ok(documents::list(self.register(), org, states, limit.clamp(1, MAX_LIST)).await?)
    }

    /// What happened to a document, oldest first (from the audit log).
    pub async fn history(&self, user: &User, id: &str) -> Result<Vec<AuditRecord>, WorkflowError> {
        let row = self.document(user, id).await?;
        Ok(audit::entries_about(self.register(), &row.id, 200).await?)
    }

    /// The document's data, parsed and composed again (for previews and checks).
    pub async fn draft_of(&self, row: &DocumentRow) -> Result<Draft, WorkflowError> {
        let source = self.files().get(row.source_sha256)?;
        self.read_source(&source, &row.source_format).await
    }

    /// Trình ký: format errors block it; the draft PDF is typeset and kept.
    pub async fn submit(
        &self,
        user: &User,
        id: &str,
        version: i64,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self.load_for(user, id, version, Action::Submit, at).await?;
        expect_state(&row, &[DocState::Draft, DocState::Returned], "trình ký")?;
        if row.drafter != user.name {
            return Err(self.deny(user, Action::Submit, &row, at).await);
        }
        let source = self.files().get(row.source_sha256)?;
        let sources = self.sources();
        let format = row.source_format.clone();
        let (draft, pdf) = blocking(move || {
            let draft = Draft::read(&source, &format, &sources)?;
            if draft.findings.has_errors() {
                return Err(WorkflowError::Format(draft.findings));
            }
            let pdf = draft.draft_pdf()?;
            Ok((draft, pdf))
        })
        .await?;
        let draft_sha256 = self.files().put(&pdf)?;
        let next = DocumentRow {
            state: DocState::Submitted,
            draft_sha256: Some(draft_sha256),
            title: draft.title(),
            note: None,
            ..row
        };
        let details = json!({"draft_sha256": draft_sha256.hex(), "bytes": pdf.len()});
        self.record(user, &next, AuditAction::DocumentSubmit, details, at)
            .await
    }

    /// Trả lại: the leader (before signing) or the văn thư (before issuing) sends a document
    /// back to its drafter, saying why.
    pub async fn return_document(
        &self,
        user: &User,
        id: &str,
        version: i64,
        note: &str,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let note = checked_note(note)?;
        let row = self.load_for(user, id, version, Action::Return, at).await?;
        expect_state(&row, &[DocState::Submitted, DocState::Signed], "trả lại")?;
        let next = DocumentRow {
            state: DocState::Returned,
            signed_sha256: None,
            signer: None,
            note: Some(note.clone()),
            ..row
        };
        self.record(
            user,
            &next,
            AuditAction::DocumentReturn,
            json!({"note": note}),
            at,
        )
        .await
    }

    /// Ký: the competent person signs the draft with the key bound to them, opened by their
    /// PIN (a certification signature, DocMDP P=2, in `chu_ky`).
    pub async fn sign(
        &self,
        user: &User,
        id: &str,
        version: i64,
        pin: &str,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self.load_for(user, id, version, Action::Sign, at).await?;
        expect_state(&row, &[DocState::Submitted], "ký")?;
        let stored = people::key(self.register(), KeyOwner::User, &user.name)
            .await?
            .ok_or_else(|| WorkflowError::NoKey {
                owner: user.name.clone(),
            })?;
        let draft_pdf = self.stage_file(&row, row.draft_sha256, "bản thảo PDF")?;
        let draft = self.draft_of(&row).await?;
        let name = draft.signer_name();
        let config = self.config().clone();
        let pin = Passphrase::new(pin);
        let signed = blocking(move || {
            let signer = open_key(&stored, &pin)?;
            let step = step(&config, at);
            let appearance = Appearance::Signature { name };
            Ok(signing::leader_sign(
                draft_pdf,
                &signer,
                Some(appearance),
                &step,
            )?)
        })
        .await;
        let signed = self.audit_pin_failure(user, &row, signed, at).await?;
        self.record_signed(user, row, &signed, None, at).await
    }

    /// Ký ngoài, stage 1: the leader's certificate comes in, what must be signed goes out.
    pub async fn prepare_external(
        &self,
        user: &User,
        id: &str,
        version: i64,
        chain_pem: &str,
        at: OffsetDateTime,
    ) -> Result<ExternalPrepared, WorkflowError> {
        let row = self.load_for(user, id, version, Action::Sign, at).await?;
        expect_state(&row, &[DocState::Submitted], "ký")?;
        let chain = keystore::parse_certificates(chain_pem.as_bytes(), Path::new("certificate"))
            .map_err(|e| WorkflowError::invalid("certificate", e.to_string()))?;
        let draft_pdf = self.stage_file(&row, row.draft_sha256, "bản thảo PDF")?;
        let draft = self.draft_of(&row).await?;
        let handle = document_id()?;
        let state_path = self.pending_path(&handle);
        let config = self.config().clone();
        let name = draft.signer_name();
        let saved = blocking(move || {
            let leaf = chain.first().ok_or_else(|| {
                WorkflowError::invalid("certificate", "cần chứng thư số của người ký")
            })?;
            let kind = CertificateKey::parse(leaf, 0)
                .map_err(|e| WorkflowError::invalid("certificate", e.to_string()))?
                .kind;
            let algorithm = SignatureAlgorithm::default_for(kind);
            let check = CertificateCheck::Validate {
                anchors: &config.anchors,
                revocation: &config.revocation,
            };
            pades::check_certificate(&chain, check, at)?;
            let identity = SignerIdentity { algorithm, chain };
            let options = SignOptions {
                certify: Some(Certification::FormFilling),
                reason: Some("Ký ban hành văn bản".to_owned()),
                level: config.level,
                tsa_url: config.tsa_url.clone(),
                appearance: Appearance::Signature { name },
                ..SignOptions::new(LEADER_FIELD, at)
            };
            let digested = pades::prepare(draft_pdf, &identity, &options)?.digest()?;
            Ok(external::save(&digested, &state_path)?)
        })
        .await?;
        let state_bytes = std::fs::read(self.pending_path(&handle))
            .map_err(|e| WorkflowError::Files(e.to_string()))?;
        let pending = ExternalSigning {
            handle: handle.clone(),
            document_id: row.id.clone(),
            user_name: user.name.clone(),
            document_version: row.version,
            state_sha256: Sha256::digest(&state_bytes),
            prepared_sha256: Sha256::from_hex("prepared_sha256", &saved.prepared_sha256)?,
        };
        documents::insert_external(self.register(), &pending, at).await?;
        let details = json!({"handle": handle, "digest": saved.to_be_signed_digest});
        let mut tx = self.register().begin_write().await?;
        append(
            &mut tx,
            user,
            AuditAction::DocumentSignPrepare,
            &row.id,
            details,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(ExternalPrepared {
            handle,
            to_be_signed: saved.to_be_signed,
            to_be_signed_digest: saved.to_be_signed_digest,
            digest_algorithm: algorithm_of(&saved.algorithm).0,
            signature_algorithm: saved.algorithm,
        })
    }

    /// Ký ngoài, stage 2: the signature value comes back (and, optionally, a fuller chain).
    pub async fn complete_external(
        &self,
        user: &User,
        handle: &str,
        signature: Vec<u8>,
        chain_pem: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let pending = documents::external(self.register(), handle)
            .await?
            .ok_or_else(|| WorkflowError::NotFound {
                what: "phiên ký ngoài",
                id: handle.to_owned(),
            })?;
        let row = self.load(&pending.document_id).await?;
        if pending.user_name != user.name {
            return Err(self.deny(user, Action::Sign, &row, at).await);
        }
        let row = self
            .load_for(user, &row.id, pending.document_version, Action::Sign, at)
            .await?;
        expect_state(&row, &[DocState::Submitted], "ký")?;
        let state_path = self.pending_path(handle);
        let state_bytes =
            std::fs::read(&state_path).map_err(|e| WorkflowError::Files(e.to_string()))?;
        if Sha256::digest(&state_bytes) != pending.state_sha256 {
            return Err(WorkflowError::Files(
                "tệp trạng thái ký ngoài đã bị sửa ngoài hệ thống".into(),
            ));
        }
        let chain = chain_pem
            .map(|pem| {
                keystore::parse_certificates(pem.as_bytes(), Path::new("chain"))
                    .map_err(|e| WorkflowError::invalid("chain", e.to_string()))
            })
            .transpose()?;
        let config = self.config().clone();
        let signed = blocking(move || {
            let mut digested = external::load(&state_path)?;
            if let Some(chain) = chain {
                digested = external::with_chain(digested, chain)?;
            }
            let signed = digested.embed(signature)?;
            let _ = &config;
            Ok(signed.finish(&crate::sign::ltv::ValidationMaterial::default())?)
        })
        .await?;
        self.record_signed(user, row, &signed, Some(handle), at)
            .await
    }

    /// Cấp số, đóng dấu, ban hành: the văn thư checks the leader's signature, opens the seal
    /// key, takes the next number, fills number and date, seals, and enters the document in the
    /// outgoing register.
    pub async fn issue(
        &self,
        user: &User,
        id: &str,
        version: i64,
        request: IssueRequest,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self.load_for(user, id, version, Action::Issue, at).await?;
        expect_state(&row, &[DocState::Signed], "ban hành")?;
        let signed = self.stage_file(&row, row.signed_sha256, "bản đã ký")?;
        self.check_leader_signature(&signed, at).await?;
        let stored = people::key(self.register(), KeyOwner::Org, &row.org)
            .await?
            .ok_or_else(|| WorkflowError::NoKey {
                owner: row.org.clone(),
            })?;
        let pin = Passphrase::new(request.pin.as_str());
        let opened = blocking(move || open_key(&stored, &pin)).await;
        let org_key = self.audit_pin_failure(user, &row, opened, at).await?;
        let draft = self.draft_of(&row).await?;
        let date = request
            .date
            .unwrap_or_else(|| at.to_offset(signing::vietnam()).date());
        let symbol = draft.symbol().ok_or_else(|| {
            WorkflowError::invalid("symbol", "văn bản chưa có ký hiệu (xem vanban check)")
        })?;
        let reserved = numbering::reserve(
            self.register(),
            &ReserveRequest {
                org: Org::new(&row.org)?,
                book: Book::new(&draft.book())?,
                year: Year::of(date)?,
                actor: Actor::new(&user.name)?,
                at,
            },
        )
        .await?;
        let key = reserved.key.clone();
        let issue = Issue {
            number: key.number,
            date,
        };
        let config = self.config().clone();
        let seal = Appearance::Seal {
            ring: seal_ring(&draft.composed),
            diameter_mm: DEFAULT_SEAL_MM,
        };
        let sealed = blocking(move || {
            let step = step(&config, at);
            Ok(signing::issue(signed, Some(&issue), &org_key, seal, &step)?)
        })
        .await;
        let recorded = match sealed {
            Ok(bytes) => {
                self.record_issued(user, row, &draft, &key, &symbol, date, &bytes, at)
                    .await
            }
            Err(error) => Err(error),
        };
        if let Err(error) = &recorded {
            let reason = format!("ban hành không thành: {error}");
            let reason: String = reason.chars().take(MAX_NOTE_CHARS).collect();
            // The number stays on the record as voided; if voiding fails too, it stays reserved
            // (still never given again) and the original error is what the văn thư sees.
            let _ =
                numbering::void(self.register(), &key, &reason, &Actor::new(&user.name)?, at).await;
        }
        recorded
    }

    /// Chuyển: the văn thư records delivery (Ngày chuyển, and who acknowledged it).
    pub async fn deliver(
        &self,
        user: &User,
        id: &str,
        version: i64,
        receipt: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self
            .load_for(user, id, version, Action::Deliver, at)
            .await?;
        expect_state(&row, &[DocState::Issued], "chuyển")?;
        let key = row
            .number
            .clone()
            .ok_or_else(|| WorkflowError::Internal("văn bản đã ban hành mà không có số".into()))?;
        let today = at.to_offset(signing::vietnam()).date();
        let next = DocumentRow {
            state: DocState::Delivered,
            ..row
        };
        let mut tx = self.register().begin_write().await?;
        outgoing::mark_delivered_in(&mut tx, &key, today, receipt).await?;
        let stored = documents::update(&mut tx, &next, at).await?;
        let details =
            json!({"delivered_on": crate::register::date_text(today), "receipt": receipt});
        append(
            &mut tx,
            user,
            AuditAction::DocumentDeliver,
            &next.id,
            details,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Thu hồi: an issued document is recalled, with the reason (recipients are told through
    /// the system; the register keeps its row).
    pub async fn recall(
        &self,
        user: &User,
        id: &str,
        version: i64,
        reason: &str,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let reason = checked_note(reason)?;
        let row = self.load_for(user, id, version, Action::Recall, at).await?;
        expect_state(
            &row,
            &[DocState::Issued, DocState::Delivered, DocState::Received],
            "thu hồi",
        )?;
        let next = DocumentRow {
            state: DocState::Recalled,
            note: Some(reason.clone()),
            ..row
        };
        self.record(
            user,
            &next,
            AuditAction::DocumentRecall,
            json!({"reason": reason}),
            at,
        )
        .await
    }

    /// The bytes of one of a document's files, for a user who may read it.
    pub async fn file(
        &self,
        user: &User,
        id: &str,
        digest: impl Fn(&DocumentRow) -> Option<Sha256>,
    ) -> Result<(DocumentRow, Vec<u8>), WorkflowError> {
        let row = self.document(user, id).await?;
        let digest = digest(&row).ok_or_else(|| WorkflowError::NotFound {
            what: "tệp của văn bản",
            id: id.to_owned(),
        })?;
        let bytes = self.files().get(digest)?;
        Ok((row, bytes))
    }

    // ----- internals -----

    async fn read_source(&self, source: &[u8], format: &str) -> Result<Draft, WorkflowError> {
        let bytes = source.to_vec();
        let format = format_code(format).to_owned();
        let sources = self.sources();
        blocking(move || Draft::read(&bytes, &format, &sources)).await
    }

    /// The organisation a draft belongs to: its profile, which must be the user's own (the
    /// admin drafts nothing).
    fn document_org(&self, draft: &Draft, user: &User) -> Result<String, WorkflowError> {
        match &draft.document.source.profile {
            Some(profile) => Ok(profile.clone()),
            None => Ok(user.org.clone()),
        }
    }

    async fn load(&self, id: &str) -> Result<DocumentRow, WorkflowError> {
        documents::get(self.register(), id)
            .await?
            .ok_or_else(|| WorkflowError::NotFound {
                what: "văn bản",
                id: id.chars().take(64).collect(),
            })
    }

    /// Load, authorise for `action` in the document's organisation, and check the version.
    async fn load_for(
        &self,
        user: &User,
        id: &str,
        version: i64,
        action: Action,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let row = self.load(id).await?;
        auth::authorize(self.register(), user, action, Some(&row.org), &row.id, at).await?;
        if row.version != version {
            return Err(crate::register::RegisterError::StaleDocument {
                document_id: row.id,
                expected: version,
            }
            .into());
        }
        Ok(row)
    }

    async fn deny(
        &self,
        user: &User,
        action: Action,
        row: &DocumentRow,
        at: OffsetDateTime,
    ) -> WorkflowError {
        let entry = AuditEntry {
            at,
            actor: user.name.clone(),
            action: AuditAction::AuthorizationDenied,
            subject: row.id.clone(),
            details: json!({"action": action.word(), "reason": "không phải người thực hiện"}),
        };
        if let Err(error) = audit::append_alone(self.register(), &entry).await {
            return error.into();
        }
        WorkflowError::Forbidden {
            user: user.name.clone(),
            role: user.role.word(),
            action: action.word(),
        }
    }

    /// A wrong PIN is logged (repeated guessing shows in the audit log).
    async fn audit_pin_failure<T>(
        &self,
        user: &User,
        row: &DocumentRow,
        result: Result<T, WorkflowError>,
        at: OffsetDateTime,
    ) -> Result<T, WorkflowError> {
        if let Err(WorkflowError::WrongPin) = &result {
            let entry = AuditEntry {
                at,
                actor: user.name.clone(),
                action: AuditAction::AuthorizationDenied,
                subject: row.id.clone(),
                details: json!({"reason": "wrong signing PIN"}),
            };
            audit::append_alone(self.register(), &entry).await?;
        }
        result
    }

    /// Store a new row state with its audit entry, in one transaction.
    async fn record(
        &self,
        user: &User,
        next: &DocumentRow,
        action: AuditAction,
        details: Value,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let mut tx = self.register().begin_write().await?;
        let stored = documents::update(&mut tx, next, at).await?;
        let mut details = details;
        details["state"] = json!(next.state.code());
        append(&mut tx, user, action, &next.id, details, at).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn record_signed(
        &self,
        user: &User,
        row: DocumentRow,
        signed: &[u8],
        handle: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let digest = self.files().put(signed)?;
        let next = DocumentRow {
            state: DocState::Signed,
            signed_sha256: Some(digest),
            signer: Some(user.name.clone()),
            ..row
        };
        let mut tx = self.register().begin_write().await?;
        let stored = documents::update(&mut tx, &next, at).await?;
        if let Some(handle) = handle {
            documents::delete_external(&mut tx, handle).await?;
        }
        let details = json!({
            "signed_sha256": digest.hex(), "field": LEADER_FIELD, "external": handle.is_some(),
            "level": self.config().level.name(),
        });
        append(
            &mut tx,
            user,
            AuditAction::DocumentSign,
            &next.id,
            details,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_issued(
        &self,
        user: &User,
        row: DocumentRow,
        draft: &Draft,
        key: &crate::register::NumberKey,
        symbol: &str,
        date: Date,
        issued: &[u8],
        at: OffsetDateTime,
    ) -> Result<DocumentRow, WorkflowError> {
        let digest = self.files().put(issued)?;
        let entry = OutgoingEntry {
            key: key.clone(),
            symbol: symbol.to_owned(),
            document_date: date,
            type_and_summary: draft.type_and_summary(),
            signer: draft.signer_name(),
            recipients: non_empty(draft.recipients()),
            archive_holder: draft.archive_holder(),
            copies: draft.copies(),
            delivered_on: None,
            receipt: None,
            note: None,
            file_sha256: digest,
            document_id: row.id.clone(),
        };
        let next = DocumentRow {
            state: DocState::Issued,
            issued_sha256: Some(digest),
            number: Some(key.clone()),
            number_symbol: Some(entry.number_symbol()),
            issued_on: Some(crate::register::date_text(date)),
            ..row
        };
        let mut tx = self.register().begin_write().await?;
        outgoing::issue_in(&mut tx, &entry, &Actor::new(&user.name)?, at).await?;
        let stored = documents::update(&mut tx, &next, at).await?;
        let details = json!({
            "issued_sha256": digest.hex(), "number": entry.number_symbol(),
            "organisation": organisation(&draft.composed), "field": signing::SEAL_FIELD,
        });
        append(
            &mut tx,
            user,
            AuditAction::DocumentSeal,
            &next.id,
            details,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Điều 32: seal only what the competent person signed; the leader's signature must verify.
    async fn check_leader_signature(
        &self,
        signed: &[u8],
        at: OffsetDateTime,
    ) -> Result<(), WorkflowError> {
        let mut options = VerifyOptions::new(self.config().anchors.clone());
        options.at = at;
        let bytes = signed.to_vec();
        let report = blocking(move || {
            verify::verify_bytes("signed.pdf", bytes, &options)
                .map_err(|e| WorkflowError::Verify(e.to_string()))
        })
        .await?;
        let leader = report.signatures.iter().find(|s| s.field == LEADER_FIELD);
        match (leader, report.verdict()) {
            (Some(_), Some(verdict)) if verdict.passes() => Ok(()),
            (None, _) => Err(WorkflowError::Verify(
                "bản trình không có chữ ký của người có thẩm quyền".into(),
            )),
            (Some(status), _) => {
                let (verdict, reasons) = status.judge();
                let reasons: Vec<&str> = reasons
                    .iter()
                    .map(|r| r.text(crate::verify::status::Lang::Vi))
                    .collect();
                Err(WorkflowError::Verify(format!(
                    "chữ ký của người có thẩm quyền: {} ({})",
                    verdict.describe(crate::verify::status::Lang::Vi),
                    reasons.join("; ")
                )))
            }
        }
    }

    fn stage_file(
        &self,
        row: &DocumentRow,
        digest: Option<Sha256>,
        what: &'static str,
    ) -> Result<Vec<u8>, WorkflowError> {
        let digest = digest.ok_or_else(|| WorkflowError::NotFound {
            what,
            id: row.id.clone(),
        })?;
        self.files().get(digest)
    }

    fn pending_path(&self, handle: &str) -> PathBuf {
        self.config()
            .data_dir
            .join("pending")
            .join(format!("{handle}.json"))
    }
}

/// The signing step shared by both signatures.
fn step(config: &super::Config, at: OffsetDateTime) -> Step<'_> {
    Step {
        level: config.level,
        tsa_url: config.tsa_url.as_deref(),
        signing_time: at,
        check: CertificateCheck::Validate {
            anchors: &config.anchors,
            revocation: &config.revocation,
        },
    }
}

/// Decrypt a stored key with its holder's PIN.
fn open_key(stored: &people::StoredKey, pin: &Passphrase) -> Result<KeySigner, WorkflowError> {
    let origin = Path::new(&stored.owner);
    let pkcs8 = keystore::decrypt_pkcs8(stored.key_pem.as_bytes(), pin, origin).map_err(
        |error| match error {
            KeyStoreError::WrongPassphrase { .. } => WorkflowError::WrongPin,
            other => WorkflowError::Internal(other.to_string()),
        },
    )?;
    let chain = keystore::parse_certificates(stored.chain_pem.as_bytes(), origin)
        .map_err(|e| WorkflowError::Internal(e.to_string()))?;
    KeySigner::from_pkcs8(pkcs8, chain).map_err(|e| WorkflowError::Internal(e.to_string()))
}

async fn append(
    tx: &mut WriteTx,
    user: &User,
    action: AuditAction,
    subject: &str,
    details: Value,
    at: OffsetDateTime,
) -> Result<(), WorkflowError> {
    let entry = AuditEntry {
        at,
        actor: user.name.clone(),
        action,
        subject: subject.to_owned(),
        details,
    };
    audit::append(tx, &entry).await?;
    Ok(())
}

fn expect_state(
    row: &DocumentRow,
    allowed: &[DocState],
    action: &'static str,
) -> Result<(), WorkflowError> {
    if allowed.contains(&row.state) {
        return Ok(());
    }
    Err(WorkflowError::WrongState {
        id: row.id.clone(),
        state: row.state,
        action,
    })
}

fn checked_note(note: &str) -> Result<String, WorkflowError> {
    let note = crate::text::nfc(note.trim());
    if note.is_empty() {
        return Err(WorkflowError::invalid("note", "cần ghi lý do"));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(WorkflowError::invalid(
            "note",
            format!("dài quá {MAX_NOTE_CHARS} ký tự"),
        ));
    }
    Ok(note)
}

fn format_code(format: &str) -> &'static str {
    if format.eq_ignore_ascii_case("json") {
        "json"
    } else {
        "yaml"
    }
}

fn non_empty(text: String) -> String {
    if text.trim().is_empty() {
        "(không ghi)".to_owned()
    } else {
        text
    }
}

/// The digest name of an algorithm name as `SignatureAlgorithm::name` spells it.
fn algorithm_of(name: &str) -> (String,) {
    let digest = ["SHA-512", "SHA-384", "SHA-256"]
        .into_iter()
        .find(|d| name.contains(d))
        .unwrap_or("SHA-256");
    (digest.to_owned(),)
}

/// A new document id or handle: 16 random bytes, hex.
fn document_id() -> Result<String, WorkflowError> {
    let (token, _) = auth::new_token()?;
    Ok(token[..32].to_owned())
}

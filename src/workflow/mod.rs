//! Quy trình văn bản: the decree's chain as the service runs it (Nghị định 30 Điều 10–19, 32;
//! FORMAT.md §5.3), over the register, the file store, the signer and the verifier.
//!
//! ```text
//!  drafter ──create──► draft ──submit──► submitted ──sign (leader)──► signed ──issue (văn thư)──► issued
//!     ▲                  ▲                  │                          │                           │
//!     └──────── returned ◄─────return───────┴──────────return─────────┘             deliver ──► delivered
//!                                                                                  recall ◄── issued/delivered/received
//!  recipient (văn thư of another body) ──receive──► verified, in its sổ đến; the sender's copy ──► received
//! ```
//!
//! Every step: authorise (role and organisation, [`auth::allows`]; a refusal is logged), check
//! the state, do the heavy work off the async threads (typesetting, key decryption, signing,
//! verifying), then record the new state with optimistic concurrency (the version read) and an
//! audit entry in one transaction. The văn thư can issue only a document the competent person
//! has signed, and the leader's signature is verified again before the seal goes on (Điều 32).
//!
//! A number is taken only when the văn thư issues (FORMAT.md §5.3 design a): the leader signs
//! the draft with empty number and date fields. If sealing fails after the number was taken,
//! the number is voided with the reason and stays on the record.
//!
//! Keys: a leader's key is bound to its user and encrypted under the leader's signing PIN; the
//! organisation's key is bound to the organisation, encrypted under the seal PIN that the văn
//! thư holds (Điều 32: the văn thư keeps the key device). The server keeps neither PIN.

pub mod auth;
pub mod bootstrap;
pub mod draft;
mod error;
pub mod files;
pub mod receive;
pub mod s3;
mod steps;

use std::path::PathBuf;
use std::sync::Arc;

use crate::compose::Templates;
use crate::pki::keystore::KeyProtection;
use crate::pki::revocation::RevocationOptions;
use crate::pki::trust::TrustStore;
use crate::register::Register;
use crate::sign::pades::Level;

pub use error::WorkflowError;
pub use steps::{ExternalPrepared, IssueRequest, NewDraft};

use self::draft::DraftSources;
use self::files::FileStore;

/// How the workflow runs: where things are, whom to trust, how to sign.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory (file store, pending external signatures, profiles).
    pub data_dir: PathBuf,
    /// The organisation profiles file.
    pub profiles: Option<PathBuf>,
    /// The templates.
    pub templates: Arc<Templates>,
    /// Trust anchors for checking signers before signing, and for verifying.
    pub anchors: TrustStore,
    /// Revocation sources used when checking a signer before signing (the dev CRL, a cache).
    pub revocation: RevocationOptions,
    /// The PAdES level of both signatures.
    pub level: Level,
    /// The RFC 3161 TSA (from B-T up).
    pub tsa_url: Option<String>,
    /// How keys stored by the service are encrypted.
    pub key_protection: KeyProtection,
    /// Files in an S3-compatible bucket instead of `DATA/files`.
    pub s3: Option<s3::S3Config>,
}

/// The workflow: cheap to clone, one per service instance.
#[derive(Debug, Clone)]
pub struct Workflow {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    register: Register,
    files: FileStore,
    config: Config,
}

impl Workflow {
    /// The workflow over an open register; the file store is `DATA/files`.
    pub fn new(register: Register, config: Config) -> Result<Workflow, WorkflowError> {
        let files = match &config.s3 {
            Some(s3) => FileStore::s3(s3.clone()),
            None => FileStore::open(&config.data_dir.join("files"))?,
        };
        std::fs::create_dir_all(config.data_dir.join("pending"))
            .map_err(|e| WorkflowError::Files(format!("{}: {e}", config.data_dir.display())))?;
        Ok(Workflow {
            inner: Arc::new(Inner {
                register,
                files,
                config,
            }),
        })
    }

    /// The register (sổ, nhật ký, people, documents).
    pub fn register(&self) -> &Register {
        &self.inner.register
    }

    /// The file store.
    pub fn files(&self) -> &FileStore {
        &self.inner.files
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Where drafts read their templates and profiles.
    pub fn sources(&self) -> DraftSources {
        DraftSources {
            templates: Arc::clone(&self.inner.config.templates),
            profiles: self.inner.config.profiles.clone(),
        }
    }
}

/// Run CPU-heavy work (typesetting, PBKDF2, signing, verifying) on the blocking pool, so the
/// async threads keep serving.
pub async fn blocking<T, F>(work: F) -> Result<T, WorkflowError>
where
    F: FnOnce() -> Result<T, WorkflowError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WorkflowError::Internal(format!("tác vụ nền dừng bất thường: {e}")))?
}

//! The trust store (kho chứng thư gốc tin cậy): the certificates a path must end at.
//!
//! Anchors are whole certificates, not just names: a path is trusted when the last signature
//! in it verifies with an anchor's key and the names chain. They come from
//!
//! 1. `certs/trusted/*.pem` under a base directory (the project or the user's working
//!    directory): a missing directory just means no anchors from there;
//! 2. directories given in the configuration: every `*.pem`, `*.crt`, `*.cer` and `*.der`;
//! 3. single files given explicitly (`vanban verify --trust FILE`).
//!
//! A file may be a PEM bundle with many `CERTIFICATE` blocks, or one DER certificate (the
//! `.cer` files Vietnamese CAs publish are often DER).
//!
//! # Adding the Vietnamese national roots
//!
//! vanban ships no real CA certificate. To verify documents signed with certificates issued
//! under the national PKI, add its roots yourself, from the publishers, after checking their
//! fingerprints against what the publisher states:
//!
//! - **NEAC** (Trung tâm Chứng thực điện tử quốc gia, Bộ Khoa học và Công nghệ), root of the
//!   public digital-signature services (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA …): download
//!   "Vietnam National Root CA" from <https://rootca.gov.vn> (section *Chứng thư số gốc*).
//! - **Ban Cơ yếu Chính phủ** (Government Cipher Committee), root of the specialised PKI for
//!   state agencies (chứng thư số chuyên dùng Chính phủ): download the Root CA and the
//!   subordinate CA certificates from <https://ca.gov.vn>.
//!
//! Then either copy them into `certs/trusted/` (convert DER to PEM with
//! `openssl x509 -inform DER -in root.cer -out certs/trusted/neac-root.pem`, or keep the `.cer`
//! in a configured directory), or pass them with `--trust root.pem`. Check the fingerprint with
//! `openssl x509 -in certs/trusted/neac-root.pem -noout -fingerprint -sha256`.

use std::fs;
use std::path::{Path, PathBuf};

use x509_parser::pem::Pem;

use super::path::cert::{Cert, hex};

/// Largest trust file read: 16 MiB. The whole Mozilla bundle (`ca-certificates.crt`) is about
/// 220 KB; a file much larger than that is not a certificate bundle.
pub const MAX_TRUST_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Most anchors in one store: 10,000 (the Mozilla bundle has about 150). Bounds the time spent
/// matching names during path building.
pub const MAX_ANCHORS: usize = 10_000;

/// File extensions read from trust directories.
const TRUST_EXTENSIONS: [&str; 4] = ["pem", "crt", "cer", "der"];

/// Where the trust store looks for anchors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustConfig {
    /// The base directory holding `certs/trusted/`; `None` skips the default directory.
    pub base: Option<PathBuf>,
    /// More directories to read (every `*.pem`, `*.crt`, `*.cer`, `*.der`).
    pub dirs: Vec<PathBuf>,
    /// Single files to read (`--trust FILE`).
    pub files: Vec<PathBuf>,
}

/// Where an anchor came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorSource {
    /// A file, with the index of the certificate inside it (0 for the first).
    File {
        /// The file's path.
        path: PathBuf,
        /// Position of the certificate in the file.
        index: usize,
    },
    /// Added from memory by the program, with a label.
    Memory(String),
}

/// A trust anchor (chứng thư gốc tin cậy): a certificate the user trusts.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub(crate) cert: Cert,
    source: AnchorSource,
}

impl Anchor {
    /// The subject name, as text.
    pub fn subject(&self) -> &str {
        &self.cert.subject.display
    }

    /// SHA-256 fingerprint of the certificate, lower-case hex.
    pub fn sha256_hex(&self) -> String {
        hex(&self.cert.sha256)
    }

    /// The certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.cert.der
    }

    /// Where the anchor came from.
    pub fn source(&self) -> &AnchorSource {
        &self.source
    }
}

/// Why the trust store could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// A certificate in a trust file could not be parsed.
    #[error("{path}: certificate {index} is malformed: {detail}")]
    BadCertificate {
        /// The file.
        path: PathBuf,
        /// Position of the certificate in the file (0 for the first).
        index: usize,
        /// What the parser said.
        detail: String,
    },
    /// A trust file is bigger than [`MAX_TRUST_FILE_BYTES`].
    #[error("{path}: {size} bytes is too large for a certificate file (at most {limit})")]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A configured file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A trust file holds no certificate.
    #[error(
        "{path}: no certificate found (expected PEM `CERTIFICATE` blocks or one DER certificate)"
    )]
    NoCertificates {
        /// The file.
        path: PathBuf,
    },
    /// A PEM block could not be decoded.
    #[error("{path}: PEM block {index} is malformed: {detail}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// Position of the block in the file (0 for the first).
        index: usize,
        /// What the decoder said.
        detail: String,
    },
    /// More anchors than [`MAX_ANCHORS`].
    #[error("more than {limit} trust anchors")]
    TooManyAnchors {
        /// The limit.
        limit: usize,
    },
    /// A PEM block that is not a certificate (a private key in `certs/trusted/` is a mistake).
    #[error("{path}: PEM block {index} is a `{label}`, not a CERTIFICATE")]
    UnexpectedPemBlock {
        /// The file.
        path: PathBuf,
        /// Position of the block in the file (0 for the first).
        index: usize,
        /// The block's label.
        label: String,
    },
}

/// The set of trust anchors path validation may end at.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Anchor>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// Loads every anchor the configuration names. The default `certs/trusted/` may be
    /// missing; configured directories and files must exist.
    pub fn load(config: &TrustConfig) -> Result<Self, TrustError> {
        let mut store = TrustStore::new();
        if let Some(base) = &config.base {
            let default_dir = base.join("certs").join("trusted");
            if default_dir.is_dir() {
                store.add_dir(&default_dir)?;
            }
        }
        for dir in &config.dirs {
            store.add_dir(dir)?;
        }
        for file in &config.files {
            store.add_file(file)?;
        }
        Ok(store)
    }

    /// Adds every certificate file in `dir` (not recursive), in name order. Returns how many
    /// anchors were added.
    pub fn add_dir(&mut self, dir: &Path) -> Result<usize, TrustError> {
        let io = |source| TrustError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let wanted = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| TRUST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if wanted && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        let mut added = 0;
        for file in files {
            added += self.add_file(&file)?;
        }
        Ok(added)
    }

    /// Adds the certificates of one file: a PEM bundle or a single DER certificate.
    pub fn add_file(&mut self, path: &Path) -> Result<usize, TrustError> {
        let io = |source| TrustError::Io {
            path: path.to_path_buf(),
            source,
        };
        let size = fs::metadata(path).map_err(io)?.len();
        if size > MAX_TRUST_FILE_BYTES {
            return Err(TrustError::FileTooLarge {
                path: path.to_path_buf(),
                size,
                limit: MAX_TRUST_FILE_BYTES,
            });
        }
        let data = fs::read(path).map_err(io)?;
        let added = if looks_like_pem(&data) {
            self.add_pem(&data, path)?
        } else {
            let source = AnchorSource::File {
                path: path.to_path_buf(),
                index: 0,
            };
            self.add_der(&data, source)?;
            1
        };
        if added == 0 {
            return Err(TrustError::NoCertificates {
                path: path.to_path_buf(),
            });
        }
        Ok(added)
    }

    /// Adds the `CERTIFICATE` blocks of PEM text read from `path`.
    fn add_pem(&mut self, data: &[u8], path: &Path) -> Result<usize, TrustError> {
        let mut added = 0;
        for (index, block) in Pem::iter_from_buffer(data).enumerate() {
            let block = block.map_err(|e| TrustError::Pem {
                path: path.to_path_buf(),
                index,
                detail: e.to_string(),
            })?;
            if block.label != "CERTIFICATE" {
                return Err(TrustError::UnexpectedPemBlock {
                    path: path.to_path_buf(),
                    index,
                    label: block.label,
                });
            }
            let source = AnchorSource::File {
                path: path.to_path_buf(),
                index,
            };
            self.add_der(&block.contents, source)?;
            added += 1;
        }
        Ok(added)
    }

    /// Adds one DER certificate. A certificate already in the store is not added twice.
    pub fn add_der(&mut self, der: &[u8], source: AnchorSource) -> Result<(), TrustError> {
        let cert = Cert::parse(der).map_err(|detail| {
            let (path, index) = match &source {
                AnchorSource::File { path, index } => (path.clone(), *index),
                AnchorSource::Memory(label) => (PathBuf::from(label), 0),
            };
            TrustError::BadCertificate {
                path,
                index,
                detail,
            }
        })?;
        if self.anchors.iter().any(|a| a.cert.sha256 == cert.sha256) {
            return Ok(());
        }
        if self.anchors.len() >= MAX_ANCHORS {
            return Err(TrustError::TooManyAnchors { limit: MAX_ANCHORS });
        }
        self.anchors.push(Anchor { cert, source });
        Ok(())
    }

    /// The anchors, in the order they were added.
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether the store has no anchors (then nothing validates).
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

fn looks_like_pem(data: &[u8]) -> bool {
    data.windows(11).any(|w| w == b"-----BEGIN ")
}

//! The content-addressed file store (kho tệp): every source, draft and signed file under the
//! hex of its SHA-256, `files/ab/abcdef…`. A file is written once to a temporary name and
//! renamed into place, so a crash never leaves a half-written file under a real name, and a
//! name always holds the bytes it names (checked again on every read).
//!
//! Several service instances on one PostgreSQL share this directory (a network mount), or an
//! S3-compatible object store ([`S3Config`]: objects `files/ab/abcdef…` in one bucket, written
//! with one signed PUT each, so that a reader never sees part of an object).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::limits::MAX_FILE_BYTES;
use crate::register::Sha256;

use super::WorkflowError;
use super::s3::{S3Config, S3Store};

/// The file store: a directory, or an S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
    s3: Option<S3Store>,
}

impl FileStore {
    /// The store in `dir` (created when missing).
    pub fn open(dir: &Path) -> Result<FileStore, WorkflowError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        Ok(FileStore {
            root: dir.to_owned(),
            s3: None,
        })
    }

    /// The store in an S3-compatible bucket.
    pub fn s3(config: S3Config) -> FileStore {
        FileStore {
            root: PathBuf::from("files"),
            s3: Some(S3Store::new(config)),
        }
    }

    /// Store `bytes`; returns their digest. Storing the same bytes twice is a no-op.
    pub fn put(&self, bytes: &[u8]) -> Result<Sha256, WorkflowError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(WorkflowError::Files(format!(
                "tệp {} byte vượt giới hạn {MAX_FILE_BYTES}",
                bytes.len()
            )));
        }
        let digest = Sha256::digest(bytes);
        if let Some(s3) = &self.s3 {
            s3.put(&object_key(digest), bytes)?;
            return Ok(digest);
        }
        let path = self.path_of(digest);
        if path.exists() {
            return Ok(digest);
        }
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        // Unique per process and per call: two requests storing the same file at once each
        // write their own temporary and the second rename replaces identical bytes.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let call = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = dir.join(format!(
            ".{}.{}.{call}.tmp",
            digest.hex(),
            std::process::id()
        ));
        let mut file = std::fs::File::create(&temporary).map_err(|e| io(&temporary, e))?;
        file.write_all(bytes).map_err(|e| io(&temporary, e))?;
        file.sync_all().map_err(|e| io(&temporary, e))?;
        drop(file);
        std::fs::rename(&temporary, &path).map_err(|e| io(&path, e))?;
        Ok(digest)
    }

    /// The bytes stored under `digest`, checked against it.
    pub fn get(&self, digest: Sha256) -> Result<Vec<u8>, WorkflowError> {
        let (bytes, name) = match &self.s3 {
            Some(s3) => (
                s3.get(&object_key(digest), MAX_FILE_BYTES)?,
                s3.describe(&object_key(digest)),
            ),
            None => {
                let path = self.path_of(digest);
                (
                    std::fs::read(&path).map_err(|e| io(&path, e))?,
                    path.display().to_string(),
                )
            }
        };
        if Sha256::digest(&bytes) != digest {
            return Err(WorkflowError::Files(format!(
                "{name}: nội dung không khớp SHA-256 (tệp bị sửa ngoài hệ thống)"
            )));
        }
        Ok(bytes)
    }

    fn path_of(&self, digest: Sha256) -> PathBuf {
        let hex = digest.hex();
        self.root.join(&hex[..2]).join(hex)
    }
}

/// The object key of a digest: `files/ab/abcdef…`, as in the directory.
fn object_key(digest: Sha256) -> String {
    let hex = digest.hex();
    format!("files/{}/{hex}", &hex[..2])
}

fn io(path: &Path, error: std::io::Error) -> WorkflowError {
    WorkflowError::Files(format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_tampering_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let digest = store.put("Số: 36/KH-CĐN".as_bytes()).unwrap();
        assert_eq!(store.put("Số: 36/KH-CĐN".as_bytes()).unwrap(), digest);
        assert_eq!(store.get(digest).unwrap(), "Số: 36/KH-CĐN".as_bytes());
        std::fs::write(store.path_of(digest), b"changed").unwrap();
        assert!(matches!(store.get(digest), Err(WorkflowError::Files(_))));
    }
}

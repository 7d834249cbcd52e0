//! The content-addressed file store (kho tệp): every source, draft and signed file under the
//! hex of its SHA-256, `files/ab/abcdef…`. A file is written once to a temporary name and
//! renamed into place, so a crash never leaves a half-written file under a real name, and a
//! name always holds the bytes it names (checked again on every read).
//!
//! Several service instances on one PostgreSQL share this directory (a network mount); an
//! S3-compatible store would be a second implementation of `put`/`get`, not built yet.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::limits::MAX_FILE_BYTES;
use crate::register::Sha256;

use super::WorkflowError;

/// The file store under a data directory.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    /// The store in `dir` (created when missing).
    pub fn open(dir: &Path) -> Result<FileStore, WorkflowError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        Ok(FileStore {
            root: dir.to_owned(),
        })
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
        let path = self.path_of(digest);
        let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
        if Sha256::digest(&bytes) != digest {
            return Err(WorkflowError::Files(format!(
                "{}: nội dung không khớp SHA-256 (tệp bị sửa ngoài hệ thống)",
                path.display()
            )));
        }
        Ok(bytes)
    }

    fn path_of(&self, digest: Sha256) -> PathBuf {
        let hex = digest.hex();
        self.root.join(&hex[..2]).join(hex)
    }
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

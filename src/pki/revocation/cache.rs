//! The revocation cache directory: evidence files named by issuer (CRLs) and by issuer and
//! serial (OCSP responses).

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use super::{EvidenceKind, RevocationCache, RevocationError};
use crate::pki::path::cert::{Cert, hex, sha256};

/// Largest cache file read: 20 MiB, the same as the largest fetched CRL
/// ([`super::FetchLimits`]'s default).
const MAX_CACHE_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The files that may hold evidence for `cert`: its OCSP response, then its issuer's CRL.
pub(super) fn candidates(
    cache: &RevocationCache,
    cert: &Cert,
    issuer: &Cert,
) -> Vec<(EvidenceKind, PathBuf)> {
    vec![
        (
            EvidenceKind::Ocsp,
            file(cache, EvidenceKind::Ocsp, cert, issuer),
        ),
        (
            EvidenceKind::Crl,
            file(cache, EvidenceKind::Crl, cert, issuer),
        ),
    ]
}

fn file(cache: &RevocationCache, kind: EvidenceKind, cert: &Cert, issuer: &Cert) -> PathBuf {
    let name = match kind {
        EvidenceKind::Crl => format!("crl-{}.der", hex(&sha256(&cert.issuer.der)[..16])),
        EvidenceKind::Ocsp => format!(
            "ocsp-{}-{}.der",
            hex(&sha256(&issuer.public_key.key)[..16]),
            cert.serial_hex()
        ),
    };
    cache.dir.join(name)
}

/// Reads a cache file; `Ok(None)` if it does not exist.
pub(super) fn read(path: &Path) -> Result<Option<Vec<u8>>, RevocationError> {
    let unreadable = |e: std::io::Error| RevocationError::CacheUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
    };
    let mut data = Vec::new();
    file.take(MAX_CACHE_FILE_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(unreadable)?;
    if data.len() as u64 > MAX_CACHE_FILE_BYTES {
        return Err(RevocationError::TooLarge {
            url: path.display().to_string(),
            limit: MAX_CACHE_FILE_BYTES,
        });
    }
    Ok(Some(data))
}

/// Stores verified evidence, atomically (write to a temporary name, then rename).
pub(super) fn write(
    cache: &RevocationCache,
    kind: EvidenceKind,
    cert: &Cert,
    issuer: &Cert,
    der: &[u8],
) -> std::io::Result<()> {
    fs::create_dir_all(&cache.dir)?;
    let target = file(cache, kind, cert, issuer);
    let temporary = target.with_extension(format!("tmp{}", std::process::id()));
    fs::write(&temporary, der)?;
    fs::rename(&temporary, &target)
}

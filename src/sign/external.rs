//! External signing (ký ngoài): the hash leaves, the signature comes back, maybe hours later.
//!
//! A USB token driven from a browser, or a remote signing service (VNPT SmartCA, Viettel
//! MySign: the Cloud Signature Consortium `signHash` call), signs the digest of the signed
//! attributes. [`save`] writes the [`Digested`] stage as two files that survive a process
//! restart:
//!
//! - `STATE.json`: an [`ExternalState`] with what must be signed (`to_be_signed`, the DER of
//!   the signed attributes, and `to_be_signed_digest`), the algorithm, the signer's chain, the
//!   `/ByteRange` and the placeholder offsets, the PAdES level and TSA, and the SHA-256 of
//! - `STATE.pdf` (the state file's name with `.pdf`): the prepared PDF, placeholders in place.
//!
//! [`load`] reads both back, checks the prepared file's hash, hashes its byte ranges again and
//! rebuilds the signed attributes, which must come out byte-identical to the saved ones, so a
//! state file edited or paired with another PDF is refused. [`Digested::embed`] then checks the
//! returned signature against the certificate before writing it.
//!
//! The signer's certificate must be known when preparing: the signing-certificate-v2
//! attribute, which is signed, names it. [`with_chain`] accepts a fuller chain at completion
//! (intermediates the service returns), as long as its first certificate is the prepared one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::pdf::{ObjRef, SignaturePlaceholder};
use crate::pki::SignatureAlgorithm;
use crate::sign::error::SignError;
use crate::sign::pades::{Digested, Level, Prepared, SignerIdentity};

/// The format version written in [`ExternalState::version`].
pub const STATE_VERSION: u32 = 1;

/// Largest state file read: 1 MiB (a state with a 5-certificate chain is about 20 KB).
const MAX_STATE_BYTES: u64 = 1024 * 1024;

/// The saved [`Digested`] stage (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalState {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// The prepared PDF's file name, next to the state file.
    pub prepared_file: String,
    /// SHA-256 of the prepared PDF, hex.
    pub prepared_sha256: String,
    /// Length of the original file (the prefix the update was appended to).
    pub original_len: usize,
    /// The signature dictionary's object number and generation.
    pub signature_object: (u32, u16),
    /// The `/Contents` hex string's offsets, delimiters included.
    pub contents: (usize, usize),
    /// The `/ByteRange` array's offsets, brackets included.
    pub byte_range_slot: (usize, usize),
    /// The `/ByteRange` written.
    pub byte_range: [usize; 4],
    /// The PAdES level to finish at.
    pub level: String,
    /// The TSA for B-T and above.
    pub tsa_url: Option<String>,
    /// The signature algorithm ("RSA PKCS#1 v1.5 SHA-256", as [`SignatureAlgorithm::name`]).
    pub algorithm: String,
    /// The signer's chain, DER as hex, own certificate first.
    pub chain: Vec<String>,
    /// The digest of the byte ranges, hex.
    pub content_digest: String,
    /// The DER of the signed attributes (what the key signs), hex.
    pub to_be_signed: String,
    /// Its digest (what a hash-signing service signs), hex.
    pub to_be_signed_digest: String,
}

/// The prepared PDF's path for a state file: `STATE.json` → `STATE.pdf`.
pub fn prepared_path(state: &Path) -> PathBuf {
    state.with_extension("pdf")
}

/// Write `STATE.json` and `STATE.pdf` for `digested`; returns the state.
pub fn save(digested: &Digested, state_path: &Path) -> Result<ExternalState, SignError> {
    let prepared = digested.prepared();
    let (placeholder, original_len) = prepared.parts();
    let (level, tsa_url) = prepared.level_and_tsa();
    let signer = prepared.signer();
    let pdf_path = prepared_path(state_path);
    let state = ExternalState {
        version: STATE_VERSION,
        prepared_file: pdf_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        prepared_sha256: hex(&sha256(prepared.bytes())),
        original_len,
        signature_object: (
            placeholder.reference.number,
            placeholder.reference.generation,
        ),
        contents: (placeholder.contents.start, placeholder.contents.end),
        byte_range_slot: (placeholder.byte_range.start, placeholder.byte_range.end),
        byte_range: prepared.byte_range(),
        level: level.name().to_owned(),
        tsa_url: tsa_url.map(str::to_owned),
        algorithm: signer.algorithm.name().to_owned(),
        chain: signer.chain.iter().map(|c| hex(c)).collect(),
        content_digest: hex(digested.content_digest()),
        to_be_signed: hex(digested.to_be_signed()),
        to_be_signed_digest: hex(&digested.to_be_signed_digest()),
    };
    write(&pdf_path, prepared.bytes())?;
    let json = serde_json::to_vec_pretty(&state).map_err(|e| SignError::ExternalState {
        reason: e.to_string(),
    })?;
    write(state_path, &json)?;
    Ok(state)
}

/// Read a state file and its prepared PDF back into the [`Digested`] stage.
pub fn load(state_path: &Path) -> Result<Digested, SignError> {
    let json = read_bounded(state_path, MAX_STATE_BYTES)?;
    let state: ExternalState = serde_json::from_slice(&json).map_err(|e| bad(e.to_string()))?;
    if state.version != STATE_VERSION {
        return Err(bad(format!(
            "version {} (expected {STATE_VERSION})",
            state.version
        )));
    }
    let dir = state_path.parent().unwrap_or(Path::new("."));
    let name = Path::new(&state.prepared_file);
    if name.components().count() != 1 {
        return Err(bad(
            "prepared_file must be a file name next to the state file".into(),
        ));
    }
    let bytes = read_bounded(&dir.join(name), crate::limits::MAX_FILE_BYTES as u64)?;
    if hex(&sha256(&bytes)) != state.prepared_sha256 {
        return Err(bad("the prepared PDF changed since it was prepared".into()));
    }
    let algorithm = SignatureAlgorithm::ALL
        .into_iter()
        .find(|a| a.name() == state.algorithm)
        .ok_or_else(|| bad(format!("unknown algorithm {}", state.algorithm)))?;
    let chain = state
        .chain
        .iter()
        .map(|c| unhex(c))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad("chain is not hex".into()))?;
    let level: Level = state.level.parse().map_err(bad)?;
    let placeholder = SignaturePlaceholder {
        reference: ObjRef::new(state.signature_object.0, state.signature_object.1),
        contents: state.contents.0..state.contents.1,
        byte_range: state.byte_range_slot.0..state.byte_range_slot.1,
    };
    let signer = SignerIdentity { algorithm, chain };
    let prepared = Prepared::from_parts(
        bytes,
        state.original_len,
        placeholder,
        signer,
        level,
        state.tsa_url.clone(),
    )?;
    if prepared.byte_range() != state.byte_range {
        return Err(bad("the /ByteRange does not match the prepared file".into()));
    }
    let digested = prepared.digest()?;
    if hex(digested.to_be_signed()) != state.to_be_signed {
        return Err(bad(
            "the signed attributes do not match the prepared file".into()
        ));
    }
    Ok(digested)
}

/// Replace the chain with a fuller one whose first certificate is the prepared signer's.
pub fn with_chain(digested: Digested, chain: Vec<Vec<u8>>) -> Result<Digested, SignError> {
    let prepared = digested.into_prepared();
    if chain.first() != prepared.signer().chain.first() {
        return Err(SignError::ChainMismatch);
    }
    let before = prepared.signer().clone();
    let (placeholder, original_len) = prepared.parts();
    let (placeholder, (level, tsa)) = (placeholder.clone(), prepared.level_and_tsa());
    let tsa = tsa.map(str::to_owned);
    let rebuilt = Prepared::from_parts(
        prepared.bytes().to_vec(),
        original_len,
        placeholder,
        SignerIdentity {
            algorithm: before.algorithm,
            chain,
        },
        level,
        tsa,
    )?;
    rebuilt.digest()
}

fn bad(reason: String) -> SignError {
    SignError::ExternalState { reason }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), SignError> {
    std::fs::write(path, bytes).map_err(|source| SignError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Read a file of at most `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, SignError> {
    use std::io::Read;
    let io = |source| SignError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(bad(format!(
            "{} is larger than {max} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

fn sha256(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (either case); `None` for odd length or a non-hex digit.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 0xab, 0xff])),
            Some(vec![0, 1, 0xab, 0xff])
        );
        assert_eq!(unhex("0G"), None);
        assert_eq!(unhex("abc"), None);
    }
}

//! Encrypted key files (tệp khóa bí mật được mã hóa): PKCS#8 PBES2, and the passphrase that opens them.
//!
//! Keys are written only encrypted: `EncryptedPrivateKeyInfo` with PBES2, AES-256-CBC and
//! PBKDF2-HMAC-SHA256 (RFC 8018), PEM-armoured as `ENCRYPTED PRIVATE KEY`, which `openssl pkey`
//! reads. PBKDF2 rather than scrypt because OpenSSL refuses scrypt parameters above its 32 MiB
//! default memory limit, and parameters under that limit are weaker than 600,000 PBKDF2 rounds.
//! Reading refuses an unencrypted key file outright, so a key that leaked to disk in clear
//! cannot quietly become a signing key.
//!
//! The passphrase comes from `VANBAN_PASSPHRASE`, or from a prompt when stdin is a terminal;
//! with neither, [`Passphrase::from_env_or_prompt`] fails at once instead of waiting for input.

use std::fmt;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use der::Decode;
use der::pem::LineEnding;
use pkcs8::pkcs5::pbes2;
use pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo};
use zeroize::Zeroizing;

use super::signer::{KeySigner, SignerError};

/// The environment variable that holds the key passphrase.
pub const PASSPHRASE_ENV: &str = "VANBAN_PASSPHRASE";

/// Largest key or certificate file read: 1 MiB. A PEM key is under 4 KB and a chain of ten
/// certificates under 30 KB; the limit only stops a wrong path (a PDF, a disk image) from being
/// read whole.
pub const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// Most PBKDF2 rounds accepted when reading: 10,000,000 (about 5 s here). Writers use 600,000
/// (OWASP 2023) and OpenSSL 2,048; a file asking for billions is an attempt to hang the reader.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// Largest scrypt cost accepted when reading: N = 2^20 (1 GiB of memory with r = 8).
pub const MAX_SCRYPT_LOG_N: u32 = 20;

/// Largest scrypt block size (`r`) and parallelisation (`p`) accepted when reading.
pub const MAX_SCRYPT_R_P: u16 = 16;

/// A key passphrase (mật khẩu khóa): wiped on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase from text the caller already has.
    pub fn new(text: impl Into<String>) -> Passphrase {
        Passphrase(Zeroizing::new(text.into()))
    }

    /// The passphrase from `VANBAN_PASSPHRASE`; else, when stdin is a terminal, typed at a
    /// prompt (echo off through `stty`, twice when `confirm`); else [`PassphraseError::Missing`].
    /// An empty passphrase is refused.
    pub fn from_env_or_prompt(prompt: &str, confirm: bool) -> Result<Passphrase, PassphraseError> {
        if let Ok(text) = std::env::var(PASSPHRASE_ENV) {
            return Passphrase::non_empty(text);
        }
        if !std::io::stdin().is_terminal() {
            return Err(PassphraseError::Missing);
        }
        let first = prompt_hidden(prompt)?;
        if confirm {
            let again = prompt_hidden("Nhập lại mật khẩu (again): ")?;
            if *first != *again {
                return Err(PassphraseError::Mismatch);
            }
        }
        Passphrase::non_empty(first.to_string())
    }

    /// The passphrase bytes (UTF-8).
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The passphrase text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn non_empty(text: String) -> Result<Passphrase, PassphraseError> {
        if text.is_empty() {
            return Err(PassphraseError::Empty);
        }
        Ok(Passphrase::new(text))
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

/// Why no passphrase could be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PassphraseError {
    /// The passphrase was empty.
    #[error("the key passphrase is empty; private keys are only written encrypted")]
    Empty,
    /// The two entries differ.
    #[error("the two passphrases typed differ")]
    Mismatch,
    /// Neither the variable nor a terminal.
    #[error(
        "no key passphrase: set {PASSPHRASE_ENV}, or run in a terminal to be prompted \
         (hint: đặt biến môi trường {PASSPHRASE_ENV})"
    )]
    Missing,
    /// Reading the terminal failed.
    #[error("cannot read the passphrase from the terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// How a written key is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProtection {
    /// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
    Pbkdf2Sha256Aes256 {
        /// PBKDF2 rounds.
        iterations: u32,
    },
}

impl KeyProtection {
    /// What `pki init` writes: 600,000 PBKDF2-HMAC-SHA256 rounds (OWASP's 2023 figure).
    pub const STRONG: KeyProtection = KeyProtection::Pbkdf2Sha256Aes256 {
        iterations: 600_000,
    };

    /// For throw-away keys in test directories only: 2,048 rounds, OpenSSL's own default for
    /// `openssl pkcs8 -topk8`. Still PBES2 AES-256, still unreadable without the passphrase.
    pub const FAST_FOR_TESTS: KeyProtection =
        KeyProtection::Pbkdf2Sha256Aes256 { iterations: 2_048 };
}

impl Default for KeyProtection {
    fn default() -> Self {
        KeyProtection::STRONG
    }
}

/// Why a key file could not be written or opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyStoreError {
    /// The certificates that go with the key could not be read.
    #[error("{path}: no usable certificate: {reason}")]
    Certificates {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Encryption failed (should not happen; reported rather than unwrapped).
    #[error("cannot encrypt the private key: {reason}")]
    Encrypt {
        /// What failed.
        reason: String,
    },
    /// A file is larger than [`MAX_KEY_FILE_BYTES`].
    #[error("{path}: {size} bytes is too large for a key or certificate file (limit {max})")]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a PEM `ENCRYPTED PRIVATE KEY`, nor DER of one.
    #[error("{path}: not an encrypted PKCS#8 key file: {reason}")]
    NotAKeyFile {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// The key file holds an unencrypted key, which vanban refuses to use.
    #[error(
        "{path}: the private key is not encrypted; re-encrypt it \
         (openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256)"
    )]
    NotEncrypted {
        /// The file.
        path: PathBuf,
    },
    /// The key does not fit its certificate, or cannot sign.
    #[error("{path}: {source}")]
    Signer {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: SignerError,
    },
    /// The file asks for a cipher or KDF we do not support, or for too much work.
    #[error("{path}: unsupported key encryption: {reason}")]
    UnsupportedEncryption {
        /// The file.
        path: PathBuf,
        /// What was asked for.
        reason: String,
    },
    /// The passphrase does not open the key.
    #[error("{path}: wrong passphrase (mật khẩu không đúng)")]
    WrongPassphrase {
        /// The file.
        path: PathBuf,
    },
}

/// Encrypt a PKCS#8 `PrivateKeyInfo` (DER) under `passphrase`; returns the PEM text.
pub fn encrypt_pkcs8(
    pkcs8: &[u8],
    passphrase: &Passphrase,
    protection: KeyProtection,
) -> Result<Zeroizing<String>, KeyStoreError> {
    let encrypt_error = |reason: String| KeyStoreError::Encrypt { reason };
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    let rng = ring::rand::SystemRandom::new();
    ring::rand::SecureRandom::fill(&rng, &mut salt).map_err(|e| encrypt_error(e.to_string()))?;
    ring::rand::SecureRandom::fill(&rng, &mut iv).map_err(|e| encrypt_error(e.to_string()))?;
    let KeyProtection::Pbkdf2Sha256Aes256 { iterations } = protection;
    let params = pbes2::Parameters::pbkdf2_sha256_aes256cbc(iterations, &salt, &iv)
        .map_err(|e| encrypt_error(e.to_string()))?;
    let info = PrivateKeyInfo::from_der(pkcs8).map_err(|e| encrypt_error(e.to_string()))?;
    let document = info
        .encrypt_with_params(params, passphrase.as_bytes())
        .map_err(|e| encrypt_error(e.to_string()))?;
    let pem = document
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map_err(|e| encrypt_error(e.to_string()))?;
    Ok(pem)
}

/// Decrypt an encrypted PKCS#8 key (PEM `ENCRYPTED PRIVATE KEY`, or its DER) read from `path`.
/// Returns the `PrivateKeyInfo` DER in a buffer wiped on drop.
pub fn decrypt_pkcs8(
    bytes: &[u8],
    passphrase: &Passphrase,
    path: &Path,
) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
    let der = key_der(bytes, path)?;
    let info = EncryptedPrivateKeyInfo::from_der(&der).map_err(|e| {
        if PrivateKeyInfo::from_der(&der).is_ok() {
            KeyStoreError::NotEncrypted {
                path: path.to_owned(),
            }
        } else {
            KeyStoreError::NotAKeyFile {
                path: path.to_owned(),
                reason: e.to_string(),
            }
        }
    })?;
    check_work(&info.encryption_algorithm, path)?;
    let document = info
        .decrypt(passphrase.as_bytes())
        .map_err(|e| decrypt_error(e, path))?;
    // A wrong key has a 1 in 256 chance of leaving valid padding; the DER check catches it.
    if PrivateKeyInfo::from_der(document.as_bytes()).is_err() {
        return Err(KeyStoreError::WrongPassphrase {
            path: path.to_owned(),
        });
    }
    Ok(Zeroizing::new(document.as_bytes().to_vec()))
}

/// Open a signer from an encrypted PKCS#8 key file and the PEM certificate files that go with
/// it: the first certificate of the first file is the signer's own, the rest its issuers.
pub fn open_key_file(
    key_path: &Path,
    passphrase: &Passphrase,
    certificate_paths: &[&Path],
) -> Result<KeySigner, KeyStoreError> {
    let key_bytes = Zeroizing::new(read_bounded(key_path)?);
    let pkcs8 = decrypt_pkcs8(&key_bytes, passphrase, key_path)?;
    let mut chain = Vec::new();
    for path in certificate_paths {
        chain.extend(read_certificates(path)?);
    }
    KeySigner::from_pkcs8(pkcs8, chain).map_err(|source| KeyStoreError::Signer {
        path: key_path.to_owned(),
        source,
    })
}

/// Read every certificate in a PEM file (`BEGIN CERTIFICATE` blocks) or one DER certificate.
pub fn read_certificates(path: &Path) -> Result<Vec<Vec<u8>>, KeyStoreError> {
    let bytes = read_bounded(path)?;
    parse_certificates(&bytes, path)
}

/// Every certificate in PEM text (`BEGIN CERTIFICATE` blocks) or one DER certificate, from
/// memory; `path` names the source in errors.
pub fn parse_certificates(bytes: &[u8], path: &Path) -> Result<Vec<Vec<u8>>, KeyStoreError> {
    let fail = |reason: String| KeyStoreError::Certificates {
        path: path.to_owned(),
        reason,
    };
    if bytes.first() == Some(&0x30) {
        x509_parser::parse_x509_certificate(bytes).map_err(|e| fail(e.to_string()))?;
        return Ok(vec![bytes.to_vec()]);
    }
    let mut certs = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|e| fail(e.to_string()))?;
        if pem.label == "CERTIFICATE" {
            pem.parse_x509().map_err(|e| fail(e.to_string()))?;
            certs.push(pem.contents);
        }
    }
    if certs.is_empty() {
        return Err(fail("no CERTIFICATE block".to_owned()));
    }
    Ok(certs)
}

/// DER certificates as PEM text, one `BEGIN CERTIFICATE` block each.
pub fn certificates_pem(chain: &[Vec<u8>]) -> String {
    chain
        .iter()
        // Encoding bytes in memory as base64 cannot fail; an empty block would show.
        .map(|der| der::pem::encode_string("CERTIFICATE", LineEnding::LF, der).unwrap_or_default())
        .collect()
}

/// Write `text` to `path`, readable by its owner only (0600 on Unix), replacing any old file.
pub fn write_private(path: &Path, text: &str) -> Result<(), KeyStoreError> {
    let io = |source| KeyStoreError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Read a whole file of at most [`MAX_KEY_FILE_BYTES`].
pub(crate) fn read_bounded(path: &Path) -> Result<Vec<u8>, KeyStoreError> {
    let io = |source| KeyStoreError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_KEY_FILE_BYTES {
        return Err(KeyStoreError::FileTooLarge {
            path: path.to_owned(),
            size,
            max: MAX_KEY_FILE_BYTES,
        });
    }
    std::fs::read(path).map_err(io)
}

fn key_der(bytes: &[u8], path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
    if bytes.first() == Some(&0x30) {
        return Ok(Zeroizing::new(bytes.to_vec()));
    }
    let not_key = |reason: String| KeyStoreError::NotAKeyFile {
        path: path.to_owned(),
        reason,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| not_key("neither PEM nor DER".into()))?;
    let (label, der) =
        der::pem::decode_vec(text.trim().as_bytes()).map_err(|e| not_key(format!("PEM: {e}")))?;
    let der = Zeroizing::new(der);
    match label {
        "ENCRYPTED PRIVATE KEY" => Ok(der),
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => Err(KeyStoreError::NotEncrypted {
            path: path.to_owned(),
        }),
        other => Err(not_key(format!("PEM block is {other:?}"))),
    }
}

/// Refuse KDF parameters that would make decryption hang (STYLE.md habit 2).
fn check_work(
    scheme: &pkcs8::pkcs5::EncryptionScheme<'_>,
    path: &Path,
) -> Result<(), KeyStoreError> {
    let unsupported = |reason: String| KeyStoreError::UnsupportedEncryption {
        path: path.to_owned(),
        reason,
    };
    let Some(params) = scheme.pbes2() else {
        return Err(unsupported(format!(
            "{} (PBES1: DES or RC2 with MD5/SHA-1; re-encrypt with PBES2 AES-256)",
            scheme.oid()
        )));
    };
    if let Some(pbkdf2) = params.kdf.pbkdf2()
        && pbkdf2.iteration_count > MAX_PBKDF2_ITERATIONS
    {
        return Err(unsupported(format!(
            "{} PBKDF2 rounds (limit {MAX_PBKDF2_ITERATIONS})",
            pbkdf2.iteration_count
        )));
    }
    if let Some(scrypt) = params.kdf.scrypt() {
        let log_n = scrypt.cost_parameter.checked_ilog2().unwrap_or(0);
        if log_n > MAX_SCRYPT_LOG_N
            || scrypt.block_size > MAX_SCRYPT_R_P
            || scrypt.parallelization > MAX_SCRYPT_R_P
        {
            return Err(unsupported(format!(
                "scrypt N=2^{log_n} r={} p={} (limits 2^{MAX_SCRYPT_LOG_N}, {MAX_SCRYPT_R_P})",
                scrypt.block_size, scrypt.parallelization
            )));
        }
    }
    Ok(())
}

fn decrypt_error(error: pkcs8::Error, path: &Path) -> KeyStoreError {
    use pkcs8::pkcs5::Error as Pkcs5;
    match error {
        // pkcs5 0.7 reports bad padding on decryption as `EncryptFailed`; a plaintext that
        // happens to pad correctly then fails as DER (`Asn1`). Both mean a wrong passphrase.
        pkcs8::Error::EncryptedPrivateKey(Pkcs5::DecryptFailed | Pkcs5::EncryptFailed)
        | pkcs8::Error::Asn1(_) => KeyStoreError::WrongPassphrase {
            path: path.to_owned(),
        },
        pkcs8::Error::EncryptedPrivateKey(Pkcs5::UnsupportedAlgorithm { oid })
        | pkcs8::Error::EncryptedPrivateKey(Pkcs5::AlgorithmParametersInvalid { oid }) => {
            KeyStoreError::UnsupportedEncryption {
                path: path.to_owned(),
                reason: oid.to_string(),
            }
        }
        other => KeyStoreError::NotAKeyFile {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    }
}

/// Read one line from the terminal with echo off (`stty -echo`; no terminal crate needed).
/// When `stty` is missing the prompt still works, with echo, and says so.
fn prompt_hidden(prompt: &str) -> Result<Zeroizing<String>, PassphraseError> {
    let mut stderr = std::io::stderr();
    let hidden = stty(&["-echo"]);
    if hidden {
        write!(stderr, "{prompt}")?;
    } else {
        write!(stderr, "{prompt}(typed text will show) ")?;
    }
    stderr.flush()?;
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin().lock().read_line(&mut line);
    if hidden {
        stty(&["echo"]);
        writeln!(stderr)?;
    }
    read?;
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    Ok(line)
}

fn stty(args: &[&str]) -> bool {
    Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p256_pkcs8() -> Vec<u8> {
        let rng = ring::rand::SystemRandom::new();
        let alg = &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING;
        ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &rng)
            .expect("key generation")
            .as_ref()
            .to_vec()
    }

    #[test]
    fn encrypted_key_opens_only_with_its_passphrase() {
        let key = p256_pkcs8();
        let right = Passphrase::new("Mật khẩu đúng");
        let pem = encrypt_pkcs8(&key, &right, KeyProtection::FAST_FOR_TESTS).expect("encrypts");
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let path = Path::new("key.pem");
        let opened = decrypt_pkcs8(pem.as_bytes(), &right, path).expect("right passphrase");
        assert_eq!(opened.as_slice(), key.as_slice());
        let wrong = decrypt_pkcs8(pem.as_bytes(), &Passphrase::new("mat khau dung"), path);
        assert!(
            matches!(wrong, Err(KeyStoreError::WrongPassphrase { .. })),
            "{wrong:?}"
        );
    }

    #[test]
    fn unencrypted_key_is_refused() {
        let key = p256_pkcs8();
        let pem = der::pem::encode_string("PRIVATE KEY", LineEnding::LF, &key).expect("pem");
        let result = decrypt_pkcs8(pem.as_bytes(), &Passphrase::new("x"), Path::new("k.pem"));
        assert!(
            matches!(result, Err(KeyStoreError::NotEncrypted { .. })),
            "{result:?}"
        );
        let result = decrypt_pkcs8(&key, &Passphrase::new("x"), Path::new("k.der"));
        assert!(
            matches!(result, Err(KeyStoreError::NotEncrypted { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn passphrase_debug_hides_the_secret() {
        let text = format!("{:?}", Passphrase::new("bí mật"));
        assert!(!text.contains("bí mật"));
    }
}

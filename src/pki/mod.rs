//! Keys, certificates and trust: the development PKI, key stores and signers, trust anchors,
//! and RFC 5280 path validation with revocation. Serves both `sign` and `verify`.
//!
//! # Signing keys: the API the signing code uses
//!
//! Every key source becomes a [`Signer`](signer::Signer): `sign(bytes)` returns the signature
//! value (for CMS, over the DER of the signed attributes), `algorithm()` says how it signs
//! (its digest is [`SignatureAlgorithm::digest_algorithm`](signer::SignatureAlgorithm::digest_algorithm)),
//! and `certificate_chain()` gives the signer's certificate first, then its issuers (DER).
//!
//! | source | open with |
//! |---|---|
//! | encrypted PKCS#8 file + PEM certificates | [`keystore::open_key_file`] (passphrase: [`keystore::Passphrase::from_env_or_prompt`]) |
//! | PKCS#12 file (.p12/.pfx, AES or legacy 3DES/RC2) | [`pkcs12::open`] |
//! | PKCS#11 token or HSM | [`pkcs11::Pkcs11Signer::open`] with a [`pkcs11::Pkcs11Config`] |
//! | a signature made elsewhere (USB token in the browser, VNPT SmartCA, Viettel MySign) | [`external::ExternalRequest`] (hash out, signature in) or [`external::ExternalSigner`] (a callback) |
//! | the development PKI | [`dev::generate`], then [`dev::DevPki::signer`] |
//!
//! [`open_signer`] takes a [`SignerSource`] and returns a boxed signer of any of the file and
//! token kinds, so a command line or a configuration file can name the source as data.
//!
//! Private keys are written only encrypted (PKCS#8 PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256),
//! decrypted key bytes are zeroized after use, and no type here prints key material in `Debug`.

use std::path::PathBuf;

/// The development PKI (`vanban pki init`), declared once and shared with the tests.
pub mod dev;
/// Signatures made outside this process: hash out, signature and certificates in.
pub mod external;
/// Encrypted PKCS#8 key files and the passphrase that opens them.
pub mod keystore;
/// Certificate path validation per RFC 5280 at a given time (xác thực chuỗi chứng thư).
pub mod path;
/// PKCS#11 tokens and HSMs through `cryptoki`.
pub mod pkcs11;
/// PKCS#12 (.p12/.pfx) files as Vietnamese CAs deliver them.
pub mod pkcs12;
/// Revocation: CRLs and OCSP, embedded, cached or fetched (kiểm tra thu hồi).
pub mod revocation;
/// The `Signer` trait, algorithms, and the in-memory key signer.
pub mod signer;
/// Trust anchors: `certs/trusted/`, configured directories and files (chứng thư gốc tin cậy).
pub mod trust;

pub use signer::{DigestAlgorithm, KeyKind, KeySigner, SignatureAlgorithm, Signer, SignerError};

/// Where a signing key lives, as data (for the command line and configuration files).
#[derive(Debug, Clone)]
pub enum SignerSource {
    /// An encrypted PKCS#8 key file and the PEM files of its certificate chain.
    KeyFile {
        /// The `ENCRYPTED PRIVATE KEY` file.
        key: PathBuf,
        /// PEM certificate files: the signer's own first, then its issuers.
        certificates: Vec<PathBuf>,
        /// The key passphrase.
        passphrase: keystore::Passphrase,
    },
    /// A PKCS#11 token.
    Pkcs11(pkcs11::Pkcs11Config),
    /// A PKCS#12 file and its password.
    Pkcs12 {
        /// The .p12/.pfx file.
        path: PathBuf,
        /// Its password.
        password: keystore::Passphrase,
    },
}

/// Why a signer could not be opened: one variant per source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// An encrypted key file failed.
    #[error(transparent)]
    KeyStore(#[from] keystore::KeyStoreError),
    /// A PKCS#11 token failed.
    #[error(transparent)]
    Pkcs11(#[from] pkcs11::Pkcs11Error),
    /// A PKCS#12 file failed.
    #[error(transparent)]
    Pkcs12(#[from] pkcs12::Pkcs12Error),
}

/// Open the signer `source` names.
pub fn open_signer(source: &SignerSource) -> Result<Box<dyn Signer>, PkiError> {
    Ok(match source {
        SignerSource::KeyFile {
            key,
            certificates,
            passphrase,
        } => {
            let paths: Vec<&std::path::Path> = certificates.iter().map(PathBuf::as_path).collect();
            Box::new(keystore::open_key_file(key, passphrase, &paths)?)
        }
        SignerSource::Pkcs11(config) => Box::new(pkcs11::Pkcs11Signer::open(config)?),
        SignerSource::Pkcs12 { path, password } => Box::new(pkcs12::open(path, password)?),
    })
}

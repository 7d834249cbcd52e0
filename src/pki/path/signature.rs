//! Signature checks on certificates, CRLs and OCSP responses, done by `ring`.
//!
//! Accepted: RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-256/384/512 (PSS with MGF1 over the same
//! hash and a salt as long as the hash, the only form `ring` verifies), ECDSA on P-256 and P-384
//! with SHA-256/384, and Ed25519. Refused with named errors: anything with SHA-1 (the current
//! Vietnamese standards list no SHA-1) and RSA keys under 2,048 bits.

use der::Decode;
use ring::signature::{self as ring_sig, VerificationAlgorithm};
use spki::AlgorithmIdentifierOwned;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

/// Smallest RSA modulus accepted, in bits: 2,048 (NIST SP 800-131A; also `ring`'s floor).
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits: 8,192 (`ring`'s ceiling; bounds the work per check).
pub const MAX_RSA_BITS: usize = 8192;

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const MGF1: &str = "1.2.840.113549.1.1.8";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const CURVE_P256: &str = "1.2.840.10045.3.1.7";
const CURVE_P384: &str = "1.3.132.0.34";
const ED25519: &str = "1.3.101.112";
const SHA1: &str = "1.3.14.3.2.26";
const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const SHA384: &str = "2.16.840.1.101.3.4.2.2";
const SHA512: &str = "2.16.840.1.101.3.4.2.3";
/// Signature algorithms that use SHA-1: RSA, ECDSA and DSA.
const SHA1_SIGNATURES: [&str; 3] = [
    "1.2.840.113549.1.1.5",
    "1.2.840.10045.4.1",
    "1.2.840.10040.4.3",
];

/// A signature algorithm we verify (thuật toán chữ ký).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA with SHA-256 (on P-256 or P-384).
    EcdsaSha256,
    /// ECDSA with SHA-384 (on P-256 or P-384).
    EcdsaSha384,
    /// Ed25519.
    Ed25519,
    /// RSA PKCS#1 v1.5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    RsaPkcs1Sha384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    RsaPssSha256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt.
    RsaPssSha384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.
    RsaPssSha512,
}

/// Why a signature could not be verified, or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature does not verify with the issuer's key.
    #[error("the signature does not verify")]
    Invalid,
    /// The key type does not fit the signature algorithm (an RSA algorithm with an EC key…).
    #[error("the key does not fit the signature algorithm {algorithm:?}")]
    KeyMismatch {
        /// The algorithm the signature claims.
        algorithm: SignatureAlgorithm,
    },
    /// The RSA key is shorter than 2,048 bits.
    #[error("RSA key of {bits} bits refused (at least {MIN_RSA_BITS} required)")]
    RsaKeyTooSmall {
        /// Modulus length in bits.
        bits: usize,
    },
    /// The signature uses SHA-1.
    #[error("SHA-1 signature refused ({oid})")]
    Sha1Refused {
        /// The signature algorithm OID.
        oid: String,
    },
    /// A signature algorithm (or parameters) we do not verify.
    #[error("unsupported signature algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The signature algorithm OID.
        oid: String,
    },
    /// A public key type or size we do not verify with.
    #[error("unsupported public key: {detail}")]
    UnsupportedKey {
        /// What is unsupported (algorithm OID, curve, size).
        detail: String,
    },
}

/// An AlgorithmIdentifier: the OID in dotted form and the DER of its parameters, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AlgorithmId {
    pub(crate) oid: String,
    pub(crate) params: Option<Vec<u8>>,
}

impl AlgorithmId {
    /// From x509-parser's view of an AlgorithmIdentifier.
    pub(crate) fn from_x509(alg: &AlgorithmIdentifier<'_>) -> Self {
        use x509_parser::der_parser::asn1_rs::ToDer;
        AlgorithmId {
            oid: alg.algorithm.to_id_string(),
            params: alg.parameters.as_ref().and_then(|p| p.to_der_vec().ok()),
        }
    }

    /// From the `der`/`spki` stack (OCSP responses).
    pub(crate) fn from_spki(alg: &AlgorithmIdentifierOwned) -> Self {
        use der::Encode;
        AlgorithmId {
            oid: alg.oid.to_string(),
            params: alg.parameters.as_ref().and_then(|p| p.to_der().ok()),
        }
    }

    fn params_absent_or_null(&self) -> bool {
        matches!(self.params.as_deref(), None | Some([0x05, 0x00]))
    }
}

/// The key type of a public key, as far as verification cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyAlgorithm {
    EcP256,
    EcP384,
    Ed25519,
    Rsa { bits: usize },
    Unsupported { detail: String },
}

/// A subject public key, ready for `ring`.
#[derive(Debug, Clone)]
pub(crate) struct PublicKeyInfo {
    pub(crate) algorithm: KeyAlgorithm,
    /// The subjectPublicKey BIT STRING contents (RSAPublicKey DER, EC point, Ed25519 key).
    pub(crate) key: Vec<u8>,
}

impl PublicKeyInfo {
    /// Reads a SubjectPublicKeyInfo parsed by x509-parser.
    pub(crate) fn from_x509(spki: &SubjectPublicKeyInfo<'_>) -> Self {
        let oid = spki.algorithm.algorithm.to_id_string();
        let algorithm = match oid.as_str() {
            RSA_ENCRYPTION | RSASSA_PSS => match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => KeyAlgorithm::Rsa {
                    bits: rsa.key_size(),
                },
                _ => KeyAlgorithm::Unsupported {
                    detail: "malformed RSA public key".to_owned(),
                },
            },
            EC_PUBLIC_KEY => curve(spki),
            ED25519 => KeyAlgorithm::Ed25519,
            _ => KeyAlgorithm::Unsupported {
                detail: format!("key algorithm {oid}"),
            },
        };
        PublicKeyInfo {
            algorithm,
            key: spki.subject_public_key.data.to_vec(),
        }
    }

    /// Whether this key could verify anything at all: supported type, RSA size in range.
    pub(crate) fn check_acceptable(&self) -> Result<(), SignatureError> {
        match &self.algorithm {
            KeyAlgorithm::Rsa { bits } if *bits < MIN_RSA_BITS => {
                Err(SignatureError::RsaKeyTooSmall { bits: *bits })
            }
            KeyAlgorithm::Rsa { bits } if *bits > MAX_RSA_BITS => {
                Err(SignatureError::UnsupportedKey {
                    detail: format!("RSA key of {bits} bits (at most {MAX_RSA_BITS})"),
                })
            }
            KeyAlgorithm::Unsupported { detail } => Err(SignatureError::UnsupportedKey {
                detail: detail.clone(),
            }),
            _ => Ok(()),
        }
    }
}

fn curve(spki: &SubjectPublicKeyInfo<'_>) -> KeyAlgorithm {
    let named = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|oid| oid.to_id_string());
    match named.as_deref() {
        Some(CURVE_P256) => KeyAlgorithm::EcP256,
        Some(CURVE_P384) => KeyAlgorithm::EcP384,
        Some(other) => KeyAlgorithm::Unsupported {
            detail: format!("elliptic curve {other}"),
        },
        None => KeyAlgorithm::Unsupported {
            detail: "elliptic curve without a named curve".to_owned(),
        },
    }
}

impl SignatureAlgorithm {
    /// Recognises a signature AlgorithmIdentifier, refusing SHA-1 by name.
    pub(crate) fn from_id(alg: &AlgorithmId) -> Result<Self, SignatureError> {
        let unsupported = || SignatureError::UnsupportedAlgorithm {
            oid: alg.oid.clone(),
        };
        if SHA1_SIGNATURES.contains(&alg.oid.as_str()) {
            return Err(SignatureError::Sha1Refused {
                oid: alg.oid.clone(),
            });
        }
        let found = match alg.oid.as_str() {
            "1.2.840.113549.1.1.11" => SignatureAlgorithm::RsaPkcs1Sha256,
            "1.2.840.113549.1.1.12" => SignatureAlgorithm::RsaPkcs1Sha384,
            "1.2.840.113549.1.1.13" => SignatureAlgorithm::RsaPkcs1Sha512,
            "1.2.840.10045.4.3.2" => SignatureAlgorithm::EcdsaSha256,
            "1.2.840.10045.4.3.3" => SignatureAlgorithm::EcdsaSha384,
            ED25519 => SignatureAlgorithm::Ed25519,
            RSASSA_PSS => return pss(alg),
            _ => return Err(unsupported()),
        };
        let params_ok = match found {
            // RFC 4055 §5: NULL (or, from some encoders, absent) for PKCS#1 v1.5.
            SignatureAlgorithm::RsaPkcs1Sha256
            | SignatureAlgorithm::RsaPkcs1Sha384
            | SignatureAlgorithm::RsaPkcs1Sha512 => alg.params_absent_or_null(),
            // RFC 5758 §3.2 and RFC 8410 §3: parameters absent.
            _ => alg.params.is_none(),
        };
        if params_ok {
            Ok(found)
        } else {
            Err(unsupported())
        }
    }

    /// The `ring` algorithm for this signature with a key of this type.
    fn ring_algorithm(
        self,
        key: &KeyAlgorithm,
    ) -> Result<&'static dyn VerificationAlgorithm, SignatureError> {
        use SignatureAlgorithm as S;
        let mismatch = || SignatureError::KeyMismatch { algorithm: self };
        let algorithm: &'static dyn VerificationAlgorithm = match (self, key) {
            (S::RsaPkcs1Sha256, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
            (S::RsaPkcs1Sha384, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
            (S::RsaPkcs1Sha512, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
            (S::RsaPssSha256, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PSS_2048_8192_SHA256,
            (S::RsaPssSha384, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PSS_2048_8192_SHA384,
            (S::RsaPssSha512, KeyAlgorithm::Rsa { .. }) => &ring_sig::RSA_PSS_2048_8192_SHA512,
            (S::EcdsaSha256, KeyAlgorithm::EcP256) => &ring_sig::ECDSA_P256_SHA256_ASN1,
            (S::EcdsaSha384, KeyAlgorithm::EcP256) => &ring_sig::ECDSA_P256_SHA384_ASN1,
            (S::EcdsaSha256, KeyAlgorithm::EcP384) => &ring_sig::ECDSA_P384_SHA256_ASN1,
            (S::EcdsaSha384, KeyAlgorithm::EcP384) => &ring_sig::ECDSA_P384_SHA384_ASN1,
            (S::Ed25519, KeyAlgorithm::Ed25519) => &ring_sig::ED25519,
            _ => return Err(mismatch()),
        };
        Ok(algorithm)
    }

    /// A short name for reports: `RSA PKCS#1 v1.5 SHA-256`, `ECDSA SHA-384`…
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::EcdsaSha256 => "ECDSA SHA-256",
            SignatureAlgorithm::EcdsaSha384 => "ECDSA SHA-384",
            SignatureAlgorithm::Ed25519 => "Ed25519",
            SignatureAlgorithm::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 SHA-256",
            SignatureAlgorithm::RsaPkcs1Sha384 => "RSA PKCS#1 v1.5 SHA-384",
            SignatureAlgorithm::RsaPkcs1Sha512 => "RSA PKCS#1 v1.5 SHA-512",
            SignatureAlgorithm::RsaPssSha256 => "RSASSA-PSS SHA-256",
            SignatureAlgorithm::RsaPssSha384 => "RSASSA-PSS SHA-384",
            SignatureAlgorithm::RsaPssSha512 => "RSASSA-PSS SHA-512",
        }
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1); every field has a SHA-1 default.
#[derive(der::Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u32>,
}

fn pss(alg: &AlgorithmId) -> Result<SignatureAlgorithm, SignatureError> {
    let unsupported = || SignatureError::UnsupportedAlgorithm {
        oid: format!("{} (RSASSA-PSS parameters)", alg.oid),
    };
    let sha1 = || SignatureError::Sha1Refused {
        oid: format!("{} (RSASSA-PSS with SHA-1)", alg.oid),
    };
    let params = alg.params.as_deref().ok_or_else(sha1)?;
    let params = PssParams::from_der(params).map_err(|_| unsupported())?;
    let hash = params.hash.ok_or_else(sha1)?;
    let hash_oid = hash.oid.to_string();
    let (found, hash_len) = match hash_oid.as_str() {
        SHA256 => (SignatureAlgorithm::RsaPssSha256, 32),
        SHA384 => (SignatureAlgorithm::RsaPssSha384, 48),
        SHA512 => (SignatureAlgorithm::RsaPssSha512, 64),
        SHA1 => return Err(sha1()),
        _ => return Err(unsupported()),
    };
    let mgf = params.mask_gen.ok_or_else(sha1)?;
    let mgf_hash = mgf
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok())
        .map(|h| h.oid.to_string());
    let mgf_ok = mgf.oid.to_string() == MGF1 && mgf_hash.as_deref() == Some(hash_oid.as_str());
    let salt_ok = params.salt_length == Some(hash_len);
    let trailer_ok = matches!(params.trailer_field, None | Some(1));
    if mgf_ok && salt_ok && trailer_ok {
        Ok(found)
    } else {
        Err(unsupported())
    }
}

/// Verifies `signature` over `message` with `key`, for the algorithm named by `alg`.
pub(crate) fn verify(
    key: &PublicKeyInfo,
    alg: &AlgorithmId,
    message: &[u8],
    signature: &[u8],
) -> Result<SignatureAlgorithm, SignatureError> {
    let found = SignatureAlgorithm::from_id(alg)?;
    key.check_acceptable()?;
    let ring_alg = found.ring_algorithm(&key.algorithm)?;
    let memo_key = super::memo::active().then(|| memo_key(key, alg, message, signature));
    if memo_key.is_some_and(|k| super::memo::verified(&k).is_some()) {
        return Ok(found);
    }
    ring_sig::UnparsedPublicKey::new(ring_alg, &key.key)
        .verify(message, signature)
        .map_err(|_| SignatureError::Invalid)?;
    if let Some(k) = memo_key {
        super::memo::remember(k, found);
    }
    Ok(found)
}

/// SHA-256 of every input of a check, each with its length before it.
fn memo_key(key: &PublicKeyInfo, alg: &AlgorithmId, message: &[u8], signature: &[u8]) -> [u8; 32] {
    let algorithm = format!("{:?}", key.algorithm);
    let params = alg.params.as_deref().unwrap_or_default();
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [
        algorithm.as_bytes(),
        &key.key,
        alg.oid.as_bytes(),
        params,
        message,
        signature,
    ] {
        context.update(&(part.len() as u64).to_be_bytes());
        context.update(part);
    }
    let mut out = [0; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(oid: &str, params: Option<&[u8]>) -> AlgorithmId {
        AlgorithmId {
            oid: oid.to_owned(),
            params: params.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn sha1_is_refused_by_name() {
        let err = SignatureAlgorithm::from_id(&id("1.2.840.113549.1.1.5", Some(&[5, 0])));
        assert!(matches!(err, Err(SignatureError::Sha1Refused { .. })));
        let err = SignatureAlgorithm::from_id(&id("1.2.840.10045.4.1", None));
        assert!(matches!(err, Err(SignatureError::Sha1Refused { .. })));
        // PSS with the default (SHA-1) parameters.
        let err = SignatureAlgorithm::from_id(&id(RSASSA_PSS, Some(&[0x30, 0x00])));
        assert!(matches!(err, Err(SignatureError::Sha1Refused { .. })));
    }

    #[test]
    fn pss_sha256_parameters_are_recognised() {
        // openssl's encoding: hash sha256 (NULL params), mgf1 sha256, salt 32.
        let params = [
            0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
            0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
            0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
        ];
        let found = SignatureAlgorithm::from_id(&id(RSASSA_PSS, Some(&params)));
        assert_eq!(found, Ok(SignatureAlgorithm::RsaPssSha256));
        let mut short_salt = params;
        short_salt[53] = 0x10;
        let found = SignatureAlgorithm::from_id(&id(RSASSA_PSS, Some(&short_salt)));
        assert!(matches!(
            found,
            Err(SignatureError::UnsupportedAlgorithm { .. })
        ));
    }

    #[test]
    fn small_rsa_keys_are_refused_by_name() {
        let key = PublicKeyInfo {
            algorithm: KeyAlgorithm::Rsa { bits: 1024 },
            key: Vec::new(),
        };
        let alg = id("1.2.840.113549.1.1.11", Some(&[5, 0]));
        assert_eq!(
            verify(&key, &alg, b"m", b"s"),
            Err(SignatureError::RsaKeyTooSmall { bits: 1024 })
        );
    }
}

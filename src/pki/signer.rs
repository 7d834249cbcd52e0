//! One signing interface (người ký: whoever holds the key) over every key source.
//!
//! # Why "sign these bytes" and not "sign this digest"
//!
//! A CMS signature signs the DER of the signed attributes. Some key sources take those bytes and
//! hash them themselves: ring's `RsaKeyPair` and `EcdsaKeyPair` have no digest-in entry point,
//! they sign *messages*. Others take only a digest: a PKCS#11 token driven with `CKM_RSA_PKCS`
//! or `CKM_ECDSA`, and remote signing services that follow the Cloud Signature Consortium
//! `signHash` call (VNPT SmartCA, Viettel MySign). A trait that takes the message serves both:
//! a digest-only source hashes the message with [`SignatureAlgorithm::digest_algorithm`] before
//! it calls out, and the caller never needs to know which kind it holds. A caller that must hand
//! a digest to someone else (the signature is made outside this process, later) uses
//! [`crate::pki::external::ExternalRequest`] instead, which exposes the digest and takes the
//! signature back.
//!
//! Every signer returns the signature value exactly as a CMS `SignerInfo.signature` holds it:
//! the RSA signature bytes, or the DER `SEQUENCE { r, s }` for ECDSA (PKCS#11 tokens return raw
//! `r‖s`; [`ecdsa_raw_to_der`] converts).
//!
//! # Key material
//!
//! Decrypted PKCS#8 bytes live in [`Zeroizing`] buffers and are wiped as soon as ring has parsed
//! them. ring's own key objects do not wipe their memory on drop; they live only as long as the
//! [`KeySigner`]. No type here implements a `Debug` that prints key material.

use std::fmt;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Sequence};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

/// A hash function used to digest what is signed (SHA-2 only: the Vietnamese standards in force
/// list no SHA-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        ring::digest::digest(self.ring(), data).as_ref().to_vec()
    }

    /// Length of the digest in bytes.
    pub fn output_len(self) -> usize {
        self.ring().output_len()
    }

    /// The algorithm's object identifier (id-sha256 …).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha256 => OID_SHA256,
            DigestAlgorithm::Sha384 => OID_SHA384,
            DigestAlgorithm::Sha512 => OID_SHA512,
        }
    }

    /// The `AlgorithmIdentifier` for CMS `digestAlgorithm` (parameters absent, RFC 5754 §2).
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The DER `DigestInfo` that RSA PKCS#1 v1.5 signs: the algorithm, then `digest`.
    pub fn digest_info(self, digest: &[u8]) -> Vec<u8> {
        let prefix: &[u8] = match self {
            DigestAlgorithm::Sha256 => &DIGEST_INFO_SHA256,
            DigestAlgorithm::Sha384 => &DIGEST_INFO_SHA384,
            DigestAlgorithm::Sha512 => &DIGEST_INFO_SHA512,
        };
        [prefix, digest].concat()
    }

    /// The name people read ("SHA-256").
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha384 => "SHA-384",
            DigestAlgorithm::Sha512 => "SHA-512",
        }
    }

    fn ring(self) -> &'static ring::digest::Algorithm {
        match self {
            DigestAlgorithm::Sha256 => &ring::digest::SHA256,
            DigestAlgorithm::Sha384 => &ring::digest::SHA384,
            DigestAlgorithm::Sha512 => &ring::digest::SHA512,
        }
    }
}

/// The kind of key a certificate or a private key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// ECDSA on NIST P-256 (secp256r1).
    EcP256,
    /// ECDSA on NIST P-384 (secp384r1).
    EcP384,
    /// RSA, with its modulus size in bits.
    Rsa {
        /// Modulus size in bits (2048, 3072 …).
        bits: usize,
    },
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::EcP256 => f.write_str("ECDSA P-256"),
            KeyKind::EcP384 => f.write_str("ECDSA P-384"),
            KeyKind::Rsa { bits } => write!(f, "RSA-{bits}"),
        }
    }
}

/// A signature algorithm: key type, padding and hash together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256Sha256,
    /// ECDSA on P-384 with SHA-384.
    EcdsaP384Sha384,
    /// RSA PKCS#1 v1.5 with SHA-256 (what Vietnamese CAs' tokens do by default).
    RsaPkcs1Sha256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    RsaPkcs1Sha384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.
    RsaPssSha256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, salt length 48.
    RsaPssSha384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, salt length 64.
    RsaPssSha512,
}

impl SignatureAlgorithm {
    /// Every algorithm, for tests and option lists.
    pub const ALL: [SignatureAlgorithm; 8] = [
        SignatureAlgorithm::EcdsaP256Sha256,
        SignatureAlgorithm::EcdsaP384Sha384,
        SignatureAlgorithm::RsaPkcs1Sha256,
        SignatureAlgorithm::RsaPkcs1Sha384,
        SignatureAlgorithm::RsaPkcs1Sha512,
        SignatureAlgorithm::RsaPssSha256,
        SignatureAlgorithm::RsaPssSha384,
        SignatureAlgorithm::RsaPssSha512,
    ];

    /// The hash applied to the signed bytes.
    pub fn digest_algorithm(self) -> DigestAlgorithm {
        match self {
            SignatureAlgorithm::EcdsaP256Sha256
            | SignatureAlgorithm::RsaPkcs1Sha256
            | SignatureAlgorithm::RsaPssSha256 => DigestAlgorithm::Sha256,
            SignatureAlgorithm::EcdsaP384Sha384
            | SignatureAlgorithm::RsaPkcs1Sha384
            | SignatureAlgorithm::RsaPssSha384 => DigestAlgorithm::Sha384,
            SignatureAlgorithm::RsaPkcs1Sha512 | SignatureAlgorithm::RsaPssSha512 => {
                DigestAlgorithm::Sha512
            }
        }
    }

    /// The default algorithm for a key: PKCS#1 v1.5 SHA-256 for RSA, the curve's own hash for EC.
    pub fn default_for(key: KeyKind) -> SignatureAlgorithm {
        match key {
            KeyKind::EcP256 => SignatureAlgorithm::EcdsaP256Sha256,
            KeyKind::EcP384 => SignatureAlgorithm::EcdsaP384Sha384,
            KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1Sha256,
        }
    }

    /// Whether a key of this kind can make this signature.
    pub fn fits(self, key: KeyKind) -> bool {
        match self {
            SignatureAlgorithm::EcdsaP256Sha256 => key == KeyKind::EcP256,
            SignatureAlgorithm::EcdsaP384Sha384 => key == KeyKind::EcP384,
            _ => matches!(key, KeyKind::Rsa { .. }),
        }
    }

    /// Whether this is an ECDSA algorithm (its signature value is a DER `SEQUENCE { r, s }`).
    pub fn is_ecdsa(self) -> bool {
        matches!(
            self,
            SignatureAlgorithm::EcdsaP256Sha256 | SignatureAlgorithm::EcdsaP384Sha384
        )
    }

    /// Whether this is RSASSA-PSS.
    pub fn is_pss(self) -> bool {
        matches!(
            self,
            SignatureAlgorithm::RsaPssSha256
                | SignatureAlgorithm::RsaPssSha384
                | SignatureAlgorithm::RsaPssSha512
        )
    }

    /// The `AlgorithmIdentifier` for CMS `SignerInfo.signatureAlgorithm`: sha256WithRSAEncryption
    /// (NULL parameters) and friends, ecdsa-with-SHA256/384 (no parameters), or id-RSASSA-PSS
    /// with explicit `RSASSA-PSS-params` (RFC 4055 §3.1).
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        let null = || Some(der::Any::null());
        match self {
            SignatureAlgorithm::EcdsaP256Sha256 => no_params(OID_ECDSA_SHA256),
            SignatureAlgorithm::EcdsaP384Sha384 => no_params(OID_ECDSA_SHA384),
            SignatureAlgorithm::RsaPkcs1Sha256 => AlgorithmIdentifierOwned {
                oid: OID_SHA256_WITH_RSA,
                parameters: null(),
            },
            SignatureAlgorithm::RsaPkcs1Sha384 => AlgorithmIdentifierOwned {
                oid: OID_SHA384_WITH_RSA,
                parameters: null(),
            },
            SignatureAlgorithm::RsaPkcs1Sha512 => AlgorithmIdentifierOwned {
                oid: OID_SHA512_WITH_RSA,
                parameters: null(),
            },
            SignatureAlgorithm::RsaPssSha256
            | SignatureAlgorithm::RsaPssSha384
            | SignatureAlgorithm::RsaPssSha512 => pss_identifier(self.digest_algorithm()),
        }
    }

    /// The name people read ("RSA PKCS#1 v1.5 SHA-256").
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::EcdsaP256Sha256 => "ECDSA P-256 SHA-256",
            SignatureAlgorithm::EcdsaP384Sha384 => "ECDSA P-384 SHA-384",
            SignatureAlgorithm::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 SHA-256",
            SignatureAlgorithm::RsaPkcs1Sha384 => "RSA PKCS#1 v1.5 SHA-384",
            SignatureAlgorithm::RsaPkcs1Sha512 => "RSA PKCS#1 v1.5 SHA-512",
            SignatureAlgorithm::RsaPssSha256 => "RSASSA-PSS SHA-256",
            SignatureAlgorithm::RsaPssSha384 => "RSASSA-PSS SHA-384",
            SignatureAlgorithm::RsaPssSha512 => "RSASSA-PSS SHA-512",
        }
    }

    /// ring's verification algorithm for this signature (used to check a signature made
    /// elsewhere before it is embedded).
    pub(crate) fn ring_verification(self) -> &'static dyn signature::VerificationAlgorithm {
        match self {
            SignatureAlgorithm::EcdsaP256Sha256 => &signature::ECDSA_P256_SHA256_ASN1,
            SignatureAlgorithm::EcdsaP384Sha384 => &signature::ECDSA_P384_SHA384_ASN1,
            SignatureAlgorithm::RsaPkcs1Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            SignatureAlgorithm::RsaPkcs1Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            SignatureAlgorithm::RsaPkcs1Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            SignatureAlgorithm::RsaPssSha256 => &signature::RSA_PSS_2048_8192_SHA256,
            SignatureAlgorithm::RsaPssSha384 => &signature::RSA_PSS_2048_8192_SHA384,
            SignatureAlgorithm::RsaPssSha512 => &signature::RSA_PSS_2048_8192_SHA512,
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whoever holds a signing key: a key file, a PKCS#12 file, a PKCS#11 token, a remote service.
///
/// `sign` takes the bytes to be signed (for CMS: the DER of the signed attributes) and returns
/// the signature value as CMS carries it. See the module documentation for why the trait takes
/// the message and not its digest.
pub trait Signer: Send + Sync {
    /// The algorithm this signer uses; its digest is the one the message is hashed with.
    fn algorithm(&self) -> SignatureAlgorithm;

    /// The signer's certificate first, then the certificates that issued it (DER), as far as
    /// they are known; never empty.
    fn certificate_chain(&self) -> &[Vec<u8>];

    /// Sign `message`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError>;

    /// The signer's own certificate (DER): the first of [`Signer::certificate_chain`].
    fn certificate(&self) -> &[u8] {
        self.certificate_chain()
            .first()
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// Why a signer could not be built or could not sign.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The signer's certificate is for another key than the private key.
    #[error("the certificate does not belong to the private key (public keys differ)")]
    CertificateKeyMismatch,
    /// A certificate could not be parsed.
    #[error("certificate {index} of the chain cannot be read: {reason}")]
    CertificateUnreadable {
        /// Position in the chain, 0 for the signer's own.
        index: usize,
        /// What the parser said.
        reason: String,
    },
    /// The key cannot make the requested signature (an RSA key asked for ECDSA …).
    #[error("a {key} key cannot sign with {requested}")]
    KeyAlgorithmMismatch {
        /// The key's kind.
        key: KeyKind,
        /// What was asked for.
        requested: SignatureAlgorithm,
    },
    /// The private key could not be used (bad encoding, a curve or size we do not support).
    #[error("the private key cannot be used: {reason}")]
    KeyRejected {
        /// Why.
        reason: String,
    },
    /// No certificate was given for the key.
    #[error("no certificate for the signing key")]
    NoCertificate,
    /// A PKCS#11 token failed.
    #[error("PKCS#11 token: {0}")]
    Pkcs11(String),
    /// A signature made elsewhere does not verify against the signer's certificate.
    #[error("the signature returned by the external signer does not verify with its certificate")]
    SignatureInvalid,
    /// The signing operation itself failed.
    #[error("signing failed: {reason}")]
    SigningFailed {
        /// Why.
        reason: String,
    },
}

/// A signer over a private key held in memory (decrypted from a PKCS#8 or PKCS#12 file).
pub struct KeySigner {
    key: RingKey,
    algorithm: SignatureAlgorithm,
    chain: Vec<Vec<u8>>,
    rng: SystemRandom,
}

enum RingKey {
    Ecdsa(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

impl KeySigner {
    /// A signer from an unencrypted PKCS#8 `PrivateKeyInfo` (already decrypted by the caller,
    /// and wiped when this returns) and the certificate chain, the signer's own certificate first.
    ///
    /// The algorithm is the key's default ([`SignatureAlgorithm::default_for`]); change it with
    /// [`KeySigner::with_algorithm`]. Fails when the certificate is for another key.
    pub fn from_pkcs8(
        pkcs8: Zeroizing<Vec<u8>>,
        chain: Vec<Vec<u8>>,
    ) -> Result<KeySigner, SignerError> {
        let leaf = chain.first().ok_or(SignerError::NoCertificate)?;
        let cert_key = CertificateKey::parse(leaf, 0)?;
        let rng = SystemRandom::new();
        let key = match cert_key.kind {
            KeyKind::Rsa { .. } => {
                RingKey::Rsa(RsaKeyPair::from_pkcs8(&pkcs8).map_err(|e| rejected(&e.to_string()))?)
            }
            KeyKind::EcP256 | KeyKind::EcP384 => {
                let alg = match cert_key.kind {
                    KeyKind::EcP256 => &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                    _ => &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
                };
                RingKey::Ecdsa(
                    EcdsaKeyPair::from_pkcs8(alg, &pkcs8, &rng)
                        .map_err(|e| rejected(&e.to_string()))?,
                )
            }
        };
        drop(pkcs8);
        let public = match &key {
            RingKey::Ecdsa(pair) => pair.public_key().as_ref(),
            RingKey::Rsa(pair) => pair.public_key().as_ref(),
        };
        if public != cert_key.public_key.as_slice() {
            return Err(SignerError::CertificateKeyMismatch);
        }
        Ok(KeySigner {
            key,
            algorithm: SignatureAlgorithm::default_for(cert_key.kind),
            chain,
            rng,
        })
    }

    /// The same signer with another algorithm (PSS, SHA-384 …); fails if the key cannot make it.
    pub fn with_algorithm(mut self, algorithm: SignatureAlgorithm) -> Result<Self, SignerError> {
        let key = self.key_kind();
        if !algorithm.fits(key) {
            return Err(SignerError::KeyAlgorithmMismatch {
                key,
                requested: algorithm,
            });
        }
        self.algorithm = algorithm;
        Ok(self)
    }

    /// The kind of key held.
    pub fn key_kind(&self) -> KeyKind {
        match &self.key {
            RingKey::Ecdsa(_) => match self.algorithm {
                SignatureAlgorithm::EcdsaP384Sha384 => KeyKind::EcP384,
                _ => KeyKind::EcP256,
            },
            RingKey::Rsa(pair) => KeyKind::Rsa {
                bits: pair.public().modulus_len() * 8,
            },
        }
    }
}

impl Signer for KeySigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let failed = |e: ring::error::Unspecified| SignerError::SigningFailed {
            reason: e.to_string(),
        };
        match &self.key {
            RingKey::Ecdsa(pair) => Ok(pair
                .sign(&self.rng, message)
                .map_err(failed)?
                .as_ref()
                .to_vec()),
            RingKey::Rsa(pair) => {
                let mut out = vec![0u8; pair.public().modulus_len()];
                pair.sign(rsa_padding(self.algorithm), &self.rng, message, &mut out)
                    .map_err(failed)?;
                Ok(out)
            }
        }
    }
}

impl fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySigner")
            .field("algorithm", &self.algorithm)
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

/// The public key a certificate holds, as ring compares it.
pub(crate) struct CertificateKey {
    /// The key's kind.
    pub kind: KeyKind,
    /// The `subjectPublicKey` bits: DER `RSAPublicKey`, or the uncompressed EC point.
    pub public_key: Vec<u8>,
}

impl CertificateKey {
    /// Read the public key of the DER certificate `der` (at `index` in its chain, for errors).
    pub fn parse(der: &[u8], index: usize) -> Result<CertificateKey, SignerError> {
        let unreadable = |reason: String| SignerError::CertificateUnreadable { index, reason };
        let (_, cert) =
            x509_parser::parse_x509_certificate(der).map_err(|e| unreadable(e.to_string()))?;
        let spki = &cert.tbs_certificate.subject_pki;
        let public_key = spki.subject_public_key.data.to_vec();
        let kind = match spki.parsed().map_err(|e| unreadable(e.to_string()))? {
            x509_parser::public_key::PublicKey::RSA(rsa) => KeyKind::Rsa {
                bits: rsa.key_size(),
            },
            x509_parser::public_key::PublicKey::EC(_) => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|oid| oid.to_id_string());
                match curve.as_deref() {
                    Some("1.2.840.10045.3.1.7") => KeyKind::EcP256,
                    Some("1.3.132.0.34") => KeyKind::EcP384,
                    other => {
                        return Err(unreadable(format!(
                            "unsupported elliptic curve {}",
                            other.unwrap_or("(none)")
                        )));
                    }
                }
            }
            _ => return Err(unreadable("unsupported public key type".to_owned())),
        };
        Ok(CertificateKey { kind, public_key })
    }

    /// Check `signature` over `message` with this key.
    pub fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignerError> {
        if !algorithm.fits(self.kind) {
            return Err(SignerError::KeyAlgorithmMismatch {
                key: self.kind,
                requested: algorithm,
            });
        }
        signature::UnparsedPublicKey::new(algorithm.ring_verification(), &self.public_key)
            .verify(message, signature)
            .map_err(|_| SignerError::SignatureInvalid)
    }
}

/// `leaf` first, then its issuers found in `pool` by name (subject = issuer), up to a
/// self-signed certificate or until no issuer is found. Certificates of `pool` that are not on
/// the path (other people's certificates on the same token) are left out.
pub(crate) fn order_chain(leaf: Vec<u8>, pool: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let names = |der: &[u8]| {
        x509_parser::parse_x509_certificate(der)
            .ok()
            .map(|(_, c)| (c.subject().as_raw().to_vec(), c.issuer().as_raw().to_vec()))
    };
    let mut chain = vec![leaf];
    let mut used = Vec::new();
    // Each round adds one certificate of the pool, so this ends within pool.len() rounds.
    while used.len() < pool.len() {
        let Some((subject, issuer)) = chain.last().and_then(|c| names(c)) else {
            break;
        };
        if subject == issuer {
            break; // self-signed: the root
        }
        let next = pool
            .iter()
            .enumerate()
            .find(|(i, c)| !used.contains(i) && names(c).is_some_and(|(s, _)| s == issuer));
        let Some((index, cert)) = next else { break };
        used.push(index);
        chain.push(cert.clone());
    }
    chain
}

/// Convert a raw ECDSA signature `r‖s` (as PKCS#11 and some remote services return it) into the
/// DER `SEQUENCE { r INTEGER, s INTEGER }` that CMS carries. `None` if the length is odd or zero.
pub fn ecdsa_raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let sig = EcdsaSigValue {
        r: der::asn1::UintRef::new(r).ok()?,
        s: der::asn1::UintRef::new(s).ok()?,
    };
    sig.to_der().ok()
}

#[derive(Sequence)]
struct EcdsaSigValue<'a> {
    r: der::asn1::UintRef<'a>,
    s: der::asn1::UintRef<'a>,
}

/// RSASSA-PSS-params (RFC 4055 §3.1), with the trailer field left at its default.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    hash_algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT")]
    mask_gen_algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    salt_length: u32,
}

fn pss_identifier(digest: DigestAlgorithm) -> AlgorithmIdentifierOwned {
    let hash = AlgorithmIdentifierOwned {
        oid: digest.oid(),
        parameters: Some(der::Any::null()),
    };
    let mgf_param = hash.to_der().ok().and_then(|d| der::Any::from_der(&d).ok());
    let params = PssParams {
        hash_algorithm: hash,
        mask_gen_algorithm: AlgorithmIdentifierOwned {
            oid: OID_MGF1,
            parameters: mgf_param,
        },
        salt_length: digest.output_len() as u32,
    };
    // Encoding a structure of fixed OIDs and small integers cannot fail.
    let parameters = params
        .to_der()
        .ok()
        .and_then(|d| der::Any::from_der(&d).ok());
    AlgorithmIdentifierOwned {
        oid: OID_RSASSA_PSS,
        parameters,
    }
}

fn no_params(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

fn rsa_padding(algorithm: SignatureAlgorithm) -> &'static dyn signature::RsaEncoding {
    match algorithm {
        SignatureAlgorithm::RsaPkcs1Sha384 => &signature::RSA_PKCS1_SHA384,
        SignatureAlgorithm::RsaPkcs1Sha512 => &signature::RSA_PKCS1_SHA512,
        SignatureAlgorithm::RsaPssSha256 => &signature::RSA_PSS_SHA256,
        SignatureAlgorithm::RsaPssSha384 => &signature::RSA_PSS_SHA384,
        SignatureAlgorithm::RsaPssSha512 => &signature::RSA_PSS_SHA512,
        // ECDSA never reaches here (the key kind decides); PKCS#1 SHA-256 is the default.
        _ => &signature::RSA_PKCS1_SHA256,
    }
}

fn rejected(reason: &str) -> SignerError {
    SignerError::KeyRejected {
        reason: reason.to_owned(),
    }
}

const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const OID_SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const OID_SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const OID_SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const OID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1): SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
const DIGEST_INFO_SHA256: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const DIGEST_INFO_SHA384: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const DIGEST_INFO_SHA512: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_matches_the_der_encoding() {
        // SEQUENCE { SEQUENCE { id-sha256, NULL }, OCTET STRING digest } built with der.
        let digest = DigestAlgorithm::Sha256.digest(b"vanb\xe1\xba\xa3n");
        let info = DigestAlgorithm::Sha256.digest_info(&digest);
        assert_eq!(info.len(), 19 + 32);
        let alg = AlgorithmIdentifierOwned {
            oid: OID_SHA256,
            parameters: Some(der::Any::null()),
        };
        let mut expected = alg.to_der().expect("fixed identifier");
        expected.extend_from_slice(&[0x04, 0x20]);
        expected.extend_from_slice(&digest);
        assert_eq!(&info[2..], expected.as_slice());
    }

    #[test]
    fn raw_ecdsa_becomes_der_integers() {
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80; // r needs a leading zero in DER
        raw[63] = 1;
        let der = ecdsa_raw_to_der(&raw).expect("even length");
        assert_eq!(der[0], 0x30);
        assert_eq!(&der[2..5], &[0x02, 0x21, 0x00]);
        assert!(ecdsa_raw_to_der(&raw[..63]).is_none());
    }

    #[test]
    fn pss_identifier_names_hash_and_salt() {
        let alg = SignatureAlgorithm::RsaPssSha384.algorithm_identifier();
        assert_eq!(alg.oid, OID_RSASSA_PSS);
        let params = alg.parameters.expect("PSS carries parameters").to_der();
        let params = params.expect("encodes");
        let decoded = PssParams::from_der(&params).expect("round trip");
        assert_eq!(decoded.salt_length, 48);
        assert_eq!(decoded.hash_algorithm.oid, OID_SHA384);
    }
}

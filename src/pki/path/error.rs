//! Why a certificate path failed, with the data a report needs in each variant.
//!
//! When several candidate paths fail, [`PathError::most_specific`] keeps the failure that tells
//! a person the most (webpki's `rank()` idea): "revoked" beats "expired intermediate", which
//! beats "bad signature from a same-named certificate", which beats "no path".

use time::OffsetDateTime;

use crate::limits::BudgetExhausted;
use crate::pki::revocation::{RevocationError, RevocationReason, RevocationSource, show};

/// Why a path from the end-entity certificate to a trust anchor could not be validated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// A certificate could not be parsed.
    #[error("{what}: malformed certificate: {detail}")]
    BadEncoding {
        /// Which certificate (`end-entity certificate`, `trust anchor …`).
        what: String,
        /// What the parser said.
        detail: String,
    },
    /// Path building used up its work budget (too many candidates or signature checks).
    #[error("{0}")]
    BudgetExhausted(BudgetExhausted),
    /// The end-entity certificate is a CA certificate (basicConstraints cA = true).
    #[error("{subject}: a CA certificate cannot sign documents")]
    CaUsedAsEndEntity {
        /// Subject of the certificate.
        subject: String,
    },
    /// A certificate had expired at the validation time.
    #[error("{subject}: expired on {} (validation time {})", show(.not_after), show(.at))]
    CertExpired {
        /// Subject of the certificate.
        subject: String,
        /// Its notAfter.
        not_after: OffsetDateTime,
        /// The validation time (the signing time).
        at: OffsetDateTime,
    },
    /// A certificate was not yet valid at the validation time.
    #[error("{subject}: not valid before {} (validation time {})", show(.not_before), show(.at))]
    CertNotValidYet {
        /// Subject of the certificate.
        subject: String,
        /// Its notBefore.
        not_before: OffsetDateTime,
        /// The validation time (the signing time).
        at: OffsetDateTime,
    },
    /// The end-entity certificate lacks a required extended key usage.
    #[error("{subject}: extended key usage {required} missing")]
    EkuMissing {
        /// Subject of the certificate.
        subject: String,
        /// The EKU required (`timeStamping`, `OCSPSigning`).
        required: &'static str,
    },
    /// A certificate's signature does not verify with its issuer's key.
    #[error("{subject}: signature does not verify with the key of {issuer}")]
    InvalidSignature {
        /// Subject of the signed certificate.
        subject: String,
        /// Subject of the certificate whose key was tried.
        issuer: String,
    },
    /// A certificate whose key identifier matches names a different issuer: the issuer name
    /// in the signed certificate is wrong.
    #[error(
        "{subject}: issuer name {issuer} does not match {candidate}, whose key identifier it names"
    )]
    IssuerNameMismatch {
        /// Subject of the certificate with the wrong issuer name.
        subject: String,
        /// The issuer name it carries.
        issuer: String,
        /// The subject of the certificate its authorityKeyIdentifier points at.
        candidate: String,
    },
    /// A required keyUsage bit is missing.
    #[error("{subject}: key usage {required} missing")]
    KeyUsageMissing {
        /// Subject of the certificate.
        subject: String,
        /// What was required (`digitalSignature or nonRepudiation`, `keyCertSign`, `cRLSign`).
        required: &'static str,
    },
    /// The path would need more intermediate CAs than [`super::MAX_INTERMEDIATES`].
    #[error("path longer than {max} intermediate certificates")]
    MaxDepthExceeded {
        /// The limit.
        max: usize,
    },
    /// A certificate carries nameConstraints, which we do not implement and therefore reject.
    #[error("{subject}: nameConstraints are not supported")]
    NameConstraintsUnsupported {
        /// Subject of the certificate.
        subject: String,
    },
    /// No certificate in the pool or the trust store is named as the issuer.
    #[error("no path to a trust anchor: no certificate named {issuer}")]
    NoPathToTrustAnchor {
        /// The issuer name that could not be found.
        issuer: String,
    },
    /// A certificate used as an issuer is not a CA (basicConstraints cA missing or false).
    #[error("{subject}: not a CA certificate (basicConstraints cA missing) but used as an issuer")]
    NotACa {
        /// Subject of the certificate.
        subject: String,
    },
    /// A CA's pathLenConstraint is smaller than the number of intermediate CAs below it.
    #[error("{subject}: pathLenConstraint {path_len} exceeded ({below} intermediate CAs below it)")]
    PathLenExceeded {
        /// Subject of the CA certificate.
        subject: String,
        /// Its pathLenConstraint.
        path_len: u32,
        /// Non-self-issued intermediate CAs below it in the path.
        below: usize,
    },
    /// Revocation status was required but could not be established.
    #[error("{subject}: revocation status unknown: {error}")]
    RevocationUnknown {
        /// Subject of the certificate.
        subject: String,
        /// The most specific reason the sources gave.
        error: RevocationError,
    },
    /// A certificate was revoked at or before the validation time.
    #[error("{subject}: revoked on {} ({}), before the validation time", show(.revoked_at), RevocationReason::describe(*.reason))]
    Revoked {
        /// Subject of the certificate.
        subject: String,
        /// When it was revoked.
        revoked_at: OffsetDateTime,
        /// The CRL reason code, if given.
        reason: Option<RevocationReason>,
        /// Where the revocation came from (CRL or OCSP; embedded, cache or fetched).
        evidence: RevocationSource,
    },
    /// A key too weak (or of a kind we refuse) signs in, or belongs to, the path.
    #[error("{subject}: RSA key of {bits} bits refused (at least 2048 required)")]
    RsaKeyTooSmall {
        /// Subject of the certificate holding the key.
        subject: String,
        /// The key size in bits.
        bits: usize,
    },
    /// A self-signed certificate in the pool has the subject of a trust anchor but is not it.
    #[error("{subject}: self-signed impostor of a trust anchor with the same name")]
    SelfSignedImpostor {
        /// The shared subject name.
        subject: String,
    },
    /// A certificate is signed with SHA-1.
    #[error("{subject}: SHA-1 signature refused")]
    Sha1Refused {
        /// Subject of the certificate.
        subject: String,
    },
    /// The outer signatureAlgorithm differs from the one inside tbsCertificate.
    #[error("{subject}: signatureAlgorithm differs from tbsCertificate.signature")]
    SignatureAlgorithmMismatch {
        /// Subject of the certificate.
        subject: String,
    },
    /// A critical extension we do not understand.
    #[error("{subject}: unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// Subject of the certificate.
        subject: String,
        /// The extension's OID.
        oid: String,
    },
    /// A signature algorithm or key we do not support.
    #[error("{subject}: unsupported signature algorithm or key: {detail}")]
    UnsupportedAlgorithm {
        /// Subject of the certificate.
        subject: String,
        /// The algorithm or key description.
        detail: String,
    },
    /// The path ends at a self-signed certificate that is not in the trust store.
    #[error(
        "{subject}: self-signed root not in the trust store (add it to certs/trusted/ if you trust it)"
    )]
    UntrustedRoot {
        /// Subject of that root.
        subject: String,
    },
}

impl PathError {
    /// How useful this error is to a person when several paths failed (higher is better).
    pub fn rank(&self) -> u32 {
        match self {
            PathError::NoPathToTrustAnchor { .. } => 0,
            PathError::IssuerNameMismatch { .. } => 5,
            PathError::UntrustedRoot { .. } => 8,
            PathError::InvalidSignature { .. } => 10,
            PathError::Sha1Refused { .. }
            | PathError::RsaKeyTooSmall { .. }
            | PathError::UnsupportedAlgorithm { .. }
            | PathError::SignatureAlgorithmMismatch { .. } => 15,
            PathError::BadEncoding { .. }
            | PathError::CaUsedAsEndEntity { .. }
            | PathError::CertExpired { .. }
            | PathError::CertNotValidYet { .. }
            | PathError::EkuMissing { .. }
            | PathError::KeyUsageMissing { .. }
            | PathError::NameConstraintsUnsupported { .. }
            | PathError::NotACa { .. }
            | PathError::PathLenExceeded { .. }
            | PathError::UnknownCriticalExtension { .. } => 20,
            PathError::MaxDepthExceeded { .. } => 25,
            PathError::SelfSignedImpostor { .. } => 30,
            PathError::RevocationUnknown { .. } => 35,
            PathError::Revoked { .. } => 40,
            PathError::BudgetExhausted(_) => 50,
        }
    }

    /// The more specific of two errors; on a tie, `self` (found first) wins.
    pub fn most_specific(self, other: PathError) -> PathError {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

impl From<BudgetExhausted> for PathError {
    fn from(e: BudgetExhausted) -> Self {
        PathError::BudgetExhausted(e)
    }
}

/// One candidate path that failed, for the report: subjects from the end-entity upwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedAttempt {
    /// Subjects of the certificates in the partial path, end-entity first.
    pub path: Vec<String>,
    /// Why it failed.
    pub error: PathError,
}

/// The outcome when no path validated: the most specific reason and every attempt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct PathFailure {
    /// The most specific reason across all attempts ([`PathError::most_specific`]).
    pub reason: PathError,
    /// Each failed candidate path, in the order tried.
    pub attempts: Vec<FailedAttempt>,
    /// Pool certificates that were ignored because they could not be parsed.
    pub ignored_pool: Vec<IgnoredCert>,
}

/// A certificate from the untrusted pool that could not be parsed and was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredCert {
    /// Its index in the pool as given.
    pub index: usize,
    /// What the parser said.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_outranks_a_bad_signature_and_ties_keep_the_first() {
        let bad = PathError::InvalidSignature {
            subject: "CN=a".into(),
            issuer: "CN=b".into(),
        };
        let none = PathError::NoPathToTrustAnchor {
            issuer: "CN=x".into(),
        };
        assert_eq!(none.clone().most_specific(bad.clone()), bad);
        assert_eq!(bad.clone().most_specific(none), bad);
        let other_bad = PathError::InvalidSignature {
            subject: "CN=c".into(),
            issuer: "CN=d".into(),
        };
        assert_eq!(bad.clone().most_specific(other_bad), bad);
    }
}

//! The facts of a validated path: what was checked on each certificate, which anchor was
//! reached, and each certificate's revocation status. The verifier's report is written from
//! these (STYLE.md habit 8: keep the facts apart, derive the verdict).

use time::OffsetDateTime;

use super::Purpose;
use super::cert::{Cert, hex};
use super::error::{FailedAttempt, IgnoredCert};
use super::signature::SignatureAlgorithm;
use crate::pki::revocation::RevocationFacts;
use crate::pki::trust::{Anchor, AnchorSource};

/// Proof that a path validated: only `pki::path` can make one (STYLE.md habit 7).
///
/// `verify::status` asks for one before it may say *hợp lệ* (valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainValidated(());

impl ChainValidated {
    /// Claimed in exactly one place: `build::Builder::try_anchor`, after every check passed.
    pub(super) fn assertion() -> Self {
        ChainValidated(())
    }
}

/// A path from the end-entity certificate to a trust anchor that passed every check at `at`.
#[derive(Debug, Clone)]
pub struct ValidatedPath {
    /// The validation time (the signing time).
    pub at: OffsetDateTime,
    /// What the end-entity certificate was checked for.
    pub purpose: Purpose,
    /// The certificates, end-entity first, trust anchor last.
    pub certificates: Vec<CertFacts>,
    /// The trust anchor reached.
    pub anchor: AnchorFacts,
    /// Revocation status of each certificate except the anchor, in path order.
    pub revocation: Vec<RevocationFacts>,
    /// Candidate paths that failed before this one was found.
    pub failed_attempts: Vec<FailedAttempt>,
    /// Pool certificates left out because they could not be parsed.
    pub ignored_pool: Vec<IgnoredCert>,
    proof: ChainValidated,
}

impl ValidatedPath {
    /// The proof that this path validated.
    pub fn proof(&self) -> ChainValidated {
        self.proof
    }

    /// The end-entity certificate's facts.
    pub fn end_entity(&self) -> &CertFacts {
        // A ValidatedPath always holds at least the end-entity and the anchor (see `assemble`).
        &self.certificates[0]
    }

    /// The certificates as DER, end-entity first, anchor last (for a PDF DSS `/Certs`).
    pub fn certificates_der(&self) -> Vec<&[u8]> {
        self.certificates.iter().map(|c| c.der.as_slice()).collect()
    }
}

/// The place of a certificate in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertRole {
    /// The signer's certificate (chứng thư của người ký).
    EndEntity,
    /// An intermediate CA.
    Intermediate,
    /// The trust anchor.
    TrustAnchor,
}

/// What was found and checked on one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFacts {
    /// Its place in the path.
    pub role: CertRole,
    /// Subject name.
    pub subject: String,
    /// Issuer name.
    pub issuer: String,
    /// Serial number, lower-case hex.
    pub serial: String,
    /// SHA-256 fingerprint, lower-case hex.
    pub sha256: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The checks made and what they found.
    pub checks: CertChecks,
}

/// The checks on one certificate; in a validated path every one of them passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertChecks {
    /// notBefore ≤ validation time ≤ notAfter.
    pub validity: ValidityCheck,
    /// The keyUsage bits found and the usage that was required.
    pub key_usage: KeyUsageCheck,
    /// basicConstraints as found (cA and pathLenConstraint).
    pub basic_constraints: Option<BasicConstraintsFact>,
    /// extendedKeyUsage OIDs, if the extension is present (reported, enforced only where the
    /// purpose needs one).
    pub extended_key_usage: Option<Vec<String>>,
    /// The signature on this certificate and whose key verified it; `None` for the anchor,
    /// which is trusted as configured rather than by its self-signature.
    pub signature: Option<SignatureCheck>,
    /// Critical extensions present; all understood (unknown ones fail the path).
    pub critical_extensions: Vec<String>,
}

/// The validity period and the time it was checked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityCheck {
    /// notBefore.
    pub not_before: OffsetDateTime,
    /// notAfter.
    pub not_after: OffsetDateTime,
    /// The validation time.
    pub at: OffsetDateTime,
}

/// keyUsage as found, and what the certificate's role required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsageCheck {
    /// The bits set, by RFC 5280 name; `None` when the extension is absent (all usages
    /// allowed, RFC 5280 §4.2.1.3).
    pub bits: Option<Vec<&'static str>>,
    /// What was required: `digitalSignature or nonRepudiation`, `keyCertSign`.
    pub required: &'static str,
}

/// basicConstraints as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraintsFact {
    /// The cA flag.
    pub ca: bool,
    /// pathLenConstraint, if any.
    pub path_len: Option<u32>,
}

/// A verified signature on a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Its algorithm.
    pub algorithm: SignatureAlgorithm,
    /// Subject of the certificate whose key verified it.
    pub verified_with: String,
}

/// The trust anchor a path reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorFacts {
    /// Its subject.
    pub subject: String,
    /// SHA-256 fingerprint, lower-case hex.
    pub sha256: String,
    /// The file (or label) it came from.
    pub source: AnchorSource,
}

/// The required keyUsage text for an end-entity, for reports and errors.
pub(super) const SIGNER_USAGE: &str = "digitalSignature or nonRepudiation";
/// The required keyUsage text for a CA.
pub(super) const CA_USAGE: &str = "keyCertSign";

/// Everything `assemble` needs about the path that passed.
pub(super) struct Passed<'p> {
    pub(super) at: OffsetDateTime,
    pub(super) purpose: Purpose,
    /// End-entity first, then intermediates (the anchor is separate).
    pub(super) chain: &'p [&'p Cert],
    /// `algorithms[i]` signed `chain[i]`, verified with `chain[i + 1]` or the anchor.
    pub(super) algorithms: &'p [SignatureAlgorithm],
    pub(super) anchor: &'p Anchor,
    pub(super) revocation: Vec<RevocationFacts>,
    pub(super) failed_attempts: Vec<FailedAttempt>,
    pub(super) ignored_pool: Vec<IgnoredCert>,
}

/// Builds the facts of a path that passed every check, with its proof.
pub(super) fn assemble(passed: Passed<'_>) -> ValidatedPath {
    let anchor_cert = &passed.anchor.cert;
    let mut certificates = Vec::with_capacity(passed.chain.len() + 1);
    for (i, cert) in passed.chain.iter().enumerate() {
        let role = if i == 0 {
            CertRole::EndEntity
        } else {
            CertRole::Intermediate
        };
        let verifier = passed.chain.get(i + 1).copied().unwrap_or(anchor_cert);
        let signature = passed.algorithms.get(i).map(|algorithm| SignatureCheck {
            algorithm: *algorithm,
            verified_with: verifier.subject.display.clone(),
        });
        certificates.push(cert_facts(cert, role, signature, passed.at));
    }
    certificates.push(cert_facts(
        anchor_cert,
        CertRole::TrustAnchor,
        None,
        passed.at,
    ));
    ValidatedPath {
        at: passed.at,
        purpose: passed.purpose,
        certificates,
        anchor: AnchorFacts {
            subject: anchor_cert.subject.display.clone(),
            sha256: hex(&anchor_cert.sha256),
            source: passed.anchor.source().clone(),
        },
        revocation: passed.revocation,
        failed_attempts: passed.failed_attempts,
        ignored_pool: passed.ignored_pool,
        proof: ChainValidated::assertion(),
    }
}

fn cert_facts(
    cert: &Cert,
    role: CertRole,
    signature: Option<SignatureCheck>,
    at: OffsetDateTime,
) -> CertFacts {
    let required = match role {
        CertRole::EndEntity => SIGNER_USAGE,
        CertRole::Intermediate | CertRole::TrustAnchor => CA_USAGE,
    };
    CertFacts {
        role,
        subject: cert.subject.display.clone(),
        issuer: cert.issuer.display.clone(),
        serial: cert.serial_hex(),
        sha256: hex(&cert.sha256),
        der: cert.der.clone(),
        checks: CertChecks {
            validity: ValidityCheck {
                not_before: cert.not_before,
                not_after: cert.not_after,
                at,
            },
            key_usage: KeyUsageCheck {
                bits: cert.key_usage.as_ref().map(|ku| ku.names.clone()),
                required,
            },
            basic_constraints: cert
                .basic_constraints
                .map(|(ca, path_len)| BasicConstraintsFact { ca, path_len }),
            extended_key_usage: cert.extended_key_usage.clone(),
            signature,
            critical_extensions: cert.critical_extensions.clone(),
        },
    }
}

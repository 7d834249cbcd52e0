//! Revocation (thu hồi chứng thư): CRLs and OCSP, judged as of the validation time.
//!
//! For each certificate of a path except the trust anchor, the status comes from, in order:
//!
//! 1. **embedded** evidence passed in by the caller (the CMS `revocationInfoChoices`, the PDF
//!    DSS `/CRLs` and `/OCSPs`): OCSP responses, then CRLs;
//! 2. a **cache directory** ([`RevocationCache`]), files named by issuer and serial;
//! 3. **the network**, only when [`NetworkPolicy::Allowed`]: OCSP at the certificate's AIA
//!    URL (with a nonce), then the CRL at its distribution point; plain `http://` only, as
//!    RFC 5280 §4.2.1.13 and RFC 6960 Appendix A describe.
//!
//! Every piece of evidence is checked before use: the issuer's signature (with `ring`), its
//! authority (cRLSign; the CA itself or a delegated OCSPSigning responder), the match with the
//! certificate (issuer name and key, serial), and freshness relative to the validation time.
//! A revocation dated at or before the validation time revokes; one dated after it leaves the
//! certificate valid at that time and is reported with its date
//! ([`RevocationStatus::RevokedAfter`]). The revocation date is what counts; an
//! invalidityDate entry extension is not used.
//!
//! Limits of what is implemented, each refused by name rather than guessed: delta CRLs,
//! indirect CRLs, CRLs partitioned by reason, and distribution points named relative to the
//! issuer ([`RevocationError::CrlUnsupported`]). A delegated OCSP responder must be valid at the
//! response's producedAt; its own revocation is not checked (as if it carried
//! id-pkix-ocsp-nocheck, which RFC 6960 §4.2.2.2.1 expects of it). When we send a nonce, a
//! response with a different nonce is rejected; one without a nonce is accepted (many CA
//! responders serve pre-signed responses) and then only its freshness vouches for it.

mod cache;
mod crl;
mod fetch;
mod ocsp;

use std::path::PathBuf;
use std::time::Duration;

use time::OffsetDateTime;

use crate::limits::{Budget, BudgetExhausted};
use crate::pki::path::cert::Cert;

pub use ocsp::ocsp_request;

/// Signature checks allowed on revocation evidence during one validation: 100, the same
/// figure webpki takes from the remediation for golang CVE-2018-16875 for path building.
/// Evidence comes from the signed file itself, so it is as untrusted as the pool.
pub const MAX_REVOCATION_SIGNATURES: u64 = 100;

/// What to do about revocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationPolicy {
    /// Do not check (the facts say [`RevocationStatus::NotChecked`]).
    Off,
    /// Check; a revoked certificate fails the path, an unknown status is reported but does
    /// not fail it.
    #[default]
    SoftFail,
    /// Check; an unknown status fails the path ([`crate::pki::path::PathError::RevocationUnknown`]).
    Required,
}

/// Whether revocation evidence may be fetched over the network.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum NetworkPolicy {
    /// No network access (the default: verifying never phones home unless asked).
    #[default]
    Offline,
    /// Fetch OCSP responses and CRLs, within these limits.
    Allowed(FetchLimits),
}

/// Limits on one HTTP fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchLimits {
    /// Total time for one request, from connecting to the last byte.
    pub timeout: Duration,
    /// Largest CRL accepted.
    pub max_crl_bytes: u64,
    /// Largest OCSP response accepted.
    pub max_ocsp_bytes: u64,
}

impl Default for FetchLimits {
    /// 10 s per request (a responder that slow is broken; the signer should not hang on it);
    /// CRLs up to 20 MiB (the large Vietnamese public CAs publish CRLs of a few MB);
    /// OCSP responses up to 64 KiB (a response with its responder chain is under 8 KB).
    fn default() -> Self {
        FetchLimits {
            timeout: Duration::from_secs(10),
            max_crl_bytes: 20 * 1024 * 1024,
            max_ocsp_bytes: 64 * 1024,
        }
    }
}

/// A directory of cached revocation evidence.
///
/// Files are named `crl-<first 16 bytes of SHA-256 of the issuer name DER, hex>.der` and
/// `ocsp-<first 16 bytes of SHA-256 of the issuer key, hex>-<serial hex>.der`. Fetched
/// evidence is written there when `writable` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationCache {
    /// The directory.
    pub dir: PathBuf,
    /// Whether fetched evidence is stored in it.
    pub writable: bool,
}

/// Where revocation evidence may come from, and what to do with what it says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationOptions {
    /// What an unknown status means.
    pub policy: RevocationPolicy,
    /// CRLs (DER) embedded in the signature or the document (CMS, PDF DSS).
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (DER `OCSPResponse`) embedded in the signature or the document.
    pub ocsp_responses: Vec<Vec<u8>>,
    /// A local cache directory.
    pub cache: Option<RevocationCache>,
    /// Whether to fetch over HTTP.
    pub network: NetworkPolicy,
}

/// The kind of revocation evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvidenceKind {
    /// A certificate revocation list (danh sách chứng thư bị thu hồi).
    Crl,
    /// An OCSP response.
    Ocsp,
}

/// Where a piece of evidence came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EvidenceOrigin {
    /// Passed in by the caller (CMS revocation info, PDF DSS), with its index in that list.
    Embedded {
        /// Index in [`RevocationOptions::crls`] or [`RevocationOptions::ocsp_responses`].
        index: usize,
    },
    /// Read from the cache directory.
    Cache {
        /// The file.
        path: PathBuf,
    },
    /// Fetched over HTTP.
    Fetched {
        /// The URL.
        url: String,
    },
}

/// The kind and origin of the evidence behind a status.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevocationSource {
    /// CRL or OCSP.
    pub kind: EvidenceKind,
    /// Embedded, cache or fetched.
    pub origin: EvidenceOrigin,
}

/// The CRLReason of RFC 5280 §5.3.1 (lý do thu hồi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum RevocationReason {
    AaCompromise,
    AffiliationChanged,
    CaCompromise,
    CertificateHold,
    CessationOfOperation,
    KeyCompromise,
    PrivilegeWithdrawn,
    RemoveFromCrl,
    Superseded,
    Unspecified,
}

impl RevocationReason {
    /// The RFC 5280 name (`keyCompromise`…).
    pub fn name(self) -> &'static str {
        match self {
            RevocationReason::AaCompromise => "aACompromise",
            RevocationReason::AffiliationChanged => "affiliationChanged",
            RevocationReason::CaCompromise => "cACompromise",
            RevocationReason::CertificateHold => "certificateHold",
            RevocationReason::CessationOfOperation => "cessationOfOperation",
            RevocationReason::KeyCompromise => "keyCompromise",
            RevocationReason::PrivilegeWithdrawn => "privilegeWithdrawn",
            RevocationReason::RemoveFromCrl => "removeFromCRL",
            RevocationReason::Superseded => "superseded",
            RevocationReason::Unspecified => "unspecified",
        }
    }

    /// The name of an optional reason, for messages.
    pub fn describe(reason: Option<Self>) -> &'static str {
        reason.map_or("no reason given", Self::name)
    }

    /// From the CRLReason code; `None` for codes RFC 5280 does not define (7, > 10).
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => RevocationReason::Unspecified,
            1 => RevocationReason::KeyCompromise,
            2 => RevocationReason::CaCompromise,
            3 => RevocationReason::AffiliationChanged,
            4 => RevocationReason::Superseded,
            5 => RevocationReason::CessationOfOperation,
            6 => RevocationReason::CertificateHold,
            8 => RevocationReason::RemoveFromCrl,
            9 => RevocationReason::PrivilegeWithdrawn,
            10 => RevocationReason::AaCompromise,
            _ => return None,
        })
    }
}

/// The revocation status of one certificate at the validation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Checking was switched off ([`RevocationPolicy::Off`]).
    NotChecked,
    /// Not revoked, according to fresh evidence.
    Good {
        /// The evidence.
        source: RevocationSource,
        /// thisUpdate of the CRL or OCSP response.
        this_update: OffsetDateTime,
        /// nextUpdate, if given.
        next_update: Option<OffsetDateTime>,
    },
    /// Revoked, but after the validation time: valid when it was used.
    RevokedAfter {
        /// The evidence.
        source: RevocationSource,
        /// When it was revoked.
        revoked_at: OffsetDateTime,
        /// The reason code, if given.
        reason: Option<RevocationReason>,
    },
    /// No usable evidence; each problem met on the way.
    Unknown {
        /// What went wrong with each source ([`RevocationError::NoRevocationInfo`] if none).
        problems: Vec<RevocationError>,
    },
}

/// The revocation facts of one certificate in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationFacts {
    /// Subject of the certificate.
    pub subject: String,
    /// Its status at the validation time.
    pub status: RevocationStatus,
    /// The DER evidence behind a Good or RevokedAfter status (a CRL or an `OCSPResponse`),
    /// ready for a PDF DSS.
    pub evidence: Option<Vec<u8>>,
}

/// Why a piece of revocation evidence could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationError {
    /// The revocation signature budget ran out.
    #[error("{0}")]
    BudgetExhausted(BudgetExhausted),
    /// A cache file could not be read.
    #[error("{path}: {detail}")]
    CacheUnreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        detail: String,
    },
    /// The CRL's signature does not verify with the issuer's key.
    #[error("CRL of {issuer}: signature does not verify")]
    CrlBadSignature {
        /// The CRL issuer.
        issuer: String,
    },
    /// The CRL issuer's certificate lacks keyUsage cRLSign.
    #[error("CRL of {issuer}: the issuer certificate lacks keyUsage cRLSign")]
    CrlIssuerNotAuthorized {
        /// The CRL issuer.
        issuer: String,
    },
    /// The CRL could not be parsed.
    #[error("malformed CRL: {detail}")]
    CrlMalformed {
        /// What the parser said.
        detail: String,
    },
    /// The CRL was superseded before the validation time (nextUpdate < validation time).
    #[error(
        "CRL of {issuer}: stale (thisUpdate {}, nextUpdate {}, validation time {})",
        show(.this_update), show_opt(.next_update), show(.at)
    )]
    CrlStale {
        /// The CRL issuer.
        issuer: String,
        /// thisUpdate.
        this_update: OffsetDateTime,
        /// nextUpdate, if given.
        next_update: Option<OffsetDateTime>,
        /// The validation time.
        at: OffsetDateTime,
    },
    /// A CRL feature we do not implement (delta CRL, indirect CRL, partial reasons, unknown
    /// critical extension).
    #[error("CRL of {issuer}: unsupported {what}")]
    CrlUnsupported {
        /// The CRL issuer.
        issuer: String,
        /// What is unsupported.
        what: String,
    },
    /// An HTTP fetch failed.
    #[error("{url}: {detail}")]
    Fetch {
        /// The URL.
        url: String,
        /// What failed.
        detail: String,
    },
    /// No source said anything about this certificate.
    #[error("no CRL or OCSP response covers this certificate")]
    NoRevocationInfo,
    /// The OCSP response's signature does not verify.
    #[error("OCSP response from {responder}: signature does not verify")]
    OcspBadSignature {
        /// The responder.
        responder: String,
    },
    /// The responder answered "unknown" for this certificate.
    #[error("OCSP responder {responder} does not know the certificate")]
    OcspCertUnknown {
        /// The responder.
        responder: String,
    },
    /// The OCSP response could not be parsed.
    #[error("malformed OCSP response: {detail}")]
    OcspMalformed {
        /// What the parser said.
        detail: String,
    },
    /// The response's nonce differs from the request's.
    #[error("OCSP response nonce does not match the request")]
    OcspNonceMismatch,
    /// The responder answered with an error status (tryLater, unauthorized…).
    #[error("OCSP responder status {status}")]
    OcspResponderStatus {
        /// The OCSPResponseStatus.
        status: String,
    },
    /// The response was superseded before the validation time.
    #[error(
        "OCSP response stale (thisUpdate {}, nextUpdate {}, validation time {})",
        show(.this_update), show_opt(.next_update), show(.at)
    )]
    OcspStale {
        /// thisUpdate.
        this_update: OffsetDateTime,
        /// nextUpdate, if given.
        next_update: Option<OffsetDateTime>,
        /// The validation time.
        at: OffsetDateTime,
    },
    /// The response is signed by someone who may not answer for this CA: neither the CA nor
    /// a certificate it issued with extendedKeyUsage OCSPSigning.
    #[error("OCSP responder {responder} is not authorised by the issuing CA")]
    OcspUnauthorizedResponder {
        /// The responder.
        responder: String,
    },
    /// The evidence is larger than the limit.
    #[error("{url}: larger than {limit} bytes")]
    TooLarge {
        /// Where it came from.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// The evidence's signature uses an algorithm or key we refuse (SHA-1, RSA < 2048…).
    #[error("revocation evidence signed with an unsupported algorithm: {detail}")]
    UnsupportedSignature {
        /// The algorithm problem.
        detail: String,
    },
}

impl RevocationError {
    /// How useful this error is to a person (higher is better), as for path errors.
    pub fn rank(&self) -> u32 {
        match self {
            RevocationError::NoRevocationInfo => 0,
            RevocationError::Fetch { .. }
            | RevocationError::TooLarge { .. }
            | RevocationError::CacheUnreadable { .. } => 5,
            RevocationError::CrlMalformed { .. } | RevocationError::OcspMalformed { .. } => 10,
            RevocationError::OcspResponderStatus { .. }
            | RevocationError::OcspCertUnknown { .. } => 12,
            RevocationError::CrlUnsupported { .. }
            | RevocationError::UnsupportedSignature { .. } => 15,
            RevocationError::CrlStale { .. } | RevocationError::OcspStale { .. } => 20,
            RevocationError::OcspNonceMismatch => 25,
            RevocationError::CrlIssuerNotAuthorized { .. }
            | RevocationError::OcspUnauthorizedResponder { .. } => 28,
            RevocationError::CrlBadSignature { .. } | RevocationError::OcspBadSignature { .. } => {
                30
            }
            RevocationError::BudgetExhausted(_) => 40,
        }
    }

    /// The most specific error of a list (the first on a tie); `NoRevocationInfo` if empty.
    pub fn most_specific(errors: &[RevocationError]) -> RevocationError {
        errors
            .iter()
            .fold(None::<&RevocationError>, |best, e| match best {
                Some(b) if b.rank() >= e.rank() => Some(b),
                _ => Some(e),
            })
            .cloned()
            .unwrap_or(RevocationError::NoRevocationInfo)
    }
}

impl From<BudgetExhausted> for RevocationError {
    fn from(e: BudgetExhausted) -> Self {
        RevocationError::BudgetExhausted(e)
    }
}

/// What one piece of evidence says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Good {
        this_update: OffsetDateTime,
        next_update: Option<OffsetDateTime>,
    },
    Revoked {
        revoked_at: OffsetDateTime,
        reason: Option<RevocationReason>,
    },
}

/// An answer with its source and bytes.
#[derive(Debug, Clone)]
struct Found {
    answer: Answer,
    source: RevocationSource,
    evidence: Vec<u8>,
}

/// A revocation at or before the validation time: the path fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevokedBefore {
    pub(crate) revoked_at: OffsetDateTime,
    pub(crate) reason: Option<RevocationReason>,
    pub(crate) source: RevocationSource,
}

/// State kept across the certificates and candidate paths of one validation.
pub(crate) struct Session<'a> {
    options: &'a RevocationOptions,
    signatures: Budget,
    fetcher: fetch::Fetcher,
}

impl<'a> Session<'a> {
    /// A session over `options`.
    pub(crate) fn new(options: &'a RevocationOptions) -> Self {
        Session {
            options,
            signatures: Budget::new("revocation signature checks", MAX_REVOCATION_SIGNATURES),
            fetcher: fetch::Fetcher::new(&options.network),
        }
    }

    /// The policy in force.
    pub(crate) fn policy(&self) -> RevocationPolicy {
        self.options.policy
    }

    /// The status of `cert`, issued by `issuer`, at `at`.
    pub(crate) fn check(
        &mut self,
        cert: &Cert,
        issuer: &Cert,
        at: OffsetDateTime,
    ) -> Result<RevocationFacts, RevokedBefore> {
        let subject = cert.subject.display.clone();
        if self.options.policy == RevocationPolicy::Off {
            return Ok(RevocationFacts {
                subject,
                status: RevocationStatus::NotChecked,
                evidence: None,
            });
        }
        let mut found = Vec::new();
        let mut problems = Vec::new();
        self.embedded(cert, issuer, at, &mut found, &mut problems);
        if found.is_empty() {
            self.cached(cert, issuer, at, &mut found, &mut problems);
        }
        if found.is_empty() {
            self.fetched(cert, issuer, at, &mut found, &mut problems);
        }
        decide(subject, found, problems, at)
    }

    fn embedded(
        &mut self,
        cert: &Cert,
        issuer: &Cert,
        at: OffsetDateTime,
        found: &mut Vec<Found>,
        problems: &mut Vec<RevocationError>,
    ) {
        let options = self.options;
        for (index, der) in options.ocsp_responses.iter().enumerate() {
            let origin = EvidenceOrigin::Embedded { index };
            let answer = ocsp::check(der, cert, issuer, at, None, &mut self.signatures);
            collect(answer, EvidenceKind::Ocsp, origin, der, found, problems);
        }
        for (index, der) in options.crls.iter().enumerate() {
            let origin = EvidenceOrigin::Embedded { index };
            let answer = crl::check(der, cert, issuer, at, &mut self.signatures);
            collect(answer, EvidenceKind::Crl, origin, der, found, problems);
        }
    }

    fn cached(
        &mut self,
        cert: &Cert,
        issuer: &Cert,
        at: OffsetDateTime,
        found: &mut Vec<Found>,
        problems: &mut Vec<RevocationError>,
    ) {
        let Some(dir) = &self.options.cache else {
            return;
        };
        for (kind, path) in cache::candidates(dir, cert, issuer) {
            let der = match cache::read(&path) {
                Ok(Some(der)) => der,
                Ok(None) => continue,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let answer = match kind {
                EvidenceKind::Ocsp => {
                    ocsp::check(&der, cert, issuer, at, None, &mut self.signatures)
                }
                EvidenceKind::Crl => crl::check(&der, cert, issuer, at, &mut self.signatures),
            };
            let origin = EvidenceOrigin::Cache { path };
            collect(answer, kind, origin, &der, found, problems);
        }
    }

    fn fetched(
        &mut self,
        cert: &Cert,
        issuer: &Cert,
        at: OffsetDateTime,
        found: &mut Vec<Found>,
        problems: &mut Vec<RevocationError>,
    ) {
        if !self.fetcher.enabled() {
            return;
        }
        for url in &cert.ocsp_urls {
            let (der, nonce) = match self.fetcher.ocsp(url, cert, issuer) {
                Ok(fetched) => fetched,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let answer = ocsp::check(&der, cert, issuer, at, Some(&nonce), &mut self.signatures);
            self.store(EvidenceKind::Ocsp, &answer, &der, cert, issuer);
            let origin = EvidenceOrigin::Fetched { url: url.clone() };
            collect(answer, EvidenceKind::Ocsp, origin, &der, found, problems);
            if !found.is_empty() {
                return;
            }
        }
        for url in &cert.crl_urls {
            let der = match self.fetcher.crl(url) {
                Ok(der) => der,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let answer = crl::check(&der, cert, issuer, at, &mut self.signatures);
            self.store(EvidenceKind::Crl, &answer, &der, cert, issuer);
            let origin = EvidenceOrigin::Fetched { url: url.clone() };
            collect(answer, EvidenceKind::Crl, origin, &der, found, problems);
            if !found.is_empty() {
                return;
            }
        }
    }

    /// Writes verified fetched evidence to a writable cache; failures to write are ignored
    /// (the cache is an optimisation).
    fn store(
        &self,
        kind: EvidenceKind,
        answer: &Result<Option<Answer>, RevocationError>,
        der: &[u8],
        cert: &Cert,
        issuer: &Cert,
    ) {
        if let (Some(dir), Ok(Some(_))) = (&self.options.cache, answer)
            && dir.writable
        {
            let _ = cache::write(dir, kind, cert, issuer, der);
        }
    }
}

fn collect(
    answer: Result<Option<Answer>, RevocationError>,
    kind: EvidenceKind,
    origin: EvidenceOrigin,
    der: &[u8],
    found: &mut Vec<Found>,
    problems: &mut Vec<RevocationError>,
) {
    match answer {
        Ok(Some(answer)) => found.push(Found {
            answer,
            source: RevocationSource { kind, origin },
            evidence: der.to_vec(),
        }),
        Ok(None) => {}
        Err(e) => problems.push(e),
    }
}

/// Combines the answers: a revocation at or before `at` wins, then a later revocation, then
/// the first "good"; with no answer the status is unknown.
fn decide(
    subject: String,
    found: Vec<Found>,
    problems: Vec<RevocationError>,
    at: OffsetDateTime,
) -> Result<RevocationFacts, RevokedBefore> {
    let revoked = |f: &&Found| matches!(f.answer, Answer::Revoked { .. });
    let mut revocations: Vec<&Found> = found.iter().filter(revoked).collect();
    revocations.sort_by_key(|f| match f.answer {
        Answer::Revoked { revoked_at, .. } => revoked_at,
        Answer::Good { .. } => at,
    });
    let chosen = revocations
        .first()
        .copied()
        .or_else(|| found.iter().find(|f| !revoked(f)));
    let Some(chosen) = chosen else {
        let problems = if problems.is_empty() {
            vec![RevocationError::NoRevocationInfo]
        } else {
            problems
        };
        return Ok(RevocationFacts {
            subject,
            status: RevocationStatus::Unknown { problems },
            evidence: None,
        });
    };
    let source = chosen.source.clone();
    let status = match chosen.answer {
        Answer::Revoked { revoked_at, reason } if revoked_at <= at => {
            return Err(RevokedBefore {
                revoked_at,
                reason,
                source,
            });
        }
        Answer::Revoked { revoked_at, reason } => RevocationStatus::RevokedAfter {
            source,
            revoked_at,
            reason,
        },
        Answer::Good {
            this_update,
            next_update,
        } => RevocationStatus::Good {
            source,
            this_update,
            next_update,
        },
    };
    Ok(RevocationFacts {
        subject,
        status,
        evidence: Some(chosen.evidence.clone()),
    })
}

/// A time for messages, RFC 3339 (`2025-06-01T08:00:00Z`).
pub(crate) fn show(time: &OffsetDateTime) -> String {
    time.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| time.to_string())
}

fn show_opt(time: &Option<OffsetDateTime>) -> String {
    time.as_ref().map_or_else(|| "none".to_owned(), show)
}

/// Whether evidence issued at `this_update`, superseded at `next_update`, speaks for the
/// status at `at`: either it was current then (`next_update >= at`), or, without a
/// nextUpdate, it was issued at or after `at`. `slack` tolerates clock skew (OCSP only).
pub(crate) fn is_fresh(
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    at: OffsetDateTime,
    slack: time::Duration,
) -> bool {
    match next_update {
        Some(next) => next + slack >= at,
        None => this_update + slack >= at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn freshness_is_relative_to_the_validation_time() {
        let at = datetime!(2025-06-01 0:00 UTC);
        let zero = time::Duration::ZERO;
        // Current at the signing time.
        assert!(is_fresh(
            datetime!(2025-05-30 0:00 UTC),
            Some(datetime!(2025-06-06 0:00 UTC)),
            at,
            zero
        ));
        // Issued after the signing time.
        assert!(is_fresh(datetime!(2026-01-01 0:00 UTC), None, at, zero));
        // Superseded before the signing time.
        assert!(!is_fresh(
            datetime!(2025-05-01 0:00 UTC),
            Some(datetime!(2025-05-08 0:00 UTC)),
            at,
            zero
        ));
        assert!(!is_fresh(datetime!(2025-05-01 0:00 UTC), None, at, zero));
    }

    #[test]
    fn most_specific_revocation_error() {
        let errors = [
            RevocationError::NoRevocationInfo,
            RevocationError::CrlBadSignature {
                issuer: "CN=a".into(),
            },
            RevocationError::CrlMalformed { detail: "x".into() },
        ];
        assert_eq!(
            RevocationError::most_specific(&errors),
            RevocationError::CrlBadSignature {
                issuer: "CN=a".into()
            }
        );
        assert_eq!(
            RevocationError::most_specific(&[]),
            RevocationError::NoRevocationInfo
        );
    }
}

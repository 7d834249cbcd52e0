//! The certificate chain (chuỗi chứng thư) of a signer or a TSA, as of the proven signing
//! time, with revocation, mapped onto the facts of [`Trust`].
//!
//! Path building and revocation are `pki::path`'s and `pki::revocation`'s; this module feeds
//! them what the document carries (the CMS certificates and revocation attribute, the DSS)
//! and says where the revocation status came from. A `Trust::Trusted` can only be built with
//! the [`ChainValidated`] proof that `pki::path` issues after every check passed
//! (STYLE.md habit 7).
//!
//! **Which time.** The chain is validated at the *proven* signing time: the time of a
//! signature timestamp whose token verifies and whose TSA chain validates; without one, at
//! the validation time (`--at`, default now), as pyHanko does. The `/M` entry and the CMS
//! signing-time attribute are claims by the signer, reported but never used to rescue an
//! expired or revoked certificate.

use time::OffsetDateTime;

use crate::pki::path::{PathError, PathRequest, Purpose, ValidatedPath};
use crate::pki::revocation::{
    EvidenceKind, EvidenceOrigin, NetworkPolicy, RevocationCache, RevocationOptions,
    RevocationPolicy, RevocationStatus,
};
use crate::pki::trust::TrustStore;
use crate::verify::status::{RevocationSource, Trust};

pub use crate::pki::path::ChainValidated;

/// Where a piece of embedded revocation evidence was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbeddedIn {
    /// The CMS: the adbe-revocationInfoArchival signed attribute or `crls`.
    Cms,
    /// The document security store (`/DSS`).
    Dss,
    /// A timestamp token's own CMS.
    Timestamp,
}

impl EmbeddedIn {
    fn label(self) -> &'static str {
        match self {
            EmbeddedIn::Cms => "CMS",
            EmbeddedIn::Dss => "DSS",
            EmbeddedIn::Timestamp => "timestamp token",
        }
    }
}

/// Certificates and revocation evidence found in the document, with their origin.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Certificates (DER) that may complete a path.
    pub certificates: Vec<Vec<u8>>,
    /// CRLs (DER).
    pub crls: Vec<(Vec<u8>, EmbeddedIn)>,
    /// OCSP responses (DER `OCSPResponse`).
    pub ocsp_responses: Vec<(Vec<u8>, EmbeddedIn)>,
}

impl Evidence {
    /// Add another set (duplicates are harmless: the path builder drops repeated
    /// certificates, and equal evidence gives equal answers).
    pub fn extend(&mut self, other: &Evidence) {
        self.certificates.extend(other.certificates.iter().cloned());
        self.crls.extend(other.crls.iter().cloned());
        self.ocsp_responses
            .extend(other.ocsp_responses.iter().cloned());
    }
}

/// How trust is evaluated: anchors, revocation policy, cache and network.
#[derive(Debug, Clone)]
pub struct TrustContext {
    /// The trust anchors.
    pub anchors: TrustStore,
    /// Soft-fail by default: revoked fails, unknown is reported.
    pub policy: RevocationPolicy,
    /// A cache directory of CRLs and OCSP responses.
    pub cache: Option<RevocationCache>,
    /// Offline unless `--online`.
    pub network: NetworkPolicy,
}

/// The outcome for one certificate.
#[derive(Debug, Clone)]
pub struct ChainOutcome {
    /// The trust facts.
    pub trust: Trust,
    /// The validated path, when there is one.
    pub path: Option<ValidatedPath>,
    /// Where the end-entity's revocation status came from, in words ("OCSP in DSS").
    pub revocation_detail: Option<String>,
    /// The end-entity's revocation status came from evidence in the DSS (what B-LT needs:
    /// the signer's status can be checked later without the network).
    pub revocation_from_dss: bool,
}

/// Validate `certificate` (DER) for `purpose` at `at`.
pub fn evaluate(
    certificate: &[u8],
    evidence: &Evidence,
    at: OffsetDateTime,
    purpose: Purpose,
    context: &TrustContext,
) -> ChainOutcome {
    let options = RevocationOptions {
        policy: context.policy,
        crls: evidence.crls.iter().map(|(der, _)| der.clone()).collect(),
        ocsp_responses: evidence
            .ocsp_responses
            .iter()
            .map(|(der, _)| der.clone())
            .collect(),
        cache: context.cache.clone(),
        network: context.network.clone(),
    };
    let result = PathRequest::new(certificate, &context.anchors, at)
        .with_pool(evidence.certificates.iter().map(Vec::as_slice))
        .with_purpose(purpose)
        .with_revocation(&options)
        .validate();
    match result {
        Ok(path) => trusted(path, evidence),
        Err(failure) => ChainOutcome {
            trust: untrusted(failure.reason),
            path: None,
            revocation_detail: None,
            revocation_from_dss: false,
        },
    }
}

fn trusted(path: ValidatedPath, evidence: &Evidence) -> ChainOutcome {
    let describe = |status: &RevocationStatus| -> (RevocationSource, Option<String>, bool) {
        let source = match status {
            RevocationStatus::Good { source, .. }
            | RevocationStatus::RevokedAfter { source, .. } => source,
            RevocationStatus::NotChecked => return (RevocationSource::None, None, false),
            RevocationStatus::Unknown { problems } => {
                let detail = problems.first().map(|p| format!("không xác định: {p}"));
                return (RevocationSource::None, detail, false);
            }
        };
        let kind = match source.kind {
            EvidenceKind::Crl => "CRL",
            EvidenceKind::Ocsp => "OCSP",
        };
        match &source.origin {
            EvidenceOrigin::Embedded { index } => {
                let list = match source.kind {
                    EvidenceKind::Crl => &evidence.crls,
                    EvidenceKind::Ocsp => &evidence.ocsp_responses,
                };
                let place = list.get(*index).map(|(_, place)| *place);
                let label = place.map_or("?", EmbeddedIn::label);
                (
                    RevocationSource::Embedded,
                    Some(format!("{kind} ({label})")),
                    place == Some(EmbeddedIn::Dss),
                )
            }
            EvidenceOrigin::Cache { path } => (
                RevocationSource::Cache,
                Some(format!("{kind} (cache: {})", path.display())),
                false,
            ),
            EvidenceOrigin::Fetched { url } => (
                RevocationSource::Fetched,
                Some(format!("{kind} ({url})")),
                false,
            ),
        }
    };
    let end_entity = path.revocation.first().map(|facts| describe(&facts.status));
    let (revocation, detail, from_dss) =
        end_entity.unwrap_or((RevocationSource::None, None, false));
    ChainOutcome {
        trust: Trust::Trusted {
            anchor: path.anchor.subject.clone(),
            revocation,
            proof: path.proof(),
        },
        path: Some(path),
        revocation_detail: detail,
        revocation_from_dss: from_dss,
    }
}

/// The failure as a trust fact: expired or not yet valid, revoked, or untrusted.
fn untrusted(error: PathError) -> Trust {
    let reason = error.to_string();
    match error {
        PathError::CertExpired { .. } | PathError::CertNotValidYet { .. } => {
            Trust::Expired { reason }
        }
        PathError::Revoked { evidence, .. } => Trust::Revoked {
            reason,
            revocation: match evidence.origin {
                EvidenceOrigin::Embedded { .. } => RevocationSource::Embedded,
                EvidenceOrigin::Cache { .. } => RevocationSource::Cache,
                EvidenceOrigin::Fetched { .. } => RevocationSource::Fetched,
            },
        },
        _ => Trust::Untrusted { reason },
    }
}

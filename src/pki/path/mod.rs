//! Certificate path validation (xác thực chuỗi chứng thư) per RFC 5280, at a given time.
//!
//! The verifier calls it with the signing time, the signer calls it with the time it signs
//! at; there is no implicit "now". The inputs are the end-entity certificate, an untrusted
//! pool (the certificates in the CMS SignedData, the PDF DSS), the [`TrustStore`], the time,
//! the purpose, and the revocation sources and policy. The output is a [`ValidatedPath`]
//! holding every fact checked and a [`ChainValidated`] proof, or a [`PathFailure`] whose
//! [`PathError`](crate::pki::path::PathError) says exactly why, with data.
//!
//! ```no_run
//! use vanban::pki::path::{PathRequest, Purpose};
//! use vanban::pki::revocation::RevocationOptions;
//! use vanban::pki::trust::{TrustConfig, TrustStore};
//! # fn demo(signer_der: &[u8], cms_certs: &[Vec<u8>], signing_time: time::OffsetDateTime)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! let anchors = TrustStore::load(&TrustConfig { base: Some(".".into()), ..Default::default() })?;
//! let revocation = RevocationOptions::default(); // soft-fail, offline, nothing embedded
//! let path = PathRequest::new(signer_der, &anchors, signing_time)
//!     .with_pool(cms_certs.iter().map(Vec::as_slice))
//!     .with_purpose(Purpose::DocumentSigning)
//!     .with_revocation(&revocation)
//!     .validate()?;
//! println!("anchor: {}", path.anchor.subject);
//! # Ok(()) }
//! ```
//!
//! Why our own builder rather than rustls-webpki: webpki rejects every critical extension
//! outside its short list (certificatePolicies among them, which government CAs mark
//! critical), does not check nonRepudiation, has no OCSP, and returns only an error. The
//! builder here is small, uses `ring` for every signature, and returns typed facts.

pub(crate) mod cert;
pub mod memo;
pub(crate) mod name;
pub(crate) mod signature;

mod build;
mod error;
mod facts;

use std::rc::Rc;

use time::OffsetDateTime;

pub use error::{FailedAttempt, IgnoredCert, PathError, PathFailure};
pub use facts::{
    AnchorFacts, BasicConstraintsFact, CertChecks, CertFacts, CertRole, ChainValidated,
    KeyUsageCheck, SignatureCheck, ValidatedPath, ValidityCheck,
};
pub use signature::{SignatureAlgorithm, SignatureError};

use self::build::Builder;
use self::cert::Cert;
use crate::pki::revocation::{NetworkPolicy, RevocationOptions, RevocationPolicy, Session};
use crate::pki::trust::TrustStore;

/// Signature checks allowed while building one path: 100. Taken from webpki, which took it
/// from the remediation for golang CVE-2018-16875 (path building made exponential by a pool
/// of same-named CAs).
pub const MAX_SIGNATURE_CHECKS: u64 = 100;

/// Candidate issuers considered while building one path: 200,000, webpki's figure, which
/// follows mozilla::pkix's bound on build-chain calls.
pub const MAX_BUILD_STEPS: u64 = 200_000;

/// Most intermediate CAs in a path: 6, webpki's `MAX_SUB_CA_COUNT` (from mozilla::pkix).
/// Vietnamese paths have one (NEAC root → CA → signer) or two.
pub const MAX_INTERMEDIATES: usize = 6;

/// Most certificates taken from the pool: 500. A CMS carries a handful, a PDF DSS a few dozen;
/// the rest are ignored (and listed) so that a hostile file cannot make us parse thousands.
pub const MAX_POOL_CERTS: usize = 500;

/// What the end-entity certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Signing documents (ký văn bản): keyUsage, if present, must include digitalSignature or
    /// nonRepudiation. extendedKeyUsage is reported, not enforced: Vietnamese CAs issue
    /// signing certificates with clientAuth and emailProtection.
    #[default]
    DocumentSigning,
    /// Time-stamping (RFC 3161): as above, plus extendedKeyUsage timeStamping.
    TimeStamping,
}

/// Revocation options used when the caller gives none: soft-fail, offline, nothing embedded.
static DEFAULT_REVOCATION: RevocationOptions = RevocationOptions {
    policy: RevocationPolicy::SoftFail,
    crls: Vec::new(),
    ocsp_responses: Vec::new(),
    cache: None,
    network: NetworkPolicy::Offline,
};

/// Everything path validation needs; build with [`PathRequest::new`] and `with_*`.
#[derive(Debug, Clone)]
pub struct PathRequest<'a> {
    end_entity: &'a [u8],
    pool: Vec<&'a [u8]>,
    anchors: &'a TrustStore,
    at: OffsetDateTime,
    purpose: Purpose,
    revocation: &'a RevocationOptions,
}

impl<'a> PathRequest<'a> {
    /// Validate `end_entity` (DER) against `anchors` as of `at`.
    pub fn new(end_entity: &'a [u8], anchors: &'a TrustStore, at: OffsetDateTime) -> Self {
        PathRequest {
            end_entity,
            pool: Vec::new(),
            anchors,
            at,
            purpose: Purpose::default(),
            revocation: &DEFAULT_REVOCATION,
        }
    }

    /// Untrusted certificates (DER) that may complete the path.
    pub fn with_pool(mut self, pool: impl IntoIterator<Item = &'a [u8]>) -> Self {
        self.pool.extend(pool);
        self
    }

    /// What the end-entity is checked for (default: document signing).
    pub fn with_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// Revocation sources and policy (default: soft-fail, offline, nothing embedded).
    pub fn with_revocation(mut self, revocation: &'a RevocationOptions) -> Self {
        self.revocation = revocation;
        self
    }

    /// Runs the validation.
    pub fn validate(&self) -> Result<ValidatedPath, Box<PathFailure>> {
        validate(self)
    }
}

/// Validates the request: a [`ValidatedPath`] with its proof, or the most specific failure.
pub fn validate(request: &PathRequest<'_>) -> Result<ValidatedPath, Box<PathFailure>> {
    let end_entity = memo::parse_cert(request.end_entity).map_err(|detail| {
        Box::new(PathFailure {
            reason: PathError::BadEncoding {
                what: "end-entity certificate".to_owned(),
                detail,
            },
            attempts: Vec::new(),
            ignored_pool: Vec::new(),
        })
    })?;
    let (pool, ignored_pool) = parse_pool(&request.pool);
    let builder = Builder::new(
        &pool,
        request.anchors.anchors(),
        request.at,
        request.purpose,
        Session::new(request.revocation),
        ignored_pool,
    );
    builder.run(&end_entity)
}

/// Parses the pool once, dropping duplicates; what cannot be parsed is listed, not fatal.
fn parse_pool(pool: &[&[u8]]) -> (Vec<Rc<Cert>>, Vec<IgnoredCert>) {
    let mut parsed: Vec<Rc<Cert>> = Vec::new();
    let mut ignored = Vec::new();
    for (index, der) in pool.iter().enumerate() {
        if index >= MAX_POOL_CERTS {
            ignored.push(IgnoredCert {
                index,
                detail: format!(
                    "this and the {} after it: more than {MAX_POOL_CERTS} pool certificates",
                    pool.len() - index - 1
                ),
            });
            break;
        }
        match memo::parse_cert(der) {
            Ok(cert) if parsed.iter().any(|p| p.sha256 == cert.sha256) => {}
            Ok(cert) => parsed.push(cert),
            Err(detail) => ignored.push(IgnoredCert { index, detail }),
        }
    }
    (parsed, ignored)
}

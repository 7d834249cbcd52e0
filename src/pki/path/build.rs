//! Path building: a depth-first search from the end-entity certificate towards a trust
//! anchor, through certificates from the untrusted pool, under a work budget.
//!
//! At each step the candidates for the current certificate's issuer are the anchors whose
//! subject matches its issuer name (tried first), then the pool certificates that do, those
//! whose subjectKeyIdentifier equals its authorityKeyIdentifier ahead of the others. A
//! candidate is accepted as issuer when its key verifies the signature and it passes the CA
//! checks at the validation time (validity, basicConstraints cA and pathLenConstraint,
//! keyUsage keyCertSign, critical extensions). A candidate with the same subject and key as a
//! certificate already in the path is skipped, so loops in the pool end (RFC 4158 §5.2). When
//! an anchor is reached, each certificate's revocation status is checked; a revoked path is
//! one more failed attempt and the search goes on.
//!
//! The anchor itself gets the CA checks too (validity at the time, basicConstraints if present,
//! keyUsage, critical extensions, pathLenConstraint), as `openssl verify` does; only its
//! self-signature is not checked, since trust in it comes from the store. A v1 root without
//! extensions is accepted as an anchor, never as an intermediate.

use std::rc::Rc;

use time::OffsetDateTime;

use super::cert::Cert;
use super::error::{FailedAttempt, IgnoredCert, PathError, PathFailure};
use super::facts::{self, Passed, ValidatedPath};
use super::signature::{self, SignatureAlgorithm, SignatureError};
use super::{MAX_BUILD_STEPS, MAX_INTERMEDIATES, MAX_SIGNATURE_CHECKS, Purpose};
use crate::limits::{Budget, BudgetExhausted};
use crate::pki::revocation::{
    RevocationError, RevocationFacts, RevocationPolicy, RevocationStatus, Session,
};
use crate::pki::trust::Anchor;

/// Failed attempts kept for the report: 64. The most specific error is computed over all of
/// them; the list only has to show a person the shape of the search.
const MAX_RECORDED_ATTEMPTS: usize = 64;

const EKU_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";

pub(super) struct Builder<'a> {
    pool: &'a [Rc<Cert>],
    anchors: &'a [Anchor],
    at: OffsetDateTime,
    purpose: Purpose,
    signatures: Budget,
    steps: Budget,
    revocation: Session<'a>,
    attempts: Vec<FailedAttempt>,
    /// The most specific failure so far, with the path length it was found at.
    best: Option<(PathError, usize)>,
    ignored_pool: Vec<IgnoredCert>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        pool: &'a [Rc<Cert>],
        anchors: &'a [Anchor],
        at: OffsetDateTime,
        purpose: Purpose,
        revocation: Session<'a>,
        ignored_pool: Vec<IgnoredCert>,
    ) -> Self {
        Builder {
            pool,
            anchors,
            at,
            purpose,
            signatures: Budget::new("path building: signature checks", MAX_SIGNATURE_CHECKS),
            steps: Budget::new("path building: candidate issuers", MAX_BUILD_STEPS),
            revocation,
            attempts: Vec::new(),
            best: None,
            ignored_pool,
        }
    }

    /// Validates `end_entity`: its own checks first, then the search.
    pub(super) fn run(mut self, end_entity: &'a Cert) -> Result<ValidatedPath, Box<PathFailure>> {
        if let Err(error) = self.check_end_entity(end_entity) {
            self.record(&[end_entity], error);
            return Err(self.failure(end_entity));
        }
        let mut chain = vec![end_entity];
        let mut algorithms = Vec::new();
        match self.extend(&mut chain, &mut algorithms) {
            Ok(Some(path)) => Ok(path),
            Ok(None) => Err(self.failure(end_entity)),
            Err(exhausted) => {
                self.record(&chain, PathError::BudgetExhausted(exhausted));
                Err(self.failure(end_entity))
            }
        }
    }

    fn failure(self, end_entity: &Cert) -> Box<PathFailure> {
        let reason = match self.best {
            Some((error, _)) => error,
            None => PathError::NoPathToTrustAnchor {
                issuer: end_entity.issuer.display.clone(),
            },
        };
        Box::new(PathFailure {
            reason,
            attempts: self.attempts,
            ignored_pool: self.ignored_pool,
        })
    }

    fn record(&mut self, chain: &[&Cert], error: PathError) {
        let depth = chain.len();
        let better = match &self.best {
            None => true,
            Some((best, best_depth)) => {
                error.rank() > best.rank() || (error.rank() == best.rank() && depth > *best_depth)
            }
        };
        if self.attempts.len() < MAX_RECORDED_ATTEMPTS {
            self.attempts.push(FailedAttempt {
                path: chain.iter().map(|c| c.subject.display.clone()).collect(),
                error: error.clone(),
            });
        }
        if better {
            self.best = Some((error, depth));
        }
    }

    /// Tries every way up from the top of `chain`. `Ok(None)`: no path this way.
    fn extend(
        &mut self,
        chain: &mut Vec<&'a Cert>,
        algorithms: &mut Vec<SignatureAlgorithm>,
    ) -> Result<Option<ValidatedPath>, BudgetExhausted> {
        let child = *chain.last().expect("the chain always holds the end-entity");
        let mut tried = false;
        for anchor in self.anchor_candidates(child) {
            tried = true;
            self.steps.spend(1)?;
            match self.try_anchor(chain, algorithms, anchor) {
                Ok(path) => return Ok(Some(path)),
                Err(PathError::BudgetExhausted(exhausted)) => return Err(exhausted),
                Err(error) => self.record(chain, error),
            }
        }
        for candidate in self.pool_candidates(child, chain) {
            tried = true;
            self.steps.spend(1)?;
            if chain.len() > MAX_INTERMEDIATES {
                let error = PathError::MaxDepthExceeded {
                    max: MAX_INTERMEDIATES,
                };
                self.record(chain, error);
                continue;
            }
            let algorithm = match self.check_issuer(chain, candidate, false) {
                Ok(algorithm) => algorithm,
                Err(PathError::BudgetExhausted(exhausted)) => return Err(exhausted),
                Err(error) => {
                    self.record(chain, error);
                    continue;
                }
            };
            chain.push(candidate);
            algorithms.push(algorithm);
            let found = self.extend(chain, algorithms);
            chain.pop();
            algorithms.pop();
            if let Some(path) = found? {
                return Ok(Some(path));
            }
        }
        let dead_end = self.dead_end(child, tried)?;
        if let Some(error) = dead_end {
            self.record(chain, error);
        }
        Ok(None)
    }

    /// Anchors named as `child`'s issuer, key-identifier matches first.
    fn anchor_candidates(&self, child: &Cert) -> Vec<&'a Anchor> {
        let mut found: Vec<&'a Anchor> = self
            .anchors
            .iter()
            .filter(|a| a.cert.subject.matches(&child.issuer))
            .collect();
        found.sort_by_key(|a| !key_id_matches(child, &a.cert));
        found
    }

    /// Pool certificates named as `child`'s issuer, not already in the path and not copies of
    /// an anchor (those were tried as anchors), key-identifier matches first.
    fn pool_candidates(&self, child: &Cert, chain: &[&Cert]) -> Vec<&'a Cert> {
        let mut found: Vec<&'a Cert> = self
            .pool
            .iter()
            .map(|c| &**c)
            .filter(|c| c.subject.matches(&child.issuer))
            .filter(|c| !chain.iter().any(|in_path| in_path.same_subject_and_key(c)))
            .filter(|c| !self.anchors.iter().any(|a| a.cert.same_subject_and_key(c)))
            .collect();
        found.sort_by_key(|c| !key_id_matches(child, c));
        found
    }

    /// Why the search could not go further from `child`, beyond the failures already
    /// recorded for its candidates.
    fn dead_end(
        &mut self,
        child: &Cert,
        tried: bool,
    ) -> Result<Option<PathError>, BudgetExhausted> {
        if child.is_self_issued() && self.self_signed(child)? {
            let subject = child.subject.display.clone();
            let named_like_anchor = self
                .anchors
                .iter()
                .any(|a| a.cert.subject.matches(&child.subject));
            return Ok(Some(if named_like_anchor {
                PathError::SelfSignedImpostor { subject }
            } else {
                PathError::UntrustedRoot { subject }
            }));
        }
        if tried {
            return Ok(None);
        }
        Ok(Some(self.name_mismatch(child).unwrap_or_else(|| {
            PathError::NoPathToTrustAnchor {
                issuer: child.issuer.display.clone(),
            }
        })))
    }

    fn self_signed(&mut self, cert: &Cert) -> Result<bool, BudgetExhausted> {
        self.signatures.spend(1)?;
        let verified = signature::verify(
            &cert.public_key,
            &cert.signature_algorithm,
            &cert.tbs,
            &cert.signature,
        );
        Ok(verified.is_ok())
    }

    /// A certificate whose key identifier `child` names, under another name: the issuer name
    /// in `child` is wrong.
    fn name_mismatch(&self, child: &Cert) -> Option<PathError> {
        let aki = child.authority_key_id.as_ref()?;
        let anchors = self.anchors.iter().map(|a| &a.cert);
        let candidate = anchors.chain(self.pool.iter().map(|c| &**c)).find(|c| {
            c.subject_key_id.as_ref() == Some(aki) && !c.subject.matches(&child.issuer)
        })?;
        Some(PathError::IssuerNameMismatch {
            subject: child.subject.display.clone(),
            issuer: child.issuer.display.clone(),
            candidate: candidate.subject.display.clone(),
        })
    }

    /// The path `chain` + `anchor`: signature, CA checks on the anchor, then revocation.
    fn try_anchor(
        &mut self,
        chain: &[&'a Cert],
        algorithms: &[SignatureAlgorithm],
        anchor: &'a Anchor,
    ) -> Result<ValidatedPath, PathError> {
        let last = self.check_issuer(chain, &anchor.cert, true)?;
        let revocation = self.check_revocation(chain, &anchor.cert)?;
        let mut all_algorithms = algorithms.to_vec();
        all_algorithms.push(last);
        Ok(facts::assemble(Passed {
            at: self.at,
            purpose: self.purpose,
            chain,
            algorithms: &all_algorithms,
            anchor,
            revocation,
            failed_attempts: std::mem::take(&mut self.attempts),
            ignored_pool: std::mem::take(&mut self.ignored_pool),
        }))
    }

    /// Whether `issuer` may be the issuer of the top of `chain`: its key verifies the
    /// signature (checked first, so a same-named stranger shows as a bad signature), and it
    /// passes the CA checks.
    fn check_issuer(
        &mut self,
        chain: &[&Cert],
        issuer: &Cert,
        is_anchor: bool,
    ) -> Result<SignatureAlgorithm, PathError> {
        let child = *chain.last().expect("the chain always holds the end-entity");
        self.signatures.spend(1)?;
        let algorithm = verify_signed_by(child, issuer)?;
        self.check_ca(issuer, chain, is_anchor)?;
        Ok(algorithm)
    }

    /// RFC 5280 §6.1.3 and §6.1.4 for a CA certificate above `below` (end-entity first).
    fn check_ca(&self, ca: &Cert, below: &[&Cert], is_anchor: bool) -> Result<(), PathError> {
        let subject = || ca.subject.display.clone();
        check_validity(ca, self.at)?;
        check_common(ca)?;
        let path_len = match ca.basic_constraints {
            Some((true, path_len)) => path_len,
            // A v1 root has no extensions at all; as a configured anchor it is accepted.
            None if is_anchor => None,
            _ => return Err(PathError::NotACa { subject: subject() }),
        };
        if ca.key_usage.as_ref().is_some_and(|ku| !ku.key_cert_sign) {
            return Err(PathError::KeyUsageMissing {
                subject: subject(),
                required: facts::CA_USAGE,
            });
        }
        let intermediates_below = below.iter().skip(1).filter(|c| !c.is_self_issued()).count();
        if let Some(path_len) = path_len
            && (path_len as usize) < intermediates_below
        {
            return Err(PathError::PathLenExceeded {
                subject: subject(),
                path_len,
                below: intermediates_below,
            });
        }
        Ok(())
    }

    /// The end-entity's own checks, before any search.
    fn check_end_entity(&self, cert: &Cert) -> Result<(), PathError> {
        let subject = || cert.subject.display.clone();
        check_validity(cert, self.at)?;
        check_common(cert)?;
        if cert.basic_constraints.is_some_and(|(ca, _)| ca) {
            return Err(PathError::CaUsedAsEndEntity { subject: subject() });
        }
        let signs = |ku: &super::cert::KeyUsageBits| ku.digital_signature || ku.non_repudiation;
        if cert.key_usage.as_ref().is_some_and(|ku| !signs(ku)) {
            return Err(PathError::KeyUsageMissing {
                subject: subject(),
                required: facts::SIGNER_USAGE,
            });
        }
        if self.purpose == Purpose::TimeStamping {
            let ekus = cert.extended_key_usage.as_deref().unwrap_or_default();
            if !ekus.iter().any(|e| e == EKU_TIME_STAMPING) {
                return Err(PathError::EkuMissing {
                    subject: subject(),
                    required: "timeStamping",
                });
            }
        }
        cert.public_key
            .check_acceptable()
            .map_err(|e| signature_error(e, cert, cert))
    }

    /// Revocation of every certificate of `chain` (the anchor is not checked).
    fn check_revocation(
        &mut self,
        chain: &[&Cert],
        anchor: &Cert,
    ) -> Result<Vec<RevocationFacts>, PathError> {
        let mut all = Vec::with_capacity(chain.len());
        for (i, cert) in chain.iter().enumerate() {
            let issuer = chain.get(i + 1).copied().unwrap_or(anchor);
            let subject = cert.subject.display.clone();
            let facts = self
                .revocation
                .check(cert, issuer, self.at)
                .map_err(|revoked| PathError::Revoked {
                    subject: subject.clone(),
                    revoked_at: revoked.revoked_at,
                    reason: revoked.reason,
                    evidence: revoked.source,
                })?;
            if let RevocationStatus::Unknown { problems } = &facts.status
                && self.revocation.policy() == RevocationPolicy::Required
            {
                let error = RevocationError::most_specific(problems);
                return Err(PathError::RevocationUnknown { subject, error });
            }
            all.push(facts);
        }
        Ok(all)
    }
}

/// Checks shared by every certificate: algorithm consistency and extensions.
fn check_common(cert: &Cert) -> Result<(), PathError> {
    let subject = || cert.subject.display.clone();
    if cert.signature_algorithm != cert.tbs_signature_algorithm {
        return Err(PathError::SignatureAlgorithmMismatch { subject: subject() });
    }
    if let Some(oid) = &cert.unknown_critical {
        return Err(PathError::UnknownCriticalExtension {
            subject: subject(),
            oid: oid.clone(),
        });
    }
    if cert.has_name_constraints {
        return Err(PathError::NameConstraintsUnsupported { subject: subject() });
    }
    Ok(())
}

fn check_validity(cert: &Cert, at: OffsetDateTime) -> Result<(), PathError> {
    if at < cert.not_before {
        return Err(PathError::CertNotValidYet {
            subject: cert.subject.display.clone(),
            not_before: cert.not_before,
            at,
        });
    }
    if at > cert.not_after {
        return Err(PathError::CertExpired {
            subject: cert.subject.display.clone(),
            not_after: cert.not_after,
            at,
        });
    }
    Ok(())
}

fn verify_signed_by(child: &Cert, issuer: &Cert) -> Result<SignatureAlgorithm, PathError> {
    signature::verify(
        &issuer.public_key,
        &child.signature_algorithm,
        &child.tbs,
        &child.signature,
    )
    .map_err(|e| signature_error(e, child, issuer))
}

/// Puts a signature error in path terms: algorithm problems belong to the signed
/// certificate, key problems to the key holder.
fn signature_error(error: SignatureError, signed: &Cert, key_holder: &Cert) -> PathError {
    match error {
        SignatureError::Invalid | SignatureError::KeyMismatch { .. } => {
            PathError::InvalidSignature {
                subject: signed.subject.display.clone(),
                issuer: key_holder.subject.display.clone(),
            }
        }
        SignatureError::Sha1Refused { .. } => PathError::Sha1Refused {
            subject: signed.subject.display.clone(),
        },
        SignatureError::RsaKeyTooSmall { bits } => PathError::RsaKeyTooSmall {
            subject: key_holder.subject.display.clone(),
            bits,
        },
        SignatureError::UnsupportedAlgorithm { oid } => PathError::UnsupportedAlgorithm {
            subject: signed.subject.display.clone(),
            detail: oid,
        },
        SignatureError::UnsupportedKey { detail } => PathError::UnsupportedAlgorithm {
            subject: key_holder.subject.display.clone(),
            detail,
        },
    }
}

fn key_id_matches(child: &Cert, issuer: &Cert) -> bool {
    match (&child.authority_key_id, &issuer.subject_key_id) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => false,
    }
}

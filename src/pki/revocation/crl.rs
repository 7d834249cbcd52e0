//! Certificate revocation lists (RFC 5280 §5 and §6.3), checked against one certificate.

use der::Decode;
use time::OffsetDateTime;
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::{Answer, RevocationError, RevocationReason, is_fresh};
use crate::limits::Budget;
use crate::pki::path::cert::Cert;
use crate::pki::path::name::Name;
use crate::pki::path::signature::{self, AlgorithmId, SignatureError};

/// CRL extensions we understand (may be critical).
const CRL_NUMBER: &str = "2.5.29.20";
const AUTHORITY_KEY_ID: &str = "2.5.29.35";
const ISSUING_DISTRIBUTION_POINT: &str = "2.5.29.28";
const DELTA_CRL_INDICATOR: &str = "2.5.29.27";
/// CRL entry extensions we understand.
const REASON_CODE: &str = "2.5.29.21";
const INVALIDITY_DATE: &str = "2.5.29.24";
const CERTIFICATE_ISSUER: &str = "2.5.29.29";

/// What `crl` says about `cert` (issued by `issuer`) at `at`; `Ok(None)` when the CRL is not
/// about this certificate (another issuer, another partition).
pub(crate) fn check(
    der: &[u8],
    cert: &Cert,
    issuer: &Cert,
    at: OffsetDateTime,
    signatures: &mut Budget,
) -> Result<Option<Answer>, RevocationError> {
    let malformed = |detail: String| RevocationError::CrlMalformed { detail };
    let (rest, crl) =
        CertificateRevocationList::from_der(der).map_err(|e| malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(malformed(format!("{} bytes after the CRL", rest.len())));
    }
    if crl.signature_value.unused_bits != 0 {
        return Err(malformed(
            "the signature BIT STRING has unused bits".to_owned(),
        ));
    }
    // A second, strict DER decoding (see `Cert::parse`): the unsigned outer layer must be
    // exact, and both AlgorithmIdentifiers must agree.
    let strict = x509_cert::crl::CertificateList::from_der(der)
        .map_err(|e| malformed(format!("not DER: {e}")))?;
    if strict.signature_algorithm != strict.tbs_cert_list.signature {
        return Err(malformed(
            "signatureAlgorithm differs from tbsCertList.signature".to_owned(),
        ));
    }
    let crl_issuer = Name::from_x509(crl.issuer());
    if !crl_issuer.matches(&cert.issuer) || !crl_issuer.matches(&issuer.subject) {
        return Ok(None);
    }
    let issuer_name = crl_issuer.display.clone();
    if !in_scope(&crl, cert, &issuer_name)? || !same_key(&crl, issuer) {
        return Ok(None);
    }
    authorise_and_verify(&crl, issuer, &issuer_name, signatures)?;
    let this_update = crl.last_update().to_datetime();
    let next_update = crl.next_update().map(|t| t.to_datetime());
    if !is_fresh(this_update, next_update, at, time::Duration::ZERO) {
        return Err(RevocationError::CrlStale {
            issuer: issuer_name,
            this_update,
            next_update,
            at,
        });
    }
    lookup(&crl, cert, &issuer_name, this_update, next_update)
}

/// Checks the CRL extensions and the issuingDistributionPoint scope.
fn in_scope(
    crl: &CertificateRevocationList<'_>,
    cert: &Cert,
    issuer: &str,
) -> Result<bool, RevocationError> {
    let unsupported = |what: &str| RevocationError::CrlUnsupported {
        issuer: issuer.to_owned(),
        what: what.to_owned(),
    };
    crl.tbs_cert_list
        .extensions_map()
        .map_err(|_| unsupported("duplicate extension"))?;
    let mut in_scope = true;
    for ext in crl.extensions() {
        let oid = ext.oid.to_id_string();
        match (oid.as_str(), ext.parsed_extension()) {
            (DELTA_CRL_INDICATOR, _) => return Err(unsupported("delta CRL")),
            (ISSUING_DISTRIBUTION_POINT, ParsedExtension::IssuingDistributionPoint(idp)) => {
                if idp.indirect_crl {
                    return Err(unsupported("indirect CRL"));
                }
                if idp.only_some_reasons.is_some() {
                    return Err(unsupported("CRL partitioned by reason (onlySomeReasons)"));
                }
                let is_ca = cert.basic_constraints.is_some_and(|(ca, _)| ca);
                let scope_excludes = (idp.only_contains_user_certs && is_ca)
                    || (idp.only_contains_ca_certs && !is_ca)
                    || idp.only_contains_attribute_certs;
                in_scope &= !scope_excludes;
                in_scope &= distribution_point_matches(idp.distribution_point.as_ref(), cert)
                    .ok_or_else(|| unsupported("distribution point relative to the issuer"))?;
            }
            (CRL_NUMBER | AUTHORITY_KEY_ID, _) => {}
            (_, ParsedExtension::ParseError { error }) => {
                return Err(RevocationError::CrlMalformed {
                    detail: format!("extension {oid}: {error}"),
                });
            }
            _ if ext.critical => return Err(unsupported(&format!("critical extension {oid}"))),
            _ => {}
        }
    }
    Ok(in_scope)
}

/// RFC 5280 §6.3.3 (b)(2)(i): a CRL for one distribution point covers only certificates that
/// name it. `None` when the IDP uses a name form we do not compare.
fn distribution_point_matches(
    idp_point: Option<&DistributionPointName<'_>>,
    cert: &Cert,
) -> Option<bool> {
    match idp_point {
        None => Some(true),
        Some(DistributionPointName::FullName(names)) => Some(
            names
                .iter()
                .any(|n| matches!(n, GeneralName::URI(u) if cert.crl_urls.iter().any(|c| c == u))),
        ),
        Some(DistributionPointName::NameRelativeToCRLIssuer(_)) => None,
    }
}

/// A CRL signed by another key of a same-named CA (re-keying) is not this issuer's.
fn same_key(crl: &CertificateRevocationList<'_>, issuer: &Cert) -> bool {
    let aki = crl
        .extensions()
        .iter()
        .find_map(|ext| match ext.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => aki.key_identifier.as_ref(),
            _ => None,
        });
    match (aki, &issuer.subject_key_id) {
        (Some(aki), Some(ski)) => aki.0 == ski.as_slice(),
        _ => true,
    }
}

fn authorise_and_verify(
    crl: &CertificateRevocationList<'_>,
    issuer: &Cert,
    issuer_name: &str,
    signatures: &mut Budget,
) -> Result<(), RevocationError> {
    if issuer.key_usage.as_ref().is_some_and(|ku| !ku.crl_sign) {
        return Err(RevocationError::CrlIssuerNotAuthorized {
            issuer: issuer_name.to_owned(),
        });
    }
    let outer = AlgorithmId::from_x509(&crl.signature_algorithm);
    if outer != AlgorithmId::from_x509(&crl.tbs_cert_list.signature) {
        return Err(RevocationError::CrlMalformed {
            detail: "signatureAlgorithm differs from tbsCertList.signature".to_owned(),
        });
    }
    signatures.spend(1)?;
    let tbs = crl.tbs_cert_list.as_ref();
    let signature = &crl.signature_value.data;
    match signature::verify(&issuer.public_key, &outer, tbs, signature) {
        Ok(_) => Ok(()),
        Err(SignatureError::Invalid) => Err(RevocationError::CrlBadSignature {
            issuer: issuer_name.to_owned(),
        }),
        Err(other) => Err(RevocationError::UnsupportedSignature {
            detail: other.to_string(),
        }),
    }
}

/// Finds the certificate's serial among the revoked entries.
fn lookup(
    crl: &CertificateRevocationList<'_>,
    cert: &Cert,
    issuer: &str,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
) -> Result<Option<Answer>, RevocationError> {
    let serial = strip_zeros(&cert.serial);
    for entry in crl.iter_revoked_certificates() {
        if strip_zeros(entry.raw_serial()) != serial {
            continue;
        }
        for ext in entry.extensions() {
            let oid = ext.oid.to_id_string();
            if oid == CERTIFICATE_ISSUER {
                return Err(RevocationError::CrlUnsupported {
                    issuer: issuer.to_owned(),
                    what: "indirect CRL entry (certificateIssuer)".to_owned(),
                });
            }
            if ext.critical && oid != REASON_CODE && oid != INVALIDITY_DATE {
                return Err(RevocationError::CrlUnsupported {
                    issuer: issuer.to_owned(),
                    what: format!("critical entry extension {oid}"),
                });
            }
        }
        let reason = entry
            .reason_code()
            .and_then(|(_, code)| RevocationReason::from_code(code.0));
        if reason == Some(RevocationReason::RemoveFromCrl) {
            break;
        }
        return Ok(Some(Answer::Revoked {
            revoked_at: entry.revocation_date.to_datetime(),
            reason,
        }));
    }
    Ok(Some(Answer::Good {
        this_update,
        next_update,
    }))
}

/// An INTEGER's content bytes without leading zero octets, for serial comparison.
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

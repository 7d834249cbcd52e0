//! OCSP (RFC 6960): requests, and responses checked against one certificate.

use der::asn1::{Null, OctetString};
use der::oid::AssociatedOid;
use der::{Decode, Encode, Reader, SliceReader};
use ring::digest;
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::builder::OcspRequestBuilder;
use x509_ocsp::ext::Nonce;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspGeneralizedTime, OcspResponse, OcspResponseStatus,
    Request, ResponderId, SingleResponse,
};

use super::crl::strip_zeros;
use super::{Answer, RevocationError, RevocationReason, is_fresh};
use crate::limits::Budget;
use crate::pki::path::cert::Cert;
use crate::pki::path::name::Name;
use crate::pki::path::signature::{self, AlgorithmId, SignatureError};

/// Clock skew tolerated on OCSP thisUpdate/nextUpdate: 5 minutes, `openssl ocsp`'s default
/// `-validity_period` (MAX_VALIDITY_PERIOD in apps/ocsp.c). Responders stamp thisUpdate with
/// their own clock, which may run a little ahead of or behind ours.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

const ID_SHA1: &str = "1.3.14.3.2.26";
const ID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const ID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const ID_SHA512: &str = "2.16.840.1.101.3.4.2.3";
const EKU_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

/// Builds a DER `OCSPRequest` for `cert_der`, issued by `issuer_der`, with an optional nonce.
///
/// The CertID hashes the issuer's name and key with SHA-1, as RFC 5019 §2.1.1 requires of
/// clients and as every responder understands. That hash only identifies the certificate;
/// it is not a signature, so the "no SHA-1" rule does not apply to it.
pub fn ocsp_request(
    cert_der: &[u8],
    issuer_der: &[u8],
    nonce: Option<&[u8]>,
) -> Result<Vec<u8>, RevocationError> {
    let malformed = |detail: String| RevocationError::OcspMalformed { detail };
    let cert = crate::pki::path::memo::parse_cert(cert_der).map_err(malformed)?;
    let issuer = crate::pki::path::memo::parse_cert(issuer_der).map_err(malformed)?;
    build_request(&cert, &issuer, nonce)
}

pub(crate) fn build_request(
    cert: &Cert,
    issuer: &Cert,
    nonce: Option<&[u8]>,
) -> Result<Vec<u8>, RevocationError> {
    let encoding = |e: der::Error| RevocationError::OcspMalformed {
        detail: e.to_string(),
    };
    let sha1 = &digest::SHA1_FOR_LEGACY_USE_ONLY;
    let cert_id = CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: der::oid::ObjectIdentifier::new_unwrap(ID_SHA1),
            parameters: Some(Null.into()),
        },
        issuer_name_hash: OctetString::new(digest::digest(sha1, &cert.issuer.der).as_ref())
            .map_err(encoding)?,
        issuer_key_hash: OctetString::new(digest::digest(sha1, &issuer.public_key.key).as_ref())
            .map_err(encoding)?,
        serial_number: SerialNumber::new(&cert.serial).map_err(encoding)?,
    };
    let mut builder = OcspRequestBuilder::default().with_request(Request::new(cert_id));
    if let Some(nonce) = nonce {
        let nonce = Nonce::new(nonce).map_err(encoding)?;
        builder = builder
            .with_extension(nonce)
            .map_err(|e| RevocationError::OcspMalformed {
                detail: e.to_string(),
            })?;
    }
    builder.build().to_der().map_err(encoding)
}

/// What the OCSP response `der` says about `cert` (issued by `issuer`) at `at`; `Ok(None)` when
/// it holds no answer for this certificate.
pub(crate) fn check(
    der: &[u8],
    cert: &Cert,
    issuer: &Cert,
    at: OffsetDateTime,
    nonce: Option<&[u8]>,
    signatures: &mut Budget,
) -> Result<Option<Answer>, RevocationError> {
    let decoded = decode(der)?;
    let data = &decoded.basic.tbs_response_data;
    let Some(single) = data
        .responses
        .iter()
        .find(|r| cert_id_matches(&r.cert_id, cert, issuer))
    else {
        return Ok(None);
    };
    let responder = authorise(&decoded, issuer, signatures)?;
    verify_signature(&decoded, &responder, signatures)?;
    if let (Some(sent), Some(got)) = (nonce, data.nonce())
        && got.0.as_bytes() != sent
    {
        return Err(RevocationError::OcspNonceMismatch);
    }
    answer(single, &responder, at).map(Some)
}

/// A `BasicOCSPResponse`, typed, with the exact bytes that were signed and the certificates
/// it carries, both taken from the DER as received (never re-encoded).
struct Decoded {
    basic: BasicOcspResponse,
    tbs: Vec<u8>,
    certs: Vec<std::rc::Rc<Cert>>,
}

/// Decodes the outer `OCSPResponse` down to the `BasicOCSPResponse`.
fn decode(der: &[u8]) -> Result<Decoded, RevocationError> {
    let malformed = |e: der::Error| RevocationError::OcspMalformed {
        detail: e.to_string(),
    };
    let response = OcspResponse::from_der(der).map_err(malformed)?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(RevocationError::OcspResponderStatus {
            status: format!("{:?}", response.response_status),
        });
    }
    let bytes = response
        .response_bytes
        .ok_or_else(|| RevocationError::OcspMalformed {
            detail: "successful response without responseBytes".to_owned(),
        })?;
    if bytes.response_type != BasicOcspResponse::OID {
        return Err(RevocationError::OcspMalformed {
            detail: format!(
                "response type {} is not id-pkix-ocsp-basic",
                bytes.response_type
            ),
        });
    }
    let basic_der = bytes.response.as_bytes();
    let basic = BasicOcspResponse::from_der(basic_der).map_err(malformed)?;
    if basic.signature.unused_bits() != 0 {
        return Err(RevocationError::OcspMalformed {
            detail: "the signature BIT STRING has unused bits".to_owned(),
        });
    }
    let (tbs, raw_certs) = raw_parts(basic_der).map_err(malformed)?;
    // A certificate that does not parse cannot be the responder; it is skipped.
    let certs = raw_certs
        .into_iter()
        .filter_map(|c| crate::pki::path::memo::parse_cert(c).ok())
        .collect();
    Ok(Decoded {
        basic,
        tbs: tbs.to_vec(),
        certs,
    })
}

/// The raw `tbsResponseData` and the raw certificates of a `BasicOCSPResponse`:
/// `SEQUENCE { tbsResponseData, signatureAlgorithm, signature, [0] EXPLICIT SEQUENCE OF
/// Certificate OPTIONAL }`.
fn raw_parts(basic_der: &[u8]) -> der::Result<(&[u8], Vec<&[u8]>)> {
    let mut reader = SliceReader::new(basic_der)?;
    reader.sequence(|inner| {
        let tbs = inner.tlv_bytes()?;
        inner.tlv_bytes()?; // signatureAlgorithm
        inner.tlv_bytes()?; // signature
        let mut certs = Vec::new();
        if !inner.is_finished() {
            let tagged = der::Header::decode(inner)?;
            let certs_tag = der::Tag::ContextSpecific {
                constructed: true,
                number: der::TagNumber::N0,
            };
            if tagged.tag != certs_tag {
                return Err(der::ErrorKind::TagUnexpected {
                    expected: None,
                    actual: tagged.tag,
                }
                .into());
            }
            inner.read_nested(tagged.length, |explicit| {
                let list = der::Header::decode(explicit)?;
                explicit.read_nested(list.length, |list| {
                    while !list.is_finished() {
                        certs.push(list.tlv_bytes()?);
                    }
                    Ok(())
                })
            })?;
        }
        Ok((tbs, certs))
    })
}

fn cert_id_matches(id: &CertId, cert: &Cert, issuer: &Cert) -> bool {
    let algorithm = match id.hash_algorithm.oid.to_string().as_str() {
        ID_SHA1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        ID_SHA256 => &digest::SHA256,
        ID_SHA384 => &digest::SHA384,
        ID_SHA512 => &digest::SHA512,
        _ => return false,
    };
    let name_hash = digest::digest(algorithm, &cert.issuer.der);
    let key_hash = digest::digest(algorithm, &issuer.public_key.key);
    id.issuer_name_hash.as_bytes() == name_hash.as_ref()
        && id.issuer_key_hash.as_bytes() == key_hash.as_ref()
        && strip_zeros(id.serial_number.as_bytes()) == strip_zeros(&cert.serial)
}

/// The responder: the CA itself, or a certificate in the response issued by the CA for
/// OCSP signing (RFC 6960 §4.2.2.2).
#[derive(Debug)]
struct Responder {
    name: String,
    cert: Cert,
}

fn authorise(
    decoded: &Decoded,
    issuer: &Cert,
    signatures: &mut Budget,
) -> Result<Responder, RevocationError> {
    let id = &decoded.basic.tbs_response_data.responder_id;
    if responder_id_matches(id, issuer) {
        return Ok(Responder {
            name: issuer.subject.display.clone(),
            cert: issuer.clone(),
        });
    }
    let produced_at = to_time(&decoded.basic.tbs_response_data.produced_at);
    let mut named = None;
    for candidate in &decoded.certs {
        if !responder_id_matches(id, candidate) {
            continue;
        }
        if delegated_by(candidate, issuer, produced_at, signatures)? {
            return Ok(Responder {
                name: candidate.subject.display.clone(),
                cert: (**candidate).clone(),
            });
        }
        named = Some(candidate.subject.display.clone());
    }
    Err(RevocationError::OcspUnauthorizedResponder {
        responder: named.unwrap_or_else(|| responder_id_text(id)),
    })
}

/// Whether `candidate` was issued by `issuer` for OCSP signing and was valid at `produced_at`.
fn delegated_by(
    candidate: &Cert,
    issuer: &Cert,
    produced_at: OffsetDateTime,
    signatures: &mut Budget,
) -> Result<bool, RevocationError> {
    let has_eku = candidate
        .extended_key_usage
        .as_ref()
        .is_some_and(|ekus| ekus.iter().any(|e| e == EKU_OCSP_SIGNING));
    let valid = candidate.not_before <= produced_at && produced_at <= candidate.not_after;
    if !has_eku || !valid || !candidate.issuer.matches(&issuer.subject) {
        return Ok(false);
    }
    signatures.spend(1)?;
    let signed = signature::verify(
        &issuer.public_key,
        &candidate.signature_algorithm,
        &candidate.tbs,
        &candidate.signature,
    );
    Ok(signed.is_ok())
}

fn responder_id_matches(id: &ResponderId, cert: &Cert) -> bool {
    match id {
        ResponderId::ByName(name) => name
            .to_der()
            .ok()
            .and_then(|der| Name::from_der(&der))
            .is_some_and(|n| n.matches(&cert.subject)),
        ResponderId::ByKey(hash) => {
            let ours = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &cert.public_key.key);
            hash.as_bytes() == ours.as_ref()
        }
    }
}

fn responder_id_text(id: &ResponderId) -> String {
    match id {
        ResponderId::ByName(name) => name
            .to_der()
            .ok()
            .and_then(|der| Name::from_der(&der))
            .map(|n| n.display)
            .unwrap_or_else(|| "(unreadable responder name)".to_owned()),
        ResponderId::ByKey(hash) => {
            format!("key hash {}", crate::pki::path::cert::hex(hash.as_bytes()))
        }
    }
}

fn verify_signature(
    decoded: &Decoded,
    responder: &Responder,
    signatures: &mut Budget,
) -> Result<(), RevocationError> {
    let algorithm = AlgorithmId::from_spki(&decoded.basic.signature_algorithm);
    let signature = decoded.basic.signature.raw_bytes();
    signatures.spend(1)?;
    let key = &responder.cert.public_key;
    match signature::verify(key, &algorithm, &decoded.tbs, signature) {
        Ok(_) => Ok(()),
        Err(SignatureError::Invalid) => Err(RevocationError::OcspBadSignature {
            responder: responder.name.clone(),
        }),
        Err(other) => Err(RevocationError::UnsupportedSignature {
            detail: other.to_string(),
        }),
    }
}

fn answer(
    single: &SingleResponse,
    responder: &Responder,
    at: OffsetDateTime,
) -> Result<Answer, RevocationError> {
    let this_update = to_time(&single.this_update);
    let next_update = single.next_update.as_ref().map(to_time);
    if !is_fresh(this_update, next_update, at, CLOCK_SKEW) {
        return Err(RevocationError::OcspStale {
            this_update,
            next_update,
            at,
        });
    }
    match &single.cert_status {
        CertStatus::Good(_) => Ok(Answer::Good {
            this_update,
            next_update,
        }),
        CertStatus::Revoked(info) => Ok(Answer::Revoked {
            revoked_at: to_time(&info.revocation_time),
            reason: info
                .revocation_reason
                .and_then(|r| RevocationReason::from_code(r as u8)),
        }),
        CertStatus::Unknown(_) => Err(RevocationError::OcspCertUnknown {
            responder: responder.name.clone(),
        }),
    }
}

fn to_time(time: &OcspGeneralizedTime) -> OffsetDateTime {
    let secs = time.0.to_unix_duration().as_secs();
    // GeneralizedTime in der 0.7 is bounded to years 1970–9999, which fits in i64 seconds
    // and in OffsetDateTime's default range.
    i64::try_from(secs)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

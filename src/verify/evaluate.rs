//! Establish every fact about one signature: readable parts, coverage, CMS, timestamp, chain,
//! changes after it, permissions, PAdES level. Each fact is set on its own; the verdict is
//! derived later by [`SignatureStatus::judge`].

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::oid;
use crate::pdf::{Document, Object, PdfString};
use crate::pki::path::Purpose;
use crate::verify::chain::{self, EmbeddedIn, Evidence, TrustContext};
use crate::verify::cms::{self, AlgorithmProblem, Digest, SignedDataView};
use crate::verify::diff::{self, Change, ChangeKind, FieldLock};
use crate::verify::evidence;
use crate::verify::revision::{self, ByteRange, FoundSignature};
use crate::verify::status::{
    ChangeNote, DigestMatches, Identity, PadesLevel, Proofs, SignatureKind, SignatureStatus,
    TimestampFacts, Trust,
};
use crate::verify::timestamp::{self, TokenCheck};

/// What every signature of one document is judged against.
pub struct DocumentContext<'a> {
    /// The document.
    pub document: &'a Document,
    /// Anchors, revocation policy, cache, network.
    pub trust: &'a TrustContext,
    /// The validation time (`--at`, default now).
    pub at: OffsetDateTime,
    /// What the newest DSS holds.
    pub dss: evidence::DssFacts,
    /// Certification signatures: (revision they were made in, P).
    pub certifications: Vec<(usize, u8)>,
    /// Document timestamps that verify and are trusted: (revision, genTime).
    pub valid_document_timestamps: Vec<(usize, OffsetDateTime)>,
    /// The file's SHA-256 with its prefix states, which signed-range digests resume from.
    pub file_digest: &'a revision::FileDigest,
}

/// The parts every evaluation starts from.
struct Parts {
    status: SignatureStatus,
    range: ByteRange,
    der: Vec<u8>,
}

/// All the facts about `found`.
pub fn evaluate(found: &FoundSignature, context: &DocumentContext<'_>) -> SignatureStatus {
    let parts = match read_parts(found, context.document) {
        Ok(parts) => parts,
        Err(status) => return *status,
    };
    match found.kind {
        SignatureKind::DocumentTimestamp => document_timestamp(found, parts, context),
        _ => signature(found, parts, context),
    }
}

/// `/Contents`, `/ByteRange` and the DER inside; any of them unusable makes it malformed.
fn read_parts(found: &FoundSignature, document: &Document) -> Result<Parts, Box<SignatureStatus>> {
    let malformed = |reason: String| {
        let mut status = SignatureStatus::malformed(found.field.clone(), found.kind, reason);
        status.sub_filter = found.sub_filter();
        Box::new(status)
    };
    let contents = revision::contents(&found.dict).map_err(|e| malformed(e.to_string()))?;
    let range = revision::byte_range(&found.dict, document.bytes().len())
        .map_err(|e| malformed(e.to_string()))?;
    let Some((der, dirty_tail)) = revision::der_element(&contents) else {
        return Err(malformed(
            "/Contents không phải DER đọc được (undecodable CMS)".into(),
        ));
    };
    let mut status = SignatureStatus::malformed(found.field.clone(), found.kind, "");
    status.malformed = None;
    status.sub_filter = found.sub_filter();
    status.claimed_time = found
        .dict
        .get("M")
        .and_then(Object::as_string)
        .and_then(pdf_date);
    if found.orphan {
        status.notes.push(
            "trường chữ ký không có trong /AcroForm /Fields: trình đọc theo chuẩn PDF không hiển thị nó \
             (the signature field is not listed in /AcroForm /Fields; viewers that follow the standard do not show it)"
                .into(),
        );
    }
    if dirty_tail {
        status
            .notes
            .push("/Contents có dữ liệu khác 0 sau CMS (data after the CMS in /Contents)".into());
    }
    Ok(Parts {
        status,
        range,
        der: der.to_vec(),
    })
}

fn signature(
    found: &FoundSignature,
    parts: Parts,
    context: &DocumentContext<'_>,
) -> SignatureStatus {
    let Parts {
        mut status,
        range,
        der,
    } = parts;
    let view = match cms::parse(&der) {
        Ok(view) => view,
        Err(error) => {
            status.malformed = Some(format!("CMS không đọc được: {error}"));
            return status;
        }
    };
    let digest = content_digest(&view, &range, context);
    let facts = cms::check(&view, digest.as_deref());
    status.digest_algorithm = Some(match &facts.digest {
        Ok(d) => d.name().to_owned(),
        Err(AlgorithmProblem::WeakDigest(name)) => (*name).to_owned(),
        Err(_) => view.signer.digest_algorithm.to_string(),
    });
    status.signature_algorithm = Some(signature_algorithm_name(&view));
    status.signing_time_attribute = facts.signing_time;
    status.intact = facts.digest_matches;
    if facts.digest_matches {
        status.proofs.digest = Some(DigestMatches::assertion());
    }
    status.crypto_problem = crypto_problem(&facts);
    let certificate = facts
        .signer_certificate
        .map(|index| view.certificates[index].clone());
    status.signer = certificate.as_deref().and_then(identity);
    cover_and_diff(found, &range, &mut status, context);

    let mut evidence = evidence::from_cms(&view, EmbeddedIn::Cms);
    evidence.extend(&context.dss.evidence);
    if let Some(token) = &facts.timestamp_token {
        let signature_value = view.signer.signature.clone();
        let check = timestamp::check_token(token, &|d: Digest| d.digest(&signature_value));
        status.timestamp = Some(timestamp_facts(&check, &evidence, context));
        if !check.intact {
            status.notes.extend(check.problems);
        }
    }
    let proven = proven_time(&status, context);
    status.validation_time = Some(proven);
    match &certificate {
        Some(der) => {
            let outcome = chain::evaluate(
                der,
                &evidence,
                proven,
                Purpose::DocumentSigning,
                context.trust,
            );
            status.revocation_detail = outcome.revocation_detail.clone();
            status.trust = outcome.trust;
            status.pades_level = pades_level(&status, &facts, outcome.revocation_from_dss, context);
        }
        None => {
            status.trust = Trust::Untrusted {
                reason: "CMS không chứa chứng thư của người ký".into(),
            };
        }
    }
    status
}

/// The digest of the signed ranges with the signer's algorithm; SHA-1 is computed too, so
/// that `intact` stays a fact even when the algorithm is refused.
fn content_digest(
    view: &SignedDataView,
    range: &ByteRange,
    context: &DocumentContext<'_>,
) -> Option<Vec<u8>> {
    let algorithm: &'static ring::digest::Algorithm = match view.digest() {
        Ok(digest) => digest.ring(),
        Err(AlgorithmProblem::WeakDigest(_)) => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        Err(_) => return None,
    };
    let bytes = context.document.bytes();
    Some(context.file_digest.ranges(algorithm, range, bytes))
}

fn crypto_problem(facts: &cms::CryptoFacts) -> Option<String> {
    let mut problems: Vec<String> = Vec::new();
    if let Err(problem) = &facts.signature {
        problems.push(problem.to_string());
    } else if let Err(problem) = &facts.digest {
        problems.push(problem.to_string());
    }
    if !facts.content_type_ok {
        problems.push("thuộc tính content-type thiếu hoặc sai".into());
    }
    if facts.signing_certificate_matches == Some(false) {
        problems.push(
            "thuộc tính ESS signing-certificate chỉ một chứng thư khác (certificate swapped)"
                .into(),
        );
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn signature_algorithm_name(view: &SignedDataView) -> String {
    let oid = view.signer.signature_algorithm;
    match oid {
        oid::RSA_ENCRYPTION => "RSA PKCS#1 v1.5".into(),
        oid::SHA256_WITH_RSA => "RSA PKCS#1 v1.5 with SHA-256".into(),
        oid::SHA384_WITH_RSA => "RSA PKCS#1 v1.5 with SHA-384".into(),
        oid::SHA512_WITH_RSA => "RSA PKCS#1 v1.5 with SHA-512".into(),
        oid::SHA1_WITH_RSA => "RSA PKCS#1 v1.5 with SHA-1".into(),
        oid::RSASSA_PSS => "RSASSA-PSS".into(),
        oid::ECDSA_SHA256 => "ECDSA with SHA-256".into(),
        oid::ECDSA_SHA384 => "ECDSA with SHA-384".into(),
        oid::ECDSA_SHA512 => "ECDSA with SHA-512".into(),
        other => other.to_string(),
    }
}

/// Coverage, then the changes after the signed revision and whether its permissions allow
/// them.
fn cover_and_diff(
    found: &FoundSignature,
    range: &ByteRange,
    status: &mut SignatureStatus,
    context: &DocumentContext<'_>,
) {
    let document = context.document;
    let coverage = revision::coverage(document, found, range);
    status.coverage = coverage.coverage;
    status.coverage_problem = coverage.problem;
    status.proofs = Proofs {
        coverage: coverage.proof,
        ..status.proofs
    };
    status.signed_revision = coverage.signed_revision;
    let base = coverage.signed_revision.unwrap_or(found.revision);
    let outcome = diff::analyse(document, base);
    status.modification = outcome.modification();
    status.changes = outcome.changes.iter().map(|c| c.vi.clone()).collect();
    status.change_notes = outcome.changes.iter().map(note).collect();
    let docmdp = docmdp_in_force(found, base, context);
    let lock = field_lock(found, document);
    let locked = |field: &str| lock.as_ref().is_some_and(|l| l.covers(field));
    let problems = diff::permissions(&outcome.changes, docmdp, &locked);
    status.permissions_ok = problems.is_empty();
    status.permission_problems = problems.iter().map(note).collect();
}

fn note(change: &Change) -> ChangeNote {
    ChangeNote {
        revision: change.revision,
        level: change.kind.level(),
        vi: change.vi.clone(),
        en: change.en.clone(),
    }
}

/// The strictest DocMDP level that governs changes after this signature: its own when it
/// certifies, an earlier certification's, a `/Lock /P` on its field (PDF 2.0).
fn docmdp_in_force(
    found: &FoundSignature,
    base: usize,
    context: &DocumentContext<'_>,
) -> Option<u8> {
    let own = match found.kind {
        SignatureKind::Certification { permission } => Some(permission),
        _ => None,
    };
    let earlier = context
        .certifications
        .iter()
        .filter(|(revision, _)| *revision < base)
        .map(|(_, p)| *p)
        .min();
    let lock_p = context
        .document
        .view_at(found.revision)
        .and_then(|view| match view.get(found.field_ref) {
            Ok(Object::Dict(field)) => field
                .get("Lock")
                .and_then(|l| view.resolve(l).ok())
                .and_then(|l| {
                    l.as_dict()
                        .and_then(|d| d.get("P"))
                        .and_then(Object::as_i64)
                }),
            _ => None,
        })
        .map(|p| p.clamp(1, 3) as u8);
    [own, earlier, lock_p].into_iter().flatten().min()
}

/// The FieldMDP lock: the signature's `/Reference` FieldMDP transform, else its field's
/// `/Lock`.
fn field_lock(found: &FoundSignature, document: &Document) -> Option<FieldLock> {
    let view = document.view_at(found.revision)?;
    if let Some(params) = revision::transform_params(&view, &found.dict, "FieldMDP") {
        return FieldLock::from_dict(&view, &params);
    }
    let Ok(Object::Dict(field)) = view.get(found.field_ref) else {
        return None;
    };
    match view.resolve(field.get("Lock")?).ok()? {
        Object::Dict(lock) => FieldLock::from_dict(&view, &lock),
        _ => None,
    }
}

fn timestamp_facts(
    check: &TokenCheck,
    evidence: &Evidence,
    context: &DocumentContext<'_>,
) -> TimestampFacts {
    let trust = match (&check.tsa_certificate, &check.view) {
        (Some(der), Some(view)) => {
            let mut pool = evidence::from_cms(view, EmbeddedIn::Timestamp);
            pool.extend(evidence);
            chain::evaluate(der, &pool, context.at, Purpose::TimeStamping, context.trust).trust
        }
        _ => Trust::Untrusted {
            reason: "dấu thời gian không chứa chứng thư của máy chủ cấp dấu thời gian".into(),
        },
    };
    TimestampFacts {
        time: check.time.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        intact: check.intact,
        trust,
    }
}

/// The proven signing time: the signature timestamp's when it verifies and its TSA is
/// trusted; else the earliest trusted document timestamp made after the signature; else the
/// validation time.
fn proven_time(status: &SignatureStatus, context: &DocumentContext<'_>) -> OffsetDateTime {
    if let Some(ts) = &status.timestamp
        && ts.intact
        && matches!(ts.trust, Trust::Trusted { .. })
    {
        return ts.time;
    }
    let base = status.signed_revision;
    context
        .valid_document_timestamps
        .iter()
        .filter(|(revision, _)| base.is_some_and(|b| *revision > b))
        .map(|(_, time)| *time)
        .min()
        .unwrap_or(context.at)
}

/// ETSI EN 319 142-1 baseline level reached: B-B (CAdES detached with the ESS signing
/// certificate), B-T (a valid signature timestamp or a later document timestamp), B-LT (the
/// DSS holds the revocation data the chain needed), B-LTA (a document timestamp over that DSS:
/// in its revision or a later one, since a document timestamp signs the whole revision it is
/// in; pyHanko writes the DSS and the timestamp in one update).
fn pades_level(
    status: &SignatureStatus,
    facts: &cms::CryptoFacts,
    revocation_from_dss: bool,
    context: &DocumentContext<'_>,
) -> PadesLevel {
    let cades = status.sub_filter.as_deref() == Some("ETSI.CAdES.detached");
    if !cades || facts.signing_certificate_matches != Some(true) {
        return PadesLevel::NotPades;
    }
    let base = status.signed_revision.unwrap_or(usize::MAX);
    let later_dts: Vec<usize> = context
        .valid_document_timestamps
        .iter()
        .map(|(revision, _)| *revision)
        .filter(|revision| *revision > base)
        .collect();
    let timestamped = status
        .timestamp
        .as_ref()
        .is_some_and(|ts| ts.intact && matches!(ts.trust, Trust::Trusted { .. }))
        || !later_dts.is_empty();
    if !timestamped {
        return PadesLevel::BB;
    }
    if !revocation_from_dss || !matches!(status.trust, Trust::Trusted { .. }) {
        return PadesLevel::BT;
    }
    let dss_from = context.dss.first_revision.unwrap_or(usize::MAX);
    if later_dts.iter().any(|revision| *revision >= dss_from) {
        PadesLevel::BLta
    } else {
        PadesLevel::BLt
    }
}

fn document_timestamp(
    found: &FoundSignature,
    parts: Parts,
    context: &DocumentContext<'_>,
) -> SignatureStatus {
    let Parts {
        mut status,
        range,
        der,
    } = parts;
    if let Err(error) = cms::parse(&der) {
        status.malformed = Some(format!("dấu thời gian không đọc được: {error}"));
        return status;
    }
    let bytes = context.document.bytes();
    let check = timestamp::check_token(&der, &|d: Digest| {
        context.file_digest.ranges(d.ring(), &range, bytes)
    });
    status.intact = check.imprint_matches;
    if check.imprint_matches {
        status.proofs.digest = Some(DigestMatches::assertion());
    }
    if !check.cms_valid {
        status.crypto_problem = Some(check.problems.join("; "));
    }
    if let Some(view) = &check.view {
        status.digest_algorithm = view.digest().ok().map(|d| d.name().to_owned());
        status.signature_algorithm = Some(signature_algorithm_name(view));
    }
    status.signer = check.tsa_certificate.as_deref().and_then(identity);
    cover_and_diff(found, &range, &mut status, context);
    let facts = timestamp_facts(&check, &context.dss.evidence, context);
    status.trust = facts.trust.clone();
    status.validation_time = Some(context.at);
    status.pades_level = if check.intact {
        PadesLevel::BLta
    } else {
        PadesLevel::NotPades
    };
    status.timestamp = Some(facts);
    status
}

/// Check a document timestamp quickly, for the other signatures' proven time and level.
pub fn document_timestamp_time(
    found: &FoundSignature,
    context: &DocumentContext<'_>,
) -> Option<OffsetDateTime> {
    let status = evaluate(found, context);
    status
        .verdict()
        .passes()
        .then(|| status.timestamp.map(|t| t.time))
        .flatten()
}

/// The signer as the certificate's subject names them.
pub fn identity(der: &[u8]) -> Option<Identity> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let subject = cert.subject();
    let first = |values: Vec<String>| values.into_iter().next();
    let texts = |oid: &x509_parser::der_parser::oid::Oid<'_>| -> Vec<String> {
        subject
            .iter_by_oid(oid)
            .filter_map(|attribute| attribute.as_str().ok().map(str::to_owned))
            .collect()
    };
    let uid_oid = x509_parser::der_parser::oid!(0.9.2342.19200300.100.1.1);
    let serial_oid = x509_parser::der_parser::oid!(2.5.4.5);
    let mut uids = texts(&uid_oid);
    uids.extend(
        texts(&serial_oid)
            .into_iter()
            .filter(|value| has_vietnamese_id_prefix(value)),
    );
    let issuer = cert
        .issuer()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok().map(str::to_owned))
        .unwrap_or_else(|| cert.issuer().to_string());
    Some(Identity {
        name: first(
            subject
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
                .collect(),
        ),
        uid: (!uids.is_empty()).then(|| uids.join(", ")),
        organization: first(
            subject
                .iter_organization()
                .filter_map(|o| o.as_str().ok().map(str::to_owned))
                .collect(),
        ),
        issuer,
        serial: cert
            .tbs_certificate
            .raw_serial()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

/// CCCD (căn cước công dân), CMND (chứng minh nhân dân), MST (mã số thuế), MNS (mã ngân sách),
/// HC (hộ chiếu), as Vietnamese CAs prefix the identifier.
fn has_vietnamese_id_prefix(value: &str) -> bool {
    ["CCCD:", "CMND:", "MST:", "MNS:", "HC:", "CCCD/", "CMND/"]
        .iter()
        .any(|prefix| value.to_ascii_uppercase().starts_with(prefix))
}

/// A PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4); missing parts default as the
/// standard says (month and day 1, the rest 0, UTC).
pub fn pdf_date(string: &PdfString) -> Option<OffsetDateTime> {
    let text = string.to_text();
    let text = text.strip_prefix("D:").unwrap_or(&text);
    let digits = |from: usize, len: usize, default: u32| -> Option<u32> {
        match text.get(from..from + len) {
            Some(part) if part.bytes().all(|b| b.is_ascii_digit()) => part.parse().ok(),
            Some(_) => None,
            None => Some(default),
        }
    };
    let year = digits(0, 4, 0)? as i32;
    let month = time::Month::try_from(digits(4, 2, 1)? as u8).ok()?;
    let day = digits(6, 2, 1)? as u8;
    let (hour, minute, second) = (digits(8, 2, 0)?, digits(10, 2, 0)?, digits(12, 2, 0)?);
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(hour as u8, minute as u8, second as u8).ok()?;
    let offset = pdf_offset(text.get(14..).unwrap_or(""))?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

fn pdf_offset(rest: &str) -> Option<time::UtcOffset> {
    let mut chars = rest.chars();
    let sign = match chars.next() {
        None | Some('Z') => return Some(time::UtcOffset::UTC),
        Some('+') => 1,
        Some('-') => -1,
        Some(_) => return None,
    };
    let numbers: String = chars.filter(char::is_ascii_digit).collect();
    let hours: i8 = numbers.get(0..2).and_then(|h| h.parse().ok()).unwrap_or(0);
    let minutes: i8 = numbers.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
    time::UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// Unused-variable guard for kinds the status reports but the evaluation does not branch on.
#[allow(dead_code)]
fn _kinds(kind: &ChangeKind) -> bool {
    matches!(kind, ChangeKind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_with_and_without_offsets() {
        let date = |s: &str| pdf_date(&PdfString::literal(s.as_bytes().to_vec()));
        assert_eq!(
            date("D:20200320143005+07'00'"),
            Some(time::macros::datetime!(2020-03-20 14:30:05 +07:00))
        );
        assert_eq!(
            date("D:20200320143005Z"),
            Some(time::macros::datetime!(2020-03-20 14:30:05 UTC))
        );
        assert_eq!(
            date("D:2020"),
            Some(time::macros::datetime!(2020-01-01 00:00:00 UTC))
        );
        assert_eq!(date("D:2020AB"), None);
    }

    #[test]
    fn vietnamese_id_prefixes() {
        assert!(has_vietnamese_id_prefix("CCCD:001085012345"));
        assert!(has_vietnamese_id_prefix("mst:3600123456"));
        assert!(!has_vietnamese_id_prefix("123456"));
    }
}

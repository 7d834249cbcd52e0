//! Validation data the document carries: certificates, CRLs and OCSP responses from the CMS
//! (the `certificates` and `crls` fields, Adobe's revocationInfoArchival signed attribute) and
//! from the document security store (`/DSS`, ETSI EN 319 142-1 §5.4).

use der::asn1::ObjectIdentifier;
use der::{Any, Decode, Encode, Reader, SliceReader, Tag, Tagged};

use crate::oid;
use crate::pdf::{Document, Object, View};
use crate::verify::chain::{EmbeddedIn, Evidence};
use crate::verify::cms::SignedDataView;

/// Most objects read from each DSS array: 1,000 (ten signers' chains, CRLs and OCSP responses
/// are under a hundred).
pub const MAX_DSS_ITEMS: usize = 1_000;

/// Largest DSS stream decoded: 16 MiB (the largest Vietnamese public-CA CRLs are a few MB).
pub const MAX_DSS_STREAM_BYTES: usize = 16 * 1024 * 1024;

/// id-ri-ocsp-response (RFC 5940): an OCSP response in CMS `crls` as
/// OtherRevocationInfoFormat.
const OCSP_RESPONSE_FORMAT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");

/// The DSS of the newest revision, and the first revision that has one.
#[derive(Debug, Clone, Default)]
pub struct DssFacts {
    /// What it holds.
    pub evidence: Evidence,
    /// The first revision whose catalog has `/DSS`.
    pub first_revision: Option<usize>,
}

/// Read the newest `/DSS`.
pub fn read_dss(document: &Document) -> DssFacts {
    let view = document.view();
    let mut facts = DssFacts {
        first_revision: (0..document.revisions().len()).find(|&index| {
            document
                .view_at(index)
                .and_then(|v| v.catalog().ok())
                .is_some_and(|catalog| catalog.contains_key("DSS"))
        }),
        ..DssFacts::default()
    };
    let Some(dss) = view
        .catalog()
        .ok()
        .and_then(|catalog| catalog.get("DSS").cloned())
        .and_then(|dss| view.resolve(&dss).ok())
    else {
        return facts;
    };
    let Some(dss) = dss.as_dict() else {
        return facts;
    };
    facts.evidence.certificates = streams(&view, dss.get("Certs"));
    facts.evidence.crls = streams(&view, dss.get("CRLs"))
        .into_iter()
        .map(|der| (der, EmbeddedIn::Dss))
        .collect();
    facts.evidence.ocsp_responses = streams(&view, dss.get("OCSPs"))
        .into_iter()
        .map(|der| (der, EmbeddedIn::Dss))
        .collect();
    facts
}

fn streams(view: &View<'_>, value: Option<&Object>) -> Vec<Vec<u8>> {
    let Some(items) = value
        .and_then(|v| view.resolve(v).ok())
        .and_then(|v| v.as_array().map(<[Object]>::to_vec))
    else {
        return Vec::new();
    };
    items
        .iter()
        .take(MAX_DSS_ITEMS)
        .filter_map(|item| match view.resolve(item).ok()? {
            Object::Stream(stream) => view.decode_with_limit(&stream, MAX_DSS_STREAM_BYTES).ok(),
            _ => None,
        })
        .collect()
}

/// The certificates and revocation data inside a CMS.
pub fn from_cms(view: &SignedDataView, place: EmbeddedIn) -> Evidence {
    let mut evidence = Evidence {
        certificates: view.certificates.clone(),
        ..Evidence::default()
    };
    for choice in &view.crls {
        match revocation_choice(choice) {
            Some(Choice::Crl(der)) => evidence.crls.push((der, place)),
            Some(Choice::Ocsp(der)) => evidence.ocsp_responses.push((der, place)),
            None => {}
        }
    }
    if let Some(value) = view.signer.signed(oid::ADBE_REVOCATION_INFO_ARCHIVAL) {
        let (crls, ocsps) = revocation_info_archival(value);
        evidence.crls.extend(crls.into_iter().map(|d| (d, place)));
        evidence
            .ocsp_responses
            .extend(ocsps.into_iter().map(|d| (d, place)));
    }
    evidence
}

enum Choice {
    Crl(Vec<u8>),
    Ocsp(Vec<u8>),
}

/// A RevocationInfoChoice: a CertificateList, or `[1]` OtherRevocationInfoFormat holding an
/// OCSP response.
fn revocation_choice(der: &[u8]) -> Option<Choice> {
    let any = Any::from_der(der).ok()?;
    if any.tag() == Tag::Sequence {
        return Some(Choice::Crl(der.to_vec()));
    }
    let mut reader = SliceReader::new(any.value()).ok()?;
    let format = ObjectIdentifier::decode(&mut reader).ok()?;
    let info = Any::decode(&mut reader).ok()?;
    (format == OCSP_RESPONSE_FORMAT)
        .then(|| info.to_der().ok())
        .flatten()
        .map(Choice::Ocsp)
}

/// `RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
/// ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] … }` (Adobe, PDF
/// 1.6 signatures).
fn revocation_info_archival(value: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut crls = Vec::new();
    let mut ocsps = Vec::new();
    let Ok(outer) = Any::from_der(value) else {
        return (crls, ocsps);
    };
    let Ok(mut reader) = SliceReader::new(outer.value()) else {
        return (crls, ocsps);
    };
    while !reader.is_finished() {
        let Ok(field) = Any::decode(&mut reader) else {
            break;
        };
        let number = match field.tag() {
            Tag::ContextSpecific { number, .. } => number.value(),
            _ => continue,
        };
        let items = children(&field);
        match number {
            0 => crls.extend(items),
            1 => ocsps.extend(items),
            _ => {}
        }
    }
    (crls, ocsps)
}

/// The DER of each element of the SEQUENCE OF inside an explicit tag.
fn children(explicit: &Any) -> Vec<Vec<u8>> {
    let Ok(sequence) = Any::from_der(explicit.value()) else {
        return Vec::new();
    };
    let Ok(mut reader) = SliceReader::new(sequence.value()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while !reader.is_finished() && out.len() < MAX_DSS_ITEMS {
        match Any::decode(&mut reader).and_then(|item| item.to_der()) {
            Ok(der) => out.push(der),
            Err(_) => break,
        }
    }
    out
}

//! Long-term validation material (PAdES B-LT, B-LTA): the Document Security Store and
//! document timestamps, each in its own incremental update after the signature.
//!
//! - [`add_dss`]: the catalog's `/DSS` with `/Certs`, `/CRLs` and `/OCSPs` (one stream per
//!   DER object, merged with a DSS already there, duplicates dropped) and a `/VRI` entry per
//!   signature, keyed by the upper-case hex SHA-1 of its `/Contents` (ETSI EN 319 142-1 §5.4).
//!   A verifier can then check the certificates and their revocation status as they were,
//!   without fetching anything.
//! - [`add_document_timestamp`]: an invisible signature field whose value is a
//!   `/DocTimeStamp` (SubFilter `ETSI.RFC3161`): an RFC 3161 token over the byte ranges of the
//!   whole file, DSS included (B-LTA).
//!
//! The material comes from the signer's own path validation ([`ValidatedPath`]: the path's
//! certificates and the CRL or OCSP response behind each status) and from the signature
//! timestamp's certificates.

use std::collections::HashSet;

use der::{Any, Decode, Encode, SliceReader, Tag, TagNumber};
use time::OffsetDateTime;

use crate::pdf::{Dict, Document, IncrementalWriter, Name, ObjRef, Object, Stream};
use crate::pki::path::{PathRequest, Purpose, ValidatedPath};
use crate::pki::revocation::{EvidenceKind, RevocationOptions, RevocationStatus};
use crate::pki::trust::TrustStore;
use crate::sign::cms::DigestAlgorithm;
use crate::sign::error::SignError;
use crate::sign::fields::{self, Change};
use crate::sign::font::dict;
use crate::sign::pades::{TIMESTAMP_ESTIMATE, new_invisible_field};

/// Most items of each kind written into one DSS: 1,000 (a real one has a dozen).
const MAX_DSS_ITEMS: usize = 1_000;

/// Certificates, CRLs and OCSP responses (DER) for a DSS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationMaterial {
    /// Certificates.
    pub certs: Vec<Vec<u8>>,
    /// CRLs.
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (`OCSPResponse`).
    pub ocsps: Vec<Vec<u8>>,
}

impl ValidationMaterial {
    /// The certificates of a validated path and the evidence behind each revocation status.
    pub fn add_path(&mut self, path: &ValidatedPath) {
        self.add_certificates(path.certificates_der().into_iter().map(<[u8]>::to_vec));
        for facts in &path.revocation {
            let source = match &facts.status {
                RevocationStatus::Good { source, .. }
                | RevocationStatus::RevokedAfter { source, .. } => source,
                _ => continue,
            };
            let Some(evidence) = facts.evidence.clone() else {
                continue;
            };
            match source.kind {
                EvidenceKind::Crl => push_unique(&mut self.crls, evidence),
                EvidenceKind::Ocsp => push_unique(&mut self.ocsps, evidence),
            }
        }
    }

    /// Add certificates (duplicates dropped).
    pub fn add_certificates(&mut self, certificates: impl IntoIterator<Item = Vec<u8>>) {
        for cert in certificates {
            push_unique(&mut self.certs, cert);
        }
    }

    /// Validate the TSA's certificate of a timestamp token (purpose time-stamping) and add its
    /// path and evidence; when it does not validate (the TSA's root is not among the anchors),
    /// add the token's certificates alone.
    pub fn add_timestamp_path(
        &mut self,
        token: &[u8],
        anchors: &TrustStore,
        revocation: &RevocationOptions,
        at: OffsetDateTime,
    ) {
        let certificates = token_certificates(token);
        let Some(leaf) = certificates.first() else {
            return;
        };
        let path = PathRequest::new(leaf, anchors, at)
            .with_pool(certificates.iter().skip(1).map(Vec::as_slice))
            .with_purpose(Purpose::TimeStamping)
            .with_revocation(revocation)
            .validate();
        match path {
            Ok(path) => self.add_path(&path),
            Err(_) => self.add_certificates(certificates),
        }
    }
}

fn push_unique(list: &mut Vec<Vec<u8>>, item: Vec<u8>) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The certificates inside an RFC 3161 token (a SignedData), read leniently: the set may
/// repeat the TSA certificate, which strict DER decoding refuses. The TSA's own certificate
/// comes first when it can be told apart (it is the one with the timeStamping EKU).
pub fn token_certificates(token: &[u8]) -> Vec<Vec<u8>> {
    let read = || -> Result<Vec<Vec<u8>>, der::Error> {
        let info = cms::content_info::ContentInfo::from_der(token)?;
        let mut reader = SliceReader::new(info.content.value())?;
        let _version = Any::decode(&mut reader)?;
        let _digests = Any::decode(&mut reader)?;
        let _content = Any::decode(&mut reader)?;
        let next = Any::decode(&mut reader)?;
        let certificates_tag = Tag::ContextSpecific {
            constructed: true,
            number: TagNumber::N0,
        };
        if der::Tagged::tag(&next) != certificates_tag {
            return Ok(Vec::new());
        }
        let mut inner = SliceReader::new(next.value())?;
        let mut out = Vec::new();
        while !der::Reader::is_finished(&inner) {
            let cert = Any::decode(&mut inner)?;
            let der = cert.to_der()?;
            if !out.contains(&der) {
                out.push(der);
            }
        }
        Ok(out)
    };
    let mut certificates = read().unwrap_or_default();
    if let Some(index) = certificates.iter().position(|c| is_tsa(c)) {
        let tsa = certificates.remove(index);
        certificates.insert(0, tsa);
    }
    certificates
}

fn is_tsa(der: &[u8]) -> bool {
    x509_parser::parse_x509_certificate(der).is_ok_and(|(_, cert)| {
        cert.extended_key_usage()
            .ok()
            .flatten()
            .is_some_and(|eku| eku.value.time_stamping)
    })
}

/// Add (or extend) the DSS with `material` and a VRI entry for each signature whose
/// `/Contents` bytes (padding included) are given.
pub fn add_dss(
    pdf: Vec<u8>,
    signatures: &[Vec<u8>],
    material: &ValidationMaterial,
) -> Result<Vec<u8>, SignError> {
    let doc = Document::load(pdf)?;
    fields::check(&doc, Change::LongTerm)?;
    let view = doc.view();
    let catalog_ref = doc
        .trailer()
        .get("Root")
        .and_then(Object::as_reference)
        .ok_or(SignError::Missing("the trailer's /Root"))?;
    let mut catalog = doc.catalog()?;
    let mut dss = match catalog.get("DSS") {
        Some(value) => match view.resolve(value)? {
            Object::Dict(d) => d,
            _ => Dict::new(),
        },
        None => Dict::new(),
    };
    let mut writer = IncrementalWriter::new(&doc)?;
    let certs = merge(&doc, &mut writer, &dss, "Certs", &material.certs)?;
    let crls = merge(&doc, &mut writer, &dss, "CRLs", &material.crls)?;
    let ocsps = merge(&doc, &mut writer, &dss, "OCSPs", &material.ocsps)?;
    let mut vri = match dss.get("VRI") {
        Some(value) => match view.resolve(value)? {
            Object::Dict(d) => d,
            _ => Dict::new(),
        },
        None => Dict::new(),
    };
    for contents in signatures {
        let key = vri_key(contents);
        let refs = |list: &[ObjRef]| Object::Array(list.iter().map(|r| Object::Ref(*r)).collect());
        let entry = dict([
            ("Cert", refs(&certs)),
            ("CRL", refs(&crls)),
            ("OCSP", refs(&ocsps)),
        ]);
        vri.insert(Name::from(key.as_str()), Object::Dict(entry));
    }
    let list = |refs: Vec<ObjRef>| Object::Array(refs.into_iter().map(Object::Ref).collect());
    dss.insert("Type", Object::name("DSS"));
    dss.insert("Certs", list(certs));
    dss.insert("CRLs", list(crls));
    dss.insert("OCSPs", list(ocsps));
    if !vri.is_empty() {
        dss.insert("VRI", Object::Dict(vri));
    }
    let dss_ref = writer.add(Object::Dict(dss))?;
    catalog.insert("DSS", Object::Ref(dss_ref));
    writer.set(catalog_ref, catalog)?;
    Ok(writer.finish()?.bytes)
}

/// The `/VRI` key of a signature: upper-case hex SHA-1 of its `/Contents` bytes.
pub fn vri_key(contents: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, contents);
    digest.as_ref().iter().map(|b| format!("{b:02X}")).collect()
}

/// The references of `key` in the old DSS plus a new stream for each item not already there.
fn merge(
    doc: &Document,
    writer: &mut IncrementalWriter<'_>,
    dss: &Dict,
    key: &str,
    items: &[Vec<u8>],
) -> Result<Vec<ObjRef>, SignError> {
    let view = doc.view();
    let mut refs = Vec::new();
    let mut seen = HashSet::new();
    if let Some(old) = dss.get(key) {
        for item in view.resolve(old)?.as_array().unwrap_or_default() {
            let Some(reference) = item.as_reference() else {
                continue;
            };
            if let Object::Stream(stream) = view.get(reference)? {
                seen.insert(view.decode(&stream)?);
            }
            refs.push(reference);
        }
    }
    for item in items.iter().take(MAX_DSS_ITEMS) {
        if seen.insert(item.clone()) {
            refs.push(writer.add(Stream::flate(Dict::new(), item))?);
        }
    }
    Ok(refs)
}

/// Add a document timestamp (B-LTA) from the TSA at `url` in a new invisible field.
pub fn add_document_timestamp(
    pdf: Vec<u8>,
    url: &str,
    digest: DigestAlgorithm,
) -> Result<Vec<u8>, SignError> {
    let mut pdf = pdf;
    let mut capacity = TIMESTAMP_ESTIMATE + 1024;
    for _ in 0..2 {
        let doc = Document::load(pdf)?;
        fields::check(&doc, Change::LongTerm)?;
        let name = timestamp_field_name(&doc)?;
        let mut writer = IncrementalWriter::new(&doc)?;
        let sig = dict([
            ("Type", Object::name("DocTimeStamp")),
            ("Filter", Object::name("Adobe.PPKLite")),
            ("SubFilter", Object::name("ETSI.RFC3161")),
        ]);
        let reference = writer.add_signature(sig, capacity)?;
        new_invisible_field(&doc, &mut writer, &name, 0, reference)?;
        let update = writer.finish()?;
        let original_len = update.original_len;
        let mut bytes = update.bytes;
        let slot = update
            .signature
            .ok_or(SignError::Missing("the timestamp placeholder"))?;
        slot.patch_byte_range(&mut bytes)?;
        let mut context = ring::digest::Context::new(digest.ring());
        for part in slot.signed_data(&bytes) {
            context.update(part);
        }
        let imprint = context.finish();
        let token = crate::sign::tsa::timestamp(url, digest, imprint.as_ref())?;
        if token.len() > slot.capacity() {
            capacity = (token.len() + 2048).div_ceil(1024) * 1024;
            bytes.truncate(original_len);
            pdf = bytes;
            continue;
        }
        slot.patch_contents(&mut bytes, &token)?;
        return Ok(bytes);
    }
    Err(SignError::Missing(
        "a reservation large enough for the timestamp",
    ))
}

/// `vanban_dts1`, `vanban_dts2`, … : the first name not taken.
fn timestamp_field_name(doc: &Document) -> Result<String, SignError> {
    let taken: HashSet<String> = doc.fields()?.into_iter().map(|f| f.name).collect();
    Ok((1..)
        .map(|n| format!("vanban_dts{n}"))
        .find(|name| !taken.contains(name))
        .unwrap_or_else(|| "vanban_dts".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vri_keys_are_upper_hex_sha1() {
        assert_eq!(vri_key(b"abc"), "A9993E364706816ABA3E25717850C26C9CD0D89D");
    }

    #[test]
    fn token_certificates_of_garbage_is_empty() {
        assert!(token_certificates(b"\x30\x00").is_empty());
    }
}

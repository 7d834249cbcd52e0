//! PAdES baseline signatures (ETSI EN 319 142-1) in stages, each a type (STYLE.md habit 6).
//!
//! ```text
//!  PDF bytes ──prepare──► Prepared ──digest──► Digested ──embed(signature)──► Signed ──► PDF
//!            (field, sig dict,      (byte-range    (CMS SignedData,          (B-LT: DSS,
//!             placeholders,          digest, signed  RFC 3161 timestamp       B-LTA: document
//!             appearance, DocMDP)    attributes)     for B-T, /Contents)      timestamp)
//! ```
//!
//! - [`prepare`] checks what earlier signatures allow ([`crate::sign::fields::check`]),
//!   appends one incremental update with the signature dictionary (SubFilter
//!   `ETSI.CAdES.detached`, the signing time in `/M`, a DocMDP `/Reference` and the catalog's
//!   `/Perms` for a certification signature), the field's `/V` and its appearance, and writes
//!   the `/ByteRange`. A signed revision is never rewritten: the original bytes are the
//!   prefix of every output.
//! - [`Prepared::digest`] hashes the two byte ranges once and builds the signed attributes
//!   (content-type, message-digest, signing-certificate-v2). [`Digested::to_be_signed`] is
//!   what the key signs; an external signer gets its digest ([`Digested::to_be_signed_digest`]),
//!   and [`Digested::to_state`] saves everything needed to finish after a restart
//!   ([`crate::sign::external`]).
//! - [`Digested::embed`] checks the signature value against the certificate, completes the
//!   CMS, adds the signature timestamp for B-T and above, and writes `/Contents`. If the CMS
//!   does not fit the reservation the result is [`SignError::ContentsTooSmall`] and nothing is
//!   written; [`sign`] then prepares again with the measured size.
//! - [`Signed::finish`] adds the long-term material: a DSS with certificates, CRLs and OCSP
//!   responses (B-LT), then a document timestamp (B-LTA).
//!
//! [`sign`] runs all stages with a [`Signer`], after validating the signer's certificate at
//! the signing time ([`CertificateCheck`]): Thông tư 15/2025 asks signing software to refuse
//! an expired, revoked or not-yet-valid certificate, and one without digitalSignature or
//! nonRepudiation.

use std::fmt;
use std::str::FromStr;

use der::Decode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::pdf::{
    Dict, Document, IncrementalWriter, ObjRef, Object, PdfString, SignaturePlaceholder,
};
use crate::pki::external::ExternalRequest;
use crate::pki::path::{PathRequest, Purpose, ValidatedPath};
use crate::pki::revocation::RevocationOptions;
use crate::pki::trust::TrustStore;
use crate::pki::{SignatureAlgorithm, Signer};
use crate::sign::appearance::{Appearance, add_appearance};
use crate::sign::cms::{DigestAlgorithm, SignatureScheme, SignedAttributes};
use crate::sign::error::SignError;
use crate::sign::fields::{self, Change};
use crate::sign::fill::rect;
use crate::sign::font::dict;
use crate::sign::ltv::{self, ValidationMaterial};

/// Bytes of CMS structure around the certificates and the signature value: version,
/// algorithm identifiers, signed attributes (about 250 bytes with SHA-512), issuer and serial.
const CMS_OVERHEAD: usize = 1_500;

/// Room for one RFC 3161 timestamp token when its size is not yet known: 7 KiB. A token from
/// OpenSSL with its certificate is about 1.5 KB; Vietnamese public TSAs send their whole chain
/// (three RSA-2048 certificates, about 5 KB).
pub const TIMESTAMP_ESTIMATE: usize = 7 * 1024;

/// The PAdES baseline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// B-B: the signature alone.
    BB,
    /// B-T: with an RFC 3161 signature timestamp.
    BT,
    /// B-LT: B-T plus a DSS with the validation material.
    BLT,
    /// B-LTA: B-LT plus a document timestamp over it.
    BLTA,
}

impl Level {
    /// The name ETSI uses ("B-LT").
    pub fn name(self) -> &'static str {
        match self {
            Level::BB => "B-B",
            Level::BT => "B-T",
            Level::BLT => "B-LT",
            Level::BLTA => "B-LTA",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_uppercase().as_str() {
            "B-B" | "BB" => Ok(Level::BB),
            "B-T" | "BT" => Ok(Level::BT),
            "B-LT" | "BLT" => Ok(Level::BLT),
            "B-LTA" | "BLTA" => Ok(Level::BLTA),
            _ => Err(format!("“{text}”: expected B-B, B-T, B-LT or B-LTA")),
        }
    }
}

/// What a certification signature (chữ ký chứng nhận) allows afterwards: DocMDP `/P`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certification {
    /// P=1: no change at all.
    NoChanges,
    /// P=2: filling form fields and signing (the leader's signature, so that the văn thư can
    /// number, date and seal).
    FormFilling,
    /// P=3: form filling, signing and annotations.
    Annotations,
}

impl Certification {
    /// The `/P` value.
    pub fn p(self) -> i64 {
        match self {
            Certification::NoChanges => 1,
            Certification::FormFilling => 2,
            Certification::Annotations => 3,
        }
    }
}

/// How to sign.
#[derive(Debug, Clone, PartialEq)]
pub struct SignOptions {
    /// The signature field (`chu_ky` for the leader, `dau` for the organisation).
    pub field: String,
    /// Make a certification signature with this permission.
    pub certify: Option<Certification>,
    /// The PAdES level.
    pub level: Level,
    /// The TSA (required from B-T up).
    pub tsa_url: Option<String>,
    /// What the widget shows.
    pub appearance: Appearance,
    /// The claimed signing time, written in `/M` (and shown on attachments).
    pub signing_time: OffsetDateTime,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/Name`: the signer's name.
    pub name: Option<String>,
    /// Bytes reserved for the CMS; `None` estimates from the chain and the level.
    pub reserve: Option<usize>,
    /// When the field does not exist, create an invisible one on this page (0-based), as for
    /// attachments, which have no seal slot.
    pub create_on_page: Option<usize>,
}

impl SignOptions {
    /// B-B signature of `field`, now, showing nothing new.
    pub fn new(field: &str, signing_time: OffsetDateTime) -> SignOptions {
        SignOptions {
            field: field.to_owned(),
            certify: None,
            level: Level::BB,
            tsa_url: None,
            appearance: Appearance::Blank,
            signing_time,
            reason: None,
            location: None,
            name: None,
            reserve: None,
            create_on_page: None,
        }
    }
}

/// Who signs: the algorithm and the certificate chain (own certificate first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerIdentity {
    /// How the key signs.
    pub algorithm: SignatureAlgorithm,
    /// The chain, DER.
    pub chain: Vec<Vec<u8>>,
}

impl SignerIdentity {
    /// The identity of a [`Signer`].
    pub fn of(signer: &dyn Signer) -> SignerIdentity {
        SignerIdentity {
            algorithm: signer.algorithm(),
            chain: signer.certificate_chain().to_vec(),
        }
    }
}

/// How the signer's certificate is checked before signing.
#[derive(Debug, Clone, Copy)]
pub enum CertificateCheck<'a> {
    /// RFC 5280 path validation at the signing time, for document signing.
    Validate {
        /// Trust anchors.
        anchors: &'a TrustStore,
        /// Revocation sources and policy.
        revocation: &'a RevocationOptions,
    },
    /// No check (tests of the refusals themselves, or a caller that already checked).
    Skip,
}

/// Validate the signer's certificate at `at`.
pub fn check_certificate(
    chain: &[Vec<u8>],
    check: CertificateCheck<'_>,
    at: OffsetDateTime,
) -> Result<Option<ValidatedPath>, SignError> {
    let CertificateCheck::Validate {
        anchors,
        revocation,
    } = check
    else {
        return Ok(None);
    };
    let leaf = chain.first().ok_or(SignError::ChainEmpty)?;
    let path = PathRequest::new(leaf, anchors, at)
        .with_pool(chain.iter().skip(1).map(Vec::as_slice))
        .with_purpose(Purpose::DocumentSigning)
        .with_revocation(revocation)
        .validate()?;
    Ok(Some(path))
}

/// Stage 1: the update is written with its placeholders and `/ByteRange`.
#[derive(Debug, Clone)]
pub struct Prepared {
    bytes: Vec<u8>,
    original_len: usize,
    placeholder: SignaturePlaceholder,
    byte_range: [usize; 4],
    signer: SignerIdentity,
    level: Level,
    tsa_url: Option<String>,
}

/// Stage 2: the content digest and the signed attributes.
#[derive(Debug, Clone)]
pub struct Digested {
    prepared: Prepared,
    attributes: SignedAttributes,
    content_digest: Vec<u8>,
    to_be_signed: Vec<u8>,
}

/// Stage 3: a signed PDF (B-B or B-T), before long-term material.
#[derive(Debug, Clone)]
pub struct Signed {
    bytes: Vec<u8>,
    cms: Vec<u8>,
    capacity: usize,
    timestamp: Option<Vec<u8>>,
    level: Level,
    tsa_url: Option<String>,
    chain: Vec<Vec<u8>>,
}

/// Stage 1: append the signature's incremental update. See the module documentation.
pub fn prepare(
    pdf: impl Into<Vec<u8>>,
    signer: &SignerIdentity,
    options: &SignOptions,
) -> Result<Prepared, SignError> {
    if signer.chain.is_empty() {
        return Err(SignError::ChainEmpty);
    }
    if options.level >= Level::BT && options.tsa_url.is_none() {
        return Err(SignError::Missing(
            "--tsa: mức B-T trở lên cần máy chủ dấu thời gian",
        ));
    }
    let doc = Document::load(pdf)?;
    doc.require_unencrypted()?;
    let capacity = options
        .reserve
        .unwrap_or_else(|| estimate(signer, options.level));
    let update = write_update(&doc, signer, options, capacity)?;
    let original_len = update.original_len;
    let mut bytes = update.bytes;
    let placeholder = update.signature.ok_or(SignError::Missing(
        "the update has no signature placeholder",
    ))?;
    let byte_range = placeholder.patch_byte_range(&mut bytes)?;
    Ok(Prepared {
        bytes,
        original_len,
        placeholder,
        byte_range,
        signer: signer.clone(),
        level: options.level,
        tsa_url: options.tsa_url.clone(),
    })
}

/// The `/Contents` reservation: certificates, signature value, CMS overhead, a timestamp from
/// B-T up, rounded up to 1 KiB.
pub fn estimate(signer: &SignerIdentity, level: Level) -> usize {
    let certificates: usize = signer.chain.iter().map(Vec::len).sum();
    let signature = if signer.algorithm.is_ecdsa() {
        110
    } else {
        1_024
    };
    let timestamp = if level >= Level::BT {
        TIMESTAMP_ESTIMATE
    } else {
        0
    };
    (certificates + signature + CMS_OVERHEAD + timestamp).div_ceil(1024) * 1024
}

fn write_update(
    doc: &Document,
    signer: &SignerIdentity,
    options: &SignOptions,
    capacity: usize,
) -> Result<crate::pdf::Update, SignError> {
    let certify = options.certify.is_some();
    fields::check(
        doc,
        Change::Sign {
            field: &options.field,
            certify,
        },
    )?;
    let mut writer = IncrementalWriter::new(doc)?;
    let target = match fields::find_field(doc, &options.field) {
        Ok(node) => {
            if !node.field.is_signature() {
                return Err(SignError::FieldType {
                    field: options.field.clone(),
                    expected: "ô chữ ký (/Sig)",
                });
            }
            Target::Existing(node)
        }
        Err(SignError::FieldMissing { .. }) if options.create_on_page.is_some() => {
            Target::New(options.create_on_page.unwrap_or(0))
        }
        Err(error) => return Err(error),
    };
    let signature = writer.add_signature(signature_dict(signer, options), capacity)?;
    match target {
        Target::Existing(node) => fill_field(&mut writer, &node, signature, &options.appearance)?,
        Target::New(page) => {
            new_invisible_field(doc, &mut writer, &options.field, page, signature)?;
        }
    }
    if options.certify.is_some() {
        certify_catalog(doc, &mut writer, signature)?;
    } else {
        ensure_sig_flags(doc, &mut writer)?;
    }
    Ok(writer.finish()?)
}

enum Target {
    Existing(fields::FieldNode),
    New(usize),
}

/// The signature dictionary without `/ByteRange` and `/Contents` (the writer adds those).
fn signature_dict(signer: &SignerIdentity, options: &SignOptions) -> Dict {
    let mut sig = dict([
        ("Type", Object::name("Sig")),
        ("Filter", Object::name("Adobe.PPKLite")),
        ("SubFilter", Object::name("ETSI.CAdES.detached")),
        (
            "M",
            Object::String(PdfString::literal(pdf_date(options.signing_time))),
        ),
    ]);
    let name = options
        .name
        .clone()
        .or_else(|| common_name(&signer.chain[0]));
    if let Some(name) = name {
        sig.insert("Name", PdfString::text(&name));
    }
    if let Some(reason) = &options.reason {
        sig.insert("Reason", PdfString::text(reason));
    }
    if let Some(location) = &options.location {
        sig.insert("Location", PdfString::text(location));
    }
    if let Some(certification) = options.certify {
        let params = dict([
            ("Type", Object::name("TransformParams")),
            ("P", Object::Integer(certification.p())),
            ("V", Object::name("1.2")),
        ]);
        let reference = dict([
            ("Type", Object::name("SigRef")),
            ("TransformMethod", Object::name("DocMDP")),
            ("TransformParams", Object::Dict(params)),
        ]);
        sig.insert("Reference", Object::Array(vec![Object::Dict(reference)]));
    }
    sig
}

/// Set the field's `/V` and, unless blank, its widget's appearance.
fn fill_field(
    writer: &mut IncrementalWriter<'_>,
    node: &fields::FieldNode,
    signature: ObjRef,
    appearance: &Appearance,
) -> Result<(), SignError> {
    let mut field = node.field.dict.clone();
    field.insert("V", Object::Ref(signature));
    let widget = node.widgets.first();
    let form = match widget.and_then(|w| rect(&w.dict)) {
        Some([x0, y0, x1, y1]) => add_appearance(writer, appearance, x1 - x0, y1 - y0)?,
        None => None,
    };
    let merged = widget.is_none_or(|w| w.reference == node.field.reference);
    if let Some(form) = form {
        let ap = Object::Dict(dict([("N", Object::Ref(form))]));
        match widget.filter(|_| !merged) {
            Some(widget) => {
                let mut widget_dict = widget.dict.clone();
                widget_dict.insert("AP", ap);
                writer.set(widget.reference, widget_dict)?;
            }
            None => {
                field.insert("AP", ap);
            }
        }
    }
    writer.set(node.field.reference, field)?;
    Ok(())
}

/// A new invisible signature field on page `page`, listed in `/Fields` and the page's
/// `/Annots` (attachments without a seal slot, document timestamps).
pub(crate) fn new_invisible_field(
    doc: &Document,
    writer: &mut IncrementalWriter<'_>,
    name: &str,
    page: usize,
    value: ObjRef,
) -> Result<ObjRef, SignError> {
    let view = doc.view();
    let pages = doc.pages()?;
    let page = pages.get(page).or(pages.first()).ok_or(SignError::Missing(
        "a page to attach the signature field to",
    ))?;
    let field = writer.add(dict([
        ("Type", Object::name("Annot")),
        ("Subtype", Object::name("Widget")),
        ("FT", Object::name("Sig")),
        ("T", Object::String(PdfString::text(name))),
        ("F", Object::Integer(132)),
        ("Rect", Object::Array(vec![Object::Integer(0); 4])),
        ("P", Object::Ref(page.reference)),
        ("V", Object::Ref(value)),
    ]))?;
    // The page's /Annots: a direct array in the page, or an array object of its own.
    let mut page_dict = page.dict.clone();
    match page_dict.get("Annots").cloned() {
        Some(Object::Ref(array_ref)) => {
            let mut items = view.get(array_ref)?.as_array().unwrap_or_default().to_vec();
            items.push(Object::Ref(field));
            writer.set(array_ref, Object::Array(items))?;
        }
        other => {
            let mut items = other
                .as_ref()
                .and_then(Object::as_array)
                .unwrap_or_default()
                .to_vec();
            items.push(Object::Ref(field));
            page_dict.insert("Annots", Object::Array(items));
            writer.set(page.reference, page_dict)?;
        }
    }
    let (mut form, form_ref) = fields::acroform(&view)?;
    let mut list = match form.get("Fields") {
        Some(fields) => view
            .resolve(fields)?
            .as_array()
            .unwrap_or_default()
            .to_vec(),
        None => Vec::new(),
    };
    list.push(Object::Ref(field));
    form.insert("Fields", Object::Array(list));
    form.insert("SigFlags", Object::Integer(3));
    write_acroform(doc, writer, form, form_ref, None)?;
    Ok(field)
}

/// The catalog's `/Perms /DocMDP` and the form's `/SigFlags 3`.
fn certify_catalog(
    doc: &Document,
    writer: &mut IncrementalWriter<'_>,
    signature: ObjRef,
) -> Result<(), SignError> {
    let (mut form, form_ref) = fields::acroform(&doc.view())?;
    form.insert("SigFlags", Object::Integer(3));
    let perms = dict([("DocMDP", Object::Ref(signature))]);
    write_acroform(doc, writer, form, form_ref, Some(perms))
}

/// `/SigFlags 3` (signatures exist, append only) when not already set.
fn ensure_sig_flags(doc: &Document, writer: &mut IncrementalWriter<'_>) -> Result<(), SignError> {
    let (mut form, form_ref) = fields::acroform(&doc.view())?;
    if form.get("SigFlags").and_then(Object::as_i64) == Some(3) {
        return Ok(());
    }
    form.insert("SigFlags", Object::Integer(3));
    write_acroform(doc, writer, form, form_ref, None)
}

/// Write the form dictionary where it lives, and `/Perms` into the catalog when given.
pub(crate) fn write_acroform(
    doc: &Document,
    writer: &mut IncrementalWriter<'_>,
    form: Dict,
    form_ref: Option<ObjRef>,
    perms: Option<Dict>,
) -> Result<(), SignError> {
    let form = match form_ref {
        Some(reference) => {
            writer.set(reference, form)?;
            if perms.is_none() {
                return Ok(());
            }
            None
        }
        None => Some(form),
    };
    let catalog_ref = doc
        .trailer()
        .get("Root")
        .and_then(Object::as_reference)
        .ok_or(SignError::Missing("the trailer's /Root"))?;
    let mut catalog = doc.catalog()?;
    if let Some(form) = form {
        catalog.insert("AcroForm", Object::Dict(form));
    }
    if let Some(perms) = perms {
        catalog.insert("Perms", Object::Dict(perms));
    }
    writer.set(catalog_ref, catalog)?;
    Ok(())
}

impl Prepared {
    /// The file with its placeholders (the `/Contents` still zeros).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `/ByteRange`.
    pub fn byte_range(&self) -> [usize; 4] {
        self.byte_range
    }

    /// Bytes reserved for the CMS.
    pub fn capacity(&self) -> usize {
        self.placeholder.capacity()
    }

    /// Stage 2: hash the byte ranges (once) and build the signed attributes.
    pub fn digest(self) -> Result<Digested, SignError> {
        let algorithm = cms_digest(self.signer.algorithm);
        let mut context = ring::digest::Context::new(algorithm.ring());
        for part in self.placeholder.signed_data(&self.bytes) {
            context.update(part);
        }
        let content_digest = context.finish().as_ref().to_vec();
        let certificates = parse_chain(&self.signer.chain)?;
        let attributes = SignedAttributes::new(&content_digest, algorithm, certificates)?;
        let to_be_signed = attributes.to_be_signed()?;
        Ok(Digested {
            prepared: self,
            attributes,
            content_digest,
            to_be_signed,
        })
    }

    /// The original file: the prefix of the prepared bytes.
    fn into_original(mut self) -> Vec<u8> {
        self.bytes.truncate(self.original_len);
        self.bytes
    }

    pub(crate) fn parts(&self) -> (&SignaturePlaceholder, usize) {
        (&self.placeholder, self.original_len)
    }

    pub(crate) fn from_parts(
        bytes: Vec<u8>,
        original_len: usize,
        placeholder: SignaturePlaceholder,
        signer: SignerIdentity,
        level: Level,
        tsa_url: Option<String>,
    ) -> Result<Prepared, SignError> {
        let byte_range = placeholder.byte_range_values(bytes.len());
        if bytes.len() < original_len || placeholder.contents.end > bytes.len() {
            return Err(SignError::ExternalState {
                reason: "the prepared file is shorter than recorded".into(),
            });
        }
        Ok(Prepared {
            bytes,
            original_len,
            placeholder,
            byte_range,
            signer,
            level,
            tsa_url,
        })
    }

    pub(crate) fn level_and_tsa(&self) -> (Level, Option<&str>) {
        (self.level, self.tsa_url.as_deref())
    }

    pub(crate) fn signer(&self) -> &SignerIdentity {
        &self.signer
    }
}

impl Digested {
    /// The DER of the signed attributes: the bytes the key signs.
    pub fn to_be_signed(&self) -> &[u8] {
        &self.to_be_signed
    }

    /// The digest of [`Digested::to_be_signed`], for hash-signing services and tokens.
    pub fn to_be_signed_digest(&self) -> Vec<u8> {
        self.attributes
            .digest_algorithm()
            .digest(&self.to_be_signed)
    }

    /// The digest of the byte ranges (the message-digest attribute).
    pub fn content_digest(&self) -> &[u8] {
        &self.content_digest
    }

    /// The prepared stage.
    pub fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// Stage 3: embed the signature value (checked against the signer's certificate first).
    pub fn embed(self, signature: Vec<u8>) -> Result<Signed, SignError> {
        let (der, timestamp) = self.build_cms(signature)?;
        self.embed_cms(der, timestamp)
    }

    /// The CMS (DER) for a signature value, with its signature timestamp from B-T up.
    fn build_cms(&self, signature: Vec<u8>) -> Result<(Vec<u8>, Option<Vec<u8>>), SignError> {
        let signer = &self.prepared.signer;
        let verified = ExternalRequest::new(signer.algorithm, &self.to_be_signed)
            .complete(signature, signer.chain.clone())?;
        let mut cms = self
            .attributes
            .clone()
            .complete(scheme(signer.algorithm), verified.signature)?;
        let mut timestamp = None;
        if self.prepared.level >= Level::BT {
            let url = self
                .prepared
                .tsa_url
                .as_deref()
                .ok_or(SignError::Missing("--tsa"))?;
            let token = crate::sign::tsa::timestamp(
                url,
                cms.digest_algorithm(),
                &cms.signature_value_digest(),
            )?;
            cms = cms.with_timestamp(&token)?;
            timestamp = Some(token);
        }
        Ok((cms.to_der()?, timestamp))
    }

    /// Write the CMS into `/Contents`.
    fn embed_cms(self, der: Vec<u8>, timestamp: Option<Vec<u8>>) -> Result<Signed, SignError> {
        let mut prepared = self.prepared;
        prepared
            .placeholder
            .patch_contents(&mut prepared.bytes, &der)?;
        Ok(Signed {
            capacity: prepared.placeholder.capacity(),
            bytes: prepared.bytes,
            cms: der,
            timestamp,
            level: prepared.level,
            tsa_url: prepared.tsa_url,
            chain: prepared.signer.chain,
        })
    }

    /// Give the prepared stage back (to prepare again with more room).
    pub fn into_prepared(self) -> Prepared {
        self.prepared
    }
}

impl Signed {
    /// The signed file (B-B or B-T).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The CMS SignedData (DER).
    pub fn cms(&self) -> &[u8] {
        &self.cms
    }

    /// The signature timestamp token, from B-T up.
    pub fn timestamp(&self) -> Option<&[u8]> {
        self.timestamp.as_deref()
    }

    /// Add the long-term material the level asks for: for B-LT a DSS holding `material`
    /// (the signer's path and revocation evidence), the certificates of the signature
    /// timestamp, and a VRI entry for this signature; for B-LTA also a document timestamp.
    pub fn finish(self, material: &ValidationMaterial) -> Result<Vec<u8>, SignError> {
        if self.level < Level::BLT {
            return Ok(self.bytes);
        }
        let mut material = material.clone();
        material.add_certificates(self.chain.iter().cloned());
        if let Some(token) = &self.timestamp {
            material.add_certificates(ltv::token_certificates(token));
        }
        let mut padded = self.cms.clone();
        padded.resize(self.capacity, 0);
        let mut bytes = ltv::add_dss(self.bytes, &[padded], &material)?;
        if self.level >= Level::BLTA {
            let url = self.tsa_url.as_deref().ok_or(SignError::Missing("--tsa"))?;
            bytes = ltv::add_document_timestamp(bytes, url, DigestAlgorithm::Sha256)?;
        }
        Ok(bytes)
    }
}

/// Sign `pdf` with `signer`: check the certificate, prepare, digest, sign, embed, add the
/// long-term material. `evidence` adds revocation data for the DSS beyond what the check
/// found. The input is never modified; an error leaves nothing written.
pub fn sign(
    pdf: Vec<u8>,
    signer: &dyn Signer,
    options: &SignOptions,
    check: CertificateCheck<'_>,
) -> Result<Vec<u8>, SignError> {
    let identity = SignerIdentity::of(signer);
    let path = check_certificate(&identity.chain, check, options.signing_time)?;
    let mut material = ValidationMaterial::default();
    if let Some(path) = &path {
        material.add_path(path);
    }
    if let (CertificateCheck::Validate { revocation, .. }, true) =
        (check, options.level >= Level::BLT)
    {
        material.crls.extend(revocation.crls.iter().cloned());
        material
            .ocsps
            .extend(revocation.ocsp_responses.iter().cloned());
    }
    let mut prepared = prepare(pdf, &identity, options)?;
    for attempt in 0..2 {
        let digested = prepared.digest()?;
        let signature = signer.sign(digested.to_be_signed())?;
        let (der, timestamp) = digested.build_cms(signature)?;
        if der.len() > digested.prepared.capacity() && attempt == 0 {
            let original = digested.into_prepared().into_original();
            let retry = SignOptions {
                reserve: Some((der.len() + 2048).div_ceil(1024) * 1024),
                ..options.clone()
            };
            prepared = prepare(original, &identity, &retry)?;
            continue;
        }
        let signed = digested.embed_cms(der, timestamp)?;
        if let (
            Some(token),
            CertificateCheck::Validate {
                anchors,
                revocation,
            },
        ) = (signed.timestamp(), check)
        {
            material.add_timestamp_path(token, anchors, revocation, options.signing_time);
        }
        return signed.finish(&material);
    }
    Err(SignError::Missing(
        "a reservation large enough for the signature",
    ))
}

/// The PDF date string `D:YYYYMMDDHHmmSS+HH'mm'`.
pub fn pdf_date(time: OffsetDateTime) -> Vec<u8> {
    let (hours, minutes, _) = time.offset().as_hms();
    let sign = if hours < 0 || minutes < 0 { '-' } else { '+' };
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{sign}{:02}'{:02}'",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        hours.unsigned_abs(),
        minutes.unsigned_abs()
    )
    .into_bytes()
}

/// The CMS digest algorithm of a signature algorithm.
pub fn cms_digest(algorithm: SignatureAlgorithm) -> DigestAlgorithm {
    match algorithm.digest_algorithm() {
        crate::pki::DigestAlgorithm::Sha256 => DigestAlgorithm::Sha256,
        crate::pki::DigestAlgorithm::Sha384 => DigestAlgorithm::Sha384,
        crate::pki::DigestAlgorithm::Sha512 => DigestAlgorithm::Sha512,
    }
}

/// The CMS signature scheme of a signature algorithm.
pub fn scheme(algorithm: SignatureAlgorithm) -> SignatureScheme {
    if algorithm.is_ecdsa() {
        SignatureScheme::Ecdsa
    } else if algorithm.is_pss() {
        SignatureScheme::RsaPss
    } else {
        SignatureScheme::RsaPkcs1
    }
}

fn parse_chain(chain: &[Vec<u8>]) -> Result<Vec<Certificate>, SignError> {
    chain
        .iter()
        .map(|der| Certificate::from_der(der).map_err(|e| SignError::Cms(e.into())))
        .collect()
}

/// The subject's common name, for `/Name`.
fn common_name(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let cn = cert.subject().iter_common_name().next()?;
    cn.as_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn pdf_dates_carry_the_vietnam_offset() {
        let date = pdf_date(datetime!(2020-03-20 14:30:05 +07:00));
        assert_eq!(date, b"D:20200320143005+07'00'");
    }

    #[test]
    fn levels_parse_and_order() {
        assert_eq!("b-lta".parse::<Level>(), Ok(Level::BLTA));
        assert!(Level::BT < Level::BLT);
        assert!("B-X".parse::<Level>().is_err());
    }
}

//! Signed PDFs for the verifier's tests, made with our own parts: a seed document rendered by
//! `render::pdf`, the dev PKI, `pdf::IncrementalWriter` and `sign::cms` (tests may import
//! `sign`; the verifier never does). Every function returns a whole new file.
#![allow(dead_code)] // each test binary uses part of the shared helpers

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use der::Decode;
use vanban::pdf::{Dict, Document, IncrementalWriter, Name, ObjRef, Object, PdfString, Stream};
use vanban::pki::Signer;
use vanban::pki::dev::{DevKeyAlgorithm, DevPki, DevPkiOptions, generate};
use vanban::pki::trust::{AnchorSource, TrustStore};
use vanban::sign::cms::{DigestAlgorithm, SignatureScheme, SignedAttributes};
use vanban::verify::report::Report;
use vanban::verify::status::Verdict;
use vanban::verify::{Options, verify_bytes};

/// Bytes reserved for the CMS in `/Contents`.
pub const CAPACITY: usize = 16 * 1024;

/// The seed document (Kế hoạch, with fields `so`, `ngay`, `chu_ky`, `dau`), rendered once.
pub fn base_pdf() -> Vec<u8> {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let seed = seed_path();
        let composed = vanban::compose::compose_path(&seed).expect("compose the seed");
        vanban::render::pdf::render(&composed, &Default::default())
            .expect("render the seed")
            .bytes
    })
    .clone()
}

pub fn seed_path() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    seeds.sort();
    seeds.into_iter().next().expect("a seed")
}

/// The dev PKI (P-256), generated once per test binary.
pub fn pki() -> &'static DevPki {
    static PKI: OnceLock<DevPki> = OnceLock::new();
    PKI.get_or_init(|| generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev pki"))
}

/// Anchors: the dev root (plus any extra DER roots).
pub fn anchors(extra: &[Vec<u8>]) -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_der(pki().root_der(), AnchorSource::Memory("dev root".into()))
        .expect("root");
    for (index, der) in extra.iter().enumerate() {
        store
            .add_der(der, AnchorSource::Memory(format!("extra {index}")))
            .expect("extra root");
    }
    store
}

pub fn pem_to_der(pem: &str) -> Vec<u8> {
    let (_, der) = der::pem::decode_vec(pem.as_bytes()).expect("pem");
    der
}

/// Verify with the dev root (and `extra` roots) as anchors, now.
pub fn verify_with(pdf: &[u8], extra: &[Vec<u8>]) -> Report {
    let options = Options::new(anchors(extra));
    verify_bytes("test.pdf", pdf.to_vec(), &options).expect("readable")
}

pub fn verify(pdf: &[u8]) -> Report {
    verify_with(pdf, &[])
}

/// The verdict of every signature, in order.
pub fn verdicts(report: &Report) -> Vec<Verdict> {
    report.signatures.iter().map(|s| s.verdict()).collect()
}

/// The reason codes of signature `index`.
pub fn codes(report: &Report, index: usize) -> Vec<&'static str> {
    report.signatures[index]
        .judge()
        .1
        .iter()
        .map(|r| r.code)
        .collect()
}

/// How to sign.
#[derive(Clone)]
pub struct Spec<'a> {
    /// The field to sign: an existing empty one, or a new one.
    pub field: &'a str,
    /// Dev PKI entity that signs.
    pub signer: &'a str,
    /// Make a certification signature with this P.
    pub certify: Option<u8>,
    /// A FieldMDP lock (/Action /Include) on these fields.
    pub lock: Option<Vec<&'a str>>,
    /// TSA URL for a signature timestamp (B-T).
    pub tsa: Option<&'a str>,
    /// For a new field: its rectangle on page 1 (`[0 0 0 0]`: invisible).
    pub rect: [f64; 4],
    /// /SubFilter.
    pub sub_filter: &'a str,
}

impl Default for Spec<'_> {
    fn default() -> Self {
        Spec {
            field: "chu_ky",
            signer: "leader",
            certify: None,
            lock: None,
            tsa: None,
            rect: [0.0; 4],
            sub_filter: "ETSI.CAdES.detached",
        }
    }
}

/// What a forger gets: the update with its placeholders, to patch as it likes.
pub struct Forge {
    pub bytes: Vec<u8>,
    pub slot: vanban::pdf::SignaturePlaceholder,
}

impl Forge {
    /// Prepare a signature in `spec.field` without filling it.
    pub fn prepare(pdf: &[u8], spec: &Spec<'_>) -> Forge {
        let document = Document::load(pdf.to_vec()).expect("load before signing");
        let mut writer = IncrementalWriter::new(&document).expect("writer");
        let sig_ref = writer
            .add_signature(signature_dict(spec), CAPACITY)
            .expect("sig dict");
        attach(&document, &mut writer, spec, sig_ref);
        let update = writer.finish().expect("finish");
        let slot = update.signature.clone().expect("placeholder");
        Forge {
            bytes: update.bytes,
            slot,
        }
    }

    /// Write `text` over the `/ByteRange` placeholder (padded with spaces, same width).
    pub fn write_byte_range(&mut self, text: &str) {
        let range = self.slot.byte_range.clone();
        assert!(text.len() <= range.len(), "byte range text too long");
        let slot = &mut self.bytes[range];
        slot.fill(b' ');
        match text.strip_suffix(']') {
            // Keep the closing bracket at the end of the slot, as the writer does.
            Some(open) if text.starts_with('[') => {
                slot[..open.len()].copy_from_slice(open.as_bytes());
                let last = slot.len() - 1;
                slot[last] = b']';
            }
            _ => slot[..text.len()].copy_from_slice(text.as_bytes()),
        }
    }

    /// Write `text` over the `/Contents` placeholder (padded with spaces, same width).
    pub fn write_contents(&mut self, text: &str) {
        let range = self.slot.contents.clone();
        let slot = &mut self.bytes[range];
        slot.fill(b' ');
        slot[..text.len()].copy_from_slice(text.as_bytes());
    }

    /// Blank out the key `/name` that precedes the placeholder `range` in the dictionary.
    pub fn remove_key_before(&mut self, name: &[u8], before: usize) {
        let start = self.bytes[..before]
            .windows(name.len())
            .rposition(|w| w == name)
            .expect("key present");
        self.bytes[start..start + name.len()].fill(b' ');
    }

    /// Sign over `ranges` (not necessarily the right ones) with `signer` and fill /Contents.
    pub fn sign_ranges(&mut self, ranges: [usize; 4], signer: &dyn Signer) {
        let [s1, l1, s2, l2] = ranges;
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        context.update(&self.bytes[s1..s1 + l1]);
        context.update(&self.bytes[s2..s2 + l2]);
        let digest = context.finish().as_ref().to_vec();
        let cms = cms_for(signer, &digest, None);
        self.slot
            .patch_contents(&mut self.bytes, &cms)
            .expect("contents");
    }

    /// The standard ranges for the current length.
    pub fn standard_ranges(&self) -> [usize; 4] {
        self.slot.byte_range_values(self.bytes.len())
    }
}

/// Sign `pdf` as `spec` says.
pub fn sign(pdf: &[u8], spec: &Spec<'_>) -> Vec<u8> {
    let signer = pki().signer(spec.signer).expect("signer");
    sign_with(pdf, spec, &signer, |cms| cms)
}

/// Sign with any signer, letting `tamper` change the CMS DER before it is embedded.
pub fn sign_with(
    pdf: &[u8],
    spec: &Spec<'_>,
    signer: &dyn Signer,
    tamper: impl FnOnce(Vec<u8>) -> Vec<u8>,
) -> Vec<u8> {
    let document = Document::load(pdf.to_vec()).expect("load before signing");
    let mut writer = IncrementalWriter::new(&document).expect("writer");
    let sig_dict = signature_dict(spec);
    let sig_ref = writer.add_signature(sig_dict, CAPACITY).expect("sig dict");
    attach(&document, &mut writer, spec, sig_ref);
    let mut update = writer.finish().expect("finish");
    let slot = update.signature.clone().expect("placeholder");
    slot.patch_byte_range(&mut update.bytes)
        .expect("byte range");
    let [first, second] = slot.signed_data(&update.bytes);
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(first);
    context.update(second);
    let digest = context.finish().as_ref().to_vec();
    let cms = cms_for(signer, &digest, spec.tsa);
    let cms = tamper(cms);
    slot.patch_contents(&mut update.bytes, &cms)
        .expect("contents");
    update.bytes
}

/// The CMS over a content digest, with a timestamp when a TSA is given.
pub fn cms_for(signer: &dyn Signer, digest: &[u8], tsa: Option<&str>) -> Vec<u8> {
    let chain: Vec<x509_cert::Certificate> = signer
        .certificate_chain()
        .iter()
        .map(|der| x509_cert::Certificate::from_der(der).expect("cert"))
        .collect();
    let attributes =
        SignedAttributes::new(digest, DigestAlgorithm::Sha256, chain).expect("attributes");
    let value = signer
        .sign(&attributes.to_be_signed().expect("tbs"))
        .expect("sign");
    let scheme = if signer.algorithm().is_ecdsa() {
        SignatureScheme::Ecdsa
    } else if signer.algorithm().is_pss() {
        SignatureScheme::RsaPss
    } else {
        SignatureScheme::RsaPkcs1
    };
    let mut cms = attributes.complete(scheme, value).expect("complete");
    if let Some(url) = tsa {
        let token = vanban::sign::tsa::timestamp(
            url,
            DigestAlgorithm::Sha256,
            &cms.signature_value_digest(),
        )
        .expect("timestamp");
        cms = cms.with_timestamp(&token).expect("with timestamp");
    }
    cms.to_der().expect("der")
}

pub fn signature_dict(spec: &Spec<'_>) -> Dict {
    let mut dict = Dict::new();
    dict.insert("Type", Object::name("Sig"));
    dict.insert("Filter", Object::name("Adobe.PPKLite"));
    dict.insert("SubFilter", Object::name(spec.sub_filter));
    dict.insert(
        "M",
        Object::String(PdfString::literal(b"D:20260101090000+07'00'".to_vec())),
    );
    dict.insert("Name", Object::String(PdfString::text("Nguyễn Văn An")));
    let mut references = Vec::new();
    if let Some(p) = spec.certify {
        references.push(transform("DocMDP", {
            let mut params = Dict::new();
            params.insert("Type", Object::name("TransformParams"));
            params.insert("P", Object::Integer(i64::from(p)));
            params.insert("V", Object::name("1.2"));
            params
        }));
    }
    if let Some(fields) = &spec.lock {
        references.push(transform("FieldMDP", lock_dict(fields)));
    }
    if !references.is_empty() {
        dict.insert("Reference", Object::Array(references));
    }
    dict
}

fn lock_dict(fields: &[&str]) -> Dict {
    let mut params = Dict::new();
    params.insert("Type", Object::name("TransformParams"));
    params.insert("Action", Object::name("Include"));
    params.insert(
        "Fields",
        Object::Array(
            fields
                .iter()
                .map(|f| Object::String(PdfString::text(f)))
                .collect(),
        ),
    );
    params.insert("V", Object::name("1.2"));
    params
}

fn transform(method: &str, params: Dict) -> Object {
    let mut reference = Dict::new();
    reference.insert("Type", Object::name("SigRef"));
    reference.insert("TransformMethod", Object::name(method));
    reference.insert("TransformParams", Object::Dict(params));
    Object::Dict(reference)
}

/// Point the field at the signature (creating the field if needed), set /SigFlags, and
/// /Perms for a certification.
pub fn attach(
    document: &Document,
    writer: &mut IncrementalWriter<'_>,
    spec: &Spec<'_>,
    sig: ObjRef,
) {
    let existing = document
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.name == spec.field && f.partial_name.is_some());
    let root = root_ref(document);
    let mut catalog = document.catalog().expect("catalog");
    let (form_ref, mut form) = acroform(document, &catalog);
    match existing {
        Some(field) => {
            let mut dict = field.dict.clone();
            dict.insert("V", Object::Ref(sig));
            if let Some(fields) = &spec.lock {
                dict.insert("Lock", Object::Dict(lock_dict(fields)));
            }
            writer
                .set(field.reference, Object::Dict(dict))
                .expect("field");
        }
        None => {
            let page = document.pages().expect("pages")[0].clone();
            let widget = writer.allocate().expect("widget");
            let mut dict = Dict::new();
            dict.insert("Type", Object::name("Annot"));
            dict.insert("Subtype", Object::name("Widget"));
            dict.insert("FT", Object::name("Sig"));
            dict.insert("T", Object::String(PdfString::text(spec.field)));
            dict.insert("F", Object::Integer(132));
            dict.insert(
                "Rect",
                Object::Array(spec.rect.iter().map(|&v| Object::Real(v)).collect()),
            );
            dict.insert("P", Object::Ref(page.reference));
            dict.insert("V", Object::Ref(sig));
            if spec.rect.iter().any(|&v| v != 0.0) {
                let ap = writer
                    .add(appearance_stream(b"0 0 1 rg 0 0 50 20 re f"))
                    .expect("ap");
                let mut ap_dict = Dict::new();
                ap_dict.insert("N", Object::Ref(ap));
                dict.insert("AP", Object::Dict(ap_dict));
            }
            writer.set(widget, Object::Dict(dict)).expect("widget");
            push_array(&mut form, "Fields", Object::Ref(widget));
            let mut page_dict = page.dict.clone();
            let mut annots = page_dict
                .get("Annots")
                .map(|a| document.view().resolve(a).expect("annots"))
                .and_then(|a| a.as_array().map(<[Object]>::to_vec))
                .unwrap_or_default();
            annots.push(Object::Ref(widget));
            page_dict.insert("Annots", Object::Array(annots));
            writer
                .set(page.reference, Object::Dict(page_dict))
                .expect("page");
        }
    }
    form.insert("SigFlags", Object::Integer(3));
    match form_ref {
        Some(reference) => writer.set(reference, Object::Dict(form)).expect("form"),
        None => {
            catalog.insert("AcroForm", Object::Dict(form));
        }
    }
    if spec.certify.is_some() {
        let mut perms = Dict::new();
        perms.insert("DocMDP", Object::Ref(sig));
        catalog.insert("Perms", Object::Dict(perms));
    }
    if form_ref.is_none() || spec.certify.is_some() {
        writer.set(root, Object::Dict(catalog)).expect("catalog");
    }
}

pub fn root_ref(document: &Document) -> ObjRef {
    document
        .trailer()
        .get("Root")
        .and_then(Object::as_reference)
        .expect("root ref")
}

/// The AcroForm: its object number when indirect, and its dictionary.
pub fn acroform(document: &Document, catalog: &Dict) -> (Option<ObjRef>, Dict) {
    match catalog.get("AcroForm") {
        Some(Object::Ref(reference)) => (
            Some(*reference),
            document
                .get(*reference)
                .ok()
                .and_then(|o| o.as_dict().cloned())
                .unwrap_or_default(),
        ),
        Some(Object::Dict(dict)) => (None, dict.clone()),
        _ => (None, Dict::new()),
    }
}

fn push_array(dict: &mut Dict, key: &str, item: Object) {
    let mut items = dict
        .get(key)
        .and_then(Object::as_array)
        .map(<[Object]>::to_vec)
        .unwrap_or_default();
    items.push(item);
    dict.insert(key, Object::Array(items));
}

/// A form XObject with `content`, 50 × 20 points.
pub fn appearance_stream(content: &[u8]) -> Object {
    let mut dict = Dict::new();
    dict.insert("Type", Object::name("XObject"));
    dict.insert("Subtype", Object::name("Form"));
    dict.insert(
        "BBox",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(0),
            Object::Integer(50),
            Object::Integer(20),
        ]),
    );
    Object::Stream(Stream::new(dict, content.to_vec()))
}

/// One incremental update made by `edit`.
pub fn update(pdf: &[u8], edit: impl FnOnce(&Document, &mut IncrementalWriter<'_>)) -> Vec<u8> {
    let document = Document::load(pdf.to_vec()).expect("load before update");
    let mut writer = IncrementalWriter::new(&document).expect("writer");
    edit(&document, &mut writer);
    writer.finish().expect("finish").bytes
}

/// Fill the text field `name` with `value` and a new appearance stream (what a form filler
/// does after signing).
pub fn fill(pdf: &[u8], name: &str, value: &str) -> Vec<u8> {
    update(pdf, |document, writer| {
        let field = document
            .fields()
            .expect("fields")
            .into_iter()
            .find(|f| f.name == name)
            .expect("field exists");
        let ap = writer
            .add(appearance_stream(
                format!("BT /F0 13 Tf 2 5 Td ({value}) Tj ET").as_bytes(),
            ))
            .expect("ap");
        let mut dict = field.dict.clone();
        dict.insert("V", Object::String(PdfString::text(value)));
        let mut ap_dict = Dict::new();
        ap_dict.insert("N", Object::Ref(ap));
        dict.insert("AP", Object::Dict(ap_dict));
        writer
            .set(field.reference, Object::Dict(dict))
            .expect("field");
    })
}

/// Add a non-widget annotation on page 1.
pub fn annotate(pdf: &[u8], subtype: &str, rect: [f64; 4], text: &str) -> Vec<u8> {
    update(pdf, |document, writer| {
        let page = document.pages().expect("pages")[0].clone();
        let ap = writer
            .add(appearance_stream(b"1 1 1 rg 0 0 50 20 re f"))
            .expect("ap");
        let mut annotation = Dict::new();
        annotation.insert("Type", Object::name("Annot"));
        annotation.insert("Subtype", Object::name(subtype));
        annotation.insert(
            "Rect",
            Object::Array(rect.iter().map(|&v| Object::Real(v)).collect()),
        );
        annotation.insert("Contents", Object::String(PdfString::text(text)));
        let mut ap_dict = Dict::new();
        ap_dict.insert("N", Object::Ref(ap));
        annotation.insert("AP", Object::Dict(ap_dict));
        annotation.insert("P", Object::Ref(page.reference));
        let annotation = writer.add(Object::Dict(annotation)).expect("annot");
        let mut page_dict = page.dict.clone();
        let mut annots = page_dict
            .get("Annots")
            .map(|a| document.view().resolve(a).expect("annots"))
            .and_then(|a| a.as_array().map(<[Object]>::to_vec))
            .unwrap_or_default();
        annots.push(Object::Ref(annotation));
        page_dict.insert("Annots", Object::Array(annots));
        writer
            .set(page.reference, Object::Dict(page_dict))
            .expect("page");
    })
}

/// Add a DSS with these certificates, CRLs and OCSP responses (B-LT).
pub fn add_dss(pdf: &[u8], certs: &[Vec<u8>], crls: &[Vec<u8>], ocsps: &[Vec<u8>]) -> Vec<u8> {
    update(pdf, |document, writer| {
        let mut dss = Dict::new();
        dss.insert("Type", Object::name("DSS"));
        for (key, items) in [("Certs", certs), ("CRLs", crls), ("OCSPs", ocsps)] {
            if items.is_empty() {
                continue;
            }
            let refs = items
                .iter()
                .map(|der| {
                    Object::Ref(
                        writer
                            .add(Object::Stream(Stream::new(Dict::new(), der.clone())))
                            .expect("stream"),
                    )
                })
                .collect();
            dss.insert(key, Object::Array(refs));
        }
        let dss = writer.add(Object::Dict(dss)).expect("dss");
        let mut catalog = document.catalog().expect("catalog");
        catalog.insert("DSS", Object::Ref(dss));
        writer
            .set(root_ref(document), Object::Dict(catalog))
            .expect("catalog");
    })
}

/// Add a document timestamp (ETSI.RFC3161) in a new invisible field (B-LTA).
pub fn add_document_timestamp(pdf: &[u8], tsa: &str) -> Vec<u8> {
    let document = Document::load(pdf.to_vec()).expect("load");
    let mut writer = IncrementalWriter::new(&document).expect("writer");
    let mut dict = Dict::new();
    dict.insert("Type", Object::name("DocTimeStamp"));
    dict.insert("Filter", Object::name("Adobe.PPKLite"));
    dict.insert("SubFilter", Object::name("ETSI.RFC3161"));
    let sig = writer.add_signature(dict, CAPACITY).expect("dts");
    let spec = Spec {
        field: "dau_thoi_gian",
        ..Spec::default()
    };
    attach(&document, &mut writer, &spec, sig);
    let mut update = writer.finish().expect("finish");
    let slot = update.signature.clone().expect("slot");
    slot.patch_byte_range(&mut update.bytes).expect("range");
    let [first, second] = slot.signed_data(&update.bytes);
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(first);
    context.update(second);
    let digest = context.finish().as_ref().to_vec();
    let token = vanban::sign::tsa::timestamp(tsa, DigestAlgorithm::Sha256, &digest)
        .expect("document timestamp");
    slot.patch_contents(&mut update.bytes, &token)
        .expect("contents");
    update.bytes
}

/// The name `/Name` etc. helper for tests that build dictionaries.
pub fn name(value: &str) -> Object {
    Object::Name(Name::new(value.as_bytes().to_vec()))
}

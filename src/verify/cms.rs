//! Reading CMS SignedData made by anyone, and checking it cryptographically.
//!
//! Third-party signatures are not always canonical DER: SETs out of order, duplicate
//! certificates, attributes we do not know. So this module walks the structure element by
//! element with `der`'s primitives instead of decoding it into strict types, keeps the signed
//! attributes as the bytes that were signed (RFC 5652 §5.4: re-tagged as a SET), and reports
//! facts rather than a yes/no. Nothing here imports `sign`: a verifier that shares the signer's
//! code shares its bugs.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Reader, SliceReader, Tag, Tagged};
use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::oid;

/// Most elements read from one SET or SEQUENCE (certificates in a CMS, attributes): 1,000.
/// Real signatures carry under 10 certificates and under 10 attributes.
pub const MAX_ELEMENTS: usize = 1_000;

/// Smallest RSA modulus accepted: 2048 bits (the Vietnamese standards and ETSI TS 119 312).
pub const MIN_RSA_BITS: usize = 2048;

/// Why a CMS blob could not be read at all (the verdict is then `malformed`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmsParseError {
    /// Not DER, or truncated.
    #[error("CMS không đọc được (DER): {0}")]
    Der(String),
    /// A ContentInfo that is not SignedData.
    #[error("CMS is not SignedData (content type {0})")]
    NotSignedData(String),
    /// SignedData with no SignerInfo, or more than one.
    #[error("CMS has {0} signer infos; exactly one is expected")]
    SignerCount(usize),
    /// More elements than [`MAX_ELEMENTS`].
    #[error("CMS has more than {MAX_ELEMENTS} elements in one list")]
    TooManyElements,
    /// A field of the wrong shape.
    #[error("CMS field {0} is malformed")]
    Field(&'static str),
}

impl From<der::Error> for CmsParseError {
    fn from(error: der::Error) -> Self {
        CmsParseError::Der(error.to_string())
    }
}

/// How the SignerInfo names its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerId {
    /// Issuer name (DER) and serial number (content octets).
    IssuerSerial {
        /// DER of the issuer Name.
        issuer: Vec<u8>,
        /// Serial number bytes.
        serial: Vec<u8>,
    },
    /// Subject key identifier.
    KeyId(Vec<u8>),
}

/// One attribute: its type and the DER of each value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAttribute {
    /// Attribute type.
    pub oid: ObjectIdentifier,
    /// DER of each value.
    pub values: Vec<Vec<u8>>,
}

/// A parsed SignedData with one signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDataView {
    /// eContentType (id-data for PDF signatures, id-ct-TSTInfo for timestamps).
    pub content_type: ObjectIdentifier,
    /// eContent when attached (timestamp tokens); None when detached.
    pub content: Option<Vec<u8>>,
    /// DER of each certificate carried.
    pub certificates: Vec<Vec<u8>>,
    /// DER of each RevocationInfoChoice carried (CRLs).
    pub crls: Vec<Vec<u8>>,
    /// The signer.
    pub signer: SignerInfoView,
}

/// The SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfoView {
    /// Which certificate signed.
    pub sid: SignerId,
    /// digestAlgorithm.
    pub digest_algorithm: ObjectIdentifier,
    /// The signed attributes as signed (a DER SET), when present.
    pub signed_attributes_der: Option<Vec<u8>>,
    /// The signed attributes.
    pub signed_attributes: Vec<RawAttribute>,
    /// signatureAlgorithm OID.
    pub signature_algorithm: ObjectIdentifier,
    /// signatureAlgorithm parameters (DER), if any.
    pub signature_parameters: Option<Vec<u8>>,
    /// The signature value.
    pub signature: Vec<u8>,
    /// The unsigned attributes.
    pub unsigned_attributes: Vec<RawAttribute>,
}

impl SignerInfoView {
    /// The first value of a signed attribute.
    pub fn signed(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        first_value(&self.signed_attributes, oid)
    }

    /// The first value of an unsigned attribute.
    pub fn unsigned(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        first_value(&self.unsigned_attributes, oid)
    }
}

fn first_value(attributes: &[RawAttribute], oid: ObjectIdentifier) -> Option<&[u8]> {
    attributes
        .iter()
        .find(|attribute| attribute.oid == oid)
        .and_then(|attribute| attribute.values.first())
        .map(Vec::as_slice)
}

/// Parse a DER ContentInfo holding SignedData with exactly one signer. Trailing bytes after
/// the ContentInfo (the zero padding of a PDF /Contents) are ignored by the caller, who passes
/// only the DER element.
pub fn parse(der: &[u8]) -> Result<SignedDataView, CmsParseError> {
    let content_info = Any::from_der(der)?;
    let mut fields = elements(&content_info)?.into_iter();
    let content_type: ObjectIdentifier = next(&mut fields, "contentType")?.decode_as()?;
    if content_type != oid::SIGNED_DATA {
        return Err(CmsParseError::NotSignedData(content_type.to_string()));
    }
    let explicit = next(&mut fields, "content")?;
    let signed_data = Any::from_der(explicit.value())?;
    parse_signed_data(&signed_data)
}

fn parse_signed_data(signed_data: &Any) -> Result<SignedDataView, CmsParseError> {
    let mut fields = elements(signed_data)?.into_iter().peekable();
    let _version = next(&mut fields, "version")?;
    let _digest_algorithms = next(&mut fields, "digestAlgorithms")?;
    let (content_type, content) = encapsulated(&next(&mut fields, "encapContentInfo")?)?;
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    while let Some(field) = fields.peek() {
        match context_number(field) {
            Some(0) => certificates = raw_children(field)?,
            Some(1) => crls = raw_children(field)?,
            _ => break,
        }
        fields.next();
    }
    let signer_infos = elements(&next(&mut fields, "signerInfos")?)?;
    if signer_infos.len() != 1 {
        return Err(CmsParseError::SignerCount(signer_infos.len()));
    }
    Ok(SignedDataView {
        content_type,
        content,
        certificates,
        crls,
        signer: parse_signer_info(&signer_infos[0])?,
    })
}

fn encapsulated(any: &Any) -> Result<(ObjectIdentifier, Option<Vec<u8>>), CmsParseError> {
    let mut fields = elements(any)?.into_iter();
    let content_type: ObjectIdentifier = next(&mut fields, "eContentType")?.decode_as()?;
    let content = match fields.next() {
        Some(explicit) => {
            let octets: OctetString = Any::from_der(explicit.value())?.decode_as()?;
            Some(octets.as_bytes().to_vec())
        }
        None => None,
    };
    Ok((content_type, content))
}

fn parse_signer_info(any: &Any) -> Result<SignerInfoView, CmsParseError> {
    let mut fields = elements(any)?.into_iter().peekable();
    let _version = next(&mut fields, "version")?;
    let sid = signer_id(&next(&mut fields, "sid")?)?;
    let digest_algorithm = algorithm(&next(&mut fields, "digestAlgorithm")?)?.0;
    let mut signed_attributes_der = None;
    let mut signed_attributes = Vec::new();
    if fields.peek().and_then(context_number) == Some(0) {
        let field = next(&mut fields, "signedAttrs")?;
        signed_attributes_der = Some(retag_as_set(&field)?);
        signed_attributes = attributes(&field)?;
    }
    let (signature_algorithm, signature_parameters) =
        algorithm(&next(&mut fields, "signatureAlgorithm")?)?;
    let signature: OctetString = next(&mut fields, "signature")?.decode_as()?;
    let unsigned_attributes = match fields.next() {
        Some(field) if context_number(&field) == Some(1) => attributes(&field)?,
        Some(_) => return Err(CmsParseError::Field("unsignedAttrs")),
        None => Vec::new(),
    };
    Ok(SignerInfoView {
        sid,
        digest_algorithm,
        signed_attributes_der,
        signed_attributes,
        signature_algorithm,
        signature_parameters,
        signature: signature.as_bytes().to_vec(),
        unsigned_attributes,
    })
}

fn signer_id(any: &Any) -> Result<SignerId, CmsParseError> {
    if context_number(any) == Some(0) {
        return Ok(SignerId::KeyId(any.value().to_vec()));
    }
    let mut fields = elements(any)?.into_iter();
    let issuer = next(&mut fields, "sid.issuer")?.to_der()?;
    let serial = next(&mut fields, "sid.serialNumber")?;
    if serial.tag() != Tag::Integer {
        return Err(CmsParseError::Field("sid.serialNumber"));
    }
    Ok(SignerId::IssuerSerial {
        issuer,
        serial: serial.value().to_vec(),
    })
}

fn algorithm(any: &Any) -> Result<(ObjectIdentifier, Option<Vec<u8>>), CmsParseError> {
    let mut fields = elements(any)?.into_iter();
    let oid: ObjectIdentifier = next(&mut fields, "algorithm")?.decode_as()?;
    let parameters = match fields.next() {
        Some(params) if params.tag() != Tag::Null => Some(params.to_der()?),
        _ => None,
    };
    Ok((oid, parameters))
}

fn attributes(field: &Any) -> Result<Vec<RawAttribute>, CmsParseError> {
    elements(field)?
        .iter()
        .map(|attribute| {
            let mut parts = elements(attribute)?.into_iter();
            let oid: ObjectIdentifier = next(&mut parts, "attrType")?.decode_as()?;
            let values = elements(&next(&mut parts, "attrValues")?)?
                .iter()
                .map(|value| value.to_der().map_err(CmsParseError::from))
                .collect::<Result<_, _>>()?;
            Ok(RawAttribute { oid, values })
        })
        .collect()
}

/// The signed attributes as they were signed: the [0] IMPLICIT field re-tagged as a SET OF
/// (RFC 5652 §5.4), keeping the signer's element order and bytes.
fn retag_as_set(field: &Any) -> Result<Vec<u8>, CmsParseError> {
    let set = Any::new(Tag::Set, field.value())?;
    Ok(set.to_der()?)
}

fn raw_children(field: &Any) -> Result<Vec<Vec<u8>>, CmsParseError> {
    elements(field)?
        .iter()
        .map(|child| child.to_der().map_err(CmsParseError::from))
        .collect()
}

fn context_number(any: &Any) -> Option<u8> {
    match any.tag() {
        Tag::ContextSpecific { number, .. } => Some(number.value()),
        _ => None,
    }
}

fn next(fields: &mut impl Iterator<Item = Any>, name: &'static str) -> Result<Any, CmsParseError> {
    fields.next().ok_or(CmsParseError::Field(name))
}

/// The elements inside a constructed value, bounded by [`MAX_ELEMENTS`].
fn elements(any: &Any) -> Result<Vec<Any>, CmsParseError> {
    if !any.tag().is_constructed() {
        return Err(CmsParseError::Field("expected a constructed value"));
    }
    let mut reader = SliceReader::new(any.value())?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        if out.len() == MAX_ELEMENTS {
            return Err(CmsParseError::TooManyElements);
        }
        out.push(Any::decode(&mut reader)?);
    }
    Ok(out)
}

/// A digest algorithm the verifier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Digest {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Digest {
    /// The algorithm for an OID; SHA-1 and unknown ones are refused with their reason.
    pub fn from_oid(oid: &ObjectIdentifier) -> Result<Digest, AlgorithmProblem> {
        match *oid {
            oid::SHA256 => Ok(Digest::Sha256),
            oid::SHA384 => Ok(Digest::Sha384),
            oid::SHA512 => Ok(Digest::Sha512),
            oid::SHA1 => Err(AlgorithmProblem::WeakDigest("SHA-1")),
            other => Err(AlgorithmProblem::Unknown(other.to_string())),
        }
    }

    /// Digest `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        ring::digest::digest(self.ring(), data).as_ref().to_vec()
    }

    /// ring's algorithm.
    pub fn ring(self) -> &'static ring::digest::Algorithm {
        match self {
            Digest::Sha256 => &ring::digest::SHA256,
            Digest::Sha384 => &ring::digest::SHA384,
            Digest::Sha512 => &ring::digest::SHA512,
        }
    }

    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Sha256 => "SHA-256",
            Digest::Sha384 => "SHA-384",
            Digest::Sha512 => "SHA-512",
        }
    }
}

/// Why an algorithm is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
pub enum AlgorithmProblem {
    /// A digest refused as weak.
    #[error("weak digest algorithm {0}")]
    WeakDigest(&'static str),
    /// An RSA key below [`MIN_RSA_BITS`].
    #[error("RSA key of {0} bits (at least 2048 required)")]
    WeakKey(usize),
    /// An algorithm we do not implement.
    #[error("unknown or unsupported algorithm {0}")]
    Unknown(String),
    /// The signature algorithm does not fit the key or the digest algorithm.
    #[error("signature algorithm {algorithm} does not match the {key} key or the digest")]
    Mismatch {
        /// The signatureAlgorithm OID.
        algorithm: String,
        /// The key type.
        key: &'static str,
    },
}

/// The cryptographic facts about one SignerInfo, each kept apart (STYLE.md habit 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoFacts {
    /// Index into `SignedDataView::certificates` of the signer's certificate.
    pub signer_certificate: Option<usize>,
    /// The digest algorithm, or why it is refused.
    pub digest: Result<Digest, AlgorithmProblem>,
    /// The content-type signed attribute is present and equals the eContentType.
    pub content_type_ok: bool,
    /// The message-digest attribute equals the digest of the signed content.
    pub digest_matches: bool,
    /// The signature value verifies over the signed attributes with the certificate's key.
    pub signature: Result<(), SignatureProblem>,
    /// The ESS signing-certificate(-v2) attribute names the signer's certificate: Some(true)
    /// when it matches, Some(false) when it names another, None when absent.
    pub signing_certificate_matches: Option<bool>,
    /// The signing-time signed attribute, when present.
    pub signing_time: Option<OffsetDateTime>,
    /// The signature-time-stamp token (DER ContentInfo), when present.
    pub timestamp_token: Option<Vec<u8>>,
}

/// Why the signature value does not verify.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
pub enum SignatureProblem {
    /// No certificate in the CMS matches the SignerInfo's sid.
    #[error("the signer's certificate is not in the CMS")]
    NoSignerCertificate,
    /// The certificate could not be parsed.
    #[error("the signer's certificate cannot be parsed")]
    BadCertificate,
    /// No signed attributes (PAdES requires them).
    #[error("no signed attributes")]
    NoSignedAttributes,
    /// The algorithm is refused.
    #[error("{0}")]
    Algorithm(AlgorithmProblem),
    /// The value is wrong for this key and data.
    #[error("signature value does not verify")]
    Invalid,
}

/// Check the SignerInfo against the digest of the signed content, computed by the caller
/// with [`SignedDataView::digest`] (detached PDF signatures hash the byte ranges; timestamp
/// tokens hash their eContent).
pub fn check(view: &SignedDataView, content_digest: Option<&[u8]>) -> CryptoFacts {
    let signer = &view.signer;
    let signer_certificate = find_signer(view);
    let digest = Digest::from_oid(&signer.digest_algorithm);
    let content_type_ok = signer
        .signed(oid::CONTENT_TYPE)
        .and_then(|value| ObjectIdentifier::from_der(value).ok())
        == Some(view.content_type);
    let digest_matches = match (signer.signed(oid::MESSAGE_DIGEST), content_digest) {
        (Some(value), Some(computed)) => OctetString::from_der(value)
            .map(|octets| octets.as_bytes() == computed)
            .unwrap_or(false),
        _ => false,
    };
    let certificate = signer_certificate.map(|index| view.certificates[index].as_slice());
    CryptoFacts {
        signer_certificate,
        signature: verify_signature(signer, certificate, digest.clone()),
        signing_certificate_matches: certificate.and_then(|der| ess_matches(signer, der)),
        signing_time: signer.signed(oid::SIGNING_TIME).and_then(parse_time),
        timestamp_token: signer
            .unsigned(oid::SIGNATURE_TIMESTAMP_TOKEN)
            .map(<[u8]>::to_vec),
        digest,
        content_type_ok,
        digest_matches,
    }
}

impl SignedDataView {
    /// The signer's digest algorithm, to hash the content with.
    pub fn digest(&self) -> Result<Digest, AlgorithmProblem> {
        Digest::from_oid(&self.signer.digest_algorithm)
    }
}

fn find_signer(view: &SignedDataView) -> Option<usize> {
    view.certificates.iter().position(|der| {
        let Ok((_, cert)) = X509Certificate::from_der(der) else {
            return false;
        };
        match &view.signer.sid {
            SignerId::IssuerSerial { issuer, serial } => {
                cert.tbs_certificate.issuer.as_raw() == issuer.as_slice()
                    && strip_zeros(cert.tbs_certificate.raw_serial()) == strip_zeros(serial)
            }
            SignerId::KeyId(id) => subject_key_id(&cert).is_some_and(|ski| ski == id.as_slice()),
        }
    })
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

fn subject_key_id<'a>(cert: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|ext| match ext.parsed_extension() {
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0),
            _ => None,
        })
}

fn verify_signature(
    signer: &SignerInfoView,
    certificate: Option<&[u8]>,
    digest: Result<Digest, AlgorithmProblem>,
) -> Result<(), SignatureProblem> {
    let der = certificate.ok_or(SignatureProblem::NoSignerCertificate)?;
    let (_, cert) = X509Certificate::from_der(der).map_err(|_| SignatureProblem::BadCertificate)?;
    let message = signer
        .signed_attributes_der
        .as_deref()
        .ok_or(SignatureProblem::NoSignedAttributes)?;
    let digest = digest.map_err(SignatureProblem::Algorithm)?;
    let check = signature_check(signer, &cert, digest).map_err(SignatureProblem::Algorithm)?;
    let key = cert.public_key().subject_public_key.data.as_ref();
    let verified = match check {
        Check::Ring(algorithm) => UnparsedPublicKey::new(algorithm, key)
            .verify(message, &signer.signature)
            .is_ok(),
        Check::PssSalt { digest, salt } => {
            pss_salt_verifies(key, digest, salt, message, &signer.signature)
        }
    };
    verified.then_some(()).ok_or(SignatureProblem::Invalid)
}

/// How a signature value is checked.
enum Check {
    /// By ring: every scheme it implements.
    Ring(&'static dyn VerificationAlgorithm),
    /// RSASSA-PSS whose salt is not as long as the hash. RFC 8017 allows any salt length and
    /// some signers write the largest (endesive: 222 bytes for RSA-2048 with SHA-256); ring
    /// verifies only salt = hash length, so RustCrypto's `rsa` checks these.
    PssSalt {
        /// The hash of the message and of MGF1.
        digest: Digest,
        /// The salt length in bytes.
        salt: usize,
    },
}

/// RSASSA-PSS with MGF1 over `digest` and a salt of `salt` bytes, by the `rsa` crate.
fn pss_salt_verifies(key: &[u8], digest: Digest, salt: usize, message: &[u8], sig: &[u8]) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey;
    let Ok(public) = rsa::RsaPublicKey::from_pkcs1_der(key) else {
        return false;
    };
    let hashed = digest.digest(message);
    let scheme = match digest {
        Digest::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
        Digest::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        Digest::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
    };
    public.verify(scheme, &hashed, sig).is_ok()
}

/// How to check the signature value of this SignerInfo with this certificate's key.
fn signature_check(
    signer: &SignerInfoView,
    cert: &X509Certificate<'_>,
    digest: Digest,
) -> Result<Check, AlgorithmProblem> {
    let mismatch = |key| AlgorithmProblem::Mismatch {
        algorithm: signer.signature_algorithm.to_string(),
        key,
    };
    match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => {
            let bits = rsa.key_size();
            if bits < MIN_RSA_BITS {
                return Err(AlgorithmProblem::WeakKey(bits));
            }
            rsa_check(signer, digest).ok_or_else(|| mismatch("RSA"))
        }
        Ok(PublicKey::EC(_)) => ecdsa_algorithm(signer, cert, digest)
            .map(Check::Ring)
            .ok_or_else(|| mismatch("EC")),
        _ => Err(AlgorithmProblem::Unknown(
            cert.public_key().algorithm.algorithm.to_id_string(),
        )),
    }
}

fn rsa_check(signer: &SignerInfoView, digest: Digest) -> Option<Check> {
    let implied = match signer.signature_algorithm {
        oid::RSA_ENCRYPTION => Some(digest),
        oid::SHA256_WITH_RSA => Some(Digest::Sha256),
        oid::SHA384_WITH_RSA => Some(Digest::Sha384),
        oid::SHA512_WITH_RSA => Some(Digest::Sha512),
        oid::RSASSA_PSS => return pss_check(signer, digest),
        _ => None,
    }?;
    if implied != digest {
        return None;
    }
    Some(Check::Ring(match digest {
        Digest::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        Digest::Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        Digest::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
    }))
}

/// Most salt bytes accepted in RSASSA-PSS parameters: 1,024 (an RSA-8192 key's largest salt
/// with SHA-256 is 990; anything longer cannot verify).
const MAX_PSS_SALT: u64 = 1_024;

/// RSASSA-PSS: MGF1 with the message's hash (SHA-1 refused); ring when the salt is as long as
/// the hash, else the `rsa` crate.
fn pss_check(signer: &SignerInfoView, digest: Digest) -> Option<Check> {
    let params = Any::from_der(signer.signature_parameters.as_deref()?).ok()?;
    let mut hash = None;
    let mut salt = 20u64; // RFC 4055 default
    for field in elements(&params).ok()? {
        let inner = Any::from_der(field.value()).ok()?;
        match context_number(&field)? {
            0 => hash = Digest::from_oid(&algorithm(&inner).ok()?.0).ok(),
            2 => salt = inner.decode_as::<u64>().ok()?,
            _ => {}
        }
    }
    let hash = hash?; // the SHA-1 default is refused
    if hash != digest || salt > MAX_PSS_SALT {
        return None;
    }
    if salt != hash.ring().output_len() as u64 {
        return Some(Check::PssSalt {
            digest: hash,
            salt: salt as usize,
        });
    }
    Some(Check::Ring(match hash {
        Digest::Sha256 => &signature::RSA_PSS_2048_8192_SHA256,
        Digest::Sha384 => &signature::RSA_PSS_2048_8192_SHA384,
        Digest::Sha512 => &signature::RSA_PSS_2048_8192_SHA512,
    }))
}

fn ecdsa_algorithm(
    signer: &SignerInfoView,
    cert: &X509Certificate<'_>,
    digest: Digest,
) -> Option<&'static dyn VerificationAlgorithm> {
    let implied = match signer.signature_algorithm {
        oid::ECDSA_SHA256 => Digest::Sha256,
        oid::ECDSA_SHA384 => Digest::Sha384,
        oid::ECDSA_SHA512 => Digest::Sha512,
        _ => return None,
    };
    if implied != digest {
        return None;
    }
    let params = cert.public_key().algorithm.parameters.as_ref()?;
    let curve: ObjectIdentifier = params.as_oid().ok()?.to_id_string().parse().ok()?;
    match (curve, digest) {
        (oid::P256, Digest::Sha256) => Some(&signature::ECDSA_P256_SHA256_ASN1),
        (oid::P256, Digest::Sha384) => Some(&signature::ECDSA_P256_SHA384_ASN1),
        (oid::P384, Digest::Sha256) => Some(&signature::ECDSA_P384_SHA256_ASN1),
        (oid::P384, Digest::Sha384) => Some(&signature::ECDSA_P384_SHA384_ASN1),
        _ => None,
    }
}

/// Does the ESS signing-certificate-v2 (or v1) attribute name this certificate?
fn ess_matches(signer: &SignerInfoView, cert_der: &[u8]) -> Option<bool> {
    let (value, v2) = match signer.signed(oid::SIGNING_CERTIFICATE_V2) {
        Some(value) => (value, true),
        None => (signer.signed(oid::SIGNING_CERTIFICATE)?, false),
    };
    let first_id = (|| {
        let outer = Any::from_der(value).ok()?;
        let certs = elements(&outer).ok()?.into_iter().next()?;
        elements(&certs).ok()?.into_iter().next()
    })();
    let Some(id) = first_id else {
        return Some(false);
    };
    let fields = elements(&id).ok()?;
    let (hash_alg, hash) = match fields.first() {
        Some(field) if v2 && field.tag() == Tag::Sequence => {
            (algorithm(field).ok()?.0, fields.get(1)?)
        }
        Some(field) => (if v2 { oid::SHA256 } else { oid::SHA1 }, field),
        None => return Some(false),
    };
    let computed = match hash_alg {
        oid::SHA1 => ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, cert_der)
            .as_ref()
            .to_vec(),
        other => Digest::from_oid(&other).ok()?.digest(cert_der),
    };
    let named: OctetString = hash.decode_as().ok()?;
    Some(named.as_bytes() == computed)
}

fn parse_time(value: &[u8]) -> Option<OffsetDateTime> {
    let time = x509_cert::time::Time::from_der(value).ok()?;
    let seconds = time.to_unix_duration().as_secs();
    OffsetDateTime::from_unix_timestamp(i64::try_from(seconds).ok()?).ok()
}

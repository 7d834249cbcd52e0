//! CMS SignedData for PAdES signatures (SubFilter `ETSI.CAdES.detached`).
//!
//! The signature is built in stages, each a type (STYLE.md habit 6):
//! [`SignedAttributes::new`] fixes what is signed (content-type, message-digest of the PDF's
//! byte ranges, signing-certificate-v2; ETSI EN 319 142-1 forbids the CMS signing-time attribute
//! in PAdES, the claimed time goes in the signature dictionary's `/M`), and exposes the DER that
//! the key signs ([`SignedAttributes::to_be_signed`]: the attributes re-tagged as a SET, RFC 5652
//! §5.4). The signature value may come from a key file, a token, or a remote service hours
//! later; [`SignedAttributes::complete`] then assembles the [`SignedCms`], to which an RFC 3161
//! signature timestamp can be added as an unsigned attribute (PAdES B-T).
//!
//! Only `cms`/`der`/`x509-cert` types are used here; no primitive is implemented: digests come
//! from `ring`, and signatures from whatever signs [`SignedAttributes::to_be_signed`].

use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use ring::digest;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use crate::oid;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};

use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};

/// A digest algorithm allowed for signing (SHA-1 is refused everywhere: the Vietnamese
/// standards list none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-256, the default.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// Its object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha256 => oid::SHA256,
            DigestAlgorithm::Sha384 => oid::SHA384,
            DigestAlgorithm::Sha512 => oid::SHA512,
        }
    }

    /// Its algorithm identifier (parameters absent, RFC 5754 §2).
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The algorithm for an object identifier, if allowed.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [Self::Sha256, Self::Sha384, Self::Sha512]
            .into_iter()
            .find(|alg| alg.oid() == *oid)
    }

    /// ring's implementation.
    pub fn ring(self) -> &'static digest::Algorithm {
        match self {
            DigestAlgorithm::Sha256 => &digest::SHA256,
            DigestAlgorithm::Sha384 => &digest::SHA384,
            DigestAlgorithm::Sha512 => &digest::SHA512,
        }
    }

    /// Digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        digest::digest(self.ring(), data).as_ref().to_vec()
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        self.ring().output_len()
    }
}

/// A signature scheme as CMS names it in `SignerInfo.signatureAlgorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// RSA PKCS#1 v1.5 (`rsaEncryption`, as OpenSSL and most Vietnamese tokens write it).
    RsaPkcs1,
    /// RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest.
    RsaPss,
    /// ECDSA, DER-encoded `SEQUENCE { r, s }`.
    Ecdsa,
}

impl SignatureScheme {
    /// The `signatureAlgorithm` identifier for this scheme with `digest`.
    pub fn identifier(self, digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned, CmsError> {
        let (oid, parameters) = match self {
            SignatureScheme::RsaPkcs1 => (oid::RSA_ENCRYPTION, Some(Any::null())),
            SignatureScheme::RsaPss => (oid::RSASSA_PSS, Some(pss_parameters(digest)?)),
            SignatureScheme::Ecdsa => (
                match digest {
                    DigestAlgorithm::Sha256 => oid::ECDSA_SHA256,
                    DigestAlgorithm::Sha384 => oid::ECDSA_SHA384,
                    DigestAlgorithm::Sha512 => oid::ECDSA_SHA512,
                },
                None,
            ),
        };
        Ok(AlgorithmIdentifierOwned { oid, parameters })
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1), every field explicit.
#[derive(Debug, Clone, Sequence)]
struct PssParameters {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    hash: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT")]
    mask_gen: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    salt_length: u32,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
    trailer_field: u32,
}

fn pss_parameters(digest: DigestAlgorithm) -> Result<Any, CmsError> {
    let params = PssParameters {
        hash: digest.identifier(),
        mask_gen: AlgorithmIdentifierOwned {
            oid: oid::MGF1,
            parameters: Some(Any::encode_from(&digest.identifier())?),
        },
        salt_length: digest.output_len() as u32,
        trailer_field: 1,
    };
    Ok(Any::encode_from(&params)?)
}

/// ESSCertIDv2 (RFC 5035); the hash algorithm is SHA-256, the DEFAULT, hence absent.
#[derive(Debug, Clone, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// IssuerSerial (RFC 5035).
#[derive(Debug, Clone, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// SigningCertificateV2 (RFC 5035) without policies.
#[derive(Debug, Clone, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// Errors building or reading CMS structures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// DER encoding or decoding failed.
    #[error("CMS encoding: {0}")]
    Der(#[from] der::Error),
    /// The content digest has the wrong length for its algorithm.
    #[error("message digest is {got} bytes, {alg:?} needs {expected}")]
    DigestLength {
        /// The algorithm.
        alg: DigestAlgorithm,
        /// Its length.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// No signing certificate was given.
    #[error("the signer's certificate chain is empty")]
    NoCertificate,
    /// A timestamp token is not a SignedData ContentInfo.
    #[error("timestamp token is not a CMS SignedData")]
    NotSignedData,
}

/// Step 1: the signed attributes over a content digest, ready to be signed.
#[derive(Debug, Clone)]
pub struct SignedAttributes {
    digest: DigestAlgorithm,
    attributes: SetOfVec<Attribute>,
    chain: Vec<Certificate>,
}

impl SignedAttributes {
    /// The PAdES signed attributes (content-type id-data, message-digest, signing-certificate-v2)
    /// for a content digest made with `digest`, signed by the first certificate of `chain`.
    pub fn new(
        content_digest: &[u8],
        digest: DigestAlgorithm,
        chain: Vec<Certificate>,
    ) -> Result<Self, CmsError> {
        if content_digest.len() != digest.output_len() {
            return Err(CmsError::DigestLength {
                alg: digest,
                expected: digest.output_len(),
                got: content_digest.len(),
            });
        }
        let signer = chain.first().ok_or(CmsError::NoCertificate)?;
        let mut attributes = SetOfVec::new();
        attributes.insert(attribute(oid::CONTENT_TYPE, Any::encode_from(&oid::DATA)?)?)?;
        attributes.insert(attribute(
            oid::MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(content_digest)?)?,
        )?)?;
        attributes.insert(attribute(
            oid::SIGNING_CERTIFICATE_V2,
            Any::encode_from(&signing_certificate_v2(signer)?)?,
        )?)?;
        Ok(SignedAttributes {
            digest,
            attributes,
            chain,
        })
    }

    /// The bytes the key signs: the DER of the attributes as a SET OF (RFC 5652 §5.4).
    /// An external signer (hash signing) receives the digest of these bytes.
    pub fn to_be_signed(&self) -> Result<Vec<u8>, CmsError> {
        Ok(self.attributes.to_der()?)
    }

    /// The digest of [`Self::to_be_signed`], for signers that sign a hash (CSC signHash,
    /// PKCS#11 raw mechanisms).
    pub fn to_be_signed_digest(&self) -> Result<Vec<u8>, CmsError> {
        Ok(self.digest.digest(&self.to_be_signed()?))
    }

    /// The digest algorithm.
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest
    }

    /// Step 2: assemble the SignedData with the signature value over [`Self::to_be_signed`].
    pub fn complete(
        self,
        scheme: SignatureScheme,
        signature: Vec<u8>,
    ) -> Result<SignedCms, CmsError> {
        let signer = self.chain.first().ok_or(CmsError::NoCertificate)?;
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: signer.tbs_certificate.issuer.clone(),
                serial_number: signer.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: self.digest.identifier(),
            signed_attrs: Some(self.attributes),
            signature_algorithm: scheme.identifier(self.digest)?,
            signature: OctetString::new(signature)?,
            unsigned_attrs: None,
        };
        Ok(SignedCms {
            digest: self.digest,
            signer_info,
            chain: self.chain,
        })
    }
}

/// Step 3: a complete CMS signature, to which a signature timestamp may be added.
#[derive(Debug, Clone)]
pub struct SignedCms {
    digest: DigestAlgorithm,
    signer_info: SignerInfo,
    chain: Vec<Certificate>,
}

impl SignedCms {
    /// The signature value (what an RFC 3161 signature timestamp's imprint covers).
    pub fn signature_value(&self) -> &[u8] {
        self.signer_info.signature.as_bytes()
    }

    /// The digest of the signature value with the signature's digest algorithm, for the
    /// timestamp request.
    pub fn signature_value_digest(&self) -> Vec<u8> {
        self.digest.digest(self.signature_value())
    }

    /// The digest algorithm.
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest
    }

    /// Add an RFC 3161 timestamp token (a DER ContentInfo) as the
    /// signature-time-stamp-token unsigned attribute (PAdES B-T).
    pub fn with_timestamp(mut self, token_der: &[u8]) -> Result<Self, CmsError> {
        let token = ContentInfo::from_der(token_der)?;
        if token.content_type != oid::SIGNED_DATA {
            return Err(CmsError::NotSignedData);
        }
        let mut unsigned = self.signer_info.unsigned_attrs.take().unwrap_or_default();
        unsigned.insert(attribute(
            oid::SIGNATURE_TIMESTAMP_TOKEN,
            Any::encode_from(&token)?,
        )?)?;
        self.signer_info.unsigned_attrs = Some(unsigned);
        Ok(self)
    }

    /// The DER of the ContentInfo wrapping the detached SignedData.
    pub fn to_der(&self) -> Result<Vec<u8>, CmsError> {
        let mut certificates = SetOfVec::new();
        for cert in &self.chain {
            certificates.insert(CertificateChoices::Certificate(cert.clone()))?;
        }
        let mut digest_algorithms = SetOfVec::new();
        digest_algorithms.insert(self.digest.identifier())?;
        let mut signer_infos = SetOfVec::new();
        signer_infos.insert(self.signer_info.clone())?;
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: oid::DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(certificates)),
            crls: None,
            signer_infos: SignerInfos(signer_infos),
        };
        let info = ContentInfo {
            content_type: oid::SIGNED_DATA,
            content: Any::encode_from(&signed_data)?,
        };
        Ok(info.to_der()?)
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, CmsError> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

fn signing_certificate_v2(cert: &Certificate) -> Result<SigningCertificateV2, CmsError> {
    let cert_hash = DigestAlgorithm::Sha256.digest(&cert.to_der()?);
    Ok(SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(cert_hash)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cert.tbs_certificate.issuer.clone(),
                )],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            },
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_length_is_checked() {
        let error = SignedAttributes::new(&[0u8; 20], DigestAlgorithm::Sha256, Vec::new());
        assert!(matches!(
            error,
            Err(CmsError::DigestLength {
                expected: 32,
                got: 20,
                ..
            })
        ));
    }

    #[test]
    fn empty_chain_is_refused() {
        let error = SignedAttributes::new(&[0u8; 32], DigestAlgorithm::Sha256, Vec::new());
        assert!(matches!(error, Err(CmsError::NoCertificate)));
    }

    #[test]
    fn pss_identifier_names_its_digest() {
        let id = SignatureScheme::RsaPss
            .identifier(DigestAlgorithm::Sha384)
            .unwrap();
        assert_eq!(id.oid, oid::RSASSA_PSS);
        let der = id.to_der().unwrap();
        // The SHA-384 OID appears in both the hash and the MGF1 parameters.
        let sha384 = oid::SHA384.as_bytes();
        let count = der.windows(sha384.len()).filter(|w| *w == sha384).count();
        assert_eq!(count, 2);
    }
}

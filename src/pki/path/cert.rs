//! A certificate parsed once, at the edge, into the facts path validation needs.
//!
//! x509-parser does the parsing: it has its own ASN.1 stack (asn1-rs, nom), never panics on
//! bad input in our fuzzing experience and its own test-suite, exposes every extension with its
//! criticality (so an unknown critical extension is visible), decodes the extensions we act on
//! (basicConstraints, keyUsage, EKU, AKI/SKI, CRL distribution points, AIA, name
//! constraints), gives the raw TBS bytes for signature checks, and parses CRLs too. x509-cert
//! would give stricter DER but leaves every extension to decode by hand. The OCSP code, which
//! must use the `der` stack (x509-ocsp), hands certificates over as DER and they come back here.

use ring::digest;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use super::name::Name;
use super::signature::{AlgorithmId, PublicKeyInfo};

/// Largest certificate accepted: 64 KiB. Real CA certificates are 1–3 KB; the largest in the
/// Mozilla store is under 3 KB. The limit keeps a hostile pool from costing much memory.
pub const MAX_CERT_BYTES: usize = 64 * 1024;

/// Extensions whose meaning we implement, so they may be critical.
pub(crate) const UNDERSTOOD_EXTENSIONS: [&str; 10] = [
    "2.5.29.19",            // basicConstraints
    "2.5.29.15",            // keyUsage
    "2.5.29.37",            // extKeyUsage
    "2.5.29.17",            // subjectAltName (no name-based checks apply to document signers)
    "2.5.29.32",            // certificatePolicies: any policy is accepted
    "2.5.29.14",            // subjectKeyIdentifier (must not be critical, harmless if it is)
    "2.5.29.35",            // authorityKeyIdentifier (same)
    "2.5.29.31",            // cRLDistributionPoints
    "1.3.6.1.5.5.7.1.1",    // authorityInfoAccess
    "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
];
/// nameConstraints: understood, and rejected explicitly (we do not implement the subtrees).
pub(crate) const NAME_CONSTRAINTS: &str = "2.5.29.30";
const OCSP_NO_CHECK: &str = "1.3.6.1.5.5.7.48.1.5";
const AIA_OCSP: &str = "1.3.6.1.5.5.7.48.1";

/// The keyUsage bits we look at (RFC 5280 §4.2.1.3, bit 0 first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyUsageBits {
    pub(crate) digital_signature: bool,
    pub(crate) non_repudiation: bool,
    pub(crate) key_cert_sign: bool,
    pub(crate) crl_sign: bool,
    pub(crate) names: Vec<&'static str>,
}

/// A parsed certificate (chứng thư số).
#[derive(Debug, Clone)]
pub(crate) struct Cert {
    pub(crate) der: Vec<u8>,
    pub(crate) sha256: [u8; 32],
    pub(crate) tbs: Vec<u8>,
    pub(crate) signature_algorithm: AlgorithmId,
    pub(crate) tbs_signature_algorithm: AlgorithmId,
    pub(crate) signature: Vec<u8>,
    pub(crate) serial: Vec<u8>,
    pub(crate) subject: Name,
    pub(crate) issuer: Name,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) public_key: PublicKeyInfo,
    /// `(cA, pathLenConstraint)` when basicConstraints is present.
    pub(crate) basic_constraints: Option<(bool, Option<u32>)>,
    pub(crate) key_usage: Option<KeyUsageBits>,
    /// extKeyUsage OIDs in dotted form, when present.
    pub(crate) extended_key_usage: Option<Vec<String>>,
    pub(crate) subject_key_id: Option<Vec<u8>>,
    pub(crate) authority_key_id: Option<Vec<u8>>,
    /// Every critical extension's OID, understood or not.
    pub(crate) critical_extensions: Vec<String>,
    pub(crate) unknown_critical: Option<String>,
    pub(crate) has_name_constraints: bool,
    pub(crate) ocsp_no_check: bool,
    pub(crate) crl_urls: Vec<String>,
    pub(crate) ocsp_urls: Vec<String>,
}

impl Cert {
    /// Parses a DER certificate; the error text says what was wrong.
    pub(crate) fn parse(der: &[u8]) -> Result<Cert, String> {
        if der.len() > MAX_CERT_BYTES {
            return Err(format!(
                "certificate of {} bytes (at most {MAX_CERT_BYTES})",
                der.len()
            ));
        }
        let (rest, x509) = X509Certificate::from_der(der).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err(format!("{} bytes after the certificate", rest.len()));
        }
        x509.extensions_map()
            .map_err(|_| "an extension appears twice".to_owned())?;
        if x509.signature_value.unused_bits != 0 {
            return Err("the signature BIT STRING has unused bits".to_owned());
        }
        check_strict_der(der)?;
        let mut cert = Cert::basics(der, &x509);
        for ext in x509.extensions() {
            cert.read_extension(ext)?;
        }
        Ok(cert)
    }

    fn basics(der: &[u8], x509: &X509Certificate<'_>) -> Cert {
        Cert {
            der: der.to_vec(),
            sha256: sha256(der),
            tbs: x509.tbs_certificate.as_ref().to_vec(),
            signature_algorithm: AlgorithmId::from_x509(&x509.signature_algorithm),
            tbs_signature_algorithm: AlgorithmId::from_x509(&x509.tbs_certificate.signature),
            signature: x509.signature_value.data.to_vec(),
            serial: x509.raw_serial().to_vec(),
            subject: Name::from_x509(x509.subject()),
            issuer: Name::from_x509(x509.issuer()),
            not_before: x509.validity().not_before.to_datetime(),
            not_after: x509.validity().not_after.to_datetime(),
            public_key: PublicKeyInfo::from_x509(x509.public_key()),
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            critical_extensions: Vec::new(),
            unknown_critical: None,
            has_name_constraints: false,
            ocsp_no_check: false,
            crl_urls: Vec::new(),
            ocsp_urls: Vec::new(),
        }
    }

    fn read_extension(
        &mut self,
        ext: &x509_parser::extensions::X509Extension<'_>,
    ) -> Result<(), String> {
        let oid = ext.oid.to_id_string();
        if ext.critical {
            self.critical_extensions.push(oid.clone());
            let understood = UNDERSTOOD_EXTENSIONS.contains(&oid.as_str());
            if !understood && oid != NAME_CONSTRAINTS && self.unknown_critical.is_none() {
                self.unknown_critical = Some(oid.clone());
            }
        }
        match ext.parsed_extension() {
            ParsedExtension::ParseError { error } => {
                return Err(format!("extension {oid} is malformed: {error}"));
            }
            ParsedExtension::BasicConstraints(bc) => {
                self.basic_constraints = Some((bc.ca, bc.path_len_constraint));
            }
            ParsedExtension::KeyUsage(ku) => {
                self.key_usage = Some(KeyUsageBits {
                    digital_signature: ku.digital_signature(),
                    non_repudiation: ku.non_repudiation(),
                    key_cert_sign: ku.key_cert_sign(),
                    crl_sign: ku.crl_sign(),
                    names: key_usage_names(ku.flags),
                });
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                self.extended_key_usage = Some(eku_oids(eku));
            }
            ParsedExtension::SubjectKeyIdentifier(id) => self.subject_key_id = Some(id.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                self.authority_key_id = aki.key_identifier.as_ref().map(|id| id.0.to_vec());
            }
            ParsedExtension::NameConstraints(_) => self.has_name_constraints = true,
            ParsedExtension::CRLDistributionPoints(points) => {
                self.crl_urls = points
                    .iter()
                    .filter_map(|p| match &p.distribution_point {
                        Some(DistributionPointName::FullName(names)) => Some(names),
                        _ => None,
                    })
                    .flat_map(|names| uris(names))
                    .collect();
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                self.ocsp_urls = aia
                    .iter()
                    .filter(|d| d.access_method.to_id_string() == AIA_OCSP)
                    .filter_map(|d| uri(&d.access_location))
                    .collect();
            }
            _ if oid == OCSP_NO_CHECK => self.ocsp_no_check = true,
            _ if oid == NAME_CONSTRAINTS => self.has_name_constraints = true,
            _ => {}
        }
        Ok(())
    }

    /// Whether subject and issuer are the same name (self-issued, RFC 5280 §3.2).
    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject.matches(&self.issuer)
    }

    /// Whether `self` and `other` are the same certificate for loop detection (RFC 4158 §5.2:
    /// same subject name and same public key).
    pub(crate) fn same_subject_and_key(&self, other: &Cert) -> bool {
        self.subject.matches(&other.subject) && self.public_key.key == other.public_key.key
    }

    /// The serial number as colon-free lower-case hex.
    pub(crate) fn serial_hex(&self) -> String {
        hex(&self.serial)
    }
}

/// RFC 5280 names of the keyUsage bits, bit 0 first.
const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// A second, strict DER decoding with x509-cert. x509-parser is lenient in places that are
/// not signed (it accepted a wrong tag on the outer signatureAlgorithm OID in our corruption
/// test), so the outer structure is checked here, and both AlgorithmIdentifiers must agree
/// exactly (RFC 5280 §4.1.1.2).
fn check_strict_der(der: &[u8]) -> Result<(), String> {
    use der::Decode;
    let strict = x509_cert::Certificate::from_der(der).map_err(|e| format!("not DER: {e}"))?;
    if strict.signature_algorithm != strict.tbs_certificate.signature {
        return Err("signatureAlgorithm differs from tbsCertificate.signature".to_owned());
    }
    Ok(())
}

fn key_usage_names(flags: u16) -> Vec<&'static str> {
    KEY_USAGE_NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| (flags >> bit) & 1 == 1)
        .map(|(_, name)| *name)
        .collect()
}

fn eku_oids(eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    let known = [
        (eku.any, "2.5.29.37.0"),
        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    let mut oids: Vec<String> = known
        .iter()
        .filter(|(set, _)| *set)
        .map(|(_, oid)| (*oid).to_owned())
        .collect();
    oids.extend(eku.other.iter().map(|o| o.to_id_string()));
    oids
}

fn uris(names: &[GeneralName<'_>]) -> Vec<String> {
    names.iter().filter_map(uri).collect()
}

fn uri(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::URI(u) => Some((*u).to_owned()),
        _ => None,
    }
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

/// Lower-case hex of `data`.
pub(crate) fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

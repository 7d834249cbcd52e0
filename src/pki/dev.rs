//! The development PKI (hạ tầng khóa công khai thử nghiệm), shaped like what Vietnamese CAs issue.
//!
//! One declarative table, [`DEV_PKI`], says who exists, who issued whom, what each certificate
//! may do and which one the CRL revokes. `vanban pki init` writes it to `certs/dev/`; tests build
//! the same PKI in memory with [`generate`] or in a temporary directory with [`write_for_tests`]
//! (STYLE.md habit 10: the test PKI and the shipped one come from the same description).
//!
//! ```text
//!   root ── intermediate ──┬── leader    (cá nhân: lãnh đạo ký)        digitalSignature + nonRepudiation
//!   (self-signed)          ├── org       (tổ chức: dấu của cơ quan)     digitalSignature + nonRepudiation
//!                          ├── tsa       (dấu thời gian)                EKU timeStamping, critical
//!                          ├── ocsp      (máy chủ OCSP)                 EKU OCSPSigning, ocsp-nocheck
//!                          └── revoked   (chứng thư đã bị thu hồi)      listed in intermediate.crl
//! ```
//!
//! Subjects are UTF8String with Vietnamese diacritics, `C=VN` is a PrintableString (RFC 5280
//! requires it), and the user ID attribute (UID, 0.9.2342.19200300.100.1.1) carries
//! `CCCD:<12 digits>` for people and `MST:<tax code>` for organisations, as VNPT-CA, Viettel-CA
//! and the government CA write it.
//!
//! Timing, measured on the 2-core CI machine with dependencies at opt-level 2: P-256 keys take
//! well under a millisecond each, RSA-2048 about 0.1–1 s each (random prime search), RSA-3072
//! several seconds. Tests elsewhere should use [`DevKeyAlgorithm::P256`].

use std::fmt;
use std::path::{Path, PathBuf};

use der::pem::LineEnding;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    CustomExtension, DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason, RevokedCertParams, SerialNumber,
};
use ring::rand::SecureRandom;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::keystore::{KeyProtection, KeyStoreError, Passphrase, encrypt_pkcs8, write_private};
use super::signer::{KeySigner, SignerError};

/// What a certificate is for; decides basicConstraints, keyUsage and extendedKeyUsage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A CA below the root: CA, pathLen 0, keyCertSign + cRLSign.
    IntermediateCa,
    /// An OCSP responder delegated by its CA: EKU OCSPSigning, id-pkix-ocsp-nocheck.
    OcspResponder,
    /// The trust anchor: self-signed CA, keyCertSign + cRLSign.
    RootCa,
    /// An organisation's seal certificate (chứng thư số của cơ quan, tổ chức).
    Seal,
    /// A person's signing certificate (chứng thư số cá nhân).
    Signer,
    /// A time-stamping authority (RFC 3161): EKU timeStamping, critical.
    TimeStamping,
}

/// One attribute of a subject name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameAttribute {
    /// CN.
    CommonName,
    /// C (two letters, PrintableString).
    Country,
    /// L: district or city (quận, huyện, thành phố).
    Locality,
    /// O.
    Organization,
    /// OU.
    OrganizationalUnit,
    /// ST: province (tỉnh, thành phố trực thuộc trung ương).
    State,
    /// UID (0.9.2342.19200300.100.1.1): `CCCD:…`, `MST:…`, `MNS:…`.
    UserId,
}

/// A revocation the CRL records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    /// When, counted from the generation time (negative: in the past).
    pub minutes_from_now: i64,
    /// Why (keyCompromise for the dev PKI).
    pub reason: RevocationReason,
}

/// One certificate of the development PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntitySpec {
    /// File stem under the output directory and the name tests look it up by.
    pub name: &'static str,
    /// What the certificate is for.
    pub role: Role,
    /// The issuer's `name`; `None` for the self-signed root. Issuers come earlier in the table.
    pub issuer: Option<&'static str>,
    /// Subject attributes, in order.
    pub subject: &'static [(NameAttribute, &'static str)],
    /// Validity from generation time.
    pub valid_days: i64,
    /// Listed as revoked in the CRL of its issuer.
    pub revoked: Option<Revocation>,
}

const ORG_TEST: &str = "Dự án vanban – chỉ dùng thử nghiệm";

/// The development PKI, declared once (see the module documentation for the shape).
pub const DEV_PKI: &[EntitySpec] = &[
    EntitySpec {
        name: "root",
        role: Role::RootCa,
        issuer: None,
        subject: &[
            (NameAttribute::CommonName, "vanban Root CA thử nghiệm"),
            (NameAttribute::Organization, ORG_TEST),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 20 * 365,
        revoked: None,
    },
    EntitySpec {
        name: "intermediate",
        role: Role::IntermediateCa,
        issuer: Some("root"),
        subject: &[
            (NameAttribute::CommonName, "vanban CA cấp dưới thử nghiệm"),
            (NameAttribute::Organization, ORG_TEST),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 10 * 365,
        revoked: None,
    },
    EntitySpec {
        name: "leader",
        role: Role::Signer,
        issuer: Some("intermediate"),
        subject: &[
            (NameAttribute::UserId, "CCCD:001085012345"),
            (NameAttribute::CommonName, "Nguyễn Văn An"),
            (
                NameAttribute::Organization,
                "Công đoàn ngành Y tế tỉnh Đồng Nai",
            ),
            (NameAttribute::Locality, "Biên Hòa"),
            (NameAttribute::State, "Đồng Nai"),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 3 * 365,
        revoked: None,
    },
    EntitySpec {
        name: "org",
        role: Role::Seal,
        issuer: Some("intermediate"),
        subject: &[
            (NameAttribute::UserId, "MST:3600123456"),
            (
                NameAttribute::CommonName,
                "Công đoàn ngành Y tế tỉnh Đồng Nai",
            ),
            (NameAttribute::Locality, "Biên Hòa"),
            (NameAttribute::State, "Đồng Nai"),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 3 * 365,
        revoked: None,
    },
    EntitySpec {
        name: "tsa",
        role: Role::TimeStamping,
        issuer: Some("intermediate"),
        subject: &[
            (
                NameAttribute::CommonName,
                "vanban Dịch vụ cấp dấu thời gian thử nghiệm",
            ),
            (NameAttribute::Organization, ORG_TEST),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 5 * 365,
        revoked: None,
    },
    EntitySpec {
        name: "ocsp",
        role: Role::OcspResponder,
        issuer: Some("intermediate"),
        subject: &[
            (NameAttribute::CommonName, "vanban OCSP thử nghiệm"),
            (NameAttribute::Organization, ORG_TEST),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 365,
        revoked: None,
    },
    EntitySpec {
        name: "revoked",
        role: Role::Signer,
        issuer: Some("intermediate"),
        subject: &[
            (NameAttribute::UserId, "CCCD:079190000001"),
            (NameAttribute::CommonName, "Trần Thị Bích Ngọc"),
            (
                NameAttribute::Organization,
                "Công đoàn ngành Y tế tỉnh Đồng Nai",
            ),
            (NameAttribute::State, "Đồng Nai"),
            (NameAttribute::Country, "VN"),
        ],
        valid_days: 3 * 365,
        revoked: Some(Revocation {
            minutes_from_now: -30,
            reason: RevocationReason::KeyCompromise,
        }),
    },
];

/// The CA whose CRL is written (`<name>.crl`).
pub const CRL_ISSUER: &str = "intermediate";

/// A key and its chain: PKCS#8 DER (wiped on drop), then the certificates, leaf first (DER).
pub type IssuedKey = (Zeroizing<Vec<u8>>, Vec<Vec<u8>>);

/// Where CRLs and OCSP are said to live. `.invalid` (RFC 6761) never resolves, so nothing is
/// fetched by accident; validators use the files written next to the certificates.
pub const DEV_URL_BASE: &str = "http://pki.vanban.invalid";

/// The key algorithm for every certificate of the dev PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevKeyAlgorithm {
    /// ECDSA P-256 with SHA-256: fast, for tests.
    P256,
    /// RSA-2048 with SHA-256: what Vietnamese CAs issue most.
    Rsa2048,
    /// RSA-3072 with SHA-256.
    Rsa3072,
}

impl DevKeyAlgorithm {
    /// The name used on the command line (`p256`, `rsa2048`, `rsa3072`).
    pub fn name(self) -> &'static str {
        match self {
            DevKeyAlgorithm::P256 => "p256",
            DevKeyAlgorithm::Rsa2048 => "rsa2048",
            DevKeyAlgorithm::Rsa3072 => "rsa3072",
        }
    }
}

/// Options for [`generate`].
#[derive(Debug, Clone, Copy)]
pub struct DevPkiOptions {
    /// Key algorithm for every certificate.
    pub algorithm: DevKeyAlgorithm,
    /// Generation time: certificates are valid from an hour before it, the CRL is issued an
    /// hour before it and is fresh for 30 days after.
    pub now: OffsetDateTime,
}

impl DevPkiOptions {
    /// `algorithm`, generated now.
    pub fn new(algorithm: DevKeyAlgorithm) -> DevPkiOptions {
        DevPkiOptions {
            algorithm,
            now: OffsetDateTime::now_utc(),
        }
    }
}

/// A generated development PKI, in memory.
pub struct DevPki {
    /// The key algorithm used.
    pub algorithm: DevKeyAlgorithm,
    /// Every certificate with its key, in [`DEV_PKI`] order.
    pub entities: Vec<DevEntity>,
    /// The CRL of [`CRL_ISSUER`] (DER).
    pub crl_der: Vec<u8>,
}

/// One certificate of a [`DevPki`] with its private key.
pub struct DevEntity {
    /// Its line of [`DEV_PKI`].
    pub spec: &'static EntitySpec,
    /// The certificate (DER).
    pub certificate_der: Vec<u8>,
    key_pkcs8: Zeroizing<Vec<u8>>,
}

impl DevEntity {
    /// The private key as unencrypted PKCS#8 DER (in memory only; written encrypted).
    pub fn key_pkcs8(&self) -> &[u8] {
        &self.key_pkcs8
    }

    /// The certificate as PEM.
    pub fn certificate_pem(&self) -> String {
        pem("CERTIFICATE", &self.certificate_der)
    }
}

impl fmt::Debug for DevEntity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevEntity")
            .field("name", &self.spec.name)
            .field("certificate_bytes", &self.certificate_der.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for DevPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevPki")
            .field("algorithm", &self.algorithm)
            .field("entities", &self.entities)
            .finish_non_exhaustive()
    }
}

/// Why the dev PKI could not be made or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevPkiError {
    /// rcgen refused a certificate or the CRL.
    #[error("cannot issue {name}: {source}")]
    Issue {
        /// The entity (or `crl`).
        name: &'static str,
        /// rcgen's error.
        source: rcgen::Error,
    },
    /// Writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Key generation failed.
    #[error("cannot generate the key for {name}: {reason}")]
    KeyGeneration {
        /// The entity.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// Encrypting or writing a key failed.
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
    /// A signer could not be built from a generated key.
    #[error("{name}: {source}")]
    Signer {
        /// The entity.
        name: String,
        /// Why.
        source: SignerError,
    },
    /// No entity of that name in [`DEV_PKI`], or an issuer listed after its subject.
    #[error("no entity named {0:?} in the dev PKI")]
    UnknownEntity(String),
}

/// Generate the whole [`DEV_PKI`] in memory.
pub fn generate(options: &DevPkiOptions) -> Result<DevPki, DevPkiError> {
    let mut issued: Vec<Issued> = Vec::with_capacity(DEV_PKI.len());
    for spec in DEV_PKI {
        let pkcs8 = generate_key(options.algorithm, spec.name)?;
        let key = KeyPair::try_from(pkcs8.as_slice()).map_err(|source| DevPkiError::Issue {
            name: spec.name,
            source,
        })?;
        let params = certificate_params(spec, options.now)?;
        let issue = |source| DevPkiError::Issue {
            name: spec.name,
            source,
        };
        let certificate = match spec.issuer {
            None => params.self_signed(&key).map_err(issue)?,
            Some(issuer_name) => {
                let parent = issued
                    .iter()
                    .find(|i| i.spec.name == issuer_name)
                    .ok_or_else(|| DevPkiError::UnknownEntity(issuer_name.to_owned()))?;
                let issuer = Issuer::from_params(&parent.params, &parent.key);
                params.signed_by(&key, &issuer).map_err(issue)?
            }
        };
        issued.push(Issued {
            spec,
            params,
            key,
            pkcs8,
            der: certificate.der().to_vec(),
        });
    }
    let crl_der = issue_crl(&issued, options.now)?;
    let entities = issued
        .into_iter()
        .map(|i| DevEntity {
            spec: i.spec,
            certificate_der: i.der,
            key_pkcs8: i.pkcs8,
        })
        .collect();
    Ok(DevPki {
        algorithm: options.algorithm,
        entities,
        crl_der,
    })
}

/// Generate a P-256 dev PKI and write it to `dir` with keys under `passphrase` protected by
/// [`KeyProtection::FAST_FOR_TESTS`]: the quick way for tests elsewhere to get real files.
pub fn write_for_tests(dir: &Path, passphrase: &Passphrase) -> Result<DevPki, DevPkiError> {
    let pki = generate(&DevPkiOptions::new(DevKeyAlgorithm::P256))?;
    pki.write(dir, passphrase, KeyProtection::FAST_FOR_TESTS)?;
    Ok(pki)
}

impl DevPki {
    /// The entity named `name` ("root", "leader" …).
    pub fn entity(&self, name: &str) -> Option<&DevEntity> {
        self.entities.iter().find(|e| e.spec.name == name)
    }

    /// The root certificate (DER).
    pub fn root_der(&self) -> &[u8] {
        self.entities
            .iter()
            .find(|e| e.spec.issuer.is_none())
            .map(|e| e.certificate_der.as_slice())
            .unwrap_or_default()
    }

    /// The chain of `name`: its certificate, then its issuers up to but not including the root
    /// (what a CMS signature carries). Empty if there is no such entity.
    pub fn chain(&self, name: &str) -> Vec<Vec<u8>> {
        let mut chain = Vec::new();
        let mut next = self.entity(name);
        while let Some(entity) = next {
            if entity.spec.issuer.is_none() {
                break;
            }
            chain.push(entity.certificate_der.clone());
            next = entity.spec.issuer.and_then(|issuer| self.entity(issuer));
        }
        chain
    }

    /// An in-memory signer for `name`, with its chain.
    pub fn signer(&self, name: &str) -> Result<KeySigner, DevPkiError> {
        let entity = self
            .entity(name)
            .ok_or_else(|| DevPkiError::UnknownEntity(name.to_owned()))?;
        let chain = if entity.spec.issuer.is_none() {
            vec![entity.certificate_der.clone()]
        } else {
            self.chain(name)
        };
        KeySigner::from_pkcs8(Zeroizing::new(entity.key_pkcs8.to_vec()), chain).map_err(|source| {
            DevPkiError::Signer {
                name: name.to_owned(),
                source,
            }
        })
    }

    /// A new certificate and key for `holder`, issued now by the intermediate CA with the
    /// same extensions as the table's leader (`Signer`) or seal (`Seal`): the demo and the
    /// service give each person and each issuing organisation they meet a certificate of
    /// their own. The key exists only in the returned signer (with its chain).
    pub fn issue_for(&self, holder: &Holder<'_>) -> Result<KeySigner, DevPkiError> {
        let (pkcs8, chain) = self.issue_key_for(holder)?;
        KeySigner::from_pkcs8(pkcs8, chain).map_err(|source| DevPkiError::Signer {
            name: holder.entity().to_owned(),
            source,
        })
    }

    /// [`DevPki::issue_for`], returning the key itself (PKCS#8 DER, wiped on drop) and the
    /// chain, for a caller that stores the key encrypted (the service binds it to its user).
    pub fn issue_key_for(&self, holder: &Holder<'_>) -> Result<IssuedKey, DevPkiError> {
        let name = holder.entity();
        let ca = self
            .entity(CRL_ISSUER)
            .ok_or_else(|| DevPkiError::UnknownEntity(CRL_ISSUER.to_owned()))?;
        let issue = |source| DevPkiError::Issue { name, source };
        let ca_key = KeyPair::try_from(ca.key_pkcs8.as_slice()).map_err(issue)?;
        let ca_der = rustls_pki_types::CertificateDer::from(ca.certificate_der.as_slice());
        let issuer = Issuer::from_ca_cert_der(&ca_der, ca_key).map_err(issue)?;
        let pkcs8 = generate_key(self.algorithm, name)?;
        let key = KeyPair::try_from(pkcs8.as_slice()).map_err(issue)?;
        let role = holder.role();
        let spec = DEV_PKI
            .iter()
            .find(|spec| spec.role == role)
            .ok_or_else(|| DevPkiError::UnknownEntity(name.to_owned()))?;
        let mut params = certificate_params(spec, OffsetDateTime::now_utc())?;
        params.distinguished_name = subject_of(name, &holder.attributes())?;
        let certificate = params.signed_by(&key, &issuer).map_err(issue)?;
        let mut chain = vec![certificate.der().to_vec()];
        chain.extend(self.chain(CRL_ISSUER));
        Ok((pkcs8, chain))
    }

    /// Write every certificate (`<name>.pem`), chain (`<name>-chain.pem`, leaves only), key
    /// (`<name>-key.pem`, encrypted, mode 0600) and the CRL (`<issuer>.crl` DER and
    /// `<issuer>.crl.pem`) into `dir`, creating it. Returns the paths written.
    pub fn write(
        &self,
        dir: &Path,
        passphrase: &Passphrase,
        protection: KeyProtection,
    ) -> Result<Vec<PathBuf>, DevPkiError> {
        std::fs::create_dir_all(dir).map_err(|source| DevPkiError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let mut written = Vec::new();
        for entity in &self.entities {
            let name = entity.spec.name;
            written.push(write_file(
                dir,
                &format!("{name}.pem"),
                entity.certificate_pem(),
            )?);
            if matches!(entity.spec.role, Role::RootCa | Role::IntermediateCa) {
                // no chain file for CAs
            } else {
                let chain: String = self
                    .chain(name)
                    .iter()
                    .map(|c| pem("CERTIFICATE", c))
                    .collect();
                written.push(write_file(dir, &format!("{name}-chain.pem"), chain)?);
            }
            let key = encrypt_pkcs8(&entity.key_pkcs8, passphrase, protection)?;
            let path = dir.join(format!("{name}-key.pem"));
            write_private(&path, &key)?;
            written.push(path);
        }
        let path = dir.join(format!("{CRL_ISSUER}.crl"));
        std::fs::write(&path, &self.crl_der).map_err(|source| DevPkiError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
        let crl_pem = pem("X509 CRL", &self.crl_der);
        written.push(write_file(dir, &format!("{CRL_ISSUER}.crl.pem"), crl_pem)?);
        Ok(written)
    }
}

/// Whom [`DevPki::issue_for`] issues a certificate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder<'a> {
    /// A person who signs (lãnh đạo): CN, UID `CCCD:…` derived from the name.
    Person {
        /// Full name ("Nguyễn Văn A").
        name: &'a str,
        /// The organisation, as O.
        organisation: &'a str,
    },
    /// An organisation's seal (cơ quan, tổ chức): CN, UID `MST:…` derived from the name.
    Organisation {
        /// Its name ("Liên đoàn Lao động tỉnh Lai Châu").
        name: &'a str,
    },
}

impl Holder<'_> {
    fn entity(&self) -> &'static str {
        match self {
            Holder::Person { .. } => "person",
            Holder::Organisation { .. } => "organisation",
        }
    }

    fn role(&self) -> Role {
        match self {
            Holder::Person { .. } => Role::Signer,
            Holder::Organisation { .. } => Role::Seal,
        }
    }

    /// Subject attributes; the UID digits are a digest of the name, so one name always gets
    /// the same (fictitious) identifier.
    fn attributes(&self) -> Vec<(NameAttribute, String)> {
        match self {
            Holder::Person { name, organisation } => vec![
                (NameAttribute::UserId, uid("CCCD:", name, 12)),
                (NameAttribute::CommonName, (*name).to_owned()),
                (NameAttribute::Organization, (*organisation).to_owned()),
                (NameAttribute::Country, "VN".to_owned()),
            ],
            Holder::Organisation { name } => vec![
                (NameAttribute::UserId, uid("MST:", name, 10)),
                (NameAttribute::CommonName, (*name).to_owned()),
                (NameAttribute::Country, "VN".to_owned()),
            ],
        }
    }
}

/// `prefix` and `digits` decimal digits taken from the SHA-256 of `name`.
fn uid(prefix: &str, name: &str, digits: usize) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, crate::text::nfc(name).as_bytes());
    let numbers: String = digest
        .as_ref()
        .iter()
        .take(digits)
        .map(|byte| char::from(b'0' + byte % 10))
        .collect();
    format!("{prefix}{numbers}")
}

struct Issued {
    spec: &'static EntitySpec,
    params: CertificateParams,
    key: KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
    der: Vec<u8>,
}

fn generate_key(
    algorithm: DevKeyAlgorithm,
    name: &'static str,
) -> Result<Zeroizing<Vec<u8>>, DevPkiError> {
    let failed = |reason: String| DevPkiError::KeyGeneration { name, reason };
    let bits = match algorithm {
        DevKeyAlgorithm::P256 => {
            let rng = ring::rand::SystemRandom::new();
            let alg = &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING;
            let doc = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &rng)
                .map_err(|e| failed(e.to_string()))?;
            return Ok(Zeroizing::new(doc.as_ref().to_vec()));
        }
        DevKeyAlgorithm::Rsa2048 => 2048,
        DevKeyAlgorithm::Rsa3072 => 3072,
    };
    // ring cannot generate RSA keys (crates.md §6); the rsa crate can, and wipes on drop.
    let key =
        rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits).map_err(|e| failed(e.to_string()))?;
    let doc = pkcs8::EncodePrivateKey::to_pkcs8_der(&key).map_err(|e| failed(e.to_string()))?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

fn certificate_params(
    spec: &'static EntitySpec,
    now: OffsetDateTime,
) -> Result<CertificateParams, DevPkiError> {
    let mut params = CertificateParams::default();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(spec.valid_days);
    params.serial_number = Some(random_serial(spec.name)?);
    params.distinguished_name = subject(spec)?;
    params.key_identifier_method = KeyIdMethod::Sha256;
    params.use_authority_key_identifier_extension = spec.issuer.is_some();
    match spec.role {
        Role::RootCa => {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        }
        Role::IntermediateCa => {
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            params.crl_distribution_points = crl_distribution_point("root");
        }
        Role::Signer | Role::Seal => {
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
            params.crl_distribution_points = crl_distribution_point(CRL_ISSUER);
            params.custom_extensions.push(ocsp_access());
        }
        Role::TimeStamping => {
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
            // RFC 3161 §2.3: the TSA certificate has exactly one EKU, timeStamping, critical.
            // rcgen writes EKU non-critical, so it is written here as a custom extension.
            let mut eku =
                CustomExtension::from_oid_content(&OID_EXT_KEY_USAGE, EKU_TIME_STAMPING.to_vec());
            eku.set_criticality(true);
            params.custom_extensions.push(eku);
            params.crl_distribution_points = crl_distribution_point(CRL_ISSUER);
        }
        Role::OcspResponder => {
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::OcspSigning];
            // RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck, NULL.
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    &OID_OCSP_NOCHECK,
                    vec![0x05, 0x00],
                ));
        }
    }
    Ok(params)
}

fn subject(spec: &EntitySpec) -> Result<DistinguishedName, DevPkiError> {
    subject_of(spec.name, spec.subject)
}

fn subject_of<S: AsRef<str>>(
    entity: &'static str,
    attributes: &[(NameAttribute, S)],
) -> Result<DistinguishedName, DevPkiError> {
    let mut name = DistinguishedName::new();
    for (attribute, value) in attributes {
        let text = crate::text::nfc(value.as_ref());
        let (kind, value) = match attribute {
            NameAttribute::CommonName => (DnType::CommonName, DnValue::Utf8String(text)),
            NameAttribute::Country => {
                let printable =
                    rcgen::string::PrintableString::try_from(text.as_str()).map_err(|e| {
                        DevPkiError::Issue {
                            name: entity,
                            source: e,
                        }
                    })?;
                (DnType::CountryName, DnValue::PrintableString(printable))
            }
            NameAttribute::Locality => (DnType::LocalityName, DnValue::Utf8String(text)),
            NameAttribute::Organization => (DnType::OrganizationName, DnValue::Utf8String(text)),
            NameAttribute::OrganizationalUnit => {
                (DnType::OrganizationalUnitName, DnValue::Utf8String(text))
            }
            NameAttribute::State => (DnType::StateOrProvinceName, DnValue::Utf8String(text)),
            NameAttribute::UserId => (
                DnType::CustomDnType(OID_USER_ID.to_vec()),
                DnValue::Utf8String(text),
            ),
        };
        name.push(kind, value);
    }
    Ok(name)
}

fn issue_crl(issued: &[Issued], now: OffsetDateTime) -> Result<Vec<u8>, DevPkiError> {
    let ca = issued
        .iter()
        .find(|i| i.spec.name == CRL_ISSUER)
        .ok_or_else(|| DevPkiError::UnknownEntity(CRL_ISSUER.to_owned()))?;
    let mut revoked_certs = Vec::new();
    for entity in issued.iter().filter(|i| i.spec.issuer == Some(CRL_ISSUER)) {
        let Some(revocation) = entity.spec.revoked else {
            continue;
        };
        let Some(serial_number) = entity.params.serial_number.clone() else {
            continue;
        };
        revoked_certs.push(RevokedCertParams {
            serial_number,
            revocation_time: now + Duration::minutes(revocation.minutes_from_now),
            reason_code: Some(revocation.reason),
            invalidity_date: None,
        });
    }
    let params = CertificateRevocationListParams {
        this_update: now - Duration::hours(1),
        next_update: now + Duration::days(30),
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs,
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let issuer = Issuer::from_params(&ca.params, &ca.key);
    let crl = params
        .signed_by(&issuer)
        .map_err(|source| DevPkiError::Issue {
            name: "crl",
            source,
        })?;
    Ok(crl.der().to_vec())
}

fn random_serial(name: &'static str) -> Result<SerialNumber, DevPkiError> {
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|e| DevPkiError::KeyGeneration {
            name,
            reason: e.to_string(),
        })?;
    // Positive and exactly 16 bytes long (RFC 5280 §4.1.2.2: positive, at most 20 octets).
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    Ok(SerialNumber::from_slice(&bytes))
}

fn crl_distribution_point(issuer: &str) -> Vec<CrlDistributionPoint> {
    vec![CrlDistributionPoint {
        uris: vec![format!("{DEV_URL_BASE}/{issuer}.crl")],
    }]
}

/// authorityInfoAccess with one OCSP access description (RFC 5280 §4.2.2.1).
fn ocsp_access() -> CustomExtension {
    let url = format!("{DEV_URL_BASE}/ocsp");
    // SEQUENCE { SEQUENCE { id-ad-ocsp, [6] IA5String url } }; lengths stay under 128 bytes.
    let mut description = vec![0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];
    description.push(0x86);
    description.push(url.len() as u8);
    description.extend_from_slice(url.as_bytes());
    let mut inner = vec![0x30, description.len() as u8];
    inner.extend(description);
    let mut outer = vec![0x30, inner.len() as u8];
    outer.extend(inner);
    CustomExtension::from_oid_content(&OID_AUTHORITY_INFO_ACCESS, outer)
}

fn write_file(dir: &Path, name: &str, text: String) -> Result<PathBuf, DevPkiError> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|source| DevPkiError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

fn pem(label: &str, der: &[u8]) -> String {
    // Encoding bytes already in memory as base64 cannot fail; an empty string would show.
    der::pem::encode_string(label, LineEnding::LF, der).unwrap_or_default()
}

const OID_USER_ID: [u64; 7] = [0, 9, 2342, 19200300, 100, 1, 1];
const OID_EXT_KEY_USAGE: [u64; 4] = [2, 5, 29, 37];
const OID_AUTHORITY_INFO_ACCESS: [u64; 9] = [1, 3, 6, 1, 5, 5, 7, 1, 1];
const OID_OCSP_NOCHECK: [u64; 10] = [1, 3, 6, 1, 5, 5, 7, 48, 1, 5];
/// DER `SEQUENCE { id-kp-timeStamping }` (1.3.6.1.5.5.7.3.8).
const EKU_TIME_STAMPING: [u8; 12] = [
    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::signer::Signer;

    #[test]
    fn table_lists_issuers_before_subjects() {
        for (index, spec) in DEV_PKI.iter().enumerate() {
            if let Some(issuer) = spec.issuer {
                let at = DEV_PKI.iter().position(|s| s.name == issuer);
                assert!(
                    at.is_some_and(|at| at < index),
                    "{} before {issuer}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn p256_pki_chains_and_signs() {
        let pki = generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("generates");
        assert_eq!(pki.entities.len(), DEV_PKI.len());
        let chain = pki.chain("leader");
        assert_eq!(chain.len(), 2, "leader, intermediate");
        let (_, leader) = x509_parser::parse_x509_certificate(&chain[0]).expect("parses");
        let cn = leader.subject().iter_common_name().next().expect("CN");
        assert_eq!(cn.as_str().expect("UTF-8"), "Nguyễn Văn An");
        let signer = pki.signer("leader").expect("signer");
        let signature = signer.sign("Kế hoạch".as_bytes()).expect("signs");
        let spki = leader.public_key().subject_public_key.data.to_vec();
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, spki)
            .verify("Kế hoạch".as_bytes(), &signature)
            .expect("verifies");
    }
}

//! `vanban sign IN.pdf -o OUT.pdf …`: one PAdES signature, in any of the decree's roles.
//!
//! ```text
//! leader:    vanban sign draft.pdf -o leader.pdf --certify --key leader-key.pem --cert leader-chain.pem
//! văn thư:   vanban sign leader.pdf -o signed.pdf --field dau --number 36 --date 2020-03-20 --p12 org.p12
//! attachment vanban sign phu-luc.pdf -o pl.pdf --attachment-of 36/KH-CĐN --key … --cert …
//! copy       vanban sign ban-goc.pdf -o sao.pdf --copy "SAO Y" --copier "LĐLĐ TỈNH LAI CHÂU" --key …
//! external:  vanban sign draft.pdf --external-prepare state.json --cert leader-chain.pem --certify
//!            (sign the printed digest elsewhere)
//!            vanban sign --external-complete state.json --signature sig.bin --chain chain.pem -o out.pdf
//! benchmark: vanban sign --bench
//! ```
//!
//! Key passphrases come from `VANBAN_PASSPHRASE` or a prompt, PKCS#11 PINs from `VANBAN_PIN`.
//! The signer's certificate is validated at the signing time against `--trust` roots (and
//! `certs/trusted/`), with `--crl`/`--ocsp` evidence and optional fetching, before anything is
//! signed. The output is written only on success, never over the input.
//!
//! Exit codes: 0 signed; 1 refused (the certificate, an earlier signature's permissions, a
//! reservation too small); 2 unreadable input, a key that cannot be opened, misuse.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use time::OffsetDateTime;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::pki::keystore::{self, Passphrase};
use crate::pki::pkcs11::{Pkcs11Config, Pkcs11Signer};
use crate::pki::revocation::{FetchLimits, NetworkPolicy, RevocationOptions};
use crate::pki::trust::{TrustConfig, TrustStore};
use crate::pki::{KeyKind, KeySigner, SignatureAlgorithm, Signer};
use crate::sign::SignError;
use crate::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use crate::sign::external;
use crate::sign::fill::{self, Issue};
use crate::sign::pades::{
    self, CertificateCheck, Certification, Level, SignOptions, SignerIdentity,
};
use crate::sign::workflow;

#[path = "sign_bench.rs"]
mod bench;

/// `vanban sign` arguments.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The PDF to sign (never modified).
    #[arg(required_unless_present_any = ["external_complete", "bench"])]
    pub input: Option<PathBuf>,
    /// Where to write the signed PDF.
    #[arg(short, long, required_unless_present_any = ["external_prepare", "bench"])]
    pub output: Option<PathBuf>,
    /// The signature field: `chu_ky` (leader, ô 7c) or `dau` (organisation, ô 8).
    #[arg(long, default_value = "chu_ky")]
    pub field: String,
    /// A certification signature (DocMDP P=2: form filling and signing stay allowed), as the
    /// leader's signature on a draft.
    #[arg(long)]
    pub certify: bool,

    /// Encrypted PKCS#8 key file (passphrase: VANBAN_PASSPHRASE or a prompt).
    #[arg(long, requires = "cert", conflicts_with_all = ["p12", "pkcs11_module"])]
    pub key: Option<PathBuf>,
    /// PEM certificate file(s): the signer's first, then its issuers.
    #[arg(long)]
    pub cert: Vec<PathBuf>,
    /// PKCS#12 file (.p12/.pfx; password: VANBAN_PASSPHRASE or a prompt).
    #[arg(long, conflicts_with = "pkcs11_module")]
    pub p12: Option<PathBuf>,
    /// PKCS#11 module (.so) of a token or HSM (PIN: VANBAN_PIN).
    #[arg(long, requires = "pkcs11_key")]
    pub pkcs11_module: Option<PathBuf>,
    /// The token's label (default: the first token).
    #[arg(long)]
    pub pkcs11_token: Option<String>,
    /// The private key's label on the token.
    #[arg(long)]
    pub pkcs11_key: Option<String>,
    /// Digest: sha256 (default), sha384, sha512 (ECDSA keys use their curve's).
    #[arg(long, value_enum, default_value_t = DigestArg::Sha256)]
    pub digest: DigestArg,
    /// RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys).
    #[arg(long)]
    pub pss: bool,

    /// PAdES level.
    #[arg(long, default_value = "B-B", value_parser = parse_level)]
    pub level: Level,
    /// RFC 3161 time-stamping authority (required from B-T up).
    #[arg(long)]
    pub tsa: Option<String>,
    /// The signing time written in /M (RFC 3339; default: now).
    #[arg(long, value_parser = parse_time)]
    pub time: Option<OffsetDateTime>,

    /// Văn thư: the number to fill in (with --date) before signing.
    #[arg(long, requires = "date")]
    pub number: Option<u32>,
    /// Văn thư: the issue date to fill in (YYYY-MM-DD).
    #[arg(long, requires = "number", value_parser = parse_date)]
    pub date: Option<time::Date>,
    /// What the widget shows (default: signature for chu_ky, seal for dau).
    #[arg(long, value_enum)]
    pub appearance: Option<AppearanceArg>,
    /// A PNG image to show (transparent background) instead of the drawn one.
    #[arg(long)]
    pub image: Option<PathBuf>,
    /// The drawn seal's ring text (`*` draws a star; default: the certificate's O or CN).
    #[arg(long)]
    pub seal_text: Option<String>,
    /// The drawn seal's diameter in millimetres.
    #[arg(long, default_value_t = DEFAULT_SEAL_MM)]
    pub seal_mm: f32,
    /// The name the drawn signature is written from (default: the certificate's CN).
    #[arg(long)]
    pub name: Option<String>,
    /// Attachment in its own file: the main document's number, shown top right with the time.
    #[arg(long, conflicts_with = "copy")]
    pub attachment_of: Option<String>,
    /// Electronic copy: the form ("SAO Y", "SAO LỤC", "TRÍCH SAO"), shown in ô 14 (needs --copier).
    #[arg(long, requires = "copier")]
    pub copy: Option<String>,
    /// Electronic copy: the copying body.
    #[arg(long)]
    pub copier: Option<String>,

    /// Trust anchor PEM file(s) for checking the signer's certificate (with certs/trusted/).
    #[arg(long)]
    pub trust: Vec<PathBuf>,
    /// CRL file(s) (DER or PEM) for the check and the B-LT DSS.
    #[arg(long)]
    pub crl: Vec<PathBuf>,
    /// OCSP response file(s) (DER) for the check and the B-LT DSS.
    #[arg(long)]
    pub ocsp: Vec<PathBuf>,
    /// Fetch CRLs and OCSP responses over HTTP (the certificates' URLs).
    #[arg(long)]
    pub fetch_revocation: bool,
    /// Skip the check of the signer's certificate (dangerous: tests and offline drafts only).
    #[arg(long)]
    pub no_check: bool,
    /// Bytes to reserve for the CMS (default: estimated from the chain and the level).
    #[arg(long)]
    pub reserve: Option<usize>,

    /// External signing, step 1: write STATE.json and STATE.pdf and print the digest to sign
    /// (needs --cert with the signer's certificate).
    #[arg(long, conflicts_with = "external_complete")]
    pub external_prepare: Option<PathBuf>,
    /// External signing, step 2: finish from STATE.json with --signature and --chain.
    #[arg(long, requires_all = ["signature", "chain"])]
    pub external_complete: Option<PathBuf>,
    /// The signature value made elsewhere (raw bytes; ECDSA as DER or r‖s).
    #[arg(long)]
    pub signature: Option<PathBuf>,
    /// The signer's chain (PEM), its own certificate first.
    #[arg(long)]
    pub chain: Option<PathBuf>,
    /// Algorithm of the external signer: rsa-pkcs1 (default for RSA), rsa-pss, ecdsa.
    #[arg(long)]
    pub external_algorithm: Option<String>,

    /// Measure B-B signing against the crypto floor and pyHanko, and print the figures.
    #[arg(long)]
    pub bench: bool,
    /// Benchmark rounds per measurement.
    #[arg(long, default_value_t = 9)]
    pub rounds: usize,
}

/// Digest choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigestArg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// Appearance choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppearanceArg {
    /// The blue handwritten signature.
    Signature,
    /// The red round seal.
    Seal,
    /// Nothing new on the page.
    None,
}

fn parse_level(text: &str) -> Result<Level, String> {
    text.parse()
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("“{text}”: {e} (RFC 3339, e.g. 2020-03-20T14:30:05+07:00)"))
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format).map_err(|e| format!("“{text}”: {e} (YYYY-MM-DD)"))
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl From<SignError> for Failure {
    fn from(error: SignError) -> Self {
        let code = match error {
            SignError::Pdf(_)
            | SignError::Io { .. }
            | SignError::Image { .. }
            | SignError::Missing(_)
            | SignError::ExternalState { .. } => EXIT_UNREADABLE,
            _ => EXIT_INVALID,
        };
        Failure {
            code,
            message: error.to_string(),
        }
    }
}

fn unreadable(message: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_UNREADABLE,
        message: message.into(),
    }
}

/// Run `vanban sign`.
pub fn run(args: &SignArgs) -> u8 {
    let result = if args.bench {
        bench::run(args.rounds).map_err(unreadable)
    } else if let Some(state) = &args.external_complete {
        complete(args, state)
    } else if let Some(state) = &args.external_prepare {
        prepare_external(args, state)
    } else {
        sign(args)
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            eprintln!("lỗi: {}", failure.message);
            failure.code
        }
    }
}

fn sign(args: &SignArgs) -> Result<(), Failure> {
    let (input, output) = paths(args)?;
    let pdf = read_pdf(input)?;
    let signer = open_signer(args)?;
    let trust = trust_store(args)?;
    let revocation = revocation(args)?;
    let check = certificate_check(args, &trust, &revocation);
    let time = args.time.unwrap_or_else(OffsetDateTime::now_utc);
    let step = workflow::Step {
        level: args.level,
        tsa_url: args.tsa.as_deref(),
        signing_time: time,
        check,
    };
    let signed = if let Some(number) = &args.attachment_of {
        workflow::sign_attachment(pdf, number, signer.as_ref(), &step)?
    } else if let (Some(form), Some(copier)) = (&args.copy, &args.copier) {
        workflow::sign_copy(pdf, form, copier, signer.as_ref(), &step)?
    } else {
        let pdf = match issue(args) {
            Some(issue) => fill::fill(&pdf, &issue.values())?,
            None => pdf,
        };
        let options = sign_options(args, signer.as_ref(), time)?;
        pades::sign(pdf, signer.as_ref(), &options, check)?
    };
    write_output(output, &signed)?;
    eprintln!(
        "vanban sign: {} → {} ({}, {} bytes)",
        input.display(),
        output.display(),
        args.level,
        signed.len()
    );
    Ok(())
}

fn issue(args: &SignArgs) -> Option<Issue> {
    Some(Issue {
        number: args.number?,
        date: args.date?,
    })
}

fn sign_options(
    args: &SignArgs,
    signer: &dyn Signer,
    time: OffsetDateTime,
) -> Result<SignOptions, Failure> {
    Ok(SignOptions {
        certify: args.certify.then_some(Certification::FormFilling),
        level: args.level,
        tsa_url: args.tsa.clone(),
        appearance: appearance(args, signer.certificate())?,
        reserve: args.reserve,
        ..SignOptions::new(&args.field, time)
    })
}

/// The widget's appearance from the flags (a PNG, the drawn signature or seal, or nothing).
fn appearance(args: &SignArgs, certificate: &[u8]) -> Result<Appearance, Failure> {
    if let Some(path) = &args.image {
        let bytes = external::read_bounded(path, crate::limits::MAX_IMAGE_BYTES as u64)?;
        return Ok(Appearance::Png { bytes });
    }
    let kind = args
        .appearance
        .unwrap_or(if args.field == workflow::SEAL_FIELD {
            AppearanceArg::Seal
        } else {
            AppearanceArg::Signature
        });
    let subject = |attribute: &str| subject_attribute(certificate, attribute);
    Ok(match kind {
        AppearanceArg::None => Appearance::Blank,
        AppearanceArg::Signature => Appearance::Signature {
            name: args
                .name
                .clone()
                .or_else(|| subject("CN"))
                .unwrap_or_default(),
        },
        AppearanceArg::Seal => Appearance::Seal {
            ring: args
                .seal_text
                .clone()
                .or_else(|| subject("O"))
                .or_else(|| subject("CN"))
                .map(|text| format!("{text} *"))
                .unwrap_or_default(),
            diameter_mm: args.seal_mm,
        },
    })
}

fn subject_attribute(der: &[u8], attribute: &str) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject = cert.subject();
    let value = match attribute {
        "O" => subject.iter_organization().next(),
        _ => subject.iter_common_name().next(),
    }?;
    value.as_str().ok().map(str::to_owned)
}

fn paths(args: &SignArgs) -> Result<(&Path, &Path), Failure> {
    let input = args
        .input
        .as_deref()
        .ok_or_else(|| unreadable("thiếu tệp PDF đầu vào"))?;
    let output = args
        .output
        .as_deref()
        .ok_or_else(|| unreadable("thiếu -o OUT.pdf"))?;
    if same_file(input, output) {
        return Err(unreadable(
            "-o phải khác tệp đầu vào: tệp gốc không bao giờ bị ghi đè (write to another file)",
        ));
    }
    Ok((input, output))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn read_pdf(path: &Path) -> Result<Vec<u8>, Failure> {
    Ok(external::read_bounded(
        path,
        crate::limits::MAX_FILE_BYTES as u64,
    )?)
}

/// Write next to the target, then rename: a failure leaves no partial file.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".part");
    let temp = PathBuf::from(temp);
    let io = |e: std::io::Error| unreadable(format!("{}: {e}", path.display()));
    std::fs::write(&temp, bytes).map_err(io)?;
    std::fs::rename(&temp, path).map_err(io)
}

/// Open the key the flags name, with the requested algorithm.
fn open_signer(args: &SignArgs) -> Result<Box<dyn Signer>, Failure> {
    if let Some(module) = &args.pkcs11_module {
        let pin = std::env::var("VANBAN_PIN")
            .map(Passphrase::new)
            .map_err(|_| unreadable("thiếu mã PIN: đặt biến môi trường VANBAN_PIN"))?;
        let config = Pkcs11Config {
            module: module.clone(),
            token_label: args.pkcs11_token.clone(),
            slot: None,
            key_label: args.pkcs11_key.clone().unwrap_or_default(),
            pin,
            algorithm: None,
            extra_certificates: read_certificates(&args.cert)?,
        };
        let signer = Pkcs11Signer::open(&config).map_err(|e| unreadable(e.to_string()))?;
        return Ok(Box::new(signer));
    }
    let passphrase = || {
        Passphrase::from_env_or_prompt("Mật khẩu khóa bí mật: ", false)
            .map_err(|e| unreadable(e.to_string()))
    };
    let signer: KeySigner = if let Some(key) = &args.key {
        let paths: Vec<&Path> = args.cert.iter().map(PathBuf::as_path).collect();
        keystore::open_key_file(key, &passphrase()?, &paths)
            .map_err(|e| unreadable(e.to_string()))?
    } else if let Some(p12) = &args.p12 {
        crate::pki::pkcs12::open(p12, &passphrase()?).map_err(|e| unreadable(e.to_string()))?
    } else {
        return Err(unreadable(
            "cần khóa ký: --key KEY.pem --cert CERT.pem, --p12 FILE hoặc --pkcs11-module",
        ));
    };
    let algorithm = algorithm(signer.key_kind(), args.digest, args.pss)?;
    let signer = signer
        .with_algorithm(algorithm)
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(Box::new(signer))
}

/// The signature algorithm for a key and the digest/PSS flags.
fn algorithm(kind: KeyKind, digest: DigestArg, pss: bool) -> Result<SignatureAlgorithm, Failure> {
    use SignatureAlgorithm as A;
    Ok(match (kind, digest, pss) {
        (KeyKind::EcP256, DigestArg::Sha256, false) => A::EcdsaP256Sha256,
        (KeyKind::EcP384, DigestArg::Sha256 | DigestArg::Sha384, false) => A::EcdsaP384Sha384,
        (KeyKind::Rsa { .. }, DigestArg::Sha256, false) => A::RsaPkcs1Sha256,
        (KeyKind::Rsa { .. }, DigestArg::Sha384, false) => A::RsaPkcs1Sha384,
        (KeyKind::Rsa { .. }, DigestArg::Sha512, false) => A::RsaPkcs1Sha512,
        (KeyKind::Rsa { .. }, DigestArg::Sha256, true) => A::RsaPssSha256,
        (KeyKind::Rsa { .. }, DigestArg::Sha384, true) => A::RsaPssSha384,
        (KeyKind::Rsa { .. }, DigestArg::Sha512, true) => A::RsaPssSha512,
        (kind, digest, pss) => {
            return Err(unreadable(format!(
                "khóa {kind} không ký được với {digest:?}{}",
                if pss { " PSS" } else { "" }
            )));
        }
    })
}

fn read_certificates(paths: &[PathBuf]) -> Result<Vec<Vec<u8>>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        out.extend(keystore::read_certificates(path).map_err(|e| unreadable(e.to_string()))?);
    }
    Ok(out)
}

fn trust_store(args: &SignArgs) -> Result<TrustStore, Failure> {
    let config = TrustConfig {
        base: Some(PathBuf::from(".")),
        dirs: Vec::new(),
        files: args.trust.clone(),
    };
    TrustStore::load(&config).map_err(|e| unreadable(e.to_string()))
}

fn revocation(args: &SignArgs) -> Result<RevocationOptions, Failure> {
    let mut options = RevocationOptions::default();
    for path in &args.crl {
        let bytes = external::read_bounded(path, 64 * 1024 * 1024)?;
        options.crls.push(pem_or_der(&bytes, "X509 CRL"));
    }
    for path in &args.ocsp {
        options
            .ocsp_responses
            .push(external::read_bounded(path, 1024 * 1024)?);
    }
    if args.fetch_revocation {
        options.network = NetworkPolicy::Allowed(FetchLimits::default());
    }
    Ok(options)
}

/// DER from a PEM block with `label`, or the bytes as they are.
fn pem_or_der(bytes: &[u8], label: &str) -> Vec<u8> {
    match der::pem::decode_vec(bytes) {
        Ok((found, der)) if found == label => der,
        _ => bytes.to_vec(),
    }
}

fn certificate_check<'a>(
    args: &SignArgs,
    trust: &'a TrustStore,
    revocation: &'a RevocationOptions,
) -> CertificateCheck<'a> {
    if args.no_check {
        CertificateCheck::Skip
    } else {
        CertificateCheck::Validate {
            anchors: trust,
            revocation,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// External signing.
// ---------------------------------------------------------------------------------------------

fn prepare_external(args: &SignArgs, state: &Path) -> Result<(), Failure> {
    let input = args
        .input
        .as_deref()
        .ok_or_else(|| unreadable("thiếu tệp PDF đầu vào"))?;
    let pdf = read_pdf(input)?;
    let chain = read_certificates(&args.cert)?;
    let leaf = chain
        .first()
        .ok_or_else(|| unreadable("--external-prepare cần --cert với chứng thư số của người ký"))?;
    let kind = crate::pki::signer::CertificateKey::parse(leaf, 0)
        .map_err(|e| unreadable(e.to_string()))?
        .kind;
    let algorithm = external_algorithm(args, kind)?;
    let trust = trust_store(args)?;
    let revocation = revocation(args)?;
    let time = args.time.unwrap_or_else(OffsetDateTime::now_utc);
    pades::check_certificate(&chain, certificate_check(args, &trust, &revocation), time)?;
    let appearance = appearance(args, leaf)?;
    let identity = SignerIdentity { algorithm, chain };
    let options = SignOptions {
        certify: args.certify.then_some(Certification::FormFilling),
        level: args.level,
        tsa_url: args.tsa.clone(),
        appearance,
        reserve: args.reserve,
        ..SignOptions::new(&args.field, time)
    };
    let pdf = match issue(args) {
        Some(issue) => fill::fill(&pdf, &issue.values())?,
        None => pdf,
    };
    let digested = pades::prepare(pdf, &identity, &options)?.digest()?;
    let saved = external::save(&digested, state)?;
    println!("{}", saved.to_be_signed_digest);
    eprintln!(
        "vanban sign: ký giá trị băm trên ({}, {}), rồi chạy --external-complete {}",
        algorithm.digest_algorithm().name(),
        algorithm.name(),
        state.display()
    );
    Ok(())
}

fn external_algorithm(args: &SignArgs, kind: KeyKind) -> Result<SignatureAlgorithm, Failure> {
    let pss = match args.external_algorithm.as_deref() {
        None | Some("rsa-pkcs1") | Some("ecdsa") => false,
        Some("rsa-pss") => true,
        Some(other) => {
            return Err(unreadable(format!(
                "--external-algorithm {other}: rsa-pkcs1, rsa-pss hoặc ecdsa"
            )));
        }
    };
    algorithm(kind, args.digest, pss)
}

fn complete(args: &SignArgs, state: &Path) -> Result<(), Failure> {
    let output = args
        .output
        .as_deref()
        .ok_or_else(|| unreadable("thiếu -o OUT.pdf"))?;
    let signature_path = args
        .signature
        .as_deref()
        .ok_or_else(|| unreadable("thiếu --signature"))?;
    let chain_path = args
        .chain
        .as_deref()
        .ok_or_else(|| unreadable("thiếu --chain"))?;
    let signature = external::read_bounded(signature_path, 64 * 1024)?;
    let chain = read_certificates(&[chain_path.to_owned()])?;
    let digested = external::with_chain(external::load(state)?, chain.clone())?;
    let trust = trust_store(args)?;
    let revocation = revocation(args)?;
    let time = args.time.unwrap_or_else(OffsetDateTime::now_utc);
    let check = certificate_check(args, &trust, &revocation);
    let path = pades::check_certificate(&chain, check, time)?;
    let signed = digested.embed(signature)?;
    let mut material = crate::sign::ltv::ValidationMaterial::default();
    if let Some(path) = &path {
        material.add_path(path);
    }
    material.crls.extend(revocation.crls.iter().cloned());
    material
        .ocsps
        .extend(revocation.ocsp_responses.iter().cloned());
    let bytes = signed.finish(&material)?;
    write_output(output, &bytes)?;
    eprintln!("vanban sign: {} ({} bytes)", output.display(), bytes.len());
    Ok(())
}

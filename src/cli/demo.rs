//! `vanban demo --out DIR`: the whole chain on every seed document, with a development PKI.
//!
//! For each seed `S` (the fixture's file name without extension):
//!
//! 1. `DIR/S.pdf`: the draft, number and date left as empty form fields;
//! 2. `DIR/S.leader.pdf`: the leader's certification signature (DocMDP P=2) in `chu_ky`, shown as
//!    a blue signature drawn from the name printed under it;
//! 3. `DIR/S.signed.pdf`: the văn thư's number and date filled in, then the organisation's
//!    signature in `dau`, shown as the red seal over the left third of the signature;
//! 4. `DIR/S.docx`: the numbered document as DOCX (editable copy, unsigned);
//!
//! plus `DIR/root.pem` (the development trust anchor) and `DIR/pki/` (the PKI, keys encrypted
//! under `VANBAN_PASSPHRASE`; there is no prompt). The seeds are embedded in the binary (so the
//! demo runs anywhere); `--seeds DIR` reads `*.yaml` from a directory instead.
//!
//! Numbers come from the register ([`crate::register`]) in `DIR/vanban.db` (SQLite): one
//! sequence per organisation and year from 01, recorded with an audit entry; the date is the
//! seed's own, or today in Vietnam for undated seeds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use time::OffsetDateTime;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::compose::{Composed, Role, Templates};
use crate::model::parse::{self, ParseOptions};
use crate::pki::KeySigner;
use crate::pki::dev::{self, DevKeyAlgorithm, DevPki, DevPkiOptions, Holder};
use crate::pki::keystore::{self, KeyProtection, PASSPHRASE_ENV, Passphrase};
use crate::pki::revocation::RevocationOptions;
use crate::pki::trust::{AnchorSource, TrustStore};
use crate::render::docx::{self, DocxOptions};
use crate::render::pdf::{self, PdfOptions};
use crate::sign::appearance::{Appearance, DEFAULT_SEAL_MM};
use crate::sign::fill::Issue;
use crate::sign::pades::{CertificateCheck, Level};
use crate::sign::workflow::{self, Step};
use crate::workflow::draft::{block_text, organisation, seal_ring, with_slots};

/// The seed documents, embedded: (name, YAML).
pub const SEEDS: &[(&str, &[u8])] = &[
    (
        "000_3c75d7606830ec8b",
        include_bytes!("../../tests/fixtures/seeds/000_3c75d7606830ec8b.yaml"),
    ),
    (
        "001_f45657680f3c1ab3",
        include_bytes!("../../tests/fixtures/seeds/001_f45657680f3c1ab3.yaml"),
    ),
    (
        "002_95e55954b96b2b89",
        include_bytes!("../../tests/fixtures/seeds/002_95e55954b96b2b89.yaml"),
    ),
    (
        "003_40cc82fbe8059212",
        include_bytes!("../../tests/fixtures/seeds/003_40cc82fbe8059212.yaml"),
    ),
    (
        "004_83e8ea72594d1b43",
        include_bytes!("../../tests/fixtures/seeds/004_83e8ea72594d1b43.yaml"),
    ),
];

/// `vanban demo` arguments.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output directory (created).
    #[arg(long)]
    pub out: PathBuf,
    /// Read the seeds from this directory (`*.yaml`) instead of the embedded ones.
    #[arg(long)]
    pub seeds: Option<PathBuf>,
    /// Key algorithm of the development PKI.
    #[arg(long, value_enum, default_value_t = super::pki::AlgorithmArg::P256)]
    pub alg: super::pki::AlgorithmArg,
    /// PAdES level of both signatures.
    #[arg(long, default_value = "B-B", value_parser = |s: &str| s.parse::<Level>())]
    pub level: Level,
    /// RFC 3161 time-stamping authority (from B-T up).
    #[arg(long)]
    pub tsa: Option<String>,
}

/// The signers of the demo: the table's leader and organisation, opened from the key files
/// written in `DIR/pki` (used when a document names no signer or issuer), and one certificate
/// per person and per issuing organisation met, issued by the dev PKI's intermediate CA.
struct Signers {
    leader: KeySigner,
    org: KeySigner,
    pki: DevPki,
    persons: HashMap<String, KeySigner>,
    organisations: HashMap<String, KeySigner>,
    anchors: TrustStore,
    revocation: RevocationOptions,
}

impl Signers {
    /// The leader's and the organisation's signers for a document.
    fn for_document(
        &mut self,
        signer: &str,
        organisation: &str,
    ) -> Result<(&KeySigner, &KeySigner), String> {
        if !signer.is_empty() && !self.persons.contains_key(signer) {
            let holder = Holder::Person {
                name: signer,
                organisation,
            };
            let key = self.pki.issue_for(&holder).map_err(|e| e.to_string())?;
            self.persons.insert(signer.to_owned(), key);
        }
        if !organisation.is_empty() && !self.organisations.contains_key(organisation) {
            let holder = Holder::Organisation { name: organisation };
            let key = self.pki.issue_for(&holder).map_err(|e| e.to_string())?;
            self.organisations.insert(organisation.to_owned(), key);
        }
        let leader = self.persons.get(signer).unwrap_or(&self.leader);
        let org = self.organisations.get(organisation).unwrap_or(&self.org);
        Ok((leader, org))
    }
}

/// Run `vanban demo`.
pub fn run(args: &DemoArgs) -> u8 {
    match demo(args) {
        Ok(0) => EXIT_OK,
        Ok(_) => EXIT_INVALID,
        Err(message) => {
            eprintln!("lỗi: {message}");
            EXIT_UNREADABLE
        }
    }
}

fn demo(args: &DemoArgs) -> Result<usize, String> {
    let started = Instant::now();
    let passphrase = std::env::var(PASSPHRASE_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(Passphrase::new)
        .ok_or(format!(
            "đặt biến môi trường {PASSPHRASE_ENV}: mật khẩu cho các khóa thử nghiệm (no prompt in the demo)"
        ))?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let mut signers = make_pki(&args.out, args.alg.into(), &passphrase)?;
    let seeds = load_seeds(args.seeds.as_deref())?;
    let mut register = Register::open(&args.out)?;
    let mut failed = 0;
    println!(
        "vanban demo: {} văn bản, PKI {} trong {}, mức {}",
        seeds.len(),
        DevKeyAlgorithm::from(args.alg).name(),
        args.out.join("pki").display(),
        args.level
    );
    for (name, composed) in seeds {
        match run_seed(args, &mut signers, &mut register, &name, composed) {
            Ok(line) => println!("  {name}: {line}"),
            Err(error) => {
                failed += 1;
                println!("  {name}: LỖI {error}");
            }
        }
    }
    register.close();
    println!(
        "  gốc tin cậy: {} — kiểm tra: pyhanko sign validate --trust {} {}/S.signed.pdf",
        args.out.join("root.pem").display(),
        args.out.join("root.pem").display(),
        args.out.display()
    );
    println!(
        "  số văn bản: sổ đăng ký văn bản đi {} (vanban register list --data {} --org … --year …)",
        args.out.join("vanban.db").display(),
        args.out.display()
    );
    println!("  xong trong {:.1} s", started.elapsed().as_secs_f64());
    Ok(failed)
}

/// Generate the PKI, write it under `DIR/pki` and `DIR/root.pem`, open the two signers from
/// their encrypted key files.
fn make_pki(
    out: &Path,
    algorithm: DevKeyAlgorithm,
    passphrase: &Passphrase,
) -> Result<Signers, String> {
    let pki = dev::generate(&DevPkiOptions::new(algorithm)).map_err(|e| e.to_string())?;
    let dir = out.join("pki");
    pki.write(&dir, passphrase, KeyProtection::STRONG)
        .map_err(|e| e.to_string())?;
    let root = pki.entity("root").ok_or("dev PKI has no root")?;
    std::fs::write(out.join("root.pem"), root.certificate_pem())
        .map_err(|e| format!("root.pem: {e}"))?;
    let open = |name: &str| {
        keystore::open_key_file(
            &dir.join(format!("{name}-key.pem")),
            passphrase,
            &[dir.join(format!("{name}-chain.pem")).as_path()],
        )
        .map_err(|e| format!("{name}: {e}"))
    };
    let crl = pki.crl_der.clone();
    let mut anchors = TrustStore::new();
    anchors
        .add_der(pki.root_der(), AnchorSource::Memory("dev root".into()))
        .map_err(|e| e.to_string())?;
    Ok(Signers {
        leader: open("leader")?,
        org: open("org")?,
        pki,
        persons: HashMap::new(),
        organisations: HashMap::new(),
        anchors,
        revocation: RevocationOptions {
            crls: vec![crl],
            ..RevocationOptions::default()
        },
    })
}

/// The seeds, composed: embedded, or every `*.yaml` of `dir`.
pub fn load_seeds(dir: Option<&Path>) -> Result<Vec<(String, Composed)>, String> {
    let mut sources: Vec<(String, PathBuf, Vec<u8>)> = Vec::new();
    match dir {
        None => {
            for (name, bytes) in SEEDS {
                let path = PathBuf::from(format!("tests/fixtures/seeds/{name}.yaml"));
                sources.push(((*name).to_owned(), path, bytes.to_vec()));
            }
        }
        Some(dir) => {
            let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut paths: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            paths.sort();
            for path in paths {
                let bytes = parse::read_file(&path).map_err(|e| e.to_string())?;
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                sources.push((name, path, bytes));
            }
        }
    }
    let templates = Templates::embedded();
    let options = ParseOptions {
        kinds: Some(std::sync::Arc::clone(templates.kinds())),
        profiles: None,
    };
    sources
        .into_iter()
        .map(|(name, path, bytes)| {
            let doc = parse::parse_document_with(&bytes, &path, &options)
                .map_err(|e| format!("{name}: {e}"))?;
            let composed =
                crate::compose::compose(&doc, &templates).map_err(|d| format!("{name}: {d}"))?;
            Ok((name, composed))
        })
        .collect()
}

/// One seed through the chain; returns the summary line.
fn run_seed(
    args: &DemoArgs,
    signers: &mut Signers,
    register: &mut Register,
    name: &str,
    composed: Composed,
) -> Result<String, String> {
    let draft = with_slots(&composed, None);
    let rendered = pdf::render(&draft, &PdfOptions::default()).map_err(|e| e.to_string())?;
    let out = |suffix: &str| args.out.join(format!("{name}{suffix}"));
    write(&out(".pdf"), &rendered.bytes)?;
    let signer_name = block_text(&composed, Role::SignName).unwrap_or_default();
    let organisation = organisation(&composed);
    let revocation = signers.revocation.clone();
    let anchors = signers.anchors.clone();
    let step = Step {
        level: args.level,
        tsa_url: args.tsa.as_deref(),
        signing_time: OffsetDateTime::now_utc(),
        check: CertificateCheck::Validate {
            anchors: &anchors,
            revocation: &revocation,
        },
    };
    let (leader_key, org_key) = signers.for_document(&signer_name, &organisation)?;
    let signature = Appearance::Signature {
        name: signer_name.clone(),
    };
    let leader = workflow::leader_sign(rendered.bytes, leader_key, Some(signature), &step)
        .map_err(|e| format!("lãnh đạo ký: {e}"))?;
    write(&out(".leader.pdf"), &leader)?;
    let date = composed
        .meta
        .date
        .as_deref()
        .and_then(|d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()
        })
        .unwrap_or_else(|| {
            OffsetDateTime::now_utc()
                .to_offset(workflow::vietnam())
                .date()
        });
    let number = register.next(&organisation, date.year())?;
    let issue = Issue { number, date };
    let seal = Appearance::Seal {
        ring: seal_ring(&composed),
        diameter_mm: DEFAULT_SEAL_MM,
    };
    let signed = workflow::issue(leader, Some(&issue), org_key, seal, &step)
        .map_err(|e| format!("văn thư đóng dấu: {e}"))?;
    write(&out(".signed.pdf"), &signed)?;
    let numbered = with_slots(&composed, Some(&issue));
    let docx = docx::render(&numbered, &DocxOptions::default()).map_err(|e| e.to_string())?;
    write(&out(".docx"), &docx)?;
    let number_line = block_text(&numbered, Role::Number).unwrap_or_default();
    Ok(format!(
        "{} trang; {number_line}, ngày {:02}/{:02}/{}; ký: chu_ky ({}, chứng nhận P=2), dau ({}); {} byte",
        rendered.pages,
        date.day(),
        u8::from(date.month()),
        date.year(),
        workflow::signer_name(leader_key).unwrap_or_default(),
        workflow::signer_name(org_key).unwrap_or_default(),
        signed.len()
    ))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The demo's sổ đăng ký văn bản đi: the real register, a SQLite file `DIR/vanban.db`, so that
/// running the demo twice in one directory goes on numbering where it stopped (per
/// organisation, book `chung`, calendar year), with every number in the audit log.
struct Register {
    runtime: tokio::runtime::Runtime,
    register: crate::register::Register,
}

impl Register {
    fn open(dir: &Path) -> Result<Register, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let options = crate::register::OpenOptions::data_dir(dir).map_err(|e| e.to_string())?;
        let register = runtime
            .block_on(crate::register::Register::open_with(&options))
            .map_err(|e| e.to_string())?;
        Ok(Register { runtime, register })
    }

    /// The next number of `organisation` in `year` (numbers restart each year).
    fn next(&mut self, organisation: &str, year: i32) -> Result<u32, String> {
        use crate::register::{Actor, Book, Org, Year, numbering};
        let request = numbering::ReserveRequest {
            org: Org::new(organisation).map_err(|e| e.to_string())?,
            book: Book::new("chung").map_err(|e| e.to_string())?,
            year: Year::new(i64::from(year)).map_err(|e| e.to_string())?,
            actor: Actor::new("cli:demo").map_err(|e| e.to_string())?,
            at: OffsetDateTime::now_utc(),
        };
        let reserved = self
            .runtime
            .block_on(numbering::reserve(&self.register, &request))
            .map_err(|e| e.to_string())?;
        Ok(reserved.key.number)
    }

    fn close(self) {
        self.runtime.block_on(self.register.close());
    }
}

//! First start of the service on an empty database (`vanban serve` with nothing set up): a
//! development PKI, the organisations of the profiles file, and demo users for each role, each
//! signer with a key of its own. Passwords and PINs are random, printed once, and written to
//! `DATA/demo-accounts.txt` (mode 0600) for the developer; none of them is stored in the
//! database (only argon2 hashes, and keys encrypted under the PINs).
//!
//! This is for trying vanban out. A real office creates its users with real certificates
//! (PKCS#12 from its CA, or external signing from a USB token or remote service).

use std::path::Path;

use time::OffsetDateTime;

use crate::model::input::{Lines, ProfilesInput};
use crate::model::parse;
use crate::pki::dev::{self, DevKeyAlgorithm, DevPkiOptions, Holder};
use crate::pki::keystore::{self, KeyProtection, Passphrase};
use crate::register::Register;
use crate::register::people::{self, KeyOwner, NewUser, Role, StoredKey, User};

use super::{WorkflowError, auth, blocking};

/// The profiles the service starts with when no `--profiles` file is given: the two union
/// bodies of the fixtures (embedded, written to `DATA/profiles.yaml`).
pub const DEFAULT_PROFILES: &str = include_str!("../../tests/fixtures/profiles.yaml");

/// One demo account, as printed on first start.
#[derive(Debug, Clone)]
pub struct Account {
    /// The user.
    pub user: User,
    /// The login password.
    pub password: String,
    /// The signing PIN of the user's key (leaders), or of the organisation's seal key (văn thư).
    pub pin: Option<String>,
}

/// What the first start made.
#[derive(Debug, Clone)]
pub struct Bootstrapped {
    /// The demo accounts.
    pub accounts: Vec<Account>,
    /// The development root certificate written.
    pub root_pem: std::path::PathBuf,
}

/// Set up an empty register: returns `None` when users already exist (nothing is changed).
pub async fn bootstrap(
    register: &Register,
    data_dir: &Path,
    profiles_file: &Path,
    protection: KeyProtection,
    at: OffsetDateTime,
) -> Result<Option<Bootstrapped>, WorkflowError> {
    if !people::users(register).await?.is_empty() {
        return Ok(None);
    }
    let profiles = read_profiles(profiles_file)?;
    let pki_dir = data_dir.join("pki");
    let pki = blocking(move || {
        let pki = dev::generate(&DevPkiOptions::new(DevKeyAlgorithm::P256))
            .map_err(|e| WorkflowError::Internal(e.to_string()))?;
        let passphrase = Passphrase::new(auth::random_secret(20, false)?);
        pki.write(&pki_dir, &passphrase, protection)
            .map_err(|e| WorkflowError::Internal(e.to_string()))?;
        Ok(pki)
    })
    .await?;
    let root_pem = data_dir.join("pki").join("root.pem");
    let mut accounts = Vec::new();
    for (index, (org, profile)) in profiles.profiles.iter().enumerate() {
        let suffix = if index == 0 {
            String::new()
        } else {
            (index + 1).to_string()
        };
        let org_name = lines(&profile.issuer.name);
        let leader_name = profile
            .signers
            .first()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "Nguyễn Văn A".to_owned());
        let people = [
            (
                format!("chuyenvien{suffix}"),
                "Trần Thị Bích Ngọc",
                Role::Drafter,
            ),
            (
                format!("lanhdao{suffix}"),
                leader_name.as_str(),
                Role::Leader,
            ),
            (format!("vanthu{suffix}"), "Lê Thị Hồng Nhung", Role::Clerk),
        ];
        for (name, display, role) in people {
            let user = User {
                name,
                display_name: display.to_owned(),
                role,
                org: org.clone(),
                disabled: false,
            };
            let pin = match role {
                Role::Leader => {
                    let holder = Holder::Person {
                        name: display,
                        organisation: &org_name,
                    };
                    Some(
                        store_key(
                            register,
                            &pki,
                            &holder,
                            KeyOwner::User,
                            &user.name,
                            protection,
                            at,
                        )
                        .await?,
                    )
                }
                _ => None,
            };
            accounts.push(create(register, user, pin, at).await?);
        }
        let holder = Holder::Organisation { name: &org_name };
        let seal_pin =
            store_key(register, &pki, &holder, KeyOwner::Org, org, protection, at).await?;
        if let Some(clerk) = accounts
            .iter_mut()
            .rev()
            .find(|a| a.user.role == Role::Clerk)
        {
            clerk.pin = Some(seal_pin);
        }
        if index == 0 {
            let admin = User {
                name: "quantri".to_owned(),
                display_name: "Quản trị hệ thống".to_owned(),
                role: Role::Admin,
                org: org.clone(),
                disabled: false,
            };
            accounts.push(create(register, admin, None, at).await?);
        }
    }
    write_accounts(data_dir, &accounts)?;
    Ok(Some(Bootstrapped { accounts, root_pem }))
}

/// Read and validate a profiles file.
pub fn read_profiles(path: &Path) -> Result<ProfilesInput, WorkflowError> {
    let bytes =
        parse::read_file(path).map_err(|e| WorkflowError::invalid("profiles", e.to_string()))?;
    parse::read_data(&bytes, path).map_err(|e| WorkflowError::invalid("profiles", e.to_string()))
}

async fn create(
    register: &Register,
    user: User,
    pin: Option<String>,
    at: OffsetDateTime,
) -> Result<Account, WorkflowError> {
    let password = auth::random_secret(12, false)?;
    let for_hash = password.clone();
    let password_hash = blocking(move || auth::hash_password(&for_hash)).await?;
    let new = NewUser {
        user: user.clone(),
        password_hash,
    };
    people::create_user(register, &new, "system:bootstrap", at).await?;
    Ok(Account {
        user,
        password,
        pin,
    })
}

/// Issue a key for `holder`, encrypt it under a new PIN, bind it to its owner; returns the PIN.
async fn store_key(
    register: &Register,
    pki: &dev::DevPki,
    holder: &Holder<'_>,
    owner_kind: KeyOwner,
    owner: &str,
    protection: KeyProtection,
    at: OffsetDateTime,
) -> Result<String, WorkflowError> {
    let pin = auth::random_secret(6, true)?;
    let (pkcs8, chain) = pki
        .issue_key_for(holder)
        .map_err(|e| WorkflowError::Internal(e.to_string()))?;
    let passphrase = Passphrase::new(pin.as_str());
    let key_pem = blocking(move || {
        keystore::encrypt_pkcs8(&pkcs8, &passphrase, protection)
            .map(|pem| pem.to_string())
            .map_err(|e| WorkflowError::Internal(e.to_string()))
    })
    .await?;
    let subject = match holder {
        Holder::Person { name, .. } | Holder::Organisation { name } => (*name).to_owned(),
    };
    let stored = StoredKey {
        owner_kind,
        owner: owner.to_owned(),
        key_pem,
        chain_pem: keystore::certificates_pem(&chain),
        subject,
    };
    people::put_key(register, &stored, "system:bootstrap", at).await?;
    Ok(pin)
}

fn lines(lines: &Lines) -> String {
    match lines {
        Lines::One(line) => line.clone(),
        Lines::Many(lines) => lines.join(" "),
    }
}

/// The accounts as a table, for the terminal and the accounts file.
pub fn accounts_table(accounts: &[Account]) -> String {
    let mut out = String::from(
        "tên đăng nhập   vai trò       cơ quan                mật khẩu       PIN ký\n",
    );
    for account in accounts {
        out.push_str(&format!(
            "{:<15} {:<13} {:<22} {:<14} {}\n",
            account.user.name,
            account.user.role.word(),
            account.user.org,
            account.password,
            account.pin.as_deref().unwrap_or("-"),
        ));
    }
    out
}

fn write_accounts(data_dir: &Path, accounts: &[Account]) -> Result<(), WorkflowError> {
    let text = format!(
        "# vanban: tài khoản thử nghiệm (development accounts), tạo lần đầu chạy vanban serve.\n\
         # PIN ký của lãnh đạo mở khóa ký cá nhân; PIN của văn thư mở khóa của cơ quan (con dấu).\n\
         {}",
        accounts_table(accounts)
    );
    keystore::write_private(&data_dir.join("demo-accounts.txt"), &text)
        .map_err(|e| WorkflowError::Files(e.to_string()))
}

/// How a service instance starts ([`start`]).
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The data directory (files, pending signatures, the development PKI, profiles).
    pub data_dir: std::path::PathBuf,
    /// A profiles file; `None` writes and uses [`DEFAULT_PROFILES`] as `DATA/profiles.yaml`.
    pub profiles: Option<std::path::PathBuf>,
    /// More trust anchors (files) besides `certs/trusted/` and the development root.
    pub trust: Vec<std::path::PathBuf>,
    /// How stored keys are encrypted.
    pub key_protection: KeyProtection,
    /// The PAdES level of both signatures.
    pub level: crate::sign::pades::Level,
    /// The RFC 3161 TSA.
    pub tsa_url: Option<String>,
    /// Files in an S3-compatible bucket instead of `DATA/files`.
    pub s3: Option<super::s3::S3Config>,
}

impl StartOptions {
    /// Defaults for a data directory: embedded profiles, strong key encryption, PAdES B-B.
    pub fn new(data_dir: impl Into<std::path::PathBuf>) -> StartOptions {
        StartOptions {
            data_dir: data_dir.into(),
            profiles: None,
            trust: Vec::new(),
            key_protection: KeyProtection::STRONG,
            level: crate::sign::pades::Level::BB,
            tsa_url: None,
            s3: None,
        }
    }
}

/// Start a service instance over an open register: first start sets up the demo organisations
/// (see [`bootstrap`]); every start trusts `certs/trusted/` (when present), the development root
/// of `DATA/pki/` (when present) and `options.trust`, and embeds the development CRL in the
/// signatures it makes.
pub async fn start(
    register: Register,
    options: StartOptions,
    at: OffsetDateTime,
) -> Result<(super::Workflow, Option<Bootstrapped>), WorkflowError> {
    let data_dir = options.data_dir.clone();
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| WorkflowError::Files(format!("{}: {e}", data_dir.display())))?;
    let profiles = match &options.profiles {
        Some(path) => path.clone(),
        None => {
            let path = data_dir.join("profiles.yaml");
            if !path.exists() {
                std::fs::write(&path, DEFAULT_PROFILES)
                    .map_err(|e| WorkflowError::Files(format!("{}: {e}", path.display())))?;
            }
            path
        }
    };
    let made = bootstrap(&register, &data_dir, &profiles, options.key_protection, at).await?;
    let config = config(&options, profiles)?;
    let workflow = super::Workflow::new(register, config)?;
    Ok((workflow, made))
}

fn config(
    options: &StartOptions,
    profiles: std::path::PathBuf,
) -> Result<super::Config, WorkflowError> {
    use crate::pki::trust::{TrustConfig, TrustStore};
    let pki_dir = options.data_dir.join("pki");
    let mut files = options.trust.clone();
    let dev_root = pki_dir.join("root.pem");
    if dev_root.exists() {
        files.push(dev_root);
    }
    let base = Path::new("certs")
        .join("trusted")
        .is_dir()
        .then(|| std::path::PathBuf::from("."));
    let anchors = TrustStore::load(&TrustConfig {
        base,
        dirs: Vec::new(),
        files,
    })
    .map_err(|e| WorkflowError::invalid("trust", e.to_string()))?;
    let mut revocation = crate::pki::revocation::RevocationOptions::default();
    let crl = pki_dir.join(format!("{}.crl", dev::CRL_ISSUER));
    if let Ok(der) = std::fs::read(&crl) {
        revocation.crls.push(der);
    }
    let templates = std::sync::Arc::new(crate::compose::Templates::embedded());
    Ok(super::Config {
        data_dir: options.data_dir.clone(),
        profiles: Some(profiles),
        templates,
        anchors,
        revocation,
        level: options.level,
        tsa_url: options.tsa_url.clone(),
        key_protection: options.key_protection,
        s3: options.s3.clone(),
    })
}

//! People, sessions and signing keys (người dùng, phiên đăng nhập, khóa ký) as the service stores
//! them. Only SQL and row types live here; password hashing, token minting and the role rules
//! are the workflow's (`workflow::auth`).
//!
//! What is stored and what never is: a password as its argon2id PHC string, a token as its
//! SHA-256, a private key as encrypted PKCS#8 PEM under its holder's signing PIN. Nothing here
//! can log anyone in or sign anything without a secret the database does not hold.

use std::fmt;

use serde_json::json;
use sqlx::Row;
use time::OffsetDateTime;

use super::audit::{self, AuditAction, AuditEntry};
use super::key::{MAX_NAME_CHARS, Sha256, checked_text};
use super::store::Register;
use super::{RegisterError, timestamp};

/// Longest display name accepted ("Nguyễn Thị Hồng Nhung" and far beyond): Phụ lục VI caps
/// the signer's FullName at 50; 100 leaves room for a title.
pub const MAX_DISPLAY_CHARS: usize = 100;

/// Largest stored key or chain PEM: 64 KiB (an RSA-4096 key with a 5-certificate chain is
/// under 16 KiB).
pub const MAX_KEY_PEM_BYTES: usize = 64 * 1024;

/// Vai trò: what a user may do (the workflow's permission table is keyed by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Quản trị: users, audit log, registers; signs nothing.
    Admin,
    /// Văn thư: numbers, dates, seals and issues; keeps the registers; receives.
    Clerk,
    /// Chuyên viên: drafts and submits.
    Drafter,
    /// Lãnh đạo (người có thẩm quyền): signs or returns.
    Leader,
}

impl Role {
    /// Every role, in the order the pages list them.
    pub const ALL: [Role; 4] = [Role::Drafter, Role::Leader, Role::Clerk, Role::Admin];

    /// The code stored and used in the API (`drafter`, `leader`, `clerk`, `admin`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clerk => "clerk",
            Role::Drafter => "drafter",
            Role::Leader => "leader",
        }
    }

    /// Parse a stored or given code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// The Vietnamese name of the role.
    pub fn word(self) -> &'static str {
        match self {
            Role::Admin => "quản trị",
            Role::Clerk => "văn thư",
            Role::Drafter => "chuyên viên",
            Role::Leader => "lãnh đạo",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A user as stored (without the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Login name (tên đăng nhập).
    pub name: String,
    /// Họ tên, as shown and as the signature block prints it.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// The organisation (profile id, the register's org).
    pub org: String,
    /// A disabled user cannot log in or use a token.
    pub disabled: bool,
}

/// A user to create: the password already hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The user.
    pub user: User,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// Whose key a stored signing key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    /// A person's key, bound to a user name.
    User,
    /// An organisation's key (the seal), usable by its văn thư.
    Org,
}

impl KeyOwner {
    fn code(self) -> &'static str {
        match self {
            KeyOwner::User => "user",
            KeyOwner::Org => "org",
        }
    }
}

/// A stored signing key: encrypted PKCS#8 PEM and the certificate chain PEM.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Whose key.
    pub owner_kind: KeyOwner,
    /// The user name or org id.
    pub owner: String,
    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----` …
    pub key_pem: String,
    /// The chain, own certificate first.
    pub chain_pem: String,
    /// The certificate's subject, for display.
    pub subject: String,
}

impl fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The encrypted key is not secret by itself, but it has no place in logs either.
        f.debug_struct("StoredKey")
            .field("owner_kind", &self.owner_kind)
            .field("owner", &self.owner)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Session (cookie) or API token (Bearer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Made by logging in on the web pages.
    Session,
    /// Made for scripts and other systems.
    Api,
}

impl TokenKind {
    fn code(self) -> &'static str {
        match self {
            TokenKind::Session => "session",
            TokenKind::Api => "api",
        }
    }
}

/// Create a user, logged in the same transaction.
pub async fn create_user(
    register: &Register,
    new: &NewUser,
    actor: &str,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let user = checked_user(&new.user)?;
    let mut tx = register.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO app_user (user_name, display_name, role, org, password_hash, created_at, \
         disabled) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&user.name)
    .bind(&user.display_name)
    .bind(user.role.code())
    .bind(&user.org)
    .bind(&new.password_hash)
    .bind(timestamp(at))
    .bind(i64::from(user.disabled))
    .execute(tx.conn())
    .await;
    match inserted {
        Err(error) if RegisterError::is_unique_violation(&error) => {
            return Err(RegisterError::AlreadyExists {
                what: "người dùng",
                name: user.name,
            });
        }
        other => other.map_err(tx.error("tạo người dùng"))?,
    };
    let entry = AuditEntry {
        at,
        actor: actor.to_owned(),
        action: AuditAction::UserChange,
        subject: format!("user:{}", user.name),
        details: json!({"created": true, "role": user.role.code(), "org": user.org}),
    };
    audit::append(&mut tx, &entry).await?;
    tx.commit().await
}

/// The user named `name` and its password hash.
pub async fn user_with_hash(
    register: &Register,
    name: &str,
) -> Result<Option<(User, String)>, RegisterError> {
    let row = sqlx::query(
        "SELECT user_name, display_name, role, org, disabled, password_hash FROM app_user \
         WHERE user_name = $1",
    )
    .bind(crate::text::nfc(name.trim()))
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc người dùng"))?;
    row.map(|row| {
        let user = user_of(&row)?;
        let hash: String = row
            .try_get(5)
            .map_err(RegisterError::db("đọc người dùng"))?;
        Ok((user, hash))
    })
    .transpose()
}

/// Every user, by organisation and name.
pub async fn users(register: &Register) -> Result<Vec<User>, RegisterError> {
    let rows = sqlx::query(
        "SELECT user_name, display_name, role, org, disabled FROM app_user ORDER BY org, user_name",
    )
    .fetch_all(register.reader())
    .await
    .map_err(RegisterError::db("đọc người dùng"))?;
    rows.iter().map(user_of).collect()
}

/// Store a token (its SHA-256) for `user` until `expires_at`.
pub async fn insert_token(
    register: &Register,
    token_sha256: Sha256,
    user: &str,
    kind: TokenKind,
    label: &str,
    at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), RegisterError> {
    let label = checked_text("label", label, MAX_NAME_CHARS)?;
    let mut tx = register.begin_write().await?;
    sqlx::query(
        "INSERT INTO api_token (token_sha256, user_name, kind, label, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_sha256.hex())
    .bind(user)
    .bind(kind.code())
    .bind(label)
    .bind(timestamp(at))
    .bind(timestamp(expires_at))
    .execute(tx.conn())
    .await
    .map_err(tx.error("ghi phiên"))?;
    tx.commit().await
}

/// The enabled user a token belongs to, if the token exists and has not expired at `now`.
pub async fn token_user(
    register: &Register,
    token_sha256: Sha256,
    now: OffsetDateTime,
) -> Result<Option<User>, RegisterError> {
    let row = sqlx::query(
        "SELECT u.user_name, u.display_name, u.role, u.org, u.disabled FROM api_token t \
         JOIN app_user u ON u.user_name = t.user_name \
         WHERE t.token_sha256 = $1 AND t.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_sha256.hex())
    .bind(timestamp(now))
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc phiên"))?;
    row.map(|row| user_of(&row)).transpose()
}

/// Forget a token (logout).
pub async fn delete_token(register: &Register, token_sha256: Sha256) -> Result<(), RegisterError> {
    let mut tx = register.begin_write().await?;
    sqlx::query("DELETE FROM api_token WHERE token_sha256 = $1")
        .bind(token_sha256.hex())
        .execute(tx.conn())
        .await
        .map_err(tx.error("xóa phiên"))?;
    tx.commit().await
}

/// Store (or replace) a signing key, logged in the same transaction.
pub async fn put_key(
    register: &Register,
    key: &StoredKey,
    actor: &str,
    at: OffsetDateTime,
) -> Result<(), RegisterError> {
    for (field, pem) in [("key_pem", &key.key_pem), ("chain_pem", &key.chain_pem)] {
        if pem.len() > MAX_KEY_PEM_BYTES || pem.is_empty() {
            return Err(RegisterError::InvalidField {
                field,
                problem: format!("cần 1 đến {MAX_KEY_PEM_BYTES} byte"),
            });
        }
    }
    let subject = checked_text("subject", &key.subject, MAX_DISPLAY_CHARS * 4)?;
    let mut tx = register.begin_write().await?;
    sqlx::query("DELETE FROM signing_key WHERE owner_kind = $1 AND owner = $2")
        .bind(key.owner_kind.code())
        .bind(&key.owner)
        .execute(tx.conn())
        .await
        .map_err(tx.error("thay khóa"))?;
    sqlx::query(
        "INSERT INTO signing_key (owner_kind, owner, key_pem, chain_pem, subject, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.owner_kind.code())
    .bind(&key.owner)
    .bind(&key.key_pem)
    .bind(&key.chain_pem)
    .bind(&subject)
    .bind(timestamp(at))
    .execute(tx.conn())
    .await
    .map_err(tx.error("ghi khóa"))?;
    let entry = AuditEntry {
        at,
        actor: actor.to_owned(),
        action: AuditAction::UserChange,
        subject: format!("{}:{}", key.owner_kind.code(), key.owner),
        details: json!({"key": "stored", "certificate": subject}),
    };
    audit::append(&mut tx, &entry).await?;
    tx.commit().await
}

/// The signing key of a user or an organisation.
pub async fn key(
    register: &Register,
    owner_kind: KeyOwner,
    owner: &str,
) -> Result<Option<StoredKey>, RegisterError> {
    let row = sqlx::query(
        "SELECT key_pem, chain_pem, subject FROM signing_key WHERE owner_kind = $1 AND owner = $2",
    )
    .bind(owner_kind.code())
    .bind(owner)
    .fetch_optional(register.reader())
    .await
    .map_err(RegisterError::db("đọc khóa"))?;
    row.map(|row| {
        let read = RegisterError::db("đọc khóa");
        let text = |index: usize| row.try_get::<String, _>(index);
        (|| {
            Ok::<_, sqlx::Error>(StoredKey {
                owner_kind,
                owner: owner.to_owned(),
                key_pem: text(0)?,
                chain_pem: text(1)?,
                subject: text(2)?,
            })
        })()
        .map_err(read)
    })
    .transpose()
}

fn checked_user(user: &User) -> Result<User, RegisterError> {
    let name = checked_text("user_name", &user.name, MAX_NAME_CHARS)?;
    if name.chars().any(|c| c.is_whitespace() || c == ':') {
        return Err(RegisterError::InvalidField {
            field: "user_name",
            problem: "không được chứa khoảng trắng hay dấu ':'".to_owned(),
        });
    }
    Ok(User {
        name,
        display_name: checked_text("display_name", &user.display_name, MAX_DISPLAY_CHARS)?,
        role: user.role,
        org: checked_text("org", &user.org, MAX_NAME_CHARS)?,
        disabled: user.disabled,
    })
}

fn user_of(row: &sqlx::any::AnyRow) -> Result<User, RegisterError> {
    let read = RegisterError::db("đọc người dùng");
    let text = |index: usize| row.try_get::<String, _>(index);
    let (name, display_name, role, org, disabled) = (|| {
        Ok::<_, sqlx::Error>((
            text(0)?,
            text(1)?,
            text(2)?,
            text(3)?,
            row.try_get::<i64, _>(4)?,
        ))
    })()
    .map_err(read)?;
    let role = Role::from_code(&role).ok_or_else(|| RegisterError::Corrupt {
        table: "app_user",
        problem: format!("vai trò không biết: {role}"),
    })?;
    Ok(User {
        name,
        display_name,
        role,
        org,
        disabled: disabled != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn user_names_refuse_spaces_and_colons() {
        let user = |name: &str| User {
            name: name.to_owned(),
            display_name: "Phạm Thị Thu Trang".to_owned(),
            role: Role::Leader,
            org: "cdn-y-te-dong-nai".to_owned(),
            disabled: false,
        };
        assert!(checked_user(&user("lanhdao")).is_ok());
        assert!(checked_user(&user("lanh dao")).is_err());
        assert!(checked_user(&user("cli:x")).is_err());
        assert!(checked_user(&user("")).is_err());
    }
}

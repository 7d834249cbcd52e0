//! Who may do what (phân quyền), passwords and tokens.
//!
//! The permission table is one function, [`allows`]: a role and an [`Action`] give yes or no.
//! Every refusal goes into the audit log as `auth.denied` before the caller hears of it.
//! Document actions are also bound to the user's organisation: a văn thư of one body cannot seal
//! another body's document.
//!
//! Passwords are hashed with argon2id (RFC 9106's second recommended setting is what the
//! `argon2` crate defaults to: m = 19 MiB, t = 2, p = 1), off the async threads. Tokens are 32
//! random bytes from the OS (ring's `SystemRandom`), shown once, stored as SHA-256.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::register::audit::{self, AuditAction, AuditEntry};
use crate::register::people::{self, Role, TokenKind, User};
use crate::register::{Register, Sha256};

use super::WorkflowError;

/// How long a login session lasts: one working day and a night (12 h).
pub const SESSION_HOURS: i64 = 12;

/// How long an API token lasts: a year (scripts of the văn thư renew it with the calendar).
pub const API_TOKEN_DAYS: i64 = 365;

/// Longest password accepted, in bytes: argon2 takes any length, but a megabyte "password"
/// is only a way to burn CPU.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// What a user asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Soạn thảo: create or change a draft.
    Draft,
    /// Trình ký: send a draft to the signer.
    Submit,
    /// Ký: sign as the competent person.
    Sign,
    /// Trả lại: send back for revision.
    Return,
    /// Cấp số, đóng dấu, ban hành.
    Issue,
    /// Chuyển: deliver an issued document.
    Deliver,
    /// Thu hồi.
    Recall,
    /// Vào sổ đến: receive a document from outside.
    Receive,
    /// Read documents of the organisation.
    ReadDocuments,
    /// Read and export the registers.
    ReadRegister,
    /// Take a number directly (scripts).
    NumberNext,
    /// Void a reserved number.
    VoidNumber,
    /// Create users and bind keys.
    ManageUsers,
    /// Read and check the audit log.
    ReadAudit,
}

impl Action {
    /// The action in Vietnamese, for messages.
    pub fn word(self) -> &'static str {
        match self {
            Action::Deliver => "chuyển văn bản",
            Action::Draft => "soạn thảo văn bản",
            Action::Issue => "cấp số, đóng dấu và ban hành",
            Action::ManageUsers => "quản lý người dùng",
            Action::NumberNext => "lấy số",
            Action::ReadAudit => "xem nhật ký",
            Action::ReadDocuments => "xem văn bản",
            Action::ReadRegister => "xem sổ văn bản",
            Action::Recall => "thu hồi văn bản",
            Action::Receive => "vào sổ văn bản đến",
            Action::Return => "trả lại văn bản",
            Action::Sign => "ký văn bản",
            Action::Submit => "trình ký",
            Action::VoidNumber => "hủy số",
        }
    }
}

/// The permission table (Nghị định 30 Điều 10–19, 32: the drafter drafts, the competent person
/// signs, the văn thư numbers, seals, issues and keeps the registers).
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Drafter => matches!(action, Draft | Submit | ReadDocuments),
        Role::Leader => matches!(
            action,
            Sign | Return | Recall | ReadDocuments | ReadRegister
        ),
        Role::Clerk => matches!(
            action,
            Draft
                | Return
                | Issue
                | Deliver
                | Recall
                | Receive
                | ReadDocuments
                | ReadRegister
                | NumberNext
                | VoidNumber
                | ReadAudit
        ),
        Role::Admin => matches!(
            action,
            ReadDocuments | ReadRegister | ManageUsers | ReadAudit
        ),
    }
}

/// Check `user` may do `action` (on a document of `org`, when given); log a refusal.
pub async fn authorize(
    register: &Register,
    user: &User,
    action: Action,
    org: Option<&str>,
    subject: &str,
    at: OffsetDateTime,
) -> Result<(), WorkflowError> {
    let role_ok = allows(user.role, action);
    let org_ok = match org {
        Some(org) => user.role == Role::Admin || org == user.org,
        None => true,
    };
    if role_ok && org_ok {
        return Ok(());
    }
    let entry = AuditEntry {
        at,
        actor: user.name.clone(),
        action: AuditAction::AuthorizationDenied,
        subject: subject.to_owned(),
        details: json!({
            "action": action.word(),
            "role": user.role.code(),
            "user_org": user.org,
            "document_org": org,
        }),
    };
    audit::append_alone(register, &entry).await?;
    Err(WorkflowError::Forbidden {
        user: user.name.clone(),
        role: user.role.word(),
        action: action.word(),
    })
}

/// An argon2id PHC string for `password` (slow on purpose: run it off the async threads).
pub fn hash_password(password: &str) -> Result<String, WorkflowError> {
    check_password(password)?;
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| WorkflowError::Internal("không lấy được số ngẫu nhiên".into()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| WorkflowError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| WorkflowError::Internal(e.to_string()))
}

/// Whether `password` matches the stored PHC string.
pub fn password_matches(password: &str, phc: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A new random token (64 hex digits) and its digest, which is what gets stored.
pub fn new_token() -> Result<(String, Sha256), WorkflowError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| WorkflowError::Internal("không lấy được số ngẫu nhiên".into()))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let digest = Sha256::digest(token.as_bytes());
    Ok((token, digest))
}

/// A random readable secret of `len` characters (demo passwords and PINs); no 0/O, 1/l.
pub fn random_secret(len: usize, digits_only: bool) -> Result<String, WorkflowError> {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    const DIGITS: &[u8] = b"0123456789";
    let alphabet = if digits_only { DIGITS } else { LETTERS };
    let mut bytes = vec![0u8; len];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| WorkflowError::Internal("không lấy được số ngẫu nhiên".into()))?;
    // 256 is not a multiple of the alphabet sizes; the bias (under 1 %) is harmless for demo
    // secrets, which are never the only protection of anything real.
    Ok(bytes
        .iter()
        .map(|b| alphabet[usize::from(*b) % alphabet.len()] as char)
        .collect())
}

/// Log in: check the password (off the async threads), make a session token, log it.
pub async fn login(
    register: &Register,
    name: &str,
    password: &str,
    kind: TokenKind,
    at: OffsetDateTime,
) -> Result<(String, User), WorkflowError> {
    let found = people::user_with_hash(register, name).await?;
    let password = password.to_owned();
    let (user, ok) = match found {
        Some((user, hash)) => {
            let ok = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
                .await
                .map_err(|e| WorkflowError::Internal(e.to_string()))?;
            (Some(user), ok)
        }
        None => (None, false),
    };
    let user = match user {
        Some(user) if ok && !user.disabled => user,
        _ => {
            let entry = AuditEntry {
                at,
                actor: "anonymous".into(),
                action: AuditAction::LoginFailed,
                subject: format!(
                    "user:{}",
                    crate::text::nfc(name.trim())
                        .chars()
                        .take(64)
                        .collect::<String>()
                ),
                details: json!({}),
            };
            audit::append_alone(register, &entry).await?;
            return Err(WorkflowError::Unauthorized {
                reason: "tên đăng nhập hoặc mật khẩu không đúng",
            });
        }
    };
    let (token, digest) = new_token()?;
    let lifetime = match kind {
        TokenKind::Session => Duration::hours(SESSION_HOURS),
        TokenKind::Api => Duration::days(API_TOKEN_DAYS),
    };
    let label = match kind {
        TokenKind::Session => "web",
        TokenKind::Api => "api",
    };
    people::insert_token(register, digest, &user.name, kind, label, at, at + lifetime).await?;
    let entry = AuditEntry {
        at,
        actor: user.name.clone(),
        action: AuditAction::Login,
        subject: format!("user:{}", user.name),
        details: json!({"kind": label}),
    };
    audit::append_alone(register, &entry).await?;
    Ok((token, user))
}

/// The user a token belongs to, if valid at `now`.
pub async fn authenticate(
    register: &Register,
    token: &str,
    now: OffsetDateTime,
) -> Result<User, WorkflowError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WorkflowError::Unauthorized {
            reason: "mã phiên không hợp lệ",
        });
    }
    let digest = Sha256::digest(token.to_ascii_lowercase().as_bytes());
    people::token_user(register, digest, now)
        .await?
        .ok_or(WorkflowError::Unauthorized {
            reason: "phiên đã hết hạn hoặc không tồn tại",
        })
}

/// End a session.
pub async fn logout(register: &Register, token: &str) -> Result<(), WorkflowError> {
    let digest = Sha256::digest(token.to_ascii_lowercase().as_bytes());
    people::delete_token(register, digest).await?;
    Ok(())
}

fn check_password(password: &str) -> Result<(), WorkflowError> {
    if password.chars().count() < 8 {
        return Err(WorkflowError::invalid("password", "cần ít nhất 8 ký tự"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(WorkflowError::invalid(
            "password",
            format!("dài quá {MAX_PASSWORD_BYTES} byte"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_clerk_issues_and_only_the_leader_signs() {
        for role in Role::ALL {
            assert_eq!(allows(role, Action::Issue), role == Role::Clerk, "{role}");
            assert_eq!(allows(role, Action::Sign), role == Role::Leader, "{role}");
            assert_eq!(
                allows(role, Action::ManageUsers),
                role == Role::Admin,
                "{role}"
            );
        }
        assert!(allows(Role::Drafter, Action::Submit));
        assert!(!allows(Role::Drafter, Action::ReadRegister));
        assert!(!allows(Role::Admin, Action::Draft));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("mật khẩu Đồng Nai").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(password_matches("mật khẩu Đồng Nai", &hash));
        assert!(!password_matches("mat khau Dong Nai", &hash));
        assert!(!password_matches("x", "not a phc string"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let (one, digest) = new_token().unwrap();
        let (two, _) = new_token().unwrap();
        assert_ne!(one, two);
        assert_eq!(one.len(), 64);
        assert_eq!(digest, Sha256::digest(one.as_bytes()));
    }
}

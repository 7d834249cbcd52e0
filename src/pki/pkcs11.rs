//! PKCS#11 tokens and HSMs (USB token ký số, HSM) through `cryptoki`.
//!
//! Vietnamese CAs deliver signing keys on USB tokens (SafeNet, ePass, Bit4id …) whose vendor
//! driver is a PKCS#11 module; HSMs and SoftHSM2 speak the same interface. The signer finds the
//! token by label (or slot), logs in with the user PIN, finds the private key by label, and takes
//! its certificate from the token: the certificate object with the same `CKA_ID` (or, failing
//! that, the same label). Other certificates on the token, and any given in
//! [`Pkcs11Config::extra_certificates`], complete the chain.
//!
//! Signing uses the mechanisms every token has, on a digest computed here: `CKM_RSA_PKCS` over a
//! DER `DigestInfo` (PKCS#1 v1.5), `CKM_RSA_PKCS_PSS` over the digest, and `CKM_ECDSA` over the
//! digest, whose raw `r‖s` answer is converted to DER. Hashing in the process keeps the
//! document bytes off the (slow) token and works with tokens that lack the `CKM_SHA256_*`
//! combined mechanisms.

use std::fmt;
use std::path::PathBuf;
use std::sync::Mutex;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CryptokiError, RvError};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use super::keystore::Passphrase;
use super::signer::{
    CertificateKey, DigestAlgorithm, SignatureAlgorithm, Signer, SignerError, ecdsa_raw_to_der,
    order_chain,
};

/// Where the key is: module, token, key label, PIN.
#[derive(Debug, Clone)]
pub struct Pkcs11Config {
    /// The PKCS#11 module (`/usr/lib/softhsm/libsofthsm2.so`, a token vendor's `.so`).
    pub module: PathBuf,
    /// The token's label; `None` takes the first token present (or [`Pkcs11Config::slot`]).
    pub token_label: Option<String>,
    /// A slot id, used when no label is given.
    pub slot: Option<u64>,
    /// The private key's `CKA_LABEL`.
    pub key_label: String,
    /// The user PIN.
    pub pin: Passphrase,
    /// The algorithm; `None` takes the key's default (RSA PKCS#1 v1.5 SHA-256, ECDSA with the
    /// curve's hash).
    pub algorithm: Option<SignatureAlgorithm>,
    /// Issuer certificates (DER) for when the token holds only the signer's own. With the
    /// token's other certificates they are ordered from the signer's towards the root, by name;
    /// those not on that path are left out.
    pub extra_certificates: Vec<Vec<u8>>,
}

/// Why a token could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The module could not be loaded or initialised.
    #[error("cannot load the PKCS#11 module {path}: {reason}")]
    Module {
        /// The module path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No certificate for the key on the token.
    #[error("no certificate for key {label:?} on the token (add it, or pass the chain)")]
    NoCertificate {
        /// The key label.
        label: String,
    },
    /// No private key with that label.
    #[error("no private key labelled {label:?} on the token")]
    NoKey {
        /// The key label.
        label: String,
    },
    /// No token with that label (or in that slot).
    #[error("no PKCS#11 token {wanted} (tokens present: {present})")]
    NoToken {
        /// What was asked for.
        wanted: String,
        /// Labels of the tokens found.
        present: String,
    },
    /// The PIN is wrong.
    #[error("wrong token PIN (mã PIN không đúng)")]
    PinIncorrect,
    /// Too many wrong PINs: the token refuses.
    #[error("the token PIN is locked after too many wrong attempts (mã PIN đã bị khóa)")]
    PinLocked,
    /// The key and certificate do not make a usable signer.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// Any other token failure.
    #[error("PKCS#11 {operation}: {reason}")]
    Token {
        /// What was being done.
        operation: &'static str,
        /// The token's answer.
        reason: String,
    },
}

/// A signer whose private key stays on a PKCS#11 token.
pub struct Pkcs11Signer {
    session: Mutex<Session>,
    key: ObjectHandle,
    algorithm: SignatureAlgorithm,
    chain: Vec<Vec<u8>>,
    // Keeps the module loaded for as long as the session lives.
    _context: Pkcs11,
}

impl Pkcs11Signer {
    /// Load the module, log in to the token, and find the key and its certificate.
    pub fn open(config: &Pkcs11Config) -> Result<Pkcs11Signer, Pkcs11Error> {
        let context = load_module(config)?;
        let slot = find_slot(&context, config)?;
        let session = context
            .open_ro_session(slot)
            .map_err(token("open session"))?;
        login(&session, &config.pin)?;
        let key =
            find_one(&session, ObjectClass::PRIVATE_KEY, &config.key_label)?.ok_or_else(|| {
                Pkcs11Error::NoKey {
                    label: config.key_label.clone(),
                }
            })?;
        let (leaf, mut pool) = token_certificates(&session, key, &config.key_label)?;
        pool.extend(config.extra_certificates.iter().cloned());
        let chain = order_chain(leaf, &pool);
        let leaf = CertificateKey::parse(&chain[0], 0)?;
        let algorithm = config
            .algorithm
            .unwrap_or_else(|| SignatureAlgorithm::default_for(leaf.kind));
        if !algorithm.fits(leaf.kind) {
            return Err(SignerError::KeyAlgorithmMismatch {
                key: leaf.kind,
                requested: algorithm,
            }
            .into());
        }
        Ok(Pkcs11Signer {
            session: Mutex::new(session),
            key,
            algorithm,
            chain,
            _context: context,
        })
    }
}

impl Signer for Pkcs11Signer {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let digest_algorithm = self.algorithm.digest_algorithm();
        let digest = digest_algorithm.digest(message);
        let (mechanism, input) = if self.algorithm.is_ecdsa() {
            (Mechanism::Ecdsa, digest)
        } else if self.algorithm.is_pss() {
            (Mechanism::RsaPkcsPss(pss_params(digest_algorithm)), digest)
        } else {
            (Mechanism::RsaPkcs, digest_algorithm.digest_info(&digest))
        };
        let session = self
            .session
            .lock()
            .map_err(|_| SignerError::Pkcs11("session lock poisoned by a panic".to_owned()))?;
        let signature = session
            .sign(&mechanism, self.key, &input)
            .map_err(|e| SignerError::Pkcs11(e.to_string()))?;
        if self.algorithm.is_ecdsa() {
            return ecdsa_raw_to_der(&signature).ok_or_else(|| {
                SignerError::Pkcs11(format!("ECDSA signature of odd length {}", signature.len()))
            });
        }
        Ok(signature)
    }
}

impl fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("algorithm", &self.algorithm)
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

fn load_module(config: &Pkcs11Config) -> Result<Pkcs11, Pkcs11Error> {
    let module_error = |reason: String| Pkcs11Error::Module {
        path: config.module.clone(),
        reason,
    };
    let context = Pkcs11::new(&config.module).map_err(|e| module_error(e.to_string()))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) => Ok(context),
        // Another signer in this process already initialised the module: that is fine.
        Err(CryptokiError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(context),
        Err(e) => Err(module_error(e.to_string())),
    }
}

fn find_slot(context: &Pkcs11, config: &Pkcs11Config) -> Result<Slot, Pkcs11Error> {
    let slots = context
        .get_slots_with_token()
        .map_err(token("list slots"))?;
    let mut labels = Vec::new();
    for slot in &slots {
        let info = context
            .get_token_info(*slot)
            .map_err(token("read token info"))?;
        let label = info.label().trim().to_owned();
        let wanted = match (&config.token_label, config.slot) {
            (Some(want), _) => *want == label,
            (None, Some(id)) => slot.id() == id,
            (None, None) => true,
        };
        if wanted {
            return Ok(*slot);
        }
        labels.push(label);
    }
    Err(Pkcs11Error::NoToken {
        wanted: match (&config.token_label, config.slot) {
            (Some(label), _) => format!("labelled {label:?}"),
            (None, Some(id)) => format!("in slot {id}"),
            (None, None) => "at all".to_owned(),
        },
        present: if labels.is_empty() {
            "none".to_owned()
        } else {
            labels.join(", ")
        },
    })
}

/// Log the user in. PKCS#11 keeps one login state per application and token: while another
/// session of this process is logged in, `C_Login` answers "already logged in" without checking
/// the PIN, and that counts as success.
fn login(session: &Session, pin: &Passphrase) -> Result<(), Pkcs11Error> {
    let pin = AuthPin::from(pin.as_str());
    match session.login(UserType::User, Some(&pin)) {
        Ok(()) | Err(CryptokiError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
        Err(CryptokiError::Pkcs11(RvError::PinIncorrect, _)) => Err(Pkcs11Error::PinIncorrect),
        Err(CryptokiError::Pkcs11(RvError::PinLocked, _)) => Err(Pkcs11Error::PinLocked),
        Err(e) => Err(Pkcs11Error::Token {
            operation: "login",
            reason: e.to_string(),
        }),
    }
}

fn find_one(
    session: &Session,
    class: ObjectClass,
    label: &str,
) -> Result<Option<ObjectHandle>, Pkcs11Error> {
    let template = [
        Attribute::Class(class),
        Attribute::Label(label.as_bytes().to_vec()),
    ];
    let found = session
        .find_objects(&template)
        .map_err(token("find objects"))?;
    Ok(found.first().copied())
}

/// The key's certificate (same `CKA_ID`, else same label), and the token's other certificates.
fn token_certificates(
    session: &Session,
    key: ObjectHandle,
    label: &str,
) -> Result<(Vec<u8>, Vec<Vec<u8>>), Pkcs11Error> {
    let id = session
        .get_attributes(key, &[AttributeType::Id])
        .map_err(token("read key id"))?
        .into_iter()
        .find_map(|a| match a {
            Attribute::Id(id) if !id.is_empty() => Some(id),
            _ => None,
        });
    let leaf = match id {
        Some(id) => session
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::Id(id),
            ])
            .map_err(token("find certificate"))?
            .first()
            .copied(),
        None => None,
    };
    let leaf = match leaf {
        Some(handle) => Some(handle),
        None => find_one(session, ObjectClass::CERTIFICATE, label)?,
    };
    let leaf = leaf.ok_or_else(|| Pkcs11Error::NoCertificate {
        label: label.to_owned(),
    })?;
    let leaf_der = certificate_value(session, leaf)?;
    let mut others = Vec::new();
    let all = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(token("find certificates"))?;
    for handle in all.into_iter().filter(|h| *h != leaf) {
        others.push(certificate_value(session, handle)?);
    }
    Ok((leaf_der, others))
}

fn certificate_value(session: &Session, handle: ObjectHandle) -> Result<Vec<u8>, Pkcs11Error> {
    session
        .get_attributes(handle, &[AttributeType::Value])
        .map_err(token("read certificate"))?
        .into_iter()
        .find_map(|a| match a {
            Attribute::Value(value) => Some(value),
            _ => None,
        })
        .ok_or(Pkcs11Error::Token {
            operation: "read certificate",
            reason: "no CKA_VALUE".to_owned(),
        })
}

fn pss_params(digest: DigestAlgorithm) -> PkcsPssParams {
    let (hash_alg, mgf) = match digest {
        DigestAlgorithm::Sha256 => (MechanismType::SHA256, PkcsMgfType::MGF1_SHA256),
        DigestAlgorithm::Sha384 => (MechanismType::SHA384, PkcsMgfType::MGF1_SHA384),
        DigestAlgorithm::Sha512 => (MechanismType::SHA512, PkcsMgfType::MGF1_SHA512),
    };
    PkcsPssParams {
        hash_alg,
        mgf,
        s_len: (digest.output_len() as u64).into(),
    }
}

fn token(operation: &'static str) -> impl Fn(CryptokiError) -> Pkcs11Error {
    move |e| Pkcs11Error::Token {
        operation,
        reason: e.to_string(),
    }
}

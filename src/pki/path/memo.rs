//! A memo for one verification session: a document's signatures, timestamps and revocation
//! data name the same certificates again and again (every signer of one office under the same
//! intermediate, the TSA's chain for each timestamp, the CRL issuer), and each path check would
//! parse them and verify their signatures anew.
//!
//! [`session`] runs a closure with the memo switched on for this thread and drops it after:
//! nothing is remembered from one document to the next, so figures for one verification stay
//! honest and no state outlives the request. Outside a session nothing is memoised.
//!
//! Only successes are kept: a parsed certificate by its DER, and a verified signature by the
//! SHA-256 of everything the check took (key, algorithm, message, signature value), so a hit
//! needs the same inputs, byte for byte, up to a SHA-256 collision.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::cert::Cert;
use super::signature::SignatureAlgorithm;

/// Most entries of each kind in one session: 4,096 (a document has a few dozen certificates;
/// beyond this the memo stops growing and checks run as without it).
const MAX_ENTRIES: usize = 4_096;

#[derive(Default)]
struct Memo {
    certs: HashMap<Vec<u8>, Rc<Cert>>,
    signatures: HashMap<[u8; 32], SignatureAlgorithm>,
}

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Run `work` with a fresh memo on this thread; the memo is dropped afterwards (also on
/// panic, since the previous state is restored by a guard).
pub fn session<T>(work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Memo>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            MEMO.with(|memo| *memo.borrow_mut() = previous);
        }
    }
    let previous = MEMO.with(|memo| memo.borrow_mut().replace(Memo::default()));
    let _restore = Restore(previous);
    work()
}

/// `Cert::parse`, remembered within a session (shared, not copied, on a hit).
pub(crate) fn parse_cert(der: &[u8]) -> Result<Rc<Cert>, String> {
    let hit = MEMO.with(|memo| {
        memo.borrow()
            .as_ref()
            .and_then(|memo| memo.certs.get(der).cloned())
    });
    if let Some(cert) = hit {
        return Ok(cert);
    }
    let cert = Rc::new(Cert::parse(der)?);
    MEMO.with(|memo| {
        if let Some(memo) = memo.borrow_mut().as_mut()
            && memo.certs.len() < MAX_ENTRIES
        {
            memo.certs.insert(der.to_vec(), Rc::clone(&cert));
        }
    });
    Ok(cert)
}

/// A verified signature's algorithm, if this exact check succeeded earlier in the session.
pub(crate) fn verified(key: &[u8]) -> Option<SignatureAlgorithm> {
    MEMO.with(|memo| {
        memo.borrow()
            .as_ref()
            .and_then(|memo| memo.signatures.get(key).copied())
    })
}

/// Remember a successful check.
pub(crate) fn remember(key: [u8; 32], algorithm: SignatureAlgorithm) {
    MEMO.with(|memo| {
        if let Some(memo) = memo.borrow_mut().as_mut()
            && memo.signatures.len() < MAX_ENTRIES
        {
            memo.signatures.insert(key, algorithm);
        }
    });
}

/// Whether a session is on (the key is computed only then).
pub(crate) fn active() -> bool {
    MEMO.with(|memo| memo.borrow().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_kept_outside_a_session_or_after_it() {
        remember([1; 32], SignatureAlgorithm::EcdsaSha256);
        assert_eq!(verified(&[1; 32]), None);
        session(|| {
            assert!(active());
            remember([1; 32], SignatureAlgorithm::EcdsaSha256);
            assert_eq!(verified(&[1; 32]), Some(SignatureAlgorithm::EcdsaSha256));
            assert_eq!(verified(&[2; 32]), None);
        });
        assert!(!active());
        assert_eq!(verified(&[1; 32]), None);
        session(|| assert_eq!(verified(&[1; 32]), None));
    }
}

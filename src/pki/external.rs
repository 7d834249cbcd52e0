//! Signatures made elsewhere (ký số từ xa, ký bằng USB token qua trình duyệt).
//!
//! Remote signing services used in Vietnam (VNPT SmartCA, Viettel MySign, and others) follow the
//! Cloud Signature Consortium API: the client sends `signHash` a digest and a signature algorithm
//! OID, and gets back the signature value; the certificate chain comes from `credentials/info`.
//! A USB token driven from a browser plug-in works the same way. Two shapes serve them:
//!
//! - [`ExternalRequest`]: staged. Build it from the bytes to sign, send [`ExternalRequest::digest`]
//!   away, and later [`ExternalRequest::complete`] it with the signature and the certificates.
//!   The request can be stored in between (it holds no secret), so a document can wait for an
//!   approval on a phone.
//! - [`ExternalSigner`]: a [`Signer`] over a callback that receives the request and returns the
//!   signature, for services that answer within the call.
//!
//! Either way the returned signature is checked against the signer's certificate before it is
//! accepted, so a service that signs with the wrong key or the wrong algorithm is caught here,
//! not by the recipient.

use std::fmt;

use super::signer::{
    CertificateKey, DigestAlgorithm, SignatureAlgorithm, Signer, SignerError, ecdsa_raw_to_der,
};

/// What must be signed, as a remote service needs it: the digest, and the algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRequest {
    algorithm: SignatureAlgorithm,
    message: Vec<u8>,
    digest: Vec<u8>,
}

impl ExternalRequest {
    /// A request to sign `message` (for CMS: the DER of the signed attributes) with `algorithm`.
    pub fn new(algorithm: SignatureAlgorithm, message: &[u8]) -> ExternalRequest {
        ExternalRequest {
            algorithm,
            message: message.to_vec(),
            digest: algorithm.digest_algorithm().digest(message),
        }
    }

    /// The digest to send (CSC `signHash` `hashes[0]`, base64-encoded by the caller).
    pub fn digest(&self) -> &[u8] {
        &self.digest
    }

    /// The hash function (CSC `hashAlgo` OID: [`DigestAlgorithm::oid`]).
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.algorithm.digest_algorithm()
    }

    /// The signature algorithm (CSC `signAlgo` OID: the `oid` of
    /// [`SignatureAlgorithm::algorithm_identifier`]; `signAlgoParams` for PSS are its parameters).
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The DER `DigestInfo` for services or tokens that apply raw RSA PKCS#1 v1.5 to what they
    /// are given (`CKM_RSA_PKCS`, CSC `signAlgo` rsaEncryption).
    pub fn digest_info(&self) -> Vec<u8> {
        self.digest_algorithm().digest_info(&self.digest)
    }

    /// The bytes whose digest is signed.
    pub fn message(&self) -> &[u8] {
        &self.message
    }

    /// Accept the signature made elsewhere and the signer's certificate chain (its own first).
    ///
    /// An ECDSA signature may come raw (`r‖s`) or DER-encoded; it is returned DER-encoded.
    /// Fails with [`SignerError::SignatureInvalid`] if it does not verify with the first
    /// certificate's key.
    pub fn complete(
        self,
        signature: Vec<u8>,
        chain: Vec<Vec<u8>>,
    ) -> Result<ExternalSignature, SignerError> {
        let leaf = chain.first().ok_or(SignerError::NoCertificate)?;
        let key = CertificateKey::parse(leaf, 0)?;
        let signature = normalize_ecdsa(self.algorithm, signature);
        key.verify(self.algorithm, &self.message, &signature)?;
        Ok(ExternalSignature {
            algorithm: self.algorithm,
            signature,
            chain,
        })
    }
}

/// A signature made elsewhere that verified against its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSignature {
    /// The algorithm used.
    pub algorithm: SignatureAlgorithm,
    /// The signature value, as CMS carries it (DER for ECDSA).
    pub signature: Vec<u8>,
    /// The signer's certificate first, then its issuers (DER).
    pub chain: Vec<Vec<u8>>,
}

/// The callback an [`ExternalSigner`] calls: the request in, the signature value out.
pub type SignHash = dyn Fn(&ExternalRequest) -> Result<Vec<u8>, SignerError> + Send + Sync;

/// A [`Signer`] whose signatures come from a callback (a remote service, a token plug-in).
pub struct ExternalSigner {
    algorithm: SignatureAlgorithm,
    chain: Vec<Vec<u8>>,
    sign_hash: Box<SignHash>,
}

impl ExternalSigner {
    /// A signer with a known certificate chain (its own first) that signs by calling `sign_hash`.
    pub fn new(
        algorithm: SignatureAlgorithm,
        chain: Vec<Vec<u8>>,
        sign_hash: Box<SignHash>,
    ) -> Result<ExternalSigner, SignerError> {
        let leaf = chain.first().ok_or(SignerError::NoCertificate)?;
        let key = CertificateKey::parse(leaf, 0)?;
        if !algorithm.fits(key.kind) {
            return Err(SignerError::KeyAlgorithmMismatch {
                key: key.kind,
                requested: algorithm,
            });
        }
        Ok(ExternalSigner {
            algorithm,
            chain,
            sign_hash,
        })
    }
}

impl Signer for ExternalSigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let request = ExternalRequest::new(self.algorithm, message);
        let signature = (self.sign_hash)(&request)?;
        Ok(request.complete(signature, self.chain.clone())?.signature)
    }
}

impl fmt::Debug for ExternalSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalSigner")
            .field("algorithm", &self.algorithm)
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

/// ECDSA from a token or a service may be raw `r‖s`; CMS wants DER. A DER signature starts with
/// 0x30 and is never exactly twice the field size.
fn normalize_ecdsa(algorithm: SignatureAlgorithm, signature: Vec<u8>) -> Vec<u8> {
    let raw_len = match algorithm {
        SignatureAlgorithm::EcdsaP256Sha256 => 64,
        SignatureAlgorithm::EcdsaP384Sha384 => 96,
        _ => return signature,
    };
    if signature.len() == raw_len {
        ecdsa_raw_to_der(&signature).unwrap_or(signature)
    } else {
        signature
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::dev::{DevKeyAlgorithm, DevPkiOptions, generate};

    #[test]
    fn hash_out_signature_in() {
        let pki = generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev pki");
        let key = pki.signer("org").expect("org key");
        let request = ExternalRequest::new(SignatureAlgorithm::EcdsaP256Sha256, b"signed attrs");
        assert_eq!(request.digest().len(), 32);
        // The "remote service": signs the same message with the org key.
        let signature = key.sign(request.message()).expect("signs");
        let done = request
            .clone()
            .complete(signature, pki.chain("org"))
            .expect("verifies with the org certificate");
        assert_eq!(done.chain.len(), 2);
        // The same signature presented with the leader's certificate is refused.
        let wrong = request.complete(done.signature, pki.chain("leader"));
        assert!(
            matches!(wrong, Err(SignerError::SignatureInvalid)),
            "{wrong:?}"
        );
    }
}

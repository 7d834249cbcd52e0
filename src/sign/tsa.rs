//! RFC 3161 time-stamp client: ask a TSA to timestamp a digest, check what it answers.
//!
//! The token is checked here only for what the request controls (status granted, the
//! message imprint and nonce echoed back, a SignedData with TSTInfo inside); validating the
//! TSA's signature and certificate chain is the verifier's job, which never trusts the signer.

use std::io::Read;
use std::time::Duration;

use der::asn1::{Int, OctetString};
use der::{Any, Decode, Encode, SliceReader};
use ring::rand::{SecureRandom, SystemRandom};
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use cms::content_info::ContentInfo;
use cms::signed_data::EncapsulatedContentInfo;

use super::cms::DigestAlgorithm;
use crate::oid;

/// Largest TSA response read: 64 KiB. A token with a 3-certificate chain is about 6 KB.
pub const MAX_RESPONSE_BYTES: u64 = 64 * 1024;

/// How long to wait for a TSA, connect plus answer.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Errors from the time-stamp exchange. Each names what the TSA did wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TsaError {
    /// The TSA could not be reached or answered with an HTTP error.
    #[error("không gọi được máy chủ dấu thời gian {url}: {reason}")]
    Transport {
        /// The TSA URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The answer was larger than [`MAX_RESPONSE_BYTES`].
    #[error("TSA response exceeds {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
    /// The answer is not a TimeStampResp.
    #[error("TSA response is not valid DER: {0}")]
    Der(#[from] der::Error),
    /// The TSA refused (status other than granted / grantedWithMods).
    #[error("TSA refused the request: status {status}")]
    Refused {
        /// The PKIStatus value.
        status: u8,
    },
    /// Granted but without a token.
    #[error("TSA granted the request but sent no token")]
    NoToken,
    /// The token does not timestamp what we asked for.
    #[error("TSA token mismatch: {0}")]
    Mismatch(&'static str),
    /// No randomness for the nonce.
    #[error("no system randomness for the nonce")]
    Random,
}

/// A time-stamp request, kept to check the response against it.
#[derive(Debug, Clone)]
pub struct Request {
    digest: DigestAlgorithm,
    imprint: Vec<u8>,
    nonce: [u8; 8],
    der: Vec<u8>,
}

impl Request {
    /// A request for `imprint` (a digest made with `digest`), asking for the TSA's
    /// certificate and carrying a fresh 64-bit nonce.
    pub fn new(digest: DigestAlgorithm, imprint: &[u8]) -> Result<Self, TsaError> {
        let mut nonce = [0u8; 8];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| TsaError::Random)?;
        nonce[0] &= 0x7f; // keep the INTEGER positive
        nonce[0] |= 0x01; // and its first byte non-zero, so DER keeps all 8 bytes
        let request = TimeStampReq {
            version: TspVersion::V1,
            message_imprint: message_imprint(digest, imprint)?,
            req_policy: None,
            nonce: Some(Int::new(&nonce)?),
            cert_req: true,
            extensions: None,
        };
        Ok(Request {
            digest,
            imprint: imprint.to_vec(),
            nonce,
            der: request.to_der()?,
        })
    }

    /// The DER of the request (`application/timestamp-query`).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Check a DER TimeStampResp against this request; returns the token (DER ContentInfo).
    pub fn accept(&self, response: &[u8]) -> Result<Vec<u8>, TsaError> {
        let response = TimeStampResp::from_der(response)?;
        let status = response.status.status as u8;
        if status > 1 {
            return Err(TsaError::Refused { status });
        }
        let token = response.time_stamp_token.ok_or(TsaError::NoToken)?;
        let info = tst_info(&token)?;
        if info.message_imprint != message_imprint(self.digest, &self.imprint)? {
            return Err(TsaError::Mismatch(
                "message imprint differs from the request",
            ));
        }
        let nonce = info.nonce.ok_or(TsaError::Mismatch("nonce missing"))?;
        if nonce.as_bytes() != self.nonce {
            return Err(TsaError::Mismatch("nonce differs from the request"));
        }
        Ok(token.to_der()?)
    }
}

/// Timestamp `imprint` at the TSA at `url` (HTTP POST, RFC 3161 §3.4).
pub fn timestamp(url: &str, digest: DigestAlgorithm, imprint: &[u8]) -> Result<Vec<u8>, TsaError> {
    let request = Request::new(digest, imprint)?;
    let response = post(url, request.der())?;
    request.accept(&response)
}

/// The TSTInfo inside a token.
///
/// Only the head of the SignedData is decoded: real TSAs (OpenSSL among them, when its
/// `certs` option repeats the signer) put duplicate certificates in the SET OF, which strict
/// DER decoding of the whole structure would refuse although the token is sound.
pub fn tst_info(token: &ContentInfo) -> Result<TstInfo, TsaError> {
    if token.content_type != oid::SIGNED_DATA {
        return Err(TsaError::Mismatch("token is not SignedData"));
    }
    let mut reader = SliceReader::new(token.content.value())?;
    let _version = Any::decode(&mut reader)?;
    let _digest_algorithms = Any::decode(&mut reader)?;
    let encap = EncapsulatedContentInfo::decode(&mut reader)?;
    if encap.econtent_type != oid::TST_INFO {
        return Err(TsaError::Mismatch("token content is not TSTInfo"));
    }
    let content = encap
        .econtent
        .ok_or(TsaError::Mismatch("token has no content"))?;
    let octets: OctetString = content.decode_as()?;
    Ok(TstInfo::from_der(octets.as_bytes())?)
}

fn message_imprint(digest: DigestAlgorithm, imprint: &[u8]) -> Result<MessageImprint, TsaError> {
    Ok(MessageImprint {
        hash_algorithm: spki::AlgorithmIdentifier::<Any> {
            oid: digest.oid(),
            parameters: None,
        },
        hashed_message: OctetString::new(imprint)?,
    })
}

fn post(url: &str, body: &[u8]) -> Result<Vec<u8>, TsaError> {
    let transport = |reason: String| TsaError::Transport {
        url: url.to_owned(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let response = agent
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .send(body)
        .map_err(|error| transport(error.to_string()))?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| transport(error.to_string()))?;
    if bytes.len() as u64 > MAX_RESPONSE_BYTES {
        return Err(TsaError::TooLarge);
    }
    Ok(bytes)
}

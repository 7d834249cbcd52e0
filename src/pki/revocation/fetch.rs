//! HTTP fetching of CRLs and OCSP responses, when the caller allows the network.
//!
//! Plain `http://` only: CRL distribution points and OCSP responders are served over HTTP
//! (RFC 5280 §4.2.1.13, RFC 6960 Appendix A.1) and the evidence is signed, so TLS adds
//! nothing to its integrity, and leaving it out keeps ureq small.

use std::collections::HashMap;

use ring::rand::{SecureRandom, SystemRandom};

use super::{FetchLimits, NetworkPolicy, RevocationError};
use crate::pki::path::cert::Cert;

/// Length of the OCSP nonce we send: 32 bytes, the largest RFC 8954 §2.1 allows.
const NONCE_BYTES: usize = 32;

/// Redirects followed: 3. Some CAs move their CRLs and redirect once; more is suspicious.
const MAX_REDIRECTS: u32 = 3;

/// Fetches evidence, remembering CRLs already downloaded during one validation.
pub(super) struct Fetcher {
    agent: Option<(ureq::Agent, FetchLimits)>,
    crls: HashMap<String, Result<Vec<u8>, RevocationError>>,
}

impl Fetcher {
    pub(super) fn new(policy: &NetworkPolicy) -> Self {
        let agent = match policy {
            NetworkPolicy::Offline => None,
            NetworkPolicy::Allowed(limits) => {
                let agent = ureq::Agent::config_builder()
                    .timeout_global(Some(limits.timeout))
                    .max_redirects(MAX_REDIRECTS)
                    .http_status_as_error(true)
                    .build()
                    .new_agent();
                Some((agent, limits.clone()))
            }
        };
        Fetcher {
            agent,
            crls: HashMap::new(),
        }
    }

    /// Whether the network may be used.
    pub(super) fn enabled(&self) -> bool {
        self.agent.is_some()
    }

    /// GETs the CRL at `url`.
    pub(super) fn crl(&mut self, url: &str) -> Result<Vec<u8>, RevocationError> {
        if let Some(done) = self.crls.get(url) {
            return done.clone();
        }
        let result = self.get(url);
        self.crls.insert(url.to_owned(), result.clone());
        result
    }

    fn get(&self, url: &str) -> Result<Vec<u8>, RevocationError> {
        let (agent, limits) = self.agent()?;
        check_scheme(url)?;
        let mut response = agent.get(url).call().map_err(|e| fetch_error(url, e))?;
        response
            .body_mut()
            .with_config()
            .limit(limits.max_crl_bytes)
            .read_to_vec()
            .map_err(|e| body_error(url, e, limits.max_crl_bytes))
    }

    /// POSTs an OCSP request with a fresh nonce; returns the response and the nonce sent.
    pub(super) fn ocsp(
        &self,
        url: &str,
        cert: &Cert,
        issuer: &Cert,
    ) -> Result<(Vec<u8>, Vec<u8>), RevocationError> {
        let (agent, limits) = self.agent()?;
        check_scheme(url)?;
        let mut nonce = vec![0u8; NONCE_BYTES];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| RevocationError::Fetch {
                url: url.to_owned(),
                detail: "no system randomness for the OCSP nonce".to_owned(),
            })?;
        let request = super::ocsp::build_request(cert, issuer, Some(&nonce))?;
        let mut response = agent
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .send(&request[..])
            .map_err(|e| fetch_error(url, e))?;
        let body = response
            .body_mut()
            .with_config()
            .limit(limits.max_ocsp_bytes)
            .read_to_vec()
            .map_err(|e| body_error(url, e, limits.max_ocsp_bytes))?;
        Ok((body, nonce))
    }

    fn agent(&self) -> Result<(&ureq::Agent, &FetchLimits), RevocationError> {
        self.agent
            .as_ref()
            .map(|(agent, limits)| (agent, limits))
            .ok_or_else(|| RevocationError::Fetch {
                url: String::new(),
                detail: "network access is not allowed".to_owned(),
            })
    }
}

fn check_scheme(url: &str) -> Result<(), RevocationError> {
    if url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    {
        Ok(())
    } else {
        Err(RevocationError::Fetch {
            url: url.to_owned(),
            detail: "only http:// URLs are fetched".to_owned(),
        })
    }
}

fn fetch_error(url: &str, e: ureq::Error) -> RevocationError {
    RevocationError::Fetch {
        url: url.to_owned(),
        detail: e.to_string(),
    }
}

fn body_error(url: &str, e: ureq::Error, limit: u64) -> RevocationError {
    match e {
        ureq::Error::BodyExceedsLimit(_) => RevocationError::TooLarge {
            url: url.to_owned(),
            limit,
        },
        other => fetch_error(url, other),
    }
}

//! An S3-compatible object store for the file store (MinIO, Ceph RGW, Garage, AWS S3, the
//! S3 services of Vietnamese clouds): path-style `PUT` and `GET` of whole objects, each request
//! signed with AWS Signature Version 4 (HMAC-SHA256 from ring), over plain HTTP or whatever
//! the endpoint URL says. Only what the file store needs: no listing, no multipart upload
//! (objects are at most [`crate::limits::MAX_FILE_BYTES`]).
//!
//! The credentials come from the environment (`VANBAN_S3_ACCESS_KEY_ID`,
//! `VANBAN_S3_SECRET_ACCESS_KEY`) and are never logged; `Debug` prints the key id only.

use std::io::Read;
use std::time::Duration;

use ring::{digest, hmac};
use time::OffsetDateTime;

use super::WorkflowError;

/// Where the bucket is and how to sign for it.
#[derive(Clone)]
pub struct S3Config {
    /// `http://127.0.0.1:9000` (no trailing slash, no bucket).
    pub endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The signing region (`us-east-1` for most S3-compatible servers).
    pub region: String,
    /// The access key id.
    pub access_key: String,
    /// The secret access key.
    pub secret_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    /// The endpoint and bucket given, region `us-east-1` unless `VANBAN_S3_REGION` says
    /// otherwise, credentials from `VANBAN_S3_ACCESS_KEY_ID` and `VANBAN_S3_SECRET_ACCESS_KEY`.
    pub fn from_env(endpoint: &str, bucket: &str) -> Result<S3Config, WorkflowError> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| WorkflowError::invalid("s3", format!("đặt biến môi trường {name}")))
        };
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err(WorkflowError::invalid(
                "s3-endpoint",
                format!("{endpoint}: cần http:// hoặc https://"),
            ));
        }
        if bucket.is_empty()
            || !bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        {
            return Err(WorkflowError::invalid(
                "s3-bucket",
                format!("{bucket}: tên bucket chỉ gồm a-z, 0-9, '-', '.'"),
            ));
        }
        Ok(S3Config {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            bucket: bucket.to_owned(),
            region: std::env::var("VANBAN_S3_REGION").unwrap_or_else(|_| "us-east-1".to_owned()),
            access_key: var("VANBAN_S3_ACCESS_KEY_ID")?,
            secret_key: var("VANBAN_S3_SECRET_ACCESS_KEY")?,
        })
    }
}

/// A bucket client.
#[derive(Debug, Clone)]
pub struct S3Store {
    config: S3Config,
    agent: ureq::Agent,
}

/// One request's time: 60 s (a 64 MiB object over a slow link).
const TIMEOUT: Duration = Duration::from_secs(60);

impl S3Store {
    /// A client of `config`'s bucket.
    pub fn new(config: S3Config) -> S3Store {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            .build()
            .into();
        S3Store { config, agent }
    }

    /// `s3://bucket/key` for messages.
    pub fn describe(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.config.bucket)
    }

    /// Store an object.
    pub fn put(&self, key: &str, bytes: &[u8]) -> Result<(), WorkflowError> {
        let signed = self.sign("PUT", key, bytes, OffsetDateTime::now_utc());
        let mut request = self.agent.put(&signed.url);
        for (name, value) in &signed.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request
            .send(bytes)
            .map_err(|e| self.failure(key, e.to_string()))?;
        match response.status().as_u16() {
            200..=299 => Ok(()),
            status => {
                Err(self.failure(key, format!("PUT trả về {status}: {}", body_text(response))))
            }
        }
    }

    /// Read an object of at most `limit` bytes.
    pub fn get(&self, key: &str, limit: usize) -> Result<Vec<u8>, WorkflowError> {
        let signed = self.sign("GET", key, b"", OffsetDateTime::now_utc());
        let mut request = self.agent.get(&signed.url);
        for (name, value) in &signed.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request
            .call()
            .map_err(|e| self.failure(key, e.to_string()))?;
        let status = response.status().as_u16();
        if !(200..=299).contains(&status) {
            return Err(self.failure(key, format!("GET trả về {status}: {}", body_text(response))));
        }
        let mut bytes = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.failure(key, e.to_string()))?;
        if bytes.len() > limit {
            return Err(self.failure(key, format!("đối tượng lớn hơn {limit} byte")));
        }
        Ok(bytes)
    }

    fn failure(&self, key: &str, reason: String) -> WorkflowError {
        WorkflowError::Files(format!("{}: {reason}", self.describe(key)))
    }

    /// The URL and headers of a SigV4-signed request (AWS Signature Version 4, path style,
    /// payload hashed into `x-amz-content-sha256`).
    fn sign(&self, method: &str, key: &str, payload: &[u8], at: OffsetDateTime) -> Signed {
        let config = &self.config;
        let path = format!("/{}/{}", config.bucket, key);
        let host = config
            .endpoint
            .split("://")
            .nth(1)
            .unwrap_or_default()
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let amz_date = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        );
        let day = &amz_date[..8];
        let payload_hash = hex(digest::digest(&digest::SHA256, payload).as_ref());
        let signed_headers = "host;x-amz-content-sha256;x-amz-date";
        let canonical = format!(
            "{method}\n{}\n\nhost:{host}\nx-amz-content-sha256:{payload_hash}\nx-amz-date:{amz_date}\n\n{signed_headers}\n{payload_hash}",
            uri_encode_path(&path)
        );
        let scope = format!("{day}/{}/s3/aws4_request", config.region);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
        );
        let mut signing_key = format!("AWS4{}", config.secret_key).into_bytes();
        for part in [day, config.region.as_str(), "s3", "aws4_request"] {
            signing_key = hmac_sha256(&signing_key, part.as_bytes());
        }
        let signature = hex(&hmac_sha256(&signing_key, to_sign.as_bytes()));
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            config.access_key
        );
        Signed {
            url: format!("{}{}", config.endpoint, uri_encode_path(&path)),
            headers: vec![
                ("x-amz-date".to_owned(), amz_date.clone()),
                ("x-amz-content-sha256".to_owned(), payload_hash),
                ("authorization".to_owned(), authorization),
            ],
        }
    }
}

struct Signed {
    url: String,
    headers: Vec<(String, String)>,
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message)
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SigV4's URI encoding of a path: unreserved characters and `/` as they are, the rest %XX.
fn uri_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn body_text(response: ureq::http::Response<ureq::Body>) -> String {
    let mut text = String::new();
    let _ = response
        .into_body()
        .into_reader()
        .take(2048)
        .read_to_string(&mut text);
    text.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signing key derivation and signature of AWS's own SigV4 example (the "GET Object"
    /// example of the S3 API reference, "Signature Calculations for the Authorization Header").
    #[test]
    fn signature_matches_the_aws_documentation_example() {
        let store = S3Store::new(S3Config {
            endpoint: "https://examplebucket.s3.amazonaws.com".into(),
            bucket: "examplebucket".into(),
            region: "us-east-1".into(),
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        });
        let mut key = b"AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_vec();
        for part in ["20130524", "us-east-1", "s3", "aws4_request"] {
            key = hmac_sha256(&key, part.as_bytes());
        }
        // The signing key AWS's example derives for that day and region.
        assert_eq!(
            hex(&key),
            "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"
        );
        let at = time::macros::datetime!(2013-05-24 00:00:00 UTC);
        let signed = store.sign("GET", "files/ab/abc", b"", at);
        assert!(
            signed.url.ends_with("/examplebucket/files/ab/abc"),
            "{}",
            signed.url
        );
        let auth = &signed.headers[2].1;
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"), "{auth}");
        assert_eq!(
            signed.headers[1].1,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(uri_encode_path("/b/Số 1"), "/b/S%E1%BB%91%201");
        assert!(
            !format!("{:?}", store.config).contains("EXAMPLEKEY"),
            "the secret is never printed"
        );
    }
}

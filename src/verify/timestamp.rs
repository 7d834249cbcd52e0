//! RFC 3161 timestamp tokens (dấu thời gian): a signature timestamp inside a CMS (PAdES B-T)
//! or a document timestamp (`/SubFilter /ETSI.RFC3161`, PAdES B-LTA).
//!
//! A token is a CMS SignedData whose content is a `TSTInfo`; it is checked like any other CMS
//! (its signed attributes, its signature value, its ESS certificate) plus its
//! `messageImprint`, which must be the digest of what it timestamps: the signature value for a
//! signature timestamp (ETSI EN 319 122-1 §5.3), the signed byte ranges for a document
//! timestamp. Its TSA's chain is validated separately ([`super::chain`], purpose
//! timeStamping).

use der::Decode;
use der::asn1::ObjectIdentifier;
use time::OffsetDateTime;
use x509_tsp::TstInfo;

use crate::oid;
use crate::verify::cms::{self, Digest, SignedDataView};

/// What checking one token found.
#[derive(Debug, Clone)]
pub struct TokenCheck {
    /// genTime.
    pub time: Option<OffsetDateTime>,
    /// The token's CMS verifies and its imprint is the digest of what it timestamps.
    pub intact: bool,
    /// The imprint matches (kept apart from the CMS checks).
    pub imprint_matches: bool,
    /// The CMS checks pass (signature value, content digest, content type).
    pub cms_valid: bool,
    /// What is wrong, if anything.
    pub problems: Vec<String>,
    /// The TSA's certificate (DER), when the token names one it carries.
    pub tsa_certificate: Option<Vec<u8>>,
    /// The parsed token, for its certificates and revocation data.
    pub view: Option<SignedDataView>,
}

impl TokenCheck {
    fn failed(problem: String) -> Self {
        TokenCheck {
            time: None,
            intact: false,
            imprint_matches: false,
            cms_valid: false,
            problems: vec![problem],
            tsa_certificate: None,
            view: None,
        }
    }
}

/// Check a token (DER ContentInfo); `imprint_of` digests what the token should timestamp
/// with the algorithm the token names.
pub fn check_token(token: &[u8], imprint_of: &dyn Fn(Digest) -> Vec<u8>) -> TokenCheck {
    let view = match cms::parse(token) {
        Ok(view) => view,
        Err(error) => return TokenCheck::failed(format!("dấu thời gian không đọc được: {error}")),
    };
    if view.content_type != oid::TST_INFO {
        return TokenCheck::failed("dấu thời gian không chứa TSTInfo".into());
    }
    let Some(content) = view.content.clone() else {
        return TokenCheck::failed("dấu thời gian thiếu nội dung TSTInfo".into());
    };
    let tst = match TstInfo::from_der(&content) {
        Ok(tst) => tst,
        Err(error) => return TokenCheck::failed(format!("TSTInfo không đọc được: {error}")),
    };
    let mut problems = Vec::new();
    let content_digest = view.digest().ok().map(|d| d.digest(&content));
    let facts = cms::check(&view, content_digest.as_deref());
    if let Err(problem) = &facts.signature {
        problems.push(format!("chữ ký của dấu thời gian: {problem}"));
    }
    if !facts.digest_matches {
        problems.push("messageDigest của dấu thời gian không khớp TSTInfo".into());
    }
    if !facts.content_type_ok {
        problems.push("thuộc tính content-type của dấu thời gian sai".into());
    }
    if facts.signing_certificate_matches == Some(false) {
        problems.push("ESS signing-certificate của dấu thời gian chỉ chứng thư khác".into());
    }
    let cms_valid = problems.is_empty();
    let imprint_matches = imprint(&tst.message_imprint.hash_algorithm.oid)
        .map(|digest| imprint_of(digest) == tst.message_imprint.hashed_message.as_bytes())
        .unwrap_or(false);
    if !imprint_matches {
        problems.push("messageImprint của dấu thời gian không khớp nội dung được đóng dấu".into());
    }
    let time = generalized_time(&tst);
    TokenCheck {
        time,
        intact: cms_valid && imprint_matches,
        imprint_matches,
        cms_valid,
        problems,
        tsa_certificate: facts
            .signer_certificate
            .map(|index| view.certificates[index].clone()),
        view: Some(view),
    }
}

fn imprint(oid: &ObjectIdentifier) -> Option<Digest> {
    Digest::from_oid(oid).ok()
}

fn generalized_time(tst: &TstInfo) -> Option<OffsetDateTime> {
    let seconds = tst.gen_time.to_unix_duration().as_secs();
    OffsetDateTime::from_unix_timestamp(i64::try_from(seconds).ok()?).ok()
}

//! The facts about each signature, kept apart, and the verdict derived from them.
//!
//! Nothing here decides anything by itself being absent: a fact that was not established is
//! recorded as such (`Trust::NotEvaluated`, `Coverage::Unclear`, `ModificationLevel::Other`),
//! and [`SignatureStatus::verdict`] treats every such gap as a failure (reject by default,
//! STYLE.md habit 8, after pyHanko's `bottom_line`).

use serde::Serialize;
use time::OffsetDateTime;

/// The verdict vocabulary (issue 7), from worst to best. The file's verdict is its worst
/// signature's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The signature cannot be evaluated (missing, empty or zero-filled /Contents, impossible
    /// /ByteRange, undecodable CMS).
    Malformed,
    /// The signature value does not verify, the CMS is inconsistent, or an algorithm is refused.
    InvalidCrypto,
    /// Signed bytes changed, disallowed changes after signing, or incomplete coverage.
    InvalidModified,
    /// The signer's certificate was revoked before the signing time.
    Revoked,
    /// No path to a trust anchor, a self-signed impostor, or a certificate not usable for signing.
    Untrusted,
    /// The signer's certificate was outside its validity at the proven signing time.
    Expired,
    /// Valid, and later revisions make changes its permissions allow (form filling, annotations).
    ValidWithAllowedChanges,
    /// Intact, sound, trusted, in time, not revoked; later revisions only add signatures,
    /// document timestamps or validation data.
    Valid,
}

impl Verdict {
    /// True for the two passing verdicts.
    pub fn passes(self) -> bool {
        matches!(self, Verdict::Valid | Verdict::ValidWithAllowedChanges)
    }

    /// The one-line verdict for a clerk.
    pub fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Valid, Lang::Vi) => "Chữ ký số hợp lệ",
            (Verdict::Valid, Lang::En) => "The signature is valid",
            (Verdict::ValidWithAllowedChanges, Lang::Vi) => {
                "Chữ ký số hợp lệ; văn bản có thay đổi được phép sau khi ký"
            }
            (Verdict::ValidWithAllowedChanges, Lang::En) => {
                "The signature is valid; the document has allowed changes after signing"
            }
            (Verdict::InvalidModified, Lang::Vi) => "Văn bản đã bị sửa đổi sau khi ký",
            (Verdict::InvalidModified, Lang::En) => "The document was modified after signing",
            (Verdict::InvalidCrypto, Lang::Vi) => "Chữ ký số không đúng (sai mật mã)",
            (Verdict::InvalidCrypto, Lang::En) => "The signature is cryptographically invalid",
            (Verdict::Untrusted, Lang::Vi) => "Chứng thư số không được tin cậy",
            (Verdict::Untrusted, Lang::En) => "The signing certificate is not trusted",
            (Verdict::Expired, Lang::Vi) => "Chứng thư số hết hạn tại thời điểm ký",
            (Verdict::Expired, Lang::En) => "The signing certificate was expired at signing time",
            (Verdict::Revoked, Lang::Vi) => "Chứng thư số đã bị thu hồi trước thời điểm ký",
            (Verdict::Revoked, Lang::En) => "The signing certificate was revoked before signing",
            (Verdict::Malformed, Lang::Vi) => "Chữ ký số không đọc được (cấu trúc hỏng)",
            (Verdict::Malformed, Lang::En) => "The signature cannot be read (malformed)",
        }
    }
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

/// What kind of signature a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum SignatureKind {
    /// An approval signature (chữ ký phê duyệt), possibly locking fields (FieldMDP).
    Approval,
    /// A certification signature (DocMDP) with its permission level P.
    Certification {
        /// 1 no changes, 2 form filling and signing, 3 also annotations.
        permission: u8,
    },
    /// A document timestamp (ETSI.RFC3161), PAdES B-LTA.
    DocumentTimestamp,
}

/// Which bytes a signature covers (pyHanko's SignatureCoverageLevel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// Not established, or the ByteRange is not contiguous from byte 0 around /Contents.
    Unclear,
    /// The whole revision in which it was made; later revisions follow.
    EntireRevision,
    /// The whole file.
    EntireFile,
}

/// The most permissive kind of change made after a signature (pyHanko's ModificationLevel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModificationLevel {
    /// Nothing after it.
    None,
    /// Only signatures, document timestamps and validation data (DSS) were added.
    LtaUpdates,
    /// Form fields were filled (and signatures added).
    FormFilling,
    /// Annotations were added or changed.
    Annotations,
    /// Anything no rule clears: rejected.
    Other,
}

/// A certificate's holder, as read from its subject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// CN: "Nguyễn Văn A" or the organisation's name for a seal certificate.
    pub name: Option<String>,
    /// UID forms Vietnamese CAs use: "CCCD:…", "CMND:…", "MST:…", "MNS:…".
    pub uid: Option<String>,
    /// O.
    pub organization: Option<String>,
    /// The issuing CA's CN (or its whole DN).
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
}

/// Where revocation information came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationSource {
    /// CRL or OCSP response embedded in the CMS or the PDF's DSS.
    Embedded,
    /// A local cache directory.
    Cache,
    /// Fetched over the network (only when allowed).
    Fetched,
    /// None found.
    None,
}

/// The trust facts for a certificate path, evaluated at the proven signing time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Trust {
    /// The path reaches a trust anchor and every certificate was valid and unrevoked.
    Trusted {
        /// The anchor's name.
        anchor: String,
        /// Where the revocation status came from.
        revocation: RevocationSource,
    },
    /// No acceptable path: the reason names why.
    Untrusted {
        /// Why.
        reason: String,
    },
    /// The signer's certificate was outside its validity period at the signing time.
    Expired {
        /// Why (with the dates).
        reason: String,
    },
    /// Revoked before the signing time.
    Revoked {
        /// When and why.
        reason: String,
        /// Where the revocation status came from.
        revocation: RevocationSource,
    },
    /// Not evaluated (the signature failed earlier).
    NotEvaluated,
}

/// The validated timestamp on a signature (B-T) or a document timestamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimestampFacts {
    /// genTime of the token.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// The token's signature verifies and its imprint covers the signature value.
    pub intact: bool,
    /// The TSA's chain reaches a trust anchor.
    pub trust: Trust,
}

/// PAdES baseline level reached (ETSI EN 319 142-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PadesLevel {
    /// Not a PAdES signature (e.g. adbe.pkcs7.detached, or required attributes missing).
    #[serde(rename = "not-pades")]
    NotPades,
    /// B-B.
    #[serde(rename = "B-B")]
    BB,
    /// B-T: with a signature timestamp.
    #[serde(rename = "B-T")]
    BT,
    /// B-LT: with validation data in the DSS.
    #[serde(rename = "B-LT")]
    BLt,
    /// B-LTA: with a document timestamp over the validation data.
    #[serde(rename = "B-LTA")]
    BLta,
}

/// Everything established about one signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureStatus {
    /// The signature field's name.
    pub field: String,
    /// Approval, certification or document timestamp.
    pub kind: SignatureKind,
    /// Why the signature cannot be evaluated; when set, the other facts are not established.
    pub malformed: Option<String>,
    /// The signer.
    pub signer: Option<Identity>,
    /// Digest algorithm name.
    pub digest_algorithm: Option<String>,
    /// Signature algorithm name.
    pub signature_algorithm: Option<String>,
    /// The claimed signing time (/M).
    #[serde(with = "time::serde::rfc3339::option")]
    pub claimed_time: Option<OffsetDateTime>,
    /// The CMS signing-time attribute, when present.
    #[serde(with = "time::serde::rfc3339::option")]
    pub signing_time_attribute: Option<OffsetDateTime>,
    /// The signature timestamp (B-T), validated.
    pub timestamp: Option<TimestampFacts>,
    /// The message digest over the ByteRange equals the signed one.
    pub intact: bool,
    /// The signature value verifies with sound algorithms; else why not.
    pub crypto_problem: Option<String>,
    /// Which bytes it covers.
    pub coverage: Coverage,
    /// The most permissive change after it.
    pub modification: ModificationLevel,
    /// What changed after it, described.
    pub changes: Vec<String>,
    /// The changes respect its DocMDP/FieldMDP permissions (and those of earlier
    /// certification signatures).
    pub permissions_ok: bool,
    /// The certificate path at the proven signing time.
    pub trust: Trust,
    /// PAdES level reached.
    pub pades_level: PadesLevel,
}

/// One reason behind a verdict, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable code.
    pub code: &'static str,
    /// Vietnamese text.
    pub vi: String,
    /// English text.
    pub en: String,
}

impl Reason {
    fn new(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Reason {
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

impl SignatureStatus {
    /// A status for a signature that cannot be evaluated.
    pub fn malformed(field: String, kind: SignatureKind, reason: impl Into<String>) -> Self {
        SignatureStatus {
            field,
            kind,
            malformed: Some(reason.into()),
            signer: None,
            digest_algorithm: None,
            signature_algorithm: None,
            claimed_time: None,
            signing_time_attribute: None,
            timestamp: None,
            intact: false,
            crypto_problem: None,
            coverage: Coverage::Unclear,
            modification: ModificationLevel::Other,
            changes: Vec::new(),
            permissions_ok: false,
            trust: Trust::NotEvaluated,
            pades_level: PadesLevel::NotPades,
        }
    }

    /// The verdict, derived from the facts (worst first).
    pub fn verdict(&self) -> Verdict {
        self.judge().0
    }

    /// The verdict and every reason behind it.
    pub fn judge(&self) -> (Verdict, Vec<Reason>) {
        let mut failures: Vec<(Verdict, Reason)> = Vec::new();
        if let Some(reason) = &self.malformed {
            failures.push((
                Verdict::Malformed,
                Reason::new(
                    "malformed",
                    format!("Cấu trúc chữ ký hỏng: {reason}"),
                    format!("Malformed signature: {reason}"),
                ),
            ));
            return finish(failures, Vec::new());
        }
        if let Some(problem) = &self.crypto_problem {
            failures.push((
                Verdict::InvalidCrypto,
                Reason::new(
                    "crypto",
                    format!("Kiểm tra mật mã thất bại: {problem}"),
                    format!("Cryptographic check failed: {problem}"),
                ),
            ));
        }
        failures.extend(self.integrity_failures());
        failures.extend(self.trust_failure());
        finish(failures, self.allowed_changes())
    }

    fn integrity_failures(&self) -> Vec<(Verdict, Reason)> {
        let mut out = Vec::new();
        if !self.intact {
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "digest-mismatch",
                    "Nội dung đã ký bị thay đổi (giá trị băm không khớp)",
                    "The signed bytes changed (digest mismatch)",
                ),
            ));
        }
        if self.coverage == Coverage::Unclear {
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "coverage",
                    "Chữ ký không bao phủ toàn bộ bản sửa đổi (ByteRange bất thường)",
                    "The signature does not cover its whole revision (abnormal ByteRange)",
                ),
            ));
        }
        if self.modification == ModificationLevel::Other {
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "disallowed-change",
                    format!(
                        "Có thay đổi không được phép sau khi ký: {}",
                        self.changes.join("; ")
                    ),
                    format!(
                        "Changes not allowed after signing: {}",
                        self.changes.join("; ")
                    ),
                ),
            ));
        } else if !self.permissions_ok {
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "permissions",
                    format!(
                        "Thay đổi sau khi ký vượt quá quyền cho phép (DocMDP/FieldMDP): {}",
                        self.changes.join("; ")
                    ),
                    format!(
                        "Changes after signing exceed the permissions (DocMDP/FieldMDP): {}",
                        self.changes.join("; ")
                    ),
                ),
            ));
        }
        out
    }

    fn trust_failure(&self) -> Option<(Verdict, Reason)> {
        Some(match &self.trust {
            Trust::Trusted { .. } => return None,
            Trust::Revoked { reason, .. } => (
                Verdict::Revoked,
                Reason::new(
                    "revoked",
                    format!("Chứng thư số bị thu hồi: {reason}"),
                    format!("Certificate revoked: {reason}"),
                ),
            ),
            Trust::Untrusted { reason } => (
                Verdict::Untrusted,
                Reason::new(
                    "untrusted",
                    format!("Không xây dựng được đường dẫn tin cậy: {reason}"),
                    format!("No trusted path: {reason}"),
                ),
            ),
            Trust::Expired { reason } => (
                Verdict::Expired,
                Reason::new(
                    "expired",
                    format!("Chứng thư số hết hiệu lực khi ký: {reason}"),
                    format!("Certificate not valid at signing time: {reason}"),
                ),
            ),
            Trust::NotEvaluated => (
                Verdict::Untrusted,
                Reason::new(
                    "trust-not-evaluated",
                    "Chưa kiểm tra được chuỗi chứng thư",
                    "The certificate chain was not evaluated",
                ),
            ),
        })
    }

    fn allowed_changes(&self) -> Vec<Reason> {
        match self.modification {
            ModificationLevel::FormFilling | ModificationLevel::Annotations => vec![Reason::new(
                "allowed-changes",
                format!("Thay đổi được phép sau khi ký: {}", self.changes.join("; ")),
                format!("Allowed changes after signing: {}", self.changes.join("; ")),
            )],
            _ => Vec::new(),
        }
    }
}

/// The worst failure wins; with none, allowed changes make `valid-with-allowed-changes`.
fn finish(mut failures: Vec<(Verdict, Reason)>, allowed: Vec<Reason>) -> (Verdict, Vec<Reason>) {
    failures.sort_by_key(|(verdict, _)| *verdict);
    match failures.first() {
        Some((worst, _)) => (
            *worst,
            failures.into_iter().map(|(_, reason)| reason).collect(),
        ),
        None if !allowed.is_empty() => (Verdict::ValidWithAllowedChanges, allowed),
        None => (
            Verdict::Valid,
            vec![Reason::new(
                "valid",
                "Toàn vẹn, đúng mật mã, tin cậy, còn hiệu lực, chưa bị thu hồi",
                "Intact, cryptographically sound, trusted, in validity, not revoked",
            )],
        ),
    }
}

/// The file's verdict: its worst signature's; `None` when it has no signature.
pub fn file_verdict(signatures: &[SignatureStatus]) -> Option<Verdict> {
    signatures.iter().map(SignatureStatus::verdict).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SignatureStatus {
        SignatureStatus {
            field: "chu_ky".into(),
            kind: SignatureKind::Certification { permission: 2 },
            malformed: None,
            signer: Some(Identity::default()),
            digest_algorithm: Some("SHA-256".into()),
            signature_algorithm: Some("RSA".into()),
            claimed_time: None,
            signing_time_attribute: None,
            timestamp: None,
            intact: true,
            crypto_problem: None,
            coverage: Coverage::EntireFile,
            modification: ModificationLevel::None,
            changes: Vec::new(),
            permissions_ok: true,
            trust: Trust::Trusted {
                anchor: "Root".into(),
                revocation: RevocationSource::Embedded,
            },
            pades_level: PadesLevel::BB,
        }
    }

    #[test]
    fn all_facts_good_is_valid() {
        assert_eq!(valid().verdict(), Verdict::Valid);
        let mut later = valid();
        later.coverage = Coverage::EntireRevision;
        later.modification = ModificationLevel::LtaUpdates;
        assert_eq!(later.verdict(), Verdict::Valid);
    }

    #[test]
    fn form_filling_is_allowed_but_reported() {
        let mut status = valid();
        status.coverage = Coverage::EntireRevision;
        status.modification = ModificationLevel::FormFilling;
        status.changes = vec!["điền trường so".into()];
        let (verdict, reasons) = status.judge();
        assert_eq!(verdict, Verdict::ValidWithAllowedChanges);
        assert!(reasons[0].vi.contains("điền trường so"));
    }

    #[test]
    fn every_gap_fails() {
        let mut status = valid();
        status.trust = Trust::NotEvaluated;
        assert_eq!(status.verdict(), Verdict::Untrusted);
        let mut status = valid();
        status.coverage = Coverage::Unclear;
        assert_eq!(status.verdict(), Verdict::InvalidModified);
        let mut status = valid();
        status.modification = ModificationLevel::Other;
        assert_eq!(status.verdict(), Verdict::InvalidModified);
        let mut status = valid();
        status.modification = ModificationLevel::Annotations;
        status.permissions_ok = false;
        assert_eq!(status.verdict(), Verdict::InvalidModified);
    }

    #[test]
    fn the_worst_fact_decides_and_all_are_listed() {
        let mut status = valid();
        status.intact = false;
        status.crypto_problem = Some("signature value does not verify".into());
        status.trust = Trust::Expired {
            reason: "2020".into(),
        };
        let (verdict, reasons) = status.judge();
        assert_eq!(verdict, Verdict::InvalidCrypto);
        assert_eq!(reasons.len(), 3);
        let malformed =
            SignatureStatus::malformed("x".into(), SignatureKind::Approval, "/Contents missing");
        assert_eq!(malformed.verdict(), Verdict::Malformed);
        assert_eq!(
            file_verdict(&[valid(), malformed]),
            Some(Verdict::Malformed)
        );
        assert_eq!(file_verdict(&[]), None);
    }

    #[test]
    fn verdict_order_matches_the_issue() {
        use Verdict::*;
        let order = [
            Malformed,
            InvalidCrypto,
            InvalidModified,
            Revoked,
            Untrusted,
            Expired,
            ValidWithAllowedChanges,
            Valid,
        ];
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(
            serde_json::to_string(&ValidWithAllowedChanges).unwrap(),
            "\"valid-with-allowed-changes\""
        );
    }
}

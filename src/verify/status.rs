//! The facts about each signature, kept apart, and the verdict derived from them.
//!
//! Nothing here decides anything by itself being absent: a fact that was not established is
//! recorded as such (`Trust::NotEvaluated`, `Coverage::Unclear`, `ModificationLevel::Other`),
//! and [`SignatureStatus::verdict`] treats every such gap as a failure (reject by default,
//! STYLE.md habit 8, after pyHanko's `bottom_line`).

use serde::Serialize;
use time::OffsetDateTime;

use crate::pki::path::ChainValidated;
use crate::verify::revision::CoverageChecked;

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
        /// The proof that `pki::path` validated the path: a `Trusted` cannot be made without
        /// one (STYLE.md habit 7).
        #[serde(skip)]
        proof: ChainValidated,
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
    /// `/SubFilter` of the signature dictionary.
    pub sub_filter: Option<String>,
    /// The revision the signature covers (0 is the original document).
    pub signed_revision: Option<usize>,
    /// Why the coverage is unclear, when it is.
    pub coverage_problem: Option<String>,
    /// Every change after the signature, with its level, in both languages.
    pub change_notes: Vec<ChangeNote>,
    /// The changes its permissions (DocMDP level, FieldMDP locks) do not allow.
    pub permission_problems: Vec<ChangeNote>,
    /// Where the signer's revocation status came from, in words ("OCSP (DSS)").
    pub revocation_detail: Option<String>,
    /// The time the chain was validated at: the timestamp's when proven, else the
    /// validation time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub validation_time: Option<OffsetDateTime>,
    /// Other observations that do not change the verdict (data after the CMS in /Contents…).
    pub notes: Vec<String>,
    /// Proofs that the checks ran; without them the facts they back count as failed.
    #[serde(skip)]
    pub proofs: Proofs,
}

/// Proofs that checks ran (STYLE.md habit 7): `intact` counts only with [`DigestMatches`],
/// a coverage other than unclear only with [`CoverageChecked`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proofs {
    /// The message digest over the ByteRange equals the signed one.
    pub digest: Option<DigestMatches>,
    /// The ByteRange was checked against the `/Contents` position and revision ends.
    pub coverage: Option<CoverageChecked>,
}

/// Proof that the digest of the signed bytes was computed and equals the signed digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestMatches(());

impl DigestMatches {
    /// Claimed in `verify::evaluate` after comparing the digests, and nowhere else.
    pub(crate) fn assertion() -> Self {
        DigestMatches(())
    }
}

/// One change after a signature (from `verify::diff`), in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeNote {
    /// The revision that made it.
    pub revision: usize,
    /// The level it is cleared at (`other`: no rule clears it).
    pub level: ModificationLevel,
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
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
            sub_filter: None,
            signed_revision: None,
            coverage_problem: None,
            change_notes: Vec::new(),
            permission_problems: Vec::new(),
            revocation_detail: None,
            validation_time: None,
            notes: Vec::new(),
            proofs: Proofs::default(),
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
        if !self.intact || self.proofs.digest.is_none() {
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "digest-mismatch",
                    "Nội dung đã ký bị thay đổi (giá trị băm không khớp)",
                    "The signed bytes changed (digest mismatch)",
                ),
            ));
        }
        if self.coverage == Coverage::Unclear || self.proofs.coverage.is_none() {
            let detail = self
                .coverage_problem
                .as_deref()
                .map(|p| format!(": {p}"))
                .unwrap_or_default();
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "coverage",
                    format!(
                        "Chữ ký không bao phủ toàn bộ bản sửa đổi (ByteRange bất thường){detail}"
                    ),
                    format!(
                        "The signature does not cover its whole revision (abnormal ByteRange){detail}"
                    ),
                ),
            ));
        }
        if self.modification == ModificationLevel::Other {
            let (vi, en) = self.describe_changes(|note| note.level == ModificationLevel::Other);
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "disallowed-change",
                    format!("Có thay đổi không được phép sau khi ký: {vi}"),
                    format!("Changes not allowed after signing: {en}"),
                ),
            ));
        } else if !self.permissions_ok {
            let (vi, en) = if self.permission_problems.is_empty() {
                (self.changes.join("; "), self.changes.join("; "))
            } else {
                join_notes(&self.permission_problems)
            };
            out.push((
                Verdict::InvalidModified,
                Reason::new(
                    "permissions",
                    format!("Thay đổi sau khi ký vượt quá quyền cho phép (DocMDP/FieldMDP): {vi}"),
                    format!("Changes after signing exceed the permissions (DocMDP/FieldMDP): {en}"),
                ),
            ));
        }
        out
    }

    /// The changes matching `pick`, joined, in both languages (the plain `changes` list when
    /// there are no notes).
    fn describe_changes(&self, pick: impl Fn(&ChangeNote) -> bool) -> (String, String) {
        if self.change_notes.is_empty() {
            return (self.changes.join("; "), self.changes.join("; "));
        }
        let picked: Vec<ChangeNote> = self
            .change_notes
            .iter()
            .filter(|n| pick(n))
            .cloned()
            .collect();
        join_notes(&picked)
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
            ModificationLevel::FormFilling | ModificationLevel::Annotations => {
                let (vi, en) = self.describe_changes(|note| {
                    matches!(
                        note.level,
                        ModificationLevel::FormFilling | ModificationLevel::Annotations
                    )
                });
                vec![Reason::new(
                    "allowed-changes",
                    format!("Thay đổi được phép sau khi ký: {vi}"),
                    format!("Allowed changes after signing: {en}"),
                )]
            }
            _ => Vec::new(),
        }
    }
}

fn join_notes(notes: &[ChangeNote]) -> (String, String) {
    let vi: Vec<String> = notes
        .iter()
        .map(|n| format!("{} (bản sửa đổi {})", n.vi, n.revision + 1))
        .collect();
    let en: Vec<String> = notes
        .iter()
        .map(|n| format!("{} (revision {})", n.en, n.revision + 1))
        .collect();
    (vi.join("; "), en.join("; "))
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

    /// A real proof, from validating the dev PKI's leader chain once.
    pub(crate) fn proof() -> ChainValidated {
        static PROOF: std::sync::OnceLock<ChainValidated> = std::sync::OnceLock::new();
        *PROOF.get_or_init(|| {
            use crate::pki::dev::{DevKeyAlgorithm, DevPkiOptions, generate};
            use crate::pki::path::PathRequest;
            use crate::pki::trust::{AnchorSource, TrustStore};
            let pki = generate(&DevPkiOptions::new(DevKeyAlgorithm::P256)).expect("dev pki");
            let mut anchors = TrustStore::new();
            anchors
                .add_der(pki.root_der(), AnchorSource::Memory("root".into()))
                .expect("anchor");
            let chain = pki.chain("leader");
            PathRequest::new(&chain[0], &anchors, time::OffsetDateTime::now_utc())
                .with_pool(chain[1..].iter().map(Vec::as_slice))
                .validate()
                .expect("leader chain validates")
                .proof()
        })
    }

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
                proof: proof(),
            },
            pades_level: PadesLevel::BB,
            sub_filter: Some("ETSI.CAdES.detached".into()),
            signed_revision: Some(0),
            coverage_problem: None,
            change_notes: Vec::new(),
            permission_problems: Vec::new(),
            revocation_detail: None,
            validation_time: None,
            notes: Vec::new(),
            proofs: Proofs {
                digest: Some(DigestMatches::assertion()),
                coverage: Some(CoverageChecked::for_tests()),
            },
        }
    }

    #[test]
    fn missing_proofs_fail() {
        let mut status = valid();
        status.proofs.digest = None;
        assert_eq!(status.verdict(), Verdict::InvalidModified);
        let mut status = valid();
        status.proofs.coverage = None;
        assert_eq!(status.verdict(), Verdict::InvalidModified);
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

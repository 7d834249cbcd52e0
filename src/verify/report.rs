//! The verification report: a clerk-readable text (Vietnamese by default) and the JSON
//! contract of `vanban verify --json`.

use std::fmt::Write;

use serde::Serialize;
use serde_json::{Value, json};

use super::status::{Lang, SignatureStatus, Verdict, file_verdict};

/// The report on one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The file as named by the user.
    pub file: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Number of revisions (incremental updates + 1).
    pub revisions: usize,
    /// Each signature and document timestamp, in file order.
    pub signatures: Vec<SignatureStatus>,
    /// Why the file itself cannot be evaluated (the strict reader refused it); the file's
    /// verdict is then `malformed`.
    pub malformed: Option<String>,
    /// The validation time (`--at`, default now).
    #[serde(with = "time::serde::rfc3339::option")]
    pub validation_time: Option<time::OffsetDateTime>,
}

impl Report {
    /// The file's verdict; `None` when the file carries no signature.
    pub fn verdict(&self) -> Option<Verdict> {
        if self.malformed.is_some() {
            return Some(Verdict::Malformed);
        }
        file_verdict(&self.signatures)
    }

    /// Exit code of `vanban verify`: 0 only when every signature passes (and there is one).
    pub fn exit_code(&self) -> u8 {
        match self.verdict() {
            Some(verdict) if verdict.passes() => 0,
            _ => 1,
        }
    }

    /// The JSON contract: `{"verdict", "file", "sha256", "revisions", "signatures": [{"verdict",
    /// "field", "signer", "reasons", …facts}]}`; `verdict` is `"unsigned"` with no signature.
    pub fn to_json(&self, lang: Lang) -> Value {
        let signatures: Vec<Value> = self
            .signatures
            .iter()
            .map(|s| signature_json(s, lang))
            .collect();
        let verdict = match self.verdict() {
            Some(verdict) => serde_json::to_value(verdict).unwrap_or(Value::Null),
            None => Value::from("unsigned"),
        };
        let validation_time = self.validation_time.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
        json!({
            "verdict": verdict,
            "file": self.file,
            "sha256": self.sha256,
            "revisions": self.revisions,
            "malformed": self.malformed,
            "validation_time": validation_time,
            "signatures": signatures,
        })
    }

    /// The human report.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let (file_label, no_signature) = match lang {
            Lang::Vi => ("Tệp", "Văn bản không có chữ ký số nào."),
            Lang::En => ("File", "The document carries no digital signature."),
        };
        let _ = writeln!(out, "{file_label}: {} (SHA-256 {})", self.file, self.sha256);
        match (self.verdict(), &self.malformed) {
            (Some(verdict), Some(reason)) => {
                let _ = writeln!(out, "=> {}: {reason}", verdict.describe(lang));
            }
            (None, _) => {
                let _ = writeln!(out, "{no_signature}");
            }
            (Some(verdict), None) => {
                let _ = writeln!(out, "=> {}", verdict.describe(lang));
            }
        }
        for (index, signature) in self.signatures.iter().enumerate() {
            write_signature(&mut out, index + 1, signature, lang);
        }
        out
    }
}

fn signature_json(status: &SignatureStatus, lang: Lang) -> Value {
    let (verdict, reasons) = status.judge();
    let mut value = serde_json::to_value(status).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut value {
        map.insert(
            "verdict".into(),
            serde_json::to_value(verdict).unwrap_or(Value::Null),
        );
        let texts: Vec<Value> = reasons
            .iter()
            .map(|reason| json!({"code": reason.code, "text": reason.text(lang)}))
            .collect();
        map.insert("reasons".into(), Value::Array(texts));
    }
    value
}

fn write_signature(out: &mut String, number: usize, status: &SignatureStatus, lang: Lang) {
    let (verdict, reasons) = status.judge();
    let labels = Labels::for_lang(lang);
    let _ = writeln!(
        out,
        "\n{} {number} ({}): {}",
        labels.signature,
        status.field,
        verdict.describe(lang)
    );
    if let Some(signer) = &status.signer {
        let name = signer.name.as_deref().unwrap_or("?");
        let uid = signer
            .uid
            .as_deref()
            .map(|uid| format!(" [{uid}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}: {name}{uid}", labels.signer);
        if let Some(organization) = &signer.organization {
            let _ = writeln!(out, "  {}: {organization}", labels.organization);
        }
        let _ = writeln!(
            out,
            "  {}: {} (serial {})",
            labels.issuer, signer.issuer, signer.serial
        );
    }
    if let Some(time) = status
        .timestamp
        .as_ref()
        .map(|t| t.time)
        .or(status.claimed_time)
    {
        let _ = writeln!(out, "  {}: {}", labels.time, vietnam_time(time));
    }
    write_facts(out, status, &labels);
    for reason in reasons {
        let _ = writeln!(out, "  - {}", reason.text(lang));
    }
    for note in &status.notes {
        let _ = writeln!(out, "  {}: {note}", labels.note);
    }
}

/// The facts below the signer: algorithms, timestamp, coverage, PAdES level, chain.
fn write_facts(out: &mut String, status: &SignatureStatus, labels: &Labels) {
    let name = |value: serde_json::Value| value.as_str().map(str::to_owned).unwrap_or_default();
    if let (Some(digest), Some(signature)) = (&status.digest_algorithm, &status.signature_algorithm)
    {
        let _ = writeln!(out, "  {}: {digest}, {signature}", labels.algorithms);
    }
    if let Some(claimed) = status.claimed_time {
        let _ = writeln!(out, "  {}: {}", labels.claimed, vietnam_time(claimed));
    }
    if let Some(ts) = &status.timestamp {
        let state = if ts.intact { labels.ok } else { labels.broken };
        let _ = writeln!(
            out,
            "  {}: {} ({state})",
            labels.timestamp,
            vietnam_time(ts.time)
        );
    }
    if status.malformed.is_some() {
        return;
    }
    let _ = writeln!(
        out,
        "  {}: {}; {}: {}",
        labels.coverage,
        name(serde_json::to_value(status.coverage).unwrap_or_default()),
        labels.modification,
        name(serde_json::to_value(status.modification).unwrap_or_default()),
    );
    let _ = writeln!(
        out,
        "  PAdES: {}",
        name(serde_json::to_value(status.pades_level).unwrap_or_default())
    );
    if let super::status::Trust::Trusted { anchor, .. } = &status.trust {
        let revocation = status.revocation_detail.as_deref().unwrap_or(labels.none);
        let _ = writeln!(
            out,
            "  {}: {anchor}; {}: {revocation}",
            labels.anchor, labels.revocation
        );
    }
}

struct Labels {
    signature: &'static str,
    signer: &'static str,
    organization: &'static str,
    issuer: &'static str,
    time: &'static str,
    algorithms: &'static str,
    claimed: &'static str,
    timestamp: &'static str,
    coverage: &'static str,
    modification: &'static str,
    anchor: &'static str,
    revocation: &'static str,
    ok: &'static str,
    broken: &'static str,
    none: &'static str,
    note: &'static str,
}

impl Labels {
    fn for_lang(lang: Lang) -> Labels {
        match lang {
            Lang::Vi => Labels {
                signature: "Chữ ký",
                signer: "Người ký",
                organization: "Cơ quan, tổ chức",
                issuer: "Tổ chức cấp chứng thư",
                time: "Thời điểm ký",
                algorithms: "Thuật toán",
                claimed: "Thời điểm ký khai báo (/M)",
                timestamp: "Dấu thời gian",
                coverage: "Phạm vi ký",
                modification: "Thay đổi sau khi ký",
                anchor: "Chứng thư gốc tin cậy",
                revocation: "Trạng thái thu hồi từ",
                ok: "hợp lệ",
                broken: "không hợp lệ",
                none: "không có",
                note: "Ghi chú",
            },
            Lang::En => Labels {
                signature: "Signature",
                signer: "Signer",
                organization: "Organisation",
                issuer: "Issuing CA",
                time: "Signing time",
                algorithms: "Algorithms",
                claimed: "Claimed signing time (/M)",
                timestamp: "Timestamp",
                coverage: "Coverage",
                modification: "Changes after signing",
                anchor: "Trust anchor",
                revocation: "Revocation status from",
                ok: "valid",
                broken: "invalid",
                none: "none",
                note: "Note",
            },
        }
    }
}

/// A time in Vietnam (UTC+07:00, no daylight saving), `dd/mm/yyyy hh:mm:ss +07:00`.
pub fn vietnam_time(time: time::OffsetDateTime) -> String {
    let local = time.to_offset(time::macros::offset!(+7));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}:{:02} +07:00",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::status::SignatureKind;

    #[test]
    fn unsigned_files_fail_and_say_so() {
        let report = Report {
            file: "a.pdf".into(),
            sha256: "00".into(),
            revisions: 1,
            signatures: Vec::new(),
            malformed: None,
            validation_time: None,
        };
        assert_eq!(report.exit_code(), 1);
        assert_eq!(report.to_json(Lang::Vi)["verdict"], "unsigned");
        assert!(report.to_text(Lang::Vi).contains("không có chữ ký số"));
    }

    #[test]
    fn json_carries_verdict_field_and_reasons() {
        let status =
            SignatureStatus::malformed("chu_ky".into(), SignatureKind::Approval, "/Contents rỗng");
        let report = Report {
            file: "a.pdf".into(),
            sha256: "00".into(),
            revisions: 2,
            signatures: vec![status],
            malformed: None,
            validation_time: None,
        };
        let json = report.to_json(Lang::Vi);
        assert_eq!(json["verdict"], "malformed");
        assert_eq!(json["signatures"][0]["field"], "chu_ky");
        assert_eq!(json["signatures"][0]["verdict"], "malformed");
        assert!(
            json["signatures"][0]["reasons"][0]["text"]
                .as_str()
                .unwrap()
                .contains("/Contents rỗng")
        );
        assert!(report.to_text(Lang::En).contains("malformed"));
        assert_eq!(report.exit_code(), 1);
    }

    #[test]
    fn vietnam_time_is_utc_plus_seven() {
        let time = time::macros::datetime!(2020-03-20 07:30:05 UTC);
        assert_eq!(vietnam_time(time), "20/03/2020 14:30:05 +07:00");
    }
}

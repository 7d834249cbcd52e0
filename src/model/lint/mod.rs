//! Lints: the FORMAT.md rules a document breaks, each at its field path.
//!
//! [`lint`] reports the [`Finding`]s recorded while parsing (non-NFC text, impossible dates,
//! malformed symbols) and then runs the rules below over the model. Messages are Vietnamese,
//! or English with [`Lang::En`]; codes are stable (`numbering-gap`). Errors are what a văn
//! thư would send back; warnings are practice the user may have reasons to break.

use std::str::FromStr;

use crate::diag::{Diagnostic, Diagnostics, FieldPath};
use crate::model::kind::SymbolScheme;
use crate::model::{Document, MOTTO, NATIONAL_NAME, Node, NodeContent, SectionNumber};

mod problem;

pub use problem::Problem;

/// A problem noticed while reading, at its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where.
    pub path: FieldPath,
    /// What.
    pub problem: Problem,
}

/// The language of messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(text: &str) -> Result<Lang, String> {
        match text {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language {other:?} (vi, en)")),
        }
    }
}

/// Every rule the document breaks.
pub fn lint(doc: &Document, lang: Lang) -> Diagnostics {
    let mut found: Vec<Finding> = doc.findings.clone();
    let mut push = |path: FieldPath, problem: Problem| found.push(Finding { path, problem });
    check_numbering(doc, &mut push);
    check_symbol(doc, &mut push);
    check_end_mark(doc, &mut push);
    check_recipients(doc, &mut push);
    check_signature(doc, &mut push);
    check_appendices(doc, &mut push);
    check_header(doc, &mut push);
    let mut out = Diagnostics::default();
    for finding in found {
        out.push(diagnostic(&finding, lang));
    }
    out
}

fn diagnostic(finding: &Finding, lang: Lang) -> Diagnostic {
    let problem = &finding.problem;
    let mut diagnostic =
        Diagnostic::error(problem.code(), finding.path.clone(), problem.message(lang));
    diagnostic.severity = problem.severity();
    diagnostic.hint = problem.hint(lang);
    diagnostic
}

type Push<'a> = dyn FnMut(FieldPath, Problem) + 'a;

fn check_numbering(doc: &Document, push: &mut Push<'_>) {
    for node in doc.nodes() {
        let Some(number) = &node.number else { continue };
        if number.shown == number.expected {
            continue;
        }
        let at = node.path.field("num");
        let shown = number.shown.label();
        let expected = number.expected.label();
        let problem = if number.shown.is_roman() && !number.expected.is_roman() {
            Problem::RomanBelowMuc { shown }
        } else if number.previous.as_ref() == Some(&number.shown) {
            Problem::NumberingRepeat { shown }
        } else if skips_ahead(&number.shown, &number.expected) {
            Problem::NumberingGap { shown, expected }
        } else {
            Problem::NumberingWrong { shown, expected }
        };
        push(at, problem);
    }
}

/// True when `shown` is later in the same sequence than `expected` (II → IV, 2.1 → 2.3).
fn skips_ahead(shown: &SectionNumber, expected: &SectionNumber) -> bool {
    match (shown, expected) {
        (SectionNumber::Roman(a), SectionNumber::Roman(b)) => a > b,
        (SectionNumber::Letter(a), SectionNumber::Letter(b)) => a > b,
        (SectionNumber::Arabic(a), SectionNumber::Arabic(b)) => {
            a.len() == b.len() && a[..a.len() - 1] == b[..b.len() - 1] && a.last() > b.last()
        }
        _ => false,
    }
}

fn check_symbol(doc: &Document, push: &mut Push<'_>) {
    if doc.number.seq.is_some() != doc.date.is_some() {
        push(FieldPath::new("number"), Problem::NumberDateMismatch);
    }
    let at = FieldPath::new("number.symbol");
    let Some(symbol) = &doc.number.symbol else {
        let malformed = doc.findings.iter().any(|f| f.path == at);
        if !malformed {
            push(at, Problem::SymbolMissing);
        }
        return;
    };
    let text = symbol.to_string();
    let groups = symbol.groups();
    let issuer_abbr = doc.issuer.abbr.as_deref();
    match doc.kind.symbol {
        SymbolScheme::TypeIssuer => {
            if let Some(abbr) = &doc.kind.abbr
                && groups[0] != *abbr
            {
                push(
                    at.clone(),
                    Problem::SymbolKind {
                        symbol: text.clone(),
                        expected: abbr.clone(),
                    },
                );
            }
            if let Some(abbr) = issuer_abbr
                && !groups[1..].iter().any(|g| g == abbr)
            {
                push(
                    at,
                    Problem::SymbolIssuer {
                        symbol: text,
                        expected: abbr.to_owned(),
                    },
                );
            }
        }
        SymbolScheme::IssuerUnit => check_cong_van_symbol(doc, groups, &text, push),
    }
}

fn check_cong_van_symbol(doc: &Document, groups: &[String], text: &str, push: &mut Push<'_>) {
    let at = FieldPath::new("number.symbol");
    if doc.kinds.is_type_abbr(&groups[0]) {
        push(
            at.clone(),
            Problem::CongVanTypeAbbr {
                symbol: text.to_owned(),
                abbr: groups[0].clone(),
            },
        );
    } else if let Some(abbr) = doc.issuer.abbr.as_deref()
        && groups[0] != abbr
    {
        push(
            at.clone(),
            Problem::SymbolIssuer {
                symbol: text.to_owned(),
                expected: abbr.to_owned(),
            },
        );
    }
    if let Some(unit) = groups.get(1)
        && !doc.source.units.is_empty()
        && !doc.source.units.contains_key(unit)
    {
        push(at, Problem::UnknownUnit { unit: unit.clone() });
    }
}

/// The paragraphs of the main text in reading order, with their paths.
fn main_texts(doc: &Document) -> Vec<(FieldPath, String)> {
    let mut out = Vec::new();
    if let Some(opening) = &doc.opening {
        out.push((FieldPath::new("opening"), opening.text()));
    }
    let mut walk = |nodes: &[Node]| {
        let mut stack: Vec<&Node> = nodes.iter().rev().collect();
        while let Some(node) = stack.pop() {
            if !matches!(node.content, NodeContent::Table(_)) {
                let field = match node.content {
                    NodeContent::Part { .. }
                    | NodeContent::Chapter { .. }
                    | NodeContent::Division { .. }
                    | NodeContent::Section { .. } => "title",
                    _ => "text",
                };
                out.push((node.path.field(field), node.text()));
            }
            stack.extend(node.children.iter().rev());
        }
    };
    walk(&doc.body);
    walk(&doc.closing);
    out
}

fn check_end_mark(doc: &Document, push: &mut Push<'_>) {
    let texts = main_texts(doc);
    let Some((last_path, last)) = texts.last() else {
        return;
    };
    let count: usize = texts.iter().map(|(_, t)| t.matches("./.").count()).sum();
    if count == 0 {
        push(last_path.clone(), Problem::EndMarkMissing);
    } else if count > 1 || !last.trim_end().ends_with("./.") {
        let at = texts
            .iter()
            .find(|(_, t)| t.contains("./."))
            .map_or(last_path.clone(), |(p, _)| p.clone());
        push(at, Problem::EndMarkMisplaced);
    }
    if doc.bases.style == crate::model::BasesStyle::Inline
        && !doc.bases.items.is_empty()
        && doc.opening.is_none()
    {
        push(FieldPath::new("can_cu"), Problem::BasesHidden);
    }
}

fn check_recipients(doc: &Document, push: &mut Push<'_>) {
    match (&doc.archive, doc.recipients.is_empty()) {
        (None, false) => push(FieldPath::new("recipients"), Problem::ArchiveMissing),
        (None, true) => push(FieldPath::root(), Problem::RecipientsMissing),
        (Some(archive), _) => {
            let first = archive.units.first().cloned().unwrap_or_default();
            if first != "VT" {
                push(
                    FieldPath::new("archive.units").index(0),
                    Problem::ArchiveWithoutVt { first },
                );
            }
        }
    }
    if doc.kinh_gui.is_empty() {
        return;
    }
    if !doc.kind.kinh_gui {
        push(FieldPath::new("kinh_gui"), Problem::KinhGuiUnexpected);
    }
    let starts_nhu_tren = doc
        .recipients
        .first()
        .is_some_and(|r| r.name.to_lowercase().starts_with("như trên"));
    if !doc.recipients.is_empty() && !starts_nhu_tren {
        push(
            FieldPath::new("recipients").index(0),
            Problem::NhuTrenMissing,
        );
    }
}

/// Degrees and honorifics that must not precede a signer's name (FORMAT.md §3.8).
const DEGREES: &[&str] = &[
    "TS", "ThS", "Ths", "PGS", "GS", "BS", "BSCKI", "BSCKII", "KS", "CN", "NCS", "DS", "LS", "KTS",
    "TSKH", "NGND", "NGƯT", "NSND", "NSƯT",
];
const HONORIFICS: &[&str] = &["Ông", "Bà", "Đồng chí", "Đ/c", "đ/c", "Anh", "Chị", "Thầy"];

fn honorific(name: &str) -> Option<String> {
    let first = name.split_whitespace().next()?;
    let pieces: Vec<&str> = first.trim_end_matches('.').split('.').collect();
    let has_dot = first.contains('.');
    if has_dot && pieces.iter().all(|p| DEGREES.contains(p)) {
        return Some(first.to_owned());
    }
    HONORIFICS
        .iter()
        .find(|h| name.starts_with(**h) && name[h.len()..].starts_with([' ', '.', ':']))
        .map(|h| (*h).to_owned())
}

fn check_signature(doc: &Document, push: &mut Push<'_>) {
    let Some(signature) = &doc.signature else {
        push(FieldPath::new("signature"), Problem::SignatureMissing);
        return;
    };
    let at = &signature.origin;
    if let Some(prefix) = honorific(&signature.name) {
        push(at.field("name"), Problem::SignerHonorific { prefix });
    }
    if signature.title.is_none() {
        push(at.field("title"), Problem::SignerTitleMissing);
    }
    for (index, line) in signature.authority.iter().enumerate() {
        let known = ["TM.", "KT.", "Q.", "TL.", "TUQ."]
            .iter()
            .any(|p| line.starts_with(p));
        if !known {
            push(
                at.field("authority").index(index),
                Problem::AuthorityPrefix { line: line.clone() },
            );
        }
    }
    if let Some(mark) = &signature.copy_mark {
        push(
            at.field("copy_mark"),
            Problem::CopyMark { mark: mark.clone() },
        );
    }
}

fn check_appendices(doc: &Document, push: &mut Push<'_>) {
    let corpus: Vec<String> = main_texts(doc)
        .into_iter()
        .map(|(_, t)| t.to_lowercase())
        .chain(doc.bases.items.iter().map(|b| b.text().to_lowercase()))
        .collect();
    for appendix in &doc.appendices {
        let (name, labelled) = match (&appendix.label, &appendix.heading) {
            (Some(label), _) => (label.clone(), true),
            (None, Some(heading)) => (heading.clone(), false),
            (None, None) => continue,
        };
        if !corpus
            .iter()
            .any(|text| mentions(text, &name.to_lowercase()))
        {
            push(
                appendix.path.clone(),
                Problem::AppendixUnmentioned {
                    label: name,
                    labelled,
                },
            );
        }
    }
    let generated = doc.appendices.iter().any(|a| !a.note_written);
    if generated && !doc.issuer.name_in_text_written {
        push(
            doc.issuer.origin.field("name_in_text"),
            Problem::IssuerNameInText,
        );
    }
}

/// `needle` occurs in `text` as a whole word sequence ("phụ lục i" is not in "phụ lục ii").
fn mentions(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let after = text[at + needle.len()..].chars().next();
        !after.is_some_and(char::is_alphanumeric)
    })
}

fn check_header(doc: &Document, push: &mut Push<'_>) {
    if doc.national.name != NATIONAL_NAME {
        let written = doc.national.name.clone();
        let old_accent = written == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM";
        push(
            FieldPath::new("national_name"),
            Problem::NationalName {
                written,
                old_accent,
            },
        );
    }
    if doc.national.motto != MOTTO {
        push(
            FieldPath::new("motto"),
            Problem::Motto {
                written: doc.national.motto.clone(),
            },
        );
    }
    if doc.secrecy.is_some() {
        push(FieldPath::new("secrecy"), Problem::Secret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honorifics_and_degrees_are_found() {
        assert_eq!(honorific("TS. Lê Thị Kim Út").as_deref(), Some("TS."));
        assert_eq!(
            honorific("PGS.TS. Nguyễn Văn A").as_deref(),
            Some("PGS.TS.")
        );
        assert_eq!(honorific("Ông Nguyễn Văn B").as_deref(), Some("Ông"));
        assert_eq!(honorific("Bà Lê Thị Tuyết Trinh").as_deref(), Some("Bà"));
        assert_eq!(honorific("Lê Thị Tuyết Trinh"), None);
        assert_eq!(honorific("Bành Văn C"), None);
    }

    #[test]
    fn mentions_respect_word_ends() {
        assert!(mentions("chi tiết tại phụ lục ii kèm theo", "phụ lục ii"));
        assert!(!mentions("chi tiết tại phụ lục ii kèm theo", "phụ lục i"));
        assert!(mentions("theo phụ lục i.", "phụ lục i"));
    }
}

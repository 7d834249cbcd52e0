//! From the data a drafter gives to the files each step needs: the parsed and composed
//! document, the draft PDF with empty number and date fields, the numbered DOCX, and the facts
//! the register wants (book, symbol, trích yếu, signer, recipients).
//!
//! The demo (`vanban demo`) and the service share these, so a seed issued by either reads the
//! same.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::compose::{self, Block, Composed, Content, Role, SlotKind, Templates};
use crate::diag::{Diagnostic, Diagnostics, FieldPath, Origin};
use crate::model::lint::{self, Lang};
use crate::model::parse::{self, ParseError, ParseOptions};
use crate::model::{Document, NumberingScheme};
use crate::render::docx::{self, DocxOptions};
use crate::render::pdf::{self, PdfOptions};
use crate::sign::fill::Issue;

use super::WorkflowError;

/// Sổ chung: the book of an organisation that numbers all kinds in one sequence.
pub const SINGLE_BOOK: &str = "chung";

/// Sổ mật: the separate series for secret documents (Nghị định 30 Điều 15 khoản 3).
pub const SECRET_BOOK: &str = "mật";

/// A document read from its data, composed, with its lint findings.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The validated model.
    pub document: Document,
    /// The format-neutral blocks.
    pub composed: Composed,
    /// Every format rule broken (errors block submission; warnings do not).
    pub findings: Diagnostics,
}

/// Where a draft's inputs come from.
#[derive(Debug, Clone)]
pub struct DraftSources {
    /// The templates (embedded, or an override directory).
    pub templates: Arc<Templates>,
    /// The organisation profiles file.
    pub profiles: Option<std::path::PathBuf>,
}

impl Draft {
    /// Parse, lint and compose `bytes` (YAML or JSON, by `format`).
    pub fn read(
        bytes: &[u8],
        format: &str,
        sources: &DraftSources,
    ) -> Result<Draft, WorkflowError> {
        let name = match format {
            "json" => "document.json",
            _ => "document.yaml",
        };
        let options = ParseOptions {
            kinds: Some(Arc::clone(sources.templates.kinds())),
            profiles: sources.profiles.clone(),
        };
        let base = sources
            .profiles
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        let document = parse::parse_document_with(bytes, &base.join(name), &options)
            .map_err(|e| WorkflowError::Format(parse_diagnostics(e)))?;
        let findings = lint::lint(&document, Lang::Vi);
        let composed =
            compose::compose(&document, &sources.templates).map_err(WorkflowError::Format)?;
        Ok(Draft {
            document,
            composed,
            findings,
        })
    }

    /// Trích yếu as one line (the register's column 3 adds the type name).
    pub fn title(&self) -> String {
        self.composed.meta.title.clone()
    }

    /// Tên loại và trích yếu: "Kế hoạch về …" (column 3 of the outgoing register).
    pub fn type_and_summary(&self) -> String {
        self.composed.meta.subject.clone()
    }

    /// The book this document is numbered in: the secret series, one per kind, or the single
    /// sequence, as the organisation's profile chooses (FORMAT.md §3.3).
    pub fn book(&self) -> String {
        if self.document.secrecy.is_some() {
            return SECRET_BOOK.to_owned();
        }
        match (self.document.source.numbering, &self.document.kind.abbr) {
            (NumberingScheme::PerType, Some(abbr)) => abbr.clone(),
            (NumberingScheme::PerType, None) => self.document.kind.key.clone(),
            (NumberingScheme::SingleSequence, _) => SINGLE_BOOK.to_owned(),
        }
    }

    /// Ký hiệu ("KH-CĐN"), when it could be formed.
    pub fn symbol(&self) -> Option<String> {
        self.document
            .number
            .symbol
            .as_ref()
            .map(ToString::to_string)
    }

    /// The signer's name printed under the signature (ô 7b).
    pub fn signer_name(&self) -> String {
        block_text(&self.composed, Role::SignName).unwrap_or_default()
    }

    /// Nơi nhận as one line ("Ban Thường vụ LĐLĐ tỉnh (b/c); …").
    pub fn recipients(&self) -> String {
        let names: Vec<String> = self
            .document
            .recipients
            .iter()
            .map(|r| match &r.purpose {
                Some(purpose) => format!("{} ({purpose})", r.name),
                None => r.name.clone(),
            })
            .collect();
        names.join("; ")
    }

    /// Đơn vị, người nhận bản lưu: the Lưu line ("VT, VP").
    pub fn archive_holder(&self) -> String {
        self.document
            .archive
            .as_ref()
            .map(|a| a.units.join(", "))
            .unwrap_or_else(|| "VT".to_owned())
    }

    /// Copies issued: one per recipient plus the archive copies.
    pub fn copies(&self) -> u32 {
        let archive = self
            .document
            .archive
            .as_ref()
            .and_then(|a| a.copies)
            .unwrap_or(1);
        u32::try_from(self.document.recipients.len())
            .unwrap_or(u32::MAX)
            .saturating_add(archive)
    }

    /// The draft PDF: number and date as empty form fields, signature slots empty.
    pub fn draft_pdf(&self) -> Result<Vec<u8>, WorkflowError> {
        let draft = with_slots(&self.composed, None);
        pdf::render(&draft, &PdfOptions::default())
            .map(|output| output.bytes)
            .map_err(|e| WorkflowError::Render(e.to_string()))
    }

    /// The document as DOCX, numbered and dated when `issue` is given (an editable copy; the
    /// signed original is the PDF).
    pub fn docx(&self, issue: Option<&Issue>) -> Result<Vec<u8>, WorkflowError> {
        let numbered = with_slots(&self.composed, issue);
        docx::render(&numbered, &DocxOptions::default())
            .map_err(|e| WorkflowError::Render(e.to_string()))
    }
}

/// The composed document with its number and date slots emptied (`None`: a draft) or filled.
pub fn with_slots(composed: &Composed, issue: Option<&Issue>) -> Composed {
    let values: BTreeMap<SlotKind, String> = match issue {
        None => BTreeMap::new(),
        Some(issue) => issue
            .values()
            .into_iter()
            .filter_map(|(field, value)| {
                let kind = match field.as_str() {
                    "so" => SlotKind::Number,
                    "ngay" => SlotKind::Day,
                    "thang" => SlotKind::Month,
                    "nam" => SlotKind::Year,
                    _ => return None,
                };
                Some((kind, value))
            })
            .collect(),
    };
    let mut out = composed.clone();
    for block in &mut out.blocks {
        if let Content::Text(runs) = &mut block.content {
            for run in runs.iter_mut() {
                if let Some(kind) = run.slot {
                    run.text = values.get(&kind).cloned().unwrap_or_default();
                }
            }
        }
    }
    if issue.is_none() {
        out.meta.date = None;
    }
    out
}

/// The text of the first block with `role`.
pub fn block_text(composed: &Composed, role: Role) -> Option<String> {
    composed
        .blocks
        .iter()
        .find(|b| b.role == role)
        .and_then(text_of)
}

fn text_of(block: &Block) -> Option<String> {
    match &block.content {
        Content::Text(runs) => Some(compose::runs_text(runs)),
        _ => None,
    }
}

/// The issuing organisation's name (ô 2, bold lines).
pub fn organisation(composed: &Composed) -> String {
    let lines: Vec<String> = composed
        .blocks
        .iter()
        .filter(|b| b.role == Role::IssuerName)
        .filter_map(text_of)
        .collect();
    lines.join(" ")
}

/// The seal's ring: the parent body and the organisation, separated by stars.
pub fn seal_ring(composed: &Composed) -> String {
    let parent: Vec<String> = composed
        .blocks
        .iter()
        .filter(|b| b.role == Role::ParentName)
        .filter_map(text_of)
        .collect();
    let name = organisation(composed);
    if parent.is_empty() {
        format!("{name} *")
    } else {
        format!("{} * {name} *", parent.join(" "))
    }
}

/// A parse error as one diagnostic at its path, line or byte offset.
pub fn parse_diagnostics(error: ParseError) -> Diagnostics {
    let origin = match (&error, error.path()) {
        (ParseError::Profiles { file, .. }, Some(path)) => {
            Origin::Field(FieldPath::new(format!("{}:{path}", file.display())))
        }
        (_, Some(path)) => Origin::Field(path.clone()),
        (ParseError::NotUtf8 { offset }, None) => Origin::Offset(*offset as u64),
        _ => Origin::Input,
    };
    Diagnostics(vec![Diagnostic::error(
        "unreadable",
        origin,
        error.detail(),
    )])
}

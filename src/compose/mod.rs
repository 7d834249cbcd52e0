//! Compose: a validated document and a tera template become format-neutral blocks.
//!
//! # The boundary between model, templates and style
//!
//! - **The model decides facts** ([`crate::model`]): section numbers (generated or literal),
//!   the date words, the symbol, the number, list punctuation ("- X;" … "- Lưu: VT, X."),
//!   the "(Kèm theo …)" line. Templates receive them ready to print ([`context`]).
//! - **Templates decide which blocks appear and in what order** (`templates/*.tera`): the
//!   letterhead, where Kính gửi goes for each kind, whether căn cứ are listed, "QUYẾT ĐỊNH:",
//!   how a body node becomes blocks. They emit one block per line in the format of [`lines`]:
//!   `@role origin | text with **bold**`, and never decide looks.
//! - **`layout::style` decides looks** from the block's [`Role`] alone: font size, weight,
//!   alignment, spacing, region. The PDF and DOCX renderers both read it.
//!
//! A new kind of document is one entry in `templates/kinds.yaml` and, when no existing
//! template fits, one template; no Rust changes. An override directory (`--templates DIR`)
//! may replace any template (including `components.tera`, the shared components: letterhead,
//! body nodes, signature row, appendices) and add kinds.
//!
//! # Slots
//! The number line of a draft is `Số: ` + an empty [`SlotKind::Number`] run + `/KH-CĐN`; the
//! place-date line carries [`SlotKind::Day`], [`SlotKind::Month`] and [`SlotKind::Year`] runs,
//! empty on a draft and "20", "3", "2020" once issued. Renderers put a fillable field (PDF) or
//! a blank of fixed width there.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::model::Document;
use crate::model::parse::{self, ParseError};

mod blocks;
pub mod context;
pub mod lines;
mod templates;

pub use blocks::{Block, Composed, Content, Meta, Regions, Role, Run, SlotKind, Table, runs_text};
pub use templates::{TemplateError, Templates};

/// Why [`compose_path`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ComposeError {
    /// The data could not be read.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// The templates failed on this document.
    #[error("{0}")]
    Compose(Diagnostics),
}

/// Compose a document with a template set.
pub fn compose(doc: &Document, templates: &Templates) -> Result<Composed, Diagnostics> {
    let kind = templates.kinds().get(&doc.kind.key).unwrap_or(&doc.kind);
    let name = kind.template_for(doc.union);
    let Some(file) = templates.file_name(name) else {
        let message = format!(
            "không có mẫu “{name}” cho loại “{}” (template not found)",
            kind.key
        );
        let origin = crate::diag::FieldPath::new("kind");
        return Err(Diagnostics(vec![crate::diag::Diagnostic::error(
            "template-missing",
            origin,
            message,
        )]));
    };
    let output = templates.render(file, &context::build(doc))?;
    let blocks = lines::read(&output, file, doc)?;
    Ok(Composed {
        meta: meta(doc),
        blocks,
    })
}

/// Read, parse and compose the data file at `path` with the embedded templates.
pub fn compose_path(path: &Path) -> Result<Composed, ComposeError> {
    let bytes = parse::read_file(path)?;
    let doc = parse::parse_document(&bytes, path)?;
    compose(&doc, &Templates::embedded()).map_err(ComposeError::Compose)
}

fn meta(doc: &Document) -> Meta {
    let title = doc.title.text();
    let subject = if doc.kind.name.is_empty() {
        format!("Công văn V/v {title}")
    } else {
        format!("{} {title}", doc.kind.sentence_name())
    };
    Meta {
        title,
        author: doc.issuer.name.join(" "),
        subject,
        date: doc.date.map(|d| d.to_string()),
        number: doc.number.full(),
        kind: doc.kind.key.clone(),
    }
}

//! Reading a document the way every command does: templates (embedded or an override
//! directory), the profiles file, then the data file; failures become diagnostics that name the
//! field path, line or byte offset.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::compose::{self, Composed, Templates};
use crate::diag::{Diagnostic, Diagnostics, Origin};
use crate::model::Document;
use crate::model::parse::{self, ParseOptions};

/// Where the inputs of one document come from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The profiles file (default: profiles.yaml next to the data file).
    pub profiles: Option<PathBuf>,
    /// A directory of templates (and kinds.yaml) overriding the embedded ones.
    pub templates: Option<PathBuf>,
}

/// The templates to use.
pub fn templates(sources: &Sources) -> Result<Templates, Diagnostics> {
    match &sources.templates {
        Some(dir) => Templates::with_overrides(dir).map_err(|error| {
            Diagnostics(vec![Diagnostic::error(
                "templates",
                Origin::Input,
                error.to_string(),
            )])
        }),
        None => Ok(Templates::embedded()),
    }
}

/// Read and validate the document in `file`.
pub fn document(
    file: &Path,
    sources: &Sources,
    templates: &Templates,
) -> Result<Document, Diagnostics> {
    let options = ParseOptions {
        kinds: Some(Arc::clone(templates.kinds())),
        profiles: sources.profiles.clone(),
    };
    let bytes = parse::read_file(file).map_err(parse_diagnostics)?;
    parse::parse_document_with(&bytes, file, &options).map_err(parse_diagnostics)
}

/// Read, validate and compose the document in `file`.
pub fn composed(file: &Path, sources: &Sources) -> Result<Composed, Diagnostics> {
    let templates = templates(sources)?;
    let doc = document(file, sources, &templates)?;
    compose::compose(&doc, &templates)
}

/// A parse error as one diagnostic at its path, line or byte offset.
pub use crate::workflow::draft::parse_diagnostics;

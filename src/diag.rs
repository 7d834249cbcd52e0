//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage (lint, compose, layout, font coverage, PDF reading) reports problems as
//! [`Diagnostic`]s and collects them rather than stopping at the first one (krilla's
//! `register_validation_error`, typst's `SourceResult`). Each diagnostic carries an
//! [`Origin`]: a [`FieldPath`] into the input data, or a byte offset into a file.

use std::fmt;

use serde::Serialize;

/// How bad a diagnostic is. Errors make `vanban check` exit 1; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A format rule is broken: a văn thư would send the document back.
    Error,
    /// Probably wrong, or against practice; the user decides.
    Warning,
}

/// A path into the input data, written as the user would find it in the YAML:
/// `body[2].children[0].num`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    /// The document root.
    pub fn root() -> Self {
        FieldPath(String::new())
    }

    /// A path from its textual form (`body[2].title`).
    pub fn new(path: impl Into<String>) -> Self {
        FieldPath(path.into())
    }

    /// This path extended by a field name.
    pub fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_owned())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        FieldPath(format!("{}[{index}]", self.0))
    }

    /// The path as text; empty for the root.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(gốc)")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A field of the input document.
    Field(FieldPath),
    /// A byte offset into an input file (PDF, DOCX, certificate).
    Offset(u64),
    /// A line (1-based) of a text input such as a template.
    Line {
        /// The file or template name.
        source: String,
        /// 1-based line number.
        line: usize,
    },
    /// Nothing more precise than the whole input.
    Input,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Field(path) => write!(f, "{path}"),
            Origin::Offset(offset) => write!(f, "byte {offset}"),
            Origin::Line { source, line } => write!(f, "{source}:{line}"),
            Origin::Input => f.write_str("(input)"),
        }
    }
}

impl From<FieldPath> for Origin {
    fn from(path: FieldPath) -> Self {
        Origin::Field(path)
    }
}

/// One problem found, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `numbering-gap`.
    pub code: &'static str,
    /// Where the problem is.
    pub origin: Origin,
    /// The message, in the language chosen by the caller.
    pub message: String,
    /// How to fix it, when there is a useful hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `origin`.
    pub fn error(
        code: &'static str,
        origin: impl Into<Origin>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            origin: origin.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `origin`.
    pub fn warning(
        code: &'static str,
        origin: impl Into<Origin>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, origin, message)
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        write!(
            f,
            "{level}[{}]: {}: {}",
            self.code, self.origin, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  gợi ý: {hint}")?;
        }
        Ok(())
    }
}

/// Diagnostics collected by a stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Add one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterate over them.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_yaml() {
        let path = FieldPath::root()
            .field("body")
            .index(2)
            .field("children")
            .index(0)
            .field("num");
        assert_eq!(path.as_str(), "body[2].children[0].num");
        assert_eq!(FieldPath::root().to_string(), "(gốc)");
    }

    #[test]
    fn errors_are_counted() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::warning("w", FieldPath::new("a"), "x"));
        assert!(!all.has_errors());
        all.push(Diagnostic::error("e", FieldPath::new("b"), "y").with_hint("z"));
        assert!(all.has_errors());
        assert!(all.to_string().contains("gợi ý: z"));
    }
}

//! The template set: embedded in the binary, overridable from a directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Origin};
use crate::limits::MAX_TEMPLATE_BYTES;
use crate::model::kind::{KindTable, KindsError};

/// The templates shipped with vanban (name, source).
const EMBEDDED: &[(&str, &str)] = &[
    (
        "components.tera",
        include_str!("../../templates/components.tera"),
    ),
    ("base.tera", include_str!("../../templates/base.tera")),
    (
        "ke_hoach.tera",
        include_str!("../../templates/ke_hoach.tera"),
    ),
    (
        "quyet_dinh.tera",
        include_str!("../../templates/quyet_dinh.tera"),
    ),
    (
        "quyet_dinh_cong_doan.tera",
        include_str!("../../templates/quyet_dinh_cong_doan.tera"),
    ),
    ("bao_cao.tera", include_str!("../../templates/bao_cao.tera")),
    (
        "to_trinh.tera",
        include_str!("../../templates/to_trinh.tera"),
    ),
    (
        "cong_van.tera",
        include_str!("../../templates/cong_van.tera"),
    ),
    (
        "thong_bao.tera",
        include_str!("../../templates/thong_bao.tera"),
    ),
    (
        "huong_dan.tera",
        include_str!("../../templates/huong_dan.tera"),
    ),
    (
        "chuong_trinh.tera",
        include_str!("../../templates/chuong_trinh.tera"),
    ),
    (
        "giay_moi.tera",
        include_str!("../../templates/giay_moi.tera"),
    ),
    ("van_ban.tera", include_str!("../../templates/van_ban.tera")),
];

/// Template file suffixes: plain text, so tera never HTML-escapes them.
const SUFFIXES: &[&str] = &["tera", "txt"];

/// A loaded template set with its kinds table.
pub struct Templates {
    tera: tera::Tera,
    kinds: Arc<KindTable>,
    names: Vec<String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

/// A template set that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The override directory or a file in it could not be read.
    #[error("{}: không đọc được: {message}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// A template file is larger than [`MAX_TEMPLATE_BYTES`].
    #[error("{}: mẫu quá lớn ({size} byte, giới hạn {limit})", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// The override kinds.yaml is malformed.
    #[error("{0}")]
    Kinds(#[from] KindsError),
    /// A template does not compile (syntax, unknown component or filter).
    #[error("{0}")]
    Syntax(Diagnostics),
}

impl Templates {
    /// The embedded templates and kinds table.
    pub fn embedded() -> Templates {
        // Embedded templates are compiled by the tests (`embedded_templates_compile`).
        Templates::build(&BTreeMap::new(), KindTable::embedded())
            .expect("embedded templates compile (tested)")
    }

    /// The embedded set with the templates and kinds.yaml of `dir` added or replacing.
    pub fn with_overrides(dir: &Path) -> Result<Templates, TemplateError> {
        let mut overrides = BTreeMap::new();
        let mut kinds = KindTable::embedded();
        let io = |path: &Path, e: std::io::Error| TemplateError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| io(dir, e))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let suffix = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if name == "kinds.yaml" {
                let text = read_limited(&path)?;
                kinds = kinds.merged(KindTable::parse(&text, &path.display().to_string())?);
            } else if SUFFIXES.contains(&suffix) {
                overrides.insert(name, read_limited(&path)?);
            }
        }
        Templates::build(&overrides, kinds)
    }

    fn build(
        overrides: &BTreeMap<String, String>,
        kinds: KindTable,
    ) -> Result<Templates, TemplateError> {
        let mut sources: BTreeMap<String, String> = EMBEDDED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect();
        sources.extend(overrides.iter().map(|(n, t)| (n.clone(), t.clone())));
        let mut tera = tera::Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                TemplateError::Syntax(Diagnostics(vec![tera_diagnostic(&e, "templates")]))
            })?;
        Ok(Templates {
            tera,
            kinds: Arc::new(kinds),
            names: sources.into_keys().collect(),
        })
    }

    /// The kinds table of this set (embedded, plus the override directory's kinds.yaml).
    pub fn kinds(&self) -> &Arc<KindTable> {
        &self.kinds
    }

    /// The file name of the template called `name` (`ke_hoach` → `ke_hoach.tera`).
    pub fn file_name(&self, name: &str) -> Option<&str> {
        SUFFIXES.iter().find_map(|suffix| {
            let file = format!("{name}.{suffix}");
            self.names.iter().find(|n| **n == file).map(String::as_str)
        })
    }

    /// Render template `file` with `context`.
    pub fn render(&self, file: &str, context: &serde_json::Value) -> Result<String, Diagnostics> {
        let context = tera::Context::from_serialize(context)
            .map_err(|e| Diagnostics(vec![tera_diagnostic(&e, file)]))?;
        self.tera
            .render(file, &context)
            .map_err(|e| Diagnostics(vec![tera_diagnostic(&e, file)]))
    }
}

fn read_limited(path: &Path) -> Result<String, TemplateError> {
    let io = |e: std::io::Error| TemplateError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_TEMPLATE_BYTES as u64 {
        return Err(TemplateError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_TEMPLATE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| TemplateError::Io {
        path: path.to_owned(),
        message: format!("không phải UTF-8 tại byte {}", e.utf8_error().valid_up_to()),
    })
}

/// A tera error as a diagnostic at its template and line.
pub fn tera_diagnostic(error: &tera::Error, template: &str) -> Diagnostic {
    let (origin, message) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let source = if report.filename().is_empty() {
                template
            } else {
                report.filename()
            };
            let origin = Origin::Line {
                source: source.to_owned(),
                line: report.span().start_line,
            };
            (origin, report.message().to_owned())
        }
        other => (
            Origin::Line {
                source: template.to_owned(),
                line: 0,
            },
            other.to_string(),
        ),
    };
    let mut message = message;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Diagnostic::error("template", origin, message)
}

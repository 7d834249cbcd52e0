//! `vanban check FILE`: read a document, report every broken format rule.
//!
//! Exit 0 when clean or warnings only, 1 when a rule is broken, 2 when the input (or a
//! template override) cannot be read. `--json` prints
//! `{"file", "errors", "warnings", "diagnostics": [{severity, code, path, message, hint}]}`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use serde::Serialize;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::compose::{self, Templates};
use crate::diag::{Diagnostic, Diagnostics, FieldPath, Origin, Severity};
use crate::model::lint::{self, Lang};
use crate::model::parse::{self, ParseError, ParseOptions};

/// Arguments of `vanban check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The document data file (YAML or JSON).
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Language of the messages: vi or en.
    #[arg(long, default_value = "vi", value_parser = ["vi", "en"])]
    pub lang: String,
    /// The profiles file (default: profiles.yaml next to FILE).
    #[arg(long)]
    pub profiles: Option<PathBuf>,
    /// A directory of templates (and kinds.yaml) overriding the embedded ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// Run `vanban check`.
pub fn run(args: &CheckArgs) -> u8 {
    let lang: Lang = args.lang.parse().unwrap_or_default();
    let report = match check(args, lang) {
        Ok(diagnostics) => Report::new(&args.file, diagnostics, false),
        Err(diagnostics) => Report::new(&args.file, diagnostics, true),
    };
    report.print(args.json, lang);
    report.exit_code()
}

/// Parse, lint and compose; `Err` holds the reasons the input could not be read at all.
fn check(args: &CheckArgs, lang: Lang) -> Result<Diagnostics, Diagnostics> {
    let templates = match &args.templates {
        Some(dir) => {
            Templates::with_overrides(dir).map_err(|e| unreadable("templates", e.to_string()))?
        }
        None => Templates::embedded(),
    };
    let options = ParseOptions {
        kinds: Some(Arc::clone(templates.kinds())),
        profiles: args.profiles.clone(),
    };
    let bytes = parse::read_file(&args.file).map_err(parse_diagnostics)?;
    let doc =
        parse::parse_document_with(&bytes, &args.file, &options).map_err(parse_diagnostics)?;
    let diagnostics = lint::lint(&doc, lang);
    compose::compose(&doc, &templates)?;
    Ok(diagnostics)
}

fn unreadable(code: &'static str, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(code, Origin::Input, message)])
}

fn parse_diagnostics(error: ParseError) -> Diagnostics {
    let origin = match (&error, error.path()) {
        (ParseError::Profiles { file, .. }, Some(path)) => {
            Origin::Field(FieldPath::new(format!("{}:{path}", file.display())))
        }
        (_, Some(path)) => Origin::Field(path.clone()),
        (ParseError::NotUtf8 { offset }, None) => Origin::Offset(*offset as u64),
        _ => Origin::Input,
    };
    let message = match (&error, error.path()) {
        (ParseError::Profiles { error, .. }, Some(_)) => error.detail(),
        _ => error.detail(),
    };
    Diagnostics(vec![Diagnostic::error("unreadable", origin, message)])
}

/// The outcome of one check.
struct Report {
    file: String,
    diagnostics: Diagnostics,
    unreadable: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    path: String,
    message: &'a str,
    hint: Option<&'a str>,
}

impl Report {
    fn new(file: &Path, diagnostics: Diagnostics, unreadable: bool) -> Report {
        Report {
            file: file.display().to_string(),
            diagnostics,
            unreadable,
        }
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    fn exit_code(&self) -> u8 {
        if self.unreadable {
            EXIT_UNREADABLE
        } else if self.diagnostics.has_errors() {
            EXIT_INVALID
        } else {
            EXIT_OK
        }
    }

    fn print(&self, json: bool, lang: Lang) {
        if json {
            self.print_json();
        } else {
            self.print_text(lang);
        }
    }

    fn print_json(&self) {
        let report = JsonReport {
            file: &self.file,
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            diagnostics: self.diagnostics.iter().map(json_diagnostic).collect(),
        };
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(error) => eprintln!("{error}"),
        }
    }

    fn print_text(&self, lang: Lang) {
        for diagnostic in self.diagnostics.iter() {
            let text = format_diagnostic(diagnostic, lang);
            if self.unreadable {
                eprintln!("{text}")
            } else {
                println!("{text}")
            }
        }
        if self.unreadable {
            return;
        }
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        match lang {
            Lang::Vi => println!("{}: {errors} lỗi, {warnings} cảnh báo", self.file),
            Lang::En => println!("{}: {errors} errors, {warnings} warnings", self.file),
        }
    }
}

fn json_diagnostic(diagnostic: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        severity: diagnostic.severity,
        code: diagnostic.code,
        path: origin_text(&diagnostic.origin),
        message: &diagnostic.message,
        hint: diagnostic.hint.as_deref(),
    }
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Field(path) => path.as_str().to_owned(),
        Origin::Input => String::new(),
        other => other.to_string(),
    }
}

fn format_diagnostic(diagnostic: &Diagnostic, lang: Lang) -> String {
    let (level, hint) = match (diagnostic.severity, lang) {
        (Severity::Error, Lang::Vi) => ("lỗi", "gợi ý"),
        (Severity::Warning, Lang::Vi) => ("cảnh báo", "gợi ý"),
        (Severity::Error, Lang::En) => ("error", "hint"),
        (Severity::Warning, Lang::En) => ("warning", "hint"),
    };
    let origin = origin_text(&diagnostic.origin);
    let place = if origin.is_empty() {
        String::new()
    } else {
        format!("{origin}: ")
    };
    let mut text = format!(
        "{level}[{}]: {place}{}",
        diagnostic.code, diagnostic.message
    );
    if let Some(h) = &diagnostic.hint {
        text.push_str(&format!("\n  {hint}: {h}"));
    }
    text
}

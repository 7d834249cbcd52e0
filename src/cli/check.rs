//! `vanban check FILE`: read a document, report every broken format rule.
//!
//! Exit 0 when clean or warnings only, 1 when a rule is broken, 2 when the input (or a
//! template override) cannot be read. `--json` prints
//! `{"file", "errors", "warnings", "diagnostics": [{severity, code, path, message, hint}]}`.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::cli::load::{self, Sources};
use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::compose;
use crate::diag::{Diagnostic, Diagnostics, Origin, Severity};
use crate::model::lint::{self, Lang};

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
    let sources = Sources {
        profiles: args.profiles.clone(),
        templates: args.templates.clone(),
    };
    let templates = load::templates(&sources)?;
    let doc = load::document(&args.file, &sources, &templates)?;
    let diagnostics = lint::lint(&doc, lang);
    compose::compose(&doc, &templates)?;
    Ok(diagnostics)
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

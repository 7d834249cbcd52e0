//! `vanban render FILE -o OUT.pdf|OUT.docx`: compose a document and write it.
//!
//! The format comes from the output's extension, or `--format`. Exit 0 on success, 1 when the
//! document cannot be typeset as the decree requires (a character with no glyph, a word wider
//! than its column), 2 when the input cannot be read or the output written.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::load::{self, Sources};
use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::compose::Composed;
use crate::diag::Diagnostics;
use crate::render::docx::{self, DocxOptions};
use crate::render::pdf::{self, FontFiles, FontSource, PdfError, PdfOptions};

/// Arguments of `vanban render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The document data file (YAML or JSON).
    pub file: PathBuf,
    /// Where to write: `.pdf` or `.docx`.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The format, when the output's extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The profiles file (default: profiles.yaml next to FILE).
    #[arg(long)]
    pub profiles: Option<PathBuf>,
    /// A directory of templates (and kinds.yaml) overriding the embedded ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// A directory holding your own Times New Roman files (times.ttf, timesbd.ttf, timesi.ttf,
    /// timesbi.ttf) to embed instead of the shipped Liberation Serif.
    #[arg(long)]
    pub fonts: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// PDF/A-2b with form fields for the number, the date and the signatures.
    Pdf,
    /// Word (OOXML).
    Docx,
}

/// Run `vanban render`.
pub fn run(args: &RenderArgs) -> u8 {
    let Some(format) = args.format.or_else(|| format_of(&args.output)) else {
        eprintln!(
            "lỗi: không biết định dạng của {} (dùng .pdf, .docx hoặc --format)",
            args.output.display()
        );
        return EXIT_UNREADABLE;
    };
    let sources = Sources {
        profiles: args.profiles.clone(),
        templates: args.templates.clone(),
    };
    let loaded = load::templates(&sources).and_then(|templates| {
        let doc = load::document(&args.file, &sources, &templates)?;
        let composed = crate::compose::compose(&doc, &templates)?;
        Ok((doc, composed))
    });
    let (doc, composed) = match loaded {
        Ok(loaded) => loaded,
        Err(diagnostics) => return report(&diagnostics, EXIT_UNREADABLE),
    };
    let bytes = match format {
        Format::Pdf => render_pdf(&composed, args),
        Format::Docx => render_docx(&doc, &composed),
    };
    match bytes {
        Ok(bytes) => write(&args.output, &bytes),
        Err(code) => code,
    }
}

fn format_of(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "pdf" => Some(Format::Pdf),
        "docx" => Some(Format::Docx),
        _ => None,
    }
}

fn render_pdf(composed: &Composed, args: &RenderArgs) -> Result<Vec<u8>, u8> {
    let fonts = match &args.fonts {
        Some(dir) => FontSource::Files(FontFiles {
            regular: dir.join("times.ttf"),
            bold: dir.join("timesbd.ttf"),
            italic: dir.join("timesi.ttf"),
            bold_italic: dir.join("timesbi.ttf"),
        }),
        None => FontSource::Embedded,
    };
    let options = PdfOptions {
        fonts,
        ..PdfOptions::default()
    };
    match pdf::render(composed, &options) {
        Ok(output) => {
            if !output.diagnostics.is_empty() {
                eprint!("{}", output.diagnostics);
            }
            Ok(output.bytes)
        }
        Err(PdfError::Layout(diagnostics)) => Err(report(&diagnostics, EXIT_INVALID)),
        Err(error) => {
            eprintln!("lỗi: {error}");
            Err(EXIT_UNREADABLE)
        }
    }
}

fn render_docx(doc: &crate::model::Document, composed: &Composed) -> Result<Vec<u8>, u8> {
    let options = DocxOptions::from_document(doc).map_err(|error| {
        eprintln!("lỗi: {error}");
        EXIT_UNREADABLE
    })?;
    docx::render(composed, &options).map_err(|error| {
        eprintln!("lỗi: {error}");
        EXIT_UNREADABLE
    })
}

fn write(path: &Path, bytes: &[u8]) -> u8 {
    match std::fs::write(path, bytes) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("lỗi: không ghi được {}: {error}", path.display());
            EXIT_UNREADABLE
        }
    }
}

fn report(diagnostics: &Diagnostics, code: u8) -> u8 {
    eprint!("{diagnostics}");
    code
}

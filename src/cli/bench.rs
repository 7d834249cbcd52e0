//! `vanban bench [--iterations N] FILES…`: median time of each pipeline stage per file.
//!
//! The pipeline is a list of named [`Stage`]s sharing one [`Work`] per file; a renderer adds
//! its stage ("pdf", "docx") to [`stages`] and a field to [`Work`] for its output. Timing uses
//! `std::time::Instant`; the figures are medians over the iterations, so one slow run (a page
//! fault, another process) does not move them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::{EXIT_OK, EXIT_UNREADABLE};
use crate::compose::{self, Composed, Templates};
use crate::model::Document;
use crate::model::lint::{self, Lang};
use crate::model::parse;

/// Arguments of `vanban bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Runs per file; the median is reported.
    #[arg(long, default_value_t = 50)]
    pub iterations: u32,
    /// Document data files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// What the stages of one file share.
pub struct Work<'a> {
    /// The data file.
    pub path: &'a Path,
    /// Its bytes (read once, outside the timing).
    pub bytes: &'a [u8],
    /// The template set (loaded once).
    pub templates: &'a Templates,
    /// After "parse".
    pub doc: Option<Document>,
    /// After "compose".
    pub composed: Option<Composed>,
    /// After "docx": the package bytes.
    pub docx: Option<Vec<u8>>,
}

/// One measured step of the pipeline.
pub struct Stage {
    /// Column name.
    pub name: &'static str,
    /// The step; an error stops the file's benchmark.
    pub run: fn(&mut Work<'_>) -> Result<(), String>,
}

/// The stages, in pipeline order.
pub fn stages() -> Vec<Stage> {
    vec![
        Stage {
            name: "parse",
            run: stage_parse,
        },
        Stage {
            name: "lint",
            run: stage_lint,
        },
        Stage {
            name: "compose",
            run: stage_compose,
        },
        Stage {
            name: "pdf",
            run: stage_pdf,
        },
        Stage {
            name: "docx",
            run: stage_docx,
        },
    ]
}

fn stage_parse(work: &mut Work<'_>) -> Result<(), String> {
    let doc = parse::parse_document(work.bytes, work.path).map_err(|e| e.to_string())?;
    work.doc = Some(doc);
    Ok(())
}

fn stage_lint(work: &mut Work<'_>) -> Result<(), String> {
    let doc = work.doc.as_ref().ok_or("no document")?;
    std::hint::black_box(lint::lint(doc, Lang::Vi));
    Ok(())
}

fn stage_compose(work: &mut Work<'_>) -> Result<(), String> {
    let doc = work.doc.as_ref().ok_or("no document")?;
    let composed = compose::compose(doc, work.templates).map_err(|d| d.to_string())?;
    work.composed = Some(composed);
    Ok(())
}

fn stage_pdf(work: &mut Work<'_>) -> Result<(), String> {
    let composed = work.composed.as_ref().ok_or("no composed document")?;
    let options = crate::render::pdf::PdfOptions::default();
    let output = crate::render::pdf::render(composed, &options).map_err(|e| e.to_string())?;
    std::hint::black_box(output.bytes);
    Ok(())
}

fn stage_docx(work: &mut Work<'_>) -> Result<(), String> {
    let composed = work.composed.as_ref().ok_or("no composed document")?;
    let options = crate::render::docx::DocxOptions::default();
    let bytes = crate::render::docx::render(composed, &options).map_err(|e| e.to_string())?;
    work.docx = Some(bytes);
    Ok(())
}

/// Run `vanban bench`.
pub fn run(args: &BenchArgs) -> u8 {
    let templates = Templates::embedded();
    let stages = stages();
    let iterations = args.iterations.max(1);
    print_header(&stages, iterations);
    let mut code = EXIT_OK;
    for path in &args.files {
        match bench_file(path, &templates, &stages, iterations) {
            Ok(medians) => print_row(path, &medians),
            Err(message) => {
                eprintln!("{}: {message}", path.display());
                code = EXIT_UNREADABLE;
            }
        }
    }
    code
}

/// Median per stage, then the median of the per-run totals.
fn bench_file(
    path: &Path,
    templates: &Templates,
    stages: &[Stage],
    iterations: u32,
) -> Result<Vec<Duration>, String> {
    let bytes = parse::read_file(path).map_err(|e| e.to_string())?;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); stages.len() + 1];
    for _ in 0..iterations {
        let mut work = Work {
            path,
            bytes: &bytes,
            templates,
            doc: None,
            composed: None,
            docx: None,
        };
        let mut total = Duration::ZERO;
        for (index, stage) in stages.iter().enumerate() {
            let start = Instant::now();
            (stage.run)(&mut work)?;
            let took = start.elapsed();
            samples[index].push(took);
            total += took;
        }
        samples[stages.len()].push(total);
    }
    Ok(samples.into_iter().map(median).collect())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn print_header(stages: &[Stage], iterations: u32) {
    let mut line = format!("{:<40}", format!("file (median of {iterations}, ms)"));
    for stage in stages {
        line.push_str(&format!(" {:>9}", stage.name));
    }
    line.push_str(&format!(" {:>9}", "total"));
    println!("{line}");
}

fn print_row(path: &Path, medians: &[Duration]) {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut line = format!("{name:<40}");
    for value in medians {
        line.push_str(&format!(" {:>9.3}", value.as_secs_f64() * 1000.0));
    }
    println!("{line}");
}

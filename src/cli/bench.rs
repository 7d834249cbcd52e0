//! `vanban bench [--iterations N] [--libreoffice N] FILES…`: median time of each pipeline stage
//! per file, the PDF's size and page count, and at the end the process's peak resident memory.
//!
//! With `--libreoffice N`, the same run also converts each file's DOCX to PDF with LibreOffice
//! headless (`soffice --convert-to pdf`, a cold process each time, as a server would call it)
//! N times and reports its median time and peak memory beside ours: the office-suite route
//! that vanban's own typesetting replaces.
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
    /// Also convert each DOCX with LibreOffice headless this many times (0: do not).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub libreoffice: u32,
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
    /// After "pdf": the file's size in bytes and its page count.
    pub pdf: Option<(usize, usize)>,
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
    work.pdf = Some((output.bytes.len(), output.pages));
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
    print_header(&stages, iterations, args.libreoffice);
    let mut code = EXIT_OK;
    for path in &args.files {
        match bench_file(path, &templates, &stages, iterations) {
            Ok(result) => {
                let office = (args.libreoffice > 0)
                    .then(|| libreoffice::convert_median(&result.docx, args.libreoffice));
                print_row(path, &result, office.as_ref());
            }
            Err(message) => {
                eprintln!("{}: {message}", path.display());
                code = EXIT_UNREADABLE;
            }
        }
    }
    match peak_memory_kb() {
        Some(kb) => println!(
            "peak resident memory of this process: {:.1} MB",
            kb as f64 / 1024.0
        ),
        None => println!("peak resident memory of this process: unknown (no /proc)"),
    }
    code
}

/// One file's figures.
struct FileResult {
    /// Median per stage, then the median of the per-run totals.
    medians: Vec<Duration>,
    /// The PDF's size and page count.
    pdf: (usize, usize),
    /// The DOCX package (for LibreOffice).
    docx: Vec<u8>,
}

/// The peak resident set of this process in kB (Linux `VmHWM`).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
}

/// Median per stage, then the median of the per-run totals.
fn bench_file(
    path: &Path,
    templates: &Templates,
    stages: &[Stage],
    iterations: u32,
) -> Result<FileResult, String> {
    let bytes = parse::read_file(path).map_err(|e| e.to_string())?;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); stages.len() + 1];
    let mut last = None;
    for _ in 0..iterations {
        let mut work = Work {
            path,
            bytes: &bytes,
            templates,
            doc: None,
            composed: None,
            pdf: None,
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
        last = Some((work.pdf, work.docx));
    }
    let Some((Some(pdf), Some(docx))) = last else {
        return Err("no PDF or DOCX was made".into());
    };
    Ok(FileResult {
        medians: samples.into_iter().map(median).collect(),
        pdf,
        docx,
    })
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn print_header(stages: &[Stage], iterations: u32, libreoffice: u32) {
    let mut line = format!("{:<40}", format!("file (median of {iterations}, ms)"));
    for stage in stages {
        line.push_str(&format!(" {:>9}", stage.name));
    }
    line.push_str(&format!(" {:>9} {:>9} {:>5}", "total", "pdf KB", "pages"));
    if libreoffice > 0 {
        line.push_str(&format!(
            " {:>12} {:>8} {:>6}",
            format!("soffice({libreoffice})"),
            "MB",
            "pages"
        ));
    }
    println!("{line}");
}

fn print_row(path: &Path, result: &FileResult, office: Option<&libreoffice::Conversion>) {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut line = format!("{name:<40}");
    for value in &result.medians {
        line.push_str(&format!(" {:>9.3}", value.as_secs_f64() * 1000.0));
    }
    let (size, pages) = result.pdf;
    line.push_str(&format!(" {:>9.1} {pages:>5}", size as f64 / 1024.0));
    match office {
        Some(Ok(run)) => line.push_str(&format!(
            " {:>12.1} {:>8} {:>6}",
            run.median.as_secs_f64() * 1000.0,
            run.peak_kb
                .map_or_else(|| "?".to_owned(), |kb| format!("{:.0}", kb as f64 / 1024.0)),
            run.pages.map_or_else(|| "?".to_owned(), |p| p.to_string()),
        )),
        Some(Err(message)) => line.push_str(&format!(" soffice failed: {message}")),
        None => {}
    }
    println!("{line}");
}

/// LibreOffice headless, for comparison.
mod libreoffice {
    use std::path::Path;
    use std::process::Command;
    use std::time::{Duration, Instant};

    /// What converting one DOCX measured.
    pub struct Run {
        /// Median wall time of a conversion (a fresh `soffice` process each).
        pub median: Duration,
        /// Peak resident memory of the largest conversion, when GNU time is installed.
        pub peak_kb: Option<u64>,
        /// Pages of LibreOffice's PDF (`pdfinfo`, when installed).
        pub pages: Option<usize>,
    }

    /// A conversion's figures, or why it failed.
    pub type Conversion = Result<Run, String>;

    /// Convert `docx` `runs` times in a scratch directory.
    pub fn convert_median(docx: &[u8], runs: u32) -> Conversion {
        let dir = std::env::temp_dir().join(format!("vanban-bench-soffice-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let result = convert_in(&dir, docx, runs);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn convert_in(dir: &Path, docx: &[u8], runs: u32) -> Conversion {
        let input = dir.join("doc.docx");
        std::fs::write(&input, docx).map_err(|e| e.to_string())?;
        let time = Path::new("/usr/bin/time");
        let mut times = Vec::new();
        let mut peak_kb: Option<u64> = None;
        for _ in 0..runs.max(1) {
            let mut command = if time.is_file() {
                let mut c = Command::new(time);
                c.args(["-f", "%M", "-o"])
                    .arg(dir.join("time.txt"))
                    .arg("soffice");
                c
            } else {
                Command::new("soffice")
            };
            command
                .arg(format!(
                    "-env:UserInstallation=file://{}/profile",
                    dir.display()
                ))
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(dir)
                .arg(&input);
            let start = Instant::now();
            let output = command.output().map_err(|e| format!("soffice: {e}"))?;
            times.push(start.elapsed());
            if !output.status.success() {
                return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
            }
            let measured = std::fs::read_to_string(dir.join("time.txt")).ok();
            if let Some(kb) = measured.and_then(|t| t.trim().lines().last()?.parse::<u64>().ok()) {
                peak_kb = Some(peak_kb.map_or(kb, |p| p.max(kb)));
            }
        }
        times.sort_unstable();
        Ok(Run {
            median: times[times.len() / 2],
            peak_kb,
            pages: pages(&dir.join("doc.pdf")),
        })
    }

    fn pages(pdf: &Path) -> Option<usize> {
        let output = Command::new("pdfinfo").arg(pdf).output().ok()?;
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
    }
}

//! Timing of `render::pdf::render` (not a test: run with `cargo bench --bench render_pdf`).
//!
//! Prints, per document (the hand-built samples and every fixture), the median and minimum
//! time over repeated runs on one thread of the layout alone and of the whole render, the
//! output size and page count, and at the end the process's peak resident memory (VmHWM).
//! `vanban bench FILES` has the same "pdf" stage for data files.

#[path = "../common/samples.rs"]
mod samples;

use std::path::Path;
use std::time::{Duration, Instant};

use vanban::compose::Composed;
use vanban::layout::font::FontBook;
use vanban::layout::style::PageGeometry;
use vanban::render::pdf::{PdfOptions, render};

const RUNS: usize = 50;

fn main() {
    let mut documents: Vec<(String, Composed)> = vec![
        ("sample ke_hoach (draft)".into(), samples::ke_hoach(false)),
        ("sample quyet_dinh (table)".into(), samples::quyet_dinh()),
        ("sample cong_van".into(), samples::cong_van()),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for dir in ["seeds", "extra"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        {
            if let Ok(composed) = vanban::compose::compose_path(&path) {
                let name = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                documents.push((name, composed));
            }
        }
    }
    let options = PdfOptions::default();
    // Warm up: the embedded fonts are parsed once per process.
    let _ = render(&documents[0].1, &options);
    println!(
        "{:<28} {:>5} {:>8} {:>12} {:>12} {:>10}",
        "document", "pages", "bytes", "layout med", "render med", "render min"
    );
    let mut all = Vec::new();
    for (name, composed) in &documents {
        let layout = time(|| {
            std::hint::black_box(vanban::layout::layout(
                composed,
                FontBook::embedded(),
                PageGeometry::A4,
            ));
        });
        let mut output = None;
        let whole = time(|| output = Some(render(composed, &options).expect("renders")));
        let output = output.expect("rendered");
        all.push(whole.0);
        println!(
            "{name:<28} {:>5} {:>8} {:>10.2}ms {:>10.2}ms {:>8.2}ms",
            output.pages,
            output.bytes.len(),
            ms(layout.0),
            ms(whole.0),
            ms(whole.1)
        );
    }
    all.sort();
    println!(
        "median of the per-document medians: {:.2} ms",
        ms(all[all.len() / 2])
    );
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|line| line.starts_with("VmHWM"))
    {
        println!("peak memory: {}", line.trim_start_matches("VmHWM:").trim());
    }
}

/// Median and minimum of RUNS runs.
fn time(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[0])
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

//! Timing of `render::pdf::render` (not a test: run with `cargo bench --bench render_pdf`).
//!
//! Prints, per sample document, the median and minimum render time over repeated runs on one
//! thread, the output size and page count, and at the end the process's peak resident memory
//! (VmHWM). Until `vanban bench` has a "pdf" stage, this is where the figures come from.

#[path = "../common/samples.rs"]
mod samples;

use std::time::{Duration, Instant};

use vanban::compose::Composed;
use vanban::render::pdf::{PdfOptions, render};

const RUNS: usize = 50;

fn main() {
    let documents: Vec<(&str, Composed)> = vec![
        ("ke_hoach (draft)", samples::ke_hoach(false)),
        ("ke_hoach (numbered)", samples::ke_hoach(true)),
        ("quyet_dinh (table, appendix)", samples::quyet_dinh()),
        ("cong_van", samples::cong_van()),
    ];
    let options = PdfOptions::default();
    // Warm up: the embedded fonts are parsed once per process.
    let _ = render(&documents[0].1, &options);
    println!(
        "{:<30} {:>6} {:>9} {:>10} {:>10}",
        "document", "pages", "bytes", "median", "min"
    );
    for (name, composed) in &documents {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut last = None;
        for _ in 0..RUNS {
            let start = Instant::now();
            let output = render(composed, &options).expect("renders");
            times.push(start.elapsed());
            last = Some(output);
        }
        times.sort();
        let output = last.expect("at least one run");
        println!(
            "{name:<30} {:>6} {:>9} {:>8.2}ms {:>8.2}ms",
            output.pages,
            output.bytes.len(),
            times[RUNS / 2].as_secs_f64() * 1000.0,
            times[0].as_secs_f64() * 1000.0
        );
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|line| line.starts_with("VmHWM")) {
            println!("peak memory: {}", line.trim_start_matches("VmHWM:").trim());
        }
    }
}

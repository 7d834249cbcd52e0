//! The fuzz entry points for what users upload besides PDFs (`vanban::fuzzing::document_data`
//! for YAML and JSON document data, `docx_package` for DOCX packages), run over deterministic
//! mutations of real inputs under stable Rust; `tests/fuzz/` runs the same entry points under
//! libFuzzer. `VANBAN_MUTATIONS=20000` for a longer run.

mod common {
    pub mod fixtures;
    pub mod mutate;
}

use std::path::{Path, PathBuf};

use common::mutate::{BINARY, Rng, TEXT, mutate_with, mutations};

fn fixtures() -> Vec<PathBuf> {
    common::fixtures::paths()
}

/// The same document as JSON (serde_norway → serde_json), so both readers get mutated input.
fn as_json(yaml: &[u8]) -> Vec<u8> {
    let value: serde_json::Value = serde_norway::from_slice(yaml).expect("fixture is YAML");
    serde_json::to_vec_pretty(&value).expect("json")
}

/// Line-level mutations: YAML's structure is in its lines and indentation.
fn mutate_lines(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(input);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return input.to_vec();
    }
    let at = rng.below(lines.len());
    match rng.below(5) {
        0 => {
            lines.remove(at);
        }
        1 => {
            let copy = lines[at].clone();
            lines.insert(rng.below(lines.len()), copy);
        }
        2 => lines[at] = format!("  {}", lines[at]),
        3 => lines[at] = lines[at].trim_start().to_owned(),
        _ => {
            let other = rng.below(lines.len());
            lines.swap(at, other);
        }
    }
    lines.join("\n").into_bytes()
}

#[test]
fn mutated_document_data_never_panics() {
    let mut rng = Rng(0x6a09_e667_f3bc_c908);
    let rounds = mutations(1_200) / 12;
    let mut read = 0;
    for path in fixtures() {
        let yaml = std::fs::read(&path).expect("fixture");
        let json = as_json(&yaml);
        vanban::fuzzing::document_data(&yaml);
        vanban::fuzzing::document_data(&json);
        for round in 0..rounds {
            let seed = if round % 2 == 0 { &yaml } else { &json };
            let mutated = if round % 3 == 0 {
                mutate_lines(&mut rng, seed)
            } else {
                mutate_with(&mut rng, seed, 0..seed.len(), TEXT)
            };
            vanban::fuzzing::document_data(&mutated);
            let source = if round % 2 == 0 { "m.yaml" } else { "m.json" };
            read += usize::from(
                vanban::model::parse::parse_document(&mutated, Path::new(source)).is_ok(),
            );
        }
    }
    // Many mutations leave the document readable, so compose and both renderers ran on them.
    assert!(read >= 100, "only {read} mutated documents were readable");
}

#[test]
fn mutated_docx_packages_never_panic() {
    let path = fixtures().into_iter().next().expect("a fixture");
    let composed = vanban::compose::compose_path(&path).expect("compose");
    let docx = vanban::render::docx::render(&composed, &Default::default()).expect("docx");
    assert_eq!(
        vanban::workflow::receive::docx_signature_parts(&docx),
        Ok(Vec::new()),
        "an unsigned package"
    );
    let mut rng = Rng(0xbb67_ae85_84ca_a73b);
    // The zip's central directory (where the reader starts) is at the end: mutate there most.
    let tail = docx.len().saturating_sub(2_048)..docx.len();
    let mut refused = 0;
    for round in 0..mutations(4_000) {
        let focus = if round % 4 == 0 {
            0..docx.len()
        } else {
            tail.clone()
        };
        let mutated = mutate_with(&mut rng, &docx, focus, BINARY);
        vanban::fuzzing::docx_package(&mutated);
        refused += usize::from(vanban::workflow::receive::docx_signature_parts(&mutated).is_err());
    }
    assert!(
        refused > 0,
        "no mutation was refused: the mutations miss the zip"
    );
}

//! The fixture documents: `tests/fixtures/seeds/*.yaml` (the five seed plans) and
//! `tests/fixtures/extra/*.yaml` (the other document kinds), sorted by name.
#![allow(dead_code)] // each test binary uses part of the shared helpers

use std::path::{Path, PathBuf};

use vanban::compose::Composed;

/// The fixture files, seeds first.
pub fn paths() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = ["seeds", "extra"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("fixture directory"))
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "five seeds and five extras: {paths:?}");
    paths
}

/// Every fixture composed, named by its file stem.
pub fn composed() -> Vec<(String, Composed)> {
    paths()
        .iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let composed = vanban::compose::compose_path(path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (name, composed)
        })
        .collect()
}

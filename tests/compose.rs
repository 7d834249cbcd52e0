//! Compose: data files → blocks, through the real templates.

use std::path::Path;

use vanban::compose::{self, Content, Role, SlotKind, Templates};
use vanban::model::parse::parse_document;

#[test]
fn scratch() {
    let Ok(path) = std::env::var("VB_SCRATCH") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let doc = parse_document(&bytes, Path::new(&path)).unwrap();
    let composed = compose::compose(&doc, &Templates::embedded()).unwrap_or_else(|d| panic!("{d}"));
    for b in &composed.blocks {
        println!(
            "{:?} {} {:?}",
            b.role,
            b.origin,
            match &b.content {
                Content::Text(r) => format!("{r:?}"),
                c => format!("{c:?}"),
            }
        );
    }
    let _ = (Role::Title, SlotKind::Day);
}

//! Page 1 of an uploaded PDF with its signature boxes, for the verify page: the page rendered by
//! poppler's `pdftoppm` when it is installed (a child process with a time limit, on a copy of
//! the upload in a private temporary file), and the `/Rect` of every signature widget on the
//! page, turned into top-left coordinates for an SVG overlay. Without `pdftoppm` the boxes are
//! drawn on a blank page of the right size.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::pdf::{Document, ObjRef, Object};

/// Longest a page rendering may take.
const RENDER_LIMIT: Duration = Duration::from_secs(10);
/// Largest PNG accepted from the renderer.
const MAX_PNG_BYTES: usize = 4 * 1024 * 1024;
/// Rendering resolution (dots per inch): an A4 page becomes about 413 × 585 pixels.
const DPI: u32 = 50;

/// Page 1 and its signature boxes: `{width, height, png, boxes: [{field, x, y, w, h}]}` in PDF
/// points (y from the top), or `None` when the file is not a readable PDF.
pub fn first_page(bytes: &[u8]) -> Option<Value> {
    let doc = Document::load(bytes.to_vec()).ok()?;
    let pages = doc.pages().ok()?;
    let page = pages.first()?;
    let [x0, y0, x1, y1] = page.media_box()?;
    let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
    let on_page = annotations(&doc, page.dict.get("Annots"));
    let boxes: Vec<Value> = doc
        .fields()
        .ok()?
        .into_iter()
        .filter(|field| field.is_signature() && on_page.contains(&field.reference))
        .filter_map(|field| {
            let rect = crate::sign::fill::rect(&field.dict)?;
            let [a, b, c, d] = rect.map(f64::from);
            (c - a > 0.5 && d - b > 0.5).then(|| {
                json!({
                    "field": field.name,
                    "x": a - x0, "y": y1 - d, "w": c - a, "h": d - b,
                })
            })
        })
        .collect();
    Some(json!({
        "width": width,
        "height": height,
        "png": render_png(bytes),
        "boxes": boxes,
    }))
}

fn annotations(doc: &Document, annots: Option<&Object>) -> Vec<ObjRef> {
    let view = doc.view();
    let Some(annots) = annots.and_then(|a| view.resolve(a).ok()) else {
        return Vec::new();
    };
    annots
        .as_array()
        .map(|items| items.iter().filter_map(Object::as_reference).collect())
        .unwrap_or_default()
}

/// Page 1 as a base64 PNG, when `pdftoppm` is on the path and finishes in time.
fn render_png(bytes: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!(
        "vanban-page-{}",
        crate::workflow::auth::random_secret(16, true).ok()?
    ));
    std::fs::create_dir(&dir).ok()?;
    let result = render_in(&dir, bytes);
    let _ = std::fs::remove_dir_all(&dir);
    use base64ct::Encoding;
    result.map(|png| base64ct::Base64::encode_string(&png))
}

fn render_in(dir: &Path, bytes: &[u8]) -> Option<Vec<u8>> {
    let input = dir.join("in.pdf");
    std::fs::write(&input, bytes).ok()?;
    let mut child = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            &DPI.to_string(),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(&input)
        .arg(dir.join("page"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait().ok()? {
            Some(status) if status.success() => break,
            Some(_) => return None,
            None if started.elapsed() > RENDER_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let mut png = Vec::new();
    std::fs::File::open(dir.join("page.png"))
        .ok()?
        .take(MAX_PNG_BYTES as u64 + 1)
        .read_to_end(&mut png)
        .ok()?;
    (png.len() <= MAX_PNG_BYTES && png.starts_with(b"\x89PNG")).then_some(png)
}

//! Page content streams: glyphs as `TJ` arrays with position adjustments (kerning and the
//! extra space of justified lines), rules and frames, all in DeviceRGB.

use std::collections::BTreeMap;

use pdf_writer::{Content, Name, Str};

use crate::layout::font::FaceId;
use crate::layout::page::{FrameItem, Item, Page, RuleItem, SlotName, TextItem};
use crate::render::pdf::fonts::PdfFont;

/// Adjustments smaller than this (thousandths of an em) are not written.
const MIN_ADJUST: f32 = 0.01;

/// The content stream of one page (uncompressed).
pub fn page_content(page: &Page, height: f32, fonts: &BTreeMap<FaceId, PdfFont>) -> Vec<u8> {
    let mut content = Content::new();
    content.set_fill_rgb(0.0, 0.0, 0.0);
    content.set_stroke_rgb(0.0, 0.0, 0.0);
    for item in &page.items {
        match item {
            Item::Text(text) if text.field.is_some() => {}
            Item::Text(text) => draw_text(&mut content, text, height, fonts),
            Item::Rule(rule) => draw_rule(&mut content, rule, height),
            Item::Frame(frame) => draw_frame(&mut content, frame, height),
        }
    }
    content.finish().into_vec()
}

/// The appearance of the text field `field` that draws a draft's line ([`TextItem::field`]),
/// in page coordinates (its form's `/BBox` is its `/Rect`), marked as variable text.
pub fn field_line_content(
    page: &Page,
    field: SlotName,
    height: f32,
    fonts: &BTreeMap<FaceId, PdfFont>,
) -> Vec<u8> {
    let mut content = Content::new();
    content.begin_marked_content(Name(b"Tx"));
    content.save_state();
    content.set_fill_rgb(0.0, 0.0, 0.0);
    for item in &page.items {
        if let Item::Text(text) = item
            && text.field == Some(field)
        {
            draw_text(&mut content, text, height, fonts);
        }
    }
    content.restore_state();
    content.end_marked_content();
    content.finish().into_vec()
}

fn draw_text(
    content: &mut Content,
    text: &TextItem,
    height: f32,
    fonts: &BTreeMap<FaceId, PdfFont>,
) {
    let Some(font) = fonts.get(&text.face) else {
        return;
    };
    if text.red {
        content.set_fill_rgb(1.0, 0.0, 0.0);
    }
    content.begin_text();
    content.set_font(Name(font.resource.as_bytes()), text.size);
    content.set_text_matrix([1.0, 0.0, 0.0, 1.0, text.x, height - text.baseline]);
    {
        let mut show = content.show_positioned();
        let mut items = show.items();
        let mut run: Vec<u8> = Vec::new();
        for glyph in &text.glyphs {
            let cid = font.cids.get(&glyph.id).copied().unwrap_or(0);
            run.extend_from_slice(&cid.to_be_bytes());
            let adjust = (glyph.natural - glyph.advance) * 1000.0 / text.size;
            if adjust.abs() > MIN_ADJUST {
                items.show(Str(&run));
                items.adjust(adjust);
                run.clear();
            }
        }
        if !run.is_empty() {
            items.show(Str(&run));
        }
    }
    content.end_text();
    if text.red {
        content.set_fill_rgb(0.0, 0.0, 0.0);
    }
}

fn draw_rule(content: &mut Content, rule: &RuleItem, height: f32) {
    content.set_line_width(rule.thickness);
    content.move_to(rule.x0, height - rule.y);
    content.line_to(rule.x1, height - rule.y);
    content.stroke();
}

fn draw_frame(content: &mut Content, frame: &FrameItem, height: f32) {
    if frame.red {
        content.set_stroke_rgb(1.0, 0.0, 0.0);
    }
    content.set_line_width(frame.thickness);
    content.rect(
        frame.x,
        height - frame.y - frame.height,
        frame.width,
        frame.height,
    );
    content.stroke();
    if frame.red {
        content.set_stroke_rgb(0.0, 0.0, 0.0);
    }
}

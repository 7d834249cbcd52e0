//! Layout: composed blocks become positioned glyphs on A4 pages.
//!
//! One step per file (STYLE.md habit 5): [`shape`] (runs → measured words), [`linebreak`]
//! (words → lines), [`para`] (lines placed in a column), [`header`], [`signature`] and
//! [`table`] (the fixed parts of FORMAT.md §4), [`flow`] (blocks → elements with break
//! rules) and [`paginate`] (elements → pages). [`layout`] runs them in order.

pub mod flow;
pub mod font;
pub mod header;
pub mod linebreak;
pub mod page;
pub mod paginate;
pub mod para;
pub mod shape;
pub mod signature;
pub mod style;
pub mod table;

use crate::compose::{Block, Composed};
use crate::diag::Diagnostics;
use crate::layout::font::FontBook;
use crate::layout::page::{Frag, Pages, Slot};
use crate::layout::paginate::{PlacedPage, Section, paginate};
use crate::layout::para::{Column, Ctx};
use crate::layout::style::PageGeometry;

/// Lay a composed document out on pages. Problems (missing glyphs, overlong words) are in
/// [`Pages::diagnostics`]; the caller decides whether errors among them stop the output.
pub fn layout(composed: &Composed, book: &FontBook, geometry: PageGeometry) -> Pages {
    let regions = composed.regions();
    let mut ctx = Ctx {
        book,
        diagnostics: Diagnostics::default(),
    };
    let text = Column {
        x: geometry.left,
        width: geometry.text_width(),
    };
    let head = header::header(&regions, &geometry, &mut ctx);
    let foot = address(&regions.address, text, &mut ctx);
    let mut elements = flow::elements(&regions.main, text, &mut ctx);
    if let Some(row) = signature::signature_row(&regions, &geometry, &mut ctx) {
        flow::append_signature(&mut elements, row);
    }
    let main = Section {
        elements,
        head: Some(head),
        foot,
    };
    let mut placed = paginate(main, &geometry, &mut ctx.diagnostics);
    for appendix in &regions.appendices {
        let section = Section {
            elements: flow::elements(appendix, text, &mut ctx),
            ..Section::default()
        };
        placed.extend(paginate(section, &geometry, &mut ctx.diagnostics));
    }
    number_pages(&mut placed, &geometry, &mut ctx);
    collect(placed, geometry, ctx.diagnostics)
}

/// The address footer (ô 13) under a full-width rule, or `None`.
fn address(blocks: &[&Block], text: Column, ctx: &mut Ctx<'_>) -> Option<Frag> {
    if blocks.is_empty() {
        return None;
    }
    Some(header::stack_blocks(blocks, text, ctx))
}

/// Page numbers (13 pt) centred in the top margin, drawn after the page's content.
fn number_pages(placed: &mut [PlacedPage], geometry: &PageGeometry, ctx: &mut Ctx<'_>) {
    let style = style::BlockStyle {
        size: style::PAGE_NUMBER_SIZE,
        align: style::Align::Center,
        first_indent: 0.0,
        line_height: 1.0,
        ..style::style(crate::compose::Role::Paragraph)
    };
    let column = Column {
        x: geometry.left,
        width: geometry.text_width(),
    };
    let origin = crate::diag::FieldPath::root();
    for page in placed {
        let Some(number) = page.page.number else {
            continue;
        };
        let run = crate::compose::Run::plain(number.to_string());
        let line = para::set_text(&[run], &style, column, ctx, &origin).into_frag();
        let top = geometry.page_number_baseline - line.baseline;
        page.page
            .items
            .extend(line.items.into_iter().map(|item| item.shifted(top)));
    }
}

fn collect(placed: Vec<PlacedPage>, geometry: PageGeometry, diagnostics: Diagnostics) -> Pages {
    let mut pages = Vec::with_capacity(placed.len());
    let mut slots = Vec::new();
    for (index, page) in placed.into_iter().enumerate() {
        slots.extend(page.slots.into_iter().map(|slot| Slot {
            name: slot.name,
            page: index,
            rect: [
                slot.x,
                geometry.height - slot.y - slot.height,
                slot.x + slot.width,
                geometry.height - slot.y,
            ],
            face: slot.face,
            size: slot.size,
            value: slot.value,
            line: slot.line,
        }));
        pages.push(page.page);
    }
    Pages {
        geometry,
        pages,
        slots,
        diagnostics,
    }
}

//! Pagination: flow elements fill pages from the top of the text area to its foot.
//!
//! First fit with backtracking: when an element does not fit, the page ends at the last
//! element before which a break is allowed (see [`crate::layout::flow`] for the rules), and
//! the elements after it move to the next page. When the page has no allowed break at all,
//! the break is forced where the element did not fit. A page that starts inside a table
//! repeats the table's header rows first.

use crate::diag::{Diagnostic, Diagnostics, FieldPath};
use crate::layout::flow::Element;
use crate::layout::page::{Frag, FragSlot, Item, Page};
use crate::layout::style::PageGeometry;

/// Most pages one section may have: 2,000 (a 100-page plan has 100; past this the input is
/// hostile or broken, and stopping keeps time and memory bounded).
pub const MAX_PAGES: usize = 2_000;

/// A section: the main text or one appendix, starting on a new page with its own numbering.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// The elements, in order.
    pub elements: Vec<Element>,
    /// Drawn at the top of the section's first page, before the flow (the letterhead).
    pub head: Option<Frag>,
    /// Drawn at the foot of the section's first page, above which the flow stops (ô 13).
    pub foot: Option<Frag>,
}

/// A page of a section with the slots found on it (top-down page coordinates).
#[derive(Debug, Clone, Default)]
pub struct PlacedPage {
    /// The page.
    pub page: Page,
    /// Slots, with y from the top of the page.
    pub slots: Vec<FragSlot>,
}

/// Fill pages with a section.
pub fn paginate(
    section: Section,
    geometry: &PageGeometry,
    diagnostics: &mut Diagnostics,
) -> Vec<PlacedPage> {
    let Section {
        elements,
        head,
        foot,
    } = section;
    let top = geometry.top;
    let bottom = geometry.height - geometry.bottom;
    let head_height = head.as_ref().map_or(0.0, |frag| frag.height);
    let foot_height = foot.as_ref().map_or(0.0, |frag| frag.height);
    let mut pages: Vec<Vec<(usize, f32, bool)>> = Vec::new();
    let mut start = 0;
    while start < elements.len() || pages.is_empty() {
        if pages.len() >= MAX_PAGES {
            diagnostics.push(Diagnostic::error(
                "too-many-pages",
                FieldPath::root(),
                format!("văn bản dài hơn {MAX_PAGES} trang"),
            ));
            break;
        }
        let first = pages.is_empty();
        let page_top = if first { top + head_height } else { top };
        let page_bottom = if first { bottom - foot_height } else { bottom };
        let (placed, next) = fill(
            &elements,
            start,
            page_top,
            page_bottom,
            first && head.is_some(),
        );
        pages.push(placed);
        if next >= elements.len() {
            break;
        }
        start = next;
    }
    let mut out = Vec::with_capacity(pages.len());
    for (index, placed) in pages.into_iter().enumerate() {
        let mut page = PlacedPage::default();
        if let (0, Some(frag)) = (index, &head) {
            put(&mut page, frag.clone(), top);
        }
        for (element, y, with_header) in placed {
            let element = &elements[element];
            let mut y = y;
            if with_header {
                for header in element.repeat.iter().flat_map(|rows| rows.iter()) {
                    put(&mut page, header.clone(), y);
                    y += header.height;
                }
            }
            put(&mut page, element.frag.clone(), y);
        }
        if let (0, Some(frag)) = (index, &foot) {
            put(&mut page, frag.clone(), bottom - foot_height);
        }
        page.page.number = (index > 0).then(|| index as u32 + 1);
        out.push(page);
    }
    out
}

/// Place elements from `start` on one page; returns what was placed (element, top, whether
/// the repeated table header goes first) and the first element of the next page.
fn fill(
    elements: &[Element],
    start: usize,
    page_top: f32,
    page_bottom: f32,
    has_head: bool,
) -> (Vec<(usize, f32, bool)>, usize) {
    let mut placed: Vec<(usize, f32, bool)> = Vec::new();
    let mut y = page_top;
    let mut i = start;
    while i < elements.len() {
        let element = &elements[i];
        let at_top = placed.is_empty();
        let gap = if at_top && !has_head {
            0.0
        } else {
            element.space_before
        };
        let with_header = at_top && element.repeat.is_some();
        let header_height: f32 = if with_header {
            element
                .repeat
                .iter()
                .flat_map(|rows| rows.iter())
                .map(|frag| frag.height)
                .sum()
        } else {
            0.0
        };
        let needed = gap + header_height + element.frag.height;
        if y + needed > page_bottom + 0.01 && !at_top {
            let back = (start + 1..=i).rev().find(|&j| elements[j].breakable);
            let next = back.unwrap_or(i);
            placed.retain(|(index, _, _)| *index < next);
            return (placed, next);
        }
        placed.push((i, y + gap, with_header));
        y += needed;
        i += 1;
    }
    (placed, elements.len())
}

fn put(page: &mut PlacedPage, frag: Frag, y: f32) {
    page.page
        .items
        .extend(frag.items.into_iter().map(|item: Item| item.shifted(y)));
    page.slots.extend(frag.slots.into_iter().map(|mut slot| {
        slot.y += y;
        slot
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::PageGeometry;

    fn line(height: f32, breakable: bool) -> Element {
        Element {
            frag: Frag {
                height,
                ..Frag::default()
            },
            space_before: 0.0,
            breakable,
            repeat: None,
        }
    }

    #[test]
    fn breaks_back_to_the_last_allowed_break() {
        let geometry = PageGeometry::A4;
        let per_page = (geometry.text_height() / 20.0).floor() as usize;
        // A run of lines where only every fifth one may start a page.
        let elements: Vec<Element> = (0..per_page * 2).map(|i| line(20.0, i % 5 == 0)).collect();
        let section = Section {
            elements,
            ..Section::default()
        };
        let pages = paginate(section, &geometry, &mut Diagnostics::default());
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].page.number, None);
        assert_eq!(pages[1].page.number, Some(2));
    }
}

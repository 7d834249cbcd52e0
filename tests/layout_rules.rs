//! The typesetting core's break rules, checked on real laid-out pages (FORMAT.md §4.3, issue 3):
//! no orphan (a paragraph's first line alone at a page foot), no widow (its last line alone at
//! a page head), a heading never ends a page, and the signature row never starts a page
//! without body text above it.
//!
//! A filler paragraph of growing length is put after the opening, so that the page breaks of
//! the plan that follows fall at every line of every paragraph, heading and of the signature
//! row in turn. Each test also asserts that the sweep really put breaks where the rule bites,
//! so that a sweep that misses them fails instead of passing silently.

mod common;

use std::collections::BTreeMap;

use common::samples::{block, ke_hoach, quyet_dinh};
use vanban::compose::{Composed, Content, Role};
use vanban::layout::font::FontBook;
use vanban::layout::page::{Item, Pages};
use vanban::layout::style::PageGeometry;

/// A word list to build fillers from (real text, real diacritics).
const WORDS: &str = "Công đoàn ngành Y tế phối hợp với thủ trưởng cơ quan tổ chức phong trào thi \
    đua yêu nước trong đoàn viên, công nhân, viên chức, lao động; bồi dưỡng, nhân rộng điển hình \
    tiên tiến, khen thưởng kịp thời những tập thể và cá nhân có thành tích xuất sắc";

fn filler(words: usize) -> String {
    let list: Vec<&str> = WORDS.split_whitespace().collect();
    (0..words)
        .map(|i| list[i % list.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The plan with a filler paragraph of `words` words after its opening.
fn plan(words: usize) -> Composed {
    let mut composed = ke_hoach(true);
    if words > 0 {
        let at = composed
            .blocks
            .iter()
            .position(|b| b.origin.as_str() == "opening")
            .expect("the plan has an opening")
            + 1;
        composed
            .blocks
            .insert(at, block(Role::Paragraph, &filler(words), "filler"));
    }
    composed
}

fn layout_of(composed: &Composed) -> Pages {
    vanban::layout::layout(composed, FontBook::embedded(), PageGeometry::A4)
}

/// One laid-out line: its block's field path and role.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    origin: String,
    role: Option<Role>,
    text: String,
}

/// The text lines of each page in reading order (items of one block on one baseline are one
/// line), skipping the page number in the top margin.
fn lines(composed: &Composed, pages: &Pages) -> Vec<Vec<Line>> {
    let roles: BTreeMap<&str, Role> = composed
        .blocks
        .iter()
        .map(|b| (b.origin.as_str(), b.role))
        .collect();
    pages
        .pages
        .iter()
        .map(|page| {
            let mut out: Vec<(String, i64, String)> = Vec::new();
            for item in &page.items {
                let Item::Text(text) = item else { continue };
                if text.origin.as_str().is_empty() && text.baseline < pages.geometry.top {
                    continue; // the page number
                }
                let key = (
                    text.origin.as_str().to_string(),
                    (text.baseline * 10.0) as i64,
                );
                match out.iter_mut().find(|(o, b, _)| (o, b) == (&key.0, &key.1)) {
                    Some(line) => line.2.push_str(&text.text()),
                    None => out.push((key.0, key.1, text.text())),
                }
            }
            out.into_iter()
                .map(|(origin, _, text)| Line {
                    role: role_of(&roles, &origin),
                    origin,
                    text,
                })
                .collect()
        })
        .collect()
}

/// The role of the block a line came from: its own path, or the block's a table cell is in
/// (`body[3].rows[2][1]` belongs to `body[3]`).
fn role_of(roles: &BTreeMap<&str, Role>, origin: &str) -> Option<Role> {
    let mut path = origin;
    loop {
        if let Some(role) = roles.get(path) {
            return Some(*role);
        }
        path = &path[..path.rfind(['.', '['])?];
    }
}

fn is_paragraph(role: Option<Role>) -> bool {
    matches!(
        role,
        Some(Role::Paragraph | Role::NumberedParagraph | Role::Bullet | Role::Closing)
    )
}

fn is_heading(role: Option<Role>) -> bool {
    matches!(
        role,
        Some(Role::Heading1 | Role::Heading2 | Role::Heading3 | Role::PartLabel | Role::PartTitle)
    )
}

fn is_signature_row(role: Option<Role>) -> bool {
    matches!(
        role,
        Some(
            Role::RecipientsHeading
                | Role::Recipient
                | Role::SignAuthority
                | Role::SignTitle
                | Role::SignName
        )
    )
}

/// Lines per page of every paragraph that the layout split across pages.
fn split_paragraphs(pages: &[Vec<Line>]) -> Vec<(String, Vec<usize>)> {
    let mut parts: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        for line in page.iter().filter(|line| is_paragraph(line.role)) {
            let entry = parts.entry(line.origin.clone()).or_default();
            match entry.last_mut() {
                Some((page, count)) if *page == index => *count += 1,
                _ => entry.push((index, 1)),
            }
        }
    }
    parts
        .into_iter()
        .filter(|(_, parts)| parts.len() > 1)
        .map(|(origin, parts)| (origin, parts.into_iter().map(|(_, n)| n).collect()))
        .collect()
}

#[test]
fn no_orphans_and_no_widows_wherever_the_break_falls() {
    let mut splits = 0;
    let mut tight = 0;
    for words in (0..=260).step_by(4) {
        let composed = plan(words);
        let pages = lines(&composed, &layout_of(&composed));
        for (origin, parts) in split_paragraphs(&pages) {
            let total: usize = parts.iter().sum();
            assert!(
                total >= 4,
                "filler {words}: {origin} has {total} lines and was split {parts:?}"
            );
            assert!(
                parts.iter().all(|&n| n >= 2),
                "filler {words}: {origin} split as {parts:?} (orphan or widow)"
            );
            splits += 1;
            tight += usize::from(parts.first() == Some(&2) || parts.last() == Some(&2));
        }
    }
    assert!(splits >= 30, "the sweep split only {splits} paragraphs");
    assert!(
        tight >= 5,
        "the sweep never split a paragraph at the 2-line limit ({tight} times)"
    );
}

#[test]
fn a_heading_never_ends_a_page() {
    let mut pulled = 0;
    for words in (0..=260).step_by(4) {
        let composed = plan(words);
        let pages = lines(&composed, &layout_of(&composed));
        for (index, page) in pages.iter().enumerate().take(pages.len() - 1) {
            let last = page.last().expect("a page with text");
            assert!(
                !is_heading(last.role),
                "filler {words}: page {} ends with the heading {:?}",
                index + 1,
                last.text
            );
            // A heading starting the next page, with its paragraph: the rule had to act.
            let first_next = pages[index + 1].first().map(|line| line.role);
            pulled += usize::from(first_next.is_some_and(is_heading));
        }
    }
    assert!(
        pulled >= 3,
        "no page of the sweep starts with a heading ({pulled})"
    );
}

#[test]
fn the_signature_row_is_never_alone_on_its_page() {
    let mut at_limit = 0;
    for words in (0..=260).step_by(2) {
        let composed = plan(words);
        let pages = lines(&composed, &layout_of(&composed));
        let with_row: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.iter().any(|line| is_signature_row(line.role)))
            .map(|(index, _)| index)
            .collect();
        assert_eq!(
            with_row.len(),
            1,
            "filler {words}: the signature row spreads over pages {with_row:?}"
        );
        let page = &pages[with_row[0]];
        let first_row = page
            .iter()
            .position(|line| is_signature_row(line.role))
            .expect("row on its page");
        let body_above = page[..first_row]
            .iter()
            .filter(|line| is_paragraph(line.role))
            .count();
        assert!(
            body_above >= 2,
            "filler {words}: page {} has {body_above} body line(s) above the signature row",
            with_row[0] + 1
        );
        at_limit += usize::from(with_row[0] > 0 && first_row <= 3);
    }
    assert!(
        at_limit >= 1,
        "no layout of the sweep put the row on a page with only the last body lines"
    );
}

#[test]
fn a_table_repeats_its_header_and_never_leaves_it_alone() {
    let composed = quyet_dinh();
    let pages = lines(&composed, &layout_of(&composed));
    let table_pages: Vec<Vec<&Line>> = pages
        .iter()
        .map(|page| {
            page.iter()
                .filter(|line| line.role == Some(Role::Table))
                .collect::<Vec<_>>()
        })
        .filter(|cells| !cells.is_empty())
        .collect();
    assert!(
        table_pages.len() >= 2,
        "the Quyết định's table should span pages ({})",
        table_pages.len()
    );
    // Header rows are the table's first rows (`….rows[0]` up to the header's length).
    let header_rows = composed
        .blocks
        .iter()
        .find_map(|b| match &b.content {
            Content::Table(table) => Some(table.header.len()),
            _ => None,
        })
        .expect("a table");
    assert!(header_rows > 0, "the sample table has a header");
    let is_header = |line: &Line| {
        (0..header_rows).any(|row| {
            line.origin.ends_with(&format!(".rows[{row}]"))
                || line.origin.contains(&format!(".rows[{row}]["))
        })
    };
    let header_text = |cells: &[&Line]| -> Vec<String> {
        cells
            .iter()
            .take_while(|line| is_header(line))
            .map(|line| line.text.clone())
            .collect()
    };
    let header = header_text(&table_pages[0]);
    assert!(
        !header.is_empty(),
        "the table's first page has no header row"
    );
    for (n, cells) in table_pages.iter().enumerate() {
        assert_eq!(
            header_text(cells),
            header,
            "table page {n} does not start with the header row"
        );
        assert!(
            cells.iter().any(|line| !is_header(line)),
            "table page {n} has the header and no row"
        );
    }
}

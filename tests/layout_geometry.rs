//! The page geometry of FORMAT.md §2–§4, measured on the laid-out pages of every fixture and
//! of the hand-built samples (a numbered Kế hoạch, a Quyết định with a table and an appendix,
//! a Công văn): A4 with the house margins; the letterhead's rules (Tiêu ngữ rule exactly as
//! long as its text, issuer and trích yếu rules 1/3–1/2 of their widest line, centred); "Số:"
//! and the place-date line on one baseline; the type name and trích yếu centred on the text
//! width; "Nơi nhận:" level with the first authority line, at the left margin; the sizes of
//! §3.0; page numbers centred in the top margin from page 2 and never on page 1.
//!
//! Every check names the document and the element, so a failure reads as a format defect.

mod common {
    pub mod fixtures;
    pub mod samples;
}

use std::collections::BTreeMap;

use vanban::compose::{Composed, Content, Role};
use vanban::layout::font::FontBook;
use vanban::layout::page::{Item, Page, Pages, RuleItem, TextItem};
use vanban::layout::style::PageGeometry;

/// 1 mm in pt.
const MM: f32 = 72.0 / 25.4;
/// Positions are computed in f32 from the same metrics: equal means within this.
const EPS: f32 = 0.05;

/// One line of one block on a page: its role, baseline, size and horizontal ink extent.
#[derive(Debug, Clone)]
struct Line {
    origin: String,
    role: Option<Role>,
    text: String,
    baseline: f32,
    size: f32,
    x0: f32,
    x1: f32,
}

impl Line {
    fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

fn documents() -> Vec<(String, Composed)> {
    let mut documents = common::fixtures::composed();
    documents.push(("sample ke_hoach".into(), common::samples::ke_hoach(true)));
    documents.push(("sample quyet_dinh".into(), common::samples::quyet_dinh()));
    documents.push(("sample cong_van".into(), common::samples::cong_van()));
    documents
}

fn layout_of(composed: &Composed) -> Pages {
    vanban::layout::layout(composed, FontBook::embedded(), PageGeometry::A4)
}

/// The blocks of each field path, with their text (several blocks may share a path: the
/// type name and the decision word both come from `kind`).
type Roles = BTreeMap<String, Vec<(Role, String)>>;

fn roles(composed: &Composed) -> Roles {
    let mut roles = Roles::new();
    for block in &composed.blocks {
        let text = match &block.content {
            Content::Text(runs) => runs.iter().map(|run| run.text.as_str()).collect(),
            _ => String::new(),
        };
        roles
            .entry(block.origin.as_str().to_owned())
            .or_default()
            .push((block.role, text));
    }
    roles
}

/// The role of the block a text item came from (a table cell's block is its table's); where
/// blocks share the path, the one whose text holds the line's.
fn role_of(roles: &Roles, origin: &str, text: &str) -> Option<Role> {
    let mut path = origin;
    loop {
        if let Some(blocks) = roles.get(path) {
            let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let found = blocks.iter().find(|(_, block)| {
                block
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(&words)
            });
            return Some(found.unwrap_or(&blocks[0]).0);
        }
        path = &path[..path.rfind(['.', '['])?];
    }
}

/// The page's text as lines: items of one block on one baseline joined, ink extents merged.
fn lines(composed: &Composed, page: &Page) -> Vec<Line> {
    let roles = roles(composed);
    let mut out: Vec<(String, Line)> = Vec::new();
    for item in &page.items {
        let Item::Text(text) = item else { continue };
        if text.field.is_none() && text.glyphs.iter().all(|glyph| glyph.ch == ' ') {
            continue;
        }
        let origin = text.origin.as_str().to_owned();
        // A draft's number and date lines hold blank gaps for the văn thư's values: they
        // are placed by their whole advance, gaps included.
        let (x0, x1) = if text.field.is_some() {
            (text.x, text.x + text.width())
        } else {
            ink(text)
        };
        let found = out
            .iter_mut()
            .find(|(o, line)| *o == origin && (line.baseline - text.baseline).abs() < EPS);
        match found {
            Some((_, line)) => {
                line.text.push_str(&text.text());
                line.x0 = line.x0.min(x0);
                line.x1 = line.x1.max(x1);
            }
            None => out.push((
                origin.clone(),
                Line {
                    origin: origin.clone(),
                    role: None,
                    text: text.text(),
                    baseline: text.baseline,
                    size: text.size,
                    x0,
                    x1,
                },
            )),
        }
    }
    for (origin, line) in &mut out {
        line.role = role_of(&roles, origin, &line.text);
    }
    out.into_iter().map(|(_, line)| line).collect()
}

/// Left and right edge of a text item's ink (leading and trailing spaces excluded).
fn ink(text: &TextItem) -> (f32, f32) {
    let lead: f32 = text
        .glyphs
        .iter()
        .take_while(|glyph| glyph.ch == ' ')
        .map(|glyph| glyph.advance)
        .sum();
    (text.x + lead, text.x + text.ink_width())
}

fn rules(page: &Page) -> Vec<RuleItem> {
    page.items
        .iter()
        .filter_map(|item| match item {
            Item::Rule(rule) => Some(*rule),
            _ => None,
        })
        .collect()
}

fn of(lines: &[Line], role: Role) -> Vec<&Line> {
    lines
        .iter()
        .filter(|line| line.role == Some(role))
        .collect()
}

/// The rule drawn just below `line` (within `gap` pt of its baseline).
fn rule_below<'a>(rules: &'a [RuleItem], line: &Line, gap: f32) -> Option<&'a RuleItem> {
    rules
        .iter()
        .filter(|rule| rule.y > line.baseline && rule.y < line.baseline + gap)
        .filter(|rule| rule.x1 > line.x0 && rule.x0 < line.x1)
        .min_by(|a, b| a.y.total_cmp(&b.y))
}

fn widest<'a>(lines: &[&'a Line]) -> &'a Line {
    lines
        .iter()
        .copied()
        .max_by(|a, b| a.width().total_cmp(&b.width()))
        .expect("at least one line")
}

fn close(a: f32, b: f32, tolerance: f32) -> bool {
    (a - b).abs() <= tolerance
}

/// FORMAT.md §2: A4 portrait, margins L 30, R 15, T 20, B 20 mm.
#[test]
fn the_page_is_a4_with_the_house_margins() {
    let g = PageGeometry::A4;
    assert!(close(g.width, 210.0 * MM, 0.01) && close(g.height, 297.0 * MM, 0.01));
    assert!(close(g.left, 30.0 * MM, 0.01) && close(g.right, 15.0 * MM, 0.01));
    assert!(close(g.top, 20.0 * MM, 0.01) && close(g.bottom, 20.0 * MM, 0.01));
    assert!(close(g.text_width(), 165.0 * MM, 0.01));
}

/// Every line of every page lies in the text area, but the page number (top margin) and the
/// place-date line, which §4.2 lets reach 10 mm into the right margin before it wraps.
#[test]
fn text_stays_inside_the_text_area() {
    let g = PageGeometry::A4;
    let (left, right) = (g.left, g.width - g.right);
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        for (index, page) in pages.pages.iter().enumerate() {
            for line in lines(&composed, page) {
                if line.baseline < g.top {
                    continue; // the page number, checked below
                }
                let limit = if line.role == Some(Role::PlaceDate) {
                    right + 10.0 * MM
                } else {
                    right
                };
                assert!(
                    line.x0 >= left - EPS && line.x1 <= limit + EPS,
                    "{name} p{}: {:?} runs from {:.1} to {:.1} pt, text area {left:.1}–{right:.1}",
                    index + 1,
                    line.text,
                    line.x0,
                    line.x1
                );
                assert!(
                    line.baseline <= g.height - g.bottom + EPS,
                    "{name} p{}: {:?} below the text area (baseline {:.1})",
                    index + 1,
                    line.text,
                    line.baseline
                );
            }
        }
    }
}

/// §3.1, §4.2: the Quốc hiệu on one line, 13 (or 12) pt; the Tiêu ngữ centred under it; a rule
/// exactly as long as the Tiêu ngữ text, centred under it, just below its descenders.
#[test]
fn quoc_hieu_and_tieu_ngu_with_a_rule_as_long_as_the_motto() {
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let page = &pages.pages[0];
        let lines = lines(&composed, page);
        let national = of(&lines, Role::NationalName);
        assert_eq!(
            national.len(),
            1,
            "{name}: the Quốc hiệu is one line: {national:?}"
        );
        let national = national[0];
        assert_eq!(
            national.text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "{name}"
        );
        assert!(
            [12.0, 13.0].contains(&national.size),
            "{name}: {}",
            national.size
        );
        let motto = of(&lines, Role::Motto);
        assert_eq!(motto.len(), 1, "{name}: the Tiêu ngữ is one line");
        let motto = motto[0];
        assert_eq!(motto.text, "Độc lập - Tự do - Hạnh phúc", "{name}");
        assert!([13.0, 14.0].contains(&motto.size), "{name}");
        assert!(motto.baseline > national.baseline, "{name}");
        assert!(
            close(motto.centre(), national.centre(), 0.5),
            "{name}: Tiêu ngữ centred under the Quốc hiệu ({:.2} vs {:.2})",
            motto.centre(),
            national.centre()
        );
        let rules = rules(page);
        let rule = rule_below(&rules, motto, motto.size * 0.6)
            .unwrap_or_else(|| panic!("{name}: no rule under the Tiêu ngữ"));
        assert!(
            close(rule.x0, motto.x0, 0.5) && close(rule.x1, motto.x1, 0.5),
            "{name}: the Tiêu ngữ rule {:.2}–{:.2} is not as long as its text {:.2}–{:.2}",
            rule.x0,
            rule.x1,
            motto.x0,
            motto.x1
        );
        // The Quốc hiệu block sits in the right column (from 40 % of the text width).
        let g = pages.geometry;
        let column = g.left + g.text_width() * g.left_column;
        assert!(
            national.x0 >= column - EPS,
            "{name}: Quốc hiệu in the right column"
        );
    }
}

/// §3.2: the issuer's name bold under the parent, a rule 1/3–1/2 of its widest line (at least
/// 20 mm) centred under it, all in the left column.
#[test]
fn issuer_block_has_its_short_centred_rule() {
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let page = &pages.pages[0];
        let lines = lines(&composed, page);
        let issuer = of(&lines, Role::IssuerName);
        assert!(!issuer.is_empty(), "{name}: an issuer line");
        let g = pages.geometry;
        let column = g.left + g.text_width() * g.left_column;
        let centre = (g.left + column) / 2.0;
        for line in of(&lines, Role::ParentName).iter().chain(&issuer) {
            assert!(
                line.x1 <= column + EPS,
                "{name}: {:?} leaves the left column",
                line.text
            );
            assert!(
                close(line.centre(), centre, 0.5),
                "{name}: {:?} is not centred in the left column",
                line.text
            );
        }
        let widest = widest(&issuer);
        let last = issuer
            .iter()
            .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
            .expect("issuer");
        let rules = rules(page);
        let rule = rule_below(&rules, last, last.size * 0.8)
            .unwrap_or_else(|| panic!("{name}: no rule under the issuer name"));
        let length = rule.x1 - rule.x0;
        let (low, high) = (widest.width() / 3.0, (widest.width() / 2.0).max(20.0 * MM));
        assert!(
            length >= low - EPS && length <= high + EPS,
            "{name}: issuer rule {length:.1} pt, widest line {:.1} pt",
            widest.width()
        );
        assert!(
            close((rule.x0 + rule.x1) / 2.0, centre, 0.5),
            "{name}: the issuer rule is not centred"
        );
    }
}

/// §3.3, §3.4, §4.2: "Số: …" (13 pt) and the place-date line (14, or 13 to fit; italic) on
/// one baseline; "Số" centred under the issuer block, the date under the Quốc hiệu block.
#[test]
fn number_and_place_date_share_one_baseline() {
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let lines = lines(&composed, &pages.pages[0]);
        let number = of(&lines, Role::Number);
        let date = of(&lines, Role::PlaceDate);
        assert_eq!(number.len(), 1, "{name}: one number line: {number:?}");
        assert_eq!(date.len(), 1, "{name}: one place-date line: {date:?}");
        let (number, date) = (number[0], date[0]);
        assert!(number.text.starts_with("Số:"), "{name}: {:?}", number.text);
        assert!(date.text.contains(", ngày "), "{name}: {:?}", date.text);
        assert!(
            close(number.baseline, date.baseline, EPS),
            "{name}: Số at {:.2}, date at {:.2}",
            number.baseline,
            date.baseline
        );
        assert_eq!(number.size, 13.0, "{name}: Số is 13 pt");
        assert!(
            [13.0, 14.0].contains(&date.size),
            "{name}: date {} pt",
            date.size
        );
        let issuer = of(&lines, Role::IssuerName);
        let national = of(&lines, Role::NationalName);
        assert!(
            close(number.centre(), issuer[0].centre(), 1.0),
            "{name}: Số centred under the issuer ({:.1} vs {:.1})",
            number.centre(),
            issuer[0].centre()
        );
        // A draft's date ends in the year's blank gap, which no glyph marks: its centring is
        // checked on the numbered documents, whose line is whole.
        let dated = date
            .text
            .split_whitespace()
            .last()
            .is_some_and(|year| year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()));
        if dated && date.x1 <= pages.geometry.width - pages.geometry.right {
            assert!(
                close(date.centre(), national[0].centre(), 1.0),
                "{name}: the date centred under the Quốc hiệu ({:.1} vs {:.1})",
                date.centre(),
                national[0].centre()
            );
        }
    }
}

/// §3.5: type name and trích yếu 14 pt bold, centred on the text width; a rule 1/3–1/2 of the
/// widest trích yếu line, centred, under the last one. A Công văn has neither (its "V/v …"
/// sits under the number, 12 pt).
#[test]
fn type_name_and_title_are_centred_with_their_rule() {
    let g = PageGeometry::A4;
    let middle = g.left + g.text_width() / 2.0;
    let mut checked = 0;
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let page = &pages.pages[0];
        let lines = lines(&composed, page);
        let type_name = of(&lines, Role::TypeName);
        let title = of(&lines, Role::Title);
        if type_name.is_empty() {
            let summary = of(&lines, Role::Summary);
            assert!(
                !summary.is_empty(),
                "{name}: neither a type name nor a V/v line"
            );
            assert!(
                summary[0].text.starts_with("V/v"),
                "{name}: {:?}",
                summary[0].text
            );
            assert_eq!(summary[0].size, 12.0, "{name}");
            let number = &of(&lines, Role::Number)[0];
            assert!(
                summary[0].baseline > number.baseline,
                "{name}: V/v under Số"
            );
            continue;
        }
        for line in type_name.iter().chain(&title) {
            assert_eq!(line.size, 14.0, "{name}: {:?}", line.text);
            assert!(
                close(line.centre(), middle, 0.5),
                "{name}: {:?} centred at {:.1}, text width centre {middle:.1}",
                line.text,
                line.centre()
            );
        }
        if title.is_empty() {
            continue;
        }
        let widest = widest(&title);
        let last = title
            .iter()
            .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
            .expect("title");
        let rules = rules(page);
        let rule = rule_below(&rules, last, 10.0)
            .unwrap_or_else(|| panic!("{name}: no rule under the trích yếu"));
        let length = rule.x1 - rule.x0;
        assert!(
            length >= widest.width() / 3.0 - EPS && length <= widest.width() / 2.0 + EPS,
            "{name}: trích yếu rule {length:.1} pt for a widest line of {:.1} pt",
            widest.width()
        );
        assert!(close((rule.x0 + rule.x1) / 2.0, middle, 0.5), "{name}");
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} documents had a trích yếu");
}

/// §3.10, §4.2: "Nơi nhận:" 12 pt at the left margin, level with the first line of the
/// signature block; its items 11 pt; the signature block in the right column.
#[test]
fn noi_nhan_is_level_with_the_first_authority_line() {
    let g = PageGeometry::A4;
    let column = g.left + g.text_width() * g.left_column;
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let (page, lines) = pages
            .pages
            .iter()
            .map(|page| lines(&composed, page))
            .enumerate()
            .find(|(_, lines)| !of(lines, Role::RecipientsHeading).is_empty())
            .unwrap_or_else(|| panic!("{name}: no Nơi nhận"));
        let heading = of(&lines, Role::RecipientsHeading)[0];
        assert_eq!(heading.text, "Nơi nhận:", "{name}");
        assert_eq!(heading.size, 12.0, "{name}");
        assert!(
            close(heading.x0, g.left, 0.5),
            "{name}: Nơi nhận flush left"
        );
        let block: Vec<&Line> = lines
            .iter()
            .filter(|line| {
                matches!(
                    line.role,
                    Some(Role::SignAuthority | Role::SignTitle | Role::SignName)
                )
            })
            .collect();
        let first = block
            .iter()
            .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
            .unwrap_or_else(|| panic!("{name} p{}: no signature block", page + 1));
        assert!(
            close(heading.baseline, first.baseline, EPS),
            "{name}: Nơi nhận at {:.2}, {:?} at {:.2}",
            heading.baseline,
            first.text,
            first.baseline
        );
        for line in &block {
            assert!(
                line.x0 >= column - EPS,
                "{name}: {:?} in the right column",
                line.text
            );
            assert_eq!(line.size, 14.0, "{name}: {:?}", line.text);
        }
        for item in of(&lines, Role::Recipient) {
            assert_eq!(item.size, 11.0, "{name}: {:?}", item.text);
            assert!(
                item.x1 <= column + EPS,
                "{name}: {:?} in the left column",
                item.text
            );
        }
    }
}

/// §2, §4.3: no number on page 1 (nor on an appendix's first page); from page 2 the number,
/// 13 pt, centred on the text width, in the top margin.
#[test]
fn page_numbers_are_centred_in_the_top_margin_from_page_two() {
    let g = PageGeometry::A4;
    let middle = g.left + g.text_width() / 2.0;
    let mut numbered = 0;
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        assert_eq!(pages.pages[0].number, None, "{name}: page 1 has no number");
        for (index, page) in pages.pages.iter().enumerate() {
            let in_margin: Vec<&TextItem> = page
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Text(text) if text.baseline < g.top => Some(text),
                    _ => None,
                })
                .filter(|text| text.text().trim().parse::<u32>().is_ok())
                .collect();
            let Some(number) = page.number else {
                assert!(
                    in_margin.is_empty(),
                    "{name} p{}: a stray number",
                    index + 1
                );
                continue;
            };
            assert!(index > 0, "{name}: page 1 numbered");
            assert_eq!(in_margin.len(), 1, "{name} p{}", index + 1);
            let text = in_margin[0];
            assert_eq!(text.text().trim(), number.to_string(), "{name}");
            assert_eq!(text.size, 13.0, "{name}");
            let (x0, x1) = ink(text);
            assert!(
                close((x0 + x1) / 2.0, middle, 0.5),
                "{name} p{}: number centred at {:.1}",
                index + 1,
                (x0 + x1) / 2.0
            );
            numbered += 1;
        }
    }
    assert!(
        numbered >= 10,
        "only {numbered} numbered pages in the corpus"
    );
}

/// §3.14: the address lines (ô 13) sit at the foot of page 1 under one full-width rule, as
/// Word draws the equal top borders of consecutive paragraphs once.
#[test]
fn the_address_footer_has_one_full_width_rule_above_it() {
    let g = PageGeometry::A4;
    let mut checked = 0;
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let page = &pages.pages[0];
        let lines = lines(&composed, page);
        let address = of(&lines, Role::Address);
        if address.is_empty() {
            continue;
        }
        let full: Vec<RuleItem> = rules(page)
            .into_iter()
            .filter(|rule| close(rule.x1 - rule.x0, g.text_width(), 0.5))
            .collect();
        assert_eq!(
            full.len(),
            1,
            "{name}: full-width rules on page 1: {full:?}"
        );
        let first = address
            .iter()
            .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
            .expect("address");
        assert!(
            full[0].y < first.baseline - first.size * 0.7
                && full[0].y > first.baseline - 2.0 * first.size,
            "{name}: the rule ({:.1}) is not just above the first address line ({:.1})",
            full[0].y,
            first.baseline
        );
        for line in &address {
            assert!(line.baseline <= g.height - g.bottom + EPS, "{name}");
            assert!(
                line.baseline > g.height - g.bottom - 60.0,
                "{name}: {:?} not at the foot",
                line.text
            );
        }
        checked += 1;
    }
    assert!(checked >= 1, "no fixture has an address footer");
}

/// §3.10: the recipients' dashes aligned under the colon of "Kính gửi:"; a wrapped recipient
/// goes on under its text, after the dash.
#[test]
fn kinh_gui_dashes_align_under_the_colon() {
    let mut checked = 0;
    for (name, composed) in documents() {
        let pages = layout_of(&composed);
        let lines = lines(&composed, &pages.pages[0]);
        let Some(head) = of(&lines, Role::KinhGui).into_iter().next() else {
            continue;
        };
        let items = of(&lines, Role::KinhGuiItem);
        if items.is_empty() {
            continue;
        }
        let book = FontBook::embedded();
        let face = vanban::layout::font::FaceId::Regular;
        let colon = head.x0 + vanban::layout::shape::measure("Kính gửi", face, head.size, book);
        let dash = vanban::layout::shape::measure("- ", face, items[0].size, book);
        let mut seen: Vec<&str> = Vec::new();
        for line in &items {
            if seen.contains(&line.origin.as_str()) {
                assert!(
                    close(line.x0, colon + dash, 0.5),
                    "{name}: a wrapped recipient ({:?}) at {:.1}, its text starts at {:.1}",
                    line.text,
                    line.x0,
                    colon + dash
                );
                continue;
            }
            seen.push(&line.origin);
            assert!(line.text.starts_with("- "), "{name}: {:?}", line.text);
            assert!(
                close(line.x0, colon, 0.5),
                "{name}: the dash of {:?} at {:.1}, the colon at {:.1}",
                line.text,
                line.x0,
                colon
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 2,
        "only {checked} documents have a Kính gửi list"
    );
}

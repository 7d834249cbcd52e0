//! The printable outgoing register (sổ đăng ký văn bản đi in print): a PDF laid out like the
//! model book of Nghị định 30 Phụ lục IV, mục I, on landscape A4, through the project's own
//! layout and PDF writer ([`crate::layout`], [`crate::render::pdf`]).
//!
//! Điều 16 khoản 2: when the register is kept in the System it must be printable with all its
//! fields and bound. The PDF has
//!
//! - a cover (bìa và trang đầu): the organisation in the letterhead position, `SỔ ĐĂNG KÝ VĂN
//!   BẢN ĐI`, the year, the date range, the number range of each book, the volume number;
//! - one section per book (sổ), starting on a new page: a table with the decree's ten column
//!   headings and their numbers `(1)` … `(10)`, both repeated at the top of every page, and one
//!   row per number given out, in number order. A voided number keeps its row, with `Hủy số:`
//!   and the reason in Ghi chú; a number reserved but not yet issued says so.
//!
//! Pages are landscape A4 (297 × 210 mm) with a 30 mm binding margin on the left.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

use crate::compose::{Block, Composed, Content, Meta, Role, Run, Table};
use crate::diag::FieldPath;
use crate::layout::style::{PageGeometry, mm};
use crate::render::pdf::{PdfError, PdfOptions, PdfOutput, render};

use super::key::{Book, NumberKey, NumberState, Org, Year};
use super::numbering::NumberRecord;
use super::outgoing::{DECREE_COLUMNS, OutgoingEntry};
use super::short_date;

/// Landscape A4 with a binding margin: 297 × 210 mm, margins 20 mm top and bottom, 30 mm left,
/// 15 mm right (FORMAT.md §2's portrait margins turned with the page).
pub const LANDSCAPE_A4: PageGeometry = PageGeometry {
    width: mm(297.0),
    height: mm(210.0),
    top: mm(20.0),
    bottom: mm(20.0),
    left: mm(30.0),
    right: mm(15.0),
    page_number_baseline: mm(12.0),
    left_column: 0.40,
};

/// Relative widths of the ten columns (the trích yếu widest, the counts narrowest).
const WIDTHS: [f32; 10] = [26.0, 20.0, 58.0, 26.0, 34.0, 26.0, 13.0, 18.0, 16.0, 25.0];

/// What the cover says about the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Tên cơ quan, tổ chức cấp trên (chủ quản), if any: first header line.
    pub parent_name: Option<String>,
    /// Tên cơ quan, tổ chức: the full name printed on the cover (the register's org code when
    /// the caller has nothing better).
    pub org_name: String,
    /// Quyển số: the volume number of the bound book.
    pub volume: u32,
}

impl Cover {
    /// A cover naming the organisation by its code, volume 1.
    pub fn plain(org: &Org) -> Self {
        Cover {
            parent_name: None,
            org_name: org.to_string(),
            volume: 1,
        }
    }
}

/// Lay out and write the outgoing register of one organisation and year as PDF.
///
/// `numbers` are the year's numbers in any state ([`super::numbering::numbers`]) and `entries`
/// the issued rows ([`super::outgoing::entries`]); `created` is written as the PDF's creation
/// date (the caller's clock). Fails only when a text holds a character the fonts lack, naming
/// the cell (`books[b].rows[r][c]`).
pub fn outgoing_pdf(
    cover: &Cover,
    org: &Org,
    year: Year,
    numbers: &[NumberRecord],
    entries: &[OutgoingEntry],
    created: OffsetDateTime,
) -> Result<PdfOutput, PdfError> {
    let composed = outgoing_document(cover, org, year, numbers, entries);
    let options = PdfOptions {
        created: Some(created),
        geometry: LANDSCAPE_A4,
        ..PdfOptions::default()
    };
    render(&composed, &options)
}

/// The register as composed blocks: the cover, then one section per book.
pub fn outgoing_document(
    cover: &Cover,
    org: &Org,
    year: Year,
    numbers: &[NumberRecord],
    entries: &[OutgoingEntry],
) -> Composed {
    let by_key: HashMap<&NumberKey, &OutgoingEntry> =
        entries.iter().map(|entry| (&entry.key, entry)).collect();
    let mut books: BTreeMap<&Book, Vec<&NumberRecord>> = BTreeMap::new();
    for record in numbers {
        books.entry(&record.key.book).or_default().push(record);
    }
    let mut blocks = cover_blocks(cover, year, &books, entries);
    for (index, (book, records)) in books.iter().enumerate() {
        let origin = FieldPath::root().field("books").index(index);
        let heading = format!("SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year} – SỔ {book}");
        blocks.push(block(Role::AppendixHeading, &heading, origin.clone()));
        blocks.push(Block {
            role: Role::Table,
            content: Content::Table(book_table(records, &by_key)),
            origin,
        });
    }
    Composed {
        meta: Meta {
            title: format!("Sổ đăng ký văn bản đi năm {year}"),
            author: cover.org_name.clone(),
            subject: format!("Sổ đăng ký văn bản đi năm {year} của {org}"),
            date: None,
            number: None,
            kind: "so_dang_ky_van_ban_di".to_owned(),
        },
        blocks,
    }
}

fn cover_blocks(
    cover: &Cover,
    year: Year,
    books: &BTreeMap<&Book, Vec<&NumberRecord>>,
    entries: &[OutgoingEntry],
) -> Vec<Block> {
    let root = FieldPath::root().field("cover");
    let mut blocks = Vec::new();
    if let Some(parent) = &cover.parent_name {
        blocks.push(block(
            Role::ParentName,
            &parent.to_uppercase(),
            root.clone(),
        ));
    }
    blocks.push(block(
        Role::IssuerName,
        &cover.org_name.to_uppercase(),
        root.clone(),
    ));
    blocks.push(block(Role::TypeName, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", root.clone()));
    let mut lines = vec![format!("Năm: {year}")];
    let first = entries.iter().map(|entry| entry.document_date).min();
    let last = entries.iter().map(|entry| entry.document_date).max();
    if let (Some(first), Some(last)) = (first, last) {
        lines.push(format!(
            "Từ ngày {} đến ngày {}",
            short_date(first),
            short_date(last)
        ));
    }
    for (book, records) in books {
        let low = records.iter().map(|record| record.key.number).min();
        let high = records.iter().map(|record| record.key.number).max();
        if let (Some(low), Some(high)) = (low, high) {
            lines.push(format!(
                "Sổ {book}: từ số {} đến số {}",
                crate::text::number_word(low),
                crate::text::number_word(high)
            ));
        }
    }
    lines.push(format!(
        "Quyển số: {}",
        crate::text::number_word(cover.volume)
    ));
    for line in lines {
        blocks.push(block(Role::PartLabel, &line, root.clone()));
    }
    blocks
}

fn book_table(records: &[&NumberRecord], by_key: &HashMap<&NumberKey, &OutgoingEntry>) -> Table {
    let headings = DECREE_COLUMNS.iter().map(|heading| runs(heading)).collect();
    let numbers = (1..=DECREE_COLUMNS.len())
        .map(|column| runs(&format!("({column})")))
        .collect();
    let rows = records
        .iter()
        .map(|record| {
            let cells = match by_key.get(&record.key) {
                Some(entry) => issued_cells(entry),
                None => pending_cells(record),
            };
            cells.iter().map(|cell| runs(cell)).collect()
        })
        .collect();
    Table {
        widths: WIDTHS.to_vec(),
        header: vec![headings, numbers],
        rows,
    }
}

fn issued_cells(entry: &OutgoingEntry) -> [String; 10] {
    [
        entry.number_symbol(),
        short_date(entry.document_date),
        entry.type_and_summary.clone(),
        entry.signer.clone(),
        entry.recipients.clone(),
        entry.archive_holder.clone(),
        entry.copies.to_string(),
        entry.delivered_on.map(short_date).unwrap_or_default(),
        entry.receipt.clone().unwrap_or_default(),
        entry.note.clone().unwrap_or_default(),
    ]
}

fn pending_cells(record: &NumberRecord) -> [String; 10] {
    let note = match (record.state, &record.void_reason) {
        (NumberState::Voided, Some(reason)) => format!("Hủy số: {reason}"),
        (NumberState::Voided, None) => "Hủy số".to_owned(),
        _ => "Đã lấy số, chưa ban hành".to_owned(),
    };
    let mut cells: [String; 10] = Default::default();
    cells[0] = record.key.word();
    cells[9] = note;
    cells
}

fn runs(text: &str) -> Vec<Run> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Run::plain(text)]
    }
}

fn block(role: Role, text: &str, origin: FieldPath) -> Block {
    Block {
        role,
        content: Content::Text(vec![Run::plain(text)]),
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landscape_text_width_is_252_mm() {
        assert!((LANDSCAPE_A4.text_width() - mm(252.0)).abs() < 0.01);
        assert!(LANDSCAPE_A4.width > LANDSCAPE_A4.height);
    }
}

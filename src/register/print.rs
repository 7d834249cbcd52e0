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
//!
//! The incoming register prints the same way ([`incoming_pdf`]) with the decree's ten columns
//! of the sổ đăng ký văn bản đến (Phụ lục IV, mục VI); the columns the System does not hold
//! (Đơn vị hoặc người nhận, Ngày chuyển, Ký nhận) stay blank for the văn thư to fill by hand,
//! and Ghi chú carries the signature check's verdict.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

use crate::compose::{Block, Composed, Content, Meta, Role, Run, Table};
use crate::diag::FieldPath;
use crate::layout::style::{PageGeometry, mm};
use crate::render::pdf::{PdfError, PdfOptions, PdfOutput, render};

use super::incoming::IncomingEntry;
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

/// The decree's column headings of the incoming register (Phụ lục IV, mục VI), in order.
pub const INCOMING_COLUMNS: [&str; 10] = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
];

/// Relative widths of the incoming register's columns.
const INCOMING_WIDTHS: [f32; 10] = [18.0, 13.0, 30.0, 26.0, 18.0, 56.0, 28.0, 16.0, 14.0, 30.0];

/// Relative widths of the ten columns (the trích yếu widest, the counts narrowest).
const WIDTHS: [f32; 10] = [24.0, 18.0, 56.0, 24.0, 32.0, 24.0, 12.0, 16.0, 14.0, 32.0];

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
    render(&composed, &landscape(created))
}

/// Lay out and write the incoming register (sổ đăng ký văn bản đến) of one organisation and
/// year as PDF: the cover, then one table per book with the decree's ten columns.
pub fn incoming_pdf(
    cover: &Cover,
    org: &Org,
    year: Year,
    entries: &[IncomingEntry],
    created: OffsetDateTime,
) -> Result<PdfOutput, PdfError> {
    let composed = incoming_document(cover, org, year, entries);
    render(&composed, &landscape(created))
}

/// The incoming register as composed blocks.
pub fn incoming_document(
    cover: &Cover,
    org: &Org,
    year: Year,
    entries: &[IncomingEntry],
) -> Composed {
    let mut books: BTreeMap<&Book, Vec<&IncomingEntry>> = BTreeMap::new();
    for entry in entries {
        books.entry(&entry.key.book).or_default().push(entry);
    }
    let ranges = books
        .iter()
        .map(|(book, rows)| (*book, rows.iter().map(|entry| entry.key.number).collect()))
        .collect();
    let dates: Vec<_> = entries
        .iter()
        .map(|entry| entry.receipt.received_on)
        .collect();
    let title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN";
    let mut blocks = cover_blocks(cover, title, year, &ranges, &dates);
    for (index, (book, rows)) in books.iter().enumerate() {
        let cells = rows.iter().map(|entry| incoming_cells(entry)).collect();
        let table = BookTable {
            columns: &INCOMING_COLUMNS,
            widths: &INCOMING_WIDTHS,
            rows: cells,
        };
        book_section(&mut blocks, title, year, book, index, table);
    }
    composed(
        blocks,
        "Sổ đăng ký văn bản đến",
        "so_dang_ky_van_ban_den",
        cover,
        org,
        year,
    )
}

fn landscape(created: OffsetDateTime) -> PdfOptions {
    PdfOptions {
        created: Some(created),
        geometry: LANDSCAPE_A4,
        ..PdfOptions::default()
    }
}

fn composed(
    blocks: Vec<Block>,
    name: &str,
    kind: &str,
    cover: &Cover,
    org: &Org,
    year: Year,
) -> Composed {
    Composed {
        meta: Meta {
            title: format!("{name} năm {year}"),
            author: cover.org_name.clone(),
            subject: format!("{name} năm {year} của {org}"),
            date: None,
            number: None,
            kind: kind.to_owned(),
        },
        blocks,
    }
}

/// The columns and rows of one book.
struct BookTable<'a> {
    columns: &'a [&'a str],
    widths: &'a [f32],
    rows: Vec<[String; 10]>,
}

/// One book: a heading starting a new page, then the table with the headings and their
/// numbers `(1)` … `(n)` as header rows (repeated on every page).
fn book_section(
    blocks: &mut Vec<Block>,
    title: &str,
    year: Year,
    book: &Book,
    index: usize,
    table: BookTable<'_>,
) {
    let origin = FieldPath::root().field("books").index(index);
    let heading = format!("{title} NĂM {year} – SỔ {book}");
    blocks.push(block(Role::AppendixHeading, &heading, origin.clone()));
    let headings = table.columns.iter().map(|heading| runs(heading)).collect();
    let numbers = (1..=table.columns.len())
        .map(|column| runs(&format!("({column})")))
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|cells| cells.iter().map(|cell| runs(cell)).collect())
        .collect();
    blocks.push(Block {
        role: Role::Table,
        content: Content::Table(Table {
            widths: table.widths.to_vec(),
            header: vec![headings, numbers],
            rows,
        }),
        origin,
    });
}

fn incoming_cells(entry: &IncomingEntry) -> [String; 10] {
    let receipt = &entry.receipt;
    let mut cells: [String; 10] = Default::default();
    cells[0] = short_date(receipt.received_on);
    cells[1] = entry.key.word();
    cells[2] = receipt.sender.clone();
    cells[3] = receipt.number_symbol.clone();
    cells[4] = receipt.document_date.map(short_date).unwrap_or_default();
    cells[5] = receipt.summary.clone();
    cells[9] = format!("Kiểm tra chữ ký: {}", receipt.verdict);
    cells
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
    let ranges = books
        .iter()
        .map(|(book, records)| {
            (
                *book,
                records.iter().map(|record| record.key.number).collect(),
            )
        })
        .collect();
    let dates: Vec<_> = entries.iter().map(|entry| entry.document_date).collect();
    let title = "SỔ ĐĂNG KÝ VĂN BẢN ĐI";
    let mut blocks = cover_blocks(cover, title, year, &ranges, &dates);
    for (index, (book, records)) in books.iter().enumerate() {
        let cells = records
            .iter()
            .map(|record| match by_key.get(&record.key) {
                Some(entry) => issued_cells(entry),
                None => pending_cells(record),
            })
            .collect();
        let table = BookTable {
            columns: &DECREE_COLUMNS,
            widths: &WIDTHS,
            rows: cells,
        };
        book_section(&mut blocks, title, year, book, index, table);
    }
    composed(
        blocks,
        "Sổ đăng ký văn bản đi",
        "so_dang_ky_van_ban_di",
        cover,
        org,
        year,
    )
}

/// The cover: the organisation in the letterhead position, the title, the year, the date
/// range, each book's number range and the volume.
fn cover_blocks(
    cover: &Cover,
    title: &str,
    year: Year,
    books: &BTreeMap<&Book, Vec<u32>>,
    dates: &[time::Date],
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
    blocks.push(block(Role::TypeName, title, root.clone()));
    let mut lines = vec![format!("Năm: {year}")];
    if let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) {
        lines.push(format!(
            "Từ ngày {} đến ngày {}",
            short_date(*first),
            short_date(*last)
        ));
    }
    for (book, numbers) in books {
        if let (Some(low), Some(high)) = (numbers.iter().min(), numbers.iter().max()) {
            lines.push(format!(
                "Sổ {book}: từ số {} đến số {}",
                crate::text::number_word(*low),
                crate::text::number_word(*high)
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
    }

    #[test]
    fn one_section_per_book_with_numbered_headings_and_every_number() {
        let org = Org::new("CĐN").unwrap();
        let year = Year::new(2025).unwrap();
        let record = |book: &str, number: u32, state: NumberState| NumberRecord {
            key: NumberKey {
                org: org.clone(),
                book: Book::new(book).unwrap(),
                year,
                number,
            },
            state,
            reserved_at: "2025-03-05T01:00:00.000000Z".to_owned(),
            reserved_by: "văn thư".to_owned(),
            void_reason: (state == NumberState::Voided).then(|| "Sai thể thức".to_owned()),
            voided_at: None,
            voided_by: None,
        };
        let numbers = [
            record("QĐ", 1, NumberState::Reserved),
            record("QĐ", 2, NumberState::Voided),
            record("mật", 1, NumberState::Reserved),
        ];
        let composed = outgoing_document(&Cover::plain(&org), &org, year, &numbers, &[]);
        let regions = composed.regions();
        assert_eq!(regions.appendices.len(), 2, "one section per book");
        let tables: Vec<&Table> = composed
            .blocks
            .iter()
            .filter_map(|block| match &block.content {
                Content::Table(table) => Some(table),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2);
        let text = |cell: &Vec<Run>| crate::compose::runs_text(cell);
        assert_eq!(tables[0].header.len(), 2);
        assert_eq!(text(&tables[0].header[0][2]), DECREE_COLUMNS[2]);
        assert_eq!(text(&tables[0].header[1][9]), "(10)");
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(text(&tables[0].rows[1][0]), "02");
        assert_eq!(text(&tables[0].rows[1][9]), "Hủy số: Sai thể thức");
        assert_eq!(tables[1].rows.len(), 1);
    }
}

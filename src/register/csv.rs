//! CSV exports of the registers, for Excel and LibreOffice.
//!
//! UTF-8 with a byte-order mark (without it Excel reads the file as the local ANSI code page and
//! "Trích yếu" comes out as mojibake), CRLF line ends and RFC 4180 quoting. A cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) gets a leading `'`.

use std::collections::HashMap;

use super::incoming::{self, IncomingEntry};
use super::key::{NumberKey, NumberState};
use super::numbering::NumberRecord;
use super::outgoing::{DECREE_COLUMNS, OutgoingEntry};
use super::short_date;

/// The byte-order mark that starts every export.
pub const BOM: &str = "\u{feff}";

/// Columns after the decree's ten in the outgoing export.
pub const EXTRA_COLUMNS: [&str; 4] = [
    "SHA-256 của tệp đã ký",
    "Mã định danh văn bản",
    "Sổ",
    "Trạng thái",
];

/// The outgoing register (sổ đăng ký văn bản đi) as CSV: one row per number in any state, so a
/// voided number stays visible with its reason in Ghi chú.
pub fn outgoing(numbers: &[NumberRecord], entries: &[OutgoingEntry]) -> String {
    let by_key: HashMap<&NumberKey, &OutgoingEntry> =
        entries.iter().map(|entry| (&entry.key, entry)).collect();
    let mut out = String::from(BOM);
    let header: Vec<&str> = DECREE_COLUMNS
        .iter()
        .chain(EXTRA_COLUMNS.iter())
        .copied()
        .collect();
    push_row(&mut out, &header);
    for record in numbers {
        let row = match by_key.get(&record.key) {
            Some(entry) => issued_row(record, entry),
            None => pending_row(record),
        };
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        push_row(&mut out, &cells);
    }
    out
}

/// The incoming register (sổ văn bản đến) as CSV.
pub fn incoming(entries: &[IncomingEntry]) -> String {
    let mut out = String::from(BOM);
    let mut header: Vec<&str> = incoming::COLUMNS.to_vec();
    header.push("Sổ");
    push_row(&mut out, &header);
    for entry in entries {
        let receipt = &entry.receipt;
        let row = [
            entry.key.word(),
            short_date(receipt.received_on),
            receipt.sender.clone(),
            receipt.number_symbol.clone(),
            receipt.document_date.map(short_date).unwrap_or_default(),
            receipt.summary.clone(),
            receipt.verdict.clone(),
            receipt.file_sha256.hex(),
            entry.recorded_by.clone(),
            entry.key.book.to_string(),
        ];
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        push_row(&mut out, &cells);
    }
    out
}

fn issued_row(record: &NumberRecord, entry: &OutgoingEntry) -> [String; 14] {
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
        entry.file_sha256.hex(),
        entry.document_id.clone(),
        record.key.book.to_string(),
        record.state.word().to_owned(),
    ]
}

fn pending_row(record: &NumberRecord) -> [String; 14] {
    let note = match (record.state, &record.void_reason) {
        (NumberState::Voided, Some(reason)) => format!("Hủy số: {reason}"),
        (NumberState::Voided, None) => "Hủy số".to_owned(),
        _ => "Đã lấy số, chưa ban hành".to_owned(),
    };
    let mut row: [String; 14] = Default::default();
    row[0] = format!("{}/", record.key.word());
    row[9] = note;
    row[12] = record.key.book.to_string();
    row[13] = record.state.word().to_owned();
    row
}

fn push_row(out: &mut String, cells: &[&str]) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

fn push_cell(out: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@']);
    let quote = formula || cell.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        let mut out = String::new();
        push_row(&mut out, &["Đồng ý, \"gấp\"", "=1+1", "ệ"]);
        assert_eq!(out, "\"Đồng ý, \"\"gấp\"\"\",\"'=1+1\",ệ\r\n");
    }
}

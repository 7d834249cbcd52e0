//! Values that cannot be wrong once built: the issue date, the symbol, section numbers.
//!
//! Each type is made only by its `parse` (or a generator), so later stages never re-check.

use std::fmt;

use crate::text;

/// Ngày ban hành: a real calendar date (ô 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not written `yyyy-mm-dd`.
    #[error("not written yyyy-mm-dd")]
    Malformed,
    /// Written right but no such day exists (30 February, month 13).
    #[error("no such day in the calendar")]
    Impossible,
}

impl IssueDate {
    /// Read an ISO date `yyyy-mm-dd`, refusing days that do not exist.
    pub fn parse(text: &str) -> Result<IssueDate, DateError> {
        let mut parts = text.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Malformed);
        };
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return Err(DateError::Malformed);
        }
        let year: u16 = y.parse().map_err(|_| DateError::Malformed)?;
        let month: u8 = m.parse().map_err(|_| DateError::Malformed)?;
        let day: u8 = d.parse().map_err(|_| DateError::Malformed)?;
        IssueDate::new(year, month, day).ok_or(DateError::Impossible)
    }

    /// A date from its parts, when the day exists (years 1900–2999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<IssueDate> {
        let ok = (1900..=2999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then_some(IssueDate { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day, 1–31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// "ngày 05 tháng 3 năm 2020" (FORMAT.md §3.4).
    pub fn words(&self) -> String {
        text::date_words(self.day, self.month, self.year)
    }
}

impl fmt::Display for IssueDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Ký hiệu: groups joined by hyphens, `KH-CĐN`, `TLĐ-TOC`, `QĐ-TLĐ` (FORMAT.md §3.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Symbol {
    groups: Vec<String>,
}

/// Why a symbol was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    /// Nothing written.
    #[error("empty symbol")]
    Empty,
    /// A group between hyphens is empty (`KH--CĐN`).
    #[error("empty group between hyphens")]
    EmptyGroup,
    /// A character that does not belong in a symbol.
    #[error("character {0:?} does not belong in a symbol")]
    BadChar(char),
}

impl Symbol {
    /// Read a symbol. Spaces around hyphens are dropped (`KH - CĐTKV` reads as `KH-CĐTKV`);
    /// the caller can tell by comparing [`Symbol::is_canonical_form`].
    pub fn parse(text: &str) -> Result<Symbol, SymbolError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SymbolError::Empty);
        }
        let mut groups = Vec::new();
        for group in text.split('-') {
            let group = group.trim();
            if group.is_empty() {
                return Err(SymbolError::EmptyGroup);
            }
            if let Some(bad) = group.chars().find(|c| !symbol_char(*c)) {
                return Err(SymbolError::BadChar(bad));
            }
            groups.push(group.to_owned());
        }
        Ok(Symbol { groups })
    }

    /// A symbol from groups already checked by the caller (kind and issuer abbreviations).
    pub fn from_groups(groups: &[&str]) -> Result<Symbol, SymbolError> {
        Symbol::parse(&groups.join("-"))
    }

    /// The groups: `["KH", "CĐN"]`.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// True when `written` is exactly this symbol's canonical text (no stray spaces).
    pub fn is_canonical_form(&self, written: &str) -> bool {
        self.to_string() == written
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.groups.join("-"))
    }
}

fn symbol_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '&' | '.' | '_')
}

/// A section number as shown: Roman (mục, phần, chương), Arabic with its dotted path
/// (khoản `1.`, `2.1.`; điều `1`; mục of structure A `1`), or a letter (điểm `a)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionNumber {
    /// I, II, III …
    Roman(u32),
    /// 1; 2.1; 2.1.3 (never empty).
    Arabic(Vec<u32>),
    /// The 0-based index into the Vietnamese letter order: 0 = a, 4 = đ.
    Letter(usize),
}

impl SectionNumber {
    /// Read a literal number: "IV.", "IV", "2.1.", "3", "a)", "đ", "Điều 3", "Phần II", "Mục 2".
    pub fn parse(text: &str) -> Option<SectionNumber> {
        let mut text = text.trim();
        for prefix in ["Phần", "Chương", "Mục", "Điều", "Khoản", "Điểm"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.trim_start();
            }
        }
        let text = text.trim_end_matches(['.', ')']);
        if text.is_empty() {
            return None;
        }
        if let Some(value) = text::parse_roman(text) {
            return Some(SectionNumber::Roman(value));
        }
        if let Some(index) = letter_index(text) {
            return Some(SectionNumber::Letter(index));
        }
        let parts: Option<Vec<u32>> = text
            .split('.')
            .map(|part| {
                let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
                digits.then(|| part.parse().ok()).flatten()
            })
            .collect();
        parts.filter(|p| !p.is_empty()).map(SectionNumber::Arabic)
    }

    /// The number that follows this one at the same level.
    pub fn next(&self) -> SectionNumber {
        match self {
            SectionNumber::Roman(n) => SectionNumber::Roman(n.saturating_add(1)),
            SectionNumber::Letter(i) => SectionNumber::Letter(i.saturating_add(1)),
            SectionNumber::Arabic(parts) => {
                let mut parts = parts.clone();
                if let Some(last) = parts.last_mut() {
                    *last = last.saturating_add(1);
                }
                SectionNumber::Arabic(parts)
            }
        }
    }

    /// The bare number: "IV", "2.1", "a".
    pub fn bare(&self) -> String {
        match self {
            SectionNumber::Roman(n) => text::roman(*n),
            SectionNumber::Letter(i) => text::point_letter(*i),
            SectionNumber::Arabic(parts) => parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("."),
        }
    }

    /// As written before a heading or paragraph: "IV.", "2.1.", "a)".
    pub fn label(&self) -> String {
        match self {
            SectionNumber::Letter(_) => format!("{})", self.bare()),
            _ => format!("{}.", self.bare()),
        }
    }

    /// True for Roman numerals.
    pub fn is_roman(&self) -> bool {
        matches!(self, SectionNumber::Roman(_))
    }
}

impl fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

fn letter_index(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    let letter = first.to_string();
    let index = text::POINT_LETTERS.iter().position(|l| *l == letter)?;
    let repeat = text.chars().count();
    (text.chars().all(|c| c == first) && repeat <= 4)
        .then_some(index + (repeat - 1) * text::POINT_LETTERS.len())
}

/// Độ mật (ô 10a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Secrecy {
    /// MẬT
    Mat,
    /// TỐI MẬT
    ToiMat,
    /// TUYỆT MẬT
    TuyetMat,
}

impl Secrecy {
    /// The stamp text.
    pub fn text(&self) -> &'static str {
        match self {
            Secrecy::Mat => "MẬT",
            Secrecy::ToiMat => "TỐI MẬT",
            Secrecy::TuyetMat => "TUYỆT MẬT",
        }
    }
}

/// Độ khẩn (ô 10b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Urgency {
    /// KHẨN
    Khan,
    /// THƯỢNG KHẨN
    ThuongKhan,
    /// HỎA TỐC
    HoaToc,
}

impl Urgency {
    /// The stamp text.
    pub fn text(&self) -> &'static str {
        match self {
            Urgency::Khan => "KHẨN",
            Urgency::ThuongKhan => "THƯỢNG KHẨN",
            Urgency::HoaToc => "HỎA TỐC",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            IssueDate::parse("2020-03-20").map(|d| d.words()),
            Ok("ngày 20 tháng 3 năm 2020".into())
        );
        assert_eq!(IssueDate::parse("2024-02-29").map(|d| d.day()), Ok(29));
        assert_eq!(IssueDate::parse("2023-02-29"), Err(DateError::Impossible));
        assert_eq!(IssueDate::parse("2020-13-01"), Err(DateError::Impossible));
        assert_eq!(IssueDate::parse("20/3/2020"), Err(DateError::Malformed));
        assert_eq!(IssueDate::parse("2020-3-20"), Err(DateError::Malformed));
    }

    #[test]
    fn symbols_keep_groups() {
        let symbol = Symbol::parse("KH - CĐTKV").expect("spaces are tolerated");
        assert_eq!(symbol.groups(), ["KH", "CĐTKV"]);
        assert!(!symbol.is_canonical_form("KH - CĐTKV"));
        assert!(symbol.is_canonical_form("KH-CĐTKV"));
        assert_eq!(Symbol::parse("KH--CĐN"), Err(SymbolError::EmptyGroup));
        assert_eq!(Symbol::parse("KH/CĐN"), Err(SymbolError::BadChar('/')));
        assert_eq!(
            Symbol::parse("QĐ-TLĐ").map(|s| s.to_string()),
            Ok("QĐ-TLĐ".into())
        );
    }

    #[test]
    fn section_numbers_read_every_style() {
        assert_eq!(SectionNumber::parse("IV."), Some(SectionNumber::Roman(4)));
        assert_eq!(
            SectionNumber::parse("2.1."),
            Some(SectionNumber::Arabic(vec![2, 1]))
        );
        assert_eq!(
            SectionNumber::parse("Điều 12"),
            Some(SectionNumber::Arabic(vec![12]))
        );
        assert_eq!(SectionNumber::parse("đ)"), Some(SectionNumber::Letter(4)));
        assert_eq!(SectionNumber::parse("x.y"), None);
        assert_eq!(SectionNumber::Roman(2).next().label(), "III.");
        assert_eq!(SectionNumber::Arabic(vec![2, 4]).next().label(), "2.5.");
        assert_eq!(SectionNumber::Letter(3).next().label(), "đ)");
    }
}

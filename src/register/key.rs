//! The register's small value types, parsed once at the edge (STYLE.md habit 1).
//!
//! An [`Org`] (cơ quan, tổ chức ban hành), a [`Book`] (sổ: the single sequence, one per kind of
//! document, or a separate series such as secret documents), a [`Year`] and a number make a
//! [`NumberKey`]: the identity of one number in the register.

use std::fmt;

use crate::text;

use super::RegisterError;

/// Longest organisation, book or actor name accepted, in characters.
///
/// The decree's metadata caps OrganId at 13 characters and the symbol at 30 (Phụ lục VI);
/// 64 leaves room for readable book names ("Hội đồng thi đua – khen thưởng") without letting a
/// caller store kilobytes in a key column.
pub const MAX_NAME_CHARS: usize = 64;

/// Longest free text (void reason, trích yếu, recipients) accepted, in characters.
///
/// Phụ lục VI caps the trích yếu (Subject) at 500 characters and OrganName at 200; a recipient
/// list of a few dozen units stays under 2,000.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Mã cơ quan, tổ chức: the organisation that numbers and issues (e.g. `CĐN`, `TLĐ`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Org(String);

/// Sổ: one numbering sequence of an organisation, e.g. `chung` (one sequence for all kinds),
/// `QĐ` (one per kind), `mật` (the separate series for secret documents, Điều 15 khoản 3), or an
/// advisory body's own series (`HĐTĐKT`). The incoming register has its own books too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Book(String);

/// The person or process acting (người thực hiện): a user name, or `cli:…` for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(String);

macro_rules! name_type {
    ($type:ident, $field:literal) => {
        impl $type {
            /// Parse a name: NFC, trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control
            /// characters.
            pub fn new(value: &str) -> Result<Self, RegisterError> {
                checked_name($field, value).map($type)
            }

            /// The name as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(Org, "org");
name_type!(Book, "book");
name_type!(Actor, "actor");

/// A calendar year of the register: numbers restart at 01 on 1 January (Điều 15 khoản 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

impl Year {
    /// A year between 1900 and 9999.
    pub fn new(year: i64) -> Result<Self, RegisterError> {
        match i32::try_from(year) {
            Ok(value) if (1900..=9999).contains(&value) => Ok(Year(value)),
            _ => Err(RegisterError::YearOutOfRange { year }),
        }
    }

    /// The register year a date falls in (the date of issue, ngày ban hành).
    pub fn of(date: time::Date) -> Result<Self, RegisterError> {
        Year::new(i64::from(date.year()))
    }

    /// The year as a number.
    pub fn value(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which register a counter serves: sổ đăng ký văn bản đi or sổ văn bản đến.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sổ văn bản đến: numbers given to documents received.
    Incoming,
    /// Sổ đăng ký văn bản đi: numbers given to documents issued.
    Outgoing,
}

impl Direction {
    /// The code stored in the `direction` column.
    pub fn code(self) -> &'static str {
        match self {
            Direction::Incoming => "in",
            Direction::Outgoing => "out",
        }
    }
}

/// Which counter a key belongs to, for messages (`sổ đi`, `sổ đến`).
impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Incoming => "sổ đến",
            Direction::Outgoing => "sổ đi",
        })
    }
}

/// One number of the register: (org, book, year, number). Displayed `CĐN/chung/2025/05`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NumberKey {
    /// The organisation.
    pub org: Org,
    /// The book (sổ).
    pub book: Book,
    /// The calendar year.
    pub year: Year,
    /// The number, from 1.
    pub number: u32,
}

impl NumberKey {
    /// The number as written on the document: `01` … `09`, `10`, `115` (FORMAT.md §3.3).
    pub fn word(&self) -> String {
        text::number_word(self.number)
    }
}

impl fmt::Display for NumberKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.org,
            self.book,
            self.year,
            self.word()
        )
    }
}

/// Where a number is in its life: reserved (đã lấy số), issued (đã ban hành) or voided (đã hủy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberState {
    /// Given out by the counter, not yet on an issued document.
    Reserved,
    /// On an issued document, with its row in the outgoing register.
    Issued,
    /// Reserved and then not used: stays on record with the reason, never given again.
    Voided,
}

impl NumberState {
    /// The code stored in the `state` column.
    pub fn code(self) -> &'static str {
        match self {
            NumberState::Reserved => "reserved",
            NumberState::Issued => "issued",
            NumberState::Voided => "voided",
        }
    }

    /// Parse a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "reserved" => Some(NumberState::Reserved),
            "issued" => Some(NumberState::Issued),
            "voided" => Some(NumberState::Voided),
            _ => None,
        }
    }

    /// The Vietnamese word for the state, as the register lists it.
    pub fn word(self) -> &'static str {
        match self {
            NumberState::Reserved => "đã lấy số",
            NumberState::Issued => "đã ban hành",
            NumberState::Voided => "đã hủy",
        }
    }
}

impl fmt::Display for NumberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A SHA-256 digest, shown and stored as 64 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn digest(bytes: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        Sha256(out)
    }

    /// Parse 64 hex digits (either case).
    pub fn from_hex(field: &'static str, hex: &str) -> Result<Self, RegisterError> {
        let invalid = || RegisterError::InvalidField {
            field,
            problem: "cần đúng 64 chữ số thập lục phân (SHA-256)".to_owned(),
        };
        if hex.len() != 64 {
            return Err(invalid());
        }
        let mut out = [0u8; 32];
        for (index, pair) in hex.as_bytes().chunks(2).enumerate() {
            let high = hex_value(pair[0]).ok_or_else(invalid)?;
            let low = hex_value(pair[1]).ok_or_else(invalid)?;
            out[index] = high << 4 | low;
        }
        Ok(Sha256(out))
    }

    /// Lower-case hex.
    pub fn hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

/// Check free text: NFC, trimmed, non-empty, at most `max` characters, no control characters
/// other than line breaks.
pub(crate) fn checked_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, RegisterError> {
    let value = text::nfc(value.trim());
    let problem = if value.is_empty() {
        Some("không được để trống".to_owned())
    } else if value.chars().count() > max {
        Some(format!("dài quá {max} ký tự"))
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Some("chứa ký tự điều khiển".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => Err(RegisterError::InvalidField { field, problem }),
        None => Ok(value),
    }
}

fn checked_name(field: &'static str, value: &str) -> Result<String, RegisterError> {
    let value = checked_text(field, value, MAX_NAME_CHARS)?;
    if value.chars().any(char::is_control) {
        return Err(RegisterError::InvalidField {
            field,
            problem: "chứa ký tự điều khiển".to_owned(),
        });
    }
    Ok(value)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_nfc_and_trimmed() {
        let decomposed = "Co\u{302}\u{301}ng đoàn";
        let org = Org::new(&format!("  {decomposed} ")).unwrap();
        assert_eq!(org.as_str(), "Công đoàn".replace("ô", "ố"));
        assert!(Org::new("   ").is_err());
        assert!(Book::new("a\u{0}b").is_err());
        assert!(Book::new(&"ữ".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn key_displays_number_word() {
        let key = NumberKey {
            org: Org::new("CĐN").unwrap(),
            book: Book::new("chung").unwrap(),
            year: Year::new(2025).unwrap(),
            number: 5,
        };
        assert_eq!(key.to_string(), "CĐN/chung/2025/05");
    }

    #[test]
    fn sha256_round_trips_hex() {
        let digest = Sha256::digest(b"abc");
        assert_eq!(
            digest.hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Sha256::from_hex("sha256", &digest.hex()).unwrap(), digest);
        assert!(Sha256::from_hex("sha256", "zz").is_err());
    }

    #[test]
    fn years_are_bounded() {
        assert!(Year::new(1899).is_err());
        assert!(Year::new(i64::MAX).is_err());
        assert_eq!(Year::new(2026).unwrap().value(), 2026);
    }
}

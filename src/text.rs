//! Vietnamese text: NFC normalisation, upper-casing, and the date words of ô 4.
//!
//! All text entering vanban is normalised to NFC (precomposed: "ệ" is one code point), because
//! the fonts carry precomposed glyphs and the renderers do no mark positioning (FORMAT.md §2).

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// The text in NFC form.
pub fn nfc(text: &str) -> String {
    if is_nfc(text) {
        text.to_owned()
    } else {
        text.nfc().collect()
    }
}

/// True when the text is already NFC.
pub fn is_normalized(text: &str) -> bool {
    is_nfc(text)
}

/// Unicode-aware upper case ("đ" → "Đ", "ư" → "Ư"), re-normalised to NFC.
pub fn upper(text: &str) -> String {
    nfc(&text.to_uppercase())
}

/// The letters used for điểm (points) in Vietnamese order (FORMAT.md §3.7):
/// a b c d đ e g h i k l m n o p q r s t u v x y.
pub const POINT_LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// The letter of the `index`-th point (0-based), continuing `aa`, `bb`… past `y`.
pub fn point_letter(index: usize) -> String {
    let letter = POINT_LETTERS[index % POINT_LETTERS.len()];
    letter.repeat(index / POINT_LETTERS.len() + 1)
}

/// Upper-case Roman numeral of `n` (1-based; 0 gives an empty string).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// The value of an upper-case Roman numeral, or `None` when it is not a canonical one.
pub fn parse_roman(text: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut previous = 0u32;
    for c in text.chars().rev() {
        let value = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        };
        if value < previous {
            total = total.checked_sub(value)?;
        } else {
            total = total.checked_add(value)?;
            previous = value;
        }
    }
    (total > 0 && roman(total) == text).then_some(total)
}

/// Day and month as ô 4 writes them: day 1–9 with a leading zero, month 1 and 2 with a
/// leading zero, months 3–12 without (FORMAT.md §3.4).
pub fn date_words(day: u8, month: u8, year: u16) -> String {
    format!(
        "ngày {} tháng {} năm {year}",
        day_word(day),
        month_word(month)
    )
}

/// The day as ô 4 writes it: `05`, `20`.
pub fn day_word(day: u8) -> String {
    format!("{day:02}")
}

/// The month as ô 4 writes it: `01`, `02`, `3` … `12`.
pub fn month_word(month: u8) -> String {
    if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

/// A document number as the register writes it: below 10 with a leading zero (FORMAT.md §3.3).
pub fn number_word(number: u32) -> String {
    format!("{number:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_vietnamese() {
        let decomposed = "Vie\u{0302}\u{0323}t Nam \u{0110}o\u{0302}\u{0300}ng";
        assert!(!is_normalized(decomposed));
        assert_eq!(nfc(decomposed), "Việt Nam Đồng");
        assert!(is_normalized(&nfc(decomposed)));
    }

    #[test]
    fn upper_handles_d_and_horn() {
        assert_eq!(upper("đổi mới ư ữ ệ"), "ĐỔI MỚI Ư Ữ Ệ");
    }

    #[test]
    fn date_words_follow_format_3_4() {
        assert_eq!(date_words(5, 1, 2020), "ngày 05 tháng 01 năm 2020");
        assert_eq!(date_words(20, 3, 2020), "ngày 20 tháng 3 năm 2020");
        assert_eq!(date_words(2, 2, 2025), "ngày 02 tháng 02 năm 2025");
        assert_eq!(date_words(10, 11, 2025), "ngày 10 tháng 11 năm 2025");
    }

    #[test]
    fn roman_round_trips() {
        for n in 1..=60 {
            assert_eq!(parse_roman(&roman(n)), Some(n));
        }
        assert_eq!(roman(4), "IV");
        assert_eq!(parse_roman("IIII"), None);
        assert_eq!(parse_roman("IL"), None);
    }

    #[test]
    fn points_follow_vietnamese_order() {
        let letters: Vec<String> = (0..6).map(point_letter).collect();
        assert_eq!(letters, ["a", "b", "c", "d", "đ", "e"]);
        assert_eq!(point_letter(23), "aa");
        assert_eq!(number_word(1), "01");
        assert_eq!(number_word(115), "115");
    }
}

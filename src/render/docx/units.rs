//! Unit conversions between PDF points (the style table's unit) and OOXML's units.

/// Points to twentieths of a point (twips, "dxa"): page geometry, indents, spacing.
pub fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Points to non-negative twips, for widths.
pub fn twips_u(pt: f32) -> usize {
    twips(pt).max(0) as usize
}

/// Points to half-points: font sizes (`w:sz`).
pub fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(1.0) as usize
}

/// Points to eighths of a point: border widths (`w:sz` of a border).
pub fn eighths(pt: f32) -> usize {
    (pt * 8.0).round().max(2.0) as usize
}

/// Points to English Metric Units (12,700 per point): drawing sizes and offsets.
pub fn emu(pt: f32) -> i64 {
    (f64::from(pt) * 12_700.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::mm;

    #[test]
    fn a4_in_twips_and_emu() {
        assert_eq!(twips(mm(210.0)), 11906);
        assert_eq!(twips(mm(297.0)), 16838);
        assert_eq!(half_points(13.0), 26);
        assert_eq!(eighths(0.5), 4);
        assert_eq!(emu(mm(10.0)), 360_000);
    }
}

//! Limits on untrusted input, and budgets on the work done with it.
//!
//! Every number here bounds something an attacker or a careless user controls. Each one
//! says why it has the value it has (STYLE.md habit 2, after webpki's `Budget`). Running out
//! of a budget is a named error in the stage that draws on it, never a panic or a hang.

/// Largest document data file (YAML or JSON) accepted: 4 MiB.
///
/// The longest seed is 18 KB of text; a plan with a 500-row award list is under 200 KB.
/// 4 MiB leaves twenty times that and still parses in milliseconds.
pub const MAX_DATA_BYTES: usize = 4 * 1024 * 1024;

/// Deepest nesting of maps and lists in document data: 64.
///
/// The deepest real structure (Phần › Chương › Mục › Điều › Khoản › Điểm › bullet › sub-bullet)
/// plus the YAML wrapping around it is under 25 levels; 64 stops stack exhaustion from
/// 10,000-deep inputs long before the recursion in serde or in our walkers gets deep.
pub const MAX_DATA_DEPTH: usize = 64;

/// Most body nodes (sections, paragraphs, bullets, table rows) in one document: 20,000.
///
/// A 100-page plan has about 2,000; the limit keeps layout time bounded (well under a second).
pub const MAX_NODES: usize = 20_000;

/// Longest single text field, in bytes: 64 KiB (a very long paragraph is 3 KB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Largest PDF or DOCX accepted for signing or verification: 64 MiB.
///
/// Official documents with scanned appendices reach 10–20 MB; the benchmark uses 10 MB.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Largest image (signature, seal) accepted: 4 MiB, and 4,000 pixels on a side.
///
/// A seal scanned at 600 dpi is about 1,000 pixels across.
pub const MAX_IMAGE_BYTES: usize = 4 * 1024 * 1024;
/// See [`MAX_IMAGE_BYTES`].
pub const MAX_IMAGE_SIDE: u32 = 4_000;

/// Largest template source (one file in `templates/` or an override directory): 256 KiB.
pub const MAX_TEMPLATE_BYTES: usize = 256 * 1024;

/// A countdown for work done on untrusted input.
///
/// Each expensive step calls [`Budget::spend`]; when the budget reaches zero the step fails
/// with the name of what ran out.
#[derive(Debug, Clone)]
pub struct Budget {
    left: u64,
    what: &'static str,
}

/// The named budget ran out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("work budget exhausted: {what}")]
pub struct BudgetExhausted {
    /// What was being counted (`pdf objects`, `path building`…).
    pub what: &'static str,
}

impl Budget {
    /// A budget of `units` for the work named `what`.
    pub fn new(what: &'static str, units: u64) -> Self {
        Budget { left: units, what }
    }

    /// Spend `units`; fails once the budget is gone.
    pub fn spend(&mut self, units: u64) -> Result<(), BudgetExhausted> {
        self.left = self
            .left
            .checked_sub(units)
            .ok_or(BudgetExhausted { what: self.what })?;
        Ok(())
    }

    /// Units left.
    pub fn left(&self) -> u64 {
        self.left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_runs_out_by_name() {
        let mut budget = Budget::new("test steps", 2);
        assert!(budget.spend(1).is_ok());
        assert!(budget.spend(1).is_ok());
        assert_eq!(budget.spend(1), Err(BudgetExhausted { what: "test steps" }));
    }
}

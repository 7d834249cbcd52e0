//! Facts derived from the model that templates print as given: list punctuation, the Lưu
//! line. Kept here, not in templates, so every template punctuates the same way.

use crate::diag::FieldPath;
use crate::model::{Document, Inline};

impl Document {
    /// Nơi nhận lines: "- name (purpose);". Every line ends ";" when a Lưu line follows
    /// (FORMAT.md §3.10); without one the last ends ".".
    pub fn recipient_lines(&self) -> Vec<(FieldPath, String)> {
        let count = self.recipients.len();
        self.recipients
            .iter()
            .enumerate()
            .map(|(index, recipient)| {
                let end = if index + 1 == count && self.archive.is_none() {
                    "."
                } else {
                    ";"
                };
                let purpose = recipient
                    .purpose
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                let line = format!("- {}{purpose}{end}", recipient.name);
                (FieldPath::new("recipients").index(index), line)
            })
            .collect()
    }

    /// "- Lưu: VT, Ban CSPL (02)." when there is an archive entry.
    pub fn archive_line(&self) -> Option<String> {
        let archive = self.archive.as_ref()?;
        let units = archive
            .units
            .iter()
            .map(|u| u.trim_end_matches(['.', ';', ',']))
            .collect::<Vec<_>>()
            .join(", ");
        let copies = archive
            .copies
            .map(|c| format!(" ({})", crate::text::number_word(c)))
            .unwrap_or_default();
        Some(format!("- Lưu: {units}{copies}."))
    }

    /// Căn cứ lines, each ending ";" and the last "." (FORMAT.md §3.6).
    pub fn basis_lines(&self) -> Vec<(FieldPath, Inline)> {
        list_punctuated(&self.bases.items, "can_cu.items")
    }

    /// Kính gửi lines of a list: each ending ";" and the last "."; a single recipient as is.
    pub fn kinh_gui_lines(&self) -> Vec<(FieldPath, Inline)> {
        if self.kinh_gui.len() == 1 {
            let only = self.kinh_gui[0].trim_end_matches(&[';', '.']);
            return vec![(FieldPath::new("kinh_gui").index(0), only)];
        }
        list_punctuated(&self.kinh_gui, "kinh_gui")
    }
}

fn list_punctuated(items: &[Inline], field: &str) -> Vec<(FieldPath, Inline)> {
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let end = if index + 1 == count { "." } else { ";" };
            let line = item.trim_end_matches(&[';', '.', ',']).with_suffix(end);
            (FieldPath::new(field).index(index), line)
        })
        .collect()
}

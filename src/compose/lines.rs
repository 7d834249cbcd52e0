//! The block line format that templates emit, read into [`Block`]s.
//!
//! One block per line:
//!
//! ```text
//! @role origin | text with **bold**, *italic*, and slots [[number:36]] [[day:]]
//! @table body[3]
//! @sign_space signature
//! ```
//!
//! `role` is a [`Role`] in snake case; `origin` the field path the block came from (optional);
//! the text after the first ` | ` is markup read strictly: `**` toggles bold, `*` italic, `\x`
//! is a literal `x`, `[[kind:value]]` is a fillable slot (`number`, `day`, `month`, `year`).
//! `@table` takes its content from the model node at `origin`; `@sign_space` is
//! [`Content::Space`]. Blank lines are ignored. Anything else is a diagnostic naming the
//! template and the output line.

use crate::compose::blocks::{Block, Content, Role, Run, SlotKind, Table};
use crate::diag::{Diagnostic, Diagnostics, FieldPath, Origin};
use crate::model::{Document, Inline, NodeContent, TableData};
use crate::text;

/// Every role by its name in the line format (the serde name of [`Role`]).
pub const ROLES: &[(&str, Role)] = &[
    ("parent_name", Role::ParentName),
    ("issuer_name", Role::IssuerName),
    ("national_name", Role::NationalName),
    ("motto", Role::Motto),
    ("number", Role::Number),
    ("place_date", Role::PlaceDate),
    ("summary", Role::Summary),
    ("secrecy", Role::Secrecy),
    ("urgency", Role::Urgency),
    ("circulation", Role::Circulation),
    ("type_name", Role::TypeName),
    ("title", Role::Title),
    ("authority_line", Role::AuthorityLine),
    ("kinh_gui", Role::KinhGui),
    ("kinh_gui_item", Role::KinhGuiItem),
    ("basis", Role::Basis),
    ("decision_word", Role::DecisionWord),
    ("paragraph", Role::Paragraph),
    ("bullet", Role::Bullet),
    ("part_label", Role::PartLabel),
    ("part_title", Role::PartTitle),
    ("article", Role::Article),
    ("heading1", Role::Heading1),
    ("heading2", Role::Heading2),
    ("heading3", Role::Heading3),
    ("numbered_paragraph", Role::NumberedParagraph),
    ("table", Role::Table),
    ("closing", Role::Closing),
    ("recipients_heading", Role::RecipientsHeading),
    ("recipient", Role::Recipient),
    ("drafter_mark", Role::DrafterMark),
    ("sign_authority", Role::SignAuthority),
    ("sign_title", Role::SignTitle),
    ("sign_space", Role::SignSpace),
    ("sign_other_title", Role::SignOtherTitle),
    ("sign_name", Role::SignName),
    ("copy_mark", Role::CopyMark),
    ("address", Role::Address),
    ("appendix_label", Role::AppendixLabel),
    ("appendix_heading", Role::AppendixHeading),
    ("appendix_title", Role::AppendixTitle),
    ("appendix_note", Role::AppendixNote),
];

/// Read the rendered output of `template` into blocks.
pub fn read(output: &str, template: &str, doc: &Document) -> Result<Vec<Block>, Diagnostics> {
    let mut blocks = Vec::new();
    let mut problems = Diagnostics::default();
    for (index, line) in output.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match read_line(line, doc) {
            Ok(block) => blocks.push(block),
            Err(message) => problems.push(Diagnostic::error(
                "template-output",
                Origin::Line {
                    source: format!("{template} (output)"),
                    line: index + 1,
                },
                format!("{message}: {line:?}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(blocks)
    } else {
        Err(problems)
    }
}

fn read_line(line: &str, doc: &Document) -> Result<Block, String> {
    let Some(line) = line.strip_prefix('@') else {
        return Err("a block line starts with @role".into());
    };
    let (head, text) = match line.split_once(" | ") {
        Some((head, text)) => (head, Some(text)),
        None => (line.strip_suffix(" |").unwrap_or(line), None),
    };
    let mut words = head.split_whitespace();
    let name = words.next().unwrap_or_default();
    let origin = FieldPath::new(words.next().unwrap_or_default());
    if words.next().is_some() {
        return Err("expected `@role path | text`".into());
    }
    let role = ROLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, role)| *role)
        .ok_or_else(|| format!("unknown role `{name}`"))?;
    let content = match (role, text) {
        (Role::Table, _) => Content::Table(table_at(doc, &origin)?),
        (Role::SignSpace, _) => Content::Space,
        (_, Some(text)) => Content::Text(runs(text)?),
        (_, None) => Content::Text(Vec::new()),
    };
    Ok(Block {
        role,
        content,
        origin,
    })
}

fn table_at(doc: &Document, origin: &FieldPath) -> Result<Table, String> {
    match doc.node_at(origin.as_str()).map(|node| &node.content) {
        Some(NodeContent::Table(table)) => Ok(table_blocks(table)),
        _ => Err(format!("no table at `{origin}`")),
    }
}

/// A model table as block table cells.
pub fn table_blocks(table: &TableData) -> Table {
    let cells = |rows: &[Vec<Inline>]| -> Vec<Vec<Vec<Run>>> {
        rows.iter()
            .map(|row| row.iter().map(inline_runs).collect())
            .collect()
    };
    Table {
        widths: table.widths.clone(),
        header: cells(&table.header),
        rows: cells(&table.rows),
    }
}

/// The runs of model text.
pub fn inline_runs(inline: &Inline) -> Vec<Run> {
    inline
        .spans()
        .iter()
        .map(|span| Run {
            text: span.text.clone(),
            bold: span.bold,
            italic: span.italic,
            slot: None,
        })
        .collect()
}

/// Read strict markup into runs.
pub fn runs(markup: &str) -> Result<Vec<Run>, String> {
    let mut reader = RunReader::default();
    let mut chars = markup.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => reader.text.push(next),
                None => return Err("a lone `\\` ends the line".into()),
            },
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                reader.flush();
                reader.bold = !reader.bold;
            }
            '*' => {
                reader.flush();
                reader.italic = !reader.italic;
            }
            '[' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some(']') if chars.peek() == Some(&']') => {
                            chars.next();
                            break;
                        }
                        Some(c) => inner.push(c),
                        None => return Err("a slot `[[` is not closed with `]]`".into()),
                    }
                }
                reader.slot(&inner)?;
            }
            c => reader.text.push(c),
        }
    }
    reader.flush();
    Ok(reader.runs)
}

#[derive(Default)]
struct RunReader {
    runs: Vec<Run>,
    text: String,
    bold: bool,
    italic: bool,
}

impl RunReader {
    fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = text::nfc(&std::mem::take(&mut self.text));
        if let Some(last) = self.runs.last_mut()
            && last.slot.is_none()
            && last.bold == self.bold
            && last.italic == self.italic
        {
            last.text.push_str(&text);
            return;
        }
        self.runs.push(Run {
            text,
            bold: self.bold,
            italic: self.italic,
            slot: None,
        });
    }

    fn slot(&mut self, inner: &str) -> Result<(), String> {
        self.flush();
        let (kind, value) = inner.split_once(':').unwrap_or((inner, ""));
        let slot = match kind.trim() {
            "number" => SlotKind::Number,
            "day" => SlotKind::Day,
            "month" => SlotKind::Month,
            "year" => SlotKind::Year,
            other => return Err(format!("unknown slot `{other}` (number, day, month, year)")),
        };
        self.runs.push(Run {
            text: text::nfc(value.trim()),
            bold: self.bold,
            italic: self.italic,
            slot: Some(slot),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_match_serde() {
        for (name, role) in ROLES {
            let serialized = serde_json::to_value(role).expect("role serializes");
            assert_eq!(serialized, serde_json::Value::String((*name).to_owned()));
        }
        // blocks.rs defines 42 roles; a new role needs its line in ROLES.
        assert_eq!(ROLES.len(), 42);
    }

    #[test]
    fn markup_becomes_runs_and_slots() {
        let runs = runs("Số: [[number:]]/KH-CĐN **đậm** \\*").expect("valid");
        assert_eq!(runs[0].text, "Số: ");
        assert_eq!(runs[1].slot, Some(SlotKind::Number));
        assert_eq!(runs[1].text, "");
        assert_eq!(runs[2].text, "/KH-CĐN ");
        assert!(runs[3].bold && runs[3].text == "đậm");
        assert_eq!(runs[4].text, " *");
        assert!(super::runs("[[dau:1]]").is_err());
        assert!(super::runs("[[day:1").is_err());
    }
}

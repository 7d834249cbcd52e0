//! The document model: văn bản as typed data.
//!
//! [`input`] is what users write (the contract, and the source of `vanban schema`).
//! [`parse::parse_document`] reads it into a [`Document`] whose parts cannot hold bad values:
//! an [`IssueDate`] is a real day, a [`Symbol`] has its groups, every body [`Node`] has its
//! generated or literal [`SectionNumber`] and the [`FieldPath`] it came from. Problems that do
//! not stop reading (a non-NFC string, an impossible date, a symbol with spaces) are kept as
//! [`Finding`]s for [`lint::lint`], which adds the FORMAT.md rules and reports everything.
//!
//! The model decides facts: numbers, date words, the symbol, punctuation of lists. Templates
//! decide which blocks appear and in what order ([`crate::compose`]); `layout::style` decides
//! looks.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::FieldPath;

mod build;
mod facts;
pub mod inline;
pub mod input;
mod input_de;
pub mod kind;
pub mod lint;
pub mod number;
mod numbering;
pub mod parse;
mod scan;

pub use inline::{Inline, Span};
pub use input::{BasesStyle, NumberingScheme};
pub use kind::{Kind, KindTable, SymbolScheme};
pub use lint::{Finding, Problem};
pub use number::{IssueDate, Secrecy, SectionNumber, Symbol, Urgency};

/// Quốc hiệu as the decree writes it (FORMAT.md §3.1).
pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ as the decree writes it (FORMAT.md §3.1).
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// One văn bản, validated.
#[derive(Debug, Clone)]
pub struct Document {
    /// Loại văn bản, resolved from the kinds table.
    pub kind: Kind,
    /// True for trade-union issuers (union template variants apply).
    pub union: bool,
    /// Quốc hiệu và Tiêu ngữ (ô 1).
    pub national: National,
    /// Tên cơ quan ban hành and its parent (ô 2).
    pub issuer: Issuer,
    /// Số, ký hiệu (ô 3).
    pub number: DocNumber,
    /// Địa danh (ô 4), with where it came from.
    pub place: Option<Sourced<String>>,
    /// Ngày ban hành (ô 4); none on a draft (or when the written date was refused).
    pub date: Option<IssueDate>,
    /// Trích yếu (ô 5).
    pub title: Inline,
    /// Độ mật (ô 10a).
    pub secrecy: Option<Secrecy>,
    /// Độ khẩn (ô 10b).
    pub urgency: Option<Urgency>,
    /// Chỉ dẫn phạm vi lưu hành (ô 11).
    pub circulation: Option<String>,
    /// Kính gửi (ô 9a).
    pub kinh_gui: Vec<Inline>,
    /// Authority line of a decision ("BAN THƯỜNG VỤ …").
    pub authority: Option<String>,
    /// Căn cứ.
    pub bases: Bases,
    /// Opening paragraph.
    pub opening: Option<Inline>,
    /// Nội dung (ô 6).
    pub body: Vec<Node>,
    /// Closing paragraphs.
    pub closing: Vec<Node>,
    /// Nơi nhận (ô 9b), without the Lưu line.
    pub recipients: Vec<Recipient>,
    /// The Lưu line.
    pub archive: Option<Archive>,
    /// Chữ ký block (ô 7, 8).
    pub signature: Option<Signature>,
    /// Ký hiệu người soạn thảo (ô 12).
    pub drafter_mark: Option<String>,
    /// Địa chỉ … (ô 13), with where it came from.
    pub address: Sourced<Vec<String>>,
    /// Phụ lục in the same file.
    pub appendices: Vec<Appendix>,
    /// Văn bản kèm theo in separate files.
    pub attachments: Vec<Attachment>,
    /// Where the data came from.
    pub source: SourceInfo,
    /// Problems noticed while reading that did not stop it; reported by [`lint::lint`].
    pub findings: Vec<Finding>,
    /// The kinds table the document was read with.
    pub kinds: Arc<KindTable>,
}

/// A value with the field path it came from (the document, or a profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from: `place`, or `profiles.cdn.place`.
    pub origin: FieldPath,
}

/// Quốc hiệu và Tiêu ngữ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct National {
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", unless overridden.
    pub name: String,
    /// "Độc lập - Tự do - Hạnh phúc", unless overridden.
    pub motto: String,
}

/// Tên cơ quan ban hành and its direct parent (ô 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// Parent name lines (not bold); empty when there is no parent.
    pub parent: Vec<String>,
    /// Issuer name lines (bold).
    pub name: Vec<String>,
    /// Abbreviation for symbols ("CĐN").
    pub abbr: Option<String>,
    /// The name as written in running text ("Công đoàn ngành Y tế").
    pub name_in_text: String,
    /// True when `name_in_text` was written (false: guessed from the upper-case name).
    pub name_in_text_written: bool,
    /// Where the issuer came from: `issuer` or `profiles.<name>.issuer`.
    pub origin: FieldPath,
}

/// Số, ký hiệu (ô 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// The register's sequence number; none on a draft.
    pub seq: Option<u32>,
    /// The symbol, written or derived; none when it could not be formed.
    pub symbol: Option<Symbol>,
    /// True when the symbol was written in the data (false: derived from kind and issuer).
    pub symbol_written: bool,
    /// Drafting unit for a Công văn symbol.
    pub unit: Option<String>,
}

impl DocNumber {
    /// The sequence number as printed: below 10 with a leading zero ("05", "36").
    pub fn seq_text(&self) -> Option<String> {
        self.seq.map(crate::text::number_word)
    }

    /// "36/KH-CĐN" when numbered and the symbol is known.
    pub fn full(&self) -> Option<String> {
        Some(format!("{}/{}", self.seq_text()?, self.symbol.as_ref()?))
    }
}

/// Căn cứ.
#[derive(Debug, Clone, PartialEq)]
pub struct Bases {
    /// How they are shown.
    pub style: BasesStyle,
    /// The bases as written.
    pub items: Vec<Inline>,
}

/// One node of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where it is in the data: `body[2].children[0]`.
    pub path: FieldPath,
    /// Its number, for numbered kinds of node.
    pub number: Option<NodeNumber>,
    /// What it is.
    pub content: NodeContent,
    /// Nested nodes.
    pub children: Vec<Node>,
}

/// The number of a node: what is shown, and what the structure expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeNumber {
    /// The number printed: the literal one when given (never silently renumbered).
    pub shown: SectionNumber,
    /// The number the structure gives at this place (follows the previous sibling).
    pub expected: SectionNumber,
    /// The number shown on the previous numbered sibling, if any.
    pub previous: Option<SectionNumber>,
    /// The literal as written in the data, when given.
    pub literal: Option<String>,
}

/// What a body node is (FORMAT.md §3.7, structures A and B).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeContent {
    /// Phần: "Phần I" over its title.
    Part {
        /// Title.
        title: Inline,
    },
    /// Chương: "Chương I" over its title.
    Chapter {
        /// Title.
        title: Inline,
    },
    /// Mục of structure A: "Mục 1" over its title.
    Division {
        /// Title.
        title: Inline,
    },
    /// Điều: "Điều 1. Title".
    Article {
        /// Title after the number.
        title: Option<Inline>,
        /// Text of an article without khoản.
        text: Option<Inline>,
    },
    /// A titled heading of structure B (level 1 "I.", 2 "1.", 3 "2.1.").
    Section {
        /// Title.
        title: Inline,
        /// 1, 2, 3… from the numbering.
        level: u8,
    },
    /// A numbered paragraph (khoản without title).
    Item {
        /// Text.
        text: Inline,
        /// Level from the numbering.
        level: u8,
    },
    /// Điểm: "a) …".
    Point {
        /// Text.
        text: Inline,
    },
    /// "- …" or "+ …".
    Bullet {
        /// The marker.
        marker: BulletMarker,
        /// Text.
        text: Inline,
    },
    /// A plain paragraph.
    Para {
        /// Text.
        text: Inline,
    },
    /// A table.
    Table(TableData),
}

/// A bullet's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulletMarker {
    /// "-"
    Dash,
    /// "+"
    Plus,
}

impl BulletMarker {
    /// The marker character as text.
    pub fn text(&self) -> &'static str {
        match self {
            BulletMarker::Dash => "-",
            BulletMarker::Plus => "+",
        }
    }
}

/// A table, rectangular.
#[derive(Debug, Clone, PartialEq)]
pub struct TableData {
    /// Caption above the table.
    pub caption: Option<Inline>,
    /// Relative column widths summing to 1, one per column.
    pub widths: Vec<f32>,
    /// Header rows.
    pub header: Vec<Vec<Inline>>,
    /// Body rows.
    pub rows: Vec<Vec<Inline>>,
}

/// One Nơi nhận line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Name ("Ban Thường vụ LĐLĐ tỉnh").
    pub name: String,
    /// Purpose suffix ("b/c").
    pub purpose: Option<String>,
}

/// The Lưu line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// Units keeping a copy ("VT" first).
    pub units: Vec<String>,
    /// Number of archive copies.
    pub copies: Option<u32>,
}

/// The signature block (ô 7, 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Authority lines, exactly as given.
    pub authority: Vec<String>,
    /// The signer's title.
    pub title: Option<String>,
    /// Another office of the signer.
    pub other_title: Option<String>,
    /// Họ tên.
    pub name: String,
    /// Signature image, resolved against the data (or profiles) file.
    pub image: Option<PathBuf>,
    /// Seal image, resolved likewise.
    pub seal: Option<PathBuf>,
    /// Copy mark such as "(Đã ký)".
    pub copy_mark: Option<String>,
    /// Where it came from: `signature` or `profiles.<name>.signers[0]`.
    pub origin: FieldPath,
}

/// A phụ lục in the same file.
#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    /// Where it is: `appendices[0]`.
    pub path: FieldPath,
    /// "Phụ lục I", "Phụ lục"; none for an unlabelled attached outline.
    pub label: Option<String>,
    /// Heading in the type-name position.
    pub heading: Option<String>,
    /// Title.
    pub title: Option<Inline>,
    /// The "(Kèm theo …)" line, written or generated.
    pub note: String,
    /// True when the note was written in the data.
    pub note_written: bool,
    /// Content.
    pub body: Vec<Node>,
}

/// A văn bản kèm theo in a separate file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// What it is.
    pub title: String,
    /// Its file, resolved against the data file.
    pub file: Option<PathBuf>,
}

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// The data file.
    pub path: PathBuf,
    /// The profile used, if any.
    pub profile: Option<String>,
    /// Drafting units of the profile (abbreviation → name), for Công văn symbols.
    pub units: BTreeMap<String, String>,
    /// The profile's numbering scheme.
    pub numbering: NumberingScheme,
}

impl Document {
    /// Every node of the body, closing and appendices, depth first, in reading order.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let tops = self
            .body
            .iter()
            .chain(&self.closing)
            .chain(self.appendices.iter().flat_map(|a| &a.body));
        for node in tops {
            collect(node, &mut out);
        }
        out
    }

    /// The node at `path`, if any (`appendices[0].body[1]`).
    pub fn node_at(&self, path: &str) -> Option<&Node> {
        self.nodes()
            .into_iter()
            .find(|node| node.path.as_str() == path)
    }
}

fn collect<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    out.push(node);
    for child in &node.children {
        collect(child, out);
    }
}

impl Node {
    /// The node's own text (title or paragraph), for searches such as appendix mentions.
    pub fn text(&self) -> String {
        match &self.content {
            NodeContent::Part { title }
            | NodeContent::Chapter { title }
            | NodeContent::Division { title }
            | NodeContent::Section { title, .. } => title.text(),
            NodeContent::Article { title, text } => [title, text]
                .iter()
                .filter_map(|t| t.as_ref().map(Inline::text))
                .collect::<Vec<_>>()
                .join(" "),
            NodeContent::Item { text, .. }
            | NodeContent::Point { text }
            | NodeContent::Bullet { text, .. }
            | NodeContent::Para { text } => text.text(),
            NodeContent::Table(table) => table
                .header
                .iter()
                .chain(&table.rows)
                .flatten()
                .map(Inline::text)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

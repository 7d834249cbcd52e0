//! Composed blocks: the format-neutral output of the templates.
//!
//! A template turns a [`crate::model::Document`] into a flat list of [`Block`]s in reading
//! order. Each block has a [`Role`] (what it is in the decree's terms), its text as styled
//! [`Run`]s (or a table), and the [`FieldPath`] it came from, so that a missing glyph or an
//! overflowing line reports the field the user must change. Where a block goes on the page and
//! how it looks is decided by the role, in one place ([`crate::layout::style`]) that both the
//! PDF and the DOCX renderers read; [`Composed::regions`] groups the blocks into the page
//! regions of FORMAT.md §4.1 for both.

use serde::Serialize;

use crate::diag::FieldPath;

/// The composed document: metadata plus blocks in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Composed {
    /// Document properties (PDF XMP and Info, DOCX core properties).
    pub meta: Meta,
    /// All blocks, in reading order.
    pub blocks: Vec<Block>,
}

/// Document properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Trích yếu: the document title in PDF/DOCX properties.
    pub title: String,
    /// The issuer's name: the author.
    pub author: String,
    /// Type name and trích yếu: "Kế hoạch về …".
    pub subject: String,
    /// Ngày ban hành as ISO `yyyy-mm-dd`, when issued.
    pub date: Option<String>,
    /// "36/KH-CĐN", when numbered.
    pub number: Option<String>,
    /// Kind key (`ke_hoach`).
    pub kind: String,
}

/// One block: a paragraph-like unit with a role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// What the block is.
    pub role: Role,
    /// Text or table.
    pub content: Content,
    /// The input field it came from.
    pub origin: FieldPath,
}

/// What a block holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// Styled text runs making one paragraph.
    Text(Vec<Run>),
    /// A table.
    Table(Table),
    /// Nothing but the space the role reserves (the signature space between title and name).
    Space,
}

/// A run of text with one style, possibly a fillable slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    /// The text (NFC).
    pub text: String,
    /// Bold on top of the role's style.
    pub bold: bool,
    /// Italic on top of the role's style.
    pub italic: bool,
    /// When set, this run is a form field the văn thư fills at issue time; `text` is its
    /// current value (empty on a draft).
    pub slot: Option<SlotKind>,
}

impl Run {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
            slot: None,
        }
    }
}

/// The fields the văn thư fills after the leader has signed (FORMAT.md §5.3 design a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// The number in "Số: 36/KH-CĐN".
    Number,
    /// The day in "ngày 20".
    Day,
    /// The month in "tháng 3".
    Month,
    /// The year in "năm 2020".
    Year,
}

/// A table: header rows are repeated on every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Relative column widths, one per column (normalised to sum 1).
    pub widths: Vec<f32>,
    /// Header rows.
    pub header: Vec<Vec<Vec<Run>>>,
    /// Body rows.
    pub rows: Vec<Vec<Vec<Run>>>,
}

/// What a block is, in the decree's terms. The role decides region, font size, weight,
/// alignment and spacing (FORMAT.md §3.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Tên cơ quan chủ quản (ô 2, first lines, not bold).
    ParentName,
    /// Tên cơ quan ban hành (ô 2, bold, short rule below the last one).
    IssuerName,
    /// Quốc hiệu (ô 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    NationalName,
    /// Tiêu ngữ (ô 1): "Độc lập - Tự do - Hạnh phúc", rule as long as the text below.
    Motto,
    /// Số, ký hiệu (ô 3).
    Number,
    /// Địa danh và thời gian (ô 4), same baseline as ô 3.
    PlaceDate,
    /// Trích yếu of a Công văn (ô 5b): "V/v …" under the number.
    Summary,
    /// Độ mật stamp (ô 10a).
    Secrecy,
    /// Độ khẩn stamp (ô 10b), red frame.
    Urgency,
    /// Chỉ dẫn phạm vi lưu hành (ô 11), framed, in the top band.
    Circulation,
    /// Tên loại (ô 5a): "KẾ HOẠCH".
    TypeName,
    /// Trích yếu (ô 5a), bold, rule below the last line.
    Title,
    /// The authority line of a Quyết định ("BAN THƯỜNG VỤ CÔNG ĐOÀN …").
    AuthorityLine,
    /// "Kính gửi: X" on one line, or the "Kính gửi:" heading of a list (ô 9a).
    KinhGui,
    /// One "- recipient;" line of a Kính gửi list, dashes aligned under the colon.
    KinhGuiItem,
    /// One căn cứ line, italic.
    Basis,
    /// "QUYẾT ĐỊNH:" (or another decision word) centred bold.
    DecisionWord,
    /// A body paragraph, justified, first-line indent.
    Paragraph,
    /// A bullet paragraph ("- …", "+ …").
    Bullet,
    /// "Phần I", "Chương I", "Mục 1": label line, centred bold.
    PartLabel,
    /// The title line under a part label, centred bold upper case.
    PartTitle,
    /// "Điều 1. …", bold, first-line indent.
    Article,
    /// Structure B level 1: "I. MỤC ĐÍCH, YÊU CẦU", bold.
    Heading1,
    /// Structure B level 2: "1. Mục đích", bold.
    Heading2,
    /// Structure B level 3: "2.1. …", bold italic.
    Heading3,
    /// A numbered paragraph without title ("1. …", khoản; "a) …", điểm): regular.
    NumberedParagraph,
    /// A table.
    Table,
    /// A closing paragraph (after the body, before the signature row).
    Closing,
    /// "Nơi nhận:" (ô 9b), 12 pt bold italic, level with the first authority line.
    RecipientsHeading,
    /// One Nơi nhận line (11 pt), including the Lưu line.
    Recipient,
    /// Ký hiệu người soạn thảo (ô 12) at the end of Nơi nhận.
    DrafterMark,
    /// An authority line of the signature block: "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH".
    SignAuthority,
    /// The signer's title: "PHÓ CHỦ TỊCH".
    SignTitle,
    /// The space for the signature image and seal (ô 7c, ô 8).
    SignSpace,
    /// Another office of the signer, above the name.
    SignOtherTitle,
    /// Họ tên of the signer.
    SignName,
    /// A copy mark such as "(Đã ký)".
    CopyMark,
    /// Địa chỉ … (ô 13), page 1 only, under a full-width rule.
    Address,
    /// "Phụ lục I": starts an appendix on a new page.
    AppendixLabel,
    /// The appendix heading in the type-name position ("ĐỀ CƯƠNG BÁO CÁO").
    AppendixHeading,
    /// The appendix title, upper case bold.
    AppendixTitle,
    /// "(Kèm theo Kế hoạch số … của …)", italic, short rule below.
    AppendixNote,
}

/// The blocks of a document grouped by page region (FORMAT.md §4.1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Regions<'a> {
    /// Top band: circulation note (ô 11).
    pub top_band: Vec<&'a Block>,
    /// Header row 1, left: parent and issuer (ô 2).
    pub issuer: Vec<&'a Block>,
    /// Header row 1, right: Quốc hiệu and Tiêu ngữ (ô 1).
    pub national: Vec<&'a Block>,
    /// Header row 2, left: number (ô 3), then V/v (ô 5b).
    pub number: Vec<&'a Block>,
    /// Header row 2, right: place and date (ô 4).
    pub place_date: Vec<&'a Block>,
    /// Stamps under the header, left (ô 10a, 10b).
    pub stamps: Vec<&'a Block>,
    /// Everything from the type name to the closing paragraphs, in order.
    pub main: Vec<&'a Block>,
    /// Signature row, left: Nơi nhận and the drafter mark (ô 9b, 12).
    pub recipients: Vec<&'a Block>,
    /// Signature row, right: authority, title, space, name (ô 7, 8).
    pub signature: Vec<&'a Block>,
    /// Page-1 footer (ô 13).
    pub address: Vec<&'a Block>,
    /// Appendices, each from its label (or heading) on.
    pub appendices: Vec<Vec<&'a Block>>,
}

impl Composed {
    /// Group the blocks into page regions. Blocks after the first appendix label belong to
    /// appendices; an appendix starts at each `AppendixLabel`, or at an `AppendixHeading` not
    /// preceded by a label.
    pub fn regions(&self) -> Regions<'_> {
        let mut regions = Regions::default();
        let mut previous: Option<Role> = None;
        for block in &self.blocks {
            let starts_appendix = block.role == Role::AppendixLabel
                || (block.role == Role::AppendixHeading && previous != Some(Role::AppendixLabel));
            if starts_appendix {
                regions.appendices.push(Vec::new());
            }
            if let Some(appendix) = regions.appendices.last_mut() {
                appendix.push(block);
            } else {
                regions.slot_for(block.role).push(block);
            }
            previous = Some(block.role);
        }
        regions
    }

    /// All text of the document in reading order, one entry per paragraph or table cell
    /// (for extraction checks against `pdftotext` and python-docx).
    pub fn texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for block in &self.blocks {
            match &block.content {
                Content::Text(runs) => out.push(runs_text(runs)),
                Content::Table(table) => {
                    for row in table.header.iter().chain(&table.rows) {
                        out.extend(row.iter().map(|cell| runs_text(cell)));
                    }
                }
                Content::Space => {}
            }
        }
        out
    }
}

impl<'a> Regions<'a> {
    fn slot_for(&mut self, role: Role) -> &mut Vec<&'a Block> {
        match role {
            Role::Circulation => &mut self.top_band,
            Role::ParentName | Role::IssuerName => &mut self.issuer,
            Role::NationalName | Role::Motto => &mut self.national,
            Role::Number | Role::Summary => &mut self.number,
            Role::PlaceDate => &mut self.place_date,
            Role::Secrecy | Role::Urgency => &mut self.stamps,
            Role::RecipientsHeading | Role::Recipient | Role::DrafterMark => &mut self.recipients,
            Role::SignAuthority
            | Role::SignTitle
            | Role::SignSpace
            | Role::SignOtherTitle
            | Role::SignName
            | Role::CopyMark => &mut self.signature,
            Role::Address => &mut self.address,
            _ => &mut self.main,
        }
    }
}

/// The concatenated text of runs.
pub fn runs_text(runs: &[Run]) -> String {
    runs.iter().map(|run| run.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(role: Role, text: &str) -> Block {
        Block {
            role,
            content: Content::Text(vec![Run::plain(text)]),
            origin: FieldPath::root(),
        }
    }

    #[test]
    fn regions_follow_roles_and_appendices() {
        let composed = Composed {
            meta: Meta {
                title: "t".into(),
                author: "a".into(),
                subject: "s".into(),
                date: None,
                number: None,
                kind: "ke_hoach".into(),
            },
            blocks: vec![
                block(Role::IssuerName, "CÔNG ĐOÀN NGÀNH Y TẾ"),
                block(Role::NationalName, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                block(Role::TypeName, "KẾ HOẠCH"),
                block(Role::Paragraph, "Nội dung"),
                block(Role::RecipientsHeading, "Nơi nhận:"),
                block(Role::SignName, "Nguyễn Văn A"),
                block(Role::AppendixLabel, "Phụ lục I"),
                block(Role::AppendixTitle, "DANH SÁCH"),
                block(Role::AppendixHeading, "ĐỀ CƯƠNG"),
            ],
        };
        let regions = composed.regions();
        assert_eq!(regions.issuer.len(), 1);
        assert_eq!(regions.national.len(), 1);
        assert_eq!(regions.main.len(), 2);
        assert_eq!(regions.recipients.len(), 1);
        assert_eq!(regions.signature.len(), 1);
        assert_eq!(regions.appendices.len(), 2);
        assert_eq!(regions.appendices[0].len(), 2);
        assert_eq!(composed.texts().len(), 9);
    }
}

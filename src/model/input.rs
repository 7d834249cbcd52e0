//! The input format: what office staff write, in YAML or JSON.
//!
//! These types are the contract with users and the source of `vanban schema`. They are
//! deliberately loose where users are loose (a name may be one string or several lines) and
//! strict where mistakes matter (`deny_unknown_fields` everywhere, so a misspelt key is an
//! error at its path, not silently ignored). [`super::parse`] turns them into the validated
//! [`super::Document`]; nothing downstream reads these types.
//!
//! Inline emphasis inside any text: `**đậm**` for bold, `*nghiêng*` for italic.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One document as the user writes it (văn bản).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// Loại văn bản: a key of the kinds table (`ke_hoach`, `quyet_dinh`, `bao_cao`, `to_trinh`,
    /// `cong_van`, `thong_bao`, `huong_dan`, `chuong_trinh`, `giay_moi`, …).
    pub kind: String,
    /// Hồ sơ cơ quan: the organisation profile that supplies issuer, place, symbol and signer
    /// defaults, so a clerk never retypes a letterhead.
    #[serde(default)]
    pub profile: Option<String>,
    /// Tên cơ quan ban hành (ô 2), with its direct parent. Taken from the profile when absent.
    #[serde(default)]
    pub issuer: Option<IssuerInput>,
    /// Số, ký hiệu (ô 3). The number stays empty until the văn thư issues the document.
    #[serde(default)]
    pub number: NumberInput,
    /// Địa danh (ô 4): "Đồng Nai", "Thành phố Hồ Chí Minh". Taken from the profile when absent.
    #[serde(default)]
    pub place: Option<String>,
    /// Ngày ban hành (ô 4), ISO `yyyy-mm-dd`; empty until issued.
    #[serde(default)]
    pub date: Option<String>,
    /// Trích yếu (ô 5): the one-line summary under the type name. For a Công văn, the text
    /// after "V/v ".
    pub title: String,
    /// Độ mật (ô 10a).
    #[serde(default)]
    pub secrecy: Option<SecrecyInput>,
    /// Độ khẩn (ô 10b).
    #[serde(default)]
    pub urgency: Option<UrgencyInput>,
    /// Chỉ dẫn phạm vi lưu hành (ô 11): "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI".
    #[serde(default)]
    pub circulation: Option<String>,
    /// Kính gửi (ô 9a): recipients addressed at the top (Tờ trình, Báo cáo, Công văn).
    #[serde(default)]
    pub kinh_gui: Vec<String>,
    /// The authority line of a Quyết định under the trích yếu ("BAN THƯỜNG VỤ CÔNG ĐOÀN …").
    #[serde(default)]
    pub authority: Option<String>,
    /// Căn cứ: legal bases.
    #[serde(default)]
    pub can_cu: BasesInput,
    /// Opening paragraph ("Thực hiện …, … như sau:").
    #[serde(default)]
    pub opening: Option<String>,
    /// Nội dung (ô 6): the body.
    #[serde(default)]
    pub body: Vec<NodeInput>,
    /// Closing paragraphs; the last one ends with "./.".
    #[serde(default)]
    pub closing: Vec<NodeInput>,
    /// Nơi nhận (ô 9b), without the Lưu line.
    #[serde(default)]
    pub recipients: Vec<RecipientInput>,
    /// The "- Lưu: VT, …." line of Nơi nhận.
    #[serde(default)]
    pub archive: Option<ArchiveInput>,
    /// Chức vụ, họ tên, chữ ký (ô 7) and where the signature image and seal go (ô 8).
    #[serde(default)]
    pub signature: Option<SignatureInput>,
    /// Ký hiệu người soạn thảo và số lượng bản (ô 12), e.g. "PL.(300)".
    #[serde(default)]
    pub drafter_mark: Option<String>,
    /// Địa chỉ, điện thoại, … (ô 13), one line each; page 1 only.
    #[serde(default)]
    pub address: Vec<String>,
    /// Phụ lục in the same file.
    #[serde(default)]
    pub appendices: Vec<AppendixInput>,
    /// Văn bản kèm theo in separate files (signed separately by the văn thư).
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
    /// Free notes (provenance, source typos); never rendered.
    #[serde(default)]
    pub notes: Vec<String>,
    /// True for a trade-union issuer (union template variants apply); overrides the profile.
    #[serde(default)]
    pub union: Option<bool>,
    /// Quốc hiệu, only to override "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (checked by the lints).
    #[serde(default)]
    pub national_name: Option<String>,
    /// Tiêu ngữ, only to override "Độc lập - Tự do - Hạnh phúc" (checked by the lints).
    #[serde(default)]
    pub motto: Option<String>,
}

/// A name written as one string or as explicit lines.
///
/// `Deserialize` is written by hand (`input_de.rs`) for a clear error message.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Lines {
    /// One string; the renderer wraps it inside its column.
    One(String),
    /// Explicit lines, kept as given.
    Many(Vec<String>),
}

/// Tên cơ quan ban hành and its parent (ô 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuerInput {
    /// Tên cơ quan chủ quản trực tiếp (not bold); absent for a body with no parent.
    #[serde(default)]
    pub parent: Option<Lines>,
    /// Tên cơ quan ban hành (bold, short rule below).
    pub name: Lines,
    /// Abbreviation used in symbols: "CĐN" in `KH-CĐN`.
    #[serde(default)]
    pub abbr: Option<String>,
    /// The issuer's name as written in running text ("Công đoàn ngành Y tế"), for the
    /// "(Kèm theo … của …)" line of appendices. Absent: the name in sentence case.
    #[serde(default)]
    pub name_in_text: Option<String>,
}

/// Số, ký hiệu (ô 3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberInput {
    /// The sequence number given by the register; empty on a draft.
    #[serde(default)]
    pub seq: Option<u32>,
    /// Ký hiệu: `KH-CĐN`, or for a Công văn `TLĐ-TOC`. Derived from the kind and the issuer
    /// abbreviation when absent (a Công văn needs `unit` then).
    #[serde(default)]
    pub symbol: Option<String>,
    /// Drafting unit abbreviation, for a Công văn symbol (`TOC` in `TLĐ-TOC`).
    #[serde(default)]
    pub unit: Option<String>,
}

/// Độ mật (ô 10a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SecrecyInput {
    /// MẬT
    #[serde(rename = "MẬT")]
    Mat,
    /// TỐI MẬT
    #[serde(rename = "TỐI MẬT")]
    ToiMat,
    /// TUYỆT MẬT
    #[serde(rename = "TUYỆT MẬT")]
    TuyetMat,
}

/// Độ khẩn (ô 10b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum UrgencyInput {
    /// KHẨN: frame 20 × 8 mm.
    #[serde(rename = "KHẨN")]
    Khan,
    /// THƯỢNG KHẨN: frame 40 × 8 mm.
    #[serde(rename = "THƯỢNG KHẨN")]
    ThuongKhan,
    /// HỎA TỐC: frame 30 × 8 mm.
    #[serde(rename = "HỎA TỐC")]
    HoaToc,
}

/// Căn cứ (legal bases) and how they are shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasesInput {
    /// `list`: one italic line each (Quyết định); `inline`: cited inside the opening paragraph
    /// (plans, reports); `none`. Absent: the kind's default (`list` for Quyết định, Nghị quyết;
    /// `inline` otherwise).
    #[serde(default)]
    pub style: Option<BasesStyle>,
    /// The bases, each as cited ("Căn cứ Điều lệ Công đoàn Việt Nam;").
    #[serde(default)]
    pub items: Vec<String>,
}

/// How căn cứ are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasesStyle {
    /// One italic line per basis, each ending ";", the last ".".
    List,
    /// Inside the opening paragraph; `items` only record what is cited.
    #[default]
    Inline,
    /// No bases.
    None,
}

/// One node of the body (nội dung).
///
/// `Deserialize` is written by hand (`input_de.rs`) so that an error deep inside a node names
/// its full path (`body[2].children[0].num`); the derived internally-tagged form buffers the
/// node and loses the path below it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NodeInput {
    /// Phần: "Phần I" over an upper-case title, centred (structure A and B).
    Part {
        /// Literal number ("I"); generated when absent, checked when present.
        #[serde(default)]
        num: Option<String>,
        /// Title, upper case.
        title: String,
        /// Content.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// Chương: "Chương I" over an upper-case title, centred (structure A).
    Chapter {
        /// Literal number ("I").
        #[serde(default)]
        num: Option<String>,
        /// Title.
        title: String,
        /// Content.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// Mục of structure A: "Mục 1" over an upper-case title, centred.
    Division {
        /// Literal number ("1").
        #[serde(default)]
        num: Option<String>,
        /// Title.
        title: String,
        /// Content.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// Điều: "Điều 1. Title" in bold, then its text and khoản.
    Article {
        /// Literal number ("1").
        #[serde(default)]
        num: Option<String>,
        /// Title after "Điều n.".
        #[serde(default)]
        title: Option<String>,
        /// Text of an article without khoản.
        #[serde(default)]
        text: Option<String>,
        /// Khoản, điểm, paragraphs, tables.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// A titled heading of structure B: level 1 "I. MỤC ĐÍCH, YÊU CẦU", level 2 "1. Mục đích",
    /// level 3 "2.1. …". The level follows from nesting; `level` is checked when given.
    Section {
        /// Literal number ("I.", "1.", "2.1.").
        #[serde(default)]
        num: Option<String>,
        /// Checked against the nesting when given (1, 2 or 3).
        #[serde(default)]
        level: Option<u8>,
        /// Title (level 1 in upper case).
        title: String,
        /// Content.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// A numbered paragraph without a title: "1. Nhằm tạo sự chuyển biến …" (khoản).
    Item {
        /// Literal number ("1.").
        #[serde(default)]
        num: Option<String>,
        /// Checked against the nesting when given.
        #[serde(default)]
        level: Option<u8>,
        /// The paragraph text.
        text: String,
        /// Points, bullets.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// Điểm: "a) …", in Vietnamese letter order.
    Point {
        /// Literal letter ("a)" or "a").
        #[serde(default)]
        num: Option<String>,
        /// The text.
        text: String,
        /// Bullets under it.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// A bullet: "- " (or "+ " for a sub-bullet) starting a body paragraph.
    Bullet {
        /// "-" or "+".
        #[serde(default = "default_marker")]
        marker: String,
        /// The text.
        text: String,
        /// Sub-bullets.
        #[serde(default)]
        children: Vec<NodeInput>,
    },
    /// A plain body paragraph.
    Para {
        /// The text.
        text: String,
    },
    /// A table (award lists: danh sách tập thể, cá nhân).
    Table(TableInput),
}

fn default_marker() -> String {
    "-".to_owned()
}

/// A table with header rows and column widths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableInput {
    /// A caption above the table, if any.
    #[serde(default)]
    pub caption: Option<String>,
    /// Column widths as relative weights (`[1, 6, 5]`), or absent for equal columns.
    #[serde(default)]
    pub widths: Vec<f32>,
    /// Header rows (repeated on every page).
    #[serde(default)]
    pub header: Vec<Vec<String>>,
    /// Body rows.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
}

/// One line of Nơi nhận.
///
/// `Deserialize` is written by hand (`input_de.rs`) for a clear error message.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RecipientInput {
    /// Just the name.
    Name(String),
    /// Name with a purpose suffix.
    Full(RecipientFull),
}

/// A Nơi nhận line with its purpose suffix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientFull {
    /// "Ban Thường vụ LĐLĐ tỉnh".
    pub name: String,
    /// Suffix in parentheses: "b/c", "t/hiện", "để biết".
    #[serde(default)]
    pub purpose: Option<String>,
}

/// The Lưu line: `- Lưu: VT, Ban CSPL (02).`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveInput {
    /// Units keeping a copy, "VT" first.
    pub units: Vec<String>,
    /// Number of archive copies.
    #[serde(default)]
    pub copies: Option<u32>,
}

/// The signature block (ô 7, ô 8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// Authority lines, in order: "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH" (any of TM., KT., Q.,
    /// TL., TUQ.). Printed exactly as given.
    #[serde(default)]
    pub authority: Option<Lines>,
    /// The signer's title: "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    #[serde(default)]
    pub title: Option<String>,
    /// Another office of the signer, shown above the name.
    #[serde(default)]
    pub other_title: Option<String>,
    /// Họ tên: full name, no degree or honorific.
    pub name: String,
    /// Signature image (blue, transparent PNG), path relative to the data file.
    #[serde(default)]
    pub image: Option<String>,
    /// Seal image (red, transparent PNG, real size), path relative to the data file.
    #[serde(default)]
    pub seal: Option<String>,
    /// A copy mark such as "(Đã ký)" that belongs only on copies of paper originals.
    #[serde(default)]
    pub copy_mark: Option<String>,
}

/// A phụ lục in the same file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppendixInput {
    /// "Phụ lục I"; generated from the position when absent and `numbered` is true.
    #[serde(default)]
    pub label: Option<String>,
    /// False for an attached outline with no "Phụ lục" label (seed 001's "ĐỀ CƯƠNG BÁO CÁO").
    #[serde(default = "yes")]
    pub numbered: bool,
    /// A heading in the type-name position ("ĐỀ CƯƠNG BÁO CÁO"), upper case bold.
    #[serde(default)]
    pub heading: Option<String>,
    /// Title, upper case bold.
    #[serde(default)]
    pub title: Option<String>,
    /// The "(Kèm theo …)" line; generated from the document when absent.
    #[serde(default)]
    pub attached_note: Option<String>,
    /// Content.
    #[serde(default)]
    pub body: Vec<NodeInput>,
}

fn yes() -> bool {
    true
}

/// A văn bản kèm theo in a separate file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// What the attachment is.
    pub title: String,
    /// Its file, relative to the data file.
    #[serde(default)]
    pub file: Option<String>,
}

/// The file of organisation profiles (`profiles.yaml`): name → profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilesInput {
    /// Profiles by name; a document selects one with `profile:`.
    pub profiles: std::collections::BTreeMap<String, ProfileInput>,
}

/// Hồ sơ cơ quan: what every document of one issuer shares, so a clerk never retypes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Issuer and parent names, abbreviation.
    pub issuer: IssuerInput,
    /// Địa danh for ô 4.
    #[serde(default)]
    pub place: Option<String>,
    /// True for trade-union bodies (Công đoàn, LĐLĐ): union template variants apply.
    #[serde(default)]
    pub union: bool,
    /// Numbering scheme chosen by the head of the organisation (FORMAT.md §3.3).
    #[serde(default)]
    pub numbering: NumberingScheme,
    /// Drafting units: abbreviation → full name (`TOC` → "Ban Tổ chức").
    #[serde(default)]
    pub units: std::collections::BTreeMap<String, String>,
    /// Usual signers, the first is the default.
    #[serde(default)]
    pub signers: Vec<SignatureInput>,
    /// Seal image (red, transparent PNG, real size), path relative to the profiles file.
    #[serde(default)]
    pub seal: Option<String>,
    /// Address lines (ô 13).
    #[serde(default)]
    pub address: Vec<String>,
}

/// How the register numbers documents of one organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NumberingScheme {
    /// One sequence for all kinds.
    #[default]
    SingleSequence,
    /// One sequence per kind.
    PerType,
}

//! Every problem the lints report: its code, severity, and message in Vietnamese or English.
//!
//! One table (the two `match`es below) holds every message, so the wording stays consistent
//! and a new rule is one variant plus its lines here.

use crate::diag::Severity;
use crate::model::lint::Lang;

/// A broken rule, with the data the message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A string in the input was not NFC (it was normalised).
    NotNfc,
    /// The date is not `yyyy-mm-dd`.
    DateMalformed {
        /// As written.
        written: String,
    },
    /// The date does not exist (30 February).
    DateImpossible {
        /// As written.
        written: String,
    },
    /// The symbol cannot be read.
    SymbolMalformed {
        /// As written.
        written: String,
        /// Why.
        reason: String,
    },
    /// The symbol has spaces around its hyphens.
    SymbolSpacing {
        /// As written.
        written: String,
        /// As it should be.
        canonical: String,
    },
    /// No symbol could be formed (no issuer abbreviation, no unit for a Công văn).
    SymbolMissing,
    /// The symbol's type group does not match the kind.
    SymbolKind {
        /// The symbol.
        symbol: String,
        /// The kind's abbreviation.
        expected: String,
    },
    /// The symbol's issuer group does not match the issuer's abbreviation.
    SymbolIssuer {
        /// The symbol.
        symbol: String,
        /// The issuer's abbreviation.
        expected: String,
    },
    /// A Công văn symbol starts with a type abbreviation.
    CongVanTypeAbbr {
        /// The symbol.
        symbol: String,
        /// The type abbreviation found.
        abbr: String,
    },
    /// A Công văn's unit is not among the profile's drafting units.
    UnknownUnit {
        /// The unit.
        unit: String,
    },
    /// The number is 0.
    NumberZero,
    /// Numbered but not dated, or dated but not numbered.
    NumberDateMismatch,
    /// A literal section number cannot be read.
    SectionNumberMalformed {
        /// As written.
        written: String,
    },
    /// A section number skips (II → IV).
    NumberingGap {
        /// Shown.
        shown: String,
        /// Expected.
        expected: String,
    },
    /// A section number repeats the previous one.
    NumberingRepeat {
        /// Shown.
        shown: String,
    },
    /// A section number is not the one the structure gives (wrong start, wrong parent).
    NumberingWrong {
        /// Shown.
        shown: String,
        /// Expected.
        expected: String,
    },
    /// A Roman numeral below the mục level.
    RomanBelowMuc {
        /// Shown.
        shown: String,
    },
    /// The given `level` differs from the nesting.
    LevelMismatch {
        /// Given.
        given: u8,
        /// From the nesting.
        actual: u8,
    },
    /// An unknown bullet marker (shown as "-").
    BulletMarker {
        /// As written.
        written: String,
    },
    /// A table row with fewer cells than columns (padded).
    TableShape {
        /// Cells in the row.
        cells: usize,
        /// Columns of the table.
        columns: usize,
    },
    /// Column widths that do not fit the columns (equal widths used).
    TableWidths {
        /// Widths given.
        given: usize,
        /// Columns.
        columns: usize,
    },
    /// No "./." at the end of the content.
    EndMarkMissing,
    /// "./." somewhere else than the end of the last paragraph, or more than once.
    EndMarkMisplaced,
    /// Nơi nhận without its Lưu line.
    ArchiveMissing,
    /// The Lưu line does not start with VT.
    ArchiveWithoutVt {
        /// The first unit written.
        first: String,
    },
    /// No Nơi nhận at all.
    RecipientsMissing,
    /// Kính gửi present but Nơi nhận does not start with "Như trên".
    NhuTrenMissing,
    /// Kính gửi on a kind that does not use it.
    KinhGuiUnexpected,
    /// A degree or honorific before the signer's name.
    SignerHonorific {
        /// The prefix found.
        prefix: String,
    },
    /// No signature block.
    SignatureMissing,
    /// The signature block has no title.
    SignerTitleMissing,
    /// An authority line with an unknown prefix.
    AuthorityPrefix {
        /// The line.
        line: String,
    },
    /// "(Đã ký)" belongs only on copies.
    CopyMark {
        /// The mark.
        mark: String,
    },
    /// An appendix the body never mentions.
    AppendixUnmentioned {
        /// Its label or heading.
        label: String,
        /// False for an unlabelled outline (a warning only).
        labelled: bool,
    },
    /// The appendix note was generated from the upper-case issuer name.
    IssuerNameInText,
    /// Quốc hiệu overridden with a different spelling.
    NationalName {
        /// As written.
        written: String,
        /// True for the old accent placement "CỘNG HOÀ" (a warning only).
        old_accent: bool,
    },
    /// Tiêu ngữ overridden with a different spelling.
    Motto {
        /// As written.
        written: String,
    },
    /// A secret document: needs separate numbering and handling.
    Secret,
    /// Căn cứ listed but shown nowhere (inline style without an opening paragraph).
    BasesHidden,
}

impl Problem {
    /// Stable code, e.g. `numbering-gap`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotNfc => "not-nfc",
            Problem::DateMalformed { .. } => "date-malformed",
            Problem::DateImpossible { .. } => "date-impossible",
            Problem::SymbolMalformed { .. } => "symbol-malformed",
            Problem::SymbolSpacing { .. } => "symbol-spacing",
            Problem::SymbolMissing => "symbol-missing",
            Problem::SymbolKind { .. } => "symbol-kind",
            Problem::SymbolIssuer { .. } => "symbol-issuer",
            Problem::CongVanTypeAbbr { .. } => "cong-van-type-abbr",
            Problem::UnknownUnit { .. } => "unknown-unit",
            Problem::NumberZero => "number-malformed",
            Problem::NumberDateMismatch => "number-date-mismatch",
            Problem::SectionNumberMalformed { .. } => "section-number-malformed",
            Problem::NumberingGap { .. } => "numbering-gap",
            Problem::NumberingRepeat { .. } => "numbering-repeat",
            Problem::NumberingWrong { .. } => "numbering-wrong",
            Problem::RomanBelowMuc { .. } => "roman-below-muc",
            Problem::LevelMismatch { .. } => "level-mismatch",
            Problem::BulletMarker { .. } => "bullet-marker",
            Problem::TableShape { .. } => "table-shape",
            Problem::TableWidths { .. } => "table-widths",
            Problem::EndMarkMissing => "end-mark-missing",
            Problem::EndMarkMisplaced => "end-mark-misplaced",
            Problem::ArchiveMissing => "archive-missing",
            Problem::ArchiveWithoutVt { .. } => "archive-without-vt",
            Problem::RecipientsMissing => "recipients-missing",
            Problem::NhuTrenMissing => "nhu-tren-missing",
            Problem::KinhGuiUnexpected => "kinh-gui-unexpected",
            Problem::SignerHonorific { .. } => "signer-honorific",
            Problem::SignatureMissing => "signature-missing",
            Problem::SignerTitleMissing => "signer-title-missing",
            Problem::AuthorityPrefix { .. } => "authority-prefix",
            Problem::CopyMark { .. } => "copy-mark",
            Problem::AppendixUnmentioned { .. } => "appendix-unmentioned",
            Problem::IssuerNameInText => "issuer-name-in-text",
            Problem::NationalName { .. } => "national-name",
            Problem::Motto { .. } => "motto",
            Problem::Secret => "secret-document",
            Problem::BasesHidden => "bases-hidden",
        }
    }

    /// Error (the văn thư would send it back) or warning.
    pub fn severity(&self) -> Severity {
        match self {
            Problem::NotNfc
            | Problem::SymbolSpacing { .. }
            | Problem::SymbolMissing
            | Problem::UnknownUnit { .. }
            | Problem::NumberDateMismatch
            | Problem::TableWidths { .. }
            | Problem::EndMarkMissing
            | Problem::ArchiveWithoutVt { .. }
            | Problem::RecipientsMissing
            | Problem::NhuTrenMissing
            | Problem::KinhGuiUnexpected
            | Problem::SignatureMissing
            | Problem::SignerTitleMissing
            | Problem::AuthorityPrefix { .. }
            | Problem::CopyMark { .. }
            | Problem::AppendixUnmentioned {
                labelled: false, ..
            }
            | Problem::IssuerNameInText
            | Problem::NationalName {
                old_accent: true, ..
            }
            | Problem::Secret
            | Problem::BasesHidden => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The message.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi(),
            Lang::En => self.en(),
        }
    }

    /// How to fix it, when there is something useful to say.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        let (vi, en) = match self {
            Problem::NumberingGap { expected, .. } | Problem::NumberingWrong { expected, .. } => (
                format!("đánh số liên tục: {expected} (hoặc bỏ `num` để tự đánh số)"),
                format!("number continuously: {expected} (or drop `num` to number automatically)"),
            ),
            Problem::NotNfc => (
                "lưu tệp ở dạng Unicode dựng sẵn (NFC)".to_owned(),
                "save the file as precomposed Unicode (NFC)".to_owned(),
            ),
            Problem::EndMarkMissing => (
                "thêm \"./.\" vào cuối đoạn cuối cùng".to_owned(),
                "append \"./.\" to the last paragraph".to_owned(),
            ),
            Problem::ArchiveMissing => (
                "thêm `archive: {units: [VT, …]}`".to_owned(),
                "add `archive: {units: [VT, …]}`".to_owned(),
            ),
            Problem::SignerHonorific { .. } => (
                "chỉ ghi họ và tên (NĐ 30/2020, Phụ lục I)".to_owned(),
                "write the full name only (Decree 30/2020, Annex I)".to_owned(),
            ),
            Problem::AppendixUnmentioned { label, .. } => (
                format!("nhắc đến “{label}” trong nội dung, ví dụ “(chi tiết tại {label})”"),
                format!("refer to “{label}” in the body, e.g. “(chi tiết tại {label})”"),
            ),
            Problem::IssuerNameInText => (
                "ghi `issuer.name_in_text`, ví dụ “Công đoàn ngành Y tế”".to_owned(),
                "set `issuer.name_in_text`, e.g. “Công đoàn ngành Y tế”".to_owned(),
            ),
            _ => return None,
        };
        Some(match lang {
            Lang::Vi => vi,
            Lang::En => en,
        })
    }

    fn vi(&self) -> String {
        match self {
            Problem::NotNfc => "văn bản không ở dạng NFC (đã chuẩn hóa khi đọc)".into(),
            Problem::DateMalformed { written } => format!("ngày “{written}” không theo dạng yyyy-mm-dd"),
            Problem::DateImpossible { written } => format!("ngày “{written}” không có trong lịch"),
            Problem::SymbolMalformed { written, reason } => format!("ký hiệu “{written}” sai dạng: {reason}"),
            Problem::SymbolSpacing { written, canonical } => format!("ký hiệu “{written}” có khoảng trắng; viết “{canonical}”"),
            Problem::SymbolMissing => "không lập được ký hiệu: thiếu chữ viết tắt của cơ quan (hoặc đơn vị soạn thảo của công văn)".into(),
            Problem::SymbolKind { symbol, expected } => format!("ký hiệu “{symbol}” không mở đầu bằng chữ viết tắt tên loại “{expected}”"),
            Problem::SymbolIssuer { symbol, expected } => format!("ký hiệu “{symbol}” không ghi chữ viết tắt của cơ quan ban hành “{expected}”"),
            Problem::CongVanTypeAbbr { symbol, abbr } => format!("công văn không có chữ viết tắt tên loại, nhưng ký hiệu “{symbol}” mở đầu bằng “{abbr}”"),
            Problem::UnknownUnit { unit } => format!("đơn vị soạn thảo “{unit}” không có trong hồ sơ cơ quan"),
            Problem::NumberZero => "số văn bản phải từ 01 trở lên".into(),
            Problem::NumberDateMismatch => "văn bản có số mà không có ngày ban hành, hoặc ngược lại".into(),
            Problem::SectionNumberMalformed { written } => format!("số mục “{written}” không đọc được"),
            Problem::NumberingGap { shown, expected } => format!("đánh số nhảy cóc: {shown} đứng ở vị trí của {expected}"),
            Problem::NumberingRepeat { shown } => format!("số {shown} bị lặp lại"),
            Problem::NumberingWrong { shown, expected } => format!("số {shown} sai, theo cấu trúc phải là {expected}"),
            Problem::RomanBelowMuc { shown } => format!("chữ số La Mã {shown} chỉ dùng cho cấp mục"),
            Problem::LevelMismatch { given, actual } => format!("ghi cấp {given} nhưng theo vị trí là cấp {actual}"),
            Problem::BulletMarker { written } => format!("dấu đầu dòng “{written}” không hợp lệ; dùng “-” hoặc “+”"),
            Problem::TableShape { cells, columns } => format!("dòng có {cells} ô, bảng có {columns} cột"),
            Problem::TableWidths { given, columns } => format!("{given} độ rộng cột cho {columns} cột (dùng cột đều nhau)"),
            Problem::EndMarkMissing => "thiếu dấu kết thúc \"./.\" ở cuối nội dung".into(),
            Problem::EndMarkMisplaced => "dấu \"./.\" chỉ ghi một lần, ở cuối đoạn cuối cùng".into(),
            Problem::ArchiveMissing => "nơi nhận thiếu dòng “- Lưu: VT, …”".into(),
            Problem::ArchiveWithoutVt { first } => format!("dòng Lưu nên bắt đầu bằng VT (Văn thư), đang ghi “{first}”"),
            Problem::RecipientsMissing => "thiếu nơi nhận".into(),
            Problem::NhuTrenMissing => "có Kính gửi thì nơi nhận bắt đầu bằng “- Như trên;”".into(),
            Problem::KinhGuiUnexpected => "loại văn bản này thường không có Kính gửi".into(),
            Problem::SignerHonorific { prefix } => format!("không ghi học hàm, học vị, danh xưng “{prefix}” trước họ tên người ký"),
            Problem::SignatureMissing => "thiếu chức vụ, họ tên người ký".into(),
            Problem::SignerTitleMissing => "thiếu chức vụ của người ký".into(),
            Problem::AuthorityPrefix { line } => format!("dòng thẩm quyền “{line}” không bắt đầu bằng TM., KT., Q., TL. hoặc TUQ."),
            Problem::CopyMark { mark } => format!("“{mark}” chỉ ghi trên bản sao, không ghi trên bản gốc"),
            Problem::AppendixUnmentioned { label, .. } => format!("nội dung không nhắc đến “{label}”"),
            Problem::IssuerNameInText => "dòng “Kèm theo …” dùng tên cơ quan suy ra từ chữ in hoa".into(),
            Problem::NationalName { written, .. } => format!("Quốc hiệu “{written}” khác “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”"),
            Problem::Motto { written } => format!("Tiêu ngữ “{written}” khác “Độc lập - Tự do - Hạnh phúc”"),
            Problem::Secret => "văn bản mật cần sổ số riêng và xử lý theo luật bảo vệ bí mật nhà nước".into(),
            Problem::BasesHidden => "có căn cứ nhưng kiểu “inline” không có đoạn mở đầu để ghi chúng".into(),
        }
    }

    fn en(&self) -> String {
        match self {
            Problem::NotNfc => "text is not NFC (normalised on reading)".into(),
            Problem::DateMalformed { written } => format!("date “{written}” is not yyyy-mm-dd"),
            Problem::DateImpossible { written } => format!("date “{written}” does not exist"),
            Problem::SymbolMalformed { written, reason } => format!("symbol “{written}” is malformed: {reason}"),
            Problem::SymbolSpacing { written, canonical } => format!("symbol “{written}” contains spaces; write “{canonical}”"),
            Problem::SymbolMissing => "no symbol could be formed: the issuer abbreviation (or a Công văn's unit) is missing".into(),
            Problem::SymbolKind { symbol, expected } => format!("symbol “{symbol}” does not start with the type abbreviation “{expected}”"),
            Problem::SymbolIssuer { symbol, expected } => format!("symbol “{symbol}” does not carry the issuer abbreviation “{expected}”"),
            Problem::CongVanTypeAbbr { symbol, abbr } => format!("a Công văn has no type abbreviation, but symbol “{symbol}” starts with “{abbr}”"),
            Problem::UnknownUnit { unit } => format!("drafting unit “{unit}” is not in the organisation profile"),
            Problem::NumberZero => "the document number must be 01 or more".into(),
            Problem::NumberDateMismatch => "numbered but not dated, or dated but not numbered".into(),
            Problem::SectionNumberMalformed { written } => format!("section number “{written}” cannot be read"),
            Problem::NumberingGap { shown, expected } => format!("numbering skips: {shown} stands where {expected} belongs"),
            Problem::NumberingRepeat { shown } => format!("number {shown} is repeated"),
            Problem::NumberingWrong { shown, expected } => format!("number {shown} is wrong; the structure gives {expected}"),
            Problem::RomanBelowMuc { shown } => format!("Roman numeral {shown} is only for the mục level"),
            Problem::LevelMismatch { given, actual } => format!("level {given} given, but the nesting makes it level {actual}"),
            Problem::BulletMarker { written } => format!("bullet marker “{written}” is not “-” or “+”"),
            Problem::TableShape { cells, columns } => format!("row has {cells} cells, the table {columns} columns"),
            Problem::TableWidths { given, columns } => format!("{given} column widths for {columns} columns (equal widths used)"),
            Problem::EndMarkMissing => "the end mark \"./.\" is missing".into(),
            Problem::EndMarkMisplaced => "\"./.\" belongs once, at the end of the last paragraph".into(),
            Problem::ArchiveMissing => "Nơi nhận lacks its “- Lưu: VT, …” line".into(),
            Problem::ArchiveWithoutVt { first } => format!("the Lưu line should start with VT (registry), found “{first}”"),
            Problem::RecipientsMissing => "Nơi nhận is missing".into(),
            Problem::NhuTrenMissing => "with Kính gửi, Nơi nhận starts with “- Như trên;”".into(),
            Problem::KinhGuiUnexpected => "this kind does not usually address recipients with Kính gửi".into(),
            Problem::SignerHonorific { prefix } => format!("no degree, title or honorific “{prefix}” before the signer's name"),
            Problem::SignatureMissing => "the signer's title and name are missing".into(),
            Problem::SignerTitleMissing => "the signer's title is missing".into(),
            Problem::AuthorityPrefix { line } => format!("authority line “{line}” does not start with TM., KT., Q., TL. or TUQ."),
            Problem::CopyMark { mark } => format!("“{mark}” belongs on copies only, not on an original"),
            Problem::AppendixUnmentioned { label, .. } => format!("the body never mentions “{label}”"),
            Problem::IssuerNameInText => "the “Kèm theo …” line uses a name guessed from the upper-case issuer name".into(),
            Problem::NationalName { written, .. } => format!("national name “{written}” differs from “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”"),
            Problem::Motto { written } => format!("motto “{written}” differs from “Độc lập - Tự do - Hạnh phúc”"),
            Problem::Secret => "secret documents need their own number series and handling under the state-secret law".into(),
            Problem::BasesHidden => "bases are listed but the inline style has no opening paragraph to hold them".into(),
        }
    }
}

//! The named styles of the DOCX (`word/styles.xml`), one per block role.
//!
//! Every paragraph of the document references a style instead of carrying direct formatting,
//! so a clerk who presses Enter in Word or LibreOffice gets the decree's format: a new body
//! paragraph is justified, 14 pt, indented 1.27 cm. The values come from
//! [`crate::layout::style`]; this module only translates them. `Normal` is the body paragraph
//! (FORMAT.md §3.7), and the three structure-B heading levels use Word's built-in `heading 1–3`
//! names so that the navigation pane shows the outline.
//!
//! The part is written here rather than with docx-rs's `Styles`, which always emits its own
//! empty `Normal`, cannot set the language, and writes children out of schema order.

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::compose::Role;
use crate::layout::style::{
    self, Align, BlockStyle, PAGE_NUMBER_SIZE, RULE_GAP, RULE_THICKNESS, Rule, SIGNATURE_SPACE,
};

use super::units::{eighths, half_points, twips};
use super::xml::escape;

/// The font named in every run, for all four scripts (FORMAT.md §2).
pub const FONT: &str = "Times New Roman";

/// Stamp red (FORMAT.md §3.12: bright red, RGB 255,0,0).
pub const RED: &str = "FF0000";

/// Style of the page number paragraph in the header (Word's built-in "header").
pub const PAGE_NUMBER: &str = "Header";
/// Style of an empty paragraph that only makes vertical space (exact height set per use).
pub const SPACER: &str = "VbSpacer";
/// Style of a header cell of a data table.
pub const TABLE_HEADER: &str = "VbTableHeader";
/// Character style of a slot the văn thư fills (number, day, month, year).
pub const SLOT: &str = "VbSlot";

/// Every role, in the order their styles appear in `styles.xml`.
const ROLES: [Role; 42] = [
    Role::Paragraph,
    Role::ParentName,
    Role::IssuerName,
    Role::NationalName,
    Role::Motto,
    Role::Number,
    Role::PlaceDate,
    Role::Summary,
    Role::Secrecy,
    Role::Urgency,
    Role::Circulation,
    Role::TypeName,
    Role::Title,
    Role::AuthorityLine,
    Role::KinhGui,
    Role::KinhGuiItem,
    Role::Basis,
    Role::DecisionWord,
    Role::Bullet,
    Role::PartLabel,
    Role::PartTitle,
    Role::Article,
    Role::Heading1,
    Role::Heading2,
    Role::Heading3,
    Role::NumberedParagraph,
    Role::Table,
    Role::Closing,
    Role::RecipientsHeading,
    Role::Recipient,
    Role::DrafterMark,
    Role::SignAuthority,
    Role::SignTitle,
    Role::SignSpace,
    Role::SignOtherTitle,
    Role::SignName,
    Role::CopyMark,
    Role::Address,
    Role::AppendixLabel,
    Role::AppendixHeading,
    Role::AppendixTitle,
    Role::AppendixNote,
];

/// The style id of a role (ASCII, stable: templates and the signing code may look for it).
pub fn style_id(role: Role) -> &'static str {
    names(role).0
}

/// The style id of the rule paragraph drawn under a block of `role`, if it has one.
pub fn rule_style_id(role: Role) -> Option<&'static str> {
    match role {
        Role::IssuerName => Some("VbRuleIssuer"),
        Role::Motto => Some("VbRuleMotto"),
        Role::Title => Some("VbRuleTitle"),
        Role::AppendixNote => Some("VbRuleAppendix"),
        _ => None,
    }
}

/// Style id and the name a clerk sees in Word's style list.
fn names(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::ParentName => ("VbParentName", "VB Tên cơ quan chủ quản"),
        Role::IssuerName => ("VbIssuerName", "VB Tên cơ quan ban hành"),
        Role::NationalName => ("VbNationalName", "VB Quốc hiệu"),
        Role::Motto => ("VbMotto", "VB Tiêu ngữ"),
        Role::Number => ("VbNumber", "VB Số, ký hiệu"),
        Role::PlaceDate => ("VbPlaceDate", "VB Địa danh, ngày tháng"),
        Role::Summary => ("VbSummary", "VB Trích yếu công văn (V/v)"),
        Role::Secrecy => ("VbSecrecy", "VB Độ mật"),
        Role::Urgency => ("VbUrgency", "VB Độ khẩn"),
        Role::Circulation => ("VbCirculation", "VB Phạm vi lưu hành"),
        Role::TypeName => ("VbTypeName", "VB Tên loại"),
        Role::Title => ("VbTitle", "VB Trích yếu"),
        Role::AuthorityLine => ("VbAuthorityLine", "VB Thẩm quyền ban hành"),
        Role::KinhGui => ("VbKinhGui", "VB Kính gửi"),
        Role::KinhGuiItem => ("VbKinhGuiItem", "VB Kính gửi - nơi nhận"),
        Role::Basis => ("VbBasis", "VB Căn cứ"),
        Role::DecisionWord => ("VbDecisionWord", "VB Quyết định:"),
        Role::Paragraph => ("Normal", "Normal"),
        Role::Bullet => ("VbBullet", "VB Gạch đầu dòng"),
        Role::PartLabel => ("VbPartLabel", "VB Phần, Chương, Mục"),
        Role::PartTitle => ("VbPartTitle", "VB Tên Phần, Chương, Mục"),
        Role::Article => ("VbArticle", "VB Điều"),
        Role::Heading1 => ("Heading1", "heading 1"),
        Role::Heading2 => ("Heading2", "heading 2"),
        Role::Heading3 => ("Heading3", "heading 3"),
        Role::NumberedParagraph => ("VbNumbered", "VB Khoản, điểm"),
        Role::Table => ("VbTable", "VB Bảng"),
        Role::Closing => ("VbClosing", "VB Kết thúc"),
        Role::RecipientsHeading => ("VbRecipientsHeading", "VB Nơi nhận"),
        Role::Recipient => ("VbRecipient", "VB Nơi nhận - mục"),
        Role::DrafterMark => ("VbDrafterMark", "VB Ký hiệu người soạn thảo"),
        Role::SignAuthority => ("VbSignAuthority", "VB Quyền hạn ký"),
        Role::SignTitle => ("VbSignTitle", "VB Chức vụ người ký"),
        Role::SignSpace => ("VbSignSpace", "VB Chỗ ký"),
        Role::SignOtherTitle => ("VbSignOtherTitle", "VB Chức vụ khác"),
        Role::SignName => ("VbSignName", "VB Họ tên người ký"),
        Role::CopyMark => ("VbCopyMark", "VB Dấu bản sao"),
        Role::Address => ("VbAddress", "VB Địa chỉ"),
        Role::AppendixLabel => ("VbAppendixLabel", "VB Phụ lục"),
        Role::AppendixHeading => ("VbAppendixHeading", "VB Đề mục phụ lục"),
        Role::AppendixTitle => ("VbAppendixTitle", "VB Tên phụ lục"),
        Role::AppendixNote => ("VbAppendixNote", "VB Kèm theo"),
    }
}

/// The outline level Word shows in its navigation pane.
fn outline_level(role: Role) -> Option<u8> {
    match role {
        Role::PartLabel | Role::Heading1 | Role::Article => Some(0),
        Role::Heading2 => Some(1),
        Role::Heading3 => Some(2),
        _ => None,
    }
}

/// The style a clerk gets after pressing Enter at the end of a paragraph of `role`.
fn next_style(role: Role) -> &'static str {
    match role {
        Role::KinhGui | Role::KinhGuiItem => style_id(Role::KinhGuiItem),
        Role::Basis => style_id(Role::Basis),
        Role::RecipientsHeading | Role::Recipient => style_id(Role::Recipient),
        Role::Bullet => style_id(Role::Bullet),
        Role::Table => style_id(Role::Table),
        Role::ParentName | Role::IssuerName => style_id(Role::IssuerName),
        _ if is_block_level(role) => "Normal",
        _ => style_id(role),
    }
}

/// Roles whose next paragraph is body text.
fn is_block_level(role: Role) -> bool {
    matches!(
        role,
        Role::Paragraph
            | Role::NumberedParagraph
            | Role::Closing
            | Role::Article
            | Role::Heading1
            | Role::Heading2
            | Role::Heading3
            | Role::PartTitle
            | Role::DecisionWord
            | Role::AuthorityLine
            | Role::AppendixNote
    )
}

/// The whole `word/styles.xml` part. It depends only on the style table, so it is built once.
pub fn styles_xml() -> &'static str {
    static XML: OnceLock<String> = OnceLock::new();
    XML.get_or_init(build_styles_xml)
}

fn build_styles_xml() -> String {
    let mut xml = String::with_capacity(24 * 1024);
    xml.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    ));
    push_doc_defaults(&mut xml);
    for role in ROLES {
        push_role_style(&mut xml, role);
        push_rule_style(&mut xml, role);
    }
    push_extra_styles(&mut xml);
    xml.push_str("</w:styles>");
    xml
}

fn push_doc_defaults(xml: &mut String) {
    let size = half_points(style::BODY_SIZE);
    let _ = write!(
        xml,
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>",
            r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>"#,
            r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#,
            r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>"#,
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>",
            r#"<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>"#,
            "</w:pPr></w:pPrDefault></w:docDefaults>",
            r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">"#,
            r#"<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/>"#,
            "<w:semiHidden/><w:unhideWhenUsed/></w:style>",
            r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal">"#,
            r#"<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>"#,
            "<w:semiHidden/><w:unhideWhenUsed/><w:tblPr>",
            r#"<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>"#,
            r#"<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>"#,
            r#"<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>"#,
            "</w:tblCellMar></w:tblPr></w:style>",
        ),
        font = FONT,
        size = size,
    );
}

/// Paragraph properties that a style writes.
struct ParagraphProps {
    keep_next: bool,
    border: Option<Border>,
    before: f32,
    after: f32,
    /// Line spacing: a multiple of single, or an exact height in pt.
    line: Line,
    first_indent: f32,
    align: Align,
    outline: Option<u8>,
}

#[derive(Clone, Copy)]
enum Line {
    Multiple(f32),
    Exact(f32),
}

#[derive(Clone, Copy)]
enum Border {
    Top,
    Bottom,
}

/// Run properties that a style writes.
struct RunProps {
    bold: bool,
    italic: bool,
    red: bool,
    size: f32,
}

fn push_role_style(xml: &mut String, role: Role) {
    let block = style::style(role);
    let (id, name) = names(role);
    let paragraph = ParagraphProps {
        keep_next: block.keep_with_next,
        border: matches!(block.rule, Some(Rule::FullWidthAbove)).then_some(Border::Top),
        before: block.space_before,
        // A block with a rule under it leaves its space after to the rule paragraph; a table
        // cell has none (the table's space after is a spacer below the table).
        after: if matches!(block.rule, Some(Rule::TextWidth | Rule::Fraction { .. }))
            || role == Role::Table
        {
            0.0
        } else {
            block.space_after
        },
        line: line_of(role, &block),
        first_indent: block.first_indent,
        align: block.align,
        outline: outline_level(role),
    };
    let run = RunProps {
        bold: block.bold,
        italic: block.italic,
        red: block.red,
        size: if role == Role::SignSpace {
            style::BODY_SIZE
        } else {
            block.size
        },
    };
    let based_on = (role != Role::Paragraph).then_some("Normal");
    push_paragraph_style(xml, id, name, based_on, next_style(role), &paragraph, &run);
}

/// The signature space keeps its exact height whatever is drawn in it (FORMAT.md §3.8).
fn line_of(role: Role, block: &BlockStyle) -> Line {
    if role == Role::SignSpace {
        Line::Exact(SIGNATURE_SPACE)
    } else {
        Line::Multiple(block.line_height)
    }
}

fn push_rule_style(xml: &mut String, role: Role) {
    let Some(id) = rule_style_id(role) else {
        return;
    };
    let block = style::style(role);
    let name = format!("{} - đường kẻ", names(role).1);
    let paragraph = ParagraphProps {
        keep_next: block.keep_with_next,
        border: Some(Border::Bottom),
        before: 0.0,
        after: block.space_after,
        line: Line::Exact(RULE_GAP),
        first_indent: 0.0,
        align: Align::Center,
        outline: None,
    };
    let run = RunProps {
        bold: false,
        italic: false,
        red: false,
        size: 1.0,
    };
    push_paragraph_style(xml, id, &name, Some("Normal"), "Normal", &paragraph, &run);
}

fn push_extra_styles(xml: &mut String) {
    let centred = || ParagraphProps {
        keep_next: false,
        border: None,
        before: 0.0,
        after: 0.0,
        line: Line::Multiple(1.0),
        first_indent: 0.0,
        align: Align::Center,
        outline: None,
    };
    let plain = |size: f32, bold: bool| RunProps {
        bold,
        italic: false,
        red: false,
        size,
    };
    push_paragraph_style(
        xml,
        PAGE_NUMBER,
        "header",
        Some("Normal"),
        PAGE_NUMBER,
        &centred(),
        &plain(PAGE_NUMBER_SIZE, false),
    );
    let table = style::table_header_style();
    let header_paragraph = ParagraphProps {
        keep_next: table.keep_with_next,
        line: Line::Multiple(table.line_height),
        align: table.align,
        ..centred()
    };
    push_paragraph_style(
        xml,
        TABLE_HEADER,
        "VB Bảng - tiêu đề cột",
        Some("Normal"),
        TABLE_HEADER,
        &header_paragraph,
        &plain(table.size, table.bold),
    );
    let spacer = ParagraphProps {
        line: Line::Exact(1.0),
        ..centred()
    };
    push_paragraph_style(
        xml,
        SPACER,
        "VB Khoảng cách",
        Some("Normal"),
        "Normal",
        &spacer,
        &plain(1.0, false),
    );
    let _ = write!(
        xml,
        concat!(
            r#"<w:style w:type="character" w:customStyle="1" w:styleId="{id}">"#,
            r#"<w:name w:val="VB Ô điền số, ngày"/><w:basedOn w:val="DefaultParagraphFont"/>"#,
            r#"<w:uiPriority w:val="1"/><w:qFormat/></w:style>"#,
        ),
        id = SLOT,
    );
}

fn push_paragraph_style(
    xml: &mut String,
    id: &str,
    name: &str,
    based_on: Option<&str>,
    next: &str,
    paragraph: &ParagraphProps,
    run: &RunProps,
) {
    let custom = if id.starts_with("Vb") {
        r#" w:customStyle="1""#
    } else {
        ""
    };
    let default = if id == "Normal" {
        r#" w:default="1""#
    } else {
        ""
    };
    let _ = write!(
        xml,
        r#"<w:style w:type="paragraph"{default}{custom} w:styleId="{id}"><w:name w:val="{}"/>"#,
        escape(name)
    );
    if let Some(base) = based_on {
        let _ = write!(xml, r#"<w:basedOn w:val="{base}"/>"#);
    }
    let _ = write!(xml, r#"<w:next w:val="{next}"/><w:qFormat/>"#);
    push_paragraph_props(xml, paragraph);
    push_run_props(xml, run);
    xml.push_str("</w:style>");
}

fn push_paragraph_props(xml: &mut String, props: &ParagraphProps) {
    xml.push_str("<w:pPr>");
    if props.keep_next {
        xml.push_str("<w:keepNext/>");
    }
    if let Some(border) = props.border {
        let side = match border {
            Border::Top => "top",
            Border::Bottom => "bottom",
        };
        let _ = write!(
            xml,
            r#"<w:pBdr><w:{side} w:val="single" w:sz="{}" w:space="0" w:color="000000"/></w:pBdr>"#,
            eighths(RULE_THICKNESS)
        );
    }
    let (line, rule) = match props.line {
        Line::Multiple(factor) => ((factor * 240.0).round() as i32, "auto"),
        Line::Exact(pt) => (twips(pt), "exact"),
    };
    let _ = write!(
        xml,
        r#"<w:spacing w:before="{}" w:after="{}" w:line="{line}" w:lineRule="{rule}"/>"#,
        twips(props.before),
        twips(props.after),
    );
    let _ = write!(
        xml,
        r#"<w:ind w:left="0" w:right="0" w:firstLine="{}"/>"#,
        twips(props.first_indent)
    );
    let jc = match props.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Justify => "both",
        Align::Right => "right",
    };
    let _ = write!(xml, r#"<w:jc w:val="{jc}"/>"#);
    if let Some(level) = props.outline {
        let _ = write!(xml, r#"<w:outlineLvl w:val="{level}"/>"#);
    }
    xml.push_str("</w:pPr>");
}

fn push_run_props(xml: &mut String, props: &RunProps) {
    let _ = write!(
        xml,
        r#"<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>"#
    );
    let toggle = |on: bool| if on { "" } else { r#" w:val="0""# };
    let _ = write!(
        xml,
        "<w:b{0}/><w:bCs{0}/><w:i{1}/><w:iCs{1}/>",
        toggle(props.bold),
        toggle(props.italic)
    );
    let color = if props.red { RED } else { "000000" };
    let size = half_points(props.size);
    let _ = write!(
        xml,
        r#"<w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#
    );
    xml.push_str("</w:rPr>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_distinct_style() {
        let mut ids: Vec<&str> = ROLES.iter().map(|role| style_id(*role)).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ROLES.len(), "one id per role");
    }

    #[test]
    fn styles_part_carries_the_decree_sizes() {
        let xml = styles_xml();
        assert!(xml.contains(r#"w:eastAsia="Times New Roman" w:cs="Times New Roman""#));
        // Nơi nhận: 12 pt bold italic; items 11 pt (FORMAT.md §3.10).
        let heading = style_xml(xml, "VbRecipientsHeading");
        assert!(heading.contains(r#"<w:b/>"#) && heading.contains(r#"<w:i/>"#));
        assert!(heading.contains(r#"<w:sz w:val="24"/>"#));
        assert!(style_xml(xml, "VbRecipient").contains(r#"<w:sz w:val="22"/>"#));
        // Body: justified, first line 1.27 cm = 720 twips.
        let normal = style_xml(xml, "Normal");
        assert!(normal.contains(r#"<w:jc w:val="both"/>"#));
        assert!(normal.contains(r#"w:firstLine="720""#));
        assert!(style_xml(xml, "VbUrgency").contains(r#"<w:color w:val="FF0000"/>"#));
        assert!(style_xml(xml, "VbRuleMotto").contains(r#"<w:bottom w:val="single" w:sz="4""#));
    }

    fn style_xml<'a>(xml: &'a str, id: &str) -> &'a str {
        let start = xml
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("style {id}"));
        let end = start + xml[start..].find("</w:style>").unwrap_or(0);
        &xml[start..end]
    }
}

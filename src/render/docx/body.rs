//! The document body: the page regions of a composed document become docx-rs tables and
//! paragraphs laid out as FORMAT.md §4.4 asks.
//!
//! - header rows (ô 1–4) and the signature row (ô 7–9b) are borderless fixed-width tables
//!   split 40 / 60;
//! - the rules under the issuer, the Tiêu ngữ and the trích yếu are empty paragraphs with a
//!   bottom border whose length is set by indents;
//! - stamps (ô 10a, 10b, 11) are one-cell tables with a single-line frame;
//! - each appendix is its own section, starting a new page and numbering from 1.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, HeaderReference, HeightRule, LineSpacing,
    LineSpacingType, PageMargin, PageNumType, PageSize, Paragraph, Pic, RelativeFromHType,
    RelativeFromVType, Run, SectionProperty, SpecialIndentType, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, WidthType,
};

use crate::compose::{Block, Composed, Content, Regions, Role, Run as TextRun, SlotKind};
use crate::diag::{Diagnostics, FieldPath};
use crate::layout::font::FontBook;
use crate::layout::page::Item;
use crate::layout::para::{Column, Ctx};
use crate::layout::style::{
    self, BlockStyle, PAGE_NUMBER_SIZE, PageGeometry, RULE_THICKNESS, Rule, mm,
};

use super::images::Placed;
use super::measure::{ascent, line_height, text_width};
use super::styles::{PAGE_NUMBER, RED, SLOT, SPACER, TABLE_HEADER, rule_style_id, style_id};
use super::units::{eighths, emu, half_points, twips, twips_u};

/// A header or footer part, already serialised, with the relationship id the body uses.
#[derive(Debug, Clone)]
pub struct Part {
    /// Relationship id in `word/_rels/document.xml.rels`.
    pub rid: &'static str,
    /// File name under `word/`.
    pub file: &'static str,
    /// True for a header, false for a footer.
    pub is_header: bool,
    /// The XML.
    pub xml: Vec<u8>,
}

/// What [`build`] hands to the packager.
pub struct Body {
    /// The document, ready for `Docx::build`.
    pub docx: Docx,
    /// Header rows of each table, in document order (for `w:tblHeader`).
    pub header_rows: Vec<usize>,
    /// Header and footer parts.
    pub parts: Vec<Part>,
}

/// The signature and seal images, when the caller gives them.
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// Signature (ô 7c).
    pub signature: Option<Placed>,
    /// Seal (ô 8).
    pub seal: Option<Placed>,
}

/// Room left when deciding whether a line fits its column: our sum of advances and the
/// reader's line breaker round differently (LibreOffice wrapped a 98.9 mm line in 99 mm).
const FIT_MARGIN: f32 = 3.0;

const PAGE_HEADER: (&str, &str) = ("rIdVbHeaderPage", "header1.xml");
const EMPTY_HEADER: (&str, &str) = ("rIdVbHeaderEmpty", "header2.xml");
const FIRST_HEADER: (&str, &str) = ("rIdVbHeaderFirst", "header3.xml");
const ADDRESS_FOOTER: (&str, &str) = ("rIdVbFooterAddress", "footer1.xml");
const EMPTY_FOOTER: (&str, &str) = ("rIdVbFooterEmpty", "footer2.xml");

/// Build the body of `composed`.
pub fn build(composed: &Composed, images: &Images) -> Body {
    let regions = composed.regions();
    let mut writer = Writer::new();
    let mut docx = Docx::new();
    let parts = header_footer_parts(&regions, &writer);
    let main_section = SectionKind::Main {
        circulation: !regions.top_band.is_empty(),
        address: !regions.address.is_empty(),
    };
    let mut children = writer.letterhead(&regions);
    children.extend(writer.stamps(&regions.stamps));
    children.extend(writer.flow(&regions.main, true));
    children.extend(writer.signature_row(&regions, images));
    let mut section = main_section;
    for appendix in &regions.appendices {
        children.push(Child::paragraph(section_break(section.property())));
        children.extend(writer.flow(appendix, false));
        section = SectionKind::Appendix {
            address: !regions.address.is_empty(),
        };
    }
    let mut previous_table = false;
    for child in children {
        docx = match child {
            Child::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
            // Word joins two tables that touch; a 1 pt paragraph keeps them apart.
            Child::Table(table) if previous_table => {
                docx.add_paragraph(spacer(1.0)).add_table(*table)
            }
            Child::Table(table) => docx.add_table(*table),
        };
        previous_table = matches!(
            docx.document.children.last(),
            Some(docx_rs::DocumentChild::Table(_))
        );
    }
    docx.document.section_property = section.property();
    Body {
        docx,
        header_rows: writer.header_rows,
        parts,
    }
}

/// A body-level element in order.
enum Child {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

impl Child {
    fn paragraph(paragraph: Paragraph) -> Child {
        Child::Paragraph(Box::new(paragraph))
    }
}

/// Which section a `w:sectPr` closes.
#[derive(Clone, Copy)]
enum SectionKind {
    /// The document itself: its first page may carry ô 11 in the header and ô 13 in the footer.
    Main { circulation: bool, address: bool },
    /// An appendix: numbered from 1, first page unnumbered (FORMAT.md §2).
    Appendix { address: bool },
}

impl SectionKind {
    fn property(self) -> SectionProperty {
        let page = PageGeometry::A4;
        let header_distance = page.page_number_baseline - ascent() * PAGE_NUMBER_SIZE;
        let margin = PageMargin::new()
            .top(twips(page.top))
            .bottom(twips(page.bottom))
            .left(twips(page.left))
            .right(twips(page.right))
            .header(twips(header_distance))
            .footer(twips(page.bottom))
            .gutter(0);
        let mut property = SectionProperty::new()
            .page_size(PageSize::new().size(twips(page.width) as u32, twips(page.height) as u32))
            .page_margin(margin)
            .title_pg();
        property.header_reference = Some(HeaderReference::new("default", PAGE_HEADER.0));
        let (first_header, first_footer) = match self {
            SectionKind::Main {
                circulation,
                address,
            } => (
                if circulation {
                    FIRST_HEADER
                } else {
                    EMPTY_HEADER
                },
                address.then_some(ADDRESS_FOOTER),
            ),
            SectionKind::Appendix { address } => {
                property = property.page_num_type(PageNumType::new().start(1));
                (EMPTY_HEADER, address.then_some(EMPTY_FOOTER))
            }
        };
        property.first_header_reference = Some(HeaderReference::new("first", first_header.0));
        if let Some(footer) = first_footer {
            property.first_footer_reference =
                Some(docx_rs::FooterReference::new("first", footer.0));
        }
        property
    }
}

/// The tiny paragraph that ends a section.
fn section_break(property: SectionProperty) -> Paragraph {
    Paragraph::new().style(SPACER).section_property(property)
}

fn header_footer_parts(regions: &Regions<'_>, writer: &Writer) -> Vec<Part> {
    let empty = || Paragraph::new().style(SPACER);
    let page_number = Header::new().add_paragraph(page_number_paragraph());
    let mut parts = vec![
        header_part(PAGE_HEADER, &page_number),
        header_part(EMPTY_HEADER, &Header::new().add_paragraph(empty())),
    ];
    if !regions.top_band.is_empty() {
        let mut header = Header::new();
        for block in &regions.top_band {
            header = header.add_table(writer.circulation(block));
        }
        parts.push(header_part(FIRST_HEADER, &header.add_paragraph(empty())));
    }
    if !regions.address.is_empty() {
        let mut footer = Footer::new();
        for block in &regions.address {
            footer = footer.add_paragraph(writer.text_paragraph(block));
        }
        parts.push(footer_part(ADDRESS_FOOTER, &footer));
        parts.push(footer_part(
            EMPTY_FOOTER,
            &Footer::new().add_paragraph(empty()),
        ));
    }
    parts
}

fn header_part((rid, file): (&'static str, &'static str), header: &Header) -> Part {
    use docx_rs::BuildXML;
    Part {
        rid,
        file,
        is_header: true,
        xml: header.build(),
    }
}

fn footer_part((rid, file): (&'static str, &'static str), footer: &Footer) -> Part {
    use docx_rs::BuildXML;
    Part {
        rid,
        file,
        is_header: false,
        xml: footer.build(),
    }
}

/// A PAGE field built from plain runs, so that it takes the header style's 13 pt
/// (docx-rs's `PageNum` writes an empty run property that cannot carry a style).
fn page_number_paragraph() -> Paragraph {
    use docx_rs::{FieldCharType, InstrPAGE, InstrText};
    Paragraph::new()
        .style(PAGE_NUMBER)
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("2"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
}

/// Lays out blocks; remembers the header rows of every table it makes.
struct Writer {
    page: PageGeometry,
    header_rows: Vec<usize>,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            page: PageGeometry::A4,
            header_rows: Vec::new(),
        }
    }

    fn text_width(&self) -> f32 {
        self.page.text_width()
    }

    fn left_column(&self) -> f32 {
        self.text_width() * self.page.left_column
    }

    fn right_column(&self) -> f32 {
        self.text_width() - self.left_column()
    }

    /// Records a table with `header_rows` repeated rows and returns it as a child.
    fn table(&mut self, table: Table, header_rows: usize) -> Child {
        self.header_rows.push(header_rows);
        Child::Table(Box::new(table))
    }

    // ---- header rows (ô 1–4) -------------------------------------------------------------

    fn letterhead(&mut self, regions: &Regions<'_>) -> Vec<Child> {
        if regions.issuer.is_empty()
            && regions.national.is_empty()
            && regions.number.is_empty()
            && regions.place_date.is_empty()
        {
            return Vec::new();
        }
        let left = self.left_column();
        let mut right = self.right_column();
        let place_size = self.place_date_size(&regions.place_date, &mut right);
        let national_size = self.national_size(&regions.national, right);
        let top = TableRow::new(vec![
            cell(left, self.column_blocks(&regions.issuer, left, None)),
            cell(
                right,
                self.column_blocks(&regions.national, right, national_size),
            ),
        ]);
        let mut rows = vec![top];
        if !regions.number.is_empty() || !regions.place_date.is_empty() {
            rows.push(self.number_row(regions, (left, right), place_size));
        }
        let table = layout_table(rows, &[left, right]);
        vec![self.table(table, 0)]
    }

    /// Row 2: "Số:" and the place-date line on one row, baselines aligned.
    fn number_row(
        &self,
        regions: &Regions<'_>,
        (left, right): (f32, f32),
        place_size: Option<f32>,
    ) -> TableRow {
        let number_size = first_size(&regions.number, None);
        let place = first_size(&regions.place_date, place_size);
        let shift = ascent() * (place - number_size);
        let gap = style::HEADER_ROW_GAP;
        let mut number = self.column_blocks(&regions.number, left, None);
        let mut date = self.column_blocks(&regions.place_date, right, place_size);
        push_down(&mut number, gap + shift.max(0.0));
        push_down(&mut date, gap + (-shift).max(0.0));
        TableRow::new(vec![cell(left, number), cell(right, date)])
    }

    /// The place-date line at 14 pt may not fit its column: 13 pt, then let the table reach
    /// into the right margin by up to 10 mm (FORMAT.md §4.2 fit rules).
    fn place_date_size(&self, blocks: &[&Block], right: &mut f32) -> Option<f32> {
        let block = blocks.first()?;
        let block_style = style::style(block.role);
        if block_width(block, block_style.size) + FIT_MARGIN <= *right {
            return None;
        }
        let smaller = block_style.size - 1.0;
        let overflow = block_width(block, smaller) + FIT_MARGIN - *right;
        if overflow > 0.0 {
            *right += overflow.min(mm(10.0));
        }
        Some(smaller)
    }

    /// The Quốc hiệu never wraps: 12 pt when 13 pt does not fit (FORMAT.md §4.2).
    fn national_size(&self, blocks: &[&Block], right: f32) -> Option<f32> {
        let block = blocks
            .iter()
            .find(|block| block.role == Role::NationalName)?;
        let size = style::style(Role::NationalName).size;
        (block_width(block, size) + FIT_MARGIN > right).then_some(size - 1.0)
    }

    /// Blocks stacked in one column, each followed by its rule if it has one.
    fn column_blocks(&self, blocks: &[&Block], width: f32, size: Option<f32>) -> Vec<Paragraph> {
        let mut paragraphs = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let resized =
                size.filter(|_| matches!(block.role, Role::NationalName | Role::PlaceDate));
            paragraphs.push(self.sized_paragraph(block, resized));
            paragraphs.extend(rule_after(blocks, index, width));
        }
        paragraphs
    }

    // ---- stamps (ô 10a, 10b, 11) --------------------------------------------------------

    fn stamps(&mut self, blocks: &[&Block]) -> Vec<Child> {
        let mut children = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let gap = if index == 0 {
                style::STAMP_GAP.0
            } else {
                style::STAMP_GAP.1
            };
            children.push(Child::paragraph(spacer(gap)));
            let table = self.stamp(block, 0.0);
            children.push(self.table(table, 0));
        }
        children
    }

    /// A one-cell framed table `indent` pt from the left margin.
    fn stamp(&self, block: &Block, indent: f32) -> Table {
        let block_style = style::style(block.role);
        let width = match block.role {
            Role::Urgency => style::urgency_frame_width(&block_text(block)),
            _ => block_width(block, block_style.size) + mm(6.0),
        };
        let color = if block_style.red { RED } else { "000000" };
        let paragraph = self.text_paragraph(block).align(AlignmentType::Center);
        let cell = TableCell::new()
            .add_paragraph(paragraph)
            .width(twips_u(width), WidthType::Dxa)
            .vertical_align(VAlignType::Center);
        let row = TableRow::new(vec![cell])
            .row_height(twips(style::STAMP_HEIGHT) as f32)
            .height_rule(HeightRule::Exact);
        let side = |position| {
            TableBorder::new(position)
                .size(eighths(RULE_THICKNESS))
                .color(color)
        };
        let borders = TableBorders::with_empty()
            .set(side(TableBorderPosition::Top))
            .set(side(TableBorderPosition::Left))
            .set(side(TableBorderPosition::Bottom))
            .set(side(TableBorderPosition::Right));
        Table::new(vec![row])
            .set_grid(vec![twips_u(width)])
            .layout(TableLayoutType::Fixed)
            .width(twips_u(width), WidthType::Dxa)
            .indent(twips(indent))
            .margins(zero_side_margins())
            .set_borders(borders)
    }

    /// The circulation note, in the first-page header, over x 96–140 mm of the text area.
    fn circulation(&self, block: &Block) -> Table {
        let (start, end) = style::CIRCULATION_X;
        let text = block_width(block, style::style(block.role).size) + mm(6.0);
        let width = text.max(end - start);
        let centre = (start + end) / 2.0;
        self.stamp(block, (centre - width / 2.0).max(0.0))
    }

    // ---- the flow of main content and appendices ----------------------------------------

    /// Paragraphs and tables of the main region or of one appendix, in order.
    fn flow(&mut self, blocks: &[&Block], after_header: bool) -> Vec<Child> {
        let mut children = Vec::new();
        let mut index = 0;
        let mut previous: Option<Role> = None;
        while index < blocks.len() {
            let block = blocks[index];
            let gap = flow_gap(previous, block.role, after_header);
            if block.role == Role::KinhGui {
                let group = kinh_gui_group(&blocks[index..]);
                children.extend(self.kinh_gui(&group, gap));
                index += group.len();
                previous = Some(Role::KinhGuiItem);
                continue;
            }
            match &block.content {
                Content::Table(table) => {
                    let table = self.data_table(table, &block.origin);
                    children.push(self.table(table, header_count(block)));
                    let after = style::style(Role::Table).space_after;
                    children.push(Child::paragraph(spacer(after)));
                }
                Content::Text(_) | Content::Space => {
                    let mut paragraph = self.text_paragraph(block);
                    if let Some(gap) = gap {
                        paragraph = with_space_before(paragraph, gap);
                    }
                    children.push(Child::paragraph(paragraph));
                    let rule = rule_after(blocks, index, self.text_width());
                    children.extend(rule.map(Child::paragraph));
                }
            }
            previous = Some(block.role);
            index += 1;
        }
        keep_last_with_next(&mut children);
        children
    }

    /// Kính gửi: the block is centred on the text width and the dashes of the recipients
    /// stand under the colon of "Kính gửi:" (FORMAT.md §3.10).
    fn kinh_gui(&self, group: &[&Block], gap: Option<f32>) -> Vec<Child> {
        let size = style::style(Role::KinhGui).size;
        let head = group[0];
        let head_text = block_text(head);
        let head_width = text_width(&head_text, false, false, size);
        let items = &group[1..];
        let width = self.text_width();
        let mut children = Vec::new();
        if items.is_empty() {
            let left = ((width - head_width) / 2.0).max(0.0);
            let paragraph = self
                .text_paragraph(head)
                .indent(Some(twips(left)), None, None, None);
            let paragraph = with_gap(paragraph, gap);
            return vec![Child::paragraph(paragraph)];
        }
        let colon = head_text
            .find(':')
            .map_or(head_text.as_str(), |at| &head_text[..at]);
        let dash_x = text_width(colon, false, false, size);
        let dash = text_width("- ", false, false, size);
        let widest_item = items
            .iter()
            .map(|item| block_width(item, size))
            .fold(0.0_f32, f32::max);
        let block = head_width.max(dash_x + widest_item);
        let left = ((width - block) / 2.0).max(0.0);
        let head = self
            .text_paragraph(head)
            .indent(Some(twips(left)), None, None, None);
        children.push(Child::paragraph(with_gap(head, gap)));
        for item in items {
            let paragraph = self.text_paragraph(item).indent(
                Some(twips(left + dash_x + dash)),
                Some(SpecialIndentType::Hanging(twips(dash))),
                None,
                None,
            );
            children.push(Child::paragraph(paragraph));
        }
        children
    }

    /// A data table: column widths from the data (the PDF layout's own widths when the data
    /// gives none), header rows repeated on every page.
    fn data_table(&self, table: &crate::compose::Table, origin: &FieldPath) -> Table {
        let widths = column_widths(table, self.text_width(), origin);
        let mut rows = Vec::new();
        for row in &table.header {
            rows.push(data_row(row, &widths, TABLE_HEADER).cant_split());
        }
        for row in &table.rows {
            rows.push(data_row(row, &widths, style_id(Role::Table)));
        }
        let side = |position| TableBorder::new(position).size(eighths(RULE_THICKNESS));
        let borders = TableBorders::with_empty()
            .set(side(TableBorderPosition::Top))
            .set(side(TableBorderPosition::Left))
            .set(side(TableBorderPosition::Bottom))
            .set(side(TableBorderPosition::Right))
            .set(side(TableBorderPosition::InsideH))
            .set(side(TableBorderPosition::InsideV));
        let (pad_x, pad_y) = style::TABLE_CELL_PADDING;
        let padding = TableCellMargins::new().margin(
            twips_u(pad_y),
            twips_u(pad_x),
            twips_u(pad_y),
            twips_u(pad_x),
        );
        Table::new(rows)
            .set_grid(widths.iter().map(|width| twips_u(*width)).collect())
            .layout(TableLayoutType::Fixed)
            .width(twips_u(self.text_width()), WidthType::Dxa)
            .margins(padding)
            .set_borders(borders)
    }

    // ---- signature row (ô 7, 8, 9b, 12) --------------------------------------------------

    fn signature_row(&mut self, regions: &Regions<'_>, images: &Images) -> Vec<Child> {
        if regions.recipients.is_empty() && regions.signature.is_empty() {
            return Vec::new();
        }
        let (left, right) = (self.left_column(), self.right_column());
        let recipients = self.column_blocks(&regions.recipients, left, None);
        let mut signature: Vec<Paragraph> = regions
            .signature
            .iter()
            .map(|block| self.text_paragraph(block))
            .collect();
        let space = regions
            .signature
            .iter()
            .position(|block| block.role == Role::SignSpace);
        if let Some(space) = space {
            // The images hang from the line above the space, so that a seal taller than the
            // space can still be centred on it (docx-rs offsets cannot be negative).
            let (anchor, lead) = match space.checked_sub(1) {
                Some(above) => (above, line_box(regions.signature[above].role)),
                None => (space, 0.0),
            };
            let paragraph = std::mem::take(&mut signature[anchor]);
            signature[anchor] = add_images(paragraph, images, right, lead);
        }
        // "Nơi nhận:" (12 pt) and the first authority line (14 pt) share a baseline.
        let heading = first_size(&regions.recipients, None);
        let authority = first_size(&regions.signature, None);
        let shift = ascent() * (authority - heading);
        let gap = style::SIGNATURE_ROW_GAP - style::style(Role::Paragraph).space_after;
        let mut recipients = recipients;
        push_down(&mut recipients, gap + shift.max(0.0));
        push_down(&mut signature, gap + (-shift).max(0.0));
        let row = TableRow::new(vec![cell(left, recipients), cell(right, signature)]).cant_split();
        let table = layout_table(vec![row], &[left, right]);
        vec![self.table(table, 0)]
    }

    // ---- paragraphs ---------------------------------------------------------------------

    fn text_paragraph(&self, block: &Block) -> Paragraph {
        self.sized_paragraph(block, None)
    }

    /// A paragraph in the role's style; `size` overrides the style's size on its runs.
    fn sized_paragraph(&self, block: &Block, size: Option<f32>) -> Paragraph {
        let block_style = style::style(block.role);
        let mut paragraph = Paragraph::new().style(style_id(block.role));
        if let Content::Text(runs) = &block.content {
            for run in runs {
                paragraph = add_run(paragraph, run, &block_style, size);
            }
        }
        paragraph
    }
}

/// The runs of one composed run: text, line breaks, or the gap of an empty slot.
fn add_run(
    mut paragraph: Paragraph,
    run: &TextRun,
    block_style: &BlockStyle,
    size: Option<f32>,
) -> Paragraph {
    let text = match run.slot {
        Some(kind) if run.text.trim().is_empty() => slot_gap(kind, block_style, size),
        _ => run.text.clone(),
    };
    for (index, line) in text.split('\n').enumerate() {
        let mut docx_run = Run::new();
        if index > 0 {
            docx_run = docx_run.add_break(BreakType::TextWrapping);
        }
        for (column, piece) in line.split('\t').enumerate() {
            if column > 0 {
                docx_run = docx_run.add_tab();
            }
            docx_run = docx_run.add_text(xml_text(piece));
        }
        if run.bold {
            docx_run = docx_run.bold();
        }
        if run.italic {
            docx_run = docx_run.italic();
        }
        if let Some(size) = size {
            docx_run = docx_run.size(half_points(size));
        }
        if run.slot.is_some() {
            docx_run = docx_run.style(SLOT);
        }
        paragraph = paragraph.add_run(docx_run);
    }
    paragraph
}

/// Text without the characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF),
/// which would make Word refuse the whole file.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| {
            let control = u32::from(*c) < 0x20 && !matches!(*c, '\t' | '\n' | '\r');
            !control && !matches!(*c, '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

/// Spaces as wide as the slot's gap on a draft (FORMAT.md §3.3: `Số:      /KH-CĐN`).
fn slot_gap(kind: SlotKind, block_style: &BlockStyle, size: Option<f32>) -> String {
    let size = size.unwrap_or(block_style.size);
    let space = text_width(" ", block_style.bold, block_style.italic, size).max(0.1);
    let count = (style::slot_gap(kind) / space).ceil().clamp(1.0, 40.0) as usize;
    " ".repeat(count)
}

/// The floating signature and seal in the signature space: the signature centred, the seal
/// over its left third (FORMAT.md §3.9), both inside the cell, centred on the signature
/// space that starts `lead` pt below the anchor paragraph's top.
fn add_images(paragraph: Paragraph, images: &Images, column: f32, lead: f32) -> Paragraph {
    let space = style::SIGNATURE_SPACE;
    let signature_left = images
        .signature
        .as_ref()
        .map(|image| ((column - image.size.0) / 2.0).max(0.0));
    let mut paragraph = paragraph;
    if let (Some(image), Some(left)) = (&images.signature, signature_left) {
        let top = (lead + (space - image.size.1) / 2.0).max(0.0);
        paragraph =
            paragraph.add_run(Run::new().add_image(floating(image, "signature", left, top, 1)));
    }
    if let Some(seal) = &images.seal {
        let left = match (&images.signature, signature_left) {
            (Some(image), Some(sign_left)) => sign_left + image.size.0 / 3.0 - seal.size.0,
            _ => (column - seal.size.0) / 2.0,
        };
        let top = lead + (space - seal.size.1) / 2.0;
        paragraph = paragraph.add_run(Run::new().add_image(floating(
            seal,
            "seal",
            left.max(0.0),
            top.max(0.0),
            2,
        )));
    }
    paragraph
}

/// Height of a one-line paragraph of `role`: its line and its space after.
fn line_box(role: Role) -> f32 {
    let block_style = style::style(role);
    block_style.size * line_height() * block_style.line_height + block_style.space_after
}

/// A picture floating in front of the text, `left`/`top` pt from its cell and paragraph.
fn floating(image: &Placed, id: &str, left: f32, top: f32, z: u32) -> Pic {
    let mut pic = Pic::new_with_dimensions(image.png.clone(), image.pixels.0, image.pixels.1)
        .id(id)
        .size(emu(image.size.0) as u32, emu(image.size.1) as u32)
        .floating()
        .overlapping()
        .relative_from_h(RelativeFromHType::Column)
        .relative_from_v(RelativeFromVType::Paragraph)
        .offset_x(emu(left) as i32)
        .offset_y(emu(top) as i32);
    pic.layout_in_cell = true;
    pic.relative_height = z;
    pic
}

/// The empty paragraph carrying the rule under a block of `role`, `widest` pt being its
/// widest line in a column `width` pt wide.
fn rule_paragraph(role: Role, widest: f32, width: f32) -> Option<Paragraph> {
    let id = rule_style_id(role)?;
    let length = match style::style(role).rule? {
        Rule::TextWidth => widest,
        Rule::Fraction { of_line, min } => (widest * of_line).max(min),
        Rule::FullWidthAbove => return None,
    };
    let side = twips(((width - length.min(width)) / 2.0).max(0.0));
    Some(
        Paragraph::new()
            .style(id)
            .indent(Some(side), None, Some(side), None),
    )
}

/// The rule under `blocks[index]` when it is the last of a run of blocks whose role has one,
/// as long as the run's widest line allows, in a column `width` pt wide.
fn rule_after(blocks: &[&Block], index: usize, width: f32) -> Option<Paragraph> {
    let role = blocks[index].role;
    rule_style_id(role)?;
    if blocks.get(index + 1).is_some_and(|next| next.role == role) {
        return None;
    }
    let size = style::style(role).size;
    // A block wider than the column wraps, so its widest line is about the column.
    let widest = blocks[..=index]
        .iter()
        .rev()
        .take_while(|block| block.role == role)
        .map(|block| block_width(block, size).min(width))
        .fold(0.0, f32::max);
    rule_paragraph(role, widest, width)
}

/// The gap a block needs above it that no style gives: Kính gửi 12 pt under the header,
/// and the body 12 pt under Kính gửi (FORMAT.md §4.2).
fn flow_gap(previous: Option<Role>, role: Role, after_header: bool) -> Option<f32> {
    match previous {
        None if after_header && role == Role::KinhGui => Some(style::KINH_GUI_GAP),
        Some(Role::KinhGui | Role::KinhGuiItem) if !matches!(role, Role::KinhGuiItem) => {
            Some(style::KINH_GUI_GAP)
        }
        _ => None,
    }
}

/// The "Kính gửi" block and the recipient lines after it.
fn kinh_gui_group<'a>(blocks: &[&'a Block]) -> Vec<&'a Block> {
    let mut group = vec![blocks[0]];
    group.extend(
        blocks[1..]
            .iter()
            .take_while(|block| block.role == Role::KinhGuiItem)
            .copied(),
    );
    group
}

/// The last paragraph of the body stays on the page of the signature row.
fn keep_last_with_next(children: &mut [Child]) {
    if let Some(Child::Paragraph(paragraph)) = children.last_mut() {
        let taken = std::mem::take(paragraph.as_mut());
        **paragraph = taken.keep_next(true);
    }
}

fn with_gap(paragraph: Paragraph, gap: Option<f32>) -> Paragraph {
    match gap {
        Some(gap) => with_space_before(paragraph, gap),
        None => paragraph,
    }
}

fn with_space_before(paragraph: Paragraph, gap: f32) -> Paragraph {
    paragraph.line_spacing(LineSpacing::new().before(twips(gap) as u32))
}

/// Moves a column down by `gap` pt: space before its first paragraph. (LibreOffice ignores a
/// cell's own top margin, so baselines are aligned this way in both readers.)
fn push_down(paragraphs: &mut [Paragraph], gap: f32) {
    if let Some(first) = paragraphs.first_mut() {
        let taken = std::mem::take(first);
        *first = with_space_before(taken, gap);
    }
}

/// An empty paragraph exactly `height` pt tall.
fn spacer(height: f32) -> Paragraph {
    Paragraph::new().style(SPACER).line_spacing(
        LineSpacing::new()
            .line(twips(height))
            .line_rule(LineSpacingType::Exact),
    )
}

/// A table cell `width` pt wide holding `paragraphs` (at least an empty one).
fn cell(width: f32, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut cell = TableCell::new().width(twips_u(width), WidthType::Dxa);
    if paragraphs.is_empty() {
        return cell.add_paragraph(Paragraph::new().style(SPACER));
    }
    for paragraph in paragraphs {
        cell = cell.add_paragraph(paragraph);
    }
    cell
}

/// A borderless fixed-width table without side padding, so that column content lines up
/// with the margins (header and signature rows).
fn layout_table(rows: Vec<TableRow>, widths: &[f32]) -> Table {
    let total: f32 = widths.iter().sum();
    Table::without_borders(rows)
        .set_grid(widths.iter().map(|width| twips_u(*width)).collect())
        .layout(TableLayoutType::Fixed)
        .width(twips_u(total), WidthType::Dxa)
        .margins(zero_side_margins())
}

fn zero_side_margins() -> TableCellMargins {
    TableCellMargins::new()
        .margin_left(0, WidthType::Dxa)
        .margin_right(0, WidthType::Dxa)
}

fn data_row(row: &[Vec<TextRun>], widths: &[f32], style: &str) -> TableRow {
    let block_style = if style == TABLE_HEADER {
        style::table_header_style()
    } else {
        style::style(Role::Table)
    };
    let cells = widths
        .iter()
        .enumerate()
        .map(|(index, width)| {
            let mut paragraph = Paragraph::new().style(style);
            for run in row.get(index).map(Vec::as_slice).unwrap_or_default() {
                paragraph = add_run(paragraph, run, &block_style, None);
            }
            TableCell::new()
                .width(twips_u(*width), WidthType::Dxa)
                .add_paragraph(paragraph)
        })
        .collect();
    TableRow::new(cells)
}

/// Column widths in pt: the data's relative widths when it gives one per column, else the
/// widths the PDF layout computes from the cell texts, so both files break lines alike.
fn column_widths(table: &crate::compose::Table, total: f32, origin: &FieldPath) -> Vec<f32> {
    let columns = table
        .header
        .iter()
        .chain(&table.rows)
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(1);
    let given = table.widths.len() == columns
        && table
            .widths
            .iter()
            .all(|width| width.is_finite() && *width > 0.0);
    if given {
        let sum: f32 = table.widths.iter().sum();
        return table
            .widths
            .iter()
            .map(|width| total * width / sum)
            .collect();
    }
    let mut ctx = Ctx {
        book: FontBook::embedded(),
        diagnostics: Diagnostics::default(),
    };
    let column = Column {
        x: 0.0,
        width: total,
    };
    let rows = crate::layout::table::table(table, column, &mut ctx, origin);
    let first = rows.header.first().or(rows.rows.first());
    let widths: Vec<f32> = first
        .map(|row| {
            row.items
                .iter()
                .filter_map(|item| match item {
                    Item::Frame(frame) => Some(frame.width),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if widths.len() == columns {
        widths
    } else {
        vec![total / columns as f32; columns]
    }
}

fn header_count(block: &Block) -> usize {
    match &block.content {
        Content::Table(table) => table.header.len(),
        _ => 0,
    }
}

/// The size of the first block's text (after an override).
fn first_size(blocks: &[&Block], size: Option<f32>) -> f32 {
    blocks
        .first()
        .map(|block| size.unwrap_or(style::style(block.role).size))
        .unwrap_or(style::BODY_SIZE)
}

fn block_text(block: &Block) -> String {
    match &block.content {
        Content::Text(runs) => crate::compose::runs_text(runs),
        _ => String::new(),
    }
}

/// Width of a block's text on one line at `size` pt, in the role's face.
fn block_width(block: &Block, size: f32) -> f32 {
    let block_style = style::style(block.role);
    text_width(
        &block_text(block),
        block_style.bold,
        block_style.italic,
        size,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_follow_the_data_or_the_cell_texts() {
        let cells = |texts: &[&str]| {
            texts
                .iter()
                .map(|text| vec![TextRun::plain(*text)])
                .collect()
        };
        let mut table = crate::compose::Table {
            widths: vec![1.0, 3.0],
            header: vec![],
            rows: vec![cells(&[
                "1",
                "Công đoàn cơ sở Trường Tiểu học số 1 xã Bản Hon",
            ])],
        };
        let origin = FieldPath::root();
        assert_eq!(column_widths(&table, 400.0, &origin), vec![100.0, 300.0]);
        table.widths = vec![f32::NAN, 1.0];
        let widths = column_widths(&table, 400.0, &origin);
        assert_eq!(widths.len(), 2);
        assert!(
            widths[0] < widths[1],
            "the long text gets the room: {widths:?}"
        );
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.1);
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(xml_text("Điều\u{1}1.\u{FFFF}"), "Điều1.");
        let paragraph = add_run(
            Paragraph::new(),
            &TextRun::plain("a\tb\nc\u{0}"),
            &style::style(Role::Paragraph),
            None,
        );
        use docx_rs::BuildXML;
        let xml = String::from_utf8(paragraph.build()).expect("utf-8");
        assert!(xml.contains("<w:tab />") && xml.contains(r#"<w:br w:type="textWrapping" />"#));
        assert!(!xml.contains('\u{0}'));
    }

    #[test]
    fn rules_have_the_decree_lengths() {
        // Tiêu ngữ: as long as the text; issuer: 0.4 of the line, at least 20 mm.
        let motto = rule_paragraph(Role::Motto, 200.0, 280.0).expect("rule");
        let indent = motto.property.indent.expect("indent");
        assert_eq!(indent.start, Some(twips(40.0)));
        let issuer = rule_paragraph(Role::IssuerName, 100.0, 187.0).expect("rule");
        let side = issuer.property.indent.expect("indent").start.expect("left");
        assert_eq!(side, twips((187.0 - mm(20.0)) / 2.0));
        assert!(rule_paragraph(Role::Paragraph, 100.0, 100.0).is_none());
    }
}

//! The letterhead of page 1 (FORMAT.md §4.1, §4.2): two rows of two columns, the stamps
//! under them and the circulation note in the top margin.
//!
//! Row 1: parent and issuer (ô 2, left, with the short rule) beside the Quốc hiệu and Tiêu
//! ngữ (ô 1, right, with a rule as long as the Tiêu ngữ). Row 2: "Số: …" (ô 3) and the
//! place-date line (ô 4) on one baseline, the V/v line of a Công văn (ô 5b) under the number.
//! Fit rules: the Quốc hiệu never wraps (12 pt when 13 pt does not fit); the place-date line
//! shrinks from 14 to 13 pt, then may reach 10 mm into the right margin, and only then wraps;
//! long issuer names wrap inside the left column.

use crate::compose::{Block, Content, Regions, Role, Run};
use crate::layout::font::FaceId;
use crate::layout::page::{FieldLine, Frag, FrameItem, Item, LineSegment};
use crate::layout::para::{Column, Ctx, SetLines, add_rule, set_text, slot_name};
use crate::layout::shape::measure;
use crate::layout::style::{
    BlockStyle, PageGeometry, Rule, STAMP_HEIGHT, mm, style, urgency_frame_width,
};

/// Gap between the header rows and under row 2 (FORMAT.md §4.2): 6 pt.
const ROW_GAP: f32 = 6.0;
/// Gap between stacked stamps: 3 pt.
const STAMP_GAP: f32 = 3.0;
/// How far the place-date line may reach into the right margin before it wraps: 10 mm.
const PLACE_DATE_OVERHANG: f32 = mm(10.0);
/// Baseline of the circulation note (ô 11), from the top edge of the page: 15 mm.
const CIRCULATION_BASELINE: f32 = mm(15.0);
/// Centre of the circulation note's frame, from the left edge of the page: 148 mm.
const CIRCULATION_CENTRE: f32 = mm(148.0);
/// Padding between a stamp's text and its frame when the frame is sized by the text.
const STAMP_PADDING: f32 = mm(3.0);

/// The letterhead as one fragment whose top is the top of the text area.
pub fn header(regions: &Regions<'_>, geometry: &PageGeometry, ctx: &mut Ctx<'_>) -> Frag {
    let (left, right) = columns(geometry);
    let mut frag = Frag::default();
    let issuer = stack_blocks(&regions.issuer, left, ctx);
    let national = national(&regions.national, right, ctx);
    let row1 = issuer.height.max(national.height);
    frag.place(issuer, 0.0);
    frag.place(national, 0.0);
    let row2_top = if row1 > 0.0 { row1 + ROW_GAP } else { 0.0 };
    let row2 = number_and_date(regions, left, right, ctx);
    frag.place(row2, row2_top);
    let stamps = stamps(&regions.stamps, geometry.left, ctx);
    if !stamps.items.is_empty() {
        frag.stack(stamps, ROW_GAP);
    }
    for block in &regions.top_band {
        let note = framed(block, CIRCULATION_CENTRE, None, ctx);
        let top = CIRCULATION_BASELINE - geometry.top - note.baseline;
        frag.items
            .extend(note.items.into_iter().map(|item| item.shifted(top)));
    }
    frag
}

/// The 40 % / 60 % columns of the header and signature rows.
pub fn columns(geometry: &PageGeometry) -> (Column, Column) {
    let width = geometry.text_width();
    let left = Column {
        x: geometry.left,
        width: width * geometry.left_column,
    };
    let right = Column {
        x: left.right(),
        width: width - left.width,
    };
    (left, right)
}

/// The runs of a text block (none for tables and spaces).
pub fn runs(block: &Block) -> &[Run] {
    match &block.content {
        Content::Text(runs) => runs,
        Content::Table(_) | Content::Space => &[],
    }
}

/// Blocks set one under the other in a column, each with its style's spacing and rule.
pub fn stack_blocks(blocks: &[&Block], column: Column, ctx: &mut Ctx<'_>) -> Frag {
    let mut frag = Frag::default();
    let mut gap = 0.0;
    let last_issuer = blocks
        .iter()
        .rposition(|block| block.role == Role::IssuerName);
    for (i, block) in blocks.iter().enumerate() {
        let style = style(block.role);
        let mut set = set_text(runs(block), &style, column, ctx, &block.origin);
        lift_field_line(&mut set, runs(block), &style, column);
        // One rule under the issuer's last line; one rule above a run of blocks that each
        // have it (the address lines, ô 13), as Word joins the equal borders of consecutive
        // paragraphs into one.
        let rule_here = match block.role {
            Role::IssuerName => Some(i) == last_issuer,
            _ if style.rule == Some(Rule::FullWidthAbove) => {
                i == 0 || blocks[i - 1].role != block.role
            }
            _ => true,
        };
        if let (Some(rule), true) = (style.rule, rule_here) {
            add_rule(&mut set, rule, column);
        }
        let before = if frag.items.is_empty() {
            0.0
        } else {
            style.space_before
        };
        frag.stack(set.into_frag(), gap + before);
        gap = style.space_after;
    }
    frag
}

fn national(blocks: &[&Block], column: Column, ctx: &mut Ctx<'_>) -> Frag {
    let mut frag = Frag::default();
    for block in blocks {
        let mut style = style(block.role);
        let face = FaceId::from_style(style.bold, style.italic);
        let text: String = runs(block).iter().map(|run| run.text.as_str()).collect();
        if block.role == Role::NationalName
            && measure(&text, face, style.size, ctx.book) > column.width
        {
            style.size = 12.0;
        }
        // Never wrap ô 1: widen the measure around the column's centre if even 12 pt is wide.
        let width = measure(&text, face, style.size, ctx.book).max(column.width);
        let wide = Column {
            x: column.centre() - width / 2.0,
            width,
        };
        let mut set = set_text(runs(block), &style, wide, ctx, &block.origin);
        if let Some(rule) = style.rule {
            add_rule(&mut set, rule, wide);
        }
        frag.stack(set.into_frag(), 0.0);
    }
    frag
}

/// Row 2: number (and V/v) on the left, place-date on the right, on one baseline.
fn number_and_date(regions: &Regions<'_>, left: Column, right: Column, ctx: &mut Ctx<'_>) -> Frag {
    let number = stack_blocks(&regions.number, left, ctx);
    let date = place_date(&regions.place_date, right, ctx);
    let baseline = number.baseline.max(date.baseline);
    let mut frag = Frag::default();
    let number_top = baseline - number.baseline;
    let date_top = baseline - date.baseline;
    frag.place(number, number_top);
    frag.place(date, date_top);
    frag
}

fn place_date(blocks: &[&Block], column: Column, ctx: &mut Ctx<'_>) -> Frag {
    let mut frag = Frag::default();
    for block in blocks {
        let (style, column) = fit_place_date(block, column, ctx);
        let mut set = set_text(runs(block), &style, column, ctx, &block.origin);
        lift_field_line(&mut set, runs(block), &style, column);
        frag.stack(set.into_frag(), 0.0);
    }
    frag
}

/// A one-line block with empty text slots (a draft's "Số:      /KH-CĐN" or "Đồng Nai, ngày
/// tháng    năm     ") is handed to its first slot's field: the field's rectangle becomes the
/// whole line in `column`, its [`FieldLine`] records the text and the fields between, and the
/// line's glyphs are marked to be drawn by that field's appearance, not by the page. Filling
/// the fields then sets the line anew with the values in place. A block that wrapped, or
/// whose slots already hold values, is left as it is.
fn lift_field_line(set: &mut SetLines, runs: &[Run], style: &BlockStyle, column: Column) {
    let [line] = set.lines.as_mut_slice() else {
        return;
    };
    if line.slots.is_empty() || line.slots.iter().any(|slot| !slot.value.is_empty()) {
        return;
    }
    let mut segments: Vec<LineSegment> = Vec::new();
    for run in runs {
        match (run.slot, segments.last_mut()) {
            (Some(kind), _) => segments.push(LineSegment::Field(slot_name(kind))),
            (None, Some(LineSegment::Text(text))) => text.push_str(&run.text),
            (None, _) => segments.push(LineSegment::Text(run.text.clone())),
        }
    }
    let lead = &mut line.slots[0];
    let name = lead.name;
    lead.x = column.x;
    lead.width = column.width;
    lead.line = Some(FieldLine {
        segments,
        align: style.align,
    });
    for item in &mut line.items {
        if let Item::Text(text) = item {
            text.field = Some(name);
        }
    }
}

/// 14 pt if it fits, else 13 pt, else 13 pt reaching up to 10 mm into the right margin;
/// wider than that, it wraps at 13 pt in the column.
fn fit_place_date(block: &Block, column: Column, ctx: &mut Ctx<'_>) -> (BlockStyle, Column) {
    let mut style = style(block.role);
    let width = |style: &BlockStyle, ctx: &mut Ctx<'_>| {
        let mut probe = Ctx {
            book: ctx.book,
            diagnostics: Default::default(),
        };
        let wide = Column {
            x: 0.0,
            width: f32::MAX / 4.0,
        };
        let set = set_text(runs(block), style, wide, &mut probe, &block.origin);
        set.widths.first().copied().unwrap_or(0.0)
    };
    if width(&style, ctx) <= column.width {
        return (style, column);
    }
    style.size = 13.0;
    let natural = width(&style, ctx);
    if natural <= column.width + PLACE_DATE_OVERHANG {
        let grown = Column {
            width: natural.max(column.width),
            ..column
        };
        return (style, grown);
    }
    (style, column)
}

/// Stamps (ô 10a, 10b) stacked at the left margin.
fn stamps(blocks: &[&Block], x: f32, ctx: &mut Ctx<'_>) -> Frag {
    let mut frag = Frag::default();
    for block in blocks {
        let text: String = runs(block).iter().map(|run| run.text.as_str()).collect();
        let width = (block.role == Role::Urgency).then(|| urgency_frame_width(&text));
        let stamp = framed(block, 0.0, width, ctx);
        let (x0, w) = stamp_extent(&stamp);
        let mut moved = Frag::default();
        let dx = x - x0;
        moved.height = stamp.height;
        moved.baseline = stamp.baseline;
        moved.items = stamp
            .items
            .into_iter()
            .map(|item| shift_x(item, dx))
            .collect();
        let _ = w;
        let gap = if frag.items.is_empty() {
            0.0
        } else {
            STAMP_GAP
        };
        frag.stack(moved, gap);
    }
    frag
}

/// A one-line text in a frame 8 mm high centred at `centre`; the frame is `width` wide or
/// the text plus padding.
fn framed(block: &Block, centre: f32, width: Option<f32>, ctx: &mut Ctx<'_>) -> Frag {
    let style = BlockStyle {
        align: crate::layout::style::Align::Center,
        first_indent: 0.0,
        ..style(block.role)
    };
    let text: String = runs(block).iter().map(|run| run.text.as_str()).collect();
    let face = FaceId::from_style(style.bold, style.italic);
    let natural = measure(&text, face, style.size, ctx.book);
    let frame_width = width
        .unwrap_or(natural + 2.0 * STAMP_PADDING)
        .max(natural + 2.0);
    let column = Column {
        x: centre - frame_width / 2.0,
        width: frame_width,
    };
    let set: SetLines = set_text(runs(block), &style, column, ctx, &block.origin);
    let line = set.into_frag();
    let cap = ctx.book.face(face).cap_height * style.size;
    let baseline = (STAMP_HEIGHT + cap) / 2.0;
    let mut frag = Frag {
        height: STAMP_HEIGHT,
        baseline,
        ..Frag::default()
    };
    frag.items.push(Item::Frame(FrameItem {
        x: column.x,
        y: 0.0,
        width: frame_width,
        height: STAMP_HEIGHT,
        thickness: 1.0,
        red: style.red,
    }));
    let dy = baseline - line.baseline;
    frag.items
        .extend(line.items.into_iter().map(|item| item.shifted(dy)));
    frag
}

fn stamp_extent(frag: &Frag) -> (f32, f32) {
    frag.items
        .iter()
        .find_map(|item| match item {
            Item::Frame(frame) => Some((frame.x, frame.width)),
            _ => None,
        })
        .unwrap_or((0.0, 0.0))
}

fn shift_x(mut item: Item, dx: f32) -> Item {
    match &mut item {
        Item::Text(text) => {
            text.x += dx;
            text.measure = (text.measure.0 + dx, text.measure.1 + dx);
        }
        Item::Rule(rule) => {
            rule.x0 += dx;
            rule.x1 += dx;
        }
        Item::Frame(frame) => frame.x += dx,
    }
    item
}

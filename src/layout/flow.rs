//! The flow: the blocks of the main text (or an appendix) become a list of elements the
//! paginator can fill pages with, each saying whether a page may break before it.
//!
//! Break rules, encoded per element: no break inside the first two or last two lines of a
//! paragraph (orphans and widows); none after a heading (keep with next) or inside it; none
//! between a table's header rows and its first row; none before the signature row, which
//! therefore takes at least the last two body lines with it.

use std::rc::Rc;

use crate::compose::{Block, Content, Role};
use crate::layout::header::runs;
use crate::layout::page::Frag;
use crate::layout::para::{Column, Ctx, add_rule, set_text};
use crate::layout::style::{Align, BlockStyle, mm, style};
use crate::layout::table::table;

/// Space under the Kính gửi block and above the signature row (FORMAT.md §4.2): 12 pt.
const SECTION_GAP: f32 = 12.0;
/// Shortest paragraph part left at the foot or the head of a page, lines.
const MIN_LINES: usize = 2;

/// One unit of the flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The content; its top is the element's top.
    pub frag: Frag,
    /// Space above it, dropped at the top of a page.
    pub space_before: f32,
    /// A page may break right before this element.
    pub breakable: bool,
    /// Table header rows to repeat when a page starts with this element.
    pub repeat: Option<Rc<Vec<Frag>>>,
}

/// Build the elements of a list of flow blocks set across `column`.
pub fn elements(blocks: &[&Block], column: Column, ctx: &mut Ctx<'_>) -> Vec<Element> {
    let mut builder = Builder {
        out: Vec::new(),
        space_after: 0.0,
        keep: false,
    };
    let mut i = 0;
    while i < blocks.len() {
        let block = blocks[i];
        let items = blocks[i + 1..]
            .iter()
            .take_while(|next| next.role == Role::KinhGuiItem)
            .count();
        if block.role == Role::KinhGui && items > 0 {
            builder.kinh_gui(&blocks[i..=i + items], column, ctx);
            i += items + 1;
            continue;
        }
        match &block.content {
            Content::Text(_) if block.role == Role::KinhGui => {
                // "Kính gửi: Bộ Nội vụ" on one line is centred (FORMAT.md §3.10).
                let centred = BlockStyle {
                    align: Align::Center,
                    first_indent: 0.0,
                    ..style(block.role)
                };
                builder.text_styled(block, centred, column, ctx);
            }
            Content::Text(_) => builder.text(block, column, ctx),
            Content::Table(data) => {
                let rows = table(data, column, ctx, &block.origin);
                builder.table(block, rows.header, rows.rows);
            }
            Content::Space => {}
        }
        if block.role == Role::KinhGui {
            builder.space_after += SECTION_GAP;
        }
        i += 1;
    }
    builder.out
}

/// Append the signature row: it may not start a page on its own, so it pulls the body's
/// last lines (at least two) onto its page.
pub fn append_signature(elements: &mut Vec<Element>, row: Frag) {
    if let Some(last) = elements.last_mut() {
        let single_line = last.breakable;
        if single_line {
            // The last paragraph has one line: keep it with the line above as well.
            last.breakable = false;
        }
    }
    elements.push(Element {
        frag: row,
        space_before: SECTION_GAP,
        breakable: false,
        repeat: None,
    });
}

struct Builder {
    out: Vec<Element>,
    space_after: f32,
    keep: bool,
}

impl Builder {
    fn text(&mut self, block: &Block, column: Column, ctx: &mut Ctx<'_>) {
        self.text_styled(block, style(block.role), column, ctx);
    }

    fn text_styled(&mut self, block: &Block, style: BlockStyle, column: Column, ctx: &mut Ctx<'_>) {
        let mut set = set_text(runs(block), &style, column, ctx, &block.origin);
        if let Some(rule) = style.rule {
            add_rule(&mut set, rule, column);
        }
        let n = set.lines.len();
        for (j, line) in set.lines.into_iter().enumerate() {
            let breakable = if j == 0 {
                !self.keep
            } else {
                !style.keep_with_next && j >= MIN_LINES && n - j >= MIN_LINES
            };
            let space_before = if j == 0 {
                self.space_after + style.space_before
            } else {
                0.0
            };
            self.out.push(Element {
                frag: line,
                space_before,
                breakable,
                repeat: None,
            });
        }
        if n > 0 {
            self.space_after = style.space_after;
            self.keep = style.keep_with_next;
        }
    }

    fn table(&mut self, block: &Block, header: Vec<Frag>, rows: Vec<Frag>) {
        let style = style(block.role);
        let repeat = Rc::new(header.clone());
        let mut first = true;
        for frag in header {
            self.push_part(frag, &mut first, style.space_before, None, false);
        }
        let header_rows = !repeat.is_empty();
        for (i, frag) in rows.into_iter().enumerate() {
            let after_header = i == 0 && header_rows;
            let repeat = header_rows.then(|| repeat.clone());
            self.push_part(frag, &mut first, style.space_before, repeat, !after_header);
        }
        self.space_after = style.space_after;
        self.keep = false;
    }

    fn push_part(
        &mut self,
        frag: Frag,
        first: &mut bool,
        before: f32,
        repeat: Option<Rc<Vec<Frag>>>,
        breakable: bool,
    ) {
        let (space_before, breakable) = if *first {
            (self.space_after + before, !self.keep)
        } else {
            (0.0, breakable)
        };
        *first = false;
        self.out.push(Element {
            frag,
            space_before,
            breakable,
            repeat,
        });
    }

    /// "Kính gửi:" with the recipients' dashes aligned under its colon, the whole block
    /// centred on the text width (FORMAT.md §3.10).
    fn kinh_gui(&mut self, blocks: &[&Block], column: Column, ctx: &mut Ctx<'_>) {
        let label = blocks[0];
        let label_style = style(label.role);
        let label_text: String = runs(label).iter().map(|run| run.text.as_str()).collect();
        let face = crate::layout::font::FaceId::from_style(label_style.bold, label_style.italic);
        let colon = crate::layout::shape::measure(
            label_text.trim_end().trim_end_matches(':'),
            face,
            label_style.size,
            ctx.book,
        );
        let label_width =
            crate::layout::shape::measure(label_text.trim_end(), face, label_style.size, ctx.book);
        let item_width = blocks[1..]
            .iter()
            .map(|block| {
                let style = style(block.role);
                let text: String = runs(block).iter().map(|run| run.text.as_str()).collect();
                crate::layout::shape::measure(
                    &text,
                    crate::layout::font::FaceId::from_style(style.bold, style.italic),
                    style.size,
                    ctx.book,
                )
            })
            .fold(0.0, f32::max);
        let block_width = label_width.max(colon + item_width).min(column.width);
        let left = column.x + (column.width - block_width) / 2.0;
        let mut frag = Frag::default();
        let label_column = Column {
            x: left,
            width: column.right() - left,
        };
        let set = set_text(runs(label), &label_style, label_column, ctx, &label.origin);
        frag.stack(set.into_frag(), 0.0);
        // Each item's dash under the colon; a wrapped item goes on under its text, after the
        // dash (a hanging indent, as the DOCX sets it).
        let dash_x = (left + colon).min(column.right() - mm(40.0));
        for block in &blocks[1..] {
            let mut item_style = style(block.role);
            let face = crate::layout::font::FaceId::from_style(item_style.bold, item_style.italic);
            let dash = crate::layout::shape::measure("- ", face, item_style.size, ctx.book);
            item_style.first_indent = -dash;
            let items_column = Column {
                x: dash_x + dash,
                width: column.right() - dash_x - dash,
            };
            let set = set_text(runs(block), &item_style, items_column, ctx, &block.origin);
            frag.stack(set.into_frag(), 0.0);
        }
        self.out.push(Element {
            frag,
            space_before: self.space_after + label_style.space_before,
            breakable: !self.keep,
            repeat: None,
        });
        self.space_after = SECTION_GAP;
        self.keep = true;
    }
}

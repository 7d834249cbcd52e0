//! Tables (bảng): bordered cells, column widths from the data, one fragment per row so that
//! the paginator can break between rows and repeat the header rows on every page.

use crate::compose::{Role, Run, Table};
use crate::diag::FieldPath;
use crate::layout::page::{Frag, FrameItem, Item};
use crate::layout::para::{Column, Ctx, set_text};
use crate::layout::shape::{ShapeStyle, shape};
use crate::layout::style::{Align, BlockStyle, mm, style};

/// Horizontal cell padding: 1.9 mm, Word's default cell margin.
const PAD_X: f32 = mm(1.9);
/// Vertical cell padding, pt.
const PAD_Y: f32 = 2.0;
/// Border thickness, pt.
const BORDER: f32 = 0.5;

/// The laid-out rows of a table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRows {
    /// Header rows, repeated at the top of every page the table continues on.
    pub header: Vec<Frag>,
    /// Body rows.
    pub rows: Vec<Frag>,
}

/// Lay out a table across `column`.
pub fn table(table: &Table, column: Column, ctx: &mut Ctx<'_>, origin: &FieldPath) -> TableRows {
    let body = style(Role::Table);
    let head = BlockStyle {
        bold: true,
        align: Align::Center,
        ..body
    };
    let widths = column_widths(table, column.width, &body, ctx);
    let set_row = |cells: &Vec<Vec<Run>>, style: &BlockStyle, row: usize, ctx: &mut Ctx<'_>| {
        row_frag(
            cells,
            style,
            &widths,
            column.x,
            ctx,
            &origin.field("rows").index(row),
        )
    };
    TableRows {
        header: table
            .header
            .iter()
            .enumerate()
            .map(|(i, cells)| set_row(cells, &head, i, ctx))
            .collect(),
        rows: table
            .rows
            .iter()
            .enumerate()
            .map(|(i, cells)| set_row(cells, &body, table.header.len() + i, ctx))
            .collect(),
    }
}

fn row_frag(
    cells: &[Vec<Run>],
    style: &BlockStyle,
    widths: &[f32],
    x0: f32,
    ctx: &mut Ctx<'_>,
    origin: &FieldPath,
) -> Frag {
    let mut contents = Vec::with_capacity(widths.len());
    let mut x = x0;
    for (i, width) in widths.iter().enumerate() {
        let column = Column {
            x: x + PAD_X,
            width: (width - 2.0 * PAD_X).max(1.0),
        };
        let runs = cells.get(i).map(Vec::as_slice).unwrap_or(&[]);
        contents.push((
            x,
            set_text(runs, style, column, ctx, &origin.index(i)).into_frag(),
        ));
        x += width;
    }
    let height = contents
        .iter()
        .map(|(_, frag)| frag.height)
        .fold(0.0, f32::max)
        + 2.0 * PAD_Y;
    let mut row = Frag {
        height,
        ..Frag::default()
    };
    for ((x, content), width) in contents.into_iter().zip(widths) {
        row.items.push(Item::Frame(FrameItem {
            x,
            y: 0.0,
            width: *width,
            height,
            thickness: BORDER,
            red: false,
        }));
        let baseline = content.baseline;
        row.place(content, PAD_Y);
        if row.baseline == 0.0 {
            row.baseline = PAD_Y + baseline;
        }
    }
    row
}

/// Column widths in pt: the table's own relative widths when it has one per column, else
/// from the data: each column gets at least its longest word, and the rest of the width in
/// proportion to how much more its longest cell would need to sit on one line.
fn column_widths(table: &Table, total: f32, style: &BlockStyle, ctx: &mut Ctx<'_>) -> Vec<f32> {
    let columns = table
        .header
        .iter()
        .chain(&table.rows)
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut min = vec![2.0 * PAD_X + 1.0; columns];
    let mut max = min.clone();
    for (r, row) in table.header.iter().chain(&table.rows).enumerate() {
        let bold = r < table.header.len();
        for (c, cell) in row.iter().enumerate() {
            let (longest, line) = cell_extent(cell, style, bold, ctx);
            min[c] = min[c].max(longest + 2.0 * PAD_X);
            max[c] = max[c].max(line + 2.0 * PAD_X);
        }
    }
    let given =
        table.widths.len() == columns && table.widths.iter().all(|w| w.is_finite() && *w > 0.0);
    if given {
        let sum: f32 = table.widths.iter().sum();
        let widths: Vec<f32> = table.widths.iter().map(|w| total * w / sum).collect();
        return at_least(widths, &min, total);
    }
    distribute(&min, &max, total)
}

/// Widen columns narrower than their longest word, taking the width from the columns that
/// have some to spare, in proportion to their spare width.
fn at_least(mut widths: Vec<f32>, min: &[f32], total: f32) -> Vec<f32> {
    let sum_min: f32 = min.iter().sum();
    if sum_min >= total {
        return min.iter().map(|w| total * w / sum_min).collect();
    }
    let deficit: f32 = widths.iter().zip(min).map(|(w, m)| (m - w).max(0.0)).sum();
    if deficit <= 0.0 {
        return widths;
    }
    let spare: f32 = widths.iter().zip(min).map(|(w, m)| (w - m).max(0.0)).sum();
    for (w, m) in widths.iter_mut().zip(min) {
        if *w < *m {
            *w = *m;
        } else {
            *w -= deficit * (*w - m) / spare;
        }
    }
    widths
}

/// Share `total` among columns: narrow columns get their one-line width first (water
/// filling in order of that width), every column keeps at least its longest word, and the
/// widest columns share what is left.
fn distribute(min: &[f32], max: &[f32], total: f32) -> Vec<f32> {
    let sum_min: f32 = min.iter().sum();
    if sum_min >= total {
        return min.iter().map(|w| total * w / sum_min).collect();
    }
    let sum_max: f32 = max.iter().sum();
    if sum_max <= total {
        return max.iter().map(|w| total * w / sum_max).collect();
    }
    let mut order: Vec<usize> = (0..min.len()).collect();
    order.sort_by(|&a, &b| max[a].total_cmp(&max[b]));
    let mut widths = min.to_vec();
    let mut remaining = total;
    let mut min_rest = sum_min;
    for (k, &column) in order.iter().enumerate() {
        min_rest -= min[column];
        let share = remaining / (order.len() - k) as f32;
        let width = if k + 1 == order.len() {
            remaining
        } else {
            max[column]
                .min(share)
                .max(min[column])
                .min(remaining - min_rest)
        };
        widths[column] = width;
        remaining -= width;
    }
    widths
}

/// Longest word and whole single-line width of a cell, pt.
fn cell_extent(cell: &[Run], style: &BlockStyle, bold: bool, ctx: &mut Ctx<'_>) -> (f32, f32) {
    let shape_style = ShapeStyle {
        size: style.size,
        bold: bold || style.bold,
        italic: style.italic,
    };
    let mut ignored = Default::default();
    let words = shape(
        cell,
        shape_style,
        ctx.book,
        &FieldPath::root(),
        &mut ignored,
    );
    let longest = words.iter().map(|word| word.width).fold(0.0, f32::max);
    let line = crate::layout::linebreak::natural_width(&words);
    (longest, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_respects_minimums_and_total() {
        let widths = distribute(&[30.0, 60.0, 20.0], &[50.0, 400.0, 20.0], 300.0);
        assert!((widths.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(widths[0] >= 30.0 && widths[1] >= 60.0 && widths[2] >= 20.0);
        assert!(widths[1] > widths[0]);
        // A short column gets its one-line width when the long one can wrap.
        let widths = distribute(
            &[20.0, 40.0, 60.0, 50.0],
            &[25.0, 160.0, 500.0, 85.0],
            468.0,
        );
        assert_eq!(widths[0], 25.0);
        assert_eq!(widths[3], 85.0);
        assert_eq!(widths[1], 160.0);
        assert!((widths.iter().sum::<f32>() - 468.0).abs() < 0.01);
        // Given widths too narrow for a word are widened at the others' expense.
        let widths = at_least(vec![10.0, 190.0, 100.0], &[30.0, 50.0, 20.0], 300.0);
        assert_eq!(widths[0], 30.0);
        assert!((widths.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(widths[1] >= 50.0 && widths[2] >= 20.0);
    }
}

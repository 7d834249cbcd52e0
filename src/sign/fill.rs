//! The văn thư fills the number and date (cấp số, ngày tháng) into a leader-signed draft.
//!
//! The draft carries empty text fields `so`, `ngay`, `thang`, `nam` at the blanks of
//! "Số:      /KH-CĐN" and "Đồng Nai, ngày    tháng    năm     ". Filling sets each field's
//! `/V` and gives each widget a new normal appearance stream drawn with the font the field's
//! `/DA` names (the page's own embedded subset, which the renderer makes carry the digits and
//! "/"; a subset of the same embedded face is added when it does not cover the value). The
//! text sits on the baseline of the line around it, at its size: the number flush right so
//! that it touches "/KH-CĐN" (no space inside "36/KH-CĐN", FORMAT.md §3.3), the day, month
//! and year centred in their blanks. Everything is one incremental update, which a
//! certification signature with P=2 allows (pyHanko classifies it as form filling).

use std::collections::BTreeMap;

use time::Date;

use crate::layout::font::{FaceId, FontBook};
use crate::pdf::{Dict, Document, IncrementalWriter, Name, ObjRef, Object, PdfString, View};
use crate::render::pdf::form::LINE_KEY;
use crate::sign::appearance::{add_form, round};
use crate::sign::error::SignError;
use crate::sign::fields::{self, Change, FieldNode};
use crate::sign::font::{AppearanceFont, add_subset, dict, face_for_base_font, read_embedded};

/// Field names of the draft (render::pdf::form).
pub const NUMBER_FIELD: &str = "so";
/// The day field.
pub const DAY_FIELD: &str = "ngay";
/// The month field.
pub const MONTH_FIELD: &str = "thang";
/// The year field.
pub const YEAR_FIELD: &str = "nam";

/// The number and date the văn thư assigns (FORMAT.md §3.3, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issue {
    /// The sequence number in the year (1 → "01").
    pub number: u32,
    /// The issue date.
    pub date: Date,
}

impl Issue {
    /// The four field values: number with a leading zero below 10, day with a leading zero,
    /// month with a leading zero only for January and February, four-digit year.
    pub fn values(&self) -> Vec<(String, String)> {
        let month = u8::from(self.date.month());
        let month = if month <= 2 {
            format!("{month:02}")
        } else {
            month.to_string()
        };
        vec![
            (NUMBER_FIELD.to_owned(), format!("{:02}", self.number)),
            (DAY_FIELD.to_owned(), format!("{:02}", self.date.day())),
            (MONTH_FIELD.to_owned(), month),
            (YEAR_FIELD.to_owned(), format!("{:04}", self.date.year())),
        ]
    }
}

/// How a value sits in its blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Centre,
    Right,
}

/// Fill text fields `(name, value)` in one incremental update; the input is not modified.
pub fn fill(pdf: &[u8], values: &[(String, String)]) -> Result<Vec<u8>, SignError> {
    let doc = Document::load(pdf.to_vec())?;
    doc.require_unencrypted()?;
    for (field, value) in values {
        if value.is_empty() || value.chars().any(char::is_control) {
            return Err(SignError::Value {
                field: field.clone(),
                value: value.clone(),
                reason: "giá trị rỗng hoặc có ký tự điều khiển",
            });
        }
    }
    let names: Vec<String> = values.iter().map(|(f, _)| f.clone()).collect();
    fields::check(&doc, Change::Fill(&names))?;
    let view = doc.view();
    let mut writer = IncrementalWriter::new(&doc)?;
    let mut pending = Pending::default();
    let mut filled = BTreeMap::new();
    for (name, value) in values {
        let node = fields::find_field(&doc, name)?;
        if node.field.field_type.as_ref().is_none_or(|t| *t != "Tx") {
            return Err(SignError::FieldType {
                field: name.clone(),
                expected: "trường văn bản (/Tx)",
            });
        }
        let value = crate::text::nfc(value);
        pending
            .dict(&node.field)
            .insert("V", PdfString::text(&value));
        filled.insert(name.clone(), (node, value));
    }
    let lines = line_widgets(&doc)?;
    for line in lines.iter().filter(|line| line.mentions(&filled)) {
        let (content, font, rect) = line_content(&view, &mut writer, line, &doc, &filled)?;
        let form = add_font_form(&mut writer, content, font, rect)?;
        pending
            .dict(&line.widget)
            .insert("AP", Object::Dict(dict([("N", Object::Ref(form))])));
    }
    for (name, (node, value)) in &filled {
        if lines
            .iter()
            .any(|line| line.fields().any(|field| field == name))
        {
            continue;
        }
        let align = if name == NUMBER_FIELD {
            Align::Right
        } else {
            Align::Centre
        };
        fill_blank(&view, &mut writer, &mut pending, node, value, align)?;
    }
    pending.write(&mut writer)?;
    Ok(writer.finish()?.bytes)
}

/// Dictionaries changed by the update, by object (a merged field and widget is one object).
#[derive(Default)]
struct Pending(BTreeMap<ObjRef, Dict>);

impl Pending {
    fn dict(&mut self, node: &crate::pdf::Field) -> &mut Dict {
        self.0
            .entry(node.reference)
            .or_insert_with(|| node.dict.clone())
    }

    fn write(self, writer: &mut IncrementalWriter<'_>) -> Result<(), SignError> {
        for (reference, dict) in self.0 {
            writer.set(reference, dict)?;
        }
        Ok(())
    }
}

/// A widget that draws a whole line (`/VBLine`, render::pdf::form): the number line or the
/// place-date line of a draft.
struct LineWidget {
    widget: crate::pdf::Field,
    segments: Vec<Segment>,
}

enum Segment {
    Text(String),
    Field(String),
}

impl LineWidget {
    fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Field(name) => Some(name.as_str()),
            Segment::Text(_) => None,
        })
    }

    fn mentions(&self, filled: &BTreeMap<String, (FieldNode, String)>) -> bool {
        self.fields().any(|name| filled.contains_key(name))
    }
}

/// Every widget of the form with a line template.
fn line_widgets(doc: &Document) -> Result<Vec<LineWidget>, SignError> {
    let mut out = Vec::new();
    for widget in doc.fields()?.into_iter().filter(|f| f.is_widget()) {
        let Some(template) = widget.dict.get(LINE_KEY).and_then(Object::as_array) else {
            continue;
        };
        let segments = template
            .iter()
            .filter_map(|item| match item {
                Object::String(text) => Some(Segment::Text(text.to_text())),
                Object::Name(name) => Some(Segment::Field(
                    String::from_utf8_lossy(name.as_bytes()).into_owned(),
                )),
                _ => None,
            })
            .take(MAX_SEGMENTS)
            .collect();
        out.push(LineWidget { widget, segments });
    }
    Ok(out)
}

/// Most segments read from one template (the decree's lines have at most seven).
const MAX_SEGMENTS: usize = 32;

/// The line set anew: text and values (a field not yet filled keeps its blank), at the size
/// of the widget's `/DA` or smaller so that it fits, placed per the field's `/Q`.
fn line_content(
    view: &View<'_>,
    writer: &mut IncrementalWriter<'_>,
    line: &LineWidget,
    doc: &Document,
    filled: &BTreeMap<String, (FieldNode, String)>,
) -> Result<(String, ObjRef, [f32; 4]), SignError> {
    let pieces = line_pieces(line, doc, filled)?;
    let text: String = pieces
        .iter()
        .filter_map(|(text, _)| text.as_deref())
        .collect();
    let (resource, size) = default_appearance(view, &line.widget)?;
    let font = font_for(view, writer, &resource, &text)?;
    let rect = rect(&line.widget.dict).ok_or_else(|| SignError::FieldType {
        field: line.widget.name.clone(),
        expected: "trường có /Rect",
    })?;
    let width = rect[2] - rect[0];
    let measure = |size: f32| -> f32 {
        pieces
            .iter()
            .map(|(text, gap)| text.as_ref().map_or(gap * size, |t| font.width(t, size)))
            .sum()
    };
    let mut size = size;
    while measure(size) > width && size > MIN_LINE_SIZE {
        size -= 0.5;
    }
    let quadding = line.widget.dict.get("Q").and_then(Object::as_i64);
    let quadding = quadding.or_else(|| field_quadding(view, &line.widget));
    let mut x = match quadding.unwrap_or(1) {
        0 => 0.0,
        2 => width - measure(size),
        _ => (width - measure(size)) / 2.0,
    };
    let height = rect[3] - rect[1];
    let baseline = (height - (font.ascent + font.descent) * size) / 2.0 + font.descent * size;
    let mut out = format!("/Tx BMC q BT /F0 {} Tf 0 g\n", round(size));
    for (text, gap) in &pieces {
        let Some(text) = text else {
            x += gap * size;
            continue;
        };
        let show = font.show(text).map_err(|ch| SignError::Glyph {
            ch,
            what: "số và ngày",
        })?;
        let (x_at, y_at) = (round(x), round(baseline));
        out.push_str(&format!("1 0 0 1 {x_at} {y_at} Tm {show}\n"));
        x += font.width(text, size);
    }
    out.push_str("ET Q EMC\n");
    Ok((out, font.reference, rect))
}

/// The smallest size a filled line shrinks to before it is allowed to overflow.
const MIN_LINE_SIZE: f32 = 11.0;

/// `(Some(text), _)` for printed text, `(None, gap in em)` for a field still blank.
fn line_pieces(
    line: &LineWidget,
    doc: &Document,
    filled: &BTreeMap<String, (FieldNode, String)>,
) -> Result<Vec<(Option<String>, f32)>, SignError> {
    let mut pieces = Vec::new();
    for segment in &line.segments {
        match segment {
            Segment::Text(text) => pieces.push((Some(text.clone()), 0.0)),
            Segment::Field(name) => {
                let value = match filled.get(name) {
                    Some((_, value)) => Some(value.clone()),
                    None => current_value(doc, name)?,
                };
                pieces.push(match value {
                    Some(value) => (Some(value), 0.0),
                    None => (None, blank_em(name)),
                });
            }
        }
    }
    Ok(pieces)
}

/// A field's value before this update, if it has one.
fn current_value(doc: &Document, name: &str) -> Result<Option<String>, SignError> {
    let node = match fields::find_field(doc, name) {
        Ok(node) => node,
        Err(SignError::FieldMissing { .. }) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(node
        .field
        .dict
        .get("V")
        .and_then(Object::as_string)
        .map(PdfString::to_text)
        .filter(|value| !value.is_empty()))
}

/// The blank left for a field not yet filled, in em (as the renderer leaves it).
fn blank_em(name: &str) -> f32 {
    match name {
        DAY_FIELD | MONTH_FIELD => 1.5,
        _ => 2.5,
    }
}

/// `/Q` inherited from the widget's parent field.
fn field_quadding(view: &View<'_>, widget: &crate::pdf::Field) -> Option<i64> {
    let parent = widget.parent?;
    match view.get(parent).ok()? {
        Object::Dict(parent) => parent.get("Q").and_then(Object::as_i64),
        _ => None,
    }
}

/// A new appearance stream the size of `rect` holding `content`, drawn with `font` as `/F0`.
fn add_font_form(
    writer: &mut IncrementalWriter<'_>,
    content: String,
    font: ObjRef,
    rect: [f32; 4],
) -> Result<ObjRef, SignError> {
    let resources = dict([("Font", Object::Dict(dict([("F0", Object::Ref(font))])))]);
    let (width, height) = (rect[2] - rect[0], rect[3] - rect[1]);
    add_form(writer, content.into_bytes(), width, height, resources)
}

/// Fill a value into its own blank (a draft without line templates): `/V` on the field and
/// a new `/AP` on each widget.
fn fill_blank(
    view: &View<'_>,
    writer: &mut IncrementalWriter<'_>,
    pending: &mut Pending,
    node: &FieldNode,
    value: &str,
    align: Align,
) -> Result<(), SignError> {
    if align == Align::Right {
        pending.dict(&node.field).insert("Q", Object::Integer(2));
    }
    for widget in &node.widgets {
        let (resource, size) = default_appearance(view, widget)?;
        let font = font_for(view, writer, &resource, value)?;
        let rect = rect(&widget.dict).ok_or_else(|| SignError::FieldType {
            field: node.field.name.clone(),
            expected: "trường có /Rect",
        })?;
        let content = text_content(&font, value, size, rect, align)?;
        let form = add_font_form(writer, content, font.reference, rect)?;
        pending
            .dict(widget)
            .insert("AP", Object::Dict(dict([("N", Object::Ref(form))])));
    }
    Ok(())
}

/// The content: `/Tx BMC … EMC` with the value on the baseline of the line around it.
fn text_content(
    font: &AppearanceFont,
    value: &str,
    size: f32,
    rect: [f32; 4],
    align: Align,
) -> Result<String, SignError> {
    let width = rect[2] - rect[0];
    let height = rect[3] - rect[1];
    let text_width = font.width(value, size);
    let x = match align {
        Align::Right => width - text_width,
        Align::Centre => (width - text_width) / 2.0,
    };
    let baseline = (height - (font.ascent + font.descent) * size) / 2.0 + font.descent * size;
    let show = font.show(value).map_err(|ch| SignError::Glyph {
        ch,
        what: "số và ngày",
    })?;
    Ok(format!(
        "/Tx BMC q BT /F0 {} Tf 0 g {} {} Td {show} ET Q EMC\n",
        round(size),
        round(x),
        round(baseline)
    ))
}

/// The font resource name and size of a widget's `/DA` (its own, its field's, the form's).
fn default_appearance(
    view: &View<'_>,
    widget: &crate::pdf::Field,
) -> Result<(Vec<u8>, f32), SignError> {
    let mut da = widget.dict.get("DA").and_then(Object::as_string).cloned();
    if da.is_none()
        && let Some(parent) = widget.parent
        && let Object::Dict(parent) = view.get(parent)?
    {
        da = parent.get("DA").and_then(Object::as_string).cloned();
    }
    if da.is_none() {
        let (form, _) = fields::acroform(view)?;
        da = form.get("DA").and_then(Object::as_string).cloned();
    }
    let da = da.map(|s| s.bytes).unwrap_or_default();
    let mut lexer = crate::pdf::lexer::Lexer::new(&da, 0);
    let mut name = b"F0".to_vec();
    let mut size = 13.0;
    let mut last_name = None;
    let mut last_number = None;
    while let Ok(Some((_, token))) = lexer.next_token() {
        use crate::pdf::lexer::Token;
        match token {
            Token::Name(n) => last_name = Some(n),
            Token::Integer(i) => last_number = Some(i as f32),
            Token::Real(r) => last_number = Some(r as f32),
            Token::Keyword(b"Tf") => {
                if let Some(n) = last_name.take() {
                    name = n;
                }
                if let Some(s) = last_number.take().filter(|s| *s > 0.0) {
                    size = s;
                }
            }
            _ => {}
        }
    }
    Ok((name, size))
}

/// The font the `/DR` names `resource`, if it covers `value`; else a new subset of the same
/// embedded face (or the regular face).
fn font_for(
    view: &View<'_>,
    writer: &mut IncrementalWriter<'_>,
    resource: &[u8],
    value: &str,
) -> Result<AppearanceFont, SignError> {
    let reference = dr_font(view, resource)?;
    let embedded = reference.and_then(|r| read_embedded(view, r));
    if let Some(font) = embedded.filter(|f| f.covers(value)) {
        return Ok(font);
    }
    let book = FontBook::embedded();
    let face = reference
        .and_then(|r| view.get(r).ok())
        .and_then(|font| {
            let base = font
                .as_dict()?
                .get("BaseFont")?
                .as_name()?
                .as_bytes()
                .to_vec();
            face_for_base_font(&base, book)
        })
        .unwrap_or(FaceId::Regular);
    add_subset(writer, book.face(face), value)
}

fn dr_font(view: &View<'_>, resource: &[u8]) -> Result<Option<ObjRef>, SignError> {
    let (form, _) = fields::acroform(view)?;
    let Some(dr) = form.get("DR") else {
        return Ok(None);
    };
    let Object::Dict(dr) = view.resolve(dr)? else {
        return Ok(None);
    };
    let Some(fonts) = dr.get("Font") else {
        return Ok(None);
    };
    let Object::Dict(fonts) = view.resolve(fonts)? else {
        return Ok(None);
    };
    Ok(fonts
        .get(Name::new(resource.to_vec()).as_bytes())
        .and_then(Object::as_reference))
}

/// A widget's `/Rect`, normalised.
pub(crate) fn rect(dict: &crate::pdf::Dict) -> Option<[f32; 4]> {
    let items = dict.get("Rect")?.as_array()?;
    let v: Vec<f32> = items
        .iter()
        .map(|o| o.as_f64().map(|v| v as f32))
        .collect::<Option<_>>()?;
    let [a, b, c, d]: [f32; 4] = v.try_into().ok()?;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    #[test]
    fn issue_values_follow_format_md() {
        let issue = Issue {
            number: 5,
            date: Date::from_calendar_date(2025, Month::February, 2).expect("date"),
        };
        let values: Vec<String> = issue.values().into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["05", "02", "02", "2025"]);
        let issue = Issue {
            number: 36,
            date: Date::from_calendar_date(2020, Month::March, 20).expect("date"),
        };
        let values: Vec<String> = issue.values().into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["36", "20", "3", "2020"]);
    }
}

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

use time::Date;

use crate::layout::font::{FaceId, FontBook};
use crate::pdf::{Document, IncrementalWriter, Name, ObjRef, Object, PdfString, View};
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
    for (name, value) in values {
        let node = fields::find_field(&doc, name)?;
        if node.field.field_type.as_ref().is_none_or(|t| *t != "Tx") {
            return Err(SignError::FieldType {
                field: name.clone(),
                expected: "trường văn bản (/Tx)",
            });
        }
        let align = if name == NUMBER_FIELD {
            Align::Right
        } else {
            Align::Centre
        };
        fill_one(&view, &mut writer, &node, value, align)?;
    }
    Ok(writer.finish()?.bytes)
}

/// Set `/V` on the field and a new `/AP` on each widget.
fn fill_one(
    view: &View<'_>,
    writer: &mut IncrementalWriter<'_>,
    node: &FieldNode,
    value: &str,
    align: Align,
) -> Result<(), SignError> {
    let value = crate::text::nfc(value);
    let mut field_dict = node.field.dict.clone();
    field_dict.insert("V", PdfString::text(&value));
    if align == Align::Right {
        field_dict.insert("Q", Object::Integer(2));
    }
    for widget in &node.widgets {
        let (resource, size) = default_appearance(view, widget)?;
        let font = font_for(view, writer, &resource, &value)?;
        let rect = rect(&widget.dict).ok_or_else(|| SignError::FieldType {
            field: node.field.name.clone(),
            expected: "trường có /Rect",
        })?;
        let content = text_content(&font, &value, size, rect, align)?;
        let resources = dict([(
            "Font",
            Object::Dict(dict([("F0", Object::Ref(font.reference))])),
        )]);
        let form = add_form(
            writer,
            content.into_bytes(),
            rect[2] - rect[0],
            rect[3] - rect[1],
            resources,
        )?;
        let mut widget_dict = if widget.reference == node.field.reference {
            field_dict.clone()
        } else {
            widget.dict.clone()
        };
        widget_dict.insert("AP", Object::Dict(dict([("N", Object::Ref(form))])));
        writer.set(widget.reference, widget_dict)?;
    }
    if !node
        .widgets
        .iter()
        .any(|w| w.reference == node.field.reference)
    {
        writer.set(node.field.reference, field_dict)?;
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
    if da.is_none() {
        if let Some(parent) = widget.parent {
            if let Object::Dict(parent) = view.get(parent)? {
                da = parent.get("DA").and_then(Object::as_string).cloned();
            }
        }
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

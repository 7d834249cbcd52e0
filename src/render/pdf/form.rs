//! The AcroForm: named fields at the slots, so that numbering and signing can fill the
//! document later without laying it out again (FORMAT.md §5.3, design a).
//!
//! Text fields `so`, `ngay`, `thang`, `nam` exist only while their value is empty (a draft);
//! once numbered, the value is page content. Their `/DA` names the embedded face of the text
//! around them (`/F0 13 Tf 0 g`), whose subset always carries the digits and "/". They are
//! read-only for viewers: only the văn thư's numbering fills them. The number line and the
//! place-date line of a draft are drawn by the appearance of their first field (`so`,
//! `ngay`), whose rectangle is the whole line and whose widget carries the line's template as
//! `/VBLine [(Số: ) /so (/KH-CĐN)]` ([`crate::layout::page::FieldLine`]), so that filling sets
//! the line anew as if typeset; `thang` and `nam` keep empty appearances at their blanks. Signature
//! fields `chu_ky` (leader, ô 7c) and `dau` (organisation seal, ô 8) are always present and
//! empty. A name with one widget is a merged field/widget dictionary; a name that occurs
//! on several pages (the appendix "(Kèm theo …)" line) is a parent field with one widget kid
//! per occurrence. Every widget has the Print flag and an empty normal appearance (PDF/A).

use std::collections::BTreeMap;

use pdf_writer::types::{AnnotationFlags, FieldFlags, FieldType, Quadding};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::layout::font::FaceId;
use crate::layout::page::{FieldLine, LineSegment, Pages, Slot, SlotName};
use crate::layout::style::Align;
use crate::render::pdf::Refs;
use crate::render::pdf::content::field_line_content;
use crate::render::pdf::fonts::PdfFont;

/// The key of a widget that draws a whole line: its template.
pub const LINE_KEY: &[u8] = b"VBLine";

/// Widgets planned before the pages are written, so each page can list its `/Annots`.
#[derive(Debug, Clone, Default)]
pub struct FormPlan {
    /// Per field name: the parent field (when several widgets) and the widgets.
    fields: BTreeMap<SlotName, Field>,
}

#[derive(Debug, Clone)]
struct Field {
    parent: Option<Ref>,
    widgets: Vec<(Ref, Ref, Slot)>,
}

impl FormPlan {
    /// Plan the fields of the slots: which become fields and their object ids.
    pub fn new(slots: &[Slot], refs: &mut Refs) -> FormPlan {
        let mut fields: BTreeMap<SlotName, Field> = BTreeMap::new();
        for slot in slots.iter().filter(|slot| is_field(slot)) {
            let field = fields.entry(slot.name).or_insert(Field {
                parent: None,
                widgets: Vec::new(),
            });
            field.widgets.push((refs.next(), refs.next(), slot.clone()));
        }
        for field in fields.values_mut() {
            if field.widgets.len() > 1 {
                field.parent = Some(refs.next());
            }
        }
        FormPlan { fields }
    }

    /// True when there is no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The widget annotations on page `index`.
    pub fn annotations(&self, index: usize) -> Vec<Ref> {
        self.fields
            .values()
            .flat_map(|field| &field.widgets)
            .filter(|(_, _, slot)| slot.page == index)
            .map(|(widget, _, _)| *widget)
            .collect()
    }

    /// The top-level fields, for `/AcroForm /Fields`.
    pub fn top_level(&self) -> Vec<Ref> {
        self.fields
            .values()
            .map(|field| field.parent.unwrap_or(field.widgets[0].0))
            .collect()
    }

    /// Faces named in the fields' `/DA`, for the form's `/DR`.
    pub fn faces(&self) -> Vec<FaceId> {
        let mut faces: Vec<FaceId> = self
            .fields
            .iter()
            .filter(|(name, _)| is_text(**name))
            .flat_map(|(_, field)| field.widgets.iter().map(|(_, _, slot)| slot.face))
            .collect();
        faces.sort();
        faces.dedup();
        faces
    }

    /// Write the fields, widgets and appearance streams.
    pub fn write(
        &self,
        pdf: &mut Pdf,
        page_refs: &[Ref],
        pages: &Pages,
        fonts: &BTreeMap<FaceId, PdfFont>,
    ) {
        let pages = Drawn { pages, fonts };
        for (name, field) in &self.fields {
            let da = field
                .widgets
                .first()
                .map(|(_, _, slot)| default_appearance(slot, fonts))
                .unwrap_or_default();
            let align = field
                .widgets
                .first()
                .and_then(|(_, _, slot)| slot.line.as_ref());
            let align = align.map_or(Align::Center, |line| line.align);
            if let Some(parent) = field.parent {
                let mut dict = pdf.form_field(parent);
                dict.partial_name(TextStr(name.field_name()));
                set_type(&mut dict, *name, &da, align);
                dict.children(field.widgets.iter().map(|(widget, _, _)| *widget));
                dict.finish();
            }
            for (widget, appearance, slot) in &field.widgets {
                let ids = WidgetIds {
                    widget: *widget,
                    appearance: *appearance,
                    parent: field.parent,
                };
                write_widget(pdf, ids, slot, page_refs, &da, &pages);
            }
        }
    }
}

/// The laid-out pages, for the appearances of the widgets that draw a line.
struct Drawn<'a> {
    pages: &'a Pages,
    fonts: &'a BTreeMap<FaceId, PdfFont>,
}

#[derive(Clone, Copy)]
struct WidgetIds {
    widget: Ref,
    appearance: Ref,
    parent: Option<Ref>,
}

fn write_widget(
    pdf: &mut Pdf,
    ids: WidgetIds,
    slot: &Slot,
    page_refs: &[Ref],
    da: &str,
    drawn: &Drawn<'_>,
) {
    let [x0, y0, x1, y1] = slot.rect;
    let mut field = pdf.form_field(ids.widget);
    match ids.parent {
        Some(parent) => {
            field.parent(parent);
        }
        None => {
            field.partial_name(TextStr(slot.name.field_name()));
            let align = slot.line.as_ref().map_or(Align::Center, |line| line.align);
            set_type(&mut field, slot.name, da, align);
        }
    }
    let mut annotation = field.into_annotation();
    annotation.rect(Rect::new(x0, y0, x1, y1));
    annotation.flags(AnnotationFlags::PRINT);
    if let Some(page) = page_refs.get(slot.page) {
        annotation.page(*page);
    }
    annotation.appearance().normal().stream(ids.appearance);
    if let Some(line) = &slot.line {
        write_template(annotation.insert(Name(LINE_KEY)).array(), line);
    }
    annotation.finish();
    match (&slot.line, drawn.pages.pages.get(slot.page)) {
        (Some(_), Some(page)) => {
            let height = drawn.pages.geometry.height;
            let content = field_line_content(page, slot.name, height, drawn.fonts);
            let mut form = pdf.form_xobject(ids.appearance, &content);
            form.bbox(Rect::new(x0, y0, x1, y1));
            let mut resources = form.resources();
            let mut fonts = resources.fonts();
            for font in drawn.fonts.values() {
                fonts.pair(Name(font.resource.as_bytes()), font.reference);
            }
            fonts.finish();
            resources.finish();
            form.finish();
        }
        _ => {
            let mut form = pdf.form_xobject(ids.appearance, &[]);
            form.bbox(Rect::new(0.0, 0.0, x1 - x0, y1 - y0));
            form.finish();
        }
    }
}

/// `[(Số: ) /so (/KH-CĐN)]`: literal text as text strings, fields as names.
fn write_template(mut array: pdf_writer::Array<'_>, line: &FieldLine) {
    for segment in &line.segments {
        match segment {
            LineSegment::Text(text) => {
                array.item(TextStr(text));
            }
            LineSegment::Field(name) => {
                array.item(Name(name.field_name().as_bytes()));
            }
        }
    }
}

fn set_type(field: &mut pdf_writer::writers::Field<'_>, name: SlotName, da: &str, align: Align) {
    if is_text(name) {
        field.field_type(FieldType::Text);
        field.field_flags(FieldFlags::READ_ONLY);
        field.vartext_default_appearance(Str(da.as_bytes()));
        field.vartext_quadding(match align {
            Align::Left | Align::Justify => Quadding::Left,
            Align::Center => Quadding::Center,
            Align::Right => Quadding::Right,
        });
    } else {
        field.field_type(FieldType::Signature);
    }
}

fn default_appearance(slot: &Slot, fonts: &BTreeMap<FaceId, PdfFont>) -> String {
    let resource = fonts
        .get(&slot.face)
        .map_or("F0", |font| font.resource.as_str());
    format!("/{resource} {} Tf 0 g", slot.size)
}

fn is_text(name: SlotName) -> bool {
    !matches!(name, SlotName::Signature | SlotName::Seal)
}

fn is_field(slot: &Slot) -> bool {
    !is_text(slot.name) || slot.value.is_empty()
}

/// `Name` of a resource string (helper for the catalog's `/DR`).
pub fn resource_name(font: &PdfFont) -> Name<'_> {
    Name(font.resource.as_bytes())
}

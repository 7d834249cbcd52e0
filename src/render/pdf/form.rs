//! The AcroForm: named fields at the slots, so that numbering and signing can fill the
//! document later without laying it out again (FORMAT.md §5.3, design a).
//!
//! Text fields `so`, `ngay`, `thang`, `nam` exist only while their value is empty (a draft);
//! once numbered, the value is page content. Their `/DA` names the embedded face of the text
//! around them (`/F0 13 Tf 0 g`), whose subset always carries the digits and "/". Signature
//! fields `chu_ky` (leader, ô 7c) and `dau` (organisation seal, ô 8) are always present and
//! empty. A name with one widget is a merged field/widget dictionary; a name that occurs
//! on several pages (the appendix "(Kèm theo …)" line) is a parent field with one widget kid
//! per occurrence. Every widget has the Print flag and an empty normal appearance (PDF/A).

use std::collections::BTreeMap;

use pdf_writer::types::{AnnotationFlags, FieldType};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::layout::font::FaceId;
use crate::layout::page::{Slot, SlotName};
use crate::render::pdf::Refs;
use crate::render::pdf::fonts::PdfFont;

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
    pub fn write(&self, pdf: &mut Pdf, page_refs: &[Ref], fonts: &BTreeMap<FaceId, PdfFont>) {
        for (name, field) in &self.fields {
            let da = field
                .widgets
                .first()
                .map(|(_, _, slot)| default_appearance(slot, fonts))
                .unwrap_or_default();
            if let Some(parent) = field.parent {
                let mut dict = pdf.form_field(parent);
                dict.partial_name(TextStr(name.field_name()));
                set_type(&mut dict, *name, &da);
                dict.children(field.widgets.iter().map(|(widget, _, _)| *widget));
                dict.finish();
            }
            for (widget, appearance, slot) in &field.widgets {
                write_widget(
                    pdf,
                    *widget,
                    *appearance,
                    slot,
                    field.parent,
                    page_refs,
                    &da,
                );
            }
        }
    }
}

fn write_widget(
    pdf: &mut Pdf,
    widget: Ref,
    appearance: Ref,
    slot: &Slot,
    parent: Option<Ref>,
    page_refs: &[Ref],
    da: &str,
) {
    let [x0, y0, x1, y1] = slot.rect;
    let mut field = pdf.form_field(widget);
    match parent {
        Some(parent) => {
            field.parent(parent);
        }
        None => {
            field.partial_name(TextStr(slot.name.field_name()));
            set_type(&mut field, slot.name, da);
        }
    }
    let mut annotation = field.into_annotation();
    annotation.rect(Rect::new(x0, y0, x1, y1));
    annotation.flags(AnnotationFlags::PRINT);
    if let Some(page) = page_refs.get(slot.page) {
        annotation.page(*page);
    }
    annotation.appearance().normal().stream(appearance);
    annotation.finish();
    let mut form = pdf.form_xobject(appearance, &[]);
    form.bbox(Rect::new(0.0, 0.0, x1 - x0, y1 - y0));
    form.finish();
}

fn set_type(field: &mut pdf_writer::writers::Field<'_>, name: SlotName, da: &str) {
    if is_text(name) {
        field.field_type(FieldType::Text);
        field.vartext_default_appearance(Str(da.as_bytes()));
        field.vartext_quadding(pdf_writer::types::Quadding::Center);
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

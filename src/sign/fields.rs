//! Form fields (trường biểu mẫu) and what earlier signatures allow (DocMDP, FieldMDP).
//!
//! Before any update the signer asks [`check`] whether the change is allowed by the
//! signatures already in the document, and refuses with a typed error when it is not:
//!
//! | change | refused when |
//! |---|---|
//! | fill text fields | a certification signature with P=1; a FieldMDP lock on the field |
//! | sign a field | P=1; a lock on the field; the field already signed |
//! | certify (DocMDP) | any signature already present (certification comes first) |
//! | add page content (the 10 pt line of attachments and copies) | any signature present |
//! | DSS, document timestamp | never (PAdES long-term updates are always allowed) |
//!
//! Locks are read from each signed signature's `/Reference` (FieldMDP transform) and from its
//! field's `/Lock` dictionary, which takes effect once that field is signed.

use crate::pdf::{Dict, Document, Field, ObjRef, Object, View};
use crate::sign::error::SignError;

/// A field with its widget annotations.
#[derive(Debug, Clone)]
pub struct FieldNode {
    /// The terminal field (the one with the name and the value).
    pub field: Field,
    /// Its widgets: the field itself when merged, else its widget kids.
    pub widgets: Vec<Field>,
}

/// Find the field named `name` (fully qualified), with its widgets.
pub fn find_field(doc: &Document, name: &str) -> Result<FieldNode, SignError> {
    let fields = doc.fields()?;
    let field = fields
        .iter()
        .find(|f| f.name == name && f.partial_name.is_some())
        .ok_or_else(|| SignError::FieldMissing {
            field: name.to_owned(),
        })?
        .clone();
    let widgets = if field.is_widget() {
        vec![field.clone()]
    } else {
        fields
            .iter()
            .filter(|f| f.parent == Some(field.reference) && f.is_widget())
            .cloned()
            .collect()
    };
    Ok(FieldNode { field, widgets })
}

/// Which fields a FieldMDP lock covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldLock {
    /// Every field.
    All,
    /// Only these.
    Include(Vec<String>),
    /// Every field but these.
    Exclude(Vec<String>),
}

impl FieldLock {
    /// Whether the lock covers `field`.
    pub fn covers(&self, field: &str) -> bool {
        match self {
            FieldLock::All => true,
            FieldLock::Include(names) => names.iter().any(|n| n == field),
            FieldLock::Exclude(names) => !names.iter().any(|n| n == field),
        }
    }
}

/// A signature already in the document.
#[derive(Debug, Clone)]
pub struct ExistingSignature {
    /// Its field's name.
    pub field: String,
    /// The signature dictionary's object.
    pub reference: ObjRef,
    /// The signature dictionary.
    pub dict: Dict,
    /// DocMDP permission (1, 2, 3) when it is a certification signature.
    pub docmdp: Option<u8>,
    /// FieldMDP locks it sets.
    pub locks: Vec<FieldLock>,
    /// True for a document timestamp (`/Type /DocTimeStamp`).
    pub timestamp: bool,
}

/// Every signed signature field, in field-tree order.
pub fn signatures(doc: &Document) -> Result<Vec<ExistingSignature>, SignError> {
    let view = doc.view();
    let mut out = Vec::new();
    for field in doc.fields()?.into_iter().filter(Field::is_signature) {
        let Some(value) = field.dict.get("V") else {
            continue;
        };
        let Some(reference) = value.as_reference() else {
            continue;
        };
        let Object::Dict(dict) = view.get(reference)? else {
            continue;
        };
        let mut locks = Vec::new();
        let mut docmdp = None;
        for transform in references(&view, &dict)? {
            match transform {
                Transform::DocMdp(p) => docmdp = Some(p),
                Transform::FieldMdp(lock) => locks.push(lock),
            }
        }
        if let Some(lock) = field.dict.get("Lock")
            && let Object::Dict(lock) = view.resolve(lock)?
        {
            locks.extend(parse_lock(&view, &lock)?);
        }
        let timestamp = dict.type_name().is_some_and(|t| *t == "DocTimeStamp");
        out.push(ExistingSignature {
            field: field.name,
            reference,
            dict,
            docmdp,
            locks,
            timestamp,
        });
    }
    if let Some((reference, p)) = catalog_docmdp(&view)?
        && let Some(signature) = out.iter_mut().find(|s| s.reference == reference)
    {
        signature.docmdp = signature.docmdp.or(Some(p));
    }
    Ok(out)
}

/// A change about to be made.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// Fill these text fields.
    Fill(&'a [String]),
    /// Sign this field; `certify` for a certification signature.
    Sign {
        /// The field.
        field: &'a str,
        /// A certification (DocMDP) signature.
        certify: bool,
    },
    /// Add content to a page.
    PageContent,
    /// Add a DSS or a document timestamp.
    LongTerm,
}

/// Refuse `change` when a signature already in `doc` forbids it.
pub fn check(doc: &Document, change: Change<'_>) -> Result<(), SignError> {
    let existing = signatures(doc)?;
    let certification = existing.iter().find(|s| s.docmdp.is_some());
    let forbid = |what: String| match certification {
        Some(s) if s.docmdp == Some(1) => Err(SignError::ChangeForbidden {
            certifier: s.field.clone(),
            permission: 1,
            change: what,
        }),
        _ => Ok(()),
    };
    let locked = |field: &str| {
        existing
            .iter()
            .find(|s| s.locks.iter().any(|lock| lock.covers(field)))
            .map(|s| SignError::FieldLocked {
                field: field.to_owned(),
                locked_by: s.field.clone(),
            })
    };
    match change {
        Change::Fill(fields) => {
            forbid(format!("điền trường {}", fields.join(", ")))?;
            match fields.iter().find_map(|f| locked(f)) {
                Some(error) => Err(error),
                None => Ok(()),
            }
        }
        Change::Sign { field, certify } => {
            if let Some(done) = existing.iter().find(|s| s.field == field) {
                return Err(SignError::AlreadySigned {
                    field: done.field.clone(),
                });
            }
            if certify && !existing.is_empty() {
                return Err(SignError::CertificationNotFirst {
                    existing: existing.len(),
                });
            }
            forbid(format!("ký vào ô “{field}”"))?;
            locked(field).map_or(Ok(()), Err)
        }
        Change::PageContent => match existing.first() {
            Some(s) => Err(SignError::SignedContent {
                field: s.field.clone(),
            }),
            None => Ok(()),
        },
        Change::LongTerm => Ok(()),
    }
}

enum Transform {
    DocMdp(u8),
    FieldMdp(FieldLock),
}

/// The transforms in a signature dictionary's `/Reference` array.
fn references(view: &View<'_>, sig: &Dict) -> Result<Vec<Transform>, SignError> {
    let Some(array) = sig.get("Reference") else {
        return Ok(Vec::new());
    };
    let array = view.resolve(array)?;
    let mut out = Vec::new();
    for item in array.as_array().unwrap_or_default() {
        let Object::Dict(reference) = view.resolve(item)? else {
            continue;
        };
        let method = reference.get("TransformMethod").and_then(Object::as_name);
        let params = match reference.get("TransformParams") {
            Some(p) => match view.resolve(p)? {
                Object::Dict(d) => d,
                _ => Dict::new(),
            },
            None => Dict::new(),
        };
        match method {
            Some(m) if *m == "DocMDP" => out.push(Transform::DocMdp(permission(&params))),
            Some(m) if *m == "FieldMDP" => {
                out.extend(parse_lock(view, &params)?.map(Transform::FieldMdp));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `/P` of DocMDP transform parameters: 1, 2 (the default) or 3.
fn permission(params: &Dict) -> u8 {
    match params.get("P").and_then(Object::as_i64) {
        Some(1) => 1,
        Some(3) => 3,
        _ => 2,
    }
}

/// A lock from `/Action` and `/Fields`.
fn parse_lock(view: &View<'_>, lock: &Dict) -> Result<Option<FieldLock>, SignError> {
    let names = || -> Result<Vec<String>, SignError> {
        let Some(fields) = lock.get("Fields") else {
            return Ok(Vec::new());
        };
        let fields = view.resolve(fields)?;
        Ok(fields
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.as_string().map(|s| s.to_text()))
            .collect())
    };
    Ok(match lock.get("Action").and_then(Object::as_name) {
        Some(a) if *a == "All" => Some(FieldLock::All),
        Some(a) if *a == "Include" => Some(FieldLock::Include(names()?)),
        Some(a) if *a == "Exclude" => Some(FieldLock::Exclude(names()?)),
        _ => None,
    })
}

/// The catalog's `/Perms /DocMDP` signature and its permission.
fn catalog_docmdp(view: &View<'_>) -> Result<Option<(ObjRef, u8)>, SignError> {
    let catalog = view.catalog()?;
    let Some(perms) = catalog.get("Perms") else {
        return Ok(None);
    };
    let Object::Dict(perms) = view.resolve(perms)? else {
        return Ok(None);
    };
    let Some(reference) = perms.get("DocMDP").and_then(Object::as_reference) else {
        return Ok(None);
    };
    let Object::Dict(sig) = view.get(reference)? else {
        return Ok(None);
    };
    let p = references(view, &sig)?
        .into_iter()
        .find_map(|t| match t {
            Transform::DocMdp(p) => Some(p),
            Transform::FieldMdp(_) => None,
        })
        .unwrap_or(2);
    Ok(Some((reference, p)))
}

/// The `/AcroForm` dictionary and where it lives: its own object, or direct in the catalog.
pub(crate) fn acroform(view: &View<'_>) -> Result<(Dict, Option<ObjRef>), SignError> {
    let catalog = view.catalog()?;
    match catalog.get("AcroForm") {
        Some(Object::Ref(reference)) => match view.get(*reference)? {
            Object::Dict(form) => Ok((form, Some(*reference))),
            _ => Ok((Dict::new(), Some(*reference))),
        },
        Some(Object::Dict(form)) => Ok((form.clone(), None)),
        _ => Ok((Dict::new(), None)),
    }
}

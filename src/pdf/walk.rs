//! Tree walks: the page tree (cây trang) and the AcroForm field tree (cây trường biểu mẫu).
//!
//! Both walks are iterative, draw on a [`Budget`], refuse a node reached twice (a cycle or a
//! shared subtree, which readers disagree about), and stop at [`MAX_DEPTH`].

use std::collections::HashSet;

use super::document::View;
use super::error::PdfError;
use super::limits::{MAX_DEPTH, MAX_FIELD_NODES, MAX_PAGE_TREE_NODES};
use super::object::{Dict, Name, ObjRef, Object};
use crate::limits::Budget;

/// Page attributes a page inherits from its ancestors in the page tree (§7.7.3.4).
const INHERITABLE: [&str; 4] = ["Resources", "MediaBox", "CropBox", "Rotate"];

/// One page (trang).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page object.
    pub reference: ObjRef,
    /// Its dictionary, as stored.
    pub dict: Dict,
    /// The inheritable attributes it does not set itself, from its nearest ancestor that
    /// does (`/MediaBox`, `/CropBox` and `/Rotate` resolved; `/Resources` as stored).
    pub inherited: Dict,
}

impl Page {
    /// An attribute, from the page or inherited.
    pub fn attribute(&self, key: &str) -> Option<&Object> {
        self.dict.get(key).or_else(|| self.inherited.get(key))
    }

    /// The media box `[x0 y0 x1 y1]` in points, when it is a direct array of four numbers.
    pub fn media_box(&self) -> Option<[f64; 4]> {
        let items = self.attribute("MediaBox")?.as_array()?;
        let numbers: Vec<f64> = items.iter().map(Object::as_f64).collect::<Option<_>>()?;
        numbers.try_into().ok()
    }
}

/// One node of the field tree: a field, or a widget annotation that is its kid.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The node's object.
    pub reference: ObjRef,
    /// Its dictionary.
    pub dict: Dict,
    /// Its own partial name (`/T`), decoded as a text string.
    pub partial_name: Option<String>,
    /// The fully qualified name: partial names from the root joined by `.`; a node without
    /// `/T` (a widget) has its parent's name.
    pub name: String,
    /// The field type (`/FT`: `Btn`, `Tx`, `Ch`, `Sig`), inherited from ancestors.
    pub field_type: Option<Name>,
    /// The parent node, `None` for a root field listed in `/Fields`.
    pub parent: Option<ObjRef>,
    /// Nesting depth, 0 for root fields.
    pub depth: usize,
}

impl Field {
    /// True for a signature field (`/FT /Sig`).
    pub fn is_signature(&self) -> bool {
        self.field_type.as_ref().is_some_and(|t| *t == "Sig")
    }

    /// True when the node is a widget annotation (`/Subtype /Widget`).
    pub fn is_widget(&self) -> bool {
        self.dict
            .get("Subtype")
            .and_then(Object::as_name)
            .is_some_and(|subtype| *subtype == "Widget")
    }
}

/// A node waiting to be visited, with what it inherits.
struct PendingPage {
    reference: ObjRef,
    inherited: Dict,
    depth: usize,
}

pub(crate) fn pages(view: &View<'_>) -> Result<Vec<Page>, PdfError> {
    let catalog = view.catalog()?;
    let root_offset = view.revision().xref_offset();
    let root = catalog
        .get("Pages")
        .and_then(Object::as_reference)
        .ok_or_else(|| PdfError::structure(root_offset, "catalog /Pages is not a reference"))?;
    let mut budget = Budget::new("page tree nodes", MAX_PAGE_TREE_NODES);
    let mut visited = HashSet::new();
    let mut stack = vec![PendingPage {
        reference: root,
        inherited: Dict::new(),
        depth: 0,
    }];
    let mut pages = Vec::new();
    while let Some(node) = stack.pop() {
        let offset = view.offset_of(node.reference).unwrap_or(root_offset);
        enter(
            &mut budget,
            &mut visited,
            (node.reference, node.depth),
            offset,
            Tree::Pages,
        )?;
        let Object::Dict(dict) = view.get(node.reference)? else {
            return Err(PdfError::structure(
                offset,
                "page tree node is not a dictionary",
            ));
        };
        let is_pages = match dict.type_name() {
            Some(name) if *name == "Pages" => true,
            Some(name) if *name == "Page" => false,
            Some(_) => {
                return Err(PdfError::structure(
                    offset,
                    "page tree node /Type is neither /Page nor /Pages",
                ));
            }
            None => dict.contains_key("Kids"),
        };
        if !is_pages {
            let inherited = own_missing(&dict, node.inherited);
            pages.push(Page {
                reference: node.reference,
                dict,
                inherited,
            });
            continue;
        }
        let inherited = inherit(view, &dict, node.inherited)?;
        let kids = kid_references(
            view,
            &dict,
            offset,
            "page tree /Kids must be an array of references",
        )?;
        stack.extend(kids.into_iter().rev().map(|reference| PendingPage {
            reference,
            inherited: inherited.clone(),
            depth: node.depth + 1,
        }));
    }
    Ok(pages)
}

/// Which tree a walk is in, for its messages.
#[derive(Clone, Copy)]
enum Tree {
    Fields,
    Pages,
}

impl Tree {
    fn depth_limit(self) -> &'static str {
        match self {
            Tree::Fields => "field tree depth",
            Tree::Pages => "page tree depth",
        }
    }

    fn reached_twice(self) -> &'static str {
        match self {
            Tree::Fields => "field tree node reached twice (cycle or shared node)",
            Tree::Pages => "page tree node reached twice (cycle or shared node)",
        }
    }
}

/// Count a node, refuse it if seen before or too deep.
fn enter(
    budget: &mut Budget,
    visited: &mut HashSet<ObjRef>,
    node: (ObjRef, usize),
    offset: usize,
    tree: Tree,
) -> Result<(), PdfError> {
    let (reference, depth) = node;
    budget
        .spend(1)
        .map_err(|exhausted| PdfError::budget(exhausted, offset))?;
    if depth > MAX_DEPTH {
        return Err(PdfError::Limit {
            offset: offset as u64,
            what: tree.depth_limit(),
            max: MAX_DEPTH as u64,
        });
    }
    if !visited.insert(reference) {
        return Err(PdfError::structure(offset, tree.reached_twice()));
    }
    Ok(())
}

/// The inherited attributes after a `/Pages` node: its own override its ancestors'.
fn inherit(view: &View<'_>, node: &Dict, mut inherited: Dict) -> Result<Dict, PdfError> {
    for key in INHERITABLE {
        if let Some(value) = node.get(key) {
            let value = if key == "Resources" {
                value.clone()
            } else {
                view.resolve(value)?
            };
            inherited.insert(key, value);
        }
    }
    Ok(inherited)
}

/// Keep only the inherited attributes the page does not set itself.
fn own_missing(page: &Dict, mut inherited: Dict) -> Dict {
    for key in INHERITABLE {
        if page.contains_key(key) {
            inherited.remove(key);
        }
    }
    inherited
}

/// `/Kids` (direct or indirect array) as references.
fn kid_references(
    view: &View<'_>,
    dict: &Dict,
    offset: usize,
    what: &'static str,
) -> Result<Vec<ObjRef>, PdfError> {
    let Some(kids) = dict.get("Kids") else {
        return Ok(Vec::new());
    };
    references(view, kids, offset, what)
}

fn references(
    view: &View<'_>,
    array: &Object,
    offset: usize,
    what: &'static str,
) -> Result<Vec<ObjRef>, PdfError> {
    match view.resolve(array)? {
        Object::Array(items) => items
            .iter()
            .map(|item| item.as_reference())
            .collect::<Option<_>>()
            .ok_or_else(|| PdfError::structure(offset, what)),
        Object::Null => Ok(Vec::new()),
        _ => Err(PdfError::structure(offset, what)),
    }
}

/// A field node waiting to be visited.
struct PendingField {
    reference: ObjRef,
    parent: Option<ObjRef>,
    parent_name: Option<String>,
    field_type: Option<Name>,
    depth: usize,
}

pub(crate) fn fields(view: &View<'_>) -> Result<Vec<Field>, PdfError> {
    let Some(form) = view.acroform()? else {
        return Ok(Vec::new());
    };
    let form_offset = view.revision().xref_offset();
    let roots = match form.get("Fields") {
        Some(fields) => references(
            view,
            fields,
            form_offset,
            "AcroForm /Fields must be an array of references",
        )?,
        None => Vec::new(),
    };
    let mut budget = Budget::new("form field nodes", MAX_FIELD_NODES);
    let mut visited = HashSet::new();
    let mut stack: Vec<PendingField> = roots
        .into_iter()
        .rev()
        .map(|reference| PendingField {
            reference,
            parent: None,
            parent_name: None,
            field_type: None,
            depth: 0,
        })
        .collect();
    let mut fields = Vec::new();
    while let Some(node) = stack.pop() {
        let offset = view.offset_of(node.reference).unwrap_or(form_offset);
        enter(
            &mut budget,
            &mut visited,
            (node.reference, node.depth),
            offset,
            Tree::Fields,
        )?;
        let Object::Dict(dict) = view.get(node.reference)? else {
            return Err(PdfError::structure(
                offset,
                "form field is not a dictionary",
            ));
        };
        let field = field_node(view, node, dict)?;
        let kids = kid_references(
            view,
            &field.dict,
            offset,
            "field /Kids must be an array of references",
        )?;
        stack.extend(kids.into_iter().rev().map(|reference| PendingField {
            reference,
            parent: Some(field.reference),
            parent_name: Some(field.name.clone()),
            field_type: field.field_type.clone(),
            depth: field.depth + 1,
        }));
        fields.push(field);
    }
    Ok(fields)
}

fn field_node(view: &View<'_>, node: PendingField, dict: Dict) -> Result<Field, PdfError> {
    let partial_name = match dict.get("T").map(|t| view.resolve(t)).transpose()? {
        Some(Object::String(name)) => Some(name.to_text()),
        _ => None,
    };
    let name = match (&node.parent_name, &partial_name) {
        (Some(parent), Some(own)) if !parent.is_empty() => format!("{parent}.{own}"),
        (_, Some(own)) => own.clone(),
        (Some(parent), None) => parent.clone(),
        (None, None) => String::new(),
    };
    let field_type = match dict.get("FT") {
        Some(Object::Name(name)) => Some(name.clone()),
        _ => node.field_type,
    };
    Ok(Field {
        reference: node.reference,
        dict,
        partial_name,
        name,
        field_type,
        parent: node.parent,
        depth: node.depth,
    })
}

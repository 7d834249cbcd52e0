//! What changed after a signature (thay đổi sau khi ký), judged reject-by-default.
//!
//! For a signature made in revision `k`, every later revision `r` is compared with `k`, as
//! pyHanko's `StandardDiffPolicy` does (`sign/diff_analysis/policies.py`): each object that
//! revision `r`'s own xref section defines, redefines or frees must be *cleared* by a rule,
//! and each rule clears it at a [`ModificationLevel`]. Whatever no rule clears is a
//! [`ChangeKind::Other`] change, which makes the level [`ModificationLevel::Other`] and the
//! signature `invalid-modified`. The rules, each tied to the role the object had in the signed
//! revision (never to where it is referenced from in the new one):
//!
//! | rule | clears | level |
//! |---|---|---|
//! | trailer | a new or updated `/Info` dictionary | LTA updates |
//! | catalog | the catalog, when only `/AcroForm`, `/DSS`, `/Extensions`, `/Metadata`, `/MarkInfo`, `/Version` differ | LTA updates |
//! | metadata | a new or updated XMP stream (`/Type /Metadata`) | LTA updates |
//! | DSS | the `/DSS`, its `/Certs` `/CRLs` `/OCSPs` arrays and new streams, new `/VRI` entries (old ones unchanged) | LTA updates |
//! | file structure | new object streams and xref streams | LTA updates |
//! | form | `/AcroForm` when only `/Fields`, `/DR`, `/DA`, `/Q`, `/NeedAppearances`, `/SigFlags` differ | LTA updates (`/DR`: form filling) |
//! | new signature | a new `/FT /Sig` field, its widgets, appearance, lock and new signature dictionary; the page `/Annots` that gains its widgets | LTA updates |
//! | signing | an empty signature field getting `/V` (a new dictionary) and its appearance | LTA updates |
//! | form filling | an existing non-signature field (or its widget) changing only `/V`, `/AP`, `/AS`, `/F`, `/DA`, `/Q`, `/Ff`, `/Type`, with new appearance streams | form filling |
//! | annotations | new non-widget annotations on a page's `/Annots` (and their new appearance objects), changes to existing ones | annotations |
//! | identical | an object rewritten with the same value | — |
//! | orphans | a new object that nothing in the document refers to | — |
//!
//! Deliberately refused: freeing an object that existed, deleting a field or an annotation,
//! changing a field's type, a new non-signature field, a new widget for an existing field,
//! re-pointing a catalog entry to an object that already existed, changing any page entry
//! other than `/Annots` (`/Contents`, `/Resources`, `/MediaBox` …), and overwriting an existing
//! stream in place (a page's content, an XObject, a font, an appearance stream). The last one
//! is stricter than pyHanko, which lets an existing appearance stream be overwritten while a
//! field is filled; overwriting shared streams is how shadow attacks replace content.
//!
//! Signatures are counted as [`ChangeKind::Signature`] at LTA-updates level (the issue's
//! `valid` allows "later revisions only add signatures"), where pyHanko counts visible ones as
//! form filling; whether a change is *allowed* is a separate question answered by
//! [`permissions`] from the DocMDP level and the FieldMDP locks.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::limits::Budget;
use crate::pdf::{Dict, Document, Field, ObjRef, Object, StreamData, View, XrefEntry};
use crate::verify::status::ModificationLevel;

/// Objects visited while following the dependencies of new objects in one comparison:
/// 100,000. A DSS with the revocation data of ten signers has a few hundred objects; new
/// appearance streams with their fonts and images a few dozen each.
pub const MAX_DEPENDENCY_VISITS: u64 = 100_000;

/// Objects read when looking for references to new, seemingly orphaned objects: 500,000
/// (the whole document in the worst case; [`crate::pdf::limits::MAX_XREF_ENTRIES`] is twice
/// that). Only done when a revision holds objects no rule explains.
pub const MAX_ORPHAN_SCAN: u64 = 500_000;

/// Catalog entries that may change; each is judged by its own rule.
const CATALOG_EXEMPT: [&str; 6] = [
    "AcroForm",
    "DSS",
    "Extensions",
    "Metadata",
    "MarkInfo",
    "Version",
];

/// `/AcroForm` entries that may change (pyHanko's list plus `/SigFlags`, which the first
/// signature of a form sets).
const ACROFORM_EXEMPT: [&str; 6] = ["Fields", "DR", "DA", "Q", "NeedAppearances", "SigFlags"];

/// Field and widget entries that filling a field may change (pyHanko's `VALUE_UPDATE_KEYS`).
const VALUE_UPDATE_KEYS: [&str; 8] = ["AP", "AS", "V", "F", "DA", "Q", "Ff", "Type"];

/// Entries that may change even on a signed or locked field.
const ALWAYS_MODIFIABLE: [&str; 2] = ["Ff", "Type"];

/// What kind of change a revision made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ChangeKind {
    /// Validation data (DSS, VRI) added.
    ValidationData,
    /// A document timestamp added.
    DocumentTimestamp,
    /// Document information or XMP metadata updated.
    Metadata,
    /// A signature added: in a new field, or in an empty one that existed.
    Signature {
        /// The field.
        field: String,
        /// Its widget has an area on the page.
        visible: bool,
        /// The field was created in this revision.
        new_field: bool,
    },
    /// An empty signature field added.
    EmptySignatureField {
        /// The field.
        field: String,
        /// Its widget has an area on the page.
        visible: bool,
    },
    /// A form field filled or its appearance changed.
    FormFill {
        /// The field.
        field: String,
    },
    /// An annotation added or changed.
    Annotation,
    /// A change no rule allows.
    Other,
}

impl ChangeKind {
    /// The level this kind of change is cleared at.
    pub fn level(&self) -> ModificationLevel {
        match self {
            ChangeKind::ValidationData
            | ChangeKind::DocumentTimestamp
            | ChangeKind::Metadata
            | ChangeKind::Signature { .. }
            | ChangeKind::EmptySignatureField { .. } => ModificationLevel::LtaUpdates,
            ChangeKind::FormFill { .. } => ModificationLevel::FormFilling,
            ChangeKind::Annotation => ModificationLevel::Annotations,
            ChangeKind::Other => ModificationLevel::Other,
        }
    }
}

/// One change, described for a clerk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The revision that made it (0 is the original document).
    pub revision: usize,
    /// What kind of change.
    #[serde(flatten)]
    pub kind: ChangeKind,
    /// Vietnamese description.
    pub vi: String,
    /// English description.
    pub en: String,
}

/// Everything that changed after one signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiffOutcome {
    /// The most permissive level needed to clear every change.
    pub level: Option<ModificationLevel>,
    /// The changes, revision by revision.
    pub changes: Vec<Change>,
}

impl DiffOutcome {
    /// The level, `None` when no revision follows the signature.
    pub fn modification(&self) -> ModificationLevel {
        self.level.unwrap_or(ModificationLevel::None)
    }
}

/// Compare every revision after `signed` with it.
pub fn analyse(document: &Document, signed: usize) -> DiffOutcome {
    let count = document.revisions().len();
    let mut outcome = DiffOutcome::default();
    for revision in signed + 1..count {
        let changes = compare(document, signed, revision);
        let level = changes
            .iter()
            .map(|change| change.kind.level())
            .max()
            .unwrap_or(ModificationLevel::LtaUpdates)
            .max(ModificationLevel::LtaUpdates);
        outcome.level = Some(outcome.level.map_or(level, |l| l.max(level)));
        outcome.changes.extend(changes);
    }
    outcome
}

/// The changes revision `revision` makes relative to revision `signed`.
pub fn compare(document: &Document, signed: usize, revision: usize) -> Vec<Change> {
    let (Some(old), Some(new)) = (document.view_at(signed), document.view_at(revision)) else {
        return Vec::new();
    };
    let explicit: BTreeMap<u32, XrefEntry> = document.revisions()[revision].entries().collect();
    let mut pass = Pass {
        document,
        old,
        new,
        revision,
        explicit,
        explained: HashSet::new(),
        changes: Vec::new(),
        budget: Budget::new("diff dependencies", MAX_DEPENDENCY_VISITS),
        visited: HashSet::new(),
        new_widgets: HashMap::new(),
    };
    pass.run();
    pass.changes
}

struct Pass<'a> {
    document: &'a Document,
    old: View<'a>,
    new: View<'a>,
    revision: usize,
    explicit: BTreeMap<u32, XrefEntry>,
    explained: HashSet<u32>,
    changes: Vec<Change>,
    budget: Budget,
    visited: HashSet<u32>,
    /// Widgets of new signature fields, which pages may gain: widget → field name.
    new_widgets: HashMap<ObjRef, String>,
}

impl Pass<'_> {
    fn run(&mut self) {
        self.freed();
        let (Ok(old_catalog), Ok(new_catalog)) = (self.old.catalog(), self.new.catalog()) else {
            self.other(
                "không đọc được danh mục (catalog)",
                "cannot read the catalog",
            );
            return;
        };
        self.trailer();
        self.catalog(&old_catalog, &new_catalog);
        self.metadata(&old_catalog, &new_catalog);
        self.dss(&old_catalog, &new_catalog);
        self.file_structure();
        self.form(&old_catalog, &new_catalog);
        self.pages();
        self.unexplained();
    }

    // ---- bookkeeping -------------------------------------------------------------------

    fn change(&mut self, kind: ChangeKind, vi: String, en: String) {
        self.changes.push(Change {
            revision: self.revision,
            kind,
            vi,
            en,
        });
    }

    fn other(&mut self, vi: impl Into<String>, en: impl Into<String>) {
        self.change(ChangeKind::Other, vi.into(), en.into());
    }

    /// The object is defined anew by this revision.
    fn in_update(&self, reference: ObjRef) -> bool {
        matches!(
            self.explicit.get(&reference.number),
            Some(XrefEntry::InUse { .. } | XrefEntry::Compressed { .. })
        )
    }

    /// The object number was not in use in the signed revision.
    fn is_new(&self, reference: ObjRef) -> bool {
        !matches!(
            self.old.entry(reference.number),
            Some(XrefEntry::InUse { .. } | XrefEntry::Compressed { .. })
        )
    }

    fn explain(&mut self, reference: ObjRef) {
        self.explained.insert(reference.number);
    }

    fn get_new(&self, reference: ObjRef) -> Object {
        self.new.get(reference).unwrap_or(Object::Null)
    }

    fn resolve_new(&self, object: &Object) -> Object {
        self.new.resolve(object).unwrap_or(Object::Null)
    }

    fn resolve_old(&self, object: &Object) -> Object {
        self.old.resolve(object).unwrap_or(Object::Null)
    }

    /// An entry whose value may be replaced: a reference must keep pointing at the same
    /// object or at a new one (pyHanko's `compare_key_refs`). Clears the object when this
    /// revision redefines it; returns the resolved old and new values.
    fn key_refs(&mut self, old: &Dict, new: &Dict, key: &str) -> (Option<Object>, Option<Object>) {
        let old_value = old.get(key).cloned();
        let new_value = new.get(key).cloned();
        if let Some(Object::Ref(reference)) = &new_value {
            let same = old_value.as_ref().and_then(Object::as_reference) == Some(*reference);
            if self.in_update(*reference) {
                if same || self.is_new(*reference) {
                    self.explain(*reference);
                } else {
                    self.other(
                        format!("/{key} trỏ sang đối tượng có sẵn {reference} và ghi đè nó"),
                        format!("/{key} points at the existing object {reference}, overwritten"),
                    );
                }
            } else if !same && !self.is_new(*reference) {
                self.other(
                    format!("/{key} trỏ sang đối tượng có sẵn {reference}"),
                    format!("/{key} now points at the existing object {reference}"),
                );
            }
        }
        let old_resolved = old_value.map(|v| self.resolve_old(&v));
        let new_resolved = new_value.map(|v| self.resolve_new(&v));
        (old_resolved, new_resolved)
    }

    /// Clear every object created since the signed revision that `value` reaches.
    fn explain_new_deps(&mut self, value: &Object) -> usize {
        let mut stack = vec![value.clone()];
        let mut count = 0;
        while let Some(object) = stack.pop() {
            match object {
                Object::Ref(reference) => {
                    if !self.is_new(reference) || !self.visited.insert(reference.number) {
                        continue;
                    }
                    if self.budget.spend(1).is_err() {
                        self.other(
                            "quá nhiều đối tượng phụ thuộc để phân tích",
                            "too many dependent objects to analyse",
                        );
                        return count;
                    }
                    self.explain(reference);
                    count += 1;
                    stack.push(self.get_new(reference));
                }
                Object::Array(items) => stack.extend(items),
                Object::Dict(dict) => stack.extend(dict.iter().map(|(_, v)| v.clone())),
                Object::Stream(stream) => {
                    stack.extend(stream.dict.iter().map(|(_, v)| v.clone()));
                }
                _ => {}
            }
        }
        count
    }

    // ---- rules -------------------------------------------------------------------------

    /// Objects in use when signed must not be freed.
    fn freed(&mut self) {
        let freed: Vec<u32> = self
            .explicit
            .iter()
            .filter(|(_, entry)| matches!(entry, XrefEntry::Free { .. }))
            .map(|(&number, _)| number)
            .filter(|&number| number != 0 && !self.is_new(ObjRef::new(number, 0)))
            .collect();
        for number in freed {
            self.explain(ObjRef::new(number, 0));
            self.other(
                format!("đối tượng {number} bị xóa"),
                format!("object {number} was freed"),
            );
        }
    }

    fn trailer(&mut self) {
        let old_trailer = self.old.trailer().clone();
        let new_trailer = self.new.trailer().clone();
        if old_trailer.get("Root") != new_trailer.get("Root") {
            self.other(
                "/Root của trailer trỏ sang danh mục khác",
                "the trailer's /Root points at another catalog",
            );
        }
        if new_trailer.contains_key("Encrypt") && !old_trailer.contains_key("Encrypt") {
            self.other(
                "văn bản bị mã hóa sau khi ký",
                "encryption added after signing",
            );
        }
        let (_, new_info) = self.key_refs(&old_trailer, &new_trailer, "Info");
        let updated = new_trailer
            .get("Info")
            .and_then(Object::as_reference)
            .is_some_and(|r| self.in_update(r));
        if updated {
            if matches!(new_info, Some(Object::Dict(_))) {
                self.change(
                    ChangeKind::Metadata,
                    "cập nhật thông tin văn bản (/Info)".into(),
                    "document information (/Info) updated".into(),
                );
            } else {
                self.other("/Info không phải từ điển", "/Info is not a dictionary");
            }
        }
    }

    fn catalog(&mut self, old: &Dict, new: &Dict) {
        for key in dict_differences(old, new, &CATALOG_EXEMPT) {
            self.other(
                format!("danh mục (catalog) thay đổi mục /{key}"),
                format!("catalog entry /{key} changed"),
            );
        }
        for key in ["Extensions", "MarkInfo"] {
            self.key_refs(old, new, key);
        }
        if let Some(root) = self
            .new
            .trailer()
            .get("Root")
            .and_then(Object::as_reference)
        {
            self.explain(root);
        }
    }

    fn metadata(&mut self, old: &Dict, new: &Dict) {
        let (old_value, new_value) = self.key_refs(old, new, "Metadata");
        let Some(new_value) = new_value else {
            if old_value.is_some() {
                self.other("XMP metadata bị xóa", "XMP metadata removed");
            }
            return;
        };
        let changed = match (&old_value, &new_value) {
            (Some(old_value), new_value) => !self.identical(old_value, new_value),
            (None, _) => true,
        };
        if !changed {
            return;
        }
        let is_xmp = new_value
            .as_stream()
            .is_some_and(|stream| stream.dict.type_name().is_some_and(|t| *t == "Metadata"));
        if is_xmp {
            self.change(
                ChangeKind::Metadata,
                "cập nhật XMP metadata".into(),
                "XMP metadata updated".into(),
            );
        } else {
            self.other(
                "/Metadata không phải luồng XMP",
                "/Metadata is not an XMP stream",
            );
        }
    }

    fn dss(&mut self, old: &Dict, new: &Dict) {
        let (old_dss, new_dss) = self.key_refs(old, new, "DSS");
        let Some(new_dss) = new_dss else {
            if old_dss.is_some() {
                self.other("/DSS bị xóa", "/DSS removed");
            }
            return;
        };
        let old_dss = match old_dss {
            Some(Object::Dict(dict)) => dict,
            _ => Dict::new(),
        };
        let Object::Dict(new_dss) = new_dss else {
            self.other("/DSS không phải từ điển", "/DSS is not a dictionary");
            return;
        };
        let allowed = ["Type", "VRI", "Certs", "CRLs", "OCSPs"];
        for (key, _) in new_dss.iter() {
            if !allowed.iter().any(|a| *key == *a) {
                self.other(
                    format!("/DSS có mục lạ /{key}"),
                    format!("unexpected /DSS entry /{key}"),
                );
            }
        }
        let mut added = 0;
        for key in ["Certs", "CRLs", "OCSPs"] {
            added += self.dss_array(&old_dss, &new_dss, key);
        }
        added += self.vri(&old_dss, &new_dss);
        if added > 0 || old_dss != new_dss {
            self.change(
                ChangeKind::ValidationData,
                format!("bổ sung dữ liệu kiểm tra hiệu lực (DSS, {added} đối tượng mới)"),
                format!("validation data added (DSS, {added} new objects)"),
            );
        }
    }

    /// `/Certs`, `/CRLs`, `/OCSPs` (or a VRI's `/Cert`, `/CRL`, `/OCSP`): arrays of stream
    /// references; new streams are cleared.
    fn dss_array(&mut self, old: &Dict, new: &Dict, key: &str) -> usize {
        let (_, value) = self.key_refs(old, new, key);
        let Some(value) = value else {
            return 0;
        };
        let all_streams = value.as_array().is_some_and(|items| {
            items.iter().all(|item| {
                item.as_reference()
                    .is_some_and(|r| matches!(self.get_new(r), Object::Stream(_)))
            })
        });
        if !all_streams {
            self.other(
                format!("/{key} trong DSS không phải mảng tham chiếu tới luồng"),
                format!("DSS /{key} is not an array of stream references"),
            );
            return 0;
        }
        self.explain_new_deps(&value)
    }

    fn vri(&mut self, old_dss: &Dict, new_dss: &Dict) -> usize {
        let (old_vri, new_vri) = self.key_refs(old_dss, new_dss, "VRI");
        let Some(new_vri) = new_vri else {
            return 0;
        };
        let old_vri = match old_vri {
            Some(Object::Dict(dict)) => dict,
            _ => Dict::new(),
        };
        let Object::Dict(new_vri) = new_vri else {
            self.other("/VRI không phải từ điển", "/VRI is not a dictionary");
            return 0;
        };
        for (key, value) in old_vri.iter() {
            if new_vri.get(key.as_bytes()) != Some(value) {
                self.other(
                    format!("mục VRI /{key} bị sửa hoặc xóa"),
                    format!("VRI entry /{key} modified or deleted"),
                );
            }
        }
        let mut added = 0;
        for (key, value) in new_vri.iter() {
            if old_vri.contains_key(key.as_bytes()) {
                continue;
            }
            let well_formed = key.as_bytes().len() == 40
                && key
                    .as_bytes()
                    .iter()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
            if !well_formed {
                self.other(
                    format!("khóa VRI /{key} sai dạng"),
                    format!("malformed VRI key /{key}"),
                );
            }
            added += self.vri_entry(value);
        }
        added
    }

    fn vri_entry(&mut self, value: &Object) -> usize {
        if let Some(reference) = value.as_reference().filter(|r| self.is_new(*r)) {
            self.explain(reference);
        }
        let Object::Dict(entry) = self.resolve_new(value) else {
            self.other(
                "mục VRI không phải từ điển",
                "VRI entry is not a dictionary",
            );
            return 0;
        };
        let allowed = ["Type", "TU", "TS", "Cert", "CRL", "OCSP"];
        if entry.iter().any(|(k, _)| !allowed.iter().any(|a| *k == *a)) {
            self.other("mục VRI có khóa lạ", "unexpected key in a VRI entry");
        }
        let empty = Dict::new();
        let mut added = 0;
        for key in ["Cert", "CRL", "OCSP"] {
            added += self.dss_array(&empty, &entry, key);
        }
        if let Some(ts) = entry.get("TS").and_then(Object::as_reference)
            && self.is_new(ts)
        {
            self.explain(ts);
        }
        added
    }

    /// New object streams and xref streams are containers; what they hold is judged
    /// object by object.
    fn file_structure(&mut self) {
        let candidates: Vec<ObjRef> = self
            .explicit
            .iter()
            .filter_map(|(&number, entry)| match entry {
                XrefEntry::InUse { generation, .. } => Some(ObjRef::new(number, *generation)),
                _ => None,
            })
            .filter(|&r| self.is_new(r))
            .collect();
        for reference in candidates {
            let container = match self.get_new(reference) {
                Object::Stream(stream) => stream
                    .dict
                    .type_name()
                    .is_some_and(|t| *t == "ObjStm" || *t == "XRef"),
                _ => false,
            };
            if container {
                self.explain(reference);
            }
        }
    }

    fn form(&mut self, old_catalog: &Dict, new_catalog: &Dict) {
        let (old_form, new_form) = self.key_refs(old_catalog, new_catalog, "AcroForm");
        let old_form = match old_form {
            Some(Object::Dict(dict)) => dict,
            _ => Dict::new(),
        };
        let new_form = match new_form {
            Some(Object::Dict(dict)) => dict,
            None => {
                if !old_form.is_empty() {
                    self.other("/AcroForm bị xóa", "/AcroForm removed");
                }
                return;
            }
            Some(_) => {
                self.other(
                    "/AcroForm không phải từ điển",
                    "/AcroForm is not a dictionary",
                );
                return;
            }
        };
        for key in dict_differences(&old_form, &new_form, &ACROFORM_EXEMPT) {
            self.other(
                format!("/AcroForm thay đổi mục /{key}"),
                format!("/AcroForm entry /{key} changed"),
            );
        }
        self.key_refs(&old_form, &new_form, "Fields");
        let (old_dr, new_dr) = self.key_refs(&old_form, &new_form, "DR");
        if let Some(new_dr) = new_dr {
            let dr_changed = old_dr
                .as_ref()
                .is_none_or(|old| !self.identical(old, &new_dr));
            self.explain_new_deps(&new_dr);
            if dr_changed {
                self.change(
                    ChangeKind::FormFill {
                        field: String::new(),
                    },
                    "cập nhật tài nguyên mặc định của biểu mẫu (/DR)".into(),
                    "form default resources (/DR) updated".into(),
                );
            }
        }
        if old_form.get("NeedAppearances") != new_form.get("NeedAppearances") {
            self.change(
                ChangeKind::FormFill {
                    field: String::new(),
                },
                "đổi /NeedAppearances của biểu mẫu".into(),
                "form /NeedAppearances changed".into(),
            );
        }
        self.fields();
    }

    fn fields(&mut self) {
        let (old_all, new_all) = (self.old.fields_shared(), self.new.fields_shared());
        let (old_fields, new_fields) = match (&*old_all, &*new_all) {
            (Ok(old), Ok(new)) => (old, new),
            (_, Err(error)) => {
                self.other(
                    format!("cây trường biểu mẫu hỏng: {error}"),
                    format!("broken form field tree: {error}"),
                );
                return;
            }
            (Err(_), Ok(_)) => {
                self.other("cây trường biểu mẫu cũ hỏng", "old form field tree broken");
                return;
            }
        };
        let old_named = named_fields(old_fields);
        let new_named = named_fields(new_fields);
        for name in old_named.keys() {
            if !new_named.contains_key(name) {
                self.other(
                    format!("trường '{name}' bị xóa"),
                    format!("field '{name}' deleted"),
                );
            }
        }
        for (name, new_field) in &new_named {
            match old_named.get(name) {
                None => self.new_field(name, new_field, new_fields),
                Some(old_field) => self.existing_field(name, old_field, new_field, new_fields),
            }
        }
        self.widget_kids(old_fields, new_fields, &new_named);
    }

    fn new_field(&mut self, name: &str, field: &Field, all: &[Field]) {
        if !field.is_signature() {
            let kind = field
                .field_type
                .as_ref()
                .map_or("?".to_owned(), |t| t.to_string());
            self.other(
                format!("thêm trường mới '{name}' loại {kind}"),
                format!("new field '{name}' of type {kind} added"),
            );
            return;
        }
        if !self.is_new(field.reference) {
            self.other(
                format!("trường chữ ký mới '{name}' ghi đè đối tượng có sẵn"),
                format!("new signature field '{name}' overwrites an existing object"),
            );
            return;
        }
        self.explain(field.reference);
        let widgets = widgets_of(field, all);
        let visible = widgets.iter().any(|w| annotation_visible(&w.dict));
        for widget in &widgets {
            self.explain(widget.reference);
            self.new_widgets.insert(widget.reference, name.to_owned());
            if let Some(ap) = widget.dict.get("AP").cloned() {
                self.explain_new_deps(&ap);
            }
        }
        for key in ["AP", "Lock", "SV", "Kids"] {
            if let Some(value) = field.dict.get(key).cloned() {
                self.explain_new_deps(&value);
            }
        }
        match field.dict.get("V").cloned() {
            Some(value) => self.signature_value(name, &value, visible, true),
            None => self.change(
                ChangeKind::EmptySignatureField {
                    field: name.to_owned(),
                    visible,
                },
                format!("thêm trường chữ ký trống '{name}'"),
                format!("empty signature field '{name}' added"),
            ),
        }
    }

    /// A signature dictionary newly set as a field's value.
    fn signature_value(&mut self, name: &str, value: &Object, visible: bool, new_field: bool) {
        let Some(reference) = value.as_reference() else {
            self.other(
                format!("giá trị chữ ký của '{name}' không phải tham chiếu gián tiếp"),
                format!("the signature value of '{name}' is not an indirect reference"),
            );
            return;
        };
        if !self.is_new(reference) {
            self.other(
                format!("giá trị chữ ký của '{name}' trỏ tới đối tượng có sẵn {reference}"),
                format!("the signature value of '{name}' is the existing object {reference}"),
            );
            return;
        }
        let Object::Dict(dict) = self.get_new(reference) else {
            self.other(
                format!("giá trị chữ ký của '{name}' không phải từ điển"),
                format!("the signature value of '{name}' is not a dictionary"),
            );
            return;
        };
        self.explain_new_deps(&Object::Ref(reference));
        let timestamp = dict.type_name().is_some_and(|t| *t == "DocTimeStamp");
        if timestamp && !visible {
            self.change(
                ChangeKind::DocumentTimestamp,
                format!("thêm dấu thời gian cho văn bản ('{name}')"),
                format!("document timestamp added ('{name}')"),
            );
        } else {
            let (vi, en) = if visible {
                ("hiển thị", "visible")
            } else {
                ("ẩn", "invisible")
            };
            self.change(
                ChangeKind::Signature {
                    field: name.to_owned(),
                    visible,
                    new_field,
                },
                format!("thêm chữ ký {vi} vào trường '{name}'"),
                format!("{en} signature added in field '{name}'"),
            );
        }
    }

    fn existing_field(&mut self, name: &str, old: &Field, new: &Field, all: &[Field]) {
        if old.field_type != new.field_type {
            self.other(
                format!("trường '{name}' đổi loại"),
                format!("field '{name}' changed type"),
            );
            return;
        }
        if old.reference != new.reference {
            self.other(
                format!("trường '{name}' được thay bằng đối tượng khác"),
                format!("field '{name}' replaced by another object"),
            );
            return;
        }
        if !self.in_update(new.reference) {
            return;
        }
        self.explain(new.reference);
        let differing = dict_differences(&old.dict, &new.dict, &VALUE_UPDATE_KEYS);
        if !differing.is_empty() {
            self.other(
                format!("trường '{name}' thay đổi /{}", differing.join(", /")),
                format!("field '{name}' changed /{}", differing.join(", /")),
            );
            return;
        }
        let value_changes = dict_differences(&old.dict, &new.dict, &ALWAYS_MODIFIABLE);
        if value_changes.is_empty() {
            return;
        }
        if new.is_signature() {
            self.existing_signature_field(name, old, new, all);
        } else {
            self.filled(name, &old.dict, &new.dict);
        }
    }

    fn existing_signature_field(&mut self, name: &str, old: &Field, new: &Field, all: &[Field]) {
        let was_signed = old.dict.contains_key("V");
        match (was_signed, new.dict.get("V").cloned()) {
            (false, Some(value)) => {
                if let Some(ap) = new.dict.get("AP").cloned() {
                    self.appearance(name, old.dict.get("AP"), &ap);
                }
                let visible = widgets_of(new, all)
                    .iter()
                    .any(|w| annotation_visible(&w.dict));
                self.signature_value(name, &value, visible, false);
            }
            (true, Some(value)) if old.dict.get("V") == Some(&value) => self.other(
                format!("trường chữ ký đã ký '{name}' bị sửa"),
                format!("signed field '{name}' modified"),
            ),
            (true, _) => self.other(
                format!("chữ ký trong trường '{name}' bị thay hoặc xóa"),
                format!("the signature in field '{name}' was replaced or removed"),
            ),
            (false, None) => self.other(
                format!("trường chữ ký trống '{name}' bị sửa"),
                format!("empty signature field '{name}' modified"),
            ),
        }
    }

    /// A non-signature field (or a widget of it) filled.
    fn filled(&mut self, name: &str, old: &Dict, new: &Dict) {
        if let Some(ap) = new.get("AP").cloned() {
            self.appearance(name, old.get("AP"), &ap);
        }
        if let Some(value) = new.get("V").cloned() {
            self.explain_new_deps(&value);
        }
        let shown = new
            .get("V")
            .map(|v| self.resolve_new(v))
            .and_then(|v| match v {
                Object::String(s) => Some(s.to_text()),
                Object::Name(n) => Some(n.to_string()),
                _ => None,
            });
        let (vi, en) = match shown {
            Some(value) => (
                format!("điền trường '{name}' = \"{value}\""),
                format!("field '{name}' filled with \"{value}\""),
            ),
            None => (
                format!("đổi hình hiển thị trường '{name}'"),
                format!("field '{name}' appearance changed"),
            ),
        };
        self.change(
            ChangeKind::FormFill {
                field: name.to_owned(),
            },
            vi,
            en,
        );
    }

    /// A new appearance: the `/AP` entry may point at a new dictionary; the streams it names
    /// must be new objects (an existing stream overwritten stays unexplained).
    fn appearance(&mut self, name: &str, old_ap: Option<&Object>, new_ap: &Object) {
        if let (Some(Object::Ref(old_ref)), Object::Ref(new_ref)) = (old_ap, new_ap)
            && old_ref == new_ref
            && self.in_update(*new_ref)
        {
            self.explain(*new_ref);
        }
        if !matches!(self.resolve_new(new_ap), Object::Dict(_)) {
            self.other(
                format!("/AP của trường '{name}' không phải từ điển"),
                format!("/AP of field '{name}' is not a dictionary"),
            );
            return;
        }
        self.explain_new_deps(new_ap);
    }

    /// Widget kids (no `/T`) of fields that existed: filled like their field.
    fn widget_kids(
        &mut self,
        old_fields: &[Field],
        new_fields: &[Field],
        new_named: &BTreeMap<String, &Field>,
    ) {
        let old_widgets: HashMap<ObjRef, &Field> = old_fields
            .iter()
            .filter(|f| f.partial_name.is_none())
            .map(|f| (f.reference, f))
            .collect();
        for widget in new_fields.iter().filter(|f| f.partial_name.is_none()) {
            if self.new_widgets.contains_key(&widget.reference) {
                continue;
            }
            let Some(old) = old_widgets.get(&widget.reference) else {
                if !self.is_new(widget.reference) || self.in_update(widget.reference) {
                    self.other(
                        format!("thêm ô hiển thị mới cho trường '{}'", widget.name),
                        format!("new widget added to field '{}'", widget.name),
                    );
                }
                continue;
            };
            if !self.in_update(widget.reference) {
                continue;
            }
            self.explain(widget.reference);
            let differing = dict_differences(&old.dict, &widget.dict, &VALUE_UPDATE_KEYS);
            if !differing.is_empty() {
                self.other(
                    format!(
                        "ô hiển thị của '{}' thay đổi /{}",
                        widget.name,
                        differing.join(", /")
                    ),
                    format!(
                        "widget of '{}' changed /{}",
                        widget.name,
                        differing.join(", /")
                    ),
                );
                continue;
            }
            let signed_parent = new_named
                .get(&widget.name)
                .is_some_and(|parent| parent.is_signature());
            if signed_parent {
                if let Some(ap) = widget.dict.get("AP").cloned() {
                    self.appearance(&widget.name, old.dict.get("AP"), &ap);
                }
            } else if !dict_differences(&old.dict, &widget.dict, &ALWAYS_MODIFIABLE).is_empty() {
                let name = widget.name.clone();
                self.filled(&name, &old.dict, &widget.dict);
            }
        }
    }

    fn pages(&mut self) {
        let (old_pages, new_pages) = match (self.old.pages(), self.new.pages()) {
            (Ok(old), Ok(new)) => (old, new),
            _ => {
                self.other("cây trang không đọc được", "the page tree cannot be read");
                return;
            }
        };
        let old_refs: Vec<ObjRef> = old_pages.iter().map(|p| p.reference).collect();
        let new_refs: Vec<ObjRef> = new_pages.iter().map(|p| p.reference).collect();
        if old_refs != new_refs {
            self.other(
                "cây trang thay đổi (thêm, bớt hoặc đổi thứ tự trang)",
                "the page tree changed (pages added, removed or reordered)",
            );
            return;
        }
        for (index, (old, new)) in old_pages.iter().zip(&new_pages).enumerate() {
            self.page(index + 1, old.reference, &old.dict, &new.dict);
        }
    }

    fn page(&mut self, number: usize, reference: ObjRef, old: &Dict, new: &Dict) {
        let page_updated = self.in_update(reference);
        if page_updated {
            for key in dict_differences(old, new, &["Annots"]) {
                self.other(
                    format!("trang {number}: mục /{key} thay đổi"),
                    format!("page {number}: entry /{key} changed"),
                );
            }
            self.explain(reference);
        }
        let (old_annots, new_annots) = self.key_refs(old, new, "Annots");
        let old_list = annotation_refs(old_annots.as_ref());
        let new_list = annotation_refs(new_annots.as_ref());
        let (Some(old_list), Some(new_list)) = (old_list, new_list) else {
            self.other(
                format!("trang {number}: /Annots không phải mảng tham chiếu"),
                format!("page {number}: /Annots is not an array of references"),
            );
            return;
        };
        let old_set: BTreeSet<ObjRef> = old_list.iter().copied().collect();
        let new_set: BTreeSet<ObjRef> = new_list.iter().copied().collect();
        if old_set.difference(&new_set).next().is_some() {
            self.other(
                format!("trang {number}: chú thích bị xóa"),
                format!("page {number}: annotations removed"),
            );
        }
        for added in new_set.difference(&old_set).copied().collect::<Vec<_>>() {
            self.added_annotation(number, added);
        }
        for existing in old_set.intersection(&new_set).copied().collect::<Vec<_>>() {
            self.existing_annotation(number, existing);
        }
    }

    fn added_annotation(&mut self, page: usize, reference: ObjRef) {
        if self.new_widgets.contains_key(&reference) {
            return;
        }
        let Object::Dict(annotation) = self.get_new(reference) else {
            self.other(
                format!("trang {page}: chú thích {reference} không phải từ điển"),
                format!("page {page}: annotation {reference} is not a dictionary"),
            );
            return;
        };
        let subtype = subtype(&annotation);
        if subtype == "Widget" || !self.is_new(reference) {
            self.other(
                format!("trang {page}: thêm {subtype} {reference} không thuộc trường chữ ký mới"),
                format!("page {page}: {subtype} {reference} added, not a new signature widget"),
            );
            return;
        }
        self.explain_new_deps(&Object::Ref(reference));
        self.change(
            ChangeKind::Annotation,
            format!(
                "trang {page}: thêm chú thích /{subtype}{}",
                annotation_text(&annotation)
            ),
            format!(
                "page {page}: /{subtype} annotation added{}",
                annotation_text(&annotation)
            ),
        );
    }

    fn existing_annotation(&mut self, page: usize, reference: ObjRef) {
        if !self.in_update(reference) || self.explained.contains(&reference.number) {
            return;
        }
        let old = self.old.get(reference).unwrap_or(Object::Null);
        let new = self.get_new(reference);
        if self.identical(&old, &new) {
            return;
        }
        let (Object::Dict(old), Object::Dict(new)) = (old, new) else {
            return;
        };
        if subtype(&old) == "Widget" || subtype(&old) != subtype(&new) {
            return;
        }
        self.explain(reference);
        for key in ["AP", "Popup", "IRT"] {
            if let Some(value) = new.get(key).cloned() {
                self.explain_new_deps(&value);
            }
        }
        let subtype = subtype(&new);
        self.change(
            ChangeKind::Annotation,
            format!(
                "trang {page}: sửa chú thích /{subtype}{}",
                annotation_text(&new)
            ),
            format!(
                "page {page}: /{subtype} annotation changed{}",
                annotation_text(&new)
            ),
        );
    }

    /// Objects this revision (re)defines that no rule cleared: identical rewrites and true
    /// orphans are let through, the rest is [`ChangeKind::Other`].
    fn unexplained(&mut self) {
        let remaining: Vec<(u32, XrefEntry)> = self
            .explicit
            .iter()
            .filter(|(number, entry)| {
                **number != 0
                    && !self.explained.contains(number)
                    && !matches!(entry, XrefEntry::Free { .. })
            })
            .map(|(&number, &entry)| (number, entry))
            .collect();
        let mut orphan_candidates = Vec::new();
        for (number, entry) in remaining {
            let generation = match entry {
                XrefEntry::InUse { generation, .. } => generation,
                _ => 0,
            };
            let reference = ObjRef::new(number, generation);
            if self.is_new(reference) {
                orphan_candidates.push(reference);
                continue;
            }
            let old = self.old.get(reference).unwrap_or(Object::Null);
            let new = self.get_new(reference);
            if self.identical(&old, &new) {
                continue;
            }
            let what = describe(&old);
            self.other(
                format!("đối tượng {reference} ({what}) bị sửa mà không quy tắc nào cho phép"),
                format!("object {reference} ({what}) changed, and no rule allows it"),
            );
        }
        self.orphans(orphan_candidates);
    }

    /// New objects nothing refers to do not change what is displayed; any other new object
    /// that no rule explains does.
    fn orphans(&mut self, candidates: Vec<ObjRef>) {
        if candidates.is_empty() {
            return;
        }
        let numbers: HashSet<u32> = candidates.iter().map(|r| r.number).collect();
        let referenced = referenced_numbers(self.document, &self.new, &numbers);
        for reference in candidates {
            let reachable = match &referenced {
                Ok(found) => found.contains(&reference.number),
                Err(()) => true,
            };
            if reachable {
                let what = describe(&self.get_new(reference));
                self.other(
                    format!("thêm đối tượng {reference} ({what}) mà không quy tắc nào cho phép"),
                    format!("object {reference} ({what}) added, and no rule allows it"),
                );
            }
        }
    }

    /// Same value; streams compared by dictionary and raw bytes.
    fn identical(&self, old: &Object, new: &Object) -> bool {
        match (old, new) {
            (Object::Stream(a), Object::Stream(b)) => {
                a.dict == b.dict && self.document.stream_bytes(a) == self.document.stream_bytes(b)
            }
            (Object::Array(a), Object::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.identical(x, y))
            }
            (Object::Dict(a), Object::Dict(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(key, value)| {
                        b.get(key.as_bytes())
                            .is_some_and(|other| self.identical(value, other))
                    })
            }
            _ => old == new,
        }
    }
}

/// Keys whose values differ between two dictionaries, except `exempt`.
fn dict_differences(old: &Dict, new: &Dict, exempt: &[&str]) -> Vec<String> {
    let mut keys: BTreeSet<Vec<u8>> = BTreeSet::new();
    keys.extend(old.iter().map(|(k, _)| k.as_bytes().to_vec()));
    keys.extend(new.iter().map(|(k, _)| k.as_bytes().to_vec()));
    keys.into_iter()
        .filter(|key| !exempt.iter().any(|e| e.as_bytes() == key.as_slice()))
        .filter(|key| !same_value(old.get(key), new.get(key)))
        .map(|key| String::from_utf8_lossy(&key).into_owned())
        .collect()
}

fn same_value(old: Option<&Object>, new: Option<&Object>) -> bool {
    match (old, new) {
        (Some(Object::Stream(a)), Some(Object::Stream(b))) => {
            a.dict == b.dict && stream_range(a) == stream_range(b)
        }
        _ => old == new,
    }
}

fn stream_range(stream: &crate::pdf::Stream) -> Option<std::ops::Range<usize>> {
    match &stream.data {
        StreamData::File(range) => Some(range.clone()),
        StreamData::Owned(_) => None,
    }
}

/// Fields with a partial name, by full name (widgets without `/T` are left out).
fn named_fields(fields: &[Field]) -> BTreeMap<String, &Field> {
    fields
        .iter()
        .filter(|f| f.partial_name.is_some())
        .map(|f| (f.name.clone(), f))
        .collect()
}

/// The widgets of a field: itself when merged, else its kids without `/T`.
fn widgets_of<'f>(field: &'f Field, all: &'f [Field]) -> Vec<&'f Field> {
    if field.is_widget() {
        return vec![field];
    }
    all.iter()
        .filter(|f| f.parent == Some(field.reference) && f.partial_name.is_none())
        .collect()
}

/// An annotation is visible when its `/Rect` has an area.
pub fn annotation_visible(dict: &Dict) -> bool {
    let Some(rect) = dict.get("Rect").and_then(Object::as_array) else {
        return false;
    };
    let numbers: Vec<f64> = rect.iter().filter_map(Object::as_f64).collect();
    match numbers.as_slice() {
        [x1, y1, x2, y2] => ((x2 - x1) * (y2 - y1)).abs() > 0.0,
        _ => false,
    }
}

fn annotation_refs(value: Option<&Object>) -> Option<Vec<ObjRef>> {
    match value {
        None | Some(Object::Null) => Some(Vec::new()),
        Some(Object::Array(items)) => items.iter().map(Object::as_reference).collect(),
        Some(_) => None,
    }
}

fn subtype(dict: &Dict) -> String {
    dict.get("Subtype")
        .and_then(Object::as_name)
        .map_or("?".to_owned(), |n| n.to_string())
}

fn annotation_text(dict: &Dict) -> String {
    match dict.get("Contents") {
        Some(Object::String(text)) => {
            let text: String = text.to_text().chars().take(80).collect();
            format!(" \"{text}\"")
        }
        _ => String::new(),
    }
}

fn describe(object: &Object) -> String {
    match object {
        Object::Dict(dict) | Object::Stream(crate::pdf::Stream { dict, .. }) => {
            match (
                dict.type_name(),
                dict.get("Subtype").and_then(Object::as_name),
            ) {
                (Some(t), Some(s)) => format!("/{t} /{s}"),
                (Some(t), None) => format!("/{t}"),
                (None, Some(s)) => format!("/{s}"),
                (None, None) => object.kind().to_owned(),
            }
        }
        other => other.kind().to_owned(),
    }
}

/// Which of `targets` any object of `view` (or its trailer) refers to; `Err` when the scan
/// ran out of budget (then everything counts as referenced).
fn referenced_numbers(
    document: &Document,
    view: &View<'_>,
    targets: &HashSet<u32>,
) -> Result<HashSet<u32>, ()> {
    let mut found = HashSet::new();
    let mut budget = Budget::new("orphan scan", MAX_ORPHAN_SCAN);
    let last = view.revision().index();
    let mut numbers: BTreeSet<u32> = BTreeSet::new();
    for revision in &document.revisions()[..=last] {
        numbers.extend(revision.entries().map(|(n, _)| n));
    }
    collect_refs(&Object::Dict(view.trailer().clone()), targets, &mut found);
    for number in numbers {
        budget.spend(1).map_err(|_| ())?;
        let generation = match view.entry(number) {
            Some(XrefEntry::InUse { generation, .. }) => generation,
            Some(XrefEntry::Compressed { .. }) => 0,
            _ => continue,
        };
        if let Ok(object) = view.get(ObjRef::new(number, generation)) {
            collect_refs(&object, targets, &mut found);
        }
    }
    Ok(found)
}

fn collect_refs(object: &Object, targets: &HashSet<u32>, found: &mut HashSet<u32>) {
    match object {
        Object::Ref(reference) if targets.contains(&reference.number) => {
            found.insert(reference.number);
        }
        Object::Array(items) => items.iter().for_each(|i| collect_refs(i, targets, found)),
        Object::Dict(dict) => dict
            .iter()
            .for_each(|(_, v)| collect_refs(v, targets, found)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, v)| collect_refs(v, targets, found)),
        _ => {}
    }
}

/// Changes the signature's permissions do not allow, each described.
///
/// `docmdp` is the certification level in force (its own, or an earlier certification's);
/// `None` for approval signatures in an uncertified document, which allow what P=2 allows
/// (form filling and signing), so that annotations need an explicit P=3. `locked` says which
/// fields a FieldMDP lock (`/Reference` FieldMDP transform or the field's `/Lock`) covers.
pub fn permissions(
    changes: &[Change],
    docmdp: Option<u8>,
    locked: &dyn Fn(&str) -> bool,
) -> Vec<Change> {
    let level = docmdp.unwrap_or(2);
    let certified = docmdp.is_some();
    changes
        .iter()
        .filter(|change| !allowed(&change.kind, level, certified, locked))
        .map(|change| Change {
            revision: change.revision,
            kind: change.kind.clone(),
            vi: format!("{} (không được phép: P={level})", change.vi),
            en: format!("{} (not allowed: P={level})", change.en),
        })
        .collect()
}

fn allowed(kind: &ChangeKind, level: u8, certified: bool, locked: &dyn Fn(&str) -> bool) -> bool {
    match kind {
        ChangeKind::ValidationData | ChangeKind::DocumentTimestamp | ChangeKind::Metadata => true,
        ChangeKind::Signature {
            field,
            visible,
            new_field,
        } => {
            level >= 2
                && !(*new_field && *visible && certified)
                && (*new_field && !*visible || !locked(field))
        }
        ChangeKind::EmptySignatureField { visible, .. } => level >= 2 && !(*visible && certified),
        ChangeKind::FormFill { field } => level >= 2 && (field.is_empty() || !locked(field)),
        ChangeKind::Annotation => level >= 3,
        ChangeKind::Other => false,
    }
}

/// A FieldMDP lock: which fields it covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum FieldLock {
    /// Every field.
    All,
    /// Only these.
    Include(Vec<String>),
    /// All but these.
    Exclude(Vec<String>),
}

impl FieldLock {
    /// From a FieldMDP transform's parameters or a `/Lock` dictionary.
    pub fn from_dict(view: &View<'_>, dict: &Dict) -> Option<FieldLock> {
        let action = dict.get("Action").and_then(Object::as_name)?;
        let fields = || -> Vec<String> {
            dict.get("Fields")
                .and_then(|f| view.resolve(f).ok())
                .and_then(|f| {
                    f.as_array().map(|items| {
                        items
                            .iter()
                            .filter_map(|i| i.as_string().map(|s| s.to_text()))
                            .collect()
                    })
                })
                .unwrap_or_default()
        };
        match action.as_bytes() {
            b"All" => Some(FieldLock::All),
            b"Include" => Some(FieldLock::Include(fields())),
            b"Exclude" => Some(FieldLock::Exclude(fields())),
            _ => None,
        }
    }

    /// Whether the lock covers `field` (a name or a descendant of one).
    pub fn covers(&self, field: &str) -> bool {
        let named = |names: &[String]| {
            names
                .iter()
                .any(|n| field == n || field.starts_with(&format!("{n}.")))
        };
        match self {
            FieldLock::All => true,
            FieldLock::Include(names) => named(names),
            FieldLock::Exclude(names) => !named(names),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind) -> Change {
        Change {
            revision: 1,
            kind,
            vi: "x".into(),
            en: "x".into(),
        }
    }

    #[test]
    fn docmdp_levels_allow_what_iso_32000_says() {
        let none = |_: &str| false;
        let fill = change(ChangeKind::FormFill { field: "so".into() });
        let annotation = change(ChangeKind::Annotation);
        let dss = change(ChangeKind::ValidationData);
        let signature = change(ChangeKind::Signature {
            field: "dau".into(),
            visible: true,
            new_field: false,
        });
        assert_eq!(
            permissions(std::slice::from_ref(&dss), Some(1), &none).len(),
            0
        );
        assert_eq!(
            permissions(std::slice::from_ref(&fill), Some(1), &none).len(),
            1
        );
        assert_eq!(
            permissions(std::slice::from_ref(&signature), Some(1), &none).len(),
            1
        );
        assert_eq!(
            permissions(&[fill.clone(), signature], Some(2), &none).len(),
            0
        );
        assert_eq!(
            permissions(std::slice::from_ref(&annotation), Some(2), &none).len(),
            1
        );
        assert_eq!(
            permissions(std::slice::from_ref(&annotation), None, &none).len(),
            1
        );
        assert_eq!(permissions(&[annotation], Some(3), &none).len(), 0);
        let locked = |name: &str| name == "so";
        assert_eq!(permissions(&[fill], Some(2), &locked).len(), 1);
    }

    #[test]
    fn new_visible_signatures_after_certification_are_sneaky() {
        let none = |_: &str| false;
        let sneaky = change(ChangeKind::Signature {
            field: "x".into(),
            visible: true,
            new_field: true,
        });
        assert_eq!(
            permissions(std::slice::from_ref(&sneaky), Some(2), &none).len(),
            1
        );
        assert_eq!(permissions(&[sneaky], None, &none).len(), 0);
        let invisible = change(ChangeKind::Signature {
            field: "x".into(),
            visible: false,
            new_field: true,
        });
        assert_eq!(permissions(&[invisible], Some(2), &|_| true).len(), 0);
    }

    #[test]
    fn field_locks_cover_names_and_descendants() {
        let include = FieldLock::Include(vec!["so".into()]);
        assert!(include.covers("so"));
        assert!(include.covers("so.1"));
        assert!(!include.covers("song"));
        let exclude = FieldLock::Exclude(vec!["dau".into()]);
        assert!(exclude.covers("so"));
        assert!(!exclude.covers("dau"));
        assert!(FieldLock::All.covers("anything"));
    }
}

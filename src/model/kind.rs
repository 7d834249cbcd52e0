//! Loại văn bản: the kinds table (`templates/kinds.yaml`), embedded and overridable.
//!
//! Adding a kind is data, not code: one entry in `kinds.yaml` and, when no existing template
//! fits, one template file. The table is read by the parser (to resolve `kind:` and derive the
//! symbol), by the lints (abbreviations, Công văn rules) and by compose (which template).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::input::BasesStyle;

/// The kinds table shipped with vanban.
pub const EMBEDDED_KINDS: &str = include_str!("../../templates/kinds.yaml");

/// One kind of document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// Its key in the data (`ke_hoach`).
    pub key: String,
    /// Tên loại as printed, upper case ("KẾ HOẠCH"); empty for Công văn.
    pub name: String,
    /// Chữ viết tắt for the symbol ("KH"); none for Công văn and kinds without a known one.
    pub abbr: Option<String>,
    /// Template name without ".tera".
    pub template: String,
    /// Template for trade-union issuers, where union rules differ.
    pub union_template: Option<String>,
    /// Whether "Kính gửi:" applies (ô 9a).
    pub kinh_gui: bool,
    /// Default style of căn cứ.
    pub bases: BasesStyle,
    /// The line before the articles ("QUYẾT ĐỊNH:").
    pub decision_word: Option<String>,
    /// How the symbol is formed.
    pub symbol: SymbolScheme,
}

impl Kind {
    /// The template to use for this kind, given whether the issuer is a union body.
    pub fn template_for(&self, union: bool) -> &str {
        match (&self.union_template, union) {
            (Some(template), true) => template,
            _ => &self.template,
        }
    }

    /// Tên loại in sentence case ("Kế hoạch"), for "(Kèm theo Kế hoạch số …)".
    pub fn sentence_name(&self) -> String {
        let lower = self.name.to_lowercase();
        let mut chars = lower.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => "Công văn".to_owned(),
        }
    }
}

/// How a kind's symbol is formed (FORMAT.md §3.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolScheme {
    /// `<type abbreviation>-<issuer abbreviation>`: `KH-CĐN`.
    #[default]
    TypeIssuer,
    /// `<issuer abbreviation>-<unit abbreviation>`: `TLĐ-TOC` (Công văn).
    IssuerUnit,
}

/// All kinds, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTable {
    kinds: BTreeMap<String, Kind>,
}

/// A kinds file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct KindsError {
    /// Which file.
    pub source_name: String,
    /// What is wrong, with the entry path and line.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindEntry {
    #[serde(default)]
    name: String,
    #[serde(default)]
    abbr: Option<String>,
    template: String,
    #[serde(default)]
    union_template: Option<String>,
    #[serde(default)]
    kinh_gui: bool,
    #[serde(default)]
    bases: Option<BasesStyle>,
    #[serde(default)]
    decision_word: Option<String>,
    #[serde(default)]
    symbol: SymbolScheme,
}

impl KindTable {
    /// The table shipped with vanban.
    pub fn embedded() -> KindTable {
        // The embedded file is tested (`embedded_table_reads`); an error here is a build defect.
        KindTable::parse(EMBEDDED_KINDS, "templates/kinds.yaml")
            .expect("embedded kinds.yaml is valid (tested)")
    }

    /// Read a kinds file.
    pub fn parse(text: &str, source_name: &str) -> Result<KindTable, KindsError> {
        let error = |message: String| KindsError {
            source_name: source_name.to_owned(),
            message,
        };
        let de = serde_norway::Deserializer::from_str(text);
        let entries: BTreeMap<String, KindEntry> = serde_path_to_error::deserialize(de)
            .map_err(|e| error(format!("{}: {}", e.path(), e.inner())))?;
        let mut kinds = BTreeMap::new();
        for (key, entry) in entries {
            if !valid_key(&key) {
                return Err(error(format!("{key}: key must be lower-case a-z, 0-9, _")));
            }
            if !valid_key(&entry.template) {
                return Err(error(format!("{key}.template: not a template name")));
            }
            kinds.insert(key.clone(), kind_from(key, entry));
        }
        Ok(KindTable { kinds })
    }

    /// This table with the entries of `other` added or replacing.
    pub fn merged(mut self, other: KindTable) -> KindTable {
        self.kinds.extend(other.kinds);
        self
    }

    /// The kind with this key.
    pub fn get(&self, key: &str) -> Option<&Kind> {
        self.kinds.get(key)
    }

    /// All kinds, by key.
    pub fn iter(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.values()
    }

    /// True when `abbr` is some kind's type abbreviation (`KH`, `QĐ`…).
    pub fn is_type_abbr(&self, abbr: &str) -> bool {
        self.kinds
            .values()
            .any(|kind| kind.abbr.as_deref() == Some(abbr))
    }

    /// All template names the table refers to.
    pub fn template_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .kinds
            .values()
            .flat_map(|k| std::iter::once(k.template.as_str()).chain(k.union_template.as_deref()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

fn kind_from(key: String, entry: KindEntry) -> Kind {
    Kind {
        key,
        name: crate::text::nfc(&entry.name),
        abbr: entry.abbr.map(|a| crate::text::nfc(&a)),
        template: entry.template,
        union_template: entry.union_template,
        kinh_gui: entry.kinh_gui,
        bases: entry.bases.unwrap_or(BasesStyle::Inline),
        decision_word: entry.decision_word.map(|w| crate::text::nfc(&w)),
        symbol: entry.symbol,
    }
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_reads() {
        let table = KindTable::parse(EMBEDDED_KINDS, "kinds.yaml").expect("valid");
        let plan = table.get("ke_hoach").expect("ke_hoach");
        assert_eq!(plan.name, "KẾ HOẠCH");
        assert_eq!(plan.abbr.as_deref(), Some("KH"));
        let letter = table.get("cong_van").expect("cong_van");
        assert_eq!(letter.abbr, None);
        assert_eq!(letter.symbol, SymbolScheme::IssuerUnit);
        assert_eq!(
            table.get("chuong_trinh").and_then(|k| k.abbr.as_deref()),
            Some("CTr")
        );
        assert_eq!(
            table.get("quy_dinh").and_then(|k| k.abbr.as_deref()),
            Some("QyĐ")
        );
        assert_eq!(table.get("dieu_le").and_then(|k| k.abbr.clone()), None);
        let decision = table.get("quyet_dinh").expect("quyet_dinh");
        assert_eq!(decision.template_for(true), "quyet_dinh_cong_doan");
        assert_eq!(decision.template_for(false), "quyet_dinh");
        assert_eq!(decision.sentence_name(), "Quyết định");
        assert!(table.is_type_abbr("TTr"));
    }

    #[test]
    fn bad_entries_name_their_path() {
        let error = KindTable::parse("x: {name: X, tempalte: y}", "k.yaml").expect_err("typo");
        assert!(error.message.contains("x"), "{error}");
        assert!(error.message.contains("tempalte"), "{error}");
    }
}

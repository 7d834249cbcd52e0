//! Hand-written `Deserialize` for the input types whose derived form loses the field path.
//!
//! serde's internally tagged and untagged enums buffer their whole value before choosing a
//! variant, so `serde_path_to_error` cannot see inside: an error in
//! `body[2].children[0].num` would be reported at `body[2]`, without a line. Here a body node
//! reads its `kind` first and then deserializes the variant's fields straight from the same
//! map, so every error keeps its full path and position. A node whose `kind` is not its first
//! key is buffered (still correct, with the path only down to the node).

use std::fmt;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::input::{Lines, NodeInput, RecipientFull, RecipientInput, TableInput};

const NODE_KINDS: &[&str] = &[
    "part", "chapter", "division", "article", "section", "item", "point", "bullet", "para", "table",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Titled {
    #[serde(default)]
    num: Option<String>,
    title: String,
    #[serde(default)]
    children: Vec<NodeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFields {
    #[serde(default)]
    num: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    children: Vec<NodeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFields {
    #[serde(default)]
    num: Option<String>,
    #[serde(default)]
    level: Option<u8>,
    title: String,
    #[serde(default)]
    children: Vec<NodeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFields {
    #[serde(default)]
    num: Option<String>,
    #[serde(default)]
    level: Option<u8>,
    text: String,
    #[serde(default)]
    children: Vec<NodeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointFields {
    #[serde(default)]
    num: Option<String>,
    text: String,
    #[serde(default)]
    children: Vec<NodeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BulletFields {
    #[serde(default = "dash")]
    marker: String,
    text: String,
    #[serde(default)]
    children: Vec<NodeInput>,
}

fn dash() -> String {
    "-".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParaFields {
    text: String,
}

/// The variant `kind` with its fields read from `fields`.
fn node_variant<'de, D: Deserializer<'de>>(kind: &str, fields: D) -> Result<NodeInput, D::Error> {
    Ok(match kind {
        "part" | "chapter" | "division" => {
            let Titled {
                num,
                title,
                children,
            } = Titled::deserialize(fields)?;
            match kind {
                "part" => NodeInput::Part {
                    num,
                    title,
                    children,
                },
                "chapter" => NodeInput::Chapter {
                    num,
                    title,
                    children,
                },
                _ => NodeInput::Division {
                    num,
                    title,
                    children,
                },
            }
        }
        "article" => {
            let f = ArticleFields::deserialize(fields)?;
            NodeInput::Article {
                num: f.num,
                title: f.title,
                text: f.text,
                children: f.children,
            }
        }
        "section" => {
            let f = SectionFields::deserialize(fields)?;
            NodeInput::Section {
                num: f.num,
                level: f.level,
                title: f.title,
                children: f.children,
            }
        }
        "item" => {
            let f = ItemFields::deserialize(fields)?;
            NodeInput::Item {
                num: f.num,
                level: f.level,
                text: f.text,
                children: f.children,
            }
        }
        "point" => {
            let f = PointFields::deserialize(fields)?;
            NodeInput::Point {
                num: f.num,
                text: f.text,
                children: f.children,
            }
        }
        "bullet" => {
            let f = BulletFields::deserialize(fields)?;
            NodeInput::Bullet {
                marker: f.marker,
                text: f.text,
                children: f.children,
            }
        }
        "para" => NodeInput::Para {
            text: ParaFields::deserialize(fields)?.text,
        },
        "table" => NodeInput::Table(TableInput::deserialize(fields)?),
        other => return Err(de::Error::unknown_variant(other, NODE_KINDS)),
    })
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a body node: a map with `kind` (section, item, point, bullet, para, table, part, chapter, division, article)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeInput, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Err(de::Error::missing_field("kind"));
        };
        if first == "kind" {
            let kind: String = map.next_value()?;
            return node_variant(&kind, MapAccessDeserializer::new(map));
        }
        buffered(first, map)
    }
}

/// Read a node whose `kind` is not its first key: buffer it, then pick the variant.
fn buffered<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<NodeInput, A::Error> {
    let mut fields = serde_json::Map::new();
    let value: serde_json::Value = map.next_value()?;
    fields.insert(first, value);
    while let Some(key) = map.next_key::<String>()? {
        let value: serde_json::Value = map.next_value()?;
        fields.insert(key, value);
    }
    let kind = match fields.remove("kind") {
        Some(serde_json::Value::String(kind)) => kind,
        Some(_) => return Err(de::Error::custom("`kind` must be a string")),
        None => return Err(de::Error::missing_field("kind")),
    };
    node_variant(&kind, serde_json::Value::Object(fields)).map_err(de::Error::custom)
}

impl<'de> Deserialize<'de> for NodeInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(NodeVisitor)
    }
}

struct LinesVisitor;

impl<'de> Visitor<'de> for LinesVisitor {
    type Value = Lines;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name: one string, or a list of strings (one per line)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Lines, E> {
        Ok(Lines::One(text.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lines, A::Error> {
        let mut lines = Vec::new();
        while let Some(line) = seq.next_element::<String>()? {
            lines.push(line);
        }
        Ok(Lines::Many(lines))
    }
}

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LinesVisitor)
    }
}

struct RecipientVisitor;

impl<'de> Visitor<'de> for RecipientVisitor {
    type Value = RecipientInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a recipient: a name, or a map with `name` and `purpose`")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<RecipientInput, E> {
        Ok(RecipientInput::Name(text.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RecipientInput, A::Error> {
        RecipientFull::deserialize(MapAccessDeserializer::new(map)).map(RecipientInput::Full)
    }
}

impl<'de> Deserialize<'de> for RecipientInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RecipientVisitor)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::input::DocumentInput;

    fn error_path(yaml: &str) -> String {
        let de = serde_norway::Deserializer::from_str(yaml);
        let result: Result<DocumentInput, _> = serde_path_to_error::deserialize(de);
        let error = result.expect_err("must fail");
        error.path().to_string()
    }

    #[test]
    fn deep_node_errors_keep_their_path() {
        let yaml = "kind: ke_hoach\ntitle: T\nbody:\n  - kind: section\n    title: A\n    children:\n      - {kind: item, text: x, num: [1]}\n";
        assert_eq!(error_path(yaml), "body[0].children[0].num");
    }

    #[test]
    fn unknown_fields_in_nodes_are_errors() {
        let yaml = "kind: ke_hoach\ntitle: T\nbody:\n  - {kind: para, text: x, txet: y}\n";
        assert_eq!(error_path(yaml), "body[0].txet");
    }

    #[test]
    fn kind_need_not_come_first() {
        let yaml = "kind: ke_hoach\ntitle: T\nbody:\n  - {text: x, kind: para}\nrecipients: [A, {name: B, purpose: b/c}]\n";
        let de = serde_norway::Deserializer::from_str(yaml);
        let doc: DocumentInput = serde_path_to_error::deserialize(de).expect("valid");
        assert_eq!(doc.body.len(), 1);
        assert_eq!(doc.recipients.len(), 2);
    }
}

//! The model as the templates see it: a JSON tree of facts, every text already in markup form.
//!
//! Strings here are markup (`**đậm**`, `*nghiêng*`, literal markers escaped) so a template can
//! print them inside a block line unchanged. Paths are field paths for the block origins.
//! Nothing here decides layout; it only exposes facts of the model.

use serde_json::{Value, json};

use crate::diag::FieldPath;
use crate::model::inline::escape;
use crate::model::{Appendix, Document, Inline, Node, NodeContent};

/// The template context: `{"doc": …}`.
pub fn build(doc: &Document) -> Value {
    json!({ "doc": document(doc) })
}

fn document(doc: &Document) -> Value {
    json!({
        "kind": {
            "key": doc.kind.key,
            "name": escape(&doc.kind.name),
            "abbr": doc.kind.abbr.as_deref().map(escape),
            "sentence_name": escape(&doc.kind.sentence_name()),
            "decision_word": doc.kind.decision_word.as_deref().map(escape),
        },
        "union": doc.union,
        "draft": doc.number.seq.is_none(),
        "national": { "name": escape(&doc.national.name), "motto": escape(&doc.national.motto) },
        "issuer": issuer(doc),
        "number": {
            "seq": doc.number.seq_text().unwrap_or_default(),
            "symbol": doc.number.symbol.as_ref().map(|s| escape(&s.to_string())).unwrap_or_default(),
        },
        "place": doc.place.as_ref().map(|p| json!({ "text": escape(&p.value), "path": p.origin.as_str() })),
        "date": doc.date.map(|d| json!({
            "day": crate::text::day_word(d.day()),
            "month": crate::text::month_word(d.month()),
            "year": d.year().to_string(),
        })),
        "title": doc.title.markup(),
        "secrecy": doc.secrecy.map(|s| s.text()),
        "urgency": doc.urgency.map(|u| u.text()),
        "circulation": doc.circulation.as_deref().map(escape),
        "kinh_gui": lines(doc.kinh_gui_lines()),
        "authority": doc.authority.as_deref().map(escape),
        "bases": { "style": bases_style(doc), "items": lines(doc.basis_lines()) },
        "opening": doc.opening.as_ref().map(Inline::markup),
        "body": nodes(&doc.body),
        "closing": nodes(&doc.closing),
        "recipients": doc.recipient_lines().into_iter()
            .map(|(path, text)| json!({ "path": path.as_str(), "text": escape(&text) }))
            .collect::<Vec<_>>(),
        "archive": doc.archive_line().map(|text| escape(&text)),
        "signature": signature(doc),
        "drafter_mark": doc.drafter_mark.as_deref().map(escape),
        "address": doc.address.value.iter().enumerate()
            .map(|(i, line)| json!({ "path": doc.address.origin.index(i).as_str(), "text": escape(line) }))
            .collect::<Vec<_>>(),
        "appendices": doc.appendices.iter().map(appendix).collect::<Vec<_>>(),
    })
}

fn issuer(doc: &Document) -> Value {
    let origin = &doc.issuer.origin;
    let named = |field: &str, list: &[String]| -> Vec<Value> {
        list.iter()
            .map(|line| json!({ "path": origin.field(field).as_str(), "text": escape(line) }))
            .collect()
    };
    json!({
        "path": origin.as_str(),
        "parent": named("parent", &doc.issuer.parent),
        "name": named("name", &doc.issuer.name),
        "full_name": escape(&doc.issuer.name.join(" ")),
        "name_in_text": escape(&doc.issuer.name_in_text),
    })
}

fn bases_style(doc: &Document) -> &'static str {
    match doc.bases.style {
        crate::model::BasesStyle::List => "list",
        crate::model::BasesStyle::Inline => "inline",
        crate::model::BasesStyle::None => "none",
    }
}

fn lines(lines: Vec<(FieldPath, Inline)>) -> Vec<Value> {
    lines
        .into_iter()
        .map(|(path, text)| json!({ "path": path.as_str(), "text": text.markup() }))
        .collect()
}

fn signature(doc: &Document) -> Value {
    let Some(signature) = &doc.signature else {
        return Value::Null;
    };
    let at = &signature.origin;
    let field = |name: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| json!({ "path": at.field(name).as_str(), "text": escape(v) }))
    };
    json!({
        "path": at.as_str(),
        "authority": signature.authority.iter().enumerate()
            .map(|(i, line)| json!({ "path": at.field("authority").index(i).as_str(), "text": escape(line) }))
            .collect::<Vec<_>>(),
        "title": field("title", &signature.title),
        "other_title": field("other_title", &signature.other_title),
        "name": { "path": at.field("name").as_str(), "text": escape(&signature.name) },
        "copy_mark": field("copy_mark", &signature.copy_mark),
    })
}

fn appendix(appendix: &Appendix) -> Value {
    json!({
        "path": appendix.path.as_str(),
        "label": appendix.label.as_deref().map(escape),
        "heading": appendix.heading.as_deref().map(escape),
        "title": appendix.title.as_ref().map(Inline::markup),
        "note": escape(&appendix.note),
        "body": nodes(&appendix.body),
    })
}

fn nodes(nodes: &[Node]) -> Vec<Value> {
    nodes.iter().map(node).collect()
}

fn node(node: &Node) -> Value {
    let (kind, title, text, extra) = node_fields(&node.content);
    json!({
        "type": kind,
        "path": node.path.as_str(),
        "num": node.number.as_ref().map(|n| n.shown.bare()),
        "label": node.number.as_ref().map(|n| n.shown.label()),
        "title": title,
        "text": text,
        "level": extra.0,
        "marker": extra.1,
        "caption": extra.2,
        "children": nodes(&node.children),
    })
}

type Extra = (Option<u8>, Option<&'static str>, Option<String>);

fn node_fields(content: &NodeContent) -> (&'static str, Option<String>, Option<String>, Extra) {
    let none: Extra = (None, None, None);
    match content {
        NodeContent::Part { title } => ("part", Some(title.markup()), None, none),
        NodeContent::Chapter { title } => ("chapter", Some(title.markup()), None, none),
        NodeContent::Division { title } => ("division", Some(title.markup()), None, none),
        NodeContent::Article { title, text } => (
            "article",
            title.as_ref().map(Inline::markup),
            text.as_ref().map(Inline::markup),
            none,
        ),
        NodeContent::Section { title, level } => (
            "section",
            Some(title.markup()),
            None,
            (Some(*level), None, None),
        ),
        NodeContent::Item { text, level } => (
            "item",
            None,
            Some(text.markup()),
            (Some(*level), None, None),
        ),
        NodeContent::Point { text } => ("point", None, Some(text.markup()), none),
        NodeContent::Bullet { marker, text } => (
            "bullet",
            None,
            Some(text.markup()),
            (None, Some(marker.text()), None),
        ),
        NodeContent::Para { text } => ("para", None, Some(text.markup()), none),
        NodeContent::Table(table) => (
            "table",
            None,
            None,
            (None, None, table.caption.as_ref().map(Inline::markup)),
        ),
    }
}

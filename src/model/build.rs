//! Input types (+ profile) → the validated [`Document`].
//!
//! Every string goes through [`Builder::text`]: its size is bounded, non-NFC input is recorded
//! as a finding (before normalising, so the lint can say where), whitespace runs become single
//! spaces, and the result is NFC. Values that cannot be used at all are [`ParseError`]s;
//! values that can be used but break a rule are [`Finding`]s for the lints.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::FieldPath;
use crate::limits::{MAX_NODES, MAX_TEXT_BYTES};
use crate::model::input::{
    AppendixInput, DocumentInput, IssuerInput, Lines, NodeInput, RecipientFull, RecipientInput,
    SecrecyInput, SignatureInput, TableInput, UrgencyInput,
};
use crate::model::kind::{Kind, KindTable, SymbolScheme};
use crate::model::lint::{Finding, Problem};
use crate::model::number::{DateError, IssueDate, Secrecy, Symbol, Urgency};
use crate::model::numbering::{self, Group, Numbered, Numberer, Parent};
use crate::model::parse::{LoadedProfile, ParseError};
use crate::model::{
    Appendix, Archive, Attachment, Bases, BulletMarker, DocNumber, Document, Inline, Issuer, MOTTO,
    NATIONAL_NAME, National, Node, NodeContent, Recipient, Signature, SourceInfo, Sourced,
    TableData,
};
use crate::text;

/// Build the document from its input and profile.
pub fn build(
    input: DocumentInput,
    profile: Option<LoadedProfile>,
    source: &Path,
    kinds: Arc<KindTable>,
) -> Result<Document, ParseError> {
    let mut builder = Builder {
        base: source.parent().unwrap_or(Path::new(".")).to_owned(),
        findings: Vec::new(),
        nodes: 0,
    };
    builder.document(input, profile.as_ref(), source, kinds)
}

struct Builder {
    base: PathBuf,
    findings: Vec<Finding>,
    nodes: usize,
}

fn path(text: &str) -> FieldPath {
    FieldPath::new(text)
}

impl Builder {
    fn document(
        &mut self,
        input: DocumentInput,
        profile: Option<&LoadedProfile>,
        source: &Path,
        kinds: Arc<KindTable>,
    ) -> Result<Document, ParseError> {
        let kind = self.kind(&input.kind, &kinds)?;
        let issuer = self.issuer(input.issuer.as_ref(), profile)?;
        let number = self.number(&input, &kind, &issuer)?;
        let date = self.date(input.date.as_deref())?;
        let mut doc = Document {
            union: input
                .union
                .or(profile.map(|p| p.profile.union))
                .unwrap_or(false),
            national: self.national(&input)?,
            place: self.place(input.place.as_deref(), profile)?,
            title: self.inline(&path("title"), &input.title)?,
            secrecy: input.secrecy.map(secrecy),
            urgency: input.urgency.map(urgency),
            circulation: self.opt_text("circulation", input.circulation.as_deref())?,
            kinh_gui: self.inline_list("kinh_gui", &input.kinh_gui)?,
            authority: self.opt_text("authority", input.authority.as_deref())?,
            bases: Bases {
                style: input.can_cu.style.unwrap_or(kind.bases),
                items: self.inline_list("can_cu.items", &input.can_cu.items)?,
            },
            opening: self.opt_inline("opening", input.opening.as_deref())?,
            body: self.nodes(
                &path("body"),
                &input.body,
                &mut Numberer::default(),
                &Parent::default(),
            )?,
            closing: self.nodes(
                &path("closing"),
                &input.closing,
                &mut Numberer::default(),
                &Parent::default(),
            )?,
            recipients: self.recipients(&input.recipients)?,
            archive: self.archive(&input)?,
            signature: self.signature(input.signature.as_ref(), profile)?,
            drafter_mark: self.opt_text("drafter_mark", input.drafter_mark.as_deref())?,
            address: self.address(&input.address, profile)?,
            appendices: Vec::new(),
            attachments: self.attachments(&input)?,
            source: SourceInfo {
                path: source.to_owned(),
                profile: profile.map(|p| p.name.clone()),
                units: profile.map(|p| p.profile.units.clone()).unwrap_or_default(),
                numbering: profile.map(|p| p.profile.numbering).unwrap_or_default(),
            },
            findings: Vec::new(),
            kinds,
            kind,
            issuer,
            number,
            date,
        };
        doc.appendices = self.appendices(&input.appendices, &doc)?;
        for (index, note) in input.notes.iter().enumerate() {
            self.text(&path("notes").index(index), note)?;
        }
        doc.findings = std::mem::take(&mut self.findings);
        Ok(doc)
    }

    fn finding(&mut self, path: FieldPath, problem: Problem) {
        self.findings.push(Finding { path, problem });
    }

    /// Bound, record non-NFC, collapse whitespace, normalise.
    fn text(&mut self, path: &FieldPath, raw: &str) -> Result<String, ParseError> {
        if raw.len() > MAX_TEXT_BYTES {
            return Err(ParseError::TextTooLong {
                path: path.clone(),
                size: raw.len(),
                limit: MAX_TEXT_BYTES,
            });
        }
        if !text::is_normalized(raw) {
            self.finding(path.clone(), Problem::NotNfc);
        }
        let words: Vec<&str> = raw.split_whitespace().collect();
        Ok(text::nfc(&words.join(" ")))
    }

    fn inline(&mut self, path: &FieldPath, raw: &str) -> Result<Inline, ParseError> {
        Ok(Inline::parse(&self.text(path, raw)?))
    }

    fn opt_text(&mut self, field: &str, raw: Option<&str>) -> Result<Option<String>, ParseError> {
        raw.map(|raw| self.text(&path(field), raw))
            .transpose()
            .map(|t| t.filter(|t| !t.is_empty()))
    }

    fn opt_inline(&mut self, field: &str, raw: Option<&str>) -> Result<Option<Inline>, ParseError> {
        raw.map(|raw| self.inline(&path(field), raw))
            .transpose()
            .map(|t| t.filter(|t| !t.is_empty()))
    }

    fn inline_list(&mut self, field: &str, raw: &[String]) -> Result<Vec<Inline>, ParseError> {
        raw.iter()
            .enumerate()
            .map(|(index, raw)| self.inline(&path(field).index(index), raw))
            .collect()
    }

    fn lines(&mut self, path: &FieldPath, lines: &Lines) -> Result<Vec<String>, ParseError> {
        match lines {
            Lines::One(line) => Ok(vec![self.text(path, line)?]),
            Lines::Many(lines) => lines
                .iter()
                .enumerate()
                .map(|(index, line)| self.text(&path.index(index), line))
                .collect(),
        }
        .map(|lines| lines.into_iter().filter(|l| !l.is_empty()).collect())
    }

    fn kind(&mut self, key: &str, kinds: &KindTable) -> Result<Kind, ParseError> {
        kinds.get(key.trim()).cloned().ok_or_else(|| {
            let known: Vec<&str> = kinds.iter().map(|k| k.key.as_str()).collect();
            ParseError::Invalid {
                path: path("kind"),
                message: format!(
                    "loại văn bản “{key}” không có trong bảng loại (unknown kind); có: {}",
                    known.join(", ")
                ),
            }
        })
    }

    fn national(&mut self, input: &DocumentInput) -> Result<National, ParseError> {
        Ok(National {
            name: self
                .opt_text("national_name", input.national_name.as_deref())?
                .unwrap_or_else(|| NATIONAL_NAME.to_owned()),
            motto: self
                .opt_text("motto", input.motto.as_deref())?
                .unwrap_or_else(|| MOTTO.to_owned()),
        })
    }

    fn issuer(
        &mut self,
        input: Option<&IssuerInput>,
        profile: Option<&LoadedProfile>,
    ) -> Result<Issuer, ParseError> {
        let (issuer, origin) = match (input, profile) {
            (Some(issuer), _) => (issuer, path("issuer")),
            (None, Some(p)) => (
                &p.profile.issuer,
                path(&format!("profiles.{}.issuer", p.name)),
            ),
            (None, None) => {
                return Err(ParseError::Invalid {
                    path: path("issuer"),
                    message:
                        "thiếu cơ quan ban hành: ghi `issuer` hoặc chọn `profile` (missing issuer)"
                            .into(),
                });
            }
        };
        let parent = match &issuer.parent {
            Some(lines) => self.lines(&origin.field("parent"), lines)?,
            None => Vec::new(),
        };
        let name = self.lines(&origin.field("name"), &issuer.name)?;
        if name.is_empty() {
            return Err(ParseError::Invalid {
                path: origin.field("name"),
                message: "tên cơ quan ban hành trống (empty issuer name)".into(),
            });
        }
        let abbr = match &issuer.abbr {
            Some(abbr) => Some(self.text(&origin.field("abbr"), abbr)?).filter(|a| !a.is_empty()),
            None => None,
        };
        let name_in_text = match &issuer.name_in_text {
            Some(text) => self.text(&origin.field("name_in_text"), text)?,
            None => sentence_case(&name.join(" ")),
        };
        let name_in_text_written = issuer.name_in_text.is_some();
        Ok(Issuer {
            parent,
            name,
            abbr,
            name_in_text,
            name_in_text_written,
            origin,
        })
    }

    fn number(
        &mut self,
        input: &DocumentInput,
        kind: &Kind,
        issuer: &Issuer,
    ) -> Result<DocNumber, ParseError> {
        let seq = input.number.seq;
        if seq == Some(0) {
            self.finding(path("number.seq"), Problem::NumberZero);
        }
        let unit = self.opt_text("number.unit", input.number.unit.as_deref())?;
        let written = self.opt_text("number.symbol", input.number.symbol.as_deref())?;
        let symbol = match &written {
            Some(written) => self.written_symbol(written),
            None => derive_symbol(kind, issuer, unit.as_deref()),
        };
        Ok(DocNumber {
            seq: seq.filter(|s| *s > 0),
            symbol,
            symbol_written: written.is_some(),
            unit,
        })
    }

    fn written_symbol(&mut self, written: &str) -> Option<Symbol> {
        match Symbol::parse(written) {
            Ok(symbol) => {
                if !symbol.is_canonical_form(written) {
                    let problem = Problem::SymbolSpacing {
                        written: written.to_owned(),
                        canonical: symbol.to_string(),
                    };
                    self.finding(path("number.symbol"), problem);
                }
                Some(symbol)
            }
            Err(error) => {
                let problem = Problem::SymbolMalformed {
                    written: written.to_owned(),
                    reason: error.to_string(),
                };
                self.finding(path("number.symbol"), problem);
                None
            }
        }
    }

    fn date(&mut self, raw: Option<&str>) -> Result<Option<IssueDate>, ParseError> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let written = self.text(&path("date"), raw)?;
        match IssueDate::parse(&written) {
            Ok(date) => Ok(Some(date)),
            Err(DateError::Malformed) => {
                self.finding(path("date"), Problem::DateMalformed { written });
                Ok(None)
            }
            Err(DateError::Impossible) => {
                self.finding(path("date"), Problem::DateImpossible { written });
                Ok(None)
            }
        }
    }

    fn place(
        &mut self,
        raw: Option<&str>,
        profile: Option<&LoadedProfile>,
    ) -> Result<Option<Sourced<String>>, ParseError> {
        if let Some(value) = self.opt_text("place", raw)? {
            return Ok(Some(Sourced {
                value,
                origin: path("place"),
            }));
        }
        let Some(p) = profile else { return Ok(None) };
        let origin = path(&format!("profiles.{}.place", p.name));
        let Some(raw) = &p.profile.place else {
            return Ok(None);
        };
        let value = self.text(&origin, raw)?;
        Ok((!value.is_empty()).then_some(Sourced { value, origin }))
    }

    fn address(
        &mut self,
        raw: &[String],
        profile: Option<&LoadedProfile>,
    ) -> Result<Sourced<Vec<String>>, ParseError> {
        let (lines, origin) = match profile {
            Some(p) if raw.is_empty() => (
                &p.profile.address,
                path(&format!("profiles.{}.address", p.name)),
            ),
            _ => (&raw.to_vec(), path("address")),
        };
        let value = lines
            .iter()
            .enumerate()
            .map(|(index, line)| self.text(&origin.index(index), line))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Sourced { value, origin })
    }

    fn recipients(&mut self, raw: &[RecipientInput]) -> Result<Vec<Recipient>, ParseError> {
        let mut out = Vec::new();
        for (index, recipient) in raw.iter().enumerate() {
            let at = path("recipients").index(index);
            let (name, purpose) = match recipient {
                RecipientInput::Name(name) => (self.text(&at, name)?, None),
                RecipientInput::Full(RecipientFull { name, purpose }) => {
                    let purpose = match purpose {
                        Some(p) => Some(self.text(&at.field("purpose"), p)?),
                        None => None,
                    };
                    (self.text(&at.field("name"), name)?, purpose)
                }
            };
            let name = name
                .trim_start_matches(['-', ' '])
                .trim_end_matches([';', '.', ' ']);
            let purpose = purpose
                .map(|p| {
                    p.trim_start_matches('(')
                        .trim_end_matches(')')
                        .trim()
                        .to_owned()
                })
                .filter(|p| !p.is_empty());
            out.push(Recipient {
                name: name.to_owned(),
                purpose,
            });
        }
        Ok(out)
    }

    fn archive(&mut self, input: &DocumentInput) -> Result<Option<Archive>, ParseError> {
        let Some(archive) = &input.archive else {
            return Ok(None);
        };
        let units = archive
            .units
            .iter()
            .enumerate()
            .map(|(index, unit)| self.text(&path("archive.units").index(index), unit))
            .collect::<Result<Vec<_>, _>>()?;
        let units = units.into_iter().filter(|u| !u.is_empty()).collect();
        Ok(Some(Archive {
            units,
            copies: archive.copies,
        }))
    }

    fn signature(
        &mut self,
        input: Option<&SignatureInput>,
        profile: Option<&LoadedProfile>,
    ) -> Result<Option<Signature>, ParseError> {
        let (signature, origin, base) = match (input, profile) {
            (Some(signature), _) => (signature, path("signature"), self.base.clone()),
            (None, Some(p)) if !p.profile.signers.is_empty() => (
                &p.profile.signers[0],
                path(&format!("profiles.{}.signers[0]", p.name)),
                p.file.parent().unwrap_or(Path::new(".")).to_owned(),
            ),
            _ => return Ok(None),
        };
        let authority = match &signature.authority {
            Some(lines) => self.lines(&origin.field("authority"), lines)?,
            None => Vec::new(),
        };
        let field = |b: &mut Self,
                     name: &str,
                     raw: &Option<String>|
         -> Result<Option<String>, ParseError> {
            match raw {
                Some(raw) => Ok(Some(b.text(&origin.field(name), raw)?).filter(|t| !t.is_empty())),
                None => Ok(None),
            }
        };
        let profile_seal = profile.and_then(|p| {
            let dir = p.file.parent().unwrap_or(Path::new("."));
            p.profile.seal.as_ref().map(|seal| dir.join(seal))
        });
        Ok(Some(Signature {
            title: field(self, "title", &signature.title)?,
            other_title: field(self, "other_title", &signature.other_title)?,
            name: self.text(&origin.field("name"), &signature.name)?,
            image: field(self, "image", &signature.image)?.map(|f| base.join(f)),
            seal: field(self, "seal", &signature.seal)?
                .map(|f| base.join(f))
                .or(profile_seal),
            copy_mark: field(self, "copy_mark", &signature.copy_mark)?,
            authority,
            origin,
        }))
    }

    fn attachments(&mut self, input: &DocumentInput) -> Result<Vec<Attachment>, ParseError> {
        let mut out = Vec::new();
        for (index, attachment) in input.attachments.iter().enumerate() {
            let at = path("attachments").index(index);
            let title = self.text(&at.field("title"), &attachment.title)?;
            let file = match &attachment.file {
                Some(file) => {
                    let file = self.text(&at.field("file"), file)?;
                    Some(self.base.join(file))
                }
                None => None,
            };
            out.push(Attachment { title, file });
        }
        Ok(out)
    }

    fn appendices(
        &mut self,
        raw: &[AppendixInput],
        doc: &Document,
    ) -> Result<Vec<Appendix>, ParseError> {
        let numbered = raw.iter().filter(|a| a.numbered).count();
        let mut position = 0u32;
        let mut out = Vec::new();
        for (index, appendix) in raw.iter().enumerate() {
            let at = path("appendices").index(index);
            if appendix.numbered {
                position += 1;
            }
            let label = match &appendix.label {
                Some(label) => {
                    Some(self.text(&at.field("label"), label)?).filter(|l| !l.is_empty())
                }
                None if !appendix.numbered => None,
                None if numbered == 1 => Some("Phụ lục".to_owned()),
                None => Some(format!("Phụ lục {}", text::roman(position))),
            };
            let note_written = appendix.attached_note.is_some();
            let note = match &appendix.attached_note {
                Some(note) => self.text(&at.field("attached_note"), note)?,
                None => attached_note(doc),
            };
            out.push(Appendix {
                heading: match &appendix.heading {
                    Some(h) => Some(self.text(&at.field("heading"), h)?).filter(|h| !h.is_empty()),
                    None => None,
                },
                title: match &appendix.title {
                    Some(t) => Some(self.inline(&at.field("title"), t)?).filter(|t| !t.is_empty()),
                    None => None,
                },
                body: self.nodes(
                    &at.field("body"),
                    &appendix.body,
                    &mut Numberer::default(),
                    &Parent::default(),
                )?,
                path: at,
                label,
                note,
                note_written,
            });
        }
        Ok(out)
    }

    fn nodes(
        &mut self,
        at: &FieldPath,
        raw: &[NodeInput],
        numberer: &mut Numberer,
        parent: &Parent,
    ) -> Result<Vec<Node>, ParseError> {
        let mut group = Group::default();
        raw.iter()
            .enumerate()
            .map(|(index, node)| self.node(&at.index(index), node, numberer, &mut group, parent))
            .collect()
    }

    fn count_node(&mut self, at: &FieldPath, units: usize) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(units);
        if self.nodes > MAX_NODES {
            return Err(ParseError::TooManyNodes {
                path: at.clone(),
                limit: MAX_NODES,
            });
        }
        Ok(())
    }

    fn node(
        &mut self,
        at: &FieldPath,
        raw: &NodeInput,
        numberer: &mut Numberer,
        group: &mut Group,
        parent: &Parent,
    ) -> Result<Node, ParseError> {
        self.count_node(at, 1)?;
        let Facts {
            numbered,
            literal,
            level,
            children,
        } = numbering_facts(raw);
        let number = match numbered {
            Some(kind) => {
                let assigned = numberer.assign(group, kind, literal, level, parent);
                if assigned.malformed {
                    let written = literal.unwrap_or_default().to_owned();
                    self.finding(at.field("num"), Problem::SectionNumberMalformed { written });
                }
                Some(assigned.number)
            }
            None => None,
        };
        let child_parent = child_parent(raw, number.as_ref().map(|n| &n.shown), parent);
        let mut content = self.content(at, raw)?;
        if let (
            NodeContent::Section { level: l, .. } | NodeContent::Item { level: l, .. },
            Some(n),
        ) = (&mut content, &number)
        {
            *l = numbering::level_of(&n.shown, parent);
            if let Some(given) = level.filter(|given| given != l) {
                let problem = Problem::LevelMismatch { given, actual: *l };
                self.finding(at.field("level"), problem);
            }
        }
        let children = match children {
            Some(children) => {
                self.nodes(&at.field("children"), children, numberer, &child_parent)?
            }
            None => Vec::new(),
        };
        Ok(Node {
            path: at.clone(),
            number,
            content,
            children,
        })
    }

    fn content(&mut self, at: &FieldPath, raw: &NodeInput) -> Result<NodeContent, ParseError> {
        let title = |b: &mut Self, t: &str| b.inline(&at.field("title"), t);
        Ok(match raw {
            NodeInput::Part { title: t, .. } => NodeContent::Part {
                title: title(self, t)?,
            },
            NodeInput::Chapter { title: t, .. } => NodeContent::Chapter {
                title: title(self, t)?,
            },
            NodeInput::Division { title: t, .. } => NodeContent::Division {
                title: title(self, t)?,
            },
            NodeInput::Section { title: t, .. } => NodeContent::Section {
                title: title(self, t)?,
                level: 1,
            },
            NodeInput::Article { title: t, text, .. } => NodeContent::Article {
                title: t
                    .as_deref()
                    .map(|t| title(self, t))
                    .transpose()?
                    .filter(|t| !t.is_empty()),
                text: text
                    .as_deref()
                    .map(|t| self.inline(&at.field("text"), t))
                    .transpose()?,
            },
            NodeInput::Item { text, .. } => NodeContent::Item {
                text: self.inline(&at.field("text"), text)?,
                level: 1,
            },
            NodeInput::Point { text, .. } => NodeContent::Point {
                text: self.inline(&at.field("text"), text)?,
            },
            NodeInput::Bullet { marker, text, .. } => NodeContent::Bullet {
                marker: self.marker(at, marker),
                text: self.inline(&at.field("text"), text)?,
            },
            NodeInput::Para { text } => NodeContent::Para {
                text: self.inline(&at.field("text"), text)?,
            },
            NodeInput::Table(table) => NodeContent::Table(self.table(at, table)?),
        })
    }

    fn marker(&mut self, at: &FieldPath, raw: &str) -> BulletMarker {
        match raw.trim() {
            "-" | "–" => BulletMarker::Dash,
            "+" => BulletMarker::Plus,
            other => {
                let problem = Problem::BulletMarker {
                    written: other.to_owned(),
                };
                self.finding(at.field("marker"), problem);
                BulletMarker::Dash
            }
        }
    }

    fn table(&mut self, at: &FieldPath, raw: &TableInput) -> Result<TableData, ParseError> {
        self.count_node(at, raw.rows.len() + raw.header.len())?;
        let rows_of = |b: &mut Self, field: &str, rows: &[Vec<String>]| {
            rows.iter()
                .enumerate()
                .map(|(r, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(c, cell)| b.inline(&at.field(field).index(r).index(c), cell))
                        .collect::<Result<Vec<_>, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let mut header = rows_of(self, "header", &raw.header)?;
        let mut rows = rows_of(self, "rows", &raw.rows)?;
        let columns = header
            .iter()
            .chain(&rows)
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(raw.widths.len())
            .max(1);
        self.pad_rows(at, "header", &mut header, columns);
        self.pad_rows(at, "rows", &mut rows, columns);
        let caption = match &raw.caption {
            Some(c) => Some(self.inline(&at.field("caption"), c)?).filter(|c| !c.is_empty()),
            None => None,
        };
        Ok(TableData {
            caption,
            widths: self.widths(at, &raw.widths, columns),
            header,
            rows,
        })
    }

    fn pad_rows(&mut self, at: &FieldPath, field: &str, rows: &mut [Vec<Inline>], columns: usize) {
        for (index, row) in rows.iter_mut().enumerate() {
            if row.len() < columns {
                let problem = Problem::TableShape {
                    cells: row.len(),
                    columns,
                };
                self.finding(at.field(field).index(index), problem);
                row.resize(columns, Inline::default());
            }
        }
    }

    fn widths(&mut self, at: &FieldPath, raw: &[f32], columns: usize) -> Vec<f32> {
        let usable = raw.len() == columns && raw.iter().all(|w| w.is_finite() && *w > 0.0);
        if !raw.is_empty() && !usable {
            let problem = Problem::TableWidths {
                given: raw.len(),
                columns,
            };
            self.finding(at.field("widths"), problem);
        }
        let weights: Vec<f32> = if usable {
            raw.to_vec()
        } else {
            vec![1.0; columns]
        };
        let total: f32 = weights.iter().sum();
        weights.iter().map(|w| w / total).collect()
    }
}

/// What numbering needs to know about a node.
struct Facts<'a> {
    numbered: Option<Numbered>,
    literal: Option<&'a str>,
    level: Option<u8>,
    children: Option<&'a [NodeInput]>,
}

/// The numbering kind, literal, given level and children of a node.
fn numbering_facts(raw: &NodeInput) -> Facts<'_> {
    match raw {
        NodeInput::Part { num, children, .. } => facts(Numbered::Part, num, None, children),
        NodeInput::Chapter { num, children, .. } => facts(Numbered::Chapter, num, None, children),
        NodeInput::Division { num, children, .. } => facts(Numbered::Division, num, None, children),
        NodeInput::Article { num, children, .. } => facts(Numbered::Article, num, None, children),
        NodeInput::Section {
            num,
            level,
            children,
            ..
        } => facts(Numbered::Section, num, *level, children),
        NodeInput::Item {
            num,
            level,
            children,
            ..
        } => facts(Numbered::Item, num, *level, children),
        NodeInput::Point { num, children, .. } => facts(Numbered::Point, num, None, children),
        NodeInput::Bullet { children, .. } => Facts {
            numbered: None,
            literal: None,
            level: None,
            children: Some(children),
        },
        NodeInput::Para { .. } | NodeInput::Table(_) => Facts {
            numbered: None,
            literal: None,
            level: None,
            children: None,
        },
    }
}

fn facts<'a>(
    numbered: Numbered,
    literal: &'a Option<String>,
    level: Option<u8>,
    children: &'a [NodeInput],
) -> Facts<'a> {
    Facts {
        numbered: Some(numbered),
        literal: literal.as_deref(),
        level,
        children: Some(children),
    }
}

/// What the children of a node know about it.
fn child_parent(
    raw: &NodeInput,
    shown: Option<&crate::model::SectionNumber>,
    parent: &Parent,
) -> Parent {
    use crate::model::SectionNumber;
    match raw {
        NodeInput::Section { .. } | NodeInput::Item { .. } => Parent {
            arabic: match shown {
                Some(SectionNumber::Arabic(parts)) => Some(parts.clone()),
                _ => None,
            },
            numbered_ancestor: true,
            roman_ancestor: parent.roman_ancestor || shown.is_some_and(SectionNumber::is_roman),
        },
        NodeInput::Article { .. } => Parent {
            arabic: None,
            numbered_ancestor: true,
            roman_ancestor: false,
        },
        NodeInput::Bullet { .. } | NodeInput::Point { .. } => parent.clone(),
        _ => Parent::default(),
    }
}

fn derive_symbol(kind: &Kind, issuer: &Issuer, unit: Option<&str>) -> Option<Symbol> {
    let issuer_abbr = issuer.abbr.as_deref()?;
    let groups = match kind.symbol {
        SymbolScheme::TypeIssuer => [kind.abbr.as_deref()?, issuer_abbr],
        SymbolScheme::IssuerUnit => [issuer_abbr, unit?],
    };
    Symbol::from_groups(&groups).ok()
}

/// "(Kèm theo Kế hoạch số 36/KH-CĐN ngày 20 tháng 3 năm 2020 của Công đoàn ngành Y tế)"; on a
/// draft the number and date are dotted out for the văn thư.
fn attached_note(doc: &Document) -> String {
    let symbol = doc
        .number
        .symbol
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let number = match doc.number.seq_text() {
        Some(seq) => format!("{seq}/{symbol}"),
        None => format!("…/{symbol}"),
    };
    let date = match doc.date {
        Some(date) => date.words(),
        None => "ngày … tháng … năm …".to_owned(),
    };
    format!(
        "(Kèm theo {} số {number} {date} của {})",
        doc.kind.sentence_name(),
        doc.issuer.name_in_text
    )
}

/// The issuer's upper-case name as running text, by rule of thumb (the lints suggest writing
/// `name_in_text`): sentence case, except abbreviations (words without a vowel: "LĐLĐ"),
/// "Lao động" after "Liên đoàn", "Việt Nam", place names after an administrative unit word
/// (tỉnh, huyện, thành phố …) and the first word after "ngành".
/// "LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH" → "Liên đoàn Lao động tỉnh Bình Định".
fn sentence_case(name: &str) -> String {
    const UNITS: &[&str] = &[
        "tỉnh",
        "huyện",
        "quận",
        "xã",
        "phường",
        "thị",
        "phố",
        "trấn",
    ];
    let lower = text::nfc(&name.to_lowercase());
    let words: Vec<&str> = lower.split_whitespace().collect();
    let upper_words: Vec<&str> = name.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut proper = false;
    for (index, word) in words.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| words[i]);
        let keep_upper = !upper_words
            .get(index)
            .is_some_and(|w| w.chars().any(is_vowel));
        let capital = index == 0
            || proper
            || matches!(previous, Some("ngành"))
            || (*word == "lao" && previous == Some("đoàn"))
            || (*word == "việt" || (*word == "nam" && previous == Some("việt")));
        out.push(match (keep_upper, capital) {
            (true, _) => upper_words[index].to_owned(),
            (false, true) => capitalise(word),
            (false, false) => (*word).to_owned(),
        });
        if UNITS.contains(word) && !matches!(*word, "thị" if words.get(index + 1) == Some(&"xã"))
        {
            proper = true;
        }
    }
    text::nfc(&out.join(" "))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn is_vowel(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let base = c.to_string().nfd().next().unwrap_or(c).to_ascii_lowercase();
    matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn secrecy(input: SecrecyInput) -> Secrecy {
    match input {
        SecrecyInput::Mat => Secrecy::Mat,
        SecrecyInput::ToiMat => Secrecy::ToiMat,
        SecrecyInput::TuyetMat => Secrecy::TuyetMat,
    }
}

fn urgency(input: UrgencyInput) -> Urgency {
    match input {
        UrgencyInput::Khan => Urgency::Khan,
        UrgencyInput::ThuongKhan => Urgency::ThuongKhan,
        UrgencyInput::HoaToc => Urgency::HoaToc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_case_keeps_abbreviations() {
        assert_eq!(
            sentence_case("CÔNG ĐOÀN NGÀNH Y TẾ"),
            "Công đoàn ngành Y tế"
        );
        assert_eq!(sentence_case("LĐLĐ TỈNH LAI CHÂU"), "LĐLĐ tỉnh Lai Châu");
        assert_eq!(
            sentence_case("LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH"),
            "Liên đoàn Lao động tỉnh Bình Định"
        );
        assert_eq!(
            sentence_case("CÔNG ĐOÀN ĐƯỜNG SẮT VIỆT NAM"),
            "Công đoàn đường sắt Việt Nam"
        );
    }
}

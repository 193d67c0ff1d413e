//! The `newsmark.annotations` version 1 JSON format (`../shared/eval/README.md`): export,
//! and an import that checks everything and names the item that is wrong.
//!
//! Offsets in the file are Unicode code points; every span carries its `text` so an import
//! can verify it against the document. The JSON Schema is `schema/newsmark.annotations.v1.json`.

use crate::core::model::annotation::{
    AnnotationSet, Attribution, AttributionId, Boilerplate, Curation, Document, Entity, EntityId, Kind,
    Origin, RegionId, Source, Status, MAX_KEPT_ID,
};
use crate::core::model::label::{is_hex_colour, Label, LabelDef, LabelSchema};
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::{Extent, Span};
use crate::core::model::limits::Limit;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt;

pub const FORMAT: &str = "newsmark.annotations";
pub const VERSION: u64 = 1;

/// Why a file could not be imported. Each variant names the item (`entity e3`,
/// `attribution a2 content`, …) so the user can find it in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    Empty,
    NotJson { line: usize, column: usize, message: String },
    NotAnObject,
    WrongFormat { found: String },
    WrongVersion { found: String },
    Missing { item: String, field: &'static str },
    WrongType { item: String, field: &'static str, expected: &'static str },
    OutOfRange { item: String, start: u64, end: u64, len: usize },
    Reversed { item: String, start: u64, end: u64 },
    TextMismatch { item: String, expected: String, found: String },
    UnknownLabel { item: String, label: String },
    BadValue { item: String, field: &'static str, value: String },
    DuplicateId { id: String },
    DanglingEntity { item: String, id: String },
    BadFragments { item: String, reason: String },
    BadSchema { reason: String },
    /// The file or its article is over a size limit (nothing was loaded).
    TooLarge(crate::core::model::limits::LimitError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ImportError::*;
        match self {
            Empty => write!(f, "the file is empty: choose a newsmark annotations .json file"),
            NotJson { line, column, message } => {
                write!(f, "not valid JSON at line {line}, column {column}: {message}")
            }
            NotAnObject => write!(f, "the file holds JSON but not an object: expected a newsmark annotations file"),
            WrongFormat { found } => write!(
                f,
                "wrong format {found}: expected \"format\": \"{FORMAT}\" (is this a newsmark annotations file?)"
            ),
            WrongVersion { found } => write!(f, "unsupported version {found}: this newsmark reads version {VERSION}"),
            Missing { item, field } => write!(f, "{item}: missing field \"{field}\""),
            WrongType { item, field, expected } => write!(f, "{item}: \"{field}\" must be {expected}"),
            OutOfRange { item, start, end, len } => write!(
                f,
                "{item}: offsets {start}..{end} are outside the text ({len} characters)"
            ),
            Reversed { item, start, end } => write!(f, "{item}: offsets {start}..{end} are reversed"),
            TextMismatch { item, expected, found } => write!(
                f,
                "{item}: \"text\" is {found:?} but the document has {expected:?} at those offsets"
            ),
            UnknownLabel { item, label } => write!(f, "{item}: unknown label {label:?} (not in the schema)"),
            BadValue { item, field, value } => write!(f, "{item}: \"{field}\" has an unknown value {value}"),
            DuplicateId { id } => write!(f, "id {id:?} is used twice"),
            DanglingEntity { item, id } => write!(f, "{item}: refers to entity {id:?}, which is not in the file"),
            BadFragments { item, reason } => write!(f, "{item}: bad fragments: {reason}"),
            BadSchema { reason } => write!(f, "schema: {reason}"),
            TooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ImportError {}

// ---------------------------------------------------------------- export

fn span_json(text: &str, map: &OffsetMap, s: Span) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("start".into(), json!(map.byte_to_char(s.start).unwrap_or(0)));
    m.insert("end".into(), json!(map.byte_to_char(s.end).unwrap_or(0)));
    m.insert("text".into(), json!(s.slice(text).unwrap_or("")));
    m
}

fn extent_json(text: &str, map: &OffsetMap, e: &Extent) -> Value {
    let mut m = span_json(text, map, e.hull());
    if e.is_discontinuous() {
        let frags: Vec<Value> = e.fragments().iter().map(|f| Value::Object(span_json(text, map, *f))).collect();
        m.insert("fragments".into(), Value::Array(frags));
    }
    Value::Object(m)
}

/// Confidence rounded so exports are stable and readable.
fn conf(c: f32) -> Value {
    json!((c as f64 * 1000.0).round() / 1000.0)
}

/// The file as a JSON value (for callers that embed it, e.g. project bundles).
pub fn export_value(set: &AnnotationSet) -> Value {
    let text: &str = &set.document.text;
    let map = OffsetMap::new(text);
    let entities: Vec<Value> = set
        .entities_in_order()
        .into_iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert("id".into(), json!(e.id.to_string()));
            m.insert("label".into(), json!(e.label.as_str()));
            m.extend(span_json(text, &map, e.span));
            m.insert("origin".into(), json!(e.origin.as_str()));
            m.insert("status".into(), json!(e.status.as_str()));
            m.insert("confidence".into(), conf(e.confidence));
            if let Some(c) = &e.canonical {
                m.insert("canonical".into(), json!(c));
            }
            if let Some(g) = e.group {
                m.insert("group".into(), json!(g));
            }
            Value::Object(m)
        })
        .collect();
    let attributions: Vec<Value> = set
        .attributions
        .iter()
        .map(|a| {
            let source = a.source.as_ref().map(|s| {
                let mut m = span_json(text, &map, s.span);
                if let Some(e) = s.entity {
                    m.insert("entity".into(), json!(e.to_string()));
                }
                if let Some(t) = &s.entity_text {
                    m.insert("entity_text".into(), json!(t));
                }
                Value::Object(m)
            });
            json!({
                "id": a.id.to_string(),
                "kind": a.kind.as_str(),
                "source": source,
                "cue": a.cue.map(|c| Value::Object(span_json(text, &map, c))),
                "content": extent_json(text, &map, &a.content),
                "origin": a.origin.as_str(),
                "status": a.status.as_str(),
                "confidence": conf(a.confidence),
            })
        })
        .collect();
    let boilerplate: Vec<Value> = set
        .boilerplate
        .iter()
        .map(|b| {
            let mut m = Map::new();
            m.insert("id".into(), json!(b.id.to_string()));
            m.extend(span_json(text, &map, b.span));
            m.insert("origin".into(), json!(b.origin.as_str()));
            Value::Object(m)
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("id".into(), json!(set.document.id));
    if let Some(t) = &set.document.title {
        doc.insert("title".into(), json!(t));
    }
    doc.insert("text".into(), json!(text));
    let mut file = json!({
        "format": FORMAT,
        "version": VERSION,
        "document": doc,
        "schema": {"labels": set.schema.labels.iter().map(|d| json!({
            "name": d.label.as_str(), "colour": d.colour, "key": d.key.map(String::from),
        })).collect::<Vec<_>>()},
        "entities": entities,
        "attributions": attributions,
        "boilerplate": boilerplate,
    });
    if let Some(c) = &set.curation {
        file["curation"] = json!({"annotators": c.annotators, "undecided": c.undecided});
    }
    file
}

/// The file's text, pretty-printed (diffable, and what `newsmark extract` writes).
pub fn export(set: &AnnotationSet) -> String {
    let mut s = serde_json::to_string_pretty(&export_value(set)).expect("a JSON value always serialises");
    s.push('\n');
    s
}

// ---------------------------------------------------------------- import

struct Reader<'a> {
    text: &'a str,
    map: OffsetMap,
}

fn field<'v>(obj: &'v Map<String, Value>, item: &str, name: &'static str) -> Result<&'v Value, ImportError> {
    obj.get(name).ok_or_else(|| ImportError::Missing { item: item.to_string(), field: name })
}

fn as_obj<'v>(v: &'v Value, item: &str, name: &'static str) -> Result<&'v Map<String, Value>, ImportError> {
    v.as_object()
        .ok_or_else(|| ImportError::WrongType { item: item.to_string(), field: name, expected: "an object" })
}

fn as_str<'v>(v: &'v Value, item: &str, name: &'static str) -> Result<&'v str, ImportError> {
    v.as_str().ok_or_else(|| ImportError::WrongType { item: item.to_string(), field: name, expected: "a string" })
}

fn opt_str<'v>(obj: &'v Map<String, Value>, item: &str, name: &'static str) -> Result<Option<&'v str>, ImportError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => as_str(v, item, name).map(Some),
    }
}

fn as_array<'v>(obj: &'v Map<String, Value>, item: &str, name: &'static str) -> Result<&'v [Value], ImportError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(ImportError::WrongType { item: item.to_string(), field: name, expected: "an array" }),
    }
}

fn offset(obj: &Map<String, Value>, item: &str, name: &'static str) -> Result<u64, ImportError> {
    field(obj, item, name)?.as_u64().ok_or_else(|| ImportError::WrongType {
        item: item.to_string(),
        field: name,
        expected: "a non-negative integer (a code point offset)",
    })
}

fn enum_field<T>(
    obj: &Map<String, Value>,
    item: &str,
    name: &'static str,
    default: Option<T>,
    parse: fn(&str) -> Option<T>,
) -> Result<T, ImportError> {
    match (obj.get(name), default) {
        (None | Some(Value::Null), Some(d)) => Ok(d),
        (None | Some(Value::Null), None) => Err(ImportError::Missing { item: item.into(), field: name }),
        (Some(v), _) => {
            let s = as_str(v, item, name)?;
            parse(s).ok_or_else(|| ImportError::BadValue { item: item.into(), field: name, value: format!("{s:?}") })
        }
    }
}

fn parse_status(s: &str) -> Option<Status> {
    match s {
        "suggested" => Some(Status::Suggested),
        "accepted" => Some(Status::Accepted),
        "rejected" => Some(Status::Rejected),
        _ => None,
    }
}

fn parse_kind(s: &str) -> Option<Kind> {
    match s {
        "direct" => Some(Kind::Direct),
        "indirect" => Some(Kind::Indirect),
        "mixed" => Some(Kind::Mixed),
        _ => None,
    }
}

fn confidence(obj: &Map<String, Value>, item: &str, default: f32) -> Result<f32, ImportError> {
    match obj.get("confidence") {
        None | Some(Value::Null) => Ok(default),
        Some(v) => match v.as_f64() {
            Some(c) if (0.0..=1.0).contains(&c) => Ok(c as f32),
            _ => Err(ImportError::WrongType { item: item.into(), field: "confidence", expected: "a number from 0 to 1" }),
        },
    }
}

impl Reader<'_> {
    /// A span object's `start`/`end` (code points) checked and converted to bytes; its
    /// `text`, when present, must equal the slice.
    fn span(&self, obj: &Map<String, Value>, item: &str, check_text: bool) -> Result<Span, ImportError> {
        let (start, end) = (offset(obj, item, "start")?, offset(obj, item, "end")?);
        if start > end {
            return Err(ImportError::Reversed { item: item.into(), start, end });
        }
        let len = self.map.char_len();
        let out = || ImportError::OutOfRange { item: item.into(), start, end, len };
        let b0 = usize::try_from(start).ok().and_then(|s| self.map.char_to_byte(s)).ok_or_else(out)?;
        let b1 = usize::try_from(end).ok().and_then(|e| self.map.char_to_byte(e)).ok_or_else(out)?;
        let span = Span::new(b0, b1);
        if check_text {
            if let Some(t) = opt_str(obj, item, "text")? {
                let expected = &self.text[b0..b1];
                if t != expected {
                    return Err(ImportError::TextMismatch {
                        item: item.into(),
                        expected: expected.to_string(),
                        found: t.to_string(),
                    });
                }
            }
        }
        Ok(span)
    }

    fn extent(&self, obj: &Map<String, Value>, item: &str) -> Result<Extent, ImportError> {
        let frags = as_array(obj, item, "fragments")?;
        if frags.is_empty() {
            let s = self.span(obj, item, true)?;
            return Ok(Extent::single(s));
        }
        let hull = self.span(obj, item, false)?;
        let mut spans = Vec::with_capacity(frags.len());
        for (i, f) in frags.iter().enumerate() {
            let fitem = format!("{item} fragment {}", i + 1);
            let s = self.span(as_obj(f, &fitem, "fragments")?, &fitem, true)?;
            if !hull.contains(&s) {
                return Err(ImportError::BadFragments { item: item.into(), reason: format!("fragment {} lies outside start..end", i + 1) });
            }
            spans.push(s);
        }
        let e = Extent::from_fragments(spans)
            .map_err(|e| ImportError::BadFragments { item: item.into(), reason: e.to_string() })?;
        if e.hull() != hull {
            return Err(ImportError::BadFragments {
                item: item.into(),
                reason: "start..end must run from the first fragment's start to the last one's end".into(),
            });
        }
        Ok(e)
    }
}

/// Internal id number for a file id: ours look like `e12`; others (and numbers beyond
/// [`MAX_KEPT_ID`]) get fresh numbers.
fn id_number(id: &str, prefix: char) -> Option<u32> {
    id.strip_prefix(prefix).and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=MAX_KEPT_ID).contains(n))
}

fn parse_schema(v: &Value) -> Result<LabelSchema, ImportError> {
    let bad = |reason: String| ImportError::BadSchema { reason };
    let labels = v.get("labels").and_then(Value::as_array).ok_or_else(|| bad("\"labels\" must be an array".into()))?;
    let mut out = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let name = l.get("name").and_then(Value::as_str).ok_or_else(|| bad(format!("label {} has no name", i + 1)))?;
        let label = Label::parse(name).map_err(|e| bad(e.to_string()))?;
        let colour = match l.get("colour") {
            None | Some(Value::Null) => "#dddddd".to_string(),
            Some(Value::String(c)) if is_hex_colour(c) => c.clone(),
            Some(c) => return Err(bad(format!("label {name}: colour {c} is not a hex colour like \"#a0c4ff\""))),
        };
        let key = match l.get("key") {
            None | Some(Value::Null) => None,
            Some(Value::String(k)) if k.chars().count() == 1 => k.chars().next(),
            Some(_) => return Err(bad(format!("label {name}: \"key\" must be one character"))),
        };
        out.push(LabelDef { label, colour, key });
    }
    let schema = LabelSchema { labels: out };
    // Reuse the editor's own checks for duplicate names and keys.
    let probe = AnnotationSet::new(Document::new("", None, ""));
    probe
        .apply(&crate::core::model::annotation::Edit::SetSchema { schema: schema.clone() })
        .map_err(|e| bad(e.to_string()))?;
    Ok(schema)
}

fn parse_root(input: &str) -> Result<Map<String, Value>, ImportError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    Limit::FileBytes.check(input.len()).map_err(ImportError::TooLarge)?;
    if input.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let root: Value = serde_json::from_str(input).map_err(|e| ImportError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or("").to_string(),
    })?;
    let Value::Object(root) = root else {
        return Err(ImportError::NotAnObject);
    };
    check_header(&root)?;
    Ok(root)
}

/// Only the document of an annotations file (gold files as extraction input: their
/// annotations may use labels outside our schema, and are not needed).
pub fn read_document(input: &str) -> Result<Document, ImportError> {
    document_of(&parse_root(input)?)
}

fn document_of(root: &Map<String, Value>) -> Result<Document, ImportError> {
    let doc = as_obj(field(root, "file", "document")?, "file", "document")?;
    let text = as_str(field(doc, "document", "text")?, "document", "text")?;
    Limit::ArticleBytes.check(text.len()).map_err(ImportError::TooLarge)?;
    let id = opt_str(doc, "document", "id")?.unwrap_or("document").to_string();
    let title = opt_str(doc, "document", "title")?.map(str::to_string);
    Ok(Document::new(id, title, text))
}

fn check_header(root: &Map<String, Value>) -> Result<(), ImportError> {
    match root.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        other => return Err(ImportError::WrongFormat { found: other.map_or("(none)".into(), |v| v.to_string()) }),
    }
    match root.get("version") {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        other => return Err(ImportError::WrongVersion { found: other.map_or("(none)".into(), |v| v.to_string()) }),
    }
    Ok(())
}

/// The set-level mark of a curated version: `{"annotators": [names], "undecided": n}`.
fn parse_curation(v: &Value) -> Result<Curation, ImportError> {
    let obj = as_obj(v, "file", "curation")?;
    let names = as_array(obj, "curation", "annotators")?;
    let annotators = names.iter().map(|n| as_str(n, "curation", "annotators").map(str::to_string)).collect::<Result<Vec<_>, _>>()?;
    let undecided = match obj.get("undecided") {
        None | Some(Value::Null) => 0,
        Some(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| ImportError::BadValue {
            item: "curation".into(),
            field: "undecided",
            value: n.to_string(),
        })?,
    };
    Ok(Curation { annotators, undecided })
}

/// Reads a `newsmark.annotations` v1 file. Never panics, whatever the input.
pub fn import(input: &str) -> Result<AnnotationSet, ImportError> {
    let root = &parse_root(input)?;
    let document = document_of(root)?;
    let text: &str = &document.text.clone();
    let mut set = AnnotationSet::new(document);
    if let Some(s) = root.get("schema").filter(|v| !v.is_null()) {
        set.schema = parse_schema(s)?;
    }
    if let Some(c) = root.get("curation").filter(|v| !v.is_null()) {
        set.curation = Some(parse_curation(c)?);
    }
    let r = Reader { text, map: OffsetMap::new(text) };

    // Ids: numbers from the file are kept when they look like ours, so an export re-imports
    // to the same ids; the rest get fresh numbers after all kept ones.
    let mut seen = std::collections::HashSet::new();
    let entities = as_array(root, "file", "entities")?;
    let attributions = as_array(root, "file", "attributions")?;
    let boilerplate = as_array(root, "file", "boilerplate")?;
    let mut max_kept = 0;
    for (list, prefix) in [(entities, 'e'), (attributions, 'a'), (boilerplate, 'b')] {
        for v in list {
            if let Some(id) = v.get("id").and_then(Value::as_str) {
                if !seen.insert(id.to_string()) {
                    return Err(ImportError::DuplicateId { id: id.to_string() });
                }
                max_kept = max_kept.max(id_number(id, prefix).unwrap_or(0));
            }
        }
    }
    set.reserve_ids_through(max_kept);
    let mut used_numbers = std::collections::HashSet::new();
    let mut number_for = |set: &mut AnnotationSet, id: Option<&str>, prefix: char| -> u32 {
        // Numbers are unique across kinds too (`e4` and `b4` in one file: the second is
        // renumbered), as `fresh_id` keeps them for everything made in the editor.
        match id.and_then(|i| id_number(i, prefix)).filter(|n| used_numbers.insert(*n)) {
            Some(n) => n,
            None => loop {
                // Fresh numbers lie above every kept one, so this takes one turn.
                let n = set.fresh_id();
                if used_numbers.insert(n) {
                    break n;
                }
            },
        }
    };

    let mut entity_ids: HashMap<String, EntityId> = HashMap::new();
    for (i, v) in entities.iter().enumerate() {
        let file_id = v.get("id").and_then(Value::as_str);
        let item = format!("entity {}", file_id.map_or(format!("#{}", i + 1), str::to_string));
        let obj = as_obj(v, &item, "entities")?;
        if obj.get("fragments").and_then(Value::as_array).is_some_and(|f| !f.is_empty()) {
            return Err(ImportError::BadFragments { item, reason: "entities cannot be discontinuous".into() });
        }
        let span = r.span(obj, &item, true)?;
        let label_s = as_str(field(obj, &item, "label")?, &item, "label")?;
        let label = Label::parse(label_s)
            .ok()
            .filter(|l| set.schema.contains(l))
            .ok_or_else(|| ImportError::UnknownLabel { item: item.clone(), label: label_s.into() })?;
        let origin = enum_field(obj, &item, "origin", Some(Origin::Human), Origin::parse)?;
        let status = enum_field(obj, &item, "status", Some(Status::Accepted), parse_status)?;
        let group = match obj.get("group") {
            None | Some(Value::Null) => None,
            Some(g) => Some(g.as_u64().and_then(|g| u32::try_from(g).ok()).ok_or_else(|| {
                ImportError::WrongType { item: item.clone(), field: "group", expected: "a non-negative integer" }
            })?),
        };
        let id = EntityId(number_for(&mut set, file_id, 'e'));
        if let Some(f) = file_id {
            entity_ids.insert(f.to_string(), id);
        }
        set.entities.push(Entity {
            id,
            label,
            span,
            origin,
            status,
            confidence: confidence(obj, &item, 1.0)?,
            canonical: opt_str(obj, &item, "canonical")?.map(str::to_string),
            group,
        });
    }

    for (i, v) in attributions.iter().enumerate() {
        let file_id = v.get("id").and_then(Value::as_str);
        let item = format!("attribution {}", file_id.map_or(format!("#{}", i + 1), str::to_string));
        let obj = as_obj(v, &item, "attributions")?;
        let kind = enum_field(obj, &item, "kind", None, parse_kind)?;
        let source = match obj.get("source") {
            None | Some(Value::Null) => None,
            Some(s) => {
                let sitem = format!("{item} source");
                let so = as_obj(s, &sitem, "source")?;
                let span = r.span(so, &sitem, true)?;
                let entity = match opt_str(so, &sitem, "entity")? {
                    None => None,
                    Some(eid) => Some(*entity_ids.get(eid).ok_or_else(|| ImportError::DanglingEntity {
                        item: sitem.clone(),
                        id: eid.into(),
                    })?),
                };
                let entity_text = opt_str(so, &sitem, "entity_text")?.map(str::to_string);
                Some(Source { span, entity, entity_text })
            }
        };
        let cue = match obj.get("cue") {
            None | Some(Value::Null) => None,
            Some(c) => {
                let citem = format!("{item} cue");
                Some(r.span(as_obj(c, &citem, "cue")?, &citem, true)?)
            }
        };
        let citem = format!("{item} content");
        let content = r.extent(as_obj(field(obj, &item, "content")?, &citem, "content")?, &citem)?;
        let origin = enum_field(obj, &item, "origin", Some(Origin::Human), Origin::parse)?;
        let status = enum_field(obj, &item, "status", Some(Status::Accepted), parse_status)?;
        let confidence = confidence(obj, &item, 1.0)?;
        let id = AttributionId(number_for(&mut set, file_id, 'a'));
        set.attributions.push(Attribution { id, kind, source, cue, content, origin, status, confidence });
    }

    for (i, v) in boilerplate.iter().enumerate() {
        let file_id = v.get("id").and_then(Value::as_str);
        let item = format!("boilerplate {}", file_id.map_or(format!("#{}", i + 1), str::to_string));
        let obj = as_obj(v, &item, "boilerplate")?;
        let span = r.span(obj, &item, true)?;
        let origin = enum_field(obj, &item, "origin", Some(Origin::Human), Origin::parse)?;
        let id = RegionId(number_for(&mut set, file_id, 'b'));
        set.boilerplate.push(Boilerplate { id, span, origin });
    }
    Ok(set)
}

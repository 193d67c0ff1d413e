//! W3C Web Annotation Data Model, serialised as JSON-LD (<https://www.w3.org/TR/annotation-model/>).
//!
//! One document becomes an `AnnotationCollection` whose first page holds:
//! - one `Annotation` per entity: a `TextualBody` tag with the label, a target with a
//!   `TextQuoteSelector` (exact + prefix/suffix) and a `TextPositionSelector` (code points);
//! - per attribution, one annotation per role (source, cue, content; a discontinuous
//!   content has one target per fragment) and a `linking` annotation whose target is
//!   the content annotation and whose bodies are the source and cue annotations;
//! - one annotation per boilerplate region.
//!
//! What the model has no term for (status, origin, kind, confidence, the entity a source
//! refers to) lives in the `nm:` namespace declared in the context. Import reads the
//! selectors back against the document's text, re-anchoring by quote and context when the
//! positions no longer fit (see [`crate::core::format::anchor`]).

use crate::core::model::sort;
use crate::core::model::annotation::{
    AnnotationSet, Attribution, AttributionId, Boilerplate, Document, Entity, EntityId, Kind, Origin, RegionId,
    Source, Status,
};
use crate::core::format::anchor::{context, Anchorer, Imported, Unplaced, UnplacedItem, UnplacedReason};
use crate::core::format::common::*;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::{Extent, Span};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The W3C context IRI (a processor resolves it; tests serve a local copy).
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// newsmark's own terms.
pub const NM_NS: &str = "https://newsmark.app/ns#";

/// The IRI naming a document: `urn:newsmark:doc:<id, percent-encoded>`.
pub fn document_iri(id: &str) -> String {
    let mut s = String::from("urn:newsmark:doc:");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------- export

struct Writer<'a> {
    text: &'a str,
    map: OffsetMap,
    doc: String,
}

impl Writer<'_> {
    fn resource(&self, s: Span) -> Value {
        let (p, x) = context(self.text, s);
        let (a, b) = to_cp(&self.map, s);
        json!({
            "type": "SpecificResource",
            "source": self.doc,
            "selector": [
                {"type": "TextQuoteSelector", "exact": s.slice(self.text).unwrap_or(""), "prefix": p, "suffix": x},
                {"type": "TextPositionSelector", "start": a, "end": b},
            ],
        })
    }

    fn target(&self, e: &Extent) -> Value {
        // The Recommendation dropped `List`: a discontinuous content targets each of its
        // fragments (in text order) from its one role annotation.
        if e.is_discontinuous() {
            Value::Array(e.fragments().iter().map(|f| self.resource(*f)).collect())
        } else {
            self.resource(e.hull())
        }
    }

    fn id(&self, local: &str) -> String {
        format!("{}#{local}", self.doc)
    }

    fn tagged(&self, local: &str, layer: &str, tag: &str, target: Value) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id(local)));
        m.insert("type".into(), json!("Annotation"));
        m.insert("motivation".into(), json!("tagging"));
        m.insert("body".into(), json!({"type": "TextualBody", "purpose": "tagging", "value": tag}));
        m.insert("target".into(), target);
        m.insert("nm:layer".into(), json!(layer));
        m
    }

    fn entity(&self, e: &Entity) -> Value {
        let mut m = self.tagged(&e.id.to_string(), "entity", e.label.as_str(), self.resource(e.span));
        m.insert("nm:origin".into(), json!(e.origin.as_str()));
        m.insert("nm:status".into(), json!(e.status.as_str()));
        m.insert("nm:confidence".into(), json!(round_conf(e.confidence)));
        if let Some(c) = &e.canonical {
            m.insert("nm:canonical".into(), json!(c));
        }
        if let Some(g) = e.group {
            m.insert("nm:group".into(), json!(g));
        }
        Value::Object(m)
    }

    fn attribution(&self, a: &Attribution, out: &mut Vec<Value>) {
        let base = a.id.to_string();
        let role = |name: &str, target: Value| Value::Object(self.tagged(&format!("{base}-{name}"), name, name, target));
        let mut bodies = Vec::new();
        if let Some(s) = &a.source {
            out.push(role("source", self.resource(s.span)));
            bodies.push(json!(self.id(&format!("{base}-source"))));
        }
        if let Some(c) = a.cue {
            out.push(role("cue", self.resource(c)));
            bodies.push(json!(self.id(&format!("{base}-cue"))));
        }
        out.push(role("content", self.target(&a.content)));
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id(&base)));
        m.insert("type".into(), json!("Annotation"));
        m.insert("motivation".into(), json!("linking"));
        if !bodies.is_empty() {
            m.insert("body".into(), Value::Array(bodies));
        }
        m.insert("target".into(), json!(self.id(&format!("{base}-content"))));
        m.insert("nm:layer".into(), json!("attribution"));
        m.insert("nm:kind".into(), json!(a.kind.as_str()));
        m.insert("nm:origin".into(), json!(a.origin.as_str()));
        m.insert("nm:status".into(), json!(a.status.as_str()));
        m.insert("nm:confidence".into(), json!(round_conf(a.confidence)));
        if let Some(s) = &a.source {
            if let Some(e) = s.entity {
                m.insert("nm:entity".into(), json!({"id": self.id(&e.to_string())}));
            }
            if let Some(t) = &s.entity_text {
                m.insert("nm:entityText".into(), json!(t));
            }
        }
        out.push(Value::Object(m));
    }
}

/// The collection as a JSON value.
pub fn export_value(set: &AnnotationSet) -> Value {
    let text: &str = &set.document.text;
    let w = Writer { text, map: OffsetMap::new(text), doc: document_iri(&set.document.id) };
    let mut items: Vec<Value> = set.entities_in_order().into_iter().map(|e| w.entity(e)).collect();
    for a in &set.attributions {
        w.attribution(a, &mut items);
    }
    for b in &set.boilerplate {
        let mut m = w.tagged(&b.id.to_string(), "boilerplate", "boilerplate", w.resource(b.span));
        m.insert("nm:origin".into(), json!(b.origin.as_str()));
        items.push(Value::Object(m));
    }
    json!({
        "@context": [ANNO_CONTEXT, {"nm": NM_NS}],
        "id": w.id("annotations"),
        "type": "AnnotationCollection",
        "label": set.document.title.clone().unwrap_or_else(|| set.document.id.clone()),
        "nm:documentId": set.document.id,
        "total": items.len(),
        "first": {"id": w.id("page1"), "type": "AnnotationPage", "items": items},
    })
}

/// The JSON-LD text, pretty-printed.
pub fn export(set: &AnnotationSet) -> String {
    let mut s = serde_json::to_string_pretty(&export_value(set)).expect("a JSON value always serialises");
    s.push('\n');
    s
}

// ---------------------------------------------------------------- import

/// The annotations of a file: a collection (`first.items`), a page (`items`), an array of
/// annotations, or one annotation.
fn annotations(root: &Value) -> Result<Vec<&Map<String, Value>>, FormatError> {
    let list: Vec<&Value> = match root {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => {
            if let Some(items) = o.get("first").and_then(|f| f.get("items")).and_then(Value::as_array) {
                items.iter().collect()
            } else if let Some(items) = o.get("items").and_then(Value::as_array) {
                items.iter().collect()
            } else if o.contains_key("target") {
                vec![root]
            } else {
                return Err(FormatError::Missing { item: "file".into(), field: "items" });
            }
        }
        _ => return Err(FormatError::WrongType { item: "file".into(), field: "@graph", expected: "an object or an array" }),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| get_obj(v, &format!("annotation {}", i + 1), "items"))
        .collect()
}

fn id_of(a: &Map<String, Value>) -> Option<&str> {
    a.get("id").or_else(|| a.get("@id")).and_then(Value::as_str).map(local)
}

/// The local part (`e3`) of an annotation IRI.
fn local(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, l)| l)
}

fn str_or_id(v: &Value) -> Option<&str> {
    v.as_str().or_else(|| v.get("id").and_then(Value::as_str)).or_else(|| v.get("@id").and_then(Value::as_str))
}

/// The tag of an annotation: its first `TextualBody` value.
fn tag(a: &Map<String, Value>) -> Option<&str> {
    let body = a.get("body")?;
    let bodies: Vec<&Value> = match body {
        Value::Array(v) => v.iter().collect(),
        v => vec![v],
    };
    bodies.into_iter().find_map(|b| b.get("value").and_then(Value::as_str))
}

struct Placer<'t> {
    anchorer: Anchorer<'t>,
}

impl Placer<'_> {
    /// A `SpecificResource`'s span: the position selector when it still covers the quote,
    /// else the quote searched with its context.
    fn resource(&self, r: &Value, item: &str) -> Result<Result<(Span, String, usize), Unplacedish>, FormatError> {
        let obj = get_obj(r, item, "target")?;
        let sels: Vec<&Value> = match obj.get("selector") {
            Some(Value::Array(v)) => v.iter().collect(),
            Some(v) => vec![v],
            None => return Err(FormatError::Missing { item: item.into(), field: "selector" }),
        };
        let mut quote = None;
        let mut pos = None;
        for s in sels {
            let so = get_obj(s, item, "selector")?;
            match so.get("type").and_then(Value::as_str) {
                Some("TextQuoteSelector") => {
                    let exact = req_str(so, item, "exact")?;
                    let p = opt_str(so, item, "prefix")?.unwrap_or("");
                    let x = opt_str(so, item, "suffix")?.unwrap_or("");
                    quote = Some((exact, p, x));
                }
                Some("TextPositionSelector") => {
                    let (a, b) = (req_u64(so, item, "start")?, req_u64(so, item, "end")?);
                    if a > b {
                        return Err(FormatError::Reversed { item: item.into(), start: a, end: b });
                    }
                    pos = Some((a, b));
                }
                _ => {}
            }
        }
        if quote.is_none() && pos.is_none() {
            return Err(FormatError::Missing { item: item.into(), field: "TextQuoteSelector" });
        }
        let (start, end) = pos.map_or((0, 0), |(a, b)| (a as usize, b as usize));
        let (q, p, x) = quote.map_or((None, "", ""), |(q, p, x)| (Some(q), p, x));
        Ok(match self.anchorer.place(start, end, q, p, x) {
            Ok(s) => Ok((s, q.unwrap_or("").to_string(), start)),
            Err(reason) => Err(Unplacedish { quote: q.unwrap_or("").to_string(), old_start: start, reason }),
        })
    }

    /// A target: one resource, an array of fragments, or a (draft-model) `List` of them.
    fn target(&self, t: &Value, item: &str) -> Result<Result<Extent, Unplacedish>, FormatError> {
        let items: Vec<&Value> = match (t, t.get("items").and_then(Value::as_array)) {
            (Value::Array(v), _) => v.iter().collect(),
            (_, Some(v)) if t.get("type").and_then(Value::as_str) == Some("List") => v.iter().collect(),
            _ => vec![t],
        };
        let mut items = items;
        // Fragments in text order whatever order the file lists them in.
        sort::sort_by_key(&mut items, |r| {
            r.get("selector").and_then(|s| {
                let sels = s.as_array().map_or_else(|| vec![s], |a| a.iter().collect());
                sels.into_iter().find_map(|x| x.get("start").and_then(Value::as_u64))
            })
        });
        let mut frags = Vec::new();
        for (i, r) in items.iter().enumerate() {
            match self.resource(r, &format!("{item} fragment {}", i + 1))? {
                Ok((s, _, _)) => frags.push(s),
                Err(u) => return Ok(Err(u)),
            }
        }
        let first = frags.first().copied();
        Ok(Extent::from_fragments(frags).map_err(|_| Unplacedish {
            quote: first.and_then(|f| f.slice(self.anchorer_text())).unwrap_or("").to_string(),
            old_start: 0,
            reason: UnplacedReason::FragmentsDisordered,
        }))
    }

    fn anchorer_text(&self) -> &str {
        self.anchorer.text()
    }
}

/// An unplaced span before we know which item it belongs to.
struct Unplacedish {
    quote: String,
    old_start: usize,
    reason: UnplacedReason,
}

impl Unplacedish {
    fn into(self, item: UnplacedItem) -> Unplaced {
        Unplaced { item, quote: self.quote, old_start: self.old_start, reason: self.reason }
    }
}

/// Reads a W3C export (ours, or another tool's tagging annotations) onto `doc`.
pub fn import(input: &str, doc: &Document) -> Result<Imported, FormatError> {
    let root = parse_json(input)?;
    let anns = annotations(&root)?;
    let text: &str = &doc.text.clone();
    let placer = Placer { anchorer: Anchorer::new(text) };
    let mut set = AnnotationSet::new(doc.clone());
    let mut unplaced = Vec::new();

    let layer = |a: &Map<String, Value>| -> Option<String> {
        if let Some(l) = a.get("nm:layer").and_then(Value::as_str) {
            return Some(l.to_string());
        }
        // Another tool's annotation: classify by motivation and tag.
        if a.get("motivation").and_then(Value::as_str) == Some("linking") {
            return Some("attribution".into());
        }
        match tag(a) {
            Some(t @ ("source" | "cue" | "content" | "boilerplate")) => Some(t.to_string()),
            Some(_) => Some("entity".into()),
            None => None,
        }
    };
    let mut ids = Ids::new(
        &mut set,
        anns.iter().filter_map(|a| id_of(a)).map(|l| id_number(l, "e").or(id_number(l, "a")).or(id_number(l, "b"))),
    );

    // Role annotations by their full IRI, placed first, then the links over them.
    let mut roles: HashMap<String, (String, Result<Extent, Unplacedish>)> = HashMap::new();
    let mut entity_ids: HashMap<String, EntityId> = HashMap::new();
    let mut links = Vec::new();
    for (i, a) in anns.iter().enumerate() {
        let full_id = a.get("id").or_else(|| a.get("@id")).and_then(Value::as_str).unwrap_or("");
        let item = format!("annotation {}", if full_id.is_empty() { format!("#{}", i + 1) } else { full_id.to_string() });
        let Some(layer) = layer(a) else {
            unplaced.push(Unplaced {
                item: UnplacedItem::Foreign { id: item.clone() },
                quote: String::new(),
                old_start: 0,
                reason: UnplacedReason::NotUnderstood,
            });
            continue;
        };
        match layer.as_str() {
            "attribution" => links.push((item, *a)),
            "source" | "cue" | "content" => {
                let t = req(a, &item, "target")?;
                roles.insert(full_id.to_string(), (layer, placer.target(t, &item)?));
            }
            "entity" | "boilerplate" => {
                let t = req(a, &item, "target")?;
                let placed = placer.target(t, &item)?;
                let origin = enum_value(a, "nm:origin", &item, "origin", Origin::Human, Origin::parse)?;
                let n = ids.assign(&mut set, id_of(a).and_then(|l| id_number(l, if layer == "entity" { "e" } else { "b" })));
                if layer == "boilerplate" {
                    match placed {
                        Ok(e) => set.boilerplate.push(Boilerplate { id: RegionId(n), span: e.hull(), origin }),
                        Err(u) => unplaced.push(u.into(UnplacedItem::Boilerplate { id: RegionId(n) })),
                    }
                    continue;
                }
                let label_name = tag(a).ok_or(FormatError::Missing { item: item.clone(), field: "body" })?;
                let label = ensure_label(&mut set, label_name, &item)?;
                let id = EntityId(n);
                match placed {
                    Ok(e) if !e.is_discontinuous() => {
                        entity_ids.insert(full_id.to_string(), id);
                        set.entities.push(Entity {
                            id,
                            label,
                            span: e.hull(),
                            origin,
                            status: enum_value(a, "nm:status", &item, "status", Status::Accepted, parse_status)?,
                            confidence: confidence(a, "nm:confidence", &item, 1.0)?,
                            canonical: opt_str(a, &item, "nm:canonical")?.map(str::to_string),
                            group: a.get("nm:group").and_then(Value::as_u64).and_then(|g| u32::try_from(g).ok()),
                        })
                    }
                    Ok(_) => {
                        return Err(FormatError::BadFragments { item, reason: "entities cannot be discontinuous".into() })
                    }
                    Err(u) => unplaced.push(u.into(UnplacedItem::Entity { id, label })),
                }
            }
            other => {
                return Err(FormatError::BadValue { item, field: "nm:layer", value: format!("{other:?}") });
            }
        }
    }

    for (item, a) in links {
        let n = ids.assign(&mut set, id_of(a).and_then(|l| id_number(l, "a")));
        let id = AttributionId(n);
        let content_iri = str_or_id(req(a, &item, "target")?).ok_or(FormatError::WrongType {
            item: item.clone(),
            field: "target",
            expected: "the IRI of the content annotation",
        })?;
        let mut take = |iri: &str, want: &str| -> Result<Option<Result<Extent, Unplacedish>>, FormatError> {
            match roles.remove(iri) {
                Some((l, r)) if l == want => Ok(Some(r)),
                Some(_) | None => Err(FormatError::Dangling { item: item.clone(), id: iri.to_string() }),
            }
        };
        let content = match take(content_iri, "content")? {
            Some(Ok(c)) => c,
            Some(Err(u)) => {
                unplaced.push(u.into(UnplacedItem::Attribution { id }));
                continue;
            }
            None => unreachable!("take returns Some or an error"),
        };
        let bodies: Vec<&Value> = match a.get("body") {
            Some(Value::Array(v)) => v.iter().collect(),
            Some(v) => vec![v],
            None => vec![],
        };
        let (mut source, mut cue) = (None, None);
        for b in bodies {
            let iri = str_or_id(b).unwrap_or("");
            let Some((role, placed)) = roles.remove(iri) else {
                return Err(FormatError::Dangling { item: item.clone(), id: iri.to_string() });
            };
            let role_enum = match role.as_str() {
                "source" => crate::core::format::anchor::Role::Source,
                "cue" => crate::core::format::anchor::Role::Cue,
                _ => return Err(FormatError::Dangling { item: item.clone(), id: iri.to_string() }),
            };
            match placed {
                Ok(e) if role == "source" => source = Some(e.hull()),
                Ok(e) => cue = Some(e.hull()),
                Err(u) => unplaced.push(u.into(UnplacedItem::Role { id, role: role_enum })),
            }
        }
        let entity = match a.get("nm:entity").and_then(str_or_id) {
            None => None,
            Some(iri) => Some(
                *entity_ids.get(iri).ok_or_else(|| FormatError::Dangling { item: item.clone(), id: iri.to_string() })?,
            ),
        };
        let entity_text = opt_str(a, &item, "nm:entityText")?.map(str::to_string);
        set.attributions.push(Attribution {
            id,
            kind: enum_value(a, "nm:kind", &item, "kind", Kind::Indirect, parse_kind)?,
            source: source.map(|span| Source { span, entity, entity_text }),
            cue,
            content,
            origin: enum_value(a, "nm:origin", &item, "origin", Origin::Human, Origin::parse)?,
            status: enum_value(a, "nm:status", &item, "status", Status::Accepted, parse_status)?,
            confidence: confidence(a, "nm:confidence", &item, 1.0)?,
        });
    }
    if let Some(orphan) = roles.keys().min() {
        return Err(FormatError::Dangling { item: format!("annotation {orphan}"), id: "(no linking annotation)".into() });
    }
    // The document id travels with the export; keep the caller's document otherwise.
    if let Some(Value::String(id)) = root.get("nm:documentId") {
        if doc.id.is_empty() {
            set.document.id = id.clone();
        }
    }
    Ok(Imported { set, unplaced })
}

/// The document id a W3C export names (its `nm:documentId`, else decoded from the IRI).
pub fn document_id(input: &str) -> Option<String> {
    let root = parse_json(input).ok()?;
    if let Some(id) = root.get("nm:documentId").and_then(Value::as_str) {
        return Some(id.to_string());
    }
    let iri = root.get("id").and_then(Value::as_str)?;
    let doc = iri.split_once('#').map_or(iri, |(d, _)| d);
    doc.strip_prefix("urn:newsmark:doc:").map(percent_decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::*;
    use proptest::prelude::*;

    type Check = fn(&FormatError) -> bool;

    #[test]
    fn round_trip_sample() {
        let set = sample();
        let out = export(&set);
        let back = import(&out, &set.document).unwrap();
        assert!(back.unplaced.is_empty(), "{:?}", back.unplaced);
        assert_eq!(canon(&back.set), canon(&set));
        assert_eq!(back.set.entities, set.entities, "ids, confidence, canonical and group survive too");
        assert_eq!(back.set.attributions, set.attributions);
        assert_eq!(document_id(&out).as_deref(), Some("sample"));
    }

    #[test]
    fn export_shape() {
        let v = export_value(&sample());
        let items = v["first"]["items"].as_array().unwrap();
        let e = &items[0];
        assert_eq!(e["body"]["value"], "PERSON");
        assert_eq!(e["target"]["selector"][0]["type"], "TextQuoteSelector");
        assert_eq!(e["target"]["selector"][0]["exact"], "Caroline Leavitt");
        assert_eq!(e["target"]["selector"][1]["start"], 0);
        let link = items.iter().find(|i| i["motivation"] == "linking").unwrap();
        assert_eq!(link["nm:kind"], "direct");
        assert_eq!(link["body"].as_array().unwrap().len(), 2);
        let content = items.iter().find(|i| i["nm:layer"] == "content").unwrap();
        assert_eq!(content["target"].as_array().map(Vec::len), Some(2));
        // Position selectors count code points: 😀 is one.
        let cue = items.iter().find(|i| i["nm:layer"] == "cue").unwrap();
        let text = "Caroline Leavitt 😀 said “we are\nready,” she said, “to talk.”";
        let cue_at = text.chars().collect::<Vec<_>>().windows(5).position(|w| w.iter().collect::<String>() == "said,").unwrap();
        assert_eq!(cue["target"]["selector"][1]["start"], cue_at);
        assert_eq!(document_iri("a b/é"), "urn:newsmark:doc:a%20b%2F%C3%A9");
        assert_eq!(percent_decode("a%20b%2F%C3%A9"), "a b/é");
    }

    /// Every key and vocabulary value of the export outside `nm:` is a term of the W3C
    /// context (the local copy the interop tests give the JSON-LD processor).
    #[test]
    fn export_uses_only_context_terms() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/contexts/anno.jsonld");
        let ctx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let terms = ctx["@context"].as_object().unwrap();
        fn walk(v: &Value, terms: &Map<String, Value>, bad: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        if k == "@context" || k.starts_with("nm:") {
                            continue;
                        }
                        if !terms.contains_key(k) {
                            bad.push(k.clone());
                        }
                        if matches!(k.as_str(), "type" | "motivation" | "purpose") && !terms.contains_key(x.as_str().unwrap_or("")) {
                            bad.push(format!("{k}: {x}"));
                        }
                        walk(x, terms, bad);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, terms, bad)),
                _ => {}
            }
        }
        let mut bad = Vec::new();
        walk(&export_value(&sample()), terms, &mut bad);
        assert!(bad.is_empty(), "not in anno.jsonld: {bad:?}");
    }

    #[test]
    fn reanchors_onto_changed_text() {
        let set = sample();
        let out = export(&set);
        let changed = format!("Breaking. {}", set.text().replace("JOIN US ON TELEGRAM", "(removed)"));
        let doc = Document::new("sample", None, changed.as_str());
        let back = import(&out, &doc).unwrap();
        assert_eq!(back.set.entities[0].span.slice(&changed), Some("Caroline Leavitt"));
        assert_eq!(back.set.attributions.len(), 1);
        assert_eq!(back.unplaced.len(), 1);
        assert!(matches!(back.unplaced[0].item, UnplacedItem::Boilerplate { .. }));
    }

    #[test]
    fn typed_errors() {
        let doc = Document::new("d", None, "abc");
        let cases: [(&str, Check); 6] = [
            ("", |e| matches!(e, FormatError::Empty)),
            ("{", |e| matches!(e, FormatError::NotJson { .. })),
            ("{\"type\": \"AnnotationCollection\"}", |e| matches!(e, FormatError::Missing { field: "items", .. })),
            (
                r#"[{"id":"x","nm:layer":"entity","body":{"value":"PERSON"},"target":{"selector":{"type":"TextPositionSelector","start":2,"end":1}}}]"#,
                |e| matches!(e, FormatError::Reversed { .. }),
            ),
            (
                r##"[{"id":"x","motivation":"linking","target":"#c"}]"##,
                |e| matches!(e, FormatError::Dangling { .. }),
            ),
            (
                r#"[{"id":"x","body":{"value":"no label!"},"target":{"selector":{"type":"TextPositionSelector","start":0,"end":1}}}]"#,
                |e| matches!(e, FormatError::BadLabel { .. }),
            ),
        ];
        for (input, check) in cases {
            let err = import(input, &doc).unwrap_err();
            assert!(check(&err), "{input}: {err:?}");
        }
    }

    #[test]
    fn foreign_annotations_are_listed_not_dropped() {
        let doc = Document::new("d", None, "Hello world");
        let input = r#"[{"id":"h1","motivation":"highlighting","target":{"selector":{"type":"TextQuoteSelector","exact":"world"}}},
                        {"id":"t1","motivation":"tagging","body":{"type":"TextualBody","value":"ORG"},"target":{"selector":{"type":"TextQuoteSelector","exact":"world"}}}]"#;
        let back = import(input, &doc).unwrap();
        assert_eq!(back.set.entities.len(), 1);
        assert_eq!(back.set.entities[0].span, Span::new(6, 11));
        assert!(matches!(back.unplaced[..], [Unplaced { item: UnplacedItem::Foreign { .. }, .. }]));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let set = random_set(&text, &seeds, true);
            let back = import(&export(&set), &set.document).unwrap();
            prop_assert!(back.unplaced.is_empty());
            prop_assert_eq!(canon(&back.set), canon(&set));
        }
    }
}

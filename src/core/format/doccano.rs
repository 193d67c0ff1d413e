//! doccano JSONL: one document per line, to hand pre-annotations to a doccano team.
//!
//! Each line carries both doccano shapes: `label` (`[[start, end, "LABEL"], …]`, the
//! sequence-labelling import; `labels` too, for readers of doccano ≤ 1.1) and
//! `entities` + `relations` (the relation-extraction import, `start_offset`/`end_offset`).
//! Attribution roles are spans labelled `SOURCE`, `CUE`, `CONTENT` with relations
//! `source`, `cue`, `continues` from the first content fragment. Offsets are code points.
//! Rejected suggestions are not handed over; review state rides along as extra keys on
//! each entity object, which doccano ignores and [`import`] reads back.

use crate::core::model::annotation::{AnnotationSet, Boilerplate, Document, Entity, EntityId, Origin, RegionId, Status};
use crate::core::format::common::*;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One document as a JSON object (one line).
pub fn export_value(set: &AnnotationSet) -> Value {
    let text: &str = &set.document.text;
    let map = OffsetMap::new(text);
    let mut entities: Vec<Value> = Vec::new();
    let mut relations: Vec<Value> = Vec::new();
    let mut push = |span: Span, label: &str, extra: Map<String, Value>| -> usize {
        let (a, b) = to_cp(&map, span);
        let n = entities.len() + 1;
        let mut m = Map::new();
        m.insert("id".into(), json!(n));
        m.insert("label".into(), json!(label));
        m.insert("start_offset".into(), json!(a));
        m.insert("end_offset".into(), json!(b));
        m.extend(extra);
        entities.push(Value::Object(m));
        n
    };
    for e in set.entities_in_order().into_iter().filter(|e| e.status != Status::Rejected) {
        let mut x = Map::new();
        x.insert("newsmark_id".into(), json!(e.id.to_string()));
        x.insert("status".into(), json!(e.status.as_str()));
        x.insert("origin".into(), json!(e.origin.as_str()));
        x.insert("confidence".into(), json!(round_conf(e.confidence)));
        push(e.span, e.label.as_str(), x);
    }
    for a in set.attributions.iter().filter(|a| a.status != Status::Rejected) {
        let mut head = 0;
        for (i, f) in a.content.fragments().iter().enumerate() {
            let n = push(*f, "CONTENT", content_keys(a));
            if i == 0 {
                head = n;
            } else {
                relations.push(json!({"from_id": head, "to_id": n, "type": "continues"}));
            }
        }
        if let Some(s) = &a.source {
            let live = |e| set.entity(e).is_some_and(|e| e.status != Status::Rejected);
            let n = push(s.span, "SOURCE", source_keys(a, s, live));
            relations.push(json!({"from_id": head, "to_id": n, "type": "source"}));
        }
        if let Some(c) = a.cue {
            let n = push(c, "CUE", cue_keys(a));
            relations.push(json!({"from_id": head, "to_id": n, "type": "cue"}));
        }
    }
    for b in &set.boilerplate {
        let mut x = Map::new();
        x.insert("newsmark_id".into(), json!(b.id.to_string()));
        x.insert("origin".into(), json!(b.origin.as_str()));
        push(b.span, "BOILERPLATE", x);
    }
    for (i, r) in relations.iter_mut().enumerate() {
        r["id"] = json!(i + 1);
    }
    let label: Vec<Value> =
        entities.iter().map(|e| json!([e["start_offset"], e["end_offset"], e["label"]])).collect();
    let mut meta = Map::new();
    if let Some(t) = &set.document.title {
        meta.insert("title".into(), json!(t));
    }
    json!({
        "id": set.document.id,
        "text": text,
        "label": label,
        "labels": label,
        "entities": entities,
        "relations": relations,
        "meta": meta,
    })
}

/// One JSONL line.
pub fn export(set: &AnnotationSet) -> String {
    jsonl_line(&export_value(set))
}

pub fn export_all<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>) -> String {
    sets.into_iter().map(export).collect()
}

/// Reads every line of a doccano JSONL file (ours or doccano's own exports).
pub fn import(input: &str) -> Result<Vec<AnnotationSet>, FormatError> {
    import_jsonl(input, import_value)
}

/// A span of either doccano shape: node id, label, start, end, extra keys, item name.
type RawSpan = (String, String, u64, u64, Map<String, Value>, String);

pub fn import_value(v: &Value, line: usize) -> Result<AnnotationSet, FormatError> {
    let at = format!("line {line}");
    let root = get_obj(v, &at, "line")?;
    let text = req_str(root, &at, "text")?;
    let id = match root.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("doc-{line}"),
    };
    let title = root.get("meta").and_then(|m| m.get("title")).and_then(Value::as_str).map(str::to_string);
    let mut set = AnnotationSet::new(Document::new(id, title, text));
    let map = OffsetMap::new(text);

    // Normalise both shapes to (node, label, start, end, extra).
    let mut spans: Vec<RawSpan> = Vec::new();
    let mut head_of: HashMap<String, String> = HashMap::new();
    if let Some(ents) = root.get("entities").filter(|e| e.is_array()) {
        for (i, e) in ents.as_array().into_iter().flatten().enumerate() {
            let item = format!("{at} entity {}", i + 1);
            let o = get_obj(e, &item, "entities")?;
            let node = o.get("id").map(|v| v.to_string()).unwrap_or_else(|| format!("#{i}"));
            spans.push((
                node,
                req_str(o, &item, "label")?.to_string(),
                req_u64(o, &item, "start_offset")?,
                req_u64(o, &item, "end_offset")?,
                o.clone(),
                item,
            ));
        }
        for (i, r) in opt_array(root, &at, "relations")?.iter().enumerate() {
            let item = format!("{at} relation {}", i + 1);
            let o = get_obj(r, &item, "relations")?;
            let from = req(o, &item, "from_id")?.to_string();
            let to = req(o, &item, "to_id")?.to_string();
            head_of.insert(to, from);
        }
    } else {
        let list = match root.get("label") {
            Some(l) => l,
            None => root.get("labels").ok_or(FormatError::Missing { item: at.clone(), field: "label" })?,
        };
        let list = list.as_array().ok_or(FormatError::WrongType { item: at.clone(), field: "label", expected: "an array" })?;
        for (i, l) in list.iter().enumerate() {
            let item = format!("{at} label {}", i + 1);
            let bad = || FormatError::WrongType { item: item.clone(), field: "label", expected: "[start, end, \"LABEL\"]" };
            let a = l.as_array().filter(|a| a.len() == 3).ok_or_else(bad)?;
            let (Some(s), Some(e), Some(lab)) = (a[0].as_u64(), a[1].as_u64(), a[2].as_str()) else { return Err(bad()) };
            spans.push((format!("#{i}"), lab.to_string(), s, e, Map::new(), item));
        }
    }

    let mut ids = Ids::new(
        &mut set,
        spans.iter().map(|s| {
            s.4.get("newsmark_id").and_then(Value::as_str).and_then(|i| id_number(i, "e").or(id_number(i, "b")))
                .or_else(|| s.4.get("attribution").and_then(Value::as_str).and_then(|i| id_number(i, "a")))
        }),
    );
    let mut roles = Vec::new();
    let mut entity_ids: HashMap<String, EntityId> = HashMap::new();
    for (node, label, a, b, extra, item) in spans {
        let span = span_from_cp(&map, a, b, &item)?;
        let origin = enum_value(&extra, "origin", &item, "origin", Origin::Human, Origin::parse)?;
        let nid = extra.get("newsmark_id").and_then(Value::as_str).map(str::to_string);
        if ROLE_LABELS.contains(&label.as_str()) {
            let key = extra.get("attribution").and_then(Value::as_str).map(str::to_string);
            roles.push(RoleSpan { role: label, span, node, key, extra, item });
        } else if label == "BOILERPLATE" {
            let id = RegionId(ids.assign(&mut set, nid.as_deref().and_then(|i| id_number(i, "b"))));
            set.boilerplate.push(Boilerplate { id, span, origin });
        } else {
            let l = ensure_label(&mut set, &label, &item)?;
            let id = EntityId(ids.assign(&mut set, nid.as_deref().and_then(|i| id_number(i, "e"))));
            if let Some(n) = nid {
                entity_ids.insert(n, id);
            }
            set.entities.push(Entity {
                id,
                label: l,
                span,
                origin,
                status: enum_value(&extra, "status", &item, "status", Status::Accepted, parse_status)?,
                confidence: confidence(&extra, "confidence", &item, 1.0)?,
                canonical: None,
                group: None,
            });
        }
    }
    add_attributions(&at, &mut set, &mut ids, roles, &head_of, &entity_ids, Origin::Human, Status::Accepted)?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip_sample() {
        let set = sample();
        let back = import(&export(&set)).unwrap();
        assert_eq!(canon(&back[0]), canon(&set));
        assert_eq!(back[0].entities[0].confidence, 0.875);
        let v = export_value(&set);
        assert_eq!(v["label"][0], json!([0, 16, "PERSON"]));
        assert_eq!(v["relations"][0]["type"], "continues");
    }

    #[test]
    fn doccano_own_exports() {
        let seq = r#"{"id": 7, "text": "EU rejects German call", "label": [[0, 2, "ORG"], [11, 17, "MISC"]]}"#;
        let rel = r#"{"id": 8, "text": "Bo said hi", "entities": [{"id": 1, "label": "CONTENT", "start_offset": 8, "end_offset": 10}, {"id": 2, "label": "SOURCE", "start_offset": 0, "end_offset": 2}], "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "source"}]}"#;
        let sets = import(&format!("{seq}\n\n{rel}\n")).unwrap();
        assert_eq!(sets[0].document.id, "7");
        assert_eq!(sets[0].entities.len(), 2);
        assert_eq!(sets[1].attributions[0].source.as_ref().unwrap().span, Span::new(0, 2));
    }

    #[test]
    fn typed_errors() {
        assert!(matches!(import("{\"text\": \"a\", \"label\": []}\n{"), Err(FormatError::BadLine { line: 2, .. })));
        assert!(matches!(import(r#"{"text": "ab", "label": [[0, 1]]}"#), Err(FormatError::WrongType { .. })));
        assert!(matches!(import(r#"{"text": "ab", "label": [[0, 9, "X"]]}"#), Err(FormatError::OutOfRange { .. })));
        assert!(matches!(import(r#"{"text": "ab"}"#), Err(FormatError::Missing { field: "label", .. })));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let set = random_set(&text, &seeds, true);
            let back = import(&export(&set)).unwrap();
            prop_assert_eq!(canon(&back[0]), canon(&without_rejected(&set)));
        }
    }
}

//! spaCy / Prodigy-style JSONL: one document per line,
//! `{"text", "meta", "tokens", "spans", "relations"}` with code-point offsets.
//!
//! Entities are spans labelled with their label. An attribution's roles are spans labelled
//! `SOURCE`, `CUE` and `CONTENT` (one per content fragment), tied together by an
//! `attribution` id on each and by Prodigy relations from the first content fragment to
//! the others (`SOURCE`, `CUE`, `CONTINUES`), so both spaCy users (`doc.spans`) and Prodigy's
//! relation UI see them. Tokens come from [`tokenize`], cut at every span boundary, so every
//! span has exact `token_start`/`token_end` (inclusive, Prodigy's convention).
//! Review state rides along as extra span keys (`status`, `origin`, `confidence`, `kind`).

use crate::core::model::annotation::{AnnotationSet, Boilerplate, Document, Entity, EntityId, Origin, RegionId, Status};
use crate::core::format::common::*;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub const SOURCE: &str = "SOURCE";
pub const CUE: &str = "CUE";
pub const CONTENT: &str = "CONTENT";
pub const BOILERPLATE: &str = "BOILERPLATE";
/// Relation from a content's first fragment to each further fragment.
pub const CONTINUES: &str = "CONTINUES";

struct Line<'a> {
    text: &'a str,
    map: OffsetMap,
    tokens: Vec<Span>,
}

impl Line<'_> {
    fn span(&self, s: Span, label: &str) -> Map<String, Value> {
        let (a, b) = to_cp(&self.map, s);
        let t0 = token_at(&self.tokens, s.start);
        let t1 = token_at(&self.tokens, s.end.saturating_sub(1)).max(t0);
        let mut m = Map::new();
        m.insert("start".into(), json!(a));
        m.insert("end".into(), json!(b));
        m.insert("text".into(), json!(s.slice(self.text).unwrap_or("")));
        m.insert("label".into(), json!(label));
        m.insert("token_start".into(), json!(t0));
        m.insert("token_end".into(), json!(t1));
        m
    }

    fn relation(&self, head: &Map<String, Value>, child: &Map<String, Value>, label: &str) -> Value {
        let strip = |m: &Map<String, Value>| {
            let mut m = m.clone();
            m.retain(|k, _| matches!(k.as_str(), "start" | "end" | "token_start" | "token_end" | "label"));
            Value::Object(m)
        };
        json!({"head": head["token_start"], "child": child["token_start"], "head_span": strip(head), "child_span": strip(child), "label": label})
    }
}

/// Every byte offset where an annotation starts or ends.
fn cuts(set: &AnnotationSet) -> Vec<usize> {
    let mut c = Vec::new();
    let mut add = |s: Span| c.extend([s.start, s.end]);
    set.entities.iter().for_each(|e| add(e.span));
    for a in &set.attributions {
        a.content.fragments().iter().for_each(|f| add(*f));
        if let Some(s) = &a.source {
            add(s.span);
        }
        if let Some(c) = a.cue {
            add(c);
        }
    }
    set.boilerplate.iter().for_each(|b| add(b.span));
    c
}

/// One document as a JSON object (one JSONL line).
pub fn export_value(set: &AnnotationSet) -> Value {
    let text: &str = &set.document.text;
    let l = Line { text, map: OffsetMap::new(text), tokens: tokenize(text, &cuts(set)) };
    let tokens: Vec<Value> = l
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (a, b) = to_cp(&l.map, *t);
            let ws = text.get(t.end..).and_then(|r| r.chars().next()).is_some_and(char::is_whitespace);
            json!({"text": t.slice(text).unwrap_or(""), "start": a, "end": b, "id": i, "ws": ws})
        })
        .collect();
    let mut spans = Vec::new();
    let mut relations = Vec::new();
    for e in set.entities_in_order() {
        let mut m = l.span(e.span, e.label.as_str());
        m.insert("id".into(), json!(e.id.to_string()));
        m.insert("status".into(), json!(e.status.as_str()));
        m.insert("origin".into(), json!(e.origin.as_str()));
        m.insert("confidence".into(), json!(round_conf(e.confidence)));
        if let Some(c) = &e.canonical {
            m.insert("canonical".into(), json!(c));
        }
        if let Some(g) = e.group {
            m.insert("group".into(), json!(g));
        }
        spans.push(Value::Object(m));
    }
    for a in &set.attributions {
        let frags: Vec<Map<String, Value>> = a
            .content
            .fragments()
            .iter()
            .map(|f| {
                let mut m = l.span(*f, CONTENT);
                m.extend(content_keys(a));
                m
            })
            .collect();
        let head = frags[0].clone();
        for f in frags.iter().skip(1) {
            relations.push(l.relation(&head, f, CONTINUES));
        }
        if let Some(s) = &a.source {
            let mut m = l.span(s.span, SOURCE);
            // spaCy files keep rejected suggestions too, so every linked entity is there.
            m.extend(source_keys(a, s, |_| true));
            relations.push(l.relation(&head, &m, SOURCE));
            spans.push(Value::Object(m));
        }
        if let Some(c) = a.cue {
            let mut m = l.span(c, CUE);
            m.extend(cue_keys(a));
            relations.push(l.relation(&head, &m, CUE));
            spans.push(Value::Object(m));
        }
        spans.extend(frags.into_iter().map(Value::Object));
    }
    for b in &set.boilerplate {
        let mut m = l.span(b.span, BOILERPLATE);
        m.insert("id".into(), json!(b.id.to_string()));
        m.insert("origin".into(), json!(b.origin.as_str()));
        spans.push(Value::Object(m));
    }
    let mut meta = Map::new();
    meta.insert("id".into(), json!(set.document.id));
    if let Some(t) = &set.document.title {
        meta.insert("title".into(), json!(t));
    }
    json!({"text": text, "meta": meta, "tokens": tokens, "spans": spans, "relations": relations})
}

/// One JSONL line (with its newline).
pub fn export(set: &AnnotationSet) -> String {
    jsonl_line(&export_value(set))
}

/// Several documents, one per line.
pub fn export_all<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>) -> String {
    sets.into_iter().map(export).collect()
}

// ---------------------------------------------------------------- import

/// Reads every line; the first bad line fails the import, naming its number.
pub fn import(input: &str) -> Result<Vec<AnnotationSet>, FormatError> {
    import_jsonl(input, import_value)
}

/// One line's object.
pub fn import_value(v: &Value, line: usize) -> Result<AnnotationSet, FormatError> {
    let at = format!("line {line}");
    let root = get_obj(v, &at, "line")?;
    let text = req_str(root, &at, "text")?;
    let meta = root.get("meta").and_then(Value::as_object);
    let id = meta.and_then(|m| m.get("id")).and_then(Value::as_str).map_or_else(|| format!("doc-{line}"), str::to_string);
    let title = meta.and_then(|m| m.get("title")).and_then(Value::as_str).map(str::to_string);
    let mut set = AnnotationSet::new(Document::new(id, title, text));
    let map = OffsetMap::new(text);
    let spans = opt_array(root, &at, "spans")?;
    let relations = opt_array(root, &at, "relations")?;

    let mut ids = Ids::new(
        &mut set,
        spans.iter().map(|s| s.get("id").and_then(Value::as_str).and_then(|i| id_number(i, "e").or(id_number(i, "b"))))
            .chain(spans.iter().map(|s| s.get("attribution").and_then(Value::as_str).and_then(|i| id_number(i, "a")))),
    );

    // Relations name their spans by offsets: child "start-end" → head "start-end", the
    // node names `add_attributions` groups by.
    let node = |a: u64, b: u64| format!("{a}-{b}");
    let mut head_of: HashMap<String, String> = HashMap::new();
    for (i, r) in relations.iter().enumerate() {
        let item = format!("{at} relation {}", i + 1);
        let r = get_obj(r, &item, "relations")?;
        let pos = |k: &'static str| -> Result<String, FormatError> {
            let s = get_obj(req(r, &item, k)?, &item, k)?;
            Ok(node(req_u64(s, &item, "start")?, req_u64(s, &item, "end")?))
        };
        let (child, head) = (pos("child_span")?, pos("head_span")?);
        if child != head {
            head_of.insert(child, head);
        }
    }

    let mut roles: Vec<RoleSpan> = Vec::new();
    let mut entity_ids: HashMap<String, EntityId> = HashMap::new();
    for (i, s) in spans.iter().enumerate() {
        let item = format!("{at} span {}", i + 1);
        let o = get_obj(s, &item, "spans")?;
        let (a, b) = (req_u64(o, &item, "start")?, req_u64(o, &item, "end")?);
        let span = span_from_cp(&map, a, b, &item)?;
        check_text(text, span, opt_str(o, &item, "text")?, &item)?;
        let label = req_str(o, &item, "label")?;
        let origin = enum_value(o, "origin", &item, "origin", Origin::Human, Origin::parse)?;
        if ROLE_LABELS.contains(&label) {
            let key = opt_str(o, &item, "attribution")?.map(str::to_string);
            roles.push(RoleSpan { role: label.into(), span, node: node(a, b), key, extra: o.clone(), item });
        } else if label == BOILERPLATE {
            let id = RegionId(ids.assign(&mut set, o.get("id").and_then(Value::as_str).and_then(|i| id_number(i, "b"))));
            set.boilerplate.push(Boilerplate { id, span, origin });
        } else {
            let l = ensure_label(&mut set, label, &item)?;
            let file_id = o.get("id").and_then(Value::as_str);
            let id = EntityId(ids.assign(&mut set, file_id.and_then(|i| id_number(i, "e"))));
            if let Some(f) = file_id {
                entity_ids.insert(f.to_string(), id);
            }
            set.entities.push(Entity {
                id,
                label: l,
                span,
                origin,
                status: enum_value(o, "status", &item, "status", Status::Accepted, parse_status)?,
                confidence: confidence(o, "confidence", &item, 1.0)?,
                canonical: opt_str(o, &item, "canonical")?.map(str::to_string),
                group: o.get("group").and_then(Value::as_u64).and_then(|g| u32::try_from(g).ok()),
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

    type Check = fn(&FormatError) -> bool;

    #[test]
    fn round_trip_sample() {
        let set = sample();
        let out = export(&set);
        assert_eq!(out.lines().count(), 1);
        let back = import(&out).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].entities, set.entities);
        assert_eq!(back[0].attributions, set.attributions);
        assert_eq!(back[0].boilerplate, set.boilerplate);
        assert_eq!(back[0].document, set.document);
    }

    #[test]
    fn tokens_cover_every_span() {
        let v = export_value(&sample());
        let tokens = v["tokens"].as_array().unwrap();
        for s in v["spans"].as_array().unwrap() {
            let (ts, te) = (s["token_start"].as_u64().unwrap() as usize, s["token_end"].as_u64().unwrap() as usize);
            assert_eq!(tokens[ts]["start"], s["start"], "{s}");
            assert_eq!(tokens[te]["end"], s["end"], "{s}");
        }
        let rels = v["relations"].as_array().unwrap();
        let labels: Vec<&str> = rels.iter().map(|r| r["label"].as_str().unwrap()).collect();
        assert_eq!(labels, [CONTINUES, SOURCE, CUE]);
    }

    #[test]
    fn prodigy_relations_without_ids() {
        // Another tool's line: roles tied only by relations.
        let line = r#"{"text":"Bo said hi","spans":[{"start":0,"end":2,"label":"SOURCE"},{"start":3,"end":7,"label":"CUE"},{"start":8,"end":10,"label":"CONTENT"}],
            "relations":[{"head":2,"child":0,"head_span":{"start":8,"end":10},"child_span":{"start":0,"end":2},"label":"SOURCE"},
                         {"head":2,"child":1,"head_span":{"start":8,"end":10},"child_span":{"start":3,"end":7},"label":"CUE"}]}"#;
        let sets = import(&line.replace('\n', " ")).unwrap();
        let a = &sets[0].attributions[0];
        assert_eq!(a.source.as_ref().unwrap().span, Span::new(0, 2));
        assert_eq!(a.cue, Some(Span::new(3, 7)));
        assert_eq!(sets[0].document.id, "doc-1");
    }

    #[test]
    fn typed_errors_name_the_line() {
        let cases: [(&str, Check); 5] = [
            ("{\"text\":\"ab\"}\nnot json", |e| matches!(e, FormatError::BadLine { line: 2, .. })),
            ("{\"spans\":[]}", |e| matches!(e, FormatError::Missing { field: "text", .. })),
            (r#"{"text":"ab","spans":[{"start":0,"end":5,"label":"X"}]}"#, |e| matches!(e, FormatError::OutOfRange { .. })),
            (r#"{"text":"ab","spans":[{"start":0,"end":1,"label":"X","text":"b"}]}"#, |e| matches!(e, FormatError::TextMismatch { .. })),
            (r#"{"text":"ab","spans":[{"start":0,"end":1,"label":"CUE"}]}"#, |e| matches!(e, FormatError::Dangling { .. })),
        ];
        for (input, check) in cases {
            let err = import(input).unwrap_err();
            assert!(check(&err), "{input}: {err:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let set = random_set(&text, &seeds, true);
            let back = import(&export(&set)).unwrap();
            prop_assert_eq!(canon(&back[0]), canon(&set));
            prop_assert_eq!(&back[0].document.text, &set.document.text);
        }
    }
}

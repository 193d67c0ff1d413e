//! Label Studio tasks JSON with predictions, to hand pre-annotations to a Label Studio team.
//!
//! The file is a list of tasks `{"data": {"text", "newsmark"}, "predictions": [{"model_version",
//! "score", "result"}]}`. Each entity, role span and boilerplate region is a `labels`
//! region (`value.start`/`end` in code points, as Label Studio stores them, with
//! `value.text`); an attribution's roles are `SOURCE`/`CUE`/`CONTENT` regions with ids
//! `a2-source`, `a2-cue`, `a2-content-1…` tied by `relation` results (`source`, `cue`,
//! `continues`) from the first content region. Review state that Label Studio has no
//! place for (status, origin, kind) is kept in `data.newsmark.review`. Rejected
//! suggestions are not handed over. [`label_config`] gives the matching labelling config.
//!
//! Import reads our files and Label Studio's own exports: the latest annotation of a task
//! when it has one (human, accepted), else its first prediction (auto, suggested).
//! Results that are not text spans (choices, ratings, text areas) are not annotations
//! of ours and are skipped.

use crate::core::model::annotation::{AnnotationSet, Boilerplate, Document, Entity, EntityId, Origin, RegionId, Status};
use crate::core::format::common::*;
use crate::core::model::label::LabelSchema;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt::Write;

pub const MODEL_VERSION: &str = "newsmark";

/// `s` escaped for a double-quoted XML attribute value.
fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute-value normalisation would turn these into spaces.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// The labelling config (XML) that shows these tasks: the schema's labels, the role and
/// boilerplate labels, and the relation labels. Names and colours are checked at import,
/// and escaped here anyway (a schema built in code is not checked).
pub fn label_config(schema: &LabelSchema) -> String {
    let mut s = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for d in &schema.labels {
        let _ = writeln!(s, "    <Label value=\"{}\" background=\"{}\"/>", xml_attr(d.label.as_str()), xml_attr(&d.colour));
    }
    for (l, c) in [("SOURCE", "#b9fbc0"), ("CUE", "#fbf8cc"), ("CONTENT", "#cfbaf0"), ("BOILERPLATE", "#dddddd")] {
        let _ = writeln!(s, "    <Label value=\"{l}\" background=\"{c}\"/>");
    }
    s.push_str("  </Labels>\n  <Relations>\n");
    for r in ["source", "cue", "continues"] {
        let _ = writeln!(s, "    <Relation value=\"{r}\"/>");
    }
    s.push_str("  </Relations>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    s
}

/// One task.
pub fn export_task(set: &AnnotationSet) -> Value {
    let text: &str = &set.document.text;
    let map = OffsetMap::new(text);
    let mut result = Vec::new();
    let mut review = Map::new();
    let region = |id: String, span: Span, label: &str, score: Option<f64>| {
        let (a, b) = to_cp(&map, span);
        let mut m = json!({
            "id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": a, "end": b, "text": span.slice(text).unwrap_or(""), "labels": [label]},
        });
        if let Some(s) = score {
            m["score"] = json!(s);
        }
        m
    };
    let relation = |from: &str, to: &str, label: &str| {
        json!({"type": "relation", "from_id": from, "to_id": to, "direction": "right", "labels": [label]})
    };
    let mut scores = Vec::new();
    for e in set.entities_in_order().into_iter().filter(|e| e.status != Status::Rejected) {
        let id = e.id.to_string();
        result.push(region(id.clone(), e.span, e.label.as_str(), Some(round_conf(e.confidence))));
        scores.push(e.confidence);
        let mut r = json!({"status": e.status.as_str(), "origin": e.origin.as_str()});
        if let Some(c) = &e.canonical {
            r["canonical"] = json!(c);
        }
        if let Some(g) = e.group {
            r["group"] = json!(g);
        }
        review.insert(id, r);
    }
    for a in set.attributions.iter().filter(|a| a.status != Status::Rejected) {
        let base = a.id.to_string();
        let head = format!("{base}-content-1");
        for (i, f) in a.content.fragments().iter().enumerate() {
            let id = format!("{base}-content-{}", i + 1);
            result.push(region(id.clone(), *f, "CONTENT", Some(round_conf(a.confidence))));
            if i > 0 {
                result.push(relation(&head, &id, "continues"));
            }
        }
        scores.push(a.confidence);
        let mut r = Map::new();
        r.insert("status".into(), json!(a.status.as_str()));
        r.insert("origin".into(), json!(a.origin.as_str()));
        r.insert("kind".into(), json!(a.kind.as_str()));
        if let Some(s) = &a.source {
            let id = format!("{base}-source");
            result.push(region(id.clone(), s.span, "SOURCE", None));
            result.push(relation(&head, &id, "source"));
            if let Some(e) = s.entity.filter(|e| set.entity(*e).is_some_and(|e| e.status != Status::Rejected)) {
                r.insert("entity".into(), json!(e.to_string()));
            }
            if let Some(t) = &s.entity_text {
                r.insert("entity_text".into(), json!(t));
            }
        }
        if let Some(c) = a.cue {
            let id = format!("{base}-cue");
            result.push(region(id.clone(), c, "CUE", None));
            result.push(relation(&head, &id, "cue"));
        }
        review.insert(base, Value::Object(r));
    }
    for b in &set.boilerplate {
        let id = b.id.to_string();
        result.push(region(id.clone(), b.span, "BOILERPLATE", None));
        review.insert(id, json!({"origin": b.origin.as_str()}));
    }
    let score = if scores.is_empty() { 1.0 } else { scores.iter().map(|s| *s as f64).sum::<f64>() / scores.len() as f64 };
    let mut nm = Map::new();
    nm.insert("id".into(), json!(set.document.id));
    if let Some(t) = &set.document.title {
        nm.insert("title".into(), json!(t));
    }
    nm.insert("review".into(), Value::Object(review));
    json!({
        "data": {"text": text, "newsmark": nm},
        "predictions": [{"model_version": MODEL_VERSION, "score": (score * 1000.0).round() / 1000.0, "result": result}],
    })
}

/// Several documents as one tasks file, pretty-printed.
pub fn export<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>) -> String {
    let tasks: Vec<Value> = sets.into_iter().map(export_task).collect();
    let mut s = serde_json::to_string_pretty(&tasks).expect("a JSON value always serialises");
    s.push('\n');
    s
}

/// Reads a tasks file: a list of tasks, or one task.
pub fn import(input: &str) -> Result<Vec<AnnotationSet>, FormatError> {
    let root = parse_json(input)?;
    let tasks: Vec<&Value> = match &root {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    tasks.iter().enumerate().map(|(i, t)| import_task(t, i + 1)).collect()
}

fn import_task(t: &Value, n: usize) -> Result<AnnotationSet, FormatError> {
    let at = format!("task {n}");
    let task = get_obj(t, &at, "task")?;
    let data = get_obj(req(task, &at, "data")?, &at, "data")?;
    let text = req_str(data, &at, "text")?;
    let nm = data.get("newsmark").and_then(Value::as_object);
    let id = nm.and_then(|m| m.get("id")).and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| match task.get("id") {
        Some(Value::Number(x)) => x.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => format!("task-{n}"),
    });
    let title = nm.and_then(|m| m.get("title")).and_then(Value::as_str).map(str::to_string);
    let empty = Map::new();
    let review = nm.and_then(|m| m.get("review")).and_then(Value::as_object).unwrap_or(&empty);
    let mut set = AnnotationSet::new(Document::new(id, title, text));
    let map = OffsetMap::new(text);

    // The latest annotation that was not cancelled, else the first prediction.
    let annotations = opt_array(task, &at, "annotations")?;
    let human = annotations.iter().rev().find(|a| a.get("was_cancelled").and_then(Value::as_bool) != Some(true));
    let (result, origin, status) = match human {
        Some(a) => (a.get("result"), Origin::Human, Status::Accepted),
        None => (
            opt_array(task, &at, "predictions")?.first().and_then(|p| p.get("result")),
            Origin::Auto,
            Status::Suggested,
        ),
    };
    let result: &[Value] = match result {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(_) => return Err(FormatError::WrongType { item: at, field: "result", expected: "an array" }),
    };

    let mut head_of: HashMap<String, String> = HashMap::new();
    let mut regions = Vec::new();
    for (i, r) in result.iter().enumerate() {
        let item = format!("{at} result {}", i + 1);
        let o = get_obj(r, &item, "result")?;
        match o.get("type").and_then(Value::as_str) {
            Some("relation") => {
                let from = req_str(o, &item, "from_id")?;
                let to = req_str(o, &item, "to_id")?;
                head_of.insert(to.to_string(), from.to_string());
            }
            Some("labels") => regions.push((item, o)),
            _ => {}
        }
    }
    let wanted = |rid: &str| id_number(rid, "e").or(id_number(rid, "b")).or(rid.split('-').next().and_then(|a| id_number(a, "a")));
    let mut ids = Ids::new(&mut set, regions.iter().map(|(_, o)| o.get("id").and_then(Value::as_str).and_then(wanted)));
    let mut roles = Vec::new();
    let mut entity_ids: HashMap<String, EntityId> = HashMap::new();
    for (item, o) in regions {
        let rid = o.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        let value = get_obj(req(o, &item, "value")?, &item, "value")?;
        let span = span_from_cp(&map, req_u64(value, &item, "start")?, req_u64(value, &item, "end")?, &item)?;
        check_text(text, span, opt_str(value, &item, "text")?, &item)?;
        let labels = opt_array(value, &item, "labels")?;
        let label = labels.first().and_then(Value::as_str).ok_or(FormatError::Missing { item: item.clone(), field: "labels" })?;
        let conf = o.get("score").and_then(Value::as_f64).filter(|s| (0.0..=1.0).contains(s)).map_or(1.0, |s| s as f32);
        if ROLE_LABELS.contains(&label) {
            let base = rid.split('-').next().unwrap_or("");
            let key = review.contains_key(base).then(|| base.to_string());
            let mut extra = review.get(base).and_then(Value::as_object).cloned().unwrap_or_default();
            extra.entry("origin").or_insert(json!(origin.as_str()));
            extra.entry("status").or_insert(json!(status.as_str()));
            extra.insert("confidence".into(), json!(conf));
            if label != "SOURCE" {
                extra.remove("entity");
            }
            roles.push(RoleSpan { role: label.into(), span, node: rid, key, extra, item });
            continue;
        }
        let r = review.get(&rid).and_then(Value::as_object).unwrap_or(&empty);
        let origin = enum_value(r, "origin", &item, "origin", origin, Origin::parse)?;
        if label == "BOILERPLATE" {
            let id = RegionId(ids.assign(&mut set, id_number(&rid, "b")));
            set.boilerplate.push(Boilerplate { id, span, origin });
            continue;
        }
        let l = ensure_label(&mut set, label, &item)?;
        let id = EntityId(ids.assign(&mut set, id_number(&rid, "e")));
        entity_ids.insert(rid.clone(), id);
        set.entities.push(Entity {
            id,
            label: l,
            span,
            origin,
            status: enum_value(r, "status", &item, "status", status, parse_status)?,
            confidence: conf,
            canonical: opt_str(r, &item, "canonical")?.map(str::to_string),
            group: r.get("group").and_then(Value::as_u64).and_then(|g| u32::try_from(g).ok()),
        });
    }
    add_attributions(&at, &mut set, &mut ids, roles, &head_of, &entity_ids, origin, status)?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::*;
    use crate::core::model::label::{Label, LabelDef};
    use proptest::prelude::*;

    /// Issue 12, item 7: a colour like `#fff"/><X/>` was written verbatim into the XML.
    #[test]
    fn label_config_escapes_attributes() {
        let schema = LabelSchema {
            labels: vec![LabelDef { label: Label::Person, colour: "#fff\"/><X a='1'/>&\n".into(), key: None }],
        };
        let xml = label_config(&schema);
        assert!(xml.contains(r##"<Label value="PERSON" background="#fff&quot;/&gt;&lt;X a=&apos;1&apos;/&gt;&amp;&#10;"/>"##), "{xml}");
        assert!(!xml.contains("<X"));
        // And the import refuses such a colour in the first place.
        let probe = AnnotationSet::new(crate::core::model::annotation::Document::new("d", None, "x"));
        assert!(probe.apply(&crate::core::model::annotation::Edit::SetSchema { schema }).is_err());
    }

    #[test]
    fn round_trip_sample() {
        let set = sample();
        let out = export([&set]);
        let back = import(&out).unwrap();
        assert_eq!(back[0].entities, set.entities);
        assert_eq!(canon(&back[0]), canon(&set));
        assert_eq!(back[0].document, set.document);
        let cfg = label_config(&set.schema);
        assert!(cfg.contains("<Label value=\"PERSON\"") && cfg.contains("<Relation value=\"source\"/>"));
    }

    #[test]
    fn label_studio_own_export() {
        // An exported task with a human annotation and a cancelled one.
        let t = r#"[{"id": 12, "data": {"text": "😀 Bo said hi"},
            "annotations": [{"result": [{"id": "x1", "type": "labels", "value": {"start": 2, "end": 4, "text": "Bo", "labels": ["PER"]}},
                                        {"id": "c1", "type": "choices", "value": {"choices": ["news"]}}]},
                            {"was_cancelled": true, "result": []}],
            "predictions": [{"result": [{"id": "p", "type": "labels", "value": {"start": 0, "end": 1, "labels": ["X"]}}]}]}]"#;
        let sets = import(t).unwrap();
        assert_eq!(sets[0].document.id, "12");
        assert_eq!(sets[0].entities.len(), 1);
        assert_eq!(sets[0].entities[0].span.slice(&sets[0].document.text), Some("Bo"));
        assert_eq!((sets[0].entities[0].origin, sets[0].entities[0].status), (Origin::Human, Status::Accepted));
    }

    #[test]
    fn typed_errors() {
        type Check = fn(&FormatError) -> bool;
        let cases: [(&str, Check); 4] = [
            ("[{}]", |e| matches!(e, FormatError::Missing { field: "data", .. })),
            (r#"[{"data": {"text": "ab"}, "predictions": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1, "text": "b", "labels": ["X"]}}]}]}]"#,
             |e| matches!(e, FormatError::TextMismatch { .. })),
            (r#"[{"data": {"text": "ab"}, "predictions": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1}}]}]}]"#,
             |e| matches!(e, FormatError::Missing { field: "labels", .. })),
            (r#"[{"data": {"text": "ab"}, "predictions": [{"result": 3}]}]"#, |e| matches!(e, FormatError::WrongType { .. })),
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
            let back = import(&export([&set])).unwrap();
            prop_assert_eq!(canon(&back[0]), canon(&without_rejected(&set)));
        }
    }
}

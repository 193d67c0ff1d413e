//! The `newsmark.annotations` v1 format end to end: exports validate against the shipped
//! JSON Schema, export → import is the identity on hostile texts, and every malformed file
//! gets a typed error whose message names the problem.
// Host only: jsonschema and the schema file are not available in the browser build.
#![cfg(not(target_arch = "wasm32"))]

use newsmark::core::format::json::{export, export_value, import, ImportError};
use newsmark::core::{AnnotationSet, Document, Edit, Extent, Kind, Label, Span, Status, Target};
use proptest::prelude::*;
use serde_json::Value;

fn schema_validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/newsmark.annotations.v1.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the shipped schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "export does not match the schema: {errors:#?}");
}

/// Checks the format's core promise with code-point slicing, as Python does.
fn assert_texts_match_slices(v: &Value) {
    let text: Vec<char> = v["document"]["text"].as_str().unwrap().chars().collect();
    let slice = |o: &Value| -> String {
        let (s, e) = (o["start"].as_u64().unwrap() as usize, o["end"].as_u64().unwrap() as usize);
        text[s..e].iter().collect()
    };
    let mut spans: Vec<&Value> = v["entities"].as_array().unwrap().iter().collect();
    for a in v["attributions"].as_array().unwrap() {
        for role in ["source", "cue", "content"] {
            if !a[role].is_null() {
                spans.push(&a[role]);
                spans.extend(a[role]["fragments"].as_array().into_iter().flatten());
            }
        }
    }
    spans.extend(v["boilerplate"].as_array().unwrap());
    for s in spans {
        assert_eq!(s["text"].as_str().unwrap(), slice(s), "span {s}");
    }
}

/// A set with one of everything over `text`, using the given char-boundary offsets.
fn rich_set(text: &str, cuts: &[usize]) -> AnnotationSet {
    let mut set = AnnotationSet::new(Document::new("doc-1", Some("Title ✓".into()), text));
    let mut bounds: Vec<usize> = cuts.to_vec();
    bounds.sort();
    bounds.dedup();
    let spans: Vec<Span> = bounds.windows(2).map(|w| Span::new(w[0], w[1])).filter(|s| !s.is_empty()).collect();
    for (i, s) in spans.iter().enumerate() {
        let label = Label::BUILTIN[i % 7].clone();
        set = set.apply(&Edit::AddEntity { label, span: *s }).unwrap();
    }
    if spans.len() >= 4 {
        let content = Extent::from_fragments(vec![spans[1], spans[3]]).unwrap();
        set = set
            .apply(&Edit::AddAttribution { kind: Kind::Mixed, source: Some(spans[0]), cue: Some(spans[2]), content })
            .unwrap();
        let (a, e) = (set.attributions[0].id, set.entities[0].id);
        set = set.apply(&Edit::LinkSource { id: a, entity: Some(e) }).unwrap();
        set = set.apply(&Edit::Reject { target: Target::Entity(set.entities[1].id) }).unwrap();
        set = set.apply(&Edit::AddBoilerplate { span: spans[spans.len() - 1] }).unwrap();
    }
    set
}

#[test]
fn sample_export_validates_and_round_trips() {
    let text = "White House spokeswoman Caroline Leavitt said “yes”, she said.\r\nشكرا 😀 中文";
    let set = rich_set(text, &[0, 11, 24, 40, 46, 55, 57, 60]);
    let out = export(&set);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&schema_validator(), &v);
    assert_texts_match_slices(&v);
    let back = import(&out).unwrap();
    assert_eq!(back, set, "import(export(set)) == set");
    assert_eq!(back.entities[1].status, Status::Rejected);
}

/// A curated version (adjudicated from two annotators) matches the schema, every item
/// `origin: curated`, and reads back the same, its `curation` included.
#[test]
fn curated_export_validates_and_round_trips() {
    use newsmark::core::compare::adjudicate::{Adjudication, Decision};
    let text = "White House spokeswoman Caroline Leavitt said “yes”, she said.\r\nشكرا 😀 中文";
    let a = rich_set(text, &[0, 11, 24, 40, 46, 55, 57, 60]);
    let b = rich_set(text, &[0, 24, 40, 46, 57, 60]);
    let adj = Adjudication::new(&[("Ana".into(), a), ("Bo".into(), b)]).unwrap();
    let decisions: Vec<Option<Decision>> =
        adj.disagreements.iter().enumerate().map(|(i, _)| (i % 2 == 0).then_some(Decision::TakeAll)).collect();
    let curated = adj.curate(&decisions).unwrap();
    let out = export(&curated);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&schema_validator(), &v);
    assert_texts_match_slices(&v);
    assert_eq!(v["curation"]["annotators"], serde_json::json!(["Ana", "Bo"]));
    assert!(v["entities"].as_array().unwrap().iter().all(|e| e["origin"] == "curated"));
    assert_eq!(import(&out).unwrap(), curated);
}

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => Just(' '),
        1 => prop::sample::select(vec![
            '😀', '👍', '\u{1F3FD}', '\u{301}', '\u{308}', '中', '文', 'א', 'ب', '\u{200F}', '\r', '\n', '\0', '“', '”',
            '"', '\\', '\u{feff}', '\u{10FFFF}',
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn export_import_is_identity(chars in prop::collection::vec(hostile_char(), 0..60),
                                 picks in prop::collection::vec(0usize..1000, 0..12)) {
        let text: String = chars.into_iter().collect();
        let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let cuts: Vec<usize> = picks.iter().map(|p| bounds[p % bounds.len()]).collect();
        let set = rich_set(&text, &cuts);
        let out = export(&set);
        let back = import(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &set);
        prop_assert_eq!(export(&back), out);
        assert_texts_match_slices(&export_value(&set));
    }
}

#[test]
fn exports_of_random_sets_validate() {
    let v = schema_validator();
    let texts = ["", "a", "😀 e\u{301} 中文 שלום\r\n\0x", "Putin said “no,” he said, “never.”"];
    for t in texts {
        let bounds: Vec<usize> = t.char_indices().map(|(b, _)| b).chain([t.len()]).collect();
        let set = rich_set(t, &bounds);
        assert_valid(&v, &export_value(&set));
    }
}

/// A valid file to break in the table below.
fn base() -> Value {
    serde_json::json!({
        "format": "newsmark.annotations", "version": 1,
        "document": {"id": "d", "text": "Leavitt said “go” 😀."},
        "entities": [{"id": "e1", "label": "PERSON", "start": 0, "end": 7, "text": "Leavitt"}],
        "attributions": [{"id": "a1", "kind": "direct",
            "source": {"start": 0, "end": 7, "text": "Leavitt", "entity": "e1"},
            "cue": {"start": 8, "end": 12, "text": "said"},
            "content": {"start": 13, "end": 17, "text": "“go”"}}],
        "boilerplate": []
    })
}

#[test]
fn malformed_files_get_clear_errors() {
    type Break = fn(&mut Value);
    let cases: Vec<(&str, Option<&str>, Break, &str)> = vec![
        ("empty file", Some(""), |_| {}, "the file is empty"),
        ("whitespace only", Some("  \n"), |_| {}, "the file is empty"),
        ("not JSON", Some("{\"format\": "), |_| {}, "not valid JSON at line 1"),
        ("JSON array", Some("[1, 2]"), |_| {}, "not an object"),
        ("wrong format", None, |v| v["format"] = "brat".into(), "wrong format \"brat\""),
        ("wrong version", None, |v| v["version"] = 2.into(), "unsupported version 2"),
        ("no document", None, |v| { v.as_object_mut().unwrap().remove("document"); }, "missing field \"document\""),
        ("text not a string", None, |v| v["document"]["text"] = 5.into(), "\"text\" must be a string"),
        ("end past text", None, |v| v["entities"][0]["end"] = 99.into(), "entity e1: offsets 0..99 are outside the text (20 characters)"),
        ("reversed", None, |v| { v["entities"][0]["start"] = 7.into(); v["entities"][0]["end"] = 2.into(); }, "entity e1: offsets 7..2 are reversed"),
        ("negative", None, |v| v["entities"][0]["start"] = (-1).into(), "entity e1: \"start\" must be a non-negative integer"),
        ("text mismatch", None, |v| v["entities"][0]["text"] = "Leavit".into(), "entity e1: \"text\" is \"Leavit\" but the document has \"Leavitt\""),
        ("unknown label", None, |v| v["entities"][0]["label"] = "MISC".into(), "entity e1: unknown label \"MISC\""),
        ("bad status", None, |v| v["entities"][0]["status"] = "maybe".into(), "entity e1: \"status\" has an unknown value \"maybe\""),
        ("duplicate id", None, |v| v["attributions"][0]["id"] = "e1".into(), "id \"e1\" is used twice"),
        ("dangling entity", None, |v| v["attributions"][0]["source"]["entity"] = "e9".into(), "attribution a1 source: refers to entity \"e9\""),
        ("bad kind", None, |v| v["attributions"][0]["kind"] = "quoted".into(), "attribution a1: \"kind\" has an unknown value \"quoted\""),
        ("no content", None, |v| { v["attributions"][0].as_object_mut().unwrap().remove("content"); }, "attribution a1: missing field \"content\""),
        ("cue mismatch after emoji", None, |v| { v["attributions"][0]["cue"] = serde_json::json!({"start": 18, "end": 19, "text": "."}); }, "attribution a1 cue: \"text\" is \".\" but the document has \"😀\""),
        ("fragments overlap", None, |v| { v["attributions"][0]["content"] = serde_json::json!({"start": 0, "end": 12, "fragments": [{"start": 0, "end": 8}, {"start": 7, "end": 12}]}); }, "attribution a1 content: bad fragments: fragment 1 overlaps"),
        ("fragment outside hull", None, |v| { v["attributions"][0]["content"] = serde_json::json!({"start": 0, "end": 12, "fragments": [{"start": 0, "end": 4}, {"start": 8, "end": 14}]}); }, "lies outside start..end"),
        ("hull wider than fragments", None, |v| { v["attributions"][0]["content"] = serde_json::json!({"start": 0, "end": 17, "fragments": [{"start": 0, "end": 4}, {"start": 8, "end": 12}]}); }, "must run from the first fragment's start"),
        ("discontinuous entity", None, |v| { v["entities"][0]["fragments"] = serde_json::json!([{"start": 0, "end": 3}]); }, "entities cannot be discontinuous"),
        ("confidence out of range", None, |v| v["entities"][0]["confidence"] = 1.5.into(), "\"confidence\" must be a number from 0 to 1"),
        ("schema duplicate key", None, |v| v["schema"] = serde_json::json!({"labels": [{"name": "PERSON", "key": "1"}, {"name": "ORG", "key": "1"}]}), "schema: the schema has key '1' twice"),
        ("colour breaking out of XML", None, |v| v["schema"] = serde_json::json!({"labels": [{"name": "PERSON", "colour": "#fff\"/><X/>"}]}), "label PERSON: colour \"#fff\\\"/><X/>\" is not a hex colour"),
        ("colour as CSS", None, |v| v["schema"] = serde_json::json!({"labels": [{"name": "PERSON", "colour": "red;background:url(x)"}]}), "is not a hex colour"),
        ("colour not a string", None, |v| v["schema"] = serde_json::json!({"labels": [{"name": "PERSON", "colour": 7}]}), "colour 7 is not a hex colour"),
        ("entities not array", None, |v| v["entities"] = serde_json::json!({}), "file: \"entities\" must be an array"),
    ];
    for (name, raw, brk, want) in cases {
        let input = raw.map(str::to_string).unwrap_or_else(|| {
            let mut v = base();
            brk(&mut v);
            v.to_string()
        });
        match import(&input) {
            Ok(_) => panic!("{name}: imported a malformed file"),
            Err(e) => assert!(e.to_string().contains(want), "{name}: message {:?} lacks {want:?}", e.to_string()),
        }
    }
    // The unbroken base imports, and keeps its ids and links.
    let set = import(&base().to_string()).unwrap();
    assert_eq!(set.attributions[0].source.as_ref().unwrap().entity, Some(set.entities[0].id));
}

#[test]
fn foreign_ids_get_fresh_numbers_without_collisions() {
    let mut v = base();
    v["entities"] = serde_json::json!([
        {"id": "T7", "label": "PERSON", "start": 0, "end": 7},
        {"id": "e3", "label": "ORG", "start": 8, "end": 12}
    ]);
    v["attributions"][0]["source"]["entity"] = "T7".into();
    let set = import(&v.to_string()).unwrap();
    let ids: Vec<u32> = set.entities.iter().map(|e| e.id.0).collect();
    assert_eq!(ids[1], 3, "ids that look like ours are kept");
    assert!(ids[0] > 3, "others get fresh numbers above the kept ones");
    assert_eq!(set.attributions[0].source.as_ref().unwrap().entity, Some(set.entities[0].id));
}

/// Issue 12, item 3: `"id": "e4294967295"` next to an entity without an id exported two
/// entities with one id.
#[test]
fn huge_ids_are_renumbered_and_ids_stay_unique() {
    let mut v = base();
    v["entities"] = serde_json::json!([
        {"id": "e4294967295", "label": "PERSON", "start": 0, "end": 7},
        {"label": "ORG", "start": 8, "end": 12}
    ]);
    v["attributions"][0]["source"]["entity"] = "e4294967295".into();
    let set = import(&v.to_string()).unwrap();
    let ids: Vec<u32> = set.entities.iter().map(|e| e.id.0).collect();
    assert_ne!(ids[0], ids[1], "{ids:?}");
    assert!(ids.iter().all(|&i| i <= newsmark::core::model::annotation::MAX_KEPT_ID), "{ids:?}");
    assert_eq!(set.attributions[0].source.as_ref().unwrap().entity, Some(set.entities[0].id), "links follow the renumbering");
    let out: Value = serde_json::from_str(&export(&set)).unwrap();
    let exported: std::collections::HashSet<&str> = out["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(exported.len(), 2);
}

/// Too large files and articles are refused naming the limit, before parsing.
#[test]
fn size_limits_are_named() {
    use newsmark::core::model::limits::{Limit, MAX_ARTICLE_BYTES, MAX_FILE_BYTES};
    let mut v = base();
    v["document"]["text"] = "a".repeat(MAX_ARTICLE_BYTES + 1).into();
    v["entities"] = serde_json::json!([]);
    v["attributions"] = serde_json::json!([]);
    match import(&v.to_string()) {
        Err(newsmark::core::format::json::ImportError::TooLarge(e)) => {
            assert_eq!(e.limit, Limit::ArticleBytes);
            assert!(e.to_string().contains("text per article"));
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    let padded = format!("{}{}", " ".repeat(MAX_FILE_BYTES), base());
    assert!(matches!(import(&padded), Err(newsmark::core::format::json::ImportError::TooLarge(e)) if e.limit == Limit::FileBytes));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Any ids (ours, foreign, huge, repeated numbers under different prefixes, missing)
    /// import to unique ids, across entities, attributions and boilerplate.
    #[test]
    fn any_import_has_unique_ids(ids in proptest::collection::vec(
        proptest::option::of(proptest::prop_oneof![
            (proptest::prelude::any::<u32>(), 0..4usize).prop_map(|(n, p)| format!("{}{n}", ["e", "a", "b", "T"][p])),
            (0u32..5, 0..3usize).prop_map(|(n, p)| format!("{}{n}", ["e", "a", "b"][p])),
            proptest::prelude::Just("e4294967295".to_string()),
            proptest::prelude::Just("e100000000".to_string()),
            "[a-z0-9]{0,6}",
        ]), 1..12)) {
        let mut v = base();
        v["entities"] = serde_json::json!([]);
        v["attributions"] = serde_json::json!([]);
        let mut seen = std::collections::HashSet::new();
        for (i, id) in ids.iter().enumerate() {
            // Repeated file ids are an error of their own; keep them distinct here.
            let id = id.clone().filter(|id| seen.insert(id.clone()));
            let mut item = match i % 3 {
                0 => serde_json::json!({"label": "PERSON", "start": 0, "end": 7}),
                1 => serde_json::json!({"kind": "direct", "content": {"start": 0, "end": 7}}),
                _ => serde_json::json!({"start": 0, "end": 7}),
            };
            if let Some(id) = id {
                item["id"] = id.into();
            }
            let list = ["entities", "attributions", "boilerplate"][i % 3];
            if v[list].is_null() {
                v[list] = serde_json::json!([]);
            }
            v[list].as_array_mut().unwrap().push(item);
        }
        let set = import(&v.to_string()).unwrap();
        let mut numbers = std::collections::HashSet::new();
        let all: Vec<u32> = set.entities.iter().map(|e| e.id.0)
            .chain(set.attributions.iter().map(|a| a.id.0))
            .chain(set.boilerplate.iter().map(|b| b.id.0))
            .collect();
        for n in &all {
            prop_assert!(numbers.insert(*n), "id number {} twice in {:?}", n, all);
        }
        // And the export re-imports with the same ids.
        let back = import(&export(&set)).unwrap();
        let sorted = |s: &AnnotationSet| { let mut v: Vec<u32> = s.entities.iter().map(|e| e.id.0).collect(); v.sort(); v };
        prop_assert_eq!(sorted(&back), sorted(&set));
    }
}

#[test]
fn import_never_panics_on_garbage() {
    let v = base().to_string();
    // Every prefix of a valid file, and a few byte-level corruptions.
    for cut in 0..v.len() {
        if let Some(p) = v.get(..cut) {
            let _: Result<AnnotationSet, ImportError> = import(p);
        }
    }
    for bad in ["null", "0", "\"x\"", "{}", "{\"format\":\"newsmark.annotations\",\"version\":1,\"document\":{\"text\":\"\"},\"entities\":[null]}"] {
        assert!(import(bad).is_err(), "{bad}");
    }
}

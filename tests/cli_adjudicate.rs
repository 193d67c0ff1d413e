//! `newsmark adjudicate` as a user runs it: the numbered list of disagreements, the curated
//! file written from a decisions file (origin curated, the chosen versions), and clear
//! errors (exit 2, nothing written) for bad decisions, different texts and an output that
//! is an input.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

const HANDMADE: &str = "tests/interop/fixtures/handmade.json";

fn newsmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsmark")).args(args).output().expect("newsmark runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Annotator B: A's first live entity that no source links dropped, the next one relabelled.
/// Returns A, B, B's path and the (dropped, relabelled) entities of A.
fn annotator_b(dir: &Path) -> (Value, Value, String, (Value, Value)) {
    let a: Value = serde_json::from_str(&std::fs::read_to_string(HANDMADE).unwrap()).unwrap();
    let linked: Vec<&Value> = a["attributions"].as_array().unwrap().iter().filter_map(|x| x["source"].get("entity")).collect();
    let free: Vec<usize> =
        (0..a["entities"].as_array().unwrap().len()).filter(|i| !linked.contains(&&a["entities"][*i]["id"]) && a["entities"][*i]["status"] != "rejected").collect();
    let (drop, relabel) = (free[0], free[1]);
    let mut b = a.clone();
    let ents = b["entities"].as_array_mut().unwrap();
    let relabelled = if ents[relabel]["label"] == "ORG" { "PERSON" } else { "ORG" };
    ents[relabel]["label"] = relabelled.into();
    ents.remove(drop);
    let path = dir.join("b.json");
    std::fs::write(&path, b.to_string()).unwrap();
    let picked = (a["entities"][drop].clone(), a["entities"][relabel].clone());
    (a, b, path.to_str().unwrap().to_string(), picked)
}

#[test]
fn lists_then_writes_the_curated_file() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _, b, (dropped, relabelled)) = annotator_b(dir.path());
    let listed = newsmark(&["adjudicate", HANDMADE, &b]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let out = text(&listed.stdout);
    assert!(out.contains("2 disagreement(s)") && out.contains("only in A") && out.contains("other label"), "{out}");

    // Keep the entity B dropped; take B's label for the other.
    let choices: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("   "))
        .filter_map(|l| l.split_once(". ").map(|(_, c)| c))
        .map(|c| if c == "only in A" { "a" } else { "B" })
        .collect();
    assert_eq!(choices.len(), 2, "{out}");
    let decisions = dir.path().join("d.json");
    std::fs::write(&decisions, json!(choices).to_string()).unwrap();
    let curated = dir.path().join("curated.json");
    let run = newsmark(&["adjudicate", HANDMADE, &b, "--decisions", decisions.to_str().unwrap(), "--out", curated.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&curated).unwrap()).unwrap();
    assert_eq!(c["curation"], json!({"annotators": ["A", "B"], "undecided": 0}));
    let ents = c["entities"].as_array().unwrap();
    let live = a["entities"].as_array().unwrap().iter().filter(|e| e["status"] != "rejected").count();
    assert_eq!(ents.len(), live, "rejected items do not come in");
    assert!(ents.iter().all(|e| e["origin"] == "curated" && e["status"] == "accepted"));
    let at = |e: &Value, x: &Value| e["start"] == x["start"] && e["end"] == x["end"];
    assert!(ents.iter().any(|e| at(e, &dropped) && e["label"] == dropped["label"]), "A's entity kept");
    assert!(ents.iter().any(|e| at(e, &relabelled) && e["label"] != relabelled["label"]), "B's label taken");
    assert!(!ents.iter().any(|e| at(e, &relabelled) && e["label"] == relabelled["label"]), "A's label refused");
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut b, b_path, _) = annotator_b(dir.path());
    let out = dir.path().join("out.json");
    let d = dir.path().join("d.json");
    let run = |decisions: Value, b: &str, out: &Path| {
        std::fs::write(&d, decisions.to_string()).unwrap();
        newsmark(&["adjudicate", HANDMADE, b, "--decisions", d.to_str().unwrap(), "--out", out.to_str().unwrap()])
    };
    for (decisions, want) in [
        (json!(["a"]), "1 decisions for 2 disagreements"),
        (json!(["c", null]), "\"c\" is not an annotator"),
        (json!({"a": 1}), "expected an array"),
    ] {
        let o = run(decisions, &b_path, &out);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o.stderr).contains(want), "{}", text(&o.stderr));
        assert!(!out.exists(), "nothing written");
    }
    b["document"]["text"] = "Another text altogether.".into();
    b["entities"] = json!([]);
    b["attributions"] = json!([]);
    b["boilerplate"] = json!([]);
    let other = dir.path().join("other.json");
    std::fs::write(&other, b.to_string()).unwrap();
    let o = run(json!([]), other.to_str().unwrap(), &out);
    assert!(text(&o.stderr).contains("B annotated a different text"), "{}", text(&o.stderr));
    let o = run(json!(["a", "b"]), &b_path, Path::new(&b_path));
    assert_eq!(o.status.code(), Some(2));
    assert!(!text(&o.stderr).is_empty());
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&b_path).unwrap()).unwrap();
    assert_eq!(kept["format"], "newsmark.annotations", "the input was not overwritten");
}

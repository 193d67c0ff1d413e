//! Extraction quality guards: the pipeline is scored with `shared/eval/score.py` on the
//! seed gold and the dev sets, and the test fails when a figure drops below the floor the
//! issues set. (Speed is measured by the bench binary, not here.)

// Host only: it runs the CLI loader and score.py.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{score, shared_dir};
use std::path::PathBuf;

fn f(v: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter().fold(v, |v, k| &v[*k]).as_f64().unwrap_or_else(|| panic!("no figure {path:?} in {v}"))
}

fn dev_inputs(set: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = shared_dir()?.join("eval/dev").join(set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Some((dir, files))
}

#[test]
fn seed_article_meets_its_floors() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: shared/eval not found (set NEWSMARK_SHARED)");
        return;
    };
    let gold = shared.join("eval/gold/seed-witkoff-moscow.json");
    let s = score(&gold, &[shared.join("eval/gold/seed-witkoff-moscow.txt")]);
    // (figure, floor) — issue 3 (entities 0.90, boilerplate 0.90); issue 14: attributions
    // stay ≥ 0.95 with the learned model (0.966 measured).
    let floors = [
        (&["entities_exact", "f"][..], 0.90),
        (&["attributions_full", "f"][..], 0.95),
        (&["boilerplate_chars", "f"][..], 0.90),
    ];
    for (path, floor) in floors {
        let got = f(&s, path);
        assert!(got >= floor, "seed {path:?} = {got:.3} < {floor}");
    }
}

#[test]
fn she_said_resolves_to_caroline_leavitt() {
    let Some(shared) = shared_dir() else { return };
    let doc = newsmark::cli::load_document(&shared.join("eval/gold/seed-witkoff-moscow.txt")).unwrap();
    let set = newsmark::core::extract(&doc);
    let text = &set.document.text;
    let she = set
        .attributions
        .iter()
        .find(|a| a.source.as_ref().and_then(|s| s.span.slice(text)) == Some("She"))
        .expect("an attribution with the source \"She\"");
    let entity = she.source.as_ref().unwrap().entity.and_then(|id| set.entity(id)).expect("She is linked");
    let name = entity.canonical.clone().unwrap_or_else(|| entity.span.slice(text).unwrap().to_string());
    assert_eq!(name, "Caroline Leavitt");
}

#[test]
fn polnear_dev_attributions_meet_floors() {
    let Some((dir, inputs)) = dev_inputs("polnear") else { return };
    let s = score(&dir, &inputs);
    let (found, full) = (f(&s, &["attributions_found", "f"]), f(&s, &["attributions_full", "f"]));
    // Issue 14's learned model: 0.711 / 0.635 measured (rules alone: 0.625 / 0.577).
    assert!(found >= 0.70, "polnear found F1 {found:.3} < 0.70");
    assert!(full >= 0.63, "polnear full F1 {full:.3} < 0.63");
}

#[test]
fn worldwide_dev_entities_meet_floor() {
    let Some((dir, inputs)) = dev_inputs("worldwide") else { return };
    let s = score(&dir, &inputs);
    let exact = f(&s, &["entities_exact", "f"]);
    assert!(exact >= 0.55, "worldwide exact F1 {exact:.3} < 0.55");
}

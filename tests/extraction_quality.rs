//! Extraction quality guards: the pipeline is scored with `shared/eval/score.py` on the
//! seed gold and the dev sets, and the test fails when a figure drops below its floor (just
//! under today's figure) — or when the shared data is missing: it never skips.
//! (Speed is measured by the bench binary, not here.)

// Host only: it runs the CLI loader and score.py.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{require_shared, score};
use std::path::PathBuf;

fn f(v: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter().fold(v, |v, k| &v[*k]).as_f64().unwrap_or_else(|| panic!("no figure {path:?} in {v}"))
}

fn dev_inputs(set: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = require_shared().join("eval/dev").join(set);
    let files = newsmark::core::nlp::tagger::corpus::json_files(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(!files.is_empty(), "no gold files in {}", dir.display());
    (dir, files)
}

/// Floors sit 1.5 points under the figures measured when they were set (issue 12,
/// 2026-12-05, `python3 ../shared/eval/score.py` on `newsmark extract` output), so a
/// 2-point drop fails. Raise them when a change lifts a figure; lower one only with a
/// reason in the commit message.
fn assert_floors(name: &str, s: &serde_json::Value, floors: &[(&[&str], f64)]) {
    let mut failures = Vec::new();
    for (path, floor) in floors {
        let got = f(s, path);
        if got < *floor {
            failures.push(format!("{name} {path:?} = {got:.4} < floor {floor}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seed_article_meets_its_floors() {
    let shared = require_shared();
    let gold = shared.join("eval/gold/seed-witkoff-moscow.json");
    let s = score(&gold, &[shared.join("eval/gold/seed-witkoff-moscow.txt")]);
    // Today: entities and boilerplate 1.000; attributions 0.966 with issue 14's learned
    // model (issue 3 asked for 0.90 / 0.85 / 0.90; issue 14 for ≥ 0.95).
    assert_floors(
        "seed",
        &s,
        &[(&["entities_exact", "f"], 0.985), (&["attributions_full", "f"], 0.951), (&["boilerplate_chars", "f"], 0.985)],
    );
}

#[test]
fn she_said_resolves_to_caroline_leavitt() {
    let shared = require_shared();
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
    let (dir, inputs) = dev_inputs("polnear");
    let s = score(&dir, &inputs);
    // Today, with attribution v4 (issue 14): found 0.750, full 0.679 (rules alone 0.625 / 0.577).
    assert_floors("polnear", &s, &[(&["attributions_found", "f"], 0.748), (&["attributions_full", "f"], 0.673)]);
}

#[test]
fn worldwide_dev_entities_meet_floor() {
    let (dir, inputs) = dev_inputs("worldwide");
    // Today: exact 0.7980.
    assert_floors("worldwide", &score(&dir, &inputs), &[(&["entities_exact", "f"], 0.783)]);
}

#[test]
fn conll2003_dev_entities_meet_floor() {
    let (dir, inputs) = dev_inputs("conll2003-dev");
    // Today: exact 0.9073.
    assert_floors("conll2003-dev", &score(&dir, &inputs), &[(&["entities_exact", "f"], 0.892)]);
}

#[test]
fn gum_news_dev_entities_meet_floor() {
    let (dir, inputs) = dev_inputs("gum-news");
    // Today: exact 0.7560.
    assert_floors("gum-news", &score(&dir, &inputs), &[(&["entities_exact", "f"], 0.741)]);
}

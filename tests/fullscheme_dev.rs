//! The full-scheme dev set: hand-made annotations of PolNeAR-train articles with every
//! label (ROLE included) and every attribution, per `shared/eval/GUIDELINES.md`. The
//! repository keeps only the annotations (`tests/fixtures/fullscheme/`, offsets and a
//! SHA-256 of each text); `tools/fullscheme/materialize.py` rebuilds the gold files from
//! the texts in `shared/data`, and the pipeline is scored with `shared/eval/score.py`
//! exactly as `newsmark extract` output would be.
//!
//! Prints ROLE and PERSON F1 and attributions full F1 (`cargo test --test fullscheme_dev
//! -- --nocapture`); fails when a figure drops below its floor.

// Host only: it runs Python (the materializer and score.py).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{score, shared_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

const LABELS: [&str; 7] = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "ROLE"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fullscheme")
}

fn materialize(shared: &Path, fixtures: &Path, out: &Path) -> std::process::Output {
    Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/fullscheme/materialize.py"))
        .arg("--shared")
        .arg(shared)
        .arg("--fixtures")
        .arg(fixtures)
        .arg("--out")
        .arg(out)
        .output()
        .expect("python3 runs")
}

fn f(v: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter().fold(v, |v, k| &v[*k]).as_f64().unwrap_or_else(|| panic!("no figure {path:?} in {v}"))
}

#[test]
fn fullscheme_dev_set_meets_its_floors() {
    let shared = shared_dir().expect("shared/ (eval/score.py, data/polnear-train) beside the checkout or NEWSMARK_SHARED");
    let gold = tempfile::tempdir().unwrap();
    let o = materialize(&shared, &fixtures(), gold.path());
    assert!(o.status.success(), "materialize.py failed: {}", String::from_utf8_lossy(&o.stderr));
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(gold.path()).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(inputs.len() >= 12, "the set has {} articles, the issue asks at least 12", inputs.len());

    let s = score(gold.path(), &inputs);
    // Every label of the scheme is annotated somewhere in the set.
    for label in LABELS {
        let n = s["per_label_exact"][label]["gold"].as_u64().unwrap_or(0);
        assert!(n > 0, "no gold {label} in the set");
    }
    let role = f(&s, &["per_label_exact", "ROLE", "f"]);
    let person = f(&s, &["per_label_exact", "PERSON", "f"]);
    let full = f(&s, &["attributions_full", "f"]);
    let found = f(&s, &["attributions_found", "f"]);
    println!(
        "full-scheme dev ({} articles): ROLE F1 {role:.3}, PERSON F1 {person:.3}, entities exact F1 {:.3}, attributions found F1 {found:.3} / full F1 {full:.3}",
        inputs.len(),
        f(&s, &["entities_exact", "f"])
    );
    // ROLE and PERSON at issue 14's goals (today 0.937 and 0.946); attributions one
    // attribution's worth under today's 0.700 with attribution v4 (line frames, resumed
    // quotations), whose training holds these 15 texts out (the goal is 0.70).
    for (name, got, floor) in [("ROLE F1", role, 0.75), ("PERSON F1", person, 0.85), ("attributions full F1", full, 0.690)] {
        assert!(got >= floor, "full-scheme dev {name} = {got:.3} < {floor}");
    }
}

/// An annotation is only good for the text it was made on: a text that changed (another
/// copy of the corpus, an edit) is refused with a clear message, not scored.
#[test]
fn materialize_refuses_a_changed_text() {
    let shared = shared_dir().expect("shared/ beside the checkout or NEWSMARK_SHARED");
    let name = std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|x| x == "json")).expect("a fixture");
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&name).unwrap()).unwrap();
    let doc = fixture["document"].as_str().unwrap();
    let original = shared.join("data/polnear-train").join(format!("{doc}.json"));
    let mut article: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(original).unwrap()).unwrap();
    let text = article["document"]["text"].as_str().unwrap().replacen("the", "teh", 1);
    article["document"]["text"] = text.into();

    let tmp = tempfile::tempdir().unwrap();
    let fake_shared = tmp.path().join("shared");
    std::fs::create_dir_all(fake_shared.join("data/polnear-train")).unwrap();
    std::fs::write(fake_shared.join("data/polnear-train").join(format!("{doc}.json")), article.to_string()).unwrap();
    let one = tmp.path().join("fixtures");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::copy(&name, one.join(name.file_name().unwrap())).unwrap();

    let o = materialize(&fake_shared, &one, &tmp.path().join("out"));
    assert_eq!(o.status.code(), Some(2), "a changed text must be refused");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(doc) && err.contains("SHA-256"), "unclear message: {err}");
    assert!(!tmp.path().join("out").join(format!("{doc}.json")).exists(), "no gold written for a changed text");
}

//! The committed tagger model must still reproduce the dev scores recorded when it was
//! trained (`models/tagger-scores.json`, written by `train-ner`): a change to features,
//! tokenizer or decoding that silently alters the model's behaviour fails here.
//!
//! Reads the dev gold from the shared folder (`$NEWSMARK_SHARED`, else `../shared`, else
//! `/work/shared`); FAILS when that folder is absent (a missing prerequisite never passes).

#![cfg(not(target_arch = "wasm32"))]

use newsmark::core::nlp::tagger::{self, corpus};
use std::path::{Path, PathBuf};

fn shared_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("NEWSMARK_SHARED").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates.into_iter().flatten().find(|p| p.join("eval/dev").is_dir())
}

#[test]
fn committed_model_reproduces_recorded_dev_scores() {
    let shared = shared_dir().unwrap_or_else(|| {
        panic!("no shared folder with eval/dev (../shared beside the checkout or /work/shared): set NEWSMARK_SHARED")
    });
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/tagger-scores.json")).unwrap(),
    )
    .unwrap();
    let t = tagger::embedded();
    for set in corpus::DEV_SETS {
        let docs = corpus::GoldDoc::read_dir(&shared.join("eval/dev").join(set)).unwrap();
        let (all, _) = corpus::score(t, &docs);
        let want = recorded[set]["f1"].as_f64().unwrap_or_else(|| panic!("no recorded f1 for {set}"));
        assert!((all.f1() - want).abs() <= 0.005, "{set}: tagger-only exact F1 {:.4}, recorded {want:.4}", all.f1());
    }
}

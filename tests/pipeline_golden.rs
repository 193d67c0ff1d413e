//! The pipeline's output on the sample article, pinned as a golden file that the browser
//! test (`browser_pipeline.rs`) compares the wasm build against: native and wasm must give
//! byte-identical exports. Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test pipeline_golden`.

// Host only: the wasm side lives in browser_pipeline.rs.
#![cfg(not(target_arch = "wasm32"))]

use newsmark::core::{self, format::json, model::text, Document};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pipeline/sample.expected.json");

#[test]
fn sample_output_matches_golden() {
    let raw = include_str!("../static/sample/seed-witkoff-moscow.txt");
    let doc = Document::new("seed-witkoff-moscow", None, text::normalize(raw));
    let out = json::export(&core::extract(&doc));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &out).unwrap();
    }
    let want = std::fs::read_to_string(GOLDEN).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert!(out == want, "pipeline output changed; diff it against {GOLDEN} and regenerate if intended");
    assert_eq!(core::extract(&doc), core::extract(&doc), "deterministic");
}

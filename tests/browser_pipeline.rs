//! The wasm build of the pipeline gives exactly the native output on the sample article
//! (the golden file written by the host test `pipeline_golden.rs`).

#![cfg(target_arch = "wasm32")]

use newsmark::core::{self, format::json, model::text, Document};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_output_equals_native_golden() {
    let raw = include_str!("../static/sample/seed-witkoff-moscow.txt");
    let doc = Document::new("seed-witkoff-moscow", None, text::normalize(raw));
    let out = json::export(&core::extract(&doc));
    let native = include_str!("fixtures/pipeline/sample.expected.json");
    assert!(!out.is_empty() && out.contains("\"entities\""));
    if out != native {
        // Point at the first difference rather than dumping two long files.
        let at = out.bytes().zip(native.bytes()).position(|(a, b)| a != b).unwrap_or(out.len().min(native.len()));
        let lo = at.saturating_sub(80);
        panic!(
            "wasm output differs from native at byte {at}:\n wasm:   {:?}\n native: {:?}",
            out.get(lo..(at + 80).min(out.len())),
            native.get(lo..(at + 80).min(native.len()))
        );
    }
}

/// The page opens on the sample with suggestions computed at build time (it has no model):
/// they are exactly what the pipeline gives, and nothing is lost in the import.
#[wasm_bindgen_test]
fn embedded_sample_suggestions_equal_the_pipeline() {
    let set = newsmark::ui::sample::sample_set();
    let doc = newsmark::ui::sample::sample_document();
    assert!(!set.entities.is_empty(), "the embedded sample has no suggestions");
    assert_eq!(json::export(&set), json::export(&core::extract(&doc)));
}

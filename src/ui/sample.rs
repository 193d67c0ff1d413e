//! The article the app opens on: the project's origin article with its suggestions, both
//! embedded at build time so the first screen needs no request and no model.
//!
//! The suggestions are the native pipeline's output on the sample, the golden file
//! `tests/fixtures/pipeline/sample.expected.json` (kept equal to `core::extract` by
//! `tests/pipeline_golden.rs`, and to the wasm pipeline by `tests/browser_pipeline.rs`).
//! The page therefore never runs extraction itself: the model and lexicons live only in
//! the worker's wasm (see `ui::worker`), and the page wasm stays small. The page embeds
//! them as the `AnnotationSet` in serde's own form (`sample.set.json`, which
//! `tests/pipeline_golden.rs` keeps equal to the golden file imported): storage reads that
//! form anyway, so the JSON format's importer stays out of the page wasm.

use crate::core::{AnnotationSet, Document};

/// Id of the sample document; exports are named `<id>.annotations.json`.
pub const SAMPLE_ID: &str = "seed-witkoff-moscow";

/// The sample text as shipped in `static/sample/`.
pub const SAMPLE_TEXT: &str = include_str!("../../static/sample/seed-witkoff-moscow.txt");

/// The pipeline's suggestions on the sample, computed natively, as serde writes an
/// `AnnotationSet` (see the module header).
pub const SAMPLE_SUGGESTIONS: &str = include_str!("../../tests/fixtures/pipeline/sample.set.json");

/// The sample document. The shipped text is already normal (NFC, LF: the host test
/// `sample_text_is_normal` checks it), so the page needs no Unicode normalisation tables.
pub fn sample_document() -> Document {
    Document::new(SAMPLE_ID, None, SAMPLE_TEXT.to_string())
}

/// The sample with the pipeline's suggestions. Should the embedded file ever not match
/// the text (a build from a half-updated tree), the article still opens, without them.
pub fn sample_set() -> AnnotationSet {
    let document = sample_document();
    match serde_json::from_str::<AnnotationSet>(SAMPLE_SUGGESTIONS) {
        Ok(set) if set.document.text == document.text && set.document.id == document.id && set.validate().is_ok() => set,
        _ => AnnotationSet::new(document),
    }
}

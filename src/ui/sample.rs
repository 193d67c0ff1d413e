//! The article the app opens on: the project's origin article, embedded at build time so
//! the first screen needs no request.

use crate::core::{self, AnnotationSet, Document};

/// Id of the sample document; exports are named `<id>.annotations.json`.
pub const SAMPLE_ID: &str = "seed-witkoff-moscow";

/// The sample text as shipped in `static/sample/`.
pub const SAMPLE_TEXT: &str = include_str!("../../static/sample/seed-witkoff-moscow.txt");

/// The sample document, normalised like any imported text.
pub fn sample_document() -> Document {
    Document::new(SAMPLE_ID, None, core::model::text::normalize(SAMPLE_TEXT))
}

/// The sample with the pipeline's suggestions.
pub fn sample_set() -> AnnotationSet {
    core::extract(&sample_document())
}

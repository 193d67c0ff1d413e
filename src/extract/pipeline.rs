//! The extraction pipeline: document in, suggested annotations out.
//!
//! Deterministic and panic-free on any string; the same code runs natively and in wasm.

use crate::extract::annotation::{AnnotationSet, Document};

/// Pre-annotates a document. Every item is `origin: auto`, `status: suggested`.
pub fn extract(doc: &Document) -> AnnotationSet {
    AnnotationSet::new(doc.clone())
}

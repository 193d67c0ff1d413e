//! The extraction pipeline: document in, suggested annotations out.
//!
//! tokens → sentences → boilerplate → entities → mentions (→ attributions).
//! Deterministic and panic-free on any string; the same code runs natively and in wasm.

use crate::extract::annotation::{AnnotationSet, Boilerplate, Document, Origin, RegionId};
use crate::extract::{boilerplate, sentence, tokenize};

/// Pre-annotates a document. Every item is `origin: auto`, `status: suggested`.
pub fn extract(doc: &Document) -> AnnotationSet {
    let mut set = AnnotationSet::new(doc.clone());
    let text: &str = &doc.text;
    let tokens = tokenize::tokenize(text);
    let _sentences = sentence::sentences(text, &tokens);
    let regions = boilerplate::boilerplate(text);
    for span in &regions {
        let id = RegionId(set.fresh_id());
        set.boilerplate.push(Boilerplate { id, span: *span, origin: Origin::Auto });
    }
    set
}

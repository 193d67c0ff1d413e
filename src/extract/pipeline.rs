//! The extraction pipeline: document in, suggested annotations out.
//!
//! tokens → sentences → boilerplate → entities → mentions (→ attributions).
//! Deterministic and panic-free on any string; the same code runs natively and in wasm.

use crate::extract::annotation::{AnnotationSet, Boilerplate, Document, Origin, RegionId};
use crate::extract::{attribution, boilerplate, sentence, tokenize};

/// Pre-annotates a document. Every item is `origin: auto`, `status: suggested`.
pub fn extract(doc: &Document) -> AnnotationSet {
    let mut set = AnnotationSet::new(doc.clone());
    let text: &str = &doc.text;
    let tokens = tokenize::tokenize(text);
    let sentences = sentence::sentences(text, &tokens);
    let regions = boilerplate::boilerplate(text);
    for span in &regions {
        let id = RegionId(set.fresh_id());
        set.boilerplate.push(Boilerplate { id, span: *span, origin: Origin::Auto });
    }
    let found = attribution::find(text, &tokens, &sentences, &set.entities, &set.boilerplate);
    attribution::add_to(&mut set, found);
    set
}

//! The extraction pipeline: document in, suggested annotations out.
//!
//! tokens → sentences → boilerplate → entities → mentions (→ attributions).
//! Deterministic and panic-free on any string; the same code runs natively and in wasm.

use crate::core::model::annotation::{AnnotationSet, Boilerplate, Document, Entity, EntityId, Origin, RegionId, Status};
use crate::core::{nlp::{attribution, boilerplate, mentions, ner, sentence, tagger, tokenize}};

/// Pre-annotates a document. Every item is `origin: auto`, `status: suggested`.
pub fn extract(doc: &Document) -> AnnotationSet {
    extract_using(doc, attribution::learned::embedded(), attribution::learned::DEFAULT_MODE)
}

/// [`extract`] with a given attribution model (or none) and way of combining it with the
/// rules: what `train-attribution` measures its candidates with.
pub fn extract_using(doc: &Document, model: Option<&attribution::learned::Model>, mode: attribution::learned::Mode) -> AnnotationSet {
    let mut set = AnnotationSet::new(doc.clone());
    let text: &str = &doc.text;
    let tokens = tokenize::tokenize(text);
    let sentences = sentence::sentences(text, &tokens);
    let regions = boilerplate::boilerplate(text);
    for span in &regions {
        let id = RegionId(set.fresh_id());
        set.boilerplate.push(Boilerplate { id, span: *span, origin: Origin::Auto });
    }
    // The tokens' lower case, made once for the rules and the attribution patterns.
    let lows = tokenize::lower_forms(text, &tokens);
    add_entities(&mut set, &ner::entities_with(text, &tokens, &lows, &sentences, &regions, &proposals(text, &tokens)));
    let found = attribution::find_using(text, &tokens, &lows, &sentences, &set.entities, &set.boilerplate, model, mode);
    attribution::add_to(&mut set, found);
    set
}

/// The statistical tagger's spans, for the rules to combine with theirs (public for the
/// bench, which times the rules on them).
pub fn proposals(text: &str, tokens: &[tokenize::Token]) -> Vec<ner::Proposal> {
    // No tagger (an app worker whose model is not installed): the rules alone.
    let Some(tagger) = tagger::shared() else { return Vec::new() };
    let spans: Vec<_> = tokens.iter().map(|t| t.span).collect();
    tagger
        .tag_tokens(text, &spans)
        .into_iter()
        .map(|p| ner::Proposal { span: p.span, label: p.label(), confidence: p.confidence })
        .collect()
}

/// Adds found entities with their mention groups.
fn add_entities(set: &mut AnnotationSet, found: &[ner::Found]) {
    let pairs: Vec<_> = found.iter().map(|f| (f.label.clone(), f.span)).collect();
    let groups = mentions::group(&set.document.text, &pairs);
    for (f, g) in found.iter().zip(groups) {
        let id = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id,
            label: f.label.clone(),
            span: f.span,
            origin: Origin::Auto,
            status: Status::Suggested,
            confidence: f.confidence,
            canonical: Some(g.canonical),
            group: Some(g.group),
        });
    }
}

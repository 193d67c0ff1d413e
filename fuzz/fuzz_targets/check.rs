//! What every importer's output must satisfy, whatever the input: unique ids, every span
//! and fragment on character boundaries inside the text, links to entities that exist, a
//! schema whose colours are hex, and a v1 JSON export that imports back with the same items.
//! Shared by the fuzz targets (`#[path]`-included, so each target stays one binary).

use newsmark::core::format::json;
use newsmark::core::model::label::is_hex_colour;
use newsmark::core::AnnotationSet;
use std::collections::HashSet;

#[allow(dead_code)]
pub fn check_set(set: &AnnotationSet) {
    let text = set.text();
    let mut ids = HashSet::new();
    for e in &set.entities {
        assert!(ids.insert(e.id.0), "id {} twice", e.id.0);
        assert!(e.span.is_valid_in(text), "entity span off the text");
    }
    for a in &set.attributions {
        assert!(ids.insert(a.id.0), "id {} twice", a.id.0);
        for f in a.content.fragments() {
            assert!(f.is_valid_in(text), "content fragment off the text");
        }
        if let Some(s) = &a.source {
            assert!(s.span.is_valid_in(text), "source off the text");
            if let Some(e) = s.entity {
                assert!(set.entity(e).is_some(), "source links a missing entity");
            }
        }
        if let Some(c) = a.cue {
            assert!(c.is_valid_in(text), "cue off the text");
        }
    }
    for b in &set.boilerplate {
        assert!(ids.insert(b.id.0), "id {} twice", b.id.0);
        assert!(b.span.is_valid_in(text), "boilerplate off the text");
    }
    for d in &set.schema.labels {
        assert!(is_hex_colour(&d.colour), "colour {:?} let in", d.colour);
    }
    let back = json::import(&json::export(set)).expect("an imported set exports to a file that imports");
    assert_eq!(back.entities.len(), set.entities.len());
    assert_eq!(back.attributions.len(), set.attributions.len());
    assert_eq!(back.boilerplate.len(), set.boilerplate.len());
}

/// Splits fuzz input in two at the first 0xFF byte (never in UTF-8): a document text and a
/// file, for importers that read a file onto a document.
#[allow(dead_code)]
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[], data),
    }
}

/// Checks every set of a many-document import that succeeded.
#[allow(dead_code)]
pub fn check_sets<E>(imported: Result<Vec<AnnotationSet>, E>) {
    for set in imported.iter().flatten() {
        check_set(set);
    }
}

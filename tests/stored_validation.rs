//! Every set the extraction core produces passes `AnnotationSet::validate`, the check every
//! record read back from browser storage must pass (issue 13): otherwise a freshly imported
//! article would be kept aside as damaged on its next load.

use newsmark::core::project::persist::StoredHistory;
use newsmark::core::{extract, Document, History};
use std::path::Path;

#[test]
fn extracted_sets_validate_and_survive_storage() {
    let mut texts = Vec::new();
    for dir in ["tests/interop/fixtures", "tests/fixtures/attribution", "tests/fixtures/ner", "static/sample"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "txt") {
                texts.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    assert!(texts.len() >= 5, "fixture texts found: {}", texts.len());
    // Awkward input too: empty, whitespace only, quotes without words, emoji and CJK.
    for t in ["", "   \n\n ", "“ ” \"\" ''", "👩‍🔬 said “北京 is big,” 😀."] {
        texts.push((format!("{t:?}"), t.to_string()));
    }
    for (name, text) in texts {
        let set = extract(&Document::new("d", None, text.as_str()));
        set.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        let h = History::new(set);
        let back = StoredHistory::from_json(&StoredHistory::to_json(&h)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, h, "{name}");
    }
}

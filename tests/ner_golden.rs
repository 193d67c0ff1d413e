//! Golden tests of the rule stages (boilerplate, entities without a model, mention
//! groups) on small hand-written articles under `tests/fixtures/ner/` (`NAME.txt` →
//! `NAME.expected`: one line per boilerplate region, then one per entity: label, text,
//! group, canonical name). The tagger is left out so that retraining it does not move
//! these files; `tests/extraction_quality.rs` scores the whole pipeline.
//! Set `UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change.

use newsmark::extract::{boilerplate::boilerplate, label::Label, mentions, ner, sentence::sentences, tokenize::tokenize, Span};
use std::path::Path;

fn render(text: &str) -> String {
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let regions = boilerplate(text);
    let slice = |s: Span| s.slice(text).unwrap_or("?").to_string();
    let mut out = String::new();
    for r in &regions {
        out.push_str(&format!("BOILERPLATE\t{}\n", slice(*r)));
    }
    let found = ner::entities(text, &tokens, &sents, &regions, &[]);
    let pairs: Vec<(Label, Span)> = found.iter().map(|f| (f.label.clone(), f.span)).collect();
    for (f, g) in found.iter().zip(mentions::group(text, &pairs)) {
        out.push_str(&format!("{}\t{}\t{}\t{}\n", f.label.as_str(), slice(f.span), g.group, g.canonical));
    }
    out
}

#[test]
fn ner_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ner");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in {}", dir.display());
    for txt in names {
        let text = std::fs::read_to_string(&txt).expect("fixture text");
        let got = render(&text);
        let expected_path = txt.with_extension("expected");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_eq!(got, want, "{} (UPDATE_GOLDEN=1 to accept a deliberate change)", txt.display());
    }
}

//! Golden tests of the rule stages (boilerplate, entities without a model, mention
//! groups) on small hand-written articles under `tests/fixtures/ner/` (`NAME.txt` →
//! `NAME.expected`: one line per boilerplate region, then one per entity: label, text,
//! group, canonical name). The tagger is left out so that retraining it does not move
//! these files; `tests/extraction_quality.rs` scores the whole pipeline.
//! Set `UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change.

mod golden_dir;

use newsmark::core::{nlp::{boilerplate::boilerplate, mentions, ner, sentence::sentences, tokenize::tokenize}, model::label::Label, Span};

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
    golden_dir::check("ner", render);
}

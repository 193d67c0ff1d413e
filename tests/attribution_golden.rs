//! Golden tests: attributions found in small hand-written texts under
//! `tests/fixtures/attribution/` (`NAME.txt` → `NAME.expected`, one attribution a line:
//! kind, source, cue, content fragments joined by " … ", resolved name).
//! Set `UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change.

mod golden_dir;

use newsmark::core::{nlp::{attribution, sentence::sentences, tokenize::tokenize}};

fn render(text: &str) -> String {
    let tokens = tokenize(text);
    let slice = |s: newsmark::core::Span| s.slice(text).unwrap_or("?").to_string();
    let mut out = String::new();
    for a in attribution::find(text, &tokens, &sentences(text, &tokens), &[], &[]) {
        let content: Vec<String> = a.content.fragments().iter().map(|f| slice(*f)).collect();
        let source = a.source.as_ref().map(|s| slice(s.span)).unwrap_or_default();
        let name = a.source.as_ref().and_then(|s| s.entity_text.clone()).unwrap_or_default();
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            a.kind.as_str(),
            source,
            a.cue.map(slice).unwrap_or_default(),
            content.join(" … ").replace('\n', "\\n"),
            name
        ));
    }
    out
}

#[test]
fn attribution_fixtures() {
    golden_dir::check("attribution", render);
}

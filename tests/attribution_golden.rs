//! Golden tests: attributions found in small hand-written texts under
//! `tests/fixtures/attribution/` (`NAME.txt` → `NAME.expected`, one attribution a line:
//! kind, source, cue, content fragments joined by " … ", resolved name).
//! Set `UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change.

use newsmark::extract::{attribution, sentence::sentences, tokenize::tokenize};
use std::path::Path;

fn render(text: &str) -> String {
    let tokens = tokenize(text);
    let slice = |s: newsmark::extract::Span| s.slice(text).unwrap_or("?").to_string();
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attribution");
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

//! Property tests of the entity stages: on any text (and any model proposals) boilerplate
//! detection, entity finding and mention grouping never panic, and every entity span is
//! non-empty, on character boundaries, outside boilerplate and disjoint from the others.

use newsmark::core::{nlp::{boilerplate::boilerplate, mentions, ner, sentence::sentences, tokenize::tokenize}, model::label::Label, Span};
use proptest::prelude::*;

/// Text that looks enough like news to reach the rules: names, titles, dates, quotes,
/// hyphens, possessives, capitals, newlines, and some arbitrary characters.
fn newsish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Donald", "Trump", "Trumpcis", "Caroline", "Leavitt", "President", "spokeswoman", "Secretary of State",
        "the", "The", "Kremlin", "US", "U.S.", "-", "Ukraine", "’s", "'s", "March", "12", "2025", "May", "this week",
        "Wednesday", ",", ".", "“", "”", "\"", "JOIN US ON TELEGRAM", "\n", "Ministry", "of", "Defence", "Mr.", "é",
        "Saudi Arabia", "Middle East", "Russians", "Western", "NATO", "BJP", "said", "Dr", "bin", "(", ")", " ",
        "Read more", "@handle", "😀", "\u{301}", "Feb", "I",
    ]);
    (prop::collection::vec(pieces, 0..40), prop::collection::vec(any::<bool>(), 0..40))
        .prop_map(|(ps, spaces)| {
            let mut s = String::new();
            for (i, p) in ps.iter().enumerate() {
                s.push_str(p);
                if spaces.get(i).copied().unwrap_or(true) {
                    s.push(' ');
                }
            }
            s
        })
}

fn check(text: &str, raw_proposals: &[(usize, usize, u8, f32)]) {
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let regions = boilerplate(text);
    for r in &regions {
        assert!(r.is_valid_in(text) && !r.is_empty(), "bad region {r:?}");
    }
    let labels = [Label::Person, Label::Org, Label::Loc, Label::Gpe, Label::Norp, Label::Date];
    let proposals: Vec<ner::Proposal> = raw_proposals
        .iter()
        .map(|&(a, b, l, c)| ner::Proposal {
            span: Span { start: a.min(text.len() + 3), end: b.min(text.len() + 3) },
            label: labels[l as usize % labels.len()].clone(),
            confidence: c,
        })
        .collect();
    let found = ner::entities(text, &tokens, &sents, &regions, &proposals);
    for (i, f) in found.iter().enumerate() {
        assert!(!f.span.is_empty() && f.span.is_valid_in(text), "bad span {f:?} in {text:?}");
        assert!(!regions.iter().any(|r| r.overlaps(&f.span)), "{f:?} inside boilerplate");
        if let Some(next) = found.get(i + 1) {
            assert!(f.span.end <= next.span.start, "overlap or disorder: {f:?} {next:?}");
        }
    }
    let pairs: Vec<(Label, Span)> = found.iter().map(|f| (f.label.clone(), f.span)).collect();
    let groups = mentions::group(text, &pairs);
    assert_eq!(groups.len(), found.len());
    assert!(groups.iter().all(|g| g.group >= 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_newsish_text(text in newsish(), props in prop::collection::vec((0usize..200, 0usize..200, 0u8..6, 0f32..1f32), 0..6)) {
        check(&text, &props);
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,200}", props in prop::collection::vec((0usize..200, 0usize..200, 0u8..6, 0f32..1f32), 0..4)) {
        check(&text, &props);
    }
}

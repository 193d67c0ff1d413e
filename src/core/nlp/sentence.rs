//! Sentences and paragraphs as byte spans.
//!
//! A newline always ends a paragraph and a sentence. Within a line a sentence ends after
//! ".", "!", "?" or "…" (plus any closing quotes or brackets glued to it) when whitespace
//! and something other than a lower-case word follow. Abbreviations keep their period
//! inside their token (see [`crate::core::nlp::tokenize`]), so "Mr. Smith" never splits;
//! abbreviations that can also end a sentence ("U.S.", "Inc.") end one only before a
//! typical sentence opener ("… in the U.S. The talks …").
//!
//! ```
//! use newsmark::core::{nlp::{sentence::sentences, tokenize::tokenize}};
//! let text = "Mr. Smith went to the U.S. on Jan. 5. “It was good.” He left.";
//! let got: Vec<&str> = sentences(text, &tokenize(text)).iter().map(|s| &text[s.start..s.end]).collect();
//! assert_eq!(got, ["Mr. Smith went to the U.S. on Jan. 5.", "“It was good.”", "He left."]);
//! ```

use crate::core::model::span::Span;
use crate::core::nlp::tokenize::{is_title_abbreviation, QuoteRole, Token, TokenKind};

/// Capitalised words that typically open a sentence: after an abbreviation that can also
/// end one ("U.S.", "Inc."), one of these means the sentence did end.
const SENTENCE_OPENERS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "But", "And", "Or", "In", "On", "At",
    "This", "That", "These", "Those", "His", "Her", "Its", "Their", "Our", "There", "When", "While",
    "After", "Before", "However", "Meanwhile", "Still", "Yet", "So", "As", "If", "For", "According",
    "Some", "Many", "Most", "Now", "Then", "What", "Why", "How", "Who", "Where", "Earlier", "Later",
    "Also", "Officials", "Last", "Since", "Despite", "Under", "With", "Without", "Although", "Asked",
];

/// Paragraphs: the non-blank lines of `text`, trimmed of surrounding whitespace.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        let lead = line.len() - line.trim_start().len();
        let trail = line.len() - line.trim_end().len();
        if lead < line.len() {
            out.push(Span::new(start + lead, end - trail));
        }
        start = end + 1;
    }
    out
}

fn has_newline(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| gap.contains('\n'))
}

fn has_space(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| !gap.is_empty())
}

/// Whether a closing quote / bracket token after a terminal belongs to the sentence.
fn closes(t: &Token, text: &str) -> bool {
    match t.kind {
        TokenKind::Quote(q) => q.role != QuoteRole::Open,
        TokenKind::Punct => matches!(t.text(text), ")" | "]" | "}"),
        _ => false,
    }
}

fn starts_lowercase(t: &Token, text: &str) -> bool {
    t.kind.is_wordlike() && t.text(text).chars().next().is_some_and(|c| c.is_lowercase())
}

/// Whether the sentence ends right after token `k` (and the closers glued to it, up to
/// token `last`), given the next token.
fn ends_after(text: &str, tokens: &[Token], k: usize, last: usize) -> bool {
    let Some(next) = tokens.get(last + 1) else { return true };
    if !has_space(text, tokens[last].span.end, next.span.start) {
        return false;
    }
    let tok = &tokens[k];
    match tok.kind {
        TokenKind::Terminal => {
            if starts_lowercase(next, text) {
                return false;
            }
            !matches!(next.kind, TokenKind::Punct if matches!(next.text(text), "," | ";" | ":"))
        }
        TokenKind::Abbreviation => {
            let word = tok.text(text).trim_end_matches('.');
            let single_initial = word.chars().count() == 1;
            if is_title_abbreviation(word) || single_initial {
                return false;
            }
            let opener = next.text(text);
            if next.kind.is_quote() {
                return last > k;
            }
            next.kind == TokenKind::Word && SENTENCE_OPENERS.contains(&opener)
        }
        _ => false,
    }
}

/// Sentence spans, in order, covering every token. Abbreviations do not end sentences; a
/// newline always does; closing quotes after the final period stay in the sentence.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut k = 0;
    while k < tokens.len() {
        let mut last = k;
        let is_end_candidate = tokens[k].kind == TokenKind::Terminal
            || (tokens[k].kind == TokenKind::Abbreviation && tokens[k].text(text).ends_with('.'));
        if is_end_candidate {
            while let Some(t) = tokens.get(last + 1) {
                if closes(t, text) && !has_space(text, tokens[last].span.end, t.span.start) {
                    last += 1;
                } else {
                    break;
                }
            }
        }
        let newline_next = tokens.get(last + 1).is_none_or(|n| has_newline(text, tokens[last].span.end, n.span.start));
        if newline_next || (is_end_candidate && ends_after(text, tokens, k, last)) {
            out.push(Span::new(tokens[first].span.start, tokens[last].span.end));
            first = last + 1;
        }
        k = last + 1;
    }
    out
}

/// The index of the sentence containing byte `offset`, if any (binary search).
pub fn sentence_at(sentences: &[Span], offset: usize) -> Option<usize> {
    let i = sentences.partition_point(|s| s.end <= offset);
    sentences.get(i).filter(|s| s.start <= offset).map(|_| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tokenize::tokenize;
    use proptest::prelude::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, &tokenize(text)).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            ("Mr. Smith met Dr. Jones. They talked.", &["Mr. Smith met Dr. Jones.", "They talked."]),
            ("He went to the U.S. The trip was long.", &["He went to the U.S.", "The trip was long."]),
            ("The U.S. military said so.", &["The U.S. military said so."]),
            ("It works with J. K. Rowling now.", &["It works with J. K. Rowling now."]),
            ("“We will win.” She left.", &["“We will win.”", "She left."]),
            ("“Will we?” she asked.", &["“Will we?” she asked."]),
            ("He said \"no.\" Then he left.", &["He said \"no.\"", "Then he left."]),
            ("Growth was 3.5 percent. Next.", &["Growth was 3.5 percent.", "Next."]),
            ("A headline\nThe body. More", &["A headline", "The body.", "More"]),
            ("Apple Inc. said it would. Fine.", &["Apple Inc. said it would.", "Fine."]),
            ("See No. 10 today. Yes!", &["See No. 10 today.", "Yes!"]),
            ("(He left.) Then", &["(He left.)", "Then"]),
            ("Wait... what?! Really.", &["Wait... what?!", "Really."]),
            ("visit bbc.com. Then", &["visit bbc.com.", "Then"]),
            ("line one\r\nline two", &["line one", "line two"]),
            ("  \n\n ", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&split(text), want, "{text:?}");
        }
    }

    #[test]
    fn paragraph_table() {
        let text = "  Title \n\nFirst para.\n Second\n";
        let got: Vec<&str> = paragraphs(text).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, ["Title", "First para.", "Second"]);
    }

    #[test]
    fn sentence_lookup() {
        let s = [Span::new(0, 4), Span::new(5, 9)];
        let cases = [(0, Some(0)), (3, Some(0)), (4, None), (5, Some(1)), (9, None)];
        for (off, want) in cases {
            assert_eq!(sentence_at(&s, off), want, "{off}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn sentences_are_ordered_and_cover_tokens(text in "\\PC{0,80}|[a-zA-Z .!?\\n,'\"“”]{0,80}") {
            let tokens = tokenize(&text);
            let ss = sentences(&text, &tokens);
            let mut last = 0;
            for s in &ss {
                prop_assert!(s.start >= last && s.start < s.end && s.is_valid_in(&text));
                last = s.end;
            }
            for t in &tokens {
                prop_assert_eq!(ss.iter().filter(|s| s.contains(&t.span)).count(), 1);
            }
        }
    }
}

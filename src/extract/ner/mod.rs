//! Rule-based named entities: PERSON, ORG, GPE, LOC, NORP, DATE and ROLE from the
//! lexicons ([`crate::extract::lexicon`]), the date grammar ([`dates`]) and patterns over
//! capitalised words, combined with spans proposed by a statistical tagger.
//!
//! Spans follow the annotation guidelines: tight (no "the", no possessive, no trailing
//! punctuation), each part of a hyphenated compound on its own, titles as ROLE apart from
//! the name, nothing inside boilerplate.
//!
//! How the pieces combine: every finding carries its [`Evidence`]. Lexicon and grammar
//! matches are trusted; the weaker capitalisation patterns give way to a model
//! [`Proposal`] that overlaps them with a higher confidence, and proposals fill the gaps
//! the rules leave. The rules still decide GPE vs LOC for a proposed place, keep titles as
//! ROLE and veto proposals that are only a title, a date word or a lower-case word.

pub mod dates;
mod rules;

use crate::extract::label::Label;
use crate::extract::span::Span;
use crate::extract::tokenize::Token;

/// A span suggested by a statistical tagger.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub span: Span,
    pub label: Label,
    /// 0..=1.
    pub confidence: f32,
}

/// What a finding rests on, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// Capitalisation and context patterns ("Kusae Edu said", "BJP").
    Pattern,
    /// A statistical tagger's proposal.
    Model,
    /// A lexicon entry or a name pattern anchored in one (given name + surname).
    Lexicon,
    /// The date grammar.
    Grammar,
}

/// One entity mention found in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub span: Span,
    pub label: Label,
    pub confidence: f32,
    pub evidence: Evidence,
}

/// Finds the entities of `text`. `tokens` and `sentences` come from
/// [`crate::extract::tokenize`] and [`crate::extract::sentence`]; nothing inside a
/// `boilerplate` span is tagged; `proposals` (possibly empty) come from a tagger.
/// The result is in text order, without overlaps. Never panics.
pub fn entities(text: &str, tokens: &[Token], sentences: &[Span], boilerplate: &[Span], proposals: &[Proposal]) -> Vec<Found> {
    let rule_found = rules::find(text, tokens, sentences, boilerplate);
    combine(text, tokens, boilerplate, rule_found, proposals)
}

/// Merges rule findings with model proposals (see the module docs).
fn combine(text: &str, tokens: &[Token], boilerplate: &[Span], mut found: Vec<Found>, proposals: &[Proposal]) -> Vec<Found> {
    let mut props: Vec<&Proposal> = proposals.iter().collect();
    props.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.span.cmp(&b.span)));
    for p in props {
        let Some(p) = rules::vet_proposal(text, tokens, p) else { continue };
        if p.span.is_empty() || !p.span.is_valid_in(text) || boilerplate.iter().any(|b| b.overlaps(&p.span)) {
            continue;
        }
        let overlapping: Vec<usize> = (0..found.len()).filter(|&i| found[i].span.overlaps(&p.span)).collect();
        let beats_all = overlapping
            .iter()
            .all(|&i| found[i].evidence == Evidence::Pattern && found[i].confidence < p.confidence && found[i].label != Label::Role);
        if overlapping.is_empty() || beats_all {
            for i in overlapping.into_iter().rev() {
                found.remove(i);
            }
            found.push(Found { span: p.span, label: p.label.clone(), confidence: p.confidence, evidence: Evidence::Model });
        }
    }
    found.sort_by_key(|f| (f.span.start, f.span.end));
    found
}

#[cfg(test)]
mod tests;

//! Rule-based named entities: PERSON, ORG, GPE, LOC, NORP, DATE and ROLE from the
//! lexicons ([`crate::core::nlp::lexicon`]), the date grammar ([`dates`]) and patterns over
//! capitalised words, combined with spans proposed by a statistical tagger.
//!
//! Spans follow the annotation guidelines: tight (no "the", no possessive, no trailing
//! punctuation), each part of a hyphenated compound on its own, titles as ROLE apart from
//! the name, nothing inside boilerplate.
//!
//! How the pieces combine (measured on the dev sets, where the trained tagger finds the
//! extent of unusual names better than any capitalisation rule): every finding carries
//! its [`Evidence`]. A [`Proposal`] fills gaps; a longer proposal that contains rule
//! findings replaces them ("Royal Air Force of Oman" over "Oman"); on the same span the
//! rules keep the label when they know better (countries, multi-word lexicon names,
//! NORP, curated organisations such as "Kremlin"), the model otherwise. Titles stay
//! ROLE (a proposal is trimmed after them) and dates stay the grammar's. When a model ran,
//! pattern-only findings it did not confirm are dropped. The rules decide GPE vs LOC for
//! a proposed place and veto proposals that are only a title or a lower-case word. Last,
//! the other mentions of the names found are tagged ("Leavitt" after "Caroline Leavitt").

pub mod dates;
mod rules;

use crate::core::model::label::Label;
use crate::core::model::span::Span;
use crate::core::nlp::tokenize::Token;

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
/// [`crate::core::nlp::tokenize`] and [`crate::core::nlp::sentence`]; nothing inside a
/// `boilerplate` span is tagged; `proposals` (possibly empty) come from a tagger.
/// The result is in text order, without overlaps. Never panics.
pub fn entities(text: &str, tokens: &[Token], sentences: &[Span], boilerplate: &[Span], proposals: &[Proposal]) -> Vec<Found> {
    entities_with(text, tokens, &crate::core::nlp::tokenize::lower_forms(text, tokens), sentences, boilerplate, proposals)
}

/// [`entities`] with the tokens' lower case already made by
/// [`crate::core::nlp::tokenize::lower_forms`] (the pipeline makes it once for the rules and
/// the attribution patterns).
pub fn entities_with(text: &str, tokens: &[Token], lows: &(String, Vec<(usize, usize)>), sentences: &[Span], boilerplate: &[Span], proposals: &[Proposal]) -> Vec<Found> {
    rules::find(text, tokens, lows, sentences, boilerplate, proposals)
}

#[cfg(test)]
mod tests;

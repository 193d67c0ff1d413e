//! The subject of a sentence's main clause, for the attributions whose source is not next
//! to their cue: participial cues (", saying …"), a second verb of the same subject
//! ("…, but said …"), and the learned source scorer's "sentence subject" candidate.
//!
//! Without a parser, the clause is found by skipping what news sentences put before their
//! subject — datelines ("WASHINGTON, Dec. 8 (UPI) —"), time and place adverbials ("On
//! Thursday,", "In August,"), subordinate and participial clauses ("After remaining
//! neutral …,", "Chastened by the analyses,"), sentence adverbs ("However,") — and the
//! subject is then a pronoun, a name ("Warren"), or a plain noun phrase up to its verb
//! ("several environmental groups", "Hillary Clinton’s right-hand woman").

use super::context::Ctx;
use super::cues::{cue_word, Form};
use super::words::{is_adverb, is_in, pronoun_kind, AUXILIARIES, CLAUSE_BOUNDARIES, DETERMINERS, NEGATIONS, PREPOSITIONS};
use crate::core::nlp::tokenize::TokenKind;

/// Words that open a fronted adverbial clause or phrase besides the prepositions.
const OPENERS: &[&str] = &[
    "after", "before", "while", "when", "since", "although", "though", "as", "because", "if", "once",
    "following", "despite", "amid", "throughout", "unlike", "like", "upon", "until", "unless", "whereas",
    "asked", "speaking", "meanwhile", "however", "still", "instead", "yet", "moreover", "indeed", "now",
    "then", "today", "yesterday", "tonight", "earlier", "later", "last", "this", "next", "separately",
    "also", "overall", "in", "at", "on", "during", "by", "with", "without", "for", "from", "under",
];

/// Words linking the parts of a name or noun phrase ("Bank of America", "Scarborough and
/// co-host Mika Brzezinski").
const LINKS: &[&str] = &["of", "and", "the", "for", "&"];

/// The longest noun phrase taken as a subject, in tokens.
const MAX_SUBJECT: usize = 10;

impl Ctx<'_> {
    /// The subject of the main clause of the sentence starting at token `s0`, before the
    /// cue at `c`: fronted adverbials skipped, then a pronoun or a noun phrase.
    pub(crate) fn sentence_subject(&self, s0: usize, c: usize) -> Option<(usize, usize)> {
        let mut a = s0;
        while let Some(stop) = (a..c).find(|&k| matches!(self.raw(k), "," | "—" | "–") && !self.quoted[k]) {
            if !self.fronted(a, stop) {
                break;
            }
            a = stop + 1;
        }
        if a >= c {
            return None;
        }
        if pronoun_kind(self.raw(a)).is_some() {
            return Some((a, a + 1));
        }
        let (a, b) = self.subject_np(a, c)?;
        Some((a, self.dash_appositive(b, c).unwrap_or(b)))
    }

    /// "Trump’s running mate — Indiana Gov. Mike Pence — has thrown": where a subject goes
    /// on over an appositive between dashes that its verb follows.
    fn dash_appositive(&self, b: usize, c: usize) -> Option<usize> {
        let dash = |k: usize| matches!(self.raw(k), "—" | "–");
        if !dash(b) {
            return None;
        }
        let close = (b + 2..(b + 12).min(c)).find(|&k| dash(k) || self.is_terminal(k) || self.is_quote(k)).filter(|&k| dash(k))?;
        self.verbish(close + 1).then_some(close)
    }

    /// A relative pronoun source ("…, who said …"): it speaks for its own clause only, so
    /// a later participle of the sentence does not carry it over ("Trump was defensive about
    /// an architect who said he was stiffed, saying …" is Trump's).
    pub(crate) fn relative_pronoun(&self, (a, b): (usize, usize)) -> bool {
        b == a + 1 && matches!(self.word(a), "who" | "which" | "that" | "whom")
    }

    /// Whether tokens `a..stop` (before a comma or dash) are an introductory adverbial, not
    /// the subject: a dateline, a time or place phrase, a subordinate or participial clause.
    fn fronted(&self, a: usize, stop: usize) -> bool {
        if stop <= a || stop - a > 30 || (a..stop).any(|k| self.is_quote(k) || self.is_terminal(k)) {
            return false;
        }
        let first = self.word(a);
        let raw = self.raw(a);
        let shouting = raw.chars().count() > 1 && raw.chars().all(|ch| !ch.is_alphabetic() || ch.is_uppercase());
        let short_date = stop - a <= 6 && (a..stop).any(|k| self.kind(k) == Some(TokenKind::Number));
        let participle = self.is_word(a) && first.len() > 4 && (first.ends_with("ed") || first.ends_with("ing")) && stop - a >= 2;
        self.is(a, "(")
            || (self.is_word(a) && (is_in(OPENERS, first) || is_in(PREPOSITIONS, first) || is_adverb(first)))
            || (shouting && self.is_word(a))
            || short_date
            || participle
    }

    /// The noun phrase starting at `a`: a name run ("Warren", "Mr. Obama"), or a phrase
    /// opened by a determiner or a possessive that goes on over plain words up to its verb.
    fn subject_np(&self, a: usize, c: usize) -> Option<(usize, usize)> {
        let mut b = a;
        // Plain words may follow (after a determiner, a possessive, a linking word, or at
        // the start): "the South Carolina senator", "Obama’s aides".
        let mut plain = !self.capitalised(a) || is_in(DETERMINERS, self.word(a));
        let mut stopped = false;
        while b < c && b - a < MAX_SUBJECT {
            let w = self.word(b);
            let ok = match self.kind(b) {
                Some(TokenKind::Word) if self.capitalised(b) && !(b > a && is_in(CLAUSE_BOUNDARIES, w)) => {
                    !(b > a && self.verbish(b))
                }
                Some(TokenKind::Word) => {
                    let link = is_in(LINKS, w);
                    let open = plain || link || is_in(DETERMINERS, w);
                    let ok = open && !self.verbish(b) && !(b > a && is_in(CLAUSE_BOUNDARIES, w) && !link) && !(is_in(PREPOSITIONS, w) && !link);
                    if ok {
                        plain = true;
                    }
                    ok
                }
                Some(TokenKind::Possessive) => {
                    plain = true;
                    true
                }
                Some(TokenKind::Abbreviation | TokenKind::Hyphen | TokenKind::Number) => true,
                _ => false,
            };
            if !ok {
                stopped = true;
                break;
            }
            b += 1;
        }
        if !stopped && b < c {
            return None;
        }
        // A phrase ends on its noun, not on a linking word or a determiner.
        while b > a && (is_in(LINKS, self.word(b - 1)) || is_in(DETERMINERS, self.word(b - 1)) || self.kind(b - 1) == Some(TokenKind::Hyphen)) {
            b -= 1;
        }
        let np = (a, b);
        (b > a && self.np_ok(np)).then_some(np)
    }

    /// A lower-case word that looks like the clause's verb: an auxiliary, a negation, an
    /// adverb, a reporting verb, or a regular past form.
    fn verbish(&self, k: usize) -> bool {
        let w = self.word(k);
        is_in(AUXILIARIES, w)
            || is_in(NEGATIONS, w)
            || (!self.capitalised(k) && is_adverb(w))
            || (!self.capitalised(k) && w.len() > 4 && w.ends_with("ed"))
            || cue_word(w).is_some_and(|cw| matches!(cw.form, Form::Past | Form::ThirdPerson | Form::Base) && !self.capitalised(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::{sentence::sentences, tokenize::{lower_forms, tokenize}};

    fn subject(text: &str, cue: &str) -> Option<String> {
        let tokens = tokenize(text);
        let lows = lower_forms(text, &tokens);
        let sents: Vec<_> = sentences(text, &tokens);
        let ctx = Ctx::new(text, &tokens, &lows, &sents, &[]);
        let at = text.find(cue).unwrap();
        let c = ctx.token_at(at);
        let s0 = ctx.sents[ctx.sent_of[c]].0;
        ctx.sentence_subject(s0, c).map(|(a, b)| ctx.span(a, b).slice(text).unwrap().to_string())
    }

    #[test]
    fn fronted_adverbials_are_skipped() {
        for (text, cue, want) in [
            ("On Thursday, however, Trump spoke to industry leaders, promising to lift rules.", "promising", Some("Trump")),
            ("In August, several environmental groups granted him an extension, saying it was fair.", "saying", Some("several environmental groups")),
            (
                "WASHINGTON, Dec. 8 (UPI) — In response to the proposal, Hillary Clinton’s right-hand woman rallied supporters, saying: “We will win.”",
                "saying",
                Some("Hillary Clinton’s right-hand woman"),
            ),
            ("On Thursday, after remaining neutral, Warren appeared on TV and endorsed Clinton, saying it was time.", "saying", Some("Warren")),
            ("Chastened by the analyses, Trump revised his plan, promising more.", "promising", Some("Trump")),
            ("Dean, a medical doctor, then appeared on MSNBC, saying he would never do it.", "saying", Some("Dean")),
            ("However, the South Carolina senator called on Republicans, saying it was wrong.", "saying", Some("the South Carolina senator")),
            ("He went on, saying it was wrong.", "saying", Some("He")),
            (
                "While Trump has yet to endorse him, Trump’s running mate — Indiana Gov. Mike Pence — has thrown his support behind Ryan, saying he is fine.",
                "saying",
                Some("Trump’s running mate — Indiana Gov. Mike Pence"),
            ),
            ("Scarborough and co-host Mika Brzezinski have struck down claims, arguing it was wrong.", "arguing", Some("Scarborough and co-host Mika Brzezinski")),
        ] {
            assert_eq!(subject(text, cue).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn no_subject_is_guessed_from_an_adverbial_alone() {
        assert_eq!(subject("During the speech on Monday, saying it was late.", "saying"), None);
    }
}

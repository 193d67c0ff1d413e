//! The attribution frames, matched around each cue token:
//!
//! - preposed: SOURCE CUE (that) CONTENT — "Rubio confirmed that …";
//! - postposed: CONTENT, SOURCE CUE — "“…,” Leavitt reported.";
//! - inverted: CONTENT, CUE SOURCE — "“…,” said Josh Earnest.";
//! - split quotes: “…,” she said, “…” — one content, two fragments;
//! - according: "According to SOURCE, CONTENT" and "CONTENT, according to SOURCE";
//! - participial: ", saying / arguing CONTENT", the source carried over from the clause;
//! - colon: "The Times reports:" followed by a quoted paragraph;
//! - line frames (transcript turns, signed pull quotes) come from [`super::lines`].
//!
//! Spans follow `GUIDELINES.md`: the cue is the verb alone (auxiliaries and adverbs left
//! out), the content drops the complementiser "that" and a final period unless a closing
//! quotation mark follows it. Negated speech ("did not reveal") is skipped.

use super::context::Ctx;
use super::cues::{cue_word, CueWord, Form, Strength, NOUNISH};
use super::words::{
    is_adverb, is_in, pronoun_kind, ADDRESSEES, AUXILIARIES, BE, CLAUSE_BOUNDARIES, CONTENT_STOPPERS,
    DETERMINERS, NEGATIONS, PREPOSITIONS,
};
use crate::core::model::span::Span;
use crate::core::nlp::tokenize::TokenKind;

/// Which frame found an attribution (kept for confidence and debugging).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    Preposed,
    Postposed,
    Inverted,
    According,
    Participial,
    Colon,
    /// A transcript turn or a signed pull quote ([`super::lines`]).
    Line,
    /// Found by the learned model ([`super::learned`]) where no rule fired.
    Learned,
}

/// An attribution before ids and entity links: token ranges (half-open).
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub source: Option<(usize, usize)>,
    pub cue: (usize, usize),
    /// Content fragments, in order, as token ranges.
    pub content: Vec<(usize, usize)>,
    pub frame: Frame,
    pub strength: Strength,
}

/// The words just left of a cue: auxiliaries/adverbs, then a noun phrase.
pub(super) struct Left {
    /// The noun phrase, possibly empty (`start == end`).
    pub(super) chunk: (usize, usize),
    /// The token before the chunk (`None` at the sentence start).
    pub(super) boundary: Option<usize>,
    pub(super) negated: bool,
    pub(super) passive: bool,
    pub(super) infinitive: bool,
    /// An auxiliary or modal stands between the chunk and the cue ("will announce").
    pub(super) aux: bool,
}

/// Verbs whose content may be an infinitive ("declined to say", "vowed to fight").
const INFINITIVE_VERBS: &[&str] = &[
    "promise", "vow", "pledge", "threaten", "agree", "decline", "refuse", "propose", "demand", "want", "plan",
    "seek", "hope", "intend", "urge", "ask", "offer", "expect",
];

const DATE_WORDS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tonight", "last", "this", "earlier", "later", "recently", "afterward", "afterwards", "again", "then",
    "once", "twice", "repeatedly", "privately", "publicly", "late", "early",
];

impl Ctx<'_> {
    fn is_boundary(&self, i: usize) -> bool {
        let w = self.word(i);
        match self.kind(i) {
            Some(TokenKind::Word) => {
                is_in(CLAUSE_BOUNDARIES, w)
                    || is_in(AUXILIARIES, w)
                    || is_in(NEGATIONS, w)
                    || (!self.capitalised(i)
                        && cue_word(w).is_some_and(|c| matches!(c.form, Form::ThirdPerson | Form::Base))
                        && !is_in(&["report", "reports"], w))
            }
            Some(TokenKind::Abbreviation | TokenKind::Number | TokenKind::Possessive | TokenKind::Hyphen) => false,
            Some(TokenKind::Handle | TokenKind::Hashtag | TokenKind::Url) => false,
            Some(TokenKind::Punct) => !matches!(self.raw(i), "&" | "/" | "(" | ")"),
            _ => true,
        }
    }

    pub(super) fn left_of(&self, c: usize, s0: usize) -> Left {
        let mut j = c;
        let (mut negated, mut be, mut infinitive, mut aux) = (false, false, false, false);
        while j > s0 {
            let w = self.word(j - 1);
            if !matches!(self.kind(j - 1), Some(TokenKind::Word | TokenKind::Possessive)) {
                break;
            }
            if is_in(AUXILIARIES, w) && !(w.contains('s') && self.kind(j - 1) == Some(TokenKind::Possessive)) {
                be |= is_in(BE, w);
                aux = true;
            } else if is_in(NEGATIONS, w) || w.ends_with("n't") || w.ends_with("n’t") {
                negated = true;
            } else if w == "to" {
                infinitive = true;
            } else if !is_adverb(w) {
                break;
            }
            j -= 1;
        }
        let end = j;
        let mut k = end;
        while k > s0 && !self.is_boundary(k - 1) && end - k < 14 {
            k -= 1;
        }
        let boundary = if k > s0 { Some(k - 1) } else { None };
        Left { chunk: (k, end), boundary, negated, passive: be, infinitive, aux }
    }

    /// A plausible noun phrase: not too long, ends on a noun-ish word.
    pub(super) fn np_ok(&self, (a, b): (usize, usize)) -> bool {
        if a >= b || b - a > 12 {
            return false;
        }
        let last = b - 1;
        let w = self.word(last);
        if is_in(PREPOSITIONS, w) || is_in(DETERMINERS, w) || self.kind(last) == Some(TokenKind::Hyphen) {
            return false;
        }
        if self.kind(a) == Some(TokenKind::Word) && !self.capitalised(a) && is_in(PREPOSITIONS, self.word(a)) {
            return false;
        }
        (a..b).any(|k| matches!(self.kind(k), Some(TokenKind::Word | TokenKind::Abbreviation | TokenKind::Handle)))
    }

    /// Where the content starts right of the cue (token index) and whether it came after
    /// "that" or ":".
    fn content_start(&self, c_end: usize, s1: usize, cue: CueWord) -> Option<(usize, bool)> {
        let limit = (c_end + 12).min(s1);
        let mut skip_to = 0;
        for m in c_end..limit {
            if m <= skip_to && skip_to > 0 {
                continue;
            }
            let w = self.word(m);
            if self.is_word(m) && w == "that" && !self.capitalised(m) {
                // "with that of …" is a pronoun, not the complementiser.
                if m > c_end && is_in(PREPOSITIONS, self.word(m - 1)) {
                    break;
                }
                return Some((m + 1, true));
            }
            // A subject or a finite verb before any "that": the clause has started.
            if self.is_word(m) && (is_in(AUXILIARIES, w) || matches!(pronoun_kind(w), Some(k) if k != super::words::PronounKind::Speaker) || matches!(w, "i" | "we" | "you")) {
                break;
            }
            if self.is(m, ":") {
                return Some((m + 1, true));
            }
            if let Some(close) = self.opening(m).and_then(|q| q.close) {
                // A quoted title ("told ABC’s “Good Morning America” that …").
                if close < limit && self.words_in((m, close)) <= 5 {
                    skip_to = close;
                    continue;
                }
            }
            if self.is_terminal(m) || self.is_quote(m) || self.is(m, ";") || self.is(m, "(") {
                break;
            }
            if m > c_end && cue_word(self.word(m)).is_some_and(|w| w.form != Form::Base) {
                break;
            }
        }
        let mut k = c_end;
        if self.is(k, ",") || self.is(k, ":") || self.is(k, "—") {
            k += 1;
        }
        if self.opening(k).is_some() {
            return Some((k, false));
        }
        if cue.takes_object {
            let mut n = 0;
            while k < s1 && n < 4 && (is_in(ADDRESSEES, self.word(k)) || (self.is_word(k) && self.capitalised(k))) {
                k += 1;
                n += 1;
            }
            if self.is(k, ",") || self.is(k, ":") {
                k += 1;
            }
        }
        if k >= s1 || self.is_terminal(k) {
            return None;
        }
        Some((k, false))
    }

    /// Where the content ends (exclusive token index), from `start` within `s1`.
    fn content_end(&self, start: usize, s1: usize) -> usize {
        let mut end = s1;
        let mut m = start;
        while m < s1 {
            if !self.quoted[m] && (self.is(m, ";") || (self.is(m, ",") && self.stops_content(m + 1))) {
                end = m;
                break;
            }
            // "… but argues that …": a second reporting verb of the same subject.
            if !self.quoted[m] && m > start && matches!(self.word(m), "and" | "but") && self.second_verb(m + 1) {
                end = m;
                break;
            }
            m += 1;
        }
        // A quotation opened inside the content and closed after the sentence carries it on.
        if end == s1 {
            for k in start..end {
                if let Some(q) = self.opening(k) {
                    if let Some(close) = q.close {
                        if close >= end {
                            end = close + 1;
                        }
                    }
                }
            }
        }
        self.trim_end(start, end)
    }

    /// A finite reporting verb (possibly after adverbs) at token `m`: "… and added that".
    fn second_verb(&self, mut m: usize) -> bool {
        while self.is_word(m) && is_adverb(self.word(m)) {
            m += 1;
        }
        !self.capitalised(m)
            && cue_word(self.word(m)).is_some_and(|c| matches!(c.form, Form::Past | Form::ThirdPerson) && !is_in(NOUNISH, c.lemma))
    }

    /// Whether what starts at token `m` (after a comma) is outside the content.
    fn stops_content(&self, m: usize) -> bool {
        let w = self.word(m);
        if is_in(CONTENT_STOPPERS, w) {
            return true;
        }
        // ", and he …": a new clause with its own subject.
        if matches!(w, "and" | "but") && pronoun_kind(self.raw(m + 1)).is_some() {
            return true;
        }
        let m2 = if is_adverb(w) { m + 1 } else { m };
        self.is_participial_cue(m2)
    }

    fn is_participial_cue(&self, m: usize) -> bool {
        !self.quoted.get(m).copied().unwrap_or(true)
            && !self.capitalised(m)
            && cue_word(self.word(m)).is_some_and(|c| c.form == Form::Ing && c.strength == Strength::Speech)
    }

    /// Drops trailing punctuation, keeping a closing quotation mark (and what it closes).
    pub(crate) fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start {
            let k = end - 1;
            let drop = match self.kind(k) {
                Some(TokenKind::Terminal) => true,
                Some(TokenKind::Punct) => matches!(self.raw(k), "," | ";" | ":" | "—" | "–" | "-" | "(" | "["),
                Some(TokenKind::Quote(_)) => self.closing(k).is_none(),
                _ => false,
            };
            if !drop {
                break;
            }
            end -= 1;
        }
        end
    }

    pub(crate) fn words_in(&self, (a, b): (usize, usize)) -> usize {
        (a..b).filter(|&k| self.kind(k).is_some_and(|t| t.is_wordlike())).count()
    }

    /// A noun phrase right of `from` (the source of an inverted frame): up to a comma,
    /// a terminal or a lower-case preposition other than "of".
    fn np_right(&self, from: usize, s1: usize) -> Option<(usize, usize)> {
        let mut k = from;
        while k < s1 && k - from < 12 {
            let w = self.word(k);
            let stop = self.is_terminal(k)
                || self.is_quote(k)
                || (self.kind(k) == Some(TokenKind::Punct) && !self.is(k, "&"))
                || (self.is_word(k) && !self.capitalised(k) && is_in(PREPOSITIONS, w) && w != "of")
                || (self.is_word(k) && !self.capitalised(k) && (is_in(CLAUSE_BOUNDARIES, w) || is_in(AUXILIARIES, w)))
                || (self.is_word(k) && !self.capitalised(k) && cue_word(w).is_some());
            if stop {
                break;
            }
            k += 1;
        }
        let np = (from, k);
        (self.np_ok(np) && (self.capitalised(from) || is_in(DETERMINERS, self.word(from)))).then_some(np)
    }

    /// After a postposed cue: the adjuncts ("in a statement", "on Monday") up to the
    /// sentence end; returns the index after them and a second quotation if the quote
    /// resumes (“…,” she said, “…”).
    pub(super) fn tail(&self, from: usize, s1: usize, cue: CueWord) -> Option<(usize, Option<usize>)> {
        let first = self.word(from);
        let adjunct_start = from >= s1
            || self.is_terminal(from)
            || self.is(from, ",")
            || self.is(from, "—")
            || is_in(PREPOSITIONS, first)
            || is_in(DATE_WORDS, first)
            || self.kind(from) == Some(TokenKind::Number)
            || is_adverb(first)
            || (cue.takes_object && (is_in(ADDRESSEES, first) || self.capitalised(from)));
        if !adjunct_start {
            return None;
        }
        let mut k = from;
        while k < s1 {
            if self.is(k, ",") {
                if let Some(q) = self.opening(k + 1) {
                    return Some((k, q.close.map(|_| k + 1)));
                }
                return Some((k, None));
            }
            // A short quoted title among the adjuncts ("said on MSNBC’s “Morning Joe.”") is
            // a programme's name, not a second content.
            if let Some(close) = self.opening(k).and_then(|q| q.close).filter(|&e| k > from && e < s1 && self.words_in((k, e)) <= 4 && !self.is(k - 1, ",")) {
                k = close + 1;
                continue;
            }
            if self.opening(k).is_some() || (self.is_word(k) && self.word(k) == "that") {
                return None;
            }
            k += 1;
        }
        // "“…,” she said. “…”" is not joined: the second quote may be someone else's.
        Some((k, None))
    }

    /// The content of a postposed frame: the quotation or clause before `boundary`.
    fn content_before(&self, boundary: usize, s0: usize) -> Option<(usize, usize)> {
        let close = if self.closing(boundary).is_some() {
            Some(boundary)
        } else if self.is(boundary, ",") && boundary > 0 && self.closing(boundary - 1).is_some() {
            Some(boundary - 1)
        } else {
            None
        };
        let range = match close.and_then(|c| self.closing(c).map(|q| (q.open, c))) {
            Some((open, c)) => (open.min(s0), c + 1),
            None => (s0, self.trim_end(s0, boundary)),
        };
        (self.words_in(range) >= 2).then_some(range)
    }

    /// Word count of the quotation that closes at `b` (or just before the comma `b`).
    fn quote_words_before(&self, b: usize) -> usize {
        let close = if self.closing(b).is_some() { b } else { b.saturating_sub(1) };
        self.closing(close).map_or(0, |q| self.words_in((q.open, close)))
    }

    /// ", he said, while …": the clause after a parenthetical attribution is content too.
    fn parenthetical_rest(&self, stop: usize, s1: usize) -> Option<(usize, usize)> {
        let gerund_adjunct = self.word(stop + 1).ends_with("ing") && is_in(PREPOSITIONS, self.word(stop + 2));
        if !self.is(stop, ",") || self.stops_content(stop + 1) || gerund_adjunct {
            return None;
        }
        let end = self.content_end(stop + 1, s1);
        (self.words_in((stop + 1, end)) >= 3).then_some((stop + 1, end))
    }

    /// After “…,” she said. — the quote that opens the next sentence of the same
    /// paragraph continues the same speaker's words.
    fn next_quote(&self, s1: usize, quote_before: bool) -> Option<(usize, usize)> {
        if !quote_before || s1 == 0 || !self.is_terminal(s1 - 1) {
            return None;
        }
        let range = self.quotation_range(s1)?;
        if !self.newline_between(s1 - 1, s1) {
            return Some(range);
        }
        // A next paragraph that is nothing but a quote goes on with the same speaker.
        let (_, end) = range;
        let para_ends = end >= self.tokens.len() || self.newline_between(end - 1, end);
        let closed = self.opening(s1).is_some_and(|q| q.close.is_some());
        (para_ends && closed).then_some(range)
    }

    /// The quotation starting at token `open`, as a token range.
    pub(crate) fn quotation_range(&self, open: usize) -> Option<(usize, usize)> {
        let q = self.opening(open)?;
        match q.close {
            Some(c) => Some((open, c + 1)),
            None => {
                let end = self.token_at(q.hull().end);
                Some((open, self.trim_end(open, end)))
            }
        }
    }
}

/// All drafts, in text order of their cues.
pub fn drafts(ctx: &Ctx) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    for (si, &(s0, s1)) in ctx.sents.iter().enumerate() {
        let mut c = s0;
        while c < s1 {
            if ctx.excluded[c] || ctx.quoted[c] {
                c += 1;
                continue;
            }
            let found = if ctx.word(c) == "according" && ctx.word(c + 1) == "to" {
                according(ctx, c, s0, s1)
            } else if ctx.word(c) == "asked" && asked_opens(ctx, c, s0) {
                asked(ctx, c, s1)
            } else if c == s0 {
                headline_colon(ctx, s0, s1)
                    .or_else(|| cue_word(ctx.word(c)).filter(|_| ctx.is_word(c)).and_then(|cue| verb_frame(ctx, c, s0, s1, cue, &out, si)))
            } else if ctx.is_word(c) && (!ctx.capitalised(c) || c == s0) {
                cue_word(ctx.word(c)).and_then(|cue| verb_frame(ctx, c, s0, s1, cue, &out, si))
            } else {
                None
            };
            if let Some(d) = found {
                out.push(d);
            }
            c += 1;
        }
    }
    let lines: Vec<Draft> = super::lines::drafts(ctx).into_iter().filter(|l| !out.iter().any(|d| d.cue.0 < l.cue.1 && l.cue.0 < d.cue.1)).collect();
    if !lines.is_empty() {
        out.extend(lines);
        out.sort_by_key(|d| d.cue.0);
    }
    out
}

/// Labels that open headlines without naming a speaker ("Update: …", "Watch: …").
pub(crate) const HEADLINE_LABELS: &[&str] = &[
    "update", "updated", "watch", "breaking", "exclusive", "video", "photos", "photo", "live", "note",
    "editor", "opinion", "analysis", "read", "listen", "explainer", "factbox", "timeline", "q&a", "poll",
    "review", "correction", "related", "see", "also", "source", "sources", "credit", "by", "tags", "topics",
];

/// "Pat Caddell: Democrats Worried …" — a headline line quoting a named speaker.
fn headline_colon(ctx: &Ctx, s0: usize, s1: usize) -> Option<Draft> {
    let para_start = s0 == 0 || ctx.newline_between(s0 - 1, s0);
    let para_end = s1 >= ctx.tokens.len() || ctx.newline_between(s1 - 1, s1);
    if !para_start || !para_end {
        return None;
    }
    let colon = (s0 + 1..(s0 + 5).min(s1)).find(|&k| ctx.is(k, ":"))?;
    let name = (s0, colon);
    let all_caps_words = (s0..colon).all(|k| match ctx.kind(k) {
        Some(TokenKind::Word) => ctx.capitalised(k) && cue_word(ctx.word(k)).is_none(),
        Some(TokenKind::Abbreviation | TokenKind::Possessive | TokenKind::Hyphen) => true,
        _ => false,
    });
    let label = is_in(HEADLINE_LABELS, ctx.word(s0));
    let shouting = ctx.raw(s0).chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && ctx.raw(s0).chars().count() > 3;
    let text = ctx.span(s0, colon).slice(ctx.text).unwrap_or("");
    let place = crate::core::nlp::lexicon::place_kind(text).is_some();
    let content = (colon + 1, ctx.trim_end(colon + 1, s1));
    let ok = all_caps_words && !label && !shouting && !place && ctx.words_in(content) >= 3 && !ctx.is_terminal(s1 - 1);
    ok.then(|| Draft { source: Some(name), cue: (colon, colon + 1), content: vec![content], frame: Frame::Colon, strength: Strength::Weak })
}

/// "Asked about …," / "When asked whether …," at the start of a sentence.
fn asked_opens(ctx: &Ctx, c: usize, s0: usize) -> bool {
    c == s0 || (c == s0 + 1 && matches!(ctx.word(s0), "when" | "after" | "if" | "once" | "while"))
}

/// The question of "Asked whether he would run, Smith said …": content up to the comma,
/// the speaker unnamed (the answer is its own attribution).
fn asked(ctx: &Ctx, c: usize, s1: usize) -> Option<Draft> {
    let comma = (c + 1..s1).find(|&k| ctx.is(k, ",") && !ctx.quoted[k])?;
    let content = (c + 1, comma);
    (ctx.words_in(content) >= 2 && comma - c <= 25).then(|| Draft {
        source: None,
        cue: (c, c + 1),
        content: vec![content],
        frame: Frame::Preposed,
        strength: Strength::Weak,
    })
}

fn according(ctx: &Ctx, c: usize, s0: usize, s1: usize) -> Option<Draft> {
    let src_start = c + 2;
    let mut k = src_start;
    while k < s1 && !ctx.is(k, ",") && !ctx.is_terminal(k) && !ctx.is_quote(k) && k - src_start < 14 {
        k += 1;
    }
    let source = (src_start, k);
    if !ctx.np_ok(source) {
        return None;
    }
    let initial = c == s0 || (c > s0 && matches!(ctx.raw(c - 1), "(" | "—") ) || (c == s0 + 1 && ctx.is_word(s0));
    let content = if initial && ctx.is(k, ",") {
        let end = ctx.content_end(k + 1, s1);
        (k + 1, end)
    } else if c > s0 {
        let before = if ctx.is(c - 1, ",") { c - 1 } else { c };
        (s0, ctx.trim_end(s0, before))
    } else {
        return None;
    };
    (ctx.words_in(content) >= 2).then(|| Draft {
        source: Some(source),
        cue: (c, c + 2),
        content: vec![content],
        frame: Frame::According,
        strength: Strength::Speech,
    })
}

fn verb_frame(ctx: &Ctx, c: usize, s0: usize, s1: usize, cue: CueWord, done: &[Draft], si: usize) -> Option<Draft> {
    // A passive participle ("sources cited by Reuters", "a report released by") is no cue.
    if cue.form == Form::Past && ctx.word(c + 1) == "by" {
        return None;
    }
    let left = ctx.left_of(c, s0);
    if left.negated || left.infinitive || (left.passive && cue.form == Form::Past) {
        return None;
    }
    // A bare base form is a verb only after a plural or pronoun subject or an auxiliary;
    // otherwise it is a noun ("the ceasefire plan", "a report").
    if cue.form == Form::Base && !left.aux && left.chunk.1 > left.chunk.0 {
        let plural = |w: &str| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss");
        let head = ctx.word(left.chunk.1 - 1);
        // The head of "Reports from Bloomberg" is its first noun.
        let first_head = (left.chunk.0..left.chunk.1)
            .take_while(|&k| !is_in(PREPOSITIONS, ctx.word(k)))
            .last()
            .map_or("", |k| ctx.word(k));
        if !(plural(head) || plural(first_head) || matches!(head, "i" | "we" | "they" | "you" | "people" | "police" | "media")) {
            return None;
        }
    }
    let mut c_end = c + 1;
    // Phrasal particles stay out of the cue but must not start the content.
    if matches!(ctx.word(c_end), "out" | "up" | "back") && cue.lemma != "say" {
        c_end += 1;
    }
    let draft = |source, content: Vec<(usize, usize)>, frame| Draft { source, cue: (c, c + 1), content, frame, strength: cue.strength };
    let boundary = left.boundary;
    let chunk_empty = left.chunk.0 == left.chunk.1;
    let after_comma_or_quote = boundary.is_some_and(|b| ctx.is(b, ",") || ctx.closing(b).is_some());

    // Participial: ", saying …" — source carried over from the clause.
    if cue.form == Form::Ing && chunk_empty && boundary.is_some_and(|b| ctx.is(b, ",")) {
        if cue.strength != Strength::Speech {
            return None;
        }
        let (start, _) = ctx.content_start(c_end, s1, cue)?;
        let end = ctx.content_end(start, s1);
        if ctx.words_in((start, end)) < 2 {
            return None;
        }
        let source = done
            .iter()
            .rev()
            .find(|d| ctx.sent_of.get(d.cue.0) == Some(&si) && d.cue.0 < c)
            .and_then(|d| d.source)
            .filter(|&r| !ctx.relative_pronoun(r))
            .or_else(|| ctx.sentence_subject(s0, c));
        return Some(draft(source, vec![(start, end)], Frame::Participial));
    }
    if cue.form == Form::Ing && !left.passive {
        // "-ing" without a comma or an auxiliary is a gerund or modifier ("reporting rules").
        return None;
    }

    let mut quote_before = boundary.is_some_and(|b| {
        ctx.closing(b).is_some() || (ctx.is(b, ",") && b > 0 && ctx.closing(b - 1).is_some())
    });
    // “…,” Graham, a former candidate, told CBS: a name and its appositive after the quote.
    let mut left_chunk = left.chunk;
    let mut boundary = boundary;
    if !quote_before && !chunk_empty {
        if let Some((start, qb)) = boundary.filter(|&b| ctx.is(b, ",")).and_then(|b| appositive_after_quote(ctx, b, s0)) {
            left_chunk = (start, left.chunk.1);
            boundary = Some(qb);
            quote_before = true;
        }
    }
    let left = Left { chunk: left_chunk, ..left };

    // Inverted: “…,” said SOURCE.
    if chunk_empty && quote_before {
        if let Some(d) = inverted(ctx, c, c_end, s0, s1, boundary, quote_before, cue) {
            return Some(d);
        }
    }

    let chunk_ok = ctx.np_ok(left.chunk);
    // Postposed: CONTENT, SOURCE CUE (adjuncts). After a closing quote always; after a
    // plain comma only when adjuncts, not a clause, follow the cue.
    if chunk_ok && after_comma_or_quote {
        let real_quote = boundary.is_some_and(|b| ctx.quote_words_before(b) >= 4);
        let tail = ctx.tail(c_end, s1, cue).or_else(|| (quote_before && real_quote).then_some((s1, None)));
        if let (Some((stop, second)), Some(b)) = (tail, boundary) {
            if let Some(content) = ctx.content_before(b, s0) {
                let mut parts = vec![content];
                let resumed = second
                    .and_then(|o| ctx.quotation_range(o))
                    .or_else(|| ctx.next_quote(s1, quote_before))
                    .or_else(|| (!quote_before).then(|| ctx.parenthetical_rest(stop, s1)).flatten());
                parts.extend(resumed);
                return Some(draft(Some(left.chunk), parts, Frame::Postposed));
            }
        }
    }

    // "Carson admitted …, but said …": the subject of the first verb carries over.
    if chunk_empty && boundary.is_some_and(|b| matches!(ctx.word(b), "and" | "but") && !ctx.capitalised(b)) {
        let source = done
            .iter()
            .rev()
            .find(|d| ctx.sent_of.get(d.cue.0) == Some(&si) && d.cue.0 < c)
            .and_then(|d| d.source)
            .filter(|&r| !ctx.relative_pronoun(r))
            .or_else(|| ctx.sentence_subject(s0, c))?;
        return preposed(ctx, c, c_end, s1, cue, source);
    }

    // "…, who said …": the relative pronoun is the source.
    if chunk_empty && boundary.is_some_and(|b| matches!(ctx.word(b), "who" | "which") && !ctx.capitalised(b)) {
        let b = boundary?;
        let (start, _) = ctx.content_start(c_end, s1, cue)?;
        let end = ctx.content_end(start, s1);
        return (ctx.words_in((start, end)) >= 2).then(|| draft(Some((b, b + 1)), vec![(start, end)], Frame::Preposed));
    }

    // Preposed: SOURCE CUE (that) CONTENT.
    let source = if chunk_ok {
        Some(left.chunk)
    } else if chunk_empty && boundary.is_some_and(|b| ctx.is(b, ",")) {
        boundary.and_then(|b| appositive_source(ctx, b, s0))
    } else {
        None
    };
    let preposed = source.and_then(|source| preposed(ctx, c, c_end, s1, cue, source));
    if preposed.is_some() {
        return preposed;
    }
    // "…, said several observers."
    if chunk_empty && after_comma_or_quote && !quote_before {
        return inverted(ctx, c, c_end, s0, s1, boundary, quote_before, cue);
    }
    None
}

fn preposed(ctx: &Ctx, c: usize, c_end: usize, s1: usize, cue: CueWord, source: (usize, usize)) -> Option<Draft> {
    let draft = |content: Vec<(usize, usize)>, frame| Draft { source: Some(source), cue: (c, c + 1), content, frame, strength: cue.strength };
    let (start, via) = ctx.content_start(c_end, s1, cue)?;
    let nounish = matches!(cue.form, Form::Base | Form::ThirdPerson) && is_in(NOUNISH, cue.lemma);
    if nounish && !via && ctx.opening(start).is_none() {
        return None;
    }
    if start >= s1 {
        // "… reports:" at a paragraph end, the quote in the next paragraph.
        if via && ctx.is(start - 1, ":") {
            let q = ctx.quotation_range(start).filter(|_| ctx.newline_between(start - 1, start))?;
            return Some(draft(vec![q], Frame::Colon));
        }
        return None;
    }
    if !via && ctx.opening(start).is_none() {
        let w = ctx.word(start);
        let next = ctx.word(start + 1);
        let infinitive_ok = w == "to"
            && is_in(INFINITIVE_VERBS, cue.lemma)
            && ctx.is_word(start + 1)
            && !ctx.capitalised(start + 1)
            && !is_in(DETERMINERS, next)
            && !matches!(next, "him" | "her" | "them" | "me" | "us" | "it");
        if cue.strength == Strength::Weak && is_in(PREPOSITIONS, w) && !infinitive_ok {
            return None;
        }
        if cue.lemma == "say" && is_in(&["to", "of", "about", "so", "it", "nothing", "something", "anything"], w) {
            return None;
        }
    }
    let end = ctx.content_end(start, s1);
    if ctx.words_in((start, end)) < 2 {
        return None;
    }
    Some(draft(vec![(start, end)], Frame::Preposed))
}

/// The start of "Graham" in “…,” Graham, a former candidate, told …, and the token the
/// quote ends at (its closing mark, or the comma after it).
fn appositive_after_quote(ctx: &Ctx, comma: usize, s0: usize) -> Option<(usize, usize)> {
    // Walk back over the name and any appositive (commas included) to the quote.
    let mut a = comma;
    while a > s0 && comma - a < 30 {
        let p = a - 1;
        let quote_end = ctx.closing(p).is_some() || (ctx.is(p, ",") && p > 0 && ctx.closing(p - 1).is_some());
        if quote_end || ctx.is_terminal(p) || ctx.is_quote(p) {
            break;
        }
        a -= 1;
    }
    if a == comma || a <= s0 || !ctx.capitalised(a) {
        return None;
    }
    let qb = a - 1;
    let quoted = ctx.closing(qb).is_some() || (ctx.is(qb, ",") && qb > 0 && ctx.closing(qb - 1).is_some());
    quoted.then_some((a, qb))
}

/// “…,” said SOURCE (adjuncts), with a resumed quote as a second fragment.
#[allow(clippy::too_many_arguments)]
fn inverted(
    ctx: &Ctx,
    c: usize,
    c_end: usize,
    s0: usize,
    s1: usize,
    boundary: Option<usize>,
    quote_before: bool,
    cue: CueWord,
) -> Option<Draft> {
    let b = boundary?;
    let source = ctx.np_right(c_end, s1)?;
    let named = (source.0..source.1).any(|k| ctx.capitalised(k));
    let ends = source.1 >= s1 || ctx.is_terminal(source.1);
    if !quote_before && !(ends || (named && ctx.is(source.1, ","))) {
        return None;
    }
    let (_, second) = ctx.tail(source.1, s1, CueWord { takes_object: false, ..cue })?;
    let content = ctx.content_before(b, s0)?;
    let mut parts = vec![content];
    parts.extend(second.and_then(|o| ctx.quotation_range(o)).or_else(|| ctx.next_quote(s1, quote_before)));
    Some(Draft { source: Some(source), cue: (c, c + 1), content: parts, frame: Frame::Inverted, strength: cue.strength })
}

/// "Steve Witkoff, Trump’s envoy, said …": the noun phrase before the appositive.
fn appositive_source(ctx: &Ctx, comma: usize, s0: usize) -> Option<(usize, usize)> {
    let mut k = comma;
    while k > s0 && !ctx.is(k - 1, ",") && comma - k < 20 {
        k -= 1;
    }
    if k <= s0 || !ctx.is(k - 1, ",") {
        return None;
    }
    let first_comma = k - 1;
    let mut a = first_comma;
    while a > s0 && !ctx.is_boundary(a - 1) && first_comma - a < 8 {
        a -= 1;
    }
    let head = (a, first_comma);
    if ctx.np_ok(head) && ctx.capitalised(a) && comma - k >= 1 {
        return Some((a, comma));
    }
    // Several commas inside the appositive ("Angelique Brunner, a developer and
    // spokeswoman for the Coalition, which is made up of investors, said …"): the head is
    // the sentence's first segment.
    let first = (s0..comma).find(|&t| ctx.is(t, ","))?;
    let clean = (s0..comma).all(|t| !ctx.is_terminal(t) && !ctx.is_quote(t)) && comma - s0 <= 40;
    let head = (s0, first);
    let plain = (s0..first).all(|t| !is_in(AUXILIARIES, ctx.word(t)) && cue_word(ctx.word(t)).is_none_or(|_| ctx.capitalised(t)));
    (clean && plain && ctx.np_ok(head) && ctx.capitalised(s0)).then_some((s0, comma))
}

/// Byte spans of a draft's parts.
pub fn to_spans(ctx: &Ctx, range: (usize, usize)) -> Span {
    ctx.span(range.0, range.1)
}

//! What the learned attribution model sees: hashed feature keys for the cue tagger (one
//! token), and the candidate content and source spans of a cue with their features.
//! Training and inference call the same functions, so the model is scored on exactly
//! the features it was trained with.

use super::super::context::Ctx;
use super::super::cues::{cue_word, Form, Strength};
use super::super::patterns::{Draft, Frame};
use super::super::words::{has_adverb_shape, is_adverb, is_in, pronoun_kind, ADVERBS, AUXILIARIES, DETERMINERS, NEGATIONS, PREPOSITIONS};
use crate::core::nlp::fasthash::FxHashSet;
use crate::core::model::annotation::Entity;
use crate::core::model::label::Label;
use crate::core::nlp::tokenize::TokenKind;

/// A token range, half-open.
pub type Range = (usize, usize);

/// The document as the model reads it: the rules' context, entity labels per token and
/// the rules' own drafts (the model uses them as features).
pub struct View<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    /// Entity label code per token (0: none).
    pub ent: Vec<u8>,
    /// Index + 1 into `drafts` of the rule draft whose cue starts at each token (0: none).
    pub rule_at: Vec<u32>,
    pub drafts: Vec<Draft>,
    /// Per token: hashes of its class ([`cls`]), of its lower-case word, of its word's
    /// stem and of its class's stem, made once so the cue features combine hashes
    /// instead of hashing strings.
    h_cls: Vec<u64>,
    h_word: Vec<u64>,
    h_stem: Vec<u64>,
    h_cls_stem: Vec<u64>,
    /// Per token: [`OPENS`] / [`CLOSES`] bits of the quotations it opens or closes, so the
    /// cue features need no map lookups.
    marks: Vec<u8>,
    /// Prefix counts over tokens outside quotations: cue-lexicon words, commas (the
    /// content features count them inside every candidate).
    pre_cues: Vec<u32>,
    pre_commas: Vec<u32>,
    /// Per token: an auxiliary, negation or adverb (skipped when looking for a subject).
    skippable: Vec<bool>,
}

const OPENS: u8 = 1;
const CLOSES: u8 = 2;

impl<'c, 'a> View<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>, entities: &[Entity], drafts: Vec<Draft>) -> View<'c, 'a> {
        let n = ctx.tokens.len();
        let mut ent = vec![0u8; n];
        for e in entities {
            let code = match e.label {
                Label::Person => 1,
                Label::Org => 2,
                Label::Gpe => 3,
                Label::Loc => 4,
                Label::Norp => 5,
                Label::Date => 6,
                Label::Role => 7,
                Label::Custom(_) => 8,
            };
            let from = ctx.token_at(e.span.start);
            for (k, slot) in ent.iter_mut().enumerate().skip(from) {
                if ctx.tokens[k].span.start >= e.span.end {
                    break;
                }
                *slot = code;
            }
        }
        let mut rule_at = vec![0u32; n];
        for (i, d) in drafts.iter().enumerate() {
            if let Some(slot) = rule_at.get_mut(d.cue.0) {
                if *slot == 0 {
                    *slot = i as u32 + 1;
                }
            }
        }
        let h_cls: Vec<u64> = (0..n).map(|i| hash_str(cls(ctx, i))).collect();
        let h_word: Vec<u64> = (0..n).map(|i| hash_str(ctx.word(i))).collect();
        let h_stem: Vec<u64> = (0..n).map(|i| hash_str(stem(ctx.word(i)))).collect();
        let h_cls_stem: Vec<u64> = (0..n).map(|i| hash_str(stem(cls(ctx, i)))).collect();
        let mut marks = vec![0u8; n];
        for q in &ctx.quotes {
            if let Some(m) = marks.get_mut(q.open) {
                *m |= OPENS;
            }
            if let Some(m) = q.close.and_then(|c| marks.get_mut(c)) {
                *m |= CLOSES;
            }
        }
        let mut pre_cues = vec![0u32; n + 1];
        let mut pre_commas = vec![0u32; n + 1];
        for k in 0..n {
            let outside = !ctx.quoted[k];
            pre_cues[k + 1] = pre_cues[k] + u32::from(outside && lex(ctx, k) != "-");
            pre_commas[k + 1] = pre_commas[k] + u32::from(outside && ctx.is(k, ","));
        }
        let skip_words = skip_words();
        let skippable = (0..n)
            .map(|k| {
                let w = ctx.word(k);
                ctx.is_word(k) && (skip_words.contains(w) || has_adverb_shape(w) || w.ends_with("n't") || w.ends_with("n’t"))
            })
            .collect();
        View { ctx, ent, rule_at, drafts, h_cls, h_word, h_stem, h_cls_stem, marks, pre_cues, pre_commas, skippable }
    }

    /// The rule draft whose cue lies in `cue`, if any.
    pub fn rule_in(&self, (c0, c1): Range) -> Option<&Draft> {
        (c0..c1).find_map(|k| self.rule_at.get(k).copied().filter(|&r| r > 0)).and_then(|r| self.drafts.get(r as usize - 1))
    }

    fn h_cls(&self, i: usize) -> u64 {
        self.h_cls.get(i).copied().unwrap_or(*EDGE)
    }

    fn h_cls_before(&self, i: usize) -> u64 {
        i.checked_sub(1).map_or(*EDGE, |k| self.h_cls(k))
    }

    /// How many tokens of `frags` a prefix count counts.
    fn count_in(pre: &[u32], frags: &[Range]) -> usize {
        frags.iter().map(|&(a, b)| pre.get(b).zip(pre.get(a)).map_or(0, |(y, x)| (y - x) as usize)).sum()
    }

    fn mark(&self, i: usize, bit: u8) -> bool {
        self.marks.get(i).is_some_and(|m| m & bit != 0)
    }

    fn ent(&self, i: usize) -> u8 {
        self.ent.get(i).copied().unwrap_or(9)
    }
}

/// Auxiliaries, negations and listed adverbs in one set: one hash per token instead of
/// a scan of three lists.
fn skip_words() -> &'static FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| AUXILIARIES.iter().chain(NEGATIONS).chain(ADVERBS).copied().collect())
}

/// The hash of the edge class (outside the text).
static EDGE: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| hash_str("<edge>"));

/// A string's hash (FxHash's multiply-rotate over 8-byte words, length mixed in); no
/// copying, so hashing a short word is a handful of instructions.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let b = s.as_bytes();
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = 0u64;
        for (n, &x) in c.iter().enumerate() {
            w |= u64::from(x) << (8 * n);
        }
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let mut w = 0u64;
    for (n, &x) in chunks.remainder().iter().enumerate() {
        w |= u64::from(x) << (8 * n);
    }
    (h.rotate_left(5) ^ w ^ 0xff).wrapping_mul(K)
}

/// A feature key from a template id and the hashes of its parts.
#[inline]
pub fn key_h(t: u8, parts: &[u64]) -> u32 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = u64::from(t).wrapping_add(1).wrapping_mul(K);
    for &p in parts {
        h = (h.rotate_left(23) ^ p).wrapping_mul(K);
    }
    (h ^ (h >> 29) ^ (h >> 47)) as u32
}

/// A feature key: template id and up to three strings, hashed.
#[inline]
fn key(t: u8, parts: &[&str]) -> u32 {
    let mut hs = [0u64; 4];
    for (d, p) in hs.iter_mut().zip(parts) {
        *d = hash_str(p);
    }
    key_h(t, &hs[..parts.len().min(4)])
}

/// A crude stem: "denies", "denied" → "deni"; "argues", "arguing", "argued" → "argu".
pub fn stem(w: &str) -> &str {
    let n = w.len();
    let cut = |k: usize| w.get(..n - k).unwrap_or(w);
    if n > 4 && (w.ends_with("ies") || w.ends_with("ied")) {
        cut(2)
    } else if n > 5 && w.ends_with("ing") {
        cut(3)
    } else if n > 4 && (w.ends_with("ed") || w.ends_with("es")) {
        cut(2)
    } else if n > 3 && ((w.ends_with('s') && !w.ends_with("ss")) || w.ends_with('e')) {
        cut(1)
    } else {
        w
    }
}

/// A token's class for context features: the lower-cased word, or its punctuation role.
fn cls<'x>(ctx: &'x Ctx, i: usize) -> &'x str {
    match ctx.kind(i) {
        None => "<edge>",
        Some(TokenKind::Quote(_)) => {
            if ctx.opening(i).is_some() {
                "<q>"
            } else if ctx.closing(i).is_some() {
                "</q>"
            } else {
                "<'>"
            }
        }
        Some(TokenKind::Number) => "<num>",
        Some(TokenKind::Terminal) => ".",
        Some(TokenKind::Word | TokenKind::Abbreviation | TokenKind::Possessive) => ctx.word(i),
        Some(TokenKind::Url | TokenKind::Handle | TokenKind::Hashtag) => "<link>",
        Some(_) => ctx.raw(i),
    }
}

fn cls_before<'x>(ctx: &'x Ctx, i: usize) -> &'x str {
    if i == 0 {
        "<edge>"
    } else {
        cls(ctx, i - 1)
    }
}

fn shape(ctx: &Ctx, i: usize) -> &'static str {
    let raw = ctx.raw(i);
    let mut chars = raw.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => {
            if raw.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && raw.len() > 1 {
                "AA"
            } else {
                "Aa"
            }
        }
        Some(c) if c.is_lowercase() => "aa",
        Some(c) if c.is_numeric() => "9",
        Some(_) => "p",
        None => "",
    }
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        9..=16 => "9-16",
        17..=32 => "17-32",
        _ => "33+",
    }
}

const ENT: [&str; 10] = ["-", "PER", "ORG", "GPE", "LOC", "NORP", "DATE", "ROLE", "X", "<edge>"];

fn ent_name(v: &View, i: usize) -> &'static str {
    ENT[usize::from(v.ent(i)).min(9)]
}

fn lex(ctx: &Ctx, i: usize) -> &'static str {
    if ctx.is_word(i) {
        lex_of(ctx.word(i))
    } else {
        "-"
    }
}

fn lex_of(w: &str) -> &'static str {
    match cue_word(w) {
        None => "-",
        Some(c) => match (c.form, c.strength) {
            (Form::Base, Strength::Speech) => "base-s",
            (Form::Base, Strength::Weak) => "base-w",
            (Form::ThirdPerson, Strength::Speech) => "3rd-s",
            (Form::ThirdPerson, Strength::Weak) => "3rd-w",
            (Form::Past, Strength::Speech) => "past-s",
            (Form::Past, Strength::Weak) => "past-w",
            (Form::Ing, Strength::Speech) => "ing-s",
            (Form::Ing, Strength::Weak) => "ing-w",
        },
    }
}

fn frame_name(f: Frame) -> &'static str {
    match f {
        Frame::Preposed => "pre",
        Frame::Postposed => "post",
        Frame::Inverted => "inv",
        Frame::According => "acc",
        Frame::Participial => "part",
        Frame::Colon => "colon",
        Frame::Line => "line",
        Frame::Learned => "learned",
    }
}

/// Whether token `i` is one the cue tagger scores (others are never cues).
pub fn taggable(ctx: &Ctx, i: usize) -> bool {
    match ctx.kind(i) {
        Some(TokenKind::Word | TokenKind::Abbreviation | TokenKind::Possessive) => !ctx.excluded[i],
        Some(TokenKind::Punct) => !ctx.excluded[i] && matches!(ctx.raw(i), ":" | "—" | "―" | "–" | "--"),
        _ => false,
    }
}

/// The cue tagger's features for token `i` (O / B / I scored from the same keys): the
/// ones of its own word, of its neighbours' classes, and of its context.
pub fn cue_features(v: &View, i: usize, out: &mut Vec<u32>) {
    let ctx = v.ctx;
    out.clear();
    cue_word_features(ctx.word(i), ctx.is_word(i), out);
    for (slot, k) in [(NB_LEFT, i.wrapping_sub(1)), (NB_RIGHT, i + 1), (NB_LEFT2, i.wrapping_sub(2)), (NB_RIGHT2, i + 2)] {
        out.push(cue_neighbour_feature(slot, neighbour_class(ctx, k)));
    }
    cue_context_features(v, i, out);
}

/// Neighbour slots of [`cue_neighbour_feature`]: the template ids.
pub const NB_LEFT: u8 = 4;
pub const NB_RIGHT: u8 = 5;
pub const NB_LEFT2: u8 = 8;
pub const NB_RIGHT2: u8 = 9;

/// The class of a neighbour token (`usize::MAX` and past the end: the edge).
pub fn neighbour_class<'x>(ctx: &'x Ctx, k: usize) -> &'x str {
    if k == usize::MAX {
        "<edge>"
    } else {
        cls(ctx, k)
    }
}

/// The cue templates of the token's own (lower-case) word; `is_word` as
/// [`Ctx::is_word`]. Inference sums them once per distinct word.
pub fn cue_word_features(w0: &str, is_word: bool, out: &mut Vec<u32>) {
    let suffix = w0.get(w0.len().saturating_sub(3)..).unwrap_or("");
    let lx = if is_word { lex_of(w0) } else { "-" };
    out.extend([key(1, &[w0]), key(2, &[stem(w0)]), key(3, &[suffix]), key(10, &[lx])]);
}

/// The cue template of a neighbour's class in one slot.
pub fn cue_neighbour_feature(slot: u8, class: &str) -> u32 {
    key(slot, &[class])
}

/// The cue templates that need the token's context.
pub fn cue_context_features(v: &View, i: usize, out: &mut Vec<u32>) {
    let ctx = v.ctx;
    let (wm1, w0, wp1) = (v.h_cls_before(i), v.h_word.get(i).copied().unwrap_or(0), v.h_cls(i + 1));
    let st = v.h_stem.get(i).copied().unwrap_or(0);
    let stm1 = i.checked_sub(1).and_then(|k| v.h_cls_stem.get(k).copied()).unwrap_or(*EDGE);
    let lx = hash_str(lex(ctx, i));
    let s0 = ctx.sent_of.get(i).and_then(|&s| ctx.sents.get(s)).map_or(0, |s| s.0);
    let first = if i == s0 { "first" } else { "mid" };
    let rule = match v.rule_at.get(i).copied().unwrap_or(0) {
        0 => "-",
        r => v.drafts.get(r as usize - 1).map_or("-", |d| frame_name(d.frame)),
    };
    let rule = hash_str(rule);
    let quoted = hash_str(if ctx.quoted.get(i).copied().unwrap_or(false) { "q" } else { "-" });
    let left_ent = (i.saturating_sub(3)..i).rev().map(|k| ent_name(v, k)).find(|e| *e != "-").unwrap_or("-");
    let shape = hash_str(shape(ctx, i));
    out.extend([
        key_h(0, &[]),
        key_h(6, &[wm1, w0]),
        key_h(7, &[w0, wp1]),
        key_h(11, &[shape, hash_str(first)]),
        key_h(12, &[quoted, lx]),
        key_h(13, &[hash_str(ent_name(v, i.wrapping_sub(1))), hash_str(ent_name(v, i + 1))]),
        key_h(14, &[rule]),
        key_h(15, &[rule, st]),
        key_h(16, &[st, wp1]),
        key_h(17, &[wm1, st]),
        key_h(18, &[hash_str(left_ent), lx]),
        key_h(19, &[stm1, st]),
        key_h(20, &[hash_str(ent_name(v, i)), shape]),
        key_h(21, &[quoted, wm1, wp1]),
    ]);
    // Syntax-lite: what the word governs on its right, who stands before it as its
    // subject, and whether it sits on a quotation's edge, each with the stem (a cue verb
    // followed by "that" or a quote is speech; "watched the ceremony" is not).
    let right = hash_str(right_frame(v, i));
    let subj = hash_str(subject_class(v, i));
    let edge = hash_str(quote_edge(v, i));
    let lead = hash_str(line_lead(ctx, i));
    out.extend([
        key_h(22, &[right, st]),
        key_h(23, &[subj, st]),
        key_h(24, &[subj, right]),
        key_h(25, &[edge, st]),
        key_h(26, &[edge, subj, right]),
        key_h(27, &[lead, lx, right]),
    ]);
}

/// What follows token `i`, adverbs and particles skipped: a "that"-complement, a quote,
/// a colon, an infinitive, a preposition, a noun phrase, a clause end.
fn right_frame(v: &View, i: usize) -> &'static str {
    let ctx = v.ctx;
    let mut k = i + 1;
    while k < i + 4 && ctx.is_word(k) && (is_adverb(ctx.word(k)) || matches!(ctx.word(k), "out" | "up" | "off" | "back")) {
        k += 1;
    }
    match ctx.kind(k) {
        None | Some(TokenKind::Terminal) => "end",
        Some(TokenKind::Quote(_)) => {
            if v.mark(k, OPENS) {
                "quote"
            } else {
                "closeq"
            }
        }
        Some(TokenKind::Punct) => match ctx.raw(k) {
            ":" => "colon",
            "," => {
                if v.mark(k + 1, OPENS) {
                    "comma-quote"
                } else {
                    "comma"
                }
            }
            "—" | "–" | "―" => "dash",
            _ => "punct",
        },
        Some(TokenKind::Word | TokenKind::Abbreviation | TokenKind::Possessive) => {
            let w = ctx.word(k);
            if w == "that" {
                "that"
            } else if w == "to" {
                "to"
            } else if matches!(w, "if" | "whether" | "how" | "why" | "what" | "when") {
                "wh"
            } else if is_in(PREPOSITIONS, w) {
                "prep"
            } else if is_in(DETERMINERS, w) {
                "det"
            } else if pronoun_kind(ctx.raw(k)).is_some() {
                "pron"
            } else if ctx.capitalised(k) {
                "Cap"
            } else {
                "word"
            }
        }
        _ => "other",
    }
}

/// The nearest thing left of token `i` in its clause that could be its subject
/// (auxiliaries, negations and adverbs skipped): a person, organisation or role, a
/// pronoun, a relative "who", another capitalised word, a lower-case word, or nothing.
fn subject_class(v: &View, i: usize) -> &'static str {
    let ctx = v.ctx;
    let mut k = i;
    while k > 0 && i - k < 6 {
        k -= 1;
        if !ctx.is_word(k) {
            return match ctx.raw(k) {
                "," => "comma",
                _ if v.mark(k, CLOSES) => "quote",
                _ => "none",
            };
        }
        if v.skippable[k] {
            continue;
        }
        let w = ctx.word(k);
        return match v.ent(k) {
            1 => "PER",
            2 => "ORG",
            7 => "ROLE",
            3 | 4 | 5 => "GPE",
            _ if w == "who" => "who",
            _ if pronoun_kind(ctx.raw(k)).is_some() => "pron",
            _ if ctx.capitalised(k) => "Cap",
            _ => "word",
        };
    }
    "none"
}

/// Token `i` against quotation marks: just after a closing one ("…,” she said), just
/// before an opening one, inside one, or none of these.
fn quote_edge(v: &View, i: usize) -> &'static str {
    let ctx = v.ctx;
    let before = (i.saturating_sub(4)..i).any(|k| v.mark(k, CLOSES));
    let after = (i + 1..i + 4).any(|k| v.mark(k, OPENS));
    match (before, after) {
        (true, true) => "between",
        (true, false) => "after-q",
        (false, true) => "before-q",
        _ if ctx.quoted.get(i).copied().unwrap_or(false) => "in-q",
        _ => "-",
    }
}

/// Whether token `i` opens its line after a capitalised name ("PENCE: …", "Smith — …"):
/// transcripts and quote captions.
fn line_lead(ctx: &Ctx, i: usize) -> &'static str {
    let mut k = i;
    while k > 0 && i - k < 5 && !ctx.newline_between(k - 1, k) {
        if !ctx.capitalised(k - 1) && !matches!(ctx.raw(k - 1), "." | "'s" | "’s") {
            return "-";
        }
        k -= 1;
    }
    if k < i && (k == 0 || ctx.newline_between(k - 1, k)) {
        if ctx.raw(i - 1).chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) {
            "line-CAPS"
        } else {
            "line-Cap"
        }
    } else {
        "-"
    }
}

/// Which side of the cue a content lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Right,
    Left,
    /// “…,” she said, “…”: a quote before the cue and one after it.
    Split,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Right => "R",
            Dir::Left => "L",
            Dir::Split => "S",
        }
    }
}

/// A candidate content: fragments in text order.
#[derive(Clone, Debug, PartialEq)]
pub struct Cand {
    pub frags: Vec<Range>,
    pub dir: Dir,
}

fn boundary_word(w: &str) -> bool {
    matches!(
        w,
        "and" | "but" | "because" | "while" | "as" | "when" | "if" | "after" | "before" | "which" | "who" | "although"
            | "though" | "so" | "according" | "saying" | "since" | "until" | "whereas" | "where"
    )
}

/// Whether a content may end before token `e`.
fn right_boundary(ctx: &Ctx, e: usize) -> bool {
    match ctx.kind(e) {
        None | Some(TokenKind::Terminal | TokenKind::Quote(_)) => true,
        Some(TokenKind::Punct) => matches!(ctx.raw(e), "," | ";" | ":" | "—" | "–" | "(" | ")" | "[" | "]"),
        Some(TokenKind::Word) => !ctx.capitalised(e) && boundary_word(ctx.word(e)),
        _ => false,
    }
}

fn same_paragraph(ctx: &Ctx, s_prev_end: usize) -> bool {
    s_prev_end > 0 && !ctx.newline_between(s_prev_end - 1, s_prev_end)
}

/// The candidate contents of the cue `(c0, c1)`.
pub fn content_candidates(ctx: &Ctx, (c0, c1): Range) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let Some(&si) = ctx.sent_of.get(c0) else { return out };
    let Some(&(s0, s1)) = ctx.sents.get(si) else { return out };
    let push = |out: &mut Vec<Cand>, frags: Vec<Range>, dir| {
        if frags.iter().all(|f| f.0 < f.1) && ctx.words_in(frags[0]) >= 1 && !out.iter().any(|c| c.frags == frags) {
            out.push(Cand { frags, dir });
        }
    };
    // Ends beyond the sentence: a quote closing later, the next sentences of the paragraph.
    let mut far_ends: Vec<usize> = Vec::new();
    let mut s_end = s1;
    for next in 1..=2 {
        match ctx.sents.get(si + next) {
            Some(&(_, e)) if same_paragraph(ctx, s_end) => {
                far_ends.push(e);
                s_end = e;
            }
            _ => break,
        }
    }
    let stop = (c1 + 8).min(s1);
    for st in c1..stop {
        match ctx.kind(st) {
            Some(TokenKind::Punct | TokenKind::Terminal) => continue,
            Some(TokenKind::Quote(_)) if ctx.opening(st).is_none() => continue,
            _ => {}
        }
        let mut ends: Vec<usize> = Vec::new();
        for e in st + 1..=s1 {
            if e == s1 || right_boundary(ctx, e) {
                ends.push(e);
                if ends.len() >= 10 {
                    break;
                }
            }
        }
        ends.push(s1);
        for k in st..s1 {
            if let Some(close) = ctx.opening(k).and_then(|q| q.close) {
                if close >= s1 {
                    ends.push(close + 1);
                }
            }
        }
        ends.extend(&far_ends);
        ends.extend(np_object_ends(ctx, st, s1));
        for e in ends {
            let t = ctx.trim_end(st, e);
            if t > st {
                push(&mut out, vec![(st, t)], Dir::Right);
            }
        }
    }
    // Left of the cue: ends at a comma, dash, colon or closing quote before it.
    let mut left_ends: Vec<usize> = Vec::new();
    // A quote closing just before the cue, even in the sentence before ("”― Name").
    if c0 > 0 && c0 <= s0 + 1 && ctx.closing(c0 - 1).is_some() && c0 - 1 < s0 {
        left_ends.push(c0);
    }
    let mut k = c0;
    while k > s0 && left_ends.len() < 4 {
        k -= 1;
        if ctx.closing(k).is_some() {
            left_ends.push(k + 1);
        } else if matches!(ctx.raw(k), "," | "—" | ":" | "(" | ";") && !(k > 0 && ctx.closing(k - 1).is_some()) {
            left_ends.push(k);
        }
    }
    // "The clip has faced ridicule", "His views were echoed": the subject as content.
    if let Some(e) = subject_end(ctx, c0, s0) {
        if !left_ends.contains(&e) {
            left_ends.push(e);
        }
    }
    let mut prev_starts: Vec<usize> = Vec::new();
    let mut s_start = s0;
    for back in 1..=2 {
        match si.checked_sub(back).and_then(|p| ctx.sents.get(p)) {
            Some(&(p0, _)) if same_paragraph(ctx, s_start) => {
                prev_starts.push(p0);
                s_start = p0;
            }
            _ => break,
        }
    }
    let split_quote = (c1..(c1 + 10).min(s1)).find(|&q| ctx.opening(q).is_some() && q > 0 && ctx.is(q - 1, ","));
    for e in left_ends {
        let mut starts = vec![s0];
        if e > 0 {
            if let Some(q) = ctx.closing(e - 1) {
                starts.push(q.open);
            }
        }
        if ctx.is_word(s0) && matches!(ctx.word(s0), "but" | "and" | "so" | "yet" | "still") {
            starts.push(s0 + 1);
        }
        let mut n = 0;
        for j in (s0..e).rev() {
            if n < 2 && matches!(ctx.raw(j), "," | ":" | "—" | ";") && j + 1 < e {
                starts.push(j + 1);
                n += 1;
            }
        }
        starts.extend(&prev_starts);
        for st in starts {
            let t = if e > 0 && ctx.closing(e - 1).is_some() { e } else { ctx.trim_end(st, e) };
            if t > st {
                push(&mut out, vec![(st, t)], Dir::Left);
                if let (Some(q), true) = (split_quote, ctx.closing(t - 1).is_some()) {
                    if let Some(second) = ctx.quotation_range(q) {
                        push(&mut out, vec![(st, t), second], Dir::Split);
                    }
                }
            }
        }
    }
    out
}

/// Ends of a short noun-phrase content starting at `st`: before the first two
/// prepositions other than "of" within 12 tokens ("attacked *Machado* in early-morning
/// tweets", "said *as much* in an interview"). PolNeAR's contents of event-like cues are
/// often just the object; the clause boundaries alone never end there.
fn np_object_ends<'x>(ctx: &'x Ctx, st: usize, s1: usize) -> impl Iterator<Item = usize> + 'x {
    (st + 1..(st + 12).min(s1))
        .take_while(move |&e| !ctx.is_terminal(e))
        .filter(move |&e| ctx.is_word(e) && ctx.word(e) != "of" && is_in(PREPOSITIONS, ctx.word(e)))
        .take(2)
}

/// Where the subject of the cue at `c0` ends (auxiliaries, negations and adverbs
/// skipped), when it is a short phrase opening the sentence: the content of a passive
/// or evaluative cue ("*His views* were echoed by …").
fn subject_end(ctx: &Ctx, c0: usize, s0: usize) -> Option<usize> {
    let e = left_head_end(ctx, c0, s0);
    (e > s0 && e < c0 && e - s0 <= 8 && (s0..e).all(|k| ctx.is_word(k) || ctx.is(k, ","))).then_some(e)
}

/// The lemma-ish form of a cue's head (its first lexicon word, else its first word).
pub fn cue_head<'x>(ctx: &'x Ctx, (c0, c1): Range) -> &'x str {
    let k = (c0..c1).find(|&k| ctx.is_word(k) && cue_word(ctx.word(k)).is_some()).unwrap_or(c0);
    cue_word(ctx.word(k)).filter(|_| ctx.is_word(k)).map_or_else(|| stem(ctx.word(k)), |c| c.lemma)
}

/// Features of one content candidate of the cue `cue`.
pub fn content_features(v: &View, cue: Range, c: &Cand, out: &mut Vec<u32>) {
    let ctx = v.ctx;
    out.clear();
    let d = c.dir.name();
    let lemma = cue_head(ctx, cue);
    let (a, b) = c.frags[0];
    let last = c.frags.last().map_or(b, |f| f.1);
    let n_tokens: usize = c.frags.iter().map(|f| ctx.words_in(*f)).sum();
    let gap = match c.dir {
        Dir::Right => a.saturating_sub(cue.1),
        _ => cue.0.saturating_sub(b),
    };
    let mut gap_words = String::new();
    if c.dir == Dir::Right && gap <= 3 {
        for k in cue.1..a {
            gap_words.push_str(cls(ctx, k));
            gap_words.push(' ');
        }
    } else {
        gap_words.push_str(bucket(gap));
        gap_words.push_str(cls(ctx, b));
    }
    let q_open = ctx.opening(a).is_some();
    let q_close = last > 0 && ctx.closing(last - 1).is_some();
    let one_quote = q_open && ctx.opening(a).and_then(|q| q.close) == Some(last - 1);
    let quote = match (q_open, q_close, one_quote) {
        (_, _, true) => "whole",
        (true, true, false) => "both",
        (true, false, _) => "open",
        (false, true, _) => "close",
        _ => "-",
    };
    let sa = ctx.sent_of.get(a).copied().unwrap_or(0);
    let sb = ctx.sent_of.get(last.saturating_sub(1)).copied().unwrap_or(0);
    let sents = match sb.saturating_sub(sa) {
        0 => "0",
        1 => "1",
        _ => "2+",
    };
    let at_end = ctx.sent_of.get(last.saturating_sub(1)).and_then(|&s| ctx.sents.get(s)).is_some_and(|s| ctx.trim_end(s.0, s.1) <= last);
    let rule = match v.rule_in(cue) {
        None => "norule",
        Some(r) if r.content == c.frags => "eq",
        Some(r) if r.content.first().is_some_and(|f| f.0 == a) => "same-start",
        Some(r) if r.content.last().is_some_and(|f| f.1 == last) => "same-end",
        Some(_) => "ne",
    };
    let cues_inside = View::count_in(&v.pre_cues, &c.frags);
    let len = bucket(n_tokens);
    let commas = View::count_in(&v.pre_commas, &c.frags);
    // Every part hashed once (the token classes' hashes are the View's): the same keys
    // as `key` over the strings, at a fraction of the hashing.
    let (hd, hl, hlen, hq, hrule) = (hash_str(d), hash_str(lemma), hash_str(len), hash_str(quote), hash_str(rule));
    let (ha, hb, hlast, hend) = (v.h_cls(a), v.h_cls_before(a), v.h_cls(last), v.h_cls(last.saturating_sub(1)));
    let (hgap, hs) = (hash_str(&gap_words), hash_str(sents));
    out.extend([
        key_h(30, &[hd]),
        key_h(31, &[hd, hl]),
        key_h(32, &[hd, ha]),
        key_h(33, &[hd, hb]),
        key_h(34, &[hd, hend]),
        key_h(35, &[hd, hlast]),
        key_h(36, &[hd, hgap]),
        key_h(37, &[hd, hlen]),
        key_h(38, &[hd, hq]),
        key_h(39, &[hd, hs, hash_str(if at_end { "end" } else { "-" })]),
        key_h(40, &[hd, hl, hlen]),
        key_h(41, &[hd, hl, ha]),
        key_h(42, &[hd, hrule]),
        key_h(43, &[hd, hash_str(bucket(cues_inside))]),
        key_h(44, &[hd, hlast, hb]),
        key_h(45, &[hd, hrule, hq]),
        key_h(46, &[hd, hl, hgap]),
        key_h(47, &[hd, hs, hq]),
        key_h(48, &[hd, hend, hlast]),
        key_h(49, &[hd, hash_str(bucket(commas))]),
        key_h(28, &[hd, hl, hlast]),
        key_h(29, &[hd, ha, hlen]),
    ]);
}

/// Features of a model draft for the draft filter (v4), the second stage that keeps or
/// drops a cue the tagger proposed once its content and source are chosen: the cue's
/// B-over-O margin (`margin`, in weight units) in buckets, alone and with the cue's
/// stem and lexicon class; the content's side, length and first token; the source's
/// class (none, pronoun, person, organisation, role, other); the cue's frame on its
/// right and its subject class.
pub fn draft_features(v: &View, d: &Draft, margin: f32, out: &mut Vec<u32>) {
    let ctx = v.ctx;
    out.clear();
    let c = d.cue.0;
    let mb = (margin.clamp(-40.0, 40.0) / 2.0).floor() as i32;
    let coarse = (margin.clamp(-40.0, 40.0) / 6.0).floor() as i32;
    let (mb, coarse) = (mb.to_string(), coarse.to_string());
    let head = stem(ctx.word(c));
    let lx = lex(ctx, c);
    let (a, dir) = match (d.content.first(), d.content.last()) {
        (Some(f), Some(l)) => (f.0, if f.0 >= d.cue.1 { "R" } else if l.1 <= c { "L" } else { "S" }),
        _ => (c, "-"),
    };
    let n_words: usize = d.content.iter().map(|f| ctx.words_in(*f)).sum();
    let len = bucket(n_words);
    let src = match d.source {
        None => "none",
        Some((x, y)) if y == x + 1 && pronoun_kind(ctx.raw(x)).is_some() => "pron",
        Some((x, y)) => {
            let has = |code: u8| (x..y).any(|k| v.ent(k) == code);
            if has(1) {
                "per"
            } else if has(2) || has(3) {
                "org"
            } else if has(7) {
                "role"
            } else {
                "np"
            }
        }
    };
    let quoted = if ctx.quoted.get(c).copied().unwrap_or(false) { "q" } else { "-" };
    let (right, subj) = (right_frame(v, c), subject_class(v, c));
    out.extend([
        key(80, &[]),
        key(81, &[&mb]),
        key(82, &[&coarse, lx]),
        key(83, &[head]),
        key(84, &[head, &coarse]),
        key(85, &[dir, len]),
        key(86, &[src]),
        key(87, &[right, subj]),
        key(88, &[quoted, dir]),
        key(89, &[lx, dir, src]),
        key(90, &[dir, cls(ctx, a)]),
        key(91, &[head, dir]),
    ]);
}

/// More draft-filter features, from the decision around the draft: how far the chosen
/// content's score is ahead of the runner-up's (`sure`, weight units), how many other
/// attributions its sentence has (`crowd`), and whether its content overlaps one kept
/// before it. Appended to `out`.
pub fn draft_context_features(d: &Draft, sure: f32, crowd: usize, overlap: bool, out: &mut Vec<u32>) {
    let sure = match sure {
        x if x < 1.0 => "<1",
        x if x < 3.0 => "<3",
        x if x < 8.0 => "<8",
        _ => "8+",
    };
    let crowd = bucket(crowd);
    let ov = if overlap { "ov" } else { "-" };
    let src = if d.source.is_some() { "src" } else { "nosrc" };
    out.extend([key(92, &[sure]), key(93, &[crowd, ov]), key(94, &[sure, src]), key(95, &[ov])]);
}

/// A candidate source: a token range, or none.
pub type SourceCand = Option<Range>;

/// Where a source candidate comes from.
fn source_dir(s: SourceCand, cue: Range) -> &'static str {
    match s {
        None => "N",
        Some((a, _)) if a >= cue.1 => "R",
        Some((_, b)) if b + 12 < cue.0 => "C",
        Some(_) => "L",
    }
}

/// Where the words just left of a cue end, auxiliaries, negation and adverbs skipped
/// ("Smith has repeatedly said" → after "Smith").
fn left_head_end(ctx: &Ctx, c0: usize, s0: usize) -> usize {
    let mut j = c0;
    while j > s0 && ctx.is_word(j - 1) {
        let w = ctx.word(j - 1);
        if is_in(AUXILIARIES, w) || is_in(NEGATIONS, w) || w.ends_with("n't") || w.ends_with("n’t") || is_adverb(w) || w == "to" {
            j -= 1;
        } else {
            break;
        }
    }
    j
}

fn stops_np(ctx: &Ctx, k: usize) -> bool {
    ctx.is_terminal(k) || ctx.is_quote(k) || matches!(ctx.raw(k), ";" | ":" | "(" | ")" | "—")
}

/// "Trump’s running mate — Indiana Gov. Mike Pence — has said": where the noun phrases
/// before and inside an appositive between dashes end (the opening dash and the closing
/// one), so both are candidates although a dash stops a noun phrase.
fn dash_appositive_ends(ctx: &Ctx, head: usize, s0: usize) -> Vec<usize> {
    let dash = |k: usize| matches!(ctx.raw(k), "—" | "–");
    if head <= s0 + 1 || !dash(head - 1) {
        return Vec::new();
    }
    match (head.saturating_sub(14).max(s0)..head - 1).rev().find(|&k| dash(k) || ctx.is_terminal(k) || ctx.is_quote(k)) {
        Some(p) if dash(p) => vec![p, head - 1],
        _ => Vec::new(),
    }
}

/// The candidate sources of the cue, given the chosen content (which they may not
/// overlap): none, noun phrases left and right of the cue, and a carried-over source.
pub fn source_candidates(ctx: &Ctx, (c0, c1): Range, content: &[Range], carried: &[Range]) -> Vec<SourceCand> {
    let mut out: Vec<SourceCand> = vec![None];
    let Some(&si) = ctx.sent_of.get(c0) else { return out };
    let Some(&(s0, s1)) = ctx.sents.get(si) else { return out };
    let clash = |r: Range| content.iter().any(|f| r.0 < f.1 && f.0 < r.1) || (r.0 < c1 && c0 < r.1);
    let push = |out: &mut Vec<SourceCand>, r: Range| {
        if r.0 < r.1 && !clash(r) && ctx.words_in(r) >= 1 && !out.contains(&Some(r)) {
            out.push(Some(r));
        }
    };
    let head = left_head_end(ctx, c0, s0);
    let mut ends = vec![head];
    if head != c0 {
        ends.push(c0);
    }
    // "Smith, a spokesman, said": the name before the appositive.
    if head > s0 + 1 && ctx.is(head - 1, ",") {
        if let Some(p) = (head.saturating_sub(14).max(s0)..head - 1).rev().find(|&k| ctx.is(k, ",")) {
            ends.push(p);
            ends.push(head - 1);
        }
    }
    ends.extend(dash_appositive_ends(ctx, head, s0));
    for b in ends {
        let mut a = b;
        while a > s0 && b - a < 12 && !stops_np(ctx, a - 1) && !ctx.is(a - 1, ",") {
            a -= 1;
            push(&mut out, (a, b));
        }
    }
    // Right of the cue: "said Smith", "told by …".
    let mut r = c1;
    if ctx.is(r, ",") {
        r += 1;
    }
    let mut e = r;
    while e < s1 && e - r < 10 && !stops_np(ctx, e) && !ctx.is(e, ",") {
        e += 1;
        push(&mut out, (r, e));
    }
    for &c in carried {
        push(&mut out, c);
    }
    if let Some(subj) = ctx.sentence_subject(s0, c0) {
        push(&mut out, subj);
    }
    out
}

/// Features of one source candidate.
pub fn source_features(v: &View, cue: Range, content: &Cand, s: SourceCand, out: &mut Vec<u32>) {
    let ctx = v.ctx;
    out.clear();
    let d = source_dir(s, cue);
    let lemma = cue_head(ctx, cue);
    let cd = content.dir.name();
    let rule = match v.rule_in(cue) {
        None => "norule",
        Some(r) if r.source == s => "eq",
        Some(r) if r.source.is_none() => "rule-none",
        Some(r) if r.source.zip(s).is_some_and(|(x, y)| x.1 == y.1) => "same-end",
        Some(_) => "ne",
    };
    let Some((a, b)) = s else {
        out.extend([key(50, &[d]), key(51, &[d, lemma]), key(52, &[d, rule]), key(53, &[d, cd]), key(54, &[d, cls_before(ctx, cue.0)]), key(55, &[d, cls(ctx, cue.1)])]);
        return;
    };
    let gap = if a >= cue.1 { a - cue.1 } else { cue.0.saturating_sub(b) };
    let mut gap_words = String::from(bucket(gap));
    if gap <= 3 {
        let (x, y) = if a >= cue.1 { (cue.1, a) } else { (b, cue.0) };
        for k in x..y {
            gap_words.push(' ');
            gap_words.push_str(cls(ctx, k));
        }
    }
    let pron = if b == a + 1 && pronoun_kind(ctx.raw(a)).is_some() { "pron" } else { "-" };
    let caps = match (ctx.capitalised(a), ctx.capitalised(b - 1)) {
        (true, true) => "CC",
        (true, false) => "Cl",
        (false, true) => "lC",
        _ => "ll",
    };
    let mut has = [false; 10];
    for k in a..b {
        has[usize::from(v.ent(k)).min(9)] = true;
    }
    let ents = match (has[1], has[2] || has[3], has[7]) {
        (true, _, true) => "per+role",
        (true, _, _) => "per",
        (false, true, _) => "org",
        (false, false, true) => "role",
        _ => "-",
    };
    let len = bucket(b - a);
    out.extend([
        key(50, &[d]),
        key(51, &[d, lemma]),
        key(52, &[d, rule]),
        key(53, &[d, cd]),
        key(56, &[d, cls(ctx, a)]),
        key(57, &[d, cls_before(ctx, a)]),
        key(58, &[d, cls(ctx, b - 1)]),
        key(59, &[d, cls(ctx, b)]),
        key(60, &[d, len]),
        key(61, &[d, ent_name(v, b - 1), ent_name(v, a)]),
        key(62, &[d, &gap_words]),
        key(63, &[d, pron, caps]),
        key(64, &[d, ents, len]),
        key(65, &[d, stem(ctx.word(b - 1))]),
        key(66, &[d, lemma, pron]),
        key(67, &[d, cd, &gap_words]),
        key(68, &[d, cls_before(ctx, a), cls(ctx, b)]),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_inflections() {
        for (w, want) in [
            ("denies", "deni"), ("denied", "deni"), ("argues", "argu"), ("argued", "argu"), ("argue", "argu"),
            ("arguing", "argu"), ("says", "say"), ("stress", "stress"), ("said", "said"), ("é", "é"), ("", ""),
        ] {
            assert_eq!(stem(w), want, "{w}");
        }
    }

    fn candidates(text: &str, cue: &str) -> Vec<String> {
        use crate::core::nlp::{sentence::sentences, tokenize};
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        let ctx = Ctx::new(text, &tokens, &lows, &sentences(text, &tokens), &[]);
        let c = (0..tokens.len()).find(|&k| ctx.raw(k) == cue).unwrap();
        content_candidates(&ctx, (c, c + 1))
            .iter()
            .map(|cand| cand.frags.iter().map(|&(a, b)| &text[ctx.span(a, b).start..ctx.span(a, b).end]).collect::<Vec<_>>().join(" … "))
            .collect()
    }

    #[test]
    fn short_objects_and_subjects_are_content_candidates() {
        let got = candidates("Trump attacked Machado in early-morning tweets on Friday.", "attacked");
        assert!(got.iter().any(|c| c == "Machado"), "{got:?}");
        assert!(got.iter().any(|c| c == "Machado in early-morning tweets"), "{got:?}");
        let got = candidates("His views were echoed by a number of tax experts.", "echoed");
        assert!(got.iter().any(|c| c == "His views"), "{got:?}");
        // No auxiliary between subject and cue: the subject is the source, not a content.
        let got = candidates("Smith said the talks failed.", "said");
        assert!(!got.iter().any(|c| c == "Smith"), "{got:?}");
    }

    #[test]
    fn string_hashes_tell_words_apart() {
        let words = ["", "a", "a\0", "ab", "ba", "said", "saids", "12345678", "123456789", "<edge>"];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash_str(a), hash_str(b), "{a:?} {b:?}");
            }
        }
        assert_ne!(key_h(1, &[hash_str("a"), hash_str("b")]), key_h(1, &[hash_str("b"), hash_str("a")]));
        assert_ne!(key_h(1, &[hash_str("a")]), key_h(2, &[hash_str("a")]));
    }
}

//! Emission scores at inference (`i32`, one row per token): exactly the sums `features::extract` + `Model::emissions`
//! give (the test below checks it on every kind of text), computed with far fewer table
//! lookups.
//!
//! Why: each feature key is a random access into a multi-megabyte weight table, and at
//! ~40 keys per token those cache misses were most of the tagger's time. The templates
//! fall in three groups, and only the last needs per-token lookups:
//! - **small domains** (bias, capitalisation patterns, sentence start, document cues,
//!   the neighbours' lexicon bits): every possible value is looked up once when the model
//!   loads, into [`Dense`] tables small enough to stay in cache;
//! - **one word** (the word's own form, shape, affixes and lexicon bits, and what the word
//!   contributes as the left or right neighbour of another token): summed once per
//!   distinct word of the document, in a [`Words`] cache;
//! - **pairs** (form and shape bigrams, a neighbour's form with this token's
//!   capitalisation): looked up per token, batched per line so the misses overlap.
//!
//! Integer sums are exact, so the order of addition changes nothing.

// Index loops over tags/tokens mirror the maths (several arrays share one index).
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

use crate::core::model::span::Span;
use crate::core::nlp::tagger::features::{self as f, t, Cap, LEX_BITS};
use crate::core::nlp::tagger::model::{add_widened, Acc, Model, LANES};
use crate::core::nlp::tagger::tags::N_TAGS;

/// One score per tag: what the decoder reads.
pub type Scores = [i32; N_TAGS];

/// Partial sums are kept in whole-vector accumulators ([`Acc`]).
fn add(acc: &mut Acc, v: &Acc) {
    for (a, b) in acc.iter_mut().zip(v) {
        *a += b;
    }
}

const ZERO: Acc = [0; LANES];

/// Number of capitalisation classes (`Cap` is `0..8`, `Edge` included).
const CAPS: usize = 8;

fn cap3_index(a: Cap, b: Cap, c: Cap) -> usize {
    (a as usize) << 6 | (b as usize) << 3 | c as usize
}

/// The small-domain templates, evaluated for every value once per model.
pub struct Dense {
    bias: Acc,
    /// `CAP_L2_L1_0`, `CAP_L1_0_R1`, `CAP_0_R1_R2`, indexed by [`cap3_index`].
    cap_left: Vec<Acc>,
    cap_mid: Vec<Acc>,
    cap_right: Vec<Acc>,
    /// `SENT_CAP`: `[sent_start][cap]`.
    sent_cap: [[Acc; CAPS]; 2],
    /// `SEEN_CAP`: `[seen bits][cap]`.
    seen_cap: [[Acc; CAPS]; 4],
    /// `LEX_L1` / `LEX_R1`: `[bit][cap of the token]`.
    lex_left: Vec<[Acc; CAPS]>,
    lex_right: Vec<[Acc; CAPS]>,
    /// What a missing neighbour (line edge) contributes at offsets -1, +1, -2, +2.
    pad_l1: Acc,
    pad_r1: Acc,
    pad_l2: Acc,
    pad_r2: Acc,
}

fn one(model: &Model, keys: &[u32]) -> Acc {
    let mut out = [ZERO];
    model.add_into(keys, &vec![0; keys.len()], &mut out);
    out[0]
}

const ALL_CAPS: [Cap; CAPS] = [Cap::Lower, Cap::Title, Cap::Upper, Cap::Initial, Cap::Digit, Cap::Punct, Cap::Mixed, Cap::Edge];

impl Dense {
    pub fn new(model: &Model) -> Dense {
        let cap3 = |template: u64| -> Vec<Acc> {
            let mut v = vec![ZERO; CAPS * CAPS * CAPS];
            for a in ALL_CAPS {
                for b in ALL_CAPS {
                    for c in ALL_CAPS {
                        v[cap3_index(a, b, c)] = one(model, &[f::key(template, f::cap3(a as u64, b as u64, c as u64))]);
                    }
                }
            }
            v
        };
        let mut sent_cap = [[ZERO; CAPS]; 2];
        let mut seen_cap = [[ZERO; CAPS]; 4];
        for c in ALL_CAPS {
            for ss in [false, true] {
                sent_cap[ss as usize][c as usize] = one(model, &[f::key(t::SENT_CAP, f::sent_cap(ss, c as u64))]);
            }
            for bits in 0..4u8 {
                seen_cap[bits as usize][c as usize] = one(model, &[f::key(t::SEEN_CAP, f::seen_cap(bits & 1 != 0, bits & 2 != 0, c as u64))]);
            }
        }
        let lex = |template: u64| -> Vec<[Acc; CAPS]> {
            (0..LEX_BITS as u64)
                .map(|bit| {
                    let mut row = [ZERO; CAPS];
                    for c in ALL_CAPS {
                        row[c as usize] = one(model, &[f::key(template + bit, c as u64)]);
                    }
                    row
                })
                .collect()
        };
        Dense {
            bias: one(model, &[f::key(t::BIAS, 0)]),
            cap_left: cap3(t::CAP_L2_L1_0),
            cap_mid: cap3(t::CAP_L1_0_R1),
            cap_right: cap3(t::CAP_0_R1_R2),
            sent_cap,
            seen_cap,
            lex_left: lex(t::LEX_L1),
            lex_right: lex(t::LEX_R1),
            pad_l1: one(model, &[f::key(t::NORM_L1, f::pad_norm(-1)), f::key(t::SHAPE_L1, f::pad_shape(-1))]),
            pad_r1: one(model, &[f::key(t::NORM_R1, f::pad_norm(1)), f::key(t::SHAPE_R1, f::pad_shape(1))]),
            pad_l2: one(model, &[f::key(t::NORM_L2, f::pad_norm(-2))]),
            pad_r2: one(model, &[f::key(t::NORM_R2, f::pad_norm(2))]),
        }
    }
}

/// The word hashes are already well mixed (FNV-1a): use them as they are.
#[derive(Clone, Copy, Default)]
pub(super) struct BuildWordHash;

#[derive(Default)]
pub(super) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl std::hash::BuildHasher for BuildWordHash {
    type Hasher = WordHasher;
    fn build_hasher(&self) -> WordHasher {
        WordHasher(0)
    }
}

/// Which of a word's one-word sums ([`Entry::add`]).
const LOCAL: usize = 0;
const PLAIN_FLAGS: usize = 1;
const AS_L1: usize = 2;
const AS_R1: usize = 3;
const AS_L2: usize = 4;
const AS_R2: usize = 5;

/// One distinct word and what it contributes wherever it occurs.
struct Entry {
    norm: u64,
    shape: u64,
    cap: Cap,
    lex: u32,
    letters: u32,
    upper: u32,
    ends_sentence: bool,
    closer: bool,
    /// The word's sums, `i16` lanes when they fit (nearly always: half the memory of
    /// `i32`, so more words stay in the CPU cache):
    /// - `LOCAL`: its own form, shape, affixes and lexicon bits;
    /// - `PLAIN_FLAGS`: the line-capitals and sentence-start templates with both flags off;
    /// - `AS_L1`, `AS_R1`, `AS_L2`, `AS_R2`: what it adds as the neighbour at -1, +1, -2,
    ///   +2 of the token scored.
    narrow: [[i16; LANES]; 6],
    /// The same sums when one does not fit `i16` (`narrow` is then unused).
    wide: Option<Box<[Acc; 6]>>,
}

impl Entry {
    #[inline(always)]
    fn add(&self, which: usize, acc: &mut Acc) {
        match &self.wide {
            None => add_widened(acc, &self.narrow[which]),
            Some(wide) => add(acc, &wide[which]),
        }
    }
}

/// Every distinct word seen so far, for one model (and one lexicon function), kept from
/// one document to the next.
///
/// Why: a news text repeats the same few thousand words. The dev sets' 458 documents hold
/// 109,244 distinct words counted per document but only 22,165 distinct words in all, and
/// a new word costs ~20 weight lookups (each a likely cache miss), its shape and affix
/// hashing and a lexicon lookup. Bounded: when the next document could take it past
/// [`WordCache::MAX_WORDS`] entries (about 10 MB) it starts afresh.
pub struct WordCache {
    index: HashMap<u64, u32, BuildWordHash>,
    entries: Vec<Entry>,
    buf: Vec<char>,
    keys: Vec<u32>,
    dest: Vec<u32>,
    /// Buffers [`emissions`] reuses from one document to the next (allocation was 5 % of
    /// its time).
    scratch: Scratch,
}

/// Per-document buffers, empty between documents.
#[derive(Default)]
struct Scratch {
    doc_index: HashMap<u64, u32, BuildWordHash>,
    doc_words: Vec<u32>,
    toks: Vec<Tok>,
    seen: Vec<(u64, u8)>,
    merged: Vec<(u64, u8)>,
    words: Vec<DocWord>,
    keys: Vec<u32>,
    dest: Vec<u32>,
    scores: Vec<Acc>,
}

impl Scratch {
    /// Buffers grown past this many tokens' worth (a very long document) are dropped
    /// rather than kept.
    const KEEP: usize = 1 << 16;

    fn clear(&mut self) {
        self.doc_index.clear();
        self.doc_words.clear();
        self.toks.clear();
        self.seen.clear();
        self.merged.clear();
        self.words.clear();
        self.keys.clear();
        self.dest.clear();
        self.scores.clear();
    }
}

impl Default for WordCache {
    fn default() -> Self {
        WordCache::new()
    }
}

impl WordCache {
    /// Room for the vocabulary of a large batch of news (the dev sets have 22,165 distinct
    /// words; 1,000 articles about 40,000).
    pub const MAX_WORDS: usize = 1 << 15;

    pub fn new() -> WordCache {
        WordCache {
            index: HashMap::with_hasher(BuildWordHash),
            entries: Vec::new(),
            buf: Vec::new(),
            keys: Vec::new(),
            dest: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    pub fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries are only dropped between documents, so ids stay valid through one.
    fn start_document(&mut self, tokens: usize) {
        if self.entries.len() + tokens > Self::MAX_WORDS {
            self.clear();
        }
    }

    /// The id of `word` (whose [`f::word_hash`] is `h`), computing its entry on first
    /// sight.
    fn id(&mut self, model: &Model, word: &str, h: u64, lex: &dyn Fn(&str) -> u32) -> u32 {
        if let Some(&id) = self.index.get(&h) {
            return id;
        }
        let v = f::view(word, &mut self.buf, lex(word));
        self.keys.clear();
        f::local_features(&v, &mut self.keys);
        self.dest.clear();
        self.dest.resize(self.keys.len(), LOCAL as u32);
        let push = |keys: &mut Vec<u32>, dest: &mut Vec<u32>, d: usize, template: u64, value: u64| {
            keys.push(f::key(template, value));
            dest.push(d as u32);
        };
        let (k, d) = (&mut self.keys, &mut self.dest);
        push(k, d, PLAIN_FLAGS, t::LINE_CAPS_SHAPE, f::line_caps_shape(false, v.shape));
        push(k, d, PLAIN_FLAGS, t::SENT_NORM, f::sent_norm(false, v.norm));
        push(k, d, AS_L1, t::NORM_L1, v.norm);
        push(k, d, AS_L1, t::SHAPE_L1, v.shape);
        push(k, d, AS_R1, t::NORM_R1, v.norm);
        push(k, d, AS_R1, t::SHAPE_R1, v.shape);
        push(k, d, AS_L2, t::NORM_L2, v.norm);
        push(k, d, AS_R2, t::NORM_R2, v.norm);
        let mut sums = [ZERO; 6];
        model.add_into(&self.keys, &self.dest, &mut sums);
        let mut narrow = [[0i16; LANES]; 6];
        let fits = narrow.iter_mut().zip(&sums).all(|(n, s)| n.iter_mut().zip(s).all(|(n, &s)| i16::try_from(s).map(|s| *n = s).is_ok()));
        let (letters, upper) = f::letters_upper(word);
        let id = self.entries.len() as u32;
        self.entries.push(Entry {
            norm: v.norm,
            shape: v.shape,
            cap: v.cap,
            lex: v.lex,
            letters: letters as u32,
            upper: upper as u32,
            ends_sentence: f::ends_sentence(word),
            closer: f::is_closer(word),
            narrow,
            wide: (!fits).then(|| Box::new(sums)),
        });
        self.index.insert(h, id);
        id
    }
}

/// One distinct word of a document: its entry and its sums with the document cues folded
/// in.
struct DocWord {
    entry: u32,
    /// Everything that depends on the word alone, for a token at a sentence start or in a
    /// capital line: the bias, its document cues and its `LOCAL` sum.
    flagged: Acc,
    /// The same for every other token, with `PLAIN_FLAGS` and the sentence-start
    /// template's "no" added.
    plain: Acc,
}

/// Per-token facts the second pass needs.
#[derive(Clone, Copy)]
struct Tok {
    /// Index into the document's words.
    word: u32,
    sent_start: bool,
    line_caps: bool,
}

/// The emission scores of every token, line by line (`lines` as from
/// [`f::lines`]): `out[i]` for token `i`. `cache` must only ever be used with this
/// `model` and `lex`.
pub fn emissions(
    model: &Model,
    dense: &Dense,
    cache: &mut WordCache,
    text: &str,
    tokens: &[Span],
    lines: &[std::ops::Range<usize>],
    lex: &dyn Fn(&str) -> u32,
) -> Vec<Scores> {
    cache.start_document(tokens.len());
    let mut sc = std::mem::take(&mut cache.scratch);
    sc.clear();
    let out = emissions_with(model, dense, cache, &mut sc, text, tokens, lines, lex);
    if sc.toks.capacity() <= Scratch::KEEP {
        cache.scratch = sc;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn emissions_with(
    model: &Model,
    dense: &Dense,
    cache: &mut WordCache,
    sc: &mut Scratch,
    text: &str,
    tokens: &[Span],
    lines: &[std::ops::Range<usize>],
    lex: &dyn Fn(&str) -> u32,
) -> Vec<Scores> {
    let Scratch { doc_index, doc_words, toks, seen, merged, words, keys, dest, scores } = sc;
    // First pass: words, sentence starts, capital lines, document cues.
    for line in lines {
        let (mut letters, mut upper) = (0usize, 0usize);
        for i in line.clone() {
            let word = tokens.get(i).and_then(|s| s.slice(text)).unwrap_or("");
            let h = f::word_hash(word);
            let id = match doc_index.get(&h) {
                Some(&id) => id,
                None => {
                    let id = doc_words.len() as u32;
                    doc_words.push(cache.id(model, word, h, lex));
                    doc_index.insert(h, id);
                    id
                }
            };
            let es = &cache.entries;
            let entry_of = |tok: &Tok| &es[doc_words[tok.word as usize] as usize];
            let w = &es[doc_words[id as usize] as usize];
            letters += w.letters as usize;
            upper += w.upper as usize;
            let sent_start = i == line.start || {
                let p = entry_of(&toks[i - 1]);
                p.ends_sentence || (p.closer && i >= line.start + 2 && entry_of(&toks[i - 2]).ends_sentence)
            };
            toks.push(Tok { word: id, sent_start, line_caps: false });
        }
        let caps = f::is_caps_line(letters, upper);
        for tok in &mut toks[line.clone()] {
            tok.line_caps = caps;
        }
    }
    let es = &cache.entries;
    for tok in toks.iter() {
        let w = &es[doc_words[tok.word as usize] as usize];
        let bit = f::seen_bit(w.cap, tok.sent_start, tok.line_caps);
        if bit != 0 {
            seen.push((w.norm, bit));
        }
    }
    seen.sort_unstable();
    seen.dedup();
    for &mut (h, b) in seen {
        match merged.last_mut() {
            Some((lh, lb)) if *lh == h => *lb |= b,
            _ => merged.push((h, b)),
        }
    }
    // Fold everything that depends on the word alone into two sums per word.
    words.extend(doc_words.iter().map(|&entry| {
            let w = &es[entry as usize];
            let seen = merged.binary_search_by_key(&w.norm, |&(h, _)| h).map_or(0, |k| merged[k].1);
            let mut flagged = dense.bias;
            add(&mut flagged, &dense.seen_cap[seen as usize & 3][w.cap as usize]);
            w.add(LOCAL, &mut flagged);
            let mut plain = flagged;
            w.add(PLAIN_FLAGS, &mut plain);
            add(&mut plain, &dense.sent_cap[0][w.cap as usize]);
            DocWord { entry, flagged, plain }
        }));

    // Second pass, per line: dense and cached sums, then the pair lookups in one batch.
    let mut out: Vec<Scores> = Vec::with_capacity(tokens.len());
    for line in lines {
        let (a, b) = (line.start, line.end);
        let at = |i: usize, d: isize| -> Option<&Entry> {
            let j = i as isize + d;
            (j >= a as isize && j < b as isize).then(|| &es[words[toks[j as usize].word as usize].entry as usize])
        };
        keys.clear();
        dest.clear();
        scores.clear();
        for i in a..b {
            let tok = toks[i];
            let dw = &words[tok.word as usize];
            let w = &es[dw.entry as usize];
            let (l1, r1, l2, r2) = (at(i, -1), at(i, 1), at(i, -2), at(i, 2));
            let cap = |x: Option<&Entry>| x.map_or(Cap::Edge, |w| w.cap);
            let (c0, cl1, cr1, cl2, cr2) = (w.cap, cap(l1), cap(r1), cap(l2), cap(r2));
            let flagged = tok.sent_start || tok.line_caps;
            let mut e = if flagged { dw.flagged } else { dw.plain };
            for (nb, which, pad) in [(l1, AS_L1, &dense.pad_l1), (r1, AS_R1, &dense.pad_r1), (l2, AS_L2, &dense.pad_l2), (r2, AS_R2, &dense.pad_r2)] {
                match nb {
                    Some(n) => n.add(which, &mut e),
                    None => add(&mut e, pad),
                }
            }
            add(&mut e, &dense.cap_left[cap3_index(cl2, cl1, c0)]);
            add(&mut e, &dense.cap_mid[cap3_index(cl1, c0, cr1)]);
            add(&mut e, &dense.cap_right[cap3_index(c0, cr1, cr2)]);
            for (nb, table) in [(l1, &dense.lex_left), (r1, &dense.lex_right)] {
                if let Some(n) = nb {
                    let mut bits = n.lex & ((1 << LEX_BITS) - 1);
                    while bits != 0 {
                        let bit = bits.trailing_zeros() as usize;
                        add(&mut e, &table[bit][c0 as usize]);
                        bits &= bits - 1;
                    }
                }
            }
            let k = (i - a) as u32;
            let mut push = |template: u64, value: u64| {
                keys.push(f::key(template, value));
                dest.push(k);
            };
            if flagged {
                add(&mut e, &dense.sent_cap[tok.sent_start as usize][c0 as usize]);
                push(t::LINE_CAPS_SHAPE, f::line_caps_shape(tok.line_caps, w.shape));
                push(t::SENT_NORM, f::sent_norm(tok.sent_start, w.norm));
            }
            let norm_l1 = l1.map_or(f::pad_norm(-1), |x| x.norm);
            let norm_r1 = r1.map_or(f::pad_norm(1), |x| x.norm);
            push(t::SHAPE_L1_0, f::pair(l1.map_or(f::pad_shape(-1), |x| x.shape), w.shape));
            push(t::SHAPE_0_R1, f::pair(w.shape, r1.map_or(f::pad_shape(1), |x| x.shape)));
            push(t::NORM_L1_0, f::pair(norm_l1, w.norm));
            push(t::NORM_0_R1, f::pair(w.norm, norm_r1));
            push(t::NORM_L1_CAP, f::pair(norm_l1, c0 as u64));
            push(t::CAP_NORM_R1, f::pair(c0 as u64, norm_r1));
            scores.push(e);
        }
        model.add_into(keys, dest, scores);
        out.extend(scores.iter().map(|acc| {
            let mut e = [0; N_TAGS];
            e.copy_from_slice(&acc[..N_TAGS]);
            e
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tagger::{embedded, lexicon_bits, tokenize};
    use proptest::prelude::*;

    /// The reference: every key materialised, summed by the model.
    fn reference(model: &Model, text: &str) -> Vec<[i64; N_TAGS]> {
        let toks = tokenize(text);
        let lines = f::lines(text, &toks);
        let feats = f::extract(text, &toks, &lines, &lexicon_bits);
        (0..feats.len())
            .map(|i| {
                let mut e = [0i64; N_TAGS];
                model.emissions(feats.of(i), &mut e);
                e
            })
            .collect()
    }

    fn fast_with(cache: &mut WordCache, text: &str) -> Vec<[i64; N_TAGS]> {
        let tg = embedded();
        let toks = tokenize(text);
        let lines = f::lines(text, &toks);
        emissions(tg.model(), &tg.dense, cache, text, &toks, &lines, &lexicon_bits).into_iter().map(|e| e.map(i64::from)).collect()
    }

    fn fast(text: &str) -> Vec<[i64; N_TAGS]> {
        fast_with(&mut WordCache::new(), text)
    }

    /// Texts with every kind of token and line: names, lower and capital forms of the same
    /// word, capital lines, sentence ends, quotes, non-Latin scripts, CRLF.
    const TEXTS: [&str; 6] = [
        "",
        "Obama",
        "Mr. Kato met Angela Merkel in Berlin on Monday. \"We agree,\" she said.\nNATO ALLIES MEET\n\nBERLIN (Reuters) - The U.S. and iPhone 2024…",
        "obama Obama OBAMA. Obama said obama was\n«Ça»—„x“ 3.5 é😀\u{301} ‏שלום‎ مرحبا\r\nend",
        "A\nB\nC . D ! E ? ” F",
        "MERKEL AND OBAMA\nBerlin said obama was in Paris on Monday .",
    ];

    #[test]
    fn same_sums_as_the_materialised_features() {
        let model = embedded().model();
        for text in TEXTS {
            assert_eq!(fast(text), reference(model, text), "{text:?}");
        }
    }

    /// Words cached from earlier documents give the same sums as words met for the first
    /// time: every text scored, then again after all the others warmed the cache.
    #[test]
    fn a_warm_cache_gives_the_same_sums() {
        let model = embedded().model();
        let mut cache = WordCache::new();
        for _ in 0..2 {
            for text in TEXTS {
                assert_eq!(fast_with(&mut cache, text), reference(model, text), "{text:?}");
            }
        }
        assert!(!cache.is_empty());
    }

    #[test]
    fn a_full_cache_starts_afresh() {
        let mut cache = WordCache::new();
        let text: String = (0..WordCache::MAX_WORDS + 10).map(|i| format!("w{i} ")).collect();
        let first = fast_with(&mut cache, &text);
        // A document is never cut short; the next one finds the cache emptied.
        assert!(cache.len() > WordCache::MAX_WORDS, "{}", cache.len());
        assert_eq!(fast_with(&mut cache, &text), first);
        assert_eq!(fast_with(&mut cache, "a b c a"), reference(embedded().model(), "a b c a"));
        assert_eq!(cache.len(), 3);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// One cache shared by every case, so later cases read words cached by earlier ones.
        #[test]
        fn same_sums_through_a_shared_cache(words in proptest::collection::vec(
            prop_oneof![Just("Paris".to_string()), Just("the".to_string()), Just(".".to_string()), "[A-Za-z]{1,3}", "\\PC{1,2}"], 0..40)) {
            thread_local!(static CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache::new()));
            let text = words.join(" ");
            let got = CACHE.with(|c| fast_with(&mut c.borrow_mut(), &text));
            prop_assert_eq!(got, reference(embedded().model(), &text));
        }

        #[test]
        fn same_sums_on_any_text(words in proptest::collection::vec(
            prop_oneof![
                Just("Paris".to_string()), Just("the".to_string()), Just(".".to_string()), Just("\n".to_string()),
                Just("MINISTER".to_string()), Just("said".to_string()), Just("”".to_string()), Just("Merkel".to_string()),
                "[A-Za-z]{1,8}", "\\PC{1,4}",
            ], 0..60)) {
            let text = words.join(" ");
            prop_assert_eq!(fast(&text), reference(embedded().model(), &text));
        }
    }
}

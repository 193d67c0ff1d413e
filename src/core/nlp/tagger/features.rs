//! Feature extraction: every token becomes a short list of hashed feature keys (`u32`).
//!
//! Hashing instead of a string vocabulary keeps the model file small (no strings, so no
//! training text ships) and extraction allocation-light. Keys are computed with fixed
//! arithmetic (FNV-1a and a 64-bit mixer), so native and wasm builds agree bit for bit.
//!
//! Templates: the word and its lower-cased, digit-folded form; shape; prefixes and
//! suffixes; a ±2 window of forms and shapes; capitalisation in context; sentence
//! position; whether the line is in capitals (headlines, datelines); document-level cues
//! (the same word seen in lower case / capitalised mid-sentence elsewhere); lexicon
//! membership bits supplied by the caller.

use crate::core::model::span::Span;

/// 64-bit FNV-1a offset basis and prime.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(FNV_PRIME)
}

fn fnv_char(mut h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        h = fnv_byte(h, b);
    }
    h
}

/// Mixes two 64-bit values (splitmix64 finaliser over a combination): feature keys are
/// built from template ids and per-token hashes with this.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Capitalisation class of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cap {
    Lower = 0,
    Title = 1,
    Upper = 2,
    Initial = 3,
    Digit = 4,
    Punct = 5,
    Mixed = 6,
    /// Padding before the first / after the last token of a line.
    Edge = 7,
}

fn cap_of(word: &str) -> Cap {
    let mut letters = 0;
    let mut upper = 0;
    let mut digits = 0;
    let mut first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    first_upper = true;
                }
            }
        } else if c.is_numeric() {
            digits += 1;
        }
    }
    if letters == 0 {
        return if digits > 0 { Cap::Digit } else { Cap::Punct };
    }
    if digits > 0 && digits >= letters {
        return Cap::Digit;
    }
    match (first_upper, upper) {
        (_, 0) => Cap::Lower,
        (true, 1) if letters == 1 => Cap::Initial,
        (true, 1) => Cap::Title,
        _ if upper == letters => Cap::Upper,
        (true, _) if word.chars().skip(1).take(1).all(|c| !c.is_uppercase()) => Cap::Title,
        _ => Cap::Mixed,
    }
}

/// What the features need to know about one token; computed once per token.
#[derive(Clone, Debug)]
pub struct TokenView {
    /// Hash of the exact form (FNV-1a over its UTF-8 bytes, see [`word_hash`]).
    pub(super) word: u64,
    /// Hash of the lower-cased form with digits folded to 0.
    pub(super) norm: u64,
    pub(super) shape: u64,
    pub(super) cap: Cap,
    prefix: [u64; 3],
    suffix: [u64; 4],
    /// First token of a sentence (line start or after . ! ? and closing quotes).
    sent_start: bool,
    /// The token's line is mostly capitals (headline, dateline).
    line_caps: bool,
    /// Lexicon membership bits (see `lexicon_bits`).
    pub(super) lex: u32,
    /// Document cues, filled after all tokens are seen.
    seen_lower: bool,
    seen_cap_mid: bool,
}

/// The exact-form hash of a word: what [`TokenView::word`] holds (hashing each char's
/// UTF-8 encoding in turn is hashing the string's bytes).
pub(super) fn word_hash(word: &str) -> u64 {
    word.bytes().fold(FNV_OFFSET, fnv_byte)
}

const PAD_NORM: u64 = 0x5eed_0000_0000_0001;
const PAD_SHAPE: u64 = 0x5eed_0000_0000_0002;

/// Builds a view of one token. `buf` is scratch space reused across tokens.
pub(super) fn view(word: &str, buf: &mut Vec<char>, lex: u32) -> TokenView {
    if word.is_ascii() {
        return view_ascii(word, lex);
    }
    view_chars(word, buf, lex)
}

/// [`view_chars`] for ASCII words (most of them), byte by byte: hashing a char's UTF-8
/// bytes is hashing the byte itself, and ASCII case and classes need no tables. The test
/// `ascii_view_equals_the_general_one` holds the two to the same values.
fn view_ascii(word: &str, lex: u32) -> TokenView {
    let (mut wh, mut nh) = (FNV_OFFSET, FNV_OFFSET);
    let mut shape = Shape::new(0u8);
    let bytes = word.as_bytes();
    let fold = |b: u8| if b.is_ascii_digit() { b'0' } else { b.to_ascii_lowercase() };
    for &b in bytes {
        wh = fnv_byte(wh, b);
        nh = fnv_byte(nh, fold(b));
        let class = if b.is_ascii_uppercase() {
            b'X'
        } else if b.is_ascii_lowercase() {
            b'x'
        } else if b.is_ascii_digit() {
            b'd'
        } else {
            b
        };
        shape.push(class, fnv_byte);
    }
    let (prefix, suffix) = affixes(bytes.len(), |k| fold(bytes[k]), fnv_byte);
    finish(word, wh, nh, shape.h, prefix, suffix, lex)
}

/// The view of any word, char by char.
fn view_chars(word: &str, buf: &mut Vec<char>, lex: u32) -> TokenView {
    buf.clear();
    let (mut wh, mut nh) = (FNV_OFFSET, FNV_OFFSET);
    let mut shape = Shape::new('\0');
    for c in word.chars() {
        wh = fnv_char(wh, c);
        let lc = if c.is_numeric() {
            '0'
        } else if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        buf.push(lc);
        nh = fnv_char(nh, lc);
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        shape.push(class, fnv_char);
    }
    let (prefix, suffix) = affixes(buf.len(), |k| buf[k], fnv_char);
    finish(word, wh, nh, shape.h, prefix, suffix, lex)
}

/// The shape hash: character classes in order, a run of one class counted at most twice
/// ("Xxxxx" and "Xx" are the same shape). Bytes or chars, hashed the same way.
struct Shape<T> {
    h: u64,
    last: T,
    run: u32,
}

impl<T: Copy + PartialEq> Shape<T> {
    /// `start` stands for "no class yet" (a first class equal to it counts as a run of it).
    fn new(start: T) -> Shape<T> {
        Shape { h: FNV_OFFSET, last: start, run: 0 }
    }

    fn push(&mut self, class: T, hash: fn(u64, T) -> u64) {
        if class == self.last {
            self.run += 1;
        } else {
            self.run = 1;
            self.last = class;
        }
        if self.run <= 2 {
            self.h = hash(self.h, class);
        }
    }
}

/// Prefix hashes (1–3 units) and suffix hashes (1–4 units) of the folded form `at(0..n)`;
/// a word shorter than an affix repeats the longest one it has.
fn affixes<T>(n: usize, at: impl Fn(usize) -> T, hash: fn(u64, T) -> u64) -> ([u64; 3], [u64; 4]) {
    let mut prefix = [0u64; 3];
    let mut h = FNV_OFFSET;
    for (k, p) in prefix.iter_mut().enumerate() {
        if k < n {
            h = hash(h, at(k));
        }
        *p = h;
    }
    let mut suffix = [0u64; 4];
    let mut h = FNV_OFFSET ^ 0x55;
    for (k, x) in suffix.iter_mut().enumerate() {
        if k < n {
            h = hash(h, at(n - 1 - k));
        }
        *x = h;
    }
    (prefix, suffix)
}

/// A view from its hashes; context fields are filled in later.
fn finish(word: &str, wh: u64, nh: u64, shape: u64, prefix: [u64; 3], suffix: [u64; 4], lex: u32) -> TokenView {
    TokenView {
        word: wh,
        norm: nh,
        shape,
        cap: cap_of(word),
        prefix,
        suffix,
        sent_start: false,
        line_caps: false,
        lex,
        seen_lower: false,
        seen_cap_mid: false,
    }
}

pub(super) fn ends_sentence(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "…")
}

pub(super) fn is_closer(word: &str) -> bool {
    matches!(word, "\"" | "'" | "”" | "’" | ")" | "»")
}

/// Letters and upper-case letters of a word (for [`is_caps_line`]).
pub(super) fn letters_upper(word: &str) -> (usize, usize) {
    word.chars().filter(|c| c.is_alphabetic()).fold((0, 0), |(l, u), c| (l + 1, u + c.is_uppercase() as usize))
}

/// Whether a line with these counts is "in capitals" (headline, dateline).
pub(super) fn is_caps_line(letters: usize, upper: usize) -> bool {
    letters >= 4 && upper * 10 >= letters * 7
}

/// The document-cue bits one token contributes for its normalised form: 1 = seen in
/// lower case, 2 = seen capitalised mid-sentence.
pub(super) fn seen_bit(cap: Cap, sent_start: bool, line_caps: bool) -> u8 {
    match cap {
        Cap::Lower => 1,
        Cap::Title | Cap::Upper if !sent_start && !line_caps => 2,
        _ => 0,
    }
}

/// Splits tokens into lines: ranges of token indices with no newline between them. Each
/// line is decoded on its own (news text has a sentence or a paragraph per line).
pub fn lines(text: &str, tokens: &[Span]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..tokens.len() {
        let gap = text.get(tokens[i - 1].end..tokens[i].start).unwrap_or("");
        if gap.contains('\n') {
            out.push(start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// The features of a document: `keys[offsets[i]..offsets[i+1]]` belong to token `i`.
///
/// The first `local[i]` keys of a token depend on its text alone (word, shape, affixes,
/// lexicon bits), so their summed weights can be cached per distinct `word[i]`.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub keys: Vec<u32>,
    pub offsets: Vec<u32>,
    pub local: Vec<u8>,
    pub word: Vec<u64>,
}

impl Features {
    pub fn of(&self, i: usize) -> &[u32] {
        let a = self.offsets[i] as usize;
        let b = self.offsets[i + 1] as usize;
        &self.keys[a..b]
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Computes the features of every token of a document. `lex` gives the lexicon bits of a
/// token's text (0 when no lexicon is available).
pub fn extract(text: &str, tokens: &[Span], lines: &[std::ops::Range<usize>], lex: &dyn Fn(&str) -> u32) -> Features {
    let mut buf = Vec::with_capacity(32);
    // Lexicon lookups are the costly part of a view: once per distinct form.
    let mut lex_cache: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut views: Vec<TokenView> = tokens
        .iter()
        .map(|s| {
            let w = s.slice(text).unwrap_or("");
            let bits = *lex_cache.entry(w).or_insert_with(|| lex(w));
            view(w, &mut buf, bits)
        })
        .collect();
    // Sentence starts and capital lines.
    for line in lines {
        let mut letters = 0usize;
        let mut upper = 0usize;
        for i in line.clone() {
            let (l, u) = letters_upper(tokens[i].slice(text).unwrap_or(""));
            letters += l;
            upper += u;
            let start = i == line.start || {
                let p = tokens[i - 1].slice(text).unwrap_or("");
                ends_sentence(p)
                    || (is_closer(p) && i >= line.start + 2 && ends_sentence(tokens[i - 2].slice(text).unwrap_or("")))
            };
            views[i].sent_start = start;
        }
        let caps = is_caps_line(letters, upper);
        for i in line.clone() {
            views[i].line_caps = caps;
        }
    }
    // Document cues: has this word been seen in lower case, or capitalised mid-sentence?
    // A small sorted vector instead of a HashMap: deterministic and cheap for one article.
    let mut seen: Vec<(u64, u8)> = Vec::with_capacity(views.len());
    for v in &views {
        let bit = seen_bit(v.cap, v.sent_start, v.line_caps);
        if bit != 0 {
            seen.push((v.norm, bit));
        }
    }
    seen.sort_unstable();
    let mut merged: Vec<(u64, u8)> = Vec::with_capacity(seen.len());
    for (h, b) in seen {
        match merged.last_mut() {
            Some((lh, lb)) if *lh == h => *lb |= b,
            _ => merged.push((h, b)),
        }
    }
    for v in views.iter_mut() {
        if let Ok(k) = merged.binary_search_by_key(&v.norm, |&(h, _)| h) {
            let b = merged[k].1;
            v.seen_lower = b & 1 != 0;
            v.seen_cap_mid = b & 2 != 0;
        }
    }

    let mut out = Features {
        keys: Vec::with_capacity(views.len() * 40),
        offsets: Vec::with_capacity(views.len() + 1),
        local: Vec::with_capacity(views.len()),
        word: Vec::with_capacity(views.len()),
    };
    out.offsets.push(0);
    for line in lines {
        for i in line.clone() {
            let before = out.keys.len();
            local_features(&views[i], &mut out.keys);
            out.local.push((out.keys.len() - before) as u8);
            out.word.push(views[i].word);
            context_features(&views, line.clone(), i, &mut out.keys);
            out.offsets.push(out.keys.len() as u32);
        }
    }
    out
}

/// Number of lexicon bits the features look at.
pub const LEX_BITS: u32 = 16;

pub(super) fn key(template: u64, value: u64) -> u32 {
    (mix(template.wrapping_mul(0x1000_0000_01b3) ^ 0xa5a5, value) >> 32) as u32
}

/// Template ids (part of every feature key, so they are fixed by the shipped model).
/// `infer` evaluates the context templates without materialising keys; both go through
/// these names and the value functions below so the two cannot drift apart.
pub(super) mod t {
    pub const BIAS: u64 = 0;
    pub const NORM: u64 = 1;
    pub const WORD: u64 = 2;
    pub const NORM_L1: u64 = 3;
    pub const NORM_R1: u64 = 4;
    pub const NORM_L2: u64 = 5;
    pub const NORM_R2: u64 = 6;
    pub const SHAPE: u64 = 7;
    pub const SHAPE_L1: u64 = 8;
    pub const SHAPE_R1: u64 = 9;
    pub const SHAPE_L1_0: u64 = 10;
    pub const SHAPE_0_R1: u64 = 11;
    pub const PREFIX: u64 = 12;
    pub const SUFFIX: u64 = 15;
    pub const NORM_L1_0: u64 = 19;
    pub const NORM_0_R1: u64 = 20;
    pub const CAP_L1_0_R1: u64 = 21;
    pub const SENT_CAP: u64 = 22;
    pub const LINE_CAPS_SHAPE: u64 = 23;
    pub const SEEN_CAP: u64 = 24;
    pub const NORM_L1_CAP: u64 = 25;
    pub const CAP_NORM_R1: u64 = 26;
    pub const CAP_L2_L1_0: u64 = 27;
    pub const CAP_0_R1_R2: u64 = 28;
    pub const SENT_NORM: u64 = 29;
    pub const LEX: u64 = 40;
    pub const LEX_L1: u64 = 60;
    pub const LEX_R1: u64 = 80;
}

/// Value of a three-capitalisation template.
pub(super) fn cap3(a: u64, b: u64, c: u64) -> u64 {
    a << 8 | b << 4 | c
}

pub(super) fn sent_cap(sent_start: bool, cap: u64) -> u64 {
    (sent_start as u64) << 4 | cap
}

pub(super) fn seen_cap(seen_lower: bool, seen_cap_mid: bool, cap: u64) -> u64 {
    (seen_lower as u64) << 5 | (seen_cap_mid as u64) << 4 | cap
}

pub(super) fn line_caps_shape(line_caps: bool, shape: u64) -> u64 {
    mix(line_caps as u64, shape)
}

pub(super) fn sent_norm(sent_start: bool, norm: u64) -> u64 {
    (sent_start as u64) << 32 | norm
}

pub(super) fn pair(a: u64, b: u64) -> u64 {
    mix(a, b)
}

/// The norm / shape hash standing in for a missing neighbour at offset `d`.
pub(super) fn pad_norm(d: isize) -> u64 {
    PAD_NORM ^ d as u64
}

pub(super) fn pad_shape(d: isize) -> u64 {
    PAD_SHAPE ^ d as u64
}

/// Features of the token's own text (a function of the word alone).
pub(super) fn local_features(v: &TokenView, keys: &mut Vec<u32>) {
    let cap = v.cap as u64;
    keys.push(key(t::NORM, v.norm));
    keys.push(key(t::WORD, v.word));
    keys.push(key(t::SHAPE, v.shape));
    for (k, &p) in v.prefix.iter().enumerate() {
        keys.push(key(t::PREFIX + k as u64, p));
    }
    for (k, &s) in v.suffix.iter().enumerate() {
        keys.push(key(t::SUFFIX + k as u64, s));
    }
    for bit in 0..LEX_BITS {
        if v.lex & (1 << bit) != 0 {
            keys.push(key(t::LEX + bit as u64, cap));
        }
    }
}

/// Features of the token in its context (window, sentence, line, document).
fn context_features(views: &[TokenView], line: std::ops::Range<usize>, i: usize, keys: &mut Vec<u32>) {
    let at = |d: isize| -> Option<&TokenView> {
        let j = i as isize + d;
        if j < line.start as isize || j >= line.end as isize {
            None
        } else {
            Some(&views[j as usize])
        }
    };
    let norm = |d| at(d).map_or(pad_norm(d), |v| v.norm);
    let shape = |d| at(d).map_or(pad_shape(d), |v| v.shape);
    let cap = |d| at(d).map_or(Cap::Edge, |v| v.cap) as u64;
    let v = &views[i];
    let mut push = |template: u64, value: u64| keys.push(key(template, value));
    push(t::BIAS, 0);
    push(t::NORM_L1, norm(-1));
    push(t::NORM_R1, norm(1));
    push(t::NORM_L2, norm(-2));
    push(t::NORM_R2, norm(2));
    push(t::SHAPE_L1, shape(-1));
    push(t::SHAPE_R1, shape(1));
    push(t::SHAPE_L1_0, pair(shape(-1), v.shape));
    push(t::SHAPE_0_R1, pair(v.shape, shape(1)));
    push(t::NORM_L1_0, pair(norm(-1), v.norm));
    push(t::NORM_0_R1, pair(v.norm, norm(1)));
    push(t::CAP_L1_0_R1, cap3(cap(-1), cap(0), cap(1)));
    push(t::SENT_CAP, sent_cap(v.sent_start, cap(0)));
    push(t::LINE_CAPS_SHAPE, line_caps_shape(v.line_caps, v.shape));
    push(t::SEEN_CAP, seen_cap(v.seen_lower, v.seen_cap_mid, cap(0)));
    push(t::NORM_L1_CAP, pair(norm(-1), cap(0)));
    push(t::CAP_NORM_R1, pair(cap(0), norm(1)));
    push(t::CAP_L2_L1_0, cap3(cap(-2), cap(-1), cap(0)));
    push(t::CAP_0_R1_R2, cap3(cap(0), cap(1), cap(2)));
    push(t::SENT_NORM, sent_norm(v.sent_start, v.norm));
    if let Some(p) = at(-1) {
        for bit in 0..LEX_BITS {
            if p.lex & (1 << bit) != 0 {
                push(t::LEX_L1 + bit as u64, cap(0));
            }
        }
    }
    if let Some(n) = at(1) {
        for bit in 0..LEX_BITS {
            if n.lex & (1 << bit) != 0 {
                push(t::LEX_R1 + bit as u64, cap(0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_view_equals_the_general_one() {
        let mut words: Vec<String> = ["", "\0", "\0\0a", "Obama", "U.S.", "1,200.5", "iPhone", "--", "McDONALD's", "AAA", "aaaa", "x1y2", "A", "#tag", "e-mail"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Every pair of printable ASCII characters and a few longer mixes.
        let printable: Vec<char> = (0x20u8..0x7f).map(char::from).collect();
        for &a in &printable {
            for &b in &printable {
                words.push(format!("{a}{b}"));
            }
            words.push(format!("Ab{a}9{a}{a}Z"));
        }
        let mut buf = Vec::new();
        for w in &words {
            let (x, y) = (view_ascii(w, 3), view_chars(w, &mut buf, 3));
            assert_eq!((x.word, x.norm, x.shape, x.cap, x.prefix, x.suffix, x.lex), (y.word, y.norm, y.shape, y.cap, y.prefix, y.suffix, y.lex), "{w:?}");
        }
    }

    #[test]
    fn caps() {
        let table = [
            ("obama", Cap::Lower),
            ("Obama", Cap::Title),
            ("NATO", Cap::Upper),
            ("U.S.", Cap::Upper),
            ("A", Cap::Initial),
            ("1996", Cap::Digit),
            (",", Cap::Punct),
            ("iPhone", Cap::Mixed),
            ("McDonald", Cap::Title),
            ("", Cap::Punct),
        ];
        for (w, want) in table {
            assert_eq!(cap_of(w), want, "{w}");
        }
    }

    fn spans(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    out.push(Span::new(s, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push(Span::new(s, text.len()));
        }
        out
    }

    #[test]
    fn same_word_same_keys_and_lines_split() {
        let text = "Obama met Putin .\nObama left";
        let toks = spans(text);
        let ls = lines(text, &toks);
        assert_eq!(ls, vec![0..4, 4..6]);
        let f = extract(text, &toks, &ls, &|_| 0);
        assert_eq!(f.len(), 6);
        // Both "Obama"s: identical local features (cacheable by word), unlike "Putin".
        let l = f.local[0] as usize;
        assert_eq!(f.of(0)[..l], f.of(4)[..l]);
        assert_eq!(f.word[0], f.word[4]);
        assert_ne!(f.of(0)[..l], f.of(2)[..f.local[2] as usize]);
        assert_eq!(extract(text, &toks, &ls, &|_| 0).keys, f.keys, "deterministic");
    }

    #[test]
    fn lexicon_bits_add_features() {
        let text = "in Paris";
        let toks = spans(text);
        let ls = lines(text, &toks);
        let plain = extract(text, &toks, &ls, &|_| 0);
        let lex = extract(text, &toks, &ls, &|w| if w == "Paris" { 1 } else { 0 });
        assert!(lex.of(1).len() > plain.of(1).len());
        assert!(lex.of(0).len() > plain.of(0).len(), "the next token's bits count too");
    }
}

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

use crate::extract::span::Span;

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
    /// Hash of the exact form.
    word: u64,
    /// Hash of the lower-cased form with digits folded to 0.
    norm: u64,
    shape: u64,
    cap: Cap,
    prefix: [u64; 3],
    suffix: [u64; 4],
    /// First token of a sentence (line start or after . ! ? and closing quotes).
    sent_start: bool,
    /// The token's line is mostly capitals (headline, dateline).
    line_caps: bool,
    /// Lexicon membership bits (see `lexicon_bits`).
    lex: u32,
    /// Document cues, filled after all tokens are seen.
    seen_lower: bool,
    seen_cap_mid: bool,
}

const PAD_NORM: u64 = 0x5eed_0000_0000_0001;
const PAD_SHAPE: u64 = 0x5eed_0000_0000_0002;

/// Builds a view of one token. `buf` is scratch space reused across tokens.
fn view(word: &str, buf: &mut Vec<char>, lex: u32) -> TokenView {
    buf.clear();
    let mut wh = FNV_OFFSET;
    let mut nh = FNV_OFFSET;
    let mut sh = FNV_OFFSET;
    let mut last_class = '\0';
    let mut run = 0;
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
        if class == last_class {
            run += 1;
        } else {
            run = 1;
            last_class = class;
        }
        if run <= 2 {
            sh = fnv_char(sh, class);
        }
    }
    let n = buf.len();
    let mut prefix = [0u64; 3];
    let mut h = FNV_OFFSET;
    for (k, p) in prefix.iter_mut().enumerate() {
        if let Some(&c) = buf.get(k) {
            h = fnv_char(h, c);
        }
        *p = h;
    }
    let mut suffix = [0u64; 4];
    let mut h = FNV_OFFSET ^ 0x55;
    for (k, s) in suffix.iter_mut().enumerate() {
        if k < n {
            h = fnv_char(h, buf[n - 1 - k]);
        }
        *s = h;
    }
    TokenView {
        word: wh,
        norm: nh,
        shape: sh,
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

fn ends_sentence(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "…")
}

fn is_closer(word: &str) -> bool {
    matches!(word, "\"" | "'" | "”" | "’" | ")" | "»")
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
            let w = tokens[i].slice(text).unwrap_or("");
            for c in w.chars().filter(|c| c.is_alphabetic()) {
                letters += 1;
                upper += c.is_uppercase() as usize;
            }
            let start = i == line.start || {
                let p = tokens[i - 1].slice(text).unwrap_or("");
                ends_sentence(p)
                    || (is_closer(p) && i >= line.start + 2 && ends_sentence(tokens[i - 2].slice(text).unwrap_or("")))
            };
            views[i].sent_start = start;
        }
        let caps = letters >= 4 && upper * 10 >= letters * 7;
        for i in line.clone() {
            views[i].line_caps = caps;
        }
    }
    // Document cues: has this word been seen in lower case, or capitalised mid-sentence?
    // A small sorted vector instead of a HashMap: deterministic and cheap for one article.
    let mut seen: Vec<(u64, u8)> = Vec::with_capacity(views.len());
    for v in &views {
        let bit = match v.cap {
            Cap::Lower => 1,
            Cap::Title | Cap::Upper if !v.sent_start && !v.line_caps => 2,
            _ => 0,
        };
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

fn key(template: u64, value: u64) -> u32 {
    (mix(template.wrapping_mul(0x1000_0000_01b3) ^ 0xa5a5, value) >> 32) as u32
}

/// Features of the token's own text (a function of the word alone).
fn local_features(v: &TokenView, keys: &mut Vec<u32>) {
    let cap = v.cap as u64;
    keys.push(key(1, v.norm));
    keys.push(key(2, v.word));
    keys.push(key(7, v.shape));
    for (k, &p) in v.prefix.iter().enumerate() {
        keys.push(key(12 + k as u64, p));
    }
    for (k, &s) in v.suffix.iter().enumerate() {
        keys.push(key(15 + k as u64, s));
    }
    for bit in 0..LEX_BITS {
        if v.lex & (1 << bit) != 0 {
            keys.push(key(40 + bit as u64, cap));
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
    let norm = |d| at(d).map_or(PAD_NORM ^ d as u64, |v| v.norm);
    let shape = |d| at(d).map_or(PAD_SHAPE ^ d as u64, |v| v.shape);
    let cap = |d| at(d).map_or(Cap::Edge, |v| v.cap) as u64;
    let v = &views[i];
    let mut push = |template: u64, value: u64| keys.push(key(template, value));
    push(0, 0);
    push(3, norm(-1));
    push(4, norm(1));
    push(5, norm(-2));
    push(6, norm(2));
    push(8, shape(-1));
    push(9, shape(1));
    push(10, mix(shape(-1), v.shape));
    push(11, mix(v.shape, shape(1)));
    push(19, mix(norm(-1), v.norm));
    push(20, mix(v.norm, norm(1)));
    push(21, cap(-1) << 8 | cap(0) << 4 | cap(1));
    push(22, (v.sent_start as u64) << 4 | cap(0));
    push(23, mix(v.line_caps as u64, v.shape));
    push(24, (v.seen_lower as u64) << 5 | (v.seen_cap_mid as u64) << 4 | cap(0));
    push(25, mix(norm(-1), cap(0)));
    push(26, mix(cap(0), norm(1)));
    push(27, cap(-2) << 8 | cap(-1) << 4 | cap(0));
    push(28, cap(0) << 8 | cap(1) << 4 | cap(2));
    push(29, (v.sent_start as u64) << 32 | v.norm);
    if let Some(p) = at(-1) {
        for bit in 0..LEX_BITS {
            if p.lex & (1 << bit) != 0 {
                push(60 + bit as u64, cap(0));
            }
        }
    }
    if let Some(n) = at(1) {
        for bit in 0..LEX_BITS {
            if n.lex & (1 << bit) != 0 {
                push(80 + bit as u64, cap(0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

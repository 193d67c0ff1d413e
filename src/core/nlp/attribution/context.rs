//! The token-level view the attribution patterns read: lower-cased words, sentence and
//! quotation membership of every token, and small queries over them.

use crate::core::nlp::quotes::{quotations, Quotation};
use crate::core::model::span::Span;
use crate::core::nlp::tokenize::{Token, TokenKind};
use crate::core::nlp::fasthash::FxHashMap;

pub struct Ctx<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Every token lower-cased ([`crate::core::nlp::tokenize::lower_forms`]): token `i` is
    /// `lower[lower_at[i].0..lower_at[i].1]`.
    lower: &'a str,
    lower_at: &'a [(usize, usize)],
    /// Token index ranges of the sentences.
    pub sents: Vec<(usize, usize)>,
    /// Sentence index of each token.
    pub sent_of: Vec<usize>,
    pub quotes: Vec<Quotation>,
    /// Token is strictly inside an outermost quotation (not one of its marks).
    pub quoted: Vec<bool>,
    /// Opening / closing mark token → quotation index.
    pub open_of: FxHashMap<usize, usize>,
    pub close_of: FxHashMap<usize, usize>,
    /// Token lies in a boilerplate region.
    pub excluded: Vec<bool>,
}

impl<'a> Ctx<'a> {
    /// `lows` is [`crate::core::nlp::tokenize::lower_forms`] of `tokens`.
    pub fn new(text: &'a str, tokens: &'a [Token], lows: &'a (String, Vec<(usize, usize)>), sentences: &[Span], boilerplate: &[Span]) -> Ctx<'a> {
        let (lower, lower_at) = (lows.0.as_str(), lows.1.as_slice());
        let mut sents = Vec::new();
        let mut sent_of = vec![usize::MAX; tokens.len()];
        let mut i = 0;
        for s in sentences {
            while i < tokens.len() && tokens[i].span.start < s.start {
                i += 1;
            }
            let first = i;
            while i < tokens.len() && tokens[i].span.end <= s.end {
                i += 1;
            }
            if first < i {
                for k in sent_of.iter_mut().take(i).skip(first) {
                    *k = sents.len();
                }
                sents.push((first, i));
            }
        }
        // Tokens outside every sentence (should not happen) get a sentence of their own.
        for k in 0..tokens.len() {
            if sent_of[k] == usize::MAX {
                sent_of[k] = sents.len();
                sents.push((k, k + 1));
            }
        }
        let quotes = quotations(text, tokens);
        let mut quoted = vec![false; tokens.len()];
        let mut open_of = FxHashMap::default();
        let mut close_of = FxHashMap::default();
        for (qi, q) in quotes.iter().enumerate() {
            open_of.insert(q.open, qi);
            if let Some(c) = q.close {
                close_of.insert(c, qi);
            }
            if q.depth == 0 {
                let inner = q.inner(tokens);
                let from = tokens.partition_point(|t| t.span.start < inner.start);
                let to = tokens.partition_point(|t| t.span.start < inner.end);
                for (k, t) in tokens.iter().enumerate().take(to).skip(from) {
                    if t.span.end <= inner.end && k != q.open && Some(k) != q.close {
                        quoted[k] = true;
                    }
                }
            }
        }
        let excluded = crate::core::nlp::tokenize::overlapping(tokens, boilerplate);
        Ctx { text, tokens, lower, lower_at, sents, sent_of, quotes, quoted, open_of, close_of, excluded }
    }

    pub fn word(&self, i: usize) -> &str {
        self.lower_at.get(i).and_then(|&(a, b)| self.lower.get(a..b)).unwrap_or("")
    }

    pub fn raw(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.text(self.text))
    }

    pub fn kind(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    pub fn is(&self, i: usize, s: &str) -> bool {
        self.raw(i) == s
    }

    pub fn is_word(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(TokenKind::Word))
    }

    pub fn is_terminal(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(TokenKind::Terminal))
    }

    pub fn is_quote(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(TokenKind::Quote(_)))
    }

    pub fn capitalised(&self, i: usize) -> bool {
        self.raw(i).chars().next().is_some_and(|c| c.is_uppercase())
    }

    /// The quotation whose closing mark is token `i`.
    pub fn closing(&self, i: usize) -> Option<&Quotation> {
        self.close_of.get(&i).and_then(|&q| self.quotes.get(q))
    }

    /// The quotation whose opening mark is token `i`.
    pub fn opening(&self, i: usize) -> Option<&Quotation> {
        self.open_of.get(&i).and_then(|&q| self.quotes.get(q))
    }

    /// Byte span from token `a` to token `b - 1` (`a < b`).
    pub fn span(&self, a: usize, b: usize) -> Span {
        let start = self.tokens.get(a).map_or(0, |t| t.span.start);
        let end = b.checked_sub(1).and_then(|k| self.tokens.get(k)).map_or(start, |t| t.span.end);
        Span { start, end: end.max(start) }
    }

    /// Index of the token starting at byte `offset` or the first one after it.
    pub fn token_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < offset)
    }

    /// Whether two adjacent tokens are separated by a newline.
    pub fn newline_between(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => self.text.get(x.span.end..y.span.start).is_some_and(|g| g.contains('\n')),
            _ => false,
        }
    }
}

//! Pairing quotation marks into quotations, across sentences and paragraphs.
//!
//! Marks pair within their family (double, single, guillemets, corners); single marks
//! nest inside double ones. News style continues a quote over paragraphs by opening
//! every paragraph and closing only the last one: a paragraph that opens a quote without
//! closing it continues into the next paragraph when that one opens a quote too. A quote
//! left open at the end of a paragraph that does not continue ends there, unclosed.
//!
//! ```
//! use newsmark::core::{nlp::{quotes::quotations, tokenize::tokenize}};
//! let text = "“First part.\n“Second part,” she said.";
//! let q = quotations(text, &tokenize(text));
//! assert_eq!(q.len(), 1);
//! let parts: Vec<&str> = q[0].parts.iter().map(|s| &text[s.start..s.end]).collect();
//! assert_eq!(parts, ["“First part.", "“Second part,”"]);
//! ```

use crate::core::nlp::sentence::paragraphs;
use crate::core::model::span::Span;
use crate::core::nlp::tokenize::{QuoteMark, QuoteRole, Token, TokenKind};

/// One quotation: from its opening mark to its closing mark (inclusive), possibly over
/// several paragraphs (one part per paragraph).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    pub mark: QuoteMark,
    /// Index of the opening mark's token.
    pub open: usize,
    /// Index of the closing mark's token; `None` when the quote runs to a paragraph end.
    pub close: Option<usize>,
    /// One span per paragraph, each including the marks it contains, in text order.
    pub parts: Vec<Span>,
    /// 0 for an outermost quote, 1 for a quote inside it, …
    pub depth: usize,
}

impl Quotation {
    /// From the opening mark to the closing mark (or the end of the last part).
    pub fn hull(&self) -> Span {
        let first = self.parts.first().copied().unwrap_or(Span { start: 0, end: 0 });
        let last = self.parts.last().copied().unwrap_or(first);
        Span { start: first.start, end: last.end }
    }

    /// The text inside the marks, of the whole quotation (first to last part).
    pub fn inner(&self, tokens: &[Token]) -> Span {
        let hull = self.hull();
        let start = tokens.get(self.open).map_or(hull.start, |t| t.span.end);
        let end = self.close.and_then(|c| tokens.get(c)).map_or(hull.end, |t| t.span.start);
        if start <= end {
            Span { start, end }
        } else {
            hull
        }
    }
}

struct Open {
    mark: QuoteMark,
    token: usize,
    /// Opened by a low mark („ ‚): an "opening" “ ‘ then closes it (German style).
    low: bool,
    /// Opened by a straight mark: only a straight mark closes it (typographic and
    /// straight marks mixed in one text are usually two different quotes).
    straight: bool,
    /// Parts finished in earlier paragraphs.
    parts: Vec<Span>,
    /// Where the part in the current paragraph starts.
    part_start: usize,
}

/// All quotations in `text`, ordered by their opening mark.
pub fn quotations(text: &str, tokens: &[Token]) -> Vec<Quotation> {
    let paras = paragraphs(text);
    let mut out: Vec<Quotation> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut carried: Vec<Open> = Vec::new();
    let mut ti = 0;
    for para in &paras {
        let first = ti;
        while ti < tokens.len() && tokens[ti].span.end <= para.end {
            ti += 1;
        }
        let para_tokens = first..ti;
        // A quote left open in the previous paragraph continues if this one opens with a
        // mark of the same family; otherwise it ended there.
        let opens_with = tokens.get(first).and_then(|t| match t.kind {
            TokenKind::Quote(q) if first < ti && q.role != QuoteRole::Close => Some((q.mark, is_straight(t.text(text)))),
            _ => None,
        });
        let mut cont_skip = None;
        if let Some((mark, straight)) = opens_with {
            if let Some(pos) = carried.iter().rposition(|o| o.mark == mark && o.straight == straight) {
                let mut o = carried.remove(pos);
                o.part_start = tokens[first].span.start;
                cont_skip = Some(first);
                stack.push(o);
            }
        }
        for o in carried.drain(..) {
            out.push(finish(o, None, tokens, 0));
        }
        for k in para_tokens {
            if Some(k) == cont_skip {
                continue;
            }
            let TokenKind::Quote(q) = tokens[k].kind else { continue };
            let text_of = tokens[k].text(text);
            let straight = is_straight(text_of);
            // A mark that context says closes may close a quote opened by the other style
            // ("“Our roads are crumbling," she said).
            let same = stack
                .iter()
                .rposition(|o| o.mark == q.mark && o.straight == straight)
                .or_else(|| (q.role == QuoteRole::Close).then(|| stack.iter().rposition(|o| o.mark == q.mark)).flatten());
            let closes = match (q.role, same) {
                (_, None) => false,
                (QuoteRole::Close | QuoteRole::Ambiguous, Some(_)) => true,
                (QuoteRole::Open, Some(p)) => {
                    (stack[p].low && matches!(text_of, "“" | "‘")) || (straight && q.mark == QuoteMark::Double && self_closing_double(&stack[p]))
                }
            };
            if closes {
                let p = same.unwrap_or(0);
                // Anything opened inside and never closed ends here too.
                while stack.len() > p + 1 {
                    if let Some(o) = stack.pop() {
                        let depth = stack.len();
                        let end = tokens[k].span.start;
                        out.push(finish_at(o, end, tokens, depth));
                    }
                }
                if let Some(o) = stack.pop() {
                    let depth = stack.len();
                    out.push(finish(o, Some(k), tokens, depth));
                }
            } else if q.role != QuoteRole::Close {
                // A stray closing mark (an apostrophe: "the players’ union") opens nothing.
                if q.mark == QuoteMark::Single && q.role == QuoteRole::Ambiguous {
                    continue;
                }
                stack.push(Open {
                    mark: q.mark,
                    token: k,
                    low: matches!(text_of, "„" | "‚"),
                    straight,
                    parts: Vec::new(),
                    part_start: tokens[k].span.start,
                });
            }
        }
        // Close the part of every quote still open at the paragraph end; the outermost
        // one may continue in the next paragraph, nested ones end here.
        let mut still: Vec<Open> = std::mem::take(&mut stack);
        if let Some(mut outer) = (!still.is_empty()).then(|| still.remove(0)) {
            for (d, o) in still.into_iter().enumerate() {
                out.push(finish_at(o, para.end, tokens, d + 1));
            }
            if outer.part_start < para.end {
                outer.parts.push(Span::new(outer.part_start, para.end));
            }
            carried.push(outer);
        }
    }
    for o in carried.drain(..) {
        out.push(finish(o, None, tokens, 0));
    }
    out.sort_by_key(|q| (q.hull().start, q.open));
    out
}

/// `''` opened a quote that `''` may close even where context suggests opening.
fn self_closing_double(o: &Open) -> bool {
    o.straight && o.mark == QuoteMark::Double
}

fn is_straight(mark: &str) -> bool {
    matches!(mark, "\"" | "'" | "\u{ff02}" | "''" | "``")
}

fn finish(o: Open, close: Option<usize>, tokens: &[Token], depth: usize) -> Quotation {
    match close.and_then(|c| tokens.get(c)) {
        Some(t) => {
            let mut q = finish_at(o, t.span.end, tokens, depth);
            q.close = close;
            q
        }
        None => {
            let parts = if o.parts.is_empty() {
                vec![tokens.get(o.token).map_or(Span { start: 0, end: 0 }, |t| t.span)]
            } else {
                o.parts
            };
            Quotation { mark: o.mark, open: o.token, close: None, parts, depth }
        }
    }
}

fn finish_at(mut o: Open, end: usize, _tokens: &[Token], depth: usize) -> Quotation {
    if o.part_start < end {
        o.parts.push(Span::new(o.part_start, end));
    }
    if o.parts.is_empty() {
        o.parts.push(Span::new(o.part_start, o.part_start));
    }
    Quotation { mark: o.mark, open: o.token, close: None, parts: o.parts, depth }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tokenize::tokenize;
    use proptest::prelude::*;

    /// (parts, closed, depth) of each quotation.
    fn quotes(text: &str) -> Vec<(Vec<&str>, bool, usize)> {
        quotations(text, &tokenize(text))
            .iter()
            .map(|q| (q.parts.iter().map(|s| &text[s.start..s.end]).collect(), q.close.is_some(), q.depth))
            .collect()
    }

    #[test]
    fn quotation_table() {
        type Case<'a> = (&'a str, Vec<(Vec<&'a str>, bool, usize)>);
        let cases: Vec<Case> = vec![
            ("“We will,” she said.", vec![(vec!["“We will,”"], true, 0)]),
            ("He said \"no\" and \"yes\".", vec![(vec!["\"no\""], true, 0), (vec!["\"yes\""], true, 0)]),
            (
                "“He said ‘never’ to me,” she said.",
                vec![(vec!["“He said ‘never’ to me,”"], true, 0), (vec!["‘never’"], true, 1)],
            ),
            ("«Non», dit-il.", vec![(vec!["«Non»"], true, 0)]),
            ("„Ja“, sagte er.", vec![(vec!["„Ja“"], true, 0)]),
            ("the players’ union’s ‘deal’", vec![(vec!["‘deal’"], true, 0)]),
            (
                "“One.\n“Two.\n“Three,” he said.",
                vec![(vec!["“One.", "“Two.", "“Three,”"], true, 0)],
            ),
            ("“Unclosed.\nNext para.", vec![(vec!["“Unclosed."], false, 0)]),
            ("“a” ” stray", vec![(vec!["“a”"], true, 0)]),
            ("\"Open\n“b,” he said.", vec![(vec!["\"Open"], false, 0), (vec!["“b,”"], true, 0)]),
        ];
        for (text, want) in cases {
            assert_eq!(quotes(text), want, "{text:?}");
        }
    }

    #[test]
    fn inner_excludes_marks() {
        let text = "“We will,” she said.";
        let tokens = tokenize(text);
        let q = &quotations(text, &tokens)[0];
        let inner = q.inner(&tokens);
        assert_eq!(&text[inner.start..inner.end], "We will,");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn quotations_are_valid(text in "\\PC{0,60}|[a-z \\n,.'\"“”‘’«»„]{0,60}") {
            let tokens = tokenize(&text);
            for q in quotations(&text, &tokens) {
                let mut last = 0;
                for p in &q.parts {
                    prop_assert!(p.start >= last && p.is_valid_in(&text));
                    last = p.end;
                }
                prop_assert!(q.inner(&tokens).is_valid_in(&text));
            }
        }
    }
}

//! Turning a rough selection into an entity span, and nudging a span's edges.
//!
//! Editors select sloppily (half a word, a trailing space from a double click), so a new
//! entity is snapped to whole tokens of the tokenizer ([`crate::core::nlp::tokenize`]), which
//! follows the annotation guidelines: "Trump’s" snaps to "Trump" + "’s" only if the
//! selection touches the clitic, "US-Ukraine" parts stay separate. Holding Alt keeps the
//! exact characters ([`Snap::Exact`]), only trimming whitespace.
//!
//! Work is local to the line (paragraph) holding the span, so a 20,000-word article costs
//! no more than a short one, and a span never grows across a line break.

use crate::core::model::span::Span;
use crate::core::nlp::tokenize::tokenize;

/// How a selection becomes a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snap {
    /// Grow to whole tokens (the default).
    Words,
    /// Keep the characters as selected (Alt held); whitespace at the edges is still trimmed.
    Exact,
}

/// Which edge of a span to move, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// Direction of a nudge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
}

/// Step of a nudge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Word,
    Char,
}

/// The line of `text` containing byte `at` (without its line break).
fn line_around(text: &str, at: usize) -> Span {
    let at = at.min(text.len());
    let start = text.as_bytes()[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = text.as_bytes()[at..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| at + i);
    Span { start, end }
}

/// Tokens of one line, as document spans.
fn line_tokens(text: &str, line: Span) -> Vec<Span> {
    let Some(s) = line.slice(text) else { return Vec::new() };
    tokenize(s).into_iter().map(|t| Span { start: t.span.start + line.start, end: t.span.end + line.start }).collect()
}

/// Snaps a selection (byte offsets, either order) to an entity span.
///
/// Returns `None` when nothing but whitespace is selected, when the offsets are not on
/// character boundaries, or when the selection crosses a line break (an entity never
/// spans paragraphs).
///
/// ```
/// use newsmark::core::edit::snap::{snap, Snap};
/// use newsmark::core::model::span::Span;
/// let text = "said Caroline Leavitt, the";
/// assert_eq!(snap(text, 7, 17, Snap::Words), Some(Span::new(5, 21))); // "roline Lea"
/// assert_eq!(snap(text, 4, 14, Snap::Exact), Some(Span::new(5, 13))); // " Caroline "
/// ```
pub fn snap(text: &str, a: usize, b: usize, mode: Snap) -> Option<Span> {
    let (a, b) = (a.min(b), a.max(b));
    let raw = text.get(a..b)?;
    if raw.contains('\n') {
        // A selection dragged one line too far: keep the first line's part if it has text.
        let first = raw.split('\n').next().unwrap_or("");
        if first.trim().is_empty() {
            return None;
        }
        return snap(text, a, a + first.len(), mode);
    }
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    if lead == raw.len() {
        return None;
    }
    let span = Span { start: a + lead, end: b - trail };
    match mode {
        Snap::Exact => Some(span),
        Snap::Words => {
            let tokens = line_tokens(text, line_around(text, span.start));
            let start = tokens.iter().filter(|t| t.overlaps(&span)).map(|t| t.start).min()?;
            let end = tokens.iter().filter(|t| t.overlaps(&span)).map(|t| t.end).max()?;
            Some(Span { start: start.min(span.start), end: end.max(span.end) })
        }
    }
}

/// Moves one edge of `span` by a word or a character; `None` when it cannot move (the span
/// would become empty, cross a line break, or leave the text).
///
/// Words: the start moves to the previous/next token start, the end to the previous/next
/// token end, so a nudged span still sits on whole tokens.
pub fn nudge(text: &str, span: Span, edge: Edge, dir: Dir, step: Step) -> Option<Span> {
    if !span.is_valid_in(text) || span.is_empty() {
        return None;
    }
    let line = line_around(text, span.start);
    let new = match step {
        Step::Char => {
            let at = match edge {
                Edge::Start => span.start,
                Edge::End => span.end,
            };
            match dir {
                Dir::Left => text.get(..at)?.chars().next_back().map(|c| at - c.len_utf8())?,
                Dir::Right => text.get(at..)?.chars().next().map(|c| at + c.len_utf8())?,
            }
        }
        Step::Word => {
            let tokens = line_tokens(text, line);
            let points = tokens.iter().map(|t| match edge {
                Edge::Start => t.start,
                Edge::End => t.end,
            });
            let at = match edge {
                Edge::Start => span.start,
                Edge::End => span.end,
            };
            match dir {
                Dir::Left => points.filter(|&p| p < at).max()?,
                Dir::Right => points.filter(|&p| p > at).min()?,
            }
        }
    };
    let out = match edge {
        Edge::Start => Span { start: new, end: span.end },
        Edge::End => Span { start: span.start, end: new },
    };
    let inside_line = out.start >= line.start && out.end <= line.end;
    (out.start < out.end && inside_line && out.is_valid_in(text)).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds `needle` in `text` and returns its byte span (test helper).
    fn at(text: &str, needle: &str) -> Span {
        let s = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
        Span { start: s, end: s + needle.len() }
    }

    #[test]
    fn snap_table() {
        let text = "He met Caroline Leavitt’s aide in U.S.-Ukraine talks.\nNext line";
        // (selected text, mode, expected text)
        let cases: [(&str, Snap, Option<&str>); 11] = [
            ("roline Lea", Snap::Words, Some("Caroline Leavitt")),
            ("Caroline Leavitt", Snap::Words, Some("Caroline Leavitt")),
            (" Caroline ", Snap::Words, Some("Caroline")),
            ("Leavitt’", Snap::Words, Some("Leavitt’s")),
            ("avitt", Snap::Words, Some("Leavitt")),
            (".-Ukr", Snap::Words, Some("U.S.-Ukraine")),
            ("Ukr", Snap::Words, Some("Ukraine")),
            ("roline Lea", Snap::Exact, Some("roline Lea")),
            (" Caroline ", Snap::Exact, Some("Caroline")),
            ("   ", Snap::Words, None),
            ("talks.\nNext", Snap::Words, Some("talks.")),
        ];
        for (sel, mode, want) in cases {
            let s = if sel == "   " { Span { start: 2, end: 3 } } else { at(text, sel) };
            let got = snap(text, s.start, s.end, mode).map(|s| &text[s.start..s.end]);
            assert_eq!(got, want, "{sel:?} {mode:?}");
        }
    }

    #[test]
    fn snap_accepts_reversed_and_rejects_mid_char() {
        let text = "é Caroline";
        assert_eq!(snap(text, 7, 4, Snap::Words), Some(Span::new(3, 11)));
        assert_eq!(snap(text, 1, 4, Snap::Words), None, "offset 1 is inside 'é'");
        assert_eq!(snap(text, 0, 99, Snap::Words), None);
        assert_eq!(snap(text, 3, 3, Snap::Words), None, "empty selection");
    }

    #[test]
    fn nudge_table() {
        let text = "said White House spokeswoman Caroline Leavitt.\nNext";
        let s = at(text, "House spokeswoman");
        // (edge, dir, step, expected text or None)
        let cases: [(Edge, Dir, Step, Option<&str>); 8] = [
            (Edge::Start, Dir::Left, Step::Word, Some("White House spokeswoman")),
            (Edge::Start, Dir::Right, Step::Word, Some("spokeswoman")),
            (Edge::End, Dir::Right, Step::Word, Some("House spokeswoman Caroline")),
            (Edge::End, Dir::Left, Step::Word, Some("House")),
            (Edge::Start, Dir::Left, Step::Char, Some(" House spokeswoman")),
            (Edge::Start, Dir::Right, Step::Char, Some("ouse spokeswoman")),
            (Edge::End, Dir::Left, Step::Char, Some("House spokeswoma")),
            (Edge::End, Dir::Right, Step::Char, Some("House spokeswoman ")),
        ];
        for (edge, dir, step, want) in cases {
            let got = nudge(text, s, edge, dir, step).map(|s| &text[s.start..s.end]);
            assert_eq!(got, want, "{edge:?} {dir:?} {step:?}");
        }
    }

    #[test]
    fn nudge_limits() {
        let text = "é Leavitt.\nNext";
        let one = at(text, "L");
        assert_eq!(nudge(text, one, Edge::End, Dir::Left, Step::Char), None, "would be empty");
        assert_eq!(nudge(text, one, Edge::Start, Dir::Right, Step::Char), None);
        let first = at(text, "é");
        assert_eq!(nudge(text, first, Edge::Start, Dir::Left, Step::Char), None, "start of text");
        assert_eq!(nudge(text, first, Edge::Start, Dir::Left, Step::Word), None);
        let last = at(text, "Leavitt.");
        assert_eq!(nudge(text, last, Edge::End, Dir::Right, Step::Char), None, "would cross the line break");
        assert_eq!(nudge(text, last, Edge::End, Dir::Right, Step::Word), None);
        assert_eq!(nudge(text, Span { start: 1, end: 3 }, Edge::End, Dir::Right, Step::Char), None, "mid-char span");
    }
}

//! Which paragraphs a long article draws: the ones near the viewport, with the height of
//! everything else stood in for by empty boxes, and the in-app search that replaces the
//! browser's find where most paragraphs are not in the DOM. Pure and host-tested; the UI
//! (`ui::components::article`) measures heights and scroll positions and applies the result.

use crate::core::model::span::Span;
use std::collections::HashMap;
use std::ops::Range;

/// Articles of at most this many paragraphs are drawn whole: the browser's own find,
/// selection and scrolling then need nothing from us.
pub const DRAW_WHOLE_UP_TO: usize = 120;

/// Paragraph heights in CSS pixels: measured where a paragraph was drawn, estimated from
/// its length elsewhere (the estimate learns from the measured ones).
#[derive(Clone, Debug)]
pub struct Heights {
    measured: HashMap<usize, f64>,
    /// Sums over measured paragraphs, for the estimate: bytes and pixels beyond one line.
    bytes: f64,
    extra: f64,
    /// One line's height plus the gap under a paragraph.
    pub line: f64,
}

impl Default for Heights {
    fn default() -> Heights {
        // Until something is measured: 1.1rem × 1.65 line height + 1rem gap, ~90 bytes a line.
        Heights { measured: HashMap::new(), bytes: 0.0, extra: 0.0, line: 46.0 }
    }
}

impl Heights {
    /// Records the drawn height of the paragraph starting at byte `key`, `len` bytes long.
    /// Returns whether it differs from what was assumed.
    pub fn measure(&mut self, key: usize, len: usize, px: f64) -> bool {
        if !(px.is_finite() && px > 0.0) {
            return false;
        }
        match self.measured.insert(key, px) {
            Some(old) => (old - px).abs() > 0.5,
            None => {
                self.bytes += len as f64;
                self.extra += (px - self.line).max(0.0);
                true
            }
        }
    }

    /// The height of a paragraph: measured, else estimated from its length.
    pub fn of(&self, span: Span) -> f64 {
        if let Some(px) = self.measured.get(&span.start) {
            return *px;
        }
        let per_byte = if self.bytes > 0.0 { self.extra / self.bytes } else { 0.28 };
        self.line + span.len() as f64 * per_byte
    }
}

/// The paragraphs to draw and the height left out above and below them.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub range: Range<usize>,
    /// Height standing in for the paragraphs before `range`.
    pub above: f64,
    /// … and after it.
    pub below: f64,
}

/// The paragraphs overlapping `from..to` (pixels from the top of the first paragraph),
/// widened to include every index in `keep` (a selection's ends, a paragraph about to be
/// focused). One pass over the heights: no allocation, nothing per paragraph but adds.
pub fn window(spans: &[Span], heights: &Heights, from: f64, to: f64, keep: &[usize]) -> Window {
    let n = spans.len();
    let (mut first, mut last) = (n, n);
    let mut y = 0.0;
    for (i, s) in spans.iter().enumerate() {
        let h = heights.of(*s);
        if first == n && y + h > from {
            first = i;
        }
        if y >= to {
            last = i;
            break;
        }
        y += h;
    }
    if first == n {
        // Scrolled past the end (or nothing to draw): the last paragraph stays drawn.
        first = n.saturating_sub(1);
    }
    for &k in keep.iter().filter(|&&k| k < n) {
        first = first.min(k);
        last = last.max(k + 1);
    }
    let last = last.max(first.min(n));
    let above = spans[..first].iter().map(|s| heights.of(*s)).sum();
    let below = spans[last..].iter().map(|s| heights.of(*s)).sum();
    Window { range: first..last, above, below }
}

/// The index of the paragraph holding byte `at` (or the next one when `at` falls between
/// paragraphs), clamped to the last paragraph.
pub fn paragraph_at(spans: &[Span], at: usize) -> usize {
    spans.partition_point(|s| s.end <= at).min(spans.len().saturating_sub(1))
}

/// Where `query` occurs in `text`, ignoring ASCII case, at most `limit` times, as byte spans
/// (non-overlapping, in order). `lowered` is `text.to_ascii_lowercase()`, made once per
/// document: ASCII lowering keeps every byte offset.
pub fn find(lowered: &str, query: &str, limit: usize) -> Vec<Span> {
    let q = query.to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    lowered.match_indices(&q).take(limit).map(|(at, m)| Span::new(at, at + m.len())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(lens: &[usize]) -> Vec<Span> {
        let mut at = 0;
        lens.iter()
            .map(|&l| {
                let s = Span::new(at, at + l);
                at += l + 1;
                s
            })
            .collect()
    }

    fn measured(spans: &[Span], px: f64) -> Heights {
        let mut h = Heights::default();
        for s in spans {
            h.measure(s.start, s.len(), px);
        }
        h
    }

    #[test]
    fn window_covers_the_viewport_and_the_spacers_the_rest() {
        let s = spans(&[10; 100]);
        let h = measured(&s, 50.0);
        let cases = [
            // (from, to) → range
            ((0.0, 200.0), 0..4),
            ((120.0, 330.0), 2..7),
            ((4_990.0, 6_000.0), 99..100),
            ((9_000.0, 9_500.0), 99..100),
            ((-500.0, 10.0), 0..1),
        ];
        for ((from, to), want) in cases {
            let w = window(&s, &h, from, to, &[]);
            assert_eq!(w.range, want, "{from}..{to}");
            assert_eq!(w.above, 50.0 * w.range.start as f64);
            assert_eq!(w.below, 50.0 * (100 - w.range.end) as f64);
        }
    }

    #[test]
    fn kept_paragraphs_widen_the_window() {
        let s = spans(&[10; 100]);
        let h = measured(&s, 50.0);
        assert_eq!(window(&s, &h, 1_000.0, 1_200.0, &[3, 70]).range, 3..71);
        assert_eq!(window(&s, &h, 1_000.0, 1_200.0, &[500]).range, 20..24, "out of range: ignored");
        assert_eq!(window(&[], &h, 0.0, 100.0, &[0]).range, 0..0);
    }

    #[test]
    fn estimates_learn_from_measurements() {
        let s = spans(&[100, 200, 400]);
        let mut h = Heights::default();
        let before = h.of(s[2]);
        assert!(h.measure(s[0].start, 100, 46.0 + 30.0));
        assert!(h.measure(s[1].start, 200, 46.0 + 60.0));
        assert!(!h.measure(s[1].start, 200, 46.0 + 60.2), "sub-pixel changes are not changes");
        assert_eq!(h.of(s[1]), 106.2);
        assert!((h.of(s[2]) - (46.0 + 120.0)).abs() < 1e-9, "{} (was {before})", h.of(s[2]));
        assert!(!h.measure(9, 1, f64::NAN));
    }

    #[test]
    fn paragraph_at_and_find() {
        let s = spans(&[3, 3, 3]); // 0..3, 4..7, 8..11
        let at: Vec<usize> = [0, 2, 3, 4, 7, 10, 99].iter().map(|&b| paragraph_at(&s, b)).collect();
        assert_eq!(at, [0, 0, 1, 1, 2, 2, 2]);
        let text = "Ann met ANN; ann—Ännchen";
        let lowered = text.to_ascii_lowercase();
        let got: Vec<&str> = find(&lowered, "aNn", 10).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(got, ["Ann", "ANN", "ann"]);
        assert_eq!(find(&lowered, "ann", 2).len(), 2);
        assert!(find(&lowered, "", 10).is_empty());
        assert_eq!(find(&lowered, "nnchen", 10).len(), 1, "non-ASCII text keeps its offsets");
    }
}

//! Viterbi decoding over BILOU tags, optionally constrained per token, plus max-marginal
//! margins (how much worse the best path that disagrees at a token is) for confidences.
//!
//! Generic over the score type: training decodes with `f32` weights, the shipped model
//! with integer scores (`i64`), which is exact and identical on every platform.

// Index loops over tags/tokens mirror the maths (several arrays share one index).
#![allow(clippy::needless_range_loop)]

use crate::core::nlp::tagger::tags::{self, Tag, TagMask, N_TAGS};

/// A path score: integers at inference, floats while training.
pub trait Score: Copy + PartialOrd + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    const ZERO: Self;
    const NEG: Self;
}

impl Score for i64 {
    const ZERO: i64 = 0;
    const NEG: i64 = i64::MIN / 4;
}

impl Score for f32 {
    const ZERO: f32 = 0.0;
    const NEG: f32 = -1.0e30;
}

/// Predecessors BILOU allows for each tag (computed once; a handful per tag instead of
/// all `N_TAGS`).
pub struct Lattice {
    preds: Vec<Vec<Tag>>,
    succs: Vec<Vec<Tag>>,
}

impl Default for Lattice {
    fn default() -> Self {
        Lattice::new()
    }
}

impl Lattice {
    pub fn new() -> Lattice {
        let preds = (0..N_TAGS as Tag)
            .map(|cur| (0..N_TAGS as Tag).filter(|&p| tags::allowed(p, cur)).collect())
            .collect();
        let succs = (0..N_TAGS as Tag)
            .map(|prev| (0..N_TAGS as Tag).filter(|&t| tags::allowed(prev, t)).collect())
            .collect();
        Lattice { preds, succs }
    }

    /// The best tag sequence. `emit[i][t]` is the score of tag `t` at token `i`;
    /// `trans[p * N_TAGS + t]` of `p` before `t`; `start[t]` of `t` first. `mask`, when
    /// given, restricts token `i` to the tags in `mask[i]` (if a token's mask leaves no
    /// legal path, the constraint is dropped for that token rather than failing).
    pub fn viterbi<S: Score>(
        &self,
        emit: &[[S; N_TAGS]],
        trans: &[S],
        start: &[S],
        mask: Option<&[TagMask]>,
    ) -> Vec<Tag> {
        self.viterbi_scores(emit, trans, start, mask).0
    }

    /// [`Lattice::viterbi`], also returning the forward (max) scores `score[i][t]`: the best
    /// score of a path over tokens `0..=i` ending in `t` (what [`Lattice::margins`] needs).
    pub fn viterbi_scores<S: Score>(
        &self,
        emit: &[[S; N_TAGS]],
        trans: &[S],
        start: &[S],
        mask: Option<&[TagMask]>,
    ) -> (Vec<Tag>, Vec<[S; N_TAGS]>) {
        let n = emit.len();
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let ok = |i: usize, t: usize| mask.is_none_or(|m| m[i] & (1 << t) != 0);
        let mut score = vec![[S::NEG; N_TAGS]; n];
        let mut back = vec![[0 as Tag; N_TAGS]; n];
        for t in 0..N_TAGS {
            if tags::opens(t as Tag) && ok(0, t) {
                score[0][t] = start[t] + emit[0][t];
            }
        }
        for i in 1..n {
            let (before, after) = score.split_at_mut(i);
            let prev = &before[i - 1];
            let cur = &mut after[0];
            for t in 0..N_TAGS {
                if !ok(i, t) {
                    continue;
                }
                let mut best = S::NEG;
                let mut arg = 0;
                for &p in &self.preds[t] {
                    let s = prev[p as usize] + trans[p as usize * N_TAGS + t];
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                if best > S::NEG {
                    cur[t] = best + emit[i][t];
                    back[i][t] = arg;
                }
            }
        }
        let mut last = None;
        let mut best = S::NEG;
        for t in 0..N_TAGS {
            if tags::closes(t as Tag) && score[n - 1][t] > best {
                best = score[n - 1][t];
                last = Some(t as Tag);
            }
        }
        let Some(mut t) = last else {
            // The constraints admit no legal path: decode without them.
            return if mask.is_some() { self.viterbi_scores(emit, trans, start, None) } else { (vec![tags::OUTSIDE; n], score) };
        };
        let mut out = vec![0 as Tag; n];
        for i in (0..n).rev() {
            out[i] = t;
            if i > 0 {
                t = back[i][t as usize];
            }
        }
        (out, score)
    }

    /// For each token, the best path's score minus the best score of a path with another
    /// tag there (max-marginals from a forward and a backward max pass). Large margins
    /// mean the decision at that token is clear.
    pub fn margins(&self, emit: &[[i64; N_TAGS]], trans: &[i64], fwd: &[[i64; N_TAGS]], best: &[Tag]) -> Vec<i64> {
        let n = emit.len();
        if n == 0 || fwd.len() != n {
            return vec![0; n];
        }
        let neg = <i64 as Score>::NEG;
        // bwd[i][t]: best score of tokens after i given tag t at i.
        let mut bwd = vec![[neg; N_TAGS]; n];
        for t in 0..N_TAGS {
            if tags::closes(t as Tag) {
                bwd[n - 1][t] = 0;
            }
        }
        for i in (0..n - 1).rev() {
            for p in 0..N_TAGS {
                let mut b = neg;
                for &t in &self.succs[p] {
                    let t = t as usize;
                    if bwd[i + 1][t] > neg {
                        b = b.max(trans[p * N_TAGS + t] + emit[i + 1][t] + bwd[i + 1][t]);
                    }
                }
                bwd[i][p] = b;
            }
        }
        (0..n)
            .map(|i| {
                let mine = best[i] as usize;
                let top = fwd[i][mine] + bwd[i][mine];
                let mut other = neg;
                for t in 0..N_TAGS {
                    if t != mine && fwd[i][t] > neg && bwd[i][t] > neg {
                        other = other.max(fwd[i][t] + bwd[i][t]);
                    }
                }
                if other == neg {
                    i64::MAX / 4
                } else {
                    top - other
                }
            })
            .collect()
    }
}

/// Entity spans of a tag sequence as `(first token, last token + 1, class)`.
pub fn spans(tags_seq: &[Tag]) -> Vec<(usize, usize, tags::Class)> {
    use tags::Part;
    let mut out = Vec::new();
    let mut open: Option<(usize, tags::Class)> = None;
    for (i, &t) in tags_seq.iter().enumerate() {
        match tags::split(t) {
            Some((c, Part::Unit)) => {
                out.push((i, i + 1, c));
                open = None;
            }
            Some((c, Part::Begin)) => open = Some((i, c)),
            Some((c, Part::Last)) => {
                if let Some((s, oc)) = open.take() {
                    if oc == c {
                        out.push((s, i + 1, c));
                    }
                }
            }
            Some((_, Part::Inside)) => {}
            None => open = None,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tagger::tags::{tag, Class, Part, OUTSIDE};

    fn emit_for(seq: &[Tag]) -> Vec<[i64; N_TAGS]> {
        seq.iter()
            .map(|&t| {
                let mut e = [0i64; N_TAGS];
                e[t as usize] = 10;
                e
            })
            .collect()
    }

    #[test]
    fn follows_emissions_when_legal() {
        let l = Lattice::new();
        let trans = vec![0i64; N_TAGS * N_TAGS];
        let start = vec![0i64; N_TAGS];
        let want = vec![OUTSIDE, tag(Class::Person, Part::Begin), tag(Class::Person, Part::Last), tag(Class::Loc, Part::Unit)];
        let (got, fwd) = l.viterbi_scores(&emit_for(&want), &trans, &start, None);
        assert_eq!(got, want);
        assert_eq!(spans(&got), vec![(1, 3, Class::Person), (3, 4, Class::Loc)]);
        let m = l.margins(&emit_for(&want), &trans, &fwd, &got);
        assert!(m.iter().all(|&x| x > 0), "{m:?}");
    }

    #[test]
    fn never_returns_illegal_paths() {
        let l = Lattice::new();
        let trans = vec![0i64; N_TAGS * N_TAGS];
        let start = vec![0i64; N_TAGS];
        // An "I" alone is illegal; the decoder must pick something legal.
        let got = l.viterbi(&emit_for(&[tag(Class::Org, Part::Inside)]), &trans, &start, None);
        assert!(tags::opens(got[0]) && tags::closes(got[0]));
    }

    #[test]
    fn masks_constrain() {
        let l = Lattice::new();
        let trans = vec![0f32; N_TAGS * N_TAGS];
        let start = vec![0f32; N_TAGS];
        let mut e = [0f32; N_TAGS];
        e[tag(Class::Date, Part::Unit) as usize] = 5.0;
        let mask = [1u32 << OUTSIDE];
        assert_eq!(l.viterbi(&[e], &trans, &start, Some(&mask)), vec![OUTSIDE]);
        assert_eq!(l.viterbi(&[e], &trans, &start, None), vec![tag(Class::Date, Part::Unit)]);
    }

    #[test]
    fn spans_of_broken_sequences() {
        let b = tag(Class::Org, Part::Begin);
        let u = tag(Class::Person, Part::Unit);
        assert_eq!(spans(&[b, OUTSIDE, u]), vec![(2, 3, Class::Person)]);
        assert_eq!(spans(&[]), vec![]);
    }
}

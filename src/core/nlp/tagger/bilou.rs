//! The inference-time decoder: Viterbi and max-marginal margins over BILOU tags with
//! `i32` scores, giving exactly what the generic [`Lattice`](super::decode::Lattice)
//! gives with `i64` (a property test below holds them to it).
//!
//! Why a second decoder: decoding was a third of the tagger's instructions. BILOU's
//! legal transitions have a fixed shape — O, B and U follow only O, L or U; I and L follow
//! only their class's B or I — so the work is one 11×11 block plus two predecessors for
//! the other ten tags. With that shape in constant index arrays the loops unroll and
//! vectorise. Scores are renormalised at every token (all tags shifted by the same
//! amount, which changes no comparison and no margin), so `i32` cannot overflow however
//! long a line is; the spread of scores at one token is bounded by a few tokens'
//! emissions, a few million at most.

// Index loops over tags/tokens mirror the maths (several arrays share one index).
#![allow(clippy::needless_range_loop)]

use crate::core::nlp::tagger::tags::{Tag, N_TAGS};

/// One score per tag.
pub type Scores = [i32; N_TAGS];

/// Tags that close a span (O, every L and U): the predecessors of `OPENING`.
const CLOSED: [usize; 11] = [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20];
/// Tags that may follow a closed one (O, every B and U).
const OPENING: [usize; 11] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20];
/// Number of entity classes: class `c` has B = 1+4c, I = 2+4c, L = 3+4c, U = 4+4c.
const CLASSES: usize = (N_TAGS - 1) / 4;

/// "Unreachable": far below any real score, far above `i32::MIN` so sums stay in range.
const NEG: i32 = -(1 << 29);

fn reachable(s: i32) -> bool {
    s > NEG / 2
}

/// Transition and start scores laid out for the decoder.
pub struct Bilou {
    /// `closed_to_opening[k][j]`: score of `CLOSED[k]` before `OPENING[j]`; padded to 12
    /// lanes (three 4-lane vectors), the last lane unused.
    closed_to_opening: [[i32; 12]; 11],
    /// The same scores transposed, `opening_from_closed[j][k]`, for the backward pass.
    opening_from_closed: [[i32; 12]; 11],
    /// Per class: B→I, I→I, B→L, I→L.
    inner: [[i32; 4]; CLASSES],
    start: Scores,
    /// Whether each tag may end a line.
    closes: [bool; N_TAGS],
}

impl Bilou {
    /// From the model's `start[t]` and `trans[prev * N_TAGS + cur]` (values out of `i32`
    /// range are clamped; a model's are `i16`).
    pub fn new(start: &[i64], trans: &[i64]) -> Bilou {
        let tr = |p: usize, t: usize| trans.get(p * N_TAGS + t).copied().unwrap_or(0).clamp(-(1 << 20), 1 << 20) as i32;
        let mut closed_to_opening = [[0; 12]; 11];
        for (k, &p) in CLOSED.iter().enumerate() {
            for (j, &t) in OPENING.iter().enumerate() {
                closed_to_opening[k][j] = tr(p, t);
            }
        }
        let mut opening_from_closed = [[0; 12]; 11];
        for (k, row) in closed_to_opening.iter().enumerate() {
            for (j, &x) in row.iter().take(11).enumerate() {
                opening_from_closed[j][k] = x;
            }
        }
        let mut inner = [[0; 4]; CLASSES];
        for (c, row) in inner.iter_mut().enumerate() {
            let (b, i, l) = (1 + 4 * c, 2 + 4 * c, 3 + 4 * c);
            *row = [tr(b, i), tr(i, i), tr(b, l), tr(i, l)];
        }
        let mut s = [NEG; N_TAGS];
        for &t in &OPENING {
            s[t] = start.get(t).copied().unwrap_or(0).clamp(-(1 << 20), 1 << 20) as i32;
        }
        let mut closes = [false; N_TAGS];
        for &t in &CLOSED {
            closes[t] = true;
        }
        Bilou { closed_to_opening, opening_from_closed, inner, start: s, closes }
    }

    /// The best tag sequence for `emit`, and the (renormalised) forward scores that
    /// [`Bilou::margins`] needs.
    pub fn decode(&self, emit: &[Scores]) -> (Vec<Tag>, Vec<Scores>) {
        let n = emit.len();
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let mut fwd = vec![[NEG; N_TAGS]; n];
        for &t in &OPENING {
            fwd[0][t] = self.start[t] + emit[0][t];
        }
        normalise(&mut fwd[0]);
        for i in 1..n {
            let (before, after) = fwd.split_at_mut(i);
            let (prev, cur) = (&before[i - 1], &mut after[0]);
            // Scores only (a branch-free max the compiler vectorises); the argmax is
            // recomputed along the best path alone when backtracking.
            let mut best = [NEG; 12];
            for (k, &p) in CLOSED.iter().enumerate() {
                let sp = prev[p];
                for (b, &r) in best.iter_mut().zip(&self.closed_to_opening[k]) {
                    *b = (*b).max(sp + r);
                }
            }
            for (j, &t) in OPENING.iter().enumerate() {
                cur[t] = best[j] + emit[i][t];
            }
            for (c, tr) in self.inner.iter().enumerate() {
                let (b, ii, l) = (1 + 4 * c, 2 + 4 * c, 3 + 4 * c);
                cur[ii] = (prev[b] + tr[0]).max(prev[ii] + tr[1]) + emit[i][ii];
                cur[l] = (prev[b] + tr[2]).max(prev[ii] + tr[3]) + emit[i][l];
            }
            normalise(cur);
        }
        let mut last = 0;
        let mut top = NEG;
        for t in 0..N_TAGS {
            if self.closes[t] && fwd[n - 1][t] > top {
                top = fwd[n - 1][t];
                last = t;
            }
        }
        let mut best = vec![0 as Tag; n];
        let mut t = last;
        for i in (0..n).rev() {
            best[i] = t as Tag;
            if i > 0 {
                t = self.best_pred(&fwd[i - 1], t);
            }
        }
        (best, fwd)
    }

    /// The predecessor of `t` on the best path: the first (lowest) legal tag with the
    /// highest score into `t`, the generic decoder's tie-breaking.
    fn best_pred(&self, prev: &Scores, t: usize) -> usize {
        // Predecessors in ascending order and a strict `>`: the lowest of equal scores.
        let mut best: Option<(usize, i32)> = None;
        let mut consider = |p: usize, s: i32| {
            if best.is_none_or(|(_, top)| s > top) {
                best = Some((p, s));
            }
        };
        if let Some(j) = OPENING.iter().position(|&o| o == t) {
            for (k, &p) in CLOSED.iter().enumerate() {
                consider(p, prev[p] + self.closed_to_opening[k][j]);
            }
        } else {
            let c = (t - 1) / 4;
            let (b, i) = (1 + 4 * c, 2 + 4 * c);
            let tr = self.inner.get(c).copied().unwrap_or_default();
            // I follows B (tr[0]) or I (tr[1]); L follows B (tr[2]) or I (tr[3]).
            let (from_b, from_i) = if t == i { (tr[0], tr[1]) } else { (tr[2], tr[3]) };
            consider(b, prev[b] + from_b);
            consider(i, prev[i] + from_i);
        }
        // Both branches consider at least one predecessor.
        best.map_or(0, |(p, _)| p)
    }

    /// Each token's margin: the best path's score minus the best score of a path with
    /// another tag there (`i64::MAX / 4` when no other tag is possible), as
    /// [`Lattice::margins`](super::decode::Lattice::margins) computes it.
    pub fn margins(&self, emit: &[Scores], fwd: &[Scores], best: &[Tag]) -> Vec<i64> {
        let n = emit.len();
        if n == 0 || fwd.len() != n || best.len() != n {
            return vec![0; n];
        }
        // bwd[i][t]: best score of the tokens after i given tag t at i (renormalised).
        let mut bwd = vec![[NEG; N_TAGS]; n];
        for t in 0..N_TAGS {
            if self.closes[t] {
                bwd[n - 1][t] = 0;
            }
        }
        for i in (0..n - 1).rev() {
            let (head, tail) = bwd.split_at_mut(i + 1);
            let (cur, next) = (&mut head[i], &tail[0]);
            let mut g = [0i32; N_TAGS];
            for t in 0..N_TAGS {
                g[t] = emit[i + 1][t] + next[t];
            }
            // Every closed tag at once (a vectorised max over the transposed block).
            let mut to = [NEG; 12];
            for (j, &t) in OPENING.iter().enumerate() {
                let gt = g[t];
                for (b, &r) in to.iter_mut().zip(&self.opening_from_closed[j]) {
                    *b = (*b).max(r + gt);
                }
            }
            for (k, &p) in CLOSED.iter().enumerate() {
                cur[p] = to[k];
            }
            for (c, tr) in self.inner.iter().enumerate() {
                let (b, ii, l) = (1 + 4 * c, 2 + 4 * c, 3 + 4 * c);
                cur[b] = (tr[0] + g[ii]).max(tr[2] + g[l]);
                cur[ii] = (tr[1] + g[ii]).max(tr[3] + g[l]);
            }
            normalise(cur);
        }
        (0..n)
            .map(|i| {
                let mine = best[i] as usize;
                // Sums with an unreachable side stay below NEG / 2 (the other side is
                // small), so "reachable" of the sum is "both reachable".
                let mut sum = [0i32; N_TAGS];
                for (x, (&f, &b)) in sum.iter_mut().zip(fwd[i].iter().zip(&bwd[i])) {
                    *x = f + b;
                }
                let top = sum[mine] as i64;
                sum[mine] = NEG * 2;
                let other = sum.iter().copied().max().unwrap_or(NEG * 2);
                if reachable(other) {
                    top - other as i64
                } else {
                    i64::MAX / 4
                }
            })
            .collect()
    }
}

/// Shifts the scores so O's is 0. O is reachable at every token, and the scores of one
/// token lie within a few million of each other, so the values stay small; an
/// unreachable one (`NEG`, only at a line's first or last token) stays far below
/// `NEG / 2`.
fn normalise(s: &mut Scores) {
    let o = s[0];
    for x in s.iter_mut() {
        *x -= o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tagger::decode::Lattice;
    use crate::core::nlp::tagger::tags;
    use proptest::prelude::*;

    #[test]
    fn index_sets_match_the_tag_rules() {
        let closed: Vec<usize> = (0..N_TAGS).filter(|&t| tags::closes(t as Tag)).collect();
        let opening: Vec<usize> = (0..N_TAGS).filter(|&t| tags::opens(t as Tag)).collect();
        assert_eq!(closed, CLOSED);
        assert_eq!(opening, OPENING);
        for c in 0..CLASSES {
            let (b, i, l) = (1 + 4 * c, 2 + 4 * c, 3 + 4 * c);
            let preds: Vec<usize> = (0..N_TAGS).filter(|&p| tags::allowed(p as Tag, i as Tag)).collect();
            assert_eq!(preds, vec![b, i]);
            let preds: Vec<usize> = (0..N_TAGS).filter(|&p| tags::allowed(p as Tag, l as Tag)).collect();
            assert_eq!(preds, vec![b, i]);
        }
    }

    fn check(emit: &[Scores], trans: &[i64], start: &[i64]) -> Result<(), TestCaseError> {
        let lattice = Lattice::new();
        let wide: Vec<[i64; N_TAGS]> = emit.iter().map(|e| e.map(i64::from)).collect();
        let (want, fwd) = lattice.viterbi_scores(&wide, trans, start, None);
        let want_m = lattice.margins(&wide, trans, &fwd, &want);
        let b = Bilou::new(start, trans);
        let (got, fwd) = b.decode(emit);
        let got_m = b.margins(emit, &fwd, &got);
        prop_assert_eq!(got, want);
        prop_assert_eq!(got_m, want_m);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn same_paths_and_margins_as_the_generic_decoder(
            emit in proptest::collection::vec(proptest::array::uniform21(-3000i32..3000), 0..40),
            trans in proptest::collection::vec(-500i64..500, N_TAGS * N_TAGS),
            start in proptest::collection::vec(-500i64..500, N_TAGS),
        ) {
            check(&emit, &trans, &start)?;
        }

        /// Few distinct values: many ties, which must break the same way.
        #[test]
        fn same_tie_breaking(
            emit in proptest::collection::vec(proptest::array::uniform21(0i32..3), 0..20),
            trans in proptest::collection::vec(0i64..2, N_TAGS * N_TAGS),
        ) {
            check(&emit, &trans, &[0; N_TAGS])?;
        }
    }

    #[test]
    fn long_lines_with_large_scores_do_not_overflow() {
        let mut e = [0i32; N_TAGS];
        e[4] = 2_000_000; // U-PERSON, every token
        let emit = vec![e; 50_000];
        let b = Bilou::new(&[0; N_TAGS], &[0; N_TAGS * N_TAGS]);
        let (best, fwd) = b.decode(&emit);
        let m = b.margins(&emit, &fwd, &best);
        assert!(best.iter().all(|&t| t == 4));
        assert!(m.iter().all(|&x| x == 2_000_000), "{:?}", &m[..3]);
    }
}

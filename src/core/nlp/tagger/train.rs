//! Training: an averaged structured perceptron over BILOU tags, with partial labels.
//!
//! Each training sentence carries, per token, the set of tags the gold allows. Fully
//! labelled tokens allow exactly one tag; tokens a corpus leaves unlabelled (CoNLL's
//! dropped MISC words, dates and nationalities in a corpus that never marks them) allow
//! several, and the update target is the best path *consistent with* those constraints
//! under the current weights (latent-variable perceptron). So nothing is taught "O" that
//! the corpus did not say was "O".
//!
//! Deterministic: a fixed-seed xorshift shuffles the sentences; all arithmetic is in a
//! fixed order.

use crate::core::nlp::tagger::decode::Lattice;
use crate::core::nlp::tagger::model::FloatModel;
use crate::core::nlp::tagger::tags::{TagMask, N_TAGS};
use std::collections::HashMap;

/// One training sentence: features (dense ids) and allowed tags per token.
pub struct Example {
    pub feats: Vec<u32>,
    pub offsets: Vec<u32>,
    pub mask: Vec<TagMask>,
}

impl Example {
    fn len(&self) -> usize {
        self.mask.len()
    }
    fn of(&self, i: usize) -> &[u32] {
        &self.feats[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Interns hashed feature keys to dense ids.
#[derive(Default)]
pub struct Vocab {
    map: HashMap<u32, u32>,
    pub keys: Vec<u32>,
}

impl Vocab {
    pub fn id(&mut self, key: u32) -> u32 {
        let next = self.keys.len() as u32;
        let id = *self.map.entry(key).or_insert(next);
        if id == next {
            self.keys.push(key);
        }
        id
    }

    pub fn get(&self, key: u32) -> Option<u32> {
        self.map.get(&key).copied()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Perceptron weights with the running sums needed for averaging.
pub struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    trans: Vec<f32>,
    trans_u: Vec<f32>,
    start: Vec<f32>,
    start_u: Vec<f32>,
    /// Number of examples seen (the averaging clock).
    c: f32,
    lattice: Lattice,
}

impl Perceptron {
    pub fn new(n_features: usize) -> Perceptron {
        Perceptron {
            w: vec![0.0; n_features * N_TAGS],
            u: vec![0.0; n_features * N_TAGS],
            trans: vec![0.0; N_TAGS * N_TAGS],
            trans_u: vec![0.0; N_TAGS * N_TAGS],
            start: vec![0.0; N_TAGS],
            start_u: vec![0.0; N_TAGS],
            c: 1.0,
            lattice: Lattice::new(),
        }
    }

    fn emissions(&self, ex: &Example) -> Vec<[f32; N_TAGS]> {
        (0..ex.len())
            .map(|i| {
                let mut e = [0f32; N_TAGS];
                for &f in ex.of(i) {
                    let row = &self.w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
                    for (a, b) in e.iter_mut().zip(row) {
                        *a += b;
                    }
                }
                e
            })
            .collect()
    }

    fn bump(w: &mut [f32], u: &mut [f32], i: usize, d: f32, c: f32) {
        w[i] += d;
        u[i] += c * d;
    }

    /// One perceptron step on one sentence; returns whether it updated.
    pub fn learn(&mut self, ex: &Example) -> bool {
        let n = ex.len();
        if n == 0 {
            return false;
        }
        let emit = self.emissions(ex);
        let pred = self.lattice.viterbi(&emit, &self.trans, &self.start, None);
        let determined = ex.mask.iter().all(|m| m.is_power_of_two());
        let gold = if determined {
            ex.mask.iter().map(|m| m.trailing_zeros() as u8).collect()
        } else {
            self.lattice.viterbi(&emit, &self.trans, &self.start, Some(&ex.mask))
        };
        let c = self.c;
        self.c += 1.0;
        if pred == gold {
            return false;
        }
        for i in 0..n {
            let (g, p) = (gold[i] as usize, pred[i] as usize);
            if g != p {
                for &f in ex.of(i) {
                    let base = f as usize * N_TAGS;
                    Self::bump(&mut self.w, &mut self.u, base + g, 1.0, c);
                    Self::bump(&mut self.w, &mut self.u, base + p, -1.0, c);
                }
            }
            let (gp, pp) = if i == 0 { (None, None) } else { (Some(gold[i - 1] as usize), Some(pred[i - 1] as usize)) };
            if (gp, g) != (pp, p) {
                match gp {
                    None => Self::bump(&mut self.start, &mut self.start_u, g, 1.0, c),
                    Some(q) => Self::bump(&mut self.trans, &mut self.trans_u, q * N_TAGS + g, 1.0, c),
                }
                match pp {
                    None => Self::bump(&mut self.start, &mut self.start_u, p, -1.0, c),
                    Some(q) => Self::bump(&mut self.trans, &mut self.trans_u, q * N_TAGS + p, -1.0, c),
                }
            }
        }
        true
    }

    /// One pass over `examples` in the order given; returns the number of updates.
    pub fn epoch(&mut self, examples: &[Example], order: &[usize]) -> usize {
        order.iter().filter(|&&i| self.learn(&examples[i])).count()
    }

    /// The averaged weights, keyed by the vocabulary's hashed keys.
    pub fn averaged(&self, vocab: &Vocab) -> FloatModel {
        let c = self.c;
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> { w.iter().zip(u).map(|(w, u)| w - u / c).collect() };
        let features = vocab
            .keys
            .iter()
            .enumerate()
            .map(|(f, &key)| {
                let mut ws = [0f32; N_TAGS];
                for (t, x) in ws.iter_mut().enumerate() {
                    let i = f * N_TAGS + t;
                    *x = self.w[i] - self.u[i] / c;
                }
                (key, ws)
            })
            .collect();
        FloatModel { start: avg(&self.start, &self.start_u), trans: avg(&self.trans, &self.trans_u), features }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tagger::tags::{tag, Class, Part, OUTSIDE};

    fn ex(tokens: &[(&[u32], TagMask)]) -> Example {
        let mut feats = Vec::new();
        let mut offsets = vec![0];
        let mut mask = Vec::new();
        for (f, m) in tokens {
            feats.extend_from_slice(f);
            offsets.push(feats.len() as u32);
            mask.push(*m);
        }
        Example { feats, offsets, mask }
    }

    #[test]
    fn learns_a_toy_language_and_respects_masks() {
        let per = 1 << tag(Class::Person, Part::Unit);
        let o = 1 << OUTSIDE;
        // feature 0 = "Kato" (a person), 1 = "said", 2 = "Monday" left unlabelled.
        let data = vec![ex(&[(&[0], per), (&[1], o)]), ex(&[(&[1], o), (&[0], per), (&[2], o | 1 << tag(Class::Date, Part::Unit))])];
        let mut p = Perceptron::new(3);
        let mut rng = Rng::new(7);
        let mut order = vec![0, 1];
        for _ in 0..5 {
            rng.shuffle(&mut order);
            p.epoch(&data, &order);
        }
        assert_eq!(p.epoch(&data, &[0, 1]), 0, "separable data is learnt");
        let fm = p.averaged(&Vocab { map: HashMap::new(), keys: vec![10, 11, 12] });
        assert_eq!(fm.features.len(), 3);
        let w0 = fm.features[0].1;
        assert!(w0[tag(Class::Person, Part::Unit) as usize] > w0[OUTSIDE as usize]);
    }

    #[test]
    fn rng_is_fixed() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
    }
}

//! The shipped model: quantised weights in a compact binary file, and the in-memory
//! table the tagger looks features up in.
//!
//! File layout (little-endian), version 2: the header, then each field of every feature as
//! its own stream (a column), because gzip, which serves the file to the app, finds far
//! more repetition within a column than across interleaved fields (v1 interleaved them:
//! 852,217 B gzip; this layout holds the same weights exactly in ≈ 650 KB, see MODEL.md).
//! ```text
//! "NMTAGGR2"                 magic, 8 bytes
//! u8  n_tags                 must equal tags::N_TAGS
//! f32 step                   float value of one quantisation unit (for confidences)
//! u32 n_features
//! i16 start[n_tags]          score of each tag opening a line
//! i16 trans[n_tags*n_tags]   score of prev→cur
//! u8  delta[4][n_features]   sorted keys' deltas as u32, byte plane by byte plane
//!                            (low bytes of all deltas, then the next bytes, …)
//! u8  tags[n_features][MASK] which tags each feature weighs: a bit set per tag, LSB
//!                            first, MASK = ceil(n_tags / 8) bytes
//! u8  lo[n_weights]          every weight as zigzag u16 (features in key order, tags
//! u8  hi[n_weights]          ascending): low bytes, then high bytes
//! ```
//! Keys are sorted, so the deltas' high planes are nearly all zero; weights are `i16`
//! units of `step`. No strings: the file holds hashed feature keys and weights only.
//! In memory the weights become dense rows (see [`Model`]).

use crate::core::nlp::tagger::tags::N_TAGS;

pub const MAGIC: &[u8; 8] = b"NMTAGGR2";

/// Bytes of one feature's tag mask.
const MASK: usize = N_TAGS.div_ceil(8);

/// Why model bytes could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    BadMagic,
    TagCount { found: usize, expected: usize },
    Truncated { at: usize },
    BadTag { tag: u8 },
    /// [`crate::core::nlp::tagger::install`] was called twice.
    AlreadyInstalled,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a newsmark tagger model (bad magic)"),
            ModelError::TagCount { found, expected } => write!(f, "model has {found} tags, this build expects {expected}"),
            ModelError::Truncated { at } => write!(f, "model file truncated at byte {at}"),
            ModelError::BadTag { tag } => write!(f, "model refers to tag {tag}, out of range"),
            ModelError::AlreadyInstalled => write!(f, "a tagger model is installed already"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Lanes of a weight row and of a score accumulator: `N_TAGS` rounded up to a multiple
/// of 8, so rows and sums are whole SIMD vectors (the spare lanes stay 0).
pub const LANES: usize = N_TAGS.div_ceil(8) * 8;

/// Scores being summed, one lane per tag.
pub type Acc = [i32; LANES];

/// A loaded model.
#[derive(Clone, Debug)]
pub struct Model {
    pub step: f32,
    pub start: Vec<i64>,
    pub trans: Vec<i64>,
    /// Open-addressing table of `(key, row)`, 8 bytes a slot so a probe run stays in one
    /// cache line; row 0 marks an empty slot.
    slots: Vec<Slot>,
    shift: u32,
    /// A one-hash Bloom filter, 8 bits per slot (128 KB), set at every key's [`bit_of`]: most keys looked
    /// up (unseen word pairs) are absent, and this says so from a table small enough to stay
    /// in the CPU's cache, where the slot table is not.
    present: Vec<u64>,
    present_shift: u32,
    /// Every feature's weights as a dense row (`rows[0]` is the empty row). Dense beats
    /// the file's sparse `(tag, weight)` pairs here: adding a row is a few vector
    /// instructions, where pairs cost a decode and a branch each — and a frequent feature
    /// has weights for most tags.
    rows: Vec<Row>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u32,
    row: u32,
}

#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Row([i16; LANES]);

impl Row {
    #[inline]
    fn add_to(&self, acc: &mut Acc) {
        add_widened(acc, &self.0);
    }
}

/// Adds `i16` lanes into `i32` sums (a model row, or a word's cached sums).
#[inline(always)]
pub fn add_widened(acc: &mut Acc, w: &[i16; LANES]) {
    for (a, &w) in acc.iter_mut().zip(w) {
        *a += w as i32;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or(ModelError::Truncated { at: self.pos })?;
        let s = self.bytes.get(self.pos..end).ok_or(ModelError::Truncated { at: self.pos })?;
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        let b = self.take(2)?;
        Ok(i16::from_le_bytes([b[0], b[1]]))
    }
}


fn bit_of(key: u32, shift: u32) -> usize {
    (key.wrapping_mul(0x85eb_ca6b) >> shift) as usize
}

fn slot_of(key: u32, shift: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b1) >> shift) as usize
}

impl Model {
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8).map_err(|_| ModelError::BadMagic)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let n_tags = r.u8()? as usize;
        if n_tags != N_TAGS {
            return Err(ModelError::TagCount { found: n_tags, expected: N_TAGS });
        }
        let step = f32::from_bits(r.u32()?);
        let n = r.u32()? as usize;
        let start = (0..N_TAGS).map(|_| r.i16().map(i64::from)).collect::<Result<Vec<_>, _>>()?;
        let trans = (0..N_TAGS * N_TAGS).map(|_| r.i16().map(i64::from)).collect::<Result<Vec<_>, _>>()?;
        // Capacity hints are capped by the input size so a corrupt count cannot allocate
        // gigabytes.
        let cap = n.min(bytes.len());
        let planes = r.take(n.checked_mul(4).ok_or(ModelError::Truncated { at: r.pos })?)?;
        let masks = r.take(n.checked_mul(MASK).ok_or(ModelError::Truncated { at: r.pos })?)?;
        let n_weights: usize = masks.iter().map(|m| m.count_ones() as usize).sum();
        let lo = r.take(n_weights)?;
        let hi = r.take(n_weights)?;
        let mut feats: Vec<(u32, Vec<u32>)> = Vec::with_capacity(cap);
        let mut key = 0u32;
        let mut at = 0usize;
        for i in 0..n {
            let delta = u32::from_le_bytes([planes[i], planes[n + i], planes[2 * n + i], planes[3 * n + i]]);
            key = key.wrapping_add(delta);
            let mask = &masks[i * MASK..(i + 1) * MASK];
            let mut e = Vec::with_capacity(mask.iter().map(|m| m.count_ones() as usize).sum());
            for tag in 0..MASK * 8 {
                if mask[tag / 8] & (1 << (tag % 8)) == 0 {
                    continue;
                }
                if tag >= N_TAGS {
                    return Err(ModelError::BadTag { tag: tag as u8 });
                }
                let z = u16::from_le_bytes([lo[at], hi[at]]);
                at += 1;
                let w = ((z >> 1) as i16) ^ -((z & 1) as i16);
                e.push((w as u16 as u32) << 8 | tag as u32);
            }
            if !e.is_empty() {
                feats.push((key, e));
            }
        }
        // Load factor ≤ 3/4: short probe runs in a table that has to stay small.
        let bits = (feats.len() * 4 / 3 + 1).next_power_of_two().trailing_zeros().max(1);
        let shift = 32 - bits;
        let mut slots = vec![Slot::default(); 1usize << bits];
        let mut rows = Vec::with_capacity(feats.len() + 1);
        rows.push(Row([0; LANES]));
        let mask = slots.len() - 1;
        let present_bits = (bits + 3).clamp(6, 32);
        let present_shift = 32 - present_bits;
        let mut present = vec![0u64; (1usize << present_bits) / 64];
        // Rows in order of how many tags they weigh: a feature the training saw often has
        // weights for many tags, so the rows read most end up packed together at the front
        // and stay in cache (+5 % full extraction). Which slot a key lands in changes, what
        // a lookup finds does not.
        feats.sort_by_key(|(key, e)| (std::cmp::Reverse(e.len()), *key));
        for (key, e) in &feats {
            let mut s = slot_of(*key, shift);
            while slots[s].row != 0 {
                s = (s + 1) & mask;
            }
            let mut row = Row([0; LANES]);
            for &x in e {
                // Tags were checked above; a repeated tag adds up as the sparse sum did.
                if let Some(w) = row.0.get_mut((x & 0xff) as usize) {
                    *w = w.saturating_add((x >> 8) as u16 as i16);
                }
            }
            slots[s] = Slot { key: *key, row: rows.len() as u32 };
            rows.push(row);
            let b = bit_of(*key, present_shift);
            if let Some(w) = present.get_mut(b / 64) {
                *w |= 1 << (b % 64);
            }
        }
        Ok(Model { step, start, trans, slots, shift, present, present_shift, rows })
    }

    pub fn n_features(&self) -> usize {
        self.rows.len() - 1
    }

    /// The row of `key`, probing linearly from slot `s`.
    #[inline]
    fn find_from(&self, key: u32, s: usize) -> Option<&Row> {
        let mask = self.slots.len() - 1;
        let mut s = s & mask;
        // The table always has a free slot (load ≤ 3/4), so this ends; the bound is a
        // second guarantee.
        for _ in 0..self.slots.len() {
            let slot = self.slots[s];
            if slot.row == 0 {
                return None;
            }
            if slot.key == key {
                return self.rows.get(slot.row as usize);
            }
            s = (s + 1) & mask;
        }
        None
    }

    /// Sets `out` to the summed weights of `keys` (one score per tag).
    pub fn emissions(&self, keys: &[u32], out: &mut [i64; N_TAGS]) {
        *out = [0; N_TAGS];
        self.add_emissions(keys, out);
    }

    /// Adds the weights of `keys` into `out`.
    pub fn add_emissions(&self, keys: &[u32], out: &mut [i64; N_TAGS]) {
        let mut acc = [0; LANES];
        self.for_each_found(keys, |_, row| row.add_to(&mut acc));
        for (o, &a) in out.iter_mut().zip(&acc) {
            *o += a as i64;
        }
    }

    /// Adds the weights of `keys[k]` into `outs[dest[k]]` (several sums filled by one
    /// batch of lookups; `dest` indices out of range are ignored).
    pub fn add_into(&self, keys: &[u32], dest: &[u32], outs: &mut [Acc]) {
        self.for_each_found(keys, |k, row| {
            if let Some(o) = dest.get(k).and_then(|&d| outs.get_mut(d as usize)) {
                row.add_to(o);
            }
        });
    }

    /// Calls `f(k, row)` for every key `keys[k]` found.
    ///
    /// Two passes per chunk of keys: first the home slot of every key is read (loads that
    /// do not depend on each other, so the CPU overlaps their cache misses), then the
    /// rows are visited, probing further only on a collision.
    #[inline]
    fn for_each_found(&self, keys: &[u32], mut f: impl FnMut(usize, &Row)) {
        const CHUNK: usize = 32;
        for (c, chunk) in keys.chunks(CHUNK).enumerate() {
            let mut home = [0usize; CHUNK];
            let mut seen = [Slot::default(); CHUNK];
            for (k, &key) in chunk.iter().enumerate() {
                let b = bit_of(key, self.present_shift);
                if self.present.get(b / 64).is_none_or(|w| w & (1 << (b % 64)) == 0) {
                    continue;
                }
                let s = slot_of(key, self.shift);
                home[k] = s;
                seen[k] = self.slots[s];
            }
            for (k, &key) in chunk.iter().enumerate() {
                let slot = seen[k];
                if slot.row == 0 {
                    continue;
                }
                let row = if slot.key == key { self.rows.get(slot.row as usize) } else { self.find_from(key, home[k] + 1) };
                if let Some(row) = row {
                    f(c * CHUNK + k, row);
                }
            }
        }
    }
}


/// Float weights to quantise and write: what training produces.
pub struct FloatModel {
    pub start: Vec<f32>,
    pub trans: Vec<f32>,
    /// `(key, weights per tag)`, any order.
    pub features: Vec<(u32, [f32; N_TAGS])>,
}

impl FloatModel {
    /// Quantises to `i16` units of `step` (weights that round to zero are dropped, which
    /// is also the pruning) and encodes the file. Deterministic: features are sorted.
    pub fn encode(&self, step: f32) -> Vec<u8> {
        let q = |w: f32| -> i16 { (w / step).round().clamp(i16::MIN as f32 + 1.0, i16::MAX as f32) as i16 };
        let mut feats: Vec<(u32, Vec<(u8, i16)>)> = self
            .features
            .iter()
            .map(|(k, ws)| (*k, ws.iter().enumerate().map(|(t, &w)| (t as u8, q(w))).filter(|&(_, w)| w != 0).collect::<Vec<_>>()))
            .filter(|(_, e)| !e.is_empty())
            .collect();
        feats.sort_by_key(|(k, _)| *k);
        feats.dedup_by_key(|(k, _)| *k);
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(N_TAGS as u8);
        out.extend_from_slice(&step.to_bits().to_le_bytes());
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for &w in self.start.iter().chain(self.trans.iter()) {
            out.extend_from_slice(&q(w).to_le_bytes());
        }
        let n = feats.len();
        let mut planes = vec![0u8; 4 * n];
        let mut masks = vec![0u8; MASK * n];
        let (mut lo, mut hi) = (Vec::new(), Vec::new());
        let mut prev = 0u32;
        for (i, (k, e)) in feats.iter().enumerate() {
            for (p, b) in k.wrapping_sub(prev).to_le_bytes().into_iter().enumerate() {
                planes[p * n + i] = b;
            }
            prev = *k;
            // `e` is in tag order (built by enumerate), one weight per tag.
            for &(t, w) in e {
                masks[i * MASK + t as usize / 8] |= 1 << (t % 8);
                let z = ((w << 1) ^ (w >> 15)) as u16;
                lo.push(z as u8);
                hi.push((z >> 8) as u8);
            }
        }
        for column in [planes, masks, lo, hi] {
            out.extend_from_slice(&column);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_lookup() {
        let mut w = [0f32; N_TAGS];
        w[3] = 1.0;
        w[5] = -2.5;
        let fm = FloatModel {
            start: vec![0.5; N_TAGS],
            trans: vec![-0.25; N_TAGS * N_TAGS],
            features: vec![(42, w), (7, [0.0; N_TAGS]), (u32::MAX, w)],
        };
        let bytes = fm.encode(0.25);
        let m = Model::from_bytes(&bytes).unwrap();
        assert_eq!(m.n_features(), 2, "all-zero features are pruned");
        let mut e = [0i64; N_TAGS];
        m.emissions(&[42, 7, 99, u32::MAX], &mut e);
        assert_eq!(e[3], 8);
        assert_eq!(e[5], -20);
        assert_eq!(m.start[0], 2);
        assert_eq!(m.trans[1], -1);
        assert_eq!(fm.encode(0.25), bytes, "deterministic");
    }

    #[test]
    fn rejects_garbage() {
        let table: [(&[u8], ModelError); 3] = [
            (b"", ModelError::BadMagic),
            (b"NOTAMODEL", ModelError::BadMagic),
            (b"NMTAGGR2\x03", ModelError::TagCount { found: 3, expected: N_TAGS }),
        ];
        for (bytes, want) in table {
            assert_eq!(Model::from_bytes(bytes).unwrap_err(), want);
        }
        let good = FloatModel { start: vec![0.0; N_TAGS], trans: vec![0.0; N_TAGS * N_TAGS], features: vec![(1, [1.0; N_TAGS])] }
            .encode(1.0);
        for cut in 9..good.len() {
            assert!(Model::from_bytes(&good[..cut]).is_err(), "cut at {cut}");
        }
    }
}

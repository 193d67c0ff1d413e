//! The shipped model: quantised weights in a compact binary file, and the in-memory
//! table the tagger looks features up in.
//!
//! File layout (little-endian), version 1:
//! ```text
//! "NMTAGGR1"                 magic, 8 bytes
//! u8  n_tags                 must equal tags::N_TAGS
//! f32 step                   float value of one quantisation unit (for confidences)
//! u32 n_features
//! i16 start[n_tags]          score of each tag opening a line
//! i16 trans[n_tags*n_tags]   score of prev→cur
//! n_features × { varint key_delta, u8 n, n × { u8 tag, zigzag-varint weight } }
//! ```
//! Keys are sorted, so deltas are small; weights are `i16` units of `step`, most of them
//! one or two bytes. No strings: the file holds hashed feature keys and weights only.

use crate::extract::tagger::tags::N_TAGS;

pub const MAGIC: &[u8; 8] = b"NMTAGGR1";

/// Why model bytes could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    BadMagic,
    TagCount { found: usize, expected: usize },
    Truncated { at: usize },
    BadTag { tag: u8 },
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a newsmark tagger model (bad magic)"),
            ModelError::TagCount { found, expected } => write!(f, "model has {found} tags, this build expects {expected}"),
            ModelError::Truncated { at } => write!(f, "model file truncated at byte {at}"),
            ModelError::BadTag { tag } => write!(f, "model refers to tag {tag}, out of range"),
        }
    }
}

impl std::error::Error for ModelError {}

/// A loaded model.
#[derive(Clone, Debug)]
pub struct Model {
    pub step: f32,
    pub start: Vec<i64>,
    pub trans: Vec<i64>,
    n_features: usize,
    /// Open-addressing table; a slot holds the key and (up to `INLINE`) weights, so a
    /// lookup usually touches one cache line — the tagger's speed is bound by these
    /// memory accesses.
    slots: Vec<Slot>,
    shift: u32,
    /// Weights of features with more than `INLINE` entries, past the inline ones.
    overflow: Vec<u32>,
}

const INLINE: usize = 6;

/// One table slot, 32 bytes (a half cache line). `meta`: entry count in the low 8 bits
/// (0 = empty slot), start in `overflow` above. Entries: `weight as u16 << 8 | tag`.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(32))]
struct Slot {
    key: u32,
    meta: u32,
    inline: [u32; INLINE],
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        let s = self.bytes.get(self.pos..self.pos + n).ok_or(ModelError::Truncated { at: self.pos })?;
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
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Truncated { at: self.pos })
    }
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
        let mut feats: Vec<(u32, Vec<u32>)> = Vec::with_capacity(cap);
        let mut key = 0u32;
        for _ in 0..n {
            key = key.wrapping_add(r.varint()? as u32);
            let m = r.u8()?;
            let mut e = Vec::with_capacity(m as usize);
            for _ in 0..m {
                let tag = r.u8()?;
                if tag as usize >= N_TAGS {
                    return Err(ModelError::BadTag { tag });
                }
                let z = r.varint()?;
                let w = ((z >> 1) as i64 ^ -((z & 1) as i64)) as i16;
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
        let mut overflow = Vec::new();
        let mask = slots.len() - 1;
        for (key, e) in &feats {
            let mut s = slot_of(*key, shift);
            while slots[s].meta != 0 {
                s = (s + 1) & mask;
            }
            let mut slot = Slot { key: *key, meta: e.len() as u32 | (overflow.len() as u32) << 8, inline: [0; INLINE] };
            for (d, &x) in slot.inline.iter_mut().zip(e) {
                *d = x;
            }
            overflow.extend(e.iter().skip(INLINE));
            slots[s] = slot;
        }
        Ok(Model { step, start, trans, n_features: feats.len(), slots, shift, overflow })
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The slot of `key`, probing linearly from slot `s`.
    fn find_from(&self, key: u32, s: usize) -> Option<&Slot> {
        // The table always has a free slot (load ≤ 3/4), so this ends; the bound is a
        // second guarantee.
        let mask = self.slots.len() - 1;
        let mut s = s & mask;
        for _ in 0..self.slots.len() {
            let slot = &self.slots[s];
            if slot.meta == 0 {
                return None;
            }
            if slot.key == key {
                return Some(slot);
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
        self.for_each_found(keys, |_, entries| {
            for &e in entries {
                if let Some(x) = out.get_mut((e & 0xff) as usize) {
                    *x += weight(e) as i64;
                }
            }
        });
    }

    /// Adds the weights of `keys[k]` into `outs[dest[k]]` (several score vectors filled by
    /// one batch of lookups; `dest` indices out of range are ignored).
    pub fn add_into(&self, keys: &[u32], dest: &[u32], outs: &mut [[i32; N_TAGS]]) {
        self.for_each_found(keys, |k, entries| {
            if let Some(o) = dest.get(k).and_then(|&d| outs.get_mut(d as usize)) {
                for &e in entries {
                    // Tags were checked at load time; `get_mut` costs a predictable branch.
                    if let Some(x) = o.get_mut((e & 0xff) as usize) {
                        *x += weight(e);
                    }
                }
            }
        });
    }

    /// Calls `f(k, entries)` for every key `keys[k]` found (once or twice: inline entries,
    /// then any overflow).
    ///
    /// Two passes per chunk of keys: first the home slot of every key is read (loads that
    /// do not depend on each other, so the CPU overlaps their cache misses), then the
    /// entries are visited, probing further only on a collision.
    #[inline]
    fn for_each_found(&self, keys: &[u32], mut f: impl FnMut(usize, &[u32])) {
        const CHUNK: usize = 32;
        for (c, chunk) in keys.chunks(CHUNK).enumerate() {
            let mut home = [0usize; CHUNK];
            let mut seen = [(0u32, 0u32); CHUNK];
            for (k, &key) in chunk.iter().enumerate() {
                let s = slot_of(key, self.shift);
                home[k] = s;
                let slot = &self.slots[s];
                seen[k] = (slot.key, slot.meta);
            }
            for (k, &key) in chunk.iter().enumerate() {
                let (sk, meta) = seen[k];
                if meta == 0 {
                    continue;
                }
                let slot = if sk == key { Some(&self.slots[home[k]]) } else { self.find_from(key, home[k] + 1) };
                if let Some(slot) = slot {
                    let at = c * CHUNK + k;
                    let n = (slot.meta & 0xff) as usize;
                    f(at, &slot.inline[..n.min(INLINE)]);
                    if n > INLINE {
                        let from = (slot.meta >> 8) as usize;
                        f(at, self.overflow.get(from..from + n - INLINE).unwrap_or(&[]));
                    }
                }
            }
        }
    }
}

/// The weight of an entry (`weight as u16 << 8 | tag`).
fn weight(e: u32) -> i32 {
    (e >> 8) as u16 as i16 as i32
}


/// Float weights to quantise and write: what training produces.
pub struct FloatModel {
    pub start: Vec<f32>,
    pub trans: Vec<f32>,
    /// `(key, weights per tag)`, any order.
    pub features: Vec<(u32, [f32; N_TAGS])>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
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
        let mut prev = 0u32;
        for (k, e) in &feats {
            put_varint(&mut out, k.wrapping_sub(prev) as u64);
            prev = *k;
            out.push(e.len() as u8);
            for &(t, w) in e {
                out.push(t);
                put_varint(&mut out, ((w as i64) << 1 ^ ((w as i64) >> 63)) as u64);
            }
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
            (b"NMTAGGR1\x03", ModelError::TagCount { found: 3, expected: N_TAGS }),
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

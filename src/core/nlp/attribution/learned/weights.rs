//! The learned attribution model's weights: four linear tables keyed by hashed
//! features (the cue tagger's B-over-O margin, the content scorer, the source scorer,
//! the draft filter),
//! one quantised weight per key, read into flat open-addressing tables.
//!
//! File format (little endian): magic `NMATT3\0\0`, then per table `u32` count and `f32`
//! step, then the count keys (their top [`KEY_BITS`] bits) sorted ascending as varint deltas, then the count weights as
//! zigzag varints in units of `step`. Keys whose weight quantises to zero are dropped
//! (that is the pruning: the step decides how many survive). Keys and weights are two
//! separate runs so gzip finds the weights' small-integer bytes together. Only hashed keys
//! and integers: no training text.

const MAGIC: &[u8; 8] = b"NMATT3\0\0";

/// Bits of a feature key the file keeps (the top ones): sorted keys of fewer bits have
/// smaller deltas. Two trained keys that fall together have their weights summed (a
/// handful in a model); an untrained key that meets a trained one gets its weight, as
/// with any hashed feature.
pub const KEY_BITS: u32 = 24;

#[inline]
fn fold(key: u32) -> u32 {
    key >> (32 - KEY_BITS)
}

/// Number of tables in a model file.
pub const TABLES: usize = 4;

/// One table: hashed key → quantised weight, in a flat open-addressing array (load at
/// most 1/2, linear probing) behind a Bloom filter.
#[derive(Default, Clone)]
pub struct Table {
    /// `(key, weight)` slots; an empty slot has weight 0 (no stored weight is 0).
    slots: Vec<(u32, i32)>,
    shift: u32,
    len: usize,
    pub step: f32,
    /// A one-hash Bloom filter over the keys (2^20 bits, 128 KB): most keys asked for
    /// (word pairs) were never trained, and the filter says so from memory that stays in
    /// the CPU cache, where the slots do not.
    bloom: Vec<u64>,
}

const BLOOM_BITS: u32 = 20;

#[inline]
fn bloom_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9) >> (32 - BLOOM_BITS)) as usize
}

#[inline]
fn slot_of(key: u32, shift: u32) -> usize {
    (key.wrapping_mul(0x85EB_CA6B) >> shift) as usize
}

impl Table {
    /// A table of `(key, weight)` rows with distinct keys and non-zero weights.
    fn new(rows: &[(u32, i16)], step: f32) -> Table {
        let bits = (rows.len() * 2).max(2).next_power_of_two().trailing_zeros();
        let shift = 32 - bits;
        let mask = (1usize << bits) - 1;
        let mut slots = vec![(0u32, 0i32); 1 << bits];
        let mut bloom = vec![0u64; (1usize << BLOOM_BITS) / 64];
        for &(k, w) in rows {
            let b = bloom_bit(k);
            bloom[b / 64] |= 1 << (b % 64);
            let mut s = slot_of(k, shift);
            while slots[s].1 != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = (k, i32::from(w));
        }
        Table { slots, shift, len: rows.len(), step, bloom }
    }

    /// Number of weighted keys.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The weight of `key` (0 if it has none).
    #[inline]
    pub fn get(&self, key: u32) -> i32 {
        self.get_folded(fold(key))
    }

    #[inline]
    fn get_folded(&self, key: u32) -> i32 {
        let b = bloom_bit(key);
        if self.bloom.get(b / 64).is_none_or(|w| w & (1 << (b % 64)) == 0) {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut s = slot_of(key, self.shift);
        loop {
            let (k, w) = self.slots[s];
            if w == 0 || k == key {
                return w;
            }
            s = (s + 1) & mask;
        }
    }

    /// The weights of `keys` summed (unknown keys add nothing).
    #[inline]
    pub fn score(&self, keys: &[u32]) -> i32 {
        keys.iter().map(|&k| self.get(k)).sum()
    }
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub &'static str);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "attribution model: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u64, FormatError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or(FormatError("truncated"))?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(FormatError("varint too long"))
}

/// Encodes float tables (key → weight), each quantised by its own step (max |w| / 32767,
/// at least `steps[t]`); weights that round to zero are pruned.
pub fn encode(tables: &[Vec<(u32, f32)>; TABLES], steps: [f32; TABLES]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for (rows, min_step) in tables.iter().zip(steps) {
        let max = rows.iter().fold(0f32, |m, &(_, x)| m.max(x.abs()));
        let step = (max / 32767.0).max(min_step);
        let mut folded: Vec<(u32, f32)> = rows.iter().map(|&(k, x)| (fold(k), x)).collect();
        folded.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        folded.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 += b.1;
            }
            same
        });
        let sorted: Vec<(u32, i16)> = folded
            .iter()
            .map(|&(k, x)| (k, (x / step).round().clamp(-32767.0, 32767.0) as i16))
            .filter(|&(_, q)| q != 0)
            .collect();
        out.extend((sorted.len() as u32).to_le_bytes());
        out.extend(step.to_le_bytes());
        let mut prev = 0u32;
        for (k, _) in &sorted {
            put_varint(&mut out, u64::from(k - prev));
            prev = *k;
        }
        for &(_, x) in &sorted {
            let z = ((i32::from(x) << 1) ^ (i32::from(x) >> 31)) as u32;
            put_varint(&mut out, u64::from(z));
        }
    }
    out
}

/// Decodes a model file into its tables.
pub fn decode(bytes: &[u8]) -> Result<[Table; TABLES], FormatError> {
    if bytes.get(..8) != Some(&MAGIC[..]) {
        return Err(FormatError("bad magic"));
    }
    let mut at = 8;
    let mut tables: [Table; TABLES] = Default::default();
    for table in tables.iter_mut() {
        let head = bytes.get(at..at + 8).ok_or(FormatError("truncated header"))?;
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let step = f32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if !step.is_finite() || step <= 0.0 || n > bytes.len() {
            return Err(FormatError("bad table header"));
        }
        at += 8;
        let mut rows: Vec<(u32, i16)> = Vec::with_capacity(n);
        let mut key = 0u32;
        for k in 0..n {
            let d = u32::try_from(get_varint(bytes, &mut at)?).map_err(|_| FormatError("bad key"))?;
            if k > 0 && d == 0 {
                return Err(FormatError("repeated key"));
            }
            key = key.checked_add(d).filter(|&k| k < 1 << KEY_BITS).ok_or(FormatError("bad key"))?;
            rows.push((key, 0));
        }
        for r in rows.iter_mut() {
            let z = u32::try_from(get_varint(bytes, &mut at)?).map_err(|_| FormatError("bad weight"))?;
            let v = ((z >> 1) as i32) ^ -((z & 1) as i32);
            r.1 = i16::try_from(v).ok().filter(|&w| w != 0).ok_or(FormatError("bad weight"))?;
        }
        *table = Table::new(&rows, step);
    }
    if at != bytes.len() {
        return Err(FormatError("trailing bytes"));
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let tables = [vec![(7 << 8, 1.0f32), (3 << 8, 0.0), (u32::MAX, -3.0), (0, 2.0)], vec![(1 << 8, 0.25)], vec![], vec![(5 << 8, -1.5)]];
        let bytes = encode(&tables, [1e-4; TABLES]);
        let t = decode(&bytes).unwrap();
        assert_eq!(t[0].len(), 3, "the zero weight is pruned");
        assert!((t[0].get(u32::MAX) as f32 * t[0].step + 3.0).abs() < 1e-3);
        assert!((t[0].get(0) as f32 * t[0].step - 2.0).abs() < 1e-3, "key 0 is a key like any other");
        assert_eq!(t[0].get(1), t[0].get(0), "keys equal in their top KEY_BITS are one");
        assert_eq!(t[0].get(3 << 8), 0);
        assert_eq!(t[1].get(1 << 8), (0.25 / t[1].step).round() as i32);
        assert!(t[2].is_empty());
        assert_eq!(t[2].score(&[1, 2, 3]), 0);
        assert_eq!(t[0].score(&[7 << 8, u32::MAX, 3 << 8, 12345 << 8]), t[0].get(7 << 8) + t[0].get(u32::MAX));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let mut more = bytes.clone();
        more.push(0);
        assert!(decode(&more).is_err());
        // A coarser step prunes more.
        let coarse = decode(&encode(&tables, [2.5, 1.0, 1.0, 1.0])).unwrap();
        assert_eq!(coarse[0].len(), 2);
    }

    proptest::proptest! {
        /// The flat table finds exactly the stored weights, whatever the keys.
        #[test]
        fn flat_table_equals_a_map(rows in proptest::collection::btree_map(proptest::num::u32::ANY, -100i16..100, 0..300), probes in proptest::collection::vec(proptest::num::u32::ANY, 0..50)) {
            let stored: Vec<(u32, i16)> = rows.iter().filter(|(_, w)| **w != 0).map(|(k, w)| (*k, *w)).collect();
            let t = Table::new(&stored, 1.0);
            for (k, w) in &stored {
                proptest::prop_assert_eq!(t.get_folded(*k), i32::from(*w));
            }
            for p in probes {
                proptest::prop_assert_eq!(t.get_folded(p), rows.get(&p).map_or(0, |w| i32::from(*w)));
            }
        }
    }
}

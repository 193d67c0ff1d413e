//! The learned attribution model's weights: three linear tables keyed by hashed
//! features (the cue tagger's O/B/I rows, the content scorer, the source scorer), stored
//! quantised to `i16` and read back into hash maps.
//!
//! File format (little endian): magic `NMATT1\0\0`, then per table `u32` count, `f32`
//! step, `u8` width (weights per key), then the keys sorted ascending as varint deltas,
//! each followed by `width` zigzag varint weights in units of `step`. Keys whose weights
//! all quantise to zero are dropped. Only hashed keys and integers: no training text.

use crate::core::nlp::fasthash::FxHashMap;

const MAGIC: &[u8; 8] = b"NMATT1\0\0";

/// Number of tables in a model file.
pub const TABLES: usize = 3;
/// Weights per key: the cue tagger scores three classes, the scorers one.
pub const WIDTHS: [usize; TABLES] = [3, 1, 1];

/// One table: hashed key → quantised weights (`WIDTH` used of 3).
#[derive(Default, Clone)]
pub struct Table {
    pub rows: FxHashMap<u32, [i16; 3]>,
    pub step: f32,
    /// A one-hash Bloom filter over the keys (2^20 bits, 128 KB): most keys asked for
    /// (word pairs) were never trained, and the filter says so from memory that stays in
    /// the CPU cache, where the map does not.
    bloom: Vec<u64>,
}

const BLOOM_BITS: u32 = 20;

#[inline]
fn bloom_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9) >> (32 - BLOOM_BITS)) as usize
}

impl Table {
    fn new(rows: FxHashMap<u32, [i16; 3]>, step: f32) -> Table {
        let mut bloom = vec![0u64; (1usize << BLOOM_BITS) / 64];
        for k in rows.keys() {
            let b = bloom_bit(*k);
            bloom[b / 64] |= 1 << (b % 64);
        }
        Table { rows, step, bloom }
    }

    #[inline]
    fn get(&self, key: u32) -> Option<&[i16; 3]> {
        let b = bloom_bit(key);
        if self.bloom.get(b / 64).is_none_or(|w| w & (1 << (b % 64)) == 0) {
            return None;
        }
        self.rows.get(&key)
    }

    /// Sums the rows of `keys` into `acc` (unknown keys add nothing).
    #[inline]
    pub fn add(&self, keys: &[u32], acc: &mut [i32; 3]) {
        for &k in keys {
            if let Some(r) = self.get(k) {
                acc[0] += i32::from(r[0]);
                acc[1] += i32::from(r[1]);
                acc[2] += i32::from(r[2]);
            }
        }
    }

    /// The first weight summed over `keys`.
    #[inline]
    pub fn score(&self, keys: &[u32]) -> i32 {
        keys.iter().filter_map(|&k| self.get(k)).map(|r| i32::from(r[0])).sum()
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

/// Encodes float tables (key → weights) quantised by their own step (max |w| / 32767,
/// at least `min_step`).
pub fn encode(tables: &[Vec<(u32, [f32; 3])>; TABLES], min_step: f32) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for (t, rows) in tables.iter().enumerate() {
        let width = WIDTHS[t];
        let max = rows.iter().flat_map(|(_, w)| w[..width].iter()).fold(0f32, |m, &x| m.max(x.abs()));
        let step = (max / 32767.0).max(min_step);
        let mut sorted: Vec<(u32, [i16; 3])> = rows
            .iter()
            .map(|(k, w)| {
                let mut q = [0i16; 3];
                for (d, &x) in q.iter_mut().zip(&w[..width]) {
                    *d = (x / step).round().clamp(-32767.0, 32767.0) as i16;
                }
                (*k, q)
            })
            .filter(|(_, q)| q.iter().any(|&x| x != 0))
            .collect();
        sorted.sort_by_key(|r| r.0);
        sorted.dedup_by_key(|r| r.0);
        out.extend((sorted.len() as u32).to_le_bytes());
        out.extend(step.to_le_bytes());
        out.push(width as u8);
        let mut prev = 0u32;
        for (k, q) in &sorted {
            put_varint(&mut out, u64::from(k - prev));
            prev = *k;
            for &x in &q[..width] {
                let z = ((i32::from(x) << 1) ^ (i32::from(x) >> 31)) as u32;
                put_varint(&mut out, u64::from(z));
            }
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
    for (t, table) in tables.iter_mut().enumerate() {
        let head = bytes.get(at..at + 9).ok_or(FormatError("truncated header"))?;
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let step = f32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        let width = usize::from(head[8]);
        if width != WIDTHS[t] || !step.is_finite() || step <= 0.0 || n > bytes.len() {
            return Err(FormatError("bad table header"));
        }
        at += 9;
        let mut rows = FxHashMap::default();
        rows.reserve(n);
        let mut key = 0u32;
        for _ in 0..n {
            let d = get_varint(bytes, &mut at)?;
            key = key.checked_add(u32::try_from(d).map_err(|_| FormatError("bad key"))?).ok_or(FormatError("bad key"))?;
            let mut q = [0i16; 3];
            for x in q.iter_mut().take(width) {
                let z = u32::try_from(get_varint(bytes, &mut at)?).map_err(|_| FormatError("bad weight"))?;
                let v = ((z >> 1) as i32) ^ -((z & 1) as i32);
                *x = i16::try_from(v).map_err(|_| FormatError("bad weight"))?;
            }
            rows.insert(key, q);
        }
        *table = Table::new(rows, step);
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
        let tables = [
            vec![(7u32, [1.0f32, -2.0, 0.5]), (3, [0.0, 0.0, 0.0]), (u32::MAX, [-3.0, 3.0, 0.0])],
            vec![(1, [0.25, 0.0, 0.0])],
            vec![],
        ];
        let bytes = encode(&tables, 1e-4);
        let t = decode(&bytes).unwrap();
        assert_eq!(t[0].rows.len(), 2, "the all-zero row is dropped");
        let r = t[0].rows[&u32::MAX];
        assert!((f32::from(r[0]) * t[0].step + 3.0).abs() < 1e-3);
        assert_eq!(t[1].rows[&1][0], (0.25 / t[1].step).round() as i16);
        assert!(t[2].rows.is_empty());
        // The Bloom filter never hides a key that is there.
        let mut acc = [0; 3];
        t[0].add(&[7, u32::MAX, 3, 12345], &mut acc);
        assert_eq!(acc, [i32::from(t[0].rows[&7][0]) + i32::from(r[0]), i32::from(t[0].rows[&7][1]) + i32::from(r[1]), i32::from(t[0].rows[&7][2]) + i32::from(r[2])]);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let mut more = bytes.clone();
        more.push(0);
        assert!(decode(&more).is_err());
    }
}

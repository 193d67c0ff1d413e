//! A small, fast, deterministic hasher for the hash maps on the extraction's hot paths
//! (lexicon lookups, per-document word tables).
//!
//! Why not std's default: SipHash is built to resist collision attacks on maps keyed by
//! untrusted input, and costs several times more per short key than the lookups it serves
//! here. This is the multiply-rotate FxHash used inside rustc (a dozen lines, so no crate):
//! fixed seed, no randomness, so the same input always gives the same map. No caller may
//! let a map's iteration order reach the output; they only look keys up.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: one rotate, xor and multiply per 8 input bytes.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            // The length keeps "a" and "a\0" apart.
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A word of at most 15 bytes packed into one integer: its bytes, each through `map`
/// (e.g. ASCII lower-casing), and its length in the top byte, so "a" and "a\0" differ.
/// Sets of short words keyed this way hash and compare one `u128` per lookup instead of
/// hashing bytes and calling `memcmp`; `None` for longer words.
#[inline]
pub fn pack_word(word: &str, map: impl Fn(u8) -> u8) -> Option<u128> {
    let b = word.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut buf = [0u8; 16];
    for (d, &s) in buf.iter_mut().zip(b) {
        *d = map(s);
    }
    buf[15] = b.len() as u8;
    Some(u128::from_le_bytes(buf))
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
pub type FxHashSet<T> = HashSet<T, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn deterministic_and_discriminating() {
        let h = |s: &str| FxBuildHasher::default().hash_one(s);
        assert_eq!(h("Leavitt"), h("Leavitt"));
        for (a, b) in [("a", "a\0"), ("", "\0"), ("ab", "ba"), ("saudi arabia", "saudi arabiа"), ("12345678", "123456789")] {
            assert_ne!(h(a), h(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn packed_words_are_distinct() {
        let id = |b: u8| b;
        let words = ["", "a", "a\0", "\0", "ab", "ba", "the", "The", "123456789012345"];
        let keys: Vec<_> = words.iter().map(|w| pack_word(w, id)).collect();
        for i in 0..words.len() {
            assert!(keys[i].is_some(), "{:?}", words[i]);
            for j in 0..i {
                assert_ne!(keys[i], keys[j], "{:?} vs {:?}", words[i], words[j]);
            }
        }
        assert_eq!(pack_word("1234567890123456", id), None);
        assert_eq!(pack_word("The", |b| b.to_ascii_lowercase()), pack_word("the", id));
    }

    #[test]
    fn maps_work() {
        let mut m: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, w) in ["the", "White", "House", "the"].iter().enumerate() {
            m.insert(w, i);
        }
        assert_eq!((m.len(), m.get("the"), m.get("House"), m.get("house")), (3, Some(&3), Some(&2), None));
    }
}

//! Stable sorting with one copy of the sort in the binary.
//!
//! `slice::sort_by` is generic over the element and the comparator, so every call site
//! gets its own copy of the standard library's driftsort (about 2.4 KB of wasm each: 30
//! call sites were 71 KB of the page wasm). These functions sort a list of indices with a
//! comparator behind `&mut dyn FnMut`, which is compiled once, then move the elements into
//! that order; what remains per call site is a few dozen bytes. The order is exactly
//! `slice::sort_by`'s: both are stable (equal elements keep their order), which
//! `tests::same_order_as_std` checks on random input. The extraction pipeline (`core::nlp`),
//! which only the worker and the CLI run and where sorts are hot, keeps the standard sorts.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, as `v.sort_by(cmp)` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        permutation(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    apply(v, order);
}

/// Sorts `v` stably by `key`, as `v.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `v` stably, as `v.sort()` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp)
}

/// The indices `0..n` in the order `cmp` puts the elements they name (stable). Not
/// generic: the one instantiation of the standard sort every caller shares.
#[inline(never)]
fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves the elements so that position `i` holds what was at `order[i]`, following each
/// cycle of the permutation with swaps (no clone, no second buffer of `T`).
fn apply<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            // Marks `at` as placed, so a later start inside this cycle stops at once.
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Same order as the standard library's stable sort, ties included (the second
        /// field tells equal keys apart).
        #[test]
        fn same_order_as_std(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(&ours, &std);

            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std = v.clone();
            std.sort_by(|a, b| b.0.cmp(&a.0));
            prop_assert_eq!(&ours, &std);

            let mut ours = v.clone();
            sort(&mut ours);
            let mut std = v;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn strings_move_without_cloning() {
        let mut v: Vec<String> = ["pear", "apple", "fig", "apple"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["apple", "apple", "fig", "pear"]);
        let mut empty: Vec<String> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}

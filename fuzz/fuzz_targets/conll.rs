//! Fuzz target: the CoNLL IOB import.
//! Run: `fuzz/run.sh 300 conll` (or `cargo +nightly fuzz run conll`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::conll;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(sets) = conll::import(s) {
        for set in &sets {
            check::check_set(set);
        }
    }
});

//! Fuzz target: the doccano JSONL import.
//! Run: `fuzz/run.sh 300 doccano` (or `cargo +nightly fuzz run doccano`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::doccano;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(sets) = doccano::import(s) {
        for set in &sets {
            check::check_set(set);
        }
    }
});

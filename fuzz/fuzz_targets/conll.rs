//! Fuzz target: the CoNLL IOB import.
//! Run: `fuzz/run.sh 300 conll` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run conll -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::conll;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check::check_sets(conll::import(s));
    }
});

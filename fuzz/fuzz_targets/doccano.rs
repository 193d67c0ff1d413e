//! Fuzz target: the doccano JSONL import.
//! Run: `fuzz/run.sh 300 doccano` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run doccano -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::doccano;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check::check_sets(doccano::import(s));
    }
});

//! Fuzz target: the spaCy/Prodigy JSONL import.
//! Run: `fuzz/run.sh 300 spacy` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run spacy -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::spacy;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check::check_sets(spacy::import(s));
    }
});

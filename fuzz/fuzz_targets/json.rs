//! Fuzz target: the newsmark v1 JSON import on arbitrary bytes; whatever it accepts is a sound set.
//! Run: `fuzz/run.sh 300 json` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run json -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::json;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(set) = json::import(s) {
            check::check_set(&set);
        }
        let _ = json::read_document(s);
    }
});

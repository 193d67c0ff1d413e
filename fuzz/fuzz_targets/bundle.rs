//! Fuzz target: the project bundle (zip) import: never inflates past the limits, every document sound.
//! Run: `fuzz/run.sh 300 bundle` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run bundle -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::bundle;

fuzz_target!(|data: &[u8]| {
    if let Ok(b) = bundle::import(data) {
        for e in &b.entries {
            check::check_set(&e.set);
        }
    }
});

//! Fuzz target: the Label Studio tasks import.
//! Run: `fuzz/run.sh 300 labelstudio` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run labelstudio -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::labelstudio;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check::check_sets(labelstudio::import(s));
    }
});

//! Fuzz target: the brat standoff import (.txt + .ann).
//! Run: `fuzz/run.sh 300 brat` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run brat -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::brat;

fuzz_target!(|data: &[u8]| {
    let (txt, ann) = check::split(data);
    let (Ok(txt), Ok(ann)) = (std::str::from_utf8(txt), std::str::from_utf8(ann)) else { return };
    if let Ok(set) = brat::import("fuzz", txt, ann) {
        check::check_set(&set);
    }
});

//! Fuzz target: the W3C Web Annotation import (re-anchored onto a document text).
//! Run: `fuzz/run.sh 300 w3c` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run w3c -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::format::w3c;
use newsmark::core::Document;

fuzz_target!(|data: &[u8]| {
    let (text, file) = check::split(data);
    let (Ok(text), Ok(file)) = (std::str::from_utf8(text), std::str::from_utf8(file)) else { return };
    let doc = Document::new("fuzz", None, text);
    if let Ok(imported) = w3c::import(file, &doc) {
        check::check_set(&imported.set);
    }
    let _ = w3c::document_id(file);
});

//! Fuzz target: the extraction pipeline on arbitrary UTF-8 (raw and normalised): every
//! span it proposes is sound and its output round-trips through the v1 JSON; plus the
//! text decoder on arbitrary bytes.
//! Run: `fuzz/run.sh 300 pipeline` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::{self, model::text, Document};

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = std::str::from_utf8(data) {
        for t in [raw.to_string(), text::normalize(raw)] {
            let doc = Document::new("fuzz", None, t.as_str());
            check::check_set(&core::extract(&doc));
        }
    }
    let _ = text::decode(data);
    let _ = text::decode_article(data);
});

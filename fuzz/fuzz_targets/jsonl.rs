//! Fuzz target: the JSONL article import: every document under the limits, errors numbered in order.
//! Run: `fuzz/run.sh 300 jsonl` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run jsonl -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::project::jsonl;
use newsmark::core::model::limits::MAX_ARTICLE_BYTES;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let batch = jsonl::parse(s);
    let lines = s.split('\n').count();
    assert!(batch.documents.len() + batch.errors.len() <= lines);
    assert!(batch.errors.windows(2).all(|w| w[0].line < w[1].line));
    assert!(batch.documents.iter().all(|d| d.text.len() <= MAX_ARTICLE_BYTES && !d.id.is_empty()));
});

//! Fuzz target: the HTML reducer: never panics, paragraphs are trimmed single lines, no blank lines.
//! Run: `fuzz/run.sh 300 html` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run html -s none`).

#![no_main]

#[path = "check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use newsmark::core::project::html::{html_title, html_to_text};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let text = html_to_text(s);
    for line in text.split('\n') {
        assert!(!line.is_empty() || text.is_empty(), "blank paragraph in {text:?}");
        assert_eq!(line, line.trim(), "untrimmed paragraph");
    }
    if let Some(t) = html_title(s) {
        assert!(!t.is_empty() && !t.contains('\n'));
    }
});

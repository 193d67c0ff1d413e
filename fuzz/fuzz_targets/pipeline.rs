//! Fuzz target: the extraction pipeline on arbitrary UTF-8 (raw and normalised), the
//! export → import round trip of its output, and the JSON import on arbitrary bytes.
//! Run: `RUSTUP_TOOLCHAIN=nightly cargo fuzz run pipeline -- -max_total_time=300`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsmark::core::{self, format::json, model::text, Document};

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = std::str::from_utf8(data) {
        for t in [raw.to_string(), text::normalize(raw)] {
            let doc = Document::new("fuzz", None, t.as_str());
            let set = core::extract(&doc);
            for a in &set.attributions {
                for f in a.content.fragments() {
                    assert!(f.is_valid_in(&t), "content fragment off the text");
                }
            }
            let exported = json::export(&set);
            let back = json::import(&exported).expect("own export must import");
            assert_eq!(back.entities.len(), set.entities.len());
            assert_eq!(back.attributions.len(), set.attributions.len());
        }
    }
    let _ = json::import(&String::from_utf8_lossy(data));
    let _ = text::decode(data);
});

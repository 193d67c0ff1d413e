//! Golden files: every `NAME.txt` under `tests/fixtures/<folder>` is rendered and compared
//! with `NAME.expected`. Expectations are rewritten only with `UPDATE_GOLDEN=1` (exactly
//! `1`: `UPDATE_GOLDEN=0` or an empty value compares as usual), and a missing expectation
//! fails — a new fixture without its golden never passes by default.

#![allow(dead_code)]

use std::path::Path;

/// Whether this run rewrites golden files (`UPDATE_GOLDEN=1`).
pub fn update_requested() -> bool {
    wants_update(std::env::var("UPDATE_GOLDEN").ok().as_deref())
}

/// The rule behind [`update_requested`], testable without touching the environment.
pub fn wants_update(value: Option<&str>) -> bool {
    value == Some("1")
}

pub fn check(folder: &str, render: fn(&str) -> String) {
    check_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder), render, update_requested());
}

pub fn check_in(dir: &Path, render: fn(&str) -> String, update: bool) {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("fixture folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in {}", dir.display());
    for txt in names {
        let text = std::fs::read_to_string(&txt).expect("fixture text");
        let got = render(&text);
        let expected_path = txt.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
            panic!("no golden file {} ({e}): run with UPDATE_GOLDEN=1 and review the diff", expected_path.display())
        });
        assert_eq!(got, want, "{} (UPDATE_GOLDEN=1 to accept a deliberate change)", txt.display());
    }
}

//! Runs a golden-file folder: every `NAME.txt` under `tests/fixtures/<folder>` is rendered
//! and compared with `NAME.expected`; `UPDATE_GOLDEN=1` rewrites the expectations.

use std::path::Path;

pub fn check(folder: &str, render: fn(&str) -> String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in {}", dir.display());
    for txt in names {
        let text = std::fs::read_to_string(&txt).expect("fixture text");
        let got = render(&text);
        let expected_path = txt.with_extension("expected");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_eq!(got, want, "{} (UPDATE_GOLDEN=1 to accept a deliberate change)", txt.display());
    }
}

//! The core's one architectural rule, checked: nothing under `src/core/` names a web crate.
//! The host build cannot catch a `#[cfg(target_arch = "wasm32")]` import there (the web
//! crates only exist on wasm32), so this reads the sources.

use std::path::{Path, PathBuf};

const WEB_CRATES: [&str; 5] = ["yew", "web_sys", "gloo", "wasm_bindgen", "js_sys"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Whether `line` uses `krate` as a path root (`yew::`, `use gloo` …), outside comments.
fn names_crate(line: &str, krate: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices(krate).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = &code[i + krate.len()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && (after.starts_with("::") || after.starts_with(';') || after.starts_with(" as "))
    })
}

#[test]
fn core_never_names_a_web_crate() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(files.len() > 40, "src/core has only {} files: wrong folder?", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            for krate in WEB_CRATES {
                if names_crate(line, krate) {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "web crates used in the core:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_what_it_looks_for() {
    assert!(names_crate("use yew::prelude::*;", "yew"));
    assert!(names_crate("    let w = web_sys::window();", "web_sys"));
    assert!(names_crate("use gloo;", "gloo"));
    assert!(!names_crate("// yew::Html is rendered by the ui", "yew"));
    assert!(!names_crate("let my_yew::x = 1;", "yew"));
    assert!(!names_crate("let gloomy = 1;", "gloo"));
}

//! Helpers shared by host integration tests: where the shared evaluation data lives, and
//! scoring extraction output with the project's scorer (`shared/eval/score.py`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `shared/` beside the checkout (CI), overridable with `NEWSMARK_SHARED`; `/work/shared`
/// for worktrees that live elsewhere.
pub fn shared_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("NEWSMARK_SHARED").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates.into_iter().flatten().find(|p| p.join("eval/score.py").is_file())
}

/// The shared folder, for tests that need it: they FAIL (never skip) when it is missing,
/// so a CI run without `../shared` cannot pass by measuring nothing.
pub fn require_shared() -> PathBuf {
    shared_dir().unwrap_or_else(|| {
        panic!(
            "the shared evaluation data is missing (../shared beside the checkout, or /work/shared, with eval/score.py \
             and eval/dev): these tests measure on it; set NEWSMARK_SHARED=/path/to/shared"
        )
    })
}

/// Runs the pipeline on each input the way `newsmark extract` does, writes the outputs to
/// a temporary folder and returns `score.py --json`'s figures.
pub fn score(gold: &Path, inputs: &[PathBuf]) -> serde_json::Value {
    let shared = shared_dir().expect("shared/ with eval/score.py");
    let out = tempfile::tempdir().unwrap();
    for input in inputs {
        let doc = newsmark::cli::load_document(input).unwrap();
        let set = newsmark::core::extract(&doc);
        let dest = out.path().join(format!("{}.json", doc.id));
        std::fs::write(dest, newsmark::core::format::json::export(&set)).unwrap();
    }
    let pred = if gold.is_file() {
        out.path().join(format!("{}.json", gold.file_stem().unwrap().to_string_lossy()))
    } else {
        out.path().to_path_buf()
    };
    let o = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg("--gold")
        .arg(gold)
        .arg("--pred")
        .arg(&pred)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "score.py failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("score.py --json prints JSON")
}

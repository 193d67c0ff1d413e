//! The pipeline's output on the sample article, pinned as a golden file that the browser
//! test (`browser_pipeline.rs`) compares the wasm build against: native and wasm must give
//! byte-identical exports. Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test pipeline_golden`.

// Host only: the wasm side lives in browser_pipeline.rs.
#![cfg(not(target_arch = "wasm32"))]

mod golden_dir;

use newsmark::core::{self, format::json, model::text, Document};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pipeline/sample.expected.json");
const EMBEDDED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pipeline/sample.set.json");

#[test]
fn sample_output_matches_golden() {
    let raw = include_str!("../static/sample/seed-witkoff-moscow.txt");
    let doc = Document::new("seed-witkoff-moscow", None, text::normalize(raw));
    let out = json::export(&core::extract(&doc));
    if golden_dir::update_requested() {
        std::fs::write(GOLDEN, &out).unwrap();
    }
    let want = std::fs::read_to_string(GOLDEN).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert!(out == want, "pipeline output changed; diff it against {GOLDEN} and regenerate if intended");
    assert_eq!(core::extract(&doc), core::extract(&doc), "deterministic");
}

/// The page embeds the golden's suggestions as the `AnnotationSet` in serde's own form
/// (`ui::sample`): what storage already reads, so the page wasm needs neither the JSON
/// format's importer nor `serde_json::Value`. It must be exactly the golden file imported.
#[test]
fn embedded_sample_set_is_the_golden_imported() {
    let golden = std::fs::read_to_string(GOLDEN).expect("golden file");
    let set = json::import(&golden).expect("the golden file imports");
    let out = serde_json::to_string(&set).unwrap() + "\n";
    if golden_dir::update_requested() {
        std::fs::write(EMBEDDED, &out).unwrap();
    }
    let want = std::fs::read_to_string(EMBEDDED).expect("embedded sample (UPDATE_GOLDEN=1 writes it)");
    assert!(out == want, "{EMBEDDED} is not {GOLDEN} imported; regenerate with UPDATE_GOLDEN=1");
    let read: newsmark::core::AnnotationSet = serde_json::from_str(&want).unwrap();
    assert_eq!(json::export(&read), golden, "nothing is lost between the two forms");
}

/// The app shows the shipped sample text as it is (`ui::sample::sample_document` does not
/// normalise, so the page wasm carries no Unicode normalisation tables): it must already
/// be what an import would make of it.
#[test]
fn sample_text_is_normal() {
    let raw = include_str!("../static/sample/seed-witkoff-moscow.txt");
    assert_eq!(text::normalize(raw), raw, "static/sample/seed-witkoff-moscow.txt must be NFC with LF line ends and no BOM");
}

/// Issue 12, item 11: goldens are rewritten only with `UPDATE_GOLDEN=1`, and a missing
/// golden fails.
#[test]
fn goldens_are_rewritten_only_on_request() {
    assert!(golden_dir::wants_update(Some("1")));
    for v in [None, Some(""), Some("0"), Some("false"), Some("yes")] {
        assert!(!golden_dir::wants_update(v), "{v:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("new.txt"), "Oslo agreed.").unwrap();
    let missing = std::panic::catch_unwind(|| golden_dir::check_in(dir.path(), |t| t.to_string(), false));
    let message = missing.expect_err("a missing golden fails");
    let message = message.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("no golden file"), "{message}");
    golden_dir::check_in(dir.path(), |t| t.to_string(), true);
    golden_dir::check_in(dir.path(), |t| t.to_string(), false);
}

//! `tools/sw_precache.py` (Trunk's post-build hook) stamps the service worker with the
//! build's files and hash. Issue 12, item 11: it must FAIL, not pass quietly, when a
//! placeholder is left unreplaced or there is no sw.js to stamp.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

fn stamp(dist: &Path) -> (bool, String) {
    let o = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tools/sw_precache.py"))
        .arg(dist)
        .output()
        .expect("python3 runs");
    (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn stamps_the_real_worker_and_fails_on_a_leftover_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let sw = dir.path().join("sw.js");
    std::fs::write(dir.path().join("index.html"), "<html></html>").unwrap();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/static/sw.js"), &sw).unwrap();
    let (ok, err) = stamp(dir.path());
    assert!(ok, "{err}");
    let stamped = std::fs::read_to_string(&sw).unwrap();
    assert!(!stamped.contains("__NEWSMARK_"), "{stamped}");
    assert!(stamped.contains("\"index.html\""), "{stamped}");

    // The file-list marker spelt differently: nothing replaces it, so the build fails.
    std::fs::write(&sw, "const BUILD = \"__NEWSMARK_BUILD__\";\nconst FILES = [\"./\"]; /*__NEWSMARK_FILES__*/\n").unwrap();
    let (ok, err) = stamp(dir.path());
    assert!(!ok, "a leftover placeholder must fail the build");
    assert!(err.contains("__NEWSMARK_FILES__"), "{err}");

    std::fs::remove_file(&sw).unwrap();
    let (ok, err) = stamp(dir.path());
    assert!(!ok, "no sw.js must fail the build: {err}");
}

//! `tools/models.py` (Trunk's post-build hook) ships the models as files of their own: it
//! copies `models/*.bin` under content-hashed names and stamps the worker's loader with
//! them. The worker wasm has no embedded model, so the hook must FAIL, never pass quietly,
//! when there is no loader to stamp, when it is stamped already or a model is missing.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

const LOADER: &str = "importScripts(\"./newsmark-worker.js\");wasm_bindgen(\"./newsmark-worker_bg.wasm\");";

fn run(dist: &Path, source: &Path) -> (bool, String) {
    let o = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tools/models.py"))
        .arg(dist)
        .env("TRUNK_SOURCE_DIR", source)
        .output()
        .expect("python3 runs");
    (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn copies_hashed_models_stamps_the_loader_and_fails_when_it_cannot() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = tempfile::tempdir().unwrap();
    let loader = dist.path().join("newsmark-worker_loader.js");

    // No loader: the build fails.
    let (ok, err) = run(dist.path(), repo);
    assert!(!ok && err.contains("no "), "{err}");

    std::fs::write(&loader, LOADER).unwrap();
    let (ok, err) = run(dist.path(), repo);
    assert!(ok, "{err}");
    let stamped = std::fs::read_to_string(&loader).unwrap();
    assert!(stamped.starts_with("self.newsmarkModels=") && stamped.ends_with(LOADER), "{stamped}");
    for name in ["tagger", "attribution"] {
        let bytes = std::fs::read(repo.join(format!("models/{name}.bin"))).unwrap();
        let copied: Vec<_> = std::fs::read_dir(dist.path().join("models"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| f.starts_with(&format!("{name}-")))
            .collect();
        assert_eq!(copied.len(), 1, "{copied:?}");
        let file = &copied[0];
        assert!(file.len() == name.len() + 1 + 16 + 4 && file.ends_with(".bin"), "content-hashed name: {file}");
        assert!(stamped.contains(&format!("\"./models/{file}\"")), "the loader fetches {file}: {stamped}");
        assert_eq!(std::fs::read(dist.path().join("models").join(file)).unwrap(), bytes, "{file} is the model");
    }

    // Stamped twice: refused.
    let (ok, err) = run(dist.path(), repo);
    assert!(!ok && err.contains("stamped already"), "{err}");

    // A model missing from the source: refused.
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("models")).unwrap();
    std::fs::write(&loader, LOADER).unwrap();
    let (ok, err) = run(dist.path(), empty.path());
    assert!(!ok && err.contains("missing"), "{err}");
}

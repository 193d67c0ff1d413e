//! The command line end to end: batch extraction over JSONL and folders, and `export`.
// Host only: it runs the native binary.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn newsmark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsmark"))
}

#[test]
fn jsonl_batch_reports_bad_lines_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"Anna Berg said the plan works.\"}\n{broken\n\n{\"id\": \"b\", \"text\": \"Oslo 😀 agreed.\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    let r = newsmark().args(["extract", "--quiet", "--jobs", "2", "--jsonl"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "skipped lines make the exit status 1: {stderr}");
    assert!(stderr.contains("line 2: not valid JSON"), "{stderr}");
    assert!(stderr.contains("2 documents, 1 skipped"), "{stderr}");
    let lines: Vec<String> = std::fs::read_to_string(&out).unwrap().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2);
    for (l, id) in lines.iter().zip(["a", "b"]) {
        let set = newsmark::core::format::json::import(l).unwrap();
        assert_eq!(set.document.id, id);
    }
}

#[test]
fn folders_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("articles");
    std::fs::create_dir_all(src.join("more")).unwrap();
    std::fs::write(src.join("one.txt"), "Anna Berg, the mayor of Oslo, said on Monday: \"We are ready.\"").unwrap();
    std::fs::write(src.join("more/two.txt"), "The council met in Bergen.").unwrap();
    let out = dir.path().join("out");
    let r = newsmark().args(["extract", "--quiet"]).arg(&src).arg("--out").arg(&out).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let files: Vec<_> = ["one.json", "two.json"].iter().map(|f| out.join(f)).collect();
    assert!(files.iter().all(|f| f.exists()));

    for (format, dest) in [("conll", "x.conll"), ("spacy", "x.jsonl"), ("bundle", "x.zip"), ("brat", "brat"), ("w3c", "w3c")] {
        let r = newsmark().args(["export", "--format", format]).args(&files).arg("--out").arg(dir.path().join(dest)).output().unwrap();
        assert!(r.status.success(), "{format}: {}", String::from_utf8_lossy(&r.stderr));
    }
    assert!(dir.path().join("brat/one.ann").exists() && dir.path().join("brat/annotation.conf").exists());
    assert!(dir.path().join("w3c/two.jsonld").exists());
    let bundle = newsmark::core::format::bundle::import(&std::fs::read(dir.path().join("x.zip")).unwrap()).unwrap();
    assert_eq!(bundle.entries.len(), 2);

    let r = newsmark().args(["export", "--format", "w3c", "missing.json", "--out"]).arg(dir.path()).output().unwrap();
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("missing.json"));
}

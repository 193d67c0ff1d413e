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

fn run(cmd: &mut Command) -> (Option<i32>, String) {
    let r = cmd.output().unwrap();
    (r.status.code(), String::from_utf8_lossy(&r.stderr).into_owned())
}

/// Issue 12, item 2: `extract gold/ --out gold/` overwrote hand-made `gold/y.json`.
#[test]
fn extract_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    let y = newsmark::core::format::json::export(&newsmark::core::AnnotationSet::new(newsmark::core::Document::new(
        "y",
        None,
        "Anna Berg said so.",
    )));
    std::fs::write(gold.join("y.json"), &y).unwrap();
    std::fs::write(gold.join("z.txt"), "Oslo agreed.").unwrap();
    let (code, err) = run(newsmark().args(["extract", "--quiet"]).arg(&gold).arg("--out").arg(&gold));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("would overwrite the input"), "{err}");
    assert_eq!(std::fs::read_to_string(gold.join("y.json")).unwrap(), y, "the hand-made file is untouched");
    assert!(!gold.join("z.json").exists(), "a refused run writes nothing");
    // The same folder spelt another way is still the same folder.
    let (code, _) = run(newsmark().args(["extract", "--quiet"]).arg(gold.join("y.json")).arg("--out").arg(gold.join("../gold")));
    assert_eq!(code, Some(2));
}

/// `extract a/s.txt b/s.txt --out o/` exited 0 with one output.
#[test]
fn extract_refuses_two_inputs_with_one_output() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
        std::fs::write(dir.path().join(d).join("s.txt"), format!("Article {d}.")).unwrap();
    }
    let out = dir.path().join("o");
    let (code, err) =
        run(newsmark().args(["extract", "--quiet"]).arg(dir.path().join("a/s.txt")).arg(dir.path().join("b/s.txt")).arg("--out").arg(&out));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("would both be written to"), "{err}");
    assert!(!out.join("s.json").exists());
    // One file named twice is one input, not a clash.
    let a = dir.path().join("a/s.txt");
    let (code, err) = run(newsmark().args(["extract", "--quiet"]).arg(&a).arg(&a).arg("--out").arg(&out));
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 documents"), "{err}");
}

/// `extract --jsonl x.jsonl --out x.jsonl` truncated its own input.
#[test]
fn jsonl_refuses_to_write_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.jsonl");
    let content = "{\"id\": \"a\", \"text\": \"Anna Berg said so.\"}\n";
    std::fs::write(&x, content).unwrap();
    let (code, err) = run(newsmark().args(["extract", "--quiet", "--jsonl"]).arg(&x).arg("--out").arg(dir.path().join("./x.jsonl")));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("would overwrite the input"), "{err}");
    assert_eq!(std::fs::read_to_string(&x).unwrap(), content);
}

/// A folder with a symlink back up the tree is walked once.
#[cfg(unix)]
#[test]
fn folder_walk_survives_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/a.txt"), "Oslo agreed.").unwrap();
    std::os::unix::fs::symlink(&src, src.join("sub/loop")).unwrap();
    let files = newsmark::cli_batch::expand(std::slice::from_ref(&src));
    assert_eq!(files, [src.join("sub/a.txt")]);
}

/// `export` keeps every file inside `--out` whatever the ids say, and refuses two inputs
/// with one id.
#[test]
fn export_sanitises_ids_and_refuses_one_id_twice() {
    use newsmark::core::{format::json, AnnotationSet, Document};
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, id: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, json::export(&AnnotationSet::new(Document::new(id, None, "Oslo agreed.")))).unwrap();
        p
    };
    let inputs = [write("1.json", ""), write("2.json", "."), write("3.json", ".."), write("4.json", "../../escape")];
    let out = dir.path().join("deep/out");
    let (code, err) = run(newsmark().args(["export", "--format", "json"]).args(&inputs).arg("--out").arg(&out));
    assert_eq!(code, Some(0), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["d...json", "d.._.._escape.json", "d..json", "d.json"]);
    assert!(!dir.path().join("escape.json").exists() && !dir.path().join("deep/.json").exists());

    let twice = [write("5.json", "same"), write("6.json", "same")];
    let out2 = dir.path().join("out2");
    let (code, err) = run(newsmark().args(["export", "--format", "w3c"]).args(&twice).arg("--out").arg(&out2));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("both hold document \"same\""), "{err}");
    assert!(!out2.exists(), "nothing written");

    // An export whose output is one of its inputs is refused.
    let (code, err) = run(newsmark().args(["export", "--format", "json"]).arg(&twice[0]).arg("--out").arg(dir.path()));
    // `same.json` is not `5.json`: fine. But a single-file format onto an input is not.
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = run(newsmark().args(["export", "--format", "spacy"]).arg(&twice[0]).arg("--out").arg(&twice[0]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("would overwrite the input"), "{err}");
}

/// A JSONL line over the limit is a bad line with its number; the others go through.
#[test]
fn jsonl_line_limit_is_a_clear_error() {
    use newsmark::core::model::limits::MAX_JSONL_LINE_BYTES;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let long = format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n", "a ".repeat(MAX_JSONL_LINE_BYTES / 2 + 1));
    std::fs::write(&input, format!("{{\"id\": \"a\", \"text\": \"One.\"}}\n{long}{{\"id\": \"c\", \"text\": \"Three.\"}}\n")).unwrap();
    let out = dir.path().join("out.jsonl");
    let (code, err) = run(newsmark().args(["extract", "--quiet", "--jsonl"]).arg(&input).arg("--out").arg(&out));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("line 2: too large:") && err.contains("per JSONL line"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2);
}

/// `--tagger-model` evaluates a model file without rebuilding: the committed file gives the
/// built-in model's output; a file that is not a model is a clear error (exit 2) and
/// writes nothing.
#[test]
fn extract_with_a_tagger_model_file() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Anna Berg, the mayor of Oslo, met Reuters editors in Bergen on Monday.").unwrap();
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/tagger.bin");
    let (built_in, from_file) = (dir.path().join("built-in"), dir.path().join("from-file"));
    let r = newsmark().args(["extract", "--quiet"]).arg(&article).arg("--out").arg(&built_in).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let r = newsmark().args(["extract", "--quiet", "--tagger-model"]).arg(&model).arg(&article).arg("--out").arg(&from_file).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let read = |d: &std::path::Path| std::fs::read_to_string(d.join("a.json")).unwrap();
    assert_eq!(read(&from_file), read(&built_in));
    assert!(read(&built_in).contains("Anna Berg"));

    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, "not a model").unwrap();
    let out = dir.path().join("bad-out");
    let (code, stderr) = run(newsmark().args(["extract", "--quiet", "--tagger-model"]).arg(&bad).arg(&article).arg("--out").arg(&out));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("bad.bin") && stderr.contains("not a newsmark tagger model"), "{stderr}");
    assert!(!out.exists());
}

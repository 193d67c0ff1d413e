//! `newsmark agree` as a user runs it: files, folders, bundles, the three outputs, and a
//! clear error (exit 2, nothing on stdout) for inputs that cannot be compared. The figures
//! themselves are checked against score.py and scikit-learn by `tests/agree/run`.

use std::path::Path;
use std::process::{Command, Output};

fn newsmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .args(args)
        .output()
        .expect("newsmark runs")
}

const HANDMADE: &str = "tests/interop/fixtures/handmade.json";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_file_against_itself_agrees_fully_in_every_output() {
    let text = newsmark(&["agree", HANDMADE, HANDMADE]);
    assert!(text.status.success(), "{}", stderr(&text));
    assert!(
        stdout(&text).contains("Cohen's kappa 1.000"),
        "{}",
        stdout(&text)
    );
    let json = newsmark(&["agree", HANDMADE, HANDMADE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(v["documents"], 1);
    assert_eq!(v["entities_exact"]["f"], 1.0);
    assert_eq!(v["attributions_full"]["f"], 1.0);
    let csv = newsmark(&["agree", HANDMADE, HANDMADE, "--format", "csv"]);
    assert!(stdout(&csv).starts_with("measure,label,a,b,matched,precision,recall,f1,value\n"));
    assert!(stdout(&csv).contains("token_kappa,,,,"));
}

#[test]
fn folders_and_bundles_pair_by_document_id_and_name_the_unpaired() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(HANDMADE, a.join("x.json")).unwrap();
    let other = std::fs::read_to_string(HANDMADE).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&other).unwrap();
    v["document"]["id"] = "only-in-a".into();
    std::fs::write(a.join("y.json"), v.to_string()).unwrap();
    let bundle = b.join("project.zip");
    let e = newsmark(&[
        "export",
        "--format",
        "bundle",
        HANDMADE,
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert!(e.status.success(), "{}", stderr(&e));
    let o = newsmark(&[
        "agree",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["documents"], 1);
    assert!(
        stderr(&o).contains("1 document(s) only in A, not compared: only-in-a"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn inputs_that_cannot_be_compared_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(HANDMADE).unwrap()).unwrap();
    v["document"]["text"] = "A different text.".into();
    v["entities"] = serde_json::json!([]);
    v["attributions"] = serde_json::json!([]);
    v["boilerplate"] = serde_json::json!([]);
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, v.to_string()).unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format\": ").unwrap();
    let cases: [(&Path, &str); 3] = [
        (&changed, "annotate different texts"),
        (&empty, "no .json or .zip annotation files there"),
        (&broken, "broken.json: not valid JSON"),
    ];
    for (b, want) in cases {
        let o = newsmark(&["agree", HANDMADE, b.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains(want), "{want:?} not in {}", stderr(&o));
    }
}

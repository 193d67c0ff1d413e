//! Browser tests of revisioned storage (PouchDB on IndexedDB, record layout 2): a project
//! and a document history with undo and redo steps are saved edit by edit and read back
//! exactly; an edit writes one small record; a write based on a stale revision is refused;
//! two tabs' lists merge; a damaged record is kept aside and reported, never replaced and
//! never panicking; layout-1 records and the old hand-written IndexedDB layout are
//! converted; the annotator API moves `local` records and reads anyone's set; the change
//! feed reports another store's writes. Two `Store`s opened here are
//! two tabs: each has its own PouchDB instance and revision table over one database.
//!
//! Run by `cargo test --target wasm32-unknown-unknown` in headless Chromium. The test page
//! has no index.html, so PouchDB and the bridge are evaluated here from the very files the
//! build ships (node_modules/pouchdb/dist/pouchdb.min.js, static/pouch.js).
#![cfg(target_arch = "wasm32")]

use newsmark::core::project::persist::StoredHistory;
use newsmark::core::project::records::{self as rec, Annotator, DocKey};
use newsmark::core::project::project::{DocStatus, Project};
use newsmark::core::{AnnotationSet, Document, Edit, Extent, History, Kind, Label, Span};
use newsmark::ui::pouch::Db;
use newsmark::ui::storage::{Change, StorageError, Store};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const POUCHDB: &str = include_str!("../node_modules/pouchdb/dist/pouchdb.min.js");
const BRIDGE: &str = include_str!("../static/pouch.js");

fn install() {
    let has = js_sys::Reflect::has(&js_sys::global(), &"newsmarkPouch".into()).unwrap_or(false);
    if !has {
        js_sys::Function::new_no_args(POUCHDB).call0(&JsValue::NULL).expect("pouchdb.min.js runs");
        js_sys::Function::new_no_args(BRIDGE).call0(&JsValue::NULL).expect("pouch.js runs");
    }
}

async fn fresh() -> Store {
    install();
    let store = Store::open().await.expect("PouchDB opens on IndexedDB in Chromium");
    store.clear().await.unwrap();
    store
}

fn history(id: &str) -> History {
    let text = "Maria Lopez met John Carter in Lisbon.";
    let mut h = History::new(AnnotationSet::new(Document::new(id, Some("T".into()), text)));
    for (label, a, b) in [(Label::Person, 0, 11), (Label::Person, 16, 27), (Label::Gpe, 31, 37)] {
        h.apply(&[Edit::AddEntity { label, span: Span::new(a, b) }]).unwrap();
    }
    let first = h.current().entities[0].id;
    h.apply(&[Edit::Relabel { id: first, label: Label::Org }]).unwrap();
    h.undo();
    h
}

#[wasm_bindgen_test]
async fn project_and_history_round_trip_edit_by_edit() {
    let store = fresh().await;
    assert_eq!(store.load_project().await.unwrap(), None);

    let h = history("d1");
    let mut project = Project::default();
    project.add(vec![h.current().document.clone()]);
    project.update(h.current(), h.can_undo());
    project.set_status("d1", DocStatus::Done);
    store.save(Some(&project), &[&h]).await.unwrap();

    assert_eq!(store.load_project().await.unwrap(), Some(project.clone()));
    let mut back = store.load_document("d1").await.unwrap().expect("stored");
    assert_eq!(back, h);
    assert!(back.can_redo(), "the redo step survived");
    back.redo();
    assert_eq!(back.current().entities[0].label, Label::Org);
    assert_eq!(store.load_document("missing").await.unwrap(), None);

    // Edits, undo and redo are saved one record each, and a fresh tab reads them back.
    let before = store.bytes_written();
    store.save_change(&back).await.unwrap();
    let mut h = back.clone();
    for i in 0..(rec::FOLD_EVERY + 5) as usize {
        match i % 3 {
            0 => h.apply(&[Edit::AddEntity { label: Label::Date, span: Span::new(12, 15) }]).unwrap(),
            1 => assert!(h.undo()),
            _ => assert!(h.redo()),
        }
        store.save_change(&h).await.unwrap();
    }
    let per_edit = (store.bytes_written() - before) / (rec::FOLD_EVERY + 6);
    let other = Store::open().await.unwrap();
    other.load_project().await.unwrap();
    assert_eq!(other.load_document("d1").await.unwrap(), Some(h.clone()), "snapshot + log = the session");
    // One fold happened on the way: the log holds only what came after it.
    let key = DocKey::of(&h.current().document);
    let db = Db::open("newsmark").await.unwrap();
    let log = db.all(&rec::edit_prefix(&key, &Annotator::local())).await.unwrap();
    assert!(log.len() < 10, "{} log records after a fold", log.len());
    // Small: the fold's snapshot is amortised over 64 edits.
    assert!(per_edit < 400, "{per_edit} bytes per edit");

    // Later writes of this tab win; delete removes.
    let mut h = history("d2");
    store.save_document(&h).await.unwrap();
    h.redo();
    store.save_change(&h).await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), Some(h));
    store.delete_document("d2").await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_stale_write_is_refused_and_the_other_tabs_version_kept() {
    let a = fresh().await;
    let h = history("shared");
    a.save_document(&h).await.unwrap();
    let b = Store::open().await.unwrap();
    a.load_project().await.unwrap();
    b.load_project().await.unwrap();
    // Both tabs have the document open.
    let mut in_a = a.load_document("shared").await.unwrap().unwrap();
    let mut in_b = b.load_document("shared").await.unwrap().unwrap();
    in_b.redo();
    b.save_change(&in_b).await.unwrap();
    // Tab A still holds the old log position: its write must not land.
    let id = in_a.current().entities[1].id;
    in_a.apply(&[Edit::RemoveEntity { id }]).unwrap();
    assert!(matches!(a.save_change(&in_a).await, Err(StorageError::Conflict(_))));
    let theirs = a.load_document("shared").await.unwrap().unwrap();
    assert_eq!(theirs, in_b);
    // A history not made from the stored one is refused too (never stored blindly).
    assert!(matches!(a.save_change(&in_a).await, Err(StorageError::Conflict(_))));
    // Having read the newer version, A can edit again.
    let mut next = theirs.clone();
    next.apply(&[Edit::RemoveEntity { id }]).unwrap();
    a.save_change(&next).await.unwrap();
    assert_eq!(b.load_document("shared").await.unwrap(), Some(next));
}

#[wasm_bindgen_test]
async fn two_tabs_lists_merge_an_import_survives_an_edit() {
    let a = fresh().await;
    let b = Store::open().await.unwrap();
    let old = History::new(AnnotationSet::new(Document::new("old", None, "Some text here.")));
    let mut base = Project::default();
    base.add(vec![old.current().document.clone()]);
    a.save_document(&old).await.unwrap();
    let loaded_a = a.load_project().await.unwrap().unwrap();
    let loaded_b = b.load_project().await.unwrap().unwrap();
    // Tab B imports five articles.
    let mut in_b = loaded_b.clone();
    let docs = in_b.add((1..=5).map(|i| Document::new(format!("new{i}"), None, format!("Text {i}."))).collect());
    b.save_project(&in_b, &loaded_b).await.unwrap();
    for d in docs {
        b.save_document(&History::new(AnnotationSet::new(d))).await.unwrap();
    }
    // Tab A, opened earlier, edits.
    let mut in_a = loaded_a.clone();
    in_a.set_status("old", DocStatus::Done);
    a.save_project(&in_a, &loaded_a).await.unwrap();
    let stored = b.load_project().await.unwrap().unwrap();
    assert_eq!(stored.entries.len(), 6, "{stored:?}");
    assert_eq!(stored.get("old").unwrap().status, DocStatus::Done);
    assert_eq!(a.load_project().await.unwrap(), Some(stored));
}

#[wasm_bindgen_test]
async fn damaged_records_are_kept_aside_and_reported() {
    let store = fresh().await;
    let db = Db::open("newsmark").await.unwrap();
    // A document stored fine, then its list entry damaged.
    let ok = history("ok");
    store.save_document(&ok).await.unwrap();
    let meta = rec::meta_id(&DocKey::of(&ok.current().document), &Annotator::local());
    let r = db.get(&meta).await.unwrap().unwrap();
    db.put(&meta, Some(&r.rev), "{\"entries\": [oops").await.unwrap();
    let (project, damage) = store.load_project_checked().await.unwrap();
    assert!(matches!(damage, Some(StorageError::Damaged(_))), "{damage:?}");
    let project = project.expect("rebuilt from the stored document, not empty");
    assert_eq!(project.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["ok"]);
    let asides = store.asides().await.unwrap();
    assert_eq!(asides.len(), 1);
    assert_eq!(asides[0].1.record, meta);
    assert_eq!(asides[0].1.raw, "{\"entries\": [oops");
    // The rebuilt entry was stored over the damaged one; reading again keeps nothing twice.
    assert_eq!(store.load_project_checked().await.unwrap(), (Some(project), None));
    assert_eq!(store.asides().await.unwrap().len(), 1);

    // A history whose attribution content has no fragments: refused, kept aside, no panic.
    let mut h = History::new(AnnotationSet::new(Document::new("bad", None, "Ana said it rained.")));
    h.apply(&[Edit::AddAttribution {
        kind: Kind::Indirect,
        source: Some(Span::new(0, 3)),
        cue: Some(Span::new(4, 8)),
        content: Extent::single(Span::new(9, 18)),
    }])
    .unwrap();
    store.save_document(&h).await.unwrap();
    let ann = rec::ann_id(&DocKey::of(&h.current().document), &Annotator::local());
    let r = db.get(&ann).await.unwrap().unwrap();
    let json = r.body.replace(r#""fragments":[{"start":9,"end":18}]"#, r#""fragments":[]"#);
    assert_ne!(json, r.body);
    db.put(&ann, Some(&r.rev), &json).await.unwrap();
    assert!(matches!(store.load_document("bad").await, Err(StorageError::Damaged(_))));
    assert!(matches!(store.load_document("bad").await, Err(StorageError::Damaged(_))));
    let asides = store.asides().await.unwrap();
    assert_eq!(asides.len(), 2);
    assert_eq!(asides[1].1.raw, json, "kept exactly as stored");

    // A damaged log record: the history up to it is shown, it is kept aside and removed.
    let mut good = store.load_document("ok").await.unwrap().unwrap();
    good.redo();
    store.save_change(&good).await.unwrap();
    let seq1 = rec::edit_id(&DocKey::of(&ok.current().document), &Annotator::local(), 1);
    let r = db.get(&seq1).await.unwrap().unwrap();
    db.put(&seq1, Some(&r.rev), "{broken").await.unwrap();
    let (shown, damage) = store.load_document_checked("ok").await.unwrap();
    assert_eq!(shown, Some(ok));
    assert!(matches!(damage, Some(StorageError::Damaged(_))));
    assert_eq!(db.get(&seq1).await.unwrap(), None);
    assert!(store.asides().await.unwrap().iter().any(|(_, a)| a.record == seq1 && a.raw == "{broken"));
    store.discard_aside(&asides[0].0).await.unwrap();
    assert_eq!(store.asides().await.unwrap().len(), 2);
}

/// Layout-1 records in PouchDB (`project`, `doc:<id>`, `aside:<n>`) are converted once:
/// the list, the histories with their redo steps and the asides come through; the old
/// records are gone.
#[wasm_bindgen_test]
async fn layout_one_records_are_converted() {
    let store = fresh().await;
    drop(store);
    let db = Db::open("newsmark").await.unwrap();
    let (h1, h2) = (history("one"), history("two"));
    let mut project = Project::default();
    project.add(vec![h2.current().document.clone(), h1.current().document.clone()]);
    project.set_status("one", DocStatus::Done);
    db.put("project", None, &serde_json::to_string(&project).unwrap()).await.unwrap();
    db.put("doc:one", None, &StoredHistory::to_json(&h1)).await.unwrap();
    db.put("doc:two", None, &StoredHistory::to_json(&h2)).await.unwrap();
    db.put("doc:broken", None, "{nope").await.unwrap();
    db.put("aside:000000000000001:1", None, r#"{"record":"project","reason":"r","raw":"x"}"#).await.unwrap();
    let store = Store::open().await.unwrap();
    let back = store.load_project().await.unwrap().unwrap();
    assert_eq!(back.entries, project.entries);
    assert_eq!(store.load_document("one").await.unwrap(), Some(h1));
    assert_eq!(store.load_document("two").await.unwrap(), Some(h2));
    let asides = store.asides().await.unwrap();
    assert!(asides.iter().any(|(_, a)| a.record == "doc:broken" && a.raw == "{nope"), "{asides:?}");
    assert!(asides.iter().any(|(_, a)| a.record == "project" && a.raw == "x"), "{asides:?}");
    for old in ["project", "doc:one", "doc:two", "doc:broken", "aside:000000000000001:1"] {
        assert_eq!(db.get(old).await.unwrap(), None, "{old} removed");
    }
    // A second open converts nothing again.
    let again = Store::open().await.unwrap();
    assert_eq!(again.load_project().await.unwrap().unwrap().entries, project.entries);
}

/// The annotator: `local` first; the first login moves `local`'s records to the name;
/// any annotator's set of a document can be read, and who annotated it listed.
#[wasm_bindgen_test]
async fn annotators_own_their_records() {
    let store = fresh().await;
    assert_eq!(store.annotator(), Annotator::local());
    let h = history("shared");
    store.save_document(&h).await.unwrap();
    let mut p = store.load_project().await.unwrap().unwrap();
    p.set_status("shared", DocStatus::Done);
    let base = store.load_project().await.unwrap().unwrap();
    store.save_project(&p, &base).await.unwrap();
    store.set_annotator("ana").await.unwrap();
    assert!(store.set_annotator("a:b").await.is_err(), "no colon in a name");
    assert_eq!(store.annotator().as_str(), "ana");
    let db = Db::open("newsmark").await.unwrap();
    let key = DocKey::of(&h.current().document);
    assert_eq!(db.get(&rec::ann_id(&key, &Annotator::local())).await.unwrap(), None, "moved");
    // A fresh tab reads the name back and finds ana's list and history.
    let tab = Store::open().await.unwrap();
    assert_eq!(tab.annotator().as_str(), "ana");
    assert_eq!(tab.load_project().await.unwrap().unwrap().get("shared").unwrap().status, DocStatus::Done);
    assert_eq!(tab.load_document("shared").await.unwrap(), Some(h.clone()));
    // Another annotator (as a sync would bring in) annotated the same article.
    let bo = Annotator::new("bo").unwrap();
    let mut theirs = h.clone();
    theirs.redo();
    let meta = rec::MetaRecord { entry: rec::entry_of(&theirs, DocStatus::New), added: 1, deleted: false };
    db.put(&rec::meta_id(&key, &bo), None, &rec::json_of(&meta)).await.unwrap();
    db.put(&rec::ann_id(&key, &bo), None, &rec::Snapshot::of(&theirs, 0).to_json()).await.unwrap();
    let mut who: Vec<String> = tab.annotators("shared").await.unwrap().iter().map(|a| a.to_string()).collect();
    who.sort();
    assert_eq!(who, ["ana", "bo"]);
    assert_eq!(tab.annotation_set("shared", &bo).await.unwrap().as_ref(), Some(theirs.current()));
    assert_eq!(tab.annotation_set("shared", &Annotator::new("ana").unwrap()).await.unwrap().as_ref(), Some(h.current()));
    assert_eq!(tab.annotation_set("shared", &Annotator::new("cy").unwrap()).await.unwrap(), None);
    // Bo's records are not ana's list.
    assert_eq!(tab.load_project().await.unwrap().unwrap().entries.len(), 1);
}

/// Resolves when `p` does; `p` is a JS expression evaluating to a promise.
async fn run_js(expr: &str) -> JsValue {
    let p: js_sys::Promise = js_sys::eval(expr).expect("valid JS").into();
    JsFuture::from(p).await.expect("the JS promise resolves")
}

#[wasm_bindgen_test]
async fn the_old_indexeddb_layout_is_migrated() {
    let store = fresh().await;
    drop(store);
    let h = history("legacy-doc");
    let mut project = Project::default();
    project.add(vec![h.current().document.clone()]);
    let doc_json = StoredHistory::to_json(&h);
    let project_json = serde_json::to_string(&project).unwrap();
    // The layout the app wrote before PouchDB: database `newsmark` v1, stores project/docs.
    let setup = format!(
        r#"new Promise((resolve, reject) => {{
            const r = indexedDB.open("newsmark", 1);
            r.onupgradeneeded = () => {{ r.result.createObjectStore("project"); r.result.createObjectStore("docs"); }};
            r.onerror = () => reject(r.error);
            r.onsuccess = () => {{
                const tx = r.result.transaction(["project", "docs"], "readwrite");
                tx.objectStore("project").put({p}, "project");
                tx.objectStore("docs").put({d}, "legacy-doc");
                tx.oncomplete = () => {{ r.result.close(); resolve(true); }};
                tx.onerror = () => reject(tx.error);
            }};
        }})"#,
        p = serde_json::to_string(&project_json).unwrap(),
        d = serde_json::to_string(&doc_json).unwrap(),
    );
    run_js(&setup).await;
    let store = Store::open().await.unwrap();
    assert_eq!(store.load_project().await.unwrap().map(|p| p.entries), Some(project.entries));
    assert_eq!(store.load_document("legacy-doc").await.unwrap(), Some(h));
    let names = run_js("indexedDB.databases().then(l => l.map(d => d.name).join(','))").await;
    let names = names.as_string().unwrap();
    assert!(!names.split(',').any(|n| n == "newsmark"), "the old database is deleted: {names}");
}

#[wasm_bindgen_test]
async fn the_change_feed_reports_another_tabs_write() {
    let a = fresh().await;
    let b = Store::open().await.unwrap();
    let seen: Rc<RefCell<Vec<(Change, String)>>> = Rc::default();
    let (tx, rx) = futures_channel();
    let s2 = seen.clone();
    let tx = RefCell::new(Some(tx));
    let _watch = a
        .watch(move |change, rev| {
            s2.borrow_mut().push((change.clone(), rev));
            if matches!(&change, Change::Document { id, record } if id == "fed" && record.starts_with("edit:")) {
                if let Some(resolve) = tx.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        })
        .unwrap();
    // A lists the document (as after its first load), B edits it.
    let h = history("fed");
    a.save_document(&h).await.unwrap();
    b.load_project().await.unwrap();
    let mut in_b = b.load_document("fed").await.unwrap().unwrap();
    in_b.redo();
    b.save_change(&in_b).await.unwrap();
    JsFuture::from(rx).await.unwrap();
    let (record, rev) = seen
        .borrow()
        .iter()
        .find_map(|(c, rev)| match c {
            Change::Document { id, record } if id == "fed" && record.starts_with("edit:") => Some((record.clone(), rev.clone())),
            _ => None,
        })
        .expect("B's edit record was seen");
    assert!(!a.knows(&record, &rev), "A did not write it");
    assert!(b.knows(&record, &rev), "B did");
    // Another annotator's record (as replication brings it in) is a team change only.
    let db = Db::open("newsmark").await.unwrap();
    let theirs = rec::meta_id(&DocKey::of(&h.current().document), &Annotator::new("bo").unwrap());
    let meta = rec::MetaRecord { entry: rec::entry_of(&h, DocStatus::New), added: 1, deleted: false };
    db.put(&theirs, None, &rec::json_of(&meta)).await.unwrap();
    let (tx, rx) = futures_channel();
    let tx = RefCell::new(Some(tx));
    let want = theirs.clone();
    let _team = a
        .watch(move |change, _| {
            if change == (Change::Team { record: want.clone() }) {
                if let Some(resolve) = tx.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        })
        .unwrap();
    let again = rec::MetaRecord { deleted: true, ..meta };
    let rev = db.get(&theirs).await.unwrap().unwrap().rev;
    db.put(&theirs, Some(&rev), &rec::json_of(&again)).await.unwrap();
    JsFuture::from(rx).await.unwrap();
    assert!(!seen.borrow().iter().any(|(c, _)| matches!(c, Change::Project { record } if *record == theirs)), "not this annotator's list");
}

/// A promise and its resolve function (the watch callback is not async).
fn futures_channel() -> (js_sys::Function, js_sys::Promise) {
    let mut resolve = None;
    let p = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    (resolve.expect("the executor runs at once"), p)
}

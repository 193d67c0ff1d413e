//! Browser tests of revisioned storage (PouchDB on IndexedDB): a project and a document
//! history with undo and redo steps are saved and read back exactly; a write based on a
//! stale revision is refused; two tabs' lists merge; a damaged record is kept aside and
//! reported, never replaced and never panicking; the old hand-written IndexedDB layout is
//! migrated; the change feed reports another store's writes. Two `Store`s opened here are
//! two tabs: each has its own PouchDB instance and revision table over one database.
//!
//! Run by `cargo test --target wasm32-unknown-unknown` in headless Chromium. The test page
//! has no index.html, so PouchDB and the bridge are evaluated here from the very files the
//! build ships (node_modules/pouchdb/dist/pouchdb.min.js, static/pouch.js).
#![cfg(target_arch = "wasm32")]

use newsmark::core::project::persist::StoredHistory;
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
async fn project_and_history_round_trip() {
    let store = fresh().await;
    assert_eq!(store.load_project().await.unwrap(), None);

    let h = history("d1");
    let mut project = Project::default();
    project.add(vec![h.current().document.clone()]);
    project.update(h.current(), h.can_undo());
    project.set_status("d1", DocStatus::Done);
    store.save(Some(&project), &[&h]).await.unwrap();

    assert_eq!(store.load_project().await.unwrap(), Some(project));
    let mut back = store.load_document("d1").await.unwrap().expect("stored");
    assert_eq!(back, h);
    assert!(back.can_redo(), "the redo step survived");
    back.redo();
    assert_eq!(back.current().entities[0].label, Label::Org);
    assert_eq!(store.load_document("missing").await.unwrap(), None);

    // Later writes of this tab win; delete removes.
    let mut h = history("d2");
    store.save_document(&h).await.unwrap();
    h.redo();
    store.put_document_json("d2", &StoredHistory::to_json(&h)).await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), Some(h));
    store.delete_document("d2").await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_stale_write_is_refused_and_the_other_tabs_version_kept() {
    let a = fresh().await;
    let b = Store::open().await.unwrap();
    let h = history("shared");
    a.save_document(&h).await.unwrap();
    // Both tabs have the document open.
    let mut in_a = a.load_document("shared").await.unwrap().unwrap();
    let mut in_b = b.load_document("shared").await.unwrap().unwrap();
    in_b.redo();
    b.save_document(&in_b).await.unwrap();
    // Tab A still holds the old revision: its write must not land.
    let id = in_a.current().entities[1].id;
    in_a.apply(&[Edit::RemoveEntity { id }]).unwrap();
    assert!(matches!(a.save_document(&in_a).await, Err(StorageError::Conflict(_))));
    assert_eq!(a.load_document("shared").await.unwrap(), Some(in_b));
    // Having read the newer revision, A can write again.
    a.save_document(&in_a).await.unwrap();
}

#[wasm_bindgen_test]
async fn two_tabs_lists_merge_an_import_survives_an_edit() {
    let a = fresh().await;
    let b = Store::open().await.unwrap();
    let mut base = Project::default();
    base.add(vec![Document::new("old", None, "Some text here.")]);
    a.save_project(&base, &base).await.unwrap();
    let loaded_a = a.load_project().await.unwrap().unwrap();
    let loaded_b = b.load_project().await.unwrap().unwrap();
    // Tab B imports five articles.
    let mut in_b = loaded_b.clone();
    in_b.add((1..=5).map(|i| Document::new(format!("new{i}"), None, "Text.")).collect());
    b.save_project(&in_b, &loaded_b).await.unwrap();
    // Tab A, opened earlier, edits.
    let mut in_a = loaded_a.clone();
    in_a.set_status("old", DocStatus::Done);
    let stored = a.save_project(&in_a, &loaded_a).await.unwrap();
    assert_eq!(stored.entries.len(), 6, "{stored:?}");
    assert_eq!(stored.get("old").unwrap().status, DocStatus::Done);
    assert_eq!(b.load_project().await.unwrap(), Some(stored));
}

#[wasm_bindgen_test]
async fn damaged_records_are_kept_aside_and_reported() {
    let store = fresh().await;
    let db = Db::open("newsmark").await.unwrap();
    // A document stored fine, then an unreadable list.
    store.save_document(&history("ok")).await.unwrap();
    db.put("project", None, "{\"entries\": [oops").await.unwrap();
    let (project, damage) = store.load_project_checked().await.unwrap();
    assert!(matches!(damage, Some(StorageError::Damaged(_))), "{damage:?}");
    let project = project.expect("rebuilt from the stored documents, not empty");
    assert_eq!(project.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["ok"]);
    let asides = store.asides().await.unwrap();
    assert_eq!(asides.len(), 1);
    assert_eq!(asides[0].1.record, "project");
    assert_eq!(asides[0].1.raw, "{\"entries\": [oops");
    // The rebuilt list was stored over the damaged one; reading again keeps nothing twice.
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
    let json = StoredHistory::to_json(&h).replace(r#""fragments":[{"start":9,"end":18}]"#, r#""fragments":[]"#);
    db.put("doc:bad", None, &json).await.unwrap();
    assert!(matches!(store.load_document("bad").await, Err(StorageError::Damaged(_))));
    assert!(matches!(store.load_document("bad").await, Err(StorageError::Damaged(_))));
    let asides = store.asides().await.unwrap();
    assert_eq!(asides.len(), 2);
    assert_eq!(asides[1].1.raw, json, "kept exactly as stored");
    store.discard_aside(&asides[0].0).await.unwrap();
    assert_eq!(store.asides().await.unwrap().len(), 1);
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
    assert_eq!(store.load_project().await.unwrap(), Some(project));
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
            if change == Change::Document("fed".into()) {
                if let Some(resolve) = tx.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        })
        .unwrap();
    b.save_document(&history("fed")).await.unwrap();
    JsFuture::from(rx).await.unwrap();
    let (_, rev) = seen.borrow().iter().find(|(c, _)| *c == Change::Document("fed".into())).cloned().unwrap();
    assert!(!a.knows(&Store::doc_record("fed"), &rev), "A did not write it");
    assert!(b.knows(&Store::doc_record("fed"), &rev), "B did");
}

/// A promise and its resolve function (the watch callback is not async).
fn futures_channel() -> (js_sys::Function, js_sys::Promise) {
    let mut resolve = None;
    let p = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
    (resolve.expect("the executor runs at once"), p)
}

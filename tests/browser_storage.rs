//! Browser tests of IndexedDB persistence: a project and a document history with undo and
//! redo steps are saved and read back exactly. Run by `cargo test --target
//! wasm32-unknown-unknown` in headless Chromium.
#![cfg(target_arch = "wasm32")]

use newsmark::core::project::project::{DocStatus, Project};
use newsmark::core::{AnnotationSet, Document, Edit, History, Label, Span};
use newsmark::ui::storage::Store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
    let store = Store::open().await.expect("IndexedDB opens in Chromium");
    store.clear().await.unwrap();
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
}

#[wasm_bindgen_test]
async fn later_writes_win_and_delete_removes() {
    let store = Store::open().await.unwrap();
    let mut h = history("d2");
    store.save_document(&h).await.unwrap();
    h.redo();
    let json = newsmark::core::project::persist::StoredHistory::to_json(&h);
    store.put_document_json("d2", json).await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), Some(h));
    store.delete_document("d2").await.unwrap();
    assert_eq!(store.load_document("d2").await.unwrap(), None);
}

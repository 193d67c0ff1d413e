//! The hand-written IndexedDB layout newsmark used before PouchDB (database `newsmark`,
//! version 1: store `project` with key `"project"`, store `docs` keyed by document id, all
//! values JSON strings). Only read, once, to migrate an existing user's work into PouchDB
//! ([`crate::ui::storage::Store::open`]); deleted after every record was copied.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "newsmark";
const PROJECT: &str = "project";
const DOCS: &str = "docs";

/// Everything the old database held, as stored (raw JSON, parsed later like any record).
#[derive(Debug, Default)]
pub struct Legacy {
    pub project: Option<String>,
    pub docs: Vec<(String, String)>,
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "IndexedDB error".into())
}

/// Resolves with the request's result, or its error.
async fn request(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r2 = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r3 = req.clone();
        let fail = Closure::once_into_js(move || {
            let err = r3.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| message(&e))
}

fn factory() -> Result<web_sys::IdbFactory, String> {
    web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| message(&e))?
        .ok_or_else(|| "IndexedDB is disabled".to_string())
}

/// The old database's contents, or `None` when there is no old database. Opening never
/// creates one: a version-change from version 0 (nothing there) is aborted.
pub async fn read() -> Result<Option<Legacy>, String> {
    let open: IdbOpenDbRequest = factory()?.open(DB_NAME).map_err(|e| message(&e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |e: web_sys::IdbVersionChangeEvent| {
        if e.old_version() == 0.0 {
            if let Some(tx) = e.target().and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok()).and_then(|r| r.transaction()) {
                let _ = tx.abort();
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request(&open).await;
    drop(upgrade);
    let Ok(db) = result else { return Ok(None) };
    let db: IdbDatabase = db.dyn_into().map_err(|_| "not a database".to_string())?;
    let names = db.object_store_names();
    if !names.contains(PROJECT) || !names.contains(DOCS) {
        db.close();
        return Ok(None);
    }
    let stores = js_sys::Array::of2(&PROJECT.into(), &DOCS.into());
    let tx = db.transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readonly).map_err(|e| message(&e))?;
    let project_req = tx.object_store(PROJECT).and_then(|s| s.get(&PROJECT.into())).map_err(|e| message(&e))?;
    let docs = tx.object_store(DOCS).map_err(|e| message(&e))?;
    let keys_req = docs.get_all_keys().map_err(|e| message(&e))?;
    let values_req = docs.get_all().map_err(|e| message(&e))?;
    let project = request(&project_req).await?.as_string();
    let keys = js_sys::Array::from(&request(&keys_req).await?);
    let values = js_sys::Array::from(&request(&values_req).await?);
    db.close();
    let docs = keys
        .iter()
        .zip(values.iter())
        .filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?)))
        .collect();
    Ok(Some(Legacy { project, docs }))
}

/// Deletes the old database (after its records were copied).
pub async fn delete() -> Result<(), String> {
    let req = factory()?.delete_database(DB_NAME).map_err(|e| message(&e))?;
    request(&req).await.map(|_| ())
}

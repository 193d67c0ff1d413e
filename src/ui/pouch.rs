//! The PouchDB calls newsmark makes, bound from the small JS bridge `static/pouch.js`
//! (`window.newsmarkPouch`), which loads PouchDB itself on first use.
//!
//! Records are `{id, rev, body}` with `body` a JSON string. Every call is `catch`: a missing
//! bridge (a page without `pouch.js`) or a PouchDB error comes back as a typed
//! [`PouchError`], never as a panic.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = open, catch)]
    fn js_open(name: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = get, catch)]
    fn js_get(db: &JsValue, id: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = all, catch)]
    fn js_all(db: &JsValue, prefix: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = put, catch)]
    fn js_put(db: &JsValue, id: &str, rev: Option<String>, body: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = remove, catch)]
    fn js_remove(db: &JsValue, id: &str, rev: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = watch, catch)]
    fn js_watch(db: &JsValue, on_change: &Function) -> Result<Function, JsValue>;
}

/// A PouchDB failure: its HTTP-like status (409 = stale revision, 404 = missing) and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PouchError {
    pub status: u32,
    pub name: String,
    pub message: String,
}

impl PouchError {
    pub fn is_conflict(&self) -> bool {
        self.status == 409
    }

    fn from_js(e: JsValue) -> PouchError {
        let field = |k: &str| Reflect::get(&e, &JsValue::from_str(k)).ok();
        let text = |k: &str| field(k).and_then(|v| v.as_string());
        let message = text("message")
            .or_else(|| e.dyn_ref::<js_sys::Error>().map(|x| String::from(x.message())))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".into());
        PouchError {
            status: field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u32,
            name: text("name").unwrap_or_else(|| "Error".into()),
            message,
        }
    }
}

/// One stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub rev: String,
    pub body: String,
}

fn record(v: &JsValue) -> Option<Record> {
    let s = |k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_string());
    Some(Record { id: s("id")?, rev: s("rev")?, body: s("body").unwrap_or_default() })
}

/// Waits until the bridge has run. `pouch.js` is a deferred script, and the app's module
/// script may start (and open storage) before it, on a loaded machine: seen as "storage is
/// unavailable (newsmarkPouch is not defined)" in two starts of ten under load. Every deferred
/// script has run by the window's `load` event, so a missing bridge waits for it; after
/// `load`, a missing bridge is reported by the first call, as before.
async fn bridge_loaded() {
    let Some(window) = web_sys::window() else { return };
    let loaded = || Reflect::has(&js_sys::global(), &JsValue::from_str("newsmarkPouch")).unwrap_or(false);
    let complete = window.document().is_some_and(|d| d.ready_state() == "complete");
    if loaded() || complete {
        return;
    }
    // No await between the check and the listener: `load` cannot slip in between.
    let once = Promise::new(&mut |resolve, _reject| {
        let _ = window.add_event_listener_with_callback("load", &resolve);
    });
    let _ = JsFuture::from(once).await;
}

async fn settle(p: Result<Promise, JsValue>) -> Result<JsValue, PouchError> {
    let p = p.map_err(PouchError::from_js)?;
    JsFuture::from(p).await.map_err(PouchError::from_js)
}

/// An open local database (a JS handle; cheap to clone).
#[derive(Clone, Debug, PartialEq)]
pub struct Db(JsValue);

/// Stops a change feed when dropped.
pub struct Watch {
    cancel: Function,
    _callback: Closure<dyn FnMut(String, String, bool)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.cancel.call0(&JsValue::NULL);
    }
}

impl Db {
    /// The PouchDB object, for the other bridges (team sync) that take a database.
    pub(crate) fn js(&self) -> &JsValue {
        &self.0
    }

    /// Opens (creating on first use) the IndexedDB-backed database `name`.
    pub async fn open(name: &str) -> Result<Db, PouchError> {
        bridge_loaded().await;
        settle(js_open(name)).await.map(Db)
    }

    /// The record `id`, or `None` when there is none.
    pub async fn get(&self, id: &str) -> Result<Option<Record>, PouchError> {
        let v = settle(js_get(&self.0, id)).await?;
        Ok(if v.is_null() || v.is_undefined() { None } else { record(&v) })
    }

    /// Every record whose id starts with `prefix`, in id order.
    pub async fn all(&self, prefix: &str) -> Result<Vec<Record>, PouchError> {
        let v = settle(js_all(&self.0, prefix)).await?;
        Ok(js_sys::Array::from(&v).iter().filter_map(|r| record(&r)).collect())
    }

    /// Writes `body` over revision `rev` (`None`: a new record); the new revision back. A
    /// stale revision writes nothing and fails with status 409.
    pub async fn put(&self, id: &str, rev: Option<&str>, body: &str) -> Result<String, PouchError> {
        let v = settle(js_put(&self.0, id, rev.map(str::to_string), body)).await?;
        Ok(v.as_string().unwrap_or_default())
    }

    /// Removes revision `rev` of record `id`; the deletion's revision back.
    pub async fn remove(&self, id: &str, rev: &str) -> Result<String, PouchError> {
        settle(js_remove(&self.0, id, rev)).await.map(|v| v.as_string().unwrap_or_default())
    }

    /// Calls `on_change(id, rev, deleted)` for every later change, from this tab or another.
    pub fn watch(&self, on_change: impl FnMut(String, String, bool) + 'static) -> Result<Watch, PouchError> {
        let callback = Closure::<dyn FnMut(String, String, bool)>::new(on_change);
        let cancel = js_watch(&self.0, callback.as_ref().unchecked_ref()).map_err(PouchError::from_js)?;
        Ok(Watch { cancel, _callback: callback })
    }
}

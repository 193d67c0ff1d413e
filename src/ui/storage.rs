//! IndexedDB persistence: the project list and one stored undo history per document.
//!
//! Plain `web_sys` Idb* calls behind three futures (open, read, write) instead of a wrapper
//! crate: the app needs two object stores and whole-record puts, which costs a few hundred
//! bytes of wasm here against tens of kilobytes for `rexie`/`indexed_db_futures`.
//!
//! Layout (database `newsmark`, version 1):
//! - store `project`, key `"project"`: the [`Project`] as JSON;
//! - store `docs`, key = document id: the history as [`StoredHistory`] JSON (text once,
//!   snapshots as deltas).
//!
//! Every write waits for the transaction to *complete*, so a full disk (QuotaExceededError,
//! reported on the transaction) comes back as [`StorageError::Full`] instead of being lost.
//! Writes are issued in order and IndexedDB runs overlapping read-write transactions in
//! the order they were created, so the last change always wins.

use crate::core::model::history::History;
use crate::core::project::persist::{RestoreError, StoredHistory};
use crate::core::project::project::Project;
use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "newsmark";
const DB_VERSION: u32 = 1;
const PROJECT: &str = "project";
const DOCS: &str = "docs";

/// Why storage failed; shown to the user as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// No IndexedDB (private mode in some browsers, disabled storage, `file://` in some).
    Unavailable(String),
    /// The quota is used up.
    Full,
    /// A stored record could not be read back.
    Damaged(String),
    /// Anything else the browser reported.
    Failed(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable(m) => {
                write!(f, "browser storage is unavailable ({m}): changes are not saved, export your work")
            }
            StorageError::Full => write!(f, "browser storage is full: changes are not saved, export your work and delete documents you no longer need"),
            StorageError::Damaged(m) => write!(f, "a saved document could not be read: {m}"),
            StorageError::Failed(m) => write!(f, "saving failed ({m}): export your work"),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<RestoreError> for StorageError {
    fn from(e: RestoreError) -> StorageError {
        StorageError::Damaged(e.to_string())
    }
}

/// A readable message from a thrown JS value.
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown browser error".to_string())
}

/// Maps a DOMException (or anything thrown) to a typed error.
fn classify(e: &JsValue) -> StorageError {
    if let Some(dom) = e.dyn_ref::<web_sys::DomException>() {
        return match dom.name().as_str() {
            "QuotaExceededError" => StorageError::Full,
            "SecurityError" | "InvalidStateError" | "NotAllowedError" => StorageError::Unavailable(dom.message()),
            _ => StorageError::Failed(format!("{}: {}", dom.name(), dom.message())),
        };
    }
    StorageError::Failed(js_message(e))
}

/// What the status line shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// Opening the database and reading the project.
    Loading,
    /// A write is in flight.
    Saving,
    /// Everything up to the last change is stored.
    Saved,
    /// Storage cannot be used or a write failed; the message says what to do.
    Error(StorageError),
}

impl SaveStatus {
    pub fn text(&self) -> String {
        match self {
            SaveStatus::Loading => "Opening saved work…".into(),
            SaveStatus::Saving => "Saving…".into(),
            SaveStatus::Saved => "All changes saved in this browser".into(),
            SaveStatus::Error(e) => e.to_string(),
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, SaveStatus::Error(_))
    }
}

/// Resolves when `req` succeeds (with its result) or fails.
async fn request(req: &IdbRequest) -> Result<JsValue, StorageError> {
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
    JsFuture::from(promise).await.map_err(|e| classify(&e))
}

/// Resolves when a transaction commits; an abort (quota, I/O) is an error.
async fn committed(tx: &IdbTransaction) -> Result<(), StorageError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t2 = tx.clone();
        let aborted = Closure::once_into_js(move || {
            let err = t2.error().map(JsValue::from).unwrap_or_else(|| JsValue::from_str("transaction aborted"));
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        tx.set_oncomplete(Some(done.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| classify(&e))
}

/// An open database. Cheap to clone (one JS handle).
#[derive(Clone, Debug)]
pub struct Store {
    db: IdbDatabase,
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        self.db == other.db
    }
}

impl Store {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Store, StorageError> {
        let unavailable = |m: &str| StorageError::Unavailable(m.to_string());
        let window = web_sys::window().ok_or_else(|| unavailable("no window"))?;
        // `indexed_db()` throws in some sandboxed contexts and is `None` where disabled.
        let factory = window
            .indexed_db()
            .map_err(|e| StorageError::Unavailable(js_message(&e)))?
            .ok_or_else(|| unavailable("IndexedDB is disabled"))?;
        let open: IdbOpenDbRequest =
            factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| StorageError::Unavailable(js_message(&e)))?;
        let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |e: web_sys::IdbVersionChangeEvent| {
                let Some(req) = e.target().and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok()) else { return };
                let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>().map_err(JsValue::from)) else {
                    return;
                };
                let names = db.object_store_names();
                for store in [PROJECT, DOCS] {
                    if !names.contains(store) {
                        let _ = db.create_object_store(store);
                    }
                }
            },
        );
        open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = request(&open).await;
        drop(upgrade);
        let db: IdbDatabase = result
            .map_err(|e| match e {
                StorageError::Failed(m) => StorageError::Unavailable(m),
                other => other,
            })?
            .dyn_into()
            .map_err(|_| unavailable("not a database"))?;
        Ok(Store { db })
    }

    fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        self.db.transaction_with_str_sequence_and_mode(&names, mode).map_err(|e| classify(&e))
    }

    async fn get_string(&self, store: &str, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.tx(&[store], IdbTransactionMode::Readonly)?;
        let req = tx.object_store(store).and_then(|s| s.get(&JsValue::from_str(key))).map_err(|e| classify(&e))?;
        let value = request(&req).await?;
        Ok(value.as_string())
    }

    /// The saved project, if any.
    pub async fn load_project(&self) -> Result<Option<Project>, StorageError> {
        match self.get_string(PROJECT, PROJECT).await? {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| StorageError::Damaged(e.to_string())),
        }
    }

    /// The saved history of one document, if any.
    pub async fn load_document(&self, id: &str) -> Result<Option<History>, StorageError> {
        match self.get_string(DOCS, id).await? {
            None => Ok(None),
            Some(json) => Ok(Some(StoredHistory::from_json(&json)?)),
        }
    }

    /// Saves the project list and any number of document histories in one transaction:
    /// either all of it is stored or none (a crash in between leaves the previous state).
    pub async fn save(&self, project: Option<&Project>, docs: &[&History]) -> Result<(), StorageError> {
        let tx = self.tx(&[PROJECT, DOCS], IdbTransactionMode::Readwrite)?;
        let put = |store: &str, key: &str, json: String| -> Result<(), StorageError> {
            tx.object_store(store)
                .and_then(|s| s.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(key)))
                .map(|_| ())
                .map_err(|e| classify(&e))
        };
        if let Some(p) = project {
            put(PROJECT, PROJECT, serde_json::to_string(p).expect("a project always serialises"))?;
        }
        for h in docs {
            put(DOCS, &h.current().document.id, StoredHistory::to_json(h))?;
        }
        committed(&tx).await
    }

    /// Stores an already serialised [`StoredHistory`] (the autosave serialises first, so it
    /// can skip writes that would store the same bytes again).
    pub async fn put_document_json(&self, id: &str, json: String) -> Result<(), StorageError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readwrite)?;
        tx.object_store(DOCS)
            .and_then(|s| s.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(id)))
            .map_err(|e| classify(&e))?;
        committed(&tx).await
    }

    /// Saves one document's history.
    pub async fn save_document(&self, history: &History) -> Result<(), StorageError> {
        self.save(None, &[history]).await
    }

    /// Drops a document's stored history (after its trash slot is reused).
    pub async fn delete_document(&self, id: &str) -> Result<(), StorageError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readwrite)?;
        tx.object_store(DOCS).and_then(|s| s.delete(&JsValue::from_str(id))).map_err(|e| classify(&e))?;
        committed(&tx).await
    }

    /// Removes everything (tests, and "start over").
    pub async fn clear(&self) -> Result<(), StorageError> {
        let tx = self.tx(&[PROJECT, DOCS], IdbTransactionMode::Readwrite)?;
        for s in [PROJECT, DOCS] {
            tx.object_store(s).and_then(|s| s.clear()).map_err(|e| classify(&e))?;
        }
        committed(&tx).await
    }
}


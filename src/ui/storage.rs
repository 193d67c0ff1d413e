//! Revisioned local storage: the project list and one stored undo history per document,
//! in a PouchDB database (IndexedDB underneath, see [`crate::ui::pouch`]).
//!
//! Records (database `newsmark`):
//! - `project`: the [`Project`] as JSON;
//! - `doc:<id>`: one document's history as [`StoredHistory`] JSON;
//! - `aside:<n>`: something kept aside instead of lost: a record that failed to parse, or
//!   this tab's version of a document that another tab changed at the same moment
//!   ([`Aside`]); the app lists them with "Export raw".
//!
//! Every write names the revision it is based on (the last one this tab read or wrote), so
//! a write based on a stale revision fails (409) instead of overwriting another tab's work:
//! the project list is then merged ([`Project::merge`]) and written again, a document is
//! kept aside and the newer version followed ([`crate::ui::persist`]). A `Store` is shared
//! by one tab; other tabs have their own and see each change through [`Store::watch`].

use crate::core::model::history::History;
use crate::core::project::persist::{RestoreError, StoredHistory};
use crate::core::project::project::Project;
use crate::ui::pouch::{Db, PouchError, Watch};
use crate::ui::storage_legacy;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

const DB_NAME: &str = "newsmark";
const PROJECT: &str = "project";
const DOC_PREFIX: &str = "doc:";
const ASIDE_PREFIX: &str = "aside:";

/// Why storage failed; shown to the user as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// No storage engine (IndexedDB disabled, private mode in some browsers, or the page was
    /// built without `pouch.js`).
    Unavailable(String),
    /// The quota is used up.
    Full,
    /// A stored record could not be read back; it was kept aside.
    Damaged(String),
    /// Another tab wrote the record since this tab read it; nothing was overwritten.
    Conflict(String),
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
            StorageError::Damaged(m) => write!(f, "a saved record could not be read and was kept aside: {m}"),
            StorageError::Conflict(m) => write!(f, "{m} was changed in another tab at the same time: that version is shown, yours is kept aside (export it below)"),
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

fn classify(e: PouchError) -> StorageError {
    let text = format!("{} {}", e.name, e.message);
    if text.contains("QuotaExceeded") || text.to_lowercase().contains("quota") {
        StorageError::Full
    } else if e.message.contains("pouchdb") || e.name == "ReferenceError" || e.name.contains("idb") {
        StorageError::Unavailable(e.message)
    } else {
        StorageError::Failed(format!("{}: {}", e.name, e.message))
    }
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

/// A record kept aside instead of being lost.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Aside {
    /// The storage record id it came from (`project`, `doc:<id>`).
    pub record: String,
    /// Why it was kept aside, in words.
    pub reason: String,
    /// The record's body exactly as it was.
    pub raw: String,
}

/// A change seen on the database (this tab's own writes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Project,
    Document(String),
    Aside,
}

/// The open database of one tab. Cheap to clone (shared handle and revision table).
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Record id → the revision this tab last read or wrote.
    revs: Rc<RefCell<HashMap<String, String>>>,
    /// Every (record id, revision) this tab read or wrote: a change-feed event for one of
    /// them is this tab's own, even when it arrives after a later write.
    seen: Rc<RefCell<HashSet<(String, String)>>>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        self.db == other.db
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Store")
    }
}

fn doc_key(id: &str) -> String {
    format!("{DOC_PREFIX}{id}")
}

impl Store {
    /// Opens (and on first use creates) the database, moving an existing user's work over
    /// from the old hand-written IndexedDB layout first.
    pub async fn open() -> Result<Store, StorageError> {
        let db = Db::open(DB_NAME).await.map_err(|e| StorageError::Unavailable(e.message))?;
        let store = Store { db, revs: Rc::default(), seen: Rc::default() };
        store.migrate().await?;
        Ok(store)
    }

    /// Copies the old database's records (raw, so a damaged one is kept aside on first read
    /// like any other), then deletes it. A copy that was interrupted is finished on the
    /// next start: records already copied conflict and are left as they are.
    async fn migrate(&self) -> Result<(), StorageError> {
        let Ok(Some(old)) = storage_legacy::read().await else { return Ok(()) };
        let put_new = |id: String, body: String| async move {
            match self.db.put(&id, None, &body).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_conflict() => Ok(()),
                Err(e) => Err(classify(e)),
            }
        };
        for (id, json) in old.docs {
            put_new(doc_key(&id), json).await?;
        }
        if let Some(p) = old.project {
            put_new(PROJECT.to_string(), p).await?;
        }
        storage_legacy::delete().await.map_err(StorageError::Failed)
    }

    fn rev(&self, id: &str) -> Option<String> {
        self.revs.borrow().get(id).cloned()
    }

    fn set_rev(&self, id: &str, rev: String) {
        self.seen.borrow_mut().insert((id.to_string(), rev.clone()));
        self.revs.borrow_mut().insert(id.to_string(), rev);
    }

    /// Whether this tab wrote or read revision `rev` of record `id`.
    pub fn knows(&self, id: &str, rev: &str) -> bool {
        self.seen.borrow().contains(&(id.to_string(), rev.to_string()))
    }

    /// Keeps `raw` aside under a fresh id (never overwriting anything); once per record
    /// and body, however often the damaged record is read.
    pub async fn keep_aside(&self, record: &str, reason: String, raw: String) -> Result<(), StorageError> {
        if self.asides().await?.iter().any(|(_, a)| a.record == record && a.raw == raw) {
            return Ok(());
        }
        let aside = Aside { record: record.to_string(), reason, raw };
        let body = serde_json::to_string(&aside).expect("strings always serialise");
        let stamp = js_sys::Date::now() as u64;
        let id = format!("{ASIDE_PREFIX}{stamp:015}:{}", js_sys::Math::random().to_bits() % 1_000_000);
        self.db.put(&id, None, &body).await.map(|_| ()).map_err(classify)
    }

    /// Everything kept aside, oldest first, with its record id.
    pub async fn asides(&self) -> Result<Vec<(String, Aside)>, StorageError> {
        let records = self.db.all(ASIDE_PREFIX).await.map_err(classify)?;
        Ok(records
            .into_iter()
            .map(|r| {
                let aside = serde_json::from_str(&r.body).unwrap_or_else(|_| Aside {
                    record: r.id.clone(),
                    reason: "an unreadable note".into(),
                    raw: r.body.clone(),
                });
                (r.id, aside)
            })
            .collect())
    }

    /// Drops one kept-aside record (the user exported or dismissed it).
    pub async fn discard_aside(&self, id: &str) -> Result<(), StorageError> {
        if let Some(r) = self.db.get(id).await.map_err(classify)? {
            self.db.remove(id, &r.rev).await.map_err(classify)?;
        }
        Ok(())
    }

    /// The saved project, if any. A record that does not parse is kept aside and the list
    /// rebuilt from the stored documents (never replaced by an empty one); the error says so.
    pub async fn load_project(&self) -> Result<Option<Project>, StorageError> {
        Ok(self.load_project_checked().await?.0)
    }

    /// [`Store::load_project`], plus the damage it found (already kept aside).
    pub async fn load_project_checked(&self) -> Result<(Option<Project>, Option<StorageError>), StorageError> {
        let Some(r) = self.db.get(PROJECT).await.map_err(classify)? else { return Ok((None, None)) };
        self.set_rev(PROJECT, r.rev.clone());
        match serde_json::from_str::<Project>(&r.body) {
            Ok(p) => Ok((Some(p), None)),
            Err(e) => {
                let reason = format!("the project list could not be read ({e})");
                self.keep_aside(PROJECT, reason.clone(), r.body).await?;
                // The raw list is safe aside: store the rebuilt one over it, so the next
                // read (here or in another tab) finds a list again.
                let rebuilt = self.rebuild_project().await?;
                let body = serde_json::to_string(&rebuilt).expect("a project always serialises");
                if let Ok(rev) = self.db.put(PROJECT, Some(&r.rev), &body).await {
                    self.set_rev(PROJECT, rev);
                }
                Ok((Some(rebuilt), Some(StorageError::Damaged(reason))))
            }
        }
    }

    /// A project list from the stored documents (after the list itself was damaged).
    async fn rebuild_project(&self) -> Result<Project, StorageError> {
        let mut project = Project::default();
        for r in self.db.all(DOC_PREFIX).await.map_err(classify)? {
            if let Ok(h) = StoredHistory::from_json(&r.body) {
                let set = h.current();
                project.add(vec![set.document.clone()]);
                project.update(set, h.can_undo());
            }
        }
        Ok(project)
    }

    /// The saved history of one document, if any (its revision is remembered for the next
    /// write). A record that does not restore is kept aside and reported.
    pub async fn load_document(&self, id: &str) -> Result<Option<History>, StorageError> {
        Ok(self.load_document_json(id).await?.map(|(h, _)| h))
    }

    /// [`Store::load_document`] with the stored JSON (so the autosave knows it is stored).
    pub async fn load_document_json(&self, id: &str) -> Result<Option<(History, String)>, StorageError> {
        let key = doc_key(id);
        let Some(r) = self.db.get(&key).await.map_err(classify)? else { return Ok(None) };
        match StoredHistory::from_json(&r.body) {
            Ok(h) => {
                self.set_rev(&key, r.rev);
                Ok(Some((h, r.body)))
            }
            Err(e) => {
                let reason = format!("document {id}: {e}");
                self.keep_aside(&key, reason.clone(), r.body).await?;
                Err(StorageError::Damaged(reason))
            }
        }
    }

    /// Writes the project list over the revision this tab last saw. When another tab wrote
    /// it meanwhile, theirs is read, merged with ours over `base` (the list as this tab last
    /// stored or read it), and written again. Returns what is now stored.
    pub async fn save_project(&self, mine: &Project, base: &Project) -> Result<Project, StorageError> {
        let mut ours = mine.clone();
        for _ in 0..8 {
            let body = serde_json::to_string(&ours).expect("a project always serialises");
            match self.db.put(PROJECT, self.rev(PROJECT).as_deref(), &body).await {
                Ok(rev) => {
                    self.set_rev(PROJECT, rev);
                    return Ok(ours);
                }
                Err(e) if e.is_conflict() => {
                    let Some(r) = self.db.get(PROJECT).await.map_err(classify)? else {
                        self.revs.borrow_mut().remove(PROJECT);
                        continue;
                    };
                    self.set_rev(PROJECT, r.rev);
                    match serde_json::from_str::<Project>(&r.body) {
                        Ok(theirs) => ours = mine.merge(base, &theirs),
                        // Theirs is unreadable: keep it aside, ours replaces it.
                        Err(err) => {
                            self.keep_aside(PROJECT, format!("the project list could not be read ({err})"), r.body).await?
                        }
                    }
                }
                Err(e) => return Err(classify(e)),
            }
        }
        Err(StorageError::Failed("the project list kept changing in another tab; try again".into()))
    }

    /// Stores an already serialised [`StoredHistory`] over the revision this tab last saw.
    /// A stale revision stores nothing and fails with [`StorageError::Conflict`].
    pub async fn put_document_json(&self, id: &str, json: &str) -> Result<(), StorageError> {
        let key = doc_key(id);
        match self.db.put(&key, self.rev(&key).as_deref(), json).await {
            Ok(rev) => {
                self.set_rev(&key, rev);
                Ok(())
            }
            Err(e) if e.is_conflict() => Err(StorageError::Conflict(format!("“{id}”"))),
            Err(e) => Err(classify(e)),
        }
    }

    /// Saves one document's history.
    pub async fn save_document(&self, history: &History) -> Result<(), StorageError> {
        self.put_document_json(&history.current().document.id, &StoredHistory::to_json(history)).await
    }

    /// Saves the project list (merging if needed) and any number of document histories.
    pub async fn save(&self, project: Option<&Project>, docs: &[&History]) -> Result<(), StorageError> {
        for h in docs {
            self.save_document(h).await?;
        }
        if let Some(p) = project {
            self.save_project(p, p).await?;
        }
        Ok(())
    }

    /// Drops a document's stored history (after its trash slot is reused).
    pub async fn delete_document(&self, id: &str) -> Result<(), StorageError> {
        let key = doc_key(id);
        if let Some(r) = self.db.get(&key).await.map_err(classify)? {
            self.db.remove(&key, &r.rev).await.map_err(classify)?;
        }
        self.revs.borrow_mut().remove(&key);
        Ok(())
    }

    /// Removes every record (tests, and "start over").
    pub async fn clear(&self) -> Result<(), StorageError> {
        for prefix in [PROJECT, DOC_PREFIX, ASIDE_PREFIX] {
            for r in self.db.all(prefix).await.map_err(classify)? {
                self.db.remove(&r.id, &r.rev).await.map_err(classify)?;
            }
        }
        self.revs.borrow_mut().clear();
        Ok(())
    }

    /// Calls `on_change` for every change another tab (or this one) makes from now on,
    /// with the changed record's revision; [`Store::knows`] tells this tab's own writes.
    pub fn watch(&self, mut on_change: impl FnMut(Change, String) + 'static) -> Result<Watch, StorageError> {
        self.db
            .watch(move |id, rev, _deleted| {
                let change = if id == PROJECT {
                    Change::Project
                } else if let Some(doc) = id.strip_prefix(DOC_PREFIX) {
                    Change::Document(doc.to_string())
                } else if id.starts_with(ASIDE_PREFIX) {
                    Change::Aside
                } else {
                    return;
                };
                on_change(change, rev)
            })
            .map_err(classify)
    }

    /// The record id of a document (for [`Store::knows`]).
    pub fn doc_record(id: &str) -> String {
        doc_key(id)
    }

    /// The record id of the project list (for [`Store::knows`]).
    pub const PROJECT_RECORD: &'static str = PROJECT;
}

//! Revisioned local storage in a PouchDB database (IndexedDB underneath, see
//! [`crate::ui::pouch`]), in the record layout of [`crate::core::project::records`]:
//! per document an immutable `text:` record, and per document × annotator a list entry
//! (`meta:`), a snapshot of the undo history (`ann:`) and an append-only log of edits
//! (`edit:…:<seq>`), so saving an edit writes one small record and two editors never write
//! the same one. `local:` records (this browser's open document and trash, the annotator
//! name, records kept aside) never sync.
//!
//! Every write names the revision it is based on (the last one this tab read or wrote),
//! and a log record is written only where none exists, so a stale write fails (409)
//! instead of overwriting another tab's work: a list entry is re-read and written again, a
//! document is kept aside and the newer version followed ([`crate::ui::persist`]). A
//! `Store` is shared by one tab; other tabs have their own and see each change through
//! [`Store::watch`]. Layout-1 records (`project`, `doc:<id>`, `aside:<n>`) and the older
//! hand-written IndexedDB database are converted once, on open.

use crate::core::model::sort;
use crate::core::ledger::edits::LedgerEdits;
use crate::core::model::annotation::AnnotationSet;
use crate::core::model::history::History;
use crate::core::project::assign::{assign_id, AssignRecord};
use crate::core::project::log::Op;
use crate::core::project::persist::RestoreError;
use crate::core::project::project::{DocStatus, Entry, Project};
use crate::core::project::records::{
    self as rec, Annotator, DocKey, EditRecord, LocalProject, MetaRecord, RecordId, Snapshot, TextRecord,
};
use crate::ui::pouch::{Db, PouchError, Record, Watch};
use crate::ui::storage_legacy;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

const DB_NAME: &str = "newsmark";

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
    /// The storage record id it came from (`meta:…`, `ann:…`, `doc:<id>` of layout 1).
    pub record: String,
    /// Why it was kept aside, in words.
    pub reason: String,
    /// The record's body exactly as it was.
    pub raw: String,
}

/// A change seen on the database (this tab's own writes included), with the record id
/// (for [`Store::knows`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The current annotator's list: an entry, the open document or trash, the ledger.
    Project { record: String },
    /// One of the current annotator's documents (by the id the list shows).
    Document { id: String, record: String },
    Aside,
    /// Another annotator's record, or an article's text (what replication brings in): for
    /// progress, agreement and adjudication views. The current annotator's list and
    /// documents do not change.
    Team { record: String },
}

/// One document's assignment, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub key: DocKey,
    pub record: AssignRecord,
}

/// Other annotators' list entries per document id (see [`Store::team_progress`]).
pub type TeamProgress = std::collections::BTreeMap<String, Vec<(Annotator, Entry)>>;

/// This tab's knowledge of one document × annotator's log.
#[derive(Clone, Debug, Default)]
struct Log {
    /// The last edit stored (the next one is `seq + 1`).
    seq: u64,
    /// The edit the snapshot holds everything up to.
    folded: u64,
    /// The history as stored at `seq` (shared snapshots): the next change is stored as
    /// the op from it.
    head: Option<History>,
    /// Bytes of the log records after the snapshot, and of the snapshot (see
    /// [`rec::should_fold`]).
    log_bytes: u64,
    snapshot_bytes: u64,
}

#[derive(Default)]
struct Known {
    /// Record id → the revision this tab last read or wrote.
    revs: HashMap<String, String>,
    /// Every (record id, revision) this tab read or wrote: a change-feed event for one of
    /// them is this tab's own, even when it arrives after a later write.
    seen: HashSet<(String, String)>,
    /// Document id (as listed) → its key in record ids.
    keys: HashMap<String, DocKey>,
    /// The list entries as last stored or read, with their order stamps.
    metas: HashMap<String, MetaRecord>,
    /// List entries of documents not stored yet (written with the document).
    unstored: HashMap<String, Entry>,
    logs: HashMap<DocKey, Log>,
    local: LocalProject,
    ledger: LedgerEdits,
}

/// The open database of one tab. Cheap to clone (shared handle and revision table).
#[derive(Clone)]
pub struct Store {
    db: Db,
    annotator: Rc<RefCell<Annotator>>,
    known: Rc<RefCell<Known>>,
    /// JSON bytes of every record body this tab wrote (what sync would send).
    written: Rc<Cell<u64>>,
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

/// What a stored annotator name looks like (`local:annotator`).
#[derive(serde::Serialize, serde::Deserialize)]
struct AnnotatorRecord {
    name: String,
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl Store {
    /// Opens (and on first use creates) the database, converting an existing user's work
    /// from the older layouts first.
    pub async fn open() -> Result<Store, StorageError> {
        let db = Db::open(DB_NAME).await.map_err(|e| StorageError::Unavailable(e.message))?;
        let store = Store { db, annotator: Rc::new(RefCell::new(Annotator::local())), known: Rc::default(), written: Rc::default() };
        if let Some(r) = store.db.get(rec::LOCAL_ANNOTATOR).await.map_err(classify)? {
            store.set_rev(rec::LOCAL_ANNOTATOR, r.rev.clone());
            match serde_json::from_str::<AnnotatorRecord>(&r.body).ok().and_then(|a| Annotator::new(&a.name).ok()) {
                Some(a) => *store.annotator.borrow_mut() = a,
                None => store.keep_aside(rec::LOCAL_ANNOTATOR, "the annotator name could not be read".into(), r.body).await?,
            }
        }
        store.migrate_idb().await?;
        store.migrate_v1().await?;
        Ok(store)
    }

    /// Copies the hand-written IndexedDB database's records into layout-1 records (raw,
    /// so [`Store::migrate_v1`] converts them like any), then deletes it. A copy that was
    /// interrupted is finished on the next start: records already copied are left.
    async fn migrate_idb(&self) -> Result<(), StorageError> {
        let Ok(Some(old)) = storage_legacy::read().await else { return Ok(()) };
        for (id, json) in old.docs {
            self.put_new(&format!("{}{id}", rec::V1_DOC_PREFIX), &json).await?;
        }
        if let Some(p) = old.project {
            self.put_new(rec::V1_PROJECT, &p).await?;
        }
        storage_legacy::delete().await.map_err(StorageError::Failed)
    }

    /// Writes a record only where none exists; an existing one is left as it is (an
    /// interrupted conversion, or another tab converting at the same moment).
    async fn put_new(&self, id: &str, body: &str) -> Result<(), StorageError> {
        match self.db.put(id, None, body).await {
            Ok(rev) => {
                self.wrote(id, rev, body);
                Ok(())
            }
            Err(e) if e.is_conflict() => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// Converts layout-1 records (`project`, `doc:<id>`, `aside:<n>`) once: written as
    /// layout-2 records of the current annotator, then removed. Nothing is dropped: what
    /// does not read is kept aside first.
    async fn migrate_v1(&self) -> Result<(), StorageError> {
        let project = self.db.get(rec::V1_PROJECT).await.map_err(classify)?;
        let docs = self.db.all(rec::V1_DOC_PREFIX).await.map_err(classify)?;
        let asides = self.db.all(rec::V1_ASIDE_PREFIX).await.map_err(classify)?;
        if project.is_none() && docs.is_empty() && asides.is_empty() {
            return Ok(());
        }
        let v1 = rec::V1 {
            project: project.as_ref().map(|r| r.body.clone()),
            docs: docs.iter().map(|r| (r.id[rec::V1_DOC_PREFIX.len()..].to_string(), r.body.clone())).collect(),
        };
        let converted = rec::convert_v1(&v1, &self.annotator());
        for a in converted.asides {
            self.keep_aside(&a.record, a.reason, a.raw).await?;
        }
        for r in &asides {
            let id = format!("{}{}", rec::ASIDE_PREFIX, &r.id[rec::V1_ASIDE_PREFIX.len()..]);
            self.put_new(&id, &r.body).await?;
        }
        for (id, body) in &converted.records {
            self.put_new(id, body).await?;
        }
        self.put_new(rec::LOCAL_PROJECT, &rec::json_of(&converted.local)).await?;
        for r in project.iter().chain(&docs).chain(&asides) {
            match self.db.remove(&r.id, &r.rev).await {
                Ok(_) => {}
                Err(e) if e.status == 404 || e.is_conflict() => {}
                Err(e) => return Err(classify(e)),
            }
        }
        Ok(())
    }

    fn rev(&self, id: &str) -> Option<String> {
        self.known.borrow().revs.get(id).cloned()
    }

    fn set_rev(&self, id: &str, rev: String) {
        let mut k = self.known.borrow_mut();
        k.seen.insert((id.to_string(), rev.clone()));
        k.revs.insert(id.to_string(), rev);
    }

    /// Remembers this tab's write (its revision, and its bytes for [`Store::bytes_written`]).
    fn wrote(&self, id: &str, rev: String, body: &str) {
        self.written.set(self.written.get() + body.len() as u64);
        self.set_rev(id, rev);
    }

    /// Whether this tab wrote or read revision `rev` of record `id`.
    pub fn knows(&self, id: &str, rev: &str) -> bool {
        self.known.borrow().seen.contains(&(id.to_string(), rev.to_string()))
    }

    /// JSON bytes of all record bodies this tab has written since it opened the database
    /// (what a replication to CouchDB sends, less the envelope): a bench measures saves.
    pub fn bytes_written(&self) -> u64 {
        self.written.get()
    }

    /// The annotator whose records this browser writes (`local` until a team login).
    pub fn annotator(&self) -> Annotator {
        self.annotator.borrow().clone()
    }

    /// Sets the annotator (after a team login). The first time (from `local`), every record
    /// written as `local` moves to `name`, so work done before the login becomes theirs;
    /// later changes only switch whose records are read and written.
    pub async fn set_annotator(&self, name: &str) -> Result<(), StorageError> {
        let to = Annotator::new(name).map_err(|e| StorageError::Failed(e.to_string()))?;
        let from = self.annotator();
        if to == from {
            return Ok(());
        }
        if from.is_local() {
            for prefix in [rec::META_PREFIX, rec::ANN_PREFIX, rec::EDIT_PREFIX, rec::LEDGER_PREFIX] {
                for r in self.db.all(prefix).await.map_err(classify)? {
                    let Some(id) = rec::renamed(&r.id, &from, &to) else { continue };
                    match self.db.put(&id, None, &r.body).await {
                        Ok(rev) => self.wrote(&id, rev, &r.body),
                        // They already have that record (from another device): theirs stays,
                        // ours is kept aside rather than dropped.
                        Err(e) if e.is_conflict() => {
                            self.keep_aside(&r.id, format!("not moved to {to}: they already have {id}"), r.body.clone()).await?
                        }
                        Err(e) => return Err(classify(e)),
                    }
                    let rev = self.db.remove(&r.id, &r.rev).await.map_err(classify)?;
                    self.set_rev(&r.id, rev);
                }
            }
        }
        let body = rec::json_of(&AnnotatorRecord { name: to.to_string() });
        let rev = self.put_over(rec::LOCAL_ANNOTATOR, &body).await?;
        self.set_rev(rec::LOCAL_ANNOTATOR, rev);
        *self.annotator.borrow_mut() = to;
        let mut k = self.known.borrow_mut();
        k.metas.clear();
        k.logs.clear();
        Ok(())
    }

    /// Writes `body` over whatever revision is stored (for this browser's own records).
    async fn put_over(&self, id: &str, body: &str) -> Result<String, StorageError> {
        for _ in 0..8 {
            let rev = match self.rev(id) {
                Some(r) => Some(r),
                None => self.db.get(id).await.map_err(classify)?.map(|r| r.rev),
            };
            match self.db.put(id, rev.as_deref(), body).await {
                Ok(rev) => {
                    self.wrote(id, rev.clone(), body);
                    return Ok(rev);
                }
                Err(e) if e.is_conflict() => {
                    self.known.borrow_mut().revs.remove(id);
                }
                Err(e) => return Err(classify(e)),
            }
        }
        Err(StorageError::Failed(format!("{id} kept changing in another tab; try again")))
    }

    /// Keeps `raw` aside under a fresh id (never overwriting anything); once per record
    /// and body, however often the damaged record is read.
    pub async fn keep_aside(&self, record: &str, reason: String, raw: String) -> Result<(), StorageError> {
        if self.asides().await?.iter().any(|(_, a)| a.record == record && a.raw == raw) {
            return Ok(());
        }
        let aside = Aside { record: record.to_string(), reason, raw };
        let body = serde_json::to_string(&aside).expect("strings always serialise");
        let id = format!("{}{:015}:{}", rec::ASIDE_PREFIX, now_ms(), js_sys::Math::random().to_bits() % 1_000_000);
        self.db.put(&id, None, &body).await.map(|_| ()).map_err(classify)
    }

    /// Everything kept aside, oldest first, with its record id.
    pub async fn asides(&self) -> Result<Vec<(String, Aside)>, StorageError> {
        let records = self.db.all(rec::ASIDE_PREFIX).await.map_err(classify)?;
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

    /// The saved project, if any. A record that does not parse is kept aside and its entry
    /// rebuilt from the stored document (never dropped); the error says so.
    pub async fn load_project(&self) -> Result<Option<Project>, StorageError> {
        Ok(self.load_project_checked().await?.0)
    }

    /// [`Store::load_project`], plus the damage it found (already kept aside). The list is
    /// derived from the current annotator's `meta:` records and this browser's
    /// `local:project`; `None` when there is neither.
    pub async fn load_project_checked(&self) -> Result<(Option<Project>, Option<StorageError>), StorageError> {
        let me = self.annotator();
        let mut damage = None;
        let mut metas = Vec::new();
        for r in self.db.all(rec::META_PREFIX).await.map_err(classify)? {
            let Some(RecordId::Meta(key, who)) = RecordId::parse(&r.id) else { continue };
            if who != me {
                continue;
            }
            self.set_rev(&r.id, r.rev.clone());
            let meta = match serde_json::from_str::<MetaRecord>(&r.body) {
                Ok(m) => m,
                Err(e) => {
                    let reason = format!("a list entry could not be read ({e})");
                    self.keep_aside(&r.id, reason.clone(), r.body.clone()).await?;
                    damage = Some(StorageError::Damaged(reason));
                    match self.rebuild_meta(&key, &r).await? {
                        Some(m) => m,
                        None => continue,
                    }
                }
            };
            let mut k = self.known.borrow_mut();
            k.keys.insert(meta.entry.id.clone(), key);
            k.metas.insert(meta.entry.id.clone(), meta.clone());
            metas.push(meta);
        }
        let local = match self.db.get(rec::LOCAL_PROJECT).await.map_err(classify)? {
            Some(r) => {
                self.set_rev(rec::LOCAL_PROJECT, r.rev.clone());
                serde_json::from_str::<LocalProject>(&r.body).unwrap_or_else(|_| LocalProject::default())
            }
            None if metas.is_empty() => return Ok((None, damage)),
            None => LocalProject::default(),
        };
        let ledger_id = rec::ledger_id(&me);
        let ledger = match self.db.get(&ledger_id).await.map_err(classify)? {
            Some(r) => {
                self.set_rev(&ledger_id, r.rev.clone());
                match serde_json::from_str::<LedgerEdits>(&r.body) {
                    Ok(l) => l,
                    Err(e) => {
                        let reason = format!("the source-ledger corrections could not be read ({e})");
                        self.keep_aside(&ledger_id, reason.clone(), r.body).await?;
                        damage = Some(StorageError::Damaged(reason));
                        LedgerEdits::default()
                    }
                }
            }
            None => LedgerEdits::default(),
        };
        let project = rec::derive_project(&metas, &local, &ledger);
        {
            let mut k = self.known.borrow_mut();
            k.local = local;
            k.ledger = ledger;
        }
        Ok((Some(project), damage))
    }

    /// A list entry from the stored document, written over a damaged `meta:` record (whose
    /// body is already kept aside).
    async fn rebuild_meta(&self, key: &DocKey, damaged: &Record) -> Result<Option<MetaRecord>, StorageError> {
        let me = self.annotator();
        let Ok(Some(loaded)) = self.load_key(key, &me).await else { return Ok(None) };
        let meta = MetaRecord { entry: rec::entry_of(&loaded.history, DocStatus::New), added: now_ms() * 1000, deleted: false };
        let body = rec::json_of(&meta);
        if let Ok(rev) = self.db.put(&damaged.id, Some(&damaged.rev), &body).await {
            self.wrote(&damaged.id, rev, &body);
        }
        Ok(Some(meta))
    }

    fn key_of(&self, id: &str) -> Option<DocKey> {
        self.known.borrow().keys.get(id).cloned()
    }

    /// The text, snapshot and log of one document × annotator, replayed (`None` when that
    /// annotator has no snapshot of it). Unreadable records are the caller's to report.
    async fn load_key(&self, key: &DocKey, who: &Annotator) -> Result<Option<rec::Loaded>, (String, String, RestoreError)> {
        let fail = |id: &str, body: &str, e: RestoreError| (id.to_string(), body.to_string(), e);
        let io = |e: PouchError| (String::new(), String::new(), RestoreError::Json(classify(e).to_string()));
        let text_id = rec::text_id(key);
        let Some(text) = self.db.get(&text_id).await.map_err(io)? else { return Ok(None) };
        let document = serde_json::from_str::<TextRecord>(&text.body)
            .map_err(|e| fail(&text_id, &text.body, RestoreError::Json(e.to_string())))?
            .document;
        let ann_id = rec::ann_id(key, who);
        let Some(ann) = self.db.get(&ann_id).await.map_err(io)? else { return Ok(None) };
        let snapshot = Snapshot::from_json(&ann.body).map_err(|e| fail(&ann_id, &ann.body, e))?;
        let log = self.db.all(&rec::edit_prefix(key, who)).await.map_err(io)?;
        let seqs: Vec<(u64, &str)> = log
            .iter()
            .filter_map(|r| match RecordId::parse(&r.id) {
                Some(RecordId::Edit(_, _, s)) => Some((s, r.body.as_str())),
                _ => None,
            })
            .collect();
        let mut loaded = rec::replay(&document, snapshot, &seqs).map_err(|e| fail(&ann_id, &ann.body, e))?;
        loaded.snapshot_bytes = ann.body.len() as u64;
        if *who == self.annotator() {
            self.set_rev(&ann_id, ann.rev);
            for r in &log {
                self.set_rev(&r.id, r.rev.clone());
            }
        }
        Ok(Some(loaded))
    }

    /// The saved history of one document, if any (where its log stands is remembered for
    /// the next write). A record that does not restore is kept aside and reported.
    pub async fn load_document(&self, id: &str) -> Result<Option<History>, StorageError> {
        match self.load_document_checked(id).await? {
            (h, None) => Ok(h),
            (_, Some(e)) => Err(e),
        }
    }

    /// [`Store::load_document`], plus damage found in its log: the history up to the first
    /// edit record that could not be applied comes back, and that record and the ones
    /// after it are kept aside (and removed, so the next edit continues what is shown).
    pub async fn load_document_checked(&self, id: &str) -> Result<(Option<History>, Option<StorageError>), StorageError> {
        let Some(key) = self.key_of(id) else { return Ok((None, None)) };
        let me = self.annotator();
        let loaded = match self.load_key(&key, &me).await {
            Ok(Some(l)) => l,
            Ok(None) => return Ok((None, None)),
            Err((record, raw, e)) => {
                let reason = format!("document {id}: {e}");
                if !record.is_empty() {
                    self.keep_aside(&record, reason.clone(), raw).await?;
                }
                return Err(StorageError::Damaged(reason));
            }
        };
        let log = Log {
            seq: loaded.seq,
            folded: loaded.folded,
            head: Some(loaded.history.clone()),
            log_bytes: loaded.log_bytes,
            snapshot_bytes: loaded.snapshot_bytes,
        };
        self.known.borrow_mut().logs.insert(key.clone(), log);
        let mut damage = None;
        if let Some((bad, e)) = &loaded.damaged {
            // The log from the bad record on is kept aside and removed, so the next edit
            // continues the history as shown.
            let reason = format!("document {id}: edit {bad} and later could not be applied ({e})");
            for r in self.db.all(&rec::edit_prefix(&key, &me)).await.map_err(classify)? {
                if matches!(RecordId::parse(&r.id), Some(RecordId::Edit(_, _, s)) if s >= *bad) {
                    self.keep_aside(&r.id, reason.clone(), r.body.clone()).await?;
                    let rev = self.db.remove(&r.id, &r.rev).await.map_err(classify)?;
                    self.set_rev(&r.id, rev);
                }
            }
            damage = Some(StorageError::Damaged(reason));
        }
        Ok((Some(loaded.history), damage))
    }

    /// Writes the list over the revisions this tab last saw: one `meta:` record per entry
    /// added, changed or deleted since `base` (the list as this tab last stored or read
    /// it), `local:project` when the open document or the trash changed, the ledger record
    /// when the corrections did. An entry another tab wrote meanwhile is re-read and ours
    /// written over it (ours is the newer change). Returns what is now stored.
    pub async fn save_project(&self, mine: &Project, base: &Project) -> Result<Project, StorageError> {
        let me = self.annotator();
        for (entry, deleted) in rec::changed_entries(base, mine) {
            let Some(key) = self.key_of(&entry.id) else {
                if !deleted {
                    self.known.borrow_mut().unstored.insert(entry.id.clone(), entry.clone());
                }
                continue;
            };
            let added = self.known.borrow().metas.get(&entry.id).map_or_else(|| now_ms() * 1000, |m| m.added);
            let meta = MetaRecord { entry: entry.clone(), added, deleted };
            self.put_meta(&key, &me, meta).await?;
        }
        let local = LocalProject { current: mine.current.clone(), trash: mine.trash.clone() };
        if local != self.known.borrow().local {
            self.put_over(rec::LOCAL_PROJECT, &rec::json_of(&local)).await?;
            self.known.borrow_mut().local = local;
        }
        if mine.ledger != self.known.borrow().ledger {
            self.put_over(&rec::ledger_id(&me), &rec::json_of(&mine.ledger)).await?;
            self.known.borrow_mut().ledger = mine.ledger.clone();
        }
        Ok(mine.clone())
    }

    async fn put_meta(&self, key: &DocKey, who: &Annotator, meta: MetaRecord) -> Result<(), StorageError> {
        let id = rec::meta_id(key, who);
        let body = rec::json_of(&meta);
        for _ in 0..8 {
            match self.db.put(&id, self.rev(&id).as_deref(), &body).await {
                Ok(rev) => {
                    self.wrote(&id, rev, &body);
                    let mut k = self.known.borrow_mut();
                    k.keys.insert(meta.entry.id.clone(), key.clone());
                    k.metas.insert(meta.entry.id.clone(), meta);
                    return Ok(());
                }
                Err(e) if e.is_conflict() => match self.db.get(&id).await.map_err(classify)? {
                    Some(r) => self.set_rev(&id, r.rev),
                    None => {
                        self.known.borrow_mut().revs.remove(&id);
                    }
                },
                Err(e) => return Err(classify(e)),
            }
        }
        Err(StorageError::Failed("the project list kept changing in another tab; try again".into()))
    }

    /// Saves one document whole: its text (once), a snapshot of its history, and its list
    /// entry if it has none yet. An existing snapshot this tab has not read is never
    /// overwritten ([`StorageError::Conflict`]).
    pub async fn save_document(&self, history: &History) -> Result<(), StorageError> {
        // An import stores many documents: only an open one's history is kept in memory.
        self.save_whole(history, false).await
    }

    /// [`Store::save_document`]; `keep` keeps the history in memory as the log's head (the
    /// open document's next change is stored against it).
    async fn save_whole(&self, history: &History, keep: bool) -> Result<(), StorageError> {
        let doc = &history.current().document;
        let key = DocKey::of(doc);
        let me = self.annotator();
        self.known.borrow_mut().keys.insert(doc.id.clone(), key.clone());
        let text_id = rec::text_id(&key);
        if self.rev(&text_id).is_none() {
            self.put_new(&text_id, &rec::json_of(&TextRecord::new(doc))).await?;
        }
        let kept = keep || self.known.borrow().logs.get(&key).is_some_and(|l| l.head.is_some());
        self.fold(&key, history).await.map_err(|e| match e {
            StorageError::Conflict(_) => StorageError::Conflict(format!("“{}”", doc.id)),
            e => e,
        })?;
        if !kept {
            if let Some(l) = self.known.borrow_mut().logs.get_mut(&key) {
                l.head = None;
            }
        }
        let listed = self.known.borrow().metas.contains_key(&doc.id);
        if !listed {
            let entry = self.known.borrow_mut().unstored.remove(&doc.id).unwrap_or_else(|| rec::entry_of(history, DocStatus::New));
            self.put_meta(&key, &me, MetaRecord { entry, added: now_ms() * 1000, deleted: false }).await?;
        }
        Ok(())
    }

    /// Writes the snapshot of `history` at the log's last edit over the revision this tab
    /// last saw, then removes the log records it holds.
    async fn fold(&self, key: &DocKey, history: &History) -> Result<(), StorageError> {
        let me = self.annotator();
        let id = rec::ann_id(key, &me);
        let log = self.known.borrow().logs.get(key).cloned().unwrap_or_default();
        let body = Snapshot::of(history, log.seq).to_json();
        match self.db.put(&id, self.rev(&id).as_deref(), &body).await {
            Ok(rev) => self.wrote(&id, rev, &body),
            Err(e) if e.is_conflict() => return Err(StorageError::Conflict(id)),
            Err(e) => return Err(classify(e)),
        }
        let folded = Log { seq: log.seq, folded: log.seq, head: Some(history.clone()), log_bytes: 0, snapshot_bytes: body.len() as u64 };
        self.known.borrow_mut().logs.insert(key.clone(), folded);
        if log.seq > log.folded {
            for r in self.db.all(&rec::edit_prefix(key, &me)).await.map_err(classify)? {
                if matches!(RecordId::parse(&r.id), Some(RecordId::Edit(_, _, s)) if s <= log.seq) {
                    if let Ok(rev) = self.db.remove(&r.id, &r.rev).await {
                        self.set_rev(&r.id, rev);
                    }
                }
            }
        }
        Ok(())
    }

    /// Saves a change of a document as one log record: the op from the history as this
    /// tab last stored or read it to `new`, a few hundred bytes whatever the document's
    /// size; every [`rec::FOLD_EVERY`] edits the log is folded into the snapshot. A
    /// document this tab has not stored or read yet is saved whole. A log record another
    /// tab wrote first is never overwritten, nor is a stored version `new` was not made
    /// from ([`StorageError::Conflict`] both).
    pub async fn save_change(&self, new: &History) -> Result<(), StorageError> {
        let doc = &new.current().document;
        let key = DocKey::of(doc);
        let known = self.known.borrow().logs.get(&key).cloned();
        let Some(Log { seq, folded, head: Some(head), log_bytes, snapshot_bytes }) = known else {
            return self.save_whole(new, true).await;
        };
        let Some(op) = Op::between(&head, new) else { return Err(StorageError::Conflict(format!("“{}”", doc.id))) };
        if op.is_noop(&head) {
            return Ok(());
        }
        let me = self.annotator();
        let seq = seq + 1;
        let id = rec::edit_id(&key, &me, seq);
        let body = rec::json_of(&EditRecord { seq, op });
        match self.db.put(&id, None, &body).await {
            Ok(rev) => self.wrote(&id, rev, &body),
            Err(e) if e.is_conflict() => return Err(StorageError::Conflict(format!("“{}”", doc.id))),
            Err(e) => return Err(classify(e)),
        }
        let log_bytes = log_bytes + body.len() as u64;
        let log = Log { seq, folded, head: Some(new.clone()), log_bytes, snapshot_bytes };
        self.known.borrow_mut().logs.insert(key.clone(), log);
        if rec::should_fold(seq - folded, log_bytes, snapshot_bytes) {
            // A fold that loses to another tab's is harmless: the log it would remove stays.
            match self.fold(&key, new).await {
                Ok(()) | Err(StorageError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Folds a document's log into its snapshot now (when it is closed), if it has one.
    pub async fn compact(&self, id: &str) -> Result<(), StorageError> {
        let Some(key) = self.key_of(id) else { return Ok(()) };
        let log = self.known.borrow().logs.get(&key).cloned();
        match log {
            Some(Log { seq, folded, head: Some(head), .. }) if seq > folded => self.fold(&key, &head).await,
            _ => Ok(()),
        }
    }

    /// Saves the project list (merging if needed) and any number of document histories.
    pub async fn save(&self, project: Option<&Project>, docs: &[&History]) -> Result<(), StorageError> {
        for h in docs {
            self.save_document(h).await?;
        }
        if let Some(p) = project {
            let base = self.load_project().await?.unwrap_or_default();
            self.save_project(p, &base).await?;
        }
        Ok(())
    }

    /// Drops the current annotator's records of a document (after its trash slot is
    /// reused), and its text when no other annotator has it.
    pub async fn delete_document(&self, id: &str) -> Result<(), StorageError> {
        let Some(key) = self.key_of(id) else { return Ok(()) };
        let me = self.annotator();
        let mut gone: Vec<Record> = self.db.all(&rec::edit_prefix(&key, &me)).await.map_err(classify)?;
        for rid in [rec::ann_id(&key, &me), rec::meta_id(&key, &me)] {
            gone.extend(self.db.get(&rid).await.map_err(classify)?);
        }
        let others = self.db.all(&format!("{}{key}:", rec::META_PREFIX)).await.map_err(classify)?;
        if others.iter().all(|r| r.id == rec::meta_id(&key, &me)) {
            gone.extend(self.db.get(&rec::text_id(&key)).await.map_err(classify)?);
        }
        for r in gone {
            let rev = self.db.remove(&r.id, &r.rev).await.map_err(classify)?;
            self.set_rev(&r.id, rev);
        }
        let mut k = self.known.borrow_mut();
        k.metas.remove(id);
        k.logs.remove(&key);
        Ok(())
    }

    /// The id of the current annotator's snapshot record of `doc` (what a version kept
    /// aside came from).
    pub fn snapshot_record(&self, doc: &crate::core::Document) -> String {
        rec::ann_id(&DocKey::of(doc), &self.annotator())
    }

    /// The annotators who have a list entry for document `id` (as this annotator lists it).
    pub async fn annotators(&self, id: &str) -> Result<Vec<Annotator>, StorageError> {
        let Some(key) = self.key_of(id) else { return Ok(Vec::new()) };
        let records = self.db.all(&format!("{}{key}:", rec::META_PREFIX)).await.map_err(classify)?;
        Ok(records
            .iter()
            .filter_map(|r| match RecordId::parse(&r.id) {
                Some(RecordId::Meta(_, who)) => Some(who),
                _ => None,
            })
            .collect())
    }

    /// Every other annotator's list entry of each document this annotator lists (by the id
    /// the list shows), read from their `meta:` records as sync brought them: their status
    /// and pending count, sorted by name. Deleted entries and unreadable records are left
    /// out (they are theirs to repair).
    pub async fn team_progress(&self) -> Result<TeamProgress, StorageError> {
        let me = self.annotator();
        let ids: HashMap<DocKey, String> = self.known.borrow().keys.iter().map(|(id, k)| (k.clone(), id.clone())).collect();
        let mut progress = TeamProgress::new();
        for r in self.db.all(rec::META_PREFIX).await.map_err(classify)? {
            let Some(RecordId::Meta(key, who)) = RecordId::parse(&r.id) else { continue };
            let Some(id) = ids.get(&key).filter(|_| who != me) else { continue };
            let Ok(meta) = serde_json::from_str::<MetaRecord>(&r.body) else { continue };
            if !meta.deleted {
                progress.entry(id.clone()).or_default().push((who, meta.entry));
            }
        }
        for list in progress.values_mut() {
            sort::sort_by(list, |a, b| a.0.as_str().cmp(b.0.as_str()));
        }
        Ok(progress)
    }

    /// Every assignment sync brought (or this annotator wrote), by document id; an
    /// unreadable record is left out (it is its owner's to repair).
    pub async fn assignments(&self) -> Result<Vec<Assignment>, StorageError> {
        let mut all = Vec::new();
        for r in self.db.all(rec::ASSIGN_PREFIX).await.map_err(classify)? {
            let Some(RecordId::Assign(key)) = RecordId::parse(&r.id) else { continue };
            let Ok(record) = serde_json::from_str::<AssignRecord>(&r.body) else { continue };
            all.push(Assignment { key, record });
        }
        sort::sort_by(&mut all, |a, b| a.record.doc.cmp(&b.record.doc));
        Ok(all)
    }

    /// Assigns listed document `id` to `to` (an empty list unassigns it), as its owner: the
    /// first to assign a document owns its record; anyone else is refused.
    pub async fn assign(&self, id: &str, to: Vec<Annotator>) -> Result<(), StorageError> {
        let Some(key) = self.key_of(id) else { return Err(StorageError::Failed(format!("“{id}” is not stored yet"))) };
        let me = self.annotator();
        if me.is_local() {
            return Err(StorageError::Failed("sign in to a team first: assignments name team members".into()));
        }
        let record_id = assign_id(&key);
        let title = self.known.borrow().metas.get(id).and_then(|m| m.entry.title.clone());
        for _ in 0..8 {
            let stored = self.db.get(&record_id).await.map_err(classify)?;
            let existing = stored.as_ref().and_then(|r| serde_json::from_str::<AssignRecord>(&r.body).ok());
            let record = AssignRecord::assign(existing.as_ref(), &me, id, title.clone(), to.clone())
                .map_err(|e| StorageError::Failed(e.to_string()))?;
            let body = rec::json_of(&record);
            match self.db.put(&record_id, stored.as_ref().map(|r| r.rev.as_str()), &body).await {
                Ok(rev) => {
                    self.wrote(&record_id, rev, &body);
                    return Ok(());
                }
                Err(e) if e.is_conflict() => continue,
                Err(e) => return Err(classify(e)),
            }
        }
        Err(StorageError::Failed("the assignment kept changing; try again".into()))
    }

    /// The article of an assignment (its `text:` record, as sync brought it), to add it to
    /// this annotator's list.
    pub async fn assigned_document(&self, key: &DocKey) -> Result<Option<crate::core::Document>, StorageError> {
        let Some(r) = self.db.get(&rec::text_id(key)).await.map_err(classify)? else { return Ok(None) };
        serde_json::from_str::<TextRecord>(&r.body)
            .map(|t| Some(t.document))
            .map_err(|e| StorageError::Damaged(format!("the article of an assignment: {e}")))
    }

    /// Any annotator's current annotations of document `id` (for agreement and
    /// adjudication); `None` when they have none. Read only: nothing is remembered for
    /// writing, and damage is reported, not kept aside (it is theirs).
    pub async fn annotation_set(&self, id: &str, who: &Annotator) -> Result<Option<AnnotationSet>, StorageError> {
        let Some(key) = self.key_of(id) else { return Ok(None) };
        match self.load_key(&key, who).await {
            Ok(Some(l)) => match l.damaged {
                None => Ok(Some(l.history.current().clone())),
                Some((s, e)) => Err(StorageError::Damaged(format!("{who}'s “{id}”, edit {s}: {e}"))),
            },
            Ok(None) => Ok(None),
            Err((record, _, e)) => Err(StorageError::Damaged(format!("{record}: {e}"))),
        }
    }

    /// Removes every record (tests, and "start over").
    pub async fn clear(&self) -> Result<(), StorageError> {
        for r in self.db.all("").await.map_err(classify)? {
            self.db.remove(&r.id, &r.rev).await.map_err(classify)?;
        }
        *self.known.borrow_mut() = Known::default();
        *self.annotator.borrow_mut() = Annotator::local();
        Ok(())
    }

    /// Calls `on_change` for every change another tab (or this one) makes from now on to
    /// the current annotator's records, with the changed record's revision;
    /// [`Store::knows`] tells this tab's own writes. Removals of log records (a fold) are
    /// not changes of the document.
    pub fn watch(&self, mut on_change: impl FnMut(Change, String) + 'static) -> Result<Watch, StorageError> {
        let store = self.clone();
        self.db
            .watch(move |id, rev, deleted| {
                let me = store.annotator();
                let doc = |key: &DocKey| store.known.borrow().keys.iter().find(|(_, k)| *k == key).map(|(i, _)| i.clone());
                let change = match RecordId::parse(&id) {
                    Some(RecordId::Meta(_, who) | RecordId::Ledger(who)) if who == me => Change::Project { record: id },
                    Some(RecordId::Local(l)) if l == rec::LOCAL_PROJECT => Change::Project { record: id },
                    Some(RecordId::Local(l)) if l.starts_with(rec::ASIDE_PREFIX) => Change::Aside,
                    Some(RecordId::Ann(key, who) | RecordId::Edit(key, who, _)) if who == me => match doc(&key) {
                        Some(doc) if !deleted => Change::Document { id: doc, record: id },
                        _ => return,
                    },
                    Some(
                        RecordId::Text(_)
                        | RecordId::Meta(..)
                        | RecordId::Ann(..)
                        | RecordId::Edit(..)
                        | RecordId::Ledger(_)
                        | RecordId::Assign(_),
                    ) => {
                        Change::Team { record: id }
                    }
                    _ => return,
                };
                on_change(change, rev)
            })
            .map_err(classify)
    }
}

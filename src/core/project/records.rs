//! The stored record layout (layout 2), as pure functions: record ids, record bodies,
//! loading a document from its snapshot and edit log, the project list derived from
//! per-document records, and the one-time conversion of layout-1 records.
//!
//! Built for CouchDB replication (issue 13): every record is written by one annotator
//! only, records are small and an edit appends one, and ids are the same in every browser
//! for the same article. `ui::storage` reads and writes these records in PouchDB; the
//! table of ids is in DESIGN.md ("Storage").
//!
//! - `text:<doc>`: the article, immutable;
//! - `meta:<doc>:<annotator>`: that annotator's list entry of it (title, status, pending,
//!   words, when added, deleted);
//! - `ann:<doc>:<annotator>`: their whole undo history up to edit `seq`, without the text;
//! - `edit:<doc>:<annotator>:<seq>`: one edit, undo or redo after it ([`Op`]);
//! - `ledger:<annotator>`: their source-ledger corrections;
//! - `local:…`: this browser's own records, never synced (open document and trash,
//!   annotator name, records kept aside).

use crate::core::model::sort;
use crate::core::ledger::edits::LedgerEdits;
use crate::core::model::annotation::Document;
use crate::core::model::history::History;
use crate::core::project::log::Op;
use crate::core::project::persist::{RestoreError, StoredHistory};
use crate::core::project::project::{DocStatus, Entry, Project, Trashed};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// The record layout this code writes (layout 1: one `project` record and one `doc:<id>`
/// record holding a whole history, rewritten on every edit).
pub const LAYOUT: u32 = 2;
/// Edits after which a save may fold the log into the snapshot (and remove the log).
pub const FOLD_EVERY: u64 = 64;
/// Edits after which a save always folds (so a load replays at most this many).
pub const FOLD_AT_MOST: u64 = 512;

/// Whether a save folds the log now: after [`FOLD_EVERY`] edits once the log's bytes reach
/// a quarter of the last snapshot's (so writing snapshots costs at most four times what
/// the log does, however long the article), and always after [`FOLD_AT_MOST`] edits.
pub fn should_fold(edits: u64, log_bytes: u64, snapshot_bytes: u64) -> bool {
    edits >= FOLD_AT_MOST || (edits >= FOLD_EVERY && log_bytes.saturating_mul(4) >= snapshot_bytes)
}
/// Records that never leave this browser (sync filters them out).
pub const LOCAL_PREFIX: &str = "local:";
pub const LOCAL_PROJECT: &str = "local:project";
pub const LOCAL_ANNOTATOR: &str = "local:annotator";
pub const ASIDE_PREFIX: &str = "local:aside:";
pub const TEXT_PREFIX: &str = "text:";
pub const META_PREFIX: &str = "meta:";
pub const ANN_PREFIX: &str = "ann:";
pub const EDIT_PREFIX: &str = "edit:";
pub const LEDGER_PREFIX: &str = "ledger:";
/// `assign:<doc>`: who a document is assigned to (see [`crate::core::project::assign`]).
pub const ASSIGN_PREFIX: &str = "assign:";
/// Layout-1 record ids (read once, converted, removed).
pub const V1_PROJECT: &str = "project";
pub const V1_DOC_PREFIX: &str = "doc:";
pub const V1_ASIDE_PREFIX: &str = "aside:";

/// A document's key in record ids: `d` and 32 hex digits of SHA-256 over its id and text,
/// so the same article imported under the same name is the same document in every
/// browser, two different articles never share a key, and a copy renamed on import
/// (`x-2`) is a document of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocKey(String);

impl DocKey {
    pub fn of(doc: &Document) -> DocKey {
        let mut h = Sha256::new();
        h.update(doc.id.as_bytes());
        h.update([0u8]);
        h.update(doc.text.as_bytes());
        let hex: String = h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
        DocKey(format!("d{hex}"))
    }

    /// A key read back from a record id (`d` + 32 lower-case hex digits).
    pub fn parse(s: &str) -> Option<DocKey> {
        let ok = s.len() == 33 && s.starts_with('d') && s[1..].bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| DocKey(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who wrote a set of annotations: `local` until the editor logs in to a team, then their
/// CouchDB user name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Annotator(String);

/// Why a name cannot be an annotator's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadAnnotator(pub String);

impl fmt::Display for BadAnnotator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” cannot be an annotator's name: use 1 to 100 characters, no “:” and no control characters", self.0)
    }
}

impl std::error::Error for BadAnnotator {}

impl Annotator {
    /// The name before any team login.
    pub const LOCAL: &'static str = "local";

    pub fn local() -> Annotator {
        Annotator(Annotator::LOCAL.to_string())
    }

    /// A name as it may appear in record ids: CouchDB user names, which never hold `:`.
    pub fn new(name: &str) -> Result<Annotator, BadAnnotator> {
        let n = name.chars().count();
        let ok = (1..=100).contains(&n) && !name.contains(':') && !name.chars().any(char::is_control);
        if ok {
            Ok(Annotator(name.to_string()))
        } else {
            Err(BadAnnotator(name.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_local(&self) -> bool {
        self.0 == Annotator::LOCAL
    }
}

impl fmt::Display for Annotator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn text_id(doc: &DocKey) -> String {
    format!("{TEXT_PREFIX}{doc}")
}

pub fn meta_id(doc: &DocKey, who: &Annotator) -> String {
    format!("{META_PREFIX}{doc}:{who}")
}

pub fn ann_id(doc: &DocKey, who: &Annotator) -> String {
    format!("{ANN_PREFIX}{doc}:{who}")
}

/// Every edit record of one document × annotator starts with this.
pub fn edit_prefix(doc: &DocKey, who: &Annotator) -> String {
    format!("{EDIT_PREFIX}{doc}:{who}:")
}

/// Sequence numbers are zero-padded so the ids sort in edit order.
pub fn edit_id(doc: &DocKey, who: &Annotator, seq: u64) -> String {
    format!("{}{seq:012}", edit_prefix(doc, who))
}

pub fn ledger_id(who: &Annotator) -> String {
    format!("{LEDGER_PREFIX}{who}")
}

/// What a record id names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordId {
    Text(DocKey),
    Meta(DocKey, Annotator),
    Ann(DocKey, Annotator),
    Edit(DocKey, Annotator, u64),
    Ledger(Annotator),
    /// `assign:<doc>`: written by the project owner only.
    Assign(DocKey),
    /// `local:…`: never synced.
    Local(String),
    /// Layout 1, converted on open.
    V1(String),
}

impl RecordId {
    /// `None` for an id of no known shape (left alone).
    pub fn parse(id: &str) -> Option<RecordId> {
        let doc_who = |rest: &str| -> Option<(DocKey, Annotator)> {
            let (d, w) = rest.split_once(':')?;
            Some((DocKey::parse(d)?, Annotator::new(w).ok()?))
        };
        if id.starts_with(LOCAL_PREFIX) {
            Some(RecordId::Local(id.to_string()))
        } else if let Some(r) = id.strip_prefix(TEXT_PREFIX) {
            DocKey::parse(r).map(RecordId::Text)
        } else if let Some(r) = id.strip_prefix(META_PREFIX) {
            doc_who(r).map(|(d, w)| RecordId::Meta(d, w))
        } else if let Some(r) = id.strip_prefix(ANN_PREFIX) {
            doc_who(r).map(|(d, w)| RecordId::Ann(d, w))
        } else if let Some(r) = id.strip_prefix(EDIT_PREFIX) {
            let (rest, seq) = r.rsplit_once(':')?;
            let seq = seq.parse().ok().filter(|_| seq.len() == 12)?;
            doc_who(rest).map(|(d, w)| RecordId::Edit(d, w, seq))
        } else if let Some(r) = id.strip_prefix(LEDGER_PREFIX) {
            Annotator::new(r).ok().map(RecordId::Ledger)
        } else if let Some(r) = id.strip_prefix(ASSIGN_PREFIX) {
            DocKey::parse(r).map(RecordId::Assign)
        } else if id == V1_PROJECT || id.starts_with(V1_DOC_PREFIX) || id.starts_with(V1_ASIDE_PREFIX) {
            Some(RecordId::V1(id.to_string()))
        } else {
            None
        }
    }
}

/// `text:<doc>`: the article as imported (written once; never changes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextRecord {
    pub layout: u32,
    pub document: Document,
}

impl TextRecord {
    pub fn new(document: &Document) -> TextRecord {
        TextRecord { layout: LAYOUT, document: document.clone() }
    }
}

/// `meta:<doc>:<annotator>`: one annotator's list entry of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaRecord {
    #[serde(flatten)]
    pub entry: Entry,
    /// Orders the list: milliseconds since 1970 × 1000 + position in its import (small
    /// numbers for documents converted from layout 1, which come first).
    pub added: u64,
    /// Deleted by this annotator (kept, so their other devices delete it too).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `ann:<doc>:<annotator>`: an annotator's history up to edit `seq` (later edits are in
/// the log). The stored history's document has no text: that is `text:<doc>`'s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub layout: u32,
    pub seq: u64,
    pub history: StoredHistory,
}

impl Snapshot {
    pub fn of(history: &History, seq: u64) -> Snapshot {
        let mut stored = StoredHistory::from_history(history);
        stored.document.text = Arc::from("");
        Snapshot { layout: LAYOUT, seq, history: stored }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("annotation types always serialise")
    }

    pub fn from_json(json: &str) -> Result<Snapshot, RestoreError> {
        let s: Snapshot = serde_json::from_str(json).map_err(|e| RestoreError::Json(e.to_string()))?;
        if s.layout != LAYOUT {
            return Err(RestoreError::Version(s.layout));
        }
        Ok(s)
    }

    /// The history back, on `document`'s text.
    pub fn restore(mut self, document: &Document) -> Result<History, RestoreError> {
        self.history.document = document.clone();
        self.history.into_history()
    }
}

/// `edit:<doc>:<annotator>:<seq>`: one change after edit `seq - 1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditRecord {
    pub seq: u64,
    pub op: Op,
}

/// `local:project`: what each browser keeps for itself (which document is open, the
/// one-slot trash).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalProject {
    pub current: Option<String>,
    #[serde(default)]
    pub trash: Option<Trashed>,
}

/// A document loaded from its snapshot and log.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub history: History,
    /// The last edit applied (the next one written is `seq + 1`).
    pub seq: u64,
    /// The edit the snapshot holds everything up to.
    pub folded: u64,
    /// An edit record that could not be applied, and why: the history stops before it.
    pub damaged: Option<(u64, RestoreError)>,
    /// Bytes of the log records applied, and of the snapshot (see [`should_fold`]).
    pub log_bytes: u64,
    pub snapshot_bytes: u64,
}

/// Loads a document: the snapshot, then each logged edit after it in order. Records the
/// snapshot already holds are skipped (a fold removes them afterwards); the first record
/// that is missing, unreadable or does not fit stops the replay and is reported.
pub fn replay(document: &Document, snapshot: Snapshot, log: &[(u64, &str)]) -> Result<Loaded, RestoreError> {
    let folded = snapshot.seq;
    let mut log_bytes = 0;
    let mut history = snapshot.restore(document)?;
    let mut seq = folded;
    let mut damaged = None;
    let mut log: Vec<&(u64, &str)> = log.iter().filter(|(s, _)| *s > folded).collect();
    sort::sort_by_key(&mut log, |(s, _)| *s);
    for (s, json) in log {
        let applied = if *s != seq + 1 {
            Err(RestoreError::Corrupt(format!("edit {} is missing", seq + 1)))
        } else {
            serde_json::from_str::<EditRecord>(json)
                .map_err(|e| RestoreError::Json(e.to_string()))
                .and_then(|r| if r.seq == *s { r.op.apply(&history) } else { Err(RestoreError::Corrupt(format!("edit {s} says {}", r.seq))) })
        };
        match applied {
            Ok(h) => {
                history = h;
                seq = *s;
                log_bytes += json.len() as u64;
            }
            Err(e) => {
                damaged = Some((*s, e));
                break;
            }
        }
    }
    // The caller read the snapshot's record and knows its size.
    Ok(Loaded { history, seq, folded, damaged, log_bytes, snapshot_bytes: 0 })
}

/// The entry a document's current annotations give (for a new or rebuilt list entry).
pub fn entry_of(history: &History, status: DocStatus) -> Entry {
    let set = history.current();
    let status = if history.can_undo() && status == DocStatus::New { DocStatus::InProgress } else { status };
    Entry {
        id: set.document.id.clone(),
        title: set.document.title.clone(),
        status,
        pending: set.pending(),
        words: set.text().split_whitespace().count(),
    }
}

/// One annotator's project list from their `meta:` records and this browser's
/// `local:project`: live entries in the order they were added, the open document if it
/// is still listed (else the first), the trash if its entry is still deleted.
pub fn derive_project(metas: &[MetaRecord], local: &LocalProject, ledger: &LedgerEdits) -> Project {
    let mut live: Vec<&MetaRecord> = metas.iter().filter(|m| !m.deleted).collect();
    sort::sort_by(&mut live, |a, b| (a.added, &a.entry.id).cmp(&(b.added, &b.entry.id)));
    let mut seen = HashSet::new();
    let entries: Vec<Entry> = live.into_iter().filter(|m| seen.insert(m.entry.id.clone())).map(|m| m.entry.clone()).collect();
    let listed = |id: &str| entries.iter().any(|e| e.id == id);
    let current = local.current.clone().filter(|c| listed(c)).or_else(|| entries.first().map(|e| e.id.clone()));
    let trash = local.trash.clone().filter(|t| !listed(&t.entry.id));
    Project { entries, current, trash, ledger: ledger.clone() }
}

/// The records a list change writes: one `meta:` per entry added, changed or deleted
/// (as `(entry, deleted)`), given the list as last stored (`base`). Only the entry in
/// `mine`'s trash counts as deleted: an entry `base` has and `mine` lacks otherwise is
/// another tab's addition this list has not merged yet, and writing it deleted would
/// undo that tab's import.
pub fn changed_entries<'a>(base: &'a Project, mine: &'a Project) -> Vec<(&'a Entry, bool)> {
    let mut out: Vec<(&Entry, bool)> = mine.entries.iter().filter(|e| base.get(&e.id) != Some(*e)).map(|e| (e, false)).collect();
    if let Some(t) = &mine.trash {
        if base.get(&t.entry.id).is_some() && mine.get(&t.entry.id).is_none() {
            out.push((&t.entry, true));
        }
    }
    out
}

/// The id a record of `from` gets when its records move to `to` (the first team login
/// takes over what was written as `local`); `None` for records that are not `from`'s.
pub fn renamed(id: &str, from: &Annotator, to: &Annotator) -> Option<String> {
    match RecordId::parse(id)? {
        RecordId::Meta(d, w) if w == *from => Some(meta_id(&d, to)),
        RecordId::Ann(d, w) if w == *from => Some(ann_id(&d, to)),
        RecordId::Edit(d, w, s) if w == *from => Some(edit_id(&d, to, s)),
        RecordId::Ledger(w) if w == *from => Some(ledger_id(to)),
        _ => None,
    }
}

/// Layout-1 records as read (raw bodies).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct V1 {
    pub project: Option<String>,
    /// (document id, body) of each `doc:<id>`.
    pub docs: Vec<(String, String)>,
}

/// Something converted records could not hold: kept aside with its raw body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub record: String,
    pub reason: String,
    pub raw: String,
}

/// What converting layout 1 writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Converted {
    /// (record id, body), written only where no record of that id exists yet.
    pub records: Vec<(String, String)>,
    pub local: LocalProject,
    pub asides: Vec<SetAside>,
}

/// Converts layout-1 records to this layout for `who`: every stored history becomes a
/// text record and a snapshot (its whole undo history kept), every list entry a `meta:`
/// record in list order, the ledger corrections a `ledger:` record. A record that does
/// not read is set aside, never dropped; a stored document the list lacks is listed.
pub fn convert_v1(v1: &V1, who: &Annotator) -> Converted {
    let mut out = Converted::default();
    let project = match v1.project.as_deref().map(serde_json::from_str::<Project>) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            out.asides.push(SetAside {
                record: V1_PROJECT.into(),
                reason: format!("the project list could not be read ({e})"),
                raw: v1.project.clone().unwrap_or_default(),
            });
            None
        }
        None => None,
    };
    let project = project.unwrap_or_default();
    let position: HashMap<&str, usize> = project.entries.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let trashed = project.trash.as_ref().map(|t| t.entry.id.as_str());
    for (n, (id, json)) in v1.docs.iter().enumerate() {
        let history = match StoredHistory::from_json(json) {
            Ok(h) => h,
            Err(e) => {
                out.asides.push(SetAside { record: format!("{V1_DOC_PREFIX}{id}"), reason: format!("document {id}: {e}"), raw: json.clone() });
                continue;
            }
        };
        let doc = &history.current().document;
        let key = DocKey::of(doc);
        let listed = project.get(&doc.id).or_else(|| project.trash.as_ref().map(|t| &t.entry).filter(|e| e.id == doc.id));
        let entry = listed.cloned().unwrap_or_else(|| entry_of(&history, DocStatus::New));
        let added = position.get(doc.id.as_str()).map_or(1_000_000 + n, |p| p + 1) as u64;
        let meta = MetaRecord { entry, added, deleted: trashed == Some(doc.id.as_str()) };
        out.records.push((text_id(&key), json_of(&TextRecord::new(doc))));
        out.records.push((ann_id(&key, who), Snapshot::of(&history, 0).to_json()));
        out.records.push((meta_id(&key, who), json_of(&meta)));
    }
    if !project.ledger.is_empty() {
        out.records.push((ledger_id(who), json_of(&project.ledger)));
    }
    out.local = LocalProject { current: project.current.clone(), trash: project.trash.clone() };
    out
}

/// A record body.
pub fn json_of<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("record types always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{AnnotationSet, Edit};
    use crate::core::model::label::Label;
    use crate::core::model::span::Span;

    /// One change of a history, as a test applies it.
    type Change = Box<dyn Fn(&mut History)>;

    fn doc(id: &str, text: &str) -> Document {
        Document::new(id, Some(format!("Title of {id}")), text)
    }

    fn edited(id: &str) -> History {
        let mut h = History::new(AnnotationSet::new(doc(id, "Maria Lopez met John Carter in Lisbon.")));
        for (label, a, b) in [(Label::Person, 0, 11), (Label::Person, 16, 27), (Label::Gpe, 31, 37)] {
            h.apply(&[Edit::AddEntity { label, span: Span::new(a, b) }]).unwrap();
        }
        h.undo();
        h
    }

    #[test]
    fn keys_are_stable_distinct_and_parse_back() {
        let a = DocKey::of(&doc("x", "Same text."));
        assert_eq!(a, DocKey::of(&Document::new("x", None, "Same text.")), "the title is not part of it");
        assert_eq!(DocKey::parse(a.as_str()), Some(a.clone()));
        assert_ne!(a, DocKey::of(&doc("x", "Other text.")));
        assert_ne!(a, DocKey::of(&doc("x-2", "Same text.")), "a renamed copy is its own document");
        // No id/text boundary games: ("ab", "c") and ("a", "bc") differ.
        assert_ne!(DocKey::of(&doc("ab", "c")), DocKey::of(&doc("a", "bc")));
        let me = Annotator::new("ana").unwrap();
        let cases = [
            (text_id(&a), RecordId::Text(a.clone())),
            (meta_id(&a, &me), RecordId::Meta(a.clone(), me.clone())),
            (ann_id(&a, &me), RecordId::Ann(a.clone(), me.clone())),
            (edit_id(&a, &me, 7), RecordId::Edit(a.clone(), me.clone(), 7)),
            (ledger_id(&me), RecordId::Ledger(me.clone())),
            (LOCAL_PROJECT.to_string(), RecordId::Local(LOCAL_PROJECT.into())),
            ("doc:x".to_string(), RecordId::V1("doc:x".into())),
        ];
        for (id, want) in cases {
            assert_eq!(RecordId::parse(&id), Some(want), "{id}");
        }
        for bad in ["text:nothex", "meta:d00:ana", "edit:x:y:1", "other", "ann:d0123456789abcdef0123456789abcdef:"] {
            assert_eq!(RecordId::parse(bad), None, "{bad}");
        }
        assert!(edit_id(&a, &me, 9) < edit_id(&a, &me, 10), "ids sort in edit order");
        let (local, ana) = (Annotator::local(), me.clone());
        assert_eq!(renamed(&edit_id(&a, &local, 3), &local, &ana), Some(edit_id(&a, &ana, 3)));
        assert_eq!(renamed(&meta_id(&a, &local), &local, &ana), Some(meta_id(&a, &ana)));
        assert_eq!(renamed(&ledger_id(&local), &local, &ana), Some(ledger_id(&ana)));
        for other in [text_id(&a), meta_id(&a, &Annotator::new("bo").unwrap()), LOCAL_PROJECT.to_string()] {
            assert_eq!(renamed(&other, &local, &ana), None, "{other}");
        }
        for bad in ["", "a:b", "tab\there", &"x".repeat(101)] {
            assert!(Annotator::new(bad).is_err(), "{bad:?}");
        }
    }

    /// Loading = snapshot + the log after it: every save of a session replayed gives the
    /// session's history; records the snapshot holds are skipped; a gap or a bad record
    /// stops the replay there and is reported.
    #[test]
    fn snapshot_and_log_replay_the_session() {
        let mut h = edited("d");
        let document = h.current().document.clone();
        let snapshot = Snapshot::of(&h, 0);
        assert!(!snapshot.to_json().contains("Lisbon"), "no text in the snapshot");
        let mut log = Vec::new();
        let steps: Vec<Change> = vec![
            Box::new(|h: &mut History| assert!(h.redo())),
            Box::new(|h: &mut History| h.apply(&[Edit::AddEntity { label: Label::Date, span: Span::new(12, 15) }]).unwrap()),
            Box::new(|h: &mut History| assert!(h.undo())),
        ];
        for (i, change) in steps.iter().enumerate() {
            let before = h.clone();
            change(&mut h);
            let op = Op::between(&before, &h).unwrap();
            log.push((i as u64 + 1, json_of(&EditRecord { seq: i as u64 + 1, op })));
        }
        let refs: Vec<(u64, &str)> = log.iter().map(|(s, j)| (*s, j.as_str())).collect();
        let snap = Snapshot::from_json(&snapshot.to_json()).unwrap();
        let loaded = replay(&document, snap.clone(), &refs).unwrap();
        assert_eq!((loaded.history.clone(), loaded.seq, loaded.damaged.clone()), (h.clone(), 3, None));
        assert_eq!(loaded.log_bytes, log.iter().map(|(_, j)| j.len() as u64).sum::<u64>());
        assert!(loaded.history.can_redo(), "undo and redo work across a reload");
        // Folded at 2: records 1 and 2 are skipped.
        let mut at2 = replay(&document, snap.clone(), &refs[..2]).unwrap().history;
        let folded = Snapshot::of(&at2, 2);
        assert_eq!(replay(&document, folded, &refs).unwrap().history, h);
        // A gap, or a damaged record: stops before it, says which.
        let gap = replay(&document, snap.clone(), &[refs[0], refs[2]]).unwrap();
        assert_eq!((gap.seq, gap.damaged.as_ref().map(|d| d.0)), (1, Some(3)));
        let bad = replay(&document, snap.clone(), &[refs[0], (2, "{not json")]).unwrap();
        assert_eq!(bad.seq, 1);
        assert!(matches!(bad.damaged, Some((2, RestoreError::Json(_)))));
        at2.undo();
        let wrong = Op::between(&at2, &at2).unwrap();
        let shifted = json_of(&EditRecord { seq: 1, op: Op { keep: 99, ..wrong } });
        assert!(matches!(replay(&document, snap, &[(1, &shifted)]).unwrap().damaged, Some((1, RestoreError::Corrupt(_)))));
        assert!(matches!(Snapshot::from_json(r#"{"layout":1,"seq":0,"history":{}}"#), Err(RestoreError::Json(_) | RestoreError::Version(_))));
    }

    #[test]
    fn folds_are_amortised_over_the_log() {
        // (edits since the fold, their bytes, snapshot bytes) → fold?
        let cases = [
            (10, 100_000, 1_000, false),
            (64, 64 * 300, 37_000, true),
            (64, 64 * 300, 1_500_000, false),
            (400, 400 * 300, 1_500_000, false),
            (512, 512 * 300, 1_500_000, true),
        ];
        for (edits, log, snap, want) in cases {
            assert_eq!(should_fold(edits, log, snap), want, "{edits} {log} {snap}");
        }
    }

    #[test]
    fn the_list_is_derived_from_meta_records() {
        let entry = |id: &str, status| Entry { id: id.into(), title: None, status, pending: 1, words: 3 };
        let metas = vec![
            MetaRecord { entry: entry("c", DocStatus::Done), added: 30, deleted: false },
            MetaRecord { entry: entry("a", DocStatus::New), added: 10, deleted: false },
            MetaRecord { entry: entry("gone", DocStatus::New), added: 20, deleted: true },
            MetaRecord { entry: entry("b", DocStatus::New), added: 10, deleted: false },
        ];
        let trash = Trashed { entry: entry("gone", DocStatus::New), index: 1 };
        let local = LocalProject { current: Some("c".into()), trash: Some(trash.clone()) };
        let p = derive_project(&metas, &local, &LedgerEdits::default());
        let ids: Vec<&str> = p.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!((p.current.as_deref(), p.trash.clone()), (Some("c"), Some(trash)));
        let p2 = derive_project(&metas, &LocalProject { current: Some("gone".into()), trash: None }, &LedgerEdits::default());
        assert_eq!(p2.current.as_deref(), Some("a"), "a deleted document is not open");
        // What a list change writes: the changed entry, the added one, the deleted one.
        let mut mine = p.clone();
        mine.set_status("a", DocStatus::Done);
        mine.add(vec![doc("d", "New one.")]);
        mine.delete("b").unwrap();
        let changed: Vec<(&str, bool)> = changed_entries(&p, &mine).iter().map(|(e, d)| (e.id.as_str(), *d)).collect();
        assert_eq!(changed, [("a", false), ("d", false), ("b", true)]);
        assert!(changed_entries(&p, &p).is_empty());
        // A list that has not merged another tab's import yet deletes nothing.
        let mut stale = p.clone();
        stale.entries.retain(|e| e.id != "c");
        assert!(changed_entries(&p, &stale).is_empty());
    }

    /// Layout 1 → 2: histories (with their undo steps), the list (order, status, open
    /// document, trash, ledger) come through; unreadable records are set aside raw.
    #[test]
    fn layout_one_converts_without_loss() {
        let (h1, h2, h3) = (edited("one"), edited("two"), edited("three"));
        let mut project = Project::default();
        project.add(vec![h2.current().document.clone(), h1.current().document.clone(), h3.current().document.clone()]);
        project.set_status("two", DocStatus::Done);
        project.delete("three").unwrap();
        project.current = Some("one".into());
        project.ledger.ops.push(crate::core::ledger::edits::LedgerOp::Split { member: crate::core::ledger::edits::MemberId { document: "one".into(), key: "person:Maria Lopez".into() } });
        let orphan = edited("orphan");
        let v1 = V1 {
            project: Some(json_of(&project)),
            docs: vec![
                ("one".into(), StoredHistory::to_json(&h1)),
                ("two".into(), StoredHistory::to_json(&h2)),
                ("three".into(), StoredHistory::to_json(&h3)),
                ("orphan".into(), StoredHistory::to_json(&orphan)),
                ("bad".into(), "{broken".into()),
            ],
        };
        let who = Annotator::local();
        let c = convert_v1(&v1, &who);
        let body = |id: String| c.records.iter().find(|(i, _)| *i == id).map(|(_, b)| b.clone()).expect(&id);
        let metas: Vec<MetaRecord> = c
            .records
            .iter()
            .filter(|(i, _)| i.starts_with(META_PREFIX))
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .collect();
        let ledger: LedgerEdits = serde_json::from_str(&body(ledger_id(&who))).unwrap();
        let derived = derive_project(&metas, &c.local, &ledger);
        let ids: Vec<&str> = derived.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["two", "one", "orphan"]);
        assert_eq!(derived.get("two").unwrap().status, DocStatus::Done);
        assert_eq!((derived.current.as_deref(), derived.trash.as_ref().map(|t| t.entry.id.as_str())), (Some("one"), Some("three")));
        assert_eq!(derived.ledger, project.ledger);
        for h in [&h1, &h2, &h3, &orphan] {
            let key = DocKey::of(&h.current().document);
            let text: TextRecord = serde_json::from_str(&body(text_id(&key))).unwrap();
            let snap = Snapshot::from_json(&body(ann_id(&key, &who))).unwrap();
            let back = replay(&text.document, snap, &[]).unwrap().history;
            assert_eq!(&back, h);
            assert!(back.can_redo(), "the undone step is still there");
        }
        assert_eq!(c.asides, vec![SetAside { record: "doc:bad".into(), reason: c.asides[0].reason.clone(), raw: "{broken".into() }]);
        let broken = convert_v1(&V1 { project: Some("{nope".into()), docs: v1.docs[..1].to_vec() }, &who);
        assert_eq!(broken.asides[0].raw, "{nope");
        assert_eq!(broken.records.iter().filter(|(i, _)| i.starts_with(META_PREFIX)).count(), 1, "the list is rebuilt from the documents");
    }
}

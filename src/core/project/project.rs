//! A project: the list of articles an editor works through, with each one's review status
//! and pending-suggestion count, so the list can be shown, filtered and searched without
//! loading every document's annotations.
//!
//! Pure state transitions, host-tested; the browser stores a [`Project`] as one list-entry
//! record per document and annotator (`core::project::records`, from which the list is
//! derived again) next to each document's history. Deleting moves an entry to a one-slot trash so it
//! can be undone (also after a reload); the next delete empties the trash for good and
//! reports which document's stored annotations may now be dropped.

use crate::core::ledger::edits::LedgerEdits;
use crate::core::model::annotation::{AnnotationSet, Document};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an editor is with one article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocStatus {
    /// Imported, not touched yet.
    New,
    /// At least one edit made.
    InProgress,
    /// Marked finished by the editor.
    Done,
}

impl DocStatus {
    pub const ALL: [DocStatus; 3] = [DocStatus::New, DocStatus::InProgress, DocStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in-progress",
            DocStatus::Done => "done",
        }
    }

    /// What the UI shows.
    pub fn title(self) -> &'static str {
        match self {
            DocStatus::New => "New",
            DocStatus::InProgress => "In progress",
            DocStatus::Done => "Done",
        }
    }
}

impl fmt::Display for DocStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DocStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<DocStatus, String> {
        DocStatus::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown status {s:?}: use new, in-progress or done"))
    }
}

/// One article in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique within the project (imports rename clashes, see [`Project::add`]).
    pub id: String,
    pub title: Option<String>,
    pub status: DocStatus,
    /// Suggestions still waiting for review.
    pub pending: usize,
    /// Whitespace-separated words, for the list and progress figures.
    pub words: usize,
}

impl Entry {
    /// The title, or the id when there is none.
    pub fn label(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }
}

/// A deleted entry, kept until the next delete so it can be restored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    pub entry: Entry,
    /// Where it was in the list.
    pub index: usize,
}

/// The list of articles and which one is open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub entries: Vec<Entry>,
    pub current: Option<String>,
    #[serde(default)]
    pub trash: Option<Trashed>,
    /// The editor's merges and splits of the source ledger: project data, stored and
    /// exported with the list (absent in older records).
    #[serde(default, skip_serializing_if = "LedgerEdits::is_empty")]
    pub ledger: LedgerEdits,
}

/// An id that is not in the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownDocument(pub String);

impl fmt::Display for UnknownDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no document {:?} in the project", self.0)
    }
}

impl std::error::Error for UnknownDocument {}

/// Which entries to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Case-insensitive substring of the title or id; empty = all.
    pub query: String,
    pub status: Option<DocStatus>,
}

impl Filter {
    pub fn matches(&self, e: &Entry) -> bool {
        let q = self.query.trim().to_lowercase();
        self.status.is_none_or(|s| s == e.status)
            && (q.is_empty()
                || e.id.to_lowercase().contains(&q)
                || e.title.as_deref().is_some_and(|t| t.to_lowercase().contains(&q)))
    }
}

impl Project {
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// `want`, or `want-2`, `want-3`, … whichever is not taken (the trash counts as taken,
    /// so undoing a delete can never clash).
    pub fn unique_id(&self, want: &str) -> String {
        let taken = |id: &str| self.get(id).is_some() || self.trash.as_ref().is_some_and(|t| t.entry.id == id);
        let base = if want.trim().is_empty() { "article" } else { want.trim() };
        if !taken(base) {
            return base.to_string();
        }
        (2..).map(|n| format!("{base}-{n}")).find(|c| !taken(c)).unwrap_or_default()
    }

    /// Adds documents at the end of the list, renaming ids that are already taken. Returns
    /// the documents as stored (with their final ids), in order. The first added document
    /// becomes current when nothing is open.
    pub fn add(&mut self, docs: Vec<Document>) -> Vec<Document> {
        let mut out = Vec::with_capacity(docs.len());
        for mut doc in docs {
            doc.id = self.unique_id(&doc.id);
            self.entries.push(Entry {
                id: doc.id.clone(),
                title: doc.title.clone(),
                status: DocStatus::New,
                pending: 0,
                words: doc.text.split_whitespace().count(),
            });
            out.push(doc);
        }
        if self.current.is_none() {
            self.current = out.first().map(|d| d.id.clone());
        }
        out
    }

    /// Refreshes an entry from its annotations after a change. `edited` (the history has an
    /// undo step) moves a new document to in progress; done stays done.
    pub fn update(&mut self, set: &AnnotationSet, edited: bool) -> bool {
        let Some(e) = self.get_mut(&set.document.id) else { return false };
        let before = e.clone();
        e.pending = set.pending();
        if edited && e.status == DocStatus::New {
            e.status = DocStatus::InProgress;
        }
        *e != before
    }

    pub fn set_status(&mut self, id: &str, status: DocStatus) -> bool {
        match self.get_mut(id) {
            Some(e) if e.status != status => {
                e.status = status;
                true
            }
            _ => false,
        }
    }

    pub fn open(&mut self, id: &str) -> bool {
        let ok = self.get(id).is_some();
        if ok {
            self.current = Some(id.to_string());
        }
        ok
    }

    /// Moves an entry to the trash. Returns the id of the previously trashed document,
    /// whose stored data can now be deleted, as `Ok(Some(id))`.
    /// If it was open, the next entry (or the previous one) becomes current.
    pub fn delete(&mut self, id: &str) -> Result<Option<String>, UnknownDocument> {
        let index = self.entries.iter().position(|e| e.id == id).ok_or_else(|| UnknownDocument(id.to_string()))?;
        let entry = self.entries.remove(index);
        if self.current.as_deref() == Some(id) {
            let next = self.entries.get(index).or_else(|| index.checked_sub(1).and_then(|i| self.entries.get(i)));
            self.current = next.map(|e| e.id.clone());
        }
        let purged = self.trash.replace(Trashed { entry, index }).map(|t| t.entry.id);
        Ok(purged)
    }

    /// Puts the trashed entry back where it was and opens it. False when the trash is empty.
    pub fn undo_delete(&mut self) -> bool {
        let Some(Trashed { entry, index }) = self.trash.take() else { return false };
        self.current = Some(entry.id.clone());
        let at = index.min(self.entries.len());
        self.entries.insert(at, entry);
        true
    }

    /// Three-way merge of two tabs' (or devices') lists that both started from `base`:
    /// `theirs` was stored meanwhile, `self` is this tab's. Entries either side added are
    /// kept (theirs first, in their order, then ours); one either side deleted is gone; an
    /// entry both have takes our version where we changed it since `base`, else theirs.
    /// `current` stays ours (each tab has its own open document) while it still exists; the
    /// trash is ours if we deleted since `base`, else theirs. So an import in one tab and
    /// an edit in another never undo each other.
    pub fn merge(&self, base: &Project, theirs: &Project) -> Project {
        let changed_here = |e: &Entry| base.get(&e.id) != Some(e);
        let mut entries: Vec<Entry> = Vec::with_capacity(theirs.entries.len() + self.entries.len());
        for t in &theirs.entries {
            let deleted_here = base.get(&t.id).is_some() && self.get(&t.id).is_none();
            if deleted_here {
                continue;
            }
            match self.get(&t.id) {
                Some(m) if changed_here(m) => entries.push(m.clone()),
                _ => entries.push(t.clone()),
            }
        }
        for m in &self.entries {
            let added_here = base.get(&m.id).is_none() && theirs.get(&m.id).is_none();
            if added_here {
                entries.push(m.clone());
            }
        }
        let trash = if self.trash != base.trash { self.trash.clone() } else { theirs.trash.clone() };
        let ledger = self.ledger.merge(&base.ledger, &theirs.ledger);
        let mut merged = Project { entries, current: None, trash, ledger };
        merged.current = self
            .current
            .clone()
            .filter(|c| merged.get(c).is_some())
            .or_else(|| theirs.current.clone().filter(|c| merged.get(c).is_some()))
            .or_else(|| merged.entries.first().map(|e| e.id.clone()));
        merged
    }

    /// The entries to show, in list order.
    pub fn filtered(&self, filter: &Filter) -> Vec<&Entry> {
        self.entries.iter().filter(|e| filter.matches(e)).collect()
    }

    /// How many entries have each status, in [`DocStatus::ALL`] order.
    pub fn counts(&self) -> [usize; 3] {
        let mut c = [0; 3];
        for e in &self.entries {
            c[DocStatus::ALL.iter().position(|s| *s == e.status).unwrap_or(0)] += 1;
        }
        c
    }

    /// Total pending suggestions across the project.
    pub fn pending(&self) -> usize {
        self.entries.iter().map(|e| e.pending).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Edit, Status};
    use crate::core::model::label::Label;
    use crate::core::model::span::Span;

    /// Issue 13's two-tab case and its neighbours, as merges: tab B imports while tab A
    /// (opened earlier, so its base lacks B's imports) edits, deletes or marks done.
    #[test]
    fn merge_keeps_both_sides_work() {
        let base = project(&["a", "b"]);
        let mut theirs = base.clone();
        theirs.add((1..=5).map(|i| doc(&format!("new{i}"), None)).collect());
        // A edits "a".
        let mut mine = base.clone();
        mine.set_status("a", DocStatus::InProgress);
        let m = mine.merge(&base, &theirs);
        let ids: Vec<&str> = m.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "new1", "new2", "new3", "new4", "new5"]);
        assert_eq!(m.get("a").unwrap().status, DocStatus::InProgress);
        assert_eq!(m.current, mine.current);
        // A deletes "b": gone, the trash is A's; B's imports stay.
        let mut mine = base.clone();
        mine.delete("b").unwrap();
        let m = mine.merge(&base, &theirs);
        assert!(m.get("b").is_none() && m.get("new5").is_some());
        assert_eq!(m.trash.as_ref().unwrap().entry.id, "b");
        // B deleted "a" (and changed nothing else) while A imported "c": both happen.
        let mut theirs = base.clone();
        theirs.delete("a").unwrap();
        let mut mine = base.clone();
        mine.add(vec![doc("c", None)]);
        let m = mine.merge(&base, &theirs);
        let ids: Vec<&str> = m.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        assert_eq!(m.current.as_deref(), Some("b"), "our open document was deleted there");
        // Nothing changed on either side: the merge is the identity.
        assert_eq!(base.merge(&base, &base), base);
        // Only they changed: theirs, with our open document.
        let mut theirs = base.clone();
        theirs.set_status("b", DocStatus::Done);
        theirs.current = Some("b".into());
        let m = base.merge(&base, &theirs);
        assert_eq!(m.get("b").unwrap().status, DocStatus::Done);
        assert_eq!(m.current, base.current);
    }

    fn doc(id: &str, title: Option<&str>) -> Document {
        Document::new(id, title.map(str::to_string), "Alice met Bob in Paris.")
    }

    fn project(ids: &[&str]) -> Project {
        let mut p = Project::default();
        p.add(ids.iter().map(|i| doc(i, None)).collect());
        p
    }

    fn ids(p: &Project) -> Vec<&str> {
        p.entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn ledger_edits_are_stored_with_the_project() {
        use crate::core::ledger::edits::LedgerOp;
        let mut p = project(&["a"]);
        let plain = serde_json::to_string(&p).unwrap();
        assert!(!plain.contains("ledger"), "no edits, no field: {plain}");
        assert_eq!(serde_json::from_str::<Project>(&plain).unwrap(), p, "records from before the ledger still read");
        p.ledger.push(LedgerOp::Merge { from: "person:putin".into(), into: "person:vladimir putin".into() });
        let back: Project = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back.ledger, p.ledger);
    }

    #[test]
    fn add_renames_clashes_and_opens_the_first() {
        let mut p = project(&["a", "b"]);
        let added = p.add(vec![doc("a", None), doc("a", None), doc("", None), doc("c", None)]);
        let got: Vec<&str> = added.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(got, ["a-2", "a-3", "article", "c"]);
        assert_eq!(ids(&p), ["a", "b", "a-2", "a-3", "article", "c"]);
        assert_eq!(p.current.as_deref(), Some("a"));
        assert_eq!(p.get("c").map(|e| e.words), Some(5));
    }

    #[test]
    fn delete_and_undo_table() {
        // (operations, expected ids, expected current, expected purged id of the last delete)
        type Case = (&'static [&'static str], &'static [&'static str], Option<&'static str>, Option<&'static str>);
        let cases: [Case; 5] = [
            (&["del b"], &["a", "c"], Some("a"), None),
            (&["open b", "del b"], &["a", "c"], Some("c"), None),
            (&["open c", "del c"], &["a", "b"], Some("b"), None),
            (&["del b", "undo"], &["a", "b", "c"], Some("b"), None),
            (&["del a", "del b"], &["c"], Some("c"), Some("a")),
        ];
        for (ops, want_ids, want_current, want_purged) in cases {
            let mut p = project(&["a", "b", "c"]);
            let mut purged = None;
            for op in ops {
                let (verb, arg) = op.split_once(' ').unwrap_or((op, ""));
                match verb {
                    "del" => purged = p.delete(arg).unwrap(),
                    "open" => assert!(p.open(arg)),
                    "undo" => assert!(p.undo_delete()),
                    _ => unreachable!(),
                }
            }
            assert_eq!(ids(&p), want_ids, "{ops:?}");
            assert_eq!(p.current.as_deref(), want_current, "{ops:?}");
            assert_eq!(purged.as_deref(), want_purged, "{ops:?}");
        }
    }

    #[test]
    fn undo_with_empty_trash_and_unknown_delete() {
        let mut p = project(&["a"]);
        assert!(!p.undo_delete());
        assert_eq!(p.delete("zz"), Err(UnknownDocument("zz".into())));
        p.delete("a").unwrap();
        assert_eq!(p.current, None);
        assert_eq!(p.unique_id("a"), "a-2", "a trashed id is still taken");
        assert!(p.undo_delete());
        assert_eq!(p.current.as_deref(), Some("a"));
    }

    #[test]
    fn update_tracks_pending_and_status() {
        let mut p = project(&["a"]);
        let d = p.entries[0].clone();
        let mut set = AnnotationSet::new(doc("a", None));
        let set2 = set.apply(&Edit::AddEntity { label: Label::Person, span: Span::new(0, 5) }).unwrap();
        set = set2;
        set.entities[0].status = Status::Suggested;
        assert!(p.update(&set, false));
        assert_eq!((p.entries[0].pending, p.entries[0].status), (1, DocStatus::New));
        assert!(p.update(&set, true));
        assert_eq!(p.entries[0].status, DocStatus::InProgress);
        assert!(!p.update(&set, true), "nothing changed");
        assert!(p.set_status("a", DocStatus::Done));
        p.update(&set, true);
        assert_eq!(p.entries[0].status, DocStatus::Done, "done stays done");
        assert_eq!(p.pending(), 1);
        assert_ne!(d, p.entries[0]);
    }

    #[test]
    fn filter_table() {
        let mut p = Project::default();
        p.add(vec![doc("x1", Some("Moscow talks")), doc("x2", Some("Budget vote")), doc("mos-3", None)]);
        p.set_status("x2", DocStatus::Done);
        let cases: [(&str, Option<DocStatus>, &[&str]); 5] = [
            ("", None, &["x1", "x2", "mos-3"]),
            ("MOS", None, &["x1", "mos-3"]),
            ("  vote ", None, &["x2"]),
            ("", Some(DocStatus::Done), &["x2"]),
            ("mos", Some(DocStatus::Done), &[]),
        ];
        for (query, status, want) in cases {
            let f = Filter { query: query.into(), status };
            let got: Vec<&str> = p.filtered(&f).iter().map(|e| e.id.as_str()).collect();
            assert_eq!(got, want, "{query:?} {status:?}");
        }
        assert_eq!(p.counts(), [2, 0, 1]);
    }

    #[test]
    fn status_names_round_trip() {
        for s in DocStatus::ALL {
            assert_eq!(s.as_str().parse::<DocStatus>(), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        assert!("finished".parse::<DocStatus>().is_err());
    }
}

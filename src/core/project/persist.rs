//! The stored form of one document's undo history (what the browser keeps in IndexedDB).
//!
//! `History` itself serialises every snapshot in full, text included: 500 snapshots of a
//! long article would be hundreds of megabytes, rewritten on every key press. Here the
//! text is stored once and each snapshot after the first only as a delta against the one
//! before (runs copied from it by position, plus the items that changed), so a 2,000-entity
//! document with a long history stays close to the size of one snapshot and is restored
//! exactly: same items, same order, same id counter, same position in the history.

use crate::core::model::annotation::{AnnotationSet, Attribution, Boilerplate, Curation, Document, Entity};
use crate::core::model::history::History;
use crate::core::model::label::LabelSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// Bumped when the stored layout changes; older records are refused with a clear message.
pub const STORED_VERSION: u32 = 1;

/// One snapshot without its document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub schema: LabelSchema,
    pub entities: Vec<Entity>,
    pub attributions: Vec<Attribution>,
    pub boilerplate: Vec<Boilerplate>,
    pub next_id: u32,
}

/// A run of the new list: items copied from the previous snapshot, or new ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Run<T> {
    /// `prev[from..from + len]`.
    #[serde(rename = "c")]
    Copy { from: u32, len: u32 },
    #[serde(rename = "n")]
    New(Vec<T>),
}

/// One snapshot as a change against the previous one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Only when the schema changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<LabelSchema>,
    pub entities: Vec<Run<Entity>>,
    pub attributions: Vec<Run<Attribution>>,
    pub boilerplate: Vec<Run<Boilerplate>>,
    pub next_id: u32,
}

/// A whole history as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredHistory {
    pub version: u32,
    pub document: Document,
    /// Index of the current snapshot.
    pub at: usize,
    pub first: Body,
    pub steps: Vec<Step>,
    /// A curated version's provenance; no edit changes it, so it is stored once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curation: Option<Curation>,
}

/// Why a stored history could not be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    Json(String),
    Version(u32),
    /// A delta points outside the snapshot before it (a damaged record).
    Corrupt(String),
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::Json(m) => write!(f, "the stored document is not readable ({m})"),
            RestoreError::Version(v) => {
                write!(f, "the stored document has layout {v}, this app reads {STORED_VERSION}: export it with a matching version")
            }
            RestoreError::Corrupt(m) => write!(f, "the stored history is damaged ({m})"),
        }
    }
}

impl std::error::Error for RestoreError {}

/// Items matched across snapshots by their id.
pub(crate) trait Keyed {
    fn key(&self) -> u32;
}
impl Keyed for Entity {
    fn key(&self) -> u32 {
        self.id.0
    }
}
impl Keyed for Attribution {
    fn key(&self) -> u32 {
        self.id.0
    }
}
impl Keyed for Boilerplate {
    fn key(&self) -> u32 {
        self.id.0
    }
}

/// `next` as a change against `prev`.
pub(crate) fn step(prev: &AnnotationSet, next: &AnnotationSet) -> Step {
    Step {
        schema: (prev.schema != next.schema).then(|| next.schema.clone()),
        entities: diff(&prev.entities, &next.entities),
        attributions: diff(&prev.attributions, &next.attributions),
        boilerplate: diff(&prev.boilerplate, &next.boilerplate),
        next_id: next.next_id(),
    }
}

pub(crate) fn diff<T: Keyed + PartialEq + Clone>(prev: &[T], next: &[T]) -> Vec<Run<T>> {
    // An edit changes a few items in place, or adds or removes some: the common head and
    // tail are copied without hashing (a save per key press on a 10,000-entity article).
    let head = prev.iter().zip(next).take_while(|(a, b)| a == b).count();
    let tail = prev[head..].iter().rev().zip(next[head..].iter().rev()).take_while(|(a, b)| a == b).count();
    let mut runs: Vec<Run<T>> = Vec::new();
    if head > 0 {
        runs.push(Run::Copy { from: 0, len: head as u32 });
    }
    let middle = &prev[head..prev.len() - tail];
    let at: HashMap<u32, usize> = middle.iter().enumerate().map(|(i, x)| (x.key(), head + i)).collect();
    for item in &next[head..next.len() - tail] {
        let same = at.get(&item.key()).copied().filter(|&j| prev[j] == *item);
        match (same, runs.last_mut()) {
            (Some(j), Some(Run::Copy { from, len })) if (*from + *len) as usize == j => *len += 1,
            (Some(j), _) => runs.push(Run::Copy { from: j as u32, len: 1 }),
            (None, Some(Run::New(items))) => items.push(item.clone()),
            (None, _) => runs.push(Run::New(vec![item.clone()])),
        }
    }
    if tail > 0 {
        let from = (prev.len() - tail) as u32;
        match runs.last_mut() {
            Some(Run::Copy { from: f, len }) if *f + *len == from => *len += tail as u32,
            _ => runs.push(Run::Copy { from, len: tail as u32 }),
        }
    }
    runs
}

pub(crate) fn patch<T: Clone>(prev: &[T], runs: &[Run<T>]) -> Result<Vec<T>, RestoreError> {
    let mut out = Vec::with_capacity(prev.len());
    for run in runs {
        match run {
            Run::Copy { from, len } => {
                let (a, b) = (*from as usize, *from as usize + *len as usize);
                let slice = prev
                    .get(a..b)
                    .ok_or_else(|| RestoreError::Corrupt(format!("copy {a}..{b} of {} items", prev.len())))?;
                out.extend_from_slice(slice);
            }
            Run::New(items) => out.extend(items.iter().cloned()),
        }
    }
    Ok(out)
}

pub(crate) fn body(set: &AnnotationSet) -> Body {
    Body {
        schema: set.schema.clone(),
        entities: set.entities.clone(),
        attributions: set.attributions.clone(),
        boilerplate: set.boilerplate.clone(),
        next_id: set.next_id(),
    }
}

pub(crate) fn rebuild(document: &Document, b: Body) -> AnnotationSet {
    let mut set = AnnotationSet::new(document.clone());
    set.schema = b.schema;
    set.entities = b.entities;
    set.attributions = b.attributions;
    set.boilerplate = b.boilerplate;
    // A fresh set starts at 1; reserving through n - 1 makes the next id exactly n.
    set.reserve_ids_through(b.next_id.saturating_sub(1));
    set
}

impl StoredHistory {
    /// The stored form of `history`.
    pub fn from_history(history: &History) -> StoredHistory {
        let (states, at) = history.states();
        let first = &states[0];
        let steps = states
            .windows(2)
            .map(|w| step(&w[0], &w[1]))
            .collect();
        let curation = first.curation.clone();
        StoredHistory { version: STORED_VERSION, document: first.document.clone(), at, first: body(first), steps, curation }
    }

    /// The history back, every snapshot sharing one document text.
    pub fn into_history(self) -> Result<History, RestoreError> {
        if self.version != STORED_VERSION {
            return Err(RestoreError::Version(self.version));
        }
        let doc = self.document;
        let mut states = Vec::with_capacity(self.steps.len() + 1);
        states.push(rebuild(&doc, self.first));
        for step in self.steps {
            let prev: &AnnotationSet = states.last().expect("never empty: the first state is pushed above");
            let b = Body {
                schema: step.schema.unwrap_or_else(|| prev.schema.clone()),
                entities: patch(&prev.entities, &step.entities)?,
                attributions: patch(&prev.attributions, &step.attributions)?,
                boilerplate: patch(&prev.boilerplate, &step.boilerplate)?,
                next_id: step.next_id,
            };
            states.push(rebuild(&doc, b));
        }
        for set in &mut states {
            set.curation.clone_from(&self.curation);
        }
        for (i, set) in states.iter().enumerate() {
            set.validate().map_err(|m| RestoreError::Corrupt(format!("step {i}: {m}")))?;
        }
        let n = states.len();
        History::from_states(states, self.at).ok_or_else(|| RestoreError::Corrupt(format!("position {} of {n}", self.at)))
    }

    pub fn to_json(history: &History) -> String {
        serde_json::to_string(&StoredHistory::from_history(history)).expect("annotation types always serialise")
    }

    pub fn from_json(json: &str) -> Result<History, RestoreError> {
        let stored: StoredHistory = serde_json::from_str(json).map_err(|e| RestoreError::Json(e.to_string()))?;
        stored.into_history()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Edit, Status, Target};
    use crate::core::model::label::Label;
    use crate::core::model::span::Span;

    /// Records read back are validated like imports: an attribution whose content has no
    /// fragments (serde accepts it; the view would panic on its hull), a span past the text
    /// or inside a character, and a dangling source link are refused, not restored.
    #[test]
    fn damaged_records_are_refused_not_restored() {
        let text = "Ana said it rained in Łódź.";
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, text)));
        h.apply(&[Edit::AddEntity { label: Label::Person, span: Span::new(0, 3) }]).unwrap();
        h.apply(&[Edit::AddAttribution {
            kind: crate::core::model::annotation::Kind::Indirect,
            source: Some(Span::new(0, 3)),
            cue: Some(Span::new(4, 8)),
            content: crate::core::model::span::Extent::single(Span::new(9, 26)),
        }])
        .unwrap();
        let good = StoredHistory::to_json(&h);
        assert!(StoredHistory::from_json(&good).is_ok());
        let fragments = r#""fragments":[{"start":9,"end":26}]"#;
        assert!(good.contains(fragments), "{good}");
        let cases = [
            good.replace(fragments, r#""fragments":[]"#),
            good.replace(r#""start":0,"end":3"#, r#""start":0,"end":300"#),
            // Inside the two-byte Ł.
            good.replace(r#""start":9,"end":26"#, r#""start":9,"end":23"#),
        ];
        for bad in cases {
            assert_ne!(bad, good);
            // Refused either way: an empty extent already fails to deserialise (`Extent`
            // checks its fragments), the others fail validation.
            assert!(matches!(StoredHistory::from_json(&bad), Err(RestoreError::Corrupt(_) | RestoreError::Json(_))), "{bad}");
        }
    }

    #[test]
    fn a_curated_version_stays_curated() {
        let mut set = AnnotationSet::new(Document::new("d", None, "Ana met Bo."));
        set.curation = Some(Curation { annotators: vec!["A".into(), "B".into()], undecided: 1 });
        let mut h = History::new(set);
        h.apply(&[Edit::AddEntity { label: Label::Person, span: Span::new(0, 3) }]).unwrap();
        let back = StoredHistory::from_json(&StoredHistory::to_json(&h)).unwrap();
        assert_eq!(back, h, "every snapshot keeps its curation");
        assert_eq!(back.current().curation.as_ref().map(|c| c.undecided), Some(1));
    }

    /// A history with adds, removes, relabels, a schema change and an undo.
    fn sample_history(n: usize) -> History {
        let text: String = (0..n).map(|i| format!("Word{i} ")).collect();
        let mut h = History::new(AnnotationSet::new(Document::new("d", Some("T".into()), text.as_str())));
        let spans: Vec<Span> = text
            .match_indices("Word")
            .map(|(i, _)| Span::new(i, i + text[i..].find(' ').unwrap_or(0)))
            .collect();
        let adds: Vec<Edit> = spans.iter().map(|s| Edit::AddEntity { label: Label::Person, span: *s }).collect();
        h.apply(&adds).unwrap();
        let ids: Vec<_> = h.current().entities.iter().map(|e| e.id).collect();
        h.apply(&[Edit::Relabel { id: ids[1], label: Label::Org }]).unwrap();
        h.apply(&[Edit::RemoveEntity { id: ids[0] }]).unwrap();
        h.apply(&[Edit::Reject { target: Target::Entity(ids[2]) }]).unwrap();
        let mut schema = h.current().schema.clone();
        schema.labels.retain(|d| d.label != Label::Role);
        h.apply(&[Edit::SetSchema { schema }]).unwrap();
        h.undo();
        h
    }

    #[test]
    fn round_trip_is_exact() {
        for n in [0, 3, 5, 300] {
            let h = if n == 0 {
                History::new(AnnotationSet::new(Document::new("e", None, "")))
            } else {
                sample_history(n)
            };
            let json = StoredHistory::to_json(&h);
            let back = StoredHistory::from_json(&json).unwrap();
            assert_eq!(back, h, "n = {n}");
            assert_eq!(back.can_redo(), h.can_redo());
        }
    }

    #[test]
    fn restored_history_keeps_numbering_and_undo() {
        let h = sample_history(5);
        let mut back = StoredHistory::from_json(&StoredHistory::to_json(&h)).unwrap();
        let mut orig = h.clone();
        let add = [Edit::AddEntity { label: Label::Date, span: Span::new(0, 5) }];
        orig.apply(&add).unwrap();
        back.apply(&add).unwrap();
        assert_eq!(back, orig, "the next fresh id is the same");
        while back.undo() {}
        assert!(back.current().entities.is_empty());
        assert_eq!(back.current().entities.iter().filter(|e| e.status == Status::Rejected).count(), 0);
    }

    #[test]
    fn deltas_keep_the_record_small() {
        let h = sample_history(2000);
        let stored = StoredHistory::to_json(&h);
        let full = serde_json::to_string(&h).unwrap();
        // Six snapshots of ~2,000 entities: the stored form holds roughly one.
        assert!(stored.len() * 3 < full.len(), "stored {} vs full {}", stored.len(), full.len());
    }

    #[test]
    fn damaged_records_are_refused_not_panicking() {
        let h = sample_history(3);
        let mut s = StoredHistory::from_history(&h);
        s.steps[1].entities = vec![Run::Copy { from: 1, len: 99 }];
        assert!(matches!(s.clone().into_history(), Err(RestoreError::Corrupt(_))));
        let mut s2 = StoredHistory::from_history(&h);
        s2.at = 99;
        assert!(matches!(s2.into_history(), Err(RestoreError::Corrupt(_))));
        let mut s3 = StoredHistory::from_history(&h);
        s3.version = 0;
        assert_eq!(s3.into_history(), Err(RestoreError::Version(0)));
        assert!(matches!(StoredHistory::from_json("{"), Err(RestoreError::Json(_))));
    }
}

#[cfg(test)]
mod diff_tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Item(u32, char);
    impl Keyed for Item {
        fn key(&self) -> u32 {
            self.0
        }
    }

    /// Every shape of change patches back exactly, and a change in place copies the rest
    /// in two runs.
    #[test]
    fn diff_patches_back_every_change() {
        let prev: Vec<Item> = (0..10).map(|i| Item(i, 'a')).collect();
        let mut changed = prev.clone();
        changed[4].1 = 'b';
        let mut inserted = prev.clone();
        inserted.insert(3, Item(99, 'n'));
        let mut removed = prev.clone();
        removed.remove(7);
        let mut moved = prev.clone();
        moved.swap(0, 9);
        let cases = [("same", prev.clone()), ("changed", changed.clone()), ("inserted", inserted), ("removed", removed), ("moved", moved), ("empty", Vec::new()), ("appended", [prev.clone(), vec![Item(50, 'x')]].concat())];
        for (what, next) in cases {
            let runs = diff(&prev, &next);
            assert_eq!(patch(&prev, &runs).unwrap(), next, "{what}");
        }
        let runs = diff(&prev, &changed);
        assert_eq!(runs.len(), 3, "{runs:?}");
        assert_eq!(diff(&prev, &prev), vec![Run::Copy { from: 0, len: 10 }]);
        assert_eq!(patch::<Item>(&[], &diff(&[], &prev)).unwrap(), prev);
    }
}

//! One change of a stored undo history, as a small record of its own: what a save writes
//! per edit, undo or redo instead of the whole history (issues 13 and 15: saving costs in
//! proportion to the edit, not the document).
//!
//! An [`Op`] says how the history after a change is made from the one before: which
//! snapshots it keeps (the bounded history drops the oldest; a new edit drops the redo
//! branch), the new snapshots as deltas against the one before each ([`Step`], the same
//! runs the stored history uses), and the position afterwards. An undo or redo is an op
//! with no steps. [`Op::between`] finds it by snapshot identity (snapshots are shared
//! `Arc`s, so nothing is compared item by item but the new snapshot against its
//! predecessor); [`Op::apply`] replays it, refusing (never panicking on) an op that does
//! not fit the history it is applied to.

use crate::core::model::annotation::AnnotationSet;
use crate::core::model::history::History;
use crate::core::project::persist::{patch, rebuild, step, Body, RestoreError, Step};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One change of a history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// Snapshots dropped from the front (the history keeps at most `MAX_UNDO` steps).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drop: usize,
    /// Snapshots kept after those; the rest (a redo branch) is dropped.
    pub keep: usize,
    /// New snapshots, each as a change against the one before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// The current snapshot afterwards.
    pub at: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Op {
    /// The op that turns `old` into `new`, when `new` was made from `old` (it shares a run
    /// of `old`'s snapshots); `None` when they share nothing (another document, or a
    /// history read back from elsewhere), which is stored whole instead.
    pub fn between(old: &History, new: &History) -> Option<Op> {
        let (os, _) = old.states();
        let (ns, at) = new.states();
        let first = ns.first()?;
        let drop = os.iter().position(|s| Arc::ptr_eq(s, first))?;
        let keep = os[drop..].iter().zip(ns).take_while(|(a, b)| Arc::ptr_eq(a, b)).count();
        let steps = ns[keep..]
            .iter()
            .enumerate()
            .map(|(i, n)| step(&ns[keep + i - 1], n))
            .collect();
        Some(Op { drop, keep, steps, at })
    }

    /// Whether the op changes nothing (the same history).
    pub fn is_noop(&self, old: &History) -> bool {
        let (os, at) = old.states();
        self.drop == 0 && self.keep == os.len() && self.steps.is_empty() && self.at == at
    }

    /// Replays the op on `old`. Snapshots kept are shared, new ones are validated like any
    /// stored record.
    pub fn apply(&self, old: &History) -> Result<History, RestoreError> {
        let (os, _) = old.states();
        let kept = self
            .drop
            .checked_add(self.keep)
            .and_then(|end| os.get(self.drop..end))
            .filter(|k| !k.is_empty())
            .ok_or_else(|| RestoreError::Corrupt(format!("keeps {}..+{} of {} snapshots", self.drop, self.keep, os.len())))?;
        let mut states: Vec<Arc<AnnotationSet>> = kept.to_vec();
        for (i, step) in self.steps.iter().enumerate() {
            let prev = states.last().expect("never empty: `kept` is not");
            let b = Body {
                schema: step.schema.clone().unwrap_or_else(|| prev.schema.clone()),
                entities: patch(&prev.entities, &step.entities)?,
                attributions: patch(&prev.attributions, &step.attributions)?,
                boilerplate: patch(&prev.boilerplate, &step.boilerplate)?,
                next_id: step.next_id,
            };
            let set = rebuild(&prev.document, b);
            set.validate().map_err(|m| RestoreError::Corrupt(format!("new step {i}: {m}")))?;
            states.push(Arc::new(set));
        }
        let n = states.len();
        History::from_shared(states, self.at).ok_or_else(|| RestoreError::Corrupt(format!("position {} of {n}", self.at)))
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Document, Edit, Target};
    use crate::core::model::history::MAX_UNDO;
    use crate::core::model::label::Label;
    use crate::core::model::span::Span;

    /// One change of a history, as a test applies it.
    type Step = Box<dyn Fn(&mut History)>;

    fn start(words: usize) -> History {
        let text: String = (0..words).map(|i| format!("Word{i} ")).collect();
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, text.as_str())));
        let adds: Vec<Edit> = text
            .match_indices("Word")
            .map(|(i, _)| Edit::AddEntity { label: Label::Person, span: Span::new(i, i + 4) })
            .collect();
        h.apply(&adds).unwrap();
        h
    }

    /// Each kind of change, replayed on the history before it, gives exactly the history
    /// after it (same snapshots, same position), and its record stays small.
    #[test]
    fn every_change_replays_exactly() {
        let mut h = start(2000);
        let ids: Vec<_> = h.current().entities.iter().map(|e| e.id).collect();
        let (i7, i9, i1, i3) = (ids[7], ids[9], ids[1], ids[3]);
        let changes: Vec<(&str, Step)> = vec![
            ("relabel", Box::new(move |h: &mut History| h.apply(&[Edit::Relabel { id: i7, label: Label::Org }]).unwrap())),
            ("reject", Box::new(move |h: &mut History| h.apply(&[Edit::Reject { target: Target::Entity(i9) }]).unwrap())),
            ("remove", Box::new(move |h: &mut History| h.apply(&[Edit::RemoveEntity { id: i1 }]).unwrap())),
            ("add", Box::new(|h: &mut History| h.apply(&[Edit::AddEntity { label: Label::Date, span: Span::new(0, 2) }]).unwrap())),
            ("undo", Box::new(|h: &mut History| assert!(h.undo()))),
            ("undo again", Box::new(|h: &mut History| assert!(h.undo()))),
            ("redo", Box::new(|h: &mut History| assert!(h.redo()))),
            ("edit dropping the redo branch", Box::new(move |h: &mut History| h.apply(&[Edit::RemoveEntity { id: i3 }]).unwrap())),
        ];
        for (what, change) in changes {
            let before = h.clone();
            change(&mut h);
            let op = Op::between(&before, &h).expect("made from it");
            let json = serde_json::to_string(&op).unwrap();
            assert!(json.len() < 600, "{what}: {} bytes: {json}", json.len());
            let back: Op = serde_json::from_str(&json).unwrap();
            assert_eq!(back.apply(&before).unwrap(), h, "{what}");
            assert!(!back.is_noop(&before), "{what}");
        }
        let same = Op::between(&h, &h.clone()).unwrap();
        assert!(same.is_noop(&h));
    }

    /// The bounded history drops its oldest snapshot on each edit past the bound: the op
    /// says so and replays it.
    #[test]
    fn dropping_the_oldest_step_replays() {
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, "abc def")));
        for _ in 0..MAX_UNDO {
            h.apply(&[Edit::AddEntity { label: Label::Person, span: Span::new(0, 3) }]).unwrap();
        }
        let before = h.clone();
        h.apply(&[Edit::AddEntity { label: Label::Org, span: Span::new(4, 7) }]).unwrap();
        let op = Op::between(&before, &h).unwrap();
        assert_eq!((op.drop, op.keep, op.steps.len()), (1, MAX_UNDO, 1));
        assert_eq!(op.apply(&before).unwrap(), h);
    }

    /// Unrelated histories have no op; an op that does not fit is refused, not a panic.
    #[test]
    fn mismatches_are_refused() {
        let a = start(3);
        let b = start(3);
        assert_eq!(Op::between(&a, &b), None, "equal content, but not made from it");
        let mut c = a.clone();
        c.apply(&[Edit::RemoveEntity { id: a.current().entities[0].id }]).unwrap();
        let op = Op::between(&a, &c).unwrap();
        let tiny = History::new(AnnotationSet::new(Document::new("d", None, "x")));
        assert!(op.apply(&tiny).is_err(), "keeps more than there is");
        for bad in [Op { at: 99, ..op.clone() }, Op { keep: 0, ..op.clone() }, Op { drop: usize::MAX, ..op.clone() }] {
            assert!(matches!(bad.apply(&a), Err(RestoreError::Corrupt(_))), "{bad:?}");
        }
    }
}

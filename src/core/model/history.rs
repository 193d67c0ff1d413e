//! Undo/redo over [`AnnotationSet`] snapshots.
//!
//! A stack with a pointer: applying a new edit drops the redo branch. Snapshots share the
//! document text (`Arc<str>`), so keeping one per edit costs only the annotations.

use crate::core::model::annotation::{AnnotationSet, Edit, EditError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The current state plus everything needed to undo and redo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Shared snapshots: cloning a history (the UI reducer does, on every action) copies
    /// pointers, not every annotation of every step.
    states: Vec<Arc<AnnotationSet>>,
    /// Index of the current state in `states`.
    at: usize,
}

/// How many steps are kept; the oldest are dropped first.
pub const MAX_UNDO: usize = 500;

impl History {
    pub fn new(initial: AnnotationSet) -> History {
        History { states: vec![Arc::new(initial)], at: 0 }
    }

    pub fn current(&self) -> &AnnotationSet {
        &self.states[self.at]
    }

    /// Applies `edits` as one undoable step.
    pub fn apply(&mut self, edits: &[Edit]) -> Result<(), EditError> {
        let next = self.current().apply_all(edits)?;
        self.push(next);
        Ok(())
    }

    /// Records an already computed state (e.g. extraction results) as one step.
    pub fn push(&mut self, next: AnnotationSet) {
        self.states.truncate(self.at + 1);
        self.states.push(Arc::new(next));
        if self.states.len() > MAX_UNDO + 1 {
            self.states.remove(0);
        }
        self.at = self.states.len() - 1;
    }

    /// Every kept state, oldest first, and the index of the current one (for storage).
    pub fn states(&self) -> (&[Arc<AnnotationSet>], usize) {
        (&self.states, self.at)
    }

    /// Rebuilds a history from [`History::states`]; `None` if `states` is empty or `at` is
    /// out of range.
    pub fn from_states(states: Vec<AnnotationSet>, at: usize) -> Option<History> {
        (at < states.len()).then(|| History { states: states.into_iter().map(Arc::new).collect(), at })
    }

    /// [`History::from_states`] over snapshots that are already shared (a stored log
    /// replayed onto a loaded history keeps the snapshots it did not change).
    pub fn from_shared(states: Vec<Arc<AnnotationSet>>, at: usize) -> Option<History> {
        (at < states.len()).then_some(History { states, at })
    }

    /// Whether `other` is this very history: the same shared snapshots at the same
    /// position (pointer comparisons only, however large the annotations).
    pub fn is_same(&self, other: &History) -> bool {
        self.at == other.at
            && self.states.len() == other.states.len()
            && self.states.iter().zip(&other.states).all(|(a, b)| Arc::ptr_eq(a, b))
    }

    pub fn can_undo(&self) -> bool {
        self.at > 0
    }

    pub fn can_redo(&self) -> bool {
        self.at + 1 < self.states.len()
    }

    /// Steps back; returns false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let ok = self.can_undo();
        if ok {
            self.at -= 1;
        }
        ok
    }

    pub fn redo(&mut self) -> bool {
        let ok = self.can_redo();
        if ok {
            self.at += 1;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Document;
    use crate::core::model::label::Label;
    use crate::core::model::span::Span;

    fn add(a: usize, b: usize) -> Vec<Edit> {
        vec![Edit::AddEntity { label: Label::Person, span: Span::new(a, b) }]
    }

    #[test]
    fn undo_redo_sequence() {
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, "abc def ghi")));
        let n = |h: &History| h.current().entities.len();
        // (operation, expected entity count, expected can_undo, can_redo)
        h.apply(&add(0, 3)).unwrap();
        h.apply(&add(4, 7)).unwrap();
        let steps: [(&str, usize, bool, bool); 6] = [
            ("undo", 1, true, true),
            ("undo", 0, false, true),
            ("undo", 0, false, true),
            ("redo", 1, true, true),
            ("redo", 2, true, false),
            ("redo", 2, true, false),
        ];
        for (op, count, cu, cr) in steps {
            if op == "undo" {
                h.undo();
            } else {
                h.redo();
            }
            assert_eq!((n(&h), h.can_undo(), h.can_redo()), (count, cu, cr), "after {op}");
        }
        h.undo();
        h.apply(&add(8, 11)).unwrap();
        assert!(!h.can_redo(), "a new edit drops the redo branch");
        assert_eq!(h.current().entities[1].span, Span::new(8, 11));
    }

    #[test]
    fn failed_edit_changes_nothing() {
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, "abc")));
        let mut edits = add(0, 3);
        edits.extend(add(0, 9));
        assert!(h.apply(&edits).is_err());
        assert!(!h.can_undo());
        assert!(h.current().entities.is_empty());
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new(AnnotationSet::new(Document::new("d", None, "abc")));
        for _ in 0..MAX_UNDO + 20 {
            h.apply(&add(0, 1)).unwrap();
        }
        let mut undos = 0;
        while h.undo() {
            undos += 1;
        }
        assert_eq!(undos, MAX_UNDO);
    }
}

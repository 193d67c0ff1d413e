//! The app's one reducer: the document's annotations with their undo history, plus the
//! message shown in the alert region.
//!
//! Transitions are the core's (`AnnotationSet::apply` through `History`), so `reduce` only
//! routes actions and turns refused edits into a message. View state that must not be
//! undone (selection, hover, open panels) belongs in separate state, not here.

use crate::extract::{AnnotationSet, Edit, History};
use std::rc::Rc;
use yew::prelude::*;

/// Everything the user can do to the annotations.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the document (sample, opened file); starts a fresh history.
    Load { set: AnnotationSet },
    /// Apply edits as one undoable step; refused edits leave the set unchanged.
    Apply { edits: Vec<Edit> },
    Undo,
    Redo,
    /// Show a message in the alert region (e.g. a file that could not be opened).
    Fail { message: String },
    /// Clear the alert region.
    Dismiss,
}

/// The reducer's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotator {
    pub history: History,
    /// The last error, shown until dismissed or until the next successful load.
    pub error: Option<String>,
}

impl Annotator {
    pub fn new(set: AnnotationSet) -> Annotator {
        Annotator { history: History::new(set), error: None }
    }

    /// The annotations as they are now.
    pub fn set(&self) -> &AnnotationSet {
        self.history.current()
    }

    /// The pure transition (also what `reduce` calls).
    pub fn next(mut self, action: Action) -> Annotator {
        match action {
            Action::Load { set } => return Annotator::new(set),
            Action::Apply { edits } => match self.history.apply(&edits) {
                Ok(()) => self.error = None,
                Err(e) => self.error = Some(format!("edit refused: {e}")),
            },
            Action::Undo => {
                self.history.undo();
            }
            Action::Redo => {
                self.history.redo();
            }
            Action::Fail { message } => self.error = Some(message),
            Action::Dismiss => self.error = None,
        }
        self
    }
}

impl Reducible for Annotator {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).next(action))
    }
}

/// What components get from the context: the state and its dispatcher.
pub type AnnotatorContext = UseReducerHandle<Annotator>;

/// The annotator state from the nearest `<App>`.
#[hook]
pub fn use_annotator() -> AnnotatorContext {
    use_context::<AnnotatorContext>().expect("use_annotator() is only called below <App>, which provides it")
}

//! The app's one reducer: the editing session (document, annotations, undo history, focus,
//! the last message) from [`crate::core::edit::session`].
//!
//! The transition is pure and host-tested there; `reduce` only forwards. Hover and open
//! dialogs are view state kept in the components that need them, never here.

pub use crate::core::edit::session::{Action, Message, Session};
use std::rc::Rc;
use yew::prelude::*;

/// The reducer state under its app-facing name.
pub type Annotator = Session;

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).next(action))
    }
}

/// What components get from the context: the state and its dispatcher.
pub type AnnotatorContext = UseReducerHandle<Session>;

/// The annotator state from the nearest `<App>`.
#[hook]
pub fn use_annotator() -> AnnotatorContext {
    use_context::<AnnotatorContext>().expect("use_annotator() is only called below <App>, which provides it")
}

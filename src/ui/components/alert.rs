//! Messages in words: errors (a file that could not be opened, a refused edit) in an alert
//! region, notes ("tagged PERSON: Witkoff") in a polite status region. Both elements are
//! always in the DOM so screen readers announce a message as soon as it appears.

use crate::ui::state::{use_annotator, Action, Message};
use yew::prelude::*;

#[component]
pub fn AlertRegion() -> Html {
    let state = use_annotator();
    let on_dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Dismiss))
    };
    let (error, note) = match &state.message {
        Some(Message::Error(m)) => (Some(m.clone()), None),
        Some(Message::Note(m)) => (None, Some(m.clone())),
        None => (None, None),
    };
    html! {
        <>
            <div class="alert" role="alert">
                if let Some(message) = error {
                    <p class="alert-message">{ message }</p>
                    <button type="button" class="alert-dismiss" onclick={on_dismiss}>{"Dismiss"}</button>
                }
            </div>
            <div class="note" role="status">{ note.unwrap_or_default() }</div>
        </>
    }
}

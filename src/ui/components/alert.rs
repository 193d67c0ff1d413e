//! The alert region: errors (a file that could not be opened, a refused edit) in words.
//!
//! The `role="alert"` element is always in the DOM so screen readers announce a message
//! as soon as it appears.

use crate::ui::state::{use_annotator, Action};
use yew::prelude::*;

#[component]
pub fn AlertRegion() -> Html {
    let state = use_annotator();
    let on_dismiss = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Dismiss))
    };
    html! {
        <div class="alert" role="alert">
            if let Some(message) = &state.error {
                <p class="alert-message">{ message.clone() }</p>
                <button type="button" class="alert-dismiss" onclick={on_dismiss}>{"Dismiss"}</button>
            }
        </div>
    }
}

//! "Export JSON": saves the annotations as `<document-id>.annotations.json`.

use crate::core::format::json;
use crate::ui::download::download;
use crate::ui::js::js_message;
use crate::ui::state::{use_annotator, Action};
use yew::prelude::*;

#[component]
pub fn ExportButton() -> Html {
    let state = use_annotator();
    let onclick = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let set = state.set();
            let name = format!("{}.annotations.json", set.document.id);
            if let Err(e) = download(&name, "application/json", &json::export(set)) {
                state.dispatch(Action::Fail { message: format!("could not save {name}: {}", js_message(&e)) });
            }
        })
    };
    html! {
        <button type="button" class="button" {onclick}>{"Export JSON"}</button>
    }
}

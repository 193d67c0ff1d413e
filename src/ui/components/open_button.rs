//! "Open…": a `.txt` article (pre-annotated on load) or a newsmark `.json` file.
//!
//! The visible button forwards to a hidden file input. Reading is asynchronous; the
//! result is one `Load` or one `Fail` action, so a bad file leaves the state as it was.

use crate::ui::js::read_bytes;
use crate::ui::open::{read_opened, OpenError, Opened};
use crate::ui::persist::{use_project, ProjectHandle};
use crate::ui::state::{use_annotator, Action, Annotator};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Reads `file` and opens it (the picker and drag and drop both come here): an article
/// goes to the worker for pre-annotation, a newsmark file is loaded, and anything that
/// cannot be read or parsed becomes one `Fail` action.
pub fn open_file(file: web_sys::File, dispatcher: UseReducerDispatcher<Annotator>, project: ProjectHandle) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let action = match read_bytes(&file).await {
            Ok(bytes) => match read_opened(&name, &bytes) {
                // Articles are pre-annotated in the worker (see ui::persist).
                Ok(Opened::Article(doc)) => return project.extract_and_open(doc),
                Ok(Opened::Annotations(set)) => Action::Load { set },
                Err(e) => Action::Fail { message: e.to_string() },
            },
            Err(reason) => Action::Fail { message: OpenError::Unreadable { name, reason }.to_string() },
        };
        dispatcher.dispatch(action);
    });
}

#[component]
pub fn OpenButton() -> Html {
    let state = use_annotator();
    let project = use_project();
    let input = use_node_ref();

    let onclick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };

    let onchange = {
        let dispatcher = state.dispatcher();
        let project = project.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // Cleared so that picking the same file again still fires `change`.
            input.set_value("");
            open_file(file, dispatcher.clone(), project.clone());
        })
    };

    html! {
        <>
            <button type="button" class="button" {onclick}>{"Open…"}</button>
            <input
                ref={input}
                type="file"
                class="file-input"
                hidden=true
                accept=".txt,.md,.markdown,.html,.htm,.json,text/plain,text/html,text/markdown,application/json"
                {onchange}
            />
        </>
    }
}

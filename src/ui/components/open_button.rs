//! "Open…": a `.txt`/`.md`/`.html` article (pre-annotated on load) or a newsmark `.json`
//! file.
//!
//! The visible button forwards to a hidden file input. The file is read in the worker and
//! added to the project like an import: it never replaces a document already there (an
//! older export of an edited document comes in beside it, under a new id). A file that
//! cannot be read or parsed becomes one `Fail` action and leaves everything as it was.

use crate::ui::js::read_bytes;
use crate::ui::open::OpenError;
use crate::ui::persist::{use_project, ProjectHandle};
use crate::ui::state::{use_annotator, Action, Annotator};
use crate::ui::worker::ReadMode;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Reads `file` and opens it (the picker and drag and drop both come here).
pub fn open_file(file: web_sys::File, dispatcher: UseReducerDispatcher<Annotator>, project: ProjectHandle) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let bytes = match read_bytes(&file).await {
            Ok(bytes) => bytes,
            Err(reason) => {
                let message = OpenError::Unreadable { name, reason }.to_string();
                return dispatcher.dispatch(Action::Fail { message });
            }
        };
        let p = project.clone();
        project.read_files(vec![(name.clone(), bytes)], ReadMode::Open, move |picked| {
            if picked.is_empty() {
                p.stop_reading();
                let message = picked.problems.join("; ");
                let message = if message.is_empty() { format!("cannot open {name}: it holds no article") } else { message };
                dispatcher.dispatch(Action::Fail { message });
            } else {
                p.import(picked);
            }
        });
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

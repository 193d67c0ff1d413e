//! "Paste…": an article pasted as text, pre-annotated like an opened file.

use crate::ui::persist::use_project;
use crate::ui::state::{use_annotator, Action};
use crate::ui::worker::ReadMode;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    pub on_close: Callback<()>,
}

/// A document id from a title or the first words: lower-case, dashes, at most 40 chars.
pub fn slug(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(|w| w.to_lowercase())
        .collect();
    let id: String = words.join("-").chars().take(40).collect();
    if id.is_empty() { "pasted".to_string() } else { id }
}

#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let state = use_annotator();
    let project = use_project();
    let area = use_node_ref();
    let title = use_node_ref();
    let onclick = {
        let (area, title, close) = (area.clone(), title.clone(), props.on_close.clone());
        let dispatcher = state.dispatcher();
        let project = project.clone();
        Callback::from(move |_: MouseEvent| {
            let raw = area.cast::<HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default();
            let t = title.cast::<HtmlInputElement>().map(|a| a.value()).unwrap_or_default();
            if raw.trim().is_empty() {
                dispatcher.dispatch(Action::Fail { message: "paste some text first".into() });
                return;
            }
            // Normalised (`ui::worker::pasted`: NFC, the article limit refused whole, the id)
            // and pre-annotated in the worker, so a long paste never freezes the page.
            let (p, dispatcher) = (project.clone(), dispatcher.clone());
            project.read_files(vec![(t, raw.into_bytes())], ReadMode::Paste, move |picked| {
                if picked.is_empty() {
                    p.stop_reading();
                    let message = picked.problems.join("; ");
                    let message = if message.is_empty() { "cannot paste: no text".to_string() } else { message };
                    dispatcher.dispatch(Action::Fail { message });
                } else {
                    p.import(picked);
                }
            });
            close.emit(());
        })
    };
    let cancel = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="paste-heading">
                <h2 id="paste-heading">{"Paste an article"}</h2>
                <p><label for="paste-title">{"Title (optional)"}</label><br />
                   <input id="paste-title" ref={title} type="text" class="wide" /></p>
                <p><label for="paste-text">{"Text"}</label><br />
                   <textarea id="paste-text" ref={area} rows="14" class="wide" autofocus=true /></p>
                <div class="button-row">
                    <button type="button" class="button primary" {onclick}>{"Annotate"}</button>
                    <button type="button" class="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </div>
        </div>
    }
}

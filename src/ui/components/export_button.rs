//! "Export JSON": saves the annotations as `<document-id>.annotations.json`.
//!
//! The file is written in the worker (`Extractor::export_json`), so the JSON format's
//! writer is not in the page wasm; the page only downloads the text. While the worker
//! writes, the button says so; if it fails (the worker crashed or never started), the
//! reason shows beside the button with "Try again". Only the newest click's answer counts,
//! and nothing is lost either way: the export reads the open set and changes nothing.

use crate::core::AnnotationSet;
use crate::ui::download::download;
use crate::ui::js::js_message;
use crate::ui::state::use_annotator;
use crate::ui::worker::Extractor;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Why nothing was written when no worker runs on this page at all.
const NO_WORKER: &str = "the app's worker (which writes files) is not running; reload to try again";

/// Where an export stands.
#[derive(Clone, PartialEq)]
enum Export {
    Idle,
    Preparing,
    Failed(String),
}

/// Has the worker write `set`'s JSON, then downloads it; `latest` tells whether this is
/// still the newest request when the answer comes.
fn start(set: AnnotationSet, status: UseStateHandle<Export>, latest: Rc<RefCell<u32>>) {
    let name = format!("{}.annotations.json", set.document.id);
    let token = {
        let mut l = latest.borrow_mut();
        *l += 1;
        *l
    };
    let Some(worker) = Extractor::running() else {
        return status.set(Export::Failed(format!("could not write {name}: {NO_WORKER}")));
    };
    status.set(Export::Preparing);
    worker.export_json(set, move |r| {
        if *latest.borrow() != token {
            return;
        }
        let saved = r.map_err(|m| format!("could not write {name}: {m}")).and_then(|text| {
            download(&name, "application/json", &text).map_err(|e| format!("could not save {name}: {}", js_message(&e)))
        });
        status.set(match saved {
            Ok(()) => Export::Idle,
            Err(m) => Export::Failed(m),
        });
    });
}

#[component]
pub fn ExportButton() -> Html {
    let state = use_annotator();
    let status = use_state(|| Export::Idle);
    let latest = use_mut_ref(|| 0u32);
    let onclick = {
        let (state, status, latest) = (state.clone(), status.clone(), latest.clone());
        Callback::from(move |_: MouseEvent| start(state.set().clone(), status.clone(), latest.clone()))
    };
    let preparing = *status == Export::Preparing;
    html! {
        <>
            <button type="button" class="button" aria-busy={preparing.to_string()} onclick={onclick.clone()}>{"Export JSON"}</button>
            if preparing {
                <span class="export-status" role="status">{"Preparing the file…"}</span>
            }
            if let Export::Failed(m) = &*status {
                <span class="export-problem" role="alert">{ format!("{m}. Your annotations are unchanged.") }</span>
                <button type="button" class="button export-retry" {onclick}>{"Try again"}</button>
            }
        </>
    }
}

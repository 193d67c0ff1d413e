//! The save status line: "All changes saved", "Saving…", or what went wrong with storage
//! (unavailable, full) and what to do, announced assertively. Never silent.

use crate::ui::persist::use_project;
use crate::ui::storage::SaveStatus as Status;
use yew::prelude::*;

#[component]
pub fn SaveStatus() -> Html {
    let project = use_project();
    let status = &project.state.status;
    let key = match status {
        Status::Loading => "loading",
        Status::Saving => "saving",
        Status::Saved => "saved",
        Status::Error(_) => "error",
    };
    // Live regions without a role: the editor's own status and alert regions keep being
    // the page's single `status` / `alert` landmarks.
    let live = if status.is_error() { "assertive" } else { "polite" };
    let class = classes!("save-status", status.is_error().then_some("save-status-error"));
    html! {
        <>
            <p {class} aria-live={live} data-save-status={key}>{ status.text() }</p>
            <super::KeptAside />
        </>
    }
}

//! The save status line: "All changes saved", "Saving…", or what went wrong with storage
//! (unavailable, full) and what to do, as an alert. Never silent.

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
    let role = if status.is_error() { "alert" } else { "status" };
    let class = classes!("save-status", status.is_error().then_some("save-status-error"));
    html! {
        <p {class} {role} data-save-status={key}>{ status.text() }</p>
    }
}

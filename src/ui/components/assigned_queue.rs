//! "Assigned to me": the documents a project owner assigned to the signed-in editor
//! (`assign:` records, see `core::project::assign`), each with the editor's own status and
//! a button that opens it, or adds it to their list first (pre-annotated, like an import)
//! when they have not started it.

use crate::ui::persist::use_project;
use yew::prelude::*;

#[component]
pub fn AssignedQueue() -> Html {
    let project = use_project();
    let state = &project.state;
    let Some(me) = state.me.clone().filter(|m| m != crate::core::project::records::Annotator::LOCAL) else { return html! {} };
    let mine: Vec<_> = state.assignments.iter().filter(|a| a.record.to.iter().any(|t| t.as_str() == me)).cloned().collect();
    if mine.is_empty() {
        return html! {};
    }
    let items = mine.into_iter().map(|a| {
        let id = a.record.doc.clone();
        let name = a.record.title.clone().unwrap_or_else(|| id.clone());
        let entry = state.project.get(&id);
        let status = entry.map_or("not started".to_string(), |e| e.status.title().to_string());
        let onclick = {
            let (p, a) = (project.clone(), a.clone());
            Callback::from(move |_: MouseEvent| p.take_assigned(&a))
        };
        html! {
            <li key={id.clone()} class="assigned-doc" data-doc-id={id.clone()}
                data-status={entry.map_or("not-started", |e| e.status.as_str())}>
                <span class="doc-title">{ name.clone() }</span>
                <span class="doc-meta">{ format!("{status} · assigned by {}", a.record.owner) }</span>
                <button type="button" class="button" aria-label={format!("Open {name}")} {onclick}>
                    { if entry.is_some() { "Open" } else { "Start" } }
                </button>
            </li>
        }
    });
    html! {
        <section class="assigned" aria-label="Assigned to me">
            <h3>{ "Assigned to me" }</h3>
            <ul class="assigned-list">{ for items }</ul>
        </section>
    }
}

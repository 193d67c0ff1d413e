//! The project: import many articles (files, a folder, JSONL, bundles), the document list
//! with status and pending suggestions, filter and search, a progress bar while importing,
//! delete with undo, and export of the whole project as a bundle.

use crate::core::project::project::{DocStatus, Filter};
use crate::ui::js::{js_message, read_bytes};
use crate::ui::persist::{use_project, ProjectHandle};
use crate::ui::state::{use_annotator, Action, AnnotatorContext};
use crate::ui::worker::{Extractor, ReadMode};
use serde_json::json;
use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Reads every picked file (parsed in the worker), then imports them as one batch.
fn import_files(project: ProjectHandle, input: HtmlInputElement) {
    let Some(files) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        let mut unreadable = Vec::new();
        for file in files {
            match read_bytes(&file).await {
                Ok(bytes) => read.push((file.name(), bytes)),
                Err(e) => unreadable.push(format!("{}: {e}", file.name())),
            }
        }
        let p = project.clone();
        project.read_files(read, ReadMode::Import, move |mut picked| {
            picked.problems.extend(unreadable);
            p.import(picked);
        });
    });
}

fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = wasm_bindgen::JsCast::unchecked_into(document.create_element("a")?);
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Every document's current annotations and status in one zip.
fn export_bundle(project: ProjectHandle) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(store) = project.store() else { return };
        let mut entries = Vec::new();
        for e in &project.state.project.entries {
            match store.load_document(&e.id).await {
                Ok(Some(h)) => entries.push((h.current().clone(), json!({ "status": e.status.as_str(), "title": e.title }))),
                Ok(None) => {}
                Err(err) => return project.fail(err.to_string()),
            }
        }
        // The ledger's merges and splits travel in the manifest (project data).
        let mut manifest = json!({ "app": "newsmark" });
        if !project.state.project.ledger.is_empty() {
            manifest["ledger"] = serde_json::to_value(&project.state.project.ledger).unwrap_or_default();
        }
        // Zipped in the worker: the writer, deflate and CRC-32 stay out of the page wasm.
        let Some(worker) = Extractor::running() else {
            return project.fail("could not export the project: the app's worker is not running".into());
        };
        worker.write_bundle(manifest, entries, move |result| {
            let result = result
                .and_then(|zip| download_bytes("newsmark-project.zip", "application/zip", &zip).map_err(|e| js_message(&e)));
            if let Err(e) = result {
                project.fail(format!("could not export the project: {e}"));
            }
        });
    });
}

/// Opens the Adjudicate view on every version of the open article in the project: the
/// documents with exactly its text (each annotator's export of it, imported side by side
/// as `x`, `x-2`, …), named by their ids; curated versions are left out. Only entries
/// with the same word count are read from storage.
fn adjudicate_versions(project: ProjectHandle, state: AnnotatorContext) {
    let open = state.set().clone();
    let words = project.state.project.get(&open.document.id).map(|e| e.words);
    let candidates: Vec<String> = project
        .state
        .project
        .entries
        .iter()
        .filter(|e| e.id != open.document.id && Some(e.words) == words)
        .map(|e| e.id.clone())
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(store) = project.store() else { return };
        let mut versions = vec![(open.document.id.clone(), open.clone())];
        for id in candidates {
            match store.load_document(&id).await {
                Ok(Some(h)) => {
                    let set = h.current();
                    if set.document.text == open.document.text && set.curation.is_none() {
                        versions.push((id, set.clone()));
                    }
                }
                Ok(None) => {}
                Err(err) => return project.fail(err.to_string()),
            }
        }
        if versions.len() < 2 {
            let name = open.document.title.clone().unwrap_or(open.document.id.clone());
            state.dispatch(Action::Fail {
                message: format!(
                    "no other version of “{name}” in the project: import each annotator's export of this article, then adjudicate"
                ),
            });
        } else {
            state.dispatch(Action::Adjudicate { annotators: versions });
        }
    });
}

#[component]
pub fn ProjectPanel() -> Html {
    let project = use_project();
    let annotator = use_annotator();
    let files_input = use_node_ref();
    let folder_input = use_node_ref();
    let state = &project.state;
    let agreement = use_state(|| false);

    let click = |r: &NodeRef| {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = r.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let onchange = {
        let project = project.clone();
        Callback::from(move |e: Event| import_files(project.clone(), e.target_unchecked_into()))
    };
    let onsearch = {
        let project = project.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let filter = Filter { query: input.value(), ..project.state.filter.clone() };
            project.set_filter(filter);
        })
    };
    let onstatus_filter = {
        let project = project.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let filter = Filter { status: select.value().parse().ok(), ..project.state.filter.clone() };
            project.set_filter(filter);
        })
    };
    let onexport = {
        let project = project.clone();
        Callback::from(move |_: MouseEvent| export_bundle(project.clone()))
    };
    let onadjudicate = {
        let (project, annotator) = (project.clone(), annotator.clone());
        Callback::from(move |_: MouseEvent| adjudicate_versions(project.clone(), annotator.clone()))
    };

    let counts = state.project.counts();
    // Two entries with one title (a file opened twice) are told apart by their ids.
    let mut label_uses = std::collections::HashMap::<&str, usize>::new();
    for e in &state.project.entries {
        *label_uses.entry(e.label()).or_default() += 1;
    }
    let shown = state.project.filtered(&state.filter);
    let current = state.project.current.clone();
    let items = shown.into_iter().map(|e| {
        let id = e.id.clone();
        let is_current = current.as_deref() == Some(id.as_str());
        let open = {
            let (p, id) = (project.clone(), id.clone());
            Callback::from(move |_: MouseEvent| p.open(&id))
        };
        let set_status = {
            let (p, id) = (project.clone(), id.clone());
            Callback::from(move |ev: Event| {
                let select: HtmlSelectElement = ev.target_unchecked_into();
                if let Ok(s) = select.value().parse::<DocStatus>() {
                    p.set_status(&id, s);
                }
            })
        };
        let delete = {
            let (p, id) = (project.clone(), id.clone());
            Callback::from(move |_: MouseEvent| p.delete(&id))
        };
        let label = if label_uses.get(e.label()).copied().unwrap_or(0) > 1 && e.label() != e.id {
            format!("{} ({})", e.label(), e.id)
        } else {
            e.label().to_string()
        };
        // Its assignment (signed in only: names are team members): editable by its owner,
        // or by anyone while nobody has assigned it.
        let signed_in = state.me.as_deref().is_some_and(|m| m != crate::core::project::records::Annotator::LOCAL);
        let assigned = state.assignments.iter().find(|a| a.record.doc == id);
        let assign = signed_in.then(|| {
            let owner = assigned.map(|a| a.record.owner.to_string());
            let names = assigned.map(|a| a.record.to.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
            let editable = owner.is_none() || owner == state.me;
            let onchange = {
                let (p, id) = (project.clone(), id.clone());
                Callback::from(move |ev: Event| {
                    let input: HtmlInputElement = ev.target_unchecked_into();
                    p.assign(&id, &input.value());
                })
            };
            html! {
                <label class="doc-assign" title={owner.as_ref().map(|o| format!("assigned by {o}"))}>
                    { "Assigned to " }
                    <input type="text" class="doc-assign-to" value={names} disabled={!editable} {onchange}
                        aria-label={format!("Assign {label} to (user names)")} placeholder="user names" />
                </label>
            }
        });
        // Other annotators' progress on this document (their `meta:` records, as synced).
        let team = state.team.get(&id).filter(|t| !t.is_empty()).map(|team| html! {
            <ul class="doc-team" aria-label={format!("Others' progress on {label}")}>
                { for team.iter().map(|(who, entry)| html! {
                    <li class="doc-team-member" data-annotator={who.to_string()} data-status={entry.status.as_str()}
                        data-pending={entry.pending.to_string()}>
                        { format!("{who}: {}", entry.status.title()) }
                        { if entry.pending > 0 { format!(", {} pending", entry.pending) } else { String::new() } }
                    </li>
                }) }
            </ul>
        });
        html! {
            <li key={id.clone()} class={classes!("doc", is_current.then_some("doc-current"))}
                data-doc-id={id.clone()} data-status={e.status.as_str()}>
                <button type="button" class="doc-open" onclick={open}
                    aria-current={is_current.then_some("true")}>
                    <span class="doc-title">{ label.clone() }</span>
                    <span class="doc-meta">{ format!("{} words", e.words) }</span>
                </button>
                <span class="doc-pending" data-pending={e.pending.to_string()}>
                    { if e.pending > 0 { format!("{} pending", e.pending) } else { String::new() } }
                </span>
                <select class="doc-status" aria-label={format!("Status of {label}")} onchange={set_status}>
                    { for DocStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*s == e.status}>{ s.title() }</option>
                    }) }
                </select>
                <button type="button" class="doc-delete" aria-label={format!("Delete {label}")} onclick={delete}>{"✕"}</button>
                { assign.unwrap_or_default() }
                { team.unwrap_or_default() }
            </li>
        }
    });

    let undo = state.project.trash.as_ref().map(|t| {
        let p = project.clone();
        html! {
            <p class="project-trash" aria-live="polite">
                { format!("Deleted “{}”. ", t.entry.label()) }
                <button type="button" class="button" onclick={Callback::from(move |_: MouseEvent| p.undo_delete())}>
                    {"Undo delete"}
                </button>
            </p>
        }
    });

    html! {
        <section class="project" aria-label="Project">
            <div class="project-bar">
                <button type="button" class="button" onclick={click(&files_input)}>{"Import articles…"}</button>
                <button type="button" class="button" onclick={click(&folder_input)}>{"Import folder…"}</button>
                <button type="button" class="button" onclick={onexport}>{"Export project"}</button>
                <button type="button" class="button" aria-expanded={agreement.to_string()}
                    onclick={{ let a = agreement.clone(); Callback::from(move |_: MouseEvent| a.set(!*a)) }}>
                    {"Agreement…"}
                </button>
                <button type="button" class="button" onclick={onadjudicate}
                    title="Settle the disagreements between the versions of the open article in the project">
                    {"Adjudicate versions…"}
                </button>
                <input ref={files_input} type="file" multiple=true hidden=true onchange={onchange.clone()}
                    accept=".txt,.md,.html,.htm,.json,.jsonl,.ndjson,.zip" />
                <input ref={folder_input} type="file" multiple=true hidden=true webkitdirectory=true {onchange} />
            </div>
            if state.reading > 0 {
                <p class="project-reading" aria-live="polite" data-reading={state.reading.to_string()}>
                    { format!("Reading {} file{}…", state.reading, if state.reading == 1 { "" } else { "s" }) }
                </p>
            }
            if !state.notices.is_empty() {
                <ul class="project-notices" aria-label="Import notes" aria-live="polite">
                    { for state.notices.iter().take(20).map(|m| html! { <li>{ m.clone() }</li> }) }
                </ul>
            }
            if *agreement {
                <super::AgreementPanel />
            }
            if let Some(p) = state.progress {
                <div class="project-progress" aria-live="polite">
                    <label>
                        // The worker's wasm (the model) loads after the first paint: until it
                        // answers, say so rather than show a bar that does not move.
                        if p.done == 0 && !project.model_loaded() {
                            {"Loading the model…"}
                        } else {
                            { format!("Extracting {} of {}", p.done.min(p.total), p.total) }
                        }
                        <progress max={p.total.to_string()} value={p.done.to_string()}></progress>
                    </label>
                </div>
            }
            if !state.problems.is_empty() {
                <ul class="project-problems" aria-label="Not imported">
                    { for state.problems.iter().take(20).map(|m| html! { <li>{ m.clone() }</li> }) }
                </ul>
            }
            <div class="project-filter">
                <input type="search" aria-label="Search documents" placeholder="Search documents"
                    value={state.filter.query.clone()} oninput={onsearch} />
                <select aria-label="Filter by status" onchange={onstatus_filter}>
                    <option value="" selected={state.filter.status.is_none()}>
                        { format!("All ({})", state.project.entries.len()) }
                    </option>
                    { for DocStatus::ALL.iter().zip(counts).map(|(s, n)| html! {
                        <option value={s.as_str()} selected={state.filter.status == Some(*s)}>
                            { format!("{} ({n})", s.title()) }
                        </option>
                    }) }
                </select>
                <span class="project-pending">{ format!("{} pending", state.project.pending()) }</span>
            </div>
            <super::AssignedQueue />
            { for undo }
            <ul class="doc-list">{ for items }</ul>
        </section>
    }
}

//! What storage wants the editor to know besides "saved": a notice ("changed in another
//! tab", "not reopened") and every record kept aside instead of lost (a record that failed
//! to parse, this tab's version of a document another tab changed at the same moment),
//! each with "Export raw" (the exact stored text, as a file) and "Discard".

use crate::ui::download::download;
use crate::ui::persist::use_project;
use yew::prelude::*;

/// A file name for a kept-aside record: its record id with anything odd replaced.
fn file_name(id: &str) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("newsmark-{safe}.json")
}

#[component]
pub fn KeptAside() -> Html {
    let project = use_project();
    let state = &project.state;
    let notice = state.notice.as_ref().map(|text| {
        let p = project.clone();
        html! {
            <p class="storage-notice" data-storage-notice="">
                { text.clone() }
                <button type="button" onclick={Callback::from(move |_| p.dismiss_notice())}>{ "Dismiss" }</button>
            </p>
        }
    });
    let items = state.asides.iter().map(|(id, aside)| {
        let (raw, name) = (aside.raw.clone(), file_name(id));
        let fail = project.clone();
        let export = Callback::from(move |_| {
            if download(&name, "application/json", &raw).is_err() {
                fail.fail("could not offer the kept-aside record as a download".into());
            }
        });
        let (p, rid) = (project.clone(), id.clone());
        let discard = Callback::from(move |_| p.discard_aside(&rid));
        html! {
            <li key={id.clone()} data-aside={aside.record.clone()}>
                { format!("{} ({} bytes) ", aside.reason, aside.raw.len()) }
                <button type="button" onclick={export}>{ "Export raw" }</button>
                <button type="button" onclick={discard}>{ "Discard" }</button>
            </li>
        }
    });
    html! {
        <>
            { for notice }
            if !state.asides.is_empty() {
                <section class="kept-aside" aria-label="Kept aside">
                    <h3>{ format!("Kept aside ({})", state.asides.len()) }</h3>
                    <ul>{ for items }</ul>
                </section>
            }
        </>
    }
}

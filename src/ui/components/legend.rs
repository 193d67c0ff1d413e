//! The label legend: each label's colour, key and pending suggestions, with "accept all"
//! and "reject all" for that label; and the label schema editor's button.

use crate::core::edit::review::pending_by_label;
use crate::core::edit::session::is_hex_colour;
use crate::core::{Label, Status};
use crate::ui::state::{use_annotator, Action};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub on_edit_labels: Callback<()>,
}

#[component]
pub fn Legend(props: &LegendProps) -> Html {
    let state = use_annotator();
    let set = state.set();
    let pending = pending_by_label(set);
    let review = |label: Label, status: Status| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(Action::ReviewAll { label: Some(label.clone()), status })
        })
    };
    let edit = props.on_edit_labels.reform(|_: MouseEvent| ());
    html! {
        <section class="legend" aria-labelledby="legend-heading">
            <h2 id="legend-heading" class="panel-heading">{"Labels"}</h2>
            <ul class="legend-list">
                { for set.schema.labels.iter().zip(pending).map(|(d, (_, n))| {
                    let name = d.label.as_str().to_string();
                    let colour = Some(d.colour.clone()).filter(|c| is_hex_colour(c)).unwrap_or_else(|| "#e6e6e6".into());
                    let key = d.key.map(|k| k.to_string()).unwrap_or_default();
                    html! {
                        <li key={name.clone()} class="legend-item">
                            <span class="swatch" style={format!("background:{colour}")} aria-hidden="true"></span>
                            <span class="legend-name">{ name.clone() }</span>
                            if !key.is_empty() { <kbd class="legend-key" title="key">{ key }</kbd> }
                            <span class="legend-pending">{ format!("{n} pending") }</span>
                            if n > 0 {
                                <button type="button" class="small" aria-label={format!("Accept all {n} {name} suggestions")}
                                    onclick={review(d.label.clone(), Status::Accepted)}>{"✓ all"}</button>
                                <button type="button" class="small" aria-label={format!("Reject all {n} {name} suggestions")}
                                    onclick={review(d.label.clone(), Status::Rejected)}>{"✗ all"}</button>
                            }
                        </li>
                    }
                }) }
            </ul>
            <button type="button" class="button" onclick={edit}>{"Edit labels…"}</button>
        </section>
    }
}

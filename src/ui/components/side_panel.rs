//! The side panel: entities grouped by the entity they name (with mention counts) and
//! attributions grouped by source (with a bar chart); clicking an item scrolls to it.

use crate::core::edit::review::{entity_groups, source_groups};
use crate::core::Target;
use crate::ui::components::SourceChart;
use crate::ui::state::{use_annotator, Action};
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn SidePanel() -> Html {
    let state = use_annotator();
    let (entities, sources) = {
        let handle = state.clone();
        let derived = use_memo(state.revision, move |_| {
            (Rc::new(entity_groups(handle.set())), Rc::new(source_groups(handle.set())))
        });
        (derived.0.clone(), derived.1.clone())
    };
    let pick = {
        let dispatcher = state.dispatcher();
        Callback::from(move |t: Target| dispatcher.dispatch(Action::Focus { target: Some(t) }))
    };
    html! {
        <aside class="side-panel" aria-label="Summary">
            <section aria-labelledby="sources-heading">
                <h2 id="sources-heading" class="panel-heading">{ format!("Sources ({})", sources.len()) }</h2>
                if sources.is_empty() {
                    <p class="muted">{"No attributions yet: select what was said and press Q."}</p>
                } else {
                    <SourceChart groups={sources.clone()} on_pick={pick.clone()} />
                    <ul class="group-list">
                        { for sources.iter().map(|g| {
                            let first = g.attributions.first().copied();
                            let pick = pick.clone();
                            let onclick = Callback::from(move |_: MouseEvent| if let Some(id) = first { pick.emit(Target::Attribution(id)) });
                            html! {
                                <li key={first.map(|a| a.to_string()).unwrap_or_default()}>
                                    <button type="button" class="link" {onclick}>{ g.name.clone() }</button>
                                    <span class="muted">{ format!(" {} direct · {} indirect · {} mixed", g.direct, g.indirect, g.mixed) }</span>
                                </li>
                            }
                        }) }
                    </ul>
                }
            </section>
            <section aria-labelledby="entities-heading">
                <h2 id="entities-heading" class="panel-heading">{ format!("Entities ({})", entities.len()) }</h2>
                <ul class="group-list">
                    { for entities.iter().map(|g| {
                        let first = g.mentions.first().copied();
                        let pick = pick.clone();
                        let onclick = Callback::from(move |_: MouseEvent| if let Some(id) = first { pick.emit(Target::Entity(id)) });
                        html! {
                            <li key={first.map(|e| e.to_string()).unwrap_or_default()}>
                                <span class="tag">{ g.label.as_str().to_string() }</span>
                                <button type="button" class="link" {onclick}>{ g.name.clone() }</button>
                                <span class="muted">{ format!(" ×{}", g.mentions.len()) }</span>
                            </li>
                        }
                    }) }
                </ul>
            </section>
        </aside>
    }
}

//! The focused item's details and buttons: an entity's label, status and edges; an
//! attribution's kind, roles ("She → Caroline Leavitt") and fragments. Every button does
//! what a key does, for mouse users and screen readers.
//!
//! Buttons that use the text selection keep it: they act on `mousedown` default
//! prevented, so clicking them does not collapse the selection first.

use crate::core::edit::keys::Role;
use crate::core::edit::review::{entity_groups, source_display};
use crate::core::edit::snap::{Dir, Edge, Step};
use crate::core::{AnnotationSet, Attribution, AttributionId, Entity, EntityId, Kind, Label, Status, Target};
use crate::ui::selection::{self, Offsets};
use crate::ui::state::{use_annotator, Action};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub offsets: Offsets,
}

fn text_of(set: &AnnotationSet, span: crate::core::Span) -> String {
    span.slice(set.text()).unwrap_or("").to_string()
}

fn keep_selection() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| e.prevent_default())
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let state = use_annotator();
    let set = state.set();
    let dispatch = |action: Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action.clone()))
    };
    let body = match state.focused() {
        None => html! {
            <p class="muted">{"Nothing focused. Press J for the next suggestion, or select text and press a label key."}</p>
        },
        Some(Target::Entity(id)) => match set.entity(id) {
            Some(e) => entity_view(set, e, &dispatch, &state),
            None => html! {},
        },
        Some(Target::Attribution(id)) => match set.attribution(id) {
            Some(a) => attribution_view(set, a, &dispatch, &state, &props.offsets),
            None => html! {},
        },
    };
    html! {
        <section class="inspector" aria-labelledby="inspector-heading">
            <h2 id="inspector-heading" class="panel-heading">{"Focused item"}</h2>
            { body }
        </section>
    }
}

fn review_buttons(dispatch: &dyn Fn(Action) -> Callback<MouseEvent>) -> Html {
    html! {
        <div class="button-row">
            <button type="button" class="button" onclick={dispatch(Action::Review { status: Status::Accepted })}>{"Accept (Enter)"}</button>
            <button type="button" class="button" onclick={dispatch(Action::Review { status: Status::Rejected })}>{"Reject (X)"}</button>
            <button type="button" class="button danger" onclick={dispatch(Action::Delete)}>{"Delete"}</button>
        </div>
    }
}

fn entity_view(
    set: &AnnotationSet,
    e: &Entity,
    dispatch: &dyn Fn(Action) -> Callback<MouseEvent>,
    state: &crate::ui::state::AnnotatorContext,
) -> Html {
    let relabel = {
        let dispatcher = state.dispatcher();
        Callback::from(move |ev: Event| {
            let sel: HtmlSelectElement = ev.target_unchecked_into();
            if let Ok(label) = Label::parse(&sel.value()) {
                dispatcher.dispatch(Action::Tag { selection: None, label, exact: false });
            }
        })
    };
    let nudge = |edge, dir, step| dispatch(Action::Nudge { edge, dir, step });
    html! {
        <div class="inspector-body" data-inspecting={e.id.to_string()}>
            <p class="inspected-text">{ format!("“{}”", text_of(set, e.span)) }</p>
            if let Some(c) = &e.canonical { <p class="muted">{ format!("refers to {c}") }</p> }
            <p>
                <label for="relabel">{"Label "}</label>
                <select id="relabel" onchange={relabel}>
                    { for set.schema.labels.iter().map(|d| {
                        let name = d.label.as_str().to_string();
                        html! { <option key={name.clone()} value={name.clone()} selected={d.label == e.label}>{ name }</option> }
                    }) }
                </select>
                <span class="status">{ format!(" {} · {}", e.status.as_str(), e.origin.as_str()) }</span>
            </p>
            { review_buttons(dispatch) }
            <div class="button-row" role="group" aria-label="Move the edges">
                <button type="button" class="small" aria-label="Start one word left ([)" onclick={nudge(Edge::Start, Dir::Left, Step::Word)}>{"⇤ start"}</button>
                <button type="button" class="small" aria-label="Start one word right (])" onclick={nudge(Edge::Start, Dir::Right, Step::Word)}>{"start ⇥"}</button>
                <button type="button" class="small" aria-label="End one word left (,)" onclick={nudge(Edge::End, Dir::Left, Step::Word)}>{"⇤ end"}</button>
                <button type="button" class="small" aria-label="End one word right (.)" onclick={nudge(Edge::End, Dir::Right, Step::Word)}>{"end ⇥"}</button>
            </div>
        </div>
    }
}

fn attribution_view(
    set: &AnnotationSet,
    a: &Attribution,
    dispatch: &dyn Fn(Action) -> Callback<MouseEvent>,
    state: &crate::ui::state::AnnotatorContext,
    offsets: &Offsets,
) -> Html {
    let id: AttributionId = a.id;
    let role_from_selection = |role: Role| {
        let dispatcher = state.dispatcher();
        let offsets = offsets.clone();
        Callback::from(move |_: MouseEvent| match selection::selected_span(&offsets.0) {
            Some(selection) => {
                dispatcher.dispatch(Action::SetRole { role, selection, exact: false });
                selection::clear();
            }
            None => dispatcher.dispatch(Action::Fail { message: "select the words in the article first".into() }),
        })
    };
    let set_kind = {
        let dispatcher = state.dispatcher();
        Callback::from(move |ev: Event| {
            let sel: HtmlSelectElement = ev.target_unchecked_into();
            let kind = match sel.value().as_str() {
                "direct" => Kind::Direct,
                "mixed" => Kind::Mixed,
                _ => Kind::Indirect,
            };
            dispatcher.dispatch(Action::SetKind { id, kind });
        })
    };
    let link = {
        let dispatcher = state.dispatcher();
        Callback::from(move |ev: Event| {
            let sel: HtmlSelectElement = ev.target_unchecked_into();
            let entity = sel.value().strip_prefix('e').and_then(|n| n.parse().ok()).map(EntityId);
            dispatcher.dispatch(Action::LinkSource { id, entity });
        })
    };
    let linked = a.source.as_ref().and_then(|s| s.entity);
    let people = entity_groups(set);
    let source = source_display(set, a).map(|d| d.to_string()).unwrap_or_else(|| "none yet (select it, press S)".into());
    let cue = a.cue.map(|c| text_of(set, c)).unwrap_or_else(|| "none yet (select it, press C)".into());
    html! {
        <div class="inspector-body" data-inspecting={a.id.to_string()}>
            <dl class="roles">
                <dt>{"Source"}</dt><dd class="role-source">{ source }</dd>
                <dt>{"Cue"}</dt><dd class="role-cue">{ cue }</dd>
                <dt>{"Content"}</dt>
                <dd class="role-content">
                    <ol>{ for a.content.fragments().iter().map(|f| html! { <li key={f.start}>{ text_of(set, *f) }</li> }) }</ol>
                </dd>
            </dl>
            <p>
                <label for="kind">{"Kind "}</label>
                <select id="kind" onchange={set_kind}>
                    { for [Kind::Direct, Kind::Indirect, Kind::Mixed].iter().map(|k| html! {
                        <option key={k.as_str()} value={k.as_str()} selected={*k == a.kind}>{ k.as_str() }</option>
                    }) }
                </select>
                <span class="status">{ format!(" {} · {}", a.status.as_str(), a.origin.as_str()) }</span>
            </p>
                <p>
                    <label for="link">{ if a.source.is_some() { "Source refers to " } else { "Source is the entity " } }</label>
                    <select id="link" onchange={link}>
                        <option value="" selected={linked.is_none()}>{"(nobody linked)"}</option>
                        { for people.iter().filter_map(|g| g.mentions.first().map(|m| (g, *m))).map(|(g, m)| {
                            // Linked to any mention of the group: show that group as chosen.
                            let chosen = linked.is_some_and(|l| g.mentions.contains(&l));
                            let value = if chosen { linked.unwrap_or(m) } else { m };
                            html! { <option key={m.to_string()} value={value.to_string()} selected={chosen}>{ format!("{} ({})", g.name, g.label) }</option> }
                        }) }
                    </select>
                </p>
            <div class="button-row" role="group" aria-label="Roles from the selected text">
                <button type="button" class="small" onmousedown={keep_selection()} onclick={role_from_selection(Role::Source)}>{"Selection is source (S)"}</button>
                <button type="button" class="small" onmousedown={keep_selection()} onclick={role_from_selection(Role::Cue)}>{"Selection is cue (C)"}</button>
                <button type="button" class="small" onmousedown={keep_selection()} onclick={role_from_selection(Role::Fragment)}>{"Add fragment (F)"}</button>
            </div>
            { review_buttons(dispatch) }
        </div>
    }
}

//! The actions above the article: files, undo/redo, review navigation and view toggles.

use crate::core::edit::review::Nav;
use crate::ui::components::{ExportButton, OpenButton};
use crate::ui::state::{use_annotator, Action};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_paste: Callback<()>,
    pub on_help: Callback<()>,
    pub hide_boilerplate: bool,
    pub on_toggle_boilerplate: Callback<()>,
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let state = use_annotator();
    let act = |action: Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action.clone()))
    };
    let pending = state.set().pending();
    let paste = props.on_paste.reform(|_: MouseEvent| ());
    let help = props.on_help.reform(|_: MouseEvent| ());
    let toggle = props.on_toggle_boilerplate.reform(|_: MouseEvent| ());
    html! {
        <div class="toolbar" role="toolbar" aria-label="Document">
            <OpenButton />
            <button type="button" class="button" onclick={paste}>{"Paste…"}</button>
            <ExportButton />
            <span class="sep" aria-hidden="true"></span>
            <button type="button" class="button" disabled={!state.history.can_undo()} aria-keyshortcuts="Control+Z"
                onclick={act(Action::Undo)}>{"Undo"}</button>
            <button type="button" class="button" disabled={!state.history.can_redo()} aria-keyshortcuts="Control+Shift+Z Control+Y"
                onclick={act(Action::Redo)}>{"Redo"}</button>
            <span class="sep" aria-hidden="true"></span>
            <button type="button" class="button" aria-keyshortcuts="K" onclick={act(Action::Step { nav: Nav::Prev })}>{"◀ Prev"}</button>
            <span class="pending" data-pending={pending.to_string()}>{ format!("{pending} pending") }</span>
            <button type="button" class="button" aria-keyshortcuts="J" onclick={act(Action::Step { nav: Nav::Next })}>{"Next ▶"}</button>
            <span class="sep" aria-hidden="true"></span>
            <button type="button" class="button" aria-pressed={props.hide_boilerplate.to_string()} onclick={toggle}>{"Hide boilerplate"}</button>
            <button type="button" class="button" aria-keyshortcuts="?" onclick={help}>{"Shortcuts (?)"}</button>
        </div>
    }
}

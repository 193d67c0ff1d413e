//! The `?` dialog: every shortcut, from the same table the key handler uses.

use crate::core::edit::keys::{SHORTCUTS, WALK_SHORTCUTS};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpDialogProps {
    pub on_close: Callback<()>,
}

fn table(rows: &'static [(&'static str, &'static str)]) -> Html {
    html! {
        <table class="shortcuts">
            <thead><tr><th scope="col">{"Keys"}</th><th scope="col">{"What they do"}</th></tr></thead>
            <tbody>
                { for rows.iter().map(|(k, what)| html! {
                    <tr key={*k}><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

#[component]
pub fn HelpDialog(props: &HelpDialogProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-heading">
                <h2 id="help-heading">{"Keyboard shortcuts"}</h2>
                { table(SHORTCUTS) }
                <h3>{"In the Adjudicate view"}</h3>
                { table(WALK_SHORTCUTS) }
                <button type="button" class="button" autofocus=true onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}

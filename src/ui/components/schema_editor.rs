//! The label schema editor: add, rename, recolour and re-key labels. The schema is part
//! of the annotation set, so every change is undoable and exported with the JSON.

use crate::core::edit::session::is_hex_colour;
use crate::ui::state::{use_annotator, Action};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SchemaEditorProps {
    pub on_close: Callback<()>,
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[component]
pub fn SchemaEditor(props: &SchemaEditorProps) -> Html {
    let state = use_annotator();
    let new_name = use_node_ref();
    let rows = state.set().schema.labels.iter().enumerate().map(|(i, d)| {
        let label = d.label.clone();
        let name = label.as_str().to_string();
        let rename = {
            let (dispatcher, from) = (state.dispatcher(), label.clone());
            Callback::from(move |e: Event| dispatcher.dispatch(Action::RenameLabel { from: from.clone(), to: input_value(&e) }))
        };
        let recolour = {
            let (dispatcher, label) = (state.dispatcher(), label.clone());
            Callback::from(move |e: Event| dispatcher.dispatch(Action::Recolour { label: label.clone(), colour: input_value(&e) }))
        };
        let rekey = {
            let (dispatcher, label) = (state.dispatcher(), label.clone());
            Callback::from(move |e: Event| {
                let key = input_value(&e).chars().next();
                dispatcher.dispatch(Action::Rekey { label: label.clone(), key })
            })
        };
        let colour = if is_hex_colour(&d.colour) { d.colour.clone() } else { "#e6e6e6".to_string() };
        html! {
            <tr key={i}>
                <td><input type="text" value={name.clone()} aria-label={format!("Name of {name}")} onchange={rename} /></td>
                <td><input type="color" value={colour} aria-label={format!("Colour of {name}")} onchange={recolour} /></td>
                <td><input type="text" class="key-input" maxlength="1" value={d.key.map(|k| k.to_string()).unwrap_or_default()}
                        aria-label={format!("Key of {name}")} onchange={rekey} /></td>
            </tr>
        }
    });
    let add = {
        let (dispatcher, new_name) = (state.dispatcher(), new_name.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = new_name.cast::<HtmlInputElement>() {
                dispatcher.dispatch(Action::AddLabel { name: input.value() });
                input.set_value("");
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="schema-heading">
                <h2 id="schema-heading">{"Labels"}</h2>
                <table class="schema">
                    <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Colour"}</th><th scope="col">{"Key"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                <p>
                    <label for="new-label">{"New label "}</label>
                    <input id="new-label" ref={new_name} type="text" placeholder="EVENT" />
                    <button type="button" class="button" onclick={add}>{"Add label"}</button>
                </p>
                <button type="button" class="button" autofocus=true onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}

//! In-app search over the whole article (Ctrl+F where the article is drawn only near the
//! viewport, so the browser's find cannot see most of it): type, Enter or ↓ for the next
//! hit, Shift+Enter or ↑ for the previous one, Escape to close. A hit becomes the text
//! selection, so a label key tags it at once.

use crate::core::edit::viewport;
use crate::core::Span;
use std::sync::Arc;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// At most this many hits are counted (the first ones, in reading order).
const MAX_HITS: usize = 10_000;

#[derive(Properties, PartialEq)]
pub struct FindBarProps {
    /// The document text (compared by pointer: it never changes while loaded).
    pub text: Arc<str>,
    /// Shows a hit: its paragraph is drawn and the hit selected.
    pub on_go: Callback<Span>,
    pub on_close: Callback<()>,
}

#[component]
pub fn FindBar(props: &FindBarProps) -> Html {
    let lowered = use_memo(props.text.clone(), |t| t.to_ascii_lowercase());
    let query = use_state(String::new);
    let at = use_state(|| None::<usize>);
    let hits = {
        let lowered = lowered.clone();
        use_memo((*query).clone(), move |q| viewport::find(&lowered, q, MAX_HITS))
    };
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let _ = i.focus();
                i.select();
            }
        });
    }
    let go = {
        let (hits, at, on_go) = (hits.clone(), at.clone(), props.on_go.clone());
        move |forward: bool| {
            if hits.is_empty() {
                return;
            }
            let n = hits.len();
            let next = match (*at, forward) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
            };
            at.set(Some(next));
            on_go.emit(hits[next]);
        }
    };
    let oninput = {
        let (query, at) = (query.clone(), at.clone());
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            query.set(i.value());
            at.set(None);
        })
    };
    let onkeydown = {
        let (go, close) = (go.clone(), props.on_close.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                go(!e.shift_key());
            }
            "ArrowDown" => {
                e.prevent_default();
                go(true);
            }
            "ArrowUp" => {
                e.prevent_default();
                go(false);
            }
            "Escape" => {
                e.prevent_default();
                e.stop_propagation();
                close.emit(());
            }
            _ => {}
        })
    };
    let status = match (query.is_empty(), hits.len(), *at) {
        (true, _, _) => String::new(),
        (false, 0, _) => "no match".to_string(),
        (false, n, Some(i)) => format!("{} of {n}{}", i + 1, if n == MAX_HITS { "+" } else { "" }),
        (false, n, None) => format!("{n}{} found", if n == MAX_HITS { "+" } else { "" }),
    };
    let (prev, next) = (go.clone(), go);
    html! {
        <div class="find-bar" role="search">
            <input ref={input} type="search" aria-label="Find in the article" placeholder="Find in the article"
                value={(*query).clone()} {oninput} {onkeydown} />
            <span class="find-status" aria-live="polite">{ status }</span>
            <button type="button" class="button" aria-label="Previous match" onclick={Callback::from(move |_: MouseEvent| prev(false))}>{"↑"}</button>
            <button type="button" class="button" aria-label="Next match" onclick={Callback::from(move |_: MouseEvent| next(true))}>{"↓"}</button>
            <button type="button" class="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{"Close"}</button>
        </div>
    }
}

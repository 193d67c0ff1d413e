//! The article: its paragraphs (keyed by offset and memoised, so an edit repaints only the
//! paragraphs it touches), with events delegated to the `<article>` element: clicking or
//! tabbing onto a highlight or an attribution focuses it in the session, hovering an
//! attribution's role reports it (its other roles light up), and the session's focus is
//! mirrored to the DOM focus (J / K scroll to the item).

use crate::core::{AttributionId, EntityId, Target};
use crate::ui::components::Paragraph;
use crate::ui::state::{use_annotator, Action};
use crate::ui::view;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    /// Whether whole boilerplate paragraphs are collapsed.
    #[prop_or_default]
    pub hide_boilerplate: bool,
    /// The attribution under the mouse, as `a<n>`.
    pub on_hover: Callback<Option<AttrValue>>,
}

/// The target an element stands for: the innermost highlight, else the attribution frame.
fn target_of(el: &Element) -> Option<Target> {
    let parse = |s: String, prefix: char| s.strip_prefix(prefix).and_then(|n| n.parse::<u32>().ok());
    if let Some(mark) = el.closest("mark[data-id]").ok().flatten() {
        return mark.get_attribute("data-id").and_then(|s| parse(s, 'e')).map(|n| Target::Entity(EntityId(n)));
    }
    // An attribution's own frame start names it, even where attributions overlap.
    if let Some(frame) = el.closest("[data-frame]").ok().flatten() {
        return frame.get_attribute("data-frame").and_then(|s| parse(s, 'a')).map(|n| Target::Attribution(AttributionId(n)));
    }
    let span = el.closest("[data-attribution]").ok().flatten()?;
    let first = span.get_attribute("data-attribution")?.split(' ').next()?.to_string();
    parse(first, 'a').map(|n| Target::Attribution(AttributionId(n)))
}

/// The element that takes the DOM focus for a target.
pub fn focus_element(target: Target) -> Option<HtmlElement> {
    let selector = match target {
        Target::Entity(id) => format!("mark[data-id=\"{id}\"][tabindex]"),
        Target::Attribution(id) => format!("[data-frame=\"{id}\"]"),
    };
    gloo::utils::document().query_selector(&selector).ok().flatten()?.dyn_into().ok()
}

#[component]
pub fn Article(props: &ArticleProps) -> Html {
    let state = use_annotator();
    let set = state.set();
    // Recomputed only when the annotations change, not on focus or messages.
    let cache = use_mut_ref(view::ViewCache::default);
    let paragraphs = {
        let handle = state.clone();
        use_memo(state.revision, move |_| view::paragraphs_cached(handle.set(), &mut cache.borrow_mut()))
    };

    let focus = state.focused();
    use_effect_with(focus, |focus| {
        if let Some(el) = focus.and_then(focus_element) {
            let active = gloo::utils::document().active_element();
            if active.as_ref() != Some(el.as_ref()) {
                let _ = el.focus();
            }
        }
    });

    let current_focus = state.focus;
    let onfocusin = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: FocusEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let target = target_of(&el);
            if target.is_some() && target != current_focus {
                dispatcher.dispatch(Action::Focus { target });
            }
        })
    };
    let onclick = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: MouseEvent| {
            // A click that ends a drag-selection is about the selection, not the focus.
            let selecting = gloo::utils::window().get_selection().ok().flatten().is_some_and(|s| !s.is_collapsed());
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if let (false, Some(target)) = (selecting, target_of(&el)) {
                if Some(target) != current_focus {
                    dispatcher.dispatch(Action::Focus { target: Some(target) });
                }
            }
        })
    };
    let onmouseover = {
        let on_hover = props.on_hover.clone();
        Callback::from(move |e: MouseEvent| {
            let el = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            let id = el
                .and_then(|el| el.closest("[data-attribution]").ok().flatten())
                .and_then(|s| s.get_attribute("data-attribution"))
                .and_then(|s| s.split(' ').next().map(|s| AttrValue::from(s.to_string())));
            on_hover.emit(id);
        })
    };
    let onmouseleave = {
        let on_hover = props.on_hover.clone();
        Callback::from(move |_: MouseEvent| on_hover.emit(None))
    };

    let class = classes!("article", props.hide_boilerplate.then_some("hide-boilerplate"));
    html! {
        <article
            {class}
            data-document={set.document.id.clone()}
            tabindex="0"
            aria-label="Article text: select words with Shift and the arrow keys, then press a label key"
            {onfocusin}
            {onclick}
            {onmouseover}
            {onmouseleave}
        >
            if let Some(title) = &set.document.title {
                <h2 class="article-title">{ title.clone() }</h2>
            }
            { for paragraphs.iter().map(|p| html! {
                <Paragraph key={p.key} start={p.key} boilerplate={p.boilerplate} segments={p.segments.clone()} />
            }) }
        </article>
    }
}

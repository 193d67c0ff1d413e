//! The article: its paragraphs, keyed by offset so unchanged ones are not re-rendered.

use crate::ui::components::Paragraph;
use crate::ui::state::use_annotator;
use crate::ui::view;
use yew::prelude::*;

#[component]
pub fn Article() -> Html {
    let state = use_annotator();
    let set = state.set();
    let paragraphs = view::paragraphs(set);
    html! {
        <article class="article" data-document={set.document.id.clone()}>
            if let Some(title) = &set.document.title {
                <h2 class="article-title">{ title.clone() }</h2>
            }
            { for paragraphs.into_iter().map(|p| html! {
                <Paragraph key={p.key} segments={p.segments} />
            }) }
        </article>
    }
}

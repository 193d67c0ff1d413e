//! One paragraph: its segments as text, wrapped in one `<mark>` per covering entity
//! (outermost first; at most `view::MAX_MARKS`, the innermost naming the others in
//! `data-also`) and a `<span>` carrying attribution-role classes.
//!
//! Props are plain comparable values and carry no callbacks (the article delegates
//! events), so yew skips every paragraph whose segments did not change: an edit repaints
//! one paragraph, not the article. Text always goes into text nodes: an article is never
//! parsed as HTML, and nothing but article text goes inside the `<p>` (selection offsets
//! are measured from its start).

use crate::ui::view::{MarkData, SegmentData};
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::VText;

#[derive(Properties, PartialEq)]
pub struct ParagraphProps {
    /// Byte offset of the paragraph in the document.
    pub start: usize,
    #[prop_or_default]
    pub boilerplate: bool,
    pub segments: Rc<Vec<SegmentData>>,
}

#[component]
pub fn Paragraph(props: &ParagraphProps) -> Html {
    let class = classes!("paragraph", props.boilerplate.then_some("boilerplate-paragraph"));
    html! {
        <p {class} data-start={props.start.to_string()}>{ for props.segments.iter().map(segment) }</p>
    }
}

fn segment(s: &SegmentData) -> Html {
    let mut node = Html::VText(VText::new(s.text.clone()));
    for m in s.marks.iter().rev() {
        node = mark(m, node);
    }
    if s.classes.is_empty() {
        return node;
    }
    let attributions = (!s.attributions.is_empty()).then(|| s.attributions.clone());
    match &s.frame {
        Some((id, aria)) => html! {
            <span
                class={classes!(s.classes.clone(), "frame-start")}
                data-attribution={attributions}
                data-frame={id.clone()}
                tabindex="0"
                role="group"
                aria-roledescription="attribution"
                aria-label={aria.clone()}
            >{ node }</span>
        },
        None => html! {
            <span class={classes!(s.classes.clone())} data-attribution={attributions}>{ node }</span>
        },
    }
}

fn mark(m: &MarkData, inner: Html) -> Html {
    if m.first {
        html! {
            <mark
                class="entity"
                data-id={m.id.clone()}
                data-label={m.label.clone()}
                data-status={m.status.clone()}
                style={m.style.clone()}
                data-also={m.also.clone()}
                tabindex="0"
                role="group"
                aria-roledescription="highlight"
                aria-label={m.aria.clone()}
            >{ inner }</mark>
        }
    } else {
        html! {
            <mark
                class="entity"
                data-id={m.id.clone()}
                data-label={m.label.clone()}
                data-status={m.status.clone()}
                style={m.style.clone()}
                data-also={m.also.clone()}
            >{ inner }</mark>
        }
    }
}

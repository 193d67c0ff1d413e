//! One paragraph: its segments as text, wrapped in one `<mark>` per covering entity
//! (outermost first) and a `<span>` carrying attribution-role classes.
//!
//! Text always goes into text nodes: an article is never parsed as HTML.

use crate::ui::view::{MarkData, SegmentData};
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::VText;

#[derive(Properties, PartialEq)]
pub struct ParagraphProps {
    pub segments: Rc<Vec<SegmentData>>,
}

#[component]
pub fn Paragraph(props: &ParagraphProps) -> Html {
    // Segments are not keyed: they are a mix of text nodes and elements, and a
    // paragraph re-renders as a whole when its segments change.
    html! {
        <p class="paragraph">{ for props.segments.iter().map(segment) }</p>
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
    html! {
        <span class={classes!(s.classes.clone())} data-attribution={attributions}>{ node }</span>
    }
}

fn mark(m: &MarkData, inner: Html) -> Html {
    html! {
        <mark
            class="entity"
            data-id={m.id.clone()}
            data-label={m.label.clone()}
            data-status={m.status.clone()}
            title={m.title.clone()}
            style={m.style.clone()}
        >{ inner }</mark>
    }
}

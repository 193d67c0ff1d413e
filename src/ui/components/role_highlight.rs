//! Lights up every role of the hovered or focused attribution (content, cue, source) with
//! one generated style rule, so hovering never re-renders the article.

use crate::core::edit::session::Session;
use crate::core::Target;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RoleHighlightProps {
    /// `a<n>` under the mouse.
    pub hovered: Option<AttrValue>,
    /// The focused attribution, as `a<n>`.
    pub focused: Option<AttrValue>,
}

/// The focused attribution's id for [`RoleHighlight`].
pub fn focused_attribution(session: &Session) -> Option<AttrValue> {
    match session.focused()? {
        Target::Attribution(id) => Some(id.to_string().into()),
        Target::Entity(_) => None,
    }
}

/// Ids are `a` + digits (they come from the session, but a rule must never carry
/// anything else into CSS).
fn safe(id: &str) -> bool {
    id.strip_prefix('a').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[component]
pub fn RoleHighlight(props: &RoleHighlightProps) -> Html {
    let mut css = String::new();
    for id in [&props.hovered, &props.focused].into_iter().flatten().filter(|id| safe(id)) {
        css.push_str(&format!(
            "[data-attribution~=\"{id}\"].attr-content{{background-color:#dbe7f7}}\
             [data-attribution~=\"{id}\"].attr-cue{{outline:2px solid #1f4e8c}}\
             [data-attribution~=\"{id}\"].attr-source{{text-decoration-thickness:3px;text-decoration-color:#1f4e8c}}"
        ));
    }
    html! { <style>{ css }</style> }
}

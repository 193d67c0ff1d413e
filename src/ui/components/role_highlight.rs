//! Lights up every role of the hovered or focused attribution (content, cue, source) with
//! one generated style rule, so hovering never re-renders the article. The rules live in
//! an adopted stylesheet set through the CSSOM, not in a `<style>` element, which the
//! page's Content-Security-Policy refuses.

use crate::core::edit::session::Session;
use crate::core::Target;
use wasm_bindgen::{JsCast, JsValue};
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

/// A stylesheet of its own, adopted by the document: rules set through the CSSOM are not
/// inline `<style>` text, so the page's CSP (`style-src 'self'`) allows them.
fn adopt_sheet() -> Option<web_sys::CssStyleSheet> {
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    let document = web_sys::window()?.document()?;
    let key = JsValue::from_str("adoptedStyleSheets");
    let list: js_sys::Array = js_sys::Reflect::get(&document, &key).ok()?.dyn_into().ok()?;
    js_sys::Reflect::set(&document, &key, &list.concat(&js_sys::Array::of1(&sheet))).ok()?;
    Some(sheet)
}

fn drop_sheet(sheet: &web_sys::CssStyleSheet) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let key = JsValue::from_str("adoptedStyleSheets");
    if let Some(list) = js_sys::Reflect::get(&document, &key).ok().and_then(|l| l.dyn_into::<js_sys::Array>().ok()) {
        let me: &JsValue = sheet.as_ref();
        let kept = list.filter(&mut |s, _, _| s != *me);
        let _ = js_sys::Reflect::set(&document, &key, &kept);
    }
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
    let sheet = use_memo((), |_| adopt_sheet());
    {
        let sheet = sheet.clone();
        use_effect_with((), move |_| move || {
            if let Some(s) = sheet.as_ref() {
                drop_sheet(s)
            }
        });
    }
    use_effect_with(css, move |css| {
        if let Some(s) = sheet.as_ref() {
            let _ = s.replace_sync(css);
        }
    });
    html! {}
}

//! Browser tests of the editor: keys, focus, tagging from a DOM selection, the side panel
//! and dialogs. Each mounts `App` on its own set, dispatches real `keydown` events on the
//! window (what the app listens to), flushes yew's scheduler and asserts on the DOM.
#![cfg(target_arch = "wasm32")]

use newsmark::core::{AnnotationSet, Document, Entity, EntityId, Label, Origin, Span, Status};
use newsmark::ui::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const TEXT: &str = "Ann Lee met Bob Stone in Paris.\nLater, “it went well,” Ann said.";

fn span_of(needle: &str) -> Span {
    let s = TEXT.find(needle).unwrap();
    Span::new(s, s + needle.len())
}

/// Two suggested entities (Ann Lee, Paris) and nothing else.
fn set() -> AnnotationSet {
    let mut set = AnnotationSet::new(Document::new("t", None, TEXT));
    for (label, needle) in [(Label::Person, "Ann Lee"), (Label::Gpe, "Paris")] {
        let id = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id,
            label,
            span: span_of(needle),
            origin: Origin::Auto,
            status: Status::Suggested,
            confidence: 0.5,
            canonical: None,
            group: None,
        });
    }
    set
}

/// A mounted app; dropped apps are destroyed, so only one listens to the window's keys.
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

async fn mount(initial: AnnotationSet) -> Mounted {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { initial: Some(initial) }).render();
    yew::scheduler::flush().await;
    Mounted { root, handle: Some(handle) }
}

async fn press(key: &str, code: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_code(code);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::window().dispatch_event(&e).unwrap();
    yew::scheduler::flush().await;
}

fn q(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn status_of(root: &Element, label: &str) -> Option<String> {
    q(root, &format!("mark[data-label={label}]")).and_then(|m| m.get_attribute("data-status"))
}

/// Selects `needle` in the article the way a mouse drag would.
fn select(root: &Element, needle: &str) {
    let start = TEXT.find(needle).unwrap();
    let para = TEXT[..start].matches('\n').count();
    let p = root.query_selector_all("article p.paragraph").unwrap().item(para as u32).unwrap();
    let p_start: usize = p.dyn_ref::<Element>().unwrap().get_attribute("data-start").unwrap().parse().unwrap();
    let (from, to) = (TEXT[p_start..start].encode_utf16().count(), TEXT[p_start..start + needle.len()].encode_utf16().count());
    // Walk the text nodes to the UTF-16 offsets.
    fn texts(n: &web_sys::Node, out: &mut Vec<web_sys::Node>) {
        if n.node_type() == web_sys::Node::TEXT_NODE {
            out.push(n.clone());
        }
        let kids = n.child_nodes();
        for i in 0..kids.length() {
            texts(&kids.item(i).unwrap(), out);
        }
    }
    let mut nodes = Vec::new();
    texts(&p, &mut nodes);
    let range = gloo::utils::document().create_range().unwrap();
    let mut at = 0;
    for n in nodes {
        let len = n.text_content().unwrap_or_default().encode_utf16().count();
        if from >= at && from <= at + len {
            range.set_start(&n, (from - at) as u32).unwrap();
        }
        if to >= at && to <= at + len {
            range.set_end(&n, (to - at) as u32).unwrap();
            break;
        }
        at += len;
    }
    let sel = gloo::utils::window().get_selection().unwrap().unwrap();
    sel.remove_all_ranges().unwrap();
    sel.add_range(&range).unwrap();
}

#[wasm_bindgen_test]
async fn review_with_j_enter_x_and_undo() {
    let root = mount(set()).await;
    assert!(q(&root, ".pending").unwrap().text_content().unwrap().starts_with("2 pending"));
    press("j", "KeyJ", false).await;
    let active = gloo::utils::document().active_element().unwrap();
    assert_eq!(active.get_attribute("data-label").as_deref(), Some("PERSON"), "J focuses the first suggestion");
    press("Enter", "Enter", false).await;
    assert_eq!(status_of(&root, "PERSON").as_deref(), Some("accepted"));
    press("j", "KeyJ", false).await;
    press("x", "KeyX", false).await;
    assert_eq!(status_of(&root, "GPE").as_deref(), Some("rejected"));
    assert!(q(&root, ".pending").unwrap().text_content().unwrap().starts_with("0 pending"));
    press("z", "KeyZ", true).await;
    assert_eq!(status_of(&root, "GPE").as_deref(), Some("suggested"), "Ctrl+Z undoes the rejection");
    press("y", "KeyY", true).await;
    assert_eq!(status_of(&root, "GPE").as_deref(), Some("rejected"), "Ctrl+Y redoes it");
}

#[wasm_bindgen_test]
async fn a_label_key_tags_the_selection_snapped_to_words() {
    let root = mount(set()).await;
    select(&root, "b Sto"); // half of "Bob Stone"
    press("1", "Digit1", false).await;
    let marks = root.query_selector_all("mark[data-label=PERSON][data-status=accepted]").unwrap();
    let texts: Vec<String> = (0..marks.length()).filter_map(|i| marks.item(i)?.text_content()).collect();
    assert_eq!(texts, ["Bob Stone"]);
    let m = q(&root, "mark[data-label=PERSON][data-status=accepted]").unwrap();
    assert_eq!(m.get_attribute("aria-label").as_deref(), Some("PERSON: Bob Stone, accepted"));
    assert_eq!(q(&root, "[role=status]").unwrap().text_content().as_deref(), Some("tagged PERSON: Bob Stone"));
}

#[wasm_bindgen_test]
async fn quote_cue_source_build_one_attribution_frame() {
    let root = mount(set()).await;
    select(&root, "“it went well,”");
    press("q", "KeyQ", false).await;
    select(&root, "said");
    press("c", "KeyC", false).await;
    select(&root, "Ann said");
    // Only "Ann" should be the source: select exactly it.
    select(&root, "Ann s");
    press("s", "KeyS", false).await;
    let frame = q(&root, "[data-frame]").expect("the content's first piece is the frame's focus target");
    let id = frame.get_attribute("data-frame").unwrap();
    for role in ["content", "cue", "source"] {
        assert!(q(&root, &format!(".attr-{role}[data-attribution~=\"{id}\"]")).is_some(), "{role} painted");
    }
    assert_eq!(q(&root, ".inspector .role-cue").unwrap().text_content().as_deref(), Some("said"));
    assert!(frame.get_attribute("aria-label").unwrap().starts_with("Attribution, direct, by Ann"));
    // Focusing the frame lights up its roles through one generated style rule.
    frame.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    yew::scheduler::flush().await;
    // The rule lives in an adopted stylesheet (the CSP refuses inline <style> elements).
    let sheets = js_sys::Reflect::get(&gloo::utils::document(), &"adoptedStyleSheets".into()).unwrap();
    let style: String = js_sys::Array::from(&sheets)
        .iter()
        .map(|s| {
            let rules = js_sys::Reflect::get(&s, &"cssRules".into()).unwrap();
            js_sys::Array::from(&rules)
                .iter()
                .map(|r| js_sys::Reflect::get(&r, &"cssText".into()).unwrap().as_string().unwrap())
                .collect::<String>()
        })
        .collect();
    assert!(style.contains(&format!("[data-attribution~=\"{id}\"]")), "{style}");
}

#[wasm_bindgen_test]
async fn side_panel_groups_and_help_dialog() {
    let root = mount(set()).await;
    let panel = q(&root, ".side-panel").unwrap().text_content().unwrap();
    assert!(panel.contains("Entities (2)") && panel.contains("Ann Lee") && panel.contains("Paris"), "{panel}");
    assert!(q(&root, "[role=dialog]").is_none());
    press("?", "Slash", false).await;
    let dialog = q(&root, "[role=dialog]").expect("? opens the shortcuts");
    assert!(dialog.text_content().unwrap().contains("next / previous suggestion"));
    press("Escape", "Escape", false).await;
    assert!(q(&root, "[role=dialog]").is_none(), "Escape closes it");
}

#[wasm_bindgen_test]
async fn every_button_has_an_accessible_name() {
    let root = mount(set()).await;
    let buttons = root.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: Element = buttons.item(i).unwrap().dyn_into().unwrap();
        let name = b.get_attribute("aria-label").or(b.text_content()).unwrap_or_default();
        assert!(!name.trim().is_empty(), "button {} has no name", b.outer_html());
    }
}

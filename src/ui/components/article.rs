//! The article: its paragraphs (keyed by offset and memoised, so an edit repaints only the
//! paragraphs it touches), with events delegated to the `<article>` element: clicking or
//! tabbing onto a highlight or an attribution focuses it in the session, hovering an
//! attribution's role reports it (its other roles light up), and the session's focus is
//! mirrored to the DOM focus (J / K scroll to the item).
//!
//! A long article (more than [`DRAW_WHOLE_UP_TO`] paragraphs) is drawn only near the
//! viewport (`core::edit::viewport`): blocks of paragraphs far from it are empty boxes of
//! their measured or estimated height, and a key press re-cuts only the drawn paragraphs.
//! What needs the rest of the article still works: J / K draw the paragraph of the item
//! they go to before focusing it, a selection keeps the paragraphs of its two ends drawn,
//! and Ctrl+F opens an in-app search over the whole text (the browser's find only sees
//! what is drawn).

use crate::core::edit::layout;
use crate::core::edit::viewport::{self, Heights, DRAW_WHOLE_UP_TO};
use crate::core::{AnnotationSet, AttributionId, EntityId, Span, Target};
use crate::ui::components::{FindBar, Paragraph};
use crate::ui::state::{use_annotator, Action};
use crate::ui::view;
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, Node};
use yew::prelude::*;

/// Pixels drawn above and below the viewport, so scrolling shows drawn text at once.
const OVERSCAN: f64 = 1500.0;
/// Paragraphs drawn before anything is measured.
const FIRST_DRAW: usize = 40;
/// Paragraphs per block: what is drawn or left out together.
const BLOCK: usize = 16;

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
        // An entity in the middle of a deep overlap has no mark of its own (view::MAX_MARKS).
        Target::Entity(id) => format!("mark[data-id=\"{id}\"][tabindex], mark[data-also~=\"{id}\"]"),
        Target::Attribution(id) => format!("[data-frame=\"{id}\"]"),
    };
    gloo::utils::document().query_selector(&selector).ok().flatten()?.dyn_into().ok()
}

/// Where a target starts in the text (to draw its paragraph before focusing it).
fn target_start(set: &AnnotationSet, target: Target) -> Option<usize> {
    match target {
        Target::Entity(id) => set.entity(id).map(|e| e.span.start),
        Target::Attribution(id) => set.attribution(id).and_then(|a| a.content.fragments().first().map(|f| f.start)),
    }
}

/// The byte offset of the paragraph holding a DOM node (`data-start` of its `<p>`).
fn paragraph_key(node: &Node) -> Option<usize> {
    let el = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    el.closest("p.paragraph").ok()??.get_attribute("data-start")?.parse().ok()
}

/// Index of the paragraph starting at byte `key`.
fn index_of(spans: &[Span], key: usize) -> Option<usize> {
    let i = spans.partition_point(|s| s.start < key);
    (spans.get(i)?.start == key).then_some(i)
}

/// Selects `span` (inside the drawn paragraph `p`) and scrolls it to the middle of the view.
fn select_in(p: &Element, p_start: usize, span: Span, text: &str) -> Option<()> {
    let utf16 = |a: usize, b: usize| text.get(a..b).map(|s| s.encode_utf16().count());
    let (from, to) = (utf16(p_start, span.start)?, utf16(p_start, span.end)?);
    let range = gloo::utils::document().create_range().ok()?;
    let (mut at, mut started) = (0usize, false);
    // The paragraph's text nodes in document order (it holds nothing but the article text).
    let mut stack: Vec<Node> = vec![p.clone().into()];
    while let Some(node) = stack.pop() {
        if let Some(t) = node.dyn_ref::<web_sys::Text>() {
            let len = t.length() as usize;
            if !started && from <= at + len {
                range.set_start(t, (from - at) as u32).ok()?;
                started = true;
            }
            if started && to <= at + len {
                range.set_end(t, (to - at) as u32).ok()?;
                break;
            }
            at += len;
        } else {
            let mut child = node.last_child();
            while let Some(c) = child {
                child = c.previous_sibling();
                stack.push(c);
            }
        }
    }
    let sel = gloo::utils::window().get_selection().ok()??;
    sel.remove_all_ranges().ok()?;
    sel.add_range(&range).ok()?;
    let anchor = range.start_container().ok()?.parent_element()?;
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    anchor.scroll_into_view_with_scroll_into_view_options(&options);
    Some(())
}

/// What the scroll listener and the after-render effect need from the latest render.
struct Viewport {
    text: Arc<str>,
    spans: Rc<Vec<Span>>,
    heights: Rc<RefCell<Heights>>,
    container: NodeRef,
    window: UseStateHandle<Option<(Arc<str>, Range<usize>)>>,
    current: Range<usize>,
    /// A paragraph that must stay drawn (the one J / K or the search is going to).
    keep: Rc<RefCell<Option<usize>>>,
}

impl Viewport {
    /// Works out which paragraphs the viewport needs and redraws if that changed.
    fn update(&self) {
        let Some(el) = self.container.cast::<Element>() else { return };
        let top = el.get_bounding_client_rect().top();
        let height = gloo::utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(1000.0);
        let mut keep: Vec<usize> = self.keep.borrow().iter().copied().collect();
        // A selection's two ends stay drawn, so it survives scrolling.
        if let Some(sel) = gloo::utils::window().get_selection().ok().flatten().filter(|s| !s.is_collapsed()) {
            for node in [sel.anchor_node(), sel.focus_node()].into_iter().flatten() {
                if el.contains(Some(&node)) {
                    keep.extend(paragraph_key(&node).and_then(|k| index_of(&self.spans, k)));
                }
            }
        }
        let w = viewport::window(&self.spans, &self.heights.borrow(), -top - OVERSCAN, -top + height + OVERSCAN, &keep);
        if w.range != self.current {
            self.window.set(Some((self.text.clone(), w.range)));
        }
    }

    /// Records the heights of the drawn paragraphs; true if any differs from what was assumed.
    fn measure(&self) -> bool {
        let Some(el) = self.container.cast::<Element>() else { return false };
        let Ok(list) = el.query_selector_all("p.paragraph") else { return false };
        let mut heights = self.heights.borrow_mut();
        let mut changed = false;
        for i in 0..list.length() {
            let Some(p) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let Some(span) = paragraph_key(&p).and_then(|k| index_of(&self.spans, k)).map(|i| self.spans[i]) else { continue };
            changed |= heights.measure(span.start, span.len(), p.get_bounding_client_rect().height());
        }
        changed
    }
}

#[component]
pub fn Article(props: &ArticleProps) -> Html {
    let state = use_annotator();
    let set = state.set();
    let text = set.document.text.clone();
    let spans = use_memo(text.clone(), |t| layout::paragraph_spans(t));
    let drawn_whole = spans.len() <= DRAW_WHOLE_UP_TO;
    let heights = use_memo(text.clone(), |_| Rc::new(RefCell::new(Heights::default())));
    let heights: Rc<RefCell<Heights>> = (*heights).clone();
    let window = use_state(|| None::<(Arc<str>, Range<usize>)>);
    let range = match &*window {
        _ if drawn_whole => 0..spans.len(),
        Some((t, r)) if Arc::ptr_eq(t, &text) && r.end <= spans.len() => r.clone(),
        _ => 0..spans.len().min(FIRST_DRAW),
    };
    let container = use_node_ref();
    let keep = use_mut_ref(|| None::<usize>);
    let pending_focus = use_mut_ref(|| None::<Target>);
    let pending_select = use_mut_ref(|| None::<Span>);
    let find_open = use_state(|| false);

    // Recomputed only when the annotations or the drawn paragraphs change, not on focus
    // or messages; only the drawn paragraphs are cut.
    let cache = use_mut_ref(view::ViewCache::default);
    // The drawn paragraphs are whole blocks (see the render below).
    let blocks = (range.start / BLOCK)..range.end.div_ceil(BLOCK);
    let drawn = (blocks.start * BLOCK)..(blocks.end * BLOCK).min(spans.len());
    let paragraphs = {
        let (handle, spans) = (state.clone(), spans.clone());
        use_memo((state.revision, drawn.clone(), spans.clone()), move |(_, drawn, _)| {
            view::paragraphs_window(handle.set(), &mut cache.borrow_mut(), &spans[drawn.clone()])
        })
    };

    let latest = use_mut_ref(|| None::<Viewport>);
    *latest.borrow_mut() = Some(Viewport {
        text: text.clone(),
        spans: spans.clone(),
        heights: heights.clone(),
        container: container.clone(),
        window: window.clone(),
        current: range.clone(),
        keep: keep.clone(),
    });

    // Scrolling and resizing choose what is drawn (at most once a frame).
    {
        let latest = latest.clone();
        use_effect_with(drawn_whole, move |&drawn_whole| {
            let listeners = (!drawn_whole).then(|| {
                let scheduled = Rc::new(std::cell::Cell::new(false));
                let on = move |_: &Event| {
                    if scheduled.replace(true) {
                        return;
                    }
                    let (latest, scheduled) = (latest.clone(), scheduled.clone());
                    let frame = wasm_bindgen::closure::Closure::once_into_js(move || {
                        scheduled.set(false);
                        if let Some(v) = latest.borrow().as_ref() {
                            v.update();
                        }
                    });
                    let _ = gloo::utils::window().request_animation_frame(frame.unchecked_ref());
                };
                let on = Rc::new(on);
                let w = gloo::utils::window();
                let (a, b) = (on.clone(), on);
                [EventListener::new(&w, "scroll", move |e| a(e)), EventListener::new(&w, "resize", move |e| b(e))]
            });
            move || drop(listeners)
        });
    }

    // Ctrl+F opens the in-app search when the browser's find cannot see the whole text.
    {
        let find_open = find_open.clone();
        use_effect_with(drawn_whole, move |&drawn_whole| {
            let listener = (!drawn_whole).then(|| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&gloo::utils::window(), "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if (e.ctrl_key() || e.meta_key()) && !e.alt_key() && e.key().eq_ignore_ascii_case("f") {
                        e.prevent_default();
                        find_open.set(true);
                    }
                })
            });
            move || drop(listener)
        });
    }

    // After every render: measure what was drawn, finish a pending focus or search hit.
    {
        let (latest, pending_focus, pending_select, keep) =
            (latest.clone(), pending_focus.clone(), pending_select.clone(), keep.clone());
        let (text, spans) = (text.clone(), spans.clone());
        use_effect(move || {
            if let Some(target) = *pending_focus.borrow() {
                if let Some(el) = focus_element(target) {
                    let _ = el.focus();
                }
            }
            if focus_is_done(&pending_focus) {
                *pending_focus.borrow_mut() = None;
            }
            let hit = pending_select.borrow_mut().take();
            if let Some(span) = hit {
                let i = viewport::paragraph_at(&spans, span.start);
                let p = gloo::utils::document()
                    .query_selector(&format!("article p.paragraph[data-start=\"{}\"]", spans[i].start))
                    .ok()
                    .flatten();
                match p {
                    Some(p) => {
                        select_in(&p, spans[i].start, span, &text);
                    }
                    // Not drawn yet: try again after the next render.
                    None => *pending_select.borrow_mut() = Some(span),
                }
            }
            if pending_focus.borrow().is_none() && pending_select.borrow().is_none() {
                *keep.borrow_mut() = None;
            }
            if let Some(v) = latest.borrow().as_ref() {
                if !drawn_whole && v.measure() {
                    v.update();
                }
            }
        });
    }

    let focus = state.focused();
    {
        let (pending_focus, keep, window, spans) = (pending_focus.clone(), keep.clone(), window.clone(), spans.clone());
        let (set, text, current) = (state.clone(), text.clone(), range.clone());
        use_effect_with(focus, move |focus| {
            let Some(target) = *focus else { return };
            match focus_element(target) {
                Some(el) => {
                    let active = gloo::utils::document().active_element();
                    if active.as_ref() != Some(el.as_ref()) {
                        let _ = el.focus();
                    }
                }
                // Its paragraph is not drawn: draw it, then focus (the effect above).
                None => {
                    let Some(at) = target_start(set.set(), target) else { return };
                    let i = viewport::paragraph_at(&spans, at);
                    *keep.borrow_mut() = Some(i);
                    *pending_focus.borrow_mut() = Some(target);
                    if !current.contains(&i) {
                        window.set(Some((text, i.saturating_sub(FIRST_DRAW / 4)..(i + FIRST_DRAW / 2).min(spans.len()))));
                    }
                }
            }
        });
    }

    let on_find = {
        let (pending_select, keep, window, spans, text, current) =
            (pending_select.clone(), keep.clone(), window.clone(), spans.clone(), text.clone(), range.clone());
        Callback::from(move |span: Span| {
            let i = viewport::paragraph_at(&spans, span.start);
            *keep.borrow_mut() = Some(i);
            *pending_select.borrow_mut() = Some(span);
            let next = if current.contains(&i) {
                current.clone()
            } else {
                i.saturating_sub(FIRST_DRAW / 4)..(i + FIRST_DRAW / 2).min(spans.len())
            };
            // Always a new value, so the after-render effect runs and selects the hit.
            window.set(Some((text.clone(), next)));
        })
    };
    let on_close_find = {
        let find_open = find_open.clone();
        Callback::from(move |_: ()| find_open.set(false))
    };

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

    let class = classes!(
        "article",
        props.hide_boilerplate.then_some("hide-boilerplate"),
        (!drawn_whole).then_some("drawn-near-view")
    );
    // The article is a fixed list of blocks of BLOCK paragraphs, keyed by number: a block
    // far from the view is one empty <div> of the block's height, a block near it holds its
    // paragraphs. Scrolling only switches blocks between the two, so yew never moves a
    // drawn paragraph in the DOM (a move would drop the focus and the selection inside it).
    let block = |b: usize| {
        let (lo, hi) = (b * BLOCK, ((b + 1) * BLOCK).min(spans.len()));
        if blocks.contains(&b) {
            let ps = &paragraphs[lo - drawn.start..hi - drawn.start];
            html! {
                <div key={b} class="block">
                    { for ps.iter().map(|p| html! {
                        <Paragraph key={p.key} start={p.key} boilerplate={p.boilerplate} segments={p.segments.clone()} />
                    }) }
                </div>
            }
        } else {
            let px: f64 = spans[lo..hi].iter().map(|s| heights.borrow().of(*s)).sum();
            html! { <div key={b} class="block" aria-hidden="true" style={format!("height: {px:.0}px")} /> }
        }
    };
    html! {
        <>
        if *find_open {
            <FindBar text={text.clone()} on_go={on_find} on_close={on_close_find} />
        }
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
            <div class="paragraphs" ref={container}>
                { for (0..spans.len().div_ceil(BLOCK)).map(block) }
            </div>
        </article>
        </>
    }
}

/// A pending focus is done once its element has the DOM focus.
fn focus_is_done(pending: &Rc<RefCell<Option<Target>>>) -> bool {
    let Some(target) = *pending.borrow() else { return true };
    let active = gloo::utils::document().active_element();
    focus_element(target).is_some_and(|el| active.as_ref() == Some(el.as_ref()))
}

//! The DOM edge of selections: the browser's selection (nodes + UTF-16 offsets) turned
//! into byte offsets of the document text, and keyboard caret movement inside the article.
//!
//! Each paragraph `<p>` carries its byte offset (`data-start`) and holds nothing but the
//! article's text, so the UTF-16 length of the text from the paragraph's start to a
//! selection point, converted with the document's `OffsetMap`, is the point's offset.

use crate::core::{OffsetMap, Span};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// The document's offset table, shared; equal when it is the same table (props compare
/// cheaply, and the table only changes with the document).
#[derive(Clone, Debug)]
pub struct Offsets(pub Rc<OffsetMap>);

impl PartialEq for Offsets {
    fn eq(&self, other: &Offsets) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The paragraph element holding `node`, and its byte offset.
fn paragraph_of(node: &Node) -> Option<(Element, usize)> {
    let el = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    let p = el.closest("p.paragraph").ok()??;
    let start = p.get_attribute("data-start")?.parse().ok()?;
    Some((p, start))
}

/// Byte offset of a DOM point inside the article.
fn point_to_byte(node: &Node, offset: u32, map: &OffsetMap) -> Option<usize> {
    let (p, start) = paragraph_of(node)?;
    let range = gloo::utils::document().create_range().ok()?;
    range.set_start(&p, 0).ok()?;
    range.set_end(node, offset).ok()?;
    let units = range.to_string().length() as usize;
    let base = map.byte_to_utf16(start)?;
    Some(map.utf16_to_byte_floor(base + units))
}

/// The current selection as a byte span of the document, when it is a non-empty selection
/// inside the article.
pub fn selected_span(map: &OffsetMap) -> Option<Span> {
    let sel = gloo::utils::window().get_selection().ok()??;
    if sel.range_count() == 0 || sel.is_collapsed() {
        return None;
    }
    let range = sel.get_range_at(0).ok()?;
    let start = point_to_byte(&range.start_container().ok()?, range.start_offset().ok()?, map)?;
    // A selection ending at the very start of the next paragraph (triple click) ends here.
    let end = point_to_byte(&range.end_container().ok()?, range.end_offset().ok()?, map).unwrap_or(start);
    (end > start).then(|| Span::new(start, end))
}

/// Drops any text selection (after it became an annotation).
pub fn clear() {
    if let Ok(Some(sel)) = gloo::utils::window().get_selection() {
        let _ = sel.remove_all_ranges();
    }
}

/// Moves or extends the selection like a caret in an editor: `extend` with Shift,
/// `word` with Ctrl. When there is no selection in the article yet it starts at the
/// focused element (a highlight) or the first paragraph.
pub fn move_caret(article: &Element, forward: bool, extend: bool, granularity: &str) {
    let Ok(Some(sel)) = gloo::utils::window().get_selection() else { return };
    let inside = sel.anchor_node().is_some_and(|n| article.contains(Some(&n)));
    if !inside {
        let doc = gloo::utils::document();
        let start: Option<Node> = doc
            .active_element()
            .filter(|a| article.contains(Some(a)) && a != article)
            .map(Node::from)
            .or_else(|| article.query_selector("p.paragraph").ok().flatten().map(Node::from));
        let Some(start) = start else { return };
        let _ = sel.collapse_with_offset(Some(&start), 0);
    }
    let alter = if extend { "extend" } else { "move" };
    let direction = if forward { "forward" } else { "backward" };
    let _ = sel.modify(alter, direction, granularity);
}

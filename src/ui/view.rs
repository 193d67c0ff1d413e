//! View models for the article: each paragraph's segments resolved to what the DOM shows
//! (text, the marks around it, classes). Plain comparable values, so a paragraph whose
//! view model did not change is not re-rendered.

use crate::extract::layout::{self, AttributionRole};
use crate::extract::{AnnotationSet, Entity, EntityId, LabelSchema};
use std::rc::Rc;
use yew::AttrValue;

/// One `<mark>` around a segment.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkData {
    /// `e<n>`: the same for every piece of one entity.
    pub id: AttrValue,
    pub label: AttrValue,
    pub status: AttrValue,
    pub title: AttrValue,
    /// A `--mark-colour: #rrggbb` declaration, only for a valid hex colour.
    pub style: Option<AttrValue>,
}

/// A run of text and everything drawn around it.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentData {
    pub text: AttrValue,
    /// Outermost first.
    pub marks: Vec<MarkData>,
    /// `attr-source`, `attr-cue`, `attr-content`, `boilerplate`.
    pub classes: Vec<&'static str>,
    /// Ids of the attributions this run belongs to (`a1 a2`), empty when none.
    pub attributions: AttrValue,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphData {
    /// Byte offset of the paragraph: a stable key while the text never changes.
    pub key: usize,
    pub segments: Rc<Vec<SegmentData>>,
}

/// Only `#rgb` / `#rrggbb`: a schema from an imported file must not be able to inject
/// other CSS (say, a `url(...)` that would make a request).
fn is_hex_colour(s: &str) -> bool {
    let hex = s.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn mark_view(entity: &Entity, schema: &LabelSchema) -> MarkData {
    let label = entity.label.as_str();
    let status = entity.status.as_str();
    let mut title = format!("{label} · {status} · {}", entity.origin.as_str());
    if let Some(c) = &entity.canonical {
        title = format!("{c} — {title}");
    }
    let style = schema
        .get(&entity.label)
        .map(|d| d.colour.as_str())
        .filter(|c| is_hex_colour(c))
        .map(|c| AttrValue::from(format!("--mark-colour: {c}")));
    MarkData {
        id: entity.id.to_string().into(),
        label: label.to_string().into(),
        status: status.into(),
        title: title.into(),
        style,
    }
}

/// The article as paragraphs of segments.
pub fn paragraphs(set: &AnnotationSet) -> Vec<ParagraphData> {
    let text = set.text();
    let by_id = |id: &EntityId| set.entity(*id);
    layout::paragraphs(set)
        .into_iter()
        .map(|p| ParagraphData {
            key: p.span.start,
            segments: p
                .segments
                .iter()
                .map(|s| {
                    let mut classes: Vec<&'static str> = s
                        .roles
                        .iter()
                        .map(|(_, r)| match r {
                            AttributionRole::Source => "attr-source",
                            AttributionRole::Cue => "attr-cue",
                            AttributionRole::Content => "attr-content",
                        })
                        .collect();
                    classes.sort_unstable();
                    classes.dedup();
                    if s.boilerplate {
                        classes.push("boilerplate");
                    }
                    let mut ids: Vec<String> = s.roles.iter().map(|(a, _)| a.to_string()).collect();
                    ids.dedup();
                    SegmentData {
                        text: s.span.slice(text).unwrap_or("").to_string().into(),
                        marks: s.entities.iter().filter_map(by_id).map(|e| mark_view(e, &set.schema)).collect(),
                        classes,
                        attributions: ids.join(" ").into(),
                    }
                })
                .collect::<Vec<_>>()
                .into(),
        })
        .collect()
}

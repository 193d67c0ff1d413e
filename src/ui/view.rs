//! View models for the article: each paragraph's segments resolved to what the DOM shows
//! (text, the marks around it, classes). Plain comparable values, so a paragraph whose
//! view model did not change is not re-rendered (the `Paragraph` component is memoised on
//! them).

use crate::core::edit::layout::{self, AttributionRole};
use crate::core::edit::review;
use crate::core::edit::session::is_hex_colour;
use crate::core::{AnnotationSet, Attribution, AttributionId, Entity, EntityId, LabelSchema, Span};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use yew::AttrValue;

/// One `<mark>` around a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkData {
    /// `e<n>`: the same for every piece of one entity.
    pub id: AttrValue,
    pub label: AttrValue,
    pub status: AttrValue,
    /// Only the first piece of an entity is in the tab order and announced.
    pub first: bool,
    /// "PERSON: Caroline Leavitt, suggested".
    pub aria: AttrValue,
    /// A `--mark-colour: #rrggbb` declaration, only for a valid hex colour.
    pub style: Option<AttrValue>,
    /// On the innermost mark of a run covered by more than [`MAX_MARKS`] entities: the ids
    /// (`e4 e9`) of the middle ones, which get no element of their own there.
    pub also: Option<AttrValue>,
}

/// At most this many `<mark>`s are nested around one run of text: the outermost ones and
/// the innermost. A file with thousands of highlights over the same words therefore makes
/// a few elements, not one nested element per overlap (the DOM and the layout would
/// otherwise grow as deep as the overlap).
pub const MAX_MARKS: usize = 3;

/// A run of text and everything drawn around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentData {
    pub text: AttrValue,
    /// Outermost first.
    pub marks: Vec<MarkData>,
    /// `attr-source`, `attr-cue`, `attr-content`, `boilerplate`.
    pub classes: Vec<&'static str>,
    /// Ids of the attributions this run belongs to (`a1 a2`), empty when none.
    pub attributions: AttrValue,
    /// Set on the first piece of an attribution's content: the attribution's id and its
    /// accessible name, so the frame can be focused from the keyboard.
    pub frame: Option<(AttrValue, AttrValue)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphData {
    /// Byte offset of the paragraph: a stable key while the text never changes, and where
    /// DOM selections are measured from.
    pub key: usize,
    /// The whole paragraph is boilerplate (it can be collapsed).
    pub boilerplate: bool,
    pub segments: Rc<Vec<SegmentData>>,
}

fn mark_view(set: &AnnotationSet, entity: &Entity, first: bool, schema: &LabelSchema) -> MarkData {
    let style = schema
        .get(&entity.label)
        .map(|d| d.colour.as_str())
        .filter(|c| is_hex_colour(c))
        .map(|c| AttrValue::from(format!("--mark-colour: {c}")));
    MarkData {
        id: entity.id.to_string().into(),
        label: entity.label.as_str().to_string().into(),
        status: entity.status.as_str().into(),
        first,
        aria: if first { review::entity_aria_label(set, entity).into() } else { AttrValue::default() },
        style,
        also: None,
    }
}

/// "Attribution, direct, by She → Caroline Leavitt, suggested: “We are close…”".
pub fn attribution_aria(set: &AnnotationSet, a: &Attribution) -> String {
    let source = review::source_display(set, a).map_or("no source".to_string(), |d| format!("by {d}"));
    let content: String = a.content.fragments().iter().filter_map(|f| f.slice(set.text())).collect::<Vec<_>>().join(" … ");
    let short: String = content.chars().take(80).collect();
    let more = if short.len() < content.len() { "…" } else { "" };
    format!("Attribution, {}, {source}, {}: {short}{more}", a.kind.as_str(), a.status.as_str())
}

/// What a paragraph's view depends on, owned, so the next render can tell whether the
/// paragraph changed: its layout input, the colours of the schema and the accessible
/// names of the attribution frames that start in it.
#[derive(Clone, Debug, PartialEq)]
struct Fingerprint {
    entities: Vec<Entity>,
    roles: Vec<(Span, AttributionId, AttributionRole)>,
    boilerplate: Vec<Span>,
    frames: Vec<String>,
}

/// The previous render's paragraphs, by start offset, with what they were made from.
#[derive(Default)]
pub struct ViewCache {
    /// The text the cached paragraphs show (a new document empties the cache).
    text: Option<Arc<str>>,
    schema: Option<LabelSchema>,
    paragraphs: HashMap<usize, (Fingerprint, ParagraphData)>,
}

/// The article as paragraphs of segments (no cache: every paragraph is cut anew).
pub fn paragraphs(set: &AnnotationSet) -> Vec<ParagraphData> {
    paragraphs_cached(set, &mut ViewCache::default())
}

/// The article as paragraphs, re-cutting only those whose inputs changed since the
/// previous call with the same cache; the others are the very same values (their `Rc`s
/// compare by pointer), so yew skips them without a deep comparison.
pub fn paragraphs_cached(set: &AnnotationSet, cache: &mut ViewCache) -> Vec<ParagraphData> {
    paragraphs_window(set, cache, &layout::paragraph_spans(set.text()))
}

/// [`paragraphs_cached`] for some consecutive paragraphs only (a slice of
/// [`layout::paragraph_spans`]): the ones near the viewport. The cost is that of the
/// window, plus one comparison per annotation elsewhere, whatever the article's length;
/// the cache keeps the window's paragraphs.
pub fn paragraphs_window(set: &AnnotationSet, cache: &mut ViewCache, spans: &[Span]) -> Vec<ParagraphData> {
    let same_text = cache.text.as_ref().is_some_and(|t| Arc::ptr_eq(t, &set.document.text));
    if !same_text || cache.schema.as_ref() != Some(&set.schema) {
        cache.paragraphs.clear();
        cache.text = Some(set.document.text.clone());
        cache.schema = Some(set.schema.clone());
    }
    let inputs = layout::paragraph_inputs_for(set, spans);
    // Looked up per segment: maps of what the window shows keep a long article linear.
    let entities: HashMap<EntityId, &Entity> = inputs.iter().flat_map(|i| i.entities.iter().map(|e| (e.id, *e))).collect();
    let wanted: std::collections::HashSet<AttributionId> = inputs.iter().flat_map(|i| i.roles.iter().map(|r| r.1)).collect();
    let attributions: HashMap<AttributionId, &Attribution> =
        set.attributions.iter().filter(|a| wanted.contains(&a.id)).map(|a| (a.id, a)).collect();
    let mut fresh = HashMap::with_capacity(inputs.len());
    let out = inputs
        .into_iter()
        .map(|input| {
            let frames: Vec<String> = input
                .roles
                .iter()
                .filter(|(span, id, role)| {
                    *role == AttributionRole::Content
                        && attributions.get(id).is_some_and(|a| a.content.fragments()[0] == *span)
                })
                .filter_map(|(_, id, _)| attributions.get(id).map(|a| attribution_aria(set, a)))
                .collect();
            let fp = Fingerprint {
                entities: input.entities.iter().map(|e| (*e).clone()).collect(),
                roles: input.roles.clone(),
                boilerplate: input.boilerplate.clone(),
                frames,
            };
            let key = input.span.start;
            let data = match cache.paragraphs.remove(&key) {
                Some((old, data)) if old == fp => data,
                _ => paragraph_view(set, &layout::segment(&input), &entities, &attributions),
            };
            fresh.insert(key, (fp, data.clone()));
            data
        })
        .collect();
    cache.paragraphs = fresh;
    out
}

/// The marks around one run: every covering entity up to [`MAX_MARKS`], else the outermost
/// ones and the innermost, which lists the others in `also`.
fn marks_of(set: &AnnotationSet, s: &layout::Segment, entities: &HashMap<EntityId, &Entity>) -> Vec<MarkData> {
    let covering: Vec<&Entity> = s.entities.iter().filter_map(|id| entities.get(id).copied()).collect();
    let view = |e: &Entity| mark_view(set, e, e.span.start == s.span.start, &set.schema);
    if covering.len() <= MAX_MARKS {
        return covering.into_iter().map(view).collect();
    }
    let (outer, rest) = covering.split_at(MAX_MARKS - 1);
    let (middle, inner) = rest.split_at(rest.len() - 1);
    let mut marks: Vec<MarkData> = outer.iter().copied().map(view).collect();
    let mut innermost = view(inner[0]);
    innermost.also = Some(middle.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(" ").into());
    marks.push(innermost);
    marks
}

fn paragraph_view(
    set: &AnnotationSet,
    p: &layout::Paragraph,
    entities: &HashMap<EntityId, &Entity>,
    attributions: &HashMap<AttributionId, &Attribution>,
) -> ParagraphData {
    let text = set.text();
    let segments: Vec<SegmentData> = p
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
            let frame = s
                .roles
                .iter()
                .filter(|(_, r)| *r == AttributionRole::Content)
                .filter_map(|(id, _)| attributions.get(id).copied())
                .find(|a| a.content.fragments()[0].start == s.span.start)
                .map(|a| (AttrValue::from(a.id.to_string()), AttrValue::from(attribution_aria(set, a))));
            SegmentData {
                text: s.span.slice(text).unwrap_or("").to_string().into(),
                marks: marks_of(set, s, entities),
                classes,
                attributions: ids.join(" ").into(),
                frame,
            }
        })
        .collect();
    ParagraphData {
        key: p.span.start,
        boilerplate: !p.segments.is_empty() && p.segments.iter().all(|s| s.boilerplate),
        segments: Rc::new(segments),
    }
}

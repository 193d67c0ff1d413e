//! Derived data for reviewing an annotation set: walking pending suggestions in document
//! order (J / K), the side panel's groupings (entities by the entity they name,
//! attributions by who is quoted) and the short texts the editor shows for items
//! ("She → Caroline Leavitt", "PERSON: Caroline Leavitt, suggested").
//!
//! Components never count, filter or sort: they ask this module. Pure and deterministic
//! (ties are broken by position, then id).

use crate::core::model::sort;
use crate::core::model::annotation::{AnnotationSet, Attribution, AttributionId, Entity, EntityId, Kind, Status, Target};
use crate::core::model::label::Label;
use crate::core::model::span::Span;
use std::collections::BTreeMap;
use std::fmt;

/// Where an attribution frame begins: the first character of any of its roles.
pub fn attribution_start(a: &Attribution) -> usize {
    let mut start = a.content.hull().start;
    if let Some(s) = &a.source {
        start = start.min(s.span.start);
    }
    if let Some(c) = a.cue {
        start = start.min(c.start);
    }
    start
}

/// Where a target begins in the text; `None` when it is not in the set.
pub fn target_start(set: &AnnotationSet, target: Target) -> Option<usize> {
    match target {
        Target::Entity(id) => set.entity(id).map(|e| e.span.start),
        Target::Attribution(id) => set.attribution(id).map(attribution_start),
    }
}

/// Sort key putting entities before attributions that start at the same place.
fn order_key(target: Target, start: usize) -> (usize, u8, u32) {
    match target {
        Target::Entity(id) => (start, 0, id.0),
        Target::Attribution(id) => (start, 1, id.0),
    }
}

/// Every pending (suggested) item in document order.
pub fn pending_in_order(set: &AnnotationSet) -> Vec<Target> {
    let mut v: Vec<((usize, u8, u32), Target)> = set
        .entities
        .iter()
        .filter(|e| e.status == Status::Suggested)
        .map(|e| (order_key(Target::Entity(e.id), e.span.start), Target::Entity(e.id)))
        .chain(set.attributions.iter().filter(|a| a.status == Status::Suggested).map(|a| {
            let t = Target::Attribution(a.id);
            (order_key(t, attribution_start(a)), t)
        }))
        .collect();
    sort::sort_by_key(&mut v, |(k, _)| *k);
    v.into_iter().map(|(_, t)| t).collect()
}

/// Direction of review navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// J: the next pending item after the current one.
    Next,
    /// K: the previous one.
    Prev,
}

/// The pending item after (or before) `from`, wrapping around at the ends. `from` may be
/// any item (pending or not) or none (start from the top / bottom).
///
/// ```
/// use newsmark::core::edit::review::{step, Nav};
/// use newsmark::core::{AnnotationSet, Document};
/// let set = AnnotationSet::new(Document::new("d", None, "nothing pending"));
/// assert_eq!(step(&set, None, Nav::Next), None);
/// ```
pub fn step(set: &AnnotationSet, from: Option<Target>, nav: Nav) -> Option<Target> {
    let order = pending_in_order(set);
    let here = from.and_then(|t| target_start(set, t).map(|s| order_key(t, s)));
    let key = |t: &Target| target_start(set, *t).map(|s| order_key(*t, s));
    match (nav, here) {
        (Nav::Next, Some(h)) => order.iter().find(|t| key(t) > Some(h)).or(order.first()).copied(),
        (Nav::Prev, Some(h)) => order.iter().rev().find(|t| key(t) < Some(h)).or(order.last()).copied(),
        (Nav::Next, None) => order.first().copied(),
        (Nav::Prev, None) => order.last().copied(),
    }
}

/// Pending suggestions per label of the schema, in schema order (zero counts included,
/// so the legend lists every label).
pub fn pending_by_label(set: &AnnotationSet) -> Vec<(Label, usize)> {
    set.schema
        .labels
        .iter()
        .map(|d| {
            let n = set.entities.iter().filter(|e| e.status == Status::Suggested && e.label == d.label).count();
            (d.label.clone(), n)
        })
        .collect()
}

/// The name an entity mention stands for: its canonical name, else its own text.
pub fn entity_name(set: &AnnotationSet, e: &Entity) -> String {
    e.canonical.clone().unwrap_or_else(|| e.span.slice(set.text()).unwrap_or("").to_string())
}

/// The text a screen reader announces for a highlight: "PERSON: Caroline Leavitt, suggested".
pub fn entity_aria_label(set: &AnnotationSet, e: &Entity) -> String {
    format!("{}: {}, {}", e.label, e.span.slice(set.text()).unwrap_or(""), e.status.as_str())
}

/// Mentions of one entity, for the side panel.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityGroup {
    /// The canonical name, else the longest mention.
    pub name: String,
    pub label: Label,
    /// In document order; the first one is where "click to scroll" goes.
    pub mentions: Vec<EntityId>,
}

/// How mentions are recognised as one entity: the extractor's group number when it gave
/// one, else the label and the case-folded name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Group(u32),
    Name(Label, String),
}

fn group_key(set: &AnnotationSet, e: &Entity) -> GroupKey {
    match e.group {
        Some(g) => GroupKey::Group(g),
        None => GroupKey::Name(e.label.clone(), entity_name(set, e).to_lowercase()),
    }
}

/// The longest string; the first of equals (so names do not flip as mentions are added
/// later in the text).
fn longest<'a>(names: impl Iterator<Item = &'a str>) -> &'a str {
    names.fold("", |best, n| if n.len() > best.len() { n } else { best })
}

/// Entities grouped by the entity they refer to, most mentioned first (ties: first
/// mention first). Rejected suggestions are left out.
pub fn entity_groups(set: &AnnotationSet) -> Vec<EntityGroup> {
    let mut groups: BTreeMap<GroupKey, Vec<&Entity>> = BTreeMap::new();
    for e in set.entities_in_order() {
        if e.status != Status::Rejected {
            groups.entry(group_key(set, e)).or_default().push(e);
        }
    }
    let mut out: Vec<(usize, EntityGroup)> = groups
        .into_values()
        .map(|members| {
            let name = members.iter().find_map(|e| e.canonical.clone()).unwrap_or_else(|| {
                longest(members.iter().map(|e| e.span.slice(set.text()).unwrap_or(""))).to_string()
            });
            let first = members[0].span.start;
            (first, EntityGroup { name, label: members[0].label.clone(), mentions: members.iter().map(|e| e.id).collect() })
        })
        .collect();
    sort::sort_by(&mut out, |(fa, a), (fb, b)| b.mentions.len().cmp(&a.mentions.len()).then(fa.cmp(fb)));
    out.into_iter().map(|(_, g)| g).collect()
}

/// Who is quoted, and how: one row of the side panel's "sources" chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceGroup {
    /// The entity's name, the source text, or "(no source)".
    pub name: String,
    /// In document order.
    pub attributions: Vec<AttributionId>,
    pub direct: usize,
    pub indirect: usize,
    pub mixed: usize,
}

impl SourceGroup {
    pub fn total(&self) -> usize {
        self.direct + self.indirect + self.mixed
    }
}

/// The name a source stands for, the way the side panel groups it.
fn source_name(set: &AnnotationSet, a: &Attribution) -> (String, Option<GroupKey>) {
    let Some(src) = &a.source else { return ("(no source)".to_string(), None) };
    if let Some(e) = src.entity.and_then(|id| set.entity(id)) {
        let key = group_key(set, e);
        // Use the group's display name so "Leavitt" and "Caroline Leavitt" agree.
        let name = entity_groups_name(set, &key).unwrap_or_else(|| entity_name(set, e));
        return (name, Some(key));
    }
    if let Some(t) = &src.entity_text {
        return (t.clone(), None);
    }
    (src.span.slice(set.text()).unwrap_or("").to_string(), None)
}

fn entity_groups_name(set: &AnnotationSet, key: &GroupKey) -> Option<String> {
    let members: Vec<&Entity> = set.entities.iter().filter(|e| &group_key(set, e) == key).collect();
    members.iter().find_map(|e| e.canonical.clone()).or_else(|| {
        (!members.is_empty())
            .then(|| longest(members.iter().map(|e| e.span.slice(set.text()).unwrap_or(""))).to_string())
    })
}

/// Attributions grouped by source, most quoted first (ties: first quote first). Rejected
/// suggestions are left out.
pub fn source_groups(set: &AnnotationSet) -> Vec<SourceGroup> {
    let mut order: Vec<&Attribution> = set.attributions.iter().filter(|a| a.status != Status::Rejected).collect();
    sort::sort_by_key(&mut order, |a| (attribution_start(a), a.id));
    // Key: the entity group when linked, else the case-folded name.
    let mut groups: Vec<(String, SourceGroup)> = Vec::new();
    for a in order {
        let (name, key) = source_name(set, a);
        let key = match key {
            Some(k) => format!("{k:?}"),
            None => format!("name:{}", name.to_lowercase()),
        };
        let i = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((key, SourceGroup { name, attributions: Vec::new(), direct: 0, indirect: 0, mixed: 0 }));
                groups.len() - 1
            }
        };
        let g = &mut groups[i].1;
        g.attributions.push(a.id);
        match a.kind {
            Kind::Direct => g.direct += 1,
            Kind::Indirect => g.indirect += 1,
            Kind::Mixed => g.mixed += 1,
        }
    }
    let mut out: Vec<SourceGroup> = groups.into_iter().map(|(_, g)| g).collect();
    // Stable sort keeps first-quoted order among equal totals.
    sort::sort_by(&mut out, |a, b| b.total().cmp(&a.total()));
    out
}

/// A source as the editor shows it: the text in the article and, when it differs, who it
/// resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDisplay {
    pub text: String,
    pub resolves_to: Option<String>,
}

impl fmt::Display for SourceDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.resolves_to {
            Some(r) => write!(f, "{} → {}", self.text, r),
            None => f.write_str(&self.text),
        }
    }
}

/// "She → Caroline Leavitt" for a pronoun source; just the text when it names the
/// entity itself; `None` without a source.
pub fn source_display(set: &AnnotationSet, a: &Attribution) -> Option<SourceDisplay> {
    let src = a.source.as_ref()?;
    let text = src.span.slice(set.text()).unwrap_or("").to_string();
    let resolved = match src.entity.and_then(|id| set.entity(id)) {
        Some(e) => Some(entity_name(set, e)),
        None => src.entity_text.clone(),
    };
    // "White House spokeswoman Caroline Leavitt" already names her: no arrow.
    let resolves_to = resolved.filter(|r| !text.to_lowercase().contains(&r.to_lowercase()));
    Some(SourceDisplay { text, resolves_to })
}

/// The entity mentions overlapping a span, innermost first; used to offer "link the
/// source to…" choices and to turn a clicked selection into an entity pick.
pub fn entities_at(set: &AnnotationSet, span: Span) -> Vec<EntityId> {
    let mut v: Vec<&Entity> =
        set.entities.iter().filter(|e| e.status != Status::Rejected && e.span.overlaps(&span)).collect();
    sort::sort_by_key(&mut v, |e| (e.span.len(), e.span.start, e.id));
    v.into_iter().map(|e| e.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Document, Origin, Source};
    use crate::core::model::span::Extent;

    const TEXT: &str = "Caroline Leavitt said “no”. Leavitt added that it was over, she said. Putin spoke.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).unwrap();
        Span::new(s, s + needle.len())
    }

    fn ent(set: &mut AnnotationSet, label: Label, needle: &str, status: Status, canonical: Option<&str>) -> EntityId {
        let id = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id,
            label,
            span: at(needle),
            origin: Origin::Auto,
            status,
            confidence: 0.8,
            canonical: canonical.map(str::to_string),
            group: None,
        });
        id
    }

    fn attr(set: &mut AnnotationSet, kind: Kind, src: &str, entity: Option<EntityId>, content: &str, status: Status) -> AttributionId {
        let id = AttributionId(set.fresh_id());
        set.attributions.push(Attribution {
            id,
            kind,
            source: Some(Source { span: at(src), entity, entity_text: None }),
            cue: None,
            content: Extent::single(at(content)),
            origin: Origin::Auto,
            status,
            confidence: 0.8,
        });
        id
    }

    /// Caroline Leavitt (2 mentions + pronoun source), Putin; two attributions.
    fn sample() -> (AnnotationSet, Vec<EntityId>, Vec<AttributionId>) {
        let mut s = AnnotationSet::new(Document::new("d", None, TEXT));
        let cl = ent(&mut s, Label::Person, "Caroline Leavitt", Status::Suggested, Some("Caroline Leavitt"));
        let l = ent(&mut s, Label::Person, "Leavitt added", Status::Accepted, Some("Caroline Leavitt"));
        // Fix the span of the second mention to just "Leavitt".
        s.entities[1].span = Span::new(at("Leavitt added").start, at("Leavitt added").start + 7);
        let p = ent(&mut s, Label::Person, "Putin", Status::Suggested, None);
        let r = ent(&mut s, Label::Org, "spoke", Status::Rejected, None);
        let a1 = attr(&mut s, Kind::Direct, "Caroline Leavitt", Some(cl), "“no”", Status::Suggested);
        let a2 = attr(&mut s, Kind::Indirect, "she", Some(l), "it was over", Status::Accepted);
        (s, vec![cl, l, p, r], vec![a1, a2])
    }

    #[test]
    fn pending_order_and_stepping() {
        let (s, e, a) = sample();
        let (cl, l, p) = (Target::Entity(e[0]), Target::Entity(e[1]), Target::Entity(e[2]));
        let a1 = Target::Attribution(a[0]);
        // The attribution starts where its source does: after the entity at the same place.
        assert_eq!(pending_in_order(&s), [cl, a1, p]);
        // (from, nav, expected)
        let cases = [
            (None, Nav::Next, Some(cl)),
            (None, Nav::Prev, Some(p)),
            (Some(cl), Nav::Next, Some(a1)),
            (Some(a1), Nav::Next, Some(p)),
            (Some(p), Nav::Next, Some(cl)), // wraps
            (Some(cl), Nav::Prev, Some(p)), // wraps
            (Some(l), Nav::Next, Some(p)),  // from an accepted item
            (Some(l), Nav::Prev, Some(a1)),
            (Some(Target::Entity(EntityId(999))), Nav::Next, Some(cl)), // unknown: from the top
        ];
        for (from, nav, want) in cases {
            assert_eq!(step(&s, from, nav), want, "{from:?} {nav:?}");
        }
    }

    #[test]
    fn pending_per_label() {
        let (s, _, _) = sample();
        let got = pending_by_label(&s);
        assert_eq!(got.len(), 7);
        assert_eq!(got[0], (Label::Person, 2));
        assert_eq!(got[1], (Label::Org, 0), "the ORG is rejected, not pending");
    }

    #[test]
    fn entity_groups_merge_mentions() {
        let (s, e, _) = sample();
        let g = entity_groups(&s);
        let got: Vec<(&str, usize)> = g.iter().map(|g| (g.name.as_str(), g.mentions.len())).collect();
        assert_eq!(got, [("Caroline Leavitt", 2), ("Putin", 1)], "rejected ORG left out");
        assert_eq!(g[0].mentions, [e[0], e[1]]);
    }

    #[test]
    fn entity_groups_by_group_number_and_name() {
        let mut s = AnnotationSet::new(Document::new("d", None, "Ann met ann. Bob met Ann."));
        for (a, b, group) in [(0, 3, None), (8, 11, None), (13, 16, Some(4)), (21, 24, Some(4))] {
            let id = EntityId(s.fresh_id());
            s.entities.push(Entity {
                id,
                label: Label::Person,
                span: Span::new(a, b),
                origin: Origin::Auto,
                status: Status::Suggested,
                confidence: 0.5,
                canonical: None,
                group,
            });
        }
        let got: Vec<(String, usize)> = entity_groups(&s).into_iter().map(|g| (g.name, g.mentions.len())).collect();
        // Ann/ann merge by case-folded name; Bob and the last Ann share group 4.
        assert_eq!(got, [("Ann".to_string(), 2), ("Bob".to_string(), 2)]);
    }

    #[test]
    fn source_groups_count_kinds() {
        let (mut s, e, _) = sample();
        // A third attribution by Putin, one with no source, one rejected.
        attr(&mut s, Kind::Mixed, "Putin", Some(e[2]), "spoke", Status::Suggested);
        let id = AttributionId(s.fresh_id());
        s.attributions.push(Attribution {
            id,
            kind: Kind::Indirect,
            source: None,
            cue: None,
            content: Extent::single(at("it was")),
            origin: Origin::Human,
            status: Status::Accepted,
            confidence: 1.0,
        });
        attr(&mut s, Kind::Direct, "Putin", None, "spoke", Status::Rejected);
        let groups = source_groups(&s);
        let got: Vec<(&str, usize, usize, usize)> =
            groups.iter().map(|g| (g.name.as_str(), g.direct, g.indirect, g.mixed)).collect();
        // "she" is linked to Leavitt → grouped with "Caroline Leavitt".
        assert_eq!(got, [("Caroline Leavitt", 1, 1, 0), ("(no source)", 0, 1, 0), ("Putin", 0, 0, 1)]);
    }

    #[test]
    fn source_display_table() {
        let (mut s, _, a) = sample();
        let show = |s: &AnnotationSet, id| source_display(s, s.attribution(id).unwrap()).map(|d| d.to_string());
        assert_eq!(show(&s, a[0]).as_deref(), Some("Caroline Leavitt"), "names itself");
        assert_eq!(show(&s, a[1]).as_deref(), Some("she → Caroline Leavitt"));
        s.attributions[1].source.as_mut().unwrap().entity = None;
        assert_eq!(show(&s, a[1]).as_deref(), Some("she"), "unresolved pronoun");
        s.attributions[1].source.as_mut().unwrap().entity_text = Some("Leavitt".into());
        assert_eq!(show(&s, a[1]).as_deref(), Some("she → Leavitt"));
        s.attributions[1].source = None;
        assert_eq!(show(&s, a[1]), None);
    }

    #[test]
    fn aria_labels_and_lookup() {
        let (s, e, _) = sample();
        assert_eq!(entity_aria_label(&s, s.entity(e[0]).unwrap()), "PERSON: Caroline Leavitt, suggested");
        assert_eq!(entity_aria_label(&s, s.entity(e[1]).unwrap()), "PERSON: Leavitt, accepted");
        assert_eq!(entities_at(&s, at("Leavitt said")), [e[0]]);
        assert_eq!(entities_at(&s, at("spoke")), Vec::<EntityId>::new(), "rejected is not offered");
    }
}

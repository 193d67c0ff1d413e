//! Adjudication: settling the disagreements of two or more annotators of one document and
//! producing a curated version of it.
//!
//! [`Adjudication::new`] pairs the annotators' items with the matching [`super::agree`] uses
//! (score.py's: entities by span and label, then by overlap; attributions by content token
//! F1 ≥ 0.5), takes what everyone agrees on, and lists the rest as [`Disagreement`]s in
//! text order, each classified ([`Class`]: only in some annotators, other label, other
//! boundary, other source, other cue, other kind). A [`Decision`] per disagreement (take one
//! annotator's version, take every version, take none, or the adjudicator's own item) and
//! [`Adjudication::curate`] give the curated [`AnnotationSet`]: every item `origin:
//! curated`, settled ones `accepted`, the versions of undecided disagreements `suggested`
//! (so the editor's review finishes them), and [`Curation`] naming the annotators.
//! Boilerplate is not disputed: the curated set has every region any annotator marked.
//!
//! As in agreement, rejected items do not count and an item annotated twice counts once.

use crate::core::model::sort;
use super::agree::{tok_f1, touches};
use crate::core::model::annotation::{
    AnnotationSet, Attribution, Curation, Entity, EntityId, Kind, Origin, Source, Status,
};
use crate::core::model::label::{Label, LabelSchema};
use crate::core::model::span::{Extent, Span};
use std::collections::HashMap;
use std::fmt;

/// An entity as an annotator gave it, without ids or review state.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityVersion {
    pub label: Label,
    pub span: Span,
    /// Carried into the curated set; not part of what annotators must agree on.
    pub canonical: Option<String>,
}

/// Who an attribution's source is: its span, the entity it links (by span and label, as
/// ids differ between annotators) and the name it resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceVersion {
    pub span: Span,
    pub entity: Option<(Span, Label)>,
    /// The linked entity's canonical name or text, else the source's `entity_text`.
    pub name: Option<String>,
}

/// An attribution as an annotator gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributionVersion {
    pub kind: Kind,
    pub source: Option<SourceVersion>,
    pub cue: Option<Span>,
    pub content: Extent,
}

/// One annotator's version of a disputed item, or the adjudicator's own.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Entity(EntityVersion),
    Attribution(AttributionVersion),
}

/// What differs between the versions of a disagreement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Only these annotators (indices) have the item; the others have nothing there.
    OnlyIn(Vec<usize>),
    /// Same span, other label.
    OtherLabel,
    /// Overlapping spans (an entity's span, an attribution's content).
    OtherBoundary,
    /// The content matches but the source differs (span or who it resolves to).
    OtherSource,
    OtherCue,
    OtherKind,
}

impl Class {
    /// A short description ("only in A", "other label"), with annotator names.
    pub fn describe(&self, names: &[String]) -> String {
        match self {
            Class::OnlyIn(who) => {
                let who: Vec<&str> = who.iter().filter_map(|i| names.get(*i)).map(String::as_str).collect();
                format!("only in {}", who.join(" and "))
            }
            Class::OtherLabel => "other label".into(),
            Class::OtherBoundary => "other boundary".into(),
            Class::OtherSource => "other source".into(),
            Class::OtherCue => "other cue".into(),
            Class::OtherKind => "other kind".into(),
        }
    }
}

/// Items the annotators do not agree on: one slot per annotator (`None`: that annotator
/// has nothing there).
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    pub versions: Vec<Option<Item>>,
    /// Never empty; the first is the headline (`OnlyIn` first, then label, boundary, …).
    pub classes: Vec<Class>,
}

/// How one disagreement is settled.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Annotator `n`'s version (nothing, if they have none).
    Take(usize),
    /// Every distinct version ("take both").
    TakeAll,
    /// None of them.
    Neither,
    /// The adjudicator's own item instead.
    Edit(Item),
}

/// Why an adjudication cannot start or a decision cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdjudicateError {
    /// Fewer than two annotators.
    TooFew,
    /// This annotator's text differs from the first one's, so offsets mean other things.
    TextDiffers { annotator: String },
    /// Two annotators share a name, so "take X" would be ambiguous.
    DuplicateName { annotator: String },
    /// The number of decisions is not the number of disagreements.
    WrongCount { decisions: usize, disagreements: usize },
    /// `Take(n)` names no annotator.
    NoSuchAnnotator { disagreement: usize, annotator: usize },
    /// An edited item does not fit the document or the disagreement.
    BadEdit { disagreement: usize, reason: String },
}

impl fmt::Display for AdjudicateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdjudicateError::TooFew => write!(f, "adjudication needs at least two annotators' versions of the document"),
            AdjudicateError::TextDiffers { annotator } => write!(
                f,
                "{annotator} annotated a different text: adjudicate exports of the same article"
            ),
            AdjudicateError::DuplicateName { annotator } => {
                write!(f, "two annotators are both called {annotator:?}: give each a distinct name")
            }
            AdjudicateError::WrongCount { decisions, disagreements } => {
                write!(f, "{decisions} decisions for {disagreements} disagreements: give one per disagreement")
            }
            AdjudicateError::NoSuchAnnotator { disagreement, annotator } => {
                write!(f, "disagreement {}: there is no annotator number {}", disagreement + 1, annotator + 1)
            }
            AdjudicateError::BadEdit { disagreement, reason } => {
                write!(f, "disagreement {}: {reason}", disagreement + 1)
            }
        }
    }
}

impl std::error::Error for AdjudicateError {}

/// The annotators' versions of one document, paired and classified.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjudication {
    pub annotators: Vec<String>,
    /// The first annotator's document and the union of everyone's schema and boilerplate,
    /// with no entities or attributions: what [`Adjudication::curate`] starts from.
    base: AnnotationSet,
    /// What every annotator has, taken as it is.
    pub agreed: Vec<Item>,
    /// In text order.
    pub disagreements: Vec<Disagreement>,
}

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

impl EntityVersion {
    fn of(e: &Entity) -> EntityVersion {
        EntityVersion { label: e.label.clone(), span: e.span, canonical: e.canonical.clone() }
    }

    fn same(&self, o: &EntityVersion) -> bool {
        self.span == o.span && self.label == o.label
    }
}

impl SourceVersion {
    fn same(&self, o: &SourceVersion) -> bool {
        self.span == o.span && self.name.as_deref().map(lower) == o.name.as_deref().map(lower)
    }
}

impl AttributionVersion {
    fn of(set: &AnnotationSet, a: &Attribution) -> AttributionVersion {
        let source = a.source.as_ref().map(|s| {
            let linked = s.entity.and_then(|id| set.entity(id));
            let name = linked
                .map(|e| e.canonical.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| e.span.slice(set.text()).unwrap_or("").to_string()))
                .or_else(|| s.entity_text.clone())
                .filter(|n| !n.is_empty());
            SourceVersion { span: s.span, entity: linked.map(|e| (e.span, e.label.clone())), name }
        });
        AttributionVersion { kind: a.kind, source, cue: a.cue, content: a.content.clone() }
    }

    fn same(&self, o: &AttributionVersion) -> bool {
        self.kind == o.kind
            && self.cue == o.cue
            && self.content == o.content
            && match (&self.source, &o.source) {
                (None, None) => true,
                (Some(x), Some(y)) => x.same(y),
                _ => false,
            }
    }
}

impl Item {
    /// Whether two versions say the same thing (ids, review state and canonical names aside).
    pub fn same(&self, o: &Item) -> bool {
        match (self, o) {
            (Item::Entity(x), Item::Entity(y)) => x.same(y),
            (Item::Attribution(x), Item::Attribution(y)) => x.same(y),
            _ => false,
        }
    }

    /// Where the item lies: an entity's span, an attribution's hull of source, cue and content.
    pub fn span(&self) -> Span {
        match self {
            Item::Entity(e) => e.span,
            Item::Attribution(a) => {
                let mut h = a.content.hull();
                for s in a.source.iter().map(|s| s.span).chain(a.cue) {
                    h = Span::new(h.start.min(s.start), h.end.max(s.end));
                }
                h
            }
        }
    }
}

impl Disagreement {
    /// The versions present, each once, in annotator order.
    pub fn distinct(&self) -> Vec<&Item> {
        let mut out: Vec<&Item> = Vec::new();
        for v in self.versions.iter().flatten() {
            if !out.iter().any(|o| o.same(v)) {
                out.push(v);
            }
        }
        out
    }

    /// The text the versions cover, for highlighting and ordering.
    pub fn span(&self) -> Span {
        let mut spans = self.versions.iter().flatten().map(Item::span);
        let first = spans.next().unwrap_or(Span { start: 0, end: 0 });
        spans.fold(first, |h, s| Span::new(h.start.min(s.start), h.end.max(s.end)))
    }

    /// Where the disagreement sits in reading order: the earliest entity span or content
    /// start of its versions (a source before the content does not move it).
    pub fn anchor(&self) -> Span {
        let mut spans = self.versions.iter().flatten().map(|v| match v {
            Item::Entity(e) => e.span,
            Item::Attribution(a) => a.content.hull(),
        });
        let first = spans.next().unwrap_or(Span { start: 0, end: 0 });
        spans.fold(first, |h, s| Span::new(h.start.min(s.start), h.end.max(s.end)))
    }

    pub fn is_entity(&self) -> bool {
        matches!(self.versions.iter().flatten().next(), Some(Item::Entity(_)))
    }

    /// What `decision` keeps of this disagreement.
    fn kept(&self, decision: &Decision) -> Vec<Item> {
        match decision {
            Decision::Take(n) => self.versions.get(*n).cloned().flatten().into_iter().collect(),
            Decision::TakeAll => self.distinct().into_iter().cloned().collect(),
            Decision::Neither => Vec::new(),
            Decision::Edit(item) => vec![item.clone()],
        }
    }
}

/// Pairs the items of several annotators: each cluster has one slot per annotator.
/// Annotators are added in order; each item joins the cluster whose first version it
/// matches best (`score`, higher is better, `None`: no match), greedily by score, then
/// cluster order, then item order, so the pairing is deterministic.
fn cluster<T: Clone>(per: &[Vec<T>], score: impl Fn(&T, &T) -> Option<u64>) -> Vec<Vec<Option<T>>> {
    let n = per.len();
    let mut clusters: Vec<Vec<Option<T>>> = Vec::new();
    for (k, items) in per.iter().enumerate() {
        let mut candidates = Vec::new();
        for (c, cl) in clusters.iter().enumerate() {
            let Some(rep) = cl.iter().flatten().next() else { continue };
            for (i, it) in items.iter().enumerate() {
                if let Some(s) = score(rep, it) {
                    candidates.push((std::cmp::Reverse(s), c, i));
                }
            }
        }
        sort::sort(&mut candidates);
        let mut used = vec![false; items.len()];
        for (_, c, i) in candidates {
            if !used[i] && clusters[c][k].is_none() {
                used[i] = true;
                clusters[c][k] = Some(items[i].clone());
            }
        }
        for (i, it) in items.iter().enumerate() {
            if !used[i] {
                let mut slots = vec![None; n];
                slots[k] = Some(it.clone());
                clusters.push(slots);
            }
        }
    }
    clusters
}

fn entity_score(x: &EntityVersion, y: &EntityVersion) -> Option<u64> {
    let overlap = (x.span.end.min(y.span.end)).saturating_sub(x.span.start.max(y.span.start)) as u64;
    let tier = if x.same(y) {
        4
    } else if x.span == y.span {
        3
    } else if touches(&x.span, &y.span) && x.label == y.label {
        2
    } else if touches(&x.span, &y.span) {
        1
    } else {
        return None;
    };
    Some(tier << 40 | overlap.min((1 << 40) - 1))
}

fn attribution_score(text: &str, x: &AttributionVersion, y: &AttributionVersion) -> Option<u64> {
    if x.same(y) {
        return Some(3 << 40);
    }
    if x.content == y.content {
        return Some(2 << 40);
    }
    // score.py's "found": content token F1 of at least 0.5.
    let f = tok_f1(text, x.content.fragments(), y.content.fragments());
    (f >= 0.5).then_some(1 << 40 | (f * 1e6) as u64)
}

fn classify(versions: &[Option<Item>]) -> Vec<Class> {
    let mut classes = Vec::new();
    let present: Vec<usize> = (0..versions.len()).filter(|i| versions[*i].is_some()).collect();
    if present.len() < versions.len() {
        classes.push(Class::OnlyIn(present));
    }
    let items: Vec<&Item> = versions.iter().flatten().collect();
    let mut differ = |c: Class, d: bool| {
        if d && !classes.contains(&c) {
            classes.push(c);
        }
    };
    for pair in items.windows(2) {
        match (pair[0], pair[1]) {
            (Item::Entity(x), Item::Entity(y)) => {
                differ(Class::OtherLabel, x.label != y.label);
                differ(Class::OtherBoundary, x.span != y.span);
            }
            (Item::Attribution(x), Item::Attribution(y)) => {
                differ(Class::OtherBoundary, x.content != y.content);
                let source_differs = match (&x.source, &y.source) {
                    (None, None) => false,
                    (Some(a), Some(b)) => !a.same(b),
                    _ => true,
                };
                differ(Class::OtherSource, source_differs);
                differ(Class::OtherCue, x.cue != y.cue);
                differ(Class::OtherKind, x.kind != y.kind);
            }
            _ => {}
        }
    }
    sort::sort(&mut classes);
    classes
}

/// Live items of one set, once each: entities, then attributions.
fn versions_of(set: &AnnotationSet) -> (Vec<EntityVersion>, Vec<AttributionVersion>) {
    let mut ents: Vec<EntityVersion> = Vec::new();
    for e in set.entities.iter().filter(|e| e.status != Status::Rejected) {
        let v = EntityVersion::of(e);
        if !ents.iter().any(|x| x.same(&v)) {
            ents.push(v);
        }
    }
    let mut atts: Vec<AttributionVersion> = Vec::new();
    for a in set.attributions.iter().filter(|a| a.status != Status::Rejected) {
        let v = AttributionVersion::of(set, a);
        if !atts.iter().any(|x| x.same(&v)) {
            atts.push(v);
        }
    }
    (ents, atts)
}

/// Every annotator's labels: the first one's schema, then labels only others use (their
/// key dropped if it is taken).
fn merged_schema(sets: &[&AnnotationSet]) -> LabelSchema {
    let mut schema = sets[0].schema.clone();
    for s in &sets[1..] {
        for d in &s.schema.labels {
            if !schema.contains(&d.label) {
                let mut d = d.clone();
                if d.key.is_some_and(|k| schema.by_key(k).is_some()) {
                    d.key = None;
                }
                schema.labels.push(d);
            }
        }
    }
    schema
}

impl Adjudication {
    /// Pairs and classifies the versions of `annotators` (name, set), which must share the
    /// document text. The first annotator's document (id, title) is the curated one's.
    pub fn new(annotators: &[(String, AnnotationSet)]) -> Result<Adjudication, AdjudicateError> {
        if annotators.len() < 2 {
            return Err(AdjudicateError::TooFew);
        }
        let first = &annotators[0].1;
        for (i, (name, set)) in annotators.iter().enumerate() {
            if set.document.text != first.document.text {
                return Err(AdjudicateError::TextDiffers { annotator: name.clone() });
            }
            if annotators[..i].iter().any(|(n, _)| n == name) {
                return Err(AdjudicateError::DuplicateName { annotator: name.clone() });
            }
        }
        let sets: Vec<&AnnotationSet> = annotators.iter().map(|(_, s)| s).collect();
        let mut base = AnnotationSet::new(first.document.clone());
        base.schema = merged_schema(&sets);
        for s in &sets {
            for b in &s.boilerplate {
                if !base.boilerplate.iter().any(|x| x.span == b.span) {
                    let id = crate::core::model::annotation::RegionId(base.fresh_id());
                    base.boilerplate.push(crate::core::model::annotation::Boilerplate {
                        id,
                        span: b.span,
                        origin: Origin::Curated,
                    });
                }
            }
        }
        let text = first.text();
        let (ents, atts): (Vec<_>, Vec<_>) = sets.iter().map(|s| versions_of(s)).unzip();
        let mut clusters: Vec<Vec<Option<Item>>> = cluster(&ents, entity_score)
            .into_iter()
            .map(|c| c.into_iter().map(|v| v.map(Item::Entity)).collect())
            .collect();
        clusters.extend(
            cluster(&atts, |x, y| attribution_score(text, x, y))
                .into_iter()
                .map(|c| c.into_iter().map(|v| v.map(Item::Attribution)).collect::<Vec<_>>()),
        );
        let (mut agreed, mut disagreements) = (Vec::new(), Vec::new());
        for versions in clusters {
            let classes = classify(&versions);
            if classes.is_empty() {
                agreed.extend(versions.into_iter().flatten().next());
            } else {
                disagreements.push(Disagreement { versions, classes });
            }
        }
        // Text order; entities before attributions at one place.
        sort::sort_by_key(&mut disagreements, |d| {
            let s = d.anchor();
            (s.start, !d.is_entity(), std::cmp::Reverse(s.end))
        });
        Ok(Adjudication { annotators: annotators.iter().map(|(n, _)| n.clone()).collect(), base, agreed, disagreements })
    }

    /// The document being adjudicated (the first annotator's).
    pub fn document(&self) -> &crate::core::model::annotation::Document {
        &self.base.document
    }

    /// The labels an edited entity may use.
    pub fn schema(&self) -> &LabelSchema {
        &self.base.schema
    }

    /// Whether `item` may settle disagreement `index`: the same kind of item, on the text,
    /// with a label of the schema.
    pub fn check_edit(&self, index: usize, item: &Item) -> Result<(), AdjudicateError> {
        let bad = |reason: String| AdjudicateError::BadEdit { disagreement: index, reason };
        let Some(d) = self.disagreements.get(index) else {
            return Err(bad("there is no such disagreement".into()));
        };
        let text = self.base.text();
        let span_ok = |what: &str, s: Span| {
            if s.is_valid_in(text) {
                Ok(())
            } else {
                Err(bad(format!("the {what} {}..{} is empty or outside the text", s.start, s.end)))
            }
        };
        match item {
            Item::Entity(e) => {
                if !d.is_entity() {
                    return Err(bad("an attribution's disagreement is settled with an attribution".into()));
                }
                span_ok("span", e.span)?;
                if !self.base.schema.contains(&e.label) {
                    return Err(bad(format!("label {} is not in the schema", e.label)));
                }
            }
            Item::Attribution(a) => {
                if d.is_entity() {
                    return Err(bad("an entity's disagreement is settled with an entity".into()));
                }
                for f in a.content.fragments() {
                    span_ok("content", *f)?;
                }
                if let Some(s) = &a.source {
                    span_ok("source", s.span)?;
                }
                if let Some(c) = a.cue {
                    span_ok("cue", c)?;
                }
            }
        }
        Ok(())
    }

    /// The curated set for `decisions` (one per disagreement, `None`: undecided).
    pub fn curate(&self, decisions: &[Option<Decision>]) -> Result<AnnotationSet, AdjudicateError> {
        if decisions.len() != self.disagreements.len() {
            return Err(AdjudicateError::WrongCount { decisions: decisions.len(), disagreements: self.disagreements.len() });
        }
        // (item, settled): agreed and decided items are settled, undecided versions are not.
        let mut items: Vec<(Item, bool)> = self.agreed.iter().map(|i| (i.clone(), true)).collect();
        for (index, (d, decision)) in self.disagreements.iter().zip(decisions).enumerate() {
            match decision {
                Some(decision) => {
                    if let Decision::Take(n) = decision {
                        if *n >= self.annotators.len() {
                            return Err(AdjudicateError::NoSuchAnnotator { disagreement: index, annotator: *n });
                        }
                    }
                    if let Decision::Edit(item) = decision {
                        self.check_edit(index, item)?;
                    }
                    items.extend(d.kept(decision).into_iter().map(|i| (i, true)));
                }
                None => items.extend(d.distinct().into_iter().map(|i| (i.clone(), false))),
            }
        }
        // The same item reached twice (an edit equal to an agreed one) is kept once, settled
        // if either is.
        let mut unique: Vec<(Item, bool)> = Vec::new();
        for (item, settled) in items {
            match unique.iter_mut().find(|(u, _)| u.same(&item)) {
                Some(u) => u.1 |= settled,
                None => unique.push((item, settled)),
            }
        }
        // Entities in text order (as exports write them), so ids follow the text and an
        // exported curated set reads back identical.
        sort::sort_by_key(&mut unique, |(item, _)| match item {
            Item::Entity(e) => (0, e.span.start, std::cmp::Reverse(e.span.end), e.label.as_str().to_string()),
            Item::Attribution(_) => (1, 0, std::cmp::Reverse(0), String::new()),
        });
        let status = |settled: bool| if settled { Status::Accepted } else { Status::Suggested };
        let mut set = self.base.clone();
        let mut by_key: HashMap<(Span, Label), EntityId> = HashMap::new();
        for (item, settled) in &unique {
            if let Item::Entity(e) = item {
                let id = EntityId(set.fresh_id());
                by_key.insert((e.span, e.label.clone()), id);
                set.entities.push(Entity {
                    id,
                    label: e.label.clone(),
                    span: e.span,
                    origin: Origin::Curated,
                    status: status(*settled),
                    confidence: 1.0,
                    canonical: e.canonical.clone(),
                    group: None,
                });
            }
        }
        for (item, settled) in &unique {
            if let Item::Attribution(a) = item {
                let id = crate::core::model::annotation::AttributionId(set.fresh_id());
                let source = a.source.as_ref().map(|s| {
                    // Relink to the curated entity the annotator linked, when it was kept;
                    // else keep who the source is by name, so nothing is lost.
                    let entity = s.entity.as_ref().and_then(|k| by_key.get(k)).copied();
                    Source { span: s.span, entity, entity_text: if entity.is_some() { None } else { s.name.clone() } }
                });
                set.attributions.push(Attribution {
                    id,
                    kind: a.kind,
                    source,
                    cue: a.cue,
                    content: a.content.clone(),
                    origin: Origin::Curated,
                    status: status(*settled),
                    confidence: 1.0,
                });
            }
        }
        set.curation = Some(Curation {
            annotators: self.annotators.clone(),
            undecided: decisions.iter().filter(|d| d.is_none()).count(),
        });
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Document, Edit};
    use proptest::prelude::*;

    const TEXT: &str = "Caroline Leavitt told reporters in Washington on Monday that “the talks went well”, officials said.";

    fn sp(text: &str, needle: &str) -> Span {
        let s = text.find(needle).expect("needle in text");
        Span::new(s, s + needle.len())
    }

    fn doc() -> AnnotationSet {
        AnnotationSet::new(Document::new("d1", None, TEXT))
    }

    fn ent(set: AnnotationSet, label: Label, needle: &str) -> AnnotationSet {
        set.apply(&Edit::AddEntity { label, span: sp(TEXT, needle) }).unwrap()
    }

    fn att(set: AnnotationSet, kind: Kind, source: Option<&str>, cue: Option<&str>, content: &str) -> AnnotationSet {
        set.apply(&Edit::AddAttribution {
            kind,
            source: source.map(|s| sp(TEXT, s)),
            cue: cue.map(|c| sp(TEXT, c)),
            content: Extent::single(sp(TEXT, content)),
        })
        .unwrap()
    }

    fn two(a: AnnotationSet, b: AnnotationSet) -> Adjudication {
        Adjudication::new(&[("A".into(), a), ("B".into(), b)]).unwrap()
    }

    const QUOTE: &str = "“the talks went well”";

    #[test]
    fn each_class() {
        type Build = fn(AnnotationSet) -> AnnotationSet;
        let cases: Vec<(&str, Build, Build, Vec<Class>)> = vec![
            ("only in A", |s| ent(s, Label::Gpe, "Washington"), |s| s, vec![Class::OnlyIn(vec![0])]),
            ("only in B", |s| s, |s| ent(s, Label::Date, "Monday"), vec![Class::OnlyIn(vec![1])]),
            ("other label", |s| ent(s, Label::Gpe, "Washington"), |s| ent(s, Label::Loc, "Washington"), vec![Class::OtherLabel]),
            ("other boundary", |s| ent(s, Label::Person, "Caroline Leavitt"), |s| ent(s, Label::Person, "Leavitt"), vec![Class::OtherBoundary]),
            (
                "boundary and label",
                |s| ent(s, Label::Person, "Caroline Leavitt"),
                |s| ent(s, Label::Org, "Leavitt"),
                vec![Class::OtherLabel, Class::OtherBoundary],
            ),
            (
                "other source",
                |s| att(s, Kind::Direct, Some("Caroline Leavitt"), Some("told"), QUOTE),
                |s| att(s, Kind::Direct, Some("officials"), Some("told"), QUOTE),
                vec![Class::OtherSource],
            ),
            (
                "other cue",
                |s| att(s, Kind::Direct, Some("officials"), Some("told"), QUOTE),
                |s| att(s, Kind::Direct, Some("officials"), Some("said"), QUOTE),
                vec![Class::OtherCue],
            ),
            (
                "other kind",
                |s| att(s, Kind::Direct, None, None, QUOTE),
                |s| att(s, Kind::Mixed, None, None, QUOTE),
                vec![Class::OtherKind],
            ),
            (
                "content boundary",
                |s| att(s, Kind::Direct, None, None, QUOTE),
                |s| att(s, Kind::Direct, None, None, "that “the talks went well”"),
                vec![Class::OtherBoundary],
            ),
            (
                "attribution only in B",
                |s| s,
                |s| att(s, Kind::Indirect, None, Some("told"), "reporters"),
                vec![Class::OnlyIn(vec![1])],
            ),
        ];
        for (name, a, b, want) in cases {
            let adj = two(a(doc()), b(doc()));
            assert_eq!(adj.disagreements.len(), 1, "{name}: {:?}", adj.disagreements);
            assert_eq!(adj.disagreements[0].classes, want, "{name}");
            assert!(adj.agreed.is_empty(), "{name}");
        }
    }

    #[test]
    fn agreements_are_taken_and_order_is_textual() {
        let a = ent(ent(ent(doc(), Label::Person, "Caroline Leavitt"), Label::Date, "Monday"), Label::Gpe, "Washington");
        let b = ent(ent(doc(), Label::Loc, "Washington"), Label::Person, "Caroline Leavitt");
        let adj = two(a, b);
        assert_eq!(adj.agreed.len(), 1);
        let starts: Vec<usize> = adj.disagreements.iter().map(|d| d.span().start).collect();
        assert_eq!(starts, [TEXT.find("Washington").unwrap(), TEXT.find("Monday").unwrap()]);
        assert_eq!(adj.disagreements[0].classes[0].describe(&adj.annotators), "other label");
        assert_eq!(adj.disagreements[1].classes[0].describe(&adj.annotators), "only in A");
    }

    #[test]
    fn refuses_other_texts_and_too_few() {
        let other = AnnotationSet::new(Document::new("d1", None, "Another text."));
        assert_eq!(
            Adjudication::new(&[("A".into(), doc()), ("B".into(), other)]),
            Err(AdjudicateError::TextDiffers { annotator: "B".into() })
        );
        assert_eq!(Adjudication::new(&[("A".into(), doc())]), Err(AdjudicateError::TooFew));
        assert_eq!(
            Adjudication::new(&[("A".into(), doc()), ("A".into(), doc())]),
            Err(AdjudicateError::DuplicateName { annotator: "A".into() })
        );
    }

    #[test]
    fn decisions_make_the_curated_set() {
        let a = att(ent(ent(doc(), Label::Person, "Caroline Leavitt"), Label::Gpe, "Washington"), Kind::Direct, Some("Caroline Leavitt"), Some("told"), QUOTE);
        // Link A's source to its entity: the curated attribution must link the curated one.
        let (aid, eid) = (a.attributions[0].id, a.entities[0].id);
        let a = a.apply(&Edit::LinkSource { id: aid, entity: Some(eid) }).unwrap();
        let b = att(ent(doc(), Label::Loc, "Washington"), Kind::Direct, Some("officials"), Some("said"), QUOTE);
        let adj = two(a, b);
        // Leavitt only in A; Washington other label; the attribution other source + cue.
        assert_eq!(adj.disagreements.len(), 3);
        let curated = adj
            .curate(&[Some(Decision::Take(0)), Some(Decision::TakeAll), None])
            .unwrap();
        let labels: Vec<&str> = curated.entities_in_order().iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["PERSON", "GPE", "LOC"]);
        assert!(curated.entities.iter().all(|e| e.origin == Origin::Curated && e.status == Status::Accepted));
        // Undecided: both versions kept, as suggestions; A's one still linked.
        assert_eq!(curated.attributions.len(), 2);
        assert!(curated.attributions.iter().all(|a| a.status == Status::Suggested && a.origin == Origin::Curated));
        let leavitt = curated.entities.iter().find(|e| e.label == Label::Person).unwrap().id;
        assert!(curated.attributions.iter().any(|a| a.source.as_ref().unwrap().entity == Some(leavitt)));
        assert_eq!(curated.curation, Some(Curation { annotators: vec!["A".into(), "B".into()], undecided: 1 }));
        assert!(curated.validate().is_ok());
        // Dropping the entity a source linked keeps who the source is by name.
        let curated = adj.curate(&[Some(Decision::Neither), Some(Decision::Take(1)), Some(Decision::Take(0))]).unwrap();
        let src = curated.attributions[0].source.as_ref().unwrap();
        assert_eq!((src.entity, src.entity_text.as_deref()), (None, Some("Caroline Leavitt")));
        assert!(curated.validate().is_ok());
    }

    #[test]
    fn curated_export_reads_back_curated() {
        let adj = two(ent(doc(), Label::Gpe, "Washington"), ent(ent(doc(), Label::Loc, "Washington"), Label::Date, "Monday"));
        let curated = adj.curate(&[Some(Decision::Take(0)), None]).unwrap();
        let file = crate::core::export_json(&curated);
        assert!(file.contains("\"origin\": \"curated\"") && file.contains("\"curation\""), "{file}");
        assert_eq!(crate::core::import_json(&file).unwrap(), curated);
    }

    #[test]
    fn edits_are_checked() {
        let adj = two(ent(doc(), Label::Gpe, "Washington"), ent(doc(), Label::Loc, "Washington"));
        let own = Item::Entity(EntityVersion { label: Label::Gpe, span: sp(TEXT, "in Washington"), canonical: None });
        let curated = adj.curate(&[Some(Decision::Edit(own))]).unwrap();
        assert_eq!(curated.entities[0].span, sp(TEXT, "in Washington"));
        let outside = Item::Entity(EntityVersion { label: Label::Gpe, span: Span::new(0, 9999), canonical: None });
        assert!(matches!(adj.curate(&[Some(Decision::Edit(outside))]), Err(AdjudicateError::BadEdit { .. })));
        let unknown = Item::Entity(EntityVersion { label: Label::Custom("EVENT".into()), span: sp(TEXT, "Monday"), canonical: None });
        assert!(matches!(adj.curate(&[Some(Decision::Edit(unknown))]), Err(AdjudicateError::BadEdit { .. })));
        let wrong_kind = Item::Attribution(AttributionVersion { kind: Kind::Direct, source: None, cue: None, content: Extent::single(sp(TEXT, QUOTE)) });
        assert!(matches!(adj.curate(&[Some(Decision::Edit(wrong_kind))]), Err(AdjudicateError::BadEdit { .. })));
        assert!(matches!(adj.curate(&[]), Err(AdjudicateError::WrongCount { .. })));
        assert!(matches!(adj.curate(&[Some(Decision::Take(2))]), Err(AdjudicateError::NoSuchAnnotator { .. })));
    }

    #[test]
    fn three_annotators() {
        let a = ent(doc(), Label::Gpe, "Washington");
        let b = ent(doc(), Label::Gpe, "Washington");
        let c = ent(doc(), Label::Loc, "Washington");
        let adj = Adjudication::new(&[("A".into(), a), ("B".into(), b), ("C".into(), c)]).unwrap();
        assert_eq!(adj.disagreements.len(), 1);
        assert_eq!(adj.disagreements[0].distinct().len(), 2);
        let curated = adj.curate(&[Some(Decision::Take(2))]).unwrap();
        assert_eq!(curated.entities[0].label, Label::Loc);
    }

    // ------------------------------------------------------------ properties

    /// Entity and attribution keys of a set, ids and review state aside, sorted.
    fn keys(set: &AnnotationSet) -> (Vec<String>, Vec<String>) {
        let (e, a) = versions_of(set);
        let mut e: Vec<String> = e.iter().map(|v| format!("{:?}{:?}", v.span, v.label)).collect();
        let mut a: Vec<String> = a
            .iter()
            .map(|v| {
                let s = v.source.as_ref().map(|s| (s.span, s.name.as_deref().map(lower)));
                format!("{:?}{:?}{:?}{:?}", v.kind, v.cue, v.content, s)
            })
            .collect();
        sort::sort(&mut e);
        sort::sort(&mut a);
        (e, a)
    }

    fn arb_set() -> impl Strategy<Value = AnnotationSet> {
        // Word boundaries of the text: spans between them are always valid.
        let cuts: Vec<usize> = std::iter::once(0)
            .chain(TEXT.char_indices().filter(|(_, c)| *c == ' ').map(|(i, _)| i))
            .chain(std::iter::once(TEXT.len()))
            .collect();
        let n = cuts.len();
        let span = move |cuts: &Vec<usize>, i: usize, len: usize| {
            let (s, e) = (i % (n - 1), (i % (n - 1) + 1 + len % 3).min(n - 1));
            Span::new(cuts[s] + usize::from(cuts[s] > 0), cuts[e])
        };
        let ents = proptest::collection::vec((0usize..40, 0usize..3, 0usize..7, any::<bool>()), 0..8);
        let atts = proptest::collection::vec((0usize..40, 0usize..3, proptest::option::of(0usize..40), 0usize..3, any::<bool>()), 0..4);
        (ents, atts).prop_map(move |(ents, atts)| {
            let mut set = doc();
            for (i, len, l, rejected) in ents {
                let s = span(&cuts, i, len);
                set = set.apply(&Edit::AddEntity { label: Label::BUILTIN[l].clone(), span: s }).unwrap();
                if rejected {
                    let id = set.entities.last().unwrap().id;
                    set = set.apply(&Edit::Reject { target: crate::core::Target::Entity(id) }).unwrap();
                }
            }
            for (i, len, src, kind, link) in atts {
                let content = Extent::single(span(&cuts, i, len));
                let source = src.map(|j| span(&cuts, j, 0));
                let kind = [Kind::Direct, Kind::Indirect, Kind::Mixed][kind];
                set = set.apply(&Edit::AddAttribution { kind, source, cue: None, content }).unwrap();
                let id = set.attributions.last().unwrap().id;
                if let (true, Some(e)) = (link && source.is_some(), set.entities.first().map(|e| e.id)) {
                    set = set.apply(&Edit::LinkSource { id, entity: Some(e) }).unwrap();
                }
            }
            set
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn against_itself_nothing_to_settle(a in arb_set()) {
            let adj = two(a.clone(), a.clone());
            prop_assert!(adj.disagreements.is_empty());
            let curated = adj.curate(&[]).unwrap();
            prop_assert_eq!(keys(&curated), keys(&a));
        }

        #[test]
        fn taking_every_side_gives_that_side(a in arb_set(), b in arb_set()) {
            let adj = two(a.clone(), b.clone());
            for (n, side) in [(0, &a), (1, &b)] {
                let all: Vec<Option<Decision>> = adj.disagreements.iter().map(|_| Some(Decision::Take(n))).collect();
                let curated = adj.curate(&all).unwrap();
                prop_assert!(curated.validate().is_ok());
                prop_assert_eq!(keys(&curated), keys(side));
                prop_assert!(curated.entities.iter().all(|e| e.status == Status::Accepted));
            }
        }

        #[test]
        fn both_and_neither_are_consistent(a in arb_set(), b in arb_set()) {
            let adj = two(a.clone(), b.clone());
            let every = |d: Decision| -> Vec<Option<Decision>> { adj.disagreements.iter().map(|_| Some(d.clone())).collect() };
            let both = keys(&adj.curate(&every(Decision::TakeAll)).unwrap());
            let neither = keys(&adj.curate(&every(Decision::Neither)).unwrap());
            let (ka, kb) = (keys(&a), keys(&b));
            // Both: what either has; neither: what both have.
            for k in ka.0.iter().chain(&kb.0) { prop_assert!(both.0.contains(k)); }
            for k in ka.1.iter().chain(&kb.1) { prop_assert!(both.1.contains(k)); }
            for k in &neither.0 { prop_assert!(ka.0.contains(k) && kb.0.contains(k)); }
            for k in &neither.1 { prop_assert!(ka.1.contains(k) && kb.1.contains(k)); }
            // Undecided keeps every version, as suggestions.
            let undecided = adj.curate(&vec![None; adj.disagreements.len()]).unwrap();
            prop_assert_eq!(keys(&undecided), both);
            prop_assert_eq!(undecided.pending(), adj.disagreements.iter().map(|d| d.distinct().len()).sum::<usize>());
        }
    }
}

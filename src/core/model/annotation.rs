//! The annotation model: a document, its entities, attributions and boilerplate regions,
//! and the edits that change them.
//!
//! Every change is an [`Edit`] applied by the pure [`AnnotationSet::apply`], so the editor,
//! the undo history ([`crate::core::model::history`]) and the tests share one transition
//! function. Spans are byte offsets ([`crate::core::model::span`]).

use crate::core::model::sort;
use crate::core::model::label::{Label, LabelSchema};
use crate::core::model::span::{Extent, ExtentError, Span};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident, $prefix:literal) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// Identifies an entity within one [`AnnotationSet`]; exported as `e<n>`.
    EntityId, "e"
);
id_type!(
    /// Identifies an attribution within one [`AnnotationSet`]; exported as `a<n>`.
    AttributionId, "a"
);
id_type!(
    /// Identifies a boilerplate region; exported as `b<n>`.
    RegionId, "b"
);

/// An article: its text never changes once loaded (annotations are stand-off).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub title: Option<String>,
    pub text: Arc<str>,
}

impl Document {
    pub fn new(id: impl Into<String>, title: Option<String>, text: impl Into<Arc<str>>) -> Document {
        Document { id: id.into(), title, text: text.into() }
    }
}

/// Who made an annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Auto,
    Human,
    /// Settled by adjudicating several annotators' versions
    /// ([`crate::core::compare::adjudicate`]); the set says whose in [`Curation`].
    Curated,
}

/// Where an annotation is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Suggested,
    Accepted,
    Rejected,
}

/// How much of an attribution's content is quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The content is wholly inside quotation marks.
    Direct,
    /// The content is paraphrased.
    Indirect,
    /// The content contains a quoted part.
    Mixed,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Auto => "auto",
            Origin::Human => "human",
            Origin::Curated => "curated",
        }
    }

    /// The origin named `s` in a file (`auto`, `human`, `curated`).
    pub fn parse(s: &str) -> Option<Origin> {
        match s {
            "auto" => Some(Origin::Auto),
            "human" => Some(Origin::Human),
            "curated" => Some(Origin::Curated),
            _ => None,
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
            Kind::Mixed => "mixed",
        }
    }
}

/// A named entity mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: EntityId,
    pub label: Label,
    pub span: Span,
    pub origin: Origin,
    pub status: Status,
    /// 0..=1; 1 for human annotations.
    pub confidence: f32,
    /// The full name of the entity this mention refers to ("Caroline Leavitt" for "Leavitt").
    pub canonical: Option<String>,
    /// Mentions of one entity share a group number.
    pub group: Option<u32>,
}

/// The "who" of an attribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub span: Span,
    /// The entity the source names or, for a pronoun, resolves to.
    pub entity: Option<EntityId>,
    /// Who the source refers to when no entity in the set names it.
    pub entity_text: Option<String>,
}

/// Who said or reported what: one object with three roles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub id: AttributionId,
    pub kind: Kind,
    pub source: Option<Source>,
    pub cue: Option<Span>,
    pub content: Extent,
    pub origin: Origin,
    pub status: Status,
    pub confidence: f32,
}

/// A region that is not article prose (newsletter prompts, widget headings, teasers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boilerplate {
    pub id: RegionId,
    pub span: Span,
    pub origin: Origin,
}

/// Either kind of reviewable item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Entity(EntityId),
    Attribution(AttributionId),
}

/// The largest id number an import keeps from a file (`e12` → 12); larger ones are
/// renumbered. A document holds at most a few hundred thousand items, so this leaves
/// every real file's numbering alone while fresh numbers (handed out above the largest
/// kept one) can never run out of `u32` and collide.
pub const MAX_KEPT_ID: u32 = 100_000_000;

/// Where a curated set came from: the annotators whose versions were adjudicated, and how
/// many disagreements were still open when it was made (their items are `suggested`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curation {
    pub annotators: Vec<String>,
    pub undecided: usize,
}

/// Everything annotated on one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnotationSet {
    pub document: Document,
    pub schema: LabelSchema,
    pub entities: Vec<Entity>,
    pub attributions: Vec<Attribution>,
    pub boilerplate: Vec<Boilerplate>,
    next_id: u32,
    /// Set on a curated version only (records stored before it existed read as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curation: Option<Curation>,
}

/// One change to an [`AnnotationSet`]. Human edits make items `origin: human`,
/// `status: accepted`; changing a suggestion's label or span accepts it (the editor has
/// looked at it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    AddEntity { label: Label, span: Span },
    RemoveEntity { id: EntityId },
    Relabel { id: EntityId, label: Label },
    Resize { id: EntityId, span: Span },
    Accept { target: Target },
    Reject { target: Target },
    /// Accept (or reject) every pending suggestion of one label; `None` = all entities
    /// and attributions.
    ReviewAll { label: Option<Label>, status: Status },
    AddAttribution { kind: Kind, source: Option<Span>, cue: Option<Span>, content: Extent },
    RemoveAttribution { id: AttributionId },
    SetSource { id: AttributionId, span: Option<Span> },
    LinkSource { id: AttributionId, entity: Option<EntityId> },
    SetCue { id: AttributionId, span: Option<Span> },
    SetContent { id: AttributionId, content: Extent },
    AddFragment { id: AttributionId, span: Span },
    SetKind { id: AttributionId, kind: Kind },
    AddBoilerplate { span: Span },
    RemoveBoilerplate { id: RegionId },
    SetSchema { schema: LabelSchema },
}

/// Why an edit was refused. The set is unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum EditError {
    /// The span is reversed, empty, past the end or not on character boundaries.
    BadSpan(Span),
    BadContent(ExtentError),
    UnknownEntity(EntityId),
    UnknownAttribution(AttributionId),
    UnknownRegion(RegionId),
    /// The label is not in the document's schema.
    UnknownLabel(Label),
    /// The new schema drops a label that entities still use.
    LabelInUse(Label),
    /// Two labels of the schema share a name or a key.
    DuplicateInSchema(String),
    /// A label's colour is not `#rrggbb` hex.
    BadColour { label: Label, colour: String },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::BadSpan(s) => write!(f, "span {}..{} is empty or outside the text", s.start, s.end),
            EditError::BadContent(e) => write!(f, "bad content: {e}"),
            EditError::UnknownEntity(id) => write!(f, "no entity {id}"),
            EditError::UnknownAttribution(id) => write!(f, "no attribution {id}"),
            EditError::UnknownRegion(id) => write!(f, "no boilerplate region {id}"),
            EditError::UnknownLabel(l) => write!(f, "label {l} is not in the schema: add it first"),
            EditError::LabelInUse(l) => {
                write!(f, "label {l} is still used by entities: relabel or remove them first")
            }
            EditError::DuplicateInSchema(what) => write!(f, "the schema has {what} twice"),
            EditError::BadColour { label, colour } => {
                write!(f, "label {label}: colour {colour:?} is not a hex colour like #a0c4ff")
            }
        }
    }
}

impl std::error::Error for EditError {}

impl AnnotationSet {
    /// An empty set over `document` with the default schema.
    pub fn new(document: Document) -> AnnotationSet {
        AnnotationSet {
            document,
            schema: LabelSchema::default(),
            entities: Vec::new(),
            attributions: Vec::new(),
            boilerplate: Vec::new(),
            next_id: 1,
            curation: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.document.text
    }

    /// A fresh id number; ids are never reused within a set, so undo/redo stays unambiguous.
    pub fn fresh_id(&mut self) -> u32 {
        let id = self.next_id;
        // Saturates instead of overflowing (a panic, or a wrap back to reused numbers);
        // imports cap kept ids at [`MAX_KEPT_ID`], so 4 billion items away in practice.
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// The id number [`AnnotationSet::fresh_id`] hands out next (stored with the history so
    /// a restored set keeps numbering exactly where it was).
    pub fn next_id(&self) -> u32 {
        self.next_id
    }

    /// Makes sure fresh ids stay above `n` (used by import, which keeps the file's ids).
    pub fn reserve_ids_through(&mut self, n: u32) {
        self.next_id = self.next_id.max(n.saturating_add(1));
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    pub fn attribution(&self, id: AttributionId) -> Option<&Attribution> {
        self.attributions.iter().find(|a| a.id == id)
    }

    /// Number of items still waiting for review.
    pub fn pending(&self) -> usize {
        self.entities.iter().filter(|e| e.status == Status::Suggested).count()
            + self.attributions.iter().filter(|a| a.status == Status::Suggested).count()
    }

    /// Entities sorted by position (start, then longest first), for rendering and export.
    pub fn entities_in_order(&self) -> Vec<&Entity> {
        let mut v: Vec<&Entity> = self.entities.iter().collect();
        sort::sort_by_key(&mut v, |e| (e.span.start, std::cmp::Reverse(e.span.end), e.id));
        v
    }

    /// Checks what deserialising a stored set cannot (serde builds any value): every span
    /// non-empty, inside the text and on char boundaries, every extent non-empty, ordered
    /// and disjoint, every label in the schema, ids unique, every source link resolving.
    /// Records read back from storage pass here before the view sees them, as imports do,
    /// so a damaged record is reported instead of panicking a render.
    pub fn validate(&self) -> Result<(), String> {
        let span_ok = |what: String, s: Span| -> Result<(), String> {
            self.check_span(s).map(|_| ()).map_err(|_| format!("{what}: bad span {}..{}", s.start, s.end))
        };
        let mut ids = std::collections::HashSet::new();
        for e in &self.entities {
            if !ids.insert(e.id.to_string()) {
                return Err(format!("entity {} appears twice", e.id));
            }
            span_ok(format!("entity {}", e.id), e.span)?;
            self.check_label(&e.label).map_err(|_| format!("entity {}: unknown label {}", e.id, e.label.as_str()))?;
        }
        for a in &self.attributions {
            if !ids.insert(a.id.to_string()) {
                return Err(format!("attribution {} appears twice", a.id));
            }
            Extent::from_fragments(a.content.fragments().to_vec())
                .map_err(|e| format!("attribution {} content: {e:?}", a.id))?;
            for f in a.content.fragments() {
                span_ok(format!("attribution {} content", a.id), *f)?;
            }
            if let Some(c) = a.cue {
                span_ok(format!("attribution {} cue", a.id), c)?;
            }
            if let Some(src) = &a.source {
                span_ok(format!("attribution {} source", a.id), src.span)?;
                if let Some(id) = src.entity {
                    if !self.entities.iter().any(|e| e.id == id) {
                        return Err(format!("attribution {} source names missing entity {id}", a.id));
                    }
                }
            }
        }
        for b in &self.boilerplate {
            if !ids.insert(b.id.to_string()) {
                return Err(format!("region {} appears twice", b.id));
            }
            span_ok(format!("region {}", b.id), b.span)?;
        }
        Ok(())
    }

    fn check_span(&self, span: Span) -> Result<Span, EditError> {
        if span.is_empty() || !span.is_valid_in(self.text()) {
            return Err(EditError::BadSpan(span));
        }
        Ok(span)
    }

    fn check_extent(&self, content: &Extent) -> Result<(), EditError> {
        content.fragments().iter().try_for_each(|f| self.check_span(*f).map(|_| ()))
    }

    fn check_label(&self, label: &Label) -> Result<(), EditError> {
        if self.schema.contains(label) {
            Ok(())
        } else {
            Err(EditError::UnknownLabel(label.clone()))
        }
    }

    fn entity_mut(&mut self, id: EntityId) -> Result<&mut Entity, EditError> {
        self.entities.iter_mut().find(|e| e.id == id).ok_or(EditError::UnknownEntity(id))
    }

    fn attribution_mut(&mut self, id: AttributionId) -> Result<&mut Attribution, EditError> {
        self.attributions.iter_mut().find(|a| a.id == id).ok_or(EditError::UnknownAttribution(id))
    }

    /// Applies one edit, returning the new set; `self` is untouched, so the caller can
    /// keep it as an undo snapshot.
    pub fn apply(&self, edit: &Edit) -> Result<AnnotationSet, EditError> {
        let mut next = self.clone();
        next.apply_in_place(edit)?;
        Ok(next)
    }

    fn apply_in_place(&mut self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::AddEntity { label, span } => {
                self.check_label(label)?;
                let span = self.check_span(*span)?;
                let id = EntityId(self.fresh_id());
                self.entities.push(Entity {
                    id,
                    label: label.clone(),
                    span,
                    origin: Origin::Human,
                    status: Status::Accepted,
                    confidence: 1.0,
                    canonical: None,
                    group: None,
                });
            }
            Edit::RemoveEntity { id } => {
                let before = self.entities.len();
                self.entities.retain(|e| e.id != *id);
                if self.entities.len() == before {
                    return Err(EditError::UnknownEntity(*id));
                }
                // A source must never point at a removed entity.
                for a in &mut self.attributions {
                    if let Some(s) = &mut a.source {
                        if s.entity == Some(*id) {
                            s.entity = None;
                        }
                    }
                }
            }
            Edit::Relabel { id, label } => {
                self.check_label(label)?;
                let e = self.entity_mut(*id)?;
                e.label = label.clone();
                e.status = Status::Accepted;
            }
            Edit::Resize { id, span } => {
                let span = self.check_span(*span)?;
                let e = self.entity_mut(*id)?;
                e.span = span;
                e.status = Status::Accepted;
            }
            Edit::Accept { target } => self.set_status(*target, Status::Accepted)?,
            Edit::Reject { target } => self.set_status(*target, Status::Rejected)?,
            Edit::ReviewAll { label, status } => {
                for e in &mut self.entities {
                    if e.status == Status::Suggested && label.as_ref().is_none_or(|l| *l == e.label) {
                        e.status = *status;
                    }
                }
                if label.is_none() {
                    for a in &mut self.attributions {
                        if a.status == Status::Suggested {
                            a.status = *status;
                        }
                    }
                }
            }
            Edit::AddAttribution { kind, source, cue, content } => {
                self.check_extent(content)?;
                let source = match source {
                    Some(s) => Some(Source { span: self.check_span(*s)?, entity: None, entity_text: None }),
                    None => None,
                };
                let cue = cue.map(|c| self.check_span(c)).transpose()?;
                let id = AttributionId(self.fresh_id());
                self.attributions.push(Attribution {
                    id,
                    kind: *kind,
                    source,
                    cue,
                    content: content.clone(),
                    origin: Origin::Human,
                    status: Status::Accepted,
                    confidence: 1.0,
                });
            }
            Edit::RemoveAttribution { id } => {
                let before = self.attributions.len();
                self.attributions.retain(|a| a.id != *id);
                if self.attributions.len() == before {
                    return Err(EditError::UnknownAttribution(*id));
                }
            }
            Edit::SetSource { id, span } => {
                let span = span.map(|s| self.check_span(s)).transpose()?;
                let a = self.attribution_mut(*id)?;
                a.source = span.map(|span| Source { span, entity: None, entity_text: None });
                a.status = Status::Accepted;
            }
            Edit::LinkSource { id, entity } => {
                if let Some(e) = entity {
                    if self.entity(*e).is_none() {
                        return Err(EditError::UnknownEntity(*e));
                    }
                }
                let a = self.attribution_mut(*id)?;
                let Some(source) = &mut a.source else {
                    return Err(EditError::BadSpan(Span { start: 0, end: 0 }));
                };
                source.entity = *entity;
                source.entity_text = None;
                a.status = Status::Accepted;
            }
            Edit::SetCue { id, span } => {
                let span = span.map(|s| self.check_span(s)).transpose()?;
                let a = self.attribution_mut(*id)?;
                a.cue = span;
                a.status = Status::Accepted;
            }
            Edit::SetContent { id, content } => {
                self.check_extent(content)?;
                let a = self.attribution_mut(*id)?;
                a.content = content.clone();
                a.status = Status::Accepted;
            }
            Edit::AddFragment { id, span } => {
                let span = self.check_span(*span)?;
                let a = self.attribution_mut(*id)?;
                a.content = a.content.with_fragment(span).map_err(EditError::BadContent)?;
                a.status = Status::Accepted;
            }
            Edit::SetKind { id, kind } => {
                let a = self.attribution_mut(*id)?;
                a.kind = *kind;
                a.status = Status::Accepted;
            }
            Edit::AddBoilerplate { span } => {
                let span = self.check_span(*span)?;
                let id = RegionId(self.fresh_id());
                self.boilerplate.push(Boilerplate { id, span, origin: Origin::Human });
            }
            Edit::RemoveBoilerplate { id } => {
                let before = self.boilerplate.len();
                self.boilerplate.retain(|b| b.id != *id);
                if self.boilerplate.len() == before {
                    return Err(EditError::UnknownRegion(*id));
                }
            }
            Edit::SetSchema { schema } => {
                let mut names = std::collections::HashSet::new();
                let mut keys = std::collections::HashSet::new();
                for d in &schema.labels {
                    if !crate::core::model::label::is_hex_colour(&d.colour) {
                        return Err(EditError::BadColour { label: d.label.clone(), colour: d.colour.clone() });
                    }
                    if !names.insert(d.label.clone()) {
                        return Err(EditError::DuplicateInSchema(format!("label {}", d.label)));
                    }
                    if let Some(k) = d.key {
                        if !keys.insert(k) {
                            return Err(EditError::DuplicateInSchema(format!("key {k:?}")));
                        }
                    }
                }
                if let Some(e) = self.entities.iter().find(|e| !schema.contains(&e.label)) {
                    return Err(EditError::LabelInUse(e.label.clone()));
                }
                self.schema = schema.clone();
            }
        }
        Ok(())
    }

    fn set_status(&mut self, target: Target, status: Status) -> Result<(), EditError> {
        match target {
            Target::Entity(id) => self.entity_mut(id)?.status = status,
            Target::Attribution(id) => self.attribution_mut(id)?.status = status,
        }
        Ok(())
    }

    /// Renames a label everywhere (schema and entities) as one edit sequence's worth of
    /// change; returns the edits to apply in order.
    pub fn rename_label_edits(&self, from: &Label, to: Label) -> Vec<Edit> {
        let mut schema = self.schema.clone();
        schema.labels.iter_mut().filter(|d| &d.label == from).for_each(|d| d.label = to.clone());
        // Add the new name first so relabelling is valid, then drop the old one.
        let mut widened = self.schema.clone();
        if let Some(d) = widened.get(from).cloned() {
            widened.labels.push(crate::core::model::label::LabelDef { label: to.clone(), key: None, ..d });
        }
        let mut edits = vec![Edit::SetSchema { schema: widened }];
        edits.extend(
            self.entities
                .iter()
                .filter(|e| &e.label == from)
                .map(|e| Edit::Relabel { id: e.id, label: to.clone() }),
        );
        edits.push(Edit::SetSchema { schema });
        edits
    }

    /// Applies several edits as one step; all or nothing.
    pub fn apply_all(&self, edits: &[Edit]) -> Result<AnnotationSet, EditError> {
        let mut next = self.clone();
        for e in edits {
            next.apply_in_place(e)?;
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> AnnotationSet {
        AnnotationSet::new(Document::new("d", None, "Caroline Leavitt said “yes”, she said."))
    }

    fn sp(a: usize, b: usize) -> Span {
        Span::new(a, b)
    }

    #[test]
    fn edits_table() {
        let base = set().apply(&Edit::AddEntity { label: Label::Person, span: sp(0, 16) }).unwrap();
        let e1 = base.entities[0].id;
        type Check = fn(&AnnotationSet) -> bool;
        let cases: Vec<(&str, Edit, Result<Check, EditError>)> = vec![
            ("relabel", Edit::Relabel { id: e1, label: Label::Org }, Ok(|s| s.entities[0].label == Label::Org)),
            ("resize", Edit::Resize { id: e1, span: sp(9, 16) }, Ok(|s| s.entities[0].span == sp(9, 16))),
            ("reject", Edit::Reject { target: Target::Entity(e1) }, Ok(|s| s.entities[0].status == Status::Rejected)),
            ("remove", Edit::RemoveEntity { id: e1 }, Ok(|s| s.entities.is_empty())),
            ("unknown id", Edit::RemoveEntity { id: EntityId(99) }, Err(EditError::UnknownEntity(EntityId(99)))),
            ("reversed", Edit::Resize { id: e1, span: Span { start: 5, end: 2 } }, Err(EditError::BadSpan(Span { start: 5, end: 2 }))),
            ("past end", Edit::AddEntity { label: Label::Person, span: sp(0, 999) }, Err(EditError::BadSpan(sp(0, 999)))),
            ("mid-char", Edit::AddEntity { label: Label::Person, span: sp(0, 23) }, Err(EditError::BadSpan(sp(0, 23)))),
            ("unknown label", Edit::AddEntity { label: Label::Custom("EVENT".into()), span: sp(0, 4) }, Err(EditError::UnknownLabel(Label::Custom("EVENT".into())))),
            ("boilerplate", Edit::AddBoilerplate { span: sp(0, 8) }, Ok(|s| s.boilerplate.len() == 1)),
        ];
        for (name, edit, want) in cases {
            match (base.apply(&edit), want) {
                (Ok(s), Ok(check)) => assert!(check(&s), "{name}: wrong result"),
                (Err(got), Err(want)) => assert_eq!(got, want, "{name}"),
                (got, _) => panic!("{name}: unexpected {got:?}"),
            }
        }
        assert_eq!(base.entities.len(), 1, "apply never mutates its receiver");
    }

    #[test]
    fn attribution_roles_and_fragments() {
        let s = set()
            .apply(&Edit::AddEntity { label: Label::Person, span: sp(0, 16) })
            .unwrap();
        let q1 = sp(22, 31); // “yes”
        let s = s
            .apply(&Edit::AddAttribution {
                kind: Kind::Direct,
                source: Some(sp(0, 16)),
                cue: Some(sp(17, 21)),
                content: Extent::single(q1),
            })
            .unwrap();
        let a = s.attributions[0].id;
        let e = s.entities[0].id;
        let s = s.apply(&Edit::LinkSource { id: a, entity: Some(e) }).unwrap();
        assert_eq!(s.attributions[0].source.as_ref().unwrap().entity, Some(e));
        let s = s.apply(&Edit::AddFragment { id: a, span: sp(33, 36) }).unwrap();
        assert_eq!(s.attributions[0].content.fragments().len(), 2);
        assert!(matches!(
            s.apply(&Edit::AddFragment { id: a, span: sp(25, 35) }),
            Err(EditError::BadContent(_))
        ));
        // Removing the entity unlinks the source rather than leaving it dangling.
        let s = s.apply(&Edit::RemoveEntity { id: e }).unwrap();
        assert_eq!(s.attributions[0].source.as_ref().unwrap().entity, None);
    }

    #[test]
    fn review_all_only_touches_pending_of_that_label() {
        let mut s = set();
        for (label, span, status) in [
            (Label::Person, sp(0, 8), Status::Suggested),
            (Label::Person, sp(9, 16), Status::Rejected),
            (Label::Org, sp(17, 21), Status::Suggested),
        ] {
            let id = EntityId(s.fresh_id());
            s.entities.push(Entity {
                id,
                label,
                span,
                origin: Origin::Auto,
                status,
                confidence: 0.5,
                canonical: None,
                group: None,
            });
        }
        assert_eq!(s.pending(), 2);
        let s = s.apply(&Edit::ReviewAll { label: Some(Label::Person), status: Status::Accepted }).unwrap();
        let st: Vec<Status> = s.entities.iter().map(|e| e.status).collect();
        assert_eq!(st, [Status::Accepted, Status::Rejected, Status::Suggested]);
    }

    #[test]
    fn schema_edits() {
        let s = set().apply(&Edit::AddEntity { label: Label::Person, span: sp(0, 8) }).unwrap();
        let mut schema = s.schema.clone();
        schema.labels.retain(|d| d.label != Label::Person);
        assert_eq!(s.apply(&Edit::SetSchema { schema }), Err(EditError::LabelInUse(Label::Person)));
        let mut dup = s.schema.clone();
        dup.labels[1].key = Some('1');
        assert!(matches!(s.apply(&Edit::SetSchema { schema: dup }), Err(EditError::DuplicateInSchema(_))));
        let renamed = s.apply_all(&s.rename_label_edits(&Label::Person, Label::Custom("PER".into()))).unwrap();
        assert_eq!(renamed.entities[0].label, Label::Custom("PER".into()));
        assert!(!renamed.schema.contains(&Label::Person));
        assert_eq!(renamed.schema.labels[0].key, Some('1'), "the renamed label keeps its key and place");
    }
}

//! An editing session: the undo history of one document plus the editor's transient
//! state (which item has the focus, the last message), and the one transition function
//! the UI's reducer calls.
//!
//! Every change to the annotations is an [`Edit`] through [`History`], so it can be undone;
//! focus and messages live beside the history, never in it (undo never moves the focus
//! back). Pure and host-tested: the yew `impl Reducible` only forwards to [`Session::next`].

use crate::core::model::annotation::{AnnotationSet, AttributionId, Edit, EntityId, Kind, Status, Target};
use crate::core::model::history::History;
use crate::core::edit::keys::Role;
use crate::core::model::label::{Label, LabelDef, LabelSchema};
use crate::core::edit::review::{self, Nav};
use crate::core::edit::snap::{self, Dir, Edge, Snap, Step};
use crate::core::model::span::{Extent, Span};
use crate::core::compare::adjudicate::Adjudication;
use crate::core::edit::adjudicate::{Walk, WalkAction};
use std::fmt;

/// A message for the user: errors go to an alert region, notes to a polite live region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Error(String),
    Note(String),
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Error(m) | Message::Note(m) => f.write_str(m),
        }
    }
}

/// Everything the editor can ask of a session. Selections are raw byte offsets into the
/// document text (the UI converts DOM UTF-16 offsets with `OffsetMap` first), in either order.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the document (sample, opened file); starts a fresh history.
    Load { set: AnnotationSet },
    /// Replace the whole session (restored from storage).
    Restore { history: History },
    /// Apply edits as one undoable step.
    Apply { edits: Vec<Edit> },
    Undo,
    Redo,
    Fail { message: String },
    Dismiss,
    Focus { target: Option<Target> },
    /// J / K.
    Step { nav: Nav },
    /// Tag a selection, or relabel the focused entity when there is no selection.
    Tag { selection: Option<Span>, label: Label, exact: bool },
    /// Accept or reject the focused item.
    Review { status: Status },
    /// Accept or reject every pending suggestion of one label (`None`: everything).
    ReviewAll { label: Option<Label>, status: Status },
    /// Delete the focused item.
    Delete,
    Nudge { edge: Edge, dir: Dir, step: Step },
    /// Start an attribution with the selection as its content; it gets the focus.
    Quote { selection: Span, exact: bool },
    /// Give the focused attribution a role from the selection.
    SetRole { role: Role, selection: Span, exact: bool },
    /// Link an attribution's source to an entity (a pronoun to its person); without a
    /// source yet, the entity's mention becomes the source.
    LinkSource { id: AttributionId, entity: Option<EntityId> },
    SetKind { id: AttributionId, kind: Kind },
    /// Add a label to the schema (the next free digit key, a palette colour).
    AddLabel { name: String },
    RenameLabel { from: Label, to: String },
    Recolour { label: Label, colour: String },
    Rekey { label: Label, key: Option<char> },
    /// Open the Adjudicate view on these annotators' versions of one document.
    Adjudicate { annotators: Vec<(String, AnnotationSet)> },
    /// A step of the adjudication walk (decide, move, undo).
    Walk { action: WalkAction },
    /// Leave the Adjudicate view (its decisions are dropped).
    CloseAdjudication,
}

/// One document being edited.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub history: History,
    pub focus: Option<Target>,
    pub message: Option<Message>,
    /// Bumped whenever the current annotations may have changed (edit, undo, redo, load):
    /// a cheap key for views that derive data from them.
    pub revision: u64,
    /// The adjudication in progress, if the Adjudicate view is open. It outlives opening
    /// and restoring documents: it holds its own copies of the annotators' versions.
    pub adjudication: Option<Walk>,
}

/// Colours offered for new labels: light tints that keep black text above 7:1 contrast.
const NEW_LABEL_COLOURS: [&str; 6] = ["#ffadad", "#bdb2ff", "#d0f4de", "#fcf6bd", "#a9def9", "#f1c0e8"];

/// Whether `s` is a `#rrggbb` colour (schema colours end up in CSS: nothing else gets in).
pub use crate::core::model::label::is_hex_colour;

/// Direct when the content is wholly a quotation, mixed when it holds one, else indirect.
pub fn guess_kind(content: &str) -> Kind {
    // Apostrophes are left out: "Trump’s" is not a quotation.
    const MARKS: &[char] = &['"', '“', '”', '«', '»', '„'];
    let t = content.trim().trim_end_matches(['.', ',', ';']);
    if t.starts_with(MARKS) && t.ends_with(MARKS) && t.chars().count() > 1 {
        Kind::Direct
    } else if content.contains(MARKS) {
        Kind::Mixed
    } else {
        Kind::Indirect
    }
}

impl Session {
    pub fn new(set: AnnotationSet) -> Session {
        Session { history: History::new(set), focus: None, message: None, revision: 0, adjudication: None }
    }

    /// The annotations as they are now.
    pub fn set(&self) -> &AnnotationSet {
        self.history.current()
    }

    /// The focused item, if it (still) exists.
    pub fn focused(&self) -> Option<Target> {
        self.focus.filter(|t| review::target_start(self.set(), *t).is_some())
    }

    fn focused_entity(&self) -> Option<EntityId> {
        match self.focused()? {
            Target::Entity(id) => Some(id),
            Target::Attribution(_) => None,
        }
    }

    fn focused_attribution(&self) -> Option<AttributionId> {
        match self.focused()? {
            Target::Attribution(id) => Some(id),
            Target::Entity(_) => None,
        }
    }

    /// Applies edits as one step, reporting a refusal instead of failing.
    fn edit(&mut self, edits: Vec<Edit>) -> bool {
        match self.history.apply(&edits) {
            Ok(()) => {
                self.revision += 1;
                self.message = None;
                true
            }
            Err(e) => {
                self.message = Some(Message::Error(format!("edit refused: {e}")));
                false
            }
        }
    }

    fn note(&mut self, text: impl Into<String>) {
        self.message = Some(Message::Note(text.into()));
    }

    fn snapped(&mut self, selection: Span, exact: bool) -> Option<Span> {
        let mode = if exact { Snap::Exact } else { Snap::Words };
        let s = snap::snap(self.set().text(), selection.start, selection.end, mode);
        if s.is_none() {
            self.note("select some words first");
        }
        s
    }

    fn schema_edit(&mut self, change: impl FnOnce(&mut LabelSchema) -> Result<(), String>) {
        let mut schema = self.set().schema.clone();
        match change(&mut schema) {
            Ok(()) => {
                self.edit(vec![Edit::SetSchema { schema }]);
            }
            Err(m) => self.message = Some(Message::Error(m)),
        }
    }

    /// The pure transition (what the reducer calls).
    pub fn next(mut self, action: Action) -> Session {
        match action {
            Action::Load { set } => {
                return Session { revision: self.revision + 1, adjudication: self.adjudication, ..Session::new(set) }
            }
            Action::Restore { history } => {
                return Session {
                    history,
                    focus: None,
                    message: None,
                    revision: self.revision + 1,
                    adjudication: self.adjudication,
                }
            }
            Action::Apply { edits } => {
                self.edit(edits);
            }
            Action::Undo => {
                if !self.history.undo() {
                    self.note("nothing to undo");
                } else {
                    self.revision += 1;
                    self.message = None;
                }
            }
            Action::Redo => {
                if !self.history.redo() {
                    self.note("nothing to redo");
                } else {
                    self.revision += 1;
                    self.message = None;
                }
            }
            Action::Fail { message } => self.message = Some(Message::Error(message)),
            Action::Dismiss => self.message = None,
            Action::Focus { target } => self.focus = target,
            Action::Step { nav } => match review::step(self.set(), self.focused(), nav) {
                Some(t) => self.focus = Some(t),
                None => self.note("no suggestions left to review"),
            },
            Action::Tag { selection: Some(sel), label, exact } => {
                if let Some(span) = self.snapped(sel, exact) {
                    if self.edit(vec![Edit::AddEntity { label: label.clone(), span }]) {
                        let id = self.set().entities.last().map(|e| e.id);
                        self.focus = id.map(Target::Entity);
                        let text = span.slice(self.set().text()).unwrap_or("");
                        self.note(format!("tagged {label}: {text}"));
                    }
                }
            }
            Action::Tag { selection: None, label, .. } => match self.focused_entity() {
                Some(id) => {
                    self.edit(vec![Edit::Relabel { id, label }]);
                }
                None => self.note("select text, or focus a highlight, then press a label key"),
            },
            Action::Review { status } => match self.focused() {
                Some(target) => {
                    let edit = match status {
                        Status::Rejected => Edit::Reject { target },
                        _ => Edit::Accept { target },
                    };
                    if self.edit(vec![edit]) {
                        self.note(format!("{}", status.as_str()));
                    }
                }
                None => self.note("focus a suggestion first (J / K)"),
            },
            Action::ReviewAll { label, status } => {
                let before = self.set().pending();
                if self.edit(vec![Edit::ReviewAll { label, status }]) {
                    let n = before - self.set().pending();
                    self.note(format!("{n} suggestions {}", status.as_str()));
                }
            }
            Action::Delete => {
                let edit = match self.focused() {
                    Some(Target::Entity(id)) => Edit::RemoveEntity { id },
                    Some(Target::Attribution(id)) => Edit::RemoveAttribution { id },
                    None => {
                        self.note("focus a highlight first");
                        return self;
                    }
                };
                if self.edit(vec![edit]) {
                    self.focus = None;
                    self.note("deleted");
                }
            }
            Action::Nudge { edge, dir, step } => {
                let Some(id) = self.focused_entity() else {
                    self.note("focus a highlight first");
                    return self;
                };
                let Some(e) = self.set().entity(id) else { return self };
                match snap::nudge(self.set().text(), e.span, edge, dir, step) {
                    Some(span) => {
                        self.edit(vec![Edit::Resize { id, span }]);
                    }
                    None => self.note("cannot move that edge further"),
                }
            }
            Action::Quote { selection, exact } => {
                if let Some(span) = self.snapped(selection, exact) {
                    let kind = guess_kind(span.slice(self.set().text()).unwrap_or(""));
                    let edit = Edit::AddAttribution { kind, source: None, cue: None, content: Extent::single(span) };
                    if self.edit(vec![edit]) {
                        self.focus = self.set().attributions.last().map(|a| Target::Attribution(a.id));
                        self.note("attribution started: select the cue and press C, the source and press S");
                    }
                }
            }
            Action::SetRole { role, selection, exact } => {
                let Some(id) = self.focused_attribution() else {
                    self.note("focus an attribution first (select what was said and press Q)");
                    return self;
                };
                let Some(span) = self.snapped(selection, exact) else { return self };
                let mut edits = match role {
                    Role::Cue => vec![Edit::SetCue { id, span: Some(span) }],
                    Role::Fragment => vec![Edit::AddFragment { id, span }],
                    Role::Source => vec![Edit::SetSource { id, span: Some(span) }],
                };
                if role == Role::Source {
                    // A source that is exactly a tagged mention is linked to it.
                    let set = self.set();
                    if let Some(e) = set.entities.iter().find(|e| e.span == span && e.status != Status::Rejected) {
                        edits.push(Edit::LinkSource { id, entity: Some(e.id) });
                    }
                }
                if self.edit(edits) {
                    self.focus = Some(Target::Attribution(id));
                }
            }
            Action::LinkSource { id, entity } => {
                let has_source = self.set().attribution(id).is_some_and(|a| a.source.is_some());
                let mention = entity.and_then(|e| self.set().entity(e)).map(|e| e.span);
                if !has_source && entity.is_none() {
                    return self; // nothing to unlink
                }
                let mut edits = Vec::new();
                if let (false, Some(span)) = (has_source, mention) {
                    edits.push(Edit::SetSource { id, span: Some(span) });
                }
                edits.push(Edit::LinkSource { id, entity });
                self.edit(edits);
            }
            Action::SetKind { id, kind } => {
                self.edit(vec![Edit::SetKind { id, kind }]);
            }
            Action::AddLabel { name } => self.schema_edit(|s| {
                let label = Label::parse(name.trim()).map_err(|e| e.to_string())?;
                if s.contains(&label) {
                    return Err(format!("there is already a label {label}"));
                }
                let used: Vec<char> = s.labels.iter().filter_map(|d| d.key).collect();
                let key = ('1'..='9').find(|k| !used.contains(k));
                let colour = NEW_LABEL_COLOURS[s.labels.len() % NEW_LABEL_COLOURS.len()].to_string();
                s.labels.push(LabelDef { label, colour, key });
                Ok(())
            }),
            Action::RenameLabel { from, to } => match Label::parse(to.trim()) {
                Ok(to) if self.set().schema.contains(&to) => {
                    self.message = Some(Message::Error(format!("there is already a label {to}")));
                }
                Ok(to) => {
                    let edits = self.set().rename_label_edits(&from, to);
                    self.edit(edits);
                }
                Err(e) => self.message = Some(Message::Error(e.to_string())),
            },
            Action::Recolour { label, colour } => self.schema_edit(|s| {
                if !is_hex_colour(&colour) {
                    return Err(format!("{colour:?} is not a colour: use #rrggbb"));
                }
                let d = s.labels.iter_mut().find(|d| d.label == label).ok_or(format!("no label {label}"))?;
                d.colour = colour.to_ascii_lowercase();
                Ok(())
            }),
            Action::Rekey { label, key } => self.schema_edit(|s| {
                if let Some(k) = key {
                    if crate::core::edit::keys::command(
                        &crate::core::edit::keys::KeyPress::plain(&k.to_string()),
                        &LabelSchema { labels: vec![] },
                    )
                    .is_some()
                    {
                        return Err(format!("{k:?} is already a shortcut: pick another key"));
                    }
                    // Taking a key from another label frees it there.
                    for d in s.labels.iter_mut().filter(|d| d.key == Some(k)) {
                        d.key = None;
                    }
                }
                let d = s.labels.iter_mut().find(|d| d.label == label).ok_or(format!("no label {label}"))?;
                d.key = key;
                Ok(())
            }),
            Action::Adjudicate { annotators } => match Adjudication::new(&annotators) {
                Ok(a) => {
                    let walk = Walk::new(a);
                    self.message = Some(Message::Note(if walk.decisions.is_empty() {
                        "the annotators agree on everything: nothing to settle".into()
                    } else {
                        format!("{} disagreement(s) to settle", walk.decisions.len())
                    }));
                    self.adjudication = Some(walk);
                }
                Err(e) => self.message = Some(Message::Error(e.to_string())),
            },
            Action::Walk { action } => {
                let Some(walk) = self.adjudication.take() else {
                    self.message = Some(Message::Error("no adjudication is open".into()));
                    return self;
                };
                match walk.next(action) {
                    Ok(w) => {
                        self.adjudication = Some(w);
                        self.message = None;
                    }
                    Err((w, m)) => {
                        self.adjudication = Some(w);
                        self.message = Some(Message::Note(m));
                    }
                }
            }
            Action::CloseAdjudication => self.adjudication = None,
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compare::adjudicate::Decision;
    use crate::core::model::annotation::{Document, Entity, Origin};

    #[test]
    fn adjudication_lives_beside_the_document() {
        let doc = AnnotationSet::new(Document::new("d", None, TEXT));
        let a = doc.apply(&Edit::AddEntity { label: Label::Person, span: at("Putin") }).unwrap();
        let s = session().next(Action::Adjudicate { annotators: vec![("A".into(), a.clone()), ("B".into(), doc.clone())] });
        assert_eq!(s.adjudication.as_ref().map(|w| w.decisions.len()), Some(1));
        let s = s.next(Action::Walk { action: WalkAction::Decide { decision: Decision::Take(0) } });
        let s = s.next(Action::Load { set: doc.clone() });
        assert_eq!(s.adjudication.as_ref().map(|w| w.progress()), Some("1 of 1 settled".into()), "opening a document keeps the walk");
        let s = s.next(Action::Walk { action: WalkAction::Redo });
        assert_eq!(s.message, Some(Message::Note("nothing to redo".into())));
        let s = s.next(Action::CloseAdjudication);
        assert!(s.adjudication.is_none());
        let other = AnnotationSet::new(Document::new("d", None, "Other."));
        let s = s.next(Action::Adjudicate { annotators: vec![("A".into(), a), ("B".into(), other)] });
        assert!(matches!(s.message, Some(Message::Error(_))) && s.adjudication.is_none());
    }

    const TEXT: &str = "“We are close,” said White House spokeswoman Caroline Leavitt. “Very,” she added.\nPutin met Witkoff.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).unwrap();
        Span::new(s, s + needle.len())
    }

    /// A session with two suggested entities (Leavitt, Putin).
    fn session() -> Session {
        let mut set = AnnotationSet::new(Document::new("d", None, TEXT));
        for (label, needle) in [(Label::Person, "Caroline Leavitt"), (Label::Person, "Putin")] {
            let id = EntityId(set.fresh_id());
            set.entities.push(Entity {
                id,
                label,
                span: at(needle),
                origin: Origin::Auto,
                status: Status::Suggested,
                confidence: 0.7,
                canonical: None,
                group: None,
            });
        }
        Session::new(set)
    }

    fn run(s: Session, actions: Vec<Action>) -> Session {
        actions.into_iter().fold(s, Session::next)
    }

    #[test]
    fn review_flow() {
        let s = run(session(), vec![Action::Step { nav: Nav::Next }, Action::Review { status: Status::Accepted }]);
        assert_eq!(s.set().entities[0].status, Status::Accepted);
        assert_eq!(s.focus, Some(Target::Entity(EntityId(1))));
        let s = run(s, vec![Action::Step { nav: Nav::Next }, Action::Review { status: Status::Rejected }]);
        assert_eq!(s.set().entities[1].status, Status::Rejected);
        assert_eq!(s.set().pending(), 0);
        let s = s.next(Action::Step { nav: Nav::Next });
        assert_eq!(s.message, Some(Message::Note("no suggestions left to review".into())));
        // Undo twice restores both suggestions; the focus is not part of history.
        let s = run(s, vec![Action::Undo, Action::Undo]);
        assert_eq!(s.set().pending(), 2);
        assert_eq!(s.focus, Some(Target::Entity(EntityId(2))));
        assert_eq!(s.revision, 4, "two edits and two undos");
        let s = s.clone().next(Action::Load { set: s.set().clone() });
        assert_eq!(s.revision, 5, "a load never reuses a revision");
    }

    #[test]
    fn tag_snaps_and_focuses() {
        let sel = Span::new(at("Witkoff").start + 2, at("Witkoff").end - 1);
        let s = session().next(Action::Tag { selection: Some(sel), label: Label::Person, exact: false });
        let e = s.set().entities.last().unwrap();
        assert_eq!(e.span, at("Witkoff"));
        assert_eq!((e.origin, e.status), (Origin::Human, Status::Accepted));
        assert_eq!(s.focus, Some(Target::Entity(e.id)));
        // Exact keeps the characters; relabel without selection changes the focused one.
        let s = s.next(Action::Tag { selection: Some(sel), label: Label::Org, exact: true });
        assert_eq!(s.set().entities.last().unwrap().span, sel);
        let s = s.next(Action::Tag { selection: None, label: Label::Gpe, exact: false });
        assert_eq!(s.set().entities.last().unwrap().label, Label::Gpe);
        // A whitespace selection tags nothing and says why.
        let n = s.set().entities.len();
        let s = s.next(Action::Tag { selection: Some(Span::new(at(" said").start, at(" said").start + 1)), label: Label::Person, exact: false });
        assert_eq!(s.set().entities.len(), n);
        assert!(matches!(s.message, Some(Message::Note(_))));
    }

    #[test]
    fn nudge_and_delete_focused() {
        let s = run(
            session(),
            vec![
                Action::Focus { target: Some(Target::Entity(EntityId(1))) },
                Action::Nudge { edge: Edge::Start, dir: Dir::Left, step: Step::Word },
            ],
        );
        assert_eq!(s.set().entities[0].span, at("spokeswoman Caroline Leavitt"));
        let s = s.next(Action::Delete);
        assert_eq!(s.set().entities.len(), 1);
        assert_eq!(s.focus, None);
        let s = s.next(Action::Nudge { edge: Edge::End, dir: Dir::Right, step: Step::Char });
        assert!(matches!(s.message, Some(Message::Note(_))), "nothing focused");
    }

    #[test]
    fn build_an_attribution() {
        let s = run(
            session(),
            vec![
                Action::Quote { selection: at("“We are close,”"), exact: false },
                Action::SetRole { role: Role::Cue, selection: at("said"), exact: false },
                Action::SetRole { role: Role::Source, selection: at("Caroline Leavitt"), exact: false },
                Action::SetRole { role: Role::Fragment, selection: at("“Very,”"), exact: false },
            ],
        );
        let a = &s.set().attributions[0];
        assert_eq!(a.kind, Kind::Direct);
        assert_eq!(a.cue, Some(at("said")));
        let src = a.source.as_ref().unwrap();
        assert_eq!((src.span, src.entity), (at("Caroline Leavitt"), Some(EntityId(1))), "linked to the tagged mention");
        assert_eq!(a.content.fragments(), &[at("“We are close,”"), at("“Very,”")]);
        // Re-link the source to nothing, set the kind; each is one undo step.
        let id = a.id;
        let s = run(s, vec![Action::LinkSource { id, entity: None }, Action::SetKind { id, kind: Kind::Mixed }]);
        assert_eq!(s.set().attributions[0].kind, Kind::Mixed);
        let s = run(s, vec![Action::Undo, Action::Undo]);
        assert_eq!(s.set().attributions[0].source.as_ref().unwrap().entity, Some(EntityId(1)));
        // A role without a focused attribution is refused politely.
        let s = s.next(Action::Focus { target: None }).next(Action::SetRole {
            role: Role::Cue,
            selection: at("added"),
            exact: false,
        });
        assert!(matches!(s.message, Some(Message::Note(_))));
    }

    #[test]
    fn choosing_an_entity_gives_a_source() {
        let s = session().next(Action::Quote { selection: at("“Very,”"), exact: false });
        let id = s.set().attributions[0].id;
        assert!(s.set().attributions[0].source.is_none());
        let s = s.next(Action::LinkSource { id, entity: Some(EntityId(1)) });
        let src = s.set().attributions[0].source.clone().unwrap();
        assert_eq!((src.span, src.entity), (at("Caroline Leavitt"), Some(EntityId(1))));
        assert_eq!(s.message, None);
    }

    #[test]
    fn guess_kind_table() {
        let cases = [
            ("“We are close,”", Kind::Direct),
            ("\"Yes.\"", Kind::Direct),
            ("the deal was “very close” to done", Kind::Mixed),
            ("talks would continue", Kind::Indirect),
        ];
        for (text, want) in cases {
            assert_eq!(guess_kind(text), want, "{text}");
        }
    }

    #[test]
    fn schema_actions() {
        let s = run(
            session(),
            vec![
                Action::AddLabel { name: "EVENT".into() },
                Action::Recolour { label: Label::Person, colour: "#AABBCC".into() },
                Action::Rekey { label: Label::Org, key: Some('1') },
            ],
        );
        let sc = &s.set().schema;
        let event = sc.get(&Label::Custom("EVENT".into())).unwrap();
        assert_eq!(event.key, Some('8'));
        assert_eq!(sc.get(&Label::Person).unwrap().colour, "#aabbcc");
        assert_eq!(sc.get(&Label::Org).unwrap().key, Some('1'));
        assert_eq!(sc.get(&Label::Person).unwrap().key, None, "the key moved");
        // Refusals: bad colour, command key, duplicate name, bad name.
        for bad in [
            Action::Recolour { label: Label::Person, colour: "red;background:url(x)".into() },
            Action::Rekey { label: Label::Org, key: Some('j') },
            Action::AddLabel { name: "ORG".into() },
            Action::AddLabel { name: "two words".into() },
            Action::RenameLabel { from: Label::Person, to: "ORG".into() },
        ] {
            let after = s.clone().next(bad.clone());
            assert_eq!(after.set().schema, s.set().schema, "{bad:?} changed the schema");
            assert!(matches!(after.message, Some(Message::Error(_))), "{bad:?} gave no error");
        }
        let s = s.next(Action::RenameLabel { from: Label::Person, to: "PER".into() });
        assert!(s.set().entities.iter().all(|e| e.label == Label::Custom("PER".into())));
        assert_eq!(s.set().schema.labels[0].label, Label::Custom("PER".into()));
    }
}

//! The adjudication walk: which disagreement the adjudicator is on, the decisions made so
//! far, and their undo/redo. Pure and host-tested; the app keeps it in its one reducer
//! ([`crate::core::edit::session::Session::adjudication`]) and the Adjudicate view draws it.
//!
//! The disagreements and the curated set come from [`crate::core::compare::adjudicate`];
//! this module only walks them. Deciding moves on to the next undecided disagreement, so a
//! run of A / B / H / N presses settles the document in order.

use crate::core::compare::adjudicate::{AdjudicateError, Adjudication, Decision, Item};
use crate::core::model::span::Span;
use crate::core::model::annotation::AnnotationSet;
use std::sync::Arc;

/// What the adjudicator can do in the walk.
#[derive(Clone, Debug, PartialEq)]
pub enum WalkAction {
    /// Settle the current disagreement.
    Decide { decision: Decision },
    /// Make the current disagreement undecided again.
    Clear,
    /// J / K.
    Next,
    Prev,
    Go { index: usize },
    Undo,
    Redo,
}

/// One undoable step: a disagreement and the decision it had before (or after, for redo).
#[derive(Clone, Debug, PartialEq)]
struct Step {
    index: usize,
    decision: Option<Decision>,
}

/// An adjudication in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    /// Shared, not copied, by every state of the walk: it never changes.
    pub adjudication: Arc<Adjudication>,
    /// One per disagreement; `None`: undecided.
    pub decisions: Vec<Option<Decision>>,
    pub current: usize,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Walk {
    pub fn new(adjudication: Adjudication) -> Walk {
        let n = adjudication.disagreements.len();
        Walk { adjudication: Arc::new(adjudication), decisions: vec![None; n], current: 0, undo: Vec::new(), redo: Vec::new() }
    }

    /// How many disagreements have a decision.
    pub fn settled(&self) -> usize {
        self.decisions.iter().filter(|d| d.is_some()).count()
    }

    /// "12 of 40 settled".
    pub fn progress(&self) -> String {
        format!("{} of {} settled", self.settled(), self.decisions.len())
    }

    /// The decision on the current disagreement.
    pub fn decision(&self) -> Option<&Decision> {
        self.decisions.get(self.current).and_then(Option::as_ref)
    }

    /// The curated set as the decisions stand (undecided versions kept as suggestions).
    pub fn curated(&self) -> Result<AnnotationSet, AdjudicateError> {
        self.adjudication.curate(&self.decisions)
    }

    fn set(&mut self, index: usize, decision: Option<Decision>) {
        let before = std::mem::replace(&mut self.decisions[index], decision);
        self.undo.push(Step { index, decision: before });
        self.redo.clear();
        self.current = index;
    }

    /// Takes back the last step (`undo`) or the last undone one, keeping the other stack
    /// able to reverse it; false when there is nothing to take back.
    fn replay(&mut self, undo: bool) -> bool {
        let (from, to) = if undo { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        let Some(Step { index, decision }) = from.pop() else { return false };
        let other = std::mem::replace(&mut self.decisions[index], decision);
        to.push(Step { index, decision: other });
        self.current = index;
        true
    }

    /// The first undecided disagreement after the current one (wrapping), else the current.
    fn next_undecided(&self) -> usize {
        let n = self.decisions.len();
        (1..=n).map(|k| (self.current + k) % n).find(|i| self.decisions[*i].is_none()).unwrap_or(self.current)
    }

    /// The pure transition; a refused action leaves the walk as it was and says why.
    pub fn next(mut self, action: WalkAction) -> Result<Walk, (Walk, String)> {
        let n = self.decisions.len();
        if n == 0 {
            return match action {
                WalkAction::Undo | WalkAction::Redo | WalkAction::Next | WalkAction::Prev => Ok(self),
                _ => Err((self, "the annotators agree on everything: there is nothing to settle".into())),
            };
        }
        match action {
            WalkAction::Decide { decision } => {
                if let Decision::Edit(item) = &decision {
                    if let Err(e) = self.adjudication.check_edit(self.current, item) {
                        return Err((self, e.to_string()));
                    }
                }
                if let Decision::Take(k) = decision {
                    if k >= self.adjudication.annotators.len() {
                        return Err((self, format!("there is no annotator number {}", k + 1)));
                    }
                }
                let i = self.current;
                self.set(i, Some(decision));
                self.current = self.next_undecided();
            }
            WalkAction::Clear => {
                let i = self.current;
                if self.decisions[i].is_some() {
                    self.set(i, None);
                }
            }
            WalkAction::Next => self.current = (self.current + 1).min(n - 1),
            WalkAction::Prev => self.current = self.current.saturating_sub(1),
            WalkAction::Go { index } => {
                if index >= n {
                    return Err((self, format!("there is no disagreement {}", index + 1)));
                }
                self.current = index;
            }
            WalkAction::Undo => {
                if !self.replay(true) {
                    return Err((self, "nothing to undo".into()));
                }
            }
            WalkAction::Redo => {
                if !self.replay(false) {
                    return Err((self, "nothing to redo".into()));
                }
            }
        }
        Ok(self)
    }
}

/// Which part of a version a highlight shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Entity,
    Source,
    Cue,
    Content,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Entity => "entity",
            Part::Source => "source",
            Part::Cue => "cue",
            Part::Content => "content",
        }
    }
}

/// One span of one annotator's version of the current disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub span: Span,
    pub annotator: usize,
    pub part: Part,
}

/// A stretch of a paragraph and the highlights (indices) covering all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub span: Span,
    pub covers: Vec<usize>,
}

impl Walk {
    /// What the article highlights: every part of every version of the current disagreement.
    pub fn highlights(&self) -> Vec<Highlight> {
        let Some(d) = self.adjudication.disagreements.get(self.current) else { return Vec::new() };
        let mut out = Vec::new();
        for (annotator, v) in d.versions.iter().enumerate() {
            let mut push = |span: Span, part: Part| out.push(Highlight { span, annotator, part });
            match v {
                Some(Item::Entity(e)) => push(e.span, Part::Entity),
                Some(Item::Attribution(a)) => {
                    for f in a.content.fragments() {
                        push(*f, Part::Content);
                    }
                    if let Some(s) = &a.source {
                        push(s.span, Part::Source);
                    }
                    if let Some(c) = a.cue {
                        push(c, Part::Cue);
                    }
                }
                None => {}
            }
        }
        out
    }
}

/// Cuts `paragraph` where a highlight starts or ends, so each run is covered by one fixed
/// set of highlights (the view wraps it in one mark).
pub fn runs(paragraph: Span, highlights: &[Highlight]) -> Vec<Run> {
    let mut cuts = vec![paragraph.start, paragraph.end];
    for h in highlights {
        for p in [h.span.start, h.span.end] {
            if p > paragraph.start && p < paragraph.end {
                cuts.push(p);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let span = Span { start: w[0], end: w[1] };
            let covers = (0..highlights.len())
                .filter(|i| highlights[*i].span.start <= span.start && span.end <= highlights[*i].span.end)
                .collect();
            Run { span, covers }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Document, Edit, Origin};
    use crate::core::model::label::Label;

    fn walk() -> Walk {
        let text = "Ana Bell met Carl Dunn in Paris on Monday.";
        let doc = AnnotationSet::new(Document::new("d", None, text));
        let add = |s: AnnotationSet, l: Label, a: usize, b: usize| s.apply(&Edit::AddEntity { label: l, span: Span::new(a, b) }).unwrap();
        let a = add(add(add(doc.clone(), Label::Person, 0, 8), Label::Gpe, 26, 31), Label::Date, 35, 41);
        let b = add(add(doc, Label::Person, 13, 22), Label::Loc, 26, 31);
        Walk::new(Adjudication::new(&[("A".into(), a), ("B".into(), b)]).unwrap())
    }

    fn go(w: Walk, a: WalkAction) -> Walk {
        w.next(a).map_err(|(_, m)| m).unwrap()
    }

    #[test]
    fn deciding_moves_on_and_undo_restores() {
        let w = walk();
        assert_eq!(w.progress(), "0 of 4 settled");
        let w = go(w, WalkAction::Decide { decision: Decision::Take(0) });
        assert_eq!((w.settled(), w.current), (1, 1));
        let w = go(w, WalkAction::Decide { decision: Decision::TakeAll });
        let w = go(w, WalkAction::Go { index: 0 });
        let w = go(w, WalkAction::Decide { decision: Decision::Neither });
        assert_eq!(w.current, 2, "the next undecided one, skipping the settled");
        assert_eq!(w.decisions[0], Some(Decision::Neither));
        let w = go(w, WalkAction::Undo);
        assert_eq!((w.current, w.decisions[0].clone()), (0, Some(Decision::Take(0))));
        let w = go(w, WalkAction::Redo);
        assert_eq!(w.decisions[0], Some(Decision::Neither));
        let w = go(w, WalkAction::Clear);
        assert_eq!(w.decisions[0], None);
        assert!(w.clone().next(WalkAction::Redo).is_err(), "a new step drops the redo branch");
    }

    #[test]
    fn navigation_stays_in_range_and_bad_actions_are_refused() {
        let w = go(go(walk(), WalkAction::Prev), WalkAction::Prev);
        assert_eq!(w.current, 0);
        let w = (0..10).fold(w, |w, _| go(w, WalkAction::Next));
        assert_eq!(w.current, 3);
        let (w, m) = w.next(WalkAction::Decide { decision: Decision::Take(5) }).unwrap_err();
        assert!(m.contains("no annotator"), "{m}");
        assert!(w.next(WalkAction::Go { index: 9 }).is_err());
        assert!(walk().next(WalkAction::Undo).is_err());
    }

    #[test]
    fn highlights_cut_paragraphs_into_runs() {
        let w = go(go(walk(), WalkAction::Next), WalkAction::Next); // Paris: GPE in A, LOC in B
        let h = w.highlights();
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].annotator, h[1].annotator, h[0].part), (0, 1, Part::Entity));
        let r = runs(Span::new(20, 40), &h);
        let got: Vec<(usize, usize, usize)> = r.iter().map(|r| (r.span.start, r.span.end, r.covers.len())).collect();
        assert_eq!(got, [(20, 26, 0), (26, 31, 2), (31, 40, 0)]);
        assert_eq!(runs(Span::new(0, 5), &h), [Run { span: Span::new(0, 5), covers: vec![] }]);
    }

    #[test]
    fn curated_follows_the_decisions() {
        let w = walk();
        let w = (0..4).fold(w, |w, _| go(w, WalkAction::Decide { decision: Decision::Take(1) }));
        assert_eq!(w.progress(), "4 of 4 settled");
        let c = w.curated().unwrap();
        let labels: Vec<&str> = c.entities_in_order().iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["PERSON", "LOC"]);
        assert!(c.entities.iter().all(|e| e.origin == Origin::Curated));
    }
}

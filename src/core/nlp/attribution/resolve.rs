//! Linking sources to entities, and pronoun sources to their antecedents.
//!
//! A named source links to the PERSON (else ORG, GPE, NORP) entity inside its span. A
//! pronoun links to the most recent earlier entity it can refer to: "he"/"she" to a
//! PERSON of that gender (from a gendered title or honorific next to any mention of the
//! entity, from the given-name lexicon, or from an earlier pronoun resolved to it),
//! "it"/"they" to a recent organisation. When nothing fits, the pronoun stays
//! unresolved rather than guessed. Without entities (or when none fits), earlier named
//! sources serve as antecedents, so "She said …" can still name "Caroline Leavitt".

use super::context::Ctx;
use super::words::{gender_word, pronoun_kind, PronounKind};
use crate::core::model::annotation::{Entity, EntityId, Source};
use crate::core::model::label::Label;
use crate::core::model::span::Span;
use crate::core::nlp::fasthash::FxHashMap;

/// Gender of a given name, from the lexicon (None when the name is unknown or unisex).
/// Titles that are also rare given names ("Mayor") do not count.
fn name_gender(name: &str) -> Option<PronounKind> {
    use crate::core::nlp::lexicon::{gender_of_given_name, is_honorific, is_role, is_strong_given_name, Gender};
    if !is_strong_given_name(name) && (is_role(name) || is_honorific(name)) {
        return None;
    }
    match gender_of_given_name(name)? {
        Gender::Female => Some(PronounKind::Female),
        Gender::Male => Some(PronounKind::Male),
    }
}

/// A possible antecedent: an entity, or a named source when no entity covers it.
#[derive(Clone, Debug)]
struct Candidate {
    at: usize,
    entity: Option<EntityId>,
    name: String,
    kind: Kind,
    key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Person,
    Org,
    /// A named source that may be a person or an organisation ("Axios", "Leavitt").
    Unknown,
}

pub struct Resolver<'a> {
    entities: Vec<&'a Entity>,
    /// Gender per entity group key (canonical name, or the mention text).
    genders: FxHashMap<String, PronounKind>,
    /// Named sources seen so far, as fallback antecedents.
    named_sources: Vec<Candidate>,
    /// Where the latest named source starts and whether it is an organisation: "The
    /// Kremlin said … He added …" refers to an unnamed spokesperson, not to a person
    /// named before the Kremlin.
    last_source: Option<(usize, bool)>,
}

fn entity_key(e: &Entity, text: &str) -> String {
    match (&e.canonical, e.group) {
        (Some(c), _) => c.to_lowercase(),
        (None, Some(g)) => format!("#group{g}"),
        (None, None) => e.span.slice(text).unwrap_or("").to_lowercase(),
    }
}

/// The last capitalised run of a source ("White House spokeswoman Caroline Leavitt" →
/// "Caroline Leavitt"): the name a fallback antecedent is known by.
fn name_part(ctx: &Ctx, (a, b): (usize, usize)) -> Option<(String, String)> {
    let mut end = b;
    while end > a && !ctx.capitalised(end - 1) {
        end -= 1;
    }
    let mut start = end;
    while start > a && ctx.capitalised(start - 1) && ctx.is_word(start - 1) {
        start -= 1;
    }
    if start >= end {
        return None;
    }
    // Titles before the name ("Mayor", "Senator") are not part of it: start at a given name.
    if let Some(given) = (start..end.saturating_sub(1)).find(|&k| name_gender(ctx.raw(k)).is_some()) {
        start = given;
    }
    let span = ctx.span(start, end);
    let name = span.slice(ctx.text)?.to_string();
    let last = ctx.raw(end - 1).to_lowercase();
    Some((name, last))
}

impl<'a> Resolver<'a> {
    pub fn new(ctx: &Ctx, entities: &'a [Entity]) -> Resolver<'a> {
        let mut ents: Vec<&Entity> = entities
            .iter()
            .filter(|e| matches!(e.label, Label::Person | Label::Org | Label::Gpe | Label::Norp))
            .collect();
        ents.sort_by_key(|e| (e.span.start, e.span.end, e.id));
        let mut genders = FxHashMap::default();
        for e in ents.iter().filter(|e| e.label == Label::Person) {
            let key = entity_key(e, ctx.text);
            let k = ctx.token_at(e.span.start);
            // A gendered title right before the mention: "Mrs. Clinton", "spokeswoman Leavitt".
            let titled = (1..=2).filter_map(|d| k.checked_sub(d)).find_map(|t| gender_word(ctx.raw(t)));
            let named = e
                .canonical
                .as_deref()
                .or(e.span.slice(ctx.text))
                .and_then(|n| n.split_whitespace().next())
                .and_then(name_gender);
            if let Some(g) = titled.or(named) {
                genders.entry(key).or_insert(g);
            }
        }
        Resolver { entities: ents, genders, named_sources: Vec::new(), last_source: None }
    }

    /// The source for a draft's source tokens; records what it learns for later pronouns.
    pub fn resolve(&mut self, ctx: &Ctx, range: (usize, usize)) -> Source {
        let span = ctx.span(range.0, range.1);
        let single = range.1 == range.0 + 1;
        match pronoun_kind(ctx.raw(range.0)).filter(|_| single) {
            Some(kind) => self.resolve_pronoun(ctx, span, kind),
            None => self.resolve_named(ctx, span, range),
        }
    }

    fn resolve_named(&mut self, ctx: &Ctx, span: Span, range: (usize, usize)) -> Source {
        let rank = |l: &Label| match l {
            Label::Person => 0,
            Label::Org => 1,
            Label::Gpe => 2,
            _ => 3,
        };
        let inside = self
            .entities
            .iter()
            .filter(|e| span.contains(&e.span))
            .min_by_key(|e| (rank(&e.label), std::cmp::Reverse(e.span.start)));
        let gendered = (range.0..range.1).find_map(|k| gender_word(ctx.raw(k)));
        if let Some(e) = inside {
            if let (Some(g), Label::Person) = (gendered, &e.label) {
                self.genders.entry(entity_key(e, ctx.text)).or_insert(g);
            }
            self.last_source = Some((span.start, e.label != Label::Person));
            return Source { span, entity: Some(e.id), entity_text: None };
        }
        // No entity: remember the source's name as a fallback antecedent.
        if let Some((name, last)) = name_part(ctx, range) {
            let org_like = !ctx.capitalised(range.0) || ctx.word(range.0) == "the";
            let by_name = name.split_whitespace().next().filter(|_| name.contains(' ')).and_then(name_gender);
            let kind = match (gendered.or(by_name), org_like) {
                (Some(_), _) => Kind::Person,
                (None, true) => Kind::Org,
                (None, false) => Kind::Unknown,
            };
            if let Some(g) = gendered.or(by_name) {
                self.genders.entry(last.clone()).or_insert(g);
            }
            self.last_source = Some((span.start, kind == Kind::Org));
            self.named_sources.push(Candidate { at: span.start, entity: None, name, kind, key: last });
        }
        Source { span, entity: None, entity_text: None }
    }

    fn resolve_pronoun(&mut self, ctx: &Ctx, span: Span, kind: PronounKind) -> Source {
        let unresolved = Source { span, entity: None, entity_text: None };
        let mut cands: Vec<Candidate> = self
            .entities
            .iter()
            .filter(|e| e.span.end <= span.start)
            .filter_map(|e| {
                let k = match e.label {
                    Label::Person => Kind::Person,
                    Label::Org => Kind::Org,
                    _ => return None,
                };
                let name = e.canonical.clone().or_else(|| e.span.slice(ctx.text).map(str::to_string))?;
                Some(Candidate { at: e.span.start, entity: Some(e.id), name, kind: k, key: entity_key(e, ctx.text) })
            })
            .collect();
        cands.extend(self.named_sources.iter().filter(|c| c.at < span.start).cloned());
        cands.sort_by_key(|c| c.at);
        let here = ctx.sent_of.get(ctx.token_at(span.start)).copied().unwrap_or(0);
        let sentence_of = |c: &Candidate| ctx.sent_of.get(ctx.token_at(c.at)).copied().unwrap_or(0);
        let chosen = match kind {
            PronounKind::Male | PronounKind::Female => {
                let known = cands
                    .iter()
                    .rev()
                    .filter(|c| c.kind != Kind::Org)
                    .find(|c| self.genders.get(&c.key) == Some(&kind));
                // No person of that gender is known: a recent person of unknown gender.
                known.cloned().or_else(|| {
                    cands
                        .iter()
                        .rev()
                        .filter(|c| c.kind == Kind::Person && here.saturating_sub(sentence_of(c)) <= 2)
                        .find(|c| !self.genders.contains_key(&c.key))
                        .cloned()
                })
            }
            PronounKind::Neuter | PronounKind::Plural => cands
                .iter()
                .rev()
                .take_while(|c| here.saturating_sub(sentence_of(c)) <= 2)
                .find(|c| c.kind == Kind::Org)
                .cloned(),
            PronounKind::Speaker => None,
        };
        let Some(c) = chosen else { return unresolved };
        let org_between = self.last_source.is_some_and(|(at, org)| org && at > c.at && at < span.start);
        if org_between && matches!(kind, PronounKind::Male | PronounKind::Female) {
            return unresolved;
        }
        if matches!(kind, PronounKind::Male | PronounKind::Female) {
            self.genders.entry(c.key.clone()).or_insert(kind);
        }
        match c.entity {
            Some(id) => Source { span, entity: Some(id), entity_text: None },
            None => Source { span, entity: None, entity_text: Some(c.name) },
        }
    }
}

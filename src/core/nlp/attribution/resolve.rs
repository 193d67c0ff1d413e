//! Linking sources to entities, and pronoun sources to their antecedents.
//!
//! A named source links to the PERSON (else ORG, GPE, NORP) entity inside its span. A
//! pronoun links to an earlier entity it can refer to: "he"/"she" to a PERSON of that
//! gender (from a gendered title or honorific next to any mention of the entity, from the
//! given-name lexicon, or from an earlier pronoun resolved to it), "it"/"they" to a recent
//! organisation. Among the people that fit, the most salient one of the last few
//! sentences wins (see `Resolver::salience`): the subject of its clause and the speaker of an
//! earlier attribution over a name in an object, a possessive ("Trump's running mate") or
//! a quotation; never a name quoted in the attribution's own content (“… Donald Trump
//! lost me,” he said). When nothing fits, the pronoun stays unresolved rather than guessed.
//! Without entities (or when none fits), earlier named sources serve as antecedents, so
//! "She said …" can still name "Caroline Leavitt".

use super::context::Ctx;
use super::cues::{cue_word, Form};
use super::words::{gender_word, is_adverb, is_in, pronoun_kind, PronounKind, AUXILIARIES};
use crate::core::model::annotation::{Entity, EntityId, Source};
use crate::core::model::label::Label;
use crate::core::model::span::Span;
use crate::core::nlp::fasthash::FxHashMap;
use crate::core::nlp::tokenize::TokenKind;

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
    /// Where the mention ends (byte offset).
    until: usize,
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
    /// Earlier sources that named a person (an entity, a name, or a resolved pronoun),
    /// as antecedent mentions that were speakers: byte offset and group key.
    speakers: Vec<Candidate>,
    /// The main clause's subject of each sentence, once asked (token range).
    subjects: FxHashMap<usize, Option<(usize, usize)>>,
}

/// How far back (in sentences) the salience of a mention reaches; beyond it, the most
/// recent person of the pronoun's gender is taken as before.
const SALIENCE_WINDOW: usize = 4;

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
        Resolver {
            entities: ents,
            genders,
            named_sources: Vec::new(),
            last_source: None,
            speakers: Vec::new(),
            subjects: FxHashMap::default(),
        }
    }

    /// The source for a draft's source tokens, given its content's token ranges (no
    /// antecedent inside them); records what it learns for later pronouns.
    pub fn resolve(&mut self, ctx: &Ctx, range: (usize, usize), content: &[(usize, usize)]) -> Source {
        let span = ctx.span(range.0, range.1);
        let single = range.1 == range.0 + 1;
        let source = match pronoun_kind(ctx.raw(range.0)).filter(|_| single) {
            Some(kind) => self.resolve_pronoun(ctx, span, kind, content),
            None => self.resolve_named(ctx, span, range),
        };
        self.note_speaker(ctx, &source);
        source
    }

    /// Remembers a source that names a person as a speaker mention.
    fn note_speaker(&mut self, ctx: &Ctx, source: &Source) {
        let found = match (source.entity, &source.entity_text) {
            (Some(id), _) => self.entities.iter().find(|e| e.id == id && e.label == Label::Person).map(|e| {
                let name = e.canonical.clone().or_else(|| e.span.slice(ctx.text).map(str::to_string)).unwrap_or_default();
                (Some(id), name, entity_key(e, ctx.text))
            }),
            (None, Some(name)) => self.named_sources.iter().rev().find(|c| &c.name == name).map(|c| (None, name.clone(), c.key.clone())),
            (None, None) => None,
        };
        if let Some((entity, name, key)) = found {
            self.speakers.push(Candidate { at: source.span.start, until: source.span.end, entity, name, kind: Kind::Person, key });
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
            self.named_sources.push(Candidate { at: span.start, until: span.end, entity: None, name, kind, key: last });
        }
        Source { span, entity: None, entity_text: None }
    }

    fn resolve_pronoun(&mut self, ctx: &Ctx, span: Span, kind: PronounKind, content: &[(usize, usize)]) -> Source {
        let unresolved = Source { span, entity: None, entity_text: None };
        // A name quoted in the attribution's own content is in the speaker's words, not
        // the speaker ("“… Donald Trump lost me,” he said"); an indirect content's subject
        // may well be ("Shays was pro Kasich, he said").
        let inside_content = |at: usize| {
            let t = ctx.token_at(at);
            ctx.quoted.get(t).copied().unwrap_or(false) && content.iter().any(|&(a, b)| a <= t && t < b)
        };
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
                Some(Candidate { at: e.span.start, until: e.span.end, entity: Some(e.id), name, kind: k, key: entity_key(e, ctx.text) })
            })
            .collect();
        cands.extend(self.named_sources.iter().filter(|c| c.at < span.start).cloned());
        cands.retain(|c| !inside_content(c.at));
        cands.sort_by_key(|c| c.at);
        let here = ctx.sent_of.get(ctx.token_at(span.start)).copied().unwrap_or(0);
        let sentence_of = |c: &Candidate| ctx.sent_of.get(ctx.token_at(c.at)).copied().unwrap_or(0);
        let chosen = match kind {
            PronounKind::Male | PronounKind::Female => {
                let salient = self.most_salient(ctx, span, &cands, kind);
                let known = salient.or_else(|| {
                    cands.iter().rev().find(|c| c.kind != Kind::Org && self.genders.get(&c.key) == Some(&kind)).cloned()
                });
                // No person of that gender is known: a recent person of unknown gender.
                known.or_else(|| {
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

    /// The main clause's subject of sentence `si` (cached).
    fn subject_of(&mut self, ctx: &Ctx, si: usize) -> Option<(usize, usize)> {
        *self.subjects.entry(si).or_insert_with(|| ctx.sents.get(si).and_then(|&(s0, s1)| ctx.sentence_subject(s0, s1)))
    }

    /// How prominent a mention is for a pronoun at `pron` (after Lappin and Leass, 1994):
    /// 1 for a plain mention, +1 as the main clause's subject (+0.5 as another clause's),
    /// +0.8 as an earlier speaker (or the one a question was put to: "Conroy asked Sanders
    /// whether …" — “…,” he said); a possessive ("Trump's running mate") counts half, a
    /// mention in a fronted adverbial clause 0.6, a name quoted in someone's words (the
    /// pronoun outside the quotation) a third; halved for every sentence back.
    fn salience(&mut self, ctx: &Ctx, pron: usize, c: &Candidate, speaker: bool) -> f32 {
        let k = ctx.token_at(c.at);
        let p = ctx.token_at(pron);
        let (sk, sp) = (ctx.sent_of.get(k).copied().unwrap_or(0), ctx.sent_of.get(p).copied().unwrap_or(0));
        // The mention's last token: possessive when "'s" follows it or ends it.
        let end = ctx.token_at(c.until).saturating_sub(1).max(k);
        let possessive = ctx.kind(end) == Some(TokenKind::Possessive) || ctx.kind(end + 1) == Some(TokenKind::Possessive);
        // "X asked Sanders whether …": the one asked answers next, like a speaker.
        let mut before = k;
        while before > 0 && ctx.kind(before - 1) == Some(TokenKind::Abbreviation) {
            before -= 1;
        }
        let asked = before > 0
            && matches!(ctx.word(before - 1), "asked" | "pressed" | "questioned")
            && !ctx.quoted.get(k).copied().unwrap_or(true);
        let speaker = speaker || asked;
        let main = self.subject_of(ctx, sk);
        let mut w = 1.0;
        if !possessive {
            if speaker || main.is_some_and(|(a, b)| a <= k && k < b) {
                w += 1.0;
            } else if self.before_verb(ctx, end) {
                w += 0.5;
            }
        }
        if speaker {
            w += 0.8;
        }
        // Inside a fronted adverbial clause ("While Trump has yet to endorse him, …").
        if main.is_some_and(|(a, _)| k < a) && ctx.sents.get(sk).is_some_and(|&(s0, _)| s0 <= k) {
            w *= 0.6;
        }
        if possessive {
            w *= 0.5;
        }
        if ctx.quoted.get(k).copied().unwrap_or(false) && !ctx.quoted.get(p).copied().unwrap_or(false) {
            w /= 3.0;
        }
        w * 0.5f32.powi(i32::try_from(sp.saturating_sub(sk)).unwrap_or(i32::MAX))
    }

    /// A name right before a verb of its own, maybe past an appositive ("… Scarborough has
    /// also flirted", "Pence — Indiana's governor — has"): the subject of some clause.
    fn before_verb(&self, ctx: &Ctx, end: usize) -> bool {
        let verb = |t: usize| {
            let w = ctx.word(t);
            ctx.is_word(t) && !ctx.capitalised(t) && (is_in(AUXILIARIES, w) || is_adverb(w) || cue_word(w).is_some_and(|c| matches!(c.form, Form::Past | Form::ThirdPerson)))
        };
        let t = end + 1;
        if matches!(ctx.raw(t), "," | "—" | "–") {
            // The appositive closes here, or opens: its verb is after its closing mark.
            return verb(t + 1) || (t + 1..(t + 12).min(ctx.tokens.len())).find(|&u| ctx.raw(u) == ctx.raw(t)).is_some_and(|u| verb(u + 1));
        }
        verb(t)
    }

    /// The person of the last few sentences with the highest salience among those of the
    /// pronoun's gender, as its latest mention; `None` when none is that recent.
    fn most_salient(&mut self, ctx: &Ctx, span: Span, cands: &[Candidate], kind: PronounKind) -> Option<Candidate> {
        let fits = |c: &Candidate| c.kind != Kind::Org && self.genders.get(&c.key) == Some(&kind);
        let here = ctx.sent_of.get(ctx.token_at(span.start)).copied().unwrap_or(0);
        let recent = |c: &Candidate| here.saturating_sub(ctx.sent_of.get(ctx.token_at(c.at)).copied().unwrap_or(0)) <= SALIENCE_WINDOW;
        let speakers: Vec<Candidate> = self
            .speakers
            .iter()
            .filter(|c| c.at < span.start && recent(c))
            .cloned()
            .collect();
        let mut best: Option<(f32, Candidate)> = None;
        let mentions = cands.iter().filter(|c| recent(c)).map(|c| (c, false)).chain(speakers.iter().map(|c| (c, true)));
        let mentions: Vec<(Candidate, bool)> = mentions.filter(|(c, _)| fits(c)).map(|(c, s)| (c.clone(), s)).collect();
        // Per person (group key): the best of its mentions, then its latest mention.
        let mut keys: Vec<&str> = mentions.iter().map(|(c, _)| c.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let mut score = 0.0f32;
            // The latest mention, an entity's over a bare name (it links the source).
            let mut latest: Option<&Candidate> = None;
            for (c, speaker) in mentions.iter().filter(|(c, _)| c.key == key) {
                score = score.max(self.salience(ctx, span.start, c, *speaker));
                if latest.is_none_or(|l| (c.entity.is_some(), c.at) >= (l.entity.is_some(), l.at)) {
                    latest = Some(c);
                }
            }
            let Some(latest) = latest else { continue };
            let better = best.as_ref().is_none_or(|(s, b)| score > *s || (score == *s && latest.at > b.at));
            if better {
                best = Some((score, latest.clone()));
            }
        }
        best.map(|(_, c)| c)
    }
}

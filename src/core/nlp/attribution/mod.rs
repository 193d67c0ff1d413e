//! Attributions: who said what. Finds reporting frames around cue words (see
//! [`patterns`]), links sources to entities and pronouns to antecedents (see
//! [`resolve`]) and classifies each content as direct, indirect or mixed.
//!
//! Deterministic, never panics; every attribution is `origin: auto`,
//! `status: suggested`, with a confidence from the frame and the cue's strength.
//!
//! ```
//! use newsmark::core::{nlp::{attribution, sentence::sentences, tokenize::tokenize}, Kind};
//! let text = "“We will win,” White House spokeswoman Caroline Leavitt said.";
//! let tokens = tokenize(text);
//! let found = attribution::find(text, &tokens, &sentences(text, &tokens), &[], &[]);
//! assert_eq!(found.len(), 1);
//! let a = &found[0];
//! let src = a.source.as_ref().unwrap().span;
//! assert_eq!(&text[src.start..src.end], "White House spokeswoman Caroline Leavitt");
//! assert_eq!(a.kind, Kind::Direct);
//! ```

pub mod context;
pub mod continued;
pub mod cues;
pub mod detached;
pub mod learned;
pub mod lines;
pub mod patterns;
pub mod resolve;
pub mod subject;
pub mod words;

use crate::core::model::annotation::{AnnotationSet, Attribution, AttributionId, Boilerplate, Entity, Kind, Origin, Status};
use crate::core::model::span::{Extent, Span};
use crate::core::nlp::tokenize::{QuoteMark, Token, TokenKind};
use context::Ctx;
use cues::Strength;
use patterns::{drafts, Draft, Frame};

/// Finds the attributions of a text. `entities` may be empty (sources are then plain
/// spans); attributions inside `boilerplate` are not suggested. Ids are placeholders:
/// [`add_to`] gives them fresh ids.
pub fn find(
    text: &str,
    tokens: &[Token],
    sentences: &[Span],
    entities: &[Entity],
    boilerplate: &[Boilerplate],
) -> Vec<Attribution> {
    find_with(text, tokens, &crate::core::nlp::tokenize::lower_forms(text, tokens), sentences, entities, boilerplate)
}

/// [`find`] with the tokens' lower case already made by
/// [`crate::core::nlp::tokenize::lower_forms`] (the pipeline makes it once for the rules and
/// the attribution patterns).
pub fn find_with(
    text: &str,
    tokens: &[Token],
    lows: &(String, Vec<(usize, usize)>),
    sentences: &[Span],
    entities: &[Entity],
    boilerplate: &[Boilerplate],
) -> Vec<Attribution> {
    find_using(text, tokens, lows, sentences, entities, boilerplate, learned::embedded(), learned::DEFAULT_MODE)
}

/// [`find_with`] with a given learned model (or none) and way of combining it with the
/// rules (training and measurement use this; the app uses the embedded model).
#[allow(clippy::too_many_arguments)]
pub fn find_using(
    text: &str,
    tokens: &[Token],
    lows: &(String, Vec<(usize, usize)>),
    sentences: &[Span],
    entities: &[Entity],
    boilerplate: &[Boilerplate],
    model: Option<&learned::Model>,
    mode: learned::Mode,
) -> Vec<Attribution> {
    let zones: Vec<Span> = boilerplate.iter().map(|b| b.span).collect();
    let ctx = Ctx::new(text, tokens, lows, sentences, &zones);
    let mut resolver = resolve::Resolver::new(&ctx, entities);
    let mut out: Vec<Attribution> = Vec::new();
    let mut seen: Vec<Vec<(usize, usize)>> = Vec::new();
    let rules = drafts(&ctx);
    let mut all = if model.is_none() || mode == learned::Mode::Rules {
        rules
    } else {
        learned::decide(model, &ctx, learned::features::View::new(&ctx, entities, rules), mode)
    };
    detached::attach(&ctx, &mut all);
    continued::extend(&ctx, &mut all);
    for d in all {
        if seen.contains(&d.content) {
            continue;
        }
        let Some(content) = extent(&ctx, &d) else { continue };
        let source = d.source.map(|r| resolver.resolve(&ctx, r, &d.content));
        let kind = kind_of(&ctx, &d);
        let unresolved_pronoun = source.as_ref().is_some_and(|s| {
            s.entity.is_none()
                && s.entity_text.is_none()
                && s.span.slice(text).and_then(words::pronoun_kind).is_some()
        });
        let mut confidence = confidence(&d, kind);
        if unresolved_pronoun {
            confidence *= 0.9;
        }
        seen.push(d.content.clone());
        out.push(Attribution {
            id: AttributionId(0),
            kind,
            source,
            cue: Some(ctx.span(d.cue.0, d.cue.1)),
            content,
            origin: Origin::Auto,
            status: Status::Suggested,
            confidence,
        });
    }
    out
}

/// Adds found attributions to a set, each with a fresh id.
pub fn add_to(set: &mut AnnotationSet, found: Vec<Attribution>) {
    for mut a in found {
        a.id = AttributionId(set.fresh_id());
        set.attributions.push(a);
    }
}

fn extent(ctx: &Ctx, d: &Draft) -> Option<Extent> {
    let spans: Vec<Span> = d.content.iter().map(|&r| ctx.span(r.0, r.1)).filter(|s| !s.is_empty()).collect();
    Extent::from_fragments(spans).ok()
}

/// Whether token range `r` is exactly one quotation (opening to closing mark).
fn is_quotation(ctx: &Ctx, (a, b): (usize, usize)) -> bool {
    b > a && ctx.opening(a).is_some_and(|q| q.close == Some(b - 1) && quotes_speech(q.mark))
}

/// Only double marks, guillemets and corner brackets quote speech (and make it direct);
/// single marks in English news mostly quote a word or a headline phrase.
pub(super) fn quotes_speech(mark: QuoteMark) -> bool {
    matches!(mark, QuoteMark::Double | QuoteMark::Guillemet | QuoteMark::Corner)
}

fn kind_of(ctx: &Ctx, d: &Draft) -> Kind {
    if d.content.iter().all(|&r| is_quotation(ctx, r)) {
        return Kind::Direct;
    }
    let quoted = d.content.iter().any(|&(a, b)| {
        (a..b).any(|k| matches!(ctx.kind(k), Some(TokenKind::Quote(q)) if quotes_speech(q.mark)))
    });
    if quoted {
        Kind::Mixed
    } else {
        Kind::Indirect
    }
}

fn confidence(d: &Draft, kind: Kind) -> f32 {
    let base: f32 = match d.frame {
        Frame::Postposed | Frame::Inverted => 0.85,
        Frame::According => 0.85,
        Frame::Preposed => 0.75,
        Frame::Colon | Frame::Line => 0.75,
        Frame::Participial => 0.7,
        Frame::Learned => 0.7,
    };
    let strength = if d.strength == Strength::Speech { 1.0 } else { 0.7 };
    let quoted = if kind == Kind::Indirect { 1.0 } else { 1.1 };
    (base * strength * quoted).min(0.95)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{EntityId, Status as St};
    use crate::core::model::label::Label;
    use crate::core::{nlp::{sentence::sentences, tokenize::tokenize}};

    /// (kind, source, cue, content fragments joined by " … ") of each attribution.
    fn run(text: &str, entities: &[Entity]) -> Vec<(Kind, String, String, String)> {
        let tokens = tokenize(text);
        let s = |sp: Span| sp.slice(text).unwrap_or("?").to_string();
        find(text, &tokens, &sentences(text, &tokens), entities, &[])
            .into_iter()
            .map(|a| {
                let content: Vec<String> = a.content.fragments().iter().map(|f| s(*f)).collect();
                (a.kind, a.source.map(|x| s(x.span)).unwrap_or_default(), a.cue.map(s).unwrap_or_default(), content.join(" … "))
            })
            .collect()
    }

    #[test]
    fn frames() {
        use Kind::*;
        let cases: &[(&str, &[(Kind, &str, &str, &str)])] = &[
            ("Rubio confirmed that the plan will be presented.", &[(Indirect, "Rubio", "confirmed", "the plan will be presented")]),
            (
                "However, Russian President Vladimir Putin has repeatedly stated that Russia does not want a truce, arguing that NATO could rearm Ukraine.",
                &[
                    (Indirect, "Russian President Vladimir Putin", "stated", "Russia does not want a truce"),
                    (Indirect, "Russian President Vladimir Putin", "arguing", "NATO could rearm Ukraine"),
                ],
            ),
            ("“We will win,” the minister said.", &[(Direct, "the minister", "said", "“We will win,”")]),
            ("“We will win,” said Josh Earnest, a spokesman.", &[(Direct, "Josh Earnest", "said", "“We will win,”")]),
            (
                "“We will win,” she said, “and soon.”",
                &[(Direct, "she", "said", "“We will win,” … “and soon.”")],
            ),
            (
                "According to sources cited by Reuters, the Kremlin is unlikely to accept the offer.",
                &[(Indirect, "sources cited by Reuters", "According to", "the Kremlin is unlikely to accept the offer")],
            ),
            (
                "The Kremlin is unlikely to accept the offer, according to Reuters.",
                &[(Indirect, "Reuters", "according to", "The Kremlin is unlikely to accept the offer")],
            ),
            (
                "Reports from Bloomberg suggest that Witkoff is expected to meet Putin.",
                &[(Indirect, "Reports from Bloomberg", "suggest", "Witkoff is expected to meet Putin")],
            ),
            ("Smith told reporters that the talks had failed.", &[(Indirect, "Smith", "told", "the talks had failed")]),
            (
                "The Kremlin said on Wednesday that Moscow is waiting for “a brief.”",
                &[(Mixed, "The Kremlin", "said", "Moscow is waiting for “a brief.”")],
            ),
            ("She did not reveal whom he would meet.", &[]),
            ("He has not said that he will run.", &[]),
            (
                "He did not rule out a call, saying such a call could be arranged quickly.",
                &[(Indirect, "He", "saying", "such a call could be arranged quickly")],
            ),
            (
                "Leavitt reported that Waltz had a call on March 12, though she hasn’t disclosed any details.",
                &[(Indirect, "Leavitt", "reported", "Waltz had a call on March 12")],
            ),
            (
                "Steve Witkoff, Trump’s envoy, said the talks went well.",
                &[(Indirect, "Steve Witkoff, Trump’s envoy", "said", "the talks went well")],
            ),
            ("The New York Times reports:\n\n\"It is late.\"", &[(Direct, "The New York Times", "reports", "\"It is late.\"")]),
            ("Sources cited by the agency were wrong.", &[]),
            (
                "Shays was pro Kasich while the governor was running, he said Wednesday on MSNBC’s “Morning Joe.”",
                &[(Indirect, "he", "said", "Shays was pro Kasich while the governor was running")],
            ),
            ("", &[]),
        ];
        for (text, want) in cases {
            let got = run(text, &[]);
            let want: Vec<(Kind, String, String, String)> =
                want.iter().map(|(k, s, c, t)| (*k, s.to_string(), c.to_string(), t.to_string())).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    fn entity(id: u32, label: Label, text: &str, needle: &str, canonical: &str) -> Entity {
        let start = text.find(needle).unwrap();
        Entity {
            id: EntityId(id),
            label,
            span: Span::new(start, start + needle.len()),
            origin: Origin::Auto,
            status: St::Suggested,
            confidence: 0.9,
            canonical: Some(canonical.to_string()),
            group: Some(id),
        }
    }

    #[test]
    fn pronouns_resolve_to_compatible_entities() {
        let text = "“A plan,” White House spokeswoman Caroline Leavitt said. Steve Witkoff will fly. She said that it was good. He said that it was fine.";
        let ents = vec![
            entity(1, Label::Person, text, "Caroline Leavitt", "Caroline Leavitt"),
            entity(2, Label::Person, text, "Steve Witkoff", "Steve Witkoff"),
        ];
        let tokens = tokenize(text);
        let found = find(text, &tokens, &sentences(text, &tokens), &ents, &[]);
        let linked: Vec<Option<EntityId>> = found.iter().map(|a| a.source.as_ref().and_then(|s| s.entity)).collect();
        assert_eq!(linked, [Some(EntityId(1)), Some(EntityId(1)), Some(EntityId(2))]);
    }

    /// The most salient person wins, not the nearest: a clause's subject over a possessive,
    /// the one a question was put to, never a name quoted in the speaker's own words.
    #[test]
    fn pronouns_resolve_to_the_salient_person() {
        let source_of = |text: &str, names: &[(&str, &str)], cue: &str| {
            let ents: Vec<Entity> =
                names.iter().enumerate().map(|(i, (m, c))| entity(u32::try_from(i).unwrap() + 1, Label::Person, text, m, c)).collect();
            let tokens = tokenize(text);
            let found = find(text, &tokens, &sentences(text, &tokens), &ents, &[]);
            let at = text.find(cue).unwrap();
            let a = found.iter().find(|a| a.cue.is_some_and(|c| c.start == at)).expect("the attribution");
            let id = a.source.as_ref().and_then(|s| s.entity).expect("a linked source");
            ents.iter().find(|e| e.id == id).and_then(|e| e.canonical.clone()).unwrap()
        };
        let text = "Mr. Scarborough has flirted with the idea of being Mr. Trump's running mate, though he has denied that he would consider it.";
        assert_eq!(source_of(text, &[("Scarborough", "Joe Scarborough"), ("Trump", "Donald Trump")], "denied"), "Joe Scarborough");
        let text = "Mr. Shays spoke on Wednesday. “Hillary is my choice. Donald Trump lost me a long time ago,” he said.";
        assert_eq!(source_of(text, &[("Shays", "Chris Shays"), ("Donald Trump", "Donald Trump")], "said."), "Chris Shays");
        let text = "Last month, Mr. Conroy asked Mr. Sanders whether his health was fair game. “Sure it is,” he said.";
        assert_eq!(source_of(text, &[("Conroy", "Scott Conroy"), ("Sanders", "Bernie Sanders")], "said."), "Bernie Sanders");
    }

    #[test]
    fn pronouns_fall_back_to_named_sources_without_entities() {
        let text = "“A plan,” White House spokeswoman Caroline Leavitt said. She said that it was good. He said that it was fine.";
        let tokens = tokenize(text);
        let found = find(text, &tokens, &sentences(text, &tokens), &[], &[]);
        let names: Vec<Option<String>> = found.iter().map(|a| a.source.as_ref().and_then(|s| s.entity_text.clone())).collect();
        // "He" has no compatible antecedent: unresolved, not guessed.
        assert_eq!(names, [None, Some("Caroline Leavitt".to_string()), None]);
    }

    #[test]
    fn suggestions_are_auto_and_scored() {
        let text = "Smith said that it rained.";
        let tokens = tokenize(text);
        for a in find(text, &tokens, &sentences(text, &tokens), &[], &[]) {
            assert_eq!((a.origin, a.status), (Origin::Auto, Status::Suggested));
            assert!(a.confidence > 0.0 && a.confidence <= 1.0);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics_and_spans_are_valid(text in "\\PC{0,120}|([A-Z][a-z]{0,6}|said|told|that|according|to|saying|“|”|\"|,|\\.|\\n| ){0,40}") {
            let tokens = tokenize(&text);
            for a in find(&text, &tokens, &sentences(&text, &tokens), &[], &[]) {
                for f in a.content.fragments() {
                    proptest::prop_assert!(f.is_valid_in(&text) && !f.is_empty());
                }
                if let Some(s) = &a.source { proptest::prop_assert!(s.span.is_valid_in(&text)); }
                if let Some(c) = &a.cue { proptest::prop_assert!(c.is_valid_in(&text)); }
            }
        }
    }
}

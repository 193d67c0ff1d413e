//! Postposed cues that the sentence splitter cut off from their quotation:
//! `“How many times …?” Clinton said.` — a quotation ending in "?" or "!" before a
//! capitalised name ends a sentence (as it must: “Will we?” Smith left.), so the name and
//! its cue open the next sentence, and the frames, which look for the quotation inside the
//! cue's sentence, find nothing on its left. (With a comma, “…,” Clinton said, the quote
//! and the cue share a sentence and the postposed frame takes them.)
//!
//! Applied after the rules and the model are combined, like [`super::continued`] (which
//! then adds the bare quotations that follow: “…?” Clinton said. “…”), so that the
//! training's drafts and the shipped model are untouched.

use super::context::Ctx;
use super::cues::{cue_word, Form, Strength};
use super::patterns::{Draft, Frame};
use super::quotes_speech;

/// At most this many tokens between the sentence start and the cue (the source).
const MAX_SOURCE: usize = 24;

/// The quotation that ends just before token `t0` with "?" or "!" inside its closing mark,
/// as a token range: outermost, double-marked, closed.
fn asked_quotation(ctx: &Ctx, t0: usize) -> Option<(usize, usize)> {
    let close = t0.checked_sub(1)?;
    let q = ctx.closing(close)?;
    let mark = ctx.raw(close.checked_sub(1)?);
    let asks = !mark.is_empty() && mark.chars().all(|c| c == '?' || c == '!');
    // A quotation of a word or two is a title or a slogan, not someone's words.
    (quotes_speech(q.mark) && q.depth == 0 && asks && close >= q.open + 3).then_some((q.open, t0))
}

/// The cue of "Clinton said." / "Sen. Lindsey Graham asked, …" opening the sentence
/// `(t0, t1)`: a past or present reporting verb after a noun phrase that starts the
/// sentence, with only adjuncts after it; the cue's token and the source's range.
fn opening_cue(ctx: &Ctx, t0: usize, t1: usize) -> Option<(usize, (usize, usize), Strength)> {
    if !ctx.capitalised(t0) || !ctx.is_word(t0) {
        return None;
    }
    let c = (t0 + 1..t1.min(t0 + MAX_SOURCE + 1)).find(|&k| ctx.is_word(k) && !ctx.capitalised(k) && cue_word(ctx.word(k)).is_some())?;
    let cue = cue_word(ctx.word(c))?;
    // Weak cues count too: after a quoted question or outcry, "asked", "demanded" and
    // "wondered" report it.
    if !matches!(cue.form, Form::Past | Form::ThirdPerson) || ctx.excluded[c] || ctx.quoted[c] {
        return None;
    }
    let left = ctx.left_of(c, t0);
    if left.negated || left.passive || left.infinitive {
        return None;
    }
    // The source must be all that stands before the cue (adverbs and auxiliaries aside):
    // a noun phrase, or a name and its appositives up to a comma before the cue
    // ("Smith's niece, state Del. Mary Price (D-Va.), shouted"), whose first part is a
    // noun phrase.
    let source = if left.boundary.is_none() && left.chunk.0 == t0 && left.chunk.1 > t0 && ctx.np_ok(left.chunk) {
        left.chunk
    } else {
        let comma = left.boundary.filter(|&b| ctx.is(b, ",") && left.chunk.0 == left.chunk.1)?;
        let first = (t0..comma).find(|&k| ctx.is(k, ","))?;
        let clean = (t0..comma).all(|k| !ctx.is_terminal(k) && !ctx.is(k, ";") && !ctx.is(k, ":"));
        (clean && ctx.np_ok((t0, first))).then_some((t0, comma))?
    };
    // Adjuncts ("to the crowd", ", looking out on …") may follow, a content may not
    // ("Clinton said the plan …" is a frame of its own).
    ctx.tail(c + 1, t1, cue)?;
    Some((c, source, cue.strength))
}

/// Adds (or corrects) the drafts of cues that open the sentence after a question or
/// exclamation in quotation marks.
pub fn attach(ctx: &Ctx, drafts: &mut Vec<Draft>) {
    for s in 1..ctx.sents.len() {
        let (t0, t1) = ctx.sents[s];
        if t0 == 0 || ctx.newline_between(t0 - 1, t0) || ctx.excluded[t0] {
            continue;
        }
        let Some(quote) = asked_quotation(ctx, t0) else { continue };
        let Some((c, source, strength)) = opening_cue(ctx, t0, t1) else { continue };
        let overlaps = |r: (usize, usize)| r.0 < quote.1 && quote.0 < r.1;
        // A quotation that is already someone's content, or holds a cue, is theirs.
        let owned = drafts.iter().any(|d| d.cue.0 != c && (overlaps(d.cue) || d.content.iter().any(|&f| overlaps(f))));
        if owned {
            continue;
        }
        let draft = Draft { source: Some(source), cue: (c, c + 1), content: vec![quote], frame: Frame::Postposed, strength };
        match drafts.iter().position(|d| d.cue.0 == c) {
            // The model found the cue but, the quotation being in another sentence, chose a
            // content next to it: the quotation is the cue's content.
            Some(i) if !drafts[i].content.iter().any(|&f| overlaps(f)) => drafts[i] = draft,
            Some(_) => {}
            None => {
                let at = drafts.partition_point(|d| d.cue.0 < c);
                drafts.insert(at, draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::nlp::attribution::{find_using, learned};
    use crate::core::nlp::{sentence::sentences, tokenize};

    /// (source, cue, content fragments joined by " … ") of each attribution.
    fn found(text: &str) -> Vec<(String, String, String)> {
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        find_using(text, &tokens, &lows, &sentences(text, &tokens), &[], &[], learned::embedded(), learned::DEFAULT_MODE)
            .into_iter()
            .map(|a| {
                let src = a.source.and_then(|s| s.span.slice(text).map(str::to_string)).unwrap_or_default();
                let cue = a.cue.and_then(|s| s.slice(text).map(str::to_string)).unwrap_or_default();
                let content = a.content.fragments().iter().map(|f| f.slice(text).unwrap_or("")).collect::<Vec<_>>().join(" … ");
                (src, cue, content)
            })
            .collect()
    }

    #[test]
    fn a_cue_after_a_quoted_question_takes_the_question() {
        let t = |s: &str, c: &str, q: &str| (s.to_string(), c.to_string(), q.to_string());
        let cases: &[(&str, Vec<(String, String, String)>)] = &[
            (
                "“Why is the budget still not ready after six months?” Senator Mary Holt asked.",
                vec![t("Senator Mary Holt", "asked", "“Why is the budget still not ready after six months?”")],
            ),
            (
                "\"We will never give up on this town!\" Jones shouted to the crowd.",
                vec![t("Jones", "shouted", "\"We will never give up on this town!\"")],
            ),
            // A name and its appositives up to the comma before the cue.
            (
                "“Who will pay for the new bridge now?” Mayor Ann Lee's aide, Tom Reyes (Ward 4), asked at the meeting.",
                vec![t("Mayor Ann Lee's aide, Tom Reyes (Ward 4)", "asked", "“Who will pay for the new bridge now?”")],
            ),
            // The bare quotation after it goes on with the same speaker (continued.rs).
            (
                "“How long must the families wait?” Holt said. “They have waited long enough.”",
                vec![t("Holt", "said", "“How long must the families wait?” … “They have waited long enough.”")],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&found(text), want, "{text}");
        }
    }

    #[test]
    fn other_sentences_after_a_quoted_question_are_left_alone() {
        // No cue, a content of the cue's own, a negated cue, a one-word quotation.
        for text in [
            "“Why is the budget still not ready after six months?” Holt left the room.",
            "“Why is the budget still not ready after six months?” Holt said the delay was costly.",
            "“Why is the budget still not ready after six months?” Holt did not say.",
            "They chanted “Why?” Holt said nothing.",
            "“Why is the budget still not ready after six months?” Holt, who chairs the panel; said nothing.",
        ] {
            let got = found(text);
            // (The model may make what it likes of "chanted"; the question is not Holt's.)
            assert!(!got.iter().any(|(src, _, c)| src == "Holt" && c.starts_with('“')), "{text}: {got:?}");
        }
    }
}

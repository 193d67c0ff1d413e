//! Line-shaped frames, found per line rather than per sentence:
//!
//! - transcript turns: `WALLACE: Let’s start …` — an upper-case speaker label and a colon
//!   open the line, the rest of the line is what they said;
//! - signed pull quotes: `“…” ― Sonya Herridge` — a quotation, a dash and a name end the
//!   line.
//!
//! Both shapes break the sentence frames: a transcript's paragraphs often open with a
//! quotation mark that never closes (the multi-paragraph quote convention), so its
//! speakers' labels read as quoted text; pull quotes in scraped lists open with the wrong
//! mark (”…”), so their quotations do not pair. Lines do not depend on either.

use super::context::Ctx;
use super::cues::Strength;
use super::patterns::{Draft, Frame, HEADLINE_LABELS};
use super::words::is_in;
use crate::core::nlp::tokenize::TokenKind;

/// Token ranges of the lines (tokens separated by a newline start a new line).
fn lines(ctx: &Ctx) -> Vec<(usize, usize)> {
    let n = ctx.tokens.len();
    let mut out = Vec::new();
    let mut a = 0;
    for k in 1..=n {
        if k == n || ctx.newline_between(k - 1, k) {
            if a < k {
                out.push((a, k));
            }
            a = k;
        }
    }
    out
}

/// A speaker label word: all letters upper case, at least two of them ("PENCE",
/// "O'REILLY"); a single letter ("Q:", "A:") names nobody.
fn shouted(ctx: &Ctx, k: usize) -> bool {
    let raw = ctx.raw(k);
    ctx.is_word(k) && raw.chars().filter(|c| c.is_alphabetic()).count() >= 2 && raw.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// The transcript turn opening line `(a, b)`: (label, colon) when the line reads
/// `[“] NAME [NAME …]: text`.
fn turn(ctx: &Ctx, (a, b): (usize, usize)) -> Option<((usize, usize), usize)> {
    let start = if ctx.is_quote(a) { a + 1 } else { a };
    let colon = (start + 1..(start + 4).min(b)).find(|&k| ctx.is(k, ":"))?;
    let label_ok = (start..colon).all(|k| shouted(ctx, k)) && !is_in(HEADLINE_LABELS, ctx.word(start));
    // Some words after the colon: a label alone on its line is a heading.
    (label_ok && ctx.words_in((colon + 1, b)) >= 2).then_some(((start, colon), colon))
}

/// Transcript turns. A label line counts only where the document has at least two of
/// them with at least two distinct speakers: one upper-case word and a colon is as often
/// a heading ("BREAKING: …") as a speaker.
fn transcript(ctx: &Ctx, lines: &[(usize, usize)], out: &mut Vec<Draft>) {
    let turns: Vec<_> = lines.iter().filter_map(|&l| turn(ctx, l).map(|t| (l, t))).collect();
    let label = |r: (usize, usize)| (r.0..r.1).map(|k| ctx.word(k)).collect::<Vec<_>>();
    let first = turns.first().map(|(_, (r, _))| label(*r));
    let distinct = turns.iter().any(|(_, (r, _))| Some(label(*r)) != first);
    if turns.len() < 2 || !distinct {
        return;
    }
    for ((_, b), (name, colon)) in turns {
        let end = ctx.trim_end(colon + 1, b);
        if end > colon + 1 && !ctx.excluded[colon] {
            out.push(Draft { source: Some(name), cue: (colon, colon + 1), content: vec![(colon + 1, end)], frame: Frame::Line, strength: Strength::Weak });
        }
    }
}

/// Whether token `k` is a dash (not a hyphen joining a compound).
fn dash(ctx: &Ctx, k: usize) -> bool {
    matches!(ctx.raw(k), "―" | "—" | "–" | "--")
}

/// Signed pull quotes: a line that opens with a quotation mark and ends with a closing
/// mark, a dash and one to six capitalised words (the name, perhaps a final period).
fn signed(ctx: &Ctx, lines: &[(usize, usize)], out: &mut Vec<Draft>) {
    for &(a, b) in lines {
        if !ctx.is_quote(a) || ctx.excluded[a] {
            continue;
        }
        let mut end = b;
        while end > a && (ctx.is_terminal(end - 1) || ctx.is(end - 1, ",")) {
            end -= 1;
        }
        let Some(d) = (a + 2..end).rev().take(7).find(|&k| dash(ctx, k)) else { continue };
        let name = (d + 1, end);
        let name_ok = name.0 < name.1
            && name.1 - name.0 <= 6
            && (name.0..name.1).all(|k| match ctx.kind(k) {
                Some(TokenKind::Word) => ctx.capitalised(k),
                Some(TokenKind::Abbreviation | TokenKind::Hyphen) => true,
                _ => false,
            });
        if name_ok && ctx.is_quote(d - 1) && ctx.words_in((a, d)) >= 3 {
            out.push(Draft { source: Some(name), cue: (d, d + 1), content: vec![(a, d)], frame: Frame::Line, strength: Strength::Weak });
        }
    }
}

/// The line frames of a document, in text order.
pub fn drafts(ctx: &Ctx) -> Vec<Draft> {
    let lines = lines(ctx);
    let mut out = Vec::new();
    transcript(ctx, &lines, &mut out);
    signed(ctx, &lines, &mut out);
    out.sort_by_key(|d| d.cue.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::{sentence::sentences, tokenize};

    fn found(text: &str) -> Vec<(String, String, String)> {
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        let ctx = Ctx::new(text, &tokens, &lows, &sentences(text, &tokens), &[]);
        let s = |r: (usize, usize)| ctx.span(r.0, r.1).slice(text).unwrap_or("").to_string();
        drafts(&ctx).into_iter().map(|d| (s(d.source.unwrap_or((0, 0))), s(d.cue), s(d.content[0]))).collect()
    }

    #[test]
    fn transcript_turns_need_two_speakers() {
        let text = "Partial transcript:\n\n\"WALLACE: Will she be there tomorrow night?\n\n\"PENCE: Well, look, she will not be attending.\n";
        let got = found(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("WALLACE".into(), ":".into(), "Will she be there tomorrow night".into()));
        assert_eq!(got[1].0, "PENCE");
        // One shouted label, or the same one twice, is a heading, not a transcript.
        assert!(found("BREAKING: The senate passed the bill tonight.\n\nMore follows soon.").is_empty());
        assert!(found("UPDATE: The vote was delayed.\n\nUPDATE: The vote passed.").is_empty());
    }

    #[test]
    fn signed_pull_quotes() {
        let text = "Readers wrote in.\n”He has empowered them to be open with it.” ― Sonya Herridge\n“He makes blanket statements.”― Pamela Padilla.\n";
        let got = found(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "Sonya Herridge");
        assert_eq!(got[0].1, "―");
        assert_eq!(got[1].0, "Pamela Padilla");
        // A dash inside running prose is no signature.
        assert!(found("“We will win” — that is what he said in the speech.\n").is_empty());
    }
}

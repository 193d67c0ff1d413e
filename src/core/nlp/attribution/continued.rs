//! Quotations that go on after the attribution's sentence: “…,” she said. “…” — the
//! next sentence is a bare quotation with no cue of its own, so it is the same speaker
//! going on, and it joins the content as a further fragment (`GUIDELINES.md`: a split
//! quote is one content with fragments). PolNeAR annotates it so (142 of 2,192 dev
//! contents), and the frames, which work one sentence at a time, stop at the period.

use super::context::Ctx;
use super::patterns::Draft;
use super::quotes_speech;

/// At most this many further quotations join one content.
const MAX_MORE: usize = 3;

/// The outermost, double-marked quotation opening at token `k`, if it closes: its
/// closing mark's token. Single marks mostly quote a word or a title.
fn quotation_at(ctx: &Ctx, k: usize) -> Option<usize> {
    let q = ctx.opening(k)?;
    (quotes_speech(q.mark) && q.depth == 0).then_some(q.close?)
}

/// Whether the draft's content quotes someone: a quotation mark of a paired double quote.
fn quotes(ctx: &Ctx, d: &Draft) -> bool {
    d.content.iter().any(|&(a, b)| (a..b).any(|k| quotation_at(ctx, k).is_some_and(|c| c < b)))
}

/// Adds to each quoting draft the bare quotations that follow its sentence in the same
/// paragraph, as further content fragments.
pub fn extend(ctx: &Ctx, drafts: &mut [Draft]) {
    // “…,” Smith said. “…,” Jones replied: the second quotation is Jones's, although the
    // postposed frame resumes into the next sentence's quotation.
    for i in 0..drafts.len() {
        let cue = drafts[i].cue;
        let owned = |f: (usize, usize)| {
            drafts.iter().enumerate().any(|(j, o)| {
                j != i && o.cue.0 > cue.0 && ctx.sent_of.get(o.cue.0) == ctx.sent_of.get(f.1 - 1) && o.content.iter().any(|g| g.0 < f.1 && f.0 < g.1)
            })
        };
        let keep: Vec<bool> = drafts[i].content.iter().enumerate().map(|(n, &f)| n == 0 || f.0 < cue.0 || !owned(f)).collect();
        if keep.contains(&false) {
            let mut n = 0;
            drafts[i].content.retain(|_| (keep[n], n += 1).0);
        }
    }
    // Token ranges the drafts already use: a quotation holding another draft's cue or
    // content belongs to that one.
    let taken: Vec<(usize, usize)> = drafts.iter().flat_map(|d| d.content.iter().copied().chain(std::iter::once(d.cue)).chain(d.source)).collect();
    let free = |a: usize, b: usize| !taken.iter().any(|&(x, y)| x < b && a < y);
    let mut add: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        if !quotes(ctx, d) {
            continue;
        }
        let end = d.content.iter().map(|f| f.1).chain([d.cue.1]).chain(d.source.map(|s| s.1)).max().unwrap_or(d.cue.1);
        let mut s = ctx.sent_of[end - 1];
        let (_, s1) = ctx.sents[s];
        let mut more = Vec::new();
        if let Some(open) = (end..s1).find(|&k| ctx.opening(k).is_some()) {
            // “…,” Tester said, referring to the excuse, “…”: a quotation broken off at a
            // comma before the cue resumes later in the sentence, past words of no one
            // else's, and runs to the sentence's end.
            let last = d.content.last().copied().unwrap_or((0, 0));
            let broken = last.1 <= d.cue.0 && last.1 >= 2 && ctx.closing(last.1 - 1).is_some() && ctx.is(last.1 - 2, ",");
            let resumed = quotation_at(ctx, open).filter(|&close| close < s1 && (close + 1..s1).all(|k| ctx.is_terminal(k)));
            match resumed {
                Some(close) if broken && free(end, s1) => more.push((open, close + 1)),
                _ => continue,
            }
        }
        while more.len() < MAX_MORE {
            let Some(&(t0, _)) = ctx.sents.get(s + 1) else { break };
            if ctx.newline_between(t0.wrapping_sub(1), t0) || ctx.excluded[t0] {
                break;
            }
            let Some(close) = quotation_at(ctx, t0) else { break };
            let cs = ctx.sent_of[close];
            let (_, cs1) = ctx.sents[cs];
            // The quotation ends its sentence (a terminal at most after it), and nothing
            // in it is anyone else's.
            let bare = (close + 1..cs1).all(|k| ctx.is_terminal(k));
            if !bare || !free(t0, cs1) {
                break;
            }
            more.push((t0, close + 1));
            s = cs;
        }
        if !more.is_empty() {
            add.push((i, more));
        }
    }
    for (i, more) in add {
        drafts[i].content.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::nlp::attribution::{find_using, learned};
    use crate::core::nlp::{sentence::sentences, tokenize};

    fn contents(text: &str) -> Vec<String> {
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        find_using(text, &tokens, &lows, &sentences(text, &tokens), &[], &[], learned::embedded(), learned::DEFAULT_MODE)
            .into_iter()
            .map(|a| a.content.fragments().iter().map(|f| f.slice(text).unwrap_or("")).collect::<Vec<_>>().join(" … "))
            .collect()
    }

    #[test]
    fn a_bare_quotation_after_the_sentence_goes_on() {
        let got = contents("“This is a disgusting day,” said Rep. Jim Smith, head of the caucus. “Donald Trump is a fraud. He started this years ago.”\n\nThe vote is Monday.");
        assert_eq!(got, ["“This is a disgusting day,” … “Donald Trump is a fraud. He started this years ago.”"]);
        let got = contents("''I have admiration for the mechanics'' of the plan, Mr. Holtz said. ''They're more detailed than Trump's.''\n");
        println!("{got:?}");
        // A quotation with a cue of its own is that cue's.
        let got = contents("“We will win,” Smith said. “We will not,” Jones replied.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|c| !c.contains('…')), "{got:?}");
        let got = contents("“Every time you say that,” Tester said, referring to the excuse, “you give them ammunition.”\n");
        assert_eq!(got, ["“Every time you say that,” … “you give them ammunition.”"]);
    }
}

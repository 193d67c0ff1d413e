//! Training the learned attribution model: gold attributions (newsmark.annotations v1,
//! e.g. PolNeAR) become cue tagging examples and ranking examples for the content and
//! source scorers; averaged perceptrons learn them. Deterministic: a fixed-seed shuffle,
//! fixed arithmetic order. Used by `src/bin/train-attribution.rs`.

use super::super::context::Ctx;
use super::super::cues::cue_word;
use super::super::patterns::drafts;
use super::features::{content_candidates, content_features, cue_features, source_candidates, source_features, taggable, Range, View};
use super::{decide_collect, FilterExample, Mode, Model, B, I, O};

use crate::core::model::annotation::Document;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use crate::core::nlp::fasthash::FxHashMap;
use crate::core::nlp::tagger::train::Rng;
use crate::core::nlp::{pipeline, sentence, tokenize};
use serde_json::Value;

/// One gold attribution, byte offsets.
#[derive(Clone, Debug)]
pub struct GoldAttr {
    pub cue: Vec<Span>,
    pub content: Vec<Span>,
    pub source: Option<Span>,
}

/// The text and live attributions of an annotations file.
pub fn parse_gold(json: &str) -> Result<(String, Vec<GoldAttr>), String> {
    let v: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let text = v["document"]["text"].as_str().ok_or("missing document.text")?.to_string();
    let map = OffsetMap::new(&text);
    let spans = |x: &Value| -> Result<Vec<Span>, String> {
        let pieces: Vec<&Value> = match x["fragments"].as_array() {
            Some(f) if !f.is_empty() => f.iter().collect(),
            _ => vec![x],
        };
        pieces
            .into_iter()
            .map(|p| {
                let s = p["start"].as_u64().and_then(|s| map.char_to_byte(s as usize));
                let e = p["end"].as_u64().and_then(|e| map.char_to_byte(e as usize));
                match (s, e) {
                    (Some(s), Some(e)) if s <= e => Ok(Span::new(s, e)),
                    _ => Err("bad span".to_string()),
                }
            })
            .collect()
    };
    let mut out = Vec::new();
    for a in v["attributions"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        if a["status"].as_str() == Some("rejected") || a["content"].is_null() || a["cue"].is_null() {
            continue;
        }
        let source = if a["source"].is_null() { None } else { spans(&a["source"])?.first().copied() };
        out.push(GoldAttr { cue: spans(&a["cue"])?, content: spans(&a["content"])?, source });
    }
    Ok((text, out))
}

/// A ranking example: candidates' features and the index of the best one.
pub struct RankEx {
    pub cands: Vec<Vec<u32>>,
    pub gold: usize,
}

/// Everything one pass over the training documents yields.
#[derive(Default)]
pub struct Examples {
    pub cue: Vec<(Vec<u32>, u8)>,
    /// Where each document's tokens start in `cue` (the draft filter's folds split by
    /// document).
    pub cue_docs: Vec<usize>,
    pub content: Vec<RankEx>,
    pub source: Vec<RankEx>,
    /// Gold attributions; those whose cue maps to tokens; content candidates reaching
    /// token F1 ≥ 0.5; exactly; sources with an overlapping (or exact) candidate.
    pub stats: [usize; 6],
}

/// Token range covering the byte spans (`None` if no token overlaps).
fn token_range(ctx: &Ctx, spans: &[Span]) -> Option<Range> {
    let mut lo = usize::MAX;
    let mut hi = 0;
    for s in spans {
        let from = ctx.tokens.partition_point(|t| t.span.end <= s.start);
        for k in from..ctx.tokens.len() {
            if ctx.tokens[k].span.start >= s.end {
                break;
            }
            lo = lo.min(k);
            hi = hi.max(k + 1);
        }
    }
    (lo < hi).then_some((lo, hi))
}

fn word_tokens(ctx: &Ctx, ranges: &[Range]) -> Vec<usize> {
    let mut v: Vec<usize> = ranges.iter().flat_map(|&(a, b)| a..b).filter(|&k| ctx.kind(k).is_some_and(|t| t.is_wordlike())).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn span_tokens(ctx: &Ctx, spans: &[Span]) -> Vec<usize> {
    let mut v = Vec::new();
    for s in spans {
        let from = ctx.tokens.partition_point(|t| t.span.end <= s.start);
        for k in from..ctx.tokens.len() {
            let t = ctx.tokens[k];
            if t.span.start >= s.end {
                break;
            }
            if t.kind.is_wordlike() {
                v.push(k);
            }
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// The token of a gold cue the tagger learns to mark: its cue-lexicon word, else its
/// last word when the cue is short ("called for" → "called", "in a statement" →
/// "statement"), else its first word.
pub fn head_token(ctx: &Ctx, (c0, c1): Range) -> Option<usize> {
    let tag: Vec<usize> = (c0..c1).filter(|&k| taggable(ctx, k)).collect();
    let lexical = tag.iter().copied().find(|&k| ctx.is_word(k) && cue_word(ctx.word(k)).is_some());
    lexical.or_else(|| if tag.len() <= 3 { tag.last().copied() } else { tag.first().copied() })
}

/// Token F1 of two sorted token sets.
pub fn f1(a: &[usize], b: &[usize]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.iter().filter(|k| b.binary_search(k).is_ok()).count();
    2.0 * inter as f64 / (a.len() + b.len()) as f64
}

/// A training document as the attribution stage sees it at inference: the rules-only
/// pipeline's entities and boilerplate, and the tokens, sentences and lower-case forms
/// that [`Ctx`] borrows (both kinds of examples start from it).
struct Prepared {
    set: crate::core::model::annotation::AnnotationSet,
    tokens: Vec<tokenize::Token>,
    sentences: Vec<Span>,
    lows: (String, Vec<(usize, usize)>),
    zones: Vec<Span>,
}

impl Prepared {
    fn new(text: &str) -> Prepared {
        let doc = Document::new("train", None, text);
        let set = pipeline::extract_using(&doc, None, Mode::Rules);
        let tokens = tokenize::tokenize(text);
        let sentences = sentence::sentences(text, &tokens);
        let lows = tokenize::lower_forms(text, &tokens);
        let zones = set.boilerplate.iter().map(|b| b.span).collect();
        Prepared { set, tokens, sentences, lows, zones }
    }

    fn ctx<'a>(&'a self, text: &'a str) -> Ctx<'a> {
        Ctx::new(text, &self.tokens, &self.lows, &self.sentences, &self.zones)
    }
}

/// Adds one document's examples.
pub fn add_examples(text: &str, gold: &[GoldAttr], ex: &mut Examples) {
    let prep = Prepared::new(text);
    let ctx = prep.ctx(text);
    let rules = drafts(&ctx);
    let v = View::new(&ctx, &prep.set.entities, rules);
    ex.cue_docs.push(ex.cue.len());
    let mut labels = vec![O as u8; ctx.tokens.len()];
    let mut keys = Vec::new();
    let mut prev: Option<(usize, Option<Range>)> = None;
    ex.stats[0] += gold.len();
    for g in gold {
        let Some(cue) = token_range(&ctx, &g.cue) else { continue };
        ex.stats[1] += 1;
        if let Some(h) = head_token(&ctx, cue) {
            labels[h] = B as u8;
        }
        // Content: the candidate closest to the gold content.
        let want = span_tokens(&ctx, &g.content);
        let cands = content_candidates(&ctx, cue);
        let mut best = (0.0, usize::MAX);
        for (k, c) in cands.iter().enumerate() {
            let f = f1(&word_tokens(&ctx, &c.frags), &want);
            if f > best.0 {
                best = (f, k);
            }
        }
        let si = ctx.sent_of.get(cue.0).copied().unwrap_or(usize::MAX);
        let carried: Vec<Range> = match prev {
            Some((s, Some(r))) if s == si && !ctx.relative_pronoun(r) => vec![r],
            _ => vec![],
        };
        let gold_source = g.source.and_then(|s| token_range(&ctx, &[s]));
        prev = Some((si, gold_source));
        if best.0 < 0.5 {
            continue;
        }
        ex.stats[2] += 1;
        if best.0 >= 0.999 {
            ex.stats[3] += 1;
        }
        let feats = cands
            .iter()
            .map(|c| {
                content_features(&v, cue, c, &mut keys);
                keys.clone()
            })
            .collect();
        ex.content.push(RankEx { cands: feats, gold: best.1 });
        // Source: none, the exact gold span, else the overlapping candidate with the best
        // token F1.
        let chosen = &cands[best.1];
        let scands = source_candidates(&ctx, cue, &chosen.frags, &carried);
        let target = match gold_source {
            None if g.source.is_none() => Some(0),
            None => None,
            Some(gs) => scands.iter().position(|s| *s == Some(gs)).or_else(|| {
                let want = word_tokens(&ctx, &[gs]);
                let mut b = (0.0, None);
                for (k, s) in scands.iter().enumerate() {
                    if let Some(r) = s {
                        let f = f1(&word_tokens(&ctx, &[*r]), &want);
                        if r.0 < gs.1 && gs.0 < r.1 && f > b.0 {
                            b = (f, Some(k));
                        }
                    }
                }
                b.1
            }),
        };
        let Some(target) = target else { continue };
        ex.stats[4] += 1;
        let feats = scands
            .iter()
            .map(|s| {
                source_features(&v, cue, chosen, *s, &mut keys);
                keys.clone()
            })
            .collect();
        ex.source.push(RankEx { cands: feats, gold: target });
    }
    for (i, &l) in labels.iter().enumerate() {
        if taggable(&ctx, i) {
            cue_features(&v, i, &mut keys);
            ex.cue.push((keys.clone(), l));
        }
    }
}

/// The draft filter's examples of one document: every draft of a cue the rules do not
/// fire on that `model` (whose cue tagger never saw this document) lets through `mode`'s
/// gate, labelled keep (B) when its content matches a gold content (token F1 ≥ 0.5) that
/// no rule draft already matches, else drop (O).
pub fn filter_examples(text: &str, gold: &[GoldAttr], model: &Model, mode: Mode, out: &mut Vec<(Vec<u32>, u8)>) {
    let prep = Prepared::new(text);
    let ctx = prep.ctx(text);
    let v = View::new(&ctx, &prep.set.entities, drafts(&ctx));
    let mut collected: Vec<FilterExample> = Vec::new();
    let all = decide_collect(Some(model), &ctx, v, mode, Some(&mut collected));
    let golds: Vec<Vec<usize>> = gold.iter().map(|g| span_tokens(&ctx, &g.content)).collect();
    let matches = |frags: &[Range], g: &[usize]| f1(&word_tokens(&ctx, frags), g) >= 0.5;
    let by_rules: Vec<bool> = golds
        .iter()
        .map(|g| all.iter().any(|d| d.frame != super::super::patterns::Frame::Learned && matches(&d.content, g)))
        .collect();
    for (d, keys) in collected {
        let keep = golds.iter().zip(&by_rules).any(|(g, &ruled)| !ruled && matches(&d.content, g));
        out.push((keys, if keep { B as u8 } else { O as u8 }));
    }
}

/// A cue tagger (its B-over-O margin) trained on the documents `keep_doc` accepts only:
/// the draft filter learns from cue margins of documents their tagger never saw.
pub fn train_cue(ex: &Examples, keep_doc: impl Fn(usize) -> bool, epochs: usize, seed: u64) -> Vec<(u32, f32)> {
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = Vec::new();
    for (d, &start) in ex.cue_docs.iter().enumerate() {
        let end = ex.cue_docs.get(d + 1).copied().unwrap_or(ex.cue.len());
        if keep_doc(d) {
            order.extend(start..end);
        }
    }
    let mut cue = Averaged::default();
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        cue.cue_epoch(&ex.cue, &order);
    }
    cue.finish().into_iter().map(|(k, w)| (k, w[B] - w[O])).collect()
}

/// The draft filter: keep (B) over drop (O), an averaged perceptron.
pub fn train_filter(ex: &[(Vec<u32>, u8)], epochs: usize, seed: u64, mut log: impl FnMut(&str)) -> Vec<(u32, f32)> {
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut p = Averaged::default();
    for e in 1..=epochs {
        rng.shuffle(&mut order);
        let w = p.cue_epoch(ex, &order);
        log(&format!("filter epoch {e}: {w} mistakes of {}", ex.len()));
    }
    p.finish().into_iter().map(|(k, w)| (k, w[B] - w[O])).collect()
}

/// An averaged perceptron over hashed keys with up to three classes (averaging by the
/// "accumulated timestamped updates" trick: average = w − u / c).
#[derive(Default)]
pub struct Averaged {
    w: FxHashMap<u32, [f64; 3]>,
    u: FxHashMap<u32, [f64; 3]>,
    c: f64,
}

impl Averaged {
    fn score(&self, keys: &[u32], class: usize) -> f64 {
        keys.iter().filter_map(|k| self.w.get(k)).map(|r| r[class]).sum()
    }

    fn update(&mut self, keys: &[u32], class: usize, d: f64) {
        for k in keys {
            self.w.entry(*k).or_default()[class] += d;
            self.u.entry(*k).or_default()[class] += self.c * d;
        }
    }

    /// The averaged weights, sorted by key.
    pub fn finish(&self) -> Vec<(u32, [f32; 3])> {
        let c = self.c.max(1.0);
        let mut out: Vec<(u32, [f32; 3])> = self
            .w
            .iter()
            .map(|(k, w)| {
                let u = self.u.get(k).copied().unwrap_or_default();
                (*k, [(w[0] - u[0] / c) as f32, (w[1] - u[1] / c) as f32, (w[2] - u[2] / c) as f32])
            })
            .collect();
        out.sort_by_key(|r| r.0);
        out
    }

    /// One epoch of cue tagging; returns the number of mistakes.
    pub fn cue_epoch(&mut self, ex: &[(Vec<u32>, u8)], order: &[usize]) -> usize {
        let mut wrong = 0;
        for &i in order {
            let (keys, gold) = &ex[i];
            self.c += 1.0;
            let s = [self.score(keys, O), self.score(keys, B), self.score(keys, I)];
            let mut pred = O;
            for c in [B, I] {
                if s[c] > s[pred] {
                    pred = c;
                }
            }
            if pred != usize::from(*gold) {
                wrong += 1;
                self.update(keys, usize::from(*gold), 1.0);
                self.update(keys, pred, -1.0);
            }
        }
        wrong
    }

    /// One epoch of ranking; returns the number of mistakes.
    pub fn rank_epoch(&mut self, ex: &[RankEx], order: &[usize]) -> usize {
        let mut wrong = 0;
        for &i in order {
            let e = &ex[i];
            self.c += 1.0;
            let mut best = (f64::NEG_INFINITY, 0);
            for (k, f) in e.cands.iter().enumerate() {
                let s = self.score(f, 0);
                if s > best.0 {
                    best = (s, k);
                }
            }
            if best.1 != e.gold {
                wrong += 1;
                let (g, p) = (e.cands[e.gold].clone(), e.cands[best.1].clone());
                self.update(&g, 0, 1.0);
                self.update(&p, 0, -1.0);
            }
        }
        wrong
    }
}

/// Trains the cue, content and source tables for `epochs` epochs each; returns them in
/// file order, the cue tagger's as its B-over-O margin (all inference compares), the
/// scorers' as their weight, and an empty draft filter (see [`train_filter`]).
pub fn train(ex: &Examples, epochs: usize, seed: u64, mut log: impl FnMut(&str)) -> [Vec<(u32, f32)>; 4] {
    let mut rng = Rng::new(seed);
    let mut cue = Averaged::default();
    let mut order: Vec<usize> = (0..ex.cue.len()).collect();
    for e in 1..=epochs {
        rng.shuffle(&mut order);
        let w = cue.cue_epoch(&ex.cue, &order);
        log(&format!("cue epoch {e}: {w} mistakes of {}", ex.cue.len()));
    }
    let mut tables: [Vec<(u32, f32)>; 4] = [cue.finish().into_iter().map(|(k, w)| (k, w[B] - w[O])).collect(), vec![], vec![], vec![]];
    for (t, set) in [(1, &ex.content), (2, &ex.source)] {
        let mut p = Averaged::default();
        let mut order: Vec<usize> = (0..set.len()).collect();
        for e in 1..=epochs {
            rng.shuffle(&mut order);
            let w = p.rank_epoch(set, &order);
            log(&format!("{} epoch {e}: {w} mistakes of {}", if t == 1 { "content" } else { "source" }, set.len()));
        }
        tables[t] = p.finish().into_iter().map(|(k, w)| (k, w[0])).collect();
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"format":"newsmark.annotations","version":1,
      "document":{"id":"t","text":"The mayor called for calm. “We will rebuild,” she said."},
      "attributions":[
        {"id":"a1","kind":"indirect","source":{"start":0,"end":9},"cue":{"start":10,"end":20},"content":{"start":21,"end":25}},
        {"id":"a2","kind":"direct","source":{"start":46,"end":49},"cue":{"start":50,"end":54},"content":{"start":27,"end":44}}]}"#;

    #[test]
    fn training_is_deterministic_and_learns_the_examples() {
        let (text, gold) = parse_gold(DOC).unwrap();
        assert_eq!(gold.len(), 2);
        let run = || {
            let mut ex = Examples::default();
            add_examples(&text, &gold, &mut ex);
            add_examples(&text, &gold, &mut ex);
            assert_eq!(ex.stats[..3], [4, 4, 4], "every gold cue and content is reachable");
            super::super::weights::encode(&train(&ex, 3, 7, |_| {}), [0.01; 4])
        };
        let bytes = run();
        assert_eq!(bytes, run(), "same data and seed, same bytes");
        let m = super::super::Model::from_bytes(&bytes).unwrap();
        assert!(m.sizes()[0] > 0, "the cue tagger learned weights");
    }

    #[test]
    fn filter_examples_label_model_drafts_by_gold() {
        let (text, gold) = parse_gold(DOC).unwrap();
        let mut ex = Examples::default();
        add_examples(&text, &gold, &mut ex);
        assert_eq!(ex.cue_docs, [0], "one document, its tokens from 0");
        let tables = train(&ex, 3, 7, |_| {});
        let model = super::super::Model::from_bytes(&super::super::weights::encode(&tables, [0.01; 4])).unwrap().with_cue_bias(20.0);
        let floor = Mode::Hybrid(super::super::Gate { min_margin: -20.0, filter: None, ..super::super::DEFAULT_GATE });
        let mut fex = Vec::new();
        filter_examples(&text, &gold, &model, floor, &mut fex);
        // "called for calm" is no rule's: the model's draft of it matches the gold content.
        assert!(fex.iter().any(|(_, l)| *l == B as u8), "a kept draft among {}", fex.len());
        let run = || train_filter(&fex, 3, 7, |_| {});
        assert_eq!(run(), run(), "deterministic");
        assert!(!run().is_empty());
    }

    #[test]
    fn bad_gold_is_an_error() {
        assert!(parse_gold("{").is_err());
        assert!(parse_gold(r#"{"document":{}}"#).is_err());
        let bad = DOC.replace(r#""end":54"#, r#""end":5400"#);
        assert!(parse_gold(&bad).is_err());
    }
}

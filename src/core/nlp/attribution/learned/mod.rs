//! The learned attribution model: a cue tagger (O / B / I per token, an averaged
//! perceptron over word, stem, neighbour, quote, entity and cue-lexicon features, with
//! the rules' own decision at the token as a feature), then, for each cue, a content
//! scorer and a source scorer that pick among candidate spans (clause and quote
//! boundaries left and right of the cue, split quotes; noun phrases left and right of
//! the cue, a carried-over subject, or none). Trained on PolNeAR by
//! `src/bin/train-attribution.rs`; the weights (`models/attribution.bin`) are embedded.
//!
//! The rules stay: where a rule frame fires on a cue the model also finds, the rule's
//! spans are kept (they handle kinds, split quotes, participial sources and "that"
//! better, and the model learned to agree with them); the model adds the cues the rules
//! do not know ("called for", "in a statement", "criticized", nominal cues) and may veto
//! a rule cue it is confident is none.

pub mod features;
// Training is native only (as the tagger's): the app never trains.
#[cfg(not(target_arch = "wasm32"))]
pub mod train;
pub mod weights;

use super::context::Ctx;
use super::cues::{cue_word, Strength};
use super::patterns::{Draft, Frame};
use super::words::{is_adverb, is_in, AUXILIARIES, BE, DETERMINERS, NEGATIONS, PREPOSITIONS};
use crate::core::nlp::fasthash::FxHashMap;
use features::{NB_LEFT, NB_LEFT2, NB_RIGHT, NB_RIGHT2, content_candidates, content_features, cue_features, draft_context_features, draft_features, source_candidates, source_features, taggable, Cand, Dir, Range, SourceCand, View};
use std::sync::OnceLock;
use weights::{decode, FormatError, Table, TABLES};

/// How rules and model combine (the default is what ships; the others are measured).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// The rules alone (the model unused).
    Rules,
    /// Rules where they fire, the model on cues they miss, kept per the gate.
    Hybrid(Gate),
    /// The model alone (rules only as features).
    Model,
}

/// Which of the model's own cues (those no rule fired on) are kept. PolNeAR, which the
/// model learns from, annotates more than `GUIDELINES.md` does (negated speech, intentions
/// nested in someone else's reported content, "agreed to"); the gate keeps the model to
/// the project's scheme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gate {
    /// Drop a rule draft when the model scores its cue O by more than this (weight units).
    pub veto: Option<f32>,
    /// A model cue needs at least this B-over-O margin (weight units).
    pub min_margin: f32,
    /// Drop model cues inside the content of another attribution.
    pub no_nested: bool,
    /// Drop negated model cues ("has not commented"), as the rules do.
    pub no_negated: bool,
    /// Replace a rule draft's content by the model's best candidate when that one
    /// outscores the rule's own content by more than this (weight units).
    pub content_override: Option<f32>,
    /// Keep a model cue the tagger scores O (negative margin) only when the draft filter
    /// (the fourth table) scores its draft above this (weight units); `min_margin` is
    /// then the floor of what the filter sees.
    pub filter: Option<f32>,
}

/// The shipped combination (chosen on dev and the seed, see `MODEL.md`).
pub const DEFAULT_GATE: Gate = Gate { veto: None, min_margin: -14.0, no_nested: true, no_negated: true, content_override: Some(0.0), filter: Some(0.0) };
pub const DEFAULT_MODE: Mode = Mode::Hybrid(DEFAULT_GATE);

/// The cue margin of a token the tagger never tags.
pub const UNTAGGED: i32 = i32::MIN / 4;

/// Cue classes (training tags O / B / I; the file keeps the B-over-O margin).
pub const O: usize = 0;
pub const B: usize = 1;
pub const I: usize = 2;

/// A loaded model.
pub struct Model {
    tables: [Table; TABLES],
    /// Subtracted from the O score before the argmax (quantised units): trades cue
    /// precision for recall. Chosen on dev (see `MODEL.md`).
    cue_bias: i32,
}

/// The lowest cue margin (weight units) the draft filter is trained on.
pub const FILTER_FLOOR: f32 = 20.0;

/// The cue bias in weight units (before quantisation).
pub const CUE_BIAS: f32 = 14.0;

#[cfg(feature = "embedded-models")]
static EMBEDDED: &[u8] = include_bytes!("../../../../../models/attribution.bin");
/// The app's worker is built without the model; it fetches the file and [`install`]s it.
#[cfg(not(feature = "embedded-models"))]
static EMBEDDED: &[u8] = &[];

static INSTALLED: OnceLock<Model> = OnceLock::new();

/// Installs the model from the bytes of `models/attribution.bin` (the app's worker, which
/// fetches the file); [`embedded`] returns it from then on. A second install is refused.
pub fn install(bytes: &[u8]) -> Result<(), FormatError> {
    INSTALLED.set(Model::from_bytes(bytes)?).map_err(|_| FormatError("an attribution model is installed already"))
}

/// The installed or embedded model (decoded once; `None` if the file is not a model, in
/// which case the rules alone run — a test checks the shipped file decodes).
pub fn embedded() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    INSTALLED.get().or_else(|| MODEL.get_or_init(|| Model::from_bytes(EMBEDDED).ok()).as_ref())
}

/// Size in bytes of the embedded model file.
pub fn embedded_len() -> usize {
    EMBEDDED.len()
}

impl Model {
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, FormatError> {
        let tables = decode(bytes)?;
        let cue_bias = (CUE_BIAS / tables[0].step).round() as i32;
        Ok(Model { tables, cue_bias })
    }

    /// The same model with another cue bias (in weight units), for tuning.
    pub fn with_cue_bias(mut self, bias: f32) -> Model {
        self.cue_bias = (bias / self.tables[0].step).round() as i32;
        self
    }

    /// Number of weighted keys in each table.
    pub fn sizes(&self) -> [usize; TABLES] {
        [self.tables[0].len(), self.tables[1].len(), self.tables[2].len(), self.tables[3].len()]
    }

    /// The cue tagger's B-over-O margin of every token (only that difference decides;
    /// [`UNTAGGED`] for tokens never tagged). Sums exactly
    /// what [`cue_features`] gives, but a word's own templates and its templates as a
    /// neighbour are looked up once per distinct word of the document (a test checks the
    /// sums are equal).
    pub fn cue_scores(&self, v: &View) -> Vec<i32> {
        self.cue_scores_except(v, |_| false)
    }

    /// [`Model::cue_scores`], with tokens for which `skip` holds left untagged (O).
    fn cue_scores_except(&self, v: &View, skip: impl Fn(usize) -> bool) -> Vec<i32> {
        let ctx = v.ctx;
        let table = &self.tables[0];
        let mut keys = Vec::with_capacity(32);
        let mut own: FxHashMap<(&str, bool), i32> = FxHashMap::default();
        let mut near: FxHashMap<(&str, u8), i32> = FxHashMap::default();
        own.reserve(ctx.tokens.len() / 3);
        near.reserve(ctx.tokens.len());
        let mut out = vec![0i32; ctx.tokens.len()];
        for (i, s) in out.iter_mut().enumerate() {
            if !taggable(ctx, i) || skip(i) {
                *s = UNTAGGED;
                continue;
            }
            let w = (ctx.word(i), ctx.is_word(i));
            let part = *own.entry(w).or_insert_with(|| {
                let mut k = Vec::with_capacity(4);
                features::cue_word_features(w.0, w.1, &mut k);
                table.score(&k)
            });
            *s += part;
            for (slot, k) in [(NB_LEFT, i.wrapping_sub(1)), (NB_RIGHT, i + 1), (NB_LEFT2, i.wrapping_sub(2)), (NB_RIGHT2, i + 2)] {
                let c = features::neighbour_class(ctx, k);
                *s += *near.entry((c, slot)).or_insert_with(|| table.get(features::cue_neighbour_feature(slot, c)));
            }
            keys.clear();
            features::cue_context_features(v, i, &mut keys);
            *s += table.score(&keys);
        }
        out
    }

    /// [`Model::cue_scores`] the plain way: every key of [`cue_features`] looked up.
    pub fn cue_scores_plain(&self, v: &View) -> Vec<i32> {
        let mut keys = Vec::with_capacity(32);
        (0..v.ctx.tokens.len())
            .map(|i| {
                if taggable(v.ctx, i) {
                    cue_features(v, i, &mut keys);
                    self.tables[0].score(&keys)
                } else {
                    UNTAGGED
                }
            })
            .collect()
    }

    /// The cue tokens (tagged B: the tagger marks a cue's head word), with their
    /// B-over-O margin.
    pub fn cues(&self, margins: &[i32]) -> Vec<(Range, i32)> {
        margins.iter().enumerate().filter(|(_, &m)| m > -self.cue_bias).map(|(i, &m)| ((i, i + 1), m)).collect()
    }

    /// The best-scoring content candidate of a cue.
    pub fn content(&self, v: &View, cue: Range) -> Option<Cand> {
        self.content_scored(v, cue).map(|(c, _)| c)
    }

    /// [`Model::content`] with how far its score is ahead of the runner-up's (weight
    /// units; 99 when it has none): how sure the scorer is of the content.
    fn content_scored(&self, v: &View, cue: Range) -> Option<(Cand, f32)> {
        let cands = content_candidates(v.ctx, cue);
        let mut keys = Vec::with_capacity(32);
        let mut best: Option<(i32, usize)> = None;
        let mut second: Option<i32> = None;
        for (k, c) in cands.iter().enumerate() {
            content_features(v, cue, c, &mut keys);
            let s = self.tables[1].score(&keys);
            match best {
                Some((b, _)) if s <= b => second = Some(second.map_or(s, |x| x.max(s))),
                _ => {
                    second = best.map(|(b, _)| b).or(second);
                    best = Some((s, k));
                }
            }
        }
        let (top, k) = best?;
        let gap = second.map_or(99.0, |x| (top - x) as f32 * self.tables[1].step);
        cands.into_iter().nth(k).map(|c| (c, gap))
    }

    /// The model's best content candidate for a rule draft's cue, when it outscores the
    /// rule's own content by more than `margin` (quantised units) and does not overlap
    /// the draft's source.
    fn content_over(&self, v: &View, d: &Draft, margin: i32) -> Option<Vec<Range>> {
        let cue = d.cue;
        let mut cands = content_candidates(v.ctx, cue);
        let first = d.content.first()?;
        let last = d.content.last()?;
        let dir = if first.0 >= cue.1 {
            Dir::Right
        } else if last.1 <= cue.0 {
            Dir::Left
        } else {
            Dir::Split
        };
        let rule_k = match cands.iter().position(|c| c.frags == d.content) {
            Some(k) => k,
            None => {
                cands.push(Cand { frags: d.content.clone(), dir });
                cands.len() - 1
            }
        };
        let mut keys = Vec::with_capacity(32);
        let scores: Vec<i32> = cands
            .iter()
            .map(|c| {
                content_features(v, cue, c, &mut keys);
                self.tables[1].score(&keys)
            })
            .collect();
        let (best, &top) = scores.iter().enumerate().max_by_key(|(k, s)| (**s, std::cmp::Reverse(*k)))?;
        let clash = |c: &Cand| d.source.is_some_and(|s| c.frags.iter().any(|f| s.0 < f.1 && f.0 < s.1));
        // Another rule's cue inside the replacement ("stated that …, arguing that …") means
        // it runs into that attribution; the rule's content stopped there on purpose.
        let swallows = |c: &Cand| v.drafts.iter().any(|o| o.cue != cue && c.frags.iter().any(|f| f.0 <= o.cue.0 && o.cue.0 < f.1));
        (best != rule_k && top - scores[rule_k] > margin && !clash(&cands[best]) && !swallows(&cands[best]) && quotes_whole(v.ctx, &cands[best].frags))
            .then(|| cands.swap_remove(best).frags)
    }

    /// The best-scoring source candidate of a cue with the chosen content.
    pub fn source(&self, v: &View, cue: Range, content: &Cand, carried: &[Range]) -> SourceCand {
        let cands = source_candidates(v.ctx, cue, &content.frags, carried);
        let mut keys = Vec::with_capacity(32);
        let mut best: Option<(i32, usize)> = None;
        for (k, s) in cands.iter().enumerate() {
            source_features(v, cue, content, *s, &mut keys);
            let score = self.tables[2].score(&keys);
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, k));
            }
        }
        best.and_then(|(_, k)| cands.get(k).copied()).flatten()
    }
}

/// The attributions' drafts: the rules' drafts combined with the model's per `mode`, in
/// text order of their cues.
pub fn decide(model: Option<&Model>, ctx: &Ctx, v: View, mode: Mode) -> Vec<Draft> {
    decide_collect(model, ctx, v, mode, None)
}

/// A model draft with the draft filter's features (training collects them).
pub type FilterExample = (Draft, Vec<u32>);

/// [`decide`], and when `collect` is given, every model draft the gate lets through (the
/// filter not applied) with its filter features, for training the filter.
pub fn decide_collect(model: Option<&Model>, ctx: &Ctx, v: View, mode: Mode, mut collect: Option<&mut Vec<FilterExample>>) -> Vec<Draft> {
    let (Some(model), false) = (model, mode == Mode::Rules) else { return v.drafts };
    let gate = match mode {
        Mode::Hybrid(g) => Some(g),
        _ => None,
    };
    // The gate drops function-word cues whatever their score, so they are not scored.
    let scores = model.cue_scores_except(&v, |i| gate.is_some_and(|g| g.veto.is_none()) && function_word(ctx, i));
    let cues = model.cues(&scores);
    let units = |x: f32| (x / model.tables[0].step).round() as i32;
    let mut used = vec![false; v.drafts.len()];
    let mut out: Vec<Draft> = Vec::new();
    // Model cues that the rules' cue spans already cover or touch ("According to").
    let in_rule_cue = |k: usize| v.drafts.iter().any(|d| d.cue.0 <= k + 1 && k <= d.cue.1);
    let in_content = |k: usize, drafts: &[Draft]| drafts.iter().any(|d| d.content.iter().any(|f| f.0 <= k && k < f.1));
    for &(cue, margin) in &cues {
        if let Some(g) = gate {
            if let Some(r) = (cue.0..cue.1).find_map(|k| v.rule_at.get(k).copied().filter(|&r| r > 0)) {
                let r = r as usize - 1;
                if !used[r] {
                    used[r] = true;
                    let mut d = v.drafts[r].clone();
                    if let Some(m) = g.content_override {
                        if let Some(c) = model.content_over(&v, &d, units(m)) {
                            d.content = without_that(ctx, c);
                        }
                    }
                    out.push(d);
                }
                continue;
            }
            if in_rule_cue(cue.0)
                || margin < units(g.min_margin)
                || (g.no_nested && (in_content(cue.0, &v.drafts) || in_content(cue.0, &out)))
                || (g.no_negated && negated(ctx, cue.0))
                || participle_by(ctx, cue.0)
                || function_word(ctx, cue.0)
            {
                continue;
            }
        }
        let Some((content, sure)) = model.content_scored(&v, cue) else { continue };
        let si = ctx.sent_of.get(cue.0).copied();
        let carried: Vec<Range> = out.iter().rev().filter(|d| d.cue.0 < cue.0 && ctx.sent_of.get(d.cue.0).copied() == si).filter_map(|d| d.source).take(1).filter(|&r| !ctx.relative_pronoun(r)).collect();
        let source = model.source(&v, cue, &content, &carried);
        let strength = (cue.0..cue.1).find_map(|k| cue_word(ctx.word(k)).filter(|_| ctx.is_word(k))).map_or(Strength::Weak, |c| c.strength);
        let d = Draft { source, cue, content: without_that(ctx, content.frags), frame: Frame::Learned, strength };
        let wants_filter = gate.and_then(|g| g.filter).filter(|_| collect.is_none());
        if collect.is_some() || wants_filter.is_some() {
            let mut keys = Vec::with_capacity(12);
            let crowd = out.iter().filter(|o| ctx.sent_of.get(o.cue.0) == si.as_ref()).count()
                + v.drafts.iter().filter(|o| o.cue.0 > cue.0 && ctx.sent_of.get(o.cue.0) == si.as_ref()).count();
            let overlap = out.iter().any(|o| o.content.iter().any(|f| d.content.iter().any(|g| f.0 < g.1 && g.0 < f.1)));
            draft_features(&v, &d, margin as f32 * model.tables[0].step, &mut keys);
            draft_context_features(&d, sure, crowd, overlap, &mut keys);
            // The filter rules only on cues the tagger itself leans O on (margin below 0):
            // it extends recall below the tagger's own decision and never undoes it.
            let tagged = margin >= 0;
            if let (Some(th), false) = (wants_filter, tagged) {
                if model.tables[3].score(&keys) as f32 * model.tables[3].step <= th {
                    continue;
                }
            }
            if let Some(c) = collect.as_deref_mut() {
                c.push((d.clone(), keys));
            }
        }
        out.push(d);
    }
    if let Some(g) = gate {
        for (r, d) in v.drafts.iter().enumerate() {
            if used[r] {
                continue;
            }
            let margin = scores.get(d.cue.0).copied().unwrap_or(0);
            let vetoed = g.veto.is_some_and(|m| -margin > units(m));
            if !vetoed {
                out.push(d.clone());
            }
        }
        // A model cue nested in a rule draft's content found later in the text.
        if g.no_nested {
            let rules: Vec<Draft> = out.iter().filter(|d| d.frame != Frame::Learned).cloned().collect();
            out.retain(|d| d.frame != Frame::Learned || !in_content(d.cue.0, &rules));
        }
    }
    out.sort_by_key(|d| d.cue.0);
    out
}

/// Whether every quotation mark inside `frags` has its partner inside too: a rule's
/// content keeps quotations whole ("for “a brief.”"), and a replacement must as well.
fn quotes_whole(ctx: &Ctx, frags: &[Range]) -> bool {
    let inside = |k: usize| frags.iter().any(|f| f.0 <= k && k < f.1);
    frags.iter().flat_map(|&(a, b)| a..b).all(|k| {
        let open_ok = ctx.opening(k).is_none_or(|q| q.close.is_none_or(inside));
        let close_ok = ctx.closing(k).is_none_or(|q| inside(q.open));
        open_ok && close_ok
    })
}

/// `GUIDELINES.md` leaves the complementiser out of the content ("confirmed that *the plan
/// …*"); PolNeAR, which the model learned from, keeps it.
fn without_that(ctx: &Ctx, mut frags: Vec<Range>) -> Vec<Range> {
    if let Some(f) = frags.first_mut() {
        if f.1 > f.0 + 1 && ctx.is_word(f.0) && ctx.word(f.0) == "that" && ctx.is_word(f.0 + 1) {
            f.0 += 1;
        }
    }
    frags
}

/// A preposition or determiner is no cue of its own ("spoke *for* an hour"); the fixed
/// phrases that need one ("according to") are the rules'.
fn function_word(ctx: &Ctx, c: usize) -> bool {
    let w = ctx.word(c);
    is_in(PREPOSITIONS, w) || is_in(DETERMINERS, w)
}

/// "sources cited by Reuters": a past participle before "by" modifies a noun, as the
/// rules also hold.
fn participle_by(ctx: &Ctx, c: usize) -> bool {
    let past = cue_word(ctx.word(c)).map_or(ctx.word(c).ends_with("ed"), |w| w.form == super::cues::Form::Past);
    past && ctx.word(c + 1) == "by" && !is_in(BE, ctx.word(c.wrapping_sub(1)))
}

/// A negation among the auxiliaries and adverbs just left of token `c` ("has not
/// commented", "didn't say", "never said"), or right of it when `c` is the auxiliary.
fn negated(ctx: &Ctx, c: usize) -> bool {
    let neg = |w: &str| is_in(NEGATIONS, w) || w.ends_with("n't") || w.ends_with("n’t");
    // A cue on the auxiliary itself: "did not rule out".
    if is_in(AUXILIARIES, ctx.word(c)) && (neg(ctx.word(c + 1)) || (is_adverb(ctx.word(c + 1)) && neg(ctx.word(c + 2)))) {
        return true;
    }
    let mut j = c;
    while j > 0 && c - j < 5 && ctx.is_word(j - 1) {
        let w = ctx.word(j - 1);
        if neg(w) {
            return true;
        }
        if !(is_in(AUXILIARIES, w) || is_adverb(w) || w == "to") {
            break;
        }
        j -= 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::attribution::find_using;
    use crate::core::nlp::{sentence::sentences, tokenize};

    fn cues_of(text: &str, mode: Mode) -> Vec<String> {
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        find_using(text, &tokens, &lows, &sentences(text, &tokens), &[], &[], embedded(), mode)
            .into_iter()
            .filter_map(|a| a.cue.and_then(|c| c.slice(text)).map(String::from))
            .collect()
    }

    #[test]
    fn embedded_model_decodes_and_has_all_tables() {
        let m = embedded().expect("models/attribution.bin decodes");
        assert!(m.sizes().iter().all(|&n| n > 1000), "{:?}", m.sizes());
        assert_eq!(embedded_len(), include_bytes!("../../../../../models/attribution.bin").len());
    }

    #[test]
    fn model_adds_cues_the_rules_do_not_know() {
        let text = "The senator called for an immediate investigation into the contracts.";
        assert!(cues_of(text, Mode::Rules).is_empty());
        assert_eq!(cues_of(text, DEFAULT_MODE), ["called"]);
    }

    #[test]
    fn gate_keeps_the_guidelines_scheme() {
        // Negated speech, a participle before "by" and a cue nested in reported content
        // are not attributions of their own (GUIDELINES.md), whatever PolNeAR says.
        for text in [
            "He did not rule out a call.",
            "Sources cited by the agency were wrong.",
            "She has not commented on the plan.",
            "The senator spoke for an hour.",
        ] {
            assert!(cues_of(text, DEFAULT_MODE).is_empty(), "{text}");
        }
        let nested = "Smith said that Jones wants a truce.";
        assert_eq!(cues_of(nested, DEFAULT_MODE), ["said"]);
        let g = Gate { no_nested: false, no_negated: false, ..DEFAULT_GATE };
        assert!(cues_of("She has not commented on the plan.", Mode::Hybrid(g)).len() <= 1);
    }

    #[test]
    fn the_draft_filter_only_narrows_the_gate() {
        // The filter drops model cues the tagger leans O on; it never adds one, and a
        // rule's attribution never depends on it.
        let text = "The senator called for an investigation. Smith backed Clinton in the primary. \
                    The group opposes the plan, and Jones wants a vote. “We will win,” she said.";
        let unfiltered = Mode::Hybrid(Gate { filter: None, ..DEFAULT_GATE });
        let with = cues_of(text, DEFAULT_MODE);
        let without = cues_of(text, unfiltered);
        assert!(with.iter().all(|c| without.contains(c)), "{with:?} ⊄ {without:?}");
        assert!(with.contains(&"said".to_string()) && with.contains(&"called".to_string()), "{with:?}");
    }

    fn view_scores(text: &str) -> (Vec<i32>, Vec<i32>) {
        let tokens = tokenize::tokenize(text);
        let lows = tokenize::lower_forms(text, &tokens);
        let ctx = Ctx::new(text, &tokens, &lows, &sentences(text, &tokens), &[]);
        let rules = super::super::patterns::drafts(&ctx);
        let v = View::new(&ctx, &[], rules);
        let m = embedded().expect("model");
        (m.cue_scores(&v), m.cue_scores_plain(&v))
    }

    #[test]
    fn cached_cue_scores_equal_plain_ones() {
        let text = "“We will win,” she said: the senator called for calm. Smith said that Smith said so — again.";
        let (fast, plain) = view_scores(text);
        assert_eq!(fast, plain);
    }

    #[test]
    fn a_bad_model_file_is_an_error_not_a_panic() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(b"NMATT2\0\0\xff").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn model_spans_are_valid(text in "\\PC{0,120}|([A-Z][a-z]{0,6}|said|called|for|wants|that|not|“|”|\"|,|:|\\.|\\n| ){0,40}") {
            let tokens = tokenize::tokenize(&text);
            let lows = tokenize::lower_forms(&text, &tokens);
            for mode in [DEFAULT_MODE, Mode::Model] {
                for a in find_using(&text, &tokens, &lows, &sentences(&text, &tokens), &[], &[], embedded(), mode) {
                    for f in a.content.fragments() {
                        proptest::prop_assert!(f.is_valid_in(&text) && !f.is_empty());
                    }
                    if let Some(s) = &a.source { proptest::prop_assert!(s.span.is_valid_in(&text)); }
                }
            }
            let (fast, plain) = view_scores(&text);
            proptest::prop_assert_eq!(fast, plain);
        }
    }
}

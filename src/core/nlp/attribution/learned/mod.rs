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
pub mod train;
pub mod weights;

use super::context::Ctx;
use super::cues::{cue_word, Strength};
use super::patterns::{Draft, Frame};
use features::{content_candidates, content_features, cue_features, source_candidates, source_features, taggable, Cand, Range, SourceCand, View};
use std::sync::OnceLock;
use weights::{decode, FormatError, Table, TABLES};

/// How rules and model combine (the default is what ships; the others are measured).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The rules alone (the model unused).
    Rules,
    /// Rules where they fire, the model on cues they miss; rule cues the model tags O
    /// with a margin above `veto` are dropped.
    Hybrid { veto: Option<i32> },
    /// The model alone (rules only as features).
    Model,
}

/// The shipped combination.
pub const DEFAULT_MODE: Mode = Mode::Hybrid { veto: None };

/// Cue classes.
pub const O: usize = 0;
pub const B: usize = 1;
pub const I: usize = 2;

/// A loaded model.
pub struct Model {
    tables: [Table; TABLES],
}

static EMBEDDED: &[u8] = include_bytes!("../../../../../models/attribution.bin");

/// The embedded model (decoded once; `None` if the file is not a model, in which case
/// the rules alone run — a test checks the shipped file decodes).
pub fn embedded() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL.get_or_init(|| Model::from_bytes(EMBEDDED).ok()).as_ref()
}

/// Size in bytes of the embedded model file.
pub fn embedded_len() -> usize {
    EMBEDDED.len()
}

impl Model {
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, FormatError> {
        Ok(Model { tables: decode(bytes)? })
    }

    /// Number of weighted keys in each table.
    pub fn sizes(&self) -> [usize; TABLES] {
        [self.tables[0].rows.len(), self.tables[1].rows.len(), self.tables[2].rows.len()]
    }

    /// Cue class scores of every token (zeros for tokens never tagged).
    pub fn cue_scores(&self, v: &View) -> Vec<[i32; 3]> {
        let mut keys = Vec::with_capacity(32);
        let mut out = vec![[0i32; 3]; v.ctx.tokens.len()];
        for (i, s) in out.iter_mut().enumerate() {
            if taggable(v.ctx, i) {
                cue_features(v, i, &mut keys);
                self.tables[0].add(&keys, s);
            } else {
                *s = [1, 0, 0];
            }
        }
        out
    }

    /// The cue spans tagged B (I …), with their B-over-O margin.
    pub fn cues(&self, scores: &[[i32; 3]]) -> Vec<(Range, i32)> {
        let mut out: Vec<(Range, i32)> = Vec::new();
        let mut open = false;
        for (i, s) in scores.iter().enumerate() {
            let class = argmax(s);
            match class {
                B => {
                    out.push(((i, i + 1), s[B] - s[O]));
                    open = true;
                }
                I if open => {
                    if let Some(last) = out.last_mut() {
                        last.0 .1 = i + 1;
                    }
                }
                I => {
                    out.push(((i, i + 1), s[I] - s[O]));
                    open = true;
                }
                _ => open = false,
            }
        }
        out
    }

    /// The best-scoring content candidate of a cue.
    pub fn content(&self, v: &View, cue: Range) -> Option<Cand> {
        let cands = content_candidates(v.ctx, cue);
        let mut keys = Vec::with_capacity(32);
        let mut best: Option<(i32, usize)> = None;
        for (k, c) in cands.iter().enumerate() {
            content_features(v, cue, c, &mut keys);
            let s = self.tables[1].score(&keys);
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, k));
            }
        }
        best.and_then(|(_, k)| cands.into_iter().nth(k))
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

fn argmax(s: &[i32; 3]) -> usize {
    let mut best = O;
    for c in [B, I] {
        if s[c] > s[best] {
            best = c;
        }
    }
    best
}

/// The attributions' drafts: the rules' drafts combined with the model's per `mode`, in
/// text order of their cues.
pub fn decide(model: Option<&Model>, ctx: &Ctx, v: View, mode: Mode) -> Vec<Draft> {
    let (Some(model), false) = (model, mode == Mode::Rules) else { return v.drafts };
    let scores = model.cue_scores(&v);
    let cues = model.cues(&scores);
    let mut used = vec![false; v.drafts.len()];
    let mut out: Vec<Draft> = Vec::new();
    for &(cue, _margin) in &cues {
        if let Mode::Hybrid { .. } = mode {
            if let Some(r) = (cue.0..cue.1).find_map(|k| v.rule_at.get(k).copied().filter(|&r| r > 0)) {
                let r = r as usize - 1;
                if !used[r] {
                    used[r] = true;
                    out.push(v.drafts[r].clone());
                }
                continue;
            }
        }
        let Some(content) = model.content(&v, cue) else { continue };
        let si = ctx.sent_of.get(cue.0).copied();
        let carried: Vec<Range> = out.iter().rev().filter(|d| d.cue.0 < cue.0 && ctx.sent_of.get(d.cue.0).copied() == si).filter_map(|d| d.source).take(1).collect();
        let source = model.source(&v, cue, &content, &carried);
        let strength = (cue.0..cue.1).find_map(|k| cue_word(ctx.word(k)).filter(|_| ctx.is_word(k))).map_or(Strength::Weak, |c| c.strength);
        out.push(Draft { source, cue, content: content.frags, frame: Frame::Learned, strength });
    }
    if let Mode::Hybrid { veto } = mode {
        for (r, d) in v.drafts.iter().enumerate() {
            if used[r] {
                continue;
            }
            let s = scores.get(d.cue.0).copied().unwrap_or([0; 3]);
            let vetoed = veto.is_some_and(|m| s[O] - s[B].max(s[I]) > m);
            if !vetoed {
                out.push(d.clone());
            }
        }
    }
    out.sort_by_key(|d| d.cue.0);
    out
}

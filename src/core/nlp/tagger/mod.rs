//! The statistical entity tagger: an averaged structured perceptron over BILOU tags,
//! trained by `train-ner` on CoNLL-2003 and WorldWide news and shipped as quantised
//! weights (`models/tagger.bin`): embedded with `include_bytes!` in the CLI and the tests
//! (feature `embedded-models`, on by default), fetched and [`install`]ed by the app's worker.
//!
//! It *proposes* PERSON / ORG / LOC / NORP / DATE spans with a confidence from the decoding
//! margin; the rule-based entity stage decides GPE vs LOC, ROLE and may veto or extend.
//! Pure Rust, no files or threads at inference: the same code runs in the wasm app.

mod bilou;
pub mod decode;
pub mod features;
mod infer;
pub mod model;
pub mod tags;
mod lexfeat;

#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
#[cfg(not(target_arch = "wasm32"))]
pub mod train;

use crate::core::model::label::Label;
use crate::core::model::span::Span;
use model::{Model, ModelError};
use tags::Class;

/// The committed model's bytes.
#[cfg(feature = "embedded-models")]
pub static MODEL_BYTES: &[u8] = include_bytes!("../../../../models/tagger.bin");

/// A span the model proposes.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub span: Span,
    pub class: Class,
    /// 0..1, from the smallest max-marginal margin over the span's tokens.
    pub confidence: f32,
}

impl Proposal {
    pub fn label(&self) -> Label {
        self.class.label()
    }
}

/// The tokens the tagger reads: the shared tokenizer's spans (training and inference
/// must agree, so both go through here).
pub fn tokenize(text: &str) -> Vec<Span> {
    crate::core::nlp::tokenize::tokenize(text).into_iter().map(|t| t.span).collect()
}

pub use lexfeat::lexicon_bits;

/// Margin (in score units) per logistic unit of confidence. Chosen on the WorldWide dev
/// set so that confidence roughly tracks precision (proposals at 0.85 are right about
/// nine times in ten); the raw margins of a perceptron have no probabilistic scale.
const CONFIDENCE_SCALE: f64 = 20.0;

/// A loaded model with its decoding tables.
pub struct Tagger {
    model: Model,
    dense: infer::Dense,
    decoder: bilou::Bilou,
    /// Tells this tagger's [`infer::WordCache`] apart from another tagger's.
    id: u64,
}

thread_local! {
    /// Each thread's word cache, with the id of the tagger it belongs to. Per thread, so
    /// threads tagging in parallel never wait on each other.
    static WORD_CACHE: std::cell::RefCell<(u64, infer::WordCache)> = std::cell::RefCell::new((0, infer::WordCache::new()));
}

/// Empties this thread's word cache: benchmarks call it so that every timed pass over a
/// corpus starts cold, as a fresh process would.
pub fn clear_word_cache() {
    WORD_CACHE.with(|c| c.borrow_mut().1.clear());
}

impl Tagger {
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let model = Model::from_bytes(bytes)?;
        Ok(Tagger {
            dense: infer::Dense::new(&model),
            decoder: bilou::Bilou::new(&model.start, &model.trans),
            model,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// [`infer::emissions`] with this thread's word cache (emptied first if another
    /// tagger used it last).
    fn infer(&self, text: &str, tokens: &[Span], lines: &[std::ops::Range<usize>]) -> Vec<[i32; tags::N_TAGS]> {
        WORD_CACHE.with(|c| {
            // Re-entrance cannot happen (inference calls nothing that tags), but a
            // borrowed cache must never panic: fall back to a throwaway one.
            match c.try_borrow_mut() {
                Ok(mut c) => {
                    let (owner, cache) = &mut *c;
                    if *owner != self.id {
                        cache.clear();
                        *owner = self.id;
                    }
                    infer::emissions(&self.model, &self.dense, cache, text, tokens, lines, &lexicon_bits)
                }
                Err(_) => infer::emissions(&self.model, &self.dense, &mut infer::WordCache::new(), text, tokens, lines, &lexicon_bits),
            }
        })
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The emission scores of every token (one row of tag scores each), as decoding
    /// reads them.
    pub fn emissions(&self, text: &str, tokens: &[Span]) -> Vec<[i32; tags::N_TAGS]> {
        let lines = features::lines(text, tokens);
        self.infer(text, tokens, &lines)
    }

    /// Tags a text with its own tokenisation.
    pub fn tag(&self, text: &str) -> Vec<Proposal> {
        self.tag_tokens(text, &tokenize(text))
    }

    /// Tags pre-tokenised text (`tokens` in order, byte spans into `text`).
    pub fn tag_tokens(&self, text: &str, tokens: &[Span]) -> Vec<Proposal> {
        let lines = features::lines(text, tokens);
        let emit_all = self.infer(text, tokens, &lines);
        let mut out = Vec::new();
        for line in &lines {
            let Some(emit) = emit_all.get(line.clone()) else { continue };
            let (best, fwd) = self.decoder.decode(emit);
            let found = decode::spans(&best);
            if found.is_empty() {
                continue;
            }
            let margins = self.decoder.margins(emit, &fwd, &best);
            for (a, b, class) in found {
                let m = margins[a..b].iter().copied().min().unwrap_or(0);
                let x = (m as f64 * self.model.step as f64 / CONFIDENCE_SCALE).min(50.0);
                let confidence = (1.0 / (1.0 + (-x).exp())) as f32;
                let span = Span::new(tokens[line.start + a].start, tokens[line.start + b - 1].end);
                out.push(Proposal { span, class, confidence });
            }
        }
        out
    }
}

static INSTALLED: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();

/// Installs the model from the bytes of `models/tagger.bin` (the app's worker, built
/// without the embedded model, fetches the file); [`shared`] returns it from then on.
/// Bytes that are not a model are an error, never a panic; a second install is refused.
pub fn install(bytes: &[u8]) -> Result<(), ModelError> {
    INSTALLED.set(Tagger::from_bytes(bytes)?).map_err(|_| ModelError::AlreadyInstalled)
}

/// The model the pipeline tags with: the installed one, else the embedded one (in builds
/// that embed it); `None` in a build without it before [`install`].
pub fn shared() -> Option<&'static Tagger> {
    #[cfg(feature = "embedded-models")]
    if INSTALLED.get().is_none() {
        return Some(embedded());
    }
    INSTALLED.get()
}

/// The embedded model, loaded on first use.
#[cfg(feature = "embedded-models")]
pub fn embedded() -> &'static Tagger {
    static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
    TAGGER.get_or_init(|| Tagger::from_bytes(MODEL_BYTES).expect("the committed model is valid (checked by tests)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app's worker installs the model from fetched bytes: bytes that are not a model
    /// are an error (never a panic) and leave nothing installed; a model installs once.
    #[test]
    fn install_checks_the_bytes_and_installs_once() {
        for bad in [&b""[..], b"NMTAGGR1", b"garbage garbage", &MODEL_BYTES[..MODEL_BYTES.len() / 2]] {
            assert!(install(bad).is_err(), "{} bytes", bad.len());
        }
        assert!(INSTALLED.get().is_none(), "nothing installed by bad bytes");
        install(MODEL_BYTES).unwrap();
        assert_eq!(install(MODEL_BYTES).unwrap_err(), ModelError::AlreadyInstalled);
        let text = "Mr. Kato met Angela Merkel in Berlin on Monday.";
        assert_eq!(shared().unwrap().tag(text), embedded().tag(text), "the installed model tags as the embedded one");
    }

    #[test]
    fn embedded_model_loads_and_never_panics() {
        let t = embedded();
        let table = ["", " ", "\n\n", "é😀\u{301}", "Mr. Kato met Angela Merkel in Berlin on Monday.", "«Ça»—„x“ 3.5"];
        for text in table {
            for p in t.tag(text) {
                assert!(p.span.is_valid_in(text) && !p.span.is_empty(), "{text:?} {p:?}");
                assert!((0.0..=1.0).contains(&p.confidence));
            }
        }
    }
}

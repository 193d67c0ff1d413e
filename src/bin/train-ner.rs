//! Trains the entity tagger and writes `models/tagger.bin`.
//!
//! ```text
//! cargo run --release --bin train-ner -- [--epochs N] [--seed S] [--min-count C]
//!     [--step X] [--prune T] [--out models/tagger.bin] [--scores models/tagger-scores.json] [--dev]
//! ```
//! Defaults: `--epochs 8 --seed 20261127 --min-count 2 --step 0.2 --prune 0.6`: weights in
//! units of 0.2, features whose largest weight is below 0.6 dropped (the smallest model
//! whose pipeline scores equal the finer one's; MODEL.md, "Size").
//! Trains on `shared/data/conll2003-train` and `shared/data/worldwide-train` (the shared
//! folder is `$NEWSMARK_SHARED`, else `../shared` beside the crate, else `/work/shared`).
//! `--dev` scores the tagger alone on `shared/eval/dev/*` after each epoch (tuning only:
//! dev data is never trained on). The final model's tagger-only dev scores are written
//! to `--scores` (checked by `tests/model_scores.rs`). Same command, same bytes.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    newsmark::cli::finish("train-ner", native::run())
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use newsmark::core::nlp::tagger::corpus::{self, GoldDoc};
    use newsmark::core::nlp::tagger::train::{Perceptron, Rng};
    use newsmark::core::nlp::tagger::Tagger;
    use std::path::PathBuf;
    use std::time::Instant;

    struct Args {
        epochs: usize,
        seed: u64,
        min_count: u32,
        step: f32,
        /// Features whose largest weight magnitude is below this are dropped (0: none).
        prune: f32,
        out: PathBuf,
        scores: PathBuf,
        dev: bool,
    }

    fn args() -> Result<Args, String> {
        let mut a = Args { epochs: 8, seed: 20_261_127, min_count: 2, step: 0.2, prune: 0.6, out: "models/tagger.bin".into(), scores: "models/tagger-scores.json".into(), dev: false };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut val = || it.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--epochs" => a.epochs = val()?.parse().map_err(|e| format!("--epochs: {e}"))?,
                "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--min-count" => a.min_count = val()?.parse().map_err(|e| format!("--min-count: {e}"))?,
                "--prune" => a.prune = val()?.parse().map_err(|e| format!("--prune: {e}"))?,
                "--step" => a.step = val()?.parse().map_err(|e| format!("--step: {e}"))?,
                "--out" => a.out = val()?.into(),
                "--scores" => a.scores = val()?.into(),
                "--dev" => a.dev = true,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(a)
    }

    pub fn run() -> Result<(), String> {
        let a = args()?;
        let shared = newsmark::cli::shared_dir();
        let t0 = Instant::now();
        let mut docs = Vec::new();
        for set in ["conll2003-train", "worldwide-train"] {
            let d = GoldDoc::read_dir(&shared.join("data").join(set)).map_err(|e| e.to_string())?;
            eprintln!("{set}: {} documents", d.len());
            docs.extend(d);
        }
        let raw: Vec<_> = docs.iter().map(corpus::raw_doc).collect();
        let (vocab, examples) = corpus::examples(&raw, a.min_count);
        drop(raw);
        let tokens: usize = examples.iter().map(|e| e.mask.len()).sum();
        eprintln!(
            "{} sentences, {tokens} tokens, {} features (seen ≥ {}), {:.1}s",
            examples.len(),
            vocab.len(),
            a.min_count,
            t0.elapsed().as_secs_f32()
        );
        let dev: Vec<(String, Vec<GoldDoc>)> = corpus::DEV_SETS
            .iter()
            .map(|s| Ok((s.to_string(), GoldDoc::read_dir(&shared.join("eval/dev").join(s)).map_err(|e| e.to_string())?)))
            .collect::<Result<_, String>>()?;
        let mut p = Perceptron::new(vocab.len());
        let mut rng = Rng::new(a.seed);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut bytes = Vec::new();
        for epoch in 1..=a.epochs {
            rng.shuffle(&mut order);
            let updates = p.epoch(&examples, &order);
            eprint!("epoch {epoch}: {updates} updates, {:.1}s", t0.elapsed().as_secs_f32());
            if a.dev || epoch == a.epochs {
                let mut fm = p.averaged(&vocab);
                // Pruning: a feature whose weights are all small barely moves a score; its
                // key costs ~2 B gzip whatever its weights (MODEL.md, "Size").
                fm.features.retain(|(_, w)| w.iter().any(|x| x.abs() >= a.prune));
                bytes = fm.encode(a.step);
            }
            if a.dev {
                let tagger = Tagger::from_bytes(&bytes).map_err(|e| e.to_string())?;
                for (name, docs) in &dev {
                    let (all, per) = corpus::score(&tagger, docs);
                    let per: Vec<String> = per.iter().map(|(l, c)| format!("{l} {:.3}", c.f1())).collect();
                    eprint!(" | {name} {:.4} ({})", all.f1(), per.join(" "));
                }
            }
            eprintln!();
        }
        if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&a.out, &bytes).map_err(|e| format!("{}: {e}", a.out.display()))?;
        let tagger = Tagger::from_bytes(&bytes).map_err(|e| e.to_string())?;
        eprintln!("wrote {} ({} bytes, {} features) in {:.1}s", a.out.display(), bytes.len(), tagger.model().n_features(), t0.elapsed().as_secs_f32());
        let scores = corpus::scores_json(&tagger, &dev);
        std::fs::write(&a.scores, scores).map_err(|e| format!("{}: {e}", a.scores.display()))?;
        eprintln!("wrote {} (tagger-only dev scores)", a.scores.display());
        Ok(())
    }
}

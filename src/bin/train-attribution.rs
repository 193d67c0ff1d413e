//! Trains the learned attribution model and writes `models/attribution.bin`.
//!
//! ```text
//! cargo run --release --bin train-attribution -- [--epochs N] [--seed S] [--out PATH]
//!     [--dev-out DIR [--also GOLD_DIR]...] [--mode hybrid[,veto=F,margin=F,content=F|off,nested,negated]|model|rules] [--cue-bias F]
//!     [--steps CUE,CONTENT,SOURCE] [--load MODEL]
//! ```
//! `--load MODEL` measures an existing model file instead of training (gate tuning).
//! Trains on `shared/data/polnear-train` (the shared folder as for `train-ner`), less the
//! documents of the full-scheme dev set (`tests/fixtures/fullscheme`), which are held out. With
//! `--dev-out`, runs the full extraction with the new model (combined with the rules per
//! `--mode`) on `shared/eval/dev/polnear` and the seed (`shared/eval/gold`) and writes one
//! annotations file per document under `DIR/polnear` and `DIR/gold` (and `DIR/NAME` for each
//! `--also …/NAME` folder of gold files, e.g. the materialised full-scheme set), for `score.py` (dev is only measured, never trained on). Same command, same
//! bytes.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train-attribution: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use newsmark::core::nlp::attribution::learned::{train, weights, Gate, Mode, Model, DEFAULT_GATE};
    use newsmark::core::nlp::pipeline;
    use newsmark::core::nlp::tagger::corpus;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    /// Quantisation steps of the cue, content, source and draft-filter tables (weights
    /// under half a step are pruned); chosen on dev for size at no loss (see `MODEL.md`).
    const DEFAULT_STEPS: [f32; 4] = [2.0, 1.0, 1.0, 0.25];

    /// Folds of the draft filter's jackknife: each quarter of the training documents gets
    /// cue margins from a tagger trained on the other three.
    const FOLDS: usize = 4;

    struct Args {
        epochs: usize,
        seed: u64,
        out: PathBuf,
        dev_out: Option<PathBuf>,
        also: Vec<PathBuf>,
        mode: Mode,
        cue_bias: Option<f32>,
        steps: [f32; 4],
        /// Measure this model file instead of training one (tuning the gate quickly).
        load: Option<PathBuf>,
    }

    /// `rules`, `model`, or `hybrid` with gate options joined by commas:
    /// `hybrid,veto=F,margin=F,content=F|off,nested,negated` (`nested` / `negated` keep those cues).
    fn parse_mode(s: &str) -> Result<Mode, String> {
        let mut parts = s.split(',');
        Ok(match parts.next() {
            Some("model") => Mode::Model,
            Some("rules") => Mode::Rules,
            Some("hybrid") => {
                let mut g = DEFAULT_GATE;
                for p in parts {
                    let num = |x: &str| x.parse::<f32>().map_err(|e| format!("--mode {p}: {e}"));
                    match p.split_once('=') {
                        Some(("veto", x)) => g.veto = Some(num(x)?),
                        Some(("margin", x)) => g.min_margin = num(x)?,
                        Some(("content", "off")) => g.content_override = None,
                        Some(("content", x)) => g.content_override = Some(num(x)?),
                        Some(("filter", "off")) => g.filter = None,
                        Some(("filter", x)) => g.filter = Some(num(x)?),
                        None if p == "nested" => g.no_nested = false,
                        None if p == "negated" => g.no_negated = false,
                        _ => return Err(format!("unknown gate option {p}")),
                    }
                }
                Mode::Hybrid(g)
            }
            _ => return Err(format!("unknown --mode {s}")),
        })
    }

    fn args() -> Result<Args, String> {
        let mut a = Args { epochs: 4, seed: 20_261_205, out: "models/attribution.bin".into(), dev_out: None, also: Vec::new(), mode: newsmark::core::nlp::attribution::learned::DEFAULT_MODE, cue_bias: None, steps: DEFAULT_STEPS, load: None };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut val = || it.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--epochs" => a.epochs = val()?.parse().map_err(|e| format!("--epochs: {e}"))?,
                "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--out" => a.out = val()?.into(),
                "--load" => a.load = Some(val()?.into()),
                "--dev-out" => a.dev_out = Some(val()?.into()),
                "--also" => a.also.push(val()?.into()),
                "--mode" => a.mode = parse_mode(&val()?)?,
                "--steps" => {
                    let v: Vec<f32> = val()?.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|e| format!("--steps: {e}"))?;
                    a.steps = v.try_into().map_err(|_| "--steps needs four numbers: cue,content,source,filter")?;
                }
                "--cue-bias" => a.cue_bias = Some(val()?.parse().map_err(|e| format!("--cue-bias: {e}"))?),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(a)
    }

    /// The corpus folder reader the entity tagger's training and the bench use.
    fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
        corpus::json_files(dir).map_err(|e| e.to_string())
    }

    /// Trains on polnear-train (less the held-out full-scheme texts) and writes `a.out`.
    fn train_model(a: &Args, shared: &Path, t0: Instant) -> Result<Vec<u8>, String> {
        let mut ex = train::Examples::default();
        // The full-scheme dev set (tests/fixtures/fullscheme) annotates polnear-train
        // texts: they are held out, or its attribution figure would measure recall of
        // training texts.
        let held_out: Vec<String> = json_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fullscheme"))?
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if held_out.is_empty() {
            return Err("no full-scheme dev set under tests/fixtures/fullscheme to hold out".into());
        }
        let files: Vec<PathBuf> = json_files(&shared.join("data/polnear-train"))?
            .into_iter()
            .filter(|f| f.file_name().is_none_or(|n| !held_out.iter().any(|h| h.as_str() == n)))
            .collect();
        eprintln!("{} full-scheme dev documents held out", held_out.len());
        let mut docs = Vec::with_capacity(files.len());
        for f in &files {
            let raw = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            let (text, mut gold) = train::parse_gold(&raw).map_err(|e| format!("{}: {e}", f.display()))?;
            gold.sort_by_key(|g| g.cue.first().map_or(0, |s| s.start));
            train::add_examples(&text, &gold, &mut ex);
            docs.push((text, gold));
        }
        let s = ex.stats;
        eprintln!(
            "{} documents, {} attributions ({} cues on tokens, content reachable {} ({} exact), source reachable {}); {} tokens tagged; {:.1}s",
            files.len(), s[0], s[1], s[2], s[3], s[4], ex.cue.len(), t0.elapsed().as_secs_f32()
        );
        let mut tables = train::train(&ex, a.epochs, a.seed, |m| eprintln!("{m} ({:.1}s)", t0.elapsed().as_secs_f32()));
        // The draft filter learns which model drafts to keep from cue margins the tagger
        // gives documents it was not trained on (a tagger's margins on its own training
        // documents are too sure of themselves).
        let floor = Gate { min_margin: -FILTER_FLOOR, filter: None, ..DEFAULT_GATE };
        let mut fex = Vec::new();
        for fold in 0..FOLDS {
            let cue = train::train_cue(&ex, |d| d % FOLDS != fold, a.epochs, a.seed + 1 + fold as u64);
            let bytes = weights::encode(&[cue, tables[1].clone(), tables[2].clone(), vec![]], a.steps);
            let m = Model::from_bytes(&bytes).map_err(|e| e.to_string())?.with_cue_bias(FILTER_FLOOR);
            for (text, gold) in docs.iter().skip(fold).step_by(FOLDS) {
                train::filter_examples(text, gold, &m, Mode::Hybrid(floor), &mut fex);
            }
            eprintln!("filter fold {fold}: {} drafts ({:.1}s)", fex.len(), t0.elapsed().as_secs_f32());
        }
        tables[3] = train::train_filter(&fex, a.epochs, a.seed, |m| eprintln!("{m} ({:.1}s)", t0.elapsed().as_secs_f32()));
        drop(ex);
        let bytes = weights::encode(&tables, a.steps);
        if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&a.out, &bytes).map_err(|e| format!("{}: {e}", a.out.display()))?;
        Ok(bytes)
    }

    /// The lowest cue margin (weight units) the draft filter sees, in training and as the
    /// shipped gate's floor.
    const FILTER_FLOOR: f32 = newsmark::core::nlp::attribution::learned::FILTER_FLOOR;

    pub fn run() -> Result<(), String> {
        let a = args()?;
        let shared = newsmark::cli::shared_dir();
        let t0 = Instant::now();
        let bytes = match &a.load {
            Some(path) => std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?,
            None => train_model(&a, &shared, t0)?,
        };
        let mut model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
        if let Some(b) = a.cue_bias {
            model = model.with_cue_bias(b);
        }
        let what = a.load.as_ref().map_or_else(|| format!("wrote {}", a.out.display()), |p| format!("loaded {}", p.display()));
        eprintln!("{what} ({} bytes; keys per table {:?}) in {:.1}s", bytes.len(), model.sizes(), t0.elapsed().as_secs_f32());
        if let Some(out) = &a.dev_out {
            let mut sets: Vec<(PathBuf, String)> = vec![(shared.join("eval/dev/polnear"), "polnear".into()), (shared.join("eval/gold"), "gold".into())];
            for dir in &a.also {
                let name = dir.file_name().map_or_else(|| "also".into(), |n| n.to_string_lossy().into_owned());
                sets.push((dir.clone(), name));
            }
            for (set, name) in &sets {
            let out = out.join(name);
            std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            for f in json_files(set)? {
                let raw = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                let doc = newsmark::core::format::json::read_document(&raw).map_err(|e| format!("{}: {e}", f.display()))?;
                let set = pipeline::extract_using(&doc, Some(&model), a.mode);
                let name = f.file_name().ok_or("bad file name")?;
                std::fs::write(out.join(name), newsmark::core::format::json::export(&set)).map_err(|e| e.to_string())?;
            }
            }
            eprintln!("wrote dev and seed predictions under {} ({:?})", out.display(), a.mode);
        }
        Ok(())
    }
}

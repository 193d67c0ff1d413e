//! Trains the learned attribution model and writes `models/attribution.bin`.
//!
//! ```text
//! cargo run --release --bin train-attribution -- [--epochs N] [--seed S] [--out PATH]
//!     [--dev-out DIR] [--mode hybrid|model|rules|veto:N]
//! ```
//! Trains on `shared/data/polnear-train` (the shared folder as for `train-ner`). With
//! `--dev-out`, runs the full extraction with the new model (combined with the rules per
//! `--mode`) on `shared/eval/dev/polnear` and writes one annotations file per document
//! there, for `score.py` (dev is only measured, never trained on). Same command, same
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
    use newsmark::core::model::annotation::Document;
    use newsmark::core::nlp::attribution::learned::{train, weights, Mode, Model};
    use newsmark::core::nlp::pipeline;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    struct Args {
        epochs: usize,
        seed: u64,
        out: PathBuf,
        dev_out: Option<PathBuf>,
        mode: Mode,
    }

    fn parse_mode(s: &str) -> Result<Mode, String> {
        Ok(match s {
            "hybrid" => Mode::Hybrid { veto: None },
            "model" => Mode::Model,
            "rules" => Mode::Rules,
            v => match v.strip_prefix("veto:") {
                Some(n) => Mode::Hybrid { veto: Some(n.parse().map_err(|e| format!("--mode {v}: {e}"))?) },
                None => return Err(format!("unknown --mode {v}")),
            },
        })
    }

    fn args() -> Result<Args, String> {
        let mut a = Args { epochs: 5, seed: 20_261_205, out: "models/attribution.bin".into(), dev_out: None, mode: newsmark::core::nlp::attribution::learned::DEFAULT_MODE };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut val = || it.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--epochs" => a.epochs = val()?.parse().map_err(|e| format!("--epochs: {e}"))?,
                "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--out" => a.out = val()?.into(),
                "--dev-out" => a.dev_out = Some(val()?.into()),
                "--mode" => a.mode = parse_mode(&val()?)?,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(a)
    }

    fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        Ok(files)
    }

    pub fn run() -> Result<(), String> {
        let a = args()?;
        let shared = newsmark::cli::shared_dir();
        let t0 = Instant::now();
        let mut ex = train::Examples::default();
        let files = json_files(&shared.join("data/polnear-train"))?;
        for f in &files {
            let raw = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            let (text, mut gold) = train::parse_gold(&raw).map_err(|e| format!("{}: {e}", f.display()))?;
            gold.sort_by_key(|g| g.cue.first().map_or(0, |s| s.start));
            train::add_examples(&text, &gold, &mut ex);
        }
        let s = ex.stats;
        eprintln!(
            "{} documents, {} attributions ({} cues on tokens, content reachable {} ({} exact), source reachable {}); {} tokens tagged; {:.1}s",
            files.len(), s[0], s[1], s[2], s[3], s[4], ex.cue.len(), t0.elapsed().as_secs_f32()
        );
        let tables = train::train(&ex, a.epochs, a.seed, |m| eprintln!("{m} ({:.1}s)", t0.elapsed().as_secs_f32()));
        drop(ex);
        let bytes = weights::encode(&tables, 1e-6);
        if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&a.out, &bytes).map_err(|e| format!("{}: {e}", a.out.display()))?;
        let model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
        eprintln!("wrote {} ({} bytes; keys per table {:?}) in {:.1}s", a.out.display(), bytes.len(), model.sizes(), t0.elapsed().as_secs_f32());
        if let Some(out) = &a.dev_out {
            std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            for f in json_files(&shared.join("eval/dev/polnear"))? {
                let raw = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                let doc = newsmark::core::format::json::read_document(&raw).map_err(|e| format!("{}: {e}", f.display()))?;
                let doc = Document::new(doc.id.clone(), doc.title.clone(), doc.text.clone());
                let set = pipeline::extract_using(&doc, Some(&model), a.mode);
                let name = f.file_name().ok_or("bad file name")?;
                std::fs::write(out.join(name), newsmark::core::format::json::export(&set)).map_err(|e| e.to_string())?;
            }
            eprintln!("wrote dev predictions to {} ({:?})", out.display(), a.mode);
        }
        Ok(())
    }
}

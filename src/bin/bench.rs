//! Speed of the entity tagger and of the full extraction pipeline, in words per second.
//!
//! Natively: `cargo run --release --bin bench -- [--secs S] [--only STAGE] [--threads N]
//! [DIR…]` (default: every folder of `shared/eval/dev/`), timing the tagger's stages,
//! `tagger::embedded().tag` and `newsmark::core::extract` over all documents, each
//! repeated for at least S seconds on one thread; `--threads N` also times full
//! extraction with the documents shared out over N threads.
//!
//! In wasm: the same binary built for `wasm32-unknown-unknown` exports `bench_tag`,
//! `bench_extract` and `model_bytes` through wasm-bindgen; `bench/wasm.sh` builds it,
//! runs `wasm-bindgen --target nodejs` and times those calls from `bench/wasm-bench.js`
//! under Node. Words are whitespace-separated runs, counted the same way on both sides.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
mod wasm {
    use newsmark::core::{extract, nlp::tagger, Document};
    use wasm_bindgen::prelude::*;

    /// Tags one text; returns the number of proposals (so the work is not optimised away).
    #[wasm_bindgen]
    pub fn bench_tag(text: &str) -> u32 {
        tagger::embedded().tag(text).len() as u32
    }

    /// Runs the full pipeline on one text; returns the number of entities.
    #[wasm_bindgen]
    pub fn bench_extract(text: &str) -> u32 {
        extract(&Document::new("bench", None, text)).entities.len() as u32
    }

    /// Empties the tagger's word cache, so that each timed pass starts cold.
    #[wasm_bindgen]
    pub fn bench_clear_cache() {
        tagger::clear_word_cache();
    }

    /// Size of the embedded model in bytes.
    #[wasm_bindgen]
    pub fn model_bytes() -> u32 {
        tagger::MODEL_BYTES.len() as u32
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    newsmark::cli::finish("bench", native::run())
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use newsmark::core::nlp::tagger::corpus;
    use newsmark::core::{extract, nlp::tagger, Document};
    use std::path::PathBuf;
    use std::time::Instant;

    fn machine() -> String {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        format!("{cpu}, {cores} cores available (single-threaded run)")
    }

    /// CPU seconds this process has used (user + system, from /proc; 10 ms ticks). Other
    /// jobs on a shared machine slow the wall clock down, not this.
    fn cpu_secs() -> Option<f64> {
        let s = std::fs::read_to_string("/proc/self/stat").ok()?;
        let rest = s.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    }

    /// Runs `f(index, doc)` over all docs until `secs` have passed; prints and returns words per
    /// second of wall time, and prints the rate per CPU second too.
    fn time(label: &str, only: &Option<String>, docs: &[Document], words: usize, secs: f64, mut f: impl FnMut(usize, &Document) -> usize) -> (f64, usize) {
        let mut sink = 0;
        let key = label.split(':').next().unwrap_or("").trim();
        if only.as_ref().is_some_and(|o| !key.contains(o.as_str())) {
            return (0.0, 0);
        }
        for (i, d) in docs.iter().enumerate() {
            sink += f(i, d); // warm-up: lazy tables, caches
        }
        let c0 = cpu_secs();
        let t = Instant::now();
        let mut rounds = 0;
        while rounds == 0 || t.elapsed().as_secs_f64() < secs {
            // Every pass starts with the tagger's word cache empty, as a fresh process
            // would: what is timed is one pass over the corpus, not words cached by the
            // previous pass over the same documents.
            tagger::clear_word_cache();
            for (i, d) in docs.iter().enumerate() {
                sink += f(i, d);
            }
            rounds += 1;
        }
        let wall = (words * rounds) as f64 / t.elapsed().as_secs_f64();
        let cpu = match (c0, cpu_secs()) {
            (Some(a), Some(b)) if b > a => format!("{:>10.0} words per CPU-second", (words * rounds) as f64 / (b - a)),
            _ => "CPU time unavailable".into(),
        };
        println!("{label} {wall:>10.0} words/s wall, {cpu} ({rounds} rounds)");
        (wall, sink)
    }

    /// The rules' stages of `extract`, each timed alone on the previous stages' output
    /// (computed once beforehand), to see where the time of the full pipeline goes.
    fn stages(only: &Option<String>, docs: &[Document], words: usize, secs: f64) {
        use newsmark::core::{nlp::{attribution, boilerplate, mentions, ner, pipeline, sentence, tokenize}, AnnotationSet};
        if only.as_ref().is_some_and(|o| !"rules sentences boilerplate ner mentions attribution".contains(o.as_str())) {
            return;
        }
        let toks: Vec<_> = docs.iter().map(|d| tokenize::tokenize(&d.text)).collect();
        let sents: Vec<_> = docs.iter().zip(&toks).map(|(d, t)| sentence::sentences(&d.text, t)).collect();
        let regions: Vec<_> = docs.iter().map(|d| boilerplate::boilerplate(&d.text)).collect();
        let proposals: Vec<_> = docs.iter().zip(&toks).map(|(d, t)| pipeline::proposals(&d.text, t)).collect();
        let sets: Vec<AnnotationSet> = docs.iter().map(extract).collect();
        time("  r tokenize:   ", only, docs, words, secs, |_, d| tokenize::tokenize(&d.text).len());
        time("  r sentences:  ", only, docs, words, secs, |i, d| sentence::sentences(&d.text, &toks[i]).len());
        time("  r boilerplate:", only, docs, words, secs, |_, d| boilerplate::boilerplate(&d.text).len());
        time("  r ner:        ", only, docs, words, secs, |i, d| {
            ner::entities(&d.text, &toks[i], &sents[i], &regions[i], &proposals[i]).len()
        });
        time("  r mentions:   ", only, docs, words, secs, |i, d| {
            let pairs: Vec<_> = sets[i].entities.iter().map(|e| (e.label.clone(), e.span)).collect();
            mentions::group(&d.text, &pairs).len()
        });
        time("  r attribution:", only, docs, words, secs, |i, d| {
            attribution::find(&d.text, &toks[i], &sents[i], &sets[i].entities, &sets[i].boilerplate).len()
        });
    }

    /// Full extraction with the documents shared out over `threads` threads (as the batch
    /// CLI does): throughput of the whole machine rather than of one core.
    fn parallel(docs: &[Document], words: usize, secs: f64, threads: usize) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        for d in docs {
            extract(d); // warm-up
        }
        let t = Instant::now();
        let mut rounds = 0;
        while rounds == 0 || t.elapsed().as_secs_f64() < secs {
            next.store(0, std::sync::atomic::Ordering::Relaxed);
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(d) = docs.get(i) else { break };
                        std::hint::black_box(extract(d).entities.len());
                    });
                }
            });
            rounds += 1;
        }
        let wall = (words * rounds) as f64 / t.elapsed().as_secs_f64();
        println!("full extraction, {threads} threads: {wall:>10.0} words/s wall ({rounds} rounds)");
    }

    pub fn run() -> Result<(), String> {
        let mut secs = 3.0;
        let mut only: Option<String> = None;
        let mut threads = 1usize;
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            match a.as_str() {
                "--secs" => secs = it.next().and_then(|s| s.parse().ok()).ok_or("--secs needs a number")?,
                "--threads" => threads = it.next().and_then(|s| s.parse().ok()).filter(|&n| n > 0).ok_or("--threads needs a positive number")?,
                "--only" => only = Some(it.next().ok_or("--only needs a stage name (tokenize, emissions, tag, tagger, full)")?),
                _ => dirs.push(a.into()),
            }
        }
        if dirs.is_empty() {
            dirs = corpus::dev_dirs(&newsmark::cli::shared_dir()).map_err(|e| e.to_string())?;
        }
        let mut docs = Vec::new();
        for dir in &dirs {
            for f in corpus::json_files(dir).map_err(|e| e.to_string())? {
                docs.push(newsmark::cli::load_document(&f).map_err(|e| format!("{}: {e}", f.display()))?);
            }
        }
        let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
        println!("machine: {}", machine());
        println!("corpus: {} documents, {words} words ({})", docs.len(), dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "));
        let t0 = Instant::now();
        let _ = tagger::embedded();
        println!("model: {} bytes embedded, loaded in {:.1} ms", tagger::MODEL_BYTES.len(), t0.elapsed().as_secs_f64() * 1e3);
        if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
            println!("load average: {}", l.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
        }
        let toks: Vec<Vec<newsmark::core::Span>> = docs.iter().map(|d| tagger::tokenize(&d.text)).collect();
        time("  tokenize:     ", &only, &docs, words, secs, |_, d| tagger::tokenize(&d.text).len());
        time("  emissions:    ", &only, &docs, words, secs, |i, d| tagger::embedded().emissions(&d.text, &toks[i]).len());
        time("  tag tokens:   ", &only, &docs, words, secs, |i, d| tagger::embedded().tag_tokens(&d.text, &toks[i]).len());
        time("tagger alone:   ", &only, &docs, words, secs, |_, d| tagger::embedded().tag(&d.text).len());
        stages(&only, &docs, words, secs);
        time("full extraction:", &only, &docs, words, secs, |_, d| extract(d).entities.len());
        // What one article opened on its own costs: nothing cached from other documents.
        time("full, each document cold:", &only, &docs, words, secs, |_, d| {
            tagger::clear_word_cache();
            extract(d).entities.len()
        });
        if threads > 1 {
            parallel(&docs, words, secs, threads);
        }
        Ok(())
    }
}

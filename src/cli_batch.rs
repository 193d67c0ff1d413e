//! Batch extraction for the command line: a JSONL stream or many files, in parallel,
//! in constant memory, with a progress bar and a closing summary.
//!
//! JSONL: one reader thread, `jobs` worker threads, the calling thread writes. Lines
//! travel through bounded channels and the reader may run at most [`WINDOW_PER_JOB`] lines
//! per worker ahead of the writer, so memory stays flat however long the input is and
//! however unevenly long its articles are; output keeps input order. A bad line is
//! reported with its number and skipped; it never stops the batch.

use crate::core::{self, format::json, project::jsonl};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How many lines per worker may be in flight (read but not yet written).
pub const WINDOW_PER_JOB: usize = 16;

/// Options shared by both batch modes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub jobs: usize,
    pub progress: bool,
}

impl Options {
    pub fn new(jobs: Option<usize>, quiet: bool) -> Options {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Options { jobs: jobs.unwrap_or(cores).max(1), progress: !quiet }
    }
}

/// What a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub skipped: usize,
    pub words: usize,
    pub elapsed_ms: u128,
}

impl Summary {
    pub fn line(&self, jobs: usize) -> String {
        let secs = (self.elapsed_ms as f64 / 1000.0).max(1e-3);
        format!(
            "{} documents, {} skipped, {} words in {:.2} s ({:.0} words/s, {:.1} documents/s, {} threads)",
            self.documents,
            self.skipped,
            self.words,
            secs,
            self.words as f64 / secs,
            self.documents as f64 / secs,
            jobs
        )
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn bar(total: Option<u64>, on: bool) -> ProgressBar {
    if !on {
        return ProgressBar::hidden();
    }
    let pb = match total {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let style = if total.is_some() {
        "{elapsed_precise} [{bar:40}] {pos}/{len} {per_sec} ETA {eta}"
    } else {
        "{elapsed_precise} {pos} {per_sec}"
    };
    if let Ok(s) = ProgressStyle::with_template(style) {
        pb.set_style(s.progress_chars("=> "));
    }
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// Counts lines in a regular file (a fast pass, constant memory) for the progress total.
fn count_lines(path: &Path) -> Option<u64> {
    let f = std::fs::File::open(path).ok()?;
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut n = 0u64;
    let mut last = b'\n';
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        n += buf.iter().filter(|b| **b == b'\n').count() as u64;
        last = buf[buf.len() - 1];
        let len = buf.len();
        r.consume(len);
    }
    Some(n + u64::from(last != b'\n'))
}

/// One line's outcome, in input order.
enum Done {
    Blank,
    Ok { json: String, words: usize },
    Bad(jsonl::LineError),
}

/// Gate that keeps the reader at most `window` lines ahead of the writer.
struct Gate {
    written: Mutex<usize>,
    cv: Condvar,
    window: usize,
}

impl Gate {
    fn wait_for(&self, seq: usize) {
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        while seq >= *w + self.window {
            w = self.cv.wait(w).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn advance(&self, to: usize) {
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) = to;
        self.cv.notify_all();
    }
}

/// Extracts every article of a JSONL stream (`-` = stdin) into a JSONL of annotation
/// files (`-` = stdout), one compact v1 object per line, in input order.
pub fn run_jsonl(input: &Path, output: &Path, opts: Options) -> std::io::Result<Summary> {
    let start = Instant::now();
    let stdin = input.as_os_str() == "-";
    let total = if stdin { None } else { count_lines(input) };
    let reader: Box<dyn Read + Send> =
        if stdin { Box::new(std::io::stdin()) } else { Box::new(std::fs::File::open(input)?) };
    let mut out: Box<dyn Write> = if output.as_os_str() == "-" {
        Box::new(BufWriter::new(std::io::stdout()))
    } else {
        if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        Box::new(BufWriter::new(std::fs::File::create(output)?))
    };
    let pb = bar(total, opts.progress);
    let window = opts.jobs * WINDOW_PER_JOB;
    let gate = Arc::new(Gate { written: Mutex::new(0), cv: Condvar::new(), window });
    let (line_tx, line_rx) = mpsc::sync_channel::<(usize, String)>(window);
    let line_rx = Arc::new(Mutex::new(line_rx));
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Done)>(window);

    let read_gate = Arc::clone(&gate);
    let reader_thread = std::thread::spawn(move || -> std::io::Result<()> {
        let mut r = BufReader::with_capacity(1 << 16, reader);
        let mut seq = 0;
        loop {
            let mut buf = Vec::new();
            if r.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            read_gate.wait_for(seq);
            // Invalid UTF-8 stays a per-line error (reported by the JSON parser), not an abort.
            let line = String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            if line_tx.send((seq, line)).is_err() {
                return Ok(());
            }
            seq += 1;
        }
    });
    let workers: Vec<_> = (0..opts.jobs)
        .map(|_| {
            let rx = Arc::clone(&line_rx);
            let tx = done_tx.clone();
            std::thread::spawn(move || loop {
                let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, line)) = next else { return };
                let done = match jsonl::parse_line(seq + 1, line.trim_end_matches(['\n', '\r'])) {
                    Ok(None) => Done::Blank,
                    Err(e) => Done::Bad(e),
                    Ok(Some(doc)) => {
                        let set = core::extract(&doc);
                        Done::Ok { json: json::export_value(&set).to_string(), words: words(&doc.text) }
                    }
                };
                if tx.send((seq, done)).is_err() {
                    return;
                }
            })
        })
        .collect();
    drop(done_tx);

    let mut summary = Summary::default();
    let mut pending: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    let mut write_err = None;
    for (seq, done) in done_rx {
        pending.insert(seq, done);
        while let Some(d) = pending.remove(&next) {
            match d {
                Done::Blank => {}
                Done::Bad(e) => {
                    summary.skipped += 1;
                    pb.suspend(|| eprintln!("newsmark: {}: {e} (skipped)", input.display()));
                }
                Done::Ok { json, words } => {
                    summary.documents += 1;
                    summary.words += words;
                    if write_err.is_none() {
                        if let Err(e) = out.write_all(json.as_bytes()).and_then(|_| out.write_all(b"\n")) {
                            write_err = Some(e);
                        }
                    }
                }
            }
            next += 1;
            pb.inc(1);
        }
        gate.advance(next);
    }
    gate.advance(usize::MAX / 2);
    for w in workers {
        let _ = w.join();
    }
    let read_result = reader_thread.join().unwrap_or_else(|_| Err(std::io::Error::other("the reader thread panicked")));
    pb.finish_and_clear();
    if let Some(e) = write_err {
        return Err(e);
    }
    read_result?;
    out.flush()?;
    summary.elapsed_ms = start.elapsed().as_millis();
    Ok(summary)
}

/// The files of `inputs`, folders expanded to their `.txt`/`.json` files (recursively,
/// sorted, so runs are reproducible).
pub fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("json")) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

/// Runs `work` over every file on `jobs` threads with a progress bar; failures are
/// reported with the file name and counted, never stopping the others.
pub fn run_files<E: std::fmt::Display>(
    files: &[PathBuf],
    opts: Options,
    work: impl Fn(&Path) -> Result<usize, E> + Sync,
) -> Summary {
    let start = Instant::now();
    let pb = bar(Some(files.len() as u64), opts.progress);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let summary = Mutex::new(Summary::default());
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.min(files.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(f) = files.get(i) else { return };
                let r = work(f);
                let mut sum = summary.lock().unwrap_or_else(|e| e.into_inner());
                match r {
                    Ok(w) => {
                        sum.documents += 1;
                        sum.words += w;
                    }
                    Err(e) => {
                        sum.skipped += 1;
                        pb.suspend(|| eprintln!("newsmark: {}: {e} (skipped)", f.display()));
                    }
                }
                pb.inc(1);
            });
        }
    });
    pb.finish_and_clear();
    let mut s = summary.into_inner().unwrap_or_else(|e| e.into_inner());
    s.elapsed_ms = start.elapsed().as_millis();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_keeps_order_and_skips_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let mut s = String::new();
        for i in 0..200 {
            match i {
                17 => s.push_str("{not json\n"),
                50 => s.push('\n'),
                90 => s.push_str("{\"id\": \"x\"}\n"),
                _ => s.push_str(&format!("{{\"id\": \"d{i}\", \"text\": \"Article {i} says hello 😀.\"}}\n")),
            }
        }
        std::fs::write(&input, &s).unwrap();
        let output = dir.path().join("sub/out.jsonl");
        let sum = run_jsonl(&input, &output, Options { jobs: 3, progress: false }).unwrap();
        assert_eq!((sum.documents, sum.skipped), (197, 2));
        assert_eq!(sum.words, 197 * 5);
        let out = std::fs::read_to_string(&output).unwrap();
        let ids: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["document"]["id"].as_str().unwrap().to_string())
            .collect();
        let want: Vec<String> = (0..200).filter(|i| ![17, 50, 90].contains(i)).map(|i| format!("d{i}")).collect();
        assert_eq!(ids, want);
        // Each output line is a valid v1 annotations file.
        assert!(json::import(out.lines().next().unwrap()).is_ok());
    }

    #[test]
    fn count_lines_without_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        for (content, want) in [("", 0), ("a\n", 1), ("a\nb", 2), ("a\nb\n", 2)] {
            std::fs::write(&p, content).unwrap();
            assert_eq!(count_lines(&p), Some(want), "{content:?}");
        }
    }

    #[test]
    fn expand_walks_folders_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.txt", "a.json", "sub/c.txt", "skip.md"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let got: Vec<String> = expand(&[dir.path().to_path_buf()])
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["a.json", "b.txt", "sub/c.txt"]);
    }
}

//! Batch extraction for the command line: a JSONL stream or many files, in parallel,
//! in constant memory, with a progress bar and a closing summary.
//!
//! JSONL: one reader thread, `jobs` worker threads, the calling thread writes. Lines
//! travel through bounded channels and the reader may run at most [`WINDOW_PER_JOB`] lines
//! per worker ahead of the writer, so memory stays flat however long the input is and
//! however unevenly long its articles are; output keeps input order. A bad line is
//! reported with its number and skipped; it never stops the batch.

use crate::core::{self, format::json, project::jsonl, model::limits};
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
    /// The pipeline panicked on the document of this 1-based line.
    Panicked { line: usize, message: String },
}

/// One line as read: its text, or how long it was when over the limit (its bytes are
/// skipped, never held in memory).
enum Line {
    Text(String),
    TooLong(usize),
}

/// Runs `f`, turning a panic into its message: one document that trips a bug in the
/// pipeline is reported and skipped instead of killing (or hanging) the whole batch.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    })
}

/// Reads one line of at most `limit` bytes (plus its `\n`) into `buf`; a longer line is
/// consumed to its end without being kept. `Ok(None)` at the end of the input.
fn read_line_limited(r: &mut impl BufRead, limit: usize) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    let n = r.by_ref().take(limit as u64 + 1).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.len() <= limit || buf.last() == Some(&b'\n') {
        // Invalid UTF-8 stays a per-line error (reported by the JSON parser), not an abort.
        let line = String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return Ok(Some(Line::Text(line)));
    }
    let mut len = buf.len();
    drop(buf);
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Some(Line::TooLong(len)));
        }
        match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                return Ok(Some(Line::TooLong(len + i)));
            }
            None => {
                let k = chunk.len();
                len += k;
                r.consume(k);
            }
        }
    }
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
/// files (`-` = stdout), one compact v1 object per line, in input order. Refuses to write
/// over its input; the output file appears (renamed into place) only when the run ends.
pub fn run_jsonl(input: &Path, output: &Path, opts: Options) -> std::io::Result<Summary> {
    run_jsonl_with(input, output, opts, core::extract)
}

/// [`run_jsonl`] with another extraction function (tests give one that panics).
pub fn run_jsonl_with(
    input: &Path,
    output: &Path,
    opts: Options,
    extract: fn(&core::Document) -> core::AnnotationSet,
) -> std::io::Result<Summary> {
    let start = Instant::now();
    let stdin = input.as_os_str() == "-";
    let to_stdout = output.as_os_str() == "-";
    if !stdin && !to_stdout {
        crate::cli_paths::check(&[input.to_path_buf()], &[(output.to_path_buf(), input.to_path_buf())])
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::AlreadyExists, e.to_string()))?;
    }
    let total = if stdin { None } else { count_lines(input) };
    let reader: Box<dyn Read + Send> =
        if stdin { Box::new(std::io::stdin()) } else { Box::new(std::fs::File::open(input)?) };
    let mut file_out = None;
    let mut out: Box<dyn Write> = if to_stdout {
        Box::new(BufWriter::new(std::io::stdout()))
    } else {
        if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        file_out = Some(crate::cli_paths::AtomicFile::create(output)?);
        Box::new(std::io::sink())
    };
    let pb = bar(total, opts.progress);
    let window = opts.jobs * WINDOW_PER_JOB;
    let gate = Arc::new(Gate { written: Mutex::new(0), cv: Condvar::new(), window });
    let (line_tx, line_rx) = mpsc::sync_channel::<(usize, Line)>(window);
    let line_rx = Arc::new(Mutex::new(line_rx));
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Done)>(window);

    let read_gate = Arc::clone(&gate);
    let reader_thread = std::thread::spawn(move || -> std::io::Result<()> {
        let mut r = BufReader::with_capacity(1 << 16, reader);
        let mut seq = 0;
        loop {
            let Some(line) = read_line_limited(&mut r, limits::MAX_JSONL_LINE_BYTES)? else {
                return Ok(());
            };
            read_gate.wait_for(seq);
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
                let line = match line {
                    Line::Text(t) => t,
                    Line::TooLong(len) => {
                        let e = limits::LimitError { limit: limits::Limit::JsonlLineBytes, found: len };
                        let kind = jsonl::LineErrorKind::TooLarge(e);
                        if tx.send((seq, Done::Bad(jsonl::LineError { line: seq + 1, kind }))).is_err() {
                            return;
                        }
                        continue;
                    }
                };
                let done = match jsonl::parse_line(seq + 1, line.trim_end_matches(['\n', '\r'])) {
                    Ok(None) => Done::Blank,
                    Err(e) => Done::Bad(e),
                    Ok(Some(doc)) => match guarded(|| json::export_value(&extract(&doc)).to_string()) {
                        Ok(json) => Done::Ok { json, words: words(&doc.text) },
                        Err(message) => Done::Panicked { line: seq + 1, message },
                    },
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
                Done::Panicked { line, message } => {
                    summary.skipped += 1;
                    pb.suspend(|| {
                        eprintln!(
                            "newsmark: {}: line {line}: the pipeline failed on this document (a bug, please report it: {message}) (skipped)",
                            input.display()
                        )
                    });
                }
                Done::Ok { json, words } => {
                    summary.documents += 1;
                    summary.words += words;
                    if write_err.is_none() {
                        let w: &mut dyn Write = match file_out.as_mut() {
                            Some(f) => f,
                            None => &mut out,
                        };
                        if let Err(e) = w.write_all(json.as_bytes()).and_then(|_| w.write_all(b"\n")) {
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
    if let Some(f) = file_out {
        f.commit()?;
    }
    summary.elapsed_ms = start.elapsed().as_millis();
    Ok(summary)
}

/// The files of `inputs`, folders expanded to their `.txt`/`.json` files (recursively,
/// sorted, so runs are reproducible). Each real folder is walked once: a symlink back up
/// the tree (`a/loop -> ..`) cannot make the walk go round forever.
pub fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut std::collections::HashSet<crate::cli_paths::FileKey>) {
        if !crate::cli_paths::file_key(dir).is_some_and(|k| seen.insert(k)) {
            return;
        }
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out, seen);
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("json")) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out, &mut seen);
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
                let r = match guarded(|| work(f)) {
                    Ok(r) => r.map_err(|e| e.to_string()),
                    Err(m) => Err(format!("the pipeline failed on this document (a bug, please report it: {m})")),
                };
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

    /// Issue 12, item 4: a document that panics the pipeline is a bad line with its
    /// number; the batch finishes (on main it hung: the writer waited for that line forever).
    #[test]
    fn a_panicking_document_is_a_bad_line() {
        fn boom(doc: &core::Document) -> core::AnnotationSet {
            if doc.text.contains("BOOM") {
                panic!("injected");
            }
            core::extract(doc)
        }
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let lines: String = (0..100)
            .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"{}\"}}\n", if i % 10 == 3 { "BOOM" } else { "Oslo agreed." }))
            .collect();
        std::fs::write(&input, lines).unwrap();
        let output = dir.path().join("out.jsonl");
        let sum = run_jsonl_with(&input, &output, Options { jobs: 2, progress: false }, boom).unwrap();
        assert_eq!((sum.documents, sum.skipped), (90, 10));
        assert_eq!(std::fs::read_to_string(&output).unwrap().lines().count(), 90);
        assert_eq!(guarded(|| -> u8 { panic!("x {}", 1) }), Err("x 1".to_string()));
        // run_files isolates the same way.
        let files: Vec<PathBuf> = (0..6).map(|i| PathBuf::from(format!("f{i}"))).collect();
        let sum = run_files(&files, Options { jobs: 2, progress: false }, |f| -> Result<usize, String> {
            if f.ends_with("f2") {
                panic!("injected");
            }
            Ok(1)
        });
        assert_eq!((sum.documents, sum.skipped), (5, 1));
    }

    #[test]
    fn long_lines_are_skipped_without_being_kept() {
        let input = format!("short\n{}\nafter\n{}", "x".repeat(100), "y".repeat(50));
        let mut r = BufReader::with_capacity(8, input.as_bytes());
        let mut got = Vec::new();
        while let Some(l) = read_line_limited(&mut r, 20).unwrap() {
            got.push(match l {
                Line::Text(t) => t,
                Line::TooLong(n) => format!("<{n}>"),
            });
        }
        assert_eq!(got, ["short\n", "<100>", "after\n", "<50>"]);
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

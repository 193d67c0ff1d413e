//! The native command line: `newsmark extract FILE…|DIR… --out DIR`, `newsmark extract
//! --jsonl IN --out OUT` (batch, see `cli_batch`), `newsmark export` (see `cli_export`) and
//! `newsmark ledger` (see `cli_ledger`).
//! --jsonl IN --out OUT` (batch, see `cli_batch`), `newsmark export` (see `cli_export`)
//! and `newsmark agree A B` (see `cli_agree`).
//!
//! Runs the same `extract` pipeline as the browser and writes one annotations file per
//! input, named after the input's stem (which is also the document id).

use crate::core::{self, format::json, model::text, model::limits::Limit};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "newsmark", version, about = "Pre-annotate news articles: entities, attributions, boilerplate")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract annotations from .txt articles or annotation .json files (their text is used).
    Extract {
        /// Input files: plain text (UTF-8) or newsmark annotation JSON; folders are walked
        /// for .txt/.json files.
        #[arg(required_unless_present = "jsonl")]
        files: Vec<PathBuf>,
        /// Folder to write `<stem>.json` into (created if missing); with --jsonl, the output
        /// JSONL file (`-` = stdout).
        #[arg(long)]
        out: PathBuf,
        /// Read articles from a JSONL file (one {"id","title","text"} per line, `-` = stdin)
        /// and stream one annotations object per line to --out, in input order.
        #[arg(long)]
        jsonl: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// No progress bar (the summary is still printed).
        #[arg(long)]
        quiet: bool,
        /// Tag with this entity model file (a `models/tagger.bin` from `train-ner`)
        /// instead of the built-in one: evaluates a retrained model without rebuilding.
        #[arg(long)]
        tagger_model: Option<PathBuf>,
    },
    /// Convert newsmark annotation files to another format (w3c, brat, spacy, conll,
    /// doccano, labelstudio, bundle, json).
    Export {
        #[arg(long, value_enum)]
        format: crate::cli_export::Format,
        /// newsmark v1 annotation .json files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A folder (json, w3c, brat) or a file (spacy, conll, doccano, labelstudio, bundle).
        #[arg(long)]
        out: PathBuf,
    },
    /// The source ledger: who is quoted across the articles (see `cli_ledger`).
    Ledger {
        /// Annotation .json files (counted as reviewed) or .txt articles (pre-annotated);
        /// folders are walked for both.
        #[arg(required_unless_present = "jsonl")]
        files: Vec<PathBuf>,
        /// Articles as JSONL (one {"id","title","text"} per line, `-` = stdin), pre-annotated.
        #[arg(long)]
        jsonl: Option<PathBuf>,
        #[arg(long, value_enum)]
        format: crate::cli_ledger::Format,
        /// The file to write (`-` = stdout).
        #[arg(long)]
        out: PathBuf,
        /// Also count pending suggestions (by default only accepted attributions count).
        #[arg(long)]
        pending: bool,
        /// Replay the merges and splits of a ledger JSON exported from the app.
        #[arg(long)]
        edits: Option<PathBuf>,
    },
    /// Agreement of two annotators: entity F1 (exact, overlap, per label), Cohen's kappa on
    /// token labels, attribution found/full F1. A and B: a .json file, a bundle .zip, or a
    /// folder of them; documents pair by document.id.
    Agree {
        a: PathBuf,
        b: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::cli_agree::Output,
    },
    /// Adjudicate annotators' versions of one document (one .json file each, named A, B, …):
    /// list the disagreements, or with --decisions write the curated version.
    Adjudicate {
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// A JSON array, one entry per listed disagreement: "a", "b", … (take that
        /// annotator's version), "both", "neither" or null (undecided).
        #[arg(long, requires = "out")]
        decisions: Option<PathBuf>,
        /// The curated annotations file to write (origin "curated").
        #[arg(long, requires = "decisions")]
        out: Option<PathBuf>,
    },
}

/// Why one input could not be processed.
#[derive(Debug)]
pub enum InputError {
    Read(std::io::Error),
    Decode(text::DecodeError),
    Json(json::ImportError),
    Write(PathBuf, std::io::Error),
    /// The pipeline panicked on this document (a bug; the batch goes on without it).
    Panicked(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Read(e) => write!(f, "cannot read: {e}"),
            InputError::Decode(e) => write!(f, "{e}"),
            InputError::Json(e) => write!(f, "{e}"),
            InputError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            InputError::Panicked(m) => write!(f, "the pipeline failed on this document (a bug, please report it: {m})"),
        }
    }
}

impl std::error::Error for InputError {}

/// The document in a file: `.json` files are read as annotation files (text kept exactly,
/// so offsets match the gold); anything else as UTF-8 text, normalised.
/// The shared evaluation and training data (`eval/`, `data/`) the dev tools read:
/// `$NEWSMARK_SHARED`, else `../shared` beside the crate (CI's layout), else
/// `/work/shared` (worktrees that live elsewhere).
pub fn shared_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSMARK_SHARED") {
        return p.into();
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if beside.exists() {
        beside
    } else {
        PathBuf::from("/work/shared")
    }
}

pub fn load_document(path: &Path) -> Result<core::Document, InputError> {
    // The size is checked before the file is read, so a huge file costs nothing.
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let limit = if is_json { Limit::FileBytes } else { Limit::ArticleBytes };
    if let Ok(m) = std::fs::metadata(path) {
        let size = usize::try_from(m.len()).unwrap_or(usize::MAX);
        limit.check(size).map_err(|e| InputError::Decode(text::DecodeError::TooLarge(e)))?;
    }
    let bytes = std::fs::read(path).map_err(InputError::Read)?;
    let stem = document_id(path);
    if is_json {
        let raw = std::str::from_utf8(&bytes)
            .map_err(|e| InputError::Decode(text::DecodeError::NotUtf8 { offset: e.valid_up_to() }))?;
        let mut doc = json::read_document(raw).map_err(InputError::Json)?;
        doc.id = stem;
        Ok(doc)
    } else {
        let t = text::decode_article(&bytes).map_err(InputError::Decode)?;
        Ok(core::Document::new(stem, None, t))
    }
}

/// The document id `extract` gives a file: its stem (`gold/y.json` → `y`).
pub fn document_id(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "document".into())
}

/// Where `extract` writes a file's annotations (a file stem is already one path component).
fn output_for(path: &Path, out: &Path) -> PathBuf {
    out.join(format!("{}.json", document_id(path)))
}

/// Extracts one file into `out`; returns its word count (for the batch summary).
fn extract_one(path: &Path, out: &Path) -> Result<usize, InputError> {
    let doc = load_document(path)?;
    let set = crate::cli_batch::guarded(|| core::extract(&doc)).map_err(InputError::Panicked)?;
    let dest = output_for(path, out);
    crate::cli_paths::write_atomic(&dest, json::export(&set).as_bytes()).map_err(|e| InputError::Write(dest.clone(), e))?;
    Ok(doc.text.split_whitespace().count())
}

/// How a developer tool (`bench`, `train-ner`) ends: its error on stderr after its name,
/// and a failing exit code, so scripts that run it stop.
pub fn finish(tool: &str, result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{tool}: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { files, out, jsonl, jobs, quiet, tagger_model } => {
            if let Some(path) = tagger_model {
                let installed = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| crate::core::nlp::tagger::install(&b).map_err(|e| e.to_string()));
                if let Err(e) = installed {
                    eprintln!("newsmark: {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
            let opts = crate::cli_batch::Options::new(jobs, quiet);
            if let Some(input) = jsonl {
                return match crate::cli_batch::run_jsonl(&input, &out, opts) {
                    Ok(sum) => {
                        eprintln!("newsmark: {}", sum.line(opts.jobs));
                        if sum.skipped > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
                    }
                    Err(e) => {
                        eprintln!("newsmark: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            if let Err(e) = std::fs::create_dir_all(&out) {
                eprintln!("newsmark: cannot create {}: {e}", out.display());
                return ExitCode::from(2);
            }
            let files = crate::cli_paths::dedupe(crate::cli_batch::expand(&files));
            let plan: Vec<(PathBuf, PathBuf)> = files.iter().map(|f| (output_for(f, &out), f.clone())).collect();
            if let Err(e) = crate::cli_paths::check(&files, &plan) {
                eprintln!("newsmark: {e}");
                return ExitCode::from(2);
            }
            let sum = crate::cli_batch::run_files(&files, opts, |f| extract_one(f, &out));
            eprintln!("newsmark: {}", sum.line(opts.jobs));
            if sum.skipped > 0 {
                eprintln!("newsmark: {} of {} files failed", sum.skipped, files.len());
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Ledger { files, jsonl, format, out, pending, edits } => {
            let req = crate::cli_ledger::Request { files, jsonl, format, out, include_pending: pending, edits };
            match crate::cli_ledger::run(&req) {
                Ok((notes, skipped)) => {
                    notes.iter().for_each(|n| eprintln!("newsmark: {n}"));
                    if skipped > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
                }
                Err(e) => {
                    eprintln!("newsmark: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Adjudicate { files, decisions, out } => {
            let result = match (decisions, out) {
                (Some(d), Some(o)) => crate::cli_adjudicate::curate(&files, &d, &o).map(|note| {
                    eprintln!("newsmark: {note}");
                }),
                _ => crate::cli_adjudicate::list(&files).map(|s| print!("{s}")),
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("newsmark: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Agree { a, b, format } => match crate::cli_agree::run(&a, &b, format) {
            Ok((report, notes)) => {
                notes.iter().for_each(|n| eprintln!("newsmark: {n}"));
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("newsmark: {e}");
                ExitCode::from(2)
            }
        },
        Command::Export { format, files, out } => match crate::cli_export::run(format, &files, &out) {
            Ok(notes) => {
                notes.iter().for_each(|n| eprintln!("newsmark: {n}"));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("newsmark: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

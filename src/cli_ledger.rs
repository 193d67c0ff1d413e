//! `newsmark ledger FILES|DIR|--jsonl IN --format csv|json|md|html --out PATH`: the source
//! ledger of a set of articles, built by the same core as the app's ledger view
//! ([`crate::core::ledger`]), so the files are the same bytes the app exports.
//!
//! Annotation `.json` files are read as they are (their review state decides what
//! counts); `.txt` files and JSONL articles are pre-annotated first, like an import in the
//! app. `--edits` replays the merges and splits of a ledger JSON exported from the app.

use crate::core::ledger::edits::LedgerEdits;
use crate::core::ledger::export::{self, LedgerFormat};
use crate::core::ledger::{self, Options};
use crate::core::model::annotation::AnnotationSet;
use crate::core::{format::json, model::text, project::jsonl};
use std::fmt;
use std::path::{Path, PathBuf};

/// The formats `newsmark ledger` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per source.
    Csv,
    /// Everything: summary, sources with their quotes, the editor's merges.
    Json,
    /// A summary and a table.
    Md,
    /// A self-contained report with the charts (SVG).
    Html,
}

impl From<Format> for LedgerFormat {
    fn from(f: Format) -> LedgerFormat {
        match f {
            Format::Csv => LedgerFormat::Csv,
            Format::Json => LedgerFormat::Json,
            Format::Md => LedgerFormat::Md,
            Format::Html => LedgerFormat::Html,
        }
    }
}

/// What `newsmark ledger` was asked to do.
pub struct Request {
    pub files: Vec<PathBuf>,
    pub jsonl: Option<PathBuf>,
    pub format: Format,
    pub out: PathBuf,
    pub include_pending: bool,
    pub edits: Option<PathBuf>,
}

#[derive(Debug)]
pub enum LedgerError {
    Read(PathBuf, std::io::Error),
    Input(PathBuf, String),
    Edits(PathBuf, String),
    Write(PathBuf, std::io::Error),
    NoInput,
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Read(p, e) => write!(f, "{}: cannot read: {e}", p.display()),
            LedgerError::Input(p, e) => write!(f, "{}: {e}", p.display()),
            LedgerError::Edits(p, e) => write!(f, "{}: {e}", p.display()),
            LedgerError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            LedgerError::NoInput => write!(f, "no articles: give files, folders or --jsonl"),
        }
    }
}

impl std::error::Error for LedgerError {}

/// One file's annotations: as stored for `.json`, pre-annotated for text.
fn load(path: &Path) -> Result<AnnotationSet, LedgerError> {
    let bytes = std::fs::read(path).map_err(|e| LedgerError::Read(path.to_path_buf(), e))?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        let raw = std::str::from_utf8(&bytes).map_err(|e| LedgerError::Input(path.to_path_buf(), format!("not UTF-8 at byte {}", e.valid_up_to())))?;
        return json::import(raw).map_err(|e| LedgerError::Input(path.to_path_buf(), e.to_string()));
    }
    let doc = crate::cli::load_document(path).map_err(|e| LedgerError::Input(path.to_path_buf(), e.to_string()))?;
    Ok(crate::core::extract(&doc))
}

/// The sets to count, in input order, and the problems met (bad JSONL lines).
fn sets(req: &Request) -> Result<(Vec<AnnotationSet>, Vec<String>), LedgerError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if let Some(input) = &req.jsonl {
        let raw = if input.as_os_str() == "-" {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| LedgerError::Read(input.clone(), e))?;
            s
        } else {
            let bytes = std::fs::read(input).map_err(|e| LedgerError::Read(input.clone(), e))?;
            text::decode(&bytes).map_err(|e| LedgerError::Input(input.clone(), e.to_string()))?
        };
        let batch = jsonl::parse(&raw);
        problems.extend(batch.errors.iter().map(|e| format!("{}: {e}", input.display())));
        out.extend(batch.documents.iter().map(crate::core::extract));
    }
    for f in crate::cli_batch::expand(&req.files) {
        out.push(load(&f)?);
    }
    if out.is_empty() && problems.is_empty() {
        return Err(LedgerError::NoInput);
    }
    Ok((out, problems))
}

/// Builds the ledger and writes it; returns the notes to print (skipped lines, totals)
/// and how many input lines were skipped.
pub fn run(req: &Request) -> Result<(Vec<String>, usize), LedgerError> {
    let edits = match &req.edits {
        Some(p) => {
            let raw = std::fs::read_to_string(p).map_err(|e| LedgerError::Read(p.clone(), e))?;
            export::read_edits(&raw).map_err(|e| LedgerError::Edits(p.clone(), e.to_string()))?
        }
        None => LedgerEdits::default(),
    };
    let (sets, mut notes) = sets(req)?;
    let skipped = notes.len();
    let l = ledger::build(&sets, &edits, Options { include_pending: req.include_pending });
    let body = export::write(&l, req.format.into());
    if req.out.as_os_str() == "-" {
        use std::io::Write;
        std::io::stdout().write_all(body.as_bytes()).map_err(|e| LedgerError::Write(req.out.clone(), e))?;
    } else {
        if let Some(dir) = req.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| LedgerError::Write(dir.to_path_buf(), e))?;
        }
        std::fs::write(&req.out, body).map_err(|e| LedgerError::Write(req.out.clone(), e))?;
    }
    notes.push(format!(
        "{} documents, {} attributions, {} sources{}",
        l.summary.documents,
        l.summary.attributions,
        l.summary.sources,
        if req.include_pending || l.summary.attributions > 0 {
            String::new()
        } else {
            " (nothing accepted yet: --pending counts suggestions too)".to_string()
        }
    ));
    Ok((notes, skipped))
}

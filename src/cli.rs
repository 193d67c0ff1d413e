//! The native command line: `newsmark extract FILE… --out DIR`.
//!
//! Runs the same `extract` pipeline as the browser and writes one annotations file per
//! input, named after the input's stem (which is also the document id).

use crate::extract::{self, format::json, text};
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
        /// Input files: plain text (UTF-8) or newsmark annotation JSON.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder to write `<stem>.json` into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Why one input could not be processed.
#[derive(Debug)]
pub enum InputError {
    Read(std::io::Error),
    Decode(text::DecodeError),
    Json(json::ImportError),
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Read(e) => write!(f, "cannot read: {e}"),
            InputError::Decode(e) => write!(f, "{e}"),
            InputError::Json(e) => write!(f, "{e}"),
            InputError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for InputError {}

/// The document in a file: `.json` files are read as annotation files (text kept exactly,
/// so offsets match the gold); anything else as UTF-8 text, normalised.
pub fn load_document(path: &Path) -> Result<extract::Document, InputError> {
    let bytes = std::fs::read(path).map_err(InputError::Read)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "document".into());
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let raw = std::str::from_utf8(&bytes)
            .map_err(|e| InputError::Decode(text::DecodeError::NotUtf8 { offset: e.valid_up_to() }))?;
        let mut doc = json::read_document(raw).map_err(InputError::Json)?;
        doc.id = stem;
        Ok(doc)
    } else {
        let t = text::decode(&bytes).map_err(InputError::Decode)?;
        Ok(extract::Document::new(stem, None, t))
    }
}

fn extract_one(path: &Path, out: &Path) -> Result<PathBuf, InputError> {
    let doc = load_document(path)?;
    let set = extract::extract(&doc);
    let dest = out.join(format!("{}.json", doc.id));
    std::fs::write(&dest, json::export(&set)).map_err(|e| InputError::Write(dest.clone(), e))?;
    Ok(dest)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { files, out } => {
            if let Err(e) = std::fs::create_dir_all(&out) {
                eprintln!("newsmark: cannot create {}: {e}", out.display());
                return ExitCode::from(2);
            }
            let mut failed = 0;
            for f in &files {
                if let Err(e) = extract_one(f, &out) {
                    eprintln!("newsmark: {}: {e}", f.display());
                    failed += 1;
                }
            }
            if failed > 0 {
                eprintln!("newsmark: {failed} of {} files failed", files.len());
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

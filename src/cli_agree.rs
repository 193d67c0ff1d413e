//! `newsmark agree A B [--format text|json|csv]`: how far two annotators agree (see
//! `core::compare::agree`). A and B are each a newsmark v1 `.json` file, a project bundle
//! (`.zip`, as the app exports it) or a folder of either; documents pair by `document.id`.

use crate::core::compare::agree::{self, AgreeError, Agreement};
use crate::core::format::{bundle, json};
use crate::core::model::annotation::AnnotationSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// How `newsmark agree` prints its figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// A table for the terminal.
    Text,
    /// One JSON object (every count, P/R/F1 and the token confusion table).
    Json,
    /// One row per figure.
    Csv,
}

/// Why `newsmark agree` could not compare.
#[derive(Debug)]
pub enum AgreeCliError {
    Read(PathBuf, std::io::Error),
    Import(PathBuf, json::ImportError),
    Bundle(PathBuf, crate::core::format::common::FormatError),
    Empty(PathBuf),
    Agree(AgreeError),
}

impl fmt::Display for AgreeCliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgreeCliError::Read(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            AgreeCliError::Import(p, e) => write!(f, "{}: {e}", p.display()),
            AgreeCliError::Bundle(p, e) => write!(f, "{}: {e}", p.display()),
            AgreeCliError::Empty(p) => {
                write!(
                    f,
                    "{}: no .json or .zip annotation files there",
                    p.display()
                )
            }
            AgreeCliError::Agree(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AgreeCliError {}

fn is_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn load_file(path: &Path, out: &mut Vec<AnnotationSet>) -> Result<(), AgreeCliError> {
    let bytes = std::fs::read(path).map_err(|e| AgreeCliError::Read(path.into(), e))?;
    if is_ext(path, "zip") {
        let b = bundle::import(&bytes).map_err(|e| AgreeCliError::Bundle(path.into(), e))?;
        out.extend(b.entries.into_iter().map(|e| e.set));
    } else {
        let text = String::from_utf8_lossy(&bytes);
        out.push(json::import(&text).map_err(|e| AgreeCliError::Import(path.into(), e))?);
    }
    Ok(())
}

/// Every annotation set in a file, a bundle, or a folder's `.json`/`.zip` files (sorted by
/// name, not recursive: one folder is one annotator's export).
pub fn load_side(path: &Path) -> Result<Vec<AnnotationSet>, AgreeCliError> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| AgreeCliError::Read(path.into(), e))?
            .filter_map(|d| d.ok().map(|d| d.path()))
            .filter(|p| p.is_file() && (is_ext(p, "json") || is_ext(p, "zip")))
            .collect();
        files.sort();
        for f in &files {
            load_file(f, &mut out)?;
        }
    } else {
        load_file(path, &mut out)?;
    }
    if out.is_empty() {
        return Err(AgreeCliError::Empty(path.into()));
    }
    Ok(out)
}

/// Compares A and B; returns the report to print and notes for stderr (unpaired documents).
pub fn run(a: &Path, b: &Path, output: Output) -> Result<(String, Vec<String>), AgreeCliError> {
    let paired = agree::pair_by_id(load_side(a)?, load_side(b)?).map_err(AgreeCliError::Agree)?;
    let result: Agreement =
        agree::agree(paired.pairs.iter().map(|(x, y)| (x, y))).map_err(AgreeCliError::Agree)?;
    let mut notes = Vec::new();
    for (side, ids) in [("A", &paired.only_a), ("B", &paired.only_b)] {
        if !ids.is_empty() {
            notes.push(format!(
                "{} document(s) only in {side}, not compared: {}",
                ids.len(),
                ids.join(", ")
            ));
        }
    }
    let report = match output {
        Output::Text => result.to_text(),
        Output::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&result.to_json()).unwrap_or_default()
        ),
        Output::Csv => result.to_csv(),
    };
    Ok((report, notes))
}

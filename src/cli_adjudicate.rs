//! `newsmark adjudicate A B [C…] [--decisions FILE --out FILE]`: settle several annotators'
//! versions of one document (see `core::compare::adjudicate`). Without `--decisions` it lists
//! the disagreements, numbered in text order; with it, it writes the curated annotations
//! file. Each input is one annotation `.json` file; annotators are named A, B, C… in the
//! order given.
//!
//! The decisions file is a JSON array with one entry per disagreement: `"a"`, `"b"`, … (take
//! that annotator's version), `"both"`, `"neither"`, or `null` (undecided: its versions come
//! in as suggestions). Own versions are made in the app (E).

use crate::cli_agree::{load_side, AgreeCliError};
use crate::core::compare::adjudicate::{AdjudicateError, Adjudication, Decision, Item};
use crate::core::format::json;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why `newsmark adjudicate` stopped. Nothing is written then.
#[derive(Debug)]
pub enum AdjudicateCliError {
    Load(AgreeCliError),
    /// A file held more (or fewer) than one document.
    NotOne(PathBuf, usize),
    Adjudicate(AdjudicateError),
    Decisions(PathBuf, String),
    Write(PathBuf, std::io::Error),
    Clash(crate::cli_paths::Clash),
}

impl fmt::Display for AdjudicateCliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdjudicateCliError::Load(e) => write!(f, "{e}"),
            AdjudicateCliError::NotOne(p, n) => {
                write!(f, "{}: holds {n} documents; give one annotation file per annotator", p.display())
            }
            AdjudicateCliError::Adjudicate(e) => write!(f, "{e}"),
            AdjudicateCliError::Decisions(p, m) => write!(f, "{}: {m}", p.display()),
            AdjudicateCliError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            AdjudicateCliError::Clash(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AdjudicateCliError {}

/// Annotator names: A, B, … Z, then A2, B2, …
fn name(i: usize) -> String {
    let letter = char::from(b'A' + (i % 26) as u8);
    if i < 26 {
        letter.to_string()
    } else {
        format!("{letter}{}", i / 26 + 1)
    }
}

fn load(files: &[PathBuf]) -> Result<Adjudication, AdjudicateCliError> {
    let mut annotators = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let mut sets = load_side(f).map_err(AdjudicateCliError::Load)?;
        if sets.len() != 1 {
            return Err(AdjudicateCliError::NotOne(f.clone(), sets.len()));
        }
        annotators.push((name(i), sets.remove(0)));
    }
    Adjudication::new(&annotators).map_err(AdjudicateCliError::Adjudicate)
}

fn describe(text: &str, item: &Option<Item>) -> String {
    let q = |s: crate::core::Span| format!("{:?}", s.slice(text).unwrap_or(""));
    match item {
        None => "—".into(),
        Some(Item::Entity(e)) => format!("{} {}", e.label, q(e.span)),
        Some(Item::Attribution(a)) => {
            let content: Vec<String> = a.content.fragments().iter().map(|f| q(*f)).collect();
            format!(
                "{} source {} cue {} content {}",
                a.kind.as_str(),
                a.source.as_ref().map_or("none".into(), |s| q(s.span)),
                a.cue.map_or("none".into(), q),
                content.join(" … ")
            )
        }
    }
}

/// The numbered list of disagreements, one version per line.
pub fn list(files: &[PathBuf]) -> Result<String, AdjudicateCliError> {
    use std::fmt::Write;
    let adj = load(files)?;
    let text = &adj.document().text;
    let mut s = String::new();
    let _ = writeln!(s, "{} agreed item(s) taken; {} disagreement(s):", adj.agreed.len(), adj.disagreements.len());
    for (i, d) in adj.disagreements.iter().enumerate() {
        let classes: Vec<String> = d.classes.iter().map(|c| c.describe(&adj.annotators)).collect();
        let _ = writeln!(s, "{:>4}. {}", i + 1, classes.join(", "));
        for (n, v) in adj.annotators.iter().zip(&d.versions) {
            let _ = writeln!(s, "      {n}: {}", describe(text, v));
        }
    }
    Ok(s)
}

fn parse_decisions(path: &Path, adj: &Adjudication) -> Result<Vec<Option<Decision>>, AdjudicateCliError> {
    let bad = |m: String| AdjudicateCliError::Decisions(path.into(), m);
    let raw = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let v: serde_json::Value = serde_json::from_str(&raw).map_err(|e| bad(format!("not JSON: {e}")))?;
    let list = v.as_array().ok_or_else(|| bad("expected an array with one decision per disagreement".into()))?;
    list.iter()
        .enumerate()
        .map(|(i, d)| match d {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => match s.to_lowercase().as_str() {
                "both" => Ok(Some(Decision::TakeAll)),
                "neither" => Ok(Some(Decision::Neither)),
                other => adj
                    .annotators
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(other))
                    .map(|k| Some(Decision::Take(k)))
                    .ok_or_else(|| bad(format!("decision {}: {s:?} is not an annotator, \"both\", \"neither\" or null", i + 1))),
            },
            other => Err(bad(format!("decision {}: {other} is not a string or null", i + 1))),
        })
        .collect()
}

/// Writes the curated file; returns a note for stderr (how many were left undecided).
pub fn curate(files: &[PathBuf], decisions: &Path, out: &Path) -> Result<String, AdjudicateCliError> {
    let mut inputs = files.to_vec();
    inputs.push(decisions.to_path_buf());
    crate::cli_paths::check(&inputs, &[(out.to_path_buf(), files[0].clone())]).map_err(AdjudicateCliError::Clash)?;
    let adj = load(files)?;
    let decisions = parse_decisions(decisions, &adj)?;
    let set = adj.curate(&decisions).map_err(AdjudicateCliError::Adjudicate)?;
    crate::cli_paths::write_atomic(out, json::export(&set).as_bytes())
        .map_err(|e| AdjudicateCliError::Write(out.into(), e))?;
    let undecided = decisions.iter().filter(|d| d.is_none()).count();
    Ok(format!(
        "wrote {} ({} entities, {} attributions; {undecided} disagreement(s) left undecided, kept as suggestions)",
        out.display(),
        set.entities.len(),
        set.attributions.len()
    ))
}

//! `newsmark export --format FORMAT FILE.json… --out PATH`: newsmark v1 annotation files
//! converted to an interchange format (also what the interop tests feed real readers).
//!
//! Per-document formats (`w3c`, `brat`, `json`) write into the folder `--out`; the others
//! hold many documents and write the file `--out` (plus, for Label Studio, the labelling
//! config beside it).

use crate::core::model::annotation::AnnotationSet;
use crate::core::format::{brat, bundle, conll, doccano, json, labelstudio, spacy, w3c};
use std::fmt;
use std::path::{Path, PathBuf};

/// The formats `newsmark export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// newsmark v1 JSON, one file per document.
    Json,
    /// W3C Web Annotation JSON-LD, one `.jsonld` per document.
    W3c,
    /// brat standoff: `.txt` + `.ann` per document, and `annotation.conf`.
    Brat,
    /// spaCy/Prodigy JSONL, one line per document.
    Spacy,
    /// CoNLL IOB (entities only).
    Conll,
    /// doccano JSONL.
    Doccano,
    /// Label Studio tasks JSON with predictions (+ `<name>.label_config.xml`).
    Labelstudio,
    /// Project bundle (zip).
    Bundle,
}

#[derive(Debug)]
pub enum ExportError {
    Read(PathBuf, std::io::Error),
    Import(PathBuf, json::ImportError),
    Write(PathBuf, std::io::Error),
    Bundle(crate::core::format::common::FormatError),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Read(p, e) => write!(f, "{}: cannot read: {e}", p.display()),
            ExportError::Import(p, e) => write!(f, "{}: {e}", p.display()),
            ExportError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            ExportError::Bundle(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExportError {}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), ExportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| ExportError::Write(dir.to_path_buf(), e))?;
    }
    std::fs::write(path, bytes).map_err(|e| ExportError::Write(path.to_path_buf(), e))
}

/// A file name for a document id (no path separators).
fn stem(id: &str) -> String {
    id.chars().map(|c| if c == '/' || c == '\\' || c == '\0' { '_' } else { c }).collect()
}

/// Reads the inputs and writes them in `format`; returns notes for the user (losses).
pub fn run(format: Format, inputs: &[PathBuf], out: &Path) -> Result<Vec<String>, ExportError> {
    let mut sets: Vec<AnnotationSet> = Vec::with_capacity(inputs.len());
    for p in inputs {
        let raw = std::fs::read_to_string(p).map_err(|e| ExportError::Read(p.clone(), e))?;
        sets.push(json::import(&raw).map_err(|e| ExportError::Import(p.clone(), e))?);
    }
    let mut notes = Vec::new();
    match format {
        Format::Json | Format::W3c | Format::Brat => {
            for s in &sets {
                let base = out.join(stem(&s.document.id));
                match format {
                    Format::Json => write(&base.with_extension("json"), json::export(s))?,
                    Format::W3c => write(&base.with_extension("jsonld"), w3c::export(s))?,
                    _ => {
                        let f = brat::export(s);
                        if f.dropped > 0 {
                            notes.push(format!("{}: {} spans made only of line breaks left out", s.document.id, f.dropped));
                        }
                        write(&base.with_extension("txt"), f.txt)?;
                        write(&base.with_extension("ann"), f.ann)?;
                    }
                }
            }
            if format == Format::Brat {
                let schema = sets.first().map(|s| s.schema.clone()).unwrap_or_default();
                write(&out.join("annotation.conf"), brat::annotation_conf(&schema))?;
            }
        }
        Format::Spacy => write(out, spacy::export_all(&sets))?,
        Format::Doccano => write(out, doccano::export_all(&sets))?,
        Format::Conll => {
            let e = conll::export(&sets);
            if !e.losses().is_empty() {
                notes.push(e.losses());
            }
            write(out, e.text)?;
        }
        Format::Labelstudio => {
            write(out, labelstudio::export(&sets))?;
            let schema = sets.first().map(|s| s.schema.clone()).unwrap_or_default();
            write(&out.with_extension("label_config.xml"), labelstudio::label_config(&schema))?;
        }
        Format::Bundle => {
            let b = bundle::Bundle {
                project: serde_json::Value::Null,
                entries: sets.into_iter().map(|set| bundle::Entry { set, meta: serde_json::Value::Null }).collect(),
            };
            write(out, bundle::export(&b).map_err(ExportError::Bundle)?)?;
        }
    }
    Ok(notes)
}

//! `newsmark export --format FORMAT FILE.json… --out PATH`: newsmark v1 annotation files
//! converted to an interchange format (also what the interop tests feed real readers).
//!
//! Per-document formats (`w3c`, `brat`, `json`) write into the folder `--out`; the others
//! hold many documents and write the file `--out` (plus, for Label Studio, the labelling
//! config beside it).

use crate::core::model::annotation::AnnotationSet;
use crate::core::format::{brat, bundle, conll, doccano, json, labelstudio, spacy, w3c};
use crate::core::model::limits::Limit;
use std::collections::HashMap;
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
    /// Two inputs hold documents with one id (their outputs would collide).
    SameId { id: String, first: PathBuf, second: PathBuf },
    /// An output would overwrite an input, or two outputs share a path.
    Clash(crate::cli_paths::Clash),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Read(p, e) => write!(f, "{}: cannot read: {e}", p.display()),
            ExportError::Import(p, e) => write!(f, "{}: {e}", p.display()),
            ExportError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            ExportError::Bundle(e) => write!(f, "{e}"),
            ExportError::SameId { id, first, second } => write!(
                f,
                "refusing to run: {} and {} both hold document {id:?} (their outputs would collide)",
                first.display(),
                second.display()
            ),
            ExportError::Clash(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// Writes one output whole (temporary file + rename), creating its folder.
fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), ExportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| ExportError::Write(dir.to_path_buf(), e))?;
    }
    crate::cli_paths::write_atomic(path, bytes.as_ref()).map_err(|e| ExportError::Write(path.to_path_buf(), e))
}

/// Reads the inputs and writes them in `format`; returns notes for the user (losses).
/// Refuses, before writing anything, two inputs with one document id and any output that
/// would overwrite an input.
pub fn run(format: Format, inputs: &[PathBuf], out: &Path) -> Result<Vec<String>, ExportError> {
    let mut sets: Vec<AnnotationSet> = Vec::with_capacity(inputs.len());
    for p in inputs {
        if let Ok(m) = std::fs::metadata(p) {
            let size = usize::try_from(m.len()).unwrap_or(usize::MAX);
            Limit::FileBytes.check(size).map_err(|e| ExportError::Import(p.clone(), json::ImportError::TooLarge(e)))?;
        }
        let raw = std::fs::read_to_string(p).map_err(|e| ExportError::Read(p.clone(), e))?;
        sets.push(json::import(&raw).map_err(|e| ExportError::Import(p.clone(), e))?);
    }
    let mut first_with_id: HashMap<&str, &PathBuf> = HashMap::new();
    for (s, p) in sets.iter().zip(inputs) {
        if let Some(first) = first_with_id.insert(&s.document.id, p) {
            return Err(ExportError::SameId { id: s.document.id.clone(), first: first.clone(), second: p.clone() });
        }
    }
    // Every file this run will write, with the input it comes from.
    let stems: Vec<String> = sets.iter().map(|s| crate::cli_paths::safe_stem(&s.document.id)).collect();
    let per_doc = |ext: &str| -> Vec<(PathBuf, PathBuf)> {
        stems.iter().zip(inputs).map(|(st, p)| (out.join(format!("{st}.{ext}")), p.clone())).collect()
    };
    let first = inputs.first().cloned().unwrap_or_default();
    let plan: Vec<(PathBuf, PathBuf)> = match format {
        Format::Json => per_doc("json"),
        Format::W3c => per_doc("jsonld"),
        Format::Brat => {
            let mut v = per_doc("txt");
            v.extend(per_doc("ann"));
            v.push((out.join("annotation.conf"), first));
            v
        }
        Format::Labelstudio => vec![(out.to_path_buf(), first.clone()), (out.with_extension("label_config.xml"), first)],
        Format::Spacy | Format::Doccano | Format::Conll | Format::Bundle => vec![(out.to_path_buf(), first)],
    };
    crate::cli_paths::check(inputs, &plan).map_err(ExportError::Clash)?;

    let mut notes = Vec::new();
    match format {
        Format::Json | Format::W3c | Format::Brat => {
            for (s, stem) in sets.iter().zip(&stems) {
                let base = |ext: &str| out.join(format!("{stem}.{ext}"));
                match format {
                    Format::Json => write(&base("json"), json::export(s))?,
                    Format::W3c => write(&base("jsonld"), w3c::export(s))?,
                    _ => {
                        let f = brat::export(s);
                        if f.dropped > 0 {
                            notes.push(format!("{}: {} spans made only of line breaks left out", s.document.id, f.dropped));
                        }
                        write(&base("txt"), f.txt)?;
                        write(&base("ann"), f.ann)?;
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

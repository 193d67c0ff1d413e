//! One entry point over every format, for the app's export menu and import drop zone:
//! names, file extensions, what each format loses, export to files, and import of one
//! document's annotations onto the document already open (re-anchoring when its text
//! differs).

use crate::core::model::annotation::{AnnotationSet, Document};
use crate::core::format::anchor::reanchor;
use crate::core::format::anchor::Imported;
use crate::core::format::common::FormatError;
use crate::core::format::{brat, bundle, conll, doccano, json, labelstudio, spacy, w3c};

/// Every format newsmark writes and reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormatKind {
    Json,
    Bundle,
    W3c,
    Brat,
    Spacy,
    Conll,
    Doccano,
    LabelStudio,
}

impl FormatKind {
    pub const ALL: [FormatKind; 8] = [
        FormatKind::Json,
        FormatKind::Bundle,
        FormatKind::W3c,
        FormatKind::Brat,
        FormatKind::Spacy,
        FormatKind::Conll,
        FormatKind::Doccano,
        FormatKind::LabelStudio,
    ];

    /// The name the UI shows.
    pub fn title(self) -> &'static str {
        match self {
            FormatKind::Json => "newsmark JSON",
            FormatKind::Bundle => "Project bundle (.zip)",
            FormatKind::W3c => "W3C Web Annotation (JSON-LD)",
            FormatKind::Brat => "brat standoff (.ann)",
            FormatKind::Spacy => "spaCy / Prodigy JSONL",
            FormatKind::Conll => "CoNLL IOB",
            FormatKind::Doccano => "doccano JSONL",
            FormatKind::LabelStudio => "Label Studio JSON (predictions)",
        }
    }

    /// The main file's extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            FormatKind::Json => "json",
            FormatKind::Bundle => "zip",
            FormatKind::W3c => "jsonld",
            FormatKind::Brat => "ann",
            FormatKind::Spacy | FormatKind::Doccano => "jsonl",
            FormatKind::Conll => "conll",
            FormatKind::LabelStudio => "json",
        }
    }

    /// What the format cannot hold, for the UI to say before exporting (None: nothing lost).
    pub fn losses(self) -> Option<&'static str> {
        match self {
            FormatKind::Conll => Some(
                "CoNLL keeps entities only: attributions, boilerplate, review state and overlapping entities are left out.",
            ),
            FormatKind::Doccano | FormatKind::LabelStudio => {
                Some("Rejected suggestions are not handed over; everything else is kept.")
            }
            _ => None,
        }
    }
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// A file-name stem for a document id.
fn stem(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if s.is_empty() { "document".into() } else { s }
}

fn file(name: String, mime: &'static str, text: impl Into<Vec<u8>>) -> ExportFile {
    ExportFile { name, mime, bytes: text.into() }
}

/// Exports `sets` (one document or a project) as files named after `base`; also returns
/// notes on what was left out.
pub fn export_files(kind: FormatKind, sets: &[&AnnotationSet], base: &str) -> Result<(Vec<ExportFile>, Vec<String>), FormatError> {
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let one = sets.len() == 1;
    let name = |id: &str, ext: &str| if one { format!("{base}.{ext}") } else { format!("{}.{ext}", stem(id)) };
    match kind {
        FormatKind::Json => {
            for s in sets {
                files.push(file(name(&s.document.id, "json"), "application/json", json::export(s)));
            }
        }
        FormatKind::W3c => {
            for s in sets {
                files.push(file(name(&s.document.id, "jsonld"), "application/ld+json", w3c::export(s)));
            }
        }
        FormatKind::Brat => {
            for s in sets {
                let f = brat::export(s);
                if f.dropped > 0 {
                    notes.push(format!("{}: {} spans made only of line breaks left out", s.document.id, f.dropped));
                }
                files.push(file(name(&s.document.id, "txt"), "text/plain", f.txt));
                files.push(file(name(&s.document.id, "ann"), "text/plain", f.ann));
            }
            let schema = sets.first().map(|s| s.schema.clone()).unwrap_or_default();
            files.push(file("annotation.conf".into(), "text/plain", brat::annotation_conf(&schema)));
        }
        FormatKind::Spacy => files.push(file(format!("{base}.jsonl"), "application/jsonl", spacy::export_all(sets.iter().copied()))),
        FormatKind::Doccano => {
            files.push(file(format!("{base}.jsonl"), "application/jsonl", doccano::export_all(sets.iter().copied())))
        }
        FormatKind::Conll => {
            let e = conll::export(sets.iter().copied());
            if !e.losses().is_empty() {
                notes.push(e.losses());
            }
            files.push(file(format!("{base}.conll"), "text/plain", e.text));
        }
        FormatKind::LabelStudio => {
            files.push(file(format!("{base}.json"), "application/json", labelstudio::export(sets.iter().copied())));
            let schema = sets.first().map(|s| s.schema.clone()).unwrap_or_default();
            files.push(file(format!("{base}.label_config.xml"), "application/xml", labelstudio::label_config(&schema)));
        }
        FormatKind::Bundle => {
            let b = bundle::Bundle {
                project: serde_json::Value::Null,
                entries: sets.iter().map(|s| bundle::Entry { set: (*s).clone(), meta: serde_json::Value::Null }).collect(),
            };
            files.push(ExportFile { name: format!("{base}.zip"), mime: "application/zip", bytes: bundle::export(&b)? });
        }
    }
    Ok((files, notes))
}

/// The set of a multi-document file that belongs to `doc`: the one with its id, or the
/// only one.
fn pick(sets: Vec<AnnotationSet>, doc: &Document) -> Result<AnnotationSet, FormatError> {
    let n = sets.len();
    let mut it = sets.into_iter();
    let mut found = None;
    let mut only = None;
    for s in it.by_ref() {
        if s.document.id == doc.id {
            found = Some(s);
            break;
        }
        only = Some(s);
    }
    found.or(if n == 1 { only } else { None }).ok_or_else(|| FormatError::Dangling {
        item: "file".into(),
        id: format!("{} (no document with this id among {n})", doc.id),
    })
}

/// Reads one document's annotations from a file of `kind` onto `doc`, re-anchoring by
/// quote and context when the file's text differs, and listing what could not be placed.
/// (Bundles hold whole projects: read them with [`bundle::import`].)
pub fn import_onto(kind: FormatKind, bytes: &[u8], doc: &Document) -> Result<Imported, FormatError> {
    if kind == FormatKind::Bundle {
        let b = bundle::import(bytes)?;
        let set = pick(b.entries.into_iter().map(|e| e.set).collect(), doc)?;
        return Ok(reanchor(&set, doc));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| FormatError::BadLine { line: 0, reason: format!("not UTF-8 text (bad byte at offset {})", e.valid_up_to()) })?;
    let set = match kind {
        FormatKind::Json => json::import(text).map_err(|e| FormatError::InBundle {
            file: "annotations".into(),
            error: Box::new(crate::core::format::common::BundleFileError::Json(e)),
        })?,
        FormatKind::W3c => return w3c::import(text, doc),
        // brat's .ann indexes the .txt; the open document's text stands in for it.
        FormatKind::Brat => brat::import(&doc.id, &doc.text, text)?,
        FormatKind::Spacy => pick(spacy::import(text)?, doc)?,
        FormatKind::Doccano => pick(doccano::import(text)?, doc)?,
        FormatKind::LabelStudio => pick(labelstudio::import(text)?, doc)?,
        FormatKind::Conll => return conll::import_onto(text, std::slice::from_ref(doc))?.into_iter().next().ok_or(FormatError::Empty),
        FormatKind::Bundle => unreachable!("handled above"),
    };
    let mut r = reanchor(&set, doc);
    r.set.document = doc.clone();
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::{canon, sample};
    use proptest::prelude::*;

    #[test]
    fn every_format_round_trips_through_files() {
        let set = sample();
        for kind in FormatKind::ALL {
            let (files, _) = export_files(kind, &[&set], "sample").unwrap();
            let main = files.iter().find(|f| f.name.ends_with(kind.extension())).unwrap();
            let back = import_onto(kind, &main.bytes, &set.document).unwrap();
            assert!(back.unplaced.is_empty(), "{kind:?}: {:?}", back.unplaced);
            match kind {
                FormatKind::Conll => assert_eq!(back.set.entities.len(), 1, "{kind:?}"),
                // Rejected items are not handed over; the sample has none.
                _ => assert_eq!(canon(&back.set), canon(&set), "{kind:?}"),
            }
        }
    }

    #[test]
    fn changed_text_is_reanchored_for_every_text_carrying_format() {
        let set = sample();
        let edited = format!("Update: {}", set.text().replace("JOIN US ON TELEGRAM", "—"));
        let doc = Document::new("sample", None, edited.as_str());
        for kind in [FormatKind::Json, FormatKind::W3c, FormatKind::Spacy, FormatKind::Doccano, FormatKind::LabelStudio, FormatKind::Bundle] {
            let (files, _) = export_files(kind, &[&set], "sample").unwrap();
            let main = files.iter().find(|f| f.name.ends_with(kind.extension())).unwrap();
            let back = import_onto(kind, &main.bytes, &doc).unwrap();
            assert_eq!(back.set.entities[0].span.slice(&edited), Some("Caroline Leavitt"), "{kind:?}");
            assert_eq!(back.unplaced.len(), 1, "{kind:?}: the boilerplate is gone");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// No importer panics on a damaged file: every export of the sample, cut short at
        /// any character and with any character replaced, gives a result or a typed error.
        #[test]
        fn damaged_files_never_panic(cut in 0usize..4000, at in 0usize..4000, with in any::<char>()) {
            let set = sample();
            for kind in FormatKind::ALL {
                let (files, _) = export_files(kind, &[&set], "sample").unwrap();
                let main = files.iter().find(|f| f.name.ends_with(kind.extension())).unwrap();
                if kind == FormatKind::Bundle {
                    let mut b = main.bytes.clone();
                    let i = at % b.len();
                    b[i] = b[i].wrapping_add(with as u8 | 1);
                    let _ = import_onto(kind, &b, &set.document);
                    let _ = import_onto(kind, &main.bytes[..cut % main.bytes.len()], &set.document);
                    continue;
                }
                let text = String::from_utf8(main.bytes.clone()).unwrap();
                let chars: Vec<char> = text.chars().collect();
                let cut_text: String = chars[..cut % chars.len()].iter().collect();
                let mut replaced = chars.clone();
                replaced[at % chars.len()] = with;
                let replaced: String = replaced.into_iter().collect();
                for input in [cut_text, replaced] {
                    let _ = import_onto(kind, input.as_bytes(), &set.document);
                }
            }
        }

        #[test]
        fn arbitrary_input_never_panics(input in "\\PC{0,200}") {
            let doc = Document::new("d", None, "Some text 😀 here.");
            for kind in FormatKind::ALL {
                let _ = import_onto(kind, input.as_bytes(), &doc);
            }
        }
    }
}

//! Project bundles: one zip holding every document's newsmark v1 JSON plus a manifest.
//!
//! ```text
//! manifest.json            {"format": "newsmark.bundle", "version": 1, "project": {…},
//!                           "documents": [{"id", "title", "file", "meta"}, …]}
//! documents/<id>.json      the v1 annotations file (format::json)
//! ```
//! `project` and each document's `meta` are the caller's (the app keeps review status
//! there) and come back unchanged. Entries are deflated (pure Rust, see `zipfile`) and
//! carry a fixed timestamp, so the same project always gives the same bytes.

use crate::core::model::annotation::AnnotationSet;
use crate::core::format::common::{BundleFileError, FormatError};
use crate::core::format::json;
use crate::core::format::zipfile::{ZipError, ZipReader, ZipWriter};
use crate::core::model::limits::{self, Limit};
use serde_json::{json, Value};
use std::collections::HashSet;

pub const FORMAT: &str = "newsmark.bundle";
pub const VERSION: u64 = 1;
pub const MANIFEST: &str = "manifest.json";
/// No single entry may unpack to more than this (a guard against zip bombs).
pub const MAX_ENTRY_BYTES: usize = limits::MAX_FILE_BYTES;

/// One document of a bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub set: AnnotationSet,
    /// The caller's data for this document (e.g. its review status); `null` when none.
    pub meta: Value,
}

/// A whole bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub project: Value,
    pub entries: Vec<Entry>,
}

/// A file name for a document id: safe characters only, unique within the bundle.
fn file_name(id: &str, used: &mut HashSet<String>) -> String {
    let stem = crate::core::format::common::safe_stem(id, true);
    let mut name = format!("documents/{stem}.json");
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("documents/{stem}-{n}.json");
        n += 1;
    }
    name
}

fn archive_err(e: ZipError) -> FormatError {
    FormatError::Archive { reason: e.to_string() }
}

/// Writes the bundle as zip bytes.
pub fn export(bundle: &Bundle) -> Result<Vec<u8>, FormatError> {
    let mut zip = ZipWriter::new();
    let mut used = HashSet::new();
    let mut docs = Vec::new();
    for e in &bundle.entries {
        let file = file_name(&e.set.document.id, &mut used);
        zip.add(&file, json::export(&e.set).as_bytes()).map_err(archive_err)?;
        docs.push(json!({"id": e.set.document.id, "title": e.set.document.title, "file": file, "meta": e.meta}));
    }
    let manifest = json!({
        "format": FORMAT,
        "version": VERSION,
        "generator": concat!("newsmark ", env!("CARGO_PKG_VERSION")),
        "project": bundle.project,
        "documents": docs,
    });
    let manifest = serde_json::to_string_pretty(&manifest).expect("a JSON value always serialises");
    zip.add(MANIFEST, manifest.as_bytes()).map_err(archive_err)?;
    zip.finish().map_err(archive_err)
}

/// An error about one file of the bundle.
fn archive_in(file: &str, e: impl Into<FormatError>) -> FormatError {
    FormatError::InBundle { file: file.into(), error: Box::new(BundleFileError::Format(e.into())) }
}

impl From<ZipError> for FormatError {
    fn from(e: ZipError) -> FormatError {
        archive_err(e)
    }
}

impl From<limits::LimitError> for FormatError {
    fn from(e: limits::LimitError) -> FormatError {
        FormatError::TooLarge(e)
    }
}

fn read_entry(zip: &ZipReader<'_>, name: &str) -> Result<String, FormatError> {
    let in_file = |e: FormatError| FormatError::InBundle { file: name.into(), error: Box::new(BundleFileError::Format(e)) };
    let bytes = zip.read(name, MAX_ENTRY_BYTES).map_err(|e| in_file(archive_err(e)))?;
    String::from_utf8(bytes).map_err(|e| {
        in_file(FormatError::BadLine { line: 0, reason: format!("not UTF-8 (bad byte at offset {})", e.utf8_error().valid_up_to()) })
    })
}

/// Reads a bundle. Any bad document fails the import, naming its file.
pub fn import(bytes: &[u8]) -> Result<Bundle, FormatError> {
    if bytes.is_empty() {
        return Err(FormatError::Empty);
    }
    let zip = ZipReader::new(bytes).map_err(archive_err)?;
    let manifest_text = read_entry(&zip, MANIFEST)?;
    let in_manifest = |e: FormatError| FormatError::InBundle { file: MANIFEST.into(), error: Box::new(BundleFileError::Format(e)) };
    let manifest = crate::core::format::common::parse_json(&manifest_text).map_err(in_manifest)?;
    if manifest.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(in_manifest(FormatError::BadValue {
            item: "manifest".into(),
            field: "format",
            value: manifest.get("format").map_or("(none)".into(), Value::to_string),
        }));
    }
    if manifest.get("version").and_then(Value::as_u64) != Some(VERSION) {
        return Err(in_manifest(FormatError::BadValue {
            item: "manifest".into(),
            field: "version",
            value: manifest.get("version").map_or("(none)".into(), Value::to_string),
        }));
    }
    let docs = manifest.get("documents").and_then(Value::as_array).ok_or_else(|| {
        in_manifest(FormatError::WrongType { item: "manifest".into(), field: "documents", expected: "an array" })
    })?;
    // Every limit is checked on what the directory declares, before anything is inflated
    // (`read` refuses an entry that unpacks to another size than declared).
    Limit::Documents.check(docs.len()).map_err(FormatError::TooLarge)?;
    let mut files = Vec::with_capacity(docs.len());
    let mut total = manifest_text.len();
    for (i, d) in docs.iter().enumerate() {
        let file = d.get("file").and_then(Value::as_str).ok_or_else(|| {
            in_manifest(FormatError::Missing { item: format!("document {}", i + 1), field: "file" })
        })?;
        let size = zip.declared_size(file).ok_or_else(|| archive_in(file, ZipError::Missing { name: file.into() }))?;
        Limit::FileBytes.check(size).map_err(|e| archive_in(file, e))?;
        // Counted each time it is listed: a manifest naming one entry 16 times inflates it 16 times.
        total = total.saturating_add(size);
        Limit::TotalBytes.check(total).map_err(FormatError::TooLarge)?;
        files.push((file, d));
    }
    let mut entries = Vec::with_capacity(files.len());
    for (file, d) in files {
        let text = read_entry(&zip, file)?;
        let set = json::import(&text)
            .map_err(|e| FormatError::InBundle { file: file.into(), error: Box::new(BundleFileError::Json(e)) })?;
        entries.push(Entry { set, meta: d.get("meta").cloned().unwrap_or(Value::Null) });
    }
    Ok(Bundle { project: manifest.get("project").cloned().unwrap_or(Value::Null), entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Document;
    use crate::core::format::common::testing::*;
    use proptest::prelude::*;

    fn bundle() -> Bundle {
        let mut other = AnnotationSet::new(Document::new("a/b c", None, "Second 😀 article."));
        other.document.title = Some("Two".into());
        Bundle {
            project: json!({"name": "Desk"}),
            entries: vec![
                Entry { set: sample(), meta: json!({"status": "done"}) },
                Entry { set: other, meta: Value::Null },
            ],
        }
    }

    #[test]
    fn round_trip_and_deterministic() {
        let b = bundle();
        let bytes = export(&b).unwrap();
        assert_eq!(bytes, export(&b).unwrap(), "same project, same bytes");
        let back = import(&bytes).unwrap();
        assert_eq!(back, b);
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut used = HashSet::new();
        let names: Vec<String> = ["a/b", "a_b", "", "../x"].iter().map(|i| file_name(i, &mut used)).collect();
        assert_eq!(names, ["documents/a_b.json", "documents/a_b-2.json", "documents/d.json", "documents/d.._x.json"]);
    }

    #[test]
    fn typed_errors() {
        assert_eq!(import(b""), Err(FormatError::Empty));
        assert!(matches!(import(b"not a zip"), Err(FormatError::Archive { .. })));
        // A zip without a manifest.
        let mut z = ZipWriter::new();
        z.add("x.txt", b"").unwrap();
        let bytes = z.finish().unwrap();
        assert!(matches!(import(&bytes), Err(FormatError::InBundle { file, .. }) if file == MANIFEST));
        // A bad document names its file.
        let mut b = bundle();
        b.entries.truncate(1);
        let good = export(&b).unwrap();
        let mut z = ZipWriter::new();
        let src = ZipReader::new(&good).unwrap();
        let names: Vec<String> = src.names().map(str::to_string).collect();
        for name in names {
            let s = String::from_utf8(src.read(&name, 1 << 20).unwrap()).unwrap();
            let s = if name.starts_with("documents/") { s.replace("\"PERSON\"", "\"NOPE NOPE\"") } else { s };
            z.add(&name, s.as_bytes()).unwrap();
        }
        let bad = z.finish().unwrap();
        match import(&bad) {
            Err(FormatError::InBundle { file, error }) => {
                assert_eq!(file, "documents/sample.json");
                assert!(matches!(*error, BundleFileError::Json(_)));
            }
            other => panic!("{other:?}"),
        }
    }

    /// `bytes` with the central-directory entry of `name` declaring `size` unpacked bytes
    /// (a bomb's directory, without spending the test's time on inflating one).
    fn declare(mut bytes: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
        let sig = 0x0201_4b50u32.to_le_bytes();
        let at = (0..bytes.len() - 46)
            .find(|&i| bytes[i..i + 4] == sig && bytes[i + 46..].starts_with(name.as_bytes()))
            .expect("entry in the directory");
        bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
        bytes
    }

    /// A bundle whose manifest lists `file` `times` times.
    fn listing(file: &str, times: usize, body: &[u8]) -> Vec<u8> {
        let docs: Vec<Value> = (0..times).map(|i| json!({"id": format!("d{i}"), "file": file})).collect();
        let manifest = json!({"format": FORMAT, "version": VERSION, "documents": docs});
        let mut z = ZipWriter::new();
        z.add(file, body).unwrap();
        z.add(MANIFEST, manifest.to_string().as_bytes()).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn bombs_are_refused_before_inflating_naming_the_limit() {
        let body = json::export(&sample());
        // The issue's bomb: one 200 MB entry listed sixteen times.
        let bomb = declare(listing("documents/a.json", 16, body.as_bytes()), "documents/a.json", 200 << 20);
        match import(&bomb) {
            Err(FormatError::InBundle { file, error }) => {
                assert_eq!(file, "documents/a.json");
                assert_eq!(*error, BundleFileError::Format(FormatError::TooLarge(limits::LimitError { limit: Limit::FileBytes, found: 200 << 20 })));
            }
            other => panic!("{other:?}"),
        }
        // Entries each under the file limit, but 30 × 40 MB over the total.
        let bomb = declare(listing("documents/a.json", 30, body.as_bytes()), "documents/a.json", 40 << 20);
        match import(&bomb) {
            Err(FormatError::TooLarge(e)) => {
                assert_eq!(e.limit, Limit::TotalBytes);
                assert!(e.to_string().contains("1 GB unpacked per bundle"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        // Too many documents.
        let many = listing("documents/a.json", limits::MAX_DOCUMENTS + 1, body.as_bytes());
        assert!(matches!(import(&many), Err(FormatError::TooLarge(e)) if e.limit == Limit::Documents));
        // Within every limit, the same entry listed twice imports twice.
        let ok = listing("documents/a.json", 2, body.as_bytes());
        assert_eq!(import(&ok).unwrap().entries.len(), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let set = random_set(&text, &seeds, true);
            let b = Bundle { project: Value::Null, entries: vec![Entry { set, meta: Value::Null }] };
            let back = import(&export(&b).unwrap()).unwrap();
            prop_assert_eq!(canon(&back.entries[0].set), canon(&b.entries[0].set));
        }
    }
}

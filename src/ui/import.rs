//! Turning picked files into project documents: many `.txt`/`.md`/`.html` articles, JSONL
//! files of `{"id","title","text"}` lines, newsmark `.json` annotation files and project
//! bundles (`.zip`). Every file or line that cannot be read is reported by name (and line
//! number) and skipped; the rest is imported.

use crate::core::format::{bundle, json};
use crate::core::ledger::edits::LedgerEdits;
use crate::core::project::project::DocStatus;
use crate::core::{project::{html, jsonl}, model::text, AnnotationSet, Document};

/// What a batch of files gave (read in the worker, so it crosses `postMessage` as JSON).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Picked {
    /// Plain articles, to be pre-annotated by the worker.
    pub documents: Vec<Document>,
    /// Already annotated documents (annotation files, bundles) with their review status.
    pub annotated: Vec<(AnnotationSet, DocStatus)>,
    /// Source-ledger corrections a bundle carried in its manifest (none for other files).
    #[serde(default)]
    pub ledger: LedgerEdits,
    pub problems: Vec<String>,
}

fn stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    let s = base.rsplit_once('.').map_or(base, |(s, _)| s);
    s.strip_suffix(".annotations").unwrap_or(s)
}

/// Reads one file into `into`. `name` may include a folder path (webkitdirectory).
pub fn read_file(name: &str, bytes: &[u8], into: &mut Picked) {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let decoded = || text::decode(bytes).map_err(|e| format!("{name}: {e}"));
    let result: Result<(), String> = match ext.as_str() {
        "jsonl" | "ndjson" => decoded().map(|t| {
            let batch = jsonl::parse(&t);
            into.documents.extend(batch.documents);
            into.problems.extend(batch.errors.iter().map(|e| format!("{name}: {e}")));
        }),
        // Articles go through the core's size limits: one over them is refused, never
        // half-loaded, and the message names the limit.
        "txt" | "md" | "text" => text::decode_article(bytes)
            .map_err(|e| format!("{name}: {e}"))
            .map(|t| into.documents.push(Document::new(stem(name), None, t))),
        "html" | "htm" => html::read_page(bytes)
            .map_err(|e| format!("{name}: {e}"))
            .map(|page| into.documents.push(Document::new(stem(name), page.title, page.text))),
        "json" => decoded().and_then(|t| {
            let set = json::import(&t).map_err(|e| format!("{name}: {e}"))?;
            into.annotated.push((set, DocStatus::InProgress));
            Ok(())
        }),
        "zip" => bundle::import(bytes).map_err(|e| format!("{name}: {e}")).map(|b| {
            // The app's bundles carry the ledger's merges and splits in the manifest; one
            // that cannot be read is reported, and the documents are imported all the same.
            if let Some(ledger) = b.project.get("ledger") {
                match serde_json::from_value::<LedgerEdits>(ledger.clone()) {
                    Ok(edits) => {
                        into.ledger.absorb(&edits, &Default::default());
                    }
                    Err(e) => into.problems.push(format!("{name}: its source-ledger corrections could not be read ({e}); the documents were imported without them")),
                }
            }
            for entry in b.entries {
                let status = entry
                    .meta
                    .get("status")
                    .and_then(|s| s.as_str())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(DocStatus::InProgress);
                into.annotated.push((entry.set, status));
            }
        }),
        // A folder brings along files that are not articles (images, .DS_Store): skip quietly.
        _ => Ok(()),
    };
    if let Err(e) = result {
        into.problems.push(e);
    }
}

impl Picked {
    /// Appends another file's results (files keep the order they were picked in).
    pub fn merge(&mut self, other: Picked) {
        self.documents.extend(other.documents);
        self.annotated.extend(other.annotated);
        self.ledger.absorb(&other.ledger, &Default::default());
        self.problems.extend(other.problems);
    }

    /// Whether nothing can be imported.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.annotated.is_empty()
    }
}

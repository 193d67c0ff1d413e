//! Turning a file the user picked into an annotation set: `.txt` articles are decoded and
//! pre-annotated, `.json` files are read as newsmark annotations. Errors are values with a
//! message for the alert region; the current state is kept when opening fails.

use crate::core::format::json::{self, ImportError};
use crate::core::model::text::{self, DecodeError};
use crate::core::{self, AnnotationSet, Document};
use std::fmt;

/// Why a file could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// The file is neither `.txt` nor `.json`.
    Unsupported { name: String },
    /// The browser could not read the file.
    Unreadable { name: String, reason: String },
    /// Not UTF-8, or over a size limit (the message names the limit).
    Decode { name: String, error: DecodeError },
    Import { name: String, error: ImportError },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Unsupported { name } => {
                write!(f, "cannot open {name}: choose a .txt, .md or .html article or a newsmark .json annotations file")
            }
            OpenError::Unreadable { name, reason } => write!(f, "cannot read {name}: {reason}"),
            OpenError::Decode { name, error } => write!(f, "cannot open {name}: {error}"),
            OpenError::Import { name, error } => write!(f, "cannot open {name}: {error}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// What kind of file a name says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt` and `.md`: the text as it is (Markdown marks stay visible text).
    Text,
    /// `.html` / `.htm`: reduced to its text, paragraphs kept.
    Html,
    Annotations,
}

/// The kind by extension (case-insensitive), and the stem used as document id.
pub fn classify(name: &str) -> Option<(FileKind, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let kind = match ext.to_ascii_lowercase().as_str() {
        "txt" | "md" | "markdown" => FileKind::Text,
        "html" | "htm" => FileKind::Html,
        "json" => FileKind::Annotations,
        _ => return None,
    };
    // "x.annotations.json" is what Export writes: open it as document "x".
    let stem = stem.strip_suffix(".annotations").unwrap_or(stem);
    Some((kind, if stem.is_empty() { "document" } else { stem }))
}

/// What an opened file holds: an article still to pre-annotate, or finished annotations.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Article(Document),
    Annotations(AnnotationSet),
}

/// Reads the bytes of file `name` without pre-annotating (the app hands articles to the
/// extraction worker; see `ui::worker`).
pub fn read_opened(name: &str, bytes: &[u8]) -> Result<Opened, OpenError> {
    let (kind, stem) = classify(name).ok_or_else(|| OpenError::Unsupported { name: name.to_string() })?;
    match kind {
        FileKind::Text => {
            let text = text::decode_article(bytes).map_err(|error| OpenError::Decode { name: name.to_string(), error })?;
            Ok(Opened::Article(Document::new(stem, None, text)))
        }
        FileKind::Html => {
            let page = crate::core::project::html::read_page(bytes)
                .map_err(|error| OpenError::Decode { name: name.to_string(), error })?;
            Ok(Opened::Article(Document::new(stem, page.title, page.text)))
        }
        FileKind::Annotations => {
            // No normalisation here: offsets in the file refer to the text exactly as stored.
            let input = std::str::from_utf8(bytes).map_err(|e| OpenError::Decode {
                name: name.to_string(),
                error: DecodeError::NotUtf8 { offset: e.valid_up_to() },
            })?;
            json::import(input)
                .map(Opened::Annotations)
                .map_err(|error| OpenError::Import { name: name.to_string(), error })
        }
    }
}

/// Opens the bytes of file `name`, pre-annotating an article on the calling thread.
pub fn open_file(name: &str, bytes: &[u8]) -> Result<AnnotationSet, OpenError> {
    Ok(match read_opened(name, bytes)? {
        Opened::Article(doc) => core::extract(&doc),
        Opened::Annotations(set) => set,
    })
}

//! Size limits on everything a user can bring in: one article, one file, one JSONL line,
//! one bundle. Every importer (JSON, `.txt`, JSONL, HTML, bundles, paste) checks the same
//! numbers *before* it allocates, parses or inflates, and refuses with a [`LimitError`]
//! that names the limit — never a half-loaded document, never an out-of-memory tab.
//!
//! How the numbers were chosen (real use, with a wide margin):
//! - A long news article is 5–20 KB of text; a very long report or a full transcript runs
//!   to a few hundred KB. [`MAX_ARTICLE_BYTES`] = 5 MiB is ten novels' worth of prose, and
//!   the pipeline (≈ 500,000 words/s on one thread) still reads it in about two seconds.
//! - An annotations file is the text plus its spans; on the dev sets it is 2–4 × the text,
//!   and JSON escaping (`\uXXXX`) can make text up to 6 × longer. [`MAX_FILE_BYTES`] =
//!   64 MiB leaves room for a 5 MiB article fully escaped and densely annotated.
//! - A JSONL line carries one article's text as a JSON string: [`MAX_JSONL_LINE_BYTES`] =
//!   32 MiB (a 5 MiB article fully escaped is 30 MiB).
//! - Desks annotate projects of tens to a few hundred articles; research corpora (GUM,
//!   PolNeAr) have a few hundred to a thousand documents. [`MAX_DOCUMENTS`] = 2,000.
//! - [`MAX_TOTAL_BYTES`] = 1 GiB of unpacked bundle: a browser tab gets 2–4 GiB of wasm
//!   memory at most, and the documents must still fit once parsed.
//! - [`MAX_HTML_BYTES`] = 50 MiB: saved news pages are 0.1–5 MB, mostly markup and scripts.

use std::fmt;

/// The most text one article may have (UTF-8 bytes, after decoding).
pub const MAX_ARTICLE_BYTES: usize = 5 * 1024 * 1024;
/// The largest single file read as a whole (an annotations `.json`, an interchange file,
/// one entry of a bundle).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// The longest JSONL line.
pub const MAX_JSONL_LINE_BYTES: usize = 32 * 1024 * 1024;
/// The most documents one bundle or one JSONL import may bring into a project.
pub const MAX_DOCUMENTS: usize = 2_000;
/// The most bytes a whole bundle may unpack to (every entry it reads, counted each time).
pub const MAX_TOTAL_BYTES: usize = 1024 * 1024 * 1024;
/// The largest HTML page.
pub const MAX_HTML_BYTES: usize = 50 * 1024 * 1024;

/// Which limit was hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// [`MAX_ARTICLE_BYTES`]
    ArticleBytes,
    /// [`MAX_FILE_BYTES`]
    FileBytes,
    /// [`MAX_JSONL_LINE_BYTES`]
    JsonlLineBytes,
    /// [`MAX_DOCUMENTS`]
    Documents,
    /// [`MAX_TOTAL_BYTES`]
    TotalBytes,
    /// [`MAX_HTML_BYTES`]
    HtmlBytes,
}

impl Limit {
    /// The limit's value (bytes, or documents for [`Limit::Documents`]).
    pub fn max(self) -> usize {
        match self {
            Limit::ArticleBytes => MAX_ARTICLE_BYTES,
            Limit::FileBytes => MAX_FILE_BYTES,
            Limit::JsonlLineBytes => MAX_JSONL_LINE_BYTES,
            Limit::Documents => MAX_DOCUMENTS,
            Limit::TotalBytes => MAX_TOTAL_BYTES,
            Limit::HtmlBytes => MAX_HTML_BYTES,
        }
    }

    /// What the limit is about, as the user reads it.
    pub fn what(self) -> &'static str {
        match self {
            Limit::ArticleBytes => "text per article",
            Limit::FileBytes => "per file",
            Limit::JsonlLineBytes => "per JSONL line",
            Limit::Documents => "documents per import",
            Limit::TotalBytes => "unpacked per bundle",
            Limit::HtmlBytes => "per HTML page",
        }
    }

    /// `Ok` when `found` is within the limit.
    pub fn check(self, found: usize) -> Result<(), LimitError> {
        if found > self.max() {
            Err(LimitError { limit: self, found })
        } else {
            Ok(())
        }
    }
}

/// An input over a limit: which one, and how much was found (bytes or documents; for a
/// bundle, what its directory *declares*, read before anything is inflated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LimitError {
    pub limit: Limit,
    pub found: usize,
}

/// `5 MB`, `1.5 GB`, `812 bytes`: sizes as people say them (binary units).
pub fn human_bytes(n: usize) -> String {
    const UNITS: [(&str, f64); 3] = [("GB", 1024.0 * 1024.0 * 1024.0), ("MB", 1024.0 * 1024.0), ("KB", 1024.0)];
    for (unit, size) in UNITS {
        let v = n as f64 / size;
        if v >= 1.0 {
            let s = format!("{v:.1}");
            return format!("{} {unit}", s.strip_suffix(".0").unwrap_or(&s));
        }
    }
    format!("{n} bytes")
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (found, max) = match self.limit {
            Limit::Documents => (format!("{} documents", self.found), format!("{}", self.limit.max())),
            _ => {
                let (found, max) = (human_bytes(self.found), human_bytes(self.limit.max()));
                // "5 MB, over the limit of 5 MB" would read as a bug: give the exact count.
                if found == max { (format!("{} bytes", self.found), max) } else { (found, max) }
            }
        };
        write!(f, "too large: {found}, over the limit of {max} {}", self.limit.what())
    }
}

impl std::error::Error for LimitError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit() {
        let e = Limit::ArticleBytes.check(MAX_ARTICLE_BYTES + 1).unwrap_err();
        assert_eq!(e.to_string(), "too large: 5242881 bytes, over the limit of 5 MB text per article");
        let e = Limit::Documents.check(2_001).unwrap_err();
        assert_eq!(e.to_string(), "too large: 2001 documents, over the limit of 2000 documents per import");
        let e = Limit::TotalBytes.check(16 * 200 * 1024 * 1024).unwrap_err();
        assert_eq!(e.to_string(), "too large: 3.1 GB, over the limit of 1 GB unpacked per bundle");
        assert_eq!(Limit::ArticleBytes.check(MAX_ARTICLE_BYTES), Ok(()));
        assert_eq!(human_bytes(812), "812 bytes");
        assert_eq!(human_bytes(1536), "1.5 KB");
    }
}

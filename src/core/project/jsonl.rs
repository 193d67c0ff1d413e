//! Reading many articles from one JSONL file: one `{"id","title","text"}` object per line.
//!
//! A bad line never aborts the batch: it is reported with its 1-based line number and
//! skipped, so an editor importing 5,000 articles learns which 3 were broken and keeps the
//! rest. Text is normalised like every other import ([`crate::core::model::text::normalize`]).
//! Used by the browser's project import and usable by a streaming batch reader (one line
//! at a time through [`parse_line`]).

use crate::core::model::annotation::Document;
use crate::core::model::text::normalize;
use crate::core::model::limits::{Limit, LimitError};
use serde_json::Value;
use std::fmt;

/// Why one line could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineErrorKind {
    /// Not valid JSON (serde's message).
    Json(String),
    /// Valid JSON but not an object.
    NotObject,
    /// No `"text"` field.
    MissingText,
    /// A field of the wrong type (`id` and `title` must be strings or numbers; `text` a string).
    WrongType(&'static str),
    /// The line, its article or the batch is over a size limit (the line is not read).
    TooLarge(LimitError),
}

/// A line that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based, as editors and `sed -n` count.
    pub line: usize,
    pub kind: LineErrorKind,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            LineErrorKind::Json(m) => write!(f, "not valid JSON ({m})"),
            LineErrorKind::NotObject => write!(f, "expected an object like {{\"id\", \"title\", \"text\"}}"),
            LineErrorKind::MissingText => write!(f, "no \"text\" field: add the article text"),
            LineErrorKind::WrongType(field) => write!(f, "\"{field}\" has the wrong type"),
            LineErrorKind::TooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LineError {}

/// Everything read from one file: the documents in file order and the skipped lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonlBatch {
    pub documents: Vec<Document>,
    pub errors: Vec<LineError>,
}

/// Reads one line (`line` is its 1-based number). `Ok(None)` for a blank line.
/// A missing `id` becomes `line-<n>` so every document can be told apart.
pub fn parse_line(line: usize, raw: &str) -> Result<Option<Document>, LineError> {
    let err = |kind| LineError { line, kind };
    Limit::JsonlLineBytes.check(raw.len()).map_err(|e| err(LineErrorKind::TooLarge(e)))?;
    // A UTF-8 byte-order mark may precede the first line (files saved by Windows tools).
    let trimmed = raw.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(trimmed).map_err(|e| err(LineErrorKind::Json(e.to_string())))?;
    let Value::Object(map) = value else {
        return Err(err(LineErrorKind::NotObject));
    };
    let text = match map.get("text") {
        None | Some(Value::Null) => return Err(err(LineErrorKind::MissingText)),
        Some(Value::String(s)) => {
            Limit::ArticleBytes.check(s.len()).map_err(|e| err(LineErrorKind::TooLarge(e)))?;
            let t = normalize(s);
            Limit::ArticleBytes.check(t.len()).map_err(|e| err(LineErrorKind::TooLarge(e)))?;
            t
        }
        Some(_) => return Err(err(LineErrorKind::WrongType("text"))),
    };
    let scalar = |field: &'static str| -> Result<Option<String>, LineError> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            // Numeric ids are common in corpora exported from databases.
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(err(LineErrorKind::WrongType(field))),
        }
    };
    let id = scalar("id")?.unwrap_or_else(|| format!("line-{line}"));
    let title = scalar("title")?;
    Ok(Some(Document::new(id, title, text)))
}

/// Reads a whole JSONL file. Lines are split on `\n` (a trailing `\r` is tolerated).
/// At most [`MAX_DOCUMENTS`](crate::core::model::limits::MAX_DOCUMENTS) documents are
/// read: the first line past it is reported with that limit and the rest left unread.
pub fn parse(input: &str) -> JsonlBatch {
    let mut batch = JsonlBatch::default();
    for (i, raw) in input.split('\n').enumerate() {
        match parse_line(i + 1, raw) {
            Ok(Some(_)) if batch.documents.len() == Limit::Documents.max() => {
                let e = LimitError { limit: Limit::Documents, found: Limit::Documents.max() + 1 };
                batch.errors.push(LineError { line: i + 1, kind: LineErrorKind::TooLarge(e) });
                break;
            }
            Ok(Some(doc)) => batch.documents.push(doc),
            Ok(None) => {}
            Err(e) => batch.errors.push(e),
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_table() {
        // (line, expected id, title, text) or the expected error kind
        type Want = Result<Option<(&'static str, Option<&'static str>, &'static str)>, LineErrorKind>;
        let cases: Vec<(&str, Want)> = vec![
            (r#"{"id":"a1","title":"T","text":"Hello."}"#, Ok(Some(("a1", Some("T"), "Hello.")))),
            (r#"{"id":7,"text":"x"}"#, Ok(Some(("7", None, "x")))),
            (r#"{"text":"no id"}"#, Ok(Some(("line-3", None, "no id")))),
            ("\u{feff}{\"id\":\"b\",\"text\":\"bom\"}\r", Ok(Some(("b", None, "bom")))),
            (r#"{"id":"c","title":"  ","text":"a\r\nb"}"#, Ok(Some(("c", None, "a\nb")))),
            ("   ", Ok(None)),
            (r#"{"id":"d"}"#, Err(LineErrorKind::MissingText)),
            (r#"{"id":"d","text":null}"#, Err(LineErrorKind::MissingText)),
            (r#"{"id":"d","text":3}"#, Err(LineErrorKind::WrongType("text"))),
            (r#"{"id":[1],"text":"x"}"#, Err(LineErrorKind::WrongType("id"))),
            (r#"["text"]"#, Err(LineErrorKind::NotObject)),
        ];
        for (raw, want) in cases {
            let got = parse_line(3, raw);
            let got = got
                .map(|d| d.map(|d| (d.id, d.title, d.text.to_string())))
                .map_err(|e| e.kind);
            let want = want.map(|o| o.map(|(i, t, x)| (i.to_string(), t.map(str::to_string), x.to_string())));
            assert_eq!(got, want, "{raw:?}");
        }
    }

    #[test]
    fn bad_json_is_reported_with_its_line_and_skipped() {
        let input = "{\"id\":\"a\",\"text\":\"one\"}\n\n{\"id\":\"b\",\"text\":\"tw\n{\"id\":\"c\",\"text\":\"three\"}\n";
        let batch = parse(input);
        let ids: Vec<&str> = batch.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(batch.errors.len(), 1);
        assert_eq!(batch.errors[0].line, 3);
        assert!(matches!(batch.errors[0].kind, LineErrorKind::Json(_)));
        assert!(batch.errors[0].to_string().starts_with("line 3: not valid JSON"));
    }

    #[test]
    fn limits_are_named() {
        use crate::core::model::limits::{MAX_ARTICLE_BYTES, MAX_DOCUMENTS, MAX_JSONL_LINE_BYTES};
        let long_text = format!("{{\"text\":\"{}\"}}", "a".repeat(MAX_ARTICLE_BYTES + 1));
        let e = parse_line(4, &long_text).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(matches!(e.kind, LineErrorKind::TooLarge(l) if l.limit == Limit::ArticleBytes));
        assert!(e.to_string().starts_with("line 4: too large:"), "{e}");
        assert!(e.to_string().ends_with("text per article"), "{e}");
        let long_line = format!("{{\"text\":\"x\",\"pad\":\"{}\"}}", " ".repeat(MAX_JSONL_LINE_BYTES));
        assert!(matches!(parse_line(1, &long_line).unwrap_err().kind, LineErrorKind::TooLarge(l) if l.limit == Limit::JsonlLineBytes));
        let many = "{\"text\":\"x\"}\n".repeat(MAX_DOCUMENTS + 5);
        let batch = parse(&many);
        assert_eq!(batch.documents.len(), MAX_DOCUMENTS);
        assert_eq!(batch.errors.len(), 1);
        assert_eq!(batch.errors[0].line, MAX_DOCUMENTS + 1);
        assert!(batch.errors[0].to_string().contains("documents per import"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ["", "\n\n", "{", "}", "\u{0}", "é\"", "{\"text\":\"\u{1F600}\"}\n{"] {
            let batch = parse(input);
            assert!(batch.documents.len() + batch.errors.len() <= input.split('\n').count());
        }
    }
}

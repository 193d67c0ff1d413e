//! Turning raw input into a document text: decoding, NFC, line endings.
//!
//! Done once, at import; after that the text never changes and every offset refers to it.

use unicode_normalization::{is_nfc, UnicodeNormalization};

/// NFC-normalises and turns CRLF / lone CR into LF. Returns the input unchanged (no copy
/// semantics aside) when it is already normal.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let lf = if raw.contains('\r') { raw.replace("\r\n", "\n").replace('\r', "\n") } else { raw.to_string() };
    if is_nfc(&lf) {
        lf
    } else {
        lf.nfc().collect()
    }
}

/// Why bytes are not an article text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not UTF-8; `offset` is the first bad byte.
    NotUtf8 { offset: usize },
    /// Over a size limit (see [`crate::core::model::limits`]); nothing was decoded.
    TooLarge(crate::core::model::limits::LimitError),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::NotUtf8 { offset } => {
                write!(f, "not UTF-8 text (bad byte at offset {offset}): save the file as UTF-8 and try again")
            }
            DecodeError::TooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes bytes as UTF-8 (a BOM is dropped) and normalises them.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    std::str::from_utf8(bytes)
        .map(normalize)
        .map_err(|e| DecodeError::NotUtf8 { offset: e.valid_up_to() })
}

/// Decodes one article's text (a `.txt` file, a paste), refusing more than
/// [`MAX_ARTICLE_BYTES`](crate::core::model::limits::MAX_ARTICLE_BYTES) before decoding
/// and again after normalising (NFC may lengthen a text).
pub fn decode_article(bytes: &[u8]) -> Result<String, DecodeError> {
    use crate::core::model::limits::Limit;
    Limit::ArticleBytes.check(bytes.len()).map_err(DecodeError::TooLarge)?;
    let t = decode(bytes)?;
    Limit::ArticleBytes.check(t.len()).map_err(DecodeError::TooLarge)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases = [
            ("a\r\nb\rc\n", "a\nb\nc\n"),
            ("\u{feff}x", "x"),
            ("e\u{301}", "\u{e9}"),
            ("😀 مرحبا", "😀 مرحبا"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn decode_reports_bad_bytes() {
        assert_eq!(decode(b"ok\xff"), Err(DecodeError::NotUtf8 { offset: 2 }));
        assert_eq!(decode(b"ok").unwrap(), "ok");
    }

    #[test]
    fn decode_article_refuses_over_the_limit() {
        use crate::core::model::limits::{Limit, MAX_ARTICLE_BYTES};
        let big = vec![b'a'; MAX_ARTICLE_BYTES + 1];
        match decode_article(&big) {
            Err(DecodeError::TooLarge(e)) => assert_eq!(e.limit, Limit::ArticleBytes),
            other => panic!("{other:?}"),
        }
        assert_eq!(decode_article(&big[..MAX_ARTICLE_BYTES]).map(|t| t.len()), Ok(MAX_ARTICLE_BYTES));
    }
}

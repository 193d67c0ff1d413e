//! Stand-off spans over a document's text.
//!
//! The internal unit is the **UTF-8 byte offset** into `Document::text` (what Rust's `str`
//! indexes). Exports use Unicode code points and the DOM uses UTF-16; the conversions live
//! in [`crate::core::model::offsets`] and nowhere else.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span; `start <= end` is the caller's promise (checked in debug builds).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        !self.is_empty() && !other.is_empty() && self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The text this span covers, or `None` when it is out of range or not on char
    /// boundaries (never panics).
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }

    /// Whether the span is non-reversed, inside `text` and on char boundaries.
    pub fn is_valid_in(&self, text: &str) -> bool {
        self.start <= self.end && self.slice(text).is_some()
    }
}

/// A possibly discontinuous span: one or more non-overlapping fragments in text order.
///
/// Split quotes ("“…,” she said, “…”) are one content with two fragments.
///
/// Deserialising checks the fragments like [`Extent::from_fragments`]: a stored record
/// with no fragments (or overlapping ones) is an error where it is read, not a panic
/// where it is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ExtentWire")]
pub struct Extent {
    fragments: Vec<Span>,
}

/// The stored shape of an [`Extent`], before its fragments are checked.
#[derive(Deserialize)]
struct ExtentWire {
    fragments: Vec<Span>,
}

impl TryFrom<ExtentWire> for Extent {
    type Error = ExtentError;

    fn try_from(w: ExtentWire) -> Result<Extent, ExtentError> {
        Extent::from_fragments(w.fragments)
    }
}

/// Why a list of fragments is not an [`Extent`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtentError {
    Empty,
    /// Fragment `index` starts before the previous one ends.
    Unordered { index: usize },
    /// Fragment `index` is empty or reversed.
    EmptyFragment { index: usize },
}

impl std::fmt::Display for ExtentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtentError::Empty => write!(f, "no fragments"),
            ExtentError::Unordered { index } => {
                write!(f, "fragment {index} overlaps or precedes the one before it")
            }
            ExtentError::EmptyFragment { index } => write!(f, "fragment {index} is empty or reversed"),
        }
    }
}

impl std::error::Error for ExtentError {}

impl Extent {
    /// A continuous extent.
    pub fn single(span: Span) -> Extent {
        Extent { fragments: vec![span] }
    }

    /// Fragments must be non-empty, in order and disjoint.
    pub fn from_fragments(fragments: Vec<Span>) -> Result<Extent, ExtentError> {
        if fragments.is_empty() {
            return Err(ExtentError::Empty);
        }
        for (i, f) in fragments.iter().enumerate() {
            if f.start >= f.end {
                return Err(ExtentError::EmptyFragment { index: i });
            }
            if i > 0 && fragments[i - 1].end > f.start {
                return Err(ExtentError::Unordered { index: i });
            }
        }
        Ok(Extent { fragments })
    }

    pub fn fragments(&self) -> &[Span] {
        &self.fragments
    }

    pub fn is_discontinuous(&self) -> bool {
        self.fragments.len() > 1
    }

    /// From the first fragment's start to the last one's end.
    pub fn hull(&self) -> Span {
        Span::new(self.fragments[0].start, self.fragments[self.fragments.len() - 1].end)
    }

    /// Adds a fragment, keeping order; fails if it overlaps an existing one.
    pub fn with_fragment(&self, span: Span) -> Result<Extent, ExtentError> {
        let mut fragments = self.fragments.clone();
        let at = fragments.partition_point(|f| f.start < span.start);
        fragments.insert(at, span);
        Extent::from_fragments(fragments)
    }

    pub fn overlaps(&self, span: &Span) -> bool {
        self.fragments.iter().any(|f| f.overlaps(span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12, item 7: an `Extent` with no fragments read back from storage panicked the
    /// view (`hull` indexes the first fragment).
    #[test]
    fn stored_extents_are_checked() {
        assert!(serde_json::from_str::<Extent>(r#"{"fragments":[]}"#).is_err());
        assert!(serde_json::from_str::<Extent>(r#"{"fragments":[{"start":5,"end":9},{"start":0,"end":3}]}"#).is_err());
        let e: Extent = serde_json::from_str(r#"{"fragments":[{"start":0,"end":3},{"start":5,"end":9}]}"#).unwrap();
        assert_eq!(e.hull(), Span::new(0, 9));
        assert_eq!(serde_json::from_str::<Extent>(&serde_json::to_string(&e).unwrap()).unwrap(), e);
    }

    #[test]
    fn span_relations() {
        let cases = [
            // (a, b, overlaps, a contains b)
            ((0, 5), (5, 8), false, false),
            ((0, 5), (4, 8), true, false),
            ((0, 8), (2, 3), true, true),
            ((2, 3), (0, 8), true, false),
            ((3, 3), (0, 8), false, false),
        ];
        for ((a0, a1), (b0, b1), ov, co) in cases {
            let (a, b) = (Span::new(a0, a1), Span::new(b0, b1));
            assert_eq!(a.overlaps(&b), ov, "{a:?} overlaps {b:?}");
            assert_eq!(a.contains(&b), co, "{a:?} contains {b:?}");
        }
    }

    #[test]
    fn slice_never_panics_off_boundaries() {
        let t = "é😀";
        assert_eq!(Span::new(0, 2).slice(t), Some("é"));
        assert_eq!(Span::new(1, 2).slice(t), None);
        assert_eq!(Span::new(0, 99).slice(t), None);
        assert!(!Span { start: 2, end: 1 }.is_valid_in(t));
    }

    #[test]
    fn extent_rules() {
        let s = |a, b| Span { start: a, end: b };
        assert_eq!(Extent::from_fragments(vec![]), Err(ExtentError::Empty));
        assert_eq!(
            Extent::from_fragments(vec![s(0, 4), s(3, 6)]),
            Err(ExtentError::Unordered { index: 1 })
        );
        assert_eq!(
            Extent::from_fragments(vec![s(0, 4), s(6, 6)]),
            Err(ExtentError::EmptyFragment { index: 1 })
        );
        let e = Extent::single(s(10, 20)).with_fragment(s(0, 5)).unwrap();
        assert_eq!(e.fragments(), &[s(0, 5), s(10, 20)]);
        assert_eq!(e.hull(), s(0, 20));
        assert!(e.is_discontinuous());
        assert!(e.with_fragment(s(4, 11)).is_err());
    }
}

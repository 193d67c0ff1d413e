//! Re-anchoring: placing annotations made on one version of a text onto another.
//!
//! Each span is found again by its quote, choosing among the quote's occurrences the one
//! whose surrounding text best matches the old prefix/suffix and, on a tie, the one nearest
//! the old offset (texts are edited locally, so annotations rarely move far). What cannot
//! be placed is returned as a typed [`Unplaced`] list for the user, never dropped silently.

use crate::core::model::annotation::{AnnotationSet, AttributionId, Document, EntityId, RegionId};
use crate::core::model::label::Label;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::{Extent, Span};
use std::fmt;

/// How many code points of context on each side an export keeps (W3C prefix/suffix).
pub const CONTEXT_CHARS: usize = 32;

/// Which role of an attribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Source,
    Cue,
    Content,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Cue => "cue",
            Role::Content => "content",
        }
    }
}

/// An import's result: the annotations that could be placed, and those that could not
/// (re-anchoring onto a changed text, or an export's known losses).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub set: AnnotationSet,
    pub unplaced: Vec<Unplaced>,
}

/// What could not be placed, and what that cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnplacedItem {
    /// The entity was dropped.
    Entity { id: EntityId, label: Label },
    /// The attribution was dropped (its content could not be placed).
    Attribution { id: AttributionId },
    /// The attribution was kept without this role (source or cue).
    Role { id: AttributionId, role: Role },
    /// The boilerplate region was dropped.
    Boilerplate { id: RegionId },
    /// An annotation of the file that newsmark does not understand (no tag it knows).
    Foreign { id: String },
}

/// Why it could not be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnplacedReason {
    /// The quote does not occur in the new text.
    QuoteNotFound,
    /// The file gives no quote and its offsets do not fit the new text.
    NoQuote,
    /// Each fragment was found, but no longer in order or they now overlap.
    FragmentsDisordered,
    /// The file's annotation has no body or tag newsmark understands.
    NotUnderstood,
}

/// One annotation that re-anchoring could not place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    pub item: UnplacedItem,
    /// The text it covered in the file.
    pub quote: String,
    /// Where it was (code points into the old text).
    pub old_start: usize,
    pub reason: UnplacedReason,
}

impl fmt::Display for Unplaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.item {
            UnplacedItem::Entity { id, label } => format!("entity {id} ({label}) dropped"),
            UnplacedItem::Attribution { id } => format!("attribution {id} dropped"),
            UnplacedItem::Role { id, role } => format!("attribution {id} kept without its {}", role.as_str()),
            UnplacedItem::Boilerplate { id } => format!("boilerplate {id} dropped"),
            UnplacedItem::Foreign { id } => format!("annotation {id} skipped"),
        };
        let why = match self.reason {
            UnplacedReason::QuoteNotFound => "its text is no longer in the document",
            UnplacedReason::NoQuote => "the file has no quote and its offsets do not fit",
            UnplacedReason::FragmentsDisordered => "its pieces are no longer in order",
            UnplacedReason::NotUnderstood => "it is not an entity, attribution or boilerplate annotation",
        };
        write!(f, "{what}: {:?} (was at character {}): {why}", self.quote, self.old_start)
    }
}

/// Finds quotes in one text.
pub struct Anchorer<'t> {
    text: &'t str,
    map: OffsetMap,
}

impl<'t> Anchorer<'t> {
    pub fn new(text: &'t str) -> Anchorer<'t> {
        Anchorer { text, map: OffsetMap::new(text) }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    pub fn map(&self) -> &OffsetMap {
        &self.map
    }

    /// The occurrence of `quote` whose context best matches `prefix`/`suffix` (most
    /// matching characters next to it), nearest to code point `hint` on a tie.
    /// `None` for an empty quote or one that does not occur.
    pub fn find(&self, quote: &str, prefix: &str, suffix: &str, hint: usize) -> Option<Span> {
        if quote.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize, Span)> = None; // (score, distance, span)
        let mut from = 0;
        while let Some(i) = self.text.get(from..).and_then(|t| t.find(quote)) {
            let start = from + i;
            let span = Span::new(start, start + quote.len());
            let before = &self.text[..start];
            let after = &self.text[span.end..];
            let score = common_suffix(before, prefix) + common_prefix(after, suffix);
            let at = self.map.byte_to_char(start).unwrap_or(0);
            let dist = at.abs_diff(hint);
            let better = match best {
                None => true,
                Some((s, d, _)) => score > s || (score == s && dist < d),
            };
            if better {
                best = Some((score, dist, span));
            }
            // Next search from the following char, so overlapping occurrences count too.
            from = start + self.text[start..].chars().next().map_or(1, char::len_utf8);
        }
        best.map(|(_, _, s)| s)
    }

    /// Places a span given by code points plus its quote and context: the offsets win when
    /// they still cover the quote; otherwise the quote is searched for.
    pub fn place(&self, start: usize, end: usize, quote: Option<&str>, prefix: &str, suffix: &str) -> Result<Span, UnplacedReason> {
        let direct = match (self.map.char_to_byte(start), self.map.char_to_byte(end)) {
            (Some(b0), Some(b1)) if b0 < b1 => Some(Span::new(b0, b1)),
            _ => None,
        };
        match quote {
            None => direct.ok_or(UnplacedReason::NoQuote),
            Some(q) => {
                if let Some(d) = direct.filter(|d| d.slice(self.text) == Some(q)) {
                    return Ok(d);
                }
                self.find(q, prefix, suffix, start).ok_or(UnplacedReason::QuoteNotFound)
            }
        }
    }
}

/// Up to [`CONTEXT_CHARS`] code points before and after `span` (for exports).
pub fn context(text: &str, span: Span) -> (&str, &str) {
    let before = text.get(..span.start).unwrap_or("");
    let after = text.get(span.end..).unwrap_or("");
    let p = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
    let s = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
    (&before[p..], &after[..s])
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

/// Moves every annotation of `set` (made on `set.document.text`) onto `target`'s text.
/// Ids are kept. When the texts are equal nothing moves.
pub fn reanchor(set: &AnnotationSet, target: &Document) -> Imported {
    let mut out = set.clone();
    out.document = target.clone();
    if set.document.text == target.text {
        return Imported { set: out, unplaced: Vec::new() };
    }
    let old: &str = &set.document.text;
    let old_map = OffsetMap::new(old);
    let new = Anchorer::new(&target.text);
    let place = |s: Span| -> Result<Span, (String, usize, UnplacedReason)> {
        let quote = s.slice(old).unwrap_or("");
        let (p, x) = context(old, s);
        let hint = old_map.byte_to_char(s.start).unwrap_or(0);
        new.find(quote, p, x, hint).ok_or((quote.to_string(), hint, UnplacedReason::QuoteNotFound))
    };
    let mut unplaced = Vec::new();

    out.entities.retain_mut(|e| match place(e.span) {
        Ok(s) => {
            e.span = s;
            true
        }
        Err((quote, old_start, reason)) => {
            unplaced.push(Unplaced { item: UnplacedItem::Entity { id: e.id, label: e.label.clone() }, quote, old_start, reason });
            false
        }
    });
    let kept: std::collections::HashSet<EntityId> = out.entities.iter().map(|e| e.id).collect();

    out.attributions.retain_mut(|a| {
        let frags: Result<Vec<Span>, _> = a.content.fragments().iter().map(|f| place(*f)).collect();
        let content = match frags {
            Ok(f) => Extent::from_fragments(f).map_err(|_| {
                let h = a.content.hull();
                (h.slice(old).unwrap_or("").to_string(), old_map.byte_to_char(h.start).unwrap_or(0), UnplacedReason::FragmentsDisordered)
            }),
            Err(e) => Err(e),
        };
        let content = match content {
            Ok(c) => c,
            Err((quote, old_start, reason)) => {
                unplaced.push(Unplaced { item: UnplacedItem::Attribution { id: a.id }, quote, old_start, reason });
                return false;
            }
        };
        a.content = content;
        if let Some(src) = &mut a.source {
            match place(src.span) {
                Ok(s) => {
                    src.span = s;
                    src.entity = src.entity.filter(|id| kept.contains(id));
                }
                Err((quote, old_start, reason)) => {
                    unplaced.push(Unplaced { item: UnplacedItem::Role { id: a.id, role: Role::Source }, quote, old_start, reason });
                    a.source = None;
                }
            }
        }
        if let Some(cue) = a.cue {
            match place(cue) {
                Ok(s) => a.cue = Some(s),
                Err((quote, old_start, reason)) => {
                    unplaced.push(Unplaced { item: UnplacedItem::Role { id: a.id, role: Role::Cue }, quote, old_start, reason });
                    a.cue = None;
                }
            }
        }
        true
    });

    out.boilerplate.retain_mut(|b| match place(b.span) {
        Ok(s) => {
            b.span = s;
            true
        }
        Err((quote, old_start, reason)) => {
            unplaced.push(Unplaced { item: UnplacedItem::Boilerplate { id: b.id }, quote, old_start, reason });
            false
        }
    });
    Imported { set: out, unplaced }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::{canon, sample};

    #[test]
    fn find_table() {
        let t = "said X. said Y. said X.";
        let a = Anchorer::new(t);
        // (quote, prefix, suffix, hint) → expected byte start
        let cases: [(&str, &str, &str, usize, Option<usize>); 6] = [
            ("said", "", " X", 20, Some(16)),
            ("said", "", " Y", 0, Some(8)),
            ("said", "", "", 9, Some(8)),
            ("said", "", "", 0, Some(0)),
            ("nope", "", "", 0, None),
            ("", "", "", 0, None),
        ];
        for (q, p, s, hint, want) in cases {
            assert_eq!(a.find(q, p, s, hint).map(|s| s.start), want, "{q:?} {p:?} {s:?} {hint}");
        }
    }

    #[test]
    fn context_is_bounded_and_char_safe() {
        let t = format!("{}X{}", "😀".repeat(40), "é".repeat(40));
        let b = "😀".len() * 40;
        let (p, s) = context(&t, Span::new(b, b + 1));
        assert_eq!(p.chars().count(), CONTEXT_CHARS);
        assert_eq!(s.chars().count(), CONTEXT_CHARS);
        assert_eq!(context("ab", Span::new(1, 1)), ("a", "b"));
    }

    #[test]
    fn reanchor_moves_spans_and_lists_losses() {
        let set = sample();
        // Insert text at the front and delete the boilerplate and the pronoun "she".
        let new_text = format!("UPDATED: {}", set.text().replace("JOIN US ON TELEGRAM", "").replace(" she said", " said"));
        let target = Document::new("sample", None, new_text.as_str());
        let r = reanchor(&set, &target);
        assert_eq!(r.set.entities.len(), 1);
        let e = &r.set.entities[0];
        assert_eq!(e.span.slice(&new_text), Some("Caroline Leavitt"));
        let a = &r.set.attributions[0];
        assert!(a.source.is_none());
        assert_eq!(a.content.fragments().len(), 2);
        let items: Vec<&UnplacedItem> = r.unplaced.iter().map(|u| &u.item).collect();
        assert!(matches!(items[..], [UnplacedItem::Role { role: Role::Source, .. }, UnplacedItem::Boilerplate { .. }]), "{items:?}");
        assert!(r.unplaced[1].to_string().contains("JOIN US ON TELEGRAM"));
    }

    #[test]
    fn same_text_is_identity() {
        let set = sample();
        let r = reanchor(&set, &set.document);
        assert!(r.unplaced.is_empty());
        assert_eq!(canon(&r.set), canon(&set));
    }

    #[test]
    fn nearest_occurrence_wins_without_context() {
        // Context identical at both places: the one closest to the old offset is taken.
        let old = AnnotationSet::new(Document::new("d", None, "x said x said x"));
        let mut set = old.clone();
        let id = EntityId(set.fresh_id());
        set.entities.push(crate::core::model::annotation::Entity {
            id,
            label: Label::Person,
            span: Span::new(9, 13),
            origin: crate::core::model::annotation::Origin::Human,
            status: crate::core::model::annotation::Status::Accepted,
            confidence: 1.0,
            canonical: None,
            group: None,
        });
        let r = reanchor(&set, &Document::new("d", None, "x said x said x said x"));
        assert_eq!(r.set.entities[0].span, Span::new(9, 13));
    }
}

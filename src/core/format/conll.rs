//! CoNLL IOB (IOB2 tags, `token<TAB>tag`, `-DOCSTART-` between documents, a blank line
//! between sentences): entities only.
//!
//! The format holds one label per token, so it cannot keep attributions, boilerplate,
//! review state, or overlapping/nested entities. [`export`] drops those and counts each
//! kind of loss so the UI can say what was left out. Rejected entities are not written
//! (they are not entities). Tokens never contain whitespace, so the text is rebuilt on
//! import with single spaces; [`import_onto`] aligns the tokens back onto the real text.

use crate::core::model::annotation::{AnnotationSet, Document, Entity, EntityId, Origin, Status};
use crate::core::format::anchor::{reanchor, Imported};
use crate::core::format::common::*;
use crate::core::model::span::Span;
use std::fmt::Write;

/// The file, and what it could not hold.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Export {
    pub text: String,
    /// Entities left out because they overlap an earlier (or longer) one.
    pub dropped_overlaps: usize,
    pub dropped_rejected: usize,
    pub dropped_attributions: usize,
    pub dropped_boilerplate: usize,
}

impl Export {
    /// A one-line summary for the UI (empty when nothing was lost).
    pub fn losses(&self) -> String {
        let mut parts = Vec::new();
        for (n, what) in [
            (self.dropped_overlaps, "overlapping entities"),
            (self.dropped_rejected, "rejected entities"),
            (self.dropped_attributions, "attributions"),
            (self.dropped_boilerplate, "boilerplate regions"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("CoNLL keeps entities only: left out {}", parts.join(", "))
        }
    }
}

const DOCSTART: &str = "-DOCSTART- -X- -X- O";

/// Whether a sentence ends after token `t` (followed by a capital or a line break).
fn sentence_break(text: &str, t: Span, next: Span) -> bool {
    let gap = text.get(t.end..next.start).unwrap_or("");
    if gap.chars().any(is_line_break) {
        return true;
    }
    let tok = t.slice(text).unwrap_or("");
    let next_tok = next.slice(text).unwrap_or("");
    !gap.is_empty() && matches!(tok, "." | "!" | "?") && next_tok.chars().next().is_some_and(char::is_uppercase)
}

/// Exports several documents into one file.
pub fn export<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>) -> Export {
    let mut out = Export::default();
    for set in sets {
        let text: &str = &set.document.text;
        // Entities that fit: by position, longest first at one start, no overlaps.
        let mut kept: Vec<&Entity> = Vec::new();
        for e in set.entities_in_order() {
            if e.status == Status::Rejected {
                out.dropped_rejected += 1;
            } else if kept.last().is_some_and(|k| k.span.overlaps(&e.span)) {
                out.dropped_overlaps += 1;
            } else {
                kept.push(e);
            }
        }
        out.dropped_attributions += set.attributions.len();
        out.dropped_boilerplate += set.boilerplate.len();
        let cuts: Vec<usize> = kept.iter().flat_map(|e| [e.span.start, e.span.end]).collect();
        let tokens = tokenize(text, &cuts);
        out.text.push_str(DOCSTART);
        out.text.push_str("\n\n");
        let mut k = 0;
        let mut inside = false;
        for (i, t) in tokens.iter().enumerate() {
            while k < kept.len() && kept[k].span.end <= t.start {
                k += 1;
                inside = false;
            }
            let tag = match kept.get(k) {
                Some(e) if e.span.contains(t) => {
                    let p = if inside { "I" } else { "B" };
                    inside = true;
                    format!("{p}-{}", e.label)
                }
                _ => "O".to_string(),
            };
            let _ = writeln!(out.text, "{}\t{tag}", t.slice(text).unwrap_or(""));
            if let Some(next) = tokens.get(i + 1) {
                // Never break a sentence inside an entity.
                let in_entity = kept.get(k).is_some_and(|e| e.span.contains(next));
                if !in_entity && sentence_break(text, *t, *next) {
                    out.text.push('\n');
                }
            }
        }
        out.text.push('\n');
    }
    out
}

/// One document read from a CoNLL file: tokens with tags (sentence breaks as `None`).
struct Parsed {
    tokens: Vec<Option<(String, String, usize)>>,
}

fn parse(input: &str) -> Result<Vec<Parsed>, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    let mut docs: Vec<Parsed> = Vec::new();
    for (i, raw) in input.split('\n').enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if l.starts_with("-DOCSTART-") {
            docs.push(Parsed { tokens: Vec::new() });
            continue;
        }
        if docs.is_empty() {
            docs.push(Parsed { tokens: Vec::new() });
        }
        let doc = docs.last_mut().expect("pushed above");
        if l.trim().is_empty() {
            doc.tokens.push(None);
            continue;
        }
        let cols: Vec<&str> = l.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        if cols.len() < 2 {
            return Err(FormatError::BadLine { line, reason: "expected a token and a tag".into() });
        }
        let tag = cols[cols.len() - 1];
        let ok = tag == "O" || tag.strip_prefix("B-").or(tag.strip_prefix("I-")).is_some_and(|l| !l.is_empty());
        if !ok {
            return Err(FormatError::BadLine { line, reason: format!("{tag:?} is not an IOB tag (O, B-LABEL, I-LABEL)") });
        }
        doc.tokens.push(Some((cols[0].to_string(), tag.to_string(), line)));
    }
    // Every -DOCSTART- is a document, even an empty one, so documents keep their order.
    Ok(docs)
}

/// Builds the set for one parsed document, tokens at `positions` (byte spans in `text`).
fn build(id: String, text: &str, doc: &Parsed, positions: &[Span]) -> Result<AnnotationSet, FormatError> {
    let mut set = AnnotationSet::new(Document::new(id, None, text));
    let mut open: Option<(String, Span)> = None;
    let mut done: Vec<(String, Span, usize)> = Vec::new();
    let toks: Vec<&(String, String, usize)> = doc.tokens.iter().flatten().collect();
    for (tok, pos) in toks.iter().zip(positions) {
        let (_, tag, line) = tok;
        let (prefix, label) = tag.split_once('-').unwrap_or(("O", ""));
        match (prefix, &mut open) {
            ("I", Some((l, span))) if l == label => span.end = pos.end,
            ("O", _) => {
                if let Some((l, s)) = open.take() {
                    done.push((l, s, *line));
                }
            }
            _ => {
                if let Some((l, s)) = open.take() {
                    done.push((l, s, *line));
                }
                open = Some((label.to_string(), *pos));
            }
        }
    }
    if let Some((l, s)) = open.take() {
        done.push((l, s, 0));
    }
    for (label, span, line) in done {
        let label = ensure_label(&mut set, &label, &format!("line {line}"))?;
        let id = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id,
            label,
            span,
            origin: Origin::Human,
            status: Status::Accepted,
            confidence: 1.0,
            canonical: None,
            group: None,
        });
    }
    Ok(set)
}

/// Reads a CoNLL file: one set per document, over a text rebuilt from the tokens
/// (single spaces between tokens, a line break between sentences). Ids `doc-1`, `doc-2`, ….
pub fn import(input: &str) -> Result<Vec<AnnotationSet>, FormatError> {
    let docs = parse(input)?;
    docs.iter()
        .enumerate()
        .map(|(n, d)| {
            let mut text = String::new();
            let mut positions = Vec::new();
            let mut new_sentence = false;
            for t in &d.tokens {
                match t {
                    None => new_sentence = !text.is_empty(),
                    Some((tok, _, _)) => {
                        if !text.is_empty() {
                            text.push(if new_sentence { '\n' } else { ' ' });
                        }
                        new_sentence = false;
                        positions.push(Span::new(text.len(), text.len() + tok.len()));
                        text.push_str(tok);
                    }
                }
            }
            build(format!("doc-{}", n + 1), &text, d, &positions)
        })
        .collect()
}

/// Reads a CoNLL file made from `docs` (same order) back onto their real texts: each
/// token is found after the previous one, skipping whitespace. A document whose tokens
/// do not align (its text changed) is re-anchored by quote instead.
pub fn import_onto(input: &str, docs: &[Document]) -> Result<Vec<Imported>, FormatError> {
    let parsed = parse(input)?;
    let rebuilt = import(input)?;
    let mut out = Vec::new();
    for ((p, r), doc) in parsed.iter().zip(rebuilt).zip(docs) {
        let text: &str = &doc.text;
        let mut pos = Vec::new();
        let mut at = 0;
        let mut aligned = true;
        for (tok, _, _) in p.tokens.iter().flatten() {
            let rest = text.get(at..).unwrap_or("");
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(tok.as_str()) {
                pos.push(Span::new(at + skip, at + skip + tok.len()));
                at += skip + tok.len();
            } else {
                aligned = false;
                break;
            }
        }
        if aligned {
            let mut set = build(doc.id.clone(), text, p, &pos)?;
            set.document = doc.clone();
            out.push(Imported { set, unplaced: Vec::new() });
        } else {
            out.push(reanchor(&r, doc));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::*;
    use crate::core::model::label::Label;
    use proptest::prelude::*;

    #[test]
    fn export_sample() {
        let set = sample();
        let e = export([&set]);
        let lines: Vec<&str> = e.text.lines().collect();
        assert_eq!(lines[0], DOCSTART);
        assert_eq!(&lines[2..4], ["Caroline\tB-PERSON", "Leavitt\tI-PERSON"]);
        assert_eq!(e.dropped_attributions, 1);
        assert_eq!(e.dropped_boilerplate, 1);
        assert!(e.losses().contains("1 attributions"));
    }

    #[test]
    fn overlaps_are_dropped_and_counted() {
        let mut set = AnnotationSet::new(Document::new("d", None, "New York City Hall"));
        for (label, a, b, status) in [
            (Label::Gpe, 0, 13, Status::Accepted),
            (Label::Loc, 0, 18, Status::Suggested),
            (Label::Org, 9, 18, Status::Accepted),
            (Label::Person, 14, 18, Status::Rejected),
        ] {
            let id = EntityId(set.fresh_id());
            set.entities.push(Entity { id, label, span: Span::new(a, b), origin: Origin::Auto, status, confidence: 0.5, canonical: None, group: None });
        }
        let e = export([&set]);
        assert_eq!((e.dropped_overlaps, e.dropped_rejected), (2, 1));
        let back = import_onto(&e.text, &[set.document.clone()]).unwrap();
        let labels: Vec<(String, Span)> = back[0].set.entities.iter().map(|e| (e.label.to_string(), e.span)).collect();
        assert_eq!(labels, [("LOC".to_string(), Span::new(0, 18))]);
    }

    #[test]
    fn typed_errors() {
        assert_eq!(import(""), Err(FormatError::Empty));
        assert!(matches!(import("a\tB-X\nb\tQ-X\n"), Err(FormatError::BadLine { line: 2, .. })));
        assert!(matches!(import("lonely\n"), Err(FormatError::BadLine { line: 1, .. })));
    }

    #[test]
    fn foreign_file_iob1_and_columns() {
        // CoNLL-2003 style: four columns, IOB1 (I- starts an entity).
        let f = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n\n";
        let sets = import(f).unwrap();
        assert_eq!(sets[0].document.text.as_ref(), "EU rejects German");
        let labels: Vec<&str> = sets[0].entities.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["ORG", "MISC"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let mut set = random_set(&text, &seeds, false);
            set.attributions.clear();
            set.boilerplate.clear();
            set.entities.retain(|e| e.status != Status::Rejected);
            for e in &mut set.entities {
                e.origin = Origin::Human;
                e.status = Status::Accepted;
            }
            let e = export([&set]);
            prop_assert_eq!(e.dropped_overlaps, 0);
            let back = import_onto(&e.text, &[set.document.clone()]).unwrap();
            prop_assert!(back[0].unplaced.is_empty());
            prop_assert_eq!(canon(&back[0].set), canon(&set));
        }
    }
}

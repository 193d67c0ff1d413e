//! What the article view draws: the text cut into paragraphs, and each paragraph into
//! segments that are covered by the same annotations.
//!
//! Entities may overlap or nest ("White House spokeswoman Caroline Leavitt" holds ORG and
//! PERSON) and attribution roles cross entity edges, so a paragraph is cut at every
//! annotation boundary; each segment lists everything covering it. The UI nests one
//! `<mark>` per covering entity around the segment's text, so an entity crossing another's
//! edge becomes several `<mark>`s with the same id rather than broken HTML. Pure and
//! host-tested; the UI only maps segments to elements.

use crate::core::model::sort;
use crate::core::model::annotation::{AnnotationSet, AttributionId, Entity, EntityId};
use crate::core::model::span::Span;

/// Which part of an attribution a segment belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AttributionRole {
    Source,
    Cue,
    Content,
}

impl AttributionRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributionRole::Source => "source",
            AttributionRole::Cue => "cue",
            AttributionRole::Content => "content",
        }
    }
}

/// A run of text covered by one fixed set of annotations. Byte offsets into the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub span: Span,
    /// Covering entities, outermost first (earlier start, then longer, then lower id).
    pub entities: Vec<EntityId>,
    /// Covering attribution roles, ordered by attribution then role.
    pub roles: Vec<(AttributionId, AttributionRole)>,
    /// Inside a boilerplate region.
    pub boilerplate: bool,
}

/// One line of the text (the sample separates paragraphs with "\n"), cut into segments.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// Without the line break.
    pub span: Span,
    pub segments: Vec<Segment>,
}

/// The spans of the non-empty lines of `text`.
pub fn paragraph_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        if !line.trim().is_empty() {
            out.push(Span::new(start, end));
        }
        start = end + 1;
    }
    out
}

/// Everything that touches one paragraph: the inputs of its segments. Two equal inputs
/// give equal segments, which is what lets the view re-cut only the paragraphs an edit
/// touched.
#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphInput<'a> {
    pub span: Span,
    /// In [`AnnotationSet::entities_in_order`] order.
    pub entities: Vec<&'a Entity>,
    /// Ordered by attribution then role.
    pub roles: Vec<(Span, AttributionId, AttributionRole)>,
    pub boilerplate: Vec<Span>,
}

/// Each paragraph with the annotations touching it. Every span is put in the paragraphs
/// it overlaps by binary search, so a long article costs O(items · log paragraphs), not
/// paragraphs × items. Spans that are empty or not on character boundaries are ignored.
pub fn paragraph_inputs(set: &AnnotationSet) -> Vec<ParagraphInput<'_>> {
    paragraph_inputs_for(set, &paragraph_spans(set.text()))
}

/// [`paragraph_inputs`] for some consecutive paragraphs only (`spans` is a slice of
/// [`paragraph_spans`]): what a view that draws the paragraphs near the viewport needs.
/// Items outside the slice are skipped with one comparison each and nothing is allocated
/// for them, so a key press in a 100,000-word article does not lay the article out again.
pub fn paragraph_inputs_for<'a>(set: &'a AnnotationSet, spans: &[Span]) -> Vec<ParagraphInput<'a>> {
    let text = set.text();
    let mut out: Vec<ParagraphInput> = spans
        .iter()
        .map(|&span| ParagraphInput { span, entities: Vec::new(), roles: Vec::new(), boilerplate: Vec::new() })
        .collect();
    let (Some(first), Some(last)) = (spans.first(), spans.last()) else { return out };
    let window = Span::new(first.start, last.end);
    let usable = |s: &Span| !s.is_empty() && s.start < window.end && s.end > window.start && s.is_valid_in(text);
    // The paragraphs a span overlaps, as an index range.
    let touched = |out: &[ParagraphInput], s: &Span| {
        let first = out.partition_point(|p| p.span.end <= s.start);
        let last = out.partition_point(|p| p.span.start < s.end);
        first..last.max(first)
    };
    let mut entities: Vec<&Entity> = set.entities.iter().filter(|e| usable(&e.span)).collect();
    sort::sort_by_key(&mut entities, |e| (e.span.start, std::cmp::Reverse(e.span.end), e.id));
    for e in entities {
        for i in touched(&out, &e.span) {
            out[i].entities.push(e);
        }
    }
    let mut roles: Vec<(Span, AttributionId, AttributionRole)> = Vec::new();
    for a in &set.attributions {
        if let Some(s) = a.source.as_ref().filter(|s| usable(&s.span)) {
            roles.push((s.span, a.id, AttributionRole::Source));
        }
        if let Some(c) = a.cue.filter(|c| usable(c)) {
            roles.push((c, a.id, AttributionRole::Cue));
        }
        for f in a.content.fragments().iter().filter(|f| usable(f)) {
            roles.push((*f, a.id, AttributionRole::Content));
        }
    }
    sort::sort_by_key(&mut roles, |&(_, id, role)| (id, role));
    for r in roles {
        for i in touched(&out, &r.0) {
            out[i].roles.push(r);
        }
    }
    for b in set.boilerplate.iter().filter(|b| usable(&b.span)) {
        for i in touched(&out, &b.span) {
            out[i].boilerplate.push(b.span);
        }
    }
    out
}

/// Cuts one paragraph into segments at every annotation boundary inside it.
pub fn segment(input: &ParagraphInput<'_>) -> Paragraph {
    let p = input.span;
    let mut cuts = vec![p.start, p.end];
    let spans = input.entities.iter().map(|e| e.span).chain(input.roles.iter().map(|r| r.0)).chain(input.boilerplate.iter().copied());
    for s in spans {
        cuts.extend([s.start, s.end].into_iter().filter(|&c| c > p.start && c < p.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let segments = cuts
        .windows(2)
        .map(|w| {
            let span = Span::new(w[0], w[1]);
            Segment {
                span,
                entities: input.entities.iter().filter(|e| e.span.contains(&span)).map(|e| e.id).collect(),
                roles: input.roles.iter().filter(|r| r.0.contains(&span)).map(|r| (r.1, r.2)).collect(),
                boilerplate: input.boilerplate.iter().any(|b| b.contains(&span)),
            }
        })
        .collect();
    Paragraph { span: p, segments }
}

/// Every paragraph of the set's document with its segments. Spans that are not on
/// character boundaries (a corrupt set) are ignored rather than split mid-character.
pub fn paragraphs(set: &AnnotationSet) -> Vec<Paragraph> {
    paragraph_inputs(set).iter().map(segment).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Document, Edit, Kind};
    use crate::core::model::label::Label;
    use crate::core::model::span::Extent;

    fn set_with(text: &str, edits: &[Edit]) -> AnnotationSet {
        AnnotationSet::new(Document::new("t", None, text)).apply_all(edits).unwrap()
    }

    fn ent(label: Label, a: usize, b: usize) -> Edit {
        Edit::AddEntity { label, span: Span::new(a, b) }
    }

    /// Segments as (text, entity ids) for compact expectations.
    fn shape(set: &AnnotationSet) -> Vec<Vec<(String, Vec<u32>)>> {
        paragraphs(set)
            .iter()
            .map(|p| {
                p.segments
                    .iter()
                    .map(|s| (s.span.slice(set.text()).unwrap().to_string(), s.entities.iter().map(|e| e.0).collect()))
                    .collect()
            })
            .collect()
    }

    fn seg(t: &str, ids: &[u32]) -> (String, Vec<u32>) {
        (t.to_string(), ids.to_vec())
    }

    #[test]
    fn paragraph_spans_table() {
        let cases: [(&str, &[(usize, usize)]); 6] = [
            ("", &[]),
            ("one", &[(0, 3)]),
            ("one\ntwo", &[(0, 3), (4, 7)]),
            ("one\n\n  \ntwo\n", &[(0, 3), (8, 11)]),
            ("\n\n", &[]),
            ("é😀\nß", &[(0, 6), (7, 9)]),
        ];
        for (text, want) in cases {
            let got: Vec<(usize, usize)> = paragraph_spans(text).iter().map(|s| (s.start, s.end)).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn segments_cover_each_paragraph_exactly() {
        let text = "Caroline Leavitt said.\nWhite House spokeswoman Caroline Leavitt";
        let set = set_with(text, &[ent(Label::Person, 0, 16), ent(Label::Org, 23, 34), ent(Label::Person, 47, 63)]);
        for p in paragraphs(&set) {
            let joined: String = p.segments.iter().map(|s| s.span.slice(text).unwrap()).collect();
            assert_eq!(joined, p.span.slice(text).unwrap());
        }
    }

    #[test]
    fn overlap_and_nesting_table() {
        // Ids are handed out in edit order: 1, 2, 3…
        let text = "White House spokeswoman Caroline Leavitt";
        let cases: Vec<(Vec<Edit>, Vec<(String, Vec<u32>)>)> = vec![
            (vec![], vec![seg(text, &[])]),
            (
                vec![ent(Label::Org, 0, 11)],
                vec![seg("White House", &[1]), seg(" spokeswoman Caroline Leavitt", &[])],
            ),
            // Nested: the outer entity comes first in every segment it covers.
            (
                vec![ent(Label::Person, 24, 40), ent(Label::Role, 0, 40)],
                vec![seg("White House spokeswoman ", &[2]), seg("Caroline Leavitt", &[2, 1])],
            ),
            // Crossing edges: split into three segments, no entity lost.
            (
                vec![ent(Label::Org, 0, 11), ent(Label::Role, 6, 23)],
                vec![
                    seg("White ", &[1]),
                    seg("House", &[1, 2]),
                    seg(" spokeswoman", &[2]),
                    seg(" Caroline Leavitt", &[]),
                ],
            ),
            // Two entities on the same span: both, by id.
            (
                vec![ent(Label::Person, 24, 40), ent(Label::Role, 24, 40)],
                vec![seg("White House spokeswoman ", &[]), seg("Caroline Leavitt", &[1, 2])],
            ),
        ];
        for (edits, want) in cases {
            let set = set_with(text, &edits);
            assert_eq!(shape(&set), vec![want], "{edits:?}");
        }
    }

    #[test]
    fn entity_across_a_line_break_is_split_per_paragraph() {
        let set = set_with("ab\ncd", &[ent(Label::Org, 1, 4)]);
        assert_eq!(shape(&set), vec![vec![seg("a", &[]), seg("b", &[1])], vec![seg("c", &[1]), seg("d", &[])]]);
    }

    #[test]
    fn attribution_roles_and_boilerplate_are_marked() {
        let text = "Leavitt said it would work. JOIN US";
        let set = set_with(
            text,
            &[
                Edit::AddAttribution {
                    kind: Kind::Indirect,
                    source: Some(Span::new(0, 7)),
                    cue: Some(Span::new(8, 12)),
                    content: Extent::single(Span::new(13, 26)),
                },
                Edit::AddBoilerplate { span: Span::new(28, 35) },
            ],
        );
        let ps = paragraphs(&set);
        let got: Vec<(&str, Vec<AttributionRole>, bool)> = ps[0]
            .segments
            .iter()
            .map(|s| (s.span.slice(text).unwrap(), s.roles.iter().map(|r| r.1).collect(), s.boilerplate))
            .collect();
        use AttributionRole::*;
        assert_eq!(
            got,
            vec![
                ("Leavitt", vec![Source], false),
                (" ", vec![], false),
                ("said", vec![Cue], false),
                (" ", vec![], false),
                ("it would work", vec![Content], false),
                (". ", vec![], false),
                ("JOIN US", vec![], true),
            ]
        );
    }

    #[test]
    fn multibyte_text_cuts_on_char_boundaries() {
        let text = "« Ça va », dit 李雷 😀.";
        let s = text.find('李').unwrap();
        let set = set_with(text, &[ent(Label::Person, s, s + "李雷".len())]);
        let ps = paragraphs(&set);
        for seg in &ps[0].segments {
            assert!(seg.span.slice(text).is_some(), "{seg:?}");
        }
        assert_eq!(ps[0].segments.len(), 3);
    }

    /// A window of paragraphs gets exactly what the whole-article layout gives those
    /// paragraphs: entities crossing line breaks, attributions spanning several paragraphs
    /// and boilerplate included.
    #[test]
    fn inputs_for_any_window_equal_the_whole_layout() {
        let text = "Ann Lee said\nit was \"fine and\nwell\" today.\n\nJOIN US now\nBob";
        let at = |w: &str| text.find(w).unwrap();
        let set = set_with(
            text,
            &[
                ent(Label::Person, at("Ann"), at("Ann") + 7),
                ent(Label::Person, at("Lee"), at("Lee") + 3),
                ent(Label::Org, at("said") + 2, at("it") + 2),
                ent(Label::Date, at("today"), at("today") + 5),
                ent(Label::Person, at("Bob"), at("Bob") + 3),
                Edit::AddAttribution {
                    kind: Kind::Direct,
                    source: Some(Span::new(at("Ann"), at("Ann") + 7)),
                    cue: Some(Span::new(at("said"), at("said") + 4)),
                    content: Extent::single(Span::new(at("\"fine"), at("today") - 1)),
                },
                Edit::AddBoilerplate { span: Span::new(at("JOIN"), at("Bob") + 3) },
            ],
        );
        let spans = paragraph_spans(text);
        let whole = paragraph_inputs(&set);
        assert_eq!(whole.len(), 5);
        for a in 0..spans.len() {
            for b in a + 1..=spans.len() {
                assert_eq!(paragraph_inputs_for(&set, &spans[a..b]), whole[a..b].to_vec(), "window {a}..{b}");
            }
        }
        assert!(paragraph_inputs_for(&set, &[]).is_empty());
    }
}

//! Inter-annotator agreement between two annotators (A and B) of the same documents:
//! entity F1 (exact span + label, and overlap + label) overall and per label, Cohen's κ on
//! token labels, and attribution *found* / *full* agreement.
//!
//! The matching is the one `../shared/eval/score.py` uses with A as the gold and B as the
//! prediction, so the figures can be checked against it (`tests/agree/check.py` does, with
//! scikit-learn's `cohen_kappa_score` for κ). Entity F1 and attribution F1 are then
//! symmetric in A and B up to the greedy order of overlap matching. Unlike a gold file, an
//! annotator's export has no `layers`, `scored_labels` or `label_map`, and neither side's
//! boilerplate filters the other's items: every item that is not `rejected` counts. An
//! entity annotated twice (same span and label) counts once.
//!
//! Token labels for κ: every word token of the text (see [`super::words`]) takes the label
//! of the entity covering it (overlapping it by at least one byte); where several do, the
//! one that starts first, then the longest, then the smallest label name; no entity is `O`.

use crate::core::model::sort;
use crate::core::model::annotation::{AnnotationSet, Attribution, Entity, Status};
use crate::core::model::span::Span;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use super::words;

/// Counts behind one F1: items of A, items of B, and matched pairs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub a: usize,
    pub b: usize,
    pub matched: usize,
}

impl Counts {
    /// Matched share of B's items (B's precision against A).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.b)
    }

    /// Matched share of A's items (B's recall against A).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.a)
    }

    /// The harmonic mean of [`Counts::precision`] and [`Counts::recall`]; 0 when either is.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Counts) {
        self.a += o.a;
        self.b += o.b;
        self.matched += o.matched;
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// Cohen's κ over the token labels of all documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kappa {
    /// (label in A, label in B) → tokens; `O` for no entity.
    pub confusion: BTreeMap<(String, String), usize>,
}

impl Kappa {
    pub fn tokens(&self) -> usize {
        self.confusion.values().sum()
    }

    /// Share of tokens with the same label in A and B.
    pub fn observed(&self) -> f64 {
        let same: usize = self
            .confusion
            .iter()
            .filter(|((a, b), _)| a == b)
            .map(|(_, n)| n)
            .sum();
        ratio(same, self.tokens())
    }

    /// Agreement expected by chance from each side's label frequencies.
    pub fn expected(&self) -> f64 {
        let n = self.tokens() as f64;
        if n == 0.0 {
            return 0.0;
        }
        let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
        let mut cols: BTreeMap<&str, usize> = BTreeMap::new();
        for ((a, b), k) in &self.confusion {
            *rows.entry(a).or_default() += k;
            *cols.entry(b).or_default() += k;
        }
        rows.iter()
            .map(|(l, r)| *r as f64 / n * (*cols.get(l).unwrap_or(&0) as f64 / n))
            .sum()
    }

    /// κ = (observed − expected) / (1 − expected); `None` when undefined (no tokens, or
    /// both sides gave every token one and the same label).
    pub fn kappa(&self) -> Option<f64> {
        let pe = self.expected();
        if self.tokens() == 0 || (1.0 - pe).abs() < 1e-12 {
            None
        } else {
            Some((self.observed() - pe) / (1.0 - pe))
        }
    }

    /// Every label either side used, `O` included, sorted.
    pub fn labels(&self) -> Vec<String> {
        let mut l: Vec<String> = self
            .confusion
            .keys()
            .flat_map(|(a, b)| [a.clone(), b.clone()])
            .collect();
        sort::sort(&mut l);
        l.dedup();
        l
    }
}

/// Entity counts for one label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LabelCounts {
    pub exact: Counts,
    pub overlap: Counts,
}

/// The agreement of two annotators over a set of paired documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agreement {
    pub documents: usize,
    pub entities_exact: Counts,
    pub entities_overlap: Counts,
    pub per_label: BTreeMap<String, LabelCounts>,
    pub kappa: Kappa,
    pub attributions_found: Counts,
    pub attributions_full: Counts,
}

/// Why two annotation sets cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgreeError {
    /// The two sides of a document have different texts, so offsets mean different things.
    TextDiffers { document: String },
    /// One side holds two files for the same document id.
    DuplicateDocument { side: char, document: String },
    /// No document id is in both A and B.
    NothingInCommon,
}

impl fmt::Display for AgreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgreeError::TextDiffers { document } => write!(
                f,
                "document {document:?}: A and B annotate different texts; compare exports of the same article"
            ),
            AgreeError::DuplicateDocument { side, document } => {
                write!(f, "{side} holds document {document:?} twice; keep one file per document")
            }
            AgreeError::NothingInCommon => {
                write!(f, "A and B have no document id in common; compare two annotators' exports of the same articles")
            }
        }
    }
}

impl std::error::Error for AgreeError {}

/// Documents paired by id, and those only one side has.
#[derive(Debug)]
pub struct Paired {
    pub pairs: Vec<(AnnotationSet, AnnotationSet)>,
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

/// Pairs A's and B's sets by `document.id`, in A's order.
pub fn pair_by_id(a: Vec<AnnotationSet>, b: Vec<AnnotationSet>) -> Result<Paired, AgreeError> {
    let mut by_id: BTreeMap<String, AnnotationSet> = BTreeMap::new();
    for s in b {
        let id = s.document.id.clone();
        if by_id.insert(id.clone(), s).is_some() {
            return Err(AgreeError::DuplicateDocument {
                side: 'B',
                document: id,
            });
        }
    }
    let mut seen = HashSet::new();
    let (mut pairs, mut only_a) = (Vec::new(), Vec::new());
    for s in a {
        let id = s.document.id.clone();
        if !seen.insert(id.clone()) {
            return Err(AgreeError::DuplicateDocument {
                side: 'A',
                document: id,
            });
        }
        match by_id.remove(&id) {
            Some(other) => pairs.push((s, other)),
            None => only_a.push(id),
        }
    }
    if pairs.is_empty() {
        return Err(AgreeError::NothingInCommon);
    }
    Ok(Paired {
        pairs,
        only_a,
        only_b: by_id.into_keys().collect(),
    })
}

/// The agreement over `pairs` (A's set, B's set of the same document).
pub fn agree<'s>(
    pairs: impl IntoIterator<Item = (&'s AnnotationSet, &'s AnnotationSet)>,
) -> Result<Agreement, AgreeError> {
    let mut out = Agreement::default();
    for (a, b) in pairs {
        if a.document.text != b.document.text {
            return Err(AgreeError::TextDiffers {
                document: a.document.id.clone(),
            });
        }
        out.documents += 1;
        entities(a, b, &mut out);
        token_labels(a, b, &mut out.kappa);
        attributions(a, b, &mut out);
    }
    Ok(out)
}

/// Python's overlap test (`x.start < y.end and y.start < x.end`), which unlike
/// [`Span::overlaps`] lets an empty span inside another count.
pub(super) fn touches(x: &Span, y: &Span) -> bool {
    x.start < y.end && y.start < x.end
}

/// Live entities (not rejected) as (span, label), once each, in file order.
fn live_entities(set: &AnnotationSet) -> Vec<(Span, &str)> {
    let mut seen = HashSet::new();
    set.entities
        .iter()
        .filter(|e| e.status != Status::Rejected)
        .map(|e| (e.span, e.label.as_str()))
        .filter(|k| seen.insert(*k))
        .collect()
}

fn entities(a: &AnnotationSet, b: &AnnotationSet, out: &mut Agreement) {
    let (ga, gb) = (live_entities(a), live_entities(b));
    let in_b: HashSet<_> = gb.iter().copied().collect();
    let mut exact = Counts {
        a: ga.len(),
        b: gb.len(),
        matched: 0,
    };
    for x in &ga {
        let l = out.per_label.entry(x.1.to_string()).or_default();
        l.exact.a += 1;
        l.overlap.a += 1;
        if in_b.contains(x) {
            exact.matched += 1;
            l.exact.matched += 1;
        }
    }
    for y in &gb {
        let l = out.per_label.entry(y.1.to_string()).or_default();
        l.exact.b += 1;
        l.overlap.b += 1;
    }
    // Greedy, in A's order: each A entity takes B's first unused one of its label it overlaps.
    let mut used = vec![false; gb.len()];
    let mut overlap = Counts {
        a: ga.len(),
        b: gb.len(),
        matched: 0,
    };
    for (span, label) in &ga {
        if let Some(i) =
            (0..gb.len()).find(|&i| !used[i] && gb[i].1 == *label && touches(&gb[i].0, span))
        {
            used[i] = true;
            overlap.matched += 1;
            out.per_label
                .entry(label.to_string())
                .or_default()
                .overlap
                .matched += 1;
        }
    }
    out.entities_exact.add(exact);
    out.entities_overlap.add(overlap);
}

/// Live entities by start, then longest first, then label name.
fn by_position(set: &AnnotationSet) -> Vec<(Span, &str)> {
    let mut v = live_entities(set);
    sort::sort_by(&mut v, |x, y| {
        x.0.start
            .cmp(&y.0.start)
            .then(y.0.end.cmp(&x.0.end))
            .then(x.1.cmp(y.1))
    });
    v
}

fn token_labels(a: &AnnotationSet, b: &AnnotationSet, kappa: &mut Kappa) {
    let text = &a.document.text;
    let (ea, eb) = (by_position(a), by_position(b));
    let label = |ents: &[(Span, &str)], t: Span| -> String {
        // Entities are sorted by start: none starting at or after the token's end covers it.
        ents.iter()
            .take_while(|(s, _)| s.start < t.end)
            .find(|(s, _)| touches(s, &t))
            .map_or_else(|| "O".to_string(), |(_, l)| l.to_string())
    };
    for (s, e) in words::tokens(text) {
        let t = Span::new(s, e);
        *kappa
            .confusion
            .entry((label(&ea, t), label(&eb, t)))
            .or_default() += 1;
    }
}

/// Token start offsets of the pieces of a span, as score.py's `tokens`: each fragment is
/// tokenised on its own, so a word cut by a fragment's edge counts from that edge.
fn token_starts(text: &str, pieces: &[Span]) -> HashSet<usize> {
    let mut out = HashSet::new();
    for p in pieces {
        if let Some(slice) = p.slice(text) {
            out.extend(words::tokens(slice).into_iter().map(|(s, _)| s + p.start));
        }
    }
    out
}

pub(super) fn tok_f1(text: &str, x: &[Span], y: &[Span]) -> f64 {
    let (tx, ty) = (token_starts(text, x), token_starts(text, y));
    let inter = tx.intersection(&ty).count();
    if tx.is_empty() || ty.is_empty() || inter == 0 {
        0.0
    } else {
        2.0 * inter as f64 / (tx.len() + ty.len()) as f64
    }
}

const PRONOUNS: [&str; 10] = [
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them",
];

/// score.py's `name_match`: the same name, or the same last word with one name's words a
/// subset of the other's ("Leavitt" ~ "Karoline Leavitt"), ignoring case and a leading "the".
fn name_match(x: &str, y: &str) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    let norm = |s: &str| {
        let s = s.to_lowercase();
        let s = s.trim();
        s.strip_prefix("the ").unwrap_or(s).to_string()
    };
    let (x, y) = (norm(x), norm(y));
    if x == y {
        return true;
    }
    let (tx, ty): (Vec<&str>, Vec<&str>) = (
        x.split_whitespace().collect(),
        y.split_whitespace().collect(),
    );
    let (sx, sy): (HashSet<&str>, HashSet<&str>) =
        (tx.iter().copied().collect(), ty.iter().copied().collect());
    tx.last() == ty.last() && (sx.is_subset(&sy) || sy.is_subset(&sx))
}

/// The names B's source refers to: its `entity_text`, and the canonical name (else the
/// text) of the entity it links.
fn resolved_names(set: &AnnotationSet, att: &Attribution) -> Vec<String> {
    let Some(src) = &att.source else {
        return Vec::new();
    };
    let mut names: Vec<String> = src
        .entity_text
        .iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect();
    if let Some(id) = src.entity {
        for e in set.entities.iter().filter(|e: &&Entity| e.id == id) {
            let canonical = e.canonical.as_deref().filter(|c| !c.is_empty());
            names.push(
                canonical
                    .unwrap_or_else(|| e.span.slice(&set.document.text).unwrap_or(""))
                    .to_string(),
            );
        }
    }
    names
}

fn source_agrees(text: &str, a: &Attribution, b_set: &AnnotationSet, b: &Attribution) -> bool {
    match (&a.source, &b.source) {
        (None, None) => true,
        (Some(gs), Some(ps)) => {
            let names_match =
                |want: &str| resolved_names(b_set, b).iter().any(|n| name_match(n, want));
            let wanted = gs.entity_text.as_deref().filter(|t| !t.is_empty());
            if touches(&gs.span, &ps.span) {
                let gtext = gs.span.slice(text).unwrap_or("").to_lowercase();
                match wanted {
                    Some(want) if PRONOUNS.contains(&gtext.as_str()) => names_match(want),
                    _ => true,
                }
            } else {
                wanted.is_some_and(names_match)
            }
        }
        _ => false,
    }
}

fn attributions(a: &AnnotationSet, b: &AnnotationSet, out: &mut Agreement) {
    let text = &a.document.text;
    let live = |s: &'_ AnnotationSet| -> Vec<Attribution> {
        s.attributions
            .iter()
            .filter(|x| x.status != Status::Rejected)
            .cloned()
            .collect()
    };
    let (ga, gb) = (live(a), live(b));
    out.attributions_found.a += ga.len();
    out.attributions_found.b += gb.len();
    out.attributions_full.a += ga.len();
    out.attributions_full.b += gb.len();
    let mut used = vec![false; gb.len()];
    for g in &ga {
        // The best unused B attribution by content token F1 ≥ 0.5; ties go to the later one
        // (score.py's `>=`).
        let mut best: Option<(usize, f64)> = None;
        for (i, p) in gb.iter().enumerate() {
            if used[i] {
                continue;
            }
            let f = tok_f1(text, g.content.fragments(), p.content.fragments());
            if f >= best.map_or(0.5, |(_, bf)| bf) {
                best = Some((i, f));
            }
        }
        let Some((i, _)) = best else { continue };
        used[i] = true;
        let p = &gb[i];
        out.attributions_found.matched += 1;
        let cue_ok = matches!((g.cue, p.cue), (Some(x), Some(y)) if touches(&x, &y));
        if cue_ok && source_agrees(text, g, b, p) {
            out.attributions_full.matched += 1;
        }
    }
}

fn f3(x: f64) -> String {
    format!("{x:.3}")
}

impl Agreement {
    /// A plain-text table for the terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let row = |s: &mut String, name: &str, exact: &Counts, overlap: &Counts| {
            let _ = writeln!(
                s,
                "  {name:<10} {:>8} {:>10} {:>6} {:>6} {:>7} {:>8}",
                f3(exact.f1()),
                f3(overlap.f1()),
                exact.a,
                exact.b,
                exact.matched,
                overlap.matched
            );
        };
        let _ = writeln!(s, "documents: {}", self.documents);
        let _ = writeln!(
            s,
            "entities    exact F1 overlap F1      A      B   exact  overlap"
        );
        row(&mut s, "all", &self.entities_exact, &self.entities_overlap);
        for (label, c) in &self.per_label {
            row(&mut s, label, &c.exact, &c.overlap);
        }
        let k = &self.kappa;
        let _ = writeln!(
            s,
            "token labels: Cohen's kappa {} (observed {}, chance {}, {} tokens)",
            k.kappa().map_or("n/a".into(), f3),
            f3(k.observed()),
            f3(k.expected()),
            k.tokens()
        );
        for (name, c) in [
            ("found", &self.attributions_found),
            ("full", &self.attributions_full),
        ] {
            let _ = writeln!(
                s,
                "attributions {name:<5} F1 {}  (A {}, B {}, matched {})",
                f3(c.f1()),
                c.a,
                c.b,
                c.matched
            );
        }
        s
    }

    /// Every figure as JSON (what `newsmark agree --format json` prints).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let c = |c: &Counts| json!({"a": c.a, "b": c.b, "matched": c.matched, "p": c.precision(), "r": c.recall(), "f": c.f1()});
        let per_label: serde_json::Map<String, serde_json::Value> = self
            .per_label
            .iter()
            .map(|(l, x)| {
                (
                    l.clone(),
                    json!({"exact": c(&x.exact), "overlap": c(&x.overlap)}),
                )
            })
            .collect();
        let confusion: Vec<_> = self
            .kappa
            .confusion
            .iter()
            .map(|((a, b), n)| json!({"a": a, "b": b, "tokens": n}))
            .collect();
        json!({
            "documents": self.documents,
            "entities_exact": c(&self.entities_exact),
            "entities_overlap": c(&self.entities_overlap),
            "per_label": per_label,
            "token_kappa": {
                "kappa": self.kappa.kappa(),
                "observed": self.kappa.observed(),
                "expected": self.kappa.expected(),
                "tokens": self.kappa.tokens(),
                "confusion": confusion,
            },
            "attributions_found": c(&self.attributions_found),
            "attributions_full": c(&self.attributions_full),
        })
    }

    /// One row per figure: `measure,label,a,b,matched,precision,recall,f1,value`.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("measure,label,a,b,matched,precision,recall,f1,value\n");
        let mut row = |m: &str, l: &str, c: &Counts| {
            s.push_str(&format!(
                "{m},{},{},{},{},{:.6},{:.6},{:.6},\n",
                csv_field(l),
                c.a,
                c.b,
                c.matched,
                c.precision(),
                c.recall(),
                c.f1()
            ));
        };
        row("entities_exact", "", &self.entities_exact);
        row("entities_overlap", "", &self.entities_overlap);
        for (l, c) in &self.per_label {
            row("entities_exact", l, &c.exact);
            row("entities_overlap", l, &c.overlap);
        }
        row("attributions_found", "", &self.attributions_found);
        row("attributions_full", "", &self.attributions_full);
        let k = self
            .kappa
            .kappa()
            .map_or(String::new(), |k| format!("{k:.6}"));
        s.push_str(&format!("token_kappa,,,,{},,,,{k}\n", self.kappa.tokens()));
        s
    }
}

/// A label name is validated (letters, digits, `_`, `-`), but quote anything else anyway.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::json;

    /// A set from a compact description: entities `(start, end, label)` in code points
    /// (ASCII text here, so bytes) and attributions `(source, cue, content)`.
    type Range = (usize, usize);

    fn set(
        text: &str,
        ents: &[(usize, usize, &str)],
        atts: &[(Option<Range>, Range, Range)],
    ) -> AnnotationSet {
        let span =
            |(s, e): (usize, usize)| serde_json::json!({"start": s, "end": e, "text": &text[s..e]});
        let entities: Vec<_> = ents
            .iter()
            .enumerate()
            .map(|(i, &(s, e, l))| {
                serde_json::json!({"id": format!("e{}", i + 1), "label": l, "start": s, "end": e, "text": &text[s..e]})
            })
            .collect();
        let attributions: Vec<_> = atts
            .iter()
            .enumerate()
            .map(|(i, &(src, cue, content))| {
                serde_json::json!({"id": format!("a{}", i + 1), "kind": "indirect",
                    "source": src.map(span), "cue": span(cue), "content": span(content)})
            })
            .collect();
        let file = serde_json::json!({"format": "newsmark.annotations", "version": 1,
            "document": {"id": "d", "text": text}, "entities": entities, "attributions": attributions});
        json::import(&file.to_string()).expect("test file imports")
    }

    const TEXT: &str = "Anna Berg of Acme Corp said the deal was done in Oslo on Monday.";

    #[test]
    fn identical_sets_agree_fully() {
        let a = set(
            TEXT,
            &[(0, 9, "PERSON"), (13, 22, "ORG"), (49, 53, "GPE")],
            &[(Some((0, 9)), (23, 27), (28, 63))],
        );
        let r = agree([(&a, &a)]).unwrap();
        assert_eq!(
            r.entities_exact,
            Counts {
                a: 3,
                b: 3,
                matched: 3
            }
        );
        assert_eq!(r.entities_exact.f1(), 1.0);
        assert_eq!(r.kappa.kappa(), Some(1.0));
        assert_eq!(
            r.attributions_full,
            Counts {
                a: 1,
                b: 1,
                matched: 1
            }
        );
    }

    #[test]
    fn boundary_and_label_differences() {
        let a = set(
            TEXT,
            &[(0, 9, "PERSON"), (13, 22, "ORG"), (49, 53, "GPE")],
            &[],
        );
        // B: PERSON cut short (overlap, not exact), ORG as GPE (neither), Monday extra.
        let b = set(
            TEXT,
            &[
                (5, 9, "PERSON"),
                (13, 22, "GPE"),
                (49, 53, "GPE"),
                (57, 63, "DATE"),
            ],
            &[],
        );
        let r = agree([(&a, &b)]).unwrap();
        assert_eq!(
            r.entities_exact,
            Counts {
                a: 3,
                b: 4,
                matched: 1
            }
        );
        assert_eq!(
            r.entities_overlap,
            Counts {
                a: 3,
                b: 4,
                matched: 2
            }
        );
        assert_eq!(
            r.per_label["PERSON"].overlap,
            Counts {
                a: 1,
                b: 1,
                matched: 1
            }
        );
        assert_eq!(
            r.per_label["PERSON"].exact,
            Counts {
                a: 1,
                b: 1,
                matched: 0
            }
        );
        assert_eq!(
            r.per_label["ORG"].exact,
            Counts {
                a: 1,
                b: 0,
                matched: 0
            }
        );
        assert_eq!(
            r.per_label["DATE"].exact,
            Counts {
                a: 0,
                b: 1,
                matched: 0
            }
        );
        // Tokens: Anna Berg of Acme Corp said the deal was done in Oslo on Monday = 14.
        assert_eq!(r.kappa.tokens(), 14);
        assert_eq!(r.kappa.confusion[&("PERSON".into(), "O".into())], 1); // "Anna"
        assert_eq!(r.kappa.confusion[&("ORG".into(), "GPE".into())], 2);
        let k = r.kappa.kappa().unwrap();
        assert!(k > 0.0 && k < 1.0, "{k}");
    }

    #[test]
    fn kappa_matches_a_hand_computation() {
        // 14 tokens; A: Anna Berg PERSON; B: Berg PERSON only.
        let a = set(TEXT, &[(0, 9, "PERSON")], &[]);
        let b = set(TEXT, &[(5, 9, "PERSON")], &[]);
        let r = agree([(&a, &b)]).unwrap();
        let (po, pa, pb) = (13.0 / 14.0, 2.0 / 14.0, 1.0 / 14.0);
        let pe = pa * pb + (1.0 - pa) * (1.0 - pb);
        assert!((r.kappa.kappa().unwrap() - (po - pe) / (1.0 - pe)).abs() < 1e-12);
    }

    #[test]
    fn kappa_is_undefined_when_nobody_labels_anything() {
        let a = set(TEXT, &[], &[]);
        let r = agree([(&a, &a)]).unwrap();
        assert_eq!(r.kappa.kappa(), None);
        assert!(r.to_text().contains("kappa n/a"));
    }

    #[test]
    fn attribution_found_needs_half_the_content_tokens_full_needs_cue_and_source() {
        let a = set(TEXT, &[], &[(Some((0, 9)), (23, 27), (28, 63))]);
        // Same content, other cue position, source overlapping: full.
        let b1 = set(TEXT, &[], &[(Some((5, 9)), (23, 27), (32, 53))]);
        // Content too short (2 of 8 tokens): not found.
        let b2 = set(TEXT, &[], &[(Some((0, 9)), (23, 27), (28, 36))]);
        // Found, but a different source: found, not full.
        let b3 = set(TEXT, &[], &[(Some((13, 22)), (23, 27), (28, 63))]);
        let r1 = agree([(&a, &b1)]).unwrap();
        assert_eq!(
            (r1.attributions_found.matched, r1.attributions_full.matched),
            (1, 1)
        );
        let r2 = agree([(&a, &b2)]).unwrap();
        assert_eq!(
            (r2.attributions_found.matched, r2.attributions_full.matched),
            (0, 0)
        );
        let r3 = agree([(&a, &b3)]).unwrap();
        assert_eq!(
            (r3.attributions_found.matched, r3.attributions_full.matched),
            (1, 0)
        );
    }

    #[test]
    fn name_match_follows_score_py() {
        assert!(name_match("Karoline Leavitt", "Leavitt"));
        assert!(name_match("the Kremlin", "Kremlin"));
        assert!(!name_match("Karoline Leavitt", "Karoline"));
        assert!(!name_match("", ""));
    }

    #[test]
    fn different_texts_and_pairing_errors() {
        let a = set(TEXT, &[], &[]);
        let b = set("Another text.", &[], &[]);
        assert_eq!(
            agree([(&a, &b)]),
            Err(AgreeError::TextDiffers {
                document: "d".into()
            })
        );
        assert!(matches!(
            pair_by_id(vec![a.clone(), a.clone()], vec![a.clone()]),
            Err(AgreeError::DuplicateDocument { side: 'A', .. })
        ));
        let mut other = a.clone();
        other.document.id = "x".into();
        assert!(matches!(
            pair_by_id(vec![a.clone()], vec![other.clone()]),
            Err(AgreeError::NothingInCommon)
        ));
        let p = pair_by_id(vec![a.clone(), other.clone()], vec![a]).unwrap();
        assert_eq!(
            (p.pairs.len(), p.only_a.clone(), p.only_b.len()),
            (1, vec!["x".to_string()], 0)
        );
    }

    #[test]
    fn rejected_items_do_not_count_and_csv_has_every_row() {
        let mut a = set(TEXT, &[(0, 9, "PERSON")], &[]);
        a.entities[0].status = Status::Rejected;
        let r = agree([(&a, &a)]).unwrap();
        assert_eq!(r.entities_exact, Counts::default());
        let b = set(TEXT, &[(0, 9, "PERSON"), (13, 22, "ORG")], &[]);
        let csv = agree([(&b, &b)]).unwrap().to_csv();
        assert_eq!(csv.lines().count(), 1 + 2 + 4 + 2 + 1, "{csv}");
        assert!(csv.contains("entities_exact,ORG,1,1,1,1.000000,1.000000,1.000000,"));
    }
}

//! Gold corpora for training and measuring the tagger (native only: reads files).
//!
//! Reads newsmark.annotations v1 files (training data under `shared/data/`, dev gold under
//! `shared/eval/dev/`), turns them into partially labelled training sentences, and scores
//! the tagger on them exactly as `score.py` does for entities (exact span + label, the
//! file's `label_map` applied to predictions, only `scored_labels` counted).

// Index loops over tags/tokens mirror the maths (several arrays share one index).
#![allow(clippy::needless_range_loop)]

use crate::core::model::label::Label;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use crate::core::nlp::tagger::tags::{self, Class, Part, TagMask, ALL_TAGS, OUTSIDE};
use crate::core::nlp::tagger::train::{Example, Vocab};
use crate::core::nlp::tagger::{features, lexicon_bits, tokenize, Tagger};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a gold file could not be read.
#[derive(Debug)]
pub enum CorpusError {
    Io(PathBuf, std::io::Error),
    Json(PathBuf, String),
}

impl std::fmt::Display for CorpusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CorpusError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            CorpusError::Json(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for CorpusError {}

/// One gold document, offsets converted to bytes.
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub entities: Vec<(Span, String)>,
    /// Labels annotated completely (`scored_labels`, or the labels present).
    pub scored: Vec<String>,
    pub label_map: BTreeMap<String, String>,
}

impl GoldDoc {
    pub fn parse(path: &Path) -> Result<GoldDoc, CorpusError> {
        let raw = std::fs::read_to_string(path).map_err(|e| CorpusError::Io(path.into(), e))?;
        let v: Value = serde_json::from_str(&raw).map_err(|e| CorpusError::Json(path.into(), e.to_string()))?;
        let bad = |what: &str| CorpusError::Json(path.into(), format!("missing or bad {what}"));
        let text = v["document"]["text"].as_str().ok_or_else(|| bad("document.text"))?.to_string();
        let map = OffsetMap::new(&text);
        let mut entities = Vec::new();
        for e in v["entities"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            if e["status"].as_str() == Some("rejected") {
                continue;
            }
            let (Some(s), Some(t), Some(l)) = (e["start"].as_u64(), e["end"].as_u64(), e["label"].as_str()) else {
                return Err(bad("entity"));
            };
            let (Some(s), Some(t)) = (map.char_to_byte(s as usize), map.char_to_byte(t as usize)) else {
                return Err(bad("entity offsets"));
            };
            entities.push((Span::new(s, t), l.to_string()));
        }
        let mut scored: Vec<String> = match v["scored_labels"].as_array() {
            Some(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
            None => entities.iter().map(|(_, l)| l.clone()).collect(),
        };
        scored.sort();
        scored.dedup();
        let label_map = v["label_map"]
            .as_object()
            .map(|m| m.iter().filter_map(|(k, x)| Some((k.clone(), x.as_str()?.to_string()))).collect())
            .unwrap_or_default();
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(GoldDoc { id, text, entities, scored, label_map })
    }

    /// Every `*.json` file of a folder, sorted by name (deterministic order).
    pub fn read_dir(dir: &Path) -> Result<Vec<GoldDoc>, CorpusError> {
        json_files(dir)?.iter().map(|p| GoldDoc::parse(p)).collect()
    }

    fn scored_classes(&self) -> Vec<Class> {
        let mut out: Vec<Class> = self
            .scored
            .iter()
            .filter_map(|l| Label::parse(l).ok())
            .filter_map(|l| Class::of_label(&l))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The tags each token may carry. Entity tokens get their BILOU tag (or anything,
    /// when the entity does not fall on token boundaries); other tokens get O, or — for
    /// classes this corpus does not annotate — that class too (NORP only when
    /// capitalised), so the corpus never teaches "O" for what it did not label.
    pub fn masks(&self, tokens: &[Span]) -> Vec<TagMask> {
        let scored = self.scored_classes();
        let mut open: TagMask = 1 << OUTSIDE;
        let mut open_cap = open;
        for c in Class::ALL {
            if !scored.contains(&c) {
                if c != Class::Norp {
                    open |= tags::class_mask(c);
                }
                open_cap |= tags::class_mask(c);
            }
        }
        let mut masks: Vec<TagMask> = tokens
            .iter()
            .map(|s| {
                let cap = s.slice(&self.text).and_then(|w| w.chars().next()).is_some_and(char::is_uppercase);
                if cap {
                    open_cap
                } else {
                    open
                }
            })
            .collect();
        for (span, label) in &self.entities {
            let Some(class) = Label::parse(label).ok().and_then(|l| Class::of_label(&l)) else { continue };
            let covered: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].overlaps(span)).collect();
            let (Some(&a), Some(&b)) = (covered.first(), covered.last()) else { continue };
            if tokens[a].start != span.start || tokens[b].end != span.end {
                for &i in &covered {
                    masks[i] = ALL_TAGS;
                }
                continue;
            }
            for i in a..=b {
                let part = match (i == a, i == b) {
                    (true, true) => Part::Unit,
                    (true, false) => Part::Begin,
                    (false, true) => Part::Last,
                    _ => Part::Inside,
                };
                masks[i] = 1 << tags::tag(class, part);
            }
        }
        masks
    }

    /// Whether the first line is a source URL (WorldWide), which is not prose.
    fn url_first_line(&self) -> bool {
        self.text.starts_with("http://") || self.text.starts_with("https://")
    }
}

/// A document's training sentences with their raw (hashed) feature keys.
pub struct RawDoc {
    pub lines: Vec<(Vec<u32>, Vec<u32>, Vec<TagMask>)>,
}

/// Features and masks of a gold document, one entry per line.
pub fn raw_doc(doc: &GoldDoc) -> RawDoc {
    let toks = tokenize(&doc.text);
    let lines = features::lines(&doc.text, &toks);
    let feats = features::extract(&doc.text, &toks, &lines, &lexicon_bits);
    let masks = doc.masks(&toks);
    let skip_first = doc.url_first_line();
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n == 0 && skip_first {
            continue;
        }
        let mut keys = Vec::new();
        let mut offs = vec![0u32];
        for i in line.clone() {
            keys.extend_from_slice(feats.of(i));
            offs.push(keys.len() as u32);
        }
        out.push((keys, offs, masks[line.clone()].to_vec()));
    }
    RawDoc { lines: out }
}

/// Interns the features seen at least `min_count` times and builds the examples.
pub fn examples(docs: &[RawDoc], min_count: u32) -> (Vocab, Vec<Example>) {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for d in docs {
        for (keys, _, _) in &d.lines {
            for &k in keys {
                *counts.entry(k).or_insert(0) += 1;
            }
        }
    }
    let mut vocab = Vocab::default();
    let mut out = Vec::new();
    for d in docs {
        for (keys, offs, mask) in &d.lines {
            let mut feats = Vec::with_capacity(keys.len());
            let mut offsets = vec![0u32];
            for w in offs.windows(2) {
                for &k in &keys[w[0] as usize..w[1] as usize] {
                    if counts[&k] >= min_count {
                        feats.push(vocab.id(k));
                    }
                }
                offsets.push(feats.len() as u32);
            }
            out.push(Example { feats, offsets, mask: mask.clone() });
        }
    }
    (vocab, out)
}

/// The `*.json` files of a corpus folder, sorted by name so every run reads them in the
/// same order (training is deterministic, bench figures comparable). The one folder
/// reader of the training command, the bench and the model tests.
pub fn json_files(dir: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CorpusError::Io(dir.into(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Every dev set under `shared/eval/dev/`, sorted by name.
pub fn dev_dirs(shared: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let dev = shared.join("eval/dev");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dev)
        .map_err(|e| CorpusError::Io(dev.clone(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The dev sets the tagger's recorded scores cover (folders of `shared/eval/dev`).
pub const DEV_SETS: [&str; 3] = ["worldwide", "conll2003-dev", "gum-news"];

/// The tagger-only exact F1 on each dev set, as a small JSON document
/// (`{"worldwide": {"f1": …, "tp": …, "pred": …, "gold": …}, …}`), sorted keys.
pub fn scores_json(tagger: &Tagger, sets: &[(String, Vec<GoldDoc>)]) -> String {
    let mut m = serde_json::Map::new();
    for (name, docs) in sets {
        let (all, _) = score(tagger, docs);
        m.insert(
            name.clone(),
            serde_json::json!({"f1": (all.f1() * 10000.0).round() / 10000.0, "tp": all.tp, "pred": all.pred, "gold": all.gold}),
        );
    }
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(m)).expect("a JSON value always serialises");
    s.push('\n');
    s
}

/// Exact-match counts for one label.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Counts {
    pub fn f1(&self) -> f64 {
        if self.pred + self.gold == 0 {
            return 1.0;
        }
        2.0 * self.tp as f64 / (self.pred + self.gold) as f64
    }
}

/// Per-label and overall exact-match counts of the tagger alone on gold documents.
pub fn score(tagger: &Tagger, docs: &[GoldDoc]) -> (Counts, BTreeMap<String, Counts>) {
    let mut all = Counts::default();
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    for doc in docs {
        let gold: std::collections::BTreeSet<(usize, usize, String)> =
            doc.entities.iter().map(|(s, l)| (s.start, s.end, l.clone())).collect();
        let pred: std::collections::BTreeSet<(usize, usize, String)> = tagger
            .tag(&doc.text)
            .into_iter()
            .map(|p| {
                let l = p.label().as_str().to_string();
                let l = doc.label_map.get(&l).cloned().unwrap_or(l);
                (p.span.start, p.span.end, l)
            })
            .filter(|(_, _, l)| doc.scored.contains(l))
            .collect();
        for (set, field) in [(&gold, 0), (&pred, 1)] {
            for (_, _, l) in set.iter() {
                let c = per.entry(l.clone()).or_default();
                if field == 0 {
                    c.gold += 1;
                } else {
                    c.pred += 1;
                }
            }
        }
        for (_, _, l) in gold.intersection(&pred) {
            per.entry(l.clone()).or_default().tp += 1;
        }
        all.gold += gold.len();
        all.pred += pred.len();
        all.tp += gold.intersection(&pred).count();
    }
    (all, per)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, ents: &[(usize, usize, &str)], scored: &[&str]) -> GoldDoc {
        GoldDoc {
            id: "t".into(),
            text: text.into(),
            entities: ents.iter().map(|&(a, b, l)| (Span::new(a, b), l.to_string())).collect(),
            scored: scored.iter().map(|s| s.to_string()).collect(),
            label_map: BTreeMap::new(),
        }
    }

    #[test]
    fn masks_follow_the_corpus_label_set() {
        // CoNLL-like: PERSON/ORG/LOC annotated; "German" (MISC, dropped) and "Monday" are
        // not taught as O.
        let d = doc("Peter Blackburn met German officials Monday", &[(0, 15, "PERSON")], &["PERSON", "ORG", "LOC"]);
        let toks = tokenize(&d.text);
        let m = d.masks(&toks);
        assert_eq!(m[0], 1 << tags::tag(Class::Person, Part::Begin));
        assert_eq!(m[1], 1 << tags::tag(Class::Person, Part::Last));
        assert!(m[2] & (1 << OUTSIDE) != 0 && m[2] & tags::class_mask(Class::Norp) == 0, "lower case: not NORP");
        assert!(m[2] & tags::class_mask(Class::Date) != 0, "dates unlabelled here");
        assert!(m[3] & tags::class_mask(Class::Norp) != 0, "capitalised: maybe NORP");
        assert_eq!(m[3] & tags::class_mask(Class::Org), 0, "ORG is annotated: not an unlabelled ORG");
        // Fully annotated corpus: plain O.
        let d = doc("Peter met German officials", &[(10, 16, "NORP")], &["PERSON", "ORG", "LOC", "NORP", "DATE"]);
        let m = d.masks(&tokenize(&d.text));
        assert_eq!(m[0], 1 << OUTSIDE);
        assert_eq!(m[2], 1 << tags::tag(Class::Norp, Part::Unit));
        // An entity off token boundaries leaves its tokens unconstrained.
        let d = doc("Rolling Stones said", &[(0, 13, "ORG")], &["PERSON", "ORG", "LOC", "NORP", "DATE"]);
        let m = d.masks(&tokenize(&d.text));
        assert_eq!((m[0], m[1], m[2]), (ALL_TAGS, ALL_TAGS, 1 << OUTSIDE));
    }
}

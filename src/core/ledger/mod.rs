//! The source ledger: who is quoted across a whole project, from the same annotations the
//! editors review. Every attribution's source is read by [`classify`] into a member
//! (document + key), members are merged into sources (same key across documents; a lone
//! surname into the one full name of the project that ends in it), the editor's merges
//! and splits ([`edits`]) are replayed, and each source is counted: attributions,
//! articles, direct / mixed / indirect, roles, affiliations, type and gender with the
//! article's own evidence.
//!
//! Accepted attributions count by default; [`Options::include_pending`] adds pending
//! suggestions. Rejected ones never count. The same code builds the ledger in the app and
//! in `newsmark ledger`, so both export the same bytes ([`export`]); [`chart`] draws the
//! charts both show.

pub mod chart;
pub mod classify;
pub mod edits;
pub mod export;
pub mod table;

use crate::core::model::sort;
use crate::core::model::annotation::{AnnotationSet, Attribution, Kind, Status};
use crate::core::model::offsets::OffsetMap;
use classify::{atom, Atom, GenderEvidence, SourceType};
use edits::{LedgerEdits, MemberId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the ledger counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Also count suggestions nobody has reviewed yet.
    pub include_pending: bool,
}

impl Options {
    pub fn counts(&self, status: Status) -> bool {
        match status {
            Status::Accepted => true,
            Status::Suggested => self.include_pending,
            Status::Rejected => false,
        }
    }
}

/// A source's gender as the articles state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GenderState {
    Female,
    Male,
    /// The articles say both: shown with the evidence so an editor can fix a wrong link.
    Conflicting,
    /// No article says it (names are never used to guess).
    Unknown,
}

impl GenderState {
    pub const ALL: [GenderState; 4] = [GenderState::Female, GenderState::Male, GenderState::Conflicting, GenderState::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            GenderState::Female => "female",
            GenderState::Male => "male",
            GenderState::Conflicting => "conflicting",
            GenderState::Unknown => "unknown",
        }
    }
}

/// One quote of a source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub document: String,
    /// The attribution's id in its document ("a3").
    pub attribution: String,
    pub kind: Kind,
    pub status: Status,
    /// The source as written ("She", "White House spokeswoman Caroline Leavitt").
    pub source_text: String,
    pub cue: Option<String>,
    /// The content, fragments joined by " … ".
    pub content: String,
    /// Code-point offset of the content's start in its document.
    pub start: usize,
}

/// One document's share of a source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub document: String,
    pub key: String,
    pub name: String,
    pub attributions: usize,
}

/// One row of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerSource {
    /// Stable across rebuilds: what merges and splits refer to.
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SourceType,
    /// Distinct roles and affiliations stated in the spans, most frequent first.
    pub roles: Vec<String>,
    pub affiliations: Vec<String>,
    pub gender: GenderState,
    pub gender_evidence: Vec<GenderEvidence>,
    pub attributions: usize,
    pub articles: usize,
    pub direct: usize,
    pub mixed: usize,
    pub indirect: usize,
    pub members: Vec<Member>,
    pub quotes: Vec<Quote>,
}

/// Counts of sources and attributions per type or gender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub name: String,
    pub sources: usize,
    pub attributions: usize,
}

/// The project-wide figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub documents: usize,
    /// Counted attributions (with or without a source).
    pub attributions: usize,
    /// Counted attributions without a source.
    pub unsourced: usize,
    pub sources: usize,
    pub direct: usize,
    pub mixed: usize,
    pub indirect: usize,
    /// Attributions to anonymous sources / attributions with a source (0 when none).
    pub anonymous_share: f64,
    pub by_type: Vec<Tally>,
    pub by_gender: Vec<Tally>,
    /// Per document (in project order): distinct sources quoted.
    pub sources_per_article: Vec<(String, usize)>,
}

/// The whole ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub version: u32,
    pub include_pending: bool,
    pub summary: Summary,
    /// Most quoted first (then most articles, then name).
    pub sources: Vec<LedgerSource>,
    pub edits: LedgerEdits,
}

/// The ledger export's layout version.
pub const LEDGER_VERSION: u32 = 1;

fn content_text(set: &AnnotationSet, a: &Attribution) -> String {
    a.content.fragments().iter().map(|f| f.slice(set.text()).unwrap_or("").trim()).collect::<Vec<_>>().join(" … ")
}

/// Distinct strings, most frequent first (first seen on ties), compared case-insensitively.
fn ranked(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for s in items {
        let k = s.to_lowercase();
        match seen.iter_mut().find(|(key, _, _)| *key == k) {
            Some(e) => e.2 += 1,
            None => seen.push((k, s, 1)),
        }
    }
    // Stable: first seen stays first among equals.
    sort::sort_by_key(&mut seen, |e| std::cmp::Reverse(e.2));
    seen.into_iter().map(|(_, s, _)| s).collect()
}

/// One counted attribution, read.
struct Row<'a> {
    doc: usize,
    set: &'a AnnotationSet,
    a: &'a Attribution,
    atom: Atom,
}

/// Lone surnames (`person:leavitt`) → the one full name in the project ending in that word.
fn surname_merges(keys: impl Iterator<Item = String>) -> HashMap<String, String> {
    let mut full: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut single: Vec<String> = Vec::new();
    for key in keys {
        let Some(name) = key.strip_prefix("person:") else {
            if key.strip_prefix("name:").is_some_and(|n| !n.contains(' ')) {
                single.push(key);
            }
            continue;
        };
        match name.rsplit_once(' ') {
            Some((_, last)) => {
                let v = full.entry(last.to_string()).or_default();
                if !v.contains(&key) {
                    v.push(key);
                }
            }
            None => single.push(key),
        }
    }
    let mut out = HashMap::new();
    for key in single {
        let word = key.split_once(':').map_or("", |(_, n)| n);
        if let Some([only]) = full.get(word).map(Vec::as_slice) {
            out.insert(key, only.clone());
        }
    }
    out
}

/// Builds the ledger over `sets` (in project order) with the editor's `edits`.
pub fn build<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>, edits: &LedgerEdits, options: Options) -> Ledger {
    let sets: Vec<&AnnotationSet> = sets.into_iter().collect();
    let mut rows: Vec<Row> = Vec::new();
    let (mut attributions, mut unsourced) = (0, 0);
    for (doc, set) in sets.iter().enumerate() {
        let mut counted: Vec<&Attribution> = set.attributions.iter().filter(|a| options.counts(a.status)).collect();
        sort::sort_by_key(&mut counted, |a| (crate::core::edit::review::attribution_start(a), a.id));
        for a in counted {
            attributions += 1;
            match atom(set, a) {
                Some(atom) => rows.push(Row { doc, set, a, atom }),
                None => unsourced += 1,
            }
        }
    }

    // Where each member starts: its own key, or the full name its surname joins.
    let auto = surname_merges(rows.iter().map(|r| r.atom.key.clone()));
    let mut assignment: HashMap<MemberId, String> = HashMap::new();
    for r in &rows {
        let id = MemberId { document: sets[r.doc].document.id.clone(), key: r.atom.key.clone() };
        let start = auto.get(&r.atom.key).cloned().unwrap_or_else(|| r.atom.key.clone());
        assignment.entry(id).or_insert(start);
    }
    edits.assign(&mut assignment);

    // Group rows by final source, in first-quote order.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let id = MemberId { document: sets[r.doc].document.id.clone(), key: r.atom.key.clone() };
        let source = assignment.get(&id).cloned().unwrap_or_else(|| r.atom.key.clone());
        groups
            .entry(source.clone())
            .or_insert_with(|| {
                order.push(source);
                Vec::new()
            })
            .push(i);
    }
    let mut offsets: HashMap<usize, OffsetMap> = HashMap::new();
    let mut sources: Vec<LedgerSource> = order
        .into_iter()
        .map(|key| {
            let members_rows = &groups[&key];
            source_of(&key, members_rows.iter().map(|&i| &rows[i]), &sets, &mut offsets)
        })
        .collect();
    sort::sort_by(&mut sources, |a, b| {
        b.attributions.cmp(&a.attributions).then(b.articles.cmp(&a.articles)).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())).then_with(|| a.key.cmp(&b.key))
    });
    let summary = summarise(&sets, &sources, attributions, unsourced);
    Ledger { version: LEDGER_VERSION, include_pending: options.include_pending, summary, sources, edits: edits.clone() }
}

fn source_of<'a, 'r: 'a>(
    key: &str,
    rows: impl Iterator<Item = &'a Row<'r>>,
    sets: &[&AnnotationSet],
    offsets: &mut HashMap<usize, OffsetMap>,
) -> LedgerSource {
    let rows: Vec<&Row> = rows.collect();
    // Members, in first-quote order, with their attribution counts.
    let mut members: Vec<Member> = Vec::new();
    for r in &rows {
        let doc = &sets[r.doc].document.id;
        match members.iter_mut().find(|m| m.document == *doc && m.key == r.atom.key) {
            Some(m) => m.attributions += 1,
            None => members.push(Member { document: doc.clone(), key: r.atom.key.clone(), name: r.atom.name.clone(), attributions: 1 }),
        }
    }
    // The head: the atom whose key names the source (the merge target), else the one with
    // the most attributions (first on ties).
    let mut per_key: Vec<(&str, usize, &Atom)> = Vec::new();
    for r in &rows {
        match per_key.iter_mut().find(|(k, _, _)| *k == r.atom.key) {
            Some(e) => e.1 += 1,
            None => per_key.push((&r.atom.key, 1, &r.atom)),
        }
    }
    let head = per_key
        .iter()
        .find(|(k, _, _)| *k == key)
        .or_else(|| per_key.iter().fold(None, |best: Option<&(&str, usize, &Atom)>, e| if best.is_none_or(|b| e.1 > b.1) { Some(e) } else { best }))
        .map(|(_, _, a)| *a);
    let (name, kind) = head.map(|a| (a.name.clone(), a.kind)).unwrap_or_else(|| (String::new(), SourceType::Unknown));
    let mut evidence: Vec<GenderEvidence> = if kind == SourceType::Person { rows.iter().filter_map(|r| r.atom.gender.clone()).collect() } else { Vec::new() };
    evidence.dedup();
    let gender = match (evidence.iter().any(|e| e.gender == classify::Gender::Female), evidence.iter().any(|e| e.gender == classify::Gender::Male)) {
        (true, true) => GenderState::Conflicting,
        (true, false) => GenderState::Female,
        (false, true) => GenderState::Male,
        (false, false) => GenderState::Unknown,
    };
    let mut docs: Vec<usize> = rows.iter().map(|r| r.doc).collect();
    docs.dedup();
    docs.sort_unstable();
    docs.dedup();
    let count = |k: Kind| rows.iter().filter(|r| r.a.kind == k).count();
    let quotes = rows
        .iter()
        .map(|r| {
            let map = offsets.entry(r.doc).or_insert_with(|| OffsetMap::new(r.set.text()));
            Quote {
                document: r.set.document.id.clone(),
                attribution: r.a.id.to_string(),
                kind: r.a.kind,
                status: r.a.status,
                source_text: r.a.source.as_ref().and_then(|s| s.span.slice(r.set.text())).unwrap_or("").trim().to_string(),
                cue: r.a.cue.and_then(|c| c.slice(r.set.text())).map(|c| c.trim().to_string()),
                content: content_text(r.set, r.a),
                start: map.byte_to_char(r.a.content.hull().start).unwrap_or(0),
            }
        })
        .collect();
    LedgerSource {
        key: key.to_string(),
        name,
        kind,
        roles: ranked(rows.iter().filter_map(|r| r.atom.role.clone())),
        affiliations: ranked(rows.iter().filter_map(|r| r.atom.affiliation.clone())),
        gender,
        gender_evidence: evidence,
        attributions: rows.len(),
        articles: docs.len(),
        direct: count(Kind::Direct),
        mixed: count(Kind::Mixed),
        indirect: count(Kind::Indirect),
        members,
        quotes,
    }
}

fn summarise(sets: &[&AnnotationSet], sources: &[LedgerSource], attributions: usize, unsourced: usize) -> Summary {
    let sum = |f: fn(&LedgerSource) -> usize| sources.iter().map(f).sum::<usize>();
    let sourced = sum(|s| s.attributions);
    let anonymous: usize = sources.iter().filter(|s| s.kind == SourceType::Anonymous).map(|s| s.attributions).sum();
    let by_type = SourceType::ALL
        .iter()
        .map(|t| Tally {
            name: t.as_str().to_string(),
            sources: sources.iter().filter(|s| s.kind == *t).count(),
            attributions: sources.iter().filter(|s| s.kind == *t).map(|s| s.attributions).sum(),
        })
        .collect();
    // Gender is a property of people: other types are not counted here.
    let people = || sources.iter().filter(|s| s.kind == SourceType::Person);
    let by_gender = GenderState::ALL
        .iter()
        .map(|g| Tally {
            name: g.as_str().to_string(),
            sources: people().filter(|s| s.gender == *g).count(),
            attributions: people().filter(|s| s.gender == *g).map(|s| s.attributions).sum(),
        })
        .collect();
    let mut per_doc: HashMap<&str, usize> = HashMap::new();
    for s in sources {
        let mut docs: Vec<&str> = s.quotes.iter().map(|q| q.document.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        for d in docs {
            *per_doc.entry(d).or_default() += 1;
        }
    }
    Summary {
        documents: sets.len(),
        attributions,
        unsourced,
        sources: sources.len(),
        direct: sum(|s| s.direct),
        mixed: sum(|s| s.mixed),
        indirect: sum(|s| s.indirect),
        anonymous_share: if sourced == 0 { 0.0 } else { (anonymous as f64 / sourced as f64 * 10_000.0).round() / 10_000.0 },
        by_type,
        by_gender,
        sources_per_article: sets.iter().map(|s| (s.document.id.clone(), per_doc.get(s.document.id.as_str()).copied().unwrap_or(0))).collect(),
    }
}

impl Ledger {
    pub fn source(&self, key: &str) -> Option<&LedgerSource> {
        self.sources.iter().find(|s| s.key == key)
    }
}

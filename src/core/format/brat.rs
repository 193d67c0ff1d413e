//! brat standoff (<https://brat.nlplab.org/standoff.html>): a `.txt` with the text and an
//! `.ann` with one annotation per line, offsets in code points.
//!
//! - entities: `T3<TAB>PERSON 0 16<TAB>Caroline Leavitt`;
//! - attributions: `Source`, `Cue` and `Content` T lines plus an `Attribution` trigger
//!   (over the cue, or the content when there is none) joined by an event
//!   `E1<TAB>Attribution:T7 Source:T4 Cue:T5 Content:T6`; the source's entity is a
//!   `RefersTo` relation;
//! - discontinuous spans as `s e;s e`. brat forbids line breaks inside a fragment, so
//!   spans are split there on export and joined again on import (a gap made only of line
//!   breaks is never a real gap);
//! - `Status`, `Origin` and `Kind` as A lines; ids, confidence, canonical names and group
//!   numbers as JSON in `AnnotatorNotes`, which brat shows and other tools ignore.

use crate::core::model::sort;
use crate::core::model::annotation::{
    AnnotationSet, Attribution, AttributionId, Boilerplate, Document, Entity, EntityId, Kind, Origin, RegionId,
    Source, Status,
};
use crate::core::format::common::*;
use crate::core::model::label::LabelSchema;
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::{Extent, Span};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// The T-line types newsmark reserves (entity labels with these names cannot be told apart).
pub const RESERVED: [&str; 5] = ["Source", "Cue", "Content", "Attribution", "Boilerplate"];

/// A document as brat files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    pub txt: String,
    pub ann: String,
    /// Spans made only of line breaks, which brat cannot hold (not written).
    pub dropped: usize,
}

struct Out<'a> {
    text: &'a str,
    map: OffsetMap,
    ann: String,
    t: usize,
    a: usize,
    notes: usize,
    dropped: usize,
}

impl Out<'_> {
    /// Writes a T line over the fragments (split at line breaks); `None` when nothing is left.
    fn t_line(&mut self, ty: &str, frags: &[Span]) -> Option<usize> {
        let pieces: Vec<Span> = frags.iter().flat_map(|f| split_at_line_breaks(self.text, *f)).collect();
        if pieces.is_empty() {
            self.dropped += 1;
            return None;
        }
        self.t += 1;
        let offs: Vec<String> = pieces
            .iter()
            .map(|p| {
                let (a, b) = to_cp(&self.map, *p);
                format!("{a} {b}")
            })
            .collect();
        let texts: Vec<&str> = pieces.iter().map(|p| p.slice(self.text).unwrap_or("")).collect();
        let _ = writeln!(self.ann, "T{}\t{ty} {}\t{}", self.t, offs.join(";"), texts.join(" "));
        Some(self.t)
    }

    fn attr(&mut self, name: &str, target: &str, value: &str) {
        self.a += 1;
        let _ = writeln!(self.ann, "A{}\t{name} {target} {value}", self.a);
    }

    fn note(&mut self, target: &str, v: Value) {
        self.notes += 1;
        let _ = writeln!(self.ann, "#{}\tAnnotatorNotes {target}\t{v}", self.notes);
    }
}

/// Exports one document.
pub fn export(set: &AnnotationSet) -> Files {
    let text: &str = &set.document.text;
    let mut o = Out { text, map: OffsetMap::new(text), ann: String::new(), t: 0, a: 0, notes: 0, dropped: 0 };
    let mut t_of_entity: HashMap<EntityId, usize> = HashMap::new();
    for e in set.entities_in_order() {
        let Some(t) = o.t_line(e.label.as_str(), &[e.span]) else { continue };
        t_of_entity.insert(e.id, t);
        let tid = format!("T{t}");
        o.attr("Status", &tid, e.status.as_str());
        o.attr("Origin", &tid, e.origin.as_str());
        let mut n = Map::new();
        n.insert("id".into(), json!(e.id.to_string()));
        n.insert("confidence".into(), json!(round_conf(e.confidence)));
        if let Some(c) = &e.canonical {
            n.insert("canonical".into(), json!(c));
        }
        if let Some(g) = e.group {
            n.insert("group".into(), json!(g));
        }
        o.note(&tid, Value::Object(n));
    }
    let mut r = 0;
    for (k, a) in set.attributions.iter().enumerate() {
        let Some(content) = o.t_line("Content", a.content.fragments()) else { continue };
        let source = a.source.as_ref().and_then(|s| o.t_line("Source", &[s.span]));
        let cue = a.cue.and_then(|c| o.t_line("Cue", &[c]));
        let trigger_frags = a.cue.map_or_else(|| a.content.fragments().to_vec(), |c| vec![c]);
        let Some(trigger) = o.t_line("Attribution", &trigger_frags) else { continue };
        let e = k + 1;
        let mut args = format!("E{e}\tAttribution:T{trigger}");
        if let Some(s) = source {
            let _ = write!(args, " Source:T{s}");
        }
        if let Some(c) = cue {
            let _ = write!(args, " Cue:T{c}");
        }
        let _ = writeln!(args, " Content:T{content}");
        o.ann.push_str(&args);
        let eid = format!("E{e}");
        o.attr("Kind", &eid, a.kind.as_str());
        o.attr("Status", &eid, a.status.as_str());
        o.attr("Origin", &eid, a.origin.as_str());
        let mut n = Map::new();
        n.insert("id".into(), json!(a.id.to_string()));
        n.insert("confidence".into(), json!(round_conf(a.confidence)));
        if let Some(t) = a.source.as_ref().and_then(|s| s.entity_text.as_ref()) {
            n.insert("entity_text".into(), json!(t));
        }
        o.note(&eid, Value::Object(n));
        if let (Some(s), Some(ent)) = (source, a.source.as_ref().and_then(|s| s.entity)) {
            if let Some(et) = t_of_entity.get(&ent) {
                r += 1;
                let _ = writeln!(o.ann, "R{r}\tRefersTo Arg1:T{s} Arg2:T{et}");
            }
        }
    }
    for b in &set.boilerplate {
        let Some(t) = o.t_line("Boilerplate", &[b.span]) else { continue };
        o.attr("Origin", &format!("T{t}"), b.origin.as_str());
        o.note(&format!("T{t}"), json!({"id": b.id.to_string()}));
    }
    Files { txt: text.to_string(), ann: o.ann, dropped: o.dropped }
}

/// An `annotation.conf` for brat's server, declaring the schema's labels and our types.
pub fn annotation_conf(schema: &LabelSchema) -> String {
    let mut s = String::from("# newsmark: entity labels, attribution roles and review attributes\n[entities]\n");
    for d in &schema.labels {
        let _ = writeln!(s, "{}", d.label);
    }
    s.push_str("Source\nCue\nContent\nBoilerplate\n\n[relations]\nRefersTo\tArg1:Source, Arg2:<ENTITY>\n");
    s.push_str("<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n\n[events]\n");
    s.push_str("Attribution\tSource?:Source, Cue?:Cue, Content:Content\n\n[attributes]\n");
    s.push_str("Status\tArg:<ANY>, Value:suggested|accepted|rejected\n");
    s.push_str("Origin\tArg:<ANY>, Value:auto|human|curated\n");
    s.push_str("Kind\tArg:Attribution, Value:direct|indirect|mixed\n");
    s
}

// ---------------------------------------------------------------- import

/// An E line: id, line number, (role, T id) arguments.
type Event = (String, usize, Vec<(String, String)>);

struct TLine {
    ty: String,
    frags: Vec<Span>,
    line: usize,
}

fn bad(line: usize, reason: impl Into<String>) -> FormatError {
    FormatError::BadLine { line, reason: reason.into() }
}

fn parse_t(text: &str, map: &OffsetMap, line: usize, rest: &str) -> Result<TLine, FormatError> {
    let (head, quoted) = rest.split_once('\t').ok_or_else(|| bad(line, "a T line needs TYPE START END<TAB>TEXT"))?;
    let (ty, offs) = head.split_once(' ').ok_or_else(|| bad(line, "a T line needs offsets after its type"))?;
    let mut frags = Vec::new();
    for part in offs.split(';') {
        let mut it = part.split_whitespace();
        let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
            return Err(bad(line, format!("bad offsets {part:?}: expected \"START END\"")));
        };
        let (a, b) = (a.parse::<u64>(), b.parse::<u64>());
        let (Ok(a), Ok(b)) = (a, b) else {
            return Err(bad(line, format!("bad offsets {part:?}: not numbers")));
        };
        frags.push(span_from_cp(map, a, b, &format!("line {line}"))?);
    }
    let joined: Vec<&str> = frags.iter().map(|f| f.slice(text).unwrap_or("")).collect();
    let joined = joined.join(" ");
    if joined != quoted {
        return Err(FormatError::TextMismatch { item: format!("line {line}"), expected: joined, found: quoted.into() });
    }
    let frags = join_across_line_breaks(text, &frags);
    Ok(TLine { ty: ty.to_string(), frags, line })
}

/// Reads a `.txt` + `.ann` pair. The text is taken as is (brat's offsets index it).
pub fn import(id: &str, txt: &str, ann: &str) -> Result<AnnotationSet, FormatError> {
    let map = OffsetMap::new(txt);
    let mut set = AnnotationSet::new(Document::new(id, None, txt));
    let mut ts: BTreeMap<String, TLine> = BTreeMap::new();
    let mut events: Vec<Event> = Vec::new();
    let mut attrs: HashMap<String, HashMap<String, (String, usize)>> = HashMap::new();
    let mut notes: HashMap<String, Map<String, Value>> = HashMap::new();
    let mut refers: HashMap<String, String> = HashMap::new();
    for (i, raw) in ann.split('\n').enumerate() {
        let line = i + 1;
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        if l.trim().is_empty() {
            continue;
        }
        let (id, rest) = l.split_once('\t').ok_or_else(|| bad(line, "expected ID<TAB>…"))?;
        match id.chars().next() {
            Some('T') => {
                let t = parse_t(txt, &map, line, rest)?;
                if ts.insert(id.to_string(), t).is_some() {
                    return Err(bad(line, format!("{id} is defined twice")));
                }
            }
            Some('E') => {
                let mut args = Vec::new();
                for a in rest.split_whitespace() {
                    let (role, t) = a.split_once(':').ok_or_else(|| bad(line, format!("bad event argument {a:?}")))?;
                    args.push((role.trim_end_matches(|c: char| c.is_ascii_digit()).to_string(), t.to_string()));
                }
                events.push((id.to_string(), line, args));
            }
            Some('A') | Some('M') => {
                let mut it = rest.split_whitespace();
                let (Some(name), Some(target)) = (it.next(), it.next()) else {
                    return Err(bad(line, "an attribute needs NAME TARGET [VALUE]"));
                };
                let value = it.next().unwrap_or("true").to_string();
                attrs.entry(target.to_string()).or_default().insert(name.to_string(), (value, line));
            }
            Some('R') => {
                let mut it = rest.split_whitespace();
                if let (Some("RefersTo"), Some(a1), Some(a2)) = (it.next(), it.next(), it.next()) {
                    let a1 = a1.strip_prefix("Arg1:").unwrap_or(a1);
                    let a2 = a2.strip_prefix("Arg2:").unwrap_or(a2);
                    refers.insert(a1.to_string(), a2.to_string());
                }
            }
            Some('#') => {
                let mut it = rest.splitn(2, '\t');
                let head = it.next().unwrap_or("");
                let note = it.next().unwrap_or("");
                if let Some(target) = head.strip_prefix("AnnotatorNotes ") {
                    if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(note) {
                        notes.insert(target.trim().to_string(), m);
                    }
                }
            }
            // Normalisations and equivalences: nothing of ours; other tools' extras.
            Some('N') | Some('*') => {}
            _ => return Err(bad(line, format!("unknown annotation id {id:?}"))),
        }
    }

    let attr = |target: &str, name: &str| attrs.get(target).and_then(|m| m.get(name));
    fn value<T>(v: Option<&(String, usize)>, field: &'static str, default: T, parse: fn(&str) -> Option<T>) -> Result<T, FormatError> {
        match v {
            None => Ok(default),
            Some((s, line)) => parse(s).ok_or_else(|| FormatError::BadValue {
                item: format!("line {line}"),
                field,
                value: format!("{s:?}"),
            }),
        }
    }
    let note_id = |target: &str, prefix: &str| notes.get(target).and_then(|n| n.get("id")).and_then(Value::as_str).and_then(|i| id_number(i, prefix));
    let note_conf = |target: &str| -> Result<f32, FormatError> {
        notes.get(target).map_or(Ok(1.0), |n| confidence(n, "confidence", &format!("note on {target}"), 1.0))
    };

    let mut wanted = Vec::new();
    for (tid, t) in &ts {
        wanted.push(if t.ty == "Boilerplate" { note_id(tid, "b") } else { note_id(tid, "e") });
    }
    for (eid, _, _) in &events {
        wanted.push(note_id(eid, "a"));
    }
    let mut ids = Ids::new(&mut set, wanted);

    // Which T lines events use; the rest are entities or boilerplate.
    let mut used: HashMap<&str, &str> = HashMap::new();
    for (eid, _, args) in &events {
        for (_, t) in args {
            used.insert(t.as_str(), eid.as_str());
        }
    }
    let mut entity_of_t: HashMap<String, EntityId> = HashMap::new();
    // Sorted by T number so ids are handed out in file order.
    let mut order: Vec<&String> = ts.keys().collect();
    sort::sort_by_key(&mut order, |k| k[1..].parse::<u64>().unwrap_or(u64::MAX));
    for tid in order {
        let t = &ts[tid];
        let item = format!("line {}", t.line);
        if used.contains_key(tid.as_str()) {
            continue;
        }
        if RESERVED[..4].contains(&t.ty.as_str()) {
            return Err(FormatError::Dangling { item, id: format!("{tid} ({} without an Attribution event)", t.ty) });
        }
        let origin = value(attr(tid, "Origin"), "Origin", Origin::Human, Origin::parse)?;
        if t.ty == "Boilerplate" {
            let id = RegionId(ids.assign(&mut set, note_id(tid, "b")));
            let span = Span::new(t.frags[0].start, t.frags[t.frags.len() - 1].end);
            set.boilerplate.push(Boilerplate { id, span, origin });
            continue;
        }
        if t.frags.len() > 1 {
            return Err(FormatError::BadFragments { item, reason: "entities cannot be discontinuous".into() });
        }
        let label = ensure_label(&mut set, &t.ty, &item)?;
        let id = EntityId(ids.assign(&mut set, note_id(tid, "e")));
        let note = notes.get(tid.as_str());
        set.entities.push(Entity {
            id,
            label,
            span: t.frags[0],
            origin,
            status: value(attr(tid, "Status"), "Status", Status::Accepted, parse_status)?,
            confidence: note_conf(tid)?,
            canonical: note.and_then(|n| n.get("canonical")).and_then(Value::as_str).map(str::to_string),
            group: note.and_then(|n| n.get("group")).and_then(Value::as_u64).and_then(|g| u32::try_from(g).ok()),
        });
        entity_of_t.insert(tid.clone(), id);
    }

    for (eid, line, args) in &events {
        let item = format!("line {line}");
        let get = |role: &str| -> Result<Option<&TLine>, FormatError> {
            match args.iter().find(|(r, _)| r == role) {
                None => Ok(None),
                Some((_, t)) => ts.get(t).map(Some).ok_or_else(|| FormatError::Dangling { item: item.clone(), id: t.clone() }),
            }
        };
        let content_t = get("Content")?.ok_or(FormatError::Missing { item: item.clone(), field: "Content" })?;
        let content = Extent::from_fragments(content_t.frags.clone())
            .map_err(|e| FormatError::BadFragments { item: item.clone(), reason: e.to_string() })?;
        let hull = |t: &TLine| Span::new(t.frags[0].start, t.frags[t.frags.len() - 1].end);
        let source_tid = args.iter().find(|(r, _)| r == "Source").map(|(_, t)| t.as_str());
        let source = get("Source")?.map(|t| Source {
            span: hull(t),
            entity: source_tid.and_then(|s| refers.get(s)).and_then(|e| entity_of_t.get(e)).copied(),
            entity_text: notes.get(eid.as_str()).and_then(|n| n.get("entity_text")).and_then(Value::as_str).map(str::to_string),
        });
        let cue = get("Cue")?.map(hull);
        let id = AttributionId(ids.assign(&mut set, note_id(eid, "a")));
        set.attributions.push(Attribution {
            id,
            kind: value(attr(eid, "Kind"), "Kind", Kind::Indirect, parse_kind)?,
            source,
            cue,
            content,
            origin: value(attr(eid, "Origin"), "Origin", Origin::Human, Origin::parse)?,
            status: value(attr(eid, "Status"), "Status", Status::Accepted, parse_status)?,
            confidence: note_conf(eid)?,
        });
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::common::testing::*;
    use proptest::prelude::*;

    type Check = fn(&FormatError) -> bool;

    #[test]
    fn export_lines() {
        let f = export(&sample());
        let lines: Vec<&str> = f.ann.lines().collect();
        assert_eq!(lines[0], "T1\tPERSON 0 16\tCaroline Leavitt");
        assert!(lines.contains(&"A1\tStatus T1 suggested"));
        // The content "“we are\nready,”" + "“to talk.”": the line break splits a fragment.
        let content = lines.iter().find(|l| l.contains("\tContent ")).unwrap();
        assert_eq!(*content, "T2\tContent 24 31;32 39;50 60\t“we are ready,” “to talk.”");
        assert!(lines.iter().any(|l| l.starts_with("E1\tAttribution:T5 Source:T3 Cue:T4 Content:T2")));
        assert!(lines.contains(&"R1\tRefersTo Arg1:T3 Arg2:T1"));
        assert!(lines.contains(&"A3\tKind E1 direct"));
        assert!(annotation_conf(&sample().schema).contains("Attribution\tSource?:Source"));
    }

    #[test]
    fn round_trip_sample() {
        let set = sample();
        let f = export(&set);
        let back = import("sample", &f.txt, &f.ann).unwrap();
        assert_eq!(canon(&back), canon(&set));
        assert_eq!(back.entities, set.entities);
        assert_eq!(back.attributions, set.attributions);
        assert_eq!(back.boilerplate, set.boilerplate);
    }

    #[test]
    fn typed_errors() {
        let txt = "Hello world";
        let cases: [(&str, Check); 7] = [
            ("T1 PERSON 0 5 Hello", |e| matches!(e, FormatError::BadLine { line: 1, .. })),
            ("T1\tPERSON 0 5\tHellx", |e| matches!(e, FormatError::TextMismatch { .. })),
            ("T1\tPERSON 0 50\tHello", |e| matches!(e, FormatError::OutOfRange { .. })),
            ("T1\tPERSON 0 x\tHello", |e| matches!(e, FormatError::BadLine { .. })),
            ("\nE1\tAttribution:T9 Content:T8", |e| matches!(e, FormatError::Dangling { .. })),
            ("T1\tPERSON 0 5\tHello\nA1\tStatus T1 maybe", |e| matches!(e, FormatError::BadValue { .. })),
            ("T1\tContent 0 5\tHello", |e| matches!(e, FormatError::Dangling { .. })),
        ];
        for (ann, check) in cases {
            let err = import("d", txt, ann).unwrap_err();
            assert!(check(&err), "{ann:?}: {err:?}");
        }
    }

    #[test]
    fn foreign_brat_file() {
        // Another tool's file: no notes or attributes, CRLF line endings, a normalisation.
        let ann = "T1\tOrganization 0 5\tHello\r\nN1\tReference T1 Wikipedia:1\tHello\r\n";
        let set = import("d", "Hello world", ann).unwrap();
        assert_eq!(set.entities[0].label.as_str(), "Organization");
        assert_eq!(set.entities[0].status, Status::Accepted);
        assert!(set.schema.contains(&set.entities[0].label));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_random(text in text_strategy(), seeds in prop::collection::vec(any::<u32>(), 1..40)) {
            let set = random_set(&text, &seeds, true);
            let f = export(&set);
            prop_assert_eq!(f.dropped, 0);
            let back = import("doc-1", &f.txt, &f.ann).unwrap();
            prop_assert_eq!(canon(&back), canon(&set));
        }
    }
}

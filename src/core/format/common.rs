//! What the interchange formats (W3C, brat, spaCy, CoNLL, doccano, Label Studio, bundle)
//! share: one typed import error, code-point span conversion, value parsing, a tokenizer
//! that respects annotation boundaries, and the result of an import that may not place
//! everything.
//!
//! The v1 JSON format keeps its own error type (`json::ImportError`); bundles wrap it.

pub use crate::core::model::annotation::MAX_KEPT_ID;
use crate::core::model::sort;
use crate::core::model::annotation::{AnnotationSet, Attribution, EntityId, Kind, Origin, Source, Status};
use crate::core::model::limits::{Limit, LimitError};
use crate::core::format::json;
use crate::core::model::label::{Label, LabelDef};
use crate::core::model::offsets::OffsetMap;
use crate::core::model::span::Span;
use serde_json::{Map, Value};
use std::fmt;

/// Why a file in one of the interchange formats could not be imported. Line numbers are
/// 1-based; `item` names the thing in the file (`span 3`, `T4`, `task 2 result r7`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    Empty,
    NotJson { line: usize, column: usize, message: String },
    /// One line of a line-based file (JSONL, `.ann`, CoNLL) is wrong.
    BadLine { line: usize, reason: String },
    Missing { item: String, field: &'static str },
    WrongType { item: String, field: &'static str, expected: &'static str },
    OutOfRange { item: String, start: u64, end: u64, len: usize },
    Reversed { item: String, start: u64, end: u64 },
    TextMismatch { item: String, expected: String, found: String },
    BadLabel { item: String, label: String },
    BadValue { item: String, field: &'static str, value: String },
    BadFragments { item: String, reason: String },
    /// A reference to an id the file does not define.
    Dangling { item: String, id: String },
    /// The zip container itself is unreadable.
    Archive { reason: String },
    /// A file inside a bundle failed; `error` says how.
    InBundle { file: String, error: Box<BundleFileError> },
    /// Over a size limit ([`crate::core::model::limits`]); nothing was loaded.
    TooLarge(LimitError),
}

/// The error of one file inside a project bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BundleFileError {
    Json(json::ImportError),
    Format(FormatError),
}

impl fmt::Display for BundleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleFileError::Json(e) => write!(f, "{e}"),
            BundleFileError::Format(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FormatError::*;
        match self {
            Empty => write!(f, "the file is empty"),
            NotJson { line, column, message } => write!(f, "not valid JSON at line {line}, column {column}: {message}"),
            BadLine { line, reason } => write!(f, "line {line}: {reason}"),
            Missing { item, field } => write!(f, "{item}: missing field \"{field}\""),
            WrongType { item, field, expected } => write!(f, "{item}: \"{field}\" must be {expected}"),
            OutOfRange { item, start, end, len } => {
                write!(f, "{item}: offsets {start}..{end} are outside the text ({len} characters)")
            }
            Reversed { item, start, end } => write!(f, "{item}: offsets {start}..{end} are reversed"),
            TextMismatch { item, expected, found } => {
                write!(f, "{item}: the file says {found:?} but the text has {expected:?} at those offsets")
            }
            BadLabel { item, label } => write!(f, "{item}: {label:?} is not a usable label name"),
            BadValue { item, field, value } => write!(f, "{item}: \"{field}\" has an unknown value {value}"),
            BadFragments { item, reason } => write!(f, "{item}: bad fragments: {reason}"),
            Dangling { item, id } => write!(f, "{item}: refers to {id:?}, which the file does not define"),
            Archive { reason } => write!(f, "not a readable project bundle: {reason}"),
            InBundle { file, error } => write!(f, "{file}: {error}"),
            TooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FormatError {}

// ---------------------------------------------------------------- values

pub fn parse_status(s: &str) -> Option<Status> {
    match s {
        "suggested" => Some(Status::Suggested),
        "accepted" => Some(Status::Accepted),
        "rejected" => Some(Status::Rejected),
        _ => None,
    }
}

pub fn parse_kind(s: &str) -> Option<Kind> {
    match s {
        "direct" => Some(Kind::Direct),
        "indirect" => Some(Kind::Indirect),
        "mixed" => Some(Kind::Mixed),
        _ => None,
    }
}

/// Confidence rounded so exports are stable (the same rounding as the v1 JSON).
pub fn round_conf(c: f32) -> f64 {
    (c as f64 * 1000.0).round() / 1000.0
}

/// Reads an optional confidence in 0..=1.
pub fn confidence(obj: &Map<String, Value>, key: &str, item: &str, default: f32) -> Result<f32, FormatError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => match v.as_f64() {
            Some(c) if (0.0..=1.0).contains(&c) => Ok(c as f32),
            _ => Err(FormatError::WrongType { item: item.into(), field: "confidence", expected: "a number from 0 to 1" }),
        },
    }
}

/// Reads an optional string-valued enum (`status`, `origin`, `kind`), with a default.
pub fn enum_value<T>(
    obj: &Map<String, Value>,
    key: &str,
    item: &str,
    field: &'static str,
    default: T,
    parse: fn(&str) -> Option<T>,
) -> Result<T, FormatError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => {
            parse(s).ok_or_else(|| FormatError::BadValue { item: item.into(), field, value: format!("{s:?}") })
        }
        Some(_) => Err(FormatError::WrongType { item: item.into(), field, expected: "a string" }),
    }
}

/// The label called `name`, added to the set's schema when it is a valid name the schema
/// lacks (files from other tools bring their own labels).
pub fn ensure_label(set: &mut AnnotationSet, name: &str, item: &str) -> Result<Label, FormatError> {
    let label = Label::parse(name).map_err(|_| FormatError::BadLabel { item: item.into(), label: name.into() })?;
    if !set.schema.contains(&label) {
        set.schema.labels.push(LabelDef { label: label.clone(), colour: "#dddddd".into(), key: None });
    }
    Ok(label)
}

/// Parses a whole file as JSON, with typed errors.
pub fn parse_json(input: &str) -> Result<Value, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    Limit::FileBytes.check(input.len()).map_err(FormatError::TooLarge)?;
    if input.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    serde_json::from_str(input).map_err(|e| FormatError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or("").to_string(),
    })
}

/// The non-blank lines of a JSONL file with their 1-based numbers, each parsed; a line
/// over [`MAX_JSONL_LINE_BYTES`](crate::core::model::limits::MAX_JSONL_LINE_BYTES) is
/// refused unparsed.
pub fn jsonl_lines(input: &str) -> impl Iterator<Item = (usize, Result<Value, FormatError>)> + '_ {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    input.split('\n').enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| {
        if let Err(e) = Limit::JsonlLineBytes.check(l.len()) {
            return (i + 1, Err(FormatError::BadLine { line: i + 1, reason: e.to_string() }));
        }
        let v = serde_json::from_str::<Value>(l.trim_end_matches('\r')).map_err(|e| FormatError::BadLine {
            line: i + 1,
            reason: format!("not valid JSON: {}", e.to_string().split(" at line").next().unwrap_or("")),
        });
        (i + 1, v)
    })
}

/// Every document of a JSONL file, each line read by `one` (given the line's number); the
/// first bad line fails the import, naming its number.
pub fn import_jsonl(
    input: &str,
    one: impl Fn(&Value, usize) -> Result<AnnotationSet, FormatError>,
) -> Result<Vec<AnnotationSet>, FormatError> {
    jsonl_lines(input).map(|(line, v)| v.and_then(|v| one(&v, line))).collect()
}

/// One document as one JSONL line, with its newline.
pub fn jsonl_line(v: &Value) -> String {
    let mut s = v.to_string();
    s.push('\n');
    s
}

pub fn get_obj<'v>(v: &'v Value, item: &str, field: &'static str) -> Result<&'v Map<String, Value>, FormatError> {
    v.as_object().ok_or_else(|| FormatError::WrongType { item: item.into(), field, expected: "an object" })
}

pub fn req<'v>(obj: &'v Map<String, Value>, item: &str, field: &'static str) -> Result<&'v Value, FormatError> {
    obj.get(field).ok_or_else(|| FormatError::Missing { item: item.into(), field })
}

pub fn req_str<'v>(obj: &'v Map<String, Value>, item: &str, field: &'static str) -> Result<&'v str, FormatError> {
    req(obj, item, field)?.as_str().ok_or_else(|| FormatError::WrongType { item: item.into(), field, expected: "a string" })
}

pub fn opt_str<'v>(obj: &'v Map<String, Value>, item: &str, field: &'static str) -> Result<Option<&'v str>, FormatError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(FormatError::WrongType { item: item.into(), field, expected: "a string" }),
    }
}

pub fn req_u64(obj: &Map<String, Value>, item: &str, field: &'static str) -> Result<u64, FormatError> {
    req(obj, item, field)?.as_u64().ok_or_else(|| FormatError::WrongType {
        item: item.into(),
        field,
        expected: "a non-negative integer",
    })
}

pub fn opt_array<'v>(obj: &'v Map<String, Value>, item: &str, field: &'static str) -> Result<&'v [Value], FormatError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(FormatError::WrongType { item: item.into(), field, expected: "an array" }),
    }
}

// ---------------------------------------------------------------- file names

/// A file name (no extension) for a document id: letters, digits, `-`, `_` and `.` kept
/// (ASCII ones only with `ascii_only`, for zip entry names every unzip tool reads), anything
/// else `_`; never empty, `.`, `..` or hidden, at most 100 characters — so whatever an id
/// says, the file stays inside its folder.
pub fn safe_stem(id: &str, ascii_only: bool) -> String {
    let keep = |c: char| if ascii_only { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
    let mut s: String = id.chars().map(|c| if keep(c) || matches!(c, '-' | '_' | '.') { c } else { '_' }).take(100).collect();
    if s.is_empty() || s.starts_with('.') {
        s.insert(0, 'd');
    }
    s
}

// ---------------------------------------------------------------- ids

/// Keeps a file's ids when they look like ours (`e12`, `T12` …: a number), so an export
/// re-imports to the same ids; the others, and repeats, get fresh numbers after them.
pub struct Ids {
    used: std::collections::HashSet<u32>,
}

impl Ids {
    /// Reserves every wanted number in `set` before any is handed out.
    pub fn new(set: &mut AnnotationSet, wanted: impl IntoIterator<Item = Option<u32>>) -> Ids {
        let max = wanted.into_iter().flatten().max().unwrap_or(0);
        set.reserve_ids_through(max);
        Ids { used: std::collections::HashSet::new() }
    }

    pub fn assign(&mut self, set: &mut AnnotationSet, wanted: Option<u32>) -> u32 {
        match wanted.filter(|n| (1..=MAX_KEPT_ID).contains(n) && self.used.insert(*n)) {
            Some(n) => n,
            None => loop {
                // Fresh numbers lie above every kept one, so this takes one turn.
                let n = set.fresh_id();
                if self.used.insert(n) {
                    break n;
                }
            },
        }
    }
}

/// The number of an id like `e12` with the given prefix; `None` (a fresh number will be
/// given) beyond [`MAX_KEPT_ID`].
pub fn id_number(id: &str, prefix: &str) -> Option<u32> {
    id.strip_prefix(prefix).and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=MAX_KEPT_ID).contains(n))
}

// ---------------------------------------------------------------- attribution roles

/// Role labels used by the span-list formats (doccano, Label Studio, spaCy).
pub const ROLE_LABELS: [&str; 3] = ["SOURCE", "CUE", "CONTENT"];

/// A role span read from a span-list file, before it is grouped into an attribution.
pub struct RoleSpan {
    /// `SOURCE`, `CUE` or `CONTENT`.
    pub role: String,
    pub span: Span,
    /// The file's id of this span (relations name it).
    pub node: String,
    /// The attribution id the file gives it, if any.
    pub key: Option<String>,
    /// Review state and links: `kind`, `status`, `origin`, `confidence` (content),
    /// `entity`, `entity_text` (source).
    pub extra: Map<String, Value>,
    pub item: String,
}

/// Groups role spans into attributions and adds them to `set`: by the attribution id on
/// each span when there is one, else through `head_of` (a relation from a content span
/// to each other role of its attribution). `entity_ids` maps the file's entity ids; `at`
/// names the line or task in errors.
pub fn add_attributions(
    at: &str,
    set: &mut AnnotationSet,
    ids: &mut Ids,
    roles: Vec<RoleSpan>,
    head_of: &std::collections::HashMap<String, String>,
    entity_ids: &std::collections::HashMap<String, crate::core::model::annotation::EntityId>,
    default_origin: Origin,
    default_status: Status,
) -> Result<(), FormatError> {
    use crate::core::model::annotation::{Attribution, AttributionId, Source};
    let mut groups: std::collections::BTreeMap<String, Vec<RoleSpan>> = Default::default();
    for r in roles {
        let key = match &r.key {
            Some(k) => k.clone(),
            None => match head_of.get(&r.node) {
                Some(h) => format!("@{h}"),
                None if r.role == "CONTENT" => format!("@{}", r.node),
                None => {
                    return Err(FormatError::Dangling { item: r.item, id: "(no attribution or relation names its content)".into() })
                }
            },
        };
        groups.entry(key).or_default().push(r);
    }
    for (key, roles) in groups {
        let item = format!("{at} attribution {key}");
        let mut content: Vec<&RoleSpan> = roles.iter().filter(|r| r.role == "CONTENT").collect();
        sort::sort_by_key(&mut content, |r| r.span.start);
        let Some(first) = content.first() else {
            return Err(FormatError::Missing { item, field: "CONTENT span" });
        };
        let extent = crate::core::model::span::Extent::from_fragments(content.iter().map(|r| r.span).collect())
            .map_err(|e| FormatError::BadFragments { item: item.clone(), reason: e.to_string() })?;
        let one = |role: &str| -> Result<Option<&RoleSpan>, FormatError> {
            let mut it = roles.iter().filter(|r| r.role == role);
            let r = it.next();
            if it.next().is_some() {
                return Err(FormatError::BadFragments { item: item.clone(), reason: format!("more than one {role} span") });
            }
            Ok(r)
        };
        let source = match one("SOURCE")? {
            None => None,
            Some(r) => {
                let entity = match opt_str(&r.extra, &r.item, "entity")? {
                    None => None,
                    Some(e) => Some(*entity_ids.get(e).ok_or_else(|| FormatError::Dangling { item: r.item.clone(), id: e.into() })?),
                };
                Some(Source { span: r.span, entity, entity_text: opt_str(&r.extra, &r.item, "entity_text")?.map(str::to_string) })
            }
        };
        let cue = one("CUE")?.map(|r| r.span);
        let o = &first.extra;
        let id = AttributionId(ids.assign(set, id_number(&key, "a")));
        set.attributions.push(Attribution {
            id,
            kind: enum_value(o, "kind", &first.item, "kind", Kind::Indirect, parse_kind)?,
            source,
            cue,
            content: extent,
            origin: enum_value(o, "origin", &first.item, "origin", default_origin, Origin::parse)?,
            status: enum_value(o, "status", &first.item, "status", default_status, parse_status)?,
            confidence: confidence(o, "confidence", &first.item, 1.0)?,
        });
    }
    sort::sort_by_key(&mut set.attributions, |a| a.id);
    Ok(())
}

// ---------------------------------------------------------------- role span records

/// The keys a `CONTENT` record of a span-list export carries (doccano, spaCy), so that
/// the import rebuilds the attribution with its kind and review state.
pub fn content_keys(a: &Attribution) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("attribution".into(), Value::from(a.id.to_string()));
    m.insert("kind".into(), Value::from(a.kind.as_str()));
    m.insert("status".into(), Value::from(a.status.as_str()));
    m.insert("origin".into(), Value::from(a.origin.as_str()));
    m.insert("confidence".into(), Value::from(round_conf(a.confidence)));
    m
}

/// The keys of a `SOURCE` record: its attribution, and the entity it resolves to when
/// `linked` says that entity is in the export too (a link to a dropped entity would
/// dangle on import).
pub fn source_keys(a: &Attribution, s: &Source, linked: impl Fn(EntityId) -> bool) -> Map<String, Value> {
    let mut m = cue_keys(a);
    if let Some(e) = s.entity.filter(|e| linked(*e)) {
        m.insert("entity".into(), Value::from(e.to_string()));
    }
    if let Some(t) = &s.entity_text {
        m.insert("entity_text".into(), Value::from(t.as_str()));
    }
    m
}

/// The keys of a `CUE` record: only its attribution.
pub fn cue_keys(a: &Attribution) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("attribution".into(), Value::from(a.id.to_string()));
    m
}

// ---------------------------------------------------------------- offsets

/// A span in code points (the unit of every export).
pub fn to_cp(map: &OffsetMap, s: Span) -> (usize, usize) {
    (map.byte_to_char(s.start).unwrap_or(0), map.byte_to_char(s.end).unwrap_or(0))
}

/// A code-point range from a file, checked and turned into a byte span. Empty spans are
/// refused: no format here means anything by them.
pub fn span_from_cp(map: &OffsetMap, start: u64, end: u64, item: &str) -> Result<Span, FormatError> {
    if start > end {
        return Err(FormatError::Reversed { item: item.into(), start, end });
    }
    let out = || FormatError::OutOfRange { item: item.into(), start, end, len: map.char_len() };
    let b0 = usize::try_from(start).ok().and_then(|s| map.char_to_byte(s)).ok_or_else(out)?;
    let b1 = usize::try_from(end).ok().and_then(|e| map.char_to_byte(e)).ok_or_else(out)?;
    if b0 == b1 {
        return Err(FormatError::BadFragments { item: item.into(), reason: "the span is empty".into() });
    }
    Ok(Span::new(b0, b1))
}

/// Checks a file's quoted `text` against the document.
pub fn check_text(text: &str, span: Span, found: Option<&str>, item: &str) -> Result<(), FormatError> {
    let expected = span.slice(text).unwrap_or("");
    match found {
        Some(t) if t != expected => {
            Err(FormatError::TextMismatch { item: item.into(), expected: expected.into(), found: t.into() })
        }
        _ => Ok(()),
    }
}

/// Line-break characters: brat fragments and CoNLL tokens never contain them.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}')
}

/// Splits a span into its maximal runs without line breaks (empty runs dropped).
pub fn split_at_line_breaks(text: &str, span: Span) -> Vec<Span> {
    let Some(s) = span.slice(text) else { return Vec::new() };
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (is_line_break(c), start) {
            (true, Some(st)) => {
                out.push(Span::new(span.start + st, span.start + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(Span::new(span.start + st, span.end));
    }
    out
}

/// Joins fragments whose gaps hold only line breaks (undoing [`split_at_line_breaks`]).
pub fn join_across_line_breaks(text: &str, frags: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(frags.len());
    for f in frags {
        if let Some(last) = out.last_mut() {
            let gap = text.get(last.end..f.start);
            if last.end <= f.start && gap.is_some_and(|g| !g.is_empty() && g.chars().all(is_line_break)) {
                last.end = f.end;
                continue;
            }
        }
        out.push(*f);
    }
    out
}

// ---------------------------------------------------------------- tokens

/// Tokens for the token-based formats (spaCy/Prodigy, CoNLL): runs of letters/digits and
/// single other characters, never whitespace, always cut at every `cuts` byte offset so
/// each annotation starts and ends on a token boundary.
///
/// Combining marks stay with the preceding character, so a token never starts with one
/// (unless an annotation boundary puts it there).
pub fn tokenize(text: &str, cuts: &[usize]) -> Vec<Span> {
    let mut cuts: Vec<usize> = cuts.to_vec();
    cuts.sort_unstable();
    cuts.dedup();
    let mut next_cut = 0;
    let mut out = Vec::new();
    let mut cur: Option<(usize, bool)> = None; // (start, is_word)
    let mut after_zwj = false;
    for (i, c) in text.char_indices() {
        let zwj_before = std::mem::replace(&mut after_zwj, c == '\u{200d}');
        while next_cut < cuts.len() && cuts[next_cut] < i {
            next_cut += 1;
        }
        let at_cut = next_cut < cuts.len() && cuts[next_cut] == i;
        if c.is_whitespace() {
            if let Some((st, _)) = cur.take() {
                out.push(Span::new(st, i));
            }
            continue;
        }
        let word = c.is_alphanumeric() || is_mark(c);
        let joins = match cur {
            // Emoji ZWJ sequences (👩‍👩‍👧) stay one token.
            Some((_, w)) => !at_cut && ((w && word) || is_mark(c) || zwj_before),
            None => false,
        };
        if !joins {
            if let Some((st, _)) = cur.take() {
                out.push(Span::new(st, i));
            }
            cur = Some((i, word));
        }
    }
    if let Some((st, _)) = cur {
        out.push(Span::new(st, text.len()));
    }
    out
}

/// Combining marks and joiners (kept inside the token before them).
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x200C | 0x200D | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0100..=0xE01EF
        | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x3099 | 0x309A)
}

/// Index of the token containing byte `b` (first token starting at or after it).
pub fn token_at(tokens: &[Span], b: usize) -> usize {
    tokens.partition_point(|t| t.end <= b)
}

// ---------------------------------------------------------------- tests support

#[cfg(test)]
pub mod testing {
    //! Comparing sets modulo ids, and random texts/annotations for property tests.

    use crate::core::model::annotation::*;
    use crate::core::model::label::Label;
    use crate::core::model::span::{Extent, Span};
    use proptest::prelude::*;

    /// An entity as the formats see it (no id).
    pub type EntityKey = (String, Span, Origin, Status);
    /// An attribution as the formats see it: kind, source (span, linked entity's span),
    /// cue, content fragments, origin, status.
    pub type AttrKey = (Kind, Option<(Span, Option<Span>)>, Option<Span>, Vec<Span>, Origin, Status);

    /// What the span-list formats hand over (doccano, Label Studio): everything but
    /// rejected suggestions, and no source link to a rejected entity.
    pub fn without_rejected(set: &AnnotationSet) -> AnnotationSet {
        let mut s = set.clone();
        s.entities.retain(|e| e.status != Status::Rejected);
        s.attributions.retain(|a| a.status != Status::Rejected);
        let kept: Vec<EntityId> = s.entities.iter().map(|e| e.id).collect();
        for a in &mut s.attributions {
            if let Some(src) = &mut a.source {
                src.entity = src.entity.filter(|e| kept.contains(e));
            }
        }
        s
    }

    /// A set's content without ids, sorted: what a round trip must keep.
    pub fn canon(set: &AnnotationSet) -> (Vec<EntityKey>, Vec<AttrKey>, Vec<Span>) {
        let mut es: Vec<EntityKey> =
            set.entities.iter().map(|e| (e.label.to_string(), e.span, e.origin, e.status)).collect();
        es.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        let mut atts: Vec<AttrKey> = set
            .attributions
            .iter()
            .map(|a| {
                (
                    a.kind,
                    a.source.as_ref().map(|s| (s.span, s.entity.and_then(|id| set.entity(id)).map(|e| e.span))),
                    a.cue,
                    a.content.fragments().to_vec(),
                    a.origin,
                    a.status,
                )
            })
            .collect();
        atts.sort_by(|a, b| (&a.3, a.2, a.1.map(|s| s.0)).cmp(&(&b.3, b.2, b.1.map(|s| s.0))));
        let mut bs: Vec<Span> = set.boilerplate.iter().map(|b| b.span).collect();
        bs.sort();
        (es, atts, bs)
    }

    /// Texts with emoji (incl. ZWJ sequences and skin tones), combining marks, CJK, RTL,
    /// CRLF, tabs and curly quotes.
    pub fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Caroline", "Leavitt", "said", "“yes”", " ", " ", ", ", ". ", "\r\n", "\n", "\t", "😀", "👩‍👩‍👧",
            "👍🏽", "e\u{301}", "n\u{303}o", "中国", "北京市", "שלום", "مرحبا", "Ωμέγα", "U.S.", "\"", "'s", "—",
            "a", "Z9", "ﬁ",
        ]);
        prop::collection::vec(pieces, 1..40).prop_map(|v| v.concat())
    }

    /// Candidate spans: on char boundaries, not starting or ending with whitespace.
    pub fn trimmed_spans(text: &str) -> Vec<Span> {
        let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let mut out = Vec::new();
        for (i, &a) in bounds.iter().enumerate() {
            for &b in bounds.iter().skip(i + 1).take(12) {
                let s = &text[a..b];
                if !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace) {
                    out.push(Span::new(a, b));
                }
            }
        }
        out
    }

    /// A random annotation set over `text`, built from `seeds` deterministically.
    /// `entity_overlaps`: whether entities may overlap each other.
    pub fn random_set(text: &str, seeds: &[u32], entity_overlaps: bool) -> AnnotationSet {
        let mut set = AnnotationSet::new(Document::new("doc-1", Some("T".into()), text));
        let cands = trimmed_spans(text);
        if cands.is_empty() {
            return set;
        }
        let labels = [Label::Person, Label::Org, Label::Gpe, Label::Date, Label::Role];
        let statuses = [Status::Suggested, Status::Accepted, Status::Rejected];
        let mut it = seeds.iter().copied().cycle();
        let mut next = || it.next().unwrap_or(0) as usize;
        let n_ent = next() % 6;
        for _ in 0..n_ent {
            let span = cands[next() % cands.len()];
            if !entity_overlaps && set.entities.iter().any(|e| e.span.overlaps(&span)) {
                continue;
            }
            if set.entities.iter().any(|e| e.span == span) {
                continue;
            }
            let id = EntityId(set.fresh_id());
            let auto = next() % 2 == 0;
            set.entities.push(Entity {
                id,
                label: labels[next() % labels.len()].clone(),
                span,
                origin: if auto { Origin::Auto } else { Origin::Human },
                status: statuses[next() % 3],
                confidence: if auto { (next() % 1000) as f32 / 1000.0 } else { 1.0 },
                canonical: None,
                group: None,
            });
        }
        let n_att = next() % 3;
        for _ in 0..n_att {
            let mut frags = vec![cands[next() % cands.len()]];
            if next() % 3 == 0 {
                let f2 = cands[next() % cands.len()];
                // A second fragment only when a real gap (not just a line break) separates them.
                let (a, b) = if f2.start >= frags[0].end { (frags[0], f2) } else { (f2, frags[0]) };
                let gap = text.get(a.end..b.start).unwrap_or("");
                if b.start > a.end && gap.chars().any(|c| !super::is_line_break(c)) {
                    frags = vec![a, b];
                }
            }
            let content = Extent::from_fragments(frags).unwrap();
            let source = (next() % 2 == 0).then(|| {
                let span = cands[next() % cands.len()];
                let entity = set.entities.iter().find(|e| e.span == span).map(|e| e.id);
                let entity = entity.or_else(|| (next() % 2 == 0).then(|| set.entities.first().map(|e| e.id)).flatten());
                Source { span, entity, entity_text: None }
            });
            let cue = (next() % 2 == 0).then(|| cands[next() % cands.len()]);
            let id = AttributionId(set.fresh_id());
            let auto = next() % 2 == 0;
            set.attributions.push(Attribution {
                id,
                kind: [Kind::Direct, Kind::Indirect, Kind::Mixed][next() % 3],
                source,
                cue,
                content,
                origin: if auto { Origin::Auto } else { Origin::Human },
                status: statuses[next() % 3],
                confidence: if auto { (next() % 1000) as f32 / 1000.0 } else { 1.0 },
            });
        }
        if next() % 3 == 0 {
            let id = RegionId(set.fresh_id());
            set.boilerplate.push(Boilerplate { id, span: cands[next() % cands.len()], origin: Origin::Auto });
        }
        set
    }

    /// The sample used by the table tests: a split quote, a pronoun source, emoji.
    pub fn sample() -> AnnotationSet {
        let text = "Caroline Leavitt 😀 said “we are\nready,” she said, “to talk.”\r\nJOIN US ON TELEGRAM";
        let mut set = AnnotationSet::new(Document::new("sample", Some("Sample".into()), text));
        let find = |s: &str| {
            let b = text.find(s).unwrap();
            Span::new(b, b + s.len())
        };
        let e1 = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id: e1,
            label: Label::Person,
            span: find("Caroline Leavitt"),
            origin: Origin::Auto,
            status: Status::Suggested,
            confidence: 0.875,
            canonical: Some("Caroline Leavitt".into()),
            group: Some(1),
        });
        let a = AttributionId(set.fresh_id());
        set.attributions.push(Attribution {
            id: a,
            kind: Kind::Direct,
            source: Some(Source { span: find("she"), entity: Some(e1), entity_text: None }),
            cue: Some(find("said,")).map(|s| Span::new(s.start, s.end - 1)),
            content: Extent::from_fragments(vec![find("“we are\nready,”"), find("“to talk.”")]).unwrap(),
            origin: Origin::Auto,
            status: Status::Accepted,
            confidence: 0.5,
        });
        let b = RegionId(set.fresh_id());
        set.boilerplate.push(Boilerplate { id: b, span: find("JOIN US ON TELEGRAM"), origin: Origin::Auto });
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_break_split_and_join() {
        let t = "ab\ncd\r\n\nef";
        let whole = Span::new(0, t.len());
        let parts = split_at_line_breaks(t, whole);
        let texts: Vec<&str> = parts.iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(texts, ["ab", "cd", "ef"]);
        assert_eq!(join_across_line_breaks(t, &parts), vec![whole]);
        assert!(split_at_line_breaks(t, Span::new(2, 3)).is_empty(), "a span of only a line break has no fragment");
    }

    #[test]
    fn tokenize_table() {
        let cases: [(&str, &[usize], &[&str]); 5] = [
            ("Mr. Trump's “deal”", &[], &["Mr", ".", "Trump", "'", "s", "“", "deal", "”"]),
            ("e\u{301}te\u{301} 😀👍🏽👩‍👩‍👧", &[], &["e\u{301}te\u{301}", "😀", "👍🏽", "👩‍👩‍👧"]),
            ("北京市长", &[6], &["北京", "市长"]),
            ("a\r\nb\tc", &[], &["a", "b", "c"]),
            ("abc", &[1, 2], &["a", "b", "c"]),
        ];
        for (text, cuts, want) in cases {
            let got: Vec<&str> = tokenize(text, cuts).iter().map(|s| &text[s.start..s.end]).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn span_from_cp_errors() {
        let m = OffsetMap::new("a😀b");
        assert_eq!(span_from_cp(&m, 1, 2, "x"), Ok(Span::new(1, 5)));
        assert!(matches!(span_from_cp(&m, 2, 1, "x"), Err(FormatError::Reversed { .. })));
        assert!(matches!(span_from_cp(&m, 0, 9, "x"), Err(FormatError::OutOfRange { len: 3, .. })));
        assert!(matches!(span_from_cp(&m, 1, 1, "x"), Err(FormatError::BadFragments { .. })));
    }
}

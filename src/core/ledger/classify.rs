//! What one attribution's source is, read from its annotations: the key it is counted
//! under (its "atom"), its name, its type (named person, named organisation, anonymous,
//! document), the role and affiliation its span states ("White House spokeswoman Caroline
//! Leavitt" → spokeswoman, White House) and gender evidence.
//!
//! Gender is only ever what the article says: a he/she source resolved to this person, or
//! a gendered word in the source span ("spokeswoman", "Mrs."). It is never guessed from a
//! given name. Everything here is deterministic and panic-free on any text.

use crate::core::model::annotation::{AnnotationSet, Attribution, Entity, Status};
use crate::core::model::label::Label;
use crate::core::model::span::Span;
use crate::core::nlp::attribution::words::{gender_word, pronoun_kind, PronounKind};
use crate::core::nlp::lexicon::is_role;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of source is quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceType {
    /// A named person ("Caroline Leavitt", or "She" resolved to her).
    Person,
    /// A named organisation, government or office ("the Kremlin", "a Kremlin spokesman").
    Organisation,
    /// Unnamed people: "officials said", "a source familiar with the talks".
    Anonymous,
    /// A document or report: "the report said", "according to the indictment".
    Document,
    /// Neither named nor recognisably anonymous: an unresolved "he", an untagged name.
    Unknown,
}

impl SourceType {
    pub const ALL: [SourceType; 5] =
        [SourceType::Person, SourceType::Organisation, SourceType::Anonymous, SourceType::Document, SourceType::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::Person => "person",
            SourceType::Organisation => "organisation",
            SourceType::Anonymous => "anonymous",
            SourceType::Document => "document",
            SourceType::Unknown => "unknown",
        }
    }

    /// What the UI and reports show.
    pub fn title(self) -> &'static str {
        match self {
            SourceType::Person => "Named person",
            SourceType::Organisation => "Named organisation",
            SourceType::Anonymous => "Anonymous",
            SourceType::Document => "Document or report",
            SourceType::Unknown => "Unknown",
        }
    }

    pub fn parse(s: &str) -> Option<SourceType> {
        SourceType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for SourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A gender stated by the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Female,
    Male,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
        }
    }
}

/// How the article states a gender.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A he/she source resolved to the person.
    Pronoun,
    /// A gendered word in the source span ("spokeswoman", "Mrs.").
    Title,
}

/// One place where an article states a source's gender.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GenderEvidence {
    pub gender: Gender,
    pub kind: EvidenceKind,
    /// The document and attribution ("a3") it comes from.
    pub document: String,
    pub attribution: String,
    /// The words that say it ("She", "spokeswoman").
    pub text: String,
}

/// One attribution's source as the ledger counts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// What the attribution is counted under before project-wide merging: `person:<name>`
    /// and `org:<name>` are shared across documents; anonymous, document and unknown
    /// sources are per document (`anon:<doc>:<text>`), since "officials" in two stories
    /// are not the same people.
    pub key: String,
    pub name: String,
    pub kind: SourceType,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub gender: Option<GenderEvidence>,
}

/// Head nouns of unnamed people ("officials", "a person familiar with …").
const ANONYMOUS_NOUNS: &[&str] = &[
    "official", "officials", "source", "sources", "person", "people", "persons", "aide", "aides", "diplomat",
    "diplomats", "insider", "insiders", "analyst", "analysts", "expert", "experts", "observer", "observers",
    "critic", "critics", "officer", "officers", "employee", "employees", "staffer", "staffers", "executive",
    "executives", "resident", "residents", "witness", "witnesses", "investigator", "investigators", "lawmaker",
    "lawmakers", "legislator", "legislators", "member", "members", "negotiator", "negotiators", "adviser",
    "advisers", "advisor", "advisors", "ally", "allies", "someone", "others", "colleague", "colleagues",
    "friend", "friends", "supporter", "supporters", "opponent", "opponents", "activist", "activists", "worker",
    "workers", "individual", "individuals", "figure", "figures", "veteran", "veterans", "man", "woman", "men",
    "women", "commander", "commanders", "soldier", "soldiers", "leader", "leaders", "economist", "economists",
    "scientist", "scientists", "researcher", "researchers", "doctor", "doctors", "lawyer", "lawyers",
    "attorney", "attorneys", "banker", "bankers", "trader", "traders", "investor", "investors", "partner",
    "partners", "counterpart", "counterparts", "envoy", "envoys", "one",
];

/// Head nouns of an unnamed spokesperson: the organisation speaks on the record.
const SPOKESPEOPLE: &[&str] =
    &["spokesperson", "spokespeople", "spokesman", "spokesmen", "spokeswoman", "spokeswomen", "representative", "representatives", "office", "press office"];

/// Head nouns of documents and reports.
const DOCUMENT_NOUNS: &[&str] = &[
    "report", "reports", "statement", "statements", "study", "studies", "survey", "surveys", "document",
    "documents", "filing", "filings", "memo", "memos", "letter", "letters", "data", "analysis", "poll", "polls",
    "ruling", "records", "record", "release", "transcript", "transcripts", "complaint", "indictment", "lawsuit",
    "review", "assessment", "paper", "post", "tweet", "website", "email", "emails", "message", "messages",
    "audit", "estimates", "estimate", "guidance", "notice", "decision", "judgment", "judgement", "verdict",
    "order", "affidavit", "testimony", "minutes", "forecast", "census", "bulletin", "communique", "communiqué",
    "readout", "summary", "footage", "video", "note", "notes", "index", "figures show",
];

/// Words that end the head noun phrase of a source ("a person familiar with …",
/// "officials at the Pentagon", "a source who spoke on condition of anonymity").
const POST_HEAD: &[&str] = &[
    "familiar", "who", "that", "with", "close", "briefed", "involved", "speaking", "knowledgeable", "in", "at",
    "from", "of", "on", "for", "within", "inside", "across", "among", "aware", "directly", "not", "granted",
];

/// The words of a span with their byte spans, punctuation and possessive ’s trimmed.
fn words_of(text: &str, span: Span) -> Vec<(Span, &str)> {
    let Some(s) = span.slice(text) else { return Vec::new() };
    let mut out = Vec::new();
    let mut at = 0;
    for piece in s.split_inclusive(|c: char| c.is_whitespace()) {
        let start = at;
        at += piece.len();
        let lead = piece.len() - piece.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let core = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-');
        let core = core.trim_start_matches(['.', '-']);
        let core = core.strip_suffix("’s").or_else(|| core.strip_suffix("'s")).unwrap_or(core);
        let core = core.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        if core.is_empty() {
            continue;
        }
        let b = span.start + start + lead;
        out.push((Span::new(b, b + core.len()), core));
    }
    out
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The capitalised words of `words` (articles and lower-case words before them skipped),
/// as written: "White House" in "the White House press office".
fn capitalised_run(text: &str, words: &[(Span, &str)]) -> Option<String> {
    let start = words.iter().position(|(_, w)| capitalised(w) && !matches!(lower(w).as_str(), "a" | "an" | "the" | "two" | "three" | "several" | "some" | "many"))?;
    let run = &words[start..];
    (!run.is_empty() && run.iter().all(|(_, w)| capitalised(w) || lower(w) == "of"))
        .then(|| Span::new(run[0].0.start, run[run.len() - 1].0.end).slice(text).map(str::to_string))
        .flatten()
}

/// Whether an entity counts for the ledger at all (rejected ones never do).
fn live(e: &Entity) -> bool {
    e.status != Status::Rejected
}

/// The name an entity stands for: its canonical name, else the longest mention of its
/// group, else its text.
pub fn entity_name(set: &AnnotationSet, e: &Entity) -> String {
    if let Some(c) = e.canonical.as_deref().filter(|c| !c.trim().is_empty()) {
        return c.trim().to_string();
    }
    let text = |x: &Entity| x.span.slice(set.text()).unwrap_or("").trim().to_string();
    match e.group {
        Some(g) => set
            .entities
            .iter()
            .filter(|x| x.group == Some(g) && x.label == e.label)
            .map(text)
            .fold(String::new(), |best, n| if n.len() > best.len() { n } else { best }),
        None => text(e),
    }
}

fn normalise_key(name: &str) -> String {
    let folded: String = name.replace('’', "'").to_lowercase();
    let folded = folded.strip_prefix("the ").unwrap_or(&folded).to_string();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The role stated in `words` (the longest run the role lexicon knows, the last one
/// before the name), as written.
fn role_in(text: &str, words: &[(Span, &str)], roles: &[&Entity]) -> Option<(usize, usize, String)> {
    // A ROLE entity inside the span wins: the editor (or the tagger) marked it.
    if let Some(e) = roles.first() {
        let i = words.iter().position(|(s, _)| s.start >= e.span.start).unwrap_or(0);
        let j = words.iter().rposition(|(s, _)| s.end <= e.span.end).map_or(i + 1, |j| j + 1);
        return Some((i, j.max(i + 1), e.span.slice(text).unwrap_or("").trim().to_string()));
    }
    let mut best: Option<(usize, usize)> = None;
    for i in 0..words.len() {
        for j in (i + 1..=words.len().min(i + 5)).rev() {
            let phrase = words[i..j].iter().map(|(_, w)| lower(w)).collect::<Vec<_>>().join(" ");
            if is_role(&phrase) {
                if best.is_none_or(|(bi, bj)| j - i >= bj - bi || i >= bj) {
                    best = Some((i, j));
                }
                break;
            }
        }
    }
    let (i, j) = best?;
    let s = Span::new(words[i].0.start, words[j - 1].0.end);
    Some((i, j, s.slice(text)?.to_string()))
}

/// Reads one attribution's source; `None` when it has none.
pub fn atom(set: &AnnotationSet, a: &Attribution) -> Option<Atom> {
    let src = a.source.as_ref()?;
    let text = set.text();
    let doc = &set.document.id;
    let span_text = src.span.slice(text).unwrap_or("").trim().to_string();
    let words = words_of(text, src.span);
    let inside: Vec<&Entity> = set.entities.iter().filter(|e| live(e) && src.span.contains(&e.span)).collect();
    let linked = src.entity.and_then(|id| set.entity(id)).filter(|e| live(e));
    let evidence = |gender: Gender, kind: EvidenceKind, t: &str| GenderEvidence {
        gender,
        kind,
        document: doc.clone(),
        attribution: a.id.to_string(),
        text: t.to_string(),
    };

    // A lone pronoun: whoever it resolves to, with the pronoun as gender evidence.
    let pronoun = (words.len() == 1).then(|| pronoun_kind(words[0].1)).flatten();
    if let Some(p) = pronoun {
        let gender = match p {
            PronounKind::Female => Some(Gender::Female),
            PronounKind::Male => Some(Gender::Male),
            _ => None,
        };
        let ev = gender.map(|g| evidence(g, EvidenceKind::Pronoun, &span_text));
        if let Some(e) = linked {
            let name = entity_name(set, e);
            let (kind, prefix) = if e.label == Label::Person { (SourceType::Person, "person") } else { (SourceType::Organisation, "org") };
            let ev = ev.filter(|_| kind == SourceType::Person);
            return Some(Atom { key: format!("{prefix}:{}", normalise_key(&name)), name, kind, role: None, affiliation: None, gender: ev });
        }
        if let Some(name) = src.entity_text.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            // Resolved to a named source without an entity: a person when a he/she points at it.
            let (kind, prefix) = if gender.is_some() { (SourceType::Person, "person") } else { (SourceType::Unknown, "name") };
            return Some(Atom { key: format!("{prefix}:{}", normalise_key(name)), name: name.to_string(), kind, role: None, affiliation: None, gender: ev });
        }
        return Some(Atom {
            key: format!("unknown:{doc}:{}", normalise_key(&span_text)),
            name: span_text,
            kind: SourceType::Unknown,
            role: None,
            affiliation: None,
            gender: None,
        });
    }

    // The head noun phrase: the words before a post-modifier ("familiar with …").
    let head_end = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, (_, w))| POST_HEAD.contains(&lower(w).as_str()))
        .map_or(words.len(), |(i, _)| i);
    let head = &words[..head_end];
    let head_word = head.last().map(|(_, w)| lower(w)).unwrap_or_default();
    let head_span = match (head.first(), head.last()) {
        (Some(f), Some(l)) => Span::new(f.0.start, l.0.end),
        _ => src.span,
    };

    let person = linked
        .filter(|e| e.label == Label::Person)
        .or_else(|| inside.iter().copied().rfind(|e| e.label == Label::Person && head_span.contains(&e.span)));
    let orgs: Vec<&Entity> = inside
        .iter()
        .copied()
        .filter(|e| matches!(e.label, Label::Org | Label::Gpe | Label::Norp))
        .filter(|e| person.is_none_or(|p| !p.span.overlaps(&e.span)))
        .collect();
    let roles: Vec<&Entity> = inside.iter().copied().filter(|e| e.label == Label::Role).collect();
    let role = role_in(text, head, &roles);
    // The affiliation: an organisation or place named in the span, else the capitalised
    // words before the role ("White House spokeswoman").
    let affiliation = orgs.first().map(|e| entity_name(set, e)).or_else(|| {
        let (i, _, _) = role.as_ref()?;
        capitalised_run(text, &head[..*i])
    });
    let role_text = role.as_ref().map(|(_, _, r)| r.clone());
    let title_gender = words.iter().find_map(|(_, w)| {
        let g = match gender_word(w)? {
            PronounKind::Female => Gender::Female,
            PronounKind::Male => Gender::Male,
            _ => return None,
        };
        Some(evidence(g, EvidenceKind::Title, w))
    });

    if let Some(p) = person {
        let name = entity_name(set, p);
        return Some(Atom {
            key: format!("person:{}", normalise_key(&name)),
            name,
            kind: SourceType::Person,
            role: role_text,
            affiliation,
            gender: title_gender,
        });
    }
    let per_doc = |prefix: &str| format!("{prefix}:{doc}:{}", normalise_key(&span_text));
    if ANONYMOUS_NOUNS.contains(&head_word.as_str()) {
        // The head noun ("official") is what makes it anonymous, not a role; an
        // affiliation is what qualifies it ("White House officials").
        let role = roles.first().and_then(|e| e.span.slice(text)).map(|r| r.trim().to_string());
        let affiliation = orgs.first().map(|e| entity_name(set, e)).or_else(|| capitalised_run(text, &head[..head.len().saturating_sub(1)]));
        return Some(Atom { key: per_doc("anon"), name: span_text, kind: SourceType::Anonymous, role, affiliation, gender: None });
    }
    if DOCUMENT_NOUNS.contains(&head_word.as_str()) {
        return Some(Atom { key: per_doc("doc"), name: span_text, kind: SourceType::Document, role: None, affiliation, gender: None });
    }
    let spokesperson = SPOKESPEOPLE.contains(&head_word.as_str());
    let org = linked.filter(|e| e.label != Label::Person).or(orgs.first().copied());
    if let Some(o) = org {
        let name = entity_name(set, o);
        return Some(Atom {
            key: format!("org:{}", normalise_key(&name)),
            name,
            kind: SourceType::Organisation,
            role: role_text.filter(|_| spokesperson),
            affiliation: None,
            gender: None,
        });
    }
    if spokesperson {
        // "a spokesman said" with no organisation named: the organisation is unknown here.
        return Some(Atom { key: per_doc("anon"), name: span_text, kind: SourceType::Anonymous, role: role_text, affiliation, gender: None });
    }
    // An untagged name: counted under its text, type unknown until someone tags it.
    let named = head.iter().any(|(_, w)| capitalised(w));
    let (key, kind) = if named {
        (format!("name:{}", normalise_key(&span_text)), SourceType::Unknown)
    } else {
        (per_doc("unknown"), SourceType::Unknown)
    };
    Some(Atom { key, name: span_text, kind, role: role_text, affiliation, gender: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{AttributionId, Document, EntityId, Kind, Origin, Source};
    use crate::core::model::span::Extent;

    fn set_with(text: &str, entities: &[(Label, &str)], source: &str) -> (AnnotationSet, Attribution) {
        let mut set = AnnotationSet::new(Document::new("d1", None, text));
        for (label, s) in entities {
            let start = text.find(s).unwrap();
            let id = EntityId(set.fresh_id());
            set.entities.push(Entity {
                id,
                label: label.clone(),
                span: Span::new(start, start + s.len()),
                origin: Origin::Human,
                status: Status::Accepted,
                confidence: 1.0,
                canonical: None,
                group: None,
            });
        }
        let start = text.find(source).unwrap();
        let span = Span::new(start, start + source.len());
        let entity = set
            .entities
            .iter()
            .filter(|e| span.contains(&e.span) && e.label == Label::Person)
            .map(|e| e.id)
            .next();
        let a = Attribution {
            id: AttributionId(99),
            kind: Kind::Direct,
            source: Some(Source { span, entity, entity_text: None }),
            cue: None,
            content: Extent::single(Span::new(0, 1)),
            origin: Origin::Human,
            status: Status::Accepted,
            confidence: 1.0,
        };
        (set, a)
    }

    #[test]
    fn role_and_affiliation_from_the_span() {
        let text = "White House spokeswoman Caroline Leavitt said it.";
        let (set, a) = set_with(text, &[(Label::Org, "White House"), (Label::Person, "Caroline Leavitt")], "White House spokeswoman Caroline Leavitt");
        let at = atom(&set, &a).unwrap();
        assert_eq!(at.kind, SourceType::Person);
        assert_eq!(at.key, "person:caroline leavitt");
        assert_eq!(at.role.as_deref(), Some("spokeswoman"));
        assert_eq!(at.affiliation.as_deref(), Some("White House"));
        let g = at.gender.unwrap();
        assert_eq!((g.gender, g.kind, g.text.as_str()), (Gender::Female, EvidenceKind::Title, "spokeswoman"));
    }

    #[test]
    fn affiliation_without_an_org_entity() {
        let text = "White House spokeswoman Caroline Leavitt said it.";
        let (set, a) = set_with(text, &[(Label::Person, "Caroline Leavitt")], "White House spokeswoman Caroline Leavitt");
        let at = atom(&set, &a).unwrap();
        assert_eq!(at.affiliation.as_deref(), Some("White House"));
    }

    #[test]
    fn types_from_the_head_noun() {
        type Case<'a> = (&'a str, &'a [(Label, &'a str)], &'a str, SourceType);
        let table: &[Case] = &[
            ("Officials said so.", &[], "Officials", SourceType::Anonymous),
            ("White House officials said so.", &[(Label::Org, "White House")], "White House officials", SourceType::Anonymous),
            ("A person familiar with the talks said so.", &[], "A person familiar with the talks", SourceType::Anonymous),
            ("The Kremlin said so.", &[(Label::Org, "Kremlin")], "The Kremlin", SourceType::Organisation),
            ("A Kremlin spokesman said so.", &[(Label::Org, "Kremlin")], "A Kremlin spokesman", SourceType::Organisation),
            ("The report said so.", &[], "The report", SourceType::Document),
            ("A UN report said so.", &[(Label::Org, "UN")], "A UN report", SourceType::Document),
            ("He said so.", &[], "He", SourceType::Unknown),
            ("Zorblat said so.", &[], "Zorblat", SourceType::Unknown),
        ];
        for (text, ents, src, want) in table {
            let (set, a) = set_with(text, ents, src);
            assert_eq!(atom(&set, &a).unwrap().kind, *want, "{text}");
        }
    }

    #[test]
    fn no_gender_from_a_name() {
        let text = "Caroline Leavitt said it.";
        let (set, a) = set_with(text, &[(Label::Person, "Caroline Leavitt")], "Caroline Leavitt");
        assert_eq!(atom(&set, &a).unwrap().gender, None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// Any text, any source span and any entities inside it: an atom, never a panic.
        #[test]
        fn any_text_any_span(text in "[ -~’“”éΣ\n]{0,60}", a in 0usize..70, b in 0usize..70, e in 0usize..70, f in 0usize..70) {
            // Spans are ordered by construction (Span::new refuses reversed ones); anything
            // else about them may be wrong: past the end, inside a character, empty.
            let sp = |x: usize, y: usize| Span::new(x.min(y), x.max(y));
            let mut set = AnnotationSet::new(Document::new("d", None, text.as_str()));
            for (label, s, t) in [(Label::Person, e, f), (Label::Org, a, e), (Label::Role, f, b)] {
                let id = EntityId(set.fresh_id());
                set.entities.push(Entity { id, label, span: sp(s, t), origin: Origin::Auto, status: Status::Suggested, confidence: 0.5, canonical: None, group: Some(1) });
            }
            let at = Attribution {
                id: AttributionId(9),
                kind: Kind::Mixed,
                source: Some(Source { span: sp(a, b), entity: Some(EntityId(1)), entity_text: None }),
                cue: Some(sp(b, e)),
                content: Extent::single(sp(a, f)),
                origin: Origin::Auto,
                status: Status::Suggested,
                confidence: 0.5,
            };
            let _ = atom(&set, &at);
            set.attributions.push(at);
            let l = crate::core::ledger::build([&set], &Default::default(), crate::core::ledger::Options { include_pending: true });
            let _ = crate::core::ledger::export::html(&l);
        }
    }

    #[test]
    fn never_panics_on_odd_spans() {
        let text = "’s ... “” é";
        let (set, mut a) = set_with(text, &[], "’s");
        assert!(atom(&set, &a).is_some());
        a.source.as_mut().unwrap().span = Span::new(2, 99);
        let _ = atom(&set, &a);
    }
}

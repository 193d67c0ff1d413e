//! The source ledger on a known project: eleven invented articles with hand-marked
//! quotes (`tests/fixtures/ledger/articles.txt`) give a known ledger: counts, automatic
//! and editor merges, a split, the anonymous share and gender evidence are asserted
//! here, and the whole ledger (JSON and CSV) is compared with golden files.
//!
//! `UPDATE_GOLDEN=1 cargo test --test ledger_golden` rewrites the golden files after a
//! deliberate change; a missing golden file fails.

use newsmark::core::ledger::classify::{EvidenceKind, Gender, SourceType};
use newsmark::core::ledger::edits::{LedgerEdits, LedgerOp, MemberId};
use newsmark::core::ledger::export::{self, LedgerFormat};
use newsmark::core::ledger::{self, GenderState, Ledger, Options};
use newsmark::core::model::annotation::{AnnotationSet, Attribution, AttributionId, Document, Entity, EntityId, Kind, Origin, Source, Status};
use newsmark::core::model::label::Label;
use newsmark::core::model::span::{Extent, Span};
use newsmark::core::nlp::mentions;
use std::collections::BTreeMap;

const FIXTURE: &str = "tests/fixtures/ledger/articles.txt";
const GOLDEN_JSON: &str = "tests/fixtures/ledger/ledger.expected.json";
const GOLDEN_CSV: &str = "tests/fixtures/ledger/ledger.expected.csv";

#[derive(Default)]
struct Draft {
    source: Option<Span>,
    link: Option<String>,
    cue: Option<Span>,
    content: Vec<Span>,
    status: Option<Status>,
}

/// One article of the fixture: markup stripped, entities and attributions placed.
fn parse_article(id: &str, title: &str, marked: &str) -> AnnotationSet {
    let mut text = String::new();
    let mut entities: Vec<(Label, Span)> = Vec::new();
    let mut drafts: BTreeMap<u32, Draft> = BTreeMap::new();
    // Open markers: (what, start offset).
    enum Open {
        Entity(Label),
        Role(char, u32, Option<String>, Option<Status>),
    }
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut rest = marked;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let (tag, after) = rest[1..].split_once(' ').unwrap();
            let label = match tag {
                "P" => Label::Person,
                "O" => Label::Org,
                "G" => Label::Gpe,
                "N" => Label::Norp,
                "R" => Label::Role,
                other => panic!("unknown entity tag {other} in {id}"),
            };
            stack.push((Open::Entity(label), text.len()));
            rest = after;
        } else if c == '{' {
            let header_end = if rest.contains("->") && rest.find("->") < rest.find(' ') { rest.find(": ").unwrap() + 1 } else { rest.find(' ').unwrap() };
            let header = &rest[1..header_end];
            let role = header.chars().next().unwrap();
            let (num, link) = match header[1..].split_once("->") {
                Some((n, name)) => (n, Some(name.trim_end_matches(':').to_string())),
                None => (&header[1..], None),
            };
            let (num, status) = if let Some(n) = num.strip_suffix('!') {
                (n, Some(Status::Suggested))
            } else if let Some(n) = num.strip_suffix('#') {
                (n, Some(Status::Rejected))
            } else {
                (num, None)
            };
            stack.push((Open::Role(role, num.parse().unwrap(), link, status), text.len()));
            rest = &rest[header_end + 1..];
        } else if c == ']' || c == '}' {
            let (open, start) = stack.pop().unwrap_or_else(|| panic!("unbalanced {c} in {id}"));
            let span = Span::new(start, text.len());
            match open {
                Open::Entity(label) => entities.push((label, span)),
                Open::Role(role, n, link, status) => {
                    let d = drafts.entry(n).or_default();
                    match role {
                        's' => {
                            d.source = Some(span);
                            d.link = link;
                        }
                        'c' => d.cue = Some(span),
                        'q' => {
                            d.content.push(span);
                            if status.is_some() {
                                d.status = status;
                            }
                        }
                        other => panic!("unknown role {other} in {id}"),
                    }
                }
            }
            rest = &rest[1..];
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(stack.is_empty(), "unclosed marker in {id}");
    let mut set = AnnotationSet::new(Document::new(id, Some(title.to_string()), text.as_str()));
    // Canonical names and groups as the pipeline gives them.
    let groups = mentions::group(&text, &entities);
    for ((label, span), g) in entities.iter().zip(groups) {
        let eid = EntityId(set.fresh_id());
        set.entities.push(Entity {
            id: eid,
            label: label.clone(),
            span: *span,
            origin: Origin::Human,
            status: Status::Accepted,
            confidence: 1.0,
            canonical: Some(g.canonical),
            group: Some(g.group),
        });
    }
    for (_, d) in drafts {
        let content = Extent::from_fragments(d.content.clone()).unwrap();
        let body: Vec<&str> = d.content.iter().map(|s| s.slice(&text).unwrap()).collect();
        let quoted = |s: &str| s.starts_with('“') && s.trim_end_matches(['.', ',']).ends_with('”') && s.matches('“').count() == 1;
        let kind = if body.iter().all(|s| quoted(s)) {
            Kind::Direct
        } else if body.iter().any(|s| s.contains('“')) {
            Kind::Mixed
        } else {
            Kind::Indirect
        };
        let source = d.source.map(|span| {
            let entity = match &d.link {
                Some(name) => set.entities.iter().find(|e| e.span.slice(&text) == Some(name.as_str())).map(|e| e.id),
                None => {
                    let rank = |l: &Label| match l {
                        Label::Person => 0,
                        Label::Org => 1,
                        Label::Gpe => 2,
                        _ => 3,
                    };
                    set.entities.iter().filter(|e| span.contains(&e.span) && e.label != Label::Role).min_by_key(|e| rank(&e.label)).map(|e| e.id)
                }
            };
            Source { span, entity, entity_text: None }
        });
        let aid = AttributionId(set.fresh_id());
        set.attributions.push(Attribution {
            id: aid,
            kind,
            source,
            cue: d.cue,
            content,
            origin: Origin::Human,
            status: d.status.unwrap_or(Status::Accepted),
            confidence: 1.0,
        });
    }
    set
}

/// The fixture project, in file order.
pub fn fixture() -> Vec<AnnotationSet> {
    let raw = std::fs::read_to_string(FIXTURE).expect("the ledger fixture");
    let mut out = Vec::new();
    for block in raw.split("=== ").skip(1) {
        let (head, body) = block.split_once('\n').unwrap();
        let (id, title) = head.split_once(": ").unwrap();
        out.push(parse_article(id, title, body.trim_end()));
    }
    out
}

/// The editor's corrections the golden ledger includes: the Port Authority is the Harbour
/// Authority under an old name, and the Vasquez of article 9 is not Marta Vasquez.
pub fn editor_edits() -> LedgerEdits {
    let mut e = LedgerEdits::default();
    e.push(LedgerOp::Merge { from: "org:port authority".into(), into: "org:harbour authority".into() });
    e.push(LedgerOp::Split { member: MemberId { document: "port-strike-9".into(), key: "person:vasquez".into() } });
    e
}

fn check_golden(path: &str, got: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("{path} is missing: UPDATE_GOLDEN=1 writes it"));
    assert!(got == want, "{path} differs from the ledger built now (UPDATE_GOLDEN=1 after a deliberate change)\n--- got ---\n{got}");
}

fn build(sets: &[AnnotationSet], edits: &LedgerEdits, include_pending: bool) -> Ledger {
    ledger::build(sets, edits, Options { include_pending })
}

#[test]
fn fixture_is_a_project_of_at_least_ten_articles() {
    let sets = fixture();
    assert_eq!(sets.len(), 11);
    let quotes: usize = sets.iter().map(|s| s.attributions.len()).sum();
    assert_eq!(quotes, 36);
    assert!(sets.iter().all(|s| !s.text().contains(['{', '}', '[', ']'])));
}

#[test]
fn known_ledger_before_editor_edits() {
    let sets = fixture();
    let l = build(&sets, &LedgerEdits::default(), false);
    let s = &l.summary;
    // 36 marked; one pending, one rejected; one without a source.
    assert_eq!((s.documents, s.attributions, s.unsourced), (11, 34, 1));
    let row = |key: &str| l.source(key).unwrap_or_else(|| panic!("no source {key}: {:?}", l.sources.iter().map(|s| &s.key).collect::<Vec<_>>()));

    // "Ines Varga", "She" resolved to her and a lone "Varga" in another article are one
    // source; the rejected quote of article 10 does not count.
    let varga = row("person:ines varga");
    assert_eq!((varga.attributions, varga.articles, varga.direct, varga.mixed, varga.indirect), (5, 4, 2, 0, 3));
    assert_eq!(varga.roles, ["spokeswoman"]);
    assert_eq!(varga.affiliations, ["Harbour Authority"]);
    assert_eq!(varga.kind, SourceType::Person);
    assert_eq!(varga.gender, GenderState::Female);
    let ev: Vec<(EvidenceKind, &str, &str)> = varga.gender_evidence.iter().map(|e| (e.kind, e.document.as_str(), e.text.as_str())).collect();
    assert_eq!(
        ev,
        [
            (EvidenceKind::Title, "port-strike-1", "spokeswoman"),
            (EvidenceKind::Title, "port-strike-3", "spokeswoman"),
            (EvidenceKind::Pronoun, "port-strike-3", "She"),
        ]
    );
    assert!(varga.members.iter().any(|m| m.document == "port-strike-7" && m.key == "person:varga"));

    let okafor = row("person:ruth okafor");
    assert_eq!((okafor.attributions, okafor.articles, okafor.direct, okafor.indirect), (4, 3, 3, 1));
    assert_eq!(okafor.roles, ["Mayor"]);
    assert_eq!(okafor.gender, GenderState::Female);
    assert!(okafor.gender_evidence.iter().all(|e| e.kind == EvidenceKind::Pronoun && e.gender == Gender::Female));

    // The pending quote of article 10 only counts with the switch.
    let brandt = row("person:tomas brandt");
    assert_eq!((brandt.attributions, brandt.articles, brandt.direct, brandt.mixed), (3, 2, 2, 1));
    assert_eq!(brandt.gender, GenderState::Male);
    assert_eq!(brandt.gender_evidence[0].text, "He");
    let with_pending = build(&sets, &LedgerEdits::default(), true);
    assert_eq!(with_pending.source("person:tomas brandt").unwrap().attributions, 4);
    assert_eq!(with_pending.summary.attributions, 35);

    // Two full names end in "Brandt": a lone "Brandt" is not guessed into either.
    assert_eq!(row("person:brandt").attributions, 2);
    assert_eq!(row("person:elena brandt").gender, GenderState::Unknown, "never guessed from a name");
    // Marta Vasquez: named, no pronoun or title → unknown gender, whatever her name suggests.
    let vasquez = row("person:marta vasquez");
    assert_eq!((vasquez.attributions, vasquez.articles, vasquez.gender), (3, 3, GenderState::Unknown));

    // Anonymous sources are per article; documents and organisations are typed.
    let anonymous: Vec<&str> = l.sources.iter().filter(|s| s.kind == SourceType::Anonymous).map(|s| s.name.as_str()).collect();
    assert_eq!(anonymous.len(), 8, "{anonymous:?}");
    assert!(anonymous.contains(&"Two council members who asked not to be named"));
    assert_eq!(l.sources.iter().filter(|s| s.kind == SourceType::Document).count(), 2);
    assert_eq!(row("org:harbour authority").kind, SourceType::Organisation);
    assert_eq!(row("org:port authority").attributions, 2);
    assert_eq!(row("unknown:port-strike-8:he").kind, SourceType::Unknown);
    // 8 anonymous quotes of 33 with a source.
    assert_eq!(s.anonymous_share, (8.0f64 / 33.0 * 10_000.0).round() / 10_000.0);
}

#[test]
fn editor_merges_and_splits() {
    let sets = fixture();
    let l = build(&sets, &editor_edits(), false);
    let harbour = l.source("org:harbour authority").unwrap();
    assert_eq!((harbour.attributions, harbour.articles), (3, 3));
    assert!(l.source("org:port authority").is_none());
    let vasquez = l.source("person:marta vasquez").unwrap();
    assert_eq!(vasquez.attributions, 2);
    let split = l.source("split:port-strike-9:person:vasquez").unwrap();
    assert_eq!((split.name.as_str(), split.attributions), ("Vasquez", 1));
    assert_eq!(l.summary.sources, build(&sets, &LedgerEdits::default(), false).summary.sources);
    // Undoing both gives the ledger without edits (apart from the redo list it carries).
    let mut edits = editor_edits();
    edits.undo();
    edits.undo();
    let undone = build(&sets, &edits, false);
    assert_eq!(undone.sources, build(&sets, &LedgerEdits::default(), false).sources);
}

#[test]
fn golden_ledger() {
    let sets = fixture();
    let l = build(&sets, &editor_edits(), false);
    check_golden(GOLDEN_JSON, &export::write(&l, LedgerFormat::Json));
    check_golden(GOLDEN_CSV, &export::write(&l, LedgerFormat::Csv));
    // The edits travel in the JSON and come back.
    assert_eq!(export::read_edits(&export::json(&l)).unwrap(), editor_edits());
    let html = export::write(&l, LedgerFormat::Html);
    for id in ["top-sources", "anonymous-share", "direct-indirect", "sources-per-article", "by-type", "by-gender"] {
        assert!(html.contains(&format!("<figure id=\"{id}\">")), "{id}");
    }
    // Self-contained: nothing to run, nothing to fetch.
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
}

/// The app's worker sends the built ledger to the page as JSON (`Reply::Ledger`): what the
/// page reads back is the ledger the worker built, field for field.
#[test]
fn ledger_round_trips_through_the_worker_reply_json() {
    let sets = fixture();
    for pending in [false, true] {
        let l = build(&sets, &editor_edits(), pending);
        let back: Ledger = serde_json::from_str(&serde_json::to_string(&l).unwrap()).unwrap();
        assert_eq!(back, l, "include_pending {pending}");
        assert!(back.sources.iter().any(|s| !s.quotes.is_empty() && !s.members.is_empty()));
    }
    // The request's options and format travel too.
    let o: Options = serde_json::from_str(&serde_json::to_string(&Options { include_pending: true }).unwrap()).unwrap();
    assert!(o.include_pending);
    for f in [LedgerFormat::Csv, LedgerFormat::Json, LedgerFormat::Md, LedgerFormat::Html] {
        assert_eq!(serde_json::from_str::<LedgerFormat>(&serde_json::to_string(&f).unwrap()).unwrap(), f);
    }
}

/// `newsmark ledger` over the fixture saved as annotation files gives the same bytes as
/// the core (which is what the app exports), edits replayed from a ledger JSON included.
#[test]
fn cli_ledger_equals_the_core() {
    let sets = fixture();
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    for (i, set) in sets.iter().enumerate() {
        // Numbered names keep the project order (folders are read in name order).
        std::fs::write(articles.join(format!("{:02}.json", i + 1)), newsmark::core::format::json::export(set)).unwrap();
    }
    let edits_file = dir.path().join("edited.json");
    std::fs::write(&edits_file, export::json(&build(&sets, &editor_edits(), false))).unwrap();
    for (format, kind) in [("json", LedgerFormat::Json), ("csv", LedgerFormat::Csv), ("md", LedgerFormat::Md), ("html", LedgerFormat::Html)] {
        for pending in [false, true] {
            let out = dir.path().join(format!("ledger-{pending}.{format}"));
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_newsmark"));
            cmd.arg("ledger").arg(&articles).args(["--format", format, "--out"]).arg(&out).arg("--edits").arg(&edits_file);
            if pending {
                cmd.arg("--pending");
            }
            let o = cmd.output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let want = export::write(&build(&sets, &editor_edits(), pending), kind);
            assert!(std::fs::read_to_string(&out).unwrap() == want, "{format} pending={pending}");
        }
    }
    // Bad input: a clear error naming the file, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = dir.path().join("never.csv");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .args(["ledger", bad.to_str().unwrap(), "--format", "csv", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.json"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
}

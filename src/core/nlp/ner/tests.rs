//! Table-driven tests of the entity rules.

use super::*;
use crate::core::nlp::tokenize::tokenize;
use crate::core::{nlp::{boilerplate::boilerplate, sentence::sentences}};

fn run(text: &str) -> Vec<(String, &str)> {
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let bp = boilerplate(text);
    entities(text, &tokens, &sents, &bp, &[]).into_iter().map(|f| (f.label.as_str().to_string(), &text[f.span.start..f.span.end])).collect()
}

fn has(got: &[(String, &str)], label: &str, s: &str) -> bool {
    got.iter().any(|(l, t)| l == label && *t == s)
}

/// Each text yields (at least) its listed (label, span text) entities.
fn expect_all(cases: &[(&str, &[(&str, &str)])]) {
    for (text, want) in cases {
        let got = run(text);
        for (label, s) in *want {
            assert!(has(&got, label, s), "{text}\n  missing {label} {s:?}\n  got {got:?}");
        }
    }
}

#[test]
fn expected_entities() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("A special envoy from US President Donald Trump is set to visit Moscow this week.", &[("GPE", "US"), ("ROLE", "President"), ("PERSON", "Donald Trump"), ("GPE", "Moscow"), ("DATE", "this week")]),
        ("“It is up to them,” White House spokeswoman Caroline Leavitt said.", &[("ORG", "White House"), ("ROLE", "spokeswoman"), ("PERSON", "Caroline Leavitt")]),
        ("Caroline Leavitt spoke. According to Leavitt, Steve Witkoff, Trump’s Special Envoy to the Middle East, will travel. Donald Trump agreed.", &[("PERSON", "Leavitt"), ("PERSON", "Steve Witkoff"), ("PERSON", "Trump"), ("ROLE", "Special Envoy"), ("LOC", "Middle East")]),
        ("The Kremlin said that US Secretary of State Marco Rubio met Russian officials.", &[("ORG", "Kremlin"), ("GPE", "US"), ("ROLE", "Secretary of State"), ("PERSON", "Marco Rubio"), ("NORP", "Russian")]),
        ("following US-Ukraine talks in Jeddah on March 11.", &[("GPE", "US"), ("GPE", "Ukraine"), ("GPE", "Jeddah"), ("DATE", "March 11")]),
        ("National Security Advisor Mike Waltz spoke to the Russians and to Western allies.", &[("ROLE", "National Security Advisor"), ("PERSON", "Mike Waltz"), ("NORP", "Russians"), ("NORP", "Western")]),
        ("Reports from Bloomberg and sources cited by Reuters suggest NATO may act.", &[("ORG", "Bloomberg"), ("ORG", "Reuters"), ("ORG", "NATO")]),
        ("Police said the Interior Ministry and the Ministry of Defence disagreed.", &[("ORG", "Interior Ministry"), ("ORG", "Ministry of Defence")]),
        ("He met Saudi Arabia's crown prince.", &[("GPE", "Saudi Arabia")]),
    ];
    expect_all(cases);
}

#[test]
fn not_entities() {
    let cases: &[(&str, &[&str])] = &[
        ("A special envoy from the government will visit.", &["special envoy"]),
        ("The ministers said it would take 30-day periods.", &["The", "ministers", "30"]),
        ("However, the talks may resume.", &["However", "may"]),
    ];
    for (text, unwanted) in cases {
        let got = run(text);
        for u in *unwanted {
            assert!(!got.iter().any(|(_, t)| t == u), "{text}: {u:?} tagged in {got:?}");
        }
    }
}

#[test]
fn glued_typo_keeps_the_name() {
    let got = run("An envoy of US President Donald Trumpcis set to go. Trump said so.");
    assert!(has(&got, "PERSON", "Donald Trump"), "{got:?}");
}

#[test]
fn nothing_inside_boilerplate() {
    let got = run("Talks were held in Moscow.\nJOIN US ON TELEGRAM\nFollow our coverage of Russia on the @handle.\nRussia agreed.");
    assert!(!got.iter().any(|(_, t)| *t == "US"), "{got:?}");
    assert_eq!(got.iter().filter(|(l, _)| l == "GPE").count(), 2, "{got:?}");
}

#[test]
fn proposals_fill_gaps_and_yield_to_lexicons() {
    let text = "Kusae Edu met officials in Russia on Monday.";
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let proposals = [
        Proposal { span: Span::new(0, 9), label: Label::Person, confidence: 0.9 },
        // The same span as the lexicon's country "Russia": the lexicon stays.
        Proposal { span: Span::new(28, 34), label: Label::Org, confidence: 0.99 },
    ];
    let got = entities(text, &tokens, &sents, &[], &proposals);
    let labels: Vec<(&str, &str)> = got.iter().map(|f| (f.label.as_str(), &text[f.span.start..f.span.end])).collect();
    assert_eq!(labels, [("PERSON", "Kusae Edu"), ("GPE", "Russia"), ("DATE", "Monday")]);
}

/// ROLE per the guidelines: abbreviated offices before a name, and role nouns that name
/// one specific person, each a ROLE of its own next to the PERSON.
#[test]
fn roles_of_a_specific_person() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("Sen. Bernie Sanders (I-Vt.) said he would release his records.", &[("ROLE", "Sen."), ("PERSON", "Bernie Sanders")]),
        ("Sources said Lt. Gov. Eric Holcomb is interested.", &[("ROLE", "Lt. Gov."), ("PERSON", "Eric Holcomb")]),
        ("He takes over from Lt Gen Walter Koipaton.", &[("ROLE", "Lt Gen"), ("PERSON", "Walter Koipaton")]),
        ("Former Gov. Mitch Daniels ruled out a bid, and Gen. John Kelly agreed.", &[("ROLE", "Gov."), ("PERSON", "Mitch Daniels"), ("ROLE", "Gen."), ("PERSON", "John Kelly")]),
        ("People like Sens. Lindsey Graham and Rep. Adam Kinzinger object.", &[("ROLE", "Sens."), ("PERSON", "Lindsey Graham"), ("ROLE", "Rep."), ("PERSON", "Adam Kinzinger")]),
        ("CNN host Jake Tapper asked the question.", &[("ORG", "CNN"), ("ROLE", "host"), ("PERSON", "Jake Tapper")]),
        ("The host asked whether his running mate would debate.", &[("ROLE", "host"), ("ROLE", "running mate")]),
        ("She endorsed Hillary Clinton, the Democratic nominee, on Monday.", &[("PERSON", "Hillary Clinton"), ("ROLE", "nominee")]),
        ("He supported the Texas senator and the former governor.", &[("GPE", "Texas"), ("ROLE", "senator"), ("ROLE", "governor")]),
        ("Pence would serve as Donald Trump's ticket-mate.", &[("PERSON", "Donald Trump"), ("ROLE", "ticket-mate")]),
        ("Gregory T. Angelo, president of the Log Cabin Republicans, said so.", &[("PERSON", "Gregory T. Angelo"), ("ROLE", "president")]),
    ];
    expect_all(cases);
}

/// Courtesy titles, generic and plural role nouns, and a role's possessive that names a
/// thing ("the governor's race") are not ROLE.
#[test]
fn generic_roles_and_courtesy_titles_are_not_roles() {
    let cases: &[(&str, &[&str])] = &[
        ("Mr. Smith met Dr. Jones and Mrs. Brown.", &["Mr.", "Dr.", "Mrs."]),
        ("A senator said senators and governors disagree.", &["senator", "senators", "governors"]),
        ("Voters will pick the next president in the governor's race.", &["president", "governor"]),
        ("The general election and the major parties matter, and our justice too.", &["general", "major", "justice"]),
        ("Murray Clark, a former state GOP chair, spoke.", &["chair"]),
    ];
    for (text, unwanted) in cases {
        let got = run(text);
        for u in *unwanted {
            assert!(!got.iter().any(|(l, t)| l == "ROLE" && t == u), "{text}: {u:?} tagged ROLE in {got:?}");
        }
    }
}

/// A run-together list from a scraped page: each name stops before the next item's title.
#[test]
fn run_together_list_keeps_titles_out_of_names() {
    let text = "Endorsed by Kelly AyotteRep. Mike CoffmanSen. Mike Crapo and others.";
    let got = run(text);
    for (label, s) in [("PERSON", "Kelly Ayotte"), ("ROLE", "Rep."), ("PERSON", "Mike Coffman"), ("ROLE", "Sen."), ("PERSON", "Mike Crapo")] {
        assert!(has(&got, label, s), "missing {label} {s:?} in {got:?}");
    }
    assert!(!got.iter().any(|(_, t)| t.contains("AyotteRep") || t.contains("CoffmanSen")), "{got:?}");
}

/// A US party–state tag is an affiliation note: nothing inside it is an entity, even
/// when the tagger proposes the tag as a name or its state as a place; the names and
/// titles around it stay.
#[test]
fn party_state_tags_are_not_entities() {
    let text = "Sen. Bernie Sanders (I-Vt.) said no. Rep. Nancy Pelosi (D-Calif.) and John Cornyn (R-Texas) agreed in Texas (the state).";
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        Span { start, end: start + s.len() }
    };
    let proposals = [
        Proposal { span: at("I-Vt."), label: Label::Person, confidence: 0.9 },
        Proposal { span: at("D-Calif."), label: Label::Person, confidence: 0.9 },
        Proposal { span: at("R-Texas"), label: Label::Org, confidence: 0.9 },
    ];
    let got: Vec<(String, &str)> = entities(text, &tokens, &sents, &[], &proposals)
        .into_iter()
        .map(|f| (f.label.as_str().to_string(), &text[f.span.start..f.span.end]))
        .collect();
    for inside in ["I-Vt.", "Vt.", "D-Calif.", "Calif.", "R-Texas"] {
        assert!(!got.iter().any(|(_, t)| *t == inside), "{inside} kept: {got:?}");
    }
    assert!(has(&got, "PERSON", "Bernie Sanders") && has(&got, "PERSON", "Nancy Pelosi"), "{got:?}");
    assert!(has(&got, "GPE", "Texas"), "the state outside a tag stays: {got:?}");
    assert_eq!(rules::party_tag_around(text, &at("I-Vt.")), Some((text.find("(I-").unwrap(), text.find("(I-").unwrap() + 7)));
    for (t, s) in [("(Reuters) said", "Reuters"), ("(AP-Texas bureau) said", "Texas"), ("(D-Calif.", "D-Calif."), ("X (D-\nCalif.)", "Calif.")] {
        let start = t.find(s).unwrap();
        assert_eq!(rules::party_tag_around(t, &Span { start, end: start + s.len() }), None, "{t}");
    }
}

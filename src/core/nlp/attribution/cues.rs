//! The cue lexicon: reporting verbs in all their inflected forms, and nominal cues.
//!
//! The verb list starts from textacy's `REPORTING_VERBS` (Apache-2.0, see NOTICE) and
//! adds the communication and cognition verbs of WordNet's `verb.communication` lexicographer
//! file that news prose uses to introduce reported speech ("tweeted", "vowed",
//! "cautioned", …). Forms are generated from the lemma (with a table of irregular forms),
//! so "say" yields "say", "says", "said", "saying".

use crate::core::nlp::fasthash::{pack_word, FxHashMap};
use std::sync::OnceLock;

/// How strongly a verb signals reported speech or thought; it sets the confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// Verbs of saying proper: "say", "tell", "report", "state".
    Speech,
    /// Verbs that often, not always, report: "suggest", "show", "believe", "warn".
    Weak,
}

/// Lemmas whose "-s" and base forms are common nouns ("his remarks", "a report"): as
/// verbs they must introduce "that", a colon or a quote.
pub const NOUNISH: &[&str] = &[
    "comment", "remark", "report", "claim", "promise", "fear", "offer", "question", "answer", "call", "hope",
    "note", "demand", "estimate", "forecast", "charge", "signal", "post", "tweet", "reply", "respond",
    "concern", "joke", "welcome", "quip", "pledge", "vow", "counter", "plead", "dispute", "blast", "slam",
];

/// Which form of its lemma a cue token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    Base,
    ThirdPerson,
    Past,
    /// "-ing": a participial cue after a comma (", saying …").
    Ing,
}

/// What the lexicon knows about one cue word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueWord {
    pub lemma: &'static str,
    pub form: Form,
    pub strength: Strength,
    /// Takes a person object before the content: "told reporters that …".
    pub takes_object: bool,
}

/// (lemma, strength, takes an object, irregular forms `third|past|ing|participle`).
type Entry = (&'static str, Strength, bool, &'static str);

use Strength::{Speech, Weak};

#[rustfmt::skip]
const VERBS: &[Entry] = &[
    // textacy REPORTING_VERBS
    ("accuse", Weak, true, ""), ("acknowledge", Speech, false, ""), ("add", Speech, false, ""),
    ("admit", Speech, false, ""), ("agree", Weak, false, ""), ("allege", Speech, false, ""),
    ("announce", Speech, false, ""), ("argue", Speech, false, ""), ("ask", Weak, true, ""),
    ("assert", Speech, false, ""), ("believe", Weak, false, ""), ("blame", Weak, true, ""),
    ("charge", Weak, false, ""), ("cite", Weak, false, ""), ("claim", Speech, false, ""),
    ("complain", Speech, false, ""), ("concede", Speech, false, ""), ("conclude", Weak, false, ""),
    ("confirm", Speech, false, ""), ("contend", Speech, false, ""), ("criticize", Weak, false, ""),
    ("declare", Speech, false, ""), ("deny", Speech, false, ""), ("describe", Weak, false, ""),
    ("disagree", Weak, false, ""), ("disclose", Speech, false, ""), ("estimate", Weak, false, ""),
    ("explain", Speech, false, ""), ("fear", Weak, false, ""), ("hope", Weak, false, ""),
    ("insist", Speech, false, ""), ("maintain", Weak, false, ""), ("mention", Speech, false, ""),
    ("note", Speech, false, ""), ("observe", Speech, false, ""), ("predict", Speech, false, ""),
    ("promise", Speech, false, ""), ("recall", Speech, false, ""), ("recommend", Weak, false, ""),
    ("reply", Speech, false, ""), ("report", Speech, false, ""), ("say", Speech, false, "says|said|saying|said"),
    ("state", Speech, false, ""), ("stress", Speech, false, ""), ("suggest", Weak, false, ""),
    ("tell", Speech, true, "tells|told|telling|told"), ("testify", Speech, false, ""), ("think", Weak, false, "thinks|thought|thinking|thought"),
    ("urge", Weak, true, ""), ("warn", Speech, false, ""), ("worry", Weak, false, ""),
    ("write", Speech, false, "writes|wrote|writing|written"),
    // WordNet verb.communication / verb.cognition verbs common in news
    ("assure", Speech, true, ""), ("boast", Speech, false, ""), ("brag", Speech, false, ""),
    ("caution", Speech, false, ""), ("comment", Speech, false, ""), ("counter", Speech, false, ""),
    ("emphasize", Speech, false, ""), ("emphasise", Speech, false, ""), ("criticise", Weak, false, ""),
    ("indicate", Weak, false, ""), ("inform", Speech, true, ""), ("joke", Speech, false, ""),
    ("lament", Speech, false, ""), ("quip", Speech, false, ""), ("remark", Speech, false, ""),
    ("reiterate", Speech, false, ""), ("repeat", Weak, false, ""), ("respond", Speech, false, ""),
    ("retort", Speech, false, ""), ("reveal", Speech, false, ""), ("speculate", Speech, false, ""),
    ("tweet", Speech, false, ""), ("post", Weak, false, ""), ("underscore", Speech, false, ""),
    ("vow", Speech, false, ""), ("pledge", Speech, false, ""), ("threaten", Weak, false, ""),
    ("demand", Weak, false, ""), ("propose", Weak, false, ""), ("remind", Speech, true, ""),
    ("signal", Weak, false, ""), ("acknowledge", Speech, false, ""), ("announce", Speech, false, ""),
    ("opine", Speech, false, ""), ("proclaim", Speech, false, ""), ("recount", Speech, false, ""),
    ("affirm", Speech, false, ""), ("aver", Speech, false, ""), 
    ("dispute", Weak, false, ""), ("exclaim", Speech, false, ""), ("shout", Speech, false, ""),
    ("whisper", Speech, false, ""), ("yell", Speech, false, ""), ("wonder", Weak, false, ""),
    ("question", Weak, false, ""), ("answer", Speech, false, ""), ("advise", Weak, true, ""),
    ("forecast", Weak, false, "forecasts|forecast|forecasting|forecast"),
    ("find", Weak, false, "finds|found|finding|found"), ("show", Weak, false, "shows|showed|showing|shown"),
    ("swear", Speech, false, "swears|swore|swearing|sworn"),
    ("expect", Weak, false, ""), ("call", Weak, false, ""), ("praise", Weak, false, ""),
    ("slam", Weak, false, ""), ("blast", Weak, false, ""), ("dismiss", Weak, false, ""),
    ("welcome", Weak, false, ""), ("reject", Weak, false, ""), ("endorse", Weak, false, ""),
    ("decline", Weak, false, ""), ("refuse", Weak, false, ""),
    ("concur", Speech, false, ""), ("hint", Weak, false, ""), ("imply", Weak, false, ""),
    ("pronounce", Speech, false, ""), ("articulate", Speech, false, ""), ("recollect", Speech, false, ""),
    ("relate", Weak, false, ""), ("preach", Speech, false, ""), ("plead", Speech, false, ""),
    ("reckon", Weak, false, ""), ("surmise", Weak, false, ""), ("posit", Speech, false, ""),
    ("attest", Speech, false, ""), ("certify", Speech, false, ""), ("clarify", Speech, false, ""),
    ("announce", Speech, false, ""), ("concede", Speech, false, ""),
];

/// Verbs whose final consonant doubles before -ed / -ing.
const DOUBLING: &[&str] = &["admit", "quip", "aver", "concur", "brag", "slam", "plan"];

/// Words never read as cues although a lexicon form matches: nouns and adjectives that
/// share a form with a verb and rarely report ("the state", "a note", "known").
const NOT_CUES: &[&str] = &["find", "finds", "state", "states", "note", "notes", "post", "posts", "known", "found", "call", "charge", "charges", "feeling", "finding", "findings", "showing", "question", "questions", "answer", "answers", "counter", "demand", "demands", "signal", "signals", "speaking", "expected", "relate"];

fn forms(lemma: &'static str, irregular: &'static str) -> [String; 4] {
    let mut parts = irregular.split('|');
    if let (Some(s), Some(p), Some(g)) = (parts.next(), parts.next(), parts.next()) {
        return [s.into(), p.into(), g.into(), parts.next().unwrap_or(p).into()];
    }
    let bytes = lemma.as_bytes();
    let last = bytes.last().copied().unwrap_or(b'a');
    let before = bytes.len().checked_sub(2).and_then(|i| bytes.get(i)).copied().unwrap_or(b'a');
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let third = if lemma.ends_with('s') || lemma.ends_with('x') || lemma.ends_with("ch") || lemma.ends_with("sh") {
        format!("{lemma}es")
    } else if last == b'y' && !vowel(before) {
        format!("{}ies", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}s")
    };
    let (past, ing) = if DOUBLING.contains(&lemma) {
        let d = last as char;
        (format!("{lemma}{d}ed"), format!("{lemma}{d}ing"))
    } else if last == b'e' {
        let stem = &lemma[..lemma.len() - 1];
        let ing = if lemma.ends_with("ee") { format!("{lemma}ing") } else { format!("{stem}ing") };
        (format!("{lemma}d"), ing)
    } else if last == b'y' && !vowel(before) {
        (format!("{}ied", &lemma[..lemma.len() - 1]), format!("{lemma}ing"))
    } else {
        (format!("{lemma}ed"), format!("{lemma}ing"))
    };
    [third, past.clone(), ing, past]
}

fn table() -> &'static FxHashMap<String, CueWord> {
    static TABLE: OnceLock<FxHashMap<String, CueWord>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for &(lemma, strength, takes_object, irregular) in VERBS {
            let [third, past, ing, participle] = forms(lemma, irregular);
            let entries = [
                (lemma.to_string(), Form::Base),
                (third, Form::ThirdPerson),
                (past, Form::Past),
                (participle, Form::Past),
                (ing, Form::Ing),
            ];
            for (word, form) in entries {
                if NOT_CUES.contains(&word.as_str()) {
                    continue;
                }
                map.entry(word).or_insert(CueWord { lemma, form, strength, takes_object });
            }
        }
        map
    })
}

/// [`table`] keyed by packed words ([`pack_word`]): asked for nearly every token, so one
/// `u128` hash and compare per word instead of hashing and comparing bytes.
fn packed_table() -> &'static FxHashMap<u128, CueWord> {
    static TABLE: OnceLock<FxHashMap<u128, CueWord>> = OnceLock::new();
    // Every form fits (a test checks): none is lost by packing.
    TABLE.get_or_init(|| table().iter().filter_map(|(w, &c)| Some((pack_word(w, |b| b)?, c))).collect())
}

/// The cue a word is, if it is one (ASCII capitals are read as lower case).
pub fn cue_word(word: &str) -> Option<CueWord> {
    // Packing lower-cases ASCII bytes on the way (what `to_ascii_lowercase` would do);
    // a word too long to pack is no cue.
    let key = pack_word(word, |b| b.to_ascii_lowercase())?;
    packed_table().get(&key).copied()
}

/// [`cue_word`] as it was, through the `String` map (the tests compare the two).
#[cfg(test)]
fn cue_word_plain(word: &str) -> Option<CueWord> {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        return cue_word_plain(&word.to_ascii_lowercase());
    }
    table().get(word).copied()
}

/// Number of distinct cue word forms (reported in docs and tests).
pub fn lexicon_size() -> usize {
    table().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packed table answers as the `String` map: every form, in capitals, with a
    /// letter more or less, and odd words.
    #[test]
    fn packed_lookup_equals_plain() {
        assert!(table().keys().all(|w| pack_word(w, |b| b).is_some()), "a cue form is too long to pack");
        let mut probes: Vec<String> = vec!["".into(), "SAID".into(), "Said".into(), "saïd".into(), "said\0".into(), "x".repeat(16), "acknowledgements".into()];
        for w in table().keys() {
            probes.extend([w.clone(), w.to_uppercase(), format!("{w}s"), w[..w.len() - 1].to_string(), format!("{w}\u{e9}")]);
        }
        for p in &probes {
            assert_eq!(cue_word(p), cue_word_plain(p), "{p:?}");
        }
    }

    #[test]
    fn inflections() {
        let cases = [
            ("said", Some(("say", Form::Past))),
            ("says", Some(("say", Form::ThirdPerson))),
            ("saying", Some(("say", Form::Ing))),
            ("told", Some(("tell", Form::Past))),
            ("reported", Some(("report", Form::Past))),
            ("arguing", Some(("argue", Form::Ing))),
            ("denies", Some(("deny", Form::ThirdPerson))),
            ("denied", Some(("deny", Form::Past))),
            ("admitted", Some(("admit", Form::Past))),
            ("stresses", Some(("stress", Form::ThirdPerson))),
            ("Announced", Some(("announce", Form::Past))),
            ("wrote", Some(("write", Form::Past))),
            ("written", Some(("write", Form::Past))),
            ("agreeing", Some(("agree", Form::Ing))),
            ("state", None),
            ("table", None),
        ];
        for (word, want) in cases {
            assert_eq!(cue_word(word).map(|c| (c.lemma, c.form)), want, "{word}");
        }
        assert!(lexicon_size() > 400);
    }
}

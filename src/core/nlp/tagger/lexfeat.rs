//! Lexicon membership of one token as feature bits: the tagger learns how much to trust
//! "is a given name", "is a city", … from the training data instead of hard rules.
//!
//! Single tokens only (multi-word names are the rules' business). Lookups are done once
//! per distinct lower-cased form and only for tokens that can matter (capitalised words,
//! plus role nouns in lower case), which keeps the cost per token small.

use std::sync::OnceLock;

use crate::core::nlp::fasthash::FxHashMap;
use crate::core::nlp::lexicon::Lexicon;

/// Bit numbers (stable: the model's features are keyed by them).
pub mod bit {
    pub const GIVEN_STRONG: u32 = 0;
    pub const GIVEN: u32 = 1;
    pub const SURNAME: u32 = 2;
    pub const COUNTRY_STATE: u32 = 3;
    pub const CITY: u32 = 4;
    pub const REGION: u32 = 5;
    pub const NORP: u32 = 6;
    pub const ORG: u32 = 7;
    pub const ORG_HEAD: u32 = 8;
    pub const ORG_PREFIX: u32 = 9;
    pub const ROLE_TITLE: u32 = 10;
    pub const ROLE_NOUN: u32 = 11;
    pub const HONORIFIC: u32 = 12;
    pub const MONTH: u32 = 13;
    pub const WEEKDAY: u32 = 14;
}

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The bits one lower-cased key earns from the tables, split by the two conditions the
/// lookup applies: entries flagged `A` count only for words in capitals, and only role
/// bits count for a word that does not start with a capital.
#[derive(Clone, Copy, Default)]
struct KeyBits {
    roles: u32,
    roles_caps: u32,
    other: u32,
    other_caps: u32,
}

/// One hash lookup per word instead of one per table: every key of every table with
/// the bits its payloads give, built on first use.
fn merged() -> &'static FxHashMap<&'static str, KeyBits> {
    static MERGED: OnceLock<FxHashMap<&'static str, KeyBits>> = OnceLock::new();
    MERGED.get_or_init(|| {
        let mut m: FxHashMap<&'static str, KeyBits> = FxHashMap::default();
        let mut add = |lex: Lexicon, bits_of: &dyn Fn(&str) -> u32, role: bool| {
            for (k, p) in lex.table().iter() {
                let bits = bits_of(p);
                let e = m.entry(k).or_default();
                match (role, p.contains('A')) {
                    (true, false) => e.roles |= bits,
                    (true, true) => e.roles_caps |= bits,
                    (false, false) => e.other |= bits,
                    (false, true) => e.other_caps |= bits,
                }
            }
        };
        add(Lexicon::Roles, &|p| 1 << if p.starts_with('t') { bit::ROLE_TITLE } else { bit::ROLE_NOUN }, true);
        add(Lexicon::Given, &|p| 1 << bit::GIVEN | u32::from(!p.contains('w')) << bit::GIVEN_STRONG, false);
        add(Lexicon::Surnames, &|_| 1 << bit::SURNAME, false);
        add(
            Lexicon::Places,
            &|p| match p.bytes().next() {
                Some(b'c' | b's') => 1 << bit::COUNTRY_STATE,
                Some(b't') => 1 << bit::CITY,
                Some(b'r') => 1 << bit::REGION,
                _ => 0,
            },
            false,
        );
        add(Lexicon::Norp, &|_| 1 << bit::NORP, false);
        add(Lexicon::Orgs, &|_| 1 << bit::ORG, false);
        add(Lexicon::OrgWords, &|p| u32::from(p.contains('h')) << bit::ORG_HEAD | u32::from(p.contains('p')) << bit::ORG_PREFIX, false);
        add(Lexicon::Honorifics, &|_| 1 << bit::HONORIFIC, false);
        m
    })
}

/// Runs `f` on the lookup form of `word` (lower case, curly apostrophes straight, as the
/// tables store keys) without allocating for short ASCII words.
fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    const MAX: usize = 64;
    if word.is_ascii() && word.len() <= MAX {
        let mut buf = [0u8; MAX];
        let out = &mut buf[..word.len()];
        out.copy_from_slice(word.as_bytes());
        out.make_ascii_lowercase();
        // Lower-cased ASCII is ASCII, so this never fails; the fallback keeps it total.
        if let Ok(k) = std::str::from_utf8(out) {
            return f(k);
        }
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c }).collect();
    f(&lower)
}

/// The lexicon bits of one token's text.
pub fn lexicon_bits(word: &str) -> u32 {
    let Some(first) = word.chars().next() else { return 0 };
    if !first.is_alphabetic() {
        return 0;
    }
    let all_caps = !word.chars().any(char::is_lowercase);
    with_lower(word, |lower| {
        let e = merged().get(lower).copied().unwrap_or_default();
        let caps = |any: u32, gated: u32| any | if all_caps { gated } else { 0 };
        let mut bits = caps(e.roles, e.roles_caps);
        if !first.is_uppercase() {
            return bits;
        }
        bits |= caps(e.other, e.other_caps);
        let bare = lower.trim_end_matches('.');
        if Lexicon::Honorifics.table().get(bare).is_some() {
            bits |= 1 << bit::HONORIFIC;
        }
        if MONTHS.iter().any(|m| *m == bare || (bare.len() >= 3 && m.starts_with(bare) && word.ends_with('.'))) {
            bits |= 1 << bit::MONTH;
        }
        if WEEKDAYS.contains(&bare) {
            bits |= 1 << bit::WEEKDAY;
        }
        bits
    })
}

/// The same bits by one lookup per table (the definition `lexicon_bits` is tested
/// against).
#[cfg(test)]
fn lexicon_bits_per_table(word: &str) -> u32 {
    let Some(first) = word.chars().next() else { return 0 };
    if !first.is_alphabetic() {
        return 0;
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c }).collect();
    let all_caps = !word.chars().any(char::is_lowercase);
    let get = |lex: Lexicon| -> Option<&'static str> {
        let p = lex.table().get(&lower)?;
        (!p.contains('A') || all_caps).then_some(p)
    };
    let mut bits = 0u32;
    let mut set = |b: u32, on: bool| {
        if on {
            bits |= 1 << b;
        }
    };
    if let Some(p) = get(Lexicon::Roles) {
        set(if p.starts_with('t') { bit::ROLE_TITLE } else { bit::ROLE_NOUN }, true);
    }
    if !first.is_uppercase() {
        return bits;
    }
    if let Some(p) = get(Lexicon::Given) {
        set(bit::GIVEN, true);
        set(bit::GIVEN_STRONG, !p.contains('w'));
    }
    set(bit::SURNAME, get(Lexicon::Surnames).is_some());
    match get(Lexicon::Places).and_then(|p| p.bytes().next()) {
        Some(b'c' | b's') => set(bit::COUNTRY_STATE, true),
        Some(b't') => set(bit::CITY, true),
        Some(b'r') => set(bit::REGION, true),
        _ => {}
    }
    set(bit::NORP, get(Lexicon::Norp).is_some());
    set(bit::ORG, get(Lexicon::Orgs).is_some());
    if let Some(p) = get(Lexicon::OrgWords) {
        set(bit::ORG_HEAD, p.contains('h'));
        set(bit::ORG_PREFIX, p.contains('p'));
    }
    let bare = lower.trim_end_matches('.');
    set(bit::HONORIFIC, get(Lexicon::Honorifics).is_some() || Lexicon::Honorifics.table().get(bare).is_some());
    set(bit::MONTH, MONTHS.iter().any(|m| *m == bare || (bare.len() >= 3 && m.starts_with(bare) && word.ends_with('.'))));
    set(bit::WEEKDAY, WEEKDAYS.contains(&bare));
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of every table, in its own case, in capitals, and title-cased, plus
    /// tricky forms: the merged lookup must equal one lookup per table.
    #[test]
    fn merged_lookup_equals_per_table_lookups() {
        let mut words: Vec<String> = ["", "É", "Mr.", "Dr", "Sept.", "Mon", "Ma’am", "US", "Us", "us", "İstanbul", "ǅ"].iter().map(|s| s.to_string()).collect();
        for lex in Lexicon::ALL {
            for (k, _) in lex.table().iter() {
                let mut title = k.to_string();
                if let Some(c) = k.chars().next() {
                    title = c.to_uppercase().collect::<String>() + &k[c.len_utf8()..];
                }
                words.extend([k.to_string(), k.to_uppercase(), title, format!("{k}.")]);
            }
        }
        for w in &words {
            assert_eq!(lexicon_bits(w), lexicon_bits_per_table(w), "{w:?}");
        }
    }

    #[test]
    fn table() {
        let has = |w: &str, b: u32| lexicon_bits(w) & (1 << b) != 0;
        let table = [
            ("Caroline", bit::GIVEN_STRONG, true),
            ("Russia", bit::COUNTRY_STATE, true),
            ("Russian", bit::NORP, true),
            ("March", bit::MONTH, true),
            ("Jan.", bit::MONTH, true),
            ("Wednesday", bit::WEEKDAY, true),
            ("spokeswoman", bit::ROLE_TITLE, true),
            ("russia", bit::COUNTRY_STATE, false),
            ("", bit::GIVEN, false),
            ("3", bit::GIVEN, false),
        ];
        for (w, b, want) in table {
            assert_eq!(has(w, b), want, "{w} bit {b}: {:b}", lexicon_bits(w));
        }
    }
}

//! Lexicon membership of one token as feature bits: the tagger learns how much to trust
//! "is a given name", "is a city", … from the training data instead of hard rules.
//!
//! Single tokens only (multi-word names are the rules' business). Lookups are done once
//! per distinct lower-cased form and only for tokens that can matter (capitalised words,
//! plus role nouns in lower case), which keeps the cost per token small.

use crate::extract::lexicon::Lexicon;

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

/// The lexicon bits of one token's text.
pub fn lexicon_bits(word: &str) -> u32 {
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

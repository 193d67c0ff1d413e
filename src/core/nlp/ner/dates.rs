//! The date grammar: calendar expressions as DATE spans, each date of a range on its own,
//! without prepositions ("on March 11" → "March 11"; "March 12 to March 16" → two dates).
//!
//! Forms: weekday ("Wednesday", "Tuesday, June 19, 2018"), month + day (+ year)
//! ("March 12", "Feb. 9, 1940", "Jun 21 2022"), day + month (+ year) ("12 March 2025"),
//! month + year ("March 2020"), a lone month name ("in June"; "May" only with a number or a
//! date preposition), years ("in 2019", "the 1990s") and deictic periods
//! ("this week", "last month", "next year"). Durations ("30-day") are not dates.

use crate::core::model::span::Span;
use crate::core::nlp::tokenize::{Token, TokenKind};

const MONTHS: Words = Words::new(&[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
]);
const MONTH_ABBREVIATIONS: Words = Words::new(&["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]);
const WEEKDAYS: Words = Words::new(&["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
const DEICTIC: Words = Words::new(&["this", "last", "next", "past", "coming"]);
const PERIODS: Words = Words::new(&["week", "month", "year", "weekend"]);
/// Words before "May" that make it the month ("in May", "since May").
const MONTH_PREPOSITIONS: Words = Words::new(&["in", "since", "until", "till", "by", "from", "of", "last", "next", "early", "late", "mid", "through", "before", "after", "during", "this"]);
const MAY: Words = Words::new(&["may"]);
const DURATION_WORDS: Words = Words::new(&["day", "days", "week", "weeks", "month", "months", "year", "years", "old", "long"]);

/// A list of lower-case ASCII words with the set of their first letters, so that most
/// words (tested for every token) are ruled out by one bit test on their first byte.
struct Words {
    list: &'static [&'static str],
    /// Bit `k` set when some word starts with the letter `b'a' + k`.
    firsts: u32,
}

impl Words {
    /// Panics at compile time (const evaluation) if a word is empty or does not start with
    /// a lower-case ASCII letter.
    const fn new(list: &'static [&'static str]) -> Words {
        let mut firsts = 0u32;
        let mut k = 0;
        while k < list.len() {
            let b = list[k].as_bytes()[0];
            assert!(b.is_ascii_lowercase());
            firsts |= 1 << (b - b'a');
            k += 1;
        }
        Words { list, firsts }
    }
}

/// Word view of the tokens the grammar reads.
struct View<'t> {
    text: &'t str,
    tokens: &'t [Token],
}

impl<'t> View<'t> {
    fn word(&self, i: usize) -> &'t str {
        self.tokens.get(i).map(|t| t.text(self.text)).unwrap_or("")
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// Word `i` in lower case is one of `list`.
    fn lower_in(&self, i: usize, list: &Words) -> bool {
        lower_in(self.word(i), list)
    }

    /// A month name at `i` (capitalised); returns the index after it (and after a
    /// detached abbreviation period: "Feb . 9").
    fn month(&self, i: usize) -> Option<usize> {
        let w = self.word(i);
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        let l = w.trim_end_matches('.');
        if lower_in(l, &MONTHS) {
            return Some(i + 1);
        }
        if lower_in(l, &MONTH_ABBREVIATIONS) {
            // "Feb." is one token; "Feb ." (rebuilt text) has a detached period.
            if !w.ends_with('.') && self.word(i + 1) == "." && self.day(i + 2).is_some() {
                return Some(i + 2);
            }
            return Some(i + 1);
        }
        None
    }

    /// A weekday, also plural ("on Mondays").
    fn weekday(&self, i: usize) -> bool {
        let w = self.word(i);
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        if w.is_ascii() {
            // The lower case ends in "s" exactly when the word ends in "s" or "S".
            let stem = w.strip_suffix(['s', 'S']).unwrap_or(w);
            return lower_in(stem, &WEEKDAYS) || lower_in(w, &WEEKDAYS);
        }
        let l = w.to_lowercase();
        WEEKDAYS.list.contains(&l.strip_suffix('s').filter(|s| WEEKDAYS.list.contains(s)).unwrap_or(&l))
    }

    /// A day of the month: 1–31, optionally "12th".
    fn day(&self, i: usize) -> Option<usize> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let w = self.word(i);
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        (1..=31).contains(&n).then_some(i + 1)
    }

    /// A year 1000–2199 (also "1990s").
    fn year(&self, i: usize) -> Option<usize> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let w = self.word(i);
        let digits = w.strip_suffix('s').unwrap_or(w);
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        (1000..=2199).contains(&n).then_some(i + 1)
    }

    /// Skips an optional comma at `i`.
    fn comma(&self, i: usize) -> usize {
        if self.word(i) == "," {
            i + 1
        } else {
            i
        }
    }

    fn span(&self, from: usize, to: usize) -> Option<Span> {
        let a = self.tokens.get(from)?;
        let b = self.tokens.get(to.checked_sub(1)?)?;
        Some(Span::new(a.span.start, b.span.end))
    }
}

/// Month [day [, year]] or month year, starting at `i`; returns the end index.
fn month_date(v: &View, i: usize) -> Option<usize> {
    let m = v.month(i)?;
    if let Some(d) = v.day(m) {
        // Not "March 12-13" years: a day followed by a year ("March 12, 2025").
        let c = v.comma(d);
        if let Some(y) = v.year(c) {
            return Some(y);
        }
        return Some(d);
    }
    if let Some(y) = v.year(m) {
        return Some(y);
    }
    // A lone month: "May" needs a preposition before it (it is also a verb).
    let l = v.word(i).trim_end_matches('.');
    let abbreviated = lower_in(l, &MONTH_ABBREVIATIONS);
    if abbreviated {
        return None;
    }
    if lower_in(l, &MAY) {
        let prev = i.checked_sub(1).is_some_and(|p| v.lower_in(p, &MONTH_PREPOSITIONS));
        if !prev {
            return None;
        }
    }
    Some(m)
}

/// Whether `text` may hold a date at all: `false` only when [`dates`] over its tokens is
/// certainly empty, so callers can skip tokenizing it (most short spans hold none).
///
/// Why that is exact: days and years are number tokens, which start with a numeric char;
/// every other form needs a word that lower-cases to a listed month, weekday or deictic
/// word. Such a word is made of ASCII letters only (no other char lower-cases to exactly
/// one ASCII letter except the Kelvin sign, to "k", in no listed word), so the text holds
/// its first three letters in some case.
pub fn may_hold_date(text: &str) -> bool {
    if text.chars().any(char::is_numeric) {
        return true;
    }
    text.as_bytes().windows(3).any(|w| {
        let l = [w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase(), w[2].to_ascii_lowercase()];
        STEMS.iter().any(|s| **s == l)
    })
}

/// The first three letters of every month, month abbreviation and weekday, then of every
/// deictic word, lower case.
const STEMS: [&[u8; 3]; 24] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec", b"mon", b"tue",
    b"wed", b"thu", b"fri", b"sat", b"sun", b"thi", b"las", b"nex", b"pas", b"com",
];

/// Whether `word` starts with a month's or weekday's first three letters, in any case:
/// `false` means it is neither (their lower case would have to start so, and only ASCII
/// letters lower-case to ASCII letters, but for the Kelvin sign's "k", in none of them).
fn calendar_stem(word: &str) -> bool {
    match word.as_bytes() {
        [a, b, c, ..] => {
            let l = [a.to_ascii_lowercase(), b.to_ascii_lowercase(), c.to_ascii_lowercase()];
            STEMS[..19].iter().any(|s| **s == l)
        }
        _ => false,
    }
}

/// Finds the dates in `tokens` (all of one text). Spans are in text order and disjoint.
pub fn dates(text: &str, tokens: &[Token]) -> Vec<Span> {
    let v = View { text, tokens };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let end = match_at(&v, i);
        match end.and_then(|e| v.span(i, e).map(|s| (e, s))) {
            Some((e, s)) => {
                out.push(s);
                i = e.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

fn match_at(v: &View, i: usize) -> Option<usize> {
    // Every form but the deictic one starts with a capital (weekday, month) or a number
    // (day, year): most tokens need only that last test.
    let capital = v.word(i).chars().next().is_some_and(char::is_uppercase);
    let number = v.kind(i) == Some(TokenKind::Number);
    if !capital && !number {
        return deictic(v, i);
    }
    // A capitalised word starts a date below only as a weekday or a month (days and years
    // are numbers): without their stem, only the deictic form is left (most names).
    if !number && !calendar_stem(v.word(i)) {
        return deictic(v, i);
    }
    // Weekday, optionally with its date: "Tuesday, June 19, 2018".
    if v.weekday(i) {
        let c = v.comma(i + 1);
        if let Some(e) = month_date(v, c).filter(|&e| e > c + 1) {
            return Some(e);
        }
        return Some(i + 1);
    }
    if let Some(e) = month_date(v, i) {
        return Some(e);
    }
    // Day month [year]: "12 March 2025".
    if let Some(d) = v.day(i) {
        if let Some(m) = v.month(d) {
            if v.lower_in(d, &MONTHS) || v.word(d).ends_with('.') || m > d + 1 {
                return Some(v.year(m).unwrap_or(m));
            }
        }
    }
    // A year standing alone, not an amount: no currency before, no unit after.
    if let Some(y) = v.year(i) {
        let prev = i.checked_sub(1).map(|p| v.word(p)).unwrap_or("");
        let next = v.word(y);
        let money = matches!(prev, "$" | "€" | "£" | "¥" | "US$" | "#");
        let unit = next == "%" || next.eq_ignore_ascii_case("percent") || v.kind(y) == Some(TokenKind::Number);
        let glued = v.tokens.get(y).is_some_and(|t| v.tokens.get(i).is_some_and(|c| c.span.end == t.span.start) && t.kind == TokenKind::Hyphen);
        let after_number = i.checked_sub(1).is_some_and(|p| v.kind(p) == Some(TokenKind::Number));
        if !(money || unit || after_number || glued && is_duration_word(v.word(y + 1))) {
            return Some(y);
        }
    }
    deictic(v, i)
}

/// "this week", "last month", "next year".
fn deictic(v: &View, i: usize) -> Option<usize> {
    (v.lower_in(i, &DEICTIC) && v.lower_in(i + 1, &PERIODS)).then_some(i + 2)
}

fn is_duration_word(w: &str) -> bool {
    lower_in(w, &DURATION_WORDS)
}

/// `word.to_lowercase()` is one of `words`, mostly decided by the first byte alone.
fn lower_in(word: &str, words: &Words) -> bool {
    // Lower-casing maps char by char, so a word whose first char is ASCII lower-cases to
    // a string starting with that char's ASCII lower case: if no listed word starts with
    // it, none is equal. (The empty word equals none: every listed word has a letter.)
    match word.as_bytes().first() {
        None => false,
        Some(&b) if b.is_ascii() => {
            let l = b.to_ascii_lowercase();
            l.is_ascii_lowercase() && words.firsts & (1 << (l - b'a')) != 0 && lower_in_list(word, words.list)
        }
        Some(_) => lower_in_list(word, words.list),
    }
}

/// `word.to_lowercase()` is one of `list` (lower-case ASCII words), without allocating for
/// ASCII words (nearly all): there, lower-casing is byte-wise.
fn lower_in_list(word: &str, list: &[&str]) -> bool {
    // ASCII lower-casing keeps the length, so most entries are ruled out by it. A word
    // with other chars never equals an ASCII entry byte for byte (bytes over 0x7f stay),
    // but its Unicode lower case might: only then is it lower-cased for real.
    list.iter().any(|l| l.len() == word.len() && l.eq_ignore_ascii_case(word))
        || !word.is_ascii() && list.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nlp::tokenize::tokenize;

    fn run(text: &str) -> Vec<&str> {
        dates(text, &tokenize(text)).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn grammar() {
        let cases: &[(&str, &[&str])] = &[
            ("He will be in Moscow from March 12 to March 16.", &["March 12", "March 16"]),
            ("talks in Jeddah on March 11.", &["March 11"]),
            ("The Kremlin said on Wednesday that", &["Wednesday"]),
            ("set to visit Moscow this week to urge", &["this week"]),
            ("a 30-day ceasefire", &[]),
            ("It was Tuesday, June 19, 2018 in Moscow", &["Tuesday, June 19, 2018"]),
            ("Born on Feb . 9 , 1940 in", &["Feb . 9 , 1940"]),
            ("on Jun 21 2022 the", &["Jun 21 2022"]),
            ("in March 2020 and in 2019 and the 1990s", &["March 2020", "2019", "1990s"]),
            ("You may go in May.", &["May"]),
            ("on 12 March 2025 they", &["12 March 2025"]),
            ("it cost $2019 or 2019 %", &[]),
            ("Sept. 4 was", &["Sept. 4"]),
            ("last year and next month", &["last year", "next month"]),
            ("on Mondays", &["Mondays"]),
        ];
        for (text, want) in cases {
            assert_eq!(run(text), *want, "{text}");
        }
    }

    #[test]
    fn first_letter_filter_equals_plain_lookup() {
        let lists = [&MONTHS, &MONTH_ABBREVIATIONS, &WEEKDAYS, &DEICTIC, &PERIODS, &MONTH_PREPOSITIONS, &MAY, &DURATION_WORDS];
        let mut words: Vec<String> = ["", "May", "MAY", "may", "\u{212a}", "Ｍay", "İn", "ÉTÉ", "1990", "-", "This", "tHIS", "thi", "Öf"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for l in &lists {
            for w in l.list {
                words.push(w.to_string());
                words.push(w.to_uppercase());
                words.push(format!("{w}s"));
                words.push(w[1..].to_string());
            }
        }
        for w in &words {
            for l in &lists {
                assert_eq!(lower_in(w, l), lower_in_list(w, l.list), "{w:?} in {:?}", l.list);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn first_letter_filter_equals_plain_lookup_any(w in "\\PC{0,8}|[a-zA-Z\u{212a}\u{130}]{0,9}") {
            for l in [&MONTHS, &MONTH_ABBREVIATIONS, &WEEKDAYS, &DEICTIC, &PERIODS, &MONTH_PREPOSITIONS, &MAY, &DURATION_WORDS] {
                proptest::prop_assert_eq!(lower_in(&w, l), lower_in_list(&w, l.list));
            }
        }
    }

    /// Every listed word's first three letters are stems of [`may_hold_date`].
    #[test]
    fn date_stems_cover_every_listed_word() {
        for l in [&MONTHS, &MONTH_ABBREVIATIONS, &WEEKDAYS, &DEICTIC] {
            for w in l.list {
                assert!(may_hold_date(w), "{w}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn no_date_where_prefilter_says_none(t in "(May|MARCH|Sept|sun|Tuesdays|this|Last|week|month|[A-Za-z .,'’\u{212a}\u{130}]|[0-9]|٣){0,12}") {
            if !may_hold_date(&t) {
                proptest::prop_assert!(dates(&t, &tokenize(&t)).is_empty(), "{:?}", t);
            }
        }
    }

    /// Every month and weekday form the grammar reads has a calendar stem, in any case:
    /// the shortcut in `match_at` skips no date.
    #[test]
    fn calendar_words_have_stems() {
        for list in [&MONTHS, &MONTH_ABBREVIATIONS, &WEEKDAYS] {
            for w in list.list {
                for form in [w.to_string(), w.to_uppercase(), format!("{w}."), format!("{w}s"), format!("{}{}", w[..1].to_uppercase(), &w[1..])] {
                    assert!(calendar_stem(&form), "{form:?}");
                }
            }
        }
        for w in ["Ma", "", "Trump", "Jordan", "\u{212A}an"] {
            assert!(!calendar_stem(w), "{w:?}");
        }
    }

    #[test]
    fn odd_input() {
        for t in ["", "May", "March", "2019", "Feb .", "this"] {
            let _ = run(t);
        }
    }
}

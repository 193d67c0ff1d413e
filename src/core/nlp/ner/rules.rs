//! The rules: a left-to-right scan of each sentence that tries, at every capitalised word,
//! an organisation name ending in an organisation word ("Interior Ministry"), a lexicon
//! name of several words ("Saudi Arabia", "White House", "Secretary of State"), a person
//! name (given name + capitalised words, or a name after a title or honorific), a
//! one-word lexicon name, a capitalised title (ROLE), an acronym (ORG). Lower-case role
//! nouns become ROLE only right before a name ("spokeswoman Caroline Leavitt"). A
//! document pass then tags the other mentions of names already found ("Leavitt" after
//! "Caroline Leavitt"), and the date grammar runs over the whole text.

use super::{dates, Evidence, Found, Proposal};
use crate::core::model::label::Label;
use crate::core::nlp::fasthash::{pack_word, FxHashMap, FxHashSet};
use crate::core::nlp::lexicon::{self, Lexicon, NameTable, Names, PlaceKind};
use crate::core::model::span::Span;
use crate::core::nlp::tokenize::{overlapping, QuoteRole, Token, TokenKind};
use std::cell::Cell;
use std::sync::OnceLock;

/// Longest lexicon key in words that the scan tries.
const MAX_WORDS: usize = 7;

/// Lower-case words allowed inside a capitalised name ("Bank of England", "Osama bin Laden").
const CONNECTORS: &[&str] = &["of", "for", "and", "&", "on", "de", "del", "della", "la", "le", "du", "da", "dos", "das", "van", "von", "der", "den", "bin", "ibn", "al", "el", "y", "di"];
/// Particles inside person names.
const NAME_PARTICLES: &[&str] = &["de", "del", "della", "la", "le", "du", "da", "dos", "das", "van", "von", "der", "den", "bin", "ibn", "al", "el", "di", "ben", "abu"];

/// Capitalised words that open sentences or headlines and are never names by themselves.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "your",
    "this", "that", "these", "those", "there", "here", "but", "and", "or", "so", "yet", "if", "when", "while",
    "after", "before", "as", "at", "in", "on", "for", "from", "with", "without", "by", "to", "of", "about",
    "however", "meanwhile", "still", "also", "according", "some", "many", "most", "all", "any", "each", "every",
    "no", "not", "now", "then", "what", "why", "how", "who", "whom", "which", "where", "earlier", "later", "last",
    "next", "since", "despite", "under", "although", "though", "asked", "both", "other", "another", "such",
    "only", "even", "just", "more", "less", "much", "few", "several", "one", "two", "three", "four", "five",
    "first", "second", "third", "new", "old", "mr", "mrs", "ms", "dr", "yes", "oh", "well", "instead",
    "because", "until", "unless", "whether", "over", "into", "through", "during", "against", "between",
    "among", "amid", "across", "around", "behind", "beyond", "near", "outside", "inside", "within", "upon",
    "via", "per", "than", "like", "unlike", "including", "regarding", "following", "later", "today",
    "yesterday", "tomorrow", "tonight", "reports", "sources", "officials", "experts", "analysts", "critics",
    "residents", "people", "police", "authorities", "it's", "let", "please", "thanks", "thank", "dear",
    "is", "was", "are", "were", "be", "been", "has", "have", "had", "do", "does", "did", "will", "would",
    "can", "could", "may", "might", "must", "shall", "should", "said", "says", "say", "told", "added",
];

/// [`FUNCTION_WORDS`] as a set: every token and every proposal is checked.
fn function_words() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| FUNCTION_WORDS.iter().copied().collect())
}

/// [`FUNCTION_WORDS`] packed (see [`pack_word`]): asked once per token.
fn function_words_packed() -> &'static FxHashSet<u128> {
    static SET: OnceLock<FxHashSet<u128>> = OnceLock::new();
    SET.get_or_init(|| FUNCTION_WORDS.iter().filter_map(|w| pack_word(w, |b| b)).collect())
}

/// A function word, given in lower case, ignoring a final period.
fn is_function_lower(lower: &str) -> bool {
    // The longest entry and the bytes entries start with: most tokens (punctuation,
    // numbers, long words) are ruled out without hashing.
    static SHAPE: OnceLock<(usize, [bool; 256])> = OnceLock::new();
    let (longest, firsts) = SHAPE.get_or_init(|| {
        let mut firsts = [false; 256];
        for w in FUNCTION_WORDS {
            if let Some(&b) = w.as_bytes().first() {
                firsts[usize::from(b)] = true;
            }
        }
        (FUNCTION_WORDS.iter().map(|w| w.len()).max().unwrap_or(0), firsts)
    });
    let word = lower.trim_end_matches('.');
    let plausible = word.len() <= *longest && word.as_bytes().first().is_some_and(|&b| firsts[usize::from(b)]);
    // Every entry is short enough to pack (a test checks), so an unpackable word is none.
    plausible && pack_word(word, |b| b).is_some_and(|k| function_words_packed().contains(&k))
}

/// Common non-name acronyms that the acronym rule must not call organisations.
const NOT_ORG_ACRONYMS: &[&str] = &[
    "AM", "PM", "TV", "GDP", "CEO", "CFO", "COO", "CTO", "MP", "MPS", "OK", "USD", "EUR", "GBP", "COVID", "AIDS",
    "HIV", "DNA", "RNA", "ID", "IT", "AI", "PR", "VIP", "FAQ", "PDF", "URL", "GMT", "UTC", "BC", "AD", "SUV",
    "ATM", "PIN", "VAT", "GST", "IPO", "LNG", "CO2", "NB", "PS", "RIP", "LOL", "OMG", "FYI", "ASAP", "DIY",
    "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "A", "I", "U", "S", "KM", "MPH", "LGBT",
    "LGBTQ", "CCTV", "SMS", "GPS", "HQ", "PC", "NO", "MR", "MRS", "DR", "ST", "JR", "SR", "Q", "THE", "AND",
];

/// The word view of a token.
#[derive(Clone, Copy, Debug)]
struct W<'t> {
    text: &'t str,
    /// `text.to_lowercase()`, computed once per token (the rules ask for it many times).
    low: &'t str,
    span: Span,
    kind: TokenKind,
    /// Starts with an upper-case letter.
    cap: bool,
    /// At least two letters, none lower case.
    caps: bool,
    /// The first word of its sentence (or of a quote that opens it).
    initial: bool,
    /// The sentence is mostly capitals (a headline in caps): trust only lexicons.
    shout: bool,
    /// The sentence is in title case (a headline): capitalisation says nothing, so only
    /// lexicon-anchored names count.
    headline: bool,
    /// Inside boilerplate (never tagged) or punctuation that ends a name.
    blocked: bool,
    sentence: usize,
    /// `text` is ASCII (its lower case is a byte-wise map: the lexicon scan's fast path).
    ascii: bool,
    /// Some letter / some lower-case letter in `text` (whether a key is in capitals).
    alpha: bool,
    lowercase: bool,
    /// One of [`FUNCTION_WORDS`] (ignoring a final period).
    function: bool,
    /// One of [`CONNECTORS`].
    connector: bool,
    /// The keys that start with `low` (as a range), for ASCII tokens: the first and
    /// widest step of the name scan, one hash lookup per token. In [`Names::get`] for
    /// capitalised words, in [`Names::roles`] for the others (see [`Scan::lexicon_at`]).
    names: (usize, usize),
}

impl<'t> W<'t> {
    fn word(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Abbreviation | TokenKind::Number)
    }

    fn lower(&self) -> &'t str {
        self.low
    }

    fn is_function_word(&self) -> bool {
        self.function
    }

    /// May stand inside a multi-word lexicon name that must be capitalised: capitalised,
    /// not a word, a connector or a number ("Group of 20").
    fn caps_part(&self) -> bool {
        self.cap || !self.word() || self.connector || self.text.chars().next().is_some_and(|c| c.is_ascii_digit())
    }

    /// May stand inside a capitalised title ("Secretary of the Treasury").
    fn title_part(&self) -> bool {
        self.cap || !self.word() || self.connector || self.low == "the"
    }
}

fn build_view<'t>(text: &'t str, lows: &'t (String, Vec<(usize, usize)>), tokens: &[Token], sentences: &[Span], boilerplate: &[Span]) -> Vec<W<'t>> {
    let mut out: Vec<W<'t>> = Vec::with_capacity(tokens.len());
    let blocked = overlapping(tokens, boilerplate);
    let mut s = 0usize;
    for (n, t) in tokens.iter().enumerate() {
        while s < sentences.len() && sentences[s].end <= t.span.start {
            s += 1;
        }
        let tx = t.text(text);
        let low = lows.1.get(n).and_then(|&(a, b)| lows.0.get(a..b)).unwrap_or("");
        let ascii = tx.is_ascii();
        // ASCII chars answer the same byte-wise (most tokens), the others char by char.
        let (cap, letters, lowercase) = if ascii {
            let b = tx.as_bytes();
            (b.first().is_some_and(u8::is_ascii_uppercase), b.iter().filter(|c| c.is_ascii_alphabetic()).count(), b.iter().any(u8::is_ascii_lowercase))
        } else {
            let (mut letters, mut lowercase) = (0usize, false);
            for c in tx.chars() {
                letters += usize::from(c.is_alphabetic());
                lowercase |= c.is_lowercase();
            }
            (tx.chars().next().is_some_and(char::is_uppercase), letters, lowercase)
        };
        // Only a word can start a lexicon name (see `Scan::lexicon_at`).
        let starts_names = ascii && matches!(t.kind, TokenKind::Word | TokenKind::Abbreviation | TokenKind::Number);
        out.push(W {
            text: tx,
            low,
            span: t.span,
            kind: t.kind,
            cap,
            caps: letters >= 2 && !lowercase,
            initial: false,
            shout: false,
            headline: false,
            blocked: blocked.get(n).copied().unwrap_or(false),
            sentence: s,
            ascii,
            alpha: letters > 0,
            lowercase,
            function: is_function_lower(low),
            // Connectors are at most five bytes: longer words skip the list.
            connector: low.len() <= 5 && CONNECTORS.contains(&low),
            // One hash lookup for words of up to 15 bytes ([`Names::narrow_spaced`]).
            names: if starts_names {
                let index = if cap { Names::get() } else { Names::roles() };
                let r = index.narrow(index.all(), 0, low.as_bytes());
                (r.start, r.end)
            } else {
                (0, 0)
            },
        });
    }
    // Sentence-initial words and all-caps sentences.
    let mut i = 0;
    while i < out.len() {
        let sent = out[i].sentence;
        let mut j = i;
        while j < out.len() && out[j].sentence == sent {
            j += 1;
        }
        // Words with letters, those in capitals; content words (not function words unless
        // capitalised, never articles and short prepositions), those capitalised.
        let (mut words, mut caps, mut content, mut capped) = (0usize, 0usize, 0usize, 0usize);
        for x in &out[i..j] {
            if !(x.word() && x.alpha) {
                continue;
            }
            words += 1;
            caps += usize::from(x.caps);
            let minor = matches!(x.lower(), "a" | "an" | "the" | "of" | "in" | "on" | "at" | "to" | "for" | "and" | "or" | "as" | "by" | "with" | "from");
            if (!x.is_function_word() || x.cap) && !minor {
                content += 1;
                capped += usize::from(x.cap);
            }
        }
        let shout = words >= 3 && caps * 10 >= words * 6;
        // Headlines rarely end in a full stop; prose with many names does.
        let ends_terminal = (i..j).rev().find(|&k| !matches!(out[k].kind, TokenKind::Quote(_))).is_some_and(|k| out[k].kind == TokenKind::Terminal);
        let headline = !shout && !ends_terminal && content >= 4 && capped * 10 >= content * 8;
        for x in &mut out[i..j] {
            x.shout = shout;
            x.headline = headline;
        }
        let mut seen_word = false;
        for k in i..j {
            if out[k].word() {
                let after_open = k > i && matches!(out[k - 1].kind, TokenKind::Quote(q) if q.role != QuoteRole::Close);
                let after_colon = k > i && matches!(out[k - 1].text, ":" | "—" | "–");
                if !seen_word || after_open || after_colon {
                    out[k].initial = true;
                }
                seen_word = true;
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// What the name tables hold for one candidate key of [`Scan::lexicon_at`]: the
/// organisation and place payloads before the capitals rule, whether it is a nationality
/// (no capitals rule) and a role (looked up in lower case).
struct KeyHits {
    org: Option<&'static str>,
    place: Option<&'static str>,
    norp: bool,
    role: bool,
}

/// A lexicon hit over words `i..end`.
#[derive(Clone, Debug, PartialEq)]
struct Hit {
    end: usize,
    label: Label,
    /// The entry is also an ordinary English word.
    weak: bool,
}

struct Scan<'a, 't> {
    w: &'a [W<'t>],
    found: Vec<Found>,
    covered: Vec<bool>,
    /// Lower-case role candidates waiting for a name after them: (start, end) word index.
    pending_roles: Vec<(usize, usize)>,
    /// Per word, [`Scan::is_surname_like`] once asked (0: not yet, 1: no, 2: yes): it
    /// depends on the word alone, costs several lexicon lookups, and the person rule asks
    /// it again for each candidate start before the word.
    surname_like: Vec<Cell<u8>>,
}

/// Joins words `i..end` as written (single space where there was space).
fn key_of(w: &[W], i: usize, end: usize) -> String {
    let mut k = String::new();
    for j in i..end {
        if j > i && w[j].span.start > w[j - 1].span.end {
            k.push(' ');
        }
        k.push_str(w[j].text);
    }
    k
}

fn payload_weak(p: &str) -> bool {
    // A capitals-only entry ("US") matched in capitals is no ordinary word there.
    p.contains('w') && !p.contains('A')
}

impl<'a, 't> Scan<'a, 't> {
    fn push(&mut self, from: usize, to: usize, label: Label, confidence: f32, evidence: Evidence) {
        if from >= to || to > self.w.len() {
            return;
        }
        if (from..to).any(|k| self.covered[k] || self.w[k].blocked) {
            return;
        }
        let span = Span::new(self.w[from].span.start, self.w[to - 1].span.end);
        for k in from..to {
            self.covered[k] = true;
        }
        self.found.push(Found { span, label, confidence, evidence });
    }

    fn push_span(&mut self, from: usize, to: usize, span: Span, label: Label, confidence: f32, evidence: Evidence) {
        if from >= to || (from..to).any(|k| self.covered[k] || self.w[k].blocked) {
            return;
        }
        for k in from..to {
            self.covered[k] = true;
        }
        self.found.push(Found { span, label, confidence, evidence });
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.w.get(a).zip(self.w.get(b)).is_some_and(|(x, y)| x.sentence == y.sentence)
    }

    /// Whether word `k` may continue a name that started before it.
    fn name_word(&self, k: usize) -> bool {
        let Some(x) = self.w.get(k) else { return false };
        !x.blocked && !self.covered[k] && x.cap && matches!(x.kind, TokenKind::Word | TokenKind::Abbreviation) && !x.is_function_word()
    }

    /// The longest lexicon match starting at word `i` (capitalised start; every later
    /// non-connector word capitalised, unless `lower_ok` for role nouns).
    ///
    /// The candidate key grows a word at a time; the scan stops when no key of the name
    /// tables starts with it. While the words are ASCII, the key's lower case is the
    /// concatenation of the words' and [`Names`] narrows the matching keys incrementally;
    /// at the first other word it falls back to building and looking up the whole key
    /// (Unicode lower-casing is not per word: a final sigma depends on what follows).
    fn lexicon_at(&self, i: usize, lower_ok: bool) -> Option<Hit> {
        self.lexicon_at_by(i, lower_ok, true)
    }

    /// [`Self::lexicon_at`], on the fast path only if `fast_ok` (tests compare the two).
    fn lexicon_at_by(&self, i: usize, lower_ok: bool, fast_ok: bool) -> Option<Hit> {
        let w = self.w;
        let first_cap = w.get(i).is_some_and(|x| x.cap);
        // A name that starts in lower case can only be a role noun, when `lower_ok`, and
        // in lower case throughout: only the roles need searching, and only until a
        // capitalised word. (The general path keeps the full search, for the tests that
        // compare both.)
        let roles_only = fast_ok && !first_cap;
        if roles_only && !lower_ok {
            return None;
        }
        // No key starts with the first word (its search was done once for the document):
        // the loop below would stop at its first step. Most words end here.
        if fast_ok && w.get(i).is_some_and(|x| x.ascii && x.names.0 >= x.names.1) {
            return None;
        }
        let names = if roles_only { Names::roles() } else { Names::get() };
        let mut range = names.all();
        // Bytes of the lower-case key so far, while on the fast path.
        let mut done = 0usize;
        let mut fast = fast_ok;
        let mut best: Option<Hit> = None;
        // Over words i..end: all may stand in a capitalised name / title; all lower case;
        // the key has a letter / a lower-case letter.
        let (mut caps_ok, mut title_ok, mut all_lower, mut alpha, mut lowercase) = (true, true, true, false, false);
        let mut end = i;
        while end < w.len() && end - i < MAX_WORDS {
            let x = &w[end];
            if x.blocked || !self.same_sentence(i, end) {
                break;
            }
            let ok_token = match x.kind {
                TokenKind::Word | TokenKind::Abbreviation | TokenKind::Number => true,
                TokenKind::Hyphen => end > i,
                TokenKind::Punct => end > i && matches!(x.text, "&" | "+" | "."),
                _ => false,
            };
            if !ok_token {
                break;
            }
            let gap = end > i && x.span.start > w[end - 1].span.end;
            end += 1;
            caps_ok &= x.caps_part();
            title_ok &= x.title_part();
            all_lower &= !x.cap;
            if roles_only && !all_lower {
                break;
            }
            alpha |= x.alpha;
            lowercase |= x.lowercase;
            fast &= x.ascii;
            let hits = if fast {
                range = if done == 0 { x.names.0..x.names.1 } else { names.narrow_spaced(range, done, gap, x.low.as_bytes()) };
                done += usize::from(gap) + x.low.len();
                if range.is_empty() {
                    break;
                }
                let p = names.exact(&range, done).copied().unwrap_or([None; 4]);
                KeyHits {
                    org: p[NameTable::Orgs as usize],
                    place: p[NameTable::Places as usize],
                    norp: p[NameTable::Norp as usize].is_some(),
                    // Looked up by its lower-case form, which is never in capitals: `A`
                    // roles never match, nor empty payloads (as in `lexicon::role_kind`).
                    role: p[NameTable::Roles as usize].is_some_and(|p| !p.is_empty() && !p.contains('A')),
                }
            } else {
                match Self::lookup_key(w, i, end) {
                    Some(h) => h,
                    None => break,
                }
            };
            // Later words of a multi-word name are capitalised ("Saudi Arabia", not
            // "Saudi arabia"), except connectors; role nouns may be lower case.
            if first_cap && caps_ok {
                // Entries flagged `A` count only when the key is in capitals ("US", not "us").
                let caps_only = |p: &&str| !p.contains('A') || alpha && !lowercase;
                if let Some(p) = hits.org.filter(caps_only) {
                    best = Some(Hit { end, label: Label::Org, weak: payload_weak(p) });
                    continue;
                }
                if let Some(p) = hits.place.filter(caps_only) {
                    let kind = lexicon::place_kind_of_payload(p);
                    let label = if kind.is_some_and(PlaceKind::is_gpe) { Label::Gpe } else { Label::Loc };
                    best = Some(Hit { end, label, weak: payload_weak(p) });
                    continue;
                }
                if hits.norp {
                    best = Some(Hit { end, label: Label::Norp, weak: false });
                    continue;
                }
            }
            if hits.role {
                // Roles: as written in the text (title case), or lower case for nouns.
                if (first_cap && title_ok) || (lower_ok && all_lower) {
                    best = Some(Hit { end, label: Label::Role, weak: false });
                }
            }
        }
        best
    }

    /// The general path of [`Self::lexicon_at`] for words `i..end`: `None` when no name
    /// key starts with them, else what the tables hold for exactly them.
    fn lookup_key(w: &[W], i: usize, end: usize) -> Option<KeyHits> {
        let key = key_of(w, i, end);
        let lower = key.to_lowercase();
        let any_prefix = [Lexicon::Orgs, Lexicon::Places, Lexicon::Norp, Lexicon::Roles].iter().any(|l| l.table().has_prefix(&lower));
        if !any_prefix {
            return None;
        }
        Some(KeyHits {
            // `Lexicon::get` lowers `key` its own way (curly apostrophes straight); the
            // caller applies its capitals rule, from the same letters.
            org: Lexicon::Orgs.get_any_case(&key),
            place: Lexicon::Places.get_any_case(&key),
            norp: Lexicon::Norp.table().get(&lower).is_some(),
            role: lexicon::role_kind(&lower).is_some(),
        })
    }

    /// A capitalised run from `i`: capitalised words with connectors between them.
    fn cap_run(&self, i: usize) -> usize {
        let w = self.w;
        let mut end = i;
        let mut k = i;
        while k < w.len() && self.same_sentence(i, k) && !w[k].blocked && !self.covered[k] {
            let x = &w[k];
            if x.cap && matches!(x.kind, TokenKind::Word | TokenKind::Abbreviation) && !(k > i && x.is_function_word() && x.lower() != "new") {
                k += 1;
                end = k;
                continue;
            }
            if x.kind == TokenKind::Number && k > i && w[k - 1].cap && x.span.start > w[k - 1].span.end {
                // "G7", "Group 20": numbers inside names are rare; stop.
                break;
            }
            let conn = x.connector || x.text == "&";
            if conn && k > i && k + 1 < w.len() && w[k + 1].cap && !w[k + 1].is_function_word() && self.same_sentence(k, k + 1) {
                k += 1;
                continue;
            }
            break;
        }
        end
    }

    /// "Interior Ministry", "Ministry of Defence", "Bharatiya Janata Party": a capitalised
    /// run that ends in an organisation head word or starts with one before "of".
    fn org_run_at(&self, i: usize) -> Option<usize> {
        let w = self.w;
        let end = self.cap_run(i);
        if end < i + 2 {
            return None;
        }
        let first = lexicon::org_word(w[i].text);
        if first.is_some_and(|o| o.prefix) && w.get(i + 1).is_some_and(|x| matches!(x.lower(), "of" | "for" | "on")) {
            return Some(end);
        }
        // The last head word in the run closes the name ("Kenya Defence Forces said").
        (i + 1..end)
            .rev()
            .find(|&k| w[k].cap && lexicon::org_word(w[k].text).is_some_and(|o| o.head) && !w[k - 1].connector)
            .map(|k| k + 1)
    }

    /// A person name at `i`: honorific + name, or a given name + capitalised words.
    /// Returns (name start, end, span of the name), cutting a typo glued to a known name.
    fn person_at(&self, i: usize, after_title: bool) -> Option<(usize, usize, Span, Evidence)> {
        let w = self.w;
        let x = &w[i];
        if x.shout || !x.cap {
            return None;
        }
        let mut start = i;
        let honorific = lexicon::is_honorific(x.text) && x.text != "Sir" || matches!(x.text, "Mr" | "Mrs" | "Ms" | "Dr" | "Mr." | "Mrs." | "Ms." | "Dr.");
        if honorific {
            start = i + 1;
            // "Lt. Gov. Eric Holcomb", "Lt Gen Walter Koipaton": a title of two abbreviations.
            while start < i + 3 && self.name_word(start + 1) && self.same_sentence(i, start) && lexicon::is_office_abbreviation(w[start].text) {
                start += 1;
            }
            if !self.name_word(start) {
                return None;
            }
        } else {
            // One lookup for both questions (`is_strong_given_name`, `is_given_name`).
            let given_payload = Lexicon::Given.get(x.text);
            let given = given_payload.is_some_and(|p| !p.contains('w')) || (given_payload.is_some() && !x.initial);
            let next_ok = self.name_word(i + 1) && self.same_sentence(i, i + 1) && self.is_surname_like(i + 1);
            if !(after_title || (given && next_ok)) {
                return None;
            }
            if !after_title && (x.is_function_word() || lexicon::role_kind(x.lower()).is_some()) {
                return None;
            }
        }
        // Extend over name words, particles and initials, up to four words.
        let mut end = start + 1;
        while end < w.len() && end - start < 4 && self.same_sentence(start, end) {
            if self.name_word(end) && self.is_surname_like(end) {
                end += 1;
                continue;
            }
            if NAME_PARTICLES.contains(&w[end].lower()) && self.name_word(end + 1) && self.is_surname_like(end + 1) {
                end += 2;
                continue;
            }
            break;
        }
        if after_title && !honorific {
            // After a title the name is what follows, but an organisation or place word
            // ("President of Russia") is not a name.
            if (start..end).any(|k| self.is_lexicon_thing(k)) && end - start == 1 && !lexicon::is_surname(w[start].text) {
                return None;
            }
        }
        let last = end - 1;
        let mut span = Span::new(w[start].span.start, w[last].span.end);
        if let Some(cut) = self.glued_name(last) {
            span.end = cut;
        }
        // Anchored in the name lexicons (or a title): trusted; else a pattern the model
        // must confirm.
        let known = |k: usize| {
            let t = w[k].text;
            lexicon::is_surname(t) || lexicon::is_given_name(t) || w[k].kind == TokenKind::Abbreviation || NAME_PARTICLES.contains(&w[k].lower())
        };
        let anchored = honorific || (start + 1..end).all(known) && (lexicon::is_given_name(w[start].text) || after_title && known(start));
        Some((start, end, span, if anchored { Evidence::Lexicon } else { Evidence::Pattern }))
    }

    /// Whether word `k` can be a later part of a person name (memoised per word).
    fn is_surname_like(&self, k: usize) -> bool {
        match self.surname_like.get(k).map(Cell::get) {
            Some(1) => false,
            Some(2) => true,
            _ => {
                let yes = self.is_surname_like_uncached(k);
                if let Some(c) = self.surname_like.get(k) {
                    c.set(if yes { 2 } else { 1 });
                }
                yes
            }
        }
    }

    fn is_surname_like_uncached(&self, k: usize) -> bool {
        let x = &self.w[k];
        if x.kind == TokenKind::Abbreviation {
            // An initial "J." or "Jr.".
            return x.text.trim_end_matches('.').chars().count() <= 2 || x.text == "Jr.";
        }
        // The surname lookup at most once (the tests below may ask it three times).
        let surname = std::cell::OnceCell::new();
        let surname_payload = || *surname.get_or_init(|| Lexicon::Surnames.get(x.text));
        let is_surname = || surname_payload().is_some();
        if lexicon::org_word(x.text).is_some_and(|o| o.head) || lexicon::role_kind(x.lower()).is_some() && !is_surname() {
            return false;
        }
        if (lexicon::is_nationality(x.text) || lexicon::is_common_word(x.text)) && !is_surname() {
            return false;
        }
        if let Some(kind) = lexicon::place_kind(x.text) {
            // Countries and regions end a name; a city can be a surname ("Washington").
            // (`lexicon::is_strong_surname`, from the payload already looked up.)
            if kind != PlaceKind::City && !surname_payload().is_some_and(|p| !p.contains('w')) {
                return false;
            }
        }
        !x.is_function_word()
    }

    fn is_lexicon_thing(&self, k: usize) -> bool {
        let t = self.w[k].text;
        lexicon::place_kind(t).is_some() || lexicon::is_org(t) || lexicon::is_nationality(t)
    }

    /// "Trumpcis": a known name glued to lower-case letters (a typo). Returns where the
    /// name ends when a proper prefix is a surname or given name that the document also
    /// uses on its own, and the whole word is known nowhere.
    fn glued_name(&self, k: usize) -> Option<usize> {
        let x = &self.w[k];
        if lexicon::is_surname(x.text) || lexicon::is_given_name(x.text) {
            return None;
        }
        // Asked only once a known name prefix is found (counting words costs a map).
        let mut used_alone = None;
        let chars: Vec<(usize, char)> = x.text.char_indices().collect();
        for n in (3..chars.len()).rev() {
            let (cut, _) = chars[n];
            let (head, tail) = x.text.split_at(cut);
            if !tail.chars().all(char::is_lowercase) {
                continue;
            }
            if lexicon::is_surname(head) || lexicon::is_given_name(head) {
                if *used_alone.get_or_insert_with(|| self.word_occurs(x.text, 2)) {
                    return None;
                }
                if self.word_occurs(head, 1) {
                    return Some(x.span.start + cut);
                }
            }
        }
        None
    }

    /// Whether `word` is written as a word token at least `times` times in the document.
    /// A scan, not a map: the glued-typo rule asks this for few names, so building a
    /// word count of every document would cost more.
    fn word_occurs(&self, word: &str, times: usize) -> bool {
        self.w.iter().filter(|x| x.text == word && x.word()).take(times).count() >= times
    }
}

/// Runs the rules over the whole text.
pub(super) fn find(text: &str, tokens: &[Token], lows: &(String, Vec<(usize, usize)>), sentences: &[Span], boilerplate: &[Span], proposals: &[Proposal]) -> Vec<Found> {
    let w = build_view(text, lows, tokens, sentences, boilerplate);
    let mut scan = Scan {
        w: &w,
        found: Vec::new(),
        covered: vec![false; w.len()],
        pending_roles: Vec::new(),
        surname_like: vec![Cell::new(0); w.len()],
    };
    // Map date spans back to words (tokens are in text order and disjoint, so their
    // starts and ends are both sorted: binary searches, not maps over every token).
    for d in dates::dates(text, tokens) {
        if let (Some(a), Some(b)) = (word_starting_at(&w, d.start), word_ending_at(&w, d.end)) {
            scan.push(a, b + 1, Label::Date, 0.9, Evidence::Grammar);
        }
    }

    let mut i = 0;
    let mut title_before = false;
    while i < w.len() {
        if scan.covered[i] || w[i].blocked || !w[i].word() {
            // A title keeps its effect over the name right after it only.
            if !scan.covered[i] {
                title_before = false;
            }
            i += 1;
            continue;
        }
        let x = &w[i];
        if !x.cap {
            if let Some(hit) = scan.lexicon_at(i, true).filter(|h| h.label == Label::Role) {
                scan.pending_roles.push((i, hit.end));
                i = hit.end;
                title_before = true;
                continue;
            }
            title_before = false;
            i += 1;
            continue;
        }
        if x.shout {
            // Headlines in capitals: lexicon names only.
            if let Some(hit) = scan.lexicon_at(i, false).filter(|h| h.label != Label::Role && !h.weak) {
                scan.push(i, hit.end, hit.label, 0.8, Evidence::Lexicon);
                i = hit.end;
            } else {
                i += 1;
            }
            continue;
        }
        let lex = scan.lexicon_at(i, false);
        let org_end = if x.headline { None } else { scan.org_run_at(i) };
        let person = scan.person_at(i, title_before).filter(|p| !x.headline || p.3 == Evidence::Lexicon);
        title_before = false;
        let lex_len = lex.as_ref().map(|h| h.end - i).unwrap_or(0);
        let org_len = org_end.map(|e| e - i).unwrap_or(0);
        let person_len = person.map(|(s, e, _, _)| e - s + usize::from(s > i)).unwrap_or(0);

        // "The Interior Ministry": the run starts after a sentence-initial "The".
        if org_len >= 2 && org_len > lex_len && org_len >= person_len {
            let e = org_end.unwrap_or(i + 1);
            let from = if x.is_function_word() { i + 1 } else { i };
            if e > from + usize::from(from > i) {
                scan.push(from, e, Label::Org, 0.75, Evidence::Pattern);
                i = e;
                continue;
            }
        }
        if lex_len >= 2 && lex_len >= person_len {
            let hit = lex.clone().unwrap();
            let is_role = hit.label == Label::Role;
            scan.push(i, hit.end, hit.label, 0.9, Evidence::Lexicon);
            i = hit.end;
            title_before = is_role;
            continue;
        }
        if let Some((s, e, span, evidence)) = person {
            // "Sen." / "Lt. Gov." before the name: a ROLE of its own ("Mr." is not).
            if s > i && (i..s).all(|k| lexicon::is_office_abbreviation(w[k].text)) {
                scan.push(i, s, Label::Role, 0.85, Evidence::Lexicon);
            }
            scan.push_span(s, e, span, Label::Person, if evidence == Evidence::Lexicon { 0.85 } else { 0.6 }, evidence);
            i = e;
            continue;
        }
        if let Some(hit) = lex {
            // A sentence start proves nothing about an ordinary word ("Time"), nor about a
            // lone title that no name follows.
            let usable = !(x.initial && (hit.weak || hit.label == Label::Role && !scan.name_word(i + 1)));
            if usable {
                let is_role = hit.label == Label::Role;
                scan.push(i, hit.end, hit.label, if hit.weak { 0.6 } else { 0.9 }, Evidence::Lexicon);
                i = hit.end;
                title_before = is_role;
                continue;
            }
        }
        // An acronym: most are organisations in news ("BJP", "PTI").
        if !x.headline && x.caps && x.kind == TokenKind::Word && (2..=6).contains(&x.text.chars().count()) && !NOT_ORG_ACRONYMS.contains(&x.text) && !x.text.chars().any(|c| c.is_ascii_digit()) {
            scan.push(i, i + 1, Label::Org, 0.55, Evidence::Pattern);
            i += 1;
            continue;
        }
        i += 1;
    }

    // Lower-case roles count right before a name, and titles and person nouns also where
    // they name one specific person ("the senator", "his running mate", "Huma Abedin,
    // vice chairwoman for …").
    let person_starts: FxHashSet<usize> = scan.found.iter().filter(|f| f.label == Label::Person).map(|f| f.span.start).collect();
    for &(a, b) in &scan.pending_roles.clone() {
        if b < w.len() && person_starts.contains(&w[b].span.start) {
            scan.push(a, b, Label::Role, 0.8, Evidence::Lexicon);
        } else if names_one_person(&scan, a, b) {
            scan.push(a, b, Label::Role, 0.7, Evidence::Lexicon);
        }
    }
    if !proposals.is_empty() {
        combine(&mut scan, text, tokens, boilerplate, proposals);
    }
    propagate(&mut scan);
    scan.found.retain(|f| party_tag_around(text, &f.span).is_none());
    scan.found.sort_by_key(|f| (f.span.start, f.span.end));
    scan.found
}

/// The parenthesised party–state tag of US politics that `span` lies in ("Bernie Sanders
/// (I-Vt.)", "(R-Texas)", "(D-N.Y.)"), as its byte range. Such a tag is an affiliation
/// note, not a mention: the tagger reads "I-Vt." as a name and "Texas" as a place, but
/// the guidelines (and GUM's news) tag neither, so nothing inside one is kept.
pub(super) fn party_tag_around(text: &str, span: &Span) -> Option<(usize, usize)> {
    let open = text.get(..span.start)?.rfind('(')?;
    let close = open + text.get(open..)?.find(')')?;
    if close < span.end || text.get(open + 1..span.start)?.contains('\n') {
        return None;
    }
    let inner = text.get(open + 1..close)?;
    let (party, state) = inner.split_once('-')?;
    let party_ok = matches!(party, "D" | "R" | "I");
    let state_ok = (2..=16).contains(&state.len())
        && state.starts_with(|c: char| c.is_ascii_uppercase())
        && state.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == ' ');
    (party_ok && state_ok).then_some((open, close + 1))
}

/// Lower-case words that may stand between a determiner and a role noun that names one
/// person ("the former senator", "the presumptive nominee"). Anything else in between
/// ("the next president", "a senator") leaves the noun generic.
const ROLE_MODIFIERS: &[&str] = &[
    "former", "presumptive", "presidential", "current", "acting", "outgoing", "incoming", "longtime", "interim",
    "new", "state", "top", "embattled", "newly", "elected", "republican", "democratic",
];

/// Titles that are also everyday words ("the general election", "the major parties",
/// "our justice system"): ROLE only as a title before a name ("General Smith").
const AMBIGUOUS_TITLES: &[&str] = &["general", "major", "private", "justice"];

/// Determiners that make a role noun name one person: "the", possessive pronouns.
const ROLE_DETERMINERS: &[&str] = &["the", "his", "her", "their", "its", "our", "my", "your"];

/// Whether the lower-case role at words `a..b` names one specific person although no name
/// follows: a title or person noun ([`lexicon::RoleKind::names_a_person`]) after "the", a
/// possessive ("his", "Trump's") or a name and a comma (an apposition), with at most
/// three modifiers in between ("the Texas senator", "the Democratic nominee"); not
/// plural, indefinite, or a possessive itself ("the governor's race").
fn names_one_person(scan: &Scan, a: usize, b: usize) -> bool {
    let w = scan.w;
    if b < w.len() && w[b].kind == TokenKind::Possessive {
        return false;
    }
    let key = key_of(w, a, b).to_lowercase();
    if AMBIGUOUS_TITLES.contains(&key.as_str()) || !lexicon::role_kind(&key).is_some_and(lexicon::RoleKind::names_a_person) {
        return false;
    }
    let mut k = a;
    while k > 0 && a - k < 3 && scan.same_sentence(k - 1, a) {
        let x = &w[k - 1];
        let modifier = x.word() && !x.is_function_word() && (x.cap && !x.initial || ROLE_MODIFIERS.contains(&x.low));
        if !modifier {
            break;
        }
        k -= 1;
    }
    let Some(before) = k.checked_sub(1).map(|j| &w[j]).filter(|_| scan.same_sentence(k - 1, a)) else { return false };
    if before.kind == TokenKind::Possessive || ROLE_DETERMINERS.contains(&before.low) {
        return true;
    }
    // An apposition: "Gregory T. Angelo, president of …".
    before.text == "," && k >= 2 && {
        // The name may be one the tagger finds later: a capitalised word that no other
        // finding covers will do.
        let name = &w[k - 2];
        name.cap && name.word() && !name.is_function_word() && !scan.found.iter().any(|f| f.label != Label::Person && f.span.start <= name.span.start && name.span.end <= f.span.end)
    }
}

/// Tags the other mentions of names found: a person's surname on its own ("Leavitt"),
/// and the same name written again where the rules could not tell (sentence starts).
fn propagate(scan: &mut Scan) {
    let w = scan.w;
    let mut by_word: FxHashMap<&str, (Label, f32)> = FxHashMap::default();
    for f in &scan.found {
        if f.label == Label::Person {
            let parts: Vec<&W> = words_of(w, &f.span).filter(|x| x.kind == TokenKind::Word).collect();
            if let Some(last) = parts.last() {
                if parts.len() >= 2 && last.text.chars().count() >= 2 && !last.is_function_word() && !lexicon::is_common_word(last.text) {
                    by_word.entry(last.text).or_insert((Label::Person, 0.8));
                }
            }
        }
    }
    for k in 0..w.len() {
        if scan.covered[k] || w[k].blocked || !w[k].cap || w[k].shout {
            continue;
        }
        if let Some((label, conf)) = by_word.get(w[k].text).cloned() {
            // Not the first half of a longer capitalised name ("Trump Tower").
            let next_cap = k + 1 < w.len() && scan.name_word(k + 1) && w[k + 1].span.start > w[k].span.end;
            if !next_cap {
                scan.push(k, k + 1, label, conf, Evidence::Lexicon);
            }
        }
    }
    // Multi-word names found with good evidence, written again where nothing was found
    // ("Kusae Edu" at a sentence start or in a headline).
    let mut names: Vec<(Vec<&str>, Label)> = Vec::new();
    for f in &scan.found {
        if matches!(f.label, Label::Person | Label::Org | Label::Gpe | Label::Loc) && f.evidence >= Evidence::Model {
            let parts: Vec<&str> = words_of(w, &f.span).map(|x| x.text).collect();
            if parts.len() >= 2 && !names.iter().any(|(p, _)| *p == parts) {
                names.push((parts, f.label.clone()));
            }
        }
    }
    if names.is_empty() {
        return;
    }
    // Where each name's first word occurs, so a name is only tried there.
    let mut at: FxHashMap<&str, Vec<usize>> = names.iter().filter_map(|(p, _)| p.first().map(|&f| (f, Vec::new()))).collect();
    for (k, x) in w.iter().enumerate() {
        if x.cap {
            if let Some(list) = at.get_mut(x.text) {
                list.push(k);
            }
        }
    }
    for (parts, label) in names {
        let n = parts.len();
        for &k in at.get(parts[0]).map(Vec::as_slice).unwrap_or(&[]) {
            if k + n > w.len() {
                continue;
            }
            let hit = (0..n).all(|d| w[k + d].text == parts[d] && !scan.covered[k + d] && !w[k + d].blocked)
                && (k + n == w.len() || !scan.name_word(k + n) || w[k + n].span.start == w[k + n - 1].span.end);
            if hit {
                scan.push(k, k + n, label.clone(), 0.7, Evidence::Lexicon);
            }
        }
    }
}

/// The index of the word that starts at byte `pos` (words are sorted and disjoint).
fn word_starting_at(w: &[W], pos: usize) -> Option<usize> {
    let k = w.partition_point(|x| x.span.start < pos);
    w.get(k).is_some_and(|x| x.span.start == pos).then_some(k)
}

/// The index of the word that ends at byte `pos`.
fn word_ending_at(w: &[W], pos: usize) -> Option<usize> {
    let k = w.partition_point(|x| x.span.end < pos);
    w.get(k).is_some_and(|x| x.span.end == pos).then_some(k)
}

/// The words inside `span` (words are sorted and disjoint).
fn words_of<'a, 't>(w: &'a [W<'t>], span: &Span) -> impl Iterator<Item = &'a W<'t>> {
    let lo = w.partition_point(|x| x.span.end <= span.start);
    let span = *span;
    w[lo..].iter().take_while(move |x| x.span.start < span.end).filter(move |x| span.contains(&x.span))
}

/// Geographic feature words: a proposed place ending in one is LOC, not GPE.
const FEATURE_WORDS: &[&str] = &[
    "river", "sea", "ocean", "lake", "mountain", "mountains", "mount", "mt", "island", "islands", "valley",
    "desert", "gulf", "bay", "strait", "coast", "peninsula", "region", "basin", "plateau", "forest", "park",
    "canal", "delta", "hills", "range", "block", "field", "reef", "glacier", "falls",
];

/// Checks a tagger's proposal against the rules: trims a leading "the" and a trailing
/// possessive, vetoes titles, date words and lower-case spans, and decides GPE vs LOC.
pub(super) fn vet_proposal(text: &str, tokens: &[Token], p: &Proposal) -> Option<Proposal> {
    let lo = tokens.partition_point(|t| t.span.end <= p.span.start);
    let inside: Vec<&Token> = tokens[lo..].iter().take_while(|t| t.span.start < p.span.end).filter(|t| p.span.contains(&t.span)).collect();
    let mut a = 0;
    let mut b = inside.len();
    // "the Kremlin" → "Kremlin"; a capitalised "The" mid-sentence is part of a name
    // ("The Jordan Times"), but not at a line start.
    while a < b && {
        let t = inside[a].text(text);
        t == "the" || (t == "The" || t == "THE") && text.get(..inside[a].span.start).is_none_or(|before| {
            let before = before.trim_end_matches([' ', '\t']);
            before.is_empty() || before.ends_with(['\n', '.', '!', '?', '"', '“', ':'])
        })
    } {
        a += 1;
    }
    while b > a {
        let t = inside[b - 1];
        let keep_bracket = t.text(text) == ")" && inside[a..b - 1].iter().any(|x| x.text(text) == "(");
        // "U . S ." keeps the period of its last initial.
        let initial = t.text(text) == "." && b >= 2 && inside[b - 2].text(text).chars().count() == 1;
        let trim = matches!(t.kind, TokenKind::Possessive | TokenKind::Punct | TokenKind::Terminal | TokenKind::Quote(_) | TokenKind::Hyphen);
        if trim && !keep_bracket && !initial {
            b -= 1;
        } else {
            break;
        }
    }
    if a >= b {
        return None;
    }
    let span = Span::new(inside[a].span.start, inside[b - 1].span.end);
    let s = span.slice(text)?;
    let lower = s.to_lowercase();
    if !s.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return None;
    }
    if lexicon::role_kind(&lower).is_some() || function_words().contains(lower.as_str()) || b - a == 1 && dates::may_hold_date(s) && !dates::dates(s, &crate::core::nlp::tokenize::tokenize(s)).is_empty() {
        return None;
    }
    let mut label = p.label.clone();
    if matches!(label, Label::Loc | Label::Gpe) {
        label = match lexicon::place_kind(s) {
            Some(k) if k.is_gpe() => Label::Gpe,
            Some(_) => Label::Loc,
            None if lexicon::is_nationality(s) => Label::Norp,
            None => {
                let last = lower.rsplit(' ').next().unwrap_or("");
                if FEATURE_WORDS.contains(&last) { Label::Loc } else { Label::Gpe }
            }
        };
    }
    if label == Label::Org && lexicon::place_kind(s) == Some(PlaceKind::Country) && !lexicon::is_org(s) {
        // A country named as an actor ("Russia said") is GPE by the guidelines.
        label = Label::Gpe;
    }
    Some(Proposal { span, label, confidence: p.confidence })
}

/// Merges a model's proposals into the rule findings (policy in the module docs of
/// [`super`]).
fn combine(scan: &mut Scan, text: &str, tokens: &[Token], boilerplate: &[Span], proposals: &[Proposal]) {
    let w = scan.w;
    let on_tokens = |s: &Span| word_starting_at(w, s.start).is_some() && word_ending_at(w, s.end).is_some();
    // Words are sorted and disjoint, so a span's words are one contiguous run.
    let words_in = |s: &Span| {
        let lo = w.partition_point(|x| x.span.end <= s.start);
        w[lo..].iter().take_while(|x| x.span.start < s.end).filter(|x| s.contains(&x.span) && x.word()).count()
    };
    let next_word = |pos: usize| w[w.partition_point(|x| x.span.start < pos)..].iter().find(|x| x.word()).map(|x| x.span);
    let prev_word = |pos: usize| w[..w.partition_point(|x| x.span.end <= pos)].iter().rev().find(|x| x.word()).map(|x| x.span);
    let mut props: Vec<Proposal> = proposals
        .iter()
        .filter_map(|p| vet_proposal(text, tokens, p))
        .filter(|p| !p.span.is_empty() && p.span.is_valid_in(text) && !boilerplate.iter().any(|b| b.overlaps(&p.span)))
        .collect();

    // Pattern-only findings that the model does not see at all are dropped.
    let mut by_start: Vec<Span> = props.iter().map(|p| p.span).collect();
    by_start.sort();
    let max_len = by_start.iter().map(Span::len).max().unwrap_or(0);
    let seen_by_model = |f: &Span| {
        let lo = by_start.partition_point(|p| p.start + max_len <= f.start);
        by_start[lo..].iter().take_while(|p| p.start < f.end).any(|p| p.overlaps(f))
    };
    scan.found.retain(|f| f.evidence != Evidence::Pattern || seen_by_model(&f.span));
    // Findings are disjoint; kept sorted by start so overlaps are a contiguous run.
    scan.found.sort_by_key(|f| (f.span.start, f.span.end));
    let overlapping = |found: &[Found], span: &Span| -> std::ops::Range<usize> {
        let lo = found.partition_point(|f| f.span.end <= span.start);
        let hi = lo + found[lo..].iter().take_while(|f| f.span.start < span.end).count();
        lo..hi
    };

    props.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.span.cmp(&b.span)));
    for mut p in props {
        // Titles stay ROLE and dates the grammar's: a proposal that starts (or ends) with
        // one keeps only the rest ("August National Association …" → the association).
        let mut dropped = false;
        // The titles and dates that overlapped the proposal as it came (read in place:
        // nothing here changes the findings).
        let fixed = scan.found[overlapping(&scan.found, &p.span)].iter().filter(|f| matches!(f.label, Label::Role | Label::Date));
        for (f, is_role) in fixed.map(|f| (f.span, f.label == Label::Role)) {
            if !f.overlaps(&p.span) {
                continue;
            }
            if f.start <= p.span.start && f.end < p.span.end {
                match next_word(f.end) {
                    Some(next) if next.start < p.span.end => p.span = Span::new(next.start, p.span.end),
                    _ => dropped = true,
                }
            } else if f.start > p.span.start && f.end >= p.span.end {
                match prev_word(f.start) {
                    Some(prev) if prev.end > p.span.start => p.span = Span::new(p.span.start, prev.end),
                    _ => dropped = true,
                }
            } else if f.contains(&p.span) || is_role {
                dropped = true;
            }
        }
        if dropped || p.span.is_empty() {
            continue;
        }
        let over = overlapping(&scan.found, &p.span);
        let new = Found { span: p.span, label: p.label.clone(), confidence: p.confidence, evidence: Evidence::Model };
        if over.is_empty() {
            scan.found.insert(over.start, new);
            continue;
        }
        let rules = &scan.found[over.clone()];
        if rules.iter().any(|r| r.evidence == Evidence::Model) {
            continue;
        }
        let model_wins = if rules.len() == 1 && rules[0].span == p.span {
            // Same span: the rules keep the label when they know it well.
            let r = &rules[0];
            let s = r.span.slice(text).unwrap_or("");
            let kind = lexicon::place_kind(s);
            let strong = matches!(r.evidence, Evidence::Lexicon | Evidence::Grammar)
                && (words_in(&r.span) >= 2 && r.label != Label::Person
                    || matches!(r.label, Label::Org | Label::Norp | Label::Date)
                    || matches!(kind, Some(PlaceKind::Country | PlaceKind::Region))
                        // "Jordan" the person: a place that is also a name, when the model is sure.
                        && !(p.label == Label::Person && p.confidence >= 0.8 && (lexicon::is_given_name(s) || lexicon::is_surname(s)))
                    // A state named as a team ("Surrey") is the model's call; as a person, not.
                    || kind == Some(PlaceKind::State) && p.label != Label::Org);
            !strong && r.label != p.label
        } else if rules.iter().all(|r| p.span.contains(&r.span)) {
            // A longer name around the rules' ones, unless a rule cut a glued typo.
            rules.iter().all(|r| on_tokens(&r.span))
        } else {
            // Crossing or shorter: multi-word lexicon names stay, weaker ones give way.
            rules.iter().all(|r| r.evidence == Evidence::Pattern || words_in(&r.span) < 2 || r.label == Label::Person)
        };
        if model_wins {
            let at = over.start;
            scan.found.drain(over);
            scan.found.insert(at, new);
        }
    }
    // Rebuild the coverage for the propagation pass.
    for c in scan.covered.iter_mut() {
        *c = false;
    }
    for f in &scan.found {
        let first = w.partition_point(|x| x.span.end <= f.span.start);
        for (k, x) in w.iter().enumerate().skip(first) {
            if x.span.start >= f.span.end {
                break;
            }
            scan.covered[k] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{nlp::{sentence::sentences, tokenize::lower_forms, tokenize::tokenize}};

    /// The packed function-word set answers as the plain one, for every entry, its
    /// neighbours and odd strings.
    #[test]
    fn packed_function_words_match_the_set() {
        assert!(FUNCTION_WORDS.iter().all(|w| pack_word(w, |b| b).is_some()), "an entry is too long to pack");
        let mut probes: Vec<String> = vec!["".into(), ".".into(), "the.".into(), "a\0".into(), "theirs".into(), "ü".into(), "according to".into(), "x".repeat(15), "x".repeat(16), "authorities.".into()];
        for w in FUNCTION_WORDS {
            probes.extend([w.to_string(), format!("{w}."), format!("{w}s"), w[..w.len() - 1].to_string(), format!("{w}\0")]);
        }
        for p in &probes {
            let plain = function_words().contains(p.trim_end_matches('.'));
            assert_eq!(is_function_lower(p), plain, "{p:?}");
        }
    }

    /// The lexicon scan's fast path (names narrowed word by word) answers exactly as the
    /// general one (whole key built, lower-cased and looked up) at every word.
    #[test]
    fn lexicon_scan_fast_path_is_exact() {
        let texts = [
            "US Secretary of State Marco Rubio met the Saudi Arabia delegation in the White House.",
            "the secretary of state and national security advisor spoke; SAUDI ARABIA and the US replied.",
            "Royal Air Force of Oman, Bank of England, New York Times, the Hague, us and US, Shi’ite and Shi'ite.",
            "Côte d'Ivoire, São Paulo and ΟΔΟΣ ΑΘΗΝΑΣ met Zelenskyy's chief of staff. United Nations Security Council",
            "Saudi Arabian officials, the Middle East, United  States, United\nStates, U.S. Army, AT&T, G7, Group of 20.",
        ];
        let mut checked = 0;
        for text in texts {
            let tokens = tokenize(text);
            let sents = sentences(text, &tokens);
            let lows = lower_forms(text, &tokens);
            let w = build_view(text, &lows, &tokens, &sents, &[]);
            let scan = Scan { w: &w, found: Vec::new(), covered: vec![false; w.len()], pending_roles: Vec::new(), surname_like: vec![Cell::new(0); w.len()] };
            for i in 0..w.len() {
                for lower_ok in [false, true] {
                    let (fast, slow) = (scan.lexicon_at_by(i, lower_ok, true), scan.lexicon_at_by(i, lower_ok, false));
                    assert_eq!(fast, slow, "{text:?} at word {i} ({:?}), lower_ok {lower_ok}", w[i].text);
                    checked += usize::from(fast.is_some());
                }
            }
        }
        assert!(checked >= 15, "only {checked} hits: the texts no longer exercise the scan");
    }
}

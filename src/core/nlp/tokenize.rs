//! Tokens for news prose, as byte spans into the document text.
//!
//! Everything later in the pipeline (sentences, quotes, entities, attributions, the
//! statistical tagger) works on these tokens, so the rules follow the annotation
//! guidelines: each part of a hyphenated compound is its own token ("US-Ukraine" →
//! "US", "-", "Ukraine"), the possessive "’s" is split off ("Trump’s" → "Trump", "’s"),
//! abbreviations and initials keep their periods ("U.S.", "Mr.", "Jan.", "No. 10"),
//! numbers keep their separators ("3.5", "1,000"), URLs, @handles and #hashtags are one
//! token, and every quotation mark is its own token whose kind says whether it opens or
//! closes a quote.
//!
//! Never panics; every non-whitespace character of the input lies in exactly one token.
//!
//! ```
//! use newsmark::core::nlp::tokenize::{tokenize, TokenKind};
//! let text = "Trump’s U.S.-Ukraine deal";
//! let words: Vec<&str> = tokenize(text).iter().map(|t| &text[t.span.start..t.span.end]).collect();
//! assert_eq!(words, ["Trump", "’s", "U.S.", "-", "Ukraine", "deal"]);
//! ```

use crate::core::model::span::Span;
use unicode_normalization::char::is_combining_mark;

/// One token: where it is and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

impl Token {
    /// The token's text (empty if the span does not fit `text`; never panics).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        self.span.slice(text).unwrap_or("")
    }
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (and digits after a letter), with inner apostrophes ("don't", "O'Brien").
    Word,
    /// Starts with a digit: "3.5", "1,000", "10:30", "1990s", "3rd".
    Number,
    /// An abbreviation or initial with its period(s): "U.S.", "Mr.", "Jan.", "J.", "a.m.".
    Abbreviation,
    /// "https://…", "www.…", "example.com".
    Url,
    /// "@handle".
    Handle,
    /// "#hashtag".
    Hashtag,
    /// A hyphen (or slash-free dash) joining two parts of a compound: "US-Ukraine".
    Hyphen,
    /// The possessive clitic "’s" / "'s".
    Possessive,
    /// A quotation mark.
    Quote(Quote),
    /// Sentence-final punctuation: ".", "!", "?", "…", "...", "?!".
    Terminal,
    /// Any other punctuation or symbol (also emoji, control characters).
    Punct,
}

/// A quotation mark: which family it belongs to and which way it faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quote {
    pub mark: QuoteMark,
    pub role: QuoteRole,
}

/// The family of a quotation mark; only marks of one family pair up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteMark {
    /// " “ ” „ ‟ and the like.
    Double,
    /// ' ‘ ’ ‚ ‛.
    Single,
    /// « ».
    Guillemet,
    /// ‹ ›.
    SingleGuillemet,
    /// 「 」 『 』.
    Corner,
}

/// Whether a quotation mark opens or closes a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteRole {
    Open,
    Close,
    /// A straight mark whose surroundings do not tell (e.g. between two spaces).
    Ambiguous,
}

impl TokenKind {
    pub fn is_quote(self) -> bool {
        matches!(self, TokenKind::Quote(_))
    }

    pub fn is_wordlike(self) -> bool {
        matches!(self, TokenKind::Word | TokenKind::Number | TokenKind::Abbreviation)
    }
}

/// Abbreviations that precede a name or number and so never end a sentence.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Adm", "Amb", "Ald", "Brig", "Capt", "Cdr", "Cmdr", "Col", "Cpl", "Det", "Dr", "Fr", "Gen", "Gov", "Hon",
    "Insp", "Lt", "Maj", "Messrs", "Mme", "Mlle", "Mr", "Mrs", "Ms", "Mx", "Msgr", "Pres", "Prof", "Pvt",
    "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "Sr", "St", "Supt", "Mt", "Ft", "vs", "cf", "approx", "ca",
    "Gens", "Drs", "Profs", "Lieut", "Sec", "Secy", "Atty", "Dist", "Cmdt", "Comdr", "Rt",
];

/// Abbreviations that may also end a sentence ("… Apple Inc. The company said").
const OTHER_ABBREVIATIONS: &[&str] = &[
    "Inc", "Corp", "Ltd", "Co", "Jr", "Bros", "Ave", "Blvd", "Rd", "Dept", "Univ", "Assn", "Intl", "Govt",
    "Est", "est", "etc", "al", "Plc", "plc", "Cos", "Hwy", "Pl", "Sq", "Ste", "Mfg", "Mass", "Calif", "Fla",
    "Penn", "Conn", "Ariz", "Colo", "Wash", "Ill", "Mich", "Minn", "Tenn", "Wis", "Okla", "Nev", "Ore",
    "Ky", "Md", "Va", "Ga", "Ala", "Ark", "Del", "Kan", "Neb", "Miss", "Mo", "Ida", "Wyo", "Vt", "Pa",
];

/// Abbreviations that are only abbreviations before a number ("Jan. 20", "No. 10").
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "no",
    "Art", "art", "Vol", "vol", "Fig", "fig", "p", "pp", "Ch", "ch", "Para", "para", "Nr", "nr",
];

/// Top-level domains that make "word.word" a web address rather than two sentences.
const TLDS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "int", "mil", "io", "co", "uk", "us", "ru", "ua", "de", "fr", "eu",
    "info", "news", "tv", "me", "ly", "ai", "ca", "au", "in", "cn", "jp", "it", "es", "nl", "ch", "se",
];

/// Titles that scraped lists glue to the name before them ("Kelly AyotteRep. Mike
/// Coffman"): the ones of [`TITLE_ABBREVIATIONS`] that head a name in news.
const GLUED_TITLES: &[&str] = &[
    "Rep", "Reps", "Sen", "Sens", "Gov", "Gen", "Lt", "Adm", "Amb", "Capt", "Col", "Maj", "Sgt", "Prof", "Pres",
    "Atty", "Mr", "Mrs", "Ms", "Dr", "Rev",
];

/// Where a title glued to the end of a word starts ("AyotteRep" → 6), when the word
/// (followed by a period and then a capitalised word) is a name of two or more letters
/// ending in a lower-case letter, then one of [`GLUED_TITLES`]. A name must not swallow
/// the title of the next list item, and the title's period must not end a sentence.
fn glued_title_at(word: &str) -> Option<usize> {
    // Asked of every word before a sentence's period: most have no capital where a title
    // of two to four letters would start.
    let b = word.as_bytes();
    if !(2..=4).any(|n| b.len() > n + 1 && b[b.len() - n].is_ascii_uppercase()) {
        return None;
    }
    GLUED_TITLES.iter().find_map(|t| {
        let cut = word.len().checked_sub(t.len())?;
        let head = word.get(..cut)?;
        let ok = word.ends_with(t) && head.chars().count() >= 2 && head.chars().next_back().is_some_and(char::is_lowercase);
        ok.then_some(cut)
    })
}

/// Whether `word` (without its period) is an abbreviation that never ends a sentence.
pub fn is_title_abbreviation(word: &str) -> bool {
    TITLE_ABBREVIATIONS.contains(&word)
}

fn is_quote_char(c: char) -> bool {
    quote_mark(c).is_some()
}

fn quote_mark(c: char) -> Option<(QuoteMark, Option<QuoteRole>)> {
    use QuoteMark::*;
    use QuoteRole::*;
    Some(match c {
        '"' | '\u{ff02}' => (Double, None),
        '“' => (Double, Some(Open)),
        '”' => (Double, Some(Close)),
        '„' | '‟' => (Double, Some(Open)),
        '\'' => (Single, None),
        '‘' | '‛' | '‚' => (Single, Some(Open)),
        '’' => (Single, Some(Close)),
        '«' => (Guillemet, Some(Open)),
        '»' => (Guillemet, Some(Close)),
        '‹' => (SingleGuillemet, Some(Open)),
        '›' => (SingleGuillemet, Some(Close)),
        '「' | '『' => (Corner, Some(Open)),
        '」' | '』' => (Corner, Some(Close)),
        _ => return None,
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        // No ASCII char is a combining mark or a joiner: skip the mark table's lookup.
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c) || c == '\u{200c}' || c == '\u{200d}'
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// A cursor over the text. Positions are byte offsets on char boundaries (a position
/// past the end reads as no char), so no per-char index of the text is built: most text
/// is ASCII, where reading a char is reading a byte.
struct Scanner<'t> {
    text: &'t str,
    tokens: Vec<Token>,
}

impl<'t> Scanner<'t> {
    /// The char starting at byte `i`, if any (`None` past the end or mid-char).
    #[inline]
    fn ch(&self, i: usize) -> Option<char> {
        match self.text.as_bytes().get(i) {
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.text.get(i..)?.chars().next(),
            None => None,
        }
    }

    /// The position after the char at `i` (one byte on past the end, like the old
    /// per-char index's `i + 1`).
    #[inline]
    fn nx(&self, i: usize) -> usize {
        i + self.ch(i).map_or(1, char::len_utf8)
    }

    /// The char just before byte `i`, if any.
    #[inline]
    fn prev(&self, i: usize) -> Option<char> {
        match i.checked_sub(1).and_then(|k| self.text.as_bytes().get(k)) {
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.text.get(..i)?.chars().next_back(),
            None => None,
        }
    }

    fn off(&self, i: usize) -> usize {
        i.min(self.text.len())
    }

    fn push(&mut self, from: usize, to: usize, kind: TokenKind) {
        let span = Span { start: self.off(from), end: self.off(to) };
        if span.start < span.end {
            self.tokens.push(Token { span, kind });
        }
    }

    /// Skips combining marks, variation selectors and zero-width joiners (with the char
    /// they join), so an emoji sequence or a stray accent stays inside one token.
    fn absorb_marks(&self, mut i: usize) -> usize {
        while let Some(c) = self.ch(i) {
            if is_combining_mark(c) || matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}') {
                i += c.len_utf8();
            } else if c == '\u{200d}' {
                i += c.len_utf8();
                if let Some(d) = self.ch(i).filter(|d| !d.is_whitespace()) {
                    i += d.len_utf8();
                }
            } else {
                break;
            }
        }
        i
    }

    fn run(mut self) -> Vec<Token> {
        let mut i = 0;
        while let Some(c) = self.ch(i) {
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            i = self.token_at(i);
        }
        self.tokens
    }

    /// Emits the token(s) starting at the char at byte `i` (there is one); returns the
    /// position after them.
    fn token_at(&mut self, i: usize) -> usize {
        let Some(c) = self.ch(i) else { return i + 1 };
        if let Some(end) = self.url_at(i) {
            self.push(i, end, TokenKind::Url);
            return end;
        }
        if (c == '@' || c == '#') && self.ch(i + 1).is_some_and(|d| d.is_alphanumeric() || d == '_') {
            let prev_ok = !self.prev(i).is_some_and(is_word_char);
            if prev_ok {
                let mut j = i + 1;
                while let Some(d) = self.ch(j).filter(|&d| is_word_char(d) || d == '_') {
                    j += d.len_utf8();
                }
                self.push(i, j, if c == '@' { TokenKind::Handle } else { TokenKind::Hashtag });
                return j;
            }
        }
        if c.is_ascii_digit() || (c.is_numeric() && !c.is_alphabetic()) {
            return self.number_at(i);
        }
        if is_word_char(c) {
            return self.word_at(i);
        }
        // Doubled apostrophes and backticks stand for double quotes in some wire copy
        // ("''I would,'' he said", "``Yes''").
        if (c == '\'' || c == '`') && self.ch(i + 1) == Some(c) {
            let role = if c == '`' { QuoteRole::Open } else { self.straight_quote_role_n(i, 2) };
            self.push(i, i + 2, TokenKind::Quote(Quote { mark: QuoteMark::Double, role }));
            return i + 2;
        }
        if let Some((mark, role)) = quote_mark(c) {
            // An apostrophe starting a possessive after a closing quote or bracket, or an
            // elision like "’90s", is still a quote token here; pairing handles it.
            if is_apostrophe(c) && self.is_possessive_at(i) {
                // The apostrophe and the "s" after it.
                let end = i + c.len_utf8() + 1;
                self.push(i, end, TokenKind::Possessive);
                return end;
            }
            let role = role.unwrap_or_else(|| self.straight_quote_role(i));
            let end = self.absorb_marks(i + c.len_utf8());
            self.push(i, end, TokenKind::Quote(Quote { mark, role }));
            return end;
        }
        if is_hyphen(c) || c == '–' || c == '—' {
            let joins = is_hyphen(c)
                && self.prev(i).is_some_and(|p| is_word_char(p) || p == '.')
                && self.ch(i + c.len_utf8()).is_some_and(is_word_char);
            let mut j = i + c.len_utf8();
            if !joins {
                while self.ch(j) == Some(c) {
                    j += c.len_utf8();
                }
            }
            self.push(i, j, if joins { TokenKind::Hyphen } else { TokenKind::Punct });
            return j;
        }
        if matches!(c, '.' | '!' | '?' | '…' | '‽' | '。' | '？' | '！') {
            let mut j = i + c.len_utf8();
            while let Some(d) = self.ch(j).filter(|&d| matches!(d, '.' | '!' | '?' | '…' | '‽')) {
                j += d.len_utf8();
            }
            self.push(i, j, TokenKind::Terminal);
            return j;
        }
        let end = self.absorb_marks(i + c.len_utf8());
        self.push(i, end, TokenKind::Punct);
        end
    }

    /// `'s` / `’s` followed by a non-letter, right after a word or closing bracket.
    fn is_possessive_at(&self, i: usize) -> bool {
        let s = self.nx(i);
        self.prev(i).is_some_and(|p| is_word_char(p) || p == ')' || p == '.')
            && self.ch(s).is_some_and(|s| s == 's' || s == 'S')
            && !self.ch(s + 1).is_some_and(is_word_char)
    }

    /// A straight quote opens after space / opening punctuation and before a non-space,
    /// closes after a non-space and before space / punctuation.
    fn straight_quote_role(&self, i: usize) -> QuoteRole {
        self.straight_quote_role_n(i, self.nx(i) - i)
    }

    /// [`Self::straight_quote_role`] for a mark of `n` bytes.
    fn straight_quote_role_n(&self, i: usize, n: usize) -> QuoteRole {
        let before_space = i == 0
            || self
                .prev(i)
                .is_some_and(|p| p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | '/') || is_quote_char(p));
        let after_space = self
            .ch(i + n)
            .is_none_or(|d| d.is_whitespace() || matches!(d, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '…' | '—' | '–'));
        match (before_space, after_space) {
            (true, false) => QuoteRole::Open,
            (false, true) => QuoteRole::Close,
            _ => QuoteRole::Ambiguous,
        }
    }

    fn url_at(&self, i: usize) -> Option<usize> {
        let rest = self.text.get(self.off(i)..)?;
        let lower_starts = |p: &str| rest.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
        let schemed = matches!(self.ch(i), Some('h' | 'H' | 'w' | 'W')) && (lower_starts("http://") || lower_starts("https://") || lower_starts("www."));
        if !schemed {
            // An e-mail address needs '@' after its local part (ASCII letters, digits and
            // ". _ + -"), a domain '.' after its first label (letters, digits, '-'): after
            // the first run of letters, digits and hyphens, one of ". _ + @" must follow.
            // Most tokens are ruled out here, with one scan instead of two.
            // (Over bytes: ASCII chars are single bytes, and any other byte stops the run
            // and is none of the four.)
            let bytes = rest.as_bytes();
            let run = bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
            if !matches!(bytes.get(run), Some(b'.' | b'_' | b'+' | b'@')) {
                return None;
            }
            return self.email_at(i).or_else(|| self.domain_at(i));
        }
        let mut j = i;
        while let Some(d) = self.ch(j).filter(|&d| !d.is_whitespace() && !matches!(d, '"' | '“' | '”' | '<' | '>' | '«' | '»')) {
            j += d.len_utf8();
        }
        Some(self.trim_url_end(i, j))
    }

    /// Drops trailing punctuation that belongs to the sentence, not the address.
    fn trim_url_end(&self, i: usize, mut j: usize) -> usize {
        // At least two chars in i..j (as the old per-char `j > i + 1`).
        while j > self.nx(i) {
            let Some(d) = self.prev(j) else { break };
            // ASCII parentheses are single bytes, never inside another char's encoding.
            let part = self.text.as_bytes().get(i..j).unwrap_or(&[]);
            let open_parens = part.iter().filter(|&&b| b == b'(').count();
            let close_parens = part.iter().filter(|&&b| b == b')').count();
            if matches!(d, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '…') || (d == ')' && close_parens > open_parens) {
                j -= d.len_utf8();
            } else {
                break;
            }
        }
        j
    }

    /// "name@example.com": a local part, "@", and a domain.
    fn email_at(&self, i: usize) -> Option<usize> {
        if self.prev(i).is_some_and(is_word_char) {
            return None;
        }
        // ASCII-only runs: one byte per char.
        let mut j = i;
        while self.ch(j).is_some_and(|d| d.is_ascii_alphanumeric() || matches!(d, '.' | '_' | '+' | '-')) {
            j += 1;
        }
        if j == i || self.ch(j) != Some('@') {
            return None;
        }
        let mut k = j + 1;
        while self.ch(k).is_some_and(|d| d.is_ascii_alphanumeric() || matches!(d, '.' | '-')) {
            k += 1;
        }
        let k = self.trim_url_end(j + 1, k);
        let domain = self.text.get(j + 1..k).unwrap_or("");
        domain.contains('.').then_some(k)
    }

    /// "example.com", "bbc.co.uk/news": ASCII labels joined by dots ending in a known TLD.
    fn domain_at(&self, i: usize) -> Option<usize> {
        if self.prev(i).is_some_and(|p| is_word_char(p) || p == '.' || p == '@') {
            return None;
        }
        let label = |j: usize| {
            let mut k = j;
            while self.ch(k).is_some_and(|d| d.is_ascii_alphanumeric() || d == '-') {
                k += 1;
            }
            k
        };
        let mut j = label(i);
        if j == i {
            return None;
        }
        let mut last = (i, j);
        let mut dots = 0;
        while self.ch(j) == Some('.') {
            let k = label(j + 1);
            if k == j + 1 {
                break;
            }
            dots += 1;
            last = (j + 1, k);
            j = k;
        }
        if dots == 0 || self.ch(j).is_some_and(|d| is_word_char(d) && !d.is_ascii()) {
            return None;
        }
        // Labels are ASCII: byte ranges are char ranges.
        let tld = self.text.get(last.0..last.1).unwrap_or("");
        if !TLDS.contains(&tld) {
            return None;
        }
        // Pieces that look like initials ("U.S.") are abbreviations, not domains.
        let first = self.text.get(i..label(i)).unwrap_or("");
        if first.chars().count() <= 2 && first.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        if self.ch(j) == Some('/') {
            while let Some(d) = self.ch(j).filter(|&d| !d.is_whitespace() && !is_quote_char(d)) {
                j += d.len_utf8();
            }
            j = self.trim_url_end(i, j);
        }
        Some(j)
    }

    fn number_at(&mut self, i: usize) -> usize {
        let mut j = self.nx(i);
        loop {
            match self.ch(j) {
                Some(d) if d.is_alphanumeric() || is_combining_mark(d) => j += d.len_utf8(),
                // "3.5", "1,000", "10:30", "1/2": a separator between digits.
                Some('.' | ',' | ':' | '/') if self.ch(j + 1).is_some_and(|d| d.is_ascii_digit()) => j += 2,
                _ => break,
            }
        }
        self.push(i, j, TokenKind::Number);
        j
    }

    fn word_at(&mut self, i: usize) -> usize {
        // Initials and dotted abbreviations: "U.S.", "a.m.", "J.", "e.g.".
        if let Some(end) = self.dotted_at(i) {
            self.push(i, end, TokenKind::Abbreviation);
            return end;
        }
        let mut j = self.nx(i);
        loop {
            match self.ch(j) {
                Some(d) if is_word_char(d) => j += d.len_utf8(),
                Some(a) if is_apostrophe(a) && self.ch(j + a.len_utf8()).is_some_and(|d| d.is_alphabetic()) => {
                    if self.is_possessive_at(j) {
                        break;
                    }
                    j = self.nx(j + a.len_utf8());
                }
                _ => break,
            }
        }
        if self.ch(j) == Some('.') && !self.ch(j + 1).is_some_and(is_word_char) {
            let before_number = self.next_non_space(j + 1).is_some_and(|d| d.is_ascii_digit());
            let w = self.text.get(i..j).unwrap_or("");
            if TITLE_ABBREVIATIONS.contains(&w)
                || OTHER_ABBREVIATIONS.contains(&w)
                || (before_number && NUMBER_ABBREVIATIONS.contains(&w))
            {
                self.push(i, j + 1, TokenKind::Abbreviation);
                return j + 1;
            }
            if let Some(cut) = glued_title_at(w).filter(|_| self.next_non_space(j + 1).is_some_and(char::is_uppercase)) {
                self.push(i, i + cut, TokenKind::Word);
                self.push(i + cut, j + 1, TokenKind::Abbreviation);
                return j + 1;
            }
        }
        self.push(i, j, TokenKind::Word);
        j
    }

    fn next_non_space(&self, mut j: usize) -> Option<char> {
        while let Some(d) = self.ch(j) {
            if !d.is_whitespace() {
                return Some(d);
            }
            if d == '\n' {
                return None;
            }
            j += d.len_utf8();
        }
        None
    }

    /// A run of single letters each followed by a period ("U.S.", "a.m."), or one
    /// capital initial followed by a period and a space ("J. K. Rowling").
    fn dotted_at(&self, i: usize) -> Option<usize> {
        let mut j = i;
        let mut pairs = 0;
        while let Some(c) = self.ch(j).filter(|c| c.is_alphabetic() && self.ch(j + c.len_utf8()) == Some('.')) {
            pairs += 1;
            j += c.len_utf8() + 1;
        }
        if pairs == 0 || self.ch(j).is_some_and(is_word_char) {
            return None;
        }
        if pairs >= 2 {
            return Some(j);
        }
        // One letter: an initial only if it is a capital and a capitalised word, another
        // initial or a hyphen follows ("J. K. Rowling", "U.-S." is rare enough to ignore).
        let c = self.ch(i)?;
        let next = self.next_non_space(j);
        let spaced = self.ch(j).is_some_and(|d| d == ' ');
        if c.is_uppercase() && spaced && next.is_some_and(|d| d.is_uppercase()) {
            return Some(j);
        }
        None
    }
}

/// The lower-case form of every token, in one buffer (one allocation per document
/// instead of one per token and question), as byte ranges: token `i` is
/// `buf[at[i].0..at[i].1]`. The rules and the attribution patterns both read it.
///
/// The buffer starts with the whole text ASCII-lower-cased (a byte-wise map that keeps
/// every offset and leaves other chars alone), so an ASCII token's lower case is its own
/// span there; the lower case of each other token, which may change length, is appended.
pub fn lower_forms(text: &str, tokens: &[Token]) -> (String, Vec<(usize, usize)>) {
    let mut buf = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let non_ascii_from = |from: usize| bytes.get(from..).and_then(|rest| rest.iter().position(|b| !b.is_ascii())).map_or(bytes.len(), |p| from + p);
    // The first non-ASCII byte at or after the current token's start: tokens are sorted,
    // so it only moves forward, and a token before it is ASCII without looking at it.
    let mut next = non_ascii_from(0);
    let mut at = Vec::with_capacity(tokens.len());
    for t in tokens {
        if next < t.span.start {
            next = non_ascii_from(t.span.start);
        }
        let fits = t.span.start < t.span.end && t.span.end <= bytes.len();
        if fits && t.span.end <= next {
            at.push((t.span.start, t.span.end));
        } else {
            let start = buf.len();
            buf.push_str(&t.text(text).to_lowercase());
            at.push((start, buf.len()));
        }
    }
    (buf, at)
}

/// For each token, whether it overlaps one of `spans` (in any order), as
/// `spans.iter().any(|s| s.overlaps(&token.span))` would say, without asking every span
/// for every token: tokens are sorted and disjoint, so those overlapping a span are one
/// run, found by a binary search.
pub fn overlapping(tokens: &[Token], spans: &[Span]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    for s in spans {
        let lo = tokens.partition_point(|t| t.span.end <= s.start);
        for (k, t) in tokens.iter().enumerate().skip(lo) {
            if t.span.start >= s.end {
                break;
            }
            if let Some(o) = out.get_mut(k) {
                *o |= s.overlaps(&t.span);
            }
        }
    }
    out
}

/// Splits `text` into tokens, in text order, non-overlapping, on char boundaries.
pub fn tokenize(text: &str) -> Vec<Token> {
    Scanner { text, tokens: Vec::with_capacity(text.len() / 5) }.run()
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `overlapping` says what asking every span for every token says, and the shared
    /// lower-case buffer gives each token its own `to_lowercase`.
    #[test]
    fn overlapping_and_lower_forms_match_the_plain_questions() {
        let texts = ["Talks resumed on Monday.\nJOIN US ON TELEGRAM\nThe envoy arrived.", "ΟΔΟΣ ΑΘΗΝΑΣ, İstanbul’s MAYOR; Σ. KÖLN", "", "a", "ẞ STRASSE ǅ x — \u{0130}I"];
        for text in texts {
            let tokens = tokenize(text);
            let (buf, at) = lower_forms(text, &tokens);
            assert_eq!(at.len(), tokens.len());
            for (t, &(a, b)) in tokens.iter().zip(&at) {
                assert_eq!(buf.get(a..b), Some(t.text(text).to_lowercase().as_str()), "{text:?}");
            }
            let n = text.len();
            let mut spans = vec![Span::new(0, 0), Span::new(0, n), Span::new(n / 2, n / 2)];
            for a in (0..=n).step_by(3) {
                spans.push(Span::new(a, (a + 7).min(n)));
                spans.push(Span::new(a, a + 1));
            }
            for k in 0..spans.len() {
                // Every prefix of the list, and the list reversed: order must not matter.
                for set in [&spans[..k], &spans.iter().rev().take(k).copied().collect::<Vec<_>>()[..]] {
                    let want: Vec<bool> = tokens.iter().map(|t| set.iter().any(|s| s.overlaps(&t.span))).collect();
                    assert_eq!(overlapping(&tokens, set), want, "{text:?} {set:?}");
                }
            }
        }
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn token_texts() {
        let cases: &[(&str, &[&str])] = &[
            ("Trump’s plan", &["Trump", "’s", "plan"]),
            ("Trump's plan", &["Trump", "'s", "plan"]),
            ("US-Ukraine talks", &["US", "-", "Ukraine", "talks"]),
            ("a 30-day ceasefire", &["a", "30", "-", "day", "ceasefire"]),
            ("the U.S. said", &["the", "U.S.", "said"]),
            ("the U.S.-led force", &["the", "U.S.", "-", "led", "force"]),
            ("Mr. Smith and Mrs. Jones", &["Mr.", "Smith", "and", "Mrs.", "Jones"]),
            ("on Jan. 20, 2025", &["on", "Jan.", "20", ",", "2025"]),
            ("No. 10 Downing", &["No.", "10", "Downing"]),
            ("the answer is no.", &["the", "answer", "is", "no", "."]),
            ("J. K. Rowling wrote", &["J.", "K.", "Rowling", "wrote"]),
            ("at 3 p.m. today", &["at", "3", "p.m.", "today"]),
            ("grew 3.5% to 1,000,000", &["grew", "3.5", "%", "to", "1,000,000"]),
            ("in the 1990s.", &["in", "the", "1990s", "."]),
            ("see https://example.com/a?b=1.", &["see", "https://example.com/a?b=1", "."]),
            ("(www.bbc.co.uk)", &["(", "www.bbc.co.uk", ")"]),
            ("via Reuters.com today", &["via", "Reuters.com", "today"]),
            ("@POTUS posted #Ukraine", &["@POTUS", "posted", "#Ukraine"]),
            ("mail me@example.com.", &["mail", "me@example.com", "."]),
            ("“We will,” she said.", &["“", "We", "will", ",", "”", "she", "said", "."]),
            ("\"Yes\" he said", &["\"", "Yes", "\"", "he", "said"]),
            ("«Non» et „ja“", &["«", "Non", "»", "et", "„", "ja", "“"]),
            ("don't O'Brien we’re", &["don't", "O'Brien", "we’re"]),
            ("''I would,'' he said", &["''", "I", "would", ",", "''", "he", "said"]),
            ("``Yes''", &["``", "Yes", "''"]),
            ("the players’ union", &["the", "players", "’", "union"]),
            ("Wait... what?!", &["Wait", "...", "what", "?!"]),
            ("war — and peace", &["war", "—", "and", "peace"]),
            ("Apple Inc. said", &["Apple", "Inc.", "said"]),
            ("e.g. this", &["e.g.", "this"]),
            ("Plan B. Then", &["Plan", "B.", "Then"]),
            // A run-together list: the title glued to the name before it is its own token.
            ("Kelly AyotteRep. Mike CoffmanSen. Mike Crapo", &["Kelly", "Ayotte", "Rep.", "Mike", "Coffman", "Sen.", "Mike", "Crapo"]),
            ("Lisa MurkowskiLt. Gov. Byron Mallott", &["Lisa", "Murkowski", "Lt.", "Gov.", "Byron", "Mallott"]),
            // Not a glued title: nothing capitalised follows, the head is too short or
            // not lower case, or the word is an abbreviation itself.
            ("the AyotteRep. and", &["the", "AyotteRep", ".", "and"]),
            ("aRep. Mike", &["aRep", ".", "Mike"]),
            ("USRep. Mike", &["USRep", ".", "Mike"]),
            ("Reps. Mike", &["Reps.", "Mike"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&words(text), want, "{text:?}");
        }
    }

    #[test]
    fn token_kinds() {
        use TokenKind::*;
        let q = |mark, role| Quote(super::Quote { mark, role });
        let cases: &[(&str, &[TokenKind])] = &[
            ("Trump’s", &[Word, Possessive]),
            ("US-Ukraine", &[Word, Hyphen, Word]),
            ("a - b", &[Word, Punct, Word]),
            ("U.S. 3.5", &[Abbreviation, Number]),
            ("“a” ‘b’", &[
                q(QuoteMark::Double, QuoteRole::Open),
                Word,
                q(QuoteMark::Double, QuoteRole::Close),
                q(QuoteMark::Single, QuoteRole::Open),
                Word,
                q(QuoteMark::Single, QuoteRole::Close),
            ]),
            ("\"a\" \" b", &[
                q(QuoteMark::Double, QuoteRole::Open),
                Word,
                q(QuoteMark::Double, QuoteRole::Close),
                q(QuoteMark::Double, QuoteRole::Ambiguous),
                Word,
            ]),
            ("«a» ‹b›", &[
                q(QuoteMark::Guillemet, QuoteRole::Open),
                Word,
                q(QuoteMark::Guillemet, QuoteRole::Close),
                q(QuoteMark::SingleGuillemet, QuoteRole::Open),
                Word,
                q(QuoteMark::SingleGuillemet, QuoteRole::Close),
            ]),
            ("„a“", &[q(QuoteMark::Double, QuoteRole::Open), Word, q(QuoteMark::Double, QuoteRole::Open)]),
            ("x. @a #b", &[Word, Terminal, Handle, Hashtag]),
            ("https://a.b", &[Url]),
        ];
        for (text, want) in cases {
            let got: Vec<TokenKind> = tokenize(text).iter().map(|t| t.kind).collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }

    #[test]
    fn odd_scripts_stay_whole() {
        let cases: &[(&str, &[&str])] = &[
            ("e\u{301}te\u{301}", &["e\u{301}te\u{301}"]),
            ("👍🏽 ok", &["👍🏽", "ok"]),
            ("👨‍👩‍👧", &["👨‍👩‍👧"]),
            ("مرحبا بالعالم.", &["مرحبا", "بالعالم", "."]),
            ("a\r\nb\0c", &["a", "b", "\0", "c"]),
            ("\u{301}x", &["\u{301}x"]),
        ];
        for (text, want) in cases {
            assert_eq!(&words(text), want, "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn tokens_cover_non_space_in_order(text in "\\PC{0,60}|[a-zA-Z .,'\"“”‘’«»@#:/\\-]{0,60}") {
            let tokens = tokenize(&text);
            let mut covered = vec![false; text.len()];
            let mut last_end = 0;
            for t in &tokens {
                prop_assert!(t.span.start >= last_end, "overlap or disorder at {:?}", t);
                prop_assert!(t.span.start < t.span.end);
                prop_assert!(t.span.is_valid_in(&text), "off boundary {:?}", t);
                last_end = t.span.end;
                for c in covered.iter_mut().take(t.span.end).skip(t.span.start) { *c = true; }
            }
            for (o, c) in text.char_indices() {
                if !c.is_whitespace() {
                    prop_assert!(covered[o], "{:?} at {} not covered", c, o);
                }
            }
        }

        #[test]
        fn never_panics_on_any_chars(text in any::<String>()) {
            let _ = tokenize(&text);
        }

        /// The byte-offset scan gives exactly the tokens of the old per-char scan, also
        /// around multi-byte quotes, dashes, marks and joiners.
        #[test]
        fn byte_scan_equals_char_scan(text in "(http://|www\\.|\\.com|\\.co\\.uk|U\\.S\\.|Mr\\. |Jan\\. 5|'s|’s|[a-zA-Z0-9]|[sS ]|[ .,;'\"“”‘’«»‹›「」@#:/()\\-‐‑–—…!?`_+]|é|Ö|\u{301}|\u{200d}|\u{fe0f}|\u{1f600}|\u{ff02}|\u{3002}|\n){0,40}") {
            prop_assert_eq!(tokenize(&text), reference::tokenize(&text));
        }

        #[test]
        fn byte_scan_equals_char_scan_any(text in any::<String>()) {
            prop_assert_eq!(tokenize(&text), reference::tokenize(&text));
        }
    }

    /// The byte-offset scan and the old per-char scan agree on every dev text (the shared
    /// evaluation data must be there: a missing folder fails, never skips).
    #[test]
    fn byte_scan_equals_char_scan_on_dev_texts() {
        let shared = crate::cli::shared_dir();
        let sets = std::fs::read_dir(shared.join("eval/dev"))
            .unwrap_or_else(|e| panic!("{}/eval/dev: {e} (set NEWSMARK_SHARED)", shared.display()));
        let mut checked = 0;
        for set in sets.flatten() {
            let Ok(files) = std::fs::read_dir(set.path()) else { continue };
            for f in files.flatten() {
                let Ok(raw) = std::fs::read_to_string(f.path()) else { continue };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&raw) else { continue };
                let Some(text) = v["document"]["text"].as_str().or(v["text"].as_str()) else { continue };
                assert_eq!(tokenize(text), reference::tokenize(text), "{}", f.path().display());
                checked += 1;
            }
        }
        assert!(checked > 0, "no dev texts read");
    }
}

//! The tokenizer as it was before its byte-offset scan: a cursor over a vector with one
//! entry per char. Kept only for tests, which check the fast scan gives the same tokens.

use super::*;

/// A cursor over the text: `chars[i] = (byte offset, char)`.
struct Scanner<'t> {
    text: &'t str,
    chars: Vec<(usize, char)>,
    tokens: Vec<Token>,
}

impl<'t> Scanner<'t> {
    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn off(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(o, _)| o)
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
                i += 1;
            } else if c == '\u{200d}' {
                i += 1;
                if self.ch(i).is_some_and(|c| !c.is_whitespace()) {
                    i += 1;
                }
            } else {
                break;
            }
        }
        i
    }

    fn run(mut self) -> Vec<Token> {
        let n = self.chars.len();
        let mut i = 0;
        while i < n {
            let c = self.chars[i].1;
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            i = self.token_at(i);
        }
        self.tokens
    }

    /// Emits the token(s) starting at char `i`; returns the index after them.
    fn token_at(&mut self, i: usize) -> usize {
        let c = self.chars[i].1;
        if let Some(end) = self.url_at(i) {
            self.push(i, end, TokenKind::Url);
            return end;
        }
        if (c == '@' || c == '#') && self.ch(i + 1).is_some_and(|d| d.is_alphanumeric() || d == '_') {
            let prev_ok = i == 0 || !self.ch(i - 1).is_some_and(is_word_char);
            if prev_ok {
                let mut j = i + 1;
                while self.ch(j).is_some_and(|d| is_word_char(d) || d == '_') {
                    j += 1;
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
                self.push(i, i + 2, TokenKind::Possessive);
                return i + 2;
            }
            let role = role.unwrap_or_else(|| self.straight_quote_role(i));
            let end = self.absorb_marks(i + 1);
            self.push(i, end, TokenKind::Quote(Quote { mark, role }));
            return end;
        }
        if is_hyphen(c) || c == '–' || c == '—' {
            let joins = i > 0
                && is_hyphen(c)
                && self.ch(i - 1).is_some_and(|p| is_word_char(p) || p == '.')
                && self.ch(i + 1).is_some_and(is_word_char);
            let mut j = i + 1;
            if !joins {
                while self.ch(j).is_some_and(|d| d == c) {
                    j += 1;
                }
            }
            self.push(i, j, if joins { TokenKind::Hyphen } else { TokenKind::Punct });
            return j;
        }
        if matches!(c, '.' | '!' | '?' | '…' | '‽' | '。' | '？' | '！') {
            let mut j = i + 1;
            while self.ch(j).is_some_and(|d| matches!(d, '.' | '!' | '?' | '…' | '‽')) {
                j += 1;
            }
            self.push(i, j, TokenKind::Terminal);
            return j;
        }
        let end = self.absorb_marks(i + 1);
        self.push(i, end, TokenKind::Punct);
        end
    }

    /// `'s` / `’s` followed by a non-letter, right after a word or closing bracket.
    fn is_possessive_at(&self, i: usize) -> bool {
        i > 0
            && self.ch(i - 1).is_some_and(|p| is_word_char(p) || p == ')' || p == '.')
            && self.ch(i + 1).is_some_and(|s| s == 's' || s == 'S')
            && !self.ch(i + 2).is_some_and(is_word_char)
    }

    /// A straight quote opens after space / opening punctuation and before a non-space,
    /// closes after a non-space and before space / punctuation.
    fn straight_quote_role(&self, i: usize) -> QuoteRole {
        self.straight_quote_role_n(i, 1)
    }

    /// [`Self::straight_quote_role`] for a mark of `n` chars.
    fn straight_quote_role_n(&self, i: usize, n: usize) -> QuoteRole {
        let before_space = i == 0
            || self
                .ch(i - 1)
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
        while self.ch(j).is_some_and(|d| !d.is_whitespace() && !matches!(d, '"' | '“' | '”' | '<' | '>' | '«' | '»')) {
            j += 1;
        }
        Some(self.trim_url_end(i, j))
    }

    /// Drops trailing punctuation that belongs to the sentence, not the address.
    fn trim_url_end(&self, i: usize, mut j: usize) -> usize {
        while j > i + 1 {
            let d = self.chars[j - 1].1;
            let open_parens = (i..j).filter(|&k| self.chars[k].1 == '(').count();
            let close_parens = (i..j).filter(|&k| self.chars[k].1 == ')').count();
            if matches!(d, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '…') || (d == ')' && close_parens > open_parens) {
                j -= 1;
            } else {
                break;
            }
        }
        j
    }

    /// "name@example.com": a local part, "@", and a domain.
    fn email_at(&self, i: usize) -> Option<usize> {
        if i > 0 && self.ch(i - 1).is_some_and(is_word_char) {
            return None;
        }
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
        let domain: String = (j + 1..k).filter_map(|x| self.ch(x)).collect();
        domain.contains('.').then_some(k)
    }

    /// "example.com", "bbc.co.uk/news": ASCII labels joined by dots ending in a known TLD.
    fn domain_at(&self, i: usize) -> Option<usize> {
        if i > 0 && self.ch(i - 1).is_some_and(|p| is_word_char(p) || p == '.' || p == '@') {
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
        let tld: String = (last.0..last.1).filter_map(|k| self.ch(k)).collect();
        if !TLDS.contains(&tld.as_str()) {
            return None;
        }
        // Pieces that look like initials ("U.S.") are abbreviations, not domains.
        let first: String = (i..label(i)).filter_map(|k| self.ch(k)).collect();
        if first.chars().count() <= 2 && first.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        if self.ch(j) == Some('/') {
            while self.ch(j).is_some_and(|d| !d.is_whitespace() && !is_quote_char(d)) {
                j += 1;
            }
            j = self.trim_url_end(i, j);
        }
        Some(j)
    }

    fn number_at(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        loop {
            match self.ch(j) {
                Some(d) if d.is_alphanumeric() || is_combining_mark(d) => j += 1,
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
        let mut j = i + 1;
        loop {
            match self.ch(j) {
                Some(d) if is_word_char(d) => j += 1,
                Some(a) if is_apostrophe(a) && self.ch(j + 1).is_some_and(|d| d.is_alphabetic()) => {
                    if self.is_possessive_at(j) {
                        break;
                    }
                    j += 2;
                }
                _ => break,
            }
        }
        if self.ch(j) == Some('.') && !self.ch(j + 1).is_some_and(is_word_char) {
            let before_number = self.next_non_space(j + 1).is_some_and(|d| d.is_ascii_digit());
            // Chars i..j are contiguous: the word is that slice of the text.
            let w = self.text.get(self.off(i)..self.off(j)).unwrap_or("");
            if TITLE_ABBREVIATIONS.contains(&w)
                || OTHER_ABBREVIATIONS.contains(&w)
                || (before_number && NUMBER_ABBREVIATIONS.contains(&w))
            {
                self.push(i, j + 1, TokenKind::Abbreviation);
                return j + 1;
            }
            if let Some(cut) = glued_title_at(w).filter(|_| self.next_non_space(j + 1).is_some_and(char::is_uppercase)) {
                // `cut` is a byte offset into `w`; positions here count chars.
                let head = w.get(..cut).map_or(0, |h| h.chars().count());
                self.push(i, i + head, TokenKind::Word);
                self.push(i + head, j + 1, TokenKind::Abbreviation);
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
            j += 1;
        }
        None
    }

    /// A run of single letters each followed by a period ("U.S.", "a.m."), or one
    /// capital initial followed by a period and a space ("J. K. Rowling").
    fn dotted_at(&self, i: usize) -> Option<usize> {
        let mut j = i;
        let mut pairs = 0;
        while self.ch(j).is_some_and(|c| c.is_alphabetic()) && self.ch(j + 1) == Some('.') {
            pairs += 1;
            j += 2;
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

/// Splits `text` into tokens, in text order, non-overlapping, on char boundaries.
pub fn tokenize(text: &str) -> Vec<Token> {
    // A char per byte at most: one allocation for the char index.
    let mut chars = Vec::with_capacity(text.len());
    chars.extend(text.char_indices());
    Scanner { text, chars, tokens: Vec::with_capacity(text.len() / 5) }.run()
}

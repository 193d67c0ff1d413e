//! A private stand-in tokenizer, used until the shared one (`extract::tokenize`) lands:
//! runs of letters/digits (keeping "U.S."-style initials and "3.5" decimals together),
//! clitics ("'s", "n't" split off the word before), and single punctuation marks.

use crate::extract::span::Span;

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Token spans (byte offsets) of `text`, in order, never empty, never across whitespace.
pub fn tokenize(text: &str) -> Vec<Span> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (b, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if is_apostrophe(c) && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphabetic()) && k > 0 && is_word(chars[k - 1].1) {
            // A clitic glued to the previous word: "'s", "'re".
            let mut j = k + 1;
            while j < chars.len() && chars[j].1.is_alphabetic() {
                j += 1;
            }
            out.push(Span::new(b, end_of(j)));
            k = j;
            continue;
        }
        if !is_word(c) {
            out.push(Span::new(b, end_of(k + 1)));
            k += 1;
            continue;
        }
        let mut j = k;
        loop {
            while j < chars.len() && is_word(chars[j].1) {
                j += 1;
            }
            // Keep going through "." or "," between digits, and through "X." initials.
            let glue = chars.get(j).map(|&(_, c)| c);
            let next = chars.get(j + 1).map(|&(_, c)| c);
            let prev = chars[j - 1].1;
            let digits = matches!(glue, Some('.' | ',' | ':')) && prev.is_numeric() && next.is_some_and(char::is_numeric);
            let initials = glue == Some('.') && prev.is_uppercase() && (j - k == 1 || chars[j - 2].1 == '.')
                && next.is_some_and(char::is_uppercase)
                && chars.get(j + 2).is_some_and(|&(_, c)| c == '.');
            if digits || initials {
                j += 1;
                continue;
            }
            if glue == Some('.') && prev.is_uppercase() && j >= k + 3 && chars[j - 2].1 == '.' {
                // the final dot of "U.S."
                j += 1;
            }
            break;
        }
        // "n't": split "don't" as "do" + "n't".
        if j + 1 < chars.len() && is_apostrophe(chars[j].1) && chars[j + 1].1 == 't' && j > k + 1 && chars[j - 1].1 == 'n' {
            out.push(Span::new(b, chars[j - 1].0));
            out.push(Span::new(chars[j - 1].0, end_of(j + 2)));
            k = j + 2;
            continue;
        }
        out.push(Span::new(b, end_of(j)));
        k = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let table: [(&str, &[&str]); 7] = [
            ("Trump’s envoy", &["Trump", "’s", "envoy"]),
            ("the U.S. said", &["the", "U.S.", "said"]),
            ("US-Ukraine talks", &["US", "-", "Ukraine", "talks"]),
            ("3.5 per cent, 1,000", &["3.5", "per", "cent", ",", "1,000"]),
            ("don't \"go\"", &["do", "n't", "\"", "go", "\""]),
            ("Mr. Kato.", &["Mr", ".", "Kato", "."]),
            ("", &[]),
        ];
        for (text, want) in table {
            let got: Vec<&str> = tokenize(text).iter().map(|s| s.slice(text).unwrap()).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}

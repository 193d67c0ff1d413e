//! The word tokens agreement is counted on: maximal runs of word characters, as Python's
//! `re.compile(r"\w+")` finds them, because `../shared/eval/score.py` (the project's scorer,
//! and the independent check of [`super::agree`]) counts content tokens that way.
//!
//! A word character is a letter or number (`str.isalnum()`) or `_`. Rust's
//! `char::is_alphanumeric` also counts combining marks that carry the Alphabetic property
//! (Devanagari vowel signs, for instance), which Python's `\w` does not, so marks are taken
//! out. The one known remaining difference is a handful of symbols with the
//! Other_Alphabetic property (circled letters such as Ⓐ), word characters here but not in
//! Python; news text does not use them as words.

use unicode_normalization::char::is_combining_mark;

/// Whether `c` is a word character in Python's `\w` sense (see the module header).
pub fn is_word_char(c: char) -> bool {
    c == '_' || (c.is_alphanumeric() && !is_combining_mark(c))
}

/// The byte ranges of the word tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_python_word_runs() {
        let table: &[(&str, &[&str])] = &[
            ("", &[]),
            ("Hello, world!", &["Hello", "world"]),
            ("don't snake_case 42nd", &["don", "t", "snake_case", "42nd"]),
            ("Zürich São Paulo", &["Zürich", "São", "Paulo"]),
            ("北京 ½ Ⅻ", &["北京", "½", "Ⅻ"]),
            // A combining acute (NFD) splits the word in Python's \w, and here.
            ("Cafe\u{301} x", &["Cafe", "x"]),
            ("“Quoted” — said", &["Quoted", "said"]),
        ];
        for (text, want) in table {
            let got: Vec<&str> = tokens(text).into_iter().map(|(s, e)| &text[s..e]).collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}

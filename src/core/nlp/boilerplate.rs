//! Boilerplate: whole lines of a page that are not the article's prose — newsletter and
//! social prompts ("JOIN US ON TELEGRAM", "Follow our coverage … @handle"), widget
//! headings ("Other Topics of Interest", "Read more"), teaser headlines repeated from
//! elsewhere on the site and their blurbs, bylines, image credits, lone URLs.
//!
//! Only general signals: capitals, missing final punctuation, duplicated lines, handles and
//! URLs, imperative social verbs, widget vocabulary, line length and position. A line is
//! scored on its own first; then short headline-like lines wedged between boilerplate
//! lines join them, and a teaser headline pulls in the one prose line that follows it.

use crate::core::nlp::fasthash::FxHashSet;
use crate::core::model::span::Span;

/// Verbs that open a call to action on news pages.
const SOCIAL_VERBS: &[&str] = &[
    "follow", "join", "subscribe", "sign", "click", "download", "share", "like", "watch", "listen", "read",
    "support", "donate", "register", "get", "visit", "tap", "install", "check",
];

/// Words of widget headings and prompts ("Related stories", "Other Topics of Interest").
const WIDGET_WORDS: &[&str] = &[
    "related", "topics", "interest", "recommended", "popular", "trending", "latest", "more", "newsletter",
    "newsletters", "advertisement", "sponsored", "subscribe", "comments", "comment", "also", "stories",
    "articles", "telegram", "whatsapp", "facebook", "twitter", "instagram", "youtube", "tiktok", "podcast",
    "updates", "inbox", "email", "e-mail", "app", "channel", "coverage", "copyright", "rights", "reserved",
    "cookies", "cookie", "privacy",
];

/// One of [`WIDGET_WORDS`] (a set: every word of every line is checked).
fn is_widget_word(lower: &str) -> bool {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| WIDGET_WORDS.iter().copied().collect()).contains(lower)
}

/// Openers of credit lines ("Photo: …", "Image credit …").
const CREDIT_WORDS: &[&str] = &["photo", "photos", "image", "images", "picture", "pictures", "credit", "photograph", "video", "illustration", "source"];

/// Facts about one line.
#[derive(Clone, Debug)]
struct Line<'t> {
    span: Span,
    words: Vec<&'t str>,
    /// The line ASCII-lower-cased, then the lower case of each non-ASCII word appended
    /// (one allocation per line, not per word): word `i` is
    /// `lower[lower_at[i].0..lower_at[i].1]`, for an ASCII word its own place in the line.
    lower: String,
    lower_at: Vec<(usize, usize)>,
    /// Letters are all upper case (and there are at least two words).
    all_caps: bool,
    /// Most words start upper case (headline style).
    title_case: bool,
    /// Ends with . ! ? : or a closing quote after one of them.
    terminal: bool,
    handle_or_url: bool,
    /// How many times the same text occurs as a line in the document.
    copies: usize,
    /// The first word is followed by ":", "|" or "/" ("Photo: …").
    credit_sep: bool,
    /// Whitespace-separated pieces (a URL is one).
    chunks: usize,
}

/// What [`class_of`] calls a word char (kept plain for the test that compares them).
#[cfg(test)]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '@'
}

/// What [`analyse`] asks of each char, as bits.
const WORD: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const SPACE: u8 = 8;

/// The class bits of a char: a word char; an upper or lower case letter (letters only);
/// whitespace.
fn class_of(c: char) -> u8 {
    let letter = c.is_alphabetic();
    // `is_word_char`, reusing `letter` (`is_alphanumeric` is alphabetic or numeric): the
    // Unicode tables are asked once, not twice.
    let word = letter || c.is_numeric() || c == '\'' || c == '’' || c == '-' || c == '@';
    (if word { WORD } else { 0 })
        | (if letter && c.is_uppercase() { UPPER } else { 0 })
        | (if letter && !c.is_uppercase() && c.is_lowercase() { LOWER } else { 0 })
        | (if c.is_whitespace() { SPACE } else { 0 })
}

/// [`class_of`] for every ASCII char, looked up instead of decoded and tested (most text
/// is ASCII).
fn ascii_classes() -> &'static [u8; 128] {
    static TABLE: std::sync::OnceLock<[u8; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|b| class_of(char::from(b as u8))))
}

/// A whitespace-separated piece that is a handle or a web address ("@handle", "(https://…").
#[inline]
fn is_handle_or_url(piece: &str) -> bool {
    // Most pieces are plain words: one starting with an ASCII letter or digit keeps it
    // (nothing is trimmed), and only "h…" or "w…" can then start an address. Asked of
    // every piece of the text, so this skips the trim and the three prefix tests.
    if piece.as_bytes().first().is_some_and(|&b| b.is_ascii_alphanumeric() && b != b'h' && b != b'w') {
        return false;
    }
    is_handle_or_url_slow(piece)
}

/// [`is_handle_or_url`] without its shortcut (the tests compare the two).
fn is_handle_or_url_slow(piece: &str) -> bool {
    let w = piece.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
    w.starts_with('@') && w.len() > 1 || w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.")
}

impl Line<'_> {
    /// Word `i` in lower case ("" past the end).
    fn lower(&self, i: usize) -> &str {
        self.lower_at.get(i).and_then(|&(a, b)| self.lower.get(a..b)).unwrap_or("")
    }

    fn lower_words(&self) -> impl Iterator<Item = &str> {
        (0..self.words.len()).map(|i| self.lower(i))
    }
}

fn analyse(text: &str, span: Span) -> Line<'_> {
    let s = span.slice(text).unwrap_or("");
    // One pass over the chars (lines are most of the text): the words (maximal runs of
    // word chars), the upper and lower case letters, the whitespace-separated pieces.
    // Words and where each starts and ends in `s`; every word but the last takes two
    // bytes at least (a char and a separator), so these never grow.
    let mut words: Vec<&str> = Vec::with_capacity(s.len() / 2 + 1);
    let mut word_at: Vec<(usize, usize)> = Vec::with_capacity(s.len() / 2 + 1);
    let (mut upper, mut lower_case) = (0usize, 0usize);
    let (mut chunks, mut handle_or_url) = (0usize, false);
    let (mut word_from, mut piece_from): (Option<usize>, Option<usize>) = (None, None);
    let ascii = ascii_classes();
    let bytes = s.as_bytes();
    let mut o = 0;
    while let Some(&b) = bytes.get(o) {
        let (class, len) = match ascii.get(usize::from(b)) {
            Some(&class) => (class, 1),
            None => {
                // `o` is always on a char boundary: it moves by whole chars.
                let c = s.get(o..).and_then(|rest| rest.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
                (class_of(c), c.len_utf8())
            }
        };
        if class & WORD != 0 {
            word_from.get_or_insert(o);
        } else if let Some(a) = word_from.take() {
            words.push(s.get(a..o).unwrap_or(""));
            word_at.push((a, o));
        }
        upper += usize::from(class & UPPER != 0);
        lower_case += usize::from(class & LOWER != 0);
        if class & SPACE != 0 {
            if let Some(a) = piece_from.take() {
                chunks += 1;
                // Once one piece is an address the line is: the rest need not be asked.
                handle_or_url = handle_or_url || is_handle_or_url(s.get(a..o).unwrap_or(""));
            }
        } else {
            piece_from.get_or_insert(o);
        }
        o += len;
    }
    if let Some(a) = word_from {
        words.push(s.get(a..).unwrap_or(""));
        word_at.push((a, s.len()));
    }
    if let Some(a) = piece_from {
        chunks += 1;
        handle_or_url |= is_handle_or_url(s.get(a..).unwrap_or(""));
    }
    // ASCII lower-casing maps byte to byte and leaves other chars alone, so an ASCII
    // word's lower case sits at its own offsets in the lower-cased line.
    let mut lower = s.to_ascii_lowercase();
    let mut lower_at = Vec::with_capacity(words.len());
    for (w, &at) in words.iter().zip(&word_at) {
        if w.is_ascii() {
            lower_at.push(at);
        } else {
            let start = lower.len();
            lower.push_str(&w.to_lowercase());
            lower_at.push((start, lower.len()));
        }
    }
    let all_caps = words.len() >= 2 && upper >= 4 && lower_case == 0;
    // Function words stay lower case in headlines ("Vows to Hold the Line in Kursk").
    let (mut content, mut capped) = (0usize, 0usize);
    for (w, &(a, b)) in words.iter().zip(&lower_at) {
        if !is_minor_lower(lower.get(a..b).unwrap_or("")) {
            content += 1;
            capped += usize::from(w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()));
        }
    }
    let title_case = content > 0 && capped * 10 >= content * 8 && words.len() >= 2;
    let trimmed = s.trim_end_matches(['"', '”', '’', '\'', ')', '»', ' ']);
    let terminal = trimmed.ends_with(['.', '!', '?', ':', '…']);
    let head = s.trim_start();
    let credit_sep = head
        .find(|c: char| !c.is_alphanumeric())
        .and_then(|i| head.get(i..))
        .is_some_and(|rest| rest.trim_start().starts_with([':', '|', '/']));
    Line { span, words, lower, lower_at, all_caps, title_case, terminal, handle_or_url, copies: 1, credit_sep, chunks }
}

/// A function word, given in lower case.
fn is_minor_lower(w: &str) -> bool {
    matches!(
        w,
        "a" | "an" | "the" | "and" | "or" | "but" | "of" | "in" | "on" | "at" | "to" | "for" | "by" | "with" | "as"
            | "from" | "into" | "over" | "vs" | "via" | "is" | "it's" | "it’s" | "s"
    )
}

/// Why a line was judged boilerplate on its own, if it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    /// A call to action: social verb first, or a handle/URL with a prompt.
    Prompt,
    /// A short widget heading ("Read more", "Other Topics of Interest").
    Widget,
    /// A headline-like line that occurs more than once.
    Teaser,
    Byline,
    Credit,
    /// Only a URL or handle.
    Link,
}

fn own_reason(l: &Line, index: usize) -> Option<Reason> {
    let n = l.words.len();
    if n == 0 {
        return None;
    }
    let first = l.lower(0);
    // Whether some word is a widget word: a set lookup per word, so asked only when the
    // cheaper conditions around it hold (most prose lines never need it).
    let widgety = || l.lower_words().any(is_widget_word);
    if l.chunks <= 2 && l.handle_or_url {
        return Some(Reason::Link);
    }
    // "Follow our coverage … on the @handle", "JOIN US ON TELEGRAM", "Sign up for …".
    if SOCIAL_VERBS.contains(&first) && n <= 25 {
        let second = l.lower(1);
        let addressed = matches!(second, "us" | "our" | "more" | "up" | "the" | "now" | "here" | "this" | "all" | "out" | "on" | "to" | "for" | "in");
        if l.handle_or_url || l.all_caps || (addressed && !l.terminal && n <= 8) || widgety() {
            return Some(Reason::Prompt);
        }
    }
    if l.handle_or_url && n <= 25 && widgety() {
        return Some(Reason::Prompt);
    }
    if l.copies >= 2 && !l.terminal && (l.title_case || l.all_caps) && n <= 25 {
        return Some(Reason::Teaser);
    }
    if !l.terminal && n <= 6 && (l.title_case || l.all_caps || n <= 3) && widgety() {
        return Some(Reason::Widget);
    }
    if l.all_caps && !l.terminal && n <= 6 && widgety() {
        return Some(Reason::Widget);
    }
    // "By Jane Doe and John Roe", "By Jane Doe, Reuters": not the first line (a title).
    if first == "by" && n <= 8 && !l.terminal && l.words.iter().enumerate().skip(1).filter(|&(i, _)| !is_minor_lower(l.lower(i))).all(|(_, w)| w.chars().next().is_some_and(char::is_uppercase)) && index > 0 {
        return Some(Reason::Byline);
    }
    // "Photo: Jane Doe / Reuters", "Image by …", "Credit | …".
    if CREDIT_WORDS.contains(&first) && (2..=15).contains(&n) && matches!(l.lower(1), "by" | "credit" | "courtesy") {
        return Some(Reason::Credit);
    }
    if CREDIT_WORDS.contains(&first) && (2..=15).contains(&n) && l.credit_sep {
        return Some(Reason::Credit);
    }
    if n <= 12 && l.lower_words().any(|w| w == "getty" || w == "shutterstock") {
        return Some(Reason::Credit);
    }
    None
}

/// Boilerplate lines of `text`, as byte spans of whole lines (without the newline and
/// surrounding whitespace), in text order. Never panics.
///
/// ```
/// use newsmark::core::nlp::boilerplate::boilerplate;
/// let text = "Talks resumed on Monday.\nJOIN US ON TELEGRAM\nThe envoy arrived.";
/// let spans = boilerplate(text);
/// assert_eq!(spans.len(), 1);
/// assert_eq!(&text[spans[0].start..spans[0].end], "JOIN US ON TELEGRAM");
/// ```
pub fn boilerplate(text: &str) -> Vec<Span> {
    let mut lines: Vec<Line> = crate::core::nlp::sentence::paragraphs(text).into_iter().map(|s| analyse(text, s)).collect();
    // Copies of each line's text: sorted by (length, text), equal lines are neighbours,
    // and most comparisons stop at the length (cheaper than hashing every line).
    let keys: Vec<&str> = lines.iter().map(|l| l.span.slice(text).unwrap_or("")).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    let key = |i: usize| keys.get(i).map_or((0, ""), |k| (k.len(), *k));
    order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
    let mut run = 0;
    while run < order.len() {
        let first = key(order[run]);
        let end = run + order[run..].iter().take_while(|&&i| key(i) == first).count();
        for &i in &order[run..end] {
            if let Some(l) = lines.get_mut(i) {
                l.copies = end - run;
            }
        }
        run = end;
    }
    let reasons: Vec<Option<Reason>> = lines.iter().enumerate().map(|(i, l)| own_reason(l, i)).collect();
    let mut marked: Vec<bool> = reasons.iter().map(Option::is_some).collect();

    // A short headline-like line between two boilerplate lines is part of the widget.
    for i in 1..lines.len().saturating_sub(1) {
        let l = &lines[i];
        if !marked[i] && marked[i - 1] && marked[i + 1] && !l.terminal && l.words.len() <= 12 && (l.title_case || l.all_caps) {
            marked[i] = true;
        }
    }
    // A teaser headline carries its blurb: the one prose line right after it, when the
    // teaser block sits inside the article (prose before it) — the blurb is then a line
    // that the article's own flow does not need. Only when the teaser is the last of a
    // boilerplate block.
    for i in 0..lines.len() {
        if reasons[i] == Some(Reason::Teaser) && i + 1 < lines.len() && !marked[i + 1] {
            let next = &lines[i + 1];
            let block_before = i > 0 && marked[i - 1];
            if block_before && next.terminal && !next.title_case && next.words.len() <= 60 {
                marked[i + 1] = true;
            }
        }
    }
    lines.iter().zip(marked).filter(|(_, m)| *m).map(|(l, _)| l.span).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word bit of `class_of` is `is_word_char`, for every char of the first planes.
    #[test]
    fn class_word_bit_is_word_char() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(class_of(c) & WORD != 0, is_word_char(c), "{c:?}");
        }
    }

    /// Each word's lower case, read from the shared lower-cased line, is the word's own.
    #[test]
    fn line_lower_forms_are_each_words_lower_case() {
        for line in ["JOIN US ON TELEGRAM", "Émile Zola’s ΟΔΟΣ, İstanbul and KÖLN-Süd", "", "  a  b ", "ẞ x-Ray @Handle https://x.y"] {
            let l = analyse(line, Span::new(0, line.len()));
            assert!(!line.trim().is_empty() || l.words.is_empty());
            for (i, w) in l.words.iter().enumerate() {
                assert_eq!(l.lower(i), w.to_lowercase(), "{line:?} word {i}");
            }
        }
    }

    fn marked(text: &str) -> Vec<&str> {
        boilerplate(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn single_lines() {
        let prose = "The minister said the talks would resume on Monday.";
        let cases: &[(&str, bool)] = &[
            ("JOIN US ON TELEGRAM", true),
            ("Follow our coverage of the war on the @Kyivpost_official.", true),
            ("Sign up for our daily newsletter", true),
            ("Read more", true),
            ("Related Stories", true),
            ("Other Topics of Interest", true),
            ("Photo: Jane Doe / Reuters", true),
            ("https://example.com/news/123", true),
            ("Follow the money, the investigators said, and the case falls apart.", false),
            ("Russia and Ukraine held talks in Jeddah.", false),
            ("Read the full statement below.", false),
            ("SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .", false),
        ];
        for (line, want) in cases {
            let text = format!("{prose}\n{line}\n{prose} Again.");
            let got = marked(&text);
            assert_eq!(got == vec![*line], *want, "{line:?}: got {got:?}");
        }
    }

    #[test]
    fn teaser_block_with_blurb() {
        let text = "Officials met on Monday in the capital.\n\
            Army Chief Vows to Hold the Line\n\
            Other Topics of Interest\n\
            Army Chief Vows to Hold the Line\n\
            Reports indicate that troops may be retreating from the region.\n\
            However, the president has repeatedly stated that he wants a deal.";
        assert_eq!(
            marked(text),
            [
                "Army Chief Vows to Hold the Line",
                "Other Topics of Interest",
                "Army Chief Vows to Hold the Line",
                "Reports indicate that troops may be retreating from the region."
            ]
        );
    }

    #[test]
    fn title_and_prose_are_kept() {
        let text = "Envoy to Visit Moscow This Week\nThe envoy will visit Moscow, the spokeswoman said.\nBy the end of the week, talks may begin.";
        assert!(marked(text).is_empty(), "{:?}", marked(text));
    }

    #[test]
    fn byline() {
        let text = "Envoy to Visit Moscow\nBy Jane Doe and John Roe\nThe envoy will visit Moscow.";
        assert_eq!(marked(text), ["By Jane Doe and John Roe"]);
    }

    proptest::proptest! {
        #[test]
        fn handle_or_url_shortcut_is_exact(p in "(@|http://|https://|www\\.|[hwHW(\\[\"“@#a-z0-9.:/]|é|١){0,10}") {
            proptest::prop_assert_eq!(is_handle_or_url(&p), is_handle_or_url_slow(&p));
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in ["", "\n\n", "é\n’", "@", "\u{0}\n\u{0}", "A\nA\nA"] {
            let _ = boilerplate(t);
        }
    }
}

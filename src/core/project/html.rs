//! Reducing an HTML page to article text: paragraphs kept (one per line), scripts, styles
//! and the `<head>` dropped, entities decoded, whitespace collapsed.
//!
//! A small forgiving scanner rather than a full HTML parser: saved news pages are often
//! broken, and all the editor needs is the readable text with its paragraph breaks. It
//! never panics and never interprets markup (the result is plain text, shown as text).

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"];

/// Elements that end a paragraph (their start and end both break the line).
const BLOCKS: &[&str] = &[
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td",
    "th", "table", "blockquote", "pre", "section", "article", "header", "footer", "aside", "nav", "main",
    "figure", "figcaption", "address", "body", "html", "title", "form", "fieldset", "details", "summary",
];

/// The text of an HTML document, one paragraph per line.
///
/// ```
/// use newsmark::core::project::html::html_to_text;
/// let html = "<p>Hello <b>world</b> &amp; co.</p><script>x()</script><p>Bye&nbsp;now</p>";
/// assert_eq!(html_to_text(html), "Hello world & co.\nBye now");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = Paragraphs::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.text(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(tag) = parse_tag(rest) else {
            // A lone '<' in text ("a < b").
            out.text("<");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if !tag.closing && SKIPPED.contains(&tag.name.as_str()) {
            rest = skip_to_close(rest, &tag.name);
            out.block();
        } else if BLOCKS.contains(&tag.name.as_str()) {
            out.block();
        }
    }
    out.text(rest);
    out.finish()
}

/// The page's `<title>`, when it has a non-empty one.
pub fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let t = collapse(&decode_entities(html.get(start..end)?));
    (!t.is_empty()).then_some(t)
}

/// A tag at the start of `s`: its lower-cased name, whether it closes, and its length.
struct Tag {
    name: String,
    closing: bool,
    len: usize,
}

fn parse_tag(s: &str) -> Option<Tag> {
    let body = s.strip_prefix('<')?;
    let (closing, body) = match body.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let first = body.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '!' || first == '?') {
        return None;
    }
    let name: String =
        body.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>().to_ascii_lowercase();
    // The tag ends at the first '>' outside a quoted attribute value.
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(Tag { name, closing, len: i + 1 }),
            _ => {}
        }
    }
    // Unterminated: swallow the rest.
    Some(Tag { name, closing, len: s.len() })
}

/// The input after `</name>` (or nothing, if it is never closed).
fn skip_to_close<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        // `to_ascii_lowercase` keeps byte offsets, so `i` is valid in `s`.
        Some(i) => s.get(i..).and_then(|t| t.find('>').map(|j| &t[j + 1..])).unwrap_or(""),
        None => "",
    }
}

/// Collects text into paragraphs with collapsed whitespace.
#[derive(Default)]
struct Paragraphs {
    done: Vec<String>,
    current: String,
}

impl Paragraphs {
    fn text(&mut self, raw: &str) {
        if !raw.is_empty() {
            self.current.push_str(&decode_entities(raw));
        }
    }

    fn block(&mut self) {
        let p = collapse(&self.current);
        if !p.is_empty() {
            self.done.push(p);
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.block();
        self.done.join("\n")
    }
}

/// Runs of whitespace (including no-break spaces from `&nbsp;`) become one space; edges
/// are trimmed.
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Decodes character references: numeric ones and the named ones news pages use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        "szlig" => 'ß',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_table() {
        let cases: [(&str, &str); 12] = [
            ("", ""),
            ("plain text", "plain text"),
            ("<p>One</p><p>Two</p>", "One\nTwo"),
            ("<div>a<br>b<br/>c</div>", "a\nb\nc"),
            ("<p>Spread\n   over   lines</p>", "Spread over lines"),
            ("<head><title>T</title><style>p{}</style></head><body><p>Body</p></body>", "Body"),
            ("<p>x</p><SCRIPT type=\"a\">if (a < b) {}</SCRIPT><p>y</p>", "x\ny"),
            ("<p>“Quote,” <a href=\"/x?a=1&b=>\">she</a> said.</p>", "“Quote,” she said."),
            ("<p>a &lt; b &amp;&amp; c &#8217; &#x201C; &bogus; &</p>", "a < b && c ’ “ &bogus; &"),
            ("<!-- <p>hidden</p> --><p>shown</p>", "shown"),
            ("<p>1 < 2</p>", "1 < 2"),
            ("<ul><li>one</li><li>two</li></ul><p>unclosed <b", "one\ntwo\nunclosed"),
        ];
        for (html, want) in cases {
            assert_eq!(html_to_text(html), want, "{html:?}");
        }
    }

    #[test]
    fn title_and_never_panics() {
        assert_eq!(html_title("<html><head><title> A &amp; B </title></head></html>").as_deref(), Some("A & B"));
        assert_eq!(html_title("<p>no title</p>"), None);
        for s in ["<", "&", "&#", "&#x;", "<p", "</", "<script>", "<!--", "é<é>é", "&#xD800;", "<a b='>"] {
            let _ = html_to_text(s);
            let _ = html_title(s);
        }
        assert_eq!(html_to_text("é<é>é"), "é<é>é", "'<' before a non-letter is text");
    }
}

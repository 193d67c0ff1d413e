//! Measures HTML import (what "Open…" does with an `.html` file: decode, reduce to text,
//! title, normalise) on two pages built here: the 1.1 MB page of 100,000 empty
//! `<svg></svg>` from issue 12, and a 5 MB news page (paragraphs with entities and
//! links, scripts, styles, inline SVG icons, navigation).
//! Run: `cargo run --release --bin html_bench` (`-- svg` for the SVG page only).
//! Natively only; a no-op on wasm.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use newsmark::core::model::text;
    use newsmark::core::project::html::{html_title, html_to_text};
    use std::time::Instant;

    fn open(name: &str, page: &str) {
        let runs = 5;
        let mut best = f64::MAX;
        let mut chars = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let html = text::decode(page.as_bytes()).expect("UTF-8");
            let body = text::normalize(&html_to_text(&html));
            let title = html_title(&html);
            best = best.min(t.elapsed().as_secs_f64());
            chars = body.chars().count() + title.map_or(0, |t| t.len());
        }
        println!(
            "{name}: {:.2} MB of HTML -> {chars} characters of text in {:.1} ms (best of {runs})",
            page.len() as f64 / 1e6,
            best * 1000.0
        );
    }

    let svg = "<svg></svg>".repeat(100_000);
    open("100,000 <svg></svg>", &svg);
    if std::env::args().nth(1).as_deref() == Some("svg") {
        return;
    }

    let mut page = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council votes &amp; \
         the mayor reacts</title><style>body{font:16px serif}</style><script>var a = 1 < 2;</script></head><body>",
    );
    let mut i = 0;
    while page.len() < 5_000_000 {
        i += 1;
        page.push_str("<nav class=\"menu\"><ul><li><a href=\"/world\">World</a></li><li><a href=\"/politics\">Politics</a></li></ul></nav>");
        page.push_str(&format!(
            "<article><h2>Part {i}</h2><p class=\"lead\" data-x='a > b'>&ldquo;We will vote on Tuesday,&rdquo; \
             <a href=\"/people/maria-silva?ref=a&amp;b=2\">Maria Silva</a>, the mayor of Lisbon, told \
             <b>Reuters</b> on Monday.</p><p>The council&#8217;s 31 members &mdash; from four parties \
             &mdash; met in the city hall.<br>Officials said the plan would cost &euro;2.4m.</p>\
             <svg viewBox=\"0 0 10 10\"><path d=\"M0 0L10 10\"/></svg><!-- ad slot {i} -->\
             <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"n\":{i}}}</script>\
             <figure><img src=\"/i/{i}.jpg\" alt=\"The council\"><figcaption>The council in session.</figcaption></figure></article>"
        ));
    }
    page.push_str("</body></html>");
    open("news page", &page);
}

#[cfg(target_arch = "wasm32")]
fn main() {}

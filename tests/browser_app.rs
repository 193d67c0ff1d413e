//! Browser tests of the app skeleton: mount `App` into a fresh element, let yew's scheduler
//! finish, assert on the DOM. Run by `cargo test --target wasm32-unknown-unknown` in
//! headless Chromium (see `.cargo/config.toml`).
#![cfg(target_arch = "wasm32")]

use newsmark::core::{self, AnnotationSet, Document, Edit, Kind, Label, Span};
use newsmark::ui::open::{open_file, OpenError};
use newsmark::ui::sample::{sample_set, SAMPLE_TEXT};
use newsmark::ui::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Renders the app with `initial` into a new `<div>` and waits for the first render.
async fn mount(initial: Option<AnnotationSet>) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { initial }).render();
    yew::scheduler::flush().await;
    root
}

fn marks(root: &Element) -> Vec<Element> {
    let list = root.query_selector_all("mark[data-label]").unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn text_of(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in text");
    Span::new(start, start + needle.len())
}

/// The sample with hand-made entities (nested and crossing) and one attribution, so the
/// rendering is tested whatever the pipeline finds.
fn annotated_sample() -> AnnotationSet {
    let doc = newsmark::ui::sample::sample_document();
    let t = doc.text.clone();
    let edits = vec![
        Edit::AddEntity { label: Label::Person, span: span_of(&t, "Caroline Leavitt") },
        Edit::AddEntity { label: Label::Role, span: span_of(&t, "White House spokeswoman Caroline Leavitt") },
        Edit::AddEntity { label: Label::Org, span: span_of(&t, "White House") },
        Edit::AddEntity { label: Label::Gpe, span: span_of(&t, "Moscow") },
        Edit::AddAttribution {
            kind: Kind::Mixed,
            source: Some(span_of(&t, "White House spokeswoman Caroline Leavitt")),
            cue: Some(span_of(&t, "reported")),
            content: core::Extent::single(span_of(&t, "“to urge Russia")),
        },
    ];
    AnnotationSet::new(doc).apply_all(&edits).unwrap()
}

#[wasm_bindgen_test]
async fn shows_the_sample_article_as_text() {
    let root = mount(None).await;
    let shown = text_of(&root);
    for line in SAMPLE_TEXT.lines().filter(|l| !l.trim().is_empty()) {
        assert!(shown.contains(line.trim()), "missing paragraph: {line}");
    }
    assert!(root.query_selector("button").unwrap().is_some());
    let paragraphs = root.query_selector_all("article p").unwrap().length() as usize;
    assert_eq!(paragraphs, SAMPLE_TEXT.lines().filter(|l| !l.trim().is_empty()).count());
}

#[wasm_bindgen_test]
async fn renders_entities_as_marks_nested_without_losing_text() {
    let set = annotated_sample();
    let root = mount(Some(set.clone())).await;
    let marks = marks(&root);
    let labels: std::collections::BTreeSet<String> =
        marks.iter().filter_map(|m| m.get_attribute("data-label")).collect();
    assert_eq!(labels, ["GPE", "ORG", "PERSON", "ROLE"].map(String::from).into());
    for m in &marks {
        assert_eq!(m.get_attribute("data-status").as_deref(), Some("accepted"));
        assert!(m.get_attribute("data-id").is_some_and(|id| id.starts_with('e')));
        // The first piece of each highlight is focusable and announced.
        if m.get_attribute("tabindex").is_some() {
            assert!(m.get_attribute("aria-label").is_some_and(|t| t.starts_with(&m.get_attribute("data-label").unwrap())));
        }
    }
    let person = root.query_selector("mark[data-label=PERSON][tabindex]").unwrap().unwrap();
    assert_eq!(person.get_attribute("aria-label").as_deref(), Some("PERSON: Caroline Leavitt, accepted"));
    // PERSON sits inside ROLE, ORG too: nested marks, text intact.
    let person = root.query_selector("mark[data-label=ROLE] mark[data-label=PERSON]").unwrap().unwrap();
    assert_eq!(person.text_content().as_deref(), Some("Caroline Leavitt"));
    let first = root.query_selector("article p").unwrap().unwrap();
    assert_eq!(first.text_content().unwrap(), SAMPLE_TEXT.lines().next().unwrap());
    // Attribution roles get classes.
    assert!(root.query_selector(".attr-cue").unwrap().is_some_and(|e| e.text_content().as_deref() == Some("reported")));
    assert!(root.query_selector(".attr-source").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn article_text_is_never_parsed_as_html() {
    let text = "<b>bold</b> & <img src=x onerror=alert(1)> said Ann.";
    let set = AnnotationSet::new(Document::new("html", None, text));
    let root = mount(Some(set)).await;
    assert!(root.query_selector("article b, article img").unwrap().is_none());
    assert_eq!(root.query_selector("article p").unwrap().unwrap().text_content().as_deref(), Some(text));
}

#[wasm_bindgen_test]
async fn alert_region_is_present_and_empty_at_start() {
    let root = mount(None).await;
    let alert = root.query_selector("[role=alert]").unwrap().expect("alert region");
    assert_eq!(alert.text_content().unwrap_or_default(), "");
}

/// Passes once the extraction pipeline finds entities in the sample.
#[wasm_bindgen_test]
async fn sample_shows_suggested_highlights() {
    let root = mount(Some(sample_set())).await;
    let marks = marks(&root);
    assert!(!marks.is_empty(), "the pipeline found no entity in the sample article");
    assert!(marks.iter().all(|m| m.get_attribute("data-status").as_deref() == Some("suggested")));
}

#[wasm_bindgen_test]
fn open_file_table() {
    let exported = core::format::json::export(&annotated_sample());
    // One byte over the article limit: refused whole, with a message naming the limit.
    let big = vec![b'a'; core::model::limits::MAX_ARTICLE_BYTES + 1];
    let big_html = [b"<p>".as_slice(), &big, b"</p>"].concat();
    let cases: Vec<(&str, &[u8], Result<(&str, usize), &str>)> = vec![
        ("big.txt", &big, Err("cannot open big.txt: too large: 5242881 bytes, over the limit of 5 MB")),
        ("big.html", &big_html, Err("cannot open big.html: too large:")),
        ("a.txt", b"Ann said hi.\r\n", Ok(("a", 0))),
        ("A.TXT", b"x", Ok(("A", 0))),
        ("seed.annotations.json", exported.as_bytes(), Ok(("seed-witkoff-moscow", 4))),
        ("bad.json", b"{ not json", Err("cannot open bad.json: not valid JSON at line 1")),
        ("empty.json", b"", Err("cannot open empty.json: the file is empty")),
        ("bytes.txt", b"caf\xe9", Err("cannot open bytes.txt: not UTF-8 text (bad byte at offset 3)")),
        ("page.pdf", b"%PDF", Err("cannot open page.pdf: choose a .txt, .md or .html article")),
        ("notes.md", b"# Title\n\nAnn said hi.", Ok(("notes", 0))),
        ("page.html", b"<html><head><title>T</title><script>x()</script></head><body><p>Ann said hi.</p></body></html>", Ok(("page", 0))),
        ("noext", b"x", Err("cannot open noext")),
    ];
    for (name, bytes, want) in cases {
        match (open_file(name, bytes), want) {
            (Ok(set), Ok((id, entities))) => {
                assert_eq!(set.document.id, id, "{name}");
                if name.ends_with(".json") {
                    assert_eq!(set.entities.len(), entities, "{name}");
                } else {
                    assert!(!set.text().contains('\r'), "{name}: text is normalised");
                }
                if name.ends_with(".html") {
                    assert_eq!(set.text(), "Ann said hi.", "{name}: tags, head and scripts dropped");
                    assert_eq!(set.document.title.as_deref(), Some("T"));
                }
            }
            (Err(e), Err(prefix)) => {
                let msg = e.to_string();
                assert!(msg.starts_with(prefix), "{name}: {msg}");
                assert!(!matches!(e, OpenError::Unreadable { .. }));
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

/// Many highlights over the same words nest a bounded number of `<mark>`s (not one per
/// overlap); the innermost names the others, and every entity can still be focused.
#[wasm_bindgen_test]
async fn deep_overlaps_nest_a_bounded_number_of_marks() {
    let doc = newsmark::ui::sample::sample_document();
    let span = span_of(&doc.text, "Moscow");
    let labels = [Label::Gpe, Label::Loc, Label::Org, Label::Norp, Label::Person, Label::Date];
    let edits: Vec<Edit> = labels.iter().map(|l| Edit::AddEntity { label: l.clone(), span }).collect();
    let set = AnnotationSet::new(doc).apply_all(&edits).unwrap();
    let root = mount(Some(set)).await;
    let all = marks(&root);
    assert_eq!(all.len(), newsmark::ui::view::MAX_MARKS, "{} marks around one word", all.len());
    let innermost = all.last().unwrap();
    let also = innermost.get_attribute("data-also").expect("the innermost mark lists the others");
    assert_eq!(also.split(' ').count(), labels.len() - newsmark::ui::view::MAX_MARKS);
    for id in also.split(' ') {
        let id: u32 = id.trim_start_matches('e').parse().unwrap();
        let el = newsmark::ui::components::focus_element(core::Target::Entity(core::EntityId(id)));
        assert!(el.is_some(), "e{id} has an element to focus");
    }
}

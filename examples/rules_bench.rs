//! LOCAL ONLY (not committed): times the pipeline without the tagger, on cached proposals.
use newsmark::extract::annotation::*;
use newsmark::extract::{attribution, boilerplate, mentions, ner, sentence, tagger, tokenize};
use std::time::Instant;

fn run(doc: &Document, props: &[ner::Proposal]) -> usize {
    let mut set = AnnotationSet::new(doc.clone());
    let text: &str = &doc.text;
    let tokens = tokenize::tokenize(text);
    let sentences = sentence::sentences(text, &tokens);
    let regions = boilerplate::boilerplate(text);
    for span in &regions {
        let id = RegionId(set.fresh_id());
        set.boilerplate.push(Boilerplate { id, span: *span, origin: Origin::Auto });
    }
    let found = ner::entities(text, &tokens, &sentences, &regions, props);
    let pairs: Vec<_> = found.iter().map(|f| (f.label.clone(), f.span)).collect();
    let groups = mentions::group(&set.document.text, &pairs);
    for (f, g) in found.iter().zip(groups) {
        let id = EntityId(set.fresh_id());
        set.entities.push(Entity { id, label: f.label.clone(), span: f.span, origin: Origin::Auto, status: Status::Suggested, confidence: f.confidence, canonical: Some(g.canonical), group: Some(g.group) });
    }
    let found = attribution::find(text, &tokens, &sentences, &set.entities, &set.boilerplate);
    attribution::add_to(&mut set, found);
    set.entities.len() + set.attributions.len()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: f64 = std::env::var("SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let mut docs = Vec::new();
    for dir in &args {
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for f in files { docs.push(newsmark::cli::load_document(&f).unwrap()); }
    }
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let props: Vec<Vec<ner::Proposal>> = docs.iter().map(|d| {
        let tokens = tokenize::tokenize(&d.text);
        let spans: Vec<_> = tokens.iter().map(|t| t.span).collect();
        tagger::embedded().tag_tokens(&d.text, &spans).into_iter().map(|p| ner::Proposal { span: p.span, label: p.label(), confidence: p.confidence }).collect()
    }).collect();
    let mut sink = 0;
    for (d, p) in docs.iter().zip(&props) { sink += run(d, p); }
    let t = Instant::now();
    let mut rounds = 0;
    while rounds == 0 || t.elapsed().as_secs_f64() < secs {
        for (d, p) in docs.iter().zip(&props) { sink += run(d, p); }
        rounds += 1;
    }
    let el = t.elapsed().as_secs_f64();
    println!("rules-only: {:.0} words/s wall ({rounds} rounds, sink {sink})", (words * rounds) as f64 / el);
}

//! Measures the stored form of an undo history (what the browser writes to IndexedDB on
//! every change): a 20,000-word article with 2,000 entities and a 100-step history.
//! Also: bytes one review edit of the sample article writes (a whole record revision).
//! Run: `cargo run --release --bin storage_bench`. Natively only; a no-op on wasm.

#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use newsmark::core::project::persist::StoredHistory;
    use newsmark::core::{AnnotationSet, Document, Edit, History, Label, Span};
    use std::time::Instant;

    let words = ["Maria", "said", "the", "council", "in", "Lisbon", "would", "vote", "today", "again"];
    let text: String = (0..20_000).map(|i| words[i % words.len()]).collect::<Vec<_>>().join(" ");
    let starts: Vec<usize> = text.match_indices("Maria").map(|(i, _)| i).take(2_000).collect();
    let mut h = History::new(AnnotationSet::new(Document::new("bench", None, text.as_str())));
    let adds: Vec<Edit> = starts.iter().map(|&s| Edit::AddEntity { label: Label::Person, span: Span::new(s, s + 5) }).collect();
    h.apply(&adds).expect("valid spans");
    let ids: Vec<_> = h.current().entities.iter().map(|e| e.id).collect();
    for id in ids.iter().take(100) {
        h.apply(&[Edit::Relabel { id: *id, label: Label::Org }]).expect("known id");
    }
    let runs = 20;
    let t = Instant::now();
    let mut json = String::new();
    for _ in 0..runs {
        json = StoredHistory::to_json(&h);
    }
    let save = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    let t = Instant::now();
    for _ in 0..runs {
        let back = StoredHistory::from_json(&json).expect("round trip");
        assert_eq!(back.states().0.len(), 102);
    }
    let restore = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    let full = serde_json::to_string(&h).expect("serialises").len();
    println!("2,000 entities, 102 snapshots, 20,000 words");
    println!("stored form: {} KiB (plain serde of History: {} KiB)", json.len() / 1024, full / 1024);
    println!("serialise (each save): {save:.1} ms; restore: {restore:.1} ms");

    // What one edit costs the revisioned store (and so a CouchDB replication, which sends
    // whole revisions): the built-in sample article, extracted, then 100 review edits
    // (accept or reject each suggestion in turn), the record rewritten after each.
    let sample = include_str!("../../static/sample/seed-witkoff-moscow.txt");
    let mut h = History::new(newsmark::core::extract(&Document::new("sample", None, sample)));
    let targets: Vec<_> = h.current().entities.iter().map(|e| newsmark::core::Target::Entity(e.id)).collect();
    let (mut bytes, mut edits) = (0usize, 0usize);
    for (i, t) in targets.iter().cycle().take(100).enumerate() {
        let edit = if i % 2 == 0 { Edit::Accept { target: *t } } else { Edit::Reject { target: *t } };
        if h.apply(&[edit]).is_ok() {
            bytes += StoredHistory::to_json(&h).len();
            edits += 1;
        }
    }
    let first = StoredHistory::to_json(&History::new((*h.states().0[0]).clone())).len();
    println!(
        "sample article ({} chars, {} entities): record {} bytes fresh; {} edits wrote {} bytes, {} bytes per edit on average",
        sample.chars().count(),
        targets.len(),
        first,
        edits,
        bytes,
        bytes / edits.max(1)
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}

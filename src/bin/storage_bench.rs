//! Measures the stored form of an undo history: a 20,000-word article with 2,000 entities
//! and a 100-step history (the snapshot record), and the bytes a save writes per edit in
//! the record layout (`core::project::records`): one log record, the list entry when the
//! pending count or status changed, and every 64 edits the folded snapshot — on the sample
//! article and on a 100,000-word article with 10,000 highlights, 100 review edits each
//! (with the layout-1 figure, the whole history record per edit, beside it).
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

    // What one edit costs storage, and so a CouchDB replication (which sends each written
    // record): 100 review edits (accept or reject each suggestion in turn) plus an undo and
    // a redo every tenth, each saved as the app saves it.
    let sample = include_str!("../../static/sample/seed-witkoff-moscow.txt");
    let start = newsmark::core::extract(&Document::new("sample", None, sample));
    report("sample article", start);
    let big = big_article(100_000, 10_000);
    report("100,000-word article", big);
}

/// A synthetic article of `words` words with `highlights` suggested PERSON entities.
#[cfg(not(target_arch = "wasm32"))]
fn big_article(words: usize, highlights: usize) -> newsmark::core::AnnotationSet {
    use newsmark::core::{AnnotationSet, Document, Edit, Label, Span};
    let vocab = ["Maria", "said", "the", "council", "in", "Lisbon", "would", "vote", "today", "again"];
    let text: String = (0..words).map(|i| vocab[i % vocab.len()]).collect::<Vec<_>>().join(" ");
    let adds: Vec<Edit> = text
        .match_indices("Maria")
        .take(highlights)
        .map(|(s, _)| Edit::AddEntity { label: Label::Person, span: Span::new(s, s + 5) })
        .collect();
    let set = AnnotationSet::new(Document::new("big", None, text.as_str())).apply_all(&adds).expect("valid spans");
    // As suggestions, so review edits change the pending count (and the list entry).
    let mut set = set;
    for e in &mut set.entities {
        e.status = newsmark::core::Status::Suggested;
        e.origin = newsmark::core::Origin::Auto;
    }
    set
}

/// Prints the bytes 100 review edits (and an undo and redo every tenth) write in layout 2,
/// against the layout-1 record rewritten per edit.
#[cfg(not(target_arch = "wasm32"))]
fn report(what: &str, start: newsmark::core::AnnotationSet) {
    use newsmark::core::project::log::Op;
    use newsmark::core::project::persist::StoredHistory;
    use newsmark::core::project::project::DocStatus;
    use newsmark::core::project::records::{self as rec, EditRecord, MetaRecord, Snapshot};
    use newsmark::core::{Edit, History, Target};
    use std::time::Instant;

    type Change = Box<dyn Fn(&mut History)>;
    let mut h = History::new(start);
    let targets: Vec<Target> = h.current().entities.iter().map(|e| Target::Entity(e.id)).collect();
    let entry = |h: &History| rec::entry_of(h, DocStatus::New);
    let (mut v2, mut v1, mut saves, mut seq, mut folded, mut op_time) = (0usize, 0usize, 0usize, 0u64, 0u64, 0f64);
    let (mut log_bytes, mut snapshot_bytes, mut folds) = (0u64, Snapshot::of(&h, 0).to_json().len() as u64, 0);
    let mut per_save = Vec::new();
    let mut last_entry = entry(&h);
    let mut largest = 0usize;
    for (i, t) in targets.iter().cycle().take(100).enumerate() {
        let edit = if i % 2 == 0 { Edit::Accept { target: *t } } else { Edit::Reject { target: *t } };
        let mut changes: Vec<Change> = vec![Box::new(move |h: &mut History| h.apply(std::slice::from_ref(&edit)).expect("known id"))];
        if i % 10 == 9 {
            changes.push(Box::new(|h: &mut History| assert!(h.undo())));
            changes.push(Box::new(|h: &mut History| assert!(h.redo())));
        }
        for change in changes {
            let before = h.clone();
            change(&mut h);
            let t0 = Instant::now();
            let op = Op::between(&before, &h).expect("made from it");
            seq += 1;
            let record = rec::json_of(&EditRecord { seq, op });
            op_time += t0.elapsed().as_secs_f64() * 1000.0;
            largest = largest.max(record.len());
            log_bytes += record.len() as u64;
            let mut bytes = record.len();
            let e = entry(&h);
            if e != last_entry {
                bytes += rec::json_of(&MetaRecord { entry: e.clone(), added: 1_796_455_340_560_000, deleted: false }).len();
                last_entry = e;
            }
            if rec::should_fold(seq - folded, log_bytes, snapshot_bytes) {
                snapshot_bytes = Snapshot::of(&h, seq).to_json().len() as u64;
                bytes += snapshot_bytes as usize;
                folded = seq;
                log_bytes = 0;
                folds += 1;
            }
            per_save.push(bytes);
            v2 += bytes;
            v1 += StoredHistory::to_json(&h).len();
            saves += 1;
        }
    }
    per_save.sort_unstable();
    println!(
        "{what} ({} highlights): {saves} saves wrote {v2} bytes: median {} B per save, mean {} B \
         (largest log record {largest} B; {folds} fold(s) of the {snapshot_bytes} B snapshot; building a \
         log record {:.2} ms per save); layout 1 rewrote {} B per save",
        targets.len(),
        per_save.get(saves / 2).copied().unwrap_or(0),
        v2 / saves.max(1),
        op_time / saves.max(1) as f64,
        v1 / saves.max(1),
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}

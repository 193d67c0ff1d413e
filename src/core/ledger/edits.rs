//! The editor's corrections to the ledger: merging two sources and splitting a wrong
//! merge, kept as data (an ordered list of operations) so they persist with the project,
//! export with the ledger, replay on the command line and undo/redo like any edit.
//!
//! Operations name sources and members by their keys, never by row numbers, so they keep
//! their meaning as articles are added: a merge of `person:putin` into
//! `person:vladimir putin` also takes in the next article that quotes "Putin".

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One document's share of a source: what is split off by [`LedgerOp::Split`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MemberId {
    pub document: String,
    /// The attribution source's own key in that document (`person:leavitt`).
    pub key: String,
}

impl MemberId {
    /// The key of the source a split member becomes.
    pub fn split_key(&self) -> String {
        format!("split:{}:{}", self.document, self.key)
    }
}

/// One correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum LedgerOp {
    /// Everything counted under source `from` is counted under `into`.
    Merge { from: String, into: String },
    /// One document's member leaves whatever source it is in and stands alone.
    Split { member: MemberId },
}

/// The corrections of a project, with the undone ones kept for redo.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEdits {
    #[serde(default)]
    pub ops: Vec<LedgerOp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undone: Vec<LedgerOp>,
}

impl LedgerEdits {
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty() && self.undone.is_empty()
    }

    /// Adds an operation (a new edit clears the redo list, as in any editor). Merging a
    /// source into itself changes nothing and is not recorded.
    pub fn push(&mut self, op: LedgerOp) -> bool {
        if matches!(&op, LedgerOp::Merge { from, into } if from == into) {
            return false;
        }
        self.ops.push(op);
        self.undone.clear();
        true
    }

    /// Three-way merge of two tabs' corrections that both started from `base`: the
    /// operations either side added since `base` are all kept, theirs first (each is a
    /// merge or split by stable ids, so replaying both lists is well defined); the redo
    /// list is ours when we changed anything, else theirs.
    pub fn merge(&self, base: &LedgerEdits, theirs: &LedgerEdits) -> LedgerEdits {
        if self == base {
            return theirs.clone();
        }
        if theirs == base || theirs == self {
            return self.clone();
        }
        let common = |x: &[LedgerOp]| base.ops.iter().zip(x).take_while(|(a, b)| a == b).count();
        let (keep_t, keep_m) = (common(&theirs.ops), common(&self.ops));
        let shared = keep_t.min(keep_m);
        let mut ops: Vec<LedgerOp> = base.ops[..shared].to_vec();
        ops.extend(theirs.ops[shared..].iter().cloned());
        ops.extend(self.ops[shared..].iter().filter(|op| !theirs.ops[shared..].contains(op)).cloned());
        LedgerEdits { ops, undone: self.undone.clone() }
    }

    /// Takes in the corrections of another copy of the project (a bundle being imported):
    /// its operations not already here are appended in their order, each naming documents
    /// as the import named them (`renamed`: the bundle's id → the id it was added under,
    /// when that id was taken). Returns how many were added; adding any clears the redo
    /// list, as any new edit does. Importing the same bundle twice adds nothing the second time.
    pub fn absorb(&mut self, other: &LedgerEdits, renamed: &HashMap<String, String>) -> usize {
        let rename_key = |key: &str| {
            renamed
                .iter()
                .find_map(|(old, new)| key.strip_prefix(&format!("split:{old}:")).map(|rest| format!("split:{new}:{rest}")))
                .unwrap_or_else(|| key.to_string())
        };
        let mut added = 0;
        for op in &other.ops {
            let op = match op {
                LedgerOp::Merge { from, into } => LedgerOp::Merge { from: rename_key(from), into: rename_key(into) },
                LedgerOp::Split { member } => LedgerOp::Split {
                    member: MemberId {
                        document: renamed.get(&member.document).unwrap_or(&member.document).clone(),
                        key: member.key.clone(),
                    },
                },
            };
            if !self.ops.contains(&op) && self.push(op) {
                added += 1;
            }
        }
        added
    }

    pub fn can_undo(&self) -> bool {
        !self.ops.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        match self.ops.pop() {
            Some(op) => {
                self.undone.push(op);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.undone.pop() {
            Some(op) => {
                self.ops.push(op);
                true
            }
            None => false,
        }
    }

    /// The source each member ends in, given where it starts (`start`, member → source
    /// key). Operations are replayed in order.
    pub fn assign(&self, start: &mut HashMap<MemberId, String>) {
        for op in &self.ops {
            match op {
                LedgerOp::Merge { from, into } => {
                    for source in start.values_mut() {
                        if source == from {
                            source.clone_from(into);
                        }
                    }
                }
                LedgerOp::Split { member } => {
                    if let Some(source) = start.get_mut(member) {
                        *source = member.split_key();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(doc: &str, key: &str) -> MemberId {
        MemberId { document: doc.into(), key: key.into() }
    }

    /// Two tabs correcting the ledger at once: neither tab's merges are lost.
    #[test]
    fn three_way_merge_keeps_both_tabs_operations() {
        let op = |a: &str, b: &str| LedgerOp::Merge { from: a.into(), into: b.into() };
        let base = LedgerEdits { ops: vec![op("x", "y")], undone: vec![] };
        let mut ours = base.clone();
        ours.push(op("p", "q"));
        let mut theirs = base.clone();
        theirs.push(LedgerOp::Split { member: m("d", "k") });
        let merged = ours.merge(&base, &theirs);
        assert_eq!(merged.ops, vec![op("x", "y"), LedgerOp::Split { member: m("d", "k") }, op("p", "q")]);
        assert_eq!(ours.merge(&base, &base), ours, "only we changed");
        assert_eq!(base.merge(&base, &theirs), theirs, "only they changed");
        assert_eq!(ours.merge(&base, &ours), ours, "the same change on both sides counts once");
    }

    /// A bundle's corrections join the project's: new ones appended (renamed documents
    /// followed), known ones not repeated, so importing twice changes nothing.
    #[test]
    fn absorb_appends_new_operations_under_renamed_documents() {
        let op = |a: &str, b: &str| LedgerOp::Merge { from: a.into(), into: b.into() };
        let mut ours = LedgerEdits { ops: vec![op("x", "y")], undone: vec![op("u", "v")] };
        let theirs = LedgerEdits {
            ops: vec![op("x", "y"), LedgerOp::Split { member: m("d", "person:k") }, op("split:d:person:k", "person:z"), op("p", "q")],
            undone: vec![op("never", "taken")],
        };
        let renamed: HashMap<String, String> = [("d".to_string(), "d-2".to_string())].into();
        assert_eq!(ours.absorb(&theirs, &renamed), 3);
        assert_eq!(
            ours.ops,
            vec![op("x", "y"), LedgerOp::Split { member: m("d-2", "person:k") }, op("split:d-2:person:k", "person:z"), op("p", "q")]
        );
        assert!(ours.undone.is_empty(), "new edits clear the redo list");
        let before = ours.clone();
        assert_eq!(ours.absorb(&theirs, &renamed), 0, "the same bundle again adds nothing");
        assert_eq!(ours, before);
        let mut empty = LedgerEdits::default();
        assert_eq!(empty.absorb(&LedgerEdits { ops: vec![op("a", "a")], undone: vec![] }, &HashMap::new()), 0, "a no-op merge is not recorded");
    }

    #[test]
    fn merge_split_undo_redo() {
        let mut start: HashMap<MemberId, String> = HashMap::new();
        start.insert(m("a", "person:putin"), "person:putin".into());
        start.insert(m("b", "person:vladimir putin"), "person:vladimir putin".into());
        let mut edits = LedgerEdits::default();
        assert!(!edits.push(LedgerOp::Merge { from: "x".into(), into: "x".into() }));
        edits.push(LedgerOp::Merge { from: "person:putin".into(), into: "person:vladimir putin".into() });
        let mut s = start.clone();
        edits.assign(&mut s);
        assert_eq!(s[&m("a", "person:putin")], "person:vladimir putin");
        edits.push(LedgerOp::Split { member: m("a", "person:putin") });
        let mut s = start.clone();
        edits.assign(&mut s);
        assert_eq!(s[&m("a", "person:putin")], "split:a:person:putin");
        assert!(edits.undo());
        let mut s = start.clone();
        edits.assign(&mut s);
        assert_eq!(s[&m("a", "person:putin")], "person:vladimir putin");
        assert!(edits.redo());
        assert!(!edits.redo());
        let json = serde_json::to_string(&edits).unwrap();
        assert_eq!(serde_json::from_str::<LedgerEdits>(&json).unwrap(), edits);
        assert!(json.contains(r#""op":"merge""#), "{json}");
    }
}

//! Assignments: a project owner gives documents to editors. One record per document,
//! `assign:<doc>` ([`AssignRecord`]), written only by its owner (the annotator who first
//! assigned the document), so editors never write it and never conflict over it; each
//! editor's queue is the documents whose record names them.

use crate::core::model::sort;
use crate::core::project::records::{Annotator, DocKey, ASSIGN_PREFIX, LAYOUT};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The body of `assign:<doc>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignRecord {
    pub layout: u32,
    /// The document's id (an editor who has not imported it yet still sees its name).
    pub doc: String,
    /// Its title, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The only annotator who may change the record.
    pub owner: Annotator,
    /// The editors it is assigned to, sorted, each once.
    pub to: Vec<Annotator>,
}

/// Why an assignment cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignError {
    /// A name that cannot be a CouchDB user name.
    BadName(String),
    /// Someone else owns the document's assignment.
    NotOwner { owner: Annotator },
}

impl fmt::Display for AssignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssignError::BadName(n) => write!(f, "“{n}” is not a user name (1 to 100 characters, no “:”)"),
            AssignError::NotOwner { owner } => write!(f, "only {owner}, who assigned this document first, can change its assignment"),
        }
    }
}

impl std::error::Error for AssignError {}

/// `assign:<doc>`.
pub fn assign_id(doc: &DocKey) -> String {
    format!("{ASSIGN_PREFIX}{doc}")
}

/// User names as typed: separated by commas or white space.
pub fn parse_names(typed: &str) -> Result<Vec<Annotator>, AssignError> {
    let mut names = Vec::new();
    for n in typed.split(|c: char| c == ',' || c.is_whitespace()).filter(|n| !n.is_empty()) {
        let who = Annotator::new(n).map_err(|_| AssignError::BadName(n.to_string()))?;
        if who.is_local() {
            return Err(AssignError::BadName(n.to_string()));
        }
        names.push(who);
    }
    Ok(names)
}

impl AssignRecord {
    /// `by` assigns `doc` to `to`, over `existing` (the stored record, if any): refused
    /// when someone else owns it; the owner stays who it was.
    pub fn assign(
        existing: Option<&AssignRecord>,
        by: &Annotator,
        doc: &str,
        title: Option<String>,
        to: Vec<Annotator>,
    ) -> Result<AssignRecord, AssignError> {
        if let Some(e) = existing.filter(|e| &e.owner != by) {
            return Err(AssignError::NotOwner { owner: e.owner.clone() });
        }
        let mut to = to;
        sort::sort_by(&mut to, |a, b| a.as_str().cmp(b.as_str()));
        to.dedup();
        Ok(AssignRecord { layout: LAYOUT, doc: doc.to_string(), title, owner: by.clone(), to })
    }

    /// Whether `who` is one of the editors.
    pub fn names(&self, who: &Annotator) -> bool {
        self.to.contains(who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Document;
    use crate::core::project::records::{json_of, RecordId};

    fn who(n: &str) -> Annotator {
        Annotator::new(n).unwrap()
    }

    #[test]
    fn the_id_parses_back_as_an_assignment() {
        let key = DocKey::of(&Document::new("a-1", None, "Some text."));
        let id = assign_id(&key);
        assert!(id.starts_with("assign:d"));
        assert_eq!(RecordId::parse(&id), Some(RecordId::Assign(key)));
        assert_eq!(RecordId::parse("assign:not-a-key"), None);
    }

    #[test]
    fn names_are_split_checked_and_local_is_refused() {
        assert_eq!(parse_names(" bob, carol  dave ,").unwrap(), vec![who("bob"), who("carol"), who("dave")]);
        assert_eq!(parse_names("").unwrap(), Vec::<Annotator>::new());
        assert_eq!(parse_names("bob, a:b"), Err(AssignError::BadName("a:b".into())));
        assert_eq!(parse_names("local"), Err(AssignError::BadName("local".into())));
    }

    #[test]
    fn only_the_owner_changes_it_and_names_are_sorted_once() {
        let first = AssignRecord::assign(None, &who("alice"), "a-1", Some("A".into()), vec![who("carol"), who("bob"), who("carol")]).unwrap();
        assert_eq!(first.owner, who("alice"));
        assert_eq!(first.to, vec![who("bob"), who("carol")]);
        assert!(first.names(&who("bob")) && !first.names(&who("alice")));
        let again = AssignRecord::assign(Some(&first), &who("alice"), "a-1", None, vec![who("dave")]).unwrap();
        assert_eq!((again.owner.clone(), again.to.clone()), (who("alice"), vec![who("dave")]));
        let refused = AssignRecord::assign(Some(&first), &who("bob"), "a-1", None, vec![who("bob")]);
        assert_eq!(refused, Err(AssignError::NotOwner { owner: who("alice") }));
        assert!(refused.unwrap_err().to_string().contains("only alice"));
    }

    #[test]
    fn the_body_round_trips() {
        let r = AssignRecord::assign(None, &who("alice"), "a-1", None, vec![who("bob")]).unwrap();
        let json = json_of(&r);
        assert_eq!(json, r#"{"layout":2,"doc":"a-1","owner":"alice","to":["bob"]}"#);
        assert_eq!(serde_json::from_str::<AssignRecord>(&json).unwrap(), r);
    }
}

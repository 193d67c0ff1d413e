//! A project's documents and how they enter and persist: the project list, the stored
//! record form, JSON Lines batches and HTML article import.

pub mod html;
pub mod jsonl;
pub mod log;
pub mod records;
pub mod persist;
#[allow(clippy::module_inception)]
pub mod project;

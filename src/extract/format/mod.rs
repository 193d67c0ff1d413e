//! Import and export formats. Every format speaks code points (see `offsets`).

pub mod anchor;
pub mod common;
pub mod json;
pub mod spacy;
pub mod brat;
pub mod w3c;

//! Import and export formats. Every format speaks code points (see `offsets`).

pub mod anchor;
pub mod common;
pub mod conll;
pub mod doccano;
pub mod json;
pub mod labelstudio;
pub mod registry;
pub mod spacy;
pub mod brat;
pub mod bundle;
pub mod w3c;
pub mod zipfile;

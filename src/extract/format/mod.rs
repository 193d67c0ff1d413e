//! Import and export formats. Every format speaks code points (see `offsets`).

pub mod json;

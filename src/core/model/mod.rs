//! The annotation model: stand-off spans over an immutable text, typed labels and ids,
//! the annotation set with its pure `apply`, the undo history, and the size limits on
//! what may come in. Everything else in the core speaks these types; this module depends
//! on nothing else in the core.

pub mod annotation;
pub mod history;
pub mod label;
pub mod limits;
pub mod offsets;
pub mod sort;
pub mod span;
pub mod text;

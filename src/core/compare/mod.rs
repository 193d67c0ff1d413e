//! Comparing annotators: how far two people's annotations of the same documents agree
//! ([`agree`]), and settling their disagreements into a curated version ([`adjudicate`]).
//! Pure functions over [`crate::core::AnnotationSet`]s, shared by the command line and the app.

pub mod adjudicate;
pub mod agree;
pub mod words;

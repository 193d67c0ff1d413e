//! Comparing annotators: how far two people's annotations of the same documents agree
//! ([`agree`]). Pure functions over [`crate::core::AnnotationSet`]s, shared by
//! `newsmark agree` and the app.

pub mod agree;
pub mod words;

//! The extraction pipeline that pre-annotates an article: tokens and sentences, page
//! boilerplate, entities (lexicons, rules and the trained tagger), mentions grouped by
//! canonical name, and attributions (source, cue, content). Same code natively, in wasm
//! and in the Web Worker; [`pipeline::extract`] is the one entry point.

pub mod attribution;
pub mod boilerplate;
pub mod fasthash;
pub mod lexicon;
pub mod mentions;
pub mod ner;
pub mod pipeline;
pub mod quotes;
pub mod sentence;
pub mod tagger;
pub mod tokenize;

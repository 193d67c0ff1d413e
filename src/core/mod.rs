//! The core: everything newsmark knows about articles and annotations, in pure Rust.
//! Nothing here imports yew, web-sys, gloo or wasm-bindgen (those crates are not even
//! compiled for the host), so the command line, the tests and the wasm app run the same
//! code. Seven rooms, each with its own reason to change:
//!
//! - [`model`]: what an annotation is (spans, labels, ids, documents, undo history);
//! - [`nlp`]: the pipeline that pre-annotates an article (tokens → entities → attributions);
//! - [`edit`]: the editor's state machine, independent of any widget toolkit;
//! - [`project`]: a project's documents, their stored form, and article import;
//! - [`format`]: import and export in every interchange format;
//! - [`ledger`]: who is quoted across a project (the source ledger, its charts and exports);
//! - [`compare`]: agreement between annotators.
//!
//! Dependencies point one way: everything uses `model`, which uses nothing else in the
//! core; `edit` and `project` use `format` and `nlp`; `ledger` and `compare` read finished
//! annotation sets.

pub mod compare;
pub mod edit;
pub mod format;
pub mod ledger;
pub mod model;
pub mod nlp;
pub mod project;

pub use format::json::{export as export_json, import as import_json, ImportError};
pub use model::annotation::{
    AnnotationSet, Attribution, AttributionId, Boilerplate, Document, Edit, EditError, Entity, EntityId, Kind,
    Curation, Origin, RegionId, Source, Status, Target,
};
pub use model::history::History;
pub use model::label::{Label, LabelDef, LabelSchema};
pub use model::offsets::OffsetMap;
pub use model::span::{Extent, Span};
pub use nlp::pipeline::extract;

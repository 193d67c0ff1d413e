//! The extraction core: the annotation model, the pipeline that pre-annotates an article,
//! and the import/export formats. Pure Rust: nothing here knows about the browser, so the
//! command line, the tests and the wasm app run the same code.

pub mod annotation;
pub mod attribution;
pub mod boilerplate;
pub mod fasthash;
pub mod format;
pub mod history;
pub mod keys;
pub mod html;
pub mod jsonl;
pub mod label;
pub mod layout;
pub mod lexicon;
pub mod mentions;
pub mod ner;
pub mod offsets;
pub mod persist;
pub mod pipeline;
pub mod project;
pub mod quotes;
pub mod review;
pub mod sentence;
pub mod session;
pub mod snap;
pub mod span;
pub mod tagger;
pub mod text;
pub mod tokenize;

pub use annotation::{
    AnnotationSet, Attribution, AttributionId, Boilerplate, Document, Edit, EditError, Entity, EntityId, Kind,
    Origin, RegionId, Source, Status, Target,
};
pub use format::json::{export as export_json, import as import_json, ImportError};
pub use history::History;
pub use label::{Label, LabelDef, LabelSchema};
pub use offsets::OffsetMap;
pub use pipeline::extract;
pub use span::{Extent, Span};

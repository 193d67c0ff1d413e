//! newsmark: annotate who is named and who is quoted in news articles.
//!
//! `extract` is the pure-Rust core (model, pipeline, formats) shared by the command line
//! and the browser; `ui` is the yew app and only exists on wasm32.

#![forbid(unsafe_code)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_adjudicate;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_agree;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_batch;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_export;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_ledger;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli_paths;

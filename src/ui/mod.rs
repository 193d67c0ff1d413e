//! The browser app: yew function components over the `extract` core.
//!
//! `state` holds the one reducer (document, annotations, undo history, the last error);
//! `app` provides it as context; `components/` are small views, one per file. Pure logic
//! (paragraph layout, formats, edits) lives in `extract` and is tested on the host.

pub mod app;
pub mod components;
pub mod download;
pub mod hooks;
pub mod import;
pub mod js;
pub mod offline;
pub mod open;
pub mod persist;
pub mod sample;
pub mod selection;
pub mod startup;
pub mod state;
pub mod pouch;
pub mod storage;
pub mod storage_legacy;
pub mod sync;
pub mod view;
pub mod worker;

pub use app::{App, AppProps};

/// Mounts the app into `<body>` (called by the wasm `main`). The service worker is
/// registered after the first paint: its precache fetches every file of the app again,
/// which the first screen does not need (see `startup`).
pub fn start() {
    startup::after_first_paint(offline::register_service_worker);
    yew::Renderer::<App>::new().render();
}

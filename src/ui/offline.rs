//! Registers the service worker (`static/sw.js`) that keeps the app working offline.
//!
//! Only release builds register it: under `trunk serve` a cache-first worker would serve
//! the previous build after every rebuild. `file://` pages (the single-file build) cannot
//! have one, so they skip it too. The path is relative, so any sub-path works.

use wasm_bindgen_futures::JsFuture;

/// Starts registration in the background; failures go to the console (the app works
/// without it, only not offline).
pub fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    crate::ui::startup::mark("service-worker");
    let promise = window.navigator().service_worker().register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(promise).await {
            web_sys::console::warn_2(&"newsmark: service worker not registered; offline use is off:".into(), &e);
        }
    });
}

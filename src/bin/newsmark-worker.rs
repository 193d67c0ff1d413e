//! The extraction Web Worker (built by Trunk as a second wasm binary, see
//! `newsmark::ui::worker`). Natively it is an empty program so host builds and
//! `cargo test` keep working without the web crates.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    newsmark::ui::worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

//! The `newsmark` binary: the browser app when built for wasm32 (by Trunk), the command
//! line otherwise. Both run the same `newsmark::core` core.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    newsmark::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    newsmark::cli::main()
}

//! Small helpers at the JavaScript boundary: error messages, reading a picked file,
//! waiting for a later task, and the page's localStorage.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A readable message from a thrown JS value.
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown browser error".to_string())
}

/// The bytes of a file the user picked.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| js_message(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Resolves after `ms` milliseconds, in a later task of the event loop (with 0, the
/// browser may paint before what follows runs).
pub async fn later(ms: i32) {
    let Some(window) = web_sys::window() else { return };
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(timer).await;
}

/// The page's `localStorage`, where the browser allows one (not in some private modes, nor
/// off the main thread).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

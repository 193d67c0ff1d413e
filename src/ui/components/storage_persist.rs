//! Whether the browser may clear the project's storage on its own: the app asks for
//! persistent storage (`navigator.storage.persist()`) on start and says what it got, so an
//! editor knows when an exported bundle is the only safe copy.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// What the browser granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Persistence {
    Asking,
    Granted,
    Denied,
    /// No `navigator.storage` (an old browser, a `file://` page).
    Unavailable,
}

async fn ask() -> Persistence {
    let Some(window) = web_sys::window() else { return Persistence::Unavailable };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false) {
        return Persistence::Unavailable;
    }
    let storage = navigator.storage();
    let answer = |p: Result<js_sys::Promise, JsValue>| async move {
        match p {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        }
    };
    // Already persistent: no need to ask (asking may show a prompt in some browsers).
    match answer(storage.persisted()).await {
        Some(true) => return Persistence::Granted,
        None => return Persistence::Unavailable,
        Some(false) => {}
    }
    match answer(storage.persist()).await {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::Denied,
        None => Persistence::Unavailable,
    }
}

#[component]
pub fn StoragePersistence() -> Html {
    let state = use_state(|| Persistence::Asking);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.set(ask().await) });
        });
    }
    let (key, text) = match *state {
        Persistence::Asking => ("asking", ""),
        Persistence::Granted => ("granted", "Storage is persistent: the browser keeps the project until you delete it."),
        Persistence::Denied => (
            "denied",
            "Storage is not persistent: the browser may clear the project when space runs low. Export the project to keep a copy.",
        ),
        Persistence::Unavailable => ("unavailable", "This browser cannot keep storage persistent. Export the project to keep a copy."),
    };
    html! { <p class="storage-persist" data-persist={key}>{ text }</p> }
}

//! The start-up order: what runs before the first highlight is painted and what waits
//! until after it (DESIGN.md, "Start-up").
//!
//! Before: the page wasm and the first render, nothing else. After the first frame, once
//! the main thread is idle ([`after_first_paint`]): storage (PouchDB and IndexedDB), the
//! extraction worker (its wasm and models) and the service worker (whose precache fetches
//! every file of the app again). Started earlier they compete with the first render for
//! the two things it needs, the main thread and the CPU, and the editor sees nothing
//! sooner for it: the sample needs neither storage nor the model.
//!
//! An editor returning to a stored document is the exception: this browser remembers in
//! `localStorage` (read synchronously, before the first render) that a document other
//! than the untouched sample is open ([`reopen_hint`]), and then the app opens storage at
//! once and shows "Opening…" instead of the sample, so the sample never flashes before
//! their work. The hint only chooses what to show first; what is restored is always what
//! storage holds.
//!
//! Milestones are User Timing marks (`newsmark:*`), which `tests/e2e/bench.mjs` prints and
//! any DevTools trace shows.

use crate::core::{AnnotationSet, Document};
use crate::ui::js::local_storage;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Longest wait for an idle main thread once the first frame is out (ms).
const IDLE_TIMEOUT_MS: u32 = 300;
/// A tab opened in the background gets no animation frame: start anyway after this (ms).
const HIDDEN_FALLBACK_MS: i32 = 1_000;

/// `localStorage` key: the id of the document this browser has open, when it is not the
/// untouched sample (see the module header).
pub const REOPEN_KEY: &str = "newsmark.reopen";

/// How long "Opening…" may wait for storage before the sample is shown instead (ms): a
/// storage that never answers must not leave the editor with nothing to work on.
pub const OPENING_TIMEOUT_MS: u32 = 5_000;

thread_local! {
    /// While a returning editor's document is being read ([`hold`]), what waits for the
    /// first paint waits for that document's paint instead ([`release`]).
    static HELD: RefCell<Option<Vec<Box<dyn FnOnce()>>>> = const { RefCell::new(None) };
}

/// The first screen is "Opening…": what [`after_first_paint`] starts (the worker, the
/// service worker) waits until [`release`], so it does not compete with storage and the
/// restored document's render.
pub fn hold() {
    HELD.with(|h| {
        h.borrow_mut().get_or_insert_with(Vec::new);
    });
}

/// The restored document (or the sample) is rendered: what was held starts after its paint.
pub fn release() {
    let held = HELD.with(|h| h.borrow_mut().take());
    for f in held.into_iter().flatten() {
        schedule(f);
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = requestIdleCallback, catch)]
    fn request_idle_callback(callback: &js_sys::Function, options: &JsValue) -> Result<u32, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn performance_mark(name: &str) -> Result<JsValue, JsValue>;
}

/// Records the User Timing mark `newsmark:<what>` (nothing where the API is missing).
pub fn mark(what: &str) {
    let _ = performance_mark(&format!("newsmark:{what}"));
}

/// Runs `f` once, after the next frame has been painted and the main thread is idle (at
/// most [`IDLE_TIMEOUT_MS`] later), or after [`HIDDEN_FALLBACK_MS`] in a tab that paints no
/// frame. Without a window (tests off the main thread) it runs `f` in a later task.
pub fn after_first_paint(f: impl FnOnce() + 'static) {
    schedule(Box::new(f));
}

/// [`after_first_paint`] without generics: one copy in the wasm, whoever calls.
fn schedule(f: Box<dyn FnOnce()>) {
    let done = Rc::new(Cell::new(false));
    let f = Rc::new(Cell::new(Some(f)));
    let run = {
        let (done, f) = (done.clone(), f.clone());
        move || {
            if done.replace(true) {
                return;
            }
            let Some(f) = f.take() else { return };
            // Held: queued until the returning editor's document is shown.
            let f = HELD.with(|h| match h.borrow_mut().as_mut() {
                Some(held) => {
                    held.push(f);
                    None
                }
                None => Some(f),
            });
            if let Some(f) = f {
                f();
            }
        }
    };
    let Some(window) = web_sys::window() else {
        gloo::timers::callback::Timeout::new(0, run).forget();
        return;
    };
    let run = Rc::new(run);
    // Frame → a task after it (the frame is painted by then) → idle.
    let when_idle = {
        let run = run.clone();
        move || {
            let callback = Closure::once_into_js(move || run());
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &IDLE_TIMEOUT_MS.into());
            if request_idle_callback(callback.unchecked_ref(), &options).is_err() {
                let _ = gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0);
            }
        }
    };
    let after_frame = Closure::once_into_js(move || {
        gloo::timers::callback::Timeout::new(0, when_idle).forget();
    });
    let _ = window.request_animation_frame(after_frame.unchecked_ref());
    let fallback = Closure::once_into_js(move || run());
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(fallback.unchecked_ref(), HIDDEN_FALLBACK_MS);
}

/// Resolves once [`after_first_paint`] would run.
pub async fn first_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        after_first_paint(move || {
            let _ = resolve.call0(&JsValue::NULL);
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// What the app holds while a returning editor's document is read: no document (an empty
/// id, which no imported document has, and no text).
pub fn placeholder() -> AnnotationSet {
    AnnotationSet::new(Document::new("", None, String::new()))
}

/// Whether `set` is the [`placeholder`].
pub fn is_placeholder(set: &AnnotationSet) -> bool {
    set.document.id.is_empty() && set.document.text.is_empty()
}

/// The document this browser had open when it was last used, if it is not the untouched
/// sample (see the module header).
pub fn reopen_hint() -> Option<String> {
    local_storage()?.get_item(REOPEN_KEY).ok().flatten().filter(|id| !id.is_empty())
}

/// Remembers (or forgets, `None`) the open document for the next start; written only when
/// it changes.
pub fn set_reopen_hint(id: Option<&str>) {
    let Some(storage) = local_storage() else { return };
    let now = storage.get_item(REOPEN_KEY).ok().flatten();
    if now.as_deref() == id {
        return;
    }
    let _ = match id {
        Some(id) => storage.set_item(REOPEN_KEY, id),
        None => storage.remove_item(REOPEN_KEY),
    };
}

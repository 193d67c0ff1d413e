//! Hooks shared by components.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// Calls `handler` on every key press in the window while the component is mounted, with
/// `latest`: what this render passed. The listener is made once, so it reads the latest
/// render's value through a cell instead of keeping the first one's. `handler` may call
/// `prevent_default` (the listener is not passive).
#[hook]
pub fn use_window_keys<T: 'static>(latest: T, handler: fn(&KeyboardEvent, &T)) {
    let cell = use_mut_ref(|| None::<T>);
    *cell.borrow_mut() = Some(latest);
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(&gloo::utils::window(), "keydown", options, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
            if let Some(latest) = cell.borrow().as_ref() {
                handler(e, latest);
            }
        });
        move || drop(listener)
    });
}

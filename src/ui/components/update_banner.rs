//! "A new version is ready — reload": shown when a new deployment's service worker has
//! installed while this tab runs the old one.
//!
//! The service worker (`static/sw.js`) no longer takes over open tabs by itself: a new
//! version waits, so the page keeps running the code and files it started with. This banner
//! lets the user switch when it suits them, with one reload: the button tells the waiting
//! worker to take over and the page reloads once the new worker controls it. A tab kept
//! open for days also looks for a new version whenever it becomes visible again.

use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};
use yew::prelude::*;

/// Whether `worker` is a new version that waits while an older one controls this page.
fn is_update(worker: &ServiceWorker) -> bool {
    let controlled = web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some());
    controlled && worker.state() == ServiceWorkerState::Installed
}

/// Calls `found` with the waiting worker now, and whenever a new one finishes installing.
fn watch(registration: &ServiceWorkerRegistration, found: Rc<dyn Fn(ServiceWorker)>, keep: &Rc<RefCell<Vec<EventListener>>>) {
    if let Some(w) = registration.waiting().filter(is_update) {
        found(w);
    }
    let reg = registration.clone();
    let keep2 = keep.clone();
    let on_found = EventListener::new(registration, "updatefound", move |_| {
        let Some(installing) = reg.installing() else { return };
        let found = found.clone();
        let w = installing.clone();
        let listener = EventListener::new(&installing, "statechange", move |_| {
            if is_update(&w) {
                found(w.clone());
            }
        });
        keep2.borrow_mut().push(listener);
    });
    keep.borrow_mut().push(on_found);
}

#[component]
pub fn UpdateBanner() -> Html {
    let waiting = use_state(|| None::<ServiceWorker>);
    {
        let waiting = waiting.clone();
        use_effect_with((), move |_| {
            let keep: Rc<RefCell<Vec<EventListener>>> = Rc::default();
            let window = web_sys::window();
            let container = window
                .as_ref()
                .filter(|w| js_sys::Reflect::has(&w.navigator(), &JsValue::from_str("serviceWorker")).unwrap_or(false))
                .map(|w| w.navigator().service_worker());
            // `ready`, not `getRegistration()`: the service worker is registered after the
            // first paint (ui::startup), so on a first visit there may be no registration yet
            // at this point; `ready` waits for it (and never resolves without one).
            if let Some(promise) = container.and_then(|c| c.ready().ok()) {
                let keep2 = keep.clone();
                let found: Rc<dyn Fn(ServiceWorker)> = Rc::new(move |w| waiting.set(Some(w)));
                wasm_bindgen_futures::spawn_local(async move {
                    let Ok(reg) = JsFuture::from(promise).await else { return };
                    let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else { return };
                    watch(&reg, found, &keep2);
                    // Look for a new deployment whenever the tab comes back into view.
                    let on_visible = EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                        if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Visible {
                            if let Ok(p) = reg.update() {
                                wasm_bindgen_futures::spawn_local(async move {
                                    let _ = JsFuture::from(p).await;
                                });
                            }
                        }
                    });
                    keep2.borrow_mut().push(on_visible);
                });
            }
            move || drop(keep)
        });
    }
    let Some(worker) = (*waiting).clone() else { return html! {} };
    let onclick = Callback::from(move |_: MouseEvent| {
        let Some(window) = web_sys::window() else { return };
        // Reload once the new worker controls the page (it then serves the new files).
        let reload = Closure::once_into_js(move || {
            let _ = gloo::utils::window().location().reload();
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window.navigator().service_worker().add_event_listener_with_callback_and_add_event_listener_options(
            "controllerchange",
            reload.unchecked_ref(),
            &options,
        );
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"skip-waiting".into());
        if worker.post_message(&message).is_err() {
            let _ = window.location().reload();
        }
    });
    html! {
        <div class="update-banner" role="status" data-update="ready">
            <span>{"A new version of newsmark is ready. "}</span>
            <button type="button" class="button primary" {onclick}>{"Reload to update"}</button>
        </div>
    }
}

//! Extraction off the main thread: the core's `extract` runs in a Web Worker (gloo-worker),
//! so a long article never freezes the page.
//!
//! The worker is the second Trunk binary (`src/bin/newsmark-worker.rs`, emitted as
//! `newsmark-worker.js` + `newsmark-worker_bg.wasm` next to `index.html`). Messages are
//! JSON rather than gloo's default bincode: the model uses serde attributes (skipped and
//! defaulted fields) that bincode cannot read back. Where no worker can be started (the
//! single-file build opened from `file://` has no worker script beside it), jobs run on the
//! main thread after yielding once, so the progress indicator still paints first.

use crate::core::{extract, AnnotationSet, Document};
use gloo_worker::{Codec, HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Where Trunk puts the worker's loader, relative to the page (works under any sub-path).
pub const WORKER_PATH: &str = "./newsmark-worker.js";

/// JSON over `postMessage`.
pub struct Json;

impl Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        JsValue::from_str(&serde_json::to_string(&input).expect("worker messages always serialise"))
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        serde_json::from_str(&text).expect("worker messages come from the same build")
    }
}

/// One document to pre-annotate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub seq: u32,
    pub document: Document,
}

/// Its suggestions.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Done {
    pub seq: u32,
    pub set: AnnotationSet,
}

/// The worker side: one job in, one result out.
pub struct ExtractWorker;

impl Worker for ExtractWorker {
    type Message = ();
    type Input = Job;
    type Output = Done;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        ExtractWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: Job, id: HandlerId) {
        let set = extract(&job.document);
        scope.respond(id, Done { seq: job.seq, set });
    }
}

/// Called by the worker binary's `main`.
pub fn register() {
    ExtractWorker::registrar().encoding::<Json>().register();
}

type Callback = Box<dyn FnOnce(AnnotationSet)>;

#[derive(Default)]
struct Inner {
    next: u32,
    waiting: HashMap<u32, Callback>,
}

/// The main-thread handle: submit documents, get their suggestions back in a callback.
#[derive(Clone)]
pub struct Extractor {
    bridge: Option<Rc<WorkerBridge<ExtractWorker>>>,
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Extractor {
    fn eq(&self, other: &Extractor) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// True in the single-file build, whose loader sets this flag (no worker file exists there).
fn single_file() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__newsmarkSingleFile")).ok())
        .is_some_and(|v| v.is_truthy())
}

impl Extractor {
    /// Starts the worker (or prepares the main-thread fallback).
    pub fn new() -> Extractor {
        let inner = Rc::new(RefCell::new(Inner::default()));
        let bridge = if single_file() || web_sys::window().is_none() {
            None
        } else {
            let inner2 = inner.clone();
            // `new Worker(blob:)` does not fail for a same-origin page; a missing worker
            // script would only show as jobs that never finish, which `dist/` rules out.
            let bridge = ExtractWorker::spawner()
                .encoding::<Json>()
                .callback(move |done: Done| {
                    let cb = inner2.borrow_mut().waiting.remove(&done.seq);
                    if let Some(cb) = cb {
                        cb(done.set);
                    }
                })
                .spawn(WORKER_PATH);
            Some(Rc::new(bridge))
        };
        Extractor { bridge, inner }
    }

    /// Whether jobs run in a worker (false: on the main thread).
    pub fn in_worker(&self) -> bool {
        self.bridge.is_some()
    }

    /// Jobs submitted and not finished yet.
    pub fn in_flight(&self) -> usize {
        self.inner.borrow().waiting.len()
    }

    /// Pre-annotates `document`; `done` runs with the result.
    pub fn run(&self, document: Document, done: impl FnOnce(AnnotationSet) + 'static) {
        match &self.bridge {
            Some(bridge) => {
                let seq = {
                    let mut inner = self.inner.borrow_mut();
                    inner.next += 1;
                    let seq = inner.next;
                    inner.waiting.insert(seq, Box::new(done));
                    seq
                };
                bridge.send(Job { seq, document });
            }
            None => {
                let seq = {
                    let mut inner = self.inner.borrow_mut();
                    inner.next += 1;
                    inner.next
                };
                let inner = self.inner.clone();
                inner.borrow_mut().waiting.insert(seq, Box::new(done));
                // Yield first so the progress indicator is painted before the work starts.
                gloo::timers::callback::Timeout::new(0, move || {
                    let set = extract(&document);
                    let cb = inner.borrow_mut().waiting.remove(&seq);
                    if let Some(cb) = cb {
                        cb(set);
                    }
                })
                .forget();
            }
        }
    }
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

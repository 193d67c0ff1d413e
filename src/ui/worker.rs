//! Extraction off the main thread: the core's `extract` runs in a Web Worker (gloo-worker),
//! so a long article never freezes the page.
//!
//! The worker is the second Trunk binary (`src/bin/newsmark-worker.rs`, emitted as
//! `newsmark-worker.js` + `newsmark-worker_bg.wasm` next to `index.html`). Messages are
//! JSON rather than gloo's default bincode: the model uses serde attributes (skipped and
//! defaulted fields) that bincode cannot read back.
//!
//! Only the worker's wasm holds the model and lexicons: the page never calls `extract`
//! (its first article's suggestions are embedded, see `ui::sample`), so the linker leaves
//! them out of the page wasm and they are downloaded once. The single-file build has no
//! worker file beside it: its loader inlines the worker's script and wasm once and hands
//! the page a `blob:` URL for it (`window.__newsmarkWorkerUrl`, see `tools/singlefile.py`).

use crate::core::{extract, AnnotationSet, Document};
use std::cell::Cell;
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

/// Whether the worker has answered once (its wasm, with the model, is loaded).
#[derive(Clone, Default)]
pub struct Loaded(Rc<Cell<bool>>);

/// The main-thread handle: submit documents, get their suggestions back in a callback.
#[derive(Clone)]
pub struct Extractor {
    bridge: Option<Rc<WorkerBridge<ExtractWorker>>>,
    inner: Rc<RefCell<Inner>>,
    loaded: Loaded,
}

impl PartialEq for Extractor {
    fn eq(&self, other: &Extractor) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// The single-file build's worker: a `blob:` URL its loader made (no worker file exists there).
fn single_file_worker() -> Option<String> {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__newsmarkWorkerUrl")).ok())
        .and_then(|v| v.as_string())
}

impl Extractor {
    /// Starts the worker (its wasm loads in the background; the page is already shown).
    pub fn new() -> Extractor {
        let inner = Rc::new(RefCell::new(Inner::default()));
        let loaded = Loaded::default();
        let bridge = web_sys::window().map(|_| {
            let (inner2, loaded2) = (inner.clone(), loaded.clone());
            let mut spawner = ExtractWorker::spawner().encoding::<Json>();
            spawner.callback(move |done: Done| {
                loaded2.0.set(true);
                let cb = inner2.borrow_mut().waiting.remove(&done.seq);
                if let Some(cb) = cb {
                    cb(done.set);
                }
            });
            // `new Worker(blob:)` does not fail for a same-origin page; a missing worker
            // script would only show as jobs that never finish, which `dist/` rules out.
            Rc::new(match single_file_worker() {
                Some(url) => spawner.spawn_with_loader(&url),
                None => spawner.spawn(WORKER_PATH),
            })
        });
        Extractor { bridge, inner, loaded }
    }

    /// Whether the worker has its model loaded (it has answered once); until then the UI
    /// says "loading the model…".
    pub fn loaded(&self) -> bool {
        self.loaded.0.get()
    }

    /// Jobs submitted and not finished yet.
    pub fn in_flight(&self) -> usize {
        self.inner.borrow().waiting.len()
    }

    /// Pre-annotates `document` in the worker; `done` runs with the result. Without a
    /// window (no worker can exist) the job is dropped and `done` never runs.
    pub fn run(&self, document: Document, done: impl FnOnce(AnnotationSet) + 'static) {
        let Some(bridge) = &self.bridge else { return };
        let seq = {
            let mut inner = self.inner.borrow_mut();
            inner.next += 1;
            let seq = inner.next;
            inner.waiting.insert(seq, Box::new(done));
            seq
        };
        bridge.send(Job { seq, document });
    }
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

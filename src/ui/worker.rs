//! Heavy work off the main thread: reading picked files (HTML reduction, JSON and bundle
//! import, JSONL) and pre-annotating articles run in a Web Worker, so neither a long
//! article nor a hostile file freezes the page — and a crash there loses one document,
//! never the batch.
//!
//! The worker is the second Trunk binary (`src/bin/newsmark-worker.rs`), started through
//! the loader shim Trunk writes next to `index.html` (`newsmark-worker_loader.js`), so no
//! `blob:` script is needed and the CSP can say `worker-src 'self'`.
//!
//! Protocol: the page posts `[request JSON, bytes?]` (file bytes as a `Uint8Array`, never
//! as JSON numbers); the worker answers with one JSON [`Reply`] per request, in order, and
//! `Ready` once it can take requests (messages sent earlier would be lost), `Models` once
//! its models are in.
//!
//! Crashes: the release wasm is built with `panic = "abort"`, and `catch_unwind` cannot
//! catch on wasm32 anyway. What happens on a panic is therefore: the panic hook installed
//! here posts `Failed` for the request being handled, then the instance traps
//! (`RuntimeError: unreachable`), which reaches the page as the worker's `error` event. A
//! trapped instance may hold broken state (a borrowed `RefCell`, a half-filled cache), so
//! the page never reuses it: it reports the failed request, terminates the worker, starts
//! a fresh one and sends it the requests still waiting. A crash without a hook message
//! (an exception in the glue, a trap that is not a panic) fails the oldest request in
//! flight instead: the worker handles requests one at a time, in order.
//!
//! The models are files of their own (`models/tagger-<hash>.bin`,
//! `models/attribution-<hash>.bin`, content-hashed by `tools/models.py`), precached by the
//! service worker, so a model update re-downloads the model and not the app, and an app
//! update not the model. The worker's loader script (stamped by the same tool) starts
//! fetching them before the worker's wasm loads and leaves the promise in
//! `self.newsmarkModels`; the worker says `Ready` at once (files can be read), installs
//! them into the core (`tagger::install`, `attribution::learned::install`: the core never
//! fetches), then says `Models`; an extraction that arrives before waits, and so does
//! every request behind it (replies stay in order). Models that fail to load or parse
//! leave the worker reading files, and every extraction answers `Unavailable` ("the model
//! could not be loaded: …; suggestions are off"), never a crash. The page never calls `extract` (its first article's suggestions
//! are embedded, see `ui::sample`). The single-file build has no worker file beside it:
//! its loader inlines the worker's script, wasm and models once and hands the page a
//! `blob:` URL for it (`window.__newsmarkWorkerUrl`, see `tools/singlefile.py`).
//!
//! The source ledger is computed here too (`Request::Ledger`, `Request::LedgerFile`): the
//! page posts the project's annotation sets and the editor's corrections and gets the
//! ledger's rows and summary (or a report file's text) back, so `core::ledger`'s
//! aggregation and its Markdown / HTML / CSV / JSON writers stay out of the page wasm.
//! So is the editor's "Export JSON" file (`Request::ExportJson`): the page posts the set
//! and downloads the text it gets back, so the JSON format's writer is not on the page.
//!
//! Where no worker starts at all (a worker script that fails to load), every request fails
//! with a clear message ("reload to try again"): the page wasm has neither the pipeline nor
//! the file readers (HTML reduction, bundles, NFC tables), which keeps them out of the
//! first-paint download. Nothing is lost: the files stay where they were picked from.

use crate::core::format::bundle;
use crate::core::ledger::edits::LedgerEdits;
use crate::core::ledger::export::LedgerFormat;
use crate::core::ledger::{Ledger, Options};
use crate::core::project::project::DocStatus;
use crate::core::{extract, AnnotationSet, Document};
use crate::ui::import::{read_file, Picked};
use crate::ui::js::js_message;
use crate::ui::open::{read_opened, Opened};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where Trunk puts the worker's loader shim, relative to the page (any sub-path works).
pub const WORKER_PATH: &str = "./newsmark-worker_loader.js";

/// How a picked file is read: "Open…" (one article or annotation file, errors worded for
/// the alert), "Import articles…" (any mix: JSONL, bundles, folders) or "Paste…" (the
/// bytes are the pasted text, the name its title, possibly empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadMode {
    Open,
    Import,
    Paste,
}

/// One request; the file bytes of `Read` travel beside the JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    Extract { seq: u32, document: Document },
    Read { seq: u32, name: String, mode: ReadMode },
    /// Writes a project bundle (`format::bundle`): the zip writer, deflate and CRC-32 stay
    /// out of the page wasm. `entries` are each document's set and its manifest metadata.
    WriteBundle { seq: u32, project: serde_json::Value, entries: Vec<(AnnotationSet, serde_json::Value)> },
    /// Builds the source ledger of `sets` (in project order) with the editor's `edits`.
    /// The page leaves `sets` empty here and splices in [`SetsJson`] written once.
    Ledger {
        seq: u32,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sets: Vec<AnnotationSet>,
        edits: LedgerEdits,
        options: Options,
    },
    /// Builds the ledger as `Ledger` does and writes it in `format` (what `newsmark
    /// ledger` writes for the same input, byte for byte).
    LedgerFile {
        seq: u32,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sets: Vec<AnnotationSet>,
        edits: LedgerEdits,
        options: Options,
        format: LedgerFormat,
    },
    /// Writes the set as newsmark's JSON file (`format::json::export`, what `newsmark
    /// export --format json` writes): its writer and `serde_json::Value` stay out of the
    /// page wasm.
    ExportJson { seq: u32, set: AnnotationSet },
}

impl Request {
    fn seq(&self) -> u32 {
        match self {
            Request::Extract { seq, .. }
            | Request::Read { seq, .. }
            | Request::WriteBundle { seq, .. }
            | Request::Ledger { seq, .. }
            | Request::LedgerFile { seq, .. }
            | Request::ExportJson { seq, .. } => *seq,
        }
    }
}

/// Only the sequence number, read first so a request that cannot be read still names
/// the request that failed.
#[derive(Deserialize)]
struct SeqOnly {
    #[serde(alias = "Extract", alias = "Read", alias = "WriteBundle", alias = "Ledger", alias = "LedgerFile", alias = "ExportJson")]
    inner: SeqField,
}

#[derive(Deserialize)]
struct SeqField {
    seq: u32,
}

/// What the worker says.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The worker can take requests (extractions wait for the models).
    Ready,
    /// The models are installed (`error: None`) or could not be (extractions then answer
    /// `Unavailable`).
    Models { error: Option<String> },
    Extracted { seq: u32, set: AnnotationSet },
    Read { seq: u32, picked: Picked },
    /// The request panicked (posted by the panic hook just before the instance traps).
    Failed { seq: u32, message: String },
    /// An extraction this worker cannot do: its models did not load (the worker lives on).
    Unavailable { seq: u32, message: String },
    /// The bundle's bytes (they travel beside the JSON, filled in on arrival), or why not.
    Bundle {
        seq: u32,
        error: Option<String>,
        #[serde(skip)]
        bytes: Vec<u8>,
    },
    /// The source ledger and how long building it took in the worker (ms).
    Ledger { seq: u32, ledger: Box<Ledger>, build_ms: f64 },
    /// A ledger report's text.
    LedgerFile { seq: u32, text: String },
    /// An exported file's text (`ExportJson`).
    File { seq: u32, text: String },
}

impl Reply {
    /// The variant's name, for messages.
    fn name(&self) -> &'static str {
        match self {
            Reply::Ready => "Ready",
            Reply::Models { .. } => "Models",
            Reply::Extracted { .. } => "Extracted",
            Reply::Read { .. } => "Read",
            Reply::Failed { .. } => "Failed",
            Reply::Unavailable { .. } => "Unavailable",
            Reply::Bundle { .. } => "Bundle",
            Reply::Ledger { .. } => "Ledger",
            Reply::LedgerFile { .. } => "LedgerFile",
            Reply::File { .. } => "File",
        }
    }
}

/// A reply that does not answer its request (page and worker of different builds). Named,
/// not printed with `Debug`: that would link every reply type's `Debug` into the page.
fn unexpected(reply: &Reply) -> String {
    format!("unexpected reply {} from the worker", reply.name())
}

/// Does what `request` asks, in the worker.
pub fn handle(request: Request, bytes: &[u8]) -> Reply {
    match request {
        Request::Extract { seq, .. } if MODEL_ERROR.with(|m| m.borrow().is_some()) => {
            let error = MODEL_ERROR.with(|m| m.borrow().clone()).unwrap_or_default();
            Reply::Unavailable { seq, message: format!("the model could not be loaded: {error}; suggestions are off") }
        }
        Request::Extract { seq, document } => Reply::Extracted { seq, set: extract(&document) },
        Request::Read { seq, name, mode } => Reply::Read { seq, picked: read(&name, bytes, mode) },
        Request::WriteBundle { seq, project, entries } => {
            let entries = entries.into_iter().map(|(set, meta)| bundle::Entry { set, meta }).collect();
            match bundle::export(&bundle::Bundle { project, entries }) {
                Ok(bytes) => Reply::Bundle { seq, error: None, bytes },
                Err(e) => Reply::Bundle { seq, error: Some(e.to_string()), bytes: Vec::new() },
            }
        }
        Request::Ledger { seq, sets, edits, options } => {
            let t0 = js_sys::Date::now();
            let ledger = Box::new(crate::core::ledger::build(&sets, &edits, options));
            Reply::Ledger { seq, ledger, build_ms: js_sys::Date::now() - t0 }
        }
        Request::LedgerFile { seq, sets, edits, options, format } => {
            let ledger = crate::core::ledger::build(&sets, &edits, options);
            Reply::LedgerFile { seq, text: crate::core::ledger::export::write(&ledger, format) }
        }
        Request::ExportJson { seq, set } => Reply::File { seq, text: crate::core::format::json::export(&set) },
    }
}

/// The project's annotation sets as the ledger view wrote them once (a JSON array of
/// `AnnotationSet`), spliced as they are into every ledger request: a rebuild does not
/// serialise 2,000 documents again on the main thread.
pub type SetsJson = Rc<str>;

/// Adds `"sets": <sets>` to a ledger request written without them (`{"Ledger":{…}}`).
fn with_sets(mut json: String, sets: &str) -> String {
    debug_assert!(json.ends_with("}}"));
    json.truncate(json.len() - 2);
    json.push_str(",\"sets\":");
    json.push_str(sets);
    json.push_str("}}");
    json
}

/// Reads one picked file into a batch.
pub fn read(name: &str, bytes: &[u8], mode: ReadMode) -> Picked {
    let mut picked = Picked::default();
    match mode {
        ReadMode::Import => read_file(name, bytes, &mut picked),
        ReadMode::Open => match read_opened(name, bytes) {
            Ok(Opened::Article(doc)) => picked.documents.push(doc),
            Ok(Opened::Annotations(set)) => picked.annotated.push((set, DocStatus::InProgress)),
            Err(e) => picked.problems.push(e.to_string()),
        },
        ReadMode::Paste => match pasted(name, bytes) {
            Ok(doc) => picked.documents.push(doc),
            Err(e) => picked.problems.push(e),
        },
    }
    picked
}

/// A pasted article: NFC and line endings like any import (in the worker, so the Unicode
/// tables stay out of the page wasm), refused whole over the article limit, the id from
/// the title or the first words.
pub fn pasted(title: &str, bytes: &[u8]) -> Result<Document, String> {
    let body = crate::core::model::text::decode_article(bytes).map_err(|e| format!("cannot paste: {e}"))?;
    if body.trim().is_empty() {
        return Err("paste some text first".into());
    }
    let title = Some(title.trim().to_string()).filter(|t| !t.is_empty());
    let id = crate::ui::components::slug(title.as_deref().unwrap_or(&body));
    Ok(Document::new(id, title, body))
}

// ---------------------------------------------------------------------------------------
// The worker side.

thread_local! {
    /// The request being handled, for the panic hook.
    static CURRENT: Cell<Option<u32>> = const { Cell::new(None) };
    /// Why the models did not load (`None` once installed).
    static MODEL_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The models are being fetched and installed.
    static LOADING: Cell<bool> = const { Cell::new(true) };
    /// Requests that arrived while the models loaded, from the first extraction on.
    static QUEUE: RefCell<std::collections::VecDeque<(Request, Vec<u8>)>> = RefCell::new(std::collections::VecDeque::new());
}

/// The models' names, as `tools/models.py` stamps them into the loader's promise.
const MODELS: [&str; 2] = ["tagger", "attribution"];

/// Awaits the loader's `self.newsmarkModels` (`{tagger: {bytes} | {error}, attribution: …}`)
/// and installs both models into the core.
async fn install_models() -> Result<(), String> {
    let scope = js_sys::global();
    let pending = js_sys::Reflect::get(&scope, &JsValue::from_str("newsmarkModels")).map_err(|e| js_message(&e))?;
    if pending.is_undefined() {
        return Err("this build's worker loader names no model files (tools/models.py did not run)".into());
    }
    let loaded = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&pending)).await.map_err(|e| js_message(&e))?;
    for name in MODELS {
        let field = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        let entry = field(&loaded, name);
        if let Some(error) = field(&entry, "error").as_string() {
            return Err(format!("{name}: {error}"));
        }
        let bytes = field(&entry, "bytes");
        if !(bytes.is_instance_of::<js_sys::ArrayBuffer>() || bytes.is_instance_of::<js_sys::Uint8Array>()) {
            return Err(format!("{name}: no bytes"));
        }
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        let installed = match name {
            "tagger" => crate::core::nlp::tagger::install(&bytes).map_err(|e| e.to_string()),
            _ => crate::core::nlp::attribution::learned::install(&bytes).map_err(|e| e.to_string()),
        };
        installed.map_err(|e| format!("models/{name}.bin: {e}"))?;
    }
    Ok(())
}

fn post_reply(reply: &Reply) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let json = serde_json::to_string(reply).unwrap_or_else(|e| {
        // A reply that cannot be written (never expected) still ends its request.
        let seq = CURRENT.with(Cell::get).unwrap_or(0);
        serde_json::json!({ "Failed": { "seq": seq, "message": format!("reply not serialisable: {e}") } }).to_string()
    });
    // Bytes travel as `[JSON, Uint8Array]`, never as JSON numbers.
    let message = match reply {
        Reply::Bundle { bytes, .. } if !bytes.is_empty() => {
            js_sys::Array::of2(&JsValue::from_str(&json), &js_sys::Uint8Array::from(bytes.as_slice())).into()
        }
        _ => JsValue::from_str(&json),
    };
    if let Err(e) = scope.post_message(&message) {
        web_sys::console::error_2(&"newsmark worker: cannot post a reply:".into(), &e);
    }
}

fn on_request(data: JsValue) {
    let parts: js_sys::Array = data.unchecked_into();
    let header = parts.get(0).as_string().unwrap_or_default();
    let seq = serde_json::from_str::<SeqOnly>(&header).map(|s| s.inner.seq).ok();
    CURRENT.with(|c| c.set(seq));
    // A request this build cannot read is a bug (page and worker come from one build); it
    // takes the same isolated path as any panic of the pipeline: reported, worker replaced.
    let request: Request = serde_json::from_str(&header).unwrap_or_else(|e| panic!("unreadable request: {e}"));
    let bytes = parts.get(1).dyn_into::<js_sys::Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
    debug_assert_eq!(Some(request.seq()), seq);
    CURRENT.with(|c| c.set(None));
    // Requests are answered in order (the page's crash handling relies on it): an
    // extraction waits for the models, and whatever comes after it waits behind it.
    let wait = LOADING.with(Cell::get) && (matches!(request, Request::Extract { .. }) || QUEUE.with(|q| !q.borrow().is_empty()));
    if wait {
        QUEUE.with(|q| q.borrow_mut().push_back((request, bytes)));
    } else {
        answer(request, &bytes);
    }
}

fn answer(request: Request, bytes: &[u8]) {
    CURRENT.with(|c| c.set(Some(request.seq())));
    let reply = handle(request, bytes);
    post_reply(&reply);
    CURRENT.with(|c| c.set(None));
}

/// Called by the worker binary's `main`: installs the panic hook, listens, says `Ready`.
pub fn register() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("newsmark worker: {message}").into());
        if let Some(seq) = CURRENT.with(Cell::get) {
            post_reply(&Reply::Failed { seq, message });
        }
    }));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| on_request(e.data()));
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Files can be read at once; extractions wait in `QUEUE` until the models are in.
    post_reply(&Reply::Ready);
    wasm_bindgen_futures::spawn_local(async {
        let error = install_models().await.err();
        if let Some(e) = &error {
            web_sys::console::warn_1(&format!("newsmark worker: the model could not be loaded: {e}").into());
        }
        MODEL_ERROR.with(|m| *m.borrow_mut() = error.clone());
        LOADING.with(|l| l.set(false));
        post_reply(&Reply::Models { error });
        while let Some((request, bytes)) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
            answer(request, &bytes);
        }
    });
}

// ---------------------------------------------------------------------------------------
// The page side.

type Done = Box<dyn FnOnce(Result<Reply, String>)>;

/// A request waiting for its reply, kept so it can be sent again to a fresh worker.
struct Waiting {
    message: js_sys::Array,
    request: Request,
    done: Done,
}

/// The live worker and the closures that listen to it.
struct Live {
    worker: web_sys::Worker,
    /// Which start this is: events of a replaced worker are ignored.
    generation: u32,
    ready: bool,
    /// It said `Models`: extraction no longer waits for the model files.
    models: bool,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::Event)>,
}

#[derive(Default)]
struct Inner {
    next: u32,
    generation: u32,
    /// `None`: requests run on the main thread.
    live: Option<Live>,
    /// The worker replaced last: its closures may be running right now (a crash is seen
    /// from inside them), so they are dropped at the next replacement, not at once.
    retired: Option<Live>,
    waiting: BTreeMap<u32, Waiting>,
    /// Workers replaced after a crash (shown nowhere; kept for tests and the console).
    restarts: u32,
    /// Whether the first worker was spawned: after the first paint, or by the first request
    /// if that comes sooner (see `ui::startup`).
    started: bool,
}

/// The main-thread handle: submit requests, get replies in callbacks.
#[derive(Clone)]
pub struct Extractor {
    inner: Rc<RefCell<Inner>>,
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

/// Why an article got no suggestions when no worker could start.
const NO_WORKER: &str = "the extraction worker did not start, so this article has no suggestions (reload to try again)";

/// Why a file was not read (or written) when no worker could start.
const NO_READER: &str = "the app's worker (which reads and writes files) did not start; reload to try again";

impl Extractor {
    /// Starts the worker after the first paint (its wasm and models would compete with the
    /// first render for the CPU), or at the first request if that comes sooner.
    pub fn new() -> Extractor {
        let extractor = Extractor { inner: Rc::new(RefCell::new(Inner::default())) };
        RUNNING.with(|r| *r.borrow_mut() = Rc::downgrade(&extractor.inner));
        if web_sys::window().is_some() {
            let weak = Rc::downgrade(&extractor.inner);
            crate::ui::startup::after_first_paint(move || {
                if let Some(inner) = weak.upgrade() {
                    Extractor { inner }.ensure_started();
                }
            });
        }
        extractor
    }

    /// Spawns the first worker unless it was already.
    fn ensure_started(&self) {
        if !std::mem::replace(&mut self.inner.borrow_mut().started, true) {
            crate::ui::startup::mark("worker");
            self.start();
        }
    }

    /// Spawns a fresh worker; on failure requests run on the main thread.
    fn start(&self) {
        let generation = {
            let mut inner = self.inner.borrow_mut();
            inner.generation += 1;
            inner.generation
        };
        let url = single_file_worker().unwrap_or_else(|| WORKER_PATH.to_string());
        let worker = match web_sys::Worker::new(&url) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::warn_2(&"newsmark: no worker, reading files on the page:".into(), &e);
                self.inner.borrow_mut().live = None;
                return self.drain_on_page();
            }
        };
        let weak = Rc::downgrade(&self.inner);
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                Extractor { inner }.on_reply(generation, e.data());
            }
        });
        let weak = Rc::downgrade(&self.inner);
        // A script that fails to load fires a plain `Event`; an uncaught error an `ErrorEvent`.
        let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let message = e.dyn_ref::<web_sys::ErrorEvent>().map_or_else(|| "the worker script did not load".to_string(), |e| e.message());
            if let Some(inner) = weak.upgrade() {
                Extractor { inner }.on_crash(generation, None, message);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        self.inner.borrow_mut().live =
            Some(Live { worker, generation, ready: false, models: false, _onmessage: onmessage, _onerror: onerror });
    }

    fn is_current(&self, generation: u32) -> bool {
        self.inner.borrow().live.as_ref().is_some_and(|l| l.generation == generation)
    }

    fn on_reply(&self, generation: u32, data: JsValue) {
        if !self.is_current(generation) {
            return;
        }
        // A reply is its JSON, or `[JSON, Uint8Array]` when it carries bytes.
        let (text, bytes) = match data.dyn_ref::<js_sys::Array>() {
            Some(parts) => (parts.get(0).as_string(), parts.get(1).dyn_into::<js_sys::Uint8Array>().ok().map(|b| b.to_vec())),
            None => (data.as_string(), None),
        };
        let mut reply: Reply = match serde_json::from_str(&text.unwrap_or_default()) {
            Ok(r) => r,
            Err(e) => return self.on_crash(generation, None, format!("unreadable reply: {e}")),
        };
        if let (Reply::Bundle { bytes: into, .. }, Some(bytes)) = (&mut reply, bytes) {
            *into = bytes;
        }
        let seq = match &reply {
            Reply::Ready => {
                let messages: Vec<js_sys::Array> = {
                    let mut inner = self.inner.borrow_mut();
                    if let Some(live) = inner.live.as_mut() {
                        live.ready = true;
                    }
                    inner.waiting.values().map(|w| w.message.clone()).collect()
                };
                for m in messages {
                    self.post(&m);
                }
                return;
            }
            Reply::Models { .. } => {
                if let Some(live) = self.inner.borrow_mut().live.as_mut() {
                    live.models = true;
                }
                return;
            }
            Reply::Failed { seq, message } => return self.on_crash(generation, Some(*seq), message.clone()),
            Reply::Unavailable { seq, message } => {
                let waiting = self.inner.borrow_mut().waiting.remove(seq);
                if let Some(w) = waiting {
                    (w.done)(Err(message.clone()));
                }
                return;
            }
            Reply::Extracted { seq, .. }
            | Reply::Read { seq, .. }
            | Reply::Bundle { seq, .. }
            | Reply::Ledger { seq, .. }
            | Reply::LedgerFile { seq, .. }
            | Reply::File { seq, .. } => *seq,
        };
        let waiting = self.inner.borrow_mut().waiting.remove(&seq);
        if let Some(w) = waiting {
            (w.done)(Ok(reply));
        }
    }

    /// The worker died: fail the request it was on, start a fresh worker for the rest.
    fn on_crash(&self, generation: u32, seq: Option<u32>, message: String) {
        if !self.is_current(generation) {
            return;
        }
        let (was_ready, failed) = {
            let mut inner = self.inner.borrow_mut();
            let live = inner.live.take().expect("is_current checked it");
            live.worker.terminate();
            // Without a hook message the oldest request was the one being handled.
            let seq = seq.or_else(|| live.ready.then(|| inner.waiting.keys().next().copied()).flatten());
            let ready = live.ready;
            inner.retired = Some(live);
            (ready, seq.and_then(|s| inner.waiting.remove(&s)))
        };
        if !was_ready {
            // The worker never started (its script is missing or broken): work on the page.
            web_sys::console::warn_1(&format!("newsmark: the worker did not start ({message}); reading files on the page").into());
            return self.drain_on_page();
        }
        self.inner.borrow_mut().restarts += 1;
        web_sys::console::warn_1(&format!("newsmark: the worker stopped ({message}); starting a fresh one").into());
        self.start();
        if let Some(w) = failed {
            (w.done)(Err(message));
        }
    }

    fn post(&self, message: &js_sys::Array) {
        let failed = {
            let inner = self.inner.borrow();
            let Some(live) = inner.live.as_ref().filter(|l| l.ready) else { return };
            live.worker.post_message(message).err().map(|e| (live.generation, js_message(&e)))
        };
        if let Some((generation, e)) = failed {
            self.on_crash(generation, None, e);
        }
    }

    /// Fails everything waiting (no worker), one message each.
    fn drain_on_page(&self) {
        let seqs: Vec<u32> = self.inner.borrow().waiting.keys().copied().collect();
        for seq in seqs {
            self.run_on_page(seq);
        }
    }

    fn run_on_page(&self, seq: u32) {
        let inner = self.inner.clone();
        // Yield first: replies always come after `submit` returns, as from a worker.
        gloo::timers::callback::Timeout::new(0, move || {
            let w = inner.borrow_mut().waiting.remove(&seq);
            if let Some(w) = w {
                // Never `handle` or `read`: they would link the pipeline and the file readers
                // into the page wasm.
                let reply = match w.request {
                    Request::Read { .. }
                    | Request::WriteBundle { .. }
                    | Request::Ledger { .. }
                    | Request::LedgerFile { .. }
                    | Request::ExportJson { .. } => Err(NO_READER.to_string()),
                    Request::Extract { .. } => Err(NO_WORKER.to_string()),
                };
                (w.done)(reply);
            }
        })
        .forget();
    }

    fn submit(&self, make: impl FnOnce(u32) -> Request, bytes: Vec<u8>, done: Done) {
        self.submit_with(make, None, bytes, done)
    }

    /// [`Self::submit`], with `sets` spliced into a ledger request's JSON.
    fn submit_with(&self, make: impl FnOnce(u32) -> Request, sets: Option<SetsJson>, bytes: Vec<u8>, done: Done) {
        let (seq, request) = {
            let mut inner = self.inner.borrow_mut();
            inner.next += 1;
            (inner.next, make(inner.next))
        };
        let message = js_sys::Array::new();
        let json = serde_json::to_string(&request).expect("requests always serialise");
        let json = match &sets {
            Some(sets) => with_sets(json, sets),
            None => json,
        };
        message.push(&JsValue::from_str(&json));
        if !bytes.is_empty() {
            message.push(&js_sys::Uint8Array::from(bytes.as_slice()));
        }
        if web_sys::window().is_some() {
            self.ensure_started();
        }
        let on_page = self.inner.borrow().live.is_none();
        self.inner.borrow_mut().waiting.insert(seq, Waiting { message: message.clone(), request, done });
        if on_page {
            self.run_on_page(seq);
        } else {
            self.post(&message);
        }
    }

    /// Whether the worker has its models in (it said `Models`); until then the UI says
    /// "loading the model…".
    pub fn loaded(&self) -> bool {
        self.inner.borrow().live.as_ref().is_some_and(|l| l.models)
    }

    /// Requests submitted and not finished yet.
    pub fn in_flight(&self) -> usize {
        self.inner.borrow().waiting.len()
    }

    /// Pre-annotates `document`; `done` gets the suggestions, or why the worker failed on it.
    pub fn run(&self, document: Document, done: impl FnOnce(Result<AnnotationSet, String>) + 'static) {
        self.submit(
            |seq| Request::Extract { seq, document },
            Vec::new(),
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::Extracted { set, .. } => Ok(set),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }

    /// Reads the bytes of a picked file; `done` gets what it holds (with its problems), or
    /// why the worker failed on it.
    pub fn read(&self, name: String, bytes: Vec<u8>, mode: ReadMode, done: impl FnOnce(Result<Picked, String>) + 'static) {
        self.submit(
            |seq| Request::Read { seq, name, mode },
            bytes,
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::Read { picked, .. } => Ok(picked),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }
}

impl Extractor {
    /// Writes a project bundle in the worker; `done` gets the zip's bytes or why not.
    pub fn write_bundle(
        &self,
        project: serde_json::Value,
        entries: Vec<(AnnotationSet, serde_json::Value)>,
        done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
    ) {
        self.submit(
            |seq| Request::WriteBundle { seq, project, entries },
            Vec::new(),
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::Bundle { error: None, bytes, .. } => Ok(bytes),
                    Reply::Bundle { error: Some(e), .. } => Err(e),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }

    /// Builds the source ledger in the worker; `done` gets it with the worker's build time
    /// (ms), or why the worker failed.
    pub fn ledger(
        &self,
        sets: SetsJson,
        edits: LedgerEdits,
        options: Options,
        done: impl FnOnce(Result<(Ledger, f64), String>) + 'static,
    ) {
        self.submit_with(
            |seq| Request::Ledger { seq, sets: Vec::new(), edits, options },
            Some(sets),
            Vec::new(),
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::Ledger { ledger, build_ms, .. } => Ok((*ledger, build_ms)),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }

    /// Writes the source ledger's report in `format` in the worker; `done` gets its text.
    pub fn ledger_file(
        &self,
        sets: SetsJson,
        edits: LedgerEdits,
        options: Options,
        format: LedgerFormat,
        done: impl FnOnce(Result<String, String>) + 'static,
    ) {
        self.submit_with(
            |seq| Request::LedgerFile { seq, sets: Vec::new(), edits, options, format },
            Some(sets),
            Vec::new(),
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::LedgerFile { text, .. } => Ok(text),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }

    /// Writes `set` as newsmark's JSON file in the worker; `done` gets its text.
    pub fn export_json(&self, set: AnnotationSet, done: impl FnOnce(Result<String, String>) + 'static) {
        self.submit(
            |seq| Request::ExportJson { seq, set },
            Vec::new(),
            Box::new(move |r| {
                done(r.and_then(|reply| match reply {
                    Reply::File { text, .. } => Ok(text),
                    other => Err(unexpected(&other)),
                }))
            }),
        );
    }

    /// The app's running worker (the one `use_persistence` started), for requests that
    /// are not the project's reads and extractions (a bundle export).
    pub fn running() -> Option<Extractor> {
        RUNNING.with(|r| r.borrow().upgrade()).map(|inner| Extractor { inner })
    }
}

thread_local! {
    /// The worker started last on this page (see [`Extractor::running`]).
    static RUNNING: RefCell<std::rc::Weak<RefCell<Inner>>> = RefCell::new(std::rc::Weak::new());
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

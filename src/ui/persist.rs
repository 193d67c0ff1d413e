//! The project and autosave, as one hook the app calls once: it restores the saved project
//! and the open document's exact history on start, saves every change at once (from
//! effects, never inside a reducer), imports many articles through the extraction worker
//! and keeps a save status the UI shows.
//!
//! State transitions of the list are `extract::project`'s (host-tested); this module only
//! wires them to IndexedDB ([`crate::ui::storage`]) and the worker ([`crate::ui::worker`]).

use crate::core::model::history::History;
use crate::core::project::persist::StoredHistory;
use crate::core::project::project::{DocStatus, Filter, Project};
use crate::core::AnnotationSet;
use crate::ui::import::Picked;
use crate::ui::storage::{SaveStatus, Store, StorageError};
use crate::ui::worker::Extractor;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Progress of an import: documents extracted and stored so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// The project as the UI sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectState {
    pub project: Project,
    pub filter: Filter,
    pub progress: Option<Progress>,
    pub status: SaveStatus,
    /// Set once the saved project was read (or found missing); saving starts then.
    pub ready: bool,
    /// Lines that could not be imported, shown until the next import.
    pub problems: Vec<String>,
}

impl Default for ProjectState {
    fn default() -> ProjectState {
        ProjectState {
            project: Project::default(),
            filter: Filter::default(),
            progress: None,
            status: SaveStatus::Loading,
            ready: false,
            problems: Vec::new(),
        }
    }
}

/// What changes the project state.
#[derive(Clone, Debug, PartialEq)]
pub enum ProjectAction {
    /// The saved project was read (or there was none).
    Ready { project: Project },
    Replace { project: Project },
    Status { status: SaveStatus },
    SetFilter { filter: Filter },
    /// An import started: the documents were added, extraction is pending.
    Importing { project: Project, problems: Vec<String> },
    /// One imported document was extracted and stored with `pending` suggestions.
    Extracted { id: String, pending: usize },
    SetStatus { id: String, status: DocStatus },
    Problem { message: String },
}

impl Reducible for ProjectState {
    type Action = ProjectAction;

    fn reduce(self: Rc<Self>, action: ProjectAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            ProjectAction::Ready { project } => {
                s.project = project;
                s.ready = true;
                if s.status == SaveStatus::Loading {
                    s.status = SaveStatus::Saved;
                }
            }
            ProjectAction::Replace { project } => s.project = project,
            // An error stays visible until a later write succeeds.
            ProjectAction::Status { status } => s.status = status,
            ProjectAction::SetFilter { filter } => s.filter = filter,
            ProjectAction::Importing { project, problems } => {
                let total = project.entries.len() - s.project.entries.len();
                s.project = project;
                s.problems = problems;
                s.progress = (total > 0).then_some(Progress { done: 0, total });
            }
            ProjectAction::Extracted { id, pending } => {
                if let Some(e) = s.project.entries.iter_mut().find(|e| e.id == id) {
                    e.pending = pending;
                }
                if let Some(p) = s.progress.as_mut() {
                    p.done += 1;
                    if p.done >= p.total {
                        s.progress = None;
                    }
                }
            }
            ProjectAction::Problem { message } => s.problems = vec![message],
            ProjectAction::SetStatus { id, status } => {
                s.project.set_status(&id, status);
            }
        }
        Rc::new(s)
    }
}

/// Everything components need: the state, its dispatcher and the operations that touch
/// storage or the worker.
#[derive(Clone, PartialEq)]
pub struct ProjectHandle {
    pub state: UseReducerHandle<ProjectState>,
    store: Rc<RefCell<Option<Store>>>,
    extractor: Rc<Extractor>,
    restore: Callback<History>,
}

/// The project context, provided by the app.
pub type ProjectContext = ProjectHandle;

#[hook]
pub fn use_project() -> ProjectHandle {
    use_context::<ProjectHandle>().expect("use_project() is only called below <App>, which provides it")
}

impl ProjectHandle {
    fn report(&self) -> Rc<dyn Fn(Result<(), StorageError>)> {
        let state = self.state.dispatcher();
        Rc::new(move |r| {
            let status = match r {
                Ok(()) => SaveStatus::Saved,
                Err(e) => SaveStatus::Error(e),
            };
            state.dispatch(ProjectAction::Status { status });
        })
    }

    /// Opens a document of the project: its saved history comes back exactly.
    pub fn open(&self, id: &str) {
        let mut project = self.state.project.clone();
        if !project.open(id) {
            return;
        }
        let Some(store) = self.store.borrow().clone() else { return };
        let (restore, report, dispatch) = (self.restore.clone(), self.report(), self.state.dispatcher());
        let id = id.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            match store.load_document(&id).await {
                Ok(Some(history)) => {
                    dispatch.dispatch(ProjectAction::Replace { project });
                    restore.emit(history);
                }
                Ok(None) => report(Err(StorageError::Damaged(format!("{id} is listed but not stored")))),
                Err(e) => report(Err(e)),
            }
        });
    }

    pub fn set_status(&self, id: &str, status: DocStatus) {
        self.state.dispatch(ProjectAction::SetStatus { id: id.to_string(), status });
    }

    pub fn set_filter(&self, filter: Filter) {
        self.state.dispatch(ProjectAction::SetFilter { filter });
    }

    /// Deletes after asking; the entry goes to the trash (undo), the one trashed before is
    /// dropped from storage for good.
    pub fn delete(&self, id: &str) {
        let Some(entry) = self.state.project.get(id) else { return };
        let question = format!("Delete “{}” and its annotations? You can undo this until the next delete.", entry.label());
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
        let mut project = self.state.project.clone();
        let was_current = project.current.as_deref() == Some(id);
        let Ok(purged) = project.delete(id) else { return };
        if let (Some(purged), Some(store)) = (purged, self.store.borrow().clone()) {
            let report = self.report();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = store.delete_document(&purged).await {
                    report(Err(e));
                }
            });
        }
        let next = project.current.clone();
        self.state.dispatch(ProjectAction::Replace { project });
        if was_current {
            if let Some(next) = next {
                self.open_after_replace(&next);
            }
        }
    }

    /// Opens `id` without changing the list (it was just replaced).
    fn open_after_replace(&self, id: &str) {
        let Some(store) = self.store.borrow().clone() else { return };
        let (restore, report) = (self.restore.clone(), self.report());
        let id = id.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            match store.load_document(&id).await {
                Ok(Some(h)) => restore.emit(h),
                Ok(None) => report(Err(StorageError::Damaged(format!("{id} is listed but not stored")))),
                Err(e) => report(Err(e)),
            }
        });
    }

    pub fn undo_delete(&self) {
        let mut project = self.state.project.clone();
        if project.undo_delete() {
            let id = project.current.clone();
            self.state.dispatch(ProjectAction::Replace { project });
            if let Some(id) = id {
                self.open_after_replace(&id);
            }
        }
    }

    /// Adds picked files to the project: plain articles are pre-annotated in the worker,
    /// annotated ones (JSON, bundles) stored as they are; each is stored as it completes and
    /// the first one is opened. Problems are shown beside the list.
    pub fn import(&self, picked: Picked) {
        let Picked { documents, annotated, problems } = picked;
        let mut project = self.state.project.clone();
        let docs = project.add(documents);
        let mut sets = Vec::with_capacity(annotated.len());
        for (mut set, status) in annotated {
            let doc = project.add(vec![set.document.clone()]).remove(0);
            project.set_status(&doc.id, status);
            set.document.id = doc.id;
            sets.push(set);
        }
        let first = docs.first().map(|d| d.id.clone()).or_else(|| sets.first().map(|s| s.document.id.clone()));
        project.current = first.clone().or(project.current);
        self.state.dispatch(ProjectAction::Importing { project, problems });
        let Some(first) = first else { return };
        let finish = {
            let (store, dispatch, report, restore) =
                (self.store.borrow().clone(), self.state.dispatcher(), self.report(), self.restore.clone());
            move |set: AnnotationSet| {
                let is_first = set.document.id == first;
                let (store, dispatch, report, restore) = (store.clone(), dispatch.clone(), report.clone(), restore.clone());
                let id = set.document.id.clone();
                let pending = set.pending();
                let history = History::new(set);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(store) = store {
                        let r = store.save_document(&history).await;
                        if r.is_err() {
                            report(r);
                        }
                    }
                    dispatch.dispatch(ProjectAction::Extracted { id, pending });
                    if is_first {
                        restore.emit(history);
                    }
                });
            }
        };
        let finish = Rc::new(finish);
        for set in sets {
            finish(set);
        }
        for doc in docs {
            let finish = finish.clone();
            self.extractor.run(doc, move |set| finish(set));
        }
    }

    /// The open database, if storage works.
    pub fn store(&self) -> Option<Store> {
        self.store.borrow().clone()
    }

    /// Shows a problem beside the list.
    pub fn fail(&self, message: String) {
        self.state.dispatch(ProjectAction::Problem { message });
    }

    /// Opens a new article: pre-annotated in the worker (with the progress bar), added to
    /// the project under a free id, stored, then shown.
    pub fn extract_and_open(&self, doc: crate::core::Document) {
        self.import(Picked { documents: vec![doc], ..Picked::default() });
    }

    /// Whether the extraction worker has its model loaded (false until it first answers).
    pub fn model_loaded(&self) -> bool {
        self.extractor.loaded()
    }
}

/// Sets up storage for the app. `source` is the app's reducer handle and `history` reads the
/// open document's history from it (so nothing is cloned per render); `version` changes
/// whenever that history may have changed (e.g. the reducer's `Rc` address), and `restore`
/// replaces it (the reducer's Restore action). With `reopen` false the saved project is
/// read but the open document is kept (the app was given one explicitly, e.g. in tests).
#[hook]
pub fn use_persistence<S>(
    source: S,
    history: fn(&S) -> &History,
    version: usize,
    restore: Callback<History>,
    reopen: bool,
) -> ProjectHandle
where
    S: Clone + 'static,
{
    let state = use_reducer(ProjectState::default);
    let store: Rc<RefCell<Option<Store>>> = use_mut_ref(|| None);
    let extractor = use_memo((), |_| Extractor::new());
    // The JSON last written per document id, so unchanged states are not written again.
    let last_saved: Rc<RefCell<Option<(String, String)>>> = use_mut_ref(|| None);
    let handle = ProjectHandle { state: state.clone(), store: store.clone(), extractor, restore: restore.clone() };

    // Start: open the database, read the project, restore the open document.
    {
        let (state, store, restore) = (state.clone(), store.clone(), restore.clone());
        let initial = history(&source).current().document.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let opened = Store::open().await;
                let s = match opened {
                    Ok(s) => s,
                    Err(e) => {
                        state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                        // Work continues unsaved: the list still holds the open document.
                        let mut p = Project::default();
                        p.add(vec![initial]);
                        state.dispatch(ProjectAction::Ready { project: p });
                        return;
                    }
                };
                *store.borrow_mut() = Some(s.clone());
                let project = match s.load_project().await {
                    Ok(p) => p,
                    Err(e) => {
                        state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                        None
                    }
                };
                let project = project.unwrap_or_default();
                if let Some(id) = project.current.clone().filter(|_| reopen) {
                    match s.load_document(&id).await {
                        Ok(Some(h)) => restore.emit(h),
                        Ok(None) => {}
                        Err(e) => state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) }),
                    }
                }
                state.dispatch(ProjectAction::Ready { project });
            });
        });
    }

    // Every change of the open document: refresh its list entry and store its history.
    {
        let (state, store, last_saved) = (state.clone(), store.clone(), last_saved.clone());
        let ready = state.ready;
        use_effect_with((version, ready), move |_| {
            if !ready {
                return;
            }
            let history = history(&source);
            let set = history.current();
            let id = set.document.id.clone();
            let mut project = state.project.clone();
            if project.get(&id).is_none() {
                // Opened from a file, pasted, or the first start's sample: it joins the list
                // under its own id (it is stored under that key).
                project.entries.push(crate::core::project::project::Entry {
                    id: id.clone(),
                    title: set.document.title.clone(),
                    status: DocStatus::New,
                    pending: 0,
                    words: set.text().split_whitespace().count(),
                });
            }
            project.current = Some(id.clone());
            project.update(set, history.can_undo());
            if project != state.project {
                state.dispatch(ProjectAction::Replace { project });
            }
            let json = StoredHistory::to_json(&history);
            let unchanged = last_saved.borrow().as_ref().is_some_and(|(i, j)| *i == id && *j == json);
            let Some(store) = store.borrow().clone() else { return };
            if unchanged {
                return;
            }
            *last_saved.borrow_mut() = Some((id.clone(), json.clone()));
            state.dispatch(ProjectAction::Status { status: SaveStatus::Saving });
            let dispatch = state.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                let r = store.put_document_json(&id, json).await;
                dispatch.dispatch(ProjectAction::Status {
                    status: r.map(|_| SaveStatus::Saved).unwrap_or_else(SaveStatus::Error),
                });
            });
        });
    }

    // Every change of the list: store it.
    {
        let (store, dispatch) = (store.clone(), state.dispatcher());
        let (project, ready) = (state.project.clone(), state.ready);
        use_effect_with((project, ready), move |(project, ready)| {
            let store = store.borrow().clone();
            if let (true, Some(store)) = (*ready, store) {
                let project = project.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = store.save(Some(&project), &[]).await {
                        dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                    }
                });
            }
        });
    }

    handle
}


//! The project and autosave, as one hook the app calls once: it restores the saved project
//! and the open document's exact history on start, saves every change at once (from
//! effects, never inside a reducer), imports many articles through the extraction worker
//! and keeps a save status the UI shows.
//!
//! State transitions of the list are `core::project`'s (host-tested); this module only
//! wires them to revisioned storage ([`crate::ui::storage`]) and the worker
//! ([`crate::ui::worker`]). Each change of the open document is saved as one log record
//! (the change from what this tab stored last); all writes go through one queue, which is
//! also what "Saving…" and the unload warning read.
//!
//! Two tabs: each keeps the list as it last stored or read it (`base`); a change stored by
//! another tab arrives through the change feed and is merged into this tab's list
//! ([`Project::merge`]), so an import in one tab survives an edit in the other. The open
//! document follows a newer version stored by another tab; when both wrote at once, this
//! tab's version is kept aside (listed with "Export raw") and the stored one is shown.
//! A document whose restore did not finish rendering last time is not reopened on start.

use crate::core::model::history::History;
use crate::core::project::persist::StoredHistory;
use crate::core::project::project::{DocStatus, Filter, Project};
use crate::core::AnnotationSet;
use crate::ui::import::Picked;
use crate::ui::js::{later, local_storage};
use crate::ui::pouch::Watch;
use crate::ui::sample::{sample_set, SAMPLE_ID};
use crate::ui::startup;
use crate::ui::storage::{Aside, Assignment, Change, SaveStatus, Store, StorageError, TeamProgress};
use crate::ui::worker::{Extractor, ReadMode};
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
    /// What an import did that the user should know (a document added under a new id
    /// because its id was taken), shown until the next import.
    pub notices: Vec<String>,
    /// Files being read (in the worker) before they are added.
    pub reading: usize,
    /// Something the editor should know that is not an error ("updated in another tab").
    pub notice: Option<String>,
    /// Records kept aside instead of lost (record id, what it is).
    pub asides: Vec<(String, Aside)>,
    /// Other annotators' status and pending count per listed document, as sync brought
    /// their `meta:` records.
    pub team: TeamProgress,
    /// Every document's assignment (`assign:` records), and who this browser is.
    pub assignments: Vec<Assignment>,
    pub me: Option<String>,
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
            notices: Vec::new(),
            reading: 0,
            notice: None,
            asides: Vec::new(),
            team: TeamProgress::new(),
            assignments: Vec::new(),
            me: None,
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
    /// Files are being read before an import.
    Reading { files: usize },
    /// An import started: the documents were added, extraction is pending.
    Importing { project: Project, problems: Vec<String>, notices: Vec<String> },
    /// One imported document was extracted and stored with `pending` suggestions.
    Extracted { id: String, pending: usize },
    SetStatus { id: String, status: DocStatus },
    Problem { message: String },
    /// One more problem beside the earlier ones (a document the worker failed on).
    AddProblem { message: String },
    /// Another tab stored `theirs` over `base` (what this tab last stored or read): merged
    /// into the current list, whatever changed here meanwhile.
    Merge { base: Project, theirs: Project },
    Notice { text: Option<String> },
    Asides { list: Vec<(String, Aside)> },
    Team { progress: TeamProgress, assignments: Vec<Assignment>, me: String },
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
            ProjectAction::Reading { files } => s.reading = files,
            ProjectAction::Importing { project, problems, notices } => {
                let total = project.entries.len().saturating_sub(s.project.entries.len());
                s.project = project;
                s.problems = problems;
                s.notices = notices;
                s.reading = 0;
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
            ProjectAction::Problem { message } => {
                s.problems = vec![message];
                s.reading = 0;
            }
            ProjectAction::AddProblem { message } => s.problems.push(message),
            ProjectAction::Merge { base, theirs } => s.project = s.project.merge(&base, &theirs),
            ProjectAction::Notice { text } => s.notice = text,
            ProjectAction::Asides { list } => s.asides = list,
            ProjectAction::Team { progress, assignments, me } => {
                s.team = progress;
                s.assignments = assignments;
                s.me = Some(me);
            }
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
    /// This tab's writes, in order (also what the unload warning waits for).
    writer: Writer,
    /// The state handle of the latest render: work that finishes later (a file read in the
    /// worker) must add to the list as it is then, not as it was when it started.
    latest: Rc<RefCell<Option<UseReducerHandle<ProjectState>>>>,
    /// The list as this tab last stored or read it (the base of a merge).
    base: Rc<RefCell<Option<Project>>>,
    /// The open document's history as last stored or read, so an unchanged state is not
    /// written again and another tab's version that equals it is not announced.
    last_saved: LastSaved,
    /// A signed-in user name that arrived before the database was open: applied on open.
    pending_annotator: Rc<RefCell<Option<String>>>,
    team_reader: TeamReader,
}

type LastSaved = Rc<RefCell<Option<History>>>;

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
        let last_saved = self.last_saved.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match load(&store, &id, &last_saved).await {
                Ok((history, damage)) => {
                    dispatch.dispatch(ProjectAction::Replace { project });
                    restore.emit(history);
                    if let Some(e) = damage {
                        report(Err(e));
                    }
                }
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
            self.writer.push(Box::pin(async move { store.delete_document(&purged).await.err() }), self.state.dispatcher());
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
        let (restore, report, last_saved) = (self.restore.clone(), self.report(), self.last_saved.clone());
        let id = id.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            match load(&store, &id, &last_saved).await {
                Ok((h, damage)) => {
                    restore.emit(h);
                    if let Some(e) = damage {
                        report(Err(e));
                    }
                }
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
    ///
    /// Nothing already in the project is ever replaced: a document whose id is taken (the
    /// same article opened again, an older export of an edited one) is added under a new
    /// id (`x-2`) and a notice says so; both are kept.
    pub fn import(&self, picked: Picked) {
        let Picked { documents, annotated, ledger, problems } = picked;
        let mut project = self.latest_project();
        let mut notices = Vec::new();
        let mut renamed = |old: &str, new: &str| {
            if old != new {
                notices.push(format!("“{old}” is already in the project: this copy was added as “{new}” (both are kept)."));
            }
        };
        let wanted: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
        let docs = project.add(documents);
        for (old, d) in wanted.iter().zip(&docs) {
            renamed(old, &d.id);
        }
        let mut sets = Vec::with_capacity(annotated.len());
        let mut ids = std::collections::HashMap::new();
        for (mut set, status) in annotated {
            let doc = project.add(vec![set.document.clone()]).remove(0);
            renamed(&set.document.id, &doc.id);
            if doc.id != set.document.id {
                ids.insert(set.document.id.clone(), doc.id.clone());
            }
            project.set_status(&doc.id, status);
            set.document.id = doc.id;
            sets.push(set);
        }
        // A bundle's ledger corrections follow its documents (under the ids they were added
        // as) and are stored with the list like any ledger edit.
        match project.ledger.absorb(&ledger, &ids) {
            0 => {}
            1 => notices.push("1 source-ledger correction was imported with the project.".into()),
            n => notices.push(format!("{n} source-ledger corrections were imported with the project.")),
        }
        let first = docs.first().map(|d| d.id.clone()).or_else(|| sets.first().map(|s| s.document.id.clone()));
        project.current = first.clone().or(project.current);
        self.state.dispatch(ProjectAction::Importing { project, problems, notices });
        let Some(first) = first else { return };
        let finish = {
            let (store, dispatch, restore) = (self.store.borrow().clone(), self.state.dispatcher(), self.restore.clone());
            let writer = self.writer.clone();
            move |set: AnnotationSet| {
                let is_first = set.document.id == first;
                let (dispatch, restore) = (dispatch.clone(), restore.clone());
                let id = set.document.id.clone();
                let pending = set.pending();
                let history = History::new(set);
                let Some(store) = store.clone() else {
                    dispatch.dispatch(ProjectAction::Extracted { id, pending });
                    if is_first {
                        restore.emit(history);
                    }
                    return;
                };
                let status = dispatch.clone();
                let job = async move {
                    let r = store.save_document(&history).await;
                    dispatch.dispatch(ProjectAction::Extracted { id, pending });
                    if is_first {
                        restore.emit(history);
                    }
                    r.err()
                };
                writer.push(Box::pin(job), status);
            }
        };
        let finish = Rc::new(finish);
        for set in sets {
            finish(set);
        }
        for doc in docs {
            let finish = finish.clone();
            let dispatch = self.state.dispatcher();
            let kept = doc.clone();
            self.extractor.run(doc, move |result| match result {
                Ok(set) => finish(set),
                Err(reason) => {
                    // The worker failed on this one (and was replaced): the article itself
                    // is kept, without suggestions, and the batch goes on.
                    dispatch.dispatch(ProjectAction::AddProblem {
                        message: format!("{}: pre-annotation failed ({reason}); the article is kept without suggestions", kept.id),
                    });
                    finish(AnnotationSet::new(kept));
                }
            });
        }
    }

    /// Reads picked files in the worker (HTML reduction, bundle inflation and JSON parsing
    /// never run on the page), in the order given; `done` gets everything they hold, with
    /// a problem line for each file that could not be read.
    pub fn read_files(&self, files: Vec<(String, Vec<u8>)>, mode: ReadMode, done: impl FnOnce(Picked) + 'static) {
        let count = files.len();
        self.state.dispatch(ProjectAction::Reading { files: count });
        let results: Rc<RefCell<Vec<Option<Picked>>>> = Rc::new(RefCell::new(vec![None; count]));
        let done: Rc<RefCell<Option<Box<dyn FnOnce(Picked)>>>> = Rc::new(RefCell::new(Some(Box::new(done))));
        if count == 0 {
            if let Some(done) = done.borrow_mut().take() {
                done(Picked::default());
            }
            return;
        }
        for (i, (name, bytes)) in files.into_iter().enumerate() {
            let (results, done) = (results.clone(), done.clone());
            let label = name.clone();
            self.extractor.read(name, bytes, mode, move |r| {
                let picked = r.unwrap_or_else(|reason| Picked {
                    problems: vec![format!("{label}: could not be read ({reason})")],
                    ..Picked::default()
                });
                let complete = {
                    let mut results = results.borrow_mut();
                    results[i] = Some(picked);
                    results.iter().all(Option::is_some)
                };
                if complete {
                    let mut all = Picked::default();
                    for p in results.borrow_mut().drain(..).flatten() {
                        all.merge(p);
                    }
                    if let Some(done) = done.borrow_mut().take() {
                        done(all);
                    }
                }
            });
        }
    }

    /// Changes the source ledger's merges and splits (`change` says whether it did); the
    /// project, and with it the edits, is then saved like any change of the list.
    pub fn edit_ledger(&self, change: impl FnOnce(&mut crate::core::ledger::edits::LedgerEdits) -> bool) {
        let mut project = self.state.project.clone();
        if change(&mut project.ledger) {
            self.state.dispatch(ProjectAction::Replace { project });
        }
    }

    /// Drops a record kept aside (after the user exported it, or does not want it).
    pub fn discard_aside(&self, id: &str) {
        let Some(store) = self.store.borrow().clone() else { return };
        let (id, dispatch, report) = (id.to_string(), self.state.dispatcher(), self.report());
        wasm_bindgen_futures::spawn_local(async move {
            match store.discard_aside(&id).await {
                Ok(()) => refresh_asides(&store, &dispatch).await,
                Err(e) => report(Err(e)),
            }
        });
    }

    /// Clears the notice line.
    pub fn dismiss_notice(&self) {
        self.state.dispatch(ProjectAction::Notice { text: None });
    }

    /// The open database, if storage works.
    pub fn store(&self) -> Option<Store> {
        self.store.borrow().clone()
    }

    /// Shows a problem beside the list.
    pub fn fail(&self, message: String) {
        self.state.dispatch(ProjectAction::Problem { message });
    }

    /// The list as the latest render saw it.
    fn latest_project(&self) -> Project {
        match self.latest.borrow().as_ref() {
            Some(state) => state.project.clone(),
            None => self.state.project.clone(),
        }
    }

    /// Ends the "reading files" indicator when nothing is imported after all.
    pub fn stop_reading(&self) {
        self.state.dispatch(ProjectAction::Reading { files: 0 });
    }

    /// Opens a new article: pre-annotated in the worker (with the progress bar), added to
    /// the project under a free id, stored, then shown.
    pub fn extract_and_open(&self, doc: crate::core::Document) {
        self.import(Picked { documents: vec![doc], ..Picked::default() });
    }

    /// The team user `name` signed in: from now on this browser reads and writes their
    /// records ([`Store::set_annotator`]; the first time, the `local` work becomes theirs),
    /// and the list and the open document are theirs. Queued behind this tab's pending
    /// writes, so an edit made before the sign-in is stored (and moved) first.
    pub fn set_annotator(&self, name: String) {
        let Some(store) = self.store.borrow().clone() else {
            *self.pending_annotator.borrow_mut() = Some(name);
            return;
        };
        if store.annotator().as_str() == name {
            return;
        }
        let (base, last_saved, restore, dispatch) = (self.base.clone(), self.last_saved.clone(), self.restore.clone(), self.state.dispatcher());
        let team_reader = self.team_reader.clone();
        let job = async move {
            if let Err(e) = store.set_annotator(&name).await {
                return Some(e);
            }
            let failed = follow_annotator(&store, &base, &last_saved, &restore, &dispatch).await;
            team_reader.refresh(store, dispatch);
            failed
        };
        self.writer.push(Box::pin(job), self.state.dispatcher());
    }

    /// Assigns listed document `id` to the user names typed (as its owner, see
    /// `core::project::assign`); a refusal shows beside the list.
    pub fn assign(&self, id: &str, typed: &str) {
        let Some(store) = self.store() else { return };
        let to = match crate::core::project::assign::parse_names(typed) {
            Ok(to) => to,
            Err(e) => return self.fail(e.to_string()),
        };
        let (id, reader, dispatch) = (id.to_string(), self.team_reader.clone(), self.state.dispatcher());
        let job = async move {
            let done = store.assign(&id, to).await;
            if let Err(e) = &done {
                dispatch.dispatch(ProjectAction::Problem { message: e.to_string() });
            }
            reader.refresh(store, dispatch);
            None
        };
        self.writer.push(Box::pin(job), self.state.dispatcher());
    }

    /// Starts work on a document assigned to this annotator: opens it if listed, else adds
    /// its article (as sync brought it) to the list like an import (pre-annotated, opened).
    pub fn take_assigned(&self, assignment: &Assignment) {
        let id = assignment.record.doc.clone();
        if self.state.project.get(&id).is_some() {
            return self.open(&id);
        }
        let Some(store) = self.store() else { return };
        let (this, key) = (self.clone(), assignment.key.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match store.assigned_document(&key).await {
                Ok(Some(doc)) => this.import(Picked { documents: vec![doc], ..Picked::default() }),
                Ok(None) => this.fail(format!("the article “{id}” has not arrived from the team database yet")),
                Err(e) => this.fail(e.to_string()),
            }
        });
    }

    /// Whether the extraction worker has its model loaded (false until it first answers).
    pub fn model_loaded(&self) -> bool {
        self.extractor.loaded()
    }
}

type Write = std::pin::Pin<Box<dyn std::future::Future<Output = Option<StorageError>>>>;

#[derive(Default)]
struct WriterState {
    /// A write is running.
    busy: bool,
    /// Writes waiting, in order.
    queue: std::collections::VecDeque<Write>,
}

/// This tab's writes, one at a time and in order: each edit's log record follows the one
/// before, each list write is based on the revisions the previous one returned (so a tab
/// never conflicts with itself), and the status says "Saving…" until the last one is
/// stored. The one record of what is pending: leaving the page asks first while it is.
#[derive(Clone, Default)]
struct Writer(Rc<RefCell<WriterState>>);

impl PartialEq for Writer {
    fn eq(&self, other: &Writer) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Writer {
    /// Whether a write is running or waiting.
    fn pending(&self) -> bool {
        let w = self.0.borrow();
        w.busy || !w.queue.is_empty()
    }

    fn push(&self, write: Write, dispatch: UseReducerDispatcher<ProjectState>) {
        {
            let mut w = self.0.borrow_mut();
            w.queue.push_back(write);
            if w.busy {
                return;
            }
            w.busy = true;
        }
        dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Saving });
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // The write starts in a later task, not in this one's microtasks: the key press
            // that caused it is painted first (the beforeunload guard covers the gap).
            later(0).await;
            let mut error = None;
            loop {
                let next = {
                    let mut w = this.0.borrow_mut();
                    let next = w.queue.pop_front();
                    w.busy = next.is_some();
                    next
                };
                let Some(write) = next else { break };
                if let Some(e) = write.await {
                    error = Some(e);
                }
            }
            let status = error.map(SaveStatus::Error).unwrap_or(SaveStatus::Saved);
            dispatch.dispatch(ProjectAction::Status { status });
        });
    }
}

/// Loads a document for showing it, remembering it as stored. Damage in its log comes
/// back beside the history up to it (the rest is kept aside).
async fn load(store: &Store, id: &str, last_saved: &LastSaved) -> Result<(History, Option<StorageError>), StorageError> {
    match store.load_document_checked(id).await? {
        (Some(h), damage) => {
            *last_saved.borrow_mut() = Some(h.clone());
            Ok((h, damage))
        }
        (None, _) => Err(StorageError::Damaged(format!("{id} is listed but not stored"))),
    }
}

async fn refresh_asides(store: &Store, dispatch: &UseReducerDispatcher<ProjectState>) {
    if let Ok(list) = store.asides().await {
        dispatch.dispatch(ProjectAction::Asides { list });
    }
}

/// localStorage key naming the document being restored at start, cleared once it has
/// rendered: still set on the next start means the last restore crashed the page.
const OPENING: &str = "newsmark.opening";

/// Reads the other annotators' progress again; calls that arrive while a read runs are
/// folded into one more read after it (a sync of 200 documents is one burst of changes).
#[derive(Clone, Default)]
struct TeamReader(Rc<std::cell::Cell<(bool, bool)>>);

impl PartialEq for TeamReader {
    fn eq(&self, other: &TeamReader) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl TeamReader {
    fn refresh(&self, store: Store, dispatch: UseReducerDispatcher<ProjectState>) {
        let (busy, _) = self.0.get();
        if busy {
            self.0.set((true, true));
            return;
        }
        self.0.set((true, false));
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                // Let the rest of the burst arrive first.
                later(0).await;
                if let (Ok(progress), Ok(assignments)) = (store.team_progress().await, store.assignments().await) {
                    dispatch.dispatch(ProjectAction::Team { progress, assignments, me: store.annotator().to_string() });
                }
                let (_, again) = this.0.get();
                if !again {
                    break;
                }
                this.0.set((true, false));
            }
            this.0.set((false, false));
        });
    }
}

/// The annotator changed: their list replaces the shown one (it is not merged: it is
/// another person's), and their version of the open document is shown.
async fn follow_annotator(
    store: &Store,
    base: &Rc<RefCell<Option<Project>>>,
    last_saved: &LastSaved,
    restore: &Callback<History>,
    dispatch: &UseReducerDispatcher<ProjectState>,
) -> Option<StorageError> {
    let (project, damage) = match store.load_project_checked().await {
        Ok((p, damage)) => (p.unwrap_or_default(), damage),
        Err(e) => return Some(e),
    };
    *base.borrow_mut() = Some(project.clone());
    // The open document (a per-browser choice) stays open only if it is in their list:
    // otherwise the previous annotator's version would stay on screen and their first
    // edit would store it as the new annotator's. Then their first document opens, or,
    // with nothing listed yet, the sample, as on a first start.
    let current = project.current.clone().filter(|id| project.get(id).is_some()).or_else(|| project.entries.first().map(|e| e.id.clone()));
    dispatch.dispatch(ProjectAction::Replace { project });
    let Some(id) = current else {
        restore.emit(History::new(crate::ui::sample::sample_set()));
        return damage;
    };
    match load(store, &id, last_saved).await {
        Ok((h, more)) => {
            restore.emit(h);
            if more.is_some() {
                return more;
            }
        }
        Err(StorageError::Damaged(m)) if m.ends_with("is listed but not stored") => {}
        Err(e) => return Some(e),
    }
    damage
}

/// Another tab stored (part of) the list: merge it into ours. Reads started later win:
/// one that finishes after a later one is dropped, so an older list is never merged over
/// a newer one (which would take the newer one's additions for deletions).
fn follow_project(
    store: Store,
    base: Rc<RefCell<Option<Project>>>,
    reads: Rc<std::cell::Cell<u64>>,
    dispatch: UseReducerDispatcher<ProjectState>,
) {
    let this = reads.get() + 1;
    reads.set(this);
    wasm_bindgen_futures::spawn_local(async move {
        let read = store.load_project_checked().await;
        if reads.get() != this {
            return;
        }
        match read {
            Ok((Some(theirs), damage)) => {
                let old = base.borrow_mut().replace(theirs.clone()).unwrap_or_default();
                dispatch.dispatch(ProjectAction::Merge { base: old, theirs });
                if let Some(e) = damage {
                    dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                    refresh_asides(&store, &dispatch).await;
                }
            }
            Ok((None, _)) => {}
            Err(e) => dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) }),
        }
    });
}

/// Another tab stored the open document: show that version (ours, if it differs and was
/// not stored, has been kept aside by the autosave before this runs).
fn follow_document(
    store: Store,
    id: String,
    last_saved: LastSaved,
    restore: Callback<History>,
    dispatch: UseReducerDispatcher<ProjectState>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let before = last_saved.borrow().clone();
        match load(&store, &id, &last_saved).await {
            Ok((history, damage)) => {
                if before.as_ref() == Some(&history) {
                    return;
                }
                restore.emit(history);
                dispatch.dispatch(ProjectAction::Notice {
                    text: Some(format!("“{id}” was changed in another tab: showing that version.")),
                });
                if let Some(e) = damage {
                    dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                    refresh_asides(&store, &dispatch).await;
                }
            }
            Err(StorageError::Damaged(m)) if m.ends_with("is listed but not stored") => {}
            Err(e) => {
                dispatch.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                refresh_asides(&store, &dispatch).await;
            }
        }
    });
}

/// Sets up storage for the app. `source` is the app's reducer handle and `history` reads the
/// open document's history from it (so nothing is cloned per render); `version` changes
/// whenever that history may have changed (e.g. the reducer's `Rc` address), and `restore`
/// replaces it (the reducer's Restore action). With `reopen` false the saved project is
/// read but the open document is kept (the app was given one explicitly, e.g. in tests).
/// With `opening` the app shows "Opening…" instead of a document (a returning editor, see
/// `ui::startup`): storage opens at once and restores one, or the sample.
#[hook]
pub fn use_persistence<S>(
    source: S,
    history: fn(&S) -> &History,
    version: usize,
    restore: Callback<History>,
    reopen: bool,
    opening: bool,
) -> ProjectHandle
where
    S: Clone + 'static,
{
    let state = use_reducer(ProjectState::default);
    let store: Rc<RefCell<Option<Store>>> = use_mut_ref(|| None);
    let extractor = use_memo((), |_| Extractor::new());
    let last_saved: LastSaved = use_mut_ref(|| None);
    let base: Rc<RefCell<Option<Project>>> = use_mut_ref(|| None);
    // The open document's id, for the change feed (which outlives every render).
    let open_id: Rc<RefCell<Option<String>>> = use_mut_ref(|| None);
    let watch: Rc<RefCell<Option<Watch>>> = use_mut_ref(|| None);
    // How many list reads the change feed started (see `follow_project`).
    let reads: Rc<std::cell::Cell<u64>> = use_memo((), |_| std::cell::Cell::new(0));
    let writer: Writer = use_mut_ref(Writer::default).borrow().clone();
    let handle = ProjectHandle {
        state: state.clone(),
        store: store.clone(),
        extractor,
        restore: restore.clone(),
        writer: writer.clone(),
        latest: use_mut_ref(|| None),
        base: base.clone(),
        last_saved: last_saved.clone(),
        pending_annotator: use_mut_ref(|| None),
        team_reader: use_mut_ref(TeamReader::default).borrow().clone(),
    };
    *handle.latest.borrow_mut() = Some(state.clone());

    // Leaving while a write is pending would lose it: the browser asks first.
    {
        let writer = writer.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new_with_options(
                &gloo::utils::window(),
                "beforeunload",
                gloo::events::EventListenerOptions::enable_prevent_default(),
                move |e| {
                    if writer.pending() {
                        e.prevent_default();
                        if let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::BeforeUnloadEvent>(e) {
                            e.set_return_value("Changes are still being saved.");
                        }
                    }
                },
            );
            move || drop(listener)
        });
    }

    // Start: open the database, read the project, restore the open document, follow
    // other tabs' changes. While the first screen is the sample, storage waits until it is
    // painted; when it is "Opening…" (`opening`: a returning editor), storage is all the
    // editor waits for, so it starts at once, and whatever cannot be restored gives way to
    // the sample (see `ui::startup`).
    {
        let (state, store, restore) = (state.clone(), store.clone(), restore.clone());
        let (base, last_saved, open_id, watch) = (base.clone(), last_saved.clone(), open_id.clone(), watch.clone());
        let reads = reads.clone();
        let pending_annotator = handle.pending_annotator.clone();
        let team_reader = handle.team_reader.clone();
        let initial = history(&source).current().document.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if !opening {
                    startup::first_paint().await;
                }
                let opened = Store::open().await;
                startup::mark("storage");
                // Nothing restored after "Opening…": the sample, as on a first start.
                let fall_back = |restore: &Callback<History>| {
                    startup::set_reopen_hint(None);
                    restore.emit(History::new(sample_set()));
                };
                let s = match opened {
                    Ok(s) => s,
                    Err(e) => {
                        state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                        let initial = if opening {
                            fall_back(&restore);
                            sample_set().document
                        } else {
                            initial
                        };
                        // Work continues unsaved: the list still holds the open document.
                        let mut p = Project::default();
                        p.add(vec![initial]);
                        state.dispatch(ProjectAction::Ready { project: p });
                        return;
                    }
                };
                *store.borrow_mut() = Some(s.clone());
                // Signed in (a resumed session) before the database opened.
                let signed_in = pending_annotator.borrow_mut().take();
                if let Some(name) = signed_in {
                    if let Err(e) = s.set_annotator(&name).await {
                        state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                    }
                }
                let project = match s.load_project_checked().await {
                    Ok((p, damage)) => {
                        if let Some(e) = damage {
                            state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                        }
                        p
                    }
                    Err(e) => {
                        state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                        None
                    }
                };
                let project = project.unwrap_or_default();
                *base.borrow_mut() = Some(project.clone());
                let crashed = local_storage().and_then(|l| l.get_item(OPENING).ok().flatten());
                let mut restored = false;
                if let Some(id) = project.current.clone().filter(|_| reopen) {
                    if crashed.as_deref() == Some(id.as_str()) {
                        state.dispatch(ProjectAction::Notice {
                            text: Some(format!(
                                "“{id}” was not reopened: it stopped the page last time. Open it from the list, or export the project."
                            )),
                        });
                        if let Some(l) = local_storage() {
                            let _ = l.remove_item(OPENING);
                        }
                    } else {
                        match load(&s, &id, &last_saved).await {
                            Ok((h, damage)) => {
                                if let Some(l) = local_storage() {
                                    let _ = l.set_item(OPENING, &id);
                                }
                                restore.emit(h);
                                restored = true;
                                if let Some(e) = damage {
                                    state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) });
                                }
                            }
                            Err(StorageError::Damaged(m)) if m.ends_with("is listed but not stored") => {}
                            Err(e) => state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) }),
                        }
                    }
                }
                if opening && !restored {
                    fall_back(&restore);
                }
                state.dispatch(ProjectAction::Ready { project });
                startup::mark("restored");
                refresh_asides(&s, &state.dispatcher()).await;
                team_reader.refresh(s.clone(), state.dispatcher());
                let (feed_store, dispatch) = (s.clone(), state.dispatcher());
                let feed = s.watch(move |change, rev| {
                    // Anyone's list entry or an assignment: the progress and queue shown may
                    // have changed (theirs arrived, or ours now lists a document they have).
                    if let Change::Team { record } | Change::Project { record } = &change {
                        use crate::core::project::records::{ASSIGN_PREFIX, META_PREFIX};
                        if record.starts_with(META_PREFIX) || record.starts_with(ASSIGN_PREFIX) {
                            team_reader.refresh(feed_store.clone(), dispatch.clone());
                        }
                    }
                    match change {
                        Change::Project { record } if !feed_store.knows(&record, &rev) => {
                            follow_project(feed_store.clone(), base.clone(), reads.clone(), dispatch.clone())
                        }
                        Change::Document { id, record }
                            if open_id.borrow().as_deref() == Some(id.as_str()) && !feed_store.knows(&record, &rev) =>
                        {
                            follow_document(feed_store.clone(), id, last_saved.clone(), restore.clone(), dispatch.clone())
                        }
                        Change::Aside => {
                            let (st, d) = (feed_store.clone(), dispatch.clone());
                            wasm_bindgen_futures::spawn_local(async move { refresh_asides(&st, &d).await });
                        }
                        _ => {}
                    }
                });
                match feed {
                    Ok(w) => *watch.borrow_mut() = Some(w),
                    Err(e) => state.dispatch(ProjectAction::Status { status: SaveStatus::Error(e) }),
                }
            });
        });
    }

    // Every change of the open document: refresh its list entry and store its history.
    {
        let (state, store, last_saved, open_id) = (state.clone(), store.clone(), last_saved.clone(), open_id.clone());
        let ready = state.ready;
        let restore = restore.clone();
        let writer = writer.clone();
        use_effect_with((version, ready), move |_| {
            if !ready {
                return;
            }
            let history = history(&source);
            let set = history.current();
            let id = set.document.id.clone();
            // The next start shows "Opening…" for this document, or the sample at once if it
            // is the untouched sample (only for the app proper: tests mount their own sets).
            if reopen {
                let untouched_sample = id == SAMPLE_ID && !history.can_undo();
                startup::set_reopen_hint((!untouched_sample).then_some(id.as_str()));
            }
            let closed = open_id.borrow_mut().replace(id.clone()).filter(|old| *old != id);
            // It rendered: a restore that stops the page is the only thing the marker catches.
            if let Some(l) = local_storage() {
                if l.get_item(OPENING).ok().flatten().as_deref() == Some(id.as_str()) {
                    let _ = l.remove_item(OPENING);
                }
            }
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
            let Some(store) = store.borrow().clone() else { return };
            if let Some(closed) = closed {
                // The document left the screen: its log is folded into its snapshot, so the
                // next load reads one record.
                let s = store.clone();
                writer.push(Box::pin(async move { s.compact(&closed).await.err() }), state.dispatcher());
            }
            let unchanged = last_saved.borrow().as_ref().is_some_and(|h| h.is_same(history));
            if unchanged {
                return;
            }
            let new = history.clone();
            *last_saved.borrow_mut() = Some(new.clone());
            let dispatch = state.dispatcher();
            let job = async move {
                // One log record: the change from what this tab stored last.
                match store.save_change(&new).await {
                    Ok(()) => None,
                    Err(StorageError::Conflict(what)) => {
                        // Another tab stored this document since we read it: ours is kept
                        // aside (exportable), theirs is shown. Nothing is overwritten.
                        let reason = format!("your version of {what}, not saved: another tab changed it at the same time");
                        let record = store.snapshot_record(&new.current().document);
                        let kept = store.keep_aside(&record, reason, StoredHistory::to_json(&new)).await;
                        refresh_asides(&store, &dispatch).await;
                        follow_document(store, id, last_saved, restore, dispatch);
                        Some(kept.err().unwrap_or(StorageError::Conflict(what)))
                    }
                    Err(e) => Some(e),
                }
            };
            writer.push(Box::pin(job), state.dispatcher());
        });
    }

    // Every change of the list: store it over the revision this tab last saw (merging with
    // another tab's if it changed meanwhile).
    {
        let (store, dispatch, base, writer) = (store.clone(), state.dispatcher(), base.clone(), writer.clone());
        let (project, ready) = (state.project.clone(), state.ready);
        let latest = handle.latest.clone();
        use_effect_with((project, ready), move |(project, ready)| {
            let store = store.borrow().clone();
            let unchanged = base.borrow().as_ref().is_some_and(|b| b == project);
            if let (true, Some(store), false) = (*ready, store, unchanged) {
                let (project, status) = (project.clone(), dispatch.clone());
                let job = async move {
                    // The base is read when the write runs: the previous write has set it.
                    let known = base.borrow().clone().unwrap_or_default();
                    // So is the list: the latest render's, with whatever was merged since
                    // this write was queued.
                    let project = latest.borrow().as_ref().map_or(project, |s| s.project.clone());
                    if known == project {
                        return None;
                    }
                    match store.save_project(&project, &known).await {
                        Ok(stored) => {
                            *base.borrow_mut() = Some(stored.clone());
                            if stored != project {
                                dispatch.dispatch(ProjectAction::Merge { base: project, theirs: stored });
                            }
                            None
                        }
                        Err(e) => Some(e),
                    }
                };
                writer.push(Box::pin(job), status);
            }
        });
    }

    handle
}

//! Team sync in the browser: CouchDB `_session` sign-in, live two-way replication of the
//! local `newsmark` database with one remote database (PouchDB, through `static/pouch.js`),
//! and the sync state ([`crate::core::project::team::SyncState`]) as a reducer the status
//! line and the Team dialog read.
//!
//! The password only passes through [`TeamHandle::sign_in`] to `_session`; the server's
//! HttpOnly session cookie does the rest. Stored (localStorage, this browser only): the
//! database URL and user name (`newsmark.team`) and the server's origin
//! (`newsmark.syncServer`, which index.html adds to the CSP's `connect-src` at start).
//! A server the page was not started with needs one reload: the settings are saved, the
//! page reloads and reopens the Team dialog, and the editor types the password again.

use crate::core::project::team::{Direction, Stage, SyncError, SyncEvent, SyncState, TeamUrl};
use crate::ui::js::{later, local_storage};
use crate::ui::pouch::Db;
use gloo::events::EventListener;
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

/// The local database the app stores into (the storage/sync contract's one database).
const LOCAL_DB: &str = "newsmark";
const SETTINGS_KEY: &str = "newsmark.team";
const SERVER_KEY: &str = "newsmark.syncServer";
/// sessionStorage: the page reloaded to allow a new server; reopen the Team dialog.
const RELOADED_KEY: &str = "newsmark.teamReloaded";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = connectAllowed, catch)]
    fn js_connect_allowed(origin: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = login, catch)]
    fn js_login(server: &str, name: &str, password: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = sessionUser, catch)]
    fn js_session_user(server: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = logout, catch)]
    fn js_logout(server: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = sync, catch)]
    fn js_sync(db: &JsValue, url: &str, on_event: &Function) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = newsmarkPouch, js_name = losers, catch)]
    fn js_losers(db: &JsValue, id: &str) -> Result<Promise, JsValue>;
}

/// What this browser remembers about its team (never the password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettings {
    pub database: String,
    pub user: String,
    /// Signed in when the page closed: resume at start if the session is still valid.
    #[serde(default)]
    pub signed_in: bool,
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The saved team settings, if any (unreadable ones count as none).
pub fn load_settings() -> Option<TeamSettings> {
    let raw = local_storage()?.get_item(SETTINGS_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

fn save_settings(s: &TeamSettings, origin: &str) {
    if let Some(ls) = local_storage() {
        let _ = ls.set_item(SETTINGS_KEY, &serde_json::to_string(s).unwrap_or_default());
        let _ = ls.set_item(SERVER_KEY, origin);
    }
}

/// Whether the page just reloaded to allow a new server (consumed: true once).
pub fn take_reloaded() -> bool {
    let Some(ss) = session_storage() else { return false };
    let was = ss.get_item(RELOADED_KEY).ok().flatten().is_some();
    let _ = ss.remove_item(RELOADED_KEY);
    was
}

/// A failure from the bridge as {status, name, message}.
fn failure(stage: Stage, e: &JsValue) -> SyncError {
    let field = |k: &str| Reflect::get(e, &JsValue::from_str(k)).ok();
    let text = |k: &str| field(k).and_then(|v| v.as_string()).unwrap_or_default();
    let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    let message = Some(text("message")).filter(|m| !m.is_empty()).unwrap_or_else(|| crate::ui::js::js_message(e));
    SyncError::classify(stage, status, &text("name"), &message)
}

async fn settle(stage: Stage, p: Result<Promise, JsValue>) -> Result<JsValue, SyncError> {
    let p = p.map_err(|e| failure(stage, &e))?;
    JsFuture::from(p).await.map_err(|e| failure(stage, &e))
}

fn connect_allowed(origin: &str) -> bool {
    js_connect_allowed(origin).unwrap_or(false)
}

/// A running replication: stops when dropped.
struct Running {
    stop: Function,
    _on_event: Closure<dyn FnMut(String, String, JsValue)>,
    _online: EventListener,
    _offline: EventListener,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.call0(&JsValue::NULL);
    }
}

impl Reducible for SyncState {
    type Action = SyncEvent;

    fn reduce(self: Rc<Self>, event: SyncEvent) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).next(event))
    }
}

/// The team sync: its state and the calls that change it (cheap to clone).
#[derive(Clone)]
pub struct TeamHandle {
    pub state: UseReducerHandle<SyncState>,
    /// The saved settings (pre-fill the dialog).
    pub settings: UseStateHandle<Option<TeamSettings>>,
    running: Rc<RefCell<Option<Running>>>,
    /// Bumped by every sign-in and sign-out, so a late answer to an earlier one is ignored.
    generation: Rc<RefCell<u64>>,
    on_signed_in: Callback<String>,
}

impl PartialEq for TeamHandle {
    fn eq(&self, other: &TeamHandle) -> bool {
        self.state == other.state && self.settings == other.settings
    }
}

fn event_of(kind: &str, direction: &str, detail: &JsValue) -> Option<SyncEvent> {
    let dir = if direction == "push" { Direction::Push } else { Direction::Pull };
    let num = |k: &str| Reflect::get(detail, &JsValue::from_str(k)).ok().and_then(|v| v.as_f64());
    let failed = || (!detail.is_null() && !detail.is_undefined()).then(|| failure(Stage::Database, detail));
    Some(match kind {
        "active" => SyncEvent::Active(dir),
        "change" => SyncEvent::Changed { direction: dir, docs: num("docs").unwrap_or(0.0) as u32 },
        "paused" => SyncEvent::Paused { direction: dir, error: failed() },
        "denied" => {
            let m = Reflect::get(detail, &JsValue::from_str("message")).ok().and_then(|v| v.as_string()).unwrap_or_default();
            SyncEvent::Denied(SyncError::Refused(m))
        }
        "error" => SyncEvent::Failed(failed().unwrap_or_else(|| SyncError::Other("replication stopped".into()))),
        "conflicts" => {
            let ids = Reflect::get(detail, &JsValue::from_str("ids")).ok().unwrap_or(JsValue::UNDEFINED);
            SyncEvent::Conflicts(js_sys::Array::from(&ids).iter().filter_map(|v| v.as_string()).collect())
        }
        _ => return None,
    })
}

impl TeamHandle {
    /// Signs `user` in at the database `url` and starts syncing; every failure ends in the
    /// state's error with nothing sent and nothing local changed.
    pub fn sign_in(&self, url: &str, user: &str, password: &str) {
        let team = match TeamUrl::parse(url) {
            Ok(t) => t,
            Err(e) => return self.state.dispatch(SyncEvent::Failed(e)),
        };
        let user = user.trim().to_string();
        if user.is_empty() || password.is_empty() {
            return self.state.dispatch(SyncEvent::Failed(SyncError::BadUrl("type your user name and password".into())));
        }
        let settings = TeamSettings { database: team.database.clone(), user: user.clone(), signed_in: false };
        if !connect_allowed(&team.origin) {
            // The CSP of this page forbids the server: remember it and reload once.
            save_settings(&settings, &team.origin);
            if let Some(ss) = session_storage() {
                let _ = ss.set_item(RELOADED_KEY, "1");
            }
            // The Team dialog reloads once nothing is being saved (see `reload_when_idle`).
            self.state.dispatch(SyncEvent::Failed(SyncError::NeedsReload(team.origin.clone())));
            return;
        }
        self.stop();
        self.state.dispatch(SyncEvent::SigningIn);
        let this = self.clone();
        let generation = self.bump();
        let password = password.to_string();
        spawn_local(async move {
            let signed = settle(Stage::Login, js_login(&team.server, &user, &password)).await;
            drop(password);
            let name = match signed {
                Ok(v) => v.as_string().unwrap_or(user.clone()),
                Err(e) => return this.fail(generation, e),
            };
            match this.start(generation, &team, &name).await {
                Ok(()) => {
                    let settings = TeamSettings { user: name.clone(), signed_in: true, ..settings };
                    save_settings(&settings, &team.origin);
                    this.settings.set(Some(settings));
                    this.on_signed_in.emit(name);
                }
                Err(e) => {
                    // Signed in but refused by the database: leave no session behind.
                    let _ = settle(Stage::Database, js_logout(&team.server)).await;
                    this.fail(generation, e);
                }
            }
        });
    }

    /// Resumes the saved team's sync at start when the server still knows the session.
    fn resume(&self) {
        let Some(settings) = load_settings().filter(|s| s.signed_in) else { return };
        let Ok(team) = TeamUrl::parse(&settings.database) else { return };
        if !connect_allowed(&team.origin) {
            return;
        }
        let this = self.clone();
        let generation = self.bump();
        spawn_local(async move {
            match settle(Stage::Database, js_session_user(&team.server)).await {
                Ok(v) if v.as_string().as_deref() == Some(settings.user.as_str()) => {
                    if let Err(e) = this.start(generation, &team, &settings.user).await {
                        this.fail(generation, e);
                    } else {
                        this.on_signed_in.emit(settings.user.clone());
                    }
                }
                Ok(_) => this.fail(generation, SyncError::SignedOut),
                // Offline at start: retry when the browser is back online.
                Err(e) if e.is_offline() => {
                    this.state.dispatch(SyncEvent::Failed(e));
                    let again = this.clone();
                    let listener = EventListener::once(&gloo::utils::window(), "online", move |_| again.resume());
                    listener.forget();
                }
                Err(e) => this.fail(generation, e),
            }
        });
    }

    /// Opens the local database and starts the live replication.
    async fn start(&self, generation: u64, team: &TeamUrl, user: &str) -> Result<(), SyncError> {
        let db = Db::open(LOCAL_DB).await.map_err(|e| SyncError::Other(e.message))?;
        let state = self.state.clone();
        let on_event = Closure::<dyn FnMut(String, String, JsValue)>::new(move |kind: String, dir: String, detail: JsValue| {
            if let Some(event) = event_of(&kind, &dir, &detail) {
                state.dispatch(event);
            }
        });
        let stop = settle(Stage::Database, js_sync(db.js(), &team.database, on_event.as_ref().unchecked_ref())).await?;
        let stop: Function = stop.dyn_into().map_err(|_| SyncError::Other("the sync bridge returned no stop function".into()))?;
        if *self.generation.borrow() != generation {
            let _ = stop.call0(&JsValue::NULL);
            return Ok(());
        }
        let window = gloo::utils::window();
        let offline = {
            let state = self.state.clone();
            EventListener::new(&window, "offline", move |_| state.dispatch(SyncEvent::BrowserOffline))
        };
        // Back online: restart at once instead of waiting for PouchDB's back-off.
        let online = {
            let (this, team, user) = (self.clone(), team.clone(), user.to_string());
            EventListener::new(&window, "online", move |_| {
                let (this, team, user) = (this.clone(), team.clone(), user.clone());
                let generation = *this.generation.borrow();
                spawn_local(async move {
                    this.running.borrow_mut().take();
                    if let Err(e) = this.start(generation, &team, &user).await {
                        this.fail(generation, e);
                    }
                });
            })
        };
        self.state.dispatch(SyncEvent::Started { user: user.to_string() });
        *self.running.borrow_mut() = Some(Running { stop, _on_event: on_event, _online: online, _offline: offline });
        Ok(())
    }

    fn fail(&self, generation: u64, e: SyncError) {
        if *self.generation.borrow() == generation {
            self.running.borrow_mut().take();
            self.state.dispatch(SyncEvent::Failed(e));
        }
    }

    fn bump(&self) -> u64 {
        let mut g = self.generation.borrow_mut();
        *g += 1;
        *g
    }

    fn stop(&self) {
        self.running.borrow_mut().take();
    }

    /// Stops syncing, ends the server session and forgets the user; the local project
    /// stays as it is.
    pub fn sign_out(&self) {
        let generation = self.bump();
        self.stop();
        if let Some(settings) = (*self.settings).clone() {
            let settings = TeamSettings { signed_in: false, ..settings };
            if let Ok(team) = TeamUrl::parse(&settings.database) {
                save_settings(&settings, &team.origin);
            }
            self.settings.set(Some(settings));
        }
        if let Some(team) = self.settings.as_ref().and_then(|s| TeamUrl::parse(&s.database).ok()) {
            if connect_allowed(&team.origin) {
                let this = self.clone();
                spawn_local(async move {
                    // A replication request still in flight when the sync stopped can be
                    // answered after the DELETE with a refreshed session cookie, which
                    // the browser then keeps: the session is over only once the server
                    // says so. Unless the editor signed in again meanwhile.
                    for wait in [0, 200, 500, 1_000, 2_000] {
                        later(wait).await;
                        if *this.generation.borrow() != generation {
                            return;
                        }
                        let _ = settle(Stage::Database, js_logout(&team.server)).await;
                        match settle(Stage::Database, js_session_user(&team.server)).await {
                            Ok(v) if !v.is_null() => continue,
                            _ => return,
                        }
                    }
                });
            }
        }
        self.state.dispatch(SyncEvent::SignedOut);
    }

    /// Downloads the revisions of `id` that lost a conflict, as JSON.
    pub fn export_losers(&self, id: &str) {
        let (id, state) = (id.to_string(), self.state.clone());
        spawn_local(async move {
            let result = async {
                let db = Db::open(LOCAL_DB).await.map_err(|e| SyncError::Other(e.message))?;
                settle(Stage::Database, js_losers(db.js(), &id)).await
            }
            .await;
            match result {
                Ok(v) => {
                    let json = js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2))
                        .ok()
                        .and_then(|s| s.as_string())
                        .unwrap_or_default();
                    let name = format!("{}-conflict-losers.json", id.replace(|c: char| !c.is_alphanumeric() && c != '-', "_"));
                    let _ = crate::ui::download::download(&name, "application/json", &json);
                }
                Err(e) => state.dispatch(SyncEvent::Denied(e)),
            }
        });
    }
}

/// Reloads the page (to let the CSP allow a newly chosen server) once `storage_idle`:
/// a reload while a write is in flight would race the next page's first writes.
pub fn reload_when_idle(state: &SyncState, storage_idle: bool) -> bool {
    let wanted = matches!(state.phase, crate::core::project::team::Phase::Error(SyncError::NeedsReload(_)));
    if wanted && storage_idle {
        let _ = web_sys::window().map(|w| w.location().reload());
    }
    wanted
}

/// Creates the team sync (once, in `<App>`) and resumes a saved team's sync.
/// `on_signed_in` gets the user name after every successful sign-in (the seam where the
/// storage's annotator is set, see DESIGN.md).
#[hook]
pub fn use_team_sync(on_signed_in: Callback<String>) -> TeamHandle {
    let state = use_reducer(SyncState::default);
    let settings = use_state(load_settings);
    // Hook slots: every render's handle shares the running replication and generation.
    let running = use_mut_ref(|| None::<Running>);
    let generation = use_mut_ref(|| 0u64);
    let handle = TeamHandle { state, settings, running, generation, on_signed_in };
    {
        let handle = handle.clone();
        use_effect_with((), move |_| handle.resume());
    }
    handle
}

/// The team sync from the nearest `<App>`.
#[hook]
pub fn use_team() -> TeamHandle {
    use_context::<TeamHandle>().expect("use_team() is only called below <App>, which provides it")
}

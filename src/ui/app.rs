//! The root component: creates the reducer, provides it as context, lays out the page,
//! and turns key presses and dropped files into actions.
//!
//! Keys go through `extract::keys::command` (the same table the `?` dialog lists); the
//! text selection is read from the DOM at the moment of the key press and converted to
//! byte offsets with the document's `OffsetMap`.

use crate::core::edit::keys::{self, Command, KeyPress};
use crate::core::{AnnotationSet, AttributionId, OffsetMap, Status, Target};
use crate::ui::components::{
    focused_attribution, open_file, AdjudicateView, AlertRegion, Article, HelpDialog, Inspector, LedgerView, Legend, PasteDialog,
    ProjectPanel, RoleHighlight, SaveStatus, SchemaEditor, SidePanel, StoragePersistence, SyncStatus, TeamDialog, Toolbar,
    UpdateBanner,
};
use crate::ui::persist::{use_persistence, ProjectContext};
use crate::ui::sample::sample_set;
use crate::ui::startup;
use crate::ui::selection::{self, Offsets};
use crate::ui::state::{Action, Annotator, AnnotatorContext};
use crate::ui::hooks::use_window_keys;
use crate::ui::sync::{self, use_team_sync, TeamHandle};
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Element, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What to open on; the sample article when `None` (tests pass their own set).
    #[prop_or_default]
    pub initial: Option<AnnotationSet>,
}

/// Which dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialog {
    Help,
    Paste,
    Labels,
    /// Team sync; `true` when the page just reloaded to allow the chosen server.
    Team(bool),
}

/// Whether a key press belongs to a form control (typing a label name is not a command).
fn typing_in_control(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.closest("[role=dialog]").ok().flatten().is_some()
}

/// What the key handler needs from the latest render.
struct Latest {
    state: AnnotatorContext,
    offsets: Offsets,
    dialog: UseStateHandle<Option<Dialog>>,
}

fn on_key(e: &KeyboardEvent, latest: &Latest) {
    let dialog = &latest.dialog;
    if e.key() == "Escape" && dialog.is_some() {
        dialog.set(None);
        e.prevent_default();
        return;
    }
    // Editing keys belong to the article, not to the ledger or Adjudicate view that
    // replaces it (the Adjudicate view listens for its own keys).
    let replaced = gloo::utils::document().query_selector("section.ledger, section.adjudicate").ok().flatten().is_some();
    if typing_in_control(e) || dialog.is_some() || replaced {
        return;
    }
    let state = &latest.state;
    let article = gloo::utils::document().query_selector("article.article").ok().flatten();
    let in_article = |a: &Element| gloo::utils::document().active_element().is_some_and(|f| a.contains(Some(&f)));
    // Caret keys inside the article: move or extend the selection like an editor would.
    if let Some(article) = article.as_ref().filter(|a| in_article(a)) {
        let granularity = if e.ctrl_key() || e.alt_key() { "word" } else { "character" };
        let caret = match e.key().as_str() {
            "ArrowRight" => Some((true, granularity)),
            "ArrowLeft" => Some((false, granularity)),
            "ArrowDown" => Some((true, "line")),
            "ArrowUp" => Some((false, "line")),
            "End" => Some((true, "lineboundary")),
            "Home" => Some((false, "lineboundary")),
            _ => None,
        };
        if let Some((forward, g)) = caret {
            selection::move_caret(article, forward, e.shift_key(), g);
            e.prevent_default();
            return;
        }
    }
    let press = KeyPress {
        key: e.key(),
        code: e.code(),
        ctrl: e.ctrl_key() || e.meta_key(),
        shift: e.shift_key(),
        alt: e.alt_key(),
    };
    let Some(cmd) = keys::command(&press, &state.set().schema) else { return };
    // Enter and Delete on a toolbar button or link keep their usual meaning.
    let on_button = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A"));
    if on_button && matches!(cmd, Command::Accept | Command::Delete) {
        return;
    }
    let sel = || selection::selected_span(&latest.offsets.0);
    let action = match cmd {
        Command::Undo => Action::Undo,
        Command::Redo => Action::Redo,
        Command::Help => {
            dialog.set(Some(Dialog::Help));
            e.prevent_default();
            return;
        }
        Command::Escape => {
            selection::clear();
            Action::Focus { target: None }
        }
        Command::Review(nav) => Action::Step { nav },
        Command::Accept => Action::Review { status: Status::Accepted },
        Command::Reject => Action::Review { status: Status::Rejected },
        Command::Delete => Action::Delete,
        Command::Label { label, exact } => {
            let selection = sel();
            if selection.is_some() {
                selection::clear();
            }
            Action::Tag { selection, label, exact }
        }
        Command::Quote { exact } => match sel() {
            Some(selection) => {
                selection::clear();
                Action::Quote { selection, exact }
            }
            None => Action::Fail { message: "select what was said first, then press Q".into() },
        },
        Command::Role { role, exact } => match sel() {
            Some(selection) => {
                selection::clear();
                Action::SetRole { role, selection, exact }
            }
            None => Action::Fail { message: "select the words first, then press C, S or F".into() },
        },
        Command::Nudge { edge, dir, step } => Action::Nudge { edge, dir, step },
    };
    e.prevent_default();
    state.dispatch(action);
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let reopen = initial.is_none();
    // A returning editor's document comes from storage: "Opening…" until it is read, so
    // the sample does not flash first. Otherwise the embedded sample shows at once (see
    // ui::startup). Decided once, at the first render.
    let opening = *use_memo((), move |_| {
        let opening = reopen && startup::reopen_hint().is_some();
        if opening {
            startup::hold();
        }
        opening
    });
    let state = use_reducer(move || {
        Annotator::new(match initial {
            Some(set) => set,
            None if opening => startup::placeholder(),
            None => sample_set(),
        })
    });
    // Saved work comes back on start (unless a document was given) and every change is
    // stored at once (see ui::persist); the revision says when the history may have changed.
    let restore = {
        let dispatcher = state.dispatcher();
        Callback::from(move |history| dispatcher.dispatch(Action::Restore { history }))
    };
    let project = use_persistence(state.clone(), |s| &s.history, state.revision as usize, restore, reopen, opening);
    // The page reloaded to allow a newly chosen sync server: reopen the Team dialog.
    let dialog = use_state(|| sync::take_reloaded().then_some(Dialog::Team(true)));
    // Team sync: after every successful `_session` sign-in (and a resumed one) this
    // browser reads and writes the signed-in user's records (ProjectHandle::set_annotator).
    let team = {
        let project = project.clone();
        use_team_sync(Callback::from(move |user: String| project.set_annotator(user)))
    };
    let hide_boilerplate = use_state(|| false);
    let hovered = use_state(|| None::<AttrValue>);

    // One conversion table per document text (the text never changes while loaded).
    let offsets = {
        let text = state.set().document.text.clone();
        Offsets(use_memo(text, |t| OffsetMap::new(t)))
    };

    use_window_keys(Latest { state: state.clone(), offsets: offsets.clone(), dialog: dialog.clone() }, on_key);

    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let dispatcher = state.dispatcher();
        let project = project.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
            open_file(file, dispatcher.clone(), project.clone());
        })
    };

    let open = |d: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_: ()| dialog.set(Some(d)))
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: ()| dialog.set(None))
    };
    let toggle_boilerplate = {
        let hide = hide_boilerplate.clone();
        Callback::from(move |_: ()| hide.set(!*hide))
    };
    let on_hover = {
        let hovered = hovered.clone();
        use_callback((), move |id: Option<AttrValue>, _| {
            if *hovered != id {
                hovered.set(id)
            }
        })
    };
    let focused = focused_attribution(&state);

    // The source ledger replaces the workspace while open; "Show in the article" opens the
    // document and focuses the attribution once that document is the open one.
    let ledger_open = use_state(|| false);
    let jump = use_state(|| None::<(String, AttributionId)>);
    {
        let (jump, dispatcher) = (jump.clone(), state.dispatcher());
        let open_id = state.set().document.id.clone();
        use_effect_with((open_id, (*jump).clone()), move |(open_id, want)| {
            if let Some((doc, id)) = want.as_ref().filter(|(doc, _)| doc == open_id) {
                let _ = doc;
                dispatcher.dispatch(Action::Focus { target: Some(Target::Attribution(*id)) });
                jump.set(None);
            }
        });
    }
    let on_jump = {
        let (jump, ledger_open, project, open_id) = (jump.clone(), ledger_open.clone(), project.clone(), state.set().document.id.clone());
        Callback::from(move |(doc, id): (String, AttributionId)| {
            ledger_open.set(false);
            if doc != open_id {
                project.open(&doc);
            }
            jump.set(Some((doc, id)));
        })
    };
    let toggle_ledger = {
        let ledger_open = ledger_open.clone();
        Callback::from(move |_: MouseEvent| ledger_open.set(!*ledger_open))
    };
    let close_ledger = {
        let ledger_open = ledger_open.clone();
        Callback::from(move |_: ()| ledger_open.set(false))
    };

    let adjudicating = state.adjudication.is_some();
    let opening_placeholder = startup::is_placeholder(state.set());
    // "Opening…" ends when storage restores a document (or the sample); the worker and the
    // service worker start after that paints. Storage that never answers gets the sample.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(opening_placeholder, move |&waiting| {
            let timeout = waiting.then(|| {
                gloo::timers::callback::Timeout::new(startup::OPENING_TIMEOUT_MS, move || {
                    dispatcher.dispatch(Action::Restore { history: crate::core::model::history::History::new(sample_set()) });
                })
            });
            if !waiting {
                startup::release();
            }
            move || drop(timeout)
        });
    }
    html! {
        <ContextProvider<AnnotatorContext> context={state}>
        <ContextProvider<ProjectContext> context={project}>
        <ContextProvider<TeamHandle> context={team}>
            <div class="app" {ondragover} {ondrop}>
                <header class="app-header">
                    <h1 class="app-name">{"newsmark"}</h1>
                    <Toolbar on_paste={open(Dialog::Paste)} on_help={open(Dialog::Help)}
                        hide_boilerplate={*hide_boilerplate} on_toggle_boilerplate={toggle_boilerplate} />
                    <button type="button" class="button ledger-toggle" aria-pressed={ledger_open.to_string()} onclick={toggle_ledger}>{"Source ledger"}</button>
                    <button type="button" class="button team-open" onclick={open(Dialog::Team(false)).reform(|_: MouseEvent| ())}>{"Team…"}</button>
                </header>
                <UpdateBanner />
                <SaveStatus />
                <SyncStatus on_open={open(Dialog::Team(false))} />
                <StoragePersistence />
                <AlertRegion />
                <RoleHighlight hovered={(*hovered).clone()} {focused} />
                if adjudicating {
                    <main class="app-main adjudicate-main"><AdjudicateView on_help={open(Dialog::Help)} /></main>
                } else if *ledger_open {
                    <main class="app-main ledger-main"><LedgerView on_close={close_ledger} {on_jump} /></main>
                } else {
                <div class="workspace">
                    <main class="app-main">
                        if opening_placeholder {
                            <p class="opening" aria-busy="true">{"Opening your document…"}</p>
                        } else {
                            <Article hide_boilerplate={*hide_boilerplate} {on_hover} />
                        }
                    </main>
                    <div class="side">
                        <ProjectPanel />
                        <Inspector offsets={offsets.clone()} />
                        <Legend on_edit_labels={open(Dialog::Labels)} />
                        <SidePanel />
                    </div>
                </div>
                }
                {
                    match *dialog {
                        Some(Dialog::Help) => html! { <HelpDialog on_close={close.clone()} /> },
                        Some(Dialog::Paste) => html! { <PasteDialog on_close={close.clone()} /> },
                        Some(Dialog::Labels) => html! { <SchemaEditor on_close={close.clone()} /> },
                        Some(Dialog::Team(reloaded)) => html! { <TeamDialog on_close={close.clone()} {reloaded} /> },
                        None => html! {},
                    }
                }
            </div>
        </ContextProvider<TeamHandle>>
        </ContextProvider<ProjectContext>>
        </ContextProvider<AnnotatorContext>>
    }
}

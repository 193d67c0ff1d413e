//! "Team…": the CouchDB database URL, user and password; sign in and sign out; the sync
//! state with a clear message for each failure; records in conflict with their losing
//! versions to export. The password field is cleared as soon as it was sent.

use crate::core::project::team::{Phase, TeamUrl};
use crate::ui::persist::use_project;
use crate::ui::storage::SaveStatus;
use crate::ui::sync::{reload_when_idle, use_team};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TeamDialogProps {
    pub on_close: Callback<()>,
    /// The page just reloaded so that the saved server is allowed: say so.
    #[prop_or_default]
    pub reloaded: bool,
}

#[component]
pub fn TeamDialog(props: &TeamDialogProps) -> Html {
    let team = use_team();
    let saved = (*team.settings).clone();
    // The fields' text lives here (a re-render must not reset what the editor typed); the
    // password field is read once, on sign-in, and never rendered back.
    let url = use_state(|| saved.as_ref().map(|s| s.database.clone()).unwrap_or_default());
    let user = use_state(|| saved.as_ref().map(|s| s.user.clone()).unwrap_or_default());
    let password = use_node_ref();
    let typed = |field: &UseStateHandle<String>| {
        let field = field.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                field.set(i.value());
            }
        })
    };
    let state = &*team.state;
    // A new server needs one reload; it waits until nothing is being saved.
    let project = use_project();
    let idle = !matches!(project.state.status, SaveStatus::Saving | SaveStatus::Loading);
    use_effect_with((state.phase.clone(), idle), {
        let team = team.clone();
        move |(_, idle)| {
            reload_when_idle(&team.state, *idle);
        }
    });
    let sign_in = {
        let (team, url, user, password) = (team.clone(), url.clone(), user.clone(), password.clone());
        Callback::from(move |_: ()| {
            let pw = password.cast::<HtmlInputElement>();
            team.sign_in(&url, &user, &pw.as_ref().map(|i| i.value()).unwrap_or_default());
            if let Some(pw) = pw {
                pw.set_value("");
            }
        })
    };
    let on_key = {
        let sign_in = sign_in.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                sign_in.emit(());
            }
        })
    };
    let click_sign_in = sign_in.reform(|_: MouseEvent| ());
    let sign_out = {
        let team = team.clone();
        Callback::from(move |_: MouseEvent| team.sign_out())
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let busy = matches!(state.phase, Phase::SigningIn);
    let error = matches!(state.phase, Phase::Error(_));
    let origin = saved.as_ref().and_then(|s| TeamUrl::parse(&s.database).ok()).map(|t| t.origin);
    html! {
        <div class="dialog-backdrop">
            <div class="dialog team-dialog" role="dialog" aria-modal="true" aria-labelledby="team-heading">
                <h2 id="team-heading">{"Team sync"}</h2>
                <p class="hint">{"Sync this browser's project with a CouchDB database your team shares. \
                    The password goes to the server only; this browser keeps the database URL and your user name."}</p>
                if props.reloaded {
                    <p class="team-note">{ format!("Connections to {} are now allowed: type your password again to sign in.",
                        origin.clone().unwrap_or_default()) }</p>
                }
                <p><label for="team-url">{"Database URL"}</label><br />
                   <input id="team-url" type="url" class="wide" placeholder="https://couch.example.org/newsroom"
                       value={(*url).clone()} oninput={typed(&url)} /></p>
                <p><label for="team-user">{"User"}</label><br />
                   <input id="team-user" type="text" autocomplete="username"
                       value={(*user).clone()} oninput={typed(&user)} /></p>
                <p><label for="team-password">{"Password"}</label><br />
                   <input id="team-password" ref={password} type="password" autocomplete="current-password"
                       autofocus={props.reloaded} onkeydown={on_key} /></p>
                <p class={classes!("team-state", error.then_some("team-state-error"))} aria-live={if error { "assertive" } else { "polite" }}
                    data-sync-state={state.key()}>{ state.text() }</p>
                if !state.conflicts.is_empty() {
                    <div class="team-conflicts">
                        <h3>{"Records in conflict"}</h3>
                        <p class="hint">{"Edited on two devices at once: the version PouchDB chose is shown everywhere; \
                            the other versions are kept and can be exported."}</p>
                        <ul>
                            { for state.conflicts.iter().map(|id| {
                                let (team, rid) = (team.clone(), id.clone());
                                let export = Callback::from(move |_: MouseEvent| team.export_losers(&rid));
                                html! { <li data-conflict={id.clone()}><code>{ id.clone() }</code>{" "}
                                    <button type="button" class="button" onclick={export}>{"Export other versions"}</button></li> }
                            }) }
                        </ul>
                    </div>
                }
                <div class="button-row">
                    <button type="button" class="button primary" disabled={busy} onclick={click_sign_in}>{"Sign in"}</button>
                    if state.signed_in() {
                        <button type="button" class="button" onclick={sign_out}>{"Sign out"}</button>
                    }
                    <button type="button" class="button" onclick={close}>{"Close"}</button>
                </div>
            </div>
        </div>
    }
}

/// The team sync state in the status area, always visible once a team was set up; the
/// button opens the Team dialog.
#[derive(Properties, PartialEq)]
pub struct SyncStatusProps {
    pub on_open: Callback<()>,
}

#[component]
pub fn SyncStatus(props: &SyncStatusProps) -> Html {
    let team = use_team();
    let state = &*team.state;
    if matches!(state.phase, Phase::SignedOut) && team.settings.is_none() {
        return html! {};
    }
    let error = matches!(state.phase, Phase::Error(_));
    let open = props.on_open.reform(|_: MouseEvent| ());
    html! {
        <p class={classes!("sync-status", error.then_some("sync-status-error"))} aria-live={if error { "assertive" } else { "polite" }}
            data-sync-state={state.key()}>
            { state.text() }{" "}
            <button type="button" class="link-button" onclick={open}>{"Team…"}</button>
        </p>
    }
}

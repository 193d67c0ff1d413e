//! Team sync with a CouchDB database, as pure state: the database URL the editor typed
//! ([`TeamUrl`]), why a sign-in or a replication failed ([`SyncError`], from the HTTP status
//! the server answered), and the sync state shown in the status area ([`SyncState`], driven
//! by the replication's events through [`SyncState::next`]).
//!
//! No browser here: `ui::sync` feeds PouchDB's events in and renders the state, and every
//! transition is host-tested below.

use crate::core::model::sort;
use std::fmt;

/// A CouchDB database URL: `http(s)://host[:port]/[prefix/]db`, without credentials (the
/// password is never part of anything stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamUrl {
    /// `scheme://host[:port]`: what the page's CSP must allow.
    pub origin: String,
    /// The server's root (origin plus any path prefix before the database), where
    /// `_session` lives.
    pub server: String,
    /// The database's full URL.
    pub database: String,
}

impl TeamUrl {
    /// Checks what the editor typed; the error says what to fix.
    pub fn parse(input: &str) -> Result<TeamUrl, SyncError> {
        let bad = |why: &str| Err(SyncError::BadUrl(format!("{why} (example: https://couch.example.org/newsroom)")));
        let s = input.trim();
        let (scheme, rest) = match s.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") => {
                (scheme.to_ascii_lowercase(), rest)
            }
            _ => return bad("the database URL must start with https:// or http://"),
        };
        if rest.contains(['?', '#']) {
            return bad("the database URL has no query or fragment");
        }
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.contains('@') {
            return bad("leave the user and password out of the URL: type them below");
        }
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '\\') {
            return bad("the database URL has no server name");
        }
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some((db, prefix)) = parts.split_last() else {
            return bad("the URL must name the database after the server");
        };
        if db.starts_with('_') {
            return bad("the URL must name a database, not a CouchDB endpoint");
        }
        let origin = format!("{scheme}://{}", host.to_ascii_lowercase());
        let mut server = origin.clone();
        for p in prefix {
            server.push('/');
            server.push_str(p);
        }
        Ok(TeamUrl { database: format!("{server}/{db}"), origin, server })
    }
}

/// Where a failure happened, which decides what a 401 means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// POST `_session` with the password.
    Login,
    /// Opening or replicating the database with the session cookie.
    Database,
}

/// Why team sync is not working; each says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncError {
    BadUrl(String),
    /// The server's CSP allowance needs a reload (see `ui::sync`).
    NeedsReload(String),
    WrongPassword,
    /// Signed in, but the database's `_security` does not list this user.
    NotMember,
    /// The session cookie expired or was refused: sign in again.
    SignedOut,
    Unreachable(String),
    NoDatabase,
    Quota,
    /// The server refused a record (a validation function, a size limit).
    Refused(String),
    Other(String),
}

impl SyncError {
    /// Classifies a failure from its HTTP status (0: no answer) and text.
    pub fn classify(stage: Stage, status: u32, name: &str, message: &str) -> SyncError {
        let text = format!("{name} {message}").to_lowercase();
        match status {
            0 if text.contains("quota") => SyncError::Quota,
            0 => SyncError::Unreachable(message.to_string()),
            401 if stage == Stage::Login => SyncError::WrongPassword,
            // pouchdb-server answers 401 to a signed-in non-member, CouchDB 3 403; a
            // session that expired is also 401 but says so ("session" / no user).
            401 if text.contains("not authorized to access this db") => SyncError::NotMember,
            401 => SyncError::SignedOut,
            403 if stage == Stage::Database => SyncError::NotMember,
            404 => SyncError::NoDatabase,
            413 => SyncError::Refused("a record is larger than the server accepts".into()),
            500.. if text.contains("quota") => SyncError::Quota,
            _ => SyncError::Other(format!("{status} {name}: {message}")),
        }
    }

    /// Whether this failure is the network's (sync retries by itself) rather than one the
    /// editor has to act on.
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Unreachable(_))
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::BadUrl(m) => f.write_str(m),
            SyncError::NeedsReload(origin) => write!(f, "newsmark must reload once to be allowed to connect to {origin}"),
            SyncError::WrongPassword => f.write_str("wrong user name or password: nothing was sent, try again"),
            SyncError::NotMember => f.write_str("you are signed in, but not a member of this database: ask its admin to add you (nothing was sent)"),
            SyncError::SignedOut => f.write_str("the server ended your session: sign in again (your work stays here)"),
            SyncError::Unreachable(m) => write!(f, "the server cannot be reached ({m}): your work is kept here and syncs when it is back"),
            SyncError::NoDatabase => f.write_str("there is no such database on the server: check the URL"),
            SyncError::Quota => f.write_str("storage is full (browser or server quota): export your work"),
            SyncError::Refused(m) => write!(f, "the server refused a record: {m}"),
            SyncError::Other(m) => write!(f, "sync failed: {m}"),
        }
    }
}

impl std::error::Error for SyncError {}

/// One direction of the replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Push,
    Pull,
}

/// What the replication reports (PouchDB's events, one direction at a time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncEvent {
    /// Sign-in started.
    SigningIn,
    /// Signed in and the database admitted the user: replication starts.
    Started { user: String },
    Active(Direction),
    /// Records went one way.
    Changed { direction: Direction, docs: u32 },
    /// Caught up (`None`) or waiting to retry after a failure.
    Paused { direction: Direction, error: Option<SyncError> },
    /// A record the server refused; the rest goes on.
    Denied(SyncError),
    /// Replication stopped for good, or sign-in failed.
    Failed(SyncError),
    /// Records that hold a conflict (PouchDB's winner shown, the losers kept).
    Conflicts(Vec<String>),
    /// The browser says the network went away.
    BrowserOffline,
    SignedOut,
}

/// What the status area shows.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    SignedOut,
    SigningIn,
    Syncing,
    Synced,
    Offline(String),
    Error(SyncError),
}

/// The sync state: the phase plus what the editor may want to know.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SyncState {
    pub phase: Phase,
    pub user: Option<String>,
    /// Records sent and received since sign-in.
    pub sent: u64,
    pub received: u64,
    /// Records with a conflict, in id order.
    pub conflicts: Vec<String>,
    /// A refused record's reason, kept while the rest syncs.
    pub denied: Option<SyncError>,
    push_active: bool,
    pull_active: bool,
    push_error: Option<SyncError>,
    pull_error: Option<SyncError>,
}

impl SyncState {
    /// The state after `event`.
    pub fn next(mut self, event: SyncEvent) -> SyncState {
        match event {
            SyncEvent::SigningIn => {
                self = SyncState { phase: Phase::SigningIn, ..SyncState::default() };
                return self;
            }
            SyncEvent::Started { user } => {
                self = SyncState { user: Some(user), push_active: true, pull_active: true, ..SyncState::default() };
            }
            SyncEvent::Active(d) => {
                *self.active(d) = true;
                *self.error(d) = None;
            }
            SyncEvent::Changed { direction, docs } => {
                match direction {
                    Direction::Push => self.sent += u64::from(docs),
                    Direction::Pull => self.received += u64::from(docs),
                }
                *self.error(direction) = None;
            }
            SyncEvent::Paused { direction, error } => {
                *self.active(direction) = false;
                *self.error(direction) = error;
            }
            SyncEvent::Denied(e) => self.denied = Some(e),
            SyncEvent::Failed(e) => {
                let user = if matches!(self.phase, Phase::SigningIn) { None } else { self.user.take() };
                return SyncState { phase: Phase::Error(e), user, conflicts: self.conflicts, ..SyncState::default() };
            }
            SyncEvent::Conflicts(ids) => {
                self.conflicts.extend(ids);
                sort::sort(&mut self.conflicts);
                self.conflicts.dedup();
            }
            SyncEvent::BrowserOffline => {
                if self.user.is_some() {
                    self.push_error = Some(SyncError::Unreachable("the browser is offline".into()));
                }
            }
            SyncEvent::SignedOut => return SyncState::default(),
        }
        if matches!(self.phase, Phase::SignedOut | Phase::Error(_)) && self.user.is_none() {
            return self;
        }
        self.phase = self.derive();
        self
    }

    fn active(&mut self, d: Direction) -> &mut bool {
        match d {
            Direction::Push => &mut self.push_active,
            Direction::Pull => &mut self.pull_active,
        }
    }

    fn error(&mut self, d: Direction) -> &mut Option<SyncError> {
        match d {
            Direction::Push => &mut self.push_error,
            Direction::Pull => &mut self.pull_error,
        }
    }

    /// A failure the editor must act on wins over the network being away, which wins over
    /// work in progress.
    fn derive(&self) -> Phase {
        let errors = [&self.push_error, &self.pull_error];
        if let Some(e) = errors.iter().filter_map(|e| e.as_ref()).find(|e| !e.is_offline()) {
            return Phase::Error(e.clone());
        }
        if let Some(SyncError::Unreachable(m)) = errors.iter().filter_map(|e| e.as_ref()).next() {
            return Phase::Offline(m.clone());
        }
        if self.push_active || self.pull_active {
            Phase::Syncing
        } else {
            Phase::Synced
        }
    }

    /// Whether sync is running (signed in, even if offline or failing for now).
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// A short key for the status line (`data-sync-state`).
    pub fn key(&self) -> &'static str {
        match self.phase {
            Phase::SignedOut => "signed-out",
            Phase::SigningIn => "signing-in",
            Phase::Syncing => "syncing",
            Phase::Synced => "synced",
            Phase::Offline(_) => "offline",
            Phase::Error(_) => "error",
        }
    }

    /// The status line's text.
    pub fn text(&self) -> String {
        let who = self.user.as_deref().map(|u| format!(" as {u}")).unwrap_or_default();
        let mut s = match &self.phase {
            Phase::SignedOut => "Team sync is off".to_string(),
            Phase::SigningIn => "Team: signing in…".to_string(),
            Phase::Syncing => format!("Team: syncing{who}…"),
            Phase::Synced => format!("Team: synced{who}"),
            Phase::Offline(_) => format!("Team: offline{who}, changes are kept here and sync when the server is back"),
            Phase::Error(e) => format!("Team: {e}"),
        };
        if let Some(d) = &self.denied {
            s.push_str(&format!(" ({d})"));
        }
        match self.conflicts.len() {
            0 => {}
            1 => s.push_str(" · 1 record has a conflict"),
            n => s.push_str(&format!(" · {n} records have a conflict")),
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_split() {
        let u = TeamUrl::parse(" https://Couch.example.org:6984/newsroom ").unwrap();
        assert_eq!(u.origin, "https://couch.example.org:6984");
        assert_eq!(u.server, "https://couch.example.org:6984");
        assert_eq!(u.database, "https://couch.example.org:6984/newsroom");
        let u = TeamUrl::parse("http://127.0.0.1:5984/couch/team/").unwrap();
        assert_eq!((u.server.as_str(), u.database.as_str()), ("http://127.0.0.1:5984/couch", "http://127.0.0.1:5984/couch/team"));
        for bad in ["", "couch.example.org/db", "ftp://x/db", "https://x", "https://x/", "https://u:p@x/db", "https://x/_users",
            "https:///db", "https://x/db?x=1", "javascript://x/db"] {
            assert!(matches!(TeamUrl::parse(bad), Err(SyncError::BadUrl(_))), "{bad:?} was accepted");
        }
    }

    #[test]
    fn failures_are_classified_by_stage_and_status() {
        use SyncError as E;
        let c = SyncError::classify;
        assert_eq!(c(Stage::Login, 401, "unauthorized", "Name or password is incorrect."), E::WrongPassword);
        assert_eq!(c(Stage::Database, 401, "unauthorized", "You are not authorized to access this db."), E::NotMember);
        assert_eq!(c(Stage::Database, 403, "forbidden", "You are not allowed to access this db."), E::NotMember);
        assert_eq!(c(Stage::Database, 401, "unauthorized", "You are not authorized"), E::SignedOut);
        assert_eq!(c(Stage::Database, 404, "not_found", "Database does not exist."), E::NoDatabase);
        assert!(matches!(c(Stage::Database, 0, "TypeError", "Failed to fetch"), E::Unreachable(_)));
        assert_eq!(c(Stage::Database, 0, "QuotaExceededError", "quota"), E::Quota);
        assert!(matches!(c(Stage::Database, 413, "too_large", ""), E::Refused(_)));
        assert!(matches!(c(Stage::Login, 500, "x", "y"), E::Other(_)));
        // Every error says something.
        for e in [E::WrongPassword, E::NotMember, E::SignedOut, E::NoDatabase, E::Quota, E::Unreachable("x".into())] {
            assert!(e.to_string().len() > 20, "{e:?}");
        }
    }

    fn started() -> SyncState {
        SyncState::default().next(SyncEvent::SigningIn).next(SyncEvent::Started { user: "alice".into() })
    }

    #[test]
    fn a_sync_goes_syncing_then_synced_and_counts() {
        let s = started();
        assert_eq!(s.phase, Phase::Syncing);
        let s = s.next(SyncEvent::Changed { direction: Direction::Push, docs: 3 });
        let s = s.next(SyncEvent::Paused { direction: Direction::Push, error: None });
        assert_eq!(s.phase, Phase::Syncing, "pull still running");
        let s = s.next(SyncEvent::Changed { direction: Direction::Pull, docs: 2 });
        let s = s.next(SyncEvent::Paused { direction: Direction::Pull, error: None });
        assert_eq!((s.phase.clone(), s.sent, s.received), (Phase::Synced, 3, 2));
        assert_eq!(s.key(), "synced");
        assert_eq!(s.text(), "Team: synced as alice");
        let s = s.next(SyncEvent::Active(Direction::Pull));
        assert_eq!(s.phase, Phase::Syncing);
    }

    #[test]
    fn the_network_going_away_is_offline_and_coming_back_resumes() {
        let s = started().next(SyncEvent::Paused { direction: Direction::Push, error: None });
        let s = s.next(SyncEvent::Paused { direction: Direction::Pull, error: Some(SyncError::Unreachable("x".into())) });
        assert_eq!(s.key(), "offline");
        let s = s.next(SyncEvent::Active(Direction::Pull)).next(SyncEvent::Paused { direction: Direction::Pull, error: None });
        assert_eq!(s.key(), "synced");
        let s = s.next(SyncEvent::BrowserOffline);
        assert_eq!(s.key(), "offline");
        let s = s.next(SyncEvent::Active(Direction::Push)).next(SyncEvent::Paused { direction: Direction::Push, error: None });
        assert_eq!(s.key(), "synced");
    }

    #[test]
    fn an_error_to_act_on_wins_over_offline_and_keeps_conflicts() {
        let s = started()
            .next(SyncEvent::Conflicts(vec!["doc:b".into(), "doc:a".into()]))
            .next(SyncEvent::Conflicts(vec!["doc:a".into()]))
            .next(SyncEvent::Paused { direction: Direction::Push, error: Some(SyncError::Unreachable("x".into())) })
            .next(SyncEvent::Paused { direction: Direction::Pull, error: Some(SyncError::SignedOut) });
        assert_eq!(s.phase, Phase::Error(SyncError::SignedOut));
        assert_eq!(s.conflicts, vec!["doc:a".to_string(), "doc:b".to_string()]);
        assert!(s.text().ends_with("2 records have a conflict"), "{}", s.text());
    }

    #[test]
    fn a_failed_sign_in_leaves_no_user_and_sign_out_resets() {
        let s = SyncState::default().next(SyncEvent::SigningIn).next(SyncEvent::Failed(SyncError::WrongPassword));
        assert_eq!((s.key(), s.user.clone()), ("error", None));
        assert!(!s.signed_in());
        // Late replication events after a failure do not bring a phantom sync back.
        let s = s.next(SyncEvent::Paused { direction: Direction::Pull, error: None });
        assert_eq!(s.key(), "error");
        let s = started().next(SyncEvent::SignedOut);
        assert_eq!(s, SyncState::default());
        assert_eq!(s.text(), "Team sync is off");
    }
}

//! The editor's keyboard shortcuts: one table that both dispatches key presses and fills
//! the `?` help dialog, so the two never disagree.
//!
//! Pure: the browser layer turns a `KeyboardEvent` into a [`KeyPress`] and the resulting
//! [`Command`] into a session action.

use crate::core::model::label::{Label, LabelSchema};
use crate::core::edit::review::Nav;
use crate::core::edit::snap::{Dir, Edge, Step};

/// A key press as the browser reports it (`key` is `KeyboardEvent.key`, `code` its
/// physical key, which survives Alt changing the character on some layouts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPress {
    pub key: String,
    pub code: String,
    /// Ctrl, or Cmd on a Mac.
    pub ctrl: bool,
    pub shift: bool,
    pub alt: bool,
}

impl KeyPress {
    /// A plain key (test and doc helper).
    pub fn plain(key: &str) -> KeyPress {
        KeyPress { key: key.to_string(), ..KeyPress::default() }
    }
}

/// Which role of an attribution a selection becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Source,
    Cue,
    /// Another fragment of the content (a split quote).
    Fragment,
}

/// What a key press asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Undo,
    Redo,
    Help,
    /// Close a dialog or drop the focus.
    Escape,
    Review(Nav),
    Accept,
    Reject,
    Delete,
    /// Tag the selection (or relabel the focused entity); `exact` when Alt is held.
    Label { label: Label, exact: bool },
    /// Start an attribution whose content is the selection.
    Quote { exact: bool },
    /// Make the selection a role of the focused attribution.
    Role { role: Role, exact: bool },
    Nudge { edge: Edge, dir: Dir, step: Step },
}

/// Ctrl + Z (undo: `false`), Ctrl + Shift + Z or Ctrl + Y (redo: `true`); the same in
/// the editor and the Adjudicate view.
fn undo_redo(k: &KeyPress) -> Option<bool> {
    match k.key.to_lowercase().as_str() {
        "z" => Some(k.shift),
        "y" => Some(true),
        _ => None,
    }
}

/// The command for a key press, if any.
///
/// ```
/// use newsmark::core::edit::keys::{command, Command, KeyPress};
/// use newsmark::core::{Label, LabelSchema};
/// let schema = LabelSchema::default();
/// assert_eq!(command(&KeyPress::plain("1"), &schema), Some(Command::Label { label: Label::Person, exact: false }));
/// ```
pub fn command(k: &KeyPress, schema: &LabelSchema) -> Option<Command> {
    let key = k.key.as_str();
    if k.ctrl {
        return undo_redo(k).map(|redo| if redo { Command::Redo } else { Command::Undo });
    }
    let nudge = |edge, dir, step| Some(Command::Nudge { edge, dir, step });
    let exact = k.alt;
    match key {
        "?" => return Some(Command::Help),
        "Escape" => return Some(Command::Escape),
        "Enter" => return Some(Command::Accept),
        "Delete" | "Backspace" => return Some(Command::Delete),
        "[" => return nudge(Edge::Start, Dir::Left, Step::Word),
        "]" => return nudge(Edge::Start, Dir::Right, Step::Word),
        "{" => return nudge(Edge::Start, Dir::Left, Step::Char),
        "}" => return nudge(Edge::Start, Dir::Right, Step::Char),
        "," => return nudge(Edge::End, Dir::Left, Step::Word),
        "." => return nudge(Edge::End, Dir::Right, Step::Word),
        "<" => return nudge(Edge::End, Dir::Left, Step::Char),
        ">" => return nudge(Edge::End, Dir::Right, Step::Char),
        _ => {}
    }
    // Letters by physical key too, so Alt+Q works where Alt changes the character.
    let letter = match (key.chars().count(), k.code.strip_prefix("Key")) {
        (1, _) if key.chars().all(|c| c.is_ascii_alphabetic()) => key.to_ascii_lowercase(),
        (_, Some(l)) => l.to_ascii_lowercase(),
        _ => String::new(),
    };
    match letter.as_str() {
        "j" => return Some(Command::Review(Nav::Next)),
        "k" => return Some(Command::Review(Nav::Prev)),
        "x" => return Some(Command::Reject),
        "q" => return Some(Command::Quote { exact }),
        "c" => return Some(Command::Role { role: Role::Cue, exact }),
        "s" => return Some(Command::Role { role: Role::Source, exact }),
        "f" => return Some(Command::Role { role: Role::Fragment, exact }),
        _ => {}
    }
    let ch = key.chars().next().filter(|_| key.chars().count() == 1);
    let digit = k.code.strip_prefix("Digit").and_then(|d| d.chars().next());
    ch.and_then(|c| schema.by_key(c))
        .or_else(|| digit.and_then(|d| schema.by_key(d)))
        .map(|d| Command::Label { label: d.label.clone(), exact })
}

/// The shortcuts as the help dialog lists them: (keys, what they do).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Shift + arrows, Ctrl + Shift + arrows", "select text by character or word (arrows alone move the caret)"),
    ("1 – 7 (the label's key)", "tag the selection with that label, snapped to whole words; relabel the focused highlight"),
    ("Alt + label key", "tag the exact characters selected"),
    ("J / K", "next / previous suggestion"),
    ("Enter", "accept the focused suggestion"),
    ("X", "reject the focused suggestion"),
    ("Delete", "delete the focused highlight or attribution"),
    ("[ / ]", "move the focused highlight's start left / right by a word"),
    ("{ / }", "move its start by a character"),
    (", / .", "move its end left / right by a word"),
    ("< / >", "move its end by a character"),
    ("Q", "start an attribution: the selection is what was said"),
    ("C", "the selection is the focused attribution's cue"),
    ("S", "the selection is its source"),
    ("F", "add the selection as another fragment of its content"),
    ("Ctrl + Z", "undo"),
    ("Ctrl + Shift + Z, Ctrl + Y", "redo"),
    ("?", "show this list"),
    ("Escape", "close a dialog, clear the focus"),
];

/// What a key press asks for in the Adjudicate view (its own table: A and B mean "take
/// annotator A / B" there, not a label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkCommand {
    /// Take annotator `n`'s version (A = 0, B = 1; digits for a third and more).
    Take(usize),
    Both,
    Neither,
    /// Use the adjudicator's own version (the selection, the label and roles picked).
    Edit,
    /// Make the current disagreement undecided again.
    Clear,
    Next,
    Prev,
    Undo,
    Redo,
    Help,
    Close,
}

/// The Adjudicate view's command for a key press, if any.
///
/// ```
/// use newsmark::core::edit::keys::{walk_command, KeyPress, WalkCommand};
/// assert_eq!(walk_command(&KeyPress::plain("b")), Some(WalkCommand::Take(1)));
/// ```
pub fn walk_command(k: &KeyPress) -> Option<WalkCommand> {
    let key = k.key.as_str();
    if k.ctrl {
        return undo_redo(k).map(|redo| if redo { WalkCommand::Redo } else { WalkCommand::Undo });
    }
    if k.alt {
        return None;
    }
    match key {
        "?" => return Some(WalkCommand::Help),
        "Escape" => return Some(WalkCommand::Close),
        "Delete" | "Backspace" => return Some(WalkCommand::Clear),
        _ => {}
    }
    if let Some(d) = key.chars().next().filter(|c| key.len() == 1 && c.is_ascii_digit() && *c != '0') {
        return Some(WalkCommand::Take(d as usize - '1' as usize));
    }
    let letter = match k.code.strip_prefix("Key") {
        Some(l) => l.to_ascii_lowercase(),
        None => key.to_ascii_lowercase(),
    };
    Some(match letter.as_str() {
        "a" => WalkCommand::Take(0),
        "b" => WalkCommand::Take(1),
        "h" => WalkCommand::Both,
        "n" => WalkCommand::Neither,
        "e" => WalkCommand::Edit,
        "j" => WalkCommand::Next,
        "k" => WalkCommand::Prev,
        _ => return None,
    })
}

/// The Adjudicate view's shortcuts as the help dialog lists them.
pub const WALK_SHORTCUTS: &[(&str, &str)] = &[
    ("A", "take annotator A's version"),
    ("B", "take annotator B's version"),
    ("1 – 9", "take the version of annotator 1 – 9 (for three or more)"),
    ("H", "take both (every version)"),
    ("N", "take neither"),
    ("E", "take your own version: the words selected in the article (else the span picked) with the label or roles picked"),
    ("Delete", "make the disagreement undecided again"),
    ("J / K", "next / previous disagreement"),
    ("Ctrl + Z", "undo a decision"),
    ("Ctrl + Shift + Z, Ctrl + Y", "redo"),
    ("Escape", "leave the Adjudicate view"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_key_table() {
        let cases: Vec<(KeyPress, Option<WalkCommand>)> = vec![
            (kp("a", "KeyA", false, false, false), Some(WalkCommand::Take(0))),
            (kp("B", "KeyB", false, true, false), Some(WalkCommand::Take(1))),
            (kp("3", "Digit3", false, false, false), Some(WalkCommand::Take(2))),
            (kp("0", "Digit0", false, false, false), None),
            (kp("h", "KeyH", false, false, false), Some(WalkCommand::Both)),
            (kp("n", "KeyN", false, false, false), Some(WalkCommand::Neither)),
            (kp("e", "KeyE", false, false, false), Some(WalkCommand::Edit)),
            (kp("j", "KeyJ", false, false, false), Some(WalkCommand::Next)),
            (kp("k", "KeyK", false, false, false), Some(WalkCommand::Prev)),
            (kp("z", "KeyZ", true, false, false), Some(WalkCommand::Undo)),
            (kp("Z", "KeyZ", true, true, false), Some(WalkCommand::Redo)),
            (kp("a", "KeyA", true, false, false), None), // select-all stays the browser's
            (kp("Escape", "Escape", false, false, false), Some(WalkCommand::Close)),
            (kp("x", "KeyX", false, false, false), None),
            (kp("ArrowLeft", "ArrowLeft", false, true, false), None),
        ];
        for (k, want) in cases {
            assert_eq!(walk_command(&k), want, "{k:?}");
        }
        let help: String = WALK_SHORTCUTS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(" ");
        for k in ["A", "B", "H", "N", "E", "J", "K", "Ctrl + Z", "Escape"] {
            assert!(help.contains(k), "{k} missing from the help list");
        }
    }

    fn kp(key: &str, code: &str, ctrl: bool, shift: bool, alt: bool) -> KeyPress {
        KeyPress { key: key.into(), code: code.into(), ctrl, shift, alt }
    }

    #[test]
    fn key_table() {
        let schema = LabelSchema::default();
        let cases: Vec<(KeyPress, Option<Command>)> = vec![
            (kp("z", "KeyZ", true, false, false), Some(Command::Undo)),
            (kp("Z", "KeyZ", true, true, false), Some(Command::Redo)),
            (kp("y", "KeyY", true, false, false), Some(Command::Redo)),
            (kp("c", "KeyC", true, false, false), None), // copy stays the browser's
            (kp("1", "Digit1", false, false, false), Some(Command::Label { label: Label::Person, exact: false })),
            (kp("¡", "Digit1", false, false, true), Some(Command::Label { label: Label::Person, exact: true })),
            (kp("7", "Digit7", false, false, false), Some(Command::Label { label: Label::Role, exact: false })),
            (kp("8", "Digit8", false, false, false), None),
            (kp("j", "KeyJ", false, false, false), Some(Command::Review(Nav::Next))),
            (kp("K", "KeyK", false, true, false), Some(Command::Review(Nav::Prev))),
            (kp("œ", "KeyQ", false, false, true), Some(Command::Quote { exact: true })),
            (kp("s", "KeyS", false, false, false), Some(Command::Role { role: Role::Source, exact: false })),
            (kp("{", "BracketLeft", false, true, false), Some(Command::Nudge { edge: Edge::Start, dir: Dir::Left, step: Step::Char })),
            (kp(".", "Period", false, false, false), Some(Command::Nudge { edge: Edge::End, dir: Dir::Right, step: Step::Word })),
            (kp("?", "Slash", false, true, false), Some(Command::Help)),
            (kp("Enter", "Enter", false, false, false), Some(Command::Accept)),
            (kp("ArrowLeft", "ArrowLeft", false, true, false), None),
        ];
        for (k, want) in cases {
            assert_eq!(command(&k, &schema), want, "{k:?}");
        }
    }

    #[test]
    fn custom_keys_follow_the_schema() {
        let mut schema = LabelSchema::default();
        schema.labels[0].key = Some('p');
        // 'p' is not a command letter, so it tags PERSON; '1' no longer does.
        assert_eq!(command(&KeyPress::plain("p"), &schema), Some(Command::Label { label: Label::Person, exact: false }));
        assert_eq!(command(&KeyPress::plain("1"), &schema), None);
    }

    #[test]
    fn every_command_key_is_documented() {
        let help: String = SHORTCUTS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(" ");
        for k in ["J", "K", "Enter", "X", "Delete", "Q", "C", "S", "F", "Ctrl + Z", "Ctrl + Y", "?", "[", "{", ",", "<"] {
            assert!(help.contains(k), "{k} missing from the help list");
        }
    }
}

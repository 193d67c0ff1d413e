//! The editor as pure state: the session state machine, key bindings, selection snapping,
//! review navigation and line layout. The yew app renders this state and feeds it events;
//! nothing here knows about the DOM, so every editing rule is tested natively.

pub mod adjudicate;
pub mod keys;
pub mod layout;
pub mod review;
pub mod session;
pub mod viewport;
pub mod snap;

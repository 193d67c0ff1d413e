//! The Adjudicate view: walks the disagreements of several annotators' versions of one
//! document (the walk in the app's reducer, `Session::adjudication`), with the article
//! around the current disagreement highlighted, every annotator's version side by side,
//! keys to decide (A, B, H, N, E; J / K; undo), the progress, and "Save as curated", which
//! adds the curated version to the project as a document of its own.
//!
//! Its input is only "a list of (annotator name, AnnotationSet)" ([`Action::Adjudicate`]),
//! so the Agreement panel, the project or synced records can all open it. Article text is
//! rendered as text nodes, never as HTML.

use crate::core::compare::adjudicate::{AttributionVersion, Decision, Disagreement, EntityVersion, Item};
use crate::core::edit::adjudicate::{runs, Walk, WalkAction};
use crate::core::edit::keys::{walk_command, KeyPress, WalkCommand};
use crate::core::edit::layout::paragraph_spans;
use crate::core::project::project::DocStatus;
use crate::core::{Kind, Label, OffsetMap, Span};
use crate::ui::import::Picked;
use crate::ui::persist::{use_project, ProjectHandle};
use crate::ui::selection;
use crate::ui::state::{use_annotator, Action, AnnotatorContext};
use crate::ui::hooks::use_window_keys;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// Paragraphs drawn before and after the current disagreement's own (a long article is
/// never drawn whole here: only the context of the item being settled).
const CONTEXT_PARAGRAPHS: usize = 4;

/// The adjudicator's own version as picked in the form (view state: not a decision until
/// E or "Use mine" is pressed). Indices are annotators; `None` for a role means "none".
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    /// The disagreement this draft belongs to (a new one starts a new draft).
    index: usize,
    label: Option<Label>,
    span_from: usize,
    content_from: usize,
    source_from: Option<usize>,
    cue_from: Option<usize>,
    kind: Option<Kind>,
}

impl Draft {
    fn for_current(walk: &Walk) -> Draft {
        let d = &walk.adjudication.disagreements[walk.current];
        let first = d.versions.iter().position(Option::is_some).unwrap_or(0);
        let attr = |i: usize| match &d.versions[i] {
            Some(Item::Attribution(a)) => Some(a),
            _ => None,
        };
        Draft {
            index: walk.current,
            label: match &d.versions[first] {
                Some(Item::Entity(e)) => Some(e.label.clone()),
                _ => None,
            },
            span_from: first,
            content_from: first,
            source_from: attr(first).and_then(|a| a.source.as_ref()).map(|_| first),
            cue_from: attr(first).and_then(|a| a.cue).map(|_| first),
            kind: attr(first).map(|a| a.kind),
        }
    }

    /// The item the draft describes; `selection` (bytes) overrides an entity's span.
    fn item(&self, d: &Disagreement, selection: Option<Span>) -> Option<Item> {
        let version = |i: usize| d.versions.get(i).cloned().flatten();
        if d.is_entity() {
            let base = match version(self.span_from) {
                Some(Item::Entity(e)) => Some(e),
                _ => None,
            };
            let span = selection.or(base.as_ref().map(|e| e.span))?;
            let label = self.label.clone().or(base.as_ref().map(|e| e.label.clone()))?;
            return Some(Item::Entity(EntityVersion { label, span, canonical: None }));
        }
        let attr = |i: Option<usize>| match i.and_then(version) {
            Some(Item::Attribution(a)) => Some(a),
            _ => None,
        };
        let content = attr(Some(self.content_from))?;
        Some(Item::Attribution(AttributionVersion {
            kind: self.kind.unwrap_or(content.kind),
            source: attr(self.source_from).and_then(|a| a.source),
            cue: attr(self.cue_from).and_then(|a| a.cue),
            content: content.content,
        }))
    }
}

fn quote(text: &str, s: Span) -> String {
    format!("“{}”", s.slice(text).unwrap_or(""))
}

/// One version as lines of (what, text).
fn describe(text: &str, item: &Option<Item>) -> Vec<(String, String)> {
    match item {
        None => vec![("—".into(), "nothing here".into())],
        Some(Item::Entity(e)) => vec![(e.label.as_str().to_string(), quote(text, e.span))],
        Some(Item::Attribution(a)) => {
            let mut lines = vec![("kind".to_string(), a.kind.as_str().to_string())];
            let source = a.source.as_ref().map_or("none".to_string(), |s| {
                let q = quote(text, s.span);
                match &s.name {
                    Some(n) if !q.contains(n.as_str()) => format!("{q} → {n}"),
                    _ => q,
                }
            });
            lines.push(("source".into(), source));
            lines.push(("cue".into(), a.cue.map_or("none".into(), |c| quote(text, c))));
            let content: Vec<String> = a.content.fragments().iter().map(|f| quote(text, *f)).collect();
            lines.push(("content".into(), content.join(" … ")));
            lines
        }
    }
}

fn decision_text(names: &[String], d: Option<&Decision>) -> String {
    match d {
        None => "undecided".into(),
        Some(Decision::Take(n)) => format!("take {}", names.get(*n).map_or("?", String::as_str)),
        Some(Decision::TakeAll) => "take both".into(),
        Some(Decision::Neither) => "take neither".into(),
        Some(Decision::Edit(_)) => "own version".into(),
    }
}

/// Adds the curated version to the project (a new document, opened) and leaves the view.
fn save(state: &AnnotatorContext, project: &ProjectHandle, walk: &Walk) {
    match walk.curated() {
        Ok(mut set) => {
            let doc = &mut set.document;
            let name = doc.title.clone().unwrap_or_else(|| doc.id.clone());
            doc.id = format!("{}-curated", doc.id);
            doc.title = Some(format!("{name} (curated)"));
            let undecided = set.curation.as_ref().map_or(0, |c| c.undecided);
            let status = if undecided == 0 { DocStatus::Done } else { DocStatus::InProgress };
            project.import(Picked { annotated: vec![(set, status)], ..Picked::default() });
            state.dispatch(Action::CloseAdjudication);
        }
        Err(e) => state.dispatch(Action::Fail { message: format!("cannot save the curated version: {e}") }),
    }
}

/// What the key listener needs from the latest render.
struct Latest {
    state: AnnotatorContext,
    draft: UseStateHandle<Option<Draft>>,
    offsets: Rc<OffsetMap>,
    on_help: Callback<()>,
}

fn typing_in_control(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

/// The decision E makes: the draft, with the article selection as an entity's span.
fn own_version(walk: &Walk, draft: &Option<Draft>, offsets: &OffsetMap) -> Result<Decision, String> {
    let Some(d) = walk.adjudication.disagreements.get(walk.current) else {
        return Err("the annotators agree on everything: there is nothing to settle".into());
    };
    let draft = draft.clone().filter(|x| x.index == walk.current).unwrap_or_else(|| Draft::for_current(walk));
    let selection = if d.is_entity() { selection::selected_span(offsets) } else { None };
    draft
        .item(d, selection)
        .map(Decision::Edit)
        .ok_or_else(|| "pick the label or roles of your version first (or select the words)".to_string())
}

fn on_key(e: &KeyboardEvent, latest: &Latest) {
    // The app's handler runs first and takes Escape to close a dialog.
    if e.default_prevented() {
        return;
    }
    let dialog_open = gloo::utils::document().query_selector("[role=dialog]").ok().flatten().is_some();
    if dialog_open || typing_in_control(e) {
        return;
    }
    let press = KeyPress { key: e.key(), code: e.code(), ctrl: e.ctrl_key() || e.meta_key(), shift: e.shift_key(), alt: e.alt_key() };
    let Some(cmd) = walk_command(&press) else { return };
    let state = &latest.state;
    let Some(walk) = state.adjudication.as_ref() else { return };
    let on_button = e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|el| el.tag_name() == "BUTTON");
    let walk_action = match cmd {
        WalkCommand::Help => {
            latest.on_help.emit(());
            e.prevent_default();
            return;
        }
        WalkCommand::Close => {
            state.dispatch(Action::CloseAdjudication);
            e.prevent_default();
            return;
        }
        // Delete on a focused button keeps its meaning there.
        WalkCommand::Clear if on_button => return,
        WalkCommand::Take(n) => WalkAction::Decide { decision: Decision::Take(n) },
        WalkCommand::Both => WalkAction::Decide { decision: Decision::TakeAll },
        WalkCommand::Neither => WalkAction::Decide { decision: Decision::Neither },
        WalkCommand::Edit => match own_version(walk, &latest.draft, &latest.offsets) {
            Ok(decision) => {
                selection::clear();
                WalkAction::Decide { decision }
            }
            Err(message) => {
                state.dispatch(Action::Fail { message });
                e.prevent_default();
                return;
            }
        },
        WalkCommand::Clear => WalkAction::Clear,
        WalkCommand::Next => WalkAction::Next,
        WalkCommand::Prev => WalkAction::Prev,
        WalkCommand::Undo => WalkAction::Undo,
        WalkCommand::Redo => WalkAction::Redo,
    };
    e.prevent_default();
    state.dispatch(Action::Walk { action: walk_action });
}

fn paragraph(text: &str, p: Span, walk: &Walk, names: &[String]) -> Html {
    let highlights = walk.highlights();
    let segs = runs(p, &highlights);
    html! {
        <p class="paragraph" key={p.start.to_string()} data-start={p.start.to_string()}>
            { for segs.iter().map(|r| {
                let t = r.span.slice(text).unwrap_or("").to_string();
                if r.covers.is_empty() {
                    return html! { { t } };
                }
                let mut who: Vec<usize> = r.covers.iter().map(|i| highlights[*i].annotator).collect();
                who.dedup();
                let parts: Vec<&str> = r.covers.iter().map(|i| highlights[*i].part.as_str()).collect();
                let class = classes!("adj-mark", who.iter().map(|a| format!("adj-{}", a.min(&3))).collect::<Vec<_>>());
                let label = who.iter().filter_map(|a| names.get(*a)).cloned().collect::<Vec<_>>().join(" ");
                html! { <mark {class} data-annotators={label} data-parts={parts.join(" ")}>{ t }</mark> }
            }) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct AdjudicateViewProps {
    pub on_help: Callback<()>,
}

#[component]
pub fn AdjudicateView(props: &AdjudicateViewProps) -> Html {
    let state = use_annotator();
    let project = use_project();
    let draft = use_state(|| None::<Draft>);
    let text = state.adjudication.as_ref().map(|w| w.adjudication.document().text.clone()).unwrap_or_default();
    let offsets = use_memo(text.clone(), |t| OffsetMap::new(t));
    let paragraphs = use_memo(text.clone(), |t| paragraph_spans(t));

    use_window_keys(
        Latest { state: state.clone(), draft: draft.clone(), offsets: offsets.clone(), on_help: props.on_help.clone() },
        on_key,
    );
    // The current disagreement stays in view as J / K and decisions move it.
    let current = state.adjudication.as_ref().map(|w| w.current);
    use_effect_with(current, |_| {
        if let Ok(Some(m)) = gloo::utils::document().query_selector(".adj-article mark.adj-mark") {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            m.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    let Some(walk) = state.adjudication.as_ref() else { return html! {} };
    let adj = &walk.adjudication;
    let names = &adj.annotators;
    let dispatch = |a: WalkAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Walk { action: a.clone() }))
    };
    let close = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::CloseAdjudication))
    };
    let onsave = {
        let (state, project, walk) = (state.clone(), project.clone(), walk.clone());
        Callback::from(move |_: MouseEvent| save(&state, &project, &walk))
    };
    let title = adj.document().title.clone().unwrap_or_else(|| adj.document().id.clone());
    let header = html! {
        <header class="adj-header">
            <h2>{ format!("Adjudicate “{title}”") }</h2>
            <p class="adj-progress" aria-live="polite" data-settled={walk.settled().to_string()} data-total={walk.decisions.len().to_string()}>
                { walk.progress() }
                { format!(" · {} agreed item(s) taken · annotators {}", adj.agreed.len(), names.join(", ")) }
            </p>
            <button type="button" class="button adj-save" onclick={onsave}>{ "Save as curated" }</button>
            <button type="button" class="button" onclick={close}>{ "Close" }</button>
        </header>
    };
    if adj.disagreements.is_empty() {
        return html! {
            <section class="adjudicate" aria-label="Adjudicate">
                { header }
                <p>{ "The annotators agree on everything: save the curated version as it is." }</p>
            </section>
        };
    }
    let d = &adj.disagreements[walk.current];
    let classes: Vec<String> = d.classes.iter().map(|c| c.describe(names)).collect();

    // The paragraphs around the current disagreement.
    let span = d.span();
    let first = paragraphs.iter().position(|p| p.end > span.start).unwrap_or(0);
    let last = paragraphs.iter().rposition(|p| p.start < span.end).unwrap_or(first).max(first);
    let from = first.saturating_sub(CONTEXT_PARAGRAPHS);
    let to = (last + CONTEXT_PARAGRAPHS + 1).min(paragraphs.len());

    let draft_now = (*draft).clone().filter(|x| x.index == walk.current).unwrap_or_else(|| Draft::for_current(walk));
    let set_draft = |change: fn(&mut Draft, String)| {
        let (draft, base) = (draft.clone(), draft_now.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = base.clone();
            change(&mut next, v);
            draft.set(Some(next));
        })
    };
    let use_mine = {
        let (state, walk, draft, offsets) = (state.clone(), walk.clone(), (*draft).clone(), offsets.clone());
        Callback::from(move |_: MouseEvent| match own_version(&walk, &draft, &offsets) {
            Ok(decision) => state.dispatch(Action::Walk { action: WalkAction::Decide { decision } }),
            Err(message) => state.dispatch(Action::Fail { message }),
        })
    };
    let who_options = |selected: Option<usize>, with_none: bool| {
        html! {
            <>
                if with_none { <option value="" selected={selected.is_none()}>{ "none" }</option> }
                { for names.iter().enumerate().filter(|(i, _)| d.versions[*i].is_some()).map(|(i, n)| html! {
                    <option value={i.to_string()} selected={selected == Some(i)}>{ n.clone() }</option>
                }) }
            </>
        }
    };
    let form = if d.is_entity() {
        html! {
            <div class="adj-form">
                <label>{ "Label " }
                    <select aria-label="Label of your version" onchange={set_draft(|d, v| d.label = Label::parse(&v).ok())}>
                        { for adj.schema().labels.iter().map(|l| html! {
                            <option value={l.label.as_str().to_string()} selected={draft_now.label.as_ref() == Some(&l.label)}>{ l.label.as_str().to_string() }</option>
                        }) }
                    </select>
                </label>
                <label>{ " span from " }
                    <select aria-label="Span of your version" onchange={set_draft(|d, v| d.span_from = v.parse().unwrap_or(0))}>
                        { who_options(Some(draft_now.span_from), false) }
                    </select>
                </label>
                <span class="muted">{ " (or select the words in the article)" }</span>
            </div>
        }
    } else {
        html! {
            <div class="adj-form">
                <label>{ "Content from " }
                    <select aria-label="Content of your version" onchange={set_draft(|d, v| d.content_from = v.parse().unwrap_or(0))}>
                        { who_options(Some(draft_now.content_from), false) }
                    </select>
                </label>
                <label>{ " source from " }
                    <select aria-label="Source of your version" onchange={set_draft(|d, v| d.source_from = v.parse().ok())}>
                        { who_options(draft_now.source_from, true) }
                    </select>
                </label>
                <label>{ " cue from " }
                    <select aria-label="Cue of your version" onchange={set_draft(|d, v| d.cue_from = v.parse().ok())}>
                        { who_options(draft_now.cue_from, true) }
                    </select>
                </label>
                <label>{ " kind " }
                    <select aria-label="Kind of your version" onchange={set_draft(|d, v| d.kind = match v.as_str() {
                        "direct" => Some(Kind::Direct), "mixed" => Some(Kind::Mixed), _ => Some(Kind::Indirect) })}>
                        { for [Kind::Direct, Kind::Indirect, Kind::Mixed].iter().map(|k| html! {
                            <option value={k.as_str()} selected={draft_now.kind == Some(*k)}>{ k.as_str() }</option>
                        }) }
                    </select>
                </label>
            </div>
        }
    };

    html! {
        <section class="adjudicate" aria-label="Adjudicate">
            { header }
            <div class="adj-body">
                <article class="adj-article" aria-label="Article (current disagreement highlighted)">
                    if from > 0 { <p class="muted">{ format!("… {from} paragraph(s) above") }</p> }
                    { for paragraphs[from..to].iter().map(|p| paragraph(&text, *p, walk, names)) }
                    if to < paragraphs.len() { <p class="muted">{ format!("… {} paragraph(s) below", paragraphs.len() - to) }</p> }
                </article>
                <aside class="adj-inspector" aria-label="Versions">
                    <nav class="adj-nav">
                        <button type="button" class="button" onclick={dispatch(WalkAction::Prev)} disabled={walk.current == 0}>{ "Previous (K)" }</button>
                        <span class="adj-position" data-index={walk.current.to_string()}>
                            { format!(" Disagreement {} of {}: ", walk.current + 1, walk.decisions.len()) }
                            <strong class="adj-class">{ classes.join(", ") }</strong>
                            { format!(" — {}", if d.is_entity() { "entity" } else { "attribution" }) }
                        </span>
                        <button type="button" class="button" onclick={dispatch(WalkAction::Next)} disabled={walk.current + 1 == walk.decisions.len()}>{ "Next (J)" }</button>
                    </nav>
                    <p class="adj-decision" data-decision={decision_text(names, walk.decision())}>
                        { format!("Decision: {}", decision_text(names, walk.decision())) }
                    </p>
                    <div class="adj-versions">
                        { for d.versions.iter().enumerate().map(|(i, v)| {
                            let name = names[i].clone();
                            let key = if i < 2 { ["A", "B"][i].to_string() } else { (i + 1).to_string() };
                            html! {
                                <div class={classes!("adj-version", format!("adj-{}", i.min(3)))} key={i} data-annotator={name.clone()}>
                                    <h3>{ name.clone() }</h3>
                                    <dl>{ for describe(&text, v).into_iter().map(|(k, t)| html! { <><dt>{ k }</dt><dd>{ t }</dd></> }) }</dl>
                                    <button type="button" class="button" onclick={dispatch(WalkAction::Decide { decision: Decision::Take(i) })}>
                                        { format!("Take {name} ({key})") }
                                    </button>
                                </div>
                            }
                        }) }
                    </div>
                    <div class="adj-actions">
                        <button type="button" class="button" onclick={dispatch(WalkAction::Decide { decision: Decision::TakeAll })}>{ "Take both (H)" }</button>
                        <button type="button" class="button" onclick={dispatch(WalkAction::Decide { decision: Decision::Neither })}>{ "Take neither (N)" }</button>
                        <button type="button" class="button" onclick={dispatch(WalkAction::Clear)}>{ "Undecide" }</button>
                        <button type="button" class="button" onclick={dispatch(WalkAction::Undo)}>{ "Undo" }</button>
                    </div>
                    <h3>{ "Your own version (E)" }</h3>
                    { form }
                    <button type="button" class="button" onclick={use_mine}>{ "Use my version (E)" }</button>
                </aside>
            </div>
        </section>
    }
}

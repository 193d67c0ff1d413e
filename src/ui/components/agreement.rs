//! Agreement of two annotators in the app: pick each one's exports (annotation `.json`
//! files or project bundles `.zip`), see the table and a bar chart of entity F1 per label.
//! The figures are `core::compare::agree`'s, the same function `newsmark agree` prints.
//! Each document both sides annotated can be opened in the Adjudicate view from here.
//! Either side may instead be an annotator of the project's synced records (team sync):
//! their current version of every listed document they annotated
//! (`Store::annotation_set`).

use crate::core::model::sort;
use crate::core::compare::agree::{self, Agreement, Counts};
use crate::core::project::records::Annotator;
use crate::core::AnnotationSet;
use crate::ui::js::read_bytes;
use crate::ui::persist::{use_project, ProjectHandle};
use crate::ui::state::{use_annotator, Action};
use crate::ui::worker::ReadMode;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// One annotator's files, read, or their synced records.
#[derive(Clone, Debug, Default, PartialEq)]
struct Side {
    sets: Vec<AnnotationSet>,
    files: usize,
    /// The annotator whose records these are (`None`: picked files).
    annotator: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Sides {
    a: Option<Side>,
    b: Option<Side>,
    /// The agreement once both sides are read, or why it cannot be computed.
    result: Option<Result<(Agreement, Vec<String>), String>>,
    /// The documents both sides annotated (A's set, B's set), for adjudication.
    pairs: Rc<Vec<(AnnotationSet, AnnotationSet)>>,
}

impl Sides {
    fn with(&self, which: char, side: Side) -> Sides {
        let mut next = self.clone();
        if which == 'A' {
            next.a = Some(side);
        } else {
            next.b = Some(side);
        }
        next.pairs = Rc::default();
        next.result = match (&next.a, &next.b) {
            (Some(a), Some(b)) => Some(compute(a, b).map(|(r, notes, pairs)| {
                next.pairs = Rc::new(pairs);
                (r, notes)
            })),
            _ => None,
        };
        next
    }
}

type Computed = (Agreement, Vec<String>, Vec<(AnnotationSet, AnnotationSet)>);

fn compute(a: &Side, b: &Side) -> Result<Computed, String> {
    let paired = agree::pair_by_id(a.sets.clone(), b.sets.clone()).map_err(|e| e.to_string())?;
    let result = agree::agree(paired.pairs.iter().map(|(x, y)| (x, y))).map_err(|e| e.to_string())?;
    let mut notes = Vec::new();
    for (side, ids) in [("A", &paired.only_a), ("B", &paired.only_b)] {
        if !ids.is_empty() {
            notes.push(format!("{} document(s) only in {side}, not compared: {}", ids.len(), ids.join(", ")));
        }
    }
    Ok((result, notes, paired.pairs))
}

/// Reads the picked files of one side (parsed in the worker, like any import).
fn pick(which: char, input: HtmlInputElement, project: ProjectHandle, sides: UseStateHandle<Sides>, problems: UseStateHandle<Vec<String>>) {
    let Some(list) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::new();
        let mut unreadable = Vec::new();
        for file in &files {
            match read_bytes(file).await {
                Ok(bytes) => read.push((file.name(), bytes)),
                Err(e) => unreadable.push(format!("{}: {e}", file.name())),
            }
        }
        let count = files.len();
        let p = project.clone();
        project.read_files(read, ReadMode::Import, move |mut picked| {
            // Nothing is imported into the project: only the progress line is cleared.
            p.stop_reading();
            picked.problems.splice(0..0, unreadable);
            if !picked.documents.is_empty() {
                picked.problems.push(format!(
                    "{}: {} plain article(s) skipped: agreement compares annotation files (.json) or bundles (.zip)",
                    which,
                    picked.documents.len()
                ));
            }
            let side = Side { sets: picked.annotated.into_iter().map(|(s, _)| s).collect(), files: count, annotator: None };
            problems.set(picked.problems);
            sides.set(sides.with(which, side));
        });
    });
}

/// Reads `who`'s current version of every document of the project they annotated.
fn pick_annotator(which: char, who: String, project: ProjectHandle, sides: UseStateHandle<Sides>, problems: UseStateHandle<Vec<String>>) {
    let Some(store) = project.store() else { return };
    let ids: Vec<String> = project.state.project.entries.iter().map(|e| e.id.clone()).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(annotator) = Annotator::new(&who) else { return };
        let mut sets = Vec::new();
        let mut unreadable = Vec::new();
        for id in &ids {
            match store.annotation_set(id, &annotator).await {
                Ok(Some(set)) => sets.push(set),
                Ok(None) => {}
                Err(e) => unreadable.push(format!("{which}: {e}")),
            }
        }
        problems.set(unreadable);
        sides.set(sides.with(which, Side { sets, files: 0, annotator: Some(who) }));
    });
}

fn f3(x: f64) -> String {
    format!("{x:.3}")
}

fn row(name: &str, exact: &Counts, overlap: &Counts) -> Html {
    let bar = |f: f64, class: &'static str| {
        html! { <span class={classes!("agree-bar", class)} style={format!("width: {:.1}%", f * 100.0)}></span> }
    };
    html! {
        <tr key={name.to_string()} data-label={name.to_string()}>
            <th scope="row">{ name.to_string() }</th>
            <td data-figure="exact">{ f3(exact.f1()) }</td>
            <td data-figure="overlap">{ f3(overlap.f1()) }</td>
            <td>{ exact.a }</td>
            <td>{ exact.b }</td>
            <td class="agree-chart" aria-hidden="true">
                { bar(exact.f1(), "agree-bar-exact") }
                { bar(overlap.f1(), "agree-bar-overlap") }
            </td>
        </tr>
    }
}

fn report(r: &Agreement) -> Html {
    let k = &r.kappa;
    let att = |name: &str, c: &Counts| {
        html! {
            <p data-figure={name.to_string()}>
                { format!("Attributions {name}: F1 {} (A {}, B {}, matched {})", f3(c.f1()), c.a, c.b, c.matched) }
            </p>
        }
    };
    html! {
        <>
            <p>{ format!("{} document(s) compared.", r.documents) }</p>
            <table class="agree-table">
                <caption>{ "Entities: F1 of B against A (bars: exact, overlap)" }</caption>
                <thead><tr>
                    <th scope="col">{ "Label" }</th><th scope="col">{ "Exact F1" }</th>
                    <th scope="col">{ "Overlap F1" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th>
                    <th scope="col">{ "Chart" }</th>
                </tr></thead>
                <tbody>
                    { row("all", &r.entities_exact, &r.entities_overlap) }
                    { for r.per_label.iter().map(|(l, c)| row(l, &c.exact, &c.overlap)) }
                </tbody>
            </table>
            <p data-figure="kappa">
                { format!("Token labels: Cohen's κ {} (observed {}, chance {}, {} tokens)",
                    k.kappa().map_or("n/a".into(), f3), f3(k.observed()), f3(k.expected()), k.tokens()) }
            </p>
            { att("found", &r.attributions_found) }
            { att("full", &r.attributions_full) }
        </>
    }
}

/// The compared documents, each with a button that opens the Adjudicate view on A's and
/// B's versions of it.
fn adjudicate_list(pairs: &Rc<Vec<(AnnotationSet, AnnotationSet)>>, on_pick: &Callback<usize>) -> Html {
    html! {
        <ul class="agree-docs" aria-label="Compared documents">
            { for pairs.iter().enumerate().map(|(i, (a, _))| {
                let name = a.document.title.clone().unwrap_or_else(|| a.document.id.clone());
                let onclick = on_pick.reform(move |_: MouseEvent| i);
                html! {
                    <li key={a.document.id.clone()}>
                        { name.clone() }{ " " }
                        <button type="button" class="button" data-doc={a.document.id.clone()} {onclick}
                            aria-label={format!("Adjudicate {name}")}>{ "Adjudicate…" }</button>
                    </li>
                }
            }) }
        </ul>
    }
}

#[component]
pub fn AgreementPanel() -> Html {
    let state = use_annotator();
    let sides = use_state(Sides::default);
    let problems = use_state(Vec::<String>::new);
    let project = use_project();
    let input = |which: char| {
        let (sides, problems, project) = (sides.clone(), problems.clone(), project.clone());
        Callback::from(move |e: Event| pick(which, e.target_unchecked_into(), project.clone(), sides.clone(), problems.clone()))
    };
    let loaded = |s: &Option<Side>| match s {
        None => "none yet".to_string(),
        Some(Side { sets, annotator: Some(who), .. }) => format!("{} document(s) of {who}", sets.len()),
        Some(s) => format!("{} document(s) from {} file(s)", s.sets.len(), s.files),
    };
    // The project's annotators: this browser's, and everyone whose records sync brought.
    let mut annotators: Vec<String> = project.store().map(|s| s.annotator().to_string()).into_iter().collect();
    for list in project.state.team.values() {
        for (who, _) in list {
            if !annotators.iter().any(|a| a == who.as_str()) {
                annotators.push(who.to_string());
            }
        }
    }
    sort::sort(&mut annotators);
    let choose = |which: char| {
        let (sides, problems, project) = (sides.clone(), problems.clone(), project.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let who = select.value();
            if !who.is_empty() {
                pick_annotator(which, who, project.clone(), sides.clone(), problems.clone());
            }
        })
    };
    let chooser = |which: char| {
        let picked = match which {
            'A' => sides.a.as_ref(),
            _ => sides.b.as_ref(),
        }
        .and_then(|s| s.annotator.clone());
        html! {
            <label>{ format!("or annotator {which} from the project's team records ") }
                <select data-side-annotator={which.to_string()} onchange={choose(which)}>
                    <option value="" selected={picked.is_none()}>{ "—" }</option>
                    { for annotators.iter().map(|a| html! {
                        <option value={a.clone()} selected={picked.as_deref() == Some(a.as_str())}>{ a.clone() }</option>
                    }) }
                </select>
            </label>
        }
    };
    let result = Rc::new(sides.result.clone());
    let on_adjudicate = {
        let (pairs, dispatcher) = (sides.pairs.clone(), state.dispatcher());
        let name = |s: &Option<Side>, default: &str| s.as_ref().and_then(|s| s.annotator.clone()).unwrap_or_else(|| default.to_string());
        let (name_a, name_b) = (name(&sides.a, "A"), name(&sides.b, "B"));
        Callback::from(move |i: usize| {
            if let Some((a, b)) = pairs.get(i) {
                dispatcher.dispatch(Action::Adjudicate { annotators: vec![(name_a.clone(), a.clone()), (name_b.clone(), b.clone())] });
            }
        })
    };
    html! {
        <section class="agreement" aria-label="Agreement">
            <h3>{ "Agreement of two annotators" }</h3>
            <label>{ "Annotator A's exports " }
                <input type="file" multiple=true accept=".json,.zip" data-side="A" onchange={input('A')} />
                <span>{ loaded(&sides.a) }</span>
            </label>
            { chooser('A') }
            <label>{ "Annotator B's exports " }
                <input type="file" multiple=true accept=".json,.zip" data-side="B" onchange={input('B')} />
                <span>{ loaded(&sides.b) }</span>
            </label>
            { chooser('B') }
            if !problems.is_empty() {
                <ul class="project-problems">{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            }
            {
                match &*result {
                    Some(Ok((r, notes))) => html! {
                        <div class="agree-result">
                            { for notes.iter().map(|n| html! { <p>{ n.clone() }</p> }) }
                            { report(r) }
                            { adjudicate_list(&sides.pairs, &on_adjudicate) }
                        </div>
                    },
                    Some(Err(e)) => html! { <p class="agree-error" role="alert">{ e.clone() }</p> },
                    None => html! {},
                }
            }
        </section>
    }
}

//! The source ledger of the whole project: figures, charts, a sortable and filterable
//! table, every quote of the chosen source (with a jump to it in its article), merging
//! two sources and splitting a member off (undoable, saved with the project), and CSV /
//! JSON downloads that equal `newsmark ledger`'s files.
//!
//! Documents are read from storage once per opening (the open one from memory, so
//! unsaved changes count); the ledger itself is rebuilt from them in the app's worker
//! ([`Extractor::ledger`], which runs [`crate::core::ledger::build`]) whenever the edits
//! or the pending switch change, and the report files are written there too
//! ([`Extractor::ledger_file`]): the aggregation and the writers are not in the page wasm.
//! While the worker computes, the last ledger stays shown under "Computing the ledger…";
//! only the newest request's answer is shown. Filtering and sorting are
//! [`crate::core::ledger::table`]'s, on the page (they run on every keystroke).

use crate::core::ledger::chart::{charts, svg, Node};
use crate::core::ledger::classify::SourceType;
use crate::core::ledger::edits::{LedgerEdits, LedgerOp, MemberId};
use crate::core::ledger::export::LedgerFormat;
use crate::core::ledger::table::{rows, Column, Sort, TableFilter};
use crate::core::ledger::{GenderState, Ledger, LedgerSource, Options};
use crate::core::{AnnotationSet, AttributionId};
use crate::ui::download::download;
use crate::ui::js::js_message;
use crate::ui::persist::use_project;
use crate::ui::state::use_annotator;
use crate::ui::storage::Store;
use crate::ui::worker::{Extractor, SetsJson};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew::virtual_dom::{VNode, VTag, VText};

/// Table rows rendered before "Show all".
const ROWS_SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct LedgerViewProps {
    pub on_close: Callback<()>,
    /// Open a document and focus one of its attributions.
    pub on_jump: Callback<(String, AttributionId)>,
}

/// The project's documents as loaded for the ledger.
#[derive(Clone)]
enum Loaded {
    Loading,
    /// The sets as JSON, written once per reading: every rebuild and export sends the
    /// worker these bytes as they are, not a new serialisation of 2,000 documents.
    Ready { sets: SetsJson, load_ms: f64 },
    Failed(String),
}

/// By identity: the ledger is memoised on this, and comparing 2,000 documents by value on
/// every render would cost more than building the ledger.
impl PartialEq for Loaded {
    fn eq(&self, other: &Loaded) -> bool {
        match (self, other) {
            (Loaded::Loading, Loaded::Loading) => true,
            (Loaded::Ready { sets: a, .. }, Loaded::Ready { sets: b, .. }) => Rc::ptr_eq(a, b),
            (Loaded::Failed(a), Loaded::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// The ledger as the worker last answered.
#[derive(Clone, PartialEq)]
enum Built {
    /// Nothing answered yet.
    Nothing,
    Ready { ledger: Rc<Ledger>, build_ms: f64 },
    Failed(String),
}

/// Why nothing can be computed: the app started no worker (never expected in the app).
const NO_WORKER: &str = "the app's worker (which computes the ledger) is not running; reload to try again";

fn now_ms() -> f64 {
    // Date, not Performance: no extra web-sys feature, and milliseconds are enough here.
    js_sys::Date::now()
}

/// A chart's SVG tree as yew nodes: text is always a text node, never markup.
fn to_html(node: &Node) -> Html {
    match node {
        Node::Text(t) => VNode::from(VText::new(t.clone())),
        Node::El { tag, attrs, children } => {
            let mut el = VTag::new(*tag);
            for (k, v) in attrs {
                el.add_attribute(k, v.clone());
            }
            el.add_children(children.iter().map(to_html));
            VNode::from(el)
        }
    }
}

/// How many documents are read from storage at once: one after another, each read waits
/// for its own transaction (≈ 7 s for 2,000 documents on a busy machine); a few in flight
/// keep the database busy without queueing thousands of requests.
const READERS: usize = 16;

/// Reads the documents `ids` (the open one from memory, so unsaved changes count) with
/// [`READERS`] reads in flight, then sets `loaded` with them in project order.
fn load_all(ids: Vec<String>, store: Option<Store>, open: AnnotationSet, loaded: UseStateHandle<Loaded>) {
    struct Shared {
        next: usize,
        done: usize,
        sets: Vec<Option<AnnotationSet>>,
        failed: Option<String>,
    }
    let t0 = now_ms();
    let n = ids.len();
    let shared = Rc::new(RefCell::new(Shared { next: 0, done: 0, sets: vec![None; n], failed: None }));
    let ids = Rc::new(ids);
    let finish = {
        let (shared, loaded) = (shared.clone(), loaded.clone());
        Rc::new(move || {
            let mut s = shared.borrow_mut();
            match s.failed.take() {
                Some(m) => loaded.set(Loaded::Failed(m)),
                None => {
                    let sets: Vec<AnnotationSet> = s.sets.drain(..).flatten().collect();
                    match serde_json::to_string(&sets) {
                        Ok(json) => loaded.set(Loaded::Ready { sets: SetsJson::from(json), load_ms: now_ms() - t0 }),
                        Err(e) => loaded.set(Loaded::Failed(e.to_string())),
                    }
                }
            }
        })
    };
    if n == 0 {
        finish();
        return;
    }
    for _ in 0..READERS.min(n) {
        let (ids, shared, store, open, finish) = (ids.clone(), shared.clone(), store.clone(), open.clone(), finish.clone());
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let i = {
                    let mut s = shared.borrow_mut();
                    if s.next >= n {
                        return;
                    }
                    s.next += 1;
                    s.next - 1
                };
                let id = &ids[i];
                let got = if *id == open.document.id {
                    Ok(Some(open.clone()))
                } else {
                    match store.as_ref() {
                        Some(store) => store.load_document(id).await.map(|h| h.map(|h| h.current().clone())),
                        None => Ok(None),
                    }
                };
                let all_done = {
                    let mut s = shared.borrow_mut();
                    match got {
                        Ok(set) => s.sets[i] = set,
                        Err(e) => {
                            s.failed.get_or_insert_with(|| e.to_string());
                        }
                    }
                    s.done += 1;
                    s.done == n
                };
                if all_done {
                    finish();
                }
            }
        });
    }
}

fn type_title(t: SourceType) -> &'static str {
    t.title()
}

fn gender_title(g: GenderState) -> &'static str {
    match g {
        GenderState::Female => "female",
        GenderState::Male => "male",
        GenderState::Conflicting => "conflicting",
        GenderState::Unknown => "not stated",
    }
}

/// Has the worker write the ledger of `sets` in `format`, then downloads it; problems go
/// to `problem` (nothing is lost: the project is untouched).
fn export(sets: SetsJson, edits: LedgerEdits, options: Options, format: LedgerFormat, problem: UseStateHandle<Option<String>>) {
    let name = format!("newsmark-ledger.{}", format.extension());
    let Some(worker) = Extractor::running() else {
        return problem.set(Some(format!("could not write {name}: {NO_WORKER}")));
    };
    worker.ledger_file(sets, edits, options, format, move |r| {
        let saved = r.map_err(|m| format!("could not write {name}: {m}")).and_then(|text| {
            download(&name, format.mime(), &text).map_err(|e| format!("could not save {name}: {}", js_message(&e)))
        });
        if let Err(m) = saved {
            problem.set(Some(m));
        }
    });
}

#[component]
pub fn LedgerView(props: &LedgerViewProps) -> Html {
    let project = use_project();
    let annotator = use_annotator();
    let loaded = use_state(|| Loaded::Loading);
    let include_pending = use_state(|| false);
    let filter = use_state(TableFilter::default);
    let sort = use_state(Sort::default);
    let chosen = use_state(|| None::<String>);
    let picked = use_state(Vec::<String>::new);
    let problem = use_state(|| None::<String>);
    // A 2,000-article project has thousands of per-article anonymous sources: the table
    // shows the first rows of the current order until asked for all.
    let show_all = use_state(|| false);

    // Read every document once per opening, and again when the list of documents changes
    // or an import finishes (imported articles are stored as their extraction completes).
    {
        let loaded = loaded.clone();
        let ids: Vec<String> = project.state.project.entries.iter().map(|e| e.id.clone()).collect();
        let importing = project.state.progress.is_some();
        let store = project.store();
        let open = annotator.set().clone();
        use_effect_with((ids, importing), move |(ids, _)| load_all(ids.clone(), store, open, loaded));
    }

    let edits = project.state.project.ledger.clone();
    let built = use_state(|| Built::Nothing);
    let computing = use_state(|| false);
    // The newest request: an older answer arriving later is not shown.
    let latest = use_mut_ref(|| 0u32);
    // "Try again" after a failure asks anew.
    let attempt = use_state(|| 0u32);
    {
        let (built, computing, latest) = (built.clone(), computing.clone(), latest.clone());
        let key = ((*loaded).clone(), edits.clone(), *include_pending, *attempt);
        use_effect_with(key, move |(loaded, edits, pending, _)| {
            if let Loaded::Ready { sets, .. } = loaded {
                let token = {
                    let mut l = latest.borrow_mut();
                    *l += 1;
                    *l
                };
                computing.set(true);
                let answered = move |r: Result<(Ledger, f64), String>| {
                    if *latest.borrow() != token {
                        return;
                    }
                    computing.set(false);
                    built.set(match r {
                        Ok((ledger, build_ms)) => Built::Ready { ledger: Rc::new(ledger), build_ms },
                        Err(m) => Built::Failed(m),
                    });
                };
                match Extractor::running() {
                    Some(worker) => worker.ledger(sets.clone(), edits.clone(), Options { include_pending: *pending }, answered),
                    None => answered(Err(NO_WORKER.to_string())),
                }
            }
        });
    }

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let header = html! {
        <div class="ledger-bar">
            <h2 id="ledger-title">{"Source ledger"}</h2>
            <button type="button" class="button" onclick={close}>{"Back to the article"}</button>
        </div>
    };
    let (l, build_ms) = match (&*built, &*loaded) {
        (_, Loaded::Failed(m)) => {
            return html! { <section class="ledger" aria-labelledby="ledger-title">{header}<p class="ledger-problem" role="alert">{ format!("The ledger could not read the project: {m}") }</p></section> };
        }
        (_, Loaded::Loading) => {
            return html! { <section class="ledger" aria-labelledby="ledger-title" aria-busy="true">{header}<p role="status">{"Reading the project…"}</p></section> };
        }
        (Built::Failed(m), _) if !*computing => {
            let retry = {
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
            };
            return html! {
                <section class="ledger" aria-labelledby="ledger-title">
                    {header}
                    <p class="ledger-problem" role="alert">{ format!("The ledger could not be computed: {m}. Your project is unchanged.") }</p>
                    <button type="button" class="button ledger-retry" onclick={retry}>{"Try again"}</button>
                </section>
            };
        }
        (Built::Ready { ledger, build_ms }, _) => (ledger.clone(), *build_ms),
        _ => {
            return html! { <section class="ledger" aria-labelledby="ledger-title" aria-busy="true">{header}<p class="ledger-computing" role="status">{"Computing the ledger…"}</p></section> };
        }
    };
    let load_ms = match &*loaded {
        Loaded::Ready { load_ms, .. } => *load_ms,
        _ => 0.0,
    };

    let s = &l.summary;
    let summary = format!(
        "{} article{}, {} quotes ({} without a source), {} sources; {} direct, {} mixed, {} indirect; anonymous share {:.1} %.",
        s.documents,
        if s.documents == 1 { "" } else { "s" },
        s.attributions,
        s.unsourced,
        s.sources,
        s.direct,
        s.mixed,
        s.indirect,
        s.anonymous_share * 100.0
    );

    let toggle_pending = {
        let p = include_pending.clone();
        Callback::from(move |_: Event| p.set(!*p))
    };
    let on_query = {
        let f = filter.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            f.set(TableFilter { query: input.value(), ..(*f).clone() });
        })
    };
    let on_kind = {
        let f = filter.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() else { return };
            f.set(TableFilter { kind: SourceType::parse(&sel.value()), ..(*f).clone() });
        })
    };
    let on_gender = {
        let f = filter.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() else { return };
            let g = GenderState::ALL.into_iter().find(|g| g.as_str() == sel.value());
            f.set(TableFilter { gender: g, ..(*f).clone() });
        })
    };
    let edit = |op: &'static str| {
        let project = project.clone();
        Callback::from(move |_: MouseEvent| {
            project.edit_ledger(|e| if op == "undo" { e.undo() } else { e.redo() });
        })
    };
    let exporter = |format: LedgerFormat| {
        let (loaded, edits, pending, problem) = (loaded.clone(), edits.clone(), *include_pending, problem.clone());
        Callback::from(move |_: MouseEvent| {
            if let Loaded::Ready { sets, .. } = &*loaded {
                problem.set(None);
                export(sets.clone(), edits.clone(), Options { include_pending: pending }, format, problem.clone());
            }
        })
    };
    let merge = {
        let (project, picked, l, chosen) = (project.clone(), picked.clone(), l.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            let [a, b] = picked.as_slice() else { return };
            // The source with more quotes keeps its name; the other joins it.
            let count = |k: &str| l.source(k).map_or(0, |s| s.attributions);
            let (into, from) = if count(b) > count(a) { (b.clone(), a.clone()) } else { (a.clone(), b.clone()) };
            project.edit_ledger(|e| e.push(LedgerOp::Merge { from, into: into.clone() }));
            picked.set(Vec::new());
            chosen.set(Some(into));
        })
    };

    let chart_click = {
        let chosen = chosen.clone();
        Callback::from(move |e: MouseEvent| {
            let key = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("[data-key]").ok().flatten())
                .and_then(|el| el.get_attribute("data-key"));
            if key.is_some() {
                chosen.set(key);
            }
        })
    };
    let figures = charts(&l).into_iter().map(|c| {
        let onclick = (c.id == "top-sources").then(|| chart_click.clone());
        html! {
            <figure class="ledger-figure" id={format!("chart-{}", c.id)} {onclick}>
                <figcaption>{ c.title.clone() }</figcaption>
                { to_html(&svg(&c)) }
            </figure>
        }
    });

    let shown = rows(&l, &filter, *sort);
    let head = Column::ALL.iter().map(|&col| {
        let aria_sort = if sort.column == col { if sort.descending { "descending" } else { "ascending" } } else { "none" };
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_: MouseEvent| sort.set(sort.click(col)))
        };
        let extra = (col == Column::Type).then(|| html! { <><th scope="col">{"Role"}</th><th scope="col">{"Affiliation"}</th></> });
        html! {
            <>
            <th scope="col" aria-sort={aria_sort}><button type="button" class="sort" {onclick}>{ col.title() }</button></th>
            { for extra }
            </>
        }
    });
    let limit = if *show_all { shown.len() } else { ROWS_SHOWN.min(shown.len()) };
    let more = (limit < shown.len()).then(|| {
        let show_all = show_all.clone();
        let onclick = Callback::from(move |_: MouseEvent| show_all.set(true));
        html! { <button type="button" class="button ledger-more" {onclick}>{ format!("Show all {} sources", shown.len()) }</button> }
    });
    let body = shown[..limit].iter().map(|src| {
        let key = src.key.clone();
        let is_picked = picked.contains(&key);
        let toggle = {
            let (picked, key) = (picked.clone(), key.clone());
            Callback::from(move |_: Event| {
                let mut v = (*picked).clone();
                match v.iter().position(|k| *k == key) {
                    Some(i) => {
                        v.remove(i);
                    }
                    None => v.push(key.clone()),
                }
                picked.set(v);
            })
        };
        let choose = {
            let (chosen, key) = (chosen.clone(), key.clone());
            Callback::from(move |_: MouseEvent| chosen.set(Some(key.clone())))
        };
        let is_chosen = chosen.as_deref() == Some(key.as_str());
        html! {
            <tr key={key.clone()} class={classes!("ledger-row", is_chosen.then_some("ledger-row-chosen"))} data-key={key.clone()} data-type={src.kind.as_str()}>
                <td><input type="checkbox" checked={is_picked} onchange={toggle} aria-label={format!("Pick {} for merging", src.name)} /></td>
                <td><button type="button" class="ledger-source" onclick={choose} aria-pressed={is_chosen.to_string()}>{ src.name.clone() }</button></td>
                <td>{ type_title(src.kind) }</td>
                <td>{ src.roles.join("; ") }</td>
                <td>{ src.affiliations.join("; ") }</td>
                <td>{ gender_title(src.gender) }</td>
                <td class="n">{ src.attributions }</td>
                <td class="n">{ src.articles }</td>
                <td class="n">{ src.direct }</td>
                <td class="n">{ src.mixed }</td>
                <td class="n">{ src.indirect }</td>
            </tr>
        }
    });

    let detail = chosen.as_deref().and_then(|k| l.source(k)).map(|src| detail_panel(src, &project, &props.on_jump));
    let kinds = SourceType::ALL.iter().map(|t| html! { <option value={t.as_str()} selected={filter.kind == Some(*t)}>{ t.title() }</option> });
    let genders = GenderState::ALL.iter().map(|g| html! { <option value={g.as_str()} selected={filter.gender == Some(*g)}>{ gender_title(*g) }</option> });

    html! {
        <section class="ledger" aria-labelledby="ledger-title" aria-busy={computing.to_string()} data-pending={l.include_pending.to_string()} data-build-ms={format!("{build_ms:.1}")} data-load-ms={format!("{load_ms:.1}")} data-sources={s.sources.to_string()}>
            { header }
            <p class="ledger-summary">{ summary }</p>
            if *computing { <p class="ledger-computing" role="status">{"Computing the ledger…"}</p> }
            <div class="ledger-controls">
                <label><input type="checkbox" class="ledger-pending" checked={*include_pending} onchange={toggle_pending} />{" Include pending suggestions"}</label>
                <label>{"Filter "}<input type="search" class="ledger-query" value={filter.query.clone()} oninput={on_query} placeholder="name, role, affiliation" /></label>
                <label>{"Type "}<select class="ledger-type" onchange={on_kind}><option value="" selected={filter.kind.is_none()}>{"All types"}</option>{ for kinds }</select></label>
                <label>{"Gender "}<select class="ledger-gender" onchange={on_gender}><option value="" selected={filter.gender.is_none()}>{"All"}</option>{ for genders }</select></label>
            </div>
            <div class="ledger-controls">
                <button type="button" class="button ledger-merge" disabled={picked.len() != 2} onclick={merge}>{ format!("Merge picked sources ({} of 2)", picked.len()) }</button>
                <button type="button" class="button" disabled={!edits.can_undo()} onclick={edit("undo")}>{"Undo ledger edit"}</button>
                <button type="button" class="button" disabled={!edits.can_redo()} onclick={edit("redo")}>{"Redo ledger edit"}</button>
                <button type="button" class="button ledger-csv" onclick={exporter(LedgerFormat::Csv)}>{"Export CSV"}</button>
                <button type="button" class="button ledger-json" onclick={exporter(LedgerFormat::Json)}>{"Export JSON"}</button>
                <button type="button" class="button ledger-md" onclick={exporter(LedgerFormat::Md)}>{"Export Markdown"}</button>
                <button type="button" class="button ledger-html" onclick={exporter(LedgerFormat::Html)}>{"Export HTML report"}</button>
            </div>
            if let Some(m) = &*problem { <p class="ledger-problem" role="alert">{ m.clone() }</p> }
            <div class="ledger-charts">{ for figures }</div>
            { for detail }
            <table class="ledger-table">
                <caption>{ format!("{} of {} sources{}", shown.len(), l.sources.len(), if limit < shown.len() { format!(", first {limit} shown") } else { String::new() }) }</caption>
                <thead><tr><th scope="col"><span class="visually-hidden">{"Pick"}</span></th>{ for head }</tr></thead>
                <tbody>{ for body }</tbody>
            </table>
            { for more }
        </section>
    }
}

/// Everything about one source: figures, gender evidence, members (split one off) and
/// every quote with a button that opens it in its article.
fn detail_panel(
    src: &LedgerSource,
    project: &crate::ui::persist::ProjectHandle,
    on_jump: &Callback<(String, AttributionId)>,
) -> Html {
    let title = |doc: &str| project.state.project.get(doc).map(|e| e.label().to_string()).unwrap_or_else(|| doc.to_string());
    let evidence = src.gender_evidence.iter().map(|e| {
        html! { <li>{ format!("{}: “{}” ({}) in {}", e.gender.as_str(), e.text, match e.kind { crate::core::ledger::classify::EvidenceKind::Pronoun => "pronoun", _ => "title" }, title(&e.document)) }</li> }
    });
    let members = src.members.iter().map(|m| {
        let split = (src.members.len() > 1).then(|| {
            let project = project.clone();
            let member = MemberId { document: m.document.clone(), key: m.key.clone() };
            let onclick = Callback::from(move |_: MouseEvent| {
                let member = member.clone();
                project.edit_ledger(|e| e.push(LedgerOp::Split { member }));
            });
            html! { <button type="button" class="button ledger-split" {onclick}>{ format!("Split “{}” in {} off", m.name, m.document) }</button> }
        });
        html! { <li>{ format!("“{}” in {} ({} quotes) ", m.name, title(&m.document), m.attributions) }{ for split }</li> }
    });
    let quotes = src.quotes.iter().map(|q| {
        let id = q.attribution.trim_start_matches('a').parse::<u32>().ok().map(AttributionId);
        let onclick = {
            let (on_jump, doc) = (on_jump.clone(), q.document.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(id) = id {
                    on_jump.emit((doc.clone(), id));
                }
            })
        };
        html! {
            <li class="ledger-quote" data-document={q.document.clone()} data-attribution={q.attribution.clone()}>
                <p class="ledger-quote-meta">{ format!("{} · {} {} · {}", title(&q.document), q.source_text, q.cue.clone().unwrap_or_default(), q.kind.as_str()) }</p>
                <blockquote>{ q.content.clone() }</blockquote>
                <button type="button" class="button ledger-jump" {onclick}>{"Show in the article"}</button>
            </li>
        }
    });
    html! {
        <section class="ledger-detail" aria-label={format!("Quotes of {}", src.name)}>
            <h3>{ src.name.clone() }</h3>
            <p>{ format!("{} · {} quotes in {} articles · {} direct, {} mixed, {} indirect", src.kind.title(), src.attributions, src.articles, src.direct, src.mixed, src.indirect) }</p>
            <p>{ format!("Gender: {}", gender_title(src.gender)) }</p>
            if !src.gender_evidence.is_empty() { <ul class="ledger-evidence">{ for evidence }</ul> }
            <h4>{"Counted from"}</h4>
            <ul class="ledger-members">{ for members }</ul>
            <h4>{"Quotes"}</h4>
            <ol class="ledger-quotes">{ for quotes }</ol>
        </section>
    }
}

//! The root component: creates the reducer, provides it as context and lays out the page.

use crate::extract::AnnotationSet;
use crate::ui::components::{AlertRegion, Article, Toolbar};
use crate::ui::sample::sample_set;
use crate::ui::state::{Annotator, AnnotatorContext};
use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What to open on; the sample article when `None` (tests pass their own set).
    #[prop_or_default]
    pub initial: Option<AnnotationSet>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || Annotator::new(initial.unwrap_or_else(sample_set)));
    html! {
        <ContextProvider<AnnotatorContext> context={state}>
            <div class="app">
                <header class="app-header">
                    <h1 class="app-name">{"newsmark"}</h1>
                    <Toolbar />
                </header>
                <AlertRegion />
                <main class="app-main">
                    <Article />
                </main>
            </div>
        </ContextProvider<AnnotatorContext>>
    }
}

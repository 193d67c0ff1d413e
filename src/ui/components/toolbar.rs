//! The file actions above the article.

use crate::ui::components::{ExportButton, OpenButton};
use yew::prelude::*;

#[component]
pub fn Toolbar() -> Html {
    html! {
        <div class="toolbar">
            <OpenButton />
            <ExportButton />
        </div>
    }
}

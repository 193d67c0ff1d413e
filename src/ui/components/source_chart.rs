//! A small SVG bar chart of who is quoted: one bar per source, split into direct,
//! indirect and mixed quotes. Clicking a row focuses that source's first attribution.

use crate::core::edit::review::SourceGroup;
use crate::core::{AttributionId, Target};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SourceChartProps {
    pub groups: Rc<Vec<SourceGroup>>,
    pub on_pick: Callback<Target>,
}

const ROW: f64 = 22.0;
const LABEL_W: f64 = 150.0;
const BAR_W: f64 = 110.0;

#[component]
pub fn SourceChart(props: &SourceChartProps) -> Html {
    let max = props.groups.iter().map(SourceGroup::total).max().unwrap_or(1).max(1) as f64;
    let height = ROW * props.groups.len() as f64;
    let rows = props.groups.iter().enumerate().map(|(i, g)| {
        let y = i as f64 * ROW;
        let scale = BAR_W / max;
        let parts = [(g.direct, "bar-direct"), (g.indirect, "bar-indirect"), (g.mixed, "bar-mixed")];
        let mut x = LABEL_W;
        let bars: Html = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, class)| {
                let w = *n as f64 * scale;
                let rect = html! { <rect class={*class} x={x.to_string()} y={(y + 4.0).to_string()} width={w.to_string()} height="14" /> };
                x += w;
                rect
            })
            .collect();
        let first: Option<AttributionId> = g.attributions.first().copied();
        let onclick = {
            let pick = props.on_pick.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(id) = first {
                    pick.emit(Target::Attribution(id));
                }
            })
        };
        let name: String = g.name.chars().take(22).collect();
        let summary = format!("{}: {} direct, {} indirect, {} mixed", g.name, g.direct, g.indirect, g.mixed);
        html! {
            <g key={first.map(|a| a.to_string()).unwrap_or_default()} class="chart-row" {onclick}>
                <title>{ summary }</title>
                <text x="0" y={(y + 15.0).to_string()} class="chart-label">{ name }</text>
                { bars }
                <text x={(x + 4.0).to_string()} y={(y + 15.0).to_string()} class="chart-count">{ g.total() }</text>
            </g>
        }
    });
    html! {
        <svg class="source-chart" role="img" aria-label="Quotes per source: dark blue direct, light blue indirect, purple mixed"
             viewBox={format!("0 0 {} {}", LABEL_W + BAR_W + 30.0, height.max(ROW))} width="100%">
            { for rows }
        </svg>
    }
}

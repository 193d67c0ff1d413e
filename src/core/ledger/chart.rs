//! The ledger's charts, drawn once as a small SVG element tree that both the app (yew
//! turns it into DOM nodes, text as text nodes) and the HTML report (serialised with
//! escaping) show, so the two can never disagree.
//!
//! Every chart is a horizontal bar chart of labelled rows with stacked segments: that
//! covers top sources (direct / mixed / indirect), the anonymous share, direct vs
//! indirect, sources per article and the type and gender breakdowns. Hand-written rather
//! than `plotters`: see DESIGN.md ("Ledger charts") for the measured cost and reasons.

use super::{GenderState, Ledger};
use super::classify::SourceType;

/// An SVG element or a text node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    El { tag: &'static str, attrs: Vec<(&'static str, String)>, children: Vec<Node> },
    Text(String),
}

impl Node {
    fn el(tag: &'static str, attrs: Vec<(&'static str, String)>, children: Vec<Node>) -> Node {
        Node::El { tag, attrs, children }
    }

    /// The markup, every attribute value and text escaped.
    pub fn to_markup(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Node::Text(t) => escape_into(out, t),
            Node::El { tag, attrs, children } => {
                out.push('<');
                out.push_str(tag);
                if *tag == "svg" {
                    out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
                }
                for (k, v) in attrs {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_into(out, v);
                    out.push('"');
                }
                out.push('>');
                for c in children {
                    c.write(out);
                }
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }
}

/// Escapes text for HTML/SVG content and attribute values.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// What a segment counts (its colour and legend text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Direct,
    Mixed,
    Indirect,
    Count,
    Anonymous,
}

impl Segment {
    pub fn colour(self) -> &'static str {
        match self {
            Segment::Direct => "#1f4e8c",
            Segment::Mixed => "#7b4fa0",
            Segment::Indirect => "#7fa7d9",
            Segment::Count => "#3d6b4f",
            Segment::Anonymous => "#a8452e",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Segment::Direct => "direct",
            Segment::Mixed => "mixed",
            Segment::Indirect => "indirect",
            Segment::Count => "count",
            Segment::Anonymous => "anonymous",
        }
    }
}

/// One row of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<(Segment, usize)>,
    /// The source key a click selects (top sources only).
    pub key: Option<String>,
    /// Shown after the bar (defaults to the total).
    pub note: Option<String>,
}

impl Bar {
    fn total(&self) -> usize {
        self.segments.iter().map(|(_, n)| n).sum()
    }
}

/// One chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Stable id (`top-sources`, …), used for headings' ids and tests.
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
    pub legend: Vec<Segment>,
}

/// How many sources the top-sources chart shows.
pub const TOP: usize = 15;

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "0 %".into()
    } else {
        format!("{:.0} %", n as f64 * 100.0 / of as f64)
    }
}

/// The charts of a ledger, in the order they are shown.
pub fn charts(ledger: &Ledger) -> Vec<Chart> {
    let s = &ledger.summary;
    let kinds = [Segment::Direct, Segment::Mixed, Segment::Indirect];
    let top = Chart {
        id: "top-sources",
        title: format!("Top sources (of {})", s.sources),
        bars: ledger
            .sources
            .iter()
            .take(TOP)
            .map(|src| Bar {
                label: src.name.clone(),
                segments: vec![(Segment::Direct, src.direct), (Segment::Mixed, src.mixed), (Segment::Indirect, src.indirect)],
                key: Some(src.key.clone()),
                note: None,
            })
            .collect(),
        legend: kinds.to_vec(),
    };
    let sourced: usize = s.by_type.iter().map(|t| t.attributions).sum();
    let anonymous = s.by_type.iter().find(|t| t.name == SourceType::Anonymous.as_str()).map_or(0, |t| t.attributions);
    let share = Chart {
        id: "anonymous-share",
        title: format!("Anonymous sourcing: {} of quotes", percent(anonymous, sourced)),
        bars: vec![
            Bar { label: "Anonymous".into(), segments: vec![(Segment::Anonymous, anonymous)], key: None, note: Some(format!("{anonymous} ({})", percent(anonymous, sourced))) },
            Bar {
                label: "Other sources".into(),
                segments: vec![(Segment::Count, sourced - anonymous)],
                key: None,
                note: Some(format!("{} ({})", sourced - anonymous, percent(sourced - anonymous, sourced))),
            },
        ],
        // The rows name themselves: no legend.
        legend: Vec::new(),
    };
    let total = s.direct + s.mixed + s.indirect;
    let kind_bar = |label: &str, seg: Segment, n: usize| Bar { label: label.into(), segments: vec![(seg, n)], key: None, note: Some(format!("{n} ({})", percent(n, total))) };
    let direct = Chart {
        id: "direct-indirect",
        title: "Direct vs indirect quotes".into(),
        bars: vec![kind_bar("Direct", Segment::Direct, s.direct), kind_bar("Mixed", Segment::Mixed, s.mixed), kind_bar("Indirect", Segment::Indirect, s.indirect)],
        legend: kinds.to_vec(),
    };
    let most = s.sources_per_article.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let per_article = Chart {
        id: "sources-per-article",
        title: "Sources per article".into(),
        bars: (0..=most)
            .map(|k| {
                let n = s.sources_per_article.iter().filter(|(_, c)| *c == k).count();
                Bar {
                    label: format!("{k} source{}", if k == 1 { "" } else { "s" }),
                    segments: vec![(Segment::Count, n)],
                    key: None,
                    note: Some(format!("{n} article{}", if n == 1 { "" } else { "s" })),
                }
            })
            .collect(),
        legend: Vec::new(),
    };
    let by_type = Chart {
        id: "by-type",
        title: "Sources by type".into(),
        bars: s
            .by_type
            .iter()
            .filter_map(|t| {
                let ty = SourceType::parse(&t.name)?;
                let seg = if ty == SourceType::Anonymous { Segment::Anonymous } else { Segment::Count };
                Some(Bar { label: ty.title().into(), segments: vec![(seg, t.sources)], key: None, note: Some(format!("{} ({} quotes)", t.sources, t.attributions)) })
            })
            .collect(),
        legend: Vec::new(),
    };
    let by_gender = Chart {
        id: "by-gender",
        title: "Named people by gender (as the articles state it)".into(),
        bars: s
            .by_gender
            .iter()
            .map(|g| {
                let label = match GenderState::ALL.iter().find(|x| x.as_str() == g.name) {
                    Some(GenderState::Female) => "Female",
                    Some(GenderState::Male) => "Male",
                    Some(GenderState::Conflicting) => "Conflicting",
                    _ => "Not stated",
                };
                Bar { label: label.into(), segments: vec![(Segment::Count, g.sources)], key: None, note: Some(format!("{} ({} quotes)", g.sources, g.attributions)) }
            })
            .collect(),
        legend: Vec::new(),
    };
    vec![top, share, direct, per_article, by_type, by_gender]
}

const ROW: usize = 22;
const LABEL_W: usize = 170;
const BAR_W: usize = 220;
const NOTE_W: usize = 110;

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// The chart as an SVG tree: a `<title>` per row for the full figures, `data-key` on
/// clickable rows, a legend line under the bars.
pub fn svg(chart: &Chart) -> Node {
    let max = chart.bars.iter().map(Bar::total).max().unwrap_or(0).max(1);
    let legend_h = if chart.legend.is_empty() { 0 } else { ROW };
    let height = ROW * chart.bars.len().max(1) + legend_h;
    let width = LABEL_W + BAR_W + NOTE_W;
    let mut rows = Vec::new();
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = i * ROW;
        let mut x = LABEL_W as f64;
        let mut children = vec![Node::el(
            "title",
            vec![],
            vec![Node::Text(format!(
                "{}: {}",
                bar.label,
                bar.segments.iter().map(|(s, n)| format!("{n} {}", s.title())).collect::<Vec<_>>().join(", ")
            ))],
        )];
        children.push(Node::el(
            "text",
            vec![("x", "0".into()), ("y", (y + 15).to_string()), ("font-size", "12".into())],
            vec![Node::Text(truncate(&bar.label, 26))],
        ));
        for (seg, n) in bar.segments.iter().filter(|(_, n)| *n > 0) {
            let w = *n as f64 * BAR_W as f64 / max as f64;
            children.push(Node::el(
                "rect",
                vec![
                    ("x", format!("{x:.1}")),
                    ("y", (y + 4).to_string()),
                    ("width", format!("{w:.1}")),
                    ("height", "14".into()),
                    ("fill", seg.colour().into()),
                ],
                vec![],
            ));
            x += w;
        }
        let note = bar.note.clone().unwrap_or_else(|| bar.total().to_string());
        children.push(Node::el(
            "text",
            vec![("x", format!("{:.1}", x + 4.0)), ("y", (y + 15).to_string()), ("font-size", "12".into())],
            vec![Node::Text(note)],
        ));
        let mut attrs = vec![("class", "chart-row".to_string())];
        if let Some(k) = &bar.key {
            attrs.push(("data-key", k.clone()));
        }
        rows.push(Node::el("g", attrs, children));
    }
    if !chart.legend.is_empty() {
        let y = ROW * chart.bars.len().max(1);
        let mut x = 0;
        for seg in &chart.legend {
            rows.push(Node::el(
                "rect",
                vec![("x", x.to_string()), ("y", (y + 6).to_string()), ("width", "12".into()), ("height", "12".into()), ("fill", seg.colour().into())],
                vec![],
            ));
            rows.push(Node::el(
                "text",
                vec![("x", (x + 16).to_string()), ("y", (y + 16).to_string()), ("font-size", "12".into())],
                vec![Node::Text(seg.title().into())],
            ));
            x += 90;
        }
    }
    let summary = chart
        .bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.note.clone().unwrap_or_else(|| b.total().to_string())))
        .collect::<Vec<_>>()
        .join("; ");
    Node::el(
        "svg",
        vec![
            ("class", "ledger-chart".into()),
            ("role", "img".into()),
            ("aria-label", format!("{}: {}", chart.title, truncate(&summary, 400))),
            ("viewBox", format!("0 0 {width} {height}")),
            ("width", "100%".into()),
            ("font-family", "system-ui, sans-serif".into()),
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_text_and_attributes() {
        let chart = Chart {
            id: "t",
            title: "<b>".into(),
            bars: vec![Bar { label: "A & <script>".into(), segments: vec![(Segment::Direct, 2)], key: Some("k\"x".into()), note: None }],
            legend: vec![Segment::Direct],
        };
        let m = svg(&chart).to_markup();
        assert!(m.contains("A &amp; &lt;script&gt;"), "{m}");
        assert!(m.contains("data-key=\"k&quot;x\""), "{m}");
        assert!(!m.contains("<script>"));
        assert!(m.starts_with("<svg xmlns="));
    }

    #[test]
    fn empty_chart_has_a_size() {
        let chart = Chart { id: "t", title: "none".into(), bars: vec![], legend: vec![] };
        assert!(svg(&chart).to_markup().contains("viewBox=\"0 0 500 22\""));
    }
}

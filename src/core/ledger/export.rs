//! The ledger written out: CSV (one row per source), JSON (everything, quotes and the
//! editor's merges included), Markdown and a self-contained HTML report with the charts.
//! The app's downloads and `newsmark ledger` call these same functions, so their files
//! are byte for byte the same.

use super::chart::{charts, escape, svg};
use super::edits::LedgerEdits;
use super::{GenderState, Ledger, LedgerSource};
use std::fmt;

/// The formats a ledger is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LedgerFormat {
    Csv,
    Json,
    Md,
    Html,
}

impl LedgerFormat {
    pub fn extension(self) -> &'static str {
        match self {
            LedgerFormat::Csv => "csv",
            LedgerFormat::Json => "json",
            LedgerFormat::Md => "md",
            LedgerFormat::Html => "html",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            LedgerFormat::Csv => "text/csv",
            LedgerFormat::Json => "application/json",
            LedgerFormat::Md => "text/markdown",
            LedgerFormat::Html => "text/html",
        }
    }
}

/// Writes `ledger` in `format`.
pub fn write(ledger: &Ledger, format: LedgerFormat) -> String {
    match format {
        LedgerFormat::Csv => csv(ledger),
        LedgerFormat::Json => json(ledger),
        LedgerFormat::Md => markdown(ledger),
        LedgerFormat::Html => html(ledger),
    }
}

pub const CSV_HEADER: &str =
    "key,name,type,roles,affiliations,gender,gender_evidence,attributions,articles,direct,mixed,indirect,documents";

/// One CSV field: quoted when needed (RFC 4180); a leading `=`, `+`, `-` or `@` gets a `'`
/// so spreadsheets do not run a name as a formula.
fn field(out: &mut String, s: &str) {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn evidence_text(s: &LedgerSource) -> String {
    s.gender_evidence
        .iter()
        .map(|e| format!("{} {} ({} in {} {})", e.gender.as_str(), e.text, kind_word(e.kind), e.document, e.attribution))
        .collect::<Vec<_>>()
        .join("; ")
}

fn kind_word(k: super::classify::EvidenceKind) -> &'static str {
    match k {
        super::classify::EvidenceKind::Pronoun => "pronoun",
        super::classify::EvidenceKind::Title => "title",
    }
}

fn documents(s: &LedgerSource) -> Vec<&str> {
    let mut d: Vec<&str> = Vec::new();
    for q in &s.quotes {
        if !d.contains(&q.document.as_str()) {
            d.push(&q.document);
        }
    }
    d
}

/// One row per source, in ledger order; lists inside a field are joined by "; ".
pub fn csv(ledger: &Ledger) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for s in &ledger.sources {
        let cells: [String; 13] = [
            s.key.clone(),
            s.name.clone(),
            s.kind.as_str().into(),
            s.roles.join("; "),
            s.affiliations.join("; "),
            s.gender.as_str().into(),
            evidence_text(s),
            s.attributions.to_string(),
            s.articles.to_string(),
            s.direct.to_string(),
            s.mixed.to_string(),
            s.indirect.to_string(),
            documents(s).join("; "),
        ];
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, c);
        }
        out.push_str("\r\n");
    }
    out
}

/// Everything, pretty-printed, ending in a newline.
pub fn json(ledger: &Ledger) -> String {
    let mut s = serde_json::to_string_pretty(ledger).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Why a ledger file's edits could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditsError(pub String);

impl fmt::Display for EditsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the ledger edits: {}", self.0)
    }
}

impl std::error::Error for EditsError {}

/// The merges and splits of a ledger JSON export (its `edits`), or of a bare edits
/// object, so the command line can replay what editors did in the app.
pub fn read_edits(input: &str) -> Result<LedgerEdits, EditsError> {
    let v: serde_json::Value = serde_json::from_str(input.trim_start_matches('\u{feff}')).map_err(|e| EditsError(e.to_string()))?;
    let edits = match v.get("edits") {
        Some(e) => e.clone(),
        None if v.get("ops").is_some() => v,
        None => return Err(EditsError("no \"edits\" field: give a ledger JSON export".into())),
    };
    serde_json::from_value(edits).map_err(|e| EditsError(e.to_string()))
}

fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn share(ledger: &Ledger) -> String {
    format!("{:.1} %", ledger.summary.anonymous_share * 100.0)
}

/// The summary sentence both reports open with (without its final full stop).
fn summary_sentence(ledger: &Ledger) -> String {
    let s = &ledger.summary;
    format!(
        "{} documents, {} attributions ({} without a source), {} sources; {} direct, {} mixed, {} indirect; anonymous share {}{}",
        s.documents,
        s.attributions,
        s.unsourced,
        s.sources,
        s.direct,
        s.mixed,
        s.indirect,
        share(ledger),
        if ledger.include_pending { "; pending suggestions included" } else { "" }
    )
}

/// The report tables' columns: the source's name, its type, the four text cells of
/// [`text_cells`] after the name, then the five counts of [`count_cells`].
const COLUMNS: [&str; 10] = ["Source", "Type", "Role", "Affiliation", "Gender", "Quotes", "Articles", "Direct", "Mixed", "Indirect"];

/// A source's text cells, unescaped: name, roles, affiliations, gender.
fn text_cells(src: &LedgerSource) -> [String; 4] {
    [src.name.clone(), src.roles.join("; "), src.affiliations.join("; "), gender_cell(src)]
}

fn count_cells(src: &LedgerSource) -> [usize; 5] {
    [src.attributions, src.articles, src.direct, src.mixed, src.indirect]
}

fn gender_cell(s: &LedgerSource) -> String {
    match s.gender {
        GenderState::Unknown => "unknown".into(),
        g => format!("{} ({})", g.as_str(), evidence_text(s)),
    }
}

/// A summary and one table row per source.
pub fn markdown(ledger: &Ledger) -> String {
    let mut out = format!("# Source ledger\n\n{}.\n\n", summary_sentence(ledger));
    out.push_str(&format!("| {} |\n", COLUMNS.join(" | ")));
    out.push_str("|---|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for src in &ledger.sources {
        let [name, roles, affiliations, gender] = text_cells(src).map(|t| md_cell(&t));
        let mut row = vec![name, src.kind.as_str().to_string(), roles, affiliations, gender];
        row.extend(count_cells(src).map(|n| n.to_string()));
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// A self-contained page (no scripts, no external resources): figures, the charts as
/// inline SVG, the table and every quote under its source.
pub fn html(ledger: &Ledger) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Source ledger</title>\n\
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}\
th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right}\
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem}figure{margin:0}\
blockquote{margin:.25rem 0 .5rem 1rem;color:#333}</style>\n</head>\n<body>\n<h1>Source ledger</h1>\n",
    );
    out.push_str(&format!("<p>{}.</p>\n", summary_sentence(ledger)));
    out.push_str("<div class=\"charts\">\n");
    for c in charts(ledger) {
        out.push_str(&format!("<figure id=\"{}\"><figcaption><h2>{}</h2></figcaption>", c.id, escape(&c.title)));
        out.push_str(&svg(&c).to_markup());
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n<h2>Sources</h2>\n<table>\n<thead><tr>");
    COLUMNS.iter().for_each(|c| out.push_str(&format!("<th>{c}</th>")));
    out.push_str("</tr></thead>\n<tbody>\n");
    for src in &ledger.sources {
        let [name, roles, affiliations, gender] = text_cells(src).map(|t| escape(&t));
        out.push_str("<tr>");
        for t in [name, src.kind.title().to_string(), roles, affiliations, gender] {
            out.push_str(&format!("<td>{t}</td>"));
        }
        count_cells(src).iter().for_each(|n| out.push_str(&format!("<td class=\"n\">{n}</td>")));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n<h2>Quotes by source</h2>\n");
    for src in &ledger.sources {
        out.push_str(&format!("<details><summary>{} ({})</summary>\n", escape(&src.name), src.attributions));
        for q in &src.quotes {
            out.push_str(&format!(
                "<p>{} {} · {} {}, {}</p><blockquote>{}</blockquote>\n",
                escape(&q.document),
                escape(&q.attribution),
                escape(&q.source_text),
                escape(q.cue.as_deref().unwrap_or("")),
                q.kind.as_str(),
                escape(&q.content)
            ));
        }
        out.push_str("</details>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_guarded() {
        let mut out = String::new();
        field(&mut out, "a, \"b\"");
        out.push('|');
        field(&mut out, "=cmd()");
        assert_eq!(out, "\"a, \"\"b\"\"\"|'=cmd()");
    }

    #[test]
    fn edits_come_back_from_a_ledger_export() {
        let ledger = super::super::build(std::iter::empty(), &LedgerEdits::default(), Default::default());
        let mut edits = LedgerEdits::default();
        edits.push(super::super::edits::LedgerOp::Merge { from: "a".into(), into: "b".into() });
        let l = Ledger { edits: edits.clone(), ..ledger };
        assert_eq!(read_edits(&json(&l)).unwrap(), edits);
        assert!(read_edits("[]").is_err());
        assert!(read_edits("{").is_err());
    }
}

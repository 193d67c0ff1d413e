//! The ledger table's filtering and sorting, pure so the app only renders: which sources
//! a filter keeps and in which order a column sorts them.

use crate::core::model::sort;
use super::classify::SourceType;
use super::{GenderState, Ledger, LedgerSource};

/// Which sources to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableFilter {
    /// Case-insensitive substring of the name, a role or an affiliation; empty = all.
    pub query: String,
    pub kind: Option<SourceType>,
    pub gender: Option<GenderState>,
}

impl TableFilter {
    pub fn matches(&self, s: &LedgerSource) -> bool {
        let q = self.query.trim().to_lowercase();
        self.kind.is_none_or(|k| k == s.kind)
            && self.gender.is_none_or(|g| g == s.gender)
            && (q.is_empty()
                || s.name.to_lowercase().contains(&q)
                || s.roles.iter().chain(&s.affiliations).any(|r| r.to_lowercase().contains(&q)))
    }
}

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Type,
    Gender,
    Quotes,
    Articles,
    Direct,
    Mixed,
    Indirect,
}

impl Column {
    pub const ALL: [Column; 8] =
        [Column::Name, Column::Type, Column::Gender, Column::Quotes, Column::Articles, Column::Direct, Column::Mixed, Column::Indirect];

    pub fn title(self) -> &'static str {
        match self {
            Column::Name => "Source",
            Column::Type => "Type",
            Column::Gender => "Gender",
            Column::Quotes => "Quotes",
            Column::Articles => "Articles",
            Column::Direct => "Direct",
            Column::Mixed => "Mixed",
            Column::Indirect => "Indirect",
        }
    }

    /// Numbers sort largest first on the first click, text A to Z.
    pub fn descending_first(self) -> bool {
        !matches!(self, Column::Name | Column::Type | Column::Gender)
    }
}

/// The sort order of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort { column: Column::Quotes, descending: true }
    }
}

impl Sort {
    /// The order after clicking `column`'s header: the same column flips, another starts
    /// in its natural direction.
    pub fn click(self, column: Column) -> Sort {
        if self.column == column {
            Sort { column, descending: !self.descending }
        } else {
            Sort { column, descending: column.descending_first() }
        }
    }
}

/// The sources a filter keeps, in `sort` order (ties keep the ledger's order).
pub fn rows<'a>(ledger: &'a Ledger, filter: &TableFilter, sort: Sort) -> Vec<&'a LedgerSource> {
    let mut v: Vec<&LedgerSource> = ledger.sources.iter().filter(|s| filter.matches(s)).collect();
    sort::sort_by(&mut v, |a, b| {
        let o = match sort.column {
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Column::Type => a.kind.cmp(&b.kind),
            Column::Gender => a.gender.cmp(&b.gender),
            Column::Quotes => a.attributions.cmp(&b.attributions),
            Column::Articles => a.articles.cmp(&b.articles),
            Column::Direct => a.direct.cmp(&b.direct),
            Column::Mixed => a.mixed.cmp(&b.mixed),
            Column::Indirect => a.indirect.cmp(&b.indirect),
        };
        if sort.descending {
            o.reverse()
        } else {
            o
        }
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ledger::{build, edits::LedgerEdits, Options};
    use crate::core::model::annotation::{AnnotationSet, Attribution, AttributionId, Document, Kind, Origin, Source, Status};
    use crate::core::model::span::{Extent, Span};

    fn ledger() -> Ledger {
        let text = "Officials said no. Zed said yes. Zed said maybe.";
        let mut set = AnnotationSet::new(Document::new("d", None, text));
        for (src, content) in [("Officials", "no"), ("Zed", "yes"), ("Zed", "maybe")] {
            let s = text.find(src).unwrap();
            let c = text.find(content).unwrap();
            let id = AttributionId(set.fresh_id());
            set.attributions.push(Attribution {
                id,
                kind: Kind::Indirect,
                source: Some(Source { span: Span::new(s, s + src.len()), entity: None, entity_text: None }),
                cue: None,
                content: Extent::single(Span::new(c, c + content.len())),
                origin: Origin::Human,
                status: Status::Accepted,
                confidence: 1.0,
            });
        }
        build([&set], &LedgerEdits::default(), Options::default())
    }

    #[test]
    fn filter_and_sort() {
        let l = ledger();
        let names = |v: Vec<&LedgerSource>| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(rows(&l, &TableFilter::default(), Sort::default())), ["Zed", "Officials"]);
        let anon = TableFilter { kind: Some(SourceType::Anonymous), ..TableFilter::default() };
        assert_eq!(names(rows(&l, &anon, Sort::default())), ["Officials"]);
        let by_name = Sort::default().click(Column::Name);
        assert_eq!(names(rows(&l, &TableFilter::default(), by_name)), ["Officials", "Zed"]);
        assert_eq!(names(rows(&l, &TableFilter::default(), by_name.click(Column::Name))), ["Zed", "Officials"]);
        let q = TableFilter { query: "zE".into(), ..TableFilter::default() };
        assert_eq!(names(rows(&l, &q, Sort::default())), ["Zed"]);
    }
}

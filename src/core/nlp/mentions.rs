//! Mention grouping: which entity mentions name the same thing ("Donald Trump", "Trump",
//! "Trump’s"; "Caroline Leavitt", "Leavitt"), and each group's canonical name (its
//! longest full name).
//!
//! People are grouped by surname when their given names do not clash ("Donald Trump" and
//! "Trump" yes, "Donald Trump" and "Melania Trump" no; a lone "Trump" goes with the most
//! recent full name before it, or else the first after it). Everything else is grouped
//! by label and case-folded text. Pronouns are not entities; the attribution step
//! resolves them to these groups.

use crate::core::model::label::Label;
use crate::core::model::span::Span;

/// The group of one mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grouping {
    /// Mentions of one entity share this number; numbers start at 1 in text order.
    pub group: u32,
    /// The entity's longest full name.
    pub canonical: String,
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty())
}

/// Groups `mentions` (label and span into `text`, in any order); returns one grouping per
/// mention, in the same order.
///
/// ```
/// use newsmark::core::{model::{label::Label, span::Span}, nlp::mentions::group};
/// let text = "Caroline Leavitt said. Leavitt left.";
/// let g = group(text, &[(Label::Person, Span::new(0, 16)), (Label::Person, Span::new(23, 30))]);
/// assert_eq!(g[0].group, g[1].group);
/// assert_eq!(g[1].canonical, "Caroline Leavitt");
/// ```
pub fn group(text: &str, mentions: &[(Label, Span)]) -> Vec<Grouping> {
    use crate::core::nlp::fasthash::FxHashMap as HashMap;
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].1.start, mentions[i].1.end));
    // Cluster id per mention; clusters hold (label, member indices).
    let mut cluster_of: Vec<usize> = vec![usize::MAX; mentions.len()];
    let mut clusters: Vec<(Label, Vec<usize>)> = Vec::new();
    let surface = |i: usize| -> &str { mentions[i].1.slice(text).unwrap_or("").trim() };

    // Full person names first, so lone surnames can join them: one cluster per
    // (given name, surname).
    let mut full: HashMap<(&str, &str), usize> = HashMap::default();
    // Each word that ends or starts a full name → (position, cluster), in text order.
    let mut by_word: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
    for &i in &order {
        let (label, span) = &mentions[i];
        if *label != Label::Person {
            continue;
        }
        // The first and last words, without collecting them (asked of every person).
        let mut ws = words(surface(i));
        let (Some(first), Some(last)) = (ws.next(), ws.last()) else { continue };
        let c = *full.entry((first, last)).or_insert_with(|| {
            clusters.push((Label::Person, Vec::new()));
            clusters.len() - 1
        });
        clusters[c].1.push(i);
        cluster_of[i] = c;
        for w in [first, last] {
            by_word.entry(w).or_default().push((span.start, c));
        }
    }
    let mut others: HashMap<(Label, String), usize> = HashMap::default();
    for &i in &order {
        if cluster_of[i] != usize::MAX {
            continue;
        }
        let (label, span) = &mentions[i];
        let s = surface(i);
        let found = if *label == Label::Person {
            // The nearest full name with this surname (or given name): before, else after.
            by_word.get(s).and_then(|list| {
                let k = list.partition_point(|&(pos, _)| pos < span.start);
                k.checked_sub(1).and_then(|b| list.get(b)).or_else(|| list.get(k)).map(|&(_, c)| c)
            })
        } else {
            None
        };
        let c = found.unwrap_or_else(|| {
            *others.entry((label.clone(), s.to_lowercase())).or_insert_with(|| {
                clusters.push((label.clone(), Vec::new()));
                clusters.len() - 1
            })
        });
        clusters[c].1.push(i);
        cluster_of[i] = c;
    }
    // Number groups by first appearance; canonical = longest surface (first on ties).
    let mut first_pos: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .map(|(c, (_, members))| (members.iter().map(|&m| mentions[m].1.start).min().unwrap_or(0), c))
        .collect();
    first_pos.sort();
    let mut number = vec![0u32; clusters.len()];
    for (n, &(_, c)) in first_pos.iter().enumerate() {
        number[c] = n as u32 + 1;
    }
    let canonical: Vec<String> = clusters
        .iter()
        .map(|(_, members)| {
            // The first member in (longest, earliest) order; `min_by_key` keeps the first
            // of equals, as the first of a stable sort would.
            members.iter().min_by_key(|&&m| (std::cmp::Reverse(surface(m).chars().count()), mentions[m].1.start)).map(|&m| surface(m).to_string()).unwrap_or_default()
        })
        .collect();
    (0..mentions.len())
        .map(|i| {
            let c = cluster_of[i];
            Grouping { group: number.get(c).copied().unwrap_or(0), canonical: canonical.get(c).cloned().unwrap_or_default() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str, items: &[(Label, &str, usize)]) -> Vec<(Label, Span)> {
        // (label, surface, which occurrence)
        items
            .iter()
            .map(|(l, s, n)| {
                let start = text.match_indices(s).nth(*n).map(|(i, _)| i).unwrap();
                (l.clone(), Span::new(start, start + s.len()))
            })
            .collect()
    }

    #[test]
    fn people_and_others() {
        let text = "Donald Trump met Melania Trump. Trump’s envoy, Steve Witkoff, met Caroline Leavitt. Leavitt and Witkoff left Moscow for Moscow.";
        let m = spans_of(
            text,
            &[
                (Label::Person, "Donald Trump", 0),
                (Label::Person, "Melania Trump", 0),
                (Label::Person, "Trump", 2),
                (Label::Person, "Steve Witkoff", 0),
                (Label::Person, "Caroline Leavitt", 0),
                (Label::Person, "Leavitt", 1),
                (Label::Person, "Witkoff", 1),
                (Label::Gpe, "Moscow", 0),
                (Label::Gpe, "Moscow", 1),
            ],
        );
        let g = group(text, &m);
        let table: &[(usize, usize, bool)] = &[(0, 1, false), (1, 2, true), (3, 6, true), (4, 5, true), (7, 8, true), (0, 3, false)];
        for &(a, b, same) in table {
            assert_eq!(g[a].group == g[b].group, same, "{a} vs {b}: {g:?}");
        }
        assert_eq!(g[5].canonical, "Caroline Leavitt");
        assert_eq!(g[6].canonical, "Steve Witkoff");
        assert_eq!(g[0].group, 1);
    }

    #[test]
    fn empty_and_bad_spans() {
        assert!(group("", &[]).is_empty());
        let g = group("abc", &[(Label::Person, Span::new(2, 99))]);
        assert_eq!(g[0].group, 1);
    }
}

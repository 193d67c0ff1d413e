//! The tagger's output alphabet: BILOU tags over the entity classes the model proposes,
//! and the transitions BILOU allows (a Viterbi that only walks legal paths never produces
//! an "I" without a "B", so spans decode unambiguously).

use crate::core::model::label::Label;

/// An entity class the statistical model proposes. GPE vs LOC, ROLE and the rest are the
/// rules' business: the model's `Loc` covers every place (countries included), as in
/// CoNLL and WorldWide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Person,
    Org,
    Loc,
    Norp,
    Date,
}

impl Class {
    pub const ALL: [Class; 5] = [Class::Person, Class::Org, Class::Loc, Class::Norp, Class::Date];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The annotation label a proposal of this class carries (places start as LOC; the
    /// rules may turn them into GPE).
    pub fn label(self) -> Label {
        match self {
            Class::Person => Label::Person,
            Class::Org => Label::Org,
            Class::Loc => Label::Loc,
            Class::Norp => Label::Norp,
            Class::Date => Label::Date,
        }
    }

    /// The class of a gold label; GPE folds into LOC, ROLE and custom labels are not the
    /// model's to learn.
    pub fn of_label(label: &Label) -> Option<Class> {
        match label {
            Label::Person => Some(Class::Person),
            Label::Org => Some(Class::Org),
            Label::Loc | Label::Gpe => Some(Class::Loc),
            Label::Norp => Some(Class::Norp),
            Label::Date => Some(Class::Date),
            _ => None,
        }
    }
}

/// Position of a token inside a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// A tag index: 0 is O; then four tags (B, I, L, U) per class.
pub type Tag = u8;

pub const OUTSIDE: Tag = 0;
pub const N_TAGS: usize = 1 + 4 * Class::ALL.len();

pub fn tag(class: Class, part: Part) -> Tag {
    let p = match part {
        Part::Begin => 0,
        Part::Inside => 1,
        Part::Last => 2,
        Part::Unit => 3,
    };
    (1 + 4 * class.index() + p) as Tag
}

/// The class and part of a tag; `None` for O (and for out-of-range numbers).
pub fn split(t: Tag) -> Option<(Class, Part)> {
    let t = t as usize;
    if t == 0 || t >= N_TAGS {
        return None;
    }
    let class = Class::ALL[(t - 1) / 4];
    let part = [Part::Begin, Part::Inside, Part::Last, Part::Unit][(t - 1) % 4];
    Some((class, part))
}

/// Whether a span may stop after `t` (O, L, U) — i.e. `t` is a legal predecessor of a tag
/// that opens something new, and a legal last tag of a sentence.
pub fn closes(t: Tag) -> bool {
    matches!(split(t), None | Some((_, Part::Last | Part::Unit)))
}

/// Whether `t` may follow nothing-open (O, B, U) — a legal first tag of a sentence.
pub fn opens(t: Tag) -> bool {
    matches!(split(t), None | Some((_, Part::Begin | Part::Unit)))
}

/// Whether BILOU allows `prev` directly before `cur`.
pub fn allowed(prev: Tag, cur: Tag) -> bool {
    match split(prev) {
        Some((c, Part::Begin | Part::Inside)) => {
            matches!(split(cur), Some((d, Part::Inside | Part::Last)) if d == c)
        }
        _ => opens(cur),
    }
}

/// A bit mask over tags (`N_TAGS` ≤ 32).
pub type TagMask = u32;
const _: () = assert!(N_TAGS <= 32, "tag masks are u32");
pub const ALL_TAGS: TagMask = (1u32 << N_TAGS) - 1;

/// The mask of every tag of `class`.
pub fn class_mask(class: Class) -> TagMask {
    0b1111 << (1 + 4 * class.index())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for c in Class::ALL {
            for p in [Part::Begin, Part::Inside, Part::Last, Part::Unit] {
                assert_eq!(split(tag(c, p)), Some((c, p)));
                assert!(class_mask(c) & (1 << tag(c, p)) != 0);
            }
        }
        assert_eq!(split(OUTSIDE), None);

    }

    #[test]
    fn transitions() {
        let b = tag(Class::Person, Part::Begin);
        let i = tag(Class::Person, Part::Inside);
        let l = tag(Class::Person, Part::Last);
        let u = tag(Class::Org, Part::Unit);
        let ob = tag(Class::Org, Part::Begin);
        let ol = tag(Class::Org, Part::Last);
        let table = [
            (OUTSIDE, b, true),
            (OUTSIDE, i, false),
            (b, i, true),
            (b, l, true),
            (b, ol, false),
            (b, OUTSIDE, false),
            (i, l, true),
            (l, u, true),
            (u, ob, true),
            (u, i, false),
            (l, OUTSIDE, true),
        ];
        for (p, c, want) in table {
            assert_eq!(allowed(p, c), want, "{p} -> {c}");
        }
    }
}

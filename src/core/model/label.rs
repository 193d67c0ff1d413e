//! Entity labels and the user-editable label schema (name, colour, key).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An entity label: the seven built-in ones, or one the user added to the schema.
///
/// Custom labels are validated names (see [`Label::parse`]); a label is never a free
/// string passed around unchecked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Person,
    Org,
    Gpe,
    Loc,
    Norp,
    Date,
    Role,
    Custom(String),
}

/// Why a string is not a label name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError(pub String);

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a label name: use 1 to 32 letters, digits, '_' or '-', starting with a letter",
            self.0
        )
    }
}

impl std::error::Error for LabelError {}

impl Label {
    pub const BUILTIN: [Label; 7] =
        [Label::Person, Label::Org, Label::Gpe, Label::Loc, Label::Norp, Label::Date, Label::Role];

    pub fn as_str(&self) -> &str {
        match self {
            Label::Person => "PERSON",
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Loc => "LOC",
            Label::Norp => "NORP",
            Label::Date => "DATE",
            Label::Role => "ROLE",
            Label::Custom(s) => s,
        }
    }

    /// Parses a label name; built-in names map to their variants.
    pub fn parse(s: &str) -> Result<Label, LabelError> {
        Ok(match s {
            "PERSON" => Label::Person,
            "ORG" => Label::Org,
            "GPE" => Label::Gpe,
            "LOC" => Label::Loc,
            "NORP" => Label::Norp,
            "DATE" => Label::Date,
            "ROLE" => Label::Role,
            _ => {
                let ok = (1..=32).contains(&s.chars().count())
                    && s.chars().next().is_some_and(|c| c.is_alphabetic())
                    && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                if !ok {
                    return Err(LabelError(s.to_string()));
                }
                Label::Custom(s.to_string())
            }
        })
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = LabelError;
    fn from_str(s: &str) -> Result<Label, LabelError> {
        Label::parse(s)
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        let s = String::deserialize(d)?;
        Label::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Whether `s` is a hex colour `#rrggbb` — the only colours a schema may hold (the
/// format's JSON Schema and the colour picker say the same), so nothing a file says can
/// reach CSS (`--mark-colour: …`) or an exported format (Label Studio's XML) as anything
/// but a colour.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One label of the schema as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDef {
    #[serde(rename = "name")]
    pub label: Label,
    /// CSS colour `#rrggbb`, chosen to keep dark text readable on it.
    pub colour: String,
    /// The key that applies the label to a selection ("1"…"7" by default).
    pub key: Option<char>,
}

/// The labels a document may use, in display order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSchema {
    pub labels: Vec<LabelDef>,
}

impl Default for LabelSchema {
    fn default() -> LabelSchema {
        // Light tints: black text on each has a contrast ratio above 7:1 (WCAG AAA).
        let colours = ["#ffd6a5", "#a0c4ff", "#caffbf", "#9bf6ff", "#ffc6ff", "#fdffb6", "#e4c1f9"];
        LabelSchema {
            labels: Label::BUILTIN
                .iter()
                .zip(colours)
                .zip('1'..='7')
                .map(|((l, c), k)| LabelDef { label: l.clone(), colour: c.to_string(), key: Some(k) })
                .collect(),
        }
    }
}

impl LabelSchema {
    pub fn get(&self, label: &Label) -> Option<&LabelDef> {
        self.labels.iter().find(|d| &d.label == label)
    }

    pub fn contains(&self, label: &Label) -> bool {
        self.get(label).is_some()
    }

    pub fn by_key(&self, key: char) -> Option<&LabelDef> {
        self.labels.iter().find(|d| d.key == Some(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: [(&str, Result<Label, ()>); 7] = [
            ("PERSON", Ok(Label::Person)),
            ("ROLE", Ok(Label::Role)),
            ("EVENT", Ok(Label::Custom("EVENT".into()))),
            ("work-of_art2", Ok(Label::Custom("work-of_art2".into()))),
            ("", Err(())),
            ("1ABC", Err(())),
            ("A B", Err(())),
        ];
        for (s, want) in cases {
            assert_eq!(Label::parse(s).map_err(|_| ()), want, "{s:?}");
        }
    }

    #[test]
    fn builtins_round_trip_through_strings() {
        for l in Label::BUILTIN {
            assert_eq!(Label::parse(l.as_str()), Ok(l.clone()));
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{l}\""));
        }
    }

    #[test]
    fn hex_colours_only() {
        for ok in ["#A0c4FF", "#000000"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in ["", "#", "fff", "#fff", "#ffff", "#ggg", "red", "#fff\"/><X/>", "#fff;x:y", "#ffffff ", "＃fff", "#ｆｆｆ"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
        assert!(LabelSchema::default().labels.iter().all(|d| is_hex_colour(&d.colour)));
    }

    #[test]
    fn default_schema_has_seven_keyed_labels() {
        let s = LabelSchema::default();
        assert_eq!(s.labels.len(), 7);
        assert_eq!(s.by_key('1').unwrap().label, Label::Person);
        assert_eq!(s.by_key('7').unwrap().label, Label::Role);
        assert!(s.by_key('8').is_none());
    }
}

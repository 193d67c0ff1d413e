//! Closed word classes the attribution patterns need: auxiliaries, negation, adverbs,
//! subordinators, prepositions and pronouns. A few hundred function words stand in for a
//! part-of-speech tagger; everything else is treated as content.

/// Auxiliaries and modals that may sit between a source and its cue ("has said").
pub const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "is", "are", "was", "were", "be", "been", "being", "will", "would", "can", "could",
    "may", "might", "shall", "should", "must", "do", "does", "did", "'s", "’s", "'ve", "’ve", "'d", "’d",
    "'ll", "’ll", "am",
];

/// Forms of "be": a past participle after one of these is passive ("was told").
pub const BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s"];

/// Words that make the speech negated or hypothetical ("did not reveal", "never said").
pub const NEGATIONS: &[&str] = &["not", "n't", "n’t", "never", "no", "neither", "nor", "cannot"];

/// Adverbs that may sit between a source and its cue ("also reported").
pub const ADVERBS: &[&str] = &[
    "also", "then", "still", "later", "earlier", "again", "once", "already", "previously", "just", "even",
    "further", "too", "often", "always", "recently", "first", "now", "long", "since", "ever", "reportedly",
    "allegedly", "repeatedly", "publicly", "privately", "separately", "similarly", "simply", "yet",
    "only", "last", "late", "soon", "quickly", "flatly", "falsely", "correctly", "rightly", "wrongly",
    "initially", "subsequently", "formerly", "originally", "specifically", "explicitly", "directly",
];

/// Words that end a noun phrase when walking left from a cue: the subject is after them.
pub const CLAUSE_BOUNDARIES: &[&str] = &[
    "that", "which", "who", "whom", "whose", "while", "as", "because", "though", "although", "when", "if",
    "and", "but", "or", "where", "after", "before", "since", "so", "than", "whether", "until", "unless",
    "once", "what", "why", "how", "whereas", "nor", "yet", "until", "whenever", "wherever", "amid",
    "despite", "during", "meanwhile", "however", "instead", "then", "there", "here",
];

/// Prepositions: a noun phrase does not end on one, and content rarely starts with one.
pub const PREPOSITIONS: &[&str] = &[
    "to", "with", "on", "in", "at", "for", "about", "of", "from", "by", "into", "upon", "over", "against",
    "during", "after", "before", "through", "across", "under", "between", "among", "within", "without",
    "toward", "towards", "via", "per", "off", "out", "up", "down", "around", "near",
];

/// Determiners and other words a noun phrase cannot end on.
pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
    "some", "any", "no", "every", "each", "all", "both", "many", "several", "most", "more", "few", "other",
];

/// Subject pronouns that can be sources, and the entity kind they refer to.
pub fn pronoun_kind(word: &str) -> Option<PronounKind> {
    // Asked of many words: no allocation. Only ASCII can lower-case to these (the one
    // other char with an ASCII lower case, the Kelvin sign, gives a "k"), and none is
    // longer than four bytes.
    if !word.is_ascii() || word.len() > 4 {
        return None;
    }
    let mut buf = [0u8; 4];
    let lower = buf.get_mut(..word.len()).map(|b| {
        b.copy_from_slice(word.as_bytes());
        b.make_ascii_lowercase();
        &*b
    });
    Some(match lower.and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("") {
        "he" => PronounKind::Male,
        "she" => PronounKind::Female,
        "they" => PronounKind::Plural,
        "it" => PronounKind::Neuter,
        "i" | "we" | "you" => PronounKind::Speaker,
        _ => return None,
    })
}

/// What a pronoun can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PronounKind {
    Male,
    Female,
    /// "they": an organisation, a country's government or a group.
    Plural,
    /// "it": an organisation or a country's government.
    Neuter,
    /// "I", "we", "you": the speaker of a quote; not resolved here.
    Speaker,
}

/// Words after a content-ending comma that start a subordinate clause outside the
/// reported content (", though she hasn't disclosed …").
pub const CONTENT_STOPPERS: &[&str] = &["though", "although", "whereas", "while", "according", "even"];

/// Words that denote who is told (objects of "told"): "told reporters that …".
pub const ADDRESSEES: &[&str] = &[
    "reporters", "journalists", "me", "him", "her", "us", "them", "you", "lawmakers", "supporters", "listeners",
    "viewers", "readers", "the", "a", "an", "his", "their", "our", "audience", "crowd", "crowds", "congress",
    "senators", "members", "delegates", "voters", "students", "officials", "investors", "analysts", "parliament",
];

/// Gendered words in a source or just before a name ("spokeswoman", "Mrs.").
pub fn gender_word(word: &str) -> Option<PronounKind> {
    let w = word.trim_end_matches('.');
    // ASCII words (nearly all) compare case-insensitively without a lower-case copy.
    let lowered;
    let w = if w.is_ascii() {
        w
    } else {
        lowered = w.to_lowercase();
        lowered.as_str()
    };
    let has = |list: &[&str]| list.iter().any(|l| l.len() == w.len() && l.eq_ignore_ascii_case(w));
    const FEMALE: &[&str] = &[
        "mrs", "ms", "miss", "madam", "madame", "mme", "spokeswoman", "congresswoman", "chairwoman",
        "businesswoman", "councilwoman", "assemblywoman", "queen", "princess", "lady", "dame", "sister",
        "mother", "daughter", "wife", "grandmother", "actress", "duchess", "countess", "anchorwoman",
        "first lady", "sen.-elect", "woman", "girl", "mum", "mom", "aunt", "niece", "widow", "baroness",
    ];
    const MALE: &[&str] = &[
        "mr", "sir", "spokesman", "congressman", "chairman", "businessman", "councilman", "assemblyman",
        "king", "prince", "lord", "brother", "father", "son", "husband", "grandfather", "actor", "duke",
        "count", "anchorman", "man", "boy", "dad", "uncle", "nephew", "widower", "baron", "pope", "monsignor",
    ];
    if has(FEMALE) {
        Some(PronounKind::Female)
    } else if has(MALE) {
        Some(PronounKind::Male)
    } else {
        None
    }
}

pub fn is_in(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Lower-case adverb-looking words ("repeatedly", "publicly").
pub fn is_adverb(word: &str) -> bool {
    is_in(ADVERBS, word) || has_adverb_shape(word)
}

/// The "-ly" half of [`is_adverb`] (the listed adverbs are the other half).
pub fn has_adverb_shape(word: &str) -> bool {
    word.len() > 4 && word.ends_with("ly") && word.chars().all(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocation-free lookups answer as lower-casing and comparing would.
    #[test]
    fn case_folding_lookups_equal_lowercase_then_compare() {
        let pronoun_plain = |w: &str| match w.to_lowercase().as_str() {
            "he" => Some(PronounKind::Male),
            "she" => Some(PronounKind::Female),
            "they" => Some(PronounKind::Plural),
            "it" => Some(PronounKind::Neuter),
            "i" | "we" | "you" => Some(PronounKind::Speaker),
            _ => None,
        };
        let words = [
            "He", "SHE", "they", "It", "I", "We", "YOU", "hE", "the", "", "Theys", "İt", "\u{212A}ing", "KING", "Mrs.", "mrs..", "Sen.-Elect",
            "First Lady", "SPOKESWOMAN", "spokesman", "Mme", "ΣHE", "Queen’s", "widower", "Widow.", "count", "Count.", "x",
        ];
        for w in words {
            assert_eq!(pronoun_kind(w), pronoun_plain(w), "{w:?}");
        }
        let gender_plain = |word: &str| {
            let w = word.trim_end_matches('.').to_lowercase();
            // Any case of a word answers as its trimmed lower case does.
            gender_word(&w)
        };
        for w in words {
            assert_eq!(gender_word(w), gender_plain(w), "{w:?}");
        }
        assert_eq!(gender_word("\u{212A}ing"), Some(PronounKind::Male), "the Kelvin sign lower-cases to k");
        assert_eq!(gender_word("Spokeswoman."), Some(PronounKind::Female));
    }
}

//! Role references: "der russische Präsident", "seinem türkischen
//! Amtskollegen", "Russlands Außenminister", "Kremlchef", "die Staatschefs
//! Russlands und der Türkei", resolved to people through the gazetteer's
//! roles and terms of office.

use std::collections::BTreeSet;

use crate::date::DateValue;
use crate::gazetteer::Gazetteer;
use crate::token::fold;

/// A role word recognized in a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoleWord {
    /// The role key (`head_of_state`, …), or `None` for "Amtskollege", whose
    /// role is that of the person it is a colleague of.
    pub role: Option<String>,
    /// The entity the word itself names ("Kremlchef" → Russia).
    pub of: Option<String>,
}

/// Recognizes role words and country adjectives, and resolves roles to people.
#[derive(Clone, Debug)]
pub(crate) struct RoleResolver {
    /// Folded term → (role, of).
    terms: rustc_hash::FxHashMap<String, (String, Option<String>)>,
    /// A bit per byte some term ends in: a stem ending in another byte is
    /// no term, told without hashing it.
    last_bytes: [u64; 4],
}

/// The endings a role word may carry ("Präsidentin", "Außenministers"), in
/// the order their stems are tried.
const ROLE_ENDINGS: [&str; 7] = ["", "in", "s", "es", "en", "n", "innen"];

/// `text.ends_with(ending)` for short ASCII endings, byte by byte (ending
/// on an ASCII byte, the cut is a character boundary).
fn ends_with(text: &str, ending: &str) -> bool {
    let (text, ending) = (text.as_bytes(), ending.as_bytes());
    text.len() >= ending.len()
        && text[text.len() - ending.len()..]
            .iter()
            .zip(ending)
            .all(|(a, b)| a == b)
}

/// Words for "counterpart": the role is the other participant's. Each
/// starts with one of [`COLLEAGUE_HEADS`].
const COLLEAGUE: &[&str] = &[
    "amtskollege",
    "amtskolleg",
    "kollege",
    "kolleg",
    "counterpart",
];

/// The beginnings of the [`COLLEAGUE`] words, which
/// [`RoleResolver::role_word`] tests first.
const COLLEAGUE_HEADS: [&str; 3] = ["kolleg", "amtskolleg", "counterpart"];

impl RoleResolver {
    pub fn new(gazetteer: &Gazetteer) -> RoleResolver {
        let terms = gazetteer
            .role_terms()
            .iter()
            .map(|term| (fold(&term.term), (term.role.clone(), term.of.clone())))
            .collect::<rustc_hash::FxHashMap<_, _>>();
        let mut last_bytes = [0u64; 4];
        for term in terms.keys() {
            if let Some(&last) = term.as_bytes().last() {
                last_bytes[usize::from(last / 64)] |= 1 << (last % 64);
            }
        }
        RoleResolver { terms, last_bytes }
    }

    /// True when `stem` may be a term: it ends in a byte some term ends in.
    fn may_be_term(&self, stem: &str) -> bool {
        stem.as_bytes()
            .last()
            .is_some_and(|&last| self.last_bytes[usize::from(last / 64)] & (1 << (last % 64)) != 0)
    }

    /// The role a folded token names, with German inflection ("Präsidenten",
    /// "Außenministers", "Staatschefs", "Präsidentin").
    pub fn role_word(&self, folded: &str) -> Option<RoleWord> {
        // The word less each ending it carries. This runs for every word of
        // a sentence with a contact word: byte tests, no string searches.
        let stems = || {
            ROLE_ENDINGS
                .iter()
                .filter(|ending| ends_with(folded, ending))
                .map(|ending| &folded[..folded.len() - ending.len()])
        };
        // Every colleague word starts with one of the stems' heads (a
        // colleague stem and an ending): three prefix tests, no search.
        let colleague = COLLEAGUE_HEADS.iter().any(|head| folded.starts_with(head))
            && stems().any(|stem| COLLEAGUE.contains(&stem));
        if colleague {
            return Some(RoleWord {
                role: None,
                of: None,
            });
        }
        stems()
            .filter(|stem| self.may_be_term(stem))
            .find_map(|stem| self.terms.get(stem))
            .map(|(role, of)| RoleWord {
                role: Some(role.clone()),
                of: of.clone(),
            })
    }

    /// The place or organization an adjective token refers to ("russischen" →
    /// `place:russland`).
    pub fn adjective<'g>(&self, gazetteer: &'g Gazetteer, folded: &str) -> Option<&'g str> {
        let adjectives = gazetteer.adjectives();
        for ending in ["", "e", "en", "er", "es", "em"] {
            if let Some(stem) = folded.strip_suffix(ending)
                && let Some(entity) = adjectives.get(stem)
            {
                return Some(entity.as_str());
            }
        }
        None
    }

    /// The people who held `role` of `of` on the date (or, for a month or
    /// year, at some time in it). Without a date: the holders among
    /// `named` (people the document names), since a bare role with no date
    /// cannot be pinned to one term of office.
    pub fn holders(
        &self,
        gazetteer: &Gazetteer,
        role: &str,
        of: &str,
        date: Option<DateValue>,
        named: &BTreeSet<String>,
    ) -> Vec<String> {
        let bounds = date.and_then(|d| d.bounds());
        let mut people: BTreeSet<String> = BTreeSet::new();
        for held in gazetteer.roles() {
            if held.of != of || !role_matches(&held.role, role) {
                continue;
            }
            let in_office = match bounds {
                Some((first, last)) => {
                    let started = held
                        .start
                        .and_then(|s| s.bounds())
                        .is_none_or(|(s, _)| s <= last);
                    let not_ended = held
                        .end
                        .and_then(|e| e.bounds())
                        .is_none_or(|(_, e)| e >= first);
                    started && not_ended
                }
                None => named.contains(&held.person),
            };
            if in_office {
                people.insert(held.person.clone());
            }
        }
        people.into_iter().collect()
    }

    /// The roles a person held at a date (any time, without one).
    pub fn roles_of(
        &self,
        gazetteer: &Gazetteer,
        person: &str,
        date: Option<DateValue>,
    ) -> Vec<(String, String)> {
        let bounds = date.and_then(|d| d.bounds());
        gazetteer
            .roles()
            .iter()
            .filter(|held| held.person == person)
            .filter(|held| match bounds {
                Some((first, last)) => {
                    held.start
                        .and_then(|s| s.bounds())
                        .is_none_or(|(s, _)| s <= last)
                        && held
                            .end
                            .and_then(|e| e.bounds())
                            .is_none_or(|(_, e)| e >= first)
                }
                None => true,
            })
            .map(|held| (held.role.clone(), held.of.clone()))
            .collect()
    }
}

/// Every folded word [`RoleResolver::role_word`] takes for a role word,
/// with `gazetteer`'s terms: each term and colleague word (not an empty
/// one, which the lookup never takes) under each of [`ROLE_ENDINGS`],
/// sorted, once each. The matcher marks them, so that a document none of
/// whose words is one (and that names no person) is known to report no
/// contact before its sentences are read for contact words.
pub(crate) fn role_word_forms(gazetteer: &Gazetteer) -> Vec<String> {
    let mut forms: Vec<String> = gazetteer
        .role_terms()
        .iter()
        .map(|term| fold(&term.term))
        .chain(COLLEAGUE.iter().map(|word| word.to_string()))
        .filter(|stem| !stem.is_empty())
        .flat_map(|stem| ROLE_ENDINGS.map(|ending| format!("{stem}{ending}")))
        .collect();
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// "Präsident" (head of state) also names an organization's president.
fn role_matches(held: &str, asked: &str) -> bool {
    held == asked || (asked == "head_of_state" && held == "president")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every colleague word, under every ending, is a role word of no role
    /// of its own; each starts with a head the lookup tests first, and a
    /// word that only holds one ("Parteikollegen") is not one.
    #[test]
    fn colleague_words_under_every_ending() {
        let resolver = RoleResolver::new(&Gazetteer::builtin());
        for word in COLLEAGUE {
            assert!(
                COLLEAGUE_HEADS.iter().any(|head| word.starts_with(head)),
                "{word}"
            );
            for ending in ROLE_ENDINGS {
                let found = resolver.role_word(&format!("{word}{ending}"));
                assert!(
                    found.is_some_and(|w| w.role.is_none() && w.of.is_none()),
                    "{word}{ending}"
                );
            }
        }
        for other in ["parteikollegen", "kollektiv", "amtskollektiv", "counter"] {
            assert!(resolver.role_word(other).is_none(), "{other}");
        }
    }

    /// The forms the matcher marks are the words the resolver takes: each
    /// of them, and no other word made of a term or colleague word, one of
    /// its prefixes, an ending and a few letters around them.
    #[test]
    fn role_word_forms_are_the_role_words() {
        let gazetteer = Gazetteer::builtin();
        let resolver = RoleResolver::new(&gazetteer);
        let forms = role_word_forms(&gazetteer);
        assert!(forms.len() > 7 * COLLEAGUE.len(), "{}", forms.len());
        for form in &forms {
            assert!(resolver.role_word(form).is_some(), "{form}");
        }
        let stems: Vec<String> = gazetteer
            .role_terms()
            .iter()
            .map(|term| fold(&term.term))
            .chain(COLLEAGUE.iter().map(|word| word.to_string()))
            .collect();
        let mut words = 0;
        for stem in &stems {
            let cuts = stem.char_indices().map(|(at, _)| &stem[..at]);
            for head in cuts.chain([stem.as_str()]) {
                for ending in ROLE_ENDINGS.iter().chain(&["e", "ern", "x", "inn"]) {
                    for around in ["", "ex", "vize"] {
                        for word in [format!("{head}{ending}"), format!("{around}{head}{ending}")] {
                            words += 1;
                            assert_eq!(
                                resolver.role_word(&word).is_some(),
                                forms.binary_search(&word).is_ok(),
                                "{word}"
                            );
                        }
                    }
                }
            }
        }
        assert!(words > 10_000, "{words}");
    }

    /// The matcher tells that a sentence holds a role word exactly when the
    /// resolver takes one of its words for one: role words under their
    /// endings, in any case and spelling (ß and ss, umlauts, capitals,
    /// long compounds), words that only hold one or are one cut short, and
    /// other words.
    #[quickcheck_macros::quickcheck]
    fn the_matcher_notes_the_role_words_the_resolver_takes(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "Präsident",
            "PRÄSIDENTIN",
            "Praesidenten",
            "Präsidents",
            "Präsidentinnen",
            "Präsidium",
            "Vizepräsident",
            "Ex-Präsident",
            "Kremlchef",
            "KREMLCHEFS",
            "Außenminister",
            "Aussenministers",
            "AUSSENMINISTERN",
            "Außenministerium",
            "Bundesaußenministerinnen",
            "Amtskollegen",
            "Kollegin",
            "Parteikollegen",
            "Counterpart",
            "Staatschef",
            "Staatschefs",
            "Putin",
            "Lawrow",
            "traf",
            "seinen",
            "der",
            "russische",
            "in",
            "s",
            "en",
            " ",
            " ",
            " ",
            ", ",
            ". ",
            "-",
            "\u{ad}",
            "ſ",
            "e",
        ];
        static STAGES: std::sync::OnceLock<(crate::gazetteer::EntityMatcher, RoleResolver)> =
            std::sync::OnceLock::new();
        let (matcher, resolver) = STAGES.get_or_init(|| {
            let gazetteer = Gazetteer::builtin();
            (
                crate::gazetteer::EntityMatcher::new(&gazetteer),
                RoleResolver::new(&gazetteer),
            )
        });
        let text = crate::test_text::from_picks(&picks, PIECES);
        let sentences =
            crate::token::Tokenizer::new().tokenize(&text, crate::Span::new(0, text.len()));
        sentences.iter().all(|sentence| {
            let (_, noted) = matcher.find_noting_roles(&text, &sentence);
            let taken = sentence
                .tokens
                .iter()
                .any(|token| resolver.role_word(&fold(token.span.slice(&text))).is_some());
            noted == taken
        })
    }

    /// Role words are found under every ending a term takes, whatever
    /// byte the inflected word ends in, and other words are not.
    #[test]
    fn role_words_under_their_endings() {
        let resolver = RoleResolver::new(&Gazetteer::builtin());
        let role = |word: &str| resolver.role_word(&fold(word)).and_then(|w| w.role);
        for word in [
            "Präsident",
            "Präsidentin",
            "Präsidenten",
            "Präsidents",
            "Präsidentinnen",
            "Staatschefs",
            "Kremlchef",
            "Kremlchefs",
        ] {
            assert_eq!(role(word).as_deref(), Some("head_of_state"), "{word}");
        }
        let kremlchef = resolver
            .role_word(&fold("Kremlchefs"))
            .expect("a role word");
        assert_eq!(kremlchef.of.as_deref(), Some("place:russland"));
        assert_eq!(role("Außenminister").as_deref(), Some("foreign_minister"));
        for word in ["Präsidium", "Presse", "Gipfel", "traf", ""] {
            assert_eq!(role(word), None, "{word}");
        }
        assert!(
            resolver
                .role_word(&fold("Amtskollegen"))
                .is_some_and(|w| w.role.is_none())
        );
    }
}

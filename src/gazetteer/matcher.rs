//! The entity matcher: one Aho-Corasick automaton over every alias of every
//! entity, run over a sentence's folded tokens.
//!
//! Each token of a sentence is folded (see [`crate::token::fold`]) and framed
//! as `\x01token\x02`; each alias is folded and framed the same way. A match
//! of a framed alias therefore always starts and ends on token boundaries (no
//! "EU" inside "neue", no "Russland" inside "Russlandreise"), and the
//! automaton's leftmost-longest semantics make "Wladimir Putin" win over
//! "Putin". The cost is linear in the sentence, whatever the gazetteer's
//! size. Inflection and spelling are handled when the automaton is built:
//! every alias also yields its genitive (`Putins`, `Russlands`), the
//! declined forms of a leading adjective (`Europäischen Rates`), and
//! hyphen-free forms of hyphenated names (`Bergkarabach` for `Berg-Karabach`).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::span::Span;
use crate::token::{Sentence, Token, TokenKind, Tokenizer, fold_into};

use super::{EntityKind, Gazetteer};

const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// One occurrence of a known entity in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entity's position in [`Gazetteer::entities`].
    pub entity: usize,
    /// Where the name stands in the document text.
    pub span: Span,
}

/// How a pattern came about; an alias as written beats a generated form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Generated,
    Written,
}

/// How the matched text must be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    /// Any case: a name written in lowercase ("dpa").
    Any,
    /// The name's last word starts with a capital in the text ("russische
    /// Außenministerium" for "Russisches Außenministerium"); a short
    /// all-capitals word ("ROM") is not the name "Rom".
    Capital,
    /// An acronym ("EU", "NATO", "USA"): written in capitals in the text, and
    /// never inflected ("Uns" is not "UN").
    Acronym,
}

#[derive(Clone, Debug)]
struct Pattern {
    /// The entity, or `None` when two entities claim the same name equally.
    entity: Option<usize>,
    origin: Origin,
    /// The ways of writing the name's forms allow (any one suffices).
    cases: Vec<Case>,
    /// The name may take a dative plural -n ("Niederlanden", "Emiraten").
    dative_n: bool,
    /// A person's surname alone: not taken when another first name stands
    /// right before it ("Jürgen Lindner" is not Christian Lindner).
    surname: bool,
}

/// Finds gazetteer entities in sentences.
#[derive(Clone, Debug)]
pub struct EntityMatcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// First names of the gazetteer's people (folded): one of them right
    /// before a surname names someone else ("Jürgen Lindner").
    given_names: HashSet<String>,
}

impl EntityMatcher {
    /// Builds the automaton over all names of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> EntityMatcher {
        let tokenizer = Tokenizer::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut given_names = HashSet::new();
        for (index, entity) in gazetteer.entities().iter().enumerate() {
            if entity.kind == EntityKind::Person
                && let Some((first, _)) = entity.label.split_once(' ')
            {
                given_names.insert(crate::token::fold(first));
            }
            let label_words = entity.label.split_whitespace().count();
            for name in std::iter::once(&entity.label).chain(&entity.aliases) {
                let case = case_of(name);
                let words = name.split_whitespace().count();
                let surname = entity.kind == EntityKind::Person && words == 1 && label_words > 1;
                // Plural place names take a dative -n: "Niederlande", "Emirate",
                // "Palästinensergebiete" (not "Liège" → "Liegen").
                let dative_n = entity.kind != EntityKind::Person
                    && (name.ends_with("de") || name.ends_with("te"))
                    && name.chars().count() >= 8;
                for (key, origin) in forms(&tokenizer, name, entity.kind) {
                    let candidate = Pattern {
                        entity: Some(index),
                        origin,
                        cases: vec![case],
                        dative_n,
                        surname,
                    };
                    match keys.get(&key) {
                        None => {
                            keys.insert(key.clone(), patterns.len());
                            texts.push(key);
                            patterns.push(candidate);
                        }
                        Some(&slot) => {
                            let existing = &mut patterns[slot];
                            if existing.entity == Some(index) {
                                existing.origin = existing.origin.max(origin);
                                if !existing.cases.contains(&case) {
                                    existing.cases.push(case);
                                }
                                existing.dative_n |= dative_n;
                                existing.surname &= surname;
                            } else if origin > existing.origin {
                                *existing = candidate;
                            } else if origin == existing.origin {
                                existing.entity = None;
                            }
                        }
                    }
                }
            }
        }
        // Every pattern starts with the token mark, so a prefilter would stop
        // at every token: none is built (faster to build and to search).
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .prefilter(false)
            .build(&texts)
            .expect("framed gazetteer names always build an automaton");
        EntityMatcher {
            automaton,
            patterns,
            given_names,
        }
    }

    /// The mentions in one sentence of `text`, in text order, never
    /// overlapping; the longest name wins where names overlap.
    pub fn find(&self, text: &str, sentence: &Sentence) -> Vec<Mention> {
        thread_local! {
            // The folded sentence and its token starts, reused across calls.
            static SCRATCH: std::cell::RefCell<(String, Vec<usize>)> = const {
                std::cell::RefCell::new((String::new(), Vec::new()))
            };
        }
        SCRATCH.with_borrow_mut(|(haystack, starts)| {
            haystack.clear();
            starts.clear();
            self.find_with(text, sentence, haystack, starts)
        })
    }

    fn find_with(
        &self,
        text: &str,
        sentence: &Sentence,
        haystack: &mut String,
        starts: &mut Vec<usize>,
    ) -> Vec<Mention> {
        let tokens = &sentence.tokens;
        for token in tokens {
            starts.push(haystack.len());
            haystack.push(OPEN);
            fold_into(token.span.slice(text), haystack);
            haystack.push(CLOSE);
        }
        let haystack: &str = haystack;
        let mut mentions = Vec::new();
        for found in self.automaton.find_iter(haystack) {
            let pattern = &self.patterns[found.pattern().as_usize()];
            let Some(entity) = pattern.entity else {
                continue;
            };
            let first = starts
                .binary_search(&found.start())
                .expect("matches start at a token");
            // The pattern ends inside its last token: what is left of that
            // token must be an inflection ending.
            let last = starts.partition_point(|&start| start < found.end()) - 1;
            let close =
                starts.get(last + 1).map_or(haystack.len(), |&next| next) - CLOSE.len_utf8();
            let Some(rest) = haystack.get(found.end()..close) else {
                continue;
            };
            let inflected = match rest {
                "" => true,
                "s" | "es" | "'s" | "'" => pattern.cases.iter().any(|case| *case != Case::Acronym),
                "n" => pattern.dative_n,
                _ => false,
            };
            if !inflected {
                continue;
            }
            let span = Span::new(tokens[first].span.start, tokens[last].span.end);
            let written = &tokens[first..=last];
            let acronym_inflected = !rest.is_empty() && rest != "n";
            let case_ok = pattern.cases.iter().any(|&case| {
                !(case == Case::Acronym && acronym_inflected) && case_matches(case, text, written)
            });
            if !case_ok {
                continue;
            }
            let after_name = mentions
                .last()
                .is_some_and(|m: &Mention| first > 0 && m.span.end == tokens[first - 1].span.end);
            if pattern.surname
                && first > 0
                && !after_name
                && self.follows_given_name(text, &tokens[first - 1], &tokens[first])
            {
                continue;
            }
            mentions.push(Mention { entity, span });
        }
        mentions
    }
}

impl EntityMatcher {
    /// True when `previous` is a first name the gazetteer knows, right before
    /// a surname: "Jürgen Lindner" is not Christian Lindner. Titles, roles
    /// and ordinary words ("Präsident Putin", "Gast Erdoğan") are not first
    /// names, and the person's own full name is matched whole before this.
    fn follows_given_name(&self, text: &str, previous: &Token, surname: &Token) -> bool {
        let between = &text[previous.span.end..surname.span.start];
        previous.kind == TokenKind::Word
            && between.chars().all(char::is_whitespace)
            && !between.contains('\n')
            && self
                .given_names
                .contains(&crate::token::fold(previous.span.slice(text)))
    }
}

/// The case class of a name as written in the gazetteer.
fn case_of(name: &str) -> Case {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        Case::Acronym
    } else if name.chars().next().is_some_and(char::is_uppercase) {
        Case::Capital
    } else {
        Case::Any
    }
}

/// True when the matched tokens are written as the name's case class asks.
fn case_matches(case: Case, text: &str, tokens: &[Token]) -> bool {
    let words = || {
        tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Punct)
            .map(|t| t.span.slice(text))
    };
    match case {
        Case::Any => true,
        // "NATO", and as the German press writes longer acronyms, "Nato",
        // "Opec"; but "Us" is not "US".
        Case::Acronym => words().all(|word| {
            let mut chars = word.chars();
            let capitalized =
                chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase());
            !word.chars().any(char::is_lowercase) || capitalized && word.chars().count() >= 4
        }),
        Case::Capital => {
            let Some(last) = words().next_back() else {
                return false;
            };
            let starts_upper = last
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric());
            let shouting = words().all(|word| {
                word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !word.chars().any(char::is_lowercase)
            }) && words().map(|w| w.chars().count()).sum::<usize>() <= 4;
            starts_upper && !shouting
        }
    }
}

/// The framed keys a name is matched under: as written, the declined forms
/// of a leading adjective, hyphen-free and hyphenated forms. The last token
/// is left open, so inflection endings are checked when matching.
fn forms(tokenizer: &Tokenizer, name: &str, kind: EntityKind) -> Vec<(String, Origin)> {
    let tokens: Vec<(String, bool)> = tokenizer
        .tokens(name, Span::new(0, name.len()))
        .iter()
        .map(|t| {
            let mut folded = String::new();
            fold_into(t.span.slice(name), &mut folded);
            (folded, t.kind != TokenKind::Punct)
        })
        .collect();
    // A name must hold a letter or digit, and every token must fold to
    // something: anything else cannot be told apart from punctuation.
    let named = name.chars().any(char::is_alphanumeric);
    if tokens.is_empty() || !named || tokens.iter().any(|(t, _)| t.is_empty()) {
        return Vec::new();
    }
    let mut variants: Vec<Vec<String>> = vec![tokens.iter().map(|(t, _)| t.clone()).collect()];
    // Hyphen-free forms: "Berg-Karabach" also as "Bergkarabach" and "Berg Karabach".
    if tokens.iter().any(|(t, _)| t == "-") {
        let mut joined: Vec<String> = Vec::new();
        let mut glue = false;
        for (token, _) in &tokens {
            if token == "-" {
                glue = true;
            } else if glue && !joined.is_empty() {
                joined.last_mut().expect("not empty").push_str(token);
                glue = false;
            } else {
                joined.push(token.clone());
            }
        }
        variants.push(joined);
        variants.push(
            tokens
                .iter()
                .filter(|(t, _)| t != "-")
                .map(|(t, _)| t.clone())
                .collect(),
        );
    }
    let words = tokens.iter().filter(|(_, word)| *word).count();
    // Hyphenated form of a place or organization of several words: "Tel Aviv" → "Tel-Aviv".
    if kind != EntityKind::Person && words >= 2 && tokens.iter().all(|(_, word)| *word) {
        let mut hyphenated = Vec::new();
        for (i, (token, _)) in tokens.iter().enumerate() {
            if i > 0 {
                hyphenated.push("-".to_string());
            }
            hyphenated.push(token.clone());
        }
        variants.push(hyphenated);
    }
    // A leading adjective declines: "Europäischer Rat" → "Europäischen Rat".
    if kind != EntityKind::Person && words >= 2 {
        let first = &tokens[0].0;
        let stem = ["en", "em", "er", "es", "e"].iter().find_map(|ending| {
            first
                .strip_suffix(ending)
                .filter(|stem| stem.chars().count() >= 3)
        });
        if let Some(stem) = stem {
            for ending in ["e", "en", "em", "er", "es"] {
                let mut declined = variants[0].clone();
                declined[0] = format!("{stem}{ending}");
                variants.push(declined);
            }
        }
    }
    let frame = |tokens: &[String]| -> String {
        let mut key = String::new();
        for (i, token) in tokens.iter().enumerate() {
            key.push(OPEN);
            key.push_str(token);
            if i + 1 < tokens.len() {
                key.push(CLOSE);
            }
        }
        key
    };
    let mut forms = vec![(frame(&variants[0]), Origin::Written)];
    forms.extend(variants[1..].iter().map(|v| (frame(v), Origin::Generated)));
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn gazetteer() -> Gazetteer {
        let entities = "id\tlabel\taliases\twikidata\n\
            person:wladimir-putin\tWladimir Putin\tPutin\n\
            person:recep-tayyip-erdogan\tRecep Tayyip Erdoğan\tErdoğan|Erdogan\n\
            person:mevluet-cavusoglu\tMevlüt Çavuşoğlu\tÇavuşoğlu\n\
            place:russland\tRussland\tRussische Föderation\n\
            place:minsk\tMinsk\t\n\
            place:bergkarabach\tBergkarabach\tBerg-Karabach|Karabach\n\
            organization:minsker-gruppe\tMinsker Gruppe\tOSZE-Minsk-Gruppe\n\
            organization:europaeischer-rat\tEuropäischer Rat\t\n\
            organization:nato\tNATO\tNato\n\
            organization:eu\tEuropäische Union\tEU\n\
            organization:dpa\tdpa\tDeutsche Presse-Agentur\n\
            place:usa\tVereinigte Staaten\tUSA|US\n\
            organization:russisches-aussenministerium\tRussisches Außenministerium\t\n\
            place:rom\tRom\t\n\
            place:tel-aviv\tTel Aviv\t\n\
            place:niederlande\tNiederlande\t\n";
        Gazetteer::from_sources([(Path::new("test.tsv"), entities)]).unwrap()
    }

    fn find(text: &str) -> Vec<(String, String)> {
        let gazetteer = gazetteer();
        let matcher = EntityMatcher::new(&gazetteer);
        let tokenizer = Tokenizer::new();
        tokenizer
            .tokenize(text, Span::new(0, text.len()))
            .iter()
            .flat_map(|sentence| matcher.find(text, sentence))
            .map(|m| {
                (
                    m.span.slice(text).to_string(),
                    gazetteer.entities()[m.entity].id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn matcher_table() {
        type Row<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let rows: &[Row] = &[
            (
                "full_name_beats_surname",
                "Wladimir Putin kam.",
                &[("Wladimir Putin", "person:wladimir-putin")],
            ),
            (
                "genitive_s",
                "Putins Rede",
                &[("Putins", "person:wladimir-putin")],
            ),
            (
                "genitive_country",
                "Russlands Außenminister",
                &[("Russlands", "place:russland")],
            ),
            (
                "genitive_diacritic",
                "Erdoğans Sprecher",
                &[("Erdoğans", "person:recep-tayyip-erdogan")],
            ),
            (
                "diacritic_variant",
                "Erdogan und Cavusoglu",
                &[
                    ("Erdogan", "person:recep-tayyip-erdogan"),
                    ("Cavusoglu", "person:mevluet-cavusoglu"),
                ],
            ),
            (
                "dotless_i",
                "Çavuşoğlu sagte",
                &[("Çavuşoğlu", "person:mevluet-cavusoglu")],
            ),
            (
                "nfd_input",
                "Erdog\u{306}an sprach",
                &[("Erdog\u{306}an", "person:recep-tayyip-erdogan")],
            ),
            (
                "no_break_space",
                "Wladimir\u{a0}Putin sprach",
                &[("Wladimir\u{a0}Putin", "person:wladimir-putin")],
            ),
            (
                "compound_part",
                "im Bergkarabach-Konflikt",
                &[("Bergkarabach", "place:bergkarabach")],
            ),
            (
                "hyphen_variant",
                "in Berg-Karabach",
                &[("Berg-Karabach", "place:bergkarabach")],
            ),
            (
                "hyphenless_form",
                "Berg Karabach",
                &[("Berg Karabach", "place:bergkarabach")],
            ),
            ("no_part_of_word", "die Russlandreise und neue Pläne", &[]),
            ("eu_compound", "EU-Beamte", &[("EU", "organization:eu")]),
            ("us_compound", "US-Außenminister", &[("US", "place:usa")]),
            (
                "minsker_not_minsk",
                "die Minsker Gruppe",
                &[("Minsker Gruppe", "organization:minsker-gruppe")],
            ),
            (
                "declined_adjective",
                "des Europäischen Rates",
                &[("Europäischen Rates", "organization:europaeischer-rat")],
            ),
            (
                "case_variant",
                "NATO und Nato",
                &[("NATO", "organization:nato"), ("Nato", "organization:nato")],
            ),
            (
                "amtskollege_is_a_role",
                "sein Amtskollege Putin",
                &[("Putin", "person:wladimir-putin")],
            ),
            ("capital_required", "nato", &[]),
            (
                "lowercase_alias",
                "(Foto: dpa)",
                &[("dpa", "organization:dpa")],
            ),
            (
                "nato_compound",
                "Nato-Einsatzes",
                &[("Nato", "organization:nato")],
            ),
            ("acronym_needs_capitals", "Us und Eu", &[]),
            (
                "long_acronym_capitalized",
                "die Nato und die NATO",
                &[("Nato", "organization:nato"), ("NATO", "organization:nato")],
            ),
            ("acronym_is_not_inflected", "USAs Präsident", &[]),
            (
                "lowercase_declined_adjective",
                "das russische Außenministerium",
                &[(
                    "russische Außenministerium",
                    "organization:russisches-aussenministerium",
                )],
            ),
            ("shouting_is_not_a_name", "ROM", &[]),
            ("capital_name", "Rom", &[("Rom", "place:rom")]),
            (
                "hyphenated_place",
                "in Tel-Aviv und Tel Aviv",
                &[
                    ("Tel-Aviv", "place:tel-aviv"),
                    ("Tel Aviv", "place:tel-aviv"),
                ],
            ),
            (
                "dative_plural",
                "in den Niederlanden",
                &[("Niederlanden", "place:niederlande")],
            ),
            ("other_first_name", "Recep Putin kam", &[]),
            (
                "noun_before_surname",
                "Wort Putin kam",
                &[("Putin", "person:wladimir-putin")],
            ),
            (
                "role_before_surname",
                "Präsident Putin kam",
                &[("Putin", "person:wladimir-putin")],
            ),
            ("no_partial_token", "Putinismus", &[]),
            (
                "surname_after_other_name",
                "nachdem Erdoğan Putin besucht hatte",
                &[
                    ("Erdoğan", "person:recep-tayyip-erdogan"),
                    ("Putin", "person:wladimir-putin"),
                ],
            ),
        ];
        for (name, text, expected) in rows {
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(find(text), expected, "{name}");
        }
    }

    #[test]
    fn names_claimed_by_two_entities_are_left_unresolved() {
        let entities = "id\tlabel\taliases\twikidata\n\
            person:charles-michel\tCharles Michel\tMichel\n\
            person:louise-michel\tLouise Michel\tMichel\n";
        let gazetteer = Gazetteer::from_sources([(Path::new("t.tsv"), entities)]).unwrap();
        let matcher = EntityMatcher::new(&gazetteer);
        let text = "Michel sprach mit Charles Michel.";
        let sentence = &Tokenizer::new().tokenize(text, Span::new(0, text.len()))[0];
        let found: Vec<&str> = matcher
            .find(text, sentence)
            .iter()
            .map(|m| m.span.slice(text))
            .collect();
        assert_eq!(found, ["Charles Michel"]);
    }
}

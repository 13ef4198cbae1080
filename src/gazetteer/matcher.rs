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

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::span::Span;
use crate::token::{Sentence, TokenKind, Tokenizer, fold_into};

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

#[derive(Clone, Debug)]
struct Pattern {
    /// The entity, or `None` when two entities claim the same name equally.
    entity: Option<usize>,
    origin: Origin,
    /// The name starts with a capital as written: the text must too.
    capitalized: bool,
}

/// Finds gazetteer entities in sentences.
#[derive(Clone, Debug)]
pub struct EntityMatcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl EntityMatcher {
    /// Builds the automaton over all names of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> EntityMatcher {
        let tokenizer = Tokenizer::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (index, entity) in gazetteer.entities().iter().enumerate() {
            for name in std::iter::once(&entity.label).chain(&entity.aliases) {
                let capitalized = name.chars().next().is_some_and(char::is_uppercase);
                for (key, origin) in forms(&tokenizer, name, entity.kind) {
                    let candidate = Pattern { entity: Some(index), origin, capitalized };
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
                                existing.capitalized &= capitalized;
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
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .expect("framed gazetteer names always build an automaton");
        EntityMatcher { automaton, patterns }
    }

    /// The mentions in one sentence of `text`, in text order, never
    /// overlapping; the longest name wins where names overlap.
    pub fn find(&self, text: &str, sentence: &Sentence) -> Vec<Mention> {
        let mut haystack = String::with_capacity(sentence.span.len() + 2 * sentence.tokens.len());
        let mut starts = Vec::with_capacity(sentence.tokens.len());
        for token in &sentence.tokens {
            starts.push(haystack.len());
            haystack.push(OPEN);
            fold_into(token.span.slice(text), &mut haystack);
            haystack.push(CLOSE);
        }
        let mut mentions = Vec::new();
        for found in self.automaton.find_iter(&haystack) {
            let pattern = &self.patterns[found.pattern().as_usize()];
            let Some(entity) = pattern.entity else { continue };
            let first = starts.binary_search(&found.start()).expect("matches start at a token");
            let last = match starts.binary_search(&found.end()) {
                Ok(next) => next - 1,
                Err(_) => starts.len() - 1,
            };
            let span = Span::new(
                sentence.tokens[first].span.start,
                sentence.tokens[last].span.end,
            );
            if pattern.capitalized
                && !span.slice(text).chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
            {
                continue;
            }
            mentions.push(Mention { entity, span });
        }
        mentions
    }
}

/// The framed keys a name is matched under: as written, its genitive, the
/// declined forms of a leading adjective and its hyphen-free forms.
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
    if tokens.is_empty() {
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
        variants.push(tokens.iter().filter(|(t, _)| t != "-").map(|(t, _)| t.clone()).collect());
    }
    // A leading adjective declines: "Europäischer Rat" → "Europäischen Rat".
    let words = tokens.iter().filter(|(_, word)| *word).count();
    if kind != EntityKind::Person && words >= 2 {
        let first = &tokens[0].0;
        let stem = ["en", "em", "er", "es", "e"]
            .iter()
            .find_map(|ending| first.strip_suffix(ending).filter(|stem| stem.chars().count() >= 3));
        if let Some(stem) = stem {
            for ending in ["e", "en", "em", "er", "es"] {
                let mut declined = variants[0].clone();
                declined[0] = format!("{stem}{ending}");
                variants.push(declined);
            }
        }
    }
    // The genitive of the last word: "Putins", "Russlands", "Rates", "Lawrow's".
    let last_is_word = tokens.last().is_some_and(|(_, word)| *word);
    let mut inflected = Vec::new();
    if last_is_word {
        for variant in &variants {
            let last = variant.last().expect("variants are never empty");
            if !last.ends_with(['s', 'x', 'z']) {
                for ending in ["s", "es"] {
                    let mut genitive = variant.clone();
                    *genitive.last_mut().expect("not empty") = format!("{last}{ending}");
                    inflected.push(genitive);
                }
            }
            let mut apostrophe = variant.clone();
            *apostrophe.last_mut().expect("not empty") = format!("{last}'s");
            inflected.push(apostrophe);
        }
    }
    let frame = |tokens: &[String]| -> String {
        tokens.iter().map(|t| format!("{OPEN}{t}{CLOSE}")).collect()
    };
    let mut forms = vec![(frame(&variants[0]), Origin::Written)];
    forms.extend(variants[1..].iter().chain(&inflected).map(|v| (frame(v), Origin::Generated)));
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
            place:usa\tVereinigte Staaten\tUSA|US\n";
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
            .map(|m| (m.span.slice(text).to_string(), gazetteer.entities()[m.entity].id.clone()))
            .collect()
    }

    #[test]
    fn matcher_table() {
        let rows: &[(&str, &str, &[(&str, &str)])] = &[
            ("full_name_beats_surname", "Wladimir Putin kam.", &[("Wladimir Putin", "person:wladimir-putin")]),
            ("genitive_s", "Putins Rede", &[("Putins", "person:wladimir-putin")]),
            ("genitive_country", "Russlands Außenminister", &[("Russlands", "place:russland")]),
            ("genitive_diacritic", "Erdoğans Sprecher", &[("Erdoğans", "person:recep-tayyip-erdogan")]),
            ("diacritic_variant", "Erdogan und Cavusoglu", &[("Erdogan", "person:recep-tayyip-erdogan"), ("Cavusoglu", "person:mevluet-cavusoglu")]),
            ("dotless_i", "Çavuşoğlu sagte", &[("Çavuşoğlu", "person:mevluet-cavusoglu")]),
            ("nfd_input", "Erdog\u{306}an sprach", &[("Erdog\u{306}an", "person:recep-tayyip-erdogan")]),
            ("no_break_space", "Wladimir\u{a0}Putin sprach", &[("Wladimir\u{a0}Putin", "person:wladimir-putin")]),
            ("compound_part", "im Bergkarabach-Konflikt", &[("Bergkarabach", "place:bergkarabach")]),
            ("hyphen_variant", "in Berg-Karabach", &[("Berg-Karabach", "place:bergkarabach")]),
            ("hyphenless_form", "Berg Karabach", &[("Berg Karabach", "place:bergkarabach")]),
            ("no_part_of_word", "die Russlandreise und neue Pläne", &[]),
            ("eu_compound", "EU-Beamte", &[("EU", "organization:eu")]),
            ("us_compound", "US-Außenminister", &[("US", "place:usa")]),
            ("minsker_not_minsk", "die Minsker Gruppe", &[("Minsker Gruppe", "organization:minsker-gruppe")]),
            ("declined_adjective", "des Europäischen Rates", &[("Europäischen Rates", "organization:europaeischer-rat")]),
            ("case_variant", "NATO und Nato", &[("NATO", "organization:nato"), ("Nato", "organization:nato")]),
            ("capital_required", "nato", &[]),
            ("lowercase_alias", "(Foto: dpa)", &[("dpa", "organization:dpa")]),
            ("nato_compound", "Nato-Einsatzes", &[("Nato", "organization:nato")]),
        ];
        for (name, text, expected) in rows {
            let expected: Vec<(String, String)> =
                expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
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
        let found: Vec<&str> = matcher.find(text, sentence).iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(found, ["Charles Michel"]);
    }
}

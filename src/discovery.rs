//! Names the gazetteer does not know: people introduced by a role
//! ("der georgische Außenminister Ilia Dartschiaschwili", "Louis Bono,
//! Washingtons leitender Berater"), and later mentions of a person's surname
//! alone ("… sagte Dartschiaschwili").
//!
//! Discovery is deliberately narrow: a name is two or three capitalized words
//! that no gazetteer name covers, right after a word for a person's role or
//! office, or right before a comma and such a word. A single capitalized word
//! is never taken for a new person.

use std::sync::LazyLock;

use crate::gazetteer::{Entity, EntityKind, Gazetteer, Mention};
use crate::span::Span;
use crate::token::{Sentence, Token, TokenKind, fold};

/// Words ending like these name a person by role or office (after the
/// inflection endings -s, -n, -en are removed).
const ROLE_ENDINGS: &[&str] = &[
    "minister",
    "ministerin",
    "prasident",
    "prasidentin",
    "sprecher",
    "sprecherin",
    "berater",
    "beraterin",
    "chef",
    "chefin",
    "botschafter",
    "botschafterin",
    "gesandter",
    "gesandte",
    "kommissar",
    "kommissarin",
    "sekretar",
    "sekretarin",
    "vorsitzende",
    "vorsitzender",
    "diplomat",
    "diplomatin",
    "vertreter",
    "vertreterin",
    "kanzler",
    "kanzlerin",
    "burgermeister",
    "burgermeisterin",
    "gouverneur",
    "gouverneurin",
    "senator",
    "senatorin",
    "abgeordnete",
    "abgeordneter",
    "politiker",
    "politikerin",
    "general",
    "direktor",
    "direktorin",
    "journalist",
    "journalistin",
    "richter",
    "richterin",
    "premier",
    "kandidat",
    "kandidatin",
    "leiter",
    "leiterin",
    "konig",
    "konigin",
    "prinz",
    "prinzessin",
    "papst",
    "staatschef",
    "regierungschef",
    "oberhaupt",
    "aktivist",
    "aktivistin",
    "oppositionsfuhrer",
    "oppositionsfuhrerin",
    "unternehmer",
    "unternehmerin",
    "trainer",
    "trainerin",
    "autor",
    "autorin",
    "sanger",
    "sangerin",
    "schauspieler",
    "schauspielerin",
    "ministerprasident",
    "kollege",
    "kollegin",
    "nachfolger",
    "nachfolgerin",
    "vorganger",
    "vorgangerin",
    "gastgeber",
    "gastgeberin",
    "rivale",
    "rivalin",
    "manager",
    "managerin",
    "furst",
    "furstin",
    "graf",
    "grafin",
    "kaiser",
    "kaiserin",
    "scheich",
    "emir",
    "sultan",
    "experte",
    "expertin",
    "bischof",
    "kardinal",
    "partner",
    "partnerin",
    "gegner",
    "gegnerin",
];

/// Capitalized words that are not names (sentence openers, titles, months).
const NOT_NAMES: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "er",
    "sie",
    "es",
    "wir",
    "ihr",
    "am",
    "im",
    "in",
    "an",
    "auf",
    "aus",
    "bei",
    "mit",
    "nach",
    "von",
    "vor",
    "zu",
    "zum",
    "zur",
    "und",
    "oder",
    "aber",
    "doch",
    "auch",
    "nur",
    "noch",
    "herr",
    "frau",
    "dr",
    "prof",
    "sankt",
    "st",
    "januar",
    "februar",
    "marz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "heute",
    "gestern",
    "dabei",
    "damit",
    "dazu",
    "dann",
    "so",
    "wie",
    "was",
    "wer",
    "wo",
    "als",
    "ob",
    "dass",
    "laut",
    "seit",
    "trotz",
    "wegen",
    "uber",
    "unter",
    "gegen",
    "ohne",
    "fur",
    "um",
    "bis",
    "sein",
    "seine",
    "seinen",
    "seinem",
    "seiner",
    "ihre",
    "ihren",
    "ihrem",
    "ihrer",
    "unser",
    "unsere",
    "mein",
    "meine",
    "dein",
    "deine",
    "dieser",
    "diese",
    "dieses",
    "diesem",
    "jener",
    "alle",
    "viele",
    "einige",
    "beide",
    "beiden",
    "kein",
    "keine",
    "jeder",
    "jede",
    "neue",
    "neuer",
];

/// Finds people the gazetteer does not know, and surname-only mentions.
#[derive(Clone, Debug, Default)]
pub struct PersonDiscoverer {}

impl PersonDiscoverer {
    /// The discoverer with its built-in word lists.
    pub fn new() -> PersonDiscoverer {
        PersonDiscoverer {}
    }

    /// New people in a document. Mentions of them are added to `mentions`
    /// (one list per sentence, kept in text order) with entity indices past
    /// the gazetteer's, in the order of the returned entities.
    pub fn discover(
        &self,
        gazetteer: &Gazetteer,
        text: &str,
        sentences: &[Sentence],
        mentions: &mut [Vec<Mention>],
    ) -> Vec<Entity> {
        let mut discovered: Vec<Entity> = Vec::new();
        // Per token of a sentence; kept from sentence to sentence, made as
        // long as the longest sentence at once instead of grown.
        let longest = sentences.iter().map(|s| s.tokens.len()).max().unwrap_or(0);
        let mut capital: Vec<bool> = Vec::with_capacity(longest);
        let mut shaped: Vec<std::cell::Cell<Option<bool>>> = Vec::with_capacity(longest);
        let mut known: Vec<std::cell::Cell<Option<bool>>> = Vec::with_capacity(longest);
        // The tokens that start with a capital as the token after them does.
        let mut pairs = crate::bits::Positions::default();
        // A word folded for the lists, kept from word to word.
        let folded = std::cell::RefCell::new(String::new());
        for (number, sentence) in sentences.iter().enumerate() {
            let tokens = &sentence.tokens;
            let covered = |i: usize| {
                mentions[number]
                    .iter()
                    .any(|m| m.span.contains(tokens[i].span))
            };
            // Capitalized words first (cheap); the shape and the lists only
            // for runs of them. Runs start at two name-shaped words side by
            // side and grow, or are checked, only next to one, so whether a
            // word is shaped like a name matters only when a word beside it
            // starts with a capital (a first byte that is an ASCII capital or
            // starts a non-ASCII letter). Most capitalized words stand alone
            // and are not tested: taken as not shaped, they answer every
            // question the loop below asks as they would if tested.
            let bytes = text.as_bytes();
            capital.clear();
            capital.extend(tokens.iter().map(|token| may_be_capitalized(bytes, token)));
            let capital = &capital;
            // Worked out when first asked: most runs are passed over before.
            shaped.clear();
            shaped.resize(tokens.len(), Default::default());
            let shaped = &shaped;
            let is_shaped = |i: usize| {
                if let Some(answer) = shaped[i].get() {
                    return answer;
                }
                let answer = capital[i]
                    && (i > 0 && capital[i - 1] || capital.get(i + 1) == Some(&true))
                    && is_name_shaped(tokens[i].span.slice(text));
                shaped[i].set(Some(answer));
                answer
            };
            // Asked several times per token as runs are tried: worked out once.
            known.clear();
            known.resize(tokens.len(), Default::default());
            let known = &known;
            let is_name_word = |i: usize| {
                if let Some(answer) = known[i].get() {
                    return answer;
                }
                let answer = is_shaped(i) && !covered(i) && {
                    // Shaped words start with a capital: fold once for both lists.
                    let mut folded = folded.borrow_mut();
                    folded.clear();
                    crate::token::fold_into(tokens[i].span.slice(text), &mut folded);
                    !is_function_word(&folded) && !has_role_ending(&folded)
                };
                known[i].set(Some(answer));
                answer
            };
            let mut found: Vec<Span> = Vec::new();
            // Only a run beside a role is taken: a role word right before it
            // (which starts with a capital) or a comma right after its two or
            // three words. Where neither can be, the run is not looked at.
            let comma = |at: usize| tokens.get(at).is_some_and(|t| t.span.slice(text) == ",");
            // A run starts at a capitalized word before another: only those
            // places are visited.
            pairs.fill(capital.windows(2).map(|two| two[0] & two[1]));
            // The first token not yet taken by a run.
            let mut next = 0;
            while let Some(i) = pairs.from(next) {
                next = i + 1;
                let role_beside = || (i > 0 && capital[i - 1]) || comma(i + 2) || comma(i + 3);
                if !(role_beside() && is_shaped(i) && is_shaped(i + 1)) {
                    continue;
                }
                // The longest run of name words (two or three) starting at i.
                let mut end = i;
                while end < tokens.len() && end - i < 3 && is_name_word(end) {
                    end += 1;
                }
                let length = end - i;
                if !(2..=3).contains(&length) || end < tokens.len() && is_name_word(end) {
                    continue;
                }
                let before_is_role = i > 0 && is_role_word(tokens[i - 1].span.slice(text));
                let after_is_role = tokens.get(end).is_some_and(|t| t.span.slice(text) == ",")
                    && (end + 1..(end + 5).min(tokens.len())).any(|j| {
                        tokens[j].kind == TokenKind::Word
                            && is_role_word(tokens[j].span.slice(text))
                    });
                if before_is_role || after_is_role {
                    found.push(Span::new(tokens[i].span.start, tokens[end - 1].span.end));
                    next = end;
                }
            }
            for span in found {
                let name: String = span
                    .slice(text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let id = format!("person:{}", slug(&name));
                if gazetteer.entity(&id).is_some() {
                    continue;
                }
                let index = match discovered.iter().position(|e| e.id == id) {
                    Some(index) => index,
                    None => {
                        discovered.push(Entity {
                            id,
                            kind: EntityKind::Person,
                            label: name,
                            aliases: Vec::new(),
                            wikidata: None,
                        });
                        discovered.len() - 1
                    }
                };
                insert(
                    &mut mentions[number],
                    Mention {
                        entity: gazetteer.entities().len() + index,
                        span,
                    },
                );
            }
        }
        discovered
    }

    /// Links a person's surname alone ("Lawrow betonte") to the person named
    /// in full earlier in the same document, for people whose surname is not
    /// a gazetteer name of its own. A surname shared by two people named in
    /// the document stays unlinked.
    pub fn link_surnames(
        &self,
        gazetteer: &Gazetteer,
        discovered: &[Entity],
        text: &str,
        sentences: &[Sentence],
        mentions: &mut [Vec<Mention>],
    ) {
        let entity = |index: usize| -> &Entity {
            gazetteer
                .entities()
                .get(index)
                .unwrap_or_else(|| &discovered[index - gazetteer.entities().len()])
        };
        // Surname (folded) → (person, first sentence it may link from).
        let mut surnames: rustc_hash::FxHashMap<String, Option<(usize, usize)>> =
            rustc_hash::FxHashMap::default();
        for (number, list) in mentions.iter().enumerate() {
            for mention in list {
                let person = entity(mention.entity);
                if person.kind != EntityKind::Person {
                    continue;
                }
                let written = mention.span.slice(text);
                if written.split_whitespace().count() < 2 {
                    continue;
                }
                let Some(surname) = person.label.split_whitespace().last() else {
                    continue;
                };
                let key = fold(surname);
                match surnames.get(&key) {
                    None => {
                        surnames.insert(key, Some((mention.entity, number)));
                    }
                    Some(Some((other, _))) if *other != mention.entity => {
                        surnames.insert(key, None);
                    }
                    _ => {}
                }
            }
        }
        if surnames.is_empty() {
            return;
        }
        // Surnames are at least two letters; a token shorter than the
        // shortest cannot be one.
        let shortest = surnames.keys().map(String::len).min().unwrap_or(0);
        // What a word must start with to be a surname, for the words that
        // start with an ASCII capital: a surname's first letter, and its
        // second when that is ASCII too (folding lowercases ASCII and keeps
        // it where it is). `all_ascii` when every surname starts with an
        // ASCII letter, so that such words can be passed over without
        // folding them.
        let mut starts = AsciiStarts::default();
        let mut all_ascii = true;
        for key in surnames.keys() {
            all_ascii &= starts.add(key.as_bytes());
        }
        let mut folded = String::new();
        let bytes = text.as_bytes();
        let mut words = crate::bits::Positions::default();
        for (number, sentence) in sentences.iter().enumerate() {
            // The first byte and the length decide for most words, before
            // the word is sliced out of the text: the words long enough that
            // start with a capital or beyond ASCII, tested without a branch
            // per token, are the ones visited.
            words.fill(
                sentence
                    .tokens
                    .iter()
                    .map(|token| may_be_capitalized(bytes, token) & (token.span.len() >= shortest)),
            );
            for token in words.iter().map(|index| &sentence.tokens[index]) {
                let first = bytes[token.span.start];
                if first < 0x80
                    && all_ascii
                    && !starts.may_start(&bytes[token.span.start..token.span.end])
                {
                    continue;
                }
                let word = token.span.slice(text);
                if !starts_upper(word) {
                    continue;
                }
                folded.clear();
                crate::token::fold_into(word, &mut folded);
                let known = surnames.contains_key(folded.as_str())
                    || folded
                        .strip_suffix('s')
                        .is_some_and(|k| surnames.contains_key(k));
                if !known
                    || mentions[number]
                        .iter()
                        .any(|m| m.span.start < token.span.end && token.span.start < m.span.end)
                {
                    continue;
                }
                let key = folded
                    .strip_suffix('s')
                    .filter(|k| surnames.contains_key(*k))
                    .unwrap_or(&folded);
                if let Some(Some((person, from))) = surnames.get(key)
                    && number >= *from
                {
                    insert(
                        &mut mentions[number],
                        Mention {
                            entity: *person,
                            span: token.span,
                        },
                    );
                }
            }
        }
    }
}

/// True for a word of `bytes` whose first byte is an ASCII capital or
/// starts a character beyond ASCII (which may be one), tested with `&` and
/// `|`, not `&&` and `||`: without a jump, for it runs on every token.
#[inline]
fn may_be_capitalized(bytes: &[u8], token: &Token) -> bool {
    let first = bytes[token.span.start];
    (token.kind == TokenKind::Word) & (first.is_ascii_uppercase() | (first >= 0x80))
}

/// The first two letters of a set of folded words that start with ASCII
/// letters, to pass over most words that are none of them unfolded.
struct AsciiStarts {
    /// Per first letter, a bit per ASCII second byte.
    pairs: [u128; 128],
    /// Per first letter: some word goes on with a byte beyond ASCII or is
    /// that letter alone, so that any second byte may do.
    any_second: [bool; 128],
}

impl Default for AsciiStarts {
    fn default() -> AsciiStarts {
        AsciiStarts {
            pairs: [0; 128],
            any_second: [false; 128],
        }
    }
}

impl AsciiStarts {
    /// Adds a folded word; false (and nothing added) when it does not
    /// start with an ASCII lowercase letter.
    fn add(&mut self, folded: &[u8]) -> bool {
        let Some((&first, rest)) = folded.split_first() else {
            return false;
        };
        if !first.is_ascii_lowercase() {
            return false;
        }
        let first = usize::from(first);
        match rest.first() {
            Some(&second) if second < 0x80 => self.pairs[first] |= 1 << second,
            // A byte beyond ASCII next, or a word of one letter (whose
            // genitive goes on with an `s`).
            _ => self.any_second[first] = true,
        }
        true
    }

    /// False when the word `written` (starting with an ASCII letter, not
    /// folded) cannot fold to a word added.
    fn may_start(&self, written: &[u8]) -> bool {
        let first = usize::from(written[0].to_ascii_lowercase());
        if self.any_second[first] {
            return true;
        }
        match written.get(1) {
            // Folding keeps an ASCII byte, lowercased.
            Some(&second) if second < 0x80 => {
                self.pairs[first] & 1 << second.to_ascii_lowercase() != 0
            }
            // A byte beyond ASCII may fold to anything (or to nothing).
            Some(_) => self.pairs[first] != 0,
            None => false,
        }
    }
}

/// True for a word shaped like a name: a capital, then only lowercase
/// letters or apostrophes, two bytes at least ("Lawrow", "Çavuşoğlu"). ASCII is tested
/// byte by byte; from the first other byte on, by characters.
fn is_name_shaped(word: &str) -> bool {
    let bytes = word.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    let name_char = |c: char| c.is_lowercase() || c == '\'' || c == '’';
    if first >= 0x80 {
        let mut chars = word.chars();
        return chars.next().is_some_and(char::is_uppercase)
            && bytes.len() >= 2
            && chars.all(name_char);
    }
    if !first.is_ascii_uppercase() || bytes.len() < 2 {
        return false;
    }
    for (i, &byte) in bytes.iter().enumerate().skip(1) {
        if byte >= 0x80 {
            // Every byte before is ASCII, so `i` starts a character.
            return word[i..].chars().all(name_char);
        }
        if !(byte.is_ascii_lowercase() || byte == b'\'') {
            return false;
        }
    }
    true
}

/// True when the first character is an uppercase letter.
fn starts_upper(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(&byte) if byte < 0x80 => byte.is_ascii_uppercase(),
        _ => word.chars().next().is_some_and(char::is_uppercase),
    }
}

/// True for the capitalized function words, titles and calendar words that
/// are not names (folded).
pub(crate) fn is_function_word(folded: &str) -> bool {
    static WORDS: LazyLock<rustc_hash::FxHashSet<&'static str>> =
        LazyLock::new(|| NOT_NAMES.iter().copied().collect());
    WORDS.contains(folded)
}

fn insert(list: &mut Vec<Mention>, mention: Mention) {
    let at = list.partition_point(|m| m.span.start < mention.span.start);
    list.insert(at, mention);
}

/// True for a word naming a person's role ("Außenminister", "Beraterin",
/// "Sondergesandter", "Sprechers").
pub(crate) fn is_role_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && has_role_ending(&fold(word))
}

/// True when a folded word ends in a role ending, or ends so but for an
/// inflection (`s`, `n`, `en`, `in`, `innen`).
fn has_role_ending(folded: &str) -> bool {
    static ENDINGS: LazyLock<ReversedEndings> =
        LazyLock::new(|| ReversedEndings::new(ROLE_ENDINGS));
    let bytes = folded.as_bytes();
    ["", "s", "n", "en", "in", "innen"]
        .iter()
        .any(|inflection| {
            bytes
                .strip_suffix(inflection.as_bytes())
                .is_some_and(|stem| ENDINGS.ends(stem))
        })
}

/// Word endings of lowercase ASCII letters in a trie walked from a word's
/// last byte backwards: whether a word ends in one of them takes a step per
/// byte of the longest ending it could end in, and usually one or two.
struct ReversedEndings {
    /// Per node, the child along each letter `a`..=`z` (0: none; the root
    /// is node 0 and never a child).
    children: Vec<[u32; 26]>,
    /// Per node, whether an ending ends here.
    ends: Vec<bool>,
}

impl ReversedEndings {
    fn new(endings: &[&str]) -> ReversedEndings {
        let mut trie = ReversedEndings {
            children: vec![[0; 26]],
            ends: vec![false],
        };
        for ending in endings {
            let mut node = 0;
            for byte in ending.bytes().rev() {
                assert!(
                    byte.is_ascii_lowercase(),
                    "role endings are lowercase ASCII"
                );
                let letter = usize::from(byte - b'a');
                if trie.children[node][letter] == 0 {
                    trie.children[node][letter] =
                        u32::try_from(trie.ends.len()).expect("a small trie");
                    trie.children.push([0; 26]);
                    trie.ends.push(false);
                }
                node = trie.children[node][letter] as usize;
            }
            trie.ends[node] = true;
        }
        trie
    }

    /// True when `word` ends in one of the endings.
    fn ends(&self, word: &[u8]) -> bool {
        let mut node = 0;
        for &byte in word.iter().rev() {
            if !byte.is_ascii_lowercase() {
                return false;
            }
            node = self.children[node][usize::from(byte - b'a')] as usize;
            if node == 0 {
                return false;
            }
            if self.ends[node] {
                return true;
            }
        }
        false
    }
}

/// A stable id slug from a name: folded, non-alphanumerics as hyphens.
pub fn slug(name: &str) -> String {
    let folded = fold(name);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Tokenizer;
    use std::path::Path;

    /// A word that folds to a surname, or to one and a genitive `s`, is
    /// never passed over by the first-letters test.
    #[quickcheck_macros::quickcheck]
    fn first_letters_pass_every_surname(keys: Vec<Vec<u8>>, word: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "P", "p", "u", "T", "s", "ü", "Ü", "e\u{301}", "\u{ad}", "'", "ß", "a", "S", "ı",
        ];
        let text =
            |picks: &[u8]| crate::test_text::from_picks(&picks[..picks.len().min(6)], PIECES);
        // The word and each of its beginnings, each folding to a surname
        // (and, for its genitive, less an `s`) among others.
        (0..=word.len().min(6)).all(|end| {
            let word = format!("P{}", text(&word[..end]));
            let mut keys: Vec<String> = keys.iter().map(|k| fold(&text(k))).collect();
            keys.push(fold(&word));
            // Surnames that start otherwise turn the test off (`all_ascii`).
            keys.retain(|k| k.as_bytes().first().is_some_and(u8::is_ascii_lowercase));
            let mut starts = AsciiStarts::default();
            assert!(keys.iter().all(|k| starts.add(k.as_bytes())));
            let genitive = format!("{word}s");
            starts.may_start(word.as_bytes()) && starts.may_start(genitive.as_bytes())
        })
    }

    #[test]
    fn first_letters_pass_over_other_words() {
        let mut starts = AsciiStarts::default();
        assert!(starts.add(b"putin") && starts.add(b"merkel") && starts.add(b"x"));
        assert!(!starts.add("özil".as_bytes()) && !starts.add(b""));
        assert!(starts.may_start(b"Putins") && starts.may_start(b"PUTIN"));
        assert!(starts.may_start("P\u{ad}utin".as_bytes()));
        assert!(!starts.may_start(b"Polizei") && !starts.may_start(b"Minister"));
        assert!(!starts.may_start(b"Stadt") && !starts.may_start(b"P"));
        assert!(starts.may_start(b"X") && starts.may_start(b"Xs"));
    }

    fn discover(text: &str) -> (Vec<String>, Vec<String>) {
        let entities = "id\tlabel\taliases\twikidata\nplace:georgien\tGeorgien\t\nplace:washington\tWashington\t\nperson:sergej-lawrow\tSergej Lawrow\t\n";
        let gazetteer = Gazetteer::from_sources([(Path::new("t.tsv"), entities)]).unwrap();
        let matcher = crate::gazetteer::EntityMatcher::new(&gazetteer);
        let sentences = Tokenizer::new().tokenize(text, Span::new(0, text.len()));
        let sentences: Vec<_> = sentences.iter().collect();
        let mut mentions: Vec<Vec<Mention>> =
            sentences.iter().map(|s| matcher.find(text, s)).collect();
        let discoverer = PersonDiscoverer::new();
        let found = discoverer.discover(&gazetteer, text, &sentences, &mut mentions);
        discoverer.link_surnames(&gazetteer, &found, text, &sentences, &mut mentions);
        let people = mentions
            .iter()
            .flatten()
            .filter(|m| {
                m.entity >= gazetteer.entities().len()
                    || gazetteer.entities()[m.entity].kind == EntityKind::Person
            })
            .map(|m| m.span.slice(text).to_string())
            .collect();
        (found.iter().map(|e| e.id.clone()).collect(), people)
    }

    #[test]
    fn discovery_table() {
        let rows: &[(&str, &str, &[&str], &[&str])] = &[
            (
                "role_before",
                "Der georgische Außenminister Ilia Dartschiaschwili reiste ab. Dartschiaschwili sagte nichts.",
                &["person:ilia-dartschiaschwili"],
                &["Ilia Dartschiaschwili", "Dartschiaschwili"],
            ),
            (
                "role_after_comma",
                "Die USA wurden von Louis Bono, Washingtons leitendem Berater, vertreten.",
                &["person:louis-bono"],
                &["Louis Bono"],
            ),
            (
                "known_surname_links",
                "Sergej Lawrow kam. Lawrows Rede war kurz.",
                &[],
                &["Sergej Lawrow", "Lawrows"],
            ),
            (
                "single_word_is_not_a_person",
                "Der Sprecher Müller sagte nichts.",
                &[],
                &[],
            ),
            ("no_role_no_person", "Neue Wege führen nach Rom.", &[], &[]),
            (
                "three_words_then_comma_and_role",
                "Es sprach Anna Maria Schulz, die Sprecherin des Ministeriums.",
                &["person:anna-maria-schulz"],
                &["Anna Maria Schulz"],
            ),
            (
                "role_before_three_words",
                "Der Sondergesandte Jean Paul Marat kam.",
                &["person:jean-paul-marat"],
                &["Jean Paul Marat"],
            ),
            (
                "first_words_then_comma_and_role",
                "Louis Bono, Berater des Präsidenten, kam.",
                &["person:louis-bono"],
                &["Louis Bono"],
            ),
            (
                "role_too_far_after_the_comma",
                "Es kam Louis Bono, ein seit langem bekannter Berater.",
                &[],
                &[],
            ),
            (
                "four_words_after_a_role",
                "Der Berater Louis Paul Maria Bono kam.",
                &[],
                &[],
            ),
            (
                "surname_before_full_name_is_not_linked",
                "Dartschiaschwili kam. Der Außenminister Ilia Dartschiaschwili sprach.",
                &["person:ilia-dartschiaschwili"],
                &["Ilia Dartschiaschwili"],
            ),
        ];
        for (name, text, ids, people) in rows {
            let (found, mentions) = discover(text);
            assert_eq!(&found, ids, "{name}");
            assert_eq!(&mentions, people, "{name}");
        }
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Ilia Dartschiaschwili"), "ilia-dartschiaschwili");
        assert_eq!(slug("Jean-Claude Juncker"), "jean-claude-juncker");
        assert_eq!(slug("Mevlüt Çavuşoğlu"), "mevlut-cavusoglu");
    }

    proptest::proptest! {
        /// The byte tests answer as the character tests they stand for.
        #[test]
        fn shape_tests_agree_with_characters(word in "[a-zA-Z'’ÄäÖöÜüßÇçĞğŞşİı.0-9ǅ-]{0,8}") {
            let mut chars = word.chars();
            let shaped = chars.next().is_some_and(char::is_uppercase)
                && word.len() >= 2
                && chars.all(|c| c.is_lowercase() || c == '\'' || c == '’');
            proptest::prop_assert_eq!(is_name_shaped(&word), shaped);
            let upper = word.chars().next().is_some_and(char::is_uppercase);
            proptest::prop_assert_eq!(starts_upper(&word), upper);
        }
    }

    #[test]
    fn name_shapes() {
        for word in ["Lawrow", "D'arc", "Çavuşoğlu", "Öz", "Ab’c", "Ä"] {
            assert!(is_name_shaped(word), "{word}");
        }
        for word in [
            "lawrow",
            "O'Neill",
            "OSZE",
            "G20",
            "A",
            "Jean-Claude",
            "",
            "ÇAVUŞ",
            "Lawrow.",
        ] {
            assert!(!is_name_shaped(word), "{word}");
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The reversed trie answers as "ends in an ending, then maybe an
        /// inflection", checked directly.
        #[test]
        fn role_endings_are_found_as_plain_suffix_tests_find_them(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(ROLE_ENDINGS.to_vec()).prop_map(str::to_string),
                    "[a-zäöüß'-]{0,4}",
                    proptest::sample::select(vec!["s", "n", "en", "in", "innen", "ss"]).prop_map(str::to_string),
                ],
                0..4,
            )
        ) {
            let folded: String = parts.concat();
            let expected = ROLE_ENDINGS.iter().any(|ending| {
                ["", "s", "n", "en", "in", "innen"]
                    .iter()
                    .any(|inflection| folded.ends_with(&format!("{ending}{inflection}")))
            });
            proptest::prop_assert_eq!(has_role_ending(&folded), expected, "{}", folded);
        }
    }
}

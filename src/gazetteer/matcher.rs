//! The entity matcher: a trie of folded tokens over every alias of every
//! entity, walked from each token of a sentence.
//!
//! Each alias is cut into tokens by the same [`Tokenizer`] as the text and
//! folded (see [`crate::token::fold`]); the folded tokens are numbered (see
//! [`super::keys`]) and the aliases stored as paths in a trie whose edges are
//! (node, token) pairs in one hash table. Each token of a sentence is looked
//! up once, with the stems under its possible endings; a match
//! therefore always starts and ends on token boundaries (no "EU" inside
//! "neue", no "Russland" inside "Russlandreise"), and the longest name
//! starting at a token wins ("Wladimir Putin" over "Putin"). The cost is a
//! few hash lookups per token, whatever the gazetteer's size, and building
//! the trie is one insertion per token of each name. Inflection and spelling
//! are handled when the trie is built: every alias also yields the declined
//! forms of a leading adjective (`Europäischen Rates`) and hyphen-free forms
//! of hyphenated names (`Bergkarabach` for `Berg-Karabach`); a name's last
//! token may carry a genitive ending (`Putins`, `Russlands`) or, for plural
//! places, a dative -n (`Niederlanden`).

use rustc_hash::FxHashMap;

use crate::bits::Positions;
use crate::span::Span;
use crate::token::{Sentence, Token, TokenKind, Tokenizer, fold_into};

use super::compiled::{Damage, Read, Reader, Writer, bounded, flag, u32_at};
use super::keys::{Ending, LookUp, Looked, NONE, TokenTable};
use super::{EntityKind, Gazetteer};

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

impl Case {
    const ALL: [Case; 3] = [Case::Any, Case::Capital, Case::Acronym];
}

/// A set of [`Case`]s, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cases(u8);

impl Cases {
    fn of(case: Case) -> Cases {
        Cases(1 << case as u8)
    }

    fn insert(&mut self, case: Case) {
        self.0 |= 1 << case as u8;
    }

    fn iter(self) -> impl Iterator<Item = Case> {
        Case::ALL
            .into_iter()
            .filter(move |&case| self.0 & (1 << case as u8) != 0)
    }
}

#[derive(Clone, Debug)]
struct Pattern {
    /// The entity, or `None` when two entities claim the same name equally
    /// (a `u32`, so that a pattern takes 12 bytes: a compiled gazetteer
    /// of 100,000 names holds 200,000 of them).
    entity: Option<u32>,
    origin: Origin,
    /// The ways of writing the name's forms allow (any one suffices).
    cases: Cases,
    /// The name may take a dative plural -n ("Niederlanden", "Emiraten").
    dative_n: bool,
    /// A person's surname alone: not taken when another first name stands
    /// right before it ("Jürgen Lindner" is not Christian Lindner).
    surname: bool,
}

impl Pattern {
    /// True when the name may be written with `ending` after it.
    fn takes(&self, ending: Ending) -> bool {
        match ending {
            Ending::Bare => true,
            Ending::Genitive => self.cases.iter().any(|case| case != Case::Acronym),
            Ending::DativeN => self.dative_n,
        }
    }
}

/// The names as paths of folded tokens.
#[derive(Clone, Debug, Default)]
struct Trie {
    /// Every folded token of every name, numbered.
    tokens: TokenTable,
    /// While names are added: the child of a node along a token (the root
    /// is node 0); empty once the trie is built.
    building: FxHashMap<(u32, u32), u32>,
    /// Once built: each node's children.
    children: Children,
    /// Per node: the pattern whose path ends there, or [`NONE`].
    ends: Vec<u32>,
    /// Per node: whether any path goes on from it.
    inner: Vec<bool>,
    /// Per token: the root's child along it, or [`NONE`] (the first step
    /// of every walk, taken without hashing).
    root: Vec<u32>,
}

impl Trie {
    fn new() -> Trie {
        Trie {
            ends: vec![NONE],
            inner: vec![false],
            ..Trie::default()
        }
    }

    /// The node at the end of `path` (folded tokens separated by [`STEP`]),
    /// made as needed.
    fn insert(&mut self, path: &str) -> usize {
        let mut node = 0u32;
        for token in steps(path) {
            let token = self.tokens.insert(token);
            if token as usize == self.root.len() {
                self.root.push(NONE);
            }
            let fresh = u32::try_from(self.ends.len()).expect("fewer than 2^32 nodes");
            let child = *self.building.entry((node, token)).or_insert(fresh);
            if child == fresh {
                self.ends.push(NONE);
                self.inner.push(false);
                if node == 0 {
                    self.root[token as usize] = child;
                    self.tokens.mark_start(token);
                }
            }
            self.inner[node as usize] = true;
            node = child;
        }
        node as usize
    }

    fn child(&self, node: u32, token: u32) -> u32 {
        if token == NONE {
            return NONE;
        }
        if node == 0 {
            return self.root[token as usize];
        }
        self.children.get(node, token)
    }

    /// Done adding names: the edges become the nodes' lists of children.
    fn finish(&mut self) {
        let mut edges: Vec<(u32, u32, u32)> = std::mem::take(&mut self.building)
            .into_iter()
            .map(|((node, token), child)| (node, token, child))
            .collect();
        edges.sort_unstable();
        let mut children = Children::default();
        for (node, token, child) in edges {
            children.push(node, token, child);
        }
        children.close(self.ends.len());
        self.children = children;
    }
}

/// The edges of a trie: each node's children along their tokens, sorted by
/// token, in one list for all nodes. Most nodes have one child or none (a
/// name's next word); one with many (a first name shared by many names)
/// is searched by halves.
#[derive(Clone, Debug, Default)]
struct Children {
    /// Per node, and one more: where its children start in `edges`.
    starts: Vec<u32>,
    /// Each node's tokens and children, in node order, then token order.
    edges: Vec<(u32, u32)>,
}

impl Children {
    /// The child of `node` along `token`, or [`NONE`].
    #[inline]
    fn get(&self, node: u32, token: u32) -> u32 {
        let node = node as usize;
        let (Some(&start), Some(&end)) = (self.starts.get(node), self.starts.get(node + 1)) else {
            return NONE;
        };
        let edges = &self.edges[start as usize..end as usize];
        let found = if edges.len() <= 8 {
            edges.iter().find(|&&(step, _)| step == token)
        } else {
            edges
                .binary_search_by_key(&token, |&(step, _)| step)
                .ok()
                .map(|at| &edges[at])
        };
        found.map_or(NONE, |&(_, child)| child)
    }

    /// Adds the edge from `node` along `token`: edges come in order of
    /// node, then token.
    fn push(&mut self, node: u32, token: u32, child: u32) {
        let at = u32::try_from(self.edges.len()).expect("fewer than 2^32 edges");
        while self.starts.len() <= node as usize {
            self.starts.push(at);
        }
        self.edges.push((token, child));
    }

    /// All edges added, of a trie of `nodes` nodes.
    fn close(&mut self, nodes: usize) {
        let end = u32::try_from(self.edges.len()).expect("fewer than 2^32 edges");
        self.starts.resize(nodes + 1, end);
    }

    /// The edges, in order of node, then token.
    fn iter(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        self.starts
            .windows(2)
            .enumerate()
            .flat_map(|(node, range)| {
                self.edges[range[0] as usize..range[1] as usize]
                    .iter()
                    .map(move |&(token, child)| (node as u32, token, child))
            })
    }
}

/// One way a name may end at a token: the pattern, the ending after it and
/// how many bytes of the folded token the ending takes (no node, no token
/// and no pattern are all [`NONE`]).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    last: usize,
    pattern: u32,
    ending: Ending,
    ending_len: usize,
}

/// Finds gazetteer entities in sentences.
#[derive(Clone, Debug)]
pub struct EntityMatcher {
    trie: Trie,
    patterns: Vec<Pattern>,
    /// First names of the gazetteer's people (folded): one of them right
    /// before a surname names someone else ("Jürgen Lindner").
    given_names: rustc_hash::FxHashSet<String>,
}

/// Entities whose forms are made at a time while the trie is filled.
const FORMS_CHUNK: usize = 4096;

/// Entities whose forms one thread makes into one [`Forms`].
const FORMS_PART: usize = 256;

/// The forms of each name of `entities` (tokenized and folded), in
/// parallel, a part of [`FORMS_PART`] entities per thread at a time, in
/// entity order.
fn names_of(entities: &[&crate::gazetteer::Entity]) -> Vec<Forms> {
    use rayon::prelude::*;
    entities
        .par_chunks(FORMS_PART)
        .map_init(FormScratch::default, |scratch, part| {
            let mut out = Forms::default();
            // Most names have one form, about as long as the name.
            let names = part.iter().map(|e| 1 + e.aliases.len()).sum();
            let bytes = part
                .iter()
                .flat_map(|e| std::iter::once(&e.label).chain(&e.aliases))
                .map(String::len)
                .sum();
            out.paths.reserve(bytes);
            out.forms.reserve(names);
            out.names.reserve(names);
            out.entities.reserve(part.len());
            out.first_name_ends.reserve(part.len());
            for entity in part {
                // A first name right before a surname names someone else
                // (see `EntityMatcher::given_names`).
                let first_name = (entity.kind == EntityKind::Person)
                    .then(|| memchr::memchr(b' ', entity.label.as_bytes()))
                    .flatten()
                    .map(|space| {
                        fold_into(&entity.label[..space], &mut out.first_names);
                        out.first_names.len()
                    });
                out.first_name_ends.push(first_name);
                let label_words = word_count(&entity.label);
                for name in std::iter::once(&entity.label).chain(&entity.aliases) {
                    let words = word_count(name);
                    forms(scratch, name, entity.kind, &mut out);
                    out.names.push(NameForms {
                        case: case_of(name),
                        surname: entity.kind == EntityKind::Person && words == 1 && label_words > 1,
                        // Plural place names take a dative -n: "Niederlande",
                        // "Emirate", "Palästinensergebiete" (not "Liège" → "Liegen").
                        dative_n: entity.kind != EntityKind::Person
                            && (name.ends_with("de") || name.ends_with("te"))
                            && name.chars().count() >= 8,
                        forms_end: out.forms.len(),
                    });
                }
                out.entities.push(out.names.len());
            }
            out
        })
        .collect()
}

/// The words of `name` as `split_whitespace` counts them. ASCII is read
/// eight bytes at a time: a word starts at each byte that is no white
/// space after one that is (or at the start).
fn word_count(name: &str) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let within = crate::token::bytes_within;
    let mut words = 0;
    // The high bit of the byte before the eight: set when it is a word's.
    let mut before = 0;
    for eight in name.as_bytes().chunks(8) {
        // Past the end: spaces.
        let mut bytes = [b' '; 8];
        bytes[..eight.len()].copy_from_slice(eight);
        let word = u64::from_le_bytes(bytes);
        if word & HIGH != 0 {
            return name.split_whitespace().count();
        }
        // ASCII white space as Unicode has it: tab, line feed, vertical
        // tab, form feed, carriage return and space.
        let inside = !(within(word, b'\t', b'\r') | within(word, b' ', b' ')) & HIGH;
        words += (inside & !(inside << 8 | before)).count_ones() as usize;
        before = inside >> 56;
    }
    words
}

/// One name of an entity, ready for the trie.
struct NameForms {
    case: Case,
    surname: bool,
    dative_n: bool,
    /// Where its forms end in [`Forms::forms`] (they start where the name
    /// before ends).
    forms_end: usize,
}

/// The forms of the names of some entities, in order, in a few buffers
/// instead of a string per form: making them allocates a few times per
/// part, and the thread that fills the trie frees as many buffers.
#[derive(Default)]
struct Forms {
    /// Every form's path, one after another.
    paths: String,
    /// Per form: where its path ends in `paths`, and how it came about.
    forms: Vec<(usize, Origin)>,
    /// Per name.
    names: Vec<NameForms>,
    /// Per entity: where its names end in `names`.
    entities: Vec<usize>,
    /// The first names of the people among the entities (the label's
    /// first word, folded), one after another.
    first_names: String,
    /// Per entity: where its first name ends in `first_names`, for a
    /// person whose label has a space (it starts where the one before
    /// ends).
    first_name_ends: Vec<Option<usize>>,
}

impl Forms {
    /// Per entity, in order: its first name (see [`Forms::first_names`]),
    /// and per name, the name and its forms' paths.
    fn each(
        &self,
    ) -> impl Iterator<
        Item = (
            Option<&str>,
            impl Iterator<Item = (&NameForms, FormPaths<'_>)>,
        ),
    > {
        let firsts = std::iter::once(0).chain(self.entities.iter().copied());
        let mut first_name_start = 0;
        let first_names = self.first_name_ends.iter().map(move |&end| {
            let end = end?;
            let name = &self.first_names[first_name_start..end];
            first_name_start = end;
            Some(name)
        });
        let names = firsts.zip(&self.entities).map(move |(first, &end)| {
            (first..end).map(move |index| {
                let name = &self.names[index];
                let forms_start = match index {
                    0 => 0,
                    _ => self.names[index - 1].forms_end,
                };
                let paths_start = match forms_start {
                    0 => 0,
                    _ => self.forms[forms_start - 1].0,
                };
                let paths = FormPaths {
                    paths: &self.paths,
                    start: paths_start,
                    forms: self.forms[forms_start..name.forms_end].iter(),
                };
                (name, paths)
            })
        });
        first_names.zip(names)
    }
}

/// The forms of one name: each path with its origin.
struct FormPaths<'a> {
    paths: &'a str,
    start: usize,
    forms: std::slice::Iter<'a, (usize, Origin)>,
}

impl<'a> Iterator for FormPaths<'a> {
    type Item = (&'a str, Origin);

    fn next(&mut self) -> Option<(&'a str, Origin)> {
        let &(end, origin) = self.forms.next()?;
        let path = &self.paths[self.start..end];
        self.start = end;
        Some((path, origin))
    }
}

/// A sentence's tokens looked up in the trie's token table; reused across
/// calls.
#[derive(Default)]
struct Scratch {
    /// The token table's answers for recent tokens, and a token folded.
    look_up: LookUp,
    /// Per token: its number and its stems'.
    tokens: Vec<Looked>,
    /// The tokens that start a name, with or without an ending.
    starts: Positions,
    candidates: Vec<Candidate>,
}

impl EntityMatcher {
    /// Builds the trie over all names of `gazetteer`, its role words
    /// marked.
    pub fn new(gazetteer: &Gazetteer) -> EntityMatcher {
        let mut matcher = EntityMatcher::of_names(gazetteer);
        matcher.mark_role_words(&crate::interaction::role_word_forms(gazetteer));
        matcher
    }

    /// The trie over all names of `gazetteer`, no role word marked.
    fn of_names(gazetteer: &Gazetteer) -> EntityMatcher {
        let entities: Vec<&crate::gazetteer::Entity> = gazetteer.entities().iter().collect();
        // The forms of each name (tokenizing and folding) are made in
        // parallel, a chunk of entities at a time; the trie is filled in
        // entity order on one thread while the next chunk's forms are made
        // on the others.
        let mut matcher = EntityMatcher {
            trie: Trie::new(),
            patterns: Vec::new(),
            given_names: rustc_hash::FxHashSet::default(),
        };
        let chunk = |start: usize| start..entities.len().min(start + FORMS_CHUNK);
        let mut range = chunk(0);
        let mut names = names_of(&entities[range.clone()]);
        loop {
            // After the last chunk, the next one is empty.
            let next = chunk(range.end);
            let ((), next_names) = rayon::join(
                || matcher.fill(range.start, names),
                || names_of(&entities[next.clone()]),
            );
            if next.is_empty() {
                matcher.trie.finish();
                return matcher;
            }
            (range, names) = (next, next_names);
        }
    }

    /// Marks the folded words `forms` as role words in the token table
    /// (adding those that are no token of a name: tokens that start no
    /// name and lead nowhere in the trie, so the matches are the same).
    fn mark_role_words(&mut self, forms: &[String]) {
        let trie = &mut self.trie;
        for form in forms {
            let number = trie.tokens.insert(form);
            if number as usize == trie.root.len() {
                trie.root.push(NONE);
            }
            trie.tokens.mark_role(number);
        }
    }

    /// Adds the names of the entities from number `first` on to the trie.
    fn fill(&mut self, first: usize, names: Vec<Forms>) {
        let EntityMatcher {
            trie,
            patterns,
            given_names,
        } = self;
        let forms = names.iter().flat_map(Forms::each);
        for (index, (first_name, names)) in (first..).zip(forms) {
            let index = u32::try_from(index).expect("fewer than 2^32 entities");
            if let Some(given) = first_name
                && !given_names.contains(given)
            {
                given_names.insert(given.to_string());
            }
            for (name, forms) in names {
                let &NameForms {
                    case,
                    surname,
                    dative_n,
                    ..
                } = name;
                for (path, origin) in forms {
                    let candidate = Pattern {
                        entity: Some(index),
                        origin,
                        cases: Cases::of(case),
                        dative_n,
                        surname,
                    };
                    let node = trie.insert(path);
                    let slot = trie.ends[node];
                    if slot == NONE {
                        trie.ends[node] =
                            u32::try_from(patterns.len()).expect("fewer than 2^32 patterns");
                        patterns.push(candidate);
                        continue;
                    }
                    let existing = &mut patterns[slot as usize];
                    if existing.entity == Some(index) {
                        existing.origin = existing.origin.max(origin);
                        existing.cases.insert(case);
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

    /// The mentions in one sentence of `text`, in text order, never
    /// overlapping; the longest name wins where names overlap.
    pub fn find(&self, text: &str, sentence: &Sentence) -> Vec<Mention> {
        self.find_noting_roles(text, sentence).0
    }

    /// [`EntityMatcher::find`], and whether a word of the sentence is a
    /// role word ([`crate::interaction::role_word_forms`]), told by the
    /// lookups the matching makes anyway.
    pub(crate) fn find_noting_roles(
        &self,
        text: &str,
        sentence: &Sentence,
    ) -> (Vec<Mention>, bool) {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> =
                std::cell::RefCell::new(Scratch::default());
        }
        SCRATCH.with_borrow_mut(|scratch| self.find_with(text, sentence, scratch))
    }

    fn find_with(
        &self,
        text: &str,
        sentence: &Sentence,
        scratch: &mut Scratch,
    ) -> (Vec<Mention>, bool) {
        let tokens = &sentence.tokens;
        let Scratch {
            look_up,
            tokens: folds,
            starts,
            candidates,
        } = scratch;
        folds.clear();
        self.trie
            .tokens
            .look_up_all(text, tokens.iter().map(|token| token.span), look_up, folds);
        // Most tokens start no name, with or without an ending: their
        // answers say so, as the root's children would, and only the others
        // are visited.
        debug_assert!(folds.iter().all(|looked| {
            looked.starts()
                == (self.trie.child(0, looked.number) != NONE
                    || looked
                        .stems()
                        .any(|stem| self.trie.child(0, stem.number) != NONE))
        }));
        let mut role_word = false;
        starts.fill(folds.iter().map(|looked| {
            role_word |= looked.role();
            looked.starts()
        }));
        let mut mentions = Vec::new();
        // The first token not yet taken by a name.
        let mut next = 0;
        while let Some(first) = starts.from(next) {
            candidates.clear();
            self.candidates(folds, first, candidates);
            // Longest first: more tokens, then a shorter ending.
            candidates.sort_by_key(|c| (std::cmp::Reverse(c.last), c.ending_len));
            let mut taken = None;
            for candidate in candidates.iter() {
                let pattern = &self.patterns[candidate.pattern as usize];
                let Some(entity) = pattern.entity else {
                    // Two entities claim this name: it is there, unresolved,
                    // and no shorter name inside it is meant.
                    taken = Some((candidate.last, None));
                    break;
                };
                if self.accepts(text, tokens, &mentions, first, candidate, pattern) {
                    taken = Some((candidate.last, Some(entity as usize)));
                    break;
                }
            }
            match taken {
                Some((last, entity)) => {
                    if let Some(entity) = entity {
                        let span = Span::new(tokens[first].span.start, tokens[last].span.end);
                        mentions.push(Mention { entity, span });
                    }
                    next = last + 1;
                }
                None => next = first + 1,
            }
        }
        (mentions, role_word)
    }

    /// Every name that starts at token `first` and ends at a token (with an
    /// ending the name takes).
    fn candidates(&self, folds: &[Looked], first: usize, out: &mut Vec<Candidate>) {
        let mut node = 0u32;
        for (last, looked) in folds.iter().enumerate().skip(first) {
            let next = self.trie.child(node, looked.number);
            let mut ends = |child: u32, ending: Ending, ending_len: usize| {
                if child == NONE {
                    return;
                }
                let pattern = self.trie.ends[child as usize];
                if pattern != NONE && self.patterns[pattern as usize].takes(ending) {
                    out.push(Candidate {
                        last,
                        pattern,
                        ending,
                        ending_len,
                    });
                }
            };
            ends(next, Ending::Bare, 0);
            for stem in looked.stems() {
                ends(
                    self.trie.child(node, stem.number),
                    stem.ending,
                    usize::from(stem.cut),
                );
            }
            node = next;
            if node == NONE || !self.trie.inner[node as usize] {
                break;
            }
        }
    }

    /// True when the name `candidate` (from token `first`) is written as
    /// the name's case asks and is not a surname after another first name.
    fn accepts(
        &self,
        text: &str,
        tokens: &[Token],
        mentions: &[Mention],
        first: usize,
        candidate: &Candidate,
        pattern: &Pattern,
    ) -> bool {
        let written = &tokens[first..=candidate.last];
        let acronym_inflected = candidate.ending == Ending::Genitive;
        let case_ok = pattern.cases.iter().any(|case| {
            !(case == Case::Acronym && acronym_inflected) && case_matches(case, text, written)
        });
        if !case_ok {
            return false;
        }
        let after_name = mentions
            .last()
            .is_some_and(|m| first > 0 && m.span.end == tokens[first - 1].span.end);
        !(pattern.surname
            && first > 0
            && !after_name
            && self.follows_given_name(text, &tokens[first - 1], &tokens[first]))
    }
}

impl EntityMatcher {
    /// Writes the matcher, built for a gazetteer of `entities` entities, as
    /// a compiled gazetteer holds it: the trie's tokens (in number order),
    /// nodes, root steps and edges (sorted), the patterns, the given
    /// names (sorted) and the numbers of the role words (in order), so that
    /// the same matcher writes the same bytes.
    pub(super) fn write(&self, entities: usize, out: &mut Writer) {
        let trie = &self.trie;
        out.count(entities);
        let tokens = trie.tokens.folded_tokens();
        out.count(tokens.len());
        for token in &tokens {
            out.str(std::str::from_utf8(token).expect("folded tokens are text"));
        }
        out.count(trie.ends.len());
        for (&end, &inner) in trie.ends.iter().zip(&trie.inner) {
            out.u32(end);
            out.u8(u8::from(inner));
        }
        for &child in &trie.root {
            out.u32(child);
        }
        out.count(trie.children.edges.len());
        for (node, token, child) in trie.children.iter() {
            out.u32(node);
            out.u32(token);
            out.u32(child);
        }
        out.count(self.patterns.len());
        for pattern in &self.patterns {
            out.u32(pattern.entity.unwrap_or(NONE));
            out.u8(match pattern.origin {
                Origin::Generated => 0,
                Origin::Written => 1,
            });
            out.u8(pattern.cases.0);
            out.u8(u8::from(pattern.dative_n) | u8::from(pattern.surname) << 1);
        }
        let mut given: Vec<&String> = self.given_names.iter().collect();
        given.sort_unstable();
        out.count(given.len());
        for name in given {
            out.str(name);
        }
        let roles: Vec<u32> = trie.tokens.role_numbers().collect();
        out.count(roles.len());
        for number in roles {
            out.u32(number);
        }
    }

    /// Reads a matcher that [`EntityMatcher::write`] wrote, and the number
    /// of entities of its gazetteer; every number is checked against what
    /// it points into.
    pub(super) fn read(input: &mut Reader) -> Read<(EntityMatcher, usize)> {
        let entities = input.count(0)?;
        let mut trie = Trie::default();
        let tokens = input.count(4)?;
        trie.tokens = TokenTable::with_capacity(tokens);
        for number in 0..tokens {
            let token = input.str()?;
            if token.is_empty() || trie.tokens.insert(token) as usize != number {
                return Err(Damage("a token empty or twice"));
            }
        }
        let nodes = input.count(5)?;
        if nodes == 0 {
            return Err(Damage("no root"));
        }
        trie.ends.reserve_exact(nodes);
        crate::pages::prefer_huge_pages(&mut trie.ends);
        trie.inner.reserve_exact(nodes);
        // Each table's rows are taken at once; the ends are checked against
        // the patterns once they are read.
        for node in input.records::<5>(nodes)? {
            trie.ends.push(u32_at(node, 0));
            trie.inner.push(flag(node[4])?);
        }
        trie.root.reserve_exact(tokens);
        crate::pages::prefer_huge_pages(&mut trie.root);
        for (token, step) in input.records::<4>(tokens)?.enumerate() {
            let child = bounded(u32_at(step, 0), nodes, true)?;
            if child == 0 {
                return Err(Damage("a step back to the root"));
            }
            if child != NONE {
                trie.tokens.mark_start(token as u32);
            }
            trie.root.push(child);
        }
        let edges = input.count(12)?;
        trie.children.starts.reserve_exact(nodes + 1);
        trie.children.edges.reserve_exact(edges);
        let mut last = None;
        for edge in input.records::<12>(edges)? {
            let node = bounded(u32_at(edge, 0), nodes, false)?;
            let token = bounded(u32_at(edge, 4), tokens, false)?;
            let child = bounded(u32_at(edge, 8), nodes, false)?;
            if child == 0 || last.is_some_and(|last| (node, token) <= last) {
                return Err(Damage("an edge to the root, out of order or twice"));
            }
            last = Some((node, token));
            trie.children.push(node, token, child);
        }
        trie.children.close(nodes);
        let count = input.count(7)?;
        let mut patterns = Vec::with_capacity(count);
        crate::pages::prefer_huge_pages(&mut patterns);
        for pattern in input.records::<7>(count)? {
            let entity = bounded(u32_at(pattern, 0), entities, true)?;
            let origin = match pattern[4] {
                0 => Origin::Generated,
                1 => Origin::Written,
                _ => return Err(Damage("a form of no known origin")),
            };
            let (cases, flags) = (pattern[5], pattern[6]);
            if cases >= 1 << Case::ALL.len() || flags > 3 {
                return Err(Damage("a pattern of no known case"));
            }
            patterns.push(Pattern {
                entity: (entity != NONE).then_some(entity),
                origin,
                cases: Cases(cases),
                dative_n: flags & 1 != 0,
                surname: flags & 2 != 0,
            });
        }
        if trie
            .ends
            .iter()
            .any(|&end| end != NONE && end as usize >= patterns.len())
        {
            return Err(Damage("a name that ends in no pattern"));
        }
        let mut given_names = rustc_hash::FxHashSet::default();
        for _ in 0..input.count(4)? {
            given_names.insert(input.str()?.to_string());
        }
        let mut last = None;
        for _ in 0..input.count(4)? {
            let number = input.index(tokens, false)?;
            if last.is_some_and(|last| number <= last) {
                return Err(Damage("role words out of order"));
            }
            last = Some(number);
            trie.tokens.mark_role(number);
        }
        input.end()?;
        let matcher = EntityMatcher {
            trie,
            patterns,
            given_names,
        };
        Ok((matcher, entities))
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
    // All letters capitals, stopping at the first that is not.
    let mut letters = 0;
    let capitals = name.chars().filter(|c| c.is_alphabetic()).all(|c| {
        letters += 1;
        c.is_uppercase()
    });
    if letters >= 2 && capitals {
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

/// What separates the folded tokens of a path: no token holds a line break.
const STEP: char = '\n';

/// The tokens of a path, as `path.split(STEP)` gives them, found by a loop
/// over the bytes: a token is a few bytes long, too short for the search
/// `split` (or `memchr`, as the gazetteer's `split_at_byte` uses over a
/// file's lines) makes for each one to pay.
fn steps(path: &str) -> impl Iterator<Item = &str> {
    const STEP_BYTE: u8 = STEP as u8;
    let mut rest = Some(path);
    std::iter::from_fn(move || {
        let left = rest?;
        match left.bytes().position(|byte| byte == STEP_BYTE) {
            Some(at) => {
                rest = Some(&left[at + 1..]);
                Some(&left[..at])
            }
            None => {
                rest = None;
                Some(left)
            }
        }
    })
}

/// What [`forms`] keeps from name to name (one per thread): a name's
/// tokens, and their folds one after another with each one's bounds and
/// whether it is a word.
#[derive(Default)]
struct FormScratch {
    tokenizer: Tokenizer,
    found: Vec<crate::token::Token>,
    folded: String,
    tokens: Vec<(std::ops::Range<usize>, bool)>,
}

/// Adds to `out` the folded token paths a name is matched under (each one
/// string, its tokens separated by [`STEP`]): as written, the declined
/// forms of a leading adjective, hyphen-free and hyphenated forms.
/// Inflection endings of the last token are checked when matching.
fn forms(scratch: &mut FormScratch, name: &str, kind: EntityKind, out: &mut Forms) {
    let FormScratch {
        tokenizer,
        found,
        folded,
        tokens,
    } = scratch;
    found.clear();
    tokenizer.tokens_into(name, Span::new(0, name.len()), found);
    folded.clear();
    tokens.clear();
    // The folds one after another with a step between: the written path.
    for token in found.iter() {
        if !tokens.is_empty() {
            folded.push(STEP);
        }
        let start = folded.len();
        fold_into(token.span.slice(name), folded);
        tokens.push((start..folded.len(), token.kind != TokenKind::Punct));
    }
    // A name must hold a letter or digit, and every token must fold to
    // something: anything else cannot be told apart from punctuation.
    let named = name.chars().any(char::is_alphanumeric);
    if tokens.is_empty() || !named || tokens.iter().any(|(range, _)| range.is_empty()) {
        return;
    }
    let token = |index: usize| &folded[tokens[index].0.clone()];
    let count = tokens.len();
    let Forms { paths, forms, .. } = out;
    // Each form is written after the one before; it ends where `paths` does.
    let mut end = |paths: &String, origin: Origin| forms.push((paths.len(), origin));
    // The parts joined with steps, as one form.
    let join = |paths: &mut String, parts: &mut dyn Iterator<Item = &str>| {
        for (index, part) in parts.enumerate() {
            if index > 0 {
                paths.push(STEP);
            }
            paths.push_str(part);
        }
    };
    // As `join` would make it from the tokens, which are not empty.
    paths.push_str(folded);
    end(paths, Origin::Written);
    // Hyphen-free forms: "Berg-Karabach" also as "Bergkarabach" and "Berg Karabach".
    if (0..count).any(|index| token(index) == "-") {
        let start = paths.len();
        let mut glue = false;
        for part in (0..count).map(token) {
            if part == "-" {
                glue = true;
            } else if glue && paths.len() > start {
                paths.push_str(part);
                glue = false;
            } else {
                if paths.len() > start {
                    paths.push(STEP);
                }
                paths.push_str(part);
            }
        }
        end(paths, Origin::Generated);
        join(
            paths,
            &mut (0..count).map(token).filter(|part| *part != "-"),
        );
        end(paths, Origin::Generated);
    }
    let words = tokens.iter().filter(|(_, word)| *word).count();
    // Hyphenated form of a place or organization of several words: "Tel Aviv" → "Tel-Aviv".
    if kind != EntityKind::Person && words >= 2 && tokens.iter().all(|(_, word)| *word) {
        join(
            paths,
            &mut (0..count)
                .flat_map(|index| (index > 0).then_some("-").into_iter().chain([token(index)])),
        );
        end(paths, Origin::Generated);
    }
    // A leading adjective declines: "Europäischer Rat" → "Europäischen Rat".
    if kind != EntityKind::Person && words >= 2 {
        let first = token(0);
        let stem = ["en", "em", "er", "es", "e"].iter().find_map(|ending| {
            first
                .strip_suffix(ending)
                .filter(|stem| stem.chars().count() >= 3)
        });
        if let Some(stem) = stem {
            let rest = &folded[first.len()..];
            for ending in ["e", "en", "em", "er", "es"] {
                paths.push_str(stem);
                paths.push_str(ending);
                paths.push_str(rest);
                end(paths, Origin::Generated);
            }
        }
    }
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
            place:niederlande\tNiederlande\t\n\
            organization:eu-kommission\tEU-Kommission\t\n\
            organization:amnesty\tAmnesty International\tAmnesty\n";
        Gazetteer::from_sources([(Path::new("test.tsv"), entities)]).unwrap()
    }

    fn find(text: &str) -> Vec<(String, String)> {
        let gazetteer = gazetteer();
        let matcher = EntityMatcher::new(&gazetteer);
        let tokenizer = Tokenizer::new();
        tokenizer
            .tokenize(text, Span::new(0, text.len()))
            .iter()
            .flat_map(|sentence| matcher.find(text, &sentence))
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
                "longer_name_in_a_compound_falls_back",
                "EU-Kommissionspräsident",
                &[("EU", "organization:eu")],
            ),
            (
                "longer_name_whole",
                "die EU-Kommission",
                &[("EU-Kommission", "organization:eu-kommission")],
            ),
            (
                "longer_name_miswritten_falls_back",
                "Amnesty international",
                &[("Amnesty", "organization:amnesty")],
            ),
            (
                "genitive_of_a_longer_name",
                "der Amnesty Internationals",
                &[("Amnesty Internationals", "organization:amnesty")],
            ),
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

    /// Words are counted as `split_whitespace` counts them.
    #[quickcheck_macros::quickcheck]
    fn word_count_is_split_whitespace(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "a", "Ä", " ", "\t", "\u{b}", "\u{a0}", "\u{2009}", "\n", "x",
        ];
        let name = crate::test_text::from_picks(&picks, PIECES);
        word_count(&name) == name.split_whitespace().count()
    }

    /// A path's tokens are the pieces `split(STEP)` makes, empty ones
    /// (at either end, or two steps side by side) included.
    #[quickcheck_macros::quickcheck]
    fn steps_are_split_step(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &["a", "\n", "ß", "-", "\u{2028}", "\r"];
        let path = crate::test_text::from_picks(&picks, PIECES);
        steps(&path).eq(path.split(STEP))
    }

    /// ASCII names, counted eight bytes at a time: every kind of ASCII
    /// white space, and bytes next to it that are none.
    #[quickcheck_macros::quickcheck]
    fn ascii_word_count_is_split_whitespace(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "a", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{1f}", "\u{8}", "\u{e}", "xyz", "-",
        ];
        let name = crate::test_text::from_picks(&picks, PIECES);
        word_count(&name) == name.split_whitespace().count()
    }

    /// The forms of many entities, made a part at a time into shared
    /// buffers, are read back per entity and per name as each name's forms
    /// made alone: names without forms, entities with several names, parts
    /// and chunks of every size.
    #[test]
    fn forms_read_back_per_entity_and_name() {
        let names = [
            "Berg-Karabach",
            "Europäischer Rat",
            "—",
            "Tel Aviv",
            "Putin",
            "Wladimir Wladimirowitsch Putin",
            "",
        ];
        let entities: Vec<crate::gazetteer::Entity> = (0..3 * FORMS_PART + 5)
            .map(|index| crate::gazetteer::Entity {
                id: format!("place:p{index}"),
                kind: if index % 3 == 0 {
                    EntityKind::Person
                } else {
                    EntityKind::Place
                },
                label: names[index % names.len()].to_string(),
                aliases: (0..index % 4)
                    .map(|k| names[(index + k) % names.len()].to_string())
                    .collect(),
                wikidata: None,
            })
            .collect();
        let alone = |name: &str, kind: EntityKind| {
            let mut out = Forms::default();
            forms(&mut FormScratch::default(), name, kind, &mut out);
            out.names.push(NameForms {
                case: Case::Any,
                surname: false,
                dative_n: false,
                forms_end: out.forms.len(),
            });
            out.entities.push(1);
            out.first_name_ends.push(None);
            let read: Vec<(String, Origin)> = out
                .each()
                .flat_map(|(_, names)| names)
                .flat_map(|(_, paths)| paths.map(|(path, origin)| (path.to_string(), origin)))
                .collect();
            read
        };
        for first in [0, 1, FORMS_PART - 1, FORMS_PART + 3] {
            let made = names_of(&entities.iter().skip(first).collect::<Vec<_>>());
            type Read = Vec<(Option<String>, Vec<Vec<(String, Origin)>>)>;
            let read: Read = made
                .iter()
                .flat_map(Forms::each)
                .map(|(first_name, names)| {
                    let names = names
                        .map(|(_, paths)| {
                            paths
                                .map(|(path, origin)| (path.to_string(), origin))
                                .collect()
                        })
                        .collect();
                    (first_name.map(str::to_string), names)
                })
                .collect();
            let expected: Read = entities[first..]
                .iter()
                .map(|entity| {
                    // A person's first name: the label's first word, folded.
                    let first_name = match entity.label.split_once(' ') {
                        Some((word, _)) if entity.kind == EntityKind::Person => {
                            Some(crate::token::fold(word))
                        }
                        _ => None,
                    };
                    let names = std::iter::once(&entity.label)
                        .chain(&entity.aliases)
                        .map(|name| alone(name, entity.kind))
                        .collect();
                    (first_name, names)
                })
                .collect();
            assert!(
                read.iter()
                    .any(|(name, _)| name.as_deref() == Some("wladimir"))
            );
            assert_eq!(read, expected, "from entity {first}");
        }
        // The written form comes first, then the generated ones.
        let karabach = alone("Berg-Karabach", EntityKind::Place);
        assert_eq!(
            karabach[0],
            ("berg\n-\nkarabach".to_string(), Origin::Written)
        );
        assert!(
            karabach[1..]
                .iter()
                .all(|(_, origin)| *origin == Origin::Generated)
        );
        assert!(karabach.iter().any(|(path, _)| path == "bergkarabach"));
        assert!(alone("—", EntityKind::Place).is_empty());
    }

    #[test]
    fn names_claimed_by_two_entities_are_left_unresolved() {
        let entities = "id\tlabel\taliases\twikidata\n\
            person:charles-michel\tCharles Michel\tMichel\n\
            person:louise-michel\tLouise Michel\tMichel\n";
        let gazetteer = Gazetteer::from_sources([(Path::new("t.tsv"), entities)]).unwrap();
        let matcher = EntityMatcher::new(&gazetteer);
        let text = "Michel sprach mit Charles Michel.";
        let sentences = Tokenizer::new().tokenize(text, Span::new(0, text.len()));
        let sentence = &sentences.get(0).unwrap();
        let found: Vec<&str> = matcher
            .find(text, sentence)
            .iter()
            .map(|m| m.span.slice(text))
            .collect();
        assert_eq!(found, ["Charles Michel"]);
    }

    /// Marking the role words (adding those that are no token of a name)
    /// changes no match: texts of names, role words under their endings,
    /// words that are both ("Präsident" in no name, "Kanzler" beside
    /// "Kanzleramt"), genitives and other words, in any case.
    #[quickcheck_macros::quickcheck]
    fn role_marks_change_no_match(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "Putin",
            "Putins",
            "Präsident",
            "Präsidenten",
            "Präsidents",
            "Kremlchef",
            "Kremlchefs",
            "Außenminister",
            "AUSSENMINISTER",
            "Amtskollegen",
            "Kollege",
            "Sergej Lawrow",
            "Lawrow",
            "Russland",
            "Russlands",
            "Europäischen Rat",
            "Europäische Kommission",
            "Staatschefs",
            "Ministerpräsident",
            "Kanzler",
            "Bundeskanzler",
            "der",
            "und",
            "traf",
            " ",
            " ",
            " ",
            ", ",
            ". ",
            "-",
        ];
        static MATCHERS: std::sync::OnceLock<(EntityMatcher, EntityMatcher)> =
            std::sync::OnceLock::new();
        let (marked, unmarked) = MATCHERS.get_or_init(|| {
            let gazetteer = Gazetteer::builtin();
            (
                EntityMatcher::new(&gazetteer),
                EntityMatcher::of_names(&gazetteer),
            )
        });
        let text = crate::test_text::from_picks(&picks, PIECES);
        let sentences = Tokenizer::new().tokenize(&text, Span::new(0, text.len()));
        sentences
            .iter()
            .all(|sentence| marked.find(&text, &sentence) == unmarked.find(&text, &sentence))
    }

    /// A gazetteer larger than a chunk of forms fills the trie chunk by
    /// chunk: names from every chunk are found, and a name two entities in
    /// different chunks claim stays unresolved, as within one chunk.
    #[test]
    fn names_are_found_whichever_chunk_of_entities_they_are_in() {
        // Letters only: "Baab", "Baac", … one surname per entity.
        let surname = |mut i: usize| {
            let mut name = String::from("B");
            for _ in 0..4 {
                name.push(char::from(b'a' + (i % 26) as u8));
                i /= 26;
            }
            name
        };
        let count = 2 * FORMS_CHUNK + 10;
        let mut entities = String::from("id\tlabel\taliases\twikidata\n");
        for i in 0..count {
            let name = surname(i);
            let slug = name.to_lowercase();
            entities.push_str(&format!("person:hans-{slug}\tHans {name}\t\n"));
        }
        // Claimed in the first chunk and again in the last.
        entities.push_str("person:grete-baaaa\tGrete Baaaa\tHans Baaaa\n");
        let gazetteer = Gazetteer::from_sources([(Path::new("t.tsv"), entities.as_str())]).unwrap();
        let matcher = EntityMatcher::new(&gazetteer);
        let last = surname(count - 1);
        let middle = surname(FORMS_CHUNK + 3);
        let text = format!("Hans {last} traf Hans {middle} und Hans Baaaa.");
        let sentences = Tokenizer::new().tokenize(&text, Span::new(0, text.len()));
        let sentence = &sentences.get(0).unwrap();
        let found: Vec<(&str, &str)> = matcher
            .find(&text, sentence)
            .iter()
            .map(|m| {
                (
                    m.span.slice(&text),
                    gazetteer.entities()[m.entity].id.as_str(),
                )
            })
            .collect();
        let expected_last = format!("person:hans-{}", last.to_lowercase());
        let expected_middle = format!("person:hans-{}", middle.to_lowercase());
        assert_eq!(
            found,
            [
                (format!("Hans {last}").as_str(), expected_last.as_str()),
                (format!("Hans {middle}").as_str(), expected_middle.as_str()),
            ]
        );
    }
}

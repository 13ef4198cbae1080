//! The interaction detector: finds sentences that report a contact, who took
//! part, when, where, and whether it took place.
//!
//! Per sentence, the detector works on clauses (split at a comma before a
//! subordinating word, at a semicolon and at a dash), so a speaker ("Lawrow
//! betonte, dass …") and a relative clause ("…, der am 10. Oktober erreicht
//! wurde") stay apart from the contact they frame. In a clause with a contact
//! word ("telefonierte", "Treffen", "Videokonferenz"), the people are the
//! named persons and the role references ("der russische Präsident",
//! "seinem türkischen Amtskollegen") resolved through the gazetteer's roles;
//! "X telefonierte mit A und mit B" is two calls. A meeting reported without
//! its participants ("das Treffen fand am 17. September in Istanbul statt")
//! stays open for a few sentences, and people said to represent or be sent to
//! it ("wurde von X vertreten", "entsandte Y") join it.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use crate::date::{DateContext, DateMention, DateNormalizer, DateValue};
use crate::gazetteer::{Entity, EntityKind, Gazetteer, Mention};
use crate::span::Span;
use crate::token::{Sentence, fold};

use super::roles::RoleResolver;
use super::{Interaction, InteractionKind, Status};

/// One sentence with what the earlier stages found in it.
#[derive(Clone, Copy, Debug)]
pub struct SentenceInput<'a> {
    /// The sentence.
    pub sentence: &'a Sentence<'a>,
    /// The entity mentions in it, in text order.
    pub mentions: &'a [Mention],
    /// The temporal expressions in it, or how to find them. Read only for
    /// the sentences with a contact word ([`InteractionDetector::cues`]),
    /// and only where a contact word has people around it; may be empty
    /// for others.
    pub dates: Dates<'a>,
    /// The words the detector looks for that the sentence holds, as
    /// [`InteractionDetector::cues`] tells; a sentence without any is only
    /// remembered for the people it names.
    pub cues: Cues,
    /// Page furniture: skipped.
    pub boilerplate: bool,
}

/// The temporal expressions of a [`SentenceInput`].
#[derive(Clone, Copy, Debug)]
pub enum Dates<'a> {
    /// Searched beforehand: the sentence's expressions, in text order.
    Found(&'a [DateMention]),
    /// Not searched: the detector searches the sentence with this
    /// normalizer, against this context, the first time it needs its dates.
    /// Most sentences with a contact word report no contact between people,
    /// and date search is the costliest part of reading them.
    Search(&'a DateNormalizer, &'a DateContext),
}

/// Which kinds of cue word a sentence holds (word stems, found by
/// [`InteractionDetector::cues`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cues {
    /// A contact word ("traf", "telefonierte"): the sentence may report a
    /// contact, and its dates are read.
    pub contact: bool,
    /// A word that joins people to a meeting named before ("nahm teil").
    pub join: bool,
}

impl Cues {
    /// True when the detector reads the sentence at all.
    pub fn any(self) -> bool {
        self.contact || self.join
    }
}

/// What the detector found in a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detection {
    /// The interactions, in text order.
    pub interactions: Vec<Interaction>,
    /// Role references that were resolved to a participant: entity index,
    /// span of the reference ("der russische Präsident"), sentence number.
    pub references: Vec<(usize, Span, usize)>,
}

/// Detects interactions in a document's sentences.
#[derive(Clone, Debug)]
pub struct InteractionDetector {
    roles: RoleResolver,
    /// Finds sentences that may report a contact (or add people to an open
    /// meeting), so the full analysis runs only on those.
    /// Contact stems, then join stems, in one automaton.
    cue_words: super::cues::CueScanner,
}

/// Stems of contact words, for the prefilter (the exact words are checked
/// by [`trigger`]).
pub(super) const CONTACT_STEMS: &[&str] = &[
    "telefon",
    "anruf",
    "angerufen",
    "video",
    "traf",
    "treff",
    "trifft",
    "getroffen",
    "zusammen",
    "empf",
    "besuch",
    "unterredung",
    "gipfel",
    "begegn",
    "angesicht",
    "rande",
    "verhandl",
    "verhandel",
    "gespräch",
    "gesprach",
];

/// Stems of the words in [`JOIN_WORDS`], for the prefilter.
pub(super) const JOIN_STEMS: &[&str] = &[
    "vertret",
    "vertrat",
    "entsand",
    "entsend",
    "schickt",
    "geschickt",
    "teil",
    "anwesend",
    "angeführt",
    "leitete",
    "delegation",
];

/// How many sentences a meeting without participants stays open.
const PENDING_SENTENCES: usize = 4;

/// Words after a comma that open a subordinate or relative clause.
const SUBORDINATORS: &[&str] = &[
    "dass", "wie", "weil", "ob", "als", "nachdem", "wahrend", "wenn", "um", "der", "die", "das",
    "dem", "den", "deren", "dessen", "welche", "welcher", "welches", "obwohl", "bevor", "damit",
    "sodass", "indem", "seit", "seitdem", "bis", "sagte", "sagten", "betonte", "erklarte", "hiess",
    "teilte", "so",
];

/// Function words that may stand between "mit" and the person it governs.
const MIT_FILLERS: &[&str] = &[
    "dem",
    "der",
    "den",
    "seinem",
    "seiner",
    "seinen",
    "ihrem",
    "ihrer",
    "ihren",
    "einem",
    "einer",
    "dessen",
    "deren",
    "amtierenden",
    "neuen",
    "ehemaligen",
    "fruheren",
    "designierten",
];

/// Representation verbs: people who joined an open meeting.
const JOIN_WORDS: &[&str] = &[
    "vertreten",
    "vertrat",
    "vertraten",
    "entsandte",
    "entsandt",
    "entsandten",
    "entsendet",
    "schickte",
    "schickten",
    "geschickt",
    "teilgenommen",
    "teilnehmer",
    "teilnahmen",
    "teilnahm",
    "anwesend",
    "angefuhrt",
    "leitete",
    "delegation",
    "teil",
];

impl InteractionDetector {
    /// A detector using the gazetteer's roles and role words.
    pub fn new(gazetteer: &Gazetteer) -> InteractionDetector {
        InteractionDetector {
            roles: RoleResolver::new(gazetteer),
            cue_words: super::cues::CueScanner::new(CONTACT_STEMS, JOIN_STEMS),
        }
    }

    /// The cue words of `sentence_text`, both kinds in one pass. The detector
    /// reads only sentences with a cue, and their dates only when it is a
    /// contact word, so a caller may leave the others' dates unsearched, and
    /// let the detector search the contact sentences' dates as it needs them
    /// ([`Dates::Search`]).
    pub fn cues(&self, sentence_text: &str) -> Cues {
        let found = self.cue_words.scan(sentence_text);
        Cues {
            contact: found.first,
            join: found.second,
        }
    }

    /// True when a word of `sentence` may be a contact word ([`trigger`],
    /// whatever the words around it), of those that can be: a word with a
    /// contact stem in it, a word beyond ASCII (whose folding may hold a
    /// stem its letters do not, as in "Tele\u{AD}fonat"). Every contact
    /// word of plain ASCII holds a stem, and "zusammen" (as in "kam …
    /// zusammen") is one.
    fn may_trigger(&self, text: &str, sentence: &Sentence) -> bool {
        let start = sentence.span.start;
        let mut ends = self
            .cue_words
            .first_ends(sentence.span.slice(text))
            .into_iter()
            .map(|end| start + end)
            .peekable();
        let mut folded = String::new();
        sentence.tokens.iter().any(|token| {
            // A stem lies inside one token: a run of letters never spans two.
            let mut has_stem = false;
            while let Some(end) = ends.next_if(|&end| end <= token.span.end) {
                has_stem |= end > token.span.start;
            }
            let word = token.span.slice(text);
            (has_stem || !word.is_ascii()) && {
                folded.clear();
                crate::token::fold_into(word, &mut folded);
                could_trigger(&folded)
            }
        })
    }

    /// Finds the interactions of a document. `document_date` resolves role
    /// references to office holders; `document` is the document id used in
    /// the records.
    pub fn detect(
        &self,
        gazetteer: &Gazetteer,
        document: &str,
        text: &str,
        document_date: Option<DateValue>,
        sentences: &[SentenceInput<'_>],
    ) -> Detection {
        self.detect_with(gazetteer, &[], document, text, document_date, sentences)
    }

    /// Like [`InteractionDetector::detect`], with entities found in the
    /// document that the gazetteer does not know: mention `entity` indices
    /// past the gazetteer's entities refer to `discovered`.
    pub fn detect_with(
        &self,
        gazetteer: &Gazetteer,
        discovered: &[Entity],
        document: &str,
        text: &str,
        document_date: Option<DateValue>,
        sentences: &[SentenceInput<'_>],
    ) -> Detection {
        // Most documents hold no sentence the detector reads.
        if !sentences.iter().any(|s| s.cues.any() && !s.boilerplate) {
            return Detection::default();
        }
        let entities = Entities {
            gazetteer,
            discovered,
        };
        let named: BTreeSet<String> = sentences
            .iter()
            .flat_map(|s| s.mentions.iter())
            .map(|m| &entities.get(m.entity).id)
            .filter(|id| id.starts_with("person:"))
            .cloned()
            .collect();
        let mut detection = Detection::default();
        let mut recent_people: Vec<usize> = Vec::new();
        let mut pending: Option<Pending> = None;
        for (number, input) in sentences.iter().enumerate() {
            if input.boilerplate {
                continue;
            }
            if pending
                .as_ref()
                .is_some_and(|open| number > open.sentence + PENDING_SENTENCES)
            {
                let open = pending.take().expect("pending is open");
                finish_pending(entities, open, &mut detection, document, text, sentences);
            }
            if !input.cues.any() {
                remember_people(entities, input.mentions, &mut recent_people);
                continue;
            }
            // Most stems are found in words that are no contact word
            // ("Strafe", "Zusammenarbeit"): the words are checked before
            // the sentence is read.
            let may_contact = input.cues.contact && self.may_trigger(text, input.sentence);
            let may_join = pending.is_some() && input.cues.join;
            if !may_contact && !may_join {
                remember_people(entities, input.mentions, &mut recent_people);
                continue;
            }
            let view = SentenceView::new(
                self,
                entities,
                text,
                input,
                document_date,
                &named,
                &recent_people,
            );
            if let Some(open) = &mut pending
                && view.has_join_word()
            {
                for person in view.people(0..view.tokens.len()) {
                    if !open.people.iter().any(|(p, _)| *p == person.entity) {
                        open.people.push((person.entity, number));
                        if let Some(span) = person.reference {
                            detection.references.push((person.entity, span, number));
                        }
                    }
                }
            }
            let mut earlier: Vec<Person> = Vec::new();
            for clause in view.clauses() {
                let found_here = view.contacts_with(clause.clone(), &earlier);
                earlier.extend(view.people(clause.clone()));
                for found in found_here {
                    if found.participants.len() >= 2 {
                        let interaction = view.record(
                            &found,
                            document,
                            number,
                            text,
                            detection.interactions.len(),
                        );
                        for person in &found.participants {
                            if let Some(span) = person.reference {
                                detection.references.push((person.entity, span, number));
                            }
                        }
                        detection.interactions.push(interaction);
                    } else if found.status == Status::Held
                        && found.participants.is_empty()
                        && matches!(
                            found.kind,
                            InteractionKind::Meeting | InteractionKind::Negotiation
                        )
                        && (found.date.is_some() || found.place.is_some())
                    {
                        if let Some(open) = pending.take() {
                            finish_pending(
                                entities,
                                open,
                                &mut detection,
                                document,
                                text,
                                sentences,
                            );
                        }
                        pending = Some(Pending {
                            kind: found.kind,
                            sentence: number,
                            date: found.date.clone(),
                            place: found.place,
                            people: Vec::new(),
                        });
                    }
                }
            }
            remember_people(entities, input.mentions, &mut recent_people);
        }
        if let Some(open) = pending {
            finish_pending(entities, open, &mut detection, document, text, sentences);
        }
        detection.interactions = deduplicate(detection.interactions);
        detection
    }
}

/// Keeps the people named in a sentence, latest last, for "die beiden
/// Staatschefs" in a later sentence.
fn remember_people(entities: Entities<'_>, mentions: &[Mention], recent: &mut Vec<usize>) {
    for mention in mentions {
        if entities.get(mention.entity).kind == EntityKind::Person {
            recent.retain(|p| *p != mention.entity);
            recent.push(mention.entity);
        }
    }
}

/// The gazetteer's entities followed by those discovered in the document.
#[derive(Clone, Copy)]
struct Entities<'a> {
    gazetteer: &'a Gazetteer,
    discovered: &'a [Entity],
}

impl<'a> Entities<'a> {
    fn get(&self, index: usize) -> &'a Entity {
        let known = self.gazetteer.entities();
        known
            .get(index)
            .unwrap_or_else(|| &self.discovered[index - known.len()])
    }
}

/// A meeting reported without participants, waiting for them.
struct Pending {
    kind: InteractionKind,
    sentence: usize,
    date: Option<DateMention>,
    place: Option<usize>,
    people: Vec<(usize, usize)>,
}

fn finish_pending(
    entities: Entities<'_>,
    pending: Pending,
    detection: &mut Detection,
    document: &str,
    text: &str,
    sentences: &[SentenceInput<'_>],
) {
    if pending.people.len() < 2 {
        return;
    }
    let last = pending
        .people
        .iter()
        .map(|(_, s)| *s)
        .max()
        .unwrap_or(pending.sentence);
    let start = sentences[pending.sentence].sentence.span.start;
    let end = sentences[last].sentence.span.end;
    let ids: Vec<usize> = pending.people.iter().map(|(p, _)| *p).collect();
    detection.interactions.push(Interaction {
        id: format!(
            "{document}#{}.{}",
            pending.sentence,
            detection.interactions.len()
        ),
        kind: pending.kind,
        participants: sorted_ids(entities, &ids),
        date: pending.date.as_ref().and_then(|d| d.value),
        date_text: pending
            .date
            .as_ref()
            .map(|d| d.span.slice(text).to_string()),
        date_basis: pending
            .date
            .as_ref()
            .map_or_else(|| "no date in the report".to_string(), |d| d.basis.clone()),
        place: pending.place.map(|p| entities.get(p).id.clone()),
        status: Status::Held,
        document: document.to_string(),
        sentence: pending.sentence,
        start,
        end,
        evidence: text[start..end].to_string(),
        confidence: 0.6,
    });
}

/// Keeps one record of a contact reported twice in a document (the lead
/// and the body of an article): same kind, status and participants, and
/// dates that agree or are missing on one side. The dated report wins.
fn deduplicate(interactions: Vec<Interaction>) -> Vec<Interaction> {
    let mut kept: Vec<Interaction> = Vec::new();
    for interaction in interactions {
        let same = kept.iter_mut().find(|k| {
            k.kind == interaction.kind
                && k.status == interaction.status
                && k.participants == interaction.participants
                && (k.date.is_none() || interaction.date.is_none() || k.date == interaction.date)
        });
        match same {
            Some(existing) => {
                // Prefer the report with a date, then one with a date phrase
                // (even if it gives no calendar date), then one with a place.
                let rank =
                    |i: &Interaction| (i.date.is_some(), i.date_text.is_some(), i.place.is_some());
                let better = rank(&interaction) > rank(existing);
                if better {
                    *existing = interaction;
                }
            }
            None => kept.push(interaction),
        }
    }
    kept
}

/// A person taking part, and the role reference that named them, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Person {
    entity: usize,
    reference: Option<Span>,
}

/// One contact found in a clause.
struct Found {
    kind: InteractionKind,
    participants: Vec<Person>,
    status: Status,
    date: Option<DateMention>,
    place: Option<usize>,
    confidence: f64,
}

/// What a token is, for the detector.
#[derive(Clone, Debug, PartialEq)]
enum Slot {
    Word,
    /// A named entity: its index, and whether the name stands in the genitive
    /// before a noun ("Putins Sondergesandter"): a possessor, not an actor.
    Entity {
        entity: usize,
        kind: EntityKind,
        first: bool,
        possessor: bool,
    },
    /// A role reference resolved to people ("der russische Präsident").
    Role {
        people: Vec<usize>,
        first: bool,
        span: Span,
    },
    /// A role word whose person is named right after it (apposition).
    RoleBound,
}

/// A sentence's tokens, annotated.
struct SentenceView<'a> {
    text: &'a str,
    tokens: Vec<String>,
    spans: Vec<Span>,
    slots: Vec<Slot>,
    /// The sentence's dates: searched, or found beforehand, on first use.
    dates_of: Dates<'a>,
    sentence: Span,
    /// Each date of the sentence with the token it starts at.
    dates: OnceCell<Vec<(usize, DateMention)>>,
    gazetteer: &'a Gazetteer,
    entities: Entities<'a>,
}

thread_local! {
    /// Folded-token strings of views gone, to fold the next view's tokens
    /// into without allocating.
    static FOLDED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Spare strings kept per thread at most.
const SPARE_STRINGS: usize = 4096;

impl Drop for SentenceView<'_> {
    fn drop(&mut self) {
        let tokens = std::mem::take(&mut self.tokens);
        FOLDED.with_borrow_mut(|spare| {
            let room = SPARE_STRINGS.saturating_sub(spare.len());
            spare.extend(tokens.into_iter().take(room));
        });
    }
}

impl<'a> SentenceView<'a> {
    fn new(
        detector: &InteractionDetector,
        entities: Entities<'a>,
        text: &'a str,
        input: &'a SentenceInput<'a>,
        document_date: Option<DateValue>,
        named: &BTreeSet<String>,
        recent_people: &[usize],
    ) -> SentenceView<'a> {
        // Folded into strings a view before gave back (see `Drop`).
        let tokens: Vec<String> = FOLDED.with_borrow_mut(|spare| {
            input
                .sentence
                .tokens
                .iter()
                .map(|t| {
                    let mut folded = spare.pop().unwrap_or_default();
                    folded.clear();
                    crate::token::fold_into(t.span.slice(text), &mut folded);
                    folded
                })
                .collect()
        });
        let spans: Vec<Span> = input.sentence.tokens.iter().map(|t| t.span).collect();
        let mut slots = vec![Slot::Word; tokens.len()];
        let token_at = |offset: usize| {
            spans
                .iter()
                .position(|s| s.start <= offset && offset < s.end)
        };
        for mention in input.mentions {
            let entity = entities.get(mention.entity);
            let (Some(first), Some(last)) =
                (token_at(mention.span.start), token_at(mention.span.end - 1))
            else {
                continue;
            };
            let written = mention.span.slice(text);
            let possessor = entity.kind == EntityKind::Person
                && is_genitive(written, entity)
                && tokens.get(last + 1).is_some_and(|next| {
                    input.sentence.tokens[last + 1]
                        .span
                        .slice(text)
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                        && !next.is_empty()
                });
            for (i, slot) in slots.iter_mut().enumerate().take(last + 1).skip(first) {
                *slot = Slot::Entity {
                    entity: mention.entity,
                    kind: entity.kind,
                    first: i == first,
                    possessor,
                };
            }
        }
        let gazetteer = entities.gazetteer;
        let mut view = SentenceView {
            text,
            tokens,
            spans,
            slots,
            dates_of: input.dates,
            sentence: input.sentence.span,
            dates: OnceCell::new(),
            gazetteer,
            entities,
        };
        view.resolve_roles(detector, document_date, named, recent_people);
        view
    }

    fn entity_id(&self, entity: usize) -> &str {
        &self.entities.get(entity).id
    }

    /// Marks role references and resolves them to people.
    fn resolve_roles(
        &mut self,
        detector: &InteractionDetector,
        date: Option<DateValue>,
        named: &BTreeSet<String>,
        recent_people: &[usize],
    ) {
        let resolver = &detector.roles;
        for i in 0..self.tokens.len() {
            if self.slots[i] != Slot::Word {
                continue;
            }
            // "die beiden Staatschefs": the last two people named before.
            if matches!(self.tokens[i].as_str(), "beiden" | "beide")
                && self
                    .tokens
                    .get(i + 1)
                    .is_some_and(|next| resolver.role_word(next).is_some() || is_people_noun(next))
                && recent_people.len() >= 2
            {
                let people = recent_people[recent_people.len() - 2..].to_vec();
                let span = Span::new(self.spans[i].start, self.spans[i + 1].end);
                self.slots[i] = Slot::Role {
                    people,
                    first: true,
                    span,
                };
                self.slots[i + 1] = Slot::RoleBound;
                continue;
            }
            let Some(word) = resolver.role_word(&self.tokens[i]) else {
                continue;
            };
            // "stellvertretender Außenminister", "Ex-Präsident", "der frühere
            // Kanzler": not the holder of the office.
            let qualified = (i.saturating_sub(3)..i).any(|j| is_not_holder(&self.tokens[j]))
                || self.tokens[i].starts_with("vize")
                || self.tokens[i].starts_with("ex");
            if qualified {
                self.slots[i] = Slot::RoleBound;
                continue;
            }
            // Whose role: the word itself, an adjective, a genitive or a
            // hyphenated country before it, or genitives after it.
            // A state named before the word beats the one the word implies:
            // "der österreichische Bundeskanzler" is Austria's.
            let mut start = i;
            let mut of: Vec<String> = Vec::new();
            if i > 0 {
                if let Some(entity) = resolver.adjective(self.gazetteer, &self.tokens[i - 1]) {
                    of.push(entity.to_string());
                    start = i - 1;
                } else if let Slot::Entity {
                    entity,
                    kind: EntityKind::Place | EntityKind::Organization,
                    ..
                } = self.slots[i - 1]
                {
                    of.push(self.entity_id(entity).to_string());
                    start = self.first_token_of(i - 1);
                } else if i > 1
                    && self.tokens[i - 1] == "-"
                    && let Slot::Entity {
                        entity,
                        kind: EntityKind::Place | EntityKind::Organization,
                        ..
                    } = self.slots[i - 2]
                {
                    of.push(self.entity_id(entity).to_string());
                    start = self.first_token_of(i - 2);
                }
            }
            if of.is_empty() {
                of.extend(word.of.iter().cloned());
            }
            let mut end = i;
            if of.is_empty() {
                // "Präsident des Europäischen Rates", "Staatschefs Russlands und der Türkei".
                let mut j = i + 1;
                loop {
                    while j < self.tokens.len()
                        && matches!(self.tokens[j].as_str(), "des" | "der" | "von")
                    {
                        j += 1;
                    }
                    match self.slots.get(j) {
                        Some(Slot::Entity {
                            entity,
                            kind: EntityKind::Place | EntityKind::Organization,
                            first: true,
                            ..
                        }) => {
                            of.push(self.entity_id(*entity).to_string());
                            j = self.last_token_of(j) + 1;
                            end = j - 1;
                        }
                        _ => break,
                    }
                    if self.tokens.get(j).is_some_and(|t| t == "und") {
                        j += 1;
                    } else {
                        break;
                    }
                }
            }
            // Apposition: a name right after the role (after a comma or
            // article at most) is the person; the role adds nothing.
            let mut next = end + 1;
            while self
                .tokens
                .get(next)
                .is_some_and(|t| matches!(t.as_str(), "," | "die" | "der"))
                && next <= end + 2
            {
                next += 1;
            }
            if let Some(Slot::Entity {
                kind: EntityKind::Person,
                ..
            }) = self.slots.get(next)
            {
                self.slots[i] = Slot::RoleBound;
                continue;
            }
            let role = match &word.role {
                Some(role) => Some(role.clone()),
                // "seinem türkischen Amtskollegen": the role of the sentence's first person.
                None => self.first_person_before(i).and_then(|person| {
                    let id = self.entity_id(person).to_string();
                    resolver
                        .roles_of(self.gazetteer, &id, date)
                        .into_iter()
                        .map(|(role, _)| role)
                        .next()
                }),
            };
            let Some(role) = role else { continue };
            let mut people = Vec::new();
            let mut unresolved = false;
            for state in &of {
                let holders = resolver.holders(self.gazetteer, &role, state, date, named);
                match holders.as_slice() {
                    [one] => people.extend(self.gazetteer.position(one)),
                    _ => unresolved = true,
                }
            }
            if people.is_empty() || unresolved {
                continue;
            }
            let span = Span::new(self.spans[start].start, self.spans[end].end);
            for slot in start..=end {
                if self.slots[slot] == Slot::Word || slot == i {
                    self.slots[slot] = Slot::RoleBound;
                }
            }
            self.slots[i] = Slot::Role {
                people,
                first: true,
                span,
            };
        }
    }

    fn first_token_of(&self, mut i: usize) -> usize {
        while i > 0 && matches!(&self.slots[i], Slot::Entity { first: false, .. }) {
            i -= 1;
        }
        i
    }

    fn last_token_of(&self, mut i: usize) -> usize {
        while matches!(
            self.slots.get(i + 1),
            Some(Slot::Entity { first: false, .. })
        ) {
            i += 1;
        }
        i
    }

    fn first_person_before(&self, end: usize) -> Option<usize> {
        self.slots[..end].iter().find_map(|slot| match slot {
            Slot::Entity {
                entity,
                kind: EntityKind::Person,
                first: true,
                possessor: false,
            } => Some(*entity),
            Slot::Role {
                people,
                first: true,
                ..
            } if people.len() == 1 => Some(people[0]),
            _ => None,
        })
    }

    /// Clauses as token ranges.
    fn clauses(&self) -> Vec<std::ops::Range<usize>> {
        let mut clauses = Vec::new();
        let mut start = 0;
        for i in 0..self.tokens.len() {
            let token = self.tokens[i].as_str();
            let dash = matches!(token, "–" | "—" | "-")
                && i > 0
                && self.spans[i - 1].end < self.spans[i].start
                && self
                    .spans
                    .get(i + 1)
                    .is_some_and(|next| self.spans[i].end < next.start);
            let comma_clause = token == "," && self.opens_clause(i + 1);
            if dash || comma_clause || token == ";" || token == ":" {
                if start < i {
                    clauses.push(start..i);
                }
                start = i + 1;
            }
        }
        if start < self.tokens.len() {
            clauses.push(start..self.tokens.len());
        }
        clauses
    }

    /// True when token `i` (after a comma) opens a subordinate clause. An
    /// article followed by a noun ("…, die Grenzen offen zu halten") does not;
    /// a relative pronoun ("…, der am 10. Oktober erreicht wurde") does.
    fn opens_clause(&self, i: usize) -> bool {
        let Some(word) = self.tokens.get(i) else {
            return false;
        };
        if !SUBORDINATORS.contains(&word.as_str()) {
            return false;
        }
        if matches!(word.as_str(), "der" | "die" | "das" | "dem" | "den") {
            let next_is_noun = self.spans.get(i + 1).is_some_and(|span| {
                span.slice(self.text)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            });
            return !next_is_noun;
        }
        true
    }

    fn has_join_word(&self) -> bool {
        self.tokens.iter().any(|t| JOIN_WORDS.contains(&t.as_str()))
    }

    /// The people of a token range, in order, once each.
    fn people(&self, range: std::ops::Range<usize>) -> Vec<Person> {
        let mut people: Vec<Person> = Vec::new();
        for i in range {
            for person in self.persons_at(i) {
                if !people.iter().any(|p| p.entity == person.entity) {
                    people.push(person);
                }
            }
        }
        people
    }

    /// The people a token starts: a person's name (not a possessor's), or a
    /// role reference resolved to people; nothing for other tokens.
    fn persons_at(&self, i: usize) -> Vec<Person> {
        match &self.slots[i] {
            Slot::Entity {
                entity,
                kind: EntityKind::Person,
                first: true,
                possessor: false,
            } => {
                vec![Person {
                    entity: *entity,
                    reference: None,
                }]
            }
            Slot::Role {
                people,
                first: true,
                span,
            } => people
                .iter()
                .map(|p| Person {
                    entity: *p,
                    reference: Some(*span),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The contacts a clause reports; `earlier` are the people of the
    /// sentence's earlier clauses, a subject for "… mit X" when the clause
    /// has none ("dass Klaar versucht habe, …, während der Verhandlungen mit X").
    fn contacts_with(&self, clause: std::ops::Range<usize>, earlier: &[Person]) -> Vec<Found> {
        let mut triggers: Vec<(usize, InteractionKind, bool)> = Vec::new();
        for i in clause.clone() {
            if let Some((kind, strong)) = trigger(&self.tokens, i) {
                let temporal = i >= 2
                    && matches!(self.tokens[i - 2].as_str(), "vor" | "nach" | "seit")
                    && matches!(self.tokens[i - 1].as_str(), "dem" | "einem" | "den" | "der");
                triggers.push((i, kind, !temporal && strong));
            }
        }
        if triggers.is_empty() {
            return Vec::new();
        }
        // A contact word in a temporal phrase ("Vor dem Treffen") only counts
        // when it is the clause's only one.
        let main: Vec<(usize, InteractionKind)> = if triggers.iter().any(|t| t.2) {
            triggers
                .iter()
                .filter(|t| t.2)
                .map(|t| (t.0, t.1))
                .collect()
        } else {
            triggers.iter().map(|t| (t.0, t.1)).collect()
        };
        let Some(status) = self.status(clause.clone()) else {
            return Vec::new();
        };
        let mut kinds: Vec<(usize, InteractionKind)> = Vec::new();
        for (i, kind) in main {
            if !kinds.iter().any(|(_, k)| *k == kind) {
                kinds.push((i, kind));
            }
        }
        let people = self.people(clause.clone());
        let mut groups = self.groups(clause.clone(), &people);
        if groups
            .as_ref()
            .is_some_and(|(_, objects)| objects.is_empty())
        {
            return Vec::new();
        }
        if let Some((subjects, objects)) = &mut groups
            && subjects.is_empty()
        {
            let governed: Vec<usize> = objects.iter().flatten().map(|p| p.entity).collect();
            if let Some(subject) = earlier.iter().rev().find(|p| !governed.contains(&p.entity)) {
                subjects.push(subject.clone());
            } else {
                // Counterparts of someone the sentence does not name.
                return Vec::new();
            }
        }
        let mut found = Vec::new();
        for (trigger, kind) in kinds {
            let date = self.date_near(clause.clone(), trigger);
            let place =
                if kind == InteractionKind::PhoneCall || kind == InteractionKind::VideoConference {
                    None
                } else {
                    self.place(clause.clone())
                };
            // A call, or a negotiation, "mit A und B" is one contact with each:
            // A and B are on the same side. A meeting "mit A und B" is one
            // meeting of all three.
            let split_calls = matches!(
                kind,
                InteractionKind::PhoneCall | InteractionKind::Negotiation
            );
            let parts: Vec<(Vec<Person>, f64)> = match &groups {
                Some((subjects, objects)) if !subjects.is_empty() => {
                    if split_calls || objects.len() > 1 {
                        objects
                            .iter()
                            .flat_map(|group| {
                                if split_calls {
                                    group.iter().map(|o| vec![o.clone()]).collect::<Vec<_>>()
                                } else {
                                    vec![group.clone()]
                                }
                            })
                            .map(|group| (subjects.iter().cloned().chain(group).collect(), 0.9))
                            .collect()
                    } else {
                        vec![(
                            subjects.iter().cloned().chain(objects.concat()).collect(),
                            0.9,
                        )]
                    }
                }
                // No "mit": the people joined by "und" ("X und Y trafen
                // sich", "die Staatschefs Russlands und der Türkei"), or the
                // two people around a verb ("X besuchte Y").
                _ => {
                    let coordinated = self.coordinated(clause.clone());
                    let verb = self.spans[trigger]
                        .slice(self.text)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase);
                    if coordinated.len() >= 2 {
                        vec![(coordinated, 0.8)]
                    } else if people.len() == 2 && verb {
                        vec![(people.clone(), 0.7)]
                    } else {
                        Vec::new()
                    }
                }
            };
            // A contact without named people may still gather them later
            // ("das Treffen fand in Istanbul statt … wurde von X vertreten").
            let parts = if parts.is_empty() && people.is_empty() {
                vec![(Vec::new(), 0.6)]
            } else {
                parts
            };
            for (participants, confidence) in parts {
                found.push(Found {
                    kind,
                    participants,
                    status,
                    date: date.cloned(),
                    place,
                    confidence,
                });
            }
        }
        found
    }

    /// The largest group of people in the clause joined by "und", "sowie",
    /// commas, or "sowohl … als auch", with only articles, adjectives and
    /// role words between them.
    fn coordinated(&self, clause: std::ops::Range<usize>) -> Vec<Person> {
        let mut best: Vec<Person> = Vec::new();
        let mut group: Vec<Person> = Vec::new();
        let mut joined = false;
        for i in clause {
            let token = self.tokens[i].as_str();
            let found: Vec<Person> = match &self.slots[i] {
                Slot::Entity {
                    kind: EntityKind::Person,
                    first: true,
                    possessor: false,
                    ..
                }
                | Slot::Role { first: true, .. } => self.persons_at(i),
                Slot::Entity { first: false, .. }
                | Slot::Role { first: false, .. }
                | Slot::RoleBound => continue,
                Slot::Entity { .. } => Vec::new(),
                Slot::Word => {
                    let conjunction = matches!(token, "und" | "sowie" | "," | "als" | "auch");
                    let filler = MIT_FILLERS.contains(&token)
                        || matches!(
                            token,
                            "die" | "das" | "sein" | "seine" | "ihr" | "ihre" | "sowohl" | "-"
                        )
                        || self.spans[i]
                            .slice(self.text)
                            .chars()
                            .next()
                            .is_some_and(char::is_lowercase)
                            && is_adjective(token);
                    if conjunction && !group.is_empty() {
                        joined = true;
                        continue;
                    }
                    if filler {
                        continue;
                    }
                    if group.len() > best.len() {
                        best = std::mem::take(&mut group);
                    }
                    group.clear();
                    joined = false;
                    continue;
                }
            };
            if found.is_empty() {
                if group.len() > best.len() {
                    best = std::mem::take(&mut group);
                }
                group.clear();
                joined = false;
                continue;
            }
            if !group.is_empty() && !joined {
                // Two people side by side without "und": a new group.
                if group.len() > best.len() {
                    best = std::mem::take(&mut group);
                }
                group.clear();
            }
            for person in found {
                if !group.iter().any(|p| p.entity == person.entity) {
                    group.push(person);
                }
            }
            joined = false;
        }
        if group.len() > best.len() {
            best = group;
        }
        best
    }

    /// "X … mit A und mit B": the subjects (people not governed by "mit" or
    /// "zwischen") and the groups of people governed by each "mit".
    fn groups(
        &self,
        clause: std::ops::Range<usize>,
        people: &[Person],
    ) -> Option<(Vec<Person>, Vec<Vec<Person>>)> {
        let mut objects: Vec<Vec<Person>> = Vec::new();
        let mut governed: BTreeSet<usize> = BTreeSet::new();
        let mut non_person = false;
        let mut i = clause.start;
        while i < clause.end {
            // "teilte … mit.": a verb particle, not the preposition.
            let particle = self
                .tokens
                .get(i + 1)
                .is_none_or(|next| !next.chars().any(char::is_alphanumeric));
            if self.tokens[i] != "mit" || particle {
                i += 1;
                continue;
            }
            let mut group = Vec::new();
            let mut j = i + 1;
            while j < clause.end {
                let token = self.tokens[j].as_str();
                // "Verhandlungen mit der ETA": the counterpart is not a person.
                // ("mit US-Außenminister Blinken", "mit Russlands Präsident
                // Putin": a state before a role is part of the person's title.)
                let titled = (j + 1..(j + 4).min(clause.end)).any(|k| {
                    matches!(
                        self.slots[k],
                        Slot::RoleBound
                            | Slot::Entity {
                                kind: EntityKind::Person,
                                ..
                            }
                    )
                });
                if group.is_empty()
                    && matches!(
                        self.slots[j],
                        Slot::Entity {
                            kind: EntityKind::Place | EntityKind::Organization,
                            first: true,
                            ..
                        }
                    )
                    && !titled
                {
                    non_person = true;
                    break;
                }
                match &self.slots[j] {
                    Slot::Entity {
                        kind: EntityKind::Person,
                        first: true,
                        possessor: false,
                        ..
                    }
                    | Slot::Role { first: true, .. } => {
                        for person in self.persons_at(j) {
                            governed.insert(person.entity);
                            group.push(person);
                        }
                    }
                    Slot::Entity { .. } | Slot::Role { .. } | Slot::RoleBound => {}
                    Slot::Word => {
                        let filler = MIT_FILLERS.contains(&token)
                            || token == "-"
                            || self.spans[j]
                                .slice(self.text)
                                .chars()
                                .next()
                                .is_some_and(char::is_lowercase)
                                && is_adjective(token)
                            || token == ","
                                && (matches!(
                                    self.slots.get(j + 1),
                                    Some(Slot::Entity {
                                        kind: EntityKind::Person,
                                        ..
                                    }) | Some(Slot::RoleBound)
                                ) || self
                                    .tokens
                                    .get(j + 1)
                                    .is_some_and(|next| MIT_FILLERS.contains(&next.as_str())));
                        if token == "und" && !group.is_empty() {
                            if self.tokens.get(j + 1).is_some_and(|t| t == "mit") {
                                break;
                            }
                        } else if !filler {
                            break;
                        }
                    }
                }
                j += 1;
            }
            if group.is_empty() {
                // "mit der ETA", "mit Journalisten": not one of the people.
                non_person = true;
            } else {
                objects.push(group);
            }
            i = j.max(i + 1);
        }
        if objects.is_empty() {
            // No person governed by "mit": an empty list of groups says the
            // counterpart is an organization or state, not one of the people.
            return non_person.then(|| (Vec::new(), Vec::new()));
        }
        let subjects: Vec<Person> = people
            .iter()
            .filter(|p| !governed.contains(&p.entity))
            .cloned()
            .collect();
        Some((subjects, objects))
    }

    /// Held, planned, cancelled or refused; `None` when the clause denies it.
    fn status(&self, clause: std::ops::Range<usize>) -> Option<Status> {
        let words: Vec<&str> = self.tokens[clause].iter().map(String::as_str).collect();
        let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
        let has_prefix =
            |list: &[&str]| words.iter().any(|w| list.iter().any(|p| w.starts_with(p)));
        let negated = words.windows(2).any(|w| {
            matches!(w[0], "nicht" | "nie" | "niemals") && !matches!(w[1], "nur" | "zum" | "mehr")
        }) || has(&["kein", "keine", "keinen", "keinem"]);
        if has(&[
            "abgelehnt",
            "ablehnte",
            "verweigert",
            "verweigerte",
            "boykottierte",
            "boykottiert",
            "ausgeladen",
        ]) || words.contains(&"lehnte") && words.contains(&"ab")
            || words.contains(&"lehnten") && words.contains(&"ab")
            || negated && has(&["eingeladen", "teil", "teilgenommen", "teilnehmen"])
        {
            return Some(Status::Refused);
        }
        if has(&[
            "abgesagt",
            "absagen",
            "geplatzt",
            "abgebrochen",
            "storniert",
            "verschoben",
            "platzte",
            "gestrichen",
        ]) || words
            .iter()
            .any(|w| matches!(*w, "sagte" | "sagten" | "sagt"))
            && words
                .windows(2)
                .any(|w| w[0] == "ab" && !w[1].chars().any(char::is_alphanumeric))
        {
            return Some(Status::Cancelled);
        }
        if negated {
            return None;
        }
        if has(&[
            "vereinbart",
            "vereinbarten",
            "vereinbarte",
            "verabredet",
            "soll",
            "sollen",
            "sollte",
            "sollten",
            "wird",
            "werden",
            "will",
            "wollen",
            "wollte",
            "wollten",
            "geplant",
            "plant",
            "planen",
            "geplante",
            "geplanten",
            "angedacht",
            "beabsichtigt",
            "angekundigt",
            "anberaumt",
            "vorzubereiten",
            "vorbereiten",
            "moglich",
            "mogliches",
            "moglichen",
            "erwartet",
            "bevorstehenden",
            "bevorstehende",
            "demnachst",
            "angestrebt",
            "anstreben",
            "vorgeschlagen",
            "schlug",
            "einladen",
            "lud",
        ]) || has_prefix(&["baldig", "kommend", "nachst"])
        {
            return Some(Status::Planned);
        }
        Some(Status::Held)
    }

    /// The date expression of the clause closest to the trigger.
    fn date_near(&self, clause: std::ops::Range<usize>, trigger: usize) -> Option<&DateMention> {
        self.dates()
            .iter()
            .filter(|(i, _)| clause.contains(i))
            .min_by_key(|(i, _)| i.abs_diff(trigger))
            .map(|(_, d)| d)
    }

    /// The sentence's dates with the token each starts at, searched the
    /// first time they are asked for.
    fn dates(&self) -> &[(usize, DateMention)] {
        self.dates.get_or_init(|| {
            let searched;
            let dates = match self.dates_of {
                Dates::Found(dates) => dates,
                Dates::Search(normalizer, context) => {
                    searched = normalizer.find(self.text, self.sentence, context);
                    &searched
                }
            };
            dates
                .iter()
                .filter_map(|d| {
                    let at = d.span.start;
                    let token = self.spans.iter().position(|s| s.start <= at && at < s.end);
                    token.map(|i| (i, d.clone()))
                })
                .collect()
        })
    }

    /// The place of a meeting: a place named after "in" (or "im", "nach")
    /// in the clause; the last one when there are several.
    fn place(&self, clause: std::ops::Range<usize>) -> Option<usize> {
        let mut place = None;
        for i in clause.clone() {
            if let Slot::Entity {
                entity,
                kind: EntityKind::Place,
                first: true,
                ..
            } = self.slots[i]
            {
                let mut j = i;
                while j > clause.start
                    && matches!(
                        self.tokens[j - 1].as_str(),
                        "der"
                            | "dem"
                            | "die"
                            | "russischen"
                            | "turkischen"
                            | "hauptstadt"
                            | "stadt"
                            | "ort"
                            | "kurort"
                    )
                {
                    j -= 1;
                }
                if j > clause.start && matches!(self.tokens[j - 1].as_str(), "in" | "im") {
                    place = Some(entity);
                }
            }
        }
        place
    }

    fn record(
        &self,
        found: &Found,
        document: &str,
        number: usize,
        text: &str,
        index: usize,
    ) -> Interaction {
        let start = self.spans.first().map_or(0, |s| s.start);
        let end = self.spans.last().map_or(0, |s| s.end);
        let participants: Vec<usize> = found.participants.iter().map(|p| p.entity).collect();
        Interaction {
            id: format!("{document}#{number}.{index}"),
            kind: found.kind,
            participants: sorted_ids(self.entities, &participants),
            date: found.date.as_ref().and_then(|d| d.value),
            date_text: found.date.as_ref().map(|d| d.span.slice(text).to_string()),
            date_basis: found.date.as_ref().map_or_else(
                || "no date expression in the sentence".to_string(),
                |d| d.basis.clone(),
            ),
            place: found.place.map(|p| self.entities.get(p).id.clone()),
            status: found.status,
            document: document.to_string(),
            sentence: number,
            start,
            end,
            evidence: text[start..end].to_string(),
            confidence: found.confidence,
        }
    }
}

/// The entity ids of `entities`, sorted, once each.
fn sorted_ids(table: Entities<'_>, entities: &[usize]) -> Vec<String> {
    let ids: BTreeSet<String> = entities.iter().map(|&e| table.get(e).id.clone()).collect();
    ids.into_iter().collect()
}

/// True when a person's name is written in the genitive ("Putins"): the
/// folded text ends in s where no name of the entity does.
fn is_genitive(written: &str, entity: &crate::gazetteer::Entity) -> bool {
    let folded = fold(written);
    if !(folded.ends_with('s') || folded.ends_with("'s")) {
        return false;
    }
    !std::iter::once(&entity.label)
        .chain(&entity.aliases)
        .any(|name| folded.ends_with(&fold(name)))
}

/// Words that make a role word name someone other than the office holder.
fn is_not_holder(folded: &str) -> bool {
    folded.starts_with("stellvertretend")
        || folded.starts_with("ehemalig")
        || folded.starts_with("fruher")
        || folded.starts_with("designiert")
        || folded.starts_with("kunftig")
        || folded.starts_with("einstig")
        || folded.starts_with("damalig")
        || folded.starts_with("vormalig")
        || matches!(
            folded,
            "ex" | "vize" | "ex-" | "stellvertreter" | "stellvertreterin"
        )
}

fn is_adjective(folded: &str) -> bool {
    [
        "ischen", "ischer", "ische", "ischem", "igen", "lichen", "en",
    ]
    .iter()
    .any(|e| folded.ends_with(e))
}

fn is_people_noun(folded: &str) -> bool {
    matches!(
        folded,
        "politiker"
            | "politikern"
            | "manner"
            | "mannern"
            | "spitzenpolitiker"
            | "minister"
            | "ministern"
            | "fuhrer"
            | "regierungschefs"
            | "amtskollegen"
    )
}

/// The contact a token names, and whether it is a strong (report) word.
/// True when the folded word `word` is a contact word ([`trigger`]) with
/// some words around it, or is "zusammen", which makes "kam" one.
fn could_trigger(word: &str) -> bool {
    // The words around that [`trigger`] asks about: "per Video", "am
    // Rande", "Angesicht zu Angesicht", "kam … zusammen".
    word == "zusammen"
        || ["per", "am"]
            .into_iter()
            .any(|before| trigger(&[before, word, "zu", "angesicht", "zusammen"], 1).is_some())
}

fn trigger<S: AsRef<str>>(tokens: &[S], i: usize) -> Option<(InteractionKind, bool)> {
    let word = tokens[i].as_ref();
    let next = |k: usize| tokens.get(i + k).map(AsRef::as_ref).unwrap_or("");
    let prev = |k: usize| if i >= k { tokens[i - k].as_ref() } else { "" };
    use InteractionKind::*;
    if word.starts_with("videokonferenz")
        || word.starts_with("videoschalte")
        || word.starts_with("videogesprach")
        || word.starts_with("videotelefonat")
        || (word == "video" && prev(1) == "per")
    {
        return Some((VideoConference, true));
    }
    if word.starts_with("telefon")
        || word.starts_with("telefoniert")
        || word == "anruf"
        || word == "angerufen"
        || word.ends_with("telefonat")
        || word.ends_with("telefonats")
        || word.ends_with("telefongesprach")
        || word.ends_with("telefongesprachs")
        || word.ends_with("telefongesprache")
    {
        return Some((PhoneCall, true));
    }
    if word.starts_with("telefonisch") {
        return Some((PhoneCall, true));
    }
    // Matched by length first, then bytes: this runs for every word of a
    // clause with a contact word.
    if matches!(
        word,
        "traf"
            | "trafen"
            | "trifft"
            | "treffen"
            | "getroffen"
            | "treffens"
            | "trafe"
            | "zusammengetroffen"
            | "zusammengekommen"
            | "zusammentreffen"
            | "empfing"
            | "empfingen"
            | "empfangen"
            | "empfangt"
            | "besuchte"
            | "besuchten"
            | "besucht"
            | "unterredung"
            | "gipfeltreffen"
            | "gipfel"
            | "gipfels"
            | "spitzentreffen"
            | "arbeitstreffen"
            | "krisentreffen"
            | "sondertreffen"
            | "ministertreffen"
            | "aussenministertreffen"
            | "begegnung"
            | "begegneten"
            | "begegnete"
            | "zusammenkunft"
    ) {
        // "treffen" as a verb of purpose ("um … zu treffen") still names a meeting.
        return Some((Meeting, true));
    }
    if word == "angesicht" && next(1) == "zu" && next(2) == "angesicht" {
        return Some((Meeting, true));
    }
    if word == "rande" && prev(1) == "am" {
        return Some((Meeting, false));
    }
    if (word == "kam" || word == "kamen") && tokens[i..].iter().any(|t| t.as_ref() == "zusammen") {
        return Some((Meeting, true));
    }
    if word.ends_with("gipfel")
        || word.ends_with("gipfels")
        || word.ends_with("treffen")
            && word.len() > 8
            && !word.starts_with("eintreffen")
            && !word.starts_with("zutreffen")
    {
        return Some((Meeting, true));
    }
    if matches!(
        word,
        "verhandlungen"
            | "verhandelten"
            | "verhandelte"
            | "verhandelt"
            | "friedensgesprache"
            | "gesprache"
            | "gesprachen"
            | "notfallgesprachen"
            | "unterredungen"
    ) || word.ends_with("verhandlungen")
    {
        return Some((Negotiation, word != "gesprache" && word != "gesprachen"));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::token::{Token, Tokenizer};

    static DETECTOR: LazyLock<InteractionDetector> =
        LazyLock::new(|| InteractionDetector::new(&Gazetteer::builtin()));

    /// The tokens of a test sentence, kept for [`Whole::view`].
    struct Whole {
        span: Span,
        tokens: Vec<Token>,
    }

    impl Whole {
        fn view(&self) -> Sentence<'_> {
            Sentence {
                span: self.span,
                tokens: &self.tokens,
            }
        }
    }

    /// The sentence of all of `text`'s tokens.
    fn sentence(text: &str) -> Whole {
        let tokens: Vec<Token> = Tokenizer::new().tokens(text, Span::new(0, text.len()));
        let span = match (tokens.first(), tokens.last()) {
            (Some(first), Some(last)) => Span::new(first.span.start, last.span.end),
            _ => Span::new(0, 0),
        };
        Whole { span, tokens }
    }

    /// Wherever a word is a contact word with the words around it, in a
    /// sentence with a contact stem, the sentence is read: the words
    /// checked first include it, or the "zusammen" that makes "kam" one.
    #[quickcheck_macros::quickcheck]
    fn contact_words_are_never_passed_over(picks: Vec<u8>) -> bool {
        const WORDS: &[&str] = &[
            "traf",
            "Traf",
            "TRAFEN",
            "Strafe",
            "Zusammenarbeit",
            "kam",
            "Kamen",
            "zusammen",
            "ZUSAMMEN",
            "zu\u{ad}sammen",
            "Tele\u{ad}fonat",
            "Telefonat",
            "Krisentelefonat",
            "GESPRÄCHE",
            "Gespräche",
            "Friedensgespräche",
            "per",
            "Video",
            "Videokonferenz",
            "am",
            "Rande",
            "Angesicht",
            "zu",
            "Gipfel",
            "G20-Gipfel",
            "Treffen",
            "Außenministertreffen",
            "Begegnung",
            "empfing",
            "Empfang",
            "besuchte",
            "Besuch",
            "Verhandlungen",
            "verhandelte",
            "Unterredung",
            "Anruf",
            "angerufen",
            "getroffen",
            "trifft",
            "Teil",
            "Putin",
            ",",
            ".",
            "und",
            "Ärzte",
            "telefonisch",
            "z.B.Telefonat",
            "Verhandelten",
            "VERHANDELT",
            "kamen",
            "eintreffen",
            "Tref\u{301}fen",
            "vor",
            "dem",
        ];
        // Short sentences: in a long one some other word is nearly always
        // a contact word.
        let text = picks
            .iter()
            .take(6)
            .map(|&p| crate::test_text::piece(WORDS, p))
            .collect::<Vec<_>>()
            .join(" ");
        let whole = sentence(&text);
        let sentence = whole.view();
        let folded: Vec<String> = sentence
            .tokens
            .iter()
            .map(|t| fold(t.span.slice(&text)))
            .collect();
        let contact_word = (0..folded.len()).any(|i| trigger(&folded, i).is_some());
        let stem = DETECTOR.cues(sentence.span.slice(&text)).contact;
        !(stem && contact_word) || DETECTOR.may_trigger(&text, &sentence)
    }

    #[test]
    fn stems_in_other_words_are_passed_over() {
        for text in [
            "Die Strafe für die Zusammenarbeit.",
            "Das Urteil betraf den Straftäter.",
        ] {
            assert!(DETECTOR.cues(text).contact, "{text}");
            assert!(
                !DETECTOR.may_trigger(text, &sentence(text).view()),
                "{text}"
            );
        }
        for text in [
            "Putin traf Erdoğan.",
            "Sie kamen in Sotschi zusammen.",
            "Ein Tele\u{ad}fonat mit Zusammenarbeit.",
            "Am Rande des Gipfels.",
            "Nach der Strafe verhandelte er.",
        ] {
            assert!(DETECTOR.may_trigger(text, &sentence(text).view()), "{text}");
        }
    }

    /// A sentence whose only contact word is a form of "verhandeln" is
    /// read: "verhandelt", "verhandelte" and "verhandelten" hold a contact
    /// stem of their own (they once held none, and such sentences were
    /// passed over unless another word held one).
    #[test]
    fn every_form_of_verhandeln_is_a_contact_cue() {
        for word in ["verhandelt", "verhandelte", "verhandelten", "Verhandlungen"] {
            let text = format!("Am Montag {word} Putin mit Erdoğan.");
            assert!(DETECTOR.cues(&text).contact, "{text}");
            assert!(
                DETECTOR.may_trigger(&text, &sentence(&text).view()),
                "{text}"
            );
        }
    }
}

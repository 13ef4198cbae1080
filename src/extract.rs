//! The pipeline for one document: sentences, entity mentions, interactions.
//!
//! [`Extractor`] is built once (it builds the gazetteer trie and the date
//! grammar) and analyses any number of documents, each independently, so
//! documents can be streamed and processed in parallel.

use std::sync::{Arc, OnceLock};

use crate::boilerplate::BoilerplateFilter;
use crate::date::{DateContext, DateNormalizer};
use crate::discovery::PersonDiscoverer;
use crate::document::Document;
use crate::gazetteer::{EntityKind, EntityMatcher, Gazetteer, Loaded, Mention};
use crate::graph::{
    Analysis, ArcStr, DocumentRecord, MentionRecord, MentionText, Node, NodeSource,
};
use crate::interaction::{Cues, Dates, InteractionDetector, SentenceInput};
use crate::span::Span;
use crate::token::{Sentence, Sentences, Tokenizer};

/// Runs every stage on a document.
#[derive(Clone, Debug)]
pub struct Extractor {
    tokenizer: Tokenizer,
    gazetteer: Gazetteer,
    matcher: EntityMatcher,
    boilerplate: BoilerplateFilter,
    dates: DateNormalizer,
    detector: InteractionDetector,
    discoverer: PersonDiscoverer,
    discovery: bool,
    /// Per gazetteer entity, its nodes' strings once a document names it
    /// (made when first needed: a large gazetteer's are mostly never).
    nodes: NodeTable,
}

impl Extractor {
    /// Builds the stages for `gazetteer`.
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        match Extractor::load(|| Ok::<_, std::convert::Infallible>(gazetteer)) {
            Ok(extractor) => extractor,
            Err(never) => match never {},
        }
    }

    /// Builds the stages for the gazetteer that `load` reads (parsed, or
    /// compiled: a [`crate::gazetteer::CompiledGazetteer`] brings its name
    /// matcher, which is then not built), compiling the stages that do not
    /// need it (the date grammar, the boilerplate patterns) while it is
    /// read. The date grammar goes on compiling on a thread of its own
    /// after this returns, until its first use.
    ///
    /// # Errors
    /// `load`'s error.
    pub fn load<E: Send, G: Into<Loaded>>(
        load: impl FnOnce() -> std::result::Result<G, E> + Send,
    ) -> std::result::Result<Extractor, E> {
        // The date grammar, the longest to compile, is needed only for
        // sentences with a contact word: it is compiled beside the rest and
        // beside the first documents, and waited for where first needed.
        let dates = DateNormalizer::in_background();
        // The name trie (after the gazetteer) takes most of the rest.
        let (loaded, boilerplate) = rayon::join(
            || {
                // A compiled gazetteer brings its matcher.
                let (gazetteer, matcher) = match load()?.into() {
                    Loaded::Parsed(gazetteer) => (gazetteer, None),
                    Loaded::Compiled(compiled) => (compiled.gazetteer, Some(compiled.matcher)),
                };
                let (matcher, detector) = rayon::join(
                    || matcher.unwrap_or_else(|| EntityMatcher::new(&gazetteer)),
                    || InteractionDetector::new(&gazetteer),
                );
                Ok((gazetteer, matcher, detector))
            },
            BoilerplateFilter::new,
        );
        let (gazetteer, matcher, detector) = loaded?;
        let nodes = NodeTable::new(gazetteer.entities().len());
        Ok(Extractor {
            tokenizer: Tokenizer::new(),
            gazetteer,
            matcher,
            boilerplate,
            dates,
            detector,
            discoverer: PersonDiscoverer::new(),
            discovery: true,
            nodes,
        })
    }

    /// Turns the discovery of people the gazetteer does not know on or off
    /// (on by default).
    pub fn with_discovery(mut self, discovery: bool) -> Extractor {
        self.discovery = discovery;
        self
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The sentences of a document's body.
    pub fn sentences(&self, document: &Document) -> Sentences {
        self.tokenizer.tokenize(&document.text, document.body)
    }

    /// Analyses one document.
    pub fn analyze(&self, document: &Document) -> Analysis {
        self.analyze_reading(document, CueReading::MayReport)
    }

    /// [`Extractor::analyze`], the sentences of the documents `reading`
    /// says read for contact words.
    fn analyze_reading(&self, document: &Document, reading: CueReading) -> Analysis {
        let sentences = self.sentences(document);
        let sentences: Vec<Sentence<'_>> = sentences.iter().collect();
        let context = DateContext {
            reference: document.date,
        };
        let mut mentions: Vec<Vec<Mention>> = Vec::with_capacity(sentences.len());
        let mut boilerplate = Vec::with_capacity(sentences.len());
        // Whether a word of the document is a role word ("Präsident",
        // "Amtskollegen"), as the matcher's lookups tell.
        let mut role_word = false;
        for sentence in &sentences {
            let furniture = self
                .boilerplate
                .is_boilerplate(document.text(sentence.span));
            boilerplate.push(furniture);
            if furniture {
                mentions.push(Vec::new());
            } else {
                let (found, role) = self.matcher.find_noting_roles(&document.text, sentence);
                mentions.push(found);
                role_word |= role;
            }
        }
        let discovered = if self.discovery {
            self.discoverer
                .discover(&self.gazetteer, &document.text, &sentences, &mut mentions)
        } else {
            Vec::new()
        };
        self.discoverer.link_surnames(
            &self.gazetteer,
            &discovered,
            &document.text,
            &sentences,
            &mut mentions,
        );
        // A contact has people taking part: named ones, or people a role
        // word refers to. A document with neither (a third of a news
        // feed's text) reports none, and its sentences are not read for
        // contact words.
        let person = |entity: usize| match entity.checked_sub(self.gazetteer.entities().len()) {
            None => self.gazetteer.entities()[entity].kind == EntityKind::Person,
            Some(index) => discovered[index].kind == EntityKind::Person,
        };
        let may_report = reading == CueReading::Every
            || role_word
            || mentions.iter().flatten().any(|m| person(m.entity));
        let cues: Vec<Cues> = sentences
            .iter()
            .zip(&boilerplate)
            .map(|(sentence, &furniture)| match may_report && !furniture {
                true => self.detector.cues(document.text(sentence.span)),
                false => Cues::default(),
            })
            .collect();
        let inputs: Vec<SentenceInput<'_>> = sentences
            .iter()
            .enumerate()
            .map(|(number, sentence)| SentenceInput {
                sentence,
                mentions: &mentions[number],
                // Dates serve the interactions only: the detector searches
                // a sentence with a contact word when it finds people
                // around it (few sentences); the others are never searched.
                dates: if cues[number].contact {
                    Dates::Search(&self.dates, &context)
                } else {
                    Dates::Found(&[])
                },
                boilerplate: boilerplate[number],
                cues: cues[number],
            })
            .collect();
        let detection = self.detector.detect_with(
            &self.gazetteer,
            &discovered,
            &document.id,
            &document.text,
            document.date,
            &inputs,
        );
        let id = ArcStr::from(document.id.as_str());
        // A participant known only by a role ("der russische Präsident") gets
        // that reference as its mention; people named in the document keep
        // their names as mentions.
        let mut found: Vec<(usize, Span, usize)> = mentions
            .iter()
            .enumerate()
            .flat_map(|(number, list)| list.iter().map(move |m| (m.entity, m.span, number)))
            .collect();
        let mut named: Vec<usize> = found.iter().map(|found| found.0).collect();
        named.sort_unstable();
        named.dedup();
        found.extend(
            detection
                .references
                .iter()
                .filter(|(entity, _, _)| named.binary_search(entity).is_err()),
        );
        // Each entity's mentions together, the entities in order: a node's
        // list is made at its size.
        found
            .sort_unstable_by_key(|&(entity, span, number)| (entity, number, span.start, span.end));
        let known = self.gazetteer.entities().len();
        let mut nodes: Vec<Node> = Vec::with_capacity(named.len());
        for group in found.chunk_by(|a, b| a.0 == b.0) {
            let entity = group[0].0;
            let mut node = match entity.checked_sub(known) {
                None => self.node_for(entity),
                Some(index) => Node {
                    source: NodeSource::Discovered,
                    confidence: Some(DISCOVERED_CONFIDENCE),
                    ..NodeStrings::of(&discovered[index]).node(discovered[index].kind)
                },
            };
            node.mentions.reserve_exact(group.len());
            for &(_, span, number) in group {
                // A name is mostly written as it was the last times: one
                // string for all of them (and one lookup when the builder
                // shares it).
                let written = document.text(span);
                let text = node
                    .mentions
                    .iter()
                    .rev()
                    .take(RECENT_TEXTS)
                    .find(|mention| mention.text == written)
                    .map_or_else(|| MentionText::new(written), |mention| mention.text);
                node.mentions.push(MentionRecord {
                    document: ArcStr::clone(&id),
                    start: offset_u32(document.original(span.start)),
                    end: offset_u32(document.original(span.end)),
                    text,
                    sentence: offset_u32(number),
                });
            }
            node.mentions.sort();
            node.mentions.dedup();
            nodes.push(node);
        }
        Analysis {
            document: DocumentRecord {
                id,
                source: ArcStr::from(document.source.as_str()),
                date: document.date,
            },
            nodes,
            interactions: detection
                .interactions
                .into_iter()
                .map(|mut interaction| {
                    interaction.start = document.original(interaction.start);
                    interaction.end = document.original(interaction.end);
                    interaction
                })
                .collect(),
        }
    }
}

/// Which documents' sentences [`Extractor::analyze_reading`] reads for
/// contact words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CueReading {
    /// Those of a document that may report a contact: one that names a
    /// person or holds a role word.
    MayReport,
    /// Every document's (what the other is tested against).
    #[cfg_attr(not(test), allow(dead_code))]
    Every,
}

/// An offset or sentence number as a mention record keeps it. Documents
/// longer than 4 GiB are refused where they are read
/// ([`crate::document::MAX_DOCUMENT_BYTES`]); in one given directly, the
/// offsets past that end are kept as `u32::MAX`.
fn offset_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// How sure a discovered person is (gazetteer entities carry no confidence).
const DISCOVERED_CONFIDENCE: f64 = 0.6;

/// How many of a node's last mentions a new mention's text is compared with.
const RECENT_TEXTS: usize = 4;

/// The shared strings of an entity's nodes: made once per entity, and
/// cloned (counts raised, nothing copied) into each document's node.
#[derive(Clone, Debug)]
struct NodeStrings {
    id: ArcStr,
    label: ArcStr,
    aliases: Arc<[ArcStr]>,
    wikidata: Option<ArcStr>,
}

impl NodeStrings {
    fn of(entity: &crate::gazetteer::Entity) -> NodeStrings {
        NodeStrings {
            id: ArcStr::from(entity.id.as_str()),
            label: ArcStr::from(entity.label.as_str()),
            aliases: entity
                .aliases
                .iter()
                .map(|a| ArcStr::from(a.as_str()))
                .collect(),
            wikidata: entity.wikidata.as_deref().map(ArcStr::from),
        }
    }

    /// A node of these strings, without mentions.
    fn node(&self, kind: crate::gazetteer::EntityKind) -> Node {
        Node {
            id: ArcStr::clone(&self.id),
            label: ArcStr::clone(&self.label),
            kind,
            aliases: Arc::clone(&self.aliases),
            wikidata: self.wikidata.clone(),
            source: NodeSource::Gazetteer,
            confidence: None,
            mention_count: 0,
            mentions: Vec::new(),
        }
    }
}

/// The gazetteer entities' [`NodeStrings`], in blocks of [`NodeTable::BLOCK`]
/// entities each made when a document first names one of them: a table
/// for 100,000 entities made whole would be 5 MB written at start-up, a
/// page fault for every 85 entities, where a corpus names a few thousand.
#[derive(Clone, Debug)]
struct NodeTable {
    blocks: Box<[OnceLock<NodeBlock>]>,
}

/// [`NodeTable::BLOCK`] entities' strings, each made when first asked for.
type NodeBlock = Box<[OnceLock<NodeStrings>]>;

impl NodeTable {
    /// Entities per block: 12 KB of strings' handles.
    const BLOCK: usize = 256;

    /// The table for `entities` entities, none of its blocks made.
    fn new(entities: usize) -> NodeTable {
        NodeTable {
            blocks: (0..entities.div_ceil(Self::BLOCK))
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The strings of entity `entity`, made by `make` the first time.
    fn get_or_init(&self, entity: usize, make: impl FnOnce() -> NodeStrings) -> &NodeStrings {
        self.blocks[entity / Self::BLOCK]
            .get_or_init(|| (0..Self::BLOCK).map(|_| OnceLock::new()).collect())
            [entity % Self::BLOCK]
            .get_or_init(make)
    }
}

impl Extractor {
    /// A graph node for the gazetteer's entity `entity`, without mentions.
    fn node_for(&self, entity: usize) -> Node {
        let known = &self.gazetteer.entities()[entity];
        self.nodes
            .get_or_init(entity, || NodeStrings::of(known))
            .node(known.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed articles.
    const SEEDS: [&str; 5] = [
        include_str!("../seeds/000_dc6b3372b8fcd70d.txt"),
        include_str!("../seeds/001_edae168d99fdab03.txt"),
        include_str!("../seeds/002_e8ad741ecb710b8f.txt"),
        include_str!("../seeds/003_226e07a4952ef3ec.txt"),
        include_str!("../seeds/004_121b66b0314985e9.txt"),
    ];

    #[test]
    fn load_builds_the_stages_or_passes_the_error_on() {
        let failed = Extractor::load(|| Err::<Gazetteer, _>("no gazetteer"));
        assert_eq!(failed.err(), Some("no gazetteer"));
        let loaded = Extractor::load(|| Ok::<_, ()>(Gazetteer::builtin())).unwrap();
        let document = Document::from_text("a", "a.txt", "Putin traf Erdoğan.".to_string());
        assert_eq!(loaded.analyze(&document).nodes.len(), 2);
    }

    /// The node table makes an entity's strings once, keeps them for every
    /// later ask (and in a clone), makes only the blocks asked for, and
    /// holds the last entity of a table whose size is no multiple of a
    /// block.
    #[test]
    fn the_node_table_makes_each_entitys_strings_once() {
        let gazetteer = Gazetteer::builtin();
        let entities = gazetteer.entities();
        let count = NodeTable::BLOCK * 2 + 3;
        let table = NodeTable::new(count);
        assert_eq!(table.blocks.len(), 3);
        assert!(table.blocks.iter().all(|block| block.get().is_none()));
        let made = std::cell::Cell::new(0);
        let strings = |entity: usize| {
            table.get_or_init(entity, || {
                made.set(made.get() + 1);
                NodeStrings::of(&entities[entity])
            })
        };
        let last = count - 1;
        assert_eq!(strings(last).id.as_str(), entities[last].id);
        assert_eq!(strings(1).label.as_str(), entities[1].label);
        assert_eq!(made.get(), 2);
        let made_blocks = |table: &NodeTable| {
            table
                .blocks
                .iter()
                .map(|block| block.get().is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(made_blocks(&table), [true, false, true]);
        let clone = table.clone();
        assert_eq!(made_blocks(&clone), [true, false, true]);
        let kept = clone.get_or_init(last, || unreachable!("made before the clone"));
        assert!(ArcStr::ptr_eq(&kept.id, &strings(last).id));
    }

    /// A negotiation reported by a verb and nothing else is found ("Am
    /// Montag verhandelte Putin mit Erdoğan").
    #[test]
    fn a_negotiation_reported_by_its_verb_alone() {
        use crate::interaction::InteractionKind;
        let extractor = Extractor::new(Gazetteer::builtin());
        for verb in ["verhandelte", "verhandelt", "verhandelten"] {
            let text =
                format!(" date 2020-10-16 \nAm Montag {verb} Putin mit Erdoğan in Sotschi.\n");
            let document = Document::from_text("a", "a.txt", text);
            let analysis = extractor.analyze(&document);
            let kinds: Vec<InteractionKind> = analysis
                .interactions
                .iter()
                .map(|found| found.kind)
                .collect();
            assert_eq!(kinds, [InteractionKind::Negotiation], "{verb}");
            let found = &analysis.interactions[0];
            assert_eq!(
                found.participants,
                ["person:recep-tayyip-erdogan", "person:wladimir-putin"]
            );
            assert_eq!(found.place.as_deref(), Some("place:sotschi"));
            assert_eq!(
                found.date.map(|date| date.to_string()).as_deref(),
                Some("2020-10-12")
            );
        }
    }

    /// Searching a sentence's dates only when the detector asks for them
    /// finds what searching every sentence with a contact word beforehand
    /// finds.
    #[test]
    fn dates_searched_on_demand_give_the_same_interactions() {
        use crate::date::DateMention;
        let extractor = Extractor::new(Gazetteer::builtin());
        let mut dated = 0;
        for (number, text) in SEEDS.into_iter().enumerate() {
            let document =
                Document::from_text(format!("seed-{number}"), "seed.txt", text.to_string());
            let sentences = extractor.sentences(&document);
            let sentences: Vec<Sentence<'_>> = sentences.iter().collect();
            let context = DateContext {
                reference: document.date,
            };
            let mentions: Vec<Vec<Mention>> = sentences
                .iter()
                .map(|s| extractor.matcher.find(&document.text, s))
                .collect();
            let cues: Vec<Cues> = sentences
                .iter()
                .map(|s| extractor.detector.cues(document.text(s.span)))
                .collect();
            let searched: Vec<Vec<DateMention>> = sentences
                .iter()
                .zip(&cues)
                .map(|(s, cue)| match cue.contact {
                    true => extractor.dates.find(&document.text, s.span, &context),
                    false => Vec::new(),
                })
                .collect();
            let detect = |on_demand: bool| {
                let inputs: Vec<SentenceInput<'_>> = (0..sentences.len())
                    .map(|i| SentenceInput {
                        sentence: &sentences[i],
                        mentions: &mentions[i],
                        dates: match on_demand && cues[i].contact {
                            true => Dates::Search(&extractor.dates, &context),
                            false => Dates::Found(&searched[i]),
                        },
                        cues: cues[i],
                        boilerplate: false,
                    })
                    .collect();
                extractor.detector.detect(
                    &extractor.gazetteer,
                    &document.id,
                    &document.text,
                    document.date,
                    &inputs,
                )
            };
            let beforehand = detect(false);
            assert_eq!(detect(true), beforehand, "seed {number}");
            dated += beforehand
                .interactions
                .iter()
                .filter(|i| i.date.is_some())
                .count();
        }
        assert!(dated >= 3, "the seeds' dated interactions: {dated}");
    }

    /// A document's sentences are read for contact words only when it
    /// names a person or holds a role word: reading every document's finds
    /// the same, on documents of contacts between named people, people
    /// known by their roles alone (on the document's date or one in the
    /// sentence), "die beiden Staatschefs", meetings whose participants
    /// come later, and sentences of none of these.
    #[quickcheck_macros::quickcheck]
    fn documents_with_no_person_and_no_role_word_report_nothing(
        picks: Vec<u8>,
        dated: bool,
    ) -> bool {
        const SENTENCES: &[&str] = &[
            "Der russische Präsident traf am Montag in Sotschi seinen türkischen Amtskollegen. ",
            "Am 5. März 2020 telefonierte der Kremlchef mit dem türkischen Staatschef. ",
            "Russlands Außenminister empfing seinen armenischen Kollegen in Moskau. ",
            "Die Außenminister Russlands und der Türkei trafen sich in Antalya. ",
            "Putin telefonierte mit Erdoğan. ",
            "Lawrow und Cavusoglu verhandelten in Moskau. ",
            "Die beiden Staatschefs trafen sich danach erneut. ",
            "Am Dienstag fand in Minsk ein Treffen statt. ",
            "Daran nahmen Putin und Alijew teil. ",
            "Vertreten war auch der armenische Regierungschef. ",
            "Die OSZE und die Minsker Gruppe trafen sich in Wien. ",
            "Russland telefonierte mit der Türkei. ",
            "Das Wetter in Bergkarabach war am Montag schlecht. ",
            "Hans Meier traf Anna Schulz in Berlin. ",
            "Der Minister sprach. ",
            "Strafen und Zusammenarbeit wurden besprochen. ",
            "\n\n",
        ];
        static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
        let extractor = EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin()));
        let mut text = String::from(if dated { " date 2020-03-09 " } else { "" });
        text.push_str(&crate::test_text::from_picks(&picks, SENTENCES));
        let document = Document::from_text("d", "d.txt", text);
        extractor.analyze(&document) == extractor.analyze_reading(&document, CueReading::Every)
    }

    /// The same on the seed articles and on the articles the tests run
    /// the command on; some of them report contacts.
    #[test]
    fn reading_only_documents_that_may_report_finds_the_same() {
        let extractor = Extractor::new(Gazetteer::builtin());
        let articles = SEEDS.into_iter().chain([
            include_str!("../tests/cli/fixtures/extra/articles/x01_scholz_macron.txt"),
            include_str!("../tests/cli/fixtures/extra/articles/x02_baerbock_katz.txt"),
            include_str!("../tests/cli/fixtures/extra/articles/x03_roles_by_date.txt"),
            include_str!("../tests/cli/fixtures/extra/articles/x04_no_contact.txt"),
            include_str!("../tests/cli/fixtures/extra/articles/x05_not_contacts.txt"),
        ]);
        let mut interactions = 0;
        for (number, text) in articles.enumerate() {
            let document = Document::from_text(format!("a{number}"), "a.txt", text.to_string());
            let analysis = extractor.analyze(&document);
            assert_eq!(
                analysis,
                extractor.analyze_reading(&document, CueReading::Every),
                "article {number}"
            );
            interactions += analysis.interactions.len();
        }
        assert!(interactions >= 10, "{interactions} interactions");
        // A role word alone, with the document's date, is a participant.
        let roles_only = Document::from_text(
            "r",
            "r.txt",
            " date 2020-03-09 Der russische Präsident traf in Sotschi seinen türkischen Amtskollegen."
                .to_string(),
        );
        let analysis = extractor.analyze(&roles_only);
        assert_eq!(analysis.interactions.len(), 1, "{analysis:?}");
    }

    /// Every document's node of a gazetteer entity holds the same strings
    /// (made once, not copied per document), the entity's.
    #[test]
    fn nodes_of_one_entity_share_their_strings() {
        let extractor = Extractor::new(Gazetteer::builtin());
        let putin = |analysis: &Analysis| {
            analysis
                .nodes
                .iter()
                .find(|node| node.id == "person:wladimir-putin")
                .cloned()
                .expect("Putin is named")
        };
        let first = extractor.analyze(&Document::from_text(
            "a",
            "a.txt",
            "Putin traf Erdoğan.".to_string(),
        ));
        let second = extractor.analyze(&Document::from_text(
            "b",
            "b.txt",
            "Wladimir Putin sprach in Sotschi.".to_string(),
        ));
        let (a, b) = (putin(&first), putin(&second));
        assert!(ArcStr::ptr_eq(&a.id, &b.id) && ArcStr::ptr_eq(&a.label, &b.label));
        assert!(Arc::ptr_eq(&a.aliases, &b.aliases) && !a.aliases.is_empty());
        assert_eq!(a.wikidata, b.wikidata);
        // The strings are the entity's.
        let entity = &extractor.gazetteer().entities()[extractor
            .gazetteer()
            .entities()
            .iter()
            .position(|e| e.id == "person:wladimir-putin")
            .expect("in the gazetteer")];
        assert_eq!(a.label.as_str(), entity.label);
        let aliases: Vec<&str> = a.aliases.iter().map(ArcStr::as_str).collect();
        assert_eq!(aliases, entity.aliases);
        assert_eq!(a.wikidata.as_deref(), entity.wikidata.as_deref());
    }
}

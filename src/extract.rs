//! The pipeline for one document: sentences, entity mentions, interactions.
//!
//! [`Extractor`] is built once (it compiles the gazetteer automaton) and
//! analyses any number of documents, each independently, so documents can be
//! streamed and processed in parallel.

use std::collections::BTreeMap;

use crate::boilerplate::BoilerplateFilter;
use crate::document::Document;
use crate::gazetteer::{EntityMatcher, Gazetteer};
use crate::graph::{Analysis, DocumentRecord, MentionRecord, Node, NodeSource};
use crate::token::{Sentence, Tokenizer};

/// Runs every stage on a document.
#[derive(Clone, Debug)]
pub struct Extractor {
    tokenizer: Tokenizer,
    gazetteer: Gazetteer,
    matcher: EntityMatcher,
    boilerplate: BoilerplateFilter,
}

impl Extractor {
    /// Builds the stages for `gazetteer`.
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        let matcher = EntityMatcher::new(&gazetteer);
        Extractor {
            tokenizer: Tokenizer::new(),
            gazetteer,
            matcher,
            boilerplate: BoilerplateFilter::new(),
        }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The sentences of a document's body.
    pub fn sentences(&self, document: &Document) -> Vec<Sentence> {
        self.tokenizer.tokenize(&document.text, document.body)
    }

    /// Analyses one document.
    pub fn analyze(&self, document: &Document) -> Analysis {
        let sentences = self.sentences(document);
        let mut nodes: BTreeMap<usize, Node> = BTreeMap::new();
        for (number, sentence) in sentences.iter().enumerate() {
            if self.boilerplate.is_boilerplate(document.text(sentence.span)) {
                continue;
            }
            for mention in self.matcher.find(&document.text, sentence) {
                let node = nodes.entry(mention.entity).or_insert_with(|| {
                    node_for(&self.gazetteer.entities()[mention.entity])
                });
                node.mentions.push(MentionRecord {
                    document: document.id.clone(),
                    start: mention.span.start,
                    end: mention.span.end,
                    text: document.text(mention.span).to_string(),
                    sentence: number,
                });
            }
        }
        Analysis {
            document: DocumentRecord {
                id: document.id.clone(),
                source: document.source.clone(),
                date: document.date,
            },
            nodes: nodes.into_values().collect(),
            interactions: Vec::new(),
        }
    }
}

/// A graph node for a gazetteer entity, without mentions.
pub(crate) fn node_for(entity: &crate::gazetteer::Entity) -> Node {
    Node {
        id: entity.id.clone(),
        label: entity.label.clone(),
        kind: entity.kind,
        aliases: entity.aliases.clone(),
        wikidata: entity.wikidata.clone(),
        source: NodeSource::Gazetteer,
        mentions: Vec::new(),
    }
}

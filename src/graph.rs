//! The knowledge graph: entities as nodes (petgraph, undirected), linked by
//! co-mention (two entities named in the same sentence, weighted by the number
//! of such sentences) and by each reported interaction.
//!
//! [`GraphBuilder`] takes one [`Analysis`] per document, in any order, and
//! [`GraphBuilder::finish`] sorts everything by key, so the same documents
//! always give the same graph, byte for byte, whatever the input order.

use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use petgraph::graph::{NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};

use crate::date::DateValue;
use crate::error::{Error, ErrorKind, Result};
use crate::gazetteer::EntityKind;
use crate::interaction::{Interaction, Status};

/// The shared strings of the graph's records: one machine word each (the
/// length is kept with the bytes), so that the document id a mention
/// record holds is one word.
pub use arcstr::ArcStr;

pub use crate::mention_text::MentionText;

/// A document as listed in the graph.
///
/// The id and source are shared strings: every mention and co-mention edge
/// of a document holds the document's own id, and the documents of one file
/// share its name, so that a graph with mention-level provenance does not
/// hold a copy of an id per mention.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// The document id.
    pub id: ArcStr,
    /// Where it was read from.
    pub source: ArcStr,
    /// Its date, when known.
    pub date: Option<DateValue>,
}

/// One occurrence of an entity.
///
/// The document id is a shared string ([`ArcStr`]): a [`GraphBuilder`]
/// keeps one copy of each document id. The text is a [`MentionText`], one
/// number for each distinct text. With offsets and the sentence number as
/// `u32`, a record is three machine words (24 bytes on 64-bit targets): a
/// graph with mention-level provenance is mostly these. A document is read
/// only up to 4 GiB long, so that its offsets fit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    /// The document id.
    #[serde(deserialize_with = "shared_id")]
    pub document: ArcStr,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// The text at `start..end`.
    pub text: MentionText,
    /// The sentence number within the document, from 0.
    pub sentence: u32,
}

/// A document id read from a file, shared with the id read just before it
/// on this thread when the two are equal: a node's mentions are sorted by
/// document, so most follow one of the same document, and a graph read
/// back holds a string per node and document instead of one per mention.
fn shared_id<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<ArcStr, D::Error> {
    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = ArcStr;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<ArcStr, E> {
            thread_local! {
                static LAST: std::cell::RefCell<ArcStr> = const { std::cell::RefCell::new(ArcStr::new()) };
            }
            Ok(LAST.with_borrow_mut(|last| {
                if **last != *text {
                    *last = ArcStr::from(text);
                }
                ArcStr::clone(last)
            }))
        }
    }

    deserializer.deserialize_str(Visitor)
}

/// Makes each mention's document id the shared one `find` gives for it,
/// looking up once for each run of mentions that hold one string (a
/// node's mentions are sorted by document, and read back from a file they
/// share a string per run: [`shared_id`]).
pub(crate) fn share_documents<'a>(
    mentions: &mut [MentionRecord],
    find: impl Fn(&ArcStr) -> Option<&'a ArcStr>,
) {
    // The string last looked up, and what it became.
    let mut last: Option<(ArcStr, ArcStr)> = None;
    for mention in mentions {
        if let Some((given, shared)) = &last
            && ArcStr::ptr_eq(given, &mention.document)
        {
            mention.document = ArcStr::clone(shared);
            continue;
        }
        let given = ArcStr::clone(&mention.document);
        if let Some(shared) = find(&mention.document) {
            mention.document = ArcStr::clone(shared);
        }
        last = Some((given, ArcStr::clone(&mention.document)));
    }
}

/// By document, start, end, text and sentence, as the fields come.
impl Ord for MentionRecord {
    fn cmp(&self, other: &MentionRecord) -> std::cmp::Ordering {
        // A node's mentions of one document share one id: equal without
        // comparing its bytes, for every comparison of a sort within them.
        let document = if ArcStr::ptr_eq(&self.document, &other.document) {
            std::cmp::Ordering::Equal
        } else {
            self.document.cmp(&other.document)
        };
        document
            .then_with(|| self.start.cmp(&other.start))
            .then_with(|| self.end.cmp(&other.end))
            .then_with(|| self.text.cmp(&other.text))
            .then_with(|| self.sentence.cmp(&other.sentence))
    }
}

impl PartialOrd for MentionRecord {
    fn partial_cmp(&self, other: &MentionRecord) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl MentionRecord {
    /// The bytes of the document the mention covers.
    pub fn span(&self) -> crate::Span {
        crate::Span {
            start: self.start as usize,
            end: self.end as usize,
        }
    }
}

/// Where a node comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeSource {
    /// A gazetteer entry.
    #[default]
    Gazetteer,
    /// A name found in the text that the gazetteer does not know.
    Discovered,
}

/// An entity in the graph.
///
/// The id, label, aliases and Wikidata item are shared strings: every
/// document's node of one entity holds the same ones (made once per entity
/// by the [`crate::extract::Extractor`]), so that no document copies them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The stable id (`person:wladimir-putin`).
    pub id: ArcStr,
    /// The preferred name.
    pub label: ArcStr,
    /// person, place or organization.
    #[serde(rename = "type", with = "kind_serde")]
    pub kind: EntityKind,
    /// Other names.
    #[serde(default = "no_aliases")]
    pub aliases: Arc<[ArcStr]>,
    /// The Wikidata item, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<ArcStr>,
    /// Where the node comes from.
    #[serde(default)]
    pub source: NodeSource,
    /// For a discovered node: how sure the discovery is (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// How many times the entity is mentioned, whatever provenance is kept.
    #[serde(default)]
    pub mention_count: u64,
    /// The mentions kept (see [`Provenance`]), sorted by document and offset.
    #[serde(default)]
    pub mentions: Vec<MentionRecord>,
}

/// No aliases (a node read without them).
pub(crate) fn no_aliases() -> Arc<[ArcStr]> {
    Arc::from([])
}

/// How much mention-level provenance the graph keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Provenance {
    /// Every mention.
    #[default]
    Full,
    /// The first mention of each entity in each document.
    Documents,
    /// No mentions, and no document lists on co-mention edges (counts
    /// only: `mention_count`, `weight`), so that the graph's size does not
    /// grow with the corpus beyond one record per document.
    None,
}

impl std::str::FromStr for Provenance {
    type Err = Error;

    fn from_str(text: &str) -> Result<Provenance> {
        match text {
            "full" => Ok(Provenance::Full),
            "documents" => Ok(Provenance::Documents),
            "none" => Ok(Provenance::None),
            _ => Err(Error::new(ErrorKind::Invalid(format!(
                "unknown provenance {text:?} (expected full, documents or none)"
            )))),
        }
    }
}

impl Provenance {
    /// Keeps the mentions this level asks for; `mentions` are one entity's,
    /// sorted.
    fn trim(&self, mentions: &mut Vec<MentionRecord>) {
        match self {
            Provenance::Full => {}
            Provenance::Documents => {
                mentions.dedup_by(|later, first| later.document == first.document)
            }
            Provenance::None => mentions.clear(),
        }
    }

    /// True when co-mention edges keep the list of their documents.
    fn keeps_edge_documents(self) -> bool {
        self != Provenance::None
    }
}

/// What an edge stands for: a co-mention or one interaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The smaller node id of the pair.
    pub source: String,
    /// The larger node id of the pair.
    pub target: String,
    /// `co_mention`, or the interaction's kind (`phone_call`, `meeting`, …).
    pub kind: String,
    /// Co-mention: the number of sentences naming both; interaction: 1.
    pub weight: u64,
    /// The documents the edge rests on, sorted.
    pub documents: Vec<ArcStr>,
    /// For an interaction edge: the interaction's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<String>,
    /// For an interaction edge: its date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateValue>,
    /// For an interaction edge: its place (a node id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// For an interaction edge: its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

/// The edge kind of co-mentions.
pub const CO_MENTION: &str = "co_mention";

/// What the pipeline found in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The document.
    pub document: DocumentRecord,
    /// The entities found, each with its mentions in this document only.
    pub nodes: Vec<Node>,
    /// The interactions reported in this document.
    pub interactions: Vec<Interaction>,
}

/// The graph of a corpus.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    documents: Vec<DocumentRecord>,
    /// Nodes in id order, so that a node's index is its rank by id.
    graph: UnGraph<Node, Edge>,
    interactions: Vec<Interaction>,
}

impl KnowledgeGraph {
    /// The documents, sorted by id.
    pub fn documents(&self) -> &[DocumentRecord] {
        &self.documents
    }

    /// The nodes, sorted by id.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.graph.node_weights()
    }

    /// The edges, sorted by source, target, kind and interaction.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.graph.edge_weights()
    }

    /// The interactions, sorted by document, offset and id.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.position(id).map(|index| &self.graph[index])
    }

    /// The index of the node with this id (the nodes are in id order).
    fn position(&self, id: &str) -> Option<NodeIndex> {
        self.graph
            .raw_nodes()
            .binary_search_by(|node| node.weight.id.as_str().cmp(id))
            .ok()
            .map(NodeIndex::new)
    }

    /// The underlying petgraph graph (node weights are [`Node`]s).
    pub fn petgraph(&self) -> &UnGraph<Node, Edge> {
        &self.graph
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The ids of the nodes linked to `id` by any edge, sorted.
    pub fn neighbors(&self, id: &str) -> Vec<&str> {
        let Some(index) = self.position(id) else {
            return Vec::new();
        };
        let neighbors: BTreeSet<&str> = self
            .graph
            .neighbors(index)
            .map(|n| self.graph[n].id.as_str())
            .collect();
        neighbors.into_iter().collect()
    }

    /// Builds a graph from its parts (as read back from JSON), sorting them
    /// and checking that every edge and interaction names known nodes.
    ///
    /// # Errors
    /// An edge or interaction that names a node that is not there.
    pub fn from_parts(
        documents: Vec<DocumentRecord>,
        mut nodes: Vec<Node>,
        mut edges: Vec<Edge>,
        interactions: Vec<Interaction>,
    ) -> Result<KnowledgeGraph> {
        use rayon::prelude::*;
        // Unstable sorts, with no buffer of half of each list: documents
        // compare in all their fields, and nodes, edges and interactions by
        // keys that are unique in a graph the builder makes (a node given
        // twice is refused below), so the order is the stable sorts' one;
        // for parts read from a file that repeat a key, the order is still
        // the same on every run.
        nodes.par_sort_unstable_by(|a, b| a.id.cmp(&b.id));
        edges.par_sort_unstable_by(edge_order);
        if let Some(pair) = nodes.windows(2).find(|pair| pair[0].id == pair[1].id) {
            return Err(Error::new(ErrorKind::Graph(format!(
                "node {:?} appears twice",
                pair[0].id
            ))));
        }
        // A node's index is its rank by id.
        let lookup = |id: &str| {
            nodes
                .binary_search_by(|node| node.id.as_str().cmp(id))
                .map(NodeIndex::new)
                .map_err(|_| {
                    Error::new(ErrorKind::Graph(format!("edge names unknown node {id:?}")))
                })
        };
        let ends: Vec<Result<(NodeIndex, NodeIndex)>> = edges
            .par_iter()
            .map(|edge| Ok((lookup(&edge.source)?, lookup(&edge.target)?)))
            .collect();
        // The first edge in order that names an unknown node is reported.
        let ends: Vec<(NodeIndex, NodeIndex)> = ends.into_iter().collect::<Result<_>>()?;
        for interaction in &interactions {
            for id in interaction.participants.iter().chain(&interaction.place) {
                lookup(id)?;
            }
        }
        Ok(KnowledgeGraph::assemble(
            documents,
            nodes,
            edges.into_iter().zip(ends),
            interactions,
        ))
    }

    /// The graph of `nodes` sorted by id (unique) and `edges` in
    /// [`edge_order`], each with its ends' indexes (ranks in `nodes`); the
    /// documents, each node's mentions and the interactions are sorted
    /// here.
    fn assemble(
        mut documents: Vec<DocumentRecord>,
        mut nodes: Vec<Node>,
        edges: impl ExactSizeIterator<Item = (Edge, (NodeIndex, NodeIndex))>,
        mut interactions: Vec<Interaction>,
    ) -> KnowledgeGraph {
        use rayon::prelude::*;
        documents.par_sort_unstable();
        // No two mentions of a node are equal in all fields but when they
        // are the same mention: the unstable sort gives the stable sort's
        // order, with no buffer of half the mentions.
        nodes
            .par_iter_mut()
            .for_each(|node| node.mentions.sort_unstable());
        interactions.par_sort_unstable_by(interaction_order);
        let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
        for node in nodes {
            graph.add_node(node);
        }
        for (edge, (a, b)) in edges {
            graph.add_edge(a, b, edge);
        }
        KnowledgeGraph {
            documents,
            graph,
            interactions,
        }
    }
}

/// True when `label` is kept over `other` for one node: a person found
/// by discovery may be written two ways ("Ivica Dačić", "Ivica Dacic"),
/// and the one with more letters beyond ASCII (the accents a plain
/// spelling drops) is kept, or else the smaller. Which of two labels is
/// kept does not depend on which came first, so that the graph does not
/// depend on the order its documents or partial graphs are added in.
fn preferred_label(label: &str, other: &str) -> bool {
    let beyond_ascii = |text: &str| text.chars().filter(|c| !c.is_ascii()).count();
    (std::cmp::Reverse(beyond_ascii(label)), label)
        < (std::cmp::Reverse(beyond_ascii(other)), other)
}

fn edge_order(a: &Edge, b: &Edge) -> std::cmp::Ordering {
    (&a.source, &a.target, &a.kind, &a.interaction).cmp(&(
        &b.source,
        &b.target,
        &b.kind,
        &b.interaction,
    ))
}

fn interaction_order(a: &Interaction, b: &Interaction) -> std::cmp::Ordering {
    (&a.document, a.start, &a.id).cmp(&(&b.document, b.start, &b.id))
}

/// A document record hashed and compared by its id alone, so that the
/// builder's set of documents holds each id once (on a large corpus the
/// document records are most of what the builder holds).
#[derive(Debug)]
struct ById(DocumentRecord);

impl PartialEq for ById {
    fn eq(&self, other: &ById) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for ById {}

impl std::hash::Hash for ById {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id.hash(state);
    }
}

impl std::borrow::Borrow<str> for ById {
    fn borrow(&self) -> &str {
        &self.0.id
    }
}

/// Accumulates per-document analyses into a [`KnowledgeGraph`].
#[derive(Debug, Default)]
pub struct GraphBuilder {
    provenance: Provenance,
    // Hash maps: `finish` sorts everything (through `from_parts`), so their
    // order never shows.
    documents: FxHashSet<ById>,
    /// The nodes, numbered in the order they were first added (`None`
    /// only between numbering a new node and merging it).
    nodes: Vec<Option<Node>>,
    /// Each node's number, by id.
    numbers: FxHashbrownMap<String, u32>,
    /// Co-mention counts and documents (each added once), by the numbers of
    /// the source and the target (the source's id is the smaller).
    co_mentions: FxHashMap<(u32, u32), CoMention>,
    interactions: Vec<Interaction>,
    /// One copy of each document source kept.
    strings: Interner,
    /// What [`GraphBuilder::add`] works in, kept from document to document.
    scratch: AddScratch,
}

/// The lists [`GraphBuilder::add`] fills for each document.
#[derive(Debug, Default)]
struct AddScratch {
    /// The document's nodes by id.
    order: Vec<usize>,
    /// Each node's place in `order`.
    rank: Vec<usize>,
    /// (sentence, node rank) of each mention.
    seen: Vec<(u32, usize)>,
    /// The co-mentioned pairs of node ranks, once per sentence.
    pairs: Vec<(usize, usize)>,
    /// The builder's number of each node.
    numbers: Vec<u32>,
}

/// A pair's co-mention count and the ids of its documents.
type CoMention = (u64, Vec<ArcStr>);

/// A map looked up by borrowed keys that copies a key only to insert it
/// (`entry_ref`).
type FxHashbrownMap<K, V> = hashbrown::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A set of shared strings: [`Interner::share`] gives back the copy it
/// holds of a string equal to the one given.
#[derive(Debug, Default)]
struct Interner(FxHashSet<ArcStr>);

impl Interner {
    fn share(&mut self, text: &mut ArcStr) {
        match self.0.get(&**text) {
            Some(held) => *text = ArcStr::clone(held),
            None => {
                self.0.insert(ArcStr::clone(text));
            }
        }
    }
}

impl GraphBuilder {
    /// An empty builder that keeps every mention.
    pub fn new() -> GraphBuilder {
        GraphBuilder::default()
    }

    /// An empty builder that keeps the mentions `provenance` asks for.
    pub fn with_provenance(provenance: Provenance) -> GraphBuilder {
        GraphBuilder {
            provenance,
            ..GraphBuilder::default()
        }
    }

    /// The number of documents added.
    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    /// True when a document with this id has been added.
    pub fn contains_document(&self, id: &str) -> bool {
        self.documents.contains(id)
    }

    /// Adds one document's analysis.
    ///
    /// # Errors
    /// A document id that was added before (the analysis is not added).
    pub fn add(&mut self, analysis: Analysis) -> Result<()> {
        let Analysis {
            mut document,
            nodes,
            interactions,
        } = analysis;
        if self.documents.contains(&*document.id) {
            return Err(Error::new(ErrorKind::Invalid(format!(
                "duplicate document id {:?}; skipped",
                document.id
            ))));
        }
        for interaction in &interactions {
            for id in interaction.participants.iter().chain(&interaction.place) {
                if !self.numbers.contains_key(id) && !nodes.iter().any(|node| &node.id == id) {
                    return Err(Error::new(ErrorKind::Invalid(format!(
                        "interaction {:?} names {id:?}, which is not a node",
                        interaction.id
                    ))));
                }
            }
        }
        // Co-mentions: distinct entities per sentence, counted per document
        // first, so each pair costs the document's id once. Nodes are
        // ranked by id once, and the pairs (smaller id first) counted by
        // sorting their ranks.
        let mut scratch = std::mem::take(&mut self.scratch);
        let AddScratch {
            order,
            rank,
            seen,
            pairs,
            numbers,
        } = &mut scratch;
        order.clear();
        order.extend(0..nodes.len());
        order.sort_unstable_by(|&a, &b| nodes[a].id.cmp(&nodes[b].id));
        rank.clear();
        rank.resize(nodes.len(), 0);
        for (position, &index) in order.iter().enumerate() {
            rank[index] = position;
        }
        seen.clear();
        seen.extend(
            nodes
                .iter()
                .zip(rank.iter())
                .flat_map(|(node, &rank)| node.mentions.iter().map(move |m| (m.sentence, rank))),
        );
        seen.sort_unstable();
        seen.dedup();
        pairs.clear();
        for sentence in seen.chunk_by(|a, b| a.0 == b.0) {
            for (i, &(_, a)) in sentence.iter().enumerate() {
                pairs.extend(sentence[i + 1..].iter().map(|&(_, b)| (a, b)));
            }
        }
        pairs.sort_unstable();
        // The nodes' numbers, by their index in the document: each id is
        // looked up once, and the pairs are counted by number.
        numbers.clear();
        numbers.extend(nodes.iter().map(|node| self.number(&node.id)));
        let keep_documents = self.provenance.keeps_edge_documents();
        for same in pairs.chunk_by(|a, b| a == b) {
            let (a, b) = same[0];
            let slot = self
                .co_mentions
                .entry((numbers[order[a]], numbers[order[b]]))
                .or_default();
            slot.0 += same.len() as u64;
            if keep_documents {
                slot.1.push(document.id.clone());
            }
        }
        for (mut node, &number) in nodes.into_iter().zip(scratch.numbers.iter()) {
            node.mention_count = node.mentions.len() as u64;
            node.mentions.sort_unstable();
            self.provenance.trim(&mut node.mentions);
            self.merge_node(number, node);
        }
        self.scratch = scratch;
        self.interactions.extend(interactions);
        self.strings.share(&mut document.source);
        self.documents.insert(ById(document));
        Ok(())
    }

    /// The number of the node `id`, given one when it is new (the node to
    /// come with [`GraphBuilder::merge_node`]). The id is copied only then.
    fn number(&mut self, id: &str) -> u32 {
        let next = u32::try_from(self.nodes.len()).expect("fewer than 2^32 nodes");
        let number = *self.numbers.entry_ref(id).or_insert(next);
        if number == next {
            self.nodes.push(None);
        }
        number
    }

    /// Adds `node` to the node of number `number`.
    fn merge_node(&mut self, number: u32, node: Node) {
        match &mut self.nodes[number as usize] {
            Some(existing) => {
                existing.mention_count += node.mention_count;
                existing.mentions.extend(node.mentions);
                // A gazetteer entity's nodes share one label: nothing to
                // choose between.
                if !ArcStr::ptr_eq(&node.label, &existing.label)
                    && preferred_label(&node.label, &existing.label)
                {
                    existing.label = node.label;
                }
            }
            empty @ None => *empty = Some(node),
        }
    }

    /// Adds a whole graph (a partial graph of other documents, for `merge`).
    /// Adding the graphs of disjoint document sets in any order and grouping
    /// gives the graph of all of them.
    ///
    /// # Errors
    /// A document that was already added (nothing of the graph is added).
    pub fn add_graph(&mut self, graph: KnowledgeGraph) -> Result<()> {
        let KnowledgeGraph {
            documents,
            graph,
            interactions,
        } = graph;
        let mut part = self.begin_graph(documents)?;
        let (nodes, edges) = graph.into_nodes_edges();
        // A graph's nodes are unique and its edges and interactions name
        // them: nothing below can fail.
        part.add_nodes(nodes.into_iter().map(|n| n.weight).collect())?;
        part.add_edges(edges.into_iter().map(|e| e.weight).collect())?;
        part.add_interactions(interactions)
    }

    /// Begins adding a graph list by list, as it is read from a file: its
    /// documents here, then its nodes ([`GraphPart::add_nodes`]), and then
    /// its edges and interactions, each list in as many pieces as wanted.
    /// [`GraphBuilder::add_graph`] is the same for a graph in memory.
    ///
    /// # Errors
    /// A document that was already added (nothing of the graph is added).
    pub fn begin_graph(&mut self, documents: Vec<DocumentRecord>) -> Result<GraphPart<'_>> {
        if let Some(document) = documents.iter().find(|d| self.documents.contains(&*d.id)) {
            return Err(Error::new(ErrorKind::Invalid(format!(
                "document {:?} is in two graphs",
                document.id
            ))));
        }
        // The documents go in first, so that the ids in mentions and edges
        // (separate strings when read from JSON) become the records' own.
        // Ids that already are the graph's own records' (as `read_json`
        // leaves them) are known by their address, without hashing the
        // string.
        let own: FxHashSet<usize> = documents.iter().map(|d| address(&d.id)).collect();
        for mut document in documents {
            self.strings.share(&mut document.source);
            self.documents.insert(ById(document));
        }
        Ok(GraphPart {
            builder: self,
            own,
            nodes: FxHashSet::default(),
        })
    }

    /// Replaces `id` by the id of the document record it names, when there
    /// is one.
    fn share_document_id(&self, id: &mut ArcStr) {
        if let Some(record) = self.documents.get(&**id) {
            *id = ArcStr::clone(&record.0.id);
        }
    }

    /// The finished graph: co-mention edges, one edge per interaction and
    /// pair of participants, everything sorted.
    pub fn finish(self) -> KnowledgeGraph {
        use rayon::prelude::*;
        // The sorting below is most of the work left once the documents
        // are in: done on every core, and on numbers where it can be. A
        // node's rank by id is its index in the graph; the edges are
        // ordered by their ends' ranks (which order them as their ids do)
        // and built on them, without looking an id up.
        let GraphBuilder {
            documents,
            nodes,
            numbers,
            co_mentions,
            interactions,
            ..
        } = self;
        let nodes: Vec<Node> = nodes
            .into_iter()
            .map(|node| node.expect("every node numbered is merged"))
            .collect();
        let mut order: Vec<u32> = (0..u32::try_from(nodes.len()).expect("numbered")).collect();
        order.par_sort_unstable_by(|&a, &b| nodes[a as usize].id.cmp(&nodes[b as usize].id));
        let mut rank = vec![0u32; nodes.len()];
        for (position, &number) in order.iter().enumerate() {
            rank[number as usize] = position as u32;
        }
        let co_mentions: Vec<_> = co_mentions.into_iter().collect();
        let mut edges: Vec<((u32, u32), Edge)> = co_mentions
            .into_par_iter()
            .map(|((source, target), (weight, mut documents))| {
                let ends = (rank[source as usize], rank[target as usize]);
                let edge = Edge {
                    source: nodes[source as usize].id.to_string(),
                    target: nodes[target as usize].id.to_string(),
                    kind: CO_MENTION.to_string(),
                    weight,
                    documents: {
                        documents.sort();
                        documents.dedup();
                        documents
                    },
                    interaction: None,
                    date: None,
                    place: None,
                    status: None,
                };
                (ends, edge)
            })
            .collect();
        let rank_of = |id: &str| rank[numbers[id] as usize];
        for interaction in &interactions {
            let participants = &interaction.participants;
            for (i, a) in participants.iter().enumerate() {
                for b in &participants[i + 1..] {
                    let (source, target) = if a <= b { (a, b) } else { (b, a) };
                    let edge = Edge {
                        source: source.clone(),
                        target: target.clone(),
                        kind: interaction.kind.as_str().to_string(),
                        weight: 1,
                        documents: vec![match documents.get(interaction.document.as_str()) {
                            Some(record) => ArcStr::clone(&record.0.id),
                            None => ArcStr::from(interaction.document.as_str()),
                        }],
                        interaction: Some(interaction.id.clone()),
                        date: interaction.date,
                        place: interaction.place.clone(),
                        status: Some(interaction.status),
                    };
                    edges.push(((rank_of(source), rank_of(target)), edge));
                }
            }
        }
        // The order of `edge_order`: by the ends (as their ids), then kind
        // and interaction.
        edges.par_sort_unstable_by(|(a, x), (b, y)| {
            a.cmp(b)
                .then_with(|| (&x.kind, &x.interaction).cmp(&(&y.kind, &y.interaction)))
        });
        debug_assert!(
            edges
                .windows(2)
                .all(|pair| edge_order(&pair[0].1, &pair[1].1).is_lt())
        );
        let mut nodes: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
        let nodes: Vec<Node> = order
            .iter()
            .map(|&number| nodes[number as usize].take().expect("each number once"))
            .collect();
        KnowledgeGraph::assemble(
            documents.into_iter().map(|d| d.0).collect(),
            nodes,
            edges.into_iter().map(|((source, target), edge)| {
                let ends = (
                    NodeIndex::new(source as usize),
                    NodeIndex::new(target as usize),
                );
                (edge, ends)
            }),
            interactions,
        )
    }
}

/// A graph being added to a [`GraphBuilder`] list by list
/// ([`GraphBuilder::begin_graph`]).
///
/// The nodes come before the edges and interactions that name them; an
/// error leaves what was added before it in the builder, which is then
/// best dropped.
#[derive(Debug)]
pub struct GraphPart<'b> {
    builder: &'b mut GraphBuilder,
    /// The addresses of the part's own document ids.
    own: FxHashSet<usize>,
    /// The builder's numbers of the part's nodes.
    nodes: FxHashSet<u32>,
}

impl GraphPart<'_> {
    /// Adds some of the graph's nodes.
    ///
    /// # Errors
    /// A node the graph has given before (the nodes before it are added).
    pub fn add_nodes(&mut self, nodes: Vec<Node>) -> Result<()> {
        let builder = &mut *self.builder;
        for mut node in nodes {
            let number = builder.number(&node.id);
            if !self.nodes.insert(number) {
                return Err(Error::new(ErrorKind::Graph(format!(
                    "node {:?} appears twice",
                    node.id
                ))));
            }
            builder.provenance.trim(&mut node.mentions);
            let (documents, own) = (&builder.documents, &self.own);
            share_documents(&mut node.mentions, |id| match is_own(own, id) {
                true => None,
                false => documents.get(&**id).map(|record| &record.0.id),
            });
            builder.merge_node(number, node);
        }
        Ok(())
    }

    /// The builder's number of node `id` of this graph.
    fn node(&self, id: &str) -> Result<u32> {
        match self.builder.numbers.get(id) {
            Some(number) if self.nodes.contains(number) => Ok(*number),
            _ => Err(Error::new(ErrorKind::Graph(format!(
                "edge names unknown node {id:?}"
            )))),
        }
    }

    /// Adds some of the graph's edges: the co-mentions (an interaction's
    /// edges are made again from the interaction).
    ///
    /// # Errors
    /// An edge that names a node the graph has not given (the edges before
    /// it are added).
    pub fn add_edges(&mut self, edges: Vec<Edge>) -> Result<()> {
        let keep_documents = self.builder.provenance.keeps_edge_documents();
        for edge in edges {
            let (source, target) = (self.node(&edge.source)?, self.node(&edge.target)?);
            if edge.kind != CO_MENTION {
                continue;
            }
            let mut ids = edge.documents;
            if keep_documents {
                ids.iter_mut()
                    .filter(|id| !is_own(&self.own, id))
                    .for_each(|id| self.builder.share_document_id(id));
            }
            let slot = self
                .builder
                .co_mentions
                .entry((source, target))
                .or_default();
            slot.0 += edge.weight;
            if keep_documents {
                slot.1.extend(ids);
            }
        }
        Ok(())
    }

    /// Adds some of the graph's interactions.
    ///
    /// # Errors
    /// An interaction that names a node the graph has not given (the
    /// interactions before it are added).
    pub fn add_interactions(&mut self, interactions: Vec<Interaction>) -> Result<()> {
        for interaction in &interactions {
            for id in interaction.participants.iter().chain(&interaction.place) {
                self.node(id)?;
            }
        }
        self.builder.interactions.extend(interactions);
        Ok(())
    }
}

/// Where a shared string's bytes are: two strings at one address are one.
fn address(id: &ArcStr) -> usize {
    id.as_ptr() as usize
}

/// True when `id` is one of the documents' own ids, by its address (`own`,
/// the addresses of a graph's document ids, whose records are held).
fn is_own(own: &FxHashSet<usize>, id: &ArcStr) -> bool {
    own.contains(&address(id))
}

mod kind_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::gazetteer::EntityKind;

    pub fn serialize<S: Serializer>(kind: &EntityKind, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(kind.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<EntityKind, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Extractor, Gazetteer};

    fn analyses() -> Vec<Analysis> {
        let extractor = Extractor::new(Gazetteer::builtin());
        [
            ("a", "Putin traf Erdoğan in Sotschi. Putin reiste ab."),
            ("b", "Putin telefonierte mit Erdoğan."),
        ]
        .into_iter()
        .map(|(id, text)| {
            let document = Document::from_text(id, "corpus.jsonl", text.to_string());
            extractor.analyze(&document)
        })
        .collect()
    }

    /// The graph of [`analyses`].
    fn built() -> KnowledgeGraph {
        let mut builder = GraphBuilder::new();
        for analysis in analyses() {
            builder.add(analysis).unwrap();
        }
        builder.finish()
    }

    /// A graph's parts, as `from_parts` takes them.
    type Parts = (Vec<DocumentRecord>, Vec<Node>, Vec<Edge>, Vec<Interaction>);

    fn parts(graph: &KnowledgeGraph) -> Parts {
        (
            graph.documents().to_vec(),
            graph.nodes().cloned().collect(),
            graph.edges().cloned().collect(),
            graph.interactions().to_vec(),
        )
    }

    fn rebuilt(parts: Parts) -> std::result::Result<KnowledgeGraph, String> {
        let (documents, nodes, edges, interactions) = parts;
        KnowledgeGraph::from_parts(documents, nodes, edges, interactions)
            .map_err(|err| err.to_string())
    }

    /// Nodes are found by id (by rank: they are kept in id order), in any
    /// order they are given; a node given twice, or an edge or interaction
    /// naming no node, is reported, the first such edge in edge order.
    #[test]
    fn parts_are_checked_and_nodes_found_by_id() {
        let graph = built();
        let ids: Vec<&str> = graph.nodes().map(|n| n.id.as_str()).collect();
        assert!(ids.len() >= 3 && ids.is_sorted(), "{ids:?}");
        let (documents, mut nodes, mut edges, interactions) = parts(&graph);
        nodes.reverse();
        edges.reverse();
        let again = rebuilt((documents.clone(), nodes, edges, interactions.clone())).unwrap();
        for id in &ids {
            assert_eq!(again.node(id).map(|n| n.id.as_str()), Some(*id));
            assert_eq!(again.neighbors(id), graph.neighbors(id));
        }
        assert!(!graph.neighbors("person:wladimir-putin").is_empty());
        for missing in ["", "a", "person:wladimir-putin-", "zzz"] {
            assert!(again.node(missing).is_none() && again.neighbors(missing).is_empty());
        }

        let mut twice = parts(&graph);
        twice.1.push(twice.1[1].clone());
        assert_eq!(
            rebuilt(twice).err(),
            Some(format!("node {:?} appears twice", ids[1]))
        );
        let mut unknown = parts(&graph);
        let last = unknown.2.len() - 1;
        unknown.2[last].target = "place:nirgendwo".to_string();
        unknown.2[0].target = "place:irgendwo".to_string();
        assert_eq!(
            rebuilt(unknown).err(),
            Some("edge names unknown node \"place:irgendwo\"".to_string())
        );
        let mut absent = parts(&graph);
        absent.3[0].participants[0] = "person:niemand".to_string();
        assert_eq!(
            rebuilt(absent).err(),
            Some("edge names unknown node \"person:niemand\"".to_string())
        );
    }

    /// Mentions order by document, start, end, text and sentence, as the
    /// fields' tuple does, whether two of one document share their id's
    /// string or hold copies of it.
    #[quickcheck_macros::quickcheck]
    fn mentions_order_as_their_fields(picks: Vec<(u8, u8, u8, u8, bool)>) -> bool {
        let ids = [
            ArcStr::from("doc-a"),
            ArcStr::from("doc-b"),
            ArcStr::from("doc"),
        ];
        let texts = ["Putin", "Erdoğan", "Putins"];
        let mentions: Vec<MentionRecord> = picks
            .iter()
            .map(|&(id, start, end, text, copy)| {
                let document = &ids[usize::from(id) % ids.len()];
                MentionRecord {
                    // A copy of the id is another string of the same bytes.
                    document: if copy {
                        ArcStr::from(document.as_str())
                    } else {
                        document.clone()
                    },
                    start: u32::from(start % 4),
                    end: u32::from(end % 4),
                    text: MentionText::new(texts[usize::from(text) % texts.len()]),
                    sentence: u32::from(start % 3),
                }
            })
            .collect();
        let fields = |m: &MentionRecord| {
            (
                m.document.to_string(),
                m.start,
                m.end,
                m.text.as_str().to_string(),
                m.sentence,
            )
        };
        mentions.iter().all(|a| {
            mentions
                .iter()
                .all(|b| a.cmp(b) == fields(a).cmp(&fields(b)) && (a == b) == (a.cmp(b).is_eq()))
        })
    }

    fn mentions(graph: &KnowledgeGraph) -> Vec<&MentionRecord> {
        graph.nodes().flat_map(|node| &node.mentions).collect()
    }

    /// Each mention and co-mention edge holds its document record's own id,
    /// and equal sources are one string (equal texts are one
    /// [`MentionText`] by construction): a graph with every mention costs
    /// no copy of a string per mention.
    fn assert_shared(graph: &KnowledgeGraph) {
        let record = |id: &str| {
            let record = graph.documents().iter().find(|d| &*d.id == id);
            &record.expect("the document is listed").id
        };
        let mentions = mentions(graph);
        assert!(mentions.len() >= 6);
        for mention in &mentions {
            assert!(ArcStr::ptr_eq(&mention.document, record(&mention.document)));
        }
        for edge in graph.edges() {
            for id in &edge.documents {
                assert!(ArcStr::ptr_eq(id, record(id)));
            }
        }
        let [a, b] = graph.documents() else {
            panic!("two documents")
        };
        assert!(ArcStr::ptr_eq(&a.source, &b.source));
    }

    /// A mention record is three words: the graph's size with mention-level
    /// provenance is mostly these (24 bytes each on 64-bit targets, against
    /// 40 with the text as a shared string and the numbers as `usize`).
    #[test]
    fn mention_records_are_three_words() {
        assert_eq!(
            std::mem::size_of::<MentionRecord>(),
            3 * std::mem::size_of::<usize>()
        );
        assert_eq!(std::mem::size_of::<ArcStr>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn the_builder_keeps_one_copy_of_each_id() {
        let graph = built();
        assert!(graph.edges().any(|edge| edge.documents.len() == 2));
        assert_shared(&graph);
    }

    #[test]
    fn merged_graphs_share_ids_as_one_run_does() {
        use crate::export::{Format, read_json, write};
        let mut merged = GraphBuilder::new();
        for analysis in analyses() {
            let mut part = GraphBuilder::new();
            part.add(analysis).unwrap();
            // Read back from JSON, every string is a copy of its own.
            let mut json = Vec::new();
            write(&part.finish(), Format::Json, &mut json).unwrap();
            let json = String::from_utf8(json).unwrap();
            let part = read_json(std::path::Path::new("part.json"), &json).unwrap();
            merged.add_graph(part).unwrap();
        }
        assert_shared(&merged.finish());
    }

    /// A person discovered under two spellings gets the same label whatever
    /// the order of the documents, added one by one or as partial graphs.
    #[test]
    fn a_node_written_two_ways_is_labelled_alike_in_any_order() {
        let extractor = Extractor::new(Gazetteer::builtin());
        let analysis = |id: &str, name: &str| {
            let text = format!("Der serbische Außenminister {name} sagte, es gebe Fortschritte.");
            extractor.analyze(&Document::from_text(id, "corpus.jsonl", text))
        };
        let label = |graph: &KnowledgeGraph| {
            graph
                .nodes()
                .find(|node| node.id == "person:ivica-dacic")
                .map(|node| node.label.to_string())
        };
        for names in [
            ["Ivica Dacic", "Ivica Dačić"],
            ["Ivica Dačić", "Ivica Dacic"],
        ] {
            let mut builder = GraphBuilder::new();
            let mut merged = GraphBuilder::new();
            for (index, name) in names.iter().enumerate() {
                builder.add(analysis(&format!("d{index}"), name)).unwrap();
                let mut part = GraphBuilder::new();
                part.add(analysis(&format!("d{index}"), name)).unwrap();
                merged.add_graph(part.finish()).unwrap();
            }
            let expected = Some("Ivica Dačić".to_string());
            assert_eq!(label(&builder.finish()), expected, "{names:?}");
            assert_eq!(label(&merged.finish()), expected, "{names:?} merged");
        }
        assert!(preferred_label("Zoë", "Zoe") && !preferred_label("Zoe", "Zoë"));
        assert!(preferred_label("Anna Ab", "Anna Ba") && !preferred_label("Anna Ab", "Anna Ab"));
    }
}

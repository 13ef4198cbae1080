//! JSON Graph Format v2: `{"graph": {...}}`, undirected, nodes an object
//! keyed by id, edges an array whose `relation` is the edge kind. The schema
//! allows no extra keys, so everything newsgraph adds (entity type, aliases,
//! dates, evidence, the documents and the interactions) is under `metadata`.
//! Pretty-printed, keys in a fixed order, final newline.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{edge_id, interaction_of, interactions_by_id, mention_count, source_name};
use crate::date::DateValue;
use crate::graph::{ArcStr, DocumentRecord, KnowledgeGraph};
use crate::interaction::{Interaction, Status};

#[derive(Serialize, Deserialize)]
pub(super) struct JgfFile<G> {
    pub graph: G,
}

#[derive(Serialize)]
struct Graph<'g> {
    id: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'static str,
    directed: bool,
    metadata: GraphMetadata<'g>,
    nodes: BTreeMap<&'g str, JgfNode<'g>>,
    edges: Vec<JgfEdge<'g>>,
}

#[derive(Serialize)]
struct GraphMetadata<'g> {
    documents: &'g [DocumentRecord],
    interactions: &'g [Interaction],
}

#[derive(Serialize)]
struct JgfNode<'g> {
    label: &'g str,
    metadata: NodeMetadata<'g>,
}

#[derive(Serialize)]
struct NodeMetadata<'g> {
    #[serde(rename = "type")]
    kind: &'static str,
    mentions: u64,
    aliases: &'g [ArcStr],
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'g str>,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
}

#[derive(Serialize)]
struct JgfEdge<'g> {
    id: String,
    source: &'g str,
    target: &'g str,
    relation: &'g str,
    label: &'g str,
    metadata: EdgeMetadata<'g>,
}

#[derive(Serialize)]
struct EdgeMetadata<'g> {
    weight: u64,
    documents: &'g [crate::graph::ArcStr],
    #[serde(skip_serializing_if = "Option::is_none")]
    interaction: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'g str>,
}

pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    let nodes = graph
        .nodes()
        .map(|node| {
            let metadata = NodeMetadata {
                kind: node.kind.as_str(),
                mentions: mention_count(node),
                aliases: &node.aliases,
                wikidata: node.wikidata.as_deref(),
                source: source_name(node),
                confidence: node.confidence,
            };
            (
                node.id.as_str(),
                JgfNode {
                    label: &node.label,
                    metadata,
                },
            )
        })
        .collect();
    let interactions = interactions_by_id(graph);
    let edges = graph
        .edges()
        .enumerate()
        .map(|(index, edge)| {
            let interaction = interaction_of(edge, &interactions);
            JgfEdge {
                id: edge_id(index),
                source: &edge.source,
                target: &edge.target,
                relation: &edge.kind,
                label: &edge.kind,
                metadata: EdgeMetadata {
                    weight: edge.weight,
                    documents: &edge.documents,
                    interaction: edge.interaction.as_deref(),
                    date: edge.date,
                    place: edge.place.as_deref(),
                    status: edge.status,
                    confidence: interaction.map(|interaction| interaction.confidence),
                    evidence: interaction.map(|interaction| interaction.evidence.as_str()),
                },
            }
        })
        .collect();
    let file = JgfFile {
        graph: Graph {
            id: "newsgraph",
            kind: "newsgraph",
            label: "Entities named in news articles, linked by co-mention and by reported interactions",
            directed: false,
            metadata: GraphMetadata {
                documents: graph.documents(),
                interactions: graph.interactions(),
            },
            nodes,
            edges,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &file)?;
    out.write_all(b"\n")
}

/// The parts of a JGF file [`super::diff`](fn@super::diff) compares.
#[derive(Deserialize)]
pub(super) struct ReadGraph {
    #[serde(default)]
    pub nodes: BTreeMap<String, serde::de::IgnoredAny>,
    #[serde(default)]
    pub edges: Vec<ReadEdge>,
    #[serde(default)]
    pub metadata: ReadMetadata,
}

#[derive(Deserialize)]
pub(super) struct ReadEdge {
    pub source: String,
    pub target: String,
    #[serde(default)]
    pub relation: String,
    #[serde(default)]
    pub metadata: ReadEdgeMetadata,
}

#[derive(Default, Deserialize)]
pub(super) struct ReadEdgeMetadata {
    pub interaction: Option<String>,
}

#[derive(Default, Deserialize)]
pub(super) struct ReadMetadata {
    #[serde(default)]
    pub interactions: Vec<ReadInteraction>,
}

#[derive(Deserialize)]
pub(super) struct ReadInteraction {
    pub id: String,
}

//! GraphML 1.1: typed `<key>`s, `edgedefault="undirected"`, node ids are the
//! graph's ids, edges `e0`, `e1`, … in the graph's order. Valid against the
//! GraphML 1.1 XSD; networkx reads it (as a `MultiGraph` when two edges
//! join the same pair).
//!
//! GraphML has no XML attribute for an edge's label (the XSD rejects one),
//! so the edge kind is given twice as data: `kind`, and `label`, the key
//! name Gephi's GraphML importer maps to the edge label.

use std::io::{self, Write};

use quick_xml::events::{BytesEnd, Event};

use super::xml::{self, XmlWriter};
use super::{
    edge_id, interaction_of, interactions_by_id, join_list, mention_count, source_name, weight_text,
};
use crate::graph::{Edge, KnowledgeGraph, Node};
use crate::interaction::Interaction;

const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";
const SCHEMA_LOCATION: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd";

/// One `<key>`: its id (unique in the file), what it is for, its name and type.
struct Key {
    id: &'static str,
    domain: &'static str,
    name: &'static str,
    kind: &'static str,
}

const fn key(
    id: &'static str,
    domain: &'static str,
    name: &'static str,
    kind: &'static str,
) -> Key {
    Key {
        id,
        domain,
        name,
        kind,
    }
}

/// The keys, in output order. Ids are unique across nodes and edges (the
/// XSD demands it), names are what tools show.
const KEYS: [Key; 17] = [
    key("label", "node", "label", "string"),
    key("type", "node", "type", "string"),
    key("mentions", "node", "mentions", "int"),
    key("aliases", "node", "aliases", "string"),
    key("wikidata", "node", "wikidata", "string"),
    key("source", "node", "source", "string"),
    key("node_confidence", "node", "confidence", "double"),
    key("edge_label", "edge", "label", "string"),
    key("kind", "edge", "kind", "string"),
    key("weight", "edge", "weight", "double"),
    key("date", "edge", "date", "string"),
    key("place", "edge", "place", "string"),
    key("status", "edge", "status", "string"),
    key("interaction", "edge", "interaction", "string"),
    key("confidence", "edge", "confidence", "double"),
    key("evidence", "edge", "evidence", "string"),
    key("documents", "edge", "documents", "string"),
];

pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = xml::writer(out)?;
    writer.write_event(Event::Start(xml::start(
        "graphml",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
        ],
    )))?;
    for key in &KEYS {
        xml::empty_element(
            &mut writer,
            "key",
            &[
                ("id", key.id),
                ("for", key.domain),
                ("attr.name", key.name),
                ("attr.type", key.kind),
            ],
        )?;
    }
    writer.write_event(Event::Start(xml::start(
        "graph",
        &[("id", "newsgraph"), ("edgedefault", "undirected")],
    )))?;
    for node in graph.nodes() {
        write_node(&mut writer, node)?;
    }
    let interactions = interactions_by_id(graph);
    for (index, edge) in graph.edges().enumerate() {
        write_edge(
            &mut writer,
            index,
            edge,
            interaction_of(edge, &interactions),
        )?;
    }
    writer.write_event(Event::End(BytesEnd::new("graph")))?;
    writer.write_event(Event::End(BytesEnd::new("graphml")))?;
    xml::finish(writer)
}

fn write_node(writer: &mut XmlWriter<'_>, node: &Node) -> io::Result<()> {
    writer.write_event(Event::Start(xml::start("node", &[("id", &node.id)])))?;
    data(writer, "label", &node.label)?;
    data(writer, "type", node.kind.as_str())?;
    data(writer, "mentions", &mention_count(node).to_string())?;
    if !node.aliases.is_empty() {
        data(writer, "aliases", &join_list(&node.aliases))?;
    }
    if let Some(wikidata) = &node.wikidata {
        data(writer, "wikidata", wikidata)?;
    }
    data(writer, "source", source_name(node))?;
    if let Some(confidence) = node.confidence {
        data(writer, "node_confidence", &confidence.to_string())?;
    }
    writer.write_event(Event::End(BytesEnd::new("node")))
}

fn write_edge(
    writer: &mut XmlWriter<'_>,
    index: usize,
    edge: &Edge,
    interaction: Option<&Interaction>,
) -> io::Result<()> {
    let id = edge_id(index);
    writer.write_event(Event::Start(xml::start(
        "edge",
        &[
            ("id", &id),
            ("source", &edge.source),
            ("target", &edge.target),
        ],
    )))?;
    data(writer, "edge_label", &edge.kind)?;
    data(writer, "kind", &edge.kind)?;
    data(writer, "weight", &weight_text(edge.weight))?;
    if let Some(date) = &edge.date {
        data(writer, "date", &date.to_string())?;
    }
    if let Some(place) = &edge.place {
        data(writer, "place", place)?;
    }
    if let Some(status) = &edge.status {
        data(writer, "status", status.as_str())?;
    }
    if let Some(id) = &edge.interaction {
        data(writer, "interaction", id)?;
    }
    if let Some(interaction) = interaction {
        data(writer, "confidence", &interaction.confidence.to_string())?;
        data(writer, "evidence", &interaction.evidence)?;
    }
    data(writer, "documents", &join_list(&edge.documents))?;
    writer.write_event(Event::End(BytesEnd::new("edge")))
}

fn data(writer: &mut XmlWriter<'_>, key: &str, value: &str) -> io::Result<()> {
    xml::text_element(writer, "data", &[("key", key)], value)
}

//! GEXF 1.3 for Gephi, dynamic (`mode="dynamic"`, `timeformat="date"`), so
//! the timeline plays the graph:
//!
//! - an interaction edge lives over its date: a day, or the whole month or
//!   year when the text gives no more (`2020-10` is 2020-10-01 to
//!   2020-10-31); a date with an unknown year (`XXXX-12-29`) or no date
//!   gives no time, and the edge is there whenever its ends are;
//! - a co-mention edge lives over the dates of the documents it rests on;
//! - a node lives from the first to the last date of the documents that
//!   mention it and of the interactions it takes part in or hosts.
//!
//! Only known dates count; an element with none has no time. Edges carry
//! GEXF 1.3's `kind` (so Gephi keeps a co-mention and a meeting of the same
//! pair apart) and `label`, both the edge kind; colours come from
//! [`super::palette`]. Valid against the GEXF 1.3 RELAX NG schema (the XSD
//! wrongly puts `viz` elements in the main namespace).

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::events::{BytesEnd, Event};

use super::palette::{self, Rgb};
use super::xml::{self, XmlWriter};
use super::{
    WriteOptions, edge_id, interaction_of, interactions_by_id, join_list, mention_count,
    source_name, weight_text,
};
use crate::date::DateValue;
use crate::graph::{Edge, KnowledgeGraph, Node};
use crate::interaction::Interaction;

const NAMESPACE: &str = "http://gexf.net/1.3";
const VIZ_NAMESPACE: &str = "http://gexf.net/1.3/viz";

/// First and last day, both included.
type Span = (NaiveDate, NaiveDate);

/// Node attributes: id (= title) and GEXF type.
const NODE_ATTRIBUTES: [(&str, &str); 6] = [
    ("type", "string"),
    ("mentions", "integer"),
    ("aliases", "string"),
    ("wikidata", "string"),
    ("source", "string"),
    ("confidence", "double"),
];

/// Edge attributes: id (= title) and GEXF type.
const EDGE_ATTRIBUTES: [(&str, &str); 7] = [
    ("date", "string"),
    ("place", "string"),
    ("status", "string"),
    ("interaction", "string"),
    ("confidence", "double"),
    ("evidence", "string"),
    ("documents", "string"),
];

pub(super) fn write(
    graph: &KnowledgeGraph,
    out: &mut dyn Write,
    options: &WriteOptions,
) -> io::Result<()> {
    let mut writer = xml::writer(out)?;
    writer.write_event(Event::Start(xml::start(
        "gexf",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:viz", VIZ_NAMESPACE),
            ("version", "1.3"),
        ],
    )))?;
    let stamp = options.stamp.map(|date| date.to_string());
    let meta: Vec<(&str, &str)> = stamp
        .iter()
        .map(|stamp| ("lastmodifieddate", stamp.as_str()))
        .collect();
    writer.write_event(Event::Start(xml::start("meta", &meta)))?;
    xml::text_element(&mut writer, "creator", &[], "newsgraph")?;
    xml::text_element(
        &mut writer,
        "description",
        &[],
        "Entities named in news articles, linked by co-mention and by reported interactions",
    )?;
    writer.write_event(Event::End(BytesEnd::new("meta")))?;
    writer.write_event(Event::Start(xml::start(
        "graph",
        &[
            ("mode", "dynamic"),
            ("defaultedgetype", "undirected"),
            ("timeformat", "date"),
        ],
    )))?;
    declare(&mut writer, "node", &NODE_ATTRIBUTES)?;
    declare(&mut writer, "edge", &EDGE_ATTRIBUTES)?;

    let spans = Spans::new(graph);
    let count = graph.node_count().to_string();
    writer.write_event(Event::Start(xml::start("nodes", &[("count", &count)])))?;
    for node in graph.nodes() {
        write_node(&mut writer, node, spans.node(&node.id))?;
    }
    writer.write_event(Event::End(BytesEnd::new("nodes")))?;

    let interactions = interactions_by_id(graph);
    let count = graph.edge_count().to_string();
    writer.write_event(Event::Start(xml::start("edges", &[("count", &count)])))?;
    for (index, edge) in graph.edges().enumerate() {
        let interaction = interaction_of(edge, &interactions);
        write_edge(&mut writer, index, edge, interaction, spans.edge(edge))?;
    }
    writer.write_event(Event::End(BytesEnd::new("edges")))?;
    writer.write_event(Event::End(BytesEnd::new("graph")))?;
    writer.write_event(Event::End(BytesEnd::new("gexf")))?;
    xml::finish(writer)
}

fn declare(writer: &mut XmlWriter<'_>, class: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
    writer.write_event(Event::Start(xml::start("attributes", &[("class", class)])))?;
    for (id, kind) in attributes {
        xml::empty_element(
            writer,
            "attribute",
            &[("id", id), ("title", id), ("type", kind)],
        )?;
    }
    writer.write_event(Event::End(BytesEnd::new("attributes")))
}

fn write_node(writer: &mut XmlWriter<'_>, node: &Node, span: Option<Span>) -> io::Result<()> {
    let times = span_attributes(span);
    let mut attributes = vec![("id", node.id.as_str()), ("label", node.label.as_str())];
    attributes.extend(times.iter().map(|(key, value)| (*key, value.as_str())));
    writer.write_event(Event::Start(xml::start("node", &attributes)))?;

    let mentions = mention_count(node).to_string();
    let aliases = join_list(&node.aliases);
    let mut values = vec![
        ("type", node.kind.as_str()),
        ("mentions", mentions.as_str()),
    ];
    if !node.aliases.is_empty() {
        values.push(("aliases", &aliases));
    }
    if let Some(wikidata) = &node.wikidata {
        values.push(("wikidata", wikidata));
    }
    values.push(("source", source_name(node)));
    let confidence = node.confidence.map(|confidence| confidence.to_string());
    if let Some(confidence) = &confidence {
        values.push(("confidence", confidence));
    }
    attvalues(writer, &values)?;
    colour(writer, palette::node_colour(node.kind))?;
    writer.write_event(Event::End(BytesEnd::new("node")))
}

fn write_edge(
    writer: &mut XmlWriter<'_>,
    index: usize,
    edge: &Edge,
    interaction: Option<&Interaction>,
    span: Option<Span>,
) -> io::Result<()> {
    let id = edge_id(index);
    let weight = weight_text(edge.weight);
    let times = span_attributes(span);
    let mut attributes = vec![
        ("id", id.as_str()),
        ("source", edge.source.as_str()),
        ("target", edge.target.as_str()),
        ("kind", edge.kind.as_str()),
        ("label", edge.kind.as_str()),
        ("weight", weight.as_str()),
    ];
    attributes.extend(times.iter().map(|(key, value)| (*key, value.as_str())));
    writer.write_event(Event::Start(xml::start("edge", &attributes)))?;

    let date = edge.date.map(|date| date.to_string());
    let confidence = interaction.map(|interaction| interaction.confidence.to_string());
    let documents = join_list(&edge.documents);
    let mut values: Vec<(&str, &str)> = Vec::new();
    if let Some(date) = &date {
        values.push(("date", date));
    }
    if let Some(place) = &edge.place {
        values.push(("place", place));
    }
    if let Some(status) = &edge.status {
        values.push(("status", status.as_str()));
    }
    if let Some(id) = &edge.interaction {
        values.push(("interaction", id));
    }
    if let (Some(confidence), Some(interaction)) = (&confidence, interaction) {
        values.push(("confidence", confidence));
        values.push(("evidence", &interaction.evidence));
    }
    values.push(("documents", &documents));
    attvalues(writer, &values)?;
    colour(writer, palette::edge_colour(&edge.kind))?;
    let style = palette::edge_style(edge.status);
    if style != "solid" {
        xml::empty_element(writer, "viz:shape", &[("value", style)])?;
    }
    writer.write_event(Event::End(BytesEnd::new("edge")))
}

fn attvalues(writer: &mut XmlWriter<'_>, values: &[(&str, &str)]) -> io::Result<()> {
    writer.write_event(Event::Start(xml::start("attvalues", &[])))?;
    for (id, value) in values {
        xml::empty_element(writer, "attvalue", &[("for", id), ("value", value)])?;
    }
    writer.write_event(Event::End(BytesEnd::new("attvalues")))
}

fn colour(writer: &mut XmlWriter<'_>, Rgb(r, g, b): Rgb) -> io::Result<()> {
    let (r, g, b) = (r.to_string(), g.to_string(), b.to_string());
    xml::empty_element(writer, "viz:color", &[("r", &r), ("g", &g), ("b", &b)])
}

fn span_attributes(span: Option<Span>) -> Vec<(&'static str, String)> {
    match span {
        Some((start, end)) => vec![("start", start.to_string()), ("end", end.to_string())],
        None => Vec::new(),
    }
}

/// The time spans of documents and nodes, from the dates that are known.
struct Spans<'g> {
    documents: BTreeMap<&'g str, Span>,
    nodes: BTreeMap<&'g str, Span>,
}

impl<'g> Spans<'g> {
    fn new(graph: &'g KnowledgeGraph) -> Spans<'g> {
        let documents: BTreeMap<&str, Span> = graph
            .documents()
            .iter()
            .filter_map(|document| Some((&*document.id, bounds(document.date)?)))
            .collect();
        let mut nodes: BTreeMap<&str, Span> = BTreeMap::new();
        for node in graph.nodes() {
            for mention in &node.mentions {
                if let Some(&span) = documents.get(&*mention.document) {
                    widen(nodes.entry(&node.id).or_insert(span), span);
                }
            }
        }
        for interaction in graph.interactions() {
            let Some(span) = bounds(interaction.date) else {
                continue;
            };
            for id in interaction.participants.iter().chain(&interaction.place) {
                widen(nodes.entry(id).or_insert(span), span);
            }
        }
        Spans { documents, nodes }
    }

    fn node(&self, id: &str) -> Option<Span> {
        self.nodes.get(id).copied()
    }

    /// An interaction edge: its date. A co-mention: its documents' dates.
    fn edge(&self, edge: &Edge) -> Option<Span> {
        if edge.interaction.is_some() {
            return bounds(edge.date);
        }
        let mut spans = edge
            .documents
            .iter()
            .filter_map(|id| self.documents.get(&**id));
        let mut span = *spans.next()?;
        for &other in spans {
            widen(&mut span, other);
        }
        Some(span)
    }
}

fn bounds(date: Option<DateValue>) -> Option<Span> {
    date?.bounds()
}

fn widen(span: &mut Span, other: Span) {
    span.0 = span.0.min(other.0);
    span.1 = span.1.max(other.1);
}

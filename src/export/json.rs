//! The JSON contract: `{documents, nodes, edges, interactions}`, described by
//! `graph-schema.json`, pretty-printed with keys in a fixed order and a final
//! newline.

use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Location, Result};
use crate::graph::{DocumentRecord, Edge, KnowledgeGraph, Node};
use crate::interaction::Interaction;

/// The JSON document as written and read.
#[derive(Debug, Serialize, Deserialize)]
pub struct GraphFile {
    /// The documents.
    pub documents: Vec<DocumentRecord>,
    /// The entities.
    pub nodes: Vec<Node>,
    /// Co-mention and interaction edges.
    pub edges: Vec<Edge>,
    /// Reported contacts.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
}

/// Borrowed view for writing without copying the graph.
#[derive(Serialize)]
struct GraphView<'g> {
    documents: &'g [DocumentRecord],
    nodes: Vec<&'g Node>,
    edges: Vec<&'g Edge>,
    interactions: &'g [Interaction],
}

pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    let view = GraphView {
        documents: graph.documents(),
        nodes: graph.nodes().collect(),
        edges: graph.edges().collect(),
        interactions: graph.interactions(),
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    out.write_all(b"\n")
}

/// Reads a graph written by `extract --format json`.
///
/// # Errors
/// The file cannot be read, is not JSON of the expected shape, or names
/// nodes it does not hold.
pub fn read_json(path: &Path, text: &str) -> Result<KnowledgeGraph> {
    let file: GraphFile = serde_json::from_str(text).map_err(|err| {
        Error::new(ErrorKind::Graph(format!("not a newsgraph graph: {err}")))
            .at(Location::line(path, err.line()))
    })?;
    KnowledgeGraph::from_parts(file.documents, file.nodes, file.edges, file.interactions)
        .map_err(|err| err.at(Location::file(path)))
}

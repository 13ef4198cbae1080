//! Writing the graph: the JSON contract (see `graph-schema.json`) and the
//! formats other tools read: GraphML, GEXF (Gephi, with a timeline), JSON
//! Graph Format, Graphviz DOT, and CSV for Gephi's spreadsheet import and
//! `neo4j-admin database import`.
//!
//! Every writer is deterministic: the same graph gives the same bytes (nodes
//! sorted by id, edges in the graph's order with ids `e0`, `e1`, …, a final
//! newline) and nothing depends on the clock; a date stamp is written only
//! when [`WriteOptions::stamp`] asks for one. XML goes through quick-xml's
//! writer and escaping. [`check`] and [`diff`](fn@diff) tell whether a graph file is
//! up to date and, when it is not, what changed.

mod csv;
mod diff;
mod dot;
mod gexf;
mod graphml;
mod jgf;
mod json;
mod json_read;
mod palette;
mod xml;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::graph::{Edge, KnowledgeGraph, Node, NodeSource};
use crate::interaction::Interaction;

pub use csv::{write_csv, write_csv_dir};
pub use diff::{ChangeSummary, EdgeKey, diff};
pub use json::{GraphFile, merge_json_file, read_json, read_json_file};

/// The file names [`write_csv_dir`] writes.
pub const CSV_FILES: [&str; 2] = ["nodes.csv", "edges.csv"];

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// newsgraph's own JSON, described by `graph-schema.json`.
    Json,
    /// GraphML 1.1 with typed keys (yEd, Cytoscape, networkx, Gephi).
    Graphml,
    /// GEXF 1.3, dynamic: Gephi plays interactions on its timeline.
    Gexf,
    /// JSON Graph Format v2 (`{"graph": {...}}`).
    Jgf,
    /// Graphviz DOT, styled by entity type and edge kind.
    Dot,
    /// `nodes.csv` and `edges.csv` in a folder (Gephi, Neo4j).
    Csv,
}

impl Format {
    /// All formats, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Graphml,
        Format::Gexf,
        Format::Jgf,
        Format::Dot,
        Format::Csv,
    ];

    /// The name used on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Jgf => "jgf",
            Format::Dot => "dot",
            Format::Csv => "csv",
        }
    }

    /// True for formats written to a folder rather than one stream
    /// ([`Format::Csv`]): use [`write_csv_dir`] for them.
    pub fn is_folder(&self) -> bool {
        matches!(self, Format::Csv)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(text: &str) -> Result<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(Format::as_str).collect();
                Error::new(ErrorKind::Invalid(format!(
                    "unknown format {text:?} (expected {})",
                    names.join(", ")
                )))
            })
    }
}

/// Options for [`write_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// A date to record as the file's modification date, in formats that
    /// have a place for it (GEXF `lastmodifieddate`). `None`, the default,
    /// keeps the output free of anything that is not the graph.
    pub stamp: Option<NaiveDate>,
}

/// Writes `graph` in `format` with default options.
///
/// # Errors
/// Writing failed, or `format` is [`Format::Csv`], which needs a folder
/// ([`write_csv_dir`]): that is an error of kind
/// [`io::ErrorKind::InvalidInput`].
pub fn write(graph: &KnowledgeGraph, format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_with(graph, format, out, &WriteOptions::default())
}

/// Writes `graph` in `format`.
///
/// # Errors
/// Writing failed, or `format` is [`Format::Csv`], which needs a folder
/// ([`write_csv_dir`]): that is an error of kind
/// [`io::ErrorKind::InvalidInput`].
pub fn write_with(
    graph: &KnowledgeGraph,
    format: Format,
    out: &mut dyn Write,
    options: &WriteOptions,
) -> io::Result<()> {
    match format {
        Format::Json => json::write(graph, out),
        Format::Graphml => graphml::write(graph, out),
        Format::Gexf => gexf::write(graph, out, options),
        Format::Jgf => jgf::write(graph, out),
        Format::Dot => dot::write(graph, out),
        Format::Csv => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the csv format writes two files (nodes.csv and edges.csv): name a folder with -o DIR",
        )),
    }
}

/// Compares the graph file at `path` (for [`Format::Csv`], the folder
/// holding `nodes.csv` and `edges.csv`) with what `graph` gives now.
/// Returns `None` when the file is up to date (byte for byte), otherwise
/// what changed.
///
/// A GEXF `lastmodifieddate` in the old file is reused when rendering the
/// new one, so a date stamp alone never makes a file stale.
///
/// # Errors
/// The file cannot be read, or cannot be parsed as `format`.
pub fn check(graph: &KnowledgeGraph, format: Format, path: &Path) -> Result<Option<ChangeSummary>> {
    if format.is_folder() {
        let (nodes, edges) = csv::render(graph);
        let mut summary: Option<ChangeSummary> = None;
        for (name, new) in CSV_FILES.iter().zip([nodes, edges]) {
            let file = path.join(name);
            let old = fs::read_to_string(&file).map_err(|err| Error::io(&file, err))?;
            let change = diff(format, &old, &new).map_err(|err| err.at(Location::file(&file)))?;
            if let Some(change) = change {
                summary
                    .get_or_insert_with(ChangeSummary::default)
                    .merge(change);
            }
        }
        return Ok(summary);
    }
    let old = fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
    let options = WriteOptions {
        stamp: diff::stamp(format, &old),
    };
    let new = render(graph, format, &options).map_err(|err| Error::io(path, err))?;
    diff(format, &old, &new).map_err(|err| err.at(Location::file(path)))
}

/// Writes `graph` in `format` to a string.
///
/// # Errors
/// As [`write_with`]: [`Format::Csv`] needs a folder.
pub fn render(
    graph: &KnowledgeGraph,
    format: Format,
    options: &WriteOptions,
) -> io::Result<String> {
    let mut bytes = Vec::new();
    write_with(graph, format, &mut bytes, options)?;
    String::from_utf8(bytes).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// The id an edge gets in the formats that need one: `e` and its position
/// in the graph's sorted edge order.
fn edge_id(index: usize) -> String {
    format!("e{index}")
}

/// The graph's interactions by id, to find an edge's evidence.
fn interactions_by_id(graph: &KnowledgeGraph) -> BTreeMap<&str, &Interaction> {
    graph
        .interactions()
        .iter()
        .map(|interaction| (interaction.id.as_str(), interaction))
        .collect()
}

/// The interaction an edge stands for, when it stands for one.
fn interaction_of<'g>(
    edge: &Edge,
    interactions: &BTreeMap<&str, &'g Interaction>,
) -> Option<&'g Interaction> {
    edge.interaction
        .as_deref()
        .and_then(|id| interactions.get(id).copied())
}

/// Separator of list values (aliases, documents) in one text field; `;` is
/// Neo4j's default array delimiter.
const LIST_SEPARATOR: &str = ";";

fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut joined = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            joined.push_str(LIST_SEPARATOR);
        }
        joined.push_str(item.as_ref());
    }
    joined
}

/// A weight written as a double (`2.0`), as GraphML's and GEXF's double
/// types expect.
fn weight_text(weight: u64) -> String {
    format!("{:?}", weight as f64)
}

/// The node's origin as the JSON names it.
fn source_name(node: &Node) -> &'static str {
    match node.source {
        NodeSource::Gazetteer => "gazetteer",
        NodeSource::Discovered => "discovered",
    }
}

/// How often the entity is mentioned: the count the builder keeps, or the
/// mentions themselves in a graph read from a file written before counts.
fn mention_count(node: &Node) -> u64 {
    node.mention_count.max(node.mentions.len() as u64)
}

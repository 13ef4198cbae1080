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

/// Writes the graph as `serde_json` pretty-prints a [`GraphFile`], byte for
/// byte, but element by element: the elements of each list are serialized
/// in parallel, a window at a time (so memory stays bounded), and written
/// in order.
pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    // What an element weighs: about the lines of JSON it takes.
    out.write_all(b"{\n  \"documents\": ")?;
    write_list(graph.documents(), |_| 5, out)?;
    out.write_all(b",\n  \"nodes\": ")?;
    write_list(
        &graph.nodes().collect::<Vec<&Node>>(),
        |node| 10 + 7 * node.mentions.len(),
        out,
    )?;
    out.write_all(b",\n  \"edges\": ")?;
    write_list(
        &graph.edges().collect::<Vec<&Edge>>(),
        |edge| 8 + edge.documents.len(),
        out,
    )?;
    out.write_all(b",\n  \"interactions\": ")?;
    write_list(graph.interactions(), |_| 25, out)?;
    out.write_all(b"\n}\n")
}

/// The weight (about lines of JSON) one thread serializes at a time: a chunk
/// ends with the element that reaches it, so a heavy element (a node with
/// thousands of mentions) is a chunk of its own.
const CHUNK_WEIGHT: usize = 2_000;
/// Chunks serialized before any is written: bounds the memory a window
/// takes (a few megabytes) while giving every thread work.
const WINDOW_CHUNKS: usize = 32;

/// A list one level inside the top object: `[]`, or its elements one per
/// line block, indented by four spaces.
fn write_list<T: Serialize + Sync>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    // Chunk ends, by weight.
    let mut ends = Vec::new();
    let mut load = 0;
    for (index, item) in items.iter().enumerate() {
        load += weight(item);
        if load >= CHUNK_WEIGHT || index + 1 == items.len() {
            ends.push(index + 1);
            load = 0;
        }
    }
    let chunks: Vec<std::ops::Range<usize>> = std::iter::once(0)
        .chain(ends.iter().copied())
        .zip(ends.iter().copied())
        .map(|(start, end)| start..end)
        .collect();
    for window in chunks.chunks(WINDOW_CHUNKS) {
        let written: Vec<io::Result<Vec<u8>>> = window
            .par_iter()
            .map(|range| {
                let mut buffer = Vec::new();
                for index in range.clone() {
                    if index > 0 {
                        buffer.extend_from_slice(b",\n");
                    }
                    buffer.extend_from_slice(b"    ");
                    let mut serializer =
                        serde_json::Serializer::with_formatter(&mut buffer, Indented::new(2));
                    items[index].serialize(&mut serializer)?;
                }
                Ok(buffer)
            })
            .collect();
        for chunk in written {
            out.write_all(&chunk?)?;
        }
    }
    out.write_all(b"\n  ]")
}

/// `serde_json`'s pretty printer (two spaces a level) for a value that
/// starts `depth` levels deep: what the pretty printer writes for the whole
/// file, without indenting each element again afterwards.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn new(depth: usize) -> Indented {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut width = 2 * self.depth;
        while width > 0 {
            let now = width.min(SPACES.len());
            writer.write_all(&SPACES[..now])?;
            width -= now;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_json` writes for the whole file at once.
    fn reference(graph: &KnowledgeGraph) -> String {
        let file = GraphFile {
            documents: graph.documents().to_vec(),
            nodes: graph.nodes().cloned().collect(),
            edges: graph.edges().cloned().collect(),
            interactions: graph.interactions().to_vec(),
        };
        serde_json::to_string_pretty(&file).unwrap() + "\n"
    }

    fn written(graph: &KnowledgeGraph) -> String {
        let mut out = Vec::new();
        write(graph, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn empty_lists_are_written_as_serde_json_writes_them() {
        let graph =
            KnowledgeGraph::from_parts(Vec::new(), Vec::new(), Vec::new(), Vec::new()).unwrap();
        assert_eq!(written(&graph), reference(&graph));
    }

    #[test]
    fn lists_longer_than_a_window_are_written_as_serde_json_writes_them() {
        let documents = (0..CHUNK_WEIGHT * WINDOW_CHUNKS / 5 * 2 + 7)
            .map(|i| DocumentRecord {
                id: format!("doc-{i:05}").into(),
                source: "a \"quoted\"\nname".into(),
                date: None,
            })
            .collect();
        let graph =
            KnowledgeGraph::from_parts(documents, Vec::new(), Vec::new(), Vec::new()).unwrap();
        assert_eq!(written(&graph), reference(&graph));
    }

    #[test]
    fn a_whole_graph_is_written_as_serde_json_writes_it() {
        use crate::{Document, Extractor, Gazetteer, GraphBuilder};
        let extractor = Extractor::new(Gazetteer::builtin());
        let mut builder = GraphBuilder::default();
        for (id, text) in [
            (
                "a",
                " date 2020-10-09 Putin telefonierte am Mittwoch mit Erdoğan. \
                 Der Kreml teilte mit, Lawrow werde Cavusoglu in Sotschi treffen.",
            ),
            (
                "b",
                "Die OSZE und die Minsker Gruppe berieten über Bergkarabach. Die OSZE tagt.",
            ),
            ("c", "Kein Name hier."),
        ] {
            let document = Document::from_text(id, format!("{id}.txt"), text.to_string());
            builder.add(extractor.analyze(&document)).unwrap();
        }
        let graph = builder.finish();
        assert!(graph.nodes().any(|node| node.mentions.len() > 1));
        assert!(!graph.interactions().is_empty());
        assert_eq!(written(&graph), reference(&graph));
    }
}

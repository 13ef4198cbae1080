//! The JSON contract: `{documents, nodes, edges, interactions}`, described by
//! `graph-schema.json`, pretty-printed with keys in a fixed order and a final
//! newline.

use std::io::{self, Write};
use std::path::Path;

use arcstr::ArcStr;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::graph::{DocumentRecord, Edge, GraphBuilder, KnowledgeGraph, Node};
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
/// in parallel, a window at a time (so memory stays bounded), each window
/// while the one before is written, and written in order. A node with many
/// mentions is written in pieces of [`PIECE_MENTIONS`] mentions, so that a
/// window stays small whatever the graph.
pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    // What an element weighs: about the lines of JSON it takes.
    out.write_all(b"{\n  \"documents\": ")?;
    write_list(graph.documents(), |_| 5, write_document, out)?;
    out.write_all(b",\n  \"nodes\": ")?;
    write_nodes(&graph.nodes().collect::<Vec<&Node>>(), out)?;
    out.write_all(b",\n  \"edges\": ")?;
    write_list(
        &graph.edges().collect::<Vec<&Edge>>(),
        |edge| 8 + edge.documents.len(),
        |edge, buffer| write_edge(edge, buffer),
        out,
    )?;
    out.write_all(b",\n  \"interactions\": ")?;
    write_list(graph.interactions(), |_| 25, serialize, out)?;
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
fn write_list<T: Sync>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    write_item: impl Fn(&T, &mut Vec<u8>) -> io::Result<()> + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    let indices: Vec<usize> = (0..items.len()).collect();
    write_pieces(
        &indices,
        |&index| weight(&items[index]),
        |&index, buffer| {
            if index > 0 {
                buffer.extend_from_slice(b",\n");
            }
            buffer.extend_from_slice(b"    ");
            write_item(&items[index], buffer)
        },
        out,
    )
}

/// A list one level inside the top object (`[]` when there are no
/// pieces), its pieces as `write_piece` writes each: serialized in
/// parallel, a chunk of about [`CHUNK_WEIGHT`] at a time on each thread,
/// and written a window of [`WINDOW_CHUNKS`] chunks at a time (the next
/// window is serialized meanwhile).
fn write_pieces<P: Sync>(
    pieces: &[P],
    weight: impl Fn(&P) -> usize,
    write_piece: impl Fn(&P, &mut Vec<u8>) -> io::Result<()> + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    if pieces.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    // Chunk ends, by weight.
    let mut ends = Vec::new();
    let mut load = 0;
    for (index, piece) in pieces.iter().enumerate() {
        load += weight(piece);
        if load >= CHUNK_WEIGHT || index + 1 == pieces.len() {
            ends.push(index + 1);
            load = 0;
        }
    }
    let chunks: Vec<std::ops::Range<usize>> = std::iter::once(0)
        .chain(ends.iter().copied())
        .zip(ends.iter().copied())
        .map(|(start, end)| start..end)
        .collect();
    // A window is serialized (on the pool, from a thread of its own) while
    // the one before is written here; the two meet at a rendezvous, so
    // that no more than two windows are held at a time.
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(0);
        let write_piece = &write_piece;
        scope.spawn(move || {
            for window in chunks.chunks(WINDOW_CHUNKS) {
                let written: Vec<io::Result<Vec<u8>>> = window
                    .par_iter()
                    .map(|range| {
                        // About a line of 32 bytes per unit of weight.
                        let mut buffer = Vec::with_capacity(CHUNK_WEIGHT * 32);
                        for piece in &pieces[range.clone()] {
                            write_piece(piece, &mut buffer)?;
                        }
                        Ok(buffer)
                    })
                    .collect();
                // The writer stops at its first error.
                if sender.send(written).is_err() {
                    return;
                }
            }
        });
        for written in receiver {
            for chunk in written {
                out.write_all(&chunk?)?;
            }
        }
        Ok::<(), io::Error>(())
    })?;
    out.write_all(b"\n  ]")
}

/// Mentions of a node written as one piece, at most: a node named a
/// hundred thousand times is a few megabytes of JSON, written in pieces
/// like any other part of the list.
const PIECE_MENTIONS: usize = 256;

/// A piece of the node list: node `node`, with its mentions `mentions`
/// (the node's head with the first piece, its end with the last).
struct NodePiece {
    node: usize,
    mentions: std::ops::Range<usize>,
}

/// The node list, as [`write_list`] would write it with [`write_node`].
fn write_nodes(nodes: &[&Node], out: &mut dyn Write) -> io::Result<()> {
    let mut pieces = Vec::with_capacity(nodes.len());
    for (index, node) in nodes.iter().enumerate() {
        let count = node.mentions.len();
        pieces.push(NodePiece {
            node: index,
            mentions: 0..count.min(PIECE_MENTIONS),
        });
        pieces.extend(
            (PIECE_MENTIONS..count)
                .step_by(PIECE_MENTIONS)
                .map(|start| NodePiece {
                    node: index,
                    mentions: start..count.min(start + PIECE_MENTIONS),
                }),
        );
    }
    write_pieces(
        &pieces,
        |piece| 10 + 7 * piece.mentions.len(),
        |piece, buffer| {
            let node = nodes[piece.node];
            let range = piece.mentions.clone();
            if range.start == 0 {
                if piece.node > 0 {
                    buffer.extend_from_slice(b",\n");
                }
                buffer.extend_from_slice(b"    ");
                if range.end == node.mentions.len() {
                    // The whole node in one piece.
                    return write_node(node, buffer);
                }
                write_head(node, buffer)?;
            }
            write_mentions(node, range.clone(), buffer)?;
            if range.end == node.mentions.len() {
                buffer.extend_from_slice(b"\n      ]\n    }");
            }
            Ok(())
        },
        out,
    )
}

/// An element of a list one level inside the top object, as the pretty
/// printer writes it there.
fn serialize<T: Serialize>(item: &T, buffer: &mut Vec<u8>) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(buffer, Indented::new(2));
    item.serialize(&mut serializer).map_err(io::Error::from)
}

/// Opens an element of a top-level list and writes its first fields,
/// strings, as [`serialize`] lays them out (the keys need no escape).
fn open_with_strings(buffer: &mut Vec<u8>, fields: &[(&str, &str)]) -> io::Result<()> {
    buffer.push(b'{');
    for (index, (key, value)) in fields.iter().enumerate() {
        if index > 0 {
            buffer.push(b',');
        }
        buffer.extend_from_slice(b"\n      \"");
        buffer.extend_from_slice(key.as_bytes());
        buffer.extend_from_slice(b"\": ");
        push_str(buffer, value)?;
    }
    Ok(())
}

/// A document record as [`serialize`] writes it: field by field when it
/// has no date (most news feeds give none), else through the serializer.
fn write_document(document: &DocumentRecord, buffer: &mut Vec<u8>) -> io::Result<()> {
    if document.date.is_some() {
        return serialize(document, buffer);
    }
    open_with_strings(
        buffer,
        &[("id", &document.id), ("source", &document.source)],
    )?;
    buffer.extend_from_slice(b",\n      \"date\": null\n    }");
    Ok(())
}

/// An edge as [`serialize`] writes it: a co-mention (no interaction, date,
/// place or status) field by field, its documents being most of the edge
/// list; an interaction edge through the serializer.
fn write_edge(edge: &Edge, buffer: &mut Vec<u8>) -> io::Result<()> {
    if edge.interaction.is_some()
        || edge.date.is_some()
        || edge.place.is_some()
        || edge.status.is_some()
    {
        return serialize(edge, buffer);
    }
    open_with_strings(
        buffer,
        &[
            ("source", &edge.source),
            ("target", &edge.target),
            ("kind", &edge.kind),
        ],
    )?;
    buffer.extend_from_slice(b",\n      \"weight\": ");
    serde_json::to_writer(&mut *buffer, &edge.weight)?;
    if edge.documents.is_empty() {
        buffer.extend_from_slice(b",\n      \"documents\": []\n    }");
        return Ok(());
    }
    buffer.extend_from_slice(b",\n      \"documents\": [");
    for (index, document) in edge.documents.iter().enumerate() {
        buffer.extend_from_slice(if index == 0 {
            b"\n        "
        } else {
            b",\n        "
        });
        push_str(buffer, document)?;
    }
    buffer.extend_from_slice(b"\n      ]\n    }");
    Ok(())
}

/// A node as [`serialize`] writes it, its mentions written field by field
/// without going through the formatter: they are most of a graph's JSON
/// with mention-level provenance. The rest of the node is serialized with
/// no mentions, and its `"mentions": []` replaced.
fn write_node(node: &Node, buffer: &mut Vec<u8>) -> io::Result<()> {
    if node.mentions.is_empty() {
        return serialize(node, buffer);
    }
    let start = buffer.len();
    if write_head(node, buffer).is_err() {
        // Not the layout expected: the whole node the slow way.
        buffer.truncate(start);
        return serialize(node, buffer);
    }
    write_mentions(node, 0..node.mentions.len(), buffer)?;
    buffer.extend_from_slice(b"\n      ]\n    }");
    Ok(())
}

/// A node as [`serialize`] writes it, up to and including the line that
/// opens its list of mentions; an error when the pretty printer lays a
/// node out otherwise (the buffer then holds part of the node).
fn write_head(node: &Node, buffer: &mut Vec<u8>) -> io::Result<()> {
    let head = Node {
        id: node.id.clone(),
        label: node.label.clone(),
        kind: node.kind,
        aliases: node.aliases.clone(),
        wikidata: node.wikidata.clone(),
        source: node.source,
        confidence: node.confidence,
        mention_count: node.mention_count,
        mentions: Vec::new(),
    };
    serialize(&head, buffer)?;
    const NO_MENTIONS: &[u8] = b"\"mentions\": []\n    }";
    if !buffer.ends_with(NO_MENTIONS) {
        return Err(io::Error::other("a node laid out unlike the one expected"));
    }
    buffer.truncate(buffer.len() - b"[]\n    }".len());
    buffer.extend_from_slice(b"[\n");
    Ok(())
}

/// Mentions `range` of a node, as [`serialize`] writes them inside it (a
/// separating comma before each but the node's first).
fn write_mentions(
    node: &Node,
    range: std::ops::Range<usize>,
    buffer: &mut Vec<u8>,
) -> io::Result<()> {
    let mut numbers = itoa::Buffer::new();
    // A node's mentions come document by document: the one before's id,
    // and whether it was written as it is (no escape), are mostly this
    // one's.
    let mut last_document: Option<(&ArcStr, bool)> = None;
    for (index, mention) in node.mentions[range.clone()]
        .iter()
        .enumerate()
        .map(|(offset, mention)| (range.start + offset, mention))
    {
        if index > 0 {
            buffer.extend_from_slice(b",\n");
        }
        buffer.extend_from_slice(b"        {\n          \"document\": ");
        let plain = match last_document {
            Some((document, plain)) if ArcStr::ptr_eq(document, &mention.document) => plain,
            _ => !needs_escape(mention.document.as_bytes()),
        };
        last_document = Some((&mention.document, plain));
        if plain {
            push_plain(buffer, &mention.document);
        } else {
            serde_json::to_writer(&mut *buffer, mention.document.as_str())?;
        }
        buffer.extend_from_slice(b",\n          \"start\": ");
        buffer.extend_from_slice(numbers.format(mention.start).as_bytes());
        buffer.extend_from_slice(b",\n          \"end\": ");
        buffer.extend_from_slice(numbers.format(mention.end).as_bytes());
        buffer.extend_from_slice(b",\n          \"text\": ");
        push_str(buffer, &mention.text)?;
        buffer.extend_from_slice(b",\n          \"sentence\": ");
        buffer.extend_from_slice(numbers.format(mention.sentence).as_bytes());
        buffer.extend_from_slice(b"\n        }");
    }
    Ok(())
}

/// Appends `text` as a JSON string, as `serde_json` writes it. Most
/// strings (document ids, names) need no escape, which eight bytes at a
/// time tell: they are copied whole; the others go through `serde_json`.
fn push_str(buffer: &mut Vec<u8>, text: &str) -> io::Result<()> {
    if needs_escape(text.as_bytes()) {
        serde_json::to_writer(&mut *buffer, text)?;
    } else {
        push_plain(buffer, text);
    }
    Ok(())
}

/// Appends `text`, which needs no escape, as a JSON string.
fn push_plain(buffer: &mut Vec<u8>, text: &str) {
    buffer.reserve(text.len() + 2);
    buffer.push(b'"');
    buffer.extend_from_slice(text.as_bytes());
    buffer.push(b'"');
}

/// True when `bytes` hold a byte that a JSON string escapes: a control
/// character (below 0x20), `"` or `\\`.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero / below `n`: the classic bit tricks, exact
    // for whether any byte is.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let has_below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if has_below(word, 0x20)
            || has_zero(word ^ (ONES * u64::from(b'"')))
            || has_zero(word ^ (ONES * u64::from(b'\\')))
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
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

/// Reads a graph written by `extract --format json` from its text.
///
/// # Errors
/// The text is not JSON of the expected shape, or names nodes it does not
/// hold.
pub fn read_json(path: &Path, text: &str) -> Result<KnowledgeGraph> {
    super::json_read::read_json_from(path, &mut text.as_bytes())
}

/// Reads the graph file `path`, written by `extract --format json`, a
/// block at a time (the file's text is not held whole).
///
/// # Errors
/// The file cannot be read, is not JSON of the expected shape, or names
/// nodes it does not hold.
pub fn read_json_file(path: &Path) -> Result<KnowledgeGraph> {
    let mut file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
    super::json_read::read_json_from(path, &mut file)
}

/// Adds the graph file `path`, written by `extract --format json`, to
/// `builder` as it is read, a block at a time: what [`read_json_file`]
/// then [`GraphBuilder::add_graph`] give, holding only the builder and a
/// block of the file instead of the whole graph read.
///
/// # Errors
/// The file cannot be read, is not JSON of the expected shape, names nodes
/// it does not hold, or holds a document already added; the builder then
/// holds part of the file's graph and is best dropped.
pub fn merge_json_file(builder: &mut GraphBuilder, path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
    super::json_read::merge_json_from(builder, path, &mut file)
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

    /// Mentions are written field by field: strings that need escaping,
    /// large offsets, and nodes with and without mentions come out as
    /// `serde_json` writes them.
    #[test]
    fn mentions_are_written_as_serde_json_writes_them() {
        use crate::gazetteer::EntityKind;
        use crate::graph::{MentionRecord, NodeSource};
        let document = |id: &str| DocumentRecord {
            id: id.into(),
            source: "a.jsonl".into(),
            date: None,
        };
        let mention = |document: &str, text: &str, start: u32| MentionRecord {
            document: document.into(),
            start,
            end: start + text.len() as u32,
            text: text.into(),
            sentence: start / 7,
        };
        let node = |id: &str, mentions: Vec<MentionRecord>| Node {
            id: id.into(),
            label: "Ärzte \"ohne\" Grenzen".into(),
            kind: EntityKind::Organization,
            aliases: vec!["MSF\\".into()].into(),
            wikidata: Some("Q1".into()),
            source: NodeSource::Discovered,
            confidence: Some(0.6),
            mention_count: mentions.len() as u64,
            mentions,
        };
        let nodes = vec![
            node(
                "organization:a",
                vec![
                    mention("d\"1\u{7}", "Ärzte \"ohne\"\n\tGrenzen\u{1f}", 0),
                    mention("d/2", "MSF", u32::MAX - 3),
                ],
            ),
            node("organization:b", Vec::new()),
        ];
        let documents = vec![document("d\"1\u{7}"), document("d/2")];
        let graph = KnowledgeGraph::from_parts(documents, nodes, Vec::new(), Vec::new()).unwrap();
        assert_eq!(written(&graph), reference(&graph));
    }

    /// Strings are written as `serde_json` writes them, whichever bytes
    /// they hold: text that needs no escape with at most one character
    /// that does, anywhere in an eight-byte word.
    #[quickcheck_macros::quickcheck]
    fn strings_are_written_as_serde_json_writes_them(
        picks: Vec<u8>,
        special: u8,
        at: usize,
    ) -> bool {
        const PLAIN: &[&str] = &["a", "Ä", " ", "\u{7f}", "/", "\u{2028}", "bench-0001"];
        const SPECIAL: &[&str] = &["", "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{20}"];
        let mut text = crate::test_text::from_picks(&picks, PLAIN);
        let at = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .nth(at % (text.chars().count() + 1))
            .unwrap_or(0);
        text.insert_str(at, crate::test_text::piece(SPECIAL, special));
        let mut buffer = b"x".to_vec();
        push_str(&mut buffer, &text).unwrap();
        buffer[1..] == *serde_json::to_string(&text).unwrap().as_bytes()
    }

    /// Documents and edges written field by field come out as `serde_json`
    /// writes them: ids that need escaping, an edge with no documents, one
    /// with several, an interaction edge and a dated document beside them.
    #[test]
    fn documents_and_edges_are_written_as_serde_json_writes_them() {
        use crate::gazetteer::EntityKind;
        use crate::graph::NodeSource;
        let document = |id: &str, date: Option<&str>| DocumentRecord {
            id: id.into(),
            source: "a \"b\".jsonl".into(),
            date: date.map(|d| d.parse().unwrap()),
        };
        let node = |id: &str| Node {
            id: id.into(),
            label: id.into(),
            kind: EntityKind::Person,
            aliases: crate::graph::no_aliases(),
            wikidata: None,
            source: NodeSource::Gazetteer,
            confidence: None,
            mention_count: 0,
            mentions: Vec::new(),
        };
        let edge = |documents: &[&str], interaction: Option<&str>| Edge {
            source: "person:a\\".to_string(),
            target: "person:b\u{1}".to_string(),
            kind: crate::graph::CO_MENTION.to_string(),
            weight: documents.len() as u64 * 7,
            documents: documents.iter().map(|&d| d.into()).collect(),
            interaction: interaction.map(str::to_string),
            date: None,
            place: None,
            status: None,
        };
        let documents = vec![
            document("d\"1", None),
            document("d2", Some("2020-10")),
            document("d3", None),
        ];
        let nodes = vec![node("person:a\\"), node("person:b\u{1}")];
        let edges = vec![
            edge(&[], None),
            edge(&["d\"1", "d2", "d3"], None),
            edge(&["d3"], Some("i1")),
        ];
        let graph = KnowledgeGraph::from_parts(documents, nodes, edges, Vec::new()).unwrap();
        assert_eq!(written(&graph), reference(&graph));
    }

    /// A node with more mentions than a piece holds, beside small nodes,
    /// in a list longer than a window: written in pieces, byte for byte as
    /// a whole.
    #[test]
    fn nodes_written_in_pieces_are_written_as_serde_json_writes_them() {
        use crate::gazetteer::EntityKind;
        use crate::graph::{MentionRecord, NodeSource};
        let node = |id: String, mentions: usize| Node {
            id: id.into(),
            label: "Deutschland".into(),
            kind: EntityKind::Place,
            aliases: crate::graph::no_aliases(),
            wikidata: None,
            source: NodeSource::Gazetteer,
            confidence: None,
            mention_count: mentions as u64,
            mentions: (0..mentions)
                .map(|i| MentionRecord {
                    document: format!("doc-{:05}", i / 3).into(),
                    start: i as u32 * 10,
                    end: i as u32 * 10 + 11,
                    text: "Deutschland".into(),
                    sentence: i as u32,
                })
                .collect(),
        };
        let counts = [
            PIECE_MENTIONS * 3 + 17,
            PIECE_MENTIONS,
            PIECE_MENTIONS + 1,
            1,
            0,
            PIECE_MENTIONS * 40,
        ];
        let nodes: Vec<Node> = (0..WINDOW_CHUNKS * 3)
            .map(|i| node(format!("place:n{i:03}"), counts[i % counts.len()]))
            .collect();
        let documents = (0..PIECE_MENTIONS * 40 / 3 + 1)
            .map(|i| DocumentRecord {
                id: format!("doc-{i:05}").into(),
                source: "a.jsonl".into(),
                date: None,
            })
            .collect();
        let graph = KnowledgeGraph::from_parts(documents, nodes, Vec::new(), Vec::new()).unwrap();
        assert_eq!(written(&graph), reference(&graph));
    }

    /// A graph of `count` documents from `source`, and nothing else.
    fn documents_only(count: usize, source: &str) -> KnowledgeGraph {
        let documents = (0..count)
            .map(|i| DocumentRecord {
                id: format!("doc-{i:05}").into(),
                source: source.into(),
                date: None,
            })
            .collect();
        KnowledgeGraph::from_parts(documents, Vec::new(), Vec::new(), Vec::new()).unwrap()
    }

    #[test]
    fn lists_longer_than_a_window_are_written_as_serde_json_writes_them() {
        let graph = documents_only(
            CHUNK_WEIGHT * WINDOW_CHUNKS / 5 * 2 + 7,
            "a \"quoted\"\nname",
        );
        assert_eq!(written(&graph), reference(&graph));
    }

    /// A writer that fails after `room` bytes.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::other("disk full"));
            }
            let taken = buf.len().min(self.room);
            self.room -= taken;
            Ok(taken)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Windows are serialized while the one before is written: an output
    /// that fails in the first, a later or the last window gives its error
    /// back (and the serializing stops) instead of hanging or going on.
    #[test]
    fn a_failing_output_stops_the_writing_in_any_window() {
        let graph = documents_only(CHUNK_WEIGHT * WINDOW_CHUNKS / 5 * 3 + 7, "s");
        let size = written(&graph).len();
        for room in [0, 100, size / 2, size - 10] {
            let err = write(&graph, &mut Full { room }).unwrap_err();
            assert_eq!(err.to_string(), "disk full", "{room}");
        }
        assert!(write(&graph, &mut Full { room: size }).is_ok());
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

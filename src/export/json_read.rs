//! Reading a graph's JSON a block at a time.
//!
//! A graph with mention-level provenance is about as large as its corpus,
//! and `merge` reads several. Holding a whole file's text while parsing it
//! took more memory than the graph it holds (two 500 MB halves of a graph
//! merged in a peak of 1100 MB), so the file is read in blocks: the top
//! object's keys and the brackets of its lists are followed here, and each
//! element of a list (a document, node, edge or interaction) is parsed by
//! `serde_json` on its own, the complete elements of a block on every
//! core while the next block is read and its elements found. Only two
//! blocks and the elements parsed are held, and the document ids in the
//! mentions and edges are made the document records' own as each block is
//! parsed.
//!
//! What is accepted is what `serde_json` accepts for a [`GraphFile`]:
//! the four lists in any order (`interactions` may be left out), other keys
//! ignored, a key given twice refused; errors say where, by line and
//! column, as `serde_json` does.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::graph::{ArcStr, DocumentRecord, Edge, GraphBuilder, GraphPart, KnowledgeGraph, Node};
use crate::interaction::Interaction;

/// Bytes read at a time.
const BLOCK: usize = 8 << 20;

/// The lists of a graph file, in the order they are written.
const LISTS: [&str; 4] = ["documents", "nodes", "edges", "interactions"];

/// Reads a graph written by `extract --format json` from `reader`
/// (`path` names it in errors), a block at a time.
///
/// # Errors
/// The input cannot be read, is not JSON of the expected shape, or names
/// nodes it does not hold.
pub fn read_json_from(path: &Path, reader: &mut (dyn Read + Send)) -> Result<KnowledgeGraph> {
    read_in_blocks(path, reader, BLOCK)
}

/// Adds the graph written by `extract --format json` that `reader` gives
/// to `builder` as it is read, a block at a time, so that only the
/// builder and a block are held (a graph whose lists are not in the order
/// they are written, documents first, is held in part until the lists it
/// waits for are read).
///
/// # Errors
/// As [`read_json_from`], and a document that was already added; the
/// builder then holds part of the graph and is best dropped.
pub fn merge_json_from(
    builder: &mut GraphBuilder,
    path: &Path,
    reader: &mut (dyn Read + Send),
) -> Result<()> {
    merge_in_blocks(builder, path, reader, BLOCK)
}

fn scanner<'a>(path: &'a Path, reader: &'a mut (dyn Read + Send), block: usize) -> Scanner<'a> {
    Scanner {
        path,
        reader,
        block,
        buffer: Vec::new(),
        at: 0,
        end: 0,
        done: false,
        line: 1,
        column: 1,
        ids: None,
        spare: Vec::new(),
        separator_due: false,
    }
}

/// [`read_json_from`], reading `block` bytes at a time.
fn read_in_blocks(
    path: &Path,
    reader: &mut (dyn Read + Send),
    block: usize,
) -> Result<KnowledgeGraph> {
    let mut parts = Parts::default();
    scanner(path, reader, block).graph(&mut parts)?;
    KnowledgeGraph::from_parts(
        parts.documents,
        parts.nodes,
        parts.edges,
        parts.interactions,
    )
    .map_err(|err| err.at(Location::file(path)))
}

/// [`merge_json_from`], reading `block` bytes at a time.
fn merge_in_blocks(
    builder: &mut GraphBuilder,
    path: &Path,
    reader: &mut (dyn Read + Send),
    block: usize,
) -> Result<()> {
    let mut sink = Merge {
        builder: Some(builder),
        part: None,
        nodes_done: false,
        waiting: Parts::default(),
    };
    scanner(path, reader, block)
        .graph(&mut sink)
        .map_err(|err| match err.location() {
            Some(_) => err,
            None => err.at(Location::file(path)),
        })
}

/// Where a graph's lists go as they are read: [`Scanner::graph`] gives
/// the documents whole, the other lists a block at a time, and says when
/// the nodes are all given.
trait Sink {
    fn documents(&mut self, documents: Vec<DocumentRecord>) -> Result<()>;
    fn nodes(&mut self, nodes: Vec<Node>) -> Result<()>;
    fn nodes_done(&mut self) -> Result<()>;
    fn edges(&mut self, edges: Vec<Edge>) -> Result<()>;
    fn interactions(&mut self, interactions: Vec<Interaction>) -> Result<()>;
}

/// A graph's lists, as [`KnowledgeGraph::from_parts`] takes them: the
/// sink that holds everything.
#[derive(Default)]
struct Parts {
    documents: Vec<DocumentRecord>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    interactions: Vec<Interaction>,
}

impl Sink for Parts {
    fn documents(&mut self, documents: Vec<DocumentRecord>) -> Result<()> {
        self.documents = documents;
        Ok(())
    }

    fn nodes(&mut self, mut nodes: Vec<Node>) -> Result<()> {
        self.nodes.append(&mut nodes);
        Ok(())
    }

    fn nodes_done(&mut self) -> Result<()> {
        Ok(())
    }

    fn edges(&mut self, mut edges: Vec<Edge>) -> Result<()> {
        self.edges.append(&mut edges);
        Ok(())
    }

    fn interactions(&mut self, mut interactions: Vec<Interaction>) -> Result<()> {
        self.interactions.append(&mut interactions);
        Ok(())
    }
}

/// The sink that adds a graph to a builder as it is read. Nodes wait for
/// the documents, and edges and interactions for all the nodes (which they
/// must name); in a file as written, nothing waits.
struct Merge<'b> {
    /// The builder, until the documents begin the graph.
    builder: Option<&'b mut GraphBuilder>,
    part: Option<GraphPart<'b>>,
    nodes_done: bool,
    /// What came before what it waits for.
    waiting: Parts,
}

impl Merge<'_> {
    /// Adds what waited and no longer has to.
    fn flush(&mut self) -> Result<()> {
        let Some(part) = &mut self.part else {
            return Ok(());
        };
        part.add_nodes(std::mem::take(&mut self.waiting.nodes))?;
        if self.nodes_done {
            part.add_edges(std::mem::take(&mut self.waiting.edges))?;
            part.add_interactions(std::mem::take(&mut self.waiting.interactions))?;
        }
        Ok(())
    }
}

impl Sink for Merge<'_> {
    fn documents(&mut self, documents: Vec<DocumentRecord>) -> Result<()> {
        let builder = self.builder.take().expect("one list of documents");
        self.part = Some(builder.begin_graph(documents)?);
        self.flush()
    }

    fn nodes(&mut self, nodes: Vec<Node>) -> Result<()> {
        self.waiting.nodes(nodes)?;
        self.flush()
    }

    fn nodes_done(&mut self) -> Result<()> {
        self.nodes_done = true;
        self.flush()
    }

    fn edges(&mut self, edges: Vec<Edge>) -> Result<()> {
        self.waiting.edges(edges)?;
        self.flush()
    }

    fn interactions(&mut self, interactions: Vec<Interaction>) -> Result<()> {
        self.waiting.interactions(interactions)?;
        self.flush()
    }
}

/// The input, read into `buffer` a block at a time, and where in it the
/// reading is.
struct Scanner<'a> {
    path: &'a Path,
    reader: &'a mut (dyn Read + Send),
    /// Bytes read at a time.
    block: usize,
    buffer: Vec<u8>,
    /// The next byte to read.
    at: usize,
    /// The end of the bytes read.
    end: usize,
    /// True once the reader has given everything.
    done: bool,
    /// The line and column (1-based, in bytes) of `buffer[at]`.
    line: usize,
    column: usize,
    /// The document ids, once the documents are read.
    ids: Option<FxHashSet<ArcStr>>,
    /// A buffer parsed and done with, for the next block.
    spare: Vec<u8>,
    /// True between an element of a list and the separator after it.
    separator_due: bool,
}

/// An element that holds document ids: [`Scanner::list`] makes them the
/// document records' own, a block at a time, so that a graph read back
/// holds one string per document id however many mentions and edges name
/// it, and the copies made while parsing are let go with their block.
trait DocumentIds {
    fn share(&mut self, _ids: &FxHashSet<ArcStr>) {}
}

/// The record's own id, when it is a document's.
fn share_id(id: &mut ArcStr, ids: &FxHashSet<ArcStr>) {
    if let Some(record) = ids.get(&**id) {
        *id = ArcStr::clone(record);
    }
}

impl DocumentIds for DocumentRecord {}

impl DocumentIds for Interaction {}

impl DocumentIds for Node {
    fn share(&mut self, ids: &FxHashSet<ArcStr>) {
        crate::graph::share_documents(&mut self.mentions, |id| ids.get(&**id));
    }
}

impl DocumentIds for Edge {
    fn share(&mut self, ids: &FxHashSet<ArcStr>) {
        for id in &mut self.documents {
            share_id(id, ids);
        }
    }
}

/// Where a complete element lies in the buffer, and its line and column.
struct Element {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
}

impl Scanner<'_> {
    /// Reads the graph into `sink`, list by list and block by block.
    fn graph(&mut self, sink: &mut (dyn Sink + Send)) -> Result<()> {
        // The lists seen: documents, nodes, edges, interactions.
        let mut seen = [false; 4];
        if self.peek()? == Some(b'{') {
            self.advance(1);
        } else {
            return Err(self.error("invalid type: expected a graph object"));
        }
        let mut first = true;
        let closing = loop {
            match self.peek()? {
                Some(b'}') if first => {
                    self.advance(1);
                    break (self.line, self.column - 1);
                }
                Some(b'"') => {}
                Some(_) => return Err(self.error("key must be a string")),
                None => return Err(self.error("EOF while parsing an object")),
            }
            let key = self.key()?;
            // Where serde_json places a duplicate key: its last byte.
            let key_end = (self.line, self.column - 1);
            match self.peek()? {
                Some(b':') => self.advance(1),
                Some(_) => return Err(self.error("expected `:`")),
                None => return Err(self.error("EOF while parsing an object")),
            }
            let list = LISTS.iter().position(|name| *name == key);
            if let Some(list) = list {
                if seen[list] {
                    let message = format!("duplicate field `{key}`");
                    return Err(self.error_at(&message, key_end.0, key_end.1));
                }
                seen[list] = true;
            }
            match list {
                Some(0) => {
                    let documents: Vec<DocumentRecord> = self.list(&mut |_| Ok(()))?;
                    self.ids = Some(documents.iter().map(|d| ArcStr::clone(&d.id)).collect());
                    sink.documents(documents)?;
                }
                Some(1) => {
                    self.list(&mut |nodes| sink.nodes(std::mem::take(nodes)))?;
                }
                Some(2) => {
                    self.list(&mut |edges| sink.edges(std::mem::take(edges)))?;
                }
                Some(3) => {
                    self.list(&mut |found| sink.interactions(std::mem::take(found)))?;
                }
                _ => self.skip_value()?,
            }
            if list == Some(1) {
                sink.nodes_done()?;
            }
            first = false;
            match self.peek()? {
                Some(b',') => self.advance(1),
                Some(b'}') => {
                    self.advance(1);
                    break (self.line, self.column - 1);
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
                None => return Err(self.error("EOF while parsing an object")),
            }
        };
        if self.peek()?.is_some() {
            return Err(self.error("trailing characters"));
        }
        // Where serde_json says so: at the object's closing brace.
        if let Some(missing) = (0..3).find(|&list| !seen[list]) {
            let message = format!("missing field `{}`", LISTS[missing]);
            return Err(self.error_at(&message, closing.0, closing.1));
        }
        Ok(())
    }

    /// A list of elements, each parsed on its own: the complete elements
    /// of each block on every core. Each block's elements go to `each`;
    /// the list is what `each` leaves (with `|_| Ok(())`, the whole list).
    fn list<T: DeserializeOwned + Send + DocumentIds>(
        &mut self,
        each: &mut (dyn FnMut(&mut Vec<T>) -> Result<()> + Send),
    ) -> Result<Vec<T>> {
        match self.peek()? {
            Some(b'[') => self.advance(1),
            Some(_) => return Err(self.error("invalid type: expected a sequence")),
            None => return Err(self.error("EOF while parsing a value")),
        }
        let mut items = Vec::new();
        if self.peek()? == Some(b']') {
            self.advance(1);
            return Ok(items);
        }
        // Each block's elements are parsed (on every core) and handed on
        // while the next block is read and its elements found.
        let mut scanned = self.elements();
        loop {
            let (elements, closed) = scanned?;
            if closed {
                let ids = self.ids.as_ref();
                let done = take(&self.buffer, &elements, ids, &mut items, each);
                self.placed(&elements, done)?;
                return Ok(items);
            }
            let block = self.detach();
            let ids = self.ids.take();
            let (done, next) = rayon::join(
                || take(&block, &elements, ids.as_ref(), &mut items, each),
                || {
                    // The list goes on past the bytes read: after a
                    // separator, or within an element or white space.
                    if !self.more()? {
                        return Err(self.error("EOF while parsing a list"));
                    }
                    self.elements()
                },
            );
            self.ids = ids;
            self.spare = block;
            self.placed(&elements, done)?;
            scanned = next;
        }
    }

    /// What [`take`] gave, with a parse error placed in the file.
    fn placed(&self, elements: &[Element], done: Taken) -> Result<()> {
        match done {
            Taken::Done(result) => result,
            Taken::Bad(index, err) => Err(self.element_error(&elements[index], &err)),
        }
    }

    /// The elements of the list complete in the bytes read, and whether
    /// the list's end was passed. A block may end between an element and
    /// the separator after it: the next call begins with the separator.
    fn elements(&mut self) -> Result<(Vec<Element>, bool)> {
        let mut elements = Vec::new();
        loop {
            if self.separator_due {
                match self.peek_here() {
                    Some(b',') => self.advance(1),
                    Some(b']') => {
                        self.advance(1);
                        self.separator_due = false;
                        return Ok((elements, true));
                    }
                    Some(_) => return Err(self.error("expected `,` or `]`")),
                    None => return Ok((elements, false)),
                }
                self.separator_due = false;
            }
            let Some(first) = self.peek_here() else {
                return Ok((elements, false));
            };
            let Some(length) = extent(&self.buffer[self.at..self.end], first, self.done) else {
                return Ok((elements, false));
            };
            elements.push(self.element(length));
            self.advance(length);
            self.separator_due = true;
        }
    }

    /// The `length` bytes at the reading position, as an element.
    fn element(&self, length: usize) -> Element {
        Element {
            start: self.at,
            end: self.at + length,
            line: self.line,
            column: self.column,
        }
    }

    /// Takes the buffer, whose elements are to be parsed, leaving in its
    /// place (the spare buffer) the bytes not yet passed.
    fn detach(&mut self) -> Vec<u8> {
        let mut rest = std::mem::take(&mut self.spare);
        rest.clear();
        rest.extend_from_slice(&self.buffer[self.at..self.end]);
        self.end = rest.len();
        self.at = 0;
        std::mem::replace(&mut self.buffer, rest)
    }

    /// A key: a string followed by white space.
    fn key(&mut self) -> Result<String> {
        loop {
            if let Some(length) = extent(&self.buffer[self.at..self.end], b'"', self.done) {
                let key = serde_json::from_slice(&self.buffer[self.at..self.at + length])
                    .map_err(|err| self.element_error(&self.element(length), &err))?;
                self.advance(length);
                return Ok(key);
            }
            if !self.more()? {
                return Err(self.error("EOF while parsing a string"));
            }
        }
    }

    /// Passes over a value of a key that is not read.
    fn skip_value(&mut self) -> Result<()> {
        loop {
            let Some(first) = self.peek()? else {
                return Err(self.error("EOF while parsing a value"));
            };
            if let Some(length) = extent(&self.buffer[self.at..self.end], first, self.done) {
                let value = &self.buffer[self.at..self.at + length];
                if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(value) {
                    return Err(self.element_error(&self.element(length), &err));
                }
                self.advance(length);
                return Ok(());
            }
            if !self.more()? {
                return Err(self.error("EOF while parsing a value"));
            }
        }
    }

    /// The next byte that is not white space, reading on as needed.
    fn peek(&mut self) -> Result<Option<u8>> {
        loop {
            if let Some(byte) = self.peek_here() {
                return Ok(Some(byte));
            }
            if !self.more()? {
                return Ok(None);
            }
        }
    }

    /// The next byte that is not white space among the bytes read.
    fn peek_here(&mut self) -> Option<u8> {
        let rest = &self.buffer[self.at..self.end];
        let blank = rest
            .iter()
            .position(|byte| !matches!(byte, b' ' | b'\n' | b'\t' | b'\r'))
            .unwrap_or(rest.len());
        self.advance(blank);
        self.buffer[self.at..self.end].first().copied()
    }

    /// Moves past `length` bytes, keeping the line and column.
    fn advance(&mut self, length: usize) {
        let passed = &self.buffer[self.at..self.at + length];
        match memchr::memrchr(b'\n', passed) {
            Some(last) => {
                self.line += passed.iter().filter(|&&byte| byte == b'\n').count();
                self.column = length - last;
            }
            None => self.column += length,
        }
        self.at += length;
    }

    /// Reads another block after the bytes not yet passed; false at the end
    /// of the input.
    fn more(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        self.buffer.copy_within(self.at..self.end, 0);
        self.end -= self.at;
        self.at = 0;
        // A block more, or as much again as is held: an element longer
        // than a block is delimited again each time, so the buffer doubles.
        let wanted = self.end + self.block.max(self.end);
        if self.buffer.len() < wanted {
            self.buffer.resize(wanted, 0);
        }
        // Fill the block, or reach the end.
        let before = self.end;
        while self.end < wanted {
            match self.reader.read(&mut self.buffer[self.end..wanted]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(read) => self.end += read,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(Error::io(self.path, err)),
            }
        }
        Ok(self.end > before || !self.done)
    }

    /// An error at the next byte.
    fn error(&self, message: &str) -> Error {
        self.error_at(message, self.line, self.column)
    }

    fn error_at(&self, message: &str, line: usize, column: usize) -> Error {
        Error::new(ErrorKind::Graph(format!(
            "not a newsgraph graph: {message} at line {line} column {column}"
        )))
        .at(Location::line(self.path, line))
    }

    /// `serde_json`'s error in an element, placed in the file.
    fn element_error(&self, element: &Element, err: &serde_json::Error) -> Error {
        let text = err.to_string();
        let message = match text.rsplit_once(" at line ") {
            Some((message, _)) if err.line() > 0 => message.to_string(),
            _ => text,
        };
        let (line, column) = match err.line() {
            0 => (element.line, element.column),
            1 => (
                element.line,
                element.column + err.column().saturating_sub(1),
            ),
            line => (element.line + line - 1, err.column()),
        };
        self.error_at(&message, line, column)
    }
}

/// The elements of `block`, parsed on every core, their document ids
/// made the records' own.
fn parse<T: DeserializeOwned + Send + DocumentIds>(
    block: &[u8],
    elements: &[Element],
    ids: Option<&FxHashSet<ArcStr>>,
) -> Vec<std::result::Result<T, serde_json::Error>> {
    elements
        .par_iter()
        .map(|element| {
            let mut item: T = serde_json::from_slice(&block[element.start..element.end])?;
            if let Some(ids) = ids {
                item.share(ids);
            }
            Ok(item)
        })
        .collect()
}

/// What became of a block's elements: handed on (with what the receiver
/// said), or element `index` did not parse.
enum Taken {
    Done(Result<()>),
    Bad(usize, serde_json::Error),
}

/// Parses the elements of `block`, appends them to `items` and hands
/// `items` to `each`.
fn take<T: DeserializeOwned + Send + DocumentIds>(
    block: &[u8],
    elements: &[Element],
    ids: Option<&FxHashSet<ArcStr>>,
    items: &mut Vec<T>,
    each: &mut (dyn FnMut(&mut Vec<T>) -> Result<()> + Send),
) -> Taken {
    let parsed = parse::<T>(block, elements, ids);
    items.reserve(parsed.len());
    for (index, item) in parsed.into_iter().enumerate() {
        match item {
            Ok(item) => items.push(item),
            Err(err) => return Taken::Bad(index, err),
        }
    }
    Taken::Done(each(items))
}

/// The length of the value that starts `bytes` (its first byte is
/// `first`), or `None` when it does not end within them. `done` says that
/// nothing follows `bytes`, so that a number at the very end is complete.
/// The value is only delimited here; `serde_json` checks it.
fn extent(bytes: &[u8], first: u8, done: bool) -> Option<usize> {
    match first {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = 0;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => at += string_length(&bytes[at..])?,
                    b'{' | b'[' => {
                        depth += 1;
                        at += 1;
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        at += 1;
                        if depth == 0 {
                            return Some(at);
                        }
                    }
                    _ => at += 1,
                }
            }
            None
        }
        b'"' => string_length(bytes),
        _ => {
            let end = bytes.iter().position(|byte| {
                matches!(
                    byte,
                    b',' | b']' | b'}' | b' ' | b'\n' | b'\t' | b'\r' | b'{' | b'[' | b'"' | b':'
                )
            });
            match end {
                Some(0) => Some(1),
                Some(end) => Some(end),
                None if done => Some(bytes.len()),
                None => None,
            }
        }
    }
}

/// The length of the string that opens `bytes` (with its quotes), or
/// `None` when it does not close within them.
fn string_length(bytes: &[u8]) -> Option<usize> {
    let mut at = 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', &bytes[at..])?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        // An escape: the byte after the backslash is part of it.
        at += 2;
        if at > bytes.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives a few bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let length = self.1.min(self.0.len()).min(out.len());
            out[..length].copy_from_slice(&self.0[..length]);
            self.0 = &self.0[length..];
            Ok(length)
        }
    }

    #[test]
    fn values_are_delimited_whatever_they_hold() {
        let cases: [(&str, Option<usize>); 9] = [
            (r#"{"a": "}", "b": [1, {"c": "\"]"}]} tail"#, Some(34)),
            (r#""a\\" tail"#, Some(5)),
            (r#""a\" tail"#, None),
            ("[[], {}], 1", Some(8)),
            ("123, 4", Some(3)),
            ("true]", Some(4)),
            ("-1.5e3", None),
            (r#"{"a": 1"#, None),
            (",", Some(1)),
        ];
        for (text, expected) in cases {
            let bytes = text.as_bytes();
            assert_eq!(extent(bytes, bytes[0], false), expected, "{text}");
        }
        assert_eq!(extent(b"-1.5e3", b'-', true), Some(6));
    }

    /// `text` read `block` bytes at a time, from a reader that gives at
    /// most three bytes a read.
    fn read(text: &str, block: usize) -> std::result::Result<KnowledgeGraph, String> {
        read_in_blocks(Path::new("g.json"), &mut Trickle(text.as_bytes(), 3), block)
            .map_err(|err| err.to_string())
    }

    const GRAPH: &str = r#"{
  "edges": [],
  "extra": {"any": ["thing", 1, null]},
  "documents": [
    {"id": "d\"1", "source": "a.jsonl", "date": null},
    {"id": "d2", "source": "a.jsonl", "date": "2020-10-09"}
  ],
  "nodes": [
    {"id": "person:a", "label": "A", "type": "person",
     "mentions": [{"document": "d2", "start": 0, "end": 1, "text": "A", "sentence": 0}]}
  ]
}
"#;

    #[test]
    fn a_graph_is_read_whatever_the_blocks_cut() {
        // Small blocks cut every key and element somewhere.
        for step in [1, 2, 3, 7, 64, 1 << 20] {
            let graph = read(GRAPH, step).unwrap();
            let ids: Vec<&str> = graph.documents().iter().map(|d| &*d.id).collect();
            assert_eq!(ids, ["d\"1", "d2"], "{step}");
            let node = graph.node("person:a").unwrap();
            assert_eq!(&*node.mentions[0].text, "A");
            assert_eq!(graph.edge_count(), 0);
            assert!(graph.interactions().is_empty());
        }
    }

    /// An error in an element reads as `serde_json`'s for the whole file;
    /// the others say the same things at about the same places (a column
    /// or two apart where serde_json's comes from deeper in its parser).
    #[test]
    fn errors_say_where_as_serde_json_does() {
        let bad = GRAPH.replace(r#""start": 0"#, r#""start": -4"#);
        let whole = serde_json::from_str::<crate::export::GraphFile>(&bad).unwrap_err();
        assert_eq!(
            read(&bad, 3).unwrap_err(),
            format!("g.json:{}: not a newsgraph graph: {whole}", whole.line())
        );
        let errors = [
            (
                GRAPH.replace(r#""start": 0"#, r#""start": -4"#),
                "g.json:10: not a newsgraph graph: invalid value: integer `-4`, expected u32 at line 10 column 48",
            ),
            (
                GRAPH.replace("\"edges\": [],", "\"edges\": [],\n  \"edges\": [],"),
                "g.json:3: not a newsgraph graph: duplicate field `edges` at line 3 column 9",
            ),
            (
                GRAPH.replace("\"edges\": [],", ""),
                "g.json:12: not a newsgraph graph: missing field `edges` at line 12 column 1",
            ),
            (
                GRAPH.replace("\"d2\", \"source\"", "\"d2\" \"source\""),
                "g.json:6: not a newsgraph graph: expected `,` or `}` at line 6 column 17",
            ),
            (
                GRAPH.replace("}\n]\n}", "").replace("  ]\n}\n", ""),
                "g.json:11: not a newsgraph graph: EOF while parsing a list at line 11 column 1",
            ),
            (
                format!("{GRAPH} x"),
                "g.json:13: not a newsgraph graph: trailing characters at line 13 column 2",
            ),
            (
                "[]".to_string(),
                "g.json:1: not a newsgraph graph: invalid type: expected a graph object at line 1 column 1",
            ),
            (
                GRAPH.replace("\"nodes\": [", "\"nodes\": 3, \"x\": ["),
                "g.json:8: not a newsgraph graph: invalid type: expected a sequence at line 8 column 12",
            ),
        ];
        for (text, expected) in errors {
            for step in [1, 5, 1 << 20] {
                assert_eq!(read(&text, step).err().as_deref(), Some(expected), "{step}");
            }
        }
    }

    /// A graph as the command writes it (mentions, co-mentions, an
    /// interaction with its date and place) reads back to the same bytes
    /// in any block size.
    #[test]
    fn a_written_graph_reads_back_the_same_in_any_block() {
        let json = written("");
        let graph = read(&json, BLOCK).unwrap();
        let dated_and_placed = |i: &Interaction| i.date.is_some() && i.place.is_some();
        assert!(graph.interactions().iter().any(dated_and_placed));
        for block in (1..80).chain([4096, BLOCK]) {
            let again = read(&json, block).unwrap_or_else(|err| panic!("{block}: {err}"));
            let mut rewritten = Vec::new();
            crate::export::write(&again, crate::export::Format::Json, &mut rewritten).unwrap();
            assert_eq!(String::from_utf8(rewritten).unwrap(), json, "{block}");
        }
    }

    /// Any JSON value, as a generator for the scanner's property test.
    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "[\"\\\\a-zé{}\\[\\]:, \n\t\u{1}]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[\"{}a-z]{0,4}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Written compact or pretty, any value is found to end where it
        /// ends, whatever follows it, and no cut of it is taken for a whole
        /// value.
        #[test]
        fn any_value_is_delimited_where_it_ends(
            value in json_value(),
            pretty: bool,
            tail in proptest::sample::select(vec![",", "]", "}", " ,", "\n  ]"]),
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let bytes = format!("{text}{tail}").into_bytes();
            proptest::prop_assert_eq!(extent(&bytes, bytes[0], false), Some(text.len()));
            for cut in 1..text.len() {
                proptest::prop_assert_eq!(extent(&bytes[..cut], bytes[0], false), None, "{}", cut);
            }
        }
    }

    /// The JSON of a graph of a few articles with mentions, co-mentions
    /// and interactions (one with its date and place), its document ids
    /// starting with `prefix`.
    fn written(prefix: &str) -> String {
        use crate::{Document, Extractor, Gazetteer};
        let extractor = Extractor::new(Gazetteer::builtin());
        let mut builder = GraphBuilder::new();
        // Strings to escape in a text and in a source.
        for (id, text) in [
            (
                "a",
                " date 2020-10-09 Putin traf Erdoğan am Freitag in Sotschi. \"Gut\", sagte er.",
            ),
            (
                "b",
                "Lawrow telefonierte mit Cavusoglu über Bergkarabach. Putin schwieg.",
            ),
        ] {
            let id = format!("{prefix}{id}");
            let document = Document::from_text(id, "a\\b.jsonl", text.to_string());
            builder.add(extractor.analyze(&document)).unwrap();
        }
        let mut json = Vec::new();
        crate::export::write(&builder.finish(), crate::export::Format::Json, &mut json).unwrap();
        String::from_utf8(json).unwrap()
    }

    /// The graph's lists in another order, as a hand-made file may have
    /// them.
    fn reordered(json: &str, order: [&str; 4]) -> String {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let lists: Vec<String> = order
            .iter()
            .map(|key| format!("{key:?}: {}", value[key]))
            .collect();
        format!("{{{}}}", lists.join(", "))
    }

    /// Merged as it is read, in any block size and any order of its lists,
    /// a graph file gives what reading it whole and adding it gives.
    #[test]
    fn a_graph_merged_as_read_is_the_graph_read_then_added() {
        let [first, second] = [written("x-"), written("y-")];
        let expected = {
            let mut builder = GraphBuilder::new();
            for json in [&first, &second] {
                builder.add_graph(read(json, 1 << 20).unwrap()).unwrap();
            }
            let mut out = Vec::new();
            crate::export::write(&builder.finish(), crate::export::Format::Json, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let orders = [
            ["documents", "nodes", "edges", "interactions"],
            ["interactions", "edges", "nodes", "documents"],
            ["nodes", "documents", "interactions", "edges"],
            ["edges", "documents", "nodes", "interactions"],
        ];
        for order in orders {
            for block in [1, 7, 300, 1 << 20] {
                let mut builder = GraphBuilder::new();
                for json in [&first, &second] {
                    let text = reordered(json, order);
                    let mut reader = Trickle(text.as_bytes(), 5);
                    merge_in_blocks(&mut builder, Path::new("g.json"), &mut reader, block).unwrap();
                }
                let mut out = Vec::new();
                crate::export::write(&builder.finish(), crate::export::Format::Json, &mut out)
                    .unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    expected,
                    "{order:?} {block}"
                );
            }
        }
    }

    /// What reading a graph whole refuses, merging it as it is read refuses
    /// too, naming the file.
    #[test]
    fn a_graph_merged_as_read_is_checked_as_one_read_whole() {
        let json = written("x-");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let node = value["nodes"][0]["id"].as_str().unwrap().to_string();
        let twice = json.replacen(
            "\"nodes\": [",
            &format!("\"nodes\": [{},", value["nodes"][0]),
            1,
        );
        let unknown = json.replace(
            &format!("\"source\": \"{node}\""),
            "\"source\": \"place:nirgendwo\"",
        );
        assert_ne!(unknown, json);
        let merge = |text: &str, builder: &mut GraphBuilder| {
            merge_in_blocks(builder, Path::new("g.json"), &mut text.as_bytes(), 64)
                .map_err(|err| err.to_string())
        };
        assert_eq!(
            merge(&twice, &mut GraphBuilder::new()).unwrap_err(),
            format!("g.json: node {node:?} appears twice")
        );
        assert_eq!(
            merge(&unknown, &mut GraphBuilder::new()).unwrap_err(),
            "g.json: edge names unknown node \"place:nirgendwo\""
        );
        let mut builder = GraphBuilder::new();
        merge(&json, &mut builder).unwrap();
        assert_eq!(
            merge(&json, &mut builder).unwrap_err(),
            "g.json: document \"x-a\" is in two graphs"
        );
        for bad in [twice, unknown] {
            assert!(read(&bad, 64).is_err());
        }
    }
}

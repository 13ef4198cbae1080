//! Reading a graph's JSON a block at a time.
//!
//! A graph with mention-level provenance is about as large as its corpus,
//! and `merge` reads several. Holding a whole file's text while parsing it
//! took more memory than the graph it holds (two 500 MB halves of a graph
//! merged in a peak of 900 MB), so the file is read in blocks: the top
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
use crate::graph::{ArcStr, DocumentRecord, Edge, KnowledgeGraph, Node};
use crate::interaction::Interaction;

/// Bytes read at a time.
const BLOCK: usize = 8 << 20;

/// Reads a graph written by `extract --format json` from `reader`
/// (`path` names it in errors), a block at a time.
///
/// # Errors
/// The input cannot be read, is not JSON of the expected shape, or names
/// nodes it does not hold.
pub fn read_json_from(path: &Path, reader: &mut (dyn Read + Send)) -> Result<KnowledgeGraph> {
    read_in_blocks(path, reader, BLOCK)
}

/// [`read_json_from`], reading `block` bytes at a time.
fn read_in_blocks(
    path: &Path,
    reader: &mut (dyn Read + Send),
    block: usize,
) -> Result<KnowledgeGraph> {
    let mut scanner = Scanner {
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
    };
    let parts = scanner.graph()?;
    KnowledgeGraph::from_parts(parts.0, parts.1, parts.2, parts.3)
        .map_err(|err| err.at(Location::file(path)))
}

/// A graph's lists, as [`KnowledgeGraph::from_parts`] takes them.
type Parts = (Vec<DocumentRecord>, Vec<Node>, Vec<Edge>, Vec<Interaction>);

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
    fn graph(&mut self) -> Result<Parts> {
        let mut documents = None;
        let mut nodes = None;
        let mut edges = None;
        let mut interactions = None;
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
            match key.as_str() {
                "documents" => {
                    self.list_once(&key, key_end, &mut documents)?;
                    let records: &[DocumentRecord] = documents.as_deref().unwrap_or_default();
                    self.ids = Some(records.iter().map(|d| ArcStr::clone(&d.id)).collect());
                }
                "nodes" => self.list_once(&key, key_end, &mut nodes)?,
                "edges" => self.list_once(&key, key_end, &mut edges)?,
                "interactions" => self.list_once(&key, key_end, &mut interactions)?,
                _ => self.skip_value()?,
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
        let missing =
            |name: &str| self.error_at(&format!("missing field `{name}`"), closing.0, closing.1);
        Ok((
            documents.ok_or_else(|| missing("documents"))?,
            nodes.ok_or_else(|| missing("nodes"))?,
            edges.ok_or_else(|| missing("edges"))?,
            interactions.unwrap_or_default(),
        ))
    }

    /// The list of key `key` into `slot`, which must be empty.
    fn list_once<T: DeserializeOwned + Send + DocumentIds>(
        &mut self,
        key: &str,
        (line, column): (usize, usize),
        slot: &mut Option<Vec<T>>,
    ) -> Result<()> {
        if slot.is_some() {
            return Err(self.error_at(&format!("duplicate field `{key}`"), line, column));
        }
        *slot = Some(self.list()?);
        Ok(())
    }

    /// A list of elements, each parsed on its own: the complete elements
    /// of each block on every core.
    fn list<T: DeserializeOwned + Send + DocumentIds>(&mut self) -> Result<Vec<T>> {
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
        // Each block's elements are parsed (on every core) while the next
        // block is read and its elements found.
        let mut scanned = self.elements();
        loop {
            let (elements, closed) = scanned?;
            if closed {
                let parsed = parse(&self.buffer, &elements, self.ids.as_ref());
                self.collect(&elements, parsed, &mut items)?;
                return Ok(items);
            }
            let block = self.detach();
            let ids = self.ids.take();
            let (parsed, next) = rayon::join(
                || parse::<T>(&block, &elements, ids.as_ref()),
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
            self.collect(&elements, parsed, &mut items)?;
            scanned = next;
        }
    }

    /// The elements of the list complete in the bytes read, and whether
    /// the list's end was passed.
    fn elements(&mut self) -> Result<(Vec<Element>, bool)> {
        let mut elements = Vec::new();
        while let Some(first) = self.peek_here() {
            let Some(length) = extent(&self.buffer[self.at..self.end], first, self.done) else {
                break;
            };
            elements.push(Element {
                start: self.at,
                end: self.at + length,
                line: self.line,
                column: self.column,
            });
            self.advance(length);
            match self.peek_here() {
                Some(b',') => self.advance(1),
                Some(b']') => {
                    self.advance(1);
                    return Ok((elements, true));
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
                None => break,
            }
        }
        Ok((elements, false))
    }

    /// Appends the parsed elements to `items`; the first error, placed in
    /// the file.
    fn collect<T>(
        &self,
        elements: &[Element],
        parsed: Vec<std::result::Result<T, serde_json::Error>>,
        items: &mut Vec<T>,
    ) -> Result<()> {
        items.reserve(parsed.len());
        for (element, item) in elements.iter().zip(parsed) {
            items.push(item.map_err(|err| self.element_error(element, &err))?);
        }
        Ok(())
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
                let key = serde_json::from_slice(&self.buffer[self.at..self.at + length]).map_err(
                    |err| {
                        let element = Element {
                            start: self.at,
                            end: self.at + length,
                            line: self.line,
                            column: self.column,
                        };
                        self.element_error(&element, &err)
                    },
                )?;
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
                    let element = Element {
                        start: self.at,
                        end: self.at + length,
                        line: self.line,
                        column: self.column,
                    };
                    return Err(self.element_error(&element, &err));
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
        use crate::{Document, Extractor, Gazetteer, GraphBuilder};
        let extractor = Extractor::new(Gazetteer::builtin());
        let mut builder = GraphBuilder::new();
        for (id, text) in [
            (
                "a",
                " date 2020-10-09 Putin traf Erdoğan am Freitag in Sotschi. \"Gut\", sagte er.",
            ),
            ("b", "Lawrow telefonierte mit Cavusoglu über Bergkarabach."),
        ] {
            let document = Document::from_text(id, "a\\b.jsonl", text.to_string());
            builder.add(extractor.analyze(&document)).unwrap();
        }
        let graph = builder.finish();
        assert!(!graph.interactions().is_empty());
        let mut json = Vec::new();
        crate::export::write(&graph, crate::export::Format::Json, &mut json).unwrap();
        let json = String::from_utf8(json).unwrap();
        for block in [1, 17, 4096, BLOCK] {
            let again = read(&json, block).unwrap();
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
}

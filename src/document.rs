//! Documents and the inputs they come from: text files, folders of `*.txt`,
//! JSONL files (one article a line: `id`, `text`, optional `date`) and
//! standard input.
//!
//! A document keeps its text exactly as read (a byte-order mark included),
//! so every reported offset points into the original input; [`Document::body`]
//! is the part that is analysed, after a BOM and the ` date YYYY-MM ` prefix.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::date::DateValue;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::span::Span;

/// One article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The document id: the file name without extension, or the JSONL `id`.
    pub id: String,
    /// Where it came from: the path as given (`-` for standard input).
    pub source: String,
    /// The JSONL line it came from, if any (1-based).
    pub line: Option<usize>,
    /// The publication or crawl date, from the date prefix or the JSONL `date`.
    pub date: Option<DateValue>,
    /// The text as read; offsets are into this string.
    pub text: String,
    /// The part of `text` that is analysed.
    pub body: Span,
    /// Problems that did not stop reading (a malformed date prefix).
    pub warnings: Vec<String>,
    /// For text decoded from another encoding: maps offsets in `text` back
    /// to byte offsets in the original input.
    pub offsets: Option<OffsetMap>,
}

impl Document {
    /// A document from raw text: skips a byte-order mark and reads an
    /// optional ` date YYYY[-MM[-DD]] ` prefix on the first line.
    pub fn from_text(id: impl Into<String>, source: impl Into<String>, text: String) -> Document {
        let mut start = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let mut date = None;
        let mut warnings = Vec::new();
        let rest = &text[start..];
        let after_space = rest.strip_prefix(' ').unwrap_or(rest);
        if let Some(after) = after_space.strip_prefix("date ") {
            let value_end = after.find(char::is_whitespace).unwrap_or(after.len());
            let value = &after[..value_end];
            let prefix_len = (rest.len() - after.len()) + value_end;
            match value.parse::<DateValue>() {
                Ok(parsed) if parsed.year.is_some() => date = Some(parsed),
                _ => warnings.push(format!(
                    "malformed date prefix {value:?} (expected YYYY, YYYY-MM or YYYY-MM-DD); read without a date"
                )),
            }
            start += prefix_len;
            // The single space after the date belongs to the prefix.
            if text[start..].starts_with(' ') {
                start += 1;
            }
        }
        let body = Span::new(start, text.len());
        Document {
            id: id.into(),
            source: source.into(),
            line: None,
            date,
            text,
            body,
            warnings,
            offsets: None,
        }
    }

    /// The byte offset in the original input of byte `offset` of `text`
    /// (the same number unless the input was decoded from another encoding).
    pub fn original(&self, offset: usize) -> usize {
        self.offsets
            .as_ref()
            .map_or(offset, |map| map.original(offset))
    }

    /// The string a span covers.
    pub fn text(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    /// Where this document came from, for messages: `path` or `path:line`.
    pub fn location(&self) -> Location {
        Location {
            path: PathBuf::from(&self.source),
            line: self.line,
        }
    }
}

/// One input named on the command line, after folders are expanded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A plain-text article.
    Text(PathBuf),
    /// A JSONL file of articles.
    Jsonl(PathBuf),
    /// Standard input (text, or JSONL when it starts with `{`).
    Stdin,
    /// A path that could not be read (missing, or a folder that cannot be
    /// listed): reported when its turn comes, without stopping the others.
    Failed {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl Input {
    /// The path, or `-` for standard input.
    pub fn path(&self) -> &Path {
        match self {
            Input::Text(path) | Input::Jsonl(path) | Input::Failed { path, .. } => path,
            Input::Stdin => Path::new("-"),
        }
    }
}

/// Expands paths into inputs: files as they are (`.jsonl` and `.ndjson` as
/// JSONL), folders into every `*.txt` below them in sorted order, `-` into
/// standard input. A path that does not exist, or a folder that cannot be
/// listed, becomes an [`Input::Failed`], reported when read.
///
/// # Errors
/// Never at present: unreadable paths are reported per input instead, so one
/// bad path does not stop a batch.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Err(err) => inputs.push(failed(path, &err)),
            Ok(metadata) if metadata.is_dir() => inputs.extend(walk(path)),
            Ok(_) if is_jsonl(path) => inputs.push(Input::Jsonl(path.clone())),
            Ok(_) => inputs.push(Input::Text(path.clone())),
        }
    }
    Ok(inputs)
}

fn failed(path: &Path, err: &std::io::Error) -> Input {
    Input::Failed {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "jsonl" || ext == "ndjson")
}

/// Every `*.txt` below `root`, sorted by path, following links but never
/// into a folder twice (a link loop ends), to any depth (no recursion); a
/// folder that cannot be listed becomes a failed input.
fn walk(root: &Path) -> Vec<Input> {
    let mut found: Vec<Input> = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        match fs::canonicalize(&dir) {
            Ok(canonical) => {
                if !visited.insert(canonical) {
                    continue;
                }
            }
            Err(err) => {
                found.push(failed(&dir, &err));
                continue;
            }
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                found.push(failed(&dir, &err));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(err) => {
                    found.push(failed(&dir, &err));
                    continue;
                }
            };
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "txt") && path.is_file() {
                // Regular files only: a FIFO or device named *.txt would block.
                found.push(Input::Text(path));
            }
        }
    }
    found.sort_by(|a, b| a.path().cmp(b.path()));
    found
}

/// How input bytes become text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8; a UTF-16 file is recognized by its byte-order mark.
    #[default]
    Utf8,
    /// Windows-1252 (the usual "ANSI" of German Windows; a superset of
    /// Latin-1 for printable text).
    Windows1252,
    /// ISO-8859-1.
    Latin1,
    /// UTF-16, little-endian unless a byte-order mark says otherwise.
    Utf16,
}

impl std::str::FromStr for Encoding {
    type Err = Error;

    fn from_str(text: &str) -> Result<Encoding> {
        match text.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
            "latin1" | "latin-1" | "iso-8859-1" => Ok(Encoding::Latin1),
            "utf-16" | "utf16" | "utf-16le" => Ok(Encoding::Utf16),
            _ => Err(Error::new(ErrorKind::Invalid(format!(
                "unknown encoding {text:?} (expected utf-8, windows-1252, latin1 or utf-16)"
            )))),
        }
    }
}

/// Options for reading inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// How text files are decoded (JSONL is always UTF-8).
    pub encoding: Encoding,
}

/// Maps byte offsets of decoded text back to the original input's bytes.
///
/// Stored as runs of characters that have the same length in both: within
/// a run, offsets scale by a fixed ratio, so the map stays small for text
/// that is mostly ASCII.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// (decoded start, original start, decoded char length, original char length).
    runs: Vec<(usize, usize, usize, usize)>,
    decoded_len: usize,
    original_len: usize,
}

impl OffsetMap {
    fn push(&mut self, decoded_len: usize, original_len: usize) {
        match self.runs.last() {
            Some(&(_, _, d, o)) if d == decoded_len && o == original_len => {}
            _ => self.runs.push((
                self.decoded_len,
                self.original_len,
                decoded_len,
                original_len,
            )),
        }
        self.decoded_len += decoded_len;
        self.original_len += original_len;
    }

    /// The original byte offset of decoded byte `offset` (on a char boundary).
    pub fn original(&self, offset: usize) -> usize {
        if offset >= self.decoded_len {
            return self.original_len;
        }
        let index = self.runs.partition_point(|run| run.0 <= offset) - 1;
        let (decoded, original, d, o) = self.runs[index];
        original + (offset - decoded) / d * o
    }
}

/// Reads the documents of one input, handing each (or its error) to `each`
/// as soon as it is read: a JSONL file is streamed line by line, and a bad
/// line does not stop the lines after it.
pub fn read_input(input: &Input, mut each: impl FnMut(Result<Document>)) {
    read_input_with(input, &ReadOptions::default(), &mut each)
}

/// The longest document read, in bytes of the input: a graph keeps a
/// mention's offsets as `u32` ([`crate::graph::MentionRecord`]).
pub const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize;

/// The document, or an error naming it when it is longer than `limit`
/// bytes of the input.
fn within(document: Document, limit: usize) -> Result<Document> {
    let length = document.original(document.text.len());
    if length > limit {
        return Err(Error::new(ErrorKind::Invalid(format!(
            "a document of {length} bytes, longer than the {limit} a graph's offsets hold; skipped (split it)"
        )))
        .at(document.location()));
    }
    Ok(document)
}

/// Like [`read_input`], with decoding options.
pub fn read_input_with(
    input: &Input,
    options: &ReadOptions,
    each: &mut dyn FnMut(Result<Document>),
) {
    let each = &mut |read: Result<Document>| {
        each(read.and_then(|document| within(document, MAX_DOCUMENT_BYTES)))
    };
    match input {
        Input::Failed { path, message } => each(Err(Error::new(ErrorKind::Invalid(
            message.clone(),
        ))
        .at(Location::file(path)))),
        Input::Text(path) => each(read_text_file(path, options)),
        Input::Jsonl(path) => match fs::File::open(path) {
            Ok(file) => read_jsonl(path, BufReader::with_capacity(READ_BUFFER, file), each),
            Err(err) => each(Err(Error::io(path, err))),
        },
        Input::Stdin => {
            let path = Path::new("-");
            let mut stdin = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
            // JSONL is streamed line by line; anything else is one article.
            // White space skipped while looking is kept for the article, so
            // its offsets stay those of the input.
            let mut bytes = Vec::new();
            let first = loop {
                match stdin.fill_buf() {
                    Ok([]) => break None,
                    Ok(buffer) => match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
                        Some(at) => break Some(buffer[at]),
                        None => {
                            let length = buffer.len();
                            bytes.extend_from_slice(buffer);
                            stdin.consume(length);
                        }
                    },
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(err) => return each(Err(Error::io(path, err))),
                }
            };
            if first == Some(b'{') {
                read_jsonl(path, stdin, each);
            } else {
                if let Err(err) = stdin.read_to_end(&mut bytes) {
                    return each(Err(Error::io(path, err)));
                }
                each(decode(path, bytes, options).map(|(text, offsets)| {
                    let mut document = Document::from_text("stdin", "-", text);
                    document.offsets = offsets;
                    document
                }));
            }
        }
    }
}

fn read_text_file(path: &Path, options: &ReadOptions) -> Result<Document> {
    let bytes = fs::read(path).map_err(|err| Error::io(path, err))?;
    let (text, offsets) = decode(path, bytes, options)?;
    let id = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut document = Document::from_text(id, path.display().to_string(), text);
    document.offsets = offsets;
    Ok(document)
}

/// Decodes an input file: UTF-8 (with or without BOM), UTF-16 by its BOM,
/// or the legacy encoding asked for. Binary files are refused.
fn decode(
    path: &Path,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<(String, Option<OffsetMap>)> {
    let at = || Location::file(path);
    let utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if options.encoding == Encoding::Utf16 || utf16_bom {
        return Ok(decode_utf16(&bytes));
    }
    if let Some(offset) = binary_offset(&bytes) {
        return Err(Error::new(ErrorKind::Invalid(format!(
            "binary file (NUL byte at offset {offset}), not a text article; skipped"
        )))
        .at(at()));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(Error::new(ErrorKind::Invalid(
            "a PDF file, not a text article; skipped (extract its text first)".to_string(),
        ))
        .at(at()));
    }
    match options.encoding {
        Encoding::Utf8 | Encoding::Utf16 => String::from_utf8(bytes)
            .map(|text| (text, None))
            .map_err(|err| {
                let offset = err.utf8_error().valid_up_to();
                Error::new(ErrorKind::InvalidUtf8 { offset }).at(at())
            }),
        Encoding::Windows1252 | Encoding::Latin1 => {
            Ok(decode_single_byte(&bytes, options.encoding))
        }
    }
}

/// The offset of the first NUL byte in the first 64 KiB, the mark of a binary file.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    bytes.iter().take(64 << 10).position(|&b| b == 0)
}

fn decode_single_byte(bytes: &[u8], encoding: Encoding) -> (String, Option<OffsetMap>) {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut map = OffsetMap::default();
    for &byte in bytes {
        let c = if encoding == Encoding::Latin1 {
            char::from(byte)
        } else {
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(std::slice::from_ref(&byte));
            decoded.chars().next().unwrap_or('\u{FFFD}')
        };
        text.push(c);
        map.push(c.len_utf8(), 1);
    }
    (text, Some(map))
}

fn decode_utf16(bytes: &[u8]) -> (String, Option<OffsetMap>) {
    let big_endian = bytes.starts_with(&[0xFE, 0xFF]);
    let start = if bytes.starts_with(&[0xFF, 0xFE]) || big_endian {
        2
    } else {
        0
    };
    let units = bytes[start..].chunks(2).map(|pair| {
        let pair = [pair[0], *pair.get(1).unwrap_or(&0)];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut map = OffsetMap {
        runs: Vec::new(),
        decoded_len: 0,
        original_len: start,
    };
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or('\u{FFFD}');
        text.push(c);
        map.push(c.len_utf8(), c.len_utf16() * 2);
    }
    (text, Some(map))
}

/// One JSONL article line.
#[derive(serde::Deserialize)]
struct ArticleLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    date: Option<String>,
}

/// How much of a JSONL file is read at once.
const READ_BUFFER: usize = 256 << 10;

/// A line buffer grown past this is let go after its line.
const LONG_LINE: usize = 16 << 20;

/// `BufRead::read_until(b'\n', buffer)`, with memchr's SIMD search for the
/// line end (the standard library's is a byte-wise one, a tenth of the
/// reading thread's work on long lines).
fn read_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let (done, used) = {
            let available = match reader.fill_buf() {
                Ok(available) => available,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            match memchr::memchr(b'\n', available) {
                Some(at) => {
                    buffer.extend_from_slice(&available[..=at]);
                    (true, at + 1)
                }
                None => {
                    buffer.extend_from_slice(available);
                    (available.is_empty(), available.len())
                }
            }
        };
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

fn read_jsonl(path: &Path, mut reader: impl BufRead, each: &mut dyn FnMut(Result<Document>)) {
    let source = path.display().to_string();
    // One buffer for every line: no allocation per line.
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        let at = || Location::line(path, number);
        buffer.clear();
        if buffer.capacity() > LONG_LINE {
            // Not kept for the rest of the file after one enormous line.
            buffer = Vec::new();
        }
        match read_line(&mut reader, &mut buffer) {
            Ok(0) => return,
            Ok(_) => {}
            Err(err) => return each(Err(Error::new(ErrorKind::Io(err)).at(at()))),
        }
        let bytes = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
        // The fast check first; the standard one says where a bad line goes wrong.
        let line = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
            Ok(line) => line,
            Err(err) => {
                let offset = err.valid_up_to();
                each(Err(Error::new(ErrorKind::InvalidUtf8 { offset }).at(at())));
                continue;
            }
        };
        let line = line.trim_end_matches('\r');
        let line = if number == 1 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        // The common shape of a line read straight; any other by serde_json.
        let fast = crate::jsonl::read(line).map(|article| ArticleLine {
            id: serde_json::Value::String(article.id),
            text: article.text,
            date: article.date,
        });
        let article: ArticleLine = match fast.map_or_else(|| serde_json::from_str(line), Ok) {
            Ok(article) => article,
            Err(err) => {
                let message =
                    format!("not an article (expected {{\"id\", \"text\", \"date\"}}): {err}");
                each(Err(Error::new(ErrorKind::Json(message)).at(at())));
                continue;
            }
        };
        let id = match article.id {
            serde_json::Value::String(id) if !id.is_empty() => id,
            serde_json::Value::Number(number) => number.to_string(),
            other => {
                let message = format!("bad article id {other} (expected a non-empty string)");
                each(Err(Error::new(ErrorKind::Json(message)).at(at())));
                continue;
            }
        };
        let mut document = Document::from_text(id, source.clone(), article.text);
        document.line = Some(number);
        if let Some(date) = article.date.filter(|d| !d.is_empty()) {
            match parse_document_date(&date) {
                Some(value) => document.date = Some(value),
                None => document.warnings.push(format!(
                    "malformed date {date:?} (expected YYYY, YYYY-MM or YYYY-MM-DD); read without a date"
                )),
            }
        }
        each(Ok(document));
    }
}

/// A document date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a timestamp starting
/// with a date (`2020-10-14T08:00:00Z`).
pub fn parse_document_date(text: &str) -> Option<DateValue> {
    let head = text.split(['T', ' ']).next().unwrap_or(text);
    head.parse::<DateValue>()
        .ok()
        .filter(|value| value.year.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines read as `read_until` reads them, whatever the buffer's size
    /// and wherever a read is interrupted.
    #[test]
    fn lines_are_read_as_read_until_reads_them() {
        use std::io::{BufReader, Read};
        /// Gives its bytes a few at a time, interrupted before every other read.
        struct Choppy<'a> {
            bytes: &'a [u8],
            interrupt: bool,
        }
        impl Read for Choppy<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                self.interrupt = !self.interrupt;
                if self.interrupt {
                    return Err(std::io::ErrorKind::Interrupted.into());
                }
                let n = out.len().min(self.bytes.len()).min(5);
                out[..n].copy_from_slice(&self.bytes[..n]);
                self.bytes = &self.bytes[n..];
                Ok(n)
            }
        }
        let lines = |text: &[u8], capacity: usize, ours: bool| {
            let mut reader = BufReader::with_capacity(
                capacity,
                Choppy {
                    bytes: text,
                    interrupt: false,
                },
            );
            let mut all = Vec::new();
            loop {
                let mut buffer = Vec::new();
                let read = if ours {
                    read_line(&mut reader, &mut buffer)
                } else {
                    reader.read_until(b'\n', &mut buffer)
                };
                let read = read.expect("no error but interruptions");
                assert_eq!(read, buffer.len());
                if read == 0 {
                    return all;
                }
                all.push(buffer);
            }
        };
        for text in [
            &b""[..],
            b"\n",
            b"a",
            b"one\ntwo\n\nthree",
            b"a line longer than any buffer here\nand another one without its end",
            "ä\u{1F600}\r\n{\"id\": 1}\n".as_bytes(),
        ] {
            for capacity in [1, 2, 3, 7, 64] {
                assert_eq!(
                    lines(text, capacity, true),
                    lines(text, capacity, false),
                    "{text:?} {capacity}"
                );
            }
        }
    }

    #[test]
    fn date_prefix_is_metadata() {
        let text = " date 2020-10 Die Staatschefs".to_string();
        let document = Document::from_text("a", "a.txt", text);
        assert_eq!(document.date.unwrap().to_string(), "2020-10");
        assert_eq!(document.text(document.body), "Die Staatschefs");
        assert!(document.warnings.is_empty());
    }

    #[test]
    fn malformed_prefix_is_a_warning() {
        let document = Document::from_text("a", "a.txt", " date 2020-13 Die".to_string());
        assert_eq!(document.date, None);
        assert_eq!(document.text(document.body), "Die");
        assert_eq!(document.warnings.len(), 1);
    }

    /// A document longer than a graph's offsets hold is refused by name and
    /// line, measured in bytes of the input (here Latin-1: one byte a
    /// letter, two once decoded).
    #[test]
    fn documents_too_long_for_the_offsets_are_refused() {
        let (text, offsets) = decode(
            Path::new("a.txt"),
            b"\xe4\xe4\xe4\xe4".to_vec(),
            &ReadOptions {
                encoding: Encoding::Latin1,
            },
        )
        .unwrap();
        let mut document = Document::from_text("a", "corpus.jsonl", text);
        document.offsets = offsets;
        document.line = Some(7);
        assert_eq!(document.text.len(), 8);
        let kept = within(document.clone(), 4).unwrap();
        assert_eq!(kept.text, "ääää");
        let err = within(document, 3).unwrap_err().to_string();
        assert!(err.starts_with("corpus.jsonl:7: "), "{err}");
        assert!(
            err.contains("a document of 4 bytes, longer than the 3"),
            "{err}"
        );
    }

    #[test]
    fn bom_is_skipped_but_offsets_stay_original() {
        let document = Document::from_text("a", "a.txt", "\u{feff}Putin".to_string());
        assert_eq!(document.body, Span::new(3, 8));
        assert_eq!(document.text(document.body), "Putin");
    }

    #[test]
    fn legacy_encodings_keep_original_offsets() {
        let bytes = b"Gr\xfc\xdfe an Erdo\xf0an".to_vec();
        let options = ReadOptions {
            encoding: Encoding::Latin1,
        };
        let (text, map) = decode(Path::new("a.txt"), bytes, &options).unwrap();
        let map = map.unwrap();
        assert_eq!(text, "Grüße an Erdoðan");
        let start = text.find("Erdo").unwrap();
        assert_eq!(map.original(start), 9);
        assert_eq!(map.original(text.len()), 16);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Putin traf Erdoğan".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (text, map) = decode(Path::new("a.txt"), bytes, &ReadOptions::default()).unwrap();
        assert_eq!(text, "Putin traf Erdoğan");
        let map = map.unwrap();
        assert_eq!(map.original(0), 2);
        assert_eq!(map.original(text.find("Erdo").unwrap()), 2 + 11 * 2);
    }

    #[test]
    fn binary_files_are_refused() {
        let err = decode(
            Path::new("a.png"),
            b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.png: binary file (NUL byte at offset 8), not a text article; skipped"
        );
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = decode(
            Path::new("a.txt"),
            b"ab\xfcc".to_vec(),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.txt: invalid UTF-8 at byte 2");
    }

    #[test]
    fn no_prefix_means_whole_text() {
        let document = Document::from_text("a", "a.txt", "dated text".to_string());
        assert_eq!(document.body, Span::new(0, 10));
        assert_eq!(document.date, None);
    }

    /// A JSONL line is checked for UTF-8 as the standard library checks
    /// it, whatever its bytes, and a bad one names the first bad byte.
    #[quickcheck_macros::quickcheck]
    fn jsonl_lines_are_checked_for_utf8_as_std_checks_them(picks: Vec<u8>) -> bool {
        const PIECES: &[&[u8]] = &[
            b"a",
            b" ",
            "ä".as_bytes(),
            "\u{1F600}".as_bytes(),
            b"\xff",
            b"\xc3",
            b"\xe2\x82",
            b"\x80",
            b"Putin traf Erdogan",
        ];
        let mut line = b"{\"id\": \"a\", \"text\": \"".to_vec();
        for &pick in &picks {
            line.extend_from_slice(PIECES[usize::from(pick) % PIECES.len()]);
        }
        line.extend_from_slice(b"\"}\n");
        let mut results = Vec::new();
        read_jsonl(Path::new("in.jsonl"), line.as_slice(), &mut |r| {
            results.push(r)
        });
        let content = &line[..line.len() - 1];
        match (std::str::from_utf8(content), results.as_slice()) {
            (Ok(_), [Ok(document)]) => document.id == "a",
            (Err(err), [Err(found)]) => {
                matches!(found.kind(), ErrorKind::InvalidUtf8 { offset } if *offset == err.valid_up_to())
            }
            _ => false,
        }
    }

    #[test]
    fn jsonl_bad_lines_do_not_stop_good_ones() {
        let data = "{\"id\": \"a\", \"text\": \"Putin\"}\nnot json\n\n{\"id\": \"b\", \"text\": \"x\", \"date\": \"2020-10-14\"}\n{\"text\": \"x\"}\n";
        let mut results = Vec::new();
        read_jsonl(Path::new("in.jsonl"), data.as_bytes(), &mut |r| {
            results.push(r)
        });
        let summary: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(doc) => format!("{} {:?}", doc.id, doc.date.map(|d| d.to_string())),
                Err(err) => err
                    .to_string()
                    .split(':')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(":"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "a None",
                "in.jsonl:2",
                "b Some(\"2020-10-14\")",
                "in.jsonl:5"
            ]
        );
    }
}

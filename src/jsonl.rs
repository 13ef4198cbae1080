//! The common shape of a JSONL article line, read without a general JSON
//! parser: one object whose keys are plain strings and whose values are
//! strings (or `null` for `date`).
//!
//! Nearly every line of a news archive is such an object, and most of its
//! bytes are the article's text: here the text is found with a SIMD search
//! for the next quote or backslash and copied into its string run by run,
//! once (serde_json scans it eight bytes at a time and copies it twice,
//! through a scratch buffer, when it holds an escape). A line of any
//! other shape (a number as id, a nested value, an escaped key, a
//! duplicate field, anything invalid) gets `None`, and the caller reads it
//! with `serde_json`, which also says where a bad line goes wrong; so what
//! a line reads as never depends on which of the two read it.

/// The fields of an article line this reader takes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Article {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) date: Option<String>,
}

/// The article of `line` (a whole line, without its line end), or `None`
/// when the line is not of the common shape.
pub(crate) fn read(line: &str) -> Option<Article> {
    let mut reader = Reader {
        line,
        bytes: line.as_bytes(),
        at: 0,
    };
    let (mut id, mut text, mut date) = (None, None, None);
    reader.skip_space();
    reader.expect(b'{')?;
    reader.skip_space();
    if reader.peek()? == b'}' {
        return None;
    }
    loop {
        let key = reader.plain_key()?;
        reader.skip_space();
        reader.expect(b':')?;
        reader.skip_space();
        match key {
            Key::Id if id.is_none() => id = Some(reader.string()?),
            Key::Text if text.is_none() => text = Some(reader.string()?),
            Key::Date if date.is_none() => {
                date = Some(if reader.literal(b"null") {
                    None
                } else {
                    Some(reader.string()?)
                });
            }
            // A field given twice is an error `serde_json` reports.
            Key::Id | Key::Text | Key::Date => return None,
            // Another field's value, read as a string and dropped (it
            // must be one, and valid).
            Key::Other => drop(reader.string()?),
        }
        reader.skip_space();
        match reader.next()? {
            b',' => reader.skip_space(),
            b'}' => break,
            _ => return None,
        }
    }
    reader.skip_space();
    if reader.at != reader.bytes.len() {
        return None;
    }
    Some(Article {
        id: id?,
        text: text?,
        date: date.flatten(),
    })
}

/// The key of a field.
enum Key {
    Id,
    Text,
    Date,
    Other,
}

/// A position in a line.
struct Reader<'a> {
    line: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// Passes over JSON's white space: space, tab, line feed, return.
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// True (and passed over) when `word` comes next.
    fn literal(&mut self, word: &[u8]) -> bool {
        let found = self.bytes[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// A key without escapes.
    fn plain_key(&mut self) -> Option<Key> {
        self.expect(b'"')?;
        let start = self.at;
        let end = start + memchr::memchr2(b'"', b'\\', &self.bytes[start..])?;
        let key = &self.bytes[start..end];
        if self.bytes[end] != b'"' || has_control(key) {
            return None;
        }
        self.at = end + 1;
        Some(match key {
            b"id" => Key::Id,
            b"text" => Key::Text,
            b"date" => Key::Date,
            _ => Key::Other,
        })
    }

    /// A string value, its escapes resolved.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            let end = start + memchr::memchr2(b'"', b'\\', &self.bytes[start..])?;
            // Cut at ASCII bytes: whole characters of the line.
            let run = self.line.get(start..end)?;
            if has_control(run.as_bytes()) {
                return None;
            }
            self.at = end + 1;
            if self.bytes[end] == b'"' {
                if out.is_empty() {
                    return Some(run.to_string());
                }
                out.push_str(run);
                return Some(out);
            }
            if out.is_empty() {
                // An escape: the rest of the string, unescaped, is at most
                // as long as it is written.
                out.reserve(memchr::memchr(b'"', &self.bytes[start..]).map_or(0, |n| n + 16));
            }
            out.push_str(run);
            self.escape(&mut out)?;
        }
    }

    /// The escape after a backslash, appended to `out` as UTF-8; `None`
    /// for one JSON does not have, or a surrogate (left to `serde_json`).
    fn escape(&mut self, out: &mut String) -> Option<()> {
        let plain = match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let digits = self.bytes.get(self.at..self.at + 4)?;
                let mut code = 0u32;
                for &digit in digits {
                    code = code * 16 + char::from(digit).to_digit(16)?;
                }
                self.at += 4;
                char::from_u32(code)?
            }
            _ => return None,
        };
        out.push(plain);
        Some(())
    }
}

/// True when `run` holds a control character, which a JSON string must
/// escape.
fn has_control(run: &[u8]) -> bool {
    // No early exit: the test runs on whole vectors of bytes.
    run.iter().fold(false, |found, &byte| found | (byte < 0x20))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_json` reads from a line, in the same fields.
    fn by_serde(line: &str) -> Option<Article> {
        #[derive(serde::Deserialize)]
        struct Line {
            id: serde_json::Value,
            text: String,
            #[serde(default)]
            date: Option<String>,
        }
        let line: Line = serde_json::from_str(line).ok()?;
        match line.id {
            serde_json::Value::String(id) => Some(Article {
                id,
                text: line.text,
                date: line.date,
            }),
            _ => None,
        }
    }

    #[test]
    fn reads_the_common_shape() {
        let line =
            r#"{"id": "a1", "text": "Putin traf \"Erdoğan\".\nIn Sotschi.", "date": "2020-10-14"}"#;
        let article = read(line).expect("the common shape");
        assert_eq!(article.id, "a1");
        assert_eq!(article.text, "Putin traf \"Erdoğan\".\nIn Sotschi.");
        assert_eq!(article.date.as_deref(), Some("2020-10-14"));
        assert_eq!(Some(article), by_serde(line));
    }

    #[test]
    fn other_keys_null_dates_and_escapes() {
        for line in [
            r#"{"text":"x","id":"b","date":null}"#,
            r#" { "url" : "https:\/\/example.org" , "id":"c", "text":"\u00e4\u20ac\t\\" } "#,
            r#"{"id":"d","text":""}"#,
            "{\"id\":\"e\",\"text\":\"Stra\u{df}e \u{1F600}\"}",
        ] {
            let article = read(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(Some(article), by_serde(line), "{line}");
        }
    }

    /// Lines of another shape are left to `serde_json`, valid or not.
    #[test]
    fn other_shapes_are_left_to_serde() {
        for line in [
            r#"{"id": 7, "text": "x"}"#,
            r#"{"id": "a", "text": "x", "meta": {"k": 1}}"#,
            r#"{"id": "a", "text": "x", "n": 3}"#,
            r#"{"id": "a", "t\u0065xt": "x"}"#,
            r#"{"id": "a", "text": "x", "text": "y"}"#,
            r#"{"id": "a", "text": "\ud83d\ude00"}"#,
            r#"{"id": "a", "text": "\ud83d"}"#,
            r#"{"id": "a", "text": "x"} trailing"#,
            r#"{"id": "a", "text": "x",}"#,
            r#"{"id": "a"}"#,
            r#"{"text": "x"}"#,
            r#"{}"#,
            r#"[]"#,
            r#"{"id": "a", "text": "\x"}"#,
            r#"{"id": "a", "text": "\u12"}"#,
            "{\"id\": \"a\", \"text\": \"tab\there\"}",
            r#"{"id": "a", "text": "x""#,
            r#"{"id": "a", "text": "x", "date": 5}"#,
        ] {
            assert_eq!(read(line), None, "{line}");
        }
    }

    /// A line of pieces of JSON, mostly not valid.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "{", "}", ",", ":", " ", "\t", "\"", "\\", "\\\"", "\\n", "\\u00e4", "\\ud83d",
            "\\ude00", "\\u0000", "\\/", "\\x", "id", "text", "date", "url", "null", "7", "[", "]",
            "ä", "€", "Putin", "\u{1}", "\n",
        ]);
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    /// A valid line of the common shape: any id, text and date (as
    /// `serde_json` writes them), perhaps another string field.
    fn shaped() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            "[a-z0-9 äöü\\\\\"/\n\t€\u{1}\u{7f}😀]{0,12}",
            "[a-z0-9 äöü\\\\\"/\n\t€\u{1f}😀]{0,40}",
            prop::option::of("[0-9T:-]{0,12}"),
            prop::bool::ANY,
        )
            .prop_map(|(id, text, date, extra)| {
                let json = |s: &str| serde_json::to_string(s).expect("a string");
                let mut fields = vec![
                    format!("\"id\":{}", json(&id)),
                    format!("\"text\": {}", json(&text)),
                ];
                if let Some(date) = date {
                    fields.push(format!("\"date\" :{}", json(&date)));
                }
                if extra {
                    fields.insert(1, "\"source\": \"x\\\\y\\u00e4\"".to_string());
                }
                format!("{{{}}}", fields.join(", "))
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// Whatever the line, the fast path reads what `serde_json` reads,
        /// or leaves the line to it.
        #[test]
        fn agrees_with_serde_or_leaves_the_line(line in pieces()) {
            if let Some(article) = read(&line) {
                proptest::prop_assert_eq!(Some(article), by_serde(&line), "{:?}", line);
            }
        }

        /// Every line of the common shape is taken, as `serde_json` reads it.
        #[test]
        fn takes_every_line_of_the_common_shape(line in shaped()) {
            let article = read(&line);
            proptest::prop_assert!(article.is_some(), "{:?}", line);
            proptest::prop_assert_eq!(article, by_serde(&line), "{:?}", line);
        }
    }

    /// Generated lines of the common shape are all taken by the fast path.
    #[test]
    fn the_common_shape_is_always_taken() {
        for text in [
            "",
            "a",
            "\"quoted\"",
            "line\nbreak",
            "ä€😀",
            "back\\slash",
            "\u{7f}",
        ] {
            let line = serde_json::json!({"id": "x", "text": text, "date": "2020"}).to_string();
            assert!(read(&line).is_some(), "{line}");
            assert_eq!(read(&line), by_serde(&line), "{line}");
        }
    }
}

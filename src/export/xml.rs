//! XML plumbing shared by GraphML and GEXF: a quick-xml writer with the
//! declaration and two-space indent, a filter for characters XML 1.0 cannot
//! hold, and the reading side used to compare graph files.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::{Error, ErrorKind, Result};

pub(super) type XmlWriter<'w> = Writer<&'w mut dyn Write>;

/// A writer that has written the XML declaration.
pub(super) fn writer(out: &mut dyn Write) -> io::Result<XmlWriter<'_>> {
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(writer)
}

/// Ends the document with a newline.
pub(super) fn finish(mut writer: XmlWriter<'_>) -> io::Result<()> {
    writer.get_mut().write_all(b"\n")
}

/// Replaces the characters XML 1.0 cannot carry at all, not even as
/// character references (C0 controls other than tab, newline and carriage
/// return; U+FFFE and U+FFFF), with U+FFFD. Article text can hold them
/// (form feeds from PDF conversions); escaping is left to quick-xml.
pub(super) fn clean(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| if allowed(c) { c } else { '\u{fffd}' })
                .collect(),
        )
    }
}

/// A start tag with attributes, values cleaned and escaped by quick-xml.
pub(super) fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        start.push_attribute((*key, clean(value).as_ref()));
    }
    start
}

/// Writes `<name attributes…>text</name>` on one line.
pub(super) fn text_element(
    writer: &mut XmlWriter<'_>,
    name: &str,
    attributes: &[(&str, &str)],
    text: &str,
) -> io::Result<()> {
    writer.write_event(Event::Start(start(name, attributes)))?;
    writer.write_event(Event::Text(BytesText::new(&clean(text))))?;
    writer.write_event(Event::End(BytesEnd::new(name)))
}

/// Writes an empty element `<name attributes…/>`.
pub(super) fn empty_element(
    writer: &mut XmlWriter<'_>,
    name: &str,
    attributes: &[(&str, &str)],
) -> io::Result<()> {
    writer.write_event(Event::Empty(start(name, attributes)))
}

/// One element as read back: its local name, attributes (unescaped) and,
/// for elements with only text inside, that text (unescaped).
#[derive(Debug, Default)]
pub(super) struct Element {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    pub text: Option<String>,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

/// Reads every element of an XML document in document order, calling
/// `each` with the element and the names of its ancestors. Elements that
/// hold only text (`<data>`, `<creator>`) come with that text.
///
/// # Errors
/// The document is not well-formed XML.
pub(super) fn read_elements(text: &str, mut each: impl FnMut(&Element, &[String])) -> Result<()> {
    let mut reader = Reader::from_str(text);
    let mut ancestors: Vec<String> = Vec::new();
    let bad = |err: &dyn std::fmt::Display, position: u64| {
        Error::new(ErrorKind::Graph(format!(
            "not well-formed XML at byte {position}: {err}"
        )))
    };
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|err| bad(&err, position))?;
        match event {
            Event::Start(start) => {
                let mut element = element(&start).map_err(|err| bad(&err, position))?;
                let end = start.to_end().into_owned();
                // Read what follows: text only (then the element is a leaf
                // with text) or child elements (then come back to them).
                let checkpoint = reader.clone();
                match reader.read_text(end.name()) {
                    Ok(raw) if !raw.contains('<') => {
                        let unescaped =
                            quick_xml::escape::unescape(&raw).map_err(|err| bad(&err, position))?;
                        element.text = Some(unescaped.into_owned());
                        each(&element, &ancestors);
                    }
                    _ => {
                        reader = checkpoint;
                        each(&element, &ancestors);
                        ancestors.push(element.name);
                    }
                }
            }
            Event::Empty(start) => {
                let element = element(&start).map_err(|err| bad(&err, position))?;
                each(&element, &ancestors);
            }
            Event::End(_) => {
                ancestors.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if ancestors.is_empty() {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::Graph(format!(
            "unclosed element <{}>",
            ancestors.join("><")
        ))))
    }
}

fn element(start: &BytesStart<'_>) -> std::result::Result<Element, quick_xml::Error> {
    let local = start.local_name();
    let name = AsRef::<str>::as_ref(&local).to_string();
    let mut attributes = BTreeMap::new();
    for attribute in start.attributes() {
        let attribute: Attribute<'_> = attribute?;
        let local = attribute.key.local_name();
        let key = AsRef::<str>::as_ref(&local).to_string();
        let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0)?;
        attributes.insert(key, value.into_owned());
    }
    Ok(Element {
        name,
        attributes,
        text: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_characters_xml_cannot_hold() {
        assert_eq!(clean("a\u{c}b\tc\n"), "a\u{fffd}b\tc\n");
        assert!(matches!(clean("Çavuşoğlu & <Зеленский>"), Cow::Borrowed(_)));
    }

    #[test]
    fn reads_back_escaped_attributes_and_text() {
        let mut out = Vec::new();
        {
            let mut writer = writer(&mut out).unwrap();
            writer
                .write_event(Event::Start(start("root", &[])))
                .unwrap();
            text_element(
                &mut writer,
                "data",
                &[("key", "a\"b'\n<&>\t")],
                "x & <y>\n\"z\"",
            )
            .unwrap();
            empty_element(&mut writer, "leaf", &[("value", "Müller & Söhne")]).unwrap();
            writer
                .write_event(Event::End(BytesEnd::new("root")))
                .unwrap();
            finish(writer).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let mut seen = Vec::new();
        read_elements(&text, |element, ancestors| {
            seen.push((
                element.name.clone(),
                element.attributes.clone(),
                element.text.clone(),
                ancestors.len(),
            ));
        })
        .unwrap();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[1].1["key"], "a\"b'\n<&>\t");
        assert_eq!(seen[1].2.as_deref(), Some("x & <y>\n\"z\""));
        assert_eq!(seen[2].1["value"], "Müller & Söhne");
        assert_eq!(seen[2].3, 1);
    }

    #[test]
    fn rejects_malformed_xml() {
        assert!(read_elements("<a><b></a>", |_, _| {}).is_err());
        assert!(read_elements("<a>", |_, _| {}).is_err());
    }
}

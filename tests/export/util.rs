//! Golden files, outside programs, and reading XML back.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

/// `tests/export/<relative>`.
pub fn here(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/export")
        .join(relative)
}

/// Compares `actual` with `tests/export/golden/<name>`; `UPDATE_GOLDEN=1`
/// rewrites it.
pub fn assert_golden(name: &str, actual: &str) {
    let path = here("golden").join(name);
    if env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().expect("a golden folder")).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let Ok(expected) = fs::read_to_string(&path) else {
        panic!("golden {name} is missing (run with UPDATE_GOLDEN=1 and review it)");
    };
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(
                expected.lines().count().min(actual.lines().count()) + 1,
                |at| at + 1,
            );
        panic!(
            "golden {name} is stale from line {line} (rerun with UPDATE_GOLDEN=1 and review the diff)"
        );
    }
}

/// True when `program` runs; otherwise says loudly that `test` is skipped.
pub fn have(test: &str, program: &str, probe: &[&str]) -> bool {
    let found = Command::new(program)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        skipped(test, program);
    }
    found
}

/// Says loudly that `test` did not run: straight to standard error, past
/// the test harness's capture, so `cargo test` shows it.
fn skipped(test: &str, program: &str) {
    let _ = writeln!(io::stderr(), "SKIPPED: {test}: {program} not installed");
}

/// True when python3 can import networkx; otherwise says loudly that
/// `test` is skipped.
pub fn have_networkx(test: &str) -> bool {
    if !have(test, "python3", &["--version"]) {
        return false;
    }
    let found = Command::new("python3")
        .args(["-c", "import networkx"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        skipped(test, "networkx (python3 -m pip install networkx)");
    }
    found
}

/// Runs a program and panics with its output unless it succeeds.
pub fn run(program: &str, args: &[&str]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {program}: {err}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// One XML element as read back with quick-xml: name, attributes and text,
/// all unescaped.
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    pub text: String,
}

/// Every element of `xml` in document order, read with quick-xml's reader.
pub fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut elements: Vec<Element> = Vec::new();
    // Indexes into `elements` of the open elements.
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                elements.push(element(&start));
                open.push(elements.len() - 1);
            }
            Event::Empty(start) => elements.push(element(&start)),
            Event::Text(text) => {
                if let Some(&index) = open.last() {
                    elements[index].text.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().expect("a valid reference") {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&reference)
                        .expect("a predefined entity")
                        .to_string(),
                };
                if let Some(&index) = open.last() {
                    elements[index].text.push_str(&resolved);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    elements
}

fn element(start: &BytesStart<'_>) -> Element {
    let local = start.local_name();
    let name = AsRef::<str>::as_ref(&local).to_string();
    let mut attributes = BTreeMap::new();
    for attribute in start.attributes() {
        let attribute = attribute.expect("a well-formed attribute");
        let key = AsRef::<str>::as_ref(&attribute.key).to_string();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .expect("an attribute value with known entities");
        attributes.insert(key, value.into_owned());
    }
    Element {
        name,
        attributes,
        text: String::new(),
    }
}

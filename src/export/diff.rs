//! What changed between two graph files of the same format, for
//! `extract --check`: the entities, edges and interactions added and
//! removed. Each file is read in its own format (quick-xml for GraphML and
//! GEXF, serde for JSON and JGF, statements for DOT, records for CSV), so a
//! file written by an older newsgraph compares by content, not by bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;

use super::Format;
use super::csv::{self as csv_format};
use super::dot;
use super::jgf::{JgfFile, ReadGraph};
use super::json::GraphFile;
use super::xml;
use crate::error::{Error, ErrorKind, Result};

/// What identifies an edge: its ends, its kind and, for an interaction
/// edge, the interaction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeKey {
    /// The smaller node id.
    pub source: String,
    /// The larger node id.
    pub target: String,
    /// `co_mention` or an interaction kind.
    pub kind: String,
    /// The interaction id, for an interaction edge.
    pub interaction: Option<String>,
}

impl EdgeKey {
    fn new(source: &str, target: &str, kind: &str, interaction: Option<&str>) -> EdgeKey {
        // Undirected: the same pair whichever end a file names first.
        let (source, target) = if source <= target {
            (source, target)
        } else {
            (target, source)
        };
        EdgeKey {
            source: source.to_string(),
            target: target.to_string(),
            kind: kind.to_string(),
            interaction: interaction.filter(|id| !id.is_empty()).map(str::to_string),
        }
    }
}

impl fmt::Display for EdgeKey {
    /// `person:a -- person:b (co_mention)`, `… (meeting doc#3.0)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -- {} ({}", self.source, self.target, self.kind)?;
        if let Some(interaction) = &self.interaction {
            write!(f, " {interaction}")?;
        }
        f.write_str(")")
    }
}

/// How a graph file differs from the graph it should hold. Every list is
/// sorted. All lists are empty when only attributes changed (a label, a
/// weight, a date).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSummary {
    /// Node ids in the new graph only.
    pub entities_added: Vec<String>,
    /// Node ids in the old file only.
    pub entities_removed: Vec<String>,
    /// Edges in the new graph only.
    pub edges_added: Vec<EdgeKey>,
    /// Edges in the old file only.
    pub edges_removed: Vec<EdgeKey>,
    /// Interaction ids in the new graph only. Formats other than JSON and
    /// JGF know an interaction only through its edges, so one with fewer
    /// than two participants does not show there.
    pub interactions_added: Vec<String>,
    /// Interaction ids in the old file only.
    pub interactions_removed: Vec<String>,
}

impl ChangeSummary {
    /// True when no entity, edge or interaction was added or removed: the
    /// files differ in attributes only.
    pub fn has_only_attribute_changes(&self) -> bool {
        self.entities_added.is_empty()
            && self.entities_removed.is_empty()
            && self.edges_added.is_empty()
            && self.edges_removed.is_empty()
            && self.interactions_added.is_empty()
            && self.interactions_removed.is_empty()
    }

    /// Adds the changes of another file of the same graph (CSV has two).
    pub(super) fn merge(&mut self, other: ChangeSummary) {
        fn union<T: Ord>(into: &mut Vec<T>, from: Vec<T>) {
            let set: BTreeSet<T> = std::mem::take(into).into_iter().chain(from).collect();
            *into = set.into_iter().collect();
        }
        union(&mut self.entities_added, other.entities_added);
        union(&mut self.entities_removed, other.entities_removed);
        union(&mut self.edges_added, other.edges_added);
        union(&mut self.edges_removed, other.edges_removed);
        union(&mut self.interactions_added, other.interactions_added);
        union(&mut self.interactions_removed, other.interactions_removed);
    }
}

impl fmt::Display for ChangeSummary {
    /// `stale: 2 entities added (person:x, person:y), 1 removed (place:z);
    /// 3 edges added; 1 interaction removed (doc#3.0)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_only_attribute_changes() {
            return f.write_str(
                "stale: attributes changed (no entity, edge or interaction added or removed)",
            );
        }
        let parts = [
            part(
                ("entity", "entities"),
                &self.entities_added,
                &self.entities_removed,
                true,
            ),
            part(
                ("edge", "edges"),
                &self.edges_added,
                &self.edges_removed,
                false,
            ),
            part(
                ("interaction", "interactions"),
                &self.interactions_added,
                &self.interactions_removed,
                true,
            ),
        ];
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        write!(f, "stale: {}", parts.join("; "))
    }
}

/// `2 entities added (a, b), 1 removed (c)`, or `None` when both are empty.
fn part<T: fmt::Display>(
    (singular, plural): (&str, &str),
    added: &[T],
    removed: &[T],
    with_ids: bool,
) -> Option<String> {
    const SHOWN: usize = 3;
    let ids = |items: &[T]| -> String {
        if !with_ids {
            return String::new();
        }
        let mut shown: Vec<String> = items.iter().take(SHOWN).map(ToString::to_string).collect();
        if items.len() > SHOWN {
            shown.push("…".to_string());
        }
        format!(" ({})", shown.join(", "))
    };
    let noun = |count: usize| if count == 1 { singular } else { plural };
    match (added.len(), removed.len()) {
        (0, 0) => None,
        (a, 0) => Some(format!("{a} {} added{}", noun(a), ids(added))),
        (0, r) => Some(format!("{r} {} removed{}", noun(r), ids(removed))),
        (a, r) => Some(format!(
            "{a} {} added{}, {r} removed{}",
            noun(a),
            ids(added),
            ids(removed)
        )),
    }
}

/// Compares two graph files of `format`: `None` when they are the same byte
/// for byte, otherwise what `new` adds and removes. For [`Format::Csv`],
/// `old` and `new` are one table each (`nodes.csv` or `edges.csv`, told
/// apart by the header); [`super::check`] compares a whole folder.
///
/// # Errors
/// Either text cannot be read as `format`.
pub fn diff(format: Format, old: &str, new: &str) -> Result<Option<ChangeSummary>> {
    if old == new {
        return Ok(None);
    }
    let old = Contents::read(format, old).map_err(|err| {
        Error::new(ErrorKind::Graph(format!(
            "not a newsgraph {format} file: {err}"
        )))
    })?;
    let new = Contents::read(format, new)?;
    let added = |new: &BTreeSet<String>, old: &BTreeSet<String>| -> Vec<String> {
        new.difference(old).cloned().collect()
    };
    Ok(Some(ChangeSummary {
        entities_added: added(&new.nodes, &old.nodes),
        entities_removed: added(&old.nodes, &new.nodes),
        edges_added: new.edges.difference(&old.edges).cloned().collect(),
        edges_removed: old.edges.difference(&new.edges).cloned().collect(),
        interactions_added: added(&new.interactions, &old.interactions),
        interactions_removed: added(&old.interactions, &new.interactions),
    }))
}

/// The date stamp of a file written with [`super::WriteOptions::stamp`].
pub(super) fn stamp(format: Format, text: &str) -> Option<NaiveDate> {
    if format != Format::Gexf {
        return None;
    }
    let mut stamp = None;
    let _ = xml::read_elements(text, |element, _| {
        if element.name == "meta" {
            stamp = element
                .attribute("lastmodifieddate")
                .and_then(|date| date.parse().ok());
        }
    });
    stamp
}

/// The ids in one graph file.
#[derive(Debug, Default)]
struct Contents {
    nodes: BTreeSet<String>,
    edges: BTreeSet<EdgeKey>,
    interactions: BTreeSet<String>,
}

impl Contents {
    fn read(format: Format, text: &str) -> Result<Contents> {
        let mut contents = match format {
            Format::Json => Contents::json(text)?,
            Format::Jgf => Contents::jgf(text)?,
            Format::Graphml => Contents::graphml(text)?,
            Format::Gexf => Contents::gexf(text)?,
            Format::Dot => Contents::dot(text)?,
            Format::Csv => Contents::csv(text)?,
        };
        if !matches!(format, Format::Json | Format::Jgf) {
            contents.interactions = contents
                .edges
                .iter()
                .filter_map(|edge| edge.interaction.clone())
                .collect();
        }
        Ok(contents)
    }

    fn json(text: &str) -> Result<Contents> {
        let file: GraphFile = serde_json::from_str(text).map_err(json_error)?;
        Ok(Contents {
            nodes: file
                .nodes
                .into_iter()
                .map(|node| node.id.to_string())
                .collect(),
            edges: file
                .edges
                .iter()
                .map(|e| EdgeKey::new(&e.source, &e.target, &e.kind, e.interaction.as_deref()))
                .collect(),
            interactions: file.interactions.into_iter().map(|i| i.id).collect(),
        })
    }

    fn jgf(text: &str) -> Result<Contents> {
        let file: JgfFile<ReadGraph> = serde_json::from_str(text).map_err(json_error)?;
        let graph = file.graph;
        Ok(Contents {
            nodes: graph.nodes.into_keys().collect(),
            edges: graph
                .edges
                .iter()
                .map(|e| {
                    let interaction = e.metadata.interaction.as_deref();
                    EdgeKey::new(&e.source, &e.target, &e.relation, interaction)
                })
                .collect(),
            interactions: graph
                .metadata
                .interactions
                .into_iter()
                .map(|i| i.id)
                .collect(),
        })
    }

    fn graphml(text: &str) -> Result<Contents> {
        let mut contents = Contents::default();
        // Key id -> attribute name, for edge data.
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut edges: Vec<(String, String, BTreeMap<String, String>)> = Vec::new();
        let mut root = None;
        xml::read_elements(text, |element, ancestors| match element.name.as_str() {
            _ if ancestors.is_empty() => root = Some(element.name.clone()),
            "key" => {
                if let (Some(id), Some(name)) =
                    (element.attribute("id"), element.attribute("attr.name"))
                {
                    names.insert(id.to_string(), name.to_string());
                }
            }
            "node" => {
                contents
                    .nodes
                    .insert(element.attribute("id").unwrap_or_default().to_string());
            }
            "edge" => {
                let end = |name| element.attribute(name).unwrap_or_default().to_string();
                edges.push((end("source"), end("target"), BTreeMap::new()));
            }
            "data" if ancestors.last().is_some_and(|parent| parent == "edge") => {
                let key = element.attribute("key").unwrap_or_default();
                let name = names.get(key).cloned().unwrap_or_else(|| key.to_string());
                if let Some((_, _, data)) = edges.last_mut() {
                    data.insert(name, element.text.clone().unwrap_or_default());
                }
            }
            _ => {}
        })?;
        expect_root(root, "graphml")?;
        contents.edges = edges
            .iter()
            .map(|(source, target, data)| {
                let kind = data.get("kind").map(String::as_str).unwrap_or_default();
                let interaction = data.get("interaction").map(String::as_str);
                EdgeKey::new(source, target, kind, interaction)
            })
            .collect();
        Ok(contents)
    }

    fn gexf(text: &str) -> Result<Contents> {
        let mut contents = Contents::default();
        // Edge attribute id -> title.
        let mut titles: BTreeMap<String, String> = BTreeMap::new();
        let mut class = String::new();
        let mut edges: Vec<(String, String, String, BTreeMap<String, String>)> = Vec::new();
        let mut root = None;
        xml::read_elements(text, |element, ancestors| {
            let attribute = |name| element.attribute(name).unwrap_or_default().to_string();
            match element.name.as_str() {
                _ if ancestors.is_empty() => root = Some(element.name.clone()),
                "attributes" => class = attribute("class"),
                "attribute" if class == "edge" => {
                    titles.insert(attribute("id"), attribute("title"));
                }
                "node" => {
                    contents.nodes.insert(attribute("id"));
                }
                "edge" => {
                    let kind = element.attribute("kind").or(element.attribute("label"));
                    let kind = kind.unwrap_or_default().to_string();
                    edges.push((
                        attribute("source"),
                        attribute("target"),
                        kind,
                        BTreeMap::new(),
                    ));
                }
                "attvalue" if ancestors.iter().any(|ancestor| ancestor == "edge") => {
                    let id = attribute("for");
                    let title = titles.get(&id).cloned().unwrap_or(id);
                    if let Some((_, _, _, values)) = edges.last_mut() {
                        values.insert(title, attribute("value"));
                    }
                }
                _ => {}
            }
        })?;
        expect_root(root, "gexf")?;
        contents.edges = edges
            .iter()
            .map(|(source, target, kind, values)| {
                let interaction = values.get("interaction").map(String::as_str);
                EdgeKey::new(source, target, kind, interaction)
            })
            .collect();
        Ok(contents)
    }

    fn dot(text: &str) -> Result<Contents> {
        let is_graph = |line: &str| {
            let first = line.split_whitespace().next().unwrap_or_default();
            matches!(first, "graph" | "digraph" | "strict")
        };
        if !text.lines().any(is_graph) {
            return Err(Error::new(ErrorKind::Graph(
                "no graph statement".to_string(),
            )));
        }
        let mut contents = Contents::default();
        for statement in text.lines().filter_map(dot::parse_statement) {
            match statement.ids.as_slice() {
                [id] => {
                    contents.nodes.insert(id.clone());
                }
                [source, target] => {
                    let get = |key| statement.attributes.get(key).map(String::as_str);
                    let kind = get("kind").unwrap_or_default();
                    contents
                        .edges
                        .insert(EdgeKey::new(source, target, kind, get("interaction")));
                }
                _ => {}
            }
        }
        Ok(contents)
    }

    fn csv(text: &str) -> Result<Contents> {
        let mut records = csv_format::parse(text).into_iter();
        let header = records.next().unwrap_or_default();
        let column = |name: &str| header.iter().position(|field| field == name);
        let mut contents = Contents::default();
        if let (Some(source), Some(target)) = (column(":START_ID"), column(":END_ID")) {
            let (kind, interaction) = (column("kind"), column("interaction"));
            for record in records {
                let get =
                    |index: Option<usize>| index.and_then(|i| record.get(i)).map(String::as_str);
                let (Some(source), Some(target)) = (get(Some(source)), get(Some(target))) else {
                    continue;
                };
                let kind = get(kind).unwrap_or_default();
                contents
                    .edges
                    .insert(EdgeKey::new(source, target, kind, get(interaction)));
            }
        } else if let Some(id) = column(":ID").or(column("id")) {
            contents
                .nodes
                .extend(records.filter_map(|record| record.get(id).cloned()));
        } else {
            return Err(Error::new(ErrorKind::Graph(
                "a CSV header without :ID or :START_ID and :END_ID".to_string(),
            )));
        }
        Ok(contents)
    }
}

fn expect_root(root: Option<String>, expected: &str) -> Result<()> {
    match root {
        Some(root) if root == expected => Ok(()),
        Some(root) => Err(Error::new(ErrorKind::Graph(format!(
            "the root element is <{root}>, not <{expected}>"
        )))),
        None => Err(Error::new(ErrorKind::Graph(format!(
            "no <{expected}> element"
        )))),
    }
}

fn json_error(err: serde_json::Error) -> Error {
    Error::new(ErrorKind::Graph(format!("line {}: {err}", err.line())))
}

//! CSV: `nodes.csv` and `edges.csv`, one header each that both Gephi's
//! spreadsheet import (Data Laboratory > Import Spreadsheet) and
//! `neo4j-admin database import` understand.
//!
//! Gephi matches its special columns by exact name, ignoring case (`id`,
//! `label`; `source`, `target`, `type` for the direction, `kind` for the
//! edge type, `id`, `label`, `weight`) and imports the others as attributes.
//! Neo4j reads `:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE` and typed
//! columns (`mentions:int`, `aliases:string[]`, `;` between list items) and
//! stores the others as string properties. So each file has both sets; the
//! other tool's special columns are harmless extra text columns.
//!
//! Fields are quoted as RFC 4180 asks (when they hold `,`, `"`, or a line
//! break; `"` doubled); lines end in `\n`. Evidence can span lines, so Neo4j
//! needs `--multiline-fields=true`.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::{
    edge_id, interaction_of, interactions_by_id, join_list, mention_count, source_name, weight_text,
};
use crate::error::{Error, Result};
use crate::graph::KnowledgeGraph;

/// The header of `nodes.csv`.
pub(super) const NODE_HEADER: [&str; 10] = [
    "id",
    "label",
    "type",
    "mentions:int",
    "aliases:string[]",
    "wikidata",
    "source",
    "confidence:double",
    ":ID",
    ":LABEL",
];

/// The header of `edges.csv`.
pub(super) const EDGE_HEADER: [&str; 17] = [
    "source",
    "target",
    "type",
    "kind",
    "id",
    "label",
    "weight",
    "date",
    "place",
    "status",
    "interaction",
    "confidence:double",
    "documents:string[]",
    "evidence",
    ":START_ID",
    ":END_ID",
    ":TYPE",
];

/// Writes the two tables of `graph`.
///
/// # Errors
/// Writing failed.
pub fn write_csv(
    graph: &KnowledgeGraph,
    nodes: &mut dyn Write,
    edges: &mut dyn Write,
) -> io::Result<()> {
    let (node_text, edge_text) = render(graph);
    nodes.write_all(node_text.as_bytes())?;
    edges.write_all(edge_text.as_bytes())
}

/// Writes `nodes.csv` and `edges.csv` into `dir` (created if missing). Each
/// file is written to a temporary file in `dir` and renamed into place once
/// both are complete, so readers never see half a file.
///
/// # Errors
/// The folder cannot be created or a file cannot be written.
pub fn write_csv_dir(graph: &KnowledgeGraph, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    let (nodes, edges) = render(graph);
    let mut pending = Vec::new();
    for (name, content) in super::CSV_FILES.iter().zip([nodes, edges]) {
        let path = dir.join(name);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".newsgraph-").suffix(".csv.tmp");
        // Temporary files are private (0600); the result should be as
        // readable as any file the user creates (the umask still applies).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder
            .tempfile_in(dir)
            .map_err(|err| Error::io(&path, err))?;
        temp.write_all(content.as_bytes())
            .map_err(|err| Error::io(&path, err))?;
        temp.as_file()
            .sync_all()
            .map_err(|err| Error::io(&path, err))?;
        pending.push((temp, path));
    }
    for (temp, path) in pending {
        temp.persist(&path)
            .map_err(|err| Error::io(&path, err.error))?;
    }
    Ok(())
}

/// The two tables as text: `(nodes.csv, edges.csv)`.
pub(super) fn render(graph: &KnowledgeGraph) -> (String, String) {
    let mut nodes = String::new();
    row(&mut nodes, NODE_HEADER.iter().copied());
    for node in graph.nodes() {
        let kind = node.kind.as_str();
        let label = format!("Entity;{}", capitalize(kind));
        row(
            &mut nodes,
            [
                node.id.as_str(),
                node.label.as_str(),
                kind,
                &mention_count(node).to_string(),
                &join_list(&node.aliases),
                node.wikidata.as_deref().unwrap_or(""),
                source_name(node),
                &node.confidence.map(|c| c.to_string()).unwrap_or_default(),
                &node.id,
                &label,
            ],
        );
    }

    let mut edges = String::new();
    row(&mut edges, EDGE_HEADER.iter().copied());
    let interactions = interactions_by_id(graph);
    for (index, edge) in graph.edges().enumerate() {
        let interaction = interaction_of(edge, &interactions);
        let confidence = interaction
            .map(|i| i.confidence.to_string())
            .unwrap_or_default();
        row(
            &mut edges,
            [
                edge.source.as_str(),
                &edge.target,
                "Undirected",
                &edge.kind,
                &edge_id(index),
                &edge.kind,
                &weight_text(edge.weight),
                &edge.date.map(|date| date.to_string()).unwrap_or_default(),
                edge.place.as_deref().unwrap_or(""),
                edge.status.map(|status| status.as_str()).unwrap_or(""),
                edge.interaction.as_deref().unwrap_or(""),
                &confidence,
                &join_list(&edge.documents),
                interaction.map(|i| i.evidence.as_str()).unwrap_or(""),
                &edge.source,
                &edge.target,
                &edge.kind.to_uppercase(),
            ],
        );
    }
    (nodes, edges)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Appends one record, fields quoted where RFC 4180 needs it.
fn row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

/// Parses RFC 4180 CSV (quoted fields may hold line breaks and doubled
/// quotes; `\r\n` and `\n` both end a record). Never fails: an unclosed
/// quote runs to the end of the text.
pub(super) fn parse(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if !field.is_empty() || !record.is_empty() || !at_field_start {
        record.push(field);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_rfc_4180_asks_and_parses_it_back() {
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "", "Зеленский"];
        let mut text = String::new();
        row(&mut text, fields);
        row(&mut text, ["x", "y"]);
        assert!(text.starts_with("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,Зеленский\n"));
        assert_eq!(
            parse(&text),
            vec![
                fields.map(String::from).to_vec(),
                vec!["x".into(), "y".into()]
            ]
        );
        assert_eq!(parse("a,b\r\nc,d"), vec![vec!["a", "b"], vec!["c", "d"]]);
    }
}

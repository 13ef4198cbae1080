//! The main job, run when no subcommand is given: the graph of `seeds/` as a
//! short summary for people.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use newsgraph::graph::CO_MENTION;

use super::corpus::{self, CorpusArgs};

/// Prints the summary of `seeds/`.
pub fn run() -> Result<ExitCode> {
    let inputs = corpus::default_inputs()?;
    let corpus = corpus::extract(
        &inputs,
        &CorpusArgs {
            quiet: true,
            ..CorpusArgs::default()
        },
        &mut super::timings::Timings::off(),
    )?;
    let graph = &corpus.graph;
    let mut out = io::stdout().lock();
    writeln!(out, "newsgraph: the graph of seeds/")?;
    writeln!(out, "  documents     {}", graph.documents().len())?;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for node in graph.nodes() {
        *by_type.entry(node.kind.as_str()).or_default() += 1;
    }
    let types: Vec<String> = by_type
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    writeln!(
        out,
        "  entities      {} ({})",
        graph.node_count(),
        types.join(", ")
    )?;
    writeln!(out, "  interactions  {}", graph.interactions().len())?;
    let mut co_mentions: Vec<_> = graph.edges().filter(|e| e.kind == CO_MENTION).collect();
    co_mentions.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
    });
    writeln!(out, "strongest co-mentions (sentences naming both):")?;
    let label = |id: &str| {
        graph
            .node(id)
            .map_or(id.to_string(), |n| n.label.to_string())
    };
    for edge in co_mentions.iter().take(10) {
        writeln!(
            out,
            "  {:>3}  {} – {}  ({} documents)",
            edge.weight,
            label(&edge.source),
            label(&edge.target),
            edge.documents.len()
        )?;
    }
    for interaction in graph.interactions() {
        let names: Vec<String> = interaction.participants.iter().map(|p| label(p)).collect();
        let date = interaction
            .date
            .map_or("date unknown".to_string(), |d| d.to_string());
        writeln!(out, "  {date}  {}  {}", interaction.kind, names.join(", "))?;
    }
    writeln!(
        out,
        "write the graph: newsgraph extract seeds --format json -o graph.json"
    )?;
    Ok(if corpus.skipped > 0 {
        ExitCode::from(super::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

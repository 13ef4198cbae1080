//! `newsgraph merge`: join partial graphs (from `extract --shard I/N`).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use newsgraph::GraphBuilder;
use newsgraph::export::{self, Format, merge_json_file};

use super::extract::PendingFile;
use super::timings::Timings;

/// Merge partial graphs (from `extract --shard I/N`) into one.
///
/// The graphs must cover disjoint documents; the result is identical to
/// extracting all the documents at once. The merge is associative and
/// commutative: any order and grouping gives the same bytes.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Graph JSON files written by `extract --format json`.
    #[arg(required = true, value_name = "GRAPH")]
    graphs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, default_value = "json", value_parser = super::extract::parse_format)]
    format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print on standard error, at the end, how long each phase took
    /// (reading the graphs, the graph, output, replace) and how many cores
    /// it kept busy.
    #[arg(long)]
    timings: bool,
}

/// Runs `merge`.
pub fn run(args: &MergeArgs) -> Result<ExitCode> {
    let mut timings = Timings::new(args.timings);
    let pending = args.output.as_deref().map(PendingFile::new).transpose()?;
    let mut builder = GraphBuilder::new();
    for path in &args.graphs {
        merge_json_file(&mut builder, path)?;
    }
    timings.end("reading", || {
        let bytes: u64 = args
            .graphs
            .iter()
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|metadata| metadata.len())
            .sum();
        format!(
            "{} graphs, {:.1} MB (read and added)",
            args.graphs.len(),
            bytes as f64 / 1e6
        )
    });
    let graph = builder.finish();
    timings.end("graph", || {
        format!("{} nodes, {} edges", graph.node_count(), graph.edge_count())
    });
    match pending {
        Some(pending) => {
            pending.write(|out| export::write(&graph, args.format, out), &mut timings)?;
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            export::write(&graph, args.format, &mut out)?;
            out.flush()?;
            timings.end("output", || "standard output".to_string());
        }
    }
    if let Some(report) = timings.report() {
        eprintln!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

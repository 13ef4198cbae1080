//! `newsgraph merge`: join partial graphs (from `extract --shard I/N`).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use newsgraph::GraphBuilder;
use newsgraph::export::{self, Format, merge_json_file};

use super::extract::PendingFile;

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
}

/// Runs `merge`.
pub fn run(args: &MergeArgs) -> Result<ExitCode> {
    let pending = args.output.as_deref().map(PendingFile::new).transpose()?;
    let mut builder = GraphBuilder::new();
    for path in &args.graphs {
        merge_json_file(&mut builder, path)?;
    }
    let graph = builder.finish();
    match pending {
        Some(pending) => pending.write(|out| export::write(&graph, args.format, out))?,
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            export::write(&graph, args.format, &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! Reading a corpus into a graph, shared by the subcommands: every input is
//! read and analysed; a bad document is reported and skipped.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use newsgraph::document::{expand_inputs, read_input};
use newsgraph::date::DateValue;
use newsgraph::{Extractor, Gazetteer, GraphBuilder, KnowledgeGraph};

/// Options shared by the commands that read articles.
#[derive(Debug, Clone, clap::Args)]
pub struct CorpusArgs {
    /// Gazetteer folder to use instead of the built-in one (TSV files).
    #[arg(long, value_name = "DIR")]
    pub gazetteer: Option<PathBuf>,
    /// The date of documents that carry none (YYYY, YYYY-MM or YYYY-MM-DD):
    /// relative dates ("am Mittwoch") and roles resolve against it.
    #[arg(long, value_name = "DATE", value_parser = super::who_met::parse_date)]
    pub document_date: Option<DateValue>,
}

/// A corpus's graph and whether any document was skipped.
pub struct Corpus {
    pub graph: KnowledgeGraph,
    pub skipped: usize,
}

impl CorpusArgs {
    /// The gazetteer these options ask for.
    pub fn gazetteer(&self) -> Result<Gazetteer> {
        match &self.gazetteer {
            Some(dir) => Gazetteer::from_dir(dir).context("cannot load the gazetteer"),
            None => Ok(Gazetteer::builtin()),
        }
    }
}

/// Reads and analyses every document of `paths`, reporting bad ones on
/// standard error.
pub fn extract(paths: &[PathBuf], args: &CorpusArgs) -> Result<Corpus> {
    let inputs = expand_inputs(paths)?;
    let extractor = Extractor::new(args.gazetteer()?);
    let mut builder = GraphBuilder::new();
    let mut skipped = 0;
    for input in &inputs {
        read_input(input, |document| match document {
            Ok(mut document) => {
                document.date = document.date.or(args.document_date);
                for warning in &document.warnings {
                    eprintln!("newsgraph: warning: {}: {warning}", document.location());
                }
                let location = document.location();
                if let Err(err) = builder.add(extractor.analyze(&document)) {
                    eprintln!("newsgraph: {location}: {err}");
                    skipped += 1;
                }
            }
            Err(err) => {
                eprintln!("newsgraph: {err}");
                skipped += 1;
            }
        });
    }
    Ok(Corpus { graph: builder.finish(), skipped })
}

/// The default corpus: the `seeds/` folder of the current directory.
pub fn default_inputs() -> Result<Vec<PathBuf>> {
    let seeds = Path::new("seeds");
    if !seeds.is_dir() {
        anyhow::bail!(
            "no seeds/ folder here to read\nhint: run inside the project, or name articles: newsgraph extract FILE..."
        );
    }
    Ok(vec![seeds.to_path_buf()])
}

//! Reading a corpus into a graph, shared by the subcommands that read
//! articles: options, messages for bad documents, the progress bar and the
//! mention stream. The work itself is the library's `batch::Corpus`.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use newsgraph::batch::{Corpus, Event, Shard};
use newsgraph::date::DateValue;
use newsgraph::document::{Encoding, Input, ReadOptions, expand_inputs};
use newsgraph::gazetteer::{CompiledGazetteer, Loaded};
use newsgraph::graph::Provenance;
use newsgraph::{ErrorKind, Extractor, Gazetteer, KnowledgeGraph};

use super::extract::PendingFile;
use super::timings::Timings;

/// Options shared by the commands that read articles.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CorpusArgs {
    /// Gazetteer to use instead of the built-in one: a folder of TSV files,
    /// or a file that `newsgraph gazetteer compile` wrote.
    #[arg(long, value_name = "PATH")]
    pub gazetteer: Option<PathBuf>,
    /// Gazetteer folder to add to the built-in one (repeatable).
    #[arg(long, value_name = "DIR")]
    pub gazetteer_add: Vec<PathBuf>,
    /// The date of documents that carry none (YYYY, YYYY-MM or YYYY-MM-DD):
    /// relative dates ("am Mittwoch") and roles resolve against it.
    #[arg(long, value_name = "DATE", value_parser = super::who_met::parse_date)]
    pub document_date: Option<DateValue>,
    /// Decode text files as utf-8 (default; UTF-16 is recognized by its
    /// byte-order mark), windows-1252, latin1 or utf-16.
    #[arg(long, value_name = "ENCODING", default_value = "utf-8", value_parser = parse_encoding)]
    pub encoding: Encoding,
    /// Process only the I-th of N deterministic partitions of the documents
    /// (by document id); merge the partial graphs with `newsgraph merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Mention provenance kept in the graph: full (every mention),
    /// documents (the first mention per document) or none (counts only: no
    /// mentions, and co-mention edges without their document lists).
    #[arg(long, default_value = "full", value_parser = parse_provenance)]
    pub provenance: Provenance,
    /// Also stream every mention to this JSONL file.
    #[arg(long, value_name = "FILE")]
    pub mentions: Option<PathBuf>,
    /// Do not add people the gazetteer does not know (introduced in the
    /// text by a role: "der georgische Außenminister Ilia Dartschiaschwili").
    #[arg(long)]
    pub no_discovery: bool,
    /// Stop at the first bad document instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar (it is shown only when standard error is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_encoding(text: &str) -> Result<Encoding, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

fn parse_provenance(text: &str) -> Result<Provenance, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

/// A corpus's graph and how many documents were skipped.
pub struct Extracted {
    pub graph: KnowledgeGraph,
    pub skipped: usize,
}

impl CorpusArgs {
    /// The gazetteer these options ask for: compiled as it was read when
    /// `--gazetteer` names a compiled one and nothing is added to it.
    pub fn gazetteer(&self) -> Result<Loaded> {
        let base = match &self.gazetteer {
            Some(path) => load_gazetteer(path)?,
            None => Loaded::builtin(),
        };
        if self.gazetteer_add.is_empty() {
            return Ok(base);
        }
        // Added names need the matcher built anew.
        let mut gazetteer = base.into_gazetteer();
        for dir in &self.gazetteer_add {
            gazetteer
                .add_dir(dir)
                .context("cannot add to the gazetteer")?;
        }
        Ok(Loaded::Parsed(gazetteer))
    }
}

/// The gazetteer at `path`: a folder of TSV files, or a compiled one.
pub fn load_gazetteer(path: &Path) -> Result<Loaded> {
    let context = "cannot load the gazetteer";
    if path.is_dir() {
        return Ok(Loaded::Parsed(Gazetteer::from_dir(path).context(context)?));
    }
    let compiled = CompiledGazetteer::read(path).context(context)?;
    Ok(Loaded::Compiled(compiled))
}

/// Reads and analyses every document of `paths`, reporting bad ones on
/// standard error; the phases end in `timings` (start-up, analysis,
/// graph, and the mention stream when there is one).
pub fn extract(paths: &[PathBuf], args: &CorpusArgs, timings: &mut Timings) -> Result<Extracted> {
    let inputs = expand_inputs(paths)?;
    let mentions = args.mentions.as_deref().map(PendingFile::new).transpose()?;
    // Lives until the process ends (see `extract::run`): nothing is gained
    // by freeing the automata and tables one by one before exiting.
    let extractor: &Extractor = Box::leak(Box::new(
        Extractor::load(|| args.gazetteer())?.with_discovery(!args.no_discovery),
    ));
    timings.end("start-up", || {
        format!(
            "{} entities in the gazetteer",
            extractor.gazetteer().entities().len()
        )
    });
    let corpus = Corpus {
        shard: args.shard,
        provenance: args.provenance,
        default_date: args.document_date,
        read: ReadOptions {
            encoding: args.encoding,
        },
        strict: args.strict,
    };
    let progress = progress_bar(&inputs, args.quiet);
    let mut stream = match &mentions {
        Some(pending) => Some(BufWriter::new(pending.file()?)),
        None => None,
    };
    let mut stream_error: Option<std::io::Error> = None;
    let mut skipped = 0;
    let (mut documents, mut bytes) = (0usize, 0usize);
    let builder = corpus.run_into(extractor, &inputs, |event| match event {
        Event::Warning(document, warning) => {
            progress
                .suspend(|| eprintln!("newsgraph: warning: {}: {warning}", document.location()));
        }
        Event::Skipped(err) => {
            skipped += 1;
            progress.suspend(|| {
                eprintln!("newsgraph: {err}");
                if matches!(err.kind(), ErrorKind::InvalidUtf8 { .. }) {
                    eprintln!(
                        "hint: for legacy files use --encoding windows-1252 (or latin1, utf-16)"
                    );
                }
            });
        }
        Event::Analysed(document, analysis) => {
            progress.inc(document.text.len() as u64);
            documents += 1;
            bytes += document.text.len();
            if let Some(out) = &mut stream
                && stream_error.is_none()
                && let Err(err) = write_mentions(out, analysis)
            {
                stream_error = Some(err);
            }
        }
    });
    progress.finish_and_clear();
    // Under --strict the bad document was reported as it was met.
    let builder = builder.map_err(|_| super::Reported)?;
    timings.end("analysis", || {
        format!(
            "{documents} documents, {:.1} MB of text (read, analysed, added)",
            bytes as f64 / 1e6
        )
    });
    let graph = builder.finish();
    timings.end("graph", || {
        format!("{} nodes, {} edges", graph.node_count(), graph.edge_count())
    });
    if let (Some(pending), Some(mut out)) = (mentions, stream) {
        if let Some(err) = stream_error {
            return Err(err).context("cannot write the mention stream");
        }
        out.flush().context("cannot write the mention stream")?;
        drop(out);
        pending.commit()?;
        timings.end("mentions", || "the mention stream finished".to_string());
    }
    Ok(Extracted { graph, skipped })
}

/// One line of the mention stream. The fields are in the order of their
/// names, as the stream has always had them.
#[derive(serde::Serialize)]
struct MentionLine<'a> {
    document: &'a str,
    end: u32,
    entity: &'a str,
    sentence: u32,
    start: u32,
    text: &'a str,
}

/// One JSON line per mention: document, entity, start, end, text, sentence,
/// serialized straight from the record (no JSON value built per line).
fn write_mentions(
    out: &mut dyn Write,
    analysis: &newsgraph::graph::Analysis,
) -> std::io::Result<()> {
    let mut lines: Vec<(u32, &str, &newsgraph::graph::MentionRecord)> = analysis
        .nodes
        .iter()
        .flat_map(|node| {
            node.mentions
                .iter()
                .map(move |m| (m.start, node.id.as_str(), m))
        })
        .collect();
    lines.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, entity, mention) in lines {
        let line = MentionLine {
            document: &mention.document,
            end: mention.end,
            entity,
            sentence: mention.sentence,
            start: mention.start,
            text: mention.text.as_str(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A progress bar on standard error (documents, MB/s, time left), only when
/// it is a terminal and not silenced.
fn progress_bar(inputs: &[Input], quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs
        .iter()
        .filter(|input| !matches!(input, Input::Stdin))
        .filter_map(|input| std::fs::metadata(input.path()).ok())
        .map(|metadata| metadata.len())
        .sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .expect("the progress template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
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

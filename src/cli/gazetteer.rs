//! `newsgraph gazetteer`: check, compile or list a gazetteer.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use newsgraph::Gazetteer;
use newsgraph::gazetteer::{CompiledGazetteer, EntityKind, Loaded, Severity};

use super::corpus::{CorpusArgs, load_gazetteer};
use super::extract::PendingFile;
use super::timings::Timings;
use serde::Serialize;

/// Check, compile or list a gazetteer (the built-in one unless another is given).
#[derive(Debug, clap::Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Lint a gazetteer: malformed lines, duplicate ids, names claimed by
    /// two entities, overlapping terms of office. Exits 1 on errors.
    Check {
        /// Gazetteer folder or compiled gazetteer (default: the built-in one).
        dir: Option<PathBuf>,
    },
    /// Compile a gazetteer into one file that loads fast (give it to
    /// `--gazetteer`).
    ///
    /// The file holds the parsed gazetteer and its name matcher, so that
    /// reading it neither parses the TSV files nor builds the matcher: with
    /// 100,000 names added those two are most of the start-up. Only the
    /// build of newsgraph that compiled it reads it; another one, or a
    /// damaged file, is an error that says to compile it again.
    Compile {
        /// Gazetteer to compile instead of the built-in one: a folder of
        /// TSV files (or a compiled gazetteer).
        #[arg(long, value_name = "PATH")]
        gazetteer: Option<PathBuf>,
        /// Gazetteer folder to add (repeatable).
        #[arg(long, value_name = "DIR")]
        gazetteer_add: Vec<PathBuf>,
        /// The file to write.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
    },
    /// Print the entities and their names.
    List {
        /// Gazetteer folder or compiled gazetteer (default: the built-in one).
        #[arg(long, value_name = "PATH")]
        gazetteer: Option<PathBuf>,
        /// Only this type: person, place or organization.
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_kind)]
        kind: Option<EntityKind>,
        /// tsv (id, type, label, aliases joined by |, wikidata) or json.
        #[arg(long, short, default_value = "tsv", value_parser = ["tsv", "json"])]
        format: String,
    },
}

fn parse_kind(text: &str) -> Result<EntityKind, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

fn load(path: &Option<PathBuf>) -> Result<Gazetteer> {
    match path {
        Some(path) => Ok(load_gazetteer(path)?.into_gazetteer()),
        None => Ok(Gazetteer::builtin()),
    }
}

#[derive(Serialize)]
struct EntityJson<'g> {
    id: &'g str,
    #[serde(rename = "type")]
    kind: &'g str,
    label: &'g str,
    aliases: &'g [String],
    wikidata: Option<&'g str>,
}

/// Runs `gazetteer`.
pub fn run(args: &GazetteerArgs) -> Result<ExitCode> {
    match &args.action {
        Action::Check { dir } => {
            let gazetteer = load(dir)?;
            let findings = gazetteer.lint();
            let mut out = BufWriter::new(io::stdout().lock());
            for finding in &findings {
                writeln!(out, "{finding}")?;
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            writeln!(
                out,
                "{} entities, {} roles: {errors} errors, {} warnings",
                gazetteer.entities().len(),
                gazetteer.roles().len(),
                findings.len() - errors
            )?;
            out.flush()?;
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Action::Compile {
            gazetteer,
            gazetteer_add,
            output,
        } => {
            let pending = PendingFile::new(output)?;
            let options = CorpusArgs {
                gazetteer: gazetteer.clone(),
                gazetteer_add: gazetteer_add.clone(),
                ..CorpusArgs::default()
            };
            let compiled = match options.gazetteer()? {
                Loaded::Parsed(gazetteer) => CompiledGazetteer::new(gazetteer),
                Loaded::Compiled(compiled) => compiled,
            };
            let bytes = compiled.to_bytes();
            pending.write(|out| out.write_all(&bytes), &mut Timings::new(false))?;
            eprintln!(
                "newsgraph: {} entities compiled into {} ({:.1} MB)",
                compiled.gazetteer().entities().len(),
                output.display(),
                bytes.len() as f64 / 1e6
            );
            Ok(ExitCode::SUCCESS)
        }
        Action::List {
            gazetteer,
            kind,
            format,
        } => {
            let gazetteer = load(gazetteer)?;
            let mut entities: Vec<_> = gazetteer
                .entities()
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind == k))
                .collect();
            entities.sort_by(|a, b| a.id.cmp(&b.id));
            let mut out = BufWriter::new(io::stdout().lock());
            if format == "json" {
                let list: Vec<EntityJson> = entities
                    .iter()
                    .map(|e| EntityJson {
                        id: &e.id,
                        kind: e.kind.as_str(),
                        label: &e.label,
                        aliases: &e.aliases,
                        wikidata: e.wikidata.as_deref(),
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for e in entities {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        e.id,
                        e.kind,
                        e.label,
                        e.aliases.join("|"),
                        e.wikidata.as_deref().unwrap_or("")
                    )?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

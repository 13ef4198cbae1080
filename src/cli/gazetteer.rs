//! `newsgraph gazetteer`: check or list a gazetteer.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsgraph::Gazetteer;
use newsgraph::gazetteer::{EntityKind, Severity};
use serde::Serialize;

/// Check or list a gazetteer (the built-in one unless a folder is given).
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
        /// Gazetteer folder (default: the built-in one).
        dir: Option<PathBuf>,
    },
    /// Print the entities and their names.
    List {
        /// Gazetteer folder (default: the built-in one).
        #[arg(long, value_name = "DIR")]
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

fn load(dir: &Option<PathBuf>) -> Result<Gazetteer> {
    match dir {
        Some(dir) => Gazetteer::from_dir(dir).context("cannot load the gazetteer"),
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

//! `newsgraph who-met`: who met or phoned whom, when, where, with evidence.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use newsgraph::KnowledgeGraph;
use newsgraph::date::DateValue;
use newsgraph::export::read_json_file;
use newsgraph::interaction::{InteractionKind, Status};
use newsgraph::query::{Row, WhoMet};
use serde::Serialize;

use super::corpus::{self, CorpusArgs};

/// List who met or phoned whom, when and where, with the sentence that proves it.
///
/// Reads articles (as `extract` does) or a graph JSON written by `extract`;
/// without INPUT, reads seeds/. Names match any spelling the gazetteer knows
/// ("Erdogan", "Erdoğan", "Recep Tayyip Erdoğan"). Rows are sorted by date,
/// unknown dates last. Exits 1 when nothing matches.
#[derive(Debug, clap::Args)]
pub struct WhoMetArgs {
    /// Articles (files, folders, JSONL, -) or one graph .json file.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Contacts of this person (or organization).
    #[arg(long, value_name = "NAME")]
    person: Option<String>,
    /// ... with this person.
    #[arg(long, value_name = "NAME")]
    with: Option<String>,
    /// Only contacts on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<DateValue>,
    /// Only contacts on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    until: Option<DateValue>,
    /// Only this kind: phone_call, video_conference, meeting or negotiation.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<InteractionKind>,
    /// Only this status: held, planned, cancelled or refused.
    #[arg(long, value_parser = parse_status)]
    status: Option<Status>,
    /// Output: table (for people), tsv or jsonl (for pipes), json.
    #[arg(long, short, default_value = "table", value_parser = ["table", "tsv", "jsonl", "json"])]
    format: String,
    #[command(flatten)]
    corpus: CorpusArgs,
}

/// Parses a `YYYY[-MM[-DD]]` argument.
pub fn parse_date(text: &str) -> Result<DateValue, String> {
    match text.parse::<DateValue>() {
        Ok(date) if date.year.is_some() => Ok(date),
        _ => Err(format!(
            "bad date {text:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        )),
    }
}

fn parse_kind(text: &str) -> Result<InteractionKind, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

fn parse_status(text: &str) -> Result<Status, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

/// Runs `who-met`.
pub fn run(args: &WhoMetArgs) -> Result<ExitCode> {
    let (graph, skipped) = load(args)?;
    let query = WhoMet {
        person: args.person.clone(),
        with: args.with.clone(),
        since: args.since,
        until: args.until,
        kind: args.kind,
        status: args.status,
    };
    for name in [&args.person, &args.with].into_iter().flatten() {
        if let Err(err) = newsgraph::query::resolve(&graph, name) {
            // Like grep: an unknown name is "nothing matched", not a failure.
            eprintln!("newsgraph: {err}");
            return Ok(ExitCode::from(1));
        }
    }
    let rows = query.run(&graph)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format.as_str() {
        "tsv" => write_tsv(&rows, &mut out)?,
        "jsonl" => {
            for row in &rows {
                serde_json::to_writer(&mut out, &row_json(row))?;
                out.write_all(b"\n")?;
            }
        }
        "json" => {
            let all: Vec<_> = rows.iter().map(row_json).collect();
            serde_json::to_writer_pretty(&mut out, &all)?;
            out.write_all(b"\n")?;
        }
        _ => write_table(&rows, &mut out)?,
    }
    out.flush()?;
    Ok(if skipped > 0 {
        ExitCode::from(super::EXIT_ERROR)
    } else if rows.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn load(args: &WhoMetArgs) -> Result<(KnowledgeGraph, usize)> {
    if let [path] = args.inputs.as_slice()
        && path.extension().is_some_and(|ext| ext == "json")
    {
        return Ok((read_json_file(path)?, 0));
    }
    let inputs = if args.inputs.is_empty() {
        corpus::default_inputs()?
    } else {
        args.inputs.clone()
    };
    let corpus = corpus::extract(&inputs, &args.corpus, &mut super::timings::Timings::off())?;
    Ok((corpus.graph, corpus.skipped))
}

fn date_text(row: &Row) -> String {
    row.date
        .map_or_else(|| "unknown".to_string(), |d| d.to_string())
}

fn labels(row: &Row) -> Vec<&str> {
    row.participants.iter().map(|p| p.label.as_str()).collect()
}

/// A row as JSON, fields in reading order.
#[derive(Serialize)]
struct RowJson<'r> {
    date: Option<DateValue>,
    kind: InteractionKind,
    status: Status,
    participants: Vec<&'r str>,
    participant_ids: Vec<&'r str>,
    place: Option<&'r str>,
    place_id: Option<&'r str>,
    document: &'r str,
    evidence: &'r str,
    date_basis: &'r str,
    interaction: &'r str,
}

fn row_json(row: &Row) -> RowJson<'_> {
    RowJson {
        date: row.date,
        kind: row.kind,
        status: row.status,
        participants: labels(row),
        participant_ids: row.participants.iter().map(|p| p.id.as_str()).collect(),
        place: row.place.as_ref().map(|p| p.label.as_str()),
        place_id: row.place.as_ref().map(|p| p.id.as_str()),
        document: &row.document,
        evidence: &row.evidence,
        date_basis: &row.date_basis,
        interaction: &row.interaction,
    }
}

/// One line per row: date, kind, status, participants, place, document,
/// evidence; tabs and line breaks inside fields become spaces.
fn write_tsv(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let clean = |text: &str| text.replace(['\t', '\n', '\r'], " ");
    for row in rows {
        let fields = [
            row.date.map(|d| d.to_string()).unwrap_or_default(),
            row.kind.to_string(),
            row.status.to_string(),
            labels(row).join("; "),
            row.place
                .as_ref()
                .map(|p| p.label.clone())
                .unwrap_or_default(),
            row.document.clone(),
            row.evidence.clone(),
        ];
        let fields: Vec<String> = fields.iter().map(|f| clean(f)).collect();
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(())
}

/// Aligned columns that fit 80 terminal columns, the evidence wrapped
/// below each row; a status other than held stands under the kind.
fn write_table(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    const WIDTH: usize = 80;
    writeln!(out, "{:<10}  {:<16}  {:<28}  WHERE", "DATE", "KIND", "WHO")?;
    for row in rows {
        let kind = row.kind.to_string().replace('_', " ");
        let status = if row.status == Status::Held {
            String::new()
        } else {
            format!("({})", row.status)
        };
        let mut who = wrap(&labels(row).join(", "), 28);
        if who.len() < 2 && !status.is_empty() {
            who.push(String::new());
        }
        let place = row
            .place
            .as_ref()
            .map_or("–".to_string(), |p| p.label.clone());
        for (index, line) in who.iter().enumerate() {
            match index {
                0 => writeln!(
                    out,
                    "{:<10}  {:<16}  {:<28}  {}",
                    date_text(row),
                    kind,
                    line,
                    place
                )?,
                1 => writeln!(out, "{:<10}  {:<16}  {}", "", status, line)?,
                _ => writeln!(out, "{:<10}  {:<16}  {}", "", "", line)?,
            }
        }
        let evidence = format!(
            "„{}“ ({})",
            row.evidence
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            row.document
        );
        for line in wrap(&evidence, WIDTH - 4) {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// Greedy word wrap to `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + word.chars().count() + usize::from(!line.is_empty());
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

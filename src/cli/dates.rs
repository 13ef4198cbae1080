//! `newsgraph dates`: the temporal expressions of a text, one JSON line each.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsgraph::Document;
use newsgraph::date::{DateContext, DateNormalizer, DateValue};
use newsgraph::token::Tokenizer;
use serde::Serialize;

use super::who_met::parse_date;

/// Print the German temporal expressions of a text, one JSON line each.
///
/// Each line is {"text", "start", "end", "value", "basis"}.
/// Values are ISO 8601 with the precision the text gives (2020, 2020-10,
/// 2020-12-29), XXXX for an unknown year, null when there is no calendar
/// date (a weekday without a reference). Relative expressions ("am
/// Mittwoch", "gestern", "vor zwei Wochen") resolve against --reference, or
/// the text's own date prefix. Offsets are UTF-8 byte offsets.
#[derive(Debug, clap::Args)]
pub struct DatesArgs {
    /// The text to read (a file, or - for standard input).
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// The reference date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    reference: Option<DateValue>,
}

#[derive(Serialize)]
struct DateLine<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    value: Option<DateValue>,
    basis: &'t str,
}

/// Runs `dates`.
pub fn run(args: &DatesArgs) -> Result<ExitCode> {
    let text = if args.input.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))?
    };
    let document = Document::from_text("dates", args.input.display().to_string(), text);
    let context = DateContext {
        reference: args.reference.or(document.date),
    };
    let normalizer = DateNormalizer::new();
    let mut out = BufWriter::new(io::stdout().lock());
    let sentences = Tokenizer::new().tokenize(&document.text, document.body);
    for sentence in &sentences {
        for mention in normalizer.find(&document.text, sentence.span, &context) {
            let line = DateLine {
                text: document.text(mention.span),
                start: mention.span.start,
                end: mention.span.end,
                value: mention.value,
                basis: &mention.basis,
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

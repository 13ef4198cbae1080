//! Argument parsing and dispatch; one file per subcommand.

mod completions;
mod corpus;
mod dates;
mod extract;
mod gazetteer;
mod merge;
mod summary;
mod timings;
mod who_met;
mod write_behind;

use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: the input had problems (a document was skipped) or a command failed.
pub const EXIT_ERROR: u8 = 2;

/// Turn German news articles into a knowledge graph: people, places and
/// organizations, linked by co-mention and by dated interactions.
///
/// Without a subcommand, extracts the graph of `seeds/` and prints a summary.
///
/// Exit status: 0 on success; 1 when a query matched nothing or a checked
/// graph is stale; 2 on an error, or when a bad document was skipped (the
/// graph of the good ones is still written).
#[derive(Debug, Parser)]
#[command(name = "newsgraph", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    Extract(extract::ExtractArgs),
    WhoMet(who_met::WhoMetArgs),
    Dates(dates::DatesArgs),
    Merge(merge::MergeArgs),
    Gazetteer(gazetteer::GazetteerArgs),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
}

/// Parses the command line, runs it and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        None => summary::run(),
        Some(Command::Extract(args)) => extract::run(args),
        Some(Command::WhoMet(args)) => who_met::run(args),
        Some(Command::Dates(args)) => dates::run(args),
        Some(Command::Merge(args)) => merge::run(args),
        Some(Command::Gazetteer(args)) => gazetteer::run(args),
        Some(Command::Completions(args)) => completions::run_completions(args),
        Some(Command::Man(args)) => completions::run_man(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<Reported>().is_some() => ExitCode::from(EXIT_ERROR),
        Err(err) => {
            eprintln!("newsgraph: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// An error already reported on standard error (a bad document under
/// `--strict`): the exit status says it, nothing is printed again.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped at a bad document")
    }
}

impl std::error::Error for Reported {}

/// True when the error chain holds a broken pipe (`newsgraph … | head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io_error = cause.downcast_ref::<io::Error>().or_else(|| {
            match cause
                .downcast_ref::<newsgraph::Error>()
                .map(newsgraph::Error::kind)
            {
                Some(newsgraph::ErrorKind::Io(err)) => Some(err),
                _ => None,
            }
        });
        io_error.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}

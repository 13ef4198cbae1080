//! `newsgraph completions` and `newsgraph man`: generated from the clap
//! definition, so they never drift from `--help`.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Print a shell completion script.
///
/// bash: `newsgraph completions bash > /etc/bash_completion.d/newsgraph`;
/// zsh: `newsgraph completions zsh > "${fpath[1]}/_newsgraph"`;
/// fish: `newsgraph completions fish > ~/.config/fish/completions/newsgraph.fish`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

/// Print the manual page (roff): `newsgraph man | man -l -`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {}

/// Runs `completions`.
pub fn run_completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "newsgraph", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// Runs `man`.
pub fn run_man(_: &ManArgs) -> Result<ExitCode> {
    let command = Cli::command();
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let title = format!("newsgraph-{}", sub.get_name());
        clap_mangen::Man::new(sub.clone())
            .title(title)
            .render(&mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

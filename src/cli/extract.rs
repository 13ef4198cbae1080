//! `newsgraph extract`: articles in, a graph file out.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsgraph::export::{self, Format, WriteOptions};

use super::corpus::{self, CorpusArgs};
use super::timings::Timings;
use super::write_behind::WriteBehind;

/// Extract the knowledge graph of German news articles.
///
/// Inputs are text files, folders (every *.txt below them, in sorted order),
/// JSONL files (one article a line: {"id", "text", "date"}) and `-` for
/// standard input. A first line starting with ` date YYYY-MM-DD ` gives the
/// document date.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Articles: files, folders, JSONL files, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    inputs: Vec<PathBuf>,
    /// Output format: json, graphml, gexf, jgf, dot or csv.
    #[arg(long, short, default_value = "json", value_parser = parse_format)]
    format: Format,
    /// Write to this file (atomically) instead of standard output; for
    /// csv, a folder that receives nodes.csv and edges.csv.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Compare with this existing output instead of writing: exit 0 when it
    /// is up to date, 1 with a summary of what changed when it is stale.
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    check: Option<PathBuf>,
    /// Record this date (YYYY-MM-DD) as the file's modification date (GEXF
    /// lastmodifieddate); without it, output carries no date of the run.
    #[arg(long, value_name = "DATE", value_parser = parse_stamp)]
    stamp: Option<chrono::NaiveDate>,
    /// Print on standard error, at the end, how long each phase of the run
    /// took (start-up, analysis, graph, output, replace) and how many cores
    /// it kept busy.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    corpus: CorpusArgs,
}

fn parse_stamp(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("bad date {text:?} (expected YYYY-MM-DD)"))
}

pub fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
        .map_err(|err: newsgraph::Error| err.to_string())
}

/// Runs `extract`.
pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let mut timings = Timings::new(args.timings);
    let options = WriteOptions { stamp: args.stamp };
    if args.format.is_folder() && args.output.is_none() && args.check.is_none() {
        anyhow::bail!(
            "--format {} writes a folder\nhint: name it with -o DIR",
            args.format
        );
    }
    // Fail on an unwritable output before any work is done.
    let pending = match &args.output {
        Some(path) if !args.format.is_folder() => Some(PendingFile::new(path)?),
        Some(dir) => {
            check_folder(dir)?;
            None
        }
        None => None,
    };
    // The graph lives until the process ends, where the operating system
    // takes its memory back at once: freeing it piece by piece (every
    // mention record) would only delay the exit.
    let corpus: &corpus::Extracted = Box::leak(Box::new(corpus::extract(
        &args.inputs,
        &args.corpus,
        &mut timings,
    )?));
    let graph = &corpus.graph;
    let mut code = if corpus.skipped > 0 {
        ExitCode::from(super::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    };
    if let Some(path) = &args.check {
        let stale = export::check(graph, args.format, path)?;
        timings.end("check", || format!("against {}", path.display()));
        if let Some(summary) = stale {
            eprintln!("newsgraph: {}: {summary}", path.display());
            code = ExitCode::from(1);
        }
    } else if let (true, Some(dir)) = (args.format.is_folder(), &args.output) {
        export::write_csv_dir(graph, dir)?;
        timings.end("output", || format!("{}", dir.display()));
    } else if let Some(pending) = pending {
        pending.write(
            |out| export::write_with(graph, args.format, out, &options),
            &mut timings,
        )?;
    } else {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        export::write_with(graph, args.format, &mut out, &options)?;
        out.flush()?;
        timings.end("output", || "standard output".to_string());
    }
    if let Some(report) = timings.report() {
        eprintln!("{report}");
    }
    Ok(code)
}

/// Checks that an output folder exists or can be made, and can be written.
fn check_folder(dir: &Path) -> Result<()> {
    let context = || format!("cannot write {}", dir.display());
    fs::create_dir_all(dir).with_context(context)?;
    tempfile::Builder::new()
        .prefix(".newsgraph-")
        .tempfile_in(dir)
        .map_err(without_temporary_path)
        .with_context(context)?;
    Ok(())
}

/// The operating system's error alone: the temporary file's name, which the
/// user never asked for, is left out of the message.
fn without_temporary_path(err: io::Error) -> io::Error {
    match err.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(err.kind(), err.kind().to_string()),
    }
}

/// An output file written through a temporary file in the same folder and
/// renamed into place, so readers never see half a file. An output that is
/// no file (a device such as `/dev/null` or `/dev/stdout`, a named pipe) is
/// written to directly: renaming a file over it would replace it.
pub struct PendingFile {
    path: PathBuf,
    target: Target,
    /// The output is a file that this one will replace: its writeback is
    /// started as it is written ([`WriteBehind`]).
    replaces: bool,
}

/// Where a [`PendingFile`] is written.
enum Target {
    /// A temporary file, renamed into place at the end.
    Temporary(tempfile::NamedTempFile),
    /// The output itself, which is not a regular file.
    Direct(fs::File),
}

impl PendingFile {
    /// Checks that `path` can be written by creating the temporary file (or
    /// opening the device or pipe) now.
    pub fn new(path: &Path) -> Result<PendingFile> {
        let cannot = || format!("cannot write {}", path.display());
        if path.is_dir() {
            anyhow::bail!("cannot write {}: it is a folder", path.display());
        }
        // Followed through symbolic links: what a write would reach.
        if fs::metadata(path).is_ok_and(|meta| !meta.is_file()) {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(cannot)?;
            return Ok(PendingFile {
                path: path.to_path_buf(),
                target: Target::Direct(file),
                replaces: false,
            });
        }
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // The folder's own error reads best ("No such file or directory").
        fs::metadata(dir).with_context(cannot)?;
        let temp = tempfile::Builder::new()
            .prefix(".newsgraph-")
            .tempfile_in(dir)
            .map_err(without_temporary_path)
            .with_context(cannot)?;
        Ok(PendingFile {
            path: path.to_path_buf(),
            target: Target::Temporary(temp),
            // Whatever is there (a file, a link) is what the rename replaces.
            replaces: fs::symlink_metadata(path).is_ok(),
        })
    }

    /// Writes the content and moves it into place, ending the phases
    /// `output` (the content written) and `replace` (moved into place) in
    /// `timings`.
    pub fn write(
        mut self,
        content: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        timings: &mut Timings,
    ) -> Result<()> {
        {
            let file = match &mut self.target {
                Target::Temporary(temp) => temp.as_file_mut(),
                Target::Direct(file) => file,
            };
            let mut out = BufWriter::new(WriteBehind::new(file, self.replaces));
            content(&mut out).with_context(|| format!("cannot write {}", self.path.display()))?;
            out.flush()
                .with_context(|| format!("cannot write {}", self.path.display()))?;
            let written = out.get_ref().written();
            timings.end("output", || {
                format!("{:.1} MB to {}", written as f64 / 1e6, self.path.display())
            });
        }
        let temporary = matches!(self.target, Target::Temporary(_));
        let replaces = self.replaces;
        self.commit()?;
        if temporary {
            timings.end("replace", || {
                if replaces {
                    "renamed over the file that was there".to_string()
                } else {
                    "renamed into place".to_string()
                }
            });
        }
        Ok(())
    }

    /// A second handle on the temporary file (or the output), to stream
    /// into it.
    pub fn file(&self) -> Result<WriteBehind<fs::File>> {
        let file = match &self.target {
            Target::Temporary(temp) => temp.reopen(),
            Target::Direct(file) => file.try_clone(),
        }
        .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(WriteBehind::new(file, self.replaces))
    }

    /// Moves what was written into place.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let temp = match self.target {
            Target::Temporary(temp) => temp,
            // Written where it goes.
            Target::Direct(_) => return Ok(()),
        };
        let file = temp
            .persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        // Readable like any file the user creates (temporary files are private).
        let mut permissions = file
            .metadata()
            .with_context(|| format!("cannot write {}", path.display()))?
            .permissions();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            permissions.set_mode(0o644);
        }
        fs::set_permissions(&path, permissions)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

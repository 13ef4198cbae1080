//! Writing the graph: the JSON contract (see `graph-schema.json`) and the
//! formats other tools read.

mod json;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::graph::KnowledgeGraph;

pub use json::{GraphFile, read_json};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// newsgraph's own JSON, described by `graph-schema.json`.
    Json,
}

impl Format {
    /// All formats, in the order `--help` lists them.
    pub const ALL: [Format; 1] = [Format::Json];

    /// The name used on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(text: &str) -> Result<Format> {
        Format::ALL.into_iter().find(|format| format.as_str() == text).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(Format::as_str).collect();
            Error::new(ErrorKind::Invalid(format!(
                "unknown format {text:?} (expected {})",
                names.join(", ")
            )))
        })
    }
}

/// Writes `graph` in `format`.
///
/// # Errors
/// Writing failed.
pub fn write(graph: &KnowledgeGraph, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(graph, out),
    }
}

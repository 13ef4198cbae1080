//! The library's error type: what went wrong, and where (`path[:line]`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Where an error happened: a file, and a 1-based line when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file (or `-` for standard input).
    pub path: PathBuf,
    /// The 1-based line, when the error is tied to one.
    pub line: Option<usize>,
}

impl Location {
    /// A location naming a whole file.
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            path: path.into(),
            line: None,
        }
    }

    /// A location naming one line of a file.
    pub fn line(path: impl Into<PathBuf>, line: usize) -> Location {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing failed.
    Io(io::Error),
    /// A TSV line has the wrong number of fields.
    FieldCount {
        /// Fields the file's header asks for.
        expected: usize,
        /// Fields the line has.
        found: usize,
    },
    /// An entity type other than person, place or organization.
    UnknownEntityKind(String),
    /// An entity id that is not a lowercase slug.
    BadId(String),
    /// The same entity id defined twice.
    DuplicateId(String),
    /// A reference to an entity id that is not defined.
    UnknownEntity(String),
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    BadDate(String),
    /// A file header that does not name the expected columns.
    BadHeader {
        /// The header the file should start with.
        expected: String,
    },
    /// A JSON line that cannot be read as an article.
    Json(String),
    /// A graph file that cannot be read.
    Graph(String),
    /// Text that is not valid UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// Any other problem with a value, described in words.
    Invalid(String),
}

/// An error with an optional location, shown as `path:line: what went wrong`.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    location: Option<Location>,
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error without a location.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            location: None,
        }
    }

    /// Attaches a location (replacing any earlier one).
    pub fn at(mut self, location: Location) -> Error {
        self.location = Some(location);
        self
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, err: io::Error) -> Error {
        Error::new(ErrorKind::Io(err)).at(Location::file(path))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong, when known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        match &self.kind {
            ErrorKind::Io(err) => write!(f, "{err}"),
            ErrorKind::FieldCount { expected, found } => {
                write!(f, "expected {expected} tab-separated fields, found {found}")
            }
            ErrorKind::UnknownEntityKind(kind) => write!(
                f,
                "unknown entity type {kind:?} (expected person, place or organization)"
            ),
            ErrorKind::BadId(id) => write!(
                f,
                "bad entity id {id:?} (use lowercase letters, digits and hyphens)"
            ),
            ErrorKind::DuplicateId(id) => write!(f, "entity id {id:?} is defined twice"),
            ErrorKind::UnknownEntity(id) => write!(f, "unknown entity id {id:?}"),
            ErrorKind::BadDate(date) => {
                write!(
                    f,
                    "bad date {date:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
                )
            }
            ErrorKind::BadHeader { expected } => {
                write!(f, "bad header (expected {expected:?})")
            }
            ErrorKind::Json(message) => write!(f, "{message}"),
            ErrorKind::Graph(message) => write!(f, "{message}"),
            ErrorKind::InvalidUtf8 { offset } => {
                write!(f, "invalid UTF-8 at byte {offset}")
            }
            ErrorKind::Invalid(message) => write!(f, "{message}"),
        }
    }
}

/// The cause is shown inline by `Display`, so it is not repeated as a source.
impl std::error::Error for Error {}

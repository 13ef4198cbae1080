//! Bytes → gazetteer TSV → `Gazetteer::from_sources`, in two forms:
//!
//! - the whole input as one file (`fuzz.tsv`), its first line the header;
//! - the input split at NUL bytes into up to four files read together, each
//!   with its own header (entities, adjectives, roles, role words), so that
//!   roles and adjectives refer to entities of another file; and the input's
//!   lines under each of the four headers in turn.
//!
//! Whatever parses is linted, looked up, compiled into a matcher and an
//! interaction detector and run over a short article and over its own names:
//! a gazetteer that loads must never make the pipeline panic. It is also
//! written as a compiled gazetteer and read back: the same bytes when
//! written again, the same entities, and the same matches.
#![no_main]

#[path = "../checks/gazetteer.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));

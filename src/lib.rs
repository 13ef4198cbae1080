//! newsgraph turns German news articles into a knowledge graph: the people,
//! places and organizations they name, linked by co-mention and by dated
//! interactions ("who met whom when").
//!
//! The pipeline, one document at a time:
//!
//! 1. [`document`]: read files, folders, JSONL or standard input; the date
//!    prefix and JSONL `date` give the document date.
//! 2. [`token::Tokenizer`]: German-aware sentences and tokens, with byte spans.
//! 3. [`gazetteer::EntityMatcher`]: a trie of folded tokens over every alias, with
//!    inflection and spelling variants, on token boundaries.
//! 4. [`date::DateNormalizer`]: German temporal expressions, resolved against
//!    the document date.
//! 5. [`extract::Extractor`] runs the stages and gives an [`graph::Analysis`]
//!    per document; [`graph::GraphBuilder`] joins them into a
//!    [`graph::KnowledgeGraph`], which [`export`] writes.
//!
//! ```
//! use newsgraph::{Document, Extractor, Gazetteer, GraphBuilder};
//!
//! let text = "Wladimir Putin telefonierte mit Erdoğan. Beide sprachen über Syrien.";
//! let document = Document::from_text("beispiel", "beispiel.txt", text.to_string());
//! let extractor = Extractor::new(Gazetteer::builtin());
//! let mut builder = GraphBuilder::new();
//! builder.add(extractor.analyze(&document)).unwrap();
//! let graph = builder.finish();
//! let labels: Vec<&str> = graph.nodes().map(|node| node.label.as_str()).collect();
//! assert_eq!(labels, ["Recep Tayyip Erdoğan", "Wladimir Putin", "Syrien"]);
//! ```
#![warn(missing_docs)]

mod ahead;
pub mod batch;
mod bits;
pub mod boilerplate;
mod checksum;
pub mod date;
pub mod discovery;
pub mod document;
pub mod error;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod graph;
pub mod interaction;
mod jsonl;
mod mention_text;
mod pages;
pub mod query;
pub mod span;
pub mod token;

#[cfg(test)]
mod test_text;

pub use document::Document;
pub use error::{Error, ErrorKind, Location, Result};
pub use extract::Extractor;
pub use gazetteer::Gazetteer;
pub use graph::{GraphBuilder, KnowledgeGraph};
pub use span::Span;

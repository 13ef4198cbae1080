//! Running the pipeline over a corpus: documents are read as a stream,
//! analysed in parallel in batches (rayon), and added to the graph in input
//! order, so the result does not depend on the number of threads.
//!
//! [`Corpus::run`] reports what happens through a callback ([`Event`]): the
//! library never prints; the command line turns events into messages, a
//! progress bar and a mention stream.

use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;

use crate::document::{Document, Input, ReadOptions, read_input_with};
use crate::error::{Error, ErrorKind, Result};
use crate::extract::Extractor;
use crate::graph::{Analysis, GraphBuilder, KnowledgeGraph, Provenance};

/// One of N deterministic partitions of the input (`--shard I/N`): a
/// document belongs to shard `hash(id) % N + 1`, whatever the input order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// True when the document with this id belongs to this shard.
    pub fn contains(&self, id: &str) -> bool {
        // FNV-1a: stable across runs, platforms and versions.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in id.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % self.count + 1 == self.index
    }
}

impl FromStr for Shard {
    type Err = Error;

    fn from_str(text: &str) -> Result<Shard> {
        let bad = || {
            Error::new(ErrorKind::Invalid(format!(
                "bad shard {text:?} (expected I/N with 1 <= I <= N, e.g. 2/8)"
            )))
        };
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = index.trim().parse().map_err(|_| bad())?;
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a corpus run reports as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A document was read with a warning (a malformed date prefix).
    Warning(&'a Document, &'a str),
    /// A document or input could not be read or added; it is skipped.
    Skipped(&'a Error),
    /// A document was analysed and added.
    Analysed(&'a Document, &'a Analysis),
}

/// How to run a corpus.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Only this shard of the documents.
    pub shard: Option<Shard>,
    /// How much mention provenance the graph keeps.
    pub provenance: Provenance,
    /// The date of documents that carry none.
    pub default_date: Option<crate::date::DateValue>,
    /// How input files are decoded.
    pub read: ReadOptions,
    /// Stop at the first bad document instead of skipping it.
    pub strict: bool,
}

/// What the reading thread sends: a batch of documents or a bad one.
enum Read {
    Batch(Vec<Document>),
    Skipped(Error),
}

/// What the analysis thread sends: a batch with its analyses, or a bad
/// document passed on from the reader.
enum Analysed {
    Batch(Vec<Document>, Vec<Analysis>),
    Skipped(Error),
}

/// Analyses each batch of `batches` on every core and sends it on, with the
/// reader's errors, in input order, until either side hangs up.
fn analyse(
    extractor: &Extractor,
    batches: std::sync::mpsc::Receiver<Read>,
    analysed: &std::sync::mpsc::SyncSender<Analysed>,
) {
    for read in batches {
        let message = match read {
            Read::Batch(documents) => {
                let analyses = documents.par_iter().map(|d| extractor.analyze(d)).collect();
                Analysed::Batch(documents, analyses)
            }
            Read::Skipped(err) => Analysed::Skipped(err),
        };
        if analysed.send(message).is_err() {
            return;
        }
    }
}

/// Batches read ahead of the analysis.
const READ_AHEAD: usize = 2;

/// Documents analysed together; large enough to keep every thread busy,
/// small enough that memory does not grow with the corpus.
const BATCH_DOCUMENTS: usize = 256;
const BATCH_BYTES: usize = 8 << 20;

impl Corpus {
    /// Reads, analyses and joins every document of `inputs`.
    ///
    /// # Errors
    /// With `strict`, the first bad document; otherwise bad documents are
    /// reported through `on_event` and skipped.
    pub fn run(
        &self,
        extractor: &Extractor,
        inputs: &[Input],
        on_event: impl FnMut(Event<'_>),
    ) -> Result<KnowledgeGraph> {
        Ok(self.run_into(extractor, inputs, on_event)?.finish())
    }

    /// [`Corpus::run`] up to the graph's last step: the builder with every
    /// good document added, to add more to or to finish
    /// ([`GraphBuilder::finish`]) when the caller wants.
    ///
    /// # Errors
    /// As [`Corpus::run`].
    pub fn run_into(
        &self,
        extractor: &Extractor,
        inputs: &[Input],
        mut on_event: impl FnMut(Event<'_>),
    ) -> Result<GraphBuilder> {
        let mut builder = GraphBuilder::with_provenance(self.provenance);
        // Three stages, each on a thread of its own, joined by bounded
        // channels: the input is read a few batches ahead; a batch is
        // analysed on every core as soon as the one before is done; and the
        // analyses are added to the graph on this thread, in input order,
        // while the next batch is analysed. No stage waits for another
        // except when a channel is full or empty.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Read>(READ_AHEAD);
        let (analysed_sender, analysed) = std::sync::mpsc::sync_channel::<Analysed>(1);
        std::thread::scope(|scope| {
            scope.spawn(move || self.read(inputs, &sender));
            scope.spawn(move || analyse(extractor, receiver, &analysed_sender));
            // Dropping `analysed` (on return) stops the analysis, and with
            // it the reader.
            let analysed = analysed;
            for message in analysed.iter() {
                match message {
                    Analysed::Batch(documents, analyses) => {
                        self.add(documents, analyses, &mut builder, &mut on_event)?;
                    }
                    Analysed::Skipped(err) => {
                        on_event(Event::Skipped(&err));
                        if self.strict {
                            return Err(err);
                        }
                    }
                }
            }
            Ok(())
        })?;
        Ok(builder)
    }

    /// Reads `inputs` into batches (this shard's documents, with the default
    /// date) and sends them with the errors, in input order, until the
    /// receiver hangs up.
    fn read(&self, inputs: &[Input], sender: &std::sync::mpsc::SyncSender<Read>) {
        let mut batch: Vec<Document> = Vec::new();
        let mut batch_bytes = 0;
        let mut hung_up = false;
        for input in inputs {
            read_input_with(input, &self.read, &mut |document| {
                if hung_up {
                    return;
                }
                match document {
                    Ok(mut document) => {
                        if self
                            .shard
                            .is_some_and(|shard| !shard.contains(&document.id))
                        {
                            return;
                        }
                        document.date = document.date.or(self.default_date);
                        batch_bytes += document.text.len();
                        batch.push(document);
                        if batch.len() >= BATCH_DOCUMENTS || batch_bytes >= BATCH_BYTES {
                            batch_bytes = 0;
                            let documents = std::mem::take(&mut batch);
                            hung_up = sender.send(Read::Batch(documents)).is_err();
                        }
                    }
                    Err(err) => hung_up = sender.send(Read::Skipped(err)).is_err(),
                }
            });
            if hung_up {
                return;
            }
        }
        if !batch.is_empty() {
            // The receiver may be gone; nothing is left to do either way.
            let _ = sender.send(Read::Batch(batch));
        }
    }

    /// Adds analysed documents to the graph, in order.
    fn add(
        &self,
        documents: Vec<Document>,
        analyses: Vec<Analysis>,
        builder: &mut GraphBuilder,
        on_event: &mut impl FnMut(Event<'_>),
    ) -> Result<()> {
        for (document, analysis) in documents.iter().zip(analyses) {
            for warning in &document.warnings {
                on_event(Event::Warning(document, warning));
            }
            on_event(Event::Analysed(document, &analysis));
            if let Err(err) = builder.add(analysis) {
                let err = err.at(document.location());
                on_event(Event::Skipped(&err));
                if self.strict {
                    return Err(err);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_ids() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for id in ["a", "b", "000_dc6b3372b8fcd70d", "x", ""] {
            assert_eq!(shards.iter().filter(|s| s.contains(id)).count(), 1, "{id}");
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}

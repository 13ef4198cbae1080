//! Time per stage on a fixed sample of real German news.
//!
//! ```sh
//! python3 scripts/bench/make_corpus.py   # once: target/bench-corpus/corpus-20mb.jsonl
//! cargo bench --bench stages
//! ```
//!
//! The sample is the first 2 MB of whole articles of
//! `target/bench-corpus/corpus-20mb.jsonl` (a deterministic sample of the
//! 10kGNAD and Wikinews articles), or, when that corpus has not been made,
//! the seed articles in `../shared/data/` (alternating lines of the two files),
//! or, failing that, `seeds/`. `NEWSGRAPH_BENCH_CORPUS=FILE.jsonl` and
//! `NEWSGRAPH_BENCH_BYTES=N` choose another file and size;
//! `NEWSGRAPH_BENCH_GAZETTEER_ADD=DIR` adds a gazetteer folder to the built-in
//! one (to see which stage a large gazetteer slows down).
//!
//! Every stage reports throughput against the same number of bytes (the
//! JSONL lines of the sample), so the stages are comparable with each other
//! and with the whole-process MB/s of `scripts/bench/run.sh`. Everything runs
//! on one thread.
//!
//! - `read`: JSONL parsing into documents (as `extract` reads them);
//! - `tokenize`: sentences and tokens of every document;
//! - `match`: the gazetteer trie over every sentence (sentences made beforehand);
//! - `dates`: German temporal expressions in every sentence;
//! - `boilerplate`: the page-furniture filter on every sentence;
//! - `discovery`: people introduced by a role, and surnames linked to them
//!   (on the sentences and gazetteer mentions made beforehand);
//! - `interactions`: contacts between people (on everything made beforehand);
//! - `analyze`: [`Extractor::analyze`], all stages including boilerplate,
//!   discovery and interactions, per document; `analyze_no_discovery` the
//!   same with `--no-discovery`;
//! - `graph_json`: joining the analyses into a graph and writing it as JSON;
//! - `startup/extractor_new`: parsing the built-in gazetteer and compiling
//!   the trie and regexes (once per process).

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

use newsgraph::boilerplate::BoilerplateFilter;
use newsgraph::date::{DateContext, DateMention, DateNormalizer};
use newsgraph::discovery::PersonDiscoverer;
use newsgraph::document::{Input, expand_inputs, read_input};
use newsgraph::export::{self, Format};
use newsgraph::gazetteer::{Entity, EntityMatcher, Mention};
use newsgraph::graph::{Analysis, GraphBuilder};
use newsgraph::interaction::{Dates, InteractionDetector, SentenceInput};
use newsgraph::token::{Sentence, Sentences, Tokenizer};
use newsgraph::{Document, Extractor, Gazetteer};

/// The command's allocator (see `src/main.rs`), so that the stages are
/// measured as the command runs them.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const DEFAULT_SAMPLE_BYTES: usize = 2_000_000;

/// The sample: its documents, the bytes they came from and where from.
struct Sample {
    documents: Vec<Document>,
    bytes: u64,
    origin: String,
    /// A JSONL file holding exactly the sample (for the `read` stage).
    jsonl: Option<tempfile::NamedTempFile>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whole JSONL lines from `files` (taken in turn) until `limit` bytes.
fn take_lines(files: &[PathBuf], limit: usize) -> std::io::Result<Vec<String>> {
    let mut readers = Vec::new();
    for file in files {
        readers.push(BufReader::new(std::fs::File::open(file)?).lines());
    }
    let mut lines = Vec::new();
    let mut total = 0;
    let mut exhausted = 0;
    while total < limit && exhausted < readers.len() {
        exhausted = 0;
        for reader in &mut readers {
            match reader.next() {
                Some(line) => {
                    let line = line?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    total += line.len() + 1;
                    lines.push(line);
                    if total >= limit {
                        break;
                    }
                }
                None => exhausted += 1,
            }
        }
    }
    Ok(lines)
}

fn load_sample() -> Sample {
    let limit = std::env::var("NEWSGRAPH_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SAMPLE_BYTES);
    let root = root();
    let candidates: Vec<Vec<PathBuf>> = match std::env::var_os("NEWSGRAPH_BENCH_CORPUS") {
        Some(path) => vec![vec![PathBuf::from(path)]],
        None => vec![
            vec![root.join("target/bench-corpus/corpus-20mb.jsonl")],
            vec![
                root.join("../shared/data/de-news-10kgnad-test/10kgnad_test.jsonl"),
                root.join("../shared/data/de-wikinews-quotes/articles.jsonl"),
            ],
        ],
    };
    for files in candidates {
        if !files.iter().all(|f| f.is_file()) {
            continue;
        }
        let lines = take_lines(&files, limit).expect("read the benchmark corpus");
        let mut jsonl = tempfile::Builder::new()
            .suffix(".jsonl")
            .tempfile()
            .expect("temp file");
        let mut bytes = 0u64;
        for line in &lines {
            writeln!(jsonl, "{line}").expect("write the sample");
            bytes += line.len() as u64 + 1;
        }
        jsonl.flush().expect("write the sample");
        let documents = read_documents(&Input::Jsonl(jsonl.path().to_path_buf()));
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return Sample {
            documents,
            bytes,
            origin: names.join(" + "),
            jsonl: Some(jsonl),
        };
    }
    // Last resort: the repository's seed articles.
    let inputs = expand_inputs(&[root.join("seeds")]).expect("seeds/ exists");
    let mut documents = Vec::new();
    for input in &inputs {
        documents.extend(read_documents(input));
    }
    let bytes = documents.iter().map(|d| d.text.len() as u64).sum();
    Sample {
        documents,
        bytes,
        origin: "seeds/".to_string(),
        jsonl: None,
    }
}

/// The built-in gazetteer, plus the folder `NEWSGRAPH_BENCH_GAZETTEER_ADD`
/// names, if any (e.g. the synthetic 100k people `run.sh` writes to
/// `target/bench-corpus/gazetteers/synthetic-100k`).
fn bench_gazetteer() -> Gazetteer {
    let mut gazetteer = Gazetteer::builtin();
    if let Some(dir) =
        std::env::var_os("NEWSGRAPH_BENCH_GAZETTEER_ADD").filter(|dir| !dir.is_empty())
    {
        gazetteer
            .add_dir(std::path::Path::new(&dir))
            .expect("a valid gazetteer folder");
    }
    gazetteer
}

fn read_documents(input: &Input) -> Vec<Document> {
    let mut documents = Vec::new();
    read_input(input, |document| {
        documents.push(document.expect("a well-formed benchmark document"))
    });
    documents
}

fn stages(c: &mut Criterion) {
    let sample = load_sample();
    let gazetteer = bench_gazetteer();
    let extractor = Extractor::new(gazetteer.clone());
    if let Some(dir) =
        std::env::var_os("NEWSGRAPH_BENCH_GAZETTEER_ADD").filter(|dir| !dir.is_empty())
    {
        eprintln!(
            "stages: gazetteer: built-in + {} ({} entities)",
            dir.to_string_lossy(),
            gazetteer.entities().len()
        );
    }
    let tokenizer = Tokenizer::new();
    let matcher = EntityMatcher::new(&gazetteer);
    let dates = DateNormalizer::new();
    let tokenized: Vec<Sentences> = sample
        .documents
        .iter()
        .map(|d| tokenizer.tokenize(&d.text, d.body))
        .collect();
    let sentences: Vec<Vec<Sentence>> = tokenized.iter().map(|s| s.iter().collect()).collect();
    let sentences_total: usize = sentences.iter().map(Vec::len).sum();
    eprintln!(
        "stages: sample of {} documents, {} sentences, {:.2} MB from {}",
        sample.documents.len(),
        sentences_total,
        sample.bytes as f64 / 1e6,
        sample
            .origin
            .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/"))
            .unwrap_or(&sample.origin)
    );

    let mut group = c.benchmark_group("stages");
    // Decimal MB/s, like scripts/bench/run.sh.
    group.throughput(Throughput::BytesDecimal(sample.bytes));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));

    if let Some(jsonl) = &sample.jsonl {
        let input = Input::Jsonl(jsonl.path().to_path_buf());
        group.bench_function("read", |b| {
            b.iter(|| black_box(read_documents(black_box(&input))))
        });
    }

    group.bench_function("tokenize", |b| {
        b.iter(|| {
            let mut count = 0;
            for document in &sample.documents {
                count += tokenizer
                    .tokenize(black_box(&document.text), document.body)
                    .len();
            }
            black_box(count)
        })
    });

    group.bench_function("match", |b| {
        b.iter(|| {
            let mut count = 0;
            for (document, sentences) in sample.documents.iter().zip(&sentences) {
                for sentence in sentences {
                    count += matcher.find(black_box(&document.text), sentence).len();
                }
            }
            black_box(count)
        })
    });

    group.bench_function("dates", |b| {
        b.iter(|| {
            let mut count = 0;
            for (document, sentences) in sample.documents.iter().zip(&sentences) {
                let context = DateContext {
                    reference: document.date,
                };
                for sentence in sentences {
                    count += dates
                        .find(black_box(&document.text), sentence.span, &context)
                        .len();
                }
            }
            black_box(count)
        })
    });

    // The stages after matching, each on the output of the ones before, as
    // `Extractor::analyze` runs them.
    let boilerplate = BoilerplateFilter::new();
    let furniture: Vec<Vec<bool>> = sample
        .documents
        .iter()
        .zip(&sentences)
        .map(|(d, list)| {
            list.iter()
                .map(|s| boilerplate.is_boilerplate(d.text(s.span)))
                .collect()
        })
        .collect();
    let mentions: Vec<Vec<Vec<Mention>>> = sample
        .documents
        .iter()
        .zip(&sentences)
        .zip(&furniture)
        .map(|((d, list), skip)| {
            list.iter()
                .zip(skip)
                .map(|(s, &skip)| {
                    if skip {
                        Vec::new()
                    } else {
                        matcher.find(&d.text, s)
                    }
                })
                .collect()
        })
        .collect();
    let found_dates: Vec<Vec<Vec<DateMention>>> = sample
        .documents
        .iter()
        .zip(&sentences)
        .zip(&furniture)
        .map(|((d, list), skip)| {
            let context = DateContext { reference: d.date };
            list.iter()
                .zip(skip)
                .map(|(s, &skip)| {
                    if skip {
                        Vec::new()
                    } else {
                        dates.find(&d.text, s.span, &context)
                    }
                })
                .collect()
        })
        .collect();
    let discoverer = PersonDiscoverer::new();
    let discover = |mentions: &mut Vec<Vec<Vec<Mention>>>| -> Vec<Vec<Entity>> {
        sample
            .documents
            .iter()
            .zip(&sentences)
            .zip(mentions.iter_mut())
            .map(|((d, list), m)| {
                let found = discoverer.discover(&gazetteer, &d.text, list, m);
                discoverer.link_surnames(&gazetteer, &found, &d.text, list, m);
                found
            })
            .collect()
    };

    group.bench_function("boilerplate", |b| {
        b.iter(|| {
            let mut count = 0;
            for (document, sentences) in sample.documents.iter().zip(&sentences) {
                for sentence in sentences {
                    count += usize::from(
                        boilerplate.is_boilerplate(black_box(document.text(sentence.span))),
                    );
                }
            }
            black_box(count)
        })
    });

    group.bench_function("discovery", |b| {
        b.iter_batched(
            || mentions.clone(),
            |mut m| black_box(discover(&mut m)),
            BatchSize::LargeInput,
        )
    });

    let mut linked = mentions.clone();
    let discovered = discover(&mut linked);
    let detector = InteractionDetector::new(&gazetteer);
    group.bench_function("interactions", |b| {
        b.iter(|| {
            let mut count = 0;
            for (number, document) in sample.documents.iter().enumerate() {
                let inputs: Vec<SentenceInput<'_>> = sentences[number]
                    .iter()
                    .enumerate()
                    .map(|(i, sentence)| SentenceInput {
                        sentence,
                        mentions: &linked[number][i],
                        dates: Dates::Found(&found_dates[number][i]),
                        boilerplate: furniture[number][i],
                        cues: detector.cues(sentence.span.slice(&document.text)),
                    })
                    .collect();
                let detection = detector.detect_with(
                    &gazetteer,
                    &discovered[number],
                    &document.id,
                    black_box(&document.text),
                    document.date,
                    &inputs,
                );
                count += detection.interactions.len();
            }
            black_box(count)
        })
    });

    group.bench_function("analyze", |b| {
        b.iter(|| {
            for document in &sample.documents {
                black_box(extractor.analyze(black_box(document)));
            }
        })
    });

    let without_discovery = Extractor::new(gazetteer.clone()).with_discovery(false);
    group.bench_function("analyze_no_discovery", |b| {
        b.iter(|| {
            for document in &sample.documents {
                black_box(without_discovery.analyze(black_box(document)));
            }
        })
    });

    let analyses: Vec<Analysis> = sample
        .documents
        .iter()
        .map(|d| extractor.analyze(d))
        .collect();
    group.bench_function("graph_json", |b| {
        b.iter_batched(
            || analyses.clone(),
            |analyses| {
                let mut builder = GraphBuilder::new();
                for analysis in analyses {
                    builder.add(analysis).expect("distinct document ids");
                }
                let graph = builder.finish();
                let mut out = Vec::with_capacity(sample.bytes as usize);
                export::write(&graph, Format::Json, &mut out).expect("write to memory");
                black_box(out.len())
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("startup");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("extractor_new", |b| {
        b.iter(|| black_box(Extractor::new(bench_gazetteer())))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

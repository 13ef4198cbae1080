//! The `gazetteer` check, run by the fuzz target and, on the seeds, by
//! `cargo test` (`tests/fuzz_seeds.rs`): bytes → gazetteer TSV →
//! `Gazetteer::from_sources`, in two forms:
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

use std::path::PathBuf;
use std::sync::LazyLock;

use newsgraph::date::{DateContext, DateNormalizer};
use newsgraph::discovery::PersonDiscoverer;
use newsgraph::gazetteer::{CompiledGazetteer, EntityMatcher, Table};
use newsgraph::interaction::{Dates, InteractionDetector, SentenceInput};
use newsgraph::token::Tokenizer;
use newsgraph::{Document, Gazetteer};

static DATES: LazyLock<DateNormalizer> = LazyLock::new(DateNormalizer::new);

const ARTICLE: &str = " date 2020-10-14 Der russische Präsident Wladimir Putin hat am Mittwoch mit seinem \
    türkischen Amtskollegen telefoniert. Kremlchef und Russlands Außenminister trafen sich in Sotschi.\n\
    Die Staatschefs Russlands und der Türkei vereinbarten ein Treffen.";

/// One input, checked as the module says.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    exercise(&[(PathBuf::from("fuzz.tsv"), text.to_string())]);
    let parts: Vec<&str> = text.split('\0').take(4).collect();
    if parts.len() > 1 {
        let sources: Vec<(PathBuf, String)> = parts
            .iter()
            .enumerate()
            .map(|(number, part)| (PathBuf::from(format!("fuzz{number}.tsv")), part.to_string()))
            .collect();
        exercise(&sources);
    }
    for table in Table::ALL {
        let body = text.split_once('\n').map_or("", |(_, rest)| rest);
        let file = format!("{}\n{body}", table.columns().join("\t"));
        exercise(&[(PathBuf::from("fuzz.tsv"), file)]);
    }
}

fn exercise(sources: &[(PathBuf, String)]) {
    let gazetteer = match Gazetteer::from_sources(
        sources
            .iter()
            .map(|(path, text)| (path.as_path(), text.as_str())),
    ) {
        Ok(gazetteer) => gazetteer,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            return;
        }
    };
    let _ = gazetteer.lint();
    for entity in gazetteer.entities().iter().take(8) {
        let _ = gazetteer.lookup(&entity.label);
    }
    let _ = gazetteer.lookup("Putin");
    let names: Vec<String> = gazetteer
        .entities()
        .iter()
        .take(64)
        .flat_map(|entity| {
            std::iter::once(entity.label.clone()).chain(entity.aliases.iter().cloned())
        })
        .collect();
    let names = format!(
        " date 2020 {} traf {}.",
        names.join(", "),
        names.join(" und ")
    );
    // The stages `Extractor::analyze` runs, with the gazetteer-independent
    // ones built once (the date grammar's regexes are slow to compile).
    let matcher = EntityMatcher::new(&gazetteer);
    let detector = InteractionDetector::new(&gazetteer);
    // Compiled and read back: the same bytes written again, and the same
    // matches below.
    let bytes = CompiledGazetteer::new(gazetteer.clone()).to_bytes();
    let compiled = CompiledGazetteer::from_bytes(&bytes).expect("a compiled gazetteer reads back");
    assert!(compiled.to_bytes() == bytes, "compiled again, other bytes");
    assert_eq!(compiled.gazetteer().entities(), gazetteer.entities());
    for text in [ARTICLE, names.as_str()] {
        let document = Document::from_text("doc", "doc.txt", text.to_string());
        let sentences = Tokenizer::new().tokenize(&document.text, document.body);
        let sentences: Vec<_> = sentences.iter().collect();
        let context = DateContext {
            reference: document.date,
        };
        let mut mentions: Vec<_> = sentences
            .iter()
            .map(|s| matcher.find(&document.text, s))
            .collect();
        for (sentence, found) in sentences.iter().zip(&mentions) {
            assert_eq!(
                &compiled.matcher().find(&document.text, sentence),
                found,
                "the compiled matcher finds what the built one does"
            );
        }
        let dates: Vec<_> = sentences
            .iter()
            .map(|s| DATES.find(&document.text, s.span, &context))
            .collect();
        let discoverer = PersonDiscoverer::new();
        let discovered = discoverer.discover(&gazetteer, &document.text, &sentences, &mut mentions);
        discoverer.link_surnames(
            &gazetteer,
            &discovered,
            &document.text,
            &sentences,
            &mut mentions,
        );
        for (list, sentence) in mentions.iter().zip(&sentences) {
            for mention in list {
                assert!(
                    sentence.span.contains(mention.span),
                    "mention outside its sentence"
                );
                assert!(
                    document
                        .text
                        .get(mention.span.start..mention.span.end)
                        .is_some()
                );
            }
        }
        let inputs: Vec<SentenceInput<'_>> = sentences
            .iter()
            .enumerate()
            .map(|(number, sentence)| SentenceInput {
                sentence,
                mentions: &mentions[number],
                dates: Dates::Found(&dates[number]),
                boilerplate: false,
                cues: detector.cues(sentence.span.slice(&document.text)),
            })
            .collect();
        let detection = detector.detect_with(
            &gazetteer,
            &discovered,
            &document.id,
            &document.text,
            document.date,
            &inputs,
        );
        for interaction in &detection.interactions {
            assert_eq!(
                document.text.get(interaction.start..interaction.end),
                Some(interaction.evidence.as_str())
            );
        }
    }
}

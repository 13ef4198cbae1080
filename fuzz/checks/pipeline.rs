//! The `pipeline` check, run by the fuzz target and, on the seeds, by
//! `cargo test` (`tests/fuzz_seeds.rs`): bytes → text → documents →
//! analysis → graph → every export format.
//!
//! Valid UTF-8 is read as it is, anything else lossily (as a decoder that
//! replaces bad bytes would). A NUL splits the input into up to four
//! documents, so the graph builder joins several analyses. Besides not
//! panicking, each format's output must read back as an unchanged graph
//! (`export::diff` of the output with itself finds no change), and the JSON
//! must read back into a graph that writes the same bytes.

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use newsgraph::export::{self, Format, WriteOptions};
use newsgraph::{Document, Extractor, Gazetteer, GraphBuilder};

static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Gazetteer::builtin()));

/// One input, checked as the module says.
pub fn check(data: &[u8]) {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text.to_string(),
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    let mut builder = GraphBuilder::new();
    for (number, part) in text.split('\0').take(4).enumerate() {
        let id = format!("d{number}");
        let document = Document::from_text(id.clone(), format!("{id}.txt"), part.to_string());
        let analysis = EXTRACTOR.analyze(&document);
        for node in &analysis.nodes {
            for mention in &node.mentions {
                let (start, end) = (mention.start as usize, mention.end as usize);
                assert_eq!(document.text.get(start..end), Some(&*mention.text));
            }
        }
        builder.add(analysis).expect("document ids are distinct");
    }
    let graph = builder.finish();
    for format in Format::ALL {
        if format.is_folder() {
            let (mut nodes, mut edges) = (Vec::new(), Vec::new());
            export::write_csv(&graph, &mut nodes, &mut edges).expect("writing to memory");
            for file in [nodes, edges] {
                let file = String::from_utf8(file).expect("csv is UTF-8");
                let change = export::diff(format, &file, &file).expect("own csv reads back");
                assert!(change.is_none(), "csv differs from itself: {change:?}");
            }
            continue;
        }
        // Only GEXF records a stamp.
        let options = WriteOptions {
            stamp: (format == Format::Gexf)
                .then(|| NaiveDate::from_ymd_opt(2024, 5, 1))
                .flatten(),
        };
        let out = export::render(&graph, format, &options).expect("writing to memory");
        assert!(out.ends_with('\n'), "{format} output without final newline");
        let change = export::diff(format, &out, &out)
            .unwrap_or_else(|err| panic!("own {format} reads back: {err}"));
        assert!(change.is_none(), "{format} differs from itself: {change:?}");
        if format == Format::Json {
            let again =
                export::read_json(Path::new("fuzz.json"), &out).expect("own JSON reads back");
            let json_again =
                export::render(&again, Format::Json, &options).expect("writing to memory");
            assert_eq!(out, json_again, "JSON does not round-trip");
        }
    }
}

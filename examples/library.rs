//! Using newsgraph as a library: read a folder of articles, build the
//! knowledge graph, write it as GEXF for Gephi.
//!
//! ```text
//! cargo run --example library -- seeds            # writes graph.gexf
//! cargo run --example library -- seeds out.gexf
//! ```

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use newsgraph::document::{expand_inputs, read_input};
use newsgraph::export::{self, Format};
use newsgraph::{Extractor, Gazetteer, GraphBuilder};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("library: {err}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let folder = args.next().ok_or("usage: library FOLDER [OUTPUT.gexf]")?;
    let output = args.next().unwrap_or_else(|| PathBuf::from("graph.gexf"));

    // The extractor compiles the gazetteer once and analyses any number of
    // documents; the builder joins the per-document analyses.
    let extractor = Extractor::new(Gazetteer::builtin());
    let mut builder = GraphBuilder::new();
    for input in expand_inputs(&[folder])? {
        read_input(&input, |document| match document {
            Ok(document) => {
                if let Err(err) = builder.add(extractor.analyze(&document)) {
                    eprintln!("library: {}: {err}", document.location());
                }
            }
            // A bad article does not stop the others.
            Err(err) => eprintln!("library: {err}"),
        });
    }
    let graph = builder.finish();

    let mut out = BufWriter::new(File::create(&output)?);
    export::write(&graph, Format::Gexf, &mut out)?;
    out.flush()?;
    println!(
        "wrote {}: {} entities, {} edges, {} interactions",
        output.display(),
        graph.node_count(),
        graph.edge_count(),
        graph.interactions().len()
    );
    Ok(())
}

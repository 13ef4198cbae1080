//! The fuzz targets' checks (`fuzz/checks/`) on the seeds a fuzzer starts
//! from (`fuzz/corpus/<target>/seed-*`): every seed passes, and the checks
//! keep building against the library, which the fuzz crate (a workspace of
//! its own, built only by `cargo fuzz`) does not show.

use std::path::PathBuf;

#[path = "../fuzz/checks/gazetteer.rs"]
mod gazetteer;
#[path = "../fuzz/checks/pipeline.rs"]
mod pipeline;

/// The seeds of `target`, by name.
fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("seed-"))
        })
        .map(|path| {
            let data =
                std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            (path, data)
        })
        .collect();
    seeds.sort();
    seeds
}

#[test]
fn the_pipeline_check_passes_on_its_seeds() {
    let seeds = seeds("pipeline");
    assert!(seeds.len() >= 5, "the seed articles and hand-made inputs");
    for (path, data) in seeds {
        eprintln!("pipeline: {}", path.display());
        pipeline::check(&data);
    }
}

#[test]
fn the_gazetteer_check_passes_on_its_seeds() {
    let seeds = seeds("gazetteer");
    assert!(seeds.len() >= 5, "the gazetteer excerpts");
    for (path, data) in seeds {
        eprintln!("gazetteer: {}", path.display());
        gazetteer::check(&data);
    }
}

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

/// Runs `check` on every seed of `target`, of which there are at least
/// `at_least`.
fn check_seeds(target: &str, at_least: usize, check: fn(&[u8])) {
    let seeds = seeds(target);
    assert!(seeds.len() >= at_least, "{target}: {} seeds", seeds.len());
    for (path, data) in seeds {
        eprintln!("{target}: {}", path.display());
        check(&data);
    }
}

/// The seed articles and the hand-made inputs.
#[test]
fn the_pipeline_check_passes_on_its_seeds() {
    check_seeds("pipeline", 5, pipeline::check);
}

/// The gazetteer excerpts.
#[test]
fn the_gazetteer_check_passes_on_its_seeds() {
    check_seeds("gazetteer", 5, gazetteer::check);
}

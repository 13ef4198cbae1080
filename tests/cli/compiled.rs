//! `gazetteer compile` and `--gazetteer FILE`: a compiled gazetteer gives
//! what its folders give, and a damaged one is an error naming it.

use std::fs;

use crate::util::{Scratch, root, run};

/// The project's path `relative`, as text.
fn at_root(relative: &str) -> String {
    root().join(relative).display().to_string()
}

/// Compiles with `args` into `name` in `scratch`, and returns the file's path.
fn compile(scratch: &Scratch, name: &str, args: &[&str]) -> String {
    let out = scratch.path().join(name).display().to_string();
    let mut all = vec!["gazetteer", "compile", "-o", &out];
    all.extend_from_slice(args);
    let run = run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("entities compiled into"),
        "{}",
        run.stderr
    );
    out
}

#[test]
fn a_compiled_gazetteer_extracts_as_its_folders_do() {
    let scratch = Scratch::new();
    let builtin = compile(&scratch, "builtin.ngz", &[]);
    let seeds = at_root("seeds");
    let expected = run(&["extract", &seeds]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let compiled = run(&["extract", "--gazetteer", &builtin, &seeds]);
    assert_eq!(compiled.code, 0, "{}", compiled.stderr);
    assert_eq!(compiled.stdout, expected.stdout);

    // Another gazetteer, compiled, on its own articles.
    let folder = at_root("tests/cli/fixtures/extra/gazetteer");
    let articles = at_root("tests/cli/fixtures/extra/articles");
    let extra = compile(&scratch, "extra.ngz", &["--gazetteer", &folder]);
    let expected = run(&["extract", "--gazetteer", &folder, &articles]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let compiled = run(&["extract", "--gazetteer", &extra, &articles]);
    assert_eq!(compiled.stdout, expected.stdout);
    assert!(expected.stdout.contains("\"nodes\""));

    // Names added to a compiled gazetteer: its matcher is built anew.
    let added = scratch.write(
        "add/people.tsv",
        "id\tlabel\taliases\twikidata\nperson:anna-beispiel\tAnna Beispiel\tBeispiel\t\n",
    );
    let added = added.parent().unwrap().display().to_string();
    let article = scratch.write(
        "a.txt",
        "Anna Beispiel traf am Montag Wladimir Putin in Sotschi.",
    );
    let article = article.display().to_string();
    let expected = run(&["extract", "--gazetteer-add", &added, &article]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    assert!(expected.stdout.contains("person:anna-beispiel"));
    let on_compiled = run(&[
        "extract",
        "--gazetteer",
        &builtin,
        "--gazetteer-add",
        &added,
        &article,
    ]);
    assert_eq!(on_compiled.code, 0, "{}", on_compiled.stderr);
    assert_eq!(on_compiled.stdout, expected.stdout);
}

#[test]
fn compiling_twice_writes_the_same_bytes_and_keeps_where_names_are_defined() {
    let scratch = Scratch::new();
    let folder = scratch.write(
        "gaz/people.tsv",
        "id\tlabel\taliases\twikidata\n\
         person:anna-beispiel\tAnna Beispiel\tBeispiel\t\n\
         person:bert-beispiel\tBert Beispiel\tBeispiel\t\n",
    );
    let folder = folder.parent().unwrap().display().to_string();
    let first = compile(&scratch, "a.ngz", &["--gazetteer", &folder]);
    let second = compile(&scratch, "b.ngz", &["--gazetteer", &folder]);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
    // The lint's findings name the files and lines the names came from.
    let from_folder = run(&["gazetteer", "check", &folder]);
    let from_file = run(&["gazetteer", "check", &first]);
    assert_eq!(from_file.stdout, from_folder.stdout);
    assert!(
        from_file.stdout.contains("people.tsv:"),
        "{}",
        from_file.stdout
    );
    let listed = run(&["gazetteer", "list", "--gazetteer", &first]);
    assert_eq!(
        listed.stdout,
        run(&["gazetteer", "list", "--gazetteer", &folder]).stdout
    );
    assert!(listed.stdout.contains("person:anna-beispiel"));
}

#[test]
fn a_damaged_or_foreign_compiled_gazetteer_is_an_error_naming_it() {
    let scratch = Scratch::new();
    let builtin = compile(&scratch, "builtin.ngz", &[]);
    let bytes = fs::read(&builtin).unwrap();
    let text = scratch.write("a.txt", "Putin kam.");
    let text = text.display().to_string();
    let cut = scratch.write("cut.ngz", &bytes[..bytes.len() / 2]);
    let mut flipped = bytes.clone();
    flipped[bytes.len() - 100] ^= 1;
    let flipped = scratch.write("flipped.ngz", flipped);
    let tsv = scratch.write("people.tsv", "id\tlabel\taliases\twikidata\n");
    for (path, says) in [
        (&cut, "damaged"),
        (
            &flipped,
            "damaged (its checksum does not match): compile it again",
        ),
        (
            &tsv,
            "neither a folder of TSV files nor a compiled gazetteer",
        ),
    ] {
        let path = path.display().to_string();
        let run = run(&["extract", "--gazetteer", &path, &text]);
        assert_eq!(run.code, 2, "{path}");
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr
                .starts_with(&format!("newsgraph: cannot load the gazetteer: {path}: ")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
}

//! Integration tests: the real binary on the seeds and on bad input.

mod compiled;
mod score;
mod util;

use std::fs;

use serde_json::Value;
use util::{Scratch, root, run, seeds_graph};

fn gold() -> (Value, Value) {
    let dir = root().join("tests/cli/fixtures/gold");
    let read =
        |name: &str| serde_json::from_str(&fs::read_to_string(dir.join(name)).unwrap()).unwrap();
    (read("seeds.json"), read("entities.json"))
}

#[test]
fn seeds_entities_meet_the_gold() {
    let (gold, registry) = gold();
    let score = score::score(&gold, &registry, &seeds_graph());
    let report = score.findings.join("\n");
    assert!(
        score.entity_recall >= 0.95,
        "entity_recall {}\n{report}",
        score.entity_recall
    );
    assert!(
        score.entity_precision >= 0.90,
        "entity_precision {}\n{report}",
        score.entity_precision
    );
    assert_eq!(score.forbidden_entities, 0, "{report}");
    assert_eq!(score.type_errors, 0, "{report}");
}

#[test]
fn seeds_graph_validates_against_the_schema() {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(root().join("graph-schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let graph = seeds_graph();
    let errors: Vec<String> = validator
        .iter_errors(&graph)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn mention_offsets_point_at_the_text() {
    let graph = seeds_graph();
    let mut checked = 0;
    for node in graph["nodes"].as_array().unwrap() {
        for mention in node["mentions"].as_array().unwrap() {
            let path = root()
                .join("seeds")
                .join(format!("{}.txt", mention["document"].as_str().unwrap()));
            let bytes = fs::read(path).unwrap();
            let (start, end) = (
                mention["start"].as_u64().unwrap() as usize,
                mention["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &bytes[start..end],
                mention["text"].as_str().unwrap().as_bytes()
            );
            checked += 1;
        }
    }
    assert!(checked > 50);
}

#[test]
fn output_does_not_depend_on_input_order() {
    let scratch = Scratch::new();
    let seeds = root().join("seeds");
    let mut files: Vec<String> = fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let mut args: Vec<&str> = vec!["extract"];
    args.extend(files.iter().map(String::as_str));
    let forward = scratch.run(&args);
    let mut reversed_args: Vec<&str> = vec!["extract"];
    reversed_args.extend(files.iter().rev().map(String::as_str));
    let backward = scratch.run(&reversed_args);
    let folder = scratch.run(&["extract", seeds.to_str().unwrap()]);
    assert_eq!(forward.code, 0);
    // Sources differ only in how the path was named; both name the same files.
    assert_eq!(forward.stdout, backward.stdout);
    assert_eq!(forward.stdout, folder.stdout);
    assert!(!forward.stdout.is_empty());
}

#[test]
fn output_file_is_written_and_equals_stdout() {
    let scratch = Scratch::new();
    let out = scratch.path().join("graph.json");
    let written = run(&[
        "extract",
        "seeds",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert_eq!(written.stdout, "");
    let printed = run(&["extract", "seeds"]);
    assert_eq!(fs::read_to_string(&out).unwrap(), printed.stdout);
    assert!(printed.stdout.ends_with("}\n"));
}

/// An output that is no file (a named pipe here; `/dev/null` or
/// `/dev/stdout` alike) is written through, not replaced by a file.
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_is_written_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let scratch = Scratch::new();
    let pipe = scratch.path().join("graph.pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("SKIPPED: output_to_a_named_pipe_is_written_through_it: mkfifo not installed");
        return;
    }
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || fs::read_to_string(pipe).unwrap())
    };
    let written = run(&["extract", "seeds", "-o", pipe.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    // A reader left waiting means the pipe was never written (it would
    // wait for ever: the test fails instead of joining it).
    let waited = std::time::Instant::now();
    while !reader.is_finished() {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(20),
            "nothing was written into the pipe"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(reader.join().unwrap(), run(&["extract", "seeds"]).stdout);
    assert!(fs::metadata(&pipe).unwrap().file_type().is_fifo());
}

#[test]
fn default_run_prints_a_summary_of_the_seeds() {
    let run = run(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("documents     5"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Recep Tayyip Erdoğan – Wladimir Putin"),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let scratch = Scratch::new();
    let run = scratch.run(&["extract", "nowhere.txt"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "newsgraph: nowhere.txt: No such file or directory (os error 2)\n"
    );
}

#[test]
fn malformed_jsonl_line_is_reported_and_the_rest_is_kept() {
    let scratch = Scratch::new();
    scratch.write(
        "articles.jsonl",
        "{\"id\": \"a\", \"text\": \"Wladimir Putin sprach in Moskau.\"}\n{\"id\": \"b\", \"text\": \n{\"id\": \"c\", \"text\": \"Erdoğan war in Ankara.\", \"date\": \"2020-10-14\"}\n",
    );
    let run = scratch.run(&["extract", "articles.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("newsgraph: articles.jsonl:2: not an article"),
        "{}",
        run.stderr
    );
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = graph["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(graph["documents"][1]["date"], "2020-10-14");
    let nodes: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(
        nodes.contains(&"person:wladimir-putin") && nodes.contains(&"person:recep-tayyip-erdogan")
    );
}

#[test]
fn malformed_gazetteer_line_names_file_and_line() {
    let scratch = Scratch::new();
    scratch.write(
        "gaz/people.tsv",
        "id\tlabel\taliases\twikidata\nperson:a\tA\tB\tQ1\nperson:b\n",
    );
    scratch.write("a.txt", "A kam.");
    let run = scratch.run(&["extract", "--gazetteer", "gaz", "a.txt"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "newsgraph: cannot load the gazetteer: {}:3: expected 4 tab-separated fields, found 1\n",
            std::path::Path::new("gaz").join("people.tsv").display()
        )
    );
}

#[test]
fn custom_gazetteer_replaces_the_builtin_one() {
    let scratch = Scratch::new();
    scratch.write(
        "gaz/people.tsv",
        "id\tlabel\taliases\twikidata\nperson:anna-beispiel\tAnna Beispiel\tBeispiel\n",
    );
    scratch.write(
        "a.txt",
        "Anna Beispiel traf Wladimir Putin. Beispiels Rede war kurz.",
    );
    let run = scratch.run(&["extract", "--gazetteer", "gaz", "a.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let nodes = graph["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0]["mentions"].as_array().unwrap().len(), 2);
}

#[test]
fn stdin_text_and_date_prefix_bom_and_crlf() {
    let scratch = Scratch::new();
    let text = "\u{feff} date 2021-03-04 Wladimir Putin sprach.\r\nErdoğan antwortete.\r\n";
    let run = util::run_in(scratch.path(), &["extract", "-"], Some(text));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(graph["documents"][0]["id"], "stdin");
    assert_eq!(graph["documents"][0]["date"], "2021-03-04");
    for node in graph["nodes"].as_array().unwrap() {
        let mention = &node["mentions"][0];
        let (start, end) = (
            mention["start"].as_u64().unwrap() as usize,
            mention["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &text.as_bytes()[start..end],
            mention["text"].as_str().unwrap().as_bytes()
        );
    }
}

#[test]
fn malformed_date_prefix_is_a_warning() {
    let scratch = Scratch::new();
    scratch.write("a.txt", " date 2020-15 Wladimir Putin sprach.");
    let run = scratch.run(&["extract", "a.txt"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "newsgraph: warning: a.txt: malformed date prefix \"2020-15\" (expected YYYY, YYYY-MM or YYYY-MM-DD); read without a date\n"
    );
}

#[test]
fn unwritable_output_fails_before_work() {
    let scratch = Scratch::new();
    let run = scratch.run(&["extract", "nowhere.txt", "-o", "missing/dir/graph.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("newsgraph: cannot write missing/dir/graph.json"),
        "{}",
        run.stderr
    );
}

fn assert_interactions(score: &score::Score, pair_recall: f64) {
    let report = score.findings.join("\n");
    assert!(
        score.pair_recall >= pair_recall,
        "pair_recall {}\n{report}",
        score.pair_recall
    );
    assert!(
        score.pair_precision >= 0.90,
        "pair_precision {}\n{report}",
        score.pair_precision
    );
    assert_eq!(score.forbidden_pairs, 0, "{report}");
    assert_eq!(score.not_held_as_held, 0, "{report}");
    assert!(
        score.kind_acc >= 1.0,
        "kind_acc {}\n{report}",
        score.kind_acc
    );
    assert!(
        score.date_acc >= 0.90,
        "date_acc {}\n{report}",
        score.date_acc
    );
    assert_eq!(score.date_wrong, 0, "{report}");
    assert!(
        score.place_acc >= 0.90,
        "place_acc {}\n{report}",
        score.place_acc
    );
}

#[test]
fn seeds_interactions_meet_the_gold() {
    let (gold, registry) = gold();
    let score = score::score(&gold, &registry, &seeds_graph());
    assert_interactions(&score, 1.0);
}

fn extra_graph() -> Value {
    let run = run(&[
        "extract",
        "--gazetteer",
        "tests/cli/fixtures/extra/gazetteer",
        "tests/cli/fixtures/extra/articles",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn extra_articles_meet_their_gold() {
    let dir = root().join("tests/cli/fixtures/extra");
    let read = |name: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let score = score::score(&read("gold.json"), &read("entities.json"), &extra_graph());
    let report = score.findings.join("\n");
    assert!(
        score.entity_recall >= 0.95,
        "entity_recall {}\n{report}",
        score.entity_recall
    );
    assert_interactions(&score, 1.0);
}

#[test]
fn planned_cancelled_and_refused_contacts_keep_their_status() {
    let graph = extra_graph();
    let mut statuses: Vec<(String, String)> = graph["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] != "held")
        .map(|i| {
            let people: Vec<&str> = i["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            (people.join("+"), i["status"].as_str().unwrap().to_string())
        })
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            (
                "person:emmanuel-macron+person:wolodymyr-selenskyj".to_string(),
                "planned".to_string()
            ),
            (
                "person:olaf-scholz+person:viktor-orban".to_string(),
                "cancelled".to_string()
            ),
            (
                "person:olaf-scholz+person:xi-jinping".to_string(),
                "cancelled".to_string()
            ),
            (
                "person:viktor-orban+person:wolodymyr-selenskyj".to_string(),
                "refused".to_string()
            ),
        ]
    );
}

#[test]
fn roles_resolve_by_the_document_date() {
    let graph = extra_graph();
    let meeting = graph["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["document"] == "x03_roles_by_date"
                && i["kind"] == "meeting"
                && i["place"] == "place:moskau"
        })
        .expect("the Moscow meeting is found");
    assert_eq!(
        meeting["participants"],
        serde_json::json!(["person:mevluet-cavusoglu", "person:sergej-lawrow"])
    );
    assert_eq!(meeting["date"], "2019-07-03");
}

#[test]
fn who_met_lists_the_erdogan_putin_calls_with_evidence() {
    let table = run(&["who-met", "--person", "Erdogan"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("Wladimir Putin"), "{}", table.stdout);
    assert!(
        table.stdout.contains("am Mittwoch per Telefon"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.lines().all(|line| line.chars().count() <= 80),
        "{}",
        table.stdout
    );
    let rows = run(&[
        "who-met",
        "--person",
        "Erdogan",
        "--kind",
        "phone_call",
        "--format",
        "jsonl",
    ]);
    let rows: Vec<Value> = rows
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let documents: Vec<&str> = rows
        .iter()
        .map(|r| r["document"].as_str().unwrap())
        .collect();
    assert_eq!(
        documents,
        [
            "000_dc6b3372b8fcd70d",
            "002_e8ad741ecb710b8f",
            "004_121b66b0314985e9"
        ]
    );
    assert_eq!(rows[0]["date"], "2020-10");
    assert!(rows.iter().all(
        |r| r["participants"] == serde_json::json!(["Recep Tayyip Erdoğan", "Wladimir Putin"])
    ));
    for spelling in ["Erdoğan", "Recep Tayyip Erdoğan", "erdogan"] {
        let same = run(&[
            "who-met",
            "--person",
            spelling,
            "--kind",
            "phone_call",
            "--format",
            "jsonl",
        ]);
        assert_eq!(same.stdout.lines().count(), rows.len(), "{spelling}");
    }
}

#[test]
fn who_met_reads_a_graph_file_and_filters() {
    let scratch = Scratch::new();
    let out = scratch.path().join("graph.json");
    assert_eq!(
        run(&["extract", "seeds", "-o", out.to_str().unwrap()]).code,
        0
    );
    let graph = out.to_str().unwrap();
    let tsv = run(&[
        "who-met",
        graph,
        "--person",
        "Lawrow",
        "--with",
        "Cavusoglu",
        "--format",
        "tsv",
    ]);
    assert_eq!(tsv.code, 0, "{}", tsv.stderr);
    let fields: Vec<&str> = tsv.stdout.lines().next().unwrap().split('\t').collect();
    assert_eq!(
        &fields[..6],
        [
            "XXXX-12-29",
            "meeting",
            "held",
            "Mevlüt Çavuşoğlu; Sergej Lawrow",
            "Sotschi",
            "001_edae168d99fdab03"
        ]
    );
    let none = run(&["who-met", graph, "--person", "Putin", "--since", "2024"]);
    assert_eq!(none.code, 1);
    let unknown = run(&["who-met", graph, "--person", "Niemand Unbekannt"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(
        unknown.stderr,
        "newsgraph: no entity named \"Niemand Unbekannt\" in the graph\n"
    );
}

#[test]
fn dates_prints_json_lines_with_byte_offsets() {
    let scratch = Scratch::new();
    let text = "Am Mittwoch telefonierte Putin mit Erdoğan. Am 29. Dezember 2020 trafen sie sich.";
    let run = util::run_in(
        scratch.path(),
        &["dates", "--reference", "2020-10-16"],
        Some(text),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let found: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["text"].as_str().unwrap(), l["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("Am Mittwoch", "2020-10-14"),
            ("Am 29. Dezember 2020", "2020-12-29")
        ]
    );
    for line in &lines {
        let (start, end) = (
            line["start"].as_u64().unwrap() as usize,
            line["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], line["text"].as_str().unwrap());
    }
}

#[test]
fn bad_date_arguments_name_the_option() {
    let run = run(&["who-met", "--since", "2020-13"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
    assert!(
        run.stderr.contains("bad date \"2020-13\""),
        "{}",
        run.stderr
    );
}

/// Extracts `input` whole and in three shards, and checks that merging
/// the shards gives the whole graph in any order and grouping, and that a
/// shard merged with itself is refused; gives the whole graph.
fn merged_shards_equal_one_run(scratch: &Scratch, input: &str) -> String {
    let whole = scratch.run(&["extract", input]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let mut parts = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let name = format!("part{}.json", &shard[..1]);
        let run = scratch.run(&["extract", input, "--shard", shard, "-o", &name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        parts.push(name);
    }
    for order in [[2, 0, 1], [0, 1, 2], [1, 2, 0]] {
        let [a, b, c] = order.map(|i| parts[i].as_str());
        let merged = scratch.run(&["merge", a, b, c]);
        assert_eq!(merged.code, 0, "{}", merged.stderr);
        assert_eq!(merged.stdout, whole.stdout, "{order:?}");
    }
    // Grouping does not matter either: (1+2)+3.
    assert_eq!(
        scratch
            .run(&["merge", &parts[0], &parts[1], "-o", "p12.json"])
            .code,
        0
    );
    let regrouped = scratch.run(&["merge", "p12.json", &parts[2]]);
    assert_eq!(regrouped.stdout, whole.stdout);
    let overlap = scratch.run(&["merge", &parts[0], &parts[0]]);
    assert_eq!(overlap.code, 2);
    whole.stdout
}

#[test]
fn sharded_then_merged_equals_one_run() {
    let seeds = root().join("seeds");
    merged_shards_equal_one_run(&Scratch::new(), seeds.to_str().unwrap());
}

/// People written two ways across documents ("Ivica Dačić", "Ivica
/// Dacic") that fall into different shards: the merged graph still equals
/// the one run, labelled with the accented spelling.
#[test]
fn sharded_then_merged_equals_one_run_whatever_the_spelling() {
    let articles = root().join("tests/cli/fixtures/spellings/articles.jsonl");
    let whole = merged_shards_equal_one_run(&Scratch::new(), articles.to_str().unwrap());
    for label in ["\"Ivica Dačić\"", "\"Tomislav Nikolić\""] {
        assert!(whole.contains(label), "{whole}");
    }
}

#[test]
fn provenance_levels_and_the_mention_stream() {
    let scratch = Scratch::new();
    let seeds = root().join("seeds");
    let seeds = seeds.to_str().unwrap();
    let full: Value = serde_json::from_str(&scratch.run(&["extract", seeds]).stdout).unwrap();
    let none: Value = serde_json::from_str(
        &scratch
            .run(&["extract", seeds, "--provenance", "none"])
            .stdout,
    )
    .unwrap();
    let documents: Value = serde_json::from_str(
        &scratch
            .run(&[
                "extract",
                seeds,
                "--provenance",
                "documents",
                "--mentions",
                "m.jsonl",
            ])
            .stdout,
    )
    .unwrap();
    let total = |g: &Value, field: &str| -> u64 {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| match field {
                "count" => n["mention_count"].as_u64().unwrap(),
                _ => n["mentions"].as_array().unwrap().len() as u64,
            })
            .sum()
    };
    assert_eq!(total(&full, "count"), total(&full, "list"));
    assert_eq!(total(&none, "list"), 0);
    assert_eq!(total(&none, "count"), total(&full, "count"));
    assert!(total(&documents, "list") < total(&full, "list"));
    // `none` keeps the edges and their weights, without the co-mention
    // edges' document lists.
    let edges = |g: &Value| g["edges"].as_array().unwrap().clone();
    assert_eq!(edges(&full).len(), edges(&none).len());
    let mut emptied = 0;
    for (kept, counted) in edges(&full).iter().zip(edges(&none)) {
        let mut expected = kept.clone();
        if kept["kind"] == "co_mention" {
            expected["documents"] = serde_json::json!([]);
            emptied += 1;
        }
        assert_eq!(counted, expected);
    }
    assert!(emptied > 0);
    assert_eq!(full["edges"], documents["edges"]);
    let stream = fs::read_to_string(scratch.path().join("m.jsonl")).unwrap();
    assert_eq!(stream.lines().count() as u64, total(&full, "count"));
    // Every line is one of the full graph's mentions, with its entity, in
    // the stream's key order.
    let mut kept: Vec<String> = Vec::new();
    for node in full["nodes"].as_array().unwrap() {
        for m in node["mentions"].as_array().unwrap() {
            kept.push(format!(
                "{{\"document\":{},\"end\":{},\"entity\":{},\"sentence\":{},\"start\":{},\"text\":{}}}",
                m["document"], m["end"], node["id"], m["sentence"], m["start"], m["text"]
            ));
        }
    }
    let mut streamed: Vec<String> = stream.lines().map(str::to_string).collect();
    kept.sort();
    streamed.sort();
    assert_eq!(streamed, kept);
}

#[test]
fn legacy_encodings_binary_files_and_strict_mode() {
    let scratch = Scratch::new();
    scratch.write(
        "in/a.txt",
        b"Wladimir Putin sprach mit Erdo\xf0an in M\xfcnchen.",
    );
    scratch.write("in/b.txt", "Erdoğan traf Putin.");
    scratch.write("in/c.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let utf8 = scratch.run(&["extract", "in"]);
    assert_eq!(utf8.code, 2);
    assert_eq!(
        utf8.stderr,
        format!(
            "newsgraph: {a}: invalid UTF-8 at byte 30\nhint: for legacy files use --encoding windows-1252 (or latin1, utf-16)\nnewsgraph: {c}: binary file (NUL byte at offset 8), not a text article; skipped\n",
            a = std::path::Path::new("in").join("a.txt").display(),
            c = std::path::Path::new("in").join("c.txt").display()
        )
    );
    let graph: Value = serde_json::from_str(&utf8.stdout).unwrap();
    assert_eq!(graph["documents"].as_array().unwrap().len(), 1);
    let latin = scratch.run(&["extract", "in/a.txt", "--encoding", "windows-1252"]);
    assert_eq!(latin.code, 0, "{}", latin.stderr);
    let graph: Value = serde_json::from_str(&latin.stdout).unwrap();
    let bytes = fs::read(scratch.path().join("in/a.txt")).unwrap();
    let putin = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "person:wladimir-putin")
        .unwrap();
    let mention = &putin["mentions"][0];
    let (start, end) = (
        mention["start"].as_u64().unwrap() as usize,
        mention["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&bytes[start..end], b"Wladimir Putin");
    let strict = scratch.run(&["extract", "in", "--strict"]);
    assert_eq!(strict.code, 2);
    assert_eq!(strict.stdout, "");
}

#[test]
fn unknown_people_introduced_by_a_role_are_discovered() {
    let scratch = Scratch::new();
    scratch.write(
        "a.txt",
        "Der georgische Außenminister Ilia Dartschiaschwili traf am Montag in Tiflis den russischen Außenminister Sergej Lawrow. Dartschiaschwili sprach von einem guten Gespräch.",
    );
    let run = scratch.run(&["extract", "a.txt", "--document-date", "2023-05-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let node = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "person:ilia-dartschiaschwili")
        .expect("discovered");
    assert_eq!(node["source"], "discovered");
    assert_eq!(node["mention_count"], 2);
    assert!(node["confidence"].as_f64().unwrap() < 1.0);
    let interaction = &graph["interactions"][0];
    assert_eq!(
        interaction["participants"],
        serde_json::json!(["person:ilia-dartschiaschwili", "person:sergej-lawrow"])
    );
    assert_eq!(interaction["date"], "2023-05-08");
    let off = scratch.run(&["extract", "a.txt", "--no-discovery"]);
    assert!(!off.stdout.contains("dartschiaschwili"));
}

#[test]
fn check_reports_a_stale_graph() {
    let scratch = Scratch::new();
    let seeds = root().join("seeds");
    let seeds = seeds.to_str().unwrap();
    let one = root().join("seeds/000_dc6b3372b8fcd70d.txt");
    assert_eq!(
        scratch
            .run(&[
                "extract",
                seeds,
                "--format",
                "graphml",
                "-o",
                "graph.graphml"
            ])
            .code,
        0
    );
    let fresh = scratch.run(&[
        "extract",
        seeds,
        "--format",
        "graphml",
        "--check",
        "graph.graphml",
    ]);
    assert_eq!((fresh.code, fresh.stderr.as_str()), (0, ""));
    let stale = scratch.run(&[
        "extract",
        one.to_str().unwrap(),
        "--format",
        "graphml",
        "--check",
        "graph.graphml",
    ]);
    assert_eq!(stale.code, 1);
    assert!(
        stale
            .stderr
            .starts_with("newsgraph: graph.graphml: stale: "),
        "{}",
        stale.stderr
    );
    assert!(stale.stderr.contains("removed"), "{}", stale.stderr);
}

#[test]
fn csv_writes_a_folder_and_needs_one() {
    let scratch = Scratch::new();
    let seeds = root().join("seeds");
    let run = scratch.run(&[
        "extract",
        seeds.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let nodes = fs::read_to_string(scratch.path().join("out/nodes.csv")).unwrap();
    assert!(nodes.lines().next().unwrap().contains(":ID"));
    let missing = scratch.run(&["extract", seeds.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr,
        "newsgraph: --format csv writes a folder\nhint: name it with -o DIR\n"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let run = run(&["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("who-met"), "{shell}");
    }
    let man = run(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") && man.stdout.contains("newsgraph\\-who\\-met"),
        "{}",
        &man.stdout[..200]
    );
}

#[test]
fn builtin_roles_resolve_by_the_document_date() {
    let scratch = Scratch::new();
    let participants = |text: &str| -> Vec<Value> {
        let run = util::run_in(scratch.path(), &["extract", "-"], Some(text));
        assert_eq!(run.code, 0, "{}", run.stderr);
        let graph: Value = serde_json::from_str(&run.stdout).unwrap();
        graph["interactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["participants"].clone())
            .collect()
    };
    let sentence =
        "Der türkische Außenminister traf am Montag in Ankara seinen russischen Amtskollegen.";
    assert_eq!(
        participants(&format!(" date 2020-03-01 {sentence}")),
        [serde_json::json!([
            "person:mevluet-cavusoglu",
            "person:sergej-lawrow"
        ])]
    );
    assert_eq!(
        participants(&format!(" date 2024-03-01 {sentence}")),
        [serde_json::json!([
            "person:hakan-fidan",
            "person:sergej-lawrow"
        ])]
    );
    // Without a document date a bare role stays unresolved.
    assert!(participants(sentence).is_empty());
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let scratch = Scratch::new();
    // Enough documents for several batches, so batches overlap.
    let mut lines = String::new();
    let seeds = root().join("seeds");
    let mut texts: Vec<String> = fs::read_dir(&seeds)
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    for i in 0..700 {
        let text = &texts[i % texts.len()];
        lines.push_str(&serde_json::json!({"id": format!("d{i:04}"), "text": text}).to_string());
        lines.push('\n');
    }
    scratch.write("many.jsonl", lines);
    let run = |threads: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["extract", "many.jsonl", "--quiet"])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(scratch.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let one = run("1");
    assert_eq!(one, run("3"));
    let graph: Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(graph["documents"].as_array().unwrap().len(), 700);
}

/// `--timings` reports each phase on standard error, in order, with the
/// total; the output is the same as without it, and nothing is reported
/// without it. Replacing an existing output (the file is written back as
/// it is written) leaves the same bytes as writing a new one.
#[test]
fn timings_report_the_phases_of_a_run() {
    let scratch = Scratch::new();
    let out = scratch.path().join("graph.json");
    let out = out.to_str().unwrap();
    let plain = run(&["extract", "seeds", "-o", out]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(plain.stderr, "");
    let first = fs::read_to_string(out).unwrap();
    // The file is there now: this run replaces it.
    let timed = run(&["extract", "seeds", "-o", out, "--timings"]);
    assert_eq!(timed.code, 0, "{}", timed.stderr);
    assert_eq!(fs::read_to_string(out).unwrap(), first);
    let lines: Vec<&str> = timed.stderr.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"newsgraph: timings"),
        "{}",
        timed.stderr
    );
    let phases: Vec<&str> = lines[1..]
        .iter()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "start-up", "analysis", "graph", "output", "replace", "total"
        ],
        "{}",
        timed.stderr
    );
    assert!(timed.stderr.contains("5 documents"), "{}", timed.stderr);
    assert!(
        timed
            .stderr
            .contains("renamed over the file that was there"),
        "{}",
        timed.stderr
    );
    let ms = |line: &str| -> f64 { line.split_whitespace().nth(1).unwrap().parse().unwrap() };
    let sum: f64 = lines[1..lines.len() - 1].iter().map(|line| ms(line)).sum();
    assert!(
        (sum - ms(lines[lines.len() - 1])).abs() < 0.5,
        "{}",
        timed.stderr
    );
    // To standard output, the report stays on standard error; the mention
    // stream is a phase of its own.
    let mentions = scratch.path().join("mentions.jsonl");
    let printed = run(&[
        "extract",
        "seeds",
        "--timings",
        "--mentions",
        mentions.to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(printed.stdout, first);
    assert!(
        printed.stderr.contains("\n  mentions "),
        "{}",
        printed.stderr
    );
    assert!(printed.stderr.contains("\n  output "), "{}", printed.stderr);
    assert!(!printed.stderr.contains("replace"), "{}", printed.stderr);
    // `merge` reports its own phases.
    let merged = scratch.path().join("merged.json");
    let merge = run(&["merge", out, "-o", merged.to_str().unwrap(), "--timings"]);
    assert_eq!(merge.code, 0, "{}", merge.stderr);
    assert_eq!(fs::read_to_string(&merged).unwrap(), first);
    let phases: Vec<&str> = merge
        .stderr
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        phases,
        ["reading", "graph", "output", "replace", "total"],
        "{}",
        merge.stderr
    );
    assert!(
        merge.stderr.contains("renamed into place"),
        "{}",
        merge.stderr
    );
}

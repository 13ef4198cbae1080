//! Bad input never crashes newsgraph: the real binary over folders of bad
//! files mixed with good ones. Each bad document is reported on standard
//! error as `newsgraph: path[:line]: what is wrong` (checked to the byte),
//! the graph of the good ones is still written with all their entities, and
//! the exit status is 2.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// What one run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `newsgraph ARGS` in `dir`, with `stdin` as standard input.
fn newsgraph(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(input)
            .expect("stdin is written");
    }
    let output = child.wait_with_output().expect("the binary ends");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "newsgraph {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

/// A scratch folder with files, removed when dropped.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to `name` (creating folders) and returns its path.
    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::create_dir_all(path.parent().expect("a file in a folder"))
            .expect("folders are created");
        fs::write(&path, content).expect("the file is written");
        path
    }

    fn read_json(&self, name: &str) -> Value {
        let text = fs::read_to_string(self.path().join(name)).expect("the graph was written");
        serde_json::from_str(&text).expect("the graph is JSON")
    }
}

/// Document id → the ids of the entities mentioned in it.
fn entities_by_document(graph: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in graph["nodes"].as_array().expect("nodes") {
        for mention in node["mentions"].as_array().expect("mentions") {
            let document = mention["document"]
                .as_str()
                .expect("a document id")
                .to_string();
            found
                .entry(document)
                .or_default()
                .insert(node["id"].as_str().expect("an id").to_string());
        }
    }
    found
}

fn document_ids(graph: &Value) -> Vec<String> {
    let documents = graph["documents"].as_array().expect("documents");
    documents
        .iter()
        .map(|d| d["id"].as_str().expect("an id").to_string())
        .collect()
}

/// `(start, end, text)` of every mention of `entity` in `document`.
fn mentions(graph: &Value, entity: &str, document: &str) -> Vec<(u64, u64, String)> {
    let nodes = graph["nodes"].as_array().expect("nodes");
    let Some(node) = nodes.iter().find(|node| node["id"] == entity) else {
        return Vec::new();
    };
    node["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .filter(|m| m["document"] == document)
        .map(|m| {
            let offset = |key: &str| m[key].as_u64().expect("an offset");
            (
                offset("start"),
                offset("end"),
                m["text"].as_str().expect("text").to_string(),
            )
        })
        .collect()
}

/// Asserts that each good document is listed and that its entities are in
/// the graph, mentioned in it.
fn assert_good_documents(graph: &Value, expected: &[(&str, &[&str])]) {
    let found = entities_by_document(graph);
    let listed = document_ids(graph);
    for (document, entities) in expected {
        assert!(
            listed.iter().any(|id| id == document),
            "document {document} is not listed: {listed:?}"
        );
        let have = found.get(*document).cloned().unwrap_or_default();
        for entity in *entities {
            assert!(
                have.contains(*entity),
                "{document}: {entity} is missing; found {have:?}"
            );
        }
    }
}

const HINT_ENCODING: &str =
    "hint: for legacy files use --encoding windows-1252 (or latin1, utf-16)";

/// A PNG header: binary, with NUL bytes.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";

/// True when the current user can still read a file after `chmod 000`
/// (root can read anything), in which case the unreadable case is skipped.
#[cfg(unix)]
fn make_unreadable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    fs::read(path).is_err()
}

#[cfg(not(unix))]
fn make_unreadable(_path: &Path) -> bool {
    false
}

/// The main case: one folder of bad files mixed with good ones, plus a JSONL
/// file with bad lines between good ones.
#[test]
fn bad_documents_are_reported_and_the_good_ones_kept() {
    let scratch = Scratch::new();
    scratch.write(
        "corpus/a_good.txt",
        "Wladimir Putin traf Recep Tayyip Erdoğan in Sotschi.",
    );
    scratch.write("corpus/b_latin1.txt", b"Gr\xfc\xdfe von Lawrow an Merkel");
    scratch.write("corpus/c_image.txt", PNG);
    scratch.write("corpus/d_paper.txt", "%PDF-1.7\n%âãÏÓ\n1 0 obj Putin");
    // An empty article and one with only a byte-order mark are documents
    // without entities, not errors.
    scratch.write("corpus/e_empty.txt", "");
    scratch.write("corpus/f_bom.txt", "\u{feff}");
    scratch.write(
        "corpus/g_crlf.txt",
        "Sergej Lawrow traf Mevlüt Çavuşoğlu.\r\nDann sprach Emmanuel Macron.\r\n",
    );
    scratch.write(
        "corpus/h_cr.txt",
        "Sergej Lawrow traf\rÇavuşoğlu.\rDann sprach Angela Merkel.",
    );
    // Decomposed (NFD) letters, as some macOS tools write them.
    scratch.write(
        "corpus/i_nfd.txt",
        "Erdog\u{306}an traf C\u{327}avus\u{327}og\u{306}lu in Ko\u{308}ln.",
    );
    // A soft hyphen and a zero-width space inside names.
    scratch.write(
        "corpus/j_invisible.txt",
        "Pu\u{ad}tin traf Erdo\u{200b}ğan in Mos\u{ad}kau.",
    );
    // Direction marks and embeddings around and inside names.
    scratch.write(
        "corpus/k_rtl.txt",
        "\u{200f}Putin\u{200e} traf \u{202b}Lawrow\u{202c} und Erdo\u{200f}ğan.",
    );
    let unreadable = scratch.write("corpus/l_unreadable.txt", "Putin traf Macron.");
    let skip_unreadable = !make_unreadable(&unreadable);
    // 100 nested folders, and a link back up (a loop) on Unix.
    let deep: String = (0..100).map(|level| format!("d{level}/")).collect();
    scratch.write(
        &format!("corpus/m/{deep}m_deep.txt"),
        "Angela Merkel traf Joe Biden.",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", scratch.path().join("corpus/m/loop")).expect("a link");
    scratch.write(
        "articles.jsonl",
        concat!(
            "{\"id\": \"j1\", \"text\": \"Putin sprach mit Macron.\"}\n",
            "{\"id\": \"j2\", \"text\": broken\n",
            "{\"id\": \"j3\", \"text\": \"Lawrow traf Blinken.\", \"date\": \"2021-05-20\"}\n",
            "{\"id\": \"j4\"}\n",
            "\n",
            "{\"id\": \"j5\", \"text\": \"Olaf Scholz in Kiew.\"}\n",
        ),
    );

    let run = newsgraph(
        scratch.path(),
        &["extract", "corpus", "articles.jsonl", "-o", "graph.json"],
        None,
    );

    let mut expected = vec![
        "newsgraph: corpus/b_latin1.txt: invalid UTF-8 at byte 2",
        HINT_ENCODING,
        "newsgraph: corpus/c_image.txt: binary file (NUL byte at offset 8), not a text article; skipped",
        "newsgraph: corpus/d_paper.txt: a PDF file, not a text article; skipped (extract its text first)",
    ];
    if !skip_unreadable {
        expected.push("newsgraph: corpus/l_unreadable.txt: Permission denied (os error 13)");
    }
    expected.extend([
        "newsgraph: articles.jsonl:2: not an article (expected {\"id\", \"text\", \"date\"}): expected value at line 1 column 22",
        "newsgraph: articles.jsonl:4: not an article (expected {\"id\", \"text\", \"date\"}): missing field `text` at line 1 column 12",
    ]);
    let stderr: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(stderr, expected);
    assert_eq!(run.code, 2);

    let graph = scratch.read_json("graph.json");
    let mut listed = vec![
        "a_good",
        "e_empty",
        "f_bom",
        "g_crlf",
        "h_cr",
        "i_nfd",
        "j1",
        "j3",
        "j5",
        "j_invisible",
        "k_rtl",
        "m_deep",
    ];
    if skip_unreadable {
        listed.push("l_unreadable");
        listed.sort();
    }
    assert_eq!(
        document_ids(&graph),
        listed,
        "every good document once (the link loop adds none)"
    );
    assert_good_documents(
        &graph,
        &[
            (
                "a_good",
                &[
                    "person:wladimir-putin",
                    "person:recep-tayyip-erdogan",
                    "place:sotschi",
                ],
            ),
            (
                "g_crlf",
                &[
                    "person:sergej-lawrow",
                    "person:mevluet-cavusoglu",
                    "person:emmanuel-macron",
                ],
            ),
            (
                "h_cr",
                &[
                    "person:sergej-lawrow",
                    "person:mevluet-cavusoglu",
                    "person:angela-merkel",
                ],
            ),
            (
                "i_nfd",
                &[
                    "person:recep-tayyip-erdogan",
                    "person:mevluet-cavusoglu",
                    "place:koeln",
                ],
            ),
            (
                "j_invisible",
                &[
                    "person:wladimir-putin",
                    "person:recep-tayyip-erdogan",
                    "place:moskau",
                ],
            ),
            (
                "k_rtl",
                &[
                    "person:wladimir-putin",
                    "person:sergej-lawrow",
                    "person:recep-tayyip-erdogan",
                ],
            ),
            ("m_deep", &["person:angela-merkel", "person:joe-biden"]),
            ("j1", &["person:wladimir-putin", "person:emmanuel-macron"]),
            ("j3", &["person:sergej-lawrow", "person:antony-blinken"]),
            ("j5", &["person:olaf-scholz", "place:kiew"]),
        ],
    );
    let found = entities_by_document(&graph);
    for empty in ["e_empty", "f_bom"] {
        assert!(!found.contains_key(empty), "{empty} has no entities");
    }
    // Offsets are bytes of the file as written, invisible characters included.
    assert_eq!(
        mentions(&graph, "person:wladimir-putin", "j_invisible"),
        [(0, 7, "Pu\u{ad}tin".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:recep-tayyip-erdogan", "j_invisible"),
        [(13, 24, "Erdo\u{200b}ğan".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:recep-tayyip-erdogan", "i_nfd"),
        [(0, 9, "Erdog\u{306}an".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:angela-merkel", "h_cr"),
        [(45, 58, "Angela Merkel".to_string())]
    );
}

#[test]
fn every_message_names_its_path() {
    let scratch = Scratch::new();
    scratch.write("in/a.txt", "Putin traf Erdoğan.");
    scratch.write("in/b.txt", b"\xff\xfe\xfd");
    scratch.write(
        "x.ndjson",
        "{\"id\": 1, \"text\": \"Macron\"}\n[1, 2]\n{\"id\": \"\", \"text\": \"x\"}\n",
    );
    let run = newsgraph(
        scratch.path(),
        &["extract", "in", "x.ndjson", "missing.txt", "--quiet"],
        None,
    );
    // \xff\xfe is a UTF-16 byte-order mark: the file is decoded as UTF-16 and
    // is not an error. serde reads a struct from an array too: `[1, 2]` is
    // id 1 with text 2.
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "newsgraph: x.ndjson:2: not an article (expected {\"id\", \"text\", \"date\"}): invalid type: integer `2`, expected a string at line 1 column 5",
            "newsgraph: x.ndjson:3: bad article id \"\" (expected a non-empty string)",
            "newsgraph: missing.txt: No such file or directory (os error 2)",
        ]
    );
    assert_eq!(run.code, 2);
    let graph: Value = serde_json::from_str(&run.stdout).expect("the graph is written");
    assert_eq!(document_ids(&graph), ["1", "a", "b"]);
}

#[test]
fn standard_input_is_named_dash() {
    let scratch = Scratch::new();
    let input = b"{\"id\": \"s1\", \"text\": \"Putin traf Erdo\xc4\x9fan.\"}\n{\"id\": \"s2\", \"text\": \"\xff\"}\n{oops}\n";
    let run = newsgraph(scratch.path(), &["extract", "-"], Some(input));
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "newsgraph: -:2: invalid UTF-8 at byte 22",
            HINT_ENCODING,
            "newsgraph: -:3: not an article (expected {\"id\", \"text\", \"date\"}): key must be a string at line 1 column 2",
        ]
    );
    assert_eq!(run.code, 2);
    let graph: Value = serde_json::from_str(&run.stdout).expect("the graph is written");
    assert_good_documents(
        &graph,
        &[(
            "s1",
            &["person:wladimir-putin", "person:recep-tayyip-erdogan"],
        )],
    );
}

#[test]
fn strict_stops_at_the_first_bad_file() {
    let scratch = Scratch::new();
    scratch.write("corpus/a.txt", "Putin traf Erdoğan.");
    scratch.write("corpus/b.txt", b"Gr\xfc\xdfe");
    scratch.write("corpus/c.txt", PNG);
    scratch.write("corpus/d.txt", "Lawrow traf Blinken.");
    let run = newsgraph(
        scratch.path(),
        &["extract", "corpus", "--strict", "-o", "graph.json"],
        None,
    );
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "newsgraph: corpus/b.txt: invalid UTF-8 at byte 2",
            HINT_ENCODING
        ],
        "the first bad file is reported once, and nothing after it"
    );
    assert_eq!(run.code, 2);
    assert!(
        !scratch.path().join("graph.json").exists(),
        "no graph is written"
    );
}

/// A graph file that is cut short or holds a bad value is named with the
/// line where it goes wrong, by `merge` and `who-met`, and the output of
/// `merge` is not written.
#[test]
fn bad_graph_files_are_named_by_line() {
    let scratch = Scratch::new();
    for (article, text, graph) in [
        (
            "a.txt",
            "Putin telefonierte am Montag mit Erdoğan.",
            "good.json",
        ),
        (
            "b.txt",
            "Lawrow traf am Dienstag Cavusoglu in Sotschi.",
            "other.json",
        ),
    ] {
        scratch.write(article, text);
        let run = newsgraph(
            scratch.path(),
            &["extract", article, "-o", graph, "--quiet"],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    // The other graph's documents are not the good one's: what is wrong
    // with it is its text.
    let other = std::fs::read_to_string(scratch.path().join("other.json")).unwrap();
    let cut = &other[..other.find("\"edges\"").expect("an edge list")];
    scratch.write("cut.json", cut);
    let line = other.lines().position(|l| l.contains("\"start\"")).unwrap() + 1;
    scratch.write("bad.json", other.replacen("\"start\": ", "\"start\": -", 1));
    let end = cut.lines().count();
    for (file, expected) in [
        (
            "cut.json",
            format!(
                "newsgraph: cut.json:{end}: not a newsgraph graph: EOF while parsing an object"
            ),
        ),
        (
            "bad.json",
            format!("newsgraph: bad.json:{line}: not a newsgraph graph: invalid value: integer `-"),
        ),
    ] {
        let merged = newsgraph(
            scratch.path(),
            &["merge", "good.json", file, "-o", "merged.json"],
            None,
        );
        assert_ne!(merged.code, 0);
        assert!(merged.stderr.starts_with(&expected), "{}", merged.stderr);
        assert!(!scratch.path().join("merged.json").exists());
        let asked = newsgraph(scratch.path(), &["who-met", file], None);
        assert_ne!(asked.code, 0);
        assert!(asked.stderr.starts_with(&expected), "{}", asked.stderr);
    }
}

#[test]
fn an_unwritable_output_fails_before_any_work() {
    let scratch = Scratch::new();
    scratch.write("corpus/a.txt", "Putin traf Erdoğan.");
    scratch.write("corpus/b.txt", b"\xfc bad");
    // Reading the inputs would report corpus/b.txt: only the output error
    // may appear.
    let run = newsgraph(
        scratch.path(),
        &["extract", "corpus", "-o", "missing/graph.json"],
        None,
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "newsgraph: cannot write missing/graph.json: No such file or directory (os error 2)"
        ),
        "{lines:?}"
    );
    assert_eq!(run.code, 2);

    let run = newsgraph(scratch.path(), &["extract", "corpus", "-o", "corpus"], None);
    assert_eq!(
        run.stderr,
        "newsgraph: cannot write corpus: it is a folder\n"
    );
    assert_eq!(run.code, 2);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = scratch.path().join("locked");
        fs::create_dir(&locked).expect("a folder");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).expect("chmod 555");
        // Root writes anywhere: the case holds only for other users.
        if fs::write(locked.join("probe"), "").is_err() {
            let run = newsgraph(
                scratch.path(),
                &["extract", "corpus", "-o", "locked/graph.json"],
                None,
            );
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 1, "{lines:?}");
            assert!(
                lines[0].starts_with(
                    "newsgraph: cannot write locked/graph.json: Permission denied (os error 13)"
                ),
                "{lines:?}"
            );
            assert_eq!(run.code, 2);
        }
    }
}

#[test]
fn an_unwritable_output_names_no_temporary_file() {
    let scratch = Scratch::new();
    scratch.write("a.txt", "Putin");
    let run = newsgraph(
        scratch.path(),
        &["extract", "a.txt", "-o", "missing/graph.json"],
        None,
    );
    assert_eq!(
        run.stderr,
        "newsgraph: cannot write missing/graph.json: No such file or directory (os error 2)\n"
    );
    assert_eq!(run.code, 2);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let scratch = Scratch::new();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for copy in 0..20 {
        for entry in fs::read_dir(&seeds).expect("seeds/") {
            let path = entry.expect("an entry").path();
            let name = path.file_stem().expect("a name").to_string_lossy();
            fs::copy(&path, scratch.path().join(format!("{name}-{copy}.txt"))).expect("a copy");
        }
    }
    // `newsgraph extract . | head -c 100`: the output (about 1 MB) is far
    // larger than a pipe's buffer, so the writer meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["extract", "."])
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut head = [0u8; 100];
    stdout
        .read_exact(&mut head)
        .expect("the start of the graph");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("the binary ends");
    assert_eq!(stderr, "", "a closed pipe is not an error");
    assert_eq!(status.code(), Some(0));
    assert!(head.starts_with(b"{"));
}

#[test]
fn legacy_encodings_keep_offsets_into_the_original_bytes() {
    let scratch = Scratch::new();
    // Windows-1252: „ and “ are single bytes (0x84, 0x93), so are ü, ß and ö.
    scratch.write(
        "w.txt",
        b"Gr\xfc\xdfe: Merkel traf \x84Macron\x93 in K\xf6ln.",
    );
    let run = newsgraph(
        scratch.path(),
        &["extract", "w.txt", "--encoding", "windows-1252"],
        None,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        mentions(&graph, "person:angela-merkel", "w"),
        [(7, 13, "Merkel".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:emmanuel-macron", "w"),
        [(20, 26, "Macron".to_string())]
    );
    assert_eq!(
        mentions(&graph, "place:koeln", "w"),
        [(31, 35, "Köln".to_string())]
    );
    let run = newsgraph(
        scratch.path(),
        &["extract", "w.txt", "--encoding", "latin1"],
        None,
    );
    let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        mentions(&graph, "place:koeln", "w"),
        [(31, 35, "Köln".to_string())]
    );

    // UTF-16 with a byte-order mark is recognized without the option;
    // offsets count the BOM and two or four bytes a character.
    let utf16 = |bom: &[u8], text: &str, big_endian: bool| -> Vec<u8> {
        let mut bytes = bom.to_vec();
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    scratch.write(
        "le.txt",
        utf16(
            b"\xff\xfe",
            "Grüße: Putin traf Erdoğan 😀 in Moskau.",
            false,
        ),
    );
    scratch.write("be.txt", utf16(b"\xfe\xff", "Putin traf Erdoğan.", true));
    scratch.write("nobom.txt", utf16(b"", "Putin traf Erdoğan.", false));
    let run = newsgraph(scratch.path(), &["extract", "le.txt", "be.txt"], None);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        mentions(&graph, "person:wladimir-putin", "le"),
        [(16, 26, "Putin".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:recep-tayyip-erdogan", "le"),
        [(38, 52, "Erdoğan".to_string())]
    );
    assert_eq!(
        mentions(&graph, "place:moskau", "le"),
        [(66, 78, "Moskau".to_string())]
    );
    assert_eq!(
        mentions(&graph, "person:recep-tayyip-erdogan", "be"),
        [(24, 38, "Erdoğan".to_string())]
    );

    // Without a BOM, UTF-16 looks binary unless the option says otherwise.
    let run = newsgraph(scratch.path(), &["extract", "nobom.txt"], None);
    assert_eq!(
        run.stderr,
        "newsgraph: nobom.txt: binary file (NUL byte at offset 1), not a text article; skipped\n"
    );
    assert_eq!(run.code, 2);
    let run = newsgraph(
        scratch.path(),
        &["extract", "nobom.txt", "--encoding", "utf-16"],
        None,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        mentions(&graph, "person:recep-tayyip-erdogan", "nobom"),
        [(22, 36, "Erdoğan".to_string())]
    );
}

#[test]
fn bad_option_values_name_the_option() {
    let scratch = Scratch::new();
    scratch.write("a.txt", "Putin");
    let cases = [
        (
            &["--format", "xml"][..],
            "invalid value 'xml' for '--format <FORMAT>': unknown format \"xml\" (expected json, graphml, gexf, jgf, dot, csv)",
        ),
        (
            &["--shard", "0/3"][..],
            "invalid value '0/3' for '--shard <I/N>': bad shard \"0/3\" (expected I/N with 1 <= I <= N, e.g. 2/8)",
        ),
        (
            &["--document-date", "2020-13"][..],
            "invalid value '2020-13' for '--document-date <DATE>': bad date \"2020-13\" (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        ),
        (
            &["--encoding", "ebcdic"][..],
            "invalid value 'ebcdic' for '--encoding <ENCODING>': unknown encoding \"ebcdic\" (expected utf-8, windows-1252, latin1 or utf-16)",
        ),
    ];
    for (option, message) in cases {
        let mut args = vec!["extract", "a.txt"];
        args.extend(option);
        let run = newsgraph(scratch.path(), &args, None);
        assert_eq!(
            run.stderr,
            format!("error: {message}\n\nFor more information, try '--help'.\n"),
            "{option:?}"
        );
        assert_eq!(run.code, 2, "{option:?}");
        assert_eq!(run.stdout, "", "{option:?}");
    }
}

/// A long article on one line (text extracted from HTML or JSON often has no
/// line breaks). 50 MB takes about 80 s in a debug build (7 s in release),
/// so the test uses 8 MB: about 10 s in debug.
#[test]
fn a_large_single_line_file_is_read() {
    const SIZE: usize = 8 << 20;
    let scratch = Scratch::new();
    let sentence = "Wladimir Putin traf am Mittwoch in Moskau den türkischen Präsidenten Erdoğan. ";
    let mut text = sentence.repeat(SIZE / sentence.len());
    text.push_str("Zum Schluss sprach Angela Merkel.");
    scratch.write("big.txt", &text);
    scratch.write("small.txt", "Lawrow traf Blinken.");
    let started = Instant::now();
    let run = newsgraph(
        scratch.path(),
        &[
            "extract",
            "big.txt",
            "small.txt",
            "--provenance",
            "documents",
            "-o",
            "graph.json",
        ],
        None,
    );
    eprintln!("{} MB on one line: {:.1?}", SIZE >> 20, started.elapsed());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let graph = scratch.read_json("graph.json");
    assert_good_documents(
        &graph,
        &[
            (
                "big",
                &[
                    "person:wladimir-putin",
                    "person:recep-tayyip-erdogan",
                    "place:moskau",
                    "person:angela-merkel",
                ],
            ),
            ("small", &["person:sergej-lawrow", "person:antony-blinken"]),
        ],
    );
    let nodes = graph["nodes"].as_array().expect("nodes");
    let putin = nodes
        .iter()
        .find(|node| node["id"] == "person:wladimir-putin")
        .expect("Putin");
    assert_eq!(putin["mention_count"], SIZE / sentence.len());
}

/// A run-on line without a sentence end: one "sentence" of a megabyte, full
/// of names (once quadratic in the number of mentions: minutes for 1 MB).
#[test]
fn a_long_line_without_sentence_end_is_read() {
    let scratch = Scratch::new();
    let words = "Wladimir Putin traf am Mittwoch in Moskau den türkischen Präsidenten Erdoğan und ";
    scratch.write("runon.txt", words.repeat((1 << 20) / words.len()));
    let started = Instant::now();
    let run = newsgraph(
        scratch.path(),
        &[
            "extract",
            "runon.txt",
            "--provenance",
            "none",
            "-o",
            "graph.json",
        ],
        None,
    );
    let elapsed = started.elapsed();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let graph = scratch.read_json("graph.json");
    let ids: Vec<&str> = graph["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "person:recep-tayyip-erdogan",
            "person:wladimir-putin",
            "place:moskau"
        ]
    );
    assert!(
        elapsed.as_secs() < 60,
        "1 MB without a sentence end took {elapsed:.1?}"
    );
}

/// A user gazetteer with "-" as an alias (a placeholder for "none") crashed
/// every document (found by fuzzing). Either the alias is ignored or the
/// file is refused with its line; never a panic.
#[test]
fn a_gazetteer_alias_without_letters_does_not_crash() {
    let scratch = Scratch::new();
    scratch.write(
        "gz/people.tsv",
        "id\tlabel\taliases\twikidata\nperson:anna-a\tAnna A\t-\n",
    );
    scratch.write("a.txt", "Anna A traf Putin - in Berlin.");
    let run = newsgraph(
        scratch.path(),
        &["extract", "a.txt", "--gazetteer", "gz"],
        None,
    );
    if run.code == 0 {
        let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_good_documents(&graph, &[("a", &["person:anna-a"])]);
    } else {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .starts_with("newsgraph: cannot load the gazetteer: gz/people.tsv:2: "),
            "{}",
            run.stderr
        );
    }
}

/// Gazetteer errors name the file and line, like every other message.
#[test]
fn a_gazetteer_reference_to_an_unknown_entity_names_file_and_line() {
    let scratch = Scratch::new();
    scratch.write(
        "gz/people.tsv",
        "id\tlabel\taliases\twikidata\nperson:anna-a\tAnna A\t\n",
    );
    scratch.write("gz/roles.tsv", "person\trole\tof\tstart\tend\n# Anna\nperson:anna-a\thead_of_state\tplace:nowhere\t2020\t\n");
    scratch.write("a.txt", "Anna A");
    let run = newsgraph(
        scratch.path(),
        &["extract", "a.txt", "--gazetteer", "gz"],
        None,
    );
    assert_eq!(
        run.stderr,
        "newsgraph: cannot load the gazetteer: gz/roles.tsv:3: unknown entity id \"place:nowhere\"\n"
    );
    assert_eq!(run.code, 2);
}

/// A FIFO named `*.txt` inside a folder (left over in a scratch folder)
/// must not block the walk forever: it is skipped or reported, and the
/// articles beside it are read.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_does_not_hang() {
    let scratch = Scratch::new();
    scratch.write("corpus/a.txt", "Putin traf Macron.");
    let made = Command::new("mkfifo")
        .arg(scratch.path().join("corpus/pipe.txt"))
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["extract", "corpus", "-o", "graph.json"])
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed().as_secs() > 30 {
            child.kill().expect("kill");
            child.wait().expect("wait");
            panic!("newsgraph extract blocks on a FIFO in the folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(status.code(), Some(0 | 2)), "{status:?}: {stderr}");
    assert_good_documents(
        &scratch.read_json("graph.json"),
        &[("a", &["person:wladimir-putin", "person:emmanuel-macron"])],
    );
}

/// `--format csv -o DIR` writes a folder: it too is checked before the work
/// (no document is read, so no bad document is reported).
#[test]
fn an_unwritable_csv_folder_fails_before_any_work() {
    let scratch = Scratch::new();
    scratch.write("corpus/a.txt", "Putin traf Erdoğan.");
    scratch.write("corpus/b.txt", b"\xfc bad");
    scratch.write("plain", "a file, not a folder");
    let run = newsgraph(
        scratch.path(),
        &["extract", "corpus", "--format", "csv", "-o", "plain/graph"],
        None,
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "only the output error: {lines:?}");
    assert!(
        lines[0].starts_with("newsgraph: ") && lines[0].contains("plain/graph"),
        "{lines:?}"
    );
    assert_eq!(run.code, 2);
}

/// Bad lines spread over several batches of a long JSONL file (the input is
/// read ahead of the analysis): each is reported in order, every good
/// document is in the graph; `--strict` stops at the first.
#[test]
fn bad_lines_across_batches_are_reported_in_order() {
    let scratch = Scratch::new();
    let bad = [10, 300, 700];
    let mut jsonl = String::new();
    for line in 1..=1000 {
        if bad.contains(&line) {
            jsonl.push_str("{\"id\": \"broken\n");
        } else {
            let person = if line % 2 == 0 { "Putin" } else { "Erdoğan" };
            jsonl.push_str(&format!(
                "{{\"id\": \"doc-{line:04}\", \"text\": \"{person} sprach in Moskau.\"}}\n"
            ));
        }
    }
    scratch.write("long.jsonl", &jsonl);
    let run = newsgraph(
        scratch.path(),
        &["extract", "long.jsonl", "-o", "graph.json"],
        None,
    );
    let reported: Vec<&str> = run
        .stderr
        .lines()
        .map(|line| line.split(": not an article").next().unwrap_or(line))
        .collect();
    assert_eq!(
        reported,
        [
            "newsgraph: long.jsonl:10",
            "newsgraph: long.jsonl:300",
            "newsgraph: long.jsonl:700"
        ]
    );
    assert_eq!(run.code, 2);
    let graph = scratch.read_json("graph.json");
    let ids = document_ids(&graph);
    assert_eq!(ids.len(), 997);
    assert!(ids.contains(&"doc-0999".to_string()));
    assert!(!ids.contains(&"doc-0300".to_string()));
    let by_document = entities_by_document(&graph);
    assert!(by_document["doc-0998"].contains("person:wladimir-putin"));
    assert!(by_document["doc-0999"].contains("place:moskau"));

    let strict = newsgraph(
        scratch.path(),
        &["extract", "long.jsonl", "--strict", "-o", "strict.json"],
        None,
    );
    assert_eq!(strict.stderr.lines().count(), 1, "{}", strict.stderr);
    assert!(strict.stderr.starts_with("newsgraph: long.jsonl:10: "));
    assert_eq!(strict.code, 2);
    assert!(!scratch.path().join("strict.json").exists());
}

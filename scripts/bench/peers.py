#!/usr/bin/env python3
"""Python peers of newsgraph's gazetteer matching, on the same corpus and names.

    python3 scripts/bench/peers.py --corpus target/bench-corpus/corpus-20mb.txt \
        --names names.tsv [--basis-bytes N] [--json OUT.json]

`--names` is the output of `newsgraph gazetteer list --format tsv` (id, type,
label, aliases separated by |, wikidata). Every label and alias is a pattern.

Peers:

- spacy: spaCy's EntityRuler on `spacy.blank("de")`, phrase patterns matched
  on the `LOWER` attribute, run with `nlp.pipe` over the articles already in
  memory (one article a line of the corpus);
- pyahocorasick: one automaton over the lowercased names, `iter()` over each
  lowercased article already in memory, with a word-boundary check in Python.

Only the processing is timed: not reading the corpus, lowercasing it, or
building the pipeline/automaton (their set-up time is reported separately).
Throughput is `--basis-bytes` (by default the corpus file's size) per second,
so that it can be compared with newsgraph's on the same articles.

The first run creates a virtualenv in target/bench-venv and installs spacy and
pyahocorasick from the package index; when that fails the peers are skipped
with a note (exit status 0, `"skipped"` in the JSON).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "target", "bench-venv")
PACKAGES = ["spacy", "pyahocorasick"]
LABELS = {"person": "PER", "place": "LOC", "organization": "ORG"}


def log(message):
    print(f"peers: {message}", file=sys.stderr, flush=True)


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def ensure_venv():
    """Re-executes this script inside the benchmark virtualenv, creating it
    first. Returns a reason string when the peers cannot run."""
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        log(f"creating virtualenv {VENV}")
        result = subprocess.run([sys.executable, "-m", "venv", VENV])
        if result.returncode != 0:
            return f"could not create a virtualenv in {VENV} (python3 -m venv failed)"
    check = subprocess.run(
        [python, "-c", "import spacy, ahocorasick"], capture_output=True, text=True
    )
    if check.returncode != 0:
        log(f"installing {' '.join(PACKAGES)} into {VENV} (pip)")
        result = subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PACKAGES]
        )
        if result.returncode != 0:
            return f"pip install {' '.join(PACKAGES)} failed (no network or no wheel for this Python)"
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:], "--in-venv"])
    return None  # not reached


def read_names(path):
    names = []  # (name, type)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3 or fields[0] == "id":
                continue
            kind, label = fields[1], fields[2]
            aliases = [a for a in fields[3].split("|") if a] if len(fields) > 3 else []
            for name in [label, *aliases]:
                names.append((name, kind))
    return names


def read_corpus(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip()]


def bench_spacy(texts, names, runs):
    import spacy

    start = time.perf_counter()
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": LABELS.get(kind, kind.upper()), "pattern": name} for name, kind in names])
    setup = time.perf_counter() - start
    times = []
    entities = 0
    for _ in range(runs):
        start = time.perf_counter()
        entities = 0
        for doc in nlp.pipe(texts, batch_size=256):
            entities += len(doc.ents)
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times, "setup_seconds": setup,
            "matches": entities, "version": spacy.__version__}


def bench_pyahocorasick(texts, names, runs):
    import ahocorasick

    start = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for name, kind in names:
        key = name.lower()
        automaton.add_word(key, (len(key), kind))
    automaton.make_automaton()
    setup = time.perf_counter() - start
    lowered = [text.lower() for text in texts]
    times = []
    matches = 0
    for _ in range(runs):
        start = time.perf_counter()
        matches = 0
        for text in lowered:
            last = len(text) - 1
            for end, (length, _kind) in automaton.iter(text):
                begin = end - length + 1
                if begin > 0 and text[begin - 1].isalnum():
                    continue
                if end < last and text[end + 1].isalnum():
                    continue
                matches += 1
        times.append(time.perf_counter() - start)
    try:
        from importlib.metadata import version

        ver = version("pyahocorasick")
    except Exception:  # noqa: BLE001 - the version is only informative
        ver = "?"
    return {"seconds": statistics.median(times), "runs": times, "setup_seconds": setup,
            "matches": matches, "version": ver}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="plain text, one article a line")
    parser.add_argument("--names", required=True, help="newsgraph gazetteer list --format tsv")
    parser.add_argument("--basis-bytes", type=int, help="bytes the MB/s refer to (default: the corpus size)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of pyahocorasick (median)")
    parser.add_argument("--spacy-runs", type=int, default=1, help="timed runs of spaCy (median)")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--only", choices=["spacy", "pyahocorasick"], action="append")
    parser.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    def emit(result):
        if args.json:
            with open(args.json, "w") as out:
                json.dump(result, out, indent=2)
        print(json.dumps(result))

    if not args.in_venv and not in_venv():
        reason = ensure_venv()
        log(f"NOTE: skipping the Python peers: {reason}")
        emit({"skipped": reason})
        return

    basis = args.basis_bytes or os.path.getsize(args.corpus)
    texts = read_corpus(args.corpus)
    names = read_names(args.names)
    log(f"{len(texts)} articles, {len(names)} names, basis {basis / 1e6:.1f} MB")
    result = {"documents": len(texts), "names": len(names), "basis_bytes": basis,
              "python": sys.version.split()[0]}
    peers = args.only or ["spacy", "pyahocorasick"]
    for peer in peers:
        log(f"running {peer}")
        try:
            if peer == "spacy":
                found = bench_spacy(texts, names, args.spacy_runs)
            else:
                found = bench_pyahocorasick(texts, names, args.runs)
        except Exception as err:  # noqa: BLE001 - report and go on with the other peer
            log(f"NOTE: {peer} failed: {err}")
            result[peer] = {"skipped": str(err)}
            continue
        found["mb_per_s"] = basis / 1e6 / found["seconds"]
        found["docs_per_s"] = len(texts) / found["seconds"]
        log(f"{peer}: {found['seconds']:.2f} s, {found['mb_per_s']:.2f} MB/s, {found['matches']} matches")
        result[peer] = found
    emit(result)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Whole-process benchmark of newsgraph, with its peers, side by side.

    scripts/bench/run.sh [--large] [--huge] [--runs 5] [--no-peers] [--no-stages] [--no-scaling]

Run from the repository root. Steps:

1. `cargo build --release` (the binary in the cargo target directory), or
   `--binary PATH` to benchmark a given binary without building.
2. `scripts/bench/make_corpus.py`: deterministic corpora of real German news
   in target/bench-corpus/ (20 MB; also 100 MB with --large; also 1000 MB
   with --huge, for memory against the corpus's size: one run of each
   provenance level, no thread or `wc` rows).
3. On each corpus: `newsgraph extract corpus.jsonl -o out.json --quiet`
   under `/usr/bin/time -v` (median wall time of --runs runs, peak RSS), the
   same with `--provenance documents` and `--provenance none`, with
   RAYON_NUM_THREADS=1 and 2; `wc -w` on the plain-text corpus. After a
   warm-up round, the configurations run in turn, round by round, so that a
   slow spell of the machine falls on all of them alike.
   Then the phases of a 20 MB run: `extract --timings` (its report on
   standard error), the median of each phase over --runs runs.
4. Start-up: `newsgraph extract tiny.txt` (one sentence) with hyperfine, or
   a timed loop when hyperfine is not available.
5. Gazetteer scaling on the 20 MB corpus: a gazetteer of 100 entities
   (`--gazetteer`), the built-in one, and the built-in one plus 10k and 100k
   synthetic people (`--gazetteer-add`), and the 100 entities plus the 100k
   synthetic people (size alone), and those two 100k gazetteers compiled
   (`newsgraph gazetteer compile`, read with `--gazetteer FILE`):
   throughput (interleaved rounds, as in 3) and start-up for each.
6. Peers (scripts/bench/peers.py, in target/bench-venv): spaCy EntityRuler
   and pyahocorasick with the same names, on the same articles.
7. Stages: `cargo bench --bench stages` (criterion), read back from
   target/criterion.
8. Shard and merge, on the largest corpus measured: `extract` of the
   whole corpus, `extract --shard 1/2` and `--shard 2/2`, then `merge` of
   the two halves (time and peak RSS of each, once on 1000 MB, else the
   median of --runs), and whether the merged graph is the whole run's,
   byte for byte.
9. Instructions: the whole process under `valgrind --tool=callgrind` on
   the first 4 MB of whole articles of the 20 MB corpus, with one analysis
   thread (RAYON_NUM_THREADS=1: which thread's caches see which document
   then does not change from run to run), and the same for `--baseline
   PATH` (another build, e.g. of the commit before a change). The count
   does not move with the machine's load (the same binary: within about
   0.4 %), so it judges a change where timings are too noisy; it is
   not time (fewer instructions can run no faster).

It ends by printing a markdown block ready to paste into BENCHMARKS.md (also
saved as target/bench-results/latest.md, with the raw numbers in latest.json).

Every MB/s is corpus MB per second: the size of the corpus's JSONL file
(10^6 bytes) divided by the time to process its articles, for newsgraph,
the peers and `wc -w` alike, so ratios of MB/s are ratios of time.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MB = 1e6


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def sh(command, **kwargs):
    return subprocess.run(command, shell=isinstance(command, str), **kwargs)


def output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, shell=isinstance(command, str)).stdout.strip()
    except OSError:
        return ""


# ---------------------------------------------------------------- set-up

def apt_install(package):
    """Installs a Debian package; True on success."""
    if shutil.which("apt-get") is None:
        return False
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if sh(prefix + ["apt-get", "install", "-y", "-q", package], **quiet).returncode == 0:
        return True
    sh(prefix + ["apt-get", "update", "-q"], **quiet)
    return sh(prefix + ["apt-get", "install", "-y", "-q", package], **quiet).returncode == 0


def find_or_install(program, install):
    """The path of `program`, installed with apt-get (the package of the
    same name) when it is missing and `install` allows; None without it."""
    path = shutil.which(program)
    if path is None and install:
        log(f"{program} not found; trying apt-get install {program}")
        if apt_install(program):
            path = shutil.which(program)
    return path


def ensure_tools(install):
    if not os.path.exists("/usr/bin/time"):
        if not (install and apt_install("time")):
            sys.exit("bench: /usr/bin/time is missing (apt-get install time)")
    hyperfine = find_or_install("hyperfine", install)
    if hyperfine is None:
        log("hyperfine unavailable: start-up is timed with a loop")
    return hyperfine


def machine():
    cpu = "?"
    memory = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    commit = output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = output(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    return {
        "nproc": output(["nproc"]),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "rustc": output(["rustc", "--version"]),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def load_average():
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return output(["uptime"])


def build(args):
    if args.binary:
        return os.path.abspath(args.binary)
    log("cargo build --release")
    if sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT).returncode != 0:
        sys.exit("bench: cargo build --release failed")
    meta = json.loads(output(["cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path",
                              os.path.join(ROOT, "Cargo.toml")]))
    return os.path.join(meta["target_directory"], "release", "newsgraph")


# ---------------------------------------------------------------- measuring

def timed(command, env=None, stdout=subprocess.DEVNULL):
    """One run under /usr/bin/time -v: wall seconds, peak RSS (MB), CPU seconds."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *command],
                                env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        text = report.read()
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed with status {result.returncode}:\n{result.stderr[-2000:]}")

    def field(name):
        found = re.search(rf"{re.escape(name)}: ([0-9.]+)", text)
        return float(found.group(1)) if found else float("nan")

    return {"wall": wall, "rss_mb": field("Maximum resident set size (kbytes)") * 1024 / MB,
            "cpu": field("User time (seconds)") + field("System time (seconds)")}


def measure_interleaved(commands, runs):
    """Measures several commands in rounds (each once per round, in turn),
    after a warm-up round, so that a slow spell of a shared machine falls on
    all of them alike and their ratios hold. `commands` maps a key to
    (command, env); returns a key -> result map as `measure` does."""
    for command, env in commands.values():
        timed(command, env, subprocess.DEVNULL)
    samples = {key: [] for key in commands}
    for _ in range(runs):
        for key, (command, env) in commands.items():
            samples[key].append(timed(command, env, subprocess.DEVNULL))
    return {key: {
        "seconds": statistics.median(s["wall"] for s in taken),
        "walls": [round(s["wall"], 3) for s in taken],
        "rss_mb": max(s["rss_mb"] for s in taken),
        "cpu": statistics.median(s["cpu"] for s in taken),
    } for key, taken in samples.items()}


def measure(command, runs, env=None, stdout=subprocess.DEVNULL):
    # One warm-up run first (page cache, CPU clocks, the allocator's first
    # pages), as hyperfine does; a single-run measurement (the 1000 MB
    # corpus) runs long enough not to need one.
    if runs > 1:
        timed(command, env, stdout)
    samples = [timed(command, env, stdout) for _ in range(runs)]
    return {
        "seconds": statistics.median(s["wall"] for s in samples),
        "walls": [round(s["wall"], 3) for s in samples],
        "rss_mb": max(s["rss_mb"] for s in samples),
        "cpu": statistics.median(s["cpu"] for s in samples),
    }


def shard_merge(binary, jsonl, scratch, env, runs):
    """The whole corpus extracted at once, then in two shards merged: time
    and peak memory of each step, and whether the merge gives the same bytes."""
    runs = 1 if os.path.getsize(jsonl) >= 500 * MB else runs
    whole = os.path.join(scratch, "whole.json")
    halves = [os.path.join(scratch, f"shard-{i}-of-2.json") for i in (1, 2)]
    merged = os.path.join(scratch, "merged.json")
    steps = [("extract (the whole corpus)", [binary, "extract", jsonl, "-o", whole, "--quiet"], whole)]
    steps += [(f"extract --shard {i}/2", [binary, "extract", jsonl, "--shard", f"{i}/2", "-o", half, "--quiet"], half)
              for i, half in zip((1, 2), halves)]
    steps.append(("merge of the two shards", [binary, "merge", *halves, "-o", merged], merged))
    rows = []
    for name, command, out in steps:
        log(f"shard and merge: {name}")
        result = measure(command, runs, env=env)
        rows.append(dict(result, step=name, output_mb=os.path.getsize(out) / MB))
    with open(whole, "rb") as a, open(merged, "rb") as b:
        identical = a.read() == b.read()
    for path in [whole, merged, *halves]:
        os.remove(path)
    return {"corpus": os.path.basename(jsonl), "runs": runs, "rows": rows, "identical": identical}


def phases(binary, jsonl, out_json, env, runs):
    """Where the wall time of a run goes: `extract --timings` (its report
    on standard error), after a warm-up run; per phase the median
    milliseconds of `runs` runs, in the report's order."""
    command = [binary, "extract", jsonl, "-o", out_json, "--quiet", "--timings"]
    samples = {}
    for run in range(runs + 1):
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"bench: {' '.join(command)} failed with status {result.returncode}:\n{result.stderr[-2000:]}")
        if run == 0:
            continue
        for line in result.stderr.splitlines():
            found = re.match(r"\s+(\S+)\s+([0-9.]+) ms(?:\s+\d+ %)?(?:\s+([0-9.]+) cores)?(?:\s+(.*))?$", line)
            if found:
                name, ms, note = found.group(1), float(found.group(2)), found.group(4) or ""
                sample = samples.setdefault(name, {"ms": [], "cores": [], "note": note})
                sample["ms"].append(ms)
                if found.group(3):
                    sample["cores"].append(float(found.group(3)))
    def cores(sample):
        return statistics.median(sample["cores"]) if sample["cores"] else None
    total = samples.get("total")
    return {"corpus": os.path.basename(jsonl), "runs": runs,
            "total_ms": statistics.median(total["ms"]) if total else None,
            "total_cores": cores(total) if total else None,
            "rows": [{"phase": name, "ms": statistics.median(s["ms"]), "cores": cores(s), "note": s["note"]}
                     for name, s in samples.items() if name != "total"]}


def startup(binary, tiny, extra, hyperfine, runs=30):
    """Median milliseconds of `newsgraph extract tiny.txt [extra]`."""
    command = [binary, "extract", tiny, *extra]
    if hyperfine:
        with tempfile.NamedTemporaryFile("r", suffix=".json") as export:
            result = sh([hyperfine, "-N", "--warmup", "3", "--runs", str(runs), "--style", "none",
                         "--export-json", export.name, " ".join(command)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if result.returncode == 0:
                data = json.load(open(export.name))["results"][0]
                return {"ms": data["median"] * 1000, "cpu_ms": (data["user"] + data["system"]) * 1000,
                        "tool": "hyperfine", "runs": runs}
            log(f"hyperfine failed ({result.stderr.strip()[:200]}); timing with a loop")
    times = []
    for _ in range(3):
        sh(command, stdout=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        start = time.perf_counter()
        sh(command, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"ms": statistics.median(times) * 1000, "cpu_ms": cpu / runs * 1000, "tool": "loop", "runs": runs}


# ---------------------------------------------------------------- gazetteers

FIRST = ("Anna Bernd Clara Dieter Elena Felix Greta Hannes Ida Jonas Karin Lukas Marta Nils Olga Paul "
         "Rita Stefan Tanja Uwe Vera Wolfgang Xenia Yusuf Zora Armin Birgit Carsten Doris Emil Frieda "
         "Georg Heike Ingo Jana Konrad Lena Moritz Nadine Oskar Petra Rainer Sabine Till Ulla Volker "
         "Wiebke Adrian Bettina Cem Dana Erik Fatma Gregor Hanna Igor Johanna Kai Leonie Malte Nora "
         "Ole Pia Ralf Svenja Timo Ute Viktor Wanda Aylin Boris Chiara Dominik Esra Florian Gesa").split()
PREFIXES = ("Ber Kal Mor Hal Wen Tro Sel Dur Fal Gri Hol Lin Mar Nor Ost Pra Rei Sto Ull Vor Wal Zel "
            "Bra Eck Fin Gus Hen Jor Kes Lau").split()
MIDDLES = ["", "en", "er", "ow", "ing", "el", "an", "it", "or", "us"]
SUFFIXES = ("mann berg ski ow er ek ic ova dt hardt stein feld inger ke ler witz sen rath bach nitz").split()


def synthetic_people(count, seed=20240501):
    """`count` distinct plausible fake people (first name, initial, surname)."""
    surnames = [p + m + s for p in PREFIXES for m in MIDDLES for s in SUFFIXES]
    total = len(FIRST) * len(surnames)
    rng = random.Random(seed)
    picks = rng.sample(range(total), count)
    people = []
    for number, pick in enumerate(picks):
        first = FIRST[pick % len(FIRST)]
        surname = surnames[pick // len(FIRST)]
        initial = "ABCDEFGHJKLMNPRSTW"[number % 18]
        people.append((f"person:synthetic-{number}", f"{first} {surname}", f"{first} {initial}. {surname}"))
    return people


HEADER = "id\tlabel\taliases\twikidata\n"


def make_gazetteers(binary, folder):
    """Writes the scaling gazetteers; returns {name: (flag, dir, entities)}."""
    os.makedirs(folder, exist_ok=True)
    builtin = output([binary, "gazetteer", "list", "--format", "tsv"]).splitlines()
    configs = {}
    # 100 real entities of the built-in gazetteer, every k-th line (all types).
    only = os.path.join(folder, "only-100")
    os.makedirs(only, exist_ok=True)
    step = max(1, len(builtin) // 100)
    with open(os.path.join(only, "entities.tsv"), "w", encoding="utf-8") as out:
        out.write("# 100 entities of the built-in gazetteer (one in every %d), for scaling benchmarks.\n" % step)
        out.write(HEADER)
        for line in builtin[::step][:100]:
            id_, _kind, label, aliases, wikidata = (line.split("\t") + [""] * 5)[:5]
            out.write(f"{id_}\t{label}\t{aliases}\t{wikidata}\n")
    configs["100 entities (--gazetteer)"] = (["--gazetteer", only], 100)
    configs[f"built-in ({len(builtin)} entities)"] = ([], len(builtin))
    people = synthetic_people(100_000)
    for count, name in ((10_000, "synthetic-10k"), (100_000, "synthetic-100k")):
        path = os.path.join(folder, name)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "people.tsv"), "w", encoding="utf-8") as out:
            out.write(f"# {count} synthetic people (fake names) for scaling benchmarks; not real entities.\n")
            out.write(HEADER)
            for id_, label, alias in people[:count]:
                out.write(f"{id_}\t{label}\t{alias}\t\n")
        configs[f"built-in + {count // 1000}k synthetic (--gazetteer-add)"] = (
            ["--gazetteer-add", path], len(builtin) + count)
    # The same 100 real entities with the 100k unseen names added: only the
    # gazetteer's size changes, so this pair measures the cost of size alone.
    configs[SIZE_ONLY] = (["--gazetteer", only, "--gazetteer-add", os.path.join(folder, "synthetic-100k")],
                          100 + 100_000)
    # The two 100k gazetteers compiled (`newsgraph gazetteer compile`, by the
    # binary measured: only the build that compiles a file reads it).
    for name, file, flags, entities in (
            (BUILTIN_COMPILED, "builtin-100k.ngz", ["--gazetteer-add", os.path.join(folder, "synthetic-100k")],
             len(builtin) + 100_000),
            (SIZE_ONLY_COMPILED, "only-100-100k.ngz", configs[SIZE_ONLY][0], 100 + 100_000)):
        path = os.path.join(folder, file)
        sh([binary, "gazetteer", "compile", "-o", path, *flags], check=True, stderr=subprocess.DEVNULL)
        configs[name] = (["--gazetteer", path], entities)
    return configs


# The scaling row that differs from the 100-entity one in size alone.
SIZE_ONLY = "100 entities + 100k synthetic (--gazetteer, --gazetteer-add)"
# The built-in + 100k and size-only gazetteers, compiled.
BUILTIN_COMPILED = "compiled: built-in + 100k synthetic (--gazetteer FILE)"
SIZE_ONLY_COMPILED = "compiled: 100 entities + 100k synthetic (--gazetteer FILE)"


# ---------------------------------------------------------------- stages

def run_stages(env):
    log("cargo bench --bench stages (criterion)")
    result = sh(["cargo", "bench", "--quiet", "--bench", "stages"], cwd=ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        log(f"cargo bench failed:\n{result.stderr[-2000:]}")
        return None
    sample = re.search(r"stages: sample of .*", result.stderr)
    target = json.loads(output(["cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path",
                                os.path.join(ROOT, "Cargo.toml")]))["target_directory"]
    rows = []
    for group in ("stages", "startup"):
        base = os.path.join(target, "criterion", group)
        if not os.path.isdir(base):
            continue
        for name in os.listdir(base):
            estimates = os.path.join(base, name, "new", "estimates.json")
            bench = os.path.join(base, name, "new", "benchmark.json")
            if not os.path.exists(estimates):
                continue
            median_ns = json.load(open(estimates))["median"]["point_estimate"]
            info = json.load(open(bench))
            throughput = info.get("throughput") or {}
            bytes_ = throughput.get("BytesDecimal") or throughput.get("Bytes")
            rows.append({"group": group, "name": name, "ms": median_ns / 1e6,
                         "mb_per_s": bytes_ / MB / (median_ns / 1e9) if bytes_ else None})
    order = ["read", "tokenize", "match", "dates", "boilerplate", "discovery", "interactions", "analyze",
             "analyze_no_discovery", "graph_json", "extractor_new"]
    rows.sort(key=lambda r: order.index(r["name"]) if r["name"] in order else 99)
    return {"sample": sample.group(0) if sample else "", "rows": rows}


# ---------------------------------------------------------------- report

def sample(corpus, path, limit=4_000_000):
    """The first whole articles of `corpus` (JSONL) up to `limit` bytes."""
    size = 0
    with open(corpus, "rb") as source, open(path, "wb") as out:
        for line in source:
            if size + len(line) > limit:
                break
            out.write(line)
            size += len(line)
    return size


def instructions(binaries, corpus, scratch, install):
    """Instructions of the whole process per binary, counted by callgrind."""
    valgrind = find_or_install("valgrind", install)
    if valgrind is None:
        log("valgrind unavailable: no instruction counts")
        return {"skipped": "valgrind is not installed"}
    path = os.path.join(scratch, "sample-4mb.jsonl")
    size = sample(corpus, path)
    docs = sum(1 for _ in open(path, encoding="utf-8"))
    rows = []
    for name, binary in binaries:
        log(f"instructions: {name}")
        counts = os.path.join(scratch, "callgrind.out")
        run = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={counts}", binary, "extract",
                              path, "-o", os.path.join(scratch, "out-sample.json"), "--quiet"],
                             env=dict(os.environ, RAYON_NUM_THREADS="1"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode != 0 or not found:
            rows.append({"name": name, "binary": binary, "skipped": f"valgrind exited with {run.returncode}"})
            continue
        count = int(found.group(1))
        rows.append({"name": name, "binary": binary, "instructions": count, "per_byte": count / size})
    return {"bytes": size, "docs": docs, "rows": rows}


def fmt(value, digits=1):
    if value is None or value != value:
        return "–"
    return f"{value:,.{digits}f}"


def report(data):
    m = data["machine"]
    lines = []
    add = lines.append
    add(f"### Run of {m['date']} (commit {m['commit']})")
    add("")
    add(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}, {m['rustc']}")
    add(f"- Load average (1, 5, 15 min): {data['load_start']} at the start, {data['load_end']} at the end")
    add(f"- Command: `{data['command']}`; median of {data['runs']} runs after a warm-up run, the configurations of a "
        f"table measured in turn, round by round; "
        f"MB = 10^6 bytes of the corpus JSONL")
    add("")
    add("#### Whole process: `newsgraph extract corpus.jsonl -o out.json --quiet`")
    add("")
    add("| corpus | configuration | median s | MB/s | docs/s | peak RSS MB | CPU s | MB per CPU-s | runs (s) |")
    add("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in data["whole"]:
        mb = row["mb_per_s"] * row["seconds"]
        add(f"| {row['corpus']} | {row['config']} | {fmt(row['seconds'], 2)} | {fmt(row['mb_per_s'])} | "
            f"{fmt(row['docs_per_s'], 0)} | {fmt(row.get('rss_mb'), 0)} | {fmt(row.get('cpu'), 2)} | "
            f"{fmt(mb / row['cpu'] if row.get('cpu') else None)} | {', '.join(str(w) for w in row['walls'])} |")
    add("")
    for corpus in data["corpora"]:
        add(f"- {corpus['name']}: {corpus['mb']:.1f} MB JSONL, {corpus['docs']:,} articles, "
            f"{corpus['words']:,} words (`wc -w`), plain text {corpus['txt_mb']:.1f} MB")
    add("")
    phases = data.get("phases")
    if phases:
        add(f"#### Phases of a run: `newsgraph extract {phases['corpus']} -o out.json --quiet --timings`")
        add("")
        add(f"Median of {phases['runs']} runs after a warm-up run, each phase on its own (its runs' median): "
            "wall time from the command's start, as `--timings` reports it, and the cores the phase kept "
            "busy (the process's processor time over the phase's wall time; 2 is both cores all the time).")
        add("")
        add("| phase | median ms | share | cores | what it covered (last run) |")
        add("| --- | ---: | ---: | ---: | --- |")
        whole = sum(row["ms"] for row in phases["rows"])
        def cores(value):
            return "" if value is None else f"{value:.2f}"
        for row in phases["rows"]:
            note = re.sub(r" to .*/", " to ", row["note"])
            add(f"| {row['phase']} | {fmt(row['ms'])} | {100 * row['ms'] / whole:.0f} % | "
                f"{cores(row.get('cores'))} | {note} |")
        add(f"| total (median of the runs' totals) | {fmt(phases['total_ms'])} | | "
            f"{cores(phases.get('total_cores'))} | |")
        add("")
    add("#### Start-up: `newsgraph extract tiny.txt` (one sentence)")
    add("")
    add("| gazetteer | entities | median ms | tool |")
    add("| --- | ---: | ---: | --- |")
    for row in data["scaling"] or [dict(data["startup"], name="built-in", entities=data["builtin_entities"])]:
        add(f"| {row['name']} | {row['entities']:,} | {fmt(row['startup_ms'] if 'startup_ms' in row else row['ms'])} "
            f"| {row.get('tool', data['startup']['tool'])} |")
    add("")
    if data["scaling"]:
        add("#### Gazetteer scaling (20 MB corpus, whole process)")
        add("")
        add("| gazetteer | entities | start-up ms | median s | MB/s | relative | peak RSS MB | CPU s "
            "| start-up CPU s | MB per CPU-s without start-up | relative |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        first = data["scaling"][0]
        for row in data["scaling"]:
            add(f"| {row['name']} | {row['entities']:,} | {fmt(row['startup_ms'])} | {fmt(row['seconds'], 2)} | "
                f"{fmt(row['mb_per_s'])} | {fmt(row['mb_per_s'] / first['mb_per_s'], 2)} | "
                f"{fmt(row['rss_mb'], 0)} | {fmt(row['cpu'], 2)} | {fmt(row['startup_cpu_ms'] / 1000, 2)} | "
                f"{fmt(row['net_mb_per_cpu_s'])} | {fmt(row['net_mb_per_cpu_s'] / first['net_mb_per_cpu_s'], 2)} |")
        rows = scaling_rows(data)
        last, builtin, size_only = rows["built-in + 100k"], rows["built-in"], rows.get("size only")
        add("")
        text = (f"From 100 entities to built-in + 100k: whole-process throughput ÷ "
                f"{first['mb_per_s'] / last['mb_per_s']:.2f}; throughput per CPU-second once started (CPU time "
                f"minus the start-up's CPU time with that gazetteer) ÷ "
                f"{first['net_mb_per_cpu_s'] / last['net_mb_per_cpu_s']:.2f}. From the built-in gazetteer to "
                f"built-in + 100k (the same real entities, role words and adjectives; only unseen names added): "
                f"÷ {builtin['mb_per_s'] / last['mb_per_s']:.2f} whole process, "
                f"÷ {builtin['net_mb_per_cpu_s'] / last['net_mb_per_cpu_s']:.2f} per CPU-second once "
                f"started. The 100-entity gazetteer has no role words or adjectives, so it also saves work after "
                f"matching (fewer mentions, roles and interactions).")
        if size_only:
            text += (f" Size alone (the same 100 entities, with and without 100k unseen names added): "
                     f"÷ {first['mb_per_s'] / size_only['mb_per_s']:.2f} whole process, "
                     f"÷ {first['net_mb_per_cpu_s'] / size_only['net_mb_per_cpu_s']:.2f} per CPU-second once "
                     f"started.")
        compiled = [(label, rows[key]) for label, key in (("built-in + 100k", "built-in + 100k, compiled"),
                                                          ("100 + 100k unseen", "size only, compiled"))
                    if key in rows]
        if compiled:
            text += " Compiled (`newsgraph gazetteer compile`, read with `--gazetteer FILE`): " + "; ".join(
                f"from 100 entities to {label} ÷ {first['mb_per_s'] / row['mb_per_s']:.2f} whole process, "
                f"start-up {row['startup_ms']:.0f} ms" for label, row in compiled) + "."
        add(text)
        add("")
    merge = data.get("merge")
    if merge:
        runs = "one run each" if merge["runs"] == 1 else f"median of {merge['runs']} runs"
        add(f"#### Shard and merge ({merge['corpus']}, {runs})")
        add("")
        add("| step | median s | peak RSS MB | CPU s | output MB |")
        add("| --- | ---: | ---: | ---: | ---: |")
        for row in merge["rows"]:
            add(f"| {row['step']} | {fmt(row['seconds'], 2)} | {fmt(row['rss_mb'], 0)} | {fmt(row['cpu'], 2)} | "
                f"{fmt(row['output_mb'])} |")
        add("")
        add(f"The merged graph is the whole run's, byte for byte: {'yes' if merge['identical'] else '**no**'}.")
        add("")
    peers = data.get("peers")
    main = data["headline"]
    single = data.get("single_thread")
    if peers and not peers.get("skipped"):
        add("#### Peers (20 MB corpus, same articles, same names)")
        add("")
        add(f"{peers['names']:,} names ({peers['documents']:,} articles already in memory; only the "
            f"processing is timed, one thread; Python {peers['python']}).")
        add("")
        add("| tool | median s | MB/s | docs/s | matches | newsgraph ÷ tool | newsgraph 1 thread ÷ tool |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        add(f"| newsgraph (whole process, {m['nproc']} threads) | {fmt(main['seconds'], 2)} | "
            f"{fmt(main['mb_per_s'])} | {fmt(main['docs_per_s'], 0)} | – | 1.00 | – |")
        if single:
            add(f"| newsgraph (whole process, RAYON_NUM_THREADS=1) | {fmt(single['seconds'], 2)} | "
                f"{fmt(single['mb_per_s'])} | {fmt(single['docs_per_s'], 0)} | – | – | 1.00 |")
        for key, title in (("spacy", "spaCy {v} EntityRuler (blank de, LOWER)"),
                           ("pyahocorasick", "pyahocorasick {v} + boundary check")):
            peer = peers.get(key)
            if not peer or peer.get("skipped"):
                add(f"| {title.format(v='')} | skipped: {peer.get('skipped') if peer else 'not run'} | | | | | |")
                continue
            add(f"| {title.format(v=peer['version'])} | {fmt(peer['seconds'], 2)} | {fmt(peer['mb_per_s'], 2)} | "
                f"{fmt(peer['docs_per_s'], 0)} | {peer['matches']:,} | {fmt(main['mb_per_s'] / peer['mb_per_s'], 2)} | "
                f"{fmt(single['mb_per_s'] / peer['mb_per_s'], 2) if single else '–'} |")
        add("")
    elif peers:
        add(f"Peers skipped: {peers['skipped']}")
        add("")
    if data.get("stages"):
        stages = data["stages"]
        add("#### Stages (criterion, one thread, `cargo bench --bench stages`)")
        add("")
        add(f"{stages['sample']}")
        add("")
        add("| stage | median ms | MB/s |")
        add("| --- | ---: | ---: |")
        for row in stages["rows"]:
            add(f"| {row['group']}/{row['name']} | {fmt(row['ms'], 2)} | {fmt(row['mb_per_s'])} |")
        add("")
        ms = {row["name"]: row["ms"] for row in stages["rows"]}
        # The `dates` stage searches every sentence; `analyze` searches only
        # the sentences with a contact word, so it is left out of the shares.
        parts = [k for k in ("tokenize", "match", "boilerplate", "discovery", "interactions") if k in ms]
        if "analyze" in ms and {"tokenize", "match"} <= set(parts):
            rest = ms["analyze"] - sum(ms[k] for k in parts)
            shares = ", ".join(f"{k} {ms[k] / ms['analyze']:.0%}" for k in parts)
            add(f"Share of `analyze`: {shares}, the rest (dates in the sentences with a contact word, "
                f"nodes and mention records, allocation) "
                f"{rest / ms['analyze']:.0%}. Tokenize + match alone (the work pyahocorasick does): "
                f"{ms['analyze'] / (ms['tokenize'] + ms['match']) * stages_mb(stages):.1f} MB/s.")
            add("")
    counted = data.get("instructions")
    if counted and counted.get("skipped"):
        add(f"Instruction counts skipped: {counted['skipped']}")
        add("")
    elif counted:
        add("#### Instructions (callgrind, whole process)")
        add("")
        add(f"`RAYON_NUM_THREADS=1 valgrind --tool=callgrind newsgraph extract sample.jsonl -o out.json --quiet` "
            f"on the first "
            f"{counted['docs']:,} articles of the 20 MB corpus ({counted['bytes'] / MB:.1f} MB). A count, not "
            f"a time: it does not move with the machine's load.")
        add("")
        add("| binary | instructions | per byte of JSONL | relative |")
        add("| --- | ---: | ---: | ---: |")
        first = next((r for r in counted["rows"] if "instructions" in r), None)
        for row in counted["rows"]:
            if "instructions" not in row:
                add(f"| {row['name']} | skipped: {row['skipped']} | | |")
                continue
            add(f"| {row['name']} | {row['instructions']:,} | {fmt(row['per_byte'])} | "
                f"{fmt(row['instructions'] / first['instructions'], 3)} |")
        add("")
    add("#### Targets")
    add("")
    add("| target | measured | met |")
    add("| --- | --- | --- |")
    for target, measured, met in data["targets"]:
        add(f"| {target} | {measured} | {'yes' if met else '**no**' if met is not None else '–'} |")
    add("")
    return "\n".join(lines)


def stages_mb(stages):
    """MB/s of `analyze` (to scale other sums of stage times)."""
    row = next(r for r in stages["rows"] if r["name"] == "analyze")
    return row["mb_per_s"] or 0.0


def targets(data):
    rows = []
    main = data["headline"]
    peers = data.get("peers") or {}
    spacy = peers.get("spacy") or {}
    aho = peers.get("pyahocorasick") or {}
    if spacy.get("mb_per_s"):
        ratio = main["mb_per_s"] / spacy["mb_per_s"]
        rows.append(("≥ 40× spaCy EntityRuler", f"{ratio:.1f}×", ratio >= 40))
    else:
        rows.append(("≥ 40× spaCy EntityRuler", "not measured", None))
    if aho.get("mb_per_s"):
        ratio = main["mb_per_s"] / aho["mb_per_s"]
        rows.append(("≥ pyahocorasick", f"{ratio:.2f}×", ratio >= 1))
    else:
        rows.append(("≥ pyahocorasick", "not measured", None))
    for row in data["whole"]:
        if row["corpus"] == main["corpus"] and row["config"].startswith("wc -w"):
            ratio = main["seconds"] / row["seconds"]
            rows.append((f"within 1.5× of `{row['config']}`", f"{ratio:.1f}× its time", ratio <= 1.5))
    rows.append(("≥ 150 MB/s on 20 MB", f"{main['mb_per_s']:.1f} MB/s", main["mb_per_s"] >= 150))
    # Peak memory against the corpus's size, per provenance level: the
    # target holds at 100 MB and at ten times that (--huge).
    peaks = {(row["corpus"], row["config"].split(" (")[0]): row["rss_mb"] for row in data["whole"]}
    for level, config in (("full", "default"), ("documents", "--provenance documents"),
                          ("none", "--provenance none")):
        for corpus in ("100 MB", "1000 MB"):
            peak = peaks.get((corpus, config))
            if peak is not None:
                rows.append((f"peak memory under 300 MB on {corpus} (provenance {level})", f"{peak:.0f} MB",
                             peak < 300))
    if data["scaling"]:
        # The bar: throughput drops by less than 1.5x from 100 to 100k entries.
        named = scaling_rows(data)
        first, last = named["100"], named["built-in + 100k"]
        pairs = [("100 to built-in + 100k entries (whole process)", first, last, "mb_per_s"),
                 ("100 to built-in + 100k entries (MB per CPU-s once started)", first, last, "net_mb_per_cpu_s"),
                 ("built-in to built-in + 100k (whole process)", named["built-in"], last, "mb_per_s")]
        if "size only" in named:
            pairs += [("100 to 100 + 100k unseen entries, size alone (whole process)", first,
                       named["size only"], "mb_per_s"),
                      ("100 to 100 + 100k unseen entries, size alone (MB per CPU-s once started)", first,
                       named["size only"], "net_mb_per_cpu_s")]
        if "built-in + 100k, compiled" in named:
            pairs += [("100 to built-in + 100k entries, compiled (whole process)", first,
                       named["built-in + 100k, compiled"], "mb_per_s"),
                      ("built-in to built-in + 100k, compiled (whole process)", named["built-in"],
                       named["built-in + 100k, compiled"], "mb_per_s")]
        if "size only, compiled" in named:
            pairs += [("100 to 100 + 100k unseen entries, size alone, compiled (whole process)", first,
                       named["size only, compiled"], "mb_per_s")]
        for label, before, after, key in pairs:
            drop = before[key] / after[key]
            rows.append((f"throughput drop under 1.5× from {label}", f"÷ {drop:.2f}", drop < 1.5))
    return rows


def scaling_rows(data):
    """The scaling rows by role: 100, built-in, built-in + 100k, size only."""
    rows = {}
    for row in data["scaling"]:
        name = row["name"]
        if name == SIZE_ONLY:
            rows["size only"] = row
        elif name == SIZE_ONLY_COMPILED:
            rows["size only, compiled"] = row
        elif name == BUILTIN_COMPILED:
            rows["built-in + 100k, compiled"] = row
        elif name.startswith("100 entities"):
            rows["100"] = row
        elif name.startswith("built-in + 100k"):
            rows["built-in + 100k"] = row
        elif name.startswith("built-in ("):
            rows["built-in"] = row
    return rows


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="also the 100 MB corpus")
    parser.add_argument("--huge", action="store_true",
                        help="also the 1000 MB corpus (memory at 10x; one run per provenance level)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--binary", help="benchmark this binary instead of building")
    parser.add_argument("--corpus-dir", default=os.path.join(ROOT, "target", "bench-corpus"))
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-stages", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-merge", action="store_true", help="no shard-and-merge step")
    parser.add_argument("--no-install", action="store_true",
                        help="never apt-get install time, hyperfine or valgrind")
    parser.add_argument("--no-instructions", action="store_true", help="no callgrind instruction counts")
    parser.add_argument("--baseline", metavar="PATH",
                        help="also count the instructions of this binary (another build) on the same sample")
    args = parser.parse_args()
    if args.baseline and not os.access(args.baseline, os.X_OK):
        sys.exit(f"bench: --baseline {args.baseline}: not an executable file")

    data = {"command": "scripts/bench/run.sh " + " ".join(sys.argv[1:]), "runs": args.runs,
            "machine": machine(), "load_start": load_average()}
    hyperfine = ensure_tools(not args.no_install)
    binary = build(args)
    log(f"binary {binary}")

    sizes = [20, 100] if args.large or args.huge else [20]
    if args.huge:
        sizes.append(1000)
    sh([sys.executable, os.path.join(HERE, "make_corpus.py"), "--out", args.corpus_dir, "--root", ROOT,
        "--sizes", ",".join(map(str, sizes))], check=True)
    scratch = os.path.join(ROOT, "target", "bench-results")
    os.makedirs(scratch, exist_ok=True)
    out_json = os.path.join(scratch, "out.json")

    data["whole"] = []
    data["corpora"] = []
    env = dict(os.environ)
    env.pop("RAYON_NUM_THREADS", None)
    for size in sizes:
        jsonl = os.path.join(args.corpus_dir, f"corpus-{size}mb.jsonl")
        txt = os.path.join(args.corpus_dir, f"corpus-{size}mb.txt")
        mb = os.path.getsize(jsonl) / MB
        docs = sum(1 for _ in open(jsonl, encoding="utf-8"))
        words = int(output(["wc", "-w", txt]).split()[0])
        name = f"{size} MB"
        data["corpora"].append({"name": name, "mb": mb, "docs": docs, "words": words,
                                "txt_mb": os.path.getsize(txt) / MB})
        configs = [
            (f"default (provenance full, {data['machine']['nproc']} threads)", [], {}),
            ("--provenance documents", ["--provenance", "documents"], {}),
            ("--provenance none", ["--provenance", "none"], {}),
            ("RAYON_NUM_THREADS=1", [], {"RAYON_NUM_THREADS": "1"}),
            ("RAYON_NUM_THREADS=2", [], {"RAYON_NUM_THREADS": "2"}),
        ]
        huge = size >= 1000
        commands = {config: ([binary, "extract", jsonl, "-o", out_json, "--quiet", *flags], dict(env, **extra_env))
                    for config, flags, extra_env in configs}
        if huge:
            # Memory against the corpus's size: the provenance levels, once each.
            results = {}
            for config, (command, command_env) in list(commands.items())[:3]:
                log(f"{name}: {config}")
                results[config] = measure(command, 1, env=command_env)
        else:
            for locale in ("C", "C.UTF-8"):
                commands[f"wc -w (LC_ALL={locale})"] = (["wc", "-w", txt], dict(env, LC_ALL=locale))
            log(f"{name}: {len(commands)} configurations, {args.runs} interleaved rounds")
            results = measure_interleaved(commands, args.runs)
        for config, result in results.items():
            row = dict(result, corpus=name, config=config, mb_per_s=mb / result["seconds"],
                       docs_per_s=docs / result["seconds"])
            data["whole"].append(row)
            log(f"  {config}: {row['seconds']:.2f} s, {row['mb_per_s']:.1f} MB/s, {row['rss_mb']:.0f} MB RSS")
    data["headline"] = data["whole"][0]
    log("phases of a run (--timings)")
    data["phases"] = phases(binary, os.path.join(args.corpus_dir, "corpus-20mb.jsonl"), out_json, env, args.runs)
    data["single_thread"] = next(r for r in data["whole"] if r["config"] == "RAYON_NUM_THREADS=1")

    tiny = os.path.join(args.corpus_dir, "tiny.txt")
    log("start-up")
    data["startup"] = startup(binary, tiny, [], hyperfine)
    builtin_count = len(output([binary, "gazetteer", "list", "--format", "tsv"]).splitlines())
    data["builtin_entities"] = builtin_count

    data["scaling"] = []
    if not args.no_scaling:
        jsonl = os.path.join(args.corpus_dir, "corpus-20mb.jsonl")
        mb = os.path.getsize(jsonl) / MB
        gazetteers = make_gazetteers(binary, os.path.join(args.corpus_dir, "gazetteers"))
        log(f"scaling: {len(gazetteers)} gazetteers, {args.runs} interleaved rounds")
        results = measure_interleaved(
            {name: ([binary, "extract", jsonl, "-o", out_json, "--quiet", *flags], env)
             for name, (flags, _) in gazetteers.items()}, args.runs)
        for name, (flags, entities) in gazetteers.items():
            result = results[name]
            start = startup(binary, tiny, flags, hyperfine) if flags else data["startup"]
            seconds = result["seconds"]
            data["scaling"].append({"name": name, "entities": entities, "seconds": seconds,
                                    "mb_per_s": mb / seconds, "startup_ms": start["ms"],
                                    "startup_cpu_ms": start["cpu_ms"], "cpu": result["cpu"],
                                    "rss_mb": result["rss_mb"],
                                    "net_mb_per_cpu_s": mb / max(result["cpu"] - start["cpu_ms"] / 1000, 1e-9),
                                    "tool": start["tool"]})
            log(f"  {mb / seconds:.1f} MB/s, start-up {start['ms']:.0f} ms")

    if not args.no_merge:
        largest = os.path.join(args.corpus_dir, f"corpus-{sizes[-1]}mb.jsonl")
        data["merge"] = shard_merge(binary, largest, scratch, env, args.runs)

    if not args.no_peers:
        names = os.path.join(scratch, "names.tsv")
        with open(names, "w", encoding="utf-8") as out:
            out.write(output([binary, "gazetteer", "list", "--format", "tsv"]) + "\n")
        peers_json = os.path.join(scratch, "peers.json")
        if os.path.exists(peers_json):
            os.remove(peers_json)
        log("peers (spaCy EntityRuler, pyahocorasick)")
        sh([sys.executable, os.path.join(HERE, "peers.py"), "--corpus",
            os.path.join(args.corpus_dir, "corpus-20mb.txt"), "--names", names,
            "--basis-bytes", str(os.path.getsize(os.path.join(args.corpus_dir, "corpus-20mb.jsonl"))),
            "--runs", str(args.runs), "--json", peers_json], stdout=subprocess.DEVNULL)
        data["peers"] = json.load(open(peers_json)) if os.path.exists(peers_json) else {"skipped": "peers.py failed"}

    if not args.no_stages:
        data["stages"] = run_stages(env)

    if not args.no_instructions:
        binaries = [("newsgraph (this build)", binary)]
        if args.baseline:
            # Named by its file name: the report is pasted into BENCHMARKS.md.
            binaries.append((f"baseline ({os.path.basename(args.baseline)})", os.path.abspath(args.baseline)))
        data["instructions"] = instructions(binaries, os.path.join(args.corpus_dir, "corpus-20mb.jsonl"),
                                            scratch, not args.no_install)

    data["load_end"] = load_average()
    data["targets"] = targets(data)
    text = report(data)
    with open(os.path.join(scratch, "latest.md"), "w", encoding="utf-8") as out:
        out.write(text + "\n")
    with open(os.path.join(scratch, "latest.json"), "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, default=str)
    print("\n<!-- paste into BENCHMARKS.md -->\n")
    print(text)


if __name__ == "__main__":
    main()

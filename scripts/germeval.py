#!/usr/bin/env python3
"""Measure the gazetteer's mentions against the GermEval 2014 NER gold spans.

Usage: germeval.py [--binary target/release/newsgraph] [--gazetteer DIR]
                   [--data ../shared/data/germeval2014-ner] [--no-fail]
                   [--worst N] [--keep DIR]

Every sentence of NER-de-dev.tsv and NER-de-test.tsv becomes one article of
a JSONL file (id `dev-17`, `test-4711`: split and sentence number; text: the
tokens joined by single spaces; date from the sentence's comment line). The
binary extracts a graph from it, and its mentions (UTF-8 byte offsets into
each article's text) are compared with the gold spans of both annotation
layers, with GermEval's types mapped to newsgraph's: PER -> person,
LOC -> place, ORG -> organization.

- precision: the share of reported mentions that lie inside a gold span of
  the same type. A mention inside one `*part` token counts ("EU" in the
  ORGpart token "EU-Beamte"); so does a mention that is a strict part of a
  `*deriv` token ("US" in the LOCderiv token "US-amerikanische"), but a
  whole deriv token ("Deutsche" tagged LOCderiv) does not: an adjective is
  not a mention.
- name recall: for every name (the text of a plain PER/LOC/ORG gold span)
  that newsgraph tags exactly at least once somewhere in the corpus, the
  share of that name's gold occurrences that it tags (a mention of the same
  type overlapping the span). Reported overall (tagged occurrences / all
  occurrences of those names) with the worst names.
- mentions: how many mentions newsgraph reports.

Prints a summary line `germeval: mentions=N precision=P name_recall=R`, the
worst false positives and the worst-recalled names. Exits 1 when a target is
missed (precision >= 0.90, name recall >= 0.95, mentions >= 1500) unless
--no-fail is given, 2 when the inputs cannot be read or the binary fails.
Standard library only.
"""
import argparse
import collections
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

TYPES = {"PER": "person", "LOC": "place", "ORG": "organization"}
TARGETS = {"precision": 0.90, "name_recall": 0.95, "mentions": 1500}


class Sentence:
    def __init__(self, sid, date):
        self.id = sid
        self.date = date
        self.tokens = []
        self.outer = []
        self.inner = []

    def text(self):
        return " ".join(self.tokens)

    def byte_starts(self):
        """UTF-8 byte offset of every token in text(), plus the end."""
        starts, offset = [], 0
        for token in self.tokens:
            starts.append(offset)
            offset += len(token.encode("utf-8")) + 1
        starts.append(offset - 1)
        return starts

    def spans(self):
        """Gold spans (first token, last token, label) of both layers."""
        found = []
        for tags in (self.outer, self.inner):
            start, label = None, None
            for index, tag in enumerate(tags + ["O"]):
                if start is not None and not (tag.startswith("I-") and tag[2:] == label):
                    found.append((start, index - 1, label))
                    start, label = None, None
                if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                    start, label = index, tag[2:]
        return found


def read_split(path, split):
    sentences, current = [], None
    number = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            number += 1
            fields = line.split("\t")
            date = fields[2].strip("[] ") if len(fields) > 2 else ""
            current = Sentence(f"{split}-{number}", date)
            sentences.append(current)
        elif line.strip():
            fields = line.split("\t")
            current.tokens.append(fields[1])
            current.outer.append(fields[2] if len(fields) > 2 else "O")
            current.inner.append(fields[3] if len(fields) > 3 else "O")
    return sentences


def base_type(label):
    for suffix in ("part", "deriv"):
        if label.endswith(suffix):
            return TYPES.get(label[: -len(suffix)]), suffix
    return TYPES.get(label), ""


def token_range(starts, start, end):
    """The tokens a byte range [start, end) touches, and whether it is a
    strict part of a single token."""
    first = max(i for i in range(len(starts) - 1) if starts[i] <= start)
    last = max(i for i in range(len(starts) - 1) if starts[i] < end)
    token_start, token_end = starts[first], starts[first + 1] - (1 if first + 1 < len(starts) - 1 else 0)
    strict = first == last and (start > token_start or end < token_end)
    return first, last, strict


def judge(mention_type, first, last, strict, spans):
    """'ok', 'partial' (inside a longer gold span) or the gold label seen."""
    best = None
    for start, end, label in spans:
        kind, suffix = base_type(label)
        if not (start <= first and last <= end):
            if start <= last and first <= end and best is None:
                best = f"overlaps {label}"
            continue
        if kind != mention_type:
            best = best if best and best.startswith("inside") else f"inside {label}"
            continue
        if suffix == "deriv" and not strict:
            best = f"whole {label} token"
            continue
        return "ok"
    return best or "untagged"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="target/release/newsgraph")
    parser.add_argument("--data", default="../shared/data/germeval2014-ner")
    parser.add_argument("--no-fail", action="store_true", help="only report, exit 0")
    parser.add_argument("--worst", type=int, default=25, help="how many worst items to list")
    parser.add_argument("--keep", help="write the JSONL and the graph into this folder")
    parser.add_argument("--gazetteer", help="gazetteer folder to use instead of the built-in one")
    args = parser.parse_args()

    data = Path(args.data)
    try:
        sentences = read_split(data / "NER-de-dev.tsv", "dev") + read_split(data / "NER-de-test.tsv", "test")
    except OSError as err:
        print(f"germeval: cannot read {data}: {err}", file=sys.stderr)
        return 2
    by_id = {s.id: s for s in sentences}

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        corpus, graph_path = folder / "germeval.jsonl", folder / "germeval-graph.json"
        with corpus.open("w", encoding="utf-8") as out:
            for s in sentences:
                record = {"id": s.id, "text": s.text()}
                if s.date:
                    record["date"] = s.date
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        command = [args.binary, "extract", str(corpus), "-o", str(graph_path)]
        if args.gazetteer:
            command += ["--gazetteer", args.gazetteer]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"germeval: {args.binary} failed ({run.returncode}): {run.stderr.strip()}", file=sys.stderr)
            return 2
        graph = json.loads(graph_path.read_text(encoding="utf-8"))

    # Every reported mention, judged against the gold spans.
    mentions = []  # (sentence, first, last, type, entity id, text, verdict)
    tagged = collections.defaultdict(list)  # sentence id -> [(first, last, type)]
    for node in graph.get("nodes", []):
        for m in node.get("mentions", []):
            s = by_id.get(m["document"])
            if s is None:
                continue
            first, last, strict = token_range(s.byte_starts(), m["start"], m["end"])
            verdict = judge(node["type"], first, last, strict, s.spans())
            mentions.append((s, first, last, node["type"], node["id"], m.get("text", ""), verdict))
            tagged[s.id].append((first, last, node["type"], strict))

    correct = sum(1 for m in mentions if m[6] == "ok")
    precision = correct / len(mentions) if mentions else 0.0

    # Name recall: names tagged exactly somewhere, and how often they are tagged.
    occurrences = collections.defaultdict(list)  # (name, type) -> [hit?]
    missed_in = {}  # (name, type) -> an example sentence where it is missed
    exact_names = set()
    for s in sentences:
        found = tagged.get(s.id, [])
        for start, end, label in s.spans():
            kind, suffix = base_type(label)
            if kind is None or suffix:
                continue
            name = " ".join(s.tokens[start:end + 1])
            hit = any(t == kind and f <= end and start <= l for f, l, t, _ in found)
            occurrences[(name, kind)].append(hit)
            if not hit:
                missed_in.setdefault((name, kind), f"{s.id}: {' '.join(s.tokens)[:140]}")
            if any(t == kind and f == start and l == end and not strict for f, l, t, strict in found):
                exact_names.add((name, kind))
    total = sum(len(occurrences[n]) for n in exact_names)
    hits = sum(sum(occurrences[n]) for n in exact_names)
    name_recall = hits / total if total else 0.0

    print(f"germeval: mentions={len(mentions)} precision={precision:.3f} name_recall={name_recall:.3f}"
          f" (sentences={len(sentences)} names={len(exact_names)} occurrences={total})")

    errors = collections.Counter()
    examples = {}
    for s, first, last, kind, entity, text, verdict in mentions:
        if verdict != "ok":
            key = (text, entity, verdict)
            errors[key] += 1
            examples.setdefault(key, f"{s.id}: {' '.join(s.tokens)[:140]}")
    if errors:
        print(f"\nworst false positives ({sum(errors.values())} of {len(mentions)} mentions):")
        for (text, entity, verdict), count in errors.most_common(args.worst):
            print(f"  {count:4d}  {text!r} -> {entity} ({verdict})\n        e.g. {examples[(text, entity, verdict)]}")
    worst = sorted(((sum(h) / len(h), -len(h), n) for n, h in occurrences.items() if n in exact_names and not all(h)))
    if worst:
        print("\nworst-recalled names (tagged/occurrences):")
        for ratio, count, (name, kind) in worst[: args.worst]:
            h = occurrences[(name, kind)]
            print(f"  {sum(h):4d}/{len(h):<4d} {name!r} ({kind})\n        e.g. {missed_in[(name, kind)]}")

    failed = [name for name, value in (("precision", precision), ("name_recall", name_recall),
                                         ("mentions", len(mentions))) if value < TARGETS[name]]
    if failed and not args.no_fail:
        print(f"\ngermeval: below target: {', '.join(failed)} (targets {TARGETS})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

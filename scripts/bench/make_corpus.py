#!/usr/bin/env python3
"""Builds deterministic benchmark corpora of real German news.

Seeds (read their SOURCE.md; both CC BY-NC-SA 4.0, fine for internal
benchmarking, never commit the output):

- ../shared/data/de-news-10kgnad-test/10kgnad_test.jsonl  (1,028 DER STANDARD articles)
- ../shared/data/de-wikinews-quotes/articles.jsonl        (998 Wikinews articles, with dates)

Whole articles are sampled with replacement by a seeded RNG until a corpus
reaches its target size; every drawn article gets a new id
(`bench-000123-<seed id>`), so repeated articles are distinct documents.

For each size it writes, into the output folder (default target/bench-corpus/):

- corpus-20mb.jsonl   one article a line: {"id", "text"[, "date"]}
- corpus-20mb.txt     the same articles, one a line, white space collapsed
                      (for `wc -w` and the Python peers)
- seeds.jsonl/.txt    every distinct seed article once (about 4.4 MB)
- tiny.txt            one short sentence (start-up time)

Usage: python3 scripts/bench/make_corpus.py [--out DIR] [--sizes 20,100] [--seed 20240501]
Run from the repository root (paths to ../shared are relative to it).
Re-running with the same arguments gives byte-identical files; existing files
with the right size and checksum stamp are kept.
"""

import argparse
import hashlib
import json
import os
import random
import sys

SOURCES = [
    "../shared/data/de-news-10kgnad-test/10kgnad_test.jsonl",
    "../shared/data/de-wikinews-quotes/articles.jsonl",
]
MB = 1_000_000


def load_seeds(root):
    articles = []
    for rel in SOURCES:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            sys.exit(f"make_corpus: {path}: missing (run from the repository root, next to ../shared)")
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record["text"]
                title = record.get("title")
                if title:
                    text = f"{title}\n{text}"
                article = {"id": record["id"], "text": text}
                date = record.get("date")
                # 0001-01-01 is a placeholder in the Wikinews data.
                if date and not date.startswith("0001"):
                    article["date"] = date
                articles.append(article)
    return articles


def jsonl_line(article):
    return json.dumps(article, ensure_ascii=False) + "\n"


def text_line(article):
    return " ".join(article["text"].split()) + "\n"


def write_corpus(path_base, articles):
    """Writes path_base.jsonl and path_base.txt atomically; returns (bytes, docs)."""
    size = 0
    for suffix, render in ((".jsonl", jsonl_line), (".txt", text_line)):
        tmp = path_base + suffix + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as out:
            for article in articles:
                data = render(article)
                out.write(data)
                if suffix == ".jsonl":
                    size += len(data.encode("utf-8"))
        os.replace(tmp, path_base + suffix)
    return size, len(articles)


def sample(seeds, target_bytes, rng):
    chosen = []
    total = 0
    number = 0
    sizes = [len(jsonl_line(a).encode("utf-8")) for a in seeds]
    while total < target_bytes:
        index = rng.randrange(len(seeds))
        seed = seeds[index]
        article = dict(seed)
        article["id"] = f"bench-{number:06d}-{seed['id']}"
        chosen.append(article)
        total += sizes[index] + len(article["id"]) - len(seed["id"])
        number += 1
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="target/bench-corpus")
    parser.add_argument("--sizes", default="20,100", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--root", default=".", help="repository root (../shared is relative to it)")
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    seeds = load_seeds(args.root)
    stamp_key = hashlib.sha256()
    for article in seeds:
        stamp_key.update(jsonl_line(article).encode("utf-8"))
    seed_digest = stamp_key.hexdigest()[:16]

    size, docs = write_corpus(os.path.join(args.out, "seeds"), seeds)
    print(f"make_corpus: seeds.jsonl {size / MB:.1f} MB, {docs} distinct articles")

    with open(os.path.join(args.out, "tiny.txt"), "w", encoding="utf-8") as out:
        out.write("Am Mittwoch telefonierte Putin mit Erdoğan.\n")

    for mb in [int(s) for s in args.sizes.split(",") if s.strip()]:
        base = os.path.join(args.out, f"corpus-{mb}mb")
        stamp_path = base + ".stamp"
        stamp = f"seed={args.seed} mb={mb} seeds={seed_digest}\n"
        if (
            os.path.exists(stamp_path)
            and open(stamp_path).read() == stamp
            and os.path.exists(base + ".jsonl")
            and os.path.exists(base + ".txt")
        ):
            print(f"make_corpus: corpus-{mb}mb.jsonl up to date")
            continue
        # One RNG per size, so a corpus does not depend on which others are made.
        rng = random.Random(f"{args.seed}-{mb}")
        articles = sample(seeds, mb * MB, rng)
        size, docs = write_corpus(base, articles)
        with open(stamp_path, "w") as out:
            out.write(stamp)
        print(f"make_corpus: corpus-{mb}mb.jsonl {size / MB:.1f} MB, {docs} articles")


if __name__ == "__main__":
    main()

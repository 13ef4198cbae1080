#!/bin/sh
# Whole-process benchmark of newsgraph and its peers; prints a markdown block
# for BENCHMARKS.md. Options: see scripts/bench/run.py --help.
#   scripts/bench/run.sh            # 20 MB corpus
#   scripts/bench/run.sh --large    # also 100 MB
set -e
cd "$(dirname "$0")/../.."
exec python3 scripts/bench/run.py "$@"

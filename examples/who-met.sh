#!/usr/bin/env bash
# Who met whom: `newsgraph who-met` in shell pipelines.
#
#   newsgraph who-met [--person NAME] [--with NAME] [--since DATE] [--until DATE]
#                     [--kind KIND] [--format table|tsv|jsonl|json] [INPUT...]
#
# Without INPUT it reads seeds/. Names match any spelling the gazetteer knows
# ("Erdogan", "Erdoğan"). It exits 1 when nothing matches, like grep.
#
# jsonl gives one object per contact: date (null when unknown), kind, status,
# participants (labels), participant_ids, place (a label, or null), document,
# evidence. tsv gives one line per contact and no header: date, kind, status,
# participants (joined by "; "), place, document, evidence.
#
# Run from the repository root: bash examples/who-met.sh
set -eu

# 1. Erdoğan's contacts as an aligned table: jq picks the fields and makes
#    TSV; column aligns it. Unknown dates and places become "-", because
#    column would merge an empty field into the next.
newsgraph who-met --person Erdogan --format jsonl \
  | jq -r '[(.date // "-"), .kind, (.participants | join(" & ")), (.place // "-")] | @tsv' \
  | column -t -s $'\t'

echo

# 2. Putin's contacts since 2020 (dated ones only: --since drops unknown
#    dates), newest first: date, kind and who. The TSV columns are date,
#    kind, status, participants, place, document, evidence.
newsgraph who-met --with Putin --since 2020 --format tsv \
  | sort -t $'\t' -k1,1r \
  | cut -f1,2,4

echo

# 3. How Putin's contacts went: count them by kind and status.
newsgraph who-met --person Putin --format tsv \
  | cut -f2,3 \
  | sort | uniq -c | sort -rn

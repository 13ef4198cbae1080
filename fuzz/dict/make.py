#!/usr/bin/env python3
"""Writes the libFuzzer dictionaries pipeline.dict and gazetteer.dict.

The targets are built with --no-trace-compares (twice the executions per
second), so the words libFuzzer would otherwise learn from comparisons are
given here: German role, contact and date words, gazetteer names, the
Unicode the tokenizer treats specially, and the TSV headers and id forms.
Run from the project root: python3 fuzz/dict/make.py
"""
import csv
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "gazetteer"

WORDS = """der die das den dem des und mit in am im vor seit nach russische russischen türkischen
Präsident Präsidenten Präsidentin Außenminister Außenministers Kremlchef Staatschefs Staatschef
Amtskollegen Amtskollege seinem beiden stellvertretender ehemalige Sondergesandter Berater
telefonierte telefoniert Telefonat Telefon telefonisch Telefongespräch traf trafen Treffen empfing
besuchte zusammengekommen Gipfel Angesicht Rande Videokonferenz Videoschalte Verhandlungen
Gespräche vereinbart baldiges soll geplant will kommende abgesagt geplatzt lehnte ab keine nicht
eingeladen teil vertreten entsandte sagte betonte dass wie wird werden hat war wurde worden
Januar Februar März April Mai Juni Juli August September Oktober November Dezember Montag Dienstag
Mittwoch Donnerstag Freitag Samstag Sonntag Donnerstagabend gestern heute vorgestern Woche Wochen
Monat Jahr Anfang Mitte Ende Nacht vergangenen letzte dieses zwei drei Mehr zum Thema Bildquelle
Cookies z. B. z.B. u. a. Dr. St. Nr.""".split()
SNIPPETS = [" date ", " date 2020-10 ", " date 2020-10-14 ", "29.12.2020", "3.3.21", "29. ",
            "\r\n", "\r", "\n", ". ", ", ", " - ", "-", "'s", "\u2019s", "\u201e", "\u201c", "\u00bb",
            "\u00a0", "\u200b", "\u00ad", "\u200e", "\u200f", "\u202b", "\u202c", "\u2060", "\ufeff",
            "\u0306", "\u0308", "\u0327", "\u0131", "\u0130", "\u00df", "\u1e9e", "\u2026", "\u2013"]
HEADERS = ["id\tlabel\taliases\twikidata\n", "adjective\tentity\n", "person\trole\tof\tstart\tend\n",
           "term\trole\tof\n"]
TSV = ["person:", "place:", "organization:", "\t", "|", "\tQ", "# ", "2020", "2020-10", "2020-10-14",
       "head_of_state", "head_of_government", "foreign_minister", "defence_minister", "president",
       "secretary_general", "high_representative", "director_general", "supreme_leader", "head"]


def escape(text):
    out = []
    for byte in text.encode("utf-8"):
        if 0x20 <= byte < 0x7F and byte not in (0x22, 0x5C):
            out.append(chr(byte))
        else:
            out.append("\\x%02X" % byte)
    return '"' + "".join(out) + '"'


def rows(name):
    with open(GAZETTEER / name, encoding="utf-8") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return list(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE))


def names():
    found = []
    for row in rows("people.tsv"):
        found.append(row[1])
        if len(row) > 2:
            found.extend(alias for alias in row[2].split("|") if alias)
    for name in ["countries.tsv", "cities.tsv", "organizations.tsv"]:
        found.extend(row[1] for row in rows(name)[:150])
    found.extend(row[0] for row in rows("role_terms.tsv"))
    found.extend(row[0] for row in rows("adjectives.tsv"))
    return found


def write(path, entries):
    seen = []
    for entry in entries:
        if entry and entry not in seen:
            seen.append(entry)
    path.write_text("".join(escape(entry) + "\n" for entry in seen), encoding="ascii")


here = pathlib.Path(__file__).resolve().parent
write(here / "pipeline.dict", WORDS + SNIPPETS + names())
write(here / "gazetteer.dict", HEADERS + TSV + SNIPPETS + WORDS + [row[0] for row in rows("people.tsv")][:200])

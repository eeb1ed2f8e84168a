#!/usr/bin/env python3
"""Scores `lipsteeth analyze --json` metadata against ../shared/devset/SOURCES.tsv.

For every row of SOURCES.tsv the article is analysed once, as a user would
(`lipsteeth analyze --json --passages-only FILE`), and compared with the row:
  title  right when equal to the `title` column after Unicode NFKC, casefold,
         typographic quotes/dashes made plain and runs of spaces squeezed;
  year   right when equal to the `year` column. Rows whose `year` is empty
         (the file states no date) are counted apart: there the only right
         answer is no year, or a year reported as "inferred" (never "stated").
The devset files are read in place; nothing is copied.

Usage: bench/devset_meta.py [--devset DIR] [--lipsteeth BIN] [--json OUT] [-v]
Defaults: --devset <repo>/../shared/devset, --lipsteeth <repo>/build/cli/lipsteeth.
Exit code 0 after printing the table (scores are reported, not enforced).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def norm(s):
    s = unicodedata.normalize("NFKC", s or "").translate(PLAIN).casefold()
    return " ".join(s.split())


def analyze(binary, path):
    p = subprocess.run([binary, "analyze", "--json", "--passages-only", path],
                       capture_output=True, text=True)
    try:
        return json.loads(p.stdout)["files"][0], p.returncode
    except (ValueError, KeyError, IndexError):
        return {"status": "crash", "reason": p.stderr.strip()[:200]}, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=os.path.join(REPO, "..", "shared", "devset"))
    ap.add_argument("--lipsteeth", default=os.path.join(REPO, "build", "cli", "lipsteeth"))
    ap.add_argument("--json", help="write per-file results here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every file")
    a = ap.parse_args()
    with open(os.path.join(a.devset, "SOURCES.tsv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    results = []
    t_ok = y_ok = y_n = none_ok = none_n = 0
    for row in rows:
        path = os.path.join(a.devset, "articles", row["local_file"])
        got, rc = analyze(a.lipsteeth, path)
        title_right = norm(got.get("title")) == norm(row["title"])
        year = got.get("year")
        src = got.get("year_source")
        t_ok += title_right
        if row["year"].strip():
            y_n += 1
            year_right = year == int(row["year"])
            y_ok += year_right
        else:
            none_n += 1
            year_right = year is None or src == "inferred"
            none_ok += year_right
        results.append({"file": row["local_file"], "exit": rc, "title": got.get("title"),
                        "gold_title": row["title"], "title_right": title_right, "year": year,
                        "year_source": src, "gold_year": row["year"], "year_right": year_right})
        if a.verbose or not (title_right and year_right):
            mark = ("T" if title_right else "t") + ("Y" if year_right else "y")
            print(f"{mark} {row['local_file'][:40]:40} year={year} ({src}) gold={row['year'] or '-'}\n"
                  f"      got:  {got.get('title')!r}\n      gold: {row['title']!r}")
    n = len(rows)
    print()
    print("| measure | right | of | share |")
    print("|---|---|---|---|")
    print(f"| titles | {t_ok} | {n} | {t_ok / n:.0%} |")
    print(f"| years (files stating a date) | {y_ok} | {y_n} | {y_ok / max(y_n, 1):.0%} |")
    print(f"| no year invented (files stating none) | {none_ok} | {none_n} | {none_ok / max(none_n, 1):.0%} |")
    print(f"| years, all files | {y_ok + none_ok} | {n} | {(y_ok + none_ok) / n:.0%} |")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

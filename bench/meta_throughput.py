#!/usr/bin/env python3
"""Analysis throughput per format: `lipsteeth analyze --passages-only --json` in MB/s.

Files are grouped by the format lipsteeth reads them as (markdown with front
matter, saved HTML and server pages, JSON documents of stories, plain text),
taken from ../shared/devset/articles/ (read in place, nothing copied) and the
bundled corpus/. Each group is analysed by one process given the group's files
REPEAT times over, so that start-up is a small part of the time; the best of
ROUNDS runs is kept. MB/s = bytes given / wall-clock seconds.

Usage: bench/meta_throughput.py [--devset DIR] [--lipsteeth BIN] [--repeat N] [--rounds N]
"""
import argparse
import os
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GROUPS = [
    ("markdown (front matter)", (".md", ".markdown")),
    ("html (saved pages, PHP)", (".html", ".htm", ".php")),
    ("json (stories, TimelineJS)", (".json", ".js")),
    ("text (tokenised corpus)", (".en",)),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=os.path.join(REPO, "..", "shared", "devset"))
    ap.add_argument("--lipsteeth", default=os.path.join(REPO, "build", "cli", "lipsteeth"))
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    arts = os.path.join(a.devset, "articles")
    names = sorted(os.listdir(arts))
    groups = []
    for label, exts in GROUPS:
        files = [os.path.join(arts, n) for n in names if n.endswith(exts)]
        groups.append((label, files))
    corpus = os.path.join(REPO, "corpus")
    groups.append(("text (bundled corpus)",
                   [os.path.join(corpus, n) for n in sorted(os.listdir(corpus)) if n.endswith(".txt")]))
    print("| format | files | bytes per pass | seconds (%d passes) | MB/s |" % a.repeat)
    print("|---|---:|---:|---:|---:|")
    for label, files in groups:
        if not files:
            continue
        size = sum(os.path.getsize(f) for f in files)
        args = [a.lipsteeth, "analyze", "--passages-only", "--json"] + files * a.repeat
        best = None
        for _ in range(a.rounds):
            t0 = time.perf_counter()
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        mbs = size * a.repeat / best / 1e6
        print(f"| {label} | {len(files)} | {size:,} | {best:.3f} | {mbs:.2f} |")


if __name__ == "__main__":
    main()

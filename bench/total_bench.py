#!/usr/bin/env python3
"""What an exact total costs without facets: `search --no-facets` of one build against another's.

  total_bench.py --queries bench/queries.tsv --runs 10 \
      NAME=BIN:DB [NAME=BIN:DB ...] [--facets NAME]

Each NAME=BIN:DB is a lipsteeth binary and the index it built (two builds of
different schema versions need an index each, of the same corpus). For each of
the queries (kind<TAB>query), every system runs `BIN search --db DB --limit 10
--no-facets --color=never QUERY` once per round, in an order shuffled afresh
each round (seeded), after two warm-up rounds; a process spawned directly, its
output to /dev/null, its wall time and user+system CPU time (wait4) recorded.
--facets NAME adds NAME+facets: the same binary without --no-facets.

Prints a Markdown table: per system the median over the queries of each
query's median wall time and of its mean CPU time per run, how many queries'
totals were exact (`total_exact` of one `--json` run), and the same medians
over the queries whose total the first system only estimated (named on stderr).
"""
import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    start = time.perf_counter()
    with open(os.devnull, 'wb') as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--queries', required=True)
    ap.add_argument('--runs', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--facets', action='append', default=[])
    ap.add_argument('systems', nargs='+', help='NAME=BIN:DB')
    a = ap.parse_args()
    queries = []
    with open(a.queries, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            queries.append(line.rstrip('\n').split('\t', 1)[1])
    systems = {}
    for s in a.systems:
        name, rest = s.split('=', 1)
        binary, db = rest.split(':', 1)
        base = [binary, 'search', '--db', db, '--limit', '10', '--color=never']
        systems[name] = base + ['--no-facets']
        if name in a.facets:
            systems[name + '+facets'] = base
    rng = random.Random(a.seed)
    wall = {n: [] for n in systems}
    cpu = {n: [] for n in systems}
    exact = {n: [] for n in systems}
    for q in queries:
        w = {n: [] for n in systems}
        c = {n: [] for n in systems}
        for r in range(a.warmup + a.runs):
            order = list(systems)
            rng.shuffle(order)
            for n in order:
                t, u, code = run_once(systems[n] + ['--', q])
                if code not in (0, 1):
                    sys.exit(f'{n}: exit {code} on {q!r}: {shlex.join(systems[n] + ["--", q])}')
                if r >= a.warmup:
                    w[n].append(t)
                    c[n].append(u)
        for n in systems:
            wall[n].append(statistics.median(w[n]))
            cpu[n].append(statistics.mean(c[n]))
            out = subprocess.run(systems[n] + ['--json', '--', q], capture_output=True, text=True).stdout
            exact[n].append(bool(json.loads(out)['total_exact']) if out else False)
    first = next(iter(systems))
    estimated = [i for i, e in enumerate(exact[first]) if not e]
    print(f'| system | median wall ms | median CPU ms | exact totals (of {len(queries)}) | '
          f'wall ms, CPU ms on the {len(estimated)} queries {first} estimated |')
    print('|---|---:|---:|---:|---:|')
    for n in systems:
        on = (f'{statistics.median(wall[n][i] for i in estimated) * 1e3:.1f}, '
              f'{statistics.median(cpu[n][i] for i in estimated) * 1e3:.1f}') if estimated else '-'
        print(f'| {n} | {statistics.median(wall[n]) * 1e3:.1f} | {statistics.median(cpu[n]) * 1e3:.1f} | '
              f'{sum(exact[n])} | {on} |')
    for i in estimated:
        print(f'{first} estimated: {queries[i]}', file=sys.stderr)

if __name__ == '__main__':
    main()

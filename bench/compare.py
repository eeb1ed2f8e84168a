#!/usr/bin/env python3
"""Two lipsteeth binaries over one index: the same output, and the same speed?

For a change that should alter no result (a refactoring, a build option):
  1. every query of bench/queries.tsv under several option sets, and a few
     edge queries (a misspelling, title:, stopwords only, a wildcard, a pure
     NOT, unbalanced parentheses), through `lipsteeth search --json` with
     each binary: stdout, stderr and exit code compared byte for byte;
  2. the 20 queries timed with each binary, without facets, with facets and
     with filters, the two binaries taking turns in an order shuffled each
     round (seeded), whole processes, wall and user+system CPU time (wait4).

Usage:
  bench/compare.py --db INDEX BIN_A BIN_B [--rounds 30] [--warmup 3] [--no-timing]
Exits 1 when any output differs (the differing commands are listed).
Prints a Markdown table: per option set the median over the queries of
each query's median wall time and mean CPU time, and the ratios B / A.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = {
    'facets': [],
    'no facets': ['--no-facets'],
    'filters': ['--year', '2000..2016', '--actor', 'North Korea'],
    'grouped, explained': ['--group-by', 'article', '--explain'],
    'page 2, explained': ['--limit', '20', '--offset', '5', '--explain'],
    'one year': ['--year', '2010'],
    'two actors': ['--actor', 'China', '--actor', 'United States', '--no-facets'],
}
TIMED = ['no facets', 'facets', 'filters']
EDGE = ['Jinpin', 'title:china', 'title:korea nuclear', 'the of', '"ministry of foreign affairs"',
        'actor:kim-jong-un sanctions', 'year:2012..2016 talks', 'sanct*', 'NOT china', '(((']


def queries(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or '\t' not in line:
                continue
            out.append(line.rstrip('\n').split('\t', 1)[1])
    return out


def search(binary, db, args, query, json=True):
    return [binary, 'search', '--db', db, '--color=never'] + (['--json'] if json else ['--limit', '10']) + \
        args + ['--', query]


def same_output(a, b, db, qs):
    differ = []
    cases = [(args, q) for q in qs for args in VARIANTS.values()] + [([], q) for q in EDGE]
    for args, q in cases:
        ra, rb = (subprocess.run(search(x, db, args, q), capture_output=True) for x in (a, b))
        if (ra.returncode, ra.stdout, ra.stderr) != (rb.returncode, rb.stdout, rb.stderr):
            differ.append(' '.join(search('lipsteeth', db, args, q)))
    return len(cases), differ


def timed(binary, db, args, q):
    p = subprocess.Popen(search(binary, db, args, q, json=False), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    _, _, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - start) * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def timing(a, b, db, qs, rounds, warmup, seed):
    rng = random.Random(seed)
    rows = []
    for name in TIMED:
        wall = {a: [], b: []}
        cpu = {a: [], b: []}
        for q in qs:
            w = {a: [], b: []}
            c = {a: [], b: []}
            for r in range(warmup + rounds):
                order = [a, b]
                rng.shuffle(order)
                for x in order:
                    tw, tc = timed(x, db, VARIANTS[name], q)
                    if r >= warmup:
                        w[x].append(tw)
                        c[x].append(tc)
            for x in (a, b):
                wall[x].append(statistics.median(w[x]))
                cpu[x].append(statistics.mean(c[x]))
        rows.append((name, *(statistics.median(v[x]) for v in (wall, cpu) for x in (a, b))))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('a')
    ap.add_argument('b')
    ap.add_argument('--db', required=True)
    ap.add_argument('--queries', default=os.path.join(HERE, 'queries.tsv'))
    ap.add_argument('--rounds', type=int, default=30)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--no-timing', action='store_true')
    args = ap.parse_args()
    qs = queries(args.queries)
    n, differ = same_output(args.a, args.b, args.db, qs)
    print(f'outputs: {n - len(differ)} of {n} commands identical')
    for d in differ:
        print('  differs:', d)
    if not args.no_timing:
        load = os.getloadavg()[0]
        rows = timing(args.a, args.b, args.db, qs, args.rounds, args.warmup, args.seed)
        print(f'\n{len(qs)} queries, {args.rounds} rounds after {args.warmup} warm-up; '
              f'1-minute load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end\n')
        print('| option set | wall A ms | wall B ms | B / A | CPU A ms | CPU B ms | B / A |')
        print('|---|---|---|---|---|---|---|')
        for name, wa, wb, ca, cb in rows:
            print(f'| {name} | {wa:.2f} | {wb:.2f} | {wb / wa:.3f} | {ca:.2f} | {cb:.2f} | {cb / ca:.3f} |')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main())

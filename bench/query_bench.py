#!/usr/bin/env python3
"""Query latency of lipsteeth and its peers (whole process, warm cache), the systems interleaved.

Called by bench/query.sh, which builds the indexes; usable alone:
  query_bench.py --out DIR --label 20mb --corpus DIR --queries bench/queries.tsv \
      [--lipsteeth BIN --lipsteeth-db DB] [--lipsteeth-shared BIN] [--omindex-db DB] [--recoll-conf DIR] \
      [--fts5-db FILE] [--runs 10] [--warmup 2] [--systems a,b,...]

Systems (each asked for its top 10, with what it prints for a hit):
  lipsteeth            lipsteeth search --limit 10 --no-facets QUERY
  lipsteeth+facets     lipsteeth search --limit 10 QUERY (year and actor facets)
  lipsteeth+filters    the same with --year 2000..2016 --actor "North Korea"
  lipsteeth-shared     as lipsteeth, a build linking Debian's shared libxapian and
                       libstdc++ (--lipsteeth-shared BIN): what start-up costs
  quest                quest -d OMINDEX_DB -m 10 QUERY (Xapian's own CLI)
  recollq              recollq -c CONF -n 10 -A QUERY (with abstracts)
  fts5                 sqlite3 DB "SELECT path, title, snippet(...) ... MATCH ... ORDER BY bm25(docs) LIMIT 10"
  rg                   rg -i -F TEXT CORPUS (every matching line of the raw files)

Timing: for each query, every system runs once per round, in an order
shuffled afresh each round (seeded: --seed), warm-up rounds first, each run a process
spawned directly (no shell) with its output to /dev/null, its wall time and
user+system CPU time (wait4) recorded. Interleaved so, a shared machine's
drift in speed falls on every system alike and the ratios hold; run one
system after another (hyperfine's way, --sequential) and a drift of minutes
between them shows up as a ratio. Shuffled, not rotated: in a rotation each
system always follows the same one, and a run right after `rg` (which
sweeps the CPU caches) is slower than one after a run that used the same
libraries (quest after a lipsteeth linked to the shared libxapian).

Writes DIR/<label>-<system>.json (hyperfine's export format), DIR/<label>-check.tsv
(exit code and output size of one run of each command), and prints a
Markdown table: per system the median and 95th percentile over the 20
queries of each query's median latency, the ratio to quest, and the median
over the queries of the mean user+system CPU time per run (steadier than wall
time when other processes share the cores).
"""
import argparse
import json
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import time

SYSTEMS = ['lipsteeth', 'lipsteeth+facets', 'lipsteeth+filters', 'lipsteeth-shared', 'quest', 'recollq', 'fts5', 'rg']


def read_queries(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            kind, text = line.split('\t', 1)
            out.append((kind, text))
    return out


def fts5_query(text):
    """FTS5 syntax for a user query: phrases kept, every bare word quoted (implicit AND)."""
    parts = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        s = m.group(1) if m.group(1) is not None else m.group(2)
        parts.append('"' + s.replace('"', '""') + '"')
    return ' '.join(parts)


def commands(system, text, a):
    if system.startswith('lipsteeth'):
        binary = a.lipsteeth_shared if system == 'lipsteeth-shared' else a.lipsteeth
        cmd = [binary, 'search', '--db', a.lipsteeth_db, '--limit', '10', '--color=never']
        if system in ('lipsteeth', 'lipsteeth-shared'):
            cmd += a.no_facets_flag.split()
        if system == 'lipsteeth+filters':
            cmd += ['--year', '2000..2016', '--actor', 'North Korea']
        return cmd + ['--', text]
    if system == 'quest':
        return ['quest', '-d', a.omindex_db, '-m', '10', text]
    if system == 'recollq':
        return ['recollq', '-c', a.recoll_conf, '-n', '10', '-A', text]
    if system == 'fts5':
        q = fts5_query(text).replace("'", "''")
        sql = (f"SELECT path, title, snippet(docs, 2, '[', ']', '…', 16) FROM docs "
               f"WHERE docs MATCH '{q}' ORDER BY bm25(docs) LIMIT 10;")
        return ['sqlite3', a.fts5_db, sql]
    if system == 'rg':
        return ['rg', '-i', '-F', '--', text.replace('"', ''), a.corpus]
    raise ValueError(system)


def nearest_rank(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--label', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--queries', required=True)
    ap.add_argument('--lipsteeth')
    ap.add_argument('--lipsteeth-db')
    ap.add_argument('--lipsteeth-shared', help='a build linking the shared libxapian (system lipsteeth-shared)')
    ap.add_argument('--no-facets-flag', default='--no-facets')
    ap.add_argument('--omindex-db')
    ap.add_argument('--recoll-conf')
    ap.add_argument('--fts5-db')
    ap.add_argument('--runs', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--systems', default=','.join(SYSTEMS))
    ap.add_argument('--seed', type=int, default=1, help='of the order the systems take turns in')
    ap.add_argument('--sequential', action='store_true',
                    help='time each system alone with hyperfine, one after another')
    a = ap.parse_args()
    queries = read_queries(a.queries)
    systems = a.systems.split(',')
    os.makedirs(a.out, exist_ok=True)

    per_query = {}  # system -> [median ms per query]
    p95_runs = {}   # system -> [p95 ms per query over its runs]
    cpu_ms = {}     # system -> [mean user+system CPU ms per query]
    checks = []
    all_cmds = {system: [commands(system, text, a) for _, text in queries] for system in systems}
    for system in systems:
        # One unmeasured run each: exit code and output size, so that a broken
        # peer shows up instead of timing an error message.
        for (kind, text), cmd in zip(queries, all_cmds[system]):
            p = subprocess.run(cmd, capture_output=True)
            checks.append((system, kind, text, p.returncode, len(p.stdout),
                           p.stderr.decode('utf-8', 'replace').strip().replace('\n', ' ')[:200]))
    if a.sequential:
        for system in systems:
            cmds = all_cmds[system]
            export = os.path.join(a.out, f'{a.label}-{system}.json')
            hf = ['hyperfine', '-N', '-i', '--style', 'none', '--warmup', str(a.warmup),
                  '--runs', str(a.runs), '--export-json', export]
            for (kind, text), cmd in zip(queries, cmds):
                hf += ['-n', f'{kind}: {text}', shlex.join(cmd)]
            print(f'[{a.label}] {system}: {len(cmds)} queries x {a.runs} runs', file=sys.stderr, flush=True)
            subprocess.run(hf, check=True, stdout=subprocess.DEVNULL)
    else:
        print(f'[{a.label}] {len(systems)} systems interleaved: {len(queries)} queries x {a.runs} runs',
              file=sys.stderr, flush=True)
        timings = {s: [] for s in systems}  # system -> per query {times, cpu}
        devnull = os.open(os.devnull, os.O_WRONLY)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
        shuffle = random.Random(a.seed)
        for qi, (kind, text) in enumerate(queries):
            got = {s: ([], []) for s in systems}
            for r in range(a.warmup + a.runs):
                order = list(systems)
                shuffle.shuffle(order)
                for system in order:
                    cmd = all_cmds[system][qi]
                    t0 = time.perf_counter()
                    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
                    _, _, ru = os.wait4(pid, 0)
                    wall = time.perf_counter() - t0
                    if r >= a.warmup:
                        got[system][0].append(wall)
                        got[system][1].append(ru.ru_utime + ru.ru_stime)
            for system in systems:
                times, cpus = got[system]
                timings[system].append({'command': f'{kind}: {text}', 'times': times,
                                        'user': statistics.mean(cpus), 'system': 0.0})
        os.close(devnull)
        for system in systems:
            with open(os.path.join(a.out, f'{a.label}-{system}.json'), 'w') as f:
                json.dump({'results': timings[system]}, f)
    for system in systems:
        with open(os.path.join(a.out, f'{a.label}-{system}.json')) as f:
            results = json.load(f)['results']
        per_query[system] = [statistics.median(r['times']) * 1000 for r in results]
        p95_runs[system] = [nearest_rank(r['times'], 95) * 1000 for r in results]
        cpu_ms[system] = [(r['user'] + r['system']) * 1000 for r in results]

    with open(os.path.join(a.out, f'{a.label}-check.tsv'), 'w', encoding='utf-8') as f:
        f.write('system\tkind\tquery\texit\tstdout_bytes\tstderr\n')
        for c in checks:
            f.write('\t'.join(str(x) for x in c) + '\n')
    with open(os.path.join(a.out, f'{a.label}-per-query.tsv'), 'w', encoding='utf-8') as f:
        f.write('kind\tquery\t' + '\t'.join(f'{s} median ms' for s in systems) + '\n')
        for i, (kind, text) in enumerate(queries):
            f.write(f'{kind}\t{text}\t' + '\t'.join(f'{per_query[s][i]:.2f}' for s in systems) + '\n')

    quest = statistics.median(per_query['quest']) if 'quest' in per_query else None
    quest_cpu = statistics.median(cpu_ms['quest']) if 'quest' in cpu_ms else None
    print('| system | median ms | p95 ms | max ms | median vs quest | CPU ms (median) | CPU vs quest |')
    print('|---|---|---|---|---|---|---|')
    for s in systems:
        med = statistics.median(per_query[s])
        p95 = nearest_rank(per_query[s], 95)
        ratio = f'{med / quest:.2f}x' if quest else '–'
        failed = sum(1 for c in checks if c[0] == s and c[3] not in (0, 1))
        note = f' ({failed} queries exited with an error)' if failed else ''
        cpu = statistics.median(cpu_ms[s])
        cratio = f'{cpu / quest_cpu:.2f}x' if quest_cpu else '–'
        print(f'| {s}{note} | {med:.1f} | {p95:.1f} | {max(per_query[s]):.1f} | {ratio} | {cpu:.1f} | {cratio} |')
    if 'rg' in per_query:
        for s in systems:
            if s.startswith('lipsteeth'):
                speedups = [r / l for r, l in zip(per_query['rg'], per_query[s])]
                print(f'\n{s}: faster than `rg -i` by {min(speedups):.1f}x on its worst query, '
                      f'{statistics.median(speedups):.1f}x at the median', end='')
        print()


if __name__ == '__main__':
    main()

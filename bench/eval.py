#!/usr/bin/env python3
"""Relevance evaluation of lipsteeth on the judged collections of ../shared/eval/.

For each collection (a folder with docs.jsonl, queries.tsv, qrels.txt, README.md):
  1. lipsteeth: `lipsteeth index --db DIR docs.jsonl`, then every query through
     `lipsteeth search --json --group-by article --limit 100` (one article per
     hit; the hit's article.id is the document id), written as a TREC run;
  2. the baseline, in the same run: plain Xapian BM25 with default parameters
     (bench/xapian_baseline: TermGenerator english STEM_SOME over title+text,
     QueryParser default flags, BM25Weight()), top 100 as well;
  3. both runs scored by ../shared/eval/score.py, and printed in one table per
     collection beside the figures published in the collection's README.
Queries go in exactly as written in queries.tsv, as a user would type them.

Usage (from anywhere; builds what it needs into build-bench/ first):
  bench/eval.py                                   # every collection, full
  bench/eval.py --collections cranfield --docs 300 --limit-queries 20   # quick
Options: --eval-dir DIR, --build-dir DIR, --lipsteeth BIN, --no-build,
         --out DIR (default bench/out/eval-<UTC time>), --depth K (default 100).
With --docs N only the first N documents are indexed, and the judgments are
restricted to them (queries left with no relevant document are dropped): such
figures are for checking the harness, not for comparison with published ones.
Raw outputs (runs, per-query scores, logs, results.json, tables.md, machine.txt)
are kept under the --out folder.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MEASURES = ['MAP', 'nDCG@10', 'P@10', 'Recall@100']


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build(build_dir):
    run([os.path.join(ROOT, 'scripts', 'deps.sh'), 'python3'])
    # The same configuration as bench/common.sh's bench_build (they share build-bench/).
    static = os.environ.get('STATIC_XAPIAN', 'ON')
    run(['cmake', '-S', ROOT, '-B', build_dir, '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
         '-DLIPSTEETH_BUILD_BENCH=ON', '-DLIPSTEETH_STATIC_XAPIAN=' + static], stdout=subprocess.DEVNULL)
    run(['cmake', '--build', build_dir, '-j2', '--target', 'lipsteeth', 'xapian_baseline'],
        stdout=subprocess.DEVNULL)


def machine_info():
    parts = ['date: ' + datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')]
    for cmd in (['git', '-C', ROOT, 'describe', '--always', '--dirty'], ['cat', '/proc/loadavg'],
                ['nproc'], ['lscpu'], ['free', '-m']):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError as e:
            out = str(e)
        parts.append('$ ' + ' '.join(cmd) + '\n' + out)
    return '\n'.join(parts) + '\n'


def read_queries(path, limit):
    queries = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if '\t' not in line:
                continue
            qid, text = line.split('\t', 1)
            queries.append((qid, text))
    return queries[:limit] if limit else queries


def prepare_collection(src, work, docs_limit, queries_limit):
    """Writes the docs, queries and qrels actually used into `work`; returns their paths."""
    docs = os.path.join(src, 'docs.jsonl')
    doc_ids = None
    if docs_limit:
        docs = os.path.join(work, 'docs.jsonl')
        doc_ids = set()
        with open(os.path.join(src, 'docs.jsonl'), encoding='utf-8') as f, \
                open(docs, 'w', encoding='utf-8') as out:
            for line in f:
                if len(doc_ids) >= docs_limit:
                    break
                if line.strip():
                    doc_ids.add(json.loads(line)['id'])
                    out.write(line)
    queries = read_queries(os.path.join(src, 'queries.tsv'), queries_limit)
    qids = {q for q, _ in queries}
    kept = {}
    with open(os.path.join(src, 'qrels.txt'), encoding='utf-8') as f:
        for line in f:
            p = line.split()
            if len(p) != 4 or p[0] not in qids:
                continue
            if doc_ids is not None and p[2] not in doc_ids:
                continue
            kept.setdefault(p[0], []).append(line)
    if doc_ids is not None:  # a query with nothing relevant in the slice cannot be scored
        kept = {q: lines for q, lines in kept.items() if any(int(l.split()[3]) > 0 for l in lines)}
    queries = [(q, t) for q, t in queries if q in kept]
    qrels = os.path.join(work, 'qrels.txt')
    with open(qrels, 'w', encoding='utf-8') as out:
        for q, _ in queries:
            out.writelines(kept[q])
    qpath = os.path.join(work, 'queries.tsv')
    with open(qpath, 'w', encoding='utf-8') as out:
        for q, t in queries:
            out.write(f'{q}\t{t}\n')
    return docs, qpath, qrels, queries


def lipsteeth_run(binary, docs, queries, work, depth):
    """Indexes `docs`, runs every query; writes the TREC run. Returns stats."""
    db = os.path.join(work, 'lipsteeth-db')
    shutil.rmtree(db, ignore_errors=True)
    t0 = time.monotonic()
    with open(os.path.join(work, 'lipsteeth-index.log'), 'w') as logf:
        rc = subprocess.run([binary, 'index', '--db', db, docs], stdout=logf, stderr=logf).returncode
    index_s = time.monotonic() - t0
    if rc not in (0, 5):  # 5: done, some lines skipped (reported in the log)
        raise RuntimeError(f'lipsteeth index failed with exit code {rc}; see {logf.name}')
    runfile = os.path.join(work, 'lipsteeth.run')
    errors, empty, synthetic = [], 0, 0
    t0 = time.monotonic()
    with open(runfile, 'w', encoding='utf-8') as out:
        for qid, text in queries:
            p = subprocess.run([binary, 'search', '--db', db, '--json', '--group-by', 'article',
                                '--limit', str(depth), '--color=never', '--', text],
                               capture_output=True, text=True)
            if p.returncode not in (0, 1):
                errors.append({'qid': qid, 'query': text, 'exit': p.returncode,
                               'stderr': p.stderr.strip()[:300]})
                continue
            hits = json.loads(p.stdout).get('hits', []) if p.stdout.strip() else []
            if not hits:
                empty += 1
                continue
            seen, rows = set(), []
            for h in hits:
                doc = str(h['article']['id'])
                if doc not in seen:
                    seen.add(doc)
                    rows.append((doc, float(h['score'])))
            # score.py (like trec_eval) orders by the score column; if the
            # printed scores do not follow lipsteeth's own order, keep its order.
            if any(rows[i][1] < rows[i + 1][1] for i in range(len(rows) - 1)):
                synthetic += 1
                rows = [(d, float(len(rows) - i)) for i, (d, _) in enumerate(rows)]
            for rank, (doc, score) in enumerate(rows, 1):
                out.write(f'{qid} Q0 {doc} {rank} {score:.6f} lipsteeth\n')
    search_s = time.monotonic() - t0
    return runfile, {'index_seconds': round(index_s, 2), 'search_seconds': round(search_s, 2),
                     'query_errors': errors, 'queries_without_hits': empty,
                     'queries_with_reordered_scores': synthetic}


def baseline_run(binary, docs, qpath, work, depth):
    db = os.path.join(work, 'xapian-db')
    shutil.rmtree(db, ignore_errors=True)
    t0 = time.monotonic()
    run([binary, 'index', db, docs], stderr=subprocess.DEVNULL)
    index_s = time.monotonic() - t0
    runfile = os.path.join(work, 'xapian-bm25.run')
    t0 = time.monotonic()
    with open(runfile, 'w') as out:
        run([binary, 'search', db, qpath, '--limit', str(depth)], stdout=out)
    return runfile, {'index_seconds': round(index_s, 2),
                     'search_seconds': round(time.monotonic() - t0, 2)}


def score(score_py, qrels, runfile):
    out = subprocess.run([sys.executable, score_py, qrels, runfile, '--per-query'],
                         capture_output=True, text=True, check=True).stdout
    with open(runfile + '.scores', 'w') as f:
        f.write(out)
    result = {}
    for line in out.splitlines():
        p = line.split('\t')
        if len(p) == 2:  # the summary lines; per-query lines have three columns
            try:
                result[p[0]] = float(p[1])
            except ValueError:
                pass
    return result


def first_number(cell):
    m = re.match(r'\s*([0-9]*\.[0-9]+|[0-9]+)', cell)
    return float(m.group(1)) if m else None


def published_rows(readme):
    """Rows of the README's tables that carry at least one of our measures."""
    aliases = {'map': 'MAP', 'ndcg@10': 'nDCG@10', 'p@10': 'P@10', 'r@100': 'Recall@100',
               'recall@100': 'Recall@100'}
    rows, header = [], None
    if not os.path.exists(readme):
        return rows
    with open(readme, encoding='utf-8') as f:
        lines = f.read().splitlines()
    for line in lines:
        if not line.startswith('|'):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if header is None:
            header = cells
            continue
        if all(re.fullmatch(r':?-+:?', c) for c in cells if c):
            continue
        cols = {aliases[h.lower()]: i for i, h in enumerate(header) if h.lower() in aliases}
        if not cols:
            continue
        values = {m: first_number(cells[i]) for m, i in cols.items() if i < len(cells)}
        if not any(v is not None for v in values.values()):
            continue
        label_cols = [c for i, c in enumerate(cells) if i not in cols.values()
                      and first_number(c) is None][:2]
        rows.append({'label': 'README: ' + ' / '.join(label_cols), 'measures': values})
    return rows


def fmt(v):
    return '–' if v is None else f'{v:.4f}'


def table(name, results, published, note):
    lines = [f'### {name}', '']
    if note:
        lines += [note, '']
    lines += ['| system | ' + ' | '.join(MEASURES) + ' |', '|---' * (len(MEASURES) + 1) + '|']
    for label, res in results:
        lines.append(f'| {label} | ' + ' | '.join(fmt(res.get(m)) if res else 'not run'
                                                  for m in MEASURES) + ' |')
    for row in published:
        lines.append(f"| {row['label']} | " + ' | '.join(fmt(row['measures'].get(m))
                                                        for m in MEASURES) + ' |')
    return '\n'.join(lines) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--eval-dir', default=os.path.join(os.path.dirname(ROOT), 'shared', 'eval'))
    ap.add_argument('--collections', help='comma-separated names (default: all)')
    ap.add_argument('--limit-queries', type=int, default=0)
    ap.add_argument('--docs', type=int, default=0, help='index only the first N documents')
    ap.add_argument('--depth', type=int, default=100)
    ap.add_argument('--build-dir', default=os.path.join(ROOT, 'build-bench'))
    ap.add_argument('--lipsteeth', help='the lipsteeth binary (default: BUILD_DIR/cli/lipsteeth)')
    ap.add_argument('--no-build', action='store_true')
    ap.add_argument('--skip-lipsteeth', action='store_true', help='baseline only')
    ap.add_argument('--skip-baseline', action='store_true', help='lipsteeth only')
    ap.add_argument('--out')
    args = ap.parse_args()

    if not args.no_build:
        build(args.build_dir)
    lipsteeth = args.lipsteeth or os.path.join(args.build_dir, 'cli', 'lipsteeth')
    baseline = os.path.join(args.build_dir, 'bench', 'xapian_baseline')
    score_py = os.path.join(args.eval_dir, 'score.py')
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    out_dir = args.out or os.path.join(HERE, 'out', f'eval-{stamp}')
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'machine.txt'), 'w') as f:
        f.write(machine_info())

    names = sorted(d for d in os.listdir(args.eval_dir)
                   if os.path.isfile(os.path.join(args.eval_dir, d, 'docs.jsonl')))
    if args.collections:
        wanted = args.collections.split(',')
        unknown = [w for w in wanted if w not in names]
        if unknown:
            sys.exit(f'eval.py: unknown collection(s) {unknown}; have {names}')
        names = wanted

    all_results, tables, failed = {}, [], False
    for name in names:
        src = os.path.join(args.eval_dir, name)
        work = os.path.join(out_dir, name)
        os.makedirs(work, exist_ok=True)
        docs, qpath, qrels, queries = prepare_collection(src, work, args.docs, args.limit_queries)
        log(f'{name}: {len(queries)} queries' + (f', first {args.docs} docs' if args.docs else ''))
        entry = {'queries': len(queries), 'docs_slice': args.docs or None}
        results = []
        if not args.skip_lipsteeth:
            try:
                runfile, stats = lipsteeth_run(lipsteeth, docs, queries, work, args.depth)
                entry['lipsteeth'] = {'scores': score(score_py, qrels, runfile), **stats}
                if stats['query_errors']:
                    log(f"{name}: {len(stats['query_errors'])} queries failed in lipsteeth search, "
                        f"e.g. {stats['query_errors'][0]}")
            except (RuntimeError, OSError, subprocess.CalledProcessError, json.JSONDecodeError) as e:
                log(f'{name}: lipsteeth run failed: {e}')
                entry['lipsteeth'] = {'error': str(e)}
                failed = True
            results.append(('lipsteeth (default ranking)', entry['lipsteeth'].get('scores')))
        if not args.skip_baseline:
            runfile, stats = baseline_run(baseline, docs, qpath, work, args.depth)
            entry['xapian_bm25'] = {'scores': score(score_py, qrels, runfile), **stats}
            results.append(('Xapian BM25 defaults (this run)', entry['xapian_bm25']['scores']))
        lip = entry.get('lipsteeth', {}).get('scores')
        base = entry.get('xapian_bm25', {}).get('scores')
        if lip and base:
            entry['ratio_lipsteeth_to_baseline'] = {
                m: round(lip[m] / base[m], 3) for m in MEASURES if base.get(m)}
        published = [] if args.docs or args.limit_queries else \
            published_rows(os.path.join(src, 'README.md'))
        note = ''
        if args.docs or args.limit_queries:
            note = (f'Partial run ({len(queries)} queries'
                    + (f', first {args.docs} docs, judgments restricted to them' if args.docs else '')
                    + '): not comparable with published figures.')
        errs = entry.get('lipsteeth', {}).get('query_errors')
        if errs:
            note = (note + ' ' if note else '') + \
                f'{len(errs)} of {len(queries)} queries failed in `lipsteeth search` (scored as empty).'
        entry['published'] = published
        all_results[name] = entry
        t = table(name, results, published, note)
        if 'ratio_lipsteeth_to_baseline' in entry:
            t += '\nlipsteeth / baseline: ' + ', '.join(
                f'{m} {r:.3f}' for m, r in entry['ratio_lipsteeth_to_baseline'].items()) + '\n'
        tables.append(t)
        print(t, flush=True)

    with open(os.path.join(out_dir, 'results.json'), 'w') as f:
        json.dump(all_results, f, indent=2)
    with open(os.path.join(out_dir, 'tables.md'), 'w') as f:
        f.write('\n'.join(tables))
    log(f'raw results in {out_dir}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

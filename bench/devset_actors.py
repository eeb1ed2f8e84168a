#!/usr/bin/env python3
"""Article-level actor scores of the tagger on the dev set (../shared/devset).

Runs `lipsteeth analyze --json` on every article that gold-actors.json
annotates and compares, per article, the set of actors the tagger found with
the set the annotator listed:

  * a found actor matches a gold actor when one of its surfaces as written
    (or its canonical name) equals, once folded, the gold canonical name or
    one of the gold surface forms (folding: HTML entities decoded, NFKD
    without marks, lower case, possessive 's and a leading "the" dropped, every character but
    letters and digits dropped); matching is one to one, greedy;
  * precision = matched found actors / found actors, recall = matched gold
    actors / gold actors, both summed over the articles (micro average).

Gazetteer actors (`entities`) are always scored; discovered actors
(`discovered`, names no list holds) are scored too with --discovered, and
the table then shows both lines. Misses and false positives are printed by
gold type (person, organization, state, event, weapon) so that the rule to
fix can be seen.

Usage (from the repository root or anywhere):
  bench/devset_actors.py [--lipsteeth build/cli/lipsteeth] [--actors FILE]
                         [--devset ../shared/devset] [--discovered] [--quiet]
                         [--json OUT.json]
Exits 2 when the dev set or the binary is missing.
"""
import argparse
import html
import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def fold(s):
    s = html.unescape(s)
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c)).lower()
    for suffix in ("'s", "\u2019s", " 's", " &apos;s"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
    if s.startswith('the '):
        s = s[4:]
    return ''.join(c for c in s if c.isalnum())


def analyze(binary, actors, path):
    cmd = [binary, 'analyze', '--json', path]
    if actors:
        cmd[2:2] = ['--actors', actors]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 5):
        sys.exit(f'devset_actors: {" ".join(cmd)} exited {out.returncode}: {out.stderr.strip()}')
    record = json.loads(out.stdout)['files'][0]
    if 'entities' not in record:
        sys.exit(f'devset_actors: no gazetteer was loaded: {out.stderr.strip()}')
    return record


def found_actors(record, with_discovered):
    """actor key -> (display name, kind, set of folded surfaces)."""
    found = {}
    for e in record.get('entities') or []:
        key = 'g:' + e['id']
        name, kind, forms = found.setdefault(key, (e['name'], 'gazetteer', set()))
        forms.add(fold(e['surface']))
        forms.add(fold(e['name']))
    if with_discovered:
        for d in record.get('discovered') or []:
            key = 'd:' + d['name']
            name, kind, forms = found.setdefault(key, (d['name'], 'discovered', set()))
            forms.add(fold(d['name']))
            for s in d.get('surfaces', []):
                forms.add(fold(s))
    return found


def score_article(gold, found):
    gold_forms = []
    for g in gold:
        forms = {fold(g['canonical'])} | {fold(s) for s in g['surface_forms']}
        forms.discard('')
        gold_forms.append(forms)
    matched_gold, matched_found = set(), set()
    # Greedy, one to one: pairs with the most shared forms first.
    pairs = []
    for gi, forms in enumerate(gold_forms):
        for key, (_, _, fforms) in found.items():
            shared = len(forms & fforms)
            if shared:
                pairs.append((-shared, gi, key))
    for _, gi, key in sorted(pairs):
        if gi in matched_gold or key in matched_found:
            continue
        matched_gold.add(gi)
        matched_found.add(key)
    return matched_gold, matched_found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--lipsteeth', default=os.path.join(ROOT, 'build', 'cli', 'lipsteeth'))
    ap.add_argument('--actors', default='', help='gazetteer (default: the binary\'s own)')
    ap.add_argument('--devset', default=os.path.join(ROOT, '..', 'shared', 'devset'))
    ap.add_argument('--discovered', action='store_true', help='score discovered actors as well')
    ap.add_argument('--quiet', action='store_true', help='only the totals')
    ap.add_argument('--json', default='', help='write per-article figures to this file')
    args = ap.parse_args()

    gold_path = os.path.join(args.devset, 'gold-actors.json')
    if not os.path.exists(gold_path):
        print(f'devset_actors: no {gold_path}', file=sys.stderr)
        return 2
    if not os.access(args.lipsteeth, os.X_OK):
        print(f'devset_actors: no binary {args.lipsteeth} (build first)', file=sys.stderr)
        return 2
    gold_all = json.load(open(gold_path, encoding='utf-8'))['articles']

    modes = [False, True] if args.discovered else [False]
    totals = {}
    report = []
    misses_by_type = Counter()
    for with_d in modes:
        tp_g = tp_f = n_g = n_f = 0
        for art in gold_all:
            record = analyze(args.lipsteeth, args.actors, os.path.join(args.devset, 'articles', art['file']))
            gold = art['actors']
            found = found_actors(record, with_d)
            mg, mf = score_article(gold, found)
            tp_g += len(mg)
            tp_f += len(mf)
            n_g += len(gold)
            n_f += len(found)
            if with_d != modes[-1]:
                continue
            missed = [gold[i] for i in range(len(gold)) if i not in mg]
            spurious = [found[k] for k in found if k not in mf]
            for g in missed:
                misses_by_type[g['type']] += 1
            report.append({'file': art['file'], 'gold': len(gold), 'found': len(found),
                           'matched_gold': len(mg), 'matched_found': len(mf),
                           'missed': [(g['type'], g['canonical'], g['surface_forms']) for g in missed],
                           'false_positives': [(k, n) for n, k, _ in spurious]})
            if not args.quiet:
                print(f'== {art["file"][:60]}: gold {len(gold)}, found {len(found)}, '
                      f'recall {len(mg)}/{len(gold)}, precision {len(mf)}/{len(found)}')
                for t, c, forms in report[-1]['missed']:
                    print(f'   miss  {t:12} {c}  {forms[:4]}')
                for kind, n in report[-1]['false_positives']:
                    print(f'   false {kind:12} {n}')
        label = 'gazetteer + discovered' if with_d else 'gazetteer'
        totals[label] = {'recall': tp_g / n_g if n_g else 0.0, 'precision': tp_f / n_f if n_f else 0.0,
                         'gold': n_g, 'found': n_f}
    print(f'misses by gold type: {dict(misses_by_type)}')
    print(f'{"actors":24} {"recall":>7} {"precision":>9} {"gold":>5} {"found":>6}')
    for label, t in totals.items():
        print(f'{label:24} {t["recall"]:7.3f} {t["precision"]:9.3f} {t["gold"]:5d} {t["found"]:6d}')
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as out:
            json.dump({'totals': totals, 'articles': report}, out, indent=1, ensure_ascii=False)
    return 0


if __name__ == '__main__':
    sys.exit(main())

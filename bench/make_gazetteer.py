#!/usr/bin/env python3
"""Writes a gazetteer FACTOR times larger than the given one, for the tagger's
scaling benchmark (bench/analysis.sh).

usage: make_gazetteer.py [--factor 10] data/actors.tsv > actors-10x.tsv

The output holds the original actors unchanged plus FACTOR-1 synthetic copies
of each (format of data/actors.tsv: id, name, type, aliases '|', flags). In
copy k an actor's id gets the suffix "-synK", and every word of its name,
aliases and short forms is replaced by a made-up word derived from (word, k),
with the original's capitalisation (DPRK -> QAVU, Kim -> Tovar). In odd copies
the first word of a multi-word name is kept ("Kim Xoran-tuk"), so that, as in
a real larger gazetteer, many actors share a first token with real ones and
the tagger's trie has more branches where the text does go. capital= flags
point at the same copy of the state. Deterministic: the same input gives the
same output.
"""
import argparse
import hashlib
import re
import sys

CONS = 'bdfghjklmnprstvz'
VOWELS = 'aeiou'


def synthetic(word, k):
    h = hashlib.sha1(f'{k}:{word.lower()}'.encode()).digest()
    n = 2 + h[0] % 2
    s = ''.join(CONS[h[1 + 2 * i] % len(CONS)] + VOWELS[h[2 + 2 * i] % len(VOWELS)] for i in range(n))
    s += CONS[h[9] % len(CONS)]
    if word.isupper() and len(word) > 1:
        return s.upper()
    if word[:1].isupper():
        return s.capitalize()
    return s


def transform(text, k, keep_first):
    words = list(re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text))
    out, last = [], 0
    for i, m in enumerate(words):
        out.append(text[last:m.start()])
        out.append(m.group(0) if (keep_first and i == 0 and len(words) > 1) else synthetic(m.group(0), k))
        last = m.end()
    out.append(text[last:])
    return ''.join(out)


def copy_line(cols, k):
    cols = list(cols) + [''] * (5 - len(cols))
    actor_id, name, typ, aliases, flags = cols[:5]
    keep = k % 2 == 1
    new = [f'{actor_id}-syn{k}', transform(name, k, keep), typ,
           '|'.join(transform(a, k, keep) for a in aliases.split('|') if a) if aliases else '']
    fl = []
    for flag in flags.split():
        key, _, value = flag.partition('=')
        if key == 'capital':
            fl.append(f'capital={value}-syn{k}')
        elif key == 'short':
            fl.append('short=' + '|'.join(transform(v.replace('_', ' '), k, keep).replace(' ', '_')
                                          for v in value.split('|')))
        else:
            fl.append(flag)
    new.append(' '.join(fl))
    while new and new[-1] == '':
        new.pop()
    return '\t'.join(new)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--factor', type=int, default=10)
    ap.add_argument('gazetteer')
    a = ap.parse_args()
    with open(a.gazetteer, encoding='utf-8') as f:
        lines = f.read().splitlines()
    actors = [l for l in lines if l.strip() and not l.lstrip().startswith('#')]
    out = sys.stdout
    out.write('\n'.join(lines) + '\n')
    out.write(f'# {a.factor - 1} synthetic copies of the {len(actors)} actors above (bench/make_gazetteer.py)\n')
    for k in range(1, a.factor):
        for l in actors:
            out.write(copy_line([c.strip() for c in l.split('\t')], k) + '\n')


if __name__ == '__main__':
    main()

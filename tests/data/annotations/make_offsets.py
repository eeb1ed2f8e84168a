#!/usr/bin/env python3
"""Turns the hand-made lists (<article>.list: 'surface | actor id', one mention per
line, in text order) into mentions.tsv (file, byte start, end, surface, actor id).

Each surface is searched for after the previous one, as a whole word; a straight
apostrophe in a list also matches a typographic one in the text. The script only
converts positions: which mentions exist and what they name is decided in the lists.
Run from anywhere: python3 tests/data/annotations/make_offsets.py
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))


def main():
    rows = []
    for name in sorted(os.listdir(HERE)):
        if not name.endswith('.list'):
            continue
        article = name[:-5] + '.txt'
        data = open(os.path.join(ROOT, 'corpus', article), 'rb').read()
        text = data.decode('utf-8')
        cursor = 0
        for n, line in enumerate(open(os.path.join(HERE, name), encoding='utf-8'), 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            surface, actor = [p.strip() for p in line.split('|')]
            pattern = ''.join("['\u2019]" if c == "'" else re.escape(c) for c in surface)
            m = re.compile(r'(?<![\w])' + pattern + r'(?![\w])').search(text, cursor)
            if not m:
                sys.exit(f'{name}:{n}: "{surface}" not found after character {cursor}')
            start = len(text[:m.start()].encode('utf-8'))
            end = start + len(m.group(0).encode('utf-8'))
            rows.append((article, start, end, m.group(0), actor))
            cursor = m.end()
    with open(os.path.join(HERE, 'mentions.tsv'), 'w', encoding='utf-8') as out:
        out.write('# file\tstart\tend\tsurface\tactor (byte offsets into corpus/<file>; made by make_offsets.py from the .list files)\n')
        for r in rows:
            out.write('\t'.join(str(x) for x in r) + '\n')
    print(f'{len(rows)} mentions')


if __name__ == '__main__':
    main()

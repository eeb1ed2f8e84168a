#!/usr/bin/env python3
"""Loads a folder of articles into an SQLite FTS5 table (the index and query benchmarks' peer).

usage: fts5_load.py DB DIR            (a new table of every file)
       fts5_load.py --update DB DIR   (only files whose size or mtime changed, new or gone)
Table: docs(path UNINDEXED, title, body, stamp UNINDEXED), tokenize='porter unicode61'
(FTS5's English stemming setup); title = first non-empty line; stamp = size:mtime_ns,
what --update compares. Files that are not valid UTF-8 are read with replacement
characters. Prints files and seconds.
"""
import os
import sqlite3
import sys
import time


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith('.'):
                continue
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            yield os.path.relpath(path, root), path, f'{st.st_size}:{st.st_mtime_ns}'


def row(rel, path, stamp):
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8', errors='replace')
    title = next((l.strip() for l in text.splitlines() if l.strip()), '')
    return (rel, title, text, stamp)


def main():
    update = len(sys.argv) > 1 and sys.argv[1] == '--update'
    db, root = sys.argv[-2], sys.argv[-1]
    if not update and os.path.exists(db):
        os.remove(db)
    t0 = time.monotonic()
    con = sqlite3.connect(db)
    n = 0
    if not update:
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, stamp UNINDEXED, "
                    "tokenize='porter unicode61')")

        def rows():
            nonlocal n
            for rel, path, stamp in walk(root):
                n += 1
                yield row(rel, path, stamp)

        con.executemany('INSERT INTO docs(path, title, body, stamp) VALUES (?, ?, ?, ?)', rows())
    else:
        known = {p: (rowid, s) for rowid, p, s in con.execute('SELECT rowid, path, stamp FROM docs')}
        seen = set()
        for rel, path, stamp in walk(root):
            seen.add(rel)
            old = known.get(rel)
            if old and old[1] == stamp:
                continue
            if old:
                con.execute('DELETE FROM docs WHERE rowid = ?', (old[0],))
            con.execute('INSERT INTO docs(path, title, body, stamp) VALUES (?, ?, ?, ?)', row(rel, path, stamp))
            n += 1
        for rel, (rowid, _) in known.items():
            if rel not in seen:
                con.execute('DELETE FROM docs WHERE rowid = ?', (rowid,))
                n += 1
    con.commit()
    con.close()
    print(f'{n} files\t{time.monotonic() - t0:.2f} s')


if __name__ == '__main__':
    main()

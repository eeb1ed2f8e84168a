#!/usr/bin/env python3
"""Loads a folder of articles into an SQLite FTS5 table (the query benchmark's peer).

usage: fts5_load.py DB DIR
Table: docs(path UNINDEXED, title, body), tokenize='porter unicode61' (FTS5's
English stemming setup); title = first non-empty line. Files that are not
valid UTF-8 are read with replacement characters. Prints files and seconds.
"""
import os
import sqlite3
import sys
import time


def main():
    db, root = sys.argv[1], sys.argv[2]
    if os.path.exists(db):
        os.remove(db)
    t0 = time.monotonic()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, "
                "tokenize='porter unicode61')")
    n = 0

    def rows():
        nonlocal n
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.startswith('.'):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, 'rb') as f:
                    text = f.read().decode('utf-8', errors='replace')
                title = next((l.strip() for l in text.splitlines() if l.strip()), '')
                n += 1
                yield (os.path.relpath(path, root), title, text)

    con.executemany('INSERT INTO docs(path, title, body) VALUES (?, ?, ?)', rows())
    con.commit()
    con.close()
    print(f'{n} files\t{time.monotonic() - t0:.2f} s')


if __name__ == '__main__':
    main()

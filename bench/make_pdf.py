#!/usr/bin/env python3
"""Writes a PDF of plain text: Helvetica 11 pt on A4, lines wrapped at 90
characters, paragraphs (blank-line separated) a line apart, content streams
Flate-compressed, an Info dictionary with Title, Author and CreationDate.

  make_pdf.py [--title T] [--author A] [--date D:YYYYMMDD...] [--image-only]
              [--running-head TEXT] [--lines-per-page N] IN.txt OUT.pdf

Characters outside Windows-1252 are written as '?'. --image-only writes a
page that holds one grey image and no text (what a scanner makes). Used by
bench/pdf.sh and tests/data/containers/make.sh."""
import argparse
import textwrap
import zlib


def pdf_string(s):
    b = s.encode("cp1252", "replace")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pages_of(text, lines_per_page=60):
    lines = []
    for para in text.replace("\r\n", "\n").split("\n\n"):
        para = " ".join(para.split())
        if not para:
            continue
        lines.extend(textwrap.wrap(para, 90) or [""])
        lines.append("")
    return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]


def content(lines, head="", number=0):
    out = []
    if head:  # a running head and a page number, as report layouts have
        out.append(b"BT /F1 9 Tf 56 815 Td " + pdf_string(head) + b" Tj ET")
        out.append(b"BT /F1 9 Tf 280 30 Td " + pdf_string("Page %d" % number) + b" Tj ET")
    out.append(b"BT /F1 11 Tf 14 TL 56 790 Td")
    for line in lines:
        out.append(pdf_string(line) + b" Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def write(path, pages, info, image_only=False, head=""):
    objs = []  # bytes of objects 1..n

    def add(body):
        objs.append(body)
        return len(objs)

    catalog = add(None)
    pages_id = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for number, lines in enumerate(pages, 1):
        if image_only:
            w, h = 64, 64
            pixels = zlib.compress(bytes((x ^ y) & 0xFF for y in range(h) for x in range(w)))
            img = add(b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                      b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels +
                      b"\nendstream")
            data = zlib.compress(b"q 480 0 0 480 56 300 cm /Im1 Do Q")
            res = b"<< /XObject << /Im1 %d 0 R >> >>" % img
        else:
            data = zlib.compress(content(lines, head, number))
            res = b"<< /Font << /F1 %d 0 R >> >>" % font
        stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                        % (pages_id, res, stream)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info_id = add(b"<< " + b" ".join(b"/" + k.encode() + b" " + pdf_string(v) for k, v in info.items() if v) +
                  b" /Producer (lipsteeth make_pdf.py) >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, info_id, xref)
    with open(path, "wb") as f:
        f.write(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", default="")
    ap.add_argument("--author", default="")
    ap.add_argument("--date", default="")
    ap.add_argument("--image-only", action="store_true")
    ap.add_argument("--running-head", default="", help="a line atop every page, and 'Page N' at its foot")
    ap.add_argument("--lines-per-page", type=int, default=60)
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8", errors="replace") as f:
        text = f.read()
    write(a.output, pages_of(text, a.lines_per_page), {"Title": a.title, "Author": a.author, "CreationDate": a.date},
          a.image_only, a.running_head)


if __name__ == "__main__":
    main()

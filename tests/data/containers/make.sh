#!/usr/bin/env bash
# Remakes the PDF fixtures of tests/analyzers/container_test.cpp from
# report.txt (text written for these tests): bench/make_pdf.py writes the
# PDFs, qpdf (Debian's qpdf) rewrites them as a real tool does and encrypts
# one. The DOCX, ODT, EPUB and .gz fixtures are built by the test itself.
set -euo pipefail
cd "$(dirname "$0")"
mk="../../../bench/make_pdf.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$mk" --title "Border Trade Along the Yalu" --author "Lee Min-jun; Zhang Wei" \
  --date "D:20170415093000+08'00'" report.txt "$tmp/report.pdf"
# Object streams and a cross-reference stream, as current writers make them.
qpdf --object-streams=generate "$tmp/report.pdf" report.pdf
# A user password: nothing can be read without it.
qpdf --encrypt secret owner 256 -- report.pdf encrypted.pdf
# Pages of 5 lines, each with a running head and "Page N" at its foot.
python3 "$mk" --title "Border Trade Along the Yalu" --running-head "Liaoning Trade Monitor, No. 14" \
  --lines-per-page 5 report.txt "$tmp/paged.pdf"
qpdf "$tmp/paged.pdf" paged.pdf
# A scanned page: one image, no text.
python3 "$mk" --title "Scan 0001" --image-only report.txt "$tmp/scanned.pdf"
qpdf "$tmp/scanned.pdf" scanned.pdf

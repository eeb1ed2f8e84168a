#!/usr/bin/env bash
# PDF text extraction throughput (MB/s of PDF bytes), in the same run:
# `lipsteeth analyze --passages-only` (poppler-cpp text with paragraphs, then
# decoding, passages and tokens; no actor tagging) against `pdftotext`
# (poppler-utils, extraction only), one process per file for both, over the
# same PDFs. The PDFs are written by bench/make_pdf.py from the bundled
# corpus's texts, each repeated REPEAT_TEXT times (default 40) so that a file
# has tens of pages. `analyze` on the same texts as .txt files is the third
# row: what the analysis costs without the PDF.
#
# usage: bench/pdf.sh        (ROUNDS=N, default 3: the best round is kept)
# Results: bench/out/pdf-<stamp>/ (machine.txt, pdf.tsv, summary.md).
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/deps.sh" poppler-utils time
[ -x "$LIPSTEETH" ] || bench_build lipsteeth
out=$(new_out pdf)
rounds="${ROUNDS:-3}"
repeat="${REPEAT_TEXT:-40}"
work="$out/files"
mkdir -p "$work/pdf" "$work/txt"
for f in "$ROOT"/corpus/*.txt; do
  name="$(basename "$f" .txt)"
  for _ in $(seq "$repeat"); do cat "$f"; printf '\n\n'; done >"$work/txt/$name.txt"
  python3 "$BENCH_DIR/make_pdf.py" --title "$name" "$work/txt/$name.txt" "$work/pdf/$name.pdf"
done
pdf_bytes=$(corpus_bytes "$work/pdf")
pages=$(for p in "$work"/pdf/*.pdf; do pdfinfo "$p" | awk '/^Pages:/ {print $2}'; done | awk '{s+=$1} END {print s}')
log "pdf: $(ls "$work/pdf" | wc -l) PDFs, $pages pages, $pdf_bytes bytes"

# Best wall time of $rounds runs of "$@" over every file of folder $1.
best() {
  local dir="$1"; shift
  local best_wall=""
  for _ in $(seq "$rounds"); do
    local start end wall
    start=$(date +%s.%N)
    for f in "$dir"/*; do "$@" "$f" >/dev/null; done
    end=$(date +%s.%N)
    wall=$(awk "BEGIN{print $end - $start}")
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; fi
  done
  echo "$best_wall"
}
analyze_pdf() { "$LIPSTEETH" analyze --passages-only "$1"; }
pdftotext_pdf() { pdftotext "$1" -; }
analyze_txt() { "$LIPSTEETH" analyze --passages-only "$1"; }

t_lip=$(best "$work/pdf" analyze_pdf)
t_ptt=$(best "$work/pdf" pdftotext_pdf)
t_txt=$(best "$work/txt" analyze_txt)
{
  printf 'tool\tseconds\tpdf_bytes\tmb_per_s\n'
  printf 'lipsteeth analyze (PDF)\t%s\t%s\t%s\n' "$t_lip" "$pdf_bytes" "$(awk "BEGIN{printf \"%.2f\", $pdf_bytes/1e6/$t_lip}")"
  printf 'pdftotext\t%s\t%s\t%s\n' "$t_ptt" "$pdf_bytes" "$(awk "BEGIN{printf \"%.2f\", $pdf_bytes/1e6/$t_ptt}")"
  printf 'lipsteeth analyze (same texts, .txt)\t%s\t%s\t%s\n' "$t_txt" "$pdf_bytes" "$(awk "BEGIN{printf \"%.2f\", $pdf_bytes/1e6/$t_txt}")"
} >"$out/pdf.tsv"
{
  echo "PDFs: $(ls "$work/pdf" | wc -l) files, $pages pages, $pdf_bytes bytes; best of $rounds rounds; $(machine_line)"
  echo
  echo "| tool | seconds | MB/s of PDF |"
  echo "|---|---:|---:|"
  tail -n +2 "$out/pdf.tsv" | awk -F'\t' '{printf "| %s | %.3f | %s |\n", $1, $2, $4}'
} >"$out/summary.md"
rm -rf "$work"
cat "$out/summary.md"

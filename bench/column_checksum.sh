#!/usr/bin/env bash
# What the passage column's checksum costs each search: for each corpus size
# (MB), indexes the generated corpus once (cached beside the corpora) and
# times PassageColumn::open, the XXH3 pass over the column included.
#
# usage: bench/column_checksum.sh MB...   (env: ROUNDS, default 51; BUILD_DIR,
#        STATIC_XAPIAN as in common.sh)
# Results: bench/out/column-checksum-<stamp>/ (summary.md, machine.txt).
source "$(dirname "$0")/common.sh"
bench_deps
bench_build lipsteeth column_open_bench
out=$(new_out column-checksum)
{
  echo "| corpus MB | passages | column bytes | open ms (median) | XXH3 ms (median) |"
  echo "|---|---|---|---|---|"
  for mb in "${@:-20}"; do
    corpus=$(corpus_dir "$mb")
    db="$(index_dir "$mb")-column"
    "$LIPSTEETH" index --quiet --db "$db" "$corpus" || [ $? -eq 5 ]
    line=$("$BUILD_DIR/bench/column_open_bench" "$db" "${ROUNDS:-51}")
    echo "$line" | awk -v mb="$mb" -F'[ ,]+' '{print "| " mb " | " $2 " | " $5 " | " $8 " | " $13 " |"}'
  done
} | tee "$out/summary.md"

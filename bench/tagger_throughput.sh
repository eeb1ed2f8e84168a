#!/usr/bin/env bash
# Actor-tagging throughput of one `lipsteeth` binary, one core: the bundled
# corpus copied COPIES times (default 300, about 19 MB) is analysed twice with
# `lipsteeth analyze` (one thread), once with --passages-only (decode, format,
# passages, tokens) and once in full (plus tagging, and for binaries that have
# it, discovery); tagging MB/s = bytes / (full - passages-only), best of REPEAT
# (default 3) CPU times each.
#
# usage: bench/tagger_throughput.sh [BINARY] [GAZETTEER]
#        (defaults: build/cli/lipsteeth, data/actors.tsv)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$ROOT/build/cli/lipsteeth}"
gaz="${2:-$ROOT/data/actors.tsv}"
copies="${COPIES:-300}" repeat="${REPEAT:-3}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$copies"); do
  for f in "$ROOT"/corpus/*.txt; do cp "$f" "$dir/$i-$(basename "$f")"; done
done
bytes=$(cat "$dir"/*.txt | wc -c)
best() {
  local b=""
  for _ in $(seq 1 "$repeat"); do
    t=$( { /usr/bin/time -f '%U %S' "$bin" analyze --actors "$gaz" "$@" "$dir"/*.txt >/dev/null; } 2>&1 | tail -1 | awk '{print $1+$2}')
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
  done
  echo "$b"
}
base=$(best --passages-only)
full=$(best)
awk -v bytes="$bytes" -v base="$base" -v full="$full" -v gaz="$gaz" 'BEGIN {
  n = 0; while ((getline line < gaz) > 0) if (line !~ /^#/ && line ~ /\t/) n++
  printf "bytes %d  actors %d  passages-only %.2f s  full %.2f s  tagging %.2f s  %.1f MB/s\n",
         bytes, n, base, full, full - base, bytes / 1e6 / (full - base)
}'

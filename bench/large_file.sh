#!/usr/bin/env bash
# One very large file: peak memory and time of indexing a folder that holds a
# single text file of SIZE MB (a generated corpus's articles one after
# another, the way a dump or a concatenated archive arrives), for lipsteeth,
# Xapian's omindex and SQLite FTS5 (bench/fts5_load.py) in the same run.
# The last line of the file names a word nothing else does; each system's
# index is searched for it (lipsteeth: `search --json`, omindex: quest,
# FTS5: MATCH), so a system that drops or truncates the file shows it.
#
# usage: bench/large_file.sh [SIZE_MB...]     (default: 24 200)
# Env: SYSTEMS="lipsteeth omindex fts5" to run a subset; NO_BUILD=1 to use
# $BUILD_DIR/cli/lipsteeth as it is; LIPSTEETH_OLD=BINARY adds "lipsteeth-old",
# another lipsteeth binary (e.g. one built from an earlier commit) for A/B.
# Results: bench/out/large-file-<stamp>/ (machine.txt, results.tsv, logs).
source "$(dirname "$0")/common.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(24 200)
read -r -a systems <<<"${SYSTEMS:-lipsteeth omindex fts5}"
[ -z "${LIPSTEETH_OLD:-}" ] || systems+=(lipsteeth-old)
bench_deps
if [[ " ${systems[*]} " == *" lipsteeth "* && "${NO_BUILD:-0}" != 1 ]]; then bench_build lipsteeth; fi
out=$(new_out large-file)
printf 'size_mb\tsystem\tfile_bytes\twall_s\tcpu_s\tmax_rss_kb\trss_per_file_byte\tindex_bytes\tlast_word_found\texit\n' \
  >"$out/results.tsv"
readonly marker=zanzibarite

for mb in "${sizes[@]}"; do
  w="$CORPORA/large-file-${mb}mb"
  if [ ! -f "$w/in/all.txt" ]; then
    log "making one ${mb} MB file in $w/in"
    rm -rf "$w" && mkdir -p "$w/in"
    python3 "$MAKE_CORPUS" --out "$w/parts" --mb "$mb" --seed "$SEED" --jobs 2 >&2
    find "$w/parts" -name '*.txt' -print0 | sort -z | xargs -0 cat >"$w/in/all.txt"
    printf '\nThe last line of the file names the %s, and nothing else does.\n' "$marker" >>"$w/in/all.txt"
    rm -rf "$w/parts"
  fi
  bytes=$(stat -c %s "$w/in/all.txt")
  for sys in "${systems[@]}"; do
    db="$w/$sys.db"; rm -rf "$db"
    case $sys in
      lipsteeth) cmd=("$LIPSTEETH" index --db "$db" --quiet "$w/in") ;;
      lipsteeth-old) cmd=("$LIPSTEETH_OLD" index --db "$db" --quiet "$w/in") ;;
      omindex) cmd=(omindex --db "$db" --url / "$w/in") ;;
      fts5) cmd=(python3 "$BENCH_DIR/fts5_load.py" "$db" "$w/in") ;;
      *) echo "large_file.sh: unknown system $sys" >&2; exit 2 ;;
    esac
    tv="$out/$mb-$sys.time"; rc=0
    sync
    /usr/bin/time -v -o "$tv" "${cmd[@]}" >"$out/$mb-$sys.log" 2>&1 || rc=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tv")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$tv")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
    size=$(du -sb "$db" 2>/dev/null | cut -f1)
    case $sys in
      lipsteeth|lipsteeth-old) found=$("$LIPSTEETH" search --db "$db" --json "$marker" 2>/dev/null |
                           python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo 0) ;;
      omindex) found=$(quest -d "$db" "$marker" 2>/dev/null | awk '/ matches/ {print $2; exit}') ;;
      fts5) found=$(sqlite3 "$db" "SELECT count(*) FROM docs WHERE docs MATCH '$marker'" 2>/dev/null || echo 0) ;;
    esac
    ratio=$(awk -v r="$rss" -v b="$bytes" 'BEGIN {printf "%.2f", r * 1024 / b}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mb" "$sys" "$bytes" "$wall" "$cpu" "$rss" "$ratio" \
      "${size:-0}" "${found:-0}" "$rc" >>"$out/results.tsv"
    log "  $mb MB $sys: ${wall}s, ${cpu} CPU s, peak RSS ${rss} kB (${ratio}x the file), found $found, exit $rc"
  done
done
column -t -s $'\t' "$out/results.tsv"
echo "results: $out"

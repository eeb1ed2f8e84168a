#!/usr/bin/env bash
# Repeated searches, to find what happens rarely: a crash, a hang, an exit
# code that changes from run to run. The 20 bench queries under four option
# sets (the facets are counted on a second thread from 5,000 postings on, so
# most of these runs use two threads), ROUNDS times each (default 50), over
# the index of the 200 MB corpus (or SIZE_MB). Any run that ends by a signal
# or takes more than 10 s, or whose exit code differs from the query's first
# run, is listed with its command; the script exits 1 if there was one.
# This is how a race between the two threads was found (about one crash in
# 300 runs of "refugees border China"); it takes minutes, so it lives here,
# not in ctest.
#
# usage: bench/stress.sh              Env: ROUNDS, SIZE_MB, BUILD_DIR
source "$(dirname "$0")/common.sh"
rounds="${ROUNDS:-50}"
mb="${SIZE_MB:-200}"

bench_build lipsteeth
corpus=$(corpus_dir "$mb")
idx=$(index_dir "$mb")
mkdir -p "$idx"
rc=0; "$LIPSTEETH" index --db "$idx/lipsteeth.db" --quiet "$corpus" || rc=$?
if [ "$rc" = 3 ]; then "$LIPSTEETH" index --db "$idx/lipsteeth.db" --quiet --rebuild "$corpus" || true; fi

sets=("--no-facets" "" "--year 2000..2016 --actor North_Korea" "--group-by article --explain")
bad=0; runs=0
declare -A first
for ((r = 1; r <= rounds; r++)); do
  while IFS=$'\t' read -r kind q; do
    [[ -z "$kind" || "$kind" == \#* ]] && continue
    for s in "${sets[@]}"; do
      read -ra args <<<"${s//North_Korea/North@Korea}"
      args=("${args[@]//@/ }")
      code=0
      timeout 10 "$LIPSTEETH" search --db "$idx/lipsteeth.db" --json "${args[@]}" -- "$q" >/dev/null 2>&1 || code=$?
      runs=$((runs + 1))
      key="$s|$q"
      [ -n "${first[$key]+x}" ] || first[$key]=$code
      if [ "$code" -ge 124 ] || [ "$code" != "${first[$key]}" ]; then
        bad=$((bad + 1))
        echo "round $r: exit $code (first run: ${first[$key]}): lipsteeth search --json $s -- \"$q\""
      fi
    done
  done <"$BENCH_DIR/queries.tsv"
  [ $((r % 10)) = 0 ] && log "stress: $r of $rounds rounds, $runs runs, $bad bad"
done
echo "$runs runs over the $mb MB index, $bad ended by a signal, a timeout or another exit code"
[ "$bad" = 0 ]

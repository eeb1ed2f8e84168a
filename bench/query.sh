#!/usr/bin/env bash
# Query latency benchmark: median and 95th percentile of the 20 queries of
# bench/queries.tsv (whole process, warm cache, top 10), lipsteeth
# with and without facets and filters (and, as lipsteeth-shared, a build
# linking the shared libxapian) vs quest over an omindex database,
# recollq, SQLite FTS5 (bm25() + snippet()) and `rg -i` over the raw files.
#
# usage: bench/query.sh [SIZE_MB...]     (default: 20; e.g. 20 200 1000)
# Env: RUNS (default 10), WARMUP (default 2), SYSTEMS (comma list, see
# query_bench.py), REBUILD=1 to rebuild the peers' cached indexes,
# SEQUENTIAL=1 to time each system alone with hyperfine (by default the
# systems take turns, round by round, on each query: see query_bench.py).
# Indexes are cached in bench/corpora/indexes-<N>mb/ (git-ignored; bench/index.sh
# leaves its databases there) and updated incrementally on each run; FTS5's
# table is loaded once. Results: bench/out/query-<stamp>/.
source "$(dirname "$0")/common.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(20)
systems="${SYSTEMS:-lipsteeth,lipsteeth+facets,lipsteeth+filters,lipsteeth-shared,quest,recollq,fts5,rg}"

bench_deps
if [[ "$systems" == *lipsteeth* ]]; then bench_build lipsteeth; fi
# lipsteeth-shared: the same code linking Debian's shared libxapian and
# libstdc++, in BUILD_DIR-shared: what the static link saves at start-up.
SHARED_BUILD_DIR="${BUILD_DIR}-shared"
if [[ "$systems" == *lipsteeth-shared* ]]; then
  cmake -S "$ROOT" -B "$SHARED_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIPSTEETH_BUILD_TESTS=OFF \
    -DLIPSTEETH_STATIC_XAPIAN=OFF >/dev/null
  cmake --build "$SHARED_BUILD_DIR" -j2 --target lipsteeth >/dev/null
fi
out=$(new_out query)
: >"$out/summary.md"
seqflag=(); how="the systems taking turns on each query"
if [ "${SEQUENTIAL:-0}" = 1 ]; then seqflag=(--sequential); how="hyperfine -N, one system after another"; fi
echo "Machine: $(machine_line). Whole process per query ($how), warm cache, top 10; ${RUNS:-10} runs per query after ${WARMUP:-2} warm-up runs." >>"$out/summary.md"

for mb in "${sizes[@]}"; do
  corpus=$(corpus_dir "$mb")
  idx=$(index_dir "$mb")
  mkdir -p "$idx"
  [ "${REBUILD:-0}" = 1 ] && rm -rf "$idx"/{lipsteeth.db,omindex.db,recoll,fts5.db} && mkdir -p "$idx"
  # Indexes left by index.sh (or an earlier run) are brought up to date: each
  # system's own incremental run, quick when nothing changed.
  if [[ "$systems" == *lipsteeth* ]]; then
    log "query: lipsteeth index (${mb} MB)"
    rc=0; "$LIPSTEETH" index --db "$idx/lipsteeth.db" --quiet "$corpus" || rc=$?
    if [ "$rc" = 3 ]; then "$LIPSTEETH" index --db "$idx/lipsteeth.db" --quiet --rebuild "$corpus" || true; fi
  fi
  if [[ "$systems" == *quest* ]]; then
    log "query: omindex (${mb} MB)"; omindex --db "$idx/omindex.db" --url / "$corpus" >/dev/null
  fi
  if [[ "$systems" == *recollq* ]]; then
    log "query: recollindex (${mb} MB)"
    [ -f "$idx/recoll/recoll.conf" ] || recoll_conf "$idx/recoll" "$corpus"
    recollindex -c "$idx/recoll" >/dev/null 2>&1
  fi
  if [[ "$systems" == *fts5* && ! -f "$idx/fts5.db" ]]; then
    log "query: FTS5 load (${mb} MB)"; python3 "$BENCH_DIR/fts5_load.py" "$idx/fts5.db" "$corpus" >&2
  fi
  # Warm the page cache: the raw files (for rg) and every index.
  find "$corpus" "$idx" -type f -exec cat {} + >/dev/null
  {
    echo; echo "### ${mb} MB corpus ($(find "$corpus" -type f ! -name '.*' | wc -l) files, $(( $(corpus_bytes "$corpus") / 1000000 )) MB)"; echo
    python3 "$BENCH_DIR/query_bench.py" --out "$out" --label "${mb}mb" --corpus "$corpus" \
      --queries "$BENCH_DIR/queries.tsv" --systems "$systems" --runs "${RUNS:-10}" --warmup "${WARMUP:-2}" \
      --lipsteeth "$LIPSTEETH" --lipsteeth-db "$idx/lipsteeth.db" \
      --lipsteeth-shared "$SHARED_BUILD_DIR/cli/lipsteeth" --omindex-db "$idx/omindex.db" \
      --recoll-conf "$idx/recoll" --fts5-db "$idx/fts5.db" "${seqflag[@]}"
  } | tee -a "$out/summary.md"
done
log "results in $out"

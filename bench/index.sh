#!/usr/bin/env bash
# Index build benchmark: full build time (MB/s), CPU time, peak RSS, index size,
# and the time of an incremental run after 1% of the files changed, for
# lipsteeth vs Xapian's omindex vs Recoll's recollindex vs SQLite FTS5
# (bench/fts5_load.py; --update for the incremental run), over the same files,
# each with its defaults (lipsteeth uses all cores; so does recollindex).
#
# usage: bench/index.sh [SIZE_MB...]     (default: 20; e.g. 20 200 1000)
# Env: SYSTEMS="lipsteeth omindex recollindex fts5" to run a subset; LIPSTEETH_OLD=BINARY
# adds "lipsteeth-old", another lipsteeth binary (e.g. one built from main) for A/B.
# Results: bench/out/index-<stamp>/ (machine.txt, results.tsv, summary.md, logs).
# The databases stay in bench/corpora/indexes-<N>mb/, where bench/query.sh uses them.
source "$(dirname "$0")/common.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(20)
read -r -a systems <<<"${SYSTEMS:-lipsteeth omindex recollindex fts5}"
[ -z "${LIPSTEETH_OLD:-}" ] || systems+=(lipsteeth-old)

bench_deps
# NO_BUILD=1: use $BUILD_DIR/cli/lipsteeth as it is (built by hand).
if [[ " ${systems[*]} " == *" lipsteeth "* && "${NO_BUILD:-0}" != 1 ]]; then bench_build lipsteeth; fi
out=$(new_out index)
printf 'size_mb\tsystem\tphase\tcorpus_bytes\tfiles\twall_s\tcpu_s\tmax_rss_kb\tindex_bytes\tdocs\texit\tload1\n' >"$out/results.tsv"

# Runs a command under /usr/bin/time -v; appends one row to results.tsv.
# args: size system phase bytes files dbpath docs-command... -- command...
measure() {
  local mb=$1 sys=$2 phase=$3 bytes=$4 files=$5 db=$6; shift 6
  local tv="$out/$mb-$sys-$phase.time" lg="$out/$mb-$sys-$phase.log" rc=0
  sync
  /usr/bin/time -v -o "$tv" "$@" >"$lg" 2>&1 || rc=$?
  local wall cpu rss size load
  load=$(cut -d' ' -f1 /proc/loadavg)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tv")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$tv")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
  size=$(du -sb "$db" 2>/dev/null | cut -f1); size=${size:-0}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mb" "$sys" "$phase" "$bytes" "$files" \
    "$wall" "$cpu" "$rss" "$size" "$(doc_count "$sys" "$db")" "$rc" "$load" >>"$out/results.tsv"
  log "  $sys $phase: ${wall}s, rss ${rss} kB, index ${size} bytes, exit $rc"
}

# Number of Xapian documents in each system's database (passages for lipsteeth).
doc_count() {
  local sys=$1 db=$2 path=$2
  case $sys in
    lipsteeth|lipsteeth-old) path="$db/current" ;;
    fts5) sqlite3 "$db" 'SELECT count(*) FROM docs' 2>/dev/null || true; return ;;
    recollindex) path="$db/xapiandb" ;;
  esac
  xapian-delve "$path" 2>/dev/null | sed -n 's/^number of documents = //p' || true
}

run_system() {  # args: system phase size corpus bytes files indexes-dir
  local sys=$1 phase=$2 mb=$3 corpus=$4 bytes=$5 files=$6 w=$7
  case $sys in
    lipsteeth)
      measure "$mb" "$sys" "$phase" "$bytes" "$files" "$w/lipsteeth.db" \
        "$LIPSTEETH" index --db "$w/lipsteeth.db" --quiet "$corpus" ;;
    lipsteeth-old)
      measure "$mb" "$sys" "$phase" "$bytes" "$files" "$w/lipsteeth-old.db" \
        "$LIPSTEETH_OLD" index --db "$w/lipsteeth-old.db" --quiet "$corpus" ;;
    fts5)
      local upd=(); [ "$phase" = full ] || upd=(--update)
      measure "$mb" "$sys" "$phase" "$bytes" "$files" "$w/fts5.db" \
        python3 "$BENCH_DIR/fts5_load.py" "${upd[@]}" "$w/fts5.db" "$corpus" ;;
    omindex)
      measure "$mb" "$sys" "$phase" "$bytes" "$files" "$w/omindex.db" \
        omindex --db "$w/omindex.db" --url / "$corpus" ;;
    recollindex)
      [ -f "$w/recoll/recoll.conf" ] || recoll_conf "$w/recoll" "$corpus"
      measure "$mb" "$sys" "$phase" "$bytes" "$files" "$w/recoll" \
        recollindex -c "$w/recoll" ;;
  esac
}

# Puts back the files changed for the incremental run (with a new mtime, so
# every system sees them change again and query.sh's update re-syncs them).
restore_changed() {
  local backup=$1 corpus=$2
  [ -d "$backup" ] || return 0
  (cd "$backup" && find . -type f -print0) | while IFS= read -r -d '' f; do
    cat "$backup/$f" >"$corpus/$f.tmp" && mv "$corpus/$f.tmp" "$corpus/$f"
  done
  rm -rf "$backup"
}

for mb in "${sizes[@]}"; do
  corpus=$(corpus_dir "$mb")
  # The databases are built where query.sh looks for them, from scratch.
  w=$(index_dir "$mb")
  # Only the systems run now start afresh: the others' databases stay for query.sh.
  for sys in "${systems[@]}"; do
    case $sys in
      lipsteeth) rm -rf "$w/lipsteeth.db" ;;
      omindex) rm -rf "$w/omindex.db" ;;
      lipsteeth-old) rm -rf "$w/lipsteeth-old.db" ;;
      fts5) rm -f "$w/fts5.db" ;;
      recollindex) rm -rf "$w/recoll" ;;
    esac
  done
  mkdir -p "$w"
  bytes=$(corpus_bytes "$corpus")
  files=$(find "$corpus" -type f | wc -l)
  log "index: ${mb} MB corpus, $files files, $bytes bytes"
  # Warm the page cache the same way for everyone.
  find "$corpus" -type f -exec cat {} + >/dev/null
  for sys in "${systems[@]}"; do run_system "$sys" full "$mb" "$corpus" "$bytes" "$files" "$w"; done

  # 1% of the files (every 100th, in name order) get a new paragraph; the
  # originals are kept and put back afterwards, even if this script is stopped.
  backup="$out/originals-${mb}mb"
  trap 'restore_changed "$backup" "$corpus"' EXIT
  sleep 1
  changed=0
  while IFS= read -r f; do
    rel=${f#"$corpus"/}
    mkdir -p "$backup/$(dirname "$rel")"
    cp "$f" "$backup/$rel"
    { cat "$f"; printf '\n\nUpdate: officials in Beijing and Pyongyang said the talks would resume next month.\n'; } >"$f.tmp"
    mv "$f.tmp" "$f"
    changed=$((changed + 1))
  done < <(find "$corpus" -type f -name '*.txt' | sort | awk 'NR % 100 == 1')
  cbytes=$(corpus_bytes "$corpus")
  log "index: changed $changed files"
  for sys in "${systems[@]}"; do run_system "$sys" incremental "$mb" "$corpus" "$cbytes" "$files" "$w"; done
  echo "$changed" >"$out/changed-files-${mb}mb"
  restore_changed "$backup" "$corpus"
  trap - EXIT
done

python3 - "$out" "$(machine_line)" <<'PY' | tee "$out/summary.md"
import csv, sys, os
out, machine = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(os.path.join(out, 'results.tsv')), delimiter='\t'))
print(f'Machine: {machine}. Each system with its defaults; warm page cache. "load" is the 1-minute load average when the run started (2 cores: above 2 means other work shared the CPUs, which stretches wall times; CPU seconds are steadier).\n')
for mb in dict.fromkeys(r['size_mb'] for r in rows):
    full = {r['system']: r for r in rows if r['size_mb'] == mb and r['phase'] == 'full'}
    inc = {r['system']: r for r in rows if r['size_mb'] == mb and r['phase'] == 'incremental'}
    any_row = next(iter(full.values()))
    print(f"### {mb} MB corpus ({any_row['files']} files, {int(any_row['corpus_bytes'])/1e6:.1f} MB)\n")
    print('| system | full build s | MB/s | vs omindex | CPU s | MB per CPU-s | peak RSS MB | index MB | index vs omindex | Xapian docs | incremental (1%) s | incremental / full | incremental CPU s | incremental / full CPU | index after incremental MB | load |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    om = full.get('omindex')
    for sys_, r in full.items():
        wall = float(r['wall_s'] or 0)
        mbs = int(r['corpus_bytes']) / 1e6 / wall if wall else 0
        vs = f"{mbs / (int(om['corpus_bytes']) / 1e6 / float(om['wall_s'])):.2f}x" if om and float(om['wall_s']) else '–'
        size = int(r['index_bytes'] or 0)
        svs = f"{size / int(om['index_bytes']):.2f}x" if om and int(om['index_bytes'] or 0) else '–'
        i = inc.get(sys_)
        iw = float(i['wall_s']) if i and i['wall_s'] else None
        flag = '' if r['exit'] == '0' else f" (exit {r['exit']})"
        cpu = float(r['cpu_s'] or 0)
        print(f"| {sys_}{flag} | {wall:.2f} | {mbs:.2f} | {vs} | {cpu:.1f} | "
              f"{int(r['corpus_bytes']) / 1e6 / cpu if cpu else 0:.2f} | "
              f"{int(r['max_rss_kb'] or 0)/1024:.0f} | {size/1e6:.1f} | {svs} | {r['docs'] or '?'} | "
              + (f"{iw:.2f} | {iw / wall * 100:.1f}% |" if iw is not None and wall else '– | – |')
              + (f" {float(i['cpu_s'] or 0):.2f} | {float(i['cpu_s'] or 0) / cpu * 100:.1f}% | {int(i['index_bytes'] or 0)/1e6:.1f} |"
                 if i and cpu else ' – | – | – |')
              + f" {r['load1']} / {i['load1'] if i else '–'} |")
    print()
PY
log "results in $out"

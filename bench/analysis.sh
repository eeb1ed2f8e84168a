#!/usr/bin/env bash
# Single-thread analysis throughput (MB/s) on generated corpora, side by side:
# lipsteeth's analyzers (analyze_article + stems) without the actor tagger,
# with it (real gazetteer), and with a gazetteer ten times larger; Xapian's
# TermGenerator (english, STEM_SOME, positions, no add_document); `wc -w`
# (C locale) as the floor. All over the same files, read into memory first.
#
# usage: bench/analysis.sh [SIZE_MB...]     (default: 20; REPEAT=N rounds, default 3)
# Results: bench/out/analysis-<stamp>/ (machine.txt, <N>mb.tsv, summary.md).
source "$(dirname "$0")/common.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(20)

bench_deps
bench_build analyze_bench
out=$(new_out analysis)
gaz="$ROOT/data/actors.tsv"
python3 "$BENCH_DIR/make_gazetteer.py" --factor 10 "$gaz" >"$out/actors-10x.tsv"

for mb in "${sizes[@]}"; do
  dir=$(corpus_dir "$mb")
  bytes=$(corpus_bytes "$dir")
  log "analysis: ${mb} MB corpus ($bytes bytes)"
  # wc -w: best of 3 runs over warm files, user+system CPU seconds and wall.
  find "$dir" -type f -name '*.txt' -print0 | LC_ALL=C wc -w --files0-from=- >/dev/null
  best_cpu="" best_wall=""
  for _ in 1 2 3; do
    read -r cpu wall < <( { /usr/bin/time -f '%U %S %e' sh -c "find '$dir' -type f -name '*.txt' -print0 | LC_ALL=C wc -w --files0-from=- >/dev/null" ; } 2>&1 | awk '{print $1+$2, $3}')
    if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; fi
  done
  "$BUILD_DIR/bench/analyze_bench" --repeat "${REPEAT:-3}" --gazetteer "$gaz" --big-gazetteer "$out/actors-10x.tsv" "$dir" \
    >"$out/${mb}mb.tsv"
  files=$(awk -F'\t' 'NR==2 {print $2}' "$out/${mb}mb.tsv")
  awk -v f="$files" -v b="$bytes" -v c="$best_cpu" -v w="$best_wall" 'BEGIN {
    c = c > 0 ? c : 0.01; w = w > 0 ? w : 0.01
    printf "wc-w\t%s\t%s\t%.3f\t%.2f\t%.3f\t%.2f\t0\t0\t-\n", f, b, c, b / 1e6 / c, w, b / 1e6 / w }' >>"$out/${mb}mb.tsv"
done

python3 - "$out" "$(machine_line)" "${sizes[@]}" <<'PY' | tee "$out/summary.md"
import sys, csv, os
out, machine, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
names = {'termgen': 'Xapian TermGenerator (english, STEM_SOME, positions)',
         'lipsteeth': 'lipsteeth analyze_article + stems, no tagger',
         'tagger': 'lipsteeth + actor tagger (real gazetteer)',
         'tagger-big': 'lipsteeth + actor tagger (10x gazetteer)',
         'wc-w': '`wc -w` (C locale), the floor'}
print(f'Machine: {machine}. Single thread, best of {os.environ.get("REPEAT", "3")} interleaved rounds; files read into memory first (wc -w reads them warm from the page cache). MB/s is per CPU second of the thread (robust when other processes share the cores); wall-clock MB/s beside it.\n')
for mb in sizes:
    rows = {r['mode']: r for r in csv.DictReader(open(os.path.join(out, f'{mb}mb.tsv')), delimiter='\t')}
    tg = float(rows['termgen']['mb_per_cpu_s']) if 'termgen' in rows else None
    base = float(rows['lipsteeth']['cpu_s']) if 'lipsteeth' in rows else None
    any_row = next(iter(rows.values()))
    print(f"### {mb} MB corpus ({int(any_row['files'])} files, {int(any_row['bytes'])/1e6:.1f} MB)\n")
    print('| what | CPU s | MB/s (CPU) | vs TermGenerator | time added by the tagger | wall s | MB/s (wall) |')
    print('|---|---|---|---|---|---|---|')
    for mode in ['wc-w', 'termgen', 'lipsteeth', 'tagger', 'tagger-big']:
        if mode not in rows:
            continue
        r = rows[mode]
        mbs, secs = float(r['mb_per_cpu_s']), float(r['cpu_s'])
        ratio = f'{mbs / tg:.2f}x' if tg else '–'
        added = f'+{(secs / base - 1) * 100:.1f}%' if base and mode.startswith('tagger') else ''
        label = names[mode] + (f" ({r['actors']} actors)" if mode.startswith('tagger') else '')
        print(f"| {label} | {secs:.2f} | {mbs:.1f} | {ratio} | {added} | {float(r['wall_s']):.2f} | {float(r['mb_per_wall_s']):.1f} |")
    print()
PY
log "results in $out"

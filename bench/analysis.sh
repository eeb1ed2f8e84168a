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
  # wc -w: best of 3 runs over warm files.
  find "$dir" -type f -name '*.txt' -print0 | LC_ALL=C wc -w --files0-from=- >/dev/null
  best=""
  for _ in 1 2 3; do
    s=$( { /usr/bin/time -f %e sh -c "find '$dir' -type f -name '*.txt' -print0 | LC_ALL=C wc -w --files0-from=- >/dev/null" ; } 2>&1 )
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
  done
  "$BUILD_DIR/bench/analyze_bench" --repeat "${REPEAT:-3}" --gazetteer "$gaz" --big-gazetteer "$out/actors-10x.tsv" "$dir" \
    >"$out/${mb}mb.tsv"
  files=$(awk -F'\t' 'NR==2 {print $2}' "$out/${mb}mb.tsv")
  printf 'wc-w\t%s\t%s\t%s\t%.2f\t0\t0\t-\n' "$files" "$bytes" "$best" "$(awk "BEGIN{print $bytes/1e6/($best>0?$best:0.001)}")" \
    >>"$out/${mb}mb.tsv"
done

python3 - "$out" "$(machine_line)" "${sizes[@]}" <<'PY' | tee "$out/summary.md"
import sys, csv, os
out, machine, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
names = {'termgen': 'Xapian TermGenerator (english, STEM_SOME, positions)',
         'lipsteeth': 'lipsteeth analyze_article + stems, no tagger',
         'tagger': 'lipsteeth + actor tagger (real gazetteer)',
         'tagger-big': 'lipsteeth + actor tagger (10x gazetteer)',
         'wc-w': '`wc -w` (C locale), the floor'}
print(f'Machine: {machine}. Single thread, best of {os.environ.get("REPEAT", "3")} interleaved rounds; files read into memory first (wc -w reads them warm from the page cache).\n')
for mb in sizes:
    rows = {r['mode']: r for r in csv.DictReader(open(os.path.join(out, f'{mb}mb.tsv')), delimiter='\t')}
    tg = float(rows['termgen']['mb_per_s']) if 'termgen' in rows else None
    base = float(rows['lipsteeth']['seconds']) if 'lipsteeth' in rows else None
    any_row = next(iter(rows.values()))
    print(f"### {mb} MB corpus ({int(any_row['files'])} files, {int(any_row['bytes'])/1e6:.1f} MB)\n")
    print('| what | seconds | MB/s | vs TermGenerator | time added by the tagger |')
    print('|---|---|---|---|---|')
    for mode in ['wc-w', 'termgen', 'lipsteeth', 'tagger', 'tagger-big']:
        if mode not in rows:
            continue
        r = rows[mode]
        mbs, secs = float(r['mb_per_s']), float(r['seconds'])
        ratio = f'{mbs / tg:.2f}x' if tg else '–'
        added = f'+{(secs / base - 1) * 100:.1f}%' if base and mode.startswith('tagger') else ''
        label = names[mode] + (f" ({r['actors']} actors)" if mode.startswith('tagger') else '')
        print(f'| {label} | {secs:.2f} | {mbs:.1f} | {ratio} | {added} |')
    print()
PY
log "results in $out"

#!/usr/bin/env bash
# Sharded indexes: the build time of one corpus as 1 database and as 2 and 4
# shards (`lipsteeth index [--shards N]`, all cores), then query latency
# with facets (median and p95 of the 20 queries of bench/queries.tsv, whole
# process, warm cache, top 10) over one database, over the 4 shards through
# their local stub, and over the 4 shards served by 4 xapian-tcpsrv
# processes on loopback (a remote stub).
#
# usage: bench/shards.sh [SIZE_MB]        (default 150)
# Env: RUNS (default 5), WARMUP (default 1), LIPSTEETH (the binary; default:
# BUILD_DIR's, built when missing), SHARDS (default "1 2 4").
# Indexes: bench/corpora/shards-<N>mb/ (git-ignored), rebuilt on each run.
# Results: bench/out/shards-<stamp>/ (summary.md, raw timings).
source "$(dirname "$0")/common.sh"
mb="${1:-150}"
runs="${RUNS:-5}"
warmup="${WARMUP:-1}"
shard_counts=(${SHARDS:-1 2 4})
LIPSTEETH="${LIPSTEETH_OVERRIDE:-$LIPSTEETH}"
export LIPSTEETH_DATA_DIR="${LIPSTEETH_DATA_DIR:-$ROOT/data}"
[ -x "$LIPSTEETH" ] || bench_build lipsteeth
command -v xapian-tcpsrv >/dev/null || "$ROOT/scripts/deps.sh" xapian-tools

corpus=$(corpus_dir "$mb")
work="$CORPORA/shards-${mb}mb"
out=$(new_out shards)
rm -rf "$work"
mkdir -p "$work"
bytes=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -type f | wc -l)

# Build times. Each build from nothing, page cache warm (the corpus read once before).
cat "$(find "$corpus" -type f | head -1)" >/dev/null
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null
{
  echo "Corpus: $((bytes / 1000000)) MB, $files files (make_corpus.py --mb $mb --seed $SEED). Machine: $(machine_line)."
  echo
  echo "| layout | build (s) | MB/s | passages | on disk (MB) |"
  echo "|---|---:|---:|---:|---:|"
} >"$out/summary.md"
for n in "${shard_counts[@]}"; do
  db="$work/db-$n"
  args=(--db "$db" --json)
  [ "$n" -gt 1 ] && args+=(--shards "$n")
  log "building $n shard(s)"
  start=$(date +%s.%N)
  "$LIPSTEETH" index "${args[@]}" "$corpus" >"$out/build-$n.json" 2>"$out/build-$n.err" || [ $? -eq 5 ]
  end=$(date +%s.%N)
  python3 - "$out/build-$n.json" "$start" "$end" "$bytes" "$n" "$(du -sb "$db" | cut -f1)" >>"$out/summary.md" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
total = j.get("total", j)
secs = float(sys.argv[3]) - float(sys.argv[2])
n = int(sys.argv[5])
layout = "1 database" if n == 1 else f"{n} shards"
print(f"| {layout} | {secs:.1f} | {int(sys.argv[4]) / 1e6 / secs:.1f} | {total['passages_total']} | {int(sys.argv[6]) / 1e6:.0f} |")
EOF
done

# Query latency, the layouts taking turns on each query.
last=${shard_counts[-1]}
sharded="$work/db-$last"
pids=()
stub="$sharded/remote.stub"
: >"$stub"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for ((k = 0; k < last; k++)); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # setsid: xapian-tcpsrv's SIGTERM handler signals its whole process group.
  setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$sharded/$(printf 'shard-%02d' "$k")/current" &
  pids+=($!)
  echo "remote 127.0.0.1:$port" >>"$stub"
done
sleep 1
python3 - "$LIPSTEETH" "$BENCH_DIR/queries.tsv" "$runs" "$warmup" "$out" "$work/db-1" "$sharded" "$stub" \
  >>"$out/summary.md" <<'EOF'
import statistics, subprocess, sys, time
lip, queries, runs, warmup, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
layouts = [("1 database (fast path)", sys.argv[6]), ("local stub", sys.argv[7]), ("remote stub, loopback", sys.argv[8])]
qs = [l.rstrip("\n").split("\t", 1)[1] for l in open(queries) if l.strip() and not l.startswith("#")]
times = {name: [] for name, _ in layouts}
outputs = {}
for q in qs:
    for r in range(warmup + runs):
        for name, db in layouts:
            t0 = time.perf_counter()
            p = subprocess.run([lip, "search", "--db", db, "--json", "-n", "10", "--", q], capture_output=True)
            dt = (time.perf_counter() - t0) * 1000
            if p.returncode not in (0, 1):
                sys.exit(f"{name}: {q}: exit {p.returncode}: {p.stderr.decode()}")
            if r >= warmup:
                times[name].append(dt)
            outputs.setdefault(q, {})[name] = p.stdout
with open(f"{out}/query-times.tsv", "w") as f:
    for name, ts in times.items():
        f.write(name + "\t" + "\t".join(f"{t:.2f}" for t in ts) + "\n")
# The same answers: hits (article, passage, score) and facets of every layout.
import json
same = 0
for q, by in outputs.items():
    keyed = []
    for name, raw in by.items():
        j = json.loads(raw)
        keyed.append(json.dumps([[h["article"]["id"], h["passage"]["ordinal"], h["passage"]["snippet"], round(h.get("score", 0), 6)]
                                 for h in j.get("hits", [])]
                                + [j.get("total"), j.get("facets")], sort_keys=True))
    same += len(set(keyed)) == 1
print()
print(f"Queries with facets, top 10, whole process, {runs} runs of each of the {len(qs)} queries after {warmup} warm-up:")
print()
print("| layout | median (ms) | p95 (ms) |")
print("|---|---:|---:|")
for name, ts in times.items():
    ts = sorted(ts)
    p95 = ts[min(len(ts) - 1, int(round(0.95 * len(ts))) - 1)]
    print(f"| {name} | {statistics.median(ts):.1f} | {p95:.1f} |")
print()
print(f"Identical hits, scores, totals and facets in all three layouts: {same} of {len(qs)} queries.")
EOF
cat "$out/summary.md"
log "results in $out"

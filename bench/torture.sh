#!/usr/bin/env bash
# bench/torture.sh: kill -9 the indexer at random moments, with searches
# running, and check that nothing is lost (issue 20).
#
#   bench/torture.sh [ROUNDS] [CORPUS_MB]        (defaults: 50 rounds, 5 MB)
#
# Each round starts one of: a --rebuild, an incremental run after changing
# the corpus (files edited, added, deleted, renamed), or a gated rebuild
# (--gate); kills it with SIGKILL after a random delay (0 to the length of a
# whole run of its kind); then runs the plain nightly `lipsteeth index` once
# to recover. Meanwhile a loop runs searches against the index.
# After every recovery run the index must hold exactly the articles whose
# files are in the corpus ("lost" counts those missing, must be 0) and
# `lipsteeth verify` must pass.
#
# Knobs: LIPSTEETH_BIN (the binary; default build/cli/lipsteeth, else the
# bench build), SEED (corpus and random choices), KEEP=1 keeps the work folder.
# Output: bench/out/torture-<stamp>/ (rounds.tsv, summary.txt, machine.txt).
source "$(dirname "$0")/common.sh"
# Exit codes are collected, not fatal.
set +e

ROUNDS="${1:-50}"
MB="${2:-5}"
# The binary of the ordinary build when there is one, else the bench build's.
if [ -n "${LIPSTEETH_BIN:-}" ]; then
  LIPSTEETH="$LIPSTEETH_BIN"
elif [ -x "$ROOT/build/cli/lipsteeth" ]; then
  LIPSTEETH="$ROOT/build/cli/lipsteeth"
else
  bench_build lipsteeth
fi
RANDOM=$SEED

out="$(new_out torture)"
searcher_pid=
work="$(mktemp -d "${TMPDIR:-/tmp}/lipsteeth-torture-XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap '[ -z "$searcher_pid" ] || kill "$searcher_pid" 2>/dev/null; rm -rf "$work"' EXIT
corpus="$work/corpus"
db="$work/db"
cp -r "$(corpus_dir "$MB")" "$corpus"
log "corpus: $(find "$corpus" -type f | wc -l) files, $(corpus_bytes "$corpus") bytes; binary $LIPSTEETH"

# The gate every gated round uses: nothing the corpus cannot pass.
printf 'min-articles 10\nmin-hits 1 Pyongyang\n' >"$work/gate.txt"

# Files the index should hold: every regular file but empty ones (skipped
# with a reason) and hidden ones.
expected_articles() { find "$corpus" -type f ! -empty ! -name '.*' | wc -l; }
indexed_articles() { "$LIPSTEETH" stats --db "$db" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])' 2>/dev/null || echo 0; }

# Changes an incremental round makes: a few files edited, added, deleted, renamed.
mutate() {
  mapfile -t files < <(find "$corpus" -type f -name '*.txt' | sort)
  local n=${#files[@]} i f
  for i in $(seq 40); do
    f="${files[$((RANDOM % n))]}"
    [ -f "$f" ] && printf '\nA paragraph added in round %s on the Dandong trade.\n' "$round" >>"$f"
  done
  f="${files[$((RANDOM % n))]}"
  [ -f "$f" ] && rm -f "$f"
  f="${files[$((RANDOM % n))]}"
  [ -f "$f" ] && mv "$f" "${f%.txt}-moved-$round.txt"
  printf 'Title: Round %s\n\nA new article about Pyongyang and Beijing, number %s, on border trade.\n' \
    "$round" "$round" >"$corpus/new-$round.txt"
}

# Searches in a loop until killed; one line per search: exit code.
search_loop() {
  local words=(Pyongyang Beijing sanctions Dandong "six-party talks" Kim trade border nuclear)
  while :; do
    "$LIPSTEETH" search --db "$db" "${words[$((RANDOM % ${#words[@]}))]}" -n 3 >/dev/null 2>>"$work/search-errors.txt"
    echo $? >>"$work/searches.txt"
  done
}

log "first build"
"$LIPSTEETH" index --quiet --db "$db" "$corpus"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || { log "first build failed: exit $rc"; exit 1; }
# The length of an uninterrupted run of each kind bounds the kill delay.
t0=$(date +%s.%N); "$LIPSTEETH" index --quiet --db "$db" --rebuild; t1=$(date +%s.%N)
rebuild_s=$(echo "$t1 - $t0" | bc)
round=0
mutate
t0=$(date +%s.%N); "$LIPSTEETH" index --quiet --db "$db" --batch-mb 0.2; t1=$(date +%s.%N)
incremental_s=$(echo "$t1 - $t0" | bc)
log "a whole rebuild takes ${rebuild_s}s, an incremental run ${incremental_s}s"

: >"$work/searches.txt"
search_loop &
searcher_pid=$!

printf 'round\tkind\tdelay_s\tkilled\trecovery_rc\texpected\tindexed\tlost\tverify_rc\n' >"$out/rounds.tsv"
lost_total=0 recoveries=0 recovery_failures=0 verify_failures=0 kills=0
for round in $(seq 1 "$ROUNDS"); do
  case $((RANDOM % 10)) in
    0 | 1 | 2 | 3) kind=rebuild; args=(--rebuild); span=$rebuild_s ;;
    4 | 5 | 6 | 7) kind=incremental; args=(--batch-mb 0.2); span=$incremental_s; mutate ;;
    *) kind=gate; args=(--gate "$work/gate.txt"); span=$rebuild_s ;;
  esac
  pct=$((RANDOM % 100))
  delay=$(echo "scale=2; $span * $pct / 100" | bc)
  "$LIPSTEETH" index --quiet --db "$db" "${args[@]}" >/dev/null 2>>"$work/index-errors.txt" &
  pid=$!
  sleep "$delay"
  killed=0
  if kill -9 "$pid" 2>/dev/null; then killed=1; kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  # Recovery: the plain nightly run.
  "$LIPSTEETH" index --db "$db" >/dev/null 2>>"$work/index-errors.txt"
  rc=$?
  recoveries=$((recoveries + 1))
  [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || recovery_failures=$((recovery_failures + 1))
  expected=$(expected_articles)
  indexed=$(indexed_articles)
  lost=$((expected > indexed ? expected - indexed : 0))
  lost_total=$((lost_total + lost))
  "$LIPSTEETH" verify --db "$db" >/dev/null 2>>"$work/verify-errors.txt"
  vrc=$?
  [ "$vrc" -eq 0 ] || verify_failures=$((verify_failures + 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$delay" "$killed" "$rc" "$expected" "$indexed" \
    "$lost" "$vrc" >>"$out/rounds.tsv"
  log "round $round: $kind killed=$killed after ${delay}s; recovery exit $rc; $indexed/$expected articles; verify $vrc"
done
kill "$searcher_pid" 2>/dev/null || true
wait "$searcher_pid" 2>/dev/null || true

searches=$(wc -l <"$work/searches.txt")
failed=$(grep -cvE '^(0|1)$' "$work/searches.txt" || true)
{
  echo "rounds: $ROUNDS (kill -9 landed in $kills; the others had finished)"
  echo "corpus: ${MB} MB, $(expected_articles) articles at the end"
  echo "lost articles: $lost_total"
  echo "recovery runs: $recoveries, failed: $recovery_failures"
  echo "verify failures: $verify_failures"
  echo "searches: $searches, failed: $failed"
  echo "search errors (distinct):"
  sort "$work/search-errors.txt" 2>/dev/null | sed 's/[0-9]\{3,\}/N/g' | sort | uniq -c | sort -rn | head -5
  echo "recovery messages (distinct):"
  sed 's/[0-9]\{3,\}/N/g' "$work/index-errors.txt" 2>/dev/null | sort | uniq -c | sort -rn | head -8
} | tee "$out/summary.txt"
[ "$lost_total" -eq 0 ] && [ "$recovery_failures" -eq 0 ] && [ "$verify_failures" -eq 0 ]

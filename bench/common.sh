# Shared set-up for the benchmark scripts (sourced, not run).
# Environment knobs: BUILD_DIR (default build-bench), MAKE_CORPUS (path of
# make_corpus.py), CORPORA (where generated corpora live), SEED (default 1),
# STATIC_XAPIAN (default ON: see bench_build).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
MAKE_CORPUS="${MAKE_CORPUS:-$(dirname "$ROOT")/shared/bench/make_corpus.py}"
CORPORA="${CORPORA:-$BENCH_DIR/corpora}"
SEED="${SEED:-1}"
LIPSTEETH="$BUILD_DIR/cli/lipsteeth"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Installs the peers from Debian when missing (see scripts/deps.sh).
bench_deps() {
  "$ROOT/scripts/deps.sh" python3 time xapian-omega xapian-tools recollcmd sqlite3 ripgrep hyperfine
}

# Configures build-bench with the bench helpers and builds the given targets.
# The figures in BENCHMARKS.md are of the static build (-DLIPSTEETH_STATIC_XAPIAN=ON,
# made once from Debian's source package); STATIC_XAPIAN=OFF measures Debian's
# shared libxapian instead.
bench_build() {
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIPSTEETH_BUILD_BENCH=ON \
    -DLIPSTEETH_STATIC_XAPIAN="${STATIC_XAPIAN:-ON}" >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target "$@" >/dev/null
}

# Prints the path of a corpus of MB megabytes (10^6 bytes), generating it once.
# Corpora are deterministic (make_corpus.py --seed), so reruns see the same files.
corpus_dir() {
  local mb="$1" dir="$CORPORA/${1}mb"
  # The marker lives beside the corpus, not in it: every system sees the same files.
  if [ ! -f "$CORPORA/${mb}mb.complete" ] || [ ! -d "$dir" ]; then
    log "generating ${mb} MB corpus in $dir"
    rm -rf "$dir"
    python3 "$MAKE_CORPUS" --out "$dir" --mb "$mb" --seed "$SEED" --jobs 2 >&2
    touch "$CORPORA/${mb}mb.complete"
  fi
  echo "$dir"
}

# Creates and prints a fresh output folder bench/out/NAME-<UTC stamp>/ with machine.txt.
new_out() {
  local out
  out="$BENCH_DIR/out/$1-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$out"
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "\$ nproc"; nproc
    echo "\$ lscpu"; lscpu
    echo "\$ free -m"; free -m
    echo "lipsteeth: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "xapian: $(xapian-config --version 2>/dev/null || true)"
    echo "load average at start: $(cat /proc/loadavg)"
  } >"$out/machine.txt"
  echo "$out"
}

# Where the cached indexes of a corpus live (built by index.sh, updated by query.sh).
index_dir() { echo "$CORPORA/indexes-${1}mb"; }

# Writes a Recoll configuration folder DIR indexing CORPUS (english stemming, no aspell).
recoll_conf() {
  mkdir -p "$1"
  printf 'topdirs = %s\nnoaspell = 1\nindexstemminglanguages = english\nloglevel = 2\n' "$2" >"$1/recoll.conf"
}

# Bytes of the regular files under a folder (what the systems read).
corpus_bytes() { find "$1" -type f ! -name '.*' -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

# One-line machine summary for tables.
machine_line() {
  echo "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
}

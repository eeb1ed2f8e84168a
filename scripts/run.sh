#!/usr/bin/env bash
# Quick start: installs what is missing, builds the lipsteeth binary alone (no
# tests) into build-run/, indexes the bundled corpus (incrementally: quick
# when nothing changed) and runs a search.
# Usage: scripts/run.sh [QUERY...]    (default query: "six-party talks")
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# Optimised, without debug information (-g makes the compiler do a third
# more work for a binary the quick start only runs), and as a unity build:
# the sources of each library compiled a few to a unit, so that Xapian's,
# ICU's, fmt's and nlohmann-json's headers are parsed once a unit, not once
# a file (3 min 2 s -> 1 min 43 s on 2 cores; BENCHMARKS.md, "Fresh set-up").
scripts/build.sh --target lipsteeth build-run -DLIPSTEETH_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON >&2
export LIPSTEETH_DB="${LIPSTEETH_DB:-$PWD/.lipsteeth/index}"
rc=0
build-run/cli/lipsteeth index corpus/ || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit "$rc"; fi
if [ $# -eq 0 ]; then set -- "six-party talks"; fi
build-run/cli/lipsteeth search "$@"

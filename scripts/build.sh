#!/usr/bin/env bash
# Configures and builds lipsteeth into build/ (or DIR, with extra cmake args
# after it); with --target T, only T and what it needs (repeatable).
# Usage: scripts/build.sh [--target T]... [DIR] [CMAKE_ARGS...]
# Xapian is Debian's shared libxapian unless -DLIPSTEETH_STATIC_XAPIAN=ON is
# given (cmake/XapianTarget.cmake). LIPSTEETH_JOBS sets the parallel jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
while [ $# -gt 0 ] && [ "$1" = --target ]; do
  if [ $# -lt 2 ]; then echo "build.sh: --target needs a target name" >&2; exit 2; fi
  targets+=(--target "$2"); shift 2
done
dir="${1:-build}"; shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"${LIPSTEETH_JOBS:-$(nproc)}" "${targets[@]}"

#!/usr/bin/env bash
# Configures and builds lipsteeth into build/ (or $1, with extra cmake args after it).
# Xapian is linked statically when it can be (scripts/xapian-cmake-arg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"; shift || true
xapian="$(scripts/xapian-cmake-arg.sh)"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$xapian" "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"

#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything (tests
# included) into build/, runs ctest; then builds again with AddressSanitizer +
# UndefinedBehaviorSanitizer into build-asan/ and runs ctest there too. Long
# suites (labels "scale", "fuzz") are excluded.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs="$(nproc)"
scripts/build.sh build
(cd build && ctest --output-on-failure -j"$jobs" -LE 'scale|fuzz')
scripts/build.sh build-asan -DLIPSTEETH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -LE 'scale|fuzz')

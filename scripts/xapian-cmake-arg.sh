#!/usr/bin/env bash
# Prints the CMake argument that picks how Xapian is linked:
# -DLIPSTEETH_XAPIAN_STATIC_DIR=<folder> with the static build of
# scripts/xapian-static.sh (made once), or an empty value (Debian's shared
# libxapian) when LIPSTEETH_SHARED_XAPIAN=1 or when it cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${LIPSTEETH_SHARED_XAPIAN:-0}" != 1 ]; then
  if static="$(scripts/xapian-static.sh)"; then
    echo "-DLIPSTEETH_XAPIAN_STATIC_DIR=$static"
    exit 0
  fi
  echo "build: linking Debian's shared libxapian instead (each search starts 1 to 1.5 ms slower)" >&2
fi
echo "-DLIPSTEETH_XAPIAN_STATIC_DIR="

#!/usr/bin/env bash
# Installs the Debian packages lipsteeth needs to build, test and benchmark,
# when any is missing. Idempotent, non-interactive, quick when all is there.
set -euo pipefail
BUILD_PKGS=(build-essential cmake pkg-config libxapian-dev libicu-dev libcli11-dev catch2
            nlohmann-json3-dev libfmt-dev libzstd-dev zlib1g-dev uuid-dev
            xz-utils unicode-data python3 libpoppler-cpp-dev libzip-dev libxml2-dev
            libyaml-cpp-dev poppler-utils libxxhash-dev xapian-tools)
missing=()
for p in "${BUILD_PKGS[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

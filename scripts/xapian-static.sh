#!/usr/bin/env bash
# Builds Xapian as a static library from Debian's source package of the
# installed libxapian-dev (same version, same sources), into
# .deps/xapian-<version>/ (include/, lib/libxapian.a), and prints that folder.
# Quick when it is already there.
#
# Why: Debian ships Xapian as a shared library only, and a search is a short
# process; loading libxapian and libstdc++ and resolving their symbols takes
# about 1.5 ms of every search, more than the search itself on a small index
# (BENCHMARKS.md, "Start-up"). CMake links the archive when given this
# folder (cmake/XapianTarget.cmake).
#
# The source tarball is checked against the SHA-256 that Debian's .dsc gives
# for it, kept here for each known version; for an installed version not
# listed, or when the download or the build fails, it says why on stderr,
# prints nothing and exits 1: the caller then links the shared library.
# Takes about 2 minutes on 2 cores. LIPSTEETH_DEPS_DIR moves .deps/.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(dpkg-query -W -f='${Version}' libxapian-dev 2>/dev/null || true)"
upstream="${version%-*}"
declare -A sha256=(
  # xapian-core_1.4.22-1.dsc, Checksums-Sha256
  [1.4.22]=05884af00b06702ce486057d62a3bfbe6606cf965ada0f5ea570b328a2fa1ea8
)
say() { echo "xapian-static: $*" >&2; }
if [ -z "$version" ]; then
  say "libxapian-dev is not installed"
  exit 1
fi
if [ -z "${sha256[$upstream]:-}" ]; then
  say "no checksum known for Xapian $upstream (libxapian-dev $version): add it from Debian's .dsc"
  exit 1
fi

deps="${LIPSTEETH_DEPS_DIR:-$PWD/.deps}"
prefix="$deps/xapian-$version"
if [ -f "$prefix/lib/libxapian.a" ] && [ -f "$prefix/include/xapian.h" ]; then
  echo "$prefix"
  exit 0
fi

work="$deps/xapian-$version.build"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
tarball="xapian-core_$upstream.orig.tar.xz"
url="${LIPSTEETH_DEBIAN_MIRROR:-http://deb.debian.org/debian}/pool/main/x/xapian-core/$tarball"
say "building a static Xapian $version from Debian's source ($url), once: about 2 minutes"
if ! curl -fsSL --retry 3 --max-time 300 -o "$work/$tarball" "$url"; then
  say "could not download $url"
  exit 1
fi
if ! echo "${sha256[$upstream]}  $work/$tarball" | sha256sum -c --quiet - >&2; then
  say "$tarball does not have the SHA-256 Debian gives for it"
  exit 1
fi
tar -xJf "$work/$tarball" -C "$work"
src="$work/xapian-core-$upstream"
log="$work/build.log"
# Debian's configuration (debian/rules passes no options on amd64), as a
# static library; position-independent code, as Debian builds executables.
if ! (cd "$src" &&
      ./configure --prefix="$prefix" --disable-shared --enable-static --with-pic --disable-documentation \
        CXXFLAGS="-O2 -fstack-protector-strong" >"$log" 2>&1 &&
      make -j"$(nproc)" libxapian.la >>"$log" 2>&1 &&
      make install-libLTLIBRARIES install-data-am DESTDIR="$work/dest" >>"$log" 2>&1); then
  say "the build failed; the end of its log:"
  tail -n 20 "$log" >&2
  exit 1
fi
# Whole or not at all: an interrupted run leaves no half-installed folder.
rm -rf "$prefix"
mv "$work/dest$prefix" "$prefix"
echo "$prefix"

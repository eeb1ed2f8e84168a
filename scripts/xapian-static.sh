#!/usr/bin/env bash
# Builds Xapian as a static library from Debian's source package of the
# installed libxapian-dev (same version, same sources, Debian's patches
# applied), into .deps/xapian-<version>/ (include/, lib/libxapian.a), and
# prints that folder. Quick when it is already there. CMake runs it when
# configured with -DLIPSTEETH_STATIC_XAPIAN=ON (cmake/XapianTarget.cmake).
#
# Why one would: Debian ships Xapian as a shared library only, and a search
# is a short process; loading libxapian and libstdc++ and resolving their
# symbols takes about 1.5 ms of every search (BENCHMARKS.md, "Start-up").
#
# The sources come through apt: `apt-get source`, with the machine's own apt
# sources (/etc/apt/sources.list and sources.list.d/) read as source entries
# (deb-src) into a private apt state under .deps/apt/, so the system's
# configuration is left as it is. apt checks the files against the signed
# index, as for any package. When that or the build fails, it says why on
# stderr, prints nothing and exits 1.
# Takes about 2 minutes on 2 cores. LIPSTEETH_DEPS_DIR moves .deps/.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "xapian-static: $*" >&2; }
version="$(dpkg-query -W -f='${Version}' libxapian-dev 2>/dev/null || true)"
if [ -z "$version" ]; then
  say "libxapian-dev is not installed (scripts/deps.sh installs it)"
  exit 1
fi
upstream="${version#*:}"; upstream="${upstream%-*}"

deps="${LIPSTEETH_DEPS_DIR:-$PWD/.deps}"
prefix="$deps/xapian-$version"
if [ -f "$prefix/lib/libxapian.a" ] && [ -f "$prefix/include/xapian.h" ]; then
  echo "$prefix"
  exit 0
fi
for tool in apt-get dpkg-source; do
  if ! command -v "$tool" >/dev/null; then
    say "$tool is missing (apt-get install dpkg-dev)"
    exit 1
  fi
done

work="$deps/xapian-$version.build"
rm -rf "$work"
mkdir -p "$work/src"
trap 'rm -rf "$work"' EXIT
log="$work/build.log"

# The machine's package sources, as source entries: deb822 stanzas get
# "Types: deb-src", one-line entries "deb-src".
aptdir="$deps/apt"
mkdir -p "$aptdir/parts" "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
: >"$aptdir/parts/sources.sources"
: >"$aptdir/parts/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  sed -E 's/^Types:.*/Types: deb-src/' "$f" >>"$aptdir/parts/sources.sources"
  echo >>"$aptdir/parts/sources.sources"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >>"$aptdir/parts/sources.list"
done
apt=(apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$aptdir/parts"
     -o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache")

say "building a static Xapian $version from Debian's source package, once: about 2 minutes"
if ! "${apt[@]}" update >"$log" 2>&1; then
  say "apt-get update of the source entries failed; the end of its log:"
  tail -n 10 "$log" >&2
  exit 1
fi
# apt-get source downloads the .dsc and its files, checks them against the
# signed index and unpacks them with dpkg-source (patches applied).
if ! (cd "$work/src" && "${apt[@]}" source "xapian-core=$version") >>"$log" 2>&1; then
  say "apt-get source xapian-core=$version failed; the end of its log:"
  tail -n 10 "$log" >&2
  exit 1
fi
src="$work/src/xapian-core-$upstream"
if [ ! -x "$src/configure" ]; then
  say "apt-get source left no $src/configure"
  exit 1
fi
# Debian's configuration (debian/rules passes no options on amd64), as a
# static library; position-independent code, as Debian builds executables.
if ! (cd "$src" &&
      ./configure --prefix="$prefix" --disable-shared --enable-static --with-pic --disable-documentation \
        CXXFLAGS="-O2 -fstack-protector-strong" >>"$log" 2>&1 &&
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

#!/usr/bin/env bash
# Start-up cost of a process, which every search pays: the systems take turns
# (order shuffled each round) on commands that do next to nothing, so the
# time is what it takes to start and end them.
#
#   /bin/true                      dynamic libc only, the floor
#   hello-static                   a C++ program using libstdc++, fully static
#   hello-shared-libstdc++         the same, libstdc++ and libgcc_s shared
#   hello-shared-libxapian         the same, also calling Xapian::version_string() (libxapian.so)
#   quest --version                Xapian's CLI (shared libxapian and libstdc++)
#   lipsteeth search (no hits)     lipsteeth as built (BUILD_DIR: wholly static, STATIC_XAPIAN=ON),
#                                  a search of the bundled corpus's index for a word it lacks: exit 1
#   lipsteeth-shared search        the same, linking the shared libraries (BUILD_DIR-shared)
#   lipsteeth --version            as built: CLI11 ends --version by throwing, the first
#                                  exception of the process (slow in a static binary)
#   lipsteeth-shared --version     the same, shared
#   lipsteeth search (no index)    fails to open the index: exit 3, by an exception too
#
# usage: bench/startup.sh    (env: RUNS, default 200; WARMUP, default 20)
# Results: bench/out/startup-<stamp>/ (summary.md, times.json, machine.txt).
source "$(dirname "$0")/common.sh"
bench_deps
bench_build lipsteeth
SHARED_BUILD_DIR="${BUILD_DIR}-shared"
cmake -S "$ROOT" -B "$SHARED_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIPSTEETH_BUILD_TESTS=OFF \
  -DLIPSTEETH_STATIC_XAPIAN=OFF >/dev/null
cmake --build "$SHARED_BUILD_DIR" -j2 --target lipsteeth >/dev/null
out=$(new_out startup)
hello="$out/hello"
mkdir -p "$hello"
cat >"$hello/hello.cpp" <<'EOF'
#include <iostream>
#include <string>
int main() { std::string s = "hello"; std::cout << s << '\n'; }
EOF
cat >"$hello/hello_xapian.cpp" <<'EOF'
#include <xapian.h>
#include <iostream>
int main() { std::cout << Xapian::version_string() << '\n'; }
EOF
g++ -O2 -static "$hello/hello.cpp" -o "$hello/hello-static"
g++ -O2 "$hello/hello.cpp" -o "$hello/hello-shared-libstdc++"
g++ -O2 "$hello/hello_xapian.cpp" -o "$hello/hello-shared-libxapian" -lxapian
echo "lipsteeth: $("$LIPSTEETH" --version); lipsteeth-shared: $("$SHARED_BUILD_DIR/cli/lipsteeth" --version)" >>"$out/machine.txt"
"$LIPSTEETH" index --quiet --db "$out/idx" "$ROOT/corpus" >/dev/null

python3 - "$out" "${RUNS:-200}" "${WARMUP:-20}" \
  "/bin/true" \
  "$hello/hello-static" \
  "$hello/hello-shared-libstdc++" \
  "$hello/hello-shared-libxapian" \
  "quest --version" \
  "$LIPSTEETH search --db $out/idx --no-facets xyzzyq" \
  "$SHARED_BUILD_DIR/cli/lipsteeth search --db $out/idx --no-facets xyzzyq" \
  "$LIPSTEETH --version" \
  "$SHARED_BUILD_DIR/cli/lipsteeth --version" \
  "$LIPSTEETH search --db $out/no-index x" <<'EOF' | tee "$out/summary.md"
import json, os, random, shlex, statistics, sys, time
out, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cmds = [shlex.split(c) for c in sys.argv[4:]]
names = [os.path.basename(c[0]) + (' ' + ' '.join(c[1:2]) if len(c) > 1 else '') for c in cmds]
devnull = os.open(os.devnull, os.O_WRONLY)
actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
times = [[] for _ in cmds]
shuffle = random.Random(1)
for r in range(warmup + runs):
    order = list(range(len(cmds)))
    shuffle.shuffle(order)
    for i in order:
        t0 = time.perf_counter()
        pid = os.posix_spawnp(cmds[i][0], cmds[i], os.environ, file_actions=actions)
        os.waitpid(pid, 0)
        if r >= warmup:
            times[i].append((time.perf_counter() - t0) * 1000)
with open(os.path.join(out, 'times.json'), 'w') as f:
    json.dump({' '.join(c): t for c, t in zip(sys.argv[4:], times)}, f)
floor = statistics.median(times[0])
print(f'{runs} runs each after {warmup} warm-up rounds, the commands in turns (order shuffled each round).\n')
print('| command | median ms | p10 ms | p90 ms | median minus /bin/true |')
print('|---|---|---|---|---|')
for c, t in zip(sys.argv[4:], times):
    s = sorted(t)
    label = c.replace(out + '/', '').replace(os.path.dirname(out) + '/', '')
    print(f'| `{label}` | {statistics.median(s):.2f} | {s[len(s) // 10]:.2f} | {s[len(s) * 9 // 10]:.2f} | '
          f'{statistics.median(s) - floor:+.2f} |')
EOF
log "results in $out"

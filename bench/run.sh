#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmark of paygen: a Release build in build-bench, then every phase and
# synthetic production profiles with 2, 3, 4 and 6 regions, N runs each.
#   sh bench/run.sh [N]        (default 30; needs cc, python3; valgrind optional)
# Prints a Markdown table per case: wall time of the whole process (median,
# min, max, ms), CPU time (user+sys, median), peak RSS (MiB, from wait4 in
# bench/runone.c), output bytes, resources across both stacks, and wall and
# CPU microseconds per resource (on a shared machine CPU time is the steadier
# figure); then validate and check on the largest case, and the top functions
# of one production generation under callgrind. docs/performance.md quotes it.
set -eu
cd "$(dirname "$0")/.."
n=${1:-30}
jobs=$(nproc 2>/dev/null || echo 2)
build=${PAYGEN_BENCH_BUILD:-build-bench}
here=$(pwd)

# -g only names the functions in the callgrind profile; the code is -O3's.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-g -DBUILD_TESTING=OFF \
  ${PAYGEN_PLUGINS+"-DPAYGEN_PLUGINS=$PAYGEN_PLUGINS"} >/dev/null
cmake --build "$build" -j "$jobs" >/dev/null
bin="$here/$build/paygen"
runone="$here/$build/runone"
cc -O2 -o "$runone" bench/runone.c
tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Synthetic profiles (in a temporary directory: they extend the repository's
# production profile with --allow-extends-outside): production over the first K of these regions, with
# non-overlapping /16s from 10.30.0.0 on (the first two keep base.yaml's).
regions="us-east-1 10.10.0.0/16
us-east-2 10.20.0.0/16
us-west-2 10.30.0.0/16
eu-west-1 10.40.0.0/16
eu-central-1 10.50.0.0/16
ap-southeast-2 10.60.0.0/16"
for k in 2 3 4 6; do
  f="$tmp/regions-$k.yaml"
  printf 'extends: %s/profiles/production.yaml\nregions:\n' "$here" >"$f"
  echo "$regions" | head -n "$k" | while read -r name cidr; do
    printf '  - name: %s\n    cidr: %s\n    azs: [%sa, %sb, %sc]\n' "$name" "$cidr" "$name" "$name" "$name"
  done >>"$f"
  # Every region serves the same share: the secondaries together get (K-1)/K.
  [ ! -d plugins/dns ] || printf "dns:\n  production_secondary_weight: %d\n" $((100 * (k - 1) / k)) >>"$f"
done

echo "paygen $("$bin" --version | sed 's/^paygen //'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), N=$n, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | runs | wall median ms | min ms | max ms | CPU median ms | peak RSS MiB | output bytes | resources | wall µs/resource | CPU µs/resource |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
# What any process costs here, and paygen doing nothing.
python3 bench/measure.py "$runone" "baseline: /bin/true" "$n" - /bin/true
python3 bench/measure.py "$runone" "baseline: paygen --version" "$n" - "$bin" --version
# What every generation pays before it builds anything: find, trust-check,
# hash and dlopen every plugin (issue 19's floor).
python3 bench/measure.py "$runone" "baseline: paygen plugins" "$n" - "$bin" plugins
for phase in legacy migration production; do
  python3 bench/measure.py "$runone" "$phase (2 regions)" "$n" "$tmp/out-$phase" \
    "$bin" --profile "profiles/$phase.yaml" -o "$tmp/out-$phase" -q || true
done
for k in 2 3 4 6; do
  python3 bench/measure.py "$runone" "production, $k regions" "$n" "$tmp/out-r$k" \
    "$bin" --profile "$tmp/regions-$k.yaml" --allow-extends-outside -o "$tmp/out-r$k" -q || true
done

largest="$tmp/out-r6"
[ -f "$largest/manifest.json" ] || largest="$tmp/out-production"
schema=${PAYGEN_PROVIDER_SCHEMA:-share/aws-provider-schema/aws-5.x.schema.json.gz}
if "$bin" validate --help >/dev/null 2>&1; then
  python3 bench/measure.py "$runone" "validate (no schema), largest" "$n" - \
    "$bin" validate --no-provider-schema "$largest" || true
  if [ -f "$schema" ]; then
    python3 bench/measure.py "$runone" "validate --provider-schema, largest" "$n" - \
      "$bin" validate --provider-schema "$schema" "$largest" || true
  fi
else
  echo "| validate | skipped: this paygen has no validate command |"
fi
if "$bin" check --help >/dev/null 2>&1; then
  python3 bench/measure.py "$runone" "check, largest" "$n" - "$bin" check "$largest" || true
else
  echo "| check | skipped: this paygen has no check command |"
fi

if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$bin" --profile profiles/production.yaml -o "$tmp/cg" -q >/dev/null 2>&1
  echo
  echo "callgrind, one production generation: $(callgrind_annotate "$tmp/cg.out" 2>/dev/null |
    sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p') instructions"
  echo
  echo "inclusive cost of paygen's own functions (top 15):"
  callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null |
    grep -E '(core|plugins)/[^ ]*:' | grep -v "'[0-9]" | sed 's/ \[.*//; s|/[^ ]*/\(core/\)|\1|; s|/[^ ]*/\(plugins/\)|\1|' |
    awk '!seen[$NF]++' | sed -n '1,15p' | sed 's/^/    /'
  echo
  echo "self cost (top 15):"
  callgrind_annotate "$tmp/cg.out" 2>/dev/null | sed -n '/file:function/,$p' | grep -v '^-' | sed -n '2,16p' |
    sed 's/ \[.*//; s/^/    /'
fi

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harnesses with clang (ASan+UBSan) into build-fuzz and
# runs each for a bounded time on a copy of its seed corpus.
#   sh tests/fuzz/run.sh [SECONDS]        (default 60 per harness)
# Needs clang and its fuzzer runtime: apt-get install clang libclang-rt-14-dev
# New crashes are left in build-fuzz/fuzz/artifacts/<harness>/ and make the
# script fail; a crash in the profile loader belongs in tests/data/profiles-bad/.
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-60}
jobs=$(nproc 2>/dev/null || echo 2)
build=${PAYGEN_FUZZ_BUILD:-build-fuzz}

command -v clang >/dev/null || { echo "run.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
# Only the core is fuzzed: one plugin keeps the configure step independent of the others.
CC=clang cmake -S . -B "$build" -DPAYGEN_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=OFF -DPAYGEN_PLUGINS=kms >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_profile fuzz_json

# Leaks are bugs too; aliases and deep input must stay bounded in memory.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for harness in profile json; do
  seeds=tests/fuzz/corpus/$harness
  work=$build/fuzz/corpus/$harness
  artifacts=$build/fuzz/artifacts/$harness
  mkdir -p "$work" "$artifacts"
  cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  if [ "$harness" = json ]; then
    dict=""
  else
    dict="-dict=tests/fuzz/profile.dict"
  fi
  echo "== fuzz_$harness for ${seconds}s (corpus $work)"
  # shellcheck disable=SC2086
  if ! "$build/fuzz/fuzz_$harness" $dict -max_total_time="$seconds" -rss_limit_mb=2048 \
       -timeout=10 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
       "$work" 2>"$build/fuzz/fuzz_$harness.log"; then
    status=1
    echo "fuzz_$harness: FAILED, see $build/fuzz/fuzz_$harness.log and $artifacts/" >&2
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
    "$build/fuzz/fuzz_$harness.log" || true
  grep -E 'ERROR: |SUMMARY: ' "$build/fuzz/fuzz_$harness.log" | head -5 || true
done
exit $status

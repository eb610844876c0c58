#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every test: a normal build with ctest, the same suite under AddressSanitizer
# and UndefinedBehaviorSanitizer, and valgrind memcheck on full generations.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build and ctest"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== ASan + UBSan build and ctest"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPAYGEN_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE "no-sanitizer|terraform"

echo "== valgrind memcheck"
for phase in legacy migration production; do
  valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    ./build/paygen --profile "profiles/$phase.yaml" -o "build/valgrind-out/$phase" -q
done
echo "all tests passed"

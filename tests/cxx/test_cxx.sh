#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The public headers compile as C++17 (paygen.h promises it): a plugin using
# every item macro, the settings macros and PG_PLUGIN_DEFINE is built as a
# shared object with -Wall -Wextra -Wpedantic -Werror by each C++ compiler
# found, loaded by paygen, and run through the test kit (testkit.h, also
# compiled as C++) to check what it wrote.
# usage: test_cxx.sh SOURCE_DIR LIBPAYGEN PAYGEN   (exit 77: no C++ compiler)
set -eu
src=$1 lib=$2 paygen=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-cxx.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cjson_cflags=$(pkg-config --cflags libcjson 2>/dev/null || true)
cjson_libs=$(pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
flags="-std=c++17 -Wall -Wextra -Wpedantic -Werror -I$src/core/include"
libdir=$(dirname "$lib")

seen="" tested=0
for cxx in ${CXX:-} c++ g++ clang++; do
  path=$(command -v "$cxx" 2>/dev/null) || continue
  real=$(readlink -f "$path")
  case " $seen " in *" $real "*) continue ;; esac
  seen="$seen $real"
  tested=$((tested + 1))
  out="$tmp/$tested"
  mkdir -p "$out/plugins"
  # shellcheck disable=SC2086 # word splitting of the flag lists
  $cxx $flags $cjson_cflags -fPIC -shared -o "$out/plugins/cxx.so" "$src/tests/cxx/plugin.cpp" \
    "$lib" $cjson_libs || { echo "FAIL: $cxx cannot build the plugin as C++17"; exit 1; }
  # shellcheck disable=SC2086
  $cxx $flags $cjson_cflags -o "$out/driver" "$src/tests/cxx/driver.cpp" "$lib" $cjson_libs \
    "-Wl,-rpath,$libdir" || { echo "FAIL: $cxx cannot build a test kit program as C++17"; exit 1; }
  "$paygen" plugins --plugin-path "$out/plugins" >"$out/plugins.txt" 2>&1 || true
  grep -Eq '^cxx +1\.0\.0 +2\.1 +ok ' "$out/plugins.txt" ||
    { cat "$out/plugins.txt"; echo "FAIL: paygen does not load the plugin $cxx built"; exit 1; }
  "$out/driver" "$src/tests/data/profiles/core-only.yaml" "$out/plugins" ||
    { echo "FAIL: the plugin $cxx built wrote something else"; exit 1; }
  echo "ok: $cxx ($real)"
done
[ "$tested" -gt 0 ] || { echo "SKIP: no C++ compiler"; exit 77; }

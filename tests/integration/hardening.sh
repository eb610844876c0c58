#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The built binaries carry the hardening of cmake/Hardening.cmake, and a
# library planted in the current directory is never loaded.
#   sh hardening.sh BUILD_DIR BUILD_TYPE     (exit 77: readelf or cc missing)
set -u
build=$1 type=${2:-RelWithDebInfo}
command -v readelf >/dev/null && command -v cc >/dev/null || { echo "SKIP: readelf or cc missing"; exit 77; }
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

lib=$(ls "$build"/libpaygen.so.* | head -n 1)
for f in "$build/paygen" "$build/install-tree/paygen" "$lib" "$build/plugins/kms.so"; do
  name=${f#"$build"/}
  dyn=$(readelf -d "$f")
  # An empty RUNPATH entry (leading, trailing or doubled ':') means the current directory.
  runpath=$(echo "$dyn" | sed -n 's/.*R[UN]*PATH.*\[\(.*\)\]/\1/p')
  case "${runpath:+:$runpath:}" in *::*) fail "$name: RUNPATH '$runpath' has an empty entry (the current directory)" ;; *) ok "$name: no empty RUNPATH entry" ;; esac
  echo "$dyn" | grep -q 'BIND_NOW\|Flags:.*NOW' && ok "$name: BIND_NOW" || fail "$name: not linked with -z now"
  readelf -lW "$f" | grep -q GNU_RELRO && ok "$name: RELRO" || fail "$name: no GNU_RELRO segment"
done
readelf -h "$build/paygen" | grep -q 'DYN (Position-Independent' && ok "paygen: PIE" || fail "paygen: not a PIE"
syms=$(readelf --dyn-syms -W "$lib")
echo "$syms" | grep -q '__stack_chk_fail' && ok "libpaygen: stack protector" || fail "libpaygen: no __stack_chk_fail"
if [ "$type" != Debug ]; then
  echo "$syms" | grep -q '__[a-z]*_chk@' && ok "libpaygen: FORTIFY_SOURCE" || fail "libpaygen: no fortified libc calls"
fi

# A libcjson.so.1 in the working directory announces itself when loaded.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-hardening.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdio.h>\n__attribute__((constructor)) static void planted(void) { puts("PLANTED LIBRARY LOADED"); }\n' >"$tmp/planted.c"
# (Not planted, nothing could be loaded: that fails rather than passes.)
cc -shared -fPIC -o "$tmp/libcjson.so.1" "$tmp/planted.c" -Wl,-soname,libcjson.so.1 &&
  cp "$tmp/libcjson.so.1" "$tmp/libyaml-0.so.2" && cp "$tmp/libcjson.so.1" "$tmp/libpaygen.so.0" ||
  fail "cannot build the planted libraries"
# (With -z now a planted library without cJSON's symbols stops the process
# before its constructor runs: a failure to start counts as loaded too.)
out=$(cd "$tmp" && "$build/paygen" --version 2>&1)
rc=$?
case "$rc:$out" in
  0:paygen*) ok "a library in the current directory is not loaded" ;;
  *) fail "paygen --version in a directory with planted libraries: exit $rc: $out" ;;
esac

[ $failures -eq 0 ]

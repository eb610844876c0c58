# SPDX-License-Identifier: Apache-2.0
# lib.sh - the fault tests' harness, sourced by every tests/faults/*.sh:
# an earlier output in $work/out, and expect(), which runs a command and
# checks its exit status, its message, and that the earlier output is
# exactly as it was; verdict(), run() and tree() for what expect() cannot
# check; fault_shim() for injected faults. Each script calls finish at its end.
#   . lib.sh   with build and source set (BUILD_DIR SOURCE_DIR of the script)
set -u
paygen="$build/paygen"
fixtures="$build/fixture-plugins"
work=$(mktemp -d "${TMPDIR:-/tmp}/paygen-faults.XXXXXX")
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0

"$paygen" --profile "$source/profiles/legacy.yaml" -o "$work/out" -q || { echo "cannot make the earlier output"; exit 1; }
# tree DIR: the sha256 of every file below DIR (fails when DIR is not there)
tree() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
snapshot() { tree "$work/out"; }
before=$(snapshot)

# expect NAME STATUS TEXT -- ARGS: paygen ARGS exits with STATUS (or any
# non-zero for "fail"), says TEXT, and leaves the earlier output alone.
expect() {
  name=$1 status=$2 text=$3
  shift 4
  output=$("$@" 2>&1)
  rc=$?
  ok=1
  if [ "$status" = fail ]; then [ "$rc" -ne 0 ] || ok=0; else [ "$rc" -eq "$status" ] || ok=0; fi
  case "$output" in *"$text"*) ;; *) ok=0 ;; esac
  [ "$(snapshot)" = "$before" ] || { ok=0; output="$output
(the earlier output changed)"; }
  [ -z "$(find "$work/out" -name '*.tmp-*')" ] || { ok=0; output="$output
(a temporary file was left behind)"; }
  if [ $ok = 1 ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: exit $rc, expected $status and: $text"
    echo "$output" | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

# verdict NAME OK DETAIL: for what expect() cannot check (it wants $work/out
# unchanged, and some cases change it or look elsewhere)
verdict() {
  if [ "$2" = 1 ]; then echo "ok   $1"; else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}
# run COMMAND...: its exit status in $rc, what it said in $said
run() { said=$("$@" 2>&1); rc=$?; }

# fault_shim: builds tests/faults/writer_faults.c as $shim for LD_PRELOAD
# with the build's C compiler. Fails, saying why, when the faults cannot be
# injected here (a sanitizer build, no compiler); a compiler that cannot
# build the shim is a failure, not a skip.
fault_shim() {
  shim=$work/writer_faults.so
  if ldd "$paygen" 2>/dev/null | grep -q 'libasan\|libtsan'; then
    echo "skip injected faults (a sanitizer build: its runtime must be loaded first)"
    return 1
  fi
  cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
  cc=${cc:-cc}
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "skip injected faults (no C compiler)"
    return 1
  fi
  run "$cc" -shared -fPIC -o "$shim" "$source/tests/faults/writer_faults.c" -ldl
  ok=0; [ $rc = 0 ] && ok=1
  verdict "the fault injection shim builds" $ok "exit $rc: $said"
  [ $ok = 1 ]
}

finish() {
  [ $failures -eq 0 ] && echo "all fault tests passed" || echo "$failures fault test(s) failed"
  [ $failures -eq 0 ]
}

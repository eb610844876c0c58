# SPDX-License-Identifier: Apache-2.0
# lib.sh - the fault tests' harness, sourced by every tests/faults/*.sh:
# an earlier output in $work/out, and expect(), which runs a command and
# checks its exit status, its message, and that the earlier output is
# exactly as it was. Each script calls finish at its end.
#   . lib.sh   with build and source set (BUILD_DIR SOURCE_DIR of the script)
set -u
paygen="$build/paygen"
fixtures="$build/fixture-plugins"
work=$(mktemp -d "${TMPDIR:-/tmp}/paygen-faults.XXXXXX")
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0

"$paygen" --profile "$source/profiles/legacy.yaml" -o "$work/out" -q || { echo "cannot make the earlier output"; exit 1; }
snapshot() { (cd "$work/out" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
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

finish() {
  [ $failures -eq 0 ] && echo "all fault tests passed" || echo "$failures fault test(s) failed"
  [ $failures -eq 0 ]
}

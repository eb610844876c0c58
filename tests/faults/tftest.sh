#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# paygen generate --tests (issue 18): the terraform test files are written
# with the stacks and under the same guarantee (no link below the output
# followed, a failure at any step leaves the previous output byte-identical,
# the directories a failed run made removed), the same profile gives the
# same bytes, and without --tests the output is what it always was.
#   sh tests/faults/tftest.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
legacy=$source/profiles/legacy.yaml rds=$source/profiles/examples/from-rds-postgresql.yaml
out=$work/out
plain=$before

files="stacks/bootstrap/tests/paygen.tftest.json stacks/payment/tests/paygen.tftest.json"

# --- what is written
run "$paygen" --profile "$legacy" -o "$work/t1" --tests
ok=1
for f in $files; do [ -f "$work/t1/$f" ] || ok=0; done
case "$said" in *"stacks/payment/tests/paygen.tftest.json: runs plan, variables_rejected (prevent_destroy"*) ;; *) ok=0 ;; esac
verdict "--tests writes each stack's test files and names them" $ok "exit $rc: $said $(cd "$work/t1" && find . -type f)"
run "$paygen" --profile "$legacy" -o "$work/t2" --tests -q
ok=0; [ $rc = 0 ] && [ "$(tree "$work/t1")" = "$(tree "$work/t2")" ] && ok=1
verdict "the same profile gives the same bytes" $ok "the two outputs differ"
ok=0; [ "$(stat -c %a "$work/t1/stacks/payment/tests" "$work/t1/stacks/payment/tests/paygen.tftest.json" | tr '\n' ' ')" = "755 644 " ] && ok=1
verdict "modes 0755 and 0644" $ok "$(stat -c '%a %n' "$work/t1/stacks/payment/tests"/*)"
run "$paygen" --profile "$legacy" -o "$work/p1" -q
ok=0; [ $rc = 0 ] && [ "$(tree "$work/p1")" = "$plain" ] && [ ! -e "$work/p1/stacks/payment/tests" ] && ok=1
verdict "without --tests: the output of before, no tests/" $ok "exit $rc: $said"
# an RDS instance moved, unprotected: nothing imported, so applied
run "$paygen" --profile "$rds" -o "$work/s1" --tests -q --set protection=false --set environment=staging --set phase=migration
ok=0; grep -q '"apply"' "$work/s1/stacks/payment/tests/paygen.tftest.json" && ! grep -q override_during "$work/s1/stacks/payment/tests/paygen.tftest.json" && ok=1
verdict "an unprotected profile is applied (and destroyed)" $ok "no apply run"

# --- an earlier output with test files: a run without --tests says they are stale
run "$paygen" --profile "$legacy" -o "$out" --tests -q
before=$(snapshot)
expect "without --tests over test files: a warning" 0 \
  "stacks/payment/tests/paygen.tftest.json was written by an earlier --tests run" -- \
  "$paygen" --profile "$legacy" -o "$out"

# --- failures leave the output as it was
if fault_shim; then
  # the stacks, the two test files, the function package, then the manifest: the 6th swap
  expect "the manifest's swap fails after the test files'" 1 "manifest.json: cannot replace" -- \
    env LD_PRELOAD="$shim" FAULT=renameat2:6:EIO "$paygen" --profile "$rds" -o "$out" --tests
  expect "a test file's swap fails" 1 "stacks/bootstrap/tests/paygen.tftest.json: cannot replace" -- \
    env LD_PRELOAD="$shim" FAULT=renameat2:4:EIO "$paygen" --profile "$rds" -o "$out" --tests
  expect "disk full flushing a test file" 1 "stacks/payment/tests/paygen.tftest.json: cannot write" -- \
    env LD_PRELOAD="$shim" FAULT=fsync:3:ENOSPC "$paygen" --profile "$rds" -o "$out" --tests
  # over an output without tests/: the directories the failed run made go
  rm -rf "$work/fresh"
  cp -R "$work/p1" "$work/fresh"
  fresh=$(tree "$work/fresh")
  # (new files are linked in, not swapped: the 3rd swap is the function package)
  run env LD_PRELOAD="$shim" FAULT=renameat2:3:EIO "$paygen" --profile "$legacy" -o "$work/fresh" --tests
  ok=0; [ $rc = 1 ] && [ "$(tree "$work/fresh")" = "$fresh" ] && [ ! -e "$work/fresh/stacks/payment/tests" ] &&
    [ ! -e "$work/fresh/stacks/bootstrap/tests" ] && ok=1
  verdict "a failed run removes the tests/ directories it made" $ok "exit $rc: $(find "$work/fresh/stacks")"
fi

# --- no link below the output is followed
mkdir "$work/elsewhere"
mv "$out/stacks/payment/tests" "$work/saved"
ln -s "$work/elsewhere" "$out/stacks/payment/tests"
before=$(snapshot)
expect "stacks/payment/tests is a link" 1 "stacks/payment/tests: is a symbolic link" -- \
  "$paygen" --profile "$legacy" -o "$out" --tests
ok=0; [ -z "$(ls -A "$work/elsewhere")" ] && ok=1
verdict "stacks/payment/tests is a link: nothing written where it points" $ok "$(ls -A "$work/elsewhere")"
rm "$out/stacks/payment/tests"
mv "$work/saved" "$out/stacks/payment/tests"
rm "$out/stacks/payment/tests/paygen.tftest.json"
echo "another project's file" > "$work/victim"
ln -s "$work/victim" "$out/stacks/payment/tests/paygen.tftest.json"
before=$(snapshot)
expect "a test file is a link" 1 "stacks/payment/tests/paygen.tftest.json: exists and is not a regular file" -- \
  "$paygen" --profile "$legacy" -o "$out" --tests
ok=0; [ "$(cat "$work/victim")" = "another project's file" ] && ok=1
verdict "a test file is a link: its target is untouched" $ok "$(cat "$work/victim")"

finish

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fault tests: every bad input fails with its exact error and a non-zero
# exit, and an earlier output directory is left exactly as it was.
#   sh tests/faults/run.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"

for f in "$source"/tests/data/profiles-bad/*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$f")
  expect "$(basename "$f")" 1 "$want" -- "$paygen" --profile "$f" -o "$work/out" -q
done

expect "profile is a directory" 1 "is a directory, not a profile" -- \
  "$paygen" --profile "$source/profiles" -o "$work/out"
expect "missing profile" 1 "nope.yaml: No such file or directory" -- \
  "$paygen" --profile "$source/profiles/nope.yaml" -o "$work/out"
expect "incompatible plugin" 1 "bad_abi.so: plugin '?' speaks ABI 1.0; this paygen speaks 2.1" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/bad_abi"
expect "descriptor shorter than its ABI" 1 "bytes is smaller than ABI 2.0's" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/short_descriptor"
expect "not a plugin" 1 "not a paygen plugin: no paygen_plugin_entry symbol" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/no_entry"
expect "conflicting plugins" 1 "plugin conflicter: writes aws_kms_key.database_use1 in stack payment, already written by kms" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/conflicter"
expect "plugin writing a dangling reference" 1 "aws_nothing.here" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/dangler"
expect "crashing plugin" fail "crashed while running plugin crasher" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out" --plugin-path "$fixtures/crasher"

# output that cannot be written
: > "$work/file"
expect "output below a file" 1 "cannot create directory" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/file/out"
expect "output is /dev/full" 1 "/dev/full" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o /dev/full
mv "$work/out/stacks/payment/cdk.tf.json" "$work/saved.json"
mkdir "$work/out/stacks/payment/cdk.tf.json"
before_blocked=$(snapshot)
expect_blocked() { before=$before_blocked; expect "$@"; }
expect_blocked "stack file blocked by a directory" 1 "exists and is not a regular file" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out"
rmdir "$work/out/stacks/payment/cdk.tf.json"
mv "$work/saved.json" "$work/out/stacks/payment/cdk.tf.json"
before=$(snapshot)
# a full disk: the file size limit makes write() fail with EFBIG
expect "disk full while writing" 1 "cannot write" -- \
  sh -c 'trap "" XFSZ; ulimit -f 8; exec "$0" "$@"' "$paygen" --profile "$source/profiles/migration.yaml" -o "$work/out"

finish

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# paygen validate's summary line counts what it could not read (issue 18):
# a document that fails to parse is a document and an error, whether it was
# found through the output directory or named on the command line, and the
# exit status says the same.
#   sh tests/faults/validate_summary.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
pg() { timeout 10 "$paygen" "$@"; }

expect "a valid output" 0 "validate: 2 documents, 0 errors" -- pg validate --no-provider-schema "$work/out"

rm -rf "$work/broken"
cp -R "$work/out" "$work/broken"
printf '{"resource": ' > "$work/broken/stacks/payment/cdk.tf.json"
expect "a stack that does not parse: its message" 1 "broken/stacks/payment/cdk.tf.json:1:14: not valid JSON" -- \
  pg validate --no-provider-schema "$work/broken"
expect "a stack that does not parse: counted" 1 "validate: 2 documents, 1 error, 0 warnings" -- \
  pg validate --no-provider-schema "$work/broken"
expect "the file given, alone" 1 "validate: 1 document, 1 error," -- \
  pg validate --no-provider-schema "$work/broken/stacks/payment/cdk.tf.json"
expect "the file given, with a good one" 1 "validate: 2 documents, 1 error," -- \
  pg validate --no-provider-schema "$work/broken/stacks/payment/cdk.tf.json" "$work/out/stacks/payment/cdk.tf.json"
printf '{"a": 1, "a": 2}' > "$work/broken/stacks/bootstrap/cdk.tf.json"
expect "two refused stacks" 1 "validate: 2 documents, 2 errors," -- pg validate --no-provider-schema "$work/broken"
expect "a path that does not exist" 1 "validate: 0 documents, 1 error," -- \
  pg validate --no-provider-schema "$work/nothing-here"

finish

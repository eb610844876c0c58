#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# paygen diff and today's platform (issue 15): "nothing" is the empty side,
# so `paygen diff nothing B` is the adoption step with its own verdict;
# an import whose block would replace what it imports, a replacement-forcing
# change of an adopted database and the promotion of a replica are unsafe.
#   sh tests/faults/diff_adoption.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
data=$source/tests/data/diff-adoption
pg() { timeout 10 "$paygen" "$@"; }

expect "adoption from nothing: safe" 0 \
  "adoption nothing -> $data/legacy: 2 existing resources brought under management by import, nothing adopted is replaced; stacks/payment: terraform plan must read \"Plan: 2 to import, 1 to add, ..., 0 to destroy\"" -- \
  pg diff nothing "$data/legacy"
expect "adoption from nothing: the adopted are listed" 0 \
  "> aws_rds_cluster.main_use1 (import id payment-legacy-db)  <adopted, stateful>" -- \
  pg diff --from nothing --to "$data/legacy"
expect "adoption from nothing: its rollback destroys today's database" 1 \
  "destruction of an existing database (adopted by import, id payment-legacy-db)" -- \
  pg diff "$data/legacy" nothing
expect "adoption from nothing: json" 0 '"import_id": "payment-legacy-db"' -- \
  pg diff --format json nothing "$data/legacy"
expect "adoption without imports" 0 \
  "adoption nothing -> $data/replica: nothing is imported; every resource is new" -- \
  pg diff nothing "$data/replica"
expect "adoption that replaces what it imports" 1 \
  "adoption nothing -> $data/legacy-mismatch: UNSAFE: 1 existing resource adopted by import would be replaced" -- \
  pg diff nothing "$data/legacy-mismatch"
expect "replacement of an adopted database" 1 \
  "replacement of an existing database (adopted by import, id payment-legacy-db)" -- \
  pg diff "$data/legacy" "$data/legacy-kms"
expect "promotion of the replica" 1 "promotion of the replica: writes must be frozen on the source first" -- \
  pg diff "$data/replica" "$data/promoted"
expect "promotion of the replica: verdict" 1 "UNSAFE: 1 replica promoted;" -- \
  pg diff "$data/replica" "$data/promoted"
expect "./nothing is a path" 2 "./nothing: no manifest.json and no stacks/*/cdk.tf.json" -- \
  sh -c "mkdir -p '$work/n/nothing' && cd '$work/n' && '$paygen' diff ./nothing '$data/legacy'"

finish

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `terraform validate` on every stack of every phase, when a terraform binary
# and a local mirror of the AWS provider are at hand (no network is used).
# Exits 77 (skipped) otherwise: the provider-schema validation in
# test_phases is the check that runs everywhere.
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 5
# Every phase of today's Aurora cluster, and of an
# RDS instance moved by a read replica or by DMS.
while read -r profile file phase; do
  "$paygen" --profile "$source/$file" --set "phase=$phase" -o "$work/$profile" -q
  for stack in bootstrap payment; do
    dir="$work/$profile/stacks/$stack"
    terraform -chdir="$dir" init -backend=false -plugin-dir="$mirror" -input=false -no-color >"$work/init.log" 2>&1 ||
      { cat "$work/init.log"; exit 1; }
    echo "== $profile/$stack"
    terraform -chdir="$dir" validate -no-color
  done
done <<EOF
legacy profiles/legacy.yaml legacy
migration profiles/migration.yaml migration
production profiles/production.yaml production
rds-replica-legacy profiles/examples/from-rds-postgresql.yaml legacy
rds-replica-migration profiles/examples/from-rds-postgresql.yaml migration
rds-replica-production profiles/examples/from-rds-postgresql.yaml production
rds-dms-legacy profiles/examples/from-rds-postgresql-dms.yaml legacy
rds-dms-migration profiles/examples/from-rds-postgresql-dms.yaml migration
rds-dms-production profiles/examples/from-rds-postgresql-dms.yaml production
EOF

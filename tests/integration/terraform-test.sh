#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The offline tests paygen generate --tests writes, run by Terraform for
# every phase and the staging rehearsal: for each stack, terraform init
# -backend=false from the local provider mirror, terraform validate (the
# test file included), terraform test in the environment's workspace
# (mocked provider: every expression evaluated, the provider's own
# validation of every argument and mocked value, variable validations,
# preconditions; apply and destroy where nothing has prevent_destroy), and
# the same test in another workspace, where the workspace guard must fail
# the first run and nothing else may fail. Production is also run with
# protection off, so that every phase is applied once (migration's shape by
# the staging rehearsal). No network, no AWS credentials. Exits 77
# (skipped) without terraform 1.11 or later (override_during) or without the
# mirror; see terraform-validate.sh.
#   sh tests/integration/terraform-test.sh PAYGEN SOURCE_DIR
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 11

# step WHAT COMMAND...: quiet when it passes, its whole output when not
step() {
  what=$1
  shift
  if ! "$@" >"$work/log" 2>&1; then
    echo "FAIL $what: $*"
    cat "$work/log"
    exit 1
  fi
}
# passed: the test's summary line, and no run skipped (a run after a
# failed one is skipped, and a skipped run proves nothing)
passed() {
  line=$(grep -E '^(Success|Failure)!' "$work/log" | tail -n 1)
  case "$line" in
    Success!*skipped*|"") echo "FAIL $1: $line"; cat "$work/log"; exit 1 ;;
  esac
  echo "$line"
}

# wrong_workspace WHAT DIR ENVIRONMENT: the test in another workspace fails,
# with one error, the guard's precondition
wrong_workspace() {
  if TF_WORKSPACE=paygen-wrong-workspace terraform -chdir="$2" test -no-color >"$work/log" 2>&1; then
    echo "FAIL $1: terraform test passed in the workspace paygen-wrong-workspace"
    cat "$work/log"
    exit 1
  fi
  errors=$(grep -c '^Error: ' "$work/log" || true)
  if [ "$errors" != 1 ] || ! grep -q '^Error: Resource precondition failed' "$work/log" ||
    ! grep -q 'resource.terraform_data.workspace_guard.lifecycle.precondition' "$work/log" ||
    ! grep -q "belongs to the $3 environment" "$work/log"; then
    echo "FAIL $1: in another workspace, expected the workspace guard's failure and no other"
    cat "$work/log"
    exit 1
  fi
}

# NAME PROFILE [--set ...]
check() {
  name=$1 profile=$2
  shift 2
  out=$work/$name
  step "$name: generate" "$paygen" --profile "$source/$profile" -o "$out" -q --tests "$@"
  environment=$(sed -n 's/^ *"environment": "\([a-z0-9]*\)",*$/\1/p' "$out/manifest.json" | head -n 1)
  [ -n "$environment" ] || { echo "FAIL $name: no environment in $out/manifest.json"; exit 1; }
  for stack in bootstrap payment; do
    dir=$out/stacks/$stack
    step "$name/$stack: init" terraform -chdir="$dir" init -backend=false -plugin-dir="$mirror" -input=false -no-color
    step "$name/$stack: validate" terraform -chdir="$dir" validate -no-color
    step "$name/$stack: test" env TF_WORKSPACE="$environment" terraform -chdir="$dir" test -no-color
    # (passed's exit ends only the $(...): say what it said, then stop)
    runs=$(passed "$name/$stack: test") || { echo "$runs"; exit 1; }
    wrong_workspace "$name/$stack" "$dir" "$environment"
    echo "ok   $name/$stack: $runs (workspace $environment); the guard refuses another workspace"
  done
}

check legacy profiles/legacy.yaml
check migration profiles/migration.yaml
check production profiles/production.yaml
check staging-rehearsal profiles/examples/staging-rehearsal.yaml
check production-unprotected profiles/production.yaml --set protection=false
# applied and destroyed: an RDS instance moved, unprotected (no import blocks,
# which mocked providers cannot apply)
check rds-applied profiles/examples/from-rds-postgresql.yaml --set protection=false --set environment=staging --set phase=migration
# today's RDS for PostgreSQL instance: an Aurora read replica, then promoted
check rds-replica-legacy profiles/examples/from-rds-postgresql.yaml
check rds-replica-migration profiles/examples/from-rds-postgresql.yaml --set phase=migration
check rds-replica-production profiles/examples/from-rds-postgresql.yaml --set phase=production
# the same moved by AWS DMS
check rds-dms-legacy profiles/examples/from-rds-postgresql-dms.yaml
check rds-dms-migration profiles/examples/from-rds-postgresql-dms.yaml --set phase=migration

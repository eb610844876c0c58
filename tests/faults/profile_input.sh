#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Profile input from a merge request or a CI variable: --set values that are
# not UTF-8 or hold control characters, profile values that look like
# Terraform templates, and extends: outside the repository with and without
# --allow-extends-outside. (Bad profile files are in tests/data/profiles-bad.)
#   sh tests/faults/profile_input.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
source=$(cd "$source" && pwd)
migration="$source/profiles/migration.yaml"

expect "--set value not UTF-8" 1 "--set 'suffix=\\xff\\xfe': not valid UTF-8 (byte 8)" -- \
  "$paygen" --profile "$migration" --set "$(printf 'suffix=\377\376')" -o "$work/out" -q
expect "--set value with control characters, echoed escaped" 1 \
  "unknown phase 'x\\x1b]0;owned\\x07\\nforged: ok' (legacy, migration or production)" -- \
  "$paygen" --profile "$migration" --set "$(printf 'phase=x\033]0;owned\007\nforged: ok')" -o "$work/out" -q
expect "--set malformed, echoed escaped" 1 "--set 'novalue\\tx': expected KEY=VALUE" -- \
  "$paygen" --profile "$migration" --set "$(printf 'novalue\tx')" -o "$work/out" -q

# A template in a value arrives as literal text: "$${" for "${", "%%{" for "%{".
expect "--set template is written escaped" 0 '"values": ["$${file(\"/etc/passwd\")}"]' -- \
  sh -c '"$1" --profile "$2" -o "$3" -q --set "legacy.subnet_ids=[]" --set "legacy.subnet_tag_value=\${file(\"/etc/passwd\")}" &&
         grep -F "\${file(" "$3/stacks/payment/cdk.tf.json"' sh "$paygen" "$migration" "$work/escaped"

# A shared base profile outside the repository: refused, unless asked for.
printf 'extends: %s\nsuffix: shr001\n' "$migration" >"$work/shared.yaml"
expect "absolute extends refused" 1 "is an absolute path" -- \
  "$paygen" --profile "$work/shared.yaml" -o "$work/out" -q
expect "absolute extends with --allow-extends-outside" 0 "" -- \
  "$paygen" --profile "$work/shared.yaml" -o "$work/shared-out" -q --allow-extends-outside
expect "graph takes --allow-extends-outside" 0 "digraph" -- \
  "$paygen" graph --profile "$work/shared.yaml" --allow-extends-outside
expect "diff takes --allow-extends-outside" 0 "" -- \
  "$paygen" diff "$work/shared.yaml" "$work/shared.yaml" --allow-extends-outside
expect "settings tolerates --allow-extends-outside" 0 "suffix" -- \
  "$paygen" settings --allow-extends-outside

# A plugin's message echoing a value cannot forge a line of its own: one
# message, one line, the newline shown as \n.
forged=$(printf 'database.engine_version=15.4\npaygen: all checks passed')
expect "a value cannot forge a message line" 1 \
  "paygen: plugin aurora: database.engine_version '15.4\\npaygen: all checks passed' is not" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" --set "$forged" -o "$work/out"
lines=$("$paygen" --profile "$source/profiles/migration.yaml" --set "$forged" -o "$work/out" 2>&1 |
  grep -c '^paygen: all checks passed')
[ "$lines" -eq 0 ] && echo "ok   no forged line" ||
  { echo "FAIL a forged line was printed"; failures=$((failures + 1)); }

finish

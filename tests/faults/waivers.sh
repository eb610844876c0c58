#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Waivers come from reviewed files (--waivers FILE, --profile P), never from
# the output: manifest.json's waive nothing; a bad waiver fails at
# FILE:LINE:COL; an expired one waives nothing; a critical rule needs
# --allow-critical-waivers. Fixtures: tests/data/check/waivers/.
#   sh tests/faults/waivers.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"

d="$source/tests/data/check/waivers"
doc="$source/tests/data/check/violations.json" # PCI-KMS-001, KMS-002, EC2-004, SNS-001
tab=$(printf '\t')

# output/manifest.json waives the critical PCI-RDS-005 and the two others
expect "manifest waivers are ignored" 1 "manifest.json lists 3 waivers: ignored; pass --waivers FILE" -- \
  "$paygen" check "$d/output"
expect "manifest waiver of a critical rule" 1 "PCI-RDS-005 critical payment/aws_db_instance.legacy" -- \
  "$paygen" check "$d/output"
expect "manifest waivers count as violations" 1 "3 violations, 0 waived" -- \
  "$paygen" check "$d/output"

expect "valid waivers file" 0 "1 document, 0 violations, 4 waived" -- \
  "$paygen" check --waivers "$d/valid.yaml" "$doc"
expect "waived finding with owner and expiry" 0 \
  "PCI-KMS-001 waived check/aws_kms_key.k: enable_key_rotation is not true [PCI DSS 3.7.4; Security Hub KMS.4] (waiver: HSM-backed key, rotated by hand every 90 days; owner platform-team, expires 2999-12-31, $d/valid.yaml:3:5)" -- \
  "$paygen" check --waivers "$d/valid.yaml" "$doc"
expect "SARIF suppression accepted" 0 "\"status\":$tab\"accepted\"" -- \
  "$paygen" check --format sarif --waivers "$d/valid.yaml" "$doc"
expect "SARIF suppression justification" 0 \
  "\"justification\":$tab\"HSM-backed key, rotated by hand every 90 days (owner: platform-team; expires: 2999-12-31)\"" -- \
  "$paygen" check --format sarif --waivers "$d/valid.yaml" "$doc"
expect "waivers from the profile" 0 "0 violations, 4 waived" -- \
  "$paygen" check --profile "$d/profile.yaml" "$doc"

expect "expired waiver" 1 \
  "expired.yaml:2:5: the waiver of PCI-KMS-001 (owner platform-team) expired on 2001-01-01: not applied" -- \
  "$paygen" check --waivers "$d/expired.yaml" "$doc"
expect "expired waiver waives nothing" 1 "1 violation, 3 waived" -- \
  "$paygen" check --waivers "$d/expired.yaml" "$doc"
expect "malformed expiry" 1 "bad-date.yaml:4:14: expires '2027-02-30' is not a date YYYY-MM-DD" -- \
  "$paygen" check --waivers "$d/bad-date.yaml" "$doc"
expect "unknown rule" 1 "unknown-rule.yaml:2:11: unknown rule 'PCI-KMS-01' (did you mean PCI-KMS-001?)" -- \
  "$paygen" check --waivers "$d/unknown-rule.yaml" "$doc"
expect "unknown key" 1 "unknown-key.yaml:6:5: unknown key 'approved_by' in a waiver" -- \
  "$paygen" check --waivers "$d/unknown-key.yaml" "$doc"
expect "missing owner" 1 "missing-field.yaml:2:5: waiver without owner" -- \
  "$paygen" check --waivers "$d/missing-field.yaml" "$doc"
expect "profile in the old form" 1 \
  "profile-old-form.yaml:2:3: check.waivers item 1: waiver 'PCI-KMS-001: HSM-backed key, rotated by hand' must read 'RULE-ID: owner | YYYY-MM-DD | reason'" -- \
  "$paygen" check --profile "$d/profile-old-form.yaml" "$doc"

expect "critical without the flag" 1 \
  "critical.yaml:10:11: PCI-RDS-005 is a critical rule (Database instances not publicly accessible): waiving it needs --allow-critical-waivers" -- \
  "$paygen" check --waivers "$d/critical.yaml" "$d/output"
expect "critical with the flag" 0 "1 document, 0 violations, 3 waived" -- \
  "$paygen" check --waivers "$d/critical.yaml" --allow-critical-waivers "$d/output"

# generation checks a profile's waivers in the same form, so a bad one fails early
expect "generation refuses a waiver in the old form" 1 \
  "--set: check.waivers item 1: waiver 'PCI-ELB-005: behind CloudFront' must read 'RULE-ID: owner | YYYY-MM-DD | reason'" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" --set "check.waivers=[PCI-ELB-005: behind CloudFront]" -o "$work/out"
expect "generation refuses a waiver of an unknown rule" 1 "unknown rule 'PCI-NOPE-001'" -- \
  "$paygen" --profile "$source/profiles/migration.yaml" \
    --set "check.waivers=[PCI-NOPE-001: platform-team | 2027-01-31 | test]" -o "$work/out"

mkfifo "$work/fifo"
expect "waivers file is a FIFO" 1 "fifo: not a regular file of at most 1 MiB" -- \
  timeout 20 "$paygen" check --waivers "$work/fifo" "$doc"
expect "waivers file is /dev/zero" 1 "/dev/zero: not a regular file of at most 1 MiB" -- \
  timeout 20 "$paygen" check --waivers /dev/zero "$doc"
expect "waivers file missing" 1 "nope.yaml: No such file or directory" -- \
  "$paygen" check --waivers "$d/nope.yaml" "$doc"

finish

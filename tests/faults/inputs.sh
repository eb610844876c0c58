#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# What validate, check and diff read is what Terraform applies (issue 20):
# a duplicate JSON key, another file Terraform would load from a stack
# directory, a manifest path other than stacks/NAME/cdk.tf.json, and a file
# that is not a regular file of bounded size are each refused, named, with
# a non-zero exit and at once (every command runs under timeout 10: a FIFO
# or /dev/zero must not hang). diff reads array-form resource bodies.
#   sh tests/faults/inputs.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
data=$source/tests/data/inputs
pg() { timeout 10 "$paygen" "$@"; }

# fresh NAME: a copy of the earlier output at $work/NAME
fresh() { rm -rf "${work:?}/$1"; cp -R "$work/out" "$work/$1"; }
# manifest NAME SED: that copy's manifest.json edited by SED
manifest() { sed "$2" "$work/$1/manifest.json" > "$work/m.json" && cat "$work/m.json" > "$work/$1/manifest.json"; }

# --- duplicate keys: check read the first copy (10.0.0.0/8), Terraform the second
fresh dup
cp "$data/duplicate-port22.json" "$work/dup/stacks/payment/cdk.tf.json"
said="dup/stacks/payment/cdk.tf.json: duplicate key resource.aws_vpc_security_group_ingress_rule.ssh.cidr_ipv4 (2 copies)"
expect "duplicate key: check" 1 "$said" -- pg check "$work/dup"
expect "duplicate key: check, sarif" 1 "$said" -- pg check --format sarif "$work/dup"
expect "duplicate key: check of the file" 1 "$said" -- pg check "$work/dup/stacks/payment/cdk.tf.json"
expect "duplicate key: validate" 1 "$said" -- pg validate --no-provider-schema "$work/dup"
expect "duplicate key: diff" 2 "$said" -- pg diff "$work/out" "$work/dup"
fresh dupmanifest
manifest dupmanifest 's|"profile": {|"profile": {"waivers": ["PCI-NET-1: anything"],|'
expect "duplicate key in the manifest" 1 "dupmanifest/manifest.json: duplicate key profile.waivers (2 copies)" -- \
  pg check "$work/dupmanifest"

# --- NUL characters: cJSON cuts a string at \u0000, Terraform does not
fresh nul
printf '{"resource": {"aws_s3_bucket": {"b": {"bucket": "a\\u0000b"}}}}\n' > "$work/nul/stacks/payment/cdk.tf.json"
expect "\\u0000 in a string" 1 'nul/stacks/payment/cdk.tf.json:1:51: a \u0000 in a string' -- pg check "$work/nul"
printf '{"resource": {}}\000{"resource": {"aws_s3_bucket": {}}}' > "$work/nul/stacks/payment/cdk.tf.json"
expect "NUL byte in a document" 1 "nul/stacks/payment/cdk.tf.json: holds a NUL byte" -- pg check "$work/nul"

# --- files Terraform would load with cdk.tf.json
fresh extra
for file in main_override.tf.json override.tf extra.tf extra.tf.json terraform.tfvars terraform.tfvars.json \
  prod.auto.tfvars prod.auto.tfvars.json main.tofu main.tofu.json cdk.tf.override.json cdk_override.json; do
  echo '{}' > "$work/extra/stacks/payment/$file"
  expect "extra file $file" 1 "extra/stacks/payment/$file: not written by paygen, and Terraform would apply it" -- \
    pg check "$work/extra"
  rm "$work/extra/stacks/payment/$file"
done
echo '{}' > "$work/extra/stacks/bootstrap/backend_override.tf.json"
expect "extra file: validate" 1 "extra/stacks/bootstrap/backend_override.tf.json: not written by paygen" -- \
  pg validate --no-provider-schema "$work/extra"
expect "extra file: validate of the file" 1 "extra/stacks/bootstrap/backend_override.tf.json: not written by paygen" -- \
  pg validate --no-provider-schema "$work/extra/stacks/bootstrap/cdk.tf.json"
expect "extra file: diff" 2 "extra/stacks/bootstrap/backend_override.tf.json: not written by paygen" -- \
  pg diff "$work/extra" "$work/out"
rm "$work/extra/stacks/bootstrap/backend_override.tf.json"
# what terraform init and apply leave beside it is fine
mkdir "$work/extra/stacks/payment/.terraform"
: > "$work/extra/stacks/payment/.terraform.lock.hcl"
: > "$work/extra/stacks/payment/terraform.tfstate"
: > "$work/extra/stacks/payment/plan.out"
expect "terraform's own files are not refused" 0 "2 documents, 0 errors" -- pg validate --no-provider-schema "$work/extra"

# --- the manifest's paths are exactly stacks/NAME/cdk.tf.json and stacks/NAME
for path in ../../../etc/passwd /etc/passwd /dev/zero stacks/payment/../payment/cdk.tf.json \
  stacks/bootstrap/cdk.tf.json stacks/payment/other.json; do
  fresh paths
  manifest paths "s|\"stacks/payment/cdk.tf.json\"|\"$path\"|"
  expect "manifest path $path" 1 \
    'paths/manifest.json: stacks.payment.synthesizedStackPath must be "stacks/payment/cdk.tf.json"' -- \
    pg validate --no-provider-schema "$work/paths"
done
fresh paths
manifest paths 's|"stacks/payment"|"/tmp"|'
expect "manifest working directory" 1 'stacks.payment.workingDirectory must be "stacks/payment"' -- \
  pg check "$work/paths"
fresh paths
manifest paths 's|"payment": {|"../payment": {|'
expect "manifest stack name" 1 "a stack name holds characters other than letters, digits" -- \
  pg check "$work/paths"

# --- regular files of bounded size only, none followed through a link
fresh special
rm "$work/special/stacks/payment/cdk.tf.json"
ln -s /dev/zero "$work/special/stacks/payment/cdk.tf.json"
expect "stack file links to /dev/zero" 1 "special/stacks/payment/cdk.tf.json: is a symbolic link" -- \
  pg validate --no-provider-schema "$work/special"
rm "$work/special/stacks/payment/cdk.tf.json"
mkfifo "$work/special/stacks/payment/cdk.tf.json"
expect "stack file is a FIFO" 1 "special/stacks/payment/cdk.tf.json: is a FIFO" -- pg check "$work/special"
expect "operand is a FIFO" 1 "special/stacks/payment/cdk.tf.json: is a FIFO" -- \
  pg check "$work/special/stacks/payment/cdk.tf.json"
expect "operand is /dev/zero" 1 "/dev/zero: is a device" -- pg validate --no-provider-schema /dev/zero
rm "$work/special/stacks/payment/cdk.tf.json"
truncate -s 65M "$work/special/stacks/payment/cdk.tf.json"
expect "stack file over 64 MiB" 1 "special/stacks/payment/cdk.tf.json: 68157440 bytes; a document is at most 64 MiB" -- \
  pg check "$work/special"
fresh special
rm "$work/special/manifest.json"
mkfifo "$work/special/manifest.json"
expect "manifest is a FIFO" 1 "special/manifest.json: is a FIFO" -- pg check "$work/special"
rm "$work/special/manifest.json"
ln -s /dev/zero "$work/special/manifest.json"
expect "manifest links to /dev/zero" 2 "special/manifest.json: is a symbolic link" -- pg diff "$work/special" "$work/out"
fresh special
mv "$work/special/stacks/payment" "$work/elsewhere"
ln -s "$work/elsewhere" "$work/special/stacks/payment"
expect "stack directory is a link" 1 "special/stacks/payment: is a symbolic link or not a directory" -- \
  pg check "$work/special"
fresh special
mv "$work/special/stacks" "$work/elsewhere-stacks"
ln -s "$work/elsewhere-stacks" "$work/special/stacks"
expect "stacks directory is a link" 1 "special/stacks: is a symbolic link or not a directory" -- \
  pg validate --no-provider-schema "$work/special"

# --- diff reads every JSON form of resource bodies (it crashed on arrays)
expect "diff: object form to array form" 0 "rollback $data/diff-array -> $data/diff-object: UNSAFE: 1" -- \
  pg diff "$data/diff-object" "$data/diff-array"
expect "diff: array form to object form" 1 "- aws_sqs_queue.jobs  <, protected>" -- \
  pg diff "$data/diff-array" "$data/diff-object"
expect "diff: array forms, json" 1 '"address": "aws_sqs_queue.jobs"' -- \
  pg diff --format json "$data/diff-array" "$data/diff-object"
expect "diff: a block defined twice" 2 "resource aws_s3_bucket.keep is defined more than once" -- \
  pg diff "$data/diff-object" "$data/diff-twice"

finish

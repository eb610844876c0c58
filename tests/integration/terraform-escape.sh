#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Terraform itself reads a profile value that looks like a template as
# literal text. The legacy phase's payment stack is generated with a subnet
# tag filter of ${file("/etc/passwd")} and a security-group tag key holding a
# %{ for } directive, then planned by `terraform test` with a mocked AWS
# provider (no network, no credentials): the filters must hold exactly the
# text given, and nothing of /etc/passwd. test_escape covers every setting
# without terraform; this shows what Terraform makes of the escaped output.
# Exits 77 (skipped) without terraform >= 1.7 (mock_provider) or a local
# mirror of the AWS provider; see terraform-validate.sh.
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 7   # terraform test with mock_provider

# Today's RDS instance (no import blocks, which mocked providers refuse), no
# state read, subnets and groups found by tag.
"$paygen" --profile "$source/profiles/examples/from-rds-postgresql.yaml" -o "$work/out" -q \
  --set legacy.state.bucket= --set 'legacy.subnet_ids=[]' \
  --set 'legacy.subnet_tag_value=${file("/etc/passwd")}' \
  --set legacy.security_group_references=true --set legacy.security_group_tag_value=app \
  --set 'legacy.security_group_tag_key=%{ for x in [] }%{ endfor }'
dir="$work/out/stacks/payment"
# The generated S3 backend needs AWS: a local one for the test.
printf '{"terraform": {"backend": {"local": {}}}}\n' >"$dir/backend_override.tf.json"
mkdir "$dir/tests"
# In this HCL, "$${" and "%%{" are the literal "${" and "%{" again.
cat >"$dir/tests/escape.tftest.hcl" <<'EOF'
mock_provider "aws" {
  # values the provider's own validation accepts
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  # the Transit Gateway attachment needs a subnet, a for_each a group
  mock_data "aws_subnets" {
    defaults = { ids = ["subnet-0123456789abcdef0"] }
  }
  mock_data "aws_security_groups" {
    defaults = { ids = ["sg-0123456789abcdef0"] }
  }
}

variables {
  alert_email = "alerts@example.com"
}

run "profile_values_arrive_literally" {
  command = plan

  assert {
    condition     = [for f in data.aws_subnets.legacy_use1.filter : f.values if f.name != "vpc-id"][0] == toset(["$${file(\"/etc/passwd\")}"])
    error_message = "the subnet tag filter is not the literal text the profile gave"
  }
  assert {
    condition     = alltrue([for v in [for f in data.aws_subnets.legacy_use1.filter : f.values if f.name != "vpc-id"][0] : !strcontains(v, "root:")])
    error_message = "the subnet tag filter holds the content of /etc/passwd"
  }
  assert {
    condition     = [for f in data.aws_security_groups.legacy_use1.filter : f.name if f.name != "vpc-id"][0] == "tag:%%{ for x in [] }%%{ endfor }"
    error_message = "the security group tag key is not the literal text the profile gave"
  }
}
EOF
terraform -chdir="$dir" init -input=false -no-color -plugin-dir="$mirror" >"$work/init.log" 2>&1 ||
  { cat "$work/init.log"; exit 1; }
# The workspace guard (D2) wants the profile's environment.
environment=$(sed -n 's/^ *"environment": "\([a-z0-9]*\)",*$/\1/p' "$work/out/manifest.json" | head -n 1)
terraform -chdir="$dir" workspace new "$environment" -no-color >/dev/null
terraform -chdir="$dir" test -no-color

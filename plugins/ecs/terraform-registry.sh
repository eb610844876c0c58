#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The image registry as Terraform computes it, with the mocked provider of
# the generated tests (docs/testing-terraform.md), on a stack that can be
# applied (nothing protected, nothing imported; two regions), in the order
# of docs/deploy.md:
#  - while the repositories are new, the image lookups wait for the apply,
#    so a plan passes whatever they would find;
#  - the repositories alone are applied (-target): IMMUTABLE, scanned on
#    push, KMS-encrypted, deletable with their images, each with its
#    lifecycle policy;
#  - then the lookups are read at plan: with the image under one digest in
#    both regions the plan passes, each lookup by the tag in its region; a
#    region whose copy has another digest than the primary's fails the
#    precondition of that region's service only, blue's or green's; a
#    colour given by digest is looked up by that digest everywhere.
# No network, no AWS credentials. Exits 77 (skipped) without terraform 1.11
# or later, the provider mirror or python3.
#   sh plugins/ecs/terraform-registry.sh PAYGEN SOURCE_DIR
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 11 python3

out=$work/out
dir=$out/stacks/payment
# Unprotected and without import blocks, so terraform test may apply it.
if ! "$paygen" --profile "$source/profiles/examples/from-rds-postgresql.yaml" --set protection=false \
  --set environment=staging --set phase=migration -o "$out" -q --tests >"$work/log" 2>&1; then
  echo "FAIL generate"
  cat "$work/log"
  exit 1
fi

python3 - "$dir" <<'EOF'
import glob, json, os, sys
stack = sys.argv[1]
generated = os.path.join(stack, "tests", "paygen.tftest.json")
written = os.path.join(stack, "tests", "registry.tftest.json")
resources, regions = {}, {}
for path in sorted(glob.glob(os.path.join(stack, "*.tf.json"))):
    doc = json.load(open(path))
    for kind, blocks in doc.get("resource", {}).items():
        resources.setdefault(kind, {}).update(blocks)
    for p in doc.get("provider", {}).get("aws", []):
        regions["aws." + p["alias"] if "alias" in p else "aws"] = p["region"]
codes = ["use1", "use2"]
same = "sha256:" + "0" * 64
other = "sha256:" + "1" * 64
green = "sha256:" + "ab" * 32

def check(condition, message):
    return {"condition": "${%s}" % condition, "error_message": message}

def found(digests):
    """override_data: each lookup (label_code) finds the image with that digest."""
    return [{"target": "data.aws_ecr_image.%s" % label, "values": {"image_digest": digest}}
            for label, digest in sorted(digests.items())]

everywhere = {"%s_%s" % (label, code): same for label in ("api", "api_green") for code in codes}
repositories = []
for code in codes:
    repositories += ["aws_ecr_repository.api_%s" % code, "aws_ecr_lifecycle_policy.api_%s" % code]
created = []
for code in codes:
    repo = "aws_ecr_repository.api_%s" % code
    created += [
        check("%s.image_tag_mutability == \"IMMUTABLE\"" % repo, "%s: tags are mutable" % code),
        check("%s.image_scanning_configuration[0].scan_on_push" % repo,
              "%s: no scan on push" % code),
        check("%s.encryption_configuration[0].encryption_type == \"KMS\"" % repo,
              "%s: not KMS-encrypted" % code),
        check("%s.force_delete" % repo,
              "%s: an unprotected repository must go with its images" % code),
        check("aws_ecr_lifecycle_policy.api_%s.repository == %s.name" % (code, repo),
              "%s: the lifecycle policy is not the repository's" % code),
    ]
found_everywhere = []
for code in codes:
    found_everywhere += [
        check("data.aws_ecr_image.api_%s.repository_name == aws_ecr_repository.api_%s.name"
              % (code, code), "%s: the lookup is not in the region's repository" % code),
        check("data.aws_ecr_image.api_%s.image_tag == \"1.0.0\" && "
              "data.aws_ecr_image.api_%s.image_digest == \"%s\"" % (code, code, same),
              "%s: the blue lookup is not by the tag of var.image_blue" % code),
    ]
differs = dict(everywhere, api_use2=other)
# (name, command, variables, lookups found, targets, asserts, expected failures)
runs = [
    # New repositories: the lookups wait for the apply, so a plan passes
    # whatever they would find (docs/deploy.md, "The image check").
    ("new_repositories_defer_the_check", "plan", {}, found(differs), None, [], None),
    # The runbook's first step: the repositories alone.
    ("repositories_first", "apply", {}, found(everywhere), repositories, created, None),
    # From now on the lookups are read at plan.
    ("the_same_image_everywhere", "plan", {}, found(everywhere), None, found_everywhere, None),
    # The copy in us-east-2 is another image than the primary's under the same tag.
    ("blue_differs_in_the_secondary", "plan", {}, found(differs), None, [],
     ["aws_ecs_service.api_use2"]),
    # Green, by another tag: the same check holds green back in that region only.
    ("green_differs_in_the_secondary", "plan", {"image_green": "1.5.0"},
     found(dict(everywhere, api_green_use2=other)), None, [], ["aws_ecs_service.api_green_use2"]),
    # Green by digest: looked up by that digest in every region (a lookup
    # by digest finds that digest or fails the read: ImageNotFoundException).
    ("green_by_digest", "plan", {"image_green": green}, found(everywhere), None,
     [check("data.aws_ecr_image.api_green_%s.image_digest == \"%s\" && "
            "data.aws_ecr_image.api_green_%s.image_tag == null" % (code, green, code),
            "%s: green is not looked up by its digest" % code) for code in codes],
     None),
]
# The real provider knows a new certificate's validation options (by domain
# name) at plan; a mocked one only after apply, where the validation
# records' for_each needs them: give them at plan.
certificates = [{"target": "aws_acm_certificate.%s" % label, "override_during": "plan",
                 "values": {"arn": "arn:aws:acm:%s:123456789012:certificate/"
                                   "00000000-0000-0000-0000-000000000000"
                                   % regions[block.get("provider", "aws")],
                            "domain_validation_options": [{
                     "domain_name": block["domain_name"],
                     "resource_record_name": "_0.%s." % block["domain_name"],
                     "resource_record_type": "CNAME",
                     "resource_record_value": "_0.acm-validations.aws."}]}}
                for label, block in sorted(resources.get("aws_acm_certificate", {}).items())]
out = {k: v for k, v in json.load(open(generated)).items() if k != "run"}
out["run"] = []
for name, command, variables, overrides, targets, checks, failures in runs:
    run = {"command": command, "variables": variables, "override_data": overrides}
    if targets:
        run["plan_options"] = {"target": targets}
    if certificates:
        run["override_resource"] = certificates
    if checks:
        run["assert"] = checks
    if failures:
        run["expect_failures"] = failures
    out["run"].append({name: run})
json.dump(out, open(written, "w"), indent=1)
EOF

environment=$(sed -n 's/^ *"environment": "\([a-z0-9]*\)",*$/\1/p' "$out/manifest.json" | head -n 1)
if ! terraform -chdir="$dir" init -backend=false -plugin-dir="$mirror" -input=false -no-color \
  >"$work/log" 2>&1 ||
  ! TF_WORKSPACE="$environment" terraform -chdir="$dir" test -no-color \
    -filter=tests/registry.tftest.json >"$work/log" 2>&1; then
  echo "FAIL registry"
  cat "$work/log"
  exit 1
fi
line=$(grep -E '^(Success|Failure)!' "$work/log" | tail -n 1)
case "$line" in
  Success!*skipped*|"") echo "FAIL registry: $line"; cat "$work/log"; exit 1 ;;
esac
echo "ok   registry: $line"

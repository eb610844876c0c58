#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Blue/green as Terraform computes it, with the mocked provider of the
# generated tests (docs/testing-terraform.md): for the legacy and migration
# phases, plans with the variables of each step of docs/deploy.md (release,
# canary, switch, rollback) assert the listeners' weights, each colour's
# floor of tasks, each colour's image, the test listener's rules and the
# service the alarms watch; plans with bad values expect the variables'
# validations to refuse them. No network, no AWS credentials. Exits 77
# (skipped) without terraform 1.11 or later, the provider mirror or python3.
#   sh plugins/ecs/terraform-bluegreen.sh PAYGEN SOURCE_DIR
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 11 python3

# The runs, next to the generated test file and with its mocks: REGIONS is
# the active region codes of the phase.
write_runs() {
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
generated, written, regions = sys.argv[1], sys.argv[2], sys.argv[3].split(",")

def check(condition, message):
    return {"condition": "${%s}" % condition, "error_message": message}

def weights(listener, blue, green):
    local = "alb_weight" if listener == "https" else "alb_test_weight"
    out = [check("local.%s_blue == %d && local.%s_green == %d" % (local, blue, local, green),
                 "%s: weights are not blue %d, green %d" % (listener, blue, green))]
    for code in regions:
        out.append(check("sort([for g in aws_lb_listener.%s_%s.default_action[0].forward[0]."
                         "target_group : tostring(g.weight)]) == sort([\"%d\", \"%d\"])"
                         % (listener, code, blue, green),
                         "%s_%s does not forward by %d and %d" % (listener, code, blue, green)))
    return out

def floors(blue, green):
    out = []
    for code in regions:
        for label, colour, n in (("api", "blue", blue), ("api_green", "green", green)):
            out.append(check("aws_appautoscaling_target.%s_%s.min_capacity == %d" % (label, code, n),
                             "%s in %s: the floor is not %d" % (colour, code, n)))
            out.append(check("aws_ecs_service.%s_%s.desired_count == %d" % (label, code, n),
                             "%s in %s: the service does not start %d tasks" % (colour, code, n)))
    return out

def image(label, suffix):
    return [check("endswith(jsondecode(aws_ecs_task_definition.%s_%s.container_definitions)[0]"
                  ".image, \"%s\")" % (label, code, suffix),
                  "%s in %s does not run %s" % (label, code, suffix)) for code in regions]

def active(label):
    return [check("local.ecs_active_service_%s == aws_ecs_service.%s_%s.name" % (code, label, code),
                  "the alarms do not watch %s in %s" % (label, code)) for code in regions]

def test_rules(n):
    return [check("length(aws_vpc_security_group_ingress_rule.alb_test_%s) == %d" % (code, n),
                  "%d test listener rules expected in %s" % (n, code)) for code in regions]

digest = "sha256:" + "ab" * 32
repo = "/payment-api-production-abc123"  # the environment's repository
runs = [
    ("defaults", {},
     weights("https", 100, 0) + weights("test", 0, 100) + floors(2, 2) +
     image("api", repo + ":1.0.0") + image("api_green", repo + ":1.0.0") +
     active("api") + test_rules(0)),
    ("release_to_green_at_one_task",
     {"image_green": digest, "idle_color_tasks": 1,
      "test_listener_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]},
     weights("https", 100, 0) + weights("test", 0, 100) + floors(2, 1) +
     image("api", repo + ":1.0.0") + image("api_green", repo + "@" + digest) +
     test_rules(2) +
     [check("aws_vpc_security_group_ingress_rule.alb_test_%s[\"198.51.100.7/32\"].from_port == 8443"
            % code, "the test rule is not on 8443") for code in regions]),
    ("canary_25", {"image_green": "1.5.0", "idle_color_tasks": 0, "canary_weight_percent": 25},
     weights("https", 75, 25) + weights("test", 0, 100) + floors(2, 2) +
     image("api_green", repo + ":1.5.0") + active("api")),
    ("switch_to_green", {"active_color": "green", "idle_color_tasks": 0},
     weights("https", 0, 100) + weights("test", 100, 0) + floors(0, 2) + active("api_green")),
    ("rollback_to_blue", {"active_color": "blue", "idle_color_tasks": 1},
     weights("https", 100, 0) + weights("test", 0, 100) + floors(2, 1) + active("api")),
]
out = {k: v for k, v in json.load(open(generated)).items() if k != "run"}
out["run"] = [{name: {"command": "plan", "variables": variables, "assert": asserts}}
              for name, variables, asserts in runs]
rejected = [
    ({"image_green": "", "idle_color_tasks": 11, "test_listener_cidrs": ["0.0.0.0/0"]},
     ["var.image_green", "var.idle_color_tasks", "var.test_listener_cidrs"]),
    ({"image_blue": "-rc1", "test_listener_cidrs": ["10.0.0.1/8"]},
     ["var.image_blue", "var.test_listener_cidrs"]),
    ({"active_color": "purple", "test_listener_cidrs": ["2001:db8::/32"]},
     ["var.active_color", "var.test_listener_cidrs"]),
]
for i, (variables, failures) in enumerate(rejected):
    out["run"].append({"rejected_%d" % i: {"command": "plan", "variables": variables,
                                           "expect_failures": failures}})
json.dump(out, open(written, "w"), indent=1)
EOF
}

# NAME PROFILE REGIONS
check() {
  name=$1 profile=$2 regions=$3
  out=$work/$name
  dir=$out/stacks/payment
  if ! "$paygen" --profile "$source/$profile" -o "$out" -q --tests >"$work/log" 2>&1; then
    echo "FAIL $name: generate"
    cat "$work/log"
    exit 1
  fi
  environment=$(sed -n 's/^ *"environment": "\([a-z0-9]*\)",*$/\1/p' "$out/manifest.json" | head -n 1)
  write_runs "$dir/tests/paygen.tftest.json" "$dir/tests/bluegreen.tftest.json" "$regions"
  if ! terraform -chdir="$dir" init -backend=false -plugin-dir="$mirror" -input=false -no-color \
    >"$work/log" 2>&1 ||
    ! TF_WORKSPACE="$environment" terraform -chdir="$dir" test -no-color \
      -filter=tests/bluegreen.tftest.json >"$work/log" 2>&1; then
    echo "FAIL $name"
    cat "$work/log"
    exit 1
  fi
  line=$(grep -E '^(Success|Failure)!' "$work/log" | tail -n 1)
  case "$line" in
    Success!*skipped*|"") echo "FAIL $name: $line"; cat "$work/log"; exit 1 ;;
  esac
  echo "ok   $name: $line"
}

check legacy profiles/legacy.yaml use1
check migration profiles/migration.yaml use1,use2

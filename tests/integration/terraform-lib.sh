# SPDX-License-Identifier: Apache-2.0
# What every script that runs real Terraform needs, sourced with paygen and
# source set: tf_setup MINOR [TOOL...] skips (exit 77) without terraform
# 1.MINOR or later, the hashicorp/aws mirror (PAYGEN_TF_PLUGIN_DIR, default
# /opt/tf-plugins) or a TOOL, so a fresh machine still passes; then sets
# mirror, a quiet offline Terraform, and work, a directory removed on exit.
tf_setup() {
  need_minor=$1
  shift
  mirror=${PAYGEN_TF_PLUGIN_DIR:-/opt/tf-plugins}
  export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1
  unset TF_WORKSPACE
  for tool in terraform "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: no $tool on PATH"
      exit 77
    fi
  done
  if [ ! -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
    echo "SKIP: no hashicorp/aws provider mirror at $mirror (PAYGEN_TF_PLUGIN_DIR)"
    exit 77
  fi
  found=$(terraform version | sed -n '1s/^Terraform v\([0-9]*\)\.\([0-9]*\).*/\1.\2/p')
  major=${found%%.*} minor=${found#*.}
  if [ -z "$found" ] || [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt "$need_minor" ]; }; then
    echo "SKIP: needs Terraform 1.$need_minor or later; found $(terraform version | head -n 1)"
    exit 77
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The plugin SDK from the outside: install paygen from a build tree into a
# temporary prefix, build docs/examples/waf-plugin out of tree with nothing but
# pkg-config, run its own tests (test_waf.c, on the SDK's test kit) with CMake
# and make, and generate with the installed binary and the example plugin.
# usage: test_sdk.sh BUILD_DIR   (exit 77: skipped)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: test_sdk.sh BUILD_DIR}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-sdk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "test_sdk: FAIL: $*" >&2; exit 1; }

# Only the installed files from here on: no source tree on any search path.
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install"; }
pc=$(find "$tmp/prefix" -name paygen.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || fail "no paygen.pc installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
[ -f "$tmp/prefix/include/paygen/paygen.h" ] || fail "paygen.h not installed"
[ -f "$tmp/prefix/include/paygen/testkit.h" ] || fail "testkit.h not installed"
plugindir=$(pkg-config --variable=plugindir paygen)
[ "$plugindir" = "$(dirname "$pc")/../paygen/plugins" ] || [ -d "$plugindir" ] ||
  fail "plugindir '$plugindir' is not an installed directory"
pkg-config --libs paygen | grep -q -- '-lpaygen' || fail "pkg-config --libs lacks -lpaygen"
pkg-config --libs paygen | grep -q -- '-lcjson' || fail "pkg-config --libs lacks cJSON (Requires)"
pkg-config --libs paygen-aws | grep -q -- '-lpaygen_aws' || fail "pkg-config --libs paygen-aws lacks -lpaygen_aws"

# A plugin on the shared AWS helpers, built with nothing but pkg-config: its
# bucket carries the whole hardening, and only the entry symbol is exported.
mkdir -p "$tmp/aws-plugin"
cat >"$tmp/aws-plugin/vault.c" <<'PLUGIN'
#include <paygen/aws.h>
static int contribute(const pg_ctx *ctx, pg_out *out)
{
    const pg_region *r = pg_ctx_primary(ctx);
    pg_aws_bucket made;
    return pg_aws_hardened_bucket(out, &(pg_aws_bucket_spec){.region = r, .label = "vault",
                                      .name = pg_name(out, r, "vault", 63), .versioning = true},
                                  &made);
}
PG_PLUGIN_DEFINE("vault", "0.1.0", "Apache-2.0", "a hardened bucket", NULL, NULL, NULL, 0, contribute)
PLUGIN
cc -std=c11 -fPIC -shared -fvisibility=hidden $(pkg-config --cflags paygen-aws) \
  -o "$tmp/aws-plugin/vault.so" "$tmp/aws-plugin/vault.c" $(pkg-config --libs paygen-aws) 2>"$tmp/aws.log" ||
  { cat "$tmp/aws.log" >&2; fail "building a plugin on paygen-aws"; }
# (nm's own failure or an empty list would pass the check below: both fail.)
exports=$(nm -D --defined-only "$tmp/aws-plugin/vault.so") || fail "nm -D on the paygen-aws plugin"
echo "$exports" | grep -q ' T paygen_plugin_entry$' || fail "the paygen-aws plugin does not export paygen_plugin_entry"
echo "$exports" | grep -v ' paygen_plugin_entry$' | grep -q ' T ' &&
  fail "the paygen-aws plugin exports more than paygen_plugin_entry"
if [ ! -f "$plugindir/alb.so" ]; then
  echo "test_sdk: SKIP: the alb plugin (needed by the example) is not in this build"
  exit 77
fi

# The example's own build: a copy, so that nothing can reach into the tree.
cp -R "$src/docs/examples/waf-plugin" "$tmp/waf-src"
if ! { cmake -S "$tmp/waf-src" -B "$tmp/waf-build" && cmake --build "$tmp/waf-build"; } >"$tmp/waf.log" 2>&1; then
  cat "$tmp/waf.log" >&2
  fail "building the example with CMake"
fi
[ -f "$tmp/waf-build/waf.so" ] || fail "no waf.so built"
[ -x "$tmp/waf-build/test_waf" ] || { cat "$tmp/waf.log" >&2; fail "no test_waf built (CUnit?)"; }

# Its tests generate through the installed libpaygen and find the installed
# plugins and profiles beside it, with nothing in the environment.
unset PAYGEN_PLUGIN_PATH LD_LIBRARY_PATH
ctest --test-dir "$tmp/waf-build" --output-on-failure >"$tmp/ctest.log" 2>&1 ||
  { cat "$tmp/ctest.log" >&2; fail "the example's tests (ctest)"; }
if command -v make >/dev/null; then
  make -s -C "$tmp/waf-src" check >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; fail "make check"; }
  grep -q 'tests *6 *6 *6 *0' "$tmp/make.log" || { cat "$tmp/make.log" >&2; fail "make check ran too few tests"; }
fi

# The installed paygen runs from its prefix (RUNPATH), without LD_LIBRARY_PATH.
bin="$tmp/prefix/bin/paygen"
profile="$tmp/prefix/share/paygen/profiles/migration.yaml"
"$bin" plugins --plugin-path "$tmp/waf-build" --plugin-path "$plugindir" >"$tmp/plugins.txt" 2>&1 ||
  { cat "$tmp/plugins.txt" >&2; fail "paygen plugins"; }
grep -Eq '^waf +0\.1\.0 +2\.1 +ok' "$tmp/plugins.txt" || { cat "$tmp/plugins.txt" >&2; fail "waf not listed as ok"; }

# alb attaches a web ACL of its own by default (alb.web_acl_arn): the example
# must refuse that.
if "$bin" --profile "$profile" --plugin-path "$tmp/waf-build" --plugin-path "$plugindir" \
     -o "$tmp/refused" -q 2>"$tmp/refused.err"; then
  fail "waf ran although alb.waf is true"
fi
grep -q 'plugin waf: the alb plugin already attaches a web ACL in us-east-1 (alb.web_acl_arn)' \
  "$tmp/refused.err" || { cat "$tmp/refused.err" >&2; fail "no refusal naming alb.web_acl_arn"; }
grep -q 'set alb.waf: false' "$tmp/refused.err" || { cat "$tmp/refused.err" >&2; fail "no alb.waf hint"; }

"$bin" --profile "$profile" --set alb.waf=false --plugin-path "$tmp/waf-build" \
  --plugin-path "$plugindir" -o "$tmp/out" >"$tmp/gen.txt" 2>&1 ||
  { cat "$tmp/gen.txt" >&2; fail "generation with the example plugin"; }
stack="$tmp/out/stacks/payment/cdk.tf.json"
# shellcheck disable=SC2016 # literal ${ of a Terraform reference
for want in '"aws_wafv2_web_acl"' '"edge_use1"' '"edge_use2"' '"aws_wafv2_web_acl_association"' \
            '"AWSManagedRulesSQLiRuleSet"' '"AWSManagedRulesKnownBadInputsRuleSet"' \
            '${aws_lb.' '"provider": "aws.use2"'; do
  grep -qF "$want" "$stack" || fail "output lacks $want"
done
grep -A6 '"waf": {' "$tmp/out/manifest.json" | grep -q '"version": "0.1.0"' ||
  fail "manifest does not list waf 0.1.0"
# The paygen-aws plugin, run with the installed ones: its bucket is hardened.
"$bin" --profile "$profile" --plugin-path "$tmp/aws-plugin" --plugin-path "$plugindir" \
  --plugin vault -o "$tmp/out-vault" >"$tmp/vault.txt" 2>&1 ||
  { cat "$tmp/vault.txt" >&2; fail "generation with the paygen-aws plugin"; }
vault="$tmp/out-vault/stacks/payment/cdk.tf.json"
for want in '"aws_s3_bucket_public_access_block"' '"aws_s3_bucket_versioning"' \
            '"aws_s3_bucket_server_side_encryption_configuration"' '"DenyInsecureTransport"' \
            '"vault_use1"'; do
  grep -qF "$want" "$vault" || fail "the paygen-aws bucket lacks $want"
done
echo "test_sdk: ok ($(grep -c . "$stack") lines of payment stack)"

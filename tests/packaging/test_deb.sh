#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Debian packages from the outside: a Release build with prefix /usr,
# `cpack -G DEB`, the package metadata and file lists, then both packages
# unpacked with dpkg-deb -x into an empty root and paygen run from the unpacked
# files only, validating against the schema it ships. lintian findings are
# printed (packaging/README.md explains them); any lintian error (E:) fails.
#   sh tests/packaging/test_deb.sh          (exit 77: skipped, no dpkg-deb/cpack)
# PAYGEN_PACKAGING_KEEP=DIR keeps the build and the .debs in DIR.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
for tool in cmake cpack dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "test_deb: SKIP: no $tool"; exit 77; }
done
if [ -n "${PAYGEN_PACKAGING_KEEP:-}" ]; then
  tmp=$PAYGEN_PACKAGING_KEEP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-deb.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT INT TERM
fi
fail() { echo "test_deb: FAIL: $*" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)

# Debian's hardening flags (fortify, stack protector, relro, bindnow).
if command -v dpkg-buildflags >/dev/null; then
  eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
  export CFLAGS="$CPPFLAGS $CFLAGS"   # CMake reads CFLAGS, not CPPFLAGS
fi
# Same prefix as the package: the plugin directory is compiled in.
cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_TESTING=OFF ${PAYGEN_PLUGINS+"-DPAYGEN_PLUGINS=$PAYGEN_PLUGINS"} >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log" >&2; fail "configure"; }
cmake --build "$tmp/build" -j "$jobs" >"$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log" >&2; fail "build"; }
(cd "$tmp/build" && cpack -G DEB) >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
version=$(sed -n 's/^project(paygen VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb="$tmp/build/paygen_${version}_${arch}.deb"
dev="$tmp/build/paygen-dev_${version}_${arch}.deb"
if [ ! -f "$deb" ] || [ ! -f "$dev" ]; then
  ls "$tmp/build"/*.deb >&2 || true
  fail "expected $(basename "$deb") and $(basename "$dev")"
fi

# Metadata: runtime dependencies on the libraries libpaygen links.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libyaml-0-2 libcjson1 libc6; do
  echo "$depends" | grep -q "$lib" || fail "paygen Depends '$depends' lacks $lib"
done
dpkg-deb -f "$dev" Depends | grep -q "paygen (= $version)" || fail "paygen-dev does not depend on paygen (= $version)"
abi=$(sed -n 's/^#define PG_ABI_MAJOR \([0-9]*\).*/\1/p' "$src/core/include/paygen/paygen.h")
provides=$(dpkg-deb -f "$deb" Provides)
[ "$provides" = "paygen-plugin-abi-$abi" ] || fail "paygen Provides '$provides', expected paygen-plugin-abi-$abi"

# File lists: the split between the tool and the SDK.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/deb.files"
dpkg-deb -c "$dev" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/dev.files"
multiarch=$(sed -n 's|^/usr/lib/\(.*\)/libpaygen\.so\.0$|\1|p' "$tmp/deb.files")
[ -n "$multiarch" ] || fail "no libpaygen.so.0 in a /usr/lib/<dir>/ of paygen"
libdir=/usr/lib/$multiarch
for f in /usr/bin/paygen "$libdir/libpaygen.so.0" "$libdir/paygen/plugins/kms.so" \
         /usr/share/paygen/profiles/base.yaml /usr/share/paygen/profiles/migration.yaml \
         /usr/share/paygen/profiles/examples/staging-rehearsal.yaml /usr/share/doc/paygen/README.md \
         /usr/share/man/man1/paygen.1.gz /usr/share/man/man7/paygen-plugin.7.gz \
         /usr/share/bash-completion/completions/paygen \
         /usr/share/paygen/aws-5.x.schema.json.gz /usr/share/paygen/PROVENANCE.md \
         /usr/share/doc/paygen/copyright /usr/share/doc/paygen/changelog.gz /usr/share/doc/paygen/NOTICE \
         /usr/share/doc/paygen/images/production.svg; do
  grep -qx "$f" "$tmp/deb.files" || fail "paygen lacks $f"
done
for f in /usr/share/doc/paygen-dev/copyright /usr/share/doc/paygen-dev/changelog.gz; do
  grep -qx "$f" "$tmp/dev.files" || fail "paygen-dev lacks $f"
done
for f in /usr/include/paygen/paygen.h "$libdir/pkgconfig/paygen.pc" "$libdir/libpaygen.so"; do
  grep -qx "$f" "$tmp/dev.files" || fail "paygen-dev lacks $f"
  ! grep -qx "$f" "$tmp/deb.files" || fail "paygen ships $f (belongs in paygen-dev)"
done

# Run from the unpacked files only: no build tree, no environment leaking in.
root="$tmp/root"
rm -rf "$root" "$tmp/out"
dpkg-deb -x "$deb" "$root"
dpkg-deb -x "$dev" "$root"
unset PAYGEN_PLUGIN_PATH
run() { LD_LIBRARY_PATH="$root$libdir" "$root/usr/bin/paygen" "$@"; }
run --version | grep -q "paygen $version" || fail "paygen --version"
run plugins --plugin-path "$root$libdir/paygen/plugins" >"$tmp/plugins.txt" 2>&1 ||
  { cat "$tmp/plugins.txt" >&2; fail "paygen plugins"; }
n_plugins=$(grep -c "$root$libdir/paygen/plugins/.*\.so" "$tmp/plugins.txt" || true)
[ "$n_plugins" -ge 1 ] || fail "no plugins listed from the package"
run --profile "$root/usr/share/paygen/profiles/migration.yaml" \
  --plugin-path "$root$libdir/paygen/plugins" -o "$tmp/out" >"$tmp/gen.txt" 2>&1 ||
  { cat "$tmp/gen.txt" >&2; fail "generation from the unpacked package"; }
for f in manifest.json stacks/payment/cdk.tf.json stacks/bootstrap/cdk.tf.json; do
  [ -s "$tmp/out/$f" ] || fail "no $f"
done
grep -q '"phase": "migration"' "$tmp/out/manifest.json" || fail "manifest is not of the migration phase"
grep -q '"aws_kms_key"' "$tmp/out/stacks/payment/cdk.tf.json" || fail "no KMS keys generated"
zcat "$root/usr/share/man/man1/paygen.1.gz" | grep -q '^\.TH PAYGEN 1' || fail "paygen.1 is not a man page"
# paygen validate uses the schema of the package (beside the executable) by default.
cmp -s "$root/usr/share/paygen/aws-5.x.schema.json.gz" "$src/share/aws-provider-schema/aws-5.x.schema.json.gz" ||
  fail "the packaged provider schema differs from share/aws-provider-schema/"
run validate "$tmp/out" >"$tmp/validate.txt" 2>&1 || { cat "$tmp/validate.txt" >&2; fail "paygen validate of the output"; }
grep -qF "(provider schema $(cd "$root" && pwd -P)/usr/share/paygen/aws-5.x.schema.json.gz)" "$tmp/validate.txt" ||
  { cat "$tmp/validate.txt" >&2; fail "paygen validate did not use the packaged provider schema"; }
# The machine-readable copyright (DEP-5): Apache-2.0, and the schema's MPL-2.0.
copyright="$root/usr/share/doc/paygen/copyright"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$copyright" ||
  fail "copyright is not in the machine-readable format"
grep -q '^License: Apache-2.0$' "$copyright" || fail "copyright does not state Apache-2.0"
grep -q '^License: MPL-2.0$' "$copyright" || fail "copyright does not state the schema's MPL-2.0"

# The SDK of paygen-dev, relocated into the root with a pkg-config sysroot.
if command -v pkg-config >/dev/null && command -v cc >/dev/null; then
  cflags=$(PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$root$libdir/pkgconfig" pkg-config --cflags paygen)
  libs=$(PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$root$libdir/pkgconfig" pkg-config --libs paygen)
  # shellcheck disable=SC2086
  cc -std=c11 -fPIC -shared -fvisibility=hidden $cflags -o "$tmp/waf.so" \
    "$src/docs/examples/waf-plugin/waf.c" $libs 2>"$tmp/sdk.log" ||
    { cat "$tmp/sdk.log" >&2; fail "building the example against paygen-dev"; }
fi

# lintian: every finding printed, any error fails the test.
if command -v lintian >/dev/null; then
  lrc=0
  lintian --display-info --tag-display-limit 0 "$deb" "$dev" >"$tmp/lintian.txt" 2>&1 || lrc=$?
  echo "lintian findings (see packaging/README.md):"
  sed 's/^/  /' "$tmp/lintian.txt"
  if grep -q '^E: ' "$tmp/lintian.txt"; then
    echo "lintian errors:" >&2
    grep '^E: ' "$tmp/lintian.txt" >&2
    fail "lintian reports $(grep -c '^E: ' "$tmp/lintian.txt") error(s)"
  fi
  # 1 is "tags at the --fail-on level" (errors, handled above); more is lintian failing.
  [ "$lrc" -le 1 ] || fail "lintian exited with $lrc"
else
  echo "test_deb: lintian is not installed, packages not checked (sh packaging/install-deps.sh installs it)"
fi
echo "test_deb: ok ($(basename "$deb") $(wc -l <"$tmp/deb.files") entries, $(basename "$dev") $(wc -l <"$tmp/dev.files") entries, $n_plugins plugins)"

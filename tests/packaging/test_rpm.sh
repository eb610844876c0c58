#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The RPM packages from the outside: a Release build with prefix /usr,
# `cpack -G RPM`, requirements and file lists, then both packages unpacked
# (rpm2archive) into an empty root and paygen run from the unpacked files only.
#   sh tests/packaging/test_rpm.sh          (exit 77: skipped, no rpmbuild)
# On Debian the layout is Debian's (lib/<multiarch>); build on the target
# distribution for packages to install there (packaging/README.md).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
for tool in cmake cpack rpmbuild rpm rpm2archive tar; do
  command -v "$tool" >/dev/null || { echo "test_rpm: SKIP: no $tool"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/paygen-rpm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "test_rpm: FAIL: $*" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_TESTING=OFF ${PAYGEN_PLUGINS+"-DPAYGEN_PLUGINS=$PAYGEN_PLUGINS"} >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log" >&2; fail "configure"; }
cmake --build "$tmp/build" -j "$jobs" >"$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log" >&2; fail "build"; }
(cd "$tmp/build" && cpack -G RPM) >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; fail "cpack -G RPM"; }
version=$(sed -n 's/^project(paygen VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
rpm=$(find "$tmp/build" -maxdepth 1 -name "paygen-$version-*.rpm" | head -n 1)
devel=$(find "$tmp/build" -maxdepth 1 -name "paygen-devel-$version-*.rpm" | head -n 1)
if [ -z "$rpm" ] || [ -z "$devel" ]; then
  fail "expected paygen-$version and paygen-devel-$version RPMs"
fi

requires=$(rpm -qpR "$rpm" 2>/dev/null)
for lib in 'libyaml-0.so.2' 'libcjson.so.1'; do
  echo "$requires" | grep -q "$lib" || fail "paygen does not require $lib"
done
rpm -qpR "$devel" 2>/dev/null | grep -q "paygen = $version-" || fail "paygen-devel does not require paygen = $version-<release>"
license=$(rpm -qp --qf '%{LICENSE}' "$rpm" 2>/dev/null)
[ "$license" = "Apache-2.0 AND MPL-2.0" ] || fail "paygen License '$license', expected 'Apache-2.0 AND MPL-2.0'"
abi=$(sed -n 's/^#define PG_ABI_MAJOR \([0-9]*\).*/\1/p' "$src/core/include/paygen/paygen.h")
rpm -qp --provides "$rpm" 2>/dev/null | grep -qx "paygen-plugin-abi = $abi" || fail "paygen does not provide paygen-plugin-abi = $abi"
rpm -qpl "$rpm" 2>/dev/null >"$tmp/rpm.files"
rpm -qpl "$devel" 2>/dev/null >"$tmp/devel.files"
libdir=$(sed -n 's|^\(/usr/lib[^/]*\(/[^/]*\)\{0,1\}\)/libpaygen\.so\.0$|\1|p' "$tmp/rpm.files")
[ -n "$libdir" ] || fail "no libpaygen.so.0 in paygen"
for f in /usr/bin/paygen "$libdir/paygen/plugins/kms.so" /usr/share/paygen/profiles/migration.yaml \
         /usr/share/man/man1/paygen.1.gz /usr/share/bash-completion/completions/paygen \
         /usr/share/paygen/aws-5.x.schema.json.gz /usr/share/doc/paygen/copyright; do
  grep -qx "$f" "$tmp/rpm.files" || fail "paygen lacks $f"
done
for f in /usr/include/paygen/paygen.h "$libdir/pkgconfig/paygen.pc" "$libdir/libpaygen.so"; do
  grep -qx "$f" "$tmp/devel.files" || fail "paygen-devel lacks $f"
  ! grep -qx "$f" "$tmp/rpm.files" || fail "paygen ships $f (belongs in paygen-devel)"
done

root="$tmp/root"
mkdir -p "$root"
for p in "$rpm" "$devel"; do
  rpm2archive - <"$p" | tar -xzf - -C "$root" || fail "unpacking $(basename "$p")"
done
unset PAYGEN_PLUGIN_PATH
LD_LIBRARY_PATH="$root$libdir" "$root/usr/bin/paygen" --profile "$root/usr/share/paygen/profiles/migration.yaml" \
  --plugin-path "$root$libdir/paygen/plugins" -o "$tmp/out" >"$tmp/gen.txt" 2>&1 ||
  { cat "$tmp/gen.txt" >&2; fail "generation from the unpacked RPM"; }
grep -q '"phase": "migration"' "$tmp/out/manifest.json" || fail "manifest is not of the migration phase"
echo "test_rpm: ok ($(basename "$rpm"), $(basename "$devel"))"

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs what a fresh Debian 12 machine lacks to build and test paygen.
# Works as root without sudo, and through sudo otherwise.
set -eu
pkgs="build-essential cmake pkg-config libyaml-dev libcjson-dev libcunit1-dev valgrind gzip dpkg-dev file lintian"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo"; fi
echo "installing:$missing"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing

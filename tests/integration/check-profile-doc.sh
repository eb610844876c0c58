#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/profile.md embeds `paygen settings --format markdown` between two
# markers; this fails when the document and the declared keys drift apart.
set -eu
paygen=$1 doc=$2
expected=$(mktemp) actual=$(mktemp)
trap 'rm -f "$expected" "$actual"' EXIT
"$paygen" settings --format markdown > "$expected"
sed -n '/<!-- settings:begin -->/,/<!-- settings:end -->/p' "$doc" | sed '1d;$d' > "$actual"
if ! diff -u "$actual" "$expected"; then
  echo "docs/profile.md is out of date: regenerate its table with 'paygen settings --format markdown'" >&2
  exit 1
fi

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The unit tests of the functions paygen ships (functions/<name>/tests),
# one python3 -m unittest discover per function: each is its own Lambda
# package with its own top-level modules (app.py), so they may not share
# one interpreter. Stubbed AWS clients, no network. Exits 77 (skipped)
# without python3.
#   sh tests/integration/functions-unittest.sh FUNCTIONS_DIR
set -eu
functions=$1
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: no python3 on PATH"
  exit 77
fi
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ left in the source tree
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0 ran=0
for dir in "$functions"/*/; do
  [ -d "$dir/tests" ] || continue
  name=$(basename "$dir")
  ran=$((ran + 1))
  if python3 -m unittest discover -s "$dir" -t "$dir" -p 'test_*.py' 2>"$log"; then
    echo "ok $name: $(grep '^Ran' "$log")"
  else
    echo "FAIL $name"
    cat "$log"
    failed=1
  fi
done
if [ "$ran" -eq 0 ]; then
  echo "FAIL: no function with tests under $functions"
  exit 1
fi
exit $failed

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Keeps the table of enumerated values in core/tools/validate_values.c honest
# against the provider: into generated stacks (migration with DMS, both
# stacks), every value of every row is written on a copy of a resource of
# that type, and `terraform validate` must accept them all; then one value
# outside each row the provider checks is written the same way, and
# `terraform validate` must refuse exactly those copies. Exits 77 (skipped)
# without terraform, the provider mirror or python3.
set -eu
paygen=$1 source=$2
. "$source/tests/integration/terraform-lib.sh"
tf_setup 5 python3

"$paygen" --profile "$source/profiles/examples/from-rds-postgresql-dms.yaml" --set phase=migration \
  -o "$work/out" -q

# mode accept|reject: rewrite each stack, print the addresses of the copies
# (reject: those the provider must refuse).
edit() {
  python3 - "$source/core/tools/validate_values.c" "$1" "$2" <<'EOF'
import json, re, sys
src, mode, path = sys.argv[1], sys.argv[2], sys.argv[3]
text = re.sub(r'/\*.*?\*/', '', open(src).read(), flags=re.S)
rows = []
for m in re.finditer(r'\{\s*"([a-z0-9_]+)",\s*"([a-z_.]+)",\s*((?:"[^"]*"\s*)+),\s*(true|false)\s*\}', text):
    values = ''.join(re.findall(r'"([^"]*)"', m.group(3)))
    rows.append((m.group(1), m.group(2), values.split('|'), m.group(4) == 'true'))
if len(rows) < 20:
    sys.exit('found only %d rows in %s' % (len(rows), src))
doc = json.load(open(path))
res = doc.get('resource', {})

def put(body, dotted, value):
    keys = dotted.split('.')
    for k in keys[:-1]:
        body = body[k]
        if isinstance(body, list):
            body = body[0]
    body[keys[-1]] = value

copies = []
for i, (rtype, attr, values, provider) in enumerate(rows):
    if rtype not in res or (mode == 'reject' and not provider):
        continue
    label, original = next(iter(sorted(res[rtype].items())))
    chosen = values if mode == 'accept' else ['PAYGEN-NOT-A-VALUE']
    for j, value in enumerate(chosen):
        body = json.loads(json.dumps(original))
        body.pop('lifecycle', None)
        try:
            put(body, attr, value)
        except (KeyError, IndexError, TypeError):
            sys.exit('%s.%s: no %s to set' % (rtype, label, attr))
        name = 'paygen_%s_%d_%d' % (mode, i, j)
        res[rtype][name] = body
        copies.append('%s.%s' % (rtype, name))
json.dump(doc, open(path, 'w'), indent=2)
print('\n'.join(copies))
EOF
}

for mode in accept reject; do
  : >"$work/$mode.list"
  for stack in payment bootstrap; do
    dir=$work/$mode/$stack
    mkdir -p "$dir"
    cp "$work/out/stacks/$stack/cdk.tf.json" "$dir/"
    [ ! -d "$work/out/stacks/$stack/functions" ] || cp -r "$work/out/stacks/$stack/functions" "$dir/"
    edit "$mode" "$dir/cdk.tf.json" >>"$work/$mode.list"
    terraform -chdir="$dir" init -backend=false -plugin-dir="$mirror" -input=false -no-color \
      >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
    if terraform -chdir="$dir" validate -no-color >"$work/$mode-$stack.log" 2>&1; then
      echo "$mode $stack: valid"
    else
      echo "$mode $stack: invalid"
    fi
  done
done

# every value of the table passes the provider's validation
for stack in payment bootstrap; do
  if ! grep -q '^Success' "$work/accept-$stack.log"; then
    echo "FAIL: a value of the table is refused by the provider ($stack):"
    cat "$work/accept-$stack.log"
    exit 1
  fi
done
accepted=$(grep -c . "$work/accept.list")
# and a value outside each provider-checked row is refused, on that copy
refused=0
while read -r address; do
  if cat "$work"/reject-*.log | grep -q "$address"; then
    refused=$((refused + 1))
  else
    echo "FAIL: the provider accepts a value outside the table: $address"
    exit 1
  fi
done <"$work/reject.list"
echo "ok: $accepted values of the table accepted, $refused values outside it refused"

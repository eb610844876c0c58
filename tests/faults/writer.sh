#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The writer cannot be redirected (issue 20): no link planted in the output
# tree is followed, modes do not depend on the umask, "/", the home
# directory and directories paygen did not write are refused, and a failure
# at any step, the final renames included, leaves the previous output
# byte-identical with no *.tmp-* file behind.
#   sh tests/faults/writer.sh BUILD_DIR SOURCE_DIR
build=$1 source=$2
. "$(dirname "$0")/lib.sh"
legacy=$source/profiles/legacy.yaml migration=$source/profiles/migration.yaml
out=$work/out

no_temp() { [ -z "$(find "$@" -name '*.tmp-*')" ]; }

echo "another project's file" > "$work/victim"
victim=$(sha256sum < "$work/victim")
"$paygen" --profile "$migration" -o "$work/other" -q || { echo "cannot make another project's output"; exit 1; }
other=$(tree "$work/other")
untouched() { [ "$(sha256sum < "$work/victim")" = "$victim" ] && [ "$(tree "$work/other")" = "$other" ] &&
  no_temp "$work/other"; }

# --- links planted in the tree
# The temporary names of 0.2.0 were <file>.tmp-<pid>: plant links there, then
# exec paygen under that pid. The run succeeds and follows none of them.
run sh -c 'for f in stacks/payment/cdk.tf.json stacks/bootstrap/cdk.tf.json manifest.json; do
  ln -s "$1" "$2/$f.tmp-$$"; done; shift 2; exec "$@"' sh "$work/victim" "$out" "$paygen" --profile "$legacy" -o "$out" -q
find "$out" -type l -name '*.tmp-*' -exec rm {} +
ok=0; [ $rc = 0 ] && untouched && [ "$(snapshot)" = "$before" ] && no_temp "$out" && ok=1
verdict "links planted at the temporary names are not followed" $ok "exit $rc: $said"

saved=$before
mv "$out/stacks/payment/cdk.tf.json" "$work/saved.json"
ln -s "$work/victim" "$out/stacks/payment/cdk.tf.json"
before=$(snapshot)
expect "a stack's file is a link" 1 "stacks/payment/cdk.tf.json: exists and is not a regular file" -- \
  "$paygen" --profile "$migration" -o "$out"
ok=0; untouched && [ -L "$out/stacks/payment/cdk.tf.json" ] && ok=1
verdict "a stack's file is a link: its target is untouched" $ok "the linked file changed"
rm "$out/stacks/payment/cdk.tf.json"
mv "$work/saved.json" "$out/stacks/payment/cdk.tf.json"

for link in stacks stacks/payment; do
  mv "$out/$link" "$work/saved"
  ln -s "$work/other/$link" "$out/$link"
  before=$(snapshot)
  expect "out/$link is a link" 1 "out/$link: is a symbolic link" -- "$paygen" --profile "$legacy" -o "$out"
  ok=0; untouched && ok=1
  verdict "out/$link is a link: the tree it points to is untouched" $ok "$work/other changed"
  rm "$out/$link"
  mv "$work/saved" "$out/$link"
done
before=$saved

ln -s "$work/other" "$work/link"
expect "the output directory is a link" 1 "link: is a symbolic link" -- \
  "$paygen" --profile "$legacy" -o "$work/link"
ok=0; untouched && ok=1
verdict "the output directory is a link: the tree it points to is untouched" $ok "$work/other changed"

# --- modes: 0755 and 0644 whatever the umask (CI jobs and Terraform may
# run as other users; nothing paygen writes is secret)
for mask in 000 077; do
  sh -c 'umask $1; shift; exec "$@"' sh $mask "$paygen" --profile "$legacy" -o "$work/umask$mask/out" -q
  got=$(cd "$work/umask$mask/out" 2>/dev/null && stat -c '%a %n' . stacks stacks/payment stacks/bootstrap \
    stacks/payment/cdk.tf.json stacks/bootstrap/cdk.tf.json manifest.json | tr '\n' ' ')
  want="755 . 755 stacks 755 stacks/payment 755 stacks/bootstrap 644 stacks/payment/cdk.tf.json \
644 stacks/bootstrap/cdk.tf.json 644 manifest.json "
  ok=0; [ "$got" = "$want" ] && ok=1
  verdict "umask $mask: directories 0755, files 0644" $ok "got $got"
done

# --- where output may not go. An unfixed writer would create directories
# there: the file size limit stops it before any file, and what it made
# is removed.
limited() { sh -c 'trap "" XFSZ; ulimit -f 0; exec "$@"' sh "$@"; }
if [ -e /stacks ] || [ -e /manifest.json ]; then
  echo "skip -o / (/stacks or /manifest.json exists)"
else
  expect "-o /" 1 "/: is the root directory: refusing" -- limited "$paygen" --profile "$legacy" -o /
  rmdir /stacks/payment /stacks/bootstrap /stacks 2>/dev/null
fi

mkdir "$work/home"
echo "# a dotfile" > "$work/home/.profile"
expect "-o \$HOME" 1 "home: is the home directory: refusing" -- \
  env HOME="$work/home" "$paygen" --profile "$legacy" -o "$work/home"
cp "$out/manifest.json" "$work/home/"
expect "-o \$HOME holding paygen output" 1 "is the home directory" -- \
  env HOME="$work/home" "$paygen" --profile "$legacy" -o "$work/home/"
ok=0; [ "$(ls -A "$work/home" | tr '\n' ' ')" = ".profile manifest.json " ] && ok=1
verdict "-o \$HOME: nothing written there" $ok "$(ls -A "$work/home")"
pw_home=$(getent passwd "$(id -u)" | cut -d: -f6)
if [ -d "$pw_home" ] && [ ! -e "$pw_home/stacks" ]; then
  expect "-o the passwd entry's home" 1 "is the home directory" -- \
    env HOME="$work/home" sh -c 'trap "" XFSZ; ulimit -f 0; exec "$@"' sh "$paygen" --profile "$legacy" -o "$pw_home"
  rmdir "$pw_home/stacks/payment" "$pw_home/stacks/bootstrap" "$pw_home/stacks" 2>/dev/null
else
  echo "skip -o the passwd entry's home (none, or it holds stacks/)"
fi

mkdir "$work/project"
echo "keep me" > "$work/project/README"
expect "a non-empty directory without paygen output" 1 "is not empty and holds no paygen output" -- \
  "$paygen" --profile "$legacy" -o "$work/project"
expect "-o . in such a directory" 1 ".: is not empty and holds no paygen output" -- \
  sh -c 'cd "$1" && shift && exec "$@"' sh "$work/project" "$(cd "$build" && pwd)/paygen" \
  --profile "$legacy" -o .
echo '{"name": "a web app"}' > "$work/project/manifest.json"
expect "a directory with another manifest.json" 1 "holds a manifest.json that paygen did not write" -- \
  "$paygen" --profile "$legacy" -o "$work/project"
ok=0; [ "$(ls -A "$work/project" | tr '\n' ' ')" = "README manifest.json " ] && ok=1
verdict "refused directories: nothing written there" $ok "$(ls -A "$work/project")"
rm "$work/project/manifest.json"
run "$paygen" --profile "$legacy" -o "$work/project" --force-output -q
ok=0; [ $rc = 0 ] && [ -f "$work/project/README" ] && [ "$(tree "$work/project/stacks")" = "$(tree "$out/stacks")" ] && ok=1
verdict "--force-output writes there anyway" $ok "exit $rc: $said"
mkdir "$work/empty"
run "$paygen" --profile "$legacy" -o "$work/empty" -q
ok=0; [ $rc = 0 ] && [ -f "$work/empty/manifest.json" ] && ok=1
verdict "an empty directory is accepted" $ok "exit $rc: $said"

# --- failures in the middle of a write
if [ "$(id -u)" != 0 ]; then
  chmod 555 "$out/stacks/bootstrap"
  expect "the second stack's directory is not writable" 1 "stacks/bootstrap/cdk.tf.json: cannot write" -- \
    "$paygen" --profile "$migration" -o "$out"
  chmod 755 "$out/stacks/bootstrap"
else
  echo "skip an unwritable stack directory (root writes anyway; the injected faults below cover it)"
fi

if fault_shim; then
  expect "disk full flushing the second stack" 1 "stacks/bootstrap/cdk.tf.json: cannot write: No space left" -- \
    env LD_PRELOAD="$shim" FAULT=fsync:2:ENOSPC "$paygen" --profile "$migration" -o "$out"
  expect "the second swap fails" 1 "stacks/bootstrap/cdk.tf.json: cannot replace: Input/output error" -- \
    env LD_PRELOAD="$shim" FAULT=renameat2:2:EIO "$paygen" --profile "$migration" -o "$out"
  expect "a function package's swap fails" 1 "functions/phase_reporter.zip: cannot replace" -- \
    env LD_PRELOAD="$shim" FAULT=renameat2:3:EIO "$paygen" --profile "$migration" -o "$out"
  expect "the manifest's swap fails" 1 "manifest.json: cannot replace" -- \
    env LD_PRELOAD="$shim" FAULT=renameat2:4:EIO "$paygen" --profile "$migration" -o "$out"
  expect "no exchange (NFS): the second rename fails" 1 "bootstrap/cdk.tf.json: cannot replace" -- \
    env LD_PRELOAD="$shim" FAULT_NO_EXCHANGE=1 FAULT=renameat:2:EIO "$paygen" --profile "$migration" -o "$out"
  expect "no exchange (NFS): no hard link either" 1 "cannot replace: Operation not permitted" -- \
    env LD_PRELOAD="$shim" FAULT_NO_EXCHANGE=1 FAULT=linkat:3:EPERM "$paygen" --profile "$migration" -o "$out"
  cp -R "$out" "$work/nfs"
  run env LD_PRELOAD="$shim" FAULT_NO_EXCHANGE=1 "$paygen" --profile "$migration" -o "$work/nfs" -q
  ok=0; [ $rc = 0 ] && [ "$(tree "$work/nfs")" = "$other" ] && no_temp "$work/nfs" && ok=1
  verdict "no exchange (NFS): the output is replaced" $ok "exit $rc: $said"
  run env LD_PRELOAD="$shim" FAULT=renameat:2:EIO "$paygen" --profile "$migration" -o "$work/fresh/out"
  ok=0; [ $rc = 1 ] && [ ! -e "$work/fresh/out" ] && ok=1
  verdict "a new directory whose second rename fails is removed" $ok "exit $rc: $(find "$work/fresh")"
fi

finish

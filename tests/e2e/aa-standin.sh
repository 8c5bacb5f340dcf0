#!/bin/bash
# aa-standin.sh: make-check test of the AppArmor harness itself, with the
# hand-written stand-in profile: data/standin.apparmor must pass every
# check of data/standin.spec, and the negative control
# data/standin-leaky.apparmor (the same without the deny rule that wins
# over its /test/data/** glob) must fail exactly the secret-read check.
# Each boot runs the spec twice: entered by exec through
# /proc/self/attr/exec, and under runc with the profile in the OCI spec.
# Two boots; the VM slots let them overlap.
set -eu
. "$(dirname "$0")/lib/common.sh"

d=$e2e_dir/data
e2e_scratch
# the same checks once more, entered through runc with the label in the
# OCI spec
sed 's/^name standin$/name standin-runc\nenter runc/' "$d/standin.spec" \
	> "$scratch/standin-runc.spec"
"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
"$e2e_dir/aa-enforce.sh" -p "$d/standin.apparmor" "$d/standin.spec" \
	"$scratch/standin-runc.spec" > "$scratch/good" 2>&1 &
good=$!
"$e2e_dir/aa-enforce.sh" -p "$d/standin-leaky.apparmor" "$d/standin.spec" \
	"$scratch/standin-runc.spec" > "$scratch/leaky" 2>&1 &
leaky=$!
grc=0 lrc=0
wait $good || grc=$?
wait $leaky || lrc=$?
cat "$scratch/good"
[ $grc -ne 77 ] || exit 77
echo "--- negative control: the secret is readable"
if grep -qE '^(PASS|FAIL|SKIP)' "$scratch/leaky"; then
	grep -E '^(PASS|FAIL|SKIP)' "$scratch/leaky" | sed 's/^/  control: /'
else
	cat "$scratch/leaky"
fi
bad=0
if [ $grc -eq 0 ]; then
	echo "PASS: stand-in profile enforced as the spec says"
else
	echo "FAIL: stand-in profile (rc $grc)"
	bad=1
fi
got=$(grep '^FAIL: standin.*: deny' "$scratch/leaky" | LC_ALL=C sort |
	tr '\n' '|')
want='FAIL: standin-runc: deny read /test/data/secret: succeeded|'
want="${want}FAIL: standin: deny read /test/data/secret: succeeded|"
if [ $lrc -eq 1 ] && [ "$got" = "$want" ]; then
	echo "PASS: negative control fails on the secret read, and only there"
else
	echo "FAIL: negative control (rc $lrc, failed: ${got:-nothing})"
	bad=1
fi
exit $bad

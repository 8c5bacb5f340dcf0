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
e2e_standin_verdict profile "$good" "$leaky"

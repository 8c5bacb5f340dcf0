#!/bin/bash
# se-standin.sh: make-check test of the SELinux harness itself, with the
# hand-written stand-in module: data/cpolc_standin.te must pass every
# check of data/standin.spec in enforcing mode, and with the negative
# control data/cpolc_standin_leak.te linked too (the secret readable) it
# must fail exactly the secret-read check. Each boot runs the spec twice:
# entered by exec through /proc/self/attr/exec, and under runc with
# selinuxLabel in the OCI spec. Two links and two boots.
set -eu
. "$(dirname "$0")/lib/common.sh"

d=$e2e_dir/data
e2e_scratch
# the same checks once more, entered through runc with the label in the
# OCI spec
sed 's/^name standin$/name standin-runc\nenter runc/' "$d/standin.spec" \
	> "$scratch/standin-runc.spec"
"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
"$e2e_dir/se-enforce.sh" -m "$d/cpolc_standin.te" "$d/standin.spec" \
	"$scratch/standin-runc.spec" > "$scratch/good" 2>&1 &
good=$!
"$e2e_dir/se-enforce.sh" -m "$d/cpolc_standin.te" \
	-m "$d/cpolc_standin_leak.te" "$d/standin.spec" \
	"$scratch/standin-runc.spec" > "$scratch/leaky" 2>&1 &
leaky=$!
e2e_standin_verdict module "$good" "$leaky"

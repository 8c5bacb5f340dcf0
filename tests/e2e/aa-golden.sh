#!/bin/bash
# aa-golden.sh: the AppArmor backend's real output, enforced in Debian
# 12's kernel. Compiles examples/web.pol and tests/golden/{files,caps,
# network}.pol with
# $CPOLC -t apparmor and runs data/golden/*.spec (one per policy, written
# from the policy's statements, not from the profile) against the
# profiles in one boot: every declared read, write, exec, capability and
# socket works, every undeclared one and every docker-default protection
# fails with EACCES/EPERM, and denies win over allows.  The example's
# checks run twice: entered by exec, and under runc with the profile in
# the OCI spec.
set -eu
. "$(dirname "$0")/lib/common.sh"

top=${srcdir:-$e2e_top}
cpolc=${CPOLC:-$e2e_top/src/cpolc}
[ -x "$cpolc" ] || e2e_skip "no cpolc binary at $cpolc (set CPOLC)"
e2e_scratch
for p in tests/golden/files tests/golden/caps tests/golden/network \
	examples/web; do
	e2e_say "cpolc -t apparmor $p.pol"
	"$cpolc" -t apparmor "$top/$p.pol" -o "$scratch/out" \
		2> "$scratch/err" || { cat "$scratch/err"; exit 1; }
done
sed 's/^name web$/name web-runc\nenter runc/' "$e2e_dir/data/golden/web.spec" \
	> "$scratch/web-runc.spec"
args=()
for s in "$e2e_dir"/data/golden/*.spec; do
	n=$(e2e_spec_value "$s" profile)
	[ -r "$scratch/out/$n.apparmor" ] ||
		e2e_die "$s: cpolc wrote no $n.apparmor"
	args+=(-p "$scratch/out/$n.apparmor")
done
rc=0
"$e2e_dir/aa-enforce.sh" "${args[@]}" "$e2e_dir"/data/golden/*.spec \
	"$scratch/web-runc.spec" || rc=$?
exit $rc

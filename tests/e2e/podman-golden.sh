#!/bin/bash
# podman-golden.sh: the docker backend's real output on real containers.
# Compiles examples/batch.pol and tests/golden/{empty,inherit,limits,
# aa-dead}.pol with
# $CPOLC -t docker and runs the generated NAME.docker of the policies
# that need nothing from the host (no bind source, no named network) under
# podman-check.sh against data/golden/NAME.expect, written from the
# policies. The apparmor= flag is withheld on a host without AppArmor
# (printed; aa-golden.sh proves the profiles in a real kernel).
set -eu
. "$(dirname "$0")/lib/common.sh"

top=${srcdir:-$e2e_top}
cpolc=${CPOLC:-$e2e_top/src/cpolc}
[ -x "$cpolc" ] || e2e_skip "no cpolc binary at $cpolc (set CPOLC)"
e2e_scratch
for p in empty inherit limits aa-dead; do
	e2e_say "cpolc -t docker $p.pol"
	"$cpolc" -t docker "$top/tests/golden/$p.pol" -o "$scratch/out" \
		2> "$scratch/err" || { cat "$scratch/err"; exit 1; }
done
"$cpolc" -t docker "$top/examples/batch.pol" -o "$scratch/out" \
	2> "$scratch/err" || { cat "$scratch/err"; exit 1; }
bad=0
for n in batch empty app odd dead; do
	echo "--- $n.docker"
	rc=0
	"$e2e_dir/podman-check.sh" -w apparmor "$scratch/out/$n.docker" \
		"$e2e_dir/data/golden/$n.expect" || rc=$?
	[ $rc -ne 77 ] || exit 77
	[ $rc -eq 0 ] || bad=1
done
exit $bad

#!/bin/bash
# podman-flags.sh: make-check test of the container harness itself.
# data/web.docker, hand-written like the docker backend's NAME.docker,
# must give a real container exactly data/web.expect; the negative
# control data/web-weak.docker (web.docker without --read-only and
# --cap-drop=ALL) must fail the bounding-set and read-only-root checks,
# and only those (as uid 101 the effective and permitted sets are the
# same either way).
set -eu
. "$(dirname "$0")/lib/common.sh"

d=$e2e_dir/data
e2e_scratch
rc=0
"$e2e_dir/podman-check.sh" -w apparmor "$d/web.docker" "$d/web.expect" || rc=$?
[ $rc -ne 77 ] || exit 77
echo "--- negative control: without --read-only and --cap-drop=ALL"
nrc=0
"$e2e_dir/podman-check.sh" -w apparmor "$d/web-weak.docker" "$d/web.expect" \
	> "$scratch/weak" || nrc=$?
grep -E '^(PASS|FAIL)' "$scratch/weak" | sed 's/^/  control: /' || true
bad=0
if [ $rc -eq 0 ]; then
	echo "PASS: web.docker gives the container what web.expect says"
else
	echo "FAIL: web.docker (rc $rc)"
	bad=1
fi
got=$(grep '^FAIL: ' "$scratch/weak" | cut -d: -f2 | tr -d ' ' | sort |
	tr '\n' ' ')
if [ $nrc -eq 1 ] && [ "$got" = "CapBnd rootfilesystem " ]; then
	echo "PASS: negative control fails on capabilities and the root only"
else
	echo "FAIL: negative control (rc $nrc, failed: ${got:-nothing})"
	bad=1
fi
exit $bad

#!/bin/sh
# cpolc status and cpolc load on this host, which runs neither AppArmor
# nor SELinux (tests/e2e/host-load.sh covers a host that does): status
# explains why nothing is enforced and exits 0; load refuses, says why,
# and --dry-run prints the exact commands it would run.
. "${srcdir:-.}/tests/lib.sh"

out=$scratch/out.txt
err=$scratch/err.txt
"$CPOLC" -q "$srcdir/examples/web.pol" -o "$scratch/o"
aa=$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)
if [ "$aa" = Y ] || [ -d /sys/fs/selinux/booleans ]; then
	skip "this host enforces an LSM; tests/e2e/host-load.sh covers it"
	finish
fi

"$CPOLC" status -o "$scratch/o" > "$out"
check status-exit test $? -eq 0
check status-says-why grep -q "^AppArmor: not enabled: " "$out"
check status-selinux grep -qx "SELinux: not enabled" "$out"
check status-explains grep -q "^Neither AppArmor nor SELinux is active" \
	"$out"
"$CPOLC" status --format=json > "$out"
check status-json /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["apparmor"]["enabled"] is False and s["apparmor"]["reason"]
assert s["selinux"]["enabled"] is False' "$out"
"$CPOLC" status 'web;rm' > /dev/null 2> "$err"
check status-bad-name test $? -eq 2

"$CPOLC" load -o "$scratch/o" > "$out" 2> "$err"
check load-no-lsm test $? -eq 2
check load-no-lsm-says grep -q "neither AppArmor nor SELinux is active" \
	"$err"
"$CPOLC" load --dry-run --lsm=apparmor -o "$scratch/o" > "$out"
check dry-run-exit test $? -eq 0
check dry-run-command test "$(cat "$out")" = \
	"apparmor_parser -r -- $scratch/o/web.apparmor"
"$CPOLC" load --dry-run --lsm=selinux -o "$scratch/o" web > "$out" 2> "$err"
if [ -f "$scratch/o/web.cil" ]; then
	check dry-run-selinux test "$(cat "$out")" = \
		"semodule -i $scratch/o/web.cil"
else
	check dry-run-selinux-missing grep -q "no $scratch/o/web.cil" "$err"
fi
"$CPOLC" load --dry-run --lsm=apparmor -o "$scratch/o" nope > /dev/null \
	2> "$err"
check load-missing test $? -eq 1
"$CPOLC" load --dry-run -o "$scratch" > /dev/null 2> "$err"
check load-empty-dir grep -q "holds no compiled profile" "$err"
if command -v setpriv > /dev/null && [ "$(id -u)" -eq 0 ]; then
	chmod -R a+rX "$scratch"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CPOLC" load --lsm=apparmor -o "$scratch/o" > /dev/null 2> "$err"
	check load-not-root test $? -eq 2
	check load-not-root-says grep -q "needs root" "$err"
else
	skip "not root, or no setpriv: cannot try load as another user"
fi
finish

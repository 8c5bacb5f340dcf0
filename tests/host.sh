#!/bin/sh
# cpolc status and cpolc load on this host, which runs neither AppArmor
# nor SELinux (tests/e2e/host-load.sh covers a host that does): status
# explains why nothing is enforced and exits 0; load refuses, says why,
# and --dry-run prints the exact commands it would run.
#
# On any host: the compiler does not link libapparmor or libselinux
# (status and load open them when they need them), and with them
# replaced by empty files in a private mount namespace, status says it
# cannot tell, load without --lsm refuses, and compiling is unchanged.
. "${srcdir:-.}/tests/lib.sh"

out=$scratch/out.txt
err=$scratch/err.txt
"$CPOLC" -q "$srcdir/examples/web.pol" -o "$scratch/o"

if command -v readelf > /dev/null; then
	readelf -d "$CPOLC" > "$out"
	# The pattern must match how readelf lists what is linked.
	check needed-listed grep -q '(NEEDED).*\[libc\.so' "$out"
	check needed-no-host-libs test -z "$(grep -E \
		'\(NEEDED\).*\[lib(apparmor|selinux|pcre2)' "$out")"
else
	skip "no readelf (binutils): cpolc's NEEDED entries are not checked"
fi

# host_lib SONAME: the files the dynamic linker's cache lists for
# SONAME, one a line (SONAME itself when it is a path).
host_lib() {
	case $1 in
	*/*) printf '%s\n' "$1" ;;
	*) PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2> /dev/null |
		awk -v n="$1" '$1 == n { print $NF }' ;;
	esac
}
: "${apparmor_soname:=libapparmor.so.1}"
: "${selinux_soname:=libselinux.so.1}"
# hide.sh FILE... -- COMMAND...: COMMAND with each FILE covered by an
# empty one; run in a private mount namespace, which ends with it.
: > "$scratch/empty"
cat > "$scratch/hide.sh" << 'EOT'
for f; do
	[ "$f" = -- ] && shift && break
	mount --bind "${scratch:?}/empty" "$f" || exit 99
	shift
done
exec "$@"
EOT
# without FILES COMMAND...: COMMAND with the files in FILES hidden.
# List libapparmor's first: mount(8) itself may need libselinux.
without() {
	files=$1
	shift
	# shellcheck disable=SC2086 # FILES is a list of paths
	scratch=$scratch $ns sh "$scratch/hide.sh" $files -- "$@"
}
aa_files=$(host_lib "$apparmor_soname")
se_files=$(host_lib "$selinux_soname")
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m --propagation private"; else
	ns="unshare -r -m --propagation private"
fi
if ! command -v unshare > /dev/null || ! $ns true 2> /dev/null; then
	skip "cannot make a private mount namespace (unshare -m, as root or" \
		"in a user namespace): a missing library is not tried"
elif [ -z "$aa_files" ] || [ -z "$se_files" ]; then
	skip "ldconfig -p lists no $apparmor_soname or $selinux_soname:" \
		"a missing library is not tried"
else
	"$CPOLC" status -o "$scratch/o" > "$scratch/with.txt"
	without "$aa_files $se_files" "$CPOLC" status -o "$scratch/o" \
		> "$out" 2> "$err"
	check nolib-status-exit test $? -eq 0
	check nolib-status-aa grep -qF \
		"AppArmor: unknown: $apparmor_soname could not be loaded: " "$out"
	check nolib-status-se grep -qF \
		"SELinux: unknown: $selinux_soname could not be loaded: " "$out"
	check nolib-status-not-neither test -z "$(grep "^Neither" "$out")"
	without "$aa_files $se_files" "$CPOLC" status --format=json > "$out"
	check nolib-status-json /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
for lsm, soname in ("apparmor", sys.argv[2]), ("selinux", sys.argv[3]):
    assert s[lsm]["enabled"] is None, s
    assert s[lsm]["reason"].startswith(soname + " could not be loaded: ")
' "$out" "$apparmor_soname" "$selinux_soname"
	# Only SELinux missing: AppArmor is reported as it is.
	without "$se_files" "$CPOLC" status -o "$scratch/o" > "$out"
	check nolib-se-only-aa test "$(grep '^AppArmor: ' "$out")" = \
		"$(grep '^AppArmor: ' "$scratch/with.txt")"
	check nolib-se-only-se grep -qF "SELinux: unknown: $selinux_soname" \
		"$out"
	without "$aa_files $se_files" "$CPOLC" load --dry-run -o "$scratch/o" \
		> "$out" 2> "$err"
	check nolib-load-exit test $? -eq 2
	check nolib-load-says grep -qF "cpolc load: cannot tell whether \
AppArmor is active here: $apparmor_soname could not be loaded: " "$err"
	without "$aa_files $se_files" "$CPOLC" load --dry-run --lsm=apparmor \
		-o "$scratch/o" > "$out" 2> "$err"
	check nolib-load-lsm test "$(cat "$out")" = \
		"apparmor_parser -r -- $scratch/o/web.apparmor"
	without "$aa_files $se_files" "$CPOLC" -q "$srcdir/examples/web.pol" \
		-o "$scratch/o2"
	check nolib-compile diff -r "$scratch/o" "$scratch/o2"
fi

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

#!/bin/sh
# aa-protections.sh [DIR | FILE.pol]...: every AppArmor profile keeps
# every protection of Docker's default profile and is an allow-list.
#
# For each profile (found under a DIR, or written by `cpolc -t apparmor`
# for a FILE.pol): every line of the list below is present exactly once
# (NAME is the profile's own name); no rule grants a whole class (bare
# "file,", "network,", "capability," and the like), leaves confinement
# (ux, px, cx, change_profile) or pulls in host abstractions.  For a
# FILE.pol, the profile's "capability X," rules must also be exactly the
# capabilities `cpolc --dump` reports for the policy.
#
# With no arguments: examples/*.pol, tests/golden/*.pol and the hostile
# corpus tests/data/aa-hostile/*.pol.
. "${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Docker's default profile (moby/profiles apparmor/template.go, 2026),
# in cpolc's spelling (/proc rather than @{PROC}), plus what cpolc adds:
# the pinned ABI, deny umount and deny pivot_root.
protections() {
	cat <<EOF
abi <abi/3.0>,
include <tunables/global>
signal (receive) peer=unconfined,
signal (receive) peer=runc,
signal (receive) peer=crun,
signal (send,receive) peer=$1,
ptrace (trace,tracedby,read,readby) peer=$1,
deny mount,
deny umount,
deny pivot_root,
deny network alg,
deny /proc/* w,
deny /proc/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],[^1-9/][^0-9/][^0-9/][^0-9/]*}/** w,
deny /proc/sys/[^k]** w,
deny /proc/sys/kernel/{?,??,[^s][^h][^m]**} w,
deny /proc/sysrq-trigger rwklx,
deny /proc/kcore rwklx,
deny /sys/[^f]*/** wklx,
deny /sys/f[^s]*/** wklx,
deny /sys/fs/[^c]*/** wklx,
deny /sys/fs/c[^g]*/** wklx,
deny /sys/fs/cg[^r]*/** wklx,
deny /sys/firmware/** rwklx,
deny /sys/devices/virtual/powercap/** rwklx,
deny /sys/kernel/security/** rwklx,
EOF
}

# Rules no cpolc profile may hold, as extended regular expressions over
# a rule with its leading blanks removed and every quoted path replaced
# by "P": a grant of a whole class; any mount, change_profile or dbus
# rule; an exec that leaves the profile (px, cx, ux and their variants).
whole='^(audit |allow )?(file|network|capability|ptrace|signal|unix|dbus)'
whole=$whole'[[:blank:]]*,$'
whole=$whole'|^(audit |allow )?(mount|umount|remount|pivot_root)'
whole=$whole'([[:blank:]].*)?,$'
escapes='(^| )[a-zA-Z]*[pPcCuU]x,$|change_profile|^(audit |allow )?dbus'

# body FILE: the profile's rules, comments and leading blanks removed and
# each quoted path written "P" (a path holds no raw '"': see put_quoted).
body() {
	sed -e 's/^[[:blank:]]*//' -e '/^#/d' -e '/^$/d' \
		-e 's/"[^"]*"/"P"/g' "$1"
}

# check_profile FILE LABEL
check_profile() {
	f=$1
	what=$2
	name=$(sed -n 's/^profile \([a-z][a-z0-9_-]*\) flags=.*{$/\1/p' "$f")
	if [ -z "$name" ] || [ "$(printf '%s\n' "$name" | wc -l)" -ne 1 ]; then
		fail "$what: not exactly one 'profile NAME flags=... {' line"
		return
	fi
	flags='flags=\(attach_disconnected,mediate_deleted(,complain)?\)'
	if grep -Eq "^profile $name $flags \\{\$" "$f"; then
		pass "$what: profile $name flags"
	else
		fail "$what: profile $name lacks attach_disconnected," \
			"mediate_deleted"
	fi
	body "$f" > "$scratch/body"
	missing=0
	protections "$name" > "$scratch/want"
	while IFS= read -r line; do
		cnt=$(grep -cxF -e "$line" "$scratch/body")
		if [ "$cnt" -ne 1 ]; then
			fail "$what: '$line' appears $cnt times, not once"
			missing=$((missing + 1))
		fi
	done < "$scratch/want"
	[ $missing -eq 0 ] &&
		pass "$what: all $(wc -l < "$scratch/want") protections present"
	if grep -E -e "$whole" "$scratch/body" > "$scratch/bad"; then
		fail "$what: rules that grant a whole class or a mount:"
		cat "$scratch/bad"
	else
		pass "$what: no rule grants a whole class or a mount"
	fi
	if grep -E -e "$escapes" "$scratch/body" > "$scratch/bad"; then
		fail "$what: rules that leave the profile:"
		cat "$scratch/bad"
	else
		pass "$what: no rule leaves the profile"
	fi
	# the one include is the tunables, never an abstraction of the host
	grep -E '^[[:blank:]]*#?include([[:blank:]]|$)' "$f" > "$scratch/inc"
	if [ "$(cat "$scratch/inc")" = "include <tunables/global>" ]; then
		pass "$what: includes only <tunables/global>"
	else
		fail "$what: includes other than <tunables/global>:"
		cat "$scratch/inc"
	fi
}

# check_caps PROFILE DUMP NAME LABEL: capability rules == declared set.
check_caps() {
	awk -v want="$3" '
		/^policy / { p = $2 }
		p == want && /^\tcapabilities / {
			sub(/^\tcapabilities /, ""); sub(/;$/, "")
			n = split($0, c, /, /)
			for (i = 1; i <= n; i++) print c[i]
		}' "$2" | LC_ALL=C sort > "$scratch/caps.want"
	body "$1" | grep -E '(^| )capability' > "$scratch/caps.all" || true
	if grep -Evx 'capability [a-z_]+,' "$scratch/caps.all" > "$scratch/bad"
	then
		fail "$4: capability rules other than 'capability NAME,':"
		cat "$scratch/bad"
		return
	fi
	sed 's/^capability \(.*\),$/\1/' "$scratch/caps.all" |
		LC_ALL=C sort > "$scratch/caps.got"
	if cmp -s "$scratch/caps.want" "$scratch/caps.got"; then
		pass "$4: capabilities are exactly {$(tr '\n' ' ' \
			< "$scratch/caps.want" | sed 's/ $//')}"
	else
		fail "$4: capability rules differ from the declared set"
		diff "$scratch/caps.want" "$scratch/caps.got"
	fi
}

n=0
check_pol() {
	n=$((n + 1))
	d=$scratch/pol$n
	mkdir -p "$d"
	if ! "$CPOLC" -t apparmor -o "$d" "$1" > "$d.err" 2>&1; then
		fail "cpolc -t apparmor $1"
		cat "$d.err"
		return
	fi
	if ! "$CPOLC" --dump "$1" > "$d.dump" 2> "$d.err"; then
		fail "cpolc --dump $1"
		cat "$d.err"
		return
	fi
	for prof in "$d"/*.apparmor; do
		[ -f "$prof" ] || continue
		label="$1 -> $(basename "$prof")"
		check_profile "$prof" "$label"
		check_caps "$prof" "$d.dump" "$(basename "$prof" .apparmor)" \
			"$label"
	done
}

check_dir() {
	found=false
	for prof in $(find "$1" -name '*.apparmor' | LC_ALL=C sort); do
		found=true
		check_profile "$prof" "$prof"
	done
	$found || skip "$1: no .apparmor files"
}

if [ ! -x "$CPOLC" ] || ! "$CPOLC" --help 2>&1 | grep -q '^  apparmor '
then
	echo "SKIP: $CPOLC has no apparmor target"
	exit 77
fi

# The check must be able to fail: a profile without one protection.
printf 'policy selftest {\n    capabilities chown;\n}\n' > "$scratch/self.pol"
"$CPOLC" -t apparmor -o "$scratch" "$scratch/self.pol" > /dev/null 2>&1
if [ -f "$scratch/selftest.apparmor" ]; then
	grep -v 'powercap' "$scratch/selftest.apparmor" > "$scratch/cut"
	if (check_profile "$scratch/cut" self) | grep -q '^FAIL: self:'; then
		pass "self-test: a missing protection is caught"
	else
		fail "self-test: a missing protection went unnoticed"
	fi
else
	fail "self-test: cpolc wrote no profile for an empty policy"
fi

if [ $# -gt 0 ]; then
	for arg; do
		case $arg in
		*.pol) check_pol "$arg" ;;
		*) check_dir "$arg" ;;
		esac
	done
	finish
fi
for pol in "$srcdir"/examples/*.pol "$srcdir"/tests/golden/*.pol \
	"$srcdir"/tests/data/aa-hostile/*.pol; do
	[ -f "$pol" ] && check_pol "$pol"
done
finish
